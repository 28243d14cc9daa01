// Lays out text with furigana (core/ruby.h) for the kiosk: the same Japanese line breaking
// as every other text (line_break.h), with each ruby base kept whole on one line and as
// wide as the wider of its base and its reading, so the small kana never run into the next
// word's. Plain data: the screen draws the pieces (app/ui/widgets.cpp), tests check them.
#pragma once

#include <string>
#include <vector>

#include "app/model/line_break.h"
#include "core/ruby.h"

namespace kyodo::app {

struct RubyPiece {
    std::string text;    // drawn at the base size
    std::string ruby;    // drawn small above it, centred; "" for plain text
    float x = 0;         // from the line's left edge
    float width = 0;     // room the piece takes: max(base, reading) for ruby pieces
    float text_width = 0;
};

struct RubyLine {
    std::vector<RubyPiece> pieces;
    float width = 0;
    bool has_ruby = false;
};

// `base` measures a character at the text's size, `small` at the reading's size (about
// half). Lines are at most `width` wide where the text allows (a ruby unit wider than the
// line gets a line of its own).
std::vector<RubyLine> layout_ruby(const std::vector<RubySegment>& segs, float width, const AdvanceFn& base,
                                  const AdvanceFn& small);

}  // namespace kyodo::app
