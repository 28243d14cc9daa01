// The dashboard and public pages, server-side: every page and permission, CSRF, cookies,
// escaping, publishing through catalog deltas, rosters with cancellation and the waitlist,
// bundle import exactly-once, CSV for Excel, and the report figures.
#include <doctest/doctest.h>

#include "server/web/html.h"
#include "server/web/reports.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

const char* const kAdminPages[] = {
    "/admin", "/admin/activities", "/admin/activities/new", "/admin/activities/act-001/edit", "/admin/roster/act-001",
    "/admin/opinions", "/admin/surveys", "/admin/surveys/srv-kyodo-2026", "/admin/comments", "/admin/proposals",
    "/admin/reports", "/admin/reports/yearly", "/admin/reports/monthly", "/admin/reports/indicators", "/admin/exports",
    "/admin/export/activities.csv", "/admin/export/signups.csv", "/admin/export/opinions.json", "/admin/fleet",
    "/admin/audit", "/admin/staff", "/admin/catalog", "/admin/catalog/centres/ohdono",
};

// POST endpoints and the least role each needs.
struct PostCase {
    const char* path;
    const char* role;   // least role allowed
};
const PostCase kPosts[] = {
    {"/admin/activities/save", "editor"},   {"/admin/activities/act-001/withdraw", "editor"},
    {"/admin/opinions/x", "editor"},        {"/admin/comments/x", "editor"},
    {"/admin/proposals/x", "editor"},       {"/admin/roster/act-001/cancel", "editor"},
    {"/admin/roster/act-001/attendance", "editor"}, {"/admin/catalog/centres/save", "editor"},
    {"/admin/fleet/import", "editor"},      {"/admin/fleet/enrol", "admin"},
    {"/admin/fleet/revoke", "admin"},       {"/admin/staff", "admin"},
};

}  // namespace

TEST_CASE("no login: every admin page redirects to the login page; public pages need none") {
    WebServer s;
    Browser b(s.port);
    for (const char* p : kAdminPages) {
        CAPTURE(p);
        auto r = b.get(p);
        REQUIRE(r);
        CHECK(r->status == 303);
        CHECK(r->get_header_value("Location").rfind("/admin/login?next=", 0) == 0);
    }
    for (const auto& pc : kPosts) {
        CAPTURE(pc.path);
        auto r = b.post(pc.path, {}, false);
        REQUIRE(r);
        CHECK(r->status == 303);
        CHECK(r->get_header_value("Location") == "/admin/login");
    }
    for (const char* p : {"/p/activities/act-001", "/p/receipt", "/p/comments/act-068", "/open/catalog.json", "/open/counts.csv",
                          "/static/dashboard.css", "/admin/login"}) {
        CAPTURE(p);
        auto r = b.get(p);
        REQUIRE(r);
        CHECK(r->status == 200);
    }
    CHECK(b.get("/p/activities/no-such")->status == 404);
}

TEST_CASE("login: cookie attributes, wrong password, login CSRF, lockout, logout") {
    WebServer s;
    Browser b(s.port);
    CHECK(b.login("admin1", "wrong-password-123") == 401);
    CHECK(b.cookie.empty());
    CHECK(b.login("nobody", "whatever-password") == 401);

    // Without the login form's double-submit token.
    auto r = b.cli.Post("/admin/login", httplib::Params{{"user", "admin1"}, {"password", kPassword}});
    REQUIRE(r);
    CHECK(r->status == 403);

    auto form = b.cli.Get("/admin/login");
    const std::string pre = Browser::set_cookie_value(form, "kyodo_login");
    CHECK(pre.find("HttpOnly") != std::string::npos);
    httplib::Headers h{{"Cookie", pre.substr(0, pre.find(';'))}};
    auto ok = b.cli.Post("/admin/login", h,
                         httplib::Params{{"csrf", Browser::find_csrf(form->body)}, {"user", "admin1"}, {"password", kPassword},
                                         {"next", "https://evil.example/"}});
    REQUIRE(ok);
    CHECK(ok->status == 303);
    CHECK(ok->get_header_value("Location") == "/admin");   // no open redirect
    const std::string sc = Browser::set_cookie_value(ok, "kyodo_session");
    CHECK(sc.find("HttpOnly") != std::string::npos);
    CHECK(sc.find("SameSite=Strict") != std::string::npos);
    CHECK(sc.find("Secure") == std::string::npos);   // plain HTTP here

    SUBCASE("five failures lock the account name for a while") {
        Browser x(s.port);
        for (int i = 0; i < 5; ++i) CHECK(x.login("editor1", "wrong-password-xx") == 401);
        CHECK(x.login("editor1") == 429);
    }
    SUBCASE("logout ends the session on the server") {
        CHECK(b.login("viewer1") == 303);
        const std::string old = b.cookie;
        CHECK(b.get("/admin")->status == 200);
        CHECK(b.post("/admin/logout", {})->status == 303);
        b.cookie = old;   // replaying the old cookie does not work
        CHECK(b.get("/admin")->status == 303);
    }
    // Audit: the login is recorded.
    bool seen = false;
    for (const auto& e : s.storage->admin().audit_log(100))
        if (e.action == "login" && e.user == "admin1") seen = true;
    CHECK(seen);
}

TEST_CASE("secure cookies under TLS settings") {
    WebServer s("", /*secure_cookies=*/true);
    Browser b(s.port);
    auto form = b.cli.Get("/admin/login");
    CHECK(Browser::set_cookie_value(form, "kyodo_login").find("; Secure") != std::string::npos);
}

TEST_CASE("every page renders for a viewer; viewers cannot edit (403), editors cannot administer") {
    WebServer s;
    s.push({signup("act-017", 1, "閲覧 太郎"), opinion("テスト")});
    Browser viewer(s.port), editor(s.port), admin(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    REQUIRE(editor.login("editor1") == 303);
    REQUIRE(admin.login("admin1") == 303);
    for (const char* p : kAdminPages) {
        CAPTURE(p);
        const std::string path = p;
        const bool admin_only = path == "/admin/audit" || path == "/admin/staff";
        const bool editor_only = path == "/admin/activities/new";
        auto r = viewer.get(p);
        REQUIRE(r);
        CHECK(r->status == (admin_only || editor_only ? 403 : 200));
        auto a = admin.get(p);
        CHECK(a->status == 200);
        if (a->get_header_value("Content-Type").find("text/html") == 0) {
            CHECK(a->body.find("<!doctype html>") == 0);
            CHECK(a->get_header_value("Content-Security-Policy").find("script-src 'none'") != std::string::npos);
        }
    }
    for (const auto& pc : kPosts) {
        CAPTURE(pc.path);
        auto v = viewer.post(pc.path, {});
        REQUIRE(v);
        CHECK(v->status == 403);
        if (std::string(pc.role) == "admin") CHECK(editor.post(pc.path, {})->status == 403);
    }
    // The CSRF token is checked on every POST, for every role.
    for (const auto& pc : kPosts) {
        CAPTURE(pc.path);
        auto r = admin.post(pc.path, {{"csrf", "forged"}}, false);
        CHECK(r->status == 403);
        CHECK(r->body.find("CSRF") != std::string::npos);
    }
    // Nothing changed through any of that.
    CHECK(s.storage->catalog_since(0)["activities"].size() == Json::parse(slurp(sample_catalog_path()))["activities"].size());
}

TEST_CASE("an opinion containing a script tag is shown as text") {
    WebServer s;
    s.push({opinion("<script>alert('x')</script> & \"quotes\"")});
    Browser b(s.port);
    REQUIRE(b.login("viewer1") == 303);
    auto r = b.get("/admin/opinions");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("<script>alert") == std::string::npos);
    CHECK(r->body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;") != std::string::npos);
    auto csv = b.get("/admin/export/opinions.csv");
    CHECK(csv->body.find("<script>alert('x')</script>") != std::string::npos);   // CSV is data, not HTML
}

TEST_CASE("publishing: create, edit and withdraw an activity bump the catalog version") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    const std::int64_t v0 = s.storage->catalog_version();
    httplib::Params p{{"is_new", "1"},         {"id", "act-web-1"},       {"kind", "event"},
                      {"title", "防災カフェ"},   {"kana", "ぼうさいかふぇ"}, {"summary", "非常食を試食しながら話します"},
                      {"description", "説明"},   {"form", "kyodo"},         {"method", "co_host"},
                      {"fields", "防災、まちづくり"}, {"department", "防災安全部防災課"}, {"organizer_ids", ""},
                      {"centre_id", "ohdono"},   {"place", "大殿地域交流センター 和室"}, {"starts_at", "2026-12-12T10:00"},
                      {"ends_at", "2026-12-12T12:00"}, {"capacity", "2"}, {"audience", "どなたでも"},
                      {"signup_opens", ""},      {"signup_closes", "2026-12-10"}, {"survey_id", ""}, {"extra", "{}"}};
    auto r = b.post("/admin/activities/save", p);
    REQUIRE(r);
    CHECK(r->status == 303);
    const std::int64_t v1 = s.storage->catalog_version();
    CHECK(v1 == v0 + 1);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["activities"].size() == 1);
    CHECK(d["activities"][0]["title"] == "防災カフェ");
    CHECK(d["activities"][0]["fields"] == Json::array({"防災", "まちづくり"}));

    // Same id again as new: refused, nothing changes.
    auto dup = b.post("/admin/activities/save", p);
    CHECK(dup->status == 400);
    CHECK(s.storage->catalog_version() == v1);

    // Bad input is shown back with a message.
    httplib::Params bad = p;
    bad.erase("is_new");
    bad.emplace("is_new", "0");
    bad.erase("capacity");
    bad.emplace("capacity", "many");
    CHECK(b.post("/admin/activities/save", bad)->status == 400);

    // Edit keeps taken, bumps the version.
    s.push({signup("act-web-1", 1, "山口 一郎")});
    httplib::Params e = p;
    e.erase("is_new");
    e.emplace("is_new", "0");
    e.erase("title");
    e.emplace("title", "防災カフェ（会場変更）");
    CHECK(b.post("/admin/activities/save", e)->status == 303);
    const std::int64_t v2 = s.storage->catalog_version();
    d = s.storage->catalog_since(v2 - 1);
    REQUIRE(d["activities"].size() == 1);
    CHECK(d["activities"][0]["title"] == "防災カフェ（会場変更）");
    CHECK(d["activities"][0]["taken"] == 1);

    CHECK(b.post("/admin/activities/act-web-1/withdraw", {})->status == 303);
    d = s.storage->catalog_since(v2);
    CHECK(d["deleted"]["activities"] == Json::array({"act-web-1"}));
    CHECK(b.get("/p/activities/act-web-1")->status == 404);

    // Centres through the JSON editor.
    Json centre = {{"id", "yuda"}, {"name", "湯田地域交流センター（改）"}, {"kana", "ゆだ"}, {"address", "サンプル"}, {"phone", ""}};
    CHECK(b.post("/admin/catalog/centres/save", {{"is_new", "0"}, {"json", centre.dump()}})->status == 303);
    CHECK(s.storage->catalog_since(s.storage->catalog_version() - 1)["centres"][0]["name"] == "湯田地域交流センター（改）");

    bool audited = false;
    for (const auto& a : s.storage->admin().audit_log(50))
        if (a.action == "publish_activity" && a.target == "act-web-1" && a.user == "editor1") audited = true;
    CHECK(audited);
}

TEST_CASE("roster: personal data decrypted and audit-logged; staff cancel moves the waitlist up; attendance") {
    WebServer s;
    // act-017 in the sample: find one with capacity, then fill it.
    Json cat = s.storage->catalog_since(0);
    std::string act;
    int cap = 0, taken = 0;
    for (const Json& a : cat["activities"])
        if (a["capacity"].get<int>() > 0 && a["capacity"].get<int>() - a["taken"].get<int>() == 1) {
            act = a["id"];
            cap = a["capacity"];
            taken = a["taken"];
            break;
        }
    REQUIRE(!act.empty());
    const Record first = signup(act, 1, "先着 一子"), waiting = signup(act, 1, "待機 二郎");
    auto res = s.push({first, waiting});
    CHECK(res.answers[0].signup_status == "confirmed");
    CHECK(res.answers[1].signup_status == "waitlisted");

    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto r = b.get("/admin/roster/" + act);
    REQUIRE(r->status == 200);
    CHECK(r->body.find("先着 一子") != std::string::npos);
    CHECK(r->body.find("待機 二郎") != std::string::npos);
    CHECK(r->body.find("キャンセル待ち") != std::string::npos);
    bool audited = false;
    for (const auto& a : s.storage->admin().audit_log(20))
        if (a.action == "view_roster" && a.target == act && a.user == "editor1") audited = true;
    CHECK(audited);

    CHECK(b.post("/admin/roster/" + act + "/attendance", {{"record", first.id}, {"attended", "1"}})->status == 303);
    const std::int64_t v = s.storage->catalog_version();
    CHECK(b.post("/admin/roster/" + act + "/cancel", {{"record", first.id}})->status == 303);
    auto rows = s.storage->admin().records(RecordQuery{"sign_up", act, "", "", "", 10});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].rec.signup_status == "cancelled");
    CHECK(rows[0].attended == 1);
    CHECK(rows[1].rec.signup_status == "confirmed");
    CHECK(s.storage->catalog_version() == v + 1);
    const Json* a = nullptr;
    Json after = s.storage->catalog_since(v);
    for (const Json& x : after["activities"])
        if (x["id"] == act) a = &x;
    REQUIRE(a);
    CHECK((*a)["taken"] == taken + 1);
    CHECK(cap >= taken + 1);

    auto csv = b.get("/admin/export/signups.csv?activity=" + act);
    CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv->body.find("待機 二郎") != std::string::npos);
    CHECK(csv->get_header_value("Content-Disposition").find("signups-" + act + ".csv") != std::string::npos);
}

TEST_CASE("public receipt page: status with receipt number and check code, cancel, first waitlisted moves up") {
    WebServer s;
    CatalogDelta d;
    Activity a;
    a.id = "ev-two";
    a.kind = ActivityKind::Event;
    a.title = "親子料理教室";
    a.capacity = 2;
    a.centre_id = "ohdono";
    d.activities.push_back(a);
    s.storage->import_catalog(d);
    const Record r1 = signup("ev-two", 2, "一番 花子", "4821"), r2 = signup("ev-two", 1, "二番 次郎", "1111"),
                 r3 = signup("ev-two", 1, "三番 三郎", "2222");
    auto res = s.push({r1, r2, r3});
    REQUIRE(res.answers[0].signup_status == "confirmed");
    REQUIRE(res.answers[1].signup_status == "waitlisted");
    const std::string receipt = res.answers[0].receipt;

    httplib::Client c("127.0.0.1", s.port);
    auto wrong = c.Post("/p/receipt", httplib::Params{{"receipt", receipt}, {"code", "0000"}});
    CHECK(wrong->status == 404);
    std::string lower = receipt;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto ok = c.Post("/p/receipt", httplib::Params{{"receipt", lower}, {"code", "4821"}});
    REQUIRE(ok->status == 200);
    CHECK(ok->body.find("確定") != std::string::npos);
    CHECK(ok->body.find("一番 花子") == std::string::npos);   // no personal data on the public page
    const std::string token = Browser::find_csrf(ok->body);   // no csrf field…
    CHECK(token.empty());
    std::smatch m;
    REQUIRE(std::regex_search(ok->body, m, std::regex("name=\"token\" value=\"([^\"]+)\"")));
    const std::string tok = m[1].str();

    // Without the signed token, or from another site: refused.
    CHECK(c.Post("/p/receipt/cancel", httplib::Params{{"receipt", receipt}, {"code", "4821"}, {"confirm", "1"}})->status == 403);
    httplib::Headers cross{{"Origin", "https://evil.example"}};
    CHECK(c.Post("/p/receipt/cancel", cross, httplib::Params{{"receipt", receipt}, {"code", "4821"}, {"token", tok}, {"confirm", "1"}})->status == 403);
    CHECK(s.storage->admin().records(RecordQuery{"sign_up", "", "", receipt, "", 1})[0].rec.signup_status == "confirmed");

    const std::int64_t v = s.storage->catalog_version();
    httplib::Headers same{{"Origin", "http://127.0.0.1:" + std::to_string(s.port)}, {"Sec-Fetch-Site", "same-origin"}};
    auto cancel = c.Post("/p/receipt/cancel", same, httplib::Params{{"receipt", receipt}, {"code", "4821"}, {"token", tok}, {"confirm", "1"}});
    REQUIRE(cancel->status == 200);
    CHECK(cancel->body.find("キャンセルしました") != std::string::npos);
    auto rows = s.storage->admin().records(RecordQuery{"sign_up", "ev-two", "", "", "", 10});
    CHECK(rows[0].rec.signup_status == "cancelled");
    CHECK(rows[1].rec.signup_status == "confirmed");   // first in line moved up
    CHECK(rows[2].rec.signup_status == "confirmed");   // and the next one still fits
    CHECK(s.storage->catalog_version() == v + 1);
    Json act = s.storage->catalog_since(v)["activities"][0];
    CHECK(act["taken"] == 2);

    // Cancelling twice: stays cancelled, no second move.
    auto again = c.Post("/p/receipt/cancel", same, httplib::Params{{"receipt", receipt}, {"code", "4821"}, {"token", tok}, {"confirm", "1"}});
    CHECK(again->status == 200);
    CHECK(s.storage->catalog_version() == v + 1);

    // Guessing codes is bounded.
    for (int i = 0; i < 8; ++i) c.Post("/p/receipt", httplib::Params{{"receipt", res.answers[1].receipt}, {"code", "9999"}});
    CHECK(c.Post("/p/receipt", httplib::Params{{"receipt", res.answers[1].receipt}, {"code", "1111"}})->status == 429);
}

TEST_CASE("storage: cancel_signup rules") {
    WebServer s;
    CatalogDelta d;
    Activity a;
    a.id = "ev-3";
    a.kind = ActivityKind::Event;
    a.title = "三人まで";
    a.capacity = 3;
    d.activities.push_back(a);
    s.storage->import_catalog(d);
    const Record big = signup("ev-3", 3, "大人数"), w1 = signup("ev-3", 2, "待ち一"), w2 = signup("ev-3", 2, "待ち二");
    s.push({big, w1, w2});
    auto& adm = s.storage->admin();
    CHECK(adm.cancel_signup("nope", "t", rfc3339_now()).error == "not_found");
    const Record op = opinion("x");
    s.push({op});
    CHECK(adm.cancel_signup(op.id, "t", rfc3339_now()).error == "not_signup");
    // Cancelling a waitlisted one changes no count.
    const std::int64_t v = s.storage->catalog_version();
    CHECK(adm.cancel_signup(w2.id, "t", rfc3339_now()).ok);
    CHECK(s.storage->catalog_version() == v);
    auto c = adm.cancel_signup(big.id, "t", rfc3339_now());
    CHECK(c.ok);
    CHECK(c.promoted_id == w1.id);
    CHECK(adm.cancel_signup(big.id, "t", rfc3339_now()).error == "already_cancelled");
    CHECK(s.storage->catalog_since(v)["activities"][0]["taken"] == 2);
}

TEST_CASE("fleet: enrol shows the token once, revoke, and a USB bundle imports exactly once") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("admin1") == 303);
    auto e = b.post("/admin/fleet/enrol", {{"kiosk", "yuda-1"}, {"centre", "yuda"}});
    REQUIRE(e->status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(e->body, m, std::regex("<p class=\"token\">([A-Za-z0-9_-]{20,})</p>")));
    CHECK(s.storage->device_by_token_hash(sha256_hex(m[1].str())).has_value());
    CHECK(b.get("/admin/fleet")->body.find(m[1].str()) == std::string::npos);   // never shown again

    const Record o1 = opinion("USBから届いた意見"), o2 = signup("act-017", 1, "USB 花子");
    Json bundle = {{"format", "kyodo-bundle/1"}, {"kiosk_id", "ohdono-1"}, {"created_at", rfc3339_now()},
                   {"records", Json::array({to_json(o1), to_json(o2)})}};
    auto r1 = web::import_bundle(*s.storage, keys(), bundle.dump());
    CHECK(r1.stored == 2);
    // Through the page (multipart), twice: duplicates only.
    httplib::MultipartFormDataItems items{{"csrf", b.csrf, "", ""}, {"bundle", bundle.dump(), "kyodo-bundle.json", "application/json"}};
    auto up = b.cli.Post("/admin/fleet/import", b.headers(), items);
    REQUIRE(up->status == 200);
    CHECK(up->body.find("新規 0 件、取込済み 2 件") != std::string::npos);
    // And the same record pushed over the network later is a duplicate too.
    CHECK(s.push({o1}).duplicate == 1);
    CHECK(s.storage->counts().records == 2);

    CHECK_THROWS_AS(web::import_bundle(*s.storage, keys(), "{\"format\":\"zip\"}"), std::invalid_argument);
    CHECK(b.post("/admin/fleet/revoke", {{"kiosk", "ohdono-1"}})->status == 303);
    CHECK(s.storage->device("ohdono-1")->revoked);
    CHECK_THROWS_AS(web::import_bundle(*s.storage, keys(), bundle.dump()), std::invalid_argument);
}

TEST_CASE("triage, 市の考え方 and proposal decisions") {
    WebServer s;
    const Record op = opinion("ベンチを増やしてほしい");
    Personal who;
    who.name = "提案 太郎";
    who.phone = "090-1234-5678";
    const Record pr = make_record(RecordKind::Proposal, {{"title", "子ども食堂"}, {"summary", "月2回"}, {"fields", {"子育て"}},
                                                         {"group_name", "なかよし会"}, {"partner_department", "子育て支援部こども育成課"}},
                                  &who);
    const Record pc = make_record(RecordKind::PublicComment, {{"draft_id", "act-068"}, {"section_id", "s2"}, {"text", "目標をもっと高く"}});
    REQUIRE(s.push({op, pr, pc}).stored == 3);
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    CHECK(b.post("/admin/opinions/" + op.id, {{"state", "in_review"}, {"department", "都市整備部公園緑地課"}, {"note", "現地確認"}})->status == 303);
    CHECK(b.post("/admin/opinions/" + op.id, {{"state", "bogus"}, {"department", ""}, {"note", ""}})->status == 403);
    auto o = s.storage->admin().records(RecordQuery{"opinion", "", "", "", "", 10})[0];
    CHECK(o.state == "in_review");
    CHECK(o.department == "都市整備部公園緑地課");
    CHECK(b.get("/admin/opinions?state=in_review")->body.find("ベンチを増やしてほしい") != std::string::npos);
    CHECK(b.get("/admin/opinions?state=closed")->body.find("ベンチを増やしてほしい") == std::string::npos);

    // Not adopted needs a reason.
    CHECK(b.post("/admin/proposals/" + pr.id, {{"state", "not_adopted"}, {"reason", " "}})->status == 303);
    CHECK(s.storage->admin().records(RecordQuery{"proposal", "", "", "", "", 10})[0].state.empty());
    CHECK(b.post("/admin/proposals/" + pr.id, {{"state", "not_adopted"}, {"reason", "既存の事業と重なるため"}})->status == 303);
    auto p = s.storage->admin().records(RecordQuery{"proposal", "", "", "", "", 10})[0];
    CHECK(p.state == "not_adopted");
    CHECK(p.note == "既存の事業と重なるため");
    CHECK(b.get("/admin/proposals")->body.find("提案 太郎") != std::string::npos);

    CHECK(b.post("/admin/comments/" + pc.id, {{"answer", "計画の中間で見直します"}})->status == 303);
    auto comments = b.get("/admin/comments")->body;
    CHECK(comments.find("第2章") != std::string::npos);
    CHECK(comments.find("計画の中間で見直します") != std::string::npos);
    // The public page shows answers only once the comment period has closed.
    httplib::Client c("127.0.0.1", s.port);
    const bool closed = web::jst_today() > "2026-12-20";
    CHECK((c.Get("/p/comments/act-068")->body.find("計画の中間で見直します") != std::string::npos) == closed);
}

TEST_CASE("CSV for Japanese Excel") {
    web::Csv c;
    c.row({"氏名", "=SUM(A1)", "a,b", "say \"hi\"", "two\nlines", "+81", "-1", "@x", "ok"});
    const std::string s = c.str();
    CHECK(s.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(s == "\xEF\xBB\xBF氏名,'=SUM(A1),\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",'+81,'-1,'@x,ok\r\n");
    CHECK(web::esc("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    CHECK(web::parse_form("a=1&b=%E5%A4%A7+%E6%AE%BF&c=")["b"] == "大 殿");
}

TEST_CASE("reports: seed 000 table from the catalog, indicators against targets, open data has no personal data") {
    WebServer s;
    const Json cat = s.storage->catalog_since(0);
    const auto t = web::yearly_table(cat);
    CHECK(t.total == static_cast<int>(cat["activities"].size()));
    int sum = 0;
    for (const auto& [f, n] : t.by_form) sum += n;
    CHECK(sum == t.total);
    CHECK(t.cells.count({Form::Kyodo, Method::JikkoIinkai}) == 1);
    CHECK(web::fiscal_year("2027-03-31") == 2026);
    CHECK(web::fiscal_year("2026-04-01") == 2026);

    // Survey: 3 respondents, 2 of them "よく/ときどき参加した" (choices 0, 1) → 66.7%.
    std::vector<Record> rs;
    for (int choice : {0, 1, 2})
        rs.push_back(make_record(RecordKind::SurveyResponse,
                                 {{"survey_id", "srv-kyodo-2026"}, {"survey_version", 1},
                                  {"answers", Json::array({{{"question_id", "q1"}, {"choice", choice}},
                                                           {{"question_id", "q4"}, {"scale", 4}},
                                                           {{"question_id", "q9"}, {"text", "<b>もっと情報を</b>"}}})}}));
    REQUIRE(s.push(rs).stored == 3);
    std::vector<Json> payloads;
    for (const auto& r : rs) payloads.push_back(r.payload);
    const auto ind = web::indicators(Json::parse(slurp(sample_catalog_path()))["indicator_targets"], payloads);
    REQUIRE(ind.size() == 4);
    CHECK(ind[0].code == "local_activity_participation");
    CHECK(ind[0].answered == 3);
    CHECK(ind[0].counted == 2);
    CHECK(ind[0].baseline == doctest::Approx(37.5));
    CHECK(ind[0].target == doctest::Approx(50.0));

    Browser b(s.port);
    REQUIRE(b.login("viewer1") == 303);
    auto yearly = b.get("/admin/reports/yearly")->body;
    CHECK(yearly.find("協働実績 <strong>" + std::to_string(t.total) + "</strong>") != std::string::npos);
    CHECK(yearly.find("A 実行委員会") != std::string::npos);
    auto survey = b.get("/admin/surveys/srv-kyodo-2026")->body;
    CHECK(survey.find("<svg class=\"chart\"") != std::string::npos);
    CHECK(survey.find("&lt;b&gt;もっと情報を&lt;/b&gt;") != std::string::npos);
    CHECK(b.get("/admin/reports/indicators")->body.find("66.7%") != std::string::npos);

    s.push({signup("act-017", 1, "個人 情報子")});
    httplib::Client c("127.0.0.1", s.port);
    for (const char* p : {"/open/catalog.json", "/open/counts.csv", "/open/counts.json", "/open/yearly.csv"}) {
        CAPTURE(p);
        auto r = c.Get(p);
        REQUIRE(r->status == 200);
        CHECK(r->body.find("個人 情報子") == std::string::npos);
        CHECK(r->body.find("083-922") == std::string::npos);
    }
    CHECK(c.Get("/open/counts.csv")->body.find("sign_up,ohdono,大殿地域交流センター") != std::string::npos);
}
