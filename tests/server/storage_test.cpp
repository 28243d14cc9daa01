// Server storage and ingest semantics (DESIGN.md sync contract) against the SQLite engine.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "server/admin.h"
#include "server/content_hash.h"
#include "server/ingest.h"
#include "server/sqlite_storage.h"
#include "server_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

struct Fixture {
    TempDir dir;
    std::unique_ptr<Storage> st;
    const KeyPair& keys = test_keys();
    Fixture() {
        st = open_sqlite_storage(dir / "server.db");
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
    // Everything ingest may change, except device last-seen bookkeeping.
    std::string snapshot() {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2((dir / "server.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        std::string out;
        for (const char* sql : {"SELECT * FROM records ORDER BY seq", "SELECT id, version, deleted, taken FROM activities ORDER BY id",
                                "SELECT version FROM catalog_state"}) {
            sqlite3_stmt* s = nullptr;
            REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
            while (sqlite3_step(s) == SQLITE_ROW) {
                for (int i = 0; i < sqlite3_column_count(s); ++i) {
                    const auto* t = sqlite3_column_text(s, i);
                    out += t ? reinterpret_cast<const char*>(t) : "NULL";
                    out += '|';
                }
                out += '\n';
            }
            sqlite3_finalize(s);
        }
        sqlite3_close(db);
        return out;
    }
};

}  // namespace

TEST_CASE("schema: the tables and columns other parts rely on exist, and reopening is a no-op") {
    Fixture f;
    f.st.reset();
    f.st = open_sqlite_storage(f.dir / "server.db");   // migrations already applied
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2((f.dir / "server.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    for (const char* sql :
         {"SELECT id, kind, kiosk_id, centre_id, created_at, received_at, content_hash, payload, sealed, personal, "
          "receipt, signup_status, flags, seq FROM records",
          "SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, app_version, backlog FROM devices",
          "SELECT id, version, deleted, json FROM centres", "SELECT id, version, deleted, json FROM organizations",
          "SELECT id, version, deleted, json FROM activities", "SELECT id, version, deleted, json FROM surveys",
          "SELECT version FROM catalog_state", "SELECT COUNT(*) FROM records WHERE id = 'x'"}) {
        sqlite3_stmt* s = nullptr;
        CHECK_MESSAGE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK, sql);
        sqlite3_finalize(s);
    }
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

TEST_CASE("ingest: stored, then duplicate with the same answer, then conflict keeps the first") {
    Fixture f;
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
    CHECK(b.stored == 0);
    CHECK(b.duplicate == 1);

    Record changed = r;
    changed.payload["text"] = "別の内容";
    auto c = f.push({changed});
    CHECK(c.answers[0].result == "conflict");
    CHECK(c.answers[0].code == "conflict");
    CHECK(c.answers[0].receipt.empty());
    auto stored = f.st->record(r.id);
    REQUIRE(stored);
    CHECK(Json::parse(stored->payload)["text"] == "避難所の案内をもっと大きく");
    CHECK(f.st->counts().records == 1);
}

TEST_CASE("ingest: the same id twice in one batch is stored once") {
    Fixture f;
    Record r = opinion();
    auto a = f.push({r, r});
    CHECK(a.answers[0].result == "stored");
    CHECK(a.answers[1].result == "duplicate");
    CHECK(f.st->counts().records == 1);
}

TEST_CASE("ingest: rejections carry a machine-readable code and nothing is stored") {
    Fixture f;
    SUBCASE("too long text") {
        auto a = f.push({opinion("k1", std::string(2001 * 3, 'a'))});
        CHECK(a.answers[0].result == "rejected");
        CHECK(a.answers[0].code == "too_long");
        CHECK(a.answers[0].message.find("payload.text") != std::string::npos);
    }
    SUBCASE("several errors: code of the first, message lists all") {
        Record r = opinion();
        r.payload["text"] = "";
        r.payload["topic"] = std::string(41, 'x');
        auto a = f.push({r});
        CHECK(a.answers[0].result == "rejected");
        CHECK(a.answers[0].message.find("payload.text") != std::string::npos);
        CHECK(a.answers[0].message.find("payload.topic") != std::string::npos);
        CHECK(a.answers[0].message.find("; ") != std::string::npos);
    }
    SUBCASE("unknown kind") {
        Json j = to_json(opinion());
        j["kind"] = "love_letter";
        auto a = f.push_json(Json::array({j}));
        CHECK(a.answers[0].result == "rejected");
        CHECK(a.answers[0].code == "unknown_kind");
        CHECK(a.answers[0].id == j["id"]);
    }
    SUBCASE("not an object") {
        auto a = f.push_json(Json::array({42}));
        CHECK(a.answers[0].code == "bad_record");
        CHECK(a.answers[0].id == "");
    }
    SUBCASE("field of the wrong type") {
        Json j = to_json(opinion());
        j["created_at"] = 12;
        auto a = f.push_json(Json::array({j}));
        CHECK(a.answers[0].code == "bad_record");
        CHECK(a.answers[0].message.find("created_at") != std::string::npos);
    }
    SUBCASE("record from another kiosk than the token's") {
        auto a = f.push({opinion("k2")}, "k1");
        CHECK(a.answers[0].code == "kiosk_mismatch");
    }
    SUBCASE("sealed with another key") {
        const KeyPair other = generate_keypair();
        Record r = sign_up(other, "ev-open", 1);
        auto a = f.push({r});
        CHECK(a.answers[0].code == "bad_seal");
    }
    SUBCASE("sign-up for an activity city hall does not list") {
        auto a = f.push({sign_up(f.keys, "no-such-event", 1)});
        CHECK(a.answers[0].code == "unknown_activity");
    }
    SUBCASE("sign-up without the required personal part") {
        Record r = sign_up(f.keys, "ev-open", 1);
        r.sealed = "";
        auto a = f.push({r});
        CHECK(a.answers[0].result == "rejected");
        CHECK(a.answers[0].code == "required");
    }
    SUBCASE("bad id") {
        Record r = opinion();
        r.id = "not-a-uuid";
        auto a = f.push({r});
        CHECK(a.answers[0].code == "bad_format");
    }
    CHECK(f.st->counts().records == 0);
}

TEST_CASE("ingest: a mixed batch answers each record in order") {
    Fixture f;
    Record good = opinion();
    Record bad = opinion();
    bad.payload["text"] = "";
    Record good2 = opinion();
    auto a = f.push({good, bad, good2});
    REQUIRE(a.answers.size() == 3);
    CHECK(a.answers[0].result == "stored");
    CHECK(a.answers[1].result == "rejected");
    CHECK(a.answers[2].result == "stored");
    CHECK(a.stored == 2);
    CHECK(a.rejected == 1);
    auto s0 = f.st->record(good.id), s2 = f.st->record(good2.id);
    REQUIRE(s0);
    REQUIRE(s2);
    CHECK(s0->seq < s2->seq);
}

TEST_CASE("ingest: personal data is opened and stored server-side") {
    Fixture f;
    Record r = sign_up(f.keys, "ev-open", 2);
    auto a = f.push({r});
    REQUIRE(a.answers[0].result == "stored");
    auto s = f.st->record(r.id);
    REQUIRE(s);
    CHECK(s->sealed == r.sealed);
    const Json p = Json::parse(s->personal);
    CHECK(p["name"] == "山口 花子");
    CHECK(p["furigana"] == "やまぐち はなこ");
    CHECK(s->kind == "sign_up");
    CHECK(s->signup_status == "confirmed");
    CHECK(s->content_hash.size() == 64);
    CHECK(s->flags == "[]");
    Record o = opinion();
    f.push({o});
    CHECK(f.st->record(o.id)->personal == "");
}

TEST_CASE("capacity: confirmed while the party fits, waitlisted after, strictly first come") {
    Fixture f;
    const std::int64_t v0 = f.st->catalog_version();
    // ev-small has capacity 3.
    Record a = sign_up(f.keys, "ev-small", 2), b = sign_up(f.keys, "ev-small", 2), c = sign_up(f.keys, "ev-small", 1),
           d = sign_up(f.keys, "ev-small", 1);
    auto r1 = f.push({a, b});
    CHECK(r1.answers[0].signup_status == "confirmed");
    CHECK(r1.answers[1].signup_status == "waitlisted");
    CHECK(r1.activities_changed == std::vector<std::string>{"ev-small"});
    CHECK(r1.catalog_version == v0 + 1);
    auto r2 = f.push({c, d});
    // A party of 1 would fit the last place, but b came first and is waiting: nobody
    // overtakes the waitlist.
    CHECK(r2.answers[0].signup_status == "waitlisted");
    CHECK(r2.answers[1].signup_status == "waitlisted");
    CHECK(r2.catalog_version == v0 + 1);

    // The catalog tells kiosks: taken 2, new version.
    const Json delta = f.st->catalog_since(v0);
    REQUIRE(delta["activities"].size() == 1);
    CHECK(delta["activities"][0]["id"] == "ev-small");
    CHECK(delta["activities"][0]["taken"] == 2);
    CHECK(delta["activities"][0]["version"] == v0 + 1);
    CHECK(delta["full"] == false);

    // Duplicates answer with the first status and do not count again.
    auto r3 = f.push({b, a});
    CHECK(r3.answers[0].result == "duplicate");
    CHECK(r3.answers[0].signup_status == "waitlisted");
    CHECK(r3.answers[1].signup_status == "confirmed");
    CHECK(r3.activities_changed.empty());
    CHECK(f.st->catalog_version() == v0 + 1);
}

TEST_CASE("many places: every party confirmed, taken counts them all") {
    Fixture f;
    std::vector<Record> recs;
    for (int i = 0; i < 5; ++i) recs.push_back(sign_up(f.keys, "ev-open", 10));
    auto r = f.push(recs);
    for (const auto& a : r.answers) CHECK(a.signup_status == "confirmed");
    const Json full = f.st->catalog_since(0);
    for (const auto& act : full["activities"])
        if (act["id"] == "ev-open") CHECK(act["taken"] == 50);
}

TEST_CASE("idempotent: replaying batches leaves the server's state identical") {
    Fixture f;
    std::vector<Record> batch = {opinion(), sign_up(f.keys, "ev-small", 2), sign_up(f.keys, "ev-small", 2),
                                 opinion(), sign_up(f.keys, "ev-open", 1)};
    Record bad = opinion();
    bad.payload["text"] = "";
    batch.push_back(bad);
    auto first = f.push(batch);
    const std::string before = f.snapshot();
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
        }
    }
    // Half the batch again, reordered, as a kiosk might after a dropped connection.
    f.push({batch[4], batch[1]});
    CHECK(f.snapshot() == before);
}

TEST_CASE("clock skew: stored anyway, flagged, and the flag is in the duplicate's answer too") {
    Fixture f;
    Record r = opinion();
    r.created_at = rfc3339_utc(now_millis() - 3LL * 24 * 3600 * 1000);
    auto a = f.push({r});
    CHECK(a.answers[0].result == "stored");
    CHECK(a.answers[0].flags == std::vector<std::string>{"clock_skew"});
    CHECK(f.st->record(r.id)->flags == "[\"clock_skew\"]");
    auto b = f.push({r});
    CHECK(b.answers[0].result == "duplicate");
    CHECK(b.answers[0].flags == std::vector<std::string>{"clock_skew"});
    Record future = opinion();
    future.created_at = rfc3339_utc(now_millis() + 25LL * 3600 * 1000);
    CHECK(f.push({future}).answers[0].flags == std::vector<std::string>{"clock_skew"});
    Record fine = opinion();
    fine.created_at = rfc3339_utc(now_millis() - 23LL * 3600 * 1000);
    CHECK(f.push({fine}).answers[0].flags.empty());
}

TEST_CASE("devices: enrol, look up by token hash, revoke, re-enrol replaces the token") {
    Fixture f;
    auto d = f.st->device_by_token_hash(sha256_hex("token-1"));
    REQUIRE(d);
    CHECK(d->kiosk_id == "k1");
    CHECK(!d->revoked);
    CHECK(!f.st->device_by_token_hash(sha256_hex("nope")));

    CHECK(f.st->revoke_device("k1", rfc3339_now()));
    CHECK(f.st->device_by_token_hash(sha256_hex("token-1"))->revoked);
    CHECK(!f.st->revoke_device("nobody", rfc3339_now()));
    CHECK(f.st->counts().devices_revoked == 1);

    const std::string token = enrol_kiosk(*f.st, "k1", "ohdono");
    CHECK(!f.st->device_by_token_hash(sha256_hex("token-1")));
    auto again = f.st->device_by_token_hash(sha256_hex(token));
    REQUIRE(again);
    CHECK(!again->revoked);
    CHECK(again->token_hash != token);   // only the hash is stored
    CHECK_THROWS_AS(enrol_kiosk(*f.st, "bad id!", "ohdono"), AdminError);
}

TEST_CASE("devices: a push records last seen, app version and backlog") {
    Fixture f;
    PushMeta m;
    m.kiosk_id = "k1";
    m.app_version = "0.1.0";
    m.backlog = 17;
    m.received_at = "2026-11-22T01:02:03Z";
    f.st->ingest(m, {});
    auto d = f.st->device("k1");
    CHECK(d->last_seen_at == "2026-11-22T01:02:03Z");
    CHECK(d->app_version == "0.1.0");
    CHECK(d->backlog == 17);
    m.app_version = "";
    m.backlog = -1;   // not reported: unchanged
    f.st->ingest(m, {});
    CHECK(f.st->device("k1")->app_version == "0.1.0");
    CHECK(f.st->device("k1")->backlog == 17);
}

TEST_CASE("catalog: versions move only on change; since gives changes and deletions") {
    TempDir dir;
    auto st = open_sqlite_storage(dir / "server.db");
    CHECK(st->catalog_empty());
    CHECK(st->catalog_version() == 0);
    CatalogDelta cat = small_catalog();
    CHECK(st->import_catalog(cat) == 1);
    CHECK(!st->catalog_empty());
    CHECK(st->import_catalog(cat) == 1);   // unchanged: no bump

    const Json full = st->catalog_since(0);
    CHECK(full["full"] == true);
    CHECK(full["version"] == 1);
    CHECK(full["activities"].size() == 2);
    CHECK(full["centres"].size() == 1);
    CHECK(full["organizations"].size() == 1);
    CHECK(full["surveys"].size() == 0);
    // What the server sends decodes with the shared codec.
    const CatalogDelta back = catalog_from_json(full);
    CHECK(back.activities.size() == 2);

    cat.activities[0].title = "防災ワークショップ（改）";
    cat.activities.pop_back();   // full import without ev-open: deleted
    CHECK(st->import_catalog(cat) == 2);
    const Json d = st->catalog_since(1);
    CHECK(d["full"] == false);
    REQUIRE(d["activities"].size() == 1);
    CHECK(d["activities"][0]["title"] == "防災ワークショップ（改）");
    CHECK(d["activities"][0]["version"] == 2);
    CHECK(d["deleted"]["activities"] == Json::array({"ev-open"}));
    CHECK(d["centres"].empty());
    CHECK(st->catalog_since(2)["activities"].empty());
    CHECK(st->counts().activities == 1);

    // A delta that deletes a centre.
    CatalogDelta del;
    del.deleted_centres = {"ohdono"};
    CHECK(st->import_catalog(del) == 3);
    CHECK(st->catalog_since(2)["deleted"]["centres"] == Json::array({"ohdono"}));
    CHECK(st->catalog_since(0)["centres"].empty());
}

// The hash stored with every record must not change with how it is computed: a record
// stored before this code must still answer duplicate (not conflict) when re-sent.
TEST_CASE("content hash: the stored hash is sha256_hex(to_json(record).dump())") {
    Fixture f;
    Record r = opinion();
    r.payload["text"] = "改行\nと\"引用\"と\\と\x01と😀";
    CHECK(content_hash(r, r.payload.dump()) == sha256_hex(to_json(r).dump()));
    CHECK(sha256_hex_fast("") == sha256_hex(""));
    r.payload["text"] = "改行\nと\"引用\"と\\と\tと😀";   // storable (no control character)
    REQUIRE(f.push({r}).answers[0].result == "stored");
    CHECK(f.st->record(r.id)->content_hash == sha256_hex(to_json(r).dump()));
}

TEST_CASE("answers: append_json writes what to_json(answer).dump() writes") {
    std::vector<RecordAnswer> answers(4);
    answers[0] = {"id-1", "stored", "", "", "R-1", "confirmed", {"clock_skew", "x\"y"}};
    answers[1] = {"id-2", "rejected", "too_long", "text is 2,001 characters; the limit is 2,000", "", "", {}};
    answers[2] = {"", "rejected", "bad_record", "record: bad bytes \xff\xfe here", "", "", {}};
    answers[3] = {"id-4", "duplicate", "", "", "R-4", "", {}};
    for (const RecordAnswer& a : answers) {
        std::string out;
        append_json(out, a);
        CHECK(out == to_json(a).dump(-1, ' ', false, Json::error_handler_t::replace));
    }
}

// Group commit (server/sqlite_storage.cpp): pushes that wait while another is written go to
// disk in one transaction. Three pushes are held until all three wait, so one leader takes
// them as one group: each gets its own answers, and the one that fails inside the group (a
// trigger stands for any error while writing it: here its second record) is undone alone —
// its rows and the places its sign-up took — while the other two are committed.
TEST_CASE("group commit: three pushes in one commit answer each alone; one failing loses none of the others") {
    Fixture f;
    f.st->enrol_device("k3", "ohdono", sha256_hex("token-3"), rfc3339_now());
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((f.dir / "server.db").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db,
                             "CREATE TRIGGER fail_marked BEFORE INSERT ON records WHEN NEW.payload LIKE '%FAIL-THIS%' "
                             "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const std::uint64_t groups0 = f.st->ingest_stats().groups;
    std::mutex mu;
    std::condition_variable cv;
    bool held = false, release = false, first = true;
    f.st->set_group_hook([&] {
        std::unique_lock lk(mu);
        if (!first) return;
        first = false;
        held = true;
        cv.notify_all();
        cv.wait(lk, [&] { return release; });
    });
    const Record a1 = opinion("k1"), a2 = opinion("k1");
    const Record b1 = sign_up(f.keys, "ev-small", 3, "k2"), b2 = opinion("k2", "FAIL-THIS");
    const Record c1 = sign_up(f.keys, "ev-small", 3, "k3");
    IngestResult ra, rc;
    std::string b_error;
    std::thread ta([&] { ra = f.push({a1, a2}, "k1"); });
    {
        std::unique_lock lk(mu);
        REQUIRE(cv.wait_for(lk, std::chrono::seconds(60), [&] { return held; }));
    }
    std::thread tb([&] {
        try {
            f.push({b1, b2}, "k2");
        } catch (const StorageError& e) {
            b_error = e.what();
        }
    });
    std::thread tc([&] { rc = f.push({c1}, "k3"); });
    // All three wait in the queue (the held leader's own push included) before it goes on.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (f.st->ingest_stats().waiting < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    CHECK(f.st->ingest_stats().waiting == 3);
    {
        std::lock_guard lk(mu);
        release = true;
    }
    cv.notify_all();
    ta.join();
    tb.join();
    tc.join();
    f.st->set_group_hook({});

    CHECK(f.st->ingest_stats().groups == groups0 + 1);   // one transaction, one fsync
    CHECK(b_error.find("injected failure") != std::string::npos);
    REQUIRE(ra.answers.size() == 2);
    CHECK(ra.stored == 2);
    CHECK(ra.answers[0].id == a1.id);
    CHECK(ra.answers[1].id == a2.id);
    REQUIRE(rc.answers.size() == 1);
    CHECK(rc.answers[0].id == c1.id);
    CHECK(rc.answers[0].result == "stored");
    // The failed push's sign-up took all 3 places before its opinion failed: undone, so the
    // next push of the group still found them free.
    CHECK(rc.answers[0].signup_status == "confirmed");
    CHECK(f.st->record(a1.id).has_value());
    CHECK(f.st->record(a2.id).has_value());
    CHECK(f.st->record(c1.id).has_value());
    CHECK_FALSE(f.st->record(b1.id).has_value());
    CHECK_FALSE(f.st->record(b2.id).has_value());
    CHECK(f.st->counts().records == 3);
    // Arrival numbers stay dense: the undone push gave its seq numbers back.
    CHECK(f.st->record(c1.id)->seq == f.st->record(a2.id)->seq + 1);
    const Json delta = f.st->catalog_since(0);
    bool seen = false;
    for (const Json& act : delta["activities"])
        if (act["id"] == "ev-small") {
            seen = true;
            CHECK(act["taken"] == 3);
        }
    CHECK(seen);

    // The kiosk whose push failed sends it again (as it does after any error) and is answered
    // as if it had never come: its sign-up now waits, its opinion is stored once.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((f.dir / "server.db").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TRIGGER fail_marked", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const IngestResult rb = f.push({b1, b2}, "k2");
    REQUIRE(rb.answers.size() == 2);
    CHECK(rb.answers[0].result == "stored");
    CHECK(rb.answers[0].signup_status == "waitlisted");
    CHECK(rb.answers[1].result == "stored");
    CHECK(f.st->counts().records == 5);
}

// --- WAL checkpoints off the commit path (server/wal_checkpointer.h) ----------------------

namespace {

std::uintmax_t file_size_or_zero(const std::filesystem::path& p) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

std::int64_t count_and_check(const std::filesystem::path& db_path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    std::int64_t n = -1;
    std::string integrity;
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM records", -1, &s, nullptr) == SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW) integrity = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK(integrity == "ok");
    return n;
}

// `pushes` pushes of `per_push` opinions from one kiosk into a fresh SQLite storage with
// `limits`; returns the checkpointer's figures after the last. Checks that the WAL file stayed
// bounded and that every record is stored once in a sound file.
WalCheckpointStats push_with_wal_limits(const WalLimits& limits, int pushes, int per_push, bool wait_for_background) {
    TempDir dir;
    const auto db_path = dir / "server.db";
    auto st = open_sqlite_storage(db_path, limits);
    st->import_catalog(small_catalog());
    st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
    const KeyPair& keys = test_keys();
    std::uintmax_t longest_file = 0;
    for (int i = 0; i < pushes; ++i) {
        Json arr = Json::array();
        for (int j = 0; j < per_push; ++j) arr.push_back(to_json(opinion("k1", "checkpoint " + std::to_string(i * per_push + j))));
        PushMeta m;
        m.kiosk_id = "k1";
        m.received_at = rfc3339_now();
        const IngestResult r = ingest_batch(*st, keys, m, arr, now_millis());
        REQUIRE(r.answers.size() == static_cast<std::size_t>(per_push));
        longest_file = std::max(longest_file, file_size_or_zero(dir / "server.db-wal"));
    }
    // The background pass runs on its own thread: wait (bounded) until it has run.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (wait_for_background && wal_checkpoint_stats(*st).background == 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    const WalCheckpointStats s = wal_checkpoint_stats(*st);
    INFO("background " << s.background << ", at commit " << s.inline_ << ", longest WAL " << s.longest_wal
                       << " pages, longest file " << longest_file << " bytes");
    // One push's frames at most past the bound (a commit is never cut short), and the file
    // is cut back to the bound when the WAL starts over.
    CHECK(s.longest_wal < 2 * limits.max_pages);
    CHECK(longest_file < static_cast<std::uintmax_t>(2 * limits.max_pages) * 4096 + 65536);
    st.reset();
    CHECK(count_and_check(db_path) == pushes * per_push);
    return s;
}

}  // namespace

TEST_CASE("WAL checkpoints: a background thread copies the WAL and the WAL stays bounded") {
    // Pages; the server's are 1000 / 8000. Whether a commit also reaches the bound here
    // depends on how fast the background passes are next to the writer (under ASan they keep
    // up, and none does): the next case reaches it for certain.
    const WalCheckpointStats s = push_with_wal_limits(WalLimits{20, 200}, 40, 100, true);
    CHECK(s.background >= 1);
}

TEST_CASE("WAL checkpoints: a commit that leaves the WAL at the bound checkpoints itself") {
    // The background pass wakes only below the bound, so with both at 200 pages it never runs:
    // the WAL grows push by push until a commit reaches 200 pages and checkpoints it.
    const WalCheckpointStats s = push_with_wal_limits(WalLimits{200, 200}, 10, 100, false);
    CHECK(s.background == 0);
    CHECK(s.inline_ >= 1);   // 1,000 records are well over 200 pages of WAL
}

TEST_CASE("WAL checkpoints: a writer killed while checkpoints run loses no answered push") {
    TempDir dir;
    const auto db_path = dir / "server.db";
    {
        auto st = open_sqlite_storage(db_path);
        st->import_catalog(small_catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
    }
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const int per_push = 50;
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The writer: checkpoints after almost every commit (background and at the bound),
        // tells the parent each push it got an answer for, until it is killed.
        close(fds[0]);
        try {
            auto st = open_sqlite_storage(db_path, WalLimits{2, 40});
            const KeyPair& keys = test_keys();
            for (std::uint32_t i = 1;; ++i) {
                Json arr = Json::array();
                for (int j = 0; j < per_push; ++j) arr.push_back(to_json(opinion("k1", "kill " + std::to_string(j))));
                PushMeta m;
                m.kiosk_id = "k1";
                m.received_at = rfc3339_now();
                const IngestResult r = ingest_batch(*st, keys, m, arr, now_millis());
                if (r.answers.size() != static_cast<std::size_t>(per_push)) _exit(3);
                const WalCheckpointStats s = wal_checkpoint_stats(*st);
                const std::uint32_t msg[2] = {i, static_cast<std::uint32_t>(s.background + s.inline_)};
                if (write(fds[1], msg, sizeof msg) != static_cast<ssize_t>(sizeof msg)) _exit(4);
            }
        } catch (...) {
        }
        _exit(5);
    }
    close(fds[1]);
    std::uint32_t answered = 0, checkpoints = 0;
    std::uint32_t msg[2];
    // Kill it once it has answered 60 pushes and run 40 checkpoints or more, mid-stream
    // (or after 1,000 pushes without them: then the checks below fail).
    while ((answered < 60 || checkpoints < 40) && answered < 1000) {
        const ssize_t n = read(fds[0], msg, sizeof msg);
        if (n != static_cast<ssize_t>(sizeof msg)) break;
        answered = msg[0];
        checkpoints = msg[1];
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    while (read(fds[0], msg, sizeof msg) == static_cast<ssize_t>(sizeof msg)) answered = msg[0];   // its last word
    close(fds[0]);
    INFO("answered " << answered << " pushes, " << checkpoints << " checkpoints before the kill");
    REQUIRE(answered >= 60);
    REQUIRE(checkpoints >= 40);
    CHECK(WIFSIGNALED(status));
    // Every answered push is there (and perhaps one more, committed but not yet reported).
    const std::int64_t stored = count_and_check(db_path);
    CHECK(stored >= static_cast<std::int64_t>(answered) * per_push);
    CHECK(stored <= static_cast<std::int64_t>(answered + 1) * per_push);
    // And the engine opens it and goes on.
    auto st = open_sqlite_storage(db_path);
    CHECK(st->record("no-such-id") == std::nullopt);
}
