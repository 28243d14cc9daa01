// The survey (アンケート) as a form: one answer slot per question (single choice, multiple
// choice, a 1–5 scale, free text), required questions, and submission as an anonymous
// survey_response record. Each resident's answers are a NEW record: a successful submit
// forgets every answer (the survey stays loaded for the next person), and clear() does the
// same on an idle reset. Nothing is ever merged with an earlier response.
// Branching (core/survey_branch.h): a question whose condition is not met is not shown, not
// required and not sent; changing the answer that showed it forgets what was answered there
// (and in the questions that depended on it). Pages and the step count follow what is shown.
#pragma once

#include <string>
#include <vector>

#include "app/model/forms.h"

namespace kyodo::app {

struct SurveyAnswer {
    int choice = -1;                 // Single: index, -1 = none
    std::vector<bool> choices;       // Multiple: one flag per choice
    int scale = 0;                   // Scale: scale_min..scale_max, 0 = none
    std::string text;                // FreeText
};

struct SurveyForm {
    Survey survey;                   // the survey being answered (empty id = none)
    std::string activity_id;         // the listing it was offered on ("" = from the survey list)
    std::vector<SurveyAnswer> answers;
    int page = 0;                    // the question shown (one question a screen)

    FieldErrors errors;              // question id → "required" / "too_long" …
    SubmitResult last;

    void start(const Survey& s, const std::string& from_activity = "");   // binds to a survey with no answers
    void clear();                    // forgets the answers (idle reset); keeps the survey
    bool dirty() const;              // something answered

    void choose(int q, int index);                // Single
    void toggle(int q, int index);                // Multiple
    void set_scale(int q, int value);             // Scale
    bool answered(int q) const;

    // Branching: whether question q is shown with the answers so far, and the pages in order
    // of what is shown. next_page / prev_page: the shown question after / before `page`, -1
    // when there is none (the last page sends; the first goes back out of the survey).
    std::vector<bool> shown() const;
    bool is_shown(int q) const;
    int next_page() const;
    int prev_page() const;
    int step() const;                // `page`'s place among the shown questions (0-based)
    int steps() const;               // how many questions are shown

    bool validate_question(int q);   // this question only (the "next" button)
    bool validate();                 // every question
    Record record() const;           // payload: survey_id, survey_version, answered questions
    // Validates, enqueues, and on success forgets the answers (the next resident starts empty).
    SubmitResult submit(const SubmitContext& ctx);

private:
    void drop_hidden();              // forgets the answers of questions no longer shown
};

}  // namespace kyodo::app
