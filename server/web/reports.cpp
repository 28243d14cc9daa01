// Reports: seed 000's yearly table (projects by form and method), sign-ups and opinions by
// centre and month, and seed 004's resident indicators from the survey against the targets.
#include <algorithm>
#include <cstdio>
#include <set>

#include "server/groups.h"
#include "server/web/app.h"
#include "server/web/bookings_view.h"
#include "server/web/projects.h"
#include "server/web/reports.h"
#include "server/web/text.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

// Fiscal year (April–March) of an ISO date, or 0.
int fiscal_year(const std::string& iso) {
    if (iso.size() < 7) return 0;
    try {
        const int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2));
        return m >= 4 ? y : y - 1;
    } catch (const std::exception&) {
        return 0;
    }
}

YearlyTable yearly_table(const Json& cat, int fy) {
    YearlyTable t;
    for (const Json& a : cat["activities"]) {
        if (fy && fiscal_year(str(a, "starts_at")) != fy) continue;
        if (str(a, "kind") == "slot" || str(a, "kind") == "item") continue;   // not listings (docs/lending.md)
        const auto f = form_from_code(str(a, "form"));
        const auto m = method_from_code(str(a, "method"));
        if (!f || !m) continue;
        ++t.cells[{*f, *m}];
        ++t.by_form[*f];
        ++t.by_method[*m];
        ++t.total;
    }
    return t;
}

std::vector<IndicatorResult> indicators(const Json& targets, const std::vector<Json>& responses) {
    std::vector<IndicatorResult> out;
    if (!targets.is_array()) return out;
    for (const Json& t : targets) {
        IndicatorResult r;
        r.code = str(t, "code");
        r.label = str(t, "label");
        r.baseline = t.value("baseline", 0.0);
        r.mid_target = t.value("mid_target", 0.0);
        r.target = t.value("target", 0.0);
        r.baseline_year = t.value("baseline_year", 0);
        r.mid_target_year = t.value("mid_target_year", 0);
        r.target_year = t.value("target_year", 0);
        const std::string sid = str(t, "survey_id"), qid = str(t, "question_id");
        const Json counted = t.value("counted_as", Json::object());
        std::set<std::int64_t> choices;
        if (counted.contains("choices") && counted["choices"].is_array())
            for (const Json& c : counted["choices"])
                if (c.is_number_integer()) choices.insert(c.get<std::int64_t>());
        const int at_least = counted.value("scale_at_least", 1 << 30);
        for (const Json& p : responses) {
            if (str(p, "survey_id") != sid || !p.contains("answers") || !p["answers"].is_array()) continue;
            for (const Json& a : p["answers"]) {
                if (!a.is_object() || str(a, "question_id") != qid) continue;
                if (a.contains("choice") && a["choice"].is_number_integer()) {
                    ++r.answered;
                    if (choices.count(a["choice"].get<std::int64_t>())) ++r.counted;
                } else if (a.contains("scale") && a["scale"].is_number_integer()) {
                    ++r.answered;
                    if (a["scale"].get<int>() >= at_least) ++r.counted;
                }
            }
        }
        r.share = r.answered ? 100.0 * r.counted / r.answered : 0;
        out.push_back(r);
    }
    return out;
}

std::vector<IndicatorResult> indicators(const Json& targets, const std::vector<AdminStorage::SurveyAnswerCount>& answers) {
    std::vector<IndicatorResult> out;
    if (!targets.is_array()) return out;
    for (const Json& t : targets) {
        IndicatorResult r;
        r.code = str(t, "code");
        r.label = str(t, "label");
        r.baseline = t.value("baseline", 0.0);
        r.mid_target = t.value("mid_target", 0.0);
        r.target = t.value("target", 0.0);
        r.baseline_year = t.value("baseline_year", 0);
        r.mid_target_year = t.value("mid_target_year", 0);
        r.target_year = t.value("target_year", 0);
        const std::string sid = str(t, "survey_id"), qid = str(t, "question_id");
        const Json counted = t.value("counted_as", Json::object());
        std::set<std::int64_t> choices;
        if (counted.contains("choices") && counted["choices"].is_array())
            for (const Json& c : counted["choices"])
                if (c.is_number_integer()) choices.insert(c.get<std::int64_t>());
        const int at_least = counted.value("scale_at_least", 1 << 30);
        // As over the loaded answers: an integer choice counts as the answer, else an integer scale.
        for (const auto& a : answers) {
            if (a.survey_id != sid || a.question_id != qid) continue;
            if (a.has_choice) {
                r.answered += static_cast<int>(a.n);
                if (choices.count(a.choice)) r.counted += static_cast<int>(a.n);
            } else if (a.has_scale) {
                r.answered += static_cast<int>(a.n);
                if (a.scale >= at_least) r.counted += static_cast<int>(a.n);
            }
        }
        r.share = r.answered ? 100.0 * r.counted / r.answered : 0;
        out.push_back(r);
    }
    return out;
}

std::map<std::string, std::map<std::string, int>> by_centre_month(const std::vector<AdminRecord>& rows) {
    std::map<std::string, std::map<std::string, int>> m;
    for (const auto& r : rows) ++m[r.rec.centre_id][jst_month(r.rec.created_at)];
    return m;
}

std::map<std::string, std::map<std::string, int>> by_centre_month(const std::vector<AdminStorage::CentreHourCount>& rows,
                                                                  std::int64_t* total) {
    std::map<std::string, std::map<std::string, int>> m;
    std::int64_t all = 0;
    for (const auto& r : rows) {
        m[r.centre_id][jst_month(r.at.size() == 13 ? r.at + ":00:00Z" : r.at)] += static_cast<int>(r.n);
        all += r.n;
    }
    if (total) *total = all;
    return m;
}

std::map<std::string, CentreMonths> service_counts(Storage& st, const Json& cat, int fy) {
    std::map<std::string, CentreMonths> out;
    for (const char* k : kServiceKinds) out[k];
    const auto in_year = [fy](const std::string& month) { return month.size() == 7 && fiscal_year(month + "-01") == fy; };
    // Bookings and consultations: the ledger's tallies (SQL) for the catalog's slots.
    std::map<std::string, std::int64_t> confirmed;
    for (const auto& t : st.admin().signup_tallies("")) confirmed[t.activity_id] = t.confirmed;
    for (const SlotView& s : catalog_slots(cat)) {
        const auto it = confirmed.find(s.id);
        if (it == confirmed.end() || it->second <= 0 || !in_year(s.date.substr(0, 7))) continue;
        ++out[s.type == "consultation" ? "consultations" : "bookings"][s.centre_id][s.date.substr(0, 7)];
    }
    // Records counted in the database by centre and hour.
    for (const auto& [kind, code] : std::vector<std::pair<std::string, std::string>>{{"talent", "talent"}, {"item_request", "item_request"}})
        for (const auto& [centre, months] : by_centre_month(st.admin().centre_hour_counts(code)))
            for (const auto& [month, n] : months)
                if (in_year(month)) out[kind][centre][month] += n;
    // Group registrations approved, by the day of approval.
    for (const GroupApplication& g : st.groups().applications()) {
        if (g.state != "approved") continue;
        const std::string month = jst_month(g.decided_at);
        if (!in_year(month)) continue;
        const std::string home = g.payload.value("centre_id", "");
        ++out["groups"][home.empty() ? g.centre_id : home][month];
    }
    return out;
}

namespace {

std::string esc_th(const char* key) { return "<th>" + esc(tr(key)) + "</th>"; }

void reports_home(Ctx& c, httplib::Response& res) {
    auto card = [](const char* href, const char* note, const char* title) {
        return std::string("<div class=\"card\"><a href=\"") + href + "\"><div class=\"l\">" + esc(tr(note)) + "</div><strong>" +
               esc(tr(title)) + "</strong></a></div>";
    };
    const std::string b = "<div class=\"cards\">" + card("/admin/reports/yearly", "reports.home.yearly_note", "reports.yearly.title") +
                          card("/admin/reports/monthly", "reports.home.monthly_note", "reports.home.monthly") +
                          card("/admin/reports/indicators", "reports.home.indicators_note", "reports.indicators.title") +
                          card("/admin/indicators", "reports.home.targets_note", "reports.home.targets") +
                          card("/admin/staff-survey", "reports.home.staff_survey_note", "reports.home.staff_survey") + "</div>";
    send_html(res, 200, page(c, tr("reports.home.title"), b, "/admin/reports"));
}

// Seed 000's table, counted from the project register (projects.cpp), not from listings: a
// project with an event and a volunteer opening counts once, drafts for comment and calls for
// proposals are not projects. Groups: ① A 実行委員会, C 共催; ② D 事業協力, E 指定管理者, F 委託契約;
// ③ B 補助金, G 活動支援, B+G (a project done by both); other methods follow in their form.
// Seed 000's groups: ① A 実行委員会, C 共催; ② D 事業協力, E 指定管理者, F 委託契約; ③ B 補助金, G 活動支援;
// the methods seed 000 does not use follow under the form the catalog files them.
// Participants: who actually came (attendance ticked on the roster, on the phone check-in page
// or at the kiosk), by activity of the fiscal year; people, not sign-ups (a party of 3 is 3).
std::string participants_section(App& app, const Json& cat, int fy) {
    // Counted in the database (AdminStorage::signup_tallies), not over loaded sign-ups.
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_activity;   // id → (attended, confirmed)
    for (const auto& t : app.st.admin().signup_tallies(""))
        if (t.confirmed > 0) by_activity[t.activity_id] = {t.attended, t.confirmed};
    std::int64_t total = 0;
    std::string rows;
    for (const Json& a : cat["activities"]) {
        if (fy && fiscal_year(str(a, "starts_at")) != fy) continue;
        if (str(a, "kind") == "slot") continue;   // bookings are counted in services_section
        auto it = by_activity.find(str(a, "id"));
        if (it == by_activity.end()) continue;
        total += it->second.first;
        rows += "<tr><td class=\"lbl\">" + esc(str(a, "title")) + "</td><td>" + esc(date_label(str(a, "starts_at"))) + "</td><td>" +
                std::to_string(it->second.first) + "</td><td>" + std::to_string(it->second.second) + "</td></tr>";
    }
    std::string b = "<h2 id=\"participants\">" + esc(tr("reports.participants.title")) + "</h2><p class=\"panel\">" +
                    trh("reports.participants.total", {{"n", "<strong>" + std::to_string(total) + "</strong>"}}) + "</p>";
    if (!rows.empty())
        b += "<table class=\"report\"><thead><tr>" + esc_th("reports.col.activity") + esc_th("reports.col.when") +
             esc_th("reports.participants.col.attended") + esc_th("reports.participants.col.confirmed") + "</tr></thead><tbody>" + rows +
             "</tbody></table>";
    return b;
}

// Issue 11's services by centre and month of the fiscal year (service_counts).
std::string services_section(App& app, const Json& cat, int fy) {
    const auto counts = service_counts(app.st, cat, fy);
    std::vector<std::string> months;
    for (int i = 0; i < 12; ++i) {
        const int m = (3 + i) % 12 + 1, y = m >= 4 ? fy : fy + 1;
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        months.push_back(buf);
    }
    std::string b = "<h2 id=\"services\">" + esc(tr("reports.services.title")) + "</h2><p class=\"muted\">" + esc(tr("reports.services.note")) + "</p>";
    for (const char* kind : kServiceKinds) {
        const CentreMonths& cm = counts.at(kind);
        int total = 0;
        for (const auto& [ce, mm] : cm)
            for (const auto& [mo, n] : mm) total += n;
        b += "<h3>" + esc(trf("reports.services.heading", {{"kind", tr(std::string("reports.services.") + kind)}, {"n", std::to_string(total)}})) +
             "</h3><div class=\"scroll\"><table class=\"report\" id=\"services-" + std::string(kind) + "\"><thead><tr>" + esc_th("reports.col.centre");
        for (const auto& mo : months) b += "<th>" + esc(mo.substr(5, 2)) + "</th>";
        b += esc_th("reports.col.total") + "</tr></thead><tbody>";
        std::map<std::string, int> col;
        for (const auto& [ce, mm] : cm) {
            int sum = 0;
            b += "<tr data-centre=\"" + esc(ce) + "\"><td class=\"lbl\">" + esc(centre_name(cat, ce)) + "</td>";
            for (const auto& mo : months) {
                const auto it = mm.find(mo);
                const int n = it == mm.end() ? 0 : it->second;
                sum += n;
                col[mo] += n;
                b += "<td>" + std::to_string(n) + "</td>";
            }
            b += "<td><strong>" + std::to_string(sum) + "</strong></td></tr>";
        }
        b += "<tr class=\"total\"><td class=\"lbl\">" + esc(tr("reports.col.total")) + "</td>";
        for (const auto& mo : months) b += "<td>" + std::to_string(col[mo]) + "</td>";
        b += "<td data-total>" + std::to_string(total) + "</td></tr></tbody></table></div>";
    }
    return b;
}

void yearly(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    auto years = app.st.civic().project_years();
    int fy = 0;
    if (req.has_param("fy")) {
        try {
            fy = std::stoi(req.get_param_value("fy"));
        } catch (const std::exception&) {
            fy = 0;
        }
    }
    if (!fy) fy = years.empty() ? fiscal_year(jst_today()) : years.back();
    if (std::find(years.begin(), years.end(), fy) == years.end()) years.push_back(fy);
    std::sort(years.begin(), years.end());
    const ProjectTable t = project_table(year_projects(app.st, fy));
    std::string b = "<form class=\"filters noprint\" method=\"get\"><label>" + esc(tr("reports.yearly.fy")) + "<select name=\"fy\">";
    for (int y : years)
        b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(year_label_ja(y)) + "</option>";
    b += "</select></label><button>" + esc(tr("reports.yearly.show")) + "</button><a class=\"button\" href=\"/admin/export/yearly.csv?fy=" +
         std::to_string(fy) + "\">CSV</a><a class=\"button\" href=\"/admin/projects?fy=" + std::to_string(fy) + "\">" +
         esc(tr("reports.yearly.register")) + "</a></form>";
    std::string change;
    if (std::find(years.begin(), years.end(), fy - 1) != years.end()) {
        const int before = project_table(year_projects(app.st, fy - 1)).total;
        change = before == t.total ? tr("reports.yearly.change.same")
                 : t.total > before ? trf("reports.yearly.change.up", {{"n", std::to_string(t.total - before)}})
                                    : trf("reports.yearly.change.down", {{"n", std::to_string(before - t.total)}});
    }
    b += "<p class=\"panel\">" +
         trh("reports.yearly.total", {{"year", esc(era_year_ja(fy))}, {"n", "<strong>" + std::to_string(t.total) + "</strong>"}}) +
         (change.empty() ? "" : "<br><span class=\"muted\">" + esc(trf("reports.yearly.change", {{"change", change}})) + "</span>") + "</p>";
    const char* circ[] = {"①", "②", "③"};
    b += "<div class=\"scroll\"><table class=\"report\" id=\"yearly-table\"><tbody><tr>" + esc_th("reports.yearly.form");
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
        const auto f = form_from_code(t.groups[g].form);
        b += "<th colspan=\"" + std::to_string(t.groups[g].columns.size()) + "\">" + circ[g] + esc(f ? tr(std::string("form.") + t.groups[g].form) : "") + "</th>";
    }
    b += "<th rowspan=\"2\">" + esc(tr("reports.yearly.sum")) + "</th></tr><tr><td class=\"lbl\">" + esc(tr("reports.yearly.count")) + "</td>";
    for (const auto& g : t.groups)
        b += "<td colspan=\"" + std::to_string(g.columns.size()) + "\" data-form=\"" + esc(g.form) + "\"><strong>" + std::to_string(g.count) +
             "</strong></td>";
    b += "</tr><tr>" + esc_th("reports.yearly.method");
    for (const auto& g : t.groups)
        for (const auto& col : g.columns) b += "<th>" + nl2br(col.label("\n")) + "</th>";
    b += "<td rowspan=\"2\" data-total><strong>" + std::to_string(t.total) + "</strong></td></tr><tr><td class=\"lbl\">" +
         esc(tr("reports.yearly.count")) + "</td>";
    for (const auto& g : t.groups)
        for (const auto& col : g.columns) b += "<td>" + std::to_string(col.count) + "</td>";
    b += "</tr></tbody></table></div>";
    // Seed 000 prints each form's meaning under the table.
    static const char* const meaning[] = {"reports.yearly.meaning_1", "reports.yearly.meaning_2", "reports.yearly.meaning_3"};
    b += "<dl class=\"forms\">";
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
        const auto f = form_from_code(t.groups[g].form);
        b += "<dt>" + std::string(circ[g]) + esc(f ? tr(std::string("form.") + t.groups[g].form) : "") + "</dt><dd>" + esc(tr(meaning[g])) + "</dd>";
    }
    b += "</dl>";
    b += participants_section(app, app.catalog(), fy);
    b += services_section(app, app.catalog(), fy);
    b += "<h2>" + esc(tr("reports.yearly.list")) + "</h2>";
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
        const auto f = form_from_code(t.groups[g].form);
        b += "<h3>" + std::string(circ[g]) + esc(f ? tr(std::string("form.") + t.groups[g].form) : "") + "</h3>";
        for (const auto& col : t.groups[g].columns) {
            if (col.titles.empty()) continue;
            b += "<p><strong>" + esc(trf("reports.yearly.column", {{"label", col.label()}})) + "</strong> " +
                 esc(trf("reports.yearly.n_projects", {{"n", std::to_string(col.count)}})) + "</p><ul class=\"projects\">";
            for (const auto& title : col.titles) b += "<li>" + esc(title) + "</li>";
            b += "</ul>";
        }
    }
    if (!t.not_counted.empty()) {
        b += "<h2>" + esc(tr("reports.yearly.not_counted")) + "</h2><ul>";
        for (const auto& n : t.not_counted) b += "<li>" + esc(n) + "</li>";
        b += "</ul>";
    }
    b += "<p class=\"muted\">" + esc(tr("reports.yearly.note")) + "</p>";
    send_html(res, 200, page(c, tr("reports.yearly.title"), b, "/admin/reports"));
}

void monthly(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    const Json cat = app.catalog();
    std::string b = "<p>" + esc(tr("reports.monthly.intro")) + "</p>";
    for (const auto& [kind, title] : std::vector<std::pair<std::string, std::string>>{{"sign_up", tr("reports.monthly.signups")},
                                                                                         {"opinion", tr("reports.monthly.opinions")},
                                                                                         {"survey_response", tr("reports.monthly.responses")}}) {
        // Counted in the database by centre and hour (not over 100,000 loaded records).
        std::int64_t count = 0;
        const auto m = by_centre_month(app.st.admin().centre_hour_counts(kind), &count);
        std::set<std::string> months;
        for (const auto& [ce, mm] : m)
            for (const auto& [mo, n] : mm) months.insert(mo);
        b += "<h2>" + esc(trf("reports.monthly.heading", {{"kind", title}, {"n", std::to_string(count)}})) +
             "</h2><table class=\"report\"><thead><tr>" + esc_th("reports.col.centre");
        for (const auto& mo : months) b += "<th>" + esc(mo) + "</th>";
        b += esc_th("reports.col.total") + "</tr></thead><tbody>";
        std::map<std::string, int> col;
        for (const auto& [ce, mm] : m) {
            int sum = 0;
            b += "<tr><td class=\"lbl\">" + esc(centre_name(cat, ce)) + "</td>";
            for (const auto& mo : months) {
                auto it = mm.find(mo);
                const int n = it == mm.end() ? 0 : it->second;
                sum += n;
                col[mo] += n;
                b += "<td>" + std::to_string(n) + "</td>";
            }
            b += "<td><strong>" + std::to_string(sum) + "</strong></td></tr>";
        }
        b += "<tr class=\"total\"><td class=\"lbl\">" + esc(tr("reports.col.total")) + "</td>";
        for (const auto& mo : months) b += "<td>" + std::to_string(col[mo]) + "</td>";
        b += "<td>" + std::to_string(count) + "</td></tr></tbody></table>";
    }
    b += "<p><a class=\"button\" href=\"/admin/export/monthly.csv\">CSV</a></p>";
    send_html(res, 200, page(c, tr("reports.monthly.title"), b, "/admin/reports"));
}

void indicator_page(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    // Counted in the database (AdminStorage::survey_tally), not over every loaded response.
    const auto ind = indicators(app.opts.indicator_targets, app.st.admin().survey_tally("", false).answers);
    std::string b = "<p>" +
                    trh("reports.indicators.intro",
                              {{"link", "<a href=\"/admin/indicators\">" + esc(tr("reports.home.targets")) + "</a>"}}) +
                    "</p>";
    if (ind.empty())
        b += "<p class=\"error\">" +
             trh("reports.indicators.missing", {{"command", "<code>kyodo-server serve --catalog FILE</code>"}}) + "</p>";
    auto num_th = [](const char* key) { return "<th class=\"num\">" + esc(tr(key)) + "</th>"; };
    b += "<table><thead><tr>" + esc_th("reports.indicators.col.indicator") + num_th("reports.indicators.col.baseline") +
         num_th("reports.indicators.col.mid_target") + num_th("reports.indicators.col.target") + num_th("reports.indicators.col.now") +
         num_th("reports.indicators.col.answered") + "</tr></thead><tbody>";
    for (const auto& r : ind)
        b += "<tr><td>" + esc(r.label) + "</td><td class=\"num\">" + fmt1(r.baseline) + "%<br><span class=\"muted\">" +
             std::to_string(r.baseline_year) + "</span></td><td class=\"num\">" + fmt1(r.mid_target) + "%<br><span class=\"muted\">" +
             std::to_string(r.mid_target_year) + "</span></td><td class=\"num\">" + fmt1(r.target) + "%<br><span class=\"muted\">" +
             std::to_string(r.target_year) + "</span></td><td class=\"num\"><strong>" + (r.answered ? fmt1(r.share) + "%" : std::string("—")) +
             "</strong></td><td class=\"num\">" + std::to_string(r.answered) + "</td></tr>";
    b += "</tbody></table>";
    for (const auto& r : ind)
        b += "<h3>" + esc(r.label) + esc(tr("reports.indicators.gap")) + "<span class=\"muted\">" +
             esc(r.answered ? trf("reports.indicators.now", {{"share", fmt1(r.share) + "%"}}) : tr("reports.indicators.no_answers")) +
             "</span></h3>" +
             svg_indicator(r.share, {{tr("reports.indicators.mark.baseline"), r.baseline},
                                     {tr("reports.indicators.mark.mid"), r.mid_target},
                                     {tr("reports.indicators.mark.target"), r.target}});
    b += "<p><a class=\"button\" href=\"/admin/export/indicators.csv\">CSV</a></p>";
    send_html(res, 200, page(c, tr("reports.indicators.title"), b, "/admin/reports"));
}

}  // namespace

void install_reports(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/reports", Role::Viewer, [](Ctx& c, const httplib::Request&, httplib::Response& r) { reports_home(c, r); });
    app.get(svr, "/admin/reports/yearly", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { yearly(app, c, q, r); });
    app.get(svr, "/admin/reports/monthly", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { monthly(app, c, q, r); });
    app.get(svr, "/admin/reports/indicators", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { indicator_page(app, c, q, r); });
}

}  // namespace kyodo::server::web
