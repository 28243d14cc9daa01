#include "app/screens/slot_calendar.h"

#include <algorithm>
#include <cfloat>

#include "app/model/dates.h"
#include "app/screens/common.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

std::string short_day(const Shell& app, const std::string& ymd) {
    if (ymd.size() < 10) return ymd;
    const int m = std::stoi(ymd.substr(5, 2)), d = std::stoi(ymd.substr(8, 2));
    const std::string wd = app.texts.get("calendar.weekday." + std::to_string(weekday(ymd)));
    return app.texts.fmt("booking.day", {{"m", std::to_string(m)}, {"d", std::to_string(d)}, {"wd", wd}});
}

std::string state_label(const Shell& app, SlotState s) {
    return std::string(symbol(s)) + " " + app.texts.get(std::string("booking.state.") + to_code(s));
}

namespace {

struct Look {
    ImU32 fill, border, text;
};

Look look_of(SlotState s) {
    switch (s) {
        case SlotState::Free: return {kSurface, kGreen, kText};
        case SlotState::GroupsOnly: return {kAmberSoft, kAmber, kText};
        case SlotState::HeldHere: return {kPrimarySoft, kPrimary, kText};
        case SlotState::Taken: return {kFooter, kBorder, kMuted};
        case SlotState::Blocked: return {kFooter, kBorder, kMuted};
        case SlotState::NotYet: return {kPage, kBorder, kMuted};
        case SlotState::Closed: return {kPage, kBorder, kMuted};
    }
    return {kPage, kBorder, kMuted};
}

// One slot: its time on the first line, the state's symbol and words on the second.
bool slot_card(Shell& app, const SlotCell& c, bool picked, ImVec2 size) {
    const FontRoles& f = app.fonts();
    const std::string id = "slot:" + c.slot.id;
    const bool can = pickable(c.state);
    bool tapped = false;
    ImGui::PushID(id.c_str());
    if (can) {
        tapped = ui::card(id.c_str(), size);
    } else {
        ImGui::Dummy(size);   // drawn, not a button: nothing happens on a tap
        ui::note_item(id);
    }
    ImGui::PopID();
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Look L = look_of(c.state);
    dl->AddRectFilled(a, b, picked ? kPrimarySoft : L.fill, kRadius);
    if (c.state == SlotState::Blocked) {
        // Hatched: closed by staff, readable without colour.
        dl->PushClipRect(a, b, true);
        for (float x = a.x - (b.y - a.y); x < b.x; x += 18) dl->AddLine(ImVec2(x, b.y), ImVec2(x + (b.y - a.y), a.y), kBorder, 2);
        dl->PopClipRect();
    }
    dl->AddRect(a, b, picked ? kPrimary : L.border, kRadius, 0, picked ? 6.0f : can ? 3.0f : 1.5f);
    const float pad = 14;
    const float inner = b.x - a.x - 2 * pad;
    const std::string time = time_span(c.slot);
    const float top = a.y + (b.y - a.y - f.bold->FontSize - f.small->FontSize - 6) * 0.5f;
    ui::text_clipped(dl, f.bold, ImVec2(a.x + pad, top), inner, 1, L.text, time.c_str());
    std::string label = picked ? std::string("◎ ") + app.texts.get("booking.picked") : state_label(app, c.state);
    ImFont* lf = f.small;
    const float lw = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, 0, label.c_str()).x;
    if (lw > inner) ui::note_overflow(id.c_str(), label.c_str(), lw, inner);
    ui::text_clipped(dl, lf, ImVec2(a.x + pad, top + 6 + f.bold->FontSize), inner, 1, picked ? kPrimary : L.text,
                     label.c_str());
    return tapped && can;
}

}  // namespace

CalendarTap slot_calendar(Shell& app, const SlotWeek& week, const std::string& picked_id, bool can_go_back, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    CalendarTap r;
    // ‹ previous week | the week | next week › (a phone: the week above its two buttons).
    const bool narrow = w < 900, phone = w < 500;
    const std::string span = short_day(app, week.days[0]) + " 〜 " + short_day(app, week.days[6]);
    if (phone) {
        ui::text(span.c_str(), f.bold, kText, w);
        gap(4);
    }
    const float nav_w = phone ? (w - 10) * 0.5f : narrow ? w * 0.3f : 260;
    if (ui::button("week-prev", T.get("booking.week.prev"), ImVec2(nav_w, kButtonH), ui::Tone::Secondary, f.bold,
                   can_go_back))
        r.week = -1;
    ImGui::SameLine(0, phone ? 10 : 0);
    if (!phone) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        const float mid = w - 2 * nav_w;
        ImFont* font = narrow ? f.small : f.bold;
        ImVec2 ts = ui::wrapped_size(font, font->FontSize, mid - 16, span.c_str());
        ui::draw_wrapped(ImGui::GetWindowDrawList(), font, font->FontSize,
                         ImVec2(p.x + (mid - ts.x) * 0.5f, p.y + (kButtonH - ts.y) * 0.5f), kText, span.c_str(), mid - 16);
        ImGui::Dummy(ImVec2(mid, kButtonH));
        ImGui::SameLine(0, 0);
    }
    if (ui::button("week-next", T.get("booking.week.next"), ImVec2(nav_w, kButtonH), ui::Tone::Secondary, f.bold))
        r.week = 1;
    gap(8);
    // The legend: every state's symbol and words.
    {
        // Each entry whole ("ー Unavailable" never split between its symbol and its word).
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 o = ImGui::GetCursorScreenPos();
        float x = 0, y = 0;
        const float line = f.small->FontSize + 6, space = f.small->FontSize;
        for (SlotState s : {SlotState::Free, SlotState::GroupsOnly, SlotState::HeldHere, SlotState::Taken,
                            SlotState::NotYet, SlotState::Blocked}) {
            const std::string e = state_label(app, s);
            const float ew = f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, e.c_str()).x;
            if (x > 0 && x + ew > w) {
                x = 0;
                y += line;
            }
            dl->AddText(f.small, f.small->FontSize, ImVec2(o.x + x, o.y + y), kMuted, e.c_str());
            x += ew + space;
        }
        ImGui::Dummy(ImVec2(w, y + line));
    }
    gap(8);
    if (week.count() == 0) {
        ui::text(T.get("booking.week.none"), f.body, kMuted, w);
        return r;
    }
    const float card_h = std::max(kButtonH + 12, 30 + f.bold->FontSize + f.small->FontSize);
    if (w >= 1300) {
        // Seven columns.
        const float colw = (w - 6 * 10) / 7;
        ImVec2 origin = ImGui::GetCursorPos();
        float bottom = origin.y;
        for (std::size_t d = 0; d < 7; ++d) {
            ImGui::SetCursorPos(ImVec2(origin.x + static_cast<float>(d) * (colw + 10), origin.y));
            ImGui::BeginGroup();
            const int wd = weekday(week.days[d]);
            ui::text(short_day(app, week.days[d]).c_str(), f.bold, wd == 0 ? kRed : wd == 6 ? kPrimary : kText, colw);
            gap(2);
            if (week.cells[d].empty()) ui::text(T.get("booking.day.none"), f.small, kMuted, colw);
            for (const auto& c : week.cells[d])
                if (slot_card(app, c, c.slot.id == picked_id, ImVec2(colw, card_h))) r.slot = &c.slot;
            ImGui::EndGroup();
            bottom = std::max(bottom, ImGui::GetCursorPosY());
        }
        ImGui::SetCursorPos(ImVec2(origin.x, bottom));
    } else {
        // One day under another, its slots in a row that wraps.
        const int per_row = w < 500 ? 1 : narrow ? 2 : 4;   // a phone: one card a row, its words in full
        const float cw = (w - static_cast<float>(per_row - 1) * 10) / static_cast<float>(per_row);
        for (std::size_t d = 0; d < 7; ++d) {
            if (week.cells[d].empty()) continue;
            const int wd = weekday(week.days[d]);
            ui::text(short_day(app, week.days[d]).c_str(), f.bold, wd == 0 ? kRed : wd == 6 ? kPrimary : kText, w);
            int col = 0;
            for (const auto& c : week.cells[d]) {
                if (col > 0) ImGui::SameLine(0, 10);
                if (slot_card(app, c, c.slot.id == picked_id, ImVec2(cw, card_h))) r.slot = &c.slot;
                col = (col + 1) % per_row;
            }
            gap(10);
        }
    }
    return r;
}

}  // namespace kyodo::app::screens
