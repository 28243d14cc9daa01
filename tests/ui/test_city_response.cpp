// 市の考え方 at the kiosk as a model (issue 9 point 7): read from a draft's extra.city_response
// once city hall published it; nothing before; section titles from the draft; malformed entries
// read as far as they go.
#include <doctest/doctest.h>

#include "app/model/city_response.h"

using namespace kyodo;
using namespace kyodo::app;

namespace {

Activity draft() {
    Activity a;
    a.id = "act-draft";
    a.kind = ActivityKind::PublicComment;
    a.title = "協働推進計画（案）";
    a.extra = Json::parse(R"({"comment_from":"2026-01-05","comment_until":"2026-01-31",
        "sections":[{"id":"s1","title":"第1章 計画の考え方","text":"…"},{"id":"s2","title":"第2章 協働の原則","text":"…"}]})");
    return a;
}

}  // namespace

TEST_CASE("city response: nothing until published; then the summary and each answered comment by section") {
    Activity a = draft();
    CHECK_FALSE(city_response(a).has_value());
    a.extra["city_response"] = Json::parse(R"({"published_at":"2026-02-14T16:30:00Z","summary":"23件のご意見をいただきました。",
        "items":[{"section_id":"s2","opinion":"対等な関係とは何か書いてほしい。","answer":"第2章に説明を加えました。"},
                 {"section_id":"s-gone","opinion":"古い章への意見","answer":"反映しました。"}]})");
    auto r = city_response(a);
    REQUIRE(r.has_value());
    CHECK(r->summary == "23件のご意見をいただきました。");
    CHECK(r->published_date == "2026-02-15");   // 01:30 on the 15th in Japan
    REQUIRE(r->items.size() == 2);
    CHECK(r->items[0].section_title == "第2章 協働の原則");
    CHECK(r->items[0].answer == "第2章に説明を加えました。");
    CHECK(r->items[1].section_title == "s-gone");   // a section since removed: its id
    CHECK(r->all_text().find("対等な関係") != std::string::npos);

    // Not a draft: nothing, whatever its extra holds.
    Activity ev = a;
    ev.kind = ActivityKind::Event;
    CHECK_FALSE(city_response(ev).has_value());
}

TEST_CASE("city response: malformed entries are read as far as they go") {
    Activity a = draft();
    a.extra["city_response"] = "公開しました";
    CHECK_FALSE(city_response(a).has_value());
    a.extra["city_response"] = Json::object();
    CHECK_FALSE(city_response(a).has_value());   // neither a summary nor an item
    a.extra["city_response"] = Json::parse(R"({"published_at":"someday","items":[1,{"opinion":"意見だけ"},
        {"section_id":"s1","opinion":"計画の期間は？","answer":"10年です。"}]})");
    auto r = city_response(a);
    REQUIRE(r.has_value());
    CHECK(r->published_date.empty());
    REQUIRE(r->items.size() == 1);
    CHECK(r->items[0].section_title == "第1章 計画の考え方");
}
