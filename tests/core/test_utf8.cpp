#include <doctest/doctest.h>

#include "core/utf8.h"
#include "core/validate.h"

using namespace kyodo;

TEST_CASE("utf8: well-formed text is valid and counted in code points") {
    CHECK(utf8::valid(""));
    CHECK(utf8::valid("abc"));
    CHECK(utf8::valid("防災訓練"));
    CHECK(utf8::valid("𠮷野家"));
    CHECK(utf8::length("防災訓練") == 4);
    CHECK(utf8::length("a𠮷b") == 3);
    CHECK(std::string("防災訓練").size() == 12);
    CHECK(is_valid_utf8("ボランティア"));
}

TEST_CASE("utf8: broken sequences are rejected") {
    struct Case { const char* what; std::string bytes; };
    const Case cases[] = {
        {"lone continuation byte", "\x80"},
        {"continuation as lead in text", "a\xBF" "b"},
        {"truncated 2-byte", "\xC3"},
        {"truncated 3-byte", "\xE9\x98"},
        {"truncated 4-byte", "\xF0\x9F\x98"},
        {"overlong NUL (C0 80)", "\xC0\x80"},
        {"overlong slash (C1 AF)", "\xC1\xAF"},
        {"overlong 3-byte (E0 80 AF)", "\xE0\x80\xAF"},
        {"overlong 4-byte (F0 80 80 AF)", "\xF0\x80\x80\xAF"},
        {"UTF-16 surrogate high (ED A0 80)", "\xED\xA0\x80"},
        {"UTF-16 surrogate low (ED BF BF)", "\xED\xBF\xBF"},
        {"above U+10FFFF (F4 90 80 80)", "\xF4\x90\x80\x80"},
        {"F5 lead byte", "\xF5\x80\x80\x80"},
        {"FF byte", "\xFF"},
        {"FE byte", "\xFE"},
        {"bad continuation in 3-byte", "\xE9\x41\x41"},
        {"2-byte lead then ASCII", "\xC3" "A"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        CHECK_FALSE(utf8::valid(c.bytes));
        CHECK_FALSE(is_valid_utf8(c.bytes));
        CHECK(utf8::length(c.bytes) == c.bytes.size());   // documented fallback
    }
    // Boundaries that are valid.
    CHECK(utf8::valid("\xF4\x8F\xBF\xBF"));   // U+10FFFF
    CHECK(utf8::valid("\xEE\x80\x80"));       // U+E000, just after the surrogates
    CHECK(utf8::valid("\xC2\x80"));           // U+0080, the smallest 2-byte
}

TEST_CASE("utf8: decode/encode round trip and replacement") {
    const std::string s = "こんにちは、𠮷田さん!";
    CHECK(utf8::encode(utf8::decode(s)) == s);
    const auto d = utf8::decode("a\xFF" "b");
    REQUIRE(d.size() == 3);
    CHECK(d[1] == U'\uFFFD');
    CHECK(utf8::encode(U'あ') == "あ");
    CHECK(utf8::encode(char32_t(0xD800)) == "\xEF\xBF\xBD");
}

TEST_CASE("utf8: truncate and pop_back never split a character") {
    CHECK(utf8::truncate("防災訓練", 2) == "防災");
    CHECK(utf8::truncate("ab", 5) == "ab");
    CHECK(utf8::truncate("a𠮷b", 2) == "a𠮷");
    std::string s = "あい𠮷";
    utf8::pop_back(s);
    CHECK(s == "あい");
    utf8::pop_back(s);
    CHECK(s == "あ");
    utf8::pop_back(s);
    CHECK(s.empty());
    utf8::pop_back(s);   // no-op on empty
    CHECK(s.empty());
}

TEST_CASE("utf8: control characters") {
    CHECK_FALSE(utf8::has_control("普通の文", false));
    CHECK(utf8::has_control("a\nb", false));
    CHECK_FALSE(utf8::has_control("a\nb\tc", true));
    CHECK_FALSE(utf8::has_control("a\r\nb", true));
    CHECK(utf8::has_control("a\rb", true));
    CHECK(utf8::has_control(std::string("a\0b", 3), true));
    CHECK(utf8::has_control("\x1B[31m", true));
    CHECK(utf8::has_control("a\x7F", true));
    CHECK(utf8::has_control("a\xC2\x85", true));        // U+0085 NEL (C1)
    CHECK(utf8::has_control("a\xE2\x80\xAE" "b", true));  // U+202E RLO
}

TEST_CASE("utf8: beyond BMP") {
    CHECK(utf8::has_beyond_bmp("𠮷"));
    CHECK(utf8::has_beyond_bmp("😀"));
    CHECK_FALSE(utf8::has_beyond_bmp("吉野"));
}

TEST_CASE("utf8: fold_for_search") {
    CHECK(utf8::fold_for_search("ボランティア") == "ぼらんてぃあ");
    CHECK(utf8::fold_for_search("ﾎﾞﾗﾝﾃｨｱ") == "ぼらんてぃあ");
    CHECK(utf8::fold_for_search("ﾊﾟﾝ") == "ぱん");
    CHECK(utf8::fold_for_search("ｳﾞｧ") == "ゔぁ");
    CHECK(utf8::fold_for_search("ｯﾞ") == "っ゛");   // small tsu takes no dakuten
    CHECK(utf8::fold_for_search("ＮＰＯ法人") == "npo法人");
    CHECK(utf8::fold_for_search("NPO") == "npo");
    CHECK(utf8::fold_for_search("１２３") == "123");
    CHECK(utf8::fold_for_search("防災　訓練") == "防災 訓練");
    CHECK(utf8::fold_for_search("子育て") == "子育て");
    CHECK(utf8::fold_for_search("ケーキ") == "けーき");
}
