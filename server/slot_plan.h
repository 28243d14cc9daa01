// Publishing a resource's time slots from one description (issue 11 point 3, docs/lending.md
// "Staff side"): a room, a piece of equipment or a consultation desk of a centre, a date range,
// the weekdays and the times of day. Each (day, time) becomes one catalog activity of kind
// "slot" (capacity 1, extra.slot as docs/lending.md says), with the 優先予約 window
// (server/bookings.h) turned into extra.slot.priority_opens and signup_opens.
//
// Ids are made from the resource, the day and the start time ("slot-ohdono-projector-20270109-1000"),
// so publishing the same range again updates those slots instead of adding copies; the
// dashboard keeps what staff or residents changed since (taken, blocked).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "server/bookings.h"

namespace kyodo::server {

inline constexpr int kMaxSlotsAtOnce = 500;
inline constexpr int kMaxPlanDays = 366;

struct SlotPlan {
    std::string centre_id;                 // "" = city hall
    std::string resource, resource_name;   // "ohdono-projector", "プロジェクター"
    std::string type;                      // room | equipment | consultation
    std::string place;
    std::string from, to;                  // ISO dates, inclusive
    std::vector<int> weekdays;             // 0 = Monday … 6 = Sunday
    std::vector<std::pair<std::string, std::string>> times;   // {"10:00", "12:00"}, …
    std::string department;                // 担当課 written on each slot
};

struct PlanResult {
    std::vector<Json> slots;                       // catalog activities (JSON), in day then time order
    std::map<std::string, std::string> errors;     // field → code (bookings.err.<code> in the tables)
    bool ok() const { return errors.empty(); }
};

// Checks the plan and makes its slots. Error codes by field: resource (resource_id),
// resource_name (required), type (type), place (too_long), from / to (date, to_before_from,
// range_too_long), weekdays (weekdays), times (time_format, time_order, time_overlap, times),
// count (none, too_many: more than kMaxSlotsAtOnce).
PlanResult plan_slots(const SlotPlan& p, const BookingWindow& w);

// "HH:MM-HH:MM" lines (also "HH:MM〜HH:MM", "HH:MM–HH:MM") into pairs; false on a line that is not one.
bool parse_times(const std::string& text, std::vector<std::pair<std::string, std::string>>& out);

std::string slot_id(const std::string& resource, const std::string& date, const std::string& start);
bool is_resource_type(const std::string& t);
// Calendar helpers on ISO dates ("2027-01-09"): valid day, day + n, weekday (0 = Monday).
bool valid_date(const std::string& iso);
std::string add_days(const std::string& iso, int n);
int weekday(const std::string& iso);
// The Monday of the week holding `iso`.
std::string week_start(const std::string& iso);

}  // namespace kyodo::server
