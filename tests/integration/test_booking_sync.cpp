// Two kiosks book one slot while offline, against the REAL city-hall server over loopback
// (issue 11's proof: "a booking made offline on two kiosks for the same slot ends with exactly one
// holder and the other told"; docs/lending.md). Starts `kyodo-server serve` with a catalog of a
// projector's slots dated from the real clock, enrols two kiosks, queues one booking on each
// KioskStore (personal part sealed), then syncs k1, then k2 with the real sync engine. k1's outbox
// says confirmed, k2's waitlisted; the server's database holds both once and one holder; k2's
// kiosk has the slots in its bookables (never in search) and offers the same next free slot the
// server's notice names; a booking for a blocked slot comes back rejected slot_blocked.
#include "core/slots.h"
#include "core/validate.h"
#include "fault_util.h"   // the real server on a data directory, enrolment, read-only queries

namespace {

// A projector slot `days` ahead of now (Japan time), open to anyone now.
Activity projector(const std::string& id, int days, const std::string& hour, bool blocked = false) {
    const std::string day = local_jst(now_millis() + days * 86400000LL).substr(0, 10);
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = "プロジェクター " + day + " " + hour;
    a.centre_id = "ohdono";
    a.place = "大殿地域交流センター 事務室";
    a.starts_at = day + "T" + hour;
    a.ends_at = day + "T17:00";
    a.capacity = 1;
    a.version = 1;
    a.extra["slot"] = {{"resource", "ohdono-projector"}, {"resource_name", "プロジェクター"}, {"type", "equipment"},
                       {"priority_opens", ""}, {"blocked", blocked}, {"blocked_reason", blocked ? "点検" : ""}};
    return a;
}

// The fault tests' small catalog plus three slots of one projector: five days ahead (the one
// both kiosks book), six days ahead in the morning (blocked by staff) and afternoon (free).
std::string slot_catalog(const TempDir& dir) {
    const std::string path = write_catalog(dir);
    std::ifstream in(path);
    CatalogDelta d = catalog_from_json(Json::parse(in));
    in.close();
    for (const Activity& a : {projector("slot-a", 5, "09:00"), projector("slot-b", 6, "09:00", true),
                        projector("slot-c", 6, "13:00")})
        d.activities.push_back(a);
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

std::string book(KioskStore& store, const KioskConfig& cfg, const std::string& slot, const Personal& who) {
    Record r;
    r.kind = RecordKind::SignUp;
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.id = new_uuid_v7();
    r.created_at = rfc3339_now();
    r.payload = {{"activity_id", slot}, {"activity_version", 1}, {"party_size", 1}, {"note", ""},
                 {"purpose", "町内会の総会"}, {"notify", true}, {"lang", "ja"}};
    const Validation v = validate_record(r, &who);
    INFO(v.summary());
    REQUIRE(v.ok());
    r.sealed = seal_personal(who, cfg.city_hall_public_key);
    store.enqueue(r);
    return r.id;
}

std::string one(const std::string& db, const std::string& sql) {
    const auto rows = column(db, sql);
    return rows.empty() ? std::string() : rows[0];
}

}  // namespace

TEST_CASE("two kiosks book one slot offline: one holder, the other told at its sync and offered the next free slot") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-integ-booking");
    Server srv(tmp);
    srv.catalog = slot_catalog(tmp);
    srv.start();
    const KioskConfig c1 = srv.enrol("k1"), c2 = srv.enrol("k2");
    KioskStore s1(c1.db_path), s2(c2.db_path);

    // Offline, both kiosks book Saturday's projector (k2 first, which does not matter), and
    // k1 also the slot staff blocked.
    const Personal nakamura{"中村 和夫", "なかむら かずお", "083-922-0000", "nakamura@example.jp"};
    const Personal kobayashi{"小林 花子", "こばやし はなこ", "083-922-0001", "kobayashi@example.jp"};
    const std::string lost = book(s2, c2, "slot-a", nakamura);
    const std::string held = book(s1, c1, "slot-a", kobayashi);
    const std::string refused = book(s1, c1, "slot-b", kobayashi);

    CurlTransport t1(loopback(srv.url())), t2(loopback(srv.url()));
    SyncEngine e1(s1, c1, t1), e2(s2, c2, t2);
    SyncReport r1 = e1.run_once();   // k1 comes online first
    INFO("k1: ", r1.error());
    REQUIRE(r1.ok());
    SyncReport r2 = e2.run_once();
    INFO("k2: ", r2.error());
    REQUIRE(r2.ok());

    CHECK(s1.outbox_entry(held)->signup_status == "confirmed");
    CHECK(s1.outbox_entry(refused)->state == OutboxState::Rejected);
    CHECK(s1.outbox_entry(refused)->reject_code == "slot_blocked");
    CHECK(s2.outbox_entry(lost)->signup_status == "waitlisted");   // the loser is told at its sync
    CHECK(signup_phase(*s2.outbox_entry(lost)) == SignupPhase::Waitlisted);

    const std::string db = srv.db_path();
    CHECK(one(db, "SELECT COUNT(*) FROM records WHERE activity_id = 'slot-a'") == "2");
    CHECK(one(db, "SELECT COUNT(*) FROM records WHERE activity_id = 'slot-a' AND signup_status = 'confirmed'") == "1");
    CHECK(one(db, "SELECT COUNT(*) FROM records WHERE activity_id = 'slot-b'") == "0");

    // The kiosk holds the slots for its booking screen, never in search, and offers the next
    // free one: the next morning is blocked, so that afternoon — the slot the server's notice names.
    const auto held_slots = s2.bookables(ActivityKind::Slot, "ohdono");
    REQUIRE(held_slots.size() == 3);
    CHECK(s2.search(SearchQuery{}).total == 2);   // the two listings only
    const auto lost_slot = s2.activity("slot-a");
    REQUIRE(lost_slot.has_value());
    const auto offer = slots::next_free(held_slots, *lost_slot, local_jst(now_millis()), false);
    REQUIRE(offer.has_value());
    CHECK(offer->id == "slot-c");
    const std::string detail = one(db, "SELECT detail FROM notices WHERE record_id = '" + lost + "' AND kind = 'slot_taken'");
    REQUIRE(!detail.empty());
    CHECK(Json::parse(detail)["next"]["activity_id"] == "slot-c");
    CHECK(one(db, "SELECT COUNT(*) FROM notices WHERE record_id = '" + held + "'") == "0");

    // k2 syncs again (nothing new): nothing changes, no second notice.
    REQUIRE(e2.run_once().ok());
    CHECK(one(db, "SELECT COUNT(*) FROM notices WHERE record_id = '" + lost + "'") == "1");
}
