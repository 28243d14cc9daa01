// The step-by-step sign-up: one question a screen (name → フリガナ → phone or e-mail →
// party size), a review screen where each answer can be changed, then the receipt. The
// values live in SignUpForm; SignUpWizard only says which step is showing.
#include "app/screens/signup.h"
#include "core/validate.h"
#include "app/screens/detail.h"
#include "app/screens/receipt.h"
#include "app/screens/flows.h"
#include "app/screens/person_steps.h"
#include "app/screens/chrome.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

void party_stepper(Shell& app, SignUpForm& F) {
    const FontRoles& f = app.fonts();
    const float bs = kBigButtonH;
    if (ui::button("minus", "−", ImVec2(bs, bs), ui::Tone::Secondary, f.title, F.party_size > 1)) --F.party_size;
    ImGui::SameLine(0, 0);
    std::string ps = app.texts.fmt("signup.party.value", {{"n", std::to_string(F.party_size)}});
    ImVec2 pp = ImGui::GetCursorScreenPos();
    const float pw = 260;
    float tw = f.title->CalcTextSizeA(f.title->FontSize, FLT_MAX, 0, ps.c_str()).x;
    ImGui::GetWindowDrawList()->AddText(f.title, f.title->FontSize,
                                        ImVec2(pp.x + (pw - tw) * 0.5f, pp.y + (bs - f.title->FontSize) * 0.5f), kText,
                                        ps.c_str());
    ImGui::Dummy(ImVec2(pw, bs));
    ImGui::SameLine(0, 0);
    if (ui::button("plus", "+", ImVec2(bs, bs), ui::Tone::Secondary, f.title, F.party_size < F.max_party))
        ++F.party_size;
    if (const char* e = field_error(app, F.errors, "party_size")) ui::text(e, f.bold, kRed);
}

}  // namespace

void SignUpView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    SignUpForm& F = signup;
    SignUpWizard& W = signup_steps;
    float w = begin_page(1200);
    ImGui::BeginChild("signup-steps", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    ui::form_step(app, W.index());
    w = ImGui::GetContentRegionAvail().x - 12;
    // A phone-width window: a smaller title and less air, so the question and its field
    // are above the fold.
    const bool narrow = w < 700;
    const char* title = T.get(W.step == SignUpStep::Review ? "signup.review.title" : "signup.title");
    if (narrow) {
        // The title with the progress beside it, then the activity in one wrapped line.
        float tw = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, title).x;
        ImVec2 p = ImGui::GetCursorPos();
        ui::text(title, f.heading, kText);
        ImVec2 after = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(p.x + tw + 20, p.y + (f.heading->FontSize - f.bold->FontSize) * 0.5f));
        step_progress(app, W.index(), SignUpWizard::kSteps, w - tw - 20);
        ImGui::SetCursorPos(after);
        gap(2);
        about_panel(app, T.get("signup.for"), F.activity_title, w);
        gap(2);
    } else {
        ui::text(title, f.title, kText, w);
        gap(2);
        about_panel(app, T.get("signup.for"), F.activity_title, w);
        step_progress(app, W.index(), SignUpWizard::kSteps, w);
        gap(14);
    }
    const char* banner = submit_error_text(app, F.last);
    if (*banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    const char* opt = T.get("label.optional");
    auto question = [&](const char* key) {
        ui::text(T.get(key), narrow ? f.bold : f.heading, kText, w);
        gap(narrow ? 4 : 10);
    };
    switch (W.step) {
        case SignUpStep::Name:
        case SignUpStep::Furigana:
        case SignUpStep::Contact:
            person_step(app, F, W.step, w, narrow);   // shared with a booking's person steps
            break;
        case SignUpStep::Party:
            question("signup.q.party");
            party_stepper(app, F);
            gap(16);
            ui::kb_input(app, FieldSpec{"signup.note", InputKind::Text, 500}, T.get("signup.note"), opt, false, &F.note,
                         T.get("signup.note.hint"), field_error(app, F.errors, "note"), ImVec2(w, 0));
            break;
        case SignUpStep::Review: {
            ui::text(T.get("signup.review.lead"), f.body, kText, w);
            gap(8);
            SignUpStep jump = person_review(app, F, w);
            std::string party = T.fmt("signup.party.value", {{"n", std::to_string(F.party_size)}});
            if (!F.note.empty()) party += "　／　" + F.note;
            if (review_row(app, T.get("signup.party"), party, w, "edit-party")) jump = SignUpStep::Party;
            gap(6);
            ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
            if (jump != SignUpStep::Review) {
                W.edit(jump);
                app.request_redraw();
            }
            break;
        }
    }
    gap(30);
    ImGui::EndChild();
    // Back / next stay in view above the keyboard, however long the step.
    const bool review = W.step == SignUpStep::Review;
    int b = step_buttons(app, "flow.back", review ? "signup.submit" : "flow.next", w);
    if (b < 0) {
        close_keyboard(app);
        F.errors.clear();
        if (!W.back()) app.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (review) {
            submit(app);
            if (app.nav.current() == Screen::Receipt) W.reset();
        } else {
            W.next(F);
        }
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void SignUpView::start(Shell& app, const Activity& a) {
    if (signup.activity_id != a.id) signup.start_for(a);
    signup_steps.reset();
    app.go(Screen::SignUp);
}

void SignUpView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = signup.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::SignUp, r.receipt, r.confirmed_on_spot, signup.activity_id);
        signup.clear();   // nothing one resident typed stays for the next
        signup.activity_id.clear();
    }
    app.request_redraw();
}

void SignUpView::preview(Shell& app, Screen) {
    std::optional<Activity> pick = preview_activity(app);
    app.go(Screen::Listings);
    if (pick) {
        app.view<DetailView>().open(app, pick->id);
        signup.start_for(*pick);
    }
    app.go(Screen::SignUp);
}

}  // namespace kyodo::app::screens
