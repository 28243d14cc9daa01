// What came in: sign-up rosters, the opinion box with triage, survey results, public comments
// with the city's answers, and citizens' proposals with decisions.
#include <charconv>
#include <algorithm>
#include <set>

#include "core/codec.h"
#include "core/survey_branch.h"
#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {

std::string status_badge(const std::string& cls, const std::string& text) {
    return "<span class=\"status " + esc(cls) + "\">" + esc(text) + "</span>";
}

std::set<std::string> departments(const Json& cat) {
    std::set<std::string> d;
    for (const Json& a : cat["activities"])
        if (!str(a, "department").empty()) d.insert(str(a, "department"));
    return d;
}

std::string select(const std::string& name, const std::vector<std::pair<std::string, std::string>>& opts,
                   const std::string& cur) {
    std::string o = "<select name=\"" + esc(name) + "\">";
    for (const auto& [v, l] : opts)
        o += "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(l) + "</option>";
    return o + "</select>";
}

std::string contact_of(const Json& p) {
    std::string o;
    for (const char* k : {"name", "phone", "email"})
        if (!str(p, k).empty()) o += (o.empty() ? "" : " / ") + str(p, k);
    return o;
}

// --- rosters ---------------------------------------------------------------------------------

// A roster shows 200 people a page in arrival order (?page=N); ?all=1 shows everyone, for
// printing the venue's list. The counts always cover every sign-up.
constexpr std::size_t kRosterPage = 200;

void roster(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    const Json cat = app.catalog();
    const Json* a = find_by_id(cat["activities"], id);
    if (!a) return not_found(c, res, trf("publish.err.no_activity", {{"id", id}}));
    // Counts in the database, then only the page's rows (with their personal data) loaded.
    std::int64_t confirmed = 0, waiting = 0, cancelled = 0, attended = 0, total_rows = 0;
    for (const auto& t : app.st.admin().signup_tallies(id)) {
        confirmed += t.confirmed;
        waiting += t.waitlisted;
        cancelled += t.cancelled;
        attended += t.attended;
        total_rows += t.signups;
    }
    const bool all = req.has_param("all") && req.get_param_value("all") == "1";
    const std::size_t total = static_cast<std::size_t>(total_rows);
    const std::size_t pages = std::max<std::size_t>(1, (total + kRosterPage - 1) / kRosterPage);
    const std::size_t pg = all ? 1 : std::min(page_param(req), pages);
    RecordQuery rq{"sign_up", id, "", "", "", all ? std::size_t{100000} : kRosterPage};
    rq.offset = all ? 0 : (pg - 1) * kRosterPage;
    const auto rows = app.st.admin().records(rq);
    const std::size_t first = rq.offset;
    const std::size_t last = first + rows.size();
    app.audit(c, "view_roster", id, std::to_string(last - first) + " of " + std::to_string(total) + " sign-ups (personal data shown)");
    std::string b = flash(req);
    b += "<div class=\"panel\"><strong>" + esc(str(*a, "title")) + "</strong><br>" +
         esc(trf("inbox.roster.when_where", {{"date", date_label(str(*a, "starts_at"))},
                                             {"place", str(*a, "place")},
                                             {"centre", centre_name(cat, str(*a, "centre_id"))}})) +
         "<br>" +
         esc(a->value("capacity", 0) > 0 ? trf("inbox.roster.capacity", {{"n", std::to_string(a->value("capacity", 0))}})
                                         : tr("inbox.roster.capacity_none")) +
         esc(trf("inbox.roster.confirmed", {{"n", std::to_string(confirmed)}})) +
         (a->value("taken", 0) > a->value("capacity", 0)
              ? trh("inbox.roster.over_capacity", {{"badge", "<span class=\"warn\">" + esc(tr("publish.over_capacity")) + "</span>"}})
              : std::string()) +
         esc(trf("inbox.roster.counts", {{"waiting", std::to_string(waiting)},
                                         {"cancelled", std::to_string(cancelled)},
                                         {"attended", std::to_string(attended)}})) +
         "</div>";
    b += checkin_panel(app, c, id);
    b += "<p class=\"actions noprint\"><a class=\"button\" href=\"/admin/export/signups.csv?activity=" + url_encode(id) +
         "\">" + esc(tr("inbox.roster.csv")) + "</a><span class=\"hint\">" + esc(tr("inbox.roster.print_hint")) + "</span></p>";
    b += "<table class=\"roster\"><thead><tr><th class=\"num\">" + esc(tr("inbox.roster.col.no")) + "</th>";
    for (const char* col : {"receipt", "status", "name", "furigana", "phone", "email"}) b += "<th>" + esc(tr(std::string("inbox.roster.col.") + col)) + "</th>";
    b += "<th class=\"num\">" + esc(tr("inbox.roster.col.party")) + "</th>";
    for (const char* col : {"note", "received", "attendance"}) b += "<th>" + esc(tr(std::string("inbox.roster.col.") + col)) + "</th>";
    b += "<th class=\"noprint\"></th></tr></thead><tbody>";
    // Pages: numbered links (a roster is read in arrival order, and printed whole).
    std::string nav;
    if (pages > 1) {
        nav = "<nav class=\"pager noprint\" aria-label=\"" + esc(tr("inbox.pager.label")) + "\">" +
              esc(trf("inbox.roster.range", {{"first", std::to_string(first + 1)}, {"last", std::to_string(last)}, {"total", std::to_string(total)}}));
        for (std::size_t i = 1; i <= pages; ++i)
            nav += !all && i == pg ? "<strong>" + std::to_string(i) + "</strong> "
                                   : "<a href=\"/admin/roster/" + url_encode(id) + "?page=" + std::to_string(i) + "\">" + std::to_string(i) + "</a> ";
        nav += all ? esc(tr("inbox.roster.showing_all"))
                   : "<a class=\"button\" href=\"/admin/roster/" + url_encode(id) + "?all=1\">" + esc(tr("inbox.roster.show_all")) + "</a>";
        nav += "</nav>";
    }
    b += nav;
    int no = static_cast<int>(first);
    for (std::size_t i = first; i < last; ++i) {
        const auto& r = rows[i - first];
        const Json p = personal_of(r), pl = payload_of(r);
        b += "<tr><td class=\"num\">" + std::to_string(++no) + "</td><td>" + esc(r.rec.receipt) + "</td><td>" +
             status_badge(r.rec.signup_status, signup_status_ja(r.rec.signup_status)) + "</td><td>" + esc(str(p, "name")) +
             "</td><td>" + esc(str(p, "furigana")) + "</td><td>" + esc(str(p, "phone")) + "</td><td>" + esc(str(p, "email")) +
             "</td><td class=\"num\">" + std::to_string(r.party_size) + "</td><td class=\"text\">" + esc(str(pl, "note")) +
             "</td><td>" + esc(jst_datetime(r.rec.created_at)) + "<br><span class=\"muted\">" + esc(centre_name(cat, r.rec.centre_id)) +
             "</span></td><td>";
        const std::string mark = tr(r.attended == 1 ? "inbox.roster.present" : r.attended == 0 ? "inbox.roster.absent" : "inbox.roster.unmarked");
        b += "<span class=\"print-only\">" + esc(mark) + "</span>";
        if (c.role >= Role::Editor && r.rec.signup_status == "confirmed") {
            b += "<form class=\"inline\" method=\"post\" action=\"/admin/roster/" + url_encode(id) + "/attendance\">" +
                 csrf_field(c) + "<input type=\"hidden\" name=\"record\" value=\"" + esc(r.rec.id) + "\">" +
                 "<button name=\"attended\" value=\"1\"" + (r.attended == 1 ? " class=\"primary\"" : "") + ">" + esc(tr("inbox.roster.present")) +
                 "</button><button name=\"attended\" value=\"0\"" + (r.attended == 0 ? " class=\"primary\"" : "") + ">" +
                 esc(tr("inbox.roster.absent")) + "</button></form>";
        } else if (r.attended >= 0) {
            b += "<span class=\"noprint\">" + esc(mark) + "</span>";
        }
        b += "</td><td class=\"noprint\">";
        if (c.role >= Role::Editor && r.rec.signup_status != "cancelled")
            b += "<form class=\"inline\" method=\"post\" action=\"/admin/roster/" + url_encode(id) + "/cancel\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"record\" value=\"" + esc(r.rec.id) + "\"><button class=\"danger\">" + esc(tr("inbox.roster.cancel")) +
                 "</button></form>";
        b += "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"12\" class=\"muted\">" + esc(tr("inbox.roster.empty")) + "</td></tr>";
    b += "</tbody></table>" + nav;
    send_html(res, 200, page(c, tr("inbox.roster.title"), b, "/admin/activities"));
}

// --- pages of long lists --------------------------------------------------------------------

constexpr std::size_t kPageSize = 50;
constexpr std::size_t kCommentPageSize = 200;

// --- opinions --------------------------------------------------------------------------------

// {state, the table key of its label}
const std::vector<std::pair<std::string, std::string>> kOpinionStates = {
    {"new", "inbox.opinions.state.new"}, {"in_review", "inbox.opinions.state.in_review"}, {"answered", "inbox.opinions.state.answered"},
    {"closed", "inbox.opinions.state.closed"}};

// The options with their labels in the reader's language.
std::vector<std::pair<std::string, std::string>> translated(const std::vector<std::pair<std::string, std::string>>& opts) {
    std::vector<std::pair<std::string, std::string>> o;
    for (const auto& [v, key] : opts) o.emplace_back(v, tr(key));
    return o;
}

void opinions(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const std::string fstate = req.has_param("state") ? req.get_param_value("state") : "";
    const std::string fcentre = req.has_param("centre") ? req.get_param_value("centre") : "";
    // One page, newest first, filtered in the database (30,000 opinions were 85 MB of HTML).
    RecordQuery q{"opinion", "", fcentre, "", "", kPageSize + 1};
    q.newest_first = true;
    q.before_seq = before_param(req);
    q.state = fstate;
    auto rows = app.st.admin().records(q);
    const bool more = rows.size() > kPageSize;
    if (more) rows.pop_back();
    std::vector<std::pair<std::string, std::string>> deps = {{"", tr("inbox.opinions.unassigned")}};
    for (const auto& d : departments(cat)) deps.emplace_back(d, d);
    std::string b = flash(req);
    auto state_filter = translated(kOpinionStates);
    state_filter.insert(state_filter.begin(), {"", tr("publish.list.all")});
    b += "<form class=\"filters\" method=\"get\"><label>" + esc(tr("inbox.opinions.state")) + select("state", state_filter, fstate) +
         "</label><label>" + esc(tr("publish.field.centre")) + "<select name=\"centre\"><option value=\"\">" + esc(tr("publish.list.all")) + "</option>";
    for (const Json& ce : cat["centres"])
        b += "<option value=\"" + esc(str(ce, "id")) + "\"" + (str(ce, "id") == fcentre ? " selected" : "") + ">" +
             esc(str(ce, "name")) + "</option>";
    b += "</select></label><button>" + esc(tr("publish.list.filter")) + "</button><a class=\"button\" href=\"/admin/export/opinions.csv\">CSV</a>"
         "<a class=\"button\" href=\"/admin/export/opinions.json\">JSON</a></form>";
    b += "<table><thead><tr><th>" + esc(tr("inbox.col.received")) + "</th><th>" + esc(tr("inbox.opinions.col.text")) + "</th><th>" +
         esc(tr("inbox.opinions.col.contact")) + "</th><th>" + esc(tr("inbox.opinions.col.handling")) + "</th></tr></thead><tbody>";
    int shown = 0, with_personal = 0;
    for (const auto& r : rows) {
        const std::string st = r.state.empty() ? "new" : r.state;
        if (!fstate.empty() && st != fstate) continue;
        ++shown;
        const Json pl = payload_of(r), p = personal_of(r);
        if (!p.empty()) ++with_personal;
        b += "<tr><td>" + esc(jst_datetime(r.rec.created_at)) + "<br><span class=\"muted\">" + esc(centre_name(cat, r.rec.centre_id)) +
             "<br>" + esc(r.rec.receipt) + "</span></td><td><strong>" + esc(str(pl, "topic").empty() ? tr("inbox.opinions.no_topic") : str(pl, "topic")) +
             "</strong>";
        if (!str(pl, "activity_id").empty()) b += "<br><span class=\"muted\">" + esc(trf("inbox.opinions.related", {{"title", activity_title(cat, str(pl, "activity_id"))}})) + "</span>";
        b += "<div class=\"text\">" + esc(str(pl, "text")) + "</div></td><td>" +
             (pl.value("wants_reply", false) ? "<strong>" + esc(tr("inbox.opinions.wants_reply")) + "</strong><br>" : std::string()) + esc(contact_of(p)) + "</td><td>" +
             status_badge(st, state_ja(st)) + " " + esc(r.department);
        if (!r.note.empty()) b += "<div class=\"text muted\">" + esc(r.note) + "</div>";
        if (c.role >= Role::Editor)
            b += "<form class=\"stack noprint\" method=\"post\" action=\"/admin/opinions/" + url_encode(r.rec.id) + "\">" + csrf_field(c) +
                 select("state", translated(kOpinionStates), st) + select("department", deps, r.department) +
                 "<textarea name=\"note\" rows=\"2\" placeholder=\"" + esc(tr("inbox.opinions.note")) + "\">" + esc(r.note) + "</textarea><button>" +
                 esc(tr("inbox.save")) + "</button></form>";
        b += "</td></tr>";
    }
    if (!shown) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("inbox.opinions.empty")) + "</td></tr>";
    b += "</tbody></table>";
    RecordQuery all_q{"opinion", "", fcentre, "", "", 0};
    all_q.state = fstate;
    b += pager("/admin/opinions?state=" + url_encode(fstate) + "&centre=" + url_encode(fcentre), q.before_seq,
               more && !rows.empty() ? rows.back().rec.seq : 0, app.st.admin().count_records(all_q));
    if (with_personal) app.audit(c, "view_opinions", fstate.empty() ? "all" : fstate, std::to_string(with_personal) + " with contact data");
    send_html(res, 200, page(c, tr("inbox.opinions.title"), b, "/admin/opinions"));
}

// --- surveys ---------------------------------------------------------------------------------

void surveys(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    const Json cat = app.catalog();
    // Counted in the database: the list must not load every response (10,000 of them at 100,000 records).
    auto n = app.st.admin().payload_counts("survey_response", "survey_id");
    std::string b = "<table><thead><tr><th>" + esc(tr("inbox.surveys.col.survey")) + "</th><th class=\"num\">" + esc(tr("inbox.surveys.col.questions")) +
                    "</th><th class=\"num\">" + esc(tr("inbox.surveys.col.responses")) + "</th><th></th></tr></thead><tbody>";
    for (const Json& s : cat["surveys"])
        b += "<tr><td>" + esc(str(s, "title")) + "</td><td class=\"num\">" + std::to_string(s["questions"].size()) +
             "</td><td class=\"num\">" + std::to_string(n[str(s, "id")]) + "</td><td><a href=\"/admin/surveys/" + url_encode(str(s, "id")) +
             "\">" + esc(tr("inbox.surveys.results")) + "</a></td></tr>";
    b += "</tbody></table><p><a class=\"button\" href=\"/admin/export/survey_answers.csv\">" + esc(tr("inbox.surveys.csv")) +
         "</a> <a class=\"button\" href=\"/admin/reports/indicators\">" + esc(tr("inbox.surveys.indicators")) + "</a></p>";
    send_html(res, 200, page(c, tr("inbox.surveys.title"), b, "/admin/surveys"));
}

// Free-text answers shown per question on the results page (the rest in the CSV).
constexpr std::size_t kSurveyTextsShown = 200;

// Branching (issue 9 point 7; core/survey_branch.h): a question shown only after a given answer
// counts against those it was shown to — "N answered of M shown", M from the tallies of the
// question it depends on (one choice of a single-choice question per response; the one choice
// named of a multiple-choice one), so it is exact without loading a response. Answers beyond M
// (a response made before the condition was set, or by a kiosk that does not branch) are kept
// and counted as they came — the sync contract loses no record — and flagged here.
std::string branch_note(const Survey& sv, int qi, const AdminStorage::SurveyTally& tally, std::int64_t answered) {
    if (qi < 0 || static_cast<std::size_t>(qi) >= sv.questions.size()) return "";
    const ShowWhen& w = sv.questions[static_cast<std::size_t>(qi)].show_when;
    if (w.always() || branch_problem(sv, static_cast<std::size_t>(qi)) != BranchProblem::None) return "";
    std::size_t src = 0;
    while (sv.questions[src].id != w.question_id) ++src;   // exists: branch_problem checked it
    const SurveyQuestion& from = sv.questions[src];
    std::int64_t shown = 0;
    std::string choices;
    for (int c : w.choices) {
        choices += (choices.empty() ? "" : tr("inbox.survey.branch_or")) + from.choices[static_cast<std::size_t>(c)];
        if (from.type == QuestionType::Single) {
            for (const auto& a : tally.answers)
                if (a.question_id == from.id && a.has_choice && a.choice == c) shown += a.n;
        } else {
            for (const auto& p : tally.picks)
                if (p.question_id == from.id && p.choice == c) shown += p.n;
        }
    }
    std::string o = "<p class=\"panel branch\">" +
                    esc(trf(from.type == QuestionType::Single ? "inbox.survey.branch_single" : "inbox.survey.branch_multiple",
                            {{"q", std::to_string(src + 1)}, {"choices", choices}})) +
                    "<br><strong>" + esc(trf("inbox.survey.branch_shown", {{"n", std::to_string(answered)}, {"m", std::to_string(shown)}})) +
                    "</strong>";
    if (answered > shown)
        o += "<br><span class=\"warn\">" + esc(trf("inbox.survey.branch_extra", {{"k", std::to_string(answered - shown)}})) + "</span>";
    return o + "</p>";
}

void survey_results(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    const Json cat = app.catalog();
    const Json* s = find_by_id(cat["surveys"], id);
    if (!s) return not_found(c, res, trf("publish_survey.err.missing", {{"id", id}}));
    // Counted in the database (AdminStorage::survey_tally): no response is loaded.
    const auto tally = app.st.admin().survey_tally(id, false);
    Survey typed;
    try {
        typed = survey_from_json(*s);
    } catch (const DecodeError&) {   // the catalog's own JSON: decodable, but a branch note is not worth a failed page
    }
    const auto responses = tally.responses.count(id) ? tally.responses.at(id) : std::int64_t{0};
    std::string b = "<p>" + esc(str(*s, "description")) + "</p><p class=\"panel\">" +
                    trh("inbox.survey.responses", {{"n", "<strong>" + std::to_string(responses) + "</strong>"}}) + "</p>";
    int qn = 0;
    for (const Json& q : (*s)["questions"]) {
        const std::string qid = str(q, "id"), type = str(q, "type");
        b += "<h2>" + esc(trf("inbox.survey.question", {{"n", std::to_string(++qn)}, {"text", str(q, "text")}})) + "</h2>";
        std::int64_t answered = 0;   // answer objects to this question
        for (const auto& a : tally.answers)
            if (a.question_id == qid) answered += a.n;
        b += branch_note(typed, qn - 1, tally, answered);
        const double total = static_cast<double>(answered);
        if (type == "single" || type == "multiple") {
            std::vector<Bar> bars;
            const auto& ch = q["choices"];
            std::vector<std::int64_t> count(ch.size(), 0);
            auto add = [&count](std::int64_t i, std::int64_t n) {
                if (i >= 0 && static_cast<std::size_t>(i) < count.size()) count[static_cast<std::size_t>(i)] += n;
            };
            for (const auto& a : tally.answers)
                if (a.question_id == qid && a.has_choice) add(a.choice, a.n);
            for (const auto& p : tally.picks)
                if (p.question_id == qid) add(p.choice, p.n);
            for (std::size_t i = 0; i < ch.size(); ++i)
                bars.push_back(Bar{ch[i].get<std::string>(), static_cast<double>(count[i]),
                                   trf("inbox.survey.count", {{"n", std::to_string(count[i])}}) +
                                       (total > 0 ? trf("inbox.survey.percent", {{"pct", fmt1(100.0 * static_cast<double>(count[i]) / total)}}) : std::string())});
            b += "<p class=\"muted\">" + esc(trf("inbox.survey.answers", {{"n", std::to_string(answered)}})) +
                 (type == "multiple" ? esc(tr("inbox.survey.multiple")) : std::string()) + "</p>" +
                 svg_bars(bars, type == "multiple" ? total : 0);
        } else if (type == "scale") {
            const int lo = q.value("scale_min", 1), hi = q.value("scale_max", 5);
            std::vector<std::int64_t> count(static_cast<std::size_t>(std::max(1, hi - lo + 1)), 0);
            double sum = 0;
            std::int64_t n = 0;
            for (const auto& a : tally.answers)
                if (a.question_id == qid && a.has_scale && a.scale >= lo && a.scale <= hi) {
                    count[static_cast<std::size_t>(a.scale - lo)] += a.n;
                    sum += static_cast<double>(a.scale * a.n);
                    n += a.n;
                }
            std::vector<Bar> bars;
            for (int v = lo; v <= hi; ++v) {
                std::string label = std::to_string(v);
                if (v == lo && !str(q, "scale_min_label").empty()) label += " " + str(q, "scale_min_label");
                if (v == hi && !str(q, "scale_max_label").empty()) label += " " + str(q, "scale_max_label");
                const std::int64_t k = count[static_cast<std::size_t>(v - lo)];
                bars.push_back(Bar{label, static_cast<double>(k), trf("inbox.survey.count", {{"n", std::to_string(k)}})});
            }
            b += "<p class=\"muted\">" +
                 esc(trf("inbox.survey.answers_mean", {{"n", std::to_string(n)}, {"mean", n ? fmt1(sum / static_cast<double>(n)) : std::string("—")}})) +
                 "</p>" + svg_bars(bars);
        } else {
            // Free text: one page of the written answers in arrival order (all of them in the CSV).
            const std::int64_t written = app.st.admin().survey_text_count(id, qid);
            b += "<p class=\"muted\">" + esc(trf("inbox.survey.free_text", {{"n", std::to_string(answered)}})) + "</p><ul class=\"answers\">";
            for (const std::string& t : app.st.admin().survey_texts(id, qid, kSurveyTextsShown, 0)) b += "<li class=\"text\">" + esc(t) + "</li>";
            b += "</ul>";
            if (written > static_cast<std::int64_t>(kSurveyTextsShown))
                b += "<p class=\"muted\">" +
                     esc(trf("inbox.survey.texts_shown", {{"shown", std::to_string(kSurveyTextsShown)}, {"n", std::to_string(written)}})) +
                     " <a href=\"/admin/export/survey_answers.csv\">CSV</a></p>";
        }
    }
    send_html(res, 200, page(c, str(*s, "title"), b, "/admin/surveys"));
}

// --- public comments -------------------------------------------------------------------------

void comments(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    RecordQuery q{"public_comment", "", "", "", "", kCommentPageSize + 1};
    q.newest_first = true;
    q.before_seq = before_param(req);
    auto rows = app.st.admin().records(q);
    const bool more = rows.size() > kCommentPageSize;
    if (more) rows.pop_back();
    const std::int64_t next_before = more && !rows.empty() ? rows.back().rec.seq : 0;
    std::reverse(rows.begin(), rows.end());   // in arrival order within the page
    std::string b = flash(req) + "<p>" + esc(tr("inbox.comments.lead")) + "</p>";
    int named = 0;
    for (const Json& d : cat["activities"]) {
        if (str(d, "kind") != "public_comment") continue;
        const std::string did = str(d, "id");
        const Json extra = d.contains("extra") && d["extra"].is_object() ? d["extra"] : Json::object();
        const bool closed = comment_period_closed(d);
        int count = 0;
        for (const auto& r : rows)
            if (str(payload_of(r), "draft_id") == did) ++count;
        b += "<h2>" + esc(str(d, "title")) + "</h2><p class=\"muted\">" +
             esc(trf("inbox.comments.period", {{"from", str(extra, "comment_from")},
                                               {"until", str(extra, "comment_until").empty() ? str(d, "ends_at") : str(extra, "comment_until")}})) +
             (closed ? "<span class=\"status closed\">" + esc(tr("inbox.comments.closed")) + "</span>"
                     : "<span class=\"status in_review\">" + esc(tr("inbox.comments.open")) + "</span>") +
             esc(trf("inbox.comments.count", {{"n", std::to_string(count)}})) + "<a href=\"/p/comments/" + url_encode(did) + "\">" +
             esc(tr("publish.public_page")) + "</a>" +
             // 市の考え方 for the kiosks (city_response.cpp): once the period has closed.
             (closed ? " <a class=\"button small\" href=\"/admin/city-response/" + url_encode(did) + "\">" +
                           esc(tr(extra.contains("city_response") ? "inbox.comments.city_response_update" : "inbox.comments.city_response")) + "</a>"
                     : std::string()) +
             "</p>";
        std::vector<std::pair<std::string, std::string>> sections;
        if (extra.contains("sections") && extra["sections"].is_array())
            for (const Json& s : extra["sections"]) sections.emplace_back(str(s, "id"), str(s, "title"));
        std::set<std::string> known;
        for (const auto& s : sections) known.insert(s.first);
        for (const auto& r : rows) {
            const std::string sid = str(payload_of(r), "section_id");
            if (str(payload_of(r), "draft_id") == did && !known.count(sid)) {
                sections.emplace_back(sid, sid);
                known.insert(sid);
            }
        }
        for (const auto& [sid, stitle] : sections) {
            std::string items;
            for (const auto& r : rows) {
                const Json pl = payload_of(r);
                if (str(pl, "draft_id") != did || str(pl, "section_id") != sid) continue;
                const Json p = personal_of(r);
                if (!p.empty()) ++named;
                items += "<tr><td>" + esc(jst_datetime(r.rec.created_at)) + "<br><span class=\"muted\">" + esc(r.rec.receipt) +
                         (p.empty() ? "" : "<br>" + esc(contact_of(p))) + "</span></td><td class=\"text\">" + esc(str(pl, "text")) +
                         "</td><td>";
                if (c.role >= Role::Editor)
                    items += "<form class=\"stack\" method=\"post\" action=\"/admin/comments/" + url_encode(r.rec.id) + "\">" +
                             csrf_field(c) + "<textarea name=\"answer\" rows=\"3\" placeholder=\"" + esc(tr("inbox.comments.answer")) + "\">" +
                             esc(r.note) + "</textarea><button>" + esc(tr("inbox.save")) + "</button></form>";
                else
                    items += "<div class=\"text\">" + esc(r.note) + "</div>";
                items += "</td></tr>";
            }
            if (items.empty()) continue;
            b += "<h3>" + esc(stitle) + "</h3><table><thead><tr><th style=\"width:10em\">" + esc(tr("inbox.col.received")) + "</th><th>" +
                 esc(tr("inbox.comments.col.comment")) + "</th><th style=\"width:40%\">" + esc(tr("inbox.comments.answer")) + "</th></tr></thead><tbody>" +
                 items + "</tbody></table>";
        }
    }
    b += pager("/admin/comments?", q.before_seq, next_before, app.st.admin().count_records(RecordQuery{"public_comment", "", "", "", "", 0}));
    if (named) app.audit(c, "view_comments", "public_comment", std::to_string(named) + " with names or contact data");
    send_html(res, 200, page(c, tr("inbox.comments.title"), b, "/admin/comments"));
}

// --- proposals -------------------------------------------------------------------------------

const std::vector<std::pair<std::string, std::string>> kProposalStates = {{"received", "inbox.proposals.state.received"},
                                                                          {"under_review", "inbox.proposals.state.under_review"},
                                                                          {"adopted", "inbox.proposals.state.adopted"},
                                                                          {"not_adopted", "inbox.proposals.state.not_adopted"}};

void proposals(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    RecordQuery q{"proposal", "", "", "", "", kPageSize + 1};
    q.newest_first = true;
    q.before_seq = before_param(req);
    auto rows = app.st.admin().records(q);
    const bool more = rows.size() > kPageSize;
    if (more) rows.pop_back();
    std::string b = flash(req) + "<p>" + esc(tr("inbox.proposals.lead")) +
                    "</p><p><a class=\"button\" href=\"/admin/export/proposals.csv\">CSV</a> <a class=\"button\" "
                    "href=\"/admin/export/proposals.json\">JSON</a></p><table><thead><tr><th>" + esc(tr("inbox.col.received")) + "</th><th>" +
                    esc(tr("inbox.proposals.col.proposal")) + "</th><th>" + esc(tr("inbox.proposals.col.proposer")) + "</th><th>" +
                    esc(tr("inbox.proposals.col.state")) + "</th></tr></thead><tbody>";
    for (const auto& r : rows) {
        const Json pl = payload_of(r), p = personal_of(r);
        const std::string st = r.state.empty() ? "received" : r.state;
        std::string fields;
        if (pl.contains("fields") && pl["fields"].is_array())
            for (const Json& f : pl["fields"])
                if (f.is_string()) fields += (fields.empty() ? std::string() : tr("inbox.list_sep")) + f.get<std::string>();
        b += "<tr><td>" + esc(jst_datetime(r.rec.created_at)) + "<br><span class=\"muted\">" + esc(r.rec.receipt) + "<br>" +
             esc(centre_name(cat, r.rec.centre_id)) + "</span></td><td><strong><a href=\"/admin/proposals/" + url_encode(r.rec.id) + "\">" +
             esc(str(pl, "title")) + "</a></strong><br><span class=\"muted\">" +
             esc(str(pl, "call_id").empty() ? tr("inbox.proposals.free") : trf("inbox.proposals.answers_call", {{"title", activity_title(cat, str(pl, "call_id"))}})) +
             "</span><div class=\"text\">" + esc(str(pl, "summary")) + "</div><span class=\"muted\">" +
             esc(trf("inbox.proposals.fields", {{"fields", fields}, {"department", str(pl, "partner_department")}})) + "</span></td><td>" + esc(str(pl, "group_name")) + "<br>" + esc(contact_of(p)) +
             "</td><td>" + status_badge(st, state_ja(st));
        if (!r.note.empty()) b += "<div class=\"text\">" + esc(r.note) + "</div>";
        if (c.role >= Role::Editor)
            b += "<form class=\"stack noprint\" method=\"post\" action=\"/admin/proposals/" + url_encode(r.rec.id) + "\">" + csrf_field(c) +
                 select("state", translated(kProposalStates), st) + "<textarea name=\"reason\" rows=\"2\" placeholder=\"" +
                 esc(tr("inbox.proposals.reason")) + "\">" + esc(r.note) + "</textarea><button>" + esc(tr("inbox.save")) + "</button></form>";
        b += "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("inbox.proposals.empty")) + "</td></tr>";
    b += "</tbody></table>" + pager("/admin/proposals?", q.before_seq, more && !rows.empty() ? rows.back().rec.seq : 0,
                                                   app.st.admin().count_records(RecordQuery{"proposal", "", "", "", "", 0}));
    if (!rows.empty()) app.audit(c, "view_proposals", "proposal", std::to_string(rows.size()) + " proposals with contact data");
    send_html(res, 200, page(c, tr("inbox.proposals.title"), b, "/admin/proposals"));
}

std::optional<AdminRecord> one(App& app, const std::string& id, const char* kind) {
    auto v = app.st.admin().records(RecordQuery{kind, "", "", "", id, 2});
    for (auto& r : v)
        if (r.rec.id == id) return r;
    return std::nullopt;
}

bool one_of(const std::string& v, const std::vector<std::pair<std::string, std::string>>& opts) {
    for (const auto& o : opts)
        if (o.first == v) return true;
    return false;
}

}  // namespace

void install_inbox(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/roster/([^/]+))", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { roster(app, c, q, r); });
    app.get(svr, "/admin/opinions", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { opinions(app, c, q, r); });
    app.get(svr, "/admin/surveys", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { surveys(app, c, q, r); });
    app.get(svr, R"(/admin/surveys/([^/]+))", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { survey_results(app, c, q, r); });
    app.get(svr, "/admin/comments", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { comments(app, c, q, r); });
    app.get(svr, "/admin/proposals", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { proposals(app, c, q, r); });

    app.post(svr, R"(/admin/roster/([^/]+)/attendance)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string act = req.matches[1];
        auto r = one(app, c.form["record"], "sign_up");
        if (!r || r->activity_id != act) return not_found(c, res, tr("inbox.err.no_signup"));
        app.st.admin().set_attendance(r->rec.id, c.form["attended"] == "1" ? 1 : 0, c.s.user, rfc3339_now());
        redirect(res, "/admin/roster/" + url_encode(act));
    });
    app.post(svr, R"(/admin/roster/([^/]+)/cancel)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string act = req.matches[1];
        auto r = one(app, c.form["record"], "sign_up");
        if (!r || r->activity_id != act) return not_found(c, res, tr("inbox.err.no_signup"));
        const CancelResult cr = app.st.admin().cancel_signup(r->rec.id, c.s.user, rfc3339_now());
        app.audit(c, "cancel_signup", r->rec.receipt, act + (cr.promoted_id.empty() ? "" : "; waitlist moved up"));
        std::string msg = cr.ok ? trf("inbox.msg.cancelled", {{"receipt", r->rec.receipt}}) : trf("inbox.msg.cannot_cancel", {{"why", cr.error}});
        if (!cr.promoted_id.empty()) msg += tr("inbox.msg.promoted");
        redirect(res, "/admin/roster/" + url_encode(act) + "?msg=" + url_encode(msg));
    });
    app.post(svr, R"(/admin/opinions/([^/]+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        auto r = one(app, req.matches[1], "opinion");
        if (!r) return not_found(c, res, tr("inbox.err.no_opinion"));
        if (!one_of(c.form["state"], kOpinionStates)) return deny(c, res, tr("inbox.err.bad_state"));
        app.st.admin().set_record_state(r->rec.id, c.form["state"], c.form["department"], c.form["note"], c.s.user, rfc3339_now());
        app.audit(c, "triage_opinion", r->rec.receipt, c.form["state"] + " " + c.form["department"]);
        redirect(res, "/admin/opinions?msg=" + url_encode(trf("inbox.msg.saved", {{"receipt", r->rec.receipt}})));
    });
    app.post(svr, R"(/admin/comments/([^/]+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        auto r = one(app, req.matches[1], "public_comment");
        if (!r) return not_found(c, res, tr("inbox.err.no_comment"));
        const std::string answer = c.form["answer"];
        app.st.admin().set_record_state(r->rec.id, answer.empty() ? "new" : "answered", r->department, answer, c.s.user, rfc3339_now());
        app.audit(c, "answer_comment", r->rec.receipt, "");
        redirect(res, "/admin/comments?msg=" + url_encode(trf("inbox.msg.answer_saved", {{"receipt", r->rec.receipt}})));
    });
    app.post(svr, R"(/admin/proposals/([^/]+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        auto r = one(app, req.matches[1], "proposal");
        if (!r) return not_found(c, res, tr("inbox.err.no_proposal"));
        const std::string st = c.form["state"], reason = c.form["reason"];
        if (!one_of(st, kProposalStates)) return deny(c, res, tr("inbox.err.bad_state"));
        // From the proposal's own page (proposal_review.cpp) the answer goes back there.
        const std::string back = c.form["back"] == "detail" ? "/admin/proposals/" + url_encode(r->rec.id) + "?" : "/admin/proposals?";
        const bool blank = reason.find_first_not_of(" \t\r\n") == std::string::npos;
        if (st == "not_adopted" && blank)
            return redirect(res, back + "msg=" + url_encode(tr("inbox.msg.reason_needed")));
        // The committee's decision to adopt is recorded with its reasons too (shown on /p/proposals).
        if (st == "adopted" && blank) return redirect(res, back + "msg=" + url_encode(tr("inbox.msg.adopt_reason_needed")));
        app.st.admin().set_record_state(r->rec.id, st, r->department, reason, c.s.user, rfc3339_now());
        app.audit(c, "decide_proposal", r->rec.receipt, st);
        redirect(res, back + "msg=" + url_encode(trf("inbox.msg.decided", {{"receipt", r->rec.receipt}, {"state", state_ja(st)}})));
    });
}

}  // namespace kyodo::server::web
