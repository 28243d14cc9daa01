#include "sync/backoff.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace kyodo::sync {

Millis backoff_window(int attempt, Millis base, Millis cap) {
    if (attempt < 0) attempt = 0;
    if (base.count() <= 0 || cap.count() <= 0) return Millis{0};
    // Double until the cap; stop early so the shift cannot overflow.
    std::int64_t w = base.count();
    for (int i = 0; i < attempt && w < cap.count(); ++i) w *= 2;
    return Millis{std::min<std::int64_t>(w, cap.count())};
}

Millis next_delay(int attempt, Millis base, Millis cap, std::mt19937_64& rng) {
    std::int64_t hi = backoff_window(attempt, base, cap).count();
    if (hi <= 0) return Millis{0};
    std::uniform_int_distribution<std::int64_t> dist(0, hi);
    return Millis{dist(rng)};
}

namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
        return std::nullopt;
    static constexpr std::array<std::string_view, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto dd = s.substr(5, 2), yyyy = s.substr(12, 4), hh = s.substr(17, 2), mi = s.substr(20, 2),
         ss = s.substr(23, 2);
    if (!all_digits(dd) || !all_digits(yyyy) || !all_digits(hh) || !all_digits(mi) || !all_digits(ss))
        return std::nullopt;
    unsigned mon = 0;
    for (unsigned i = 0; i < 12; ++i)
        if (s.substr(8, 3) == months[i]) mon = i + 1;
    if (mon == 0) return std::nullopt;
    int d = std::stoi(std::string(dd)), h = std::stoi(std::string(hh)), m = std::stoi(std::string(mi)),
        sec = std::stoi(std::string(ss));
    if (d < 1 || d > 31 || h > 23 || m > 59 || sec > 60) return std::nullopt;
    std::int64_t days = days_from_civil(std::stoi(std::string(yyyy)), mon, static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + m) * 60 * 1000LL + sec * 1000LL;
}

}  // namespace

std::optional<std::int64_t> parse_retry_after(std::string_view v, std::int64_t now_ms) {
    constexpr std::int64_t kDay = 86'400;
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    if (all_digits(v)) {
        if (v.size() > 9) return kDay;
        return std::min<std::int64_t>(std::stoll(std::string(v)), kDay);
    }
    auto at = parse_imf_fixdate(v);
    if (!at) return std::nullopt;
    std::int64_t diff_ms = *at - now_ms;
    if (diff_ms <= 0) return 0;
    return std::min<std::int64_t>((diff_ms + 999) / 1000, kDay);
}

}  // namespace kyodo::sync
