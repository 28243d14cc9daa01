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
#include <functional>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/types.h"
#include "server/notices.h"

namespace kyodo::server {

class CivicStorage;   // server/civic.h: projects, agreements, indicator years (issue 12)
class TalentStorage;  // server/talent.h: the talent bank (issue 11)
class GroupStorage;   // server/groups.h: group registration (issue 11)
class BookingStorage; // server/bookings.h: staff marks on bookings, the 優先予約 window (issue 11)
class ItemStorage;    // server/items.h: things city hall gives away (issue 11)

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
    std::string lease;           // the kiosk's lease it was confirmed under ("" = none)
    // Cancels only: the sign-up it cancels (payload signup_id, receipt, check_code).
    std::string cancel_of, cancel_receipt, cancel_code;
    // Attendance ticks only: the sign-up ticked (payload signup_id) and attended (1 / 0).
    std::string attendance_of;
    int attended = -1;

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

// A waitlisted sign-up that moved up (is now confirmed): the ledger's promotion
// (server/ledger.h), reported so the resident can be told (signup_updates reach the kiosk by
// themselves; notices use these).
struct Promotion {
    std::string id;                // the sign-up's record id
    std::string activity_id;
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
    std::vector<Promotion> promoted;               // moved up by cancel records of the batch
};

// A change to one of a kiosk's sign-ups after its first answer (the waitlist moved up, staff
// or the resident cancelled), reported to that kiosk in push answers until it acknowledges it.
struct SignupUpdate {
    std::string id, receipt;
    std::string signup_status;   // confirmed | waitlisted | cancelled
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

// ==== Kiosk quotas as leases (issue 10 point 2; server/ledger.h has the rules) ===============

// A lease as stored (times RFC 3339 UTC, "" = none). Storage::leases() lists them.
struct LeaseRow {
    std::string id, activity_id, kiosk_id;
    std::int64_t places = 0, used = 0;
    std::string ends_at, granted_at, last_contact;
    std::int64_t reported_used = 0;
    std::string done_at, released_at;
};

// City hall's quota policy: a default share per centre, explicit quotas per (activity, kiosk),
// and the two times.
struct QuotaOverride {
    std::string activity_id, kiosk_id;
    std::int64_t places = 0;
};
struct QuotaPolicy {
    std::map<std::string, std::int64_t> shares;   // centre_id → share_pct (0–100)
    std::vector<QuotaOverride> overrides;
    std::int64_t silence_s = 24 * 3600;            // quota.silence_s
    std::int64_t before_start_s = 2 * 3600;        // quota.before_start_s
};

// What a kiosk says about one of its leases in POST /api/v1/quotas.
struct QuotaReport {
    std::string id;
    std::int64_t used = 0;
    bool done = false;
};
// A live lease of the kiosk, as answered.
struct QuotaGrant {
    std::string id, activity_id;
    std::int64_t places = 0;
    std::int64_t ends_in_s = 0;
};
struct QuotaAnswer {
    std::vector<QuotaGrant> quotas;      // every live lease of the kiosk after the exchange
    std::vector<Promotion> promoted;     // moved up by places a released lease gave back
};

// ==== Admin dashboard storage (server/web/, docs/dashboard.md) ==============================
// Staff accounts, sessions, the audit log and what city hall does with the records that came
// in (triage, answers, proposal decisions, sign-up cancellations and attendance). Reached
// through Storage::admin(); an engine without it throws StorageError from admin().

struct StaffUser {
    std::string user;
    std::string password_hash;   // Argon2id (kyodo::hash_secret)
    std::string role;            // viewer | editor | admin
    std::string created_at;
    bool disabled = false;
};

struct StaffSession {
    std::string token_hash;      // sha256_hex(cookie token); the token itself is never stored
    std::string user, role;      // role read from the staff row, not the session
    std::string csrf;            // per-session CSRF token, sent back in every form
    std::string created_at, expires_at;   // RFC 3339 UTC
};

struct AuditEntry {
    std::int64_t id = 0;
    std::string at, user, action, target, detail;   // e.g. "view_roster", "act-012", "14 people"
};

// Filters for Admin::records ("" = any). Results in arrival order (seq).
struct RecordQuery {
    std::string kind, activity_id, centre_id, receipt, id_prefix;
    std::size_t limit = 100000;
    // Pages (dashboard lists): newest first, only seq < before_seq (0 = from the newest), only
    // records in `state` ("" = any; "new" also matches records staff never touched).
    bool newest_first = false;
    std::int64_t before_seq = 0;
    std::string state{};
    // Skips this many rows first (numbered pages of a list read in arrival order, the roster).
    std::size_t offset = 0;
};

// A record with what city hall did with it.
struct AdminRecord {
    StoredRecord rec;
    std::string activity_id;
    int party_size = 0;
    std::string state;           // opinion: new|in_review|answered|closed; proposal:
                                 // received|under_review|adopted|not_adopted; comment: new|answered
    std::string department;      // 担当課
    std::string note;            // opinion memo / 市の考え方 / proposal reason
    int attended = -1;           // sign-ups: -1 not marked, 0 absent, 1 present
    std::string updated_by, updated_at;
};

// A per-activity check-in link city hall hands to the organiser (/p/checkin/<token>): a
// secret URL that opens the activity's roster on a phone to tick arrivals. Only the token's
// SHA-256 is stored; issuing a new one replaces the old; revoking ends it at once.
struct CheckinLink {
    std::string activity_id;
    std::string token_hash;      // sha256_hex(token)
    std::string created_at, created_by;
    bool revoked = false;
    std::string revoked_at;
};

struct CancelResult {
    bool ok = false;
    std::string error;             // "not_found" | "not_signup" | "already_cancelled"
    std::string promoted_id;       // the first waitlisted sign-up that moved up, if any
    std::vector<Promotion> promoted;   // every sign-up that moved up, in arrival order
    std::int64_t catalog_version = 0;
};

class AdminStorage {
public:
    virtual ~AdminStorage() = default;
    // Inserts or replaces (password hash, role, disabled) the account.
    virtual void put_staff(const StaffUser& u) = 0;
    virtual std::optional<StaffUser> staff(const std::string& user) = 0;
    virtual std::vector<StaffUser> staff_list() = 0;
    // One page of the accounts by user name (`limit` from `offset`) and how many there are.
    virtual std::vector<StaffUser> staff_page(std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t staff_count() = 0;

    virtual void create_session(const StaffSession& s) = 0;
    // The session if it exists, has not expired at `now` and its account is not disabled.
    virtual std::optional<StaffSession> session(const std::string& token_hash, const std::string& now) = 0;
    virtual void delete_session(const std::string& token_hash) = 0;
    // Ends every session of the account (its password was reset or it was disabled).
    virtual void delete_sessions_of(const std::string& user) = 0;

    virtual void add_audit(const AuditEntry& e) = 0;
    virtual std::vector<AuditEntry> audit_log(std::size_t limit) = 0;
    // The audit log's dashboard pages: newest first, only ids below before_id (0 = from the
    // newest), only entries whose action is `action` ("" = any); and how many such entries.
    virtual std::vector<AuditEntry> audit_page(std::int64_t before_id, const std::string& action, std::size_t limit) = 0;
    virtual std::int64_t audit_count(const std::string& action) = 0;

    virtual std::vector<AdminRecord> records(const RecordQuery& q) = 0;
    // How many records records(q) would give without limit, offset and before_seq: the whole
    // set a paged list shows one page of.
    virtual std::int64_t count_records(const RecordQuery& q) = 0;
    // How many records of `kind` are in each (state, has a note) pair: the home page's counts
    // without loading the records. State "" = staff never touched it.
    struct StateCount {
        std::string state;
        bool noted = false;
        std::int64_t n = 0;
    };
    virtual std::vector<StateCount> state_counts(const std::string& kind) = 0;
    // Sign-ups of one activity ("" = of every activity, one row each) counted in the database:
    // rows, and people (party_size, at least 1) confirmed / waitlisted / otherwise (cancelled),
    // and confirmed people marked present. The roster's and the yearly report's counts.
    struct SignupTally {
        std::string activity_id;
        std::int64_t signups = 0, confirmed = 0, waitlisted = 0, cancelled = 0, attended = 0;
    };
    virtual std::vector<SignupTally> signup_tallies(const std::string& activity_id) = 0;
    // How many records of `kind` carry each value of the payload's top-level string `field`
    // (survey responses by survey_id), counted in the database.
    virtual std::map<std::string, std::int64_t> payload_counts(const std::string& kind, const std::string& field) = 0;
    // Records of `kind` counted in the database by centre and by the hour of created_at as the
    // kiosk wrote it: `at` is "YYYY-MM-DDTHH" for a plain UTC time ("…T12:34:56Z" or
    // "…T12:34:56.789Z", nearly every record), else the whole created_at (one row each value).
    // JST is whole hours ahead of UTC, so jst_month(at + ":00:00Z") is the JST month of every
    // record in a row: the monthly report and /open/counts without loading a record.
    struct CentreHourCount {
        std::string centre_id, at;
        std::int64_t n = 0;
    };
    virtual std::vector<CentreHourCount> centre_hour_counts(const std::string& kind) = 0;
    // Survey answers counted in the database (the survey results page, the indicators), never
    // loading a response. Over the survey_response records whose payload has a string
    // survey_id (== survey_id, or any when "") and an array "answers"; each answer object with
    // a string question_id is counted once in `answers`, keyed by its integer "choice" and its
    // integer "scale" (has_* false when absent or not an integer), and each integer element of
    // its "choices" array once in `picks`. With by_hour, `at` is the hour of created_at as in
    // centre_hour_counts (so the JST fiscal year of every row is known); else "".
    struct SurveyAnswerCount {
        std::string survey_id, at, question_id;
        bool has_choice = false, has_scale = false;
        std::int64_t choice = 0, scale = 0, n = 0;
    };
    struct SurveyPickCount {
        std::string survey_id, at, question_id;
        std::int64_t choice = 0, n = 0;
    };
    struct SurveyTally {
        std::vector<SurveyAnswerCount> answers;
        std::vector<SurveyPickCount> picks;
        std::map<std::string, std::int64_t> responses;   // survey_id → responses with an answers array
    };
    virtual SurveyTally survey_tally(const std::string& survey_id, bool by_hour) = 0;
    // The non-empty string "text" answers to one question of one survey in arrival order
    // (one page: `limit` from `offset`), and how many there are in all.
    virtual std::vector<std::string> survey_texts(const std::string& survey_id, const std::string& question_id, std::size_t limit,
                                                  std::size_t offset) = 0;
    virtual std::int64_t survey_text_count(const std::string& survey_id, const std::string& question_id) = 0;
    // Sets state, department and note of a record (triage / 市の考え方 / decision and reason).
    virtual bool set_record_state(const std::string& id, const std::string& state, const std::string& department,
                                  const std::string& note, const std::string& by, const std::string& now) = 0;
    virtual bool set_attendance(const std::string& id, int attended, const std::string& by,
                                const std::string& now) = 0;
    // Cancels a sign-up in ONE transaction: status cancelled; when it was confirmed its
    // party leaves `taken`; the waitlist moves up as server/ledger.h says (ledger::cancel);
    // the activity gets a new catalog version when `taken` moved.
    virtual CancelResult cancel_signup(const std::string& id, const std::string& by, const std::string& now) = 0;

    // Check-in links (one per activity; putting one replaces the previous, revoked or not).
    virtual void put_checkin_link(const CheckinLink& l) = 0;
    // False when the activity has no live link.
    virtual bool revoke_checkin_link(const std::string& activity_id, const std::string& now) = 0;
    virtual std::optional<CheckinLink> checkin_link(const std::string& activity_id) = 0;
    // The live (not revoked) link with this token hash.
    virtual std::optional<CheckinLink> checkin_link_by_token(const std::string& token_hash) = 0;
};

class Storage {
public:
    virtual ~Storage() = default;

    // --- devices -----------------------------------------------------------------
    virtual std::optional<Device> device_by_token_hash(const std::string& token_hash) = 0;
    virtual std::optional<Device> device(const std::string& kiosk_id) = 0;
    virtual std::vector<Device> devices() = 0;
    // One page of the kiosks by id (`limit` from `offset`) and how many there are (revoked too).
    virtual std::vector<Device> devices_page(std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t device_count() = 0;
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
    //  - sign-up: decided in arrival order by the ledger (server/ledger.h, decide_signup:
    //    capacity 0 rejected no_signups; strictly first come, first served; confirmed or
    //    waitlisted). A confirmed sign-up adds party_size to the activity's `taken` and the
    //    activity gets a new catalog version (one bump per batch) so kiosks pull the count.
    //  - cancel: applied in arrival order (ledger::check_cancel: unknown_signup /
    //    wrong_check_code rejected), then ledger::cancel (the sign-up becomes cancelled, the
    //    line moves up: IngestResult::promoted). Answered stored with signup_status "cancelled"
    //    (also when it already was). A cancel whose sign-up has not arrived is stored as
    //    "waiting" (table cancel_waits) and applied at the end of the push that stores the
    //    sign-up; it then says "cancelled", or "refused" when its check code did not match.
    //  - attendance (a tick at the kiosk's 受付): applied in arrival order, exactly once (a
    //    duplicate id changes nothing), as AdminStorage::set_attendance with updated_by
    //    "kiosk:<id>", when ledger::check_attendance allows it (unknown_signup: no such
    //    sign-up; wrong_centre: the sign-up's activity is not at the pushing kiosk's centre).
    // Also records the push metadata on the device row. Throws StorageError.
    virtual IngestResult ingest(const PushMeta& meta, const std::vector<PreparedRecord>& batch) = 0;
    // The group commit of engines that have one (SQLite), for tests: pushes waiting to be
    // written, and groups written so far (one transaction and fsync each).
    struct IngestStats {
        std::size_t waiting = 0;
        std::uint64_t groups = 0;
    };
    virtual IngestStats ingest_stats() { return {}; }
    // Tests: called by each group's writer before it takes the waiting pushes into its group.
    virtual void set_group_hook(std::function<void()>) {}
    virtual std::optional<StoredRecord> record(const std::string& id) = 0;
    // The kiosk's sign-ups whose status differs from the one it was last told (a record's
    // first answer tells it; see ack_signup_updates), in arrival order, at most `limit`.
    virtual std::vector<SignupUpdate> signup_updates(const std::string& kiosk_id, std::size_t limit) = 0;
    // The kiosk applied these: each (id, signup_status) stops being pending, unless the
    // status changed again since (then the newer one is reported). Other kiosks' ids and
    // stale statuses are ignored. Returns how many were acknowledged now.
    virtual int ack_signup_updates(const std::string& kiosk_id, const std::vector<SignupUpdate>& acks) = 0;

    // --- catalog -----------------------------------------------------------------
    virtual std::int64_t catalog_version() = 0;
    virtual bool catalog_empty() = 0;
    // Imports a catalog document or delta in one transaction. Changed or new entities get
    // the next catalog version; unchanged ones keep theirs (no version bump when nothing
    // changed). A full document deletes entities it does not list. A new activity's
    // `taken` starts at the file's value (places booked elsewhere); after that only
    // sign-ups move it. An activity whose capacity changed goes through the ledger
    // (ledger::change_capacity): a raise moves the waitlist up (appended to `promoted` when
    // given), a cut drops nobody. Returns the catalog version after the import.
    virtual std::int64_t import_catalog(const CatalogDelta& delta, std::vector<Promotion>* promoted) = 0;
    std::int64_t import_catalog(const CatalogDelta& delta) { return import_catalog(delta, nullptr); }
    // The catalog changes after `since` as the protocol's JSON document (without the
    // "protocol" key): since <= 0 gives the full catalog (no deletions, "full": true).
    // Each entity carries its own "version"; activities carry the server's "taken".
    virtual Json catalog_since(std::int64_t since) = 0;
    // The activities with these ids that are in the catalog (not deleted), as catalog_since
    // gives them (with "version" and the server's "taken"), in no particular order; unknown
    // ids are left out. One read of committed rows: the slot rules (server/slot_rules.h) look
    // up every pushed sign-up's activity with it before storage.
    virtual std::vector<Json> activities_by_id(const std::vector<std::string>& ids) = 0;
    // One page of a catalog table ("centres" | "organizations" | "activities" | "surveys"; not
    // deleted) in catalog_since's order (version, id), each entity as catalog_since gives it,
    // read in the database (LIMIT/OFFSET) with the count of the whole filtered set: the
    // dashboard's lists of listings and of the catalog. Filters ("" = any): `kind` the payload's
    // "kind" equals it; `not_kind` it differs (activities: the slots kept on their own pages);
    // `title_has` the "title" (or "name") contains it; `starts_from` (an ISO date) only listings
    // with places ("capacity" > 0) that start on or after that day, soonest first (the home
    // page's upcoming activities) instead of in catalog order; `extra_has` only entities whose
    // "extra" is an object with that key (the talent bank's requests for help: "talent_request").
    struct CatalogFilter {
        std::string kind, not_kind, title_has, starts_from, extra_has;
    };
    struct CatalogPage {
        std::vector<Json> items;
        std::int64_t total = 0;
    };
    virtual CatalogPage catalog_page(const std::string& table, const CatalogFilter& f, std::size_t limit, std::size_t offset) = 0;

    virtual StorageCounts counts() = 0;

    // A number that grows whenever a record is stored (any server on the database). With
    // catalog_version() it keys caches of what is computed from records and the catalog
    // (open data): cheap, no scan.
    virtual std::int64_t records_mark() = 0;

    // --- kiosk quotas as leases (server/ledger.h, docs/protocol.md "Kiosk quotas") -------
    virtual QuotaPolicy quota_policy() = 0;
    // share_pct 0 removes the centre's share.
    virtual void set_quota_share(const std::string& centre_id, std::int64_t share_pct) = 0;
    // places < 0 removes the explicit quota.
    virtual void set_quota_override(const std::string& activity_id, const std::string& kiosk_id,
                                    std::int64_t places) = 0;
    // name: "quota.silence_s" | "quota.before_start_s".
    virtual void set_quota_setting(const std::string& name, std::int64_t value) = 0;
    // One POST /api/v1/quotas of `kiosk_id` at `now_ms` (server clock), in ONE transaction:
    // ledger::exchange_quotas over the kiosk's leases and the activities it may hold places
    // of; released places move the waitlist up (notices as for a capacity raise).
    virtual QuotaAnswer exchange_quotas(const std::string& kiosk_id, const std::vector<QuotaReport>& reports,
                                        std::int64_t now_ms) = 0;
    // Every lease, in the order granted.
    virtual std::vector<LeaseRow> leases() = 0;
    // One page of the leases, newest first (`limit` from `offset`), and how many leases are live,
    // stranded and released at `now` (RFC 3339 UTC, whole seconds as the leases' times are
    // written): live = not released, not reported done and ending after now; released =
    // released_at set; stranded = the rest (the quotas page's summary, counted in SQL).
    virtual std::vector<LeaseRow> leases_page(std::size_t limit, std::size_t offset) = 0;
    struct LeaseCounts {
        std::int64_t live = 0, stranded = 0, released = 0;
    };
    virtual LeaseCounts lease_counts(const std::string& now) = 0;

    // --- admin dashboard (see AdminStorage above) ----------------------------------
    virtual AdminStorage& admin() { throw StorageError("this storage engine has no admin tables"); }
    // --- the office's yearly registers (server/civic.h) ------------------------------
    virtual CivicStorage& civic() { throw StorageError("this storage engine has no civic registers"); }

    // --- the notice outbox (server/notices.h) ----------------------------------------
    virtual NoticeStorage& notices() { throw StorageError("this storage engine has no notice outbox"); }

    // --- the talent bank (server/talent.h) --------------------------------------------
    virtual TalentStorage& talent() { throw StorageError("this storage engine has no talent bank"); }

    // --- group registration (server/groups.h) ---------------------------------------
    virtual GroupStorage& groups() { throw StorageError("this storage engine has no group registration"); }

    // --- lending and rooms: staff marks, the 優先予約 window (server/bookings.h) ---------
    virtual BookingStorage& bookings() { throw StorageError("this storage engine has no booking marks"); }

    // --- things city hall gives away (server/items.h) --------------------------------
    virtual ItemStorage& items() { throw StorageError("this storage engine has no item requests"); }
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
