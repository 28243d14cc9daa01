#include "server/slot_rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/codec.h"
#include "core/slots.h"
#include "core/timeutil.h"
#include "server/groups.h"
#include "server/notices.h"

namespace kyodo::server {
namespace {

// The catalog's activities with these ids that are slots, by id.
std::map<std::string, Activity> slots_by_id(Storage& st, const std::vector<std::string>& ids) {
    std::map<std::string, Activity> out;
    for (const Json& j : st.activities_by_id(ids)) {
        if (j.value("kind", "") != to_code(ActivityKind::Slot)) continue;
        try {
            Activity a = activity_from_json(j);
            out.emplace(a.id, std::move(a));
        } catch (const std::exception&) {
            // A catalog entry the codec cannot read is not a slot the rules can judge; the
            // ledger still decides the sign-up as for any activity.
        }
    }
    return out;
}

bool is_signup(const PreparedRecord& p) { return !p.rejected() && p.record.kind == RecordKind::SignUp; }

void reject(PreparedRecord& p, const char* code, std::string message) {
    p.reject_code = code;
    p.reject_message = std::move(message);
}

Json slot_head(const Activity& a) {
    return Json{{"activity_id", a.id}, {"title", a.title}, {"starts_at", a.starts_at}, {"ends_at", a.ends_at},
                {"place", a.place}};
}

}  // namespace

std::string slot_clock(std::int64_t now_ms) { return local_jst(now_ms); }

void check_bookings(Storage& st, std::vector<PreparedRecord>& batch, std::int64_t now_ms) {
    check_group_bookings(st, batch);
    std::set<std::string> ids;
    for (const PreparedRecord& p : batch)
        if (is_signup(p)) ids.insert(p.activity_id);
    if (ids.empty()) return;
    const auto slots = slots_by_id(st, std::vector<std::string>(ids.begin(), ids.end()));
    if (slots.empty()) return;
    const std::string now = slot_clock(now_ms);
    for (PreparedRecord& p : batch) {
        if (!is_signup(p)) continue;
        auto it = slots.find(p.activity_id);
        if (it == slots.end()) continue;
        Activity slot = it->second;
        if (!slot.takes_signups()) continue;   // the ledger answers no_signups
        slot.taken = 0;                        // taken or not: the ledger's word (waitlisted)
        const auto info = slots::slot_info(slot);
        const bool group = p.record.payload.contains("group");   // approved: check_group_bookings
        switch (slots::window(slot, now)) {
            case slots::Window::Blocked:
                reject(p, "slot_blocked",
                       "activity_id: " + slot.id + " is blocked by the centre" +
                           (info && !info->blocked_reason.empty() ? " (" + info->blocked_reason + ")" : std::string()));
                continue;
            case slots::Window::NotYet:
                reject(p, "not_open_yet", "activity_id: bookings of " + slot.id + " have not opened yet");
                continue;
            case slots::Window::GroupsOnly:
                if (!group)
                    reject(p, "not_open_yet",
                           "activity_id: " + slot.id + " is open to registered groups only until " + slot.signup_opens +
                               " (優先予約): name the group's registration number");
                break;
            case slots::Window::Closed:
                reject(p, "closed", "activity_id: bookings of " + slot.id + " are closed");
                continue;
            case slots::Window::Open:
            case slots::Window::Taken:
                break;
        }
        if (!p.rejected() && p.party_size != 1)
            reject(p, "out_of_range", "party_size: a booking of a slot is for 1 (the slot is one place)");
    }
}

Json slot_taken_detail(const Activity& lost, const std::vector<Activity>& slots, const std::string& now,
                       bool registered_group) {
    Json d = slot_head(lost);
    const auto info = slots::slot_info(lost);
    d["resource_name"] = info ? info->resource_name : std::string();
    const auto next = slots::next_free(slots, lost, now, registered_group);
    d["next"] = next ? slot_head(*next) : Json(nullptr);
    return d;
}

void notify_lost_bookings(Storage& st, const std::vector<PreparedRecord>& batch, const IngestResult& result,
                          std::int64_t now_ms) {
    std::vector<std::size_t> lost;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < batch.size() && i < result.answers.size(); ++i) {
        const PreparedRecord& p = batch[i];
        const RecordAnswer& a = result.answers[i];
        if (!is_signup(p) || a.signup_status != "waitlisted" || (a.result != "stored" && a.result != "duplicate"))
            continue;
        if (!wants_notices("sign_up", p.payload_json, p.personal_json)) continue;
        lost.push_back(i);
        ids.insert(p.activity_id);
    }
    if (lost.empty()) return;
    const auto lost_slots = slots_by_id(st, std::vector<std::string>(ids.begin(), ids.end()));
    if (lost_slots.empty()) return;
    // Every slot of the catalog with the server's taken counts: read once, and only when a
    // booker who wants notices lost a slot (rare), never on the ordinary push path.
    std::vector<Activity> all;
    const Json cat = st.catalog_since(0);
    for (const Json& j : cat.value("activities", Json::array())) {
        if (j.value("kind", "") != to_code(ActivityKind::Slot)) continue;
        try {
            all.push_back(activity_from_json(j));
        } catch (const std::exception&) {
        }
    }
    const std::string now = slot_clock(now_ms);
    std::vector<Notice> notices;
    for (std::size_t i : lost) {
        const PreparedRecord& p = batch[i];
        auto it = lost_slots.find(p.activity_id);
        if (it == lost_slots.end()) continue;
        const bool group = p.record.payload.contains("group");
        notices.push_back(make_notice("slot_taken", p.record.id, slot_taken_detail(it->second, all, now, group),
                                      rfc3339_utc(now_ms)));
    }
    if (!notices.empty()) st.notices().enqueue_notices(notices);
}

}  // namespace kyodo::server
