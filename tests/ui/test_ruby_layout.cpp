// Furigana on the kiosk (issue 9 point 5): layout keeps each ruby base whole and wide enough
// for its reading; the switch defaults to on in やさしい日本語.
#include <doctest/doctest.h>

#include "app/model/display_settings.h"
#include "app/model/ruby_layout.h"

using namespace kyodo;
using namespace kyodo::app;

namespace {
// Fixed advances: 20 px a character at the base size, 10 px at the reading's.
const AdvanceFn kBase = [](char32_t c) { return c < 0x80 ? 10.0f : 20.0f; };
const AdvanceFn kSmall = [](char32_t c) { return c < 0x80 ? 5.0f : 10.0f; };

std::string line_text(const RubyLine& l) {
    std::string s;
    for (const auto& p : l.pieces) s += p.ruby.empty() ? p.text : "[" + p.text + "|" + p.ruby + "]";
    return s;
}
}  // namespace

TEST_CASE("ruby layout: pieces in order, widths of the wider of base and reading") {
    const auto segs = parse_ruby("夏《なつ》祭《まつ》りの防災《ぼうさい》訓練《くんれん》");
    const auto lines = layout_ruby(segs, 1000, kBase, kSmall);
    REQUIRE(lines.size() == 1);
    CHECK(line_text(lines[0]) == "[夏|なつ][祭|まつ]りの[防災|ぼうさい][訓練|くんれん]");
    const auto& p = lines[0].pieces;
    CHECK(p[0].x == 0);
    CHECK(p[0].width == 20);          // 夏 20 px, なつ 2×10 px
    CHECK(p[2].text == "りの");
    CHECK(p[2].x == 40);
    CHECK(p[2].width == 40);
    CHECK(p[3].x == 80);
    CHECK(p[3].width == 40);          // 防災 40, ぼうさい 40
    CHECK(lines[0].width == 160);
    CHECK(lines[0].has_ruby);
    // A reading wider than its base widens the piece: 一 (20 px) read いち… wider.
    const auto wide = layout_ruby(parse_ruby("一《ひとつめ》"), 1000, kBase, kSmall);
    CHECK(wide[0].pieces[0].width == 40);
    CHECK(wide[0].pieces[0].text_width == 20);
}

TEST_CASE("ruby layout: a base is never split across lines, kinsoku still holds") {
    // 8 characters wide lines; the unit 防災 must move whole to the next line.
    const auto segs = parse_ruby("あいうえおかき防災《ぼうさい》です。");
    const auto lines = layout_ruby(segs, 160, kBase, kSmall);
    REQUIRE(lines.size() == 2);
    CHECK(line_text(lines[0]) == "あいうえおかき");
    CHECK(line_text(lines[1]) == "[防災|ぼうさい]です。");
    CHECK_FALSE(lines[0].has_ruby);
    // Without readings the same text is laid out as plain pieces.
    const auto plain = layout_ruby(ruby_for("防災訓練", ""), 1000, kBase, kSmall);
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].pieces.size() == 1);
    CHECK_FALSE(plain[0].has_ruby);
    // Newlines still end lines.
    CHECK(layout_ruby(parse_ruby("上《うえ》\n下《した》"), 1000, kBase, kSmall).size() == 2);
}

TEST_CASE("furigana switch: やさしい日本語 turns it on by default, the resident decides") {
    DisplaySettings d;
    CHECK_FALSE(d.show_furigana());
    d.lang = Lang::EasyJa;
    CHECK(d.show_furigana());
    d.furigana = FuriganaMode::Off;
    CHECK_FALSE(d.show_furigana());
    d.lang = Lang::En;
    d.furigana = FuriganaMode::On;
    CHECK(d.show_furigana());
    d.reset();
    CHECK(d.furigana == FuriganaMode::Auto);
}

namespace {
Activity with_readings(const std::string& title, const std::string& annotated_title) {
    Activity a;
    a.id = "a1";
    a.title = title;
    Furigana f;
    f.title = annotated_title;
    f.summary = "市民《しみん》";
    set_furigana(a, f);
    return a;
}
}  // namespace

TEST_CASE("furigana drawn: the activity's readings when on, none when off or missing") {
    const Activity a = with_readings("防災訓練", "防災《ぼうさい》訓練《くんれん》");
    CHECK(readings_to_draw(a, RubyField::Title, true) == "防災《ぼうさい》訓練《くんれん》");
    CHECK(readings_to_draw(a, RubyField::Summary, true) == "市民《しみん》");
    CHECK(readings_to_draw(a, RubyField::Title, false).empty());   // the switch off: nothing drawn
    CHECK(readings_to_draw(a, RubyField::Description, true).empty());   // no readings for it
    Activity bare;
    bare.title = "防災訓練";
    CHECK(readings_to_draw(bare, RubyField::Title, true).empty());
    bare.extra = Json::object({{"furigana", "not an object"}});
    CHECK(readings_to_draw(bare, RubyField::Title, true).empty());
}

TEST_CASE("furigana layout cache: laid out once per (text, readings, font, size, width); stale readings draw none") {
    RubyLayoutCache cache(8);
    const Activity a = with_readings("防災訓練", "防災《ぼうさい》訓練《くんれん》");
    const std::string_view r = readings_to_draw(a, RubyField::Title, true);
    const int font = 0;
    const RubyText& t = cache.layout(a.title, r, &font, 20, 1000, 0, kBase, kSmall);
    CHECK(t.has_ruby);
    REQUIRE(t.lines.size() == 1);
    CHECK(line_text(t.lines[0]) == "[防災|ぼうさい][訓練|くんれん]");
    CHECK(t.lines[0].pieces[0].ruby_width == 40);   // ぼうさい: 4 × 10 px
    CHECK(cache.misses() == 1);
    cache.layout(a.title, r, &font, 20, 1000, 0, kBase, kSmall);
    CHECK(cache.hits() == 1);
    CHECK(cache.misses() == 1);
    // Another width, another font or other readings: laid out anew.
    cache.layout(a.title, r, &font, 20, 500, 0, kBase, kSmall);
    const int other = 0;
    cache.layout(a.title, r, &other, 20, 1000, 0, kBase, kSmall);
    CHECK(cache.misses() == 3);
    // The title was edited after its readings were made: the readings are stale, not shown.
    const RubyText& stale = cache.layout("防災訓練のお知らせ", r, &font, 20, 1000, 0, kBase, kSmall);
    CHECK_FALSE(stale.has_ruby);
    REQUIRE(stale.lines.size() == 1);
    CHECK(line_text(stale.lines[0]) == "防災訓練のお知らせ");
    // None at all.
    CHECK_FALSE(cache.layout(a.title, "", &font, 20, 1000, 0, kBase, kSmall).has_ruby);
    // Bounded: many texts later it still holds at most two generations.
    for (int i = 0; i < 40; ++i) cache.layout("防災" + std::to_string(i), "", &font, 20, 1000, 0, kBase, kSmall);
    CHECK(cache.size() <= 16);
    cache.clear();
    CHECK(cache.size() == 0);
}

TEST_CASE("furigana clipped to one line: whole ruby bases, then an ellipsis within the width") {
    // 防災《ぼうさい》訓練《くんれん》のお知らせ at 20 px a character is 200 px; 130 px allow
    // 防災 (40) and 訓練 (40), at most "の" (20) of the rest, then "…" (20).
    const auto segs = parse_ruby("防災《ぼうさい》訓練《くんれん》のお知らせ");
    auto lines = layout_ruby(segs, 130, kBase, kSmall);
    REQUIRE(lines.size() > 1);
    clip_ruby_lines(lines, 1, 130, kBase);
    REQUIRE(lines.size() == 1);
    const std::string one = line_text(lines[0]);
    CHECK(one.rfind("[防災|ぼうさい][訓練|くんれん]", 0) == 0);
    CHECK(one.size() >= 3);
    CHECK(one.substr(one.size() - 3) == "…");
    CHECK(lines[0].width <= 130);
    CHECK(lines[0].pieces.back().x + lines[0].pieces.back().width <= 130);
    // Narrower: the second base does not fit whole with the ellipsis, so it goes.
    auto narrow = layout_ruby(segs, 70, kBase, kSmall);
    clip_ruby_lines(narrow, 1, 70, kBase);
    CHECK(line_text(narrow[0]) == "[防災|ぼうさい]…");
    // Plain text is cut character by character.
    auto plain = layout_ruby(parse_ruby("あいうえおかきくけこ"), 100, kBase, kSmall);
    clip_ruby_lines(plain, 1, 100, kBase);
    CHECK(line_text(plain[0]) == "あいうえ…");
    // Text that fits is left alone.
    auto fits = layout_ruby(segs, 1000, kBase, kSmall);
    clip_ruby_lines(fits, 1, 1000, kBase);
    CHECK(line_text(fits[0]) == "[防災|ぼうさい][訓練|くんれん]のお知らせ");
}
