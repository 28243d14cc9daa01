// Lays out text with furigana (core/ruby.h) for the kiosk: the same Japanese line breaking
// as every other text (line_break.h), with each ruby base kept whole on one line and as
// wide as the wider of its base and its reading, so the small kana never run into the next
// word's. Plain data: the screen draws the pieces (app/ui/widgets.cpp), tests check them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
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
    float ruby_width = 0;   // the reading at its small size
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

// Readings are drawn at half the text's size (as in print), in a band of ruby_room(size) px
// above each line of a text that has any: a line of text with furigana is
// size + ruby_room(size) tall.
constexpr float kRubyScale = 0.5f;
float ruby_room(float size);

// Which of an activity's texts (core/ruby.h: Furigana).
enum class RubyField { Title, Summary, Description };
// The readings of `a`'s text to draw above it: its annotation (a view into a.extra, valid
// while `a` is) when `on` (DisplaySettings::show_furigana()), "" when off or it has none. A
// stale annotation is returned too: the layout (ruby_for) shows such a text without ruby.
std::string_view readings_to_draw(const Activity& a, RubyField field, bool on);

// Keeps the first `max_lines` lines (0: all). When text was left over, the last one kept is
// cut so that "…" fits after it within `width`: plain text character by character, a ruby
// base only whole (half a word under its whole reading would be wrong).
void clip_ruby_lines(std::vector<RubyLine>& lines, std::size_t max_lines, float width, const AdvanceFn& base);

// The kiosk lays out the same few texts every frame: the layouts are kept per (text,
// readings, font, size, width, max_lines), like LineBreakCache (two generations of at most
// `capacity` entries; `font` an opaque identity: clear() when the fonts are rebuilt).
struct RubyText {
    std::vector<RubyLine> lines;   // clipped to max_lines
    bool has_ruby = false;         // any reading in the whole text (then every line has the band)
};
class RubyLayoutCache {
public:
    explicit RubyLayoutCache(std::size_t capacity = 1024) : capacity_(capacity) {}
    // The layout of `plain` with the readings in `annotated` (used only when they annotate
    // exactly `plain`, core/ruby.h ruby_for). The reference is valid until the next call.
    const RubyText& layout(std::string_view plain, std::string_view annotated, const void* font, float size,
                           float width, int max_lines, const AdvanceFn& base, const AdvanceFn& small);
    void clear();
    std::size_t size() const { return now_.size() + old_.size(); }
    std::size_t hits() const { return hits_; }
    std::size_t misses() const { return misses_; }

private:
    std::size_t capacity_;
    std::unordered_map<std::string, RubyText> now_, old_;   // key: texts and numbers, packed
    std::string key_;                                       // reused between calls
    RubyText scratch_;
    std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace kyodo::app
