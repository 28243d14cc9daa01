// The talent bank on the dashboard (/admin/talent, issue 11 point 1): editors search by skill,
// field, area and time, publish a group's 人材募集 to the catalog (the kiosks' listings), propose
// a match and record its outcome, export CSV; viewers cannot see the personal data; after a
// withdrawal the person is in no page and no CSV, and the audit log says what happened.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/store.h"
#include "server/talent.h"
#include "server/web/html.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

Record talent_record(const std::string& name, const std::string& furigana, const std::string& phone, Json help, Json areas,
                     Json times, const std::string& code) {
    Personal p{name, furigana, phone, ""};
    return make_record(RecordKind::Talent,
                       {{"help", std::move(help)}, {"fields", Json::array({"教育・生涯学習"})}, {"areas", std::move(areas)},
                        {"times", std::move(times)}, {"note", "元中学校教師（数学）"}, {"contact_by", "phone"},
                        {"consent", true}, {"check_code", code}},
                       &p);
}

}  // namespace

TEST_CASE("dashboard talent bank: search, 人材募集, match and outcome, CSV, withdrawal") {
    WebServer s;
    Record keiko = talent_record("佐藤 恵子", "さとう けいこ", "083-920-4417", {"teaching"}, {"ohdono"}, {"weekday_am"}, "4821");
    Record dai = talent_record("山本 大輔", "やまもと だいすけ", "090-1111-2222", {"manual"}, {"citywide"}, {"weekend_am"}, "0042");
    REQUIRE(s.push({keiko, dai}).stored == 2);

    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    auto denied = viewer.get("/admin/talent");
    REQUIRE(denied);
    CHECK(denied->status == 403);
    CHECK(denied->body.find("佐藤") == std::string::npos);
    CHECK(viewer.get("/admin/talent.csv")->status == 403);

    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto all = b.get("/admin/talent");
    REQUIRE(all);
    REQUIRE(all->status == 200);
    CHECK(all->body.find("佐藤 恵子") != std::string::npos);
    CHECK(all->body.find("山本 大輔") != std::string::npos);
    CHECK(all->body.find("放課後学習会の講師を募集") != std::string::npos);   // the sample catalog's 人材募集
    auto teach = b.get("/admin/talent?help=teaching");
    CHECK(teach->body.find("佐藤 恵子") != std::string::npos);
    CHECK(teach->body.find("山本 大輔") == std::string::npos);
    auto yuda = b.get("/admin/talent?area=yuda");   // only the one who helps anywhere in the city
    CHECK(yuda->body.find("山本 大輔") != std::string::npos);
    CHECK(yuda->body.find("佐藤 恵子") == std::string::npos);
    auto wk = b.get("/admin/talent?time=weekday_am&field=" + web::url_encode("教育・生涯学習"));
    CHECK(wk->body.find("佐藤 恵子") != std::string::npos);
    CHECK(wk->body.find("山本 大輔") == std::string::npos);

    // A group's request for help, published to the catalog the kiosks pull.
    auto pub = b.post("/admin/talent/request", {{"group", "大殿子ども会"}, {"title", "夏休み宿題教室の先生募集"},
                                                {"summary", "小学生の宿題を見てくださる方"}, {"centre", "ohdono"}, {"help", "teaching"}});
    REQUIRE(pub);
    CHECK(pub->status == 303);
    std::string req_id;
    const Json cat = s.storage->catalog_since(0);   // kept: a range-for over a temporary's member dangles
    for (const auto& a : cat["activities"])
        if (a["title"] == "夏休み宿題教室の先生募集") {
            req_id = a["id"];
            CHECK(a["kind"] == "volunteer");
            CHECK(a["extra"]["talent_request"]["help"] == Json::array({"teaching"}));
        }
    INFO("location: " << pub->get_header_value("Location"));
    REQUIRE_FALSE(req_id.empty());

    // Propose the teacher, then record the outcome.
    auto m = b.post("/admin/talent/match", {{"registration", keiko.id}, {"request", req_id}, {"note", "元教員、数学"}});
    REQUIRE(m);
    CHECK(m->status == 303);
    auto ms = s.storage->talent().matches();
    REQUIRE(ms.size() == 1);
    auto o = b.post("/admin/talent/match/" + std::to_string(ms[0].id), {{"outcome", "accepted"}, {"note", "8月から毎週火曜"}});
    CHECK(o->status == 303);
    CHECK(s.storage->talent().matches()[0].outcome == "accepted");
    CHECK(b.post("/admin/talent/match/" + std::to_string(ms[0].id), {{"outcome", "maybe"}})->status != 303);
    CHECK(b.post("/admin/talent/match", {{"registration", keiko.id}, {"request", req_id}}, false)->status == 403);   // no CSRF

    auto csv = b.get("/admin/talent.csv");
    REQUIRE(csv->status == 200);
    CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);   // BOM for Excel
    CHECK(csv->body.find("佐藤 恵子") != std::string::npos);
    CHECK(csv->body.find("講師・学習支援") != std::string::npos);
    // The CSV of a search holds that search's people only (issue 11 point 6: lists, filters, CSV).
    auto fcsv = b.get("/admin/talent.csv?help=manual");
    REQUIRE(fcsv->status == 200);
    CHECK(fcsv->body.find("山本 大輔") != std::string::npos);
    CHECK(fcsv->body.find("佐藤 恵子") == std::string::npos);
    CHECK(b.get("/admin/talent?help=manual")->body.find("/admin/talent.csv?help=manual") != std::string::npos);
    auto mcsv = b.get("/admin/talent/matches.csv");
    CHECK(mcsv->body.find("夏休み宿題教室の先生募集") != std::string::npos);
    CHECK(mcsv->body.find("accepted") != std::string::npos);

    // She leaves the bank (a withdrawal record from a kiosk).
    REQUIRE(s.push({make_record(RecordKind::TalentWithdrawal, {{"receipt", receipt_number(keiko.id)}, {"check_code", "4821"}})})
                .stored == 1);
    auto after = b.get("/admin/talent");
    CHECK(after->body.find("佐藤") == std::string::npos);
    CHECK(after->body.find("消去済み") != std::string::npos);
    CHECK(after->body.find("山本 大輔") != std::string::npos);
    CHECK(b.get("/admin/talent.csv")->body.find("佐藤") == std::string::npos);
    CHECK(b.get("/admin/talent/matches.csv")->body.find("元教員") == std::string::npos);

    std::set<std::string> actions;
    for (const auto& e : s.storage->admin().audit_log(200)) actions.insert(e.action);
    for (const char* a : {"view_talent", "export_talent", "publish_talent_request", "propose_talent_match",
                          "talent_match_outcome", "talent_withdrawn"})
        CHECK_MESSAGE(actions.count(a), a);
}
