// libFuzzer: the kiosk's Japanese line breaking (app/model/line_break.cpp) on any text (a
// catalog title, an opinion being typed) at any width. The first two bytes pick the line
// width; advances are fixed per script, as the tests use. Properties: the lines cover the
// text in order without overlap, and every byte outside the lines is a blank (space, tab) or
// the '\n' that ended a line: no text is lost.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/model/line_break.h"
#include "core/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const float width = static_cast<float>((data[0] << 8 | data[1]) % 2000);
    const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
    auto advance = [](char32_t c) -> float { return c < 0x80 ? 10.f : c < 0x3000 ? 14.f : 20.f; };
    const auto lines = kyodo::app::break_lines(text, width, advance);
    std::size_t at = 0;
    for (const auto& l : lines) {
        if (l.begin < at || l.end < l.begin || l.end > text.size()) __builtin_trap();
        for (std::size_t i = at; i < l.begin; ++i)
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n') __builtin_trap();
        at = l.end;
    }
    for (std::size_t i = at; i < text.size(); ++i)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n') __builtin_trap();
    (void)kyodo::app::wrap_lines(text, width, advance);
    return 0;
}
