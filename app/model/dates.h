// Browsing by date on the kiosk: the quick ranges (今日 / 今週 / 今週末 / 今月), the touch
// calendar's month grid and its day-or-range pick, and whether an activity has ended. All of
// it is judged by the kiosk's own today ("YYYY-MM-DD", KioskApp::today(), overridable in
// tests), never by the device clock directly.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace kyodo::app {

// 0 = Sunday … 6 = Saturday.
int weekday(const std::string& ymd);
// The last day of ymd's month ("2026-12-31").
std::string month_end(const std::string& ymd);

enum class DateRange { Any, Today, ThisWeek, ThisWeekend, ThisMonth, Picked };

struct DaySpan {
    std::string from, to;   // inclusive "YYYY-MM-DD"; both empty = any day
    bool operator==(const DaySpan&) const = default;
};

// The days a quick range covers, from today on (days already past hold only what has
// ended): 今日 today; 今週 today to Sunday; 今週末 the coming Saturday and Sunday (only Sunday
// on a Sunday); 今月 today to the month's last day. Any and Picked give an empty span.
DaySpan span_of(DateRange r, const std::string& today);

// The last day an activity runs (the later of its start and end days), "" when undated.
std::string last_day(const Activity& a);
// Ended by `today`: dated, and its last day is before today (store's SearchQuery::today).
bool has_ended(const Activity& a, const std::string& today);
// Running today or later, for a listing's badge: not ended.
inline bool is_upcoming(const Activity& a, const std::string& today) { return !has_ended(a, today); }

// The touch calendar: one month at a time, weeks from Sunday (the way Japanese calendars
// are printed). A first tap picks a day; a second tap makes a range with it (either order);
// a third tap starts again.
class CalendarPick {
public:
    explicit CalendarPick(std::string today = "") { reset(std::move(today)); }
    void reset(std::string today);
    const std::string& today() const { return today_; }
    int year() const { return year_; }
    int month() const { return month_; }
    // The shown month's grid: 6 weeks × 7 days, "" for cells outside the month.
    std::vector<std::string> grid() const;
    void next_month();
    void prev_month();       // never before today's month (nothing to find there but the ended)
    bool can_go_back() const;
    void tap(const std::string& ymd);
    void clear();
    bool picking() const { return picking_; }      // one day tapped, waiting for a possible second
    const DaySpan& span() const { return span_; }  // empty until the first tap
    bool in_span(const std::string& ymd) const;

private:
    std::string today_;
    int year_ = 2026, month_ = 1;
    DaySpan span_;
    bool picking_ = false;
};

}  // namespace kyodo::app
