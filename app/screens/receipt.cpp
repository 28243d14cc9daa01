// Receipt: "received", the receipt number (and a check code for sign-ups) in large type,
// and what happens next.
#include "app/screens/common.h"
#include "app/screens/screens.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

void draw_receipt(KioskApp& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    float w = begin_page(1200);
    ImVec2 a = ImGui::GetCursorScreenPos();
    float h = ImGui::GetContentRegionAvail().y - kMargin;
    ui::panel_bg(a, ImVec2(a.x + w, a.y + h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // A check mark in a green circle.
    ImVec2 c(a.x + w * 0.5f, a.y + 96);
    dl->AddCircleFilled(c, 56, kGreen, 48);
    dl->AddLine(ImVec2(c.x - 26, c.y + 2), ImVec2(c.x - 6, c.y + 22), kSurface, 10);
    dl->AddLine(ImVec2(c.x - 6, c.y + 22), ImVec2(c.x + 28, c.y - 20), kSurface, 10);

    auto centred = [&](const char* s, ImFont* font, ImU32 col, float y) {
        float inner = w - 120;
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, inner, s);
        float x = a.x + (w - (ts.x < inner ? ts.x : inner)) * 0.5f;
        dl->AddText(font, font->FontSize, ImVec2(x, y), col, s, nullptr, inner);
        return y + ts.y;
    };
    float y = a.y + 176;
    y = centred(T.get("receipt.title"), f.title, kText, y) + 10;
    bool signup = app.receipt_kind == RecordKind::SignUp;
    y = centred(T.get(std::string("receipt.thanks.") + to_code(app.receipt_kind)), f.body, kText, y) + 28;

    // The number box.
    float bw = signup ? 900 : 640, bh = 200;
    if (bw > w - 80) bw = w - 80;
    ImVec2 ba(a.x + (w - bw) * 0.5f, y), bb(ba.x + bw, y + bh);
    dl->AddRectFilled(ba, bb, kPrimarySoft, kRadius);
    dl->AddRect(ba, bb, kPrimary, kRadius, 0, 3);
    auto block = [&](float cx, const char* label, const std::string& value) {
        float lw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label).x;
        dl->AddText(f.bold, f.bold->FontSize, ImVec2(cx - lw * 0.5f, ba.y + 22), kMuted, label);
        float vw = f.display->CalcTextSizeA(f.display->FontSize, FLT_MAX, 0, value.c_str()).x;
        dl->AddText(f.display, f.display->FontSize, ImVec2(cx - vw * 0.5f, ba.y + 22 + f.bold->FontSize + 14),
                    kText, value.c_str());
    };
    // The check code is personal: hidden after a few seconds (the next person may be
    // looking over the shoulder).
    const bool hide = app.receipt_privacy.hidden(app.now());
    if (signup && !app.receipt.check_code.empty()) {
        block(ba.x + bw * 0.36f, T.get("receipt.number"), app.receipt.number);
        dl->AddLine(ImVec2(ba.x + bw * 0.72f, ba.y + 30), ImVec2(ba.x + bw * 0.72f, bb.y - 30), kBorder, 2);
        block(ba.x + bw * 0.86f, T.get("receipt.check"), hide ? std::string("****") : app.receipt.check_code);
    } else {
        block(ba.x + bw * 0.5f, T.get("receipt.number"), app.receipt.number);
    }
    y = bb.y + 28;
    if (hide && signup) y = centred(T.get("receipt.hidden"), f.bold, kMuted, y) + 14;
    y = centred(T.get("receipt.keep"), f.body, kText, y) + 14;
    if (signup) y = centred(T.get("receipt.signup_status"), f.body, kText, y) + 14;
    y = centred(T.get("receipt.sync"), f.small, kMuted, y) + 30;

    const float btn_w = 520;
    ImGui::SetCursorScreenPos(ImVec2(a.x + (w - btn_w) * 0.5f, y));
    if (ui::button("done", T.get("receipt.done"), ImVec2(btn_w, kBigButtonH), ui::Tone::Primary, f.heading))
        app.home();
}

}  // namespace kyodo::app::screens
