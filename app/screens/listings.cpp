// Listings: a search box, filters (kind, field, form, method, centre, only-open) as big
// chips in a side panel, and the matching activities as cards, a page at a time.
#include <algorithm>

#include "app/screens/listings.h"
#include "app/screens/detail.h"
#include "app/screens/common.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <imgui_internal.h>
#include "app/ui/keyboard_widget.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

void section(const Shell& app, const char* key) {
    gap(10);
    ui::text(app.texts.get(key), app.fonts().bold, kText);
}

// The touch calendar (issue 9 point 3): a layer over the listings with one month of big day
// buttons, weeks from Sunday. A tap picks a day, a second tap a range with it, a third starts
// again (CalendarPick); each tap filters the listings behind at once. Days before the kiosk's
// today are not offered.
void draw_calendar(Shell& app) {
    ListingsView& V = app.view<ListingsView>();
    ListingState& L = V.listing;
    CalendarPick& C = V.calendar;
    const Texts& T = app.texts;
    const FontRoles& f = app.fonts();
    if (C.today() != app.today()) C.reset(app.today());   // a new day at the kiosk
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float pad = display.x < 700 ? 16 : 32;
    const float pw = std::min(display.x - 24, 920.0f);
    float inner = pw - 2 * pad;
    const bool narrow = inner < 600;   // a phone: the month on its own row, the arrows under it
    const float cell_h0 = std::max(64.0f, f.body->FontSize * 2.4f);
    const std::vector<std::string> grid = C.grid();
    int weeks = 0;
    for (int week = 0; week < 6; ++week)
        for (int d = 0; d < 7; ++d)
            if (!grid[static_cast<std::size_t>(week * 7 + d)].empty()) {
                ++weeks;
                break;
            }
    const float ph = pad + f.heading->FontSize + 16 + kButtonH + (narrow ? f.bold->FontSize + 12 : 0) + 12 +
                     f.small->FontSize + 10 + weeks * cell_h0 + 16 + f.body->FontSize * 2 + 20 + kButtonH + 12 +
                     kButtonH + pad;
    // Sized to what the last frame drew (the estimate above only for the first frame).
    const float shown_h = std::min(V.calendar_content_h > 0 ? V.calendar_content_h + 16 : ph, display.y - 16);
    const ImVec2 a = begin_layer("##calendar", ImVec2(pw, shown_h), rgb(0, 0, 0, 120));
    // A phone or the largest text may not fit it all: the panel then scrolls by touch.
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, a.y + 8));
    ImGui::BeginChild("calendar-scroll", ImVec2(pw - pad - 8, shown_h - 16), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    // Inside the scroll area: its scrollbar (when shown) takes part of the width.
    inner = std::min(inner, ImGui::GetContentRegionAvail().x);
    const float cell_w = inner / 7.0f;
    const float cell_h = std::min(cell_h0, cell_w * 1.2f + 24);
    gap(pad - 8);
    ui::text(T.get("filter.when.pick"), f.heading, kText, inner);
    gap(8);
    const std::string month = T.fmt("calendar.month", {{"y", std::to_string(C.year())}, {"m", std::to_string(C.month())},
                                                       {"name", T.get("calendar.month." + std::to_string(C.month()))}});
    const ImVec2 ms = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, month.c_str());
    if (narrow) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddText(f.bold, f.bold->FontSize, ImVec2(p.x + (inner - ms.x) * 0.5f, p.y), kText,
                                            month.c_str());
        ImGui::Dummy(ImVec2(inner, f.bold->FontSize + 12));
    }
    const float nav_w = narrow ? (inner - 12) * 0.5f : std::max(kButtonH * 1.6f, inner * 0.26f);
    if (ui::button("cal-prev", T.get("calendar.prev"), ImVec2(nav_w, kButtonH), ui::Tone::Secondary, nullptr,
                   C.can_go_back()))
        C.prev_month();
    ImGui::SameLine(0, narrow ? 12 : 0);
    if (!narrow) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float mid_w = inner - 2 * nav_w;
        ImGui::GetWindowDrawList()->AddText(f.bold, f.bold->FontSize,
                                            ImVec2(p.x + (mid_w - ms.x) * 0.5f, p.y + (kButtonH - ms.y) * 0.5f), kText,
                                            month.c_str());
        ImGui::Dummy(ImVec2(mid_w, kButtonH));
        ImGui::SameLine(0, 0);
    }
    if (ui::button("cal-next", T.get("calendar.next"), ImVec2(nav_w, kButtonH), ui::Tone::Secondary)) C.next_month();
    gap(6);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        for (int d = 0; d < 7; ++d) {
            const std::string name = T.get("calendar.weekday." + std::to_string(d));
            const ImVec2 ts = f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, name.c_str());
            const ImU32 col = d == 0 ? kRed : (d == 6 ? kPrimary : kMuted);
            dl->AddText(f.small, f.small->FontSize, ImVec2(p.x + cell_w * d + (cell_w - ts.x) * 0.5f, p.y), col,
                        name.c_str());
        }
        ImGui::Dummy(ImVec2(inner, f.small->FontSize + 6));
    }
    for (int week = 0; week < 6; ++week) {
        bool any = false;
        for (int d = 0; d < 7; ++d) any = any || !grid[static_cast<std::size_t>(week * 7 + d)].empty();
        if (!any) continue;
        for (int d = 0; d < 7; ++d) {
            const std::string& ymd = grid[static_cast<std::size_t>(week * 7 + d)];
            if (d > 0) ImGui::SameLine(0, 0);
            if (ymd.empty()) {
                ImGui::Dummy(ImVec2(cell_w, cell_h));
                continue;
            }
            const bool past = ymd < C.today();
            const std::string day = std::to_string(std::stoi(ymd.substr(8, 2)));
            ImGui::PushID(ymd.c_str());
            const std::string id = "cal-day:" + ymd;
            if (ui::button(id.c_str(), day.c_str(), ImVec2(cell_w - 6, cell_h - 6),
                           C.in_span(ymd) ? ui::Tone::Primary : ui::Tone::Secondary,
                           ymd == C.today() ? f.bold : nullptr, !past)) {
                C.tap(ymd);
                L.set_when(DateRange::Picked, C.span());
            }
            ImGui::PopID();
        }
    }
    gap(10);
    // What is picked, in words.
    const DaySpan& sp = C.span();
    std::string said = T.get("calendar.hint");
    if (!sp.from.empty())
        said = sp.from == sp.to ? T.fmt("calendar.picked_day", {{"day", date_text(app, sp.from)}})
                                : T.fmt("calendar.picked_range", {{"from", date_text(app, sp.from)}, {"to", date_text(app, sp.to)}});
    ui::text(said.c_str(), f.body, kText, inner);
    gap(10);
    const std::string shown = T.fmt("calendar.done", {{"n", std::to_string(L.result().total)}});
    // Side by side on a kiosk screen, one under the other on a phone.
    const float done_w = narrow ? inner : (inner - 12) * 0.6f;
    if (ui::button("cal-done", shown.c_str(), ImVec2(done_w, kButtonH), ui::Tone::Primary, f.bold))
        V.calendar_open = false;
    if (narrow) gap(8);
    else ImGui::SameLine(0, 12);
    if (ui::button("cal-clear", T.get("calendar.clear"), ImVec2(narrow ? inner : inner - 12 - done_w, kButtonH),
                   ui::Tone::Secondary)) {
        C.clear();
        L.set_when(DateRange::Any);
        V.calendar_open = false;
    }
    gap(pad - 8);
    V.calendar_content_h = ImGui::GetCursorPosY();
    ImGui::EndChild();
    end_layer();
}

void draw_filters(Shell& app) {
    ListingState& L = app.view<ListingsView>().listing;
    const ListingFilters& F = L.filters();
    const Texts& T = app.texts;

    // By date, judged by the kiosk's own today (ListingState::set_today).
    section(app, "filter.when");
    ui::begin_chips();
    {
        static constexpr std::pair<DateRange, const char*> kWhen[] = {
            {DateRange::Today, "filter.when.today"}, {DateRange::ThisWeek, "filter.when.week"},
            {DateRange::ThisWeekend, "filter.when.weekend"}, {DateRange::ThisMonth, "filter.when.month"}};
        ListingsView& V = app.view<ListingsView>();
        if (ui::chip("when-any", T.get("filter.any"), F.when == DateRange::Any)) {
            L.set_when(DateRange::Any);
            V.calendar_open = false;
        }
        for (const auto& [r, key] : kWhen) {
            // Its own id ("filter.when.weekend"): tests tap a range by name.
            if (ui::chip(key, T.get(key), F.when == r)) {
                L.set_when(F.when == r ? DateRange::Any : r);
                V.calendar_open = false;
            }
        }
        if (ui::chip("when-pick", T.get("filter.when.pick"), F.when == DateRange::Picked || V.calendar_open)) {
            V.calendar_open = !V.calendar_open;
            // Opened afresh: this month, nothing picked yet (a pick in force stays shown).
            if (V.calendar_open && F.when != DateRange::Picked) V.calendar.reset(app.today());
        }
    }
    ui::end_chips();
    gap(4);
    bool show_ended = F.show_ended;
    if (ui::toggle("show-ended", T.get("filter.show_ended"), &show_ended)) L.set_show_ended(show_ended);

    section(app, "filter.kind");
    ui::begin_chips();
    if (ui::chip("kind-any", T.get("filter.any"), !F.kind)) L.set_kind(std::nullopt);
    for (ActivityKind kind : listing_kinds()) {   // never slots or items: they are not listings
        const int k = static_cast<int>(kind);
        ImGui::PushID(k);
        if (ui::chip("kind", T.kind(kind), F.kind == kind)) L.set_kind(F.kind == kind ? std::nullopt : std::optional(kind));
        ImGui::PopID();
    }
    ui::end_chips();

    section(app, "filter.field");
    ui::begin_chips();
    if (ui::chip("field-any", T.get("filter.any"), F.field.empty())) L.set_field("");
    for (const auto& field : standard_fields()) {
        ImGui::PushID(field.c_str());
        std::string label = T.field(field);
        if (ui::chip("field", label.c_str(), F.field == field)) L.set_field(F.field == field ? "" : field);
        ImGui::PopID();
    }
    ui::end_chips();

    if (!app.centres.empty()) {
        section(app, "filter.centre");
        ui::begin_chips();
        if (ui::chip("centre-any", T.get("filter.any"), F.centre_id.empty())) L.set_centre("");
        for (const auto& c : app.centres) {
            ImGui::PushID(c.id.c_str());
            if (ui::chip("centre", c.name.c_str(), F.centre_id == c.id)) L.set_centre(F.centre_id == c.id ? "" : c.id);
            ImGui::PopID();
        }
        ui::end_chips();
    }

    section(app, "filter.form");
    ui::begin_chips();
    if (ui::chip("form-any", T.get("filter.any"), !F.form)) L.set_form(std::nullopt);
    for (Form fm : all_forms()) {
        ImGui::PushID(static_cast<int>(fm));
        if (ui::chip("form", T.form(fm), F.form == fm)) L.set_form(F.form == fm ? std::nullopt : std::optional(fm));
        ImGui::PopID();
    }
    ui::end_chips();

    section(app, "filter.method");
    ui::begin_chips();
    if (ui::chip("method-any", T.get("filter.any"), !F.method)) L.set_method(std::nullopt);
    for (Method m : all_methods()) {
        ImGui::PushID(static_cast<int>(m));
        if (ui::chip("method", T.method(m), F.method == m)) L.set_method(F.method == m ? std::nullopt : std::optional(m));
        ImGui::PopID();
    }
    ui::end_chips();
    gap(8);
}

// A card's height follows the text size (large / extra large text must not spill).
float card_height(const Shell& app) {
    const FontRoles& f = app.fonts();
    return 22 + f.small->FontSize + 14 + 14 + ruby_band(app, f.bold) + f.bold->FontSize + 14 + f.small->FontSize + 12 +
           f.small->FontSize + 24;
}

void draw_card(Shell& app, const Activity& a, float width) {
    const FontRoles& f = app.fonts();
    const float h = card_height(app), pad = 28;
    ImGui::PushID(a.id.c_str());
    bool tapped = ui::card("card", ImVec2(width, h));
    ImGui::PopID();
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    int k = static_cast<int>(a.kind);
    dl->AddRectFilled(p, ImVec2(p.x + 12, q.y), kind_colour(k), kRadius, ImDrawFlags_RoundCornersLeft);

    float x = p.x + pad + 8, y = p.y + 22;
    ImVec2 bs;
    ui::badge(dl, ImVec2(x, y), app.texts.kind(a.kind), kSurface, kind_colour(k), nullptr, &bs, q.x - pad - x);
    float bx = x + bs.x + 12;
    for (std::size_t i = 0; i < a.fields.size() && i < 3; ++i) {
        std::string fl = app.texts.field(a.fields[i]);
        ImVec2 fs = ui::badge_size(fl.c_str());
        if (bx + fs.x > q.x - 260) break;
        ui::badge(dl, ImVec2(bx, y), fl.c_str(), kText, kFooter);
        bx += fs.x + 10;
    }
    // Places: the one thing people scan for. An ended one says so instead (終了), never
    // a green "places left" for something that is over.
    int left = a.places_left();
    if (has_ended(a, app.today())) {
        const char* s = app.texts.get("listings.ended");
        ImVec2 ps = ui::badge_size(s, f.bold);
        ui::badge(dl, ImVec2(q.x - pad - ps.x, y), s, kSurface, kMuted, f.bold);
    } else if (left >= 0) {
        std::string s = left > 0 ? app.texts.fmt("listings.places_left", {{"n", std::to_string(left)}})
                                 : std::string(app.texts.get("listings.full"));
        ImVec2 ps = ui::badge_size(s.c_str(), f.bold);
        ui::badge(dl, ImVec2(q.x - pad - ps.x, y), s.c_str(), left > 0 ? kGreen : kRed,
                  left > 0 ? kGreenSoft : kRedSoft, f.bold);
    }
    y += bs.y + 14 + ruby_band(app, f.bold);   // the title's furigana above it, when on
    float tw = q.x - x - pad;
    ui::ruby_clipped(dl, f.bold, ImVec2(x, y), tw, 1, kText, a.title.c_str(), readings(app, a, RubyField::Title));
    y += f.bold->FontSize + 14;
    std::string meta = when_text(app, a);
    std::string where = a.place.empty() ? app.centre_name(a.centre_id) : a.place;
    if (!where.empty()) meta += (meta.empty() ? "" : "　｜　") + where;
    if (!meta.empty()) ui::text_clipped(dl, f.small, ImVec2(x, y), tw, 1, kMuted, meta.c_str());
    y += f.small->FontSize + 12;
    ui::text_clipped(dl, f.small, ImVec2(x, y), tw, 1, kText, a.summary.c_str());
    if (tapped) app.view<DetailView>().open(app, a.id);
}

// While the search is typed the keyboard takes most of the screen: results follow the
// typing as one line each (kind colour, title, date), still a full-width touch target, so
// the resident sees what the words find without closing the keyboard.
float row_height(const Shell& app) {
    return std::max(56.0f, app.fonts().bold->FontSize + 22) + ruby_band(app, app.fonts().bold);
}

void draw_row(Shell& app, const Activity& a, float width) {
    const FontRoles& f = app.fonts();
    const float h = row_height(app), pad = 20;
    ImGui::PushID(a.id.c_str());
    const bool tapped = ui::card("row", ImVec2(width, h));
    ImGui::PopID();
    const ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + 10, q.y), kind_colour(static_cast<int>(a.kind)), kRadius,
                      ImDrawFlags_RoundCornersLeft);
    // On a phone the title takes the row: beside it, both were cut to a few characters
    // (協働に… 令和8年…). An ended one still says so.
    const bool ended = has_ended(a, app.today());
    const std::string when = ended ? app.texts.get("listings.ended") : width < 600 ? "" : when_text(app, a);
    const float ww = when.empty() ? 0.0f
                                  : std::min(width * 0.4f, f.small->CalcTextSizeA(f.small->FontSize, FLT_MAX, 0, when.c_str()).x);
    const float x = p.x + pad + 6, tw = q.x - pad - ww - (when.empty() ? 0 : 16) - x;
    const float band = ruby_band(app, f.bold);   // furigana above the title, when on
    ui::ruby_clipped(dl, f.bold, ImVec2(x, p.y + (h - f.bold->FontSize + band) * 0.5f), tw, 1, kText, a.title.c_str(),
                     readings(app, a, RubyField::Title));
    if (!when.empty())
        ui::text_clipped(dl, f.small, ImVec2(q.x - pad - ww, p.y + (h - f.small->FontSize) * 0.5f), ww, 1, kMuted,
                         when.c_str());
    if (tapped) app.view<DetailView>().open(app, a.id);
}

// Less than one row's room between the box and the keys (a phone at 特大, or with furigana
// over the titles): one line says how many the words find, and a tap on it closes the
// keyboard so they show as cards. A resident never types blind; a row cut in half would be
// neither readable nor a fair touch target.
void draw_found_line(Shell& app, float width, float height) {
    ListingState& L = app.view<ListingsView>().listing;
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const float line_h = std::min(height, kButtonH);
    if (line_h < f.bold->FontSize + 12) return;   // not even a line: the keys come first
    if (!L.error().empty() || L.result().total == 0) {
        const char* said = T.get(!L.error().empty() ? "listings.error" : "listings.typing.none");
        ui::text(said, f.bold, L.error().empty() ? kMuted : kRed, width);
        return;
    }
    const std::string count = T.fmt(L.count_key(), {{"n", std::to_string(L.result().total)}});
    const std::string label = T.fmt("listings.typing.found", {{"count", count}});
    if (ui::button("typing-found", label.c_str(), ImVec2(width, line_h), ui::Tone::Secondary, f.bold)) {
        app.keyboard.kb.close();
        app.request_redraw();
    }
}

void draw_typing_results(Shell& app, float width, float height) {
    ListingState& L = app.view<ListingsView>().listing;
    if (height < row_height(app)) {
        draw_found_line(app, width, height);
        return;
    }
    ImGui::BeginChild("results", ImVec2(width, height), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    const auto& items = L.result().items;
    if (!L.error().empty()) {
        ui::banner(app.texts.get("listings.error"), kRed, kRedSoft);
    } else if (items.empty()) {
        ui::banner(app.texts.get(L.query().empty() ? "listings.empty_catalog" : "listings.none"), kPrimary, kPrimarySoft);
    }
    const float cw = width - ImGui::GetStyle().ScrollbarSize - 8;
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(items.size()), row_height(app) + ImGui::GetStyle().ItemSpacing.y);
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) draw_row(app, items[static_cast<std::size_t>(i)], cw);
    ImGui::EndChild();
}

void draw_results(Shell& app, float width, float height) {
    ListingState& L = app.view<ListingsView>().listing;
    const FontRoles& f = app.fonts();
    const float pager_h = kButtonH + 20;
    if (height < pager_h + kButtonH) return;   // the keyboard took the room: the results wait
    ImGui::BeginChild("results", ImVec2(width, height - pager_h), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    if (!L.error().empty()) {
        ui::banner(app.texts.get("listings.error"), kRed, kRedSoft);
    } else if (L.result().items.empty()) {
        gap(20);
        bool filtered = !L.query().empty() || L.filters().active_count() > 0;
        ui::banner(app.texts.get(filtered ? "listings.none" : "listings.empty_catalog"), kPrimary, kPrimarySoft);
    }
    float cw = width - ImGui::GetStyle().ScrollbarSize - 8;
    // Only the cards in view are laid out and drawn (a page may be long).
    const auto& items = L.result().items;
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(items.size()), card_height(app) + ImGui::GetStyle().ItemSpacing.y);
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) draw_card(app, items[static_cast<std::size_t>(i)], cw);
    ImGui::EndChild();

    // Pager.
    gap(4);
    // The buttons take what "1/4" leaves between them (a third each left "‹ Previous" no room
    // on a phone at 特大).
    const std::string short_pg = std::to_string(L.page() + 1) + "/" + std::to_string(L.page_count());
    const float short_w = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, short_pg.c_str()).x;
    float bw = std::min(220.0f, std::max((width - 2 * kGap) / 3, (width - short_w - 2 * kGap) / 2));
    bool has_prev = L.page() > 0, has_next = L.page() + 1 < L.page_count();
    float x0 = ImGui::GetCursorPosX();
    if (ui::button("prev", app.texts.get("listings.prev"), ImVec2(bw, kButtonH), ui::Tone::Secondary, nullptr, has_prev))
        L.prev_page();
    // Between the two buttons: "1 / 4 ページ", or just "1/4" when that does not fit.
    std::string pg = app.texts.fmt("listings.page", {{"page", std::to_string(L.page() + 1)},
                                                     {"pages", std::to_string(L.page_count())}});
    if (f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, pg.c_str()).x > width - 2 * bw - 2 * kGap)
        pg = std::to_string(L.page() + 1) + "/" + std::to_string(L.page_count());
    ImGui::SameLine();
    float tw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, pg.c_str()).x;
    ImVec2 cp = ImGui::GetCursorScreenPos();
    float mid = x0 + width * 0.5f;
    ImGui::GetWindowDrawList()->AddText(f.bold, f.bold->FontSize,
                                        ImVec2(cp.x - ImGui::GetCursorPosX() + mid - tw * 0.5f,
                                               cp.y + (kButtonH - f.bold->FontSize) * 0.5f),
                                        kText, pg.c_str());
    ImGui::SetCursorPosX(x0 + width - bw);
    if (ui::button("next", app.texts.get("listings.next"), ImVec2(bw, kButtonH), ui::Tone::Secondary, nullptr, has_next))
        L.next_page();
}

}  // namespace

void ListingsView::draw(Shell& app) {
    draw_page(app);
    ui::keyboard_panel(app);   // over the bottom of the page while the search is typed
    if (calendar_open) {
        listing.refresh(app.store());   // the count on its button follows each tap
        draw_calendar(app);
    }
}

void ListingsView::draw_page(Shell& app) {
    listing.set_today(app.today());   // ended ones hidden, quick ranges from the kiosk's today
    listing.refresh(app.store());
    ListingState& L = listing;
    const FontRoles& f = app.fonts();
    float w = begin_page();

    // Title row with the count on the right.
    // Narrow windows (phone width): the filters collapse into a drawer, the count goes
    // under the title, the clear button into the drawer.
    const bool drawer = app.narrow();
    // Typing a search: the keyboard covers the bottom of the screen, so the title row and
    // the filters step aside and the results go right under the box (draw_typing_results).
    const bool typing = app.keyboard.kb.is_open_for("listings.search");
    ImVec2 row = ImGui::GetCursorPos();
    std::string count = app.texts.fmt(L.count_key(), {{"n", std::to_string(L.result().total)}});
    float cw = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, count.c_str()).x;
    if (!drawer && !typing) ui::title_text(app.texts.get("listings.title"), f.title, kText, w - cw - kGap);
    ImVec2 after = ImGui::GetCursorPos();
    if (!drawer && !typing) {
        ImGui::SetCursorPos(ImVec2(row.x + w - cw, row.y + (f.title->FontSize - f.heading->FontSize)));
        ui::text(count.c_str(), f.heading, kPrimary);
        ImGui::SetCursorPos(after);
    }

    // Search box: results follow the text as it is typed. A tap opens the on-screen
    // keyboard (an ImGui text box showed a caret and no keyboard: a touch-only resident
    // could not search at all).
    std::string q = L.query();
    const float clear_w = drawer ? 0 : 280;
    if (ui::kb_input(app, FieldSpec{"listings.search", InputKind::Text, 100}, nullptr, nullptr, false, &q,
                     app.texts.get("listings.search.hint"), nullptr, ImVec2(drawer ? w : w - clear_w - kGap, 0))) {
        app.note_text(q);
        L.set_query(q);
    }
    bool any = !L.query().empty() || L.filters().active_count() > 0;
    float input_h = f.body->FontSize * (1.0f + 44.0f / 30.0f);   // kb_input's one-line box
    if (!drawer) {
        ImGui::SameLine(0, kGap);
        if (typing) {
            // The count where the clear button was: how many the words find, as they are typed.
            const ImVec2 cp = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddText(f.heading, f.heading->FontSize,
                                                ImVec2(cp.x + clear_w - cw, cp.y + (input_h - f.heading->FontSize) * 0.5f),
                                                kPrimary, count.c_str());
            ImGui::Dummy(ImVec2(clear_w, input_h));
        } else if (ui::button("clear", app.texts.get("filter.clear"), ImVec2(clear_w, input_h), ui::Tone::Secondary,
                              nullptr, any)) {
            L.clear();
        }
    }
    if (!typing) gap(6);
    // Typing on a phone: the results start close under the box (the item spacing left the
    // first row 2 px short of its room at 390x844).
    else if (drawer) ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + 8);

    // The open keyboard takes the bottom of the page: the results give it that much. On a
    // phone the box above shows what is typed, so the keyboard leaves out its own copy of the
    // text: that line's room goes to the results (issue 9 point 1: a resident typed blind).
    if (typing && drawer) ui::keyboard_field_in_view();
    const float kbd_h = ui::keyboard_height(app);
    float h = ImGui::GetContentRegionAvail().y - kMargin * 0.5f - kbd_h;
    if (typing) {
        h += kMargin * 0.5f;   // the keyboard's own frame is the margin
        draw_typing_results(app, w, h);
        return;
    }
    if (drawer) {
        // [しぼりこみ (2)] [12 件] — the drawer replaces the results while it is open.
        std::string label = std::string(app.texts.get("filter.title"));
        if (L.filters().active_count() > 0) label += " (" + std::to_string(L.filters().active_count()) + ")";
        float bw = w * 0.55f;
        if (ui::button("filters", label.c_str(), ImVec2(bw, kButtonH),
                       app.view<ListingsView>().filters_open ? ui::Tone::Primary : ui::Tone::Secondary)) {
            app.view<ListingsView>().filters_open = !app.view<ListingsView>().filters_open;
            app.request_redraw();
        }
        ImGui::SameLine(0, kGap);
        ImVec2 cp = ImGui::GetCursorScreenPos();
        // The count in what is left of the row, smaller if it would touch the button.
        const float room = w - bw - kGap;
        const float fs = f.heading->FontSize * (cw > room ? room / cw : 1.0f), tw = std::min(cw, room);
        ui::add_text(ImGui::GetWindowDrawList(), f.heading, fs, ImVec2(cp.x + room - tw, cp.y + (kButtonH - fs) * 0.5f),
                                            kPrimary, count.c_str());
        ImGui::NewLine();
        gap(2);
        h = ImGui::GetContentRegionAvail().y - kMargin * 0.5f - kbd_h;
        if (h < kButtonH) return;   // typing on a phone: the keyboard needs the room
        if (app.view<ListingsView>().filters_open) {
            ImVec2 a = ImGui::GetCursorScreenPos();
            ui::panel_bg(a, ImVec2(a.x + w, a.y + h));
            ImGui::SetCursorScreenPos(ImVec2(a.x + 16, a.y + 8));
            ImGui::BeginChild("filters", ImVec2(w - 24, h - 16), false, ImGuiWindowFlags_NoScrollWithMouse);
            ui::touch_scroll();
            if (ui::button("clear", app.texts.get("filter.clear"), ImVec2(-1, kButtonH), ui::Tone::Secondary, nullptr, any))
                L.clear();
            bool only_open = L.filters().only_open;
            if (ui::toggle("only-open", app.texts.get("filter.only_open"), &only_open)) L.set_only_open(only_open);
            draw_filters(app);
            ImGui::EndChild();
            return;
        }
        ImGui::BeginGroup();
        draw_results(app, w, h);
        ImGui::EndGroup();
        return;
    }
    bool side = w >= 1400;
    float panel_w = side ? 560 : w;
    float panel_h = side ? h : 430;
    {
        ImVec2 a = ImGui::GetCursorScreenPos();
        ui::panel_bg(a, ImVec2(a.x + panel_w, a.y + panel_h));
        ImGui::SetCursorScreenPos(ImVec2(a.x + 24, a.y + 8));
        ImGui::BeginChild("filters", ImVec2(panel_w - 32, panel_h - 16), false, ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        ImGui::PushTextWrapPos(panel_w - 60);
        bool only_open = L.filters().only_open;
        if (ui::toggle("only-open", app.texts.get("filter.only_open"), &only_open)) L.set_only_open(only_open);
        ImGui::PopTextWrapPos();
        draw_filters(app);
        ImGui::EndChild();
        if (side) {
            ImGui::SetCursorScreenPos(ImVec2(a.x + panel_w + kGap, a.y));
        } else {
            ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + panel_h + kGap));
        }
    }
    float rw = side ? w - panel_w - kGap : w;
    float rh = side ? h : h - panel_h - kGap;
    ImGui::BeginGroup();
    draw_results(app, rw, rh);
    ImGui::EndGroup();
}

void ListingsView::preview(Shell& app, Screen) { app.go(Screen::Listings); }

}  // namespace kyodo::app::screens
