// アンケート: the list of surveys, then one question a page.
#pragma once

#include <string>

#include "app/model/survey_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class SurveyView final : public View {
public:
    SurveyForm survey;

    // "" = the list of surveys; `from_activity`: the listing whose detail page offered it.
    void start(Shell& shell, const std::string& survey_id, const std::string& from_activity = "");
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override {
        survey.survey = Survey{};
        survey.clear();
        reveal_page_ = -1;
    }
    void on_enter(Shell&) override { reveal_page_ = -1; }
    bool dirty() const override { return survey.dirty(); }
    int page() const override { return survey.page; }
    void preview(Shell& shell, Screen) override;

private:
    // A question just shown: its answers are scrolled into view (see reveal_answers).
    void reveal_answers(Shell& shell, int question, float question_top, float answers_bottom);
    int reveal_page_ = -1;     // the question last brought into view
    int reveal_frames_ = 0;    // frames left to keep it there (the atlas may land late)
};

}  // namespace kyodo::app::screens
