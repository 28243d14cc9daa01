// The project register's pages (協働事業, issue 12 point 1; docs/dashboard.md):
//   /admin/projects?fy=        the year's projects, and the year's listings that belong to none
//   /admin/projects/new        a new project (?from=<listing> fills it in from a listing and links it)
//   /admin/projects/<id>       a project: its form, its listings (link / unlink), delete
//   /admin/projects/import     a JSON file of projects (last year's register, a department's list)
//   /admin/projects.csv        the register for Excel; /open/projects.(csv|json) without budget notes
// Listings (events, volunteer openings, grant notices …) stay in the catalog; a listing belongs
// to one project or to none, and the yearly report (reports.cpp) counts projects, not listings.
#include <algorithm>
#include <cctype>
#include <optional>

#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/proposal_review.h"
#include "server/web/publish.h"
#include "server/web/reports.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

int param_year(const httplib::Request& req) {
    if (!req.has_param("fy")) return 0;
    try {
        return std::stoi(req.get_param_value("fy"));
    } catch (const std::exception&) {
        return 0;
    }
}

std::string yen(std::int64_t v) {
    if (v < 0) return "—";
    std::string d = std::to_string(v), o;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i && (d.size() - i) % 3 == 0) o += ',';
        o += d[i];
    }
    return trf("projects.yen", {{"n", o}});
}

std::string form_label(const std::string& code) {
    const auto f = form_from_code(code);
    if (!f) return "—";
    const char* circ = *f == Form::Kyodo ? "①" : *f == Form::Kyoryoku ? "②" : "③";
    return std::string(circ) + tr(std::string("form.") + code);
}

std::string methods_label(const std::vector<std::string>& ms) {
    std::string o;
    for (const auto& m : ordered_methods(ms)) o += (o.empty() ? "" : tr("project_register.method_sep")) + method_label(m);
    return o.empty() ? "—" : o;
}

std::string partners_label(const std::vector<Partner>& ps) {
    std::string o;
    for (const auto& p : ps) o += (o.empty() ? "" : tr("projects.list_sep")) + p.name;
    return o;
}

// Listings that can belong to a project: everything but drafts for comment and calls, which
// are the office's own procedures, not 協働実績.
bool project_listing(const Json& a) {
    const std::string k = str(a, "kind");
    return k != "public_comment" && k != "call_for_proposals";
}

// A department account (担当課) works only on its own department's projects.
bool outside_scope(const Ctx& c, const std::string& department) { return c.role == Role::Department && department != c.department; }
// Editors and above write any project; a department account its own; viewers only read.
bool may_edit(const Ctx& c) { return c.role >= Role::Editor || c.role == Role::Department; }
void deny_viewer(const Ctx& c, httplib::Response& res) { deny(c, res, tr("projects.err.editor_only")); }

void send_csv(httplib::Response& res, const Csv& c, const std::string& name) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.set_content(c.str(), "text/csv; charset=utf-8");
}

// Projects a page (?page=N) of the chosen year.
constexpr std::size_t kProjectPage = 100;

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    auto years = app.st.civic().project_years();
    int fy = param_year(req);
    const int this_year = fiscal_year(jst_today());
    if (!fy) fy = years.empty() ? this_year : years.back();
    if (std::find(years.begin(), years.end(), this_year) == years.end()) years.push_back(this_year);
    if (std::find(years.begin(), years.end(), fy) == years.end()) years.push_back(fy);
    std::sort(years.begin(), years.end());
    // The year's projects a page at a time (by id), with the count of the year.
    const std::int64_t total = app.st.civic().project_count(fy);
    const std::size_t pg = page_within(page_param(req), kProjectPage, total);
    const auto ps = app.st.civic().projects_page(fy, kProjectPage, (pg - 1) * kProjectPage);

    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>" + esc(tr("projects.year")) + "<select name=\"fy\">";
    for (int y : years) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(year_label_ja(y)) + "</option>";
    b += "</select></label><button>" + esc(tr("projects.show")) + "</button></form><div class=\"actions\">";
    if (c.role >= Role::Editor)
        b += "<a class=\"button primary\" href=\"/admin/projects/new?fy=" + std::to_string(fy) + "\">" + esc(tr("projects.new")) +
             "</a><a class=\"button\" href=\"/admin/projects/import\">" + esc(tr("projects.import_link")) + "</a>";
    b += "<a class=\"button\" href=\"/admin/checksheets?fy=" + std::to_string(fy) + "\">" + esc(tr("projects.checksheet_link")) + "</a>";
    b += "<a class=\"button\" href=\"/admin/reports/yearly?fy=" + std::to_string(fy) + "\">" + esc(tr("projects.yearly_link")) +
         "</a><a class=\"button\" href=\"/admin/projects.csv?fy=" + std::to_string(fy) + "\">CSV</a></div>";
    b += "<p class=\"panel\">" + esc(trf("projects.count", {{"year", era_year_ja(fy)}})) + "<strong>" + std::to_string(total) + "</strong>" +
         esc(tr("projects.count_tail")) + "</p>";
    // Closing the year: the office's last step of the 実績調査; the report keeps the year as it was.
    if (const auto closed = app.st.civic().closed_year(fy))
        b += "<p class=\"panel\" id=\"year-closed\">" +
             esc(trf("projects.closed", {{"year", era_year_ja(fy)}, {"by", closed->closed_by}, {"at", jst_datetime(closed->closed_at)}})) + "</p>";
    else if (c.role >= Role::Admin)
        b += "<form method=\"post\" action=\"/admin/projects/close-year\" class=\"inline\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"danger\">" + esc(trf("projects.close", {{"year", era_year_ja(fy)}})) + "</button></form>";
    b += "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>" + esc(tr("projects.col.title")) + "</th><th>" + esc(tr("projects.col.department")) +
         "</th><th>" + esc(tr("projects.col.form")) + "</th><th>" + esc(tr("projects.col.methods")) + "</th><th>" + esc(tr("projects.col.partners")) +
         "</th><th class=\"num\">" + esc(tr("projects.col.budget")) + "</th><th>" + esc(tr("projects.col.status")) + "</th><th class=\"num\">" +
         esc(tr("projects.col.listings")) + "</th></tr></thead><tbody>";
    for (const Project& p : ps)
        b += "<tr><td>" + esc(p.id) + "</td><td><a href=\"/admin/projects/" + url_encode(p.id) + "\">" + esc(p.title) + "</a></td><td>" +
             esc(p.department.empty() ? "—" : p.department) + "</td><td>" + esc(form_label(p.form)) + "</td><td>" + esc(methods_label(p.methods)) +
             "</td><td>" + esc(partners_label(p.partners)) + "</td><td class=\"num\">" + esc(yen(p.budget_yen)) + "</td><td>" +
             esc(project_status_ja(p.status)) + "</td><td class=\"num\">" + std::to_string(p.listing_ids.size()) + "</td></tr>";
    if (ps.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">" + esc(tr("projects.none")) + "</td></tr>";
    b += "</tbody></table></div>";
    b += pager_pages("/admin/projects?fy=" + std::to_string(fy), pg, kProjectPage, total);

    // The year's listings that belong to no project: not counted in the yearly report.
    const auto links = app.st.civic().listing_projects();
    std::string rows;
    for (const Json& a : cat["activities"]) {
        if (!project_listing(a) || links.count(str(a, "id"))) continue;
        const int ay = fiscal_year(str(a, "starts_at"));
        if (ay && ay != fy) continue;
        const auto k = activity_kind_from_code(str(a, "kind"));
        rows += "<tr><td>" + esc(str(a, "id")) + "</td><td>" + esc(k ? tr(std::string("kind.") + to_code(*k)) : "") + "</td><td>" + esc(str(a, "title")) + "</td><td>" +
                esc(str(a, "department")) + "</td><td>";
        if (c.role >= Role::Editor)
            rows += "<a href=\"/admin/projects/new?fy=" + std::to_string(fy) + "&amp;from=" + url_encode(str(a, "id")) + "\">" + esc(tr("projects.register_listing")) + "</a>";
        rows += "</td></tr>";
    }
    b += "<h2>" + esc(tr("projects.unlinked.title")) + "</h2><p class=\"muted\">" + esc(tr("projects.unlinked.text")) + "</p>";
    b += rows.empty() ? "<p>" + esc(tr("projects.unlinked.none")) + "</p>"
                      : "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>" + esc(tr("projects.col.kind")) + "</th><th>" + esc(tr("projects.col.name")) +
                            "</th><th>" + esc(tr("projects.col.department")) + "</th><th></th></tr></thead><tbody>" + rows + "</tbody></table></div>";
    send_html(res, 200, page(c, tr("projects.title"), b, "/admin/projects"));
}

// The partners as checkboxes of the catalog's organizations (value = id) plus free names.
std::string partner_field(const FormCtx& f, const Json& cat, const std::vector<Partner>& sel) {
    f.note("partners", tr("projects.col.partners"));
    std::string other;
    std::string o = "<fieldset id=\"" + field_id("partners") + "\" class=\"checks scroll wide" + std::string(f.err.at.count("partners") ? " invalid" : "") +
                    "\"><legend>" + esc(tr("projects.field.partners")) + "</legend>";
    for (const Json& org : cat["organizations"]) {
        const std::string id = str(org, "id");
        const bool on = std::any_of(sel.begin(), sel.end(), [&](const Partner& p) { return p.org_id == id; });
        o += "<label class=\"check\"><input type=\"checkbox\" name=\"partner_ids\" value=\"" + esc(id) + "\"" + (on ? " checked" : "") +
             (f.ro ? " disabled" : "") + "> <span>" + esc(str(org, "name")) + " <small>" + esc(str(org, "type")) + "</small></span></label>";
    }
    for (const auto& p : sel)
        if (p.org_id.empty() || !find_by_id(cat["organizations"], p.org_id)) other += (other.empty() ? "" : tr("projects.list_sep")) + p.name;
    o += "</fieldset>" + text_field(f, "partner_other", tr("projects.field.partner_other"), other, "maxlength=\"1000\"", tr("projects.field.partner_other_hint"), "wide") +
         field_error(f.err, "partners");
    return o;
}

// `budget_typed`: the budget as typed when it could not be read as yen (shown again as typed).
// `proposal`: the adopted citizen's proposal (its record id) a new project is made from.
void form(App& app, Ctx& c, httplib::Response& res, const Project& p, bool is_new, const FieldErrors& err, const std::string& from = "",
          const std::string& notice = "", const std::string& budget_typed = "", const std::string& proposal = "") {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const bool dept = c.role == Role::Department;   // its own projects only (checked by the routes)
    const FormCtx f{err, !may_edit(c), &labels};
    std::string b = "<form method=\"post\" action=\"/admin/projects/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
                    "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\"><input type=\"hidden\" name=\"from\" value=\"" +
                    esc(from) + "\"><input type=\"hidden\" name=\"proposal\" value=\"" + esc(proposal) + "\">";
    b += text_field(f, "id", tr("projects.field.id"), p.id,
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    b += text_field(f, "fiscal_year", tr("projects.field.fiscal_year"), p.fiscal_year ? std::to_string(p.fiscal_year) : "",
                    "type=\"number\" min=\"1989\" max=\"2100\" required", p.fiscal_year ? era_year_ja(p.fiscal_year) : tr("projects.field.fiscal_year_hint"));
    b += text_field(f, "title", tr("projects.col.title"), p.title, "required maxlength=\"100\"", tr("projects.field.title_hint"), "wide");
    if (dept)
        b += text_field(f, "department", tr("projects.col.department"), c.department, "readonly", tr("projects.field.department_hint"));
    else
        b += department_field(f, cat, "department", tr("projects.col.department"), p.department);
    Options forms{{"", tr("projects.field.choose")}}, statuses;
    for (Form x : all_forms()) forms.emplace_back(to_code(x), form_label(to_code(x)));
    for (const auto& s : project_statuses()) statuses.emplace_back(s, project_status_ja(s));
    b += select_field(f, "form", tr("projects.col.form"), forms, p.form) + select_field(f, "status", tr("projects.col.status"), statuses, p.status);
    // Methods: checkboxes, so a project done by 補助金 and 活動支援 together has both.
    f.note("methods", tr("projects.col.methods"));
    b += "<fieldset id=\"" + field_id("methods") + "\" class=\"checks wide" + std::string(err.at.count("methods") ? " invalid" : "") +
         "\"><legend>" + esc(tr("projects.field.methods")) + "</legend>";
    std::vector<std::string> order;
    for (Method m : all_methods()) order.push_back(to_code(m));
    for (const auto& m : ordered_methods(order)) {
        const bool on = std::find(p.methods.begin(), p.methods.end(), m) != p.methods.end();
        b += "<label class=\"check\"><input type=\"checkbox\" name=\"methods\" value=\"" + esc(m) + "\"" + (on ? " checked" : "") + (f.ro ? " disabled" : "") +
             "> <span>" + esc(method_label(m)) + "</span></label>";
    }
    b += field_error(err, "methods") + "</fieldset>";
    b += partner_field(f, cat, p.partners);
    b += text_field(f, "budget_yen", tr("projects.field.budget"), !budget_typed.empty() ? budget_typed : p.budget_yen >= 0 ? std::to_string(p.budget_yen) : "",
                    "type=\"number\" min=\"0\" step=\"1\"", tr("projects.field.budget_hint"));
    b += textarea_field(f, "goals", tr("projects.field.goals"), p.goals, 4, "maxlength=\"2000\"", tr("projects.field.goals_hint"));
    b += textarea_field(f, "note", tr("projects.field.note"), p.note, 3, "maxlength=\"2000\"");
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("projects.save")) + "</button><a class=\"button\" href=\"" +
             std::string(dept ? "/admin/survey?fy=" : "/admin/projects?fy=") + std::to_string(p.fiscal_year) + "\">" + esc(tr("projects.back")) + "</a></div>";
    b += "</form>";
    b = notice + err.summary_html(labels) + b;

    if (!is_new && !dept) {
        // The project's listings, and the listings that could join it.
        const auto links = app.st.civic().listing_projects();
        std::string mine, options;
        for (const Json& a : cat["activities"]) {
            const std::string id = str(a, "id");
            auto it = links.find(id);
            const auto k = activity_kind_from_code(str(a, "kind"));
            if (it != links.end() && it->second == p.id) {
                mine += "<li>" + esc(k ? tr(std::string("kind.") + to_code(*k)) : "") + esc(tr("projects.kind_sep")) + "<a href=\"/admin/activities/" + url_encode(id) + "/edit\">" + esc(str(a, "title")) + "</a>";
                if (!f.ro)
                    mine += " <form class=\"inline\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/unlink\">" + csrf_field(c) +
                            "<input type=\"hidden\" name=\"listing\" value=\"" + esc(id) + "\"><button class=\"small\">" + esc(tr("projects.unlink")) + "</button></form>";
                mine += "</li>";
            } else if (it == links.end() && project_listing(a)) {
                options += "<option value=\"" + esc(id) + "\">" + esc(id + " " + str(a, "title")) + "</option>";
            }
        }
        b += "<h2>" + esc(tr("projects.listings.title")) + "</h2><p class=\"muted\">" + esc(tr("projects.listings.text")) + "</p>";
        // Listings stored as linked but no longer in the catalog (withdrawn) still show.
        for (const auto& l : p.listing_ids)
            if (!find_by_id(cat["activities"], l)) mine += "<li>" + esc(l) + " <span class=\"muted\">" + esc(tr("projects.listings.withdrawn")) + "</span></li>";
        b += mine.empty() ? "<p>" + esc(tr("projects.listings.none")) + "</p>" : "<ul>" + mine + "</ul>";
        if (!f.ro && !options.empty())
            b += "<form class=\"filters\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/link\">" + csrf_field(c) +
                 "<label>" + esc(tr("projects.listings.link_label")) + "<select name=\"listing\">" + options + "</select></label><button>" +
                 esc(tr("projects.listings.link")) + "</button></form>";
        for (const auto& [pid, prj] : app.st.civic().proposal_projects())
            if (prj == p.id)
                b += "<p class=\"panel\" id=\"from-proposal\">" + esc(tr("projects.from_proposal")) + "<a href=\"/admin/proposals/" + url_encode(pid) + "\">" +
                     esc(tr("projects.from_proposal.link")) + "</a>" + esc(tr("projects.public_page")) + "<a href=\"/p/proposals\">/p/proposals</a>" +
                     esc(tr("projects.public_page_tail")) + "</p>";
        b += evaluation_section(app, c, p);
        if (c.role >= Role::Admin)
            b += "<h2>" + esc(tr("projects.delete.title")) + "</h2><form method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/delete\">" +
                 csrf_field(c) + "<p class=\"muted\">" + esc(tr("projects.delete.text")) + "</p><button class=\"danger\">" + esc(tr("projects.delete.button")) +
                 "</button></form>";
        if (!p.updated_by.empty())
            b += "<p class=\"muted\">" + esc(trf("projects.updated", {{"by", p.updated_by}, {"at", jst_datetime(p.updated_at)}})) + "</p>";
    }
    if (!is_new && dept && !p.updated_by.empty())
        b += "<p class=\"muted\">" + esc(trf("projects.updated", {{"by", p.updated_by}, {"at", jst_datetime(p.updated_at)}})) + "</p>";
    send_html(res, err.any() ? 400 : 200, page(c, is_new ? tr("projects.new") : p.title, b, dept ? "/admin/survey" : "/admin/projects"));
}

std::int64_t parse_budget(const std::string& s, FieldErrors& err) {
    if (s.empty()) return -1;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(s, &used);
        if (used != s.size() || n < 0) throw std::out_of_range("budget");
        return n;
    } catch (const std::exception&) {
        err.add("budget_yen", tr("project_register.err.budget"));
        return -1;
    }
}

void save(App& app, Ctx& c, httplib::Response& res) {
    const auto& fm = c.form;
    const bool is_new = posted(fm, "is_new") == "1";
    const Json cat = app.catalog();
    FieldErrors err;
    Project p;
    p.id = trim(posted(fm, "id"));
    std::optional<Project> stored;
    if (!is_new) {
        stored = app.st.civic().project(p.id);
        if (!stored) return not_found(c, res, trf("projects.err.no_project", {{"id", p.id}}));
    } else if (app.st.civic().project(p.id)) {
        err.add("id", tr("projects.err.id_taken"));
    }
    const std::string fy = trim(posted(fm, "fiscal_year"));
    try {
        std::size_t used = 0;
        p.fiscal_year = std::stoi(fy, &used);
        if (used != fy.size()) p.fiscal_year = 0;
    } catch (const std::exception&) {
        p.fiscal_year = 0;
    }
    p.title = trim(posted(fm, "title"));
    p.department = read_department(fm, "department");
    if (c.role == Role::Department) {
        // Its own department's projects only, and what it adds is its department's.
        if (stored && outside_scope(c, stored->department)) return deny(c, res, trf("projects.err.other_department", {{"dept", c.department}}));
        p.department = c.department;
    }
    p.form = posted(fm, "form");
    p.methods = ordered_methods(split_list(posted(fm, "methods")));
    for (const auto& id : split_list(posted(fm, "partner_ids")))
        if (const Json* org = find_by_id(cat["organizations"], id)) p.partners.push_back({id, str(*org, "name")});
    for (const auto& name : split_list(posted(fm, "partner_other"))) p.partners.push_back({"", name});
    p.budget_yen = parse_budget(trim(posted(fm, "budget_yen")), err);
    p.goals = trim(normalise_newlines(posted(fm, "goals")));
    p.note = trim(normalise_newlines(posted(fm, "note")));
    p.status = posted(fm, "status");
    if (stored) p.listing_ids = stored->listing_ids;
    check_project(p, err);
    for (int y : {p.fiscal_year, stored ? stored->fiscal_year : 0})
        if (y && app.st.civic().closed_year(y)) err.add("fiscal_year", trf("projects.err.year_closed", {{"year", era_year_ja(y)}}));
    const std::string from = posted(fm, "from");
    const std::string proposal = is_new && c.role >= Role::Editor ? posted(fm, "proposal") : "";
    std::optional<AdminRecord> adopted;
    if (!proposal.empty()) {
        adopted = proposal_record(app, proposal);
        if (!adopted || adopted->state != "adopted") err.add("id", tr("projects.err.not_adopted"));
        else if (app.st.civic().proposal_projects().count(proposal)) err.add("id", tr("projects.err.already_project"));
    }
    if (err.any())
        return form(app, c, res, p, is_new, err, from, "", err.at.count("budget_yen") ? trim(posted(fm, "budget_yen")) : "", proposal);
    p.updated_by = c.s.user;
    p.updated_at = rfc3339_now();
    app.st.civic().put_project(p);
    std::string msg = is_new ? tr("projects.msg.registered") : tr("projects.msg.saved");
    if (is_new && !from.empty() && c.role >= Role::Editor && find_by_id(cat["activities"], from)) {
        app.st.civic().link_listing(from, p.id);
        msg = trf("projects.msg.registered_linked", {{"listing", from}});
    }
    if (adopted && app.st.civic().link_proposal_project(proposal, p.id, c.s.user, rfc3339_now())) {
        msg = trf("projects.msg.from_proposal", {{"receipt", adopted->rec.receipt}});
        app.audit(c, "proposal_project", adopted->rec.receipt, p.id);
    }
    app.audit(c, is_new ? "project_create" : "project_update", p.id, p.title);
    if (c.role == Role::Department) return redirect(res, "/admin/survey?fy=" + std::to_string(p.fiscal_year) + "&msg=" + url_encode(p.title + ": " + msg));
    redirect(res, "/admin/projects/" + url_encode(p.id) + "?msg=" + url_encode(msg));
}

Csv register_csv(const std::vector<Project>& ps, const Json& cat, bool open) {
    Csv c;
    std::vector<std::string> head = {"ID",
                                     tr("projects.year"),
                                     tr("projects.csv.era_year"),
                                     tr("projects.col.title"),
                                     tr("projects.col.department"),
                                     tr("projects.col.form"),
                                     tr("projects.col.methods"),
                                     tr("projects.col.partners"),
                                     tr("projects.field.budget"),
                                     tr("projects.field.goals"),
                                     tr("projects.col.status"),
                                     tr("projects.col.listings")};
    if (!open) head.push_back(tr("projects.field.note"));
    c.row(head);
    for (const Project& p : ps) {
        std::string listings;
        for (const auto& l : p.listing_ids) listings += (listings.empty() ? "" : tr("projects.list_sep")) + (find_by_id(cat["activities"], l) ? activity_title(cat, l) : l);
        std::vector<std::string> r = {p.id, std::to_string(p.fiscal_year), era_year_ja(p.fiscal_year), p.title, p.department, form_label(p.form),
                                      methods_label(p.methods), partners_label(p.partners), p.budget_yen >= 0 ? std::to_string(p.budget_yen) : "",
                                      p.goals, project_status_ja(p.status), listings};
        if (!open) r.push_back(p.note);
        c.row(r);
    }
    return c;
}

// A project of a closed year answers 409 to any change.
bool refuse_closed(App& app, const Ctx& c, httplib::Response& res, const std::string& id) {
    const auto p = app.st.civic().project(id);
    if (!p || !app.st.civic().closed_year(p->fiscal_year)) return false;
    send_html(res, 409, page(c, tr("projects.closed_year.title"), "<p class=\"error\" role=\"alert\">" +
                                                  esc(trf("projects.closed_year.text", {{"year", era_year_ja(p->fiscal_year)}})) +
                                                  "</p><p><a href=\"/admin/projects/" + url_encode(id) + "\">" + esc(tr("projects.back")) + "</a></p>",
                             "/admin/projects"));
    return true;
}

}  // namespace

void install_projects(App& app, httplib::Server& svr) {
    app.post(svr, "/admin/projects/close-year", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        int fy = 0;
        try {
            fy = std::stoi(posted(c.form, "fy"));
        } catch (const std::exception&) {
        }
        if (fy < 1989 || fy > 2100) return not_found(c, res, tr("projects.err.no_year"));
        const bool done = app.st.civic().close_year({fy, c.s.user, rfc3339_now(), year_snapshot(app.st, fy)});
        if (done) app.audit(c, "year_close", std::to_string(fy), std::to_string(app.st.civic().projects(fy).size()) + " projects");
        redirect(res, "/admin/projects?fy=" + std::to_string(fy) + "&msg=" +
                          url_encode(trf(done ? "projects.msg.closed" : "projects.msg.already_closed", {{"year", era_year_ja(fy)}})));
    });
    app.get(svr, "/admin/projects", Role::Viewer, [&app](Ctx& c, const auto& req, auto& res) { list(app, c, req, res); });
    app.get(svr, R"(/admin/projects\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const int fy = param_year(req);
        send_cached(app, req, res, export_key(app, "projects.csv|" + std::to_string(fy)), true, "private, no-cache", [&](httplib::Response& out) {
            send_csv(out, register_csv(app.st.civic().projects(fy), app.catalog(), false), fy ? "projects-" + std::to_string(fy) : "projects");
        });
    });
    app.get(svr, R"(/open/projects\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res_out) {
        res_out.set_header("Access-Control-Allow-Origin", "*");
        send_cached(app, req, res_out, export_key(app, "open-projects|" + req.matches[1].str() + "|" + std::to_string(param_year(req))), true,
                    "public, no-cache", [&](httplib::Response& res) {
        const auto ps = app.st.civic().projects(param_year(req));
        if (req.matches[1] == "csv") return send_csv(res, register_csv(ps, app.catalog(), true), "projects");
        Json arr = Json::array();
        for (const Project& p : ps) {
            Json j = project_to_json(p);
            j.erase("note");
            j.erase("updated_by");
            arr.push_back(std::move(j));
        }
        res.set_content(Json{{"license", "CC BY 4.0"}, {"projects", arr}}.dump(2, ' ', false, Json::error_handler_t::replace),
                        "application/json; charset=utf-8");
        });
    });
    app.get(svr, "/admin/projects/import", Role::Editor, [](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        std::string b = flash(req) + "<p>" + esc(tr("projects.import.text")) + "<code>/open/projects.json</code>" + esc(tr("projects.import.text_tail")) +
                        "</p><form method=\"post\" action=\"/admin/projects/import\" enctype=\"multipart/form-data\">" + csrf_field(c) + "<label>" +
                        esc(tr("projects.import.file")) + "<input type=\"file\" name=\"file\" accept=\".json,application/json\" required></label><button class=\"primary\">" +
                        esc(tr("projects.import.button")) + "</button></form>";
        send_html(res, 200, page(c, tr("projects.import.title"), b, "/admin/projects"));
    });
    app.post(svr, "/admin/projects/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string text = req.has_file("file") ? req.get_file_value("file").content : "";
        try {
            const int n = import_projects(app.st, text, c.s.user, rfc3339_now());
            app.audit(c, "project_import", "", std::to_string(n) + " projects");
            redirect(res, "/admin/projects?msg=" + url_encode(trf("projects.import.done", {{"n", std::to_string(n)}})));
        } catch (const std::invalid_argument& e) {
            send_html(res, 400, page(c, tr("projects.import.title"), "<p class=\"error\" role=\"alert\">" + esc(tr("projects.import.failed")) + esc(e.what()) +
                                                             "</p><p><a href=\"/admin/projects/import\">" + esc(tr("projects.back")) + "</a></p>", "/admin/projects"));
        }
    });
    app.get(svr, "/admin/projects/new", Role::Department, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        if (!may_edit(c)) return deny_viewer(c, res);
        Project p;
        p.fiscal_year = param_year(req);
        if (!p.fiscal_year) p.fiscal_year = fiscal_year(jst_today());
        if (c.role == Role::Department) {   // a department adds a project of its own, nothing filled from listings
            p.department = c.department;
            return form(app, c, res, p, true, FieldErrors{});
        }
        const std::string from = req.has_param("from") ? req.get_param_value("from") : "";
        const Json cat = app.catalog();
        if (req.has_param("proposal")) {
            // An adopted citizen's proposal: its title, the department it asked for, the group as
            // partner, what it proposed as the goals; the year the call's projects run.
            const auto r = proposal_record(app, req.get_param_value("proposal"));
            if (!r || r->state != "adopted") return not_found(c, res, tr("projects.err.no_adopted_proposal"));
            const Json pl = payload_of(*r);
            const Json* call = str(pl, "call_id").empty() ? nullptr : find_by_id(cat["activities"], str(pl, "call_id"));
            if (call && call->contains("extra") && (*call)["extra"].is_object() && (*call)["extra"].contains("project_period") &&
                (*call)["extra"]["project_period"].is_string())
                if (const int y = fiscal_year((*call)["extra"]["project_period"].get<std::string>().substr(0, 10))) p.fiscal_year = y;
            p.id = "p" + std::to_string(p.fiscal_year) + "-" + r->rec.receipt;
            if (p.id.size() > 64) p.id.resize(64);
            for (char& ch : p.id)
                if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-')) ch = '-';
            p.title = str(pl, "title");
            p.department = str(pl, "partner_department");
            p.form = "kyodo";
            p.methods = {"participation_proposal"};
            if (!str(pl, "group_name").empty()) p.partners.push_back({"", str(pl, "group_name")});
            p.goals = str(pl, "summary");
            p.status = "planned";
            return form(app, c, res, p, true, FieldErrors{}, "", "", "", r->rec.id);
        }
        if (const Json* a = from.empty() ? nullptr : find_by_id(cat["activities"], from)) {
            // A listing's own details are the first guess: title, department, form, method, organizers.
            p.id = "p" + std::to_string(p.fiscal_year) + "-" + from;
            if (p.id.size() > 64) p.id.resize(64);
            p.title = str(*a, "title");
            p.department = str(*a, "department");
            p.form = str(*a, "form");
            if (!str(*a, "method").empty()) p.methods.push_back(str(*a, "method"));
            if (const int y = fiscal_year(str(*a, "starts_at"))) p.fiscal_year = y;
            const Json ids = a->value("organizer_ids", Json::array());
            for (const Json& id : ids)
                if (id.is_string())
                    if (const Json* org = find_by_id(cat["organizations"], id.get<std::string>())) p.partners.push_back({id.get<std::string>(), str(*org, "name")});
        } else {
            // From a check sheet's result (evaluation.cpp): the service, its department, the form and method it suggests.
            auto param = [&](const char* k) { return req.has_param(k) ? req.get_param_value(k) : std::string(); };
            p.title = param("title");
            p.department = param("department");
            p.form = param("form");
            if (!param("method").empty()) p.methods.push_back(param("method"));
        }
        form(app, c, res, p, true, FieldErrors{}, from);
    });
    app.post(svr, "/admin/projects/save", Role::Department, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        if (!may_edit(c)) return deny_viewer(c, res);
        save(app, c, res);
    });
    app.get(svr, R"(/admin/projects/([A-Za-z0-9_.\-]+))", Role::Department, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, trf("projects.err.no_project", {{"id", std::string(req.matches[1])}}));
        if (outside_scope(c, p->department)) return deny(c, res, trf("projects.err.other_department", {{"dept", c.department}}));
        form(app, c, res, *p, false, FieldErrors{}, "", flash(req));
    });
    app.post(svr, R"(/admin/projects/([A-Za-z0-9_.\-]+)/(link|unlink))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const std::string listing = posted(c.form, "listing");
        const bool link = req.matches[2] == "link";
        if (listing.empty()) return redirect(res, "/admin/projects/" + url_encode(id));
        if (refuse_closed(app, c, res, id)) return;
        if (!link) {
            const auto links = app.st.civic().listing_projects();
            auto it = links.find(listing);
            if (it == links.end() || it->second != id) return not_found(c, res, trf("projects.err.not_linked", {{"listing", listing}}));
        }
        if (!app.st.civic().link_listing(listing, link ? id : "")) return not_found(c, res, trf("projects.err.no_project", {{"id", id}}));
        app.audit(c, link ? "project_link" : "project_unlink", id, listing);
        redirect(res, "/admin/projects/" + url_encode(id) + "?msg=" + url_encode(link ? tr("projects.msg.linked") : tr("projects.msg.unlinked")));
    });
    app.post(svr, R"(/admin/projects/([A-Za-z0-9_.\-]+)/delete)", Role::Admin, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const auto p = app.st.civic().project(id);
        if (refuse_closed(app, c, res, id)) return;
        if (!p || !app.st.civic().delete_project(id)) return not_found(c, res, trf("projects.err.no_project", {{"id", id}}));
        app.audit(c, "project_delete", id, p->title);
        redirect(res, "/admin/projects?fy=" + std::to_string(p->fiscal_year) + "&msg=" + url_encode(tr("projects.msg.deleted")));
    });
}

}  // namespace kyodo::server::web
