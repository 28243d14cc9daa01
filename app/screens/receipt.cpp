// Receipt: "received", the receipt number (and a check code for sign-ups) in large type,
// and what happens next.
#include <algorithm>

#include "app/screens/receipt.h"
#include "core/uuid.h"
#include "app/screens/signup.h"
#include "app/screens/common.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

void ReceiptView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    float w = begin_page(1200);
    // Phone width: less margin, the number and the check code one above the other, and the
    // page scrolls (it is taller than the window) instead of sitting on a fixed card.
    const bool narrow = w < 700;
    if (narrow) {
        ImGui::BeginChild("receipt-scroll", ImVec2(w + 8, ImGui::GetContentRegionAvail().y), false,
                          ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        w = ImGui::GetContentRegionAvail().x - 12;
    }
    ImVec2 a = ImGui::GetCursorScreenPos();
    float h = ImGui::GetContentRegionAvail().y - kMargin;
    if (!narrow) ui::panel_bg(a, ImVec2(a.x + w, a.y + h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // A check mark in a green circle.
    ImVec2 c(a.x + w * 0.5f, a.y + 96);
    dl->AddCircleFilled(c, 56, kGreen, 48);
    dl->AddLine(ImVec2(c.x - 26, c.y + 2), ImVec2(c.x - 6, c.y + 22), kSurface, 10);
    dl->AddLine(ImVec2(c.x - 6, c.y + 22), ImVec2(c.x + 28, c.y - 20), kSurface, 10);

    auto centred = [&](const char* s, ImFont* font, ImU32 col, float y) {
        float inner = w - (narrow ? 40 : 120);
        ImVec2 ts = ui::wrapped_size(font, font->FontSize, inner, s);
        float x = a.x + (w - (ts.x < inner ? ts.x : inner)) * 0.5f;
        ui::draw_wrapped(dl, font, font->FontSize, ImVec2(x, y), col, s, inner);
        return y + ts.y;
    };
    float y = a.y + 176;
    bool signup = kind == RecordKind::SignUp;
    // Confirmed here under the kiosk's lease (issue 10 point 2): 参加確定 is the headline.
    const bool confirmed = signup && confirmed_on_spot;
    const char* head = confirmed ? "receipt.confirmed" : booking ? "receipt.booking.title" : "receipt.title";
    y = centred(T.get(head), f.title, confirmed ? kGreen : kText, y) + 10;
    const bool coded = signup || kind == RecordKind::Talent || kind == RecordKind::GroupRegistration;   // a check code to print
    const std::string thanks = booking ? (consultation ? "receipt.thanks.consult" : "receipt.thanks.booking")
                                       : std::string("receipt.thanks.") + to_code(kind);
    y = centred(T.get(thanks), f.body, kText, y) + 28;

    // The number box.
    const bool two = coded && !receipt.check_code.empty();
    const float block_h = 22 + f.bold->FontSize + 14 + f.display->FontSize + 22;
    float bw = coded ? 900 : 640, bh = narrow && two ? 2 * block_h : 200;
    if (bw > w - (narrow ? 24 : 80)) bw = w - (narrow ? 24 : 80);
    ImVec2 ba(a.x + (w - bw) * 0.5f, y), bb(ba.x + bw, y + bh);
    dl->AddRectFilled(ba, bb, kPrimarySoft, kRadius);
    dl->AddRect(ba, bb, kPrimary, kRadius, 0, 3);
    // One label and its value, centred on cx within `room` px; a value too wide for it
    // (a phone) is drawn smaller rather than over its neighbour.
    auto block = [&](float cx, float top, float room, const char* label, const std::string& value) {
        // The label too (かくにんの ばんごう ran past the box in portrait easy Japanese).
        float ls = f.bold->FontSize;
        float lw = f.bold->CalcTextSizeA(ls, FLT_MAX, 0, label).x;
        if (lw > room - 24) {
            ls *= (room - 24) / lw;
            lw = room - 24;
        }
        dl->AddText(f.bold, ls, ImVec2(cx - lw * 0.5f, top + 22 + (f.bold->FontSize - ls) * 0.5f), kMuted, label);
        float fs = f.display->FontSize;
        float vw = f.display->CalcTextSizeA(fs, FLT_MAX, 0, value.c_str()).x;
        if (vw > room - 24) {
            fs *= (room - 24) / vw;
            vw = room - 24;
        }
        dl->AddText(f.display, fs, ImVec2(cx - vw * 0.5f, top + 22 + f.bold->FontSize + 14 + (f.display->FontSize - fs) * 0.5f),
                    kText, value.c_str());
    };
    // The check code is personal: hidden after a few seconds (the next person may be
    // looking over the shoulder).
    const bool hide = privacy.hidden(app.now());
    const std::string check = hide ? std::string("****") : receipt.check_code;
    if (two && narrow) {
        block(ba.x + bw * 0.5f, ba.y, bw, T.get("receipt.number"), receipt.number);
        dl->AddLine(ImVec2(ba.x + 30, ba.y + block_h), ImVec2(bb.x - 30, ba.y + block_h), kBorder, 2);
        block(ba.x + bw * 0.5f, ba.y + block_h, bw, T.get("receipt.check"), check);
    } else if (two) {
        block(ba.x + bw * 0.36f, ba.y, bw * 0.72f, T.get("receipt.number"), receipt.number);
        dl->AddLine(ImVec2(ba.x + bw * 0.72f, ba.y + 30), ImVec2(ba.x + bw * 0.72f, bb.y - 30), kBorder, 2);
        block(ba.x + bw * 0.86f, ba.y, bw * 0.28f, T.get("receipt.check"), check);
    } else {
        block(ba.x + bw * 0.5f, ba.y, bw, T.get("receipt.number"), receipt.number);
    }
    y = bb.y + 28;
    if (hide && coded) y = centred(T.get("receipt.hidden"), f.bold, kMuted, y) + 14;
    y = centred(T.get("receipt.keep"), f.body, kText, y) + 14;
    if (confirmed) y = centred(T.get("receipt.signup_confirmed"), f.bold, kText, y) + 14;
    else if (booking) y = centred(T.get("receipt.booking.status"), f.body, kText, y) + 14;
    else if (signup) y = centred(T.get("receipt.signup_status"), f.body, kText, y) + 14;
    if (kind == RecordKind::Talent) y = centred(T.get("receipt.talent.keep"), f.body, kText, y) + 14;
    // A group application: this is the APPLICATION's receipt; the registration number comes
    // after the centre approves it (docs/groups.md, "Where the registration number is shown").
    if (kind == RecordKind::GroupRegistration) y = centred(T.get("receipt.group.next"), f.body, kText, y) + 14;
    y = centred(T.get("receipt.sync"), f.small, kMuted, y) + 30;

    const float btn_w = std::min(520.0f, w - 40);
    ImGui::SetCursorScreenPos(ImVec2(a.x + (w - btn_w) * 0.5f, y));
    if (ui::button("done", T.get("receipt.done"), ImVec2(btn_w, kBigButtonH), ui::Tone::Primary, f.heading))
        app.reset_session();   // the resident is done: the next one starts afresh
    if (narrow) {
        gap(30);
        ImGui::EndChild();
    }
}

void ReceiptView::show_booking(Shell& app, const Receipt& r, bool consult) {
    show(app, RecordKind::SignUp, r);
    booking = true;
    consultation = consult;
}

void ReceiptView::show(Shell& app, RecordKind k, const Receipt& r, bool confirmed) {
    app.keyboard.kb.close();   // the keyboard belongs to the screen being left
    kind = k;
    booking = consultation = false;
    receipt = r;
    confirmed_on_spot = confirmed && k == RecordKind::SignUp;
    privacy.show(app.now());
    hidden_drawn_ = false;
    app.note_text(r.number);
    app.nav.replace(Screen::Receipt);
    app.request_redraw();
}

bool ReceiptView::tick(Shell&, double now) {
    // The personal data hides on time, touch or not: one frame to show it hidden.
    if (!privacy.armed() || !privacy.hidden(now) || hidden_drawn_) return false;
    hidden_drawn_ = true;
    return true;
}

void ReceiptView::preview(Shell& app, Screen) {
    // A preview receipt: derived like a real one, but nothing is stored.
    Receipt r;
    r.record_id = new_uuid_v7();
    r.number = receipt_number(r.record_id);
    r.check_code = "0000";
    app.go(Screen::SignUp);
    show(app, RecordKind::SignUp, r);
}

}  // namespace kyodo::app::screens
