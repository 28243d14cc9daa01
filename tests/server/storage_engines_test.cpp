// "Two storage engines, one behaviour": the Storage contract (server/storage.h) checked with
// identical expectations against SQLite (a temp file) and PostgreSQL ($KYODO_PG_URL, a fresh
// schema per test). Then what only PostgreSQL promises: several Storage objects (as several
// server processes would hold) on one database stay exactly-once and never overbook, and a
// dropped connection is re-opened.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <barrier>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "server/admin.h"
#include "server/ingest.h"
#include "server/rosters.h"
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

template <class E>
struct Fx {
    E eng;
    std::unique_ptr<Storage> st;
    const KeyPair& keys = test_keys();
    bool ok() const { return eng.ok; }

    explicit Fx(bool with_catalog = true) {
        if (!eng.ok) return;
        st = open_storage(eng.spec());
        if (!with_catalog) return;
        st->import_catalog(small_catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
        st->enrol_device("k2", "ohdono", sha256_hex("token-2"), rfc3339_now());
    }
    IngestResult push(const std::vector<Record>& recs, const std::string& kiosk = "k1") {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        return push_json(arr, kiosk);
    }
    IngestResult push_json(const Json& arr, const std::string& kiosk = "k1") {
        PushMeta m;
        m.kiosk_id = kiosk;
        m.received_at = rfc3339_now();
        return ingest_batch(*st, keys, m, arr, now_millis());
    }
};

// The catalog document's activities, by value: a range-for over catalog_since(v)["activities"]
// would iterate a member of a temporary already destroyed (C++20 keeps only the outermost
// temporary alive).
Json activities_of(const Json& doc) { return doc.at("activities"); }

// Everything a push may change, read through the interface (so it means the same on both
// engines): the named records in full, the whole catalog with versions and `taken`, counts.
std::string snapshot(Storage& st, const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        auto r = st.record(id);
        if (!r) {
            out += id + " absent\n";
            continue;
        }
        out += r->id + "|" + r->kind + "|" + r->kiosk_id + "|" + r->centre_id + "|" + r->created_at + "|" +
               r->received_at + "|" + r->content_hash + "|" + r->payload + "|" + r->sealed + "|" + r->personal +
               "|" + r->receipt + "|" + r->signup_status + "|" + r->flags + "|" + std::to_string(r->seq) + "\n";
    }
    out += st.catalog_since(0).dump() + "\n";
    const StorageCounts c = st.counts();
    out += std::to_string(c.records) + " " + std::to_string(c.catalog_version) + " " + std::to_string(c.activities) +
           "\n";
    return out;
}

}  // namespace

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE_TEMPLATE("engines: opening creates the schema; reopening keeps the data and migrates nothing", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record r = opinion();
    REQUIRE(f.push({r}).stored == 1);
    const std::string before = snapshot(*f.st, {r.id});
    f.st.reset();
    f.st = open_storage(f.eng.spec());
    CHECK(snapshot(*f.st, {r.id}) == before);
    CHECK(f.st->counts().devices == 2);
}

TEST_CASE_TEMPLATE("engines: stored, duplicate with the first answer, conflict keeps the first", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record r = opinion();
    auto a = f.push({r});
    REQUIRE(a.answers.size() == 1);
    CHECK(a.answers[0].result == "stored");
    CHECK(a.answers[0].id == r.id);
    CHECK(a.answers[0].receipt == receipt_number(r.id));
    CHECK(a.stored == 1);

    auto b = f.push({r});
    CHECK(b.answers[0].result == "duplicate");
    CHECK(b.answers[0].receipt == a.answers[0].receipt);
    CHECK(b.duplicate == 1);
    CHECK(b.stored == 0);

    Record changed = r;
    changed.payload["text"] = "別の内容";
    auto c = f.push({changed});
    CHECK(c.answers[0].result == "conflict");
    CHECK(c.answers[0].code == "conflict");
    CHECK(c.answers[0].receipt.empty());
    CHECK(c.conflict == 1);
    auto stored = f.st->record(r.id);
    REQUIRE(stored);
    CHECK(Json::parse(stored->payload)["text"] == "避難所の案内をもっと大きく");
    CHECK(stored->kind == "opinion");
    CHECK(stored->kiosk_id == "k1");
    CHECK(stored->personal == "");
    CHECK(stored->flags == "[]");
    CHECK(f.st->counts().records == 1);
    CHECK(!f.st->record("019a0000-0000-7000-8000-000000000000"));

    SUBCASE("the same id twice in one batch: stored once, then duplicate or conflict") {
        Record x = opinion();
        Record y = x;
        y.payload["text"] = "違う";
        auto d = f.push({x, x, y});
        CHECK(d.answers[0].result == "stored");
        CHECK(d.answers[1].result == "duplicate");
        CHECK(d.answers[1].receipt == d.answers[0].receipt);
        CHECK(d.answers[2].result == "conflict");
        CHECK(f.st->counts().records == 2);
    }
    SUBCASE("new records around ones stored before, repeated: only the new ones stored, in order") {
        // PostgreSQL inserts a batch without sign-ups first and looks up only the ids that
        // turn out to be taken; the answers must be those of deciding in arrival order.
        Record n1 = opinion(), n2 = opinion();
        auto d = f.push({n1, r, changed, n2, r, n1});
        REQUIRE(d.answers.size() == 6);
        CHECK(d.answers[0].result == "stored");
        CHECK(d.answers[1].result == "duplicate");
        CHECK(d.answers[1].receipt == a.answers[0].receipt);
        CHECK(d.answers[2].result == "conflict");
        CHECK(d.answers[3].result == "stored");
        CHECK(d.answers[4].result == "duplicate");
        CHECK(d.answers[5].result == "duplicate");
        CHECK(d.answers[5].receipt == d.answers[0].receipt);
        CHECK(d.stored == 2);
        CHECK(d.duplicate == 3);
        CHECK(d.conflict == 1);
        CHECK(f.st->counts().records == 3);
        auto s1 = f.st->record(n1.id), s2 = f.st->record(n2.id), s0 = f.st->record(r.id);
        REQUIRE((s1 && s2 && s0));
        CHECK(s0->seq < s1->seq);
        CHECK(s1->seq < s2->seq);
        CHECK(Json::parse(s0->payload)["text"] == "避難所の案内をもっと大きく");
    }
}

TEST_CASE_TEMPLATE("engines: rejections carry their code and store nothing", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record too_long = opinion("k1", std::string(2001 * 3, 'a'));
    Json unknown_kind = to_json(opinion());
    unknown_kind["kind"] = "love_letter";
    const KeyPair other = generate_keypair();
    Record bad_seal = sign_up(other, "ev-open", 1);
    Record unknown_activity = sign_up(f.keys, "no-such-event", 1);
    Record mismatch = opinion("k2");
    Record good = opinion();
    const Json arr = Json::array({to_json(too_long), unknown_kind, to_json(bad_seal), to_json(unknown_activity),
                                  to_json(mismatch), 42, to_json(good)});
    auto a = f.push_json(arr);
    REQUIRE(a.answers.size() == 7);
    CHECK(a.answers[0].code == "too_long");
    CHECK(a.answers[1].code == "unknown_kind");
    CHECK(a.answers[2].code == "bad_seal");
    CHECK(a.answers[3].code == "unknown_activity");
    CHECK(a.answers[3].message.find("no-such-event") != std::string::npos);
    CHECK(a.answers[4].code == "kiosk_mismatch");
    CHECK(a.answers[5].code == "bad_record");
    CHECK(a.answers[6].result == "stored");
    for (int i = 0; i < 6; ++i) CHECK(a.answers[static_cast<std::size_t>(i)].result == "rejected");
    CHECK(a.rejected == 6);
    CHECK(a.stored == 1);
    CHECK(f.st->counts().records == 1);
    CHECK(!f.st->record(unknown_activity.id));
    // A rejected record sent again is answered the same way, not as a duplicate.
    CHECK(f.push({unknown_activity}).answers[0].code == "unknown_activity");
}

TEST_CASE_TEMPLATE("engines: replaying batches leaves the state identical", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    std::vector<Record> batch = {opinion(), sign_up(f.keys, "ev-small", 2), sign_up(f.keys, "ev-small", 2),
                                 opinion(), sign_up(f.keys, "ev-open", 1)};
    Record bad = opinion();
    bad.payload["text"] = "";
    batch.push_back(bad);
    std::vector<std::string> ids;
    for (const auto& r : batch) ids.push_back(r.id);
    auto first = f.push(batch);
    CHECK(first.stored == 5);
    const std::string before = snapshot(*f.st, ids);
    for (int i = 0; i < 3; ++i) {
        auto again = f.push(batch);
        REQUIRE(again.answers.size() == first.answers.size());
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const auto& x = first.answers[k];
            const auto& y = again.answers[k];
            CHECK(y.result == (x.result == "stored" ? "duplicate" : x.result));
            CHECK(y.receipt == x.receipt);
            CHECK(y.signup_status == x.signup_status);
            CHECK(y.code == x.code);
            CHECK(y.flags == x.flags);
        }
        CHECK(again.activities_changed.empty());
    }
    f.push({batch[4], batch[1]});   // part of it again, reordered
    CHECK(snapshot(*f.st, ids) == before);
}

TEST_CASE_TEMPLATE("engines: capacity is decided in arrival order and `taken` reaches kiosks", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    const std::int64_t v0 = f.st->catalog_version();
    // ev-small has capacity 3.
    Record a = sign_up(f.keys, "ev-small", 2), b = sign_up(f.keys, "ev-small", 2), c = sign_up(f.keys, "ev-small", 1),
           d = sign_up(f.keys, "ev-small", 1);
    auto r1 = f.push({a, b});
    CHECK(r1.answers[0].signup_status == "confirmed");
    CHECK(r1.answers[1].signup_status == "waitlisted");
    CHECK(r1.activities_changed == std::vector<std::string>{"ev-small"});
    CHECK(r1.catalog_version == v0 + 1);
    // Strictly first come: c (1) would fit the last place, but b is already waiting.
    auto r2 = f.push({c, d}, "k1");
    CHECK(r2.answers[0].signup_status == "waitlisted");
    CHECK(r2.answers[1].signup_status == "waitlisted");
    CHECK(r2.activities_changed.empty());
    CHECK(r2.catalog_version == v0 + 1);

    const Json delta = f.st->catalog_since(v0);
    REQUIRE(delta["activities"].size() == 1);
    CHECK(delta["activities"][0]["id"] == "ev-small");
    CHECK(delta["activities"][0]["taken"] == 2);
    CHECK(delta["activities"][0]["version"] == v0 + 1);
    CHECK(delta["full"] == false);
    CHECK(delta["version"] == v0 + 1);

    auto r3 = f.push({b, a});
    CHECK(r3.answers[0].result == "duplicate");
    CHECK(r3.answers[0].signup_status == "waitlisted");
    CHECK(r3.answers[1].signup_status == "confirmed");
    CHECK(r3.activities_changed.empty());
    CHECK(r3.catalog_version == v0 + 1);
    CHECK(f.st->catalog_version() == v0 + 1);
    CHECK(f.st->record(a.id)->signup_status == "confirmed");
    CHECK(f.st->record(b.id)->signup_status == "waitlisted");

    // Many places: all confirmed; taken counts them; one bump per batch.
    std::vector<Record> open;
    for (int i = 0; i < 5; ++i) open.push_back(sign_up(f.keys, "ev-open", 10));
    auto r4 = f.push(open);
    for (const auto& x : r4.answers) CHECK(x.signup_status == "confirmed");
    CHECK(r4.catalog_version == v0 + 2);
    const Json all = f.st->catalog_since(0);
    for (const auto& act : all["activities"])
        if (act["id"] == "ev-open") CHECK(act["taken"] == 50);
}

TEST_CASE_TEMPLATE("engines: capacity 0 takes no sign-ups: rejected no_signups, nothing stored, no count moves",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    CatalogDelta add;
    Activity none;
    none.id = "ev-none";
    none.kind = ActivityKind::Event;
    none.title = "夏まつり（申込み不要）";
    none.capacity = 0;
    add.activities.push_back(none);
    f.st->import_catalog(add);
    const std::int64_t v = f.st->catalog_version();
    Record a = sign_up(f.keys, "ev-none", 3), b = sign_up(f.keys, "ev-small", 1);
    auto r = f.push({a, b});
    CHECK(r.answers[0].result == "rejected");
    CHECK(r.answers[0].code == "no_signups");
    CHECK(r.answers[1].signup_status == "confirmed");
    CHECK(r.rejected == 1);
    CHECK(r.stored == 1);
    CHECK_FALSE(f.st->record(a.id));
    CHECK(r.activities_changed == std::vector<std::string>{"ev-small"});
    // Sent again: rejected again (not a duplicate: it was never stored).
    CHECK(f.push({a}).answers[0].code == "no_signups");
    for (const auto& act : activities_of(f.st->catalog_since(v))) CHECK(act["id"] != "ev-none");
}

TEST_CASE_TEMPLATE("engines: raising the capacity moves the waitlist up; cutting it drops nobody", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // ev-small (capacity 3): a(3) confirmed by k1, b(2) and c(1) waitlisted (c from k2).
    Record a = sign_up(f.keys, "ev-small", 3), b = sign_up(f.keys, "ev-small", 2);
    Record c = sign_up(f.keys, "ev-small", 1, "k2");
    REQUIRE(f.push({a, b}).answers[1].signup_status == "waitlisted");
    REQUIRE(f.push({c}, "k2").answers[0].signup_status == "waitlisted");

    auto with_capacity = [](int cap) {
        CatalogDelta d = small_catalog();
        d.full = false;
        d.activities.resize(1);   // ev-small only
        d.activities[0].capacity = cap;
        return d;
    };
    // 3 → 5: b (2) moves up; c (1) does not fit any more and still waits.
    const std::int64_t v = f.st->catalog_version();
    std::vector<Promotion> moved;
    CHECK(f.st->import_catalog(with_capacity(5), &moved) == v + 1);
    REQUIRE(moved.size() == 1);
    CHECK(moved[0].id == b.id);
    CHECK(moved[0].activity_id == "ev-small");
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    CHECK(f.st->record(c.id)->signup_status == "waitlisted");
    const Json delta = f.st->catalog_since(v);
    REQUIRE(delta["activities"].size() == 1);
    CHECK(delta["activities"][0]["taken"] == 5);
    CHECK(delta["activities"][0]["capacity"] == 5);
    // The kiosk that took b hears of it.
    const auto k1 = f.st->signup_updates("k1", 10);
    REQUIRE(k1.size() == 1);
    CHECK(k1[0].id == b.id);
    CHECK(k1[0].signup_status == "confirmed");

    // 5 → 2: nobody confirmed is dropped; taken stays 5 (over capacity, for staff to see);
    // nobody moves up when a place frees while it is still over.
    moved.clear();
    f.st->import_catalog(with_capacity(2), &moved);
    CHECK(moved.empty());
    CHECK(f.st->record(a.id)->signup_status == "confirmed");
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    const CancelResult cr = f.st->admin().cancel_signup(b.id, "abe", "x");
    CHECK(cr.ok);
    CHECK(cr.promoted.empty());
    CHECK(f.st->record(c.id)->signup_status == "waitlisted");
    Json all = f.st->catalog_since(0);
    for (const auto& act : all["activities"])
        if (act["id"] == "ev-small") CHECK(act["taken"] == 3);
    // 2 → 4: fits again: c moves up (reported to k2).
    moved.clear();
    f.st->import_catalog(with_capacity(4), &moved);
    REQUIRE(moved.size() == 1);
    CHECK(moved[0].id == c.id);
    CHECK(f.st->signup_updates("k2", 10).at(0).signup_status == "confirmed");
    // An import that does not touch the capacity promotes nobody and changes nothing.
    moved.clear();
    const std::int64_t v2 = f.st->catalog_version();
    CHECK(f.st->import_catalog(with_capacity(4), &moved) == v2);
    CHECK(moved.empty());
}

TEST_CASE_TEMPLATE("engines: clock skew is flagged, stored anyway, and the flag survives in duplicates", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record r = opinion();
    r.created_at = rfc3339_utc(now_millis() - 3LL * 24 * 3600 * 1000);
    auto a = f.push({r});
    CHECK(a.answers[0].result == "stored");
    CHECK(a.answers[0].flags == std::vector<std::string>{"clock_skew"});
    CHECK(f.st->record(r.id)->flags == "[\"clock_skew\"]");
    CHECK(f.st->record(r.id)->created_at == r.created_at);
    auto b = f.push({r});
    CHECK(b.answers[0].result == "duplicate");
    CHECK(b.answers[0].flags == std::vector<std::string>{"clock_skew"});
    Record fine = opinion();
    fine.created_at = rfc3339_utc(now_millis() - 23LL * 3600 * 1000);
    CHECK(f.push({fine}).answers[0].flags.empty());
}

TEST_CASE_TEMPLATE("engines: catalog import, since, deletions, and `taken` kept across imports", E, KYODO_ENGINES) {
    Fx<E> f(false);
    if (!f.ok()) return;
    Storage& st = *f.st;
    CHECK(st.catalog_empty());
    CHECK(st.catalog_version() == 0);
    CatalogDelta cat = small_catalog();
    cat.activities[0].taken = 1;   // places booked elsewhere before the import
    CHECK(st.import_catalog(cat) == 1);
    CHECK(!st.catalog_empty());
    CHECK(st.import_catalog(cat) == 1);   // unchanged: no bump

    const Json full = st.catalog_since(0);
    CHECK(full["full"] == true);
    CHECK(full["version"] == 1);
    CHECK(full["activities"].size() == 2);
    CHECK(full["centres"].size() == 1);
    CHECK(full["organizations"].size() == 1);
    CHECK(full["surveys"].size() == 0);
    CHECK(full["deleted"]["activities"].empty());
    // Ordered by version, then id (byte order on both engines).
    CHECK(full["activities"][0]["id"] == "ev-open");
    CHECK(full["activities"][1]["id"] == "ev-small");
    CHECK(full["activities"][1]["taken"] == 1);
    CHECK(catalog_from_json(full).activities.size() == 2);

    // A sign-up moves `taken`; a later edit of the activity by city hall keeps it.
    st.enrol_device("k1", "ohdono", sha256_hex("t"), rfc3339_now());
    f.st.reset();
    f.st = open_storage(f.eng.spec());
    Storage& s2 = *f.st;
    CHECK(f.push({sign_up(f.keys, "ev-small", 1)}).answers[0].signup_status == "confirmed");
    CHECK(s2.catalog_version() == 2);

    cat.activities[0].title = "防災ワークショップ（改）";
    cat.activities[0].taken = 0;   // the file's value does not overwrite the server's count
    cat.activities.pop_back();     // full import without ev-open: deleted
    CHECK(s2.import_catalog(cat) == 3);
    const Json d = s2.catalog_since(2);
    CHECK(d["full"] == false);
    CHECK(d["version"] == 3);
    REQUIRE(d["activities"].size() == 1);
    CHECK(d["activities"][0]["title"] == "防災ワークショップ（改）");
    CHECK(d["activities"][0]["version"] == 3);
    CHECK(d["activities"][0]["taken"] == 2);
    CHECK(d["deleted"]["activities"] == Json::array({"ev-open"}));
    CHECK(d["centres"].empty());
    CHECK(s2.catalog_since(3)["activities"].empty());
    CHECK(s2.counts().activities == 1);
    // A deleted activity takes no sign-ups.
    CHECK(f.push({sign_up(f.keys, "ev-open", 1)}).answers[0].code == "unknown_activity");

    // A delta deleting a centre and adding a survey; deleting twice changes nothing.
    CatalogDelta delta;
    delta.deleted_centres = {"ohdono"};
    Survey sv;
    sv.id = "sv-1";
    sv.title = "満足度アンケート";
    delta.surveys.push_back(sv);
    CHECK(s2.import_catalog(delta) == 4);
    CatalogDelta again;
    again.deleted_centres = {"ohdono", "never-existed"};
    CHECK(s2.import_catalog(again) == 4);
    const Json d4 = s2.catalog_since(3);
    CHECK(d4["deleted"]["centres"] == Json::array({"ohdono"}));
    CHECK(d4["surveys"].size() == 1);
    CHECK(d4["surveys"][0]["version"] == 4);
    const StorageCounts c = s2.counts();
    CHECK(c.centres == 0);
    CHECK(c.surveys == 1);
    CHECK(c.organizations == 1);
    CHECK(c.catalog_version == 4);
    CHECK(s2.catalog_since(0)["centres"].empty());

    // Re-adding a deleted centre brings it back with a new version.
    CatalogDelta back;
    back.centres = small_catalog().centres;
    CHECK(s2.import_catalog(back) == 5);
    CHECK(s2.catalog_since(4)["centres"].size() == 1);
    CHECK(s2.counts().centres == 1);
}

TEST_CASE_TEMPLATE("engines: enrol, token lookup, revoke, re-enrol, and what a push records", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    auto d = st.device_by_token_hash(sha256_hex("token-1"));
    REQUIRE(d);
    CHECK(d->kiosk_id == "k1");
    CHECK(d->centre_id == "ohdono");
    CHECK(!d->revoked);
    CHECK(d->last_seen_at == "");
    CHECK(!st.device_by_token_hash(sha256_hex("nope")));
    CHECK(!st.device("nobody"));

    CHECK(st.revoke_device("k1", rfc3339_now()));
    CHECK(st.device_by_token_hash(sha256_hex("token-1"))->revoked);
    CHECK(!st.revoke_device("nobody", rfc3339_now()));
    CHECK(st.counts().devices == 2);
    CHECK(st.counts().devices_revoked == 1);

    const std::string token = enrol_kiosk(st, "k1", "ohdono-2");
    CHECK(!st.device_by_token_hash(sha256_hex("token-1")));
    auto again = st.device_by_token_hash(sha256_hex(token));
    REQUIRE(again);
    CHECK(!again->revoked);
    CHECK(again->centre_id == "ohdono-2");
    CHECK(again->token_hash != token);
    CHECK(st.counts().devices_revoked == 0);

    const auto all = st.devices();
    REQUIRE(all.size() == 2);
    CHECK(all[0].kiosk_id == "k1");
    CHECK(all[1].kiosk_id == "k2");

    PushMeta m;
    m.kiosk_id = "k2";
    m.app_version = "0.1.0";
    m.backlog = 17;
    m.received_at = "2026-11-22T01:02:03Z";
    st.ingest(m, {});
    CHECK(st.device("k2")->last_seen_at == "2026-11-22T01:02:03Z");
    CHECK(st.device("k2")->app_version == "0.1.0");
    CHECK(st.device("k2")->backlog == 17);
    m.app_version = "";
    m.backlog = -1;
    st.ingest(m, {});
    CHECK(st.device("k2")->app_version == "0.1.0");
    CHECK(st.device("k2")->backlog == 17);
    st.touch_device("k2", "2026-11-23T00:00:00Z");
    CHECK(st.device("k2")->last_seen_at == "2026-11-23T00:00:00Z");
}

TEST_CASE_TEMPLATE("engines: counts by kind, and personal data opened server-side", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record s = sign_up(f.keys, "ev-open", 2);
    f.push({opinion(), opinion(), s});
    const StorageCounts c = f.st->counts();
    CHECK(c.records == 3);
    CHECK(c.records_by_kind.at("opinion") == 2);
    CHECK(c.records_by_kind.at("sign_up") == 1);
    CHECK(c.activities == 2);
    CHECK(c.centres == 1);
    auto r = f.st->record(s.id);
    REQUIRE(r);
    CHECK(r->sealed == s.sealed);
    CHECK(Json::parse(r->personal)["name"] == "山口 花子");
    CHECK(r->content_hash.size() == 64);
    CHECK(r->seq > 0);
}

// The same script on both engines gives the same answers and the same catalog documents
// (ignoring only receipt times and arrival sequence numbers, which are the engine's own).
TEST_CASE("engines: one script, identical answers and catalog documents on SQLite and PostgreSQL") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    TempDir dir;
    std::unique_ptr<Storage> engines[2] = {open_storage(dir / "server.db"), open_storage(schema.url())};
    const KeyPair& keys = test_keys();

    // Fixed records, so ids and hashes are the same for both engines.
    std::vector<Record> recs;
    for (int i = 0; i < 6; ++i) {
        Record r = i % 2 ? sign_up(keys, i < 3 ? "ev-small" : "ev-open", 1 + i % 3) : opinion();
        recs.push_back(r);
    }
    recs.push_back(recs[1]);
    Record conflict = recs[0];
    conflict.payload["text"] = "別";
    recs.push_back(conflict);
    Json arr = Json::array();
    for (const auto& r : recs) arr.push_back(to_json(r));

    std::string out[2];
    for (int e = 0; e < 2; ++e) {
        Storage& st = *engines[e];
        std::string& o = out[e];
        o += std::to_string(st.import_catalog(small_catalog())) + "\n";
        st.enrol_device("k1", "ohdono", sha256_hex("token-1"), "2026-01-01T00:00:00Z");
        PushMeta m;
        m.kiosk_id = "k1";
        m.received_at = "2026-11-22T01:02:03Z";
        for (int round = 0; round < 2; ++round) {
            const IngestResult r = ingest_batch(st, keys, m, arr, now_millis());
            for (const auto& a : r.answers) o += to_json(a).dump() + "\n";
            o += std::to_string(r.catalog_version) + " " + Json(r.activities_changed).dump() + "\n";
        }
        CatalogDelta edit = small_catalog();
        edit.activities[1].title = "清掃ボランティア（春）";
        edit.full = false;
        o += std::to_string(st.import_catalog(edit)) + "\n";
        for (std::int64_t since : {0, 1, 2, 3}) o += st.catalog_since(since).dump() + "\n";
        for (const auto& r : recs) {
            auto s = st.record(r.id);
            o += s ? s->kind + s->content_hash + s->payload + s->personal + s->receipt + s->signup_status + s->flags
                   : "absent";
            o += "\n";
        }
        const StorageCounts c = st.counts();
        o += std::to_string(c.records) + " " + std::to_string(c.devices) + " " + std::to_string(c.catalog_version) +
             "\n";
        for (const auto& d : st.devices()) o += d.kiosk_id + d.token_hash + d.enrolled_at + d.last_seen_at + "\n";
    }
    CHECK(out[0] == out[1]);
}

// --- PostgreSQL only: several servers on one database --------------------------------

TEST_CASE("postgresql: two Storage objects ingesting the same batch at once store it exactly once") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    const KeyPair& keys = test_keys();
    std::unique_ptr<Storage> a = open_storage(schema.url()), b = open_storage(schema.url());
    a->import_catalog(small_catalog());
    for (const char* k : {"k1", "k2"}) a->enrol_device(k, "ohdono", sha256_hex(k), rfc3339_now());

    for (int round = 0; round < 10; ++round) {
        Json arr = Json::array();
        std::vector<std::string> ids;
        for (int i = 0; i < 40; ++i) {
            // Odd rounds: opinions only, so nothing but the inserts themselves collide.
            Record r = (round % 2 == 0 && i % 4 == 0) ? sign_up(keys, "ev-open", 1) : opinion();
            ids.push_back(r.id);
            arr.push_back(to_json(r));
        }
        // Different push metadata kiosks, so the device row does not serialise the two and
        // the inserts really race (storage trusts the prepared records).
        IngestResult res[2];
        std::barrier go(2);
        auto worker = [&](int w) {
            PushMeta m;
            m.kiosk_id = w ? "k2" : "k1";
            m.received_at = rfc3339_now();
            std::vector<PreparedRecord> prepared;
            for (const Json& raw : arr) prepared.push_back(prepare_record(raw, "k1", keys, now_millis()));
            go.arrive_and_wait();
            res[w] = (w ? *b : *a).ingest(m, prepared);
        };
        std::thread t0(worker, 0), t1(worker, 1);
        t0.join();
        t1.join();
        CHECK(res[0].stored + res[1].stored == 40);
        CHECK(res[0].duplicate + res[1].duplicate == 40);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto& x = res[0].answers[i];
            const auto& y = res[1].answers[i];
            CHECK(((x.result == "stored" && y.result == "duplicate") || (x.result == "duplicate" && y.result == "stored")));
            CHECK(x.receipt == y.receipt);
            CHECK(x.signup_status == y.signup_status);
        }
    }
    CHECK(a->counts().records == 400);
    const Json all = a->catalog_since(0);
    for (const auto& act : all["activities"])
        if (act["id"] == "ev-open") CHECK(act["taken"] == 50);
}

TEST_CASE("postgresql: 20 sign-ups racing through 4 Storage objects for the last place: one confirmed") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    const KeyPair& keys = test_keys();
    std::vector<std::unique_ptr<Storage>> servers;
    for (int i = 0; i < 4; ++i) servers.push_back(open_storage(schema.url()));
    CatalogDelta cat = small_catalog();
    cat.activities[0].capacity = 5;
    cat.activities[0].taken = 4;   // one place left
    servers[0]->import_catalog(cat);
    const std::int64_t v0 = servers[0]->catalog_version();
    for (int k = 0; k < 5; ++k)
        servers[0]->enrol_device("k" + std::to_string(k), "ohdono", sha256_hex("t" + std::to_string(k)), rfc3339_now());

    constexpr int kN = 20;
    std::vector<IngestResult> res(kN);
    std::barrier go(kN);
    std::vector<std::thread> threads;
    for (int i = 0; i < kN; ++i)
        threads.emplace_back([&, i] {
            const std::string kiosk = "k" + std::to_string(i % 5);
            Record r = sign_up(keys, "ev-small", 1, kiosk);
            PushMeta m;
            m.kiosk_id = kiosk;
            m.received_at = rfc3339_now();
            go.arrive_and_wait();
            res[static_cast<std::size_t>(i)] =
                ingest_batch(*servers[static_cast<std::size_t>(i % 4)], keys, m, Json::array({to_json(r)}), now_millis());
        });
    for (auto& t : threads) t.join();
    int confirmed = 0, waitlisted = 0;
    for (const auto& r : res) {
        REQUIRE(r.answers.size() == 1);
        CHECK(r.answers[0].result == "stored");
        if (r.answers[0].signup_status == "confirmed") ++confirmed;
        if (r.answers[0].signup_status == "waitlisted") ++waitlisted;
    }
    CHECK(confirmed == 1);
    CHECK(waitlisted == kN - 1);
    const Json all = servers[1]->catalog_since(0);
    for (const auto& act : all["activities"])
        if (act["id"] == "ev-small") CHECK(act["taken"] == 5);
    CHECK(servers[2]->catalog_version() == v0 + 1);   // exactly one bump: one confirmed
}

TEST_CASE("postgresql: servers starting at once on an empty schema migrate it once") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    std::vector<std::unique_ptr<Storage>> opened(4);
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            try {
                opened[i] = open_storage(schema.url());
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK_MESSAGE(errors[i].empty(), errors[i]);
        CHECK(opened[i] != nullptr);
    }
    PgAdmin admin(schema.url());
    // Each migration applied once, numbered from 1 without gaps.
    CHECK(admin.query("SELECT COUNT(*) = MAX(version) AND COUNT(DISTINCT version) = COUNT(*) AND MIN(version) = 1 "
                      "FROM schema_migrations") == std::vector<std::string>{"t"});
    CHECK(admin.query("SELECT version FROM catalog_state") == std::vector<std::string>{"0"});
}

TEST_CASE("postgresql: migration 4 on a schema-3 database with records: receipts and rosters still found") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    const KeyPair& keys = test_keys();
    const Record op = opinion(), su = sign_up(keys, "ev-open", 2);
    {
        auto st = open_storage(schema.url());
        st->import_catalog(small_catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("k1"), rfc3339_now());
        PushMeta m;
        m.kiosk_id = "k1";
        m.received_at = rfc3339_now();
        const IngestResult r = ingest_batch(*st, keys, m, Json::array({to_json(op), to_json(su)}), now_millis());
        REQUIRE(r.stored == 2);
    }
    // Back to what schema 3 had: receipt in the default collation, both indexes plain b-trees.
    {
        PgAdmin admin(schema.url());
        admin.query("DROP INDEX records_receipt");
        admin.query("DROP INDEX records_activity_seq");
        admin.query("ALTER TABLE records ALTER COLUMN receipt TYPE TEXT COLLATE \"default\"");
        admin.query("CREATE INDEX records_receipt ON records (receipt)");
        admin.query("CREATE INDEX records_activity_seq ON records (activity_id, seq)");
        // Later migrations (5: notices, 6: check-in links, 7: cancel waits, 8: quotas, 9: the
        // monthly counts' index) go too, so the server really meets a schema-3 database and runs
        // 4 and everything after it.
        admin.query("DROP INDEX records_kind_centre_created");
        admin.query("DROP TABLE notices");
        admin.query("DROP TABLE checkin_links");
        admin.query("DROP TABLE cancel_waits");
        for (const char* t : {"quota_policy", "quota_overrides", "quota_settings", "leases"})
            admin.query(std::string("DROP TABLE ") + t);
        admin.query("DELETE FROM schema_migrations WHERE version >= 4");
    }
    auto st = open_storage(schema.url());
    PgAdmin admin(schema.url());
    CHECK(admin.query("SELECT MAX(version) FROM schema_migrations") == std::vector<std::string>{"9"});
    CHECK(admin.query("SELECT indexdef LIKE '%USING hash (receipt)%' FROM pg_indexes "
                      "WHERE indexname = 'records_receipt' AND schemaname = current_schema()") ==
          std::vector<std::string>{"t"});
    CHECK(admin.query("SELECT indexdef LIKE '%WHERE (activity_id <> %' FROM pg_indexes "
                      "WHERE indexname = 'records_activity_seq' AND schemaname = current_schema()") ==
          std::vector<std::string>{"t"});
    RecordQuery by_receipt;
    by_receipt.receipt = receipt_number(op.id);
    const auto found = st->admin().records(by_receipt);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rec.id == op.id);
    RecordQuery roster;
    roster.activity_id = "ev-open";
    const auto listed = st->admin().records(roster);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].rec.id == su.id);
    CHECK(listed[0].party_size == 2);
    // And pushing still answers as before: the stored opinion is a duplicate.
    PushMeta m;
    m.kiosk_id = "k1";
    m.received_at = rfc3339_now();
    const IngestResult again = ingest_batch(*st, keys, m, Json::array({to_json(op)}), now_millis());
    CHECK(again.duplicate == 1);
    CHECK(again.answers[0].receipt == receipt_number(op.id));
}

TEST_CASE("postgresql: a dropped connection is re-opened and the call succeeds") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    PgSchema schema(base);
    auto st = open_storage(schema.url());
    st->import_catalog(small_catalog());
    st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
    PgAdmin admin(base);
    const auto killed = admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", {schema.name()});
    REQUIRE(!killed.empty());
    CHECK(st->catalog_version() == 1);
    CHECK(st->device("k1").has_value());
    // And ingest (a write transaction) after another drop.
    admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", {schema.name()});
    PushMeta m;
    m.kiosk_id = "k1";
    m.received_at = rfc3339_now();
    auto r = ingest_batch(*st, test_keys(), m, Json::array({to_json(opinion())}), now_millis());
    CHECK(r.stored == 1);
}

TEST_CASE("postgresql: a server that cannot reach the database says so, without the password") {
    CHECK_THROWS_WITH_AS(open_storage("postgresql://kyodo:s3cret@127.0.0.1:1/kyodo_test?connect_timeout=2"),
                         doctest::Contains("cannot connect to PostgreSQL"), StorageError);
    try {
        open_storage("postgresql://kyodo:s3cret@127.0.0.1:1/kyodo_test?connect_timeout=2");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
    }
}

TEST_CASE_TEMPLATE("engines: admin storage: staff, sessions, audit, triage and a cancellation moving the waitlist",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    AdminStorage& ad = f.st->admin();
    ad.put_staff(StaffUser{"tanaka", "hash-1", "editor", "2026-01-01T00:00:00Z", false});
    ad.put_staff(StaffUser{"abe", "hash-2", "viewer", "2026-01-01T00:00:00Z", false});
    REQUIRE(ad.staff("tanaka"));
    CHECK(ad.staff("tanaka")->role == "editor");
    CHECK(!ad.staff("nobody"));
    const auto list = ad.staff_list();
    REQUIRE(list.size() == 2);
    CHECK(list[0].user == "abe");

    ad.create_session(StaffSession{"sess-1", "tanaka", "", "csrf-1", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z"});
    auto s = ad.session("sess-1", "2026-01-01T01:00:00Z");
    REQUIRE(s);
    CHECK(s->role == "editor");
    CHECK(s->csrf == "csrf-1");
    CHECK(!ad.session("sess-1", "2026-01-01T09:00:00Z"));   // expired
    ad.put_staff(StaffUser{"tanaka", "hash-1", "editor", "2026-01-01T00:00:00Z", true});
    CHECK(!ad.session("sess-1", "2026-01-01T01:00:00Z"));   // disabled: sessions gone
    ad.create_session(StaffSession{"sess-2", "abe", "", "c", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z"});
    ad.delete_session("sess-2");
    CHECK(!ad.session("sess-2", "2026-01-01T01:00:00Z"));

    ad.add_audit(AuditEntry{0, "2026-01-01T00:00:01Z", "abe", "login", "", ""});
    ad.add_audit(AuditEntry{0, "2026-01-01T00:00:02Z", "abe", "view_roster", "ev-small", "3 people"});
    const auto log = ad.audit_log(10);
    REQUIRE(log.size() == 2);
    CHECK(log[0].action == "view_roster");   // newest first
    CHECK(log[0].id > log[1].id);
    CHECK(ad.audit_log(1).size() == 1);

    // ev-small (capacity 3): a(2) confirmed, b(2) waitlisted, c(1) waitlisted behind b
    // (strictly first-come); cancelling a frees 2: b and then c move up.
    Record a = sign_up(f.keys, "ev-small", 2), b = sign_up(f.keys, "ev-small", 2), c = sign_up(f.keys, "ev-small", 1);
    Record o = opinion();
    auto r = f.push({a, b, c, o});
    REQUIRE(r.answers[1].signup_status == "waitlisted");
    RecordQuery q;
    q.activity_id = "ev-small";
    auto roster = ad.records(q);
    REQUIRE(roster.size() == 3);
    CHECK(roster[0].rec.id == a.id);
    CHECK(roster[2].rec.id == c.id);
    CHECK(roster[0].party_size == 2);
    CHECK(roster[0].attended == -1);
    RecordQuery by_receipt;
    by_receipt.receipt = receipt_number(o.id);
    REQUIRE(ad.records(by_receipt).size() == 1);
    RecordQuery by_prefix;
    by_prefix.id_prefix = o.id.substr(0, 30);
    CHECK(ad.records(by_prefix).size() == 1);
    RecordQuery opinions;
    opinions.kind = "opinion";
    CHECK(ad.records(opinions).size() == 1);

    CHECK(ad.set_record_state(o.id, "in_review", "協働推進課", "確認中", "abe", "2026-01-02T00:00:00Z"));
    CHECK(!ad.set_record_state("no-such-id", "closed", "", "", "abe", "2026-01-02T00:00:00Z"));
    CHECK(ad.set_attendance(c.id, 1, "abe", "2026-01-02T00:00:00Z"));
    const auto op = ad.records(opinions);
    CHECK(op[0].state == "in_review");
    CHECK(op[0].department == "協働推進課");
    CHECK(op[0].updated_by == "abe");

    const std::int64_t v = f.st->catalog_version();
    const CancelResult cr = ad.cancel_signup(a.id, "abe", "2026-01-02T00:00:00Z");
    CHECK(cr.ok);
    CHECK(cr.promoted_id == b.id);
    CHECK(cr.catalog_version == v + 1);
    CHECK(f.st->record(a.id)->signup_status == "cancelled");
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    const Json cat = f.st->catalog_since(v);
    REQUIRE(cat["activities"].size() == 1);
    CHECK(cat["activities"][0]["taken"] == 3);
    CHECK(ad.cancel_signup(a.id, "abe", "x").error == "already_cancelled");
    CHECK(ad.cancel_signup(o.id, "abe", "x").error == "not_signup");
    CHECK(ad.cancel_signup("nope", "abe", "x").error == "not_found");
    // A waitlisted cancellation frees nothing and bumps nothing.
    Record d = sign_up(f.keys, "ev-small", 1);
    REQUIRE(f.push({d}).answers[0].signup_status == "waitlisted");
    const CancelResult cw = ad.cancel_signup(d.id, "abe", "x");
    CHECK(cw.ok);
    CHECK(cw.promoted_id.empty());
    CHECK(cw.catalog_version == f.st->catalog_version());
    // The duplicate of a cancelled sign-up answers its current status.
    CHECK(f.push({a}).answers[0].signup_status == "cancelled");

    // Strictly first-come: e(2) heads the line and does not fit after c(1) cancels, so
    // g(1) waits behind it; cancelling e (waitlisted) must move g up.
    Record e = sign_up(f.keys, "ev-small", 2), g = sign_up(f.keys, "ev-small", 1);
    auto eg = f.push({e, g});
    REQUIRE(eg.answers[0].signup_status == "waitlisted");
    REQUIRE(eg.answers[1].signup_status == "waitlisted");
    REQUIRE(ad.cancel_signup(c.id, "abe", "x").ok);
    CHECK(f.st->record(g.id)->signup_status == "waitlisted");
    const std::int64_t v2 = f.st->catalog_version();
    const CancelResult ce = ad.cancel_signup(e.id, "abe", "x");
    CHECK(ce.ok);
    CHECK(ce.promoted_id == g.id);
    CHECK(f.st->record(g.id)->signup_status == "confirmed");
    CHECK(ce.catalog_version == v2 + 1);
    CHECK(f.st->catalog_since(v2)["activities"][0]["taken"] == 3);
}

TEST_CASE_TEMPLATE("engines: signup_updates: a status changed after the first answer is reported to its kiosk "
                   "until acknowledged",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // ev-small (capacity 3): a(3) confirmed by k1; b(1) from k2 waitlisted; c(1) from k1
    // waitlisted behind b although nobody fits anyway.
    Record a = sign_up(f.keys, "ev-small", 3), c = sign_up(f.keys, "ev-small", 1);
    Record b = sign_up(f.keys, "ev-small", 1, "k2");
    REQUIRE(f.push({a}).answers[0].signup_status == "confirmed");
    REQUIRE(f.push({b}, "k2").answers[0].signup_status == "waitlisted");
    REQUIRE(f.push({c}).answers[0].signup_status == "waitlisted");
    // First answers were reported in the push answers themselves: nothing pending.
    CHECK(f.st->signup_updates("k1", 100).empty());
    CHECK(f.st->signup_updates("k2", 100).empty());

    // a cancelled: b and c move up, in arrival order.
    const CancelResult cr = f.st->admin().cancel_signup(a.id, "abe", "2026-01-02T00:00:00Z");
    REQUIRE(cr.ok);
    const auto k1 = f.st->signup_updates("k1", 100);
    REQUIRE(k1.size() == 2);
    CHECK(k1[0].id == a.id);
    CHECK(k1[0].signup_status == "cancelled");
    CHECK(k1[0].receipt == receipt_number(a.id));
    CHECK(k1[1].id == c.id);
    CHECK(k1[1].signup_status == "confirmed");
    CHECK(f.st->signup_updates("k1", 1).size() == 1);
    const auto k2 = f.st->signup_updates("k2", 100);
    REQUIRE(k2.size() == 1);
    CHECK(k2[0].id == b.id);
    CHECK(k2[0].signup_status == "confirmed");

    // Acknowledgements: another kiosk's id and a stale status change nothing.
    CHECK(f.st->ack_signup_updates("k1", {SignupUpdate{b.id, "", "confirmed"}}) == 0);
    CHECK(f.st->ack_signup_updates("k1", {SignupUpdate{c.id, "", "waitlisted"}}) == 0);
    CHECK(f.st->signup_updates("k1", 100).size() == 2);
    CHECK(f.st->ack_signup_updates("k1", {SignupUpdate{a.id, "", "cancelled"}, SignupUpdate{c.id, "", "confirmed"}}) == 2);
    CHECK(f.st->ack_signup_updates("k1", {SignupUpdate{c.id, "", "confirmed"}}) == 0);   // again: nothing
    CHECK(f.st->signup_updates("k1", 100).empty());
    CHECK(f.st->signup_updates("k2", 100).size() == 1);

    // A change after the acknowledgement is reported again.
    REQUIRE(f.st->admin().cancel_signup(c.id, "abe", "2026-01-03T00:00:00Z").ok);
    const auto again = f.st->signup_updates("k1", 100);
    REQUIRE(again.size() == 1);
    CHECK(again[0].signup_status == "cancelled");
    // The duplicate of a moved-up sign-up answers its current status.
    CHECK(f.push({b}, "k2").answers[0].signup_status == "confirmed");
}

TEST_CASE_TEMPLATE("engines: strictly first come: once someone waits, later sign-ups wait too, in any batch",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // ev-small (capacity 3): a(2) confirmed; b(2) waitlisted; c(1) and d(1) would fit one
    // place but wait behind b, in the same batch and in later ones.
    Record a = sign_up(f.keys, "ev-small", 2), b = sign_up(f.keys, "ev-small", 2);
    Record c = sign_up(f.keys, "ev-small", 1), d = sign_up(f.keys, "ev-small", 1, "k2");
    auto r = f.push({a, b, c});
    CHECK(r.answers[0].signup_status == "confirmed");
    CHECK(r.answers[1].signup_status == "waitlisted");
    CHECK(r.answers[2].signup_status == "waitlisted");
    CHECK(f.push({d}, "k2").answers[0].signup_status == "waitlisted");
    // Cancelling a empties the activity: b (2) and c (1) move up, d (1) no longer fits.
    REQUIRE(f.st->admin().cancel_signup(a.id, "abe", "x").ok);
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    CHECK(f.st->record(c.id)->signup_status == "confirmed");
    CHECK(f.st->record(d.id)->signup_status == "waitlisted");
    // Still someone waiting: a newcomer waits too.
    Record e = sign_up(f.keys, "ev-small", 1);
    CHECK(f.push({e}).answers[0].signup_status == "waitlisted");
}

TEST_CASE_TEMPLATE("engines: a kiosk's cancel record, in the same batch as its sign-up or a later one, cancels it "
                   "exactly once and moves the waitlist up",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // ev-small (capacity 3): a(2) confirmed, b(2) waitlisted (from k2), c(1) waitlisted.
    Record a = sign_up_coded(f.keys, "ev-small", 2, "1234"), b = sign_up_coded(f.keys, "ev-small", 2, "5678", "k2");
    Record c = sign_up_coded(f.keys, "ev-small", 1, "0000");
    REQUIRE(f.push({a}).answers[0].signup_status == "confirmed");
    REQUIRE(f.push({b}, "k2").answers[0].signup_status == "waitlisted");

    SUBCASE("a later batch: a is cancelled, b moves up (reported to k2), c then waits behind nobody") {
        const std::int64_t v = f.st->catalog_version();
        Record x = cancel_of(a, "1234");
        auto r = f.push({x, c});
        REQUIRE(r.answers[0].result == "stored");
        CHECK(r.answers[0].signup_status == "cancelled");
        CHECK(r.answers[0].receipt == receipt_number(x.id));
        CHECK(r.stored == 2);
        REQUIRE(r.promoted.size() == 1);
        CHECK(r.promoted[0].id == b.id);
        CHECK(r.promoted[0].activity_id == "ev-small");
        CHECK(f.st->record(a.id)->signup_status == "cancelled");
        CHECK(f.st->record(b.id)->signup_status == "confirmed");
        CHECK(r.answers[1].signup_status == "confirmed");   // c (1) fits: 2 + 1 = 3
        CHECK(r.activities_changed == std::vector<std::string>{"ev-small"});
        for (const auto& act : activities_of(f.st->catalog_since(v)))
            if (act["id"] == "ev-small") CHECK(act["taken"] == 3);
        // k1 hears of a's cancellation; k2 of b's promotion.
        const auto k1 = f.st->signup_updates("k1", 10);
        REQUIRE(k1.size() == 1);
        CHECK(k1[0].id == a.id);
        CHECK(k1[0].signup_status == "cancelled");
        CHECK(f.st->signup_updates("k2", 10).at(0).id == b.id);
        // The same batch again: duplicates, nothing moves twice.
        auto again = f.push({x, c});
        CHECK(again.duplicate == 2);
        CHECK(again.answers[0].signup_status == "cancelled");
        CHECK(again.promoted.empty());
        CHECK(again.activities_changed.empty());
        CHECK(f.st->record(b.id)->signup_status == "confirmed");
    }
    SUBCASE("the same batch: c signed up and cancelled in one push; the cancel comes after it") {
        Record y = cancel_of(c, "0000");
        auto r = f.push({c, y});
        CHECK(r.answers[0].signup_status == "waitlisted");   // its first answer
        CHECK(r.answers[1].result == "stored");
        CHECK(r.answers[1].signup_status == "cancelled");
        CHECK(f.st->record(c.id)->signup_status == "cancelled");
        CHECK(f.st->record(b.id)->signup_status == "waitlisted");   // nothing freed
        // The kiosk is told the sign-up's new status (its first answer said waitlisted).
        const auto k1 = f.st->signup_updates("k1", 10);
        REQUIRE(k1.size() == 1);
        CHECK(k1[0].id == c.id);
        CHECK(k1[0].signup_status == "cancelled");
    }
    SUBCASE("the waitlisted head of the line cancelled from another kiosk: those behind move up") {
        REQUIRE(f.push({c}).answers[0].signup_status == "waitlisted");
        auto r = f.push({cancel_of(b, "5678", "k1")});
        CHECK(r.answers[0].signup_status == "cancelled");
        REQUIRE(r.promoted.size() == 1);
        CHECK(r.promoted[0].id == c.id);
        CHECK(f.st->record(c.id)->signup_status == "confirmed");
    }
    SUBCASE("wrong check code, a receipt not the sign-up's, and a cancel of a cancel: rejected, nothing changes") {
        Record bad = cancel_of(a, "9999");
        auto r = f.push({bad});
        CHECK(r.answers[0].result == "rejected");
        CHECK(r.answers[0].code == "wrong_check_code");
        CHECK_FALSE(f.st->record(bad.id));
        Record wrong_receipt = cancel_of(a, "1234");
        wrong_receipt.payload["receipt"] = "0000-0000";
        CHECK(f.push({wrong_receipt}).answers[0].code == "unknown_signup");
        Record x = cancel_of(a, "1234");
        REQUIRE(f.push({x}).answers[0].result == "stored");
        Record of_cancel = cancel_of(x, "1234");
        CHECK(f.push({of_cancel}).answers[0].code == "unknown_signup");
        CHECK(f.st->record(b.id)->signup_status == "confirmed");
        CHECK(f.st->record(bad.id) == std::nullopt);
        CHECK(f.st->record(of_cancel.id) == std::nullopt);
    }
    SUBCASE("already cancelled by staff: the kiosk's cancel is stored, answered cancelled, moves nobody again") {
        REQUIRE(f.push({c}).answers[0].signup_status == "waitlisted");
        REQUIRE(f.st->admin().cancel_signup(a.id, "abe", "x").ok);   // b and c move up
        auto r = f.push({cancel_of(a, "1234")});
        CHECK(r.answers[0].result == "stored");
        CHECK(r.answers[0].signup_status == "cancelled");
        CHECK(r.promoted.empty());
        for (const auto& act : activities_of(f.st->catalog_since(0)))
            if (act["id"] == "ev-small") CHECK(act["taken"] == 3);
    }
}

// A cancel may overtake its sign-up (the sign-up on a USB bundle, or through another server):
// it is stored as "waiting" and applied when the sign-up is stored, at the end of that push,
// in the order the cancels arrived; the line moves up then.
TEST_CASE_TEMPLATE("engines: a cancel that arrives before its sign-up waits, and is applied when the sign-up comes; "
                   "the waitlist moves up",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // ev-small (capacity 3): a(3) takes every place, b(1) waits behind it.
    Record a = sign_up_coded(f.keys, "ev-small", 3, "1234"), b = sign_up_coded(f.keys, "ev-small", 1, "5678", "k2");
    Record x = cancel_of(a, "1234");
    auto taken = [&] {
        for (const auto& act : activities_of(f.st->catalog_since(0)))
            if (act["id"] == "ev-small") return act["taken"].template get<std::int64_t>();
        return std::int64_t{-1};
    };

    SUBCASE("the cancel in an earlier push") {
        auto r0 = f.push({x});
        REQUIRE(r0.answers[0].result == "stored");
        CHECK(r0.answers[0].signup_status == "waiting");
        CHECK(r0.answers[0].receipt == receipt_number(x.id));
        CHECK(f.st->record(x.id)->signup_status == "waiting");
        CHECK(f.push({x}).answers[0].result == "duplicate");   // sent again: still one
        auto r1 = f.push({a});
        CHECK(r1.answers[0].signup_status == "confirmed");   // its first answer, then cancelled
        CHECK(r1.promoted.empty());
        CHECK(f.st->record(a.id)->signup_status == "cancelled");
        CHECK(f.st->record(x.id)->signup_status == "cancelled");
        CHECK(taken() == 0);
        // b now finds the places free; the kiosk that sent a hears of both.
        CHECK(f.push({b}, "k2").answers[0].signup_status == "confirmed");
        std::map<std::string, std::string> k1;
        for (const auto& u : f.st->signup_updates("k1", 10)) k1[u.id] = u.signup_status;
        CHECK(k1[a.id] == "cancelled");
        CHECK(k1[x.id] == "cancelled");
        // Everything again: duplicates; nothing moves twice.
        auto again = f.push({x, a});
        CHECK(again.duplicate == 2);
        CHECK(again.answers[0].signup_status == "cancelled");
        CHECK(again.promoted.empty());
        CHECK(taken() == 1);
    }
    SUBCASE("cancel, sign-up and the one waiting behind it in one push: the line moves up at its end") {
        Record b1 = sign_up_coded(f.keys, "ev-small", 1, "5678");
        auto r = f.push({x, a, b1});
        CHECK(r.stored == 3);
        CHECK(r.answers[0].signup_status == "waiting");
        CHECK(r.answers[1].signup_status == "confirmed");
        CHECK(r.answers[2].signup_status == "waitlisted");
        REQUIRE(r.promoted.size() == 1);
        CHECK(r.promoted[0].id == b1.id);
        CHECK(f.st->record(a.id)->signup_status == "cancelled");
        CHECK(f.st->record(b1.id)->signup_status == "confirmed");
        CHECK(f.st->record(x.id)->signup_status == "cancelled");
        CHECK(taken() == 1);
        CHECK(r.activities_changed == std::vector<std::string>{"ev-small"});
    }
    SUBCASE("the sign-up arrives a push later, with two behind it: both move up, in order") {
        REQUIRE(f.push({x}).answers[0].signup_status == "waiting");
        Record b1 = sign_up_coded(f.keys, "ev-small", 1, "5678"), c1 = sign_up_coded(f.keys, "ev-small", 2, "0000");
        auto r = f.push({a, b1, c1});
        CHECK(r.answers[0].signup_status == "confirmed");
        CHECK(r.answers[1].signup_status == "waitlisted");
        CHECK(r.answers[2].signup_status == "waitlisted");
        REQUIRE(r.promoted.size() == 2);
        CHECK(r.promoted[0].id == b1.id);
        CHECK(r.promoted[1].id == c1.id);
        CHECK(taken() == 3);
    }
    SUBCASE("a waiting cancel with the wrong check code: refused when its sign-up comes; nothing changes") {
        Record bad = cancel_of(a, "9999");
        CHECK(f.push({bad}).answers[0].signup_status == "waiting");
        auto r = f.push({a});
        REQUIRE(f.push({b}, "k2").answers[0].signup_status == "waitlisted");
        CHECK(r.promoted.empty());
        CHECK(f.st->record(a.id)->signup_status == "confirmed");
        CHECK(f.st->record(b.id)->signup_status == "waitlisted");
        CHECK(f.st->record(bad.id)->signup_status == "refused");
        CHECK(taken() == 3);
        // The right code later: applied at once.
        auto ok = f.push({x});
        CHECK(ok.answers[0].signup_status == "cancelled");
        REQUIRE(ok.promoted.size() == 1);
        CHECK(ok.promoted[0].id == b.id);
    }
    SUBCASE("a receipt that is not the sign-up id's: rejected at once, even before the sign-up") {
        Record wrong = cancel_of(a, "1234");
        wrong.payload["receipt"] = "0000-0000";
        auto r = f.push({wrong});
        CHECK(r.answers[0].result == "rejected");
        CHECK(r.answers[0].code == "unknown_signup");
    }
}

// Issue 10 point 4: staff tick arrivals on the kiosk's 受付; each tick is an `attendance` record.
namespace {
template <class F>
int attended_of(F& f, const std::string& activity, const std::string& id, std::string* by = nullptr) {
    RecordQuery q;
    q.kind = "sign_up";
    q.activity_id = activity;
    for (const AdminRecord& r : f.st->admin().records(q))
        if (r.rec.id == id) {
            if (by) *by = r.updated_by;
            return r.attended;
        }
    return -2;
}
}  // namespace

TEST_CASE_TEMPLATE("engines: a kiosk's attendance tick sets attendance exactly once, in arrival order; another "
                   "centre's sign-up is refused",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    f.st->enrol_device("k3", "yoshiki", sha256_hex("token-3"), rfc3339_now());
    // ev-small is at ohdono (k1's centre); ev-open has no centre.
    Record a = sign_up(f.keys, "ev-small", 1), o = sign_up(f.keys, "ev-open", 1);
    REQUIRE(f.push({a, o}).stored == 2);
    CHECK(attended_of(f, "ev-small", a.id) == -1);

    Record t1 = attendance_of(a, true);
    auto r = f.push({t1});
    REQUIRE(r.answers.size() == 1);
    CHECK(r.answers[0].result == "stored");
    CHECK(r.answers[0].receipt == receipt_number(t1.id));
    std::string by;
    CHECK(attended_of(f, "ev-small", a.id, &by) == 1);
    CHECK(by == "kiosk:k1");
    CHECK(f.st->record(t1.id)->kind == "attendance");

    // Staff on the dashboard take it back; the kiosk resends its tick (its answer was lost):
    // a duplicate changes nothing.
    REQUIRE(f.st->admin().set_attendance(a.id, 0, "abe", rfc3339_now()));
    auto again = f.push({t1});
    CHECK(again.answers[0].result == "duplicate");
    CHECK(attended_of(f, "ev-small", a.id) == 0);

    // Tick, untick, tick in one batch: the last to arrive wins; each stored once.
    Record t2 = attendance_of(a, true), t3 = attendance_of(a, false), t4 = attendance_of(a, true);
    auto b = f.push({t2, t3, t4});
    CHECK(b.stored == 3);
    CHECK(attended_of(f, "ev-small", a.id) == 1);
    auto b2 = f.push({t3});
    CHECK(b2.duplicate == 1);
    CHECK(attended_of(f, "ev-small", a.id) == 1);

    // A sign-up and its tick in the same push (the tick after it).
    Record c = sign_up(f.keys, "ev-small", 1);
    auto sc = f.push({c, attendance_of(c, true)});
    CHECK(sc.stored == 2);
    CHECK(attended_of(f, "ev-small", c.id) == 1);

    // Another centre's kiosk: refused, nothing stored, nothing changed.
    Record x = attendance_of(a, false, "k3");
    auto rx = f.push({x}, "k3");
    CHECK(rx.answers[0].result == "rejected");
    CHECK(rx.answers[0].code == "wrong_centre");
    CHECK(!f.st->record(x.id));
    CHECK(attended_of(f, "ev-small", a.id) == 1);
    // An activity with no centre is no kiosk's roster.
    auto ro = f.push({attendance_of(o, true)});
    CHECK(ro.answers[0].code == "wrong_centre");
    CHECK(attended_of(f, "ev-open", o.id) == -1);

    // No such sign-up, or a record that is no sign-up.
    Record ghost = sign_up(f.keys, "ev-small", 1);   // never pushed
    CHECK(f.push({attendance_of(ghost, true)}).answers[0].code == "unknown_signup");
    Record op = opinion();
    REQUIRE(f.push({op}).stored == 1);
    Record not_signup = attendance_of(a, true);
    not_signup.payload["signup_id"] = op.id;
    CHECK(f.push({not_signup}).answers[0].code == "unknown_signup");

    // Personal data is refused (the tick names its sign-up by id only).
    Record sealed = attendance_of(a, true);
    Personal p;
    p.name = "山口 花子";
    sealed.sealed = seal_personal(p, f.keys.public_key_b64);
    CHECK(f.push({sealed}).answers[0].result == "rejected");
}

TEST_CASE_TEMPLATE("engines: the rosters a kiosk keeps: its centre's activities from yesterday to 14 days ahead, "
                   "sign-ups without names",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    const std::int64_t now = now_millis();
    auto day = [&](int d) { return rfc3339_utc(now + 9 * 3600000LL + d * 86400000LL).substr(0, 10); };
    CatalogDelta d;
    auto act = [&](const std::string& id, const std::string& centre, const std::string& starts) {
        Activity a;
        a.id = id;
        a.kind = ActivityKind::Event;
        a.title = "教室 " + id;
        a.capacity = 2;
        a.centre_id = centre;
        a.starts_at = starts;
        d.activities.push_back(a);
    };
    act("today", "ohdono", day(0) + "T10:00");
    act("yesterday", "ohdono", day(-1));
    act("old", "ohdono", day(-2) + "T10:00");
    act("later", "ohdono", day(14) + "T09:00");
    act("too-late", "ohdono", day(15) + "T09:00");
    act("elsewhere", "yoshiki", day(0) + "T10:00");
    f.st->import_catalog(d);
    Record a = sign_up(f.keys, "today", 2), b = sign_up(f.keys, "today", 1), c = sign_up(f.keys, "today", 1);
    REQUIRE(f.push({a, b, c}).stored == 3);   // a, b confirmed? a(2) fills it: b, c waitlisted
    REQUIRE(f.st->admin().cancel_signup(c.id, "abe", rfc3339_now()).ok);
    REQUIRE(f.push({attendance_of(a, true)}).stored == 1);

    const Json doc = rosters_for_centre(*f.st, "ohdono", now);
    CHECK(doc["from"] == day(-1));
    CHECK(doc["to"] == day(14));
    std::vector<std::string> ids;
    for (const Json& x : doc["activities"]) ids.push_back(x["id"]);
    CHECK(ids == std::vector<std::string>{"yesterday", "today", "later"});
    const Json& today = doc["activities"][1];
    CHECK(today["title"] == "教室 today");
    REQUIRE(today["signups"].size() == 2);   // the cancelled one is left out
    const Json& sa = today["signups"][0];
    CHECK(sa["signup_id"] == a.id);
    CHECK(sa["receipt"] == receipt_number(a.id));
    CHECK(sa["party_size"] == 2);
    CHECK(sa["status"] == "confirmed");
    CHECK(sa["hint"] == "や");
    CHECK(sa["attended"] == true);
    CHECK(today["signups"][1]["status"] == "waitlisted");
    CHECK(today["signups"][1]["attended"] == false);
    // Nothing personal beyond the one-kana hint.
    const std::string text = doc.dump();
    CHECK(text.find("山口") == std::string::npos);
    CHECK(text.find("やまぐち") == std::string::npos);
    CHECK(text.find("083-922") == std::string::npos);
    CHECK(rosters_for_centre(*f.st, "yoshiki", now)["activities"].size() == 1);
    CHECK(rosters_for_centre(*f.st, "", now)["activities"].empty());
    CHECK(roster_hint("　やまだ") == "や");
    CHECK(roster_hint("") == "");
    CHECK(roster_hint("Smith") == "S");
}

// ---- kiosk quotas as leases (issue 10 point 2; server/ledger.h) ----------------------------

namespace {
void add_activity(Storage& st, const std::string& id, int capacity, const std::string& starts_at = "") {
    CatalogDelta add;
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Event;
    a.title = "将棋教室";
    a.capacity = capacity;
    a.starts_at = starts_at;
    add.activities.push_back(a);
    st.import_catalog(add);
}
Record under_lease(const KeyPair& keys, const std::string& activity, int party, const std::string& lease,
                   const std::string& kiosk = "k1") {
    Record r = sign_up(keys, activity, party, kiosk);
    r.payload["lease"] = lease;
    return r;
}
std::int64_t taken_of(Storage& st, const std::string& id) {
    for (const auto& a : activities_of(st.catalog_since(0)))
        if (a["id"] == id) return a["taken"].get<std::int64_t>();
    return -1;
}
}  // namespace

TEST_CASE_TEMPLATE("engines: a kiosk's lease holds places; sign-ups under it are confirmed even over a waitlist; "
                   "done releases the rest and the line moves up",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    add_activity(*f.st, "ev-q", 10);
    f.st->set_quota_override("ev-q", "k1", 4);
    const std::int64_t now = now_millis();
    QuotaAnswer q = f.st->exchange_quotas("k1", {}, now);
    REQUIRE(q.quotas.size() == 1);
    const std::string lease = q.quotas[0].id;
    CHECK(q.quotas[0].activity_id == "ev-q");
    CHECK(q.quotas[0].places == 4);
    CHECK(q.quotas[0].ends_in_s <= 24 * 3600);
    CHECK(q.quotas[0].ends_in_s >= 24 * 3600 - 2);
    REQUIRE(f.st->leases().size() == 1);
    CHECK(f.st->leases()[0].kiosk_id == "k1");
    CHECK(f.st->leases()[0].released_at.empty());
    // The same exchange again: the same lease, no more places.
    q = f.st->exchange_quotas("k1", {{lease, 0, false}}, now + 1000);
    REQUIRE(q.quotas.size() == 1);
    CHECK(q.quotas[0].id == lease);
    CHECK(q.quotas[0].places == 4);
    CHECK(f.st->leases().size() == 1);

    // The 4 held places are nobody else's: 6 fit, the 7th waits.
    Record a = sign_up(f.keys, "ev-q", 6, "k2"), b = sign_up(f.keys, "ev-q", 1, "k2");
    auto r = f.push({a, b}, "k2");
    CHECK(r.answers[0].signup_status == "confirmed");
    CHECK(r.answers[1].signup_status == "waitlisted");
    // Under the lease: confirmed although someone waits; beyond it: flagged, decided as usual.
    Record c = under_lease(f.keys, "ev-q", 3, lease), d = under_lease(f.keys, "ev-q", 2, lease);
    r = f.push({c, d});
    CHECK(r.answers[0].signup_status == "confirmed");
    CHECK(r.answers[0].flags.empty());
    CHECK(r.answers[1].signup_status == "waitlisted");
    CHECK(r.answers[1].flags == std::vector<std::string>{"lease_exceeded"});
    // Another kiosk naming k1's lease gets nothing from it.
    Record e = under_lease(f.keys, "ev-q", 1, lease, "k2");
    r = f.push({e}, "k2");
    CHECK(r.answers[0].signup_status == "waitlisted");
    CHECK(r.answers[0].flags == std::vector<std::string>{"lease_exceeded"});
    // A replay changes nothing.
    r = f.push({c});
    CHECK(r.answers[0].result == "duplicate");
    CHECK(r.answers[0].signup_status == "confirmed");
    REQUIRE(f.st->leases().size() == 1);
    CHECK(f.st->leases()[0].used == 3);
    CHECK(taken_of(*f.st, "ev-q") == 9);

    // Done, but reporting 4 used while 3 arrived: not released.
    q = f.st->exchange_quotas("k1", {{lease, 4, true}}, now + 2000);
    CHECK(q.quotas.empty());
    CHECK(q.promoted.empty());
    CHECK_FALSE(f.st->leases()[0].done_at.empty());
    CHECK(f.st->leases()[0].released_at.empty());
    CHECK(f.st->record(b.id)->signup_status == "waitlisted");
    f.st->set_quota_override("ev-q", "k1", -1);
    const std::int64_t v = f.st->catalog_version();
    LeaseRow before = f.st->leases()[0];
    CHECK(before.reported_used == 4);
    // A lease is released only when what arrived covers the report: make it cover by a
    // sign-up under it (the 4th place).
    Record g = under_lease(f.keys, "ev-q", 1, lease);
    CHECK(f.push({g}).answers[0].signup_status == "confirmed");
    q = f.st->exchange_quotas("k1", {}, now + 3000);
    CHECK(q.quotas.empty());
    CHECK_FALSE(f.st->leases()[0].released_at.empty());
    CHECK(f.st->leases()[0].used == 4);
    // 6 + 4 = 10 taken: nothing free for b yet (capacity 10).
    CHECK(q.promoted.empty());
    CHECK(f.st->record(b.id)->signup_status == "waitlisted");
    // Staff cancel a: b moves up (places held by nobody now).
    CHECK(f.st->admin().cancel_signup(a.id, "abe", "x").promoted.size() >= 1);
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    CHECK(f.st->catalog_version() > v);
}

TEST_CASE_TEMPLATE("engines: releasing a done lease gives its unused places to the waitlist (notices, updates)", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    add_activity(*f.st, "ev-r", 5);
    f.st->set_quota_override("ev-r", "k1", 3);
    const std::int64_t now = now_millis();
    const QuotaAnswer q = f.st->exchange_quotas("k1", {}, now);
    REQUIRE(q.quotas.size() == 1);
    Record a = sign_up(f.keys, "ev-r", 2, "k2"), b = sign_up(f.keys, "ev-r", 2, "k2");
    auto r = f.push({a, b}, "k2");
    CHECK(r.answers[1].signup_status == "waitlisted");   // 5 − 2 − 3 held = 0 free
    Record c = under_lease(f.keys, "ev-r", 1, q.quotas[0].id);
    CHECK(f.push({c}).answers[0].signup_status == "confirmed");
    const std::int64_t v = f.st->catalog_version();
    const QuotaAnswer done = f.st->exchange_quotas("k1", {{q.quotas[0].id, 1, true}}, now + 1000);
    REQUIRE(done.promoted.size() == 1);
    CHECK(done.promoted[0].id == b.id);
    CHECK(f.st->record(b.id)->signup_status == "confirmed");
    CHECK(taken_of(*f.st, "ev-r") == 5);
    CHECK(f.st->catalog_version() == v + 1);
    const auto k2 = f.st->signup_updates("k2", 10);
    REQUIRE(k2.size() == 1);
    CHECK(k2[0].id == b.id);
    CHECK_FALSE(f.st->leases()[0].released_at.empty());
    // Released leases hold nothing: a capacity raise gives every new place to the line.
    CHECK(f.st->leases()[0].used == 1);
}

TEST_CASE_TEMPLATE("engines: centre shares, the two times, renewal, and a silent kiosk's stranded lease", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    add_activity(*f.st, "ev-s", 10);
    const std::int64_t now = now_millis();
    add_activity(*f.st, "ev-soon", 10, rfc3339_utc(now + 3 * 3600 * 1000));
    f.st->set_quota_share("ohdono", 20);
    f.st->set_quota_setting("quota.silence_s", 3600);
    const QuotaPolicy pol = f.st->quota_policy();
    CHECK(pol.shares.at("ohdono") == 20);
    CHECK(pol.silence_s == 3600);
    CHECK(pol.before_start_s == 7200);
    QuotaAnswer q = f.st->exchange_quotas("k1", {}, now);
    std::map<std::string, server::QuotaGrant> got;
    for (const auto& g : q.quotas) got[g.activity_id] = g;
    REQUIRE(got.count("ev-s"));
    CHECK(got["ev-s"].places == 2);          // floor(10 × 20%)
    CHECK(got["ev-s"].ends_in_s <= 3600);    // last contact + silence
    CHECK(got["ev-s"].ends_in_s >= 3598);
    REQUIRE(got.count("ev-soon"));
    CHECK(got["ev-soon"].ends_in_s <= 3600);   // start − 2 h
    CHECK(got.count("ev-small"));              // capacity 3 × 20% → at least 1
    CHECK(got["ev-small"].places == 1);
    // Renewed by the next contact, never shortened.
    q = f.st->exchange_quotas("k1", {}, now + 1800 * 1000);
    for (const auto& g : q.quotas)
        if (g.activity_id == "ev-s") CHECK(g.ends_in_s >= 3598);
    // k1 falls silent past its end: nothing answered for the old lease; its places stay held
    // (stranded) until it reports it done.
    const std::string old_id = got["ev-s"].id;
    q = f.st->exchange_quotas("k2", {{old_id, 0, true}}, now + 3 * 3600 * 1000);   // not k2's: ignored
    for (const LeaseRow& l : f.st->leases())
        if (l.id == old_id) {
            CHECK(l.done_at.empty());
            CHECK(l.released_at.empty());
        }
    q = f.st->exchange_quotas("k1", {}, now + 3 * 3600 * 1000);
    for (const auto& g : q.quotas) CHECK(g.id != old_id);
    std::int64_t held_s = 0;
    for (const LeaseRow& l : f.st->leases())
        if (l.activity_id == "ev-s" && l.released_at.empty()) held_s += l.places - l.used;
    CHECK(held_s == 2 + 2 + 2);   // k1's stranded 2, k2's new 2, k1's new 2
    // Reported done at last: released.
    f.st->exchange_quotas("k1", {{old_id, 0, true}}, now + 3 * 3600 * 1000 + 1000);
    for (const LeaseRow& l : f.st->leases())
        if (l.id == old_id) CHECK_FALSE(l.released_at.empty());
}
