// The civic registers (server/civic.h: projects and their listings, agreements, indicator
// years with their audit trail, the staff survey) with identical expectations on SQLite (a temp
// file) and PostgreSQL ($KYODO_PG_URL, a fresh schema per test; skipped when unset unless CI).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/timeutil.h"
#include "engines.h"
#include "server/civic.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

Project project(const std::string& id, int fy, const std::string& form, std::vector<std::string> methods) {
    Project p;
    p.id = id;
    p.fiscal_year = fy;
    p.title = "事業 " + id;
    p.department = "市民生活部協働推進課";
    p.form = form;
    p.methods = std::move(methods);
    p.partners = {{"org-1", "NPO法人 ひかり"}, {"", "○○地区社会福祉協議会"}};
    p.budget_yen = 1200000;
    p.goals = "参加者 100 人\n満足度 8 割";
    p.status = "done";
    p.updated_by = "editor1";
    p.updated_at = "2026-12-06T03:00:00Z";
    return p;
}

}  // namespace

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE_TEMPLATE("civic: projects round-trip, by year, a listing belongs to one project or none", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    CHECK(cv.projects(0).empty());
    CHECK(cv.project_years().empty());

    cv.put_project(project("r3-bg-1", 2021, "shien", {"subsidy", "activity_support"}));
    CHECK(cv.put_projects({project("r3-a-1", 2021, "kyodo", {"executive_committee"}), project("r4-d-1", 2022, "kyoryoku", {"cooperation"})}) == 2);
    const auto p = cv.project("r3-bg-1");
    REQUIRE(p);
    CHECK(p->fiscal_year == 2021);
    CHECK(p->methods == std::vector<std::string>{"subsidy", "activity_support"});
    REQUIRE(p->partners.size() == 2);
    CHECK(p->partners[0].org_id == "org-1");
    CHECK(p->partners[1].name == "○○地区社会福祉協議会");
    CHECK(p->budget_yen == 1200000);
    CHECK(p->goals == "参加者 100 人\n満足度 8 割");
    CHECK(p->status == "done");
    CHECK(p->updated_by == "editor1");

    CHECK(cv.project_years() == std::vector<int>{2021, 2022});
    const auto y21 = cv.projects(2021);
    REQUIRE(y21.size() == 2);
    CHECK(y21[0].id == "r3-a-1");   // by id within the year
    CHECK(cv.projects(0).size() == 3);

    // Links: one project per listing; moving it moves it; "" unlinks; unknown project refused.
    CHECK(cv.link_listing("act-001", "r3-bg-1"));
    CHECK(cv.link_listing("act-002", "r3-bg-1"));
    CHECK(cv.project("r3-bg-1")->listing_ids == std::vector<std::string>{"act-001", "act-002"});
    CHECK(cv.link_listing("act-002", "r3-a-1"));
    CHECK(cv.project("r3-bg-1")->listing_ids == std::vector<std::string>{"act-001"});
    CHECK(cv.projects(2021)[0].listing_ids == std::vector<std::string>{"act-002"});
    CHECK_FALSE(cv.link_listing("act-003", "no-such-project"));
    CHECK(cv.listing_projects().size() == 2);
    CHECK(cv.link_listing("act-001", ""));
    CHECK(cv.listing_projects() == std::map<std::string, std::string>{{"act-002", "r3-a-1"}});

    // Replacing keeps links; deleting frees them.
    Project changed = project("r3-a-1", 2021, "kyodo", {"co_host"});
    changed.budget_yen = -1;
    cv.put_project(changed);
    CHECK(cv.project("r3-a-1")->methods == std::vector<std::string>{"co_host"});
    CHECK(cv.project("r3-a-1")->budget_yen == -1);
    CHECK(cv.project("r3-a-1")->listing_ids == std::vector<std::string>{"act-002"});
    CHECK(cv.delete_project("r3-a-1"));
    CHECK_FALSE(cv.delete_project("r3-a-1"));
    CHECK(cv.listing_projects().empty());

    // Reopening keeps everything and migrates nothing.
    st.reset();
    st = open_storage(eng.spec());
    CHECK(st->civic().projects(0).size() == 2);
}

TEST_CASE_TEMPLATE("civic: agreements round-trip with their steps and initiatives; valid on a date", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    Agreement a;
    a.id = "agr-1";
    a.kind = "comprehensive";
    a.title = "健康づくり等に関する包括連携協定";
    a.partner = {"org-co-1", "株式会社サンプル薬局"};
    a.fields = {"健康", "高齢者支援", "防災"};
    a.departments = {"市民生活部地域活動推進課"};
    a.signed_on = "2023-07-01";
    a.ends_on = "2026-03-31";
    a.renewed_on = "2025-04-01";
    a.status = "valid";
    a.steps = {{"proposed", "2023-01-10", "企業から申出"}, {"signed", "2023-07-01", ""}};
    a.initiatives = {{"熱中症対策アンバサダー養成講座", "健康", "2024-06-20", "r6-x", "act-010"}};
    cv.put_agreement(a);
    Agreement b = a;
    b.id = "agr-0";
    b.kind = "individual";
    b.signed_on = "2020-01-01";
    b.ends_on = "";
    b.steps.clear();
    b.initiatives.clear();
    CHECK(cv.put_agreements({b}) == 1);

    const auto all = cv.agreements();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "agr-0");   // by signed date
    const auto got = cv.agreement("agr-1");
    REQUIRE(got);
    CHECK(got->kind == "comprehensive");
    CHECK(got->partner.org_id == "org-co-1");
    CHECK(got->fields == a.fields);
    CHECK(got->renewed_on == "2025-04-01");
    REQUIRE(got->steps.size() == 2);
    CHECK(got->steps[0].note == "企業から申出");
    REQUIRE(got->initiatives.size() == 1);
    CHECK(got->initiatives[0].listing_id == "act-010");
    CHECK(agreement_valid_on(*got, "2024-06-01"));
    CHECK_FALSE(agreement_valid_on(*got, "2026-04-01"));
    CHECK_FALSE(agreement_valid_on(*got, "2023-06-30"));
    CHECK(cv.delete_agreement("agr-0"));
    CHECK(cv.agreements().size() == 1);
}

TEST_CASE_TEMPLATE("civic: indicator years keep an audit trail of every changed value; the staff survey counts", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    IndicatorYear v;
    v.code = "staff_can_explain";
    v.fiscal_year = 2026;
    v.target = 80.0;
    v.updated_by = "admin1";
    v.updated_at = "2026-12-06T03:00:00Z";
    CHECK(cv.set_indicator_year(v, "計画どおり") == 1);
    CHECK(cv.set_indicator_year(v, "同じ") == 0);   // nothing changed: no audit row
    v.target = 85.5;
    v.measured = 42.0;
    v.respondents = 120;
    v.source = "職員アンケート";
    v.updated_by = "editor1";
    v.updated_at = "2026-12-06T04:00:00Z";
    CHECK(cv.set_indicator_year(v, "見直し") == 4);
    const auto ys = cv.indicator_years();
    REQUIRE(ys.size() == 1);
    CHECK(*ys[0].target == doctest::Approx(85.5));
    CHECK(*ys[0].measured == doctest::Approx(42.0));
    CHECK(ys[0].respondents == 120);
    const auto ch = cv.indicator_changes("staff_can_explain");
    REQUIRE(ch.size() == 5);
    bool saw_target = false;
    for (const auto& c : ch)
        if (c.field == "target" && c.old_value == "80") {
            saw_target = true;
            CHECK(c.new_value == "85.5");
            CHECK(c.user == "editor1");
            CHECK(c.reason == "見直し");
        }
    CHECK(saw_target);
    CHECK(ch.back().field == "target");   // oldest last
    CHECK(ch.back().new_value == "80");
    CHECK(cv.indicator_changes("other").empty());

    cv.put_staff_answer(2026, "a", true, rfc3339_now());
    cv.put_staff_answer(2026, "b", false, rfc3339_now());
    cv.put_staff_answer(2026, "b", true, rfc3339_now());   // changed their answer
    cv.put_staff_answer(2025, "a", false, rfc3339_now());
    const auto t = cv.staff_survey_totals();
    CHECK(t.at(2026).answered == 2);
    CHECK(t.at(2026).yes == 2);
    CHECK(t.at(2025).yes == 0);
    CHECK(cv.staff_answer(2026, "b") == std::optional<bool>(true));
    CHECK_FALSE(cv.staff_answer(2024, "b").has_value());
}

TEST_CASE_TEMPLATE("civic: evaluation sheets per project, year, stage and evaluator; partner links; check sheets", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    cv.put_project(project("p1", 2026, "kyodo", {"co_host"}));
    CHECK(cv.evaluations("p1").empty());

    EvaluationSheet s;
    s.project_id = "p1";
    s.fiscal_year = 2026;
    s.stage = "plan";
    s.evaluator = "self";
    s.answers = {{1, "yes"}, {2, "partly"}, {9, "no"}};
    s.comment = "役割分担を文書にした";
    s.by = "editor1";
    s.at = "2026-12-06T03:00:00Z";
    cv.put_evaluation(s);
    EvaluationSheet partner = s;
    partner.evaluator = "partner";
    partner.answers = {{1, "yes"}};
    partner.by = "NPO法人 ひかり 山田";
    cv.put_evaluation(partner);
    EvaluationSheet later = s;
    later.fiscal_year = 2027;
    later.stage = "do";
    later.answers = {{1, "na"}};
    cv.put_evaluation(later);
    // The same project, year, stage and evaluator again: replaced, not added.
    s.answers = {{1, "yes"}, {2, "yes"}, {9, "no"}};
    s.comment = "";
    cv.put_evaluation(s);

    const auto evs = cv.evaluations("p1");
    REQUIRE(evs.size() == 3);
    // By year, stage in the sheet's order, evaluator.
    CHECK(evs[0].fiscal_year == 2026);
    CHECK(evs[0].evaluator == "partner");
    CHECK(evs[0].by == "NPO法人 ひかり 山田");
    CHECK(evs[1].evaluator == "self");
    CHECK(evs[1].answers == std::map<int, std::string>{{1, "yes"}, {2, "yes"}, {9, "no"}});
    CHECK(evs[1].comment.empty());
    CHECK(evs[2].fiscal_year == 2027);
    CHECK(evs[2].stage == "do");
    CHECK(cv.evaluations("other").empty());

    // A partner link per project: replaced by a new one, revoked, found only while live.
    CHECK_FALSE(cv.evaluation_link("p1"));
    cv.put_evaluation_link({"p1", "hash-1", "2026-12-06T03:00:00Z", "editor1", false, ""});
    CHECK(cv.evaluation_link_by_token("hash-1")->project_id == "p1");
    cv.put_evaluation_link({"p1", "hash-2", "2026-12-06T04:00:00Z", "editor1", false, ""});
    CHECK_FALSE(cv.evaluation_link_by_token("hash-1"));
    CHECK(cv.evaluation_link("p1")->token_hash == "hash-2");
    CHECK(cv.revoke_evaluation_link("p1", "2026-12-06T05:00:00Z"));
    CHECK_FALSE(cv.revoke_evaluation_link("p1", "2026-12-06T05:00:00Z"));
    CHECK_FALSE(cv.evaluation_link_by_token("hash-2"));
    CHECK(cv.evaluation_link("p1")->revoked);
    CHECK(cv.evaluation_link("p1")->revoked_at == "2026-12-06T05:00:00Z");

    // Deleting the project takes its sheets and link with it.
    cv.put_project(project("p2", 2026, "kyodo", {"co_host"}));
    s.project_id = "p2";
    cv.put_evaluation(s);
    cv.put_evaluation_link({"p2", "hash-3", "2026-12-06T03:00:00Z", "editor1", false, ""});
    CHECK(cv.delete_project("p2"));
    CHECK(cv.evaluations("p2").empty());
    CHECK_FALSE(cv.evaluation_link_by_token("hash-3"));

    // Check sheets: by year, newest first, with their answers.
    CheckSheet c;
    c.id = "cs-1";
    c.fiscal_year = 2026;
    c.service = "河川清掃の日";
    c.department = "環境部環境課";
    c.answers = {{"power", "no"}, {"private", "no"}, {"benefit", "yes"}, {"lead", "equal"}, {"body", "yes"}};
    c.result = "kyodo_committee";
    c.note = "来年度から実行委員会方式";
    c.by = "editor1";
    c.at = "2026-12-06T03:00:00Z";
    cv.put_check_sheet(c);
    CheckSheet d = c;
    d.id = "cs-2";
    d.fiscal_year = 2025;
    cv.put_check_sheet(d);
    REQUIRE(cv.check_sheets(2026).size() == 1);
    CHECK(cv.check_sheets(0).size() == 2);
    const auto got = cv.check_sheet("cs-1");
    REQUIRE(got);
    CHECK(got->answers == c.answers);
    CHECK(got->result == "kyodo_committee");
    CHECK(got->note == "来年度から実行委員会方式");
    CHECK_FALSE(cv.check_sheet("cs-9"));

    // Reopening migrates an existing database forward and keeps everything.
    st.reset();
    st = open_storage(eng.spec());
    CHECK(st->civic().evaluations("p1").size() == 3);
    CHECK(st->civic().check_sheets(0).size() == 2);
}

TEST_CASE_TEMPLATE("civic: a closed year keeps its first snapshot", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    CHECK_FALSE(cv.closed_year(2025));
    CHECK(cv.close_year({2025, "admin1", "2026-04-10T00:00:00Z", R"({"projects":[{"id":"a"}]})"}));
    CHECK_FALSE(cv.close_year({2025, "admin2", "2026-04-11T00:00:00Z", R"({"projects":[]})"}));
    const auto y = cv.closed_year(2025);
    REQUIRE(y);
    CHECK(y->closed_by == "admin1");
    CHECK(y->snapshot == R"({"projects":[{"id":"a"}]})");
    CHECK_FALSE(cv.closed_year(2026));
}

TEST_CASE_TEMPLATE("civic: department accounts and their answers to the year's 実績調査", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    CHECK(cv.staff_department("dept-a") == "");
    cv.put_staff_department("dept-a", "市民協働課");
    cv.put_staff_department("dept-b", "防災危機管理課");
    cv.put_staff_department("dept-b", "地域振興課");   // moved to another department
    CHECK(cv.staff_department("dept-a") == "市民協働課");
    CHECK(cv.staff_department("dept-b") == "地域振興課");
    CHECK(cv.staff_departments().size() == 2);
    cv.put_staff_department("dept-a", "");   // no longer a department account
    CHECK(cv.staff_department("dept-a") == "");
    CHECK(cv.staff_departments().size() == 1);

    cv.put_department_answer({2026, "地域振興課", "dept-b", "2027-04-20T01:00:00Z", 3});
    cv.put_department_answer({2026, "市民協働課", "dept-c", "2027-04-21T01:00:00Z", 5});
    cv.put_department_answer({2026, "地域振興課", "dept-b", "2027-04-22T01:00:00Z", 4});   // answered again
    cv.put_department_answer({2025, "地域振興課", "dept-b", "2026-04-22T01:00:00Z", 2});
    const auto a = cv.department_answers(2026);
    REQUIRE(a.size() == 2);
    CHECK(a[0].department == "地域振興課");   // by department (byte order)
    CHECK(a[0].projects == 4);
    CHECK(a[0].answered_at == "2027-04-22T01:00:00Z");
    CHECK(a[1].department == "市民協働課");
    CHECK(cv.department_answers(2025).size() == 1);
    CHECK(cv.department_answers(2024).empty());

    // Reopening migrates forward and keeps them.
    st.reset();
    st = open_storage(eng.spec());
    CHECK(st->civic().staff_department("dept-b") == "地域振興課");
    CHECK(st->civic().department_answers(2026).size() == 2);
}

TEST_CASE_TEMPLATE("civic: proposal reviews per reviewer; an adopted proposal becomes one project", E, KYODO_ENGINES) {
    E eng;
    if (!eng.ok) return;
    auto st = open_storage(eng.spec());
    CivicStorage& cv = st->civic();
    cv.put_proposal_review({"prop-1", "editor1", {{"公益性", 9}, {"実現性", 7}}, "よい", "2027-02-20T01:00:00Z"});
    cv.put_proposal_review({"prop-1", "admin1", {{"公益性", 6}, {"実現性", 5}}, "", "2027-02-20T02:00:00Z"});
    cv.put_proposal_review({"prop-1", "editor1", {{"公益性", 8}, {"実現性", 7}}, "見直した", "2027-02-20T03:00:00Z"});   // replaced
    cv.put_proposal_review({"prop-2", "editor1", {{"公益性", 1}}, "", "2027-02-20T04:00:00Z"});
    const auto r = cv.proposal_reviews("prop-1");
    REQUIRE(r.size() == 2);
    CHECK(r[0].reviewer == "admin1");
    CHECK(r[1].scores.at("公益性") == 8);
    CHECK(r[1].comment == "見直した");
    CHECK(cv.proposal_reviews("prop-9").empty());
    CHECK(cv.link_proposal_project("prop-1", "p2027-A1", "editor1", "2027-03-01T00:00:00Z"));
    CHECK_FALSE(cv.link_proposal_project("prop-1", "p2027-other", "editor1", "2027-03-02T00:00:00Z"));
    CHECK(cv.proposal_projects().at("prop-1") == "p2027-A1");
    st.reset();
    st = open_storage(eng.spec());
    CHECK(st->civic().proposal_reviews("prop-1").size() == 2);
    CHECK(st->civic().proposal_projects().size() == 1);
}
