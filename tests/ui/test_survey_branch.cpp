// Branching surveys at the kiosk as a model (issue 9 point 7): a question shown only when an
// earlier answer is one of the choices named is not shown, not required and not sent; changing
// the answer that showed it forgets what was answered there (and down the chain); the pages and
// the step count follow what is shown. The survey: tests/ui/branching_survey.h.
#include <doctest/doctest.h>

#include "app/model/survey_form.h"
#include "branching_survey.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

std::vector<std::string> answered_ids(const Record& r) {
    std::vector<std::string> out;
    for (const auto& a : r.payload["answers"]) out.push_back(a["question_id"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("survey branching: hidden questions are not shown, not required, and the steps count what is shown") {
    SurveyForm f;
    f.start(branching_survey());
    // Nothing answered: q1, q4, q6 shown (q2 and q5 wait for their answer, q3 for q2).
    CHECK(f.shown() == std::vector<bool>{true, false, false, true, false, true});
    CHECK(f.steps() == 3);
    CHECK(f.next_page() == 3);
    // q2 is required but hidden: only q6 (required, shown) is missing.
    CHECK_FALSE(f.validate());
    CHECK(f.errors.size() == 1);
    CHECK(f.errors.count("q6"));
    CHECK(f.validate_question(1));

    // 参加した shows q2 (now required); いまひとつ shows q3 after it.
    f.choose(0, 0);
    CHECK(f.steps() == 4);
    CHECK(f.next_page() == 1);
    f.set_scale(5, 4);
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("q2"));
    f.choose(1, 2);
    CHECK(f.is_shown(2));
    CHECK(f.steps() == 5);
    f.page = 1;
    CHECK(f.step() == 1);
    CHECK(f.next_page() == 2);
    CHECK(f.prev_page() == 0);
    f.page = 3;   // q4: the step after q3
    CHECK(f.step() == 3);
    CHECK(f.prev_page() == 2);
    CHECK(f.next_page() == 5);   // q5 hidden until その他
    f.answers[2].text = "会場が少し狭かったです。";
    CHECK(f.validate());
    CHECK(answered_ids(f.record()) == std::vector<std::string>{"q1", "q2", "q3", "q6"});
}

TEST_CASE("survey branching: changing the answer that showed a question forgets its answer, down the chain") {
    SurveyForm f;
    f.start(branching_survey());
    f.choose(0, 0);
    f.choose(1, 2);
    f.answers[2].text = "会場が少し狭かったです。";
    f.set_scale(5, 3);
    // Back on q1, the resident changes to 参加していない: q2 and q3 go, with their answers.
    f.choose(0, 1);
    CHECK_FALSE(f.is_shown(1));
    CHECK_FALSE(f.is_shown(2));
    CHECK(f.answers[1].choice == -1);
    CHECK(f.answers[2].text.empty());
    CHECK(f.steps() == 3);
    // Back to 参加した: q2 is shown again, empty (required again), q3 waits for いまひとつ again.
    f.choose(0, 0);
    CHECK(f.is_shown(1));
    CHECK_FALSE(f.is_shown(2));
    CHECK_FALSE(f.answered(1));
    // A second tap takes 参加した back: q1 unanswered hides q2 too.
    f.choose(1, 0);
    f.choose(0, 0);
    CHECK_FALSE(f.is_shown(1));
    CHECK(f.answers[1].choice == -1);

    // Multiple choice: q5 shows while その他 is among the ticks, whatever else is ticked.
    f.toggle(3, 3);
    CHECK(f.is_shown(4));
    f.answers[4].text = "回覧板";
    f.toggle(3, 0);
    CHECK(f.is_shown(4));
    CHECK(f.answers[4].text == "回覧板");
    f.toggle(3, 3);
    CHECK_FALSE(f.is_shown(4));
    CHECK(f.answers[4].text.empty());
    CHECK(answered_ids(f.record()) == std::vector<std::string>{"q4", "q6"});
    // An answer left in a hidden question is never sent.
    f.answers[2].text = "残っていた答え";
    CHECK(answered_ids(f.record()) == std::vector<std::string>{"q4", "q6"});
}

TEST_CASE("survey branching: a condition that should not exist is ignored (the question is shown), nothing lost") {
    Survey s = branching_survey();
    s.questions[1].show_when = {"q6", {0}};        // points forward
    s.questions[2].show_when = {"q-removed", {0}};  // names no question
    s.questions[4].show_when = {"q4", {7}};         // a removed choice
    SurveyForm f;
    f.start(s);
    CHECK(f.shown() == std::vector<bool>{true, true, true, true, true, true});
    CHECK(f.steps() == 6);
}

TEST_CASE("survey branching: a branching response passes the kiosk's validator and is queued") {
    ModelKiosk k("flows-survey-branch", "ohdono");
    SurveyForm f;
    f.start(branching_survey());
    f.choose(0, 0);
    f.choose(1, 1);
    f.toggle(3, 3);
    f.answers[4].text = "回覧板";
    f.set_scale(5, 5);
    SubmitResult r = f.submit(k.ctx);
    REQUIRE(r.ok());
    auto out = k.outbox();
    REQUIRE(out.size() == 1);
    CHECK(answered_ids(out[0].record) == std::vector<std::string>{"q1", "q2", "q4", "q5", "q6"});
    CHECK(f.steps() == 3);   // the next resident starts with only the unconditional questions
}
