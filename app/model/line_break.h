// Where to break lines of Japanese (and mixed Japanese / Latin) text on the kiosk, as plain
// data (no ImGui): ImGui 1.86 wraps only at spaces, or between any two characters when a
// "word" is wider than the line, so Japanese came out with 。 or ー at the start of a line and
// words cut in two (教/室, てく/ださい). This follows the usual Japanese rules instead:
//   - kinsoku: no line starts with closing punctuation, small kana, ー, 々 …, and no line ends
//     with an opening bracket;
//   - breaks are preferred after punctuation and spaces, then where one script gives way to
//     another (after a particle before a kanji word, around Latin and digits), and only then
//     between two characters of the same script;
//   - Latin words are never cut unless one alone is wider than the line.
// Widths come from a callback, so tests use fixed advances and the UI uses the font's.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kyodo::app {

// Advance of one code point in pixels (the font's glyph advance at the size drawn).
using AdvanceFn = std::function<float(char32_t)>;

// One line of the result: bytes [begin, end) of the input; end excludes a trailing space or
// the '\n' that ended the line.
struct LineSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Splits `text` into lines no wider than `width` where possible (a single character wider
// than the line still gets a line of its own). '\n' always ends a line. Invalid UTF-8 bytes
// count as one character each, so nothing is lost or looped on.
std::vector<LineSpan> break_lines(std::string_view text, float width, const AdvanceFn& advance);

// The same text with a '\n' at every break (spaces at a break are dropped), ready for a
// renderer that only knows explicit newlines.
std::string wrap_lines(std::string_view text, float width, const AdvanceFn& advance);

// The character classes the rules above use; exposed for tests.
bool kinsoku_no_line_start(char32_t c);
bool kinsoku_no_line_end(char32_t c);

}  // namespace kyodo::app
