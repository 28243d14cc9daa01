// The talent bank at city hall (人材バンク, issue 11 point 1; docs/talent.md).
//
// Registrations are records of kind "talent" in the records table like every other record (the
// same exactly-once ingest); this file adds what city hall does with them: search by skill,
// field, area and time, matches proposed to a group's help request (人材募集, a catalog activity
// with extra.talent_request) and their outcome, and withdrawals.
//
// A withdrawal is a record of kind "talent_withdrawal" naming its registration by receipt
// number and check code. After every push that carries talent records (server/talent.cpp,
// settle_talent) the withdrawal is noted here and applied once its registration has arrived:
// in one transaction the registration's payload, sealed box and opened personal fields are
// erased (its id, receipt and content hash stay, so a re-sent registration is still answered
// "duplicate" and nothing is stored again), its matches are deleted, and the audit log gets a
// "talent_withdrawn" entry. Applying is idempotent: a crash between storing the withdrawal and
// applying it is repaired by the kiosk's retry (answered "duplicate", settled again).
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

// The department a request for help published from the dashboard is filed under: catalog data
// the kiosks show residents, so Japanese whatever language the staff member reads.
inline constexpr const char* kTalentRequestDepartment = "協働推進課";

struct TalentEntry {
    std::string id, receipt, kiosk_id, centre_id, created_at, received_at;
    Json payload = Json::object();    // help, fields, areas, times, note, contact_by, consent …
    Json personal = Json::object();   // opened: name, furigana, phone, email
};

// "" = any. area matches a registration that names that centre or "citywide".
struct TalentQuery {
    std::string help, field, area, time;
};

struct TalentMatch {
    std::int64_t id = 0;
    std::string registration_id, request_id;
    std::string outcome;             // proposed | accepted | declined | done
    std::string note, proposed_by, proposed_at, updated_by, updated_at;
};
bool is_match_outcome(const std::string& s);

struct TalentWithdrawal {
    std::string id;                  // the withdrawal record's id
    std::string receipt;             // the registration it names
    std::string state;               // pending (registration not here yet) | done | mismatch (wrong check code)
    std::string registration_id;     // once found
    std::string noted_at, settled_at;
};

class TalentStorage {
public:
    virtual ~TalentStorage() = default;
    // Live registrations (not withdrawn), in arrival order.
    virtual std::vector<TalentEntry> registrations() = 0;
    virtual std::optional<TalentEntry> registration(const std::string& id) = 0;
    // The registrations talent_matches(q) keeps, searched in the database: one page in arrival
    // order (`limit` from `offset`), and how many there are in all (the dashboard's list).
    virtual std::vector<TalentEntry> registrations_page(const TalentQuery& q, std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t count_registrations(const TalentQuery& q) = 0;

    // Notes a withdrawal record (idempotent on its id; the check code is kept only until it is
    // settled) and settles every pending withdrawal. Returns how many were applied now.
    virtual int note_withdrawal(const std::string& withdrawal_id, const std::string& receipt,
                                const std::string& check_code, const std::string& now) = 0;
    // Applies every pending withdrawal whose registration has arrived (see the top of this file).
    virtual int settle_withdrawals(const std::string& now) = 0;
    virtual std::vector<TalentWithdrawal> withdrawals() = 0;
    // One page of them in the same order (noted, then id: `limit` from `offset`), and how many.
    virtual std::vector<TalentWithdrawal> withdrawals_page(std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t withdrawal_count() = 0;

    // A staff member proposes registration → request (activity id). Returns the match id, or 0
    // when the registration is not live.
    virtual std::int64_t propose_match(const std::string& registration_id, const std::string& request_id,
                                       const std::string& note, const std::string& by, const std::string& now) = 0;
    virtual bool set_match_outcome(std::int64_t id, const std::string& outcome, const std::string& note,
                                   const std::string& by, const std::string& now) = 0;
    virtual std::vector<TalentMatch> matches() = 0;
    // One page of the matches by number (`limit` from `offset`), and how many there are.
    virtual std::vector<TalentMatch> matches_page(std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t match_count() = 0;
};

// Engine halves (server/talent_storage_sqlite.cpp, server/talent_storage_pg.cpp).
// SQLite shares SqliteStorage's connection and mutex, and turns on secure_delete so erased
// personal data is overwritten in the file, not left in free pages.
std::unique_ptr<TalentStorage> make_sqlite_talent(sqlite3* db, std::mutex& mu);
// PostgreSQL: a connection of its own to the same database (same URL).
std::unique_ptr<TalentStorage> make_pg_talent(const std::string& url);

// Engine-agnostic (server/talent.cpp).
bool talent_matches(const TalentEntry& e, const TalentQuery& q);
std::vector<TalentEntry> search_talent(TalentStorage& st, const TalentQuery& q);
// After storage.ingest(): notes the batch's withdrawals that were stored or duplicate, and
// settles pending ones when talent registrations arrived. Cheap when the batch has neither.
void settle_talent(Storage& st, const std::vector<PreparedRecord>& batch, const IngestResult& result,
                   const std::string& now);

}  // namespace kyodo::server
