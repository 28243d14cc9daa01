// Consultations (協働相談, /admin/consultations, docs/lending.md "Staff side"): the bookings of
// consultation slots with their topic, filtered by centre, topic, month and status, 100 a page;
// staff record the outcome (held / no-show, server/bookings.h) and undo a wrong one. Names and
// contacts are shown to roles that may read rosters; the view, each outcome and each export
// are audit-logged.
#include <algorithm>

#include "core/slots.h"
#include "server/web/bookings_view.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

using Opts = std::vector<std::pair<std::string, std::string>>;

std::string sel(const std::string& name, const Opts& opts, const std::string& cur) {
    std::string o = "<select name=\"" + esc(name) + "\">";
    for (const auto& [v, l] : opts)
        o += "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(l) + "</option>";
    return o + "</select>";
}

std::string th(const char* key) { return "<th>" + esc(tr(key)) + "</th>"; }

struct ConsultQuery {
    std::string centre, topic, month, status;   // status: upcoming | held | no_show | waitlisted | cancelled | "" (any)
    std::size_t page = 1;
};

ConsultQuery query_of(const httplib::Request& req) {
    ConsultQuery q{req.get_param_value("centre"), req.get_param_value("topic"), req.get_param_value("month"), req.get_param_value("status")};
    try {
        q.page = req.has_param("page") ? static_cast<std::size_t>(std::max(1, std::stoi(req.get_param_value("page")))) : 1;
    } catch (const std::exception&) {
        q.page = 1;
    }
    return q;
}

std::string query_string(const ConsultQuery& q, bool with_page) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {{"centre", &q.centre}, {"topic", &q.topic}, {"month", &q.month}, {"status", &q.status}};
    for (const auto& [k, v] : kv)
        if (!v->empty()) s += std::string(s.empty() ? "?" : "&") + k + "=" + url_encode(*v);
    if (with_page && q.page > 1) s += std::string(s.empty() ? "?" : "&") + "page=" + std::to_string(q.page);
    return s;
}

// A consultation's status for the list: its outcome once recorded, else the sign-up's.
std::string status_of(const BookingView& b) {
    if (b.status == "confirmed" && !b.mark.mark.empty()) return b.mark.mark;
    if (b.status == "confirmed") return "upcoming";
    return b.status;
}

struct Row {
    const SlotView* slot;
    const BookingView* booking;
};

}  // namespace

// Every consultation booking matching the filters, by slot time (shared with the CSV).
std::vector<std::pair<SlotView, BookingView>> consultations(App& app, const Json& cat, const std::string& centre, const std::string& topic,
                                                            const std::string& month, const std::string& status) {
    std::vector<SlotView> slots;
    for (SlotView& s : catalog_slots(cat))
        if (s.type == "consultation" && (centre.empty() || s.centre_id == centre) && (month.empty() || s.date.rfind(month, 0) == 0))
            slots.push_back(std::move(s));
    std::vector<std::pair<SlotView, BookingView>> out;
    for (BookingView& b : bookings_of(app, cat, slots)) {
        if (!topic.empty() && b.topic != topic) continue;
        if (!status.empty() && status_of(b) != status) continue;
        const auto s = std::find_if(slots.begin(), slots.end(), [&](const SlotView& x) { return x.id == b.slot_id; });
        out.emplace_back(*s, std::move(b));
    }
    return out;
}

std::string consult_status_label(const BookingView& b) { return tr(std::string("consult.status.") + status_of(b)); }

namespace {

void page_handler(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const ConsultQuery q = query_of(req);
    const auto rows = consultations(app, cat, q.centre, q.topic, q.month, q.status);
    constexpr std::size_t kPage = 100;
    const std::size_t pages = std::max<std::size_t>(1, (rows.size() + kPage - 1) / kPage);
    const std::size_t pg = std::min(q.page, pages);

    std::string b = flash(req) + "<p>" + esc(tr("consult.intro")) + "</p>";
    Opts centres{{"", tr("consult.filter.centre_any")}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    Opts topics{{"", tr("consult.filter.topic_any")}};
    for (const auto& t : slots::consult_topics()) topics.emplace_back(t.code, topic_label(t.code));
    Opts statuses{{"", tr("consult.filter.status_any")}};
    for (const char* s : {"upcoming", "held", "no_show", "waitlisted", "cancelled"}) statuses.emplace_back(s, tr(std::string("consult.status.") + s));
    b += "<form method=\"get\" action=\"/admin/consultations\" class=\"filters\" id=\"consult-filter\">" + sel("centre", centres, q.centre) +
         sel("topic", topics, q.topic) + "<label>" + esc(tr("consult.filter.month")) + "<input type=\"month\" name=\"month\" value=\"" + esc(q.month) +
         "\"></label>" + sel("status", statuses, q.status) + "<button>" + esc(tr("consult.filter.submit")) + "</button> <a href=\"/admin/consultations.csv" +
         esc(query_string(q, false)) + "\" id=\"consult-csv\">" + esc(tr("consult.csv_filtered")) + "</a></form>";
    b += "<h2>" + esc(trf("consult.heading", {{"n", std::to_string(rows.size())}})) + "</h2><table id=\"consultations\"><thead><tr>" +
         th("consult.col.when") + th("consult.col.centre") + th("consult.col.desk") + th("consult.col.topic") + th("consult.col.group") +
         th("consult.col.person") + th("consult.col.status") + th("consult.col.outcome") + "</tr></thead><tbody>";
    const std::string back = "/admin/consultations" + query_string(q, true);
    for (std::size_t i = (pg - 1) * kPage; i < rows.size() && i < pg * kPage; ++i) {
        // Named references, not a structured binding: clang (the fuzz build) refuses a lambda
        // below capturing a structured binding.
        const auto& s = rows[i].first;
        const auto& bk = rows[i].second;
        std::string person;
        if (may_see_names(c)) {
            person = bk.name;
            std::string contact = bk.phone;
            if (!bk.email.empty()) contact += (contact.empty() ? "" : " / ") + bk.email;
            if (!contact.empty()) person += " " + contact;
        }
        b += "<tr data-receipt=\"" + esc(bk.r.rec.receipt) + "\" data-status=\"" + esc(status_of(bk)) + "\"><td><a href=\"/admin/bookings/slots/" +
             url_encode(s.id) + "\">" + esc(date_label(s.starts_at)) + "–" + esc(s.to) + "</a></td><td>" + esc(centre_name(cat, s.centre_id)) + "</td><td>" +
             esc(s.resource_name) + "</td><td class=\"text\"><strong>" + esc(topic_label(bk.topic)) + "</strong>" +
             (bk.topic_text.empty() ? "" : "<br>" + esc(bk.topic_text)) + "</td><td>" +
             esc(bk.group.empty() ? "" : bk.group + (bk.group_name.empty() ? "" : " " + bk.group_name)) + "</td><td>" + esc(person) + "</td><td>" +
             esc(consult_status_label(bk)) + "</td><td>";
        if (c.role >= Role::Editor && bk.status == "confirmed") {
            auto button = [&](const char* action, const std::string& mark, const std::string& expect, const std::string& label) {
                return std::string("<form method=\"post\" action=\"") + action + "\" class=\"inline\">" + csrf_field(c) +
                       "<input type=\"hidden\" name=\"id\" value=\"" + esc(bk.r.rec.id) + "\"><input type=\"hidden\" name=\"mark\" value=\"" + esc(mark) +
                       "\"><input type=\"hidden\" name=\"expect\" value=\"" + esc(expect) + "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(back) +
                       "\"><button class=\"small\" data-outcome=\"" + esc(mark) + "\">" + esc(label) + "</button></form>";
            };
            if (bk.mark.mark.empty())
                b += button("/admin/bookings/mark", "held", "", tr("bookings.do.held")) + button("/admin/bookings/mark", "no_show", "", tr("bookings.do.no_show"));
            else
                b += button("/admin/bookings/unmark", bk.mark.mark, bk.mark.mark, trf("bookings.undo", {{"mark", mark_label(bk.mark.mark)}}));
        }
        b += "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"8\" class=\"muted\">" + esc(tr("consult.none")) + "</td></tr>";
    b += "</tbody></table>";
    if (pages > 1) {
        b += "<p class=\"pager\">";
        for (std::size_t p = 1; p <= pages; ++p) {
            ConsultQuery pq = q;
            pq.page = p;
            b += p == pg ? "<strong>" + std::to_string(p) + "</strong> "
                         : "<a href=\"/admin/consultations" + esc(query_string(pq, true)) + "\">" + std::to_string(p) + "</a> ";
        }
        b += "</p>";
    }
    if (!rows.empty()) app.audit(c, "view_consultations", "consultations", std::to_string(rows.size()) + " consultations");
    send_html(res, 200, page(c, tr("consult.title"), b, "/admin/consultations"));
}

}  // namespace

void install_consultations(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/consultations", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { page_handler(app, c, q, r); });
}

}  // namespace kyodo::server::web
