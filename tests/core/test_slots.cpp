// core/slots.h: what a slot is, who may book it when (the 優先予約 window), which slot to offer
// a booker who lost one, and the consultation topics.
#include <doctest/doctest.h>

#include "core/slots.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "core/vocabulary.h"

using namespace kyodo;
using slots::Window;

namespace {

// A room slot at Ohdono on 2027-01-16 (Saturday) 9–12: groups from 01-02 09:00, anyone from
// 01-05, bookings until the day before.
Activity slot(std::string id = "s-0116-am", std::string starts = "2027-01-16T09:00",
              std::string resource = "ohdono-room") {
    Activity a;
    a.id = std::move(id);
    a.kind = ActivityKind::Slot;
    a.title = "会議室";
    a.centre_id = "ohdono";
    a.place = "大殿地域交流センター 2階";
    a.starts_at = starts;
    a.ends_at = starts.substr(0, 11) + "12:00";
    a.capacity = 1;
    a.signup_opens = "2027-01-05";
    a.signup_closes = "2027-01-15";
    a.extra["slot"] = {{"resource", resource}, {"resource_name", "会議室"}, {"type", "room"},
                       {"priority_opens", "2027-01-02T09:00"}, {"blocked", false}, {"blocked_reason", ""}};
    return a;
}

}  // namespace

TEST_CASE("slots: slot_info reads extra.slot of a slot, and nothing else") {
    const auto info = slots::slot_info(slot());
    REQUIRE(info);
    CHECK(info->resource == "ohdono-room");
    CHECK(info->resource_name == "会議室");
    CHECK(info->type == slots::ResourceType::Room);
    CHECK(info->priority_opens == "2027-01-02T09:00");
    CHECK_FALSE(info->blocked);

    Activity minimal = slot();
    minimal.extra["slot"] = {{"resource", "yuda-pa"}, {"type", "equipment"}};
    REQUIRE(slots::slot_info(minimal));
    CHECK(slots::slot_info(minimal)->type == slots::ResourceType::Equipment);
    CHECK(slots::slot_info(minimal)->priority_opens.empty());

    Activity event = slot();
    event.kind = ActivityKind::Event;   // extra.slot on a listing does not make it a slot
    CHECK_FALSE(slots::slot_info(event));
    for (const Json& bad : {Json::object(), Json{{"resource", ""}, {"type", "room"}}, Json{{"resource", "x"}},
                            Json{{"resource", "x"}, {"type", "hall"}}, Json{{"resource", 3}, {"type", "room"}},
                            Json{{"resource", "x"}, {"type", "room"}, {"blocked", "yes"}},
                            Json{{"resource", "x"}, {"type", "room"}, {"priority_opens", 20270102}}}) {
        Activity a = slot();
        a.extra["slot"] = bad;
        CHECK_MESSAGE(!slots::slot_info(a), bad.dump());
    }
    Activity none = slot();
    none.extra = Json::object();
    CHECK_FALSE(slots::slot_info(none));
    CHECK(slots::resource_type_from_code("consultation") == slots::ResourceType::Consultation);
    CHECK(std::string(slots::to_code(slots::ResourceType::Equipment)) == "equipment");
}

TEST_CASE("slots: the windows at their boundaries") {
    const Activity s = slot();
    CHECK(slots::window(s, "2027-01-01T12:00:00") == Window::NotYet);
    CHECK(slots::window(s, "2027-01-02T08:59:59") == Window::NotYet);
    CHECK(slots::window(s, "2027-01-02T09:00:00") == Window::GroupsOnly);   // 優先予約 opens
    CHECK(slots::window(s, "2027-01-04T23:59:59") == Window::GroupsOnly);
    CHECK(slots::window(s, "2027-01-05T00:00:00") == Window::Open);         // a date: from its start
    CHECK(slots::window(s, "2027-01-15T23:59:59") == Window::Open);         // closes: through that day
    CHECK(slots::window(s, "2027-01-16T00:00:00") == Window::Closed);
    CHECK(slots::window(s, "2027-01-17T10:00:00") == Window::Closed);
    CHECK(slots::window(s, "2027-01-05") == Window::Open);                   // a date reads as its midnight

    // Date-time bounds: from / until that moment.
    Activity t = slot();
    t.signup_opens = "2027-01-05T10:00";
    t.signup_closes = "2027-01-16T08:00";
    CHECK(slots::window(t, "2027-01-05T09:59:59") == Window::GroupsOnly);
    CHECK(slots::window(t, "2027-01-05T10:00:00") == Window::Open);
    CHECK(slots::window(t, "2027-01-16T07:59:59") == Window::Open);
    CHECK(slots::window(t, "2027-01-16T08:00:00") == Window::Closed);

    // No signup_closes: closed once the slot starts.
    Activity u = slot();
    u.signup_closes.clear();
    CHECK(slots::window(u, "2027-01-16T08:59:59") == Window::Open);
    CHECK(slots::window(u, "2027-01-16T09:00:00") == Window::Closed);

    // No priority window: before signup_opens nobody, groups included.
    Activity v = slot();
    v.extra["slot"]["priority_opens"] = "";
    CHECK(slots::window(v, "2027-01-03T12:00") == Window::NotYet);
    CHECK(slots::window(v, "2027-01-05T00:00") == Window::Open);
    // No signup_opens: open to anyone until it closes.
    Activity w = slot();
    w.signup_opens.clear();
    CHECK(slots::window(w, "2026-12-01T00:00") == Window::Open);
}

TEST_CASE("slots: blocked, taken, no places, and what fails closed") {
    Activity b = slot();
    b.extra["slot"]["blocked"] = true;
    b.extra["slot"]["blocked_reason"] = "館内点検";
    for (const char* now : {"2027-01-01T00:00", "2027-01-03T00:00", "2027-01-10T00:00", "2027-01-20T00:00"})
        CHECK(slots::window(b, now) == Window::Blocked);
    CHECK(slots::slot_info(b)->blocked_reason == "館内点検");

    Activity t = slot();
    t.taken = 1;
    CHECK(slots::window(t, "2027-01-03T12:00") == Window::Taken);   // a group took it in 優先予約
    CHECK(slots::window(t, "2027-01-10T12:00") == Window::Taken);
    CHECK(slots::window(t, "2027-01-16T12:00") == Window::Closed);  // over: closed, not taken

    Activity zero = slot();
    zero.capacity = 0;   // takes no sign-ups
    CHECK(slots::window(zero, "2027-01-10T12:00") == Window::Closed);

    CHECK(slots::window(slot(), "") == Window::Closed);              // no clock, no booking
    CHECK(slots::window(slot(), "next tuesday") == Window::Closed);
    Activity bad_opens = slot();
    bad_opens.signup_opens = "2027-13-01";
    bad_opens.extra["slot"]["priority_opens"] = "";
    CHECK(slots::window(bad_opens, "2027-01-10T12:00") == Window::NotYet);   // never opens by mistake
    Activity bad_closes = slot();
    bad_closes.signup_closes = "soon";
    CHECK(slots::window(bad_closes, "2027-01-10T12:00") == Window::Closed);
    CHECK(std::string(slots::to_code(Window::GroupsOnly)) == "groups_only");
}

TEST_CASE("slots: may_book is Open for anyone, GroupsOnly for registered groups") {
    const Activity s = slot();
    CHECK_FALSE(slots::may_book(s, "2027-01-01T12:00", true));    // NotYet: nobody
    CHECK_FALSE(slots::may_book(s, "2027-01-03T12:00", false));   // GroupsOnly
    CHECK(slots::may_book(s, "2027-01-03T12:00", true));
    CHECK(slots::may_book(s, "2027-01-10T12:00", false));         // Open
    CHECK(slots::may_book(s, "2027-01-10T12:00", true));
    CHECK_FALSE(slots::may_book(s, "2027-01-16T12:00", true));    // Closed
    Activity t = slot();
    t.taken = 1;
    CHECK_FALSE(slots::may_book(t, "2027-01-10T12:00", true));
}

TEST_CASE("slots: next_free skips taken, blocked, not yet open slots and other resources") {
    const Activity lost = slot("s-0116-am", "2027-01-16T09:00");
    Activity earlier = slot("s-0115-pm", "2027-01-15T13:00");     // before the lost one
    Activity same_time = slot("s-0116-am-b", "2027-01-16T09:00");  // not after it
    Activity taken = slot("s-0116-pm", "2027-01-16T13:00");
    taken.taken = 1;
    Activity blocked = slot("s-0116-ev", "2027-01-16T18:00");
    blocked.extra["slot"]["blocked"] = true;
    Activity other_resource = slot("pj-0117-am", "2027-01-17T09:00", "ohdono-projector");
    Activity other_centre = slot("yuda-0117-am", "2027-01-17T09:00");
    other_centre.centre_id = "yuda";
    Activity groups_only = slot("s-0118-am", "2027-01-18T09:00");   // opens to anyone later
    groups_only.signup_opens = "2027-01-12";
    Activity not_yet = slot("s-0119-am", "2027-01-19T09:00");
    not_yet.signup_opens = "2027-01-20";
    not_yet.extra["slot"]["priority_opens"] = "2027-01-15T09:00";
    Activity free = slot("s-0120-am", "2027-01-20T09:00");
    Activity later = slot("s-0121-am", "2027-01-21T09:00");
    const std::vector<Activity> all{later, free, not_yet, groups_only, other_centre, other_resource,
                                    blocked, taken, same_time, earlier, lost};
    const std::string now = "2027-01-10T12:00";

    auto anyone = slots::next_free(all, lost, now, false);
    REQUIRE(anyone);
    CHECK(anyone->id == "s-0120-am");   // 18th is groups-only, 19th not open yet
    auto group = slots::next_free(all, lost, now, true);
    REQUIRE(group);
    CHECK(group->id == "s-0118-am");    // a registered group may take the 優先予約 one

    // The order of the list does not matter.
    const std::vector<Activity> reversed(all.rbegin(), all.rend());
    CHECK(slots::next_free(reversed, lost, now, false)->id == "s-0120-am");
    CHECK(slots::next_free(reversed, lost, now, true)->id == "s-0118-am");

    // Ties at the same start go by id; nothing left is nullopt.
    Activity free_b = slot("s-0120-a", "2027-01-20T09:00");
    for (const auto& pair : {std::vector<Activity>{free, free_b}, std::vector<Activity>{free_b, free}}) {
        auto tie = slots::next_free(pair, lost, now, false);
        REQUIRE(tie);
        CHECK(tie->id == "s-0120-a");
    }
    CHECK_FALSE(slots::next_free({earlier, taken, blocked, other_resource}, lost, now, true));
    Activity not_slot = lost;
    not_slot.kind = ActivityKind::Event;
    CHECK_FALSE(slots::next_free(all, not_slot, now, true));
}

TEST_CASE("slots: resources are distinct per resource and centre, in first-seen order") {
    Activity pj = slot("pj-1", "2027-01-17T09:00", "ohdono-projector");
    pj.extra["slot"]["type"] = "equipment";
    pj.extra["slot"]["resource_name"] = "プロジェクター";
    Activity yuda = slot("y-1", "2027-01-17T09:00");
    yuda.centre_id = "yuda";
    Activity event;
    event.id = "e1";
    const auto r = slots::resources({slot("a"), pj, slot("b"), event, yuda, pj});
    REQUIRE(r.size() == 3);
    CHECK(r[0].id == "ohdono-room");
    CHECK(r[0].name == "会議室");
    CHECK(r[0].place == "大殿地域交流センター 2階");
    CHECK(r[1].id == "ohdono-projector");
    CHECK(r[1].type == slots::ResourceType::Equipment);
    CHECK(r[2].centre_id == "yuda");
}

TEST_CASE("slots: consultation topics have labels in every language") {
    const auto& t = slots::consult_topics();
    REQUIRE(t.size() == 6);
    CHECK(std::string(t[0].code) == "proposal");
    CHECK(std::string(t[0].ja) == "協働事業の提案");
    CHECK(slots::is_consult_topic("funding"));
    CHECK_FALSE(slots::is_consult_topic("tax"));
    for (const auto& x : t)
        for (const char* lang : {"ja", "easy_ja", "en"})
            CHECK(vocabulary(lang).has(std::string("consult.topic.") + x.code));
    for (const char* lang : {"ja", "easy_ja", "en"}) {
        for (const char* k : {"kind.slot", "kind.slot.short", "kind.item", "kind.item.short", "slot.type.room",
                              "slot.type.equipment", "slot.type.consultation"})
            CHECK_MESSAGE(vocabulary(lang).has(k), lang << " " << k);
    }
}

TEST_CASE("slots: the kinds slot and item are not listings") {
    CHECK(std::string(to_code(ActivityKind::Slot)) == "slot");
    CHECK(activity_kind_from_code("item") == ActivityKind::Item);
    CHECK_FALSE(is_listing(ActivityKind::Slot));
    CHECK_FALSE(is_listing(ActivityKind::Item));
    CHECK(listing_kinds().size() == 6);
    for (ActivityKind k : listing_kinds()) CHECK(is_listing(k));
    CHECK(std::string(label_ja(ActivityKind::Slot)) == "施設・機器の予約枠");
}

TEST_CASE("slots: local_jst is the Japan wall clock") {
    CHECK(local_jst(0) == "1970-01-01T09:00:00");
    const auto ms = parse_local_jst("2027-01-16T09:00:00");
    REQUIRE(ms);
    CHECK(local_jst(*ms) == "2027-01-16T09:00:00");
    CHECK(local_jst(*parse_rfc3339("2027-01-15T15:00:00Z")) == "2027-01-16T00:00:00");
}
