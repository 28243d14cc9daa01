// Bookable slots of rooms, equipment and consultation desks (issue 11 points 3 and 5;
// docs/lending.md). Seed 001 asks for 「活動スペースの貸与」, 「プロジェクター、ポータブル音響
// 機器など機器・物品の…貸出」 and 「利用登録した団体の施設の優先予約」; seeds 001/004 for a
// 協働相談窓口. A slot is an ordinary catalog activity of kind "slot" and capacity 1, so a
// booking is an ordinary sign-up and the one sign-up ledger decides who holds it; this file
// holds the rules both the kiosk and the server read off a slot: what it is (extra.slot), who
// may book it when (the 優先予約 window), and which slot to offer a booker who lost one.
//
// Times are ISO local (Japan) dates or date-times, as everywhere in the catalog. A bound given
// as a date only ("2027-01-05") means: signup_opens and priority_opens from the start of that
// day, signup_closes through the end of that day.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/talent.h"
#include "core/types.h"

namespace kyodo::slots {

enum class ResourceType { Room, Equipment, Consultation };
const char* to_code(ResourceType);                               // "room" | "equipment" | "consultation"
std::optional<ResourceType> resource_type_from_code(std::string_view);

// extra.slot = {"resource": "ohdono-projector", "resource_name": "プロジェクター",
//               "type": "room" | "equipment" | "consultation",
//               "priority_opens": "2027-01-02T09:00" (registered groups only from then until
//                                 signup_opens; "" = no priority window),
//               "blocked": false, "blocked_reason": ""}
struct SlotInfo {
    std::string resource, resource_name;
    ResourceType type = ResourceType::Room;
    std::string priority_opens;
    bool blocked = false;
    std::string blocked_reason;
};
// nullopt unless `a` is of kind Slot with an extra.slot of that shape (resource non-empty,
// type one of the three codes, the other keys absent or of their type).
std::optional<SlotInfo> slot_info(const Activity& a);

// One room, piece of equipment or desk: what the slots of one `resource` id share.
struct Resource {
    std::string id, name, centre_id, place;
    ResourceType type = ResourceType::Room;
};
// The distinct resources of `slots` (non-slots skipped), in the order first seen.
std::vector<Resource> resources(const std::vector<Activity>& slots);

// Who may book this slot at `now` (ISO local date-time, e.g. local_jst(now_millis())):
// Blocked   staff blocked it (nobody);
// Closed    past signup_closes, or the slot has started, or it takes no sign-ups (or `now`
//           is not a date-time);
// Taken     every place is taken (as far as `taken` knows: the server's ledger has the word);
// NotYet    before signup_opens and before priority_opens (or there is no priority window);
// GroupsOnly from priority_opens until signup_opens: registered groups only (優先予約);
// Open      anyone (signup_opens reached, or none set).
enum class Window { NotYet, GroupsOnly, Open, Closed, Blocked, Taken };
const char* to_code(Window);   // "not_yet" | "groups_only" | "open" | "closed" | "blocked" | "taken"
Window window(const Activity& slot, const std::string& now);
// Open, or GroupsOnly for a booking that names a registered group.
bool may_book(const Activity& slot, const std::string& now, bool registered_group);

// The first slot of the same resource (and centre) starting after `lost` that this booker
// may book now (may_book), by start then id; nullopt when there is none.
std::optional<Activity> next_free(const std::vector<Activity>& slots, const Activity& lost,
                                  const std::string& now, bool registered_group);

// What a consultation is about (協働相談窓口, booking field "topic"), drawn from seeds 001/004:
// 協働事業の提案, 団体の立ち上げ, 助成金, ボランティア, 施設利用, その他. Labels are the shared
// vocabulary's "consult.topic.<code>"; `ja` here is the Japanese one for the dashboard and CSV.
const std::vector<talent::Term>& consult_topics();
bool is_consult_topic(std::string_view code);

}  // namespace kyodo::slots
