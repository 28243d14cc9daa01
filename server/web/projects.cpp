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
    return o + "円";
}

std::string form_label(const std::string& code) {
    const auto f = form_from_code(code);
    if (!f) return "—";
    const char* circ = *f == Form::Kyodo ? "①" : *f == Form::Kyoryoku ? "②" : "③";
    return std::string(circ) + label_ja(*f);
}

std::string methods_label(const std::vector<std::string>& ms) {
    std::string o;
    for (const auto& m : ordered_methods(ms)) o += (o.empty() ? "" : "＋") + method_label(m);
    return o.empty() ? "—" : o;
}

std::string partners_label(const std::vector<Partner>& ps) {
    std::string o;
    for (const auto& p : ps) o += (o.empty() ? "" : "、") + p.name;
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
void deny_viewer(const Ctx& c, httplib::Response& res) { deny(c, res, "この操作には「編集者」以上の権限が必要です。"); }

void send_csv(httplib::Response& res, const Csv& c, const std::string& name) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.set_content(c.str(), "text/csv; charset=utf-8");
}

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    auto years = app.st.civic().project_years();
    int fy = param_year(req);
    const int this_year = fiscal_year(jst_today());
    if (!fy) fy = years.empty() ? this_year : years.back();
    if (std::find(years.begin(), years.end(), this_year) == years.end()) years.push_back(this_year);
    if (std::find(years.begin(), years.end(), fy) == years.end()) years.push_back(fy);
    std::sort(years.begin(), years.end());
    const auto ps = app.st.civic().projects(fy);

    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>年度<select name=\"fy\">";
    for (int y : years) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(year_label_ja(y)) + "</option>";
    b += "</select></label><button>表示</button></form><div class=\"actions\">";
    if (c.role >= Role::Editor)
        b += "<a class=\"button primary\" href=\"/admin/projects/new?fy=" + std::to_string(fy) + "\">協働事業を登録する</a>"
             "<a class=\"button\" href=\"/admin/projects/import\">ファイルから取り込む</a>";
    b += "<a class=\"button\" href=\"/admin/checksheets?fy=" + std::to_string(fy) + "\">協働チェックシート（既存事業の見直し）</a>";
    b += "<a class=\"button\" href=\"/admin/reports/yearly?fy=" + std::to_string(fy) + "\">実績表</a><a class=\"button\" href=\"/admin/projects.csv?fy=" +
         std::to_string(fy) + "\">CSV</a></div>";
    b += "<p class=\"panel\">" + esc(era_year_ja(fy)) + "の協働事業 <strong>" + std::to_string(ps.size()) +
         "</strong> 件（補助金と活動支援の両方で行う事業も1件と数えます）</p>";
    // Closing the year: the office's last step of the 実績調査; the report keeps the year as it was.
    if (const auto closed = app.st.civic().closed_year(fy))
        b += "<p class=\"panel\" id=\"year-closed\">" + esc(era_year_ja(fy)) + "は締切済みです（" + esc(closed->closed_by) + "、" + esc(jst_datetime(closed->closed_at)) +
             "）。実績表はこのときの台帳で数え、この年度の事業は変更できません。</p>";
    else if (c.role >= Role::Admin)
        b += "<form method=\"post\" action=\"/admin/projects/close-year\" class=\"inline\">" + csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" +
             std::to_string(fy) + "\"><button class=\"danger\">" + esc(era_year_ja(fy)) + "を締め切る（以後この年度の事業は変更できません）</button></form>";
    b += "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>事業名</th><th>担当課</th><th>事業形態</th><th>事業区分</th><th>協働の相手</th>"
         "<th class=\"num\">予算額</th><th>状態</th><th class=\"num\">掲載</th></tr></thead><tbody>";
    for (const Project& p : ps)
        b += "<tr><td>" + esc(p.id) + "</td><td><a href=\"/admin/projects/" + url_encode(p.id) + "\">" + esc(p.title) + "</a></td><td>" +
             esc(p.department.empty() ? "—" : p.department) + "</td><td>" + esc(form_label(p.form)) + "</td><td>" + esc(methods_label(p.methods)) +
             "</td><td>" + esc(partners_label(p.partners)) + "</td><td class=\"num\">" + esc(yen(p.budget_yen)) + "</td><td>" +
             esc(project_status_ja(p.status)) + "</td><td class=\"num\">" + std::to_string(p.listing_ids.size()) + "</td></tr>";
    if (ps.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">この年度の協働事業はまだ登録されていません。</td></tr>";
    b += "</tbody></table></div>";

    // The year's listings that belong to no project: not counted in the yearly report.
    const auto links = app.st.civic().listing_projects();
    std::string rows;
    for (const Json& a : cat["activities"]) {
        if (!project_listing(a) || links.count(str(a, "id"))) continue;
        const int ay = fiscal_year(str(a, "starts_at"));
        if (ay && ay != fy) continue;
        const auto k = activity_kind_from_code(str(a, "kind"));
        rows += "<tr><td>" + esc(str(a, "id")) + "</td><td>" + esc(k ? label_ja(*k) : "") + "</td><td>" + esc(str(a, "title")) + "</td><td>" +
                esc(str(a, "department")) + "</td><td>";
        if (c.role >= Role::Editor)
            rows += "<a href=\"/admin/projects/new?fy=" + std::to_string(fy) + "&amp;from=" + url_encode(str(a, "id")) + "\">事業として登録</a>";
        rows += "</td></tr>";
    }
    b += "<h2>どの事業にも属さない掲載</h2><p class=\"muted\">行事・ボランティア募集・助成のお知らせなどの掲載です。実績表には数えません。"
         "事業のページで事業に結びつけるか、ここから事業として登録してください（日付のない掲載はどの年度にも表示します）。</p>";
    b += rows.empty() ? "<p>ありません。</p>"
                      : "<div class=\"scroll\"><table><thead><tr><th>ID</th><th>種別</th><th>名称</th><th>担当課</th><th></th></tr></thead><tbody>" + rows +
                            "</tbody></table></div>";
    send_html(res, 200, page(c, "協働事業の台帳", b, "/admin/projects"));
}

// The partners as checkboxes of the catalog's organizations (value = id) plus free names.
std::string partner_field(const FormCtx& f, const Json& cat, const std::vector<Partner>& sel) {
    f.note("partners", "協働の相手");
    std::string other;
    std::string o = "<fieldset id=\"" + field_id("partners") + "\" class=\"checks scroll wide" + std::string(f.err.at.count("partners") ? " invalid" : "") +
                    "\"><legend>協働の相手（団体）</legend>";
    for (const Json& org : cat["organizations"]) {
        const std::string id = str(org, "id");
        const bool on = std::any_of(sel.begin(), sel.end(), [&](const Partner& p) { return p.org_id == id; });
        o += "<label class=\"check\"><input type=\"checkbox\" name=\"partner_ids\" value=\"" + esc(id) + "\"" + (on ? " checked" : "") +
             (f.ro ? " disabled" : "") + "> <span>" + esc(str(org, "name")) + " <small>" + esc(str(org, "type")) + "</small></span></label>";
    }
    for (const auto& p : sel)
        if (p.org_id.empty() || !find_by_id(cat["organizations"], p.org_id)) other += (other.empty() ? "" : "、") + p.name;
    o += "</fieldset>" + text_field(f, "partner_other", "一覧にない相手（読点区切り）", other, "maxlength=\"1000\"", "例: ○○地区社会福祉協議会、△△商店会", "wide") +
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
    b += text_field(f, "id", "ID（半角英数字・登録後は変更できません）", p.id,
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    b += text_field(f, "fiscal_year", "年度（西暦）", p.fiscal_year ? std::to_string(p.fiscal_year) : "", "type=\"number\" min=\"1989\" max=\"2100\" required",
                    p.fiscal_year ? era_year_ja(p.fiscal_year) : "例: 2021 = 令和3年度");
    b += text_field(f, "title", "事業名", p.title, "required maxlength=\"100\"", "100字以内", "wide");
    if (dept)
        b += text_field(f, "department", "担当課", c.department, "readonly", "担当課のアカウントは自課の事業だけを扱います");
    else
        b += department_field(f, cat, "department", "担当課", p.department);
    Options forms{{"", "（選んでください）"}}, statuses;
    for (Form x : all_forms()) forms.emplace_back(to_code(x), form_label(to_code(x)));
    for (const auto& s : project_statuses()) statuses.emplace_back(s, project_status_ja(s));
    b += select_field(f, "form", "事業形態", forms, p.form) + select_field(f, "status", "状態", statuses, p.status);
    // Methods: checkboxes, so a project done by 補助金 and 活動支援 together has both.
    f.note("methods", "事業区分");
    b += "<fieldset id=\"" + field_id("methods") + "\" class=\"checks wide" + std::string(err.at.count("methods") ? " invalid" : "") +
         "\"><legend>事業区分（補助金と活動支援の両方で行う事業は両方を選ぶ）</legend>";
    std::vector<std::string> order;
    for (Method m : all_methods()) order.push_back(to_code(m));
    for (const auto& m : ordered_methods(order)) {
        const bool on = std::find(p.methods.begin(), p.methods.end(), m) != p.methods.end();
        b += "<label class=\"check\"><input type=\"checkbox\" name=\"methods\" value=\"" + esc(m) + "\"" + (on ? " checked" : "") + (f.ro ? " disabled" : "") +
             "> <span>" + esc(method_label(m)) + "</span></label>";
    }
    b += field_error(err, "methods") + "</fieldset>";
    b += partner_field(f, cat, p.partners);
    b += text_field(f, "budget_yen", "予算額（円）", !budget_typed.empty() ? budget_typed : p.budget_yen >= 0 ? std::to_string(p.budget_yen) : "",
                    "type=\"number\" min=\"0\" step=\"1\"",
                    "空欄 = 予算なし・未定");
    b += textarea_field(f, "goals", "目標", p.goals, 4, "maxlength=\"2000\"", "何をどこまで目指すか（評価シートの計画段階で見直します）");
    b += textarea_field(f, "note", "メモ", p.note, 3, "maxlength=\"2000\"");
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">保存する</button><a class=\"button\" href=\"" +
             std::string(dept ? "/admin/survey?fy=" : "/admin/projects?fy=") + std::to_string(p.fiscal_year) + "\">戻る</a></div>";
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
                mine += "<li>" + esc(k ? label_ja(*k) : "") + "：<a href=\"/admin/activities/" + url_encode(id) + "/edit\">" + esc(str(a, "title")) + "</a>";
                if (!f.ro)
                    mine += " <form class=\"inline\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/unlink\">" + csrf_field(c) +
                            "<input type=\"hidden\" name=\"listing\" value=\"" + esc(id) + "\"><button class=\"small\">外す</button></form>";
                mine += "</li>";
            } else if (it == links.end() && project_listing(a)) {
                options += "<option value=\"" + esc(id) + "\">" + esc(id + " " + str(a, "title")) + "</option>";
            }
        }
        b += "<h2>この事業の掲載</h2><p class=\"muted\">キオスクに出す行事・募集・お知らせです。1つの掲載は1つの事業にだけ属します。</p>";
        // Listings stored as linked but no longer in the catalog (withdrawn) still show.
        for (const auto& l : p.listing_ids)
            if (!find_by_id(cat["activities"], l)) mine += "<li>" + esc(l) + " <span class=\"muted\">（掲載は取り下げ済み）</span></li>";
        b += mine.empty() ? "<p>まだありません。</p>" : "<ul>" + mine + "</ul>";
        if (!f.ro && !options.empty())
            b += "<form class=\"filters\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/link\">" + csrf_field(c) +
                 "<label>掲載を結びつける<select name=\"listing\">" + options + "</select></label><button>結びつける</button></form>";
        for (const auto& [pid, prj] : app.st.civic().proposal_projects())
            if (prj == p.id)
                b += "<p class=\"panel\" id=\"from-proposal\">採択された市民提案から生まれた事業です: <a href=\"/admin/proposals/" + url_encode(pid) +
                     "\">提案と審査</a>（公開ページ <a href=\"/p/proposals\">/p/proposals</a>）</p>";
        b += evaluation_section(app, c, p);
        if (c.role >= Role::Admin)
            b += "<h2>削除</h2><form method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/delete\">" + csrf_field(c) +
                 "<p class=\"muted\">台帳から消します（掲載はどの事業にも属さなくなります）。取りやめた事業は状態を「中止」にしてください。</p>"
                 "<button class=\"danger\">この事業を削除する</button></form>";
        if (!p.updated_by.empty())
            b += "<p class=\"muted\">最終更新: " + esc(p.updated_by) + "（" + esc(jst_datetime(p.updated_at)) + "）</p>";
    }
    if (!is_new && dept && !p.updated_by.empty())
        b += "<p class=\"muted\">最終更新: " + esc(p.updated_by) + "（" + esc(jst_datetime(p.updated_at)) + "）</p>";
    send_html(res, err.any() ? 400 : 200, page(c, is_new ? "協働事業を登録する" : p.title, b, dept ? "/admin/survey" : "/admin/projects"));
}

std::int64_t parse_budget(const std::string& s, FieldErrors& err) {
    if (s.empty()) return -1;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(s, &used);
        if (used != s.size() || n < 0) throw std::out_of_range("budget");
        return n;
    } catch (const std::exception&) {
        err.add("budget_yen", "予算額は 0 以上の整数（円）で入力してください。");
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
        if (!stored) return not_found(c, res, "協働事業 " + p.id + " はありません。");
    } else if (app.st.civic().project(p.id)) {
        err.add("id", "このIDの事業はもうあります。別のIDにしてください。");
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
        if (stored && outside_scope(c, stored->department)) return deny(c, res, "この事業は「" + c.department + "」の事業ではありません。");
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
        if (y && app.st.civic().closed_year(y)) err.add("fiscal_year", era_year_ja(y) + "は締め切られているため、この年度の事業は変更できません。");
    const std::string from = posted(fm, "from");
    const std::string proposal = is_new && c.role >= Role::Editor ? posted(fm, "proposal") : "";
    std::optional<AdminRecord> adopted;
    if (!proposal.empty()) {
        adopted = proposal_record(app, proposal);
        if (!adopted || adopted->state != "adopted") err.add("id", "この提案は採択されていないため、事業にできません。");
        else if (app.st.civic().proposal_projects().count(proposal)) err.add("id", "この提案はもう協働事業になっています。");
    }
    if (err.any())
        return form(app, c, res, p, is_new, err, from, "", err.at.count("budget_yen") ? trim(posted(fm, "budget_yen")) : "", proposal);
    p.updated_by = c.s.user;
    p.updated_at = rfc3339_now();
    app.st.civic().put_project(p);
    std::string msg = is_new ? "登録しました。" : "保存しました。";
    if (is_new && !from.empty() && c.role >= Role::Editor && find_by_id(cat["activities"], from)) {
        app.st.civic().link_listing(from, p.id);
        msg = "登録し、掲載 " + from + " を結びつけました。";
    }
    if (adopted && app.st.civic().link_proposal_project(proposal, p.id, c.s.user, rfc3339_now())) {
        msg = "採択した提案（受付番号 " + adopted->rec.receipt + "）から登録しました。";
        app.audit(c, "proposal_project", adopted->rec.receipt, p.id);
    }
    app.audit(c, is_new ? "project_create" : "project_update", p.id, p.title);
    if (c.role == Role::Department) return redirect(res, "/admin/survey?fy=" + std::to_string(p.fiscal_year) + "&msg=" + url_encode(p.title + ": " + msg));
    redirect(res, "/admin/projects/" + url_encode(p.id) + "?msg=" + url_encode(msg));
}

Csv register_csv(const std::vector<Project>& ps, const Json& cat, bool open) {
    Csv c;
    std::vector<std::string> head = {"ID", "年度", "年度（和暦）", "事業名", "担当課", "事業形態", "事業区分", "協働の相手", "予算額（円）", "目標", "状態", "掲載"};
    if (!open) head.push_back("メモ");
    c.row(head);
    for (const Project& p : ps) {
        std::string listings;
        for (const auto& l : p.listing_ids) listings += (listings.empty() ? "" : "、") + (find_by_id(cat["activities"], l) ? activity_title(cat, l) : l);
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
    send_html(res, 409, page(c, "締め切られた年度", "<p class=\"error\" role=\"alert\">" + esc(era_year_ja(p->fiscal_year)) +
                                                  "は締め切られているため、この事業は変更できません。</p><p><a href=\"/admin/projects/" + url_encode(id) +
                                                  "\">戻る</a></p>", "/admin/projects"));
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
        if (fy < 1989 || fy > 2100) return not_found(c, res, "年度がありません。");
        const bool done = app.st.civic().close_year({fy, c.s.user, rfc3339_now(), year_snapshot(app.st, fy)});
        if (done) app.audit(c, "year_close", std::to_string(fy), std::to_string(app.st.civic().projects(fy).size()) + " projects");
        redirect(res, "/admin/projects?fy=" + std::to_string(fy) + "&msg=" +
                          url_encode(era_year_ja(fy) + (done ? "を締め切りました。" : "はもう締め切られています。")));
    });
    app.get(svr, "/admin/projects", Role::Viewer, [&app](Ctx& c, const auto& req, auto& res) { list(app, c, req, res); });
    app.get(svr, R"(/admin/projects\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const int fy = param_year(req);
        send_csv(res, register_csv(app.st.civic().projects(fy), app.catalog(), false), fy ? "projects-" + std::to_string(fy) : "projects");
    });
    app.get(svr, R"(/open/projects\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        res.set_header("Access-Control-Allow-Origin", "*");
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
    app.get(svr, "/admin/projects/import", Role::Editor, [](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        std::string b = flash(req) +
                        "<p>協働事業の一覧を JSON ファイルから取り込みます（前年度の台帳、課ごとの調査票など）。同じIDの事業は上書きします。"
                        "形式は <code>/open/projects.json</code> と同じです。</p><form method=\"post\" action=\"/admin/projects/import\" "
                        "enctype=\"multipart/form-data\">" +
                        csrf_field(c) + "<label>ファイル<input type=\"file\" name=\"file\" accept=\".json,application/json\" required></label>"
                                        "<button class=\"primary\">取り込む</button></form>";
        send_html(res, 200, page(c, "協働事業の取り込み", b, "/admin/projects"));
    });
    app.post(svr, "/admin/projects/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string text = req.has_file("file") ? req.get_file_value("file").content : "";
        try {
            const int n = import_projects(app.st, text, c.s.user, rfc3339_now());
            app.audit(c, "project_import", "", std::to_string(n) + " projects");
            redirect(res, "/admin/projects?msg=" + url_encode(std::to_string(n) + " 件の協働事業を取り込みました。"));
        } catch (const std::invalid_argument& e) {
            send_html(res, 400, page(c, "協働事業の取り込み", "<p class=\"error\" role=\"alert\">取り込めませんでした: " + esc(e.what()) +
                                                             "</p><p><a href=\"/admin/projects/import\">戻る</a></p>", "/admin/projects"));
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
            if (!r || r->state != "adopted") return not_found(c, res, "採択された提案が見つかりません。");
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
        if (!p) return not_found(c, res, "協働事業 " + std::string(req.matches[1]) + " はありません。");
        if (outside_scope(c, p->department)) return deny(c, res, "この事業は「" + c.department + "」の事業ではありません。");
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
            if (it == links.end() || it->second != id) return not_found(c, res, "掲載 " + listing + " はこの事業に属していません。");
        }
        if (!app.st.civic().link_listing(listing, link ? id : "")) return not_found(c, res, "協働事業 " + id + " はありません。");
        app.audit(c, link ? "project_link" : "project_unlink", id, listing);
        redirect(res, "/admin/projects/" + url_encode(id) + "?msg=" + url_encode(link ? "掲載を結びつけました。" : "掲載を外しました。"));
    });
    app.post(svr, R"(/admin/projects/([A-Za-z0-9_.\-]+)/delete)", Role::Admin, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const auto p = app.st.civic().project(id);
        if (refuse_closed(app, c, res, id)) return;
        if (!p || !app.st.civic().delete_project(id)) return not_found(c, res, "協働事業 " + id + " はありません。");
        app.audit(c, "project_delete", id, p->title);
        redirect(res, "/admin/projects?fy=" + std::to_string(p->fiscal_year) + "&msg=" + url_encode("削除しました。"));
    });
}

}  // namespace kyodo::server::web
