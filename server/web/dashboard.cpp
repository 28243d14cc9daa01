// Home, the kiosk fleet (enrol, revoke, USB bundle import), the audit log and staff accounts.
#include <set>

#include "core/timeutil.h"
#include "server/admin.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/text.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {

std::string card(const std::string& href, std::int64_t n, const std::string& label) {
    return "<div class=\"card\"><a href=\"" + esc(href) + "\"><div class=\"n\">" + std::to_string(n) +
           "</div><div class=\"l\">" + esc(label) + "</div></a></div>";
}

bool stale(const Device& d) {
    const auto ms = parse_rfc3339(d.last_seen_at);
    return !ms || now_millis() - *ms > 24LL * 3600 * 1000;
}

void home(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    if (c.role == Role::Department) return redirect(res, "/admin/survey");   // the only page a department account has
    const StorageCounts n = app.st.counts();
    // The centres (names) and the next 8 activities with places, read as such: not the whole
    // catalog (2,000 listings parsed from JSON were a third of this page's time).
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    auto& adm = app.st.admin();
    std::int64_t untriaged = 0, unanswered = 0, pending_props = 0;
    // Counted in the database: the home page must not load every record (100,000 of them).
    for (const auto& x : adm.state_counts("opinion"))
        if (x.state.empty() || x.state == "new") untriaged += x.n;
    for (const auto& x : adm.state_counts("public_comment"))
        if (!x.noted) unanswered += x.n;
    for (const auto& x : adm.state_counts("proposal"))
        if (x.state.empty() || x.state == "received" || x.state == "under_review") pending_props += x.n;
    auto kinds = [&](const char* k) {
        auto it = n.records_by_kind.find(k);
        return it == n.records_by_kind.end() ? std::int64_t{0} : it->second;
    };
    std::string b = flash(req);
    b += "<h2>" + esc(tr("dashboard.home.todo")) + "</h2><div class=\"cards\">" +
         card("/admin/opinions?state=new", untriaged, tr("dashboard.home.card.untriaged")) +
         card("/admin/comments", unanswered, tr("dashboard.home.card.unanswered")) +
         card("/admin/proposals", pending_props, tr("dashboard.home.card.pending_proposals"));
    std::int64_t attention = 0;
    const auto devs = app.st.devices();
    for (const Device& d : devs)
        if (!d.revoked && (stale(d) || d.backlog > 0)) ++attention;
    b += card("/admin/fleet", attention, tr("dashboard.home.card.kiosks_attention")) + "</div>";
    b += "<h2>" + esc(tr("dashboard.home.received")) + "</h2><div class=\"cards\">" +
         card("/admin/activities", kinds("sign_up"), tr("dashboard.home.card.signups")) +
         card("/admin/opinions", kinds("opinion"), tr("dashboard.home.card.opinions")) +
         card("/admin/surveys", kinds("survey_response"), tr("dashboard.home.card.survey_responses")) +
         card("/admin/comments", kinds("public_comment"), tr("dashboard.home.card.public_comments")) +
         card("/admin/proposals", kinds("proposal"), tr("dashboard.home.card.proposals")) + "</div>";
    b += "<h2>" + esc(tr("dashboard.home.published")) + "</h2><div class=\"cards\">" +
         card("/admin/activities", n.activities, tr("dashboard.home.card.activities")) +
         card("/admin/organizations", n.organizations, tr("dashboard.home.card.organizations")) +
         card("/admin/centres", n.centres, tr("dashboard.home.card.centres")) +
         card("/admin/surveys", n.surveys, tr("dashboard.home.card.surveys")) +
         card("/admin/fleet", n.devices - n.devices_revoked, tr("dashboard.home.card.kiosks_active")) +
         "</div><p class=\"muted\">" + esc(trf("dashboard.home.catalog_version", {{"n", std::to_string(n.catalog_version)}})) +
         "</p>";

    // Upcoming activities with sign-ups.
    b += "<h2>" + esc(tr("dashboard.home.upcoming")) + "</h2><table><thead><tr><th>" + esc(tr("dashboard.col.when")) +
         "</th><th>" + esc(tr("dashboard.col.title")) + "</th><th>" + esc(tr("dashboard.col.venue")) +
         "</th><th class=\"num\">" + esc(tr("dashboard.col.capacity")) + "</th><th class=\"num\">" +
         esc(tr("dashboard.col.confirmed")) + "</th><th></th></tr></thead><tbody>";
    Storage::CatalogFilter upcoming;
    upcoming.starts_from = jst_today();
    const auto acts = app.st.catalog_page("activities", upcoming, 8, 0).items;
    for (const Json& x : acts) {
        const Json* a = &x;
        b += "<tr><td>" + esc(date_label(str(*a, "starts_at"))) + "</td><td>" + esc(str(*a, "title")) + "</td><td>" +
             esc(centre_name(cat, str(*a, "centre_id"))) + "</td><td class=\"num\">" + std::to_string(a->value("capacity", 0)) +
             "</td><td class=\"num\">" + std::to_string(a->value("taken", 0)) + "</td><td><a href=\"/admin/roster/" +
             url_encode(str(*a, "id")) + "\">" + esc(tr("dashboard.home.roster")) + "</a></td></tr>";
    }
    b += "</tbody></table>";
    send_html(res, 200, page(c, tr("dashboard.home.title"), b, "/admin"));
}

// Kiosks a page (?page=N, by id); staff accounts a page (by user name).
constexpr std::size_t kFleetPage = 100;
constexpr std::size_t kStaffPage = 100;

void fleet(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    Json cat = Json::object();   // the centres only (names, the enrol form), never the whole catalog
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    const std::int64_t total = app.st.device_count();
    const std::size_t pg = page_within(page_param(req), kFleetPage, total);
    std::string b = flash(req);
    b += "<p>" + esc(tr("dashboard.fleet.intro")) + "</p><table><thead><tr><th>" + esc(tr("dashboard.fleet.col.kiosk")) +
         "</th><th>" + esc(tr("dashboard.fleet.col.centre")) + "</th><th>" + esc(tr("dashboard.fleet.col.last_seen")) +
         "</th><th>" + esc(tr("dashboard.fleet.col.app_version")) + "</th><th class=\"num\">" +
         esc(tr("dashboard.fleet.col.backlog")) + "</th><th>" + esc(tr("dashboard.fleet.col.state")) +
         "</th><th class=\"noprint\"></th></tr></thead><tbody>";
    for (const Device& d : app.st.devices_page(kFleetPage, (pg - 1) * kFleetPage)) {
        std::string state = d.revoked ? "<span class=\"status revoked\">" + esc(tr("dashboard.fleet.state.revoked")) + "</span>"
                            : stale(d) ? "<span class=\"status stale\">" + esc(tr("dashboard.fleet.state.stale")) + "</span>"
                                       : "<span class=\"status active\">" + esc(tr("dashboard.fleet.state.active")) + "</span>";
        b += "<tr><td>" + esc(d.kiosk_id) + "</td><td>" + esc(centre_name(cat, d.centre_id)) + "</td><td>" +
             esc(d.last_seen_at.empty() ? tr("html.ago.never")
                                      : trf("dashboard.fleet.last_seen", {{"at", jst_datetime(d.last_seen_at)}, {"ago", ago_ja(d.last_seen_at)}})) +
             "</td><td>" + esc(d.app_version.empty() ? "—" : d.app_version) + "</td><td class=\"num\">" +
             std::to_string(d.backlog) + "</td><td>" + state + "</td><td class=\"noprint\">";
        if (c.role >= Role::Admin && !d.revoked)
            b += "<form class=\"inline\" method=\"post\" action=\"/admin/fleet/revoke\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"kiosk\" value=\"" + esc(d.kiosk_id) +
                 "\"><button class=\"danger\">" + esc(tr("dashboard.fleet.revoke")) + "</button></form>";
        b += "</td></tr>";
    }
    b += "</tbody></table>" + pager_pages("/admin/fleet?", pg, kFleetPage, total);
    if (c.role >= Role::Admin) {
        b += "<h2>" + esc(tr("dashboard.fleet.enrol.title")) + "</h2><form class=\"inline\" method=\"post\" action=\"/admin/fleet/enrol\">" +
             csrf_field(c) + "<label>" + esc(tr("dashboard.fleet.enrol.kiosk_id")) +
             " <input name=\"kiosk\" required pattern=\"[A-Za-z0-9_.-]{1,64}\" placeholder=\"ohdono-1\"></label>"
             "<label>" + esc(tr("dashboard.fleet.col.centre")) + " <select name=\"centre\">";
        for (const Json& ce : cat["centres"])
            b += "<option value=\"" + esc(str(ce, "id")) + "\">" + esc(str(ce, "name")) + "</option>";
        b += "</select></label><button class=\"primary\">" + esc(tr("dashboard.fleet.enrol.submit")) + "</button></form>"
             "<p class=\"hint\">" + esc(tr("dashboard.fleet.enrol.hint")) + "</p>";
    }
    if (c.role >= Role::Editor) {
        b += "<h2>" + esc(tr("dashboard.fleet.import.title")) + "</h2><p>" +
             trh("dashboard.fleet.import.intro", {{"format", "<code>kyodo-bundle/1</code>"}}) + "</p>"
             "<form class=\"inline\" method=\"post\" action=\"/admin/fleet/import\" enctype=\"multipart/form-data\">" +
             csrf_field(c) + "<input type=\"file\" name=\"bundle\" accept=\".json,application/json\" required>"
             "<button class=\"primary\">" + esc(tr("dashboard.fleet.import.submit")) + "</button></form>";
    }
    send_html(res, 200, page(c, tr("dashboard.fleet.title"), b, "/admin/fleet"));
}

// 100 entries a page, newest first, keyset on the entry id (?before=ID), optionally one action.
constexpr std::size_t kAuditPage = 100;

void audit_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const std::string action = req.has_param("action") ? req.get_param_value("action").substr(0, 100) : "";
    std::int64_t before = 0;
    if (req.has_param("before")) {
        try {
            before = std::max<std::int64_t>(0, std::stoll(req.get_param_value("before")));
        } catch (const std::exception&) {
            before = 0;
        }
    }
    auto rows = app.st.admin().audit_page(before, action, kAuditPage + 1);
    const bool more = rows.size() > kAuditPage;
    if (more) rows.pop_back();
    const std::int64_t total = app.st.admin().audit_count(action);
    std::string b = "<p>" + esc(tr("dashboard.audit.intro")) + "</p><form class=\"filters\" method=\"get\"><label>" +
                    esc(tr("dashboard.audit.action_filter")) + " <input name=\"action\" value=\"" + esc(action) +
                    "\" placeholder=\"export\"></label><button>" + esc(tr("dashboard.audit.filter")) + "</button></form><p class=\"muted\">" +
                    esc(trf("dashboard.audit.total", {{"n", std::to_string(total)}})) + "</p><table><thead><tr><th>" + esc(tr("dashboard.col.when")) +
                    "</th><th>" + esc(tr("dashboard.audit.col.staff")) + "</th><th>" + esc(tr("dashboard.audit.col.action")) +
                    "</th><th>" + esc(tr("dashboard.audit.col.target")) + "</th><th>" + esc(tr("dashboard.audit.col.detail")) +
                    "</th></tr></thead><tbody>";
    for (const AuditEntry& e : rows)
        b += "<tr><td>" + esc(jst_datetime(e.at)) + "</td><td>" + esc(e.user) + "</td><td>" + esc(e.action) + "</td><td>" +
             esc(e.target) + "</td><td>" + esc(e.detail) + "</td></tr>";
    b += "</tbody></table>";
    const std::string base = "/admin/audit?action=" + url_encode(action);
    if (before || more) {
        b += "<nav class=\"pager\" aria-label=\"" + esc(tr("inbox.pager.label")) + "\">";
        if (before) b += "<a class=\"button\" href=\"" + esc(base) + "\">" + esc(tr("inbox.pager.newest")) + "</a> ";
        if (more && !rows.empty())
            b += "<a class=\"button\" rel=\"next\" href=\"" + esc(base + "&before=" + std::to_string(rows.back().id)) + "\">" +
                 esc(tr("inbox.pager.older")) + "</a>";
        b += "</nav>";
    }
    b += "<p><a class=\"button\" href=\"/admin/export/audit.csv\">" + esc(tr("dashboard.audit.csv")) + "</a></p>";
    send_html(res, 200, page(c, tr("dashboard.audit.title"), b));
}

// The departments the register knows (担当課 of any year's projects), offered when adding an account.
std::string department_list(App& app) {
    std::set<std::string> d;
    for (const Project& p : app.st.civic().projects(0))
        if (!p.department.empty()) d.insert(p.department);
    std::string o = "<datalist id=\"departments\">";
    for (const auto& x : d) o += "<option value=\"" + esc(x) + "\">";
    return o + "</datalist>";
}

void staff_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto depts = app.st.civic().staff_departments();
    const std::int64_t total = app.st.admin().staff_count();
    const std::size_t pg = page_within(page_param(req), kStaffPage, total);
    std::string b = flash(req) + "<table><thead><tr><th>" + esc(tr("dashboard.staff.col.user")) + "</th><th>" +
                    esc(tr("dashboard.staff.col.role")) + "</th><th>" + esc(tr("dashboard.staff.col.department")) + "</th><th>" +
                    esc(tr("dashboard.staff.col.created")) + "</th><th>" + esc(tr("dashboard.staff.col.state")) +
                    "</th></tr></thead><tbody>";
    for (const StaffUser& u : app.st.admin().staff_page(kStaffPage, (pg - 1) * kStaffPage)) {
        const auto d = depts.find(u.user);
        b += "<tr><td>" + esc(u.user) + "</td><td>" + esc(role_label(u.role)) + "</td><td>" +
             esc(u.role == "department" && d != depts.end() ? d->second : "—") + "</td><td>" + esc(jst_datetime(u.created_at)) +
             "</td><td>" + esc(tr(u.disabled ? "dashboard.staff.disabled" : "dashboard.staff.enabled")) + "</td></tr>";
    }
    b += "</tbody></table>" + pager_pages("/admin/staff?", pg, kStaffPage, total);
    // Accounts with failed logins, whatever page they are on: from the throttle's table (bounded),
    // those that are accounts.
    std::string locked;
    for (const auto& [key, n] : app.throttle.failing("login:", 200)) {
        const std::string user = key.substr(6);
        if (!app.st.admin().staff(user)) continue;
        locked += "<li>" + esc(user) + esc(trf("dashboard.staff.failures", {{"n", std::to_string(n)}})) +
                  "<form method=\"post\" action=\"/admin/staff/unlock\" class=\"inline\">" + csrf_field(c) +
                  "<input type=\"hidden\" name=\"user\" value=\"" + esc(user) + "\"><button>" +
                  esc(tr("dashboard.staff.unlock")) + "</button></form></li>";
    }
    if (!locked.empty()) b += "<h2>" + esc(tr("dashboard.staff.locked")) + "</h2><ul class=\"plain\">" + locked + "</ul>";
    b += "<h2>" + esc(tr("dashboard.staff.edit.title")) + "</h2><form class=\"stack\" method=\"post\" action=\"/admin/staff\">" +
         csrf_field(c) + "<label>" + esc(tr("dashboard.staff.col.user")) + "<input name=\"user\" required></label><label>" +
         esc(tr("dashboard.staff.col.role")) + "<select name=\"role\"><option value=\"department\">" +
         esc(tr("dashboard.staff.role.department")) + "</option><option value=\"viewer\" selected>" +
         esc(tr("dashboard.staff.role.viewer")) + "</option><option value=\"editor\">" + esc(tr("dashboard.staff.role.editor")) +
         "</option><option value=\"admin\">" + esc(tr("dashboard.staff.role.admin")) + "</option></select></label><label>" +
         esc(tr("dashboard.staff.edit.department")) +
         "<input name=\"department\" maxlength=\"200\" list=\"departments\"></label>" + department_list(app) + "<label>" +
         esc(tr("dashboard.staff.edit.password")) +
         "<input type=\"password\" name=\"password\" autocomplete=\"new-password\" required></label>"
         "<label><span><input type=\"checkbox\" name=\"disabled\" value=\"1\"> " + esc(tr("dashboard.staff.edit.disable")) +
         "</span></label><button class=\"primary\">" + esc(tr("dashboard.staff.edit.save")) + "</button></form>";
    send_html(res, 200, page(c, tr("dashboard.staff.title"), b));
}

}  // namespace

void install_dashboard(App& app, httplib::Server& svr) {
    app.get(svr, "/admin", Role::Department, [&app](Ctx& c, const auto& q, auto& r) { home(app, c, q, r); });   // departments: redirected to /admin/survey
    app.get(svr, "/admin/fleet", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { fleet(app, c, q, r); });
    app.get(svr, "/admin/audit", Role::Admin, [&app](Ctx& c, const auto& q, auto& r) { audit_page(app, c, q, r); });
    app.get(svr, "/admin/staff", Role::Admin, [&app](Ctx& c, const auto& q, auto& r) { staff_page(app, c, q, r); });

    app.post(svr, "/admin/staff", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        try {
            add_staff(app.st, c.form["user"], c.form["role"], c.form["password"], c.form["department"]);
            if (c.form["disabled"] == "1") {
                auto u = app.st.admin().staff(c.form["user"]);
                u->disabled = true;
                app.st.admin().put_staff(*u);
            }
        } catch (const std::invalid_argument& e) {
            return redirect(res, "/admin/staff?msg=" + url_encode(trf("dashboard.staff.msg.error", {{"why", e.what()}})));
        }
        // A new password (or a disabled account) ends every session the account had.
        app.st.admin().delete_sessions_of(c.form["user"]);
        app.audit(c, "staff_update", c.form["user"],
                  c.form["role"] + (c.form["role"] == "department" ? " " + trim(c.form["department"]) : "") +
                      (c.form["disabled"] == "1" ? " disabled" : ""));
        redirect(res, "/admin/staff?msg=" + url_encode(trf("dashboard.staff.msg.saved", {{"user", c.form["user"]}})));
    });

    // Lets an account whose logins are being delayed (failed attempts) log in again at once.
    app.post(svr, "/admin/staff/unlock", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string user = c.form["user"];
        app.throttle.clear("login:" + user);
        app.audit(c, "staff_unlock", user, "");
        redirect(res, "/admin/staff?msg=" + url_encode(trf("dashboard.staff.msg.unlocked", {{"user", user}})));
    });

    app.post(svr, "/admin/fleet/enrol", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string kiosk = c.form["kiosk"], centre = c.form["centre"];
        std::string token;
        try {
            token = enrol_kiosk(app.st, kiosk, centre);
        } catch (const AdminError& e) {
            return redirect(res, "/admin/fleet?msg=" + url_encode(trf("dashboard.fleet.msg.enrol_error", {{"why", e.what()}})));
        }
        app.audit(c, "enrol_kiosk", kiosk, centre);
        const Json cfg = kiosk_config_json(kiosk, centre, app.opts.server_url.empty() ? "https://CITY-HALL-SERVER" : app.opts.server_url,
                                           token, app.keys.public_key_b64, "kiosk.db");
        std::string b = "<p class=\"notice\">" +
                        trh("dashboard.fleet.enrolled.notice", {{"kiosk", "<strong>" + esc(kiosk) + "</strong>"}}) +
                        "</p><p class=\"warn\">" + esc(tr("dashboard.fleet.enrolled.warn")) + "</p><h2>" +
                        esc(tr("dashboard.fleet.enrolled.key")) + "</h2><p class=\"token\">" + esc(token) +
                        "</p><h2>kiosk.json</h2><p>" + esc(tr("dashboard.fleet.enrolled.save")) + "</p><pre class=\"token\">" +
                        esc(cfg.dump(2)) + "</pre><p><a href=\"/admin/fleet\">" + esc(tr("dashboard.fleet.back")) + "</a></p>";
        send_html(res, 200, page(c, tr("dashboard.fleet.enrolled.title"), b, "/admin/fleet"));
    });

    app.post(svr, "/admin/fleet/revoke", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string kiosk = c.form["kiosk"];
        if (!app.st.revoke_device(kiosk, rfc3339_now()))
            return redirect(res, "/admin/fleet?msg=" + url_encode(trf("dashboard.fleet.msg.unknown", {{"kiosk", kiosk}})));
        app.audit(c, "revoke_kiosk", kiosk, "");
        redirect(res, "/admin/fleet?msg=" + url_encode(trf("dashboard.fleet.msg.revoked", {{"kiosk", kiosk}})));
    });

    app.post(svr, "/admin/fleet/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        if (!req.has_file("bundle")) return redirect(res, "/admin/fleet?msg=" + url_encode(tr("dashboard.fleet.msg.no_file")));
        const auto file = req.get_file_value("bundle");
        IngestResult r;
        try {
            r = import_bundle(app.st, app.keys, file.content);
        } catch (const std::invalid_argument& e) {
            return redirect(res, "/admin/fleet?msg=" + url_encode(trf("dashboard.fleet.msg.import_error", {{"why", e.what()}})));
        }
        const std::string summary = trf("dashboard.fleet.import.summary", {{"stored", std::to_string(r.stored)},
                                                                           {"duplicate", std::to_string(r.duplicate)},
                                                                           {"rejected", std::to_string(r.rejected)},
                                                                           {"conflict", std::to_string(r.conflict)}});
        app.audit(c, "import_bundle", file.filename, summary);
        std::string b = "<p class=\"notice\">" +
                        esc(trf("dashboard.fleet.import.done", {{"file", file.filename}, {"summary", summary}})) + "</p>";
        if (r.rejected || r.conflict) {
            b += "<h2>" + esc(tr("dashboard.fleet.import.rejected")) + "</h2><table><thead><tr><th>ID</th><th>" +
                 esc(tr("dashboard.fleet.import.col.result")) + "</th><th>" + esc(tr("dashboard.fleet.import.col.reason")) +
                 "</th></tr></thead><tbody>";
            for (const auto& a : r.answers)
                if (a.result == "rejected" || a.result == "conflict")
                    b += "<tr><td>" + esc(a.id) + "</td><td>" + esc(a.result) + "</td><td>" + esc(a.code + ": " + a.message) +
                         "</td></tr>";
            b += "</tbody></table>";
        }
        b += "<p><a href=\"/admin/fleet\">" + esc(tr("dashboard.fleet.back")) + "</a></p>";
        send_html(res, 200, page(c, tr("dashboard.fleet.import.page_title"), b, "/admin/fleet"));
    });
}

}  // namespace kyodo::server::web
