// Things city hall gives away on the dashboard (/admin/items, issue 11 point 4), on SQLite and
// on PostgreSQL: viewers cannot see the requests; an editor lists an item through the form (a
// catalog activity of kind "item" the kiosks pull; bad input is refused with the field named
// and nothing saved), filters the requests made at the kiosks by state, item and centre, grants
// one with a quantity (what is left goes down in the catalog), cannot grant more than is left,
// declines one with a reason, cannot decide twice or without CSRF; the CSV is Excel-ready and
// follows the filters; every step is in the audit log.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/store.h"
#include "server/groups.h"
#include "server/items.h"
#include "web_engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

Record item_request(const std::string& item, const std::string& group, int quantity, const std::string& purpose,
                    const std::string& name, const std::string& phone) {
    Personal p{name, "たんとう", phone, ""};
    return make_record(RecordKind::ItemRequest,
                       {{"item_id", item}, {"group", group}, {"quantity", quantity}, {"purpose", purpose}, {"check_code", "8812"}}, &p);
}

// An approved group: G-0001 (and its directory entry, as the groups page publishes it).
void registered_group(WebServer& s, const std::string& name) {
    Personal rep{"中村 和夫", "なかむら かずお", "083-922-6071", ""};
    Record g = make_record(RecordKind::GroupRegistration,
                           {{"name", name}, {"kind", "neighbourhood"}, {"members", 120}, {"consent", true}}, &rep);
    REQUIRE(s.push({g}).stored == 1);
    REQUIRE(!s.storage->groups().approve(g.id, "staff0", rfc3339_now()).empty());
    CatalogDelta d;
    d.organizations.push_back(group_organization(*s.storage->groups().application(g.id)));
    s.storage->import_catalog(d);
}

const Json* find_activity(const Json& cat, const std::string& title) {
    for (const auto& a : cat["activities"])
        if (a.value("title", "") == title) return &a;
    return nullptr;
}

}  // namespace

TEST_CASE("dashboard items: list an item, filter requests, grant, decline, CSV, audit") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        registered_group(s, "大殿町内会");

        Browser viewer(s.port);
        REQUIRE(viewer.login("viewer1") == 303);
        CHECK(viewer.get("/admin/items")->status == 403);
        CHECK(viewer.get("/admin/items.csv")->status == 403);
        CHECK(viewer.get("/admin/items/new")->status == 403);

        Browser b(s.port);
        REQUIRE(b.login("editor1") == 303);
        REQUIRE(b.get("/admin/items/new")->status == 200);
        // Bad input: named by field, nothing published.
        const std::int64_t v0 = s.storage->catalog_version();
        auto bad = b.post("/admin/items/save", {{"is_new", "1"}, {"title", ""}, {"capacity", "0"}, {"place", "管財課"}, {"centre_id", ""}});
        REQUIRE(bad);
        CHECK(bad->status == 400);
        CHECK(bad->body.find("href=\"#f-title\"") != std::string::npos);      // the summary links each error to its field
        CHECK(bad->body.find("href=\"#f-capacity\"") != std::string::npos);
        CHECK(bad->body.find("提供する数は 1 以上") != std::string::npos);
        CHECK(s.storage->catalog_version() == v0);
        auto broken = b.post("/admin/items/save", {{"is_new", "1"}, {"title", std::string("机\xC0\xAF")}, {"capacity", "2"}, {"place", "管財課"}});
        CHECK(broken->status == 400);

        auto saved = b.post("/admin/items/save", {{"is_new", "1"},
                                                  {"title", "両袖事務机"},
                                                  {"description", "幅1400mm。引き出しの鍵はありません。"},
                                                  {"condition", "使用感あり"},
                                                  {"category", "机・椅子"},
                                                  {"capacity", "3"},
                                                  {"centre_id", "ohdono"},
                                                  {"place", "市役所 本館1階 管財課"},
                                                  {"deadline_date", "2099-03-31"}});
        REQUIRE(saved);
        REQUIRE(saved->status == 303);
        Json cat = s.storage->catalog_since(0);
        const Json* desk = find_activity(cat, "両袖事務机");
        REQUIRE(desk != nullptr);
        CHECK((*desk)["kind"] == "item");
        CHECK((*desk)["capacity"] == 3);
        CHECK((*desk)["signup_closes"] == "2099-03-31");
        CHECK((*desk)["extra"]["item"]["condition"] == "使用感あり");
        const std::string desk_id = (*desk)["id"];
        // An edit through the same form keeps the id and the kind.
        auto edited = b.post("/admin/items/save", {{"is_new", "0"}, {"id", desk_id}, {"title", "両袖事務机（スチール）"},
                                                   {"condition", "使用感あり"}, {"capacity", "3"}, {"centre_id", "ohdono"},
                                                   {"place", "市役所 本館1階 管財課"}, {"deadline_date", "2099-03-31"}});
        REQUIRE(edited->status == 303);
        cat = s.storage->catalog_since(0);
        REQUIRE(find_activity(cat, "両袖事務机（スチール）") != nullptr);
        CHECK((*find_activity(cat, "両袖事務机（スチール）"))["id"] == desk_id);
        CHECK(b.get("/admin/items/" + desk_id + "/edit")->status == 200);
        CHECK(b.get("/admin/items/ev-none/edit")->status == 404);

        Record a = item_request(desk_id, "G-0001", 2, "子ども食堂の配膳台", "吉村 弘子", "083-925-4410");
        Record c = item_request(desk_id, "G-0001", 2, "=HYPERLINK(\"x\")", "田中 ゆみ", "090-3333-4444");
        Record unregistered = item_request(desk_id, "G-0099", 1, "会議用", "小林 花子", "090-5555-6666");
        auto pushed = s.push({a, c, unregistered});
        CHECK(pushed.stored == 2);
        CHECK(pushed.answers[2].code == "unknown_group");
        CHECK(s.push({a, c}).duplicate == 2);

        auto page = b.get("/admin/items");
        REQUIRE(page->status == 200);
        CHECK(page->body.find("両袖事務机") != std::string::npos);
        CHECK(page->body.find("吉村 弘子") != std::string::npos);        // opened from the sealed box for staff
        CHECK(page->body.find("G-0001 大殿町内会") != std::string::npos);  // the group's name from the directory
        CHECK(page->body.find("子ども食堂の配膳台") != std::string::npos);
        CHECK(page->body.find("小林 花子") == std::string::npos);        // rejected: never stored
        auto other_item = b.get("/admin/items?item=ev-none");
        CHECK(other_item->body.find("吉村 弘子") == std::string::npos);
        auto other_centre = b.get("/admin/items?centre=yuda");
        CHECK(other_centre->body.find("吉村 弘子") == std::string::npos);
        CHECK(b.get("/admin/items?centre=ohdono")->body.find("吉村 弘子") != std::string::npos);

        // No CSRF token: refused, nothing decided.
        CHECK(b.post("/admin/items/grant", {{"id", a.id}, {"quantity", "2"}}, false)->status == 403);
        CHECK(s.storage->items().request(a.id)->state == "pending");
        CHECK(b.post("/admin/items/grant", {{"id", a.id}, {"quantity", "3"}})->status != 303);   // more than asked
        CHECK(b.post("/admin/items/grant", {{"id", a.id}, {"quantity", "x"}})->status != 303);
        auto granted = b.post("/admin/items/grant", {{"id", a.id}, {"quantity", "2"}, {"note", "3月10日に受け取り"}});
        REQUIRE(granted);
        CHECK(granted->status == 303);
        CHECK(s.storage->items().request(a.id)->state == "granted");
        CHECK(b.post("/admin/items/grant", {{"id", a.id}, {"quantity", "1"}})->status != 303);   // decided once
        cat = s.storage->catalog_since(0);
        CHECK((*find_activity(cat, "両袖事務机（スチール）"))["taken"] == 2);                   // one left
        auto too_many = b.post("/admin/items/grant", {{"id", c.id}, {"quantity", "2"}});
        CHECK(too_many->status != 303);
        CHECK(too_many->body.find("1") != std::string::npos);
        CHECK(s.storage->items().request(c.id)->state == "pending");
        CHECK(b.post("/admin/items/decline", {{"id", c.id}, {"reason", ""}})->status != 303);
        auto declined = b.post("/admin/items/decline", {{"id", c.id}, {"reason", "使いみちをもう少し詳しく伺います"}});
        CHECK(declined->status == 303);
        CHECK(s.storage->items().request(c.id)->state == "declined");
        CHECK(b.get("/admin/items?state=declined")->body.find("使いみちをもう少し詳しく伺います") != std::string::npos);
        CHECK(b.get("/admin/items?state=declined")->body.find("吉村 弘子") == std::string::npos);

        auto csv = b.get("/admin/items.csv");
        REQUIRE(csv->status == 200);
        CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);   // BOM for Excel
        CHECK(csv->body.find("\r\n") != std::string::npos);
        CHECK(csv->body.find("吉村 弘子") != std::string::npos);
        CHECK(csv->body.find("083-925-4410") != std::string::npos);
        CHECK(csv->body.find("3月10日に受け取り") != std::string::npos);
        CHECK(csv->body.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);   // formula guarded
        auto granted_csv = b.get("/admin/items.csv?state=granted");
        CHECK(granted_csv->body.find("吉村 弘子") != std::string::npos);
        CHECK(granted_csv->body.find("田中 ゆみ") == std::string::npos);

        std::set<std::string> actions;
        for (const auto& e : s.storage->admin().audit_log(500)) actions.insert(e.action);
        for (const char* x : {"publish_item", "edit_item", "view_items", "export_items", "grant_item", "decline_item"})
            CHECK_MESSAGE(actions.count(x), x);
    }
}
