// From call to project (issue 12 point 6): a proposal that names its call is reviewed against
// that call's criteria by several reviewers, side by side; the committee decides with reasons;
// the adopted proposal becomes a project; the public page shows what was proposed and promised
// and what was done, without personal data.
#include <doctest/doctest.h>

#include "server/civic.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

Record proposal_for(const std::string& call_id, const std::string& title) {
    Personal who;
    who.name = "提案 花子";
    who.phone = "090-1111-2222";
    Json pl = {{"title", title}, {"summary", "月2回の子ども食堂で高齢者の見守りを行います。"}, {"fields", {"子育て", "福祉"}},
               {"group_name", "こども応援ネット"}, {"partner_department", "子育て支援部こども育成課"}};
    if (!call_id.empty()) pl["call_id"] = call_id;
    return make_record(RecordKind::Proposal, pl, &who);
}

}  // namespace

TEST_CASE("from call to project: reviewed against the call's criteria, decided with reasons, made a project, published") {
    WebServer s;
    const Record pr = proposal_for("act-069", "子ども食堂と見守りの連携");
    const Record free_pr = proposal_for("", "公園の花壇づくり");
    REQUIRE(s.push({pr, free_pr}).stored == 2);
    Browser ed(s.port), admin(s.port), viewer(s.port);
    REQUIRE(ed.login("editor1") == 303);
    REQUIRE(admin.login("admin1") == 303);
    REQUIRE(viewer.login("viewer1") == 303);

    // The list names the call; the proposal's page shows the call's themes and its criteria.
    const std::string list = viewer.get("/admin/proposals")->body;
    CHECK(list.find("応募: 令和9年度 市民提案型協働事業の募集") != std::string::npos);
    CHECK(list.find("自由提案") != std::string::npos);
    std::string page = ed.get("/admin/proposals/" + pr.id)->body;
    CHECK(page.find("応募した募集: 令和9年度 市民提案型協働事業の募集") != std::string::npos);
    CHECK(page.find("自主防災組織の立ち上げと要配慮者の避難支援") != std::string::npos);
    CHECK(page.find("公益性（10点）") != std::string::npos);
    CHECK(page.find("費用の妥当性（5点）") != std::string::npos);
    CHECK(page.find("合計（40点満点）") != std::string::npos);
    // A free proposal is reviewed on the usual five points.
    CHECK(ed.get("/admin/proposals/" + free_pr.id)->body.find("合計（25点満点）") != std::string::npos);

    // Two reviewers; a score over its criterion's points is refused and nothing is kept.
    CHECK(ed.post("/admin/proposals/" + pr.id + "/review", {{"score0", "11"}, {"score1", "8"}, {"score2", "7"}, {"score3", "4"}, {"score4", "3"}})->status == 400);
    CHECK(ed.post("/admin/proposals/" + pr.id + "/review", {{"score0", "9"}, {"score1", ""}, {"score2", "7"}, {"score3", "4"}, {"score4", "3"}})->status == 400);
    CHECK(s.storage->civic().proposal_reviews(pr.id).empty());
    CHECK(viewer.post("/admin/proposals/" + pr.id + "/review", {{"score0", "9"}})->status == 403);
    REQUIRE(ed.post("/admin/proposals/" + pr.id + "/review",
                    {{"score0", "9"}, {"score1", "8"}, {"score2", "7"}, {"score3", "4"}, {"score4", "3"}, {"comment", "地域の見守りと結びつく点を評価"}})
                ->status == 303);
    REQUIRE(admin.post("/admin/proposals/" + pr.id + "/review", {{"score0", "7"}, {"score1", "6"}, {"score2", "5"}, {"score3", "3"}, {"score4", "3"}})
                ->status == 303);
    const auto reviews = s.storage->civic().proposal_reviews(pr.id);
    REQUIRE(reviews.size() == 2);
    CHECK(reviews[0].reviewer == "admin1");
    CHECK(reviews[1].scores.at("公益性") == 9);
    page = viewer.get("/admin/proposals/" + pr.id)->body;
    CHECK(page.find("<th class=\"num\">admin1</th><th class=\"num\">editor1</th>") != std::string::npos);
    CHECK(page.find("id=\"review-average\"><strong>27.5</strong>") != std::string::npos);   // (31 + 24) / 2
    CHECK(page.find("地域の見守りと結びつく点を評価") != std::string::npos);
    CHECK(s.storage->admin().records(RecordQuery{"proposal", "", "", "", pr.id, 2})[0].state == "under_review");

    // The committee decides with its reasons (required for adopting, as for not adopting).
    CHECK(ed.post("/admin/proposals/" + pr.id, {{"state", "adopted"}, {"reason", " "}, {"back", "detail"}})->status == 303);
    CHECK(s.storage->admin().records(RecordQuery{"proposal", "", "", "", pr.id, 2})[0].state == "under_review");
    CHECK(ed.get("/admin/projects/new?proposal=" + pr.id)->status == 404);   // not adopted yet
    auto decided = ed.post("/admin/proposals/" + pr.id, {{"state", "adopted"}, {"reason", "審査会（2027-02-20）で平均27.5点、地域課題に合う"}, {"back", "detail"}});
    REQUIRE(decided->status == 303);
    CHECK(decided->get_header_value("Location").rfind("/admin/proposals/" + pr.id + "?", 0) == 0);
    // Reviews no longer change after the decision.
    CHECK(ed.post("/admin/proposals/" + pr.id + "/review", {{"score0", "1"}, {"score1", "1"}, {"score2", "1"}, {"score3", "1"}, {"score4", "1"}})->status == 303);
    CHECK(s.storage->civic().proposal_reviews(pr.id)[1].scores.at("公益性") == 9);

    // Adopted → a project, filled in from the proposal and its call.
    page = ed.get("/admin/proposals/" + pr.id)->body;
    REQUIRE(page.find("id=\"make-project\"") != std::string::npos);
    auto f = form_fields(ed.get("/admin/projects/new?proposal=" + pr.id)->body, "/admin/projects/save");
    REQUIRE_FALSE(f.empty());
    f.erase("csrf");
    f.erase("budget_yen");
    f.emplace("budget_yen", "480000");
    auto saved = ed.post("/admin/projects/save", f);
    REQUIRE(saved->status == 303);
    const auto links = s.storage->civic().proposal_projects();
    REQUIRE(links.count(pr.id));
    const auto p = s.storage->civic().project(links.at(pr.id));
    REQUIRE(p);
    CHECK(p->title == "子ども食堂と見守りの連携");
    CHECK(p->fiscal_year == 2027);   // the call's project period
    CHECK(p->department == "子育て支援部こども育成課");
    CHECK(p->methods == std::vector<std::string>{"participation_proposal"});
    REQUIRE(p->partners.size() == 1);
    CHECK(p->partners[0].name == "こども応援ネット");
    CHECK(p->budget_yen == 480000);
    CHECK(ed.get("/admin/projects/" + p->id)->body.find("id=\"from-proposal\"") != std::string::npos);
    CHECK(ed.post("/admin/projects/save", f)->status == 400);   // the same proposal twice

    // The public page: proposed, promised, done; nobody's name or phone.
    Project done = *p;
    done.status = "running";
    done.goals = "子ども食堂を月2回、見守りボランティア10人";
    s.storage->civic().put_project(done);
    REQUIRE(s.storage->civic().link_listing("act-001", p->id));
    httplib::Client anon("127.0.0.1", s.port);
    auto pub = anon.Get("/p/proposals");
    REQUIRE(pub);
    CHECK(pub->status == 200);
    CHECK(pub->body.find("子ども食堂と見守りの連携") != std::string::npos);
    CHECK(pub->body.find("審査会（2027-02-20）で平均27.5点") != std::string::npos);
    CHECK(pub->body.find("子ども食堂を月2回、見守りボランティア10人") != std::string::npos);
    CHECK(pub->body.find("実施中") != std::string::npos);
    CHECK(pub->body.find("公園の花壇づくり") == std::string::npos);   // not adopted
    CHECK(pub->body.find("提案 花子") == std::string::npos);
    CHECK(pub->body.find("090-1111-2222") == std::string::npos);

    bool reviewed = false, made = false;
    for (const auto& e : s.storage->admin().audit_log(100)) {
        reviewed = reviewed || e.action == "proposal_review";
        made = made || e.action == "proposal_project";
    }
    CHECK(reviewed);
    CHECK(made);
}
