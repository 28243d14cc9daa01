// The sign-up ledger (server/ledger.h): the capacity rules, once, for both engines.
#include "server/ledger.h"

#include "core/store.h"   // receipt_number

#include <algorithm>

namespace kyodo::server::ledger {

bool takes_signups(const Seats& s) { return s.capacity > 0; }

std::int64_t free_places(const Seats& s) { return std::max<std::int64_t>(0, s.capacity - s.taken - s.held); }

bool over_capacity(const Seats& s) { return s.taken + s.held > s.capacity; }

namespace {
bool fits(const Seats& s, std::int64_t party) { return s.capacity > 0 && s.taken + s.held + party <= s.capacity; }
}  // namespace

SignupDecision decide_signup(Seats& s, std::int64_t party, const std::string& activity_id) {
    SignupDecision d;
    if (!takes_signups(s)) {
        d.code = "no_signups";
        d.message = "payload.activity_id: activity \"" + activity_id + "\" takes no sign-ups (capacity 0)";
        return d;
    }
    if (!s.queue && fits(s, party)) {
        d.status = kConfirmed;
        s.taken += party;
    } else {
        d.status = kWaitlisted;
        s.queue = true;   // strictly first come: nobody overtakes this party
    }
    return d;
}

std::vector<std::string> promote(Seats& s, const std::vector<Waiting>& line) {
    std::vector<std::string> moved;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        if (!fits(s, line[i].party)) break;   // first in line first: nobody behind overtakes
        s.taken += line[i].party;
        moved.push_back(line[i].id);
    }
    s.queue = i < line.size();
    return moved;
}

CancelOutcome cancel(Seats& s, const std::string& id, const std::string& status, std::int64_t party,
                     const std::vector<Waiting>& line) {
    CancelOutcome out;
    if (status == kCancelled) {
        out.error = "already_cancelled";
        return out;
    }
    if (status != kConfirmed && status != kWaitlisted) {
        out.error = "not_signup";
        return out;
    }
    if (status == kConfirmed) {
        s.taken = std::max<std::int64_t>(0, s.taken - party);
        out.taken_changed = true;
    }
    // A waitlisted party at the head of the line blocks those behind it, so its leaving moves
    // the line up just as freed places do.
    std::vector<Waiting> rest;
    rest.reserve(line.size());
    for (const Waiting& w : line)
        if (w.id != id) rest.push_back(w);
    out.promoted = promote(s, rest);
    if (!out.promoted.empty()) out.taken_changed = true;
    return out;
}

SignupDecision check_cancel(const CancelTarget& t, const std::string& signup_id, const std::string& receipt,
                            const std::string& check_code) {
    SignupDecision d;
    if (receipt != receipt_number(signup_id) || (t.found && (t.kind != "sign_up" || t.receipt != receipt))) {
        d.code = "unknown_signup";
        d.message = "payload.signup_id: " + signup_id + " is no sign-up with receipt " + receipt;
    } else if (!t.found) {
        d.status = kWaiting;
    } else if (t.check_code.empty() || t.check_code != check_code) {
        d.code = "wrong_check_code";
        d.message = "payload.check_code: the check code does not match the sign-up's";
    } else {
        d.status = kCancelled;
    }
    return d;
}

SignupDecision check_attendance(const AttendanceTarget& t, const std::string& signup_id,
                                const std::string& kiosk_centre) {
    SignupDecision d;
    if (!t.found || t.kind != "sign_up") {
        d.code = "unknown_signup";
        d.message = "payload.signup_id: " + signup_id + " is no sign-up";
    } else if (t.activity_centre.empty() || t.activity_centre != kiosk_centre) {
        d.code = "wrong_centre";
        d.message = "payload.signup_id: the sign-up's activity is not at this kiosk's centre (" + kiosk_centre +
                    "); a kiosk ticks only its own centre's rosters";
    } else {
        d.status = kAttendanceOk;
    }
    return d;
}

CapacityOutcome change_capacity(Seats& s, std::int64_t new_capacity, const std::vector<Waiting>& line) {
    CapacityOutcome out;
    s.capacity = std::max<std::int64_t>(0, new_capacity);
    out.promoted = promote(s, line);
    out.taken_changed = !out.promoted.empty();
    out.over_capacity = over_capacity(s);
    return out;
}

RecordAnswer answer_again(const std::string& id, const Stored& first, const std::string& content_hash) {
    RecordAnswer a;
    a.id = id;
    if (first.content_hash == content_hash) {
        a.result = "duplicate";
        a.receipt = first.receipt;
        a.signup_status = first.signup_status;
        a.flags = first.flags;
    } else {
        a.result = "conflict";
        a.code = "conflict";
        a.message = "a different record with this id was received before; the first was kept";
    }
    return a;
}

RecordAnswer answer_rejected(const std::string& id, const std::string& code, const std::string& message) {
    RecordAnswer a;
    a.id = id;
    a.result = "rejected";
    a.code = code;
    a.message = message;
    return a;
}

void tally(IngestResult& out, RecordAnswer a) {
    if (a.result == "stored") ++out.stored;
    else if (a.result == "duplicate") ++out.duplicate;
    else if (a.result == "conflict") ++out.conflict;
    else if (a.result == "rejected") ++out.rejected;
    out.answers.push_back(std::move(a));
}

}  // namespace kyodo::server::ledger
