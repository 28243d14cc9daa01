// The shell's session: the resident's display settings (text size → font
// atlas, high contrast → palette, language), the idle countdown and session reset, the
// background font atlas, and staff mode's data. The overlays are drawn by
// screens/overlays.cpp.
#include <malloc.h>

#include <chrono>
#include <fstream>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/screens/overlays.h"
#include "app/ui/shell.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/timeutil.h"

namespace kyodo::app {

void Shell::add_start_glyphs(GlyphSet& set) const {
    // ASCII, and the Japanese text of the start screen and the chrome around it
    // (the keys under these prefixes); not every screen's text in every language.
    // Only characters that occur there: the whole kana and full-width ranges come with
    // the full atlas a moment later.
    set.add_ascii();
    try {
        std::ifstream in(opts_.assets_dir + "/i18n/ja.json");
        Json j = Json::parse(in);
        static const char* kPrefixes[] = {"app.", "nav.", "start.", "status.", "settings.button", "lang."};
        for (auto it = j.begin(); it != j.end(); ++it)
            for (const char* p : kPrefixes)
                if (it.key().rfind(p, 0) == 0 && it.value().is_string()) set.add(it.value().get<std::string>());
    } catch (const std::exception&) {
        for (const auto& s : texts.all_text()) set.add(s);
    }
    set.add("令和年月日曜火水木金土〜・");   // dates on the start board
    // The ideographic space the header and the board put between a name and what follows
    // (it is in code, not in a string table): without it the first frame showed '?'.
    set.add("\u3000");
    for (const auto& c : centres) set.add(c.name);
    // The start screen shows what is on at this centre this week: those titles only.
    try {
        const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
        SearchQuery q;
        q.centre_id = submit_.centre_id;
        q.date_from = rfc3339_utc(now_ms + 9 * 3600 * 1000LL).substr(0, 10);   // JST
        q.date_to = rfc3339_utc(now_ms + (9 + 7 * 24) * 3600 * 1000LL).substr(0, 10);
        q.limit = 12;
        for (const auto& a : store_.search(q).items) {
            set.add(a.title);
            set.add(a.place);
        }
    } catch (const std::exception&) {
        // The full atlas follows anyway.
    }
}

bool Shell::looks_clean() const {
    for (const auto& v : views_)
        if (v->dirty()) return false;
    return nav.current() == Screen::Start && nav.depth() == 1 && settings.is_default() && !staff.open &&
           !settings_open;
}

void Shell::reset_session() {
    home();
    texts.set_lang(Lang::Ja);   // the next resident: Japanese, standard settings
    settings.reset();
    settings_open = false;
    staff.close();
    session.touch(platform_.time_s());
    touched_since_reset_ = false;
    countdown_shown_ = -1;
    ui::reset_touch_scroll();
    request_redraw();
}

double Shell::sleep_budget(double now) const {
    double budget = -1;
    auto take = [&](double s) {
        if (s >= 0 && (budget < 0 || s < budget)) budget = s;
    };
    take(session.sleep_budget(now, at_rest()));
    if (const View* v = view_for(nav.current())) take(v->wake_in(now));
    return budget < 0 ? budget : budget + 0.02;
}

bool Shell::check_idle(double now) {
    // What changes on time, touch or not (the receipt's personal data hides).
    if (View* v = view_for(nav.current()); v && v->tick(*this, now)) request_redraw(1);
    IdleSession::Event e = session.update(now, at_rest());
    if (e == IdleSession::Event::CountdownStarted && looks_clean()) {
        // Nothing to warn about: tidy up silently (hidden state of any screen included).
        reset_session();
        return true;
    }
    if (e == IdleSession::Event::Reset) {
        reset_session();
        return true;
    }
    if (session.counting_down()) {
        int left = session.seconds_left(now);
        if (left != countdown_shown_) {
            countdown_shown_ = left;
            request_redraw(1);   // the number on screen changes: one frame a second
        }
    }
    return false;
}

void Shell::open_staff() {
    staff.close();
    staff.open = true;
    settings_open = false;
    if (imgui_ready_) ImGui::ClearActiveID();
    request_redraw();
}

void Shell::staff_refresh() {
    try {
        staff.counts = store_.counts();
        staff.rejected = store_.rejected();
        staff.leases = store_.leases();
        staff.bookings = kiosk_bookings(store_, local_now(today_override), 30);
    } catch (const std::exception&) {
    }
    staff.health = read_health(store_, opts_.app_version, submit_.kiosk_id, submit_.centre_id, home_centre_name);
    staff.export_dirs = find_export_dirs(opts_.export_dirs);
    if (staff.export_dir.empty() && !staff.export_dirs.empty()) staff.export_dir = staff.export_dirs.front();
}

void Shell::shell_before_frame() {
    // After the first frame is out, the full atlas is built on a background thread (it
    // would only compete with start-up before); when done it is swapped in between frames.
    if (opts_.async_fonts && fonts_.async_requests() == 0 && ImGui::GetFrameCount() >= 1)
        fonts_.build_async(glyphs_all_, glyphs_ui_, glyphs_digits_, [this] { platform_.wake(); });
    if (ImGui::GetFrameCount() >= 1 && fonts_.poll_async()) {
        request_redraw();
        malloc_trim(0);   // the old atlas and the CPU pixels go back to the system (RSS bar)
    }
    // Language: the header's switch and home() change texts directly; the settings panel
    // changes settings.lang. Whichever moved last wins.
    if (texts.lang() != applied_.lang) settings.lang = texts.lang();
    else if (settings.lang != applied_.lang) texts.set_lang(settings.lang);
    applied_.lang = settings.lang;
    // English in the family's proportional face (BIZ UDPGothic): Latin text in the fixed-pitch
    // face reads spaced out. Off the GL thread; the current face stays until it is ready.
    if (fonts_.has_proportional() && fonts_.proportional() != (settings.lang == Lang::En)) {
        fonts_.set_proportional(settings.lang == Lang::En);
        fonts_.build_async(glyphs_all_, glyphs_ui_, glyphs_digits_, [this] { platform_.wake(); });
    }
    if (settings.high_contrast != applied_.high_contrast) {
        theme::set_high_contrast(settings.high_contrast);
        applied_.high_contrast = settings.high_contrast;
        request_redraw();
    }
    if (settings.text_size != applied_.text_size) {
        applied_.text_size = settings.text_size;
        fonts_.set_scale(text_scale(settings.text_size));
        // Off the GL thread; the current size stays until the new atlas is ready.
        fonts_.build_async(glyphs_all_, glyphs_ui_, glyphs_digits_, [this] { platform_.wake(); });
    }
    int ww = 0, wh = 0;
    platform_.window_size(ww, wh);
    narrow_ = ww > 0 && ww < 900;
    frame_fonts_ = fonts_.roles();
    // Phone-width windows: screen titles at the heading size so they fit a line.
    if (narrow_ && frame_fonts_.heading) frame_fonts_.title = frame_fonts_.heading;
    ui::set_fonts(&frame_fonts_);
    if (ui::touch_scroll_active()) request_redraw(1);
}

void Shell::shell_after_draw() {
    screens::draw_shell_overlays(*this);
    if (ui::touch_scroll_active() && settle_frames_ < 1) settle_frames_ = 1;   // a list glides
}

}  // namespace kyodo::app
