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
    std::string o = "<form class=\"filters\" method=\"get\" action=\"/admin/survey\"><label>年度<select name=\"fy\">";
    const int now = fiscal_year(jst_today());
    for (int y = now + 1; y >= now - 5; --y)
        o += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(year_label_ja(y)) + "</option>";
    return o + "</select></label><button>表示</button></form>";
}

std::string project_rows(const std::vector<Project>& ps, bool editable) {
    std::string b = "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>事業名</th><th>状態</th><th class=\"num\">予算額</th><th>最終更新</th>"
                    "</tr></thead><tbody>";
    for (const Project& p : ps) {
        const std::string name = editable ? "<a href=\"/admin/projects/" + url_encode(p.id) + "\">" + esc(p.title) + "</a>" : esc(p.title);
        b += "<tr><td>" + esc(p.id) + "</td><td>" + name + "</td><td>" + esc(project_status_ja(p.status)) + "</td><td class=\"num\">" +
             (p.budget_yen >= 0 ? esc(std::to_string(p.budget_yen)) + "円" : "—") + "</td><td>" +
             esc(p.updated_by.empty() ? "—" : p.updated_by + "（" + jst_datetime(p.updated_at) + "）") + "</td></tr>";
    }
    if (ps.empty()) b += "<tr><td colspan=\"5\" class=\"muted\">この年度の事業はまだ登録されていません。</td></tr>";
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
    b += "<p>" + esc(era_year_ja(fy)) + "の協働事業の実績調査です。「" + esc(c.department) +
         "」の事業を確かめ、足りない事業は登録し、内容がよければ「この内容で回答する」を押してください。"
         "協働推進課が年度を締め切ると、その年度の事業は変更できなくなります。</p>";
    if (closed)
        b += "<p class=\"panel\" id=\"year-closed\">" + esc(era_year_ja(fy)) + "は締切済みです（" + esc(jst_datetime(closed->closed_at)) +
             "）。事業は変更できません。</p>";
    if (mine)
        b += "<p class=\"panel\" id=\"answer-state\">回答済み: " + esc(mine->answered_by) + "（" + esc(jst_datetime(mine->answered_at)) + "）、" +
             std::to_string(mine->projects) + " 件" +
             (changed_since(ps, mine->answered_at) ? "。<strong class=\"warn\">回答のあとで事業が変更されています。確かめて、もう一度回答してください。</strong>" : "") +
             "</p>";
    else
        b += "<p class=\"panel\" id=\"answer-state\"><strong>未回答</strong>です。</p>";
    b += "<h2>" + esc(c.department) + "の事業（" + std::to_string(ps.size()) + " 件）</h2>" + project_rows(ps, !closed);
    if (!closed) {
        b += "<p class=\"actions\"><a class=\"button\" href=\"/admin/projects/new?fy=" + std::to_string(fy) + "\">事業を追加する</a></p>";
        b += "<form method=\"post\" action=\"/admin/survey/answer\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"primary\">この内容で回答する（" + std::to_string(ps.size()) + " 件）</button></form>";
    }
    send_html(res, 200, page(c, "実績調査（" + era_year_ja(fy) + "）", b, "/admin/survey"));
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
    if (!r.answer) return "未回答";
    return "回答済み " + r.answer->answered_by + "（" + jst_datetime(r.answer->answered_at) + "、" + std::to_string(r.answer->projects) + " 件）" +
           (changed_since(r.projects, r.answer->answered_at) ? " 回答後に変更あり" : "");
}

void office_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, int fy) {
    const auto rows = overview(app.st, fy);
    const auto answered = std::count_if(rows.begin(), rows.end(), [](const DepartmentRow& r) { return r.answer.has_value(); });
    const auto closed = app.st.civic().closed_year(fy);
    std::string b = flash(req) + year_picker(fy);
    b += "<p>各課が担当課のアカウントで自課の協働事業を記入・確認して回答します。担当課のアカウントは「職員」（管理者）で作ります。</p>";
    b += "<p class=\"panel\" id=\"survey-count\">" + esc(era_year_ja(fy)) + "　回答 <strong>" + std::to_string(answered) + "</strong> / " +
         std::to_string(rows.size()) + " 課" + (closed ? "　（締切済み " + esc(jst_datetime(closed->closed_at)) + "）" : "") + "</p>";
    b += "<div class=\"scroll\"><table id=\"survey-departments\"><thead><tr><th>担当課</th><th>アカウント</th><th class=\"num\">事業</th><th>回答</th></tr></thead><tbody>";
    for (const auto& r : rows) {
        std::string acc;
        for (const auto& a : r.accounts) acc += (acc.empty() ? "" : "、") + a;
        b += "<tr><td>" + esc(r.department) + "</td><td>" + esc(acc.empty() ? "（なし）" : acc) + "</td><td class=\"num\">" + std::to_string(r.projects.size()) +
             "</td><td>" + (r.answer ? esc(answer_text(r)) : "<strong class=\"warn\">未回答</strong>") + "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">担当課のアカウントも、この年度の事業もまだありません。</td></tr>";
    b += "</tbody></table></div><p class=\"actions\"><a class=\"button\" href=\"/admin/survey.csv?fy=" + std::to_string(fy) +
         "\">CSV</a><a class=\"button\" href=\"/admin/projects?fy=" + std::to_string(fy) + "\">協働事業の台帳</a></p>";
    if (!closed && c.role >= Role::Admin)
        b += "<form method=\"post\" action=\"/admin/projects/close-year\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"danger\">" + esc(era_year_ja(fy)) + "を締め切る（以後この年度の事業は変更できません）</button></form>";
    send_html(res, 200, page(c, "実績調査（" + era_year_ja(fy) + "）", b, "/admin/survey"));
}

}  // namespace

void install_survey(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/survey", Role::Department, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const int fy = year_param(req);
        if (c.role == Role::Department) return department_page(app, c, req, res, fy);
        office_page(app, c, req, res, fy);
    });
    app.get(svr, R"(/admin/survey\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const int fy = year_param(req);
        Csv csv;
        csv.row({"年度", "担当課", "アカウント", "事業数", "回答", "回答者", "回答日時", "回答した事業数", "回答後の変更"});
        for (const auto& r : overview(app.st, fy)) {
            std::string acc;
            for (const auto& a : r.accounts) acc += (acc.empty() ? "" : "、") + a;
            csv.row({era_year_ja(fy), r.department, acc, std::to_string(r.projects.size()), r.answer ? "回答済み" : "未回答",
                     r.answer ? r.answer->answered_by : "", r.answer ? jst_datetime(r.answer->answered_at) : "",
                     r.answer ? std::to_string(r.answer->projects) : "", r.answer && changed_since(r.projects, r.answer->answered_at) ? "あり" : ""});
        }
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"survey-" + std::to_string(fy) + ".csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.post(svr, "/admin/survey/answer", Role::Department, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        if (c.role != Role::Department) return deny(c, res, "実績調査には担当課のアカウントで回答してください。");
        int fy = 0;
        try {
            fy = std::stoi(posted(c.form, "fy"));
        } catch (const std::exception&) {
        }
        if (fy < 1989 || fy > 2100) return not_found(c, res, "年度がありません。");
        if (app.st.civic().closed_year(fy))
            return send_html(res, 409, page(c, "締め切られた年度", "<p class=\"error\" role=\"alert\">" + esc(era_year_ja(fy)) +
                                                                "は締め切られているため、回答できません。</p><p><a href=\"/admin/survey?fy=" +
                                                                std::to_string(fy) + "\">戻る</a></p>", "/admin/survey"));
        const int n = static_cast<int>(projects_of(app.st, fy, c.department).size());
        app.st.civic().put_department_answer({fy, c.department, c.s.user, rfc3339_now(), n});
        app.audit(c, "survey_answer", c.department, std::to_string(fy) + ": " + std::to_string(n) + " projects");
        redirect(res, "/admin/survey?fy=" + std::to_string(fy) + "&msg=" + url_encode(era_year_ja(fy) + "の実績調査に回答しました（" + std::to_string(n) + " 件）。"));
    });
}

}  // namespace kyodo::server::web
