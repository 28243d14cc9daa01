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

#include <cstdint>
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

}  // namespace kyodo::server::ledger
