#include "app/model/dates.h"

#include <cstdio>

#include "app/model/start_board.h"

namespace kyodo::app {

namespace {
bool parse(const std::string& ymd, int& y, int& m, int& d) {
    return std::sscanf(ymd.c_str(), "%d-%d-%d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}
std::string ymd_of(int y, int m, int d) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}
}  // namespace

int weekday(const std::string& ymd) {
    int y = 0, m = 0, d = 0;
    if (!parse(ymd, y, m, d)) return 0;
    // Sakamoto's method.
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

std::string month_end(const std::string& ymd) {
    int y = 0, m = 0, d = 0;
    if (!parse(ymd, y, m, d)) return ymd;
    const int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    return add_days(ymd_of(ny, nm, 1), -1);
}

DaySpan span_of(DateRange r, const std::string& today) {
    switch (r) {
        case DateRange::Today: return {today, today};
        case DateRange::ThisWeek: {
            const int wd = weekday(today);   // Monday-start week: Sunday closes it
            return {today, add_days(today, wd == 0 ? 0 : 7 - wd)};
        }
        case DateRange::ThisWeekend: {
            const int wd = weekday(today);
            if (wd == 0) return {today, today};
            const std::string sat = add_days(today, 6 - wd);
            return {sat, add_days(sat, 1)};
        }
        case DateRange::ThisMonth: return {today, month_end(today)};
        case DateRange::Any:
        case DateRange::Picked: break;
    }
    return {};
}

std::string last_day(const Activity& a) {
    if (a.starts_at.empty()) return "";
    const std::string s = a.starts_at.substr(0, 10), e = a.ends_at.substr(0, 10);
    return e > s ? e : s;
}

bool has_ended(const Activity& a, const std::string& today) {
    return !today.empty() && !a.starts_at.empty() && last_day(a) < today.substr(0, 10);
}

void CalendarPick::reset(std::string today) {
    today_ = std::move(today);
    int y = 0, m = 0, d = 0;
    if (parse(today_, y, m, d)) {
        year_ = y;
        month_ = m;
    }
    span_ = {};
    picking_ = false;
}

std::vector<std::string> CalendarPick::grid() const {
    std::vector<std::string> cells(42);
    const std::string first = ymd_of(year_, month_, 1);
    const std::string last = month_end(first);
    int pos = weekday(first);
    for (std::string d = first; d <= last && pos < 42; d = add_days(d, 1)) cells[static_cast<std::size_t>(pos++)] = d;
    return cells;
}

void CalendarPick::next_month() {
    if (++month_ > 12) {
        month_ = 1;
        ++year_;
    }
}

bool CalendarPick::can_go_back() const {
    int y = 0, m = 0, d = 0;
    if (!parse(today_, y, m, d)) return true;
    return year_ * 12 + month_ > y * 12 + m;
}

void CalendarPick::prev_month() {
    if (!can_go_back()) return;
    if (--month_ < 1) {
        month_ = 12;
        --year_;
    }
}

void CalendarPick::tap(const std::string& ymd) {
    if (ymd.empty()) return;
    if (picking_) {
        span_ = ymd < span_.from ? DaySpan{ymd, span_.from} : DaySpan{span_.from, ymd};
        picking_ = false;
    } else {
        span_ = {ymd, ymd};
        picking_ = true;
    }
}

void CalendarPick::clear() {
    span_ = {};
    picking_ = false;
}

bool CalendarPick::in_span(const std::string& ymd) const {
    return !ymd.empty() && !span_.from.empty() && ymd >= span_.from && ymd <= span_.to;
}

}  // namespace kyodo::app
