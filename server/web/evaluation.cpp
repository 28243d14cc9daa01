// The check sheet and the evaluation sheet (issue 12 point 4; docs/dashboard.md, "Evaluation"):
//   /admin/projects/<id>/evaluation?fy=        the year's sheets side by side (self | partner)
//   /admin/projects/<id>/evaluation/self?fy=   the department's own sheet (editors; viewers read)
//   /admin/projects/<id>/evaluation-link       issue / re-issue / revoke the partner's link
//   /p/evaluation/<token>                      the partner's sheet on a phone or PC, no login
//   /admin/checksheets, /new, /<id>            the 協働チェックシート, one question at a time
// The partner's link works like the organiser's check-in link (checkin.cpp): a per-project
// random token of which only the SHA-256 is stored, shown once when issued; re-issuing replaces
// it, 無効にする ends it; the form carries a token bound to the link and signed with the
// per-process secret, and the server checks Origin / Sec-Fetch-Site.
#include "server/web/evaluation.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/projects.h"
#include "server/web/publish.h"
#include "server/web/reports.h"
#include "server/web/text.h"

namespace kyodo::server::web {

// --- the sheets as data ------------------------------------------------------------------------

const std::vector<EvaluationStage>& evaluation_stages() {
    // Seed 002, 資料2 協働事業の評価シート: the words are in the tables (evaluation.stage.<stage>,
    // evaluation.item.<stage>_<n>; Japanese word for word).
    auto items = [](const char* stage, int n) {
        std::vector<std::string> v;
        for (int i = 1; i <= n; ++i) v.push_back("evaluation.item." + std::string(stage) + "_" + std::to_string(i));
        return v;
    };
    static const std::vector<EvaluationStage> s = {
        {"plan", "evaluation.stage.plan", items("plan", 9)},
        {"do", "evaluation.stage.do", items("do", 6)},
        {"result", "evaluation.stage.result", items("result", 5)},
        {"improve", "evaluation.stage.improve", items("improve", 5)},
    };
    return s;
}

int evaluation_item_count() {
    int n = 0;
    for (const auto& s : evaluation_stages()) n += static_cast<int>(s.items.size());
    return n;
}

const std::vector<std::pair<std::string, std::string>>& evaluation_answers() {
    static const std::vector<std::pair<std::string, std::string>> a = {
        {"yes", "evaluation.answer.yes"}, {"partly", "evaluation.answer.partly"}, {"no", "evaluation.answer.no"}, {"na", "evaluation.answer.na"}};
    return a;
}

std::string evaluation_answer_label(const std::string& code) {
    for (const auto& [c, k] : evaluation_answers())
        if (c == code) return tr(k);
    return "";
}

const std::vector<CheckQuestion>& check_questions() {
    // Keys of the tables: evaluation.check.q.<code>, .hint.<code>, .opt.<code>_<value>.
    auto q = [](const char* code, std::vector<CheckOption> options) {
        for (auto& o : options) o.label = "evaluation.check.opt." + std::string(code) + "_" + o.value;
        return CheckQuestion{code, "evaluation.check.q." + std::string(code), "evaluation.check.hint." + std::string(code), std::move(options)};
    };
    static const std::vector<CheckQuestion> qs = {
        q("power", {{"yes", "", "", "gyosei"}, {"no", "", "private", ""}}),
        q("private", {{"yes", "", "", "shimin"}, {"no", "", "benefit", ""}}),
        q("benefit", {{"yes", "", "lead", ""}, {"no", "", "sustain", ""}}),
        q("sustain", {{"yes", "", "", "gyosei_review"}, {"no", "", "lead", ""}}),
        q("lead", {{"citizen", "", "money", ""}, {"equal", "", "body", ""}, {"city", "", "facility", ""}}),
        q("money", {{"yes", "", "", "shien_subsidy"}, {"no", "", "support", ""}}),
        q("support", {{"yes", "", "", "shien_support"}, {"no", "", "", "shien_patronage"}}),
        q("body", {{"yes", "", "", "kyodo_committee"}, {"no", "", "", "kyodo_cohost"}}),
        q("facility", {{"yes", "", "", "kyoryoku_manager"}, {"no", "", "commission", ""}}),
        q("commission", {{"yes", "", "", "kyoryoku_commission"}, {"no", "", "", "kyoryoku_cooperation"}}),
    };
    return qs;
}

namespace {

const std::vector<CheckResult>& check_results() {
    // Keys of the tables: evaluation.check.kind.*, .domain.<1–5> (図1's domains), .advice.<code>.
    static const std::vector<CheckResult> r = {
        {"gyosei", "evaluation.check.kind.gyosei", "evaluation.check.domain.5", "", "", "evaluation.check.advice.gyosei"},
        {"shimin", "evaluation.check.kind.shimin", "evaluation.check.domain.1", "", "", "evaluation.check.advice.shimin"},
        {"gyosei_review", "evaluation.check.kind.gyosei_for_now", "evaluation.check.domain.5", "", "", "evaluation.check.advice.gyosei_review"},
        {"shien_subsidy", "evaluation.check.kind.kyodo", "evaluation.check.domain.2", "shien", "subsidy", "evaluation.check.advice.shien_subsidy"},
        {"shien_support", "evaluation.check.kind.kyodo", "evaluation.check.domain.2", "shien", "activity_support", "evaluation.check.advice.shien_support"},
        {"shien_patronage", "evaluation.check.kind.kyodo", "evaluation.check.domain.2", "shien", "patronage", "evaluation.check.advice.shien_patronage"},
        {"kyodo_committee", "evaluation.check.kind.kyodo", "evaluation.check.domain.3", "kyodo", "executive_committee", "evaluation.check.advice.kyodo_committee"},
        {"kyodo_cohost", "evaluation.check.kind.kyodo", "evaluation.check.domain.3", "kyodo", "co_host", "evaluation.check.advice.kyodo_cohost"},
        {"kyoryoku_manager", "evaluation.check.kind.kyodo", "evaluation.check.domain.4", "kyoryoku", "designated_manager", "evaluation.check.advice.kyoryoku_manager"},
        {"kyoryoku_commission", "evaluation.check.kind.kyodo", "evaluation.check.domain.4", "kyoryoku", "commission", "evaluation.check.advice.kyoryoku_commission"},
        {"kyoryoku_cooperation", "evaluation.check.kind.kyodo", "evaluation.check.domain.4", "kyoryoku", "cooperation", "evaluation.check.advice.kyoryoku_cooperation"},
    };
    return r;
}

}  // namespace

const CheckResult* check_result(const std::string& code) {
    for (const auto& r : check_results())
        if (r.code == code) return &r;
    return nullptr;
}

CheckWalk check_walk(const std::map<std::string, std::string>& answers) {
    CheckWalk w;
    const auto& qs = check_questions();
    const CheckQuestion* q = &qs.front();
    for (std::size_t guard = 0; q && guard < qs.size(); ++guard) {
        const auto a = answers.find(q->code);
        const CheckOption* chosen = nullptr;
        if (a != answers.end())
            for (const auto& o : q->options)
                if (o.value == a->second) chosen = &o;
        if (!chosen) {
            w.next = q;
            return w;
        }
        w.path.emplace_back(q, chosen);
        if (!chosen->result.empty()) {
            w.result = check_result(chosen->result);
            return w;
        }
        const CheckQuestion* nq = nullptr;
        for (const auto& x : qs)
            if (x.code == chosen->next) nq = &x;
        q = nq;
    }
    return w;
}

namespace {

int param_int(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return 0;
    try {
        return std::stoi(req.get_param_value(name));
    } catch (const std::exception&) {
        return 0;
    }
}

int to_int(const std::string& s) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(s, &used);
        return used == s.size() ? v : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

// The years a project's sheets can be for: its register year up to this fiscal year (a
// project registered once and run for several years is evaluated each year).
std::vector<int> eval_years(const Project& p) {
    std::vector<int> ys;
    const int last = std::max(p.fiscal_year, fiscal_year(jst_today()));
    for (int y = p.fiscal_year; y <= last && ys.size() < 20; ++y) ys.push_back(y);
    return ys;
}

int chosen_year(const Project& p, int asked) {
    const auto ys = eval_years(p);
    return std::find(ys.begin(), ys.end(), asked) != ys.end() ? asked : p.fiscal_year;
}

// One evaluator's sheets of one year, by stage code.
std::map<std::string, EvaluationSheet> sheets_of(const std::vector<EvaluationSheet>& all, int fy, const std::string& who) {
    std::map<std::string, EvaluationSheet> out;
    for (const auto& e : all)
        if (e.fiscal_year == fy && e.evaluator == who) out[e.stage] = e;
    return out;
}

EvaluationScore score_of(const std::map<std::string, EvaluationSheet>& by_stage) {
    EvaluationScore s;
    for (const auto& [st, e] : by_stage)
        for (const auto& [n, a] : e.answers) {
            if (a.empty() || a == "na") continue;
            ++s.answered;
            s.yes += a == "yes";
        }
    return s;
}

std::string form_label(const std::string& code) {
    const auto f = form_from_code(code);
    if (!f) return "";
    const char* circ = *f == Form::Kyodo ? "①" : *f == Form::Kyoryoku ? "②" : "③";
    return std::string(circ) + tr(std::string("form.") + code);
}

// Answers posted as q_<stage>_<n> and comments as comment_<stage>: the four stages' sheets.
std::vector<EvaluationSheet> read_sheet(const std::map<std::string, std::string>& form, FieldErrors& err) {
    std::vector<EvaluationSheet> out;
    for (const auto& st : evaluation_stages()) {
        EvaluationSheet e;
        e.stage = st.code;
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const std::string name = "q_" + std::string(st.code) + "_" + std::to_string(i);
            const std::string a = posted(form, name);
            if (a.empty()) continue;
            if (evaluation_answer_label(a).empty()) {
                err.add(name, tr("evaluation.err.answer"));
                continue;
            }
            e.answers[static_cast<int>(i)] = a;
        }
        const std::string cn = "comment_" + std::string(st.code);
        e.comment = trim(normalise_newlines(posted(form, cn)));
        check_text(err, cn, e.comment, 1000, false, true);
        out.push_back(std::move(e));
    }
    return out;
}

// The 25 items as radio groups, stage by stage, each with its comment box.
std::string sheet_fields(const FormCtx& f, const std::map<std::string, EvaluationSheet>& cur, const std::map<std::string, std::string>* typed) {
    std::string b;
    for (const auto& st : evaluation_stages()) {
        const auto it = cur.find(st.code);
        b += "<fieldset class=\"eval-stage wide\" id=\"stage-" + std::string(st.code) + "\"><legend>" + esc(tr(st.label)) + "</legend><ol class=\"eval-items\">";
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const std::string name = "q_" + std::string(st.code) + "_" + std::to_string(i);
            f.note(name, tr(st.label) + " " + std::to_string(i));
            std::string v;
            if (typed) v = posted(*typed, name);
            else if (it != cur.end() && it->second.answers.count(static_cast<int>(i))) v = it->second.answers.at(static_cast<int>(i));
            const bool bad = f.err.at.count(name) > 0;
            b += "<li id=\"" + esc(field_id(name)) + "\" class=\"eval-item" + (bad ? " invalid" : "") + "\"><p><span class=\"no\">" + std::to_string(i) +
                 "</span>" + esc(tr(st.items[i - 1])) + "</p><div class=\"scale\" role=\"radiogroup\" aria-label=\"" + esc(tr(st.items[i - 1])) + "\">";
            for (const auto& [code, label] : evaluation_answers())
                b += "<label><input type=\"radio\" name=\"" + esc(name) + "\" value=\"" + code + "\"" + (v == code ? " checked" : "") +
                     (f.ro ? " disabled" : "") + "> " + esc(tr(label)) + "</label>";
            b += "</div>" + field_error(f.err, name) + "</li>";
        }
        b += "</ol>";
        const std::string cn = "comment_" + std::string(st.code);
        b += textarea_field(f, cn, trf("evaluation.stage_comment", {{"stage", tr(st.label)}}), typed ? posted(*typed, cn) : it != cur.end() ? it->second.comment : "", 2,
                            "maxlength=\"1000\"", "", "wide");
        b += "</fieldset>";
    }
    return b;
}

std::string project_head(const Project& p, int fy) {
    std::string partners;
    for (const auto& x : p.partners) partners += (partners.empty() ? "" : tr("evaluation.list_sep")) + x.name;
    return "<dl class=\"sheet-head\"><dt>" + esc(tr("evaluation.head.title")) + "</dt><dd>" + esc(p.title) + "</dd><dt>" + esc(tr("evaluation.head.department")) +
           "</dt><dd>" + esc(p.department.empty() ? "—" : p.department) + "</dd><dt>" + esc(tr("evaluation.head.partners")) + "</dt><dd>" +
           esc(partners.empty() ? "—" : partners) + "</dd><dt>" + esc(tr("evaluation.head.year")) + "</dt><dd>" + esc(era_year_ja(fy)) + "</dd></dl>";
}

// --- the partner's link ----------------------------------------------------------------------

std::string form_token(const App& app, const std::string& token_hash) {
    const std::string exp = std::to_string(now_millis() + 12LL * 3600 * 1000);
    return exp + "." + public_sign(app, "evaluation|" + token_hash + "|" + exp);
}

bool form_token_ok(const App& app, const std::string& tok, const std::string& token_hash) {
    const auto dot = tok.find('.');
    if (dot == std::string::npos) return false;
    const std::string exp = tok.substr(0, dot), mac = tok.substr(dot + 1);
    std::int64_t e = 0;
    try {
        e = std::stoll(exp);
    } catch (const std::exception&) {
        return false;
    }
    if (e < now_millis()) return false;
    const std::string want = public_sign(app, "evaluation|" + token_hash + "|" + exp);
    return want.size() == mac.size() && sodium_memcmp(want.data(), mac.data(), mac.size()) == 0;
}

std::string link_panel(App& app, const Ctx& c, const Project& p, const std::string& new_url = "") {
    const auto link = app.st.civic().evaluation_link(p.id);
    const bool live = link && !link->revoked;
    std::string b = "<div class=\"panel noprint\" id=\"evaluation-link\"><strong>" + esc(tr("evaluation.link.title")) + "</strong><br>";
    if (!new_url.empty())
        b += "<p class=\"notice\">" + esc(tr("evaluation.link.issued")) + "<br><code class=\"url\">" + esc(new_url) + "</code></p>";
    b += esc(live ? trf("evaluation.link.live", {{"at", jst_datetime(link->created_at)}, {"by", link->created_by}})
                  : link ? trf("evaluation.link.revoked", {{"at", jst_datetime(link->revoked_at)}}) : tr("evaluation.link.none"));
    if (c.role >= Role::Editor) {
        b += "<form class=\"inline\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/evaluation-link\">" + csrf_field(c) +
             "<button name=\"op\" value=\"issue\">" + esc(live ? tr("evaluation.link.reissue") : tr("evaluation.link.issue")) + "</button>";
        if (live) b += "<button class=\"danger\" name=\"op\" value=\"revoke\">" + esc(tr("evaluation.link.revoke")) + "</button>";
        b += "</form>";
    }
    return b + "</div>";
}

std::string invalid_link_page() {
    return "<h1>" + esc(tr("evaluation.invalid.title")) + "</h1><p>" + esc(tr("evaluation.invalid.text")) + "</p>";
}

std::optional<std::pair<EvaluationLink, Project>> resolve(App& app, const httplib::Request& req, httplib::Response& res, const std::string& token) {
    const std::string who = "evaluation-ip:" + req.remote_addr;
    const std::int64_t now = now_millis();
    if (const std::int64_t wait = app.throttle.wait_ms(who, app.rule(limits::kReceiptAddress), now); wait > 0) {
        res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
        send_html(res, 429, phone_page(tr("evaluation.wait.title"), "<h1>" + esc(tr("evaluation.wait.title")) + "</h1><p>" + esc(tr("evaluation.wait.text")) + "</p>"));
        return std::nullopt;
    }
    auto link = app.st.civic().evaluation_link_by_token(sha256_hex(token));
    auto p = link ? app.st.civic().project(link->project_id) : std::nullopt;
    if (!link || !p) {
        app.throttle.fail(who, app.rule(limits::kReceiptAddress), now);
        send_html(res, 404, phone_page(tr("evaluation.partner.page_title"), invalid_link_page()));
        return std::nullopt;
    }
    return std::make_pair(*link, *p);
}

void partner_page(App& app, httplib::Response& res, int status, const EvaluationLink& link, const Project& p, const std::string& token, int fy,
                  const FieldErrors& err, const std::map<std::string, std::string>* typed, const std::string& notice) {
    const auto mine = sheets_of(app.st.civic().evaluations(p.id), fy, "partner");
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    std::string name = typed ? posted(*typed, "name") : "";
    if (!typed)
        for (const auto& [st, e] : mine) name = e.by;
    std::string b = "<p class=\"muted\">" + esc(tr("evaluation.partner.kicker")) + "</p><h1>" + esc(p.title) + "</h1>" + project_head(p, fy);
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    const auto ys = eval_years(p);
    if (ys.size() > 1) {
        b += "<form method=\"get\" action=\"/p/evaluation/" + esc(token) + "\" class=\"filters\"><label>" + esc(tr("evaluation.year")) + "<select name=\"fy\">";
        for (int y : ys) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(era_year_ja(y)) + "</option>";
        b += "</select></label><button>" + esc(tr("evaluation.show")) + "</button></form>";
    }
    b += "<p>" + esc(tr("evaluation.partner.intro")) + "</p>";
    b += err.summary_html(labels);
    b += "<form method=\"post\" action=\"/p/evaluation/" + esc(token) + "\" class=\"sheet\" novalidate><input type=\"hidden\" name=\"t\" value=\"" +
         esc(form_token(app, link.token_hash)) + "\"><input type=\"hidden\" name=\"fy\" value=\"" + std::to_string(fy) + "\">";
    b += text_field(f, "name", tr("evaluation.partner.name"), name, "required maxlength=\"100\" autocomplete=\"organization\"", "", "wide");
    b += sheet_fields(f, mine, typed);
    b += "<div class=\"actions\"><button class=\"primary\">" + esc(tr("evaluation.partner.send")) + "</button></div></form><p class=\"muted\">" +
         esc(tr("evaluation.partner.private")) + "</p>";
    send_html(res, status, phone_page(tr("evaluation.partner.page_title") + " " + p.title, b));
}

// --- the dashboard's pages ---------------------------------------------------------------------

// The residents' view (issue 12 point 4): survey answers given at the kiosk on a project's
// listings (the survey offered on the listing's detail page carries payload.activity_id), by
// project and fiscal year. Scale answers count as a share of their question's range, so a
// 1–5 and a 0–10 question can be averaged.
struct ResidentScore {
    int answers = 0, scale_n = 0;
    double scale_share = 0;   // sum of (v - min) / (max - min)
    std::string text() const {
        std::string o = trf("evaluation.residents.answers", {{"n", std::to_string(answers)}});
        if (scale_n) o += trf("evaluation.residents.score", {{"pct", std::to_string(static_cast<int>(std::lround(100.0 * scale_share / scale_n)))}});
        return o;
    }
};

std::map<std::pair<std::string, int>, ResidentScore> resident_scores(App& app, const std::vector<Project>& family) {
    std::map<std::string, std::string> project_of;   // listing id → project id
    for (const auto& x : family)
        for (const auto& l : x.listing_ids) project_of[l] = x.id;
    std::map<std::pair<std::string, int>, ResidentScore> out;
    if (project_of.empty()) return out;
    const Json cat = app.catalog();
    for (const auto& r : app.st.admin().records(RecordQuery{"survey_response", "", "", "", "", 1000000})) {
        const Json pl = payload_of(r);
        const auto it = project_of.find(str(pl, "activity_id"));
        if (it == project_of.end()) continue;
        ResidentScore& s = out[{it->second, fiscal_year(jst_datetime(r.rec.created_at).substr(0, 10))}];
        ++s.answers;
        const Json* survey = find_by_id(cat["surveys"], str(pl, "survey_id"));
        if (!survey || !pl.contains("answers") || !pl["answers"].is_array()) continue;
        for (const Json& a : pl["answers"]) {
            if (!a.is_object() || !a.contains("scale") || !a["scale"].is_number_integer()) continue;
            const Json* q = find_by_id((*survey)["questions"], str(a, "question_id"));
            if (!q) continue;
            const int lo = q->value("scale_min", 1), hi = q->value("scale_max", 5), v = a["scale"].get<int>();
            if (hi <= lo || v < lo || v > hi) continue;
            s.scale_share += static_cast<double>(v - lo) / (hi - lo);
            ++s.scale_n;
        }
    }
    return out;
}

void summary(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, const Project& p, const std::string& new_url = "") {
    const int fy = chosen_year(p, param_int(req, "fy"));
    const auto all = app.st.civic().evaluations(p.id);
    const auto self = sheets_of(all, fy, "self"), partner = sheets_of(all, fy, "partner");
    std::string b = flash(req) + "<p><a href=\"/admin/projects/" + url_encode(p.id) + "\">" + esc(tr("evaluation.summary.back")) + "</a></p>" + project_head(p, fy);
    const auto ys = eval_years(p);
    if (ys.size() > 1) {
        b += "<form method=\"get\" class=\"filters\"><label>" + esc(tr("evaluation.year")) + "<select name=\"fy\">";
        for (int y : ys) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(era_year_ja(y)) + "</option>";
        b += "</select></label><button>" + esc(tr("evaluation.show")) + "</button></form>";
    }
    b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/projects/" + url_encode(p.id) + "/evaluation/self?fy=" + std::to_string(fy) + "\">" +
         esc(c.role >= Role::Editor ? tr("evaluation.summary.fill_self") : tr("evaluation.summary.see_self")) + "</a></div>";
    b += link_panel(app, c, p, new_url);
    auto who = [](const std::map<std::string, EvaluationSheet>& m) {
        std::string by, at;
        for (const auto& [st, e] : m)
            if (e.at > at) at = e.at, by = e.by;
        return by.empty() ? tr("evaluation.not_filled") : trf("evaluation.by_at", {{"by", by}, {"at", jst_datetime(at)}});
    };
    b += "<div class=\"scores\"><p class=\"panel\">" + esc(tr("evaluation.summary.self_yes")) + "<strong id=\"score-self\">" + score_of(self).text() +
         "</strong><br><span class=\"muted\">" + esc(who(self)) + "</span></p><p class=\"panel\">" + esc(tr("evaluation.summary.partner_yes")) +
         "<strong id=\"score-partner\">" + score_of(partner).text() + "</strong><br><span class=\"muted\">" + esc(who(partner)) + "</span></p></div><p class=\"muted\">" +
         esc(tr("evaluation.summary.how")) + "</p>";
    int differs = 0;
    std::string rows;
    for (const auto& st : evaluation_stages()) {
        const auto si = self.find(st.code), pi = partner.find(st.code);
        rows += "<tr class=\"stage\"><th colspan=\"3\">" + esc(tr(st.label)) + "</th></tr>";
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const int n = static_cast<int>(i);
            const std::string a = si != self.end() && si->second.answers.count(n) ? si->second.answers.at(n) : "";
            const std::string bb = pi != partner.end() && pi->second.answers.count(n) ? pi->second.answers.at(n) : "";
            const bool diff = !a.empty() && !bb.empty() && a != bb;
            differs += diff;
            auto cell = [](const std::string& x) {
                return x.empty() ? std::string("<td class=\"ans none\">—</td>") : "<td class=\"ans " + x + "\">" + esc(evaluation_answer_label(x)) + "</td>";
            };
            rows += "<tr id=\"item-" + std::string(st.code) + "-" + std::to_string(i) + "\"" + (diff ? " class=\"differs\"" : "") + "><td class=\"lbl\">" +
                    std::to_string(i) + " " + esc(tr(st.items[i - 1])) + (diff ? "<br><span class=\"mark\">" + esc(tr("evaluation.summary.differs_mark")) + "</span>" : "") +
                    "</td>" + cell(a) +
                    cell(bb) + "</tr>";
        }
        const std::string sc = si != self.end() ? si->second.comment : "", pc = pi != partner.end() ? pi->second.comment : "";
        if (!sc.empty() || !pc.empty())
            rows += "<tr class=\"comment\"><td class=\"lbl\">" + esc(tr("evaluation.summary.comment")) + "</td><td>" + nl2br(sc) + "</td><td>" + nl2br(pc) + "</td></tr>";
    }
    b += "<h2>" + esc(trf("evaluation.summary.sheet", {{"year", era_year_ja(fy)}})) + "</h2><p>" + esc(tr("evaluation.summary.differs")) +
         "<strong id=\"differs\">" + std::to_string(differs) + "</strong>" + esc(tr("evaluation.summary.differs_tail")) + "</p>";
    b += "<div class=\"scroll\"><table class=\"report side-by-side\"><thead><tr><th>" + esc(tr("evaluation.summary.col.item")) + "</th><th>" +
         esc(tr("evaluation.col.self")) + "</th><th>" + esc(tr("evaluation.col.partner")) + "</th></tr></thead><tbody>" + rows + "</tbody></table></div>";
    // The third view: residents who answered the survey offered on this project's listings.
    const auto rs = resident_scores(app, {p});
    const auto mine = rs.find({p.id, fy});
    b += "<p class=\"panel\" id=\"residents\">" + esc(tr("evaluation.summary.residents")) +
         esc(mine == rs.end() ? tr("evaluation.summary.residents_none") : mine->second.text()) + "</p>";
    send_html(res, 200, page(c, tr("evaluation.summary.title"), b, "/admin/projects"));
}

void self_form(App& app, Ctx& c, httplib::Response& res, const Project& p, int fy, const FieldErrors& err, const std::map<std::string, std::string>* typed) {
    const auto mine = sheets_of(app.st.civic().evaluations(p.id), fy, "self");
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<p><a href=\"/admin/projects/" + url_encode(p.id) + "/evaluation?fy=" + std::to_string(fy) + "\">" + esc(tr("evaluation.self.back")) +
                    "</a></p>" + project_head(p, fy) + "<p>" + esc(tr("evaluation.self.intro")) + "</p>";
    std::string form = "<form method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/evaluation/self\" class=\"sheet grid2\" novalidate>" +
                       csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" + std::to_string(fy) + "\">" + sheet_fields(f, mine, typed);
    if (!f.ro) form += "<div class=\"wide actions\"><button class=\"primary\">" + esc(tr("evaluation.save")) + "</button></div>";
    form += "</form>";
    b += err.summary_html(labels) + form;
    send_html(res, err.any() ? 400 : 200, page(c, tr("evaluation.self.title"), b, "/admin/projects"));
}

// --- the check sheet -------------------------------------------------------------------------

std::string answered_list(const CheckWalk& w) {
    std::string b = "<ol class=\"check-path\">";
    for (const auto& [q, o] : w.path)
        b += "<li><span class=\"q\">" + esc(tr(q->question)) + "</span><br><strong>→ " + esc(tr(o->label)) + "</strong></li>";
    return b + "</ol>";
}

std::string result_box(const CheckResult& r) {
    std::string b = "<div class=\"panel result\" id=\"check-result\"><p class=\"kind\"><strong>" + esc(tr(r.kind)) + "</strong></p><p>" +
                    esc(tr("evaluation.check.domain_label")) + esc(tr(r.domain)) + "</p>";
    if (!r.method.empty())
        b += "<p>" + esc(tr("evaluation.check.candidates")) + "<strong>" + esc(form_label(r.form)) + "</strong>" + esc(tr("evaluation.check.slash")) + "<strong>" +
             esc(method_label(r.method)) + "</strong></p>";
    return b + "<p>" + esc(tr(r.advice)) + "</p></div>";
}

std::string new_project_link(const CheckSheet& s, const CheckResult& r) {
    return "/admin/projects/new?fy=" + std::to_string(s.fiscal_year) + "&amp;title=" + url_encode(s.service) + "&amp;department=" +
           url_encode(s.department) + "&amp;form=" + url_encode(r.form) + "&amp;method=" + url_encode(r.method);
}

void check_step(App& app, Ctx& c, httplib::Response& res) {
    const auto& fm = c.form;
    const Json cat = app.catalog();
    FieldErrors err;
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    CheckSheet s;
    s.service = trim(posted(fm, "service"));
    s.department = read_department(fm, "department");
    s.fiscal_year = to_int(trim(posted(fm, "fiscal_year")));
    s.note = trim(normalise_newlines(posted(fm, "note")));
    std::map<std::string, std::string> answers;
    for (const auto& q : check_questions())
        if (!posted(fm, "a_" + q.code).empty()) answers[q.code] = posted(fm, "a_" + q.code);
    CheckWalk w = check_walk(answers);
    const std::string op = posted(fm, "op");
    if (op == "back" && !w.path.empty()) {
        answers.erase(w.path.back().first->code);
        w = check_walk(answers);
    }
    if (!op.empty()) {   // a GET of the first page checks nothing yet
        check_text(err, "service", s.service, 100, true);
        check_text(err, "department", s.department, 100, false);
        check_text(err, "note", s.note, 2000, false, true);
        if (s.fiscal_year < 1989 || s.fiscal_year > 2100) err.add("fiscal_year", tr("evaluation.err.fiscal_year"));
        if (err.at.count("service") && s.service.empty()) err.at["service"] = tr("evaluation.err.service");
        // 次へ without choosing: said under the question.
        if (op == "next" && w.next && posted(fm, "asked") == w.next->code && !err.any()) err.add("a_" + w.next->code, tr("evaluation.err.choose"));
    }
    if (op == "save" && w.result && !err.any()) {
        s.id = "cs-" + new_uuid_v7();
        for (const auto& [q, o] : w.path) s.answers[q->code] = o->value;
        s.result = w.result->code;
        s.by = c.s.user;
        s.at = rfc3339_now();
        app.st.civic().put_check_sheet(s);
        app.audit(c, "checksheet_create", s.id, s.service + " → " + s.result);
        return redirect(res, "/admin/checksheets/" + url_encode(s.id) + "?msg=" + url_encode(tr("evaluation.check.saved")));
    }

    std::string b = "<form method=\"post\" action=\"/admin/checksheets/new\" class=\"check grid2\" novalidate>" + csrf_field(c);
    const bool started = !op.empty() && !err.at.count("service") && !err.at.count("department") && !err.at.count("fiscal_year");
    if (!started) {
        b += text_field(f, "service", tr("evaluation.check.service"), s.service, "required maxlength=\"100\"", "", "wide") +
             department_field(f, cat, "department", tr("evaluation.head.department"), s.department) +
             text_field(f, "fiscal_year", tr("evaluation.check.fiscal_year"), s.fiscal_year ? std::to_string(s.fiscal_year) : std::to_string(fiscal_year(jst_today())),
                        "type=\"number\" min=\"1989\" max=\"2100\" required") +
             "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"next\">" + esc(tr("evaluation.check.start")) + "</button></div></form>";
        b = err.summary_html(labels) + b;
    } else {
        b += "<input type=\"hidden\" name=\"service\" value=\"" + esc(s.service) + "\"><input type=\"hidden\" name=\"department\" value=\"" + esc(s.department) +
             "\"><input type=\"hidden\" name=\"fiscal_year\" value=\"" + std::to_string(s.fiscal_year) + "\">";
        for (const auto& [q, o] : w.path) b += "<input type=\"hidden\" name=\"a_" + esc(q->code) + "\" value=\"" + esc(o->value) + "\">";
        b += "<div class=\"wide\"><p class=\"sheet-for\"><strong>" + esc(s.service) + "</strong>" +
             esc(trf("evaluation.check.for", {{"dept", s.department.empty() ? tr("evaluation.check.no_department") : s.department}, {"year", era_year_ja(s.fiscal_year)}})) +
             "</p>" + answered_list(w);
        if (w.next) {
            const std::string name = "a_" + w.next->code;
            f.note(name, trf("evaluation.check.question_n", {{"n", std::to_string(w.path.size() + 1)}}));
            b += "<input type=\"hidden\" name=\"asked\" value=\"" + esc(w.next->code) + "\"><fieldset id=\"" + esc(field_id(name)) + "\" class=\"check-q" +
                 (err.at.count(name) ? " invalid" : "") + "\"><legend>" + esc(trf("evaluation.check.question_n", {{"n", std::to_string(w.path.size() + 1)}})) +
                 "</legend><p class=\"q\">" + esc(tr(w.next->question)) + "</p><p class=\"hint\">" + esc(tr(w.next->hint)) + "</p>";
            for (const auto& o : w.next->options)
                b += "<label class=\"choice\"><input type=\"radio\" name=\"" + esc(name) + "\" value=\"" + esc(o.value) + "\"> " + esc(tr(o.label)) + "</label>";
            b += field_error(err, name) + "</fieldset><div class=\"actions\"><button class=\"primary\" name=\"op\" value=\"next\">" +
                 esc(tr("evaluation.check.next")) + "</button>" +
                 (w.path.empty() ? "" : "<button name=\"op\" value=\"back\">" + esc(tr("evaluation.check.back_one")) + "</button>") + "</div></div>";
        } else if (w.result) {
            b += result_box(*w.result) + "</div>" + textarea_field(f, "note", tr("evaluation.check.note"), s.note, 3, "maxlength=\"2000\"") +
                 "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("evaluation.check.save")) +
                 "</button><button name=\"op\" value=\"back\">" + esc(tr("evaluation.check.back_one")) + "</button></div>";
        }
        b += "</form>";
        b = err.summary_html(labels) + b;
    }
    const std::string intro = "<p>" + esc(tr("evaluation.check.intro")) + "</p>";
    send_html(res, err.any() ? 400 : 200, page(c, tr("evaluation.check.title"), intro + b, "/admin/projects"));
}

// A year's check sheets a page at a time (?page=N, newest first), counted by result in SQL.
constexpr std::size_t kCheckSheetPage = 100;

void check_list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    int fy = param_int(req, "fy");
    const int this_year = fiscal_year(jst_today());
    if (!fy) fy = this_year;
    std::set<int> years{this_year, fy};
    for (int y : app.st.civic().check_sheet_years()) years.insert(y);
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>" + esc(tr("evaluation.year")) + "<select name=\"fy\">";
    for (auto it = years.rbegin(); it != years.rend(); ++it)
        b += "<option value=\"" + std::to_string(*it) + "\"" + (*it == fy ? " selected" : "") + ">" + esc(year_label_ja(*it)) + "</option>";
    b += "</select></label><button>" + esc(tr("evaluation.show")) + "</button></form>";
    if (c.role >= Role::Editor)
        b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/checksheets/new\">" + esc(tr("evaluation.check.new")) + "</a></div>";
    std::map<std::string, std::int64_t> kinds;
    std::int64_t reviewed = 0;
    for (const auto& [result, n] : app.st.civic().check_sheet_results(fy)) {
        const CheckResult* r = check_result(result);
        kinds[r ? tr(r->kind) : std::string("—")] += n;
        reviewed += n;
    }
    const std::size_t pg = page_within(page_param(req), kCheckSheetPage, reviewed);
    std::string rows;
    for (const auto& s : app.st.civic().check_sheets_page(fy, kCheckSheetPage, (pg - 1) * kCheckSheetPage)) {
        const CheckResult* r = check_result(s.result);
        rows += "<tr><td><a href=\"/admin/checksheets/" + url_encode(s.id) + "\">" + esc(s.service) + "</a></td><td>" + esc(s.department) + "</td><td>" +
                esc(r ? tr(r->kind) : std::string("—")) + "</td><td>" + esc(r && !r->method.empty() ? method_label(r->method) : "") + "</td><td>" + esc(s.by) + "</td><td>" +
                esc(jst_datetime(s.at)) + "</td></tr>";
    }
    b += "<p class=\"panel\">" + esc(trf("evaluation.check.reviewed", {{"year", era_year_ja(fy)}})) + "<strong>" + std::to_string(reviewed) + "</strong>" +
         esc(tr("evaluation.check.count_tail"));
    for (const auto& [k, n] : kinds) b += "<br>" + esc(trf("evaluation.check.kind_count", {{"kind", k}, {"n", std::to_string(n)}}));
    b += "</p>";
    b += rows.empty() ? "<p>" + esc(tr("evaluation.check.none")) + "</p>"
                      : "<div class=\"scroll\"><table><thead><tr><th>" + esc(tr("evaluation.check.col.service")) + "</th><th>" + esc(tr("evaluation.head.department")) +
                            "</th><th>" + esc(tr("evaluation.check.col.result")) + "</th><th>" + esc(tr("evaluation.check.col.method")) + "</th><th>" +
                            esc(tr("evaluation.check.col.by")) + "</th><th>" + esc(tr("evaluation.check.col.at")) + "</th></tr></thead><tbody>" + rows +
                            "</tbody></table></div>" + pager_pages("/admin/checksheets?fy=" + std::to_string(fy), pg, kCheckSheetPage, reviewed);
    send_html(res, 200, page(c, tr("evaluation.check.list_title"), b, "/admin/projects"));
}

void check_view(Ctx& c, const httplib::Request& req, httplib::Response& res, const CheckSheet& s) {
    std::map<std::string, std::string> answers = s.answers;
    const CheckWalk w = check_walk(answers);
    std::string b = flash(req) + "<p><a href=\"/admin/checksheets?fy=" + std::to_string(s.fiscal_year) + "\">" + esc(tr("evaluation.check.to_list")) + "</a></p>" +
                    "<dl class=\"sheet-head\"><dt>" + esc(tr("evaluation.check.col.service")) + "</dt><dd>" + esc(s.service) + "</dd><dt>" +
                    esc(tr("evaluation.head.department")) + "</dt><dd>" + esc(s.department.empty() ? "—" : s.department) + "</dd><dt>" + esc(tr("evaluation.head.year")) +
                    "</dt><dd>" + esc(era_year_ja(s.fiscal_year)) + "</dd><dt>" + esc(tr("evaluation.check.col.by")) + "</dt><dd>" +
                    esc(trf("evaluation.by_at", {{"by", s.by}, {"at", jst_datetime(s.at)}})) + "</dd></dl>";
    b += "<h2>" + esc(tr("evaluation.check.answers")) + "</h2>" + answered_list(w);
    const CheckResult* r = check_result(s.result);
    if (r) b += "<h2>" + esc(tr("evaluation.check.col.result")) + "</h2>" + result_box(*r);
    if (!s.note.empty()) b += "<h2>" + esc(tr("evaluation.check.memo")) + "</h2><p>" + nl2br(s.note) + "</p>";
    if (r && !r->method.empty() && c.role >= Role::Editor)
        b += "<div class=\"actions\"><a class=\"button primary\" href=\"" + new_project_link(s, *r) + "\">" + esc(tr("evaluation.check.register")) + "</a></div>";
    send_html(res, 200, page(c, trf("evaluation.check.view_title", {{"service", s.service}}), b, "/admin/projects"));
}

}  // namespace

// The project page's part (projects.cpp): the evaluations of this 事業 year by year — the
// register has one line per project and year, so the same 事業 in other years (same title and
// 担当課) is part of its history — and the partner's link.

std::string evaluation_section(App& app, const Ctx& c, const Project& p) {
    std::vector<Project> family;
    for (const auto& x : app.st.civic().projects(0))
        if (x.id == p.id || (x.title == p.title && x.department == p.department)) family.push_back(x);
    struct Row {
        std::string project_id;
        int fy;
        EvaluationScore self, partner;
        ResidentScore residents;
    };
    const auto residents = resident_scores(app, family);
    std::vector<Row> rows;
    for (const auto& x : family) {
        const auto all = app.st.civic().evaluations(x.id);
        std::set<int> years;
        for (const auto& e : all) years.insert(e.fiscal_year);
        for (const auto& [k, v] : residents)
            if (k.first == x.id) years.insert(k.second);
        if (x.id == p.id) years.insert(p.fiscal_year);
        for (int y : years) {
            const auto rs = residents.find({x.id, y});
            rows.push_back({x.id, y, score_of(sheets_of(all, y, "self")), score_of(sheets_of(all, y, "partner")),
                            rs == residents.end() ? ResidentScore{} : rs->second});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return std::tie(b.fy, a.project_id) < std::tie(a.fy, b.project_id); });
    std::string b = "<h2 id=\"evaluation\">" + esc(tr("evaluation.section.title")) + "</h2><p class=\"muted\">" + esc(tr("evaluation.section.intro")) +
                    "</p><div class=\"scroll\"><table class=\"report\" id=\"evaluation-history\"><thead><tr><th>" + esc(tr("evaluation.head.year")) + "</th><th>" +
                    esc(tr("evaluation.col.self")) + "</th><th>" + esc(tr("evaluation.col.partner")) + "</th><th>" + esc(tr("evaluation.section.residents")) +
                    "</th><th></th></tr></thead><tbody>";
    for (const auto& r : rows) {
        auto score = [](const EvaluationScore& s) { return s.answered ? trf("evaluation.section.yes", {{"score", s.text()}}) : tr("evaluation.not_filled"); };
        b += "<tr><td class=\"lbl\">" + esc(era_year_ja(r.fy)) + (r.project_id == p.id ? "" : "<br><small>" + esc(r.project_id) + "</small>") + "</td><td>" +
             esc(score(r.self)) + "</td><td>" + esc(score(r.partner)) + "</td><td class=\"residents\">" +
             esc(r.residents.answers ? r.residents.text() : tr("evaluation.section.none")) + "</td><td><a href=\"/admin/projects/" + url_encode(r.project_id) +
             "/evaluation?fy=" + std::to_string(r.fy) + "\">" + esc(tr("evaluation.section.compare")) + "</a></td></tr>";
    }
    b += "</tbody></table></div>";
    return b + link_panel(app, c, p);
}

void install_evaluation(App& app, httplib::Server& svr) {
    const std::string pid = R"(/admin/projects/([A-Za-z0-9_.\-]+))";
    app.get(svr, pid + "/evaluation", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, trf("evaluation.err.no_project", {{"id", std::string(req.matches[1])}}));
        summary(app, c, req, res, *p);
    });
    app.get(svr, pid + "/evaluation/self", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, trf("evaluation.err.no_project", {{"id", std::string(req.matches[1])}}));
        self_form(app, c, res, *p, chosen_year(*p, param_int(req, "fy")), FieldErrors{}, nullptr);
    });
    app.post(svr, pid + "/evaluation/self", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, trf("evaluation.err.no_project", {{"id", std::string(req.matches[1])}}));
        const int fy = chosen_year(*p, to_int(posted(c.form, "fy")));
        FieldErrors err;
        auto sheets = read_sheet(c.form, err);
        if (err.any()) return self_form(app, c, res, *p, fy, err, &c.form);
        const std::string now = rfc3339_now();
        for (auto& e : sheets) {
            e.project_id = p->id;
            e.fiscal_year = fy;
            e.evaluator = "self";
            e.by = c.s.user;
            e.at = now;
            app.st.civic().put_evaluation(e);
        }
        app.audit(c, "evaluation_self", p->id, era_year_ja(fy));
        redirect(res, "/admin/projects/" + url_encode(p->id) + "/evaluation?fy=" + std::to_string(fy) + "&msg=" + url_encode(tr("evaluation.self.saved")));
    });
    app.post(svr, pid + "/evaluation-link", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, trf("evaluation.err.no_project", {{"id", std::string(req.matches[1])}}));
        if (posted(c.form, "op") == "revoke") {
            const bool done = app.st.civic().revoke_evaluation_link(p->id, rfc3339_now());
            app.audit(c, "revoke_evaluation_link", p->id, "");
            return redirect(res, "/admin/projects/" + url_encode(p->id) + "/evaluation?msg=" +
                                     url_encode(done ? tr("evaluation.link.revoked_msg") : tr("evaluation.link.none_live")));
        }
        const std::string token = random_token(24);
        app.st.civic().put_evaluation_link(EvaluationLink{p->id, sha256_hex(token), rfc3339_now(), c.s.user, false, ""});
        app.audit(c, "issue_evaluation_link", p->id, "");
        // Shown once, in this answer (never in a redirect URL, which would land in logs and history).
        summary(app, c, req, res, *p, app.opts.server_url + "/p/evaluation/" + token);
    });

    const std::string pub = R"(/p/evaluation/([A-Za-z0-9_-]{16,100}))";
    app.get(svr, pub, Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        const int fy = chosen_year(r->second, param_int(req, "fy"));
        partner_page(app, res, 200, r->first, r->second, token, fy, FieldErrors{}, nullptr,
                     req.has_param("done") ? tr("evaluation.partner.thanks") : "");
    });
    svr.Post(pub, [&app](const httplib::Request& req, httplib::Response& res) {
        const LangScope lang(lang_of(req));   // registered directly: the dispatcher does not set it
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        auto f = parse_form(req.body);
        const int fy = chosen_year(r->second, to_int(f["fy"]));
        if (!same_origin(req) || !form_token_ok(app, f["t"], r->first.token_hash)) {
            FieldErrors err;
            err.general = tr("evaluation.partner.expired");
            return partner_page(app, res, 403, r->first, r->second, token, fy, err, nullptr, "");
        }
        FieldErrors err;
        const std::string name = trim(f["name"]);
        check_text(err, "name", name, 100, true);
        if (err.at.count("name") && name.empty()) err.at["name"] = tr("evaluation.err.name");
        auto sheets = read_sheet(f, err);
        if (err.any()) return partner_page(app, res, 400, r->first, r->second, token, fy, err, &f, "");
        const std::string now = rfc3339_now();
        for (auto& e : sheets) {
            e.project_id = r->second.id;
            e.fiscal_year = fy;
            e.evaluator = "partner";
            e.by = name;
            e.at = now;
            app.st.civic().put_evaluation(e);
        }
        Ctx anon;
        app.audit(anon, "evaluation_partner", r->second.id, era_year_ja(fy) + " " + name);
        redirect(res, "/p/evaluation/" + token + "?fy=" + std::to_string(fy) + "&done=1");
    });

    app.get(svr, "/admin/checksheets", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { check_list(app, c, req, res); });
    app.get(svr, "/admin/checksheets/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        c.form.clear();
        check_step(app, c, res);
    });
    app.post(svr, "/admin/checksheets/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { check_step(app, c, res); });
    app.get(svr, R"(/admin/checksheets/([A-Za-z0-9_.\-]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto s = app.st.civic().check_sheet(req.matches[1]);
        if (!s) return not_found(c, res, trf("evaluation.err.no_checksheet", {{"id", std::string(req.matches[1])}}));
        check_view(c, req, res, *s);
    });
}

}  // namespace kyodo::server::web
