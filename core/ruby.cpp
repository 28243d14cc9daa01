#include "core/ruby.h"

#include "core/utf8.h"

namespace kyodo {

namespace {
constexpr char32_t kBar = 0xFF5C;      // ｜
constexpr char32_t kOpen = 0x300A;     // 《
constexpr char32_t kClose = 0x300B;    // 》

void push(std::vector<RubySegment>& out, std::u32string text, std::u32string reading) {
    if (text.empty()) return;
    if (reading.empty() && !out.empty() && out.back().reading.empty()) {
        out.back().text += utf8::encode(text);
        return;
    }
    out.push_back({utf8::encode(text), utf8::encode(reading)});
}
}  // namespace

bool is_kanji(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x2FA1F) || c == 0x3005 /* 々 */ || c == 0x3006 /* 〆 */ ||
           c == 0x30F6 /* ヶ */ || c == 0x3007 /* 〇 */;
}

bool has_kanji(std::string_view s) {
    for (char32_t c : utf8::decode(s))
        if (is_kanji(c)) return true;
    return false;
}

std::vector<RubySegment> parse_ruby(std::string_view annotated) {
    const std::u32string in = utf8::decode(annotated);
    std::vector<RubySegment> out;
    std::u32string plain;   // pending plain text
    std::size_t i = 0;
    while (i < in.size()) {
        const char32_t c = in[i];
        if (c == kBar || c == U'|') {
            // ｜base《reading》: needs a 《 later with a non-empty base and a closing 》.
            const std::size_t open = in.find(kOpen, i + 1);
            const std::size_t close = open == std::u32string::npos ? open : in.find(kClose, open + 1);
            if (open != std::u32string::npos && close != std::u32string::npos && open > i + 1 && close > open + 1 &&
                in.find(kBar, i + 1) > open && in.find(U'|', i + 1) > open) {
                push(out, std::move(plain), {});
                plain.clear();
                push(out, in.substr(i + 1, open - i - 1), in.substr(open + 1, close - open - 1));
                i = close + 1;
                continue;
            }
        } else if (c == kOpen) {
            const std::size_t close = in.find(kClose, i + 1);
            std::size_t base = plain.size();
            while (base > 0 && is_kanji(plain[base - 1])) --base;
            if (close != std::u32string::npos && close > i + 1 && base < plain.size()) {
                std::u32string b = plain.substr(base);
                plain.resize(base);
                push(out, std::move(plain), {});
                plain.clear();
                push(out, std::move(b), in.substr(i + 1, close - i - 1));
                i = close + 1;
                continue;
            }
        }
        plain += c;
        ++i;
    }
    push(out, std::move(plain), {});
    return out;
}

std::string format_ruby(const std::vector<RubySegment>& segs) {
    std::string out;
    bool prev_kanji = false;   // the text written so far ends in a kanji
    for (const auto& s : segs) {
        if (s.reading.empty()) {
            out += s.text;
        } else {
            const std::u32string b = utf8::decode(s.text);
            bool all_kanji = !b.empty();
            for (char32_t c : b) all_kanji = all_kanji && is_kanji(c);
            if (!all_kanji || prev_kanji) out += "\xEF\xBD\x9C";   // ｜
            out += s.text + "\xE3\x80\x8A" + s.reading + "\xE3\x80\x8B";
        }
        const std::u32string t = utf8::decode(s.text);
        prev_kanji = !t.empty() && is_kanji(t.back()) && s.reading.empty();
        // After an annotation the next bare 《 would attach to kanji after it only.
    }
    return out;
}

std::string ruby_plain(const std::vector<RubySegment>& segs) {
    std::string out;
    for (const auto& s : segs) out += s.text;
    return out;
}

std::string ruby_reading(const std::vector<RubySegment>& segs) {
    std::string out;
    for (const auto& s : segs) out += s.reading.empty() ? s.text : s.reading;
    return out;
}

bool ruby_matches(std::string_view plain, std::string_view annotated) {
    return annotated.empty() || ruby_plain(parse_ruby(annotated)) == plain;
}

Furigana furigana_of(const Activity& a) {
    Furigana f;
    if (!a.extra.is_object()) return f;
    const auto it = a.extra.find("furigana");
    if (it == a.extra.end() || !it->is_object()) return f;
    auto get = [&](const char* k) {
        const auto v = it->find(k);
        return v != it->end() && v->is_string() ? v->get<std::string>() : std::string();
    };
    f.title = get("title");
    f.summary = get("summary");
    f.description = get("description");
    return f;
}

void set_furigana(Activity& a, const Furigana& f) {
    if (!a.extra.is_object()) a.extra = Json::object();
    if (f.empty()) {
        a.extra.erase("furigana");
        return;
    }
    Json j = Json::object();
    if (!f.title.empty()) j["title"] = f.title;
    if (!f.summary.empty()) j["summary"] = f.summary;
    if (!f.description.empty()) j["description"] = f.description;
    a.extra["furigana"] = std::move(j);
}

std::vector<RubySegment> ruby_for(std::string_view plain, std::string_view annotated) {
    if (!annotated.empty()) {
        auto segs = parse_ruby(annotated);
        if (ruby_plain(segs) == plain) return segs;
    }
    if (plain.empty()) return {};
    return {RubySegment{std::string(plain), {}}};
}

}  // namespace kyodo
