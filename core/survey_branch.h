// Branching surveys (issue 9 point 7): which questions a resident is shown, and whether a
// question's condition (SurveyQuestion::show_when) is one city hall may publish. Shared by the
// kiosk (what it shows and sends) and the dashboard's editor (what it refuses).
//
// A condition names an EARLIER single- or multiple-choice question and choice indexes into it:
// shown when that question was shown and its answer is one of them (single choice) or includes
// the one choice named (multiple choice: exactly one, so the results page can count exactly
// how many residents the question was shown to from the per-choice tallies). Conditions chain:
// a question whose source was hidden is hidden too.
#pragma once

#include <cstddef>
#include <vector>

#include "core/types.h"

namespace kyodo {

enum class BranchProblem {
    None,               // always shown, or a condition that can be published
    UnknownQuestion,    // names no question of the survey (removed)
    Self,               // names the question itself
    Forward,            // names a later question
    NotChoice,          // names a scale or free-text question
    NoChoices,          // names no choice
    ChoiceGone,         // an index that is not a choice of that question (a removed choice)
    SeveralOfMultiple,  // more than one choice of a multiple-choice question
};
const char* to_code(BranchProblem);   // "unknown_question", "self", … ("" for None)

// The problem with question `qi`'s condition (None when it has none).
BranchProblem branch_problem(const Survey& s, std::size_t qi);

// Which questions are shown, in order, given each question's picked choice indexes (`picks[i]`:
// the choice of a single-choice question, the ticked ones of a multiple-choice question, empty
// when unanswered or of another type). A condition with a problem is ignored (the question is
// shown): a catalog that should not exist loses nothing.
std::vector<bool> shown_questions(const Survey& s, const std::vector<std::vector<int>>& picks);

}  // namespace kyodo
