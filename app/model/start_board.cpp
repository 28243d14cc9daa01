#include "app/model/start_board.h"

#include <cstdio>

namespace kyodo::app {

namespace {
// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}
void civil_from_days(long z, int& y, int& m, int& d) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
}
}  // namespace

std::string add_days(const std::string& ymd, int days) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(ymd.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return ymd;
    civil_from_days(days_from_civil(y, m, d) + days, y, m, d);
    char buf[40];   // room for any int, so -Wformat-truncation has nothing to say
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

void StartBoard::refresh(const KioskStore& store, const std::string& centre, const std::string& today_iso,
                         bool force) {
    std::int64_t version = -1;
    try {
        version = store.catalog_version();
    } catch (const std::exception&) {
    }
    if (!force && today == today_iso && centre_id == centre && version == catalog_version) return;
    centre_id = centre;
    today = today_iso;
    catalog_version = version;
    on_today.clear();
    this_week.clear();
    if (centre.empty()) return;
    SearchQuery q;
    q.centre_id = centre;
    q.date_from = today_iso;
    q.date_to = add_days(today_iso, 6);
    q.limit = 30;
    try {
        for (auto& a : store.search(q).items) {
            if (a.starts_at.substr(0, 10) <= today_iso) on_today.push_back(std::move(a));
            else this_week.push_back(std::move(a));
        }
    } catch (const std::exception&) {
        // A store error leaves the board empty; the tiles still work.
    }
}

}  // namespace kyodo::app
