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
    ConsultationFilter f;   // status: upcoming | held | no_show | waitlisted | cancelled | "" (any)
    std::size_t page = 1;
};

ConsultQuery query_of(const httplib::Request& req) {
    return ConsultQuery{{req.get_param_value("centre"), req.get_param_value("topic"), req.get_param_value("month"), req.get_param_value("status")},
                        page_param(req)};
}

std::string query_string(const ConsultQuery& q, bool with_page) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {{"centre", &q.f.centre}, {"topic", &q.f.topic}, {"month", &q.f.month}, {"status", &q.f.status}};
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

}  // namespace

std::string consult_status_label(const BookingView& b) { return tr(std::string("consult.status.") + status_of(b)); }

namespace {

constexpr std::size_t kConsultPage = 100;

void page_handler(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = centres_and_groups(app);
    ConsultQuery q = query_of(req);
    const std::int64_t total = app.st.bookings().consultation_count(q.f);
    q.page = page_within(q.page, kConsultPage, total);
    const auto rows = consultations(app, cat, q.f, kConsultPage, (q.page - 1) * kConsultPage);

    std::string b = flash(req) + "<p>" + esc(tr("consult.intro")) + "</p>";
    Opts centres{{"", tr("consult.filter.centre_any")}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    Opts topics{{"", tr("consult.filter.topic_any")}};
    for (const auto& t : slots::consult_topics()) topics.emplace_back(t.code, topic_label(t.code));
    Opts statuses{{"", tr("consult.filter.status_any")}};
    for (const char* s : {"upcoming", "held", "no_show", "waitlisted", "cancelled"}) statuses.emplace_back(s, tr(std::string("consult.status.") + s));
    b += "<form method=\"get\" action=\"/admin/consultations\" class=\"filters\" id=\"consult-filter\">" + sel("centre", centres, q.f.centre) +
         sel("topic", topics, q.f.topic) + "<label>" + esc(tr("consult.filter.month")) + "<input type=\"month\" name=\"month\" value=\"" +
         esc(q.f.month) + "\"></label>" + sel("status", statuses, q.f.status) + "<button>" + esc(tr("consult.filter.submit")) + "</button> <a href=\"/admin/consultations.csv" +
         esc(query_string(q, false)) + "\" id=\"consult-csv\">" + esc(tr("consult.csv_filtered")) + "</a></form>";
    b += "<h2>" + esc(trf("consult.heading", {{"n", std::to_string(total)}})) + "</h2><table id=\"consultations\"><thead><tr>" +
         th("consult.col.when") + th("consult.col.centre") + th("consult.col.desk") + th("consult.col.topic") + th("consult.col.group") +
         th("consult.col.person") + th("consult.col.status") + th("consult.col.outcome") + "</tr></thead><tbody>";
    const std::string back = "/admin/consultations" + query_string(q, true);
    for (std::size_t i = 0; i < rows.size(); ++i) {
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
    const std::string qs = query_string(q, false);
    b += pager_pages("/admin/consultations" + (qs.empty() ? std::string("?") : qs), q.page, kConsultPage, total);
    if (!rows.empty()) app.audit(c, "view_consultations", "consultations", std::to_string(rows.size()) + " consultations");
    send_html(res, 200, page(c, tr("consult.title"), b, "/admin/consultations"));
}

}  // namespace

void install_consultations(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/consultations", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { page_handler(app, c, q, r); });
}

}  // namespace kyodo::server::web
