// The talent bank screen (人材バンク, issue 11 point 1). Chips for every choice (no typing but
// the name, reading, phone or e-mail and an optional note), one step a screen like the
// sign-up, a review where each part can be changed, then the receipt with its check code.
#include "app/screens/talent.h"

#include "app/screens/chrome.h"
#include "app/screens/detail.h"
#include "app/screens/flows.h"
#include "app/screens/receipt.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/talent.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

std::string join_labels(const Shell& app, const std::vector<std::string>& codes, const char* prefix) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : "、") + std::string(app.texts.get(prefix + c));
    return out;
}

void chips(Shell& app, const char* id, const std::vector<std::pair<std::string, std::string>>& items,
           std::vector<std::string>& chosen, std::size_t max) {
    ui::begin_chips();
    for (const auto& [code, label] : items) {
        ImGui::PushID(code.c_str());
        if (ui::chip((std::string(id) + "-" + code).c_str(), label.c_str(), TalentForm::has(chosen, code))) {
            TalentForm::toggle(chosen, code, max);
            app.request_redraw();
        }
        ImGui::PopID();
    }
    ui::end_chips();
}

void error_line(Shell& app, const TalentForm& F, const char* field) {
    if (const char* e = field_error(app, F.errors, field)) ui::text(e, app.fonts().bold, kRed);
}

}  // namespace

void TalentView::load(Shell& app) {
    requests.clear();
    SearchQuery q;
    q.kind = ActivityKind::Volunteer;
    q.limit = 200;
    for (auto& a : app.store().search(q).items)
        if (a.extra.contains("talent_request") && requests.size() < 3) requests.push_back(std::move(a));
    centres = app.store().centres();
    for (const auto& c : centres) app.note_text(c.name);
}

void TalentView::start(Shell& app) {
    load(app);
    if (!talent.dirty()) talent.clear();
    app.go(Screen::Talent);
}

void TalentView::preview(Shell& app, Screen) {
    start(app);
    talent.help = {"teaching"};
    talent.fields = {"教育・生涯学習"};
}

void TalentView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    TalentForm& F = talent;
    float w = begin_page(1200);
    ImGui::BeginChild("talent-steps",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    const bool withdraw = F.step == TalentStep::Withdraw;
    ui::text(T.get(withdraw ? "talent.withdraw.title"
                            : F.step == TalentStep::Review ? "talent.review.title" : "talent.title"),
             f.title, kText, w);
    gap(2);
    if (!withdraw) {
        step_progress(app, F.index(), TalentForm::kSteps, w);
        gap(10);
    }
    const char* banner = submit_error_text(app, F.last);
    if (*banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    const char* req = T.get("label.required");
    const char* opt = T.get("label.optional");
    auto question = [&](const char* key) {
        ui::text(T.get(key), f.heading, kText, w);
        gap(8);
    };
    switch (F.step) {
        case TalentStep::Help: {
            ui::text(T.get("talent.lead"), f.body, kText, w);
            gap(10);
            if (!requests.empty()) {
                ui::text(T.get("talent.requests"), f.bold, kMuted, w);
                gap(4);
                for (const auto& a : requests)
                    if (activity_row(app, a, w)) {
                        app.view<DetailView>().open(app, a.id);
                        break;
                    }
                gap(12);
            }
            question("talent.q.help");
            std::vector<std::pair<std::string, std::string>> items;
            for (const auto& t : talent::help_kinds()) items.emplace_back(t.code, T.get(std::string("talent.help.") + t.code));
            chips(app, "help", items, F.help, 14);
            error_line(app, F, "help");
            gap(12);
            ui::text(T.get("talent.q.fields"), f.bold, kText, w);
            std::vector<std::pair<std::string, std::string>> fields;
            for (const auto& fl : standard_fields()) fields.emplace_back(fl, T.field(fl));
            chips(app, "field", fields, F.fields, 10);
            gap(12);
            ui::kb_input(app, FieldSpec{"talent.note", InputKind::Text, 300}, T.get("talent.note"), opt, false, &F.note,
                         T.get("talent.note.hint"), field_error(app, F.errors, "note"), ImVec2(w, 0));
            gap(16);
            if (ui::button("withdraw", T.get("talent.withdraw"), ImVec2(0, 0), ui::Tone::Secondary)) {
                close_keyboard(app);
                F.errors.clear();
                F.step = TalentStep::Withdraw;
                app.request_redraw();
            }
            break;
        }
        case TalentStep::When: {
            question("talent.q.areas");
            std::vector<std::pair<std::string, std::string>> areas{{talent::kAnyArea, T.get("talent.area.citywide")}};
            for (const auto& c : centres) areas.emplace_back(c.id, c.name);
            chips(app, "area", areas, F.areas, 25);
            error_line(app, F, "areas");
            gap(14);
            question("talent.q.times");
            std::vector<std::pair<std::string, std::string>> times;
            for (const auto& t : talent::time_slots()) times.emplace_back(t.code, T.get(std::string("talent.time.") + t.code));
            chips(app, "time", times, F.times, 6);
            error_line(app, F, "times");
            break;
        }
        case TalentStep::Contact: {
            question("talent.q.contact");
            ui::kb_input(app, FieldSpec{"talent.name", InputKind::Text, 50}, T.get("signup.name"), req, true, &F.name,
                         T.get("signup.name.hint"), field_error(app, F.errors, "name"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"talent.furigana", InputKind::Kana, 50}, T.get("signup.furigana"), req, true,
                         &F.furigana, T.get("signup.furigana.hint"), field_error(app, F.errors, "furigana"), ImVec2(w, 0));
            gap(6);
            ui::text(T.get("signup.contact_note"), f.body, kMuted, w);
            ui::kb_input(app, FieldSpec{"talent.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false,
                         &F.phone, T.get("signup.phone.hint"), field_error(app, F.errors, "phone"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"talent.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false,
                         &F.email, T.get("signup.email.hint"), field_error(app, F.errors, "email"), ImVec2(w, 0));
            gap(10);
            ui::text(T.get("talent.q.contact_by"), f.bold, kText, w);
            ui::begin_chips();
            for (const auto& t : talent::contact_ways()) {
                ImGui::PushID(t.code);
                if (ui::chip((std::string("by-") + t.code).c_str(), T.get(std::string("talent.by.") + t.code),
                             F.contact_by == t.code)) {
                    F.contact_by = t.code;
                    app.request_redraw();
                }
                ImGui::PopID();
            }
            ui::end_chips();
            gap(10);
            ui::text(T.get("talent.consent.text"), f.body, kText, w);
            gap(4);
            if (ui::toggle("consent", T.get("talent.consent"), &F.consent)) app.request_redraw();
            error_line(app, F, "consent");
            ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
            break;
        }
        case TalentStep::Review: {
            ui::text(T.get("talent.review.lead"), f.body, kText, w);
            gap(8);
            int edit = -1;
            std::string fields;
            for (const auto& fl : F.fields) fields += (fields.empty() ? "" : "、") + T.field(fl);
            std::string areas;
            for (const auto& a : F.areas) {
                std::string label = a == talent::kAnyArea ? std::string(T.get("talent.area.citywide")) : a;
                for (const auto& c : centres)
                    if (c.id == a) label = c.name;
                areas += (areas.empty() ? "" : "、") + label;
            }
            std::string contact = F.name + "（" + F.furigana + "）";
            for (const std::string* s : {&F.phone, &F.email})
                if (!s->empty()) contact += "　／　" + *s;
            if (review_row(app, T.get("talent.q.help"), join_labels(app, F.help, "talent.help."), w, "edit-help")) edit = 0;
            if (!fields.empty() && review_row(app, T.get("talent.q.fields"), fields, w, "edit-fields")) edit = 0;
            if (!F.note.empty() && review_row(app, T.get("talent.note"), F.note, w, "edit-note")) edit = 0;
            if (review_row(app, T.get("talent.q.areas"), areas, w, "edit-areas")) edit = 1;
            if (review_row(app, T.get("talent.q.times"), join_labels(app, F.times, "talent.time."), w, "edit-times")) edit = 1;
            if (review_row(app, T.get("talent.q.contact"), contact, w, "edit-contact")) edit = 2;
            if (review_row(app, T.get("talent.q.contact_by"), T.get("talent.by." + F.contact_by), w, "edit-by")) edit = 2;
            if (edit >= 0) {
                F.step = edit == 0 ? TalentStep::Help : edit == 1 ? TalentStep::When : TalentStep::Contact;
                app.request_redraw();
            }
            break;
        }
        case TalentStep::Withdraw: {
            ui::text(T.get("talent.withdraw.lead"), f.body, kText, w);
            gap(10);
            ui::kb_input(app, FieldSpec{"talent.receipt", InputKind::Email, 12}, T.get("receipt.number"), req, true,
                         &F.w_receipt, "7KQ3-M9TX", field_error(app, F.errors, "receipt"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"talent.check", InputKind::Number, 4}, T.get("receipt.check"), req, true,
                         &F.w_check, "1234", field_error(app, F.errors, "check_code"), ImVec2(w, 0));
            break;
        }
    }
    gap(30);
    ImGui::EndChild();
    const char* next = withdraw ? "talent.withdraw.submit"
                                : F.step == TalentStep::Review ? "talent.submit" : "flow.next";
    int b = step_buttons(app, "flow.back", next, w);
    if (b < 0) {
        close_keyboard(app);
        if (F.step == TalentStep::Help) app.back();
        else F.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (F.step == TalentStep::Review || withdraw) submit(app);
        else F.next();   // errors are shown next to the choices
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void TalentView::submit(Shell& app) {
    app.release_input();
    const bool withdraw = talent.step == TalentStep::Withdraw;
    SubmitResult r = withdraw ? talent.submit_withdrawal(app.submit_context()) : talent.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, withdraw ? RecordKind::TalentWithdrawal : RecordKind::Talent, r.receipt);
        talent.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
