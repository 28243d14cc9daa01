// Targets per year (issue 12 point 5): seed 004's indicators ①–⑤ (⑤ measured by the staff
// survey), a target and a measured value per year editable on the dashboard with an audit
// trail, the chart with readable labels, roles and CSRF, CSV.
#include <doctest/doctest.h>

#include "core/timeutil.h"
#include "server/civic.h"
#include "server/web/html.h"
#include "server/web/projects.h"
#include "server/web/reports.h"
#include "server/web/targets.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

TEST_CASE("indicator series: the plan's baseline and targets, the year's rows win, kiosk and staff surveys measured per year") {
    const Json defs = Json::parse(slurp(sample_catalog_path()))["indicator_targets"];
    REQUIRE(defs.size() == 5);
    IndicatorYear y;
    y.code = "local_activity_participation";
    y.fiscal_year = 2012;
    y.target = 47.0;   // the year's target replaces the plan's mid target
    IndicatorYear m;
    m.code = "local_activity_participation";
    m.fiscal_year = 2024;
    m.measured = 41.2;
    m.respondents = 1500;
    m.source = "市民意識調査";
    const auto s = web::indicator_series(defs, {y, m}, {}, {{2026, {4, 3}}}, 2026);
    REQUIRE(s.size() == 5);
    CHECK(s[0].mark == "①");
    CHECK(s[4].mark == "⑤");
    CHECK(s[4].label == "協働ということを説明できる職員の割合");
    CHECK(s[4].measured_by == "staff_survey");
    // ①: 2006 baseline measured, 2012 target (the year's), 2017 target (plan), 2024 measured, 2026 present.
    REQUIRE(s[0].points.size() == 5);
    CHECK(s[0].points[0].fiscal_year == 2006);
    CHECK(*s[0].points[0].measured == doctest::Approx(37.5));
    CHECK(s[0].points[0].measured_from == "計画の現状値");
    CHECK(*s[0].points[1].target == doctest::Approx(47.0));
    CHECK(s[0].points[1].target_from == "年度目標");
    CHECK(*s[0].points[2].target == doctest::Approx(50.0));
    CHECK(s[0].points[2].target_from == "計画");
    CHECK(s[0].points[3].measured_from == "市民意識調査");
    CHECK(s[0].points[3].respondents == 1500);
    CHECK(s[0].points[4].fiscal_year == 2026);
    CHECK_FALSE(s[0].points[4].measured.has_value());
    // ⑤ from the staff survey: 3 of 4.
    const auto& last = s[4].points.back();
    CHECK(last.fiscal_year == 2026);
    CHECK(*last.measured == doctest::Approx(75.0));
    CHECK(last.measured_from == "職員アンケート");
    CHECK(*s[4].points[1].target == doctest::Approx(100.0));

    // The chart writes years (western and era), values and the legend as text.
    const std::string svg = web::svg_years(s[0]);
    for (const char* t : {">2006<", ">H18<", ">2024<", ">R6<", ">37.5<", ">47.0<", ">50.0<", ">41.2<", ">実績<", ">目標<", ">100%<", ">0%<"}) {
        CAPTURE(t);
        CHECK(svg.find(t) != std::string::npos);
    }
    CHECK(web::svg_years(s[4]).find(">R8<") != std::string::npos);
}

TEST_CASE("indicators page: an editor sets a year's target with a reason; the history records it; viewers read only") {
    WebServer s;
    const int fy = web::fiscal_year(web::jst_today());   // the staff survey answers for the current year
    const std::string year = std::to_string(fy);
    Browser ed(s.port);
    REQUIRE(ed.login("editor1") == 303);
    CHECK(ed.get("/admin/reports")->body.find("href=\"/admin/indicators\"") != std::string::npos);   // reachable from 集計・報告
    auto page = ed.get("/admin/indicators");
    REQUIRE(page);
    CHECK(page->status == 200);
    for (const char* t : {"①地域活動に参加している市民の割合", "⑤協働ということを説明できる職員の割合", "<svg class=\"chart years\""}) {
        CAPTURE(t);
        CHECK(page->body.find(t) != std::string::npos);
    }
    // No reason: refused, the error by its field, what was typed kept.
    auto r = ed.post("/admin/indicators/staff_can_explain", {{"fiscal_year", year}, {"target", "80"}, {"reason", ""}});
    REQUIRE(r);
    CHECK(r->status == 400);
    const auto at = r->body.find("id=\"f-reason\"");
    REQUIRE(at != std::string::npos);
    CHECK(r->body.find("変更の理由を入力してください", at) != std::string::npos);
    CHECK(r->body.find("value=\"80\"") != std::string::npos);
    r = ed.post("/admin/indicators/staff_can_explain", {{"fiscal_year", year}, {"target", "101"}, {"reason", "x"}});
    CHECK(r->status == 400);
    CHECK(s.storage->civic().indicator_years().empty());

    r = ed.post("/admin/indicators/staff_can_explain", {{"fiscal_year", year}, {"target", "80"}, {"reason", "計画の見直し"}});
    REQUIRE(r);
    CHECK(r->status == 303);
    // The notice survives the redirect to the indicator's #fragment (signed in the query, not in the fragment).
    const std::string loc = r->get_header_value("Location");
    CHECK(loc.find("#ind-staff_can_explain") == loc.size() - std::string("#ind-staff_can_explain").size());
    CHECK(ed.get(loc.substr(0, loc.find('#')))->body.find("の値を保存しました") != std::string::npos);
    r = ed.post("/admin/indicators/staff_can_explain", {{"fiscal_year", year}, {"target", "85"}, {"reason", "研修の成果を見込む"}});
    CHECK(r->status == 303);
    const auto ys = s.storage->civic().indicator_years();
    REQUIRE(ys.size() == 1);
    CHECK(*ys[0].target == doctest::Approx(85.0));
    const auto ch = s.storage->civic().indicator_changes("staff_can_explain");
    REQUIRE(ch.size() == 2);
    CHECK(ch[0].old_value == "80");
    CHECK(ch[0].new_value == "85");
    CHECK(ch[0].user == "editor1");
    page = ed.get("/admin/indicators");
    CHECK(page->body.find("研修の成果を見込む") != std::string::npos);
    CHECK(page->body.find("年度目標") != std::string::npos);

    // The staff survey measures ⑤: two staff answer.
    CHECK(ed.post("/admin/staff-survey", {{"answer", "yes"}})->status == 303);
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    CHECK(viewer.post("/admin/staff-survey", {{"answer", "no"}})->status == 303);
    CHECK(viewer.post("/admin/staff-survey", {{"answer", "no"}}, false)->status == 403);
    CHECK(s.storage->civic().staff_survey_totals().at(fy).answered == 2);
    CHECK(viewer.get("/admin/staff-survey")->body.find("50.0%") != std::string::npos);
    const std::string v = viewer.get("/admin/indicators")->body;
    CHECK(v.find("職員アンケート</td>") != std::string::npos);
    CHECK(v.find("action=\"/admin/indicators/") == std::string::npos);   // no edit form for viewers
    CHECK(viewer.post("/admin/indicators/staff_can_explain", {{"fiscal_year", year}, {"target", "10"}, {"reason", "x"}})->status == 403);
    CHECK(ed.post("/admin/indicators/no_such", {{"fiscal_year", year}, {"target", "10"}, {"reason", "x"}})->status == 404);

    auto csv = viewer.get("/admin/indicators.csv");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBF指標,名称,年度", 0) == 0);
    CHECK(csv->body.find("staff_can_explain,⑤協働ということを説明できる職員の割合," + year + "," + web::era_year_ja(fy) +
                         ",85.0,年度目標,50.0,職員アンケート,2\r\n") != std::string::npos);
}
