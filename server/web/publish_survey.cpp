// The survey editor (アンケート): title, description and questions of four kinds (one choice,
// several choices, a 1–5 scale, free text), each with its seed-004 indicator when it measures
// one of the plan's targets. Rows are added, removed and moved with submit buttons that render
// the form again from what was posted, so it works without JavaScript and nothing is lost.
// Branching (issue 9 point 7; core/survey_branch.h): each question after the first may be shown
// only when an earlier choice question's answer is one of the choices ticked. While editing, a
// condition holds its choices by their text ("choice_texts"), so adding, moving or removing
// choices of the question it depends on never silently changes what it means: on saving, the
// texts become the catalog's indexes, and a text that is no longer a choice is an error.
#include <algorithm>

#include "core/codec.h"
#include "core/survey_branch.h"
#include "server/web/publish.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

constexpr std::size_t kMaxQuestions = 100;   // core's validator: at most 100 answers a response
constexpr std::size_t kMaxChoices = 20;      // … and 20 choices in a multiple-choice answer

// {type, the table key of how the editor names it}
const char* const kQuestionTypes[][2] = {{"single", "publish_survey.type.single"},
                                         {"multiple", "publish_survey.type.multiple"},
                                         {"scale", "publish_survey.type.scale"},
                                         {"free_text", "publish_survey.type.free_text"}};

std::string get(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }
bool has_choices(const std::string& type) { return type == "single" || type == "multiple"; }

std::string next_question_id(const Json& qs) {
    int n = 0;
    for (const Json& q : qs) {
        const std::string id = get(q, "id");
        if (id.size() > 1 && id[0] == 'q' && std::all_of(id.begin() + 1, id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            n = std::max(n, std::stoi(id.substr(1)));
    }
    return "q" + std::to_string(n + 1);
}

Json blank_question(const Json& qs) {
    return {{"id", next_question_id(qs)}, {"type", "single"},       {"text", ""},           {"choices", Json::array({"", ""})},
            {"scale_min", 1},             {"scale_max", 5},         {"scale_min_label", ""}, {"scale_max_label", ""},
            {"required", false},          {"indicator", ""}};
}

void check_conditions(const Json& qs, FieldErrors& err);

int responses_to(App& app, const std::string& id) {
    int n = 0;
    for (const auto& r : app.st.admin().records(RecordQuery{"survey_response", "", "", "", "", 1000000}))
        if (str(payload_of(r), "survey_id") == id) ++n;
    return n;
}

std::vector<std::string> texts_of(const Json& a) {
    std::vector<std::string> out;
    if (a.is_array())
        for (const Json& t : a)
            if (t.is_string()) out.push_back(t.get<std::string>());
    return out;
}

// "表示する条件": a select of the earlier choice questions (the current value kept even when it is
// not one of them, so its error shows by it), and the choices of the question picked as ticks.
std::string condition_html(const FormCtx& f, const Json& qs, std::size_t i) {
    const std::string p = "q." + std::to_string(i) + ".";
    const Json& q = qs[i];
    const Json when = q.contains("show_when") && q["show_when"].is_object() ? q["show_when"] : Json::object();
    const std::string src = get(when, "question_id");
    if (i == 0 && src.empty()) return "";   // the first question has nothing before it to depend on
    Options sources{{"", tr("publish_survey.when.always")}};
    for (std::size_t k = 0; k < i; ++k)
        if (has_choices(get(qs[k], "type")))
            sources.emplace_back(get(qs[k], "id"), trf("publish_survey.when.source", {{"n", std::to_string(k + 1)}, {"text", get(qs[k], "text")}}));
    std::string o = "<div class=\"wide with-button condition\">" + select_field(f, p + "when", tr("publish_survey.when"), sources, src);
    if (!f.ro) o += "<button class=\"small\" name=\"op\" value=\"refresh\">" + esc(tr("publish_survey.when.refresh")) + "</button>";
    o += "</div>";
    if (src.empty()) return o;
    for (std::size_t k = 0; k < qs.size(); ++k) {
        if (get(qs[k], "id") != src || !has_choices(get(qs[k], "type"))) continue;
        const std::string legend = trf(get(qs[k], "type") == "multiple" ? "publish_survey.when.choices_multiple" : "publish_survey.when.choices_single",
                                       {{"n", std::to_string(k + 1)}});
        // A ticked text that is no longer a choice stays as a tick (its error says so) until unticked.
        std::vector<std::string> options = texts_of(qs[k].value("choices", Json::array()));
        const std::vector<std::string> ticked = texts_of(when.value("choice_texts", Json::array()));
        for (const std::string& t : ticked)
            if (std::find(options.begin(), options.end(), t) == options.end()) options.push_back(t);
        o += checkbox_group(f, p + "when_choices", legend, options, ticked, std::string());
    }
    return o;
}

std::string question_html(const FormCtx& f, const Options& indicators, const Json& qs, std::size_t i) {
    const Json& q = qs[i];
    const std::size_t n = qs.size();
    const std::string p = "q." + std::to_string(i) + ".";
    const std::string type = get(q, "type");
    Options types;
    for (const auto& t : kQuestionTypes) types.emplace_back(t[0], tr(t[1]));
    std::string o = "<li class=\"row question\"><div class=\"rowhead\"><strong>" + esc(trf("publish_survey.q.nth", {{"n", std::to_string(i + 1)}})) +
                    " <small class=\"muted\">" + esc(trf("publish_survey.q.id", {{"id", get(q, "id")}})) + "</small></strong>" +
                    row_buttons(f, "q", i, n, tr("publish_survey.q.this")) + "</div>" +
                    "<input type=\"hidden\" name=\"" + p + "id\" value=\"" + esc(get(q, "id")) + "\">" +
                    "<input type=\"hidden\" name=\"" + p + "scale_min\" value=\"" + std::to_string(q.value("scale_min", 1)) + "\">" +
                    "<input type=\"hidden\" name=\"" + p + "scale_max\" value=\"" + std::to_string(q.value("scale_max", 5)) + "\">" +
                    "<div class=\"grid2\">" + textarea_field(f, p + "text", tr("publish_survey.q.text"), get(q, "text"), 2, "maxlength=\"300\"", tr("publish_survey.q.text_hint")) +
                    "<div class=\"with-button\">" + select_field(f, p + "type", tr("publish_survey.q.type"), types, type);
    if (!f.ro) o += "<button class=\"small\" name=\"op\" value=\"refresh\">" + esc(tr("publish_survey.q.refresh")) + "</button>";
    o += "</div>";
    if (!indicators.empty()) o += select_field(f, p + "indicator", tr("publish_survey.q.indicator"), indicators, get(q, "indicator"));
    o += "<div>" + checkbox_field(f, p + "required", tr("publish_survey.q.required"), q.value("required", false)) + "</div>";
    const Json choices = q.contains("choices") && q["choices"].is_array() ? q["choices"] : Json::array();
    if (has_choices(type)) {
        f.note(p + "choices", tr("publish_survey.choices"));
        o += "<fieldset id=\"" + esc(field_id(p + "choices")) + "\" class=\"wide choices\"><legend>" + esc(tr("publish_survey.choices.legend")) + "</legend>" +
             field_error(f.err, p + "choices") + "<ol>";
        for (std::size_t j = 0; j < choices.size(); ++j) {
            const std::string cn = p + "c." + std::to_string(j);
            o += "<li>" + text_field(f, cn, trf("publish_survey.choices.nth", {{"n", std::to_string(j + 1)}}), choices[j].is_string() ? choices[j].get<std::string>() : "",
                                     "maxlength=\"100\"", "", "choice") +
                 row_buttons(f, "q." + std::to_string(i) + ".c", j, choices.size(), tr("publish_survey.choices")) + "</li>";
        }
        o += "</ol>";
        if (!f.ro && choices.size() < kMaxChoices)
            o += "<button class=\"small\" name=\"op\" value=\"add:q." + std::to_string(i) + ".c\">" + esc(tr("publish_survey.choices.add")) + "</button>";
        o += "</fieldset>";
    } else {
        // Kept while the question is of another kind, so switching back loses nothing.
        for (std::size_t j = 0; j < choices.size(); ++j)
            o += "<input type=\"hidden\" name=\"" + p + "c." + std::to_string(j) + "\" value=\"" +
                 esc(choices[j].is_string() ? choices[j].get<std::string>() : "") + "\">";
    }
    o += condition_html(f, qs, i);
    if (type == "scale") {
        o += text_field(f, p + "scale_min_label", tr("publish_survey.scale.min"), get(q, "scale_min_label"), "maxlength=\"20\"", tr("publish_survey.scale.min_hint")) +
             text_field(f, p + "scale_max_label", tr("publish_survey.scale.max"), get(q, "scale_max_label"), "maxlength=\"20\"", tr("publish_survey.scale.max_hint"));
    } else {
        o += "<input type=\"hidden\" name=\"" + p + "scale_min_label\" value=\"" + esc(get(q, "scale_min_label")) + "\">" +
             "<input type=\"hidden\" name=\"" + p + "scale_max_label\" value=\"" + esc(get(q, "scale_max_label")) + "\">";
    }
    return o + "</div></li>";
}

void render(App& app, Ctx& c, httplib::Response& res, const Json& s, bool is_new, const FieldErrors& err, const Json* stored) {
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    Options indicators;
    if (app.opts.indicator_targets.is_array() && !app.opts.indicator_targets.empty()) {
        indicators.emplace_back("", tr("publish_survey.indicator.none"));
        for (const Json& t : app.opts.indicator_targets)
            if (str(t, "measured_by") != "staff_survey")   // ⑤ is the staff survey's (targets.cpp), not a kiosk question's
                indicators.emplace_back(str(t, "code"), str(t, "label"));
    }
    std::string b;
    if (!is_new) {
        const int n = responses_to(app, str(s, "id"));
        if (n > 0)
            b += "<p class=\"notice\">" + esc(trf("publish_survey.notice.answered", {{"n", std::to_string(n)}})) + "</p>";
    }
    b += "<form method=\"post\" action=\"/admin/catalog/surveys/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
         "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">";
    if (!f.ro) b += "<div class=\"wide actions top\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("publish.button.save_publish")) + "</button></div>";
    b += text_field(f, "id", tr("publish.field.id"), str(s, "id"),
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly",
                    is_new ? tr("publish_survey.id_hint") : std::string()) +
         text_field(f, "title", tr("publish_survey.field.title"), str(s, "title"), "required maxlength=\"100\"") +
         textarea_field(f, "description", tr("publish_survey.field.description"), str(s, "description"), 3, "maxlength=\"1000\"",
                        tr("publish_survey.field.description_hint"));
    const Json qs = s.contains("questions") && s["questions"].is_array() ? s["questions"] : Json::array();
    f.note("questions", tr("publish_survey.questions"));
    b += "<h2 class=\"wide\">" + esc(tr("publish_survey.questions")) + "</h2>" + field_error(err, "questions") + "<ol id=\"" + field_id("questions") + "\" class=\"rows wide\">";
    for (std::size_t i = 0; i < qs.size(); ++i) b += question_html(f, indicators, qs, i);
    b += "</ol>";
    if (!f.ro) {
        if (qs.size() < kMaxQuestions) b += "<p class=\"wide\"><button name=\"op\" value=\"add:q\">" + esc(tr("publish_survey.questions.add")) + "</button></p>";
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("publish.button.save_publish")) +
             "</button><a class=\"button\" href=\"/admin/catalog\">" + esc(tr("publish.button.back")) + "</a></div>";
    }
    b += "</form>";
    if (stored) b += json_view(*stored);
    if (!is_new && stored && !f.ro)
        b += "<h2>" + esc(tr("publish.delete.title")) + "</h2><p>" + esc(tr("publish_survey.delete_lead")) +
             "</p><form class=\"inline\" method=\"post\" action=\"/admin/catalog/surveys/delete\">" + csrf_field(c) +
             "<input type=\"hidden\" name=\"id\" value=\"" + esc(str(s, "id")) + "\"><button class=\"danger\">" +
             esc(tr("publish.delete.button")) + "</button></form>";
    send_html(res, err.any() ? 400 : 200, page(c, tr(is_new ? "publish_survey.title.new" : "publish_survey.title.edit"), err.summary_html(labels) + b, "/admin/activities"));
}

int posted_int(const std::map<std::string, std::string>& form, const std::string& k, int dflt) {
    try {
        return std::stoi(posted(form, k));
    } catch (const std::exception&) {
        return dflt;
    }
}

Json read(const std::map<std::string, std::string>& form, Json s, const Json& targets, FieldErrors& err) {
    s["id"] = trim(posted(form, "id"));
    s["title"] = trim(posted(form, "title"));
    s["description"] = trim(normalise_newlines(posted(form, "description")));
    Json qs = Json::array();
    for (std::size_t i = 0; i < kMaxQuestions + 1; ++i) {
        const std::string p = "q." + std::to_string(i) + ".";
        if (!form.count(p + "id")) break;
        Json q = {{"id", trim(posted(form, p + "id"))},
                  {"type", posted(form, p + "type")},
                  {"text", trim(normalise_newlines(posted(form, p + "text")))},
                  {"choices", Json::array()},
                  {"scale_min", posted_int(form, p + "scale_min", 1)},
                  {"scale_max", posted_int(form, p + "scale_max", 5)},
                  {"scale_min_label", trim(posted(form, p + "scale_min_label"))},
                  {"scale_max_label", trim(posted(form, p + "scale_max_label"))},
                  {"required", posted(form, p + "required") == "1"},
                  {"indicator", posted(form, p + "indicator")}};
        for (std::size_t j = 0; j < kMaxChoices + 1; ++j) {
            const std::string cn = p + "c." + std::to_string(j);
            if (!form.count(cn)) break;
            q["choices"].push_back(trim(posted(form, cn)));
        }
        if (const std::string src = posted(form, p + "when"); !src.empty()) {
            Json texts = Json::array();
            const std::string ticked = posted(form, p + "when_choices");
            std::size_t at = 0;
            while (!ticked.empty() && at <= ticked.size()) {
                const std::size_t nl = std::min(ticked.find('\n', at), ticked.size());
                texts.push_back(trim(ticked.substr(at, nl - at)));
                at = nl + 1;
            }
            q["show_when"] = {{"question_id", src}, {"choice_texts", texts}};
        }
        qs.push_back(q);
    }
    const std::string op = posted(form, "op");
    if (!apply_row_op(op, "q", qs, blank_question(qs)))
        for (std::size_t i = 0; i < qs.size(); ++i)
            if (apply_row_op(op, "q." + std::to_string(i) + ".c", qs[i]["choices"], "")) break;
    s["questions"] = qs;

    check_id(err, "id", str(s, "id"));
    check_text(err, "title", str(s, "title"), 100, true);
    check_text(err, "description", str(s, "description"), 1000, false, true);
    if (qs.empty()) err.add("questions", tr("publish_survey.err.none"));
    if (qs.size() > kMaxQuestions) err.add("questions", tr("publish_survey.err.too_many"));
    std::vector<std::string> indicators_used;
    for (std::size_t i = 0; i < qs.size(); ++i) {
        const std::string p = "q." + std::to_string(i) + ".";
        const Json& q = qs[i];
        const std::string type = get(q, "type");
        if (!question_type_from_code(type)) err.add(p + "type", tr("publish_survey.err.type"));
        check_text(err, p + "text", get(q, "text"), 300, true, true);
        if (has_choices(type)) {
            const Json& ch = q["choices"];
            if (ch.size() < 2) err.add(p + "choices", tr("publish_survey.err.choices_min"));
            if (ch.size() > kMaxChoices) err.add(p + "choices", tr("publish_survey.err.choices_max"));
            for (std::size_t j = 0; j < ch.size(); ++j) {
                const std::string cn = p + "c." + std::to_string(j);
                check_text(err, cn, ch[j].get<std::string>(), 100, true);
                for (std::size_t k = 0; k < j; ++k)
                    if (ch[k] == ch[j] && !ch[j].get<std::string>().empty()) err.add(cn, tr("publish_survey.err.choice_dup"));
            }
        }
        if (type == "scale") {
            check_text(err, p + "scale_min_label", get(q, "scale_min_label"), 20, false);
            check_text(err, p + "scale_max_label", get(q, "scale_max_label"), 20, false);
            if (q["scale_min"].get<int>() >= q["scale_max"].get<int>()) err.add(p + "type", tr("publish_survey.err.scale"));
        }
        const std::string ind = get(q, "indicator");
        if (!ind.empty()) {
            bool known = false;
            if (targets.is_array())
                for (const Json& t : targets) known = known || str(t, "code") == ind;
            if (!known) err.add(p + "indicator", tr("publish_survey.err.indicator_unknown"));
            if (std::find(indicators_used.begin(), indicators_used.end(), ind) != indicators_used.end())
                err.add(p + "indicator", tr("publish_survey.err.indicator_dup"));
            indicators_used.push_back(ind);
        }
    }
    check_conditions(qs, err);
    return s;
}

// The catalog's form of a condition: the choice texts as indexes into the question it names
// (-1 for a text that is no longer one of its choices: core's branch_problem calls it gone).
Json catalog_condition(const Json& qs, const Json& when) {
    const std::string src = get(when, "question_id");
    Json idx = Json::array();
    const Json* source = nullptr;
    for (const Json& q : qs)
        if (get(q, "id") == src) source = &q;
    for (const std::string& t : texts_of(when.contains("choice_texts") ? when["choice_texts"] : Json::array())) {
        int at = -1;
        const Json choices = source ? source->value("choices", Json::array()) : Json::array();
        for (std::size_t k = 0; k < choices.size(); ++k)
            if (choices[k] == t) at = static_cast<int>(k);
        idx.push_back(at);
    }
    return {{"question_id", src}, {"choices", idx}};
}

// Every condition checked with core's rules (what the kiosk would otherwise ignore), each
// error by its question's condition field.
void check_conditions(const Json& qs, FieldErrors& err) {
    Survey sv;
    for (const Json& q : qs) {
        SurveyQuestion sq;
        sq.id = get(q, "id");
        sq.type = question_type_from_code(get(q, "type")).value_or(QuestionType::FreeText);
        sq.choices = texts_of(q.value("choices", Json::array()));
        if (q.contains("show_when") && q["show_when"].is_object()) {
            const Json c = catalog_condition(qs, q["show_when"]);
            sq.show_when.question_id = get(c, "question_id");
            for (const Json& k : c["choices"]) sq.show_when.choices.push_back(k.get<int>());
        }
        sv.questions.push_back(std::move(sq));
    }
    for (std::size_t i = 0; i < sv.questions.size(); ++i) {
        const BranchProblem problem = branch_problem(sv, i);
        if (problem == BranchProblem::None) continue;
        const std::string field = "q." + std::to_string(i) + ".when";
        std::string n;   // the number of the question it names, when there is one
        for (std::size_t k = 0; k < sv.questions.size(); ++k)
            if (sv.questions[k].id == sv.questions[i].show_when.question_id) n = std::to_string(k + 1);
        if (problem == BranchProblem::ChoiceGone) {
            const auto texts = texts_of(qs[i]["show_when"].value("choice_texts", Json::array()));
            for (std::size_t k = 0; k < texts.size(); ++k)
                if (sv.questions[i].show_when.choices[k] < 0)
                    err.add(field, trf("publish_survey.err.when_choice_gone", {{"choice", texts[k]}, {"n", n}}));
        } else {
            err.add(field, trf(std::string("publish_survey.err.when_") + to_code(problem), {{"n", n}}));
        }
    }
}

// While editing, a condition's choices are held by their text (see the top of this file).
Json for_editing(Json s) {
    if (!s.contains("questions") || !s["questions"].is_array()) return s;
    const Json qs = s["questions"];
    for (Json& q : s["questions"]) {
        if (!q.contains("show_when") || !q["show_when"].is_object()) continue;
        const std::string src = get(q["show_when"], "question_id");
        Json texts = Json::array();
        for (const Json& other : qs) {
            const Json choices = other.value("choices", Json::array());
            if (get(other, "id") == src && choices.is_array())
                for (const Json& k : q["show_when"].value("choices", Json::array()))
                    if (k.is_number_integer() && k.get<int>() >= 0 && k.get<std::size_t>() < choices.size())
                        texts.push_back(choices[k.get<std::size_t>()]);
        }
        q["show_when"] = {{"question_id", src}, {"choice_texts", texts}};
    }
    return s;
}

// What the kiosk gets: choices only for choice questions, conditions as indexes, the rest as
// they were.
Json for_catalog(Json s) {
    const Json qs = s["questions"];
    for (Json& q : s["questions"]) {
        if (!has_choices(get(q, "type"))) q["choices"] = Json::array();
        if (q.contains("show_when") && q["show_when"].is_object()) q["show_when"] = catalog_condition(qs, q["show_when"]);
    }
    return s;
}

}  // namespace

void install_survey_form(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/catalog/surveys/([^/]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        if (id == "new") {
            if (c.role < Role::Editor) return deny(c, res, tr("publish.err.editor_only"));
            Json s = to_json(Survey{});
            s.erase("version");
            s["questions"] = Json::array({blank_question(Json::array())});
            return render(app, c, res, s, true, FieldErrors{}, nullptr);
        }
        const Json cat = app.catalog();
        const Json* s = find_by_id(cat["surveys"], id);
        if (!s) return not_found(c, res, trf("publish_survey.err.missing", {{"id", id}}));
        render(app, c, res, for_editing(*s), false, FieldErrors{}, s);
    });
    app.post(svr, "/admin/catalog/surveys/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const bool is_new = c.form["is_new"] == "1";
        const Json cat = app.catalog();
        const Json* existing = find_by_id(cat["surveys"], trim(c.form["id"]));
        FieldErrors err;
        if (is_new && existing) err.add("id", trf("publish.err.id_taken", {{"title", str(*existing, "title")}}));
        if (!is_new && !existing) err.general = tr("publish_survey.err.gone");
        Json base = existing && !is_new ? for_editing(*existing) : to_json(Survey{});
        if (is_new || !existing) base.erase("version");
        FieldErrors checks;
        Json s = read(c.form, base, app.opts.indicator_targets, checks);
        const Json* stored = is_new ? nullptr : existing;
        if (!is_save(c.form)) return render(app, c, res, s, is_new, FieldErrors{}, stored);
        for (auto& [k, v] : checks.at) err.add(k, v);
        if (err.any()) return render(app, c, res, s, is_new, err, stored);
        CatalogDelta d;
        try {
            d.surveys.push_back(survey_from_json(for_catalog(s)));
        } catch (const DecodeError& e) {
            err.general = trf("publish.err.decode", {{"why", e.what()}});
            return render(app, c, res, s, is_new, err, stored);
        }
        const std::int64_t before = app.st.catalog_version();
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "publish_surveys", str(s, "id"), "catalog version " + std::to_string(v));
        redirect(res, "/admin/catalog?msg=" + url_encode(saved_message(str(s, "title"), before, v)));
    });
    app.post(svr, "/admin/catalog/surveys/delete", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = c.form["id"];
        const Json cat = app.catalog();
        const Json* s = find_by_id(cat["surveys"], id);
        if (!s) return not_found(c, res, trf("publish_survey.err.missing", {{"id", id}}));
        CatalogDelta d;
        d.deleted_surveys.push_back(id);
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "delete_surveys", id, "catalog version " + std::to_string(v));
        redirect(res, "/admin/catalog?msg=" + url_encode(trf("publish.msg.deleted", {{"name", str(*s, "title")}})));
    });
}

}  // namespace kyodo::server::web
