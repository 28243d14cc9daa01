// SQLite half of ItemStorage (server/items.h). Shares SqliteStorage's connection and mutex;
// its table is created if missing (like group_decisions, beside the numbered migrations). A
// grant writes the decision, the item's `taken` and the catalog version in one transaction.
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/items.h"
#include "server/items.h"
#include "server/sqlite_q.h"

namespace kyodo::server {
namespace {

using sqlq::Q;
using sqlq::Tx;

const char* const kItemSchema = R"sql(
CREATE TABLE IF NOT EXISTS item_decisions (
    record_id TEXT PRIMARY KEY, state TEXT NOT NULL, quantity INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL, decided_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_kind_seq ON records (kind, seq);
)sql";

constexpr const char* kCols =
    "SELECT r.id, r.receipt, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.payload, r.sealed, "
    "COALESCE(d.state, 'pending'), COALESCE(d.quantity, 0), COALESCE(d.reason, ''), COALESCE(d.decided_by, ''), "
    "COALESCE(d.decided_at, '') FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id "
    "WHERE r.kind = 'item_request' ";

ItemRequestRow read_row(const Q& q) {
    ItemRequestRow r;
    r.id = q.text(0); r.receipt = q.text(1); r.kiosk_id = q.text(2); r.centre_id = q.text(3);
    r.created_at = q.text(4); r.received_at = q.text(5);
    r.payload = Json::parse(q.text(6), nullptr, false);
    if (!r.payload.is_object()) r.payload = Json::object();
    r.sealed = q.text(7); r.state = q.text(8); r.granted = static_cast<int>(q.i64(9)); r.reason = q.text(10);
    r.decided_by = q.text(11); r.decided_at = q.text(12);
    return r;
}

// item_request_matches in SQL: ?1 state, ?2 item id, ?3 centre ("" = any), ?4 the ids of the
// items at that centre (a JSON array).
constexpr const char* kFilter =
    "AND (?1 = '' OR COALESCE(d.state, 'pending') = ?1) "
    "AND (?2 = '' OR (json_valid(r.payload) AND json_extract(r.payload, '$.item_id') = ?2)) "
    "AND (?3 = '' OR r.centre_id = ?3 OR (json_valid(r.payload) AND json_extract(r.payload, '$.item_id') IN (SELECT value FROM json_each(?4)))) ";

Q& bind_filter(Q& q, const ItemQuery& iq, const std::vector<std::string>& items_at_centre) {
    Json ids = Json::array();
    for (const auto& i : items_at_centre) ids.push_back(i);
    return q.bind(1, iq.state).bind(2, iq.item).bind(3, iq.centre).bind(4, ids.dump());
}

class SqliteItems final : public ItemStorage {
public:
    SqliteItems(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {
        std::lock_guard lock(mu_);
        sqlq::exec(db_, kItemSchema);
    }

    std::vector<ItemRequestRow> requests() override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + "ORDER BY r.seq").c_str());
        std::vector<ItemRequestRow> out;
        while (q.step()) out.push_back(read_row(q));
        return out;
    }
    std::optional<ItemRequestRow> request(const std::string& id) override {
        std::lock_guard lock(mu_);
        return request_locked(id);
    }
    std::vector<ItemRequestRow> requests_page(const ItemQuery& iq, const std::vector<std::string>& items_at_centre, std::size_t limit,
                                              std::size_t offset) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + kFilter + "ORDER BY r.seq LIMIT ?5 OFFSET ?6").c_str());
        bind_filter(q, iq, items_at_centre)
            .bind(5, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(6, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<ItemRequestRow> out;
        while (q.step()) out.push_back(read_row(q));
        return out;
    }
    std::int64_t count_requests(const ItemQuery& iq, const std::vector<std::string>& items_at_centre) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT COUNT(*) FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id WHERE r.kind = 'item_request' ") +
                  kFilter).c_str());
        bind_filter(q, iq, items_at_centre);
        return q.step() ? q.i64(0) : 0;
    }
    std::map<std::string, std::int64_t> pending_by_item() override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT json_extract(r.payload, '$.item_id'), COUNT(*) FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id "
                 "WHERE r.kind = 'item_request' AND d.record_id IS NULL AND json_valid(r.payload) "
                 "AND json_type(r.payload, '$.item_id') = 'text' GROUP BY 1");
        std::map<std::string, std::int64_t> out;
        while (q.step()) out[q.text(0)] = q.i64(1);
        return out;
    }

    GrantResult grant(const std::string& id, int quantity, const std::string& note, const std::string& by,
                      const std::string& now) override {
        std::lock_guard lock(mu_);
        Tx tx(db_);
        GrantResult g;
        const auto req = request_locked(id);
        if (!req || req->state != "pending") return {"not_pending"};
        if (quantity < 1 || quantity > req->payload.value("quantity", 0)) return {"bad_quantity"};
        const auto it = item_locked(req->payload.value("item_id", ""));
        if (!it) return {"unknown_item"};
        if (quantity > items::remaining(*it)) return {"not_enough", items::remaining(*it)};
        Q ins(db_, "INSERT INTO item_decisions (record_id, state, quantity, reason, decided_by, decided_at) "
                   "VALUES (?, 'granted', ?, ?, ?, ?)");
        ins.bind(1, id).bind(2, static_cast<std::int64_t>(quantity)).bind(3, note).bind(4, by).bind(5, now).run();
        {
            Q v(db_, "UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version");
            if (v.step()) g.catalog_version = v.i64(0);
        }
        Q up(db_, "UPDATE activities SET taken = taken + ?, version = ? WHERE id = ?");
        up.bind(1, static_cast<std::int64_t>(quantity)).bind(2, g.catalog_version).bind(3, it->id).run();
        tx.commit();
        g.left = items::remaining(*it) - quantity;
        return g;
    }

    bool decline(const std::string& id, const std::string& reason, const std::string& by,
                 const std::string& now) override {
        if (reason.empty()) return false;
        std::lock_guard lock(mu_);
        Tx tx(db_);
        const auto req = request_locked(id);
        if (!req || req->state != "pending") return false;
        Q ins(db_, "INSERT INTO item_decisions (record_id, state, reason, decided_by, decided_at) "
                   "VALUES (?, 'declined', ?, ?, ?)");
        ins.bind(1, id).bind(2, reason).bind(3, by).bind(4, now).run();
        tx.commit();
        return true;
    }

private:
    std::optional<ItemRequestRow> request_locked(const std::string& id) {
        Q q(db_, (std::string(kCols) + "AND r.id = ?").c_str());
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        return read_row(q);
    }
    std::optional<Activity> item_locked(const std::string& id) {
        Q q(db_, "SELECT json, taken FROM activities WHERE id = ? AND deleted = 0");
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        try {
            Activity a = activity_from_json(Json::parse(q.text(0)));
            a.taken = static_cast<int>(q.i64(1));
            return a;
        } catch (const std::exception&) {
            return std::nullopt;   // not readable as an activity: not an item either
        }
    }

    sqlite3* db_;
    std::mutex& mu_;
};

}  // namespace

std::unique_ptr<ItemStorage> make_sqlite_items(sqlite3* db, std::mutex& mu) {
    return std::make_unique<SqliteItems>(db, mu);
}

}  // namespace kyodo::server
