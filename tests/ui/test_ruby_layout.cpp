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
