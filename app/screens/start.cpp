// The start screen: large entry buttons for every flow (探す, ボランティア募集, ご意見箱,
// アンケート, パブリックコメント, 提案する, 団体を知る) and what is on at this centre today
// and in the coming week.
#include <algorithm>
#include <optional>

#include "app/model/line_pitch.h"
#include "app/screens/start.h"
#include "app/screens/booking.h"
#include "app/screens/cancel.h"
#include "app/screens/listings.h"
#include "app/screens/detail.h"
#include "app/screens/opinion.h"
#include "app/screens/survey.h"
#include "app/screens/groups.h"
#include "app/screens/items.h"
#include "app/screens/talent.h"
#include "app/screens/public_comment.h"
#include "app/screens/proposal.h"
#include "app/screens/organizations.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

// How a tile's title is drawn in `inner` px (app/README.md, "Layout rules"): at its own size
// when it fits on one line; else shrunk to one line down to 70 %; else at the largest size
// from 70 % down to the standard body size (30 px) whose lines break only between words
// (パブリックコメ/ント at 特大 on a phone); else at that floor, reported as cut.
struct TitleFit {
    float size = 0;
    ImVec2 box;
    bool whole = true;   // no word split, nothing wider than `inner`
};

constexpr float kTitleFloorPx = 30;   // the standard body size: a title never goes smaller

TitleFit fit_title(ImFont* font, const char* title, float inner) {
    TitleFit t;
    const float fs0 = font->FontSize;
    const float w1 = font->CalcTextSizeA(fs0, FLT_MAX, 0, title).x;
    const float floor_px = std::min(fs0, kTitleFloorPx);
    auto fits = [&](float fs) {
        const ImVec2 box = ui::wrapped_size(font, fs, inner, title);
        return box.x <= inner + 0.5f && !ui::wrap_splits_word(font, fs, inner, title);
    };
    if (w1 <= inner || w1 <= 0) {
        t.size = fs0;
    } else if (w1 * 0.7f <= inner) {
        t.size = fs0 * (inner - 1) / w1;   // one line
    } else {
        t.size = 0;
        for (float fs = fs0 * 0.7f; fs >= floor_px; fs -= 1.0f)
            if (fits(fs)) {
                t.size = fs;
                break;
            }
        if (t.size == 0) t.size = std::max(floor_px, fs0 * (inner - 1) / w1);
    }
    t.box = ui::wrapped_size(font, t.size, inner, title);
    t.whole = fits(t.size);
    return t;
}

// A tile's geometry: its text starts `pad` in, its arrow sits `arrow` from the right edge, and
// the text stops 12 px short of the arrow (the arrow spans 12 px left and 14 px right of it).
struct TileGeometry {
    float pad, arrow, inner;
};
TileGeometry tile_geometry(float width) {
    const bool narrow = width < 500;   // a phone: the text gets more of the width
    TileGeometry g;
    g.pad = narrow ? 26 : 44;
    g.arrow = narrow ? 28 : 44;
    g.inner = width - g.pad - g.arrow - 12 - 12;
    return g;
}

constexpr float kTileMinH = 96;
constexpr float kTileTextPadY = 14;   // above and below the title at least

bool tile(Shell& app, const char* id, const char* title_key, const char* desc_key, ImU32 accent, ImVec2 size) {
    bool tapped = ui::card(id, size);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + 16, b.y), accent, kRadius, ImDrawFlags_RoundCornersLeft);
    const FontRoles& f = app.fonts();
    const TileGeometry g = tile_geometry(size.x);
    const float pad = g.pad, inner = g.inner;
    const char* title = app.texts.get(title_key);
    const char* desc = app.texts.get(desc_key);
    const TitleFit fit = fit_title(f.heading, title, inner);
    const float title_fs = fit.size;
    const ImVec2 title_sz = fit.box;
    if (!fit.whole || title_sz.y > size.y - 2 * kTileTextPadY + 0.5f) ui::note_overflow(id, title, title_sz.x, inner);
    float desc_h = ui::wrapped_size(f.small, f.small->FontSize, inner, desc).y;
    // Two lines of description at most (running text: 1.5 sizes a line, model/line_pitch.h).
    if (desc_h > block_height(2, f.small->FontSize, TextRole::Body) + 0.5f || size.y < 130 ||
        title_sz.y + 10 + desc_h > size.y - 24)
        desc_h = 0;   // no room: the title alone
    float text_h = title_sz.y + (desc_h > 0 ? 10 + desc_h : 0);
    float y = a.y + (size.y - text_h) * 0.5f;
    ui::draw_wrapped(dl, f.heading, title_fs, ImVec2(a.x + pad, y), kText, title, inner);
    if (desc_h > 0)
        ui::draw_wrapped(dl, f.small, f.small->FontSize, ImVec2(a.x + pad, y + title_sz.y + 10), kMuted, desc, inner);
    float cx = b.x - g.arrow, cy = (a.y + b.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 9, cy - 20), ImVec2(cx + 11, cy), accent, 6);
    dl->AddLine(ImVec2(cx + 11, cy), ImVec2(cx - 9, cy + 20), accent, 6);
    ui::note_rect(std::string("tile-title:") + id, ImVec2(a.x + pad, y), ImVec2(a.x + pad + title_sz.x, y + title_sz.y));
    ui::note_rect(std::string("tile-arrow:") + id, ImVec2(cx - 12, cy - 23), ImVec2(cx + 14, cy + 23));
    return tapped;
}

struct TileSpec {
    const char* id;
    const char* title_key;
    bool full_width;
};
constexpr TileSpec kTiles[] = {
    {"find", "start.find", true},       {"volunteer", "start.volunteer", false}, {"opinion", "start.opinion", false},
    {"survey", "start.survey", false},  {"comment", "start.comment", false},     {"proposal", "start.proposal", false},
    {"orgs", "start.orgs", false},      {"talent", "start.talent", false},       {"groups", "start.groups", false},
    {"booking", "start.booking", false}, {"items", "start.items", false},       {"cancel", "start.cancel", true},
};

bool two_columns(float w) { return w >= 760; }
int tile_rows(float w) { return two_columns(w) ? 7 : 12; }

// The height every tile needs for its title (the tallest title decides, so rows line up).
float tile_need_h(Shell& app, float w) {
    const float col = two_columns(w) ? (w - kGap) * 0.5f : w;
    float need = kTileMinH;
    for (const TileSpec& t : kTiles) {
        const float inner = tile_geometry(t.full_width ? w : col).inner;
        need = std::max(need, fit_title(app.fonts().heading, app.texts.get(t.title_key), inner).box.y + 2 * kTileTextPadY);
    }
    return need;
}

// The least height the tiles take at width `w` (rows at their needed height, 6 px apart).
float tiles_min_h(Shell& app, float w) {
    const int rows = tile_rows(w);
    return tile_need_h(app, w) * static_cast<float>(rows) + 6.0f * static_cast<float>(rows - 1);
}

void draw_tiles(Shell& app, float w, float h) {
    const bool two = two_columns(w);
    const float col = two ? (w - kGap) * 0.5f : w;
    const int rows = tile_rows(w);
    float th = (h - kGap * (rows - 1)) / rows;
    th = std::clamp(th, kTileMinH, 220.0f);
    th = std::max(th, tile_need_h(app, w));   // a title's lines never run past its tile
    // Tiles at their minimum take less air between rows rather than run past `h` (the
    // last row sat under the privacy line at 1920x1080).
    const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
    const float row_gap = std::clamp((h - th * static_cast<float>(rows)) / static_cast<float>(rows - 1), 6.0f, spacing.y);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing.x, row_gap));
    auto open_listing = [&](std::optional<ActivityKind> kind) {
        ListingState& L = app.view<ListingsView>().listing;
        L.clear();
        if (kind) L.set_kind(*kind);
        app.go(Screen::Listings);
    };
    if (tile(app, "find", "start.find", "start.find.desc", kPrimary, ImVec2(w, th))) open_listing(std::nullopt);
    if (tile(app, "volunteer", "start.volunteer", "start.volunteer.desc", kind_colour(2), ImVec2(col, th)))
        open_listing(ActivityKind::Volunteer);
    if (two) ImGui::SameLine(0, kGap);
    if (tile(app, "opinion", "start.opinion", "start.opinion.desc", kind_colour(4), ImVec2(col, th)))
        app.view<OpinionView>().start(app, "");
    if (tile(app, "survey", "start.survey", "start.survey.desc", kind_colour(3), ImVec2(col, th))) app.view<SurveyView>().start(app, "");
    if (two) ImGui::SameLine(0, kGap);
    if (tile(app, "comment", "start.comment", "start.comment.desc", kind_colour(4), ImVec2(col, th)))
        app.view<PublicCommentView>().start(app, "");
    if (tile(app, "proposal", "start.proposal", "start.proposal.desc", kind_colour(5), ImVec2(col, th)))
        app.view<ProposalView>().start(app, "");
    if (two) ImGui::SameLine(0, kGap);
    if (tile(app, "orgs", "start.orgs", "start.orgs.desc", kind_colour(0), ImVec2(col, th))) app.view<OrganizationsView>().open_directory(app);
    if (tile(app, "talent", "start.talent", "start.talent.desc", kind_colour(2), ImVec2(col, th))) app.view<TalentView>().start(app);
    if (two) ImGui::SameLine(0, kGap);
    if (tile(app, "groups", "start.groups", "start.groups.desc", kind_colour(0), ImVec2(col, th))) app.view<GroupsView>().start(app);
    // Rooms, equipment and consultations (the consultation desk is offered on its first page).
    if (tile(app, "booking", "start.booking", "start.booking.desc", kind_colour(1), ImVec2(col, th)))
        app.view<BookingView>().start(app, BookingMode::Facility);
    if (two) ImGui::SameLine(0, kGap);
    // Things city hall gives away (不用物品の提供): registered groups ask for them.
    if (tile(app, "items", "start.items", "start.items.desc", kind_colour(5), ImVec2(col, th))) app.view<ItemsView>().start(app);
    // Check or cancel a sign-up or booking made at this kiosk (receipt number and check code), offline too.
    if (tile(app, "cancel", "start.cancel", "start.cancel.desc", kMuted, ImVec2(w, th))) app.view<CancelView>().start(app);
    ImGui::PopStyleVar();
}

void board_list(Shell& app, const char* title, const std::string& date, const std::vector<Activity>& items,
                const char* none_key, float w) {
    const FontRoles& f = app.fonts();
    std::string head = std::string(title) + (date.empty() ? "" : "　" + date);
    ui::text(head.c_str(), f.heading, kText, w);
    gap(4);
    if (items.empty()) {
        ui::text(app.texts.get(none_key), f.body, kMuted, w);
        return;
    }
    for (const auto& a : items)
        if (activity_row(app, a, w)) {
            app.view<DetailView>().open(app, a.id);
            break;
        }
}

void draw_board(Shell& app, float w) {
    StartBoard& B = app.view<StartView>().board;
    const std::string centre = app.home_centre_name.empty() ? std::string(app.texts.get("start.board.centre"))
                                                            : app.home_centre_name;
    ui::text(app.texts.fmt("start.board.title", {{"centre", centre}}).c_str(), app.fonts().bold, kMuted, w);
    gap(6);
    board_list(app, app.texts.get("start.today"), date_text(app, B.today), B.on_today, "start.today.none", w);
    gap(18);
    board_list(app, app.texts.get("start.week"), "", B.this_week, "start.week.none", w);
}

}  // namespace

void StartView::draw(Shell& app) {
    board.refresh(app.store(), app.submit_context().centre_id, app.today());
    float w = begin_page(1760);
    const FontRoles& f = app.fonts();
    const bool side = w >= 1400;
    const char* privacy = app.texts.get("start.privacy");
    const char* welcome = app.texts.get("start.welcome");
    const char* lead = app.texts.get("start.lead");
    const float spacing_y = ImGui::GetStyle().ItemSpacing.y;
    if (side) {
        // Landscape: the tiles take the whole height (seven rows of two since booking and
        // items joined them) and the privacy line sits under the schedule in the right
        // column; under the tiles it overlapped the last row at 1920x1080. The greeting goes
        // above the tiles while they still fit under it; when they do not (特大: the last row
        // ran under the footer), it heads the right column; tiles that fit nowhere scroll.
        const float board_w = w * 0.40f, tiles_w = w - board_w - kGap * 2;
        const float greet_h = f.title->FontSize + spacing_y + ui::wrapped_size(f.body, f.body->FontSize, w, lead).y +
                              spacing_y + 14 + spacing_y;
        const float tiles_need = tiles_min_h(app, tiles_w);
        const bool greet_on_top = ImGui::GetContentRegionAvail().y - 12 - greet_h >= tiles_need;
        if (greet_on_top) {
            ui::title_text(welcome, f.title, kText, w);
            ui::text(lead, f.body, kText, w);
            gap(14);
        }
        const float full_h = ImGui::GetContentRegionAvail().y - 12;
        const float privacy_h = ui::wrapped_size(f.small, f.small->FontSize, board_w, privacy).y;
        ImVec2 origin = ImGui::GetCursorPos();
        if (full_h >= tiles_need) {
            ImGui::BeginGroup();
            draw_tiles(app, tiles_w, full_h);
            ImGui::EndGroup();
        } else {
            ImGui::BeginChild("start-tiles", ImVec2(tiles_w + 8, full_h), false, ImGuiWindowFlags_NoScrollWithMouse);
            ui::touch_scroll();
            draw_tiles(app, tiles_w, tiles_need);
            ImGui::EndChild();
        }
        ImGui::SetCursorPos(ImVec2(origin.x + tiles_w + kGap * 2, origin.y));
        float column_top = 0;
        if (!greet_on_top) {
            ImGui::BeginGroup();
            ui::title_text(welcome, f.title, kText, board_w);
            ui::text(lead, f.body, kText, board_w);
            ImGui::EndGroup();
            column_top = ImGui::GetItemRectSize().y + 14;
            ImGui::SetCursorPos(ImVec2(origin.x + tiles_w + kGap * 2, origin.y + column_top));
        }
        const float panel_h = full_h - column_top - privacy_h - 16;
        ImVec2 a = ImGui::GetCursorScreenPos();
        ui::panel_bg(a, ImVec2(a.x + board_w, a.y + panel_h));
        ImGui::SetCursorScreenPos(ImVec2(a.x + 24, a.y + 20));
        ImGui::BeginChild("board", ImVec2(board_w - 40, panel_h - 32), false, ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        draw_board(app, board_w - 56);
        ImGui::EndChild();
        ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + panel_h + 12));
        ui::text(privacy, f.small, kMuted, board_w);
        ui::note_item("start-privacy");
        return;
    }
    // Narrow (portrait, phone): greeting, tiles, the board and the privacy line scroll
    // together. On a phone the lead waits under the tiles: above them at 特大 it left room
    // for one tile under a block that did not move.
    const bool phone = w < 760;
    ImGui::BeginChild("start-scroll", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - 8), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    ui::title_text(welcome, f.title, kText, w);
    if (!phone) {
        ui::text(lead, f.body, kText, w);
        gap(14);
    }
    draw_tiles(app, w, w >= 760 ? 5 * 150.0f + 4 * kGap : 10 * 110.0f + 9 * kGap);
    if (phone) {
        gap(14);
        ui::text(lead, f.body, kText, w);
    }
    gap(20);
    draw_board(app, w);
    gap(20);
    ui::text(privacy, f.small, kMuted, w);
    ui::note_item("start-privacy");
    ImGui::EndChild();
}

}  // namespace kyodo::app::screens
