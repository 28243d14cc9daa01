// PostgreSQL half of ItemStorage (server/items.h), on a connection of its own (server/pg_conn.h)
// like the group registration's. The table is created if missing under an advisory lock. A
// grant locks the item's row (FOR UPDATE) and the request's decision is the primary key, so two
// servers on one database never grant the same request twice nor more units than are left;
// the catalog version moves as every other catalog change does (catalog_state's row).
#include <mutex>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/items.h"
#include "server/items.h"
#include "server/pg_conn.h"

namespace kyodo::server {
namespace {

constexpr const char* kItemLockKey = "461195865313";

const char* const kItemSchema = R"sql(
CREATE TABLE IF NOT EXISTS item_decisions (
    record_id TEXT COLLATE "C" PRIMARY KEY, state TEXT NOT NULL, quantity BIGINT NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL, decided_at TEXT NOT NULL);
)sql";

constexpr const char* kCols =
    "SELECT r.id, r.receipt, r.kiosk_id, r.centre_id, r.created_at, r.received_at, r.payload, r.sealed, "
    "COALESCE(d.state, 'pending'), COALESCE(d.quantity, 0), COALESCE(d.reason, ''), COALESCE(d.decided_by, ''), "
    "COALESCE(d.decided_at, '') FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id "
    "WHERE r.kind = 'item_request' ";

// item_request_matches in SQL: $1 state, $2 item id, $3 centre ("" = any), $4 the ids of the
// items at that centre (a JSON array).
constexpr const char* kFilter =
    "AND ($1::text = '' OR COALESCE(d.state, 'pending') = $1::text) "
    "AND ($2::text = '' OR r.payload::jsonb ->> 'item_id' = $2::text) "
    "AND ($3::text = '' OR r.centre_id = $3::text OR r.payload::jsonb ->> 'item_id' IN (SELECT jsonb_array_elements_text($4::jsonb))) ";

std::string ids_json(const std::vector<std::string>& ids) {
    Json j = Json::array();
    for (const auto& i : ids) j.push_back(i);
    return j.dump();
}

class PgItems final : public ItemStorage {
public:
    explicit PgItems(const std::string& url) : c_(url, "items") {
        std::lock_guard lock(mu_);
        c_.tx([&] {
            c_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kItemLockKey});
            c_.script(kItemSchema);
        });
    }

    std::vector<ItemRequestRow> requests() override {
        std::lock_guard lock(mu_);
        c_.ensure();
        return read("ORDER BY r.seq", {});
    }
    std::optional<ItemRequestRow> request(const std::string& id) override {
        std::lock_guard lock(mu_);
        c_.ensure();
        auto v = read("AND r.id = $1", {id});
        if (v.empty()) return std::nullopt;
        return v.front();
    }

    std::vector<ItemRequestRow> requests_page(const ItemQuery& q, const std::vector<std::string>& items_at_centre, std::size_t limit,
                                              std::size_t offset) override {
        std::lock_guard lock(mu_);
        c_.ensure();
        return read(std::string(kFilter) + "ORDER BY r.seq LIMIT " + std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
                        std::to_string(std::min<std::size_t>(offset, 100000000)),
                    {q.state, q.item, q.centre, ids_json(items_at_centre)});
    }
    std::int64_t count_requests(const ItemQuery& q, const std::vector<std::string>& items_at_centre) override {
        std::lock_guard lock(mu_);
        c_.ensure();
        const std::string sql =
            std::string("SELECT COUNT(*) FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id WHERE r.kind = 'item_request' ") + kFilter;
        return c_.exec(sql.c_str(), {q.state, q.item, q.centre, ids_json(items_at_centre)}).i64(0, 0);
    }
    std::map<std::string, std::int64_t> pending_by_item() override {
        std::lock_guard lock(mu_);
        c_.ensure();
        pgc::Res r = c_.exec("SELECT r.payload::jsonb ->> 'item_id', COUNT(*) FROM records r LEFT JOIN item_decisions d ON d.record_id = r.id "
                             "WHERE r.kind = 'item_request' AND d.record_id IS NULL AND jsonb_typeof(r.payload::jsonb -> 'item_id') = 'string' "
                             "GROUP BY 1");
        std::map<std::string, std::int64_t> out;
        for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.i64(i, 1);
        return out;
    }

    GrantResult grant(const std::string& id, int quantity, const std::string& note, const std::string& by,
                      const std::string& now) override {
        std::lock_guard lock(mu_);
        GrantResult g;
        c_.tx([&] {
            g = GrantResult{};
            c_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kItemLockKey});
            auto req = read("AND r.id = $1", {id});
            if (req.empty() || req.front().state != "pending") return void(g.error = "not_pending");
            if (quantity < 1 || quantity > req.front().payload.value("quantity", 0)) return void(g.error = "bad_quantity");
            const auto it = item_row(req.front().payload.value("item_id", ""), " FOR UPDATE");
            if (!it) return void(g.error = "unknown_item");
            if (quantity > items::remaining(*it)) {
                g.error = "not_enough";
                g.left = items::remaining(*it);
                return;
            }
            c_.exec("INSERT INTO item_decisions (record_id, state, quantity, reason, decided_by, decided_at) "
                    "VALUES ($1, 'granted', $2::bigint, $3, $4, $5)",
                    {id, std::to_string(quantity), note, by, now});
            g.catalog_version =
                c_.exec("UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version").i64(0, 0);
            c_.exec("UPDATE activities SET taken = taken + $1::bigint, version = $2::bigint WHERE id = $3",
                    {std::to_string(quantity), std::to_string(g.catalog_version), it->id});
            g.left = items::remaining(*it) - quantity;
        });
        return g;
    }

    bool decline(const std::string& id, const std::string& reason, const std::string& by,
                 const std::string& now) override {
        if (reason.empty()) return false;
        std::lock_guard lock(mu_);
        bool ok = false;
        c_.tx([&] {
            ok = false;
            c_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kItemLockKey});
            auto req = read("AND r.id = $1", {id});
            if (req.empty() || req.front().state != "pending") return;
            c_.exec("INSERT INTO item_decisions (record_id, state, reason, decided_by, decided_at) "
                    "VALUES ($1, 'declined', $2, $3, $4)",
                    {id, reason, by, now});
            ok = true;
        });
        return ok;
    }

private:
    std::optional<Activity> item_row(const std::string& id, const char* lock) {
        const std::string sql = std::string("SELECT json, taken FROM activities WHERE id = $1 AND NOT deleted") + lock;
        pgc::Res r = c_.exec(sql.c_str(), {id});
        if (r.rows() == 0) return std::nullopt;
        try {
            Activity a = activity_from_json(Json::parse(r.text(0, 0)));
            a.taken = static_cast<int>(r.i64(0, 1));
            return a;
        } catch (const std::exception&) {
            return std::nullopt;   // not readable as an activity: not an item either
        }
    }

    std::vector<ItemRequestRow> read(const std::string& tail, std::initializer_list<std::string> params) {
        const std::string sql = std::string(kCols) + tail;
        pgc::Res r = c_.exec(sql.c_str(), params);
        std::vector<ItemRequestRow> out;
        for (int i = 0; i < r.rows(); ++i) {
            ItemRequestRow x;
            x.id = r.text(i, 0); x.receipt = r.text(i, 1); x.kiosk_id = r.text(i, 2); x.centre_id = r.text(i, 3);
            x.created_at = r.text(i, 4); x.received_at = r.text(i, 5);
            x.payload = Json::parse(r.text(i, 6), nullptr, false);
            if (!x.payload.is_object()) x.payload = Json::object();
            x.sealed = r.text(i, 7); x.state = r.text(i, 8); x.granted = static_cast<int>(r.i64(i, 9));
            x.reason = r.text(i, 10); x.decided_by = r.text(i, 11); x.decided_at = r.text(i, 12);
            out.push_back(std::move(x));
        }
        return out;
    }

    std::mutex mu_;
    pgc::Conn c_;
};

}  // namespace

std::unique_ptr<ItemStorage> make_pg_items(const std::string& url) { return std::make_unique<PgItems>(url); }

}  // namespace kyodo::server
