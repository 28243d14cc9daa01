// Issue 11 point 3, first slice (docs/groups.md "Bookings"): a room or equipment slot is an
// activity of capacity 1 and a booking is a sign-up naming the registered group ("group":
// "G-0001"), so the one sign-up ledger (server/ledger.h) decides — no second copy of the rule.
// Two kiosks book the same slot while offline; whichever push reaches the server first holds it
// (confirmed), the other is answered waitlisted at its sync (the loser is told), on both
// engines; replays are duplicates with the same answer and exactly one holder remains. A
// booking naming a number that is not an approved group is rejected (`unknown_group`).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/validate.h"
#include "server/groups.h"
#include "server/ingest.h"
#include "pg_test_util.h"
#include "server_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

struct SqliteEngine {
    TempDir dir;
    bool ok = true;
    std::string spec() const { return dir / "server.db"; }
};

struct PgEngine {
    std::unique_ptr<PgSchema> schema;
    bool ok = false;
    PgEngine() {
        const std::string base = pg_base_url_or_skip();
        if (base.empty()) return;
        schema = std::make_unique<PgSchema>(base);
        ok = true;
    }
    std::string spec() const { return schema->url(); }
};

// The projector of the Ōdono centre, Saturday 10:00–12:00: one slot, capacity 1.
Activity projector_slot() {
    Activity a;
    a.id = "slot-ohdono-projector-20261205-am";
    a.kind = ActivityKind::Event;
    a.title = "プロジェクター 貸出（12月5日 土曜 午前）";
    a.capacity = 1;
    a.centre_id = "ohdono";
    a.starts_at = "2026-12-05T10:00";
    a.ends_at = "2026-12-05T12:00";
    a.extra = Json{{"slot", {{"resource", "ohdono-projector"}, {"type", "equipment"}}}};
    return a;
}

Record booking(const KeyPair& keys, const std::string& kiosk, const std::string& group, const std::string& who) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::SignUp;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"activity_id", "slot-ohdono-projector-20261205-am"}, {"activity_version", 1}, {"party_size", 1},
                 {"note", ""}, {"check_code", "5307"}, {"group", group}};
    Personal p{who, "だいひょう", "083-922-0000", ""};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record group_application(const KeyPair& keys, const std::string& name, const std::string& kind) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::GroupRegistration;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"name", name}, {"kind", kind}, {"members", 30}, {"consent", true}};
    Personal p{"代表 太郎", "だいひょう たろう", "083-922-0001", ""};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

template <class E>
struct Fx {
    E eng;
    std::unique_ptr<Storage> st;
    const KeyPair& keys = test_keys();
    bool ok() const { return eng.ok; }
    Fx() {
        if (!eng.ok) return;
        st = open_storage(eng.spec());
        CatalogDelta d = small_catalog();
        d.activities.push_back(projector_slot());
        st->import_catalog(d);
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
        st->enrol_device("k2", "ohdono", sha256_hex("token-2"), rfc3339_now());
        // Two registered groups: G-0001 (a 町内会) and G-0002 (a circle).
        Record town = group_application(keys, "大殿町内会", "neighbourhood");
        Record circle = group_application(keys, "絵手紙サークル", "circle");
        REQUIRE(push("k1", {town, circle}).stored == 2);
        REQUIRE(st->groups().approve(town.id, "staff1", rfc3339_now()) == "G-0001");
        REQUIRE(st->groups().approve(circle.id, "staff1", rfc3339_now()) == "G-0002");
    }
    IngestResult push(const std::string& kiosk, const std::vector<Record>& recs) {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        PushMeta m;
        m.kiosk_id = kiosk;
        m.received_at = rfc3339_now();
        return ingest_batch(*st, keys, m, arr, now_millis());
    }
};

}  // namespace

TEST_CASE("booking: a sign-up may name its registered group; anything else is refused") {
    const KeyPair& keys = test_keys();
    Record r = booking(keys, "k1", "G-0001", "中村 和夫");
    Personal p{"中村 和夫", "だいひょう", "083-922-0000", ""};
    CHECK(validate_record(r, &p).ok());
    for (const char* bad : {"0001", "G-", "G-00a1", "g-0001", "G-0000000000001"}) {
        Record b = r;
        b.payload["group"] = bad;
        INFO(bad);
        CHECK(validate_record(b, &p).summary().find("payload.group") == 0);
    }
}

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE_TEMPLATE("booking engines: two offline kiosks book one slot; first to reach the server holds it", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // Both made while offline (k2's a minute earlier, which does not matter: arrival order does).
    Record town = booking(f.keys, "k2", "G-0001", "中村 和夫");
    Record circle = booking(f.keys, "k1", "G-0002", "小林 花子");
    auto first = f.push("k1", {circle});
    REQUIRE(first.answers.size() == 1);
    CHECK(first.answers[0].result == "stored");
    CHECK(first.answers[0].signup_status == "confirmed");
    auto second = f.push("k2", {town});   // k2 comes online later: it is told at this sync
    REQUIRE(second.answers.size() == 1);
    CHECK(second.answers[0].result == "stored");
    CHECK(second.answers[0].signup_status == "waitlisted");
    // Replays (lost answers) change nothing and repeat the same answers.
    auto again1 = f.push("k1", {circle});
    CHECK(again1.answers[0].result == "duplicate");
    CHECK(again1.answers[0].signup_status == "confirmed");
    auto again2 = f.push("k2", {town});
    CHECK(again2.answers[0].result == "duplicate");
    CHECK(again2.answers[0].signup_status == "waitlisted");
    // Exactly one holder.
    int confirmed = 0, waiting = 0;
    for (const Record* r : {&circle, &town}) {
        auto s = f.st->record(r->id);
        REQUIRE(s.has_value());
        confirmed += s->signup_status == "confirmed";
        waiting += s->signup_status == "waitlisted";
    }
    CHECK(confirmed == 1);
    CHECK(waiting == 1);
    CHECK(f.st->record(circle.id)->signup_status == "confirmed");
}

TEST_CASE_TEMPLATE("booking engines: only a registered group may book", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record stranger = booking(f.keys, "k1", "G-0099", "山田 一郎");
    auto a = f.push("k1", {stranger});
    REQUIRE(a.answers.size() == 1);
    CHECK(a.answers[0].result == "rejected");
    CHECK(a.answers[0].code == "unknown_group");
    CHECK_FALSE(f.st->record(stranger.id).has_value());
    // The slot is still free for a registered group.
    auto b = f.push("k1", {booking(f.keys, "k1", "G-0001", "中村 和夫")});
    CHECK(b.answers[0].signup_status == "confirmed");
}
