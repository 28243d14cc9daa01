// Booking a slot at the kiosk against the REAL server over loopback (issue 11 points 3 and 5),
// on SQLite and on PostgreSQL ($KYODO_PG_URL, a schema of its own), with the kiosk's own models
// (GroupForm, BookingForm, booking_outcome) making every record:
//
//  1. a 町内会 applies at kiosk A; staff approve it through the server's storage API (what the
//     dashboard's 承認する does: the number, then the directory entry in the catalog); A's next
//     sync brings G-0001; A books the projector for Saturday with that number — held (仮予約)
//     at A before the sync, confirmed by it, and taken at both kiosks after their next pull;
//  2. city hall unreachable, kiosks A and B book the same Saturday-afternoon slot; when it is
//     back A syncs first and holds it, B is answered waitlisted: B's booking_outcome says it was
//     lost and offers the next free slot, which B books and gets. Exactly one holder per slot;
//     a replay of A's outbox is duplicates only.
#include "app/model/booking_form.h"
#include "app/model/dates.h"
#include "app/model/group_form.h"
#include "app/model/start_board.h"
#include "server/groups.h"
#include "server/storage.h"
#include "tests/integration/fault_util.h"
#include "tests/server/pg_test_util.h"

namespace {

[[maybe_unused]] const auto kFaultUtilUsed = &add_records;   // fault_util.h's helpers this test does not need

using namespace kyodo::app;

// A slot of the projector (or the room) at 大殿, open to everyone since yesterday.
Activity slot(const std::string& id, const std::string& resource, const std::string& name, const std::string& type,
              const std::string& day, const std::string& from, const std::string& to, const std::string& opens) {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = name + " " + day + " " + from;
    a.centre_id = "ohdono";
    a.place = "大殿地域交流センター";
    a.starts_at = day + "T" + from;
    a.ends_at = day + "T" + to;
    a.capacity = 1;
    a.signup_opens = opens;
    a.signup_closes = day + "T" + from;
    a.version = 1;
    a.extra = Json{{"slot", {{"resource", resource}, {"resource_name", name}, {"type", type}, {"priority_opens", ""},
                             {"blocked", false}, {"blocked_reason", ""}}}};
    return a;
}

// The coming Saturday (at least tomorrow), so every slot is still bookable whenever this runs.
std::string coming_saturday(const std::string& today) {
    std::string d = add_days(today, 1);
    while (weekday(d) != 6) d = add_days(d, 1);
    return d;
}

std::string write_booking_catalog(const TempDir& dir, const std::string& today) {
    const std::string sat = coming_saturday(today), sun = add_days(sat, 1), opens = add_days(today, -1) + "T09:00";
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Centre c;
    c.id = "ohdono";
    c.name = "大殿地域交流センター";
    c.kana = "おおどのちいきこうりゅうせんたー";
    c.version = 1;
    d.centres.push_back(c);
    d.activities = {slot("proj-sat-am", "ohdono-projector", "プロジェクター", "equipment", sat, "09:00", "12:00", opens),
                    slot("proj-sat-pm", "ohdono-projector", "プロジェクター", "equipment", sat, "13:00", "17:00", opens),
                    slot("proj-sun-am", "ohdono-projector", "プロジェクター", "equipment", sun, "09:00", "12:00", opens),
                    slot("room-sat-am", "ohdono-room1", "会議室1", "room", sat, "09:00", "12:00", opens)};
    const std::string path = dir.file("booking-catalog.json");
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

std::string server_status(const std::string& spec, const std::string& id) {
    auto st = kyodo::server::open_storage(spec);
    auto r = st->record(id);
    return r ? r->signup_status : std::string("absent");
}

std::vector<Organization> directory_of(const KioskStore& k) {
    std::vector<Organization> out;
    for (auto& o : k.organizations())
        if (!o.registration.empty()) out.push_back(std::move(o));
    return out;
}

SubmitContext context(KioskStore& store, const KioskConfig& cfg) {
    SubmitContext c;
    c.store = &store;
    c.kiosk_id = cfg.kiosk_id;
    c.centre_id = cfg.centre_id;
    c.city_hall_public_key = cfg.city_hall_public_key;
    c.lang = "ja";
    return c;
}

// A booking as the kiosk's screen makes it: the resource, the slot, a group's number (or
// none), the person in charge; submitted through BookingForm's own checks.
SubmitResult book(KioskStore& store, const KioskConfig& cfg, const std::string& slot_id, const std::string& group,
                  const std::string& now) {
    BookingForm F;
    const std::vector<Activity> all = store.bookables(ActivityKind::Slot, "");
    F.start(BookingMode::Facility, all, now.substr(0, 10));
    std::optional<Activity> s;
    for (const auto& a : all)
        if (a.id == slot_id) s = a;
    REQUIRE_MESSAGE(s, "no slot " << slot_id << " at kiosk " << cfg.kiosk_id);
    F.choose_resource(slots::slot_info(*s)->resource);
    const HeldSlots held = held_slots(store.signups(200));
    REQUIRE(F.pick(*s, now, held));
    F.group_typed = group;
    F.person.name = group.empty() ? "山本 さくら" : "中村 和夫";
    F.person.furigana = group.empty() ? "やまもと さくら" : "なかむら かずお";
    F.person.phone = group.empty() ? "09011112222" : "0839226071";
    F.purpose = group.empty() ? "" : "防災訓練の説明会でスライドを映す";
    F.step = BookingStep::Review;
    const SubmitResult r = F.submit(context(store, cfg), directory_of(store), now, held);
    INFO("booking ", slot_id, ": ", r.detail);
    REQUIRE(r.ok());
    return r;
}

SlotState state_at(const KioskStore& store, const std::string& slot_id, const std::string& now) {
    for (const auto& a : store.bookables(ActivityKind::Slot, ""))
        if (a.id == slot_id) return slot_state(a, now, held_slots(store.signups(200)));
    FAIL("no slot " << slot_id);
    return SlotState::Closed;
}

void booking_sync(const std::string& pg_url) {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-booking-sync");
    const std::string now = local_now();
    Server srv(tmp);
    srv.db = pg_url;
    srv.catalog = write_booking_catalog(tmp, now.substr(0, 10));
    srv.start();
    const std::string spec = pg_url.empty() ? srv.db_path() : pg_url;
    const KioskConfig a_cfg = srv.enrol("ka"), b_cfg = srv.enrol("kb");
    KioskStore a(a_cfg.db_path), b(b_cfg.db_path);
    CurlTransport ta(loopback(srv.url())), tb(loopback(srv.url()));
    SyncEngine ea(a, a_cfg, ta), eb(b, b_cfg, tb);
    auto synced = [&srv](SyncEngine& e) {
        const SyncReport r = e.run_once();
        if (!r.ok()) MESSAGE("sync: " << r.error() << "\nserver: " << (srv.proc ? srv.proc->output() : std::string()));
        return r.ok();
    };
    REQUIRE(synced(ea));
    REQUIRE(synced(eb));
    REQUIRE(a.bookables(ActivityKind::Slot, "ohdono").size() == 4);   // the catalog's slots reached both kiosks
    REQUIRE(b.bookables(ActivityKind::Slot, "ohdono").size() == 4);

    // 1. The 大殿町内会 applies at kiosk A (the group screen's model) …
    GroupForm g;
    g.name = "大殿町内会";
    g.kana = "おおどのちょうないかい";
    g.kind = "neighbourhood";
    g.members = "120";
    g.centre_id = "ohdono";
    g.rep_name = "中村 和夫";
    g.rep_furigana = "なかむら かずお";
    g.phone = "0839226071";
    g.consent = true;
    const SubmitResult applied = g.submit(context(a, a_cfg));
    REQUIRE_MESSAGE(applied.ok(), applied.detail);
    REQUIRE(synced(ea));
    // … centre staff approve it (the storage calls of the dashboard's 承認する) …
    {
        auto st = kyodo::server::open_storage(spec);
        const std::string number = st->groups().approve(applied.receipt.record_id, "editor1", rfc3339_now());
        REQUIRE(number == "G-0001");
        CatalogDelta d;
        d.organizations.push_back(kyodo::server::group_organization(*st->groups().application(applied.receipt.record_id)));
        st->import_catalog(d);
    }
    // … and kiosk A's next sync brings the group and its number into the directory it holds.
    REQUIRE(synced(ea));
    const auto dir = directory_of(a);
    REQUIRE(dir.size() == 1);
    CHECK(dir[0].registration == "G-0001");
    CHECK(dir[0].name == "大殿町内会");
    CHECK(look_up_group("1", dir).check == GroupCheck::Ok);
    CHECK(look_up_group("2", dir).check == GroupCheck::Unknown);

    // The projector for Saturday morning, with the group's number: held at A until the sync.
    const SubmitResult sat = book(a, a_cfg, "proj-sat-am", "1", now);
    CHECK(a.outbox_entry(sat.receipt.record_id)->record.payload["group"] == "G-0001");
    CHECK(state_at(a, "proj-sat-am", now) == SlotState::HeldHere);
    CHECK(state_at(b, "proj-sat-am", now) == SlotState::Free);   // B does not know yet
    REQUIRE(synced(ea));
    CHECK(signup_phase(*a.outbox_entry(sat.receipt.record_id)) == SignupPhase::Confirmed);
    CHECK(server_status(spec, sat.receipt.record_id) == "confirmed");
    REQUIRE(synced(eb));
    REQUIRE(synced(ea));
    CHECK(state_at(a, "proj-sat-am", now) == SlotState::Taken);   // confirmed: taken, at both kiosks
    CHECK(state_at(b, "proj-sat-am", now) == SlotState::Taken);
    CHECK(booking_outcome(*a.outbox_entry(sat.receipt.record_id), a.bookables(ActivityKind::Slot, ""), now,
                          held_slots(a.signups(200)))
              .phase == SignupPhase::Confirmed);

    // 2. City hall unreachable: both kiosks book Saturday afternoon.
    srv.kill9();
    const SubmitResult at_a = book(a, a_cfg, "proj-sat-pm", "1", now);
    const SubmitResult at_b = book(b, b_cfg, "proj-sat-pm", "", now);   // a resident: the slot is open to everyone
    CHECK_FALSE(ea.run_once().ok());
    CHECK_FALSE(eb.run_once().ok());
    CHECK(state_at(a, "proj-sat-pm", now) == SlotState::HeldHere);
    CHECK(state_at(b, "proj-sat-pm", now) == SlotState::HeldHere);
    srv.start();
    REQUIRE(synced(ea));   // A reaches city hall first
    REQUIRE(synced(eb));
    CHECK(signup_phase(*a.outbox_entry(at_a.receipt.record_id)) == SignupPhase::Confirmed);
    const OutboxEntry lost = *b.outbox_entry(at_b.receipt.record_id);
    REQUIRE(signup_phase(lost) == SignupPhase::Waitlisted);
    CHECK(server_status(spec, at_a.receipt.record_id) == "confirmed");
    CHECK(server_status(spec, at_b.receipt.record_id) == "waitlisted");

    // B is told (what 申し込みの確認 shows by receipt number and check code) and offered the next free slot.
    REQUIRE(check_cancel(b.signup_by_receipt(at_b.receipt.number), at_b.receipt.check_code) == CancelCheck::Ok);
    const BookingOutcome o = booking_outcome(lost, b.bookables(ActivityKind::Slot, ""), now, held_slots(b.signups(200)));
    CHECK(o.is_booking);
    CHECK(o.lost);
    REQUIRE(o.next);
    CHECK(o.next->id == "proj-sun-am");
    CHECK(state_at(b, "proj-sat-pm", now) == SlotState::Taken);
    // One tap books it (a new booking of that slot); it reaches city hall and holds.
    BookingForm again;
    again.start_for(BookingMode::Facility, b.bookables(ActivityKind::Slot, ""), *o.next, o.group, now.substr(0, 10));
    REQUIRE(again.step == BookingStep::Group);
    again.person.name = "山本 さくら";
    again.person.furigana = "やまもと さくら";
    again.person.phone = "09011112222";
    again.step = BookingStep::Review;
    const SubmitResult next = again.submit(context(b, b_cfg), directory_of(b), now, held_slots(b.signups(200)));
    REQUIRE_MESSAGE(next.ok(), next.detail);
    REQUIRE(synced(eb));
    CHECK(signup_phase(*b.outbox_entry(next.receipt.record_id)) == SignupPhase::Confirmed);
    CHECK(server_status(spec, next.receipt.record_id) == "confirmed");

    // Exactly one holder per slot at city hall.
    {
        auto st = kyodo::server::open_storage(spec);
        const Json doc = st->catalog_since(0);
        for (const auto& act : doc["activities"])
            if (act["id"].get<std::string>().rfind("proj-", 0) == 0) {
                INFO(act["id"]);
                CHECK(act["taken"] == 1);
            }
    }
    // Kiosk A restored from a backup sends everything again: duplicates only, nothing moves.
    REQUIRE(sqlite3_exec(a.raw(), "UPDATE outbox SET state = 'pending'", nullptr, nullptr, nullptr) == SQLITE_OK);
    const Totals t = sync_until_empty(a, ea, 120s);
    CHECK(t.stored == 0);
    CHECK(t.duplicate == 3);   // the application and two bookings
    CHECK(server_status(spec, at_a.receipt.record_id) == "confirmed");
    CHECK(server_status(spec, at_b.receipt.record_id) == "waitlisted");
    if (pg_url.empty()) check_exactly_once(srv, {a_cfg.db_path, b_cfg.db_path});
}

}  // namespace

TEST_CASE("booking (SQLite): a 町内会 registers, is approved and books the projector for Saturday; two kiosks "
          "offline book one slot, the loser is told and books the next free slot") {
    booking_sync("");
}

TEST_CASE("booking (PostgreSQL): a 町内会 registers, is approved and books the projector for Saturday; two "
          "kiosks offline book one slot, the loser is told and books the next free slot") {
    const std::string base = kyodo::server::testing::pg_base_url_or_skip();
    if (base.empty()) return;
    kyodo::server::testing::PgSchema schema(base);
    booking_sync(schema.url());
}
