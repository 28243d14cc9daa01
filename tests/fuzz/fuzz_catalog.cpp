// libFuzzer: a catalog document (GET /api/v1/catalog's answer, assets/catalog/*.json) through
// the decoder the kiosk and kyodo-server's import both use. A document that decodes must
// encode and decode again to the same document (nothing lost or invented on the way).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kyodo;
    const Json j = Json::parse(std::string(reinterpret_cast<const char*>(data), size), nullptr, false);
    if (j.is_discarded()) return 0;
    CatalogDelta d;
    try {
        d = catalog_from_json(j);
    } catch (const DecodeError&) {
        return 0;
    }
    const Json once = to_json(d);
    const Json twice = to_json(catalog_from_json(once));
    if (once != twice) __builtin_trap();
    return 0;
}
