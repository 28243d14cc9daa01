#include "app/model/kana_keyboard.h"

#include <algorithm>

#include "app/model/romaji.h"
#include "core/utf8.h"

namespace kyodo::app {

namespace {

// --- kana tables --------------------------------------------------------------------------

constexpr std::u32string_view kPlain = U"かきくけこさしすせそたちつてとはひふへほうカキクケコサシスセソタチツテトハヒフヘホウ";
constexpr std::u32string_view kVoiced = U"がぎぐげござじずぜぞだぢづでどばびぶべぼゔガギグゲゴザジズゼゾダヂヅデドバビブベボヴ";
constexpr std::u32string_view kHalfPlain = U"はひふへほハヒフヘホ";
constexpr std::u32string_view kSemiVoiced = U"ぱぴぷぺぽパピプペポ";
constexpr std::u32string_view kLarge = U"あいうえおつやゆよわアイウエオツヤユヨワカケ";
constexpr std::u32string_view kSmall = U"ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";

char32_t swap(char32_t c, std::u32string_view from, std::u32string_view to) {
    auto i = from.find(c);
    return i == std::u32string_view::npos ? c : to[i];
}

bool in(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

char32_t toggle_dakuten(char32_t c) {
    if (in(c, kVoiced)) return swap(c, kVoiced, kPlain);                     // が → か
    if (in(c, kSemiVoiced)) return swap(swap(c, kSemiVoiced, kHalfPlain), kPlain, kVoiced);  // ぱ → ば
    if (c == U'っ') return U'づ';
    if (c == U'ッ') return U'ヅ';
    return swap(c, kPlain, kVoiced);                                          // か → が
}

char32_t toggle_handakuten(char32_t c) {
    if (in(c, kSemiVoiced)) return swap(c, kSemiVoiced, kHalfPlain);          // ぱ → は
    if (in(c, kVoiced)) {
        char32_t plain = swap(c, kVoiced, kPlain);                            // ば → ぱ
        return in(plain, kHalfPlain) ? swap(plain, kHalfPlain, kSemiVoiced) : c;
    }
    return swap(c, kHalfPlain, kSemiVoiced);                                  // は → ぱ
}

char32_t toggle_small(char32_t c) {
    if (in(c, kSmall)) return swap(c, kSmall, kLarge);
    if (c == U'づ') return U'っ';
    if (c == U'ヅ') return U'ッ';
    return swap(c, kLarge, kSmall);
}

// --- grids --------------------------------------------------------------------------------

Key char_key(std::string s) {
    Key k;
    k.kind = KeyKind::Char;
    k.label = s;
    k.text = std::move(s);
    return k;
}

Key gap_key() { return Key{}; }

Key fn_key(KeyKind kind, const char* label, float width = 1.5f, bool function = true) {
    Key k;
    k.kind = kind;
    k.label = label;
    k.width = width;
    k.function = function;
    return k;
}

struct Grid {
    std::vector<std::vector<Key>> rows;   // row-major, every row the same length
    int pinned = 0;                       // trailing columns shown on every page
};

// The 50音 table: columns あ か さ … わ left to right, each read top-down, then a column of
// marks. "_" leaves a place empty (や行, わ行).
Grid kana_grid(bool katakana) {
    static const char* const hira[] = {"あいうえお", "かきくけこ", "さしすせそ", "たちつてと", "なにぬねの",
                                       "はひふへほ", "まみむめも", "や_ゆ_よ",   "らりるれろ", "わをんー_"};
    static const char* const kata[] = {"アイウエオ", "カキクケコ", "サシスセソ", "タチツテト", "ナニヌネノ",
                                       "ハヒフヘホ", "マミムメモ", "ヤ_ユ_ヨ",   "ラリルレロ", "ワヲンー_"};
    const char* const* cols = katakana ? kata : hira;
    Grid g;
    g.rows.assign(5, {});
    for (int c = 0; c < 10; ++c) {
        std::u32string col = utf8::decode(cols[c]);
        for (std::size_t r = 0; r < 5; ++r)
            g.rows[r].push_back(col[r] == U'_' ? gap_key() : char_key(utf8::encode(col[r])));
    }
    Key d = fn_key(KeyKind::Dakuten, "゛", 1, false);
    Key h = fn_key(KeyKind::Handakuten, "゜", 1, false);
    Key s = fn_key(KeyKind::Small, "小", 1, false);
    g.rows[0].push_back(d);
    g.rows[1].push_back(h);
    g.rows[2].push_back(s);
    g.rows[3].push_back(char_key("、"));
    g.rows[4].push_back(char_key("。"));
    g.pinned = 1;
    return g;
}

// A space is an empty place: "_" is a key of its own (e-mail addresses), not a gap.
Grid rows_of(std::initializer_list<const char*> rows) {
    Grid g;
    for (const char* r : rows) {
        std::vector<Key> row;
        for (char32_t c : utf8::decode(r)) row.push_back(c == U' ' ? gap_key() : char_key(utf8::encode(c)));
        g.rows.push_back(std::move(row));
    }
    return g;
}

Grid letters_grid(bool upper, bool qwerty) {
    // Both orders are 4 rows of 10, so switching moves no key outside the grid.
    Grid g = qwerty ? rows_of({"1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm.-_"})
                    : rows_of({"1234567890", "abcdefghij", "klmnopqrst", "uvwxyz@.-_"});
    if (upper)
        for (auto& row : g.rows)
            for (auto& k : row)
                if (k.text.size() == 1 && k.text[0] >= 'a' && k.text[0] <= 'z') {
                    k.text[0] = static_cast<char>(k.text[0] - 'a' + 'A');
                    k.label = k.text;
                }
    return g;
}

Grid grid_for(Layout l, bool shift, bool qwerty) {
    switch (l) {
        case Layout::Hiragana: return kana_grid(false);
        case Layout::Katakana: return kana_grid(true);
        case Layout::Letters: return letters_grid(shift, qwerty);
        case Layout::Digits: return rows_of({"12345", "67890", "・？！（）", "「」：／〜"});
        case Layout::PhonePad: return rows_of({"123", "456", "789", "-0 "});
        case Layout::NumberPad: return rows_of({"123", "456", "789", " 0 "});
    }
    return {};
}

// Columns per page and page count for `total` pageable columns in `room` places.
void paging(int total, int room, int& pages, int& per) {
    if (room < 1) room = 1;
    pages = (total + room - 1) / room;
    if (pages < 1) pages = 1;
    per = (total + pages - 1) / pages;
}

bool beyond_bmp_or_control(const std::string& s) {
    for (char32_t c : utf8::decode(s))
        if (c > 0xFFFF || c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xFFFD) return true;
    return false;
}

}  // namespace

// --- kana helpers ---------------------------------------------------------------------------

bool is_kana_char(char32_t c) {
    return (c >= 0x3041 && c <= 0x3096) || (c >= 0x3099 && c <= 0x309E) || (c >= 0x30A1 && c <= 0x30FA) ||
           (c >= 0x30FC && c <= 0x30FE);
}

std::string katakana_to_hiragana(std::string_view s) {
    std::u32string u = utf8::decode(s);
    for (char32_t& c : u)
        if (c >= 0x30A1 && c <= 0x30F6) c -= 0x60;
    return utf8::encode(u);
}

std::string hiragana_to_katakana(std::string_view s) {
    std::u32string u = utf8::decode(s);
    for (char32_t& c : u)
        if (c >= 0x3041 && c <= 0x3096) c += 0x60;
    return utf8::encode(u);
}

std::string keyboard_glyphs() {
    std::string out = " ◀▶◁▷〜";
    for (Layout l : {Layout::Hiragana, Layout::Katakana, Layout::Letters, Layout::Digits, Layout::PhonePad,
                     Layout::NumberPad})
        for (bool shift : {false, true})
            for (const auto& row : grid_for(l, shift, false).rows)
                for (const auto& k : row) out += k.label;
    // Function-key words are string-table text (kbd.*): their glyphs come with the tables.
    out += ".com.ne.jp.co.jp";
    out += utf8::encode(std::u32string(kSmall)) + utf8::encode(std::u32string(kVoiced)) +
           utf8::encode(std::u32string(kSemiVoiced));
    return out;
}

// --- field ------------------------------------------------------------------------------------

std::vector<Layout> KanaKeyboard::layouts_for(InputKind kind) {
    switch (kind) {
        case InputKind::Text: return {Layout::Hiragana, Layout::Katakana, Layout::Letters, Layout::Digits};
        case InputKind::Kana: return {Layout::Hiragana, Layout::Katakana, Layout::Letters};   // ABC: romaji
        case InputKind::Email: return {Layout::Letters};
        case InputKind::Phone: return {Layout::PhonePad};
        case InputKind::Number: return {Layout::NumberPad};
    }
    return {Layout::Hiragana};
}

void KanaKeyboard::open(const FieldSpec& spec, std::string_view text, bool latin_first) {
    if (open_ && spec_.id != spec.id) close();
    spec_ = spec;
    open_ = true;
    text_ = utf8::decode(text);
    cursor_ = text_.size();
    comp_.clear();
    comp_cursor_ = 0;
    converting_ = false;
    segs_.clear();
    cur_seg_ = 0;
    const auto ls = layouts();
    layout_ = latin_first && std::find(ls.begin(), ls.end(), Layout::Letters) != ls.end() ? Layout::Letters
                                                                                           : ls.front();
    shift_ = false;
    page_ = 0;
    feedback_ = Feedback::None;
    changed();
}

void KanaKeyboard::close() {
    if (!open_) return;
    if (composing()) commit();
    if (spec_.kind == InputKind::Kana) romaji_before_cursor(true);
    open_ = false;
    changed();
}

void KanaKeyboard::reset() {
    Converter* c = converter_;
    std::uint64_t rev = revision_;
    *this = KanaKeyboard{};
    converter_ = c;
    revision_ = rev + 1;
}

void KanaKeyboard::set_qwerty(bool on) {
    if (qwerty_ == on) return;
    qwerty_ = on;
    page_ = 0;
    changed();
}

bool KanaKeyboard::set_layout(Layout l) {
    auto ls = layouts();
    if (std::find(ls.begin(), ls.end(), l) == ls.end()) return false;
    if (layout_ != l) {
        layout_ = l;
        page_ = 0;
        shift_ = false;
        changed();
    }
    return true;
}

// --- grid -------------------------------------------------------------------------------------

int KanaKeyboard::columns() const {
    Grid g = grid_for(layout_, shift_, qwerty_);
    return g.rows.empty() ? 0 : static_cast<int>(g.rows.front().size());
}

int KanaKeyboard::pages(int max_columns) const {
    Grid g = grid_for(layout_, shift_, qwerty_);
    int total = g.rows.empty() ? 0 : static_cast<int>(g.rows.front().size()) - g.pinned;
    int pages = 1, per = total;
    paging(total, max_columns - g.pinned, pages, per);
    return pages;
}

std::vector<std::vector<Key>> KanaKeyboard::rows(int max_columns) const {
    Grid g = grid_for(layout_, shift_, qwerty_);
    if (g.rows.empty()) return {};
    int width = static_cast<int>(g.rows.front().size());
    int total = width - g.pinned;
    int pages = 1, per = total;
    paging(total, max_columns - g.pinned, pages, per);
    int page = page_ % pages;
    int first = page * per, last = std::min(total, first + per);
    std::vector<std::vector<Key>> out;
    for (const auto& row : g.rows) {
        std::vector<Key> r(row.begin() + first, row.begin() + last);
        r.insert(r.end(), row.end() - g.pinned, row.end());
        out.push_back(std::move(r));
    }
    return out;
}

void KanaKeyboard::next_page(int max_columns) {
    page_ = (page_ + 1) % std::max(1, pages(max_columns));
    changed();
}

std::vector<Key> KanaKeyboard::function_keys(int max_columns) const {
    std::vector<Key> keys;
    const bool text = spec_.kind == InputKind::Text;
    const bool kana_layout = layout_ == Layout::Hiragana || layout_ == Layout::Katakana;
    // Layout tabs.
    auto ls = layouts();
    if (ls.size() > 1) {
        for (Layout l : ls) {
            const char* label = l == Layout::Hiragana   ? "kbd.hiragana"
                                : l == Layout::Katakana ? "kbd.katakana"
                                : l == Layout::Letters  ? "kbd.letters"
                                                        : "kbd.digits";
            Key k = fn_key(KeyKind::Layout, label, 1.2f);
            k.layout = l;
            keys.push_back(k);
        }
    }
    // Narrow windows: the rest of the table.
    int np = pages(max_columns);
    if (np > 1) {
        Grid g = grid_for(layout_, shift_, qwerty_);
        int total = static_cast<int>(g.rows.front().size()) - g.pinned, pages = 1, per = total;
        paging(total, max_columns - g.pinned, pages, per);
        int next = (page_ + 1) % pages;
        int first = next * per, last = std::min(total, first + per) - 1;
        Key k = fn_key(KeyKind::Page, "", 2, false);
        k.label = g.rows[0][static_cast<std::size_t>(first)].label + "〜" +
                  g.rows[0][static_cast<std::size_t>(last)].label + " ▶";
        if (layout_ == Layout::Letters) {
            // The first row is digits: name the page by its letters.
            k.label = g.rows[1][static_cast<std::size_t>(first)].label + "〜" +
                      g.rows[1][static_cast<std::size_t>(last)].label + " ▶";
        }
        keys.push_back(k);
    }
    if (layout_ == Layout::Letters) {
        keys.push_back(fn_key(KeyKind::Order, qwerty_ ? "kbd.order.abc" : "kbd.order.qwerty", 1.5f));
        if (spec_.kind != InputKind::Kana) keys.push_back(fn_key(KeyKind::Shift, "kbd.shift", 1.5f));
    }
    if (spec_.kind == InputKind::Email)
        for (const char* s : {".com", ".ne.jp", ".co.jp", ".jp"}) {
            Key k = fn_key(KeyKind::Text, s, 1.5f, false);
            k.text = s;
            keys.push_back(k);
        }
    if (text || spec_.kind == InputKind::Kana) keys.push_back(fn_key(KeyKind::Space, "kbd.space", 1.5f));
    if (spec_.multiline) keys.push_back(fn_key(KeyKind::Newline, "kbd.newline", 1.5f));
    keys.push_back(fn_key(KeyKind::Left, "kbd.left", 1));
    keys.push_back(fn_key(KeyKind::Right, "kbd.right", 1));
    keys.push_back(fn_key(KeyKind::Backspace, "kbd.delete", 1.5f));
    const bool converts = text && kana_layout && converter_ready();
    if (converts) keys.push_back(fn_key(KeyKind::Convert, converting_ ? "kbd.next" : "kbd.convert", 1.5f));
    // 確定 keeps its place whenever 変換 is there (greyed until kana are typed): when it
    // appeared with the first kana every key of the row moved (変換 x≈1579 → 1414 at
    // 1920 px) and the resident's next tap on 変換 landed on 確定 (issue 9).
    if (converts || (text && composing())) keys.push_back(fn_key(KeyKind::Commit, "kbd.commit", 1.5f));
    keys.push_back(fn_key(KeyKind::Done, "kbd.done", 1.5f));
    return keys;
}

// --- editing ----------------------------------------------------------------------------------

bool KanaKeyboard::accepts(char32_t c) const {
    if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD || c == 0x7F || (c >= 0x80 && c < 0xA0))
        return false;
    if (c < 0x20) return c == U'\n' && spec_.multiline && spec_.kind == InputKind::Text;
    switch (spec_.kind) {
        case InputKind::Text: return true;
        case InputKind::Kana: return is_kana_char(c) || c == U' ' || c == 0x3000;
        case InputKind::Email:
            return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') ||
                   c == U'@' || c == U'.' || c == U'-' || c == U'_' || c == U'+';
        case InputKind::Phone: return (c >= U'0' && c <= U'9') || c == U'-';
        case InputKind::Number: return c >= U'0' && c <= U'9';
    }
    return false;
}

bool KanaKeyboard::composes(char32_t c) const {
    if (spec_.kind != InputKind::Text || !converter_ready()) return false;
    if (is_kana_char(c)) return true;
    return composing() && (c == U'、' || c == U'。');
}

Feedback KanaKeyboard::insert_committed(const std::u32string& s) {
    if (length() + s.size() > spec_.max_length) return feedback_ = Feedback::Full;
    text_.insert(cursor_, s);
    cursor_ += s.size();
    changed();
    return Feedback::None;
}

void KanaKeyboard::romaji_before_cursor(bool final) {
    std::size_t j = cursor_;
    while (j > 0 && ((text_[j - 1] >= U'a' && text_[j - 1] <= U'z') || text_[j - 1] == U'\'')) --j;
    if (j == cursor_) return;
    std::u32string kana = romaji_to_hiragana(std::u32string_view(text_).substr(j, cursor_ - j), final);
    text_.replace(j, cursor_ - j, kana);
    cursor_ = j + kana.size();
    changed();
}

Feedback KanaKeyboard::insert(char32_t c) {
    feedback_ = Feedback::None;
    if (spec_.kind == InputKind::Kana && c < 0x80 &&
        ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c == U'\'' && cursor_ > 0 && text_[cursor_ - 1] == U'n'))) {
        // A reading typed in romaji: the letters become kana as soon as they read as one.
        if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
        if (length() + 1 > spec_.max_length) return feedback_ = Feedback::Full;
        text_.insert(cursor_, 1, c);
        ++cursor_;
        romaji_before_cursor(false);
        changed();
        return Feedback::None;
    }
    if (spec_.kind == InputKind::Kana) romaji_before_cursor(true);   // a kana or space ends a romaji run
    if (!accepts(c)) return feedback_ = Feedback::NotAllowed;
    if (composes(c)) {
        if (converting_) commit();
        if (length() + 1 > spec_.max_length) return feedback_ = Feedback::Full;
        comp_.insert(comp_cursor_, 1, c);
        ++comp_cursor_;
        changed();
        return Feedback::None;
    }
    if (composing()) commit();
    return insert_committed(std::u32string(1, c));
}

Feedback KanaKeyboard::type(std::string_view s) {
    Feedback last = Feedback::None;
    for (char32_t c : utf8::decode(s)) {
        Feedback f = Feedback::None;
        if (c == 0x309B || c == 0x3099) {
            if (!dakuten()) f = Feedback::NotAllowed;
        } else if (c == 0x309C || c == 0x309A) {
            if (!handakuten()) f = Feedback::NotAllowed;
        } else {
            f = insert(c);
        }
        if (f != Feedback::None) last = f;
    }
    feedback_ = last;
    return last;
}

void KanaKeyboard::backspace() {
    feedback_ = Feedback::None;
    if (converting_) {
        cancel_conversion();
    } else if (composing()) {
        if (comp_cursor_ > 0) {
            comp_.erase(comp_cursor_ - 1, 1);
            --comp_cursor_;
        }
        if (comp_.empty()) comp_cursor_ = 0;
    } else if (cursor_ > 0) {
        text_.erase(cursor_ - 1, 1);
        --cursor_;
    }
    changed();
}

void KanaKeyboard::left() {
    if (converting_) {
        prev_segment();
    } else if (composing()) {
        if (comp_cursor_ > 0) --comp_cursor_;
    } else if (cursor_ > 0) {
        --cursor_;
    }
    changed();
}

void KanaKeyboard::right() {
    if (converting_) {
        next_segment();
    } else if (composing()) {
        if (comp_cursor_ < comp_.size()) ++comp_cursor_;
    } else if (cursor_ < text_.size()) {
        ++cursor_;
    }
    changed();
}

bool KanaKeyboard::modify_before_cursor(char32_t (*f)(char32_t)) {
    feedback_ = Feedback::None;
    if (converting_) cancel_conversion();
    char32_t* c = nullptr;
    if (composing()) {
        if (comp_cursor_ > 0) c = &comp_[comp_cursor_ - 1];
    } else if (cursor_ > 0) {
        c = &text_[cursor_ - 1];
    }
    if (!c) return false;
    char32_t n = f(*c);
    if (n == *c || !accepts(n)) {
        feedback_ = Feedback::NotAllowed;
        return false;
    }
    *c = n;
    changed();
    return true;
}

bool KanaKeyboard::dakuten() { return modify_before_cursor(toggle_dakuten); }
bool KanaKeyboard::handakuten() { return modify_before_cursor(toggle_handakuten); }
bool KanaKeyboard::small() { return modify_before_cursor(toggle_small); }

Feedback KanaKeyboard::press(const Key& k, int max_columns) {
    feedback_ = Feedback::None;
    switch (k.kind) {
        case KeyKind::Char: {
            std::u32string u = utf8::decode(k.text);
            if (u.empty()) return Feedback::None;
            Feedback f = insert(u.front());
            if (shift_) {
                shift_ = false;
                changed();
            }
            return f;
        }
        case KeyKind::Text: {
            std::u32string u = utf8::decode(k.text);
            for (char32_t c : u)
                if (!accepts(c)) return feedback_ = Feedback::NotAllowed;
            if (composing()) commit();
            // ".ne.jp" after a typed "." does not double the dot.
            if (!u.empty() && u.front() == U'.' && cursor_ > 0 && text_[cursor_ - 1] == U'.') u.erase(0, 1);
            return insert_committed(u);
        }
        case KeyKind::Dakuten: dakuten(); return feedback_;
        case KeyKind::Handakuten: handakuten(); return feedback_;
        case KeyKind::Small: small(); return feedback_;
        case KeyKind::Order: set_qwerty(!qwerty_); return Feedback::None;
        case KeyKind::Shift:
            shift_ = !shift_;
            changed();
            return Feedback::None;
        case KeyKind::Space: {
            if (spec_.kind == InputKind::Kana) romaji_before_cursor(true);   // "yamadan" + space: やまだん
            char32_t sp = layout_ == Layout::Letters || layout_ == Layout::Digits ? U' ' : char32_t(0x3000);
            if (!accepts(sp)) return feedback_ = Feedback::NotAllowed;
            if (composing()) commit();
            return insert_committed(std::u32string(1, sp));
        }
        case KeyKind::Newline: return insert(U'\n');
        case KeyKind::Backspace: backspace(); return Feedback::None;
        case KeyKind::Left: left(); return Feedback::None;
        case KeyKind::Right: right(); return Feedback::None;
        case KeyKind::Convert:
            if (converting_) {
                next_candidate();
                return Feedback::None;
            }
            return convert();
        case KeyKind::Commit: commit(); return Feedback::None;
        case KeyKind::Layout: set_layout(k.layout); return Feedback::None;
        case KeyKind::Page: next_page(max_columns); return Feedback::None;
        case KeyKind::Done: close(); return Feedback::None;
        case KeyKind::Gap: return Feedback::None;
    }
    return Feedback::None;
}

// --- conversion -------------------------------------------------------------------------------

void KanaKeyboard::sanitize(std::vector<Segment>& segs) const {
    for (auto& s : segs) {
        std::vector<std::string> keep;
        std::string chosen = s.chosen >= 0 && static_cast<std::size_t>(s.chosen) < s.candidates.size()
                                 ? s.candidates[static_cast<std::size_t>(s.chosen)]
                                 : std::string();
        auto add = [&](const std::string& c) {
            if (c.empty() || beyond_bmp_or_control(c)) return;
            if (std::find(keep.begin(), keep.end(), c) != keep.end()) return;
            keep.push_back(c);
        };
        for (const auto& c : s.candidates) add(c);
        // The kana themselves are always there to pick.
        add(s.reading);
        add(hiragana_to_katakana(s.reading));
        s.candidates = std::move(keep);
        auto it = std::find(s.candidates.begin(), s.candidates.end(), chosen);
        s.chosen = it == s.candidates.end() ? 0 : static_cast<int>(it - s.candidates.begin());
    }
}

Feedback KanaKeyboard::convert() {
    feedback_ = Feedback::None;
    if (!composing()) return Feedback::None;
    if (!converter_ready()) return feedback_ = Feedback::NoConverter;
    std::vector<Segment> segs = converter_->convert(katakana_to_hiragana(utf8::encode(comp_)));
    if (segs.empty()) return feedback_ = Feedback::NoConverter;
    sanitize(segs);
    // Nothing but the kana themselves (hiragana, katakana) in every segment: no conversion
    // to offer. The kana stay composed as typed and the resident is told.
    const bool any_word = std::any_of(segs.begin(), segs.end(), [](const Segment& s) {
        const std::string kata = hiragana_to_katakana(s.reading);
        return std::any_of(s.candidates.begin(), s.candidates.end(),
                           [&](const std::string& c) { return c != s.reading && c != kata; });
    });
    if (!any_word) return feedback_ = Feedback::NoCandidates;
    segs_ = std::move(segs);
    converting_ = true;
    cur_seg_ = 0;
    changed();
    return Feedback::None;
}

void KanaKeyboard::commit() {
    if (!composing()) return;
    std::u32string s = converting_ ? utf8::decode(composition()) : comp_;
    converting_ = false;
    segs_.clear();
    cur_seg_ = 0;
    comp_.clear();
    comp_cursor_ = 0;
    // A candidate longer than its reading must still respect the field's limit.
    if (text_.size() + s.size() > spec_.max_length)
        s.resize(spec_.max_length > text_.size() ? spec_.max_length - text_.size() : 0);
    text_.insert(cursor_, s);
    cursor_ += s.size();
    changed();
}

void KanaKeyboard::cancel_conversion() {
    if (!converting_) return;
    converting_ = false;
    segs_.clear();
    cur_seg_ = 0;
    comp_cursor_ = comp_.size();
    changed();
}

void KanaKeyboard::select_segment(int i) {
    if (!converting_ || i < 0 || i >= static_cast<int>(segs_.size())) return;
    cur_seg_ = i;
    changed();
}

void KanaKeyboard::next_segment() { select_segment(std::min(cur_seg_ + 1, static_cast<int>(segs_.size()) - 1)); }
void KanaKeyboard::prev_segment() { select_segment(std::max(cur_seg_ - 1, 0)); }

bool KanaKeyboard::resize_segment(int delta) {
    if (!converting_ || !converter_ready()) return false;
    std::vector<Segment> segs = converter_->resize(cur_seg_, delta);
    if (segs.empty()) return false;
    // Segments before the resized one keep the resident's choices.
    for (std::size_t i = 0; i < static_cast<std::size_t>(cur_seg_) && i < segs.size() && i < segs_.size(); ++i)
        if (segs[i].reading == segs_[i].reading) {
            auto& c = segs[i].candidates;
            auto it = std::find(c.begin(), c.end(), segs_[i].text());
            if (it == c.end()) it = c.insert(c.begin(), segs_[i].text());
            segs[i].chosen = static_cast<int>(it - c.begin());
        }
    sanitize(segs);
    bool same = segs.size() == segs_.size() &&
                std::equal(segs.begin(), segs.end(), segs_.begin(),
                           [](const Segment& a, const Segment& b) { return a.reading == b.reading; });
    segs_ = std::move(segs);
    if (cur_seg_ >= static_cast<int>(segs_.size())) cur_seg_ = static_cast<int>(segs_.size()) - 1;
    changed();
    return !same;
}

void KanaKeyboard::pick(int candidate) {
    if (!converting_ || segs_.empty()) return;
    Segment& s = segs_[static_cast<std::size_t>(cur_seg_)];
    if (candidate < 0 || candidate >= static_cast<int>(s.candidates.size())) return;
    s.chosen = candidate;
    if (cur_seg_ + 1 < static_cast<int>(segs_.size())) ++cur_seg_;
    changed();
}

void KanaKeyboard::next_candidate() {
    if (!converting_ || segs_.empty()) return;
    Segment& s = segs_[static_cast<std::size_t>(cur_seg_)];
    if (!s.candidates.empty()) s.chosen = (s.chosen + 1) % static_cast<int>(s.candidates.size());
    changed();
}

void KanaKeyboard::prev_candidate() {
    if (!converting_ || segs_.empty()) return;
    Segment& s = segs_[static_cast<std::size_t>(cur_seg_)];
    int n = static_cast<int>(s.candidates.size());
    if (n > 0) s.chosen = (s.chosen + n - 1) % n;
    changed();
}

// --- state ------------------------------------------------------------------------------------

std::string KanaKeyboard::text() const { return utf8::encode(text_); }

std::string KanaKeyboard::composition() const {
    if (!converting_) return utf8::encode(comp_);
    std::string s;
    for (const auto& seg : segs_) s += seg.text();
    return s;
}

void KanaKeyboard::set_cursor(std::size_t i) {
    if (composing()) return;
    cursor_ = std::min(i, text_.size());
    changed();
}

std::string KanaKeyboard::before_cursor() const { return utf8::encode(text_.substr(0, cursor_)); }
std::string KanaKeyboard::after_cursor() const { return utf8::encode(text_.substr(cursor_)); }

std::string KanaKeyboard::display_text() const { return before_cursor() + composition() + after_cursor(); }

}  // namespace kyodo::app
