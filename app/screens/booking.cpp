// Booking a room, a piece of equipment or a consultation, one step a screen. The values and
// checks live in BookingForm; this file draws the step showing and turns taps into calls.
#include "app/screens/booking.h"

#include <algorithm>

#include "app/screens/chrome.h"
#include "app/screens/flows.h"
#include "app/screens/person_steps.h"
#include "app/screens/receipt.h"
#include "app/screens/slot_calendar.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/shell.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

// The words for a booking's field error: the booking's own codes first (unknown_group …),
// then the shared ones (required, too_long …).
const char* booking_error(const Shell& app, const FieldErrors& errors, const char* field) {
    auto it = errors.find(field);
    if (it == errors.end()) return nullptr;
    for (const std::string& key : {"booking.err." + std::string(field) + "." + it->second, "booking.err." + it->second})
        if (app.texts.has(key)) return app.texts.get(key);
    return field_error(app, errors, field);
}

void error_line(const Shell& app, const FieldErrors& errors, const char* field, float w) {
    if (const char* e = booking_error(app, errors, field)) ui::text(e, app.fonts().bold, kRed, w);
}

std::string type_key(slots::ResourceType t) { return std::string("slot.type.") + slots::to_code(t); }

std::optional<SignUpStep> as_signup_step(BookingStep s) {
    switch (s) {
        case BookingStep::Name: return SignUpStep::Name;
        case BookingStep::Furigana: return SignUpStep::Furigana;
        case BookingStep::Contact: return SignUpStep::Contact;
        default: return std::nullopt;
    }
}

BookingStep as_booking_step(SignUpStep s) {
    switch (s) {
        case SignUpStep::Name: return BookingStep::Name;
        case SignUpStep::Furigana: return BookingStep::Furigana;
        default: return BookingStep::Contact;
    }
}

// "プロジェクター　12/12（土）10:00–12:00" for the panel under the title.
std::string slot_line(const Shell& app, const BookingForm& F) {
    std::string s;
    if (const slots::Resource* r = F.resource()) s = r->name;
    if (F.slot) {
        const std::string day = F.slot->starts_at.size() >= 10 ? short_day(app, F.slot->starts_at.substr(0, 10)) : "";
        s += (s.empty() ? "" : "　") + day + " " + time_span(*F.slot);
    }
    return s;
}

}  // namespace

std::string BookingView::now(const Shell& app) const {
    return now_override.empty() ? local_now(app.today_override) : now_override;
}

std::vector<Activity> BookingView::load_slots(Shell& app) {
    std::vector<Activity> all;
    try {
        all = app.store().bookables(ActivityKind::Slot, "");
    } catch (const std::exception&) {
        // A store error leaves the list empty: the screen says there is nothing to book.
    }
    const std::string here = app.submit_context().centre_id;
    std::stable_partition(all.begin(), all.end(), [&](const Activity& a) { return a.centre_id == here; });
    for (const auto& a : all)
        if (auto i = slots::slot_info(a)) app.note_text(i->resource_name + a.place + app.centre_name(a.centre_id));
    return all;
}

void BookingView::refresh(Shell& app) {
    directory.clear();
    try {
        for (auto& o : app.store().organizations())
            if (!o.registration.empty()) directory.push_back(std::move(o));
        held = held_slots(app.store().signups(2000));
    } catch (const std::exception&) {
    }
    for (const auto& o : directory) app.note_text(o.name);
}

void BookingView::start(Shell& app, BookingMode mode) {
    refresh(app);
    booking.start(mode, load_slots(app), app.today());
    app.go(mode == BookingMode::Consultation ? Screen::Consult : Screen::Booking);
}

void BookingView::start_for(Shell& app, const Activity& slot, const std::string& group) {
    refresh(app);
    const auto info = slots::slot_info(slot);
    const BookingMode mode = info && info->type == slots::ResourceType::Consultation ? BookingMode::Consultation
                                                                                     : BookingMode::Facility;
    booking.start_for(mode, load_slots(app), slot, group, app.today());
    app.go(mode == BookingMode::Consultation ? Screen::Consult : Screen::Booking);
}

void BookingView::on_catalog_changed(Shell& app) {
    refresh(app);
    booking.reload(load_slots(app));
}

void BookingView::preview(Shell& app, Screen screen) {
    start(app, screen == Screen::Consult ? BookingMode::Consultation : BookingMode::Facility);
    if (booking.mode == BookingMode::Consultation) {
        const auto& topics = slots::consult_topics();
        if (!topics.empty()) booking.topic = topics.front().code;
    }
    if (!booking.resources.empty()) {
        booking.choose_resource(booking.resources.front().id);
        booking.step = BookingStep::Calendar;
    }
}

void BookingView::draw(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    BookingForm& F = booking;
    const std::string now_iso = now(app);
    const bool consult = F.mode == BookingMode::Consultation;
    for (const char* s : {"○", "◇", "・", "×", "△", "ー", "◎", "–", "〜"}) app.note_text(s);
    // A "required" note goes as soon as the field is filled in.
    if (!F.topic.empty()) F.errors.erase("topic");
    float w = begin_page(F.step == BookingStep::Calendar ? 1760 : 1200);
    ImGui::BeginChild("booking-steps",
                      ImVec2(w + 8, ImGui::GetContentRegionAvail().y - ui::keyboard_height(app) - step_bar_h(app)), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    ui::form_step(app, static_cast<int>(F.step));
    w = ImGui::GetContentRegionAvail().x - 12;
    const bool narrow = w < 700;
    const bool review = F.step == BookingStep::Review;
    std::string title = T.get(review ? "booking.review.title" : consult ? "consult.title" : "booking.title");
    if (F.step == BookingStep::Calendar && F.resource()) title = F.resource()->name;   // the calendar's own heading
    ui::text(title.c_str(), narrow ? f.heading : f.title, kText, w);
    gap(2);
    if (const std::string line = slot_line(app, F); !line.empty() && F.step > BookingStep::Calendar && !review) {
        about_panel(app, T.get(consult ? "consult.for" : "booking.for"), line, w);
    }
    step_progress(app, F.index(), F.count(), w);
    gap(narrow ? 6 : 12);
    if (const char* banner = submit_error_text(app, F.last); *banner) {
        ui::banner(banner, kRed, kRedSoft);
        gap(6);
    }
    const char* opt = T.get("label.optional");
    const char* req = T.get("label.required");
    auto question = [&](const char* key) {
        ui::text(T.get(key), narrow ? f.bold : f.heading, kText, w);
        gap(narrow ? 4 : 8);
    };
    switch (F.step) {
        case BookingStep::Topic: {
            question("consult.q.topic");
            ui::text(T.get("consult.lead"), f.body, kMuted, w);
            gap(8);
            ui::begin_chips();
            for (const auto& t : slots::consult_topics()) {
                ImGui::PushID(t.code);
                if (ui::chip((std::string("topic-") + t.code).c_str(), T.get(std::string("consult.topic.") + t.code),
                             F.topic == t.code)) {
                    F.topic = t.code;
                    app.request_redraw();
                }
                ImGui::PopID();
            }
            ui::end_chips();
            error_line(app, F.errors, "topic", w);
            gap(12);
            ui::kb_input(app, FieldSpec{"consult.text", InputKind::Text, 400}, T.get("consult.text"), opt, false,
                         &F.topic_text, T.get("consult.text.hint"), booking_error(app, F.errors, "topic_text"),
                         ImVec2(w, 0));
            break;
        }
        case BookingStep::Resource: {
            question(consult ? "consult.q.desk" : "booking.q.resource");
            if (F.resources.empty()) ui::text(T.get(consult ? "consult.none" : "booking.none"), f.body, kMuted, w);
            error_line(app, F.errors, "resource", w);
            const std::string here = app.submit_context().centre_id;
            const bool two = w >= 900;
            const float cw = two ? (w - kGap) * 0.5f : w;
            // A phone: the name in bold on up to two lines, the type and the place each on a line
            // of their own (a 40 px name was cut to プロジェ… at 390 px).
            ImFont* name_font = narrow ? f.bold : f.heading;
            const float badge_h = ui::badge_size("A", f.small).y;
            const float ch = narrow ? 20 + 2 * f.bold->FontSize + 12 + badge_h + 8 + f.small->FontSize + 20
                                    : 24 + f.heading->FontSize + 10 + f.small->FontSize + 34;
            bool many_centres = false;
            for (const auto& r : F.resources) many_centres = many_centres || r.centre_id != F.resources.front().centre_id;
            int col = 0;
            for (const auto& r : F.resources) {
                if (col == 1) ImGui::SameLine(0, kGap);
                const std::string id = "res-" + r.id;
                if (ui::card(id.c_str(), ImVec2(cw, ch))) {
                    F.choose_resource(r.id);
                    held = held_slots(app.store().signups(2000));
                    F.step = BookingStep::Calendar;
                    app.request_redraw();
                }
                ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
                ImDrawList* dl = ImGui::GetWindowDrawList();
                const bool picked = r.id == F.resource_id;
                dl->AddRectFilled(a, ImVec2(a.x + 12, b.y), r.type == slots::ResourceType::Room ? kGreen : kPrimary, kRadius,
                                  ImDrawFlags_RoundCornersLeft);
                if (picked) dl->AddRect(a, b, kPrimary, kRadius, 0, 5);
                const float x = a.x + 36, inner = b.x - x - 70;
                ui::text_clipped(dl, name_font, ImVec2(x, a.y + (narrow ? 20 : 24)), inner, narrow ? 2 : 1, kText,
                                 r.name.c_str());
                const float y2 = narrow ? a.y + 20 + 2 * f.bold->FontSize + 12 : a.y + 34 + f.heading->FontSize;
                ImVec2 bs = ui::badge_size(T.get(type_key(r.type)), f.small);
                ui::badge(dl, ImVec2(x, y2), T.get(type_key(r.type)), kSurface,
                          r.type == slots::ResourceType::Room ? kGreen : kPrimary, f.small);
                std::string where = r.place;
                const std::string centre = r.centre_id.empty() ? std::string(T.get("booking.city_hall"))
                                                               : app.centre_name(r.centre_id);
                if (!centre.empty() && where.find(centre) == std::string::npos)
                    where = centre + (where.empty() ? "" : "　" + where);
                if (r.centre_id == here && many_centres) where += std::string("（") + T.get("booking.here") + "）";
                if (narrow)
                    ui::text_clipped(dl, f.small, ImVec2(x, y2 + bs.y + 8), inner, 1, kMuted, where.c_str());
                else
                    ui::text_clipped(dl, f.small, ImVec2(x + bs.x + 12, y2 + (bs.y - f.small->FontSize) * 0.5f),
                                     inner - bs.x - 12, 1, kMuted, where.c_str());
                const float cx = b.x - 34, cy = (a.y + b.y) * 0.5f;
                dl->AddLine(ImVec2(cx - 8, cy - 16), ImVec2(cx + 8, cy), kPrimary, 5);
                dl->AddLine(ImVec2(cx + 8, cy), ImVec2(cx - 8, cy + 16), kPrimary, 5);
                col = two ? (col + 1) % 2 : 0;
                if (col == 0) gap(4);
            }
            if (col == 1) gap(4);
            if (!consult) {
                // The consultation desk is booked the same way: offered here, so the start
                // screen needs one tile for both.
                gap(20);
                ui::text(T.get("booking.or_consult"), f.bold, kText, w);
                gap(4);
                if (ui::button("to-consult", T.get("consult.title"), ImVec2(two ? cw : w, kBigButtonH), ui::Tone::Secondary,
                               f.heading)) {
                    start(app, BookingMode::Consultation);
                    app.request_redraw();
                }
            }
            break;
        }
        case BookingStep::Calendar: {
            ui::text(T.get("booking.q.slot"), f.body, kText, w);
            gap(6);
            error_line(app, F.errors, "slot", w);
            const SlotWeek week = F.week(now_iso, held);
            CalendarTap tap = slot_calendar(app, week, F.slot ? F.slot->id : "", F.can_go_back_week(), w);
            if (tap.week < 0) F.prev_week();
            if (tap.week > 0) F.next_week();
            if (tap.slot) F.pick(*tap.slot, now_iso, held);
            if (tap.week || tap.slot) app.request_redraw();
            if (F.slot && slots::window(*F.slot, now_iso) == slots::Window::GroupsOnly) {
                gap(8);
                ui::text(T.get("booking.groups_only.note"), f.body, kAmber, w);
            }
            break;
        }
        case BookingStep::Group: {
            const bool needed = F.group_required(now_iso);
            question(needed ? "booking.q.group.required" : "booking.q.group");
            ui::text(T.get(needed ? "booking.group.lead.required" : consult ? "consult.group.lead" : "booking.group.lead"),
                     f.body, kMuted, w);
            gap(6);
            // As typed: the directory's group for that number, or why not. An error from the last
            // 次へ goes once the number is changed.
            const GroupLookup g = look_up_group(F.group_typed, directory);
            if (F.errors.count("group") && g.number != F.group.number) F.errors.erase("group");
            ui::kb_input(app, FieldSpec{"booking.group", InputKind::Number, 10}, T.get("booking.group"),
                         needed ? req : opt, needed, &F.group_typed, T.get("booking.group.hint"),
                         booking_error(app, F.errors, "group"), ImVec2(narrow ? w : w * 0.6f, 0));
            gap(10);
            if (g.check == GroupCheck::Ok) {
                ui::text((g.number + "　" + g.group->name).c_str(), f.heading, kGreen, w);
                ui::text(T.get("booking.group.found"), f.body, kText, w);
            } else if (g.check == GroupCheck::Unknown && !F.errors.count("group")) {
                ui::text(T.fmt("booking.group.unknown_yet", {{"number", g.number}}).c_str(), f.body, kMuted, w);
            }
            break;
        }
        case BookingStep::Name:
        case BookingStep::Furigana:
        case BookingStep::Contact:
            if (F.step == BookingStep::Name) {
                ui::text(T.get(consult ? "consult.person.lead" : "booking.person.lead"), f.body, kMuted, w);
                gap(6);
            }
            person_step(app, F.person, *as_signup_step(F.step), w, narrow);   // the sign-up's own step
            break;
        case BookingStep::Purpose:
            question("booking.q.purpose");
            ui::kb_input(app, FieldSpec{"booking.purpose", InputKind::Text, 200}, T.get("booking.purpose"), opt, false,
                         &F.purpose, T.get("booking.purpose.hint"), booking_error(app, F.errors, "purpose"), ImVec2(w, 0));
            break;
        case BookingStep::Review: {
            ui::text(T.get("booking.review.lead"), f.body, kText, w);
            gap(8);
            std::optional<BookingStep> jump;
            if (consult) {
                std::string topic = F.topic.empty() ? "" : T.get("consult.topic." + F.topic);
                if (!F.topic_text.empty()) topic += "　／　" + F.topic_text;
                if (review_row(app, T.get("consult.topic"), topic, w, "edit-topic")) jump = BookingStep::Topic;
            }
            if (const slots::Resource* r = F.resource())
                if (review_row(app, T.get(consult ? "consult.desk" : "booking.resource"), r->name, w, "edit-resource"))
                    jump = F.resources.size() > 1 || !consult ? BookingStep::Resource : BookingStep::Calendar;
            if (F.slot) {
                std::string when = date_text(app, F.slot->starts_at.substr(0, 10)) + "　" + time_span(*F.slot);
                if (review_row(app, T.get("booking.when"), when, w, "edit-slot")) jump = BookingStep::Calendar;
            }
            const GroupLookup g = look_up_group(F.group_typed, directory);
            const std::string group = g.check == GroupCheck::Ok ? g.number + "　" + g.group->name
                                                                : std::string(T.get("booking.group.none"));
            if (review_row(app, T.get("booking.group.label"), group, w, "edit-group")) jump = BookingStep::Group;
            const SignUpStep pj = person_review(app, F.person, w);
            if (pj != SignUpStep::Review) jump = as_booking_step(pj);
            if (!consult && review_row(app, T.get("booking.purpose"), F.purpose, w, "edit-purpose"))
                jump = BookingStep::Purpose;
            gap(6);
            ui::text(T.get("booking.review.note"), f.body, kMuted, w);
            ui::text(T.get("privacy.sealed"), f.small, kMuted, w);
            if (jump) {
                F.edit(*jump);
                app.request_redraw();
            }
            break;
        }
    }
    gap(30);
    ImGui::EndChild();
    const bool on_resource = F.step == BookingStep::Resource;
    int b = step_buttons(app, "flow.back", on_resource ? nullptr : review ? "booking.submit" : "flow.next", w);
    if (b < 0) {
        close_keyboard(app);
        if (!F.back()) app.back();
        app.request_redraw();
    } else if (b > 0) {
        close_keyboard(app);
        if (review) {
            submit(app);
        } else {
            F.next(directory, now_iso, held);
        }
        app.request_redraw();
    }
    ui::keyboard_panel(app);
}

void BookingView::submit(Shell& app) {
    app.release_input();
    held = held_slots(app.store().signups(2000));   // another resident may have booked it here meanwhile
    SubmitResult r = booking.submit(app.submit_context(), directory, now(app), held);
    if (r.ok()) {
        app.view<ReceiptView>().show_booking(app, r.receipt, booking.mode == BookingMode::Consultation);
        const BookingMode m = booking.mode;
        booking = BookingForm{};   // nothing one resident typed stays for the next
        booking.mode = m;
        held = held_slots(app.store().signups(2000));
    }
    app.request_redraw();
}

}  // namespace kyodo::app::screens
