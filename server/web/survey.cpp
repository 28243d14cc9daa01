// The 実績調査 (issue 12 point 2; docs/dashboard.md): each department, through its own staff
// account (role "department", scoped to its 担当課), fills in or confirms its projects of the
// fiscal year and answers; the office sees who has answered and closes the year.
//   /admin/survey?fy=          a department: its projects and its answer; the office: every department
//   /admin/survey/answer       a department answers for the year (POST)
//   /admin/survey.csv?fy=      the office's overview for Excel
// A department account reaches only this page and its own projects' forms (projects.cpp).
#include <algorithm>
#include <map>
#include <set>

#include "core/timeutil.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/publish.h"
#include "server/web/reports.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

// ?fy=2026; this fiscal year when absent or not a year.
int year_param(const httplib::Request& req) {
    const std::string s = req.has_param("fy") ? req.get_param_value("fy") : "";
    try {
        std::size_t used = 0;
        const int y = std::stoi(s, &used);
        if (used == s.size() && y >= 1989 && y <= 2100) return y;
    } catch (const std::exception&) {
    }
    return fiscal_year(jst_today());
}

std::vector<Project> projects_of(Storage& st, int fy, const std::string& department) {
    std::vector<Project> out;
    for (Project& p : st.civic().projects(fy))
        if (p.department == department) out.push_back(std::move(p));
    return out;
}

// Changed after the department answered: it should look again and answer again.
bool changed_since(const std::vector<Project>& ps, const std::string& answered_at) {
    return std::any_of(ps.begin(), ps.end(), [&](const Project& p) { return p.updated_at > answered_at; });
}

std::string year_picker(int fy) {
    std::string o = "<form class=\"filters\" method=\"get\" action=\"/admin/survey\"><label>" + esc(tr("survey.year")) + "<select name=\"fy\">";
    const int now = fiscal_year(jst_today());
    for (int y = now + 1; y >= now - 5; --y)
        o += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(year_label_ja(y)) + "</option>";
    return o + "</select></label><button>" + esc(tr("survey.show")) + "</button></form>";
}

std::string project_rows(const std::vector<Project>& ps, bool editable) {
    std::string b = "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>" + esc(tr("survey.col.title")) + "</th><th>" + esc(tr("survey.col.status")) +
                    "</th><th class=\"num\">" + esc(tr("survey.col.budget")) + "</th><th>" + esc(tr("survey.col.updated")) + "</th></tr></thead><tbody>";
    for (const Project& p : ps) {
        const std::string name = editable ? "<a href=\"/admin/projects/" + url_encode(p.id) + "\">" + esc(p.title) + "</a>" : esc(p.title);
        b += "<tr><td>" + esc(p.id) + "</td><td>" + name + "</td><td>" + esc(project_status_ja(p.status)) + "</td><td class=\"num\">" +
             (p.budget_yen >= 0 ? esc(trf("survey.yen", {{"n", std::to_string(p.budget_yen)}})) : "—") + "</td><td>" +
             esc(p.updated_by.empty() ? "—" : trf("survey.by_at", {{"by", p.updated_by}, {"at", jst_datetime(p.updated_at)}})) + "</td></tr>";
    }
    if (ps.empty()) b += "<tr><td colspan=\"5\" class=\"muted\">" + esc(tr("survey.no_projects")) + "</td></tr>";
    return b + "</tbody></table></div>";
}

// A department's own page: its projects, add one, answer.
void department_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, int fy) {
    const auto ps = projects_of(app.st, fy, c.department);
    const auto closed = app.st.civic().closed_year(fy);
    std::optional<DepartmentAnswer> mine;
    for (const auto& a : app.st.civic().department_answers(fy))
        if (a.department == c.department) mine = a;
    std::string b = flash(req) + year_picker(fy);
    b += "<p>" + esc(trf("survey.dept.intro", {{"year", era_year_ja(fy)}, {"dept", c.department}})) + "</p>";
    if (closed)
        b += "<p class=\"panel\" id=\"year-closed\">" + esc(trf("survey.dept.closed", {{"year", era_year_ja(fy)}, {"at", jst_datetime(closed->closed_at)}})) +
             "</p>";
    if (mine)
        b += "<p class=\"panel\" id=\"answer-state\">" +
             esc(trf("survey.dept.answered", {{"by", mine->answered_by}, {"at", jst_datetime(mine->answered_at)}, {"n", std::to_string(mine->projects)}})) +
             (changed_since(ps, mine->answered_at)
                  ? esc(tr("survey.period")) + "<strong class=\"warn\">" + esc(tr("survey.dept.changed")) + "</strong>"
                  : "") +
             "</p>";
    else
        b += "<p class=\"panel\" id=\"answer-state\"><strong>" + esc(tr("survey.unanswered")) + "</strong>" + esc(tr("survey.unanswered_tail")) + "</p>";
    b += "<h2>" + esc(trf("survey.dept.heading", {{"dept", c.department}, {"n", std::to_string(ps.size())}})) + "</h2>" + project_rows(ps, !closed);
    if (!closed) {
        b += "<p class=\"actions\"><a class=\"button\" href=\"/admin/projects/new?fy=" + std::to_string(fy) + "\">" + esc(tr("survey.add_project")) + "</a></p>";
        b += "<form method=\"post\" action=\"/admin/survey/answer\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"primary\">" + esc(trf("survey.answer_button", {{"n", std::to_string(ps.size())}})) + "</button></form>";
    }
    send_html(res, 200, page(c, trf("survey.title", {{"year", era_year_ja(fy)}}), b, "/admin/survey"));
}

struct DepartmentRow {
    std::string department;
    std::vector<std::string> accounts;
    std::vector<Project> projects;
    std::optional<DepartmentAnswer> answer;
};

// Every department that has an account or a project that year, with its answer.
std::vector<DepartmentRow> overview(Storage& st, int fy) {
    std::map<std::string, DepartmentRow> rows;
    for (const auto& [user, dept] : st.civic().staff_departments())
        if (auto u = st.admin().staff(user); u && u->role == "department" && !u->disabled) rows[dept].accounts.push_back(user);
    for (Project& p : st.civic().projects(fy))
        if (!p.department.empty()) rows[p.department].projects.push_back(std::move(p));
    for (auto& a : st.civic().department_answers(fy)) rows[a.department].answer = a;
    std::vector<DepartmentRow> out;
    for (auto& [d, r] : rows) {
        r.department = d;
        out.push_back(std::move(r));
    }
    return out;
}

std::string answer_text(const DepartmentRow& r) {
    if (!r.answer) return tr("survey.unanswered");
    return trf("survey.answer_text", {{"by", r.answer->answered_by}, {"at", jst_datetime(r.answer->answered_at)}, {"n", std::to_string(r.answer->projects)}}) +
           (changed_since(r.projects, r.answer->answered_at) ? tr("survey.changed_short") : "");
}

std::string accounts_text(const DepartmentRow& r) {
    std::string acc;
    for (const auto& a : r.accounts) acc += (acc.empty() ? "" : tr("survey.list_sep")) + a;
    return acc;
}

void office_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, int fy) {
    const auto rows = overview(app.st, fy);
    const auto answered = std::count_if(rows.begin(), rows.end(), [](const DepartmentRow& r) { return r.answer.has_value(); });
    const auto closed = app.st.civic().closed_year(fy);
    std::string b = flash(req) + year_picker(fy);
    b += "<p>" + esc(tr("survey.office.intro")) + "</p>";
    b += "<p class=\"panel\" id=\"survey-count\">" + esc(trf("survey.office.count", {{"year", era_year_ja(fy)}})) + "<strong>" + std::to_string(answered) +
         "</strong> / " + esc(trf("survey.office.of", {{"n", std::to_string(rows.size())}})) +
         (closed ? esc(trf("survey.office.closed", {{"at", jst_datetime(closed->closed_at)}})) : "") + "</p>";
    b += "<div class=\"scroll\"><table id=\"survey-departments\"><thead><tr><th>" + esc(tr("survey.col.department")) + "</th><th>" +
         esc(tr("survey.col.accounts")) + "</th><th class=\"num\">" + esc(tr("survey.col.projects")) + "</th><th>" + esc(tr("survey.col.answer")) +
         "</th></tr></thead><tbody>";
    for (const auto& r : rows) {
        const std::string acc = accounts_text(r);
        b += "<tr><td>" + esc(r.department) + "</td><td>" + esc(acc.empty() ? tr("survey.none") : acc) + "</td><td class=\"num\">" +
             std::to_string(r.projects.size()) + "</td><td>" +
             (r.answer ? esc(answer_text(r)) : "<strong class=\"warn\">" + esc(tr("survey.unanswered")) + "</strong>") + "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("survey.office.empty")) + "</td></tr>";
    b += "</tbody></table></div><p class=\"actions\"><a class=\"button\" href=\"/admin/survey.csv?fy=" + std::to_string(fy) +
         "\">CSV</a><a class=\"button\" href=\"/admin/projects?fy=" + std::to_string(fy) + "\">" + esc(tr("survey.register_link")) + "</a></p>";
    if (!closed && c.role >= Role::Admin)
        b += "<form method=\"post\" action=\"/admin/projects/close-year\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"danger\">" + esc(trf("survey.office.close", {{"year", era_year_ja(fy)}})) + "</button></form>";
    send_html(res, 200, page(c, trf("survey.title", {{"year", era_year_ja(fy)}}), b, "/admin/survey"));
}

}  // namespace

void install_survey(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/survey", Role::Department, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const int fy = year_param(req);
        if (c.role == Role::Department) return department_page(app, c, req, res, fy);
        office_page(app, c, req, res, fy);
    });
    app.get(svr, R"(/admin/survey\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res_out) {
        const int fy = year_param(req);
        send_cached(app, req, res_out, export_key(app, "survey.csv|" + std::to_string(fy)), true, "private, no-cache", [&](httplib::Response& res) {
        Csv csv;
        csv.row({tr("survey.csv.year"), tr("survey.col.department"), tr("survey.col.accounts"), tr("survey.csv.projects"), tr("survey.col.answer"),
                 tr("survey.csv.answered_by"), tr("survey.csv.answered_at"), tr("survey.csv.projects_answered"), tr("survey.csv.changed")});
        for (const auto& r : overview(app.st, fy)) {
            csv.row({era_year_ja(fy), r.department, accounts_text(r), std::to_string(r.projects.size()), r.answer ? tr("survey.answered") : tr("survey.unanswered"),
                     r.answer ? r.answer->answered_by : "", r.answer ? jst_datetime(r.answer->answered_at) : "",
                     r.answer ? std::to_string(r.answer->projects) : "",
                     r.answer && changed_since(r.projects, r.answer->answered_at) ? tr("survey.csv.yes") : ""});
        }
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"survey-" + std::to_string(fy) + ".csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
        });
    });
    app.post(svr, "/admin/survey/answer", Role::Department, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        if (c.role != Role::Department) return deny(c, res, tr("survey.err.department_only"));
        int fy = 0;
        try {
            fy = std::stoi(posted(c.form, "fy"));
        } catch (const std::exception&) {
        }
        if (fy < 1989 || fy > 2100) return not_found(c, res, tr("survey.err.no_year"));
        if (app.st.civic().closed_year(fy))
            return send_html(res, 409, page(c, tr("survey.closed.title"), "<p class=\"error\" role=\"alert\">" +
                                                                   esc(trf("survey.closed.text", {{"year", era_year_ja(fy)}})) +
                                                                   "</p><p><a href=\"/admin/survey?fy=" + std::to_string(fy) + "\">" +
                                                                   esc(tr("survey.back")) + "</a></p>", "/admin/survey"));
        const int n = static_cast<int>(projects_of(app.st, fy, c.department).size());
        app.st.civic().put_department_answer({fy, c.department, c.s.user, rfc3339_now(), n});
        app.audit(c, "survey_answer", c.department, std::to_string(fy) + ": " + std::to_string(n) + " projects");
        redirect(res, "/admin/survey?fy=" + std::to_string(fy) + "&msg=" +
                          url_encode(trf("survey.answered_flash", {{"year", era_year_ja(fy)}, {"n", std::to_string(n)}})));
    });
}

}  // namespace kyodo::server::web
