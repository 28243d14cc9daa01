// The sign-up ledger: every rule about places, written once, as plain functions over plain
// structs. Both storage engines (server/sqlite_storage*.cpp, server/pg_storage.cpp) read the
// rows these functions need under their own lock, call them, and write back what they answer;
// they hold no capacity rule of their own. docs/protocol.md ("Sign-ups and capacity") states
// the same rules for people.
//
// The rules:
//  - Capacity 0 means the activity takes no sign-ups (the dashboard's 「0 = 申込みを受け付けない」):
//    a new sign-up for it is rejected with code `no_signups`; the kiosk shows no sign-up
//    button. There is no "unlimited" capacity: city hall enters the number of places.
//  - Strictly first come, first served, in the server's arrival order: a new sign-up waits
//    when anyone is already waiting; otherwise it is confirmed when its party fits the places
//    still free (capacity − taken − held), else it waits. A later, smaller party never
//    overtakes a waiting one.
//  - Promotion: when places free up (a confirmed sign-up cancelled, the capacity raised) or the
//    head of the line leaves (a waitlisted sign-up cancelled), the line moves up in arrival
//    order while its first party fits; each one moved up becomes confirmed and is named in
//    `promoted` (the notices outbox and signup_updates tell the resident).
//  - A capacity cut never drops anybody confirmed: `taken` may then exceed the capacity, and
//    the activity is over capacity (over_capacity()), which the dashboard flags for staff.
//    Nobody is promoted while it is.
//  - A record id seen before: the same content is a duplicate (answered as the first time),
//    other content a conflict (the first is kept).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/storage.h"

namespace kyodo::server::ledger {

inline constexpr const char* kConfirmed = "confirmed";
inline constexpr const char* kWaitlisted = "waitlisted";
inline constexpr const char* kCancelled = "cancelled";

// An activity's places, as the engine read them (under its lock on the activity).
struct Seats {
    std::int64_t capacity = 0;   // 0: takes no sign-ups
    std::int64_t taken = 0;      // places confirmed (sign-ups, plus places booked elsewhere)
    std::int64_t held = 0;       // places held for kiosks' quotas and not yet used
    bool queue = false;          // someone is waitlisted
};

bool takes_signups(const Seats& s);
// Places a new sign-up may still be confirmed into (never negative).
std::int64_t free_places(const Seats& s);
// More places confirmed (and held) than the capacity: only after a capacity cut.
bool over_capacity(const Seats& s);

// What a new sign-up gets. `status` is confirmed or waitlisted; when empty the sign-up is
// rejected with `code` and `message` (and is not stored).
struct SignupDecision {
    std::string status;
    std::string code, message;
    bool rejected() const { return status.empty(); }
};
// Decides a new sign-up of `party` places for `activity_id` and applies it to `s` (a
// confirmed one adds its party to `taken`; a waitlisted one starts or lengthens the line).
SignupDecision decide_signup(Seats& s, std::int64_t party, const std::string& activity_id);

// A waitlisted sign-up, in the order of the line (arrival order).
struct Waiting {
    std::string id;
    std::int64_t party = 0;
};

// Moves the line up while its first party fits; answers the ids moved up (now confirmed), in
// order, and updates `s` (taken, and queue: whether anyone still waits). `line` is everybody
// waitlisted for the activity, in arrival order.
std::vector<std::string> promote(Seats& s, const std::vector<Waiting>& line);

// Cancelling one sign-up (staff, the resident's phone page, or a kiosk's cancel record).
struct CancelOutcome {
    std::string error;                    // "" | "already_cancelled" | "not_signup"
    std::vector<std::string> promoted;    // moved up, in arrival order
    bool taken_changed = false;           // `taken` moved: the activity needs a new version
    bool ok() const { return error.empty(); }
};
// `status` is the sign-up's current status, `party` its size, `id` its id; `line` the
// activity's waitlist in arrival order (it may include `id` itself). Applies it to `s`.
CancelOutcome cancel(Seats& s, const std::string& id, const std::string& status, std::int64_t party,
                     const std::vector<Waiting>& line);

// A kiosk's cancel record names its sign-up by id, receipt number and check code: the sign-up
// as stored (found = false when no record has that id).
struct CancelTarget {
    bool found = false;
    std::string kind, receipt, check_code, status;
};
// What a kiosk's cancel record does, in arrival order:
//  - the receipt is not the one receipt_number(signup_id) gives, or the id is a record that is
//    not a sign-up: rejected, code unknown_signup;
//  - the sign-up has not arrived yet (a cancel may overtake its sign-up, e.g. when the sign-up
//    travels on a USB bundle or through another server): status kWaiting; the cancel is stored
//    and waits, and is decided again (check_cancel, then cancel) as soon as its sign-up is
//    stored, at the end of the push that brings it;
//  - the check code is not the sign-up's: rejected, code wrong_check_code (a waiting cancel
//    decided so later becomes kRefused and changes nothing);
//  - else status kCancelled: the caller applies cancel() (which answers already_cancelled when
//    staff or the resident's phone page cancelled it first: nothing moves twice).
inline constexpr const char* kWaiting = "waiting";   // a cancel record whose sign-up has not arrived
inline constexpr const char* kRefused = "refused";   // a waiting cancel whose check code did not match
SignupDecision check_cancel(const CancelTarget& t, const std::string& signup_id, const std::string& receipt,
                            const std::string& check_code);

// What a kiosk's attendance tick (staff mode's 受付, issue 10 point 4) may do, in arrival order:
//  - the id is no stored record, or a record that is not a sign-up: rejected, unknown_signup
//    (the kiosk only ticks sign-ups from the roster the server gave it, so they are stored);
//  - the sign-up's activity is not at the pushing kiosk's centre (or has no centre): rejected,
//    wrong_centre (a kiosk holds and ticks only its own centre's rosters);
//  - else status "" and not rejected: the caller sets attendance (last tick to arrive wins).
struct AttendanceTarget {
    bool found = false;
    std::string kind;              // the record's kind code
    std::string activity_centre;   // the sign-up's activity's centre_id ("" when none)
};
SignupDecision check_attendance(const AttendanceTarget& t, const std::string& signup_id,
                                const std::string& kiosk_centre);
inline constexpr const char* kAttendanceOk = "attendance";

// City hall changed the capacity. Raising it promotes the line; cutting it drops nobody.
struct CapacityOutcome {
    std::vector<std::string> promoted;
    bool taken_changed = false;
    bool over_capacity = false;           // flagged for staff
};
CapacityOutcome change_capacity(Seats& s, std::int64_t new_capacity, const std::vector<Waiting>& line);

// A record whose id is already stored, as it was stored.
struct Stored {
    std::string content_hash, receipt, signup_status;
    std::vector<std::string> flags;
};
// The answer to a record whose id was seen before: duplicate (the first answer again) when
// the content hash is the same, else conflict.
RecordAnswer answer_again(const std::string& id, const Stored& first, const std::string& content_hash);
// The answer for a record rejected before storage (PreparedRecord::rejected()).
RecordAnswer answer_rejected(const std::string& id, const std::string& code, const std::string& message);
// Adds `a` to the counts of `out` and appends it.
void tally(IngestResult& out, RecordAnswer a);


// ==== Kiosk quotas as leases (issue 10 point 2; docs/protocol.md "Kiosk quotas") ===========
// A lease lends one kiosk `places` of an activity until `ends_at_ms` (server clock). The
// kiosk confirms sign-ups under it on the spot, offline too; the server holds its unused
// places (`Seats::held` = Σ over unreleased leases of places − used) away from everyone else
// and honours every sign-up that fits the lease. The rules, once, for both engines:
//  - ends_at = min(activity start − before_start_s, last contact + silence_s); each quotas
//    exchange is a contact and renews a live lease (never shortens it). A lease whose end
//    passed is not renewed and not answered any more.
//  - grant / top-up per activity with capacity > 0 whose end would be in the future and
//    nobody waitlisted: target = the explicit quota (activity, kiosk) if set, else
//    floor(capacity × share% / 100) of the kiosk's centre (at least 1 when share > 0); a live
//    lease with unused < target gets min(target − unused, free places) more; no live lease →
//    a new one of min(target, free places) when that is > 0.
//  - a sign-up naming a lease of this kiosk and activity with used + party ≤ places is
//    confirmed ALWAYS (even after the end, even over a waitlist or a capacity cut); else it
//    is decided as a normal sign-up and flagged "lease_exceeded".
//  - release only once the kiosk reported the lease done and the sign-ups received under it
//    cover the `used` it reported: its unused places go back and the waitlist moves up.
//    Otherwise never (a dead kiosk strands its places).

inline constexpr const char* kLeaseExceeded = "lease_exceeded";

struct QuotaSettings {
    std::int64_t silence_s = 24 * 3600;      // quota.silence_s
    std::int64_t before_start_s = 2 * 3600;  // quota.before_start_s
};

// A lease as the engines store it (times in Unix ms, 0 = none).
struct Lease {
    std::string id, activity_id, kiosk_id;
    std::int64_t places = 0, used = 0;
    std::int64_t ends_at_ms = 0, granted_at_ms = 0, last_contact_ms = 0;
    std::int64_t reported_used = 0;
    std::int64_t done_at_ms = 0, released_at_ms = 0;
    bool released() const { return released_at_ms != 0; }
    bool done() const { return done_at_ms != 0; }
    // Not done, not released, and its end still ahead on the server clock.
    bool live(std::int64_t now_ms) const { return !done() && !released() && ends_at_ms > now_ms; }
    std::int64_t unused() const { return std::max<std::int64_t>(0, places - used); }
};

// Lease ↔ stored row (RFC 3339 UTC text, "" = none).
LeaseRow to_row(const Lease& l);
Lease from_row(const LeaseRow& r);

// The kiosk's target places for an activity: the explicit quota when set (`override_places`
// >= 0), else floor(capacity × share_pct / 100), at least 1 when share_pct > 0; 0 when the
// activity takes no sign-ups.
std::int64_t quota_target(std::int64_t capacity, std::int64_t override_places, std::int64_t share_pct);
// The share that applies to an activity (its catalog JSON): none for a slot (kind "slot",
// docs/lending.md), whose one place goes to the first booking to reach the server — a centre's
// share never lends it to a kiosk to confirm on the spot; an explicit quota still does.
std::int64_t share_for(const Json& activity, std::int64_t share_pct);

// The end the server gives a lease contacted at `contact_ms` (start_ms: the activity's start,
// nullopt when it has none), in whole seconds (rounded down: it is stored so).
std::int64_t lease_end(std::optional<std::int64_t> start_ms, std::int64_t contact_ms, const QuotaSettings& q);

// The activity's start as Unix ms: RFC 3339 with an offset, else a local (Japan) date or
// date-time; nullopt when empty or unreadable.
std::optional<std::int64_t> activity_start_ms(const std::string& starts_at);

// A sign-up naming lease `l`. True: confirmed under the lease (used, taken += party, held −=
// party); false: the caller decides it with decide_signup and flags it kLeaseExceeded.
bool use_lease(Seats& s, Lease& l, const std::string& kiosk_id, const std::string& activity_id, std::int64_t party);

// What a kiosk said about one of its leases in a quotas exchange (server/storage.h).
using LeaseReport = QuotaReport;

// One activity as the exchange needs it (read and locked by the engine).
struct QuotaActivity {
    Seats seats;
    std::optional<std::int64_t> start_ms;
    std::int64_t target = 0;   // quota_target for this kiosk
};

struct QuotaExchangeOutcome {
    std::vector<Lease> write;                 // leases to insert or update (new ones included)
    std::vector<QuotaGrant> quotas;           // the answer: every live lease of this kiosk
    std::vector<std::pair<std::string, std::string>> promoted;   // (sign-up id, activity id)
    std::vector<std::string> taken_changed;   // activities whose `taken` moved (promotions)
};

// A whole quotas exchange of `kiosk_id` at `now_ms`: applies the reports (unknown ids and
// other kiosks' leases ignored), releases what may be released (the line moves up:
// `waitlist(activity)` gives it in arrival order), renews the live leases, then grants and
// tops up. `leases` are this kiosk's leases (all of them, any state); `activities` the
// activities it may get places of plus those of its leases, keyed by id (updated in place).
// `new_id` makes a fresh lease id.
QuotaExchangeOutcome exchange_quotas(const std::string& kiosk_id, std::int64_t now_ms, const QuotaSettings& settings,
                                     std::vector<Lease> leases, const std::vector<LeaseReport>& reports,
                                     std::map<std::string, QuotaActivity>& activities,
                                     const std::function<std::vector<Waiting>(const std::string&)>& waitlist,
                                     const std::function<std::string()>& new_id);

}  // namespace kyodo::server::ledger
