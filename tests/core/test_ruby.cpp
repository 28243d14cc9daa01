#include <doctest/doctest.h>

#include "core/codec.h"
#include "core/ruby.h"

using namespace kyodo;

TEST_CASE("ruby: parse the 青空文庫 notation, with and without ｜") {
    auto segs = parse_ruby("夏祭《なつまつ》りの防災《ぼうさい》訓練");
    REQUIRE(segs.size() == 4);
    CHECK(segs[0] == RubySegment{"夏祭", "なつまつ"});
    CHECK(segs[1] == RubySegment{"りの", ""});
    CHECK(segs[2] == RubySegment{"防災", "ぼうさい"});
    CHECK(segs[3] == RubySegment{"訓練", ""});
    CHECK(ruby_plain(segs) == "夏祭りの防災訓練");
    CHECK(ruby_reading(segs) == "なつまつりのぼうさい訓練");

    // Without ｜ the base is the kanji run before 《; with it, exactly what follows ｜.
    segs = parse_ruby("大殿地区《おおどのちく》");
    REQUIRE(segs.size() == 1);
    CHECK(segs[0].text == "大殿地区");
    segs = parse_ruby("大殿｜地区《ちく》");
    REQUIRE(segs.size() == 2);
    CHECK(segs[0] == RubySegment{"大殿", ""});
    CHECK(segs[1] == RubySegment{"地区", "ちく"});
    segs = parse_ruby("|NPO《えぬぴーおー》法人");
    REQUIRE(segs.size() == 2);
    CHECK(segs[0] == RubySegment{"NPO", "えぬぴーおー"});

    // Malformed annotations stay plain text: nothing is lost or invented.
    for (const char* bad : {"防災《ぼうさい", "《よみ》だけ", "かな《かな》", "防災《》", "｜《よみ》"}) {
        CAPTURE(bad);
        const auto s = parse_ruby(bad);
        CHECK(ruby_plain(s) == bad);
        for (const auto& x : s) CHECK(x.reading.empty());
    }
}

TEST_CASE("ruby: format is canonical and round-trips") {
    const std::vector<RubySegment> segs = {{"夏祭", "なつまつ"}, {"りの", ""}, {"防災", "ぼうさい"},
                                           {"訓練", "くんれん"}, {"と", ""}, {"NPO", "えぬぴーおー"}};
    const std::string text = format_ruby(segs);
    // 訓練 follows another annotation (no kanji run to merge with): no ｜ needed; a Latin base needs one.
    CHECK(text == "夏祭《なつまつ》りの防災《ぼうさい》訓練《くんれん》と｜NPO《えぬぴーおー》");
    CHECK(parse_ruby(text) == segs);
    // A base right after plain kanji must be marked, or the bare form would swallow them.
    const std::vector<RubySegment> after_kanji = {{"大殿", ""}, {"地区", "ちく"}};
    CHECK(format_ruby(after_kanji) == "大殿｜地区《ちく》");
    CHECK(parse_ruby(format_ruby(after_kanji)) == after_kanji);
}

TEST_CASE("ruby: readings are used only for the text they annotate") {
    CHECK(ruby_matches("防災訓練", ""));
    CHECK(ruby_matches("防災訓練", "防災《ぼうさい》訓練《くんれん》"));
    CHECK_FALSE(ruby_matches("防災訓練（中止）", "防災《ぼうさい》訓練《くんれん》"));
    auto s = ruby_for("防災訓練（中止）", "防災《ぼうさい》訓練《くんれん》");
    REQUIRE(s.size() == 1);
    CHECK(s[0] == RubySegment{"防災訓練（中止）", ""});
    CHECK(ruby_for("", "").empty());
    CHECK(has_kanji("大殿々"));
    CHECK_FALSE(has_kanji("ぼうさい NPO"));
}

TEST_CASE("ruby: an activity's furigana travels in extra.furigana only when present") {
    Activity a;
    a.id = "a1";
    a.title = "防災訓練";
    Json j = to_json(a);
    CHECK_FALSE(j["extra"].contains("furigana"));   // catalogs without readings are unchanged
    CHECK(furigana_of(a).empty());
    Furigana f;
    f.title = "防災《ぼうさい》訓練《くんれん》";
    set_furigana(a, f);
    j = to_json(a);
    CHECK(j["extra"]["furigana"] == Json{{"title", "防災《ぼうさい》訓練《くんれん》"}});
    CHECK(furigana_of(activity_from_json(j)) == f);
    set_furigana(a, Furigana{});
    CHECK_FALSE(a.extra.contains("furigana"));
    a.extra["furigana"] = "x";   // malformed: no readings, never an error
    CHECK(furigana_of(a).empty());
}
