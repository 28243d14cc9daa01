// The group registration screen (団体の利用登録, issue 11 point 2). Chips for the kind, fields and
// home centre, the keyboard for the names, the number pad for the members; one step a screen
// like the talent bank, a review where each part can be changed, then the receipt.
#include "app/screens/groups.h"

#include "app/model/talent_form.h"   // TalentForm::has / toggle (chip lists)
#include "app/screens/chrome.h"
#include "app/screens/flows.h"
#include "app/screens/receipt.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/groups.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

void error_line(Shell& app, const GroupForm& F, const char* field) {
    if (const char* e = field_error(app, F.errors, field)) ui::text(e, app.fonts().bold, kRed);
}

}  // namespace

void GroupsView::load(Shell& app) {
    centres = app.store().centres();
    for (const auto& c : centres) app.note_text(c.name);
}

void GroupsView::start(Shell& app) {
    load(app);
    if (!group.dirty()) group.clear();
    app.go(Screen::Groups);
}

void GroupsView::preview(Shell& app, Screen) {
    start(app);
    group.kind = "neighbourhood";
    group.fields = {"防災"};
}

void GroupsView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    GroupForm& F = group;
    // A "required" note goes as soon as the field is filled in (not only at the next 次へ).
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"name", &F.name}, {"kind", &F.kind},
                                     {"members", &F.members}, {"rep_name", &F.rep_name}, {"rep_furigana", &F.rep_furigana}})
        if (!value->empty()) {
            auto it = F.errors.find(key);
            if (it != F.errors.end() && it->second == "required") F.errors.erase(it);
        }
    if (F.consent) F.errors.erase("consent");
    float w = begin_page(1200);
    ImGui::BeginChild("group-steps",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    const bool lookup = F.step == GroupStep::Lookup;
    ui::text(T.get(lookup ? "group.lookup.title" : F.step == GroupStep::Review ? "group.review.title" : "group.title"),
             f.title, kText, w);
    gap(2);
    if (!lookup) {
        step_progress(app, F.index(), GroupForm::kSteps, w);
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
        case GroupStep::About: {
            ui::text(T.get("group.lead"), f.body, kText, w);
            gap(10);
            ui::kb_input(app, FieldSpec{"group.name", InputKind::Text, 100}, T.get("group.name"), req, true, &F.name,
                         T.get("group.name.hint"), field_error(app, F.errors, "name"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"group.kana", InputKind::Kana, 100}, T.get("group.kana"), opt, false, &F.kana,
                         T.get("group.kana.hint"), field_error(app, F.errors, "kana"), ImVec2(w, 0));
            gap(12);
            question("group.q.kind");
            ui::begin_chips();
            for (const auto& t : groups::group_kinds()) {
                ImGui::PushID(t.code);
                if (ui::chip((std::string("kind-") + t.code).c_str(), T.get(std::string("group.kind.") + t.code),
                             F.kind == t.code)) {
                    F.kind = t.code;
                    app.request_redraw();
                }
                ImGui::PopID();
            }
            ui::end_chips();
            error_line(app, F, "kind");
            gap(12);
            ui::text(T.get("group.q.fields"), f.bold, kText, w);
            ui::begin_chips();
            for (const auto& fl : standard_fields()) {
                ImGui::PushID(fl.c_str());
                if (ui::chip(("field-" + fl).c_str(), T.field(fl).c_str(), TalentForm::has(F.fields, fl))) {
                    TalentForm::toggle(F.fields, fl, 10);
                    app.request_redraw();
                }
                ImGui::PopID();
            }
            ui::end_chips();
            gap(12);
            ui::kb_input(app, FieldSpec{"group.members", InputKind::Number, 6}, T.get("group.members"), req, true,
                         &F.members, "25", field_error(app, F.errors, "members"), ImVec2(w * 0.5f, 0));
            gap(12);
            ui::text(T.get("group.q.centre"), f.bold, kText, w);
            ui::begin_chips();
            for (const auto& c : centres) {
                ImGui::PushID(c.id.c_str());
                if (ui::chip(("centre-" + c.id).c_str(), c.name.c_str(), F.centre_id == c.id)) {
                    F.centre_id = F.centre_id == c.id ? "" : c.id;
                    app.request_redraw();
                }
                ImGui::PopID();
            }
            ui::end_chips();
            gap(12);
            ui::kb_input(app, FieldSpec{"group.description", InputKind::Text, 300}, T.get("group.description"), opt, false,
                         &F.description, T.get("group.description.hint"), field_error(app, F.errors, "description"),
                         ImVec2(w, 0));
            gap(16);
            if (ui::button("lookup", T.get("group.lookup"), ImVec2(0, 0), ui::Tone::Secondary)) {
                close_keyboard(app);
                F.errors.clear();
                F.step = GroupStep::Lookup;
                app.request_redraw();
            }
            break;
        }
        case GroupStep::Representative: {
            question("group.q.rep");
            ui::text(T.get("group.rep.lead"), f.body, kMuted, w);
            ui::kb_input(app, FieldSpec{"group.rep_name", InputKind::Text, 50}, T.get("signup.name"), req, true, &F.rep_name,
                         T.get("signup.name.hint"), field_error(app, F.errors, "rep_name"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"group.rep_furigana", InputKind::Kana, 50}, T.get("signup.furigana"), req, true,
                         &F.rep_furigana, T.get("signup.furigana.hint"), field_error(app, F.errors, "rep_furigana"), ImVec2(w, 0));
            gap(6);
            ui::text(T.get("signup.contact_note"), f.body, kMuted, w);
            ui::kb_input(app, FieldSpec{"group.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false,
                         &F.phone, T.get("signup.phone.hint"), field_error(app, F.errors, "rep_phone"), ImVec2(w, 0));
            gap(6);
            ui::kb_input(app, FieldSpec{"group.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false,
                         &F.email, T.get("signup.email.hint"), field_error(app, F.errors, "rep_email"), ImVec2(w, 0));
            gap(10);
            ui::text(T.get("group.consent.text"), f.body, kText, w);
            gap(4);
            if (ui::toggle("consent", T.get("group.consent"), &F.consent)) app.request_redraw();
            error_line(app, F, "consent");
            ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
            break;
        }
        case GroupStep::Review: {
            ui::text(T.get("group.review.lead"), f.body, kText, w);
            gap(8);
            int edit = -1;
            std::string fields;
            for (const auto& fl : F.fields) fields += (fields.empty() ? "" : "、") + T.field(fl);
            std::string centre;
            for (const auto& c : centres)
                if (c.id == F.centre_id) centre = c.name;
            std::string rep = F.rep_name + "（" + F.rep_furigana + "）";
            for (const std::string* s : {&F.phone, &F.email})
                if (!s->empty()) rep += "　／　" + *s;
            if (review_row(app, T.get("group.name"), F.name, w, "edit-name")) edit = 0;
            if (review_row(app, T.get("group.q.kind"), T.get("group.kind." + F.kind), w, "edit-kind")) edit = 0;
            if (!fields.empty() && review_row(app, T.get("group.q.fields"), fields, w, "edit-fields")) edit = 0;
            if (review_row(app, T.get("group.members"), F.members, w, "edit-members")) edit = 0;
            if (!centre.empty() && review_row(app, T.get("group.q.centre"), centre, w, "edit-centre")) edit = 0;
            if (!F.description.empty() && review_row(app, T.get("group.description"), F.description, w, "edit-desc")) edit = 0;
            if (review_row(app, T.get("group.q.rep"), rep, w, "edit-rep")) edit = 1;
            if (edit >= 0) {
                F.step = edit == 0 ? GroupStep::About : GroupStep::Representative;
                app.request_redraw();
            }
            break;
        }
        case GroupStep::Lookup: {
            ui::text(T.get("group.lookup.lead"), f.body, kText, w);
            gap(10);
            ui::kb_input(app, FieldSpec{"group.receipt", InputKind::Email, 12}, T.get("receipt.number"), req, true,
                         &F.l_receipt, "7KQ3-M9TX", field_error(app, F.errors, "receipt"), ImVec2(w, 0));
            gap(14);
            if (F.looked_up && F.found) {
                ui::text(T.get("group.lookup.found"), f.bold, kGreen, w);
                gap(4);
                ui::text((F.found->name + "（" + F.found->type + "）").c_str(), f.heading, kText, w);
                gap(4);
                // The display font carries digits and Latin letters only: the label goes above it.
                ui::text(T.get("group.number"), f.bold, kMuted, w);
                app.note_text(F.found->registration);
                ui::text(F.found->registration.c_str(), f.display, kPrimary, w);
                gap(6);
                ui::text(T.get("group.lookup.use"), f.body, kText, w);
            } else if (F.looked_up) {
                ui::text(T.get("group.lookup.none"), f.body, kText, w);
            }
            break;
        }
    }
    gap(30);
    ImGui::EndChild();
    const char* next = lookup ? "group.lookup.submit" : F.step == GroupStep::Review ? "group.submit" : "flow.next";
    int b = step_buttons(app, "flow.back", next, w);
    if (b < 0) {
        close_keyboard(app);
        if (F.step == GroupStep::About) app.back();
        else F.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (lookup) F.lookup(app.store().organizations());
        else if (F.step == GroupStep::Review) submit(app);
        else F.next();
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void GroupsView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = group.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::GroupRegistration, r.receipt);
        group.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
