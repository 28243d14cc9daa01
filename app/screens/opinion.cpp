// Opinion box: a subject, the opinion, and (only if a reply is wanted) contact details.
#include "app/screens/opinion.h"
#include "app/screens/detail.h"
#include "app/screens/receipt.h"
#include "app/screens/common.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/utf8.h"

namespace kyodo::app::screens {

using namespace theme;

void OpinionView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    OpinionForm& F = opinion;
    const std::optional<Activity>& selected = app.view<DetailView>().selected;
    float w = begin_page(1400);
    // The on-screen keyboard, when open, takes the bottom of the screen; when it is closed
    // the send button stands in the bar below the page, in view at every size (at the end
    // of the page it was under the fold on 1920x1080 even at the standard text size).
    ImGui::BeginChild("opinion-scroll",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    ui::title_text(T.get("opinion.title"), f.title, kText);
    ui::text(T.get("opinion.lead"), f.body, kText, w);
    gap(6);
    if (!F.activity_id.empty()) {
        std::string about = F.activity_id;
        if (selected && selected->id == F.activity_id) about = selected->title;
        ImVec2 a = ImGui::GetCursorScreenPos();
        float th = ui::wrapped_size(f.bold, f.bold->FontSize, w - 64, about.c_str()).y;
        float h = 20 + f.small->FontSize + 6 + th + 20;
        ui::panel_bg(a, ImVec2(a.x + w, a.y + h), kPrimarySoft, false);
        ImGui::SetCursorScreenPos(ImVec2(a.x + 32, a.y + 20));
        ImGui::BeginGroup();
        ui::text(T.get("opinion.about"), f.small, kMuted);
        ui::text(about.c_str(), f.bold, kText, w - 64);
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h + 14));
    }
    const char* banner = submit_error_text(app, F.last);
    if (*banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    const char* req = T.get("label.required");
    const char* opt = T.get("label.optional");
    if (ui::kb_input(app, FieldSpec{"opinion.topic", InputKind::Text, 40}, T.get("opinion.topic"), opt, false, &F.topic, T.get("opinion.topic.hint"),
                  field_error(app, F.errors, "topic"), ImVec2(w, 0)))
        app.note_text(F.topic);
    gap(4);
    if (ui::kb_input(app, FieldSpec{"opinion.text", InputKind::Text, 2000, true}, T.get("opinion.text"), req, true,
                     &F.text, nullptr, field_error(app, F.errors, "text"),
                            ImVec2(w, 300)))
        app.note_text(F.text);
    std::string count = T.fmt("opinion.chars", {{"n", std::to_string(utf8::length(F.text))}, {"max", "2000"}});
    ui::text(count.c_str(), f.small, kMuted);
    gap(8);
    if (ui::toggle("reply", T.get("opinion.wants_reply"), &F.wants_reply)) app.request_redraw();
    if (F.wants_reply) {
        ui::text(T.get("opinion.reply_note"), f.body, kText, w);
        bool two = w >= 1100;
        float col = two ? (w - kGap * 4) / 3.0f : w;
        Row row(col, kGap * 2, two);
        if (ui::kb_input(app, FieldSpec{"opinion.name", InputKind::Text, 50}, T.get("opinion.name"), opt, false, &F.name, T.get("signup.name.hint"),
                      field_error(app, F.errors, "name"), ImVec2(col, 0)))
            app.note_text(F.name);
        row.next();
        if (ui::kb_input(app, FieldSpec{"opinion.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false, &F.phone, T.get("signup.phone.hint"),
                      field_error(app, F.errors, "phone"), ImVec2(col, 0)))
            app.note_text(F.phone);
        row.next();
        if (ui::kb_input(app, FieldSpec{"opinion.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false, &F.email, T.get("signup.email.hint"),
                      field_error(app, F.errors, "email"), ImVec2(col, 0)))
            app.note_text(F.email);
        row.end();
        ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
    }
    gap(30);
    ImGui::EndChild();
    const int b = step_buttons(app, "flow.back", "opinion.submit", w, true, "submit");
    if (b < 0) {
        app.release_input();
        app.back();
        app.request_redraw();
    } else if (b > 0) {
        submit(app);
    }
    ui::keyboard_panel(app);
}

void OpinionView::start(Shell& app, const std::string& about) {
    if (opinion.activity_id != about) {
        opinion.clear();
        opinion.activity_id = about;
    }
    app.go(Screen::Opinion);
}

void OpinionView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = opinion.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::Opinion, r.receipt);
        opinion.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
