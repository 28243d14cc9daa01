// Detail: everything about one activity, and what the resident can do with it (sign up,
// send an opinion about it).
#include <algorithm>
#include <cmath>

#include "app/model/comment_form.h"
#include "app/model/dates.h"
#include "app/screens/detail.h"
#include "app/screens/opinion.h"
#include "app/screens/organizations.h"
#include "app/screens/proposal.h"
#include "app/screens/public_comment.h"
#include "app/screens/signup.h"
#include "app/screens/survey.h"
#include "app/screens/common.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

void info_row(const Shell& app, const char* key, const std::string& value, float width) {
    if (value.empty()) return;
    const FontRoles& f = app.fonts();
    // Phone width: the label above its value (side by side leaves the value ~80 px).
    const bool stack = width < 700;
    const float label_w = stack ? width + 16 : app.texts.lang() == Lang::Ja ? 270 : 300;
    float x0 = ImGui::GetCursorPosX();
    ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, a.y), ImVec2(a.x + width, a.y), kBorder, 2);
    gap(10);
    float y = ImGui::GetCursorPosY();
    ui::text(app.texts.get(key), f.bold, kMuted, label_w - 16);
    float y1 = ImGui::GetCursorPosY();
    if (!stack) ImGui::SetCursorPos(ImVec2(x0 + label_w, y));
    ui::text(value.c_str(), f.body, kText, stack ? width : width - label_w);
    float y2 = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(x0, y1 > y2 ? y1 : y2));
    gap(2);
}

// The linked survey is in this kiosk's catalog (a lookup by key: cheap enough per frame).
bool has_survey(Shell& app, const std::string& id) {
    try {
        return app.store().survey(id).has_value();
    } catch (const std::exception&) {
        return false;
    }
}

bool signup_open(const Shell& app, const Activity& a) {
    if (!a.takes_signups()) return false;   // capacity 0: the server would refuse it (no_signups)
    // The window is in JST dates; compare as strings "YYYY-MM-DD". The kiosk's own today
    // (JST, or the date tests and screenshots pin), as the start board and flows use.
    const std::string today = app.today();
    if (has_ended(a, today)) return false;
    if (!a.signup_opens.empty() && today < a.signup_opens.substr(0, 10)) return false;
    if (!a.signup_closes.empty() && today > a.signup_closes.substr(0, 10)) return false;
    return a.places_left() != 0;
}

// The organizers, each a link (tap) to the organization's page when the directory has it.
void organizer_links(Shell& app, const Activity& a, float width) {
    if (a.organizer_names.empty()) return;
    const FontRoles& f = app.fonts();
    const bool stack = width < 700;   // phone width: the label above the links
    const float label_w = stack ? width + 16 : app.texts.lang() == Lang::En ? 300 : 270;
    const float links_w = stack ? width : width - label_w;
    float x0 = ImGui::GetCursorPosX();
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + width, p.y), kBorder, 2);
    gap(10);
    float y = ImGui::GetCursorPosY();
    ui::text(app.texts.get("detail.organizers"), f.bold, kMuted, label_w - 16);
    float y1 = ImGui::GetCursorPosY();
    if (!stack) ImGui::SetCursorPos(ImVec2(x0 + label_w, y - 6));
    ImGui::BeginGroup();
    for (std::size_t i = 0; i < a.organizer_names.size(); ++i) {
        const std::string& name = a.organizer_names[i];
        const std::string id = i < a.organizer_ids.size() ? a.organizer_ids[i] : "";
        if (!id.empty()) {
            std::string label = name + "　›";
            float bw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label.c_str()).x + 56;
            if (bw > links_w) bw = links_w;
            if (ui::button(("org-" + id).c_str(), label.c_str(), ImVec2(bw, 72), ui::Tone::Secondary))
                app.view<OrganizationsView>().open_organization(app, id);
        } else {
            ui::text(name.c_str(), f.body, kText, links_w);
        }
    }
    ImGui::EndGroup();
    float y2 = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(x0, std::max(y1, y2)));
    gap(2);
}

// The activity's public page as a QR code (a texture, ui/qr_image.h), its words beside it,
// or under it when the column beside would be too narrow (a phone: one word a line, and the
// description ran out of the box); the box is as tall as what is in it.
void qr_panel(Shell& app, const Activity& a, float width) {
    std::string url = app.public_url(a.id);
    const float side = qr_side(app, url, std::min(220.0f, width * 0.45f));
    if (side == 0) return;
    const FontRoles& f = app.fonts();
    ImVec2 pa = ImGui::GetCursorScreenPos();
    const float pad = 24;
    const bool below = width - side - pad * 3 < 180;
    const float tw = below ? width - pad * 2 : width - side - pad * 3;
    const char* head = app.texts.get("detail.qr");
    const char* desc = app.texts.get("detail.qr.desc");
    const float head_h = ui::wrapped_size(f.bold, f.bold->FontSize, tw, head).y;
    const float text_h = head_h + ImGui::GetStyle().ItemSpacing.y + ui::wrapped_size(f.small, f.small->FontSize, tw, desc).y;
    const float h = pad * 2 + (below ? side + 16 + text_h : std::max(side, text_h));
    ui::panel_bg(pa, ImVec2(pa.x + width, pa.y + h));
    ui::note_rect("detail-qr-panel", pa, ImVec2(pa.x + width, pa.y + h));
    ImVec2 q(pa.x + pad, pa.y + pad);
    draw_qr(app, url, q, side, "detail-qr");
    const ImVec2 t = below ? ImVec2(pa.x + pad, q.y + side + 16) : ImVec2(q.x + side + pad, pa.y + pad);
    ImGui::SetCursorScreenPos(t);
    ImGui::BeginGroup();
    ui::text(head, f.bold, kText, tw);
    ui::text(desc, f.small, kMuted, tw);
    ImGui::EndGroup();
    ui::note_rect("detail-qr-text", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    ImGui::SetCursorScreenPos(ImVec2(pa.x, pa.y + h + 12));
    ImGui::Dummy(ImVec2(1, 0));
}

// A draft for public comment (パブリックコメント) has a comment period, not seats: the period,
// then whether comments are taken now, not yet, or no more (the matrix showed a draft's page
// saying 定員 / この催しは終了しました / 申し込みは受け付けていません, an event's words).
void draft_status(Shell& app, const Activity& a, float inner) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const auto [from, until] = comment_period(a);
    const std::string today = app.today();
    ui::text(T.get("detail.comment_period"), f.bold, kMuted, inner);
    std::string period;
    if (!from.empty() || !until.empty()) period = date_text(app, from) + " 〜 " + date_text(app, until);
    const bool closed = !until.empty() && today > until;
    const bool not_yet = !from.empty() && today < from;
    if (closed) period = T.get("detail.comment_closed");   // marked, as an event's 終了
    if (!period.empty()) {
        ui::text(period.c_str(), f.heading, kText, inner);
        ui::note_item("detail-capacity-text");
    }
    gap(14);
    // Why there is no comment button.
    // Closed: when it closed and where 市の考え方 will be (unless the button to it follows).
    const char* why = closed ? (city_response(a) ? nullptr : "detail.comment_closed_note")
                             : not_yet ? "detail.comment_not_yet" : nullptr;
    if (why) {
        ui::text(T.fmt(why, {{"date", date_text(app, closed ? until : from)}}).c_str(), f.body, kMuted, inner);
        ui::note_item("detail-signup-closed");
        gap(8);
    }
}

}  // namespace

// The capacity and the ways on (sign up, an opinion, a comment on a draft, a proposal, a
// survey) in a panel as tall as what is drawn in it: its contents go to the draw list's top
// channel, the panel under them once their height is known. (It was summed for one-line texts
// and fixed at 360 px under the page: at 特大 the sign-up button stuck out of it, an ended
// activity's 終了 ran into 意見を送る and the last button fell under the footer.) Returns the
// panel's height; the cursor goes below it.
float DetailView::action_panel(Shell& app, const Activity& a, float width) {
    const FontRoles& f = app.fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pa = ImGui::GetCursorScreenPos();
    const float pad_x = width < 450 ? 20 : 32, pad_y = 28;
    const float inner = width - pad_x * 2;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(pa.x + pad_x, pa.y + pad_y));
    ImGui::BeginGroup();
    const bool draft = a.kind == ActivityKind::PublicComment;
    if (draft) {
        draft_status(app, a, inner);
    } else {
        ui::text(app.texts.get("detail.capacity"), f.bold, kMuted, inner);
        int left = a.places_left();
        std::string cap = !a.takes_signups() ? std::string(app.texts.get("detail.no_signups_short"))
                                             : app.texts.fmt("detail.capacity_value", {{"cap", std::to_string(a.capacity)},
                                                                                      {"left", std::to_string(left)}});
        if (has_ended(a, app.today())) cap = app.texts.get("detail.ended");   // marked, still readable
        ui::text(cap.c_str(), f.heading, left == 0 ? kRed : kText, inner);
        ui::note_item("detail-capacity-text");
        gap(14);
    }
    if (draft) {
        // A draft takes comments, not sign-ups: draft_status said whether it does now.
    } else if (signup_open(app, a)) {
        if (ui::button("signup", app.texts.get("detail.signup"), ImVec2(inner, kBigButtonH))) app.view<SignUpView>().start(app, a);
    } else {
        // Say why there is no button: capacity 0 takes no sign-ups at all; otherwise the
        // window is not open (or it is full).
        ui::text(app.texts.get(a.takes_signups() ? "detail.signup_closed" : "detail.no_signups"), f.body, kMuted, inner);
        ui::note_item("detail-signup-closed");
        gap(8);
    }
    gap(6);
    if (ui::button("opinion", app.texts.get("detail.opinion"), ImVec2(inner, kButtonH), ui::Tone::Secondary))
        app.view<OpinionView>().start(app, a.id);
    // Drafts and calls open their own flow.
    if (a.kind == ActivityKind::PublicComment && comment_open(a, app.today())) {
        gap(6);
        if (ui::button("comment", app.texts.get("detail.comment"), ImVec2(inner, kButtonH), ui::Tone::Primary))
            app.view<PublicCommentView>().start(app, a.id);
    } else if (a.kind == ActivityKind::CallForProposals) {
        gap(6);
        if (ui::button("propose", app.texts.get("detail.propose"), ImVec2(inner, kButtonH), ui::Tone::Primary))
            app.view<ProposalView>().start(app, a.id);
    }
    // A closed draft whose 市の考え方 city hall published (issue 9 point 7): read it here.
    if (city_response(a)) {
        gap(6);
        if (ui::button("detail-city-response", app.texts.get("detail.city_response"), ImVec2(inner, kButtonH), ui::Tone::Primary))
            app.view<PublicCommentView>().read_response(app, a.id);
    }
    // A survey linked to the listing (its participants' evaluation of the project) is offered here.
    if (!a.survey_id.empty() && has_survey(app, a.survey_id)) {
        gap(6);
        if (ui::button("detail-survey", app.texts.get("detail.survey"), ImVec2(inner, kButtonH), ui::Tone::Secondary))
            app.view<SurveyView>().start(app, a.survey_id, a.id);
    }
    ImGui::EndGroup();
    const ImVec2 pb(pa.x + width, ImGui::GetItemRectMax().y + pad_y + 4);
    dl->ChannelsSetCurrent(0);
    ui::panel_bg(pa, pb);
    dl->ChannelsMerge();
    ui::note_rect("detail-actions", pa, pb);
    ImGui::SetCursorScreenPos(ImVec2(pa.x, pb.y + 16));
    ImGui::Dummy(ImVec2(width, 0));
    return pb.y - pa.y;
}

void DetailView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    float w = begin_page(1700);
    if (!selected) {
        gap(20);
        ui::banner(app.texts.get("detail.not_found"), kRed, kRedSoft);
        return;
    }
    const Activity& a = *selected;
    bool side = w >= 1400;
    float action_w = side ? 500 : w;
    float main_w = side ? w - action_w - kGap * 2 : w;
    float h = ImGui::GetContentRegionAvail().y - kMargin * 0.5f;
    // Portrait: the actions stay put under the page while their panel, as measured when last
    // drawn for this activity at this width and text size, takes at most 45 % of the height;
    // taller (a phone, 特大) they come after the page and scroll with it, so every button can be
    // brought into view. The first frame of a page draws them scrolling and measures them.
    const PanelKey key{a.id, w, f.body->FontSize, app.texts.lang(), app.today()};
    const bool pinned = !side && key == panel_key_ && panel_h_ + kGap <= h * 0.45f;
    const float main_h = side ? h : pinned ? h - panel_h_ - kGap : h;

    ImVec2 origin = ImGui::GetCursorPos();
    ImGui::BeginChild("detail-main", ImVec2(main_w + kGap, main_h), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImVec2 p = ImGui::GetCursorScreenPos();
        ImVec2 bs;
        int k = static_cast<int>(a.kind);
        ui::badge(dl, p, app.texts.kind(a.kind), kSurface, kind_colour(k), f.bold, &bs);
        float x = p.x + bs.x + 12;
        for (const auto& fl : a.fields) {
            std::string s = app.texts.field(fl);
            ImVec2 fs = ui::badge_size(s.c_str(), f.bold);
            if (x + fs.x > p.x + main_w) break;
            ui::badge(dl, ImVec2(x, p.y), s.c_str(), kText, kFooter, f.bold);
            x += fs.x + 10;
        }
        gap(bs.y + 10);
    }
    // Title, summary and description with their furigana when the resident has them on.
    ui::ruby_text(a.title.c_str(), readings(app, a, RubyField::Title), f.heading, kText, main_w);
    gap(6);
    if (!a.summary.empty()) {
        ui::ruby_text(a.summary.c_str(), readings(app, a, RubyField::Summary), f.body, kText, main_w);
        gap(10);
    }
    std::string where = a.place;
    std::string centre = app.centre_name(a.centre_id);
    if (!centre.empty() && where.find(centre) == std::string::npos)
        where += where.empty() ? centre : "（" + centre + "）";
    if (where.empty()) where = app.texts.get("detail.citywide");
    info_row(app, "detail.when", when_text(app, a), main_w);
    info_row(app, "detail.where", where, main_w);
    organizer_links(app, a, main_w);
    info_row(app, "detail.department", a.department, main_w);
    info_row(app, "detail.audience", a.audience, main_w);
    info_row(app, "detail.type", std::string(app.texts.form(a.form)) + "・" + app.texts.method(a.method), main_w);
    if (!a.signup_opens.empty() || !a.signup_closes.empty())
        info_row(app, "detail.signup_window",
                 date_text(app, a.signup_opens) + " 〜 " + date_text(app, a.signup_closes), main_w);
    if (!a.description.empty()) {
        gap(14);
        ui::text(app.texts.get("detail.about"), f.bold, kMuted);
        gap(4);
        ui::ruby_text(a.description.c_str(), readings(app, a, RubyField::Description), f.body, kText, main_w);
        const ImVec2 d0 = ImGui::GetItemRectMin();
        ui::note_rect("detail-description", d0, ImVec2(d0.x + main_w, ImGui::GetItemRectMax().y));
    }
    gap(30);
    float measured = -1;
    if (!side) {
        // Portrait and phone: the QR code ends the page; the actions come before it when
        // they scroll with the page.
        if (!pinned) measured = action_panel(app, a, w);
        qr_panel(app, a, w);
        gap(16);
    }
    ImGui::EndChild();

    if (side) {
        // Landscape: the actions and the QR code in a column of their own beside the page,
        // scrolling when they are taller than the window (特大).
        ImGui::SetCursorPos(ImVec2(origin.x + main_w + kGap * 2, origin.y));
        ImGui::BeginChild("detail-actions-column", ImVec2(action_w, h), false, ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        measured = action_panel(app, a, action_w);
        qr_panel(app, a, action_w);
        ImGui::EndChild();
    } else if (pinned) {
        ImGui::SetCursorPos(ImVec2(origin.x, origin.y + main_h + kGap));
        measured = action_panel(app, a, w);
    }
    if (measured >= 0 && (!(key == panel_key_) || std::fabs(measured - panel_h_) > 0.5f)) {
        panel_key_ = key;
        panel_h_ = measured;
        app.request_redraw(2);   // portrait: pin the panel now that its height is known
    }
}

void DetailView::open(Shell& app, const std::string& id) {
    try {
        selected = app.store().activity(id);
    } catch (const std::exception&) {
        selected.reset();
    }
    missing_id = selected ? "" : id;
    app.go(Screen::Detail);
}

void DetailView::on_catalog_changed(Shell& app) {
    if (!selected) return;
    auto fresh = app.store().activity(selected->id);
    if (fresh) selected = *fresh;
}

std::optional<Activity> preview_activity(Shell& app) {
    // Prefer an event with places left: it shows the most of the detail screen.
    std::optional<Activity> pick;
    SearchQuery q;
    q.only_open_places = true;
    q.limit = 50;
    SearchResult r = app.store().search(q);
    for (const auto& a : r.items)
        if (a.capacity > 0 && (!pick || a.kind == ActivityKind::Event)) {
            pick = a;
            if (a.kind == ActivityKind::Event) break;
        }
    if (!pick) {
        SearchResult any = app.store().search(SearchQuery{});
        if (!any.items.empty()) pick = any.items.front();
    }
    return pick;
}

void DetailView::preview(Shell& app, Screen) {
    std::optional<Activity> pick = preview_activity(app);
    app.go(Screen::Listings);
    if (pick) open(app, pick->id);
    else app.go(Screen::Detail);
}

}  // namespace kyodo::app::screens
