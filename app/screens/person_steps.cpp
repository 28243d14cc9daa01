#include "app/screens/person_steps.h"

#include "app/screens/common.h"
#include "app/screens/flows.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/validate.h"

namespace kyodo::app::screens {

using namespace theme;

void person_step(Shell& app, SignUpForm& F, SignUpStep step, float w, bool narrow) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const char* req = T.get("label.required");
    const char* opt = T.get("label.optional");
    auto question = [&](const char* key) {
        ui::text(T.get(key), narrow ? f.bold : f.heading, kText, w);
        gap(narrow ? 4 : 10);
    };
    switch (step) {
        case SignUpStep::Name:
            question("signup.q.name");
            ui::kb_input(app, FieldSpec{"signup.name", InputKind::Text, 50}, T.get("signup.name"), req, true, &F.name,
                         T.get("signup.name.hint"), field_error(app, F.errors, "name"), ImVec2(w, 0));
            break;
        case SignUpStep::Furigana: {
            question("signup.q.furigana");
            if (!F.name.empty()) {
                ui::text(T.fmt("signup.q.furigana.of", {{"name", F.name}}).c_str(), f.body, kMuted, w);
                gap(6);
            }
            // A name in Latin letters is read as written: the reading is optional, and can be
            // typed in romaji on the ABC keys (yamada → やまだ).
            const bool needed = name_needs_reading(F.name);
            if (!needed) {
                ui::text(T.get("signup.furigana.latin"), f.body, kText, w);
                gap(6);
            }
            ui::kb_input(app, FieldSpec{"signup.furigana", InputKind::Kana, 50}, T.get("signup.furigana"),
                         needed ? req : opt, needed, &F.furigana, T.get("signup.furigana.hint"),
                         field_error(app, F.errors, "furigana"), ImVec2(w, 0));
            break;
        }
        case SignUpStep::Contact:
            question("signup.q.contact");
            ui::text(T.get("signup.contact_note"), f.body, kMuted, w);
            gap(6);
            ui::kb_input(app, FieldSpec{"signup.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false,
                         &F.phone, T.get("signup.phone.hint"), field_error(app, F.errors, "phone"), ImVec2(w, 0));
            gap(8);
            ui::kb_input(app, FieldSpec{"signup.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false,
                         &F.email, T.get("signup.email.hint"), field_error(app, F.errors, "email"), ImVec2(w, 0));
            // Consent to e-mail notices (moved up, cancelled, moved), kept in the record.
            gap(8);
            if (ui::toggle("notify", T.get("signup.notify"), &F.notify)) app.request_redraw();
            break;
        default: break;
    }
}

SignUpStep person_review(const Shell& app, const SignUpForm& F, float w) {
    const Texts& T = app.texts;
    SignUpStep jump = SignUpStep::Review;
    if (review_row(app, T.get("signup.name"), F.name, w, "edit-name")) jump = SignUpStep::Name;
    if (review_row(app, T.get("signup.furigana"), F.furigana, w, "edit-furigana")) jump = SignUpStep::Furigana;
    if (review_row(app, T.get("signup.phone"), F.phone, w, "edit-phone")) jump = SignUpStep::Contact;
    if (review_row(app, T.get("signup.email"), F.email, w, "edit-email")) jump = SignUpStep::Contact;
    if (!F.email.empty() &&
        review_row(app, T.get("signup.notify.label"), T.get(F.notify ? "signup.notify.yes" : "signup.notify.no"), w,
                   "edit-notify"))
        jump = SignUpStep::Contact;
    return jump;
}

}  // namespace kyodo::app::screens
