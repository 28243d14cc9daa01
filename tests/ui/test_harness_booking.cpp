// Issue 11 points 3 and 5 in the real kiosk screens, driven by taps (harness.h): a 町内会
// registers, is approved, and books the projector for Saturday (offline: the slot shows 仮予約);
// a booking that lost to another kiosk's at the sync is told at 申し込みの確認・取り消し and the
// next free slot is booked with one tap, and staff mode lists both; a consultation; and every
// booking screen at the kiosk's three window sizes in ja and en with no text cut. Screenshots
// in <build>/screenshots/flows-booking-*.png.
#include <doctest/doctest.h>

#include "app/model/booking_calendar.h"
#include "app/screens/booking.h"
#include "app/screens/cancel.h"
#include "app/screens/groups.h"
#include "app/screens/receipt.h"
#include "core/uuid.h"
#include "harness.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

// The harness's today is 2026-11-24 (a Tuesday); "now" for the slots is that day at 09:00.
Activity hslot(const std::string& id, const std::string& resource, const std::string& name, const std::string& type,
               const std::string& centre, const std::string& day, const std::string& from, const std::string& to,
               const std::string& opens = "2026-11-01T09:00", const std::string& priority = "") {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = name + " " + day + " " + from;
    a.centre_id = centre;
    a.place = type == "consultation" ? "市役所 協働推進課" : "宮野地域交流センター";
    a.starts_at = day + "T" + from;
    a.ends_at = day + "T" + to;
    a.capacity = 1;
    a.signup_opens = opens;
    a.signup_closes = day + "T" + from;
    a.version = 1;
    a.extra = Json{{"slot", {{"resource", resource}, {"resource_name", name}, {"type", type},
                             {"priority_opens", priority}, {"blocked", false}, {"blocked_reason", ""}}}};
    return a;
}

// The week's slots of the centre's projector and meeting room and of city hall's consultation
// desk, and (when `application` is given) the approved 大殿町内会 in the directory.
void add_booking_catalog(Harness& h, const std::string& application = "") {
    CatalogDelta d;
    d.version = h.s.store->catalog_version() + 1;
    const std::string P = "harness-projector", R = "harness-room", C = "harness-consult";
    d.activities = {
        hslot("hp-thu-pm", P, "プロジェクター", "equipment", "miyano", "2026-11-26", "13:00", "17:00"),
        hslot("hp-fri-pm", P, "プロジェクター", "equipment", "miyano", "2026-11-27", "13:00", "17:00"),
        hslot("hp-sat-am", P, "プロジェクター", "equipment", "miyano", "2026-11-28", "09:00", "12:00"),
        hslot("hp-sat-pm", P, "プロジェクター", "equipment", "miyano", "2026-11-28", "13:00", "17:00"),
        hslot("hp-sun-am", P, "プロジェクター", "equipment", "miyano", "2026-11-29", "09:00", "12:00", "2026-11-26T09:00",
              "2026-11-20T09:00"),   // 優先予約: registered groups only until the 26th
        hslot("hp-next-sat", P, "プロジェクター", "equipment", "miyano", "2026-12-05", "09:00", "12:00",
              "2026-11-28T09:00"),   // not open yet
        hslot("hr-sat-am", R, "会議室（和室）", "room", "miyano", "2026-11-28", "09:00", "12:00"),
        hslot("hc-wed", C, "協働相談窓口", "consultation", "", "2026-11-25", "14:00", "15:00"),
        hslot("hc-thu", C, "協働相談窓口", "consultation", "", "2026-11-26", "10:00", "11:00"),
    };
    d.activities[1].taken = 1;                                   // Friday's: booked at city hall
    d.activities[0].extra["slot"]["blocked"] = true;             // Thursday's: staff blocked it
    d.activities[0].extra["slot"]["blocked_reason"] = "点検";
    if (!application.empty()) {
        Organization o;
        o.id = "grp-g0001";
        o.name = "大殿町内会";
        o.kana = "おおどのちょうないかい";
        o.type = "町内会・自治会";
        o.fields = {"防災"};
        o.registration = "G-0001";
        o.application = application;
        d.organizations.push_back(o);
    }
    h.s.store->apply_catalog(d);
    h.app->on_catalog_changed();
    h.idle();
}

void type_number(Harness& h, const char* field, const std::string& digits) {
    h.app->keyboard.kb.open(FieldSpec{field, InputKind::Number, 10}, "");
    h.idle();
    h.type_keys(digits);
    h.app->keyboard.kb.close();
    h.idle();
}

// The person in charge and contact, typed (the phone on the number pad) through the sign-up's own steps.
void person_steps(Harness& h, BookingForm& F, const char* name, const char* kana, const std::string& phone) {
    REQUIRE(F.step == BookingStep::Name);
    h.tap("step-next");   // nothing typed: the sign-up's own check
    CHECK(F.step == BookingStep::Name);
    CHECK(F.person.errors.count("name"));
    F.person.name = name;
    h.app->note_text(name);
    h.idle();
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Furigana);
    F.person.furigana = kana;
    h.app->note_text(kana);
    h.idle();
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Contact);
    h.app->keyboard.kb.open(FieldSpec{"signup.phone", InputKind::Phone, 15}, "");
    h.idle();
    h.type_keys(phone);
    CHECK(F.person.phone == phone);
    h.app->keyboard.kb.close();
    h.idle();
    h.tap("step-next");
}

}  // namespace

TEST_CASE("harness: a 町内会 registers and books the projector for Saturday (offline: 仮予約 at this kiosk)") {
    if (!need_display()) return;
    Harness h("harness-booking");
    add_booking_catalog(h);

    // The 大殿町内会 applies (the group screens; harness "a 町内会 applies …" checks each step).
    h.tap("groups");
    auto& G = h.app->view<screens::GroupsView>();
    G.group.name = "大殿町内会";
    G.group.kana = "おおどのちょうないかい";
    G.group.members = "120";
    G.group.rep_name = "中村 和夫";
    G.group.rep_furigana = "なかむら かずお";
    G.group.phone = "0839226071";
    for (const char* t : {"大殿町内会", "おおどのちょうないかい", "中村 和夫", "なかむら かずお"}) h.app->note_text(t);
    h.idle();
    h.tap("kind-neighbourhood");
    h.tap("step-next");
    REQUIRE(G.group.step == GroupStep::Representative);
    h.tap("consent");
    h.tap("step-next");
    REQUIRE(G.group.step == GroupStep::Review);
    h.tap("step-next");   // 申請する
    REQUIRE(h.screen() == Screen::Receipt);
    const Receipt application = h.app->view<screens::ReceiptView>().receipt;
    h.tap("done");

    // The centre approves; the next catalog pull brings G-0001 (integration_kiosk_booking does
    // this through the real server and dashboard).
    add_booking_catalog(h, application.number);

    // 部屋・機器・相談の予約 → the projector → Saturday morning.
    REQUIRE(h.has("booking"));
    h.tap("booking");
    REQUIRE(h.screen() == Screen::Booking);
    auto& V = h.app->view<screens::BookingView>();
    BookingForm& F = V.booking;
    CHECK(F.step == BookingStep::Resource);
    CHECK(h.has("res-harness-projector"));
    CHECK(h.has("res-harness-room"));
    CHECK_FALSE(h.has("res-harness-consult"));   // the desk is booked from its own button
    CHECK(h.has("to-consult"));
    h.shot("booking-resource");
    h.tap("res-harness-projector");
    REQUIRE(F.step == BookingStep::Calendar);
    CHECK(F.week_first == "2026-11-24");
    const SlotWeek week = F.week(V.now(*h.app), V.held);
    CHECK(week.cells[2][0].state == SlotState::Blocked);      // Thursday (the week starts on Tuesday the 24th)
    CHECK(week.cells[3][0].state == SlotState::Taken);        // Friday
    CHECK(week.cells[4][0].state == SlotState::Free);         // Saturday
    CHECK(week.cells[5][0].state == SlotState::GroupsOnly);   // Sunday
    h.shot("booking-calendar");
    // A taken slot does nothing; next without a slot says what is missing.
    h.tap("slot:hp-fri-pm");
    CHECK_FALSE(F.slot.has_value());
    h.tap("step-next");
    CHECK(F.step == BookingStep::Calendar);
    CHECK(F.errors.count("slot"));
    h.tap("slot:hp-sat-am");
    REQUIRE(F.slot);
    CHECK(F.slot->id == "hp-sat-am");
    h.shot("booking-calendar-picked");
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Group);
    // An unknown number is refused with a clear message; the group's number shows its name.
    type_number(h, "booking.group", "9");
    h.tap("step-next");
    CHECK(F.step == BookingStep::Group);
    CHECK(F.errors.at("group") == "unknown_group");
    h.shot("booking-group-unknown");
    F.group_typed.clear();
    type_number(h, "booking.group", "1");
    CHECK(F.group_typed == "1");
    h.shot("booking-group");
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Name);
    CHECK(F.group.group->name == "大殿町内会");
    h.shot("booking-name");
    person_steps(h, F, "中村 和夫", "なかむら かずお", "0839226071");
    REQUIRE(F.step == BookingStep::Purpose);
    F.purpose = "防災訓練の説明会でスライドを映す";
    h.app->note_text(F.purpose);
    h.idle();
    h.shot("booking-purpose");
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Review);
    h.shot("booking-review");
    h.tap("step-next");   // 予約する
    REQUIRE(h.screen() == Screen::Receipt);
    CHECK(h.app->view<screens::ReceiptView>().booking);
    h.shot("receipt-booking");
    const Receipt receipt = h.app->view<screens::ReceiptView>().receipt;
    CHECK(receipt.check_code.size() == 4);

    const auto out = h.outbox();
    REQUIRE(out.size() == 2);   // the application, the booking
    const Record& r = out[0].record;
    CHECK(r.kind == RecordKind::SignUp);
    CHECK(r.payload["activity_id"] == "hp-sat-am");
    CHECK(r.payload["group"] == "G-0001");
    CHECK(r.payload["party_size"] == 1);
    CHECK(r.payload["purpose"] == "防災訓練の説明会でスライドを映す");
    CHECK(r.payload["check_code"] == receipt.check_code);
    CHECK(r.payload.dump().find("中村") == std::string::npos);
    auto p = open_personal(r.sealed, h.keys);
    REQUIRE(p);
    CHECK(p->name == "中村 和夫");
    CHECK(p->phone == "0839226071");
    CHECK(F.person.name.empty());   // nothing left for the next resident
    h.tap("done");

    // Offline (nothing synced): the slot shows as held here, and cannot be picked again.
    h.tap("booking");
    h.tap("res-harness-projector");
    const SlotWeek held = F.week(V.now(*h.app), V.held);
    CHECK(held.cells[4][0].state == SlotState::HeldHere);
    h.tap("slot:hp-sat-am");
    CHECK_FALSE(F.slot.has_value());
    h.shot("booking-calendar-held");
}

TEST_CASE("harness: a booking lost at the sync is told at 申し込みの確認 and the next free slot is booked with one tap") {
    if (!need_display()) return;
    Harness h("harness-booking-lost");
    add_booking_catalog(h, "7KQ3-M9TX");
    auto& V = h.app->view<screens::BookingView>();
    // Booked here while offline (the booking form's own submit) …
    V.start(*h.app, BookingMode::Facility);
    BookingForm& F = V.booking;
    F.choose_resource("harness-projector");
    F.step = BookingStep::Calendar;
    const std::string now = V.now(*h.app);
    REQUIRE(F.pick(F.week(now, V.held).cells[4][0].slot, now, V.held));
    F.group_typed = "1";
    F.person.name = "中村 和夫";
    F.person.furigana = "なかむら かずお";
    F.person.phone = "0839226071";
    F.step = BookingStep::Review;
    const SubmitResult made = F.submit(h.app->submit_context(), V.directory, now, V.held);
    REQUIRE_MESSAGE(made.ok(), made.detail);
    h.app->home();
    // … and at the next sync city hall answers waitlisted: another kiosk's booking came first.
    h.s.store->apply_answers({{made.receipt.record_id, "stored", "", "", "waitlisted"}});
    h.idle();

    h.tap("cancel");
    REQUIRE(h.screen() == Screen::Cancel);
    auto& C = h.app->view<screens::CancelView>();
    C.cancel.receipt = made.receipt.number;
    h.idle();
    type_number(h, "cancel.code", made.receipt.check_code);
    h.tap("cancel-look-up");
    REQUIRE(C.cancel.step == CancelForm::Step::Confirm);
    REQUIRE(C.booking);
    CHECK(C.booking->lost);
    REQUIRE(C.booking->next);
    CHECK(C.booking->next->id == "hp-sat-pm");   // the next free projector slot after it
    CHECK(h.has("book-next"));
    CHECK(h.has("cancel-do"));                   // it may also stay waitlisted, or be cancelled
    h.shot("booking-lost");

    // Staff mode lists it, lost, with the slot offered.
    h.app->staff.open = true;
    h.app->staff.unlocked = true;
    h.app->staff_refresh();
    h.idle(4);
    REQUIRE(h.app->staff.bookings.size() == 1);
    CHECK(h.app->staff.bookings[0].receipt == made.receipt.number);
    CHECK(h.app->staff.bookings[0].outcome.lost);
    for (int i = 0; i < 2; ++i) h.drag(960, 900, 400);
    h.shot("staff-bookings");
    h.app->staff.close();
    h.idle(2);

    // One tap: a new booking of that slot for the same group, at the group step.
    h.tap("book-next");
    REQUIRE(h.screen() == Screen::Booking);
    REQUIRE(F.slot);
    CHECK(F.slot->id == "hp-sat-pm");
    CHECK(F.step == BookingStep::Group);
    CHECK(F.group_typed == "0001");
    h.tap("step-next");
    person_steps(h, F, "中村 和夫", "なかむら かずお", "0839226071");
    h.tap("step-next");   // purpose: optional
    REQUIRE(F.step == BookingStep::Review);
    h.tap("step-next");
    REQUIRE(h.screen() == Screen::Receipt);
    const auto out = h.outbox();
    REQUIRE(out.size() == 2);
    CHECK(out[0].record.payload["activity_id"] == "hp-sat-pm");
    CHECK(out[0].record.payload["group"] == "G-0001");
    CHECK(signup_phase(out[1]) == SignupPhase::Waitlisted);   // the lost one is kept (its waiting list)
}

TEST_CASE("harness: a resident books a consultation about starting a group") {
    if (!need_display()) return;
    Harness h("harness-consult");
    add_booking_catalog(h);
    h.tap("booking");
    h.tap("to-consult");
    REQUIRE(h.screen() == Screen::Consult);
    auto& V = h.app->view<screens::BookingView>();
    BookingForm& F = V.booking;
    REQUIRE(F.step == BookingStep::Topic);
    h.tap("step-next");
    CHECK(F.errors.count("topic"));
    const auto& topics = slots::consult_topics();
    REQUIRE(topics.size() >= 2);
    const std::string topic = topics[1].code;   // 団体の立ち上げ
    h.tap("topic-" + topic);
    F.topic_text = "子ども食堂を始めたい";
    h.app->note_text(F.topic_text);
    h.idle();
    h.shot("consult-topic");
    h.tap("step-next");
    if (F.resources.size() > 1) {   // the sample catalog's desk too: choose ours
        REQUIRE(F.step == BookingStep::Resource);
        h.shot("consult-desk");
        h.tap("res-harness-consult");
    }
    REQUIRE(F.step == BookingStep::Calendar);
    h.shot("consult-calendar");
    h.tap("slot:hc-thu");
    h.tap("step-next");
    REQUIRE(F.step == BookingStep::Group);
    h.tap("step-next");   // a resident: no number
    person_steps(h, F, "田中 一郎", "たなか いちろう", "09012345678");
    REQUIRE(F.step == BookingStep::Review);
    h.shot("consult-review");
    h.tap("step-next");
    REQUIRE(h.screen() == Screen::Receipt);
    h.shot("receipt-consult");
    const auto out = h.outbox();
    REQUIRE(out.size() == 1);
    CHECK(out[0].record.payload["activity_id"] == "hc-thu");
    CHECK(out[0].record.payload["topic"] == topic);
    CHECK(out[0].record.payload["topic_text"] == "子ども食堂を始めたい");
    CHECK_FALSE(out[0].record.payload.contains("group"));
}

TEST_CASE("harness: the booking screens at three window sizes in ja and en, no text cut") {
    if (!need_display()) return;
    struct Size {
        int w, h;
    };
    for (Size sz : {Size{1920, 1080}, Size{1080, 1920}, Size{390, 844}}) {
        Harness h("harness-booking-" + std::to_string(sz.w), sz.w, sz.h);
        add_booking_catalog(h, "7KQ3-M9TX");
        auto& V = h.app->view<screens::BookingView>();
        // A lost booking for the status page.
        V.start(*h.app, BookingMode::Facility);
        V.booking.choose_resource("harness-projector");
        const std::string now = V.now(*h.app);
        REQUIRE(V.booking.pick(V.booking.week(now, V.held).cells[4][0].slot, now, V.held));
        V.booking.group_typed = "1";
        V.booking.person.name = "中村 和夫";
        V.booking.person.furigana = "なかむら かずお";
        V.booking.person.phone = "0839226071";
        const SubmitResult lost = V.booking.submit(h.app->submit_context(), V.directory, now, V.held);
        REQUIRE(lost.ok());
        h.s.store->apply_answers({{lost.receipt.record_id, "stored", "", "", "waitlisted"}});
        h.app->home();
        for (Lang lang : {Lang::Ja, Lang::En}) {
            const std::string tag = std::string(lang_code(lang)) + "-" + std::to_string(sz.w) + "x" + std::to_string(sz.h);
            auto page = [&](const std::string& name) {
                h.app->texts.set_lang(lang);
                h.idle(4);
                ui::take_overflows();   // the frames before the language took hold
                h.idle(2);
                CAPTURE(name);
                CAPTURE(tag);
                const std::string cut = text_cuts();
                CHECK_MESSAGE(cut.empty(), "text cut: " << cut);
                h.shot("booking-" + name + "-" + tag);
            };
            h.app->home();
            V.start(*h.app, BookingMode::Facility);
            page("resource");
            V.booking.choose_resource("harness-projector");
            V.booking.step = BookingStep::Calendar;
            V.booking.pick(V.booking.week(now, V.held).cells[4][1].slot, now, V.held);
            page("calendar");
            V.booking.step = BookingStep::Group;
            V.booking.group_typed = "1";
            page("group");
            V.booking.person.name = "中村 和夫";
            V.booking.person.furigana = "なかむら かずお";
            V.booking.person.phone = "0839226071";
            V.booking.purpose = "防災訓練の説明会でスライドを映す";
            V.booking.group = look_up_group("1", V.directory);
            V.booking.step = BookingStep::Review;
            page("review");
            h.app->home();
            V.start(*h.app, BookingMode::Consultation);
            V.booking.topic = slots::consult_topics().front().code;
            page("consult-topic");
            h.app->home();
            auto& C = h.app->view<screens::CancelView>();
            C.start(*h.app);
            C.cancel.receipt = lost.receipt.number;
            C.cancel.check_code = lost.receipt.check_code;
            C.look_up(*h.app);
            REQUIRE(C.booking);
            REQUIRE(C.booking->lost);
            page("lost");
            h.app->home();
        }
        h.app->texts.set_lang(Lang::Ja);
    }
}
