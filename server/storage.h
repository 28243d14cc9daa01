// The city-hall server's storage, behind one interface so the SQL engine is a detail:
// SQLite (server/sqlite_storage.cpp) is the default; PostgreSQL comes later and implements
// the same class. Everything engine-agnostic about ingest (decoding, opening the sealed
// personal part, validation, content hashing, clock checks) happens before storage, in
// server/ingest.cpp; storage decides what needs the database: duplicate / conflict, the
// sign-up capacity check, and writing the batch in one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/types.h"

namespace kyodo::server {

// Storage failures (disk full, I/O error, locked database). The HTTP layer answers 503.
struct StorageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Device {
    std::string kiosk_id;
    std::string centre_id;
    std::string token_hash;      // sha256_hex(token); the token itself is never stored
    bool revoked = false;
    std::string enrolled_at;     // RFC 3339 UTC
    std::string last_seen_at;    // "" until the kiosk first talks to the server
    std::string app_version;
    std::int64_t backlog = 0;    // records queued at the kiosk, as it reported last
};

// One record of a push after the engine-agnostic checks (server/ingest.h makes these).
struct PreparedRecord {
    std::string id;              // as sent (may be "" when the record had no usable id)
    // When non-empty the record was rejected before storage and is answered as such.
    std::string reject_code, reject_message;

    Record record;               // decoded
    std::string content_hash;    // sha256_hex of the canonical JSON of the record
    std::string payload_json;    // record.payload.dump()
    std::string personal_json;   // opened personal fields as JSON, "" when none
    std::vector<std::string> flags;   // e.g. "clock_skew"
    // Sign-ups only:
    std::string activity_id;
    int party_size = 0;

    bool rejected() const { return !reject_code.empty(); }
};

// The server's answer for one record (docs/protocol.md, POST /api/v1/records).
struct RecordAnswer {
    std::string id;
    std::string result;          // stored | duplicate | rejected | conflict
    std::string code, message;   // rejected / conflict
    std::string receipt;         // stored / duplicate
    std::string signup_status;   // confirmed | waitlisted | "" (not a sign-up)
    std::vector<std::string> flags;
};

// Who pushed, and what the kiosk said about itself in the push body.
struct PushMeta {
    std::string kiosk_id;        // from the token, never from the body
    std::string app_version;     // "" = not reported (left unchanged)
    std::int64_t backlog = -1;   // -1 = not reported (left unchanged)
    std::string received_at;     // server receipt time, RFC 3339 UTC
};

struct IngestResult {
    std::vector<RecordAnswer> answers;   // one per prepared record, same order
    int stored = 0, duplicate = 0, rejected = 0, conflict = 0;
    std::vector<std::string> activities_changed;   // whose `taken` moved
    std::int64_t catalog_version = 0;              // after the batch
};

struct StorageCounts {
    std::int64_t records = 0;
    std::map<std::string, std::int64_t> records_by_kind;   // "opinion" → 12 …
    std::int64_t devices = 0, devices_revoked = 0;
    std::int64_t centres = 0, organizations = 0, activities = 0, surveys = 0;   // not deleted
    std::int64_t catalog_version = 0;
};

// A stored record as the admin side and tests read it back.
struct StoredRecord {
    std::string id, kind, kiosk_id, centre_id, created_at, received_at, content_hash;
    std::string payload, sealed, personal, receipt, signup_status, flags;
    std::int64_t seq = 0;
};

class Storage {
public:
    virtual ~Storage() = default;

    // --- devices -----------------------------------------------------------------
    virtual std::optional<Device> device_by_token_hash(const std::string& token_hash) = 0;
    virtual std::optional<Device> device(const std::string& kiosk_id) = 0;
    virtual std::vector<Device> devices() = 0;
    // Enrols a kiosk, or re-enrols it: the new token replaces the old one and a revoked
    // kiosk becomes active again.
    virtual void enrol_device(const std::string& kiosk_id, const std::string& centre_id,
                              const std::string& token_hash, const std::string& now) = 0;
    // False when no such kiosk.
    virtual bool revoke_device(const std::string& kiosk_id, const std::string& now) = 0;
    // Notes that the kiosk talked to us (catalog pulls; pushes do it inside ingest()).
    virtual void touch_device(const std::string& kiosk_id, const std::string& now) = 0;

    // --- records -----------------------------------------------------------------
    // Stores a batch in ONE transaction and answers each record:
    //  - prepared.rejected(): answered rejected, nothing stored;
    //  - id already stored with the same content hash: duplicate, with the first answer's
    //    receipt, signup_status and flags; with a different hash: conflict, first kept;
    //  - sign-up for an activity not in the catalog (or deleted): rejected unknown_activity;
    //  - sign-up: confirmed if the activity has no capacity (0) or the party still fits
    //    (taken + party_size <= capacity), else waitlisted; in arrival order. A confirmed
    //    sign-up adds party_size to the activity's `taken` and the activity gets a new
    //    catalog version (one bump per batch) so kiosks pull the new count.
    // Also records the push metadata on the device row. Throws StorageError.
    virtual IngestResult ingest(const PushMeta& meta, const std::vector<PreparedRecord>& batch) = 0;
    virtual std::optional<StoredRecord> record(const std::string& id) = 0;

    // --- catalog -----------------------------------------------------------------
    virtual std::int64_t catalog_version() = 0;
    virtual bool catalog_empty() = 0;
    // Imports a catalog document or delta in one transaction. Changed or new entities get
    // the next catalog version; unchanged ones keep theirs (no version bump when nothing
    // changed). A full document deletes entities it does not list. A new activity's
    // `taken` starts at the file's value (places booked elsewhere); after that only
    // sign-ups move it. Returns the catalog version after the import.
    virtual std::int64_t import_catalog(const CatalogDelta& delta) = 0;
    // The catalog changes after `since` as the protocol's JSON document (without the
    // "protocol" key): since <= 0 gives the full catalog (no deletions, "full": true).
    // Each entity carries its own "version"; activities carry the server's "taken".
    virtual Json catalog_since(std::int64_t since) = 0;

    virtual StorageCounts counts() = 0;
};

// Opens (creating and migrating if needed) the SQLite database at `path`.
std::unique_ptr<Storage> open_sqlite_storage(const std::string& path);

// Connects to PostgreSQL at `url` (a libpq URI, "postgresql://user@host:5432/db"; libpq's
// PG* environment variables and ~/.pgpass fill in what it leaves out) and creates or
// migrates the schema. Several servers may share one database (server/pg_storage.cpp).
std::unique_ptr<Storage> open_pg_storage(const std::string& url);

// The engine named by `spec`: a "postgresql://" or "postgres://" URL opens PostgreSQL,
// anything else is the path of a SQLite database file.
std::unique_ptr<Storage> open_storage(const std::string& spec);

}  // namespace kyodo::server
