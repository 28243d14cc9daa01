#include "core/survey_branch.h"

#include <algorithm>

namespace kyodo {

const char* to_code(BranchProblem p) {
    switch (p) {
        case BranchProblem::None: return "";
        case BranchProblem::UnknownQuestion: return "unknown_question";
        case BranchProblem::Self: return "self";
        case BranchProblem::Forward: return "forward";
        case BranchProblem::NotChoice: return "not_choice";
        case BranchProblem::NoChoices: return "no_choices";
        case BranchProblem::ChoiceGone: return "choice_gone";
        case BranchProblem::SeveralOfMultiple: return "several_of_multiple";
    }
    return "";
}

namespace {

// The index of question `id`, or questions.size() when there is none.
std::size_t index_of(const Survey& s, const std::string& id) {
    for (std::size_t i = 0; i < s.questions.size(); ++i)
        if (s.questions[i].id == id) return i;
    return s.questions.size();
}

}  // namespace

BranchProblem branch_problem(const Survey& s, std::size_t qi) {
    if (qi >= s.questions.size()) return BranchProblem::None;
    const ShowWhen& w = s.questions[qi].show_when;
    if (w.always()) return BranchProblem::None;
    const std::size_t src = index_of(s, w.question_id);
    if (src == s.questions.size()) return BranchProblem::UnknownQuestion;
    if (src == qi) return BranchProblem::Self;
    if (src > qi) return BranchProblem::Forward;
    const SurveyQuestion& q = s.questions[src];
    if (q.type != QuestionType::Single && q.type != QuestionType::Multiple) return BranchProblem::NotChoice;
    if (w.choices.empty()) return BranchProblem::NoChoices;
    for (int c : w.choices)
        if (c < 0 || c >= static_cast<int>(q.choices.size())) return BranchProblem::ChoiceGone;
    if (q.type == QuestionType::Multiple && w.choices.size() > 1) return BranchProblem::SeveralOfMultiple;
    return BranchProblem::None;
}

std::vector<bool> shown_questions(const Survey& s, const std::vector<std::vector<int>>& picks) {
    std::vector<bool> shown(s.questions.size(), true);
    for (std::size_t i = 0; i < s.questions.size(); ++i) {
        const ShowWhen& w = s.questions[i].show_when;
        if (w.always() || branch_problem(s, i) != BranchProblem::None) continue;
        const std::size_t src = index_of(s, w.question_id);   // earlier than i: decided already
        bool met = false;
        if (shown[src] && src < picks.size())
            for (int c : picks[src]) met = met || std::find(w.choices.begin(), w.choices.end(), c) != w.choices.end();
        shown[i] = met;
    }
    return shown;
}

}  // namespace kyodo
