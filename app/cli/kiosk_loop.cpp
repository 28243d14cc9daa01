// The kiosk: an event-driven loop (a frame only when something happened, plus a few
// settle frames), the sync worker started after the first frame, --print-layout for the
// end-to-end tests.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/modes.h"
#include "app/cli/signals.h"
#include "app/cli/sync_glue.h"
#include "app/model/input_latch.h"
#include "app/screens/detail.h"
#include "app/screens/listings.h"
#include "app/screens/opinion.h"
#include "app/screens/signup.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/widgets.h"

namespace kyodo::app::cli {

namespace {

// One block per change: "layout <screen>" then "rect <id> x y w h" lines, "end".
void print_layout(Shell& shell, std::string& last_layout) {
    const OpinionForm& opinion = shell.view<screens::OpinionView>().opinion;
    std::string text = std::string("layout ") + screen_name(shell.nav.current()) + "\n";
    text += "state opinion_bytes=" + std::to_string(opinion.text.size()) +
            " keyboard=" + (shell.keyboard.kb.is_open() ? "open" : "closed") +
            " errors=" + std::to_string(opinion.errors.size()) +
            " signup_step=" + std::to_string(shell.view<screens::SignUpView>().signup_steps.index()) +
            " lang=" + lang_code(shell.texts.lang()) +
            " latin_face=" + (shell.font_manager().proportional_in_use() ? "proportional" : "fixed") +
            " fonts_building=" + (shell.font_manager().building() || shell.font_manager().ready() ? "1" : "0");
    // What a person sees, for the persona walkthroughs (tests/ui/test_e2e.cpp): the display
    // settings in force, the kiosk's today, the listing's date filter and count, the activity shown.
    const DisplaySettings& ds = shell.settings;
    text += std::string(" text_size=") +
            (ds.text_size == TextSize::ExtraLarge ? "xlarge" : ds.text_size == TextSize::Large ? "large" : "standard") +
            " contrast=" + (ds.high_contrast ? "1" : "0") + " furigana=" + (ds.show_furigana() ? "1" : "0") +
            " settings=" + (shell.settings_open ? "open" : "closed") + " today=" + shell.today();
    // The keyboard's progress, never its text (a name or an opinion is the resident's): how
    // many characters the field holds, whether kana are composed or being converted, and a
    // counter that moves with every change (a tap that typed something).
    if (shell.keyboard.kb.is_open()) {
        const KanaKeyboard& kb = shell.keyboard.kb;
        text += std::string(" kbd_field=") + kb.spec().id + " kbd_chars=" + std::to_string(kb.length()) +
                " kbd_mode=" + (kb.converting() ? "converting" : kb.composing() ? "composing" : "idle") +
                " kbd_rev=" + std::to_string(kb.revision());
    }
    if (shell.nav.current() == Screen::Listings) {
        const ListingState& L = shell.view<screens::ListingsView>().listing;
        static constexpr const char* kWhen[] = {"any", "today", "week", "weekend", "month", "picked"};
        text += std::string(" when=") + kWhen[static_cast<int>(L.filters().when)] +
                " results=" + std::to_string(L.result().total);
    }
    if (shell.nav.current() == Screen::Detail) {
        const auto& selected = shell.view<screens::DetailView>().selected;
        if (selected)
            text += " activity=" + selected->id + " kind=" + to_code(selected->kind) +
                    " starts=" + selected->starts_at.substr(0, 10);
    }
    text += "\n";
    char line[256];
    for (const auto& r : ui::take_layout()) {
        std::snprintf(line, sizeof line, "rect %s %.0f %.0f %.0f %.0f\n", r.id.c_str(), r.x, r.y, r.w, r.h);
        text += line;
    }
    // Text fields are the keyboard's (ui/keyboard_widget.h keeps their rectangles).
    for (const char* id : {"field:opinion.text", "field:opinion.topic"}) {
        ImVec2 a, b;
        if (!ui::keyboard_key_rect(id, &a, &b)) continue;
        std::snprintf(line, sizeof line, "rect %s %.0f %.0f %.0f %.0f\n", id, a.x, a.y, b.x - a.x, b.y - a.y);
        text += line;
    }
    // Every key of the open keyboard as "key:<label>" (grid keys by their glyph, function keys
    // by their string-table key: key:た, key:゛, key:kbd.convert), so a test taps like a finger.
    if (shell.keyboard.kb.is_open())
        for (const auto& [label, r] : ui::keyboard_key_rects()) {
            if (label.empty() || label.find_first_of(" \t\n") != std::string::npos || label.rfind("field:", 0) == 0 ||
                label.rfind("view:", 0) == 0)
                continue;
            std::snprintf(line, sizeof line, "rect key:%s %.0f %.0f %.0f %.0f\n", label.c_str(), r.first.x, r.first.y,
                          r.second.x - r.first.x, r.second.y - r.first.y);
            text += line;
        }
    if (text != last_layout) {
        std::fputs(text.c_str(), stdout);
        std::fputs("end\n", stdout);
        std::fflush(stdout);
        last_layout = text;
    }
}

}  // namespace

int run_kiosk(Platform& platform, Shell& shell, const Args& args, const sync::KioskConfig& cfg, bool sync_on,
              const StartupTrace& trace) {
    Platform* plat = &platform;
    const FontManager& fm = shell.font_manager();
    std::unique_ptr<sync::SyncWorker> worker;
    if (sync_on) {
        // Started after the first frame (below): its first pass loads the libcurl module, and
        // the dynamic loader's lock would otherwise contend with the GL driver's loading.
        worker = std::make_unique<sync::SyncWorker>(cfg, sync_transport(), [plat] { plat->wake(); });
        sync::SyncWorker* wp = worker.get();
        shell.sync_now = [wp] { wp->request_now(); };
    }
    SignalWatcher signals([plat] { plat->request_close(); });

    InputLatch latch;
    std::uint64_t catalog_changes = 0;
    if (args.print_layout) ui::record_layout(true);
    std::string last_layout;
    bool first = true;
    while (!plat->should_close() && !signals.fired()) {
        double now = plat->time_s();
        double timeout;
        if (shell.frames_wanted() > 0 || latch.pending()) {
            timeout = 0;
        } else {
            timeout = shell.sleep_budget(now);   // < 0: sleep until an event
        }
        std::vector<InputEvent> events = plat->wait_events(timeout);
        latch.push(events);
        if (worker) {
            sync::SyncStatus st = worker->status();
            if (st.catalog_changes != catalog_changes) {
                catalog_changes = st.catalog_changes;
                shell.on_catalog_changed();
            }
            shell.set_sync_badge(badge_of(st));
        }
        shell.check_idle(plat->time_s());
        if (shell.frames_wanted() == 0 && !latch.pending() && events.empty()) continue;
        InputFrame in = shell.next_input(latch);   // held while windows settle (ui/shell_input.cpp)
        if (in.close) plat->request_close();
        if (first) trace("loop");
        shell.frame(in);
        if (first) trace("frame drawn");
        plat->swap_buffers();
        if (args.print_layout) print_layout(shell, last_layout);
        if (first) {
            first = false;
            if (const char* t0 = std::getenv("KYODO_BENCH_T0_NS")) {
                plat->finish();   // as bench/bare_glfw_font.cpp: the frame is on screen
                std::printf("first_frame_ms=%.1f rss_kb=%ld atlas=%dx%d build_ms=%.1f\n", bench_ms_since_t0(t0), rss_kb(),
                            fm.atlas_width(), fm.atlas_height(), fm.build_ms());
                std::fflush(stdout);
            }
            std::fprintf(stderr, "kyodo-kiosk: first frame in %.0f ms (atlas %dx%d, %zu glyphs, built in %.1f ms)\n",
                         trace.ms_since_start(), fm.atlas_width(), fm.atlas_height(), shell.glyphs().size(),
                         fm.build_ms());
            if (worker) worker->start();
        }
    }
    if (worker) worker->stop();
    return 0;
}

}  // namespace kyodo::app::cli
