// Strict UTF-8 (RFC 3629): every limit in the validator counts code points, and the
// kiosk's font path and SQLite's FTS tokenizer both misbehave on malformed input, so
// overlongs, surrogates and values above U+10FFFF are rejected rather than repaired.
#include "core/utf8.h"

namespace kyodo::utf8 {
namespace {

// Decodes one code point at s[i]. Returns the number of bytes consumed, or 0 when the
// sequence at i is malformed (then `cp` is undefined).
std::size_t decode_one(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) { cp = b0; return 1; }
    std::size_t n;
    char32_t min;
    if (b0 >= 0xC2 && b0 <= 0xDF) { n = 2; cp = b0 & 0x1F; min = 0x80; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) { n = 3; cp = b0 & 0x0F; min = 0x800; }
    else if (b0 >= 0xF0 && b0 <= 0xF4) { n = 4; cp = b0 & 0x07; min = 0x10000; }
    else return 0;   // continuation byte as lead, C0/C1 (always overlong), F5..FF
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min) return 0;                       // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;   // UTF-16 surrogate
    if (cp > 0x10FFFF) return 0;
    return n;
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Half-width katakana U+FF61..U+FF9F to their full-width forms (JIS X 0201 order).
constexpr char16_t kHalfwidthKana[] = {
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2,                  // ｡｢｣､･ｦ
    0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7,  // ｧｨｩｪｫｬｭｮ
    0x30C3, 0x30FC,                                                  // ｯｰ
    0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA,                          // ｱｲｳｴｵ
    0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3,                          // ｶｷｸｹｺ
    0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD,                          // ｻｼｽｾｿ
    0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8,                          // ﾀﾁﾂﾃﾄ
    0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE,                          // ﾅﾆﾇﾈﾉ
    0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB,                          // ﾊﾋﾌﾍﾎ
    0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2,                          // ﾏﾐﾑﾒﾓ
    0x30E4, 0x30E6, 0x30E8,                                          // ﾔﾕﾖ
    0x30E9, 0x30EA, 0x30EB, 0x30EC, 0x30ED,                          // ﾗﾘﾙﾚﾛ
    0x30EF, 0x30F3, 0x309B, 0x309C,                                  // ﾜﾝﾞﾟ
};
static_assert(sizeof(kHalfwidthKana) / sizeof(kHalfwidthKana[0]) == 0xFF9F - 0xFF61 + 1);

bool takes_dakuten(char32_t k) {   // カ..ド, ハ..ボ (full-width katakana, unvoiced forms)
    return (k >= 0x30AB && k <= 0x30C1 && (k - 0x30AB) % 2 == 0) || k == 0x30C4 || k == 0x30C6 ||
           k == 0x30C8 ||
           (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) || k == 0x30A6;
}

}  // namespace

bool valid(std::string_view s) {
    char32_t cp;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = decode_one(s, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t length(std::string_view s) {
    if (!valid(s)) return s.size();
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    char32_t cp;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = decode_one(s, i, cp);
        if (n == 0) {
            out += U'\uFFFD';
            ++i;   // resynchronise on the next byte
        } else {
            out += cp;
            i += n;
        }
    }
    return out;
}

std::string encode(char32_t cp) {
    std::string out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = U'\uFFFD';
    append(out, cp);
    return out;
}

std::string encode(const std::u32string& s) {
    std::string out;
    out.reserve(s.size() * 3);
    for (char32_t cp : s) {
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = U'\uFFFD';
        append(out, cp);
    }
    return out;
}

std::string truncate(std::string_view s, std::size_t n) {
    std::size_t i = 0, count = 0;
    char32_t cp;
    while (i < s.size() && count < n) {
        const std::size_t len = decode_one(s, i, cp);
        i += len ? len : 1;
        ++count;
    }
    return std::string(s.substr(0, i));
}

bool has_control(std::string_view s, bool multi_line) {
    // Walks the code points in place (no decoded copy: the server checks every text field
    // of every pushed record). A malformed byte counts as U+FFFD, as decode() makes it.
    for (std::size_t i = 0; i < s.size();) {
        char32_t c;
        std::size_t n = decode_one(s, i, c);
        if (n == 0) {
            c = U'\uFFFD';
            n = 1;
        }
        i += n;
        if (multi_line && (c == U'\n' || c == U'\t')) continue;
        // CRLF from a browser <textarea> (the server's mobile pages) is still a newline.
        if (multi_line && c == U'\r' && i < s.size() && s[i] == '\n') continue;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true;
        // Bidi overrides and line/paragraph separators can disguise or break text shown
        // to staff; treat them as control characters too.
        if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
            c == 0x2029)
            return true;
    }
    return false;
}

bool has_beyond_bmp(std::string_view s) {
    for (char32_t c : decode(s))
        if (c > 0xFFFF) return true;
    return false;
}

std::string fold_for_search(std::string_view s) {
    const std::u32string in = decode(s);
    std::u32string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char32_t c = in[i];
        if (c >= 0xFF01 && c <= 0xFF5E) {
            c -= 0xFEE0;                 // full-width ASCII
        } else if (c == 0x3000) {
            c = U' ';                    // ideographic space: a term separator like ' '
        } else if (c >= 0xFF61 && c <= 0xFF9F) {
            c = kHalfwidthKana[c - 0xFF61];
            // Half-width text spells voiced kana as two characters (ｶﾞ); join them.
            if (i + 1 < in.size() && in[i + 1] == 0xFF9E && takes_dakuten(c)) {
                c = (c == 0x30A6) ? 0x30F4 : c + 1;
                ++i;
            } else if (i + 1 < in.size() && in[i + 1] == 0xFF9F && c >= 0x30CF && c <= 0x30DB &&
                       (c - 0x30CF) % 3 == 0) {
                c += 2;
                ++i;
            }
        }
        if (c >= 0x30A1 && c <= 0x30F6) c -= 0x60;   // katakana → hiragana
        if (c >= U'A' && c <= U'Z') c += 0x20;
        out += c;
    }
    return encode(out);
}

void pop_back(std::string& s) {
    if (s.empty()) return;
    std::size_t i = s.size() - 1;
    // Step back over continuation bytes (at most 3) to the lead byte.
    while (i > 0 && s.size() - i < 4 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    s.erase(i);
}

}  // namespace kyodo::utf8
