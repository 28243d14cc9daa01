// The items screen (ゆずります（不用品）, issue 11 point 4). A list of cards (name, condition, how
// many are left, the deadline, where to collect), an item's page, then the request one step a
// screen like the group registration: the number pad for the registration number and the
// quantity, the keyboard for the purpose and the contact person, a review, the receipt.
#include "app/screens/items.h"

#include <algorithm>

#include "app/screens/flows.h"
#include "app/screens/receipt.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/items.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

std::int64_t now_ms(const Shell& app) {
    const SubmitContext ctx = app.submit_context();
    return ctx.clock ? ctx.clock() : now_millis();
}

std::string left_text(const Shell& app, const Activity& a) {
    return app.texts.fmt("item.left", {{"n", std::to_string(items::remaining(a))}});
}

std::string deadline_text(const Shell& app, const Activity& a) {
    return a.signup_closes.empty() ? std::string(app.texts.get("item.no_deadline"))
                                   : app.texts.fmt("item.deadline", {{"date", date_text(app, a.signup_closes)}});
}

// A card for one item: name and what is left on the first line, condition, deadline and where
// to collect under it. True when tapped.
bool item_row(Shell& app, const Activity& a, float width) {
    const FontRoles& f = app.fonts();
    const float pad = 24, h = 24 + f.bold->FontSize + 10 + f.small->FontSize + 22;
    ImGui::PushID(a.id.c_str());
    const bool tapped = ui::card(("item-" + a.id).c_str(), ImVec2(width, h));
    ImGui::PopID();
    const ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + 10, q.y), kind_colour(5), kRadius, ImDrawFlags_RoundCornersLeft);
    const float x = p.x + pad + 6;
    float y = p.y + 24;
    const std::string left = left_text(app, a);
    const ImVec2 bs = ui::badge_size(left.c_str(), f.small);
    const float right = q.x - pad - 40;
    ui::badge(dl, ImVec2(right - bs.x, y + (f.bold->FontSize - bs.y) * 0.5f), left.c_str(), kSurface, kPrimary, f.small);
    ui::text_clipped(dl, f.bold, ImVec2(x, y), right - bs.x - 16 - x, 1, kText, a.title.c_str());
    y += f.bold->FontSize + 10;
    std::string meta = items::item_info(a).condition;
    for (const std::string& s : {deadline_text(app, a), a.place})
        if (!s.empty()) meta += (meta.empty() ? "" : "　｜　") + s;
    ui::text_clipped(dl, f.small, ImVec2(x, y), right - x, 1, kMuted, meta.c_str());
    const float cx = q.x - 34, cy = (p.y + q.y) * 0.5f;
    dl->AddLine(ImVec2(cx - 8, cy - 16), ImVec2(cx + 8, cy), kPrimary, 5);
    dl->AddLine(ImVec2(cx + 8, cy), ImVec2(cx - 8, cy + 16), kPrimary, 5);
    return tapped;
}

void error_line(Shell& app, const ItemForm& F, const char* field) {
    if (const char* e = field_error(app, F.errors, field)) ui::text(e, app.fonts().bold, kRed);
}

}  // namespace

void ItemsView::load(Shell& app) {
    form.load(app.store().bookables(ActivityKind::Item, ""), now_ms(app));
    orgs = app.store().organizations();
    for (const Activity& a : form.offered) {
        app.note_text(a.title);
        app.note_text(a.place);
        app.note_text(items::item_info(a).condition);
    }
}

void ItemsView::start(Shell& app) {
    if (!form.dirty()) form.clear();
    load(app);
    app.go(Screen::Items);
}

void ItemsView::preview(Shell& app, Screen) { start(app); }

void ItemsView::draw_list(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    ui::text(app.texts.get("item.lead"), f.body, kText, w);
    gap(12);
    if (form.offered.empty()) {
        ui::text(app.texts.get("item.none"), f.body, kMuted, w);
        return;
    }
    for (const Activity& a : form.offered) {
        if (item_row(app, a, w)) {
            form.choose(a);
            app.request_redraw();
            break;
        }
        gap(4);
    }
}

void ItemsView::draw_detail(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const Activity& a = *form.item;
    const items::ItemInfo info = items::item_info(a);
    ui::text(a.title.c_str(), f.heading, kText, w);
    gap(8);
    if (!a.description.empty()) {
        ui::text(a.description.c_str(), f.body, kText, w);
        gap(10);
    }
    review_row(app, T.get("item.left.label"), left_text(app, a), w);
    if (!info.condition.empty()) review_row(app, T.get("item.condition"), info.condition, w);
    if (!info.category.empty()) review_row(app, T.get("item.category"), info.category, w);
    review_row(app, T.get("item.place"), a.place.empty() ? app.centre_name(a.centre_id) : a.place, w);
    review_row(app, T.get("item.deadline.label"), deadline_text(app, a), w);
    gap(10);
    ui::text(T.get("item.how"), f.body, kMuted, w);
}

void ItemsView::draw_request(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    ItemForm& F = form;
    about_panel(app, T.get("item.about"), F.item->title, w);
    gap(10);
    ui::kb_input(app, FieldSpec{"item.group", InputKind::Email, 12}, T.get("item.group"), T.get("label.required"), true,
                 &F.group, "G-0001", F.errors.count("group") && F.errors.at("group") == "unknown_group"
                                         ? T.get("item.err.unknown_group")
                                         : field_error(app, F.errors, "group"),
                 ImVec2(w, 0));
    ui::text(T.get("item.group.hint"), f.small, kMuted, w);
    // The directory the kiosk holds names the group as soon as the number is one of it.
    const std::string number = ItemForm::normalise_group(F.group);
    const Organization* org = nullptr;
    for (const Organization& o : orgs)
        if (!number.empty() && o.registration == number) org = &o;
    if (org) {
        F.errors.erase("group");   // an earlier "not found" no longer holds
        gap(4);
        ui::text(T.fmt("item.group.found", {{"name", org->name}, {"number", number}}).c_str(), f.bold, kGreen, w);
        app.note_text(org->name);
    }
    gap(12);
    ui::kb_input(app, FieldSpec{"item.quantity", InputKind::Number, 2}, T.get("item.quantity"), T.get("label.required"), true,
                 &F.quantity, "1", field_error(app, F.errors, "quantity"), ImVec2(w * 0.5f, 0));
    ui::text(T.fmt("item.quantity.hint", {{"n", std::to_string(F.max_quantity())}}).c_str(), f.small, kMuted, w);
    gap(12);
    ui::kb_input(app, FieldSpec{"item.purpose", InputKind::Text, 400}, T.get("item.purpose"), T.get("label.required"), true,
                 &F.purpose, T.get("item.purpose.hint"), field_error(app, F.errors, "purpose"), ImVec2(w, 0));
}

void ItemsView::draw_contact(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    ItemForm& F = form;
    ui::text(T.get("item.q.contact"), f.heading, kText, w);
    gap(4);
    ui::text(T.get("item.contact.lead"), f.body, kMuted, w);
    const char* req = T.get("label.required");
    ui::kb_input(app, FieldSpec{"item.name", InputKind::Text, 50}, T.get("signup.name"), req, true, &F.name,
                 T.get("signup.name.hint"), field_error(app, F.errors, "name"), ImVec2(w, 0));
    gap(6);
    ui::kb_input(app, FieldSpec{"item.furigana", InputKind::Kana, 50}, T.get("signup.furigana"), req, true, &F.furigana,
                 T.get("signup.furigana.hint"), field_error(app, F.errors, "furigana"), ImVec2(w, 0));
    gap(6);
    ui::text(T.get("signup.contact_note"), f.body, kMuted, w);
    ui::kb_input(app, FieldSpec{"item.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false, &F.phone,
                 T.get("signup.phone.hint"), field_error(app, F.errors, "phone"), ImVec2(w, 0));
    gap(6);
    ui::kb_input(app, FieldSpec{"item.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false, &F.email,
                 T.get("signup.email.hint"), field_error(app, F.errors, "email"), ImVec2(w, 0));
    gap(10);
    ui::text(T.get("item.consent.text"), f.body, kText, w);
    gap(4);
    if (ui::toggle("consent", T.get("item.consent"), &F.consent)) app.request_redraw();
    error_line(app, F, "consent");
    ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
}

void ItemsView::draw_review(Shell& app, float w) {
    const Texts& T = app.texts;
    ItemForm& F = form;
    ui::text(T.get("item.review.lead"), app.fonts().body, kText, w);
    gap(8);
    std::string group = F.group;
    if (F.group_org) group = F.group_org->name + "（" + F.group + "）";
    std::string who = F.name + "（" + F.furigana + "）";
    for (const std::string* s : {&F.phone, &F.email})
        if (!s->empty()) who += "　／　" + *s;
    int edit = -1;
    review_row(app, T.get("item.about"), F.item->title, w);
    if (review_row(app, T.get("item.group"), group, w, "edit-group")) edit = 0;
    if (review_row(app, T.get("item.quantity"), F.quantity, w, "edit-quantity")) edit = 0;
    if (review_row(app, T.get("item.purpose"), F.purpose, w, "edit-purpose")) edit = 0;
    if (review_row(app, T.get("item.q.contact"), who, w, "edit-contact")) edit = 1;
    ui::text(T.get("item.review.decide"), app.fonts().body, kMuted, w);
    if (edit >= 0) {
        F.step = edit == 0 ? ItemStep::Request : ItemStep::Contact;
        app.request_redraw();
    }
}

void ItemsView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    ItemForm& F = form;
    if (F.step != ItemStep::List && !F.item) F.step = ItemStep::List;   // the catalog changed under it
    // A "required" note goes as soon as the field is filled in (not only at the next 次へ).
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"group", &F.group}, {"quantity", &F.quantity},
                                     {"purpose", &F.purpose}, {"name", &F.name}, {"furigana", &F.furigana}})
        if (!value->empty()) {
            auto it = F.errors.find(key);
            if (it != F.errors.end() && it->second == "required") F.errors.erase(it);
        }
    if (F.consent) F.errors.erase("consent");
    float w = begin_page(1200);
    ImGui::BeginChild("item-steps",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    const bool asking = F.step == ItemStep::Request || F.step == ItemStep::Contact || F.step == ItemStep::Review;
    ui::title_text(T.get(F.step == ItemStep::Review ? "item.review.title" : asking ? "item.request.title" : "item.title"), f.title, kText, w);
    gap(2);
    if (asking) {
        step_progress(app, F.index(), ItemForm::kSteps, w);
        gap(10);
    }
    const char* banner = submit_error_text(app, F.last);
    if (*banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    switch (F.step) {
        case ItemStep::List: draw_list(app, w); break;
        case ItemStep::Detail: draw_detail(app, w); break;
        case ItemStep::Request: draw_request(app, w); break;
        case ItemStep::Contact: draw_contact(app, w); break;
        case ItemStep::Review: draw_review(app, w); break;
    }
    gap(30);
    ImGui::EndChild();
    const char* next = F.step == ItemStep::List     ? nullptr
                       : F.step == ItemStep::Detail ? "item.ask"
                       : F.step == ItemStep::Review ? "item.submit"
                                                    : "flow.next";
    const int b = step_buttons(app, "flow.back", next, w);
    if (b < 0) {
        close_keyboard(app);
        if (F.step == ItemStep::List) app.back();
        else F.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (F.step == ItemStep::Review) submit(app);
        else F.next(orgs);
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void ItemsView::submit(Shell& app) {
    app.release_input();
    if (!form.check_step(orgs)) {
        form.step = ItemStep::Request;   // the group left the directory since: say so where it was typed
        return;
    }
    const SubmitResult r = form.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::ItemRequest, r.receipt);
        form.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
