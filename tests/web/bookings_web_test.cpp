// Lending, rooms and consultations on the dashboard (issue 11 points 3, 5, 6; docs/lending.md
// "Staff side"), on SQLite and on PostgreSQL ($KYODO_PG_URL; skipped when unset unless CI):
// staff marks are compare-and-set and undoable; the 優先予約 window; publishing slots through the
// form (bad input refused by field, nothing saved; a second publish changes nothing); the
// per-centre calendar with the group and lent / returned; blocking a booked slot needs a
// confirmation; the consultations list and its outcome; both CSVs Excel-ready; the yearly
// report's counts per centre and month; the public directory pages without personal data;
// every step in the audit log.
#include <doctest/doctest.h>

#include <memory>
#include <regex>
#include <set>

#include "../server/pg_test_util.h"
#include "server/bookings.h"
#include "server/groups.h"
#include "server/slot_plan.h"
#include "server/web/html.h"
#include "server/web/reports.h"
#include "web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

struct Engine {
    std::string name;
    std::unique_ptr<server::testing::PgSchema> schema;
    std::unique_ptr<WebServer> s;
};

std::vector<Engine> engines() {
    std::vector<Engine> out;
    out.push_back(Engine{"sqlite", nullptr, std::make_unique<WebServer>()});
    const std::string url = server::testing::pg_base_url_or_skip();
    if (!url.empty()) {
        Engine e{"postgresql", std::make_unique<server::testing::PgSchema>(url), nullptr};
        e.s = std::make_unique<WebServer>(e.schema->url());
        out.push_back(std::move(e));
    }
    return out;
}

Record group_record(const std::string& name, const std::string& rep, const std::string& phone) {
    Personal p{rep, "だいひょう", phone, ""};
    return make_record(RecordKind::GroupRegistration,
                       {{"name", name}, {"kind", "neighbourhood"}, {"fields", Json::array({"防災"})}, {"members", 85},
                        {"centre_id", "ohdono"}, {"description", "防災訓練と見守り"}, {"consent", true}, {"check_code", "5307"}},
                       &p);
}

Record booking(const std::string& slot, const std::string& group, const std::string& name, Json extra = Json::object()) {
    Personal p{name, "よやく はなこ", "083-922-7777", ""};
    Json pl = {{"activity_id", slot}, {"activity_version", 1}, {"party_size", 1}, {"note", ""}, {"check_code", "2468"}};
    if (!group.empty()) pl["group"] = group;
    for (auto& [k, v] : extra.items()) pl[k] = v;
    return make_record(RecordKind::SignUp, pl, &p);
}

const Json* activity(const Json& cat, const std::string& id) {
    for (const Json& a : cat["activities"])
        if (a.value("id", "") == id) return &a;
    return nullptr;
}

std::set<std::string> audit_actions(Storage& st) {
    std::set<std::string> out;
    for (const auto& e : st.admin().audit_log(100000)) out.insert(e.action);
    return out;
}

httplib::Params slot_form(const std::string& resource, const std::string& name, const std::string& type, const std::string& from,
                          const std::string& to, const std::string& weekdays, const std::string& times) {
    httplib::Params p{{"centre", "ohdono"}, {"resource", resource}, {"resource_name", name}, {"type", type}, {"place", "1階 事務室"},
                      {"from", from}, {"to", to}, {"times", times}};
    for (char d : weekdays) p.emplace("weekdays", std::string(1, d));
    return p;
}

}  // namespace

TEST_CASE("booking marks: compare-and-set, undo, history; the 優先予約 window") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        BookingStorage& st = en.s->storage->bookings();
        CHECK(st.add_mark("b1", "returned", "", "editor1", "2027-01-09T01:00:00Z") == 0);   // not lent yet
        const auto lent = st.add_mark("b1", "lent", "", "editor1", "2027-01-09T01:00:00Z");
        CHECK(lent > 0);
        CHECK(st.add_mark("b1", "lent", "", "editor1", "2027-01-09T01:00:01Z") == 0);        // the second click
        CHECK(st.add_mark("b1", "returned", "", "editor1", "2027-01-09T01:00:01Z") == 0);    // stale expectation
        const auto back = st.add_mark("b1", "returned", "lent", "editor1", "2027-01-09T04:00:00Z");
        CHECK(back > lent);
        CHECK(st.add_mark("b1", "returned", "lent", "editor1", "2027-01-09T04:00:00Z") == 0);
        CHECK(st.undo_mark("b1", "lent", "editor1", "2027-01-09T04:01:00Z") == 0);           // latest is returned
        CHECK(st.undo_mark("b1", "returned", "editor1", "2027-01-09T04:01:00Z") == back);
        auto cur = current_marks(st.marks());
        REQUIRE(cur.count("b1"));
        CHECK(cur["b1"].mark == "lent");
        CHECK(st.marks_of("b1").size() == 2);   // undone, not deleted
        CHECK_FALSE(st.marks_of("b1").back().live());
        CHECK(st.add_mark("b2", "bogus", "", "editor1", "x") == 0);
        CHECK(st.add_mark("c1", "held", "", "editor1", "x") > 0);
        CHECK(st.add_mark("c1", "no_show", "", "editor1", "x") == 0);

        BookingWindow w = st.window();
        CHECK(w.group_days == 30);
        CHECK(w.all_days == 14);
        w.group_days = 45;
        w.all_days = 10;
        w.opens_at = "08:30";
        w.updated_by = "editor1";
        st.set_window(w);
        const BookingWindow again = st.window();
        CHECK(again.group_days == 45);
        CHECK(again.all_days == 10);
        CHECK(again.opens_at == "08:30");
        CHECK(again.updated_by == "editor1");
        BookingWindow bad = again;
        bad.all_days = 50;
        CHECK(check_window(bad) == "all_days");
        bad = again;
        bad.opens_at = "25:00";
        CHECK(check_window(bad) == "opens_at");
    }
}

TEST_CASE("slot plan: dates, weekdays, times, the window, the limits") {
    CHECK(valid_date("2027-01-09"));
    CHECK_FALSE(valid_date("2027-02-30"));
    CHECK(add_days("2026-12-31", 1) == "2027-01-01");
    CHECK(weekday("2027-01-09") == 5);   // a Saturday
    CHECK(week_start("2027-01-09") == "2027-01-04");
    std::vector<std::pair<std::string, std::string>> t;
    CHECK(parse_times("9:00-12:00\n13:00〜17:00\n", t));
    REQUIRE(t.size() == 2);
    CHECK(t[0] == std::pair<std::string, std::string>{"09:00", "12:00"});
    CHECK(t[1].first == "13:00");
    CHECK_FALSE(parse_times("morning", t));

    SlotPlan p;
    p.centre_id = "ohdono";
    p.resource = "ohdono-projector";
    p.resource_name = "プロジェクター";
    p.type = "equipment";
    p.from = "2027-01-04";
    p.to = "2027-01-10";
    p.weekdays = {5};
    p.times = {{"09:00", "12:00"}, {"13:00", "17:00"}};
    BookingWindow w;
    w.group_days = 30;
    w.all_days = 14;
    const PlanResult r = plan_slots(p, w);
    REQUIRE(r.ok());
    REQUIRE(r.slots.size() == 2);
    const Json& s = r.slots[0];
    CHECK(s["id"] == "slot-ohdono-projector-20270109-0900");
    CHECK(s["kind"] == "slot");
    CHECK(s["capacity"] == 1);
    CHECK(s["starts_at"] == "2027-01-09T09:00");
    CHECK(s["ends_at"] == "2027-01-09T12:00");
    CHECK(s["signup_opens"] == "2026-12-26T09:00");
    CHECK(s["signup_closes"] == "2027-01-09T09:00");
    CHECK(s["extra"]["slot"]["priority_opens"] == "2026-12-10T09:00");
    CHECK(s["extra"]["slot"]["type"] == "equipment");
    CHECK(s["extra"]["slot"]["blocked"] == false);

    SlotPlan bad = p;
    bad.to = "2027-01-01";
    CHECK(plan_slots(bad, w).errors.at("to") == "to_before_from");
    bad = p;
    bad.times = {{"12:00", "09:00"}};
    CHECK(plan_slots(bad, w).errors.at("times") == "time_order");
    bad = p;
    bad.times = {{"09:00", "12:00"}, {"11:00", "13:00"}};
    CHECK(plan_slots(bad, w).errors.at("times") == "time_overlap");
    bad = p;
    bad.resource = "プロジェクター";
    CHECK(plan_slots(bad, w).errors.at("resource") == "resource_id");
    bad = p;
    bad.from = "2027-01-01";
    bad.to = "2027-12-31";
    bad.weekdays = {0, 1, 2, 3, 4, 5, 6};
    CHECK(plan_slots(bad, w).errors.at("count") == "too_many");   // 365 days × 2
    bad = p;
    bad.weekdays = {0};
    bad.from = bad.to = "2027-01-09";
    CHECK(plan_slots(bad, w).errors.at("count") == "none");
    w.group_days = w.all_days = 14;   // no priority window
    CHECK(plan_slots(p, w).slots[0]["extra"]["slot"]["priority_opens"] == "");
}

TEST_CASE("dashboard bookings: publish slots, calendar, lent / returned, block, consultations, CSV, report, public pages") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        Browser ed(s.port), viewer(s.port);
        REQUIRE(ed.login("editor1") == 303);
        REQUIRE(viewer.login("viewer1") == 303);

        // The window first: open now for the slots a week from today.
        CHECK(viewer.post("/admin/bookings/window", {{"group_days", "30"}, {"all_days", "20"}, {"opens_at", "09:00"}})->status == 403);
        auto badw = ed.post("/admin/bookings/window", {{"group_days", "10"}, {"all_days", "20"}, {"opens_at", "09:00"}});
        CHECK(badw->status == 400);
        CHECK(badw->body.find("id=\"window-error\"") != std::string::npos);
        REQUIRE(ed.post("/admin/bookings/window", {{"group_days", "30"}, {"all_days", "20"}, {"opens_at", "09:00"}})->status == 303);
        CHECK(s.storage->bookings().window().all_days == 20);

        const std::string from = add_days(web::jst_today(), 7), to = add_days(from, 6);
        // Bad input: refused by field, typed values kept, nothing published.
        const std::int64_t v0 = s.storage->catalog_version();
        CHECK(viewer.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "09:00-12:00"))->status == 403);
        CHECK(ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "09:00-12:00"), false)->status == 403);
        auto back = ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", to, from, "0123456", "09:00-12:00"));
        CHECK(back->status == 400);
        CHECK(back->body.find("id=\"err-to\"") != std::string::npos);
        CHECK(back->body.find("value=\"プロジェクター\"") != std::string::npos);
        auto many = ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, add_days(from, 300), "0123456",
                                                               "09:00-10:00\n10:00-11:00"));
        CHECK(many->status == 400);
        CHECK(many->body.find("500") != std::string::npos);
        auto badt = ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "12:00-09:00"));
        CHECK(badt->status == 400);
        CHECK(badt->body.find("id=\"err-times\"") != std::string::npos);
        CHECK(s.storage->catalog_version() == v0);

        // Projector: every day of the week, two slots a day (14); a room and a desk too.
        auto ok = ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "09:00-12:00\n13:00-17:00"));
        REQUIRE(ok->status == 303);
        CHECK(ok->get_header_value("Location").find("/admin/bookings?centre=ohdono") == 0);
        REQUIRE(ed.post("/admin/bookings/slots", slot_form("ohdono-room1", "会議室1", "room", from, to, "0123456", "18:00-21:00"))->status == 303);
        REQUIRE(ed.post("/admin/bookings/slots", slot_form("ohdono-desk", "協働相談窓口", "consultation", from, to, "0123456", "10:00-11:00"))->status == 303);
        const std::int64_t v1 = s.storage->catalog_version();
        CHECK(v1 > v0);
        // The same id with another type is refused; publishing the same again changes nothing.
        CHECK(ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "room", from, to, "0123456", "09:00-12:00"))->status == 400);
        REQUIRE(ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "09:00-12:00\n13:00-17:00"))->status == 303);
        CHECK(s.storage->catalog_version() == v1);

        const std::string pj = slot_id("ohdono-projector", from, "09:00"), pj2 = slot_id("ohdono-projector", add_days(from, 1), "09:00");
        const std::string desk = slot_id("ohdono-desk", from, "10:00");
        Json cat = s.storage->catalog_since(0);
        REQUIRE(activity(cat, pj));
        CHECK((*activity(cat, pj))["kind"] == "slot");
        CHECK((*activity(cat, pj))["extra"]["slot"]["priority_opens"] == add_days(from, -30) + "T09:00");
        CHECK((*activity(cat, pj))["signup_opens"] == add_days(from, -20) + "T09:00");

        // A registered group books the projector; a second kiosk's booking is waitlisted; a
        // resident books a consultation.
        Record grp = group_record("大殿町内会", "中村 和夫", "083-922-6071");
        REQUIRE(s.push({grp}).stored == 1);
        REQUIRE(ed.post("/admin/groups/approve", {{"id", grp.id}})->status == 303);
        Record b1 = booking(pj, "G-0001", "山口 花子", {{"purpose", "防災講座でスライドを映す"}});
        Record b2 = booking(pj, "G-0001", "田中 一郎", {{"purpose", "同じ枠"}});
        Record c1 = booking(desk, "", "相談 太郎", {{"topic", "proposal"}, {"topic_text", "子ども食堂を市と一緒に"}});
        auto pushed = s.push({b1, b2, c1});
        REQUIRE(pushed.stored == 3);
        CHECK(pushed.answers[0].signup_status == "confirmed");
        CHECK(pushed.answers[1].signup_status == "waitlisted");

        // The calendar: the group and its number; the person for roles that read rosters.
        auto calv = viewer.get("/admin/bookings?centre=ohdono&week=" + from);
        REQUIRE(calv->status == 200);
        CHECK(calv->body.find("id=\"bookings-calendar\"") != std::string::npos);
        CHECK(calv->body.find("G-0001 大殿町内会") != std::string::npos);
        CHECK(calv->body.find("山口 花子") != std::string::npos);
        CHECK(calv->body.find("data-slot=\"" + pj + "\" data-state=\"booked\"") != std::string::npos);
        CHECK(calv->body.find("data-slot=\"" + pj2 + "\" data-state=\"free\"") != std::string::npos);
        CHECK(calv->body.find("会議室1") != std::string::npos);
        CHECK(calv->body.find("data-mark=\"lent\"") == std::string::npos);   // no buttons for viewers
        auto eq = viewer.get("/admin/bookings?centre=ohdono&week=" + from + "&type=room");
        CHECK(eq->body.find("プロジェクター") == std::string::npos);
        CHECK(eq->body.find("会議室1") != std::string::npos);
        CHECK(viewer.get("/admin/bookings?centre=shiraishi&week=" + from)->body.find("id=\"bookings-none\"") != std::string::npos);

        // Lent, then returned; a stale second click refused; undo a wrong mark.
        CHECK(viewer.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "lent"}, {"expect", ""}})->status == 403);
        CHECK(ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "lent"}, {"expect", ""}}, false)->status == 403);
        CHECK(ed.post("/admin/bookings/mark", {{"id", b2.id}, {"mark", "lent"}, {"expect", ""}})->status == 403);   // waitlisted
        CHECK(ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "held"}, {"expect", ""}})->status == 403);   // not a consultation
        auto lent = ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "lent"}, {"expect", ""}, {"back", "https://evil.example/"}});
        REQUIRE(lent->status == 303);
        CHECK(lent->get_header_value("Location").rfind("/admin/bookings/slots/", 0) == 0);   // never off-site
        CHECK(ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "lent"}, {"expect", ""}})->status == 403);
        CHECK(ed.get("/admin/bookings?centre=ohdono&week=" + from)->body.find("data-mark=\"lent\">") != std::string::npos);
        REQUIRE(ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "returned"}, {"expect", "lent"}})->status == 303);
        REQUIRE(ed.post("/admin/bookings/unmark", {{"id", b1.id}, {"expect", "returned"}})->status == 303);
        CHECK(current_marks(s.storage->bookings().marks())[b1.id].mark == "lent");
        REQUIRE(ed.post("/admin/bookings/mark", {{"id", b1.id}, {"mark", "returned"}, {"expect", "lent"}})->status == 303);
        auto slotp = ed.get("/admin/bookings/slots/" + pj);
        REQUIRE(slotp->status == 200);
        CHECK(slotp->body.find("class=\"undone\"") != std::string::npos);   // the undone mark stays in the history
        CHECK(slotp->body.find("防災講座でスライドを映す") != std::string::npos);

        // Block: a booked slot needs the confirmation; a free one does not; unblock.
        auto refused = ed.post("/admin/bookings/block", {{"slot", pj}, {"reason", "避難所の開設"}});
        CHECK(refused->status == 409);
        CHECK(refused->body.find("id=\"slot-error\"") != std::string::npos);
        CHECK(ed.post("/admin/bookings/block", {{"slot", pj2}, {"reason", ""}})->status == 400);
        const std::int64_t v2 = s.storage->catalog_version();
        REQUIRE(ed.post("/admin/bookings/block", {{"slot", pj}, {"reason", "避難所の開設"}, {"confirm", "1"}})->status == 303);
        REQUIRE(ed.post("/admin/bookings/block", {{"slot", pj2}, {"reason", "機器の点検"}})->status == 303);
        CHECK(s.storage->catalog_version() > v2);
        cat = s.storage->catalog_since(0);
        CHECK((*activity(cat, pj))["extra"]["slot"]["blocked"] == true);
        CHECK((*activity(cat, pj))["extra"]["slot"]["blocked_reason"] == "避難所の開設");
        CHECK((*activity(cat, pj))["taken"] == 1);   // the booking stays
        CHECK(ed.post("/admin/bookings/block", {{"slot", pj2}, {"reason", "again"}})->status == 409);
        CHECK(ed.get("/admin/bookings?centre=ohdono&week=" + from)->body.find("data-slot=\"" + pj2 + "\" data-state=\"blocked\"") != std::string::npos);
        REQUIRE(ed.post("/admin/bookings/unblock", {{"slot", pj2}})->status == 303);
        CHECK((*activity(s.storage->catalog_since(0), pj2))["extra"]["slot"]["blocked"] == false);
        // Publishing the range again keeps the block and the booking.
        REQUIRE(ed.post("/admin/bookings/slots", slot_form("ohdono-projector", "プロジェクター", "equipment", from, to, "0123456", "09:00-12:00\n13:00-17:00"))->status == 303);
        cat = s.storage->catalog_since(0);
        CHECK((*activity(cat, pj))["extra"]["slot"]["blocked"] == true);
        CHECK((*activity(cat, pj))["taken"] == 1);

        // Consultations: the topic, the outcome, filters.
        auto cl = viewer.get("/admin/consultations");
        REQUIRE(cl->status == 200);
        CHECK(cl->body.find("協働事業の提案") != std::string::npos);
        CHECK(cl->body.find("子ども食堂を市と一緒に") != std::string::npos);
        CHECK(cl->body.find("相談 太郎") != std::string::npos);
        CHECK(viewer.get("/admin/consultations?topic=funding")->body.find("相談 太郎") == std::string::npos);
        CHECK(ed.post("/admin/bookings/mark", {{"id", c1.id}, {"mark", "lent"}, {"expect", ""}})->status == 403);
        REQUIRE(ed.post("/admin/bookings/mark", {{"id", c1.id}, {"mark", "held"}, {"expect", ""}, {"back", "/admin/consultations"}})->status == 303);
        CHECK(viewer.get("/admin/consultations?status=held")->body.find("相談 太郎") != std::string::npos);
        CHECK(viewer.get("/admin/consultations?status=upcoming")->body.find("相談 太郎") == std::string::npos);

        // CSV: BOM, CRLF, the group, the person, lent and returned with who and when.
        auto csv = viewer.get("/admin/bookings.csv");
        REQUIRE(csv->status == 200);
        CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);
        CHECK(csv->body.find("\r\n") != std::string::npos);
        CHECK(csv->body.find("G-0001,大殿町内会,防災講座でスライドを映す,山口 花子") != std::string::npos);
        CHECK(csv->body.find("返却済み") != std::string::npos);
        CHECK(csv->get_header_value("Cache-Control") == "no-store");
        auto week_csv = viewer.get("/admin/bookings.csv?centre=ohdono&type=consultation");
        CHECK(week_csv->body.find("山口 花子") == std::string::npos);
        CHECK(week_csv->body.find("相談 太郎") != std::string::npos);
        auto ccsv = viewer.get("/admin/consultations.csv?status=held");
        REQUIRE(ccsv->status == 200);
        CHECK(ccsv->body.rfind("\xEF\xBB\xBF", 0) == 0);
        CHECK(ccsv->body.find("協働事業の提案,子ども食堂を市と一緒に") != std::string::npos);

        // The yearly report: counts per centre and month.
        const std::string month = from.substr(0, 7);
        const auto counts = web::service_counts(*s.storage, s.storage->catalog_since(0), web::fiscal_year(from));
        CHECK(counts.at("bookings").at("ohdono").at(month) == 1);
        CHECK(counts.at("consultations").at("ohdono").at(month) == 1);
        CHECK(counts.at("groups").at("ohdono").at(web::jst_month(rfc3339_now())) == 1);
        CHECK(counts.at("item_request").empty());
        auto yr = viewer.get("/admin/reports/yearly?fy=" + std::to_string(web::fiscal_year(from)));
        REQUIRE(yr->status == 200);
        CHECK(yr->body.find("id=\"services-bookings\"") != std::string::npos);
        CHECK(yr->body.find("id=\"services-item_request\"") != std::string::npos);

        // Public pages: the group without its representative; the open requests for help.
        for (const char* path : {"/p/groups", "/p/help", "/open/catalog.json"}) {
            CAPTURE(path);
            auto pg = httplib::Client("127.0.0.1", s.port).Get(path);
            REQUIRE(pg);
            CHECK(pg->status == 200);
            for (const char* secret : {"中村 和夫", "083-922-6071", "山口 花子", "083-922-7777", "相談 太郎", "だいひょう"})
                CHECK_MESSAGE(pg->body.find(secret) == std::string::npos, secret);
        }
        auto pub = httplib::Client("127.0.0.1", s.port).Get("/p/groups");
        CHECK(pub->body.find("大殿町内会") != std::string::npos);
        CHECK(pub->body.find("G-0001") != std::string::npos);
        auto help = httplib::Client("127.0.0.1", s.port).Get("/p/help");
        CHECK(help->body.find("act-072") != std::string::npos);
        auto open = httplib::Client("127.0.0.1", s.port).Get("/open/catalog.json");
        CHECK(open->body.find("\"slot\"") == std::string::npos);

        const auto actions = audit_actions(*s.storage);
        for (const char* a : {"set_booking_window", "publish_slots", "view_bookings", "booking_mark", "booking_unmark", "block_slot", "unblock_slot",
                              "view_consultations", "export_bookings", "export_consultations", "view_slot_bookings"})
            CHECK_MESSAGE(actions.count(a), a);
    }
}
