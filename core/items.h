// Things city hall gives away (不用物品の提供, issue 11 point 4; docs/items.md). Seed 001 asks
// for 「使用しなくなった物品の市民活動団体への提供」: city hall lists items it no longer uses (an
// activity of kind "item" in the catalog: `capacity` = units offered, `taken` = units granted
// so far, `signup_closes` = the deadline for requests, `place` = where to collect,
// `extra.item = {"condition": "…", "category": "…"}`), a registered group asks for some at the
// kiosk (a record of kind "item_request"), and staff decide each request at city hall.
// The kiosk and the server read items through these functions. No GUI, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/types.h"

namespace kyodo::items {

struct ItemInfo {
    std::string condition;   // 状態: "使用感あり、動作良好" …
    std::string category;    // 種類: "机・椅子", "事務機器" …
};
// extra.item of an item (empty strings when absent or not text).
ItemInfo item_info(const Activity& a);

// Units still on offer: capacity − taken, never below 0.
int remaining(const Activity& a);

// The moment from which requests are refused: signup_closes read as Japan time, a date alone
// counting to the end of that day. nullopt = no deadline (or not a date).
std::optional<std::int64_t> deadline_ms(const Activity& a);

enum class Availability {
    Open,     // requests are taken
    Closed,   // the deadline has passed
    Gone,     // every unit has been granted
};
Availability availability(const Activity& a, std::int64_t now_ms);
// "open" | "closed" | "gone": the server's rejection codes item_closed / item_gone use these.
const char* to_code(Availability v);

}  // namespace kyodo::items
