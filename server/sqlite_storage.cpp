// SQLite implementation of server/storage.h.
//
// One writing connection guarded by a mutex: SQLite has one writer at a time anyway, and
// ingest is group-committed (concurrent pushes share one transaction and one fsync). The
// reads every push makes outside its transaction (its token's device, the sign-up updates
// owed to its kiosk) go through a second, read-only connection, so they never wait for a
// group's commit (open_reader). The expensive per-record work (JSON, sealed-box opening,
// validation, hashing) happens before, in the HTTP threads, in parallel.
//
// Durability: WAL + synchronous=FULL, so a push answered 200 survives a power cut.
// Schema: forward-only numbered migrations, applied in order inside a transaction and
// recorded in PRAGMA user_version. Never edit a shipped migration; add the next one.
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/seal.h"
#include "core/store.h"
#include "core/uuid.h"
#include "server/ledger.h"
#include "core/timeutil.h"
#include "server/storage.h"
#include "server/civic.h"
#include "server/sqlite_admin.h"
#include "server/bookings.h"
#include "server/groups.h"
#include "server/items.h"
#include "server/talent.h"
#include "server/sqlite_storage.h"
#include "server/wal_checkpointer.h"

namespace kyodo::server {
namespace {

const char* const kMigrations[] = {
    // 1: records, devices, catalog.
    R"sql(
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    created_at TEXT NOT NULL,           -- kiosk clock, not trusted
    received_at TEXT NOT NULL,          -- server clock
    content_hash TEXT NOT NULL,         -- sha256 of the canonical record JSON
    payload TEXT NOT NULL,              -- JSON
    sealed TEXT NOT NULL DEFAULT '',    -- as received (base64 sealed box)
    personal TEXT,                      -- opened personal fields (JSON), NULL when none
    receipt TEXT NOT NULL,
    signup_status TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '[]',   -- JSON array, e.g. ["clock_skew"]
    seq INTEGER NOT NULL,               -- server arrival order
    schema_version INTEGER NOT NULL DEFAULT 1,
    activity_id TEXT NOT NULL DEFAULT '',   -- sign-ups
    party_size INTEGER NOT NULL DEFAULT 0   -- sign-ups
);
CREATE TABLE devices (
    kiosk_id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0,
    enrolled_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL DEFAULT '',
    app_version TEXT NOT NULL DEFAULT '',
    backlog INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE catalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 0);
CREATE TABLE centres (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
CREATE TABLE organizations (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
CREATE TABLE activities (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 0,
    taken INTEGER NOT NULL DEFAULT 0);
CREATE TABLE surveys (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
CREATE INDEX centres_version ON centres (version);
CREATE INDEX organizations_version ON organizations (version);
CREATE INDEX activities_version ON activities (version);
CREATE INDEX surveys_version ON surveys (version);
)sql",
    // 2: signup_updates (the status a kiosk was last told, so later changes reach it) and
    // strict first-come sign-ups (is anyone waitlisted for this activity?).
    R"sql(
ALTER TABLE records ADD COLUMN reported_status TEXT NOT NULL DEFAULT '';
UPDATE records SET reported_status = signup_status;
CREATE INDEX records_signup_updates ON records (kiosk_id, seq) WHERE signup_status <> reported_status;
CREATE INDEX records_waitlisted ON records (activity_id, seq) WHERE signup_status = 'waitlisted';
)sql",
    // 3: a kiosk's cancel record that arrived before its sign-up waits here until the sign-up
    // is stored (server/ledger.h check_cancel). Usually empty.
    R"sql(
CREATE TABLE cancel_waits (
    cancel_id TEXT PRIMARY KEY,         -- the cancel record (kind 'cancel', signup_status 'waiting')
    signup_id TEXT NOT NULL
);
CREATE INDEX cancel_waits_signup ON cancel_waits (signup_id);
)sql",
    // 4: kiosk quotas as leases (server/ledger.h, docs/protocol.md "Kiosk quotas"): city hall's
    // policy (a share per centre, explicit quotas, the two times) and the leases granted.
    R"sql(
CREATE TABLE quota_policy (centre_id TEXT PRIMARY KEY, share_pct INTEGER NOT NULL);
CREATE TABLE quota_overrides (
    activity_id TEXT NOT NULL, kiosk_id TEXT NOT NULL, places INTEGER NOT NULL,
    PRIMARY KEY (activity_id, kiosk_id));
CREATE TABLE quota_settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE leases (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    places INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    ends_at TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    last_contact TEXT NOT NULL,
    reported_used INTEGER NOT NULL DEFAULT 0,
    done_at TEXT NOT NULL DEFAULT '',
    released_at TEXT NOT NULL DEFAULT '');
CREATE INDEX leases_held ON leases (activity_id) WHERE released_at = '';
CREATE INDEX leases_kiosk ON leases (kiosk_id);
)sql",
};
// The places an activity's unreleased leases hold (ledger::Seats::held), as an expression
// over `activities`.
#define KYODO_LEASE_COLS \
    "id, activity_id, kiosk_id, places, used, ends_at, granted_at, last_contact, reported_used, done_at, released_at"
#define KYODO_HELD_SQL \
    "(SELECT COALESCE(SUM(places - used), 0) FROM leases WHERE activity_id = activities.id AND released_at = '')"
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

const char* const kCatalogTables[] = {"centres", "organizations", "activities", "surveys"};

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK)
            throw StorageError(std::string("sqlite prepare: ") + sqlite3_errmsg(db) + " in: " + sql);
    }
    ~Stmt() { sqlite3_finalize(st_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, const std::string& s) {
        check(sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Stmt& bind(int i, const char* s) { return bind(i, std::string(s)); }
    // No copy: `s` must stay alive and unchanged until the statement is reset (the hot
    // insert of ingest binds its record's fields this way).
    Stmt& bind_static(int i, std::string_view s) {
        check(sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) { check(sqlite3_bind_int64(st_, i, v)); return *this; }
    Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Stmt& bind_null(int i) { check(sqlite3_bind_null(st_, i)); return *this; }

    // True while there is a row.
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        const std::string msg = std::string("sqlite: ") + sqlite3_errmsg(db_);
        sqlite3_reset(st_);
        throw StorageError(msg);
    }
    void run() { step(); reset(); }
    void reset() { sqlite3_reset(st_); sqlite3_clear_bindings(st_); }

    std::string text(int col) const {
        const auto* p = sqlite3_column_text(st_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(st_, col)))
                 : std::string();
    }
    std::int64_t i64(int col) const { return sqlite3_column_int64(st_, col); }
    bool is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw StorageError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

// Resets a statement when leaving scope, so an exception never leaves it mid-step.
struct Resetter {
    Stmt& s;
    ~Resetter() { s.reset(); }
};

class SqliteStorage final : public Storage {
public:
    SqliteStorage(const std::string& path, const WalLimits& wal) {
        const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
        if (rc != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StorageError("cannot open " + path + ": " + msg);
        }
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        migrate();
        // Dashboard and open-data reads on a connection of their own (WAL: they see the last
        // commit and never block the writer), opened after the schema exists. An in-memory
        // database has no second connection: its reads share the writer's.
        const bool shared = path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0;
        if (!shared) {
            if (sqlite3_open_v2(path.c_str(), &dash_db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
                const std::string msg = dash_db_ ? sqlite3_errmsg(dash_db_) : "out of memory";
                sqlite3_close(dash_db_);
                sqlite3_close(db_);
                throw StorageError("cannot open " + path + " for reading: " + msg);
            }
            sqlite3_busy_timeout(dash_db_, 5000);
        }
        admin_ = shared ? make_sqlite_admin(db_, mu_, db_, mu_) : make_sqlite_admin(db_, mu_, dash_db_, dash_mu_);   // server/sqlite_storage_admin.cpp
        civic_ = make_sqlite_civic(db_, mu_);   // server/civic_storage.cpp
        notices_ = make_sqlite_notices(db_, mu_);
        talent_ = make_sqlite_talent(db_, mu_);   // server/talent_storage_sqlite.cpp
        groups_ = make_sqlite_groups(db_, mu_);   // server/groups_storage_sqlite.cpp
        bookings_ = make_sqlite_bookings(db_, mu_);   // server/bookings_storage_sqlite.cpp
        items_ = make_sqlite_items(db_, mu_);     // server/items_storage_sqlite.cpp
        Stmt s(db_, "SELECT COALESCE(MAX(seq), 0) FROM records");
        s.step();
        next_seq_ = s.i64(0) + 1;
        open_reader(path);
        // WAL checkpoints off the commit path, on a thread and connection of their own,
        // with the WAL's length bounded (server/wal_checkpointer.h). An in-memory database
        // has no WAL. background_pages <= 0 keeps SQLite's own auto-checkpoint at commit.
        if (!shared && wal.background_pages > 0) checkpointer_ = std::make_unique<WalCheckpointer>(db_, path, wal);
    }
    ~SqliteStorage() override {
        checkpointer_.reset();   // before any connection closes
        rstmts_.clear();
        stmts_.clear();
        admin_.reset();
        civic_.reset();
        notices_.reset();
        talent_.reset();
        groups_.reset();
        bookings_.reset();
        items_.reset();
        sqlite3_close(dash_db_);   // no-op when null
        if (rdb_ != db_) sqlite3_close(rdb_);
        sqlite3_close(db_);
    }

    // --- devices -----------------------------------------------------------------
    // On the read connection: every push asks this before its body is read, and must not
    // wait for a group of other pushes to be written and synced (see open_reader).
    std::optional<Device> device_by_token_hash(const std::string& token_hash) override {
        std::lock_guard lock(*rmu_);
        auto& s = rstmt("SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, "
                       "app_version, backlog FROM devices WHERE token_hash = ?");
        Resetter r{s};
        s.bind(1, token_hash);
        if (!s.step()) return std::nullopt;
        return read_device(s);
    }

    std::optional<Device> device(const std::string& kiosk_id) override {
        std::lock_guard lock(mu_);
        auto& s = stmt("SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, "
                       "app_version, backlog FROM devices WHERE kiosk_id = ?");
        Resetter r{s};
        s.bind(1, kiosk_id);
        if (!s.step()) return std::nullopt;
        return read_device(s);
    }

    std::vector<Device> devices() override {
        std::lock_guard lock(mu_);
        auto& s = stmt("SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, "
                       "app_version, backlog FROM devices ORDER BY kiosk_id");
        Resetter r{s};
        std::vector<Device> out;
        while (s.step()) out.push_back(read_device(s));
        return out;
    }

    std::vector<Device> devices_page(std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(*rmu_);
        Stmt s(rdb_, "SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, "
                     "app_version, backlog FROM devices ORDER BY kiosk_id LIMIT ?1 OFFSET ?2");
        s.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(2, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<Device> out;
        while (s.step()) out.push_back(read_device(s));
        return out;
    }
    std::int64_t device_count() override {
        std::lock_guard lock(*rmu_);
        Stmt s(rdb_, "SELECT COUNT(*) FROM devices");
        return s.step() ? s.i64(0) : 0;
    }

    void enrol_device(const std::string& kiosk_id, const std::string& centre_id,
                      const std::string& token_hash, const std::string& now) override {
        std::lock_guard lock(mu_);
        auto& s = stmt(
            "INSERT INTO devices (kiosk_id, centre_id, token_hash, revoked, enrolled_at) "
            "VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT (kiosk_id) DO UPDATE SET "
            "centre_id = excluded.centre_id, token_hash = excluded.token_hash, revoked = 0, "
            "revoked_at = '', enrolled_at = excluded.enrolled_at");
        s.bind(1, kiosk_id).bind(2, centre_id).bind(3, token_hash).bind(4, now);
        s.run();
    }

    bool revoke_device(const std::string& kiosk_id, const std::string& now) override {
        std::lock_guard lock(mu_);
        auto& s = stmt("UPDATE devices SET revoked = 1, revoked_at = ?2 WHERE kiosk_id = ?1");
        s.bind(1, kiosk_id).bind(2, now);
        s.run();
        return sqlite3_changes(db_) > 0;
    }

    void touch_device(const std::string& kiosk_id, const std::string& now) override {
        std::lock_guard lock(mu_);
        auto& s = stmt("UPDATE devices SET last_seen_at = ?2 WHERE kiosk_id = ?1");
        s.bind(1, kiosk_id).bind(2, now);
        s.run();
    }

    // --- records -----------------------------------------------------------------
    // Group commit: pushes arriving while another is being written wait, then go to disk
    // together in ONE transaction (one fsync for all of them). Each push still gets exactly
    // its own answers, computed in arrival order. Each push is written under a savepoint: if
    // one fails, it alone is rolled back and gets the exception, and the others of the group
    // are committed. If the commit itself fails, every push in the group gets the exception
    // and nothing of the group is stored.
    IngestResult ingest(const PushMeta& meta, const std::vector<PreparedRecord>& batch) override {
        Pending me;
        me.meta = &meta;
        me.batch = &batch;
        std::unique_lock lk(group_mu_);
        queue_.push_back(&me);
        while (!me.done) {
            if (leader_active_) {
                group_cv_.wait(lk);
                continue;
            }
            leader_active_ = true;
            std::vector<Pending*> group;
            std::size_t records = 0;
            if (group_hook_) {   // tests: hold the leader before it takes its group
                lk.unlock();
                group_hook_();
                lk.lock();
            }
            while (!queue_.empty() && (group.empty() || records + queue_.front()->batch->size() <= kMaxGroupRecords)) {
                records += queue_.front()->batch->size();
                group.push_back(queue_.front());
                queue_.pop_front();
            }
            ++groups_written_;
            lk.unlock();
            std::exception_ptr error;
            try {
                write_group(group);
            } catch (...) {
                error = std::current_exception();
            }
            lk.lock();
            for (Pending* p : group) {
                if (error) p->error = error;
                p->done = true;
            }
            leader_active_ = false;
            group_cv_.notify_all();
        }
        if (me.error) std::rethrow_exception(me.error);
        return std::move(me.result);
    }

    IngestStats ingest_stats() override {
        std::lock_guard lk(group_mu_);
        return IngestStats{queue_.size(), groups_written_};
    }
    WalCheckpointStats checkpoint_stats() const { return checkpointer_ ? checkpointer_->stats() : WalCheckpointStats{}; }
    void set_group_hook(std::function<void()> hook) override {
        std::lock_guard lk(group_mu_);
        group_hook_ = std::move(hook);
    }

    std::optional<StoredRecord> record(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto& s = stmt("SELECT id, kind, kiosk_id, centre_id, created_at, received_at, content_hash, payload, "
                       "sealed, COALESCE(personal, ''), receipt, signup_status, flags, seq FROM records WHERE id = ?");
        Resetter r{s};
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        StoredRecord x;
        x.id = s.text(0); x.kind = s.text(1); x.kiosk_id = s.text(2); x.centre_id = s.text(3);
        x.created_at = s.text(4); x.received_at = s.text(5); x.content_hash = s.text(6);
        x.payload = s.text(7); x.sealed = s.text(8); x.personal = s.text(9); x.receipt = s.text(10);
        x.signup_status = s.text(11); x.flags = s.text(12); x.seq = s.i64(13);
        return x;
    }

    // On the read connection (committed rows only), one point read per id.
    std::vector<Json> activities_by_id(const std::vector<std::string>& ids) override {
        std::vector<Json> out;
        if (ids.empty()) return out;
        std::lock_guard lock(*rmu_);
        auto& s = rstmt("SELECT json, version, taken FROM activities WHERE id = ?1 AND deleted = 0");
        for (const std::string& id : ids) {
            Resetter r{s};
            s.bind(1, id);
            if (!s.step()) continue;
            Json j = Json::parse(s.text(0));
            j["version"] = s.i64(1);
            j["taken"] = s.i64(2);
            out.push_back(std::move(j));
        }
        return out;
    }

    CatalogPage catalog_page(const std::string& table, const CatalogFilter& f, std::size_t limit, std::size_t offset) override {
        if (std::find(std::begin(kCatalogTables), std::end(kCatalogTables), table) == std::end(kCatalogTables))
            throw StorageError("catalog_page: no table " + table);
        const bool is_act = table == "activities";
        // ?1 kind, ?2 not kind, ?3 title contains ("" = any); the title is "name" for centres and organizations.
        const std::string where = " FROM " + table +
                                  " WHERE deleted = 0 AND (?1 = '' OR json_extract(json, '$.kind') = ?1) "
                                  "AND (?2 = '' OR COALESCE(json_extract(json, '$.kind'), '') <> ?2) "
                                  "AND (?3 = '' OR instr(COALESCE(json_extract(json, '$.title'), json_extract(json, '$.name'), ''), ?3) > 0) "
                                  "AND (?6 = '' OR (json_extract(json, '$.capacity') > 0 AND "
                                  "substr(COALESCE(json_extract(json, '$.starts_at'), ''), 1, 10) >= ?6)) "
                                  "AND (?7 = '' OR (json_type(json, '$.extra') = 'object' AND json_type(json, '$.extra.' || ?7) IS NOT NULL))";
        const std::string order = f.starts_from.empty() ? " ORDER BY version, id" : " ORDER BY json_extract(json, '$.starts_at'), id";
        std::lock_guard lock(*rmu_);
        CatalogPage out;
        {
            Stmt c(rdb_, ("SELECT COUNT(*)" + where).c_str());
            c.bind(1, f.kind).bind(2, f.not_kind).bind(3, f.title_has).bind(6, f.starts_from).bind(7, f.extra_has);
            if (c.step()) out.total = c.i64(0);
        }
        Stmt s(rdb_, (std::string("SELECT json, version") + (is_act ? ", taken" : "") + where + order + " LIMIT ?4 OFFSET ?5").c_str());
        s.bind(1, f.kind).bind(2, f.not_kind).bind(3, f.title_has).bind(6, f.starts_from).bind(7, f.extra_has)
            .bind(4, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(5, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        while (s.step()) {
            Json j = Json::parse(s.text(0));
            j["version"] = s.i64(1);
            if (is_act) j["taken"] = s.i64(2);
            out.items.push_back(std::move(j));
        }
        return out;
    }

    // On the read connection (committed rows only): asked by every push after its commit.
    std::vector<SignupUpdate> signup_updates(const std::string& kiosk_id, std::size_t limit) override {
        std::lock_guard lock(*rmu_);
        auto& s = rstmt("SELECT id, receipt, signup_status FROM records "
                       "WHERE kiosk_id = ?1 AND signup_status <> reported_status ORDER BY seq LIMIT ?2");
        Resetter r{s};
        s.bind(1, kiosk_id).bind(2, static_cast<std::int64_t>(limit));
        std::vector<SignupUpdate> out;
        while (s.step()) out.push_back(SignupUpdate{s.text(0), s.text(1), s.text(2)});
        return out;
    }

    int ack_signup_updates(const std::string& kiosk_id, const std::vector<SignupUpdate>& acks) override {
        if (acks.empty()) return 0;
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        auto& s = stmt("UPDATE records SET reported_status = ?3 "
                       "WHERE id = ?1 AND kiosk_id = ?2 AND signup_status = ?3 AND reported_status <> ?3");
        int n = 0;
        for (const SignupUpdate& a : acks) {
            s.bind(1, a.id).bind(2, kiosk_id).bind(3, a.signup_status);
            s.run();
            n += sqlite3_changes(db_);
        }
        tx.commit();
        return n;
    }

    // --- catalog -----------------------------------------------------------------
    std::int64_t catalog_version() override {
        std::lock_guard lock(mu_);
        return read_catalog_version();
    }

    std::int64_t records_mark() override {
        std::lock_guard lock(mu_);
        return next_seq_ - 1;   // this process is the database's only writer
    }

    bool catalog_empty() override {
        std::lock_guard lock(mu_);
        for (const char* t : kCatalogTables) {
            Stmt s(db_, (std::string("SELECT EXISTS (SELECT 1 FROM ") + t + ")").c_str());
            s.step();
            if (s.i64(0)) return false;
        }
        return true;
    }

    using Storage::import_catalog;
    std::int64_t import_catalog(const CatalogDelta& d, std::vector<Promotion>* promoted) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        const std::int64_t current = read_catalog_version();
        const std::int64_t next = current + 1;
        bool changed = false;
        std::vector<std::string> capacity_changed;   // live activities whose capacity moved
        const std::string now = rfc3339_now();

        auto upsert = [&](const char* table, const std::string& id, Json j, const Activity* a) {
            j.erase("version");
            j.erase("taken");
            const std::string text = j.dump();
            Stmt sel(db_, (std::string("SELECT json, deleted") + (a ? ", capacity" : "") + " FROM " + table +
                           " WHERE id = ?").c_str());
            sel.bind(1, id);
            const bool exists = sel.step();
            if (exists && sel.i64(1) == 0 && sel.text(0) == text) return;   // unchanged
            changed = true;
            if (a && exists && sel.i64(2) != a->capacity) capacity_changed.push_back(id);
            if (a && exists && sel.i64(1) == 0) {
                // Its date or place moved: tell who signed up, in this transaction (server/notices.h).
                if (auto moved = activity_moved_detail(sel.text(0), text))
                    sqlite_queue_activity_notices(db_, id, "activity_moved", *moved, now,
                                                  sha256_hex(text).substr(0, 16));
            }
            if (a) {
                Stmt s(db_, "INSERT INTO activities (id, version, deleted, json, capacity, taken) "
                            "VALUES (?1, ?2, 0, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
                            "version = excluded.version, deleted = 0, json = excluded.json, "
                            "capacity = excluded.capacity");
                s.bind(1, id).bind(2, next).bind(3, text).bind(4, a->capacity).bind(5, a->taken);
                s.run();
            } else {
                Stmt s(db_, (std::string("INSERT INTO ") + table +
                             " (id, version, deleted, json) VALUES (?1, ?2, 0, ?3) ON CONFLICT (id) DO UPDATE SET "
                             "version = excluded.version, deleted = 0, json = excluded.json").c_str());
                s.bind(1, id).bind(2, next).bind(3, text);
                s.run();
            }
        };
        auto remove = [&](const char* table, const std::string& id) {
            if (std::string(table) == "activities") {
                // Withdrawn: the activity is cancelled for everyone signed up (server/notices.h).
                Stmt sel(db_, "SELECT json FROM activities WHERE id = ?1 AND deleted = 0");
                sel.bind(1, id);
                if (sel.step())
                    sqlite_queue_activity_notices(db_, id, "activity_cancelled", activity_cancelled_detail(sel.text(0)),
                                                  now, std::to_string(next));
            }
            Stmt s(db_, (std::string("UPDATE ") + table +
                         " SET deleted = 1, version = ?2 WHERE id = ?1 AND deleted = 0").c_str());
            s.bind(1, id).bind(2, next);
            s.run();
            if (sqlite3_changes(db_) > 0) changed = true;
        };
        auto remove_unlisted = [&](const char* table, const std::set<std::string>& keep) {
            std::vector<std::string> gone;
            Stmt s(db_, (std::string("SELECT id FROM ") + table + " WHERE deleted = 0").c_str());
            while (s.step()) {
                std::string id = s.text(0);
                if (!keep.count(id)) gone.push_back(std::move(id));
            }
            for (const auto& id : gone) remove(table, id);
        };

        std::set<std::string> ids[4];
        for (const auto& x : d.centres) { upsert("centres", x.id, to_json(x), nullptr); ids[0].insert(x.id); }
        for (const auto& x : d.organizations) { upsert("organizations", x.id, to_json(x), nullptr); ids[1].insert(x.id); }
        for (const auto& x : d.activities) { upsert("activities", x.id, to_json(x), &x); ids[2].insert(x.id); }
        for (const auto& x : d.surveys) { upsert("surveys", x.id, to_json(x), nullptr); ids[3].insert(x.id); }
        for (const auto& id : d.deleted_centres) remove("centres", id);
        for (const auto& id : d.deleted_organizations) remove("organizations", id);
        for (const auto& id : d.deleted_activities) remove("activities", id);
        for (const auto& id : d.deleted_surveys) remove("surveys", id);
        if (d.full) {
            for (int i = 0; i < 4; ++i) remove_unlisted(kCatalogTables[i], ids[i]);
        }
        if (!changed) return current;   // the transaction rolls back: nothing was written
        // A raised capacity moves the waitlist up (server/ledger.h); a cut drops nobody.
        for (const std::string& id : capacity_changed) {
            ledger::Seats seats;
            {
                auto& s = stmt("SELECT capacity, taken, " KYODO_HELD_SQL " FROM activities WHERE id = ?1 AND deleted = 0");
                Resetter r{s};
                s.bind(1, id);
                if (!s.step()) continue;
                seats.capacity = s.i64(0);
                seats.taken = s.i64(1);
                seats.held = s.i64(2);
            }
            const ledger::CapacityOutcome out = ledger::change_capacity(seats, seats.capacity, waitlist(id));
            confirm(out.promoted, id, promoted, now);
            if (out.taken_changed) {
                auto& u = stmt("UPDATE activities SET taken = ?2 WHERE id = ?1");
                u.bind(1, id).bind(2, seats.taken);
                u.run();
            }
        }
        set_catalog_version(next);
        tx.commit();
        return next;
    }

    Json catalog_since(std::int64_t since) override {
        std::lock_guard lock(mu_);
        // One read transaction so the document is a consistent snapshot.
        Transaction tx(*this, /*write=*/false);
        const bool full = since <= 0;
        Json doc = Json::object();
        doc["version"] = read_catalog_version();
        doc["full"] = full;
        Json deleted = Json::object();
        for (const char* table : kCatalogTables) {
            const bool is_act = std::string(table) == "activities";
            std::string sql = std::string("SELECT id, version, deleted, json") + (is_act ? ", taken" : "") +
                              " FROM " + table + (full ? " WHERE deleted = 0" : " WHERE version > ?1") +
                              " ORDER BY version, id";
            Stmt s(db_, sql.c_str());
            if (!full) s.bind(1, since);
            Json items = Json::array();
            Json gone = Json::array();
            while (s.step()) {
                if (s.i64(2)) {
                    gone.push_back(s.text(0));
                    continue;
                }
                Json j = Json::parse(s.text(3));
                j["version"] = s.i64(1);
                if (is_act) j["taken"] = s.i64(4);
                items.push_back(std::move(j));
            }
            doc[table] = std::move(items);
            deleted[table] = std::move(gone);
        }
        doc["deleted"] = std::move(deleted);
        tx.commit();
        return doc;
    }

    // --- kiosk quotas as leases (server/ledger.h) ----------------------------------------
    QuotaPolicy quota_policy() override {
        std::lock_guard lock(mu_);
        return read_policy();
    }
    void set_quota_share(const std::string& centre_id, std::int64_t share_pct) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, share_pct > 0 ? "INSERT INTO quota_policy (centre_id, share_pct) VALUES (?1, ?2) "
                                    "ON CONFLICT (centre_id) DO UPDATE SET share_pct = excluded.share_pct"
                                  : "DELETE FROM quota_policy WHERE centre_id = ?1");
        s.bind(1, centre_id);
        if (share_pct > 0) s.bind(2, std::min<std::int64_t>(share_pct, 100));
        s.run();
    }
    void set_quota_override(const std::string& activity_id, const std::string& kiosk_id,
                            std::int64_t places) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, places >= 0 ? "INSERT INTO quota_overrides (activity_id, kiosk_id, places) VALUES (?1, ?2, ?3) "
                                  "ON CONFLICT (activity_id, kiosk_id) DO UPDATE SET places = excluded.places"
                                : "DELETE FROM quota_overrides WHERE activity_id = ?1 AND kiosk_id = ?2");
        s.bind(1, activity_id).bind(2, kiosk_id);
        if (places >= 0) s.bind(3, places);
        s.run();
    }
    void set_quota_setting(const std::string& name, std::int64_t value) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "INSERT INTO quota_settings (name, value) VALUES (?1, ?2) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        s.bind(1, name).bind(2, value);
        s.run();
    }

    QuotaAnswer exchange_quotas(const std::string& kiosk_id, const std::vector<QuotaReport>& reports,
                                std::int64_t now_ms) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        const QuotaPolicy pol = read_policy();
        std::string centre;
        {
            Stmt q(db_, "SELECT centre_id FROM devices WHERE kiosk_id = ?1");
            q.bind(1, kiosk_id);
            if (q.step()) centre = q.text(0);
        }
        const std::int64_t share = pol.shares.count(centre) ? pol.shares.at(centre) : 0;
        std::map<std::string, std::int64_t> explicit_places;
        for (const QuotaOverride& o : pol.overrides)
            if (o.kiosk_id == kiosk_id) explicit_places[o.activity_id] = o.places;
        std::vector<ledger::Lease> mine;
        std::set<std::string> lease_acts;
        {
            Stmt q(db_, "SELECT " KYODO_LEASE_COLS " FROM leases WHERE kiosk_id = ?1 ORDER BY rowid");
            q.bind(1, kiosk_id);
            while (q.step()) {
                mine.push_back(ledger::from_row(read_lease_row(q)));
                lease_acts.insert(mine.back().activity_id);
            }
        }
        std::map<std::string, ledger::QuotaActivity> acts;
        {
            Stmt q(db_, "SELECT id, capacity, taken, " KYODO_HELD_SQL ", EXISTS (SELECT 1 FROM records "
                        "WHERE activity_id = activities.id AND signup_status = 'waitlisted'), json "
                        "FROM activities WHERE deleted = 0");
            while (q.step()) {
                const std::string id = q.text(0);
                auto ov = explicit_places.find(id);
                std::int64_t target =
                    ledger::quota_target(q.i64(1), ov == explicit_places.end() ? -1 : ov->second, share);
                if (target <= 0 && !lease_acts.count(id)) continue;
                const Json j = Json::parse(q.text(5), nullptr, false);
                if (ov == explicit_places.end()) target = ledger::quota_target(q.i64(1), -1, ledger::share_for(j, share));
                if (target <= 0 && !lease_acts.count(id)) continue;
                ledger::QuotaActivity a;
                a.seats = ledger::Seats{q.i64(1), q.i64(2), q.i64(3), q.i64(4) != 0};
                a.target = target;
                if (j.is_object() && j.contains("starts_at") && j["starts_at"].is_string())
                    a.start_ms = ledger::activity_start_ms(j["starts_at"].get<std::string>());
                acts.emplace(id, std::move(a));
            }
        }
        const ledger::QuotaSettings settings{pol.silence_s, pol.before_start_s};
        const ledger::QuotaExchangeOutcome o = ledger::exchange_quotas(
            kiosk_id, now_ms, settings, std::move(mine), reports, acts,
            [&](const std::string& a) { return waitlist(a); }, [] { return new_uuid_v7(); });
        for (const ledger::Lease& l : o.write) write_lease(ledger::to_row(l));
        QuotaAnswer ans;
        ans.quotas = o.quotas;
        const std::string now = rfc3339_utc(now_ms);
        std::map<std::string, std::vector<std::string>> by_act;
        for (const auto& [id, act] : o.promoted) by_act[act].push_back(id);
        for (const auto& [act, ids] : by_act) confirm(ids, act, &ans.promoted, now);
        if (!o.taken_changed.empty()) {
            const std::int64_t version = read_catalog_version() + 1;
            set_catalog_version(version);
            for (const std::string& act : o.taken_changed) {
                auto& u = stmt("UPDATE activities SET taken = ?2, version = ?3 WHERE id = ?1");
                u.bind(1, act).bind(2, acts.at(act).seats.taken).bind(3, version);
                u.run();
            }
        }
        tx.commit();
        return ans;
    }

    std::vector<LeaseRow> leases() override {
        std::lock_guard lock(mu_);
        Stmt q(db_, "SELECT " KYODO_LEASE_COLS " FROM leases ORDER BY rowid");
        std::vector<LeaseRow> out;
        while (q.step()) out.push_back(read_lease_row(q));
        return out;
    }

    std::vector<LeaseRow> leases_page(std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(*rmu_);
        Stmt q(rdb_, "SELECT " KYODO_LEASE_COLS " FROM leases ORDER BY rowid DESC LIMIT ?1 OFFSET ?2");
        q.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(2, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<LeaseRow> out;
        while (q.step()) out.push_back(read_lease_row(q));
        return out;
    }
    LeaseCounts lease_counts(const std::string& now) override {
        std::lock_guard lock(*rmu_);
        Stmt q(rdb_, "SELECT COALESCE(SUM(released_at = '' AND done_at = '' AND ends_at > ?1), 0), "
                     "COALESCE(SUM(released_at <> ''), 0), COUNT(*) FROM leases");
        q.bind(1, now);
        LeaseCounts c;
        if (q.step()) {
            c.live = q.i64(0);
            c.released = q.i64(1);
            c.stranded = q.i64(2) - c.live - c.released;
        }
        return c;
    }

    AdminStorage& admin() override { return *admin_; }
    CivicStorage& civic() override { return *civic_; }
    NoticeStorage& notices() override { return *notices_; }
    TalentStorage& talent() override { return *talent_; }
    GroupStorage& groups() override { return *groups_; }
    BookingStorage& bookings() override { return *bookings_; }
    ItemStorage& items() override { return *items_; }

    StorageCounts counts() override {
        std::lock_guard lock(mu_);
        StorageCounts c;
        {
            Stmt s(db_, "SELECT kind, COUNT(*) FROM records GROUP BY kind");
            while (s.step()) {
                c.records_by_kind[s.text(0)] = s.i64(1);
                c.records += s.i64(1);
            }
        }
        {
            Stmt s(db_, "SELECT COUNT(*), COALESCE(SUM(revoked), 0) FROM devices");
            s.step();
            c.devices = s.i64(0);
            c.devices_revoked = s.i64(1);
        }
        std::int64_t* dst[4] = {&c.centres, &c.organizations, &c.activities, &c.surveys};
        for (int i = 0; i < 4; ++i) {
            Stmt s(db_, (std::string("SELECT COUNT(*) FROM ") + kCatalogTables[i] + " WHERE deleted = 0").c_str());
            s.step();
            *dst[i] = s.i64(0);
        }
        c.catalog_version = read_catalog_version();
        return c;
    }

private:
    struct ActivityState {
        bool exists = false;
        ledger::Seats seats;
        bool changed = false;
    };
    using ActivityMap = std::unordered_map<std::string, ActivityState>;

    struct Pending {
        const PushMeta* meta = nullptr;
        const std::vector<PreparedRecord>* batch = nullptr;
        IngestResult result;
        std::exception_ptr error;
        bool done = false;
    };
    static constexpr std::size_t kMaxGroupRecords = 20000;

    void write_group(const std::vector<Pending*>& group) {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        ActivityMap activities;
        std::int64_t seq = next_seq_;
        std::vector<std::vector<std::string>> changed_by(group.size());
        for (std::size_t g = 0; g < group.size(); ++g) {
            Pending& pd = *group[g];
            pd.result = IngestResult{};
            // Each push under its own savepoint: a push that fails is undone alone (its rows,
            // its seats in `activities`, its seq numbers) and gets its exception; the rest of
            // the group goes on. Only the usual opinion-sized copy of `activities` (empty
            // unless the push holds sign-ups or cancels) is taken.
            const ActivityMap before = activities;
            const std::int64_t seq_before = seq;
            exec("SAVEPOINT push");
            try {
                ingest_one(*pd.meta, *pd.batch, activities, seq, pd.result, changed_by[g]);
                exec("RELEASE push");
            } catch (...) {
                // Some errors (disk full, I/O) end the whole transaction: then nothing of the
                // group is left to commit, and every push of it must hear the failure.
                if (sqlite3_get_autocommit(db_)) throw;
                exec("ROLLBACK TO push");
                exec("RELEASE push");
                activities = before;
                seq = seq_before;
                changed_by[g].clear();
                pd.result = IngestResult{};
                pd.error = std::current_exception();
            }
        }
        std::int64_t version = read_catalog_version();
        bool bumped = false;
        for (auto& [id, st] : activities) {
            if (!st.changed) continue;
            if (!bumped) {
                ++version;
                set_catalog_version(version);
                bumped = true;
            }
            auto& s = stmt("UPDATE activities SET taken = ?2, version = ?3 WHERE id = ?1");
            s.bind(1, id).bind(2, st.seats.taken).bind(3, version);
            s.run();
        }
        tx.commit();
        next_seq_ = seq;
        for (std::size_t g = 0; g < group.size(); ++g) {
            auto& ch = changed_by[g];
            std::sort(ch.begin(), ch.end());
            ch.erase(std::unique(ch.begin(), ch.end()), ch.end());
            group[g]->result.activities_changed = std::move(ch);
            group[g]->result.catalog_version = version;
        }
    }

    // One push inside the group's transaction.
    void ingest_one(const PushMeta& meta, const std::vector<PreparedRecord>& batch, ActivityMap& activities,
                    std::int64_t& seq, IngestResult& out, std::vector<std::string>& changed) {
        out.answers.reserve(batch.size());
        {
            auto& s = stmt(
                "UPDATE devices SET last_seen_at = ?2, "
                "app_version = CASE WHEN ?3 = '' THEN app_version ELSE ?3 END, "
                "backlog = CASE WHEN ?4 < 0 THEN backlog ELSE ?4 END WHERE kiosk_id = ?1");
            s.bind(1, meta.kiosk_id).bind(2, meta.received_at).bind(3, meta.app_version).bind(4, meta.backlog);
            s.run();
        }
        auto& find = stmt("SELECT content_hash, receipt, signup_status, flags FROM records WHERE id = ?");
        auto& insert = stmt(
            "INSERT INTO records (id, kind, kiosk_id, centre_id, created_at, received_at, content_hash, "
            "payload, sealed, personal, receipt, signup_status, flags, seq, schema_version, activity_id, "
            "party_size, reported_status) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?12) "
            "ON CONFLICT (id) DO NOTHING");
        // The id already stored (earlier, or earlier in this batch): answer duplicate with
        // the first answer, or conflict when the content differs. False when it is new.
        auto answer_existing = [&](const PreparedRecord& p) {
            Resetter r{find};
            find.bind(1, p.id);
            if (!find.step()) return false;
            ledger::tally(out, ledger::answer_again(
                                   p.id, ledger::Stored{find.text(0), find.text(1), find.text(2), parse_flags(find.text(3))},
                                   p.content_hash));
            return true;
        };

        for (const PreparedRecord& p : batch) {
            if (p.rejected()) {
                ledger::tally(out, ledger::answer_rejected(p.id, p.reject_code, p.reject_message));
                continue;
            }
            RecordAnswer a;
            a.id = p.id;
            const bool signup = p.record.kind == RecordKind::SignUp;
            const bool cancel = p.record.kind == RecordKind::Cancel;
            const bool attendance = p.record.kind == RecordKind::Attendance;
            bool lease_exceeded = false;
            // A sign-up (or cancel) is looked up first: its ledger decision must only be taken
            // for a new one. Other records are inserted straight away (ON CONFLICT DO NOTHING)
            // and looked up only when the insert found the id taken: one b-tree search fewer
            // for the usual new record, in the writer's serial section.
            if ((signup || cancel || attendance) && answer_existing(p)) continue;
            if (attendance) {   // a tick at the kiosk's 受付 (ledger::check_attendance)
                const ledger::SignupDecision d = apply_attendance(p, meta);
                if (d.rejected()) {
                    ledger::tally(out, ledger::answer_rejected(p.id, d.code, d.message));
                    continue;
                }
            }
            if (cancel) {
                const ledger::SignupDecision d =
                    decide_cancel(p.cancel_of, p.cancel_receipt, p.cancel_code, meta, activities, out, changed);
                if (d.rejected()) {
                    ledger::tally(out, ledger::answer_rejected(p.id, d.code, d.message));
                    continue;
                }
                a.signup_status = d.status;   // cancelled, or waiting for its sign-up
                if (d.status == ledger::kWaiting) {
                    auto& w = stmt("INSERT INTO cancel_waits (cancel_id, signup_id) VALUES (?1, ?2)");
                    w.bind(1, p.id).bind(2, p.cancel_of);
                    w.run();
                }
            }
            if (signup) {
                ActivityState& st = seats_of(activities, p.activity_id);
                if (!st.exists) {
                    ledger::tally(out, ledger::answer_rejected(p.id, "unknown_activity",
                                                               "payload.activity_id: no activity \"" + p.activity_id +
                                                                   "\" in the catalog"));
                    continue;
                }
                // Confirmed on the spot under the kiosk's lease: honoured whenever it fits the
                // lease (ledger::use_lease); else decided as any sign-up and flagged.
                bool under_lease = false;
                if (!p.lease.empty()) {
                    if (std::optional<ledger::Lease> l = read_lease(p.lease)) {
                        under_lease = ledger::use_lease(st.seats, *l, p.record.kiosk_id, p.activity_id, p.party_size);
                        if (under_lease) {
                            auto& u = stmt("UPDATE leases SET used = ?2 WHERE id = ?1");
                            u.bind(1, l->id).bind(2, l->used);
                            u.run();
                        }
                    }
                    lease_exceeded = !under_lease;
                }
                ledger::SignupDecision d;
                if (under_lease) d.status = ledger::kConfirmed;
                else d = ledger::decide_signup(st.seats, p.party_size, p.activity_id);
                if (d.rejected()) {
                    ledger::tally(out, ledger::answer_rejected(p.id, d.code, d.message));
                    continue;
                }
                a.signup_status = d.status;
                if (d.status == ledger::kConfirmed) {
                    st.changed = true;
                    changed.push_back(p.activity_id);
                }
            }
            a.result = "stored";
            a.receipt = receipt_number(p.id);
            a.flags = p.flags;
            if (lease_exceeded) a.flags.push_back(ledger::kLeaseExceeded);
            const Record& rec = p.record;
            const std::string flags = flags_json(a.flags);
            const std::string_view none = "";   // not string_view(): a null pointer binds NULL
            // Every bound string outlives the step below: the Resetter clears the bindings
            // right after it.
            insert.bind_static(1, p.id).bind_static(2, to_code(rec.kind)).bind_static(3, rec.kiosk_id);
            insert.bind_static(4, rec.centre_id).bind_static(5, rec.created_at).bind_static(6, meta.received_at);
            insert.bind_static(7, p.content_hash).bind_static(8, p.payload_json).bind_static(9, rec.sealed);
            if (p.personal_json.empty()) insert.bind_null(10); else insert.bind_static(10, p.personal_json);
            insert.bind_static(11, a.receipt).bind_static(12, a.signup_status).bind_static(13, flags);
            insert.bind(14, seq).bind(15, rec.schema_version);
            insert.bind_static(16, signup ? std::string_view(p.activity_id) : none).bind(17, signup ? p.party_size : 0);
            bool inserted;
            {
                Resetter r{insert};
                insert.step();
                inserted = sqlite3_changes(db_) > 0;
            }
            if (!inserted) {   // not a sign-up (those were looked up above): id already stored
                if (!answer_existing(p))
                    throw StorageError("sqlite: record " + p.id + " was neither inserted nor found");
                continue;
            }
            ++seq;
            ledger::tally(out, std::move(a));
        }
        settle_cancel_waits(meta, activities, out, changed);
    }

    // The activity's places as this transaction has them (read once per group).
    ActivityState& seats_of(ActivityMap& activities, const std::string& activity_id) {
        auto it = activities.find(activity_id);
        if (it == activities.end()) {
            auto& act = stmt("SELECT capacity, taken, EXISTS (SELECT 1 FROM records WHERE activity_id = ?1 "
                             "AND signup_status = 'waitlisted'), " KYODO_HELD_SQL
                             " FROM activities WHERE id = ?1 AND deleted = 0");
            ActivityState st;
            Resetter r{act};
            act.bind(1, activity_id);
            if (act.step()) {
                st.exists = true;
                st.seats.capacity = act.i64(0);
                st.seats.taken = act.i64(1);
                st.seats.queue = act.i64(2) != 0;
                st.seats.held = act.i64(3);
            }
            it = activities.emplace(activity_id, st).first;
        }
        return it->second;
    }

    // A kiosk's attendance tick (server/ledger.h check_attendance): decided against the sign-up
    // as stored now and the pushing kiosk's centre, then set as AdminStorage::set_attendance
    // does (record_admin), by "kiosk:<id>".
    ledger::SignupDecision apply_attendance(const PreparedRecord& p, const PushMeta& meta) {
        ledger::AttendanceTarget t;
        {
            auto& q = stmt("SELECT r.kind, a.json FROM records r LEFT JOIN activities a ON a.id = r.activity_id "
                           "WHERE r.id = ?1");
            Resetter r{q};
            q.bind(1, p.attendance_of);
            if (q.step()) {
                t.found = true;
                t.kind = q.text(0);
                const Json aj = Json::parse(q.text(1), nullptr, false);
                if (aj.is_object() && aj.contains("centre_id") && aj["centre_id"].is_string())
                    t.activity_centre = aj["centre_id"].get<std::string>();
            }
        }
        std::string centre;
        {
            auto& q = stmt("SELECT centre_id FROM devices WHERE kiosk_id = ?1");
            Resetter r{q};
            q.bind(1, meta.kiosk_id);
            if (q.step()) centre = q.text(0);
        }
        const ledger::SignupDecision d = ledger::check_attendance(t, p.attendance_of, centre);
        if (d.rejected()) return d;
        auto& u = stmt("INSERT INTO record_admin (record_id, attended, updated_by, updated_at) VALUES (?1,?2,?3,?4) "
                       "ON CONFLICT (record_id) DO UPDATE SET attended = ?2, updated_by = ?3, updated_at = ?4");
        u.bind(1, p.attendance_of).bind(2, std::int64_t{p.attended == 1 ? 1 : 0}).bind(3, "kiosk:" + meta.kiosk_id);
        u.bind(4, meta.received_at);
        u.run();
        return d;
    }

    // A kiosk's cancel of sign-up `signup_id` (server/ledger.h check_cancel): decided against
    // the sign-up as stored now and, when it may go ahead, applied (ledger::cancel: the sign-up
    // becomes cancelled, the line moves up, the ones moved up are told).
    ledger::SignupDecision decide_cancel(const std::string& signup_id, const std::string& receipt,
                                         const std::string& code, const PushMeta& meta, ActivityMap& activities,
                                         IngestResult& out, std::vector<std::string>& changed) {
        ledger::CancelTarget t;
        std::string target_activity;
        std::int64_t party = 0;
        {
            auto& q = stmt("SELECT kind, receipt, payload, signup_status, activity_id, party_size "
                           "FROM records WHERE id = ?1");
            Resetter r{q};
            q.bind(1, signup_id);
            if (q.step()) {
                t.found = true;
                t.kind = q.text(0);
                t.receipt = q.text(1);
                const Json pl = Json::parse(q.text(2), nullptr, false);
                if (pl.is_object() && pl.contains("check_code") && pl["check_code"].is_string())
                    t.check_code = pl["check_code"].get<std::string>();
                t.status = q.text(3);
                target_activity = q.text(4);
                party = q.i64(5);
            }
        }
        const ledger::SignupDecision d = ledger::check_cancel(t, signup_id, receipt, code);
        if (d.status != ledger::kCancelled) return d;
        ActivityState& st = seats_of(activities, target_activity);
        const ledger::CancelOutcome o = ledger::cancel(st.seats, signup_id, t.status, party, waitlist(target_activity));
        if (o.ok()) {   // else already cancelled (by staff, or the resident's phone): nothing to do
            auto& u = stmt("UPDATE records SET signup_status = 'cancelled' WHERE id = ?1");
            u.bind(1, signup_id);
            u.run();
            confirm(o.promoted, target_activity, &out.promoted, meta.received_at);
            if (o.taken_changed && st.exists) {
                st.changed = true;
                changed.push_back(target_activity);
            }
        }
        return d;
    }

    // Cancels that arrived before their sign-up, whose sign-up is stored now: decided and
    // applied in the cancels' arrival order, at the end of the push that brought the sign-up
    // (PostgreSQL does the same, server/pg_storage.cpp). The cancel record then says cancelled,
    // or refused (wrong check code: nothing changes).
    void settle_cancel_waits(const PushMeta& meta, ActivityMap& activities, IngestResult& out,
                             std::vector<std::string>& changed) {
        struct Wait {
            std::string cancel_id, signup_id, payload;
        };
        std::vector<Wait> due;
        {
            auto& q = stmt("SELECT w.cancel_id, w.signup_id, c.payload FROM cancel_waits w "
                           "JOIN records s ON s.id = w.signup_id JOIN records c ON c.id = w.cancel_id ORDER BY c.seq");
            Resetter r{q};
            while (q.step()) due.push_back(Wait{q.text(0), q.text(1), q.text(2)});
        }
        for (const Wait& w : due) {
            const Json pl = Json::parse(w.payload, nullptr, false);
            auto text = [&](const char* k) {
                return pl.is_object() && pl.contains(k) && pl[k].is_string() ? pl[k].get<std::string>() : std::string();
            };
            const ledger::SignupDecision d =
                decide_cancel(w.signup_id, text("receipt"), text("check_code"), meta, activities, out, changed);
            auto& u = stmt("UPDATE records SET signup_status = ?2 WHERE id = ?1");
            u.bind(1, w.cancel_id).bind(2, d.status == ledger::kCancelled ? ledger::kCancelled : ledger::kRefused);
            u.run();
            auto& del = stmt("DELETE FROM cancel_waits WHERE cancel_id = ?1");
            del.bind(1, w.cancel_id);
            del.run();
        }
    }

    // BEGIN IMMEDIATE (write) or BEGIN (read); rolls back unless commit() was called.
    class Transaction {
    public:
        Transaction(SqliteStorage& st, bool write = true) : st_(st) {
            st_.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
        }
        ~Transaction() {
            if (!done_) sqlite3_exec(st_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        void commit() {
            st_.exec("COMMIT");
            done_ = true;
        }

    private:
        SqliteStorage& st_;
        bool done_ = false;
    };

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StorageError(std::string("sqlite: ") + msg);
        }
    }

    void migrate() {
        int version = 0;
        {
            Stmt s(db_, "PRAGMA user_version");
            s.step();
            version = static_cast<int>(s.i64(0));
        }
        if (version > kSchemaVersion)
            throw StorageError("server.db has schema version " + std::to_string(version) +
                               ", newer than this server understands (" + std::to_string(kSchemaVersion) +
                               "); run a newer kyodo-server");
        for (int v = version; v < kSchemaVersion; ++v) {
            Transaction tx(*this);
            exec(kMigrations[v]);
            exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
            tx.commit();
        }
    }

    Stmt& stmt(const char* sql) {
        auto it = stmts_.find(sql);
        if (it == stmts_.end()) it = stmts_.emplace(sql, std::make_unique<Stmt>(db_, sql)).first;
        return *it->second;
    }
    // A statement on the read connection (call with *rmu_ held).
    Stmt& rstmt(const char* sql) {
        if (rdb_ == db_) return stmt(sql);
        auto it = rstmts_.find(sql);
        if (it == rstmts_.end()) it = rstmts_.emplace(sql, std::make_unique<Stmt>(rdb_, sql)).first;
        return *it->second;
    }

    // A second connection to the same file, for the reads every push makes outside its
    // transaction: the device behind a token (before the body is read) and the sign-up
    // updates owed to a kiosk (after its commit). With WAL a reader neither waits for nor
    // blocks the writer, and sees only committed rows. On the main connection these queued
    // behind mu_ while a whole group of pushes was written and fsync'd: on the 50-kiosk bench
    // a push waited a median ~0.5 s to be authenticated, so parsing could not overlap writing.
    // An in-memory database has no second connection: those reads then use the main one.
    void open_reader(const std::string& path) {
        rdb_ = db_;
        if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
        sqlite3* r = nullptr;
        if (sqlite3_open_v2(path.c_str(), &r, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
            sqlite3_close(r);   // keep reading through the main connection
            return;
        }
        sqlite3_busy_timeout(r, 5000);
        if (sqlite3_exec(r, "PRAGMA query_only=ON", nullptr, nullptr, nullptr) != SQLITE_OK) {
            sqlite3_close(r);
            return;
        }
        rdb_ = r;
        rmu_ = &rmu_own_;
    }

    static LeaseRow read_lease_row(const Stmt& q) {
        return LeaseRow{q.text(0), q.text(1), q.text(2), q.i64(3), q.i64(4), q.text(5),
                        q.text(6), q.text(7), q.i64(8), q.text(9), q.text(10)};
    }
    std::optional<ledger::Lease> read_lease(const std::string& id) {
        auto& q = stmt("SELECT " KYODO_LEASE_COLS " FROM leases WHERE id = ?1");
        Resetter r{q};
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        return ledger::from_row(read_lease_row(q));
    }
    void write_lease(const LeaseRow& l) {
        auto& u = stmt("INSERT INTO leases (" KYODO_LEASE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                       "ON CONFLICT (id) DO UPDATE SET places = excluded.places, used = excluded.used, "
                       "ends_at = excluded.ends_at, last_contact = excluded.last_contact, "
                       "reported_used = excluded.reported_used, done_at = excluded.done_at, "
                       "released_at = excluded.released_at");
        u.bind(1, l.id).bind(2, l.activity_id).bind(3, l.kiosk_id).bind(4, l.places).bind(5, l.used);
        u.bind(6, l.ends_at).bind(7, l.granted_at).bind(8, l.last_contact).bind(9, l.reported_used);
        u.bind(10, l.done_at).bind(11, l.released_at);
        u.run();
    }
    QuotaPolicy read_policy() {
        QuotaPolicy p;
        {
            Stmt q(db_, "SELECT centre_id, share_pct FROM quota_policy ORDER BY centre_id");
            while (q.step()) p.shares[q.text(0)] = q.i64(1);
        }
        {
            Stmt q(db_, "SELECT activity_id, kiosk_id, places FROM quota_overrides ORDER BY activity_id, kiosk_id");
            while (q.step()) p.overrides.push_back(QuotaOverride{q.text(0), q.text(1), q.i64(2)});
        }
        Stmt q(db_, "SELECT name, value FROM quota_settings");
        while (q.step()) {
            if (q.text(0) == "quota.silence_s") p.silence_s = q.i64(1);
            if (q.text(0) == "quota.before_start_s") p.before_start_s = q.i64(1);
        }
        return p;
    }

    // An activity's waitlist in arrival order.
    std::vector<ledger::Waiting> waitlist(const std::string& activity_id) {
        auto& s = stmt("SELECT id, party_size FROM records WHERE activity_id = ?1 AND kind = 'sign_up' "
                       "AND signup_status = 'waitlisted' ORDER BY seq");
        Resetter r{s};
        s.bind(1, activity_id);
        std::vector<ledger::Waiting> out;
        while (s.step()) out.push_back(ledger::Waiting{s.text(0), s.i64(1)});
        return out;
    }
    // Marks sign-ups the ledger moved up as confirmed, and tells each resident who moved up,
    // in the caller's transaction (server/notices.h).
    void confirm(const std::vector<std::string>& ids, const std::string& activity_id,
                 std::vector<Promotion>* promoted, const std::string& now) {
        if (ids.empty()) return;
        auto& u = stmt("UPDATE records SET signup_status = 'confirmed' WHERE id = ?1");
        for (const std::string& id : ids) {
            u.bind(1, id);
            u.run();
            if (promoted) promoted->push_back(Promotion{id, activity_id});
        }
        std::string activity_json;
        {
            Stmt q(db_, "SELECT json FROM activities WHERE id = ?1");
            q.bind(1, activity_id);
            if (q.step()) activity_json = q.text(0);
        }
        const Json detail = promoted_detail(activity_json);
        for (const std::string& id : ids) sqlite_queue_record_notice(db_, id, "promoted", detail, now);
    }

    std::int64_t read_catalog_version() {
        auto& s = stmt("SELECT version FROM catalog_state WHERE id = 1");
        Resetter r{s};
        return s.step() ? s.i64(0) : 0;
    }
    void set_catalog_version(std::int64_t v) {
        auto& s = stmt("UPDATE catalog_state SET version = ? WHERE id = 1");
        s.bind(1, v);
        s.run();
    }

    static Device read_device(const Stmt& s) {
        Device d;
        d.kiosk_id = s.text(0);
        d.centre_id = s.text(1);
        d.token_hash = s.text(2);
        d.revoked = s.i64(3) != 0;
        d.enrolled_at = s.text(4);
        d.last_seen_at = s.text(5);
        d.app_version = s.text(6);
        d.backlog = s.i64(7);
        return d;
    }

    // The flags column: a JSON array of strings ("[]" for most records).
    static std::string flags_json(const std::vector<std::string>& flags) {
        if (flags.empty()) return "[]";
        return Json(flags).dump();
    }

    static std::vector<std::string> parse_flags(const std::string& text) {
        std::vector<std::string> out;
        Json j = Json::parse(text, nullptr, false);
        if (j.is_array())
            for (const auto& f : j)
                if (f.is_string()) out.push_back(f.get<std::string>());
        return out;
    }

    std::mutex mu_;                       // the connection
    std::mutex rmu_own_;                  // the read connection, when there is one
    std::mutex* rmu_ = &mu_;              // guards rdb_ (mu_ when rdb_ is db_)
    sqlite3* rdb_ = nullptr;              // read connection (open_reader), else db_
    std::unordered_map<std::string, std::unique_ptr<Stmt>> rstmts_;
    // The dashboard's own read-only connection: its long lists and counts must not hold the
    // one above either, which every push's token lookup takes.
    std::mutex dash_mu_;
    sqlite3* dash_db_ = nullptr;
    std::mutex group_mu_;                 // the group-commit queue
    std::condition_variable group_cv_;
    std::uint64_t groups_written_ = 0;    // under group_mu_ (ingest_stats)
    std::function<void()> group_hook_;    // under group_mu_ (set_group_hook, tests)
    std::deque<Pending*> queue_;
    bool leader_active_ = false;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<Stmt>> stmts_;   // keyed by SQL text
    std::int64_t next_seq_ = 1;
    std::unique_ptr<AdminStorage> admin_;   // dashboard tables (server/sqlite_storage_admin.cpp)
    std::unique_ptr<CivicStorage> civic_;   // yearly registers (server/civic_storage.cpp)
    std::unique_ptr<NoticeStorage> notices_;   // the notice outbox (same file)
    std::unique_ptr<TalentStorage> talent_;    // the talent bank (server/talent_storage_sqlite.cpp)
    std::unique_ptr<GroupStorage> groups_;     // group registration (server/groups_storage_sqlite.cpp)
    std::unique_ptr<BookingStorage> bookings_; // staff marks on bookings (server/bookings_storage_sqlite.cpp)
    std::unique_ptr<ItemStorage> items_;       // item requests (server/items_storage_sqlite.cpp)
    std::unique_ptr<WalCheckpointer> checkpointer_;   // null for an in-memory database
};

}  // namespace

std::unique_ptr<Storage> open_sqlite_storage(const std::string& path, const WalLimits& wal) {
    return std::make_unique<SqliteStorage>(path, wal);
}

std::unique_ptr<Storage> open_sqlite_storage(const std::string& path) { return open_sqlite_storage(path, WalLimits{}); }

WalCheckpointStats wal_checkpoint_stats(Storage& storage) {
    auto* lite = dynamic_cast<SqliteStorage*>(&storage);
    return lite ? lite->checkpoint_stats() : WalCheckpointStats{};
}

}  // namespace kyodo::server
