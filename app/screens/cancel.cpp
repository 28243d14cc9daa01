// Cancel a sign-up: the receipt number and check code, then what will be cancelled, then
// the receipt of the cancellation.
#include "app/screens/cancel.h"

#include <string>

#include "app/screens/booking.h"
#include "app/screens/chrome.h"
#include "app/screens/common.h"
#include "app/screens/slot_calendar.h"
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
        ui::title_text(T.get("cancel.title"), f.title, kText);
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
        const bool is_booking = booking && booking->is_booking;
        ui::title_text(T.get(is_booking ? "cancel.booking.title" : "cancel.confirm.title"), f.title, kText);
        ui::text(T.get(is_booking ? "cancel.booking.lead" : "cancel.confirm.lead"), f.body, kText, w);
        gap(10);
        // What will be cancelled: the activity (as this kiosk knows it), the party, the status.
        const std::string activity_id = e.record.payload.value("activity_id", std::string());
        std::optional<Activity> a;
        try {
            a = app.store().activity(activity_id);
        } catch (const std::exception&) {
        }
        const bool slot = booking && booking->is_booking;
        std::string title = a ? a->title : activity_id;
        std::string when = a ? when_text(app, *a) : std::string();
        if (slot) {
            // A booking: the resource's name and the slot's day and time.
            const auto info = slots::slot_info(*booking->slot);
            title = info ? info->resource_name : title;
            when = date_text(app, booking->slot->starts_at.substr(0, 10)) + "　" + time_span(*booking->slot);
        }
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
        if (slot)
            ui::text((std::string(T.get("booking.group.label")) + "　" +
                      (booking->group.empty() ? std::string(T.get("booking.group.none")) : booking->group))
                         .c_str(),
                     f.body, kText, inner);
        else
            ui::text((std::string(T.get("cancel.party")) + "　" + party).c_str(), f.body, kText, inner);
        const char* phase = slot && app.texts.has(std::string("cancel.booking.phase.") + to_code(signup_phase(e)))
                                ? T.get(std::string("cancel.booking.phase.") + to_code(signup_phase(e)))
                                : phase_text(app, e);
        ui::text((std::string(T.get("cancel.status")) + "　" + phase).c_str(), f.bold, kText, inner);
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + 16));
        if (slot && booking->lost) {
            // Another booking reached city hall first: say so, and offer the next free slot.
            ui::banner(T.get("cancel.booking.lost"), kAmber, kAmberSoft);
            gap(8);
            if (booking->next) {
                const Activity& n = *booking->next;
                const std::string line = std::string(T.get("cancel.booking.next")) + "：" +
                                         date_text(app, n.starts_at.substr(0, 10)) + "　" + time_span(n);
                ui::text(line.c_str(), f.heading, kText, w);
                gap(6);
                if (ui::button("book-next", T.get("cancel.booking.book_next"), ImVec2(w, kBigButtonH), ui::Tone::Primary,
                               f.heading)) {
                    const Activity next = n;
                    const std::string group = booking->group;
                    cancel.clear();
                    booking.reset();
                    app.view<BookingView>().start_for(app, next, group);
                    ImGui::EndChild();
                    ui::keyboard_panel(app);
                    return;
                }
            } else {
                ui::text(T.get("cancel.booking.next.none"), f.body, kText, w);
            }
            gap(14);
        }
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
    booking.reset();
    app.go(Screen::Cancel);
}

void CancelView::look_up(Shell& app) {
    app.release_input();
    booking.reset();
    if (cancel.look_up(app.submit_context()) == CancelCheck::Ok && cancel.signup) {
        try {
            const BookingView& B = app.view<BookingView>();
            const HeldSlots held = held_slots(app.store().signups(2000));
            booking = booking_outcome(*cancel.signup, BookingView::load_slots(app), B.now(app), held);
        } catch (const std::exception&) {
            booking.reset();   // a store error: the sign-up is shown as any sign-up
        }
    }
    app.request_redraw();
}

void CancelView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = cancel.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::Cancel, r.receipt);
        cancel.clear();
        booking.reset();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
