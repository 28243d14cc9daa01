// Japanese line breaking (app/model/line_break.h) with fixed advances: every CJK character
// 1 px wide, ASCII 0.5 px, so a width of N holds N kanji. The cases are the breaks residents
// saw in the kiosk's screenshots before (。 at a line start, 教/室, words cut mid-way).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/model/line_break.h"
#include "app/model/line_pitch.h"

using namespace kyodo::app;

namespace {

float fixed_advance(char32_t c) { return c < 0x80 ? 0.5f : 1.0f; }

std::vector<std::string> lines_of(const std::string& s, float width) {
    std::vector<std::string> out;
    for (const LineSpan& l : break_lines(s, width, fixed_advance)) out.push_back(s.substr(l.begin, l.end - l.begin));
    return out;
}

float width_of(const std::string& line) {
    float w = 0;
    for (std::size_t i = 0; i < line.size();) {
        const auto b = static_cast<unsigned char>(line[i]);
        const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        w += b < 0x80 ? 0.5f : 1.0f;
        i += n;
    }
    return w;
}

}  // namespace

TEST_CASE("line break: text that fits stays on one line; newlines always break") {
    CHECK(lines_of("ようこそ", 10) == std::vector<std::string>{"ようこそ"});
    CHECK(lines_of("一行目\n二行目", 10) == std::vector<std::string>{"一行目", "二行目"});
    CHECK(lines_of("", 10) == std::vector<std::string>{""});
    CHECK(lines_of("a\n\nb", 10) == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("line break: no line starts with closing punctuation, small kana or a long vowel mark") {
    // 8 wide: a plain cut would put 。 first on the second line.
    for (const std::string& s : {std::string("市へご意見を送る。ありがとう"), std::string("ボランティアセンター"),
                                 std::string("みなさまのちょっとした声"), std::string("「地域の協働」について")}) {
        for (float w : {3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f}) {
            const auto lines = lines_of(s, w);
            std::string joined;
            for (std::size_t i = 0; i < lines.size(); ++i) {
                CAPTURE(s);
                CAPTURE(w);
                CAPTURE(lines[i]);
                CHECK(width_of(lines[i]) <= w);
                joined += lines[i];
                if (i == 0) continue;
                // the first character of every wrapped line
                const std::string& l = lines[i];
                for (const char* bad : {"。", "、", "ー", "ッ", "ャ", "ょ", "っ", "」", "）"})
                    CHECK(l.rfind(bad, 0) != 0);
                // and no line ends with an opening bracket
                const std::string& prev = lines[i - 1];
                for (const char* bad : {"「", "（"}) {
                    const std::string b(bad);
                    CHECK((prev.size() < b.size() || prev.compare(prev.size() - b.size(), b.size(), b) != 0));
                }
            }
            CHECK(joined == s);   // nothing lost (no spaces here to drop)
        }
    }
}

TEST_CASE("line break: breaks fall after punctuation and between phrases, not inside words") {
    // After 、 rather than a full line that cuts 募集.
    CHECK(lines_of("地域の協働事業、ボランティア募集", 9) ==
          std::vector<std::string>{"地域の協働事業、", "ボランティア募集"});
    // Hiragana particle then a kanji word: break before the word (料理|教室 stays whole).
    CHECK(lines_of("子どもの料理教室", 5) == std::vector<std::string>{"子どもの", "料理教室"});
    // Digits stay with their counter: 12月 is never split as 1|2月 or 12|月.
    for (const auto& l : lines_of("令和8年12月2日に開きます", 6)) {
        CAPTURE(l);
        CHECK((l.find("12") != std::string::npos || l.find('1') == std::string::npos));
    }
}

TEST_CASE("line break: a paragraph does not end with a line of one character") {
    const auto lines = lines_of("職員用の暗証番号を入力してください", 7);
    REQUIRE(lines.size() >= 2);
    CHECK(lines.back() != "い");
    CHECK(width_of(lines.back()) >= 2);
    // 。 may not start a line and does not count as a character of its own: 室。 alone
    // would be a widow, so the break moves back to before the word.
    CHECK(lines_of("子どもの料理教室。", 8) == std::vector<std::string>{"子どもの", "料理教室。"});
}

TEST_CASE("line break: Latin words are kept whole and spaces are dropped at a break") {
    CHECK(lines_of("Find community projects", 5) == std::vector<std::string>{"Find", "community", "projects"});
    // A phone number or an address never splits.
    CHECK(lines_of("電話 083-922-0000", 8) == std::vector<std::string>{"電話", "083-922-0000"});
    // One word wider than the line is cut, and nothing is lost.
    const auto lines = lines_of("abcdefghijklmnop", 2);
    std::string joined;
    for (const auto& l : lines) {
        CHECK(width_of(l) <= 2);
        joined += l;
    }
    CHECK(joined == "abcdefghijklmnop");
}

TEST_CASE("line break: broken UTF-8 and a width smaller than one character lose nothing") {
    const std::string bad = std::string("あ\xE3\x81") + "い\xFFう";
    std::string joined;
    for (const auto& l : break_lines(bad, 1.0f, fixed_advance)) joined += bad.substr(l.begin, l.end - l.begin);
    CHECK(joined == bad);
    // Overlong encodings of a tab and a newline (the fuzzer's find, CI 2026-12-07) are not
    // blanks or breaks: their bytes stay in the lines, even one character a line.
    const std::string overlong = std::string("a\xC0\x89") + "b\xC0\x8A" + "c\xE0\x80\x89" + "d\xED\xA0\x80";
    for (const float w : {0.0f, 0.5f, 1.0f, 100.0f}) {
        std::string all;
        for (const auto& l : break_lines(overlong, w, fixed_advance)) all += overlong.substr(l.begin, l.end - l.begin);
        CHECK(all == overlong);
    }
    const auto tiny = lines_of("あいう", 0.5f);   // each character on its own line
    CHECK(tiny == std::vector<std::string>{"あ", "い", "う"});
    CHECK(wrap_lines("あいうえお", 2, fixed_advance) == "あい\nうえ\nお");
}

TEST_CASE("line break: the kinsoku classes") {
    CHECK(kinsoku_no_line_start(U'。'));
    CHECK(kinsoku_no_line_start(U'ー'));
    CHECK(kinsoku_no_line_start(U'ゃ'));
    CHECK(kinsoku_no_line_start(U'々'));
    CHECK_FALSE(kinsoku_no_line_start(U'あ'));
    CHECK(kinsoku_no_line_end(U'「'));
    CHECK(kinsoku_no_line_end(U'（'));
    CHECK_FALSE(kinsoku_no_line_end(U'」'));
}

// The per-frame cache (issue 9 point 9): the kiosk measures and then draws every text each
// frame; the second time, and every later frame, comes from the cache.
TEST_CASE("line break cache: a hit for the same text, font, size and width; a miss when any changes") {
    LineBreakCache cache(8);
    int calls = 0;
    const AdvanceFn counted = [&](char32_t c) {
        ++calls;
        return fixed_advance(c);
    };
    const std::string s = "図書室の開館時間を延ばしてほしいです。";
    int font_a = 0, font_b = 0;
    const std::string& first = cache.wrapped(s, &font_a, 30, 5, counted);
    CHECK(first == wrap_lines(s, 5, fixed_advance));
    const int after_first = calls;
    CHECK(after_first > 0);
    CHECK(cache.wrapped(s, &font_a, 30, 5, counted) == first);
    CHECK(calls == after_first);   // no breaking the second time
    CHECK(cache.hits() == 1);
    CHECK(cache.misses() == 1);
    // Any part of the key changes the answer.
    CHECK(cache.wrapped(s, &font_a, 30, 7, counted) == wrap_lines(s, 7, fixed_advance));
    CHECK(cache.wrapped(s, &font_b, 30, 5, counted) == first);
    CHECK(cache.wrapped(s, &font_a, 36, 5, counted) == first);
    CHECK(cache.misses() == 4);
    // Spans for text_clipped come from the same entry.
    const auto& spans = cache.lines(s, &font_a, 30, 5, counted);
    REQUIRE(spans.size() == break_lines(s, 5, fixed_advance).size());
    CHECK(cache.misses() == 4);
}

TEST_CASE("line break cache: bounded, and cleared when the fonts change") {
    LineBreakCache cache(4);
    int font = 0;
    for (int i = 0; i < 50; ++i) cache.wrapped("テキスト" + std::to_string(i), &font, 30, 3, fixed_advance);
    CHECK(cache.size() <= 8);   // two generations of at most `capacity`
    // The most recent texts are still there.
    const auto misses = cache.misses();
    cache.wrapped("テキスト49", &font, 30, 3, fixed_advance);
    CHECK(cache.misses() == misses);
    cache.clear();
    CHECK(cache.size() == 0);
    cache.wrapped("テキスト49", &font, 30, 3, fixed_advance);
    CHECK(cache.misses() == misses + 1);
}

TEST_CASE("line break cache: capacity 0 keeps nothing (the benchmark's before)") {
    LineBreakCache cache(0);
    int font = 0;
    const std::string s = "市民活動支援センターの講座";
    CHECK(cache.wrapped(s, &font, 30, 4, fixed_advance) == wrap_lines(s, 4, fixed_advance));
    CHECK(cache.wrapped(s, &font, 30, 4, fixed_advance) == wrap_lines(s, 4, fixed_advance));
    CHECK(cache.misses() == 2);
    CHECK(cache.size() == 0);
}

TEST_CASE("line break: splits_word tells a break inside a word from one between words") {
    auto splits = [](const std::string& s, float width) { return splits_word(s, break_lines(s, width, fixed_advance)); };
    CHECK(splits("パブリックコメント", 7));        // パブリックコメ/ント (a start tile at 特大)
    CHECK_FALSE(splits("パブリックコメント", 9));  // one line
    CHECK(splits("ご意見箱", 3));
    CHECK_FALSE(splits("部屋・機器・相談の予約", 9));   // after the の: between phrases
    CHECK_FALSE(splits("Public comment", 8));       // at the space
    CHECK(splits("Volunteering", 4));                // a Latin word wider than the line
    CHECK_FALSE(splits("一行目\n二行目", 10));      // a newline is not a split
    // A button's arrow stays with its word (the phone header at 特大 drew "‹" / "Back").
    CHECK(splits("‹ Back", 3));
    CHECK(splits("次へ ›", 2));
    CHECK_FALSE(splits("‹ Back", 4));
    CHECK(splits("‹ もどる", 3));                     // ‹ / もどる
    CHECK_FALSE(splits("文字・言語", 3));             // 文字・/言語: after the ・, between words
}

// Issue 9 point 8: paragraphs were drawn one font size apart (~1.05 times the glyphs' height).
// Running text is 1.5 sizes apart; titles and labels stay at the size; a one-line text is as
// tall as before (no leading under the last line); furigana lines keep their band.
TEST_CASE("line pitch: running text is drawn 1.5 sizes apart, labels one size apart") {
    const std::string para = "市民と行政が協働して地域の課題を解決するための事業です。どなたでも参加できます。";
    const std::vector<LineSpan> lines = break_lines(para, 12, fixed_advance);
    REQUIRE(lines.size() >= 3);
    for (float size : {25.0f, 30.0f, 42.0f}) {
        CAPTURE(size);
        for (std::size_t i = 1; i < lines.size(); ++i)
            CHECK(line_top(i, size, TextRole::Body) - line_top(i - 1, size, TextRole::Body) >= 1.5f * size);
        CHECK(block_height(lines.size(), size, TextRole::Body) ==
              doctest::Approx(size + 1.5f * size * static_cast<float>(lines.size() - 1)));
        CHECK(block_height(1, size, TextRole::Body) == doctest::Approx(size));
        CHECK(block_height(0, size, TextRole::Body) == doctest::Approx(size));
        CHECK(line_pitch(size, TextRole::Label) < line_pitch(size, TextRole::Body));
        CHECK(block_height(lines.size(), size, TextRole::Label) == doctest::Approx(size * static_cast<float>(lines.size())));
        // With furigana: the text and its band, never closer than 1.5 sizes.
        CHECK(ruby_line_pitch(size, 2.0f, TextRole::Body) >= 1.5f * size);
        CHECK(ruby_line_pitch(size, size * 0.6f, TextRole::Body) == doctest::Approx(size * 1.6f));
    }
}
