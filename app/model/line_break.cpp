#include "app/model/line_break.h"

#include <string_view>

namespace kyodo::app {

namespace {

// One decoded character of the input.
struct Ch {
    char32_t cp;
    std::size_t at;    // byte offset
    std::size_t len;   // bytes
};

// Decodes UTF-8; a byte that does not start a valid sequence (overlong, surrogate or out of
// range sequences included) is one character of its own (U+FFFD), so broken input still wraps
// and every byte stays in some line.
std::vector<Ch> decode(std::string_view s) {
    std::vector<Ch> out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        std::size_t n = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
        char32_t cp = 0xFFFD;
        if (n == 1) {
            cp = b0;
        } else if (n > 1 && i + n <= s.size()) {
            cp = b0 & (0x7F >> n);
            for (std::size_t k = 1; k < n; ++k) {
                const auto b = static_cast<unsigned char>(s[i + k]);
                if ((b & 0xC0) != 0x80) { n = 0; break; }
                cp = (cp << 6) | (b & 0x3F);
            }
            // Overlong forms (C0 89 for a tab, C0 8A for a newline), surrogates and code points
            // past U+10FFFF are not UTF-8: read as blanks or breaks they would drop their bytes.
            if (n != 0 && (cp < (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u) || cp > 0x10FFFF ||
                           (cp >= 0xD800 && cp <= 0xDFFF)))
                n = 0;
            if (n == 0) cp = 0xFFFD;
        }
        if (n == 0 || i + n > s.size()) { n = 1; cp = 0xFFFD; }
        out.push_back({cp, i, n});
        i += n;
    }
    return out;
}

bool in(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }

enum class Script { Hiragana, Katakana, Kanji, Latin, Digit, Other };

Script script_of(char32_t c) {
    if (c >= U'0' && c <= U'9') return Script::Digit;
    if (c >= U'\uFF10' && c <= U'\uFF19') return Script::Digit;
    if (c < 0x80) return (c >= U'!' && c <= U'~') ? Script::Latin : Script::Other;
    if (c >= U'\u3041' && c <= U'\u309F') return Script::Hiragana;
    if ((c >= U'\u30A0' && c <= U'\u30FF') || (c >= U'\uFF66' && c <= U'\uFF9F')) return Script::Katakana;
    if ((c >= U'\u4E00' && c <= U'\u9FFF') || (c >= U'\u3400' && c <= U'\u4DBF') || c == U'\u3005' ||
        c == U'\u3006' || (c >= U'\uF900' && c <= U'\uFAFF'))
        return Script::Kanji;
    if ((c >= U'\uFF21' && c <= U'\uFF3A') || (c >= U'\uFF41' && c <= U'\uFF5A')) return Script::Latin;
    if (c >= 0x00C0 && c <= 0x024F) return Script::Latin;   // accented Latin letters
    return Script::Other;
}

// ASCII (and accented) letters, digits and the marks inside words and numbers ("e.g.",
// "083-922-0000", "kyodo@example.jp"): never broken between two of them.
bool is_word_char(char32_t c) {
    if (c >= 0x00C0 && c <= 0x024F) return true;
    return c > U' ' && c < 0x7F && !in(c, U"([{");
}

// Punctuation and closing brackets: a break right after them falls between clauses.
bool ends_clause(char32_t c) { return in(c, U"、。，．！？!?,;:・…‥）」』】〕〉》〙〗］｝)]}”’"); }

// How good a break between `prev` and `next` is (higher is better). Only called where the
// break is allowed.
float break_quality(char32_t prev, char32_t next) {
    if (is_space(prev) || is_space(next)) return 3.0f;
    if (ends_clause(prev)) return 3.0f;
    if (kinsoku_no_line_end(next)) return 2.5f;   // before an opening bracket
    const Script a = script_of(prev), b = script_of(next);
    if (a == b) return 1.0f;
    switch (a) {
    case Script::Hiragana:   // a particle or an ending, then a new word
        return (b == Script::Kanji || b == Script::Katakana || b == Script::Latin) ? 2.0f : 1.0f;
    case Script::Katakana:   // ボランティア|募集, but ボランティア|を keeps the particle close
        return b == Script::Hiragana ? 1.0f : 2.0f;
    case Script::Kanji:      // 教え|る and 地域|の are inside a phrase
        return b == Script::Hiragana ? 0.8f : 2.0f;
    case Script::Digit:      // 12|月 and 3|分 read as one
        return (b == Script::Kanji || b == Script::Katakana || b == Script::Hiragana) ? 0.5f : 1.5f;
    case Script::Latin:
        return 1.5f;
    case Script::Other:
        return 1.0f;
    }
    return 1.0f;
}

}  // namespace

bool kinsoku_no_line_start(char32_t c) {
    static constexpr std::u32string_view kSet =
        U"、。，．,.・：；？！?!:;ー－～〜…‥）」』】〕〉》〙〗］｝)]}”’％%"
        U"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶゝゞヽヾ々゛゜";
    return in(c, kSet);
}

bool kinsoku_no_line_end(char32_t c) {
    static constexpr std::u32string_view kSet = U"（「『【〔〈《〘〖［｛([{“‘￥¥＄$＃#";
    return in(c, kSet);
}

std::vector<LineSpan> break_lines(std::string_view text, float width, const AdvanceFn& advance) {
    std::vector<LineSpan> lines;
    const std::vector<Ch> ch = decode(text);
    std::vector<float> adv(ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) adv[i] = ch[i].cp == U'\n' ? 0.0f : advance(ch[i].cp);

    // A break may fall before character b (start < b): not inside a Latin word, not before a
    // character that may not start a line, not after one that may not end it.
    auto allowed = [&](std::size_t b) {
        const char32_t p = ch[b - 1].cp, n = ch[b].cp;
        if (is_space(n) || is_space(p)) return true;
        if (kinsoku_no_line_start(n) || kinsoku_no_line_end(p)) return false;
        return !(is_word_char(p) && is_word_char(n));
    };
    auto emit = [&](std::size_t from, std::size_t to) {   // character indices [from, to)
        while (to > from && (ch[to - 1].cp == U' ' || ch[to - 1].cp == U'\t')) --to;   // trailing blanks hang
        const std::size_t b = from < ch.size() ? ch[from].at : text.size();
        const std::size_t e = to > from ? ch[to - 1].at + ch[to - 1].len : b;
        lines.push_back({b, e});
    };

    std::size_t para = 0;
    while (para <= ch.size()) {
        std::size_t para_end = para;
        while (para_end < ch.size() && ch[para_end].cp != U'\n') ++para_end;
        std::size_t start = para;
        bool first = true;
        while (true) {
            if (!first)   // a wrapped line does not start with the blank it broke at
                while (start < para_end && (ch[start].cp == U' ' || ch[start].cp == U'\t')) ++start;
            first = false;
            if (start >= para_end) {
                if (start == para) emit(start, start);   // an empty paragraph is an empty line
                break;
            }
            // The longest run from start that fits; trailing blanks do not count.
            float x = 0;
            std::size_t e = start;
            while (e < para_end) {
                const bool blank = ch[e].cp == U' ' || ch[e].cp == U'\t';
                if (!blank && x + adv[e] > width && e > start) break;
                x += adv[e];
                ++e;
            }
            if (e >= para_end) {
                emit(start, para_end);
                break;
            }
            // Choose where to break in (start, e]: the best break in the right half of the
            // line, weighing how good the break is against how full it leaves the line.
            std::vector<float> fill(e - start + 1, 0.0f);
            for (std::size_t k = start; k < e; ++k) fill[k - start + 1] = fill[k - start] + adv[k];
            std::size_t best = 0;
            float best_value = -1.0f;
            std::size_t rightmost_allowed = 0;
            for (std::size_t b = e; b > start; --b) {
                if (!allowed(b)) continue;
                if (rightmost_allowed == 0) rightmost_allowed = b;
                const float ratio = width > 0 ? fill[b - start] / width : 1.0f;
                if (ratio < 0.5f) break;
                float value = 0.5f * break_quality(ch[b - 1].cp, ch[b].cp) + ratio;
                // No widows: a paragraph's last line of one character (くださ|い, 教|室。)
                // reads badly; take an earlier break when there is one.
                std::size_t rest = 0;
                for (std::size_t k = b; k < para_end && rest < 2; ++k)
                    if (!kinsoku_no_line_start(ch[k].cp) && !is_space(ch[k].cp)) ++rest;
                if (rest < 2 && e - start >= 5) value -= 1.0f;   // lines of 5+ characters only
                if (value > best_value) { best_value = value; best = b; }
            }
            if (best == 0) best = rightmost_allowed;
            if (best == 0) best = e;   // one unbreakable run wider than the line: cut it
            emit(start, best);
            start = best;
        }
        para = para_end + 1;
    }
    return lines;
}

std::string wrap_lines(std::string_view text, float width, const AdvanceFn& advance) {
    std::string out;
    out.reserve(text.size() + 16);
    const std::vector<LineSpan> lines = break_lines(text, width, advance);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) out += '\n';
        out.append(text.substr(lines[i].begin, lines[i].end - lines[i].begin));
    }
    return out;
}

std::size_t LineBreakCache::KeyHash::operator()(const KeyView& k) const {
    std::size_t h = std::hash<std::string_view>{}(k.text);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<const void*>{}(k.font));
    mix(std::hash<float>{}(k.size));
    mix(std::hash<float>{}(k.width));
    return h;
}

const LineBreakCache::Entry& LineBreakCache::find(std::string_view text, const void* font, float size, float width,
                                                  const AdvanceFn& advance) {
    if (capacity_ == 0) {   // no cache (a benchmark's "before"): broken every time
        ++misses_;
        scratch_.spans = break_lines(text, width, advance);
        scratch_.wrapped.clear();
        for (std::size_t i = 0; i < scratch_.spans.size(); ++i) {
            if (i) scratch_.wrapped += '\n';
            scratch_.wrapped.append(text.substr(scratch_.spans[i].begin, scratch_.spans[i].end - scratch_.spans[i].begin));
        }
        return scratch_;
    }
    const KeyView kv{text, font, size, width};
    if (auto it = now_.find(kv); it != now_.end()) {
        ++hits_;
        return it->second;
    }
    Entry e;
    if (auto it = old_.find(kv); it != old_.end()) {
        ++hits_;
        e = std::move(it->second);
        old_.erase(it);
    } else {
        ++misses_;
        e.spans = break_lines(text, width, advance);
        e.wrapped.reserve(text.size() + 16);
        for (std::size_t i = 0; i < e.spans.size(); ++i) {
            if (i) e.wrapped += '\n';
            e.wrapped.append(text.substr(e.spans[i].begin, e.spans[i].end - e.spans[i].begin));
        }
    }
    if (now_.size() >= capacity_) {
        old_ = std::move(now_);
        now_.clear();
    }
    return now_.emplace(Key{std::string(text), font, size, width}, std::move(e)).first->second;
}

const std::string& LineBreakCache::wrapped(std::string_view text, const void* font, float size, float width,
                                           const AdvanceFn& advance) {
    return find(text, font, size, width, advance).wrapped;
}

const std::vector<LineSpan>& LineBreakCache::lines(std::string_view text, const void* font, float size, float width,
                                                   const AdvanceFn& advance) {
    return find(text, font, size, width, advance).spans;
}

void LineBreakCache::clear() {
    now_.clear();
    old_.clear();
}

namespace {
// A button's arrow (‹ Back, 次へ ›) belongs to its word: a line that ends with ‹ or starts
// with › left it alone on a line ("‹" / "Back").
bool strands_arrow(std::string_view text, const LineSpan& line, const LineSpan& next) {
    if (line.end > line.begin && line.end <= text.size()) {
        const std::vector<Ch> l = decode(text.substr(line.begin, line.end - line.begin));
        std::size_t k = l.size();
        while (k > 0 && is_space(l[k - 1].cp)) --k;
        if (k > 0 && in(l[k - 1].cp, U"‹«")) return true;
    }
    if (next.end > next.begin && next.end <= text.size()) {
        const std::vector<Ch> n = decode(text.substr(next.begin, next.end - next.begin));
        std::size_t k = 0;
        while (k < n.size() && is_space(n[k].cp)) ++k;
        if (k < n.size() && in(n[k].cp, U"›»")) return true;
    }
    return false;
}
}  // namespace

bool splits_word(std::string_view text, const std::vector<LineSpan>& lines) {
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        if (strands_arrow(text, lines[i], lines[i + 1])) return true;
        const std::size_t end = lines[i].end, next = lines[i + 1].begin;
        if (end != next || end == 0 || end >= text.size()) continue;   // a dropped space or '\n' ended the line
        const std::vector<Ch> before = decode(text.substr(0, end));
        const std::vector<Ch> after = decode(text.substr(next, 4));
        if (before.empty() || after.empty()) continue;
        const char32_t a = before.back().cp, b = after.front().cp;
        if (is_space(a) || is_space(b) || ends_clause(a)) continue;
        const Script sa = a == U'ー' ? Script::Katakana : script_of(a);
        const Script sb = b == U'ー' ? Script::Katakana : script_of(b);
        if (sa == Script::Other || sb == Script::Other) continue;
        if (sa == sb || (sa == Script::Kanji && sb == Script::Hiragana) ||
            (is_word_char(a) && is_word_char(b)))
            return true;
    }
    return false;
}

}  // namespace kyodo::app
