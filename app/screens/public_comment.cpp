// Public comment (パブリックコメント) on a draft by section: pick a section (its text is
// shown) → write → review → receipt. Only drafts whose comment period is open are offered.
// From a closed draft's page, 市の考え方を読む shows the city's response here: the summary, then
// each comment with the city's answer, by section (wrapped text panels, as the draft's sections).
#include <algorithm>

#include "app/screens/public_comment.h"
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

void draw_draft_list(Shell& app, float w) {
    const FontRoles& f = app.fonts();
    auto drafts = open_drafts(app.store(), app.today());
    if (drafts.empty()) {
        ui::banner(app.texts.get("comment.none"), kText, kFooter);
        return;
    }
    ui::text(app.texts.get("comment.pick_draft"), f.body, kText, w);
    gap(10);
    for (const auto& d : drafts)
        if (activity_row(app, d, w)) app.view<PublicCommentView>().start(app, d.id);
}

// A section card: its title (wrapped, a phone is narrow) and the first two lines of its text;
// the card is as tall as what it shows (the title ran past a phone's card, the text under it).
void draw_sections(Shell& app, CommentForm& C, float w) {
    const FontRoles& f = app.fonts();
    ui::text(app.texts.get("comment.pick_section"), f.heading, kText, w);
    gap(10);
    const float pad = 30, text_w = w - pad * 2 - 40;
    for (std::size_t i = 0; i < C.sections.size(); ++i) {
        const DraftSection& s = C.sections[i];
        const float title_h = ui::wrapped_size(f.bold, f.bold->FontSize, text_w, s.title.c_str()).y;
        const float lines_h = std::min(ui::wrapped_size(f.small, f.small->FontSize, text_w, s.text.c_str()).y,
                                       ui::clipped_height(f.small, 2));
        const float h = 22 + title_h + 10 + lines_h + 22;
        std::string id = "section-" + s.id;
        if (ui::card(id.c_str(), ImVec2(w, h))) {
            C.pick(static_cast<int>(i));
            app.request_redraw();
        }
        ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + 10, q.y), kind_colour(4), kRadius, ImDrawFlags_RoundCornersLeft);
        ui::draw_wrapped(dl, f.bold, f.bold->FontSize, ImVec2(p.x + pad, p.y + 22), kText, s.title.c_str(), text_w);
        ui::text_clipped(dl, f.small, ImVec2(p.x + pad, p.y + 22 + title_h + 10), text_w, 2, kMuted, s.text.c_str());
        ui::note_rect("section-text:" + s.id, ImVec2(p.x + pad, p.y + 22),
                      ImVec2(p.x + pad + text_w, p.y + 22 + title_h + 10 + lines_h));
        float cx = q.x - 34, cy = (p.y + q.y) * 0.5f;
        dl->AddLine(ImVec2(cx - 8, cy - 16), ImVec2(cx + 8, cy), kPrimary, 5);
        dl->AddLine(ImVec2(cx + 8, cy), ImVec2(cx - 8, cy + 16), kPrimary, 5);
    }
}

// Headed paragraphs in a panel as tall as the text drawn (drawn first on the draw list's
// upper channel, the panel under it once its height is known: the height was computed apart
// and the text ran over the panel's bottom). `id`: the layout names of the text and the box.
void text_panel(const Shell& app, const std::vector<std::pair<std::string, std::string>>& parts, float w, const std::string& id) {
    const FontRoles& f = app.fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 a = ImGui::GetCursorScreenPos();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(a.x + 32, a.y + 22));
    ImGui::BeginGroup();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) gap(12);
        ui::text(parts[i].first.c_str(), f.bold, kText, w - 64);
        gap(2);
        ui::text(parts[i].second.c_str(), f.body, kText, w - 64);
    }
    ImGui::EndGroup();
    const ImVec2 t0 = ImGui::GetItemRectMin(), t1 = ImGui::GetItemRectMax();
    const float h = t1.y - a.y + 22;
    dl->ChannelsSetCurrent(0);
    ui::panel_bg(a, ImVec2(a.x + w, a.y + h));
    dl->ChannelsMerge();
    ui::note_rect(id + "-text", t0, t1);
    ui::note_rect(id + "-box", a, ImVec2(a.x + w, a.y + h));
    ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h + 16));
    ImGui::Dummy(ImVec2(1, 0));
}

// The chosen section's title and whole text.
void section_text(const Shell& app, const DraftSection& s, float w) { text_panel(app, {{s.title, s.text}}, w, "comment-section"); }

// 市の考え方: when it was published, the summary, then each section's comments with the answers.
void draw_response(Shell& app, const CityResponse& r, const std::string& title, float w) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    about_panel(app, T.get("comment.draft"), title, w);
    ui::text(T.get("response.title"), f.heading, kText, w);
    if (!r.published_date.empty()) ui::text(T.fmt("response.published", {{"date", date_text(app, r.published_date)}}).c_str(), f.body, kMuted, w);
    gap(10);
    if (!r.summary.empty()) text_panel(app, {{T.get("response.summary"), r.summary}}, w, "response-summary");
    std::string section;
    for (std::size_t i = 0; i < r.items.size(); ++i) {
        const CityResponseItem& it = r.items[i];
        if (i == 0 || it.section_title != section) {
            gap(6);
            ui::text((section = it.section_title).c_str(), f.heading, kText, w);
            gap(4);
        }
        text_panel(app, {{T.get("response.opinion"), it.opinion}, {T.get("response.answer"), it.answer}}, w,
                   "response-item-" + std::to_string(i));
    }
    if (r.items.empty()) ui::text(T.get("response.no_items"), f.body, kMuted, w);
}

}  // namespace

void PublicCommentView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    CommentForm& C = comment;
    float w = begin_page(1300);
    const bool list = C.draft_id.empty() && !reading;
    ImGui::BeginChild("comment",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - (list ? 0 : step_bar_h(app))),
                      false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 12;
    ui::title_text(T.get("comment.title"), f.title, kText, w);
    gap(4);
    if (list) {
        draw_draft_list(app, w);
        ImGui::EndChild();
        return;
    }
    if (reading) {
        draw_response(app, *reading, reading_title, w);
        gap(30);
        ImGui::EndChild();
        if (step_buttons(app, "flow.back", nullptr, w) < 0) {
            reading.reset();
            app.back();   // to the draft's page
            app.request_redraw();
        }
        return;
    }
    about_panel(app, T.get("comment.draft"), C.draft_title, w);
    if (!C.period_until.empty())
        ui::text(T.fmt("comment.until", {{"date", date_text(app, C.period_until)}}).c_str(), f.bold, kText, w);
    gap(6);
    step_progress(app, static_cast<int>(C.step), 3, w);
    gap(14);
    const bool has_section = C.section >= 0 && C.section < static_cast<int>(C.sections.size());
    const char* next_key = nullptr;
    switch (C.step) {
        case CommentForm::Step::Section:
            draw_sections(app, C, w);
            break;
        case CommentForm::Step::Write: {
            if (has_section) section_text(app, C.sections[static_cast<std::size_t>(C.section)], w);
            if (ui::kb_input(app, FieldSpec{"comment.text", InputKind::Text, 4000, true}, T.get("comment.text"),
                             T.get("label.required"), true, &C.text, nullptr, field_error(app, C.errors, "text"),
                             ImVec2(w, 240)))
                C.errors.erase("text");   // the error goes as soon as something is written
            std::string count = T.fmt("opinion.chars", {{"n", std::to_string(utf8::length(C.text))}, {"max", "4000"}});
            ui::text(count.c_str(), f.small, kMuted);
            gap(10);
            ui::text(T.get("comment.name_note"), f.body, kText, w);
            bool two = w >= 1100;
            float col = two ? (w - kGap * 2) * 0.5f : w;
            Row row(col, kGap * 2, two);
            ui::kb_input(app, FieldSpec{"comment.name", InputKind::Text, 50}, T.get("opinion.name"),
                         T.get("label.optional"), false, &C.name, T.get("signup.name.hint"),
                         field_error(app, C.errors, "name"), ImVec2(col, 0));
            row.next();
            ui::kb_input(app, FieldSpec{"comment.email", InputKind::Email, 254}, T.get("signup.email"),
                         T.get("label.optional"), false, &C.email, T.get("signup.email.hint"),
                         field_error(app, C.errors, "email"), ImVec2(col, 0));
            row.end();
            next_key = "flow.to_review";
            break;
        }
        case CommentForm::Step::Review: {
            ui::text(T.get("comment.review.lead"), f.body, kText, w);
            gap(8);
            bool edit = false;
            if (review_row(app, T.get("comment.section"), has_section ? C.sections[static_cast<std::size_t>(C.section)].title : "",
                           w, "edit-section")) {
                C.step = CommentForm::Step::Section;
                app.request_redraw();
            }
            edit |= review_row(app, T.get("comment.text"), C.text, w, "edit-text");
            edit |= review_row(app, T.get("opinion.name"), C.name, w, "edit-name");
            edit |= review_row(app, T.get("signup.email"), C.email, w, "edit-email");
            if (edit) {
                C.step = CommentForm::Step::Write;
                app.request_redraw();
            }
            if (!C.name.empty() || !C.email.empty()) ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
            const char* banner = submit_error_text(app, C.last);
            if (*banner) ui::banner(banner, kRed, kRedSoft);
            next_key = "comment.submit";
            break;
        }
    }
    gap(30);
    ImGui::EndChild();
    int b = step_buttons(app, "flow.back", next_key, w);
    if (b < 0) {
        close_keyboard(app);
        if (C.step == CommentForm::Step::Section) app.back();
        else C.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (C.step == CommentForm::Step::Write) C.to_review();
        else if (C.step == CommentForm::Step::Review) submit(app);
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void PublicCommentView::read_response(Shell& app, const std::string& draft_id) {
    std::optional<Activity> a;
    try {
        a = app.store().activity(draft_id);
    } catch (const std::exception&) {
    }
    if (!a) return;
    auto r = city_response(*a);
    if (!r) return;
    app.note_text(r->all_text() + a->title);   // the response's characters join the atlas
    comment.clear();
    reading = std::move(r);
    reading_title = a->title;
    app.go(Screen::PublicComment);
}

void PublicCommentView::start(Shell& app, const std::string& draft_id) {
    reading.reset();
    std::string id = draft_id;
    if (id.empty()) {
        auto open = open_drafts(app.store(), app.today());
        if (open.size() == 1) id = open.front().id;
    }
    if (id != comment.draft_id) {
        comment.clear();
        if (!id.empty()) {
            auto a = app.store().activity(id);
            if (a && comment.start_for(*a, app.today())) {
                // The draft's text lives in extra.sections: its characters join the atlas.
                for (const auto& s : comment.sections) app.note_text(s.title + s.text);
            }
        }
    }
    app.go(Screen::PublicComment);
}

void PublicCommentView::submit(Shell& app) {
    app.release_input();
    SubmitResult r = comment.submit(app.submit_context());
    if (r.ok()) {
        app.view<ReceiptView>().show(app, RecordKind::PublicComment, r.receipt);
        comment.clear();
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
