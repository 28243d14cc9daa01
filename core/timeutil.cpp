// Calendar arithmetic done by hand (Howard Hinnant's days_from_civil) rather than with
// timegm/localtime: those depend on the process's TZ and locale, and a kiosk's TZ setting
// is not something we control. Japan has no DST, so JST is always UTC+9.
#include "core/timeutil.h"

#include <chrono>
#include <cstdio>

namespace kyodo {
namespace {

constexpr std::int64_t kJstOffsetMs = 9LL * 3600 * 1000;

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil { std::int64_t y; unsigned m, d; };

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at s[pos].
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

// Local wall-clock fields, as parsed from ISO text.
struct Fields {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
    bool has_time = false;
    bool has_offset = false;
    int offset_min = 0;   // east of UTC
};

// Parses "YYYY-MM-DD" [("T"|"t"|" ") "HH:MM" [":SS" ["." fraction]]] [("Z"|±hh:mm)].
// `need_seconds_and_zone` enforces the RFC 3339 shape.
std::optional<Fields> parse_iso(std::string_view s, bool need_seconds_and_zone) {
    Fields f;
    if (!digits(s, 0, 4, f.y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, f.mo) ||
        s[7] != '-' || !digits(s, 8, 2, f.d))
        return std::nullopt;
    if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > static_cast<int>(days_in_month(f.y, f.mo)))
        return std::nullopt;
    std::size_t p = 10;
    if (p == s.size()) {
        if (need_seconds_and_zone) return std::nullopt;
        return f;
    }
    if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
    ++p;
    if (!digits(s, p, 2, f.h) || p + 2 >= s.size() || s[p + 2] != ':' ||
        !digits(s, p + 3, 2, f.mi))
        return std::nullopt;
    f.has_time = true;
    p += 5;
    if (p < s.size() && s[p] == ':') {
        if (!digits(s, p + 1, 2, f.s)) return std::nullopt;
        p += 3;
        if (p < s.size() && s[p] == '.') {
            ++p;
            const std::size_t start = p;
            int scale = 100;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
                f.ms += (s[p] - '0') * scale;
                scale /= 10;
                ++p;
            }
            if (p == start) return std::nullopt;
        }
    } else if (need_seconds_and_zone) {
        return std::nullopt;
    }
    // 60 is allowed for a leap second (RFC 3339 §5.7); it counts as the next second.
    if (f.h > 23 || f.mi > 59 || f.s > 60) return std::nullopt;
    if (p < s.size()) {
        if (s[p] == 'Z' || s[p] == 'z') {
            f.has_offset = true;
            ++p;
        } else if (s[p] == '+' || s[p] == '-') {
            int oh, om;
            if (!digits(s, p + 1, 2, oh) || p + 3 >= s.size() || s[p + 3] != ':' ||
                !digits(s, p + 4, 2, om) || oh > 23 || om > 59)
                return std::nullopt;
            f.has_offset = true;
            f.offset_min = (s[p] == '-' ? -1 : 1) * (oh * 60 + om);
            p += 6;
        }
    }
    if (p != s.size()) return std::nullopt;
    if (need_seconds_and_zone && !f.has_offset) return std::nullopt;
    return f;
}

std::int64_t wall_ms(const Fields& f) {
    const std::int64_t days = days_from_civil(f.y, f.mo, f.d);
    return ((days * 24 + f.h) * 60 + f.mi) * 60000LL + f.s * 1000LL + f.ms;
}

// The date (and time, when given) in Japan, from ISO text that is local JST, or that
// carries a zone (then converted to JST).
std::optional<Fields> local_fields(std::string_view iso) {
    auto f = parse_iso(iso, false);
    if (!f) return std::nullopt;
    if (f->has_offset) {
        const std::int64_t jst = wall_ms(*f) - f->offset_min * 60000LL + kJstOffsetMs;
        const std::int64_t days = floor_div(jst, 86400000);
        const std::int64_t rem = jst - days * 86400000;
        const Civil c = civil_from_days(days);
        f->y = static_cast<int>(c.y);
        f->mo = static_cast<int>(c.m);
        f->d = static_cast<int>(c.d);
        f->h = static_cast<int>(rem / 3600000);
        f->mi = static_cast<int>(rem / 60000 % 60);
    }
    return f;
}

int weekday(const Fields& f) {   // 0 = Sunday
    const std::int64_t days = days_from_civil(f.y, f.mo, f.d);
    const int w = static_cast<int>((days + 4) % 7);   // 1970-01-01 was a Thursday
    return w < 0 ? w + 7 : w;
}

}  // namespace

std::int64_t now_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string rfc3339_utc(std::int64_t unix_ms) {
    const std::int64_t secs = floor_div(unix_ms, 1000);
    const std::int64_t days = floor_div(secs, 86400);
    const std::int64_t rem = secs - days * 86400;
    const Civil c = civil_from_days(days);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(c.y), c.m, c.d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    return buf;
}

std::string rfc3339_now() { return rfc3339_utc(now_millis()); }

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
    // RFC 3339 uses 'T' (or 't'); a space is only a readability note, not the format.
    if (s.size() > 10 && s[10] == ' ') return std::nullopt;
    const auto f = parse_iso(s, true);
    if (!f) return std::nullopt;
    return wall_ms(*f) - f->offset_min * 60000LL;
}

std::optional<std::int64_t> parse_local_jst(std::string_view s) {
    const auto f = parse_iso(s, false);
    if (!f || f->has_offset) return std::nullopt;
    return wall_ms(*f) - kJstOffsetMs;
}

std::string local_jst(std::int64_t unix_ms) {
    const std::string u = rfc3339_utc(unix_ms + kJstOffsetMs);
    return u.substr(0, u.size() - 1);   // drop the "Z": this is wall time in Japan
}

std::string format_date_ja(std::string_view iso) {
    const auto f = local_fields(iso);
    if (!f) return std::string(iso);   // show what we were given rather than nothing
    struct Era { int y, m, d; const char* name; };
    // Start dates of the modern eras; 令和 began on 2019-05-01, so 2019-04-30 is 平成31年.
    static constexpr Era kEras[] = {{2019, 5, 1, "令和"},
                                    {1989, 1, 8, "平成"},
                                    {1926, 12, 25, "昭和"},
                                    {1912, 7, 30, "大正"},
                                    {1873, 1, 1, "明治"}};
    std::string out;
    const int key = f->y * 10000 + f->mo * 100 + f->d;
    bool found = false;
    for (const Era& e : kEras) {
        if (key >= e.y * 10000 + e.m * 100 + e.d) {
            const int n = f->y - e.y + 1;
            out = std::string(e.name) + (n == 1 ? std::string("元") : std::to_string(n)) + "年";
            found = true;
            break;
        }
    }
    if (!found) out = std::to_string(f->y) + "年";   // before the solar calendar: plain year
    static constexpr const char* kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
    out += std::to_string(f->mo) + "月" + std::to_string(f->d) + "日(" + kWeekdays[weekday(*f)] + ")";
    if (f->has_time) {
        char buf[16];
        std::snprintf(buf, sizeof buf, " %d:%02d", f->h, f->mi);
        out += buf;
    }
    return out;
}

std::string format_date_en(std::string_view iso) {
    const auto f = local_fields(iso);
    if (!f) return std::string(iso);
    static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %d %s %d", kWeekdays[weekday(*f)], f->d, kMonths[f->mo - 1],
                  f->y);
    std::string out = buf;
    if (f->has_time) {
        std::snprintf(buf, sizeof buf, " %d:%02d", f->h, f->mi);
        out += buf;
    }
    return out;
}

}  // namespace kyodo
