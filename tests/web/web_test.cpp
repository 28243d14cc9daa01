// The dashboard and public pages, server-side: every page and permission, CSRF, cookies,
// escaping, publishing through catalog deltas, rosters with cancellation and the waitlist,
// bundle import exactly-once, CSV for Excel, and the report figures.
#include <doctest/doctest.h>

#include "core/ruby.h"
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
    "/admin/catalog/organizations/org-city-kyodo", "/admin/catalog/surveys/srv-kyodo-2026", "/admin/activities/act-068/edit",
    "/admin/activities/act-069/edit", "/admin/activities/new?kind=public_comment", "/admin/catalog/centres/new",
    "/admin/catalog/organizations/new", "/admin/catalog/surveys/new",
};

bool editor_only_page(const std::string& path) {
    return path.rfind("/admin/activities/new", 0) == 0 || (path.rfind("/admin/catalog/", 0) == 0 && path.size() > 4 &&
                                                           path.compare(path.size() - 4, 4, "/new") == 0);
}

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
    {"/admin/catalog/organizations/save", "editor"}, {"/admin/catalog/surveys/save", "editor"},
    {"/admin/catalog/centres/delete", "editor"},     {"/admin/catalog/organizations/delete", "editor"},
    {"/admin/catalog/surveys/delete", "editor"},
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
    // Delays 30x the real ones: on a busy machine five failed logins can take longer than the
    // real 2 s delay, and the sixth then found the delay already over (303, not 429).
    WebServer s("", false, [](web::WebOptions& o) { o.throttle_time_scale = 30; });
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
        const bool editor_only = editor_only_page(path);
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
                      {"fields", "防災"},        {"fields", "まちづくり"},   {"department", "防災安全部防災課"},
                      {"centre_id", "ohdono"},   {"place", "大殿地域交流センター 和室"}, {"starts_date", "2026-12-12"},
                      {"starts_time", "10:00"},  {"ends_date", "2026-12-12"}, {"ends_time", "12:00"}, {"capacity", "2"},
                      {"audience", "どなたでも"}, {"signup_opens_date", ""}, {"signup_closes_date", "2026-12-10"}, {"survey_id", ""},
                      {"op", "save"}};
    auto r = b.post("/admin/activities/save", p);
    REQUIRE(r);
    CHECK(r->status == 303);
    const std::int64_t v1 = s.storage->catalog_version();
    CHECK(v1 == v0 + 1);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["activities"].size() == 1);
    CHECK(d["activities"][0]["title"] == "防災カフェ");
    CHECK(d["activities"][0]["fields"] == Json::array({"防災", "まちづくり"}));
    CHECK(d["activities"][0]["starts_at"] == "2026-12-12T10:00");
    CHECK(d["activities"][0]["signup_closes"] == "2026-12-10");

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
    auto kept = b.post("/admin/activities/save", bad);
    CHECK(kept->status == 400);
    CHECK(kept->body.find("name=\"capacity\" value=\"many\"") != std::string::npos);   // the typed value is shown again

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
    // The kiosk receipt's QR code opens the page with the number filled in (and nothing else).
    auto from_qr = c.Get(("/p/receipt?receipt=" + receipt).c_str());
    REQUIRE(from_qr->status == 200);
    CHECK(from_qr->body.find("value=\"" + receipt + "\"") != std::string::npos);
    auto junk = c.Get("/p/receipt?receipt=%3Cscript%3E");
    REQUIRE(junk->status == 200);
    CHECK(junk->body.find("<script>") == std::string::npos);
    CHECK(junk->body.find("name=\"receipt\" value=\"\"") != std::string::npos);
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
    // Every listing; slots and things given away are not listings (docs/lending.md).
    int listings = 0;
    for (const Json& a : cat["activities"]) listings += a.value("kind", "") != "slot" && a.value("kind", "") != "item";
    CHECK(listings < static_cast<int>(cat["activities"].size()));   // the sample catalog has slots
    CHECK(t.total == listings);
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
    REQUIRE(ind.size() == 5);   // ①–④ from the kiosk survey, ⑤ from the staff survey (targets.cpp)
    CHECK(ind[0].code == "local_activity_participation");
    CHECK(ind[0].answered == 3);
    CHECK(ind[0].counted == 2);
    CHECK(ind[0].baseline == doctest::Approx(37.5));
    CHECK(ind[0].target == doctest::Approx(50.0));

    Browser b(s.port);
    REQUIRE(b.login("viewer1") == 303);
    auto yearly = b.get("/admin/reports/yearly")->body;   // counts projects (projects_test.cpp): none registered yet
    CHECK(yearly.find("協働実績 <strong>0</strong>") != std::string::npos);
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

// --- the publishing forms -------------------------------------------------------------------

namespace {

// Opens `page` as the browser does, changes `changes`, presses the button `op` (save unless
// told) and returns the answer.
httplib::Result submit(Browser& b, const std::string& page, const std::string& action, const httplib::Params& changes,
                       const std::string& op = "save") {
    auto r = b.get(page);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    httplib::Params p = form_fields(r->body, action);
    REQUIRE(!p.empty());
    for (const auto& [k, v] : changes) set_field(p, k, v);
    set_field(p, "op", op);
    return b.post_multipart(action, p);   // the form carries its own CSRF token
}

// Re-posts the form in `html` (a re-rendered page) with one more change and button.
httplib::Result resubmit(Browser& b, const std::string& html, const std::string& action, const httplib::Params& changes,
                         const std::string& op) {
    httplib::Params p = form_fields(html, action);
    REQUIRE(!p.empty());
    for (const auto& [k, v] : changes) set_field(p, k, v);
    set_field(p, "op", op);
    return b.post_multipart(action, p);
}

// The error text shown under `field`.
std::string error_under(const std::string& html, const std::string& field) {
    const std::string id = "id=\"err-" + field + "\">";
    const auto at = html.find(id);
    if (at == std::string::npos) return "";
    return html.substr(at + id.size(), html.find("</span>", at) - at - id.size());
}

}  // namespace

TEST_CASE("publishing forms: an untouched form saves without a change, for every kind of entity") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    const std::int64_t v0 = s.storage->catalog_version();
    const std::pair<const char*, const char*> forms[] = {
        {"/admin/catalog/centres/ohdono", "/admin/catalog/centres/save"},
        {"/admin/catalog/organizations/org-city-kyodo", "/admin/catalog/organizations/save"},
        {"/admin/catalog/surveys/srv-kyodo-2026", "/admin/catalog/surveys/save"},
        {"/admin/catalog/surveys/srv-facility-2026", "/admin/catalog/surveys/save"},
        {"/admin/activities/act-001/edit", "/admin/activities/save"},
        {"/admin/activities/act-068/edit", "/admin/activities/save"},   // draft for public comment
        {"/admin/activities/act-069/edit", "/admin/activities/save"},   // call for proposals
    };
    for (const auto& page_action : forms) {   // no structured binding: clang 14 cannot CAPTURE one
        const auto& page = page_action.first;
        const auto& action = page_action.second;
        CAPTURE(page);
        auto r = submit(b, page, action, {});
        REQUIRE(r);
        CHECK(r->status == 303);
        CHECK(s.storage->catalog_version() == v0);   // the form round-trips the stored entity exactly
    }
    // Every organization and activity of the sample round-trips too (fields, organizers, dates).
    const Json cat = s.storage->catalog_since(0);
    for (const Json& a : cat["activities"]) {
        CAPTURE(a["id"].get<std::string>());
        // Slots and items are not listings: they are published and edited on their own pages
        // (docs/lending.md, docs/dashboard.md), not with the listing form.
        if (!is_listing(activity_kind_from_code(a.value("kind", "")).value_or(ActivityKind::Project))) continue;
        auto r = submit(b, "/admin/activities/" + a["id"].get<std::string>() + "/edit", "/admin/activities/save", {});
        CHECK(r->status == 303);
    }
    for (const Json& o : cat["organizations"]) {
        CAPTURE(o["id"].get<std::string>());
        CHECK(submit(b, "/admin/catalog/organizations/" + o["id"].get<std::string>(), "/admin/catalog/organizations/save", {})->status == 303);
    }
    CHECK(s.storage->catalog_version() == v0);
}

TEST_CASE("publishing forms: viewers see read-only forms and cannot save; CSRF is checked") {
    WebServer s;
    Browser viewer(s.port), editor(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    REQUIRE(editor.login("editor1") == 303);
    for (const char* p : {"/admin/catalog/centres/ohdono", "/admin/catalog/organizations/org-city-kyodo",
                          "/admin/catalog/surveys/srv-kyodo-2026", "/admin/activities/act-068/edit", "/admin/activities/act-069/edit"}) {
        CAPTURE(p);
        auto r = viewer.get(p);
        REQUIRE(r->status == 200);
        CHECK(r->body.find("保存して公開する") == std::string::npos);
        CHECK(r->body.find("name=\"op\"") == std::string::npos);   // no add / remove / move buttons either
        CHECK(r->body.find(" readonly") != std::string::npos);
        CHECK(r->body.find("削除する</button>") == std::string::npos);
    }
    const std::int64_t v0 = s.storage->catalog_version();
    // A viewer posting a well-formed form with its own valid token: refused.
    auto page = viewer.get("/admin/catalog/centres/ohdono");
    httplib::Params p = form_fields(page->body, "/admin/catalog/centres/save");
    set_field(p, "name", "閲覧者が変えた名前");
    CHECK(viewer.post_multipart("/admin/catalog/centres/save", p)->status == 403);
    // An editor without the right token: refused.
    auto ep = editor.get("/admin/catalog/surveys/srv-kyodo-2026");
    httplib::Params q = form_fields(ep->body, "/admin/catalog/surveys/save");
    set_field(q, "csrf", "forged");
    set_field(q, "title", "CSRF で変えた名前");
    auto r = editor.post_multipart("/admin/catalog/surveys/save", q);
    CHECK(r->status == 403);
    CHECK(r->body.find("CSRF") != std::string::npos);
    q.erase("csrf");
    CHECK(editor.post_multipart("/admin/catalog/surveys/save", q)->status == 403);
    CHECK(s.storage->catalog_version() == v0);
    // Not logged in: the form pages send the browser to the login page.
    Browser anon(s.port);
    for (const char* p2 : {"/admin/catalog/surveys/srv-kyodo-2026", "/admin/catalog/organizations/new", "/admin/activities/new?kind=call_for_proposals"}) {
        auto a = anon.get(p2);
        CHECK(a->status == 303);
        CHECK(a->get_header_value("Location").rfind("/admin/login?next=", 0) == 0);
    }
}

TEST_CASE("centre form: create, a validation error keeps the input, delete refused while listings use it") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    const std::int64_t v0 = s.storage->catalog_version();
    const std::string typed_name = "湯田温泉<地域>交流センター";
    auto bad = submit(b, "/admin/catalog/centres/new", "/admin/catalog/centres/save",
                      {{"id", "yuda-onsen"}, {"name", typed_name}, {"kana", "ゆだおんせん"}, {"address", "山口市湯田温泉 サンプル"},
                       {"phone", "12-34"}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(error_under(bad->body, "phone").find("電話番号") != std::string::npos);
    CHECK(bad->body.find("<a href=\"#f-phone\">電話番号</a>") != std::string::npos);   // the summary links to the field
    CHECK(bad->body.find("value=\"" + web::esc(typed_name) + "\"") != std::string::npos);   // kept, escaped
    CHECK(bad->body.find("<地域>") == std::string::npos);
    CHECK(bad->body.find("value=\"山口市湯田温泉 サンプル\"") != std::string::npos);
    CHECK(bad->body.find("value=\"12-34\"") != std::string::npos);
    CHECK(s.storage->catalog_version() == v0);

    // Fixing the one field saves it, as a new catalog version the kiosks pull.
    auto ok = resubmit(b, bad->body, "/admin/catalog/centres/save", {{"phone", "083-920-0000"}}, "save");
    CHECK(ok->status == 303);
    CHECK(s.storage->catalog_version() == v0 + 1);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["centres"].size() == 1);
    CHECK(d["centres"][0]["name"] == typed_name);
    CHECK(d["centres"][0]["phone"] == "083-920-0000");

    // The same id again as new: refused by the id field.
    auto dup = submit(b, "/admin/catalog/centres/new", "/admin/catalog/centres/save", {{"id", "yuda-onsen"}, {"name", "二つ目"}});
    CHECK(dup->status == 400);
    CHECK(error_under(dup->body, "id").find("すでに使われています") != std::string::npos);
    // A bad id and an empty name: both errors, each by its field.
    auto two = submit(b, "/admin/catalog/centres/new", "/admin/catalog/centres/save", {{"id", "湯田"}, {"name", ""}});
    CHECK(two->status == 400);
    CHECK(!error_under(two->body, "id").empty());
    CHECK(!error_under(two->body, "name").empty());
    CHECK(s.storage->catalog_version() == v0 + 1);

    // ohdono has listings: deleting it is refused and nothing changes.
    auto del = b.post("/admin/catalog/centres/delete", {{"id", "ohdono"}});
    CHECK(del->status == 409);
    CHECK(del->body.find("削除できません") != std::string::npos);
    CHECK(s.storage->catalog_version() == v0 + 1);
    // The new one has none.
    CHECK(b.post("/admin/catalog/centres/delete", {{"id", "yuda-onsen"}})->status == 303);
    CHECK(s.storage->catalog_since(v0 + 1)["deleted"]["centres"] == Json::array({"yuda-onsen"}));
}

TEST_CASE("organization form: type and fields from the vocabularies, errors by field, escaping") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto page = b.get("/admin/catalog/organizations/new");
    REQUIRE(page->status == 200);
    CHECK(page->body.find("<option value=\"NPO法人\"") != std::string::npos);
    for (const std::string& f : standard_fields()) CHECK(page->body.find("name=\"fields\" value=\"" + f + "\"") != std::string::npos);
    const std::int64_t v0 = s.storage->catalog_version();
    httplib::Params p = form_fields(page->body, "/admin/catalog/organizations/save");
    set_field(p, "id", "org-web-1");
    set_field(p, "name", "湯田こども食堂の会");
    set_field(p, "kana", "yuda");   // not kana
    set_field(p, "type", "ボランティア団体");
    p.emplace("fields", "子育て");
    p.emplace("fields", "福祉");
    set_field(p, "fields_other", "食育");
    set_field(p, "contact", "083-000-0000（事務局）");
    set_field(p, "description", "月2回、<b>手作り</b>の食事を。\r\n2行目");
    set_field(p, "op", "save");
    auto bad = b.post_multipart("/admin/catalog/organizations/save", p);
    CHECK(bad->status == 400);
    CHECK(error_under(bad->body, "kana").find("ひらがな") != std::string::npos);
    // Everything typed is still there, the checked boxes checked.
    CHECK(bad->body.find("name=\"fields\" value=\"子育て\" checked") != std::string::npos);
    CHECK(bad->body.find("name=\"fields\" value=\"福祉\" checked") != std::string::npos);
    CHECK(bad->body.find("name=\"fields_other\" value=\"食育\"") != std::string::npos);
    CHECK(bad->body.find("&lt;b&gt;手作り&lt;/b&gt;") != std::string::npos);
    CHECK(bad->body.find("<b>手作り") == std::string::npos);
    CHECK(s.storage->catalog_version() == v0);

    auto ok = resubmit(b, bad->body, "/admin/catalog/organizations/save", {{"kana", "ゆだこどもしょくどうのかい"}}, "save");
    CHECK(ok->status == 303);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["organizations"].size() == 1);
    const Json& o = d["organizations"][0];
    CHECK(o["type"] == "ボランティア団体");
    CHECK(o["fields"] == Json::array({"福祉", "子育て", "食育"}));   // the page's order (standard_fields), then "other"
    CHECK(o["description"] == "月2回、<b>手作り</b>の食事を。\n2行目");   // stored as typed (escaped when shown), CRLF → LF

    // An organization listings name as organizer cannot be deleted.
    CHECK(b.post("/admin/catalog/organizations/delete", {{"id", "org-city-kyodo"}})->status == 409);
    // Text the kiosk's font cannot draw is refused by the field.
    auto emoji = submit(b, "/admin/catalog/organizations/org-web-1", "/admin/catalog/organizations/save", {{"name", "こども食堂🍙"}});
    CHECK(emoji->status == 400);
    CHECK(error_under(emoji->body, "name").find("キオスクで表示できない") != std::string::npos);
}

TEST_CASE("survey editor: add, move and remove questions and choices without JavaScript; validation keeps the input") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    const std::int64_t v0 = s.storage->catalog_version();
    const std::string A = "/admin/catalog/surveys/save";
    auto page = b.get("/admin/catalog/surveys/new");
    REQUIRE(page->status == 200);
    CHECK(page->body.find("name=\"q.0.id\" value=\"q1\"") != std::string::npos);   // one blank question to start
    CHECK(page->body.find("local_activity_participation") != std::string::npos);   // seed 004 indicators offered

    // Fill question 1, add a second question: the page comes back with both, nothing saved.
    httplib::Params p = form_fields(page->body, A);
    set_field(p, "id", "srv-web-1");
    set_field(p, "title", "防災カフェのアンケート");
    set_field(p, "q.0.text", "今日の内容はいかがでしたか。");
    set_field(p, "q.0.c.0", "よかった");
    set_field(p, "q.0.c.1", "ふつう");
    set_field(p, "op", "add:q");
    auto r = b.post_multipart(A, p);
    REQUIRE(r->status == 200);
    CHECK(r->body.find("value=\"よかった\"") != std::string::npos);
    CHECK(r->body.find("name=\"q.1.id\" value=\"q2\"") != std::string::npos);
    CHECK(s.storage->catalog_version() == v0);

    // Question 2 becomes a 1-5 scale (re-rendered with the scale labels), a third choice is added
    // to question 1, question 2 moves up.
    r = resubmit(b, r->body, A, {{"q.1.type", "scale"}, {"q.1.text", "また参加したいですか。"}}, "refresh");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("name=\"q.1.scale_min_label\"") != std::string::npos);
    r = resubmit(b, r->body, A, {{"q.1.scale_min_label", "思わない"}, {"q.1.scale_max_label", "とても思う"}}, "add:q.0.c");
    CHECK(r->body.find("name=\"q.0.c.2\"") != std::string::npos);
    r = resubmit(b, r->body, A, {{"q.0.c.2", "いまひとつ"}}, "up:q.1");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("name=\"q.0.id\" value=\"q2\"") != std::string::npos);   // the scale question is first now
    CHECK(r->body.find("name=\"q.1.id\" value=\"q1\"") != std::string::npos);
    // Move choice 3 of the (now second) question to the top, then add a free-text question and
    // remove it again.
    r = resubmit(b, r->body, A, {}, "up:q.1.c.2");
    r = resubmit(b, r->body, A, {}, "up:q.1.c.1");
    r = resubmit(b, r->body, A, {}, "add:q");
    CHECK(r->body.find("name=\"q.2.id\" value=\"q3\"") != std::string::npos);
    r = resubmit(b, r->body, A, {}, "del:q.2");
    CHECK(r->body.find("name=\"q.2.id\"") == std::string::npos);
    CHECK(s.storage->catalog_version() == v0);

    // A choice question with an empty choice: error by that choice, everything else kept.
    r = resubmit(b, r->body, A, {{"q.1.c.1", ""}}, "save");
    CHECK(r->status == 400);
    CHECK(error_under(r->body, "q.1.c.1") == "入力してください。");
    CHECK(r->body.find("value=\"とても思う\"") != std::string::npos);
    CHECK(r->body.find("value=\"いまひとつ\"") != std::string::npos);
    // Removing that choice row leaves two: saved.
    r = resubmit(b, r->body, A, {}, "del:q.1.c.1");
    REQUIRE(r->status == 200);
    r = resubmit(b, r->body, A, {{"q.1.indicator", "feel_heard"}, {"q.1.required", "1"}}, "save");
    CHECK(r->status == 303);
    CHECK(s.storage->catalog_version() == v0 + 1);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["surveys"].size() == 1);
    const Json& sv = d["surveys"][0];
    CHECK(sv["id"] == "srv-web-1");
    REQUIRE(sv["questions"].size() == 2);
    CHECK(sv["questions"][0]["type"] == "scale");
    CHECK(sv["questions"][0]["scale_max_label"] == "とても思う");
    CHECK(sv["questions"][0]["choices"] == Json::array());
    CHECK(sv["questions"][1]["choices"] == Json::array({"いまひとつ", "ふつう"}));
    CHECK(sv["questions"][1]["indicator"] == "feel_heard");
    CHECK(sv["questions"][1]["required"] == true);

    // One choice only, an unknown indicator, no questions at all: each refused by its field.
    auto one = submit(b, "/admin/catalog/surveys/srv-web-1", A, {{"q.1.c.1", ""}});
    CHECK(one->status == 400);
    auto none = submit(b, "/admin/catalog/surveys/srv-web-1", A, {}, "del:q.0");
    none = resubmit(b, none->body, A, {}, "del:q.0");
    none = resubmit(b, none->body, A, {}, "save");
    CHECK(none->status == 400);
    CHECK(error_under(none->body, "questions").find("1つ以上") != std::string::npos);
    auto ind = submit(b, "/admin/catalog/surveys/srv-web-1", A, {{"q.1.indicator", "made_up"}});
    CHECK(ind->status == 400);
    CHECK(!error_under(ind->body, "q.1.indicator").empty());
    CHECK(s.storage->catalog_version() == v0 + 1);

    // A survey that has answers warns before choices are moved.
    Record resp = make_record(RecordKind::SurveyResponse, {{"survey_id", "srv-web-1"}, {"survey_version", 1},
                                                           {"answers", Json::array({{{"question_id", "q1"}, {"choice", 0}}})}});
    s.push({resp});
    CHECK(b.get("/admin/catalog/surveys/srv-web-1")->body.find("回答が 1 件届いています") != std::string::npos);
}

TEST_CASE("draft editor: sections and comment period; call editor: themes, dates, amount, partner departments") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    const std::int64_t v0 = s.storage->catalog_version();
    const std::string A = "/admin/activities/save";
    auto page = b.get("/admin/activities/act-068/edit");
    REQUIRE(page->status == 200);
    CHECK(page->body.find("name=\"s.5.title\" value=\"第6章 協働の評価と見直し\"") != std::string::npos);
    CHECK(page->body.find("name=\"comment_until_date\" value=\"2026-12-20\"") != std::string::npos);
    CHECK(page->body.find("type=\"date\" id=\"f-comment_until_date\"") != std::string::npos);
    CHECK(page->body.find("&quot;sections&quot;") != std::string::npos);   // the read-only JSON view of what is stored
    CHECK(page->body.find("<textarea name=\"extra\"") == std::string::npos);   // no raw JSON editing

    // Add a section, move it to the top, save with a period that ends before it starts: refused.
    auto r = submit(b, "/admin/activities/act-068/edit", A, {}, "add:s");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("name=\"s.6.id\" value=\"s7\"") != std::string::npos);
    r = resubmit(b, r->body, A, {{"s.6.title", "第7章 用語の説明"}, {"s.6.text", "協働: 市民と市が対等に協力すること。\n委託: …"}}, "up:s.6");
    CHECK(r->body.find("name=\"s.5.id\" value=\"s7\"") != std::string::npos);
    r = resubmit(b, r->body, A, {{"comment_from_date", "2026-12-21"}}, "save");
    CHECK(r->status == 400);
    CHECK(error_under(r->body, "comment_until_date").find("開始日より前") != std::string::npos);
    CHECK(r->body.find("value=\"第7章 用語の説明\"") != std::string::npos);   // nothing typed is lost
    CHECK(s.storage->catalog_version() == v0);
    // A section without text, a duplicate number.
    r = resubmit(b, r->body, A, {{"comment_from_date", "2026-11-01"}, {"s.0.text", ""}, {"s.1.id", "s1"}}, "save");
    CHECK(r->status == 400);
    CHECK(error_under(r->body, "s.0.text") == "入力してください。");
    CHECK(error_under(r->body, "s.1.id").find("同じ番号") != std::string::npos);
    CHECK(r->body.find("<a href=\"#f-s.0.text\">1番目の章 本文</a>") != std::string::npos);
    r = resubmit(b, r->body, A, {{"s.0.text", "本文を書き直しました。"}, {"s.1.id", "s2"}}, "save");
    CHECK(r->status == 303);
    Json d = s.storage->catalog_since(v0);
    REQUIRE(d["activities"].size() == 1);
    const Json& x = d["activities"][0]["extra"];
    REQUIRE(x["sections"].size() == 7);
    CHECK(x["sections"][5]["id"] == "s7");
    CHECK(x["sections"][5]["text"] == "協働: 市民と市が対等に協力すること。\n委託: …");
    CHECK(x["sections"][0]["text"] == "本文を書き直しました。");
    CHECK(x["source"].get<std::string>().find("seed 002") != std::string::npos);   // keys the form does not show are kept
    CHECK(x["comment_until"] == "2026-12-20");

    // A new draft starts from its own form with one blank section.
    auto nd = b.get("/admin/activities/new?kind=public_comment");
    CHECK(nd->body.find("name=\"s.0.id\" value=\"s1\"") != std::string::npos);
    CHECK(nd->body.find("name=\"comment_from_date\"") != std::string::npos);

    // The call for proposals.
    const std::int64_t v1 = s.storage->catalog_version();
    auto cp = b.get("/admin/activities/act-069/edit");
    CHECK(cp->body.find("name=\"partner_departments\" value=\"防災安全部防災課\" checked") != std::string::npos);
    CHECK(cp->body.find("name=\"max_amount_yen\" value=\"500000\"") != std::string::npos);
    auto bad = submit(b, "/admin/activities/act-069/edit", A, {{"max_amount_yen", "50万"}, {"consultation_until_date", "2027-02-01"}});
    CHECK(bad->status == 400);
    CHECK(!error_under(bad->body, "max_amount_yen").empty());
    CHECK(!error_under(bad->body, "consultation_until_date").empty());
    CHECK(bad->body.find("value=\"50万\"") != std::string::npos);
    httplib::Params fix = form_fields(bad->body, A);
    set_field(fix, "max_amount_yen", "300000");
    set_field(fix, "consultation_until_date", "2027-01-15");
    set_field(fix, "themes", "空き家を地域の居場所にする\r\nテーマ自由（新たな地域課題への対応、既存事業の見直し）\r\n");
    fix.erase("partner_departments");
    fix.emplace("partner_departments", "市民生活部協働推進課");
    set_field(fix, "partner_departments_other", "都市整備部住宅政策課");
    set_field(fix, "op", "save");
    CHECK(b.post_multipart(A, fix)->status == 303);
    d = s.storage->catalog_since(v1);
    REQUIRE(d["activities"].size() == 1);
    const Json& c = d["activities"][0]["extra"];
    CHECK(c["max_amount_yen"] == 300000);
    CHECK(c["themes"] == Json::array({"空き家を地域の居場所にする", "テーマ自由（新たな地域課題への対応、既存事業の見直し）"}));
    CHECK(c["partner_departments"] == Json::array({"市民生活部協働推進課", "都市整備部住宅政策課"}));
    CHECK(c["project_period"] == "2027-04-01/2028-03-31");

    // Activity dates are date and time inputs; an impossible date is refused by its field.
    auto ev = submit(b, "/admin/activities/act-001/edit", A, {{"starts_date", "2027-02-30"}});
    CHECK(ev->status == 400);
    CHECK(error_under(ev->body, "starts_date").find("実在する日") != std::string::npos);
    auto order = submit(b, "/admin/activities/act-001/edit", A, {{"ends_date", "2027-01-29"}});
    CHECK(order->status == 400);
    CHECK(!error_under(order->body, "ends_date").empty());
    CHECK(s.storage->catalog_version() == v1 + 1);
}

TEST_CASE("check-in: a revocable secret link opens the roster on a phone; ticks are attendance; hashed at rest") {
    WebServer s;
    CatalogDelta d;
    Activity a;
    a.id = "ev-checkin";
    a.kind = ActivityKind::Event;
    a.title = "防災ワークショップ";
    a.capacity = 3;
    a.centre_id = "ohdono";
    a.starts_at = "2026-12-20T10:00";
    a.place = "大殿地域交流センター";
    d.activities.push_back(a);
    s.storage->import_catalog(d);
    const Record r1 = signup("ev-checkin", 2, "一番 花子"), r2 = signup("ev-checkin", 1, "二番 次郎"),
                 r3 = signup("ev-checkin", 1, "三番 三郎");
    auto res = s.push({r1, r2, r3});
    REQUIRE(res.answers[2].signup_status == "waitlisted");

    Browser ed(s.port);
    REQUIRE(ed.login("editor1") == 303);
    auto roster = ed.get("/admin/roster/ev-checkin");
    REQUIRE(roster->status == 200);
    CHECK(roster->body.find("受付用リンク: 未発行") != std::string::npos);
    auto issued = ed.post("/admin/roster/ev-checkin/checkin-link", {{"op", "issue"}});
    REQUIRE(issued->status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(issued->body, m, std::regex("/p/checkin/([A-Za-z0-9_-]+)</code>")));
    const std::string token = m[1].str();
    // Stored hashed: the token itself is nowhere in the database.
    auto link = s.storage->admin().checkin_link("ev-checkin");
    REQUIRE(link);
    CHECK(link->token_hash == sha256_hex(token));
    CHECK(slurp((s.dir / "server.db").string()).find(token) == std::string::npos);
    CHECK(slurp((s.dir / "server.db-wal").string()).find(token) == std::string::npos);
    CHECK(ed.get("/admin/roster/ev-checkin")->body.find(token) == std::string::npos);   // shown once

    // The phone's requests wait as long as the staff browser's (httplib's default read timeout is
    // 5 s, too short for a sanitized server on a busy machine), and one that gets no answer fails
    // the case here instead of being dereferenced empty (UBSan: member access within null pointer).
    httplib::Client phone("127.0.0.1", s.port);
    phone.set_connection_timeout(5);
    phone.set_read_timeout(20);
    const auto answered = [](httplib::Result r) {
        REQUIRE(r);
        return r;
    };
    auto page1 = answered(phone.Get("/p/checkin/" + token));
    REQUIRE(page1->status == 200);
    CHECK(page1->body.find("一番 花子") != std::string::npos);
    CHECK(page1->body.find("二番 次郎") != std::string::npos);
    CHECK(page1->body.find("三番 三郎") == std::string::npos);   // waitlisted: not on the list
    CHECK(page1->body.find("到着 0 / 3 人") != std::string::npos);
    REQUIRE(std::regex_search(page1->body, m, std::regex("name=\"t\" value=\"([^\"]+)\"")));
    const std::string t = m[1].str();

    // A tick from another site, or without the form token, is refused.
    httplib::Headers cross{{"Origin", "https://evil.example"}};
    CHECK(answered(phone.Post("/p/checkin/" + token, cross, httplib::Params{{"record", r1.id}, {"attended", "1"}, {"t", t}}))->status == 200);
    CHECK(s.storage->admin().records(RecordQuery{"sign_up", "ev-checkin", "", "", "", 10})[0].attended == -1);
    httplib::Headers same{{"Origin", "http://127.0.0.1:" + std::to_string(s.port)}, {"Sec-Fetch-Site", "same-origin"}};
    auto tick = answered(phone.Post("/p/checkin/" + token, same, httplib::Params{{"record", r1.id}, {"attended", "1"}, {"t", t}}));
    REQUIRE(tick->status == 303);
    auto rows = s.storage->admin().records(RecordQuery{"sign_up", "ev-checkin", "", "", "", 10});
    CHECK(rows[0].attended == 1);
    CHECK(answered(phone.Get("/p/checkin/" + token))->body.find("到着 2 / 3 人") != std::string::npos);
    // The waitlisted sign-up cannot be ticked through the link.
    phone.Post("/p/checkin/" + token, same, httplib::Params{{"record", r3.id}, {"attended", "1"}, {"t", t}});
    CHECK(s.storage->admin().records(RecordQuery{"sign_up", "ev-checkin", "", "", "", 10})[2].attended == -1);
    // The roster shows it, and the audit log has the phone's view and tick.
    CHECK(ed.get("/admin/roster/ev-checkin")->body.find("出席 2 人") != std::string::npos);
    // … and the yearly report counts them as participants (people who came, not sign-ups).
    CHECK(ed.get("/admin/reports/yearly")->body.find("参加者 <strong>2</strong> 人") != std::string::npos);
    bool audited = false;
    for (const auto& e : s.storage->admin().audit_log(50)) audited = audited || e.action == "checkin_arrived";
    CHECK(audited);
    if (const char* keep = std::getenv("KYODO_KEEP_HTML")) {
        std::ofstream(std::string(keep) + "/checkin.html") << answered(phone.Get("/p/checkin/" + token))->body;
        std::ofstream(std::string(keep) + "/checkin_url.txt") << "/p/checkin/" + token;
    }

    // Revoked: the link stops at once; a re-issued link replaces the old one.
    REQUIRE(ed.post("/admin/roster/ev-checkin/checkin-link", {{"op", "revoke"}})->status == 303);
    CHECK(answered(phone.Get("/p/checkin/" + token))->status == 404);
    CHECK(answered(phone.Post("/p/checkin/" + token, same, httplib::Params{{"record", r2.id}, {"attended", "1"}, {"t", t}}))->status == 404);
    auto again = ed.post("/admin/roster/ev-checkin/checkin-link", {{"op", "issue"}});
    REQUIRE(std::regex_search(again->body, m, std::regex("/p/checkin/([A-Za-z0-9_-]+)</code>")));
    CHECK(m[1].str() != token);
    CHECK(answered(phone.Get("/p/checkin/" + m[1].str()))->status == 200);
    CHECK(answered(phone.Get("/p/checkin/" + token))->status == 404);
    // A viewer cannot issue links.
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    CHECK(viewer.post("/admin/roster/ev-checkin/checkin-link", {{"op", "issue"}})->status == 403);
}

TEST_CASE("furigana: made at publish time, shown for correction, corrections kept, stale ones remade") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto r = submit(b, "/admin/activities/new", "/admin/activities/save",
                    {{"id", "act-ruby-1"}, {"title", "大殿地区防災訓練"}, {"summary", "避難所の開設を体験します"},
                     {"description", "ひらがなだけ"}, {"starts_date", "2026-12-12"}, {"form", "kyodo"}, {"method", "co_host"}});
    REQUIRE(r);
    CHECK(r->status == 303);
    auto stored = [&] {
        // Keep the catalog alive: a range-for over a member of a temporary dangles.
        const Json cat = s.storage->catalog_since(0);
        for (const Json& a : cat["activities"])
            if (a["id"] == "act-ruby-1") return a;
        return Json();
    };
    Json a = stored();
    REQUIRE(a["extra"].contains("furigana"));
    CHECK(a["extra"]["furigana"]["title"].get<std::string>().find("防災《ぼうさい》") != std::string::npos);
    CHECK(a["extra"]["furigana"]["summary"].get<std::string>().find("開設《かいせつ》") != std::string::npos);
    CHECK_FALSE(a["extra"]["furigana"].contains("description"));   // no kanji, no reading

    // The editor shows each reading in an editable field and as ruby.
    auto page = b.get("/admin/activities/act-ruby-1/edit")->body;
    CHECK(page.find("name=\"furigana_title\"") != std::string::npos);
    CHECK(page.find("<ruby>防災<rt>ぼうさい</rt></ruby>") != std::string::npos);

    // Staff correct 大殿 (IPADIC: おとど) and save: kept, also after a later unrelated edit.
    const std::string fixed = "大殿《おおどの》地区《ちく》防災《ぼうさい》訓練《くんれん》";
    CHECK(submit(b, "/admin/activities/act-ruby-1/edit", "/admin/activities/save", {{"furigana_title", fixed}})->status == 303);
    CHECK(stored()["extra"]["furigana"]["title"] == fixed);
    CHECK(submit(b, "/admin/activities/act-ruby-1/edit", "/admin/activities/save", {{"place", "和室"}})->status == 303);
    CHECK(stored()["extra"]["furigana"]["title"] == fixed);

    // A correction that no longer spells the title is refused by the field, nothing saved.
    const std::int64_t v = s.storage->catalog_version();
    auto bad = submit(b, "/admin/activities/act-ruby-1/edit", "/admin/activities/save",
                      {{"furigana_title", "大殿《おおどの》地区《ちく》防災《ぼうさい》"}});
    CHECK(bad->status == 400);
    CHECK(error_under(bad->body, "furigana_title").find("一致しません") != std::string::npos);
    bad = submit(b, "/admin/activities/act-ruby-1/edit", "/admin/activities/save",
                 {{"furigana_title", "大殿《oodono》地区防災訓練"}});
    CHECK(bad->status == 400);
    CHECK(error_under(bad->body, "furigana_title").find("ひらがな") != std::string::npos);
    CHECK(s.storage->catalog_version() == v);

    // The title changes and its reading field is left as it was: the reading is made afresh.
    CHECK(submit(b, "/admin/activities/act-ruby-1/edit", "/admin/activities/save", {{"title", "湯田地区防災訓練"}})->status == 303);
    a = stored();
    CHECK(ruby_matches("湯田地区防災訓練", a["extra"]["furigana"]["title"].get<std::string>()));
    CHECK(a["extra"]["furigana"]["title"].get<std::string>().find("おおどの") == std::string::npos);
}

TEST_CASE("roster: 200 people a page in arrival order, everyone for printing, counts over all") {
    WebServer s;
    std::vector<Record> recs;
    for (int i = 1; i <= 450; ++i) recs.push_back(signup("act-004", 1, "参加者" + std::to_string(i) + "番"));
    REQUIRE(s.push(recs).stored == 450);
    Browser b(s.port);
    REQUIRE(b.login("viewer1") == 303);
    auto count = [](const std::string& html, const std::string& needle) {
        std::size_t n = 0;
        for (auto at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
        return n;
    };
    const std::string first = b.get("/admin/roster/act-004")->body;
    CHECK(count(first, "番</td>") == 200);
    CHECK(first.find("参加者1番</td>") != std::string::npos);
    CHECK(first.find("参加者200番</td>") != std::string::npos);
    CHECK(first.find("参加者201番</td>") == std::string::npos);
    CHECK(first.find("1〜200 人目 / 450 件") != std::string::npos);
    CHECK(first.find("href=\"/admin/roster/act-004?all=1\"") != std::string::npos);
    const std::string third = b.get("/admin/roster/act-004?page=3")->body;
    CHECK(count(third, "番</td>") == 50);
    CHECK(third.find("<td class=\"num\">401</td>") != std::string::npos);   // numbered on from the earlier pages
    CHECK(third.find("参加者450番</td>") != std::string::npos);
    CHECK(count(b.get("/admin/roster/act-004?page=99")->body, "番</td>") == 50);   // past the end: the last page
    CHECK(count(b.get("/admin/roster/act-004?page=x")->body, "番</td>") == 200);   // not a number: the first
    const std::string all = b.get("/admin/roster/act-004?all=1")->body;
    CHECK(count(all, "番</td>") == 450);
    // The counts cover every sign-up on every page (act-004 is full in the sample: all wait).
    CHECK(first.find("キャンセル待ち 450 人") != std::string::npos);
    CHECK(third.find("キャンセル待ち 450 人") != std::string::npos);
}
