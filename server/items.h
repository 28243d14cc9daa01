// Things city hall gives away, at city hall (不用物品の提供, issue 11 point 4; docs/items.md).
//
// An item is a catalog activity of kind "item" (core/items.h), published by staff through the
// ordinary catalog import so every kiosk pulls it. A request is a record of kind
// "item_request" in the records table like every other record (the same exactly-once ingest:
// re-sent it is answered "duplicate", changed under the same id "conflict"). Before storage a
// request is rejected when its group is not an approved registered group (`unknown_group`, the
// one check of server/groups.h) or when its item is unknown (`unknown_item`), past its deadline
// (`item_closed`) or all given away (`item_gone`): check_item_requests below. Like a group's
// representative, the contact person is not stored opened: only the sealed box is kept
// (server/ingest.cpp) and the dashboard opens it with city hall's key.
//
// Requests are decided by staff, not first come: each request once, granted with a quantity
// (1 .. what it asked for, and no more than the item has left) or declined with a reason.
// Granting moves the item's `taken` up by that quantity in the same transaction and gives the
// item the next catalog version, so kiosks show what is left at their next pull. Decisions are
// rows of `item_decisions` (created if missing on both engines); no row = pending.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "server/storage.h"

struct sqlite3;

namespace kyodo::server {

struct ItemRequestRow {
    std::string id, receipt, kiosk_id, centre_id, created_at, received_at;
    Json payload = Json::object();   // item_id, group, quantity, purpose, check_code, lang
    std::string sealed;              // the contact person, sealed to city hall's key
    std::string state = "pending";   // pending | granted | declined
    int granted = 0;                 // units granted
    std::string reason;              // why it was declined (or a note with a grant)
    std::string decided_by, decided_at;
};

// "" = any. centre matches the kiosk's centre of the request or the item's centre (`item_centre`
// gives an item's centre by its id; null = the kiosk's centre only).
struct ItemQuery {
    std::string state, item, centre;
};

// What a grant did.
struct GrantResult {
    std::string error;                 // "" | not_pending | bad_quantity | not_enough | unknown_item
    int left = 0;                      // units the item has left after the grant
    std::int64_t catalog_version = 0;  // the item's new version
    bool ok() const { return error.empty(); }
};

class ItemStorage {
public:
    virtual ~ItemStorage() = default;
    // Every request, in arrival order, with its decision.
    virtual std::vector<ItemRequestRow> requests() = 0;
    virtual std::optional<ItemRequestRow> request(const std::string& id) = 0;
    // The requests item_request_matches keeps, chosen in the database: one page in arrival order
    // (`limit` from `offset`) and how many there are. `items_at_centre` are the items whose
    // centre is q.centre (the catalog knows them): a request is at a centre by its kiosk's
    // centre or by its item's.
    virtual std::vector<ItemRequestRow> requests_page(const ItemQuery& q, const std::vector<std::string>& items_at_centre, std::size_t limit,
                                                      std::size_t offset) = 0;
    virtual std::int64_t count_requests(const ItemQuery& q, const std::vector<std::string>& items_at_centre) = 0;
    // Pending requests (no decision yet) per item id.
    virtual std::map<std::string, std::int64_t> pending_by_item() = 0;
    // Grants `quantity` units to a pending request: 1 .. the quantity asked for, and at most
    // what the item has left. One transaction: the decision, the item's taken, its version.
    virtual GrantResult grant(const std::string& id, int quantity, const std::string& note, const std::string& by,
                              const std::string& now) = 0;
    // Declines a pending request with a reason (non-empty). False when not pending.
    virtual bool decline(const std::string& id, const std::string& reason, const std::string& by,
                         const std::string& now) = 0;
};

// Engine halves (server/items_storage_sqlite.cpp, server/items_storage_pg.cpp), like the group
// registration's: SQLite shares SqliteStorage's connection and mutex; PostgreSQL opens its own.
std::unique_ptr<ItemStorage> make_sqlite_items(sqlite3* db, std::mutex& mu);
std::unique_ptr<ItemStorage> make_pg_items(const std::string& url);

bool item_request_matches(const ItemRequestRow& r, const ItemQuery& q, const std::string& item_centre);
std::vector<ItemRequestRow> search_item_requests(ItemStorage& st, const ItemQuery& q, const Json& catalog);

// Before storage.ingest() (after check_bookings, which rejects an unregistered group): each item request whose item is not an
// activity of kind "item" (`unknown_item`), is past its deadline (`item_closed`) or has nothing
// left (`item_gone`) at `now_ms` is rejected, unless it is already stored (a replay: storage
// answers it duplicate or conflict). Cheap when the batch holds no item request.
void check_item_requests(Storage& st, std::vector<PreparedRecord>& batch, std::int64_t now_ms);

}  // namespace kyodo::server
