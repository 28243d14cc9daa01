// Partnership agreements (issue 12 point 3): seed 003's example agreements loaded into the
// register and counted by field and kind on a date; the form with seed 003's signing flow and
// initiatives linked to projects and listings; roles and CSRF; CSV and open data.
#include <doctest/doctest.h>

#include "server/civic.h"
#include "server/web/agreements.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

const std::string kFixture = std::string(KYODO_SOURCE_DIR) + "/tests/assets/seed003_agreements.json";

}  // namespace

TEST_CASE("seed 003: the example agreements loaded and counted by field and kind on 令和6年6月1日") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    httplib::MultipartFormDataItems items{{"csrf", b.csrf, "", ""}, {"file", slurp(kFixture), "agreements.json", "application/json"}};
    auto r = b.cli.Post("/admin/agreements/import", b.headers(), items);
    REQUIRE(r);
    CHECK(r->status == 303);
    const auto all = s.storage->civic().agreements();
    REQUIRE(all.size() == 26);

    const auto n = web::count_agreements(all, "2024-06-01");
    CHECK(n.valid == 24);   // the expired one and the one under negotiation are not counted
    CHECK(n.individual == 23);
    CHECK(n.comprehensive == 1);
    CHECK(n.signed_since == 5);   // signed after 2023-06-01, as seed 003 counts 令和5年6月2日以降
    REQUIRE(n.by_field.size() == 9);
    // Disaster response first, as seed 003 says (突出して多く); the comprehensive agreement
    // counts in each of its six fields.
    CHECK(n.by_field[0].field == "災害対策");
    CHECK(n.by_field[0].individual == 8);
    CHECK(n.by_field[0].comprehensive == 1);
    CHECK(n.by_field[1].field == "地域活性化");
    CHECK(n.by_field[1].total() == 7);
    for (const auto& f : n.by_field) {
        if (f.field == "食育") CHECK(f.total() == 2);
        if (f.field == "健康") CHECK(f.total() == 3);
        if (f.field == "スポーツ") CHECK(f.total() == 1);
    }
    CHECK(web::count_agreements(all, "2019-06-01").valid == 5);

    const std::string html = b.get("/admin/agreements?date=2024-06-01")->body;
    CHECK(html.find("令和6年6月1日現在 有効な協定数 <strong id=\"valid-total\">24</strong> 件") != std::string::npos);
    CHECK(html.find("<td class=\"lbl\">災害対策</td><td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\"><strong>9</strong>") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);

    // The comprehensive agreement keeps seed 003's flow and its initiatives.
    const auto comp = s.storage->civic().agreement("agr-comp-health");
    REQUIRE(comp);
    CHECK(comp->steps.size() == 7);
    CHECK(comp->initiatives.size() == 20);
    const std::string page = b.get("/admin/agreements/agr-comp-health")->body;
    CHECK(page.find("連携事項の庁内調整") != std::string::npos);
    CHECK(page.find("value=\"2023-03-10\"") != std::string::npos);
    CHECK(page.find("薬剤師に対する災害医療セミナーの開催") != std::string::npos);

    // Open data: the counts and the register, no internal notes.
    httplib::Client c("127.0.0.1", s.port);
    auto open = c.Get("/open/agreements.json?date=2024-06-01");
    REQUIRE(open);
    const Json j = Json::parse(open->body);
    CHECK(j["valid"] == 24);
    CHECK(j["by_field"][0]["field"] == "災害対策");
    CHECK(j["agreements"].size() == 26);
    for (const Json& a : j["agreements"]) CHECK_FALSE(a.contains("note"));   // the office's internal notes stay in
    CHECK(open->body.find("数えない") == std::string::npos);
    auto csv = c.Get("/open/agreements.csv");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBFID,種類,協定名,相手方", 0) == 0);
    CHECK(csv->body.find("包括連携協定") != std::string::npos);
}

TEST_CASE("agreement form: the signing flow as dated steps, initiatives linked to a project and a listing, errors by field") {
    WebServer s;
    Project p;
    p.id = "r8-p1";
    p.fiscal_year = 2026;
    p.title = "熱中症予防の啓発";
    p.form = "kyodo";
    p.methods = {"co_host"};
    s.storage->civic().put_project(p);
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto f = b.get("/admin/agreements/new");
    REQUIRE(f);
    CHECK(f->status == 200);
    auto fields = form_fields(f->body, "/admin/agreements/save");
    fields.erase("id");
    fields.emplace("id", "agr-new");
    fields.erase("op");
    // Add an initiative row first: nothing saved, the form comes back with the row.
    auto p1 = fields;
    p1.emplace("op", "add:i");
    p1.emplace("title", "熱中症予防に関する連携協定");
    auto r = b.post_multipart("/admin/agreements/save", p1);   // the form carries its own CSRF token
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.find("name=\"i.0.title\"") != std::string::npos);
    CHECK_FALSE(s.storage->civic().agreement("agr-new").has_value());

    auto p2 = form_fields(r->body, "/admin/agreements/save");
    auto set = [&](const std::string& k, const std::string& v) {
        p2.erase(k);
        p2.emplace(k, v);
    };
    set("kind", "individual");
    set("partner_id", "org-co-drink");
    p2.emplace("fields", "健康");
    set("departments", "保健所健康推進課");
    set("status", "valid");
    set("signed_on_date", "2026-07-01");
    set("step.proposed_date", "2026-04-10");
    set("step.signed_date", "2026-07-01");
    set("i.0.title", "クーリングシェルターの普及啓発");
    set("i.0.field", "健康");
    set("i.0.date_date", "2026-08-01");
    set("i.0.project_id", "r8-p1");
    set("i.0.listing_id", "act-001");
    set("ends_on_date", "2026-06-01");   // before the signing: an error by its field
    r = b.post_multipart("/admin/agreements/save", p2);
    REQUIRE(r);
    CHECK(r->status == 400);
    const auto at = r->body.find("id=\"f-ends_on_date\"");
    REQUIRE(at != std::string::npos);
    CHECK(r->body.find("終了日が締結日より前", at) != std::string::npos);
    CHECK(r->body.find("value=\"クーリングシェルターの普及啓発\"") != std::string::npos);

    set("ends_on_date", "");
    r = b.post_multipart("/admin/agreements/save", p2);
    REQUIRE(r);
    CHECK(r->status == 303);
    const auto a = s.storage->civic().agreement("agr-new");
    REQUIRE(a);
    CHECK(a->partner.org_id == "org-co-drink");
    CHECK(a->partner.name == "サンプル飲料株式会社");
    REQUIRE(a->steps.size() == 2);
    CHECK(a->steps[0].step == "proposed");
    CHECK(a->steps[1].date == "2026-07-01");
    REQUIRE(a->initiatives.size() == 1);
    CHECK(a->initiatives[0].project_id == "r8-p1");
    CHECK(a->initiatives[0].listing_id == "act-001");
    CHECK(a->initiatives[0].date == "2026-08-01");

    // Roles and CSRF.
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    CHECK(viewer.get("/admin/agreements")->status == 200);
    CHECK(viewer.get("/admin/agreements/agr-new")->body.find("保存する</button>") == std::string::npos);
    CHECK(viewer.get("/admin/agreements/new")->status == 403);
    CHECK(viewer.post_multipart("/admin/agreements/save", p2)->status == 403);   // p2 has the editor's token
    p2.erase("csrf");
    CHECK(b.post_multipart("/admin/agreements/save", p2)->status == 403);
    CHECK(b.post("/admin/agreements/agr-new/delete", {})->status == 403);   // admin only
    Browser admin(s.port);
    REQUIRE(admin.login("admin1") == 303);
    CHECK(admin.post("/admin/agreements/agr-new/delete", {})->status == 303);
    CHECK(s.storage->civic().agreements().empty());
}
