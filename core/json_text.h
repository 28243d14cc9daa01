// Writing JSON text directly, for the hot paths that would otherwise build a nlohmann::json
// tree only to dump it (the server's content hash, its push answers, PostgreSQL batch rows).
// The bytes are exactly what nlohmann::json::dump() writes for the same value (compact, keys
// in the order the caller appends them, non-ASCII kept as UTF-8), so a hash or a stored text
// made either way is the same; tests/core/test_codec.cpp checks it against dump().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kyodo::json_text {

// Appends `s` as a JSON string literal (quotes included), escaped as nlohmann::json::dump()
// escapes it. `s` must be valid UTF-8 (dump() would throw on anything else): check with
// utf8::valid first, or use append_string_lossy.
void append_string(std::string& out, std::string_view s);

// As append_string, but bytes that are not UTF-8 become U+FFFD the way dump() with
// error_handler_t::replace does it (used for answers that may quote what a kiosk sent).
void append_string_lossy(std::string& out, std::string_view s);

void append_int(std::string& out, std::int64_t v);

}  // namespace kyodo::json_text
