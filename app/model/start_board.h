// What the start screen shows: what is on at this kiosk's centre today and in the coming
// week (from the store, by the centre and JST dates).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/store.h"

namespace kyodo::app {

struct StartBoard {
    std::string centre_id;
    std::string today;               // "YYYY-MM-DD" the board was made for
    std::int64_t catalog_version = -1;  // of the catalog it was made from
    std::vector<Activity> on_today;  // at the centre, spanning today
    std::vector<Activity> this_week; // starting tomorrow .. today + 6 days

    // Rebuilds when the day, the centre or the catalog changed (or `force`): a kiosk
    // enrolled with an empty catalog shows the first one as soon as it arrives. Cheap enough
    // to call per frame: one small query until something changed.
    void refresh(const KioskStore& store, const std::string& centre, const std::string& today_iso,
                 bool force = false);
    void invalidate() { today.clear(); }
};

// "YYYY-MM-DD" plus `days` (calendar arithmetic, no time zone involved).
std::string add_days(const std::string& ymd, int days);

}  // namespace kyodo::app
