// The start screen: a welcome and four big tiles (find, events, volunteering, opinion box).
#include "app/screens/common.h"
#include "app/screens/screens.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

bool tile(KioskApp& app, const char* id, const char* title_key, const char* desc_key, ImU32 accent,
          ImVec2 size) {
    bool tapped = ui::card(id, size);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + 18, b.y), accent, kRadius, ImDrawFlags_RoundCornersLeft);
    const FontRoles& f = app.fonts();
    const float pad = 48;
    float text_h = f.title->FontSize + 20 + f.body->FontSize;
    float y = a.y + (size.y - text_h) * 0.5f;
    dl->AddText(f.title, f.title->FontSize, ImVec2(a.x + pad, y), kText, app.texts.get(title_key));
    dl->AddText(f.body, f.body->FontSize, ImVec2(a.x + pad, y + f.title->FontSize + 20), kMuted,
                app.texts.get(desc_key));
    // A chevron says "this opens something".
    float cx = b.x - 56, cy = (a.y + b.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 10, cy - 22), ImVec2(cx + 12, cy), accent, 7);
    dl->AddLine(ImVec2(cx + 12, cy), ImVec2(cx - 10, cy + 22), accent, 7);
    return tapped;
}

}  // namespace

void draw_start(KioskApp& app) {
    float w = begin_page(1500);
    const FontRoles& f = app.fonts();
    gap(12);
    ui::text(app.texts.get("start.welcome"), f.title, kText);
    gap(4);
    ui::text(app.texts.get("start.lead"), f.body, kText, w);
    ui::text(app.texts.get("start.touch"), f.body, kMuted, w);
    gap(20);

    float avail_h = ImGui::GetContentRegionAvail().y - f.small->FontSize - 60;
    bool two_cols = w >= 1100;
    float tw = two_cols ? (w - kGap) * 0.5f : w;
    float th = two_cols ? (avail_h - kGap) * 0.5f : (avail_h - 3 * kGap) * 0.25f;
    if (th > 300) th = 300;
    if (th < 150) th = 150;
    ImVec2 size(tw, th);

    if (tile(app, "find", "start.find", "start.find.desc", kPrimary, size)) {
        app.listing.clear();
        app.go(Screen::Listings);
    }
    if (two_cols) ImGui::SameLine(0, kGap);
    if (tile(app, "events", "start.events", "start.events.desc", kind_colour(1), size)) {
        app.listing.clear();
        app.listing.set_kind(ActivityKind::Event);
        app.go(Screen::Listings);
    }
    if (tile(app, "volunteer", "start.volunteer", "start.volunteer.desc", kind_colour(2), size)) {
        app.listing.clear();
        app.listing.set_kind(ActivityKind::Volunteer);
        app.go(Screen::Listings);
    }
    if (two_cols) ImGui::SameLine(0, kGap);
    if (tile(app, "opinion", "start.opinion", "start.opinion.desc", kind_colour(4), size))
        app.start_opinion("");

    gap(20);
    ui::text(app.texts.get("start.privacy"), f.small, kMuted, w);
}

}  // namespace kyodo::app::screens
