#include "app/model/survey_form.h"

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
}

void SurveyForm::toggle(int q, int index) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return;
    auto& c = answers[q].choices;
    if (index < 0 || index >= static_cast<int>(c.size())) return;
    c[index] = !c[index];
    errors.erase(survey.questions[q].id);
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

bool SurveyForm::validate_question(int q) {
    if (q < 0 || q >= static_cast<int>(answers.size())) return false;
    const SurveyQuestion& sq = survey.questions[q];
    errors.erase(sq.id);
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
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const int q = static_cast<int>(i);
        if (!answered(q)) continue;
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
