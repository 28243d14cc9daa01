// Which conditions can be published (core/survey_branch.h): the editor refuses the others and
// the kiosk ignores them. And which questions are shown, chains included.
#include <doctest/doctest.h>

#include "core/survey_branch.h"

using namespace kyodo;

namespace {

Survey survey() {
    Survey s;
    s.id = "srv";
    auto q = [](const char* id, QuestionType t, std::vector<std::string> choices) {
        SurveyQuestion out;
        out.id = id;
        out.type = t;
        out.choices = std::move(choices);
        return out;
    };
    s.questions = {q("q1", QuestionType::Single, {"a", "b", "c"}), q("q2", QuestionType::Multiple, {"x", "y"}),
                   q("q3", QuestionType::Scale, {}), q("q4", QuestionType::FreeText, {}), q("q5", QuestionType::Single, {"p", "q"})};
    return s;
}

}  // namespace

TEST_CASE("survey branching: the conditions the editor refuses, each named") {
    Survey s = survey();
    CHECK(branch_problem(s, 4) == BranchProblem::None);   // no condition
    auto with = [&](ShowWhen w) {
        Survey t = s;
        t.questions[4].show_when = std::move(w);
        return branch_problem(t, 4);
    };
    CHECK(with({"q1", {0, 2}}) == BranchProblem::None);
    CHECK(with({"q2", {1}}) == BranchProblem::None);
    CHECK(with({"q9", {0}}) == BranchProblem::UnknownQuestion);
    CHECK(with({"q5", {0}}) == BranchProblem::Self);
    CHECK(with({"q3", {1}}) == BranchProblem::NotChoice);
    CHECK(with({"q4", {0}}) == BranchProblem::NotChoice);
    CHECK(with({"q1", {}}) == BranchProblem::NoChoices);
    CHECK(with({"q1", {3}}) == BranchProblem::ChoiceGone);
    CHECK(with({"q1", {-1}}) == BranchProblem::ChoiceGone);
    CHECK(with({"q2", {0, 1}}) == BranchProblem::SeveralOfMultiple);
    s.questions[0].show_when = {"q5", {0}};
    CHECK(branch_problem(s, 0) == BranchProblem::Forward);
    CHECK(std::string(to_code(BranchProblem::Forward)) == "forward");
}

TEST_CASE("survey branching: shown questions follow the picks, and a hidden source hides its dependants") {
    Survey s = survey();
    s.questions[1].show_when = {"q1", {1, 2}};
    s.questions[4].show_when = {"q2", {0}};
    std::vector<std::vector<int>> picks(5);
    CHECK(shown_questions(s, picks) == std::vector<bool>{true, false, true, true, false});
    picks[0] = {2};
    CHECK(shown_questions(s, picks) == std::vector<bool>{true, true, true, true, false});
    picks[1] = {1, 0};
    CHECK(shown_questions(s, picks) == std::vector<bool>{true, true, true, true, true});
    // q1 changed to a: q2 hidden, so q5 too, whatever q2 still holds.
    picks[0] = {0};
    CHECK(shown_questions(s, picks) == std::vector<bool>{true, false, true, true, false});
}
