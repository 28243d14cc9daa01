#include "server/web/bookings_view.h"

#include <algorithm>
#include <set>

#include "server/web/text.h"

namespace kyodo::server::web {

std::optional<SlotView> slot_view(const Json& a) {
    if (!a.is_object() || str(a, "kind") != "slot") return std::nullopt;
    const auto ex = a.find("extra");
    if (ex == a.end() || !ex->is_object() || !ex->contains("slot") || !(*ex)["slot"].is_object()) return std::nullopt;
    const Json& s = (*ex)["slot"];
    SlotView v;
    v.resource = str(s, "resource");
    if (v.resource.empty()) return std::nullopt;
    v.id = str(a, "id");
    v.title = str(a, "title");
    v.resource_name = str(s, "resource_name");
    if (v.resource_name.empty()) v.resource_name = v.resource;
    v.type = str(s, "type");
    v.priority_opens = str(s, "priority_opens");
    v.blocked = s.value("blocked", false) == true;
    v.blocked_reason = str(s, "blocked_reason");
    v.centre_id = str(a, "centre_id");
    v.place = str(a, "place");
    v.starts_at = str(a, "starts_at");
    v.ends_at = str(a, "ends_at");
    v.date = v.starts_at.substr(0, 10);
    v.from = v.starts_at.size() >= 16 ? v.starts_at.substr(11, 5) : "";
    v.to = v.ends_at.size() >= 16 ? v.ends_at.substr(11, 5) : "";
    v.signup_opens = str(a, "signup_opens");
    v.signup_closes = str(a, "signup_closes");
    v.taken = a.value("taken", 0);
    return v;
}

std::vector<SlotView> catalog_slots(const Json& cat) {
    std::vector<SlotView> out;
    if (cat.contains("activities"))
        for (const Json& a : cat["activities"])
            if (auto v = slot_view(a)) out.push_back(std::move(*v));
    std::sort(out.begin(), out.end(), [](const SlotView& x, const SlotView& y) {
        return x.starts_at != y.starts_at ? x.starts_at < y.starts_at : x.id < y.id;
    });
    return out;
}

std::vector<BookingView> bookings_of(App& app, const Json& cat, const std::vector<SlotView>& slots) {
    std::set<std::string> with_signups;
    for (const auto& t : app.st.admin().signup_tallies(""))
        if (t.signups > 0) with_signups.insert(t.activity_id);
    std::vector<BookingView> out;
    std::map<std::string, std::vector<BookingMark>> marks;
    bool marks_read = false;
    for (const SlotView& s : slots) {
        if (!with_signups.count(s.id)) continue;
        if (!marks_read) {
            for (BookingMark& m : app.st.bookings().marks()) marks[m.signup_id].push_back(std::move(m));
            marks_read = true;
        }
        RecordQuery q;
        q.kind = "sign_up";
        q.activity_id = s.id;
        for (AdminRecord& r : app.st.admin().records(q)) {
            BookingView b;
            const Json pl = payload_of(r), p = personal_of(r);
            b.slot_id = s.id;
            b.status = r.rec.signup_status;
            b.group = str(pl, "group");
            b.group_name = b.group.empty() ? "" : group_name(cat, b.group);
            b.purpose = str(pl, "purpose");
            b.topic = str(pl, "topic");
            b.topic_text = str(pl, "topic_text");
            b.name = str(p, "name");
            b.kana = str(p, "furigana");
            b.phone = str(p, "phone");
            b.email = str(p, "email");
            if (auto it = marks.find(r.rec.id); it != marks.end()) {
                b.history = it->second;
                for (const BookingMark& m : b.history)
                    if (m.live()) b.mark = m;
            }
            b.r = std::move(r);
            out.push_back(std::move(b));
        }
    }
    return out;
}

namespace {
std::string vocab_or(const std::string& key, const std::string& code) {
    const std::string& t = tr(key);
    return t == key ? code : t;
}
}  // namespace

std::string resource_type_label(const std::string& type) { return vocab_or("slot.type." + type, type); }
std::string topic_label(const std::string& topic) { return topic.empty() ? "" : vocab_or("consult.topic." + topic, topic); }
std::string mark_label(const std::string& mark) { return mark.empty() ? "" : vocab_or("bookings.mark." + mark, mark); }

std::string group_name(const Json& cat, const std::string& number) {
    if (cat.contains("organizations"))
        for (const Json& o : cat["organizations"])
            if (str(o, "registration") == number) return str(o, "name");
    return "";
}

}  // namespace kyodo::server::web
