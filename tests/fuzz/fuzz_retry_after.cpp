// libFuzzer: a Retry-After header as any server or proxy may send it ("120", an IMF-fixdate,
// or rubbish), parsed by the kiosk's sync worker. The answer is nothing or 0..86400 seconds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/backoff.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view v(reinterpret_cast<const char*>(data), size);
    for (std::int64_t now : {std::int64_t{0}, std::int64_t{1795000000000}}) {
        auto s = kyodo::sync::parse_retry_after(v, now);
        if (s && (*s < 0 || *s > 86400)) __builtin_trap();
    }
    return 0;
}
