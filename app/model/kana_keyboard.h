// The kiosk's on-screen keyboard as plain data (no ImGui): layouts, a text buffer with a
// cursor, an unconverted kana segment ("composing") and kana-to-kanji conversion through a
// Converter (anthy in the kiosk, a fake in tests).
//
// A field says what it holds (InputKind) and the keyboard offers only the layouts that make
// sense for it: free Japanese text gets ひらがな / カタカナ / ABC / 123 with conversion; a
// reading (フリガナ) gets the kana layouts without conversion and refuses anything that is
// not kana; an e-mail address gets letters and digits; a phone number a number pad with the
// hyphen. Lengths are counted in code points and enforced as the resident types. Nothing
// above U+FFFF is ever inserted (the kiosk's font atlas is 16-bit): such candidates are
// dropped before the resident sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kyodo::app {

enum class InputKind {
    Text,     // free Japanese text: kana with conversion, letters, digits
    Kana,     // a reading (フリガナ): hiragana/katakana, ー and spaces only, no conversion
    Email,    // letters, digits and @ . - _ +
    Phone,    // digits and hyphen
    Number,   // digits only
};

enum class Layout { Hiragana, Katakana, Letters, Digits, PhonePad, NumberPad };

// What a key does.
enum class KeyKind {
    Char,        // inserts `text` (one character; letters follow shift)
    Text,        // inserts `text` as typed (".co.jp")
    Dakuten,     // ゛ on the character before the cursor (か → が, again → か)
    Handakuten,  // ゜ (は → ぱ)
    Small,       // 小 (つ → っ, や → ゃ)
    Shift,       // next letter upper case
    Space,
    Newline,
    Backspace,
    Left,        // cursor (or, while converting, the previous segment)
    Right,
    Convert,     // 変換; while converting: the next candidate
    Commit,      // 確定
    Layout,      // switches to `layout`
    Page,        // next page of columns (narrow windows)
    Done,        // 完了: commit what is composed and close
    Gap,         // an empty place in the grid
    Order,       // ABC keys: QWERTY order ⇄ A–Z order
};

struct Key {
    KeyKind kind = KeyKind::Gap;
    std::string label;          // glyphs on the key; for function keys a string-table key
    std::string text;           // what Char/Text insert
    Layout layout = Layout::Hiragana;
    float width = 1;            // in key units (function row)
    bool function = false;      // label is a string-table key ("kbd.delete"), not glyphs
};

// Why the last key did nothing (the widget shows a short note).
// NoCandidates: 変換 found no kanji for what was typed (a name anthy does not know): the kana
// stay as typed, ready to be confirmed.
enum class Feedback { None, Full, NotAllowed, NoConverter, NoCandidates };

// One segment (文節) of a conversion.
struct Segment {
    std::string reading;                  // hiragana
    std::vector<std::string> candidates;  // best first; never empty after the keyboard saw it
    int chosen = 0;
    const std::string& text() const {
        return candidates.empty() ? reading : candidates[static_cast<std::size_t>(chosen)];
    }
};

// Kana → kanji. Stateful like an input method: convert() starts a conversion whose segments
// resize() then reshapes.
class Converter {
public:
    virtual ~Converter() = default;
    virtual bool ready() const = 0;
    // Segments and candidates for a hiragana reading; empty when conversion failed.
    virtual std::vector<Segment> convert(const std::string& reading) = 0;
    // Makes segment `index` of the current conversion `delta` characters longer (negative:
    // shorter) and returns every segment afresh. Empty when it cannot.
    virtual std::vector<Segment> resize(int index, int delta) = 0;
};

// A field as the keyboard sees it.
struct FieldSpec {
    std::string id;                 // "signup.name"
    InputKind kind = InputKind::Text;
    std::size_t max_length = 200;   // code points
    bool multiline = false;
};

class KanaKeyboard {
public:
    void set_converter(Converter* c) { converter_ = c; }
    bool converter_ready() const { return converter_ && converter_->ready(); }

    // --- which field ---------------------------------------------------------------------
    // Starts editing `spec` with its current text, cursor at the end, on the field's first
    // layout, or on its letters (ABC) when `latin_first`: the English interface, whose
    // residents type a name in Latin letters (and a reading in romaji) far more than in kana.
    void open(const FieldSpec& spec, std::string_view text, bool latin_first = false);
    // Commits what is being composed (as shown) and closes.
    void close();
    // Forgets everything, text included (idle reset: nothing stays for the next person).
    void reset();
    bool is_open() const { return open_; }
    bool is_open_for(std::string_view id) const { return open_ && spec_.id == id; }
    const FieldSpec& spec() const { return spec_; }

    // --- layouts -------------------------------------------------------------------------
    static std::vector<Layout> layouts_for(InputKind kind);
    std::vector<Layout> layouts() const { return layouts_for(spec_.kind); }
    Layout layout() const { return layout_; }
    bool set_layout(Layout l);       // false when the field does not offer it
    bool shift() const { return shift_; }
    // The ABC keys in keyboard (QWERTY) order instead of A–Z; kept from field to field until
    // the next resident (reset()).
    bool qwerty() const { return qwerty_; }
    void set_qwerty(bool on);
    // Total key columns of the current layout's grid.
    int columns() const;
    // The grid rows to draw when at most `max_columns` keys fit across: narrow windows get
    // the columns in pages (a Page key in function_keys() turns them); columns such as
    // ゛゜小、。 stay on every page.
    std::vector<std::vector<Key>> rows(int max_columns) const;
    int pages(int max_columns) const;
    int page() const { return page_; }
    void next_page(int max_columns);
    // The row under the grid: layout tabs, space, cursor, delete, 変換, 確定, 完了.
    std::vector<Key> function_keys(int max_columns) const;

    // --- editing -------------------------------------------------------------------------
    // Everything a key does. Returns why it did nothing, if it did nothing.
    Feedback press(const Key& k, int max_columns = 99);
    // Types `utf8` as if each character's key were pressed (small kana and voiced kana
    // included; for tests and a physical keyboard).
    Feedback type(std::string_view utf8);
    Feedback insert(char32_t c);
    void backspace();
    void left();
    void right();
    bool dakuten();
    bool handakuten();
    bool small();

    // --- conversion ----------------------------------------------------------------------
    bool composing() const { return !comp_.empty(); }
    bool converting() const { return converting_; }
    // 変換: segments for what is composed. False (NoConverter) when anthy is unavailable.
    Feedback convert();
    void commit();                    // 確定: composed text (or the conversion) becomes text
    void cancel_conversion();         // back to the kana
    const std::vector<Segment>& segments() const { return segs_; }
    int current_segment() const { return cur_seg_; }
    void select_segment(int i);
    void next_segment();
    void prev_segment();
    bool resize_segment(int delta);   // widen (+1) / narrow (−1) the current segment
    void pick(int candidate);         // for the current segment; moves on to the next one
    void next_candidate();
    void prev_candidate();

    // --- state for drawing and for the form -----------------------------------------------
    std::string text() const;            // committed text only
    std::string display_text() const;    // what the field shows: the composition included
    std::string before_cursor() const;
    std::string after_cursor() const;
    std::string composition() const;     // the reading, or the chosen candidates joined
    std::size_t cursor() const { return cursor_; }
    std::size_t composition_cursor() const { return comp_cursor_; }
    void set_cursor(std::size_t i);       // a tap in the field (not while composing)
    // The text last written into the form's field (the widget keeps both in step).
    std::string mirror;
    // What the field asks ("お名前"), shown on the keyboard itself: with the keyboard open
    // the page above it may be too short to show the field's own label.
    std::string field_label;
    std::size_t length() const { return text_.size() + comp_.size(); }
    Feedback last_feedback() const { return feedback_; }
    std::uint64_t revision() const { return revision_; }

private:
    bool accepts(char32_t c) const;
    bool composes(char32_t c) const;      // goes into the composing segment
    Feedback insert_committed(const std::u32string& s);
    // A reading field: the letters just before the cursor read as romaji (yamada → やまだ).
    void romaji_before_cursor(bool final);
    bool modify_before_cursor(char32_t (*f)(char32_t));
    void sanitize(std::vector<Segment>& segs) const;
    void changed() { ++revision_; }

    Converter* converter_ = nullptr;
    FieldSpec spec_;
    bool open_ = false;
    Layout layout_ = Layout::Hiragana;
    bool shift_ = false;
    bool qwerty_ = false;
    int page_ = 0;
    std::u32string text_;      // committed
    std::size_t cursor_ = 0;   // in text_, where the composition sits
    std::u32string comp_;      // unconverted kana
    std::size_t comp_cursor_ = 0;
    bool converting_ = false;
    std::vector<Segment> segs_;
    int cur_seg_ = 0;
    Feedback feedback_ = Feedback::None;
    std::uint64_t revision_ = 0;
};

// Every character a key shows as glyphs (for the font atlas). Function keys show string-table
// words (Key::function, "kbd.convert" → 変換 / Kanji / かんじに): the tables bring their glyphs.
std::string keyboard_glyphs();

// Kana helpers (also used by the converter).
std::string katakana_to_hiragana(std::string_view s);
std::string hiragana_to_katakana(std::string_view s);
bool is_kana_char(char32_t c);   // hiragana, katakana, ー, voiced marks

}  // namespace kyodo::app
