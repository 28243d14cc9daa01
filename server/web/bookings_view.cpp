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

namespace {

// A booking as the pages show it: `r` (a sign-up for slot `slot_id`) with its payload, its
// person, the group's name in `cat`'s directory and its marks (`history`, in the order made).
BookingView booking_view(AdminRecord&& r, const std::string& slot_id, const Json& cat, std::vector<BookingMark> history) {
    BookingView b;
    const Json pl = payload_of(r), p = personal_of(r);
    b.slot_id = slot_id;
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
    b.history = std::move(history);
    for (const BookingMark& m : b.history)
        if (m.live()) b.mark = m;
    b.r = std::move(r);
    return b;
}

std::vector<AdminRecord> signups_of(App& app, const std::string& slot_id) {
    RecordQuery q;
    q.kind = "sign_up";
    q.activity_id = slot_id;
    return app.st.admin().records(q);
}

}  // namespace

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
        for (AdminRecord& r : signups_of(app, s.id)) {
            const auto it = marks.find(r.rec.id);
            out.push_back(booking_view(std::move(r), s.id, cat, it == marks.end() ? std::vector<BookingMark>{} : it->second));
        }
    }
    return out;
}

Json centres_and_groups(App& app) {
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    cat["organizations"] = app.st.catalog_page("organizations", {}, 100000, 0).items;
    return cat;
}

std::vector<std::pair<SlotView, BookingView>> consultations(App& app, const Json& cat, const ConsultationFilter& f, std::size_t limit,
                                                            std::size_t offset) {
    const std::vector<ConsultationRef> refs = app.st.bookings().consultations_page(f, limit, offset);
    std::vector<std::string> slot_ids;
    for (const ConsultationRef& x : refs)
        if (std::find(slot_ids.begin(), slot_ids.end(), x.slot_id) == slot_ids.end()) slot_ids.push_back(x.slot_id);
    // The page's slots, and the sign-ups of each (a slot has its one booking and its waitlist).
    std::map<std::string, SlotView> slots;
    for (const Json& a : app.st.activities_by_id(slot_ids))
        if (auto v = slot_view(a)) slots.emplace(v->id, std::move(*v));
    std::map<std::string, AdminRecord> signups;
    for (const std::string& id : slot_ids)
        for (AdminRecord& r : signups_of(app, id)) signups.emplace(r.rec.id, std::move(r));
    std::vector<std::pair<SlotView, BookingView>> out;
    for (const ConsultationRef& x : refs) {
        const auto s = slots.find(x.slot_id);
        const auto r = signups.find(x.signup_id);
        if (s == slots.end() || r == signups.end()) continue;   // changed between the reads
        out.emplace_back(s->second, booking_view(std::move(r->second), x.slot_id, cat, app.st.bookings().marks_of(x.signup_id)));
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
