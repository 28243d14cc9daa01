// Receipt: "received", the receipt number (and a check code for sign-ups) in large type,
// and what happens next. After a sign-up also what was signed up for (name, date, place), a
// QR code to the sign-up's status page on a phone, and the activity's survey if it has one
// (issue 9 point 7; docs/protocol.md, "The receipt's QR code").
#include <algorithm>

#include "app/screens/receipt.h"
#include "core/uuid.h"
#include "app/screens/signup.h"
#include "app/screens/common.h"
#include "app/screens/chrome.h"
#include "app/screens/detail.h"
#include "app/screens/survey.h"
#include "app/ui/qr_image.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

bool survey_in_catalog(Shell& app, const std::string& id) {
    if (id.empty()) return false;
    try {
        return app.store().survey(id).has_value();
    } catch (const std::exception&) {
        return false;
    }
}

// A label and its value on one line, the value wrapped beside the label.
void labelled(Shell& app, const char* label, const std::string& value, float width) {
    const FontRoles& f = app.fonts();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float lw = std::max(f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label).x + 16, 96.0f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddText(f.bold, f.bold->FontSize, p, kMuted, label);
    const ImVec2 vs = ui::wrapped_size(f.body, f.body->FontSize, width - lw, value.c_str());
    ui::draw_wrapped(dl, f.body, f.body->FontSize, ImVec2(p.x + lw, p.y), kText, value.c_str(), width - lw);
    ImGui::Dummy(ImVec2(width, std::max(vs.y, f.bold->FontSize)));
    gap(6);
}

}  // namespace

// What was signed up for, the QR code to its status page, and the activity's survey: a column
// `width` wide from the cursor.
void ReceiptView::activity_card(Shell& app, float width, bool tight) {
    // tight: in its fixed card beside the number, smaller gaps (its survey note ran 11 px past
    // the card's bottom at the standard size).
    const float g = tight ? 0.5f : 1.0f;
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const Activity& act = *activity;
    ImGui::BeginGroup();
    ui::text(T.get("receipt.activity"), f.small, kMuted, width);
    gap(4);
    // With furigana on, the catalog's readings above the title's kanji, as on the detail page.
    ui::ruby_text(act.title.c_str(), readings(app, act, RubyField::Title), f.bold, kText, width);
    gap(10 * g);
    const std::string when = when_text(app, act);
    if (!when.empty()) labelled(app, T.get("detail.when"), when, width);
    if (!act.place.empty()) labelled(app, T.get("detail.where"), act.place, width);
    gap(14 * g);
    // The QR code: the status page with the receipt number filled in (never the check code).
    const std::string url = app.receipt_url(receipt.number);
    const float side = qr_side(app, url, std::min(210.0f, width));   // 5 px a module (version 4)
    if (side > 0) {
        const ImVec2 q = ImGui::GetCursorScreenPos();
        const float text_x = side + 24, text_w = width - text_x;
        const bool beside_qr = text_w >= 220;
        draw_qr(app, url, q, side, "receipt-qr");
        if (beside_qr) {
            ImGui::SetCursorScreenPos(ImVec2(q.x + text_x, q.y));
            ImGui::BeginGroup();
            ui::text(T.get("receipt.qr"), f.bold, kText, text_w);
            gap(6);
            ui::text(T.get("receipt.qr.desc"), f.small, kMuted, text_w);
            ImGui::EndGroup();
            const float bottom = std::max(ImGui::GetItemRectMax().y, q.y + side);
            ImGui::SetCursorScreenPos(ImVec2(q.x, bottom));
        } else {
            ImGui::SetCursorScreenPos(ImVec2(q.x, q.y + side + 10));
            ui::text(T.get("receipt.qr"), f.bold, kText, width);
            gap(4);
            ui::text(T.get("receipt.qr.desc"), f.small, kMuted, width);
        }
        ImGui::Dummy(ImVec2(width, 0));
    }
    // Its survey, answered for this activity (the answer names it, as from the detail page).
    if (survey_in_catalog(app, act.survey_id)) {
        gap(18 * g);
        if (ui::button("receipt-survey", T.get("receipt.survey"), ImVec2(width, kButtonH), ui::Tone::Secondary))
            app.view<SurveyView>().start(app, act.survey_id, act.id);
        gap(4);
        ui::text(T.get("receipt.survey.note"), f.small, kMuted, width);
    }
    ImGui::EndGroup();
}

void ReceiptView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const bool with_activity = activity.has_value();
    float w = begin_page(with_activity ? 1700 : 1200);
    // Phone width: less margin, the number and the check code one above the other, and the
    // page scrolls (it is taller than the window) instead of sitting on a fixed card.
    const bool narrow = w < 700;
    // A wide window: what was signed up for in a column of its own beside the number (the
    // number's column keeps its height: 1080 px has no room for both one above the other),
    // as long as both fit their fixed cards, the finish button inside the number's: measured
    // when drawn. Else (大 and 特大, a long title, English) the number's texts ran out of their
    // card and the finish button fell under the footer, unreachable: the scrolling layout, one
    // above the other. A new receipt, window, text size, language or furigana setting is
    // measured side by side once (one frame) and drawn again if it did not fit.
    const std::string key = with_activity ? activity->id + "|" + std::to_string(static_cast<int>(w)) + "|" +
                                                std::to_string(static_cast<int>(app.settings.text_size)) + "|" + lang_code(T.lang()) + "|" +
                                                std::to_string(static_cast<int>(app.settings.furigana)) + "|" +
                                                receipt.number + (confirmed_on_spot ? "|c" : "")
                                          : std::string();
    if (key != side_key_) {
        side_key_ = key;
        side_fits_ = true;
    }
    const bool beside = with_activity && w >= 1500 && side_fits_;
    // Portrait or narrower: the activity under the texts, and the page scrolls if it must.
    const bool scroll = narrow || (with_activity && !beside);
    const float page_w = w;
    if (scroll) {
        ImGui::BeginChild("receipt-scroll", ImVec2(w + 8, ImGui::GetContentRegionAvail().y), false,
                          ImGuiWindowFlags_NoScrollWithMouse);
        ui::touch_scroll();
        w = ImGui::GetContentRegionAvail().x - 12;
    }
    const float card_w = beside ? 700 : 0;
    if (beside) w = page_w - card_w - kGap;
    ImVec2 a = ImGui::GetCursorScreenPos();
    float h = ImGui::GetContentRegionAvail().y - kMargin;
    if (!narrow && !scroll) ui::panel_bg(a, ImVec2(a.x + w, a.y + h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // A check mark in a green circle.
    // Beside the activity's column the number's column is narrower (its texts take more lines):
    // the check mark is smaller and higher, the number box and the gaps tighter, so the button stays
    // inside the card at 1080 px, with room for the line that comes when the check code hides.
    const float mark = beside ? 0.6f : 1.0f;
    ImVec2 c(a.x + w * 0.5f, a.y + (beside ? 52 : 96));
    dl->AddCircleFilled(c, 56 * mark, kGreen, 48);
    dl->AddLine(ImVec2(c.x - 26 * mark, c.y + 2 * mark), ImVec2(c.x - 6 * mark, c.y + 22 * mark), kSurface, 10 * mark);
    dl->AddLine(ImVec2(c.x - 6 * mark, c.y + 22 * mark), ImVec2(c.x + 28 * mark, c.y - 20 * mark), kSurface, 10 * mark);

    auto centred = [&](const char* s, ImFont* font, ImU32 col, float y) {
        float inner = w - (narrow ? 40 : 120);
        // The headline shrinks rather than break a word (Receive/d at 特大 on a phone).
        const float fs = font == f.title ? ui::title_size(font, inner, s) : font->FontSize;
        ImVec2 ts = ui::wrapped_size(font, fs, inner, s);
        float x = a.x + (w - (ts.x < inner ? ts.x : inner)) * 0.5f;
        ui::draw_wrapped(dl, font, fs, ImVec2(x, y), col, s, inner);
        return y + ts.y;
    };
    float y = a.y + (beside ? 100 : 176);
    bool signup = kind == RecordKind::SignUp;
    // Confirmed here under the kiosk's lease (issue 10 point 2): 参加確定 is the headline.
    const bool confirmed = signup && confirmed_on_spot;
    const char* head = confirmed ? "receipt.confirmed" : booking ? "receipt.booking.title" : "receipt.title";
    y = centred(T.get(head), f.title, confirmed ? kGreen : kText, y) + 10;
    const bool coded = signup || kind == RecordKind::Talent || kind == RecordKind::GroupRegistration ||
                       kind == RecordKind::ItemRequest;   // a check code to print
    const std::string thanks = booking ? (consultation ? "receipt.thanks.consult" : "receipt.thanks.booking")
                                       : std::string("receipt.thanks.") + to_code(kind);
    y = centred(T.get(thanks), f.body, kText, y) + (beside ? 16 : 28);

    // The number box.
    const bool two = coded && !receipt.check_code.empty();
    const float block_h = 22 + f.bold->FontSize + 14 + f.display->FontSize + 22;
    float bw = coded ? 900 : 640, bh = narrow && two ? 2 * block_h : beside ? block_h : 200;
    if (bw > w - (narrow ? 24 : 80)) bw = w - (narrow ? 24 : 80);
    ImVec2 ba(a.x + (w - bw) * 0.5f, y), bb(ba.x + bw, y + bh);
    dl->AddRectFilled(ba, bb, kPrimarySoft, kRadius);
    dl->AddRect(ba, bb, kPrimary, kRadius, 0, 3);
    // One label and its value, centred on cx within `room` px; a value too wide for it
    // (a phone) is drawn smaller rather than over its neighbour.
    auto block = [&](float cx, float top, float room, const char* label, const std::string& value) {
        // The label too (かくにんの ばんごう ran past the box in portrait easy Japanese).
        float ls = f.bold->FontSize;
        float lw = f.bold->CalcTextSizeA(ls, FLT_MAX, 0, label).x;
        if (lw > room - 24) {
            ls *= (room - 24) / lw;
            lw = room - 24;
        }
        ui::add_text(dl, f.bold, ls, ImVec2(cx - lw * 0.5f, top + 22 + (f.bold->FontSize - ls) * 0.5f), kMuted, label);
        float fs = f.display->FontSize;
        float vw = f.display->CalcTextSizeA(fs, FLT_MAX, 0, value.c_str()).x;
        if (vw > room - 24) {
            fs *= (room - 24) / vw;
            vw = room - 24;
        }
        ui::add_text(dl, f.display, fs, ImVec2(cx - vw * 0.5f, top + 22 + f.bold->FontSize + 14 + (f.display->FontSize - fs) * 0.5f),
                    kText, value.c_str());
    };
    // The check code is personal: hidden after a few seconds (the next person may be
    // looking over the shoulder).
    const bool hide = privacy.hidden(app.now());
    const std::string check = hide ? std::string("****") : receipt.check_code;
    if (two && narrow) {
        block(ba.x + bw * 0.5f, ba.y, bw, T.get("receipt.number"), receipt.number);
        dl->AddLine(ImVec2(ba.x + 30, ba.y + block_h), ImVec2(bb.x - 30, ba.y + block_h), kBorder, 2);
        block(ba.x + bw * 0.5f, ba.y + block_h, bw, T.get("receipt.check"), check);
    } else if (two) {
        block(ba.x + bw * 0.36f, ba.y, bw * 0.72f, T.get("receipt.number"), receipt.number);
        dl->AddLine(ImVec2(ba.x + bw * 0.72f, ba.y + 30), ImVec2(ba.x + bw * 0.72f, bb.y - 30), kBorder, 2);
        block(ba.x + bw * 0.86f, ba.y, bw * 0.28f, T.get("receipt.check"), check);
    } else {
        block(ba.x + bw * 0.5f, ba.y, bw, T.get("receipt.number"), receipt.number);
    }
    y = bb.y + (beside ? 16 : 28);
    // Beside the activity's column the texts wrap more (1.5x line pitch): tighter paragraph
    // gaps keep the finish button inside the number's card at 1080 px (ui_harness receipt case).
    const float para = beside ? 6.0f : 14.0f;
    if (hide && coded) y = centred(T.get("receipt.hidden"), f.bold, kMuted, y) + para;
    y = centred(T.get("receipt.keep"), f.body, kText, y) + para;
    if (confirmed) y = centred(T.get("receipt.signup_confirmed"), f.bold, kText, y) + para;
    else if (booking) y = centred(T.get("receipt.booking.status"), f.body, kText, y) + para;
    else if (signup) y = centred(T.get("receipt.signup_status"), f.body, kText, y) + para;
    if (kind == RecordKind::Talent) y = centred(T.get("receipt.talent.keep"), f.body, kText, y) + para;
    // A group application: this is the APPLICATION's receipt; the registration number comes
    // after the centre approves it (docs/groups.md, "Where the registration number is shown").
    if (kind == RecordKind::GroupRegistration) y = centred(T.get("receipt.group.next"), f.body, kText, y) + para;
    // An item request: staff decide at city hall, and the code is shown when collecting (docs/items.md).
    if (kind == RecordKind::ItemRequest) y = centred(T.get("receipt.item.next"), f.body, kText, y) + para;
    y = centred(T.get("receipt.sync"), f.small, kMuted, y) + (beside ? 12 : 30);

    if (with_activity && !beside) {
        const float cw = std::min(w - (narrow ? 0.0f : 80.0f), 760.0f);
        const float pad = narrow ? 16 : 28;
        const ImVec2 ca(a.x + (w - cw) * 0.5f, y);
        ImDrawList* cdl = ImGui::GetWindowDrawList();
        cdl->ChannelsSplit(2);   // the card's background under its content, sized after it
        cdl->ChannelsSetCurrent(1);
        ImGui::SetCursorScreenPos(ImVec2(ca.x + pad, ca.y + pad));
        activity_card(app, cw - 2 * pad, false);
        const float cb = ImGui::GetItemRectMax().y + pad;
        cdl->ChannelsSetCurrent(0);
        cdl->AddRectFilled(ca, ImVec2(ca.x + cw, cb), kSurface, kRadius);
        cdl->AddRect(ca, ImVec2(ca.x + cw, cb), kBorder, kRadius, 0, 2);
        cdl->ChannelsMerge();
        y = cb + 30;
    }

    const float btn_w = std::min(520.0f, w - 40);
    ImGui::SetCursorScreenPos(ImVec2(a.x + (w - btn_w) * 0.5f, y));
    if (ui::button("done", T.get("receipt.done"), ImVec2(btn_w, kBigButtonH), ui::Tone::Primary, f.heading))
        app.reset_session();   // the resident is done: the next one starts afresh
    // The number's column fits its card when the finish button ends inside it, with room for
    // the line that says the check code was hidden (it comes a few seconds later).
    float number_bottom = ImGui::GetItemRectMax().y;
    if (coded && !hide) {
        const float inner = w - (narrow ? 40 : 120);
        number_bottom += ui::wrapped_size(f.bold, f.bold->FontSize, inner, T.get("receipt.hidden")).y + para;
    }
    if (scroll) {
        gap(30);
        ImGui::EndChild();
    }
    if (beside) {
        const ImVec2 ca(a.x + w + kGap, a.y);
        ui::panel_bg(ca, ImVec2(ca.x + card_w, ca.y + h));
        const float pad = 36;
        ImGui::SetCursorScreenPos(ImVec2(ca.x + pad, ca.y + 28));
        activity_card(app, card_w - 2 * pad, true);
        const ImVec2 card_end = ImGui::GetItemRectMax();
        const bool fits = number_bottom <= a.y + h && card_end.y <= ca.y + h - 8 && card_end.x <= ca.x + card_w;
        if (!fits) {
            side_fits_ = false;   // the next frame stacks them on a scrolling page
            app.request_redraw(2);
        }
    }
}

void ReceiptView::show_booking(Shell& app, const Receipt& r, bool consult) {
    show(app, RecordKind::SignUp, r);
    booking = true;
    consultation = consult;
}

void ReceiptView::show(Shell& app, RecordKind k, const Receipt& r, bool confirmed, const std::string& activity_id) {
    app.keyboard.kb.close();   // the keyboard belongs to the screen being left
    kind = k;
    booking = consultation = false;
    receipt = r;
    activity.reset();
    if (!activity_id.empty()) {
        try {
            activity = app.store().activity(activity_id);
        } catch (const std::exception&) {
            // Not in the catalog any more: the receipt still shows its number.
        }
        if (activity) {
            app.note_text(activity->title);
            app.note_text(activity->place);
        }
    }
    confirmed_on_spot = confirmed && k == RecordKind::SignUp;
    privacy.show(app.now());
    hidden_drawn_ = false;
    app.note_text(r.number);
    app.nav.replace(Screen::Receipt);
    app.request_redraw();
}

bool ReceiptView::tick(Shell&, double now) {
    // The personal data hides on time, touch or not: one frame to show it hidden.
    if (!privacy.armed() || !privacy.hidden(now) || hidden_drawn_) return false;
    hidden_drawn_ = true;
    return true;
}

void ReceiptView::preview(Shell& app, Screen) {
    // A preview receipt: derived like a real one, but nothing is stored.
    Receipt r;
    r.record_id = new_uuid_v7();
    r.number = receipt_number(r.record_id);
    r.check_code = "0000";
    app.go(Screen::SignUp);
    std::optional<Activity> pick = preview_activity(app);
    show(app, RecordKind::SignUp, r, false, pick ? pick->id : std::string());
}

}  // namespace kyodo::app::screens
