// SQLite half of GroupStorage (server/groups.h). Shares SqliteStorage's connection and mutex;
// its table is created if missing (like the talent bank's, beside the numbered migrations).
#include <algorithm>
#include <string>
#include <vector>

#include "core/groups.h"
#include "server/groups.h"
#include "server/sqlite_q.h"

namespace kyodo::server {
namespace {

const char* const kGroupSchema = R"sql(
CREATE TABLE IF NOT EXISTS group_decisions (
    record_id TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
    number_seq INTEGER UNIQUE, number TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL, decided_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_kind_seq ON records (kind, seq);
)sql";

using sqlq::Q;
using sqlq::Tx;
using sqlq::exec;

constexpr const char* kCols =
    "SELECT r.id, r.receipt, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.payload, r.sealed, "
    "COALESCE(d.state, 'pending'), COALESCE(d.number, ''), COALESCE(d.reason, ''), COALESCE(d.decided_by, ''), "
    "COALESCE(d.decided_at, '') FROM records r LEFT JOIN group_decisions d ON d.record_id = r.id "
    "WHERE r.kind = 'group_registration' ";

// group_matches in SQL: ?1 state, ?2 kind, ?3 field, ?4 centre ("" = any).
constexpr const char* kFilter =
    "AND (?1 = '' OR COALESCE(d.state, 'pending') = ?1) AND (?2 = '' OR json_extract(r.payload, '$.kind') = ?2) "
    "AND (?3 = '' OR (json_type(r.payload, '$.fields') = 'array' AND EXISTS (SELECT 1 FROM json_each(r.payload, '$.fields') f "
    "WHERE f.type = 'text' AND f.value = ?3))) AND (?4 = '' OR json_extract(r.payload, '$.centre_id') = ?4 OR r.centre_id = ?4) ";

void bind_filter(Q& q, const GroupQuery& g) { q.bind(1, g.state).bind(2, g.kind).bind(3, g.field).bind(4, g.centre); }

GroupApplication read_app(const Q& q) {
    GroupApplication g;
    g.id = q.text(0); g.receipt = q.text(1); g.kiosk_id = q.text(2); g.centre_id = q.text(3);
    g.created_at = q.text(4); g.received_at = q.text(5);
    g.payload = Json::parse(q.text(6), nullptr, false);
    if (!g.payload.is_object()) g.payload = Json::object();
    g.sealed = q.text(7); g.state = q.text(8); g.number = q.text(9); g.reason = q.text(10);
    g.decided_by = q.text(11); g.decided_at = q.text(12);
    return g;
}

class SqliteGroups final : public GroupStorage {
public:
    SqliteGroups(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {
        std::lock_guard lock(mu_);
        exec(db_, kGroupSchema);
    }

    std::vector<GroupApplication> applications() override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + "ORDER BY r.seq").c_str());
        std::vector<GroupApplication> out;
        while (q.step()) out.push_back(read_app(q));
        return out;
    }
    std::vector<GroupApplication> applications_page(const GroupQuery& gq, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + kFilter + "ORDER BY r.seq LIMIT ?5 OFFSET ?6").c_str());
        bind_filter(q, gq);
        q.bind(5, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(6, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<GroupApplication> out;
        while (q.step()) out.push_back(read_app(q));
        return out;
    }
    std::int64_t count_applications(const GroupQuery& gq) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT COUNT(*) FROM records r LEFT JOIN group_decisions d ON d.record_id = r.id "
                              "WHERE r.kind = 'group_registration' ") + kFilter).c_str());
        bind_filter(q, gq);
        return q.step() ? q.i64(0) : 0;
    }
    std::optional<GroupApplication> application(const std::string& id) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + "AND r.id = ?").c_str());
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        return read_app(q);
    }

    std::string approve(const std::string& id, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        Tx tx(db_);
        if (!pending(id)) return "";
        std::int64_t n = 1;
        {
            Q q(db_, "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM group_decisions");
            if (q.step()) n = q.i64(0);
        }
        const std::string number = groups::registration_number(n);
        Q ins(db_, "INSERT INTO group_decisions (record_id, state, number_seq, number, decided_by, decided_at) "
                   "VALUES (?, 'approved', ?, ?, ?, ?)");
        ins.bind(1, id).bind(2, n).bind(3, number).bind(4, by).bind(5, now).run();
        tx.commit();
        return number;
    }

    bool return_application(const std::string& id, const std::string& reason, const std::string& by,
                            const std::string& now) override {
        if (reason.empty()) return false;
        std::lock_guard lock(mu_);
        Tx tx(db_);
        if (!pending(id)) return false;
        Q ins(db_, "INSERT INTO group_decisions (record_id, state, reason, decided_by, decided_at) "
                   "VALUES (?, 'returned', ?, ?, ?)");
        ins.bind(1, id).bind(2, reason).bind(3, by).bind(4, now).run();
        tx.commit();
        return true;
    }

private:
    bool pending(const std::string& id) {
        Q q(db_, "SELECT 1 FROM records r WHERE r.kind = 'group_registration' AND r.id = ? AND NOT EXISTS "
                 "(SELECT 1 FROM group_decisions d WHERE d.record_id = r.id)");
        q.bind(1, id);
        return q.step();
    }

    sqlite3* db_;
    std::mutex& mu_;
};

}  // namespace

std::unique_ptr<GroupStorage> make_sqlite_groups(sqlite3* db, std::mutex& mu) {
    return std::make_unique<SqliteGroups>(db, mu);
}

}  // namespace kyodo::server
