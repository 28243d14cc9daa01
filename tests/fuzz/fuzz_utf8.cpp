// libFuzzer: the UTF-8 helpers every text from outside goes through (records, catalog,
// forms, typed text): validation, decoding, truncation, control and beyond-BMP checks,
// search folding and backspace. Checked properties: valid text decodes and encodes back
// to the same bytes; truncate never cuts a character; folding valid text stays valid.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "core/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kyodo;
    const std::string_view s(reinterpret_cast<const char*>(data), size);
    const bool ok = utf8::valid(s);
    if (ok != is_valid_utf8(s)) __builtin_trap();
    const std::u32string cps = utf8::decode(s);
    (void)utf8::length(s);
    (void)utf8::has_control(s, true);
    (void)utf8::has_control(s, false);
    (void)utf8::has_beyond_bmp(s);
    const std::string folded = utf8::fold_for_search(s);
    if (ok) {
        if (utf8::encode(cps) != s) __builtin_trap();
        if (utf8::length(s) != cps.size()) __builtin_trap();
        if (!utf8::valid(folded)) __builtin_trap();
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, cps.size() / 2, cps.size()}) {
            const std::string t = utf8::truncate(s, n);
            if (!utf8::valid(t) || utf8::length(t) != std::min(n, cps.size())) __builtin_trap();
        }
        std::string b(s);
        utf8::pop_back(b);
        if (!utf8::valid(b)) __builtin_trap();
    }
    (void)is_valid_phone(s);
    (void)is_valid_email(s);
    (void)is_kana_reading(s);
    return 0;
}
