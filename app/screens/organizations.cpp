// The organization directory (団体を知る): organizations by type (chips to narrow), each a
// card; an organization's page with its fields, what it does, its public contact and the
// activities it organizes (each opens its detail).
#include "app/screens/organizations.h"
#include "app/screens/detail.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

bool org_card(Shell& app, const Organization& o, float width) {
    const FontRoles& f = app.fonts();
    const float pad = 28, h = 22 + f.bold->FontSize + 12 + f.small->FontSize + 22;
    bool tapped = ui::card(("org-" + o.id).c_str(), ImVec2(width, h));
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float x = p.x + pad, y = p.y + 22;
    ui::text_clipped(dl, f.bold, ImVec2(x, y), q.x - x - pad - 40, 1, kText, o.name.c_str());
    y += f.bold->FontSize + 12;
    std::string meta = o.type;
    for (const auto& fl : o.fields) meta += (meta.empty() ? "" : "　") + app.texts.field(fl);
    ui::text_clipped(dl, f.small, ImVec2(x, y), q.x - x - pad - 40, 1, kMuted, meta.c_str());
    float cx = q.x - 34, cy = (p.y + q.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 8, cy - 16), ImVec2(cx + 8, cy), kPrimary, 5);
    dl->AddLine(ImVec2(cx + 8, cy), ImVec2(cx - 8, cy + 16), kPrimary, 5);
    return tapped;
}

}  // namespace

void OrganizationsView::draw_list(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    Directory& D = directory;
    if (D.orgs.empty()) D.load(app.store());
    float w = begin_page(1700);
    ui::title_text(T.get("orgs.title"), f.title, kText, w);
    gap(2);
    ui::text(T.get("orgs.lead"), f.body, kText, w);
    gap(8);
    ui::begin_chips(w);
    if (ui::chip("type-all", T.fmt("orgs.all", {{"n", std::to_string(D.orgs.size())}}).c_str(), D.type_filter.empty()))
        D.type_filter.clear();
    for (const auto& t : D.types) {
        ImGui::PushID(t.c_str());
        std::string label = t + " " + std::to_string(D.count_of(t));
        if (ui::chip(("type-" + t).c_str(), label.c_str(), D.type_filter == t)) {
            D.type_filter = D.type_filter == t ? "" : t;
            app.request_redraw();
        }
        ImGui::PopID();
    }
    ui::end_chips();
    gap(10);
    ImGui::BeginChild("orgs-list", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - 8), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;   // the scroll bar's room
    auto list = D.visible();
    const bool two = w >= 1100;
    const float col = two ? (w - kGap) * 0.5f : w;
    std::string last_type;
    int in_row = 0;
    for (const Organization* o : list) {
        if (o->type != last_type) {
            if (in_row == 1) ImGui::NewLine();
            gap(6);
            ui::text(o->type.c_str(), f.heading, kText, w);
            gap(2);
            last_type = o->type;
            in_row = 0;
        }
        if (two && in_row == 1) ImGui::SameLine(0, kGap);
        if (org_card(app, *o, col)) app.view<OrganizationsView>().open_organization(app, o->id);
        in_row = two ? (in_row + 1) % 2 : 0;
    }
    gap(30);
    ImGui::EndChild();
}

void OrganizationsView::draw_page(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    Directory& D = directory;
    float w = begin_page(1500);
    ImGui::BeginChild("org", ImVec2(w + 8, ImGui::GetContentRegionAvail().y), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    if (!D.selected) {
        ui::banner(T.get("orgs.not_found"), kRed, kRedSoft);
        ImGui::EndChild();
        return;
    }
    const Organization& o = *D.selected;
    {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImVec2 p = ImGui::GetCursorScreenPos(), bs;
        ui::badge(dl, p, o.type.c_str(), kSurface, kPrimary, f.bold, &bs);
        float x = p.x + bs.x + 12;
        for (const auto& fl : o.fields) {
            std::string s = T.field(fl);
            ImVec2 fs = ui::badge_size(s.c_str(), f.bold);
            if (x + fs.x > p.x + w) break;
            ui::badge(dl, ImVec2(x, p.y), s.c_str(), kText, kFooter, f.bold);
            x += fs.x + 10;
        }
        gap(bs.y + 10);
    }
    // The heading role, like an activity's title: the title role holds string-table text
    // only, and a catalog name showed '?' for its other kanji (市民?活?協働??課).
    ui::text(o.name.c_str(), f.heading, kText, w);
    gap(6);
    if (!o.description.empty()) {
        ui::text(o.description.c_str(), f.body, kText, w);
        gap(8);
    }
    if (!o.contact.empty()) review_row(app, T.get("orgs.contact"), o.contact, w);
    gap(16);
    ui::text(T.fmt("orgs.activities", {{"n", std::to_string(D.activities.size())}}).c_str(), f.heading, kText, w);
    gap(6);
    if (D.activities.empty()) ui::text(T.get("orgs.no_activities"), f.body, kMuted, w);
    for (const auto& a : D.activities)
        if (activity_row(app, a, w)) {
            app.view<DetailView>().open(app, a.id);
            break;
        }
    gap(30);
    ImGui::EndChild();
}

void OrganizationsView::draw(Shell& app) {
    if (app.nav.current() == Screen::Organization) draw_page(app);
    else draw_list(app);
}

void OrganizationsView::open_directory(Shell& app) {
    directory.load(app.store());
    directory.selected.reset();
    app.go(Screen::Organizations);
}

void OrganizationsView::open_organization(Shell& app, const std::string& org_id) {
    if (directory.orgs.empty()) directory.load(app.store());
    directory.open(app.store(), org_id);
    app.go(Screen::Organization);
}

void OrganizationsView::preview(Shell& app, Screen s) {
    open_directory(app);
    if (s == Screen::Organization) open_organization(app, "org-city-kyodo");
}

}  // namespace kyodo::app::screens
