// The survey (アンケート): one question a screen — single choice, multiple choice, a 1–5
// scale, free text — then "send". A branching question (core/survey_branch.h) appears only
// when the answer it depends on was given; the steps count what is shown. Anonymous: no name is asked. After sending, the answers
// are forgotten so the next resident starts a new response.
#include "app/screens/survey.h"

#include <algorithm>

#include <imgui_internal.h>
#include "app/screens/receipt.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

// A full-width choice with a round (single) or square (multiple) marker.
bool choice_row(Shell& app, const char* id, const std::string& text, bool on, bool multi, float width) {
    const FontRoles& f = app.fonts();
    const float pad = 28, mark = 44;
    float th = ui::wrapped_size(f.body, f.body->FontSize, width - pad * 2 - mark - 24, text.c_str()).y;
    float h = std::max(kButtonH, th + 40);
    bool tapped = ui::card(id, ImVec2(width, h));
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (on) {
        dl->AddRectFilled(p, q, kPrimarySoft, kRadius);
        dl->AddRect(p, q, kPrimary, kRadius, 0, 4);
    }
    ImVec2 c(p.x + pad + mark * 0.5f, (p.y + q.y) * 0.5f);
    if (multi) {
        ImVec2 a(c.x - mark * 0.5f, c.y - mark * 0.5f), b(c.x + mark * 0.5f, c.y + mark * 0.5f);
        dl->AddRectFilled(a, b, on ? kPrimary : kSurface, 8);
        dl->AddRect(a, b, on ? kPrimary : kMuted, 8, 0, 3);
        if (on) {
            dl->AddLine(ImVec2(c.x - 12, c.y + 1), ImVec2(c.x - 3, c.y + 11), kSurface, 6);
            dl->AddLine(ImVec2(c.x - 3, c.y + 11), ImVec2(c.x + 13, c.y - 10), kSurface, 6);
        }
    } else {
        dl->AddCircleFilled(c, mark * 0.5f, kSurface, 32);
        dl->AddCircle(c, mark * 0.5f, on ? kPrimary : kMuted, 32, 3);
        if (on) dl->AddCircleFilled(c, mark * 0.28f, kPrimary, 32);
    }
    float tx = p.x + pad + mark + 24;
    ui::draw_wrapped(dl, f.body, f.body->FontSize, ImVec2(tx, p.y + (h - th) * 0.5f), kText, text.c_str(), q.x - tx - pad);
    return tapped;
}

void draw_choices(Shell& app, SurveyForm& S, int qi, float w) {
    const SurveyQuestion& q = S.survey.questions[static_cast<std::size_t>(qi)];
    const bool multi = q.type == QuestionType::Multiple;
    const bool two = w >= 1100 && q.choices.size() > 5;
    const float col = two ? (w - kGap) * 0.5f : w;
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const int k = static_cast<int>(i);
        bool on = multi ? S.answers[static_cast<std::size_t>(qi)].choices[i]
                        : S.answers[static_cast<std::size_t>(qi)].choice == k;
        if (two && i % 2 == 1) ImGui::SameLine(0, kGap);
        std::string id = "choice-" + std::to_string(i);
        if (choice_row(app, id.c_str(), q.choices[i], on, multi, col)) {
            if (multi) S.toggle(qi, k);
            else S.choose(qi, k);
            app.request_redraw();
        }
    }
}

void draw_scale(Shell& app, SurveyForm& S, int qi, float w) {
    const FontRoles& f = app.fonts();
    const SurveyQuestion& q = S.survey.questions[static_cast<std::size_t>(qi)];
    const int n = q.scale_max - q.scale_min + 1;
    if (n <= 0 || n > 11) return;
    float bw = std::min(200.0f, (w - kGap * (n - 1)) / n);
    float total = bw * n + kGap * (n - 1);
    float x0 = ImGui::GetCursorPosX() + (w - total) * 0.5f;
    ImGui::SetCursorPosX(x0);
    for (int v = q.scale_min; v <= q.scale_max; ++v) {
        if (v > q.scale_min) ImGui::SameLine(0, kGap);
        std::string id = "scale-" + std::to_string(v), label = std::to_string(v);
        bool on = S.answers[static_cast<std::size_t>(qi)].scale == v;
        // A phone's five buttons are narrow: at least 60 px tall and in bold type (the title type in
        // 34 px cut the digits at 特大).
        const bool small_keys = bw < 120;
        if (ui::button(id.c_str(), label.c_str(), ImVec2(bw, small_keys ? std::max(60.0f, bw * 0.75f) : bw * 0.75f),
                       on ? ui::Tone::Primary : ui::Tone::Secondary, small_keys ? f.bold : f.title)) {
            S.set_scale(qi, v);
            app.request_redraw();
        }
    }
    // The end labels under the first and last buttons; when the two do not fit side by side
    // (a phone at 大 or 特大: とても不満 ran into とても満足) the last one goes on a line of its own,
    // still flush with the last button.
    // A phone's labels in small type (at 特大 in body type each took a line of its own).
    ImFont* lf = w < 700 ? f.small : f.body;
    float y = ImGui::GetCursorPosY() + 4;
    const float lw = std::min(total, std::max(bw * 2, 260.0f));
    const float min_w = ui::wrapped_size(lf, lf->FontSize, lw, q.scale_min_label.c_str()).x;
    const float max_w = ui::wrapped_size(lf, lf->FontSize, lw, q.scale_max_label.c_str()).x;
    ImGui::SetCursorPos(ImVec2(x0, y));
    if (!q.scale_min_label.empty()) {
        ui::text(q.scale_min_label.c_str(), lf, kMuted, lw);
        ui::note_item("scale-min-label");
    }
    float y1 = ImGui::GetCursorPosY();
    if (!q.scale_max_label.empty()) {
        const bool apart = min_w + max_w + kGap <= total;
        ImGui::SetCursorPos(ImVec2(x0 + total - max_w, apart ? y : y1));
        ui::text(q.scale_max_label.c_str(), lf, kMuted, lw);
        ui::note_item("scale-max-label");
    }
    ImGui::SetCursorPosY(std::max(y1, ImGui::GetCursorPosY()));
}

void draw_survey_list(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    std::vector<Survey> all;
    try {
        all = app.store().surveys();
    } catch (const std::exception&) {
    }
    if (all.empty()) {
        ui::banner(app.texts.get("survey.none"), kMuted, kFooter);
        return;
    }
    ui::text(app.texts.get("survey.pick"), f.body, kText, w);
    gap(10);
    for (const auto& s : all) {
        const float pad = 32;
        float th = ui::wrapped_size(f.heading, f.heading->FontSize, w - pad * 2, s.title.c_str()).y;
        float h = 26 + th + 12 + f.small->FontSize * 2 + 8 + 26;
        if (ui::card(("survey-" + s.id).c_str(), ImVec2(w, h))) app.view<SurveyView>().start(app, s.id);
        ImVec2 p = ImGui::GetItemRectMin();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + 12, p.y + h), kind_colour(3), kRadius, ImDrawFlags_RoundCornersLeft);
        ui::draw_wrapped(dl, f.heading, f.heading->FontSize, ImVec2(p.x + pad, p.y + 26), kText, s.title.c_str(), w - pad * 2);
        std::string meta = app.texts.fmt("survey.questions", {{"n", std::to_string(s.questions.size())}});
        ui::text_clipped(dl, f.small, ImVec2(p.x + pad, p.y + 26 + th + 12), w - pad * 2, 1, kMuted, meta.c_str());
        ui::text_clipped(dl, f.small, ImVec2(p.x + pad, p.y + 26 + th + 12 + f.small->FontSize + 8), w - pad * 2, 1,
                         kText, s.description.c_str());
    }
}

}  // namespace

void SurveyView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    SurveyForm& S = survey;
    float w = begin_page(1300);
    const bool list = S.survey.id.empty() || S.survey.questions.empty();
    ImGui::BeginChild("survey",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - (list ? 0 : step_bar_h(app))),
                      false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    // A phone: the progress beside the title, where it is seen (under the survey's name it fell
    // below the fold, over the back / next bar, at 特大).
    const char* title = T.get("survey.title");
    const bool progress_beside = !list && w < 700;
    const ImVec2 title_at = ImGui::GetCursorPos();
    ui::title_text(title, f.title, kText, w);
    if (progress_beside) {
        const ImVec2 after = ImGui::GetCursorPos();
        const float fs = ui::title_size(f.title, w, title);
        const float tw = std::min(w, ui::wrapped_size(f.title, fs, w, title).x);
        const bool one_line = ui::wrapped_size(f.title, fs, w, title).y < fs * 1.5f;
        const int total = S.steps(), at = S.step();   // branching: counts only what is shown
        // Beside it only when "1 / 4" fits there at its size.
        const std::string step = T.fmt("flow.step", {{"n", std::to_string(at + 1)}, {"total", std::to_string(total)}});
        const float sw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, step.c_str()).x;
        if (one_line && w - tw - 20 >= sw) {
            ImGui::SetCursorPos(ImVec2(title_at.x + tw + 20, title_at.y + (fs - f.bold->FontSize) * 0.5f));
            step_progress(app, at, total, w - tw - 20);
            ImGui::SetCursorPos(after);
        } else {
            step_progress(app, at, total, w);   // under the title
        }
    }
    gap(4);
    if (list) {
        draw_survey_list(app, w);
        ImGui::EndChild();
        return;
    }
    const int n = static_cast<int>(S.survey.questions.size());
    if (S.page < 0 || S.page >= n || !S.is_shown(S.page)) S.page = 0;   // the first question is always shown
    const int qi = S.page;
    const SurveyQuestion& q = S.survey.questions[static_cast<std::size_t>(qi)];
    ui::text(S.survey.title.c_str(), f.bold, kMuted, w);
    if (qi == 0) ui::text(T.get("survey.anonymous"), f.small, kMuted, w);
    gap(6);
    if (!progress_beside) {
        step_progress(app, S.step(), S.steps(), w);   // branching: counts only what is shown
        gap(14);
    }
    // The question, with 必須 / 任意 and how to answer.
    // A phone: the question in bold body type and how to answer in small type, so that at 大 and
    // 特大 the answers fit under the question at all (the heading took four lines at 特大, how to
    // answer two, and the 1–5 buttons were under the back / next bar, whatever the scrolling).
    const bool phone = w < 700;
    const float question_top = ImGui::GetCursorPosY();
    ui::text(q.text.c_str(), phone ? f.bold : f.heading, kText, w);
    gap(4);
    const char* how = q.type == QuestionType::Single     ? "survey.how.single"
                      : q.type == QuestionType::Multiple ? "survey.how.multiple"
                      : q.type == QuestionType::Scale    ? "survey.how.scale"
                                                         : "survey.how.text";
    std::string sub = T.get(q.required ? "label.required" : "label.optional");
    // A phone: a scale's buttons and end labels say how to answer it; the line keeps 必須 / 任意.
    if (!(phone && q.type == QuestionType::Scale)) sub += std::string("　") + T.get(how);
    // Red only once the resident was told it is missing (a red 必須 before any answer read
    // as an error already made).
    ui::text(sub.c_str(), phone ? f.small : f.body, S.errors.count(q.id) ? kRed : kMuted, w);
    gap(phone ? 8 : 12);
    switch (q.type) {
        case QuestionType::Single:
        case QuestionType::Multiple: draw_choices(app, S, qi, w); break;
        case QuestionType::Scale: draw_scale(app, S, qi, w); break;
        case QuestionType::FreeText: {
            std::string id = "survey." + q.id;
            ui::kb_input(app, FieldSpec{id, InputKind::Text, 1000, true}, T.get("survey.your_answer"), nullptr, false,
                         &S.answers[static_cast<std::size_t>(qi)].text, nullptr, nullptr, ImVec2(w, 220));
            break;
        }
    }
    reveal_answers(app, qi, question_top, ImGui::GetCursorPosY());
    if (auto it = S.errors.find(q.id); it != S.errors.end()) {
        gap(6);
        ui::banner(T.get(it->second == "required" ? "survey.err.required" : "err.other"), kRed, kRedSoft);
    }
    const char* banner = submit_error_text(app, S.last);
    if (*banner && S.last.error != SubmitError::Invalid) ui::banner(banner, kRed, kRedSoft);
    gap(30);
    ImGui::EndChild();
    const int next = S.next_page();
    const bool last = next < 0;
    int b = step_buttons(app, "flow.back", last ? "survey.submit" : "flow.next", w);
    if (b < 0) {
        close_keyboard(app);
        S.errors.clear();
        if (const int prev = S.prev_page(); prev >= 0) S.page = prev;
        else app.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (S.validate_question(qi)) {
            if (last) submit(app);
            else S.page = next;
        }
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

// A question just shown (the survey opened, 次へ, もどる) with its answers below the fold (a phone
// at 大 / 特大, 1920x1080 at 大 / 特大: the resident saw a question and nothing to answer it with):
// the page is scrolled by the least that shows the answers whole, at most so far that the
// question's first line is at the top. For a few frames, counted once the atlas is settled (a new
// text size lands late and moves the page); after that the scrolling is the resident's.
void SurveyView::reveal_answers(Shell& app, int question, float question_top, float answers_bottom) {
    if (question != reveal_page_) {
        reveal_page_ = question;
        reveal_frames_ = 8;
    }
    if (reveal_frames_ <= 0) return;
    if (!app.font_manager().building() && !app.font_manager().ready()) --reveal_frames_;
    // In the window's local coordinates against what of it can be seen (its clip rectangle: the
    // page around it may cut it shorter than its own height).
    const ImGuiWindow* win = ImGui::GetCurrentWindow();
    const float scroll = ImGui::GetScrollY();
    const float seen_top = win->InnerClipRect.Min.y - win->Pos.y + scroll;
    const float seen_bottom = win->InnerClipRect.Max.y - win->Pos.y + scroll;
    const float margin = 12;
    const float down = std::min(answers_bottom + margin - seen_bottom, question_top - margin - seen_top);
    if (down > 0.5f) ImGui::SetScrollY(scroll + down);
    app.request_redraw();
}

void SurveyView::start(Shell& app, const std::string& survey_id, const std::string& from_activity) {
    if (survey_id.empty()) {
        survey.survey = Survey{};
        survey.activity_id.clear();
        survey.clear();
        // One survey: straight to its first question; several: the list.
        try {
            auto all = app.store().surveys();
            if (all.size() == 1) survey.start(all.front());
        } catch (const std::exception&) {
        }
    } else if (survey.survey.id != survey_id || survey.activity_id != from_activity) {
        std::optional<Survey> s;
        try {
            s = app.store().survey(survey_id);
        } catch (const std::exception&) {
        }
        if (s) survey.start(*s, from_activity);
    }
    app.go(Screen::Survey);
}

void SurveyView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = survey.submit(app.submit_context());   // forgets the answers on success
    if (r.ok()) app.view<ReceiptView>().show(app, RecordKind::SurveyResponse, r.receipt);
    app.request_redraw();
}

void SurveyView::preview(Shell& app, Screen) {
    auto all = app.store().surveys();
    start(app, all.empty() ? "" : all.front().id);
}

}  // namespace kyodo::app::screens
