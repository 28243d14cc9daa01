#include "core/items.h"

#include "core/timeutil.h"

namespace kyodo::items {

ItemInfo item_info(const Activity& a) {
    ItemInfo i;
    auto it = a.extra.find("item");
    if (it == a.extra.end() || !it->is_object()) return i;
    auto text = [&](const char* k) {
        auto v = it->find(k);
        return v != it->end() && v->is_string() ? v->get<std::string>() : std::string();
    };
    i.condition = text("condition");
    i.category = text("category");
    return i;
}

int remaining(const Activity& a) { return a.capacity > a.taken ? a.capacity - a.taken : 0; }

std::optional<std::int64_t> deadline_ms(const Activity& a) {
    if (a.signup_closes.empty()) return std::nullopt;
    const auto t = parse_local_jst(a.signup_closes);
    if (!t) return std::nullopt;
    const bool date_only = a.signup_closes.size() == 10;
    return date_only ? *t + 24LL * 3600 * 1000 : *t;
}

Availability availability(const Activity& a, std::int64_t now_ms) {
    if (remaining(a) <= 0) return Availability::Gone;
    if (const auto d = deadline_ms(a); d && now_ms >= *d) return Availability::Closed;
    return Availability::Open;
}

const char* to_code(Availability v) {
    switch (v) {
        case Availability::Open: return "open";
        case Availability::Closed: return "closed";
        case Availability::Gone: return "gone";
    }
    return "";
}

}  // namespace kyodo::items
