// PostgreSQL half of GroupStorage (server/groups.h). A connection of its own (deciding an
// application is a staff member's click, never the push path), like the talent bank's.
// The table is created if missing under an advisory lock; deciding takes a transaction-level
// advisory lock so two servers on one database never issue the same registration number.
#include <libpq-fe.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/groups.h"
#include "server/groups.h"

namespace kyodo::server {
namespace {

constexpr const char* kGroupLockKey = "461195865312";

const char* const kGroupSchema = R"sql(
CREATE TABLE IF NOT EXISTS group_decisions (
    record_id TEXT COLLATE "C" PRIMARY KEY, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
    number_seq BIGINT UNIQUE, number TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL, decided_at TEXT NOT NULL);
)sql";

constexpr const char* kCols =
    "SELECT r.id, r.receipt, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.payload, r.sealed, "
    "COALESCE(d.state, 'pending'), COALESCE(d.number, ''), COALESCE(d.reason, ''), COALESCE(d.decided_by, ''), "
    "COALESCE(d.decided_at, '') FROM records r LEFT JOIN group_decisions d ON d.record_id = r.id "
    "WHERE r.kind = 'group_registration' ";

class Res {
public:
    explicit Res(PGresult* r) : r_(r) {}
    ~Res() { PQclear(r_); }
    Res(const Res&) = delete;
    Res& operator=(const Res&) = delete;
    int rows() const { return PQntuples(r_); }
    bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
    }
    std::int64_t i64(int row, int col) const { return std::stoll(text(row, col)); }
    std::int64_t affected() const {
        const char* n = PQcmdTuples(r_);
        return n && *n ? std::stoll(n) : 0;
    }

private:
    PGresult* r_;
};

class PgGroups final : public GroupStorage {
public:
    explicit PgGroups(std::string url) : url_(std::move(url)) {
        std::lock_guard lock(mu_);
        connect();
        tx([&] {
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kGroupLockKey});
            script(kGroupSchema);
        });
    }
    ~PgGroups() override { PQfinish(c_); }

    std::vector<GroupApplication> applications() override {
        std::lock_guard lock(mu_);
        return read("ORDER BY r.seq", {});
    }
    std::optional<GroupApplication> application(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto v = read("AND r.id = $1", {id});
        if (v.empty()) return std::nullopt;
        return v.front();
    }

    std::string approve(const std::string& id, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        std::string number;
        tx([&] {
            number.clear();
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kGroupLockKey});
            if (!pending(id)) return;
            Res n = exec("SELECT COALESCE(MAX(number_seq), 0) + 1 FROM group_decisions");
            const std::int64_t seq = n.i64(0, 0);
            number = groups::registration_number(seq);
            exec("INSERT INTO group_decisions (record_id, state, number_seq, number, decided_by, decided_at) "
                 "VALUES ($1, 'approved', $2::bigint, $3, $4, $5)",
                 {id, std::to_string(seq), number, by, now});
        });
        return number;
    }

    bool return_application(const std::string& id, const std::string& reason, const std::string& by,
                            const std::string& now) override {
        if (reason.empty()) return false;
        std::lock_guard lock(mu_);
        bool ok = false;
        tx([&] {
            ok = false;
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kGroupLockKey});
            if (!pending(id)) return;
            exec("INSERT INTO group_decisions (record_id, state, reason, decided_by, decided_at) "
                 "VALUES ($1, 'returned', $2, $3, $4)",
                 {id, reason, by, now});
            ok = true;
        });
        return ok;
    }

private:
    void connect() {
        c_ = PQconnectdb(url_.c_str());
        if (!c_ || PQstatus(c_) != CONNECTION_OK) {
            std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
            PQfinish(c_);
            c_ = nullptr;
            throw StorageError("group registration: cannot connect to PostgreSQL: " + msg);
        }
        PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
        PQclear(PQexec(c_, "SET client_encoding = 'UTF8'"));
    }
    void ensure() {
        if (c_ && PQstatus(c_) == CONNECTION_OK) return;
        if (c_) {
            PQreset(c_);
            if (PQstatus(c_) == CONNECTION_OK) return;
            PQfinish(c_);
            c_ = nullptr;
        }
        connect();
    }

    Res exec(const char* sql, std::initializer_list<std::string> params = {}) {
        std::vector<const char*> v;
        for (const auto& p : params) v.push_back(p.c_str());
        PGresult* r = PQexecParams(c_, sql, static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0);
        check(r, sql);
        return Res(r);
    }
    void script(const char* sql) {
        PGresult* r = PQexec(c_, sql);
        check(r, sql);
        PQclear(r);
    }
    void check(PGresult* r, const char* sql) {
        const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
        PQclear(r);
        throw StorageError("group registration: postgresql: " + msg + " (in: " + std::string(sql).substr(0, 80) + ")");
    }
    template <class F>
    void tx(F&& fn) {
        ensure();
        script("BEGIN");
        try {
            fn();
            script("COMMIT");
        } catch (...) {
            PQclear(PQexec(c_, "ROLLBACK"));
            throw;
        }
    }

    bool pending(const std::string& id) {
        Res r = exec("SELECT 1 FROM records r WHERE r.kind = 'group_registration' AND r.id = $1 AND NOT EXISTS "
                     "(SELECT 1 FROM group_decisions d WHERE d.record_id = r.id)",
                     {id});
        return r.rows() > 0;
    }

    std::vector<GroupApplication> read(const std::string& tail, std::initializer_list<std::string> params) {
        ensure();
        const std::string sql = std::string(kCols) + tail;
        Res r = exec(sql.c_str(), params);
        std::vector<GroupApplication> out;
        for (int i = 0; i < r.rows(); ++i) {
            GroupApplication g;
            g.id = r.text(i, 0); g.receipt = r.text(i, 1); g.kiosk_id = r.text(i, 2); g.centre_id = r.text(i, 3);
            g.created_at = r.text(i, 4); g.received_at = r.text(i, 5);
            g.payload = Json::parse(r.text(i, 6), nullptr, false);
            if (!g.payload.is_object()) g.payload = Json::object();
            g.sealed = r.text(i, 7); g.state = r.text(i, 8); g.number = r.text(i, 9); g.reason = r.text(i, 10);
            g.decided_by = r.text(i, 11); g.decided_at = r.text(i, 12);
            out.push_back(std::move(g));
        }
        return out;
    }

    std::string url_;
    std::mutex mu_;
    PGconn* c_ = nullptr;
};

}  // namespace

std::unique_ptr<GroupStorage> make_pg_groups(const std::string& url) { return std::make_unique<PgGroups>(url); }

}  // namespace kyodo::server
