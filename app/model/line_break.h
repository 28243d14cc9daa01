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
#include <unordered_map>
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

// True when some break in `lines` (from break_lines on `text`) falls inside a word: between two
// characters of the same script with no space or '\n' there (パブリックコメ/ント, 意見/箱,
// Sen/d), or between a kanji and the kana that ends it (申し込/み), or one that leaves a
// button's arrow alone on its line ("‹" / "Back", "次へ" / "›"). Short labels (a start
// tile's title) that would split a word take more room or a smaller size instead.
bool splits_word(std::string_view text, const std::vector<LineSpan>& lines);

// The kiosk measures a text (to size its box) and then draws it, every frame: without a
// cache each wrapped text was broken at least twice a frame. Keyed by (text, font, size,
// width); `font` is an opaque identity (the ImFont*), so the owner must clear() the cache
// when fonts are rebuilt. Bounded: two generations of at most `capacity` entries each (a
// full one becomes the old one; an old entry used again moves back), so what is on screen
// stays and what was on earlier screens goes.
class LineBreakCache {
public:
    // capacity 0 keeps nothing (every call breaks the text again).
    explicit LineBreakCache(std::size_t capacity = 2048) : capacity_(capacity) {}
    // As wrap_lines / break_lines. The reference is valid until the next call.
    const std::string& wrapped(std::string_view text, const void* font, float size, float width,
                               const AdvanceFn& advance);
    const std::vector<LineSpan>& lines(std::string_view text, const void* font, float size, float width,
                                       const AdvanceFn& advance);
    void clear();
    std::size_t size() const { return now_.size() + old_.size(); }
    std::size_t hits() const { return hits_; }
    std::size_t misses() const { return misses_; }

private:
    struct Key {
        std::string text;
        const void* font;
        float size, width;
    };
    struct KeyView {   // looked up without copying the text
        std::string_view text;
        const void* font;
        float size, width;
    };
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(const KeyView& k) const;
        std::size_t operator()(const Key& k) const { return (*this)(KeyView{k.text, k.font, k.size, k.width}); }
    };
    struct KeyEq {
        using is_transparent = void;
        static KeyView view(const Key& k) { return {k.text, k.font, k.size, k.width}; }
        static KeyView view(const KeyView& k) { return k; }
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            const KeyView x = view(a), y = view(b);
            return x.font == y.font && x.size == y.size && x.width == y.width && x.text == y.text;
        }
    };
    struct Entry {
        std::vector<LineSpan> spans;
        std::string wrapped;
    };
    const Entry& find(std::string_view text, const void* font, float size, float width, const AdvanceFn& advance);

    std::size_t capacity_;
    std::unordered_map<Key, Entry, KeyHash, KeyEq> now_, old_;
    Entry scratch_;                      // capacity 0: the one answer, not kept
    std::size_t hits_ = 0, misses_ = 0;
};

// The character classes the rules above use; exposed for tests.
bool kinsoku_no_line_start(char32_t c);
bool kinsoku_no_line_end(char32_t c);

}  // namespace kyodo::app
