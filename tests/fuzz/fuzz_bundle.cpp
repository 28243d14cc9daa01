// libFuzzer: a USB sync bundle (kyodo-bundle/1, docs/bundle.md) as staff upload it on the
// dashboard, through import_bundle into a real SQLite storage with kiosk "k1" enrolled.
// Every input either imports (each record answered) or is refused with std::invalid_argument
// and a message for staff; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "server/web/web.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kyodo::server::Storage& st = kyodo::fuzz::storage();
    try {
        auto r = kyodo::server::web::import_bundle(st, kyodo::fuzz::keys(),
                                                   std::string(reinterpret_cast<const char*>(data), size));
        if (r.answers.size() != static_cast<std::size_t>(r.stored + r.duplicate + r.rejected + r.conflict))
            __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
