// Booking a slot at the kiosk, as models (issue 11 points 3 and 5; app/model/booking_*.h):
// where a slot stands (window, blocked, taken, held here offline, lost), the week shown, the
// group number checked against the directory the kiosk holds, the steps of a room/equipment
// booking and of a consultation with their checks, the record queued (sealed, check code, party
// 1, group / purpose / topic), and what a booker who lost the slot is offered.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "app/model/booking_calendar.h"
#include "app/model/booking_form.h"
#include "app/model/start_board.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/uuid.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;

namespace {

// A slot of `resource` on `day` from `from` to `to` (capacity 1), bookable by anyone from
// `opens`, by registered groups from `priority` ("" = no 優先予約 window).
Activity slot(const std::string& id, const std::string& resource, const std::string& day, const std::string& from,
              const std::string& to, const std::string& opens = "2026-12-01T09:00", const std::string& priority = "",
              const std::string& type = "equipment") {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = resource + " " + day + " " + from;
    a.centre_id = "ohdono";
    a.place = "大殿地域交流センター";
    a.starts_at = day + "T" + from;
    a.ends_at = day + "T" + to;
    a.capacity = 1;
    a.signup_opens = opens;
    a.signup_closes = day + "T" + from;
    a.version = 1;
    const std::string name = resource == "ohdono-projector" ? "プロジェクター"
                             : resource == "ohdono-room1"   ? "会議室1"
                                                            : "協働相談窓口";
    a.extra = Json{{"slot", {{"resource", resource}, {"resource_name", name}, {"type", type},
                             {"priority_opens", priority}, {"blocked", false}, {"blocked_reason", ""}}}};
    return a;
}

Organization group(const std::string& number, const std::string& name) {
    Organization o;
    o.id = "grp-" + number;
    o.name = name;
    o.type = "町内会・自治会";
    o.registration = number;
    o.application = "7KQ3-M9TX";
    return o;
}

// The week of 2026-12-07 (Mon) .. 12-13 (Sun): the projector on Saturday the 12th and the
// room on Friday; one projector slot is taken at city hall, one is blocked by staff, one
// opens later, and one is in its groups-only window.
std::vector<Activity> sample_slots() {
    std::vector<Activity> v;
    v.push_back(slot("s-proj-sat-am", "ohdono-projector", "2026-12-12", "09:00", "12:00"));
    v.push_back(slot("s-proj-sat-pm", "ohdono-projector", "2026-12-12", "13:00", "17:00"));
    v.push_back(slot("s-proj-fri-pm", "ohdono-projector", "2026-12-11", "13:00", "17:00"));
    v.back().taken = 1;
    v.push_back(slot("s-proj-thu-pm", "ohdono-projector", "2026-12-10", "13:00", "17:00"));
    v.back().extra["slot"]["blocked"] = true;
    v.back().extra["slot"]["blocked_reason"] = "点検";
    v.push_back(slot("s-proj-sun-am", "ohdono-projector", "2026-12-13", "09:00", "12:00", "2026-12-09T09:00",
                     "2026-12-06T09:00"));   // groups only until the 9th
    v.push_back(slot("s-proj-next-sat", "ohdono-projector", "2026-12-19", "09:00", "12:00", "2026-12-10T09:00"));   // not yet
    v.push_back(slot("s-room-fri-am", "ohdono-room1", "2026-12-11", "09:00", "12:00", "2026-12-01T09:00", "", "room"));
    v.push_back(slot("s-consult-tue", "city-consult", "2026-12-08", "14:00", "15:00", "2026-12-01T09:00", "",
                     "consultation"));
    v.back().centre_id = "";
    return v;
}

const std::string kNow = "2026-12-07T10:00";   // Monday morning

OutboxEntry signup_for(const std::string& activity_id, const std::string& status, const std::string& group = "") {
    OutboxEntry e;
    e.record.kind = RecordKind::SignUp;
    e.record.id = new_uuid_v7();
    e.record.payload = Json{{"activity_id", activity_id}, {"party_size", 1}};
    if (!group.empty()) e.record.payload["group"] = group;
    e.state = status.empty() ? OutboxState::Pending : OutboxState::Delivered;
    e.result = status.empty() ? "" : "stored";
    e.signup_status = status;
    return e;
}

Json strings(const std::string& lang) {
    std::ifstream in(std::string(KYODO_ASSETS_DIR) + "/i18n/" + lang + ".json");
    return Json::parse(in);
}

}  // namespace

TEST_CASE("booking: each slot state has its own symbol and words in ja, easy_ja and en (not colour alone)") {
    const std::vector<SlotState> states{SlotState::Free,    SlotState::GroupsOnly, SlotState::NotYet, SlotState::Taken,
                                        SlotState::HeldHere, SlotState::Blocked,   SlotState::Closed};
    std::set<std::string> symbols;
    for (SlotState s : {SlotState::Free, SlotState::GroupsOnly, SlotState::NotYet, SlotState::Taken, SlotState::HeldHere})
        symbols.insert(symbol(s));
    CHECK(symbols.size() == 5);   // Blocked and Closed share ー; Blocked is also hatched and worded apart
    for (const char* lang : {"ja", "easy_ja", "en"}) {
        const Json t = strings(lang);
        std::set<std::string> words;
        for (SlotState s : states) {
            const std::string key = std::string("booking.state.") + to_code(s);
            INFO(lang, " ", key);
            REQUIRE(t.contains(key));
            words.insert(t[key].get<std::string>());
        }
        CHECK(words.size() == states.size());
    }
}

TEST_CASE("booking: where a slot stands at this kiosk") {
    const auto v = sample_slots();
    HeldSlots none;
    auto state = [&](const std::string& id, const std::string& now, const HeldSlots& held) {
        for (const auto& a : v)
            if (a.id == id) return slot_state(a, now, held);
        FAIL("no slot " << id);
        return SlotState::Closed;
    };
    CHECK(state("s-proj-sat-am", kNow, none) == SlotState::Free);
    CHECK(state("s-proj-fri-pm", kNow, none) == SlotState::Taken);
    CHECK(state("s-proj-thu-pm", kNow, none) == SlotState::Blocked);
    CHECK(state("s-proj-sun-am", kNow, none) == SlotState::GroupsOnly);
    CHECK(state("s-proj-sun-am", "2026-12-09T09:00", none) == SlotState::Free);
    CHECK(state("s-proj-next-sat", kNow, none) == SlotState::NotYet);
    CHECK(state("s-proj-sat-am", "2026-12-12T09:30", none) == SlotState::Closed);   // started
    // Booked here, offline: held (仮予約) until city hall answers; lost: taken.
    const HeldSlots held = held_slots({signup_for("s-proj-sat-am", ""), signup_for("s-proj-sat-pm", "waitlisted"),
                                       signup_for("s-room-fri-am", "cancelled")});
    CHECK(held.size() == 2);
    CHECK(state("s-proj-sat-am", kNow, held) == SlotState::HeldHere);
    CHECK(state("s-proj-sat-pm", kNow, held) == SlotState::Taken);
    CHECK(state("s-room-fri-am", kNow, held) == SlotState::Free);   // the cancelled booking holds nothing
    CHECK(pickable(SlotState::Free));
    CHECK(pickable(SlotState::GroupsOnly));
    CHECK_FALSE(pickable(SlotState::HeldHere));
    CHECK_FALSE(pickable(SlotState::Blocked));
    // A booking still awaiting outweighs an older lost one for the same slot.
    const HeldSlots two = held_slots({signup_for("s-proj-sat-am", "waitlisted"), signup_for("s-proj-sat-am", "")});
    CHECK(two.at("s-proj-sat-am") == SignupPhase::Awaiting);
}

TEST_CASE("booking: a week of one resource's slots, and the first week shown") {
    const auto v = sample_slots();
    const SlotWeek w = slot_week(v, "ohdono-projector", "2026-12-07", kNow, {});
    CHECK(w.days[0] == "2026-12-07");
    CHECK(w.days[6] == "2026-12-13");
    CHECK(w.count() == 5);                 // the room, the desk and next week's slot are not in it
    CHECK(w.cells[5].size() == 2);         // Saturday: morning then afternoon
    CHECK(w.cells[5][0].slot.id == "s-proj-sat-am");
    CHECK(w.cells[5][1].slot.id == "s-proj-sat-pm");
    CHECK(w.pickable == 3);                // Saturday ×2 and Sunday (groups only)
    CHECK(time_span(w.cells[5][0].slot) == "09:00–12:00");
    CHECK(first_week_day(v, "ohdono-projector", "2026-12-07") == "2026-12-07");
    CHECK(first_week_day(v, "ohdono-projector", "2026-12-14") == "2026-12-14");   // the 19th is in that week
    CHECK(first_week_day(v, "ohdono-room1", "2026-12-01") == "2026-12-11");       // nothing that week: its first slot
    CHECK(first_week_day(v, "nothing", "2026-12-07") == "2026-12-07");
}

TEST_CASE("booking: registration numbers as typed, checked against the directory the kiosk holds") {
    CHECK(normalise_group("1") == "G-0001");
    CHECK(normalise_group("0001") == "G-0001");
    CHECK(normalise_group(" g-0012 ") == "G-0012");
    CHECK(normalise_group("G0012") == "G-0012");
    CHECK(normalise_group("G-12345") == "G-12345");
    CHECK(normalise_group("12a").empty());
    CHECK(normalise_group("12345678901").empty());   // 11 digits: not a number the city issues
    const std::vector<Organization> dir{group("G-0001", "大殿町内会")};
    CHECK(look_up_group("", dir).check == GroupCheck::Empty);
    CHECK(look_up_group("x1", dir).check == GroupCheck::BadFormat);
    const GroupLookup unknown = look_up_group("7", dir);
    CHECK(unknown.check == GroupCheck::Unknown);
    CHECK(unknown.number == "G-0007");
    const GroupLookup ok = look_up_group("1", dir);
    REQUIRE(ok.check == GroupCheck::Ok);
    CHECK(ok.group->name == "大殿町内会");
}

TEST_CASE("booking: a 町内会 books the projector for Saturday, step by step; the record is a sealed sign-up") {
    test::ModelKiosk k("booking-model-facility", "ohdono");
    const auto v = sample_slots();
    const std::vector<Organization> dir{group("G-0001", "大殿町内会")};
    BookingForm F;
    F.start(BookingMode::Facility, v, "2026-12-07");
    CHECK(F.step == BookingStep::Resource);
    CHECK(F.resources.size() == 2);   // projector, room; not the consultation desk
    CHECK(F.count() == 8);
    HeldSlots held;
    CHECK_FALSE(F.next(dir, kNow, held));
    CHECK(F.errors.count("resource"));
    F.choose_resource("ohdono-projector");
    REQUIRE(F.next(dir, kNow, held));
    REQUIRE(F.step == BookingStep::Calendar);
    CHECK_FALSE(F.next(dir, kNow, held));   // nothing picked
    CHECK(F.errors.at("slot") == "required");
    const SlotWeek w = F.week(kNow, held);
    CHECK_FALSE(F.pick(w.cells[4][0].slot, kNow, held));   // Friday's: taken at city hall
    CHECK(F.errors.at("slot") == "not_bookable");
    CHECK_FALSE(F.pick(w.cells[3][0].slot, kNow, held));   // Thursday's: blocked
    REQUIRE(F.pick(w.cells[5][1].slot, kNow, held));        // Saturday afternoon
    REQUIRE(F.next(dir, kNow, held));
    REQUIRE(F.step == BookingStep::Group);
    CHECK_FALSE(F.group_required(kNow));   // open to everyone: a resident could book without a number
    F.group_typed = "0009";
    CHECK_FALSE(F.next(dir, kNow, held));
    CHECK(F.errors.at("group") == "unknown_group");
    F.group_typed = "1";
    REQUIRE(F.next(dir, kNow, held));
    CHECK(F.group.group->name == "大殿町内会");
    REQUIRE(F.step == BookingStep::Name);
    CHECK_FALSE(F.next(dir, kNow, held));   // the sign-up's own check: a name is required
    CHECK(F.errors.at("name") == "required");
    CHECK(F.person.errors.at("name") == "required");
    F.person.name = "中村 和夫";
    REQUIRE(F.next(dir, kNow, held));
    F.person.furigana = "なかむら かずお";
    REQUIRE(F.next(dir, kNow, held));
    REQUIRE(F.step == BookingStep::Contact);
    F.person.phone = "0839";
    CHECK_FALSE(F.next(dir, kNow, held));
    CHECK(F.errors.count("phone"));
    F.person.phone = "083-922-6071";
    REQUIRE(F.next(dir, kNow, held));
    REQUIRE(F.step == BookingStep::Purpose);
    F.purpose = std::string(201, 'a');
    CHECK_FALSE(F.next(dir, kNow, held));
    CHECK(F.errors.at("purpose") == "too_long");
    F.purpose = "防災訓練の説明会でスライドを映す";
    REQUIRE(F.next(dir, kNow, held));
    REQUIRE(F.step == BookingStep::Review);
    CHECK(F.index() == 7);
    CHECK(F.back());
    CHECK(F.step == BookingStep::Purpose);
    F.edit(BookingStep::Review);

    const Record r = F.record();
    CHECK(r.kind == RecordKind::SignUp);
    CHECK(r.payload["activity_id"] == "s-proj-sat-pm");
    CHECK(r.payload["party_size"] == 1);
    CHECK(r.payload["group"] == "G-0001");
    CHECK(r.payload["purpose"] == "防災訓練の説明会でスライドを映す");
    CHECK_FALSE(r.payload.contains("topic"));

    const SubmitResult res = F.submit(k.ctx, dir, kNow, held);
    REQUIRE_MESSAGE(res.ok(), res.detail);
    CHECK(res.receipt.check_code.size() == 4);
    const auto out = k.outbox();
    REQUIRE(out.size() == 1);
    const Record& q = out[0].record;
    CHECK(q.kind == RecordKind::SignUp);
    CHECK(q.payload["group"] == "G-0001");
    CHECK(q.payload["check_code"] == res.receipt.check_code);
    CHECK(q.payload.dump().find("中村") == std::string::npos);   // the person only in the sealed box
    auto p = open_personal(q.sealed, k.keys);
    REQUIRE(p);
    CHECK(p->name == "中村 和夫");
    CHECK(p->phone == "083-922-6071");
    CHECK(k.db_bytes().find("中村 和夫") == std::string::npos);
    // Offline, the slot now shows as held here (仮予約), and cannot be picked again.
    const HeldSlots now_held = held_slots(k.s.store->signups(100));
    const SlotWeek after = slot_week(v, "ohdono-projector", "2026-12-07", kNow, now_held);
    CHECK(after.cells[5][1].state == SlotState::HeldHere);
    CHECK(after.pickable == 2);
    BookingForm G;
    G.start(BookingMode::Facility, v, "2026-12-07");
    G.choose_resource("ohdono-projector");
    CHECK_FALSE(G.pick(after.cells[5][1].slot, kNow, now_held));
}

TEST_CASE("booking: the 優先予約 window needs a registered group; a slot taken meanwhile sends the resident back") {
    test::ModelKiosk k("booking-model-priority", "ohdono");
    const auto v = sample_slots();
    const std::vector<Organization> dir{group("G-0001", "大殿町内会")};
    BookingForm F;
    F.start(BookingMode::Facility, v, "2026-12-07");
    F.choose_resource("ohdono-projector");
    F.step = BookingStep::Calendar;
    HeldSlots held;
    const SlotWeek w = F.week(kNow, held);
    REQUIRE(w.cells[6].size() == 1);
    CHECK(w.cells[6][0].state == SlotState::GroupsOnly);
    REQUIRE(F.pick(w.cells[6][0].slot, kNow, held));
    REQUIRE(F.next(dir, kNow, held));
    CHECK(F.group_required(kNow));
    CHECK_FALSE(F.next(dir, kNow, held));   // no number
    CHECK(F.errors.at("group") == "group_required");
    F.group_typed = "G-0001";
    REQUIRE(F.next(dir, kNow, held));
    F.person.name = "中村 和夫";
    F.person.furigana = "なかむら かずお";
    F.person.email = "nakamura@example.jp";
    F.step = BookingStep::Review;
    // Another resident at this kiosk booked it in the meantime (in the outbox now).
    HeldSlots taken{{w.cells[6][0].slot.id, SignupPhase::Awaiting}};
    const SubmitResult res = F.submit(k.ctx, dir, kNow, taken);
    CHECK(res.error == SubmitError::Invalid);
    CHECK(F.step == BookingStep::Calendar);
    CHECK(F.errors.at("slot") == "not_bookable");
    CHECK(k.outbox().empty());
    // The catalog pulled meanwhile no longer has the slot: back to the calendar, said so.
    F.step = BookingStep::Review;
    std::vector<Activity> fewer;
    for (const auto& a : v)
        if (a.id != w.cells[6][0].slot.id) fewer.push_back(a);
    F.reload(fewer);
    CHECK_FALSE(F.slot.has_value());
    CHECK(F.step == BookingStep::Calendar);
    CHECK(F.errors.at("slot") == "gone");
}

TEST_CASE("booking: a consultation — topic, one desk (no desk step), a week, no group needed") {
    test::ModelKiosk k("booking-model-consult", "ohdono");
    const auto v = sample_slots();
    BookingForm F;
    F.start(BookingMode::Consultation, v, "2026-12-07");
    CHECK(F.step == BookingStep::Topic);
    CHECK(F.resources.size() == 1);
    CHECK(F.resource_id == "city-consult");   // the only desk, chosen for the resident
    const auto steps = F.steps();
    CHECK(std::find(steps.begin(), steps.end(), BookingStep::Resource) == steps.end());
    CHECK(std::find(steps.begin(), steps.end(), BookingStep::Purpose) == steps.end());
    HeldSlots held;
    CHECK_FALSE(F.next({}, kNow, held));
    CHECK(F.errors.at("topic") == "required");
    F.topic = "nope";
    CHECK_FALSE(F.next({}, kNow, held));
    F.topic = "starting";
    F.topic_text = "子ども食堂を始めたい";
    REQUIRE(F.next({}, kNow, held));
    REQUIRE(F.step == BookingStep::Calendar);
    const SlotWeek w = F.week(kNow, held);
    REQUIRE(w.cells[1].size() == 1);
    REQUIRE(F.pick(w.cells[1][0].slot, kNow, held));
    REQUIRE(F.next({}, kNow, held));
    REQUIRE(F.step == BookingStep::Group);
    REQUIRE(F.next({}, kNow, held));   // a resident: no number
    F.person.name = "John Smith";      // a Latin name needs no reading (the sign-up's rule)
    REQUIRE(F.next({}, kNow, held));
    REQUIRE(F.next({}, kNow, held));
    F.person.email = "john@example.org";
    REQUIRE(F.next({}, kNow, held));
    REQUIRE(F.step == BookingStep::Review);
    const Record r = F.record();
    CHECK(r.payload["topic"] == "starting");
    CHECK(r.payload["topic_text"] == "子ども食堂を始めたい");
    CHECK_FALSE(r.payload.contains("group"));
    CHECK_FALSE(r.payload.contains("purpose"));
    const SubmitResult res = F.submit(k.ctx, {}, kNow, held);
    REQUIRE_MESSAGE(res.ok(), res.detail);
    CHECK(k.outbox().size() == 1);
}

TEST_CASE("booking: the loser is told and offered the next free slot of the same resource") {
    const auto v = sample_slots();
    // This kiosk's booking of Saturday morning lost (waitlisted at the sync).
    const OutboxEntry lost = signup_for("s-proj-sat-am", "waitlisted", "G-0001");
    HeldSlots held = held_slots({lost});
    BookingOutcome o = booking_outcome(lost, v, kNow, held);
    CHECK(o.is_booking);
    CHECK(o.lost);
    CHECK(o.group == "G-0001");
    REQUIRE(o.next);
    CHECK(o.next->id == "s-proj-sat-pm");   // the next free projector slot after it
    // Saturday afternoon is held by another booking of this kiosk: the next one is Sunday's
    // (groups only now: this booker is a registered group).
    held["s-proj-sat-pm"] = SignupPhase::Awaiting;
    o = booking_outcome(lost, v, kNow, held);
    REQUIRE(o.next);
    CHECK(o.next->id == "s-proj-sun-am");
    // A resident without a group is not offered the groups-only slot.
    const OutboxEntry lost_resident = signup_for("s-proj-sat-am", "waitlisted");
    o = booking_outcome(lost_resident, v, kNow, held);
    CHECK(o.lost);
    CHECK_FALSE(o.next.has_value());   // next week's has not opened yet
    // Confirmed: nothing to offer. Not a slot: not a booking.
    o = booking_outcome(signup_for("s-proj-sat-am", "confirmed"), v, kNow, {});
    CHECK(o.is_booking);
    CHECK_FALSE(o.lost);
    CHECK(o.phase == SignupPhase::Confirmed);
    CHECK_FALSE(booking_outcome(signup_for("act-001", "waitlisted"), v, kNow, {}).is_booking);

    // One tap: a new booking of the offered slot, for the same group, at the group step.
    BookingForm F;
    F.start_for(BookingMode::Facility, v, *booking_outcome(lost, v, kNow, held_slots({lost})).next, "G-0001",
                "2026-12-07");
    CHECK(F.step == BookingStep::Group);
    CHECK(F.resource_id == "ohdono-projector");
    REQUIRE(F.slot);
    CHECK(F.slot->id == "s-proj-sat-pm");
    CHECK(F.group_typed == "0001");
    CHECK(F.person.activity_id == "s-proj-sat-pm");
}
