// Targets per year (issue 12 point 5; seed 004; docs/dashboard.md):
//   /admin/indicators               ①–⑤ measured vs target by year: a chart and a table each; editors
//                                   set a year's target / measured value (with a reason), every
//                                   change kept in the indicator's history (audit trail)
//   /admin/indicators.csv           every indicator-year for Excel
//   /admin/staff-survey             the staff survey behind ⑤ (協働ということを説明できる職員の割合):
//                                   each staff member answers once per fiscal year (may change it)
#include <algorithm>
#include <cmath>
#include <set>

#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/projects.h"
#include "server/web/publish.h"
#include "server/web/reports.h"
#include "server/web/targets.h"
#include "server/web/text.h"

namespace kyodo::server::web {

std::vector<IndicatorSeries> indicator_series(const Json& defs, const std::vector<IndicatorYear>& stored,
                                              const std::vector<AdminStorage::SurveyAnswerCount>& answers,
                                              const std::map<int, StaffSurveyTotal>& staff, int this_year) {
    static const char* const marks[] = {"①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"};
    std::vector<IndicatorSeries> out;
    if (!defs.is_array()) return out;
    // Kiosk survey answers by fiscal year (Japan time of the answer).
    // (`at` is the UTC hour "YYYY-MM-DDTHH" or the whole created_at: JST is whole hours ahead.)
    std::map<int, std::vector<AdminStorage::SurveyAnswerCount>> by_year;
    for (const auto& a : answers)
        if (const int y = fiscal_year(jst_datetime(a.at.size() == 13 ? a.at + ":00:00Z" : a.at).substr(0, 10))) by_year[y].push_back(a);
    std::size_t i = 0;
    for (const Json& d : defs) {
        IndicatorSeries s;
        s.code = str(d, "code");
        s.label = str(d, "label");
        s.mark = i < 10 ? marks[i] : "";
        ++i;
        s.measured_by = str(d, "measured_by").empty() ? "resident_survey" : str(d, "measured_by");
        std::map<int, IndicatorPoint> pts;
        auto at = [&](int y) -> IndicatorPoint& {
            auto& p = pts[y];
            p.fiscal_year = y;
            return p;
        };
        // The plan: the baseline is a measurement, the mid and final targets are targets.
        if (d.contains("baseline") && d["baseline"].is_number()) {
            auto& p = at(d.value("baseline_year", 0));
            p.measured = d["baseline"].get<double>();
            p.measured_from = tr("targets.from.baseline");
        }
        for (const auto& [k, ky] : {std::pair<const char*, const char*>{"mid_target", "mid_target_year"}, {"target", "target_year"}})
            if (d.contains(k) && d[k].is_number()) {
                auto& p = at(d.value(ky, 0));
                p.target = d[k].get<double>();
                p.target_from = tr("targets.from.plan");
            }
        // What the kiosk survey or the staff survey measured, per year.
        if (s.measured_by == "staff_survey") {
            for (const auto& [y, t] : staff)
                if (t.answered > 0) {
                    auto& p = at(y);
                    p.measured = 100.0 * t.yes / t.answered;
                    p.measured_from = tr("targets.from.staff_survey");
                    p.respondents = t.answered;
                }
        } else {
            for (const auto& [y, rs] : by_year) {
                const auto ind = indicators(Json::array({d}), rs);
                if (ind.empty() || ind[0].answered == 0) continue;
                auto& p = at(y);
                p.measured = ind[0].share;
                p.measured_from = tr("targets.from.kiosk_survey");
                p.respondents = ind[0].answered;
            }
        }
        // The dashboard's rows win: a target set for the year, a figure from the city's own survey.
        for (const IndicatorYear& v : stored) {
            if (v.code != s.code) continue;
            auto& p = at(v.fiscal_year);
            if (v.target) {
                p.target = v.target;
                p.target_from = tr("targets.from.year_target");
            }
            if (v.measured) {
                p.measured = v.measured;
                p.measured_from = v.source.empty() ? tr("targets.from.entered") : v.source;
                p.respondents = v.respondents;
            }
        }
        at(this_year);
        pts.erase(0);
        for (auto& [y, p] : pts) s.points.push_back(p);
        out.push_back(std::move(s));
    }
    return out;
}

std::string svg_years(const IndicatorSeries& s) {
    // Values are written in two rows under the years (実績 / 目標), never floating in the plot,
    // so a bar reaching a target never hides a number.
    const int n = static_cast<int>(s.points.size());
    const int left = 64, col = 76, top = 36, plot_h = 160;
    const int width = left + col * std::max(n, 1) + 8, height = top + plot_h + 100;
    auto y_of = [&](double v) { return top + plot_h - static_cast<int>(std::lround(plot_h * std::clamp(v, 0.0, 100.0) / 100.0)); };
    auto num = [](int v) { return std::to_string(v); };
    const int row_year = top + plot_h + 22, row_era = row_year + 18, row_measured = row_era + 26, row_target = row_measured + 24;
    std::string o = "<svg class=\"chart years\" role=\"img\" aria-label=\"" + esc(trf("targets.chart.aria", {{"label", s.label}})) + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\">";
    // Legend.
    o += "<rect x=\"" + num(left) + "\" y=\"6\" width=\"14\" height=\"14\" class=\"bar\"/><text x=\"" + num(left + 20) + "\" y=\"18\" class=\"lg\">" + esc(tr("targets.measured")) + "</text>";
    o += "<line x1=\"" + num(left + 80) + "\" x2=\"" + num(left + 104) + "\" y1=\"13\" y2=\"13\" class=\"tline\"/><circle cx=\"" + num(left + 92) +
         "\" cy=\"13\" r=\"5\" class=\"tdot\"/><text x=\"" + num(left + 110) + "\" y=\"18\" class=\"lg\">" + esc(tr("targets.target")) + "</text>";
    // Axis: 0, 25, 50, 75, 100 %.
    for (int v = 0; v <= 100; v += 25) {
        const int y = y_of(v);
        o += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - 4) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\" class=\"grid\"/>";
        o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 5) + "\" text-anchor=\"end\" class=\"ax\">" + num(v) + "%</text>";
    }
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(row_measured) + "\" text-anchor=\"end\" class=\"lg\">" + esc(tr("targets.measured")) + "</text>";
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(row_target) + "\" text-anchor=\"end\" class=\"lg tval\">" + esc(tr("targets.target")) + "</text>";
    std::string tpath, dots;
    for (int i = 0; i < n; ++i) {
        const IndicatorPoint& p = s.points[static_cast<std::size_t>(i)];
        const int cx = left + col * i + col / 2;
        if (p.measured) {
            const int y = y_of(*p.measured);
            o += "<rect x=\"" + num(cx - 18) + "\" y=\"" + num(y) + "\" width=\"36\" height=\"" + num(top + plot_h - y) + "\" class=\"bar\"/>";
        }
        if (p.target) {
            const int y = y_of(*p.target);
            tpath += (tpath.empty() ? "M" : " L") + num(cx) + " " + num(y);
            dots += "<circle cx=\"" + num(cx) + "\" cy=\"" + num(y) + "\" r=\"5\" class=\"tdot\"/>";
        }
        // Year: western on the first line, era on the second ("2006" / "H18"); then the values.
        // The era letter and year from the fiscal year itself (令和 2019 R, 平成 1989 H, 昭和 1926 S).
        const int fy = p.fiscal_year;
        const int era_first = fy >= 2019 ? 2019 : fy >= 1989 ? 1989 : fy >= 1926 ? 1926 : 0;
        const std::string short_era = era_first == 2019 ? "R" : era_first == 1989 ? "H" : era_first == 1926 ? "S" : "";
        const std::string n_era = era_first ? std::to_string(fy - era_first + 1) : "";
        o += "<text x=\"" + num(cx) + "\" y=\"" + num(row_year) + "\" text-anchor=\"middle\" class=\"yr\">" + num(p.fiscal_year) + "</text>";
        o += "<text x=\"" + num(cx) + "\" y=\"" + num(row_era) + "\" text-anchor=\"middle\" class=\"ax\">" + esc(short_era + n_era) + "</text>";
        o += "<text x=\"" + num(cx) + "\" y=\"" + num(row_measured) + "\" text-anchor=\"middle\" class=\"val\">" + (p.measured ? fmt1(*p.measured) : "—") + "</text>";
        o += "<text x=\"" + num(cx) + "\" y=\"" + num(row_target) + "\" text-anchor=\"middle\" class=\"tval\">" + (p.target ? fmt1(*p.target) : "—") + "</text>";
    }
    if (!tpath.empty()) o += "<path d=\"" + tpath + "\" class=\"tline\"/>";
    return o + dots + "</svg>";
}

namespace {

std::optional<double> parse_percent(const std::string& s, const std::string& field, FieldErrors& err) {
    if (s.empty()) return std::nullopt;
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size() || !(v >= 0 && v <= 100)) throw std::out_of_range("percent");
        return v;
    } catch (const std::exception&) {
        err.add(field, tr("targets.err.percent"));
        return std::nullopt;
    }
}

std::string field_ja(const std::string& f) {
    if (f == "target") return tr("targets.target");
    if (f == "measured") return tr("targets.measured");
    if (f == "respondents") return tr("targets.respondents");
    if (f == "source") return tr("targets.source");
    return f;
}

std::vector<IndicatorSeries> series(App& app) {
    return indicator_series(app.opts.indicator_targets, app.st.civic().indicator_years(),
                            app.st.admin().survey_tally("", true).answers, app.st.civic().staff_survey_totals(),
                            fiscal_year(jst_today()));
}

// One indicator's block: chart, table, the edit form (editors), the history.
std::string block(App& app, const Ctx& c, const IndicatorSeries& s, const FieldErrors& err, const std::map<std::string, std::string>& typed) {
    std::string b = "<section class=\"indicator\" id=\"ind-" + esc(s.code) + "\"><h2>" + esc(s.mark + s.label) + "</h2>";
    b += "<p class=\"muted\">" + esc(tr("targets.measured_by")) +
         (s.measured_by == "staff_survey"
              ? esc(tr("targets.by_staff")) + "<a href=\"/admin/staff-survey\">" + esc(tr("targets.answer_link")) + "</a>" + esc(tr("targets.by_staff_tail"))
              : esc(tr("targets.by_residents"))) +
         "</p>" + svg_years(s);
    b += "<div class=\"scroll\"><table class=\"report\"><thead><tr><th>" + esc(tr("targets.col.year")) + "</th><th class=\"num\">" + esc(tr("targets.target")) +
         "</th><th>" + esc(tr("targets.col.target_from")) + "</th><th class=\"num\">" + esc(tr("targets.measured")) + "</th><th>" + esc(tr("targets.source")) +
         "</th><th class=\"num\">" + esc(tr("targets.respondents")) + "</th></tr></thead><tbody>";
    for (const auto& p : s.points)
        b += "<tr><td class=\"lbl\">" + esc(year_label_ja(p.fiscal_year)) + "</td><td class=\"num\">" + (p.target ? fmt1(*p.target) + "%" : "—") + "</td><td>" +
             esc(p.target_from) + "</td><td class=\"num\"><strong>" + (p.measured ? fmt1(*p.measured) + "%" : "—") + "</strong></td><td>" + esc(p.measured_from) +
             "</td><td class=\"num\">" + (p.respondents ? std::to_string(p.respondents) : "") + "</td></tr>";
    b += "</tbody></table></div>";
    if (c.role >= Role::Editor) {
        std::map<std::string, std::string> labels;
        const FormCtx f{err, false, &labels};
        auto v = [&](const char* k) {
            auto it = typed.find(k);
            return it == typed.end() ? std::string() : it->second;
        };
        b += "<details class=\"edit\"" + std::string(err.any() ? " open" : "") + "><summary>" + esc(tr("targets.edit.summary")) + "</summary>" +
             err.summary_html(labels) + "<form method=\"post\" action=\"/admin/indicators/" + esc(s.code) + "\" class=\"grid2\" novalidate>" + csrf_field(c) +
             text_field(f, "fiscal_year", tr("targets.edit.fiscal_year"), v("fiscal_year").empty() ? std::to_string(fiscal_year(jst_today())) : v("fiscal_year"),
                        "type=\"number\" min=\"1989\" max=\"2100\" required") +
             text_field(f, "target", tr("targets.edit.target"), v("target"), "type=\"number\" min=\"0\" max=\"100\" step=\"0.1\"", tr("targets.edit.target_hint")) +
             text_field(f, "measured", tr("targets.edit.measured"), v("measured"), "type=\"number\" min=\"0\" max=\"100\" step=\"0.1\"",
                        tr("targets.edit.measured_hint")) +
             text_field(f, "respondents", tr("targets.respondents"), v("respondents"), "type=\"number\" min=\"0\" step=\"1\"") +
             text_field(f, "source", tr("targets.source"), v("source"), "maxlength=\"100\"", tr("targets.edit.source_hint"), "wide") +
             text_field(f, "reason", tr("targets.edit.reason"), v("reason"), "maxlength=\"200\" required", "", "wide") +
             "<div class=\"wide actions\"><button class=\"primary\">" + esc(tr("targets.save")) + "</button></div></form></details>";
    }
    const auto changes = app.st.civic().indicator_changes(s.code);
    if (!changes.empty()) {
        b += "<details class=\"history\"><summary>" + esc(trf("targets.history.summary", {{"n", std::to_string(changes.size())}})) +
             "</summary><table><thead><tr><th>" + esc(tr("targets.history.at")) + "</th><th>" + esc(tr("targets.history.user")) + "</th><th>" +
             esc(tr("targets.col.year")) + "</th><th>" + esc(tr("targets.history.field")) + "</th><th>" + esc(tr("targets.history.old")) + "</th><th>" +
             esc(tr("targets.history.new")) + "</th><th>" + esc(tr("targets.history.reason")) + "</th></tr></thead><tbody>";
        for (const auto& ch : changes)
            b += "<tr><td>" + esc(jst_datetime(ch.at)) + "</td><td>" + esc(ch.user) + "</td><td>" + esc(era_year_ja(ch.fiscal_year)) + "</td><td>" + esc(field_ja(ch.field)) +
                 "</td><td>" + esc(ch.old_value.empty() ? "—" : ch.old_value) + "</td><td>" + esc(ch.new_value.empty() ? "—" : ch.new_value) + "</td><td>" +
                 esc(ch.reason) + "</td></tr>";
        b += "</tbody></table></details>";
    }
    return b + "</section>";
}

void indicators_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, const std::string& bad_code = "",
                     const FieldErrors& err = {}, const std::map<std::string, std::string>& typed = {}) {
    const auto all = series(app);
    std::string b = flash(req) + "<p>" + esc(tr("targets.intro")) +
                    "</p><p class=\"actions\"><a class=\"button\" href=\"/admin/indicators.csv\">CSV</a><a class=\"button\" href=\"/admin/reports/indicators\">" +
                    esc(tr("targets.kiosk_report_link")) + "</a><a class=\"button\" href=\"/admin/staff-survey\">" + esc(tr("targets.from.staff_survey")) + "</a></p>";
    if (all.empty())
        b += "<p class=\"error\">" + esc(tr("targets.no_indicators")) + "<code>kyodo-server serve --catalog FILE</code>" + esc(tr("targets.no_indicators_tail")) +
             "</p>";
    for (const auto& s : all) b += block(app, c, s, s.code == bad_code ? err : FieldErrors{}, s.code == bad_code ? typed : std::map<std::string, std::string>{});
    send_html(res, err.any() ? 400 : 200, page(c, tr("targets.title"), b, "/admin/reports"));
}

void save_indicator(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const std::string code = req.matches[1];
    bool known = false;
    if (app.opts.indicator_targets.is_array())
        for (const Json& d : app.opts.indicator_targets)
            if (str(d, "code") == code) known = true;
    if (!known) return not_found(c, res, trf("targets.err.no_indicator", {{"code", code}}));
    FieldErrors err;
    std::map<std::string, std::string> typed;
    for (const char* k : {"fiscal_year", "target", "measured", "respondents", "source", "reason"}) typed[k] = trim(posted(c.form, k));
    IndicatorYear v;
    v.code = code;
    try {
        std::size_t used = 0;
        v.fiscal_year = std::stoi(typed["fiscal_year"], &used);
        if (used != typed["fiscal_year"].size() || v.fiscal_year < 1989 || v.fiscal_year > 2100) throw std::out_of_range("fy");
    } catch (const std::exception&) {
        err.add("fiscal_year", tr("targets.err.fiscal_year"));
    }
    v.target = parse_percent(typed["target"], "target", err);
    v.measured = parse_percent(typed["measured"], "measured", err);
    if (!typed["respondents"].empty()) {
        try {
            std::size_t used = 0;
            v.respondents = std::stoll(typed["respondents"], &used);
            if (used != typed["respondents"].size() || v.respondents < 0) throw std::out_of_range("n");
        } catch (const std::exception&) {
            err.add("respondents", tr("targets.err.respondents"));
        }
    }
    v.source = typed["source"];
    check_text(err, "source", v.source, 100, false);
    check_text(err, "reason", typed["reason"], 200, true);
    if (err.at.count("reason") && typed["reason"].empty()) err.at["reason"] = tr("targets.err.reason");
    if (err.any()) return indicators_page(app, c, req, res, code, err, typed);
    v.updated_by = c.s.user;
    v.updated_at = rfc3339_now();
    const int n = app.st.civic().set_indicator_year(v, typed["reason"]);
    if (n) app.audit(c, "indicator_set", code, era_year_ja(v.fiscal_year) + " " + std::to_string(n) + " values");
    redirect(res, "/admin/indicators?msg=" + url_encode(n ? trf("targets.saved", {{"year", era_year_ja(v.fiscal_year)}, {"n", std::to_string(n)}}) : tr("targets.unchanged")) +
                      "#ind-" + code);
}

void staff_survey_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const int fy = fiscal_year(jst_today());
    const auto mine = app.st.civic().staff_answer(fy, c.s.user);
    const auto totals = app.st.civic().staff_survey_totals();
    std::string b = flash(req) + "<p>" + esc(trf("targets.staff.intro", {{"year", era_year_ja(fy)}})) +
                    "</p><form method=\"post\" action=\"/admin/staff-survey\" class=\"panel\">" + csrf_field(c) + "<fieldset><legend>" +
                    esc(tr("targets.staff.question")) + "</legend><label class=\"check\"><input type=\"radio\" name=\"answer\" value=\"yes\"" +
                    (mine && *mine ? " checked" : "") + " required> " + esc(tr("targets.staff.yes")) +
                    "</label><label class=\"check\"><input type=\"radio\" name=\"answer\" value=\"no\"" + (mine && !*mine ? " checked" : "") + "> " +
                    esc(tr("targets.staff.no")) + "</label></fieldset><button class=\"primary\">" +
                    esc(mine ? tr("targets.staff.change") : tr("targets.answer_link")) + "</button></form>";
    b += "<p class=\"muted\">" + esc(tr("targets.staff.definition")) + "</p>";
    b += "<h2>" + esc(tr("targets.staff.totals")) + "</h2><table class=\"report\"><thead><tr><th>" + esc(tr("targets.col.year")) + "</th><th class=\"num\">" +
         esc(tr("targets.staff.answered")) + "</th><th class=\"num\">" + esc(tr("targets.staff.can_explain")) + "</th><th class=\"num\">" +
         esc(tr("targets.staff.share")) + "</th></tr></thead><tbody>";
    for (auto it = totals.rbegin(); it != totals.rend(); ++it)
        b += "<tr><td class=\"lbl\">" + esc(year_label_ja(it->first)) + "</td><td class=\"num\">" + std::to_string(it->second.answered) + "</td><td class=\"num\">" +
             std::to_string(it->second.yes) + "</td><td class=\"num\"><strong>" +
             (it->second.answered ? fmt1(100.0 * it->second.yes / it->second.answered) + "%" : "—") + "</strong></td></tr>";
    if (totals.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("targets.staff.none")) + "</td></tr>";
    b += "</tbody></table><p><a href=\"/admin/indicators#ind-staff_can_explain\">" + esc(tr("targets.staff.to_indicators")) + "</a></p>";
    send_html(res, 200, page(c, tr("targets.staff.title"), b, "/admin/reports"));
}

}  // namespace

void install_targets(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/indicators", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { indicators_page(app, c, req, res); });
    app.get(svr, R"(/admin/indicators\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res_out) {
        send_cached(app, req, res_out, export_key(app, "indicators-by-year.csv"), true, "private, no-cache", [&](httplib::Response& res) {
        Csv csv;
        csv.row({tr("targets.csv.indicator"), tr("targets.csv.name"), tr("targets.col.year"), tr("targets.csv.era_year"), tr("targets.edit.target"),
                 tr("targets.col.target_from"), tr("targets.edit.measured"), tr("targets.source"), tr("targets.respondents")});
        for (const auto& s : series(app))
            for (const auto& p : s.points)
                csv.row({s.code, s.mark + s.label, std::to_string(p.fiscal_year), era_year_ja(p.fiscal_year), p.target ? fmt1(*p.target) : "", p.target_from,
                         p.measured ? fmt1(*p.measured) : "", p.measured_from, p.respondents ? std::to_string(p.respondents) : ""});
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"indicators-by-year.csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
        });
    });
    app.post(svr, R"(/admin/indicators/([a-z0-9_]+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { save_indicator(app, c, req, res); });
    app.get(svr, "/admin/staff-survey", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { staff_survey_page(app, c, req, res); });
    app.post(svr, "/admin/staff-survey", Role::Viewer, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string a = posted(c.form, "answer");
        if (a != "yes" && a != "no") return redirect(res, "/admin/staff-survey?msg=" + url_encode(tr("targets.staff.err_choose")));
        app.st.civic().put_staff_answer(fiscal_year(jst_today()), c.s.user, a == "yes", rfc3339_now());
        redirect(res, "/admin/staff-survey?msg=" + url_encode(tr("targets.staff.thanks")));
    });
}

}  // namespace kyodo::server::web
