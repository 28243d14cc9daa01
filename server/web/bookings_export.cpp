// The booking lists as CSV for Excel (UTF-8 with BOM, CRLF, formula guard: html.h's Csv), with
// the pages' filters: /admin/bookings.csv (every booking of rooms, equipment and consultations,
// with lent / returned or the consultation's outcome) and /admin/consultations.csv. They hold
// residents' names and contacts: every download is audit-logged, never kept by the browser.
#include <algorithm>

#include "server/web/bookings_view.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

// The live mark `mark` of a booking: who and when ("" when none).
std::pair<std::string, std::string> mark_of(const BookingView& b, const char* mark) {
    for (auto it = b.history.rbegin(); it != b.history.rend(); ++it)
        if (it->live() && it->mark == mark) return {jst_datetime(it->at), it->by};
    return {"", ""};
}

std::string query_key(const httplib::Request& req) {
    std::string q;
    for (const auto& [k, v] : req.params) q += k + "=" + v + "&";
    return q;
}

void bookings_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    const auto sent = send_cached(app, req, res_out, export_key(app, "bookings.csv|" + query_key(req)), true, "no-store", [&](httplib::Response& res) {
        const Json cat = app.catalog();
        const std::string centre = req.get_param_value("centre"), type = req.get_param_value("type");
        const std::string from = req.get_param_value("from"), to = req.get_param_value("to");
        std::vector<SlotView> slots;
        for (SlotView& s : catalog_slots(cat))
            if ((!req.has_param("centre") || s.centre_id == centre) && (type.empty() || s.type == type) && (from.empty() || s.date >= from) &&
                (to.empty() || s.date <= to))
                slots.push_back(std::move(s));
        Csv csv;
        csv.row({tr("bookings.csv.receipt"), tr("bookings.csv.status"), tr("bookings.csv.mark"), tr("bookings.csv.centre"), tr("bookings.csv.resource"),
                 tr("bookings.csv.type"), tr("bookings.csv.date"), tr("bookings.csv.from"), tr("bookings.csv.to"), tr("bookings.csv.group"),
                 tr("bookings.csv.group_name"), tr("bookings.csv.purpose"), tr("bookings.csv.name"), tr("bookings.csv.kana"), tr("bookings.csv.phone"),
                 tr("bookings.csv.email"), tr("bookings.csv.lent_at"), tr("bookings.csv.lent_by"), tr("bookings.csv.returned_at"),
                 tr("bookings.csv.returned_by"), tr("bookings.csv.received"), tr("bookings.csv.slot")});
        const auto books = bookings_of(app, cat, slots);
        for (const BookingView& b : books) {
            const auto s = std::find_if(slots.begin(), slots.end(), [&](const SlotView& x) { return x.id == b.slot_id; });
            const auto lent = mark_of(b, "lent"), back = mark_of(b, "returned");
            const std::string purpose = s->type == "consultation" ? topic_label(b.topic) + (b.topic_text.empty() ? "" : " " + b.topic_text) : b.purpose;
            csv.row({b.r.rec.receipt, signup_status_ja(b.status), mark_label(b.mark.mark), centre_name(cat, s->centre_id), s->resource_name,
                     resource_type_label(s->type), s->date, s->from, s->to, b.group, b.group_name, purpose, b.name, b.kana, b.phone, b.email,
                     lent.first, lent.second, back.first, back.second, jst_datetime(b.r.rec.received_at), s->id});
        }
        res.set_header("X-Rows", std::to_string(books.size()));
        res.set_header("Content-Disposition", "attachment; filename=\"bookings.csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_bookings", "bookings.csv", std::to_string(sent->rows) + " bookings");
}

void consultations_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    const auto sent = send_cached(app, req, res_out, export_key(app, "consultations.csv|" + query_key(req)), true, "no-store", [&](httplib::Response& res) {
        const Json cat = centres_and_groups(app);
        const ConsultationFilter f{req.get_param_value("centre"), req.get_param_value("topic"), req.get_param_value("month"), req.get_param_value("status")};
        const auto rows = consultations(app, cat, f, 100000000, 0);
        Csv csv;
        csv.row({tr("bookings.csv.receipt"), tr("consult.col.status"), tr("bookings.csv.centre"), tr("consult.col.desk"), tr("bookings.csv.date"),
                 tr("bookings.csv.from"), tr("bookings.csv.to"), tr("consult.col.topic"), tr("consult.csv.topic_text"), tr("bookings.csv.group"),
                 tr("bookings.csv.group_name"), tr("bookings.csv.name"), tr("bookings.csv.kana"), tr("bookings.csv.phone"), tr("bookings.csv.email"),
                 tr("consult.csv.outcome_by"), tr("consult.csv.outcome_at"), tr("bookings.csv.received")});
        for (const auto& [s, b] : rows)
            csv.row({b.r.rec.receipt, consult_status_label(b), centre_name(cat, s.centre_id), s.resource_name, s.date, s.from, s.to, topic_label(b.topic),
                     b.topic_text, b.group, b.group_name, b.name, b.kana, b.phone, b.email, b.mark.by, jst_datetime(b.mark.at),
                     jst_datetime(b.r.rec.received_at)});
        res.set_header("X-Rows", std::to_string(rows.size()));
        res.set_header("Content-Disposition", "attachment; filename=\"consultations.csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_consultations", "consultations.csv", std::to_string(sent->rows) + " consultations");
}

}  // namespace

void install_bookings_export(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/bookings.csv", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { bookings_csv(app, c, q, r); });
    app.get(svr, "/admin/consultations.csv", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { consultations_csv(app, c, q, r); });
}

}  // namespace kyodo::server::web
