// Booking a slot at the kiosk (issue 11 points 3 and 5; docs/lending.md): where each slot of a
// room, a piece of equipment or a consultation desk stands for the resident in front of the
// kiosk, a week of them at a time, and what the kiosk tells a booker who lost a slot.
//
// A slot is a catalog activity of kind Slot (core/slots.h); who may book it now is
// slots::window. On top of city hall's word (the catalog's `taken`, as of the last pull) the
// kiosk knows its own bookings in the outbox: a booking made here and not yet answered, or
// confirmed, holds the slot at this kiosk (仮予約) even offline; one answered `waitlisted` means
// another booking reached city hall first, so the slot is taken. Plain data, no ImGui.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/slots.h"
#include "core/store.h"

namespace kyodo::app {

// How a slot is shown. Each has its own symbol and words (booking.state.<code>), never a
// colour alone.
enum class SlotState {
    Free,         // anyone may book it now                     ○ 空き
    GroupsOnly,   // only registered groups, now (優先予約)        ◇ 団体優先
    NotYet,       // booking has not opened                     ・ 受付前
    Taken,        // booked (city hall's word, or lost here)     × 予約済み
    HeldHere,     // booked at this kiosk, not yet answered      △ 仮予約
    Blocked,      // staff closed it                             ー 利用不可
    Closed,       // past, or booking has closed                 ー 受付終了
};
const char* to_code(SlotState);   // "free" | "groups_only" | "not_yet" | "taken" | "held_here" | "blocked" | "closed"
const char* symbol(SlotState);    // ○ ◇ ・ × △ ー ー
// A resident may pick it on the calendar (Free, GroupsOnly: the group number is asked next).
inline bool pickable(SlotState s) { return s == SlotState::Free || s == SlotState::GroupsOnly; }

// The kiosk's own bookings by slot (activity id): where each stands, the latest sign-up for a
// slot winning. Cancelled and rejected ones hold nothing.
using HeldSlots = std::map<std::string, SignupPhase>;
HeldSlots held_slots(const std::vector<OutboxEntry>& signups);

SlotState slot_state(const Activity& slot, const std::string& now, const HeldSlots& held);

// The slots as a booker at this kiosk may see them: a slot held here (awaiting or confirmed)
// or lost here (waitlisted) counts as taken, so slots::next_free never offers it.
std::vector<Activity> as_seen_here(std::vector<Activity> slots, const HeldSlots& held);

// "Japan now" as slots::window reads it: "YYYY-MM-DDTHH:MM"; with the kiosk's today overridden
// (tests, screenshots: "YYYY-MM-DD") that day at 09:00.
std::string local_now(const std::string& today_override = "");

// "10:00–12:00" (or the start alone), from a slot's ISO date-times.
std::string time_span(const Activity& slot);

struct SlotCell {
    Activity slot;
    SlotState state = SlotState::Closed;
};

// Seven days from `first` of one resource's slots, each day's in start order.
struct SlotWeek {
    std::string first;                       // "YYYY-MM-DD"
    std::array<std::string, 7> days;
    std::array<std::vector<SlotCell>, 7> cells;
    int pickable = 0;                         // Free or GroupsOnly cells
    int count() const;
};
SlotWeek slot_week(const std::vector<Activity>& slots, const std::string& resource, const std::string& first,
                   const std::string& now, const HeldSlots& held);
// The first day to show for a resource: today, or the day of its first slot still to come
// when today's week has none (the projector's slots may start next month).
std::string first_week_day(const std::vector<Activity>& slots, const std::string& resource, const std::string& today);

// Registration numbers as typed on the number pad: "1", "0001", "g-0001", "G0001" → "G-0001";
// "" when it cannot be one (letters, too many digits).
std::string normalise_group(const std::string& typed);

enum class GroupCheck { Empty, BadFormat, Unknown, Ok };
const char* to_code(GroupCheck);   // "empty" | "bad_format" | "unknown_group" | "ok"
struct GroupLookup {
    GroupCheck check = GroupCheck::Empty;
    std::string number;                       // normalised, when BadFormat is not the answer
    std::optional<Organization> group;        // Ok: the directory's entry (its name is shown)
};
// Checks a typed number against the directory this kiosk holds (the catalog's approved groups).
GroupLookup look_up_group(const std::string& typed, const std::vector<Organization>& directory);

// A sign-up of this kiosk seen as a booking (the receipt look-up, staff mode): the slot it is
// for, where it stands, and — when another booking reached city hall first — the next free
// slot of the same resource this booker may book now.
struct BookingOutcome {
    bool is_booking = false;                  // its activity is a slot held here
    SignupPhase phase = SignupPhase::Awaiting;
    std::optional<Activity> slot;
    bool lost = false;                        // answered waitlisted: the slot went to another booking
    std::optional<Activity> next;             // lost: slots::next_free, seen from this kiosk
    std::string group;                        // the booking's registration number, if any
};
BookingOutcome booking_outcome(const OutboxEntry& signup, const std::vector<Activity>& slots, const std::string& now,
                               const HeldSlots& held);

// Staff mode's list: the bookings made at this kiosk (the newest `n` sign-ups that are bookings
// of slots it holds), each with its receipt number and outcome.
struct KioskBooking {
    std::string receipt;
    BookingOutcome outcome;
};
std::vector<KioskBooking> kiosk_bookings(const KioskStore& store, const std::string& now, std::size_t n);

}  // namespace kyodo::app
