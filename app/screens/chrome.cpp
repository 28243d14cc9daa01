// The header (back, title, language, start over) and the footer (sync state, centre)
// around every screen.
#include "app/screens/common.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {
// Typing on a phone-width window: the keyboard needs most of the height, so the header keeps
// only its buttons and the footer steps aside, leaving the field room above the keyboard.
bool typing_on_phone(const Shell& app) { return app.narrow() && app.keyboard.kb.is_open(); }
constexpr float kPhoneButtonRow = 8 + 84 + 8;
constexpr float kBackW = 190;

float label_button_w(const FontRoles& f, const char* label) {
    return f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label).x + 72;
}

// Two rows (the title above, the buttons below) on a phone, and on a wide window whose one
// row would leave the title less than 75 % of its width with every button drawn (back, start
// over, settings): portrait at 特大 showed "K…". Judged with all buttons so the header keeps
// its height from screen to screen.
bool stacked(const Shell& app) {
    if (app.narrow()) return true;
    const FontRoles& f = app.fonts();
    const float w = ImGui::GetIO().DisplaySize.x;
    const float buttons = 24 + kBackW + 32 + label_button_w(f, app.texts.get("settings.button")) + 20 +
                          label_button_w(f, app.texts.get("nav.home")) + 24;
    const char* title = app.texts.get("app.title");
    const float need = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, title).x * 0.75f;
    return w - buttons - 24 < need;
}
}  // namespace

float header_height(const Shell& app) {
    if (!stacked(app)) return kHeaderH;
    return typing_on_phone(app) ? kPhoneButtonRow : kHeaderH + 72;
}

float footer_height(const Shell& app) { return typing_on_phone(app) ? 0 : kFooterH; }

// Wide: back | title and subtitle (long press 3 s: staff mode) | settings | start over.
// Stacked (phone width, or a wide window too narrow for the title, see stacked()): the title
// on its own row, the three buttons below, equal widths.
void draw_header(Shell& app) {
    const ImGuiIO& io = ImGui::GetIO();
    const float w = io.DisplaySize.x;
    const float hh = header_height(app);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(w, hh), kHeader);
    const FontRoles& f = app.fonts();
    const bool narrow = app.narrow();
    const bool two_rows = stacked(app);
    const bool can_back = app.nav.can_go_back() && app.nav.current() != Screen::Receipt;
    const bool can_home = app.nav.current() != Screen::Start;
    const float bh = 84;

    // The buttons' row and widths.
    const char* set_label = app.texts.get(narrow ? "settings.button.short" : "settings.button");
    const char* home_label = app.texts.get(narrow ? "nav.home.short" : "nav.home");
    float title_x0 = 24, title_x1 = w - 24, by = (kHeaderH - bh) * 0.5f, ty0 = 0, th = kHeaderH;
    if (two_rows) {
        const float row_y = typing_on_phone(app) ? 8 : 64 + 8, gap_x = 10;
        float bw = (w - 2 * 12 - 2 * gap_x) / 3;
        ImGui::SetCursorPos(ImVec2(12, row_y));
        if (can_back) {
            if (ui::button("back", app.texts.get("nav.back"), ImVec2(bw, bh), ui::Tone::OnHeader)) app.back();
        }
        ImGui::SetCursorPos(ImVec2(12 + bw + gap_x, row_y));
        if (ui::button("settings", set_label, ImVec2(bw, bh), ui::Tone::OnHeader)) {
            app.settings_open = true;
            app.request_redraw();
        }
        ImGui::SetCursorPos(ImVec2(12 + 2 * (bw + gap_x), row_y));
        if (can_home && ui::button("home", home_label, ImVec2(bw, bh), ui::Tone::OnHeader)) app.home();
        th = typing_on_phone(app) ? 0 : 64 + 8;
    } else {
        float x = 24;
        if (can_back) {
            ImGui::SetCursorPos(ImVec2(x, by));
            if (ui::button("back", app.texts.get("nav.back"), ImVec2(kBackW, bh), ui::Tone::OnHeader)) app.back();
            x += kBackW + 32;
        }
        title_x0 = x;
        float rx = w - 24;
        float sw = label_button_w(f, set_label);
        rx -= sw;
        ImGui::SetCursorPos(ImVec2(rx, by));
        if (ui::button("settings", set_label, ImVec2(sw, bh), ui::Tone::OnHeader)) {
            app.settings_open = true;
            app.request_redraw();
        }
        if (can_home) {
            float hw = label_button_w(f, home_label);
            rx -= hw + 20;
            ImGui::SetCursorPos(ImVec2(rx, by));
            if (ui::button("home", home_label, ImVec2(hw, bh), ui::Tone::OnHeader)) app.home();
        }
        title_x1 = rx - 24;
    }

    // Title (and subtitle when there is room), clipped to its space. A long press here
    // (3 s) is the discreet door to staff mode.
    float tw = title_x1 - title_x0;
    if (tw > 40 && th > 0) {
        bool sub_room = !two_rows && f.heading->FontSize + f.small->FontSize + 6 <= th - 12;
        float block = f.heading->FontSize + (sub_room ? f.small->FontSize + 6 : 0);
        float ty = ty0 + (th - block) * 0.5f;
        // A title a little too long for a phone (きょうどう キオスク) shrinks to fit rather
        // than ending in "…"; a much longer one is still cut.
        const char* title = app.texts.get("app.title");
        const float need = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, title).x;
        if (need > tw && need * 0.75f <= tw)
            ui::add_text(dl, f.heading, f.heading->FontSize * tw / need, ImVec2(title_x0, ty), kHeaderText, title);
        else {
            if (need > tw) ui::note_overflow("header-title", title, need, tw);
            ui::text_clipped(dl, f.heading, ImVec2(title_x0, ty), tw, 1, kHeaderText, title);
        }
        if (sub_room) {
            std::string sub = app.texts.get("app.subtitle");
            if (!app.home_centre_name.empty()) sub = app.home_centre_name + "　" + sub;
            ui::text_clipped(dl, f.small, ImVec2(title_x0, ty + f.heading->FontSize + 6), tw, 1, kHeaderSub, sub.c_str());
        }
        ImGui::SetCursorPos(ImVec2(title_x0, ty0));
        ImGui::InvisibleButton("##staff-door", ImVec2(tw, th));
        bool holding = ImGui::IsItemActive() && !ui::dragging();
        if (app.staff.door.update(holding, app.now())) app.open_staff();
        if (app.staff.door.holding()) {
            // A thin bar fills while the finger stays (only the one holding sees it).
            float p = static_cast<float>(app.staff.door.progress(app.now()));
            dl->AddRectFilled(ImVec2(title_x0, ty0 + th - 6), ImVec2(title_x0 + tw * p, ty0 + th - 2), kHeaderSub);
        }
    }
}

void draw_footer(Shell& app) {
    if (footer_height(app) <= 0) return;
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
        float room = w - x - kMargin;
        if (!app.narrow() && !app.home_centre_name.empty())
            room -= f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, app.home_centre_name.c_str()).x + kGap;
        ui::text_clipped(dl, f.small, ImVec2(x, ty), room, 1, kMuted, s.c_str());
    }
    const std::string& centre = app.home_centre_name;
    if (!centre.empty() && !app.narrow()) {
        float cw = f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, centre.c_str()).x;
        dl->AddText(f.small, f.small->FontSize, ImVec2(w - kMargin - cw, ty), kMuted, centre.c_str());
    }
}

}  // namespace kyodo::app::screens
