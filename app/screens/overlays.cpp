#include "app/screens/overlays.h"

#include <algorithm>

#include <cfloat>
#include <cmath>
#include <chrono>
#include <cstdio>

#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "app/model/bundle.h"
#include "app/screens/common.h"
#include "app/ui/shell.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/store_recover.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

using namespace theme;

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-11-24 10:42" in Japan time.
std::string jst_time(std::int64_t unix_ms) {
    std::string t = rfc3339_utc(unix_ms + 9 * 3600 * 1000LL);
    if (t.size() < 16) return t;
    return t.substr(0, 10) + " " + t.substr(11, 5);
}


float panel_width(float want) {
    float w = ImGui::GetIO().DisplaySize.x - 32;
    return w < want ? w : want;
}

// Text wrapped at `w`; returns its height.
float wrapped_h(ImFont* f, const char* s, float w) { return ui::wrapped_size(f, f->FontSize, w, s).y; }

// --- idle countdown -----------------------------------------------------------------------

void draw_countdown(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    int left = app.session.seconds_left(app.now());
    std::string body = T.fmt("idle.body", {{"n", std::to_string(left)}});
    float pw = panel_width(900), pad = 40, inner = pw - 2 * pad;
    bool stack = inner < 560;
    float btn_h = kBigButtonH;
    float ph = pad + wrapped_h(f.title, T.get("idle.title"), inner) + 20 + f.display->FontSize + 20 +
               wrapped_h(f.body, body.c_str(), inner) + 36 + (stack ? 2 * btn_h + kGap : btn_h) + pad;
    ImVec2 a = begin_layer("##idle", ImVec2(pw, ph), rgb(0, 0, 0, 150));
    float y = a.y + pad;
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, y));
    ui::text(T.get("idle.title"), f.title, kText, inner);
    y = ImGui::GetCursorScreenPos().y + 4;
    std::string n = std::to_string(left);
    float nw = f.display->CalcTextSizeA(f.display->FontSize, FLT_MAX, 0, n.c_str()).x;
    ImGui::GetWindowDrawList()->AddText(f.display, f.display->FontSize, ImVec2(a.x + (pw - nw) * 0.5f, y), kRed,
                                        n.c_str());
    y += f.display->FontSize + 20;
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, y));
    ui::text(body.c_str(), f.body, kText, inner);
    y = ImGui::GetCursorScreenPos().y + 20;
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, y));
    float bw = stack ? inner : (inner - kGap) * 0.5f;
    if (ui::button("idle-continue", T.get("idle.continue"), ImVec2(bw, btn_h), ui::Tone::Primary, f.heading)) {
        app.session.touch(app.now());
        app.request_redraw();
    }
    if (!stack) ImGui::SameLine(0, kGap);
    else ImGui::SetCursorScreenPos(ImVec2(a.x + pad, ImGui::GetCursorScreenPos().y + kGap - ImGui::GetStyle().ItemSpacing.y));
    if (ui::button("idle-finish", T.get("idle.finish"), ImVec2(bw, btn_h), ui::Tone::Secondary, f.heading))
        app.reset_session();
    end_layer();
}

// --- settings panel -----------------------------------------------------------------------

// A row of choices: side by side when they fit, else one per line.
// Each choice's button is "<id>-<code>" ("size-xlarge", "lang-en"): tests tap one by name.
template <typename T, typename Label, typename Code>
void choices(const char* id, const std::vector<T>& values, T* current, Label label, Code code, float inner,
             Shell& app) {
    const FontRoles& f = app.fonts();
    float need = 0;
    for (const T& v : values) need += f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label(v)).x + 56 + kGap;
    bool row = need <= inner + kGap;
    float bw = row ? (inner - kGap * static_cast<float>(values.size() - 1)) / static_cast<float>(values.size()) : inner;
    ImGui::PushID(id);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0 && row) ImGui::SameLine(0, kGap);
        bool on = values[i] == *current;
        const std::string button_id = std::string(id) + "-" + code(values[i]);
        if (ui::button(button_id.c_str(), label(values[i]), ImVec2(bw, kButtonH),
                       on ? ui::Tone::Primary : ui::Tone::Secondary)) {
            *current = values[i];
            app.request_redraw();
        }
    }
    ImGui::PopID();
}

void draw_settings(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    const ImGuiIO& io = ImGui::GetIO();
    float pw = panel_width(1000), pad = 36, inner = pw - 2 * pad;
    float ph = io.DisplaySize.y - 48;
    if (ph > 1000) ph = 1000;
    ImVec2 a = begin_layer("##settings", ImVec2(pw, ph), rgb(0, 0, 0, 120));
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, a.y + 24));
    // The close button sits below the scroll area, not at the end of it: with the furigana row
    // the choices outgrow the panel at 特大 on 1920x1080, and a close button scrolled half out
    // of view took no tap, so the resident stayed in the panel until the idle reset threw her
    // settings away (ui_persona_elder).
    const float close_h = kBigButtonH + 24;
    ImGui::BeginChild("settings-scroll", ImVec2(inner + 8, ph - 48 - close_h), false, ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    // Inside the scroll area: its scrollbar (shown on short windows) takes part of the width,
    // so text and buttons use what is left rather than running under it.
    inner = ImGui::GetContentRegionAvail().x;
    ui::text(T.get("settings.title"), f.title, kText, inner);
    gap(6);
    ui::text(T.get("settings.size"), f.bold, kText, inner);
    choices<TextSize>("size", {TextSize::Standard, TextSize::Large, TextSize::ExtraLarge}, &app.settings.text_size,
                      [&](TextSize s) {
                          return T.get(s == TextSize::Standard ? "settings.size.standard"
                                                               : s == TextSize::Large ? "settings.size.large"
                                                                                      : "settings.size.xlarge");
                      },
                      [](TextSize s) {
                          return s == TextSize::Standard ? "standard" : s == TextSize::Large ? "large" : "xlarge";
                      },
                      inner, app);
    gap(10);
    bool hc = app.settings.high_contrast;
    if (ui::toggle("contrast", T.get("settings.contrast"), &hc)) {
        app.settings.high_contrast = hc;
        app.request_redraw();
    }
    gap(10);
    ui::text(T.get("settings.lang"), f.bold, kText, inner);
    choices<Lang>("lang", {Lang::Ja, Lang::EasyJa, Lang::En}, &app.settings.lang,
                  [&](Lang l) { return T.get(std::string("lang.") + lang_code(l)); },
                  [](Lang l) { return lang_code(l); }, inner, app);
    gap(10);
    // Furigana over the catalog's kanji: shows what is in force (on by default in
    // やさしい日本語); a tap makes it this resident's choice until the session ends.
    ui::text(T.get("settings.furigana"), f.bold, kText, inner);
    FuriganaMode shown = app.settings.show_furigana() ? FuriganaMode::On : FuriganaMode::Off;
    choices<FuriganaMode>("furigana", {FuriganaMode::On, FuriganaMode::Off}, &shown,
                          [&](FuriganaMode m) { return T.get(m == FuriganaMode::On ? "settings.furigana.on" : "settings.furigana.off"); },
                          [](FuriganaMode m) { return m == FuriganaMode::On ? "on" : "off"; }, inner, app);
    if (shown != (app.settings.show_furigana() ? FuriganaMode::On : FuriganaMode::Off)) app.settings.furigana = shown;
    gap(14);
    ui::text(T.get("settings.note"), f.small, kMuted, inner);
    gap(10);
    ImGui::EndChild();
    ImGui::SetCursorScreenPos(ImVec2(a.x + pad, a.y + ph - 24 - kBigButtonH));
    if (ui::button("settings-close", T.get("settings.close"), ImVec2(pw - 2 * pad, kBigButtonH), ui::Tone::Primary,
                   f.heading)) {
        app.settings_open = false;
        app.request_redraw();
    }
    end_layer();
}

// --- staff mode ------------------------------------------------------------------------------

void draw_pin_pad(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    StaffSession& S = app.staff;
    // Keys are 120 px where there is room; on a phone-sized window they shrink to fit the
    // panel's width and the window's height (never below 72 px, about 9 mm on a phone).
    const float key_gap = 16;
    float key = 120;
    float pw = panel_width(3 * key + 2 * key_gap + 120);
    key = std::min(key, (pw - 48 - 2 * key_gap) / 3);
    float inner = pw - 48;
    float msg_h = S.message.empty() ? 0 : wrapped_h(f.bold, S.message.c_str(), inner) + 12;
    const float fixed_h = 36 + wrapped_h(f.heading, T.get("staff.pin.title"), inner) + 16 + 70 + msg_h + kButtonH + 36;
    const float room_h = ImGui::GetIO().DisplaySize.y - 48;
    if (fixed_h + 4 * (key + key_gap) > room_h) key = std::max(72.0f, (room_h - fixed_h) / 4 - key_gap);
    const float grid_w = 3 * key + 2 * key_gap;
    const float pad = (pw - grid_w) * 0.5f;
    float ph = fixed_h + 4 * (key + key_gap);
    ImVec2 a = begin_layer("##staff-pin", ImVec2(pw, ph), rgb(0, 0, 0, 170));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(ImVec2(a.x + 24, a.y + 36));
    ui::text(T.get("staff.pin.title"), f.heading, kText, inner);
    float y = ImGui::GetCursorScreenPos().y + 4;
    // Dots, never the digits.
    float dots_w = static_cast<float>(StaffPin::kMaxDigits) * 40;
    for (std::size_t i = 0; i < StaffPin::kMaxDigits; ++i) {
        ImVec2 c(a.x + (pw - dots_w) * 0.5f + 20 + 40 * static_cast<float>(i), y + 30);
        if (i < S.pin.digits.size()) dl->AddCircleFilled(c, 13, kText);
        else dl->AddCircle(c, 13, kBorder, 0, 3);
    }
    y += 70;
    if (!S.message.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(a.x + 24, y));
        ui::text(S.message.c_str(), f.bold, kRed, inner);
        y += msg_h;
    }
    const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "<"};
    std::int64_t now = wall_ms();
    StaffPin pin(app.store());
    bool locked = pin.locked(now);
    for (int i = 0; i < 12; ++i) {
        int r = i / 3, c = i % 3;
        ImGui::SetCursorScreenPos(ImVec2(a.x + pad + static_cast<float>(c) * (key + key_gap),
                                         y + static_cast<float>(r) * (key + key_gap)));
        const char* label = keys[i];
        if (i == 9) label = T.get("staff.pin.clear");
        if (i == 11) label = "←";
        ImGui::PushID(i);
        if (ui::button("k", label, ImVec2(key, key), i == 9 || i == 11 ? ui::Tone::Quiet : ui::Tone::Secondary,
                       f.heading, !locked)) {
            if (i == 9) S.pin.clear();
            else if (i == 11) S.pin.backspace();
            else S.pin.press(keys[i][0]);
            app.request_redraw();
        }
        ImGui::PopID();
    }
    y += 4 * (key + key_gap);
    ImGui::SetCursorScreenPos(ImVec2(a.x + 24, y));
    float bw = (pw - 48 - kGap) * 0.5f;
    if (ui::button("pin-cancel", T.get("staff.cancel"), ImVec2(bw, kButtonH), ui::Tone::Secondary)) {
        S.close();
        app.request_redraw();
    }
    ImGui::SameLine(0, kGap);
    bool ready = StaffPin::valid_pin(S.pin.digits) && !locked;
    if (ui::button("pin-enter", T.get("staff.pin.enter"), ImVec2(bw, kButtonH), ui::Tone::Primary, nullptr, ready)) {
        StaffPin::Result res = pin.attempt(S.pin.digits, now);
        S.pin.clear();
        S.message.clear();
        switch (res) {
            case StaffPin::Result::Ok:
                S.unlocked = true;
                app.staff_refresh();
                break;
            case StaffPin::Result::Wrong:
                S.message = T.fmt("staff.pin.wrong", {{"n", std::to_string(StaffPin::kMaxFailures - pin.failures())}});
                break;
            case StaffPin::Result::Locked: break;
            case StaffPin::Result::NoPin: S.message = T.get("staff.pin.none"); break;
        }
        app.request_redraw();
    }
    if (locked) {
        std::int64_t min = (pin.locked_until_ms() - now + 59'999) / 60'000;
        S.message = T.fmt("staff.pin.locked", {{"min", std::to_string(min)}});
    } else if (!pin.has_pin()) {
        S.message = T.get("staff.pin.none");
    }
    end_layer();
}

void section_title(const Shell& app, const char* key) {
    gap(14);
    ui::text(app.texts.get(key), app.fonts().heading, kText);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y), kBorder, 2);
    gap(8);
}

void kv(const Shell& app, const char* label_key, const std::string& value, float w, ImU32 colour = 0) {
    const FontRoles& f = app.fonts();
    bool two = w >= 700;
    float lw = two ? 380 : w;
    ImVec2 p = ImGui::GetCursorPos();
    ui::text(app.texts.get(label_key), f.bold, kMuted, lw - 20);
    if (two) {
        float h1 = ImGui::GetCursorPosY() - p.y;
        ImGui::SetCursorPos(ImVec2(p.x + lw, p.y));
        ui::text(value.c_str(), f.body, colour ? colour : kText, w - lw);
        float h2 = ImGui::GetCursorPosY() - p.y;
        ImGui::SetCursorPos(ImVec2(p.x, p.y + (h1 > h2 ? h1 : h2)));
    } else {
        ui::text(value.c_str(), f.body, colour ? colour : kText, w);
    }
}

void draw_dashboard(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    StaffSession& S = app.staff;
    const ImGuiIO& io = ImGui::GetIO();
    static double refreshed = -1;
    if (app.now() - refreshed > 1.0 || refreshed < 0) {
        app.staff_refresh();
        refreshed = app.now();
    }
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(kPage));
    ImGui::Begin("##staff", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleColor();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float hh = 110;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(io.DisplaySize.x, hh), kHeader);
    const char* close = T.get("staff.exit");
    float cw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, close).x + 60;
    if (cw > io.DisplaySize.x * 0.5f) cw = io.DisplaySize.x * 0.5f;
    // The title in what the exit button leaves (a phone: smaller, never under the button).
    const char* title = T.get("staff.title");
    const float room = io.DisplaySize.x - cw - 20 - 24 - 16;
    const float need = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, title).x;
    const float tfs = f.heading->FontSize * (need > room && room > 0 ? room / need : 1.0f);
    ui::add_text(dl, f.heading, tfs, ImVec2(24, (hh - tfs) * 0.5f), kHeaderText, title);
    ImGui::SetCursorPos(ImVec2(io.DisplaySize.x - cw - 20, (hh - 84) * 0.5f));
    if (ui::button("staff-exit", close, ImVec2(cw, 84), ui::Tone::OnHeader)) {
        S.close();
        app.request_redraw();
    }
    float margin = io.DisplaySize.x < 900 ? 16 : kMargin;
    float w = io.DisplaySize.x - 2 * margin;
    if (w > 1400) w = 1400;
    float x0 = (io.DisplaySize.x - w) * 0.5f;
    ImGui::SetCursorPos(ImVec2(x0, hh + 8));
    ImGui::BeginChild("staff-scroll", ImVec2(w + 16, io.DisplaySize.y - hh - 16), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    w = ImGui::GetContentRegionAvail().x - 16;

    // 受付: check-in at the venue from the rosters this kiosk keeps (works offline).
    gap(16);
    if (ui::button("staff-checkin", T.get("staff.checkin"), ImVec2(w < 600 ? w : 600, kBigButtonH), ui::Tone::Primary,
                   f.heading)) {
        S.checkin = true;
        S.desk.reset();
        S.desk.load(app.store(), app.today());
        app.request_redraw();
    }
    ui::text(T.get("staff.checkin.desc"), f.small, kMuted, w);

    // Queued records by kind.
    section_title(app, "staff.queued");
    static const char* kinds[kRecordKindCount] = {
        "staff.record.sign_up",  "staff.record.opinion", "staff.record.survey_response", "staff.record.public_comment",
        "staff.record.proposal", "staff.record.talent",  "staff.record.talent_withdrawal",
        "staff.record.group_registration", "staff.record.cancel", "staff.record.attendance",
        "staff.record.item_request"};
    for (int k = 0; k < kRecordKindCount; ++k) kv(app, kinds[k], std::to_string(S.counts.by_kind[k].pending), w);
    kv(app, "staff.total", std::to_string(S.counts.pending), w, kPrimary);

    // Sync.
    section_title(app, "staff.sync");
    kv(app, "staff.last_sync", app.sync.last_success_ms > 0 ? jst_time(app.sync.last_success_ms) : T.get("staff.never"),
       w);
    kv(app, "staff.last_error", app.sync.last_error.empty() ? T.get("staff.no_error") : app.sync.last_error, w,
       app.sync.last_error.empty() ? kGreen : kRed);
    // The kiosk database was found damaged at start and rebuilt (core/store_recover.h): what was
    // kept and lost, and where the damaged file is (for city hall to collect).
    if (const std::string rec = app.store().setting(kStoreRecoverySetting); !rec.empty()) {
        app.note_text(rec);   // its characters (壊, 引 …) may not be in the atlas yet
        kv(app, "staff.store_recovery", rec, w, kRed);
    }
    gap(6);
    // 今すぐ同期: the tap shows at once (a pass may end before the next frame), then the
    // pass's progress, then what it did or its error (app/model/sync_feedback.h).
    SyncSnapshot snap;
    snap.running = app.sync.running;
    snap.pending = app.sync.pending;
    snap.last_attempt_ms = app.sync.last_attempt_ms;
    snap.catalog_changes = app.sync.catalog_changes;
    snap.last_error = app.sync.last_error;
    SyncNowFeedback& fb = app.staff.sync_feedback;
    fb.update(snap);
    if (!app.sync.enabled || !app.sync_now) {
        ui::text(T.get("staff.sync_off"), f.body, kMuted, w);
    } else if (app.sync.running || fb.busy()) {
        const bool started = app.sync.running;
        int pct = started ? static_cast<int>(app.sync.progress * 100 + 0.5) : 0;
        std::string label = started ? T.fmt("staff.sync_running", {{"pct", std::to_string(pct)}})
                                    : std::string(T.get("staff.sync_starting"));
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(kPrimary));
        ImGui::PushStyleColor(ImGuiCol_FrameBg, ImGui::ColorConvertU32ToFloat4(kPrimarySoft));
        ImGui::PushFont(f.bold);
        ImGui::ProgressBar(started ? static_cast<float>(app.sync.progress) : 0.0f, ImVec2(w, kButtonH), "");
        ImGui::PopFont();
        ImGui::PopStyleColor(2);
        ui::text(label.c_str(), f.bold, kText, w);
        ui::note_item(started ? "sync-feedback-running" : "sync-feedback-starting");
    } else {
        if (ui::button("sync-now", T.get("staff.sync_now"), ImVec2(w < 600 ? w : 600, kButtonH))) {
            fb.requested(snap);
            app.sync_now();
            app.request_redraw();
        }
        if (fb.state() == SyncNowFeedback::State::Done) {
            const std::string catalog = T.get(fb.catalog_updated() ? "staff.sync_catalog_updated" : "staff.sync_catalog_same");
            const std::string done = T.fmt("staff.sync_done", {{"n", std::to_string(fb.sent())}, {"catalog", catalog}});
            ui::text(done.c_str(), f.bold, kGreen, w);
            ui::note_item("sync-feedback-done");
        } else if (fb.state() == SyncNowFeedback::State::Failed) {
            app.note_text(fb.error());
            const std::string failed =
                T.fmt("staff.sync_failed", {{"error", fb.error()}, {"n", std::to_string(fb.still_pending())}});
            ui::text(failed.c_str(), f.bold, kRed, w);
            ui::note_item("sync-feedback-failed");
        }
    }

    // Places lent to this kiosk (issue 10 point 2): each lease's activity, places used of
    // those lent, and until when (the kiosk's own end, margin included).
    section_title(app, "staff.leases");
    if (S.leases.empty()) {
        ui::text(T.get("staff.leases.none"), f.body, kMuted, w);
    } else {
        for (std::size_t i = 0; i < S.leases.size(); ++i) {
            const KioskLease& l = S.leases[i];
            std::string title = l.activity_id;
            if (auto a = app.store().activity(l.activity_id); a && !a->title.empty()) title = a->title;
            std::string line = T.fmt("staff.leases.line", {{"title", title},
                                                           {"used", std::to_string(l.used)},
                                                           {"places", std::to_string(l.places)},
                                                           {"until", jst_time(l.ends_local_ms)}});
            if (l.done_reported) line += std::string("  (") + T.get("staff.leases.reported") + ")";
            else if (l.ended) line += std::string("  (") + T.get("staff.leases.ended") + ")";
            app.note_text(line);
            ui::text(line.c_str(), f.body, l.ended ? kMuted : kText, w);
        }
    }

    // Bookings made here (issue 11 point 3): each slot and where it stands; one that lost to
    // another kiosk's booking shows the next free slot the resident is offered.
    section_title(app, "staff.bookings");
    if (S.bookings.empty()) ui::text(T.get("staff.bookings.none"), f.body, kMuted, w);
    for (const KioskBooking& b : S.bookings) {
        const BookingOutcome& o = b.outcome;
        const auto info = slots::slot_info(*o.slot);
        std::string line = b.receipt + "　" + (info ? info->resource_name : o.slot->title) + "　" +
                           date_text(app, o.slot->starts_at.substr(0, 10)) + " " + time_span(*o.slot) + "　" +
                           T.get(std::string("cancel.booking.phase.") + to_code(o.phase));
        if (!o.group.empty()) line += "　" + o.group;
        if (o.lost && o.next)
            line += "　" + T.fmt("staff.bookings.next", {{"when", date_text(app, o.next->starts_at.substr(0, 10)) + " " +
                                                                       time_span(*o.next)}});
        app.note_text(line);
        ui::text(line.c_str(), f.body, o.lost ? kAmber : kText, w);
    }

    // Health.
    section_title(app, "staff.health");
    kv(app, "staff.disk", human_bytes(S.health.disk_free_bytes) + " / " + human_bytes(S.health.disk_total_bytes), w,
       S.health.disk_free_bytes >= 0 && S.health.disk_free_bytes < 200'000'000 ? kRed : 0);
    kv(app, "staff.db", human_bytes(S.health.db_bytes), w);
    kv(app, "staff.version", S.health.app_version.empty() ? "?" : S.health.app_version, w);
    kv(app, "staff.centre", S.health.centre_name.empty() ? S.health.centre_id : S.health.centre_name + " (" + S.health.centre_id + ")", w);
    kv(app, "staff.kiosk", S.health.kiosk_id, w);

    // Rejected records, with the server's reason.
    section_title(app, "staff.rejected");
    if (S.rejected.empty()) {
        ui::text(T.get("staff.rejected.none"), f.body, kMuted, w);
    } else {
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(S.rejected.size()));
        while (clip.Step()) {
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const OutboxEntry& e = S.rejected[static_cast<std::size_t>(i)];
                std::string line = std::string(T.get(std::string("staff.record.") + to_code(e.record.kind))) + "  " +
                                   receipt_number(e.record.id) + "  " + e.reject_code + ": " + e.reject_message;
                ui::text(line.c_str(), f.body, kText, w);
            }
        }
    }

    // Export to a USB stick.
    section_title(app, "staff.export");
    if (S.export_dirs.empty()) {
        ui::text(T.get("staff.export.none"), f.body, kMuted, w);
    } else {
        ui::text(T.get("staff.export.folder"), f.bold, kText, w);
        ui::begin_chips();
        for (const auto& d : S.export_dirs) {
            ImGui::PushID(d.c_str());
            if (ui::chip("dir", d.c_str(), S.export_dir == d)) S.export_dir = d;
            ImGui::PopID();
        }
        ui::end_chips();
        gap(6);
        if (ui::button("export", T.get("staff.export"), ImVec2(w < 600 ? w : 600, kButtonH), ui::Tone::Primary,
                       nullptr, !S.export_dir.empty())) {
            BundleResult r = export_bundle(app.store(), app.submit_context().kiosk_id, app.submit_context().centre_id,
                                           S.export_dir, wall_ms());
            S.export_ok = r.ok;
            S.export_message = r.ok ? T.fmt("staff.export.done", {{"n", std::to_string(r.records)}, {"path", r.path}})
                                    : T.fmt("staff.export.failed", {{"err", r.error}});
            app.note_text(S.export_message);
            app.request_redraw();
        }
    }
    if (!S.export_message.empty()) {
        gap(6);
        ui::banner(S.export_message.c_str(), S.export_ok ? kGreen : kRed, S.export_ok ? kGreenSoft : kRedSoft);
    }
    gap(40);
    ImGui::EndChild();
    ImGui::End();
}

// 受付 (check-in at the venue, issue 10 point 4): today's activities as chips, the picked
// one's roster (tap a row to tick or take back), and a pad to type the receipt number the
// resident shows. Ticks go to the outbox as attendance records (CheckinDesk).
void draw_checkin(Shell& app) {
    const FontRoles& f = app.fonts();
    const Texts& T = app.texts;
    StaffSession& S = app.staff;
    CheckinDesk& D = S.desk;
    const ImGuiIO& io = ImGui::GetIO();
    const SubmitContext ctx = app.submit_context();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(kPage));
    ImGui::Begin("##checkin", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleColor();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float hh = 110;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(io.DisplaySize.x, hh), kHeader);
    const char* back = T.get("checkin.back");
    float cw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, back).x + 60;
    if (cw > io.DisplaySize.x * 0.5f) cw = io.DisplaySize.x * 0.5f;
    const char* title = T.get("checkin.title");
    const float room = io.DisplaySize.x - cw - 20 - 24 - 16;
    const float need = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, title).x;
    const float tfs = f.heading->FontSize * (need > room && room > 0 ? room / need : 1.0f);
    ui::add_text(dl, f.heading, tfs, ImVec2(24, (hh - tfs) * 0.5f), kHeaderText, title);
    ImGui::SetCursorPos(ImVec2(io.DisplaySize.x - cw - 20, (hh - 84) * 0.5f));
    if (ui::button("checkin-back", back, ImVec2(cw, 84), ui::Tone::OnHeader)) {
        S.checkin = false;
        D.reset();
        app.request_redraw();
    }
    const float margin = io.DisplaySize.x < 900 ? 16 : kMargin;
    float w = io.DisplaySize.x - 2 * margin;
    if (w > 1800) w = 1800;
    const float x0 = (io.DisplaySize.x - w) * 0.5f;
    const bool two = w >= 1100;
    const float pad_w = two ? std::min(620.0f, w * 0.38f) : w;
    const float list_w = two ? w - pad_w - kGap : w;
    const float top = hh + 16;
    const float avail_h = io.DisplaySize.y - top - 16;

    // Left: the activity and its roster.
    ImGui::SetCursorPos(ImVec2(x0, top));
    ImGui::BeginChild("checkin-list", ImVec2(list_w + 16, two ? avail_h : avail_h * 0.55f), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    ui::touch_scroll();
    const float lw = ImGui::GetContentRegionAvail().x - 16;
    if (const std::string at = app.store().setting("sync.rosters_ms"); !at.empty()) {
        std::int64_t ms = 0;
        try {
            ms = std::stoll(at);
        } catch (const std::exception&) {
        }
        if (ms > 0) ui::text(T.fmt("checkin.updated", {{"time", jst_time(ms)}}).c_str(), f.small, kMuted, lw);
    }
    if (D.activities.empty()) {
        gap(10);
        ui::text(T.get("checkin.none_today"), f.body, kMuted, lw);
    } else {
        ui::text(T.get("checkin.pick"), f.bold, kText, lw);
        ui::begin_chips();
        for (const RosterActivity& a : D.activities) {
            const std::string label = (a.starts_at.size() >= 16 ? a.starts_at.substr(11, 5) + " " : std::string()) + a.title;
            app.note_text(label);
            const std::string id = "checkin-act-" + a.id;
            if (ui::chip(id.c_str(), label.c_str(), a.id == D.activity_id)) {
                D.pick(a.id);
                app.request_redraw();
            }
        }
        ui::end_chips();
    }
    if (const RosterActivity* a = D.current()) {
        gap(10);
        app.note_text(a->title);
        ui::text(a->title.c_str(), f.heading, kText, lw);
        const std::string count = T.fmt("checkin.count", {{"arrived", std::to_string(D.arrived())},
                                                          {"expected", std::to_string(D.expected())}});
        ui::text(count.c_str(), f.bold, kPrimary, lw);
        gap(6);
        if (a->signups.empty()) ui::text(T.get("checkin.empty"), f.body, kMuted, lw);
        std::string tap;   // the row tapped this frame
        for (const RosterSignup& r : a->signups) {
            const std::string id = "checkin-row-" + r.receipt;
            const bool wait = r.status != "confirmed";
            if (ui::card(id.c_str(), ImVec2(lw, kButtonH))) tap = r.signup_id;
            const ImVec2 p0 = ImGui::GetItemRectMin(), p1 = ImGui::GetItemRectMax();
            ImDrawList* d = ImGui::GetWindowDrawList();
            if (r.attended) d->AddRectFilled(ImVec2(p0.x + 2, p0.y + 2), ImVec2(p1.x - 2, p1.y - 2), kGreenSoft, kRadius);
            // The tick box.
            const float bx = p0.x + 20, by = p0.y + (kButtonH - 48) * 0.5f;
            d->AddRect(ImVec2(bx, by), ImVec2(bx + 48, by + 48), r.attended ? kGreen : kBorder, 8, 0, 4);
            if (r.attended) {
                d->AddLine(ImVec2(bx + 10, by + 25), ImVec2(bx + 21, by + 36), kGreen, 6);
                d->AddLine(ImVec2(bx + 21, by + 36), ImVec2(bx + 39, by + 12), kGreen, 6);
            }
            const float ty = p0.y + (kButtonH - f.heading->FontSize) * 0.5f;
            d->AddText(f.heading, f.heading->FontSize, ImVec2(bx + 72, ty), kText, r.receipt.c_str());
            const std::string party = T.fmt("checkin.party", {{"n", std::to_string(r.party_size)}});
            const float rx = bx + 72 + f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, "MMMM-MMMM").x + 24;
            const float by2 = p0.y + (kButtonH - f.body->FontSize) * 0.5f;
            d->AddText(f.body, f.body->FontSize, ImVec2(rx, by2), kText, party.c_str());
            float sx = rx + 130;
            if (!r.hint.empty()) {
                app.note_text(r.hint);
                const std::string hint = T.fmt("checkin.hint", {{"kana", r.hint}});
                d->AddText(f.body, f.body->FontSize, ImVec2(sx, by2), kMuted, hint.c_str());
            }
            sx += 160;
            const char* state = r.attended ? T.get("checkin.arrived") : wait ? T.get("checkin.waitlisted")
                                                                            : T.get("checkin.not_yet");
            const float sw = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, state).x;
            d->AddText(f.bold, f.bold->FontSize, ImVec2(std::max(sx, p1.x - sw - 24), by2),
                       r.attended ? kGreen : wait ? kAmber : kMuted, state);
            gap(6);
        }
        if (!tap.empty()) {
            D.toggle(app.store(), ctx.kiosk_id, ctx.centre_id, tap);
            app.request_redraw();
        }
    }
    gap(30);
    ImGui::EndChild();

    // Right (or below): the receipt pad.
    if (two) ImGui::SetCursorPos(ImVec2(x0 + list_w + kGap, top));
    else ImGui::SetCursorPos(ImVec2(x0, top + avail_h * 0.55f + 8));
    ImGui::BeginChild("checkin-pad", ImVec2(pad_w + 8, two ? avail_h : avail_h * 0.45f - 8), false,
                      ImGuiWindowFlags_NoScrollWithMouse);
    const float pw = ImGui::GetContentRegionAvail().x - 8;
    ui::text(T.get("checkin.receipt"), f.bold, kText, pw);
    {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float bh = 96;
        ui::panel_bg(p, ImVec2(p.x + pw, p.y + bh), kSurface, true);
        const std::string shown = D.typed.empty() ? std::string(T.get("checkin.receipt.hint")) : D.typed_display();
        ImGui::GetWindowDrawList()->AddText(f.title, f.title->FontSize,
                                            ImVec2(p.x + 24, p.y + (bh - f.title->FontSize) * 0.5f),
                                            D.typed.empty() ? kMuted : kText, shown.c_str());
        ImGui::Dummy(ImVec2(pw, bh));
    }
    gap(8);
    const int cols = 8;
    const float kg = 8;
    const float key = std::floor((pw - kg * (cols - 1)) / cols);
    const char* keys = CheckinDesk::keys();
    for (int i = 0; keys[i]; ++i) {
        if (i % cols) ImGui::SameLine(0, kg);
        const char label[2] = {keys[i], 0};
        const std::string id = std::string("checkin-key-") + label;
        if (ui::button(id.c_str(), label, ImVec2(key, std::min(key, 76.0f)), ui::Tone::Secondary, f.heading)) {
            D.press(keys[i]);
            app.request_redraw();
        }
    }
    gap(8);
    // 1字消す, 全部消す and 到着にする on one row (the pad stays within a 1080 px screen).
    const float small_w = std::floor((pw - 2 * kg) * 0.27f);
    if (ui::button("checkin-backspace", T.get("checkin.backspace"), ImVec2(small_w, kButtonH), ui::Tone::Secondary)) {
        D.backspace();
        app.request_redraw();
    }
    ImGui::SameLine(0, kg);
    if (ui::button("checkin-clear", T.get("checkin.clear"), ImVec2(small_w, kButtonH), ui::Tone::Quiet)) {
        D.clear_typed();
        app.request_redraw();
    }
    ImGui::SameLine(0, kg);
    if (ui::button("checkin-enter", T.get("checkin.enter"), ImVec2(pw - 2 * small_w - 2 * kg, kButtonH),
                   ui::Tone::Primary, f.bold, D.typed.size() == 8 && D.current())) {
        D.tick_typed(app.store(), ctx.kiosk_id, ctx.centre_id);
        app.request_redraw();
    }
    if (D.shown_result) {
        gap(8);
        using Typed = CheckinDesk::Typed;
        const char* key_name = D.last == Typed::Ticked          ? "checkin.typed.ticked"
                               : D.last == Typed::AlreadyTicked ? "checkin.typed.already"
                               : D.last == Typed::NotFound      ? "checkin.typed.not_found"
                               : D.last == Typed::Failed        ? "checkin.typed.failed"
                                                                : "checkin.typed.incomplete";
        const std::string msg = T.fmt(key_name, {{"receipt", D.last_receipt}});
        app.note_text(msg);
        const bool good = D.last == Typed::Ticked || D.last == Typed::AlreadyTicked;
        ui::banner(msg.c_str(), good ? kGreen : kRed, good ? kGreenSoft : kRedSoft);
    }
    if (!D.error.empty()) {
        gap(8);
        ui::banner(D.error.c_str(), kRed, kRedSoft);
    }
    gap(8);
    ui::text(T.get("checkin.note"), f.small, kMuted, pw);
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace

void draw_shell_overlays(Shell& app) {
    if (app.staff.open) {
        if (app.staff.unlocked && app.staff.checkin) draw_checkin(app);
        else if (app.staff.unlocked) draw_dashboard(app);
        else draw_pin_pad(app);
    }
    if (app.settings_open) draw_settings(app);
    if (app.session.counting_down()) draw_countdown(app);
}

}  // namespace kyodo::app::screens
