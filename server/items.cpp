#include "server/items.h"

#include <map>

#include "core/codec.h"
#include "core/items.h"

namespace kyodo::server {

namespace {

std::string centre_of(const Json& catalog, const std::string& item_id) {
    auto acts = catalog.find("activities");
    if (acts == catalog.end() || !acts->is_array()) return "";
    for (const Json& a : *acts)
        if (a.value("id", "") == item_id) return a.value("centre_id", "");
    return "";
}

}  // namespace

bool item_request_matches(const ItemRequestRow& r, const ItemQuery& q, const std::string& item_centre) {
    if (!q.state.empty() && r.state != q.state) return false;
    if (!q.item.empty() && r.payload.value("item_id", "") != q.item) return false;
    if (!q.centre.empty() && r.centre_id != q.centre && item_centre != q.centre) return false;
    return true;
}

std::vector<ItemRequestRow> search_item_requests(ItemStorage& st, const ItemQuery& q, const Json& catalog) {
    std::vector<ItemRequestRow> out;
    for (auto& r : st.requests())
        if (item_request_matches(r, q, q.centre.empty() ? "" : centre_of(catalog, r.payload.value("item_id", ""))))
            out.push_back(std::move(r));
    return out;
}

void check_item_requests(Storage& st, std::vector<PreparedRecord>& batch, std::int64_t now_ms) {
    std::vector<std::string> ids;
    for (const PreparedRecord& p : batch)
        if (!p.rejected() && p.record.kind == RecordKind::ItemRequest) ids.push_back(p.record.payload.value("item_id", ""));
    if (ids.empty()) return;
    std::map<std::string, Activity> found;
    for (const Json& j : st.activities_by_id(ids)) {
        if (j.value("kind", "") != to_code(ActivityKind::Item)) continue;
        try {
            Activity a = activity_from_json(j);
            a.taken = j.value("taken", 0);
            found.emplace(a.id, std::move(a));
        } catch (const std::exception&) {
            // Not readable as an activity: not an item either (unknown_item below).
        }
    }
    for (PreparedRecord& p : batch) {
        if (p.rejected() || p.record.kind != RecordKind::ItemRequest) continue;
        // A request already stored is a replay (the kiosk never heard the answer): storage
        // answers it duplicate or conflict, even when the item has gone or closed since.
        if (st.record(p.record.id)) continue;
        const std::string id = p.record.payload.value("item_id", "");
        const auto it = found.find(id);
        if (it == found.end()) {
            p.reject_code = "unknown_item";
            p.reject_message = "item_id: " + id + " is not an item city hall gives away";
            continue;
        }
        const Activity& item = it->second;
        const items::Availability a = items::availability(item, now_ms);
        if (a == items::Availability::Closed) {
            p.reject_code = "item_closed";
            p.reject_message = "item_id: requests for " + item.title + " closed on " + item.signup_closes;
        } else if (a == items::Availability::Gone) {
            p.reject_code = "item_gone";
            p.reject_message = "item_id: " + item.title + " has all been given away";
        }
    }
}

}  // namespace kyodo::server
