// The kiosk's local store: one SQLite file holding the catalog (pulled from city hall),
// the outbox of records residents made, and a few settings. Everything a resident does
// lands here first, in one transaction, before the kiosk says "received".
//
// SQLite is opened with WAL and synchronous=FULL: a commit that returned survives a power
// cut. Schema changes are forward-only numbered migrations (core/migrations.cpp) applied
// in order inside a transaction, recorded in PRAGMA user_version.
//
// Search: FTS5 with the trigram tokenizer over folded title, kana, summary, description,
// place, organizer names, field tags and the readings from the furigana (core/ruby.h)
// answers queries of 3+ characters from the index; 1–2 character queries (very
// common in Japanese: 防災, 子育, 祭) go to a bigram/unigram table kept alongside
// (search_ngram), so every query length is answered from an index, never a LIKE scan.
// rids are in result order, so every list is read in display order and a search stops once
// its page is full and its count capped. Dates, "not ended" and the activities still running
// from before today are kept in memory per catalog (SearchCache; docs/performance.md
// "2026-12-07").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/types.h"

struct sqlite3;

namespace kyodo {

struct StoreError : std::runtime_error {
    int sqlite_code;
    StoreError(const std::string& msg, int code) : std::runtime_error(msg), sqlite_code(code) {}
    // True when the disk (or the database's quota) is full: callers tell the resident
    // plainly that nothing was saved and staff must free space.
    bool disk_full() const;
};

struct SearchQuery {
    std::string text;                       // free text, any length; folded like the index
    std::optional<ActivityKind> kind;
    std::optional<Form> form;
    std::optional<Method> method;
    std::string field;                      // 分野, exact
    std::string centre_id;
    std::string date_from, date_to;         // "YYYY-MM-DD", inclusive; empty = open
    // The kiosk's own today ("YYYY-MM-DD"). When set, an activity whose last day (ends_at,
    // else starts_at) is before it has ended: it is left out, or with ended_last shown after
    // every activity that has not (each part in result order). Undated ones never end.
    // Empty: no notion of today (every activity in result order).
    std::string today;
    bool ended_last = false;
    bool only_open_places = false;          // capacity > taken (capacity 0 takes no sign-ups)
    int limit = 50;
    int offset = 0;
    // Counting stops here (the kiosk shows "1000件以上"): an exact total of a common
    // 1-character term would read its whole posting list. Never below offset+limit, so
    // the page shown is always inside the total. 0 or less: count exactly.
    int count_cap = 1000;
};

struct SearchResult {
    std::vector<Activity> items;
    int total = 0;                          // matching rows (for "123 件"), at most the cap
    bool total_capped = false;              // more than `total` match ("1000件以上")
};

enum class OutboxState { Pending, Delivered, Rejected };
const char* to_code(OutboxState);

struct OutboxEntry {
    std::int64_t seq = 0;          // local insertion order
    Record record;
    OutboxState state = OutboxState::Pending;
    int attempts = 0;
    std::string last_error;        // transport error of the last failed attempt
    std::string result;            // server answer: "stored" | "duplicate" | "rejected" | "conflict"
    std::string reject_code, reject_message;
    std::string signup_status;     // "confirmed" | "waitlisted" | "" (unknown yet)
    std::int64_t queued_ms = 0;
    std::int64_t delivered_ms = 0;
};

struct OutboxCounts {
    struct PerKind { int pending = 0, delivered = 0, rejected = 0; };
    PerKind by_kind[kRecordKindCount];            // indexed by RecordKind
    int pending = 0, delivered = 0, rejected = 0;
    std::int64_t oldest_pending_ms = 0;
};

// Where a sign-up stands, for receipts and staff mode. Awaiting: stored on the kiosk, no
// answer from city hall yet (受付済み・確定待ち); the others are the server's word, the latest
// of the push answer and any later signup_updates (waitlist moved up, cancelled).
enum class SignupPhase { Awaiting, Confirmed, Waitlisted, Cancelled, Rejected };
SignupPhase signup_phase(const OutboxEntry& e);
const char* to_code(SignupPhase);   // "awaiting" | "confirmed" | "waitlisted" | "cancelled" | "rejected"

// What the kiosk shows the resident after submitting.
struct Receipt {
    std::string record_id;
    std::string number;            // "7KQ3-M9TX": derived from the record id, unique
    std::string check_code;        // 4 digits; sign-ups and talent registrations only, printed on the receipt
};

// Cancelling a sign-up at the kiosk (issue 10): the resident types the receipt number and
// the check code printed on their receipt. The kiosk checks them against the sign-ups it holds
// (made here, within the retention period), offline too.
enum class CancelCheck {
    Ok,                 // this kiosk's sign-up, the code matches, not cancelled yet
    UnknownReceipt,     // not a sign-up made at this kiosk (or purged): use the phone page
    WrongCode,          // the check code does not match
    AlreadyCancelled,
    NotCancellable,     // city hall refused the sign-up itself (rejected): nothing to cancel
};
const char* to_code(CancelCheck);   // "ok" | "unknown_receipt" | "wrong_code" | "already_cancelled" | "not_cancellable"
CancelCheck check_cancel(const std::optional<OutboxEntry>& signup, const std::string& check_code);
// "7kq3m9tx", " 7KQ3-M9TX " → "7KQ3-M9TX"; anything not 8 Crockford characters → "".
std::string normalise_receipt(const std::string& typed);

// Human receipt number for a record id: 8 Crockford base-32 characters from the UUID's
// random bits, shown as XXXX-XXXX. The server derives the same number from the same id.
std::string receipt_number(const std::string& record_id);

// The centre's rosters for check-in at the venue (staff mode's 受付, issue 10 point 4), as
// GET /api/v1/rosters sends them (docs/protocol.md). A stolen kiosk must hold nothing readable
// (DESIGN.md "Privacy"), so a roster row has no name, phone or e-mail: staff find an arrival
// by the receipt number the resident shows; `hint` is at most one kana (the first of the
// furigana) to tell two parties apart. Kept until the next pull replaces them (offline too).
struct RosterSignup {
    std::string signup_id, activity_id;
    std::string receipt;           // "7KQ3-M9TX"
    int party_size = 1;
    std::string status;            // confirmed | waitlisted
    std::string hint;              // one character, may be ""
    bool attended = false;         // the server's word, or this kiosk's tick not yet sent
};
struct RosterActivity {
    std::string id, title, starts_at, place;
    int capacity = 0;
    std::vector<RosterSignup> signups;   // arrival order
};
struct Rosters {
    std::string centre_id, from, to;     // JST dates of the window the server sent
    std::vector<RosterActivity> activities;
};
// Decodes the rosters document (throws std::runtime_error on a malformed one). Rows carrying
// anything but the fields above are decoded without it: nothing else is ever stored.
Rosters rosters_from_json(const Json& doc);

// Places confirmed on the spot (issue 10 point 2; docs/protocol.md "Kiosk quotas"): city hall
// lends this kiosk some of an activity's places until an end it sets. The kiosk confirms
// sign-ups under a lease itself, offline too, while the lease lasts on its own clock.
struct KioskLease {
    std::string id, activity_id;
    std::int64_t places = 0;        // total lent (used included); only ever grows
    std::int64_t used = 0;          // party sizes of the sign-ups confirmed under it (from the outbox)
    std::int64_t ends_local_ms = 0; // kiosk clock: the kiosk stops using it here (margin included)
    bool ended = false;             // no more sign-ups under it (seen past its end, or dropped by the server)
    bool done_reported = false;     // city hall was told it is done (its places may go to others)
};

// One lease of a quotas answer (POST /api/v1/quotas): places total, ends_in_s from the
// server's "now" (the kiosk never compares clocks with the server).
struct QuotaGrant {
    std::string id, activity_id;
    std::int64_t places = 0;
    std::int64_t ends_in_s = 0;
};

// What the kiosk tells city hall about a lease at a quotas exchange.
struct LeaseReport {
    std::string id;
    std::int64_t used = 0;
    bool done = false;   // ended and no undelivered sign-up names it
};

namespace detail {
// How search() intersects posting lists, for the benchmark and tests to compare; the
// kiosk keeps the default. Leapfrog: every list skips ahead in rid order, stopping once
// the page is full and the count capped. Probe: the rarest list drives, point lookups
// check the others. Materialise: read every list whole and intersect in memory.
enum class JoinPlan { Leapfrog, Probe, Materialise };
extern JoinPlan search_join_plan;
}  // namespace detail

class KioskStore {
public:
    static constexpr int kSchemaVersion = 7;   // keep in step with migrations.cpp

    // Opens (creating if needed) and migrates. Throws StoreError.
    explicit KioskStore(const std::string& path);
    ~KioskStore();
    KioskStore(const KioskStore&) = delete;
    KioskStore& operator=(const KioskStore&) = delete;

    int schema_version() const;
    const std::string& path() const { return path_; }

    // --- catalog -------------------------------------------------------------------
    // Applies a delta (or a full catalog) in one transaction: the kiosk never shows
    // half a catalog. Versions only move forward; an older delta is ignored.
    void apply_catalog(const CatalogDelta& delta);
    std::int64_t catalog_version() const;
    // Listings only: slots and items (is_listing() false) are never in search or browsing.
    SearchResult search(const SearchQuery& q) const;
    // Any activity held, slots and items included.
    std::optional<Activity> activity(const std::string& id) const;
    // The slots (kind Slot) or items (kind Item) held, at centre `centre_id` ("" = any centre),
    // ordered by starts_at then id (docs/lending.md). Any other kind: empty.
    std::vector<Activity> bookables(ActivityKind kind, const std::string& centre_id) const;
    std::vector<Activity> activities_by_organization(const std::string& org_id) const;
    std::vector<Organization> organizations() const;
    std::optional<Organization> organization(const std::string& id) const;
    std::vector<Centre> centres() const;
    std::optional<Centre> centre(const std::string& id) const;
    std::vector<Survey> surveys() const;
    std::optional<Survey> survey(const std::string& id) const;

    // --- outbox --------------------------------------------------------------------
    // Stores a record (making its id, created_at if empty) in one durable transaction and
    // returns the receipt. The personal part must already be sealed (Record::sealed).
    // Throws StoreError (e.g. disk full): then nothing was stored.
    Receipt enqueue(Record& r);
    // Enqueues a sign-up (as enqueue()). When a lease of its activity is usable at now_ms
    // (kiosk clock: not ended, now_ms < ends_local_ms) and used + party_size <= places, puts
    // "lease" in the payload and stores the sign-up as confirmed here (signup_status
    // "confirmed"), in ONE durable transaction with the lease's use (used is counted from the
    // outbox). *confirmed_on_spot (may be null) says which. A "lease" the caller put in the
    // payload is replaced by this decision. Throws StoreError: then nothing was stored.
    Receipt enqueue_signup(Record& r, std::int64_t now_ms, bool* confirmed_on_spot);
    // The leases held (done_reported ones too, until deleted), by activity then end.
    std::vector<KioskLease> leases() const;
    // Applies a quotas answer received for a request started at request_start_ms (kiosk
    // clock), in one transaction: each lease is upserted with places = max(old, new) and
    // ends_local_ms = max(old, request_start_ms + ends_in_s*1000 - margin_ms); a held lease
    // (not done_reported) missing from the answer becomes ended. `ended` never reverts.
    void apply_quotas(const std::vector<QuotaGrant>& q, std::int64_t request_start_ms, std::int64_t margin_ms);
    // For a quotas exchange at now_ms (kiosk clock), in one transaction: marks ended every
    // lease with now_ms >= ends_local_ms, then reports each lease not yet done_reported:
    // its used, and done when ended and no pending sign-up names it.
    std::vector<LeaseReport> lease_reports(std::int64_t now_ms);
    // City hall answered 200 to an exchange that reported these leases done.
    void note_leases_done(const std::vector<std::string>& ids);

    // Pending records, oldest first, at most max_count and about max_bytes of JSON.
    std::vector<OutboxEntry> pending(std::size_t max_count, std::size_t max_bytes) const;
    // The same records as pending(), undecoded: id and the JSON text exactly as enqueue()
    // stored it (to_json(record).dump()). The sync engine sends that text as it is; decoding
    // each record only to encode it again was a third of the kiosk's CPU per pushed record.
    struct PendingText {
        std::int64_t seq = 0;
        std::string id, json;
    };
    std::vector<PendingText> pending_text(std::size_t max_count, std::size_t max_bytes) const;
    std::optional<OutboxEntry> outbox_entry(const std::string& record_id) const;
    std::vector<OutboxEntry> rejected() const;
    std::vector<OutboxEntry> recent(std::size_t n) const;   // newest first, any state
    // Applies the server's per-record answers in one transaction.
    struct Answer {
        std::string id;
        std::string result;          // stored | duplicate | rejected | conflict
        std::string code, message;   // for rejected / conflict
        std::string signup_status;   // confirmed | waitlisted | ""
    };
    void apply_answers(const std::vector<Answer>& answers);
    // Updates sign-up statuses reported later by the server (waitlisted → confirmed …).
    void set_signup_status(const std::string& record_id, const std::string& status);
    // The sign-up made at this kiosk with that receipt number (normalise_receipt), if held.
    std::optional<OutboxEntry> signup_by_receipt(const std::string& receipt) const;
    // Queues a cancel record for `signup` (payload signup_id, receipt, check_code) and marks
    // the sign-up cancelled here, in ONE durable transaction; the record goes to city hall with
    // the outbox, after the sign-up (exactly once, like any record). A push answer for the
    // sign-up does not undo the local "cancelled". Throws StoreError.
    Receipt enqueue_cancel(const OutboxEntry& signup, const std::string& check_code, const std::string& kiosk_id,
                           const std::string& centre_id);
    // Sign-ups in the outbox, newest first, any state (staff mode's list; signup_phase()
    // of each says where it stands).
    std::vector<OutboxEntry> signups(std::size_t n) const;
    // Delivered sign-ups whose status can still change (confirmed or waitlisted): while there
    // are any, a sync pass asks the server for signup_updates even with nothing to push.
    int open_signups() const;
    void note_attempt_failed(const std::vector<std::string>& ids, const std::string& error);
    OutboxCounts counts() const;
    // Deletes delivered records older than `older_than_ms` (retention). Returns how many.
    // Sign-ups under a lease not yet reported done stay: they count its `used`.
    int purge_delivered(std::int64_t older_than_ms);

    // --- rosters (staff mode's 受付) ---------------------------------------------------
    // Replaces every roster with `r` in one transaction. Ticks made here and not yet sent
    // (pending attendance records) are applied over the server's word, so a pull never
    // unticks what staff just ticked.
    void replace_rosters(const Rosters& r);
    // The held activities whose start (JST date, first 10 characters of starts_at) lies in
    // [from_day, to_day] ("" = open), in start order, each with its roster.
    std::vector<RosterActivity> rosters(const std::string& from_day = "", const std::string& to_day = "") const;
    // The roster row of `activity_id` with that receipt number (normalise_receipt), if held.
    std::optional<RosterSignup> roster_by_receipt(const std::string& activity_id, const std::string& receipt) const;
    // Staff ticked (or unticked) an arrival: queues an `attendance` record (payload signup_id,
    // attended) and marks the roster row, in ONE durable transaction. Throws StoreError.
    Receipt enqueue_attendance(const std::string& signup_id, bool attended, const std::string& kiosk_id,
                               const std::string& centre_id);

    // --- settings (small key/value: kiosk id, sync state, staff PIN hash …) ----------
    std::string setting(const std::string& key, const std::string& fallback = "") const;
    void set_setting(const std::string& key, const std::string& value);

    // Size of the database file(s) in bytes (main + WAL), for staff mode.
    std::int64_t file_bytes() const;

    sqlite3* raw() const { return db_; }     // for tests and benchmarks only

    // What search keeps in memory between queries (defined in store.cpp): every activity's
    // rid and the date boundaries and spans it asked for, rebuilt when the catalog changed.
    struct SearchCache;

private:
    SearchCache& search_cache() const;   // fresh for the read transaction search() holds
    SearchResult search_part(const SearchQuery& q, int part) const;   // part: store.cpp Part
    std::string path_;
    sqlite3* db_ = nullptr;
    mutable std::unique_ptr<SearchCache> search_cache_;
};

}  // namespace kyodo
