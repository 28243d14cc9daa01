// The per-centre calendar of bookings (/admin/bookings, docs/lending.md "Staff side"): one
// centre and one week, resources × days, each slot free / booked (the group's registration
// number and name; the booker's name for roles that may read rosters) / waitlisted / blocked,
// and for equipment and rooms lent / returned. A slot's own page shows its bookings and the
// history of marks, where staff undo a wrong mark and block or unblock the slot. Marks are
// compare-and-set (server/bookings.h); blocking republishes the slot with extra.slot.blocked.
// Every view that shows names, every mark, undo, block and unblock is audit-logged.
#include <algorithm>
#include <set>

#include "core/codec.h"
#include "server/slot_plan.h"
#include "server/web/bookings_view.h"
#include "server/web/form.h"
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

std::string th(const std::string& text) { return "<th>" + esc(text) + "</th>"; }

std::string form_value(const Ctx& c, const char* key) {
    auto it = c.form.find(key);
    return it == c.form.end() ? "" : it->second;
}

// Where a form sends staff back to: one of the booking pages, never elsewhere.
std::string back_to(const Ctx& c, const std::string& fallback) {
    const std::string b = form_value(c, "back");
    if (b.rfind("/admin/bookings", 0) == 0 || b.rfind("/admin/consultations", 0) == 0)
        if (b.find("//") == std::string::npos && b.find_first_of("\r\n") == std::string::npos) return b;
    return fallback;
}

std::string with_msg(const std::string& url, const std::string& msg) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "msg=" + url_encode(msg);
}

struct CalQuery {
    std::string centre, week, type;
};

std::string cal_url(const CalQuery& q) {
    return "/admin/bookings?centre=" + url_encode(q.centre) + "&week=" + url_encode(q.week) +
           (q.type.empty() ? "" : "&type=" + url_encode(q.type));
}

// The one next step for a booking, as a button: lend / return (equipment, rooms) or the
// consultation's outcome. Empty when none (waitlisted, cancelled, returned, decided).
std::string mark_buttons(const Ctx& c, const SlotView& s, const BookingView& b, const std::string& back) {
    if (c.role < Role::Editor || b.status != "confirmed") return "";
    std::vector<std::string> next;
    if (s.type == "consultation") {
        if (b.mark.mark.empty()) next = {"held", "no_show"};
    } else if (b.mark.mark.empty()) {
        next = {"lent"};
    } else if (b.mark.mark == "lent") {
        next = {"returned"};
    }
    std::string o;
    for (const std::string& m : next)
        o += "<form method=\"post\" action=\"/admin/bookings/mark\" class=\"inline mark\">" + csrf_field(c) +
             "<input type=\"hidden\" name=\"id\" value=\"" + esc(b.r.rec.id) + "\"><input type=\"hidden\" name=\"mark\" value=\"" +
             esc(m) + "\"><input type=\"hidden\" name=\"expect\" value=\"" + esc(b.mark.mark) +
             "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(back) + "\"><button class=\"small\" data-mark=\"" + esc(m) + "\">" +
             esc(tr(std::string("bookings.do.") + m)) + "</button></form>";
    return o;
}

std::string who(const Ctx& c, const BookingView& b) {
    std::string o;
    if (!b.group.empty()) o += "<span class=\"group\">" + esc(b.group) + (b.group_name.empty() ? "" : " " + esc(b.group_name)) + "</span>";
    else o += "<span class=\"group muted\">" + esc(tr("bookings.no_group")) + "</span>";
    if (may_see_names(c) && !b.name.empty()) o += " <span class=\"person\">" + esc(b.name) + "</span>";
    return o;
}

void calendar(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const auto all = catalog_slots(cat);
    CalQuery q{req.get_param_value("centre"), req.get_param_value("week"), req.get_param_value("type")};
    if (q.centre.empty()) {
        // The first centre that has slots, else the first centre.
        if (!all.empty()) q.centre = all.front().centre_id;
        else if (cat.contains("centres") && !cat["centres"].empty()) q.centre = str(cat["centres"][0], "id");
    }
    if (!valid_date(q.week)) q.week = jst_today();
    q.week = week_start(q.week);
    if (!q.type.empty() && !is_resource_type(q.type)) q.type.clear();
    const std::string last = add_days(q.week, 6);

    std::vector<SlotView> shown;
    for (const SlotView& s : all)
        if (s.centre_id == q.centre && s.date >= q.week && s.date <= last && (q.type.empty() || s.type == q.type)) shown.push_back(s);
    const auto books = bookings_of(app, cat, shown);
    std::map<std::string, std::vector<const BookingView*>> by_slot;
    for (const BookingView& b : books) by_slot[b.slot_id].push_back(&b);

    // Resources: rooms, then equipment, then consultation desks, each by name.
    struct Res {
        std::string id, name, type;
    };
    std::vector<Res> resources;
    for (const SlotView& s : shown)
        if (std::none_of(resources.begin(), resources.end(), [&](const Res& r) { return r.id == s.resource; }))
            resources.push_back({s.resource, s.resource_name, s.type});
    auto type_rank = [](const std::string& t) { return t == "room" ? 0 : t == "equipment" ? 1 : 2; };
    std::sort(resources.begin(), resources.end(), [&](const Res& a, const Res& b) {
        return type_rank(a.type) != type_rank(b.type) ? type_rank(a.type) < type_rank(b.type) : a.name < b.name;
    });
    constexpr std::size_t kMaxRows = 60;   // one centre's rooms and equipment; more is cut, said below
    const bool cut = resources.size() > kMaxRows;
    if (cut) resources.resize(kMaxRows);

    std::string b = flash(req);
    Opts centres;
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    Opts types{{"", tr("bookings.filter.type_any")}, {"room", resource_type_label("room")}, {"equipment", resource_type_label("equipment")},
               {"consultation", resource_type_label("consultation")}};
    b += "<form method=\"get\" action=\"/admin/bookings\" class=\"filters\" id=\"bookings-filter\"><label>" + esc(tr("bookings.filter.centre")) +
         sel("centre", centres, q.centre) + "</label><label>" + esc(tr("bookings.filter.week")) + "<input type=\"date\" name=\"week\" value=\"" +
         esc(q.week) + "\"></label><label>" + esc(tr("bookings.filter.type")) + sel("type", types, q.type) + "</label><button>" +
         esc(tr("bookings.filter.submit")) + "</button></form>";
    CalQuery prev = q, next = q;
    prev.week = add_days(q.week, -7);
    next.week = add_days(q.week, 7);
    b += "<p class=\"actions noprint\"><a class=\"button\" href=\"" + esc(cal_url(prev)) + "\" id=\"week-prev\">" + esc(tr("bookings.week.prev")) +
         "</a><a class=\"button\" href=\"" + esc(cal_url(next)) + "\" id=\"week-next\">" + esc(tr("bookings.week.next")) + "</a>";
    if (c.role >= Role::Editor)
        b += "<a class=\"button primary\" href=\"/admin/bookings/slots/new?centre=" + url_encode(q.centre) + "\">" + esc(tr("bookings.publish.link")) +
             "</a>";
    b += "<a class=\"button\" href=\"/admin/bookings.csv?centre=" + url_encode(q.centre) + "&from=" + url_encode(q.week) + "&to=" + url_encode(last) +
         (q.type.empty() ? "" : "&type=" + url_encode(q.type)) + "\" id=\"bookings-csv-week\">" + esc(tr("bookings.csv.week")) +
         "</a><a class=\"button\" href=\"/admin/bookings.csv\" id=\"bookings-csv-all\">" + esc(tr("bookings.csv.all")) + "</a></p>";

    b += "<h2>" + esc(trf("bookings.week.heading", {{"centre", centre_name(cat, q.centre)}, {"from", date_label(q.week)}, {"to", date_label(last)}})) +
         "</h2>";
    if (resources.empty()) {
        b += "<p class=\"muted\" id=\"bookings-none\">" + esc(tr("bookings.week.none")) + "</p>";
    } else {
        b += "<div class=\"scroll\"><table class=\"calendar\" id=\"bookings-calendar\"><thead><tr>" + th(tr("bookings.col.resource"));
        // Short day heads ("12/12（土）"): seven long era dates do not fit a screen's width.
        for (int d = 0; d < 7; ++d) {
            const std::string day = add_days(q.week, d);
            b += th(trf("bookings.day_head", {{"m", std::to_string(std::stoi(day.substr(5, 2)))}, {"d", std::to_string(std::stoi(day.substr(8, 2)))},
                                              {"wd", tr(std::string("bookings.weekday.") + std::to_string(d))}}));
        }
        b += "</tr></thead><tbody>";
        for (const Res& r : resources) {
            b += "<tr data-resource=\"" + esc(r.id) + "\"><th class=\"lbl\">" + esc(r.name) + "<br><small class=\"muted\">" +
                 esc(resource_type_label(r.type)) + "</small></th>";
            for (int d = 0; d < 7; ++d) {
                const std::string day = add_days(q.week, d);
                b += "<td>";
                for (const SlotView& s : shown) {
                    if (s.resource != r.id || s.date != day) continue;
                    const BookingView* holder = nullptr;
                    int waiting = 0;
                    for (const BookingView* bk : by_slot[s.id]) {
                        if (bk->status == "confirmed" && !holder) holder = bk;
                        if (bk->status == "waitlisted") ++waiting;
                    }
                    const std::string state = s.blocked ? "blocked" : holder ? "booked" : "free";
                    b += "<div class=\"slot s-" + state + "\" data-slot=\"" + esc(s.id) + "\" data-state=\"" + state + "\"><a href=\"/admin/bookings/slots/" +
                         url_encode(s.id) + "\">" + esc(s.from + "–" + s.to) + "</a> <span class=\"state\">" + esc(tr(std::string("bookings.state.") + state)) + "</span>";
                    if (s.blocked && !s.blocked_reason.empty()) b += " <small class=\"reason\">" + esc(s.blocked_reason) + "</small>";
                    if (holder) {
                        b += "<div class=\"holder\">" + who(c, *holder) + "</div>";
                        if (!holder->mark.mark.empty())
                            b += "<span class=\"status mark-" + esc(holder->mark.mark) + "\" data-mark=\"" + esc(holder->mark.mark) + "\">" +
                                 esc(mark_label(holder->mark.mark)) + "</span>";
                        b += mark_buttons(c, s, *holder, cal_url(q));
                    }
                    if (waiting > 0) b += " <span class=\"status waitlisted\">" + esc(trf("bookings.waiting", {{"n", std::to_string(waiting)}})) + "</span>";
                    b += "</div>";
                }
                b += "</td>";
            }
            b += "</tr>";
        }
        b += "</tbody></table></div>";
        if (cut) b += "<p class=\"muted\">" + esc(trf("bookings.week.cut", {{"n", std::to_string(kMaxRows)}})) + "</p>";
    }
    int booked = 0;
    for (const BookingView& bk : books) booked += bk.status == "confirmed" ? 1 : 0;
    if (!books.empty())
        app.audit(c, "view_bookings", q.centre + " " + q.week, std::to_string(booked) + " bookings, " + std::to_string(books.size()) + " sign-ups");
    send_html(res, 200, page(c, tr("bookings.title"), b, "/admin/bookings"));
}

std::string window_line(const SlotView& s) {
    std::string o;
    if (!s.priority_opens.empty()) o += trf("bookings.slot.priority_opens", {{"at", date_label(s.priority_opens)}}) + " ";
    if (!s.signup_opens.empty()) o += trf("bookings.slot.signup_opens", {{"at", date_label(s.signup_opens)}}) + " ";
    if (!s.signup_closes.empty()) o += trf("bookings.slot.signup_closes", {{"at", date_label(s.signup_closes)}});
    return o;
}

void slot_page(App& app, Ctx& c, const std::string& id, httplib::Response& res, const std::string& error, int status,
               const httplib::Request* req) {
    const Json cat = app.catalog();
    const Json* a = find_by_id(cat["activities"], id);
    const auto s = a ? slot_view(*a) : std::nullopt;
    if (!s) return not_found(c, res, trf("bookings.err.no_slot", {{"id", id}}));
    const auto books = bookings_of(app, cat, {*s});
    const std::string back = "/admin/bookings/slots/" + url_encode(s->id);
    std::string b = req ? flash(*req) : "";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\" id=\"slot-error\">" + esc(error) + "</p>";
    b += "<dl class=\"panel\" id=\"slot-facts\"><dt>" + esc(tr("bookings.col.resource")) + "</dt><dd>" + esc(trf("bookings.resource_and_type", {{"name", s->resource_name}, {"type", resource_type_label(s->type)}})) + "</dd><dt>" + esc(tr("bookings.col.centre")) + "</dt><dd>" + esc(centre_name(cat, s->centre_id)) +
         (s->place.empty() ? "" : " " + esc(s->place)) + "</dd><dt>" + esc(tr("bookings.col.when")) + "</dt><dd>" +
         esc(date_label(s->starts_at)) + "–" + esc(s->to) + "</dd><dt>" + esc(tr("bookings.col.window")) + "</dt><dd>" + esc(window_line(*s)) +
         "</dd><dt>" + esc(tr("bookings.col.state")) + "</dt><dd data-state=\"" + (s->blocked ? "blocked" : s->taken > 0 ? "booked" : "free") + "\">" +
         esc(tr(s->blocked ? "bookings.state.blocked" : s->taken > 0 ? "bookings.state.booked" : "bookings.state.free")) +
         (s->blocked ? " " + esc(s->blocked_reason) : "") + "</dd></dl>";
    CalQuery cq{s->centre_id, week_start(s->date), ""};
    b += "<p><a href=\"" + esc(cal_url(cq)) + "\">" + esc(tr("bookings.back_to_calendar")) + "</a></p>";

    b += "<h2>" + esc(tr("bookings.slot.bookings")) + "</h2><table id=\"slot-bookings\"><thead><tr>" + th(tr("bookings.col.receipt")) +
         th(tr("bookings.col.status")) + th(tr("bookings.col.group")) + th(tr("bookings.col.person")) + th(tr("bookings.col.purpose")) +
         th(tr("bookings.col.mark")) + th(tr("bookings.col.history")) + "</tr></thead><tbody>";
    for (const BookingView& bk : books) {
        std::string person;
        if (may_see_names(c)) {
            person = bk.name;
            std::string contact = bk.phone;
            if (!bk.email.empty()) contact += (contact.empty() ? "" : " / ") + bk.email;
            if (!contact.empty()) person += " " + contact;
        }
        std::string purpose = s->type == "consultation" ? topic_label(bk.topic) + (bk.topic_text.empty() ? "" : " " + bk.topic_text) : bk.purpose;
        std::string hist;
        for (const BookingMark& m : bk.history)
            hist += "<li" + std::string(m.live() ? "" : " class=\"undone\"") + ">" + esc(mark_label(m.mark)) + " " + esc(m.by) + " " +
                    esc(jst_datetime(m.at)) +
                    (m.live() ? "" : " " + esc(trf("bookings.undone", {{"by", m.undone_by}, {"at", jst_datetime(m.undone_at)}}))) + "</li>";
        b += "<tr data-receipt=\"" + esc(bk.r.rec.receipt) + "\" data-status=\"" + esc(bk.status) + "\"><td>" + esc(bk.r.rec.receipt) +
             "</td><td><span class=\"status " + esc(bk.status) + "\">" + esc(signup_status_ja(bk.status)) + "</span></td><td>" + who(c, bk) +
             "</td><td>" + esc(person) + "</td><td class=\"text\">" + esc(purpose) + "</td><td>" +
             (bk.mark.mark.empty() ? "" : "<span class=\"status\" data-mark=\"" + esc(bk.mark.mark) + "\">" + esc(mark_label(bk.mark.mark)) + "</span>") +
             mark_buttons(c, *s, bk, back);
        if (c.role >= Role::Editor && !bk.mark.mark.empty())
            b += "<form method=\"post\" action=\"/admin/bookings/unmark\" class=\"inline\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"id\" value=\"" + esc(bk.r.rec.id) + "\"><input type=\"hidden\" name=\"expect\" value=\"" +
                 esc(bk.mark.mark) + "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(back) + "\"><button class=\"small\" data-undo=\"" +
                 esc(bk.mark.mark) + "\">" + esc(trf("bookings.undo", {{"mark", mark_label(bk.mark.mark)}})) + "</button></form>";
        b += "</td><td><ul class=\"history\">" + hist + "</ul></td></tr>";
    }
    if (books.empty()) b += "<tr><td colspan=\"7\" class=\"muted\">" + esc(tr("bookings.slot.no_bookings")) + "</td></tr>";
    b += "</tbody></table>";
    if (may_see_names(c) && !books.empty()) app.audit(c, "view_slot_bookings", s->id, std::to_string(books.size()) + " sign-ups");

    if (c.role >= Role::Editor) {
        if (s->blocked) {
            b += "<h2>" + esc(tr("bookings.unblock.title")) + "</h2><form method=\"post\" action=\"/admin/bookings/unblock\" id=\"unblock-form\">" +
                 csrf_field(c) + "<input type=\"hidden\" name=\"slot\" value=\"" + esc(s->id) + "\"><button>" + esc(tr("bookings.unblock.button")) +
                 "</button></form>";
        } else {
            b += "<h2>" + esc(tr("bookings.block.title")) + "</h2><p>" + esc(tr("bookings.block.lead")) +
                 "</p><form method=\"post\" action=\"/admin/bookings/block\" id=\"block-form\" class=\"stack\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"slot\" value=\"" + esc(s->id) + "\"><label>" + esc(tr("bookings.block.reason")) +
                 "<input name=\"reason\" maxlength=\"200\" required></label>";
            if (s->taken > 0)
                b += "<label class=\"warn\"><span><input type=\"checkbox\" name=\"confirm\" value=\"1\"> " + esc(tr("bookings.block.confirm_booked")) +
                     "</span></label>";
            b += "<button class=\"danger\">" + esc(tr("bookings.block.button")) + "</button></form>";
        }
    }
    send_html(res, status, page(c, s->title, b, "/admin/bookings"));
}

// Republishes a slot with extra.slot.blocked / blocked_reason changed (a new catalog version,
// so kiosks stop offering it at their next pull). False when it is not a slot any more.
std::int64_t republish_blocked(App& app, const Json& a, bool blocked, const std::string& reason) {
    Json j = a;
    j["extra"]["slot"]["blocked"] = blocked;
    j["extra"]["slot"]["blocked_reason"] = blocked ? reason : "";
    j.erase("version");
    CatalogDelta d;
    d.activities.push_back(activity_from_json(j));
    return app.st.import_catalog(d);
}

void mark_post(App& app, Ctx& c, httplib::Response& res, bool undo) {
    const std::string id = form_value(c, "id"), expect = form_value(c, "expect");
    const std::string mark = undo ? expect : form_value(c, "mark");
    const auto rec = app.st.record(id);
    if (!rec || rec->kind != "sign_up") return deny(c, res, tr("bookings.err.no_booking"));
    const Json pl = Json::parse(rec->payload, nullptr, false);
    const Json cat = app.catalog();
    const Json* a = pl.is_object() ? find_by_id(cat["activities"], pl.value("activity_id", "")) : nullptr;
    const auto s = a ? slot_view(*a) : std::nullopt;
    if (!s) return deny(c, res, tr("bookings.err.no_booking"));
    const bool consult = s->type == "consultation";
    const bool fits = consult ? (mark == "held" || mark == "no_show") : (mark == "lent" || mark == "returned");
    if (!fits) return deny(c, res, tr(consult ? "bookings.err.consult_marks" : "bookings.err.lend_marks"));
    if (!undo && rec->signup_status != "confirmed") return deny(c, res, tr("bookings.err.not_confirmed"));
    const std::string now = rfc3339_now();
    const std::int64_t n = undo ? app.st.bookings().undo_mark(id, expect, c.s.user, now)
                                : app.st.bookings().add_mark(id, mark, expect, c.s.user, now);
    if (n == 0) return deny(c, res, tr(undo ? "bookings.err.undo_stale" : "bookings.err.mark_stale"));
    const std::string group = pl.value("group", "");
    app.audit(c, undo ? "booking_unmark" : "booking_mark", rec->receipt,
              mark + " " + s->id + (group.empty() ? "" : " " + group) + " (mark " + std::to_string(n) + ")");
    const std::string msg = undo ? trf("bookings.msg.undone", {{"mark", mark_label(mark)}, {"receipt", rec->receipt}})
                                 : trf("bookings.msg.marked", {{"mark", mark_label(mark)}, {"receipt", rec->receipt}});
    redirect(res, with_msg(back_to(c, "/admin/bookings/slots/" + url_encode(s->id)), msg));
}

}  // namespace

void install_bookings(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/bookings", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { calendar(app, c, q, r); });
    app.get(svr, R"(/admin/bookings/slots/([^/]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        // /admin/bookings/slots/new (slots_publish.cpp) is registered before this route.
        slot_page(app, c, req.matches[1], res, "", 200, &req);
    });
    app.post(svr, "/admin/bookings/mark", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { mark_post(app, c, res, false); });
    app.post(svr, "/admin/bookings/unmark", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { mark_post(app, c, res, true); });
    app.post(svr, "/admin/bookings/block", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "slot"), reason = trim(form_value(c, "reason"));
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], id);
        const auto s = a ? slot_view(*a) : std::nullopt;
        if (!s) return not_found(c, res, trf("bookings.err.no_slot", {{"id", id}}));
        if (s->blocked) return slot_page(app, c, id, res, tr("bookings.err.already_blocked"), 409, nullptr);
        if (reason.empty() || reason.size() > 600) return slot_page(app, c, id, res, tr("bookings.err.block_reason"), 400, nullptr);
        // Booked already: staff confirm that they will call the group; the booking stays (a
        // cancellation is the roster's, which also tells the resident).
        if (s->taken > 0 && form_value(c, "confirm") != "1") return slot_page(app, c, id, res, tr("bookings.err.block_booked"), 409, nullptr);
        const std::int64_t v = republish_blocked(app, *a, true, reason);
        app.audit(c, "block_slot", id, reason + (s->taken > 0 ? " (while booked)" : "") + "; catalog version " + std::to_string(v));
        redirect(res, with_msg("/admin/bookings/slots/" + url_encode(id), trf("bookings.msg.blocked", {{"title", s->title}})));
    });
    app.post(svr, "/admin/bookings/unblock", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "slot");
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], id);
        const auto s = a ? slot_view(*a) : std::nullopt;
        if (!s) return not_found(c, res, trf("bookings.err.no_slot", {{"id", id}}));
        if (!s->blocked) return slot_page(app, c, id, res, tr("bookings.err.not_blocked"), 409, nullptr);
        const std::int64_t v = republish_blocked(app, *a, false, "");
        app.audit(c, "unblock_slot", id, "catalog version " + std::to_string(v));
        redirect(res, with_msg("/admin/bookings/slots/" + url_encode(id), trf("bookings.msg.unblocked", {{"title", s->title}})));
    });
}

}  // namespace kyodo::server::web
