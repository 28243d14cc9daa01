// The start screen: large entry buttons for every flow (探す, ボランティア募集, ご意見箱,
// アンケート, パブリックコメント, 提案する, 団体を知る) and what is on at this centre today
// and in the coming week.
#include <algorithm>
#include <optional>

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

bool tile(Shell& app, const char* id, const char* title_key, const char* desc_key, ImU32 accent, ImVec2 size) {
    bool tapped = ui::card(id, size);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + 16, b.y), accent, kRadius, ImDrawFlags_RoundCornersLeft);
    const FontRoles& f = app.fonts();
    // Narrow tiles (a phone) give the text more of their width.
    const bool narrow = size.x < 500;
    const float pad = narrow ? 34 : 44, inner = size.x - pad - (narrow ? 58 : 70);
    const char* title = app.texts.get(title_key);
    const char* desc = app.texts.get(desc_key);
    // A title wider than the tile (ボランティア募集 at 390 px, English at large text)
    // shrinks to fit, down to 75 %; past that it wraps on a second line.
    float title_fs = f.heading->FontSize;
    float title_w = f.heading->CalcTextSizeA(title_fs, FLT_MAX, 0, title).x;
    if (title_w > inner) title_fs *= std::max(0.75f, inner / title_w);
    ImVec2 title_sz = ui::wrapped_size(f.heading, title_fs, inner, title);
    if (title_sz.y > size.y - 16 || title_sz.x > inner + 0.5f) ui::note_overflow(id, title, title_sz.x, inner);
    float desc_h = ui::wrapped_size(f.small, f.small->FontSize, inner, desc).y;
    if (desc_h > f.small->FontSize * 2.2f || size.y < 130 || title_sz.y + 10 + desc_h > size.y - 24)
        desc_h = 0;   // no room: the title alone
    float text_h = title_sz.y + (desc_h > 0 ? 10 + desc_h : 0);
    float y = a.y + (size.y - text_h) * 0.5f;
    ui::draw_wrapped(dl, f.heading, title_fs, ImVec2(a.x + pad, y), kText, title, inner);
    if (desc_h > 0)
        ui::draw_wrapped(dl, f.small, f.small->FontSize, ImVec2(a.x + pad, y + title_sz.y + 10), kMuted, desc, inner);
    float cx = b.x - (narrow ? 34 : 44), cy = (a.y + b.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 9, cy - 20), ImVec2(cx + 11, cy), accent, 6);
    dl->AddLine(ImVec2(cx + 11, cy), ImVec2(cx - 9, cy + 20), accent, 6);
    return tapped;
}

void draw_tiles(Shell& app, float w, float h) {
    const bool two = w >= 760;
    const float col = two ? (w - kGap) * 0.5f : w;
    const int rows = two ? 7 : 12;
    float th = (h - kGap * (rows - 1)) / rows;
    th = std::clamp(th, 96.0f, 220.0f);
    // Tiles at their 96 px minimum take less air between rows rather than run past `h` (the
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
    ui::text(app.texts.get("start.welcome"), f.title, kText, w);
    ui::text(app.texts.get("start.lead"), f.body, kText, w);
    gap(14);
    const float avail_h = ImGui::GetContentRegionAvail().y - f.small->FontSize - 48;
    const bool side = w >= 1400;
    const char* privacy = app.texts.get("start.privacy");
    if (side) {
        // Landscape: the tiles take the whole height (seven rows of two since booking and
        // items joined them) and the privacy line sits under the schedule in the right
        // column; under the tiles it overlapped the last row at 1920x1080.
        const float full_h = ImGui::GetContentRegionAvail().y - 12;
        const float board_w = w * 0.40f, tiles_w = w - board_w - kGap * 2;
        const float privacy_h = ui::wrapped_size(f.small, f.small->FontSize, board_w, privacy).y;
        const float panel_h = full_h - privacy_h - 16;
        ImVec2 origin = ImGui::GetCursorPos();
        ImGui::BeginGroup();
        draw_tiles(app, tiles_w, full_h);
        ImGui::EndGroup();
        ImGui::SetCursorPos(ImVec2(origin.x + tiles_w + kGap * 2, origin.y));
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
    } else {
        // Narrow (portrait, phone): tiles then the board, scrolled together.
        ImGui::BeginChild("start-scroll", ImVec2(w + 8, avail_h + f.small->FontSize + 40), false,
                          ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        draw_tiles(app, w, w >= 760 ? 5 * 150.0f + 4 * kGap : 10 * 110.0f + 9 * kGap);
        gap(20);
        draw_board(app, w);
        gap(20);
        ui::text(privacy, f.small, kMuted, w);
        ui::note_item("start-privacy");
        ImGui::EndChild();
        return;
    }
}

}  // namespace kyodo::app::screens
