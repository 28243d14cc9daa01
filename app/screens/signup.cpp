// Sign-up form: name, furigana, phone, e-mail, party size, note. Personal data is sealed
// for city hall before it is stored (the note under the title says so).
#include "app/screens/common.h"
#include "app/screens/screens.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

void draw_signup(KioskApp& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    SignUpForm& F = app.signup;
    float w = begin_page(1400);
    // The on-screen keyboard, when open, takes the bottom of the screen.
    ImGui::BeginChild("signup-scroll", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    ui::text(T.get("signup.title"), f.title, kText);
    gap(4);
    // What they are signing up for.
    {
        ImVec2 a = ImGui::GetCursorScreenPos();
        float th = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, w - 64, F.activity_title.c_str()).y;
        float h = 24 + f.small->FontSize + 8 + th + 24;
        ui::panel_bg(a, ImVec2(a.x + w, a.y + h), kPrimarySoft, false);
        ImGui::SetCursorScreenPos(ImVec2(a.x + 32, a.y + 24));
        ImGui::BeginGroup();
        ui::text(T.get("signup.for"), f.small, kMuted);
        ui::text(F.activity_title.c_str(), f.heading, kText, w - 64);
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h + 16));
    }
    const char* banner = submit_error_text(app, F.last);
    if (*banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
    gap(10);

    bool two = w >= 1100;
    float col = two ? (w - kGap * 2) * 0.5f : w;
    auto changed = [&](std::string& s) { app.note_text(s); };
    const char* req = T.get("label.required");
    const char* opt = T.get("label.optional");

    Row r1(col, kGap * 2, two);
    if (ui::kb_input(app, FieldSpec{"signup.name", InputKind::Text, 50}, T.get("signup.name"), req, true, &F.name, T.get("signup.name.hint"),
                  field_error(app, F.errors, "name"), ImVec2(col, 0)))
        changed(F.name);
    r1.next();
    if (ui::kb_input(app, FieldSpec{"signup.furigana", InputKind::Kana, 50}, T.get("signup.furigana"), req, true, &F.furigana, T.get("signup.furigana.hint"),
                  field_error(app, F.errors, "furigana"), ImVec2(col, 0)))
        changed(F.furigana);
    r1.end();
    gap(6);
    ui::text(T.get("signup.contact_note"), f.body, kText, w);
    Row r2(col, kGap * 2, two);
    if (ui::kb_input(app, FieldSpec{"signup.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false, &F.phone, T.get("signup.phone.hint"),
                  field_error(app, F.errors, "phone"), ImVec2(col, 0)))
        changed(F.phone);
    r2.next();
    if (ui::kb_input(app, FieldSpec{"signup.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false, &F.email, T.get("signup.email.hint"),
                  field_error(app, F.errors, "email"), ImVec2(col, 0)))
        changed(F.email);
    r2.end();
    gap(6);

    // Party size: a stepper with big − and + (no typing needed).
    Row r3(col, kGap * 2, two);
    ImGui::BeginGroup();
    ui::text(T.get("signup.party"), f.bold, kText);
    if (ui::button("minus", "−", ImVec2(kButtonH, kButtonH), ui::Tone::Secondary, f.heading, F.party_size > 1))
        --F.party_size;
    ImGui::SameLine();
    std::string ps = T.fmt("signup.party.value", {{"n", std::to_string(F.party_size)}});
    ImVec2 pp = ImGui::GetCursorScreenPos();
    float pw = 160;
    float tw = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, ps.c_str()).x;
    ImGui::GetWindowDrawList()->AddText(f.heading, f.heading->FontSize,
                                        ImVec2(pp.x + (pw - tw) * 0.5f, pp.y + (kButtonH - f.heading->FontSize) * 0.5f),
                                        kText, ps.c_str());
    ImGui::Dummy(ImVec2(pw, kButtonH));
    ImGui::SameLine();
    if (ui::button("plus", "+", ImVec2(kButtonH, kButtonH), ui::Tone::Secondary, f.heading, F.party_size < F.max_party))
        ++F.party_size;
    if (const char* e = field_error(app, F.errors, "party_size")) ui::text(e, f.bold, kRed);
    ImGui::EndGroup();
    r3.next();
    if (ui::kb_input(app, FieldSpec{"signup.note", InputKind::Text, 500}, T.get("signup.note"), opt, false, &F.note, T.get("signup.note.hint"),
                  field_error(app, F.errors, "note"), ImVec2(two ? col : w, 0)))
        changed(F.note);
    r3.end();
    gap(20);
    if (ui::button("submit", T.get("signup.submit"), ImVec2(w, kBigButtonH), ui::Tone::Primary, f.heading))
        app.submit_signup();
    gap(30);
    ImGui::EndChild();
    ui::keyboard_panel(app);
}

}  // namespace kyodo::app::screens
