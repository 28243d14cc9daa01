// The slots and bookings as the staff pages read them (server/web/bookings_page.cpp,
// consultations_page.cpp, slots_publish.cpp, reports.cpp): a slot is a catalog activity of kind
// "slot" with extra.slot (docs/lending.md); a booking is a sign-up for one, read through the
// dashboard's read connection (AdminStorage::records), with the staff's latest live mark
// (server/bookings.h) and the group it names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/bookings.h"
#include "server/web/app.h"

namespace kyodo::server::web {

struct SlotView {
    std::string id, title, resource, resource_name, type, centre_id, place;
    std::string starts_at, ends_at, date, from, to;   // date "2027-01-09", from / to "10:00"
    std::string priority_opens, signup_opens, signup_closes;
    bool blocked = false;
    std::string blocked_reason;
    int taken = 0;
};
// A catalog activity of kind "slot" with an extra.slot naming a resource; else nullopt.
std::optional<SlotView> slot_view(const Json& a);
// Every slot of the catalog, by start then id.
std::vector<SlotView> catalog_slots(const Json& cat);

struct BookingView {
    AdminRecord r;
    std::string slot_id;
    std::string status;                // confirmed | waitlisted | cancelled
    std::string group, group_name;     // "G-0001", the directory's name ("" when none)
    std::string purpose, topic, topic_text;
    std::string name, kana, phone, email;
    BookingMark mark;                  // the latest live mark (id 0 = none)
    std::vector<BookingMark> history;  // every mark, live and undone
};
// The bookings (sign-ups, every status) of `slots`, in arrival order per slot. Only slots that
// have a sign-up are read (the database's tallies say which), one indexed query each.
std::vector<BookingView> bookings_of(App& app, const Json& cat, const std::vector<SlotView>& slots);

// Labels in the reader's language from the shared vocabulary: "slot.type.room" …,
// "consult.topic.proposal" …; an unknown code as it is.
std::string resource_type_label(const std::string& type);
std::string topic_label(const std::string& topic);
std::string mark_label(const std::string& mark);      // "" = none
// The approved group's name in the catalog's directory ("" when not there).
std::string group_name(const Json& cat, const std::string& number);

// The catalog's centres and organizations only (centre_name, group_name), not its listings.
Json centres_and_groups(App& app);
// One page of the consultation bookings matching `f` (server/bookings.h: filtered, ordered by
// slot time and paged in the database; `limit` from `offset`), with their slots and marks
// (consultations_page.cpp: the list and its CSV). `cat` names the groups (centres_and_groups).
std::vector<std::pair<SlotView, BookingView>> consultations(App& app, const Json& cat, const ConsultationFilter& f, std::size_t limit,
                                                            std::size_t offset);
std::string consult_status_label(const BookingView& b);

// Staff roles that may read residents' names on the booking pages: those that may read
// rosters (inbox.cpp's /admin/roster: viewers and up).
inline bool may_see_names(const Ctx& c) { return c.role >= Role::Viewer; }

}  // namespace kyodo::server::web
