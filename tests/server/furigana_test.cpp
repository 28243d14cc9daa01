// Furigana made at publish time (server/furigana.cpp): MeCab + IPADIC readings for every
// kanji run, okurigana split off, the text given back exactly, corrections kept.
#include <doctest/doctest.h>

#include "core/ruby.h"
#include "server/furigana.h"

using namespace kyodo;
using namespace kyodo::server;

TEST_CASE("furigana: every kanji run gets its reading, kana and Latin stay as they are") {
    REQUIRE(furigana_available());   // scripts/install-deps.sh installs libmecab-dev + mecab-ipadic-utf8
    CHECK(make_furigana("夏祭りの防災訓練") == "夏《なつ》祭《まつ》りの防災《ぼうさい》訓練《くんれん》");
    CHECK(make_furigana("高齢者の見守り") == "高齢《こうれい》者《しゃ》の見守《みまも》り");
    CHECK(make_furigana("ひらがなとカタカナ NPO") == "");   // nothing to read
    CHECK(make_furigana("") == "");

    // Every kanji of a longer text is covered, and removing the readings gives it back
    // exactly (spaces, newlines, punctuation, Latin letters included).
    const std::string text = "市民団体・事業者・市でつくる実行委員会が主催します。\n雪像や NPO のスノーキャンドルで庭園を飾り、\n\n入場無料。";
    const std::string ann = make_furigana(text);
    REQUIRE_FALSE(ann.empty());
    const auto segs = parse_ruby(ann);
    CHECK(ruby_plain(segs) == text);
    for (const auto& s : segs) {
        if (!s.reading.empty()) continue;
        CAPTURE(s.text);
        CHECK_FALSE(has_kanji(s.text));
    }
    CHECK(ruby_reading(segs).find("しみんだんたい") != std::string::npos);
}

TEST_CASE("furigana: refresh keeps readings that match (staff corrections) and remakes stale ones") {
    Activity a;
    a.title = "大殿地区防災訓練";
    a.summary = "避難所を開設します";
    a.description = "ひらがなだけ";
    refresh_furigana(a);
    CHECK(ruby_matches(a.title, furigana_of(a).title));
    CHECK_FALSE(furigana_of(a).title.empty());
    CHECK(furigana_of(a).description.empty());
    // Staff correct 大殿 (IPADIC reads it おとど; the place is おおどの): kept on the next save.
    a.extra["furigana"]["title"] = "大殿《おおどの》地区《ちく》防災《ぼうさい》訓練《くんれん》";
    refresh_furigana(a);
    CHECK(furigana_of(a).title == "大殿《おおどの》地区《ちく》防災《ぼうさい》訓練《くんれん》");
    // The title changes: its reading is made again from the new text.
    a.title = "湯田地区防災訓練";
    refresh_furigana(a);
    CHECK(ruby_matches(a.title, furigana_of(a).title));
    CHECK(furigana_of(a).title.find("おおどの") == std::string::npos);
}
