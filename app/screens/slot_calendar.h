// The week calendar of one resource's slots (a room, a piece of equipment, a consultation
// desk), shared by the booking and the consultation screens (booking.cpp): ‹ previous week /
// next week ›, a legend, and a card per slot with its time, a symbol and a word for where it
// stands (○ 空き, ◇ 団体優先, × 予約済み, △ 仮予約, ー 利用不可, ・ 受付前 …) — never colour
// alone; blocked slots are also hatched. Seven columns on a wide window, one day under another
// on a narrow one. Only free (or groups-only) cards react to a tap.
#pragma once

#include <string>

#include "app/model/booking_calendar.h"
#include "app/ui/shell.h"

namespace kyodo::app::screens {

struct CalendarTap {
    const Activity* slot = nullptr;   // a pickable slot was tapped (points into the week)
    int week = 0;                     // -1 previous week, +1 next week
};

// Card ids: "slot:<activity id>"; the week buttons "week-prev" and "week-next".
CalendarTap slot_calendar(Shell& app, const SlotWeek& week, const std::string& picked_id, bool can_go_back, float w);
// "12/12（土）" / "Sat 12/12" for a day of the calendar.
std::string short_day(const Shell& app, const std::string& ymd);
// The state's symbol and words ("○ 空き").
std::string state_label(const Shell& app, SlotState s);

}  // namespace kyodo::app::screens
