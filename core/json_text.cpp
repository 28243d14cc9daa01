#include "core/json_text.h"

#include <charconv>

#include "core/types.h"
#include "core/utf8.h"

namespace kyodo::json_text {

void append_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    std::size_t run = 0;   // start of the bytes not yet copied: copy plain runs in one go
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:   // other C0 controls: \u00XX, lower-case hex like dump()
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_string_lossy(std::string& out, std::string_view s) {
    if (utf8::valid(s)) return append_string(out, s);
    // Rare (an error message quoting bad bytes): let nlohmann do its exact replacement.
    out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace kyodo::json_text
