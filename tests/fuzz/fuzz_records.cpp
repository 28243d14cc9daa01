// libFuzzer: one record as a kiosk pushes it (JSON text) through the server's per-record
// path: decode (record_from_json), open the sealed personal part with city hall's key,
// validate (the one validator the kiosk uses too), hash the canonical JSON, check the
// clock. Every input must end in a PreparedRecord, accepted or rejected with a code: an
// exception escaping, a sanitizer report or a crash is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/codec.h"
#include "core/validate.h"
#include "server/ingest.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kyodo;
    const std::string text(reinterpret_cast<const char*>(data), size);
    Json raw = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (raw.is_discarded()) return 0;
    const std::int64_t received_ms = 1795000000000;   // 2026-11-18, fixed: runs repeat
    server::PreparedRecord p = server::prepare_record(raw, "k1", fuzz::keys(), received_ms);
    if (!p.rejected()) {
        // An accepted record re-encodes to the same content hash (what a re-send compares).
        const std::string again = canonical_json(p.record, p.payload_json);
        if (again.empty()) __builtin_trap();
    }
    // The kiosk's side: decode and validate without the seal (a record kept in its outbox).
    try {
        Record r = record_from_json(raw);
        Validation v = validate_record(r, nullptr);
        (void)v.summary();
    } catch (const DecodeError&) {
    }
    return 0;
}
