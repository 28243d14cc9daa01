#include "app/model/survey_form.h"

#include <algorithm>

#include "core/survey_branch.h"
#include "core/utf8.h"

namespace kyodo::app {

void SurveyForm::start(const Survey& s, const std::string& from_activity) {
    survey = s;
    activity_id = from_activity;
    clear();
}

void SurveyForm::clear() {
    answers.assign(survey.questions.size(), SurveyAnswer{});
    for (std::size_t i = 0; i < survey.questions.size(); ++i)
        answers[i].choices.assign(survey.questions[i].choices.size(), false);
    page = 0;
    errors.clear();
    last = {};
}

bool SurveyForm::dirty() const {
    for (std::size_t i = 0; i < answers.size(); ++i)
        if (answered(static_cast<int>(i))) return true;
    return page != 0;
}

void SurveyForm::choose(int q, int index) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return;
    answers[q].choice = answers[q].choice == index ? -1 : index;   // a second tap takes it back
    errors.erase(survey.questions[q].id);
    drop_hidden();
}

void SurveyForm::toggle(int q, int index) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return;
    auto& c = answers[q].choices;
    if (index < 0 || index >= static_cast<int>(c.size())) return;
    c[index] = !c[index];
    errors.erase(survey.questions[q].id);
    drop_hidden();
}

void SurveyForm::set_scale(int q, int value) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return;
    answers[q].scale = answers[q].scale == value ? 0 : value;
    errors.erase(survey.questions[q].id);
}

bool SurveyForm::answered(int q) const {
    if (q < 0 || q >= static_cast<int>(answers.size())) return false;
    const SurveyAnswer& a = answers[q];
    switch (survey.questions[q].type) {
        case QuestionType::Single: return a.choice >= 0;
        case QuestionType::Multiple:
            for (bool b : a.choices)
                if (b) return true;
            return false;
        case QuestionType::Scale: return a.scale != 0;
        case QuestionType::FreeText: return !a.text.empty();
    }
    return false;
}

std::vector<bool> SurveyForm::shown() const {
    std::vector<std::vector<int>> picks(answers.size());
    for (std::size_t i = 0; i < answers.size() && i < survey.questions.size(); ++i) {
        const SurveyAnswer& a = answers[i];
        if (survey.questions[i].type == QuestionType::Single && a.choice >= 0) picks[i].push_back(a.choice);
        if (survey.questions[i].type == QuestionType::Multiple)
            for (std::size_t k = 0; k < a.choices.size(); ++k)
                if (a.choices[k]) picks[i].push_back(static_cast<int>(k));
    }
    return shown_questions(survey, picks);
}

bool SurveyForm::is_shown(int q) const {
    const auto s = shown();
    return q >= 0 && q < static_cast<int>(s.size()) && s[static_cast<std::size_t>(q)];
}

int SurveyForm::next_page() const {
    const auto s = shown();
    for (int i = page + 1; i < static_cast<int>(s.size()); ++i)
        if (s[static_cast<std::size_t>(i)]) return i;
    return -1;
}

int SurveyForm::prev_page() const {
    const auto s = shown();
    for (int i = std::min(page, static_cast<int>(s.size())) - 1; i >= 0; --i)
        if (s[static_cast<std::size_t>(i)]) return i;
    return -1;
}

int SurveyForm::step() const {
    const auto s = shown();
    int n = 0;
    for (int i = 0; i < page && i < static_cast<int>(s.size()); ++i) n += s[static_cast<std::size_t>(i)] ? 1 : 0;
    return n;
}

int SurveyForm::steps() const {
    const auto s = shown();
    return static_cast<int>(std::count(s.begin(), s.end(), true));
}

void SurveyForm::drop_hidden() {
    const auto s = shown();   // one pass suffices: a hidden source hides its dependants whatever they hold
    for (std::size_t i = 0; i < s.size() && i < answers.size(); ++i) {
        if (s[i]) continue;
        answers[i].choice = -1;
        answers[i].choices.assign(survey.questions[i].choices.size(), false);
        answers[i].scale = 0;
        answers[i].text.clear();
        errors.erase(survey.questions[i].id);
    }
}

bool SurveyForm::validate_question(int q) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return false;
    const SurveyQuestion& sq = survey.questions[q];
    errors.erase(sq.id);
    if (!is_shown(q)) return true;   // not shown: not required, and nothing of it is sent
    const SurveyAnswer& a = answers[q];
    if (sq.required && !answered(q)) {
        errors[sq.id] = "required";
    } else if (sq.type == QuestionType::Single && a.choice >= static_cast<int>(sq.choices.size())) {
        errors[sq.id] = "out_of_range";
    } else if (sq.type == QuestionType::Scale && a.scale != 0 &&
               (a.scale < sq.scale_min || a.scale > sq.scale_max)) {
        errors[sq.id] = "out_of_range";
    } else if (sq.type == QuestionType::FreeText) {
        if (!is_valid_utf8(a.text)) errors[sq.id] = "invalid_utf8";
        else if (utf8::length(a.text) > 1000) errors[sq.id] = "too_long";
    }
    return !errors.count(sq.id);
}

bool SurveyForm::validate() {
    errors.clear();
    bool ok = !survey.id.empty();
    for (std::size_t i = 0; i < answers.size(); ++i) ok = validate_question(static_cast<int>(i)) && ok;
    return ok;
}

Record SurveyForm::record() const {
    Record r;
    r.kind = RecordKind::SurveyResponse;
    Json list = Json::array();
    const auto visible = shown();
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const int q = static_cast<int>(i);
        if (!answered(q) || !visible[i]) continue;
        const SurveyQuestion& sq = survey.questions[i];
        const SurveyAnswer& a = answers[i];
        Json j{{"question_id", sq.id}};
        switch (sq.type) {
            case QuestionType::Single: j["choice"] = a.choice; break;
            case QuestionType::Multiple: {
                Json cs = Json::array();
                for (std::size_t k = 0; k < a.choices.size(); ++k)
                    if (a.choices[k]) cs.push_back(static_cast<int>(k));
                j["choices"] = cs;
                break;
            }
            case QuestionType::Scale: j["scale"] = a.scale; break;
            case QuestionType::FreeText: j["text"] = a.text; break;
        }
        list.push_back(std::move(j));
    }
    r.payload = Json{{"survey_id", survey.id}, {"survey_version", survey.version}, {"answers", list}};
    if (!activity_id.empty()) r.payload["activity_id"] = activity_id;   // counts as residents' evaluation of its project
    return r;
}

SubmitResult SurveyForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    SubmitResult r = submit_record(ctx, record(), nullptr, &errors);   // anonymous: no personal part
    if (r.ok()) clear();   // the next resident's answers are a new response
    last = r;
    return r;
}

}  // namespace kyodo::app
