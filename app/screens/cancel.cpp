// Cancel a sign-up: the receipt number and check code, then what will be cancelled, then
// the receipt of the cancellation.
#include "app/screens/cancel.h"

#include <string>

#include "app/screens/chrome.h"
#include "app/screens/common.h"
#include "app/screens/receipt.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

const char* check_text(const Shell& app, CancelCheck c) {
    return app.texts.get(std::string("cancel.err.") + to_code(c));
}

const char* phase_text(const Shell& app, const OutboxEntry& e) {
    return app.texts.get(std::string("cancel.phase.") + to_code(signup_phase(e)));
}

}  // namespace

void CancelView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    CancelForm& F = cancel;
    float w = begin_page(1200);
    ImGui::BeginChild("cancel-scroll", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    if (F.step == CancelForm::Step::Enter) {
        ui::text(T.get("cancel.title"), f.title, kText);
        ui::text(T.get("cancel.lead"), f.body, kText, w);
        gap(10);
        if (F.tried && F.checked != CancelCheck::Ok) {
            ui::banner(check_text(app, F.checked), kRed, kRedSoft);
            gap(6);
        } else if (const char* banner = submit_error_text(app, F.last); *banner) {
            ui::banner(banner, kRed, kRedSoft);
            gap(6);
        }
        const char* req = T.get("label.required");
        const bool two = w >= 900;
        const float col = two ? (w - kGap * 2) * 0.5f : w;
        Row row(col, kGap * 2, two);
        if (ui::kb_input(app, FieldSpec{"cancel.receipt", InputKind::Email, 9}, T.get("cancel.receipt"), req, true,
                         &F.receipt, T.get("cancel.receipt.hint"), nullptr, ImVec2(col, 0))) {
            F.tried = false;
            app.note_text(F.receipt);
        }
        row.next();
        if (ui::kb_input(app, FieldSpec{"cancel.code", InputKind::Number, 4}, T.get("cancel.code"), req, true,
                         &F.check_code, T.get("cancel.code.hint"), nullptr, ImVec2(col, 0))) {
            F.tried = false;
            app.note_text(F.check_code);
        }
        row.end();
        gap(20);
        if (ui::button("cancel-look-up", T.get("cancel.look_up"), ImVec2(w, kBigButtonH), ui::Tone::Primary, f.heading))
            look_up(app);
        gap(14);
        ui::text(T.get("cancel.elsewhere"), f.small, kMuted, w);
    } else if (F.signup) {
        const OutboxEntry& e = *F.signup;
        ui::text(T.get("cancel.confirm.title"), f.title, kText);
        ui::text(T.get("cancel.confirm.lead"), f.body, kText, w);
        gap(10);
        // What will be cancelled: the activity (as this kiosk knows it), the party, the status.
        const std::string activity_id = e.record.payload.value("activity_id", std::string());
        std::optional<Activity> a;
        try {
            a = app.store().activity(activity_id);
        } catch (const std::exception&) {
        }
        const std::string title = a ? a->title : activity_id;
        const std::string when = a ? when_text(app, *a) : std::string();
        const std::string party =
            T.fmt("cancel.party_value", {{"n", std::to_string(e.record.payload.value("party_size", 1))}});
        const std::string number = receipt_number(e.record.id);
        ImVec2 p = ImGui::GetCursorScreenPos();
        const float inner = w - 64;
        const float th = ui::wrapped_size(f.heading, f.heading->FontSize, inner, title.c_str()).y;
        const float line = f.body->FontSize + ImGui::GetStyle().ItemSpacing.y + 4;
        const float h = 24 + th + 12 + line * (when.empty() ? 3 : 4) + 24;
        ui::panel_bg(p, ImVec2(p.x + w, p.y + h), kPrimarySoft, false);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 32, p.y + 24));
        ImGui::BeginGroup();
        ui::text(title.c_str(), f.heading, kText, inner);
        gap(4);
        if (!when.empty()) ui::text(when.c_str(), f.body, kText, inner);
        ui::text((std::string(T.get("cancel.receipt")) + "　" + number).c_str(), f.body, kText, inner);
        ui::text((std::string(T.get("cancel.party")) + "　" + party).c_str(), f.body, kText, inner);
        ui::text((std::string(T.get("cancel.status")) + "　" + phase_text(app, e)).c_str(), f.bold, kText, inner);
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + 16));
        if (const char* banner = submit_error_text(app, F.last); *banner) {
            ui::banner(banner, kRed, kRedSoft);
            gap(6);
        }
        ui::text(T.get("cancel.confirm.note"), f.body, kMuted, w);
        gap(14);
        if (ui::button("cancel-do", T.get("cancel.do"), ImVec2(w, kBigButtonH), ui::Tone::Danger, f.heading)) submit(app);
        gap(8);
        if (ui::button("cancel-keep", T.get("cancel.keep"), ImVec2(w, kButtonH), ui::Tone::Secondary)) {
            F.step = CancelForm::Step::Enter;
            F.signup.reset();
            F.tried = false;
            app.request_redraw();
        }
    }
    gap(30);
    ImGui::EndChild();
    ui::keyboard_panel(app);
}

void CancelView::start(Shell& app) {
    cancel.clear();
    app.go(Screen::Cancel);
}

void CancelView::look_up(Shell& app) {
    app.release_input();
    cancel.look_up(app.submit_context());
    app.request_redraw();
}

void CancelView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = cancel.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::Cancel, r.receipt);
        cancel.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
