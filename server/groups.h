// Group registration at city hall (利用登録, issue 11 point 2; docs/groups.md).
//
// An application is a record of kind "group_registration" in the records table like every
// other record (the same exactly-once ingest: a re-sent application is answered "duplicate").
// Unlike a sign-up, the representative's personal part is NOT stored opened: only the sealed
// box is kept (server/ingest.cpp), and the dashboard opens it with city hall's key when staff
// look at an application, so the representative's name and contact are not readable in the
// database file.
//
// Centre staff decide each application once: approve (the group gets the next registration
// number, "G-0001", and the dashboard publishes it to the catalog's organizations: the public
// directory, never the representative) or return it with a reason (差し戻し; the centre tells
// the representative; the group may apply again with a new application). Decisions are rows
// of `group_decisions` (created if missing on both engines); no row = pending.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "server/storage.h"

struct sqlite3;

namespace kyodo::server {

struct GroupApplication {
    std::string id, receipt, kiosk_id, centre_id, created_at, received_at;
    Json payload = Json::object();   // name, kana, kind, fields, members, centre_id, description …
    std::string sealed;              // the representative, sealed to city hall's key
    std::string state = "pending";   // pending | approved | returned
    std::string number;              // registration number once approved ("G-0001")
    std::string reason;              // why it was returned
    std::string decided_by, decided_at;
};

// "" = any. centre matches the group's home centre (payload.centre_id) or the kiosk's centre.
struct GroupQuery {
    std::string state, kind, field, centre;
};
bool group_matches(const GroupApplication& g, const GroupQuery& q);

class GroupStorage {
public:
    virtual ~GroupStorage() = default;
    // Every application, in arrival order, with its decision.
    virtual std::vector<GroupApplication> applications() = 0;
    virtual std::optional<GroupApplication> application(const std::string& id) = 0;
    // The applications group_matches(q) keeps, filtered in the database: one page in arrival
    // order (`limit` from `offset`), and how many there are in all (the dashboard's list).
    virtual std::vector<GroupApplication> applications_page(const GroupQuery& q, std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t count_applications(const GroupQuery& q) = 0;
    // Approves a pending application: answers its new registration number, or "" when it is
    // not a pending application (unknown, or already decided). Numbers are issued in order of
    // approval, never twice (one decider at a time on each engine).
    virtual std::string approve(const std::string& id, const std::string& by, const std::string& now) = 0;
    // Returns a pending application with a reason (non-empty). False when not pending.
    virtual bool return_application(const std::string& id, const std::string& reason, const std::string& by,
                                    const std::string& now) = 0;
};

// Engine halves (server/groups_storage_sqlite.cpp, server/groups_storage_pg.cpp), like the
// talent bank's: SQLite shares SqliteStorage's connection and mutex; PostgreSQL opens its own.
std::unique_ptr<GroupStorage> make_sqlite_groups(sqlite3* db, std::mutex& mu);
std::unique_ptr<GroupStorage> make_pg_groups(const std::string& url);

std::vector<GroupApplication> search_groups(GroupStorage& st, const GroupQuery& q);
// The directory entry of an approved application (no personal data).
Organization group_organization(const GroupApplication& g);

// Before storage.ingest(): a sign-up that books for a group ("group": "G-0001", a slot of a
// room or equipment: docs/groups.md), and every item request (docs/items.md), is rejected with
// code `unknown_group` unless that number belongs to an approved group. Cheap when the batch
// names no group.
void check_group_bookings(Storage& st, std::vector<PreparedRecord>& batch);

}  // namespace kyodo::server
