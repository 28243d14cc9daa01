#include "app/model/booking_calendar.h"

#include <algorithm>
#include <cctype>

#include "app/model/start_board.h"   // add_days
#include "core/timeutil.h"

namespace kyodo::app {

const char* to_code(SlotState s) {
    switch (s) {
        case SlotState::Free: return "free";
        case SlotState::GroupsOnly: return "groups_only";
        case SlotState::NotYet: return "not_yet";
        case SlotState::Taken: return "taken";
        case SlotState::HeldHere: return "held_here";
        case SlotState::Blocked: return "blocked";
        case SlotState::Closed: return "closed";
    }
    return "closed";
}

const char* symbol(SlotState s) {
    switch (s) {
        case SlotState::Free: return "○";
        case SlotState::GroupsOnly: return "◇";
        case SlotState::NotYet: return "・";
        case SlotState::Taken: return "×";
        case SlotState::HeldHere: return "△";
        case SlotState::Blocked:
        case SlotState::Closed: return "ー";
    }
    return "ー";
}

namespace {

// Which of two phases of bookings for one slot says more about it at this kiosk: one still
// awaiting (or confirmed) holds the slot; one lost says another booking has it.
int weight(SignupPhase p) {
    switch (p) {
        case SignupPhase::Awaiting: return 3;
        case SignupPhase::Confirmed: return 2;
        case SignupPhase::Waitlisted: return 1;
        default: return 0;
    }
}

}  // namespace

HeldSlots held_slots(const std::vector<OutboxEntry>& signups) {
    HeldSlots out;
    for (const auto& e : signups) {
        if (e.record.kind != RecordKind::SignUp) continue;
        const SignupPhase p = signup_phase(e);
        if (weight(p) == 0) continue;
        const std::string id = e.record.payload.value("activity_id", std::string());
        if (id.empty()) continue;
        auto it = out.find(id);
        if (it == out.end() || weight(p) > weight(it->second)) out[id] = p;
    }
    return out;
}

SlotState slot_state(const Activity& slot, const std::string& now, const HeldSlots& held) {
    if (auto it = held.find(slot.id); it != held.end())
        return it->second == SignupPhase::Awaiting ? SlotState::HeldHere : SlotState::Taken;
    switch (slots::window(slot, now)) {
        case slots::Window::Open: return SlotState::Free;
        case slots::Window::GroupsOnly: return SlotState::GroupsOnly;
        case slots::Window::NotYet: return SlotState::NotYet;
        case slots::Window::Taken: return SlotState::Taken;
        case slots::Window::Blocked: return SlotState::Blocked;
        case slots::Window::Closed: return SlotState::Closed;
    }
    return SlotState::Closed;
}

std::vector<Activity> as_seen_here(std::vector<Activity> slots, const HeldSlots& held) {
    for (auto& a : slots)
        if (held.count(a.id)) a.taken = std::max(a.taken, a.capacity);
    return slots;
}

std::string local_now(const std::string& today_override) {
    if (!today_override.empty()) return today_override + "T09:00";
    return rfc3339_utc(now_millis() + 9 * 3600 * 1000LL).substr(0, 16);
}

std::string time_span(const Activity& slot) {
    auto hhmm = [](const std::string& iso) { return iso.size() >= 16 ? iso.substr(11, 5) : std::string(); };
    const std::string a = hhmm(slot.starts_at), b = hhmm(slot.ends_at);
    if (a.empty()) return "";
    return b.empty() ? a : a + "–" + b;
}

int SlotWeek::count() const {
    int n = 0;
    for (const auto& d : cells) n += static_cast<int>(d.size());
    return n;
}

namespace {

bool of_resource(const Activity& a, const std::string& resource) {
    auto i = slots::slot_info(a);
    return i && i->resource == resource;
}

}  // namespace

SlotWeek slot_week(const std::vector<Activity>& slots, const std::string& resource, const std::string& first,
                   const std::string& now, const HeldSlots& held) {
    SlotWeek w;
    w.first = first;
    for (int i = 0; i < 7; ++i) w.days[static_cast<std::size_t>(i)] = add_days(first, i);
    for (const auto& a : slots) {
        if (!of_resource(a, resource) || a.starts_at.size() < 10) continue;
        const std::string day = a.starts_at.substr(0, 10);
        for (std::size_t i = 0; i < 7; ++i)
            if (w.days[i] == day) {
                SlotCell c{a, slot_state(a, now, held)};
                if (pickable(c.state)) ++w.pickable;
                w.cells[i].push_back(std::move(c));
            }
    }
    for (auto& d : w.cells)
        std::stable_sort(d.begin(), d.end(), [](const SlotCell& x, const SlotCell& y) {
            return x.slot.starts_at != y.slot.starts_at ? x.slot.starts_at < y.slot.starts_at : x.slot.id < y.slot.id;
        });
    return w;
}

std::string first_week_day(const std::vector<Activity>& slots, const std::string& resource, const std::string& today) {
    const std::string week_end = add_days(today, 6);
    std::string first_ahead;
    for (const auto& a : slots) {
        if (!of_resource(a, resource) || a.starts_at.size() < 10) continue;
        const std::string day = a.starts_at.substr(0, 10);
        if (day < today) continue;
        if (day <= week_end) return today;   // something this week: start today
        if (first_ahead.empty() || day < first_ahead) first_ahead = day;
    }
    return first_ahead.empty() ? today : first_ahead;
}

std::string normalise_group(const std::string& typed) {
    std::string s;
    for (char c : typed)
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    if (!s.empty() && (s[0] == 'G' || s[0] == 'g')) {
        s.erase(0, 1);
        if (!s.empty() && (s[0] == '-' || s[0] == '_')) s.erase(0, 1);
    }
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return "";
    if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
    return "G-" + s;
}

const char* to_code(GroupCheck c) {
    switch (c) {
        case GroupCheck::Empty: return "empty";
        case GroupCheck::BadFormat: return "bad_format";
        case GroupCheck::Unknown: return "unknown_group";
        case GroupCheck::Ok: return "ok";
    }
    return "empty";
}

GroupLookup look_up_group(const std::string& typed, const std::vector<Organization>& directory) {
    GroupLookup r;
    bool blank = true;
    for (char c : typed) blank = blank && std::isspace(static_cast<unsigned char>(c));
    if (blank) return r;
    r.number = normalise_group(typed);
    if (r.number.empty()) {
        r.check = GroupCheck::BadFormat;
        return r;
    }
    for (const auto& o : directory)
        if (o.registration == r.number) {
            r.check = GroupCheck::Ok;
            r.group = o;
            return r;
        }
    r.check = GroupCheck::Unknown;
    return r;
}

BookingOutcome booking_outcome(const OutboxEntry& signup, const std::vector<Activity>& slots, const std::string& now,
                               const HeldSlots& held) {
    BookingOutcome o;
    o.phase = signup_phase(signup);
    const std::string id = signup.record.payload.value("activity_id", std::string());
    o.group = signup.record.payload.value("group", std::string());
    for (const auto& a : slots)
        if (a.id == id && slots::slot_info(a)) o.slot = a;
    if (!o.slot) return o;
    o.is_booking = true;
    o.lost = o.phase == SignupPhase::Waitlisted;
    if (o.lost) {
        // Offered as a new booking by the same booker: a group's number lets it book in the
        // groups-only window, as it could when it booked.
        const std::vector<Activity> seen = as_seen_here(slots, held);
        o.next = slots::next_free(seen, *o.slot, now, !o.group.empty());
    }
    return o;
}

std::vector<KioskBooking> kiosk_bookings(const KioskStore& store, const std::string& now, std::size_t n) {
    std::vector<KioskBooking> out;
    const std::vector<Activity> slots = store.bookables(ActivityKind::Slot, "");
    const std::vector<OutboxEntry> signups = store.signups(2000);
    const HeldSlots held = held_slots(signups);
    for (const auto& e : signups) {
        if (out.size() >= n) break;
        BookingOutcome o = booking_outcome(e, slots, now, held);
        if (o.is_booking) out.push_back({receipt_number(e.record.id), std::move(o)});
    }
    return out;
}

}  // namespace kyodo::app
