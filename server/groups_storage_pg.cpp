// PostgreSQL half of GroupStorage (server/groups.h). A connection of its own (deciding an
// application is a staff member's click, never the push path), like the talent bank's.
// The table is created if missing under an advisory lock; deciding takes a transaction-level
// advisory lock so two servers on one database never issue the same registration number.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/groups.h"
#include "server/groups.h"
#include "server/pg_conn.h"

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

// group_matches in SQL: $1 state, $2 kind, $3 field, $4 centre ("" = any).
constexpr const char* kFilter =
    "AND ($1::text = '' OR COALESCE(d.state, 'pending') = $1::text) AND ($2::text = '' OR r.payload::jsonb ->> 'kind' = $2::text) "
    "AND ($3::text = '' OR (jsonb_typeof(r.payload::jsonb -> 'fields') = 'array' AND (r.payload::jsonb -> 'fields') ? $3::text)) "
    "AND ($4::text = '' OR r.payload::jsonb ->> 'centre_id' = $4::text OR r.centre_id = $4::text) ";

using pgc::Res;

class PgGroups final : private pgc::Conn, public GroupStorage {
public:
    explicit PgGroups(const std::string& url) : pgc::Conn(url, "group registration") {
        std::lock_guard lock(mu_);
        tx([&] {
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kGroupLockKey});
            script(kGroupSchema);
        });
    }

    std::vector<GroupApplication> applications() override {
        std::lock_guard lock(mu_);
        return read("ORDER BY r.seq", {});
    }
    std::vector<GroupApplication> applications_page(const GroupQuery& q, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        return read(std::string(kFilter) + "ORDER BY r.seq LIMIT " + std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                        std::to_string(std::min<std::size_t>(offset, 100000000)),
                    {q.state, q.kind, q.field, q.centre});
    }
    std::int64_t count_applications(const GroupQuery& q) override {
        std::lock_guard lock(mu_);
        ensure();
        Res r = exec((std::string("SELECT COUNT(*) FROM records r LEFT JOIN group_decisions d ON d.record_id = r.id "
                                  "WHERE r.kind = 'group_registration' ") + kFilter).c_str(),
                     {q.state, q.kind, q.field, q.centre});
        return r.rows() ? r.i64(0, 0) : std::int64_t{0};
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

    std::mutex mu_;
};

}  // namespace

std::unique_ptr<GroupStorage> make_pg_groups(const std::string& url) { return std::make_unique<PgGroups>(url); }

}  // namespace kyodo::server
