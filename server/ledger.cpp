// The sign-up ledger (server/ledger.h): the capacity rules, once, for both engines.
#include "server/ledger.h"

#include "core/store.h"   // receipt_number

#include <algorithm>
#include <set>

#include "core/timeutil.h"

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

// ---- kiosk quotas as leases ------------------------------------------------------------

std::int64_t quota_target(std::int64_t capacity, std::int64_t override_places, std::int64_t share_pct) {
    if (capacity <= 0) return 0;
    if (override_places >= 0) return override_places;
    if (share_pct <= 0) return 0;
    return std::max<std::int64_t>(1, capacity * std::min<std::int64_t>(share_pct, 100) / 100);
}

std::int64_t share_for(const Json& activity, std::int64_t share_pct) {
    return activity.is_object() && activity.value("kind", "") == "slot" ? 0 : share_pct;
}

std::int64_t lease_end(std::optional<std::int64_t> start_ms, std::int64_t contact_ms, const QuotaSettings& q) {
    std::int64_t e = contact_ms + q.silence_s * 1000;
    if (start_ms) e = std::min(e, *start_ms - q.before_start_s * 1000);
    const std::int64_t r = e % 1000;
    return r < 0 ? e - r - 1000 : e - r;
}

namespace {
std::string when(std::int64_t ms) { return ms ? rfc3339_utc(ms) : std::string(); }
std::int64_t ms_of(const std::string& s) {
    if (s.empty()) return 0;
    return parse_rfc3339(s).value_or(0);
}
}  // namespace

LeaseRow to_row(const Lease& l) {
    return LeaseRow{l.id,           l.activity_id,        l.kiosk_id,           l.places,          l.used,
                    when(l.ends_at_ms), when(l.granted_at_ms), when(l.last_contact_ms), l.reported_used,
                    when(l.done_at_ms), when(l.released_at_ms)};
}

Lease from_row(const LeaseRow& r) {
    return Lease{r.id,          r.activity_id,       r.kiosk_id,      r.places,       r.used,
                 ms_of(r.ends_at), ms_of(r.granted_at), ms_of(r.last_contact), r.reported_used,
                 ms_of(r.done_at), ms_of(r.released_at)};
}

std::optional<std::int64_t> activity_start_ms(const std::string& starts_at) {
    if (starts_at.empty()) return std::nullopt;
    if (auto t = parse_rfc3339(starts_at)) return t;
    return parse_local_jst(starts_at);
}

bool use_lease(Seats& s, Lease& l, const std::string& kiosk_id, const std::string& activity_id, std::int64_t party) {
    if (l.kiosk_id != kiosk_id || l.activity_id != activity_id || l.released() || party <= 0 ||
        l.used + party > l.places)
        return false;
    l.used += party;
    s.taken += party;
    s.held = std::max<std::int64_t>(0, s.held - party);
    return true;
}

QuotaExchangeOutcome exchange_quotas(const std::string& kiosk_id, std::int64_t now_ms, const QuotaSettings& settings,
                                     std::vector<Lease> leases, const std::vector<LeaseReport>& reports,
                                     std::map<std::string, QuotaActivity>& activities,
                                     const std::function<std::vector<Waiting>(const std::string&)>& waitlist,
                                     const std::function<std::string()>& new_id) {
    QuotaExchangeOutcome out;
    std::set<std::size_t> dirty;
    auto find = [&](const std::string& id) -> std::ptrdiff_t {
        for (std::size_t i = 0; i < leases.size(); ++i)
            if (leases[i].id == id && leases[i].kiosk_id == kiosk_id) return static_cast<std::ptrdiff_t>(i);
        return -1;
    };
    // 1. The kiosk's reports (unknown ids and other kiosks' leases are ignored).
    for (const LeaseReport& r : reports) {
        const std::ptrdiff_t i = find(r.id);
        if (i < 0) continue;
        Lease& l = leases[static_cast<std::size_t>(i)];
        if (l.released()) continue;
        if (r.used > l.reported_used) {
            l.reported_used = r.used;
            dirty.insert(static_cast<std::size_t>(i));
        }
        if (r.done && !l.done()) {
            l.done_at_ms = now_ms;
            dirty.insert(static_cast<std::size_t>(i));
        }
    }
    // 2. Release: done, and every place the kiosk says it confirmed has arrived.
    std::set<std::string> released;
    for (std::size_t i = 0; i < leases.size(); ++i) {
        Lease& l = leases[i];
        if (l.kiosk_id != kiosk_id || !l.done() || l.released() || l.used < l.reported_used) continue;
        if (auto it = activities.find(l.activity_id); it != activities.end())
            it->second.seats.held = std::max<std::int64_t>(0, it->second.seats.held - l.unused());
        l.released_at_ms = now_ms;
        dirty.insert(i);
        released.insert(l.activity_id);
    }
    for (const std::string& act : released) {
        auto it = activities.find(act);
        if (it == activities.end()) continue;
        const std::vector<std::string> moved = promote(it->second.seats, waitlist(act));
        for (const std::string& id : moved) out.promoted.emplace_back(id, act);
        if (!moved.empty()) out.taken_changed.push_back(act);
    }
    // 3. Renew the live leases: this exchange is a contact (never shortens an end).
    for (std::size_t i = 0; i < leases.size(); ++i) {
        Lease& l = leases[i];
        if (l.kiosk_id != kiosk_id || !l.live(now_ms)) continue;
        auto it = activities.find(l.activity_id);
        if (it == activities.end()) continue;   // the activity is gone: not renewed
        l.last_contact_ms = now_ms;
        l.ends_at_ms = std::max(l.ends_at_ms, lease_end(it->second.start_ms, now_ms, settings));
        dirty.insert(i);
    }
    // 4. Grants and top-ups (places that free up go to the line first).
    for (auto& [act, a] : activities) {
        if (a.target <= 0 || !takes_signups(a.seats) || a.seats.queue) continue;
        const std::int64_t end = lease_end(a.start_ms, now_ms, settings);
        if (end <= now_ms) continue;
        std::ptrdiff_t live = -1;
        for (std::size_t i = 0; i < leases.size(); ++i)
            if (leases[i].kiosk_id == kiosk_id && leases[i].activity_id == act && leases[i].live(now_ms))
                live = static_cast<std::ptrdiff_t>(i);
        const std::int64_t free = free_places(a.seats);
        if (live >= 0) {
            Lease& l = leases[static_cast<std::size_t>(live)];
            if (l.unused() >= a.target) continue;
            const std::int64_t add = std::min(a.target - l.unused(), free);
            if (add <= 0) continue;
            l.places += add;
            a.seats.held += add;
            dirty.insert(static_cast<std::size_t>(live));
        } else {
            const std::int64_t n = std::min(a.target, free);
            if (n <= 0) continue;
            Lease l;
            l.id = new_id();
            l.activity_id = act;
            l.kiosk_id = kiosk_id;
            l.places = n;
            l.ends_at_ms = end;
            l.granted_at_ms = l.last_contact_ms = now_ms;
            a.seats.held += n;
            leases.push_back(std::move(l));
            dirty.insert(leases.size() - 1);
        }
    }
    // 5. The answer: every live lease of this kiosk.
    for (const Lease& l : leases)
        if (l.kiosk_id == kiosk_id && l.live(now_ms))
            out.quotas.push_back(QuotaGrant{l.id, l.activity_id, l.places, (l.ends_at_ms - now_ms) / 1000});
    for (std::size_t i : dirty) out.write.push_back(leases[i]);
    return out;
}

}  // namespace kyodo::server::ledger
