// PostgreSQL implementation of server/storage.h, over libpq.
//
// Same behaviour as server/sqlite_storage.cpp (same schema shape, same answers), but built for
// several kyodo-server processes sharing one database:
//  - ingest is exactly-once across servers: records go in with INSERT … ON CONFLICT (id) DO
//    NOTHING, which waits for another server's uncommitted insert of the same id. A batch with
//    sign-ups reads which ids are already stored, decides each record in arrival order, then
//    inserts the new ones; if another server committed one of those ids in between (the insert
//    skipped it), the whole transaction is rolled back and run again, and the re-read answers
//    it duplicate or conflict. A batch without sign-ups is inserted first and only the ids the
//    insert skipped are read, then the batch is decided again against them. Nothing is ever
//    stored twice or over the first.
//  - capacity is never exceeded: the activity rows a batch signs up for are locked
//    (SELECT … FOR UPDATE, in id order) before `taken` is read, so sign-ups for one activity
//    are decided one transaction at a time, whichever server they arrive at.
//  - the catalog version is a single-row counter bumped with UPDATE … RETURNING inside the
//    transaction that changes the catalog, so versions are unique and commit in order.
//  - serialization failures and deadlocks (SQLSTATE 40001 / 40P01) retry the whole
//    transaction a few times; a broken connection is re-opened once.
//
// Values always travel as parameters (PQexecParams); the only SQL text built at run time
// splices in constant table names. A push's records travel as binary arrays, one per column
// (unnest), in statements prepared once per connection, so a push of 500 records is a
// handful of round trips: BEGIN, the device row, the insert, the catalog version, COMMIT.
//
// Connections: a small pool (kPoolSize) so HTTP threads are not serialised on one socket.
// Schema: forward-only numbered migrations, recorded in schema_migrations and applied under
// an advisory lock so two servers starting at once do not race.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/json_text.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "server/civic.h"
#include "server/ledger.h"
#include "server/storage.h"
#include "server/bookings.h"
#include "server/groups.h"
#include "server/items.h"
#include "server/talent.h"

namespace kyodo::server {
namespace {

// Text columns that are keys or sort keys use the "C" collation: byte order, like SQLite,
// whatever locale the database was created with.
const char* const kMigrations[] = {
    // 1: records, devices, catalog.
    R"sql(
CREATE TABLE records (
    id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    kiosk_id TEXT COLLATE "C" NOT NULL,
    centre_id TEXT COLLATE "C" NOT NULL,
    created_at TEXT NOT NULL,           -- kiosk clock, not trusted
    received_at TEXT NOT NULL,          -- server clock
    content_hash TEXT NOT NULL,         -- sha256 of the canonical record JSON
    payload TEXT NOT NULL,              -- JSON, byte for byte as the server made it
    sealed TEXT NOT NULL DEFAULT '',    -- as received (base64 sealed box)
    personal TEXT,                      -- opened personal fields (JSON), NULL when none
    receipt TEXT NOT NULL,
    signup_status TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '[]',   -- JSON array, e.g. ["clock_skew"]
    seq BIGINT GENERATED ALWAYS AS IDENTITY,   -- server arrival order (across servers)
    schema_version INTEGER NOT NULL DEFAULT 1,
    activity_id TEXT COLLATE "C" NOT NULL DEFAULT '',   -- sign-ups
    party_size INTEGER NOT NULL DEFAULT 0               -- sign-ups
);
CREATE TABLE devices (
    kiosk_id TEXT COLLATE "C" PRIMARY KEY,
    centre_id TEXT COLLATE "C" NOT NULL,
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    revoked BOOLEAN NOT NULL DEFAULT false,
    enrolled_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL DEFAULT '',
    app_version TEXT NOT NULL DEFAULT '',
    backlog BIGINT NOT NULL DEFAULT 0,
    revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE catalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 0);
CREATE TABLE centres (
    id TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false,
    json TEXT NOT NULL);
CREATE TABLE organizations (
    id TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false,
    json TEXT NOT NULL);
CREATE TABLE activities (
    id TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false,
    json TEXT NOT NULL,
    capacity BIGINT NOT NULL DEFAULT 0,
    taken BIGINT NOT NULL DEFAULT 0);
CREATE TABLE surveys (
    id TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false,
    json TEXT NOT NULL);
CREATE INDEX centres_version ON centres (version);
CREATE INDEX organizations_version ON organizations (version);
CREATE INDEX activities_version ON activities (version);
CREATE INDEX surveys_version ON surveys (version);
)sql",
    // 2: the admin dashboard: staff, sessions, audit log, record triage; indexes for rosters
    // and receipt look-ups (the SQLite engine's admin schema 1, server/sqlite_storage_admin.cpp).
    R"sql(
CREATE TABLE staff (
    username TEXT COLLATE "C" PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT false);
CREATE TABLE staff_sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY, username TEXT COLLATE "C" NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL, expires_at TEXT COLLATE "C" NOT NULL);
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at TEXT NOT NULL, username TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE record_admin (
    record_id TEXT COLLATE "C" PRIMARY KEY, state TEXT NOT NULL DEFAULT '', department TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', attended INTEGER NOT NULL DEFAULT -1,
    updated_by TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '');
CREATE INDEX records_activity_seq ON records (activity_id, seq);
CREATE INDEX records_receipt ON records (receipt);
CREATE INDEX records_kind_seq ON records (kind, seq);
)sql",
    // 3: signup_updates (the status a kiosk was last told, so later changes reach it) and
    // strict first-come sign-ups (is anyone waitlisted for this activity?); as SQLite's 2.
    R"sql(
ALTER TABLE records ADD COLUMN reported_status TEXT NOT NULL DEFAULT '';
UPDATE records SET reported_status = signup_status WHERE reported_status <> signup_status;
CREATE INDEX records_signup_updates ON records (kiosk_id, seq) WHERE signup_status <> reported_status;
CREATE INDEX records_waitlisted ON records (activity_id, seq) WHERE signup_status = 'waitlisted';
)sql",
    // 4: cheaper inserts on the push path (issue 4). The receipt is compared in byte order
    // ("C", like every other key here): under the database's default collation each insert
    // into records_receipt compared receipts with strcoll. The activity index holds only
    // records of an activity (sign-ups): the others (activity_id = '') are never looked up
    // by it, and skipping them saves one b-tree insert per record.
    R"sql(
ALTER TABLE records ALTER COLUMN receipt TYPE TEXT COLLATE "C";
DROP INDEX records_receipt;
CREATE INDEX records_receipt ON records USING hash (receipt);
DROP INDEX records_activity_seq;
CREATE INDEX records_activity_seq ON records (activity_id, seq) WHERE activity_id <> '';
)sql",
    // 5: the notice outbox (server/notices.h), as the SQLite engine's admin schema 2.
    R"sql(
CREATE TABLE notices (
    id TEXT COLLATE "C" PRIMARY KEY, dedupe_key TEXT COLLATE "C" NOT NULL UNIQUE, kind TEXT NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL, detail TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT COLLATE "C" NOT NULL,
    lease_until TEXT COLLATE "C" NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT COLLATE "C" NOT NULL, sent_at TEXT NOT NULL DEFAULT '');
CREATE INDEX notices_due ON notices (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notices_record ON notices (record_id);
)sql",
    // 6: check-in links (server/storage.h CheckinLink), as the SQLite engine's admin schema 3.
    R"sql(
CREATE TABLE checkin_links (
    activity_id TEXT COLLATE "C" PRIMARY KEY, token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false,
    revoked_at TEXT NOT NULL DEFAULT '');
)sql",
    // 7: a kiosk's cancel record that arrived before its sign-up waits here until the sign-up is
    // stored (server/ledger.h check_cancel), as the SQLite engine's 3. Usually empty.
    R"sql(
CREATE TABLE cancel_waits (cancel_id TEXT COLLATE "C" PRIMARY KEY, signup_id TEXT COLLATE "C" NOT NULL);
CREATE INDEX cancel_waits_signup ON cancel_waits (signup_id);
)sql",
    // 8: kiosk quotas as leases (server/ledger.h), as the SQLite engine's 4.
    R"sql(
CREATE TABLE quota_policy (centre_id TEXT COLLATE "C" PRIMARY KEY, share_pct BIGINT NOT NULL);
CREATE TABLE quota_overrides (
    activity_id TEXT COLLATE "C" NOT NULL, kiosk_id TEXT COLLATE "C" NOT NULL, places BIGINT NOT NULL,
    PRIMARY KEY (activity_id, kiosk_id));
CREATE TABLE quota_settings (name TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE leases (
    id TEXT COLLATE "C" PRIMARY KEY,
    activity_id TEXT COLLATE "C" NOT NULL,
    kiosk_id TEXT COLLATE "C" NOT NULL,
    places BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    ends_at TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    last_contact TEXT NOT NULL,
    reported_used BIGINT NOT NULL DEFAULT 0,
    done_at TEXT NOT NULL DEFAULT '',
    released_at TEXT NOT NULL DEFAULT '',
    seq BIGSERIAL);
CREATE INDEX leases_held ON leases (activity_id) WHERE released_at = '';
CREATE INDEX leases_kiosk ON leases (kiosk_id);
)sql",
    // 9: records by kind, centre and time: the monthly report and /open/counts count by centre
    // and hour from the index (AdminStorage::centre_hour_counts), not from every record row.
    R"sql(
CREATE INDEX records_kind_centre_created ON records (kind, centre_id, created_at);
)sql",
};
#define KYODO_LEASE_COLS \
    "id, activity_id, kiosk_id, places, used, ends_at, granted_at, last_contact, reported_used, done_at, released_at"
// The places an activity's unreleased leases hold (ledger::Seats::held).
#define KYODO_HELD_SQL \
    "(SELECT COALESCE(SUM(l.places - l.used), 0) FROM leases l WHERE l.activity_id = activities.id " \
    "AND l.released_at = '')"
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
// pg_advisory_xact_lock key serialising migrations between servers ("kyodo" in ASCII).
constexpr const char* kMigrationLockKey = "461195865199";

const char* const kCatalogTables[] = {"centres", "organizations", "activities", "surveys"};

constexpr std::size_t kPoolSize = 4;
constexpr int kMaxAttempts = 8;   // serialization failures / deadlocks / lost insert races

// A libpq failure. `sqlstate` is "" when the server sent none (e.g. the connection broke).
struct PgError : StorageError {
    std::string sqlstate;
    PgError(const std::string& msg, std::string state) : StorageError(msg), sqlstate(std::move(state)) {}
};

// Internal: another server committed an id this transaction was about to store; run again.
constexpr const char* kLostRace = "K0001";

bool retryable(const std::string& state) {
    return state == "40001" || state == "40P01" || state == kLostRace;
}

// "postgresql://user:secret@host/db" → "postgresql://user:***@host/db" for messages.
std::string redact(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    const auto at = url.find('@', scheme + 3);
    if (at == std::string::npos) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

class Result {
public:
    explicit Result(PGresult* r) : r_(r) {}
    ~Result() { PQclear(r_); }
    Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;

    int rows() const { return PQntuples(r_); }
    bool is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
    }
    std::int64_t i64(int row, int col) const { return std::stoll(text(row, col)); }
    bool boolean(int row, int col) const { return text(row, col) == "t"; }
    std::int64_t affected() const {
        const char* n = PQcmdTuples(r_);
        return n && *n ? std::stoll(n) : 0;
    }

private:
    PGresult* r_;
};

// A parameter: text, or SQL NULL.
struct Param {
    std::optional<std::string> value;
    Param(const std::string& s) : value(s) {}          // NOLINT(google-explicit-constructor)
    Param(const char* s) : value(std::string(s)) {}    // NOLINT(google-explicit-constructor)
    Param(std::int64_t v) : value(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)
    Param(int v) : value(std::to_string(v)) {}         // NOLINT(google-explicit-constructor)
    Param(bool v) : value(v ? "true" : "false") {}     // NOLINT(google-explicit-constructor)
    Param(std::nullopt_t) {}                           // NOLINT(google-explicit-constructor)
};

void ignore_notice(void*, const char*) {}

class Conn {
public:
    explicit Conn(const std::string& url) : url_(url) {
        c_ = PQconnectdb(url.c_str());
        if (!c_ || PQstatus(c_) != CONNECTION_OK) {
            std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
            while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
            PQfinish(c_);
            c_ = nullptr;
            throw PgError("cannot connect to PostgreSQL at " + redact(url) + ": " + msg, "");
        }
        setup();
    }
    ~Conn() { PQfinish(c_); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    bool broken() const { return PQstatus(c_) != CONNECTION_OK; }

    // Re-opens a broken connection. Throws PgError when the server is still unreachable.
    void reconnect() {
        PQreset(c_);
        if (PQstatus(c_) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(c_);
            while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
            throw PgError("lost the PostgreSQL connection to " + redact(url_) + " and could not reconnect: " + msg,
                          "");
        }
        prepared_.clear();   // a new session has none
        setup();
    }

    Result exec(const char* sql, std::initializer_list<Param> params = {}) {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const Param& p : params) values.push_back(p.value ? p.value->c_str() : nullptr);
        PGresult* r = PQexecParams(c_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                   nullptr, 0);
        return check(r, sql);
    }

    // Values already in PostgreSQL's binary wire format (BinaryArray), in the order of
    // `sql`'s parameters, whose types the SQL states with casts ($1::text[]). Prepared once per
    // connection under `name`: the push path's statements are parsed and planned once.
    Result exec_binary(const char* name, const char* sql, const std::vector<std::string>& values) {
        const int n = static_cast<int>(values.size());
        if (!prepared_.count(name)) {
            check(PQprepare(c_, name, sql, n, nullptr), sql);
            prepared_.insert(name);
        }
        std::vector<const char*> ptrs;
        std::vector<int> lengths, formats(values.size(), 1);
        for (const std::string& v : values) {
            ptrs.push_back(v.data());
            lengths.push_back(static_cast<int>(v.size()));
        }
        return check(PQexecPrepared(c_, name, n, ptrs.data(), lengths.data(), formats.data(), 0), sql);
    }

    // Constant SQL only (several statements allowed): migrations and transaction control.
    Result exec_script(const char* sql) { return check(PQexec(c_, sql), sql); }

    void rollback_quietly() {
        if (!broken() && PQtransactionStatus(c_) != PQTRANS_IDLE) PQclear(PQexec(c_, "ROLLBACK"));
    }

private:
    void setup() {
        PQsetNoticeProcessor(c_, ignore_notice, nullptr);
        // Server receipt times and every comparison are ours; keep the session predictable.
        PQclear(PQexec(c_, "SET client_encoding = 'UTF8'"));
    }

    Result check(PGresult* r, const char* sql) {
        const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Result(r);
        std::string state;
        if (r)
            if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
        std::string msg = r ? PQresultErrorMessage(r) : "";
        if (msg.empty()) msg = PQerrorMessage(c_);
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        PQclear(r);
        std::string what(sql);
        if (what.size() > 80) what = what.substr(0, 77) + "...";
        throw PgError("postgresql: " + msg + " (in: " + what + ")", state);
    }

    std::string url_;
    PGconn* c_ = nullptr;
    std::set<std::string> prepared_;
};

// A few connections shared by the HTTP threads; opened on demand, at most kPoolSize.
class Pool {
public:
    explicit Pool(std::string url) : url_(std::move(url)) {}

    class Lease {
    public:
        Lease(Pool& p, std::unique_ptr<Conn> c) : pool_(p), c_(std::move(c)) {}
        ~Lease() { pool_.give_back(std::move(c_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Conn& operator*() { return *c_; }

    private:
        Pool& pool_;
        std::unique_ptr<Conn> c_;
    };

    Lease acquire() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !idle_.empty() || open_ < kPoolSize; });
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(c));
        }
        ++open_;
        lock.unlock();
        try {
            return Lease(*this, std::make_unique<Conn>(url_));
        } catch (...) {
            lock.lock();
            --open_;
            cv_.notify_one();
            throw;
        }
    }

private:
    void give_back(std::unique_ptr<Conn> c) {
        std::lock_guard lock(mu_);
        if (c && !c->broken()) idle_.push_back(std::move(c));
        else --open_;
        cv_.notify_one();
    }

    std::string url_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Conn>> idle_;
    std::size_t open_ = 0;
};

// What a transaction body sees: the connection, and a switch to roll back instead of
// committing (import_catalog when nothing changed).
struct Tx {
    Conn& c;
    bool commit = true;
};

std::vector<std::string> parse_flags(const std::string& text) {
    std::vector<std::string> out;
    Json j = Json::parse(text, nullptr, false);
    if (j.is_array())
        for (const auto& f : j)
            if (f.is_string()) out.push_back(f.get<std::string>());
    return out;
}

// A one-dimensional text[] or int4[] parameter in PostgreSQL's binary array format (array_recv):
// a header, then each element as a 4-byte length (-1 for NULL) and its bytes, integers in
// network order. A push's rows travel as one such array per column (unnest), so PostgreSQL
// copies each value once instead of lexing and unescaping a JSON document (json_to_recordset
// was a quarter of the backend's CPU per record, perf).
class BinaryArray {
public:
    explicit BinaryArray(std::uint32_t element_oid) : oid_(element_oid) { buf_.assign(20, '\0'); }

    // Decoded, validated records only carry UTF-8; anything else is refused here with a clear
    // error rather than sent for PostgreSQL to refuse.
    void text(std::string_view s) {
        if (!utf8::valid(s)) throw StorageError("postgresql: a record field is not UTF-8 text");
        put32(static_cast<std::uint32_t>(s.size()));
        buf_.append(s.data(), s.size());
        ++n_;
    }
    void null() {
        put32(0xFFFFFFFFu);
        has_null_ = true;
        ++n_;
    }
    void int4(std::int32_t v) {
        put32(4);
        put32(static_cast<std::uint32_t>(v));
        ++n_;
    }
    std::size_t size() const { return n_; }

    // The finished parameter (the builder is spent).
    std::string take() {
        std::string head;
        auto h32 = [&](std::uint32_t v) {
            for (int shift = 24; shift >= 0; shift -= 8) head += static_cast<char>((v >> shift) & 0xFF);
        };
        h32(1);                                  // dimensions
        h32(has_null_ ? 1 : 0);                  // has NULLs
        h32(oid_);                               // element type
        h32(static_cast<std::uint32_t>(n_));     // length of the dimension
        h32(1);                                  // lower bound
        buf_.replace(0, 20, head);
        return std::move(buf_);
    }

private:
    void put32(std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) buf_ += static_cast<char>((v >> shift) & 0xFF);
    }
    std::uint32_t oid_;
    std::string buf_;
    std::size_t n_ = 0;
    bool has_null_ = false;
};
constexpr std::uint32_t kTextOid = 25, kInt4Oid = 23;

// A record's flags as the JSON array text stored in records.flags.
std::string flags_text(const std::vector<std::string>& flags) {
    std::string out = "[";
    for (std::size_t i = 0; i < flags.size(); ++i) {
        if (i) out += ',';
        if (!utf8::valid(flags[i])) throw StorageError("postgresql: a record field is not UTF-8 text");
        json_text::append_string(out, flags[i]);
    }
    out += ']';
    return out;
}

Device read_device(const Result& r, int row) {
    Device d;
    d.kiosk_id = r.text(row, 0);
    d.centre_id = r.text(row, 1);
    d.token_hash = r.text(row, 2);
    d.revoked = r.boolean(row, 3);
    d.enrolled_at = r.text(row, 4);
    d.last_seen_at = r.text(row, 5);
    d.app_version = r.text(row, 6);
    d.backlog = r.i64(row, 7);
    return d;
}

constexpr const char* kDeviceColumns =
    "SELECT kiosk_id, centre_id, token_hash, revoked, enrolled_at, last_seen_at, app_version, backlog "
    "FROM devices ";

// The pool and the transaction runner, shared by the storage and its admin half.
class PgDb {
public:
    explicit PgDb(std::string url) : pool_(std::move(url)) {}

    // Runs `fn` in a transaction on a pooled connection and commits. Retries the whole
    // transaction on serialization failure / deadlock / a lost insert race (with a short
    // randomised backoff), and re-opens a broken connection once.
    template <class F>
    auto run(F&& fn, const char* begin = "BEGIN") -> decltype(fn(std::declval<Tx&>())) {
        bool reconnected = false;
        auto lease = pool_.acquire();
        Conn& c = *lease;
        for (int attempt = 1;; ++attempt) {
            try {
                if (c.broken()) {
                    if (reconnected) throw PgError("postgresql: connection lost", "");
                    reconnected = true;
                    c.reconnect();
                }
                c.exec_script(begin);
                Tx t{c};
                auto out = fn(t);
                c.exec_script(t.commit ? "COMMIT" : "ROLLBACK");
                return out;
            } catch (const PgError& e) {
                c.rollback_quietly();
                if (retryable(e.sqlstate) && attempt < kMaxAttempts) {
                    backoff(attempt);
                    continue;
                }
                if (c.broken() && !reconnected) {
                    // Re-run once on a fresh connection. Safe: every transaction here is
                    // idempotent (a re-sent batch answers duplicate, re-imports change nothing).
                    reconnected = true;
                    try {
                        c.reconnect();
                    } catch (const PgError&) {
                        throw e;
                    }
                    continue;
                }
                throw;
            } catch (...) {
                c.rollback_quietly();
                throw;
            }
        }
    }

private:
    static void backoff(int attempt) {
        thread_local std::minstd_rand rng{std::random_device{}()};
        const int cap_ms = std::min(2 << attempt, 100);
        std::uniform_int_distribution<int> d(1, cap_ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(d(rng)));
    }

    Pool pool_;
};

// ---- the notice outbox (server/notices.h) -------------------------------------------------

int pg_insert_notice(Conn& c, const Notice& n) {
    return static_cast<int>(
        c.exec("INSERT INTO notices (id, dedupe_key, kind, record_id, detail, state, attempts, next_attempt_at, "
               "created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING",
               {n.id, n.dedupe_key, n.kind, n.record_id, n.detail,
                n.next_attempt_at.empty() ? n.created_at : n.next_attempt_at, n.created_at})
            .affected());
}

// One notice for one record, if its resident wants notices.
int pg_queue_record_notice(Conn& c, const std::string& record_id, const std::string& kind, const Json& detail,
                           const std::string& now, const std::string& dedupe_suffix = "") {
    Result r = c.exec("SELECT kind, payload, COALESCE(personal, '') FROM records WHERE id = $1", {record_id});
    if (r.rows() == 0 || !wants_notices(r.text(0, 0), r.text(0, 1), r.text(0, 2))) return 0;
    return pg_insert_notice(c, make_notice(kind, record_id, detail, now, dedupe_suffix));
}

// One notice for each live sign-up of an activity that wants them.
int pg_queue_activity_notices(Conn& c, const std::string& activity_id, const std::string& kind, const Json& detail,
                              const std::string& now, const std::string& dedupe_suffix) {
    Result r = c.exec(
        "SELECT id, payload, COALESCE(personal, '') FROM records WHERE activity_id = $1 AND kind = 'sign_up' "
        "AND signup_status IN ('confirmed', 'waitlisted') ORDER BY seq",
        {activity_id});
    int added = 0;
    for (int i = 0; i < r.rows(); ++i)
        if (wants_notices("sign_up", r.text(i, 1), r.text(i, 2)))
            added += pg_insert_notice(c, make_notice(kind, r.text(i, 0), detail, now, dedupe_suffix));
    return added;
}

const char* const kPgNoticeColumns =
    "id, dedupe_key, kind, record_id, detail, state, attempts, next_attempt_at, lease_until, last_error, "
    "created_at, sent_at";

Notice read_pg_notice(const Result& r, int i) {
    Notice n;
    n.id = r.text(i, 0); n.dedupe_key = r.text(i, 1); n.kind = r.text(i, 2); n.record_id = r.text(i, 3);
    n.detail = r.text(i, 4); n.state = r.text(i, 5); n.attempts = static_cast<int>(r.i64(i, 6));
    n.next_attempt_at = r.text(i, 7); n.lease_until = r.text(i, 8); n.last_error = r.text(i, 9);
    n.created_at = r.text(i, 10); n.sent_at = r.text(i, 11);
    return n;
}

// Several servers may share the database: a claim locks the rows it takes (SKIP LOCKED, so
// two senders never wait on or take the same notice) and leases them before anyone sends.
class PgNotices final : public NoticeStorage {
public:
    explicit PgNotices(PgDb& db) : db_(db) {}

    int enqueue_notices(const std::vector<Notice>& ns) override {
        return db_.run([&](Tx& t) {
            int added = 0;
            for (const Notice& n : ns) added += pg_insert_notice(t.c, n);
            return added;
        });
    }
    std::vector<Notice> claim_notices(const std::string& now, const std::string& lease_until,
                                      std::size_t limit) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec(
                (std::string("UPDATE notices SET attempts = attempts + 1, lease_until = $2 WHERE id IN ("
                             "SELECT id FROM notices WHERE state = 'pending' AND next_attempt_at <= $1 "
                             "AND lease_until <= $1 ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                             "RETURNING ") + kPgNoticeColumns).c_str(),
                {now, lease_until, static_cast<std::int64_t>(limit)});
            std::vector<Notice> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_pg_notice(r, i));
            std::sort(out.begin(), out.end(), [](const Notice& a, const Notice& b) {
                return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
            });
            return out;
        });
    }
    bool mark_notice_sent(const std::string& id, const std::string& now) override {
        return db_.run([&](Tx& t) {
            return t.c.exec("UPDATE notices SET state = 'sent', sent_at = $2, lease_until = '', last_error = '' "
                            "WHERE id = $1 AND state = 'pending'",
                            {id, now})
                       .affected() > 0;
        });
    }
    void mark_notice_failed(const std::string& id, const std::string& error, const std::string& next_attempt_at,
                            bool give_up) override {
        db_.run([&](Tx& t) {
            t.c.exec("UPDATE notices SET state = $4, last_error = $2, next_attempt_at = $3, lease_until = '' "
                     "WHERE id = $1 AND state = 'pending'",
                     {id, error, next_attempt_at, give_up ? "failed" : "pending"});
            return 0;
        });
    }
    std::vector<Notice> notices(const std::string& record_id, std::size_t limit) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec((std::string("SELECT ") + kPgNoticeColumns +
                                 " FROM notices WHERE ($1::text = '' OR record_id = $1::text) "
                                 "ORDER BY created_at DESC, id DESC LIMIT $2").c_str(),
                                {record_id, static_cast<std::int64_t>(limit)});
            std::vector<Notice> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_pg_notice(r, i));
            return out;
        });
    }
    std::vector<Notice> notices_page(const std::string& state, const std::string& before_id, std::size_t limit) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec((std::string("SELECT ") + kPgNoticeColumns +
                                 " FROM notices WHERE ($1::text = '' OR state = $1::text) AND ($2::text = '' OR "
                                 "(created_at, id) < (SELECT created_at, id FROM notices WHERE id = $2::text)) "
                                 "ORDER BY created_at DESC, id DESC LIMIT $3").c_str(),
                                {state, before_id, static_cast<std::int64_t>(limit)});
            std::vector<Notice> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_pg_notice(r, i));
            return out;
        });
    }
    std::map<std::string, std::int64_t> notice_counts() override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec("SELECT state, COUNT(*) FROM notices GROUP BY state", {});
            std::map<std::string, std::int64_t> out;
            for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.i64(i, 1);
            return out;
        });
    }

private:
    PgDb& db_;
};

// An activity's waitlist in arrival order (read under the activity's row lock).
std::vector<ledger::Waiting> read_waitlist(Conn& c, const std::string& activity_id) {
    Result w = c.exec("SELECT id, party_size FROM records WHERE activity_id = $1 AND kind = 'sign_up' "
                      "AND signup_status = 'waitlisted' ORDER BY seq",
                      {activity_id});
    std::vector<ledger::Waiting> line;
    for (int i = 0; i < w.rows(); ++i) line.push_back(ledger::Waiting{w.text(i, 0), w.i64(i, 1)});
    return line;
}

// Writes the sign-ups the ledger moved up, and tells each resident who moved up, in the
// caller's transaction (server/notices.h).
void write_promotions(Conn& c, const std::vector<std::string>& ids, const std::string& activity_id,
                      const std::string& now) {
    if (ids.empty()) return;
    for (const std::string& id : ids) c.exec("UPDATE records SET signup_status = 'confirmed' WHERE id = $1", {id});
    Result aj = c.exec("SELECT json FROM activities WHERE id = $1", {activity_id});
    const Json detail = promoted_detail(aj.rows() ? aj.text(0, 0) : std::string());
    for (const std::string& id : ids) pg_queue_record_notice(c, id, "promoted", detail, now);
}

LeaseRow read_lease_row(const Result& r, int i) {
    return LeaseRow{r.text(i, 0), r.text(i, 1), r.text(i, 2),  r.i64(i, 3),  r.i64(i, 4), r.text(i, 5),
                    r.text(i, 6), r.text(i, 7), r.i64(i, 8), r.text(i, 9), r.text(i, 10)};
}

struct LedgerCancel {
    ledger::CancelOutcome outcome;
    std::int64_t version = 0;   // the catalog version after it
};

// Cancels sign-up `id` of `activity_id` inside the caller's transaction: locks the activity,
// then the record (the order ingest locks in, so no deadlock), lets the ledger decide
// (ledger::cancel) and writes what it answers. Nothing is written when it answers an error.
LedgerCancel cancel_locked(Conn& c, const std::string& id, const std::string& activity_id, const std::string& now) {
    LedgerCancel out;
    c.exec("SELECT 1 FROM activities WHERE id = $1 FOR UPDATE", {activity_id});
    Result act = c.exec("SELECT capacity, taken, " KYODO_HELD_SQL " FROM activities WHERE id = $1", {activity_id});
    Result cur = c.exec("SELECT signup_status, party_size FROM records WHERE id = $1 FOR UPDATE", {id});
    ledger::Seats seats;
    if (act.rows()) {
        seats.capacity = act.i64(0, 0);
        seats.taken = act.i64(0, 1);
        seats.held = act.i64(0, 2);
    }
    const std::string status = cur.rows() ? cur.text(0, 0) : "";
    const std::int64_t party = cur.rows() ? cur.i64(0, 1) : 0;
    out.outcome = ledger::cancel(seats, id, status, party, read_waitlist(c, activity_id));
    if (!out.outcome.ok()) return out;
    c.exec("UPDATE records SET signup_status = 'cancelled' WHERE id = $1", {id});
    write_promotions(c, out.outcome.promoted, activity_id, now);
    // Kiosks pull a new version only when a count they show moved.
    if (out.outcome.taken_changed) {
        out.version = c.exec("UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version").i64(0, 0);
        c.exec("UPDATE activities SET taken = $2, version = $3 WHERE id = $1", {activity_id, seats.taken, out.version});
    } else {
        out.version = c.exec("SELECT version FROM catalog_state WHERE id = 1").i64(0, 0);
    }
    return out;
}

// The admin dashboard's storage (AdminStorage) on PostgreSQL, answering as the SQLite engine's
// (server/sqlite_storage_admin.cpp). A cancellation locks the activity row, like a sign-up, so
// the waitlist moves up correctly even while another server takes sign-ups.
class PgAdmin final : public AdminStorage {
public:
    explicit PgAdmin(PgDb& db) : db_(db) {}

    void put_staff(const StaffUser& u) override {
        db_.run([&](Tx& t) {
            t.c.exec("INSERT INTO staff (username, password_hash, role, created_at, disabled) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
                     "role = excluded.role, disabled = excluded.disabled",
                     {u.user, u.password_hash, u.role, u.created_at, u.disabled});
            if (u.disabled) t.c.exec("DELETE FROM staff_sessions WHERE username = $1", {u.user});
            return 0;
        });
    }
    std::optional<StaffUser> staff(const std::string& user) override {
        return db_.run([&](Tx& t) -> std::optional<StaffUser> {
            Result r = t.c.exec(
                "SELECT username, password_hash, role, created_at, disabled FROM staff WHERE username = $1", {user});
            if (r.rows() == 0) return std::nullopt;
            return read_staff(r, 0);
        });
    }
    std::vector<StaffUser> staff_list() override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec("SELECT username, password_hash, role, created_at, disabled FROM staff ORDER BY username");
            std::vector<StaffUser> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_staff(r, i));
            return out;
        });
    }

    std::vector<StaffUser> staff_page(std::size_t limit, std::size_t offset) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec(("SELECT username, password_hash, role, created_at, disabled FROM staff ORDER BY username LIMIT " +
                                 std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                                 std::to_string(std::min<std::size_t>(offset, 100000000)))
                                    .c_str());
            std::vector<StaffUser> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_staff(r, i));
            return out;
        });
    }
    std::int64_t staff_count() override {
        return db_.run([&](Tx& t) { return t.c.exec("SELECT COUNT(*) FROM staff").i64(0, 0); });
    }

    void create_session(const StaffSession& s) override {
        db_.run([&](Tx& t) {
            t.c.exec("DELETE FROM staff_sessions WHERE expires_at < $1", {s.created_at});
            t.c.exec("INSERT INTO staff_sessions (token_hash, username, csrf, created_at, expires_at) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     {s.token_hash, s.user, s.csrf, s.created_at, s.expires_at});
            return 0;
        });
    }
    std::optional<StaffSession> session(const std::string& token_hash, const std::string& now) override {
        return db_.run([&](Tx& t) -> std::optional<StaffSession> {
            Result r = t.c.exec(
                "SELECT s.token_hash, s.username, u.role, s.csrf, s.created_at, s.expires_at FROM staff_sessions s "
                "JOIN staff u ON u.username = s.username WHERE s.token_hash = $1 AND s.expires_at > $2 "
                "AND NOT u.disabled",
                {token_hash, now});
            if (r.rows() == 0) return std::nullopt;
            StaffSession x;
            x.token_hash = r.text(0, 0);
            x.user = r.text(0, 1);
            x.role = r.text(0, 2);
            x.csrf = r.text(0, 3);
            x.created_at = r.text(0, 4);
            x.expires_at = r.text(0, 5);
            return x;
        });
    }
    void delete_session(const std::string& token_hash) override {
        db_.run([&](Tx& t) {
            t.c.exec("DELETE FROM staff_sessions WHERE token_hash = $1", {token_hash});
            return 0;
        });
    }

    void delete_sessions_of(const std::string& user) override {
        db_.run([&](Tx& t) {
            t.c.exec("DELETE FROM staff_sessions WHERE username = $1", {user});
            return 0;
        });
    }

    void add_audit(const AuditEntry& e) override {
        db_.run([&](Tx& t) {
            t.c.exec("INSERT INTO audit_log (at, username, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
                     {e.at, e.user, e.action, e.target, e.detail});
            return 0;
        });
    }
    std::vector<AuditEntry> audit_log(std::size_t limit) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec(
                "SELECT id, at, username, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $1",
                {limit_param(limit)});
            std::vector<AuditEntry> out;
            for (int i = 0; i < r.rows(); ++i)
                out.push_back(AuditEntry{r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                                         r.text(i, 5)});
            return out;
        });
    }

    std::vector<AuditEntry> audit_page(std::int64_t before_id, const std::string& action, std::size_t limit) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec(
                "SELECT id, at, username, action, target, detail FROM audit_log WHERE ($1::bigint = 0 OR id < $1::bigint) "
                "AND ($2::text = '' OR action = $2::text) ORDER BY id DESC LIMIT $3",
                {std::to_string(before_id), action, limit_param(limit)});
            std::vector<AuditEntry> out;
            for (int i = 0; i < r.rows(); ++i)
                out.push_back(AuditEntry{r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)});
            return out;
        });
    }
    std::int64_t audit_count(const std::string& action) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec("SELECT COUNT(*) FROM audit_log WHERE ($1::text = '' OR action = $1::text)", {action});
            return r.rows() ? r.i64(0, 0) : std::int64_t{0};
        });
    }

    std::int64_t count_records(const RecordQuery& rq) override {
        return db_.run([&](Tx& t) {
            // The join only when the state filter needs it.
            const std::string sql =
                std::string("SELECT COUNT(*) FROM records r ") + (rq.state.empty() ? "" : "LEFT JOIN record_admin a ON a.record_id = r.id ") +
                "WHERE ($1::text = '' OR r.kind = $1::text) AND ($2::text = '' OR r.activity_id = $2::text) "
                "AND ($3::text = '' OR r.centre_id = $3::text) AND ($4::text = '' OR r.receipt = $4::text) "
                "AND ($5::text = '' OR starts_with(r.id, $5::text)) " +
                (rq.state.empty() ? std::string("AND $6::text = ''") : std::string("AND COALESCE(NULLIF(a.state, ''), 'new') = $6::text"));
            Result r = t.c.exec(sql.c_str(),
                {rq.kind, rq.activity_id, rq.centre_id, rq.receipt, rq.id_prefix, rq.state});
            return r.rows() ? r.i64(0, 0) : std::int64_t{0};
        });
    }

    std::vector<AdminRecord> records(const RecordQuery& rq) override {
        return db_.run([&](Tx& t) {
            const std::string sql =
                "SELECT r.id, r.kind, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.content_hash, "
                "r.payload, r.sealed, COALESCE(r.personal, ''), r.receipt, r.signup_status, r.flags, r.seq, "
                "r.activity_id, r.party_size, COALESCE(a.state, ''), COALESCE(a.department, ''), "
                "COALESCE(a.note, ''), COALESCE(a.attended, -1), COALESCE(a.updated_by, ''), "
                "COALESCE(a.updated_at, '') "
                "FROM records r LEFT JOIN record_admin a ON a.record_id = r.id "
                "WHERE ($1::text = '' OR r.kind = $1::text) AND ($2::text = '' OR r.activity_id = $2::text) "
                "AND ($3::text = '' OR r.centre_id = $3::text) AND ($4::text = '' OR r.receipt = $4::text) "
                "AND ($5::text = '' OR starts_with(r.id, $5::text)) AND ($7::bigint = 0 OR r.seq < $7::bigint) "
                "AND ($8::text = '' OR COALESCE(NULLIF(a.state, ''), 'new') = $8::text) " +
                    std::string(rq.newest_first ? "ORDER BY r.seq DESC LIMIT $6" : "ORDER BY r.seq LIMIT $6") +
                    (rq.offset ? " OFFSET " + std::to_string(std::min<std::size_t>(rq.offset, 100000000)) : std::string());
            Result r = t.c.exec(sql.c_str(),
                {rq.kind, rq.activity_id, rq.centre_id, rq.receipt, rq.id_prefix, limit_param(rq.limit),
                 std::to_string(rq.before_seq), rq.state});
            std::vector<AdminRecord> out;
            out.reserve(static_cast<std::size_t>(r.rows()));
            for (int i = 0; i < r.rows(); ++i) {
                AdminRecord a;
                StoredRecord& x = a.rec;
                x.id = r.text(i, 0); x.kind = r.text(i, 1); x.kiosk_id = r.text(i, 2); x.centre_id = r.text(i, 3);
                x.created_at = r.text(i, 4); x.received_at = r.text(i, 5); x.content_hash = r.text(i, 6);
                x.payload = r.text(i, 7); x.sealed = r.text(i, 8); x.personal = r.text(i, 9);
                x.receipt = r.text(i, 10); x.signup_status = r.text(i, 11); x.flags = r.text(i, 12);
                x.seq = r.i64(i, 13);
                a.activity_id = r.text(i, 14);
                a.party_size = static_cast<int>(r.i64(i, 15));
                a.state = r.text(i, 16); a.department = r.text(i, 17); a.note = r.text(i, 18);
                a.attended = static_cast<int>(r.i64(i, 19));
                a.updated_by = r.text(i, 20); a.updated_at = r.text(i, 21);
                out.push_back(std::move(a));
            }
            return out;
        });
    }

    // As on SQLite: the touched records (record_admin) by state and note, the rest from the
    // kind's count, rather than joining record_admin to every record of the kind.
    std::vector<StateCount> state_counts(const std::string& kind) override {
        return db_.run([&](Tx& t) {
            std::map<std::pair<std::string, bool>, std::int64_t> by;
            std::int64_t touched = 0;
            Result r = t.c.exec(
                "SELECT a.state, CASE WHEN a.note <> '' THEN 1 ELSE 0 END, COUNT(*) FROM record_admin a JOIN records r "
                "ON r.id = a.record_id WHERE r.kind = $1 GROUP BY 1, 2",
                {kind});
            for (int i = 0; i < r.rows(); ++i) {
                by[{r.text(i, 0), r.i64(i, 1) != 0}] += r.i64(i, 2);
                touched += r.i64(i, 2);
            }
            const std::int64_t total = t.c.exec("SELECT COUNT(*) FROM records WHERE kind = $1", {kind}).i64(0, 0);
            if (total > touched) by[{"", false}] += total - touched;
            std::vector<StateCount> out;
            for (const auto& kv : by) out.push_back(StateCount{kv.first.first, kv.first.second, kv.second});
            return out;
        });
    }

    std::vector<SignupTally> signup_tallies(const std::string& activity_id) override {
        return db_.run([&](Tx& t) {
            // GREATEST(1, party_size) as the pages counted it; attendance lives in record_admin.
            Result r = t.c.exec(
                "SELECT r.activity_id, COUNT(*), "
                "COALESCE(SUM(CASE WHEN r.signup_status = 'confirmed' THEN GREATEST(1, r.party_size) END), 0), "
                "COALESCE(SUM(CASE WHEN r.signup_status = 'waitlisted' THEN GREATEST(1, r.party_size) END), 0), "
                "COALESCE(SUM(CASE WHEN r.signup_status NOT IN ('confirmed', 'waitlisted') THEN GREATEST(1, r.party_size) END), 0), "
                "COALESCE(SUM(CASE WHEN r.signup_status = 'confirmed' AND a.attended = 1 THEN GREATEST(1, r.party_size) END), 0) "
                "FROM records r LEFT JOIN record_admin a ON a.record_id = r.id "
                "WHERE r.kind = 'sign_up' AND ($1::text = '' OR r.activity_id = $1::text) GROUP BY r.activity_id ORDER BY r.activity_id",
                {activity_id});
            std::vector<SignupTally> out;
            for (int i = 0; i < r.rows(); ++i)
                out.push_back(SignupTally{r.text(i, 0), r.i64(i, 1), r.i64(i, 2), r.i64(i, 3), r.i64(i, 4), r.i64(i, 5)});
            return out;
        });
    }

    std::map<std::string, std::int64_t> payload_counts(const std::string& kind, const std::string& field) override {
        return db_.run([&](Tx& t) {
            // payload is JSON text the server wrote itself (always valid).
            Result r = t.c.exec(
                "SELECT r.payload::jsonb ->> $2::text, COUNT(*) FROM records r "
                "WHERE r.kind = $1 AND jsonb_typeof(r.payload::jsonb -> $2::text) = 'string' GROUP BY 1",
                {kind, field});
            std::map<std::string, std::int64_t> out;
            for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.i64(i, 1);
            return out;
        });
    }

    std::vector<CentreHourCount> centre_hour_counts(const std::string& kind) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec(
                "SELECT centre_id, CASE WHEN created_at ~ "
                "'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{3})?Z$' "
                "THEN substr(created_at, 1, 13) ELSE created_at END, COUNT(*) FROM records WHERE kind = $1 GROUP BY 1, 2",
                {kind});
            std::vector<CentreHourCount> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(CentreHourCount{r.text(i, 0), r.text(i, 1), r.i64(i, 2)});
            return out;
        });
    }

    // The answer objects of the survey's responses ($1 = the survey, '' = every survey); o is the
    // element, n its place in the array. An integer is a JSON number written without fraction or
    // exponent, as nlohmann::json reads it (at most 18 digits, so the cast cannot overflow).
    static constexpr const char* kSurveyAnswers =
        "WITH resp AS (SELECT r.seq, r.created_at, r.payload::jsonb AS p FROM records r WHERE r.kind = 'survey_response'), "
        "ans AS (SELECT resp.seq, resp.created_at, resp.p ->> 'survey_id' AS sid, a.o, a.n FROM resp CROSS JOIN LATERAL "
        "jsonb_array_elements(CASE WHEN jsonb_typeof(resp.p -> 'answers') = 'array' THEN resp.p -> 'answers' ELSE '[]'::jsonb END) "
        "WITH ORDINALITY AS a(o, n) WHERE jsonb_typeof(resp.p -> 'survey_id') = 'string' AND ($1::text = '' OR resp.p ->> 'survey_id' = $1::text) "
        "AND jsonb_typeof(a.o) = 'object' AND jsonb_typeof(a.o -> 'question_id') = 'string') ";
    static std::string pg_int(const char* key) {
        const std::string k = key;
        return "(jsonb_typeof(o -> '" + k + "') = 'number' AND (o ->> '" + k + "') ~ '^-?[0-9]{1,18}$')";
    }
    static std::string pg_hour(bool by_hour) {
        if (!by_hour) return "''";
        return "CASE WHEN created_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{3})?Z$' "
               "THEN substr(created_at, 1, 13) ELSE created_at END";
    }

    SurveyTally survey_tally(const std::string& survey_id, bool by_hour) override {
        return db_.run([&](Tx& t) {
            SurveyTally out;
            const std::string at = pg_hour(by_hour), ci = pg_int("choice"), si = pg_int("scale");
            Result a = t.c.exec((std::string(kSurveyAnswers) + "SELECT sid, " + at + ", o ->> 'question_id', CASE WHEN " + ci +
                                 " THEN 1 ELSE 0 END, CASE WHEN " + ci + " THEN (o ->> 'choice')::bigint ELSE 0 END, CASE WHEN " + si +
                                 " THEN 1 ELSE 0 END, CASE WHEN " + si + " THEN (o ->> 'scale')::bigint ELSE 0 END, COUNT(*) FROM ans GROUP BY 1, 2, 3, 4, 5, 6, 7")
                                    .c_str(),
                                {survey_id});
            for (int i = 0; i < a.rows(); ++i)
                out.answers.push_back(SurveyAnswerCount{a.text(i, 0), a.text(i, 1), a.text(i, 2), a.i64(i, 3) != 0, a.i64(i, 5) != 0,
                                                        a.i64(i, 4), a.i64(i, 6), a.i64(i, 7)});
            Result p = t.c.exec((std::string(kSurveyAnswers) + "SELECT sid, " + at +
                                 ", o ->> 'question_id', c.v::text::bigint, COUNT(*) FROM ans CROSS JOIN LATERAL jsonb_array_elements("
                                 "CASE WHEN jsonb_typeof(o -> 'choices') = 'array' THEN o -> 'choices' ELSE '[]'::jsonb END) AS c(v) "
                                 "WHERE jsonb_typeof(c.v) = 'number' AND c.v::text ~ '^-?[0-9]{1,18}$' GROUP BY 1, 2, 3, 4")
                                    .c_str(),
                                {survey_id});
            for (int i = 0; i < p.rows(); ++i) out.picks.push_back(SurveyPickCount{p.text(i, 0), p.text(i, 1), p.text(i, 2), p.i64(i, 3), p.i64(i, 4)});
            Result n = t.c.exec(
                "SELECT p ->> 'survey_id', COUNT(*) FROM (SELECT r.payload::jsonb AS p FROM records r WHERE r.kind = 'survey_response') x "
                "WHERE jsonb_typeof(p -> 'survey_id') = 'string' AND jsonb_typeof(p -> 'answers') = 'array' "
                "AND ($1::text = '' OR p ->> 'survey_id' = $1::text) GROUP BY 1",
                {survey_id});
            for (int i = 0; i < n.rows(); ++i) out.responses[n.text(i, 0)] = n.i64(i, 1);
            return out;
        });
    }

    std::vector<std::string> survey_texts(const std::string& survey_id, const std::string& question_id, std::size_t limit,
                                          std::size_t offset) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec((std::string(kSurveyAnswers) +
                                 "SELECT o ->> 'text' FROM ans WHERE o ->> 'question_id' = $2::text AND jsonb_typeof(o -> 'text') = 'string' "
                                 "AND o ->> 'text' <> '' ORDER BY seq, n LIMIT " +
                                 std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                                 std::to_string(std::min<std::size_t>(offset, 100000000)))
                                    .c_str(),
                                {survey_id, question_id});
            std::vector<std::string> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
            return out;
        });
    }

    std::int64_t survey_text_count(const std::string& survey_id, const std::string& question_id) override {
        return db_.run([&](Tx& t) {
            Result r = t.c.exec((std::string(kSurveyAnswers) +
                                 "SELECT COUNT(*) FROM ans WHERE o ->> 'question_id' = $2::text AND jsonb_typeof(o -> 'text') = 'string' AND o ->> 'text' <> ''")
                                    .c_str(),
                                {survey_id, question_id});
            return r.rows() ? r.i64(0, 0) : std::int64_t{0};
        });
    }

    bool set_record_state(const std::string& id, const std::string& state, const std::string& department,
                          const std::string& note, const std::string& by, const std::string& now) override {
        return db_.run([&](Tx& t) {
            Result cur = t.c.exec("SELECT r.kind, COALESCE(a.state, '') FROM records r LEFT JOIN record_admin a "
                                  "ON a.record_id = r.id WHERE r.id = $1 FOR UPDATE OF r",
                                  {id});
            if (cur.rows() == 0) return false;
            // The answer's notice commits with the answer (server/notices.h).
            if (auto d = answered_detail(cur.text(0, 0), cur.text(0, 1), state, note))
                pg_queue_record_notice(t.c, id, "answered", *d, now, state);
            t.c.exec("INSERT INTO record_admin (record_id, state, department, note, updated_by, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (record_id) DO UPDATE SET state = excluded.state, "
                     "department = excluded.department, note = excluded.note, updated_by = excluded.updated_by, "
                     "updated_at = excluded.updated_at",
                     {id, state, department, note, by, now});
            return true;
        });
    }
    bool set_attendance(const std::string& id, int attended, const std::string& by, const std::string& now) override {
        return db_.run([&](Tx& t) {
            if (t.c.exec("SELECT 1 FROM records WHERE id = $1", {id}).rows() == 0) return false;
            t.c.exec("INSERT INTO record_admin (record_id, attended, updated_by, updated_at) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (record_id) DO UPDATE SET attended = excluded.attended, "
                     "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                     {id, attended, by, now});
            return true;
        });
    }

    CancelResult cancel_signup(const std::string& id, const std::string& by, const std::string& now) override {
        return db_.run([&](Tx& t) {
            Conn& c = t.c;
            CancelResult r;
            Result rec = c.exec("SELECT kind, activity_id FROM records WHERE id = $1", {id});
            if (rec.rows() == 0) {
                r.error = "not_found";
                return r;
            }
            if (rec.text(0, 0) != "sign_up") {
                r.error = "not_signup";
                return r;
            }
            const std::string activity = rec.text(0, 1);
            const LedgerCancel lc = cancel_locked(c, id, activity, now);
            if (!lc.outcome.ok()) {
                r.error = lc.outcome.error;
                return r;
            }
            c.exec("INSERT INTO record_admin (record_id, updated_by, updated_at) VALUES ($1, $2, $3) "
                   "ON CONFLICT (record_id) DO UPDATE SET updated_by = excluded.updated_by, "
                   "updated_at = excluded.updated_at",
                   {id, by, now});
            for (const std::string& p : lc.outcome.promoted) r.promoted.push_back(Promotion{p, activity});
            if (!r.promoted.empty()) r.promoted_id = r.promoted.front().id;
            r.ok = true;
            r.catalog_version = lc.version;
            return r;
        });
    }

    void put_checkin_link(const CheckinLink& l) override {
        db_.run([&](Tx& t) {
            t.c.exec("INSERT INTO checkin_links (activity_id, token_hash, created_at, created_by, revoked, revoked_at) "
                     "VALUES ($1, $2, $3, $4, false, '') ON CONFLICT (activity_id) DO UPDATE SET "
                     "token_hash = excluded.token_hash, created_at = excluded.created_at, "
                     "created_by = excluded.created_by, revoked = false, revoked_at = ''",
                     {l.activity_id, l.token_hash, l.created_at, l.created_by});
            return 0;
        });
    }
    bool revoke_checkin_link(const std::string& activity_id, const std::string& now) override {
        return db_.run([&](Tx& t) {
            return t.c.exec("UPDATE checkin_links SET revoked = true, revoked_at = $2 WHERE activity_id = $1 "
                            "AND NOT revoked",
                            {activity_id, now})
                       .affected() > 0;
        });
    }
    std::optional<CheckinLink> checkin_link(const std::string& activity_id) override {
        return db_.run([&](Tx& t) -> std::optional<CheckinLink> {
            Result r = t.c.exec("SELECT activity_id, token_hash, created_at, created_by, revoked, revoked_at "
                                "FROM checkin_links WHERE activity_id = $1",
                                {activity_id});
            if (r.rows() == 0) return std::nullopt;
            return read_link(r);
        });
    }
    std::optional<CheckinLink> checkin_link_by_token(const std::string& token_hash) override {
        return db_.run([&](Tx& t) -> std::optional<CheckinLink> {
            Result r = t.c.exec("SELECT activity_id, token_hash, created_at, created_by, revoked, revoked_at "
                                "FROM checkin_links WHERE token_hash = $1 AND NOT revoked",
                                {token_hash});
            if (r.rows() == 0) return std::nullopt;
            return read_link(r);
        });
    }

private:
    static CheckinLink read_link(const Result& r) {
        CheckinLink l;
        l.activity_id = r.text(0, 0);
        l.token_hash = r.text(0, 1);
        l.created_at = r.text(0, 2);
        l.created_by = r.text(0, 3);
        l.revoked = r.boolean(0, 4);
        l.revoked_at = r.text(0, 5);
        return l;
    }

    // LIMIT NULL is no limit (SQLite's LIMIT -1), for limits past what a bigint holds.
    static Param limit_param(std::size_t limit) {
        if (limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())) return Param(std::nullopt);
        return Param(static_cast<std::int64_t>(limit));
    }

    static StaffUser read_staff(const Result& r, int row) {
        StaffUser u;
        u.user = r.text(row, 0);
        u.password_hash = r.text(row, 1);
        u.role = r.text(row, 2);
        u.created_at = r.text(row, 3);
        u.disabled = r.boolean(row, 4);
        return u;
    }

    PgDb& db_;
};

class PgStorage final : public Storage {
public:
    explicit PgStorage(const std::string& url) : url_(url), db_(url), admin_(db_), notices_(db_) {
        migrate();
        civic_ = make_pg_civic(url);   // server/civic_storage.cpp, on a connection of its own
    }

    AdminStorage& admin() override { return admin_; }
    NoticeStorage& notices() override { return notices_; }
    CivicStorage& civic() override { return *civic_; }
    // The talent bank opens its own connection the first time it is needed (server/talent_storage_pg.cpp).
    TalentStorage& talent() override {
        std::lock_guard lock(talent_mu_);
        if (!talent_) talent_ = make_pg_talent(url_);
        return *talent_;
    }
    // Group registration likewise (server/groups_storage_pg.cpp).
    GroupStorage& groups() override {
        std::lock_guard lock(talent_mu_);
        if (!groups_) groups_ = make_pg_groups(url_);
        return *groups_;
    }
    // Staff marks on bookings likewise (server/bookings_storage_pg.cpp).
    BookingStorage& bookings() override {
        std::lock_guard lock(talent_mu_);
        if (!bookings_) bookings_ = make_pg_bookings(url_);
        return *bookings_;
    }
    // Item requests likewise (server/items_storage_pg.cpp).
    ItemStorage& items() override {
        std::lock_guard lock(talent_mu_);
        if (!items_) items_ = make_pg_items(url_);
        return *items_;
    }

    // --- kiosk quotas as leases (server/ledger.h) ----------------------------------------
    QuotaPolicy quota_policy() override {
        return run([&](Tx& t) { return read_policy(t.c); });
    }
    void set_quota_share(const std::string& centre_id, std::int64_t share_pct) override {
        run([&](Tx& t) {
            if (share_pct > 0)
                t.c.exec("INSERT INTO quota_policy (centre_id, share_pct) VALUES ($1, $2) "
                         "ON CONFLICT (centre_id) DO UPDATE SET share_pct = excluded.share_pct",
                         {centre_id, std::min<std::int64_t>(share_pct, 100)});
            else
                t.c.exec("DELETE FROM quota_policy WHERE centre_id = $1", {centre_id});
            return 0;
        });
    }
    void set_quota_override(const std::string& activity_id, const std::string& kiosk_id,
                            std::int64_t places) override {
        run([&](Tx& t) {
            if (places >= 0)
                t.c.exec("INSERT INTO quota_overrides (activity_id, kiosk_id, places) VALUES ($1, $2, $3) "
                         "ON CONFLICT (activity_id, kiosk_id) DO UPDATE SET places = excluded.places",
                         {activity_id, kiosk_id, places});
            else
                t.c.exec("DELETE FROM quota_overrides WHERE activity_id = $1 AND kiosk_id = $2", {activity_id, kiosk_id});
            return 0;
        });
    }
    void set_quota_setting(const std::string& name, std::int64_t value) override {
        run([&](Tx& t) {
            t.c.exec("INSERT INTO quota_settings (name, value) VALUES ($1, $2) "
                     "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                     {name, value});
            return 0;
        });
    }

    QuotaAnswer exchange_quotas(const std::string& kiosk_id, const std::vector<QuotaReport>& reports,
                                std::int64_t now_ms) override {
        return run([&](Tx& t) {
            Conn& c = t.c;
            const QuotaPolicy pol = read_policy(c);
            Result dev = c.exec("SELECT centre_id FROM devices WHERE kiosk_id = $1", {kiosk_id});
            const std::string centre = dev.rows() ? dev.text(0, 0) : std::string();
            const std::int64_t share = pol.shares.count(centre) ? pol.shares.at(centre) : 0;
            std::map<std::string, std::int64_t> explicit_places;
            for (const QuotaOverride& o : pol.overrides)
                if (o.kiosk_id == kiosk_id) explicit_places[o.activity_id] = o.places;
            // `kind` only matters for a share (ledger::share_for): slots take none.
            auto target_of = [&](const std::string& id, std::int64_t capacity, const std::string& kind) {
                auto ov = explicit_places.find(id);
                return ledger::quota_target(capacity, ov == explicit_places.end() ? -1 : ov->second,
                                            ledger::share_for(Json{{"kind", kind}}, share));
            };
            // Which activities matter: those the kiosk may get places of, and those of its leases.
            std::set<std::string> relevant;
            {
                Result l = c.exec("SELECT DISTINCT activity_id FROM leases WHERE kiosk_id = $1", {kiosk_id});
                for (int i = 0; i < l.rows(); ++i) relevant.insert(l.text(i, 0));
                // A slot has capacity 1: only those rows' JSON is read for their kind.
                Result a = c.exec("SELECT id, capacity, CASE WHEN capacity = 1 THEN COALESCE(json::json->>'kind', '') "
                                  "ELSE '' END FROM activities WHERE NOT deleted AND capacity > 0");
                for (int i = 0; i < a.rows(); ++i)
                    if (target_of(a.text(i, 0), a.i64(i, 1), a.text(i, 2)) > 0) relevant.insert(a.text(i, 0));
            }
            // Lock them in id order (as ingest does), then the kiosk's leases.
            BinaryArray ids(kTextOid);
            for (const std::string& id : relevant) ids.text(id);
            const std::string id_array = ids.take();
            c.exec_binary("kyodo_quota_lock", "SELECT id FROM activities WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE",
                          {id_array});
            std::map<std::string, ledger::QuotaActivity> acts;
            {
                Result a = c.exec_binary(
                    "kyodo_quota_activities",
                    "SELECT id, capacity, taken, " KYODO_HELD_SQL ", EXISTS (SELECT 1 FROM records r "
                    "WHERE r.activity_id = activities.id AND r.signup_status = 'waitlisted'), json "
                    "FROM activities WHERE id = ANY ($1::text[]) AND NOT deleted",
                    {id_array});
                for (int i = 0; i < a.rows(); ++i) {
                    ledger::QuotaActivity q;
                    q.seats = ledger::Seats{a.i64(i, 1), a.i64(i, 2), a.i64(i, 3), a.boolean(i, 4)};
                    const Json j = Json::parse(a.text(i, 5), nullptr, false);
                    q.target = target_of(a.text(i, 0), a.i64(i, 1), j.is_object() ? j.value("kind", "") : "");
                    if (j.is_object() && j.contains("starts_at") && j["starts_at"].is_string())
                        q.start_ms = ledger::activity_start_ms(j["starts_at"].get<std::string>());
                    acts.emplace(a.text(i, 0), std::move(q));
                }
            }
            std::vector<ledger::Lease> mine;
            {
                Result l = c.exec("SELECT " KYODO_LEASE_COLS " FROM leases WHERE kiosk_id = $1 ORDER BY id FOR UPDATE",
                                  {kiosk_id});
                for (int i = 0; i < l.rows(); ++i) mine.push_back(ledger::from_row(read_lease_row(l, i)));
            }
            const ledger::QuotaSettings settings{pol.silence_s, pol.before_start_s};
            const ledger::QuotaExchangeOutcome o = ledger::exchange_quotas(
                kiosk_id, now_ms, settings, std::move(mine), reports, acts,
                [&](const std::string& a) { return read_waitlist(c, a); }, [] { return new_uuid_v7(); });
            for (const ledger::Lease& l : o.write) {
                const LeaseRow r = ledger::to_row(l);
                c.exec("INSERT INTO leases (" KYODO_LEASE_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                       "ON CONFLICT (id) DO UPDATE SET places = excluded.places, used = excluded.used, "
                       "ends_at = excluded.ends_at, last_contact = excluded.last_contact, "
                       "reported_used = excluded.reported_used, done_at = excluded.done_at, "
                       "released_at = excluded.released_at",
                       {r.id, r.activity_id, r.kiosk_id, r.places, r.used, r.ends_at, r.granted_at, r.last_contact,
                        r.reported_used, r.done_at, r.released_at});
            }
            QuotaAnswer ans;
            ans.quotas = o.quotas;
            const std::string now = rfc3339_utc(now_ms);
            std::map<std::string, std::vector<std::string>> by_act;
            for (const auto& [id, act] : o.promoted) by_act[act].push_back(id);
            for (const auto& [act, moved] : by_act) {
                write_promotions(c, moved, act, now);
                for (const std::string& id : moved) ans.promoted.push_back(Promotion{id, act});
            }
            if (!o.taken_changed.empty()) {
                const std::int64_t version =
                    c.exec("UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version").i64(0, 0);
                for (const std::string& act : o.taken_changed)
                    c.exec("UPDATE activities SET taken = $2, version = $3 WHERE id = $1",
                           {act, acts.at(act).seats.taken, version});
            }
            return ans;
        });
    }

    std::vector<LeaseRow> leases() override {
        return run([&](Tx& t) {
            Result l = t.c.exec("SELECT " KYODO_LEASE_COLS " FROM leases ORDER BY seq");
            std::vector<LeaseRow> out;
            for (int i = 0; i < l.rows(); ++i) out.push_back(read_lease_row(l, i));
            return out;
        });
    }

    std::vector<LeaseRow> leases_page(std::size_t limit, std::size_t offset) override {
        return run([&](Tx& t) {
            Result l = t.c.exec((std::string("SELECT " KYODO_LEASE_COLS " FROM leases ORDER BY seq DESC LIMIT ") +
                                 std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                                 std::to_string(std::min<std::size_t>(offset, 100000000)))
                                    .c_str());
            std::vector<LeaseRow> out;
            for (int i = 0; i < l.rows(); ++i) out.push_back(read_lease_row(l, i));
            return out;
        });
    }
    LeaseCounts lease_counts(const std::string& now) override {
        return run([&](Tx& t) {
            Result r = t.c.exec("SELECT COUNT(*) FILTER (WHERE released_at = '' AND done_at = '' AND ends_at COLLATE \"C\" > $1::text), "
                                "COUNT(*) FILTER (WHERE released_at <> ''), COUNT(*) FROM leases",
                                {now});
            LeaseCounts c;
            c.live = r.i64(0, 0);
            c.released = r.i64(0, 1);
            c.stranded = r.i64(0, 2) - c.live - c.released;
            return c;
        });
    }

    static QuotaPolicy read_policy(Conn& c) {
        QuotaPolicy p;
        Result s = c.exec("SELECT centre_id, share_pct FROM quota_policy ORDER BY centre_id");
        for (int i = 0; i < s.rows(); ++i) p.shares[s.text(i, 0)] = s.i64(i, 1);
        Result o = c.exec("SELECT activity_id, kiosk_id, places FROM quota_overrides ORDER BY activity_id, kiosk_id");
        for (int i = 0; i < o.rows(); ++i) p.overrides.push_back(QuotaOverride{o.text(i, 0), o.text(i, 1), o.i64(i, 2)});
        Result v = c.exec("SELECT name, value FROM quota_settings");
        for (int i = 0; i < v.rows(); ++i) {
            if (v.text(i, 0) == "quota.silence_s") p.silence_s = v.i64(i, 1);
            if (v.text(i, 0) == "quota.before_start_s") p.before_start_s = v.i64(i, 1);
        }
        return p;
    }

    // --- devices -----------------------------------------------------------------
    std::optional<Device> device_by_token_hash(const std::string& token_hash) override {
        return run([&](Tx& t) -> std::optional<Device> {
            Result r = t.c.exec((std::string(kDeviceColumns) + "WHERE token_hash = $1").c_str(), {token_hash});
            if (r.rows() == 0) return std::nullopt;
            return read_device(r, 0);
        });
    }

    std::optional<Device> device(const std::string& kiosk_id) override {
        return run([&](Tx& t) -> std::optional<Device> {
            Result r = t.c.exec((std::string(kDeviceColumns) + "WHERE kiosk_id = $1").c_str(), {kiosk_id});
            if (r.rows() == 0) return std::nullopt;
            return read_device(r, 0);
        });
    }

    std::vector<Device> devices() override {
        return run([&](Tx& t) {
            Result r = t.c.exec((std::string(kDeviceColumns) + "ORDER BY kiosk_id").c_str());
            std::vector<Device> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_device(r, i));
            return out;
        });
    }

    std::vector<Device> devices_page(std::size_t limit, std::size_t offset) override {
        return run([&](Tx& t) {
            Result r = t.c.exec((std::string(kDeviceColumns) + "ORDER BY kiosk_id LIMIT " + std::to_string(std::min<std::size_t>(limit, 100000000)) +
                                 " OFFSET " + std::to_string(std::min<std::size_t>(offset, 100000000)))
                                    .c_str());
            std::vector<Device> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(read_device(r, i));
            return out;
        });
    }
    std::int64_t device_count() override {
        return run([&](Tx& t) { return t.c.exec("SELECT COUNT(*) FROM devices").i64(0, 0); });
    }

    void enrol_device(const std::string& kiosk_id, const std::string& centre_id, const std::string& token_hash,
                      const std::string& now) override {
        run([&](Tx& t) {
            t.c.exec("INSERT INTO devices (kiosk_id, centre_id, token_hash, revoked, enrolled_at) "
                     "VALUES ($1, $2, $3, false, $4) ON CONFLICT (kiosk_id) DO UPDATE SET "
                     "centre_id = excluded.centre_id, token_hash = excluded.token_hash, revoked = false, "
                     "revoked_at = '', enrolled_at = excluded.enrolled_at",
                     {kiosk_id, centre_id, token_hash, now});
            return 0;
        });
    }

    bool revoke_device(const std::string& kiosk_id, const std::string& now) override {
        return run([&](Tx& t) {
            return t.c.exec("UPDATE devices SET revoked = true, revoked_at = $2 WHERE kiosk_id = $1", {kiosk_id, now})
                       .affected() > 0;
        });
    }

    void touch_device(const std::string& kiosk_id, const std::string& now) override {
        run([&](Tx& t) {
            t.c.exec("UPDATE devices SET last_seen_at = $2 WHERE kiosk_id = $1", {kiosk_id, now});
            return 0;
        });
    }

    // --- records -----------------------------------------------------------------
    IngestResult ingest(const PushMeta& meta, const std::vector<PreparedRecord>& batch) override {
        return run([&](Tx& t) { return ingest_once(t.c, meta, batch); });
    }

    std::optional<StoredRecord> record(const std::string& id) override {
        return run([&](Tx& t) -> std::optional<StoredRecord> {
            Result r = t.c.exec(
                "SELECT id, kind, kiosk_id, centre_id, created_at, received_at, content_hash, payload, "
                "sealed, COALESCE(personal, ''), receipt, signup_status, flags, seq FROM records WHERE id = $1",
                {id});
            if (r.rows() == 0) return std::nullopt;
            StoredRecord x;
            x.id = r.text(0, 0); x.kind = r.text(0, 1); x.kiosk_id = r.text(0, 2); x.centre_id = r.text(0, 3);
            x.created_at = r.text(0, 4); x.received_at = r.text(0, 5); x.content_hash = r.text(0, 6);
            x.payload = r.text(0, 7); x.sealed = r.text(0, 8); x.personal = r.text(0, 9); x.receipt = r.text(0, 10);
            x.signup_status = r.text(0, 11); x.flags = r.text(0, 12); x.seq = r.i64(0, 13);
            return x;
        });
    }

    std::vector<Json> activities_by_id(const std::vector<std::string>& ids) override {
        if (ids.empty()) return {};
        BinaryArray arr(kTextOid);
        for (const std::string& id : ids) arr.text(id);
        const std::string id_array = arr.take();
        return run(
            [&](Tx& t) {
                Result r = t.c.exec_binary("kyodo_activities_by_id",
                                           "SELECT json, version, taken FROM activities "
                                           "WHERE id = ANY ($1::text[]) AND NOT deleted",
                                           {id_array});
                std::vector<Json> out;
                for (int i = 0; i < r.rows(); ++i) {
                    Json j = Json::parse(r.text(i, 0));
                    j["version"] = r.i64(i, 1);
                    j["taken"] = r.i64(i, 2);
                    out.push_back(std::move(j));
                }
                return out;
            },
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

    CatalogPage catalog_page(const std::string& table, const CatalogFilter& f, std::size_t limit, std::size_t offset) override {
        if (std::find(std::begin(kCatalogTables), std::end(kCatalogTables), table) == std::end(kCatalogTables))
            throw StorageError("catalog_page: no table " + table);
        const bool is_act = table == "activities";
        // $1 kind, $2 not kind, $3 title contains ("" = any); the title is "name" for centres and organizations.
        const std::string where = " FROM " + table +
                                  " WHERE NOT deleted AND ($1::text = '' OR json::jsonb ->> 'kind' = $1::text) "
                                  "AND ($2::text = '' OR COALESCE(json::jsonb ->> 'kind', '') <> $2::text) "
                                  "AND ($3::text = '' OR strpos(COALESCE(json::jsonb ->> 'title', json::jsonb ->> 'name', ''), $3::text) > 0) "
                                  "AND ($4::text = '' OR (CASE WHEN jsonb_typeof(json::jsonb -> 'capacity') = 'number' "
                                  "THEN (json::jsonb ->> 'capacity')::numeric > 0 ELSE false END AND "
                                  "substr(COALESCE(json::jsonb ->> 'starts_at', ''), 1, 10) COLLATE \"C\" >= $4::text)) "
                                  "AND ($5::text = '' OR (jsonb_typeof(json::jsonb -> 'extra') = 'object' AND (json::jsonb -> 'extra') ? $5::text))";
        const std::string order = f.starts_from.empty() ? " ORDER BY version, id" : " ORDER BY json::jsonb ->> 'starts_at' COLLATE \"C\", id";
        return run(
            [&](Tx& t) {
                CatalogPage out;
                Result c = t.c.exec(("SELECT COUNT(*)" + where).c_str(), {f.kind, f.not_kind, f.title_has, f.starts_from, f.extra_has});
                if (c.rows()) out.total = c.i64(0, 0);
                Result r = t.c.exec((std::string("SELECT json, version") + (is_act ? ", taken" : "") + where + order + " LIMIT " +
                                     std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                                     std::to_string(std::min<std::size_t>(offset, 100000000)))
                                        .c_str(),
                                    {f.kind, f.not_kind, f.title_has, f.starts_from, f.extra_has});
                for (int i = 0; i < r.rows(); ++i) {
                    Json j = Json::parse(r.text(i, 0));
                    j["version"] = r.i64(i, 1);
                    if (is_act) j["taken"] = r.i64(i, 2);
                    out.items.push_back(std::move(j));
                }
                return out;
            },
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

    std::vector<SignupUpdate> signup_updates(const std::string& kiosk_id, std::size_t limit) override {
        return run([&](Tx& t) {
            Result r = t.c.exec("SELECT id, receipt, signup_status FROM records "
                                "WHERE kiosk_id = $1 AND signup_status <> reported_status ORDER BY seq LIMIT $2",
                                {kiosk_id, static_cast<std::int64_t>(std::min<std::size_t>(limit, 1u << 30))});
            std::vector<SignupUpdate> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(SignupUpdate{r.text(i, 0), r.text(i, 1), r.text(i, 2)});
            return out;
        });
    }

    int ack_signup_updates(const std::string& kiosk_id, const std::vector<SignupUpdate>& acks) override {
        if (acks.empty()) return 0;
        Json rows = Json::array();
        for (const SignupUpdate& a : acks) rows.push_back({{"id", a.id}, {"s", a.signup_status}});
        return run([&](Tx& t) {
            return static_cast<int>(
                t.c.exec("UPDATE records r SET reported_status = x.s FROM json_to_recordset($2::json) AS x(id text, s text) "
                         "WHERE r.id = x.id AND r.kiosk_id = $1 AND r.signup_status = x.s AND r.reported_status <> x.s",
                         {kiosk_id, rows.dump()})
                    .affected());
        });
    }

    // --- catalog -----------------------------------------------------------------
    std::int64_t catalog_version() override {
        return run([&](Tx& t) { return read_catalog_version(t.c); });
    }

    std::int64_t records_mark() override {
        // The identity sequence behind seq: moves on every insert by any server, no scan.
        return run([&](Tx& t) {
            Result r = t.c.exec(
                "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('records', 'seq')::regclass), 0)", {});
            return r.rows() ? r.i64(0, 0) : std::int64_t{0};
        });
    }

    bool catalog_empty() override {
        return run([&](Tx& t) {
            Result r = t.c.exec(
                "SELECT EXISTS (SELECT 1 FROM centres) OR EXISTS (SELECT 1 FROM organizations) OR "
                "EXISTS (SELECT 1 FROM activities) OR EXISTS (SELECT 1 FROM surveys)");
            return !r.boolean(0, 0);
        });
    }

    using Storage::import_catalog;
    std::int64_t import_catalog(const CatalogDelta& d, std::vector<Promotion>* promoted) override {
        return run([&](Tx& t) {
            std::vector<Promotion> moved;
            const std::int64_t v = import_once(t, d, moved);
            if (promoted) promoted->insert(promoted->end(), moved.begin(), moved.end());
            return v;
        });
    }

    Json catalog_since(std::int64_t since) override {
        // One snapshot, so the document is consistent with its "version".
        return run([&](Tx& t) { return catalog_since_once(t.c, since); },
                   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

    StorageCounts counts() override {
        return run(
            [&](Tx& t) {
                StorageCounts c;
                {
                    Result r = t.c.exec("SELECT kind, COUNT(*) FROM records GROUP BY kind");
                    for (int i = 0; i < r.rows(); ++i) {
                        c.records_by_kind[r.text(i, 0)] = r.i64(i, 1);
                        c.records += r.i64(i, 1);
                    }
                }
                {
                    Result r = t.c.exec("SELECT COUNT(*), COUNT(*) FILTER (WHERE revoked) FROM devices");
                    c.devices = r.i64(0, 0);
                    c.devices_revoked = r.i64(0, 1);
                }
                std::int64_t* dst[4] = {&c.centres, &c.organizations, &c.activities, &c.surveys};
                for (int i = 0; i < 4; ++i) {
                    Result r = t.c.exec(
                        (std::string("SELECT COUNT(*) FROM ") + kCatalogTables[i] + " WHERE NOT deleted").c_str());
                    *dst[i] = r.i64(0, 0);
                }
                c.catalog_version = read_catalog_version(t.c);
                return c;
            },
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

private:
    template <class F>
    auto run(F&& fn, const char* begin = "BEGIN") -> decltype(fn(std::declval<Tx&>())) {
        return db_.run(std::forward<F>(fn), begin);
    }

    void migrate() {
        run([&](Tx& t) {
            t.c.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey});
            t.c.exec_script(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            const int version =
                static_cast<int>(t.c.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").i64(0, 0));
            if (version > kSchemaVersion)
                throw StorageError("the PostgreSQL database has schema version " + std::to_string(version) +
                                   ", newer than this server understands (" + std::to_string(kSchemaVersion) +
                                   "); run a newer kyodo-server");
            for (int v = version; v < kSchemaVersion; ++v) {
                t.c.exec_script(kMigrations[v]);
                t.c.exec("INSERT INTO schema_migrations (version) VALUES ($1)", {v + 1});
            }
            return 0;
        });
    }

    static std::int64_t read_catalog_version(Conn& c) {
        Result r = c.exec_binary("kyodo_catalog_version", "SELECT version FROM catalog_state WHERE id = 1", {});
        return r.rows() ? r.i64(0, 0) : 0;
    }

    using Known = ledger::Stored;   // a record already stored (or stored earlier in this batch)
    struct ActivityState {
        bool exists = false;
        ledger::Seats seats;
        bool changed = false;
    };

    // A push's new records, one binary array per column (BinaryArray), for kInsertRecords.
    struct NewRows {
        BinaryArray id{kTextOid}, kind{kTextOid}, kiosk_id{kTextOid}, centre_id{kTextOid}, created_at{kTextOid},
            content_hash{kTextOid}, payload{kTextOid}, sealed{kTextOid}, personal{kTextOid}, receipt{kTextOid},
            signup_status{kTextOid}, flags{kTextOid}, schema_version{kInt4Oid}, activity_id{kTextOid},
            party_size{kInt4Oid};

        void add(const PreparedRecord& p, const RecordAnswer& a) {
            const Record& rec = p.record;
            const bool signup = rec.kind == RecordKind::SignUp;
            id.text(p.id);
            kind.text(to_code(rec.kind));
            kiosk_id.text(rec.kiosk_id);
            centre_id.text(rec.centre_id);
            created_at.text(rec.created_at);
            content_hash.text(p.content_hash);
            payload.text(p.payload_json);
            sealed.text(rec.sealed);
            if (p.personal_json.empty()) personal.null();
            else personal.text(p.personal_json);
            receipt.text(a.receipt);
            signup_status.text(a.signup_status);
            flags.text(flags_text(a.flags));
            schema_version.int4(rec.schema_version);
            activity_id.text(signup ? std::string_view(p.activity_id) : std::string_view());
            party_size.int4(signup ? p.party_size : 0);
        }
        std::size_t size() const { return id.size(); }
        std::vector<std::string> take() {
            return {id.take(),      kind.take(),    kiosk_id.take(), centre_id.take(),      created_at.take(),
                    content_hash.take(), payload.take(), sealed.take(),  personal.take(),       receipt.take(),
                    signup_status.take(), flags.take(), schema_version.take(), activity_id.take(), party_size.take()};
        }
    };

    // Inserts the rows in arrival order (seq); answers the ids it stored. An id already stored
    // (committed, or committed by another server while this waited for it) is skipped.
    static Result insert_rows(Conn& c, NewRows& rows, const std::string& received_at) {
        std::vector<std::string> params = rows.take();
        params.push_back(received_at);   // text's binary form is its bytes
        return c.exec_binary(
            "kyodo_insert_records",
            "INSERT INTO records (id, kind, kiosk_id, centre_id, created_at, received_at, content_hash, "
            "payload, sealed, personal, receipt, signup_status, flags, schema_version, activity_id, party_size, "
            "reported_status) "
            "SELECT x.id, x.kind, x.kiosk_id, x.centre_id, x.created_at, $16::text, x.content_hash, x.payload, "
            "x.sealed, x.personal, x.receipt, x.signup_status, x.flags, x.schema_version, x.activity_id, "
            "x.party_size, x.signup_status "
            "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
            "$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int4[], $14::text[], $15::int4[]) "
            "WITH ORDINALITY AS x(id, kind, kiosk_id, centre_id, created_at, content_hash, payload, sealed, "
            "personal, receipt, signup_status, flags, schema_version, activity_id, party_size, n) "
            "ORDER BY x.n ON CONFLICT (id) DO NOTHING RETURNING id",
            params);
    }

    // Reads the stored records among `ids` into `known`.
    static void read_known(Conn& c, BinaryArray ids, std::unordered_map<std::string, Known>& known) {
        Result r = c.exec_binary("kyodo_known_records",
                                 "SELECT id, content_hash, receipt, signup_status, flags FROM records "
                                 "WHERE id = ANY ($1::text[])",
                                 {ids.take()});
        for (int i = 0; i < r.rows(); ++i)
            known[r.text(i, 0)] = Known{r.text(i, 1), r.text(i, 2), r.text(i, 3), parse_flags(r.text(i, 4))};
    }

    // Decides each record in arrival order, exactly as the SQLite engine does, against the
    // records already stored (`known`, a copy: the batch's new ones are added as decided) and
    // the locked activities' counts. Fills `out`'s answers and counts and `rows` with the new
    // records.
    // A cancel record is decided against the database as it stands at that point of the batch:
    // `on_cancel` first writes the rows decided so far, then applies the cancel (or rejects it:
    // false, with a.code / a.message set). Batches with cancels are always read first.
    using OnCancel = std::function<bool(const PreparedRecord&, RecordAnswer&, NewRows&)>;
    using LeaseMap = std::map<std::string, ledger::Lease>;
    static void decide(const std::vector<PreparedRecord>& batch, std::unordered_map<std::string, Known> known,
                       std::unordered_map<std::string, ActivityState>& activities, IngestResult& out, NewRows& rows,
                       const OnCancel& on_cancel = nullptr, LeaseMap* leases = nullptr,
                       std::set<std::string>* leases_used = nullptr) {
        for (const PreparedRecord& p : batch) {
            if (p.rejected()) {
                ledger::tally(out, ledger::answer_rejected(p.id, p.reject_code, p.reject_message));
                continue;
            }
            if (auto it = known.find(p.id); it != known.end()) {
                ledger::tally(out, ledger::answer_again(p.id, it->second, p.content_hash));
                continue;
            }
            RecordAnswer a;
            a.id = p.id;
            bool lease_exceeded = false;
            if (p.record.kind == RecordKind::SignUp) {
                ActivityState& st = activities[p.activity_id];   // absent → exists = false
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
                    if (leases) {
                        if (auto l = leases->find(p.lease); l != leases->end()) {
                            under_lease = ledger::use_lease(st.seats, l->second, p.record.kiosk_id, p.activity_id,
                                                            p.party_size);
                            if (under_lease && leases_used) leases_used->insert(p.lease);
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
                if (d.status == ledger::kConfirmed) st.changed = true;
            }
            if (p.record.kind == RecordKind::Cancel || p.record.kind == RecordKind::Attendance) {
                if (!on_cancel) throw StorageError("postgresql: a cancel or attendance record outside a read-first batch");
                if (!on_cancel(p, a, rows)) {
                    ledger::tally(out, ledger::answer_rejected(p.id, a.code, a.message));
                    continue;
                }
            }
            a.result = "stored";
            a.receipt = receipt_number(p.id);
            a.flags = p.flags;
            if (lease_exceeded) a.flags.push_back(ledger::kLeaseExceeded);
            rows.add(p, a);
            known[p.id] = Known{p.content_hash, a.receipt, a.signup_status, a.flags};
            ledger::tally(out, std::move(a));
        }
    }

    static IngestResult ingest_once(Conn& c, const PushMeta& meta, const std::vector<PreparedRecord>& batch) {
        IngestResult out;
        out.answers.reserve(batch.size());

        c.exec("UPDATE devices SET last_seen_at = $2, "
               "app_version = CASE WHEN $3::text = '' THEN app_version ELSE $3::text END, "
               "backlog = CASE WHEN $4::bigint < 0 THEN backlog ELSE $4::bigint END WHERE kiosk_id = $1",
               {meta.kiosk_id, meta.received_at, meta.app_version, meta.backlog});

        std::unordered_map<std::string, Known> known;
        std::set<std::string> activity_ids;
        BinaryArray cancel_targets(kTextOid);
        bool attendances = false;
        for (const PreparedRecord& p : batch) {
            if (p.rejected()) continue;
            if (p.record.kind == RecordKind::SignUp) activity_ids.insert(p.activity_id);
            if (p.record.kind == RecordKind::Cancel && !p.cancel_of.empty()) cancel_targets.text(p.cancel_of);
            if (p.record.kind == RecordKind::Attendance) attendances = true;
        }
        const bool has_cancels = cancel_targets.size() > 0;
        // Cancels and attendance ticks are decided against the database as it stands at their
        // point of the batch (on_cancel below), so such a batch is always read first.
        const bool cancels = has_cancels || attendances;
        if (has_cancels) {
            // The activities of the sign-ups being cancelled are locked with the others (a
            // sign-up's activity never changes, so reading it before the lock is safe).
            Result r = c.exec_binary("kyodo_cancel_targets",
                                     "SELECT activity_id FROM records WHERE id = ANY ($1::text[]) AND kind = 'sign_up'",
                                     {cancel_targets.take()});
            for (int i = 0; i < r.rows(); ++i) activity_ids.insert(r.text(i, 0));
        }
        const std::set<std::string> read_activities = activity_ids;   // locked below (unless deleted)
        const bool signups = !activity_ids.empty() || cancels;   // read first

        // Lock the activities signed up for, in id order (the same order in every
        // transaction, so two batches never deadlock on them), then read their counts.
        std::unordered_map<std::string, ActivityState> activities;
        LeaseMap leases;   // named by the batch's sign-ups (locked), updated as decided
        if (signups) {
            auto id_array = [&] {
                BinaryArray a(kTextOid);
                for (const std::string& id : activity_ids) a.text(id);
                return a.take();
            };
            c.exec_binary("kyodo_lock_activities",
                          "SELECT id FROM activities WHERE id = ANY ($1::text[]) AND NOT deleted ORDER BY id FOR UPDATE",
                          {id_array()});
            Result r = c.exec_binary("kyodo_read_activities",
                                     "SELECT id, capacity, taken, " KYODO_HELD_SQL " FROM activities "
                                     "WHERE id = ANY ($1::text[]) AND NOT deleted",
                                     {id_array()});
            for (int i = 0; i < r.rows(); ++i)
                activities[r.text(i, 0)] =
                    ActivityState{true, ledger::Seats{r.i64(i, 1), r.i64(i, 2), r.i64(i, 3), false}, false};
            // The leases the batch's sign-ups name, locked after the activities (the order the
            // quotas exchange locks in).
            BinaryArray lease_ids(kTextOid);
            std::set<std::string> named;
            for (const PreparedRecord& p : batch)
                if (!p.rejected() && !p.lease.empty() && named.insert(p.lease).second) lease_ids.text(p.lease);
            if (lease_ids.size() > 0) {
                Result l = c.exec_binary("kyodo_lock_leases",
                                         "SELECT " KYODO_LEASE_COLS " FROM leases WHERE id = ANY ($1::text[]) "
                                         "ORDER BY id FOR UPDATE",
                                         {lease_ids.take()});
                for (int i = 0; i < l.rows(); ++i) leases[l.text(i, 0)] = ledger::from_row(read_lease_row(l, i));
            }
            // Read under the activity locks (cancellations take them too), so it is current.
            Result q = c.exec_binary("kyodo_waitlisted_activities",
                                     "SELECT DISTINCT activity_id FROM records "
                                     "WHERE activity_id = ANY ($1::text[]) AND signup_status = 'waitlisted'",
                                     {id_array()});
            for (int i = 0; i < q.rows(); ++i)
                if (auto it = activities.find(q.text(i, 0)); it != activities.end()) it->second.seats.queue = true;

            // A sign-up's capacity decision is for new records only, so with sign-ups in the
            // batch what is already stored is read first (after the locks, so a batch that
            // waited for another server's sees what it stored).
            BinaryArray ids(kTextOid);
            for (const PreparedRecord& p : batch)
                if (!p.rejected()) ids.text(p.id);
            read_known(c, std::move(ids), known);
        }
        // Without sign-ups the records are inserted first and only the ids that turn out to be
        // taken are looked up (usually none: one index search per record instead of two).

        // Writes the rows decided so far (a cancel needs its sign-up in the table).
        auto flush = [&](NewRows& rows) {
            const std::size_t n = rows.size();
            if (n == 0) return;
            Result r = insert_rows(c, rows, meta.received_at);
            if (r.rows() != static_cast<int>(n))
                throw PgError("postgresql: a record of this batch was stored concurrently; retrying", kLostRace);
            rows = NewRows{};
        };
        // A kiosk's cancel of sign-up `signup_id` (ledger::check_cancel), decided against the
        // sign-up as stored now and, when it may go ahead, applied (ledger::cancel).
        auto decide_cancel = [&](const std::string& signup_id, const std::string& receipt,
                                 const std::string& code) -> ledger::SignupDecision {
            Result t = c.exec("SELECT kind, receipt, payload, signup_status, activity_id, party_size "
                              "FROM records WHERE id = $1 FOR UPDATE",
                              {signup_id});
            ledger::CancelTarget target;
            if (t.rows()) {
                target.found = true;
                target.kind = t.text(0, 0);
                target.receipt = t.text(0, 1);
                const Json pl = Json::parse(t.text(0, 2), nullptr, false);
                if (pl.is_object() && pl.contains("check_code") && pl["check_code"].is_string())
                    target.check_code = pl["check_code"].get<std::string>();
                target.status = t.text(0, 3);
            }
            const ledger::SignupDecision d = ledger::check_cancel(target, signup_id, receipt, code);
            if (d.status != ledger::kCancelled) return d;
            const std::string act = t.text(0, 4);
            // Its activity must be locked (it was, unless the sign-up was stored by another
            // server after this batch read its targets: decide the batch again).
            if (!activities.count(act) && !read_activities.count(act))
                throw PgError("postgresql: a cancelled sign-up arrived concurrently; retrying", kLostRace);
            ActivityState& st = activities[act];   // absent: the activity was deleted, no places
            const ledger::CancelOutcome o =
                ledger::cancel(st.seats, signup_id, target.status, t.i64(0, 5), read_waitlist(c, act));
            if (o.ok()) {   // else already cancelled (staff, the resident's phone page)
                c.exec("UPDATE records SET signup_status = 'cancelled' WHERE id = $1", {signup_id});
                write_promotions(c, o.promoted, act, meta.received_at);
                for (const std::string& id : o.promoted) out.promoted.push_back(Promotion{id, act});
                if (o.taken_changed && st.exists) st.changed = true;
            }
            return d;
        };
        // A kiosk's attendance tick (ledger::check_attendance), set as set_attendance does.
        auto apply_attendance = [&](const PreparedRecord& p) -> ledger::SignupDecision {
            Result t = c.exec("SELECT r.kind, COALESCE(a.json, '') FROM records r "
                              "LEFT JOIN activities a ON a.id = r.activity_id WHERE r.id = $1",
                              {p.attendance_of});
            ledger::AttendanceTarget target;
            if (t.rows()) {
                target.found = true;
                target.kind = t.text(0, 0);
                const Json aj = Json::parse(t.text(0, 1), nullptr, false);
                if (aj.is_object() && aj.contains("centre_id") && aj["centre_id"].is_string())
                    target.activity_centre = aj["centre_id"].get<std::string>();
            }
            Result dev = c.exec("SELECT centre_id FROM devices WHERE kiosk_id = $1", {meta.kiosk_id});
            const ledger::SignupDecision d =
                ledger::check_attendance(target, p.attendance_of, dev.rows() ? dev.text(0, 0) : std::string());
            if (d.rejected()) return d;
            c.exec("INSERT INTO record_admin (record_id, attended, updated_by, updated_at) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (record_id) DO UPDATE SET attended = excluded.attended, "
                   "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                   {p.attendance_of, p.attended == 1 ? 1 : 0, "kiosk:" + meta.kiosk_id, meta.received_at});
            return d;
        };
        const OnCancel on_cancel = [&](const PreparedRecord& p, RecordAnswer& a, NewRows& rows) {
            flush(rows);
            if (p.record.kind == RecordKind::Attendance) {
                const ledger::SignupDecision d = apply_attendance(p);
                if (!d.rejected()) return true;
                a.code = d.code;
                a.message = d.message;
                return false;
            }
            ledger::SignupDecision d = decide_cancel(p.cancel_of, p.cancel_receipt, p.cancel_code);
            if (d.status == ledger::kWaiting) {
                // Its sign-up has not arrived. Before it waits, make sure no push that is
                // storing that sign-up right now misses it: this lock waits for every push
                // past its own look at cancel_waits (ROW SHARE, below) to commit, and holds
                // later ones until this commits, so one of the two always sees the other.
                c.exec_script("LOCK TABLE cancel_waits IN EXCLUSIVE MODE");
                if (c.exec("SELECT 1 FROM records WHERE id = $1", {p.cancel_of}).rows())
                    throw PgError("postgresql: a cancelled sign-up arrived concurrently; retrying", kLostRace);
                c.exec("INSERT INTO cancel_waits (cancel_id, signup_id) VALUES ($1, $2)", {p.id, p.cancel_of});
            }
            if (d.rejected()) {
                a.code = d.code;
                a.message = d.message;
                return false;
            }
            a.signup_status = d.status;   // cancelled, or waiting
            return true;
        };

        NewRows rows;
        std::set<std::string> leases_used;
        decide(batch, known, activities, out, rows, cancels ? on_cancel : OnCancel(), &leases, &leases_used);
        for (const std::string& id : leases_used)
            c.exec("UPDATE leases SET used = $2 WHERE id = $1", {id, leases.at(id).used});
        const std::size_t n_rows = rows.size();
        if (n_rows > 0) {
            Result r = insert_rows(c, rows, meta.received_at);
            if (r.rows() != static_cast<int>(n_rows)) {
                // Fewer rows than decided: another server committed some of these ids after
                // our read. Roll back and decide again; the re-read answers them.
                if (signups)
                    throw PgError("postgresql: a record of this batch was stored concurrently; retrying", kLostRace);
                // Insert-first: the skipped ids were stored before (an earlier push, or another
                // server's that committed while this waited for it). Look them up and decide
                // again against them; what was inserted is exactly what is new.
                std::set<std::string> inserted;
                for (int i = 0; i < r.rows(); ++i) inserted.insert(r.text(i, 0));
                BinaryArray taken(kTextOid);
                std::set<std::string> asked;
                for (const PreparedRecord& p : batch)
                    if (!p.rejected() && !inserted.count(p.id) && asked.insert(p.id).second) taken.text(p.id);
                read_known(c, std::move(taken), known);
                for (const std::string& id : asked)
                    if (!known.count(id))   // skipped but not there: gone again; start over
                        throw PgError("postgresql: a record of this batch changed concurrently; retrying", kLostRace);
                out = IngestResult{};
                out.answers.reserve(batch.size());
                NewRows again;
                decide(batch, known, activities, out, again);
                if (again.size() != inserted.size())
                    throw PgError("postgresql: a record of this batch was stored concurrently; retrying", kLostRace);
            }
        }
        // Cancels that arrived before a sign-up this push stored: decided and applied now, in
        // their arrival order (as the SQLite engine does at the end of a push).
        if (signups) {
            BinaryArray stored_signups(kTextOid);
            for (std::size_t i = 0; i < batch.size() && i < out.answers.size(); ++i)
                if (batch[i].record.kind == RecordKind::SignUp && out.answers[i].result == "stored" &&
                    !batch[i].rejected())
                    stored_signups.text(batch[i].id);
            if (stored_signups.size() > 0) {
                c.exec_script("LOCK TABLE cancel_waits IN ROW SHARE MODE");
                Result w = c.exec_binary("kyodo_cancel_waits",
                                         "SELECT w.cancel_id, w.signup_id, r.payload FROM cancel_waits w "
                                         "JOIN records r ON r.id = w.cancel_id "
                                         "WHERE w.signup_id = ANY ($1::text[]) ORDER BY r.seq",
                                         {stored_signups.take()});
                for (int i = 0; i < w.rows(); ++i) {
                    const Json pl = Json::parse(w.text(i, 2), nullptr, false);
                    auto text = [&](const char* k) {
                        return pl.is_object() && pl.contains(k) && pl[k].is_string() ? pl[k].get<std::string>()
                                                                                      : std::string();
                    };
                    const ledger::SignupDecision d = decide_cancel(w.text(i, 1), text("receipt"), text("check_code"));
                    c.exec("UPDATE records SET signup_status = $2 WHERE id = $1",
                           {w.text(i, 0), std::string(d.status == ledger::kCancelled ? ledger::kCancelled : ledger::kRefused)});
                    c.exec("DELETE FROM cancel_waits WHERE cancel_id = $1", {w.text(i, 0)});
                }
            }
        }
        std::int64_t version = 0;
        std::vector<std::string> changed;
        for (const auto& [id, st] : activities)
            if (st.changed) changed.push_back(id);
        std::sort(changed.begin(), changed.end());
        if (changed.empty()) {
            version = read_catalog_version(c);
        } else {
            version = c.exec("UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version").i64(0, 0);
            for (const std::string& id : changed)
                c.exec("UPDATE activities SET taken = $2, version = $3 WHERE id = $1",
                       {id, activities[id].seats.taken, version});
        }
        out.activities_changed = std::move(changed);
        out.catalog_version = version;
        return out;
    }

    static std::int64_t import_once(Tx& t, const CatalogDelta& d, std::vector<Promotion>& promoted) {
        Conn& c = t.c;
        // Takes the next version now (the counter row stays locked until we finish, so
        // imports and sign-up bumps are serialised); rolled back if nothing changed.
        const std::int64_t next =
            c.exec("UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version").i64(0, 0);
        const std::int64_t current = next - 1;
        bool changed = false;
        const std::string now = rfc3339_now();

        struct Row {
            std::string json;
            bool deleted;
            std::int64_t capacity = 0;   // activities
        };
        std::unordered_map<std::string, Row> existing[4];
        for (int i = 0; i < 4; ++i) {
            const bool act = i == 2;
            Result r = c.exec((std::string("SELECT id, json, deleted") + (act ? ", capacity" : "") + " FROM " +
                               kCatalogTables[i]).c_str());
            for (int k = 0; k < r.rows(); ++k)
                existing[i][r.text(k, 0)] = Row{r.text(k, 1), r.boolean(k, 2), act ? r.i64(k, 3) : 0};
        }
        std::vector<std::string> capacity_changed;   // live activities whose capacity moved

        auto upsert = [&](int table, const std::string& id, Json j, const Activity* a) {
            j.erase("version");
            j.erase("taken");
            std::string text = j.dump();
            auto it = existing[table].find(id);
            if (it != existing[table].end() && !it->second.deleted && it->second.json == text) return;   // unchanged
            changed = true;
            if (a && it != existing[table].end() && it->second.capacity != a->capacity) capacity_changed.push_back(id);
            if (a && it != existing[table].end() && !it->second.deleted) {
                // Its date or place moved: tell who signed up, in this transaction (server/notices.h).
                if (auto moved = activity_moved_detail(it->second.json, text))
                    pg_queue_activity_notices(c, id, "activity_moved", *moved, now, sha256_hex(text).substr(0, 16));
            }
            if (a) {
                c.exec("INSERT INTO activities (id, version, deleted, json, capacity, taken) "
                       "VALUES ($1, $2, false, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET "
                       "version = excluded.version, deleted = false, json = excluded.json, "
                       "capacity = excluded.capacity",
                       {id, next, text, a->capacity, a->taken});
            } else {
                c.exec((std::string("INSERT INTO ") + kCatalogTables[table] +
                        " (id, version, deleted, json) VALUES ($1, $2, false, $3) ON CONFLICT (id) DO UPDATE SET "
                        "version = excluded.version, deleted = false, json = excluded.json")
                           .c_str(),
                       {id, next, text});
            }
            existing[table][id] = Row{std::move(text), false, a ? a->capacity : 0};
        };
        auto remove = [&](int table, const std::string& id) {
            auto it = existing[table].find(id);
            if (it == existing[table].end() || it->second.deleted) return;
            if (table == 2)   // withdrawn: cancelled for everyone signed up (server/notices.h)
                pg_queue_activity_notices(c, id, "activity_cancelled", activity_cancelled_detail(it->second.json), now,
                                          std::to_string(next));
            c.exec((std::string("UPDATE ") + kCatalogTables[table] +
                    " SET deleted = true, version = $2 WHERE id = $1 AND NOT deleted")
                       .c_str(),
                   {id, next});
            it->second.deleted = true;
            changed = true;
        };

        std::set<std::string> ids[4];
        for (const auto& x : d.centres) { upsert(0, x.id, to_json(x), nullptr); ids[0].insert(x.id); }
        for (const auto& x : d.organizations) { upsert(1, x.id, to_json(x), nullptr); ids[1].insert(x.id); }
        for (const auto& x : d.activities) { upsert(2, x.id, to_json(x), &x); ids[2].insert(x.id); }
        for (const auto& x : d.surveys) { upsert(3, x.id, to_json(x), nullptr); ids[3].insert(x.id); }
        for (const auto& id : d.deleted_centres) remove(0, id);
        for (const auto& id : d.deleted_organizations) remove(1, id);
        for (const auto& id : d.deleted_activities) remove(2, id);
        for (const auto& id : d.deleted_surveys) remove(3, id);
        if (d.full) {
            for (int i = 0; i < 4; ++i) {
                std::vector<std::string> gone;
                for (const auto& [id, row] : existing[i])
                    if (!row.deleted && !ids[i].count(id)) gone.push_back(id);
                std::sort(gone.begin(), gone.end());
                for (const auto& id : gone) remove(i, id);
            }
        }
        if (!changed) {
            t.commit = false;   // roll back: the version bump is undone, nothing was written
            return current;
        }
        // A raised capacity moves the waitlist up (server/ledger.h); a cut drops nobody. The
        // activity row is locked as a sign-up's would be.
        std::sort(capacity_changed.begin(), capacity_changed.end());
        for (const std::string& id : capacity_changed) {
            c.exec("SELECT 1 FROM activities WHERE id = $1 FOR UPDATE", {id});
            Result act = c.exec("SELECT capacity, taken, " KYODO_HELD_SQL " FROM activities WHERE id = $1 AND NOT deleted",
                                {id});
            if (act.rows() == 0) continue;
            ledger::Seats seats{act.i64(0, 0), act.i64(0, 1), act.i64(0, 2), false};
            const ledger::CapacityOutcome out = ledger::change_capacity(seats, seats.capacity, read_waitlist(c, id));
            write_promotions(c, out.promoted, id, now);
            for (const std::string& p : out.promoted) promoted.push_back(Promotion{p, id});
            if (out.taken_changed) c.exec("UPDATE activities SET taken = $2 WHERE id = $1", {id, seats.taken});
        }
        return next;
    }

    static Json catalog_since_once(Conn& c, std::int64_t since) {
        const bool full = since <= 0;
        Json doc = Json::object();
        doc["version"] = read_catalog_version(c);
        doc["full"] = full;
        Json deleted = Json::object();
        for (const char* table : kCatalogTables) {
            const bool is_act = std::string(table) == "activities";
            const std::string sql = std::string("SELECT id, version, deleted, json") + (is_act ? ", taken" : "") +
                                    " FROM " + table + (full ? " WHERE NOT deleted" : " WHERE version > $1") +
                                    " ORDER BY version, id";
            Result r = full ? c.exec(sql.c_str()) : c.exec(sql.c_str(), {since});
            Json items = Json::array();
            Json gone = Json::array();
            for (int i = 0; i < r.rows(); ++i) {
                if (r.boolean(i, 2)) {
                    gone.push_back(r.text(i, 0));
                    continue;
                }
                Json j = Json::parse(r.text(i, 3));
                j["version"] = r.i64(i, 1);
                if (is_act) j["taken"] = r.i64(i, 4);
                items.push_back(std::move(j));
            }
            doc[table] = std::move(items);
            deleted[table] = std::move(gone);
        }
        doc["deleted"] = std::move(deleted);
        return doc;
    }

    std::string url_;
    PgDb db_;
    PgAdmin admin_;
    std::unique_ptr<CivicStorage> civic_;
    PgNotices notices_;
    std::mutex talent_mu_;
    std::unique_ptr<TalentStorage> talent_;
    std::unique_ptr<GroupStorage> groups_;
    std::unique_ptr<BookingStorage> bookings_;
    std::unique_ptr<ItemStorage> items_;
};

}  // namespace

std::unique_ptr<Storage> open_pg_storage(const std::string& url) {
    return std::make_unique<PgStorage>(url);
}

std::unique_ptr<Storage> open_storage(const std::string& spec) {
    if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0) return open_pg_storage(spec);
    return open_sqlite_storage(spec);
}

}  // namespace kyodo::server
