// The project register and the yearly report (issue 12 point 1), server-side: seed 000's
// 令和3年度 rebuilt from its own project names reproduces its group totals in the generated
// report; projects are counted, not listings (a project with two listings counts once, a
// listing of no project not at all); B+G is one project with two methods; era years; the pages'
// roles, CSRF, errors next to fields; CSV for Excel and open data.
#include <doctest/doctest.h>

#include "server/civic.h"
#include "server/web/html.h"
#include "server/web/projects.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

const std::string kFixture = std::string(KYODO_SOURCE_DIR) + "/tests/assets/seed000_r3_projects.json";

// The number in the cell of the report's table that carries `attr` (data-form="kyodo" …).
int cell_after(const std::string& html, const std::string& attr) {
    const auto at = html.find(attr);
    if (at == std::string::npos) return -1;
    const auto open = html.find("<strong>", at), close = html.find("</strong>", at);
    return std::stoi(html.substr(open + 8, close - open - 8));
}

Project make(const std::string& id, int fy, const std::string& form, std::vector<std::string> ms, const std::string& status = "done") {
    Project p;
    p.id = id;
    p.fiscal_year = fy;
    p.title = "事業" + id;
    p.form = form;
    p.methods = std::move(ms);
    p.status = status;
    return p;
}

}  // namespace

TEST_CASE("era years: 元年度 for the first year of an era") {
    CHECK(web::era_year_ja(2021) == "令和3年度");
    CHECK(web::era_year_ja(2019) == "令和元年度");
    CHECK(web::era_year_ja(2020) == "令和2年度");
    CHECK(web::era_year_ja(2018) == "平成30年度");
    CHECK(web::era_year_ja(1989) == "平成元年度");
    CHECK(web::era_year_ja(1988) == "昭和63年度");
    CHECK(web::year_label_ja(2026) == "2026年度（令和8年度）");
}

TEST_CASE("yearly table: one column per method combination, B+G once, stopped projects not counted") {
    const auto t = web::project_table({make("1", 2021, "shien", {"activity_support", "subsidy"}), make("2", 2021, "shien", {"subsidy"}),
                                       make("3", 2021, "kyodo", {"co_host"}), make("4", 2021, "kyodo", {"patronage"}),
                                       make("5", 2021, "kyoryoku", {"cooperation"}, "stopped"), make("6", 2021, "nope", {"co_host"})});
    REQUIRE(t.groups.size() == 3);
    CHECK(t.total == 4);
    CHECK(t.groups[2].count == 2);
    REQUIRE(t.groups[2].columns.size() == 3);   // B, G, B+G as seed 000
    CHECK(t.groups[2].columns[0].label() == "B 補助金");
    CHECK(t.groups[2].columns[0].count == 1);
    CHECK(t.groups[2].columns[1].count == 0);
    CHECK(t.groups[2].columns[2].label() == "B 補助金＋G 活動支援");
    CHECK(t.groups[2].columns[2].count == 1);
    // ① keeps A and C, and a method seed 000 does not use gets its own column after them.
    REQUIRE(t.groups[0].columns.size() == 3);
    CHECK(t.groups[0].columns[2].label() == "後援");
    CHECK(t.groups[1].count == 0);
    CHECK(t.not_counted.size() == 2);
}

TEST_CASE("seed 000: 令和3年度 built from its project names reproduces ① 96, ② 98, ③ 69, total 263 in the report") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    // Through the import page, as the office would load a register.
    httplib::MultipartFormDataItems items{{"csrf", b.csrf, "", ""}, {"file", slurp(kFixture), "r3.json", "application/json"}};
    auto r = b.cli.Post("/admin/projects/import", b.headers(), items);
    REQUIRE(r);
    CHECK(r->status == 303);
    CHECK(s.storage->civic().projects(2021).size() == 263);

    const std::string html = b.get("/admin/reports/yearly?fy=2021")->body;
    CHECK(html.find("令和3年度 協働実績 <strong>263</strong> 件") != std::string::npos);
    CHECK(cell_after(html, "data-form=\"kyodo\"") == 96);
    CHECK(cell_after(html, "data-form=\"kyoryoku\"") == 98);
    CHECK(cell_after(html, "data-form=\"shien\"") == 69);
    CHECK(cell_after(html, "data-total") == 263);
    // Seed 000's header row, B+G as one column.
    const auto order = {"A 実行委員会", "C 共催", "D 事業協力", "E 指定管理者", "F 委託契約", "B 補助金", "G 活動支援", "B 補助金<br>G 活動支援"};
    std::size_t at = html.find("事業区分");
    for (const char* h : order) {
        CAPTURE(h);
        const auto next = html.find(std::string("<th>") + h + "</th>", at);
        REQUIRE(next != std::string::npos);
        at = next;
    }
    // The count row under it: A 26, C 70, D 63, E 10, F 25, B 34, G 29, B+G 6.
    const auto row = html.substr(html.find("<td class=\"lbl\">件数</td>", at));
    CHECK(row.rfind("<td class=\"lbl\">件数</td><td>26</td><td>70</td><td>63</td><td>10</td><td>25</td><td>34</td><td>29</td><td>6</td></tr>", 0) == 0);
    CHECK(html.find("こども食堂") != std::string::npos);   // the seed's own names, listed per column

    // The CSV for Excel says the same.
    auto csv = b.get("/admin/export/yearly.csv?fy=2021");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv->body.find("令和3年度,市民協働事業,計,96\r\n") != std::string::npos);
    CHECK(csv->body.find("令和3年度,市民活動支援事業,B 補助金＋G 活動支援,6\r\n") != std::string::npos);
    CHECK(csv->body.find("令和3年度,合計,,263\r\n") != std::string::npos);

    // A year with the previous one registered says how it changed, as seed 000 does.
    REQUIRE(s.storage->civic().put_projects({make("r4-1", 2022, "kyodo", {"co_host"})}) == 1);
    CHECK(b.get("/admin/reports/yearly?fy=2022")->body.find("昨年度調査から 262 件減") != std::string::npos);
    CHECK(b.get("/admin/reports/yearly?fy=2019")->body.find("令和元年度 協働実績 <strong>0</strong> 件") != std::string::npos);
}

TEST_CASE("projects, not listings: two listings of one project count once; a listing of no project is not counted") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    CHECK(b.get("/admin/reports/yearly?fy=2026")->body.find("協働実績 <strong>0</strong> 件") != std::string::npos);

    // A new project from a listing: the form comes filled in from it, and saving links it.
    auto f = b.get("/admin/projects/new?fy=2026&from=act-001");
    REQUIRE(f);
    REQUIRE(f->status == 200);
    CHECK(f->body.find("北彩都あさひかわ冬のガーデン") != std::string::npos);
    auto fields = form_fields(f->body, "/admin/projects/save");
    CHECK(fields.find("methods")->second == "executive_committee");
    auto r = b.post_multipart("/admin/projects/save", fields);   // the form carries its own CSRF token
    REQUIRE(r);
    REQUIRE(r->status == 303);
    const std::string id = "p2026-act-001";
    CHECK(r->get_header_value("Location").rfind("/admin/projects/" + id, 0) == 0);
    // A second listing joins the same project.
    CHECK(b.post("/admin/projects/" + id + "/link", {{"listing", "act-002"}})->status == 303);
    const auto p = s.storage->civic().project(id);
    REQUIRE(p);
    CHECK(p->listing_ids == std::vector<std::string>{"act-001", "act-002"});
    CHECK(p->fiscal_year == 2026);
    const std::string y = b.get("/admin/reports/yearly?fy=2026")->body;
    CHECK(y.find("協働実績 <strong>1</strong> 件") != std::string::npos);
    // The register lists it and the listings that belong to none (act-002 no longer).
    const std::string list = b.get("/admin/projects?fy=2026")->body;
    CHECK(list.find("北彩都あさひかわ冬のガーデン</a>") != std::string::npos);
    const std::string orphans = list.substr(list.find("どの事業にも属さない掲載"));
    CHECK(orphans.find(">act-002<") == std::string::npos);
    CHECK(orphans.find(">act-003<") != std::string::npos);
    CHECK(orphans.find("パブリックコメント") == std::string::npos);   // drafts are not project listings
    // Unlinking frees it again.
    CHECK(b.post("/admin/projects/" + id + "/unlink", {{"listing", "act-002"}})->status == 303);
    CHECK(s.storage->civic().project(id)->listing_ids == std::vector<std::string>{"act-001"});
    CHECK(b.post("/admin/projects/" + id + "/unlink", {{"listing", "act-002"}})->status == 404);
}

TEST_CASE("project form: B+G saved as one project with two methods; errors next to their fields; nothing typed is lost") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    httplib::Params p{{"is_new", "1"}, {"id", "r8-bg-1"},  {"fiscal_year", "2026"},   {"title", "こども食堂の運営"},
                      {"department", ""}, {"department_other", "子育て支援部こども政策課"}, {"form", "shien"},
                      {"methods", "activity_support"}, {"methods", "subsidy"}, {"partner_ids", "org-npo-kosodate"},
                      {"partner_other", "○○地区社会福祉協議会"}, {"budget_yen", "abc"}, {"goals", "月2回開催"}, {"status", "running"}};
    auto r = b.post("/admin/projects/save", p);
    REQUIRE(r);
    CHECK(r->status == 400);
    const std::string err = r->body;
    const auto field = err.find("id=\"f-budget_yen\"");
    REQUIRE(field != std::string::npos);
    CHECK(err.find("予算額は 0 以上の整数", field) != std::string::npos);
    CHECK(err.find("value=\"abc\"", field) != std::string::npos);   // shown again as typed
    CHECK(err.find("value=\"こども食堂の運営\"") != std::string::npos);
    CHECK(err.find("月2回開催") != std::string::npos);

    p.erase("budget_yen");
    p.emplace("budget_yen", "350000");
    r = b.post("/admin/projects/save", p);
    REQUIRE(r);
    CHECK(r->status == 303);
    const auto got = s.storage->civic().project("r8-bg-1");
    REQUIRE(got);
    CHECK(got->methods == std::vector<std::string>{"subsidy", "activity_support"});
    CHECK(got->department == "子育て支援部こども政策課");
    CHECK(got->budget_yen == 350000);
    REQUIRE(got->partners.size() == 2);
    CHECK(got->partners[1].org_id.empty());
    const std::string page = b.get("/admin/projects/r8-bg-1")->body;
    CHECK(page.find("登録しました") == std::string::npos);   // no flash without ?msg
    const std::string y = b.get("/admin/reports/yearly?fy=2026")->body;
    CHECK(y.find("【B 補助金＋G 活動支援】</strong> 1 件") != std::string::npos);

    // No method, a duplicate id, no form: each error by its field.
    httplib::Params bad{{"is_new", "1"}, {"id", "r8-bg-1"}, {"fiscal_year", "1800"}, {"title", ""}, {"status", "running"}};
    r = b.post("/admin/projects/save", bad);
    REQUIRE(r);
    CHECK(r->status == 400);
    for (const char* f : {"f-id", "f-fiscal_year", "f-title", "f-form", "f-methods"}) {
        CAPTURE(f);
        CHECK(r->body.find(std::string("href=\"#") + f + "\"") != std::string::npos);   // in the summary, linking to the field
    }
}

TEST_CASE("project pages: roles and CSRF; open data without notes; the register's CSV") {
    WebServer s;
    REQUIRE(s.storage->civic().put_projects({make("r8-1", 2026, "kyodo", {"co_host"})}) == 1);
    Project withnote = *s.storage->civic().project("r8-1");
    withnote.note = "内部メモ";
    s.storage->civic().put_project(withnote);
    {
        Browser anon(s.port);
        for (const char* path : {"/admin/projects", "/admin/projects/r8-1", "/admin/projects.csv"}) {
            CAPTURE(path);
            CHECK(anon.get(path)->status == 303);
        }
    }
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    CHECK(viewer.get("/admin/projects")->status == 200);
    const std::string ro = viewer.get("/admin/projects/r8-1")->body;
    CHECK(ro.find("保存する</button>") == std::string::npos);
    CHECK(viewer.get("/admin/projects/new")->status == 403);
    CHECK(viewer.post("/admin/projects/save", {{"is_new", "1"}, {"id", "x"}})->status == 403);
    CHECK(viewer.post("/admin/projects/r8-1/link", {{"listing", "act-001"}})->status == 403);
    Browser editor(s.port);
    REQUIRE(editor.login("editor1") == 303);
    CHECK(editor.post("/admin/projects/r8-1/link", {{"listing", "act-001"}}, false)->status == 403);   // no CSRF token
    CHECK(editor.post("/admin/projects/r8-1/delete", {})->status == 403);                              // admin only
    CHECK(s.storage->civic().listing_projects().empty());

    auto csv = viewer.get("/admin/projects.csv?fy=2026");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBFID,年度,年度（和暦）,事業名", 0) == 0);
    CHECK(csv->body.find("内部メモ") != std::string::npos);
    httplib::Client c("127.0.0.1", s.port);
    auto open = c.Get("/open/projects.json");
    REQUIRE(open);
    CHECK(open->status == 200);
    const Json j = Json::parse(open->body);
    REQUIRE(j["projects"].size() == 1);
    CHECK(j["projects"][0]["title"] == "事業r8-1");
    CHECK(open->body.find("内部メモ") == std::string::npos);
    CHECK(c.Get("/open/projects.csv")->body.find("内部メモ") == std::string::npos);

    Browser admin(s.port);
    REQUIRE(admin.login("admin1") == 303);
    CHECK(admin.post("/admin/projects/r8-1/delete", {})->status == 303);
    CHECK_FALSE(s.storage->civic().project("r8-1").has_value());
    bool audited = false;
    for (const auto& e : s.storage->admin().audit_log(50))
        if (e.action == "project_delete" && e.target == "r8-1") audited = true;
    CHECK(audited);
}

TEST_CASE("closing a year: the office closes it; its report is frozen and its projects no longer change") {
    WebServer s;
    CivicStorage& cv = s.storage->civic();
    cv.put_project(make("y25-a", 2025, "kyodo", {"co_host"}));
    cv.put_project(make("y25-b", 2025, "shien", {"subsidy", "activity_support"}));
    REQUIRE(cv.link_listing("act-001", "y25-a"));
    Browser ed(s.port), admin(s.port);
    REQUIRE(ed.login("editor1") == 303);
    REQUIRE(admin.login("admin1") == 303);
    CHECK(admin.get("/admin/projects?fy=2025")->body.find("action=\"/admin/projects/close-year\"") != std::string::npos);
    CHECK(ed.post("/admin/projects/close-year", {{"fy", "2025"}})->status == 403);
    CHECK_FALSE(cv.closed_year(2025));
    auto closed = admin.post("/admin/projects/close-year", {{"fy", "2025"}});
    REQUIRE(closed->status == 303);
    REQUIRE(cv.closed_year(2025));
    CHECK(cv.closed_year(2025)->closed_by == "admin1");
    CHECK(ed.get("/admin/projects?fy=2025")->body.find("id=\"year-closed\"") != std::string::npos);
    CHECK(ed.get("/admin/reports/yearly?fy=2025")->body.find("協働実績 <strong>2</strong> 件") != std::string::npos);

    // A project added to the year afterwards (outside the pages) does not change its report.
    cv.put_project(make("y25-late", 2025, "kyodo", {"co_host"}));
    CHECK(ed.get("/admin/reports/yearly?fy=2025")->body.find("協働実績 <strong>2</strong> 件") != std::string::npos);
    CHECK(ed.get("/admin/reports/yearly?fy=2025")->body.find("事業y25-late") == std::string::npos);
    // The pages refuse changes to the year's projects.
    auto form = ed.get("/admin/projects/y25-a");
    auto f = form_fields(form->body, "/admin/projects/save");
    f.erase("csrf");
    auto saved = ed.post("/admin/projects/save", f);
    CHECK(saved->status == 400);
    CHECK(saved->body.find("id=\"err-fiscal_year\"") != std::string::npos);
    CHECK(ed.post("/admin/projects/y25-a/unlink", {{"listing", "act-001"}})->status == 409);
    CHECK(cv.project("y25-a")->listing_ids == std::vector<std::string>{"act-001"});
    CHECK(admin.post("/admin/projects/y25-b/delete", {})->status == 409);
    CHECK(cv.project("y25-b"));
    // Closing again keeps the first snapshot.
    CHECK(admin.post("/admin/projects/close-year", {{"fy", "2025"}})->status == 303);
    CHECK(ed.get("/admin/reports/yearly?fy=2025")->body.find("協働実績 <strong>2</strong> 件") != std::string::npos);
}

TEST_CASE("実績調査: a department account fills in and answers for its own projects only; the office sees who answered and closes the year") {
    WebServer s;
    CivicStorage& cv = s.storage->civic();
    Project mine = make("d26-a", 2026, "kyodo", {"co_host"});
    mine.department = "市民協働課";
    Project theirs = make("d26-b", 2026, "shien", {"subsidy"});
    theirs.department = "防災危機管理課";
    cv.put_project(mine);
    cv.put_project(theirs);

    Browser admin(s.port);
    REQUIRE(admin.login("admin1") == 303);
    // A department account needs its department; with one it is created and listed.
    CHECK(admin.post("/admin/staff", {{"user", "nodept"}, {"role", "department"}, {"department", " "}, {"password", kPassword}})->status == 303);
    CHECK_FALSE(s.storage->admin().staff("nodept").has_value());
    REQUIRE(admin.post("/admin/staff", {{"user", "kyodo-ka"}, {"role", "department"}, {"department", "市民協働課"}, {"password", kPassword}})->status == 303);
    CHECK(cv.staff_department("kyodo-ka") == "市民協働課");
    const std::string staff = admin.get("/admin/staff")->body;
    CHECK(staff.find("<td>kyodo-ka</td><td>担当課</td><td>市民協働課</td>") != std::string::npos);

    Browser dept(s.port);
    REQUIRE(dept.login("kyodo-ka") == 303);
    auto home = dept.get("/admin");
    CHECK(home->status == 303);
    CHECK(home->get_header_value("Location") == "/admin/survey");
    auto survey = dept.get("/admin/survey?fy=2026");
    REQUIRE(survey->status == 200);
    dept.csrf = Browser::find_csrf(survey->body);
    CHECK(survey->body.find("事業d26-a") != std::string::npos);
    CHECK(survey->body.find("事業d26-b") == std::string::npos);
    CHECK(survey->body.find("<strong>未回答</strong>") != std::string::npos);
    // The menu offers nothing else, and nothing else opens: no rosters, no residents' data.
    CHECK(survey->body.find("href=\"/admin/opinions\"") == std::string::npos);
    for (const char* path : {"/admin/projects", "/admin/projects/d26-b", "/admin/opinions", "/admin/roster/act-001", "/admin/export/signups.csv",
                             "/admin/projects.csv", "/admin/projects/d26-a/evaluation", "/admin/talent"}) {
        CAPTURE(path);
        CHECK(dept.get(path)->status == 403);
    }
    CHECK(dept.post("/admin/projects/d26-a/link", {{"listing", "act-001"}})->status == 403);

    // Its own project: edited; the department cannot be changed, another's cannot be written.
    auto f = form_fields(dept.get("/admin/projects/d26-a")->body, "/admin/projects/save");
    REQUIRE_FALSE(f.empty());
    f.erase("csrf");
    f.erase("title");
    f.emplace("title", "協働の講座（確認済み）");
    f.erase("department");
    f.emplace("department", "防災危機管理課");
    CHECK(dept.post("/admin/projects/save", f)->status == 303);
    CHECK(cv.project("d26-a")->title == "協働の講座（確認済み）");
    CHECK(cv.project("d26-a")->department == "市民協働課");
    CHECK(cv.project("d26-a")->updated_by == "kyodo-ka");
    f.erase("id");
    f.emplace("id", "d26-b");
    CHECK(dept.post("/admin/projects/save", f)->status == 403);
    CHECK(cv.project("d26-b")->title == "事業d26-b");
    // A project it adds is its department's.
    auto nf = form_fields(dept.get("/admin/projects/new?fy=2026")->body, "/admin/projects/save");
    REQUIRE_FALSE(nf.empty());
    nf.erase("csrf");
    for (const char* k : {"id", "title", "form", "methods", "status"}) nf.erase(k);
    nf.emplace("id", "d26-c");
    nf.emplace("title", "市民活動入門講座");
    nf.emplace("form", "kyodo");
    nf.emplace("methods", "co_host");
    nf.emplace("status", "running");
    auto added = dept.post("/admin/projects/save", nf);
    CHECK(added->status == 303);
    REQUIRE(cv.project("d26-c"));
    CHECK(cv.project("d26-c")->department == "市民協働課");

    // Editors and viewers do not answer for a department; a viewer still cannot write projects.
    Browser viewer(s.port), editor(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    REQUIRE(editor.login("editor1") == 303);
    CHECK(viewer.get("/admin/projects/new")->status == 403);
    CHECK(editor.post("/admin/survey/answer", {{"fy", "2026"}})->status == 403);
    CHECK(dept.post("/admin/survey/answer", {{"fy", "2026"}})->status == 303);
    const auto answers = cv.department_answers(2026);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].department == "市民協働課");
    CHECK(answers[0].projects == 2);
    CHECK(answers[0].answered_by == "kyodo-ka");
    CHECK(dept.get("/admin/survey?fy=2026")->body.find("回答済み: kyodo-ka") != std::string::npos);

    // The office sees every department: who answered, who has not.
    std::string office = viewer.get("/admin/survey?fy=2026")->body;
    CHECK(office.find("回答 <strong>1</strong> / 2 課") != std::string::npos);
    CHECK(office.find("<td>防災危機管理課</td><td>（なし）</td><td class=\"num\">1</td><td><strong class=\"warn\">未回答</strong>") != std::string::npos);
    CHECK(office.find("<td>市民協働課</td><td>kyodo-ka</td><td class=\"num\">2</td><td>回答済み kyodo-ka") != std::string::npos);
    // A change after the answer shows.
    Project later = *cv.project("d26-c");
    later.updated_at = "2999-01-01T00:00:00Z";
    cv.put_project(later);
    CHECK(viewer.get("/admin/survey?fy=2026")->body.find("回答後に変更あり") != std::string::npos);
    const std::string csv = viewer.get("/admin/survey.csv?fy=2026")->body;
    CHECK(csv.find("令和8年度,市民協働課,kyodo-ka,2,回答済み,kyodo-ka") != std::string::npos);
    CHECK(csv.find("令和8年度,防災危機管理課,,1,未回答") != std::string::npos);

    // The office closes the year: the department can no longer change or answer.
    CHECK(office.find("action=\"/admin/projects/close-year\"") == std::string::npos);   // viewers do not close
    REQUIRE(admin.get("/admin/survey?fy=2026")->body.find("action=\"/admin/projects/close-year\"") != std::string::npos);
    REQUIRE(admin.post("/admin/projects/close-year", {{"fy", "2026"}})->status == 303);
    const std::string closed = dept.get("/admin/survey?fy=2026")->body;
    CHECK(closed.find("id=\"year-closed\"") != std::string::npos);
    CHECK(closed.find("action=\"/admin/survey/answer\"") == std::string::npos);
    CHECK(dept.post("/admin/survey/answer", {{"fy", "2026"}})->status == 409);
    f.erase("id");
    f.emplace("id", "d26-a");
    CHECK(dept.post("/admin/projects/save", f)->status == 400);

    bool audited = false;
    for (const auto& e : s.storage->admin().audit_log(50))
        if (e.action == "survey_answer" && e.target == "市民協働課" && e.user == "kyodo-ka") audited = true;
    CHECK(audited);
}
