// UTF-8 handling. Limits everywhere are counted in characters (code points), not bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kyodo::utf8 {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF).
bool valid(std::string_view s);
// Number of code points; for invalid input, the number of bytes (callers validate first).
std::size_t length(std::string_view s);
// Decodes to code points; invalid bytes become U+FFFD.
std::u32string decode(std::string_view s);
std::string encode(char32_t cp);
std::string encode(const std::u32string& s);
// First `n` code points of `s` (never cuts a character in half).
std::string truncate(std::string_view s, std::size_t n);
// A control character other than those allowed (\n and \t when multi_line).
bool has_control(std::string_view s, bool multi_line);
// A code point above U+FFFF: the kiosk's font atlas (16-bit ImWchar) cannot draw it.
bool has_beyond_bmp(std::string_view s);
// NFKC-lite folding for search: full-width ASCII → ASCII, half-width katakana → full-width,
// katakana → hiragana, ASCII upper → lower. Keeps kanji as they are.
std::string fold_for_search(std::string_view s);
// Removes the last code point (backspace in the on-screen keyboard).
void pop_back(std::string& s);

}  // namespace kyodo::utf8
