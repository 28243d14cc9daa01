// The header (back, title, language, start over) and the footer (sync state, centre)
// around every screen.
#include "app/screens/common.h"
#include "app/screens/screens.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

using namespace theme;

void draw_header(KioskApp& app) {
    const ImGuiIO& io = ImGui::GetIO();
    const float w = io.DisplaySize.x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(w, kHeaderH), kHeader);
    const float bh = 84, by = (kHeaderH - bh) * 0.5f;
    float x = 24;
    if (app.nav.can_go_back() && app.nav.current() != Screen::Receipt) {
        ImGui::SetCursorPos(ImVec2(x, by));
        if (ui::button("back", app.texts.get("nav.back"), ImVec2(190, bh), ui::Tone::OnHeader)) app.back();
        x += 190 + 32;
    }
    const FontRoles& f = app.fonts();
    float ty = (kHeaderH - f.heading->FontSize - f.small->FontSize - 6) * 0.5f;
    dl->AddText(f.heading, f.heading->FontSize, ImVec2(x, ty), kHeaderText, app.texts.get("app.title"));
    std::string sub = app.texts.get("app.subtitle");
    if (!app.home_centre_name.empty()) sub = app.home_centre_name + "　" + sub;
    dl->AddText(f.small, f.small->FontSize, ImVec2(x, ty + f.heading->FontSize + 6), kHeaderSub, sub.c_str());

    // Right side: language (every screen), start over (every screen but the start).
    float rx = w - 24;
    const float lw = 210;
    rx -= lw;
    ImGui::SetCursorPos(ImVec2(rx, by));
    if (ui::button("lang", app.texts.get("lang.switch"), ImVec2(lw, bh), ui::Tone::OnHeader)) {
        app.texts.toggle();
        app.request_redraw();
    }
    if (app.nav.current() != Screen::Start) {
        const char* home = app.texts.get("nav.home");
        float hw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, home).x + 72;
        rx -= hw + 20;
        ImGui::SetCursorPos(ImVec2(rx, by));
        if (ui::button("home", home, ImVec2(hw, bh), ui::Tone::OnHeader)) app.home();
    }
}

void draw_footer(KioskApp& app) {
    const ImGuiIO& io = ImGui::GetIO();
    const float w = io.DisplaySize.x, y0 = io.DisplaySize.y - kFooterH;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, y0), ImVec2(w, io.DisplaySize.y), kFooter);
    dl->AddLine(ImVec2(0, y0), ImVec2(w, y0), kBorder, 2);
    const FontRoles& f = app.fonts();
    const float ty = y0 + (kFooterH - f.small->FontSize) * 0.5f;
    float x = kMargin;
    if (app.sync.enabled) {
        ImU32 dot = app.sync.running ? kAmber : (app.sync.online ? kGreen : kRed);
        dl->AddCircleFilled(ImVec2(x + 10, y0 + kFooterH * 0.5f), 10, dot);
        x += 34;
        std::string s = app.sync.running ? app.texts.get("status.syncing")
                                         : app.texts.get(app.sync.online ? "status.online" : "status.offline");
        if (app.sync.online && app.sync.last_success_ms > 0) {
            std::string t = rfc3339_utc(app.sync.last_success_ms + 9 * 3600 * 1000LL);  // JST clock
            if (t.size() >= 16) s += "  " + t.substr(11, 5);
        }
        if (app.sync.pending > 0)
            s += "　／　" + app.texts.fmt("status.pending", {{"n", std::to_string(app.sync.pending)}});
        dl->AddText(f.small, f.small->FontSize, ImVec2(x, ty), kMuted, s.c_str());
    }
    const std::string& centre = app.home_centre_name;
    if (!centre.empty()) {
        float cw = f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, centre.c_str()).x;
        dl->AddText(f.small, f.small->FontSize, ImVec2(w - kMargin - cw, ty), kMuted, centre.c_str());
    }
}

}  // namespace kyodo::app::screens
