#include "core/slots.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "core/timeutil.h"
#include "core/vocabulary.h"

namespace kyodo::slots {
namespace {

constexpr std::int64_t kDayMs = 86400000;

// A bound that is present (non-empty) parsed to Unix ms. A date only counts from the start of
// that day (end_of_day: from the start of the next, for signup_closes). A malformed bound
// reads as `fail`: the window fails closed rather than opening a slot by mistake.
std::int64_t bound_ms(const std::string& s, bool end_of_day, std::int64_t fail) {
    const auto ms = parse_local_jst(s);
    if (!ms) return fail;
    return end_of_day && s.size() == 10 ? *ms + kDayMs : *ms;
}

const std::string* str_at(const Json& o, const char* key, bool& ok) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    if (!it->is_string()) {
        ok = false;
        return nullptr;
    }
    return &it->get_ref<const std::string&>();
}

}  // namespace

const char* to_code(ResourceType t) {
    switch (t) {
        case ResourceType::Room: return "room";
        case ResourceType::Equipment: return "equipment";
        case ResourceType::Consultation: return "consultation";
    }
    return "";
}

std::optional<ResourceType> resource_type_from_code(std::string_view s) {
    for (ResourceType t : {ResourceType::Room, ResourceType::Equipment, ResourceType::Consultation})
        if (s == to_code(t)) return t;
    return std::nullopt;
}

const char* to_code(Window w) {
    switch (w) {
        case Window::NotYet: return "not_yet";
        case Window::GroupsOnly: return "groups_only";
        case Window::Open: return "open";
        case Window::Closed: return "closed";
        case Window::Blocked: return "blocked";
        case Window::Taken: return "taken";
    }
    return "";
}

std::optional<SlotInfo> slot_info(const Activity& a) {
    if (a.kind != ActivityKind::Slot || !a.extra.is_object()) return std::nullopt;
    auto it = a.extra.find("slot");
    if (it == a.extra.end() || !it->is_object()) return std::nullopt;
    const Json& o = *it;
    bool ok = true;
    SlotInfo s;
    const std::string* resource = str_at(o, "resource", ok);
    const std::string* type = str_at(o, "type", ok);
    if (!resource || resource->empty() || !type) return std::nullopt;
    const auto t = resource_type_from_code(*type);
    if (!t) return std::nullopt;
    s.resource = *resource;
    s.type = *t;
    if (const auto* v = str_at(o, "resource_name", ok)) s.resource_name = *v;
    if (const auto* v = str_at(o, "priority_opens", ok)) s.priority_opens = *v;
    if (const auto* v = str_at(o, "blocked_reason", ok)) s.blocked_reason = *v;
    if (auto b = o.find("blocked"); b != o.end() && !b->is_null()) {
        if (!b->is_boolean()) return std::nullopt;
        s.blocked = b->get<bool>();
    }
    if (!ok) return std::nullopt;
    return s;
}

std::vector<Resource> resources(const std::vector<Activity>& slots) {
    std::vector<Resource> out;
    for (const Activity& a : slots) {
        const auto info = slot_info(a);
        if (!info) continue;
        const bool seen = std::any_of(out.begin(), out.end(), [&](const Resource& r) {
            return r.id == info->resource && r.centre_id == a.centre_id;
        });
        if (!seen) out.push_back({info->resource, info->resource_name, a.centre_id, a.place, info->type});
    }
    return out;
}

Window window(const Activity& slot, const std::string& now) {
    const auto info = slot_info(slot);
    if (info && info->blocked) return Window::Blocked;
    const auto t = parse_local_jst(now);
    if (!t || !slot.takes_signups()) return Window::Closed;
    if (!slot.signup_closes.empty() && *t >= bound_ms(slot.signup_closes, true, INT64_MIN)) return Window::Closed;
    if (!slot.starts_at.empty() && *t >= bound_ms(slot.starts_at, false, INT64_MIN)) return Window::Closed;
    if (slot.places_left() == 0) return Window::Taken;
    if (slot.signup_opens.empty() || *t >= bound_ms(slot.signup_opens, false, INT64_MAX)) return Window::Open;
    const std::string priority = info ? info->priority_opens : std::string();
    if (!priority.empty() && *t >= bound_ms(priority, false, INT64_MAX)) return Window::GroupsOnly;
    return Window::NotYet;
}

bool may_book(const Activity& slot, const std::string& now, bool registered_group) {
    const Window w = window(slot, now);
    return w == Window::Open || (w == Window::GroupsOnly && registered_group);
}

std::optional<Activity> next_free(const std::vector<Activity>& slots, const Activity& lost,
                                  const std::string& now, bool registered_group) {
    const auto lost_info = slot_info(lost);
    if (!lost_info) return std::nullopt;
    const Activity* best = nullptr;
    for (const Activity& a : slots) {
        if (a.id == lost.id || a.centre_id != lost.centre_id || a.starts_at <= lost.starts_at) continue;
        const auto info = slot_info(a);
        if (!info || info->resource != lost_info->resource) continue;
        if (!may_book(a, now, registered_group)) continue;
        if (!best || std::tie(a.starts_at, a.id) < std::tie(best->starts_at, best->id)) best = &a;
    }
    if (!best) return std::nullopt;
    return *best;
}

const std::vector<talent::Term>& consult_topics() {
    // Codes in display order; labels from the shared vocabulary (consult.topic.<code>).
    static const std::vector<talent::Term> v = [] {
        std::vector<talent::Term> out;
        for (const char* c : {"proposal", "starting", "funding", "volunteer", "facility", "other"})
            out.push_back({c, vocab_label("ja", std::string("consult.topic.") + c).c_str()});
        return out;
    }();
    return v;
}

bool is_consult_topic(std::string_view code) {
    const auto& v = consult_topics();
    return std::any_of(v.begin(), v.end(), [&](const talent::Term& t) { return code == t.code; });
}

}  // namespace kyodo::slots
