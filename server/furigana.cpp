#include "server/furigana.h"

#include <mecab.h>

#include <filesystem>
#include <mutex>
#include <vector>

#include "core/ruby.h"
#include "core/utf8.h"

namespace kyodo::server {

namespace {

// One tagger for the process (MeCab's dictionary is ~50 MB mapped; a tagger is not
// thread-safe, so calls are serialised: publishing is a staff action, not a hot path).
struct Tagger {
    std::mutex mu;
    mecab_t* m = nullptr;
    Tagger() {
        // Prefer the UTF-8 IPADIC explicitly: Debian's default dictionary is an alternative
        // that may point at another dictionary (juman) whose features differ.
        const char* ipadic = "/var/lib/mecab/dic/ipadic-utf8";
        std::error_code ec;
        if (std::filesystem::exists(ipadic, ec)) m = mecab_new2((std::string("-d ") + ipadic).c_str());
        if (!m) m = mecab_new2("");
    }
    ~Tagger() {
        if (m) mecab_destroy(m);
    }
};

Tagger& tagger() {
    static Tagger t;
    return t;
}

char32_t to_hiragana(char32_t c) { return (c >= 0x30A1 && c <= 0x30F6) ? c - 0x60 : c; }

std::u32string hiragana(const std::u32string& s) {
    std::u32string out = s;
    for (auto& c : out) c = to_hiragana(c);
    return out;
}

// The reading (field 8, katakana) of a MeCab IPADIC feature string, or "" for unknown words.
std::string reading_of(const char* feature) {
    std::string f = feature ? feature : "";
    std::size_t pos = 0;
    for (int i = 0; i < 7; ++i) {
        pos = f.find(',', pos);
        if (pos == std::string::npos) return "";
        ++pos;
    }
    const std::size_t end = f.find(',', pos);
    std::string r = f.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    return r == "*" ? "" : r;
}

// Splits one word into ruby segments: runs of kanji take their part of the reading, the
// other runs (okurigana, kana inside the word) must appear in the reading as they are.
// Falls back to one segment for the whole word when the two cannot be aligned.
bool align(const std::vector<std::u32string>& runs, const std::vector<bool>& kanji, std::size_t i,
           const std::u32string& reading, std::size_t pos, std::vector<RubySegment>& out) {
    if (i == runs.size()) return pos == reading.size();
    if (!kanji[i]) {
        const std::u32string lit = hiragana(runs[i]);
        if (reading.compare(pos, lit.size(), lit) != 0) return false;
        out.push_back({utf8::encode(runs[i]), ""});
        if (align(runs, kanji, i + 1, reading, pos + lit.size(), out)) return true;
        out.pop_back();
        return false;
    }
    // A kanji run reads as at least one kana; try the shortest first (the next literal run
    // anchors it), so 見守り / みまもり gives 見守《みまも》り.
    for (std::size_t len = 1; pos + len <= reading.size(); ++len) {
        out.push_back({utf8::encode(runs[i]), utf8::encode(reading.substr(pos, len))});
        if (align(runs, kanji, i + 1, reading, pos + len, out)) return true;
        out.pop_back();
    }
    return false;
}

void word(const std::string& surface, const std::string& katakana, std::vector<RubySegment>& out) {
    const std::u32string s = utf8::decode(surface);
    bool any = false;
    for (char32_t c : s) any = any || is_kanji(c);
    if (!any || katakana.empty()) {
        out.push_back({surface, ""});
        return;
    }
    std::vector<std::u32string> runs;
    std::vector<bool> kanji;
    for (char32_t c : s) {
        const bool k = is_kanji(c);
        if (runs.empty() || kanji.back() != k) {
            runs.emplace_back();
            kanji.push_back(k);
        }
        runs.back() += c;
    }
    const std::u32string reading = hiragana(utf8::decode(katakana));
    std::vector<RubySegment> segs;
    if (align(runs, kanji, 0, reading, 0, segs)) {
        for (auto& x : segs) out.push_back(std::move(x));
    } else {
        out.push_back({surface, utf8::encode(reading)});
    }
}

// Merges adjacent plain segments (parse_ruby's canonical form).
std::vector<RubySegment> tidy(std::vector<RubySegment> in) {
    std::vector<RubySegment> out;
    for (auto& s : in) {
        if (s.text.empty()) continue;
        if (s.reading.empty() && !out.empty() && out.back().reading.empty()) out.back().text += s.text;
        else out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

bool furigana_available() {
    Tagger& t = tagger();
    return t.m != nullptr;
}

std::string make_furigana(const std::string& text) {
    if (text.empty() || !has_kanji(text) || !utf8::valid(text)) return "";
    Tagger& t = tagger();
    if (!t.m) return "";
    std::vector<RubySegment> segs;
    // Line by line: MeCab treats a newline as any other blank, and keeping lines apart
    // keeps the text's own breaks exactly where they were.
    std::lock_guard<std::mutex> lock(t.mu);
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', start), text.size());
        const std::string line = text.substr(start, nl - start);
        std::size_t done = 0;   // bytes of `line` already in segs
        if (!line.empty()) {
            const mecab_node_t* node = mecab_sparse_tonode2(t.m, line.data(), line.size());
            for (; node; node = node->next) {
                if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE || node->length == 0) continue;
                const auto at = static_cast<std::size_t>(node->surface - line.data());
                if (at < done || at + node->length > line.size()) continue;   // never expected
                if (at > done) segs.push_back({line.substr(done, at - done), ""});   // blanks MeCab skipped
                word(line.substr(at, node->length), reading_of(node->feature), segs);
                done = at + node->length;
            }
        }
        if (done < line.size()) segs.push_back({line.substr(done), ""});
        if (nl < text.size()) segs.push_back({"\n", ""});
        start = nl + 1;
    }
    segs = tidy(std::move(segs));
    // Only what reproduces the text exactly is ever returned.
    if (ruby_plain(segs) != text) return "";
    bool any = false;
    for (const auto& s : segs) any = any || !s.reading.empty();
    return any ? format_ruby(segs) : "";
}

void refresh_furigana(Activity& a) {
    auto one = [](const std::string& plain, std::string& annotated) {
        if (!annotated.empty() && ruby_matches(plain, annotated)) return;
        annotated = make_furigana(plain);
    };
    Furigana f = furigana_of(a);
    one(a.title, f.title);
    one(a.summary, f.summary);
    one(a.description, f.description);
    set_furigana(a, f);
}

}  // namespace kyodo::server
