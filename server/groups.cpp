#include "server/groups.h"

#include <algorithm>

#include "core/groups.h"

namespace kyodo::server {

bool group_matches(const GroupApplication& g, const GroupQuery& q) {
    if (!q.state.empty() && g.state != q.state) return false;
    if (!q.kind.empty() && g.payload.value("kind", "") != q.kind) return false;
    if (!q.field.empty()) {
        auto it = g.payload.find("fields");
        if (it == g.payload.end() || !it->is_array() ||
            std::none_of(it->begin(), it->end(), [&](const Json& x) { return x.is_string() && x.get<std::string>() == q.field; }))
            return false;
    }
    if (!q.centre.empty() && g.payload.value("centre_id", "") != q.centre && g.centre_id != q.centre) return false;
    return true;
}

std::vector<GroupApplication> search_groups(GroupStorage& st, const GroupQuery& q) {
    std::vector<GroupApplication> out;
    for (auto& g : st.applications())
        if (group_matches(g, q)) out.push_back(std::move(g));
    return out;
}

// A booking that names a group, or an item request (which always does: server/items.h).
static bool names_group(const PreparedRecord& p) {
    return !p.rejected() && ((p.record.kind == RecordKind::SignUp && p.record.payload.contains("group")) ||
                             p.record.kind == RecordKind::ItemRequest);
}

void check_group_bookings(Storage& st, std::vector<PreparedRecord>& batch) {
    bool any = false;
    for (const PreparedRecord& p : batch) any = any || names_group(p);
    if (!any) return;
    std::vector<std::string> approved;
    for (const GroupApplication& g : st.groups().applications())
        if (g.state == "approved") approved.push_back(g.number);
    for (PreparedRecord& p : batch) {
        if (!names_group(p)) continue;
        const std::string number = p.record.payload.value("group", "");
        if (std::find(approved.begin(), approved.end(), number) == approved.end()) {
            p.reject_code = "unknown_group";
            p.reject_message = "group: " + number + " is not a registered group (利用登録) of the centre";
        }
    }
}

Organization group_organization(const GroupApplication& g) {
    Organization o;
    o.id = groups::organization_id(g.number);
    o.name = g.payload.value("name", "");
    o.kana = g.payload.value("kana", "");
    o.type = groups::kind_label_ja(g.payload.value("kind", ""));
    if (auto it = g.payload.find("fields"); it != g.payload.end() && it->is_array())
        for (const Json& f : *it)
            if (f.is_string()) o.fields.push_back(f.get<std::string>());
    o.description = g.payload.value("description", "");
    o.registration = g.number;
    o.application = g.receipt;
    return o;
}

}  // namespace kyodo::server
