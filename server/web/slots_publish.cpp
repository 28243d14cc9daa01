// Publishing a resource's slots (/admin/bookings/slots/new, docs/lending.md "Staff side"): centre,
// resource id and name, type (room / equipment / consultation), place, a date range, weekdays
// and times of day; and city hall's 優先予約 window (/admin/bookings/window) that fills each slot's
// priority_opens and signup_opens. The slots are made by server/slot_plan.h and saved as one
// catalog delta (versions bump, kiosks pull them); publishing the same range again updates
// those slots and keeps what happened since (places taken, blocked). Editors, like publishing
// listings; audit-logged.
#include <algorithm>

#include "core/codec.h"
#include "server/slot_plan.h"
#include "server/talent.h"
#include "server/web/bookings_view.h"
#include "server/web/form.h"
#include "server/web/publish.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

struct SlotForm {
    std::string centre, resource, resource_name, type = "equipment", place, from, to, times = "09:00-12:00\n13:00-17:00";
    std::vector<int> weekdays{0, 1, 2, 3, 4, 5};
};

SlotForm read_form(const std::map<std::string, std::string>& f) {
    SlotForm s;
    s.centre = trim(posted(f, "centre"));
    s.resource = trim(posted(f, "resource"));
    s.resource_name = trim(posted(f, "resource_name"));
    s.type = trim(posted(f, "type"));
    s.place = trim(posted(f, "place"));
    s.from = trim(posted(f, "from"));
    s.to = trim(posted(f, "to"));
    s.times = normalise_newlines(posted(f, "times"));
    s.weekdays.clear();
    for (const std::string& d : split_list(posted(f, "weekdays")))
        if (d.size() == 1 && d[0] >= '0' && d[0] <= '6') s.weekdays.push_back(d[0] - '0');
    return s;
}

std::string window_form(const Ctx& c, const BookingWindow& w, const std::string& error) {
    std::string b = "<h2 id=\"window\">" + esc(tr("bookings.window.title")) + "</h2><p>" + esc(tr("bookings.window.lead")) + "</p>";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\" id=\"window-error\">" + esc(error) + "</p>";
    b += "<form method=\"post\" action=\"/admin/bookings/window\" class=\"filters\" id=\"window-form\">" + csrf_field(c) + "<label>" +
         esc(tr("bookings.window.group_days")) + "<input type=\"number\" name=\"group_days\" min=\"0\" max=\"365\" value=\"" +
         std::to_string(w.group_days) + "\"></label><label>" + esc(tr("bookings.window.all_days")) +
         "<input type=\"number\" name=\"all_days\" min=\"0\" max=\"365\" value=\"" + std::to_string(w.all_days) + "\"></label><label>" +
         esc(tr("bookings.window.opens_at")) + "<input type=\"time\" name=\"opens_at\" value=\"" + esc(w.opens_at) + "\"></label><button>" +
         esc(tr("bookings.window.save")) + "</button></form>";
    if (!w.updated_by.empty())
        b += "<p class=\"muted\">" + esc(trf("bookings.window.updated", {{"by", w.updated_by}, {"at", jst_datetime(w.updated_at)}})) + "</p>";
    return b;
}

void form_page(App& app, Ctx& c, httplib::Response& res, const SlotForm& s, const FieldErrors& err, const std::string& window_error,
               const std::string& flash_html) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    const BookingWindow w = app.st.bookings().window();
    std::string b = flash_html;
    b += "<p>" + esc(trf("bookings.publish.lead", {{"max", std::to_string(kMaxSlotsAtOnce)}})) + "</p>";
    Options centres{{"", tr("app.citywide")}};
    for (const Json& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    Options types{{"room", resource_type_label("room")}, {"equipment", resource_type_label("equipment")},
                  {"consultation", resource_type_label("consultation")}};
    std::string form = "<form method=\"post\" action=\"/admin/bookings/slots\" class=\"grid2\" id=\"slots-form\" novalidate>" + csrf_field(c) +
                       select_field(f, "centre", tr("bookings.field.centre"), centres, s.centre) +
                       select_field(f, "type", tr("bookings.field.type"), types, s.type) +
                       text_field(f, "resource", tr("bookings.field.resource"), s.resource,
                                  "required maxlength=\"40\" pattern=\"[A-Za-z0-9_.\\-]{1,40}\" autocomplete=\"off\"", tr("bookings.field.resource_hint")) +
                       text_field(f, "resource_name", tr("bookings.field.resource_name"), s.resource_name, "required maxlength=\"40\"") +
                       text_field(f, "place", tr("bookings.field.place"), s.place, "maxlength=\"100\"", "", "wide") +
                       text_field(f, "from", tr("bookings.field.from"), s.from, "type=\"date\" required") +
                       text_field(f, "to", tr("bookings.field.to"), s.to, "type=\"date\" required");
    f.note("weekdays", tr("bookings.field.weekdays"));
    form += "<fieldset id=\"" + field_id("weekdays") + "\" class=\"checks wide" + std::string(err.at.count("weekdays") ? " invalid" : "") +
            "\"><legend>" + esc(tr("bookings.field.weekdays")) + "</legend>";
    for (int d = 0; d < 7; ++d) {
        const bool on = std::find(s.weekdays.begin(), s.weekdays.end(), d) != s.weekdays.end();
        form += "<label class=\"check\"><input type=\"checkbox\" name=\"weekdays\" value=\"" + std::to_string(d) + "\"" + (on ? " checked" : "") +
                "> " + esc(tr(std::string("bookings.weekday.") + std::to_string(d))) + "</label>";
    }
    form += field_error(err, "weekdays") + "</fieldset>" +
            textarea_field(f, "times", tr("bookings.field.times"), s.times, 4, "", tr("bookings.field.times_hint")) +
            "<p class=\"wide hint\">" +
            esc(trf("bookings.publish.window_note", {{"group_days", std::to_string(w.group_days)}, {"all_days", std::to_string(w.all_days)},
                                                      {"opens_at", w.opens_at}})) +
            "</p><div class=\"wide actions\"><button class=\"primary\">" + esc(tr("bookings.publish.submit")) +
            "</button><a class=\"button\" href=\"/admin/bookings\">" + esc(tr("bookings.back_to_calendar")) + "</a></div></form>";
    b += err.summary_html(labels) + form;

    // The resources already published, so staff reuse an id rather than invent a second one.
    std::map<std::string, std::pair<const SlotView*, int>> known;
    const auto slots = catalog_slots(cat);
    for (const SlotView& sv : slots) {
        auto& k = known[sv.resource];
        if (!k.first) k.first = &sv;
        ++k.second;
    }
    b += "<h2>" + esc(tr("bookings.resources.title")) + "</h2><table id=\"resources\"><thead><tr><th>" + esc(tr("bookings.field.resource")) +
         "</th><th>" + esc(tr("bookings.field.resource_name")) + "</th><th>" + esc(tr("bookings.field.type")) + "</th><th>" +
         esc(tr("bookings.field.centre")) + "</th><th class=\"num\">" + esc(tr("bookings.resources.count")) + "</th></tr></thead><tbody>";
    for (const auto& [id, k] : known)
        b += "<tr><td>" + esc(id) + "</td><td>" + esc(k.first->resource_name) + "</td><td>" + esc(resource_type_label(k.first->type)) + "</td><td>" +
             esc(centre_name(cat, k.first->centre_id)) + "</td><td class=\"num\">" + std::to_string(k.second) + "</td></tr>";
    if (known.empty()) b += "<tr><td colspan=\"5\" class=\"muted\">" + esc(tr("bookings.resources.none")) + "</td></tr>";
    b += "</tbody></table>";
    b += window_form(c, w, window_error);
    send_html(res, err.any() || !window_error.empty() ? 400 : 200, page(c, tr("bookings.publish.title"), b, "/admin/bookings"));
}

void save_slots(App& app, Ctx& c, httplib::Response& res) {
    const SlotForm s = read_form(c.form);
    const Json cat = app.catalog();
    FieldErrors err;
    if (!s.centre.empty() && !find_by_id(cat["centres"], s.centre)) err.add("centre", tr("bookings.err.plan.centre"));
    check_text(err, "resource_name", s.resource_name, 40, true);
    check_text(err, "place", s.place, 100, false);
    SlotPlan p;
    p.centre_id = s.centre;
    p.resource = s.resource;
    p.resource_name = s.resource_name;
    p.type = s.type;
    p.place = s.place;
    p.from = s.from;
    p.to = s.to;
    p.weekdays = s.weekdays;
    p.department = kTalentRequestDepartment;
    if (!parse_times(s.times, p.times)) err.add("times", tr("bookings.err.plan.time_format"));
    // A resource id names one thing of one centre: the same id with another centre or type is
    // a typing mistake, not a second resource.
    for (const SlotView& sv : catalog_slots(cat))
        if (sv.resource == s.resource && (sv.centre_id != s.centre || sv.type != s.type)) {
            err.add("resource", trf("bookings.err.plan.resource_taken", {{"name", sv.resource_name}, {"centre", centre_name(cat, sv.centre_id)}}));
            break;
        }
    const PlanResult plan = plan_slots(p, app.st.bookings().window());
    for (const auto& [field, code] : plan.errors) {
        if (field == "count") err.general = trf(std::string("bookings.err.plan.") + code, {{"max", std::to_string(kMaxSlotsAtOnce)}});
        else err.add(field, tr(std::string("bookings.err.plan.") + code));
    }
    if (err.any()) return form_page(app, c, res, s, err, "", "");

    CatalogDelta d;
    int fresh = 0, again = 0;
    for (Json j : plan.slots) {
        const Json* old = find_by_id(cat["activities"], str(j, "id"));
        if (old) {
            const auto ov = slot_view(*old);
            if (!ov) {
                err.general = trf("bookings.err.plan.id_clash", {{"id", str(j, "id")}});
                return form_page(app, c, res, s, err, "", "");
            }
            // Keep what happened since: a block (staff), the extra keys others added.
            Json extra = old->value("extra", Json::object());
            const bool blocked = ov->blocked;
            extra["slot"] = j["extra"]["slot"];
            extra["slot"]["blocked"] = blocked;
            extra["slot"]["blocked_reason"] = blocked ? ov->blocked_reason : "";
            j["extra"] = extra;
            ++again;
        } else {
            ++fresh;
        }
        try {
            d.activities.push_back(activity_from_json(j));
        } catch (const DecodeError& e) {
            err.general = trf("publish.err.decode", {{"why", e.what()}});
            return form_page(app, c, res, s, err, "", "");
        }
    }
    const std::int64_t v = app.st.import_catalog(d);
    app.audit(c, "publish_slots", s.resource,
              std::to_string(d.activities.size()) + " slots " + s.from + ".." + s.to + " at " + (s.centre.empty() ? "city hall" : s.centre) +
                  " (new " + std::to_string(fresh) + ", again " + std::to_string(again) + "); catalog version " + std::to_string(v));
    redirect(res, "/admin/bookings?centre=" + url_encode(s.centre) + "&week=" + url_encode(s.from) + "&msg=" +
                      url_encode(trf("bookings.msg.published", {{"n", std::to_string(d.activities.size())}, {"name", s.resource_name},
                                                                {"fresh", std::to_string(fresh)}, {"again", std::to_string(again)},
                                                                {"version", std::to_string(v)}})));
}

}  // namespace

void install_slots_publish(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/bookings/slots/new", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        SlotForm s;
        s.centre = req.get_param_value("centre");
        s.from = jst_today();
        s.to = add_days(s.from, 27);
        form_page(app, c, res, s, FieldErrors{}, "", flash(req));
    });
    app.post(svr, "/admin/bookings/slots", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save_slots(app, c, res); });
    app.post(svr, "/admin/bookings/window", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        BookingWindow w;
        std::string bad;
        try {
            w.group_days = std::stoi(posted(c.form, "group_days"));
            w.all_days = std::stoi(posted(c.form, "all_days"));
        } catch (const std::exception&) {
            bad = "group_days";
        }
        w.opens_at = trim(posted(c.form, "opens_at"));
        if (bad.empty()) bad = check_window(w);
        if (!bad.empty()) {
            SlotForm s;
            s.from = jst_today();
            s.to = add_days(s.from, 27);
            return form_page(app, c, res, s, FieldErrors{}, tr(std::string("bookings.err.window.") + bad), "");
        }
        w.updated_by = c.s.user;
        w.updated_at = rfc3339_now();
        app.st.bookings().set_window(w);
        app.audit(c, "set_booking_window", "bookings",
                  "groups from " + std::to_string(w.group_days) + " days, everyone from " + std::to_string(w.all_days) + " days, at " + w.opens_at);
        redirect(res, "/admin/bookings/slots/new?msg=" + url_encode(tr("bookings.msg.window_saved")));
    });
}

}  // namespace kyodo::server::web
