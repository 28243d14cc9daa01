// Helpers the flow screens share.
#include "app/screens/flows.h"

#include "app/screens/chrome.h"
#include "app/screens/common.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <algorithm>

namespace kyodo::app::screens {

using namespace theme;

void close_keyboard(Shell& app) {
    if (app.keyboard.kb.is_open()) app.keyboard.kb.close();
}

void step_progress(const Shell& app, int index, int total, float width) {
    const FontRoles& f = app.fonts();
    std::string s = app.texts.fmt("flow.step", {{"n", std::to_string(index + 1)}, {"total", std::to_string(total)}});
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float tw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, s.c_str()).x;
    // Beside a phone's title at 特大 "1 / 5" lost its 5: it shrinks to its room (to 60 %).
    float fs = f.bold->FontSize;
    if (tw > width && tw > 0) {
        const float k = std::max(0.6f, width / tw);
        if (tw * k > width + 0.5f) ui::note_overflow("step-progress", s.c_str(), tw * k, width);
        fs *= k;
        tw *= k;
    }
    dl->AddText(f.bold, fs, ImVec2(p.x, p.y + (f.bold->FontSize - fs) * 0.5f), kMuted, s.c_str());
    // A bar of segments: done, current, to come.
    float x = p.x + tw + 28, bar_w = width - tw - 28;
    if (bar_w > 600) bar_w = 600;
    if (bar_w < 150) {   // no room for a bar that reads (phone title row): "1 / 5" alone
        ImGui::Dummy(ImVec2(tw, f.bold->FontSize));
        return;
    }
    float seg = (bar_w - (total - 1) * 8) / static_cast<float>(total);
    float cy = p.y + f.bold->FontSize * 0.5f;
    for (int i = 0; i < total; ++i) {
        ImU32 c = i < index ? kPrimary : (i == index ? kPrimary : kBorder);
        float h = i == index ? 14.0f : 10.0f;
        dl->AddRectFilled(ImVec2(x, cy - h * 0.5f), ImVec2(x + seg, cy + h * 0.5f), c, h * 0.5f);
        x += seg + 8;
    }
    ImGui::Dummy(ImVec2(width, f.bold->FontSize));
}

float step_bar_h(const Shell& app) {
    // While the keyboard is open the back/next bar steps aside at every size: at 1920x1080
    // the keyboard leaves ~270 px of page and the bar took 184 of them, so the field being
    // typed into was cut off under it (ui_harness "every text input …"). 完了 closes the
    // keyboard and the bar is back.
    if (app.keyboard.kb.is_open()) return 0;
    if (!app.narrow()) return kStepBarH;
    return kStepBarH - (kBigButtonH - kButtonH);   // phone: the 88 px buttons
}

int step_buttons(const Shell& app, const char* back_key, const char* next_key, float width, bool next_enabled,
                 const char* next_id) {
    if (step_bar_h(app) <= 0) return 0;
    const FontRoles& f = app.fonts();
    int r = 0;
    gap(12);
    // A phone-width window: もどる gets more of the row and the bold font, so it is not cut.
    const bool narrow = width < 700;
    ImFont* font = narrow ? f.bold : f.heading;
    float bw = back_key ? (width - kGap) * (narrow ? 0.42f : 0.35f) : 0;
    const float bh = narrow ? kButtonH : kBigButtonH;
    if (back_key) {
        if (ui::button("step-back", app.texts.get(back_key), ImVec2(bw, bh), ui::Tone::Secondary, font))
            r = -1;
        if (next_key) ImGui::SameLine(0, kGap);
    }
    if (next_key) {
        float nw = back_key ? width - bw - kGap : width;
        if (ui::button(next_id, app.texts.get(next_key), ImVec2(nw, bh), ui::Tone::Primary, font,
                       next_enabled))
            r = 1;
    }
    return r;
}

bool review_row(const Shell& app, const char* label, const std::string& value, float width, const char* edit_id) {
    const FontRoles& f = app.fonts();
    const bool en = app.texts.lang() == Lang::En;
    const float label_w = en ? 300 : 320, btn_w = edit_id ? 200 : 0;
    const float narrow = width < 900;
    ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(a, ImVec2(a.x + width, a.y), kBorder, 2);
    gap(12);
    float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
    ui::text(label, f.bold, kMuted, narrow ? width - btn_w - 16 : label_w - 16);
    float y1 = ImGui::GetCursorPosY();
    if (!narrow) ImGui::SetCursorPos(ImVec2(x0 + label_w, y0));
    const std::string shown = value.empty() ? std::string(app.texts.get("review.none")) : value;
    ui::text(shown.c_str(), f.body, value.empty() ? kMuted : kText, width - (narrow ? 0 : label_w) - btn_w - 16);
    float y2 = ImGui::GetCursorPosY();
    bool tapped = false;
    if (edit_id) {
        ImGui::SetCursorPos(ImVec2(x0 + width - btn_w, y0 - 6));
        tapped = ui::button(edit_id, app.texts.get("review.change"), ImVec2(btn_w, kButtonH * 0.8f), ui::Tone::Secondary);
        y2 = std::max(y2, ImGui::GetCursorPosY());
    }
    ImGui::SetCursorPos(ImVec2(x0, std::max(y1, y2)));
    gap(4);
    return tapped;
}

bool activity_row(Shell& app, const Activity& a, float width) {
    const FontRoles& f = app.fonts();
    const float band = ruby_band(app, f.bold);   // furigana above the title, when on
    const float pad = 24, h = 24 + band + f.bold->FontSize + 10 + f.small->FontSize + 22;
    ImGui::PushID(a.id.c_str());
    bool tapped = ui::card(("act-" + a.id).c_str(), ImVec2(width, h));
    ImGui::PopID();
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    int k = static_cast<int>(a.kind);
    dl->AddRectFilled(p, ImVec2(p.x + 10, q.y), kind_colour(k), kRadius, ImDrawFlags_RoundCornersLeft);
    float x = p.x + pad + 6, y = p.y + 24 + band;
    ImVec2 bs = ui::badge_size(app.texts.kind(a.kind), f.small);
    ui::badge(dl, ImVec2(x, y + (f.bold->FontSize - bs.y) * 0.5f), app.texts.kind(a.kind), kSurface, kind_colour(k),
              f.small);
    float tx = x + bs.x + 14;
    ui::ruby_clipped(dl, f.bold, ImVec2(tx, y), q.x - tx - pad - 40, 1, kText, a.title.c_str(),
                     readings(app, a, RubyField::Title));
    y += f.bold->FontSize + 10;
    std::string meta = when_text(app, a);
    std::string where = a.place.empty() ? app.centre_name(a.centre_id) : a.place;
    if (!where.empty()) meta += (meta.empty() ? "" : "　｜　") + where;
    ui::text_clipped(dl, f.small, ImVec2(x, y), q.x - x - pad - 40, 1, kMuted, meta.c_str());
    float cx = q.x - 34, cy = (p.y + q.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 8, cy - 16), ImVec2(cx + 8, cy), kPrimary, 5);
    dl->AddLine(ImVec2(cx + 8, cy), ImVec2(cx - 8, cy + 16), kPrimary, 5);
    return tapped;
}

void about_panel(const Shell& app, const char* caption, const std::string& text, float width) {
    const FontRoles& f = app.fonts();
    ImVec2 a = ImGui::GetCursorScreenPos();
    if (width < 700) {
        // Phone width: caption and name in one wrapped line, so the question and its field
        // stay above the fold.
        std::string line = std::string(caption) + (app.texts.lang() == Lang::En ? ": " : "：") + text;
        float th = ui::wrapped_size(f.bold, f.bold->FontSize, width - 40, line.c_str()).y;
        float h = 12 + th + 12;
        ui::panel_bg(a, ImVec2(a.x + width, a.y + h), kPrimarySoft, false);
        ImGui::SetCursorScreenPos(ImVec2(a.x + 20, a.y + 12));
        ui::text(line.c_str(), f.bold, kText, width - 40);
        ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h + 10));
        ImGui::Dummy(ImVec2(1, 0));
        return;
    }
    float th = ui::wrapped_size(f.bold, f.bold->FontSize, width - 64, text.c_str()).y;
    float h = 18 + f.small->FontSize + 6 + th + 18;
    ui::panel_bg(a, ImVec2(a.x + width, a.y + h), kPrimarySoft, false);
    ImGui::SetCursorScreenPos(ImVec2(a.x + 32, a.y + 18));
    ImGui::BeginGroup();
    ui::text(caption, f.small, kMuted);
    ui::text(text.c_str(), f.bold, kText, width - 64);
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h + 14));
    ImGui::Dummy(ImVec2(1, 0));
}

}  // namespace kyodo::app::screens
