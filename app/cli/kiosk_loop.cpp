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
#include "app/screens/opinion.h"
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
            " errors=" + std::to_string(opinion.errors.size()) + "\n";
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
