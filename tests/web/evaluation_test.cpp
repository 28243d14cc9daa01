// The check sheet and the evaluation sheet (issue 12 point 4), server-side: seed 002's 資料2
// (25 items: 計画段階 9, 実施段階 6, 成果把握 5, 事業改善 5) word for word; the department's
// self-evaluation on the dashboard and the partner's through a per-project secret link (hashed at
// rest, shown once, re-issue replaces, revocable, same-origin form token), summarised side by
// side; the project's page shows its evaluations year by year; the 協働チェックシート as a guided
// form, one question at a time, ending in seed 002's three kinds of service.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "server/civic.h"
#include "server/web/evaluation.h"
#include "server/web/html.h"
#include "server/web/text.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

// Seed 002 lives beside the repository (../shared/seeds, or ../../shared/seeds from a worktree),
// or where KYODO_SEEDS_DIR says. "" when not found.
std::string seed002_text() {
    std::vector<std::string> dirs;
    if (const char* d = std::getenv("KYODO_SEEDS_DIR")) dirs.emplace_back(d);
    dirs.push_back(std::string(KYODO_SOURCE_DIR) + "/../shared/seeds");
    dirs.push_back(std::string(KYODO_SOURCE_DIR) + "/../../shared/seeds");
    for (const auto& d : dirs)
        if (std::filesystem::exists(d + "/002_bcf9c67ab618af8b.txt")) return slurp(d + "/002_bcf9c67ab618af8b.txt");
    return "";
}

Project project(const std::string& id, int fy, const std::string& title = "子育てサロン運営事業") {
    Project p;
    p.id = id;
    p.fiscal_year = fy;
    p.title = title;
    p.department = "こども未来部こども家庭課";
    p.form = "kyodo";
    p.methods = {"co_host"};
    p.partners = {{"", "NPO法人 ひだまり"}};
    p.status = "running";
    return p;
}

// Every item of the sheet answered `a`, with one stage's comment.
httplib::Params answers(const std::string& a, const std::string& who_fields = "") {
    httplib::Params p;
    for (const auto& st : web::evaluation_stages())
        for (std::size_t i = 1; i <= st.items.size(); ++i) p.emplace("q_" + std::string(st.code) + "_" + std::to_string(i), a);
    if (!who_fields.empty()) p.emplace("name", who_fields);
    return p;
}

std::string between(const std::string& html, const std::string& from, const std::string& to) {
    const auto a = html.find(from);
    if (a == std::string::npos) return "";
    const auto b = html.find(to, a + from.size());
    return html.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

}  // namespace

TEST_CASE("evaluation sheet: seed 002's 資料2, 25 items in four stages, word for word") {
    // The sheet's words are table entries (evaluation.json); outside a request tr() is Japanese.
    const auto& st = web::evaluation_stages();
    REQUIRE(st.size() == 4);
    CHECK(web::tr(st[0].label) == "計画段階");
    CHECK(st[0].items.size() == 9);
    CHECK(web::tr(st[1].label) == "実施段階");
    CHECK(st[1].items.size() == 6);
    CHECK(web::tr(st[2].label) == "成果把握");
    CHECK(st[2].items.size() == 5);
    CHECK(web::tr(st[3].label) == "事業改善");
    CHECK(st[3].items.size() == 5);
    CHECK(web::evaluation_item_count() == 25);
    const std::string seed = seed002_text();
    if (seed.empty()) {
        MESSAGE("seed 002 not found beside the repository; its text is not compared");
        return;
    }
    // Each item is a line of the seed's table: "<stage>\t<n> <text>" or "\t<n> <text>".
    for (const auto& s : st)
        for (std::size_t i = 0; i < s.items.size(); ++i) {
            const std::string line = std::to_string(i + 1) + " " + web::tr(s.items[i]);   // the tables' Japanese
            CHECK_MESSAGE(seed.find(line) != std::string::npos, line);
        }
}

TEST_CASE("evaluation: the department's self-evaluation and the partner's through its link, side by side, year by year") {
    WebServer s;
    CivicStorage& cv = s.storage->civic();
    cv.put_project(project("kosodate-2025", 2025));
    cv.put_project(project("kosodate-2026", 2026));   // the same 事業 in the next year's register
    cv.put_project(project("other-2026", 2026, "別の事業"));

    Browser ed(s.port), viewer(s.port);
    REQUIRE(ed.login("editor1") == 303);
    REQUIRE(viewer.login("viewer1") == 303);

    // The self-evaluation form: the 25 items of the sheet for the project's year.
    auto form = ed.get("/admin/projects/kosodate-2026/evaluation/self");
    REQUIRE(form->status == 200);
    CHECK(form->body.find("協働事業の評価シート") != std::string::npos);
    CHECK(form->body.find("事業の目的は明確ですか") != std::string::npos);
    CHECK(form->body.find("協働のパートナーと行政の双方にメリットがありましたか") != std::string::npos);
    CHECK(form->body.find("name=\"q_improve_5\"") != std::string::npos);
    CHECK(form->body.find("令和8年度") != std::string::npos);

    // Viewers read; they cannot save. Without the CSRF token nothing is saved either.
    auto p = answers("yes");
    p.emplace("fy", "2026");
    CHECK(viewer.post("/admin/projects/kosodate-2026/evaluation/self", p)->status == 403);
    CHECK(ed.post("/admin/projects/kosodate-2026/evaluation/self", p, false)->status == 403);
    CHECK(cv.evaluations("kosodate-2026").empty());

    // The department answers はい everywhere except two items, with a comment on 実施段階.
    p.erase("q_do_5");
    p.emplace("q_do_5", "no");
    p.erase("q_result_5");
    p.emplace("q_result_5", "partly");
    p.emplace("comment_do", "月1回の定例会で進捗を共有した");
    auto saved = ed.post("/admin/projects/kosodate-2026/evaluation/self", p);
    REQUIRE(saved->status == 303);
    CHECK(saved->get_header_value("Location").find("/admin/projects/kosodate-2026/evaluation?fy=2026") == 0);
    const auto evs = cv.evaluations("kosodate-2026");
    REQUIRE(evs.size() == 4);   // one row per stage
    int self_yes = 0;
    for (const auto& e : evs) {
        CHECK(e.evaluator == "self");
        CHECK(e.fiscal_year == 2026);
        CHECK(e.by == "editor1");
        for (const auto& [n, a] : e.answers) self_yes += a == "yes";
        if (e.stage == "do") {
            CHECK(e.answers.at(5) == "no");
            CHECK(e.comment == "月1回の定例会で進捗を共有した");
        }
    }
    CHECK(self_yes == 23);
    // An answer that is not one of the scale is refused by its field.
    auto bad = answers("yes");
    bad.emplace("fy", "2026");
    bad.erase("q_plan_1");
    bad.emplace("q_plan_1", "maybe");
    auto refused = ed.post("/admin/projects/kosodate-2026/evaluation/self", bad);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("id=\"err-q_plan_1\"") != std::string::npos);

    // The partner's link: issued by an editor, shown once, stored hashed.
    CHECK(viewer.post("/admin/projects/kosodate-2026/evaluation-link", {{"op", "issue"}})->status == 403);
    auto issued = ed.post("/admin/projects/kosodate-2026/evaluation-link", {{"op", "issue"}});
    REQUIRE(issued->status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(issued->body, m, std::regex("/p/evaluation/([A-Za-z0-9_-]+)</code>")));
    const std::string token = m[1].str();
    const auto link = cv.evaluation_link("kosodate-2026");
    REQUIRE(link);
    CHECK(link->token_hash == sha256_hex(token));
    CHECK(!link->revoked);
    CHECK(slurp((s.dir / "server.db").string()).find(token) == std::string::npos);
    CHECK(ed.get("/admin/projects/kosodate-2026/evaluation?fy=2026")->body.find(token) == std::string::npos);
    CHECK(ed.get("/admin/projects/kosodate-2026")->body.find(token) == std::string::npos);

    // The partner's page: no login, the project and the same 25 items, no staff data.
    httplib::Client partner("127.0.0.1", s.port);
    auto page = partner.Get("/p/evaluation/" + token);
    REQUIRE(page->status == 200);
    CHECK(page->body.find("子育てサロン運営事業") != std::string::npos);
    CHECK(page->body.find("成果目標を公開できますか") != std::string::npos);
    CHECK(page->body.find("editor1") == std::string::npos);
    CHECK(page->body.find("月1回の定例会") == std::string::npos);   // the department's answers are not shown
    REQUIRE(std::regex_search(page->body, m, std::regex("name=\"t\" value=\"([^\"]+)\"")));
    const std::string t = m[1].str();
    auto pp = answers("yes", "NPO法人 ひだまり 山田");
    pp.emplace("fy", "2026");
    pp.emplace("t", t);
    pp.erase("q_do_5");
    pp.emplace("q_do_5", "partly");   // differs from the department's いいえ
    pp.emplace("comment_improve", "来年度も続けたい");
    // From another site: refused.
    httplib::Headers cross{{"Origin", "https://evil.example"}};
    CHECK(partner.Post("/p/evaluation/" + token, cross, pp)->status == 403);
    httplib::Headers same{{"Origin", "http://127.0.0.1:" + std::to_string(s.port)}, {"Sec-Fetch-Site", "same-origin"}};
    // Without the name of who fills it in: asked for by its field.
    auto noname = pp;
    noname.erase("name");
    auto asked = partner.Post("/p/evaluation/" + token, same, noname);
    CHECK(asked->status == 400);
    CHECK(asked->body.find("id=\"err-name\"") != std::string::npos);
    auto sent = partner.Post("/p/evaluation/" + token, same, pp);
    REQUIRE(sent->status == 303);
    CHECK(partner.Get(sent->get_header_value("Location"))->body.find("ありがとうございました") != std::string::npos);
    int partner_rows = 0;
    for (const auto& e : cv.evaluations("kosodate-2026"))
        if (e.evaluator == "partner") {
            ++partner_rows;
            CHECK(e.by == "NPO法人 ひだまり 山田");
        }
    CHECK(partner_rows == 4);
    bool audited = false;
    for (const auto& e : s.storage->admin().audit_log(50)) audited = audited || e.action == "evaluation_partner";
    CHECK(audited);

    // Side by side: each item with both answers; the item they answered differently is marked.
    auto sum = viewer.get("/admin/projects/kosodate-2026/evaluation?fy=2026");
    REQUIRE(sum->status == 200);
    CHECK(sum->body.find("担当課（自己評価）") != std::string::npos);
    CHECK(sum->body.find("パートナー") != std::string::npos);
    const std::string row = between(sum->body, "id=\"item-do-5\"", "</tr>");
    REQUIRE(!row.empty());
    CHECK(row.find("differs") != std::string::npos);
    CHECK(row.find("いいえ") != std::string::npos);
    CHECK(row.find("一部") != std::string::npos);
    CHECK(between(sum->body, "id=\"item-plan-1\"", "</tr>").find("differs") == std::string::npos);
    CHECK(sum->body.find("来年度も続けたい") != std::string::npos);
    CHECK(sum->body.find("NPO法人 ひだまり 山田") != std::string::npos);
    CHECK(sum->body.find("id=\"score-self\">23 / 25") != std::string::npos);
    CHECK(sum->body.find("id=\"score-partner\">24 / 25") != std::string::npos);

    // Last year's sheet of the same 事業 (same title and department) joins the history.
    EvaluationSheet last;
    last.project_id = "kosodate-2025";
    last.fiscal_year = 2025;
    last.stage = "plan";
    last.evaluator = "self";
    last.answers = {{1, "yes"}, {2, "no"}};
    last.by = "editor1";
    last.at = "2025-10-01T00:00:00Z";
    cv.put_evaluation(last);
    auto pg = viewer.get("/admin/projects/kosodate-2026");
    REQUIRE(pg->status == 200);
    const std::string hist = between(pg->body, "id=\"evaluation-history\"", "</table>");
    REQUIRE(!hist.empty());
    CHECK(hist.find("令和7年度") != std::string::npos);
    CHECK(hist.find("令和8年度") != std::string::npos);
    CHECK(hist.find("23 / 25") != std::string::npos);
    CHECK(hist.find("24 / 25") != std::string::npos);
    CHECK(hist.find("1 / 2") != std::string::npos);   // last year: 2 answered, 1 はい
    CHECK(hist.find("/admin/projects/kosodate-2025/evaluation?fy=2025") != std::string::npos);
    CHECK(pg->body.find("評価用リンク: 発行済み") != std::string::npos);
    // Another 事業's page has none of it.
    CHECK(between(viewer.get("/admin/projects/other-2026")->body, "id=\"evaluation-history\"", "</table>").find("令和7年度") == std::string::npos);

    // Revoked: the link stops at once (404, counted as a failure); re-issue gives a new one.
    REQUIRE(ed.post("/admin/projects/kosodate-2026/evaluation-link", {{"op", "revoke"}})->status == 303);
    CHECK(partner.Get("/p/evaluation/" + token)->status == 404);
    CHECK(partner.Post("/p/evaluation/" + token, same, pp)->status == 404);
    auto again = ed.post("/admin/projects/kosodate-2026/evaluation-link", {{"op", "issue"}});
    REQUIRE(std::regex_search(again->body, m, std::regex("/p/evaluation/([A-Za-z0-9_-]+)</code>")));
    CHECK(m[1].str() != token);
    CHECK(partner.Get("/p/evaluation/" + m[1].str())->status == 200);
    CHECK(partner.Get("/p/evaluation/" + std::string(32, 'x'))->status == 404);
}

TEST_CASE("check sheet: a guided form, one question at a time, ends in seed 002's kinds of service and a method") {
    WebServer s;
    Browser ed(s.port), viewer(s.port);
    REQUIRE(ed.login("editor1") == 303);
    REQUIRE(viewer.login("viewer1") == 303);

    auto start = ed.get("/admin/checksheets/new");
    REQUIRE(start->status == 200);
    CHECK(start->body.find("協働チェックシート") != std::string::npos);
    CHECK(viewer.get("/admin/checksheets/new")->status == 403);
    // The service's name is needed before the questions.
    auto err = ed.post("/admin/checksheets/new", {{"service", ""}, {"department", "環境部環境課"}, {"fiscal_year", "2026"}, {"op", "next"}});
    CHECK(err->status == 400);
    CHECK(err->body.find("id=\"err-service\"") != std::string::npos);

    // Walk: not public power, not a private activity, better with citizens, equal partners, a
    // committee of both → 協働で実施すべき事業, ①市民協働事業, A 実行委員会.
    httplib::Params f{{"service", "河川清掃の日"}, {"department", "環境部環境課"}, {"fiscal_year", "2026"}, {"op", "next"}};
    auto q1 = ed.post("/admin/checksheets/new", f);
    REQUIRE(q1->status == 200);
    CHECK(q1->body.find("name=\"a_power\"") != std::string::npos);
    CHECK(q1->body.find("name=\"a_private\"") == std::string::npos);   // one question at a time
    f.emplace("a_power", "no");
    auto q2 = ed.post("/admin/checksheets/new", f);
    CHECK(q2->body.find("name=\"a_private\"") != std::string::npos);
    CHECK(q2->body.find("許認可") != std::string::npos);   // the answered question stays in view
    f.emplace("a_private", "no");
    f.emplace("a_benefit", "yes");
    f.emplace("a_lead", "equal");
    auto q5 = ed.post("/admin/checksheets/new", f);
    CHECK(q5->body.find("name=\"a_body\"") != std::string::npos);
    // 戻る drops the last answer.
    auto back = f;
    back.erase("op");
    back.emplace("op", "back");
    CHECK(ed.post("/admin/checksheets/new", back)->body.find("name=\"a_lead\"") != std::string::npos);
    f.emplace("a_body", "yes");
    auto result = ed.post("/admin/checksheets/new", f);
    REQUIRE(result->status == 200);
    CHECK(result->body.find("協働で実施すべき事業") != std::string::npos);
    CHECK(result->body.find("A 実行委員会") != std::string::npos);
    CHECK(result->body.find("市民行政協力") != std::string::npos);
    // An answer off the path is ignored; saving stores the path and the result.
    auto sv = f;
    sv.erase("op");
    sv.emplace("op", "save");
    sv.emplace("a_facility", "yes");
    auto saved = ed.post("/admin/checksheets/new", sv);
    REQUIRE(saved->status == 303);
    const std::string loc = saved->get_header_value("Location");
    REQUIRE(loc.find("/admin/checksheets/") == 0);
    const auto sheets = s.storage->civic().check_sheets(2026);
    REQUIRE(sheets.size() == 1);
    CHECK(sheets[0].service == "河川清掃の日");
    CHECK(sheets[0].result == "kyodo_committee");
    CHECK(sheets[0].answers.size() == 5);
    CHECK(sheets[0].answers.count("facility") == 0);
    CHECK(sheets[0].by == "editor1");
    auto view = viewer.get(loc.substr(0, loc.find('?')));
    REQUIRE(view->status == 200);
    CHECK(view->body.find("河川清掃の日") != std::string::npos);
    CHECK(view->body.find("協働で実施すべき事業") != std::string::npos);
    // From the result to the register: the new-project form comes filled in.
    CHECK(ed.get(loc.substr(0, loc.find('?')))->body.find("/admin/projects/new?fy=2026&amp;title=") != std::string::npos);
    auto np = ed.get("/admin/projects/new?fy=2026&title=" + web::url_encode("河川清掃の日") +
                     "&department=" + web::url_encode("環境部環境課") + "&form=kyodo&method=executive_committee");
    REQUIRE(np->status == 200);
    CHECK(np->body.find("value=\"河川清掃の日\"") != std::string::npos);
    CHECK(np->body.find("value=\"executive_committee\" checked") != std::string::npos);
    auto list = viewer.get("/admin/checksheets?fy=2026");
    CHECK(list->body.find("河川清掃の日") != std::string::npos);
    CHECK(s.storage->civic().check_sheets(2025).empty());

    // A licence is the city's own: 行政で実施すべき事業 at the first question.
    httplib::Params g{{"service", "飲食店営業許可"}, {"department", "保健所"}, {"fiscal_year", "2026"}, {"op", "next"}, {"a_power", "yes"}};
    auto r2 = ed.post("/admin/checksheets/new", g);
    CHECK(r2->body.find("行政で実施すべき事業") != std::string::npos);
    CHECK(r2->body.find("行政主体") != std::string::npos);
    // The city's facility run by a designated manager.
    httplib::Params h{{"service", "地域交流センターの管理"}, {"department", "地域振興部"}, {"fiscal_year", "2026"}, {"op", "next"},
                      {"a_power", "no"}, {"a_private", "no"}, {"a_benefit", "yes"}, {"a_lead", "city"}, {"a_facility", "yes"}};
    CHECK(ed.post("/admin/checksheets/new", h)->body.find("E 指定管理者") != std::string::npos);
}

TEST_CASE("check sheet flow: every path ends in a result; every result names its kind of service") {
    // Walk every combination of answers from the first question.
    int results = 0;
    std::function<void(std::map<std::string, std::string>)> walk = [&](std::map<std::string, std::string> a) {
        const auto w = web::check_walk(a);
        if (w.result) {
            ++results;
            CHECK(!std::string(w.result->kind).empty());
            CHECK(!std::string(w.result->domain).empty());
            return;
        }
        REQUIRE(w.next);
        REQUIRE(w.path.size() < 10);
        for (const auto& o : w.next->options) {
            auto b = a;
            b[w.next->code] = o.value;
            walk(b);
        }
    };
    walk({});
    CHECK(results == 19);   // 3 early results + 8 methods reached two ways
}

TEST_CASE("evaluation: residents' view — survey answers given at the kiosk on the project's listings, beside self and partner") {
    WebServer s;
    CivicStorage& cv = s.storage->civic();
    Project p;
    p.id = "kyodo-forum-2026";
    p.fiscal_year = 2026;
    p.title = "協働フォーラム";
    p.form = "kyodo";
    p.methods = {"co_host"};
    p.status = "running";
    cv.put_project(p);
    REQUIRE(cv.link_listing("act-064", p.id));
    auto response = [](int scale, const std::string& activity) {
        Json pl = {{"survey_id", "srv-kyodo-2026"},
                   {"survey_version", 1},
                   {"answers",
                    Json::array({{{"question_id", "q1"}, {"choice", 0}},
                                 {{"question_id", "q2"}, {"choice", 0}},
                                 {{"question_id", "q3"}, {"choice", 0}},
                                 {{"question_id", "q4"}, {"scale", scale}}})}};
        if (!activity.empty()) pl["activity_id"] = activity;
        return make_record(RecordKind::SurveyResponse, pl);
    };
    // Two answers offered on the project's listing (scale 4 and 2 of 1–5: 75% and 25%), one from
    // the survey list and one on another listing: only the first two are the project's.
    REQUIRE(s.push({response(4, "act-064"), response(2, "act-064"), response(5, ""), response(5, "act-003")}).stored == 4);
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    const std::string page = viewer.get("/admin/projects/" + p.id)->body;
    CHECK(page.find("<th>住民（キオスクのアンケート）</th>") != std::string::npos);
    CHECK(page.find("<td class=\"residents\">回答 2 件・評価 50%</td>") != std::string::npos);
    const std::string side = viewer.get("/admin/projects/" + p.id + "/evaluation?fy=2026")->body;
    CHECK(side.find("回答 2 件・評価 50%</p>") != std::string::npos);
}
