// Group registration on the dashboard (/admin/groups, issue 11 point 2): viewers cannot see the
// applications; editors filter them, approve one (registration number, published to the
// catalog's organizations without the representative), return one with a reason, cannot decide
// twice or without CSRF; the CSV is Excel-ready (BOM, CRLF, formula guard) and follows the
// filters; every step is in the audit log.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/store.h"
#include "server/groups.h"
#include "server/web/html.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

Record group_record(const std::string& name, const std::string& kind, const std::string& rep, const std::string& phone,
                    const std::string& description = "") {
    Personal p{rep, "だいひょう", phone, ""};
    return make_record(RecordKind::GroupRegistration,
                       {{"name", name}, {"kind", kind}, {"fields", Json::array({"防災"})}, {"members", 85},
                        {"centre_id", "ohdono"}, {"description", description}, {"consent", true}, {"check_code", "5307"}},
                       &p);
}

}  // namespace

TEST_CASE("dashboard groups: filter, approve (number, directory), return with a reason, CSV, audit") {
    WebServer s;
    Record town = group_record("大殿町内会", "neighbourhood", "中村 和夫", "083-922-6071", "防災訓練と見守り");
    Record firm = group_record("=HYPERLINK(\"x\")", "company", "田中 ゆみ", "090-3333-4444");
    REQUIRE(s.push({town, firm}).stored == 2);
    REQUIRE(s.push({town, firm}).duplicate == 2);

    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    auto denied = viewer.get("/admin/groups");
    REQUIRE(denied);
    CHECK(denied->status == 403);
    CHECK(denied->body.find("中村") == std::string::npos);
    CHECK(viewer.get("/admin/groups.csv")->status == 403);

    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto all = b.get("/admin/groups");
    REQUIRE(all);
    REQUIRE(all->status == 200);
    CHECK(all->body.find("大殿町内会") != std::string::npos);
    CHECK(all->body.find("中村 和夫") != std::string::npos);     // opened from the sealed box for staff
    CHECK(all->body.find("083-922-6071") != std::string::npos);
    CHECK(all->body.find("審査待ち") != std::string::npos);
    auto nb = b.get("/admin/groups?kind=neighbourhood");
    CHECK(nb->body.find("大殿町内会") != std::string::npos);
    CHECK(nb->body.find("田中 ゆみ") == std::string::npos);

    // No CSRF token: refused, nothing decided.
    CHECK(b.post("/admin/groups/approve", {{"id", town.id}}, false)->status == 403);
    CHECK(s.storage->groups().application(town.id)->state == "pending");

    auto ok = b.post("/admin/groups/approve", {{"id", town.id}});
    REQUIRE(ok);
    CHECK(ok->status == 303);
    CHECK(ok->get_header_value("Location").find("msg=") != std::string::npos);
    auto t = s.storage->groups().application(town.id);
    REQUIRE(t);
    CHECK(t->state == "approved");
    CHECK(t->number == "G-0001");
    CHECK(b.post("/admin/groups/approve", {{"id", town.id}})->status != 303);   // decided once

    // In the catalog's organizations (the kiosks' directory), without the representative.
    const Json cat = s.storage->catalog_since(0);
    const Json* org = nullptr;
    for (const auto& o : cat["organizations"])
        if (o.value("registration", "") == "G-0001") org = &o;
    REQUIRE(org != nullptr);
    CHECK((*org)["name"] == "大殿町内会");
    CHECK((*org)["type"] == "町内会・自治会");
    CHECK((*org)["application"] == receipt_number(town.id));
    CHECK(cat.dump().find("中村") == std::string::npos);
    CHECK(cat.dump().find("083-922-6071") == std::string::npos);

    // Return needs a reason.
    CHECK(b.post("/admin/groups/return", {{"id", firm.id}, {"reason", ""}})->status != 303);
    auto ret = b.post("/admin/groups/return", {{"id", firm.id}, {"reason", "事業内容が分かる資料を添えてください"}});
    REQUIRE(ret);
    CHECK(ret->status == 303);
    CHECK(s.storage->groups().application(firm.id)->state == "returned");
    CHECK(b.post("/admin/groups/approve", {{"id", firm.id}})->status != 303);
    auto returned = b.get("/admin/groups?state=returned");
    CHECK(returned->body.find("事業内容が分かる資料") != std::string::npos);
    CHECK(returned->body.find("大殿町内会") == std::string::npos);

    auto csv = b.get("/admin/groups.csv");
    REQUIRE(csv->status == 200);
    CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);                       // BOM for Excel
    CHECK(csv->body.find("\r\n") != std::string::npos);                   // CRLF
    CHECK(csv->body.find("G-0001") != std::string::npos);
    CHECK(csv->body.find("中村 和夫") != std::string::npos);
    CHECK(csv->body.find("町内会・自治会") != std::string::npos);
    CHECK(csv->body.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);   // formula guarded
    auto approved_csv = b.get("/admin/groups.csv?state=approved");
    CHECK(approved_csv->body.find("大殿町内会") != std::string::npos);
    CHECK(approved_csv->body.find("田中 ゆみ") == std::string::npos);

    std::set<std::string> actions;
    for (const auto& e : s.storage->admin().audit_log(200)) actions.insert(e.action);
    for (const char* a : {"view_groups", "export_groups", "approve_group", "return_group"}) CHECK_MESSAGE(actions.count(a), a);
}
