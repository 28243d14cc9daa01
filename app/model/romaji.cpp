#include "app/model/romaji.h"

#include <array>
#include <unordered_map>

#include "core/utf8.h"

namespace kyodo::app {

namespace {

bool is_vowel(char32_t c) { return c == U'a' || c == U'i' || c == U'u' || c == U'e' || c == U'o'; }
bool is_letter(char32_t c) { return c >= U'a' && c <= U'z'; }

const std::unordered_map<std::u32string, std::u32string>& table() {
    static const std::unordered_map<std::u32string, std::u32string> t = [] {
        std::unordered_map<std::u32string, std::u32string> m;
        // Rows: consonant + a i u e o.
        struct Row {
            const char32_t* c;
            const char32_t* kana;   // five kana, a i u e o (U'\0' where none)
        };
        static const Row rows[] = {
            {U"", U"あいうえお"},  {U"k", U"かきくけこ"}, {U"s", U"さしすせそ"}, {U"t", U"たちつてと"},
            {U"n", U"なにぬねの"}, {U"h", U"はひふへほ"}, {U"m", U"まみむめも"}, {U"y", U"や\0ゆ\0よ"},
            {U"r", U"らりるれろ"}, {U"l", U"らりるれろ"}, {U"w", U"わ\0\0\0を"}, {U"g", U"がぎぐげご"},
            {U"z", U"ざじずぜぞ"}, {U"d", U"だぢづでど"}, {U"b", U"ばびぶべぼ"}, {U"p", U"ぱぴぷぺぽ"},
            {U"x", U"ぁぃぅぇぉ"},
        };
        const char32_t vowels[] = U"aiueo";
        for (const Row& r : rows)
            for (int v = 0; v < 5; ++v)
                if (r.kana[v]) m[std::u32string(r.c) + vowels[v]] = std::u32string(1, r.kana[v]);
        // Hepburn and other spellings.
        for (auto [k, v] : std::initializer_list<std::pair<const char32_t*, const char32_t*>>{
                 {U"shi", U"し"}, {U"chi", U"ち"}, {U"tsu", U"つ"}, {U"fu", U"ふ"}, {U"ji", U"じ"},
                 {U"fa", U"ふぁ"}, {U"fi", U"ふぃ"}, {U"fe", U"ふぇ"}, {U"fo", U"ふぉ"},
                 {U"she", U"しぇ"}, {U"che", U"ちぇ"}, {U"je", U"じぇ"}, {U"ye", U"いぇ"},
                 {U"wi", U"うぃ"}, {U"we", U"うぇ"}, {U"vu", U"ゔ"}, {U"va", U"ゔぁ"}, {U"vi", U"ゔぃ"},
                 {U"ve", U"ゔぇ"}, {U"vo", U"ゔぉ"}, {U"ti", U"ち"}, {U"tu", U"つ"}, {U"di", U"ぢ"},
                 {U"du", U"づ"}, {U"si", U"し"}, {U"zi", U"じ"}, {U"hu", U"ふ"}, {U"thi", U"てぃ"},
                 {U"dhi", U"でぃ"}, {U"xtu", U"っ"}, {U"ltu", U"っ"}, {U"xya", U"ゃ"}, {U"xyu", U"ゅ"},
                 {U"xyo", U"ょ"}, {U"n'", U"ん"}})
            m[k] = v;
        // Contracted sounds: kya kyu kyo …, sha/sya, cha/tya, ja/zya/jya.
        for (auto [c, i] : std::initializer_list<std::pair<const char32_t*, const char32_t*>>{
                 {U"ky", U"き"}, {U"gy", U"ぎ"}, {U"sy", U"し"}, {U"sh", U"し"}, {U"zy", U"じ"}, {U"j", U"じ"},
                 {U"jy", U"じ"}, {U"ty", U"ち"}, {U"ch", U"ち"}, {U"cy", U"ち"}, {U"dy", U"ぢ"}, {U"ny", U"に"},
                 {U"hy", U"ひ"}, {U"by", U"び"}, {U"py", U"ぴ"}, {U"my", U"み"}, {U"ry", U"り"}, {U"ly", U"り"}}) {
            m[std::u32string(c) + U"a"] = std::u32string(i) + U"ゃ";
            m[std::u32string(c) + U"u"] = std::u32string(i) + U"ゅ";
            m[std::u32string(c) + U"o"] = std::u32string(i) + U"ょ";
        }
        return m;
    }();
    return t;
}

// Some spelling in the table starts with `s`.
bool is_prefix(std::u32string_view s) {
    for (const auto& [k, v] : table())
        if (k.size() > s.size() && std::u32string_view(k).substr(0, s.size()) == s) return true;
    return false;
}

}  // namespace

std::u32string romaji_to_hiragana(std::u32string_view s, bool final) {
    std::u32string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char32_t c = s[i];
        if (c == U'-') {
            out += U'ー';
            ++i;
            continue;
        }
        if (!is_letter(c)) {
            out += c;
            ++i;
            continue;
        }
        // っ: a doubled consonant (not n).
        if (i + 1 < s.size() && s[i + 1] == c && !is_vowel(c) && c != U'n') {
            out += U'っ';
            ++i;
            continue;
        }
        // nn: ん, and before a vowel or y the second n starts the next kana (konnichiha →
        // こんにちは, kanna → かんな). At the end it waits for the next key.
        if (c == U'n' && i + 1 < s.size() && s[i + 1] == U'n') {
            if (i + 2 < s.size()) {
                out += U'ん';
                i += is_vowel(s[i + 2]) || s[i + 2] == U'y' ? 1 : 2;
                continue;
            }
            if (!final) {
                out += s.substr(i);
                break;
            }
            out += U'ん';
            i += 2;
            continue;
        }
        // ん: n before a consonant other than y (and m before b, m, p: shimbun, homma).
        if (c == U'n' && i + 1 < s.size() && is_letter(s[i + 1]) && !is_vowel(s[i + 1]) && s[i + 1] != U'y' &&
            s[i + 1] != U'n') {
            out += U'ん';
            ++i;
            continue;
        }
        if (c == U'm' && i + 1 < s.size() && (s[i + 1] == U'b' || s[i + 1] == U'p')) {
            out += U'ん';
            ++i;
            continue;
        }
        bool matched = false;
        for (std::size_t len = 3; len >= 1 && !matched; --len) {
            if (i + len > s.size()) continue;
            auto it = table().find(std::u32string(s.substr(i, len)));
            if (it != table().end()) {
                out += it->second;
                i += len;
                matched = true;
            }
        }
        if (matched) continue;
        const std::u32string_view rest = s.substr(i);
        if (!final && is_prefix(rest)) {   // the next key may complete it
            out += rest;
            break;
        }
        if (c == U'n' && rest.size() == 1) {   // final: a last n
            out += U'ん';
            ++i;
            continue;
        }
        out += c;   // not romaji: kept as typed
        ++i;
    }
    return out;
}

std::string romaji_to_hiragana(std::string_view latin_utf8, bool final) {
    return utf8::encode(romaji_to_hiragana(utf8::decode(latin_utf8), final));
}

}  // namespace kyodo::app
