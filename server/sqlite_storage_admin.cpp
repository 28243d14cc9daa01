// SQLite implementation of AdminStorage (server/storage.h, server/sqlite_admin.h).
// Admin operations are rare (a staff member clicking), so statements are prepared per call.
#include "server/sqlite_admin.h"

#include "server/ledger.h"
#include "server/sqlite_q.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace kyodo::server {
namespace {

const char* const kAdminMigrations[] = {
    // 1: staff, sessions, audit log, record triage; indexes for rosters and receipts.
    R"sql(
CREATE TABLE IF NOT EXISTS staff (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS staff_sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, username TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_admin (
    record_id TEXT PRIMARY KEY, state TEXT NOT NULL DEFAULT '', department TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', attended INTEGER NOT NULL DEFAULT -1,
    updated_by TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS records_activity_seq ON records (activity_id, seq);
CREATE INDEX IF NOT EXISTS records_receipt ON records (receipt);
CREATE INDEX IF NOT EXISTS records_kind_seq ON records (kind, seq);
)sql",
    // 2: the notice outbox (server/notices.h): one row per e-mail to send, queued in the same
    // transaction as the change that causes it; dedupe_key makes queueing idempotent.
    R"sql(
CREATE TABLE IF NOT EXISTS notices (
    id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, record_id TEXT NOT NULL,
    detail TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL, lease_until TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, sent_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS notices_due ON notices (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS notices_record ON notices (record_id);
)sql",
    // 3: check-in links (server/storage.h CheckinLink): the token's hash only.
    R"sql(
CREATE TABLE IF NOT EXISTS checkin_links (
    activity_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
    created_by TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, revoked_at TEXT NOT NULL DEFAULT '');
)sql",
    // 4: covering indexes for the dashboard's counts, so they read an index, not 100,000 rows
    // (docs/performance.md "Dashboard pages"): sign-ups by activity and status and the state
    // counts (kind + id, joined to record_admin): the home page, rosters, the yearly report;
    // records by centre and time: the monthly report and /open/counts.
    R"sql(
CREATE INDEX IF NOT EXISTS records_kind_tally ON records (kind, activity_id, signup_status, party_size, id);
CREATE INDEX IF NOT EXISTS records_kind_centre_created ON records (kind, centre_id, created_at);
)sql",
};
constexpr int kAdminSchema = static_cast<int>(sizeof kAdminMigrations / sizeof kAdminMigrations[0]);

using sqlq::Q;

const char* const kNoticeColumns =
    "id, dedupe_key, kind, record_id, detail, state, attempts, next_attempt_at, lease_until, last_error, "
    "created_at, sent_at";

Notice read_notice(const Q& q) {
    Notice n;
    n.id = q.text(0); n.dedupe_key = q.text(1); n.kind = q.text(2); n.record_id = q.text(3);
    n.detail = q.text(4); n.state = q.text(5); n.attempts = static_cast<int>(q.i64(6));
    n.next_attempt_at = q.text(7); n.lease_until = q.text(8); n.last_error = q.text(9);
    n.created_at = q.text(10); n.sent_at = q.text(11);
    return n;
}

class SqliteNotices final : public NoticeStorage {
public:
    SqliteNotices(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {}

    int enqueue_notices(const std::vector<Notice>& ns) override {
        std::lock_guard lock(mu_);
        int added = 0;
        for (const Notice& n : ns) added += sqlite_insert_notice(db_, n);
        return added;
    }
    std::vector<Notice> claim_notices(const std::string& now, const std::string& lease_until,
                                      std::size_t limit) override {
        std::lock_guard lock(mu_);
        sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        std::vector<Notice> out;
        try {
            {
                Q q(db_, (std::string("SELECT ") + kNoticeColumns +
                          " FROM notices WHERE state = 'pending' AND next_attempt_at <= ?1 AND lease_until <= ?1 "
                          "ORDER BY created_at, id LIMIT ?2").c_str());
                q.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
                while (q.step()) out.push_back(read_notice(q));
            }
            for (Notice& n : out) {
                Q u(db_, "UPDATE notices SET attempts = attempts + 1, lease_until = ?2 WHERE id = ?1");
                u.bind(1, n.id).bind(2, lease_until).step();
                ++n.attempts;
                n.lease_until = lease_until;
            }
        } catch (...) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw StorageError(std::string("sqlite: ") + sqlite3_errmsg(db_));
        }
        return out;
    }
    bool mark_notice_sent(const std::string& id, const std::string& now) override {
        std::lock_guard lock(mu_);
        Q q(db_, "UPDATE notices SET state = 'sent', sent_at = ?2, lease_until = '', last_error = '' "
                 "WHERE id = ?1 AND state = 'pending'");
        q.bind(1, id).bind(2, now).step();
        return sqlite3_changes(db_) > 0;
    }
    void mark_notice_failed(const std::string& id, const std::string& error, const std::string& next_attempt_at,
                            bool give_up) override {
        std::lock_guard lock(mu_);
        Q q(db_, "UPDATE notices SET state = ?4, last_error = ?2, next_attempt_at = ?3, lease_until = '' "
                 "WHERE id = ?1 AND state = 'pending'");
        q.bind(1, id).bind(2, error).bind(3, next_attempt_at).bind(4, std::string(give_up ? "failed" : "pending")).step();
    }
    std::vector<Notice> notices(const std::string& record_id, std::size_t limit) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT ") + kNoticeColumns +
                  " FROM notices WHERE (?1 = '' OR record_id = ?1) ORDER BY created_at DESC, id DESC LIMIT ?2").c_str());
        q.bind(1, record_id).bind(2, static_cast<std::int64_t>(limit));
        std::vector<Notice> out;
        while (q.step()) out.push_back(read_notice(q));
        return out;
    }
    std::vector<Notice> notices_page(const std::string& state, const std::string& before_id, std::size_t limit) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT ") + kNoticeColumns +
                  " FROM notices WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR (created_at, id) < "
                  "(SELECT created_at, id FROM notices WHERE id = ?2)) ORDER BY created_at DESC, id DESC LIMIT ?3").c_str());
        q.bind(1, state).bind(2, before_id).bind(3, static_cast<std::int64_t>(limit));
        std::vector<Notice> out;
        while (q.step()) out.push_back(read_notice(q));
        return out;
    }
    std::map<std::string, std::int64_t> notice_counts() override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT state, COUNT(*) FROM notices GROUP BY state");
        std::map<std::string, std::int64_t> out;
        while (q.step()) out[q.text(0)] = q.i64(1);
        return out;
    }

private:
    sqlite3* db_;
    std::mutex& mu_;
};

class SqliteAdmin final : public AdminStorage {
public:
    // `rdb`: a read-only connection of its own to the same file (WAL: readers never wait for
    // the writer, nor it for them), for the reads of dashboard pages and open data, so a long
    // list or count never holds the connection kiosk pushes are written on.
    SqliteAdmin(sqlite3* db, std::mutex& mu, sqlite3* rdb, std::mutex& rmu) : db_(db), mu_(mu), rdb_(rdb), rmu_(rmu) {
        std::lock_guard lock(mu_);
        exec("CREATE TABLE IF NOT EXISTS admin_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
        int v = 0;
        {
            Q q(db_, "SELECT version FROM admin_schema WHERE id = 1");
            if (q.step()) v = static_cast<int>(q.i64(0));
        }
        for (; v < kAdminSchema; ++v) {
            Tx tx(*this);
            exec(kAdminMigrations[v]);
            Q q(db_, "INSERT INTO admin_schema (id, version) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET version = ?1");
            q.bind(1, static_cast<std::int64_t>(v + 1)).step();
            tx.commit();
        }
    }

    void put_staff(const StaffUser& u) override {
        std::lock_guard lock(mu_);
        Q q(db_, "INSERT INTO staff (username, password_hash, role, created_at, disabled) VALUES (?1, ?2, ?3, ?4, ?5) "
                 "ON CONFLICT (username) DO UPDATE SET password_hash = ?2, role = ?3, disabled = ?5");
        q.bind(1, u.user).bind(2, u.password_hash).bind(3, u.role).bind(4, u.created_at)
            .bind(5, std::int64_t{u.disabled ? 1 : 0}).step();
        if (u.disabled) {
            Q d(db_, "DELETE FROM staff_sessions WHERE username = ?1");
            d.bind(1, u.user).step();
        }
    }
    std::optional<StaffUser> staff(const std::string& user) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT username, password_hash, role, created_at, disabled FROM staff WHERE username = ?1");
        q.bind(1, user);
        if (!q.step()) return std::nullopt;
        return read_staff(q);
    }
    std::vector<StaffUser> staff_list() override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT username, password_hash, role, created_at, disabled FROM staff ORDER BY username");
        std::vector<StaffUser> out;
        while (q.step()) out.push_back(read_staff(q));
        return out;
    }

    std::vector<StaffUser> staff_page(std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT username, password_hash, role, created_at, disabled FROM staff ORDER BY username LIMIT ?1 OFFSET ?2");
        q.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(2, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<StaffUser> out;
        while (q.step()) out.push_back(read_staff(q));
        return out;
    }
    std::int64_t staff_count() override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT COUNT(*) FROM staff");
        return q.step() ? q.i64(0) : 0;
    }

    void create_session(const StaffSession& s) override {
        std::lock_guard lock(mu_);
        Q old(db_, "DELETE FROM staff_sessions WHERE expires_at < ?1");
        old.bind(1, s.created_at).step();
        Q q(db_, "INSERT INTO staff_sessions (token_hash, username, csrf, created_at, expires_at) VALUES (?1,?2,?3,?4,?5)");
        q.bind(1, s.token_hash).bind(2, s.user).bind(3, s.csrf).bind(4, s.created_at).bind(5, s.expires_at).step();
    }
    std::optional<StaffSession> session(const std::string& token_hash, const std::string& now) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT s.token_hash, s.username, u.role, s.csrf, s.created_at, s.expires_at FROM staff_sessions s "
                 "JOIN staff u ON u.username = s.username WHERE s.token_hash = ?1 AND s.expires_at > ?2 "
                 "AND u.disabled = 0");
        q.bind(1, token_hash).bind(2, now);
        if (!q.step()) return std::nullopt;
        StaffSession s;
        s.token_hash = q.text(0);
        s.user = q.text(1);
        s.role = q.text(2);
        s.csrf = q.text(3);
        s.created_at = q.text(4);
        s.expires_at = q.text(5);
        return s;
    }
    void delete_session(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        Q q(db_, "DELETE FROM staff_sessions WHERE token_hash = ?1");
        q.bind(1, token_hash).step();
    }

    void delete_sessions_of(const std::string& user) override {
        std::lock_guard lock(mu_);
        Q q(db_, "DELETE FROM staff_sessions WHERE username = ?1");
        q.bind(1, user).step();
    }

    void add_audit(const AuditEntry& e) override {
        std::lock_guard lock(mu_);
        Q q(db_, "INSERT INTO audit_log (at, username, action, target, detail) VALUES (?1,?2,?3,?4,?5)");
        q.bind(1, e.at).bind(2, e.user).bind(3, e.action).bind(4, e.target).bind(5, e.detail).step();
    }
    std::vector<AuditEntry> audit_log(std::size_t limit) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT id, at, username, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?1");
        q.bind(1, static_cast<std::int64_t>(limit));
        std::vector<AuditEntry> out;
        while (q.step()) out.push_back(AuditEntry{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
        return out;
    }

    std::vector<AuditEntry> audit_page(std::int64_t before_id, const std::string& action, std::size_t limit) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT id, at, username, action, target, detail FROM audit_log WHERE (?1 = 0 OR id < ?1) "
                 "AND (?2 = '' OR action = ?2) ORDER BY id DESC LIMIT ?3");
        q.bind(1, before_id).bind(2, action).bind(3, static_cast<std::int64_t>(limit));
        std::vector<AuditEntry> out;
        while (q.step()) out.push_back(AuditEntry{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
        return out;
    }
    std::int64_t audit_count(const std::string& action) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT COUNT(*) FROM audit_log WHERE (?1 = '' OR action = ?1)");
        q.bind(1, action);
        return q.step() ? q.i64(0) : 0;
    }

    // The WHERE conditions of a RecordQuery's filters (kind, activity, centre, receipt, id
    // prefix, state), its text binds appended to `binds`.
    static std::string filters(const RecordQuery& rq, std::vector<std::string>& binds) {
        std::string where;
        // Only the filters asked for, so SQLite can use records_kind_seq / records_activity_seq
        // (a list page is then an index walk of one page, not a scan and sort).
        auto cond = [&](const std::string& v, const char* sql_cond) {
            if (v.empty()) return;
            binds.push_back(v);
            where += std::string(" AND ") + sql_cond + " ?" + std::to_string(binds.size());
        };
        cond(rq.kind, "r.kind =");
        cond(rq.activity_id, "r.activity_id =");
        cond(rq.centre_id, "r.centre_id =");
        cond(rq.receipt, "r.receipt =");
        if (!rq.id_prefix.empty()) {
            binds.push_back(rq.id_prefix);
            const std::string n = std::to_string(binds.size());
            where += " AND substr(r.id, 1, length(?" + n + ")) = ?" + n;
        }
        cond(rq.state, "COALESCE(NULLIF(a.state, ''), 'new') =");
        return where;
    }

    std::int64_t count_records(const RecordQuery& rq) override {
        std::lock_guard lock(rmu_);
        std::vector<std::string> binds;
        const std::string where = filters(rq, binds);
        // The join only when the state filter needs it.
        Q q(rdb_, (std::string("SELECT COUNT(*) FROM records r") + (rq.state.empty() ? "" : " LEFT JOIN record_admin a ON a.record_id = r.id") +
                  " WHERE 1" + where).c_str());
        for (std::size_t i = 0; i < binds.size(); ++i) q.bind(static_cast<int>(i + 1), binds[i]);
        return q.step() ? q.i64(0) : 0;
    }

    std::vector<AdminRecord> records(const RecordQuery& rq) override {
        std::lock_guard lock(rmu_);
        const std::string sql =
            "SELECT r.id, r.kind, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.content_hash, r.payload, "
            "r.sealed, COALESCE(r.personal, ''), r.receipt, r.signup_status, r.flags, r.seq, r.activity_id, "
            "r.party_size, COALESCE(a.state, ''), COALESCE(a.department, ''), COALESCE(a.note, ''), "
            "COALESCE(a.attended, -1), COALESCE(a.updated_by, ''), COALESCE(a.updated_at, '') "
            "FROM records r LEFT JOIN record_admin a ON a.record_id = r.id WHERE 1";
        std::vector<std::string> binds;
        std::string where = filters(rq, binds);
        if (rq.before_seq > 0) where += " AND r.seq < " + std::to_string(rq.before_seq);
        where += rq.newest_first ? " ORDER BY r.seq DESC" : " ORDER BY r.seq";
        where += " LIMIT " + std::to_string(std::min<std::size_t>(rq.limit, 100000000));
        if (rq.offset) where += " OFFSET " + std::to_string(std::min<std::size_t>(rq.offset, 100000000));
        Q q(rdb_, (sql + where).c_str());
        for (std::size_t i = 0; i < binds.size(); ++i) q.bind(static_cast<int>(i + 1), binds[i]);
        std::vector<AdminRecord> out;
        while (q.step()) {
            AdminRecord a;
            StoredRecord& x = a.rec;
            x.id = q.text(0); x.kind = q.text(1); x.kiosk_id = q.text(2); x.centre_id = q.text(3);
            x.created_at = q.text(4); x.received_at = q.text(5); x.content_hash = q.text(6);
            x.payload = q.text(7); x.sealed = q.text(8); x.personal = q.text(9); x.receipt = q.text(10);
            x.signup_status = q.text(11); x.flags = q.text(12); x.seq = q.i64(13);
            a.activity_id = q.text(14);
            a.party_size = static_cast<int>(q.i64(15));
            a.state = q.text(16); a.department = q.text(17); a.note = q.text(18);
            a.attended = static_cast<int>(q.i64(19));
            a.updated_by = q.text(20); a.updated_at = q.text(21);
            out.push_back(std::move(a));
        }
        return out;
    }

    // The records staff touched (record_admin, few) grouped by state and note, and the kind's
    // count from the index records_kind_seq; the rest were never touched (state ""). Joining
    // record_admin to every record of the kind instead looked up each of them (the home page's
    // biggest cost after the catalog at 100,000 records).
    std::vector<StateCount> state_counts(const std::string& kind) override {
        std::lock_guard lock(rmu_);
        std::map<std::pair<std::string, bool>, std::int64_t> by;
        std::int64_t touched = 0, total = 0;
        {
            Q q(rdb_, "SELECT a.state, a.note <> '', COUNT(*) FROM record_admin a JOIN records r ON r.id = a.record_id "
                      "WHERE r.kind = ?1 GROUP BY 1, 2");
            q.bind(1, kind);
            while (q.step()) {
                by[{q.text(0), q.i64(1) != 0}] += q.i64(2);
                touched += q.i64(2);
            }
        }
        {
            Q q(rdb_, "SELECT COUNT(*) FROM records WHERE kind = ?1");
            q.bind(1, kind);
            if (q.step()) total = q.i64(0);
        }
        if (total > touched) by[{"", false}] += total - touched;
        std::vector<StateCount> out;
        for (const auto& kv : by) out.push_back(StateCount{kv.first.first, kv.first.second, kv.second});
        return out;
    }

    std::vector<SignupTally> signup_tallies(const std::string& activity_id) override {
        std::lock_guard lock(rmu_);
        // max(1, party_size) as the pages counted it; attendance lives in record_admin.
        // Read from the covering index records_kind_tally (kind, activity_id, signup_status,
        // party_size, id), not from the record rows. The activity filter is written only when
        // given: "?1 = '' OR …" made SQLite scan every record in activity_id order.
        const std::string sql =
            std::string("SELECT r.activity_id, COUNT(*), "
                        "COALESCE(SUM(CASE WHEN r.signup_status = 'confirmed' THEN MAX(1, r.party_size) END), 0), "
                        "COALESCE(SUM(CASE WHEN r.signup_status = 'waitlisted' THEN MAX(1, r.party_size) END), 0), "
                        "COALESCE(SUM(CASE WHEN r.signup_status NOT IN ('confirmed', 'waitlisted') THEN MAX(1, r.party_size) END), 0), "
                        "COALESCE(SUM(CASE WHEN r.signup_status = 'confirmed' AND a.attended = 1 THEN MAX(1, r.party_size) END), 0) "
                        "FROM records r LEFT JOIN record_admin a ON a.record_id = r.id WHERE r.kind = 'sign_up'") +
            (activity_id.empty() ? "" : " AND r.activity_id = ?1") + " GROUP BY r.activity_id ORDER BY r.activity_id";
        Q q(rdb_, sql.c_str());
        if (!activity_id.empty()) q.bind(1, activity_id);
        std::vector<SignupTally> out;
        while (q.step()) out.push_back(SignupTally{q.text(0), q.i64(1), q.i64(2), q.i64(3), q.i64(4), q.i64(5)});
        return out;
    }

    std::map<std::string, std::int64_t> payload_counts(const std::string& kind, const std::string& field) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT json_extract(r.payload, ?2), COUNT(*) FROM records r "
                 "WHERE r.kind = ?1 AND json_valid(r.payload) AND json_type(r.payload, ?2) = 'text' GROUP BY 1");
        q.bind(1, kind).bind(2, "$.\"" + field + "\"");
        std::map<std::string, std::int64_t> out;
        while (q.step()) out[q.text(0)] = q.i64(1);
        return out;
    }

    std::vector<CentreHourCount> centre_hour_counts(const std::string& kind) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, "SELECT centre_id, CASE WHEN created_at GLOB "
                 "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9]Z' OR created_at GLOB "
                 "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z' "
                 "THEN substr(created_at, 1, 13) ELSE created_at END, COUNT(*) FROM records WHERE kind = ?1 GROUP BY 1, 2");
        q.bind(1, kind);
        std::vector<CentreHourCount> out;
        while (q.step()) out.push_back(CentreHourCount{q.text(0), q.text(1), q.i64(2)});
        return out;
    }

    // The answer objects of the survey's responses (`ans`: o = the object, '{}' for anything else,
    // so no json_* function ever reads a non-JSON value whatever order SQLite evaluates terms in).
    static std::string survey_answers_cte(const std::string& survey_id) {
        return std::string(
                   "WITH ans AS (SELECT r.seq, r.created_at, json_extract(r.payload, '$.survey_id') AS sid, a.key AS k, "
                   "CASE WHEN a.type = 'object' THEN a.value ELSE '{}' END AS o "
                   "FROM records r, json_each(CASE WHEN json_valid(r.payload) AND json_type(r.payload, '$.answers') = 'array' "
                   "THEN r.payload ELSE '{\"answers\":[]}' END, '$.answers') a "
                   "WHERE r.kind = 'survey_response' AND json_valid(r.payload) AND json_type(r.payload, '$.survey_id') = 'text'") +
               (survey_id.empty() ? "" : " AND json_extract(r.payload, '$.survey_id') = ?1") + ") ";
    }
    static std::string hour_of(const char* col, bool by_hour) {
        if (!by_hour) return "''";
        const std::string c = col;
        return "CASE WHEN " + c + " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9]Z' OR " + c +
               " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z' "
               "THEN substr(" + c + ", 1, 13) ELSE " + c + " END";
    }

    // One pass over the survey responses: each row gives its survey, its hour and its answers
    // array (SQLite parses the payload once, json_extract), and the answers are counted here as
    // the rows stream by; nothing but the counts is kept. Counting them in SQL instead (json_each
    // over the answers, json_type / json_extract on each answer object, GROUP BY) took three
    // passes over the records table, and the survey responses lie among every other kind of
    // record, so each pass read nearly every page of the table and parsed each answer object
    // seven times: 477 ms against the old 205 ms at 100,000 records (docs/performance.md).
    SurveyTally survey_tally(const std::string& survey_id, bool by_hour) override {
        std::lock_guard lock(rmu_);
        SurveyTally out;
        using AnswerKey = std::tuple<std::string, std::string, std::string, bool, std::int64_t, bool, std::int64_t>;
        using PickKey = std::tuple<std::string, std::string, std::string, std::int64_t>;
        std::map<AnswerKey, std::int64_t> answers;
        std::map<PickKey, std::int64_t> picks;
        Q q(rdb_, ("SELECT json_extract(payload, '$.survey_id'), " + hour_of("created_at", by_hour) +
                   ", json_extract(payload, '$.answers') FROM records WHERE kind = 'survey_response' AND json_valid(payload) "
                   "AND json_type(payload, '$.survey_id') = 'text' AND json_type(payload, '$.answers') = 'array'" +
                   (survey_id.empty() ? "" : " AND json_extract(payload, '$.survey_id') = ?1"))
                      .c_str());
        if (!survey_id.empty()) q.bind(1, survey_id);
        auto int_of = [](const Json& o, const char* key, std::int64_t& v) {
            const auto it = o.find(key);
            if (it == o.end() || !it->is_number_integer()) return false;
            v = it->get<std::int64_t>();
            return true;
        };
        while (q.step()) {
            const std::string sid = q.text(0), at = q.text(1);
            ++out.responses[sid];
            const Json list = Json::parse(q.text(2), nullptr, false);
            if (!list.is_array()) continue;
            for (const Json& a : list) {
                if (!a.is_object()) continue;
                const auto qid = a.find("question_id");
                if (qid == a.end() || !qid->is_string()) continue;
                std::int64_t choice = 0, scale = 0;
                const bool has_choice = int_of(a, "choice", choice), has_scale = int_of(a, "scale", scale);
                ++answers[AnswerKey{sid, at, qid->get<std::string>(), has_choice, choice, has_scale, scale}];
                const auto cs = a.find("choices");
                if (cs != a.end() && cs->is_array())
                    for (const Json& x : *cs)
                        if (x.is_number_integer()) ++picks[PickKey{sid, at, qid->get<std::string>(), x.get<std::int64_t>()}];
            }
        }
        for (const auto& [k, n] : answers)
            out.answers.push_back(SurveyAnswerCount{std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), std::get<5>(k),
                                                    std::get<4>(k), std::get<6>(k), n});
        for (const auto& [k, n] : picks) out.picks.push_back(SurveyPickCount{std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n});
        return out;
    }

    std::vector<std::string> survey_texts(const std::string& survey_id, const std::string& question_id, std::size_t limit,
                                          std::size_t offset) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, (survey_answers_cte(survey_id) +
                   "SELECT json_extract(o, '$.text') FROM ans WHERE json_extract(o, '$.question_id') = ?2 AND json_type(o, '$.question_id') = 'text' "
                   "AND json_type(o, '$.text') = 'text' AND json_extract(o, '$.text') <> '' ORDER BY seq, k LIMIT ?3 OFFSET ?4")
                      .c_str());
        q.bind(1, survey_id).bind(2, question_id).bind(3, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(4, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<std::string> out;
        while (q.step()) out.push_back(q.text(0));
        return out;
    }

    std::int64_t survey_text_count(const std::string& survey_id, const std::string& question_id) override {
        std::lock_guard lock(rmu_);
        Q q(rdb_, (survey_answers_cte(survey_id) +
                   "SELECT COUNT(*) FROM ans WHERE json_extract(o, '$.question_id') = ?2 AND json_type(o, '$.question_id') = 'text' "
                   "AND json_type(o, '$.text') = 'text' AND json_extract(o, '$.text') <> ''")
                      .c_str());
        q.bind(1, survey_id).bind(2, question_id);
        return q.step() ? q.i64(0) : 0;
    }

    bool set_record_state(const std::string& id, const std::string& state, const std::string& department,
                          const std::string& note, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        std::string kind, old_state;
        {
            Q q(db_, "SELECT r.kind, COALESCE(a.state, '') FROM records r LEFT JOIN record_admin a "
                     "ON a.record_id = r.id WHERE r.id = ?1");
            q.bind(1, id);
            if (!q.step()) return false;
            kind = q.text(0);
            old_state = q.text(1);
        }
        Tx tx(*this);
        // The answer's notice commits with the answer (server/notices.h).
        if (auto d = answered_detail(kind, old_state, state, note))
            sqlite_queue_record_notice(db_, id, "answered", *d, now, state);
        Q q(db_, "INSERT INTO record_admin (record_id, state, department, note, updated_by, updated_at) "
                 "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (record_id) DO UPDATE SET state = ?2, department = ?3, "
                 "note = ?4, updated_by = ?5, updated_at = ?6");
        q.bind(1, id).bind(2, state).bind(3, department).bind(4, note).bind(5, by).bind(6, now).step();
        tx.commit();
        return true;
    }
    bool set_attendance(const std::string& id, int attended, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        if (!exists(id)) return false;
        Q q(db_, "INSERT INTO record_admin (record_id, attended, updated_by, updated_at) VALUES (?1,?2,?3,?4) "
                 "ON CONFLICT (record_id) DO UPDATE SET attended = ?2, updated_by = ?3, updated_at = ?4");
        q.bind(1, id).bind(2, std::int64_t{attended}).bind(3, by).bind(4, now).step();
        return true;
    }

    CancelResult cancel_signup(const std::string& id, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        CancelResult r;
        Tx tx(*this);
        std::string status, activity;
        std::int64_t party = 0;
        {
            Q q(db_, "SELECT kind, signup_status, activity_id, party_size FROM records WHERE id = ?1");
            q.bind(1, id);
            if (!q.step()) {
                r.error = "not_found";
                return r;
            }
            if (q.text(0) != "sign_up") {
                r.error = "not_signup";
                return r;
            }
            status = q.text(1);
            activity = q.text(2);
            party = q.i64(3);
        }
        std::int64_t version = 0;
        {
            Q q(db_, "SELECT version FROM catalog_state WHERE id = 1");
            if (q.step()) version = q.i64(0);
        }
        ledger::Seats seats;
        {
            Q q(db_, "SELECT capacity, taken, (SELECT COALESCE(SUM(places - used), 0) FROM leases "
                     "WHERE activity_id = activities.id AND released_at = '') FROM activities WHERE id = ?1");
            q.bind(1, activity);
            if (q.step()) {
                seats.capacity = q.i64(0);
                seats.taken = q.i64(1);
                seats.held = q.i64(2);
            }
        }
        std::vector<ledger::Waiting> line;
        {
            Q q(db_, "SELECT id, party_size FROM records WHERE activity_id = ?1 AND kind = 'sign_up' "
                     "AND signup_status = 'waitlisted' ORDER BY seq");
            q.bind(1, activity);
            while (q.step()) line.push_back(ledger::Waiting{q.text(0), q.i64(1)});
        }
        const ledger::CancelOutcome out = ledger::cancel(seats, id, status, party, line);
        if (!out.ok()) {
            r.error = out.error;
            return r;
        }
        {
            Q q(db_, "UPDATE records SET signup_status = 'cancelled' WHERE id = ?1");
            q.bind(1, id).step();
            Q m(db_, "INSERT INTO record_admin (record_id, updated_by, updated_at) VALUES (?1,?2,?3) "
                     "ON CONFLICT (record_id) DO UPDATE SET updated_by = ?2, updated_at = ?3");
            m.bind(1, id).bind(2, by).bind(3, now).step();
        }
        for (const std::string& p : out.promoted) {
            Q u(db_, "UPDATE records SET signup_status = 'confirmed' WHERE id = ?1");
            u.bind(1, p).step();
            r.promoted.push_back(Promotion{p, activity});
        }
        if (!r.promoted.empty()) r.promoted_id = r.promoted.front().id;
        // Each resident who moved up is told, in this same transaction (server/notices.h).
        if (!r.promoted.empty()) {
            std::string activity_json;
            Q q(db_, "SELECT json FROM activities WHERE id = ?1");
            q.bind(1, activity);
            if (q.step()) activity_json = q.text(0);
            for (const Promotion& p : r.promoted)
                sqlite_queue_record_notice(db_, p.id, "promoted", promoted_detail(activity_json), now);
        }
        // Kiosks pull a new version only when a count they show moved.
        if (out.taken_changed) {
            ++version;
            Q v(db_, "UPDATE catalog_state SET version = ?1 WHERE id = 1");
            v.bind(1, version).step();
            Q a(db_, "UPDATE activities SET taken = ?2, version = ?3 WHERE id = ?1");
            a.bind(1, activity).bind(2, seats.taken).bind(3, version).step();
        }
        tx.commit();
        r.ok = true;
        r.catalog_version = version;
        return r;
    }

    void put_checkin_link(const CheckinLink& l) override {
        std::lock_guard lock(mu_);
        Q q(db_, "INSERT INTO checkin_links (activity_id, token_hash, created_at, created_by, revoked, revoked_at) "
                 "VALUES (?1, ?2, ?3, ?4, 0, '') ON CONFLICT (activity_id) DO UPDATE SET token_hash = ?2, "
                 "created_at = ?3, created_by = ?4, revoked = 0, revoked_at = ''");
        q.bind(1, l.activity_id).bind(2, l.token_hash).bind(3, l.created_at).bind(4, l.created_by).step();
    }
    bool revoke_checkin_link(const std::string& activity_id, const std::string& now) override {
        std::lock_guard lock(mu_);
        Q q(db_, "UPDATE checkin_links SET revoked = 1, revoked_at = ?2 WHERE activity_id = ?1 AND revoked = 0");
        q.bind(1, activity_id).bind(2, now).step();
        return sqlite3_changes(db_) > 0;
    }
    std::optional<CheckinLink> checkin_link(const std::string& activity_id) override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT activity_id, token_hash, created_at, created_by, revoked, revoked_at FROM checkin_links "
                 "WHERE activity_id = ?1");
        q.bind(1, activity_id);
        if (!q.step()) return std::nullopt;
        return read_link(q);
    }
    std::optional<CheckinLink> checkin_link_by_token(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT activity_id, token_hash, created_at, created_by, revoked, revoked_at FROM checkin_links "
                 "WHERE token_hash = ?1 AND revoked = 0");
        q.bind(1, token_hash);
        if (!q.step()) return std::nullopt;
        return read_link(q);
    }

private:
    static CheckinLink read_link(const Q& q) {
        CheckinLink l;
        l.activity_id = q.text(0);
        l.token_hash = q.text(1);
        l.created_at = q.text(2);
        l.created_by = q.text(3);
        l.revoked = q.i64(4) != 0;
        l.revoked_at = q.text(5);
        return l;
    }

    class Tx {
    public:
        explicit Tx(SqliteAdmin& a) : a_(a) { a_.exec("BEGIN IMMEDIATE"); }
        ~Tx() {
            if (!done_) sqlite3_exec(a_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        void commit() {
            a_.exec("COMMIT");
            done_ = true;
        }

    private:
        SqliteAdmin& a_;
        bool done_ = false;
    };

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StorageError("sqlite: " + msg);
        }
    }
    bool exists(const std::string& id) {
        Q q(db_, "SELECT 1 FROM records WHERE id = ?1");
        q.bind(1, id);
        return q.step();
    }
    static StaffUser read_staff(const Q& q) {
        StaffUser u;
        u.user = q.text(0);
        u.password_hash = q.text(1);
        u.role = q.text(2);
        u.created_at = q.text(3);
        u.disabled = q.i64(4) != 0;
        return u;
    }

    sqlite3* db_;
    std::mutex& mu_;
    sqlite3* rdb_;      // read-only, for dashboard reads (see the constructor)
    std::mutex& rmu_;
};

}  // namespace

int sqlite_insert_notice(sqlite3* db, const Notice& n) {
    Q q(db, "INSERT INTO notices (id, dedupe_key, kind, record_id, detail, state, attempts, next_attempt_at, "
            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7) ON CONFLICT (dedupe_key) DO NOTHING");
    q.bind(1, n.id).bind(2, n.dedupe_key).bind(3, n.kind).bind(4, n.record_id).bind(5, n.detail)
        .bind(6, n.next_attempt_at.empty() ? n.created_at : n.next_attempt_at).bind(7, n.created_at).step();
    return sqlite3_changes(db) > 0 ? 1 : 0;
}

int sqlite_queue_record_notice(sqlite3* db, const std::string& record_id, const std::string& kind, const Json& detail,
                               const std::string& now, const std::string& dedupe_suffix) {
    Q q(db, "SELECT kind, payload, COALESCE(personal, '') FROM records WHERE id = ?1");
    q.bind(1, record_id);
    if (!q.step() || !wants_notices(q.text(0), q.text(1), q.text(2))) return 0;
    return sqlite_insert_notice(db, make_notice(kind, record_id, detail, now, dedupe_suffix));
}

int sqlite_queue_activity_notices(sqlite3* db, const std::string& activity_id, const std::string& kind,
                                  const Json& detail, const std::string& now, const std::string& dedupe_suffix) {
    std::vector<std::string> ids;
    {
        Q q(db, "SELECT id, payload, COALESCE(personal, '') FROM records WHERE activity_id = ?1 AND kind = 'sign_up' "
                "AND signup_status IN ('confirmed', 'waitlisted') ORDER BY seq");
        q.bind(1, activity_id);
        while (q.step())
            if (wants_notices("sign_up", q.text(1), q.text(2))) ids.push_back(q.text(0));
    }
    int added = 0;
    for (const auto& id : ids) added += sqlite_insert_notice(db, make_notice(kind, id, detail, now, dedupe_suffix));
    return added;
}

std::unique_ptr<NoticeStorage> make_sqlite_notices(sqlite3* db, std::mutex& mu) {
    return std::make_unique<SqliteNotices>(db, mu);
}

std::unique_ptr<AdminStorage> make_sqlite_admin(sqlite3* db, std::mutex& mu, sqlite3* read_db, std::mutex& read_mu) {
    return std::make_unique<SqliteAdmin>(db, mu, read_db, read_mu);
}

}  // namespace kyodo::server
