// 市の考え方 published to the kiosks (issue 9 point 7; server/web/city_response.cpp), on SQLite
// and on PostgreSQL: only once the draft's comment period has closed (409 before, said on the
// page); a summary is required (400 by its field, nothing saved); publishing puts the summary
// and every answered comment, by the draft's sections, into the draft's catalog entry
// (extra.city_response: a new catalog version the kiosks pull) without names or contact data;
// publishing again takes the answers as they are then; viewers cannot publish.
#include <doctest/doctest.h>

#include <string>

#include "server/web/html.h"
#include "web_engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

// act-068 (open until 2026-12-20 in the sample catalog) as a draft whose period closed in January.
void closed_draft(WebServer& s) {
    Json cat = s.storage->catalog_since(0);
    Json d;
    for (const Json& a : cat["activities"])
        if (a["id"] == "act-068") d = a;
    REQUIRE(d.is_object());
    d["id"] = "act-068-closed";
    d["extra"]["comment_from"] = "2026-01-05";
    d["extra"]["comment_until"] = "2026-01-31";
    d["starts_at"] = "2026-01-05";
    d["ends_at"] = "2026-01-31";
    CatalogDelta delta;
    delta.activities.push_back(activity_from_json(d));
    s.storage->import_catalog(delta);
}

Record comment(const std::string& section, const std::string& text, const Personal* who = nullptr) {
    return make_record(RecordKind::PublicComment, {{"draft_id", "act-068-closed"}, {"section_id", section}, {"text", text}}, who);
}

bool contains(const std::string& html, const std::string& s) { return html.find(s) != std::string::npos; }

Json published(WebServer& s) {
    const Json cat = s.storage->catalog_since(0);
    for (const Json& a : cat["activities"])
        if (a["id"] == "act-068-closed") return a["extra"].value("city_response", Json());
    return Json();
}

}  // namespace

TEST_CASE("市の考え方: published to the kiosks once the period has closed, summary required, answered comments by section") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        closed_draft(s);
        Personal who;
        who.name = "意見 花子";
        who.phone = "090-1111-2222";
        const Record c1 = comment("s2", "対等な関係とは何か、例を挙げてほしい。", &who);
        const Record c2 = comment("s1", "計画の期間は何年ですか。");
        const Record c3 = comment("s2", "中間の見直しを入れてほしい。");
        REQUIRE(s.push({c1, c2, c3}).stored == 3);
        Browser b(s.port);
        REQUIRE(b.login("editor1") == 303);
        CHECK(b.post("/admin/comments/" + c1.id, {{"answer", "第2章に例を加えました。"}})->status == 303);
        CHECK(b.post("/admin/comments/" + c2.id, {{"answer", "10年です。5年目に見直します。"}})->status == 303);

        // The comments page links the closed draft's page, not the open one's.
        const std::string list = b.get("/admin/comments")->body;
        CHECK(contains(list, "href=\"/admin/city-response/act-068-closed\""));
        CHECK_FALSE(contains(list, "href=\"/admin/city-response/act-068\""));
        // The open draft: said on the page; a POST is refused.
        const bool sample_open = web::jst_today() <= "2026-12-20";
        if (sample_open) {
            CHECK(contains(b.get("/admin/city-response/act-068")->body, "id=\"still-open\""));
            CHECK(b.post("/admin/city-response/act-068", {{"summary", "まとめ"}})->status == 409);
        }
        CHECK(b.get("/admin/city-response/act-999")->status == 404);

        const std::int64_t v0 = s.storage->catalog_version();
        auto page = b.get("/admin/city-response/act-068-closed");
        REQUIRE(page->status == 200);
        CHECK(contains(page->body, "市の考え方を記入したご意見: 2 件"));
        CHECK(contains(page->body, "第2章に例を加えました。"));
        CHECK_FALSE(contains(page->body, "中間の見直し"));   // not answered: not published
        auto empty = b.post("/admin/city-response/act-068-closed", {{"summary", "  "}});
        CHECK(empty->status == 400);
        CHECK(contains(empty->body, "id=\"err-summary\""));
        CHECK(s.storage->catalog_version() == v0);

        Browser viewer(s.port);
        REQUIRE(viewer.login("viewer1") == 303);
        CHECK(viewer.post("/admin/city-response/act-068-closed", {{"summary", "まとめ"}})->status == 403);
        CHECK(s.storage->catalog_version() == v0);

        const std::string summary = "3件のご意見をいただきました。\n主なご意見と市の考え方は次のとおりです。";
        CHECK(b.post("/admin/city-response/act-068-closed", {{"summary", summary}})->status == 303);
        CHECK(s.storage->catalog_version() == v0 + 1);
        Json r = published(s);
        REQUIRE(r.is_object());
        CHECK(r["summary"] == summary);
        CHECK_FALSE(r.value("published_at", "").empty());
        REQUIRE(r["items"].size() == 2);
        CHECK(r["items"][0]["section_id"] == "s1");   // the draft's section order
        CHECK(r["items"][0]["answer"] == "10年です。5年目に見直します。");
        CHECK(r["items"][1]["opinion"] == "対等な関係とは何か、例を挙げてほしい。");
        CHECK_FALSE(contains(r.dump(), "意見 花子"));
        CHECK_FALSE(contains(r.dump(), "090-1111-2222"));
        // The kiosks' catalog delta carries it.
        const Json delta = s.storage->catalog_since(v0);
        REQUIRE(delta["activities"].size() == 1);
        CHECK(delta["activities"][0]["extra"].contains("city_response"));
        CHECK(contains(b.get("/admin/comments")->body, "キオスクの市の考え方を更新する"));

        // A third answer, published again: taken as it is now.
        CHECK(b.post("/admin/comments/" + c3.id, {{"answer", "5年目に見直します。"}})->status == 303);
        CHECK(b.post("/admin/city-response/act-068-closed", {{"summary", summary}})->status == 303);
        CHECK(published(s)["items"].size() == 3);
        CHECK(s.storage->catalog_version() == v0 + 2);
    }
}
