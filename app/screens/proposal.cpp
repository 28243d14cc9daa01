// The proposal form (市民提案型協働事業の提案): what (title, summary, fields), who (group,
// the department they would like to work with, a contact person), then a review screen.
#include "app/screens/proposal.h"
#include "app/screens/receipt.h"
#include "app/screens/flows.h"
#include "app/screens/chrome.h"
#include "app/screens/common.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/utf8.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

void draw_form(Shell& app, ProposalForm& P, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const char* req = T.get("label.required");
    const char* opt = T.get("label.optional");
    ui::text(T.get("proposal.what"), f.heading, kText, w);
    gap(6);
    ui::kb_input(app, FieldSpec{"proposal.title", InputKind::Text, 100}, T.get("proposal.name"), req, true, &P.title,
                 T.get("proposal.name.hint"), field_error(app, P.errors, "title"), ImVec2(w, 0));
    gap(6);
    ui::kb_input(app, FieldSpec{"proposal.summary", InputKind::Text, 4000, true}, T.get("proposal.summary"), req, true,
                 &P.summary, nullptr, field_error(app, P.errors, "summary"), ImVec2(w, 220));
    std::string count = T.fmt("opinion.chars", {{"n", std::to_string(utf8::length(P.summary))}, {"max", "4000"}});
    ui::text(count.c_str(), f.small, kMuted);
    gap(8);
    ui::text(T.get("proposal.fields"), f.bold, kText, w);
    ui::begin_chips();
    for (const auto& fl : standard_fields()) {
        std::string label = T.field(fl);
        ImGui::PushID(fl.c_str());
        if (ui::chip(("field-" + fl).c_str(), label.c_str(), P.has_field(fl))) {
            P.toggle_field(fl);
            app.request_redraw();
        }
        ImGui::PopID();
    }
    ui::end_chips();
    gap(18);
    ui::text(T.get("proposal.who"), f.heading, kText, w);
    gap(6);
    ui::kb_input(app, FieldSpec{"proposal.group", InputKind::Text, 100}, T.get("proposal.group"), opt, false,
                 &P.group_name, T.get("proposal.group.hint"), field_error(app, P.errors, "group_name"), ImVec2(w, 0));
    if (!P.departments.empty()) {
        gap(6);
        ui::text(T.get("proposal.department"), f.bold, kText, w);
        ui::begin_chips();
        for (const auto& d : P.departments) {
            ImGui::PushID(d.c_str());
            if (ui::chip(("dept-" + d).c_str(), d.c_str(), P.partner_department == d)) {
                P.partner_department = P.partner_department == d ? "" : d;
                app.request_redraw();
            }
            ImGui::PopID();
        }
        ui::end_chips();
    }
    gap(10);
    ui::text(T.get("proposal.contact_note"), f.body, kText, w);
    bool two = w >= 1100;
    float col = two ? (w - kGap * 4) / 3.0f : w;
    Row row(col, kGap * 2, two);
    ui::kb_input(app, FieldSpec{"proposal.name", InputKind::Text, 50}, T.get("proposal.person"), req, true, &P.name,
                 T.get("signup.name.hint"), field_error(app, P.errors, "name"), ImVec2(col, 0));
    row.next();
    ui::kb_input(app, FieldSpec{"proposal.phone", InputKind::Phone, 15}, T.get("signup.phone"), nullptr, false, &P.phone,
                 T.get("signup.phone.hint"), field_error(app, P.errors, "phone"), ImVec2(col, 0));
    row.next();
    ui::kb_input(app, FieldSpec{"proposal.email", InputKind::Email, 254}, T.get("signup.email"), nullptr, false,
                 &P.email, T.get("signup.email.hint"), field_error(app, P.errors, "email"), ImVec2(col, 0));
    row.end();
    ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
}

void draw_review(Shell& app, ProposalForm& P, float w) {
    const Texts& T = app.texts;
    ui::text(T.get("proposal.review.lead"), app.fonts().body, kText, w);
    gap(8);
    bool edit = false;
    std::string fields;
    for (const auto& fl : P.fields) fields += (fields.empty() ? "" : "、") + T.field(fl);
    edit |= review_row(app, T.get("proposal.name"), P.title, w, "edit-title");
    edit |= review_row(app, T.get("proposal.summary"), P.summary, w, "edit-summary");
    edit |= review_row(app, T.get("proposal.fields"), fields, w, "edit-fields");
    edit |= review_row(app, T.get("proposal.group"), P.group_name, w, "edit-group");
    if (!P.departments.empty())
        edit |= review_row(app, T.get("proposal.department"), P.partner_department, w, "edit-dept");
    std::string contact = P.name;
    for (const std::string* s : {&P.phone, &P.email})
        if (!s->empty()) contact += "　／　" + *s;
    edit |= review_row(app, T.get("proposal.person"), contact, w, "edit-contact");
    if (edit) {
        P.review = false;
        app.request_redraw();
    }
    const char* banner = submit_error_text(app, P.last);
    if (*banner) ui::banner(banner, kRed, kRedSoft);
}

// The call the proposal answers: its title, themes, deadline and amount (from the catalog,
// as the dashboard published them). Only the title when the call says nothing more.
void call_panel(Shell& app, const ProposalForm& P, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    if (P.call_themes.empty() && P.call_deadline.empty() && P.call_max_amount_yen < 0 && P.call_amount_note.empty()) {
        about_panel(app, T.get("proposal.call"), P.call_title, w);
        return;
    }
    const float pad = w < 700 ? 20 : 32, inner = w - 2 * pad;
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);   // the background under the text, sized after it
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, a.y + 18));
    ImGui::BeginGroup();
    ui::text(T.get("proposal.call"), f.small, kMuted, inner);
    ui::text(P.call_title.c_str(), f.bold, kText, inner);
    // What decides whether to start writing first: the deadline and the amount (one line
    // when there is room), then the themes.
    gap(6);
    std::string deadline, amount;
    if (!P.call_deadline.empty()) deadline = T.fmt("proposal.call.deadline", {{"date", date_text(app, P.call_deadline)}});
    if (P.call_max_amount_yen >= 0)
        amount = T.fmt("proposal.call.amount", {{"yen", digits_grouped(P.call_max_amount_yen)}});
    const float dw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, deadline.c_str()).x;
    const float aw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, amount.c_str()).x;
    const bool one_line = !deadline.empty() && !amount.empty() && dw + 48 + aw <= inner;
    if (!deadline.empty()) {
        ui::text(deadline.c_str(), f.bold, kText, one_line ? dw + 1 : inner);
        ui::note_item("call-deadline");
    }
    if (!amount.empty()) {
        if (one_line) ImGui::SameLine(0, 48);
        ui::text(amount.c_str(), f.bold, kText, one_line ? aw + 1 : inner);
        ui::note_item("call-amount");
    }
    if (!P.call_amount_note.empty()) ui::text(P.call_amount_note.c_str(), f.small, kMuted, inner);
    if (P.call_closed(app.today())) ui::text(T.get("proposal.call.closed"), f.body, kRed, inner);
    if (!P.call_themes.empty()) {
        gap(8);
        ui::text(T.get("proposal.call.themes"), f.bold, kMuted, inner);
        for (std::size_t i = 0; i < P.call_themes.size(); ++i) {
            const std::string line = "・" + P.call_themes[i];
            ui::text(line.c_str(), f.body, kText, inner);
            ui::note_item("call-theme-" + std::to_string(i));
        }
    }
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + 18;
    dl->ChannelsSetCurrent(0);
    ui::panel_bg(a, ImVec2(a.x + w, bottom), kPrimarySoft, false);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(a.x, bottom + 14));
    ImGui::Dummy(ImVec2(1, 0));
}

}  // namespace

void ProposalView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    ProposalForm& P = proposal;
    float w = begin_page(1300);
    ImGui::BeginChild("proposal", ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    ui::title_text(T.get(P.review ? "proposal.review.title" : "proposal.title"), f.title, kText, w);
    gap(2);
    ui::text(T.get("proposal.lead"), f.body, kText, w);
    gap(6);
    if (!P.call_title.empty()) call_panel(app, P, w);
    step_progress(app, P.review ? 1 : 0, 2, w);
    gap(14);
    if (P.review) draw_review(app, P, w);
    else draw_form(app, P, w);
    gap(30);
    ImGui::EndChild();
    int b = step_buttons(app, "flow.back", P.review ? "proposal.submit" : "flow.to_review", w);
    if (b < 0) {
        close_keyboard(app);
        if (P.review) P.review = false;
        else app.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (P.review) submit(app);
        else P.to_review();   // errors are shown next to the fields
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void ProposalView::start(Shell& app, const std::string& call_id) {
    std::optional<Activity> call;
    if (!call_id.empty()) {
        call = app.store().activity(call_id);
    } else {
        SearchQuery q;
        q.kind = ActivityKind::CallForProposals;
        q.date_from = app.today();
        q.limit = 1;
        auto r = app.store().search(q);
        if (!r.items.empty()) call = r.items.front();
    }
    std::string id = call ? call->id : "";
    if (proposal.call_id != id || !proposal.dirty()) {
        proposal.start_for(call ? &*call : nullptr);
        for (const auto& d : proposal.departments) app.note_text(d);   // from extra: not in the atlas yet
        for (const auto& t : proposal.call_themes) app.note_text(t);
        app.note_text(proposal.call_amount_note);
    }
    app.go(Screen::Proposal);
}

void ProposalView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = proposal.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::Proposal, r.receipt);
        proposal.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
