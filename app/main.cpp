// kyodo-kiosk: the community-centre kiosk.
//
//   kyodo-kiosk --config kiosk.json [--assets DIR] [--window WxH] [--fullscreen] [--no-sync]
//   kyodo-kiosk [--config kiosk.json | --demo-db PATH] --screenshot FILE.png --screen NAME
//
// Without --config the kiosk runs on a local demo configuration (kiosk "demo", a fresh key
// pair, nothing is sent anywhere). Without a display it says so and keeps syncing until
// SIGINT/SIGTERM.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <time.h>
#include <unistd.h>

#include <GL/gl.h>

#include "app/model/input_latch.h"
#include "app/model/nav.h"
#include "app/model/staff.h"
#include "app/platform/platform.h"
#include "app/platform/transport_module.h"
#include "app/ui/kiosk_app.h"
#include "app/ui/png.h"
#include "app/ui/keyboard_widget.h"
#include "app/ui/widgets.h"
#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "sync/kiosk_config.h"
#include "sync/sync_worker.h"

#ifndef KYODO_ASSETS_DIR
#define KYODO_ASSETS_DIR "assets"
#endif

namespace {

namespace fs = std::filesystem;
using namespace kyodo;
using namespace kyodo::app;

struct Args {
    std::string config;
    std::string assets = KYODO_ASSETS_DIR;
    int width = 1920, height = 1080;
    bool fullscreen = false;
    bool no_sync = false;
    std::string screenshot;
    std::string screen = "start";
    std::string demo_db;
    std::string lang = "ja";
    bool set_staff_pin = false;       // read a PIN from stdin, store its hash, exit
    int bench_frames = 0;             // render N frames of listings (1,000 activities)
    bool print_layout = false;        // print widget rectangles (end-to-end tests)
    std::string text_size = "standard";   // screenshots of the resident's settings
    bool high_contrast = false;
    std::string overlay;              // screenshots: settings | staff | staff-pin | idle
    std::vector<std::string> export_dirs;
};

void usage(FILE* out) {
    std::fprintf(out,
                 "usage: kyodo-kiosk [--config kiosk.json] [--assets DIR] [--window WxH] [--fullscreen]\n"
                 "                   [--no-sync] [--demo-db PATH] [--lang ja|en|easy_ja] [--export-dir DIR]\n"
                 "                   [--screenshot FILE.png --screen start|listings|detail|signup|opinion|receipt|\n"
                 "                                                  survey|comment|proposal|organizations|organization]\n"
                 "                   [--text-size standard|large|xlarge] [--high-contrast]\n"
                 "                   [--overlay settings|staff|staff-pin|idle] [--print-layout]\n"
                 "       kyodo-kiosk [--config kiosk.json | --demo-db PATH] --set-staff-pin   (PIN on stdin)\n"
                 "       kyodo-kiosk --demo-db PATH --bench-frames N   (frame time, 1,000 listings)\n"
                 "Without --config: a local demo kiosk (kiosk id \"demo\", a fresh key pair, no sync),\n"
                 "its database at --demo-db (default ./kyodo-demo.db) filled from the sample catalog.\n");
}

bool parse_args(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        std::string s = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "kyodo-kiosk: %s needs a value\n", s.c_str());
                return false;
            }
            out = argv[++i];
            return true;
        };
        if (s == "--config") {
            if (!value(a.config)) return false;
        } else if (s == "--assets") {
            if (!value(a.assets)) return false;
        } else if (s == "--window") {
            std::string v;
            if (!value(v)) return false;
            if (std::sscanf(v.c_str(), "%dx%d", &a.width, &a.height) != 2 || a.width < 320 || a.height < 240 ||
                a.width > 8192 || a.height > 8192) {
                std::fprintf(stderr, "kyodo-kiosk: --window wants WIDTHxHEIGHT, e.g. 1920x1080 (got %s)\n", v.c_str());
                return false;
            }
        } else if (s == "--fullscreen") {
            a.fullscreen = true;
        } else if (s == "--no-sync") {
            a.no_sync = true;
        } else if (s == "--screenshot") {
            if (!value(a.screenshot)) return false;
        } else if (s == "--screen") {
            if (!value(a.screen)) return false;
            if (!screen_from_name(a.screen)) {
                std::fprintf(stderr, "kyodo-kiosk: unknown screen '%s' (start, listings, detail, signup, opinion, receipt, survey, "
                             "comment, proposal, organizations, organization)\n",
                             a.screen.c_str());
                return false;
            }
        } else if (s == "--demo-db") {
            if (!value(a.demo_db)) return false;
        } else if (s == "--lang") {
            if (!value(a.lang)) return false;
            Lang l;
            if (!lang_from_code(a.lang, &l)) {
                std::fprintf(stderr, "kyodo-kiosk: --lang is ja, en or easy_ja\n");
                return false;
            }
        } else if (s == "--set-staff-pin") {
            a.set_staff_pin = true;
        } else if (s == "--bench-frames") {
            std::string v;
            if (!value(v)) return false;
            a.bench_frames = std::atoi(v.c_str());
            if (a.bench_frames <= 0) {
                std::fprintf(stderr, "kyodo-kiosk: --bench-frames wants a positive count\n");
                return false;
            }
        } else if (s == "--print-layout") {
            a.print_layout = true;
        } else if (s == "--export-dir") {
            std::string v;
            if (!value(v)) return false;
            a.export_dirs.push_back(v);
        } else if (s == "--text-size") {
            if (!value(a.text_size)) return false;
            if (a.text_size != "standard" && a.text_size != "large" && a.text_size != "xlarge") {
                std::fprintf(stderr, "kyodo-kiosk: --text-size is standard, large or xlarge\n");
                return false;
            }
        } else if (s == "--high-contrast") {
            a.high_contrast = true;
        } else if (s == "--overlay") {
            if (!value(a.overlay)) return false;
            if (a.overlay != "settings" && a.overlay != "staff" && a.overlay != "staff-pin" && a.overlay != "idle") {
                std::fprintf(stderr, "kyodo-kiosk: --overlay is settings, staff, staff-pin or idle\n");
                return false;
            }
        } else if (s == "-h" || s == "--help") {
            usage(stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "kyodo-kiosk: unknown option %s\n", s.c_str());
            usage(stderr);
            return false;
        }
    }
    return true;
}

// The sample catalog goes into an empty demo/screenshot database so there is something
// to show without a server.
void seed_catalog_if_empty(KioskStore& store, const std::string& assets) {
    if (store.catalog_version() > 0 || store.search(SearchQuery{}).total > 0) return;
    std::string path = assets + "/catalog/sample_catalog.json";
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "kyodo-kiosk: the catalog is empty and %s is missing\n", path.c_str());
        return;
    }
    try {
        store.apply_catalog(catalog_from_json(Json::parse(in)));
        std::fprintf(stderr, "kyodo-kiosk: loaded the sample catalog into %s\n", store.path().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kyodo-kiosk: %s: %s\n", path.c_str(), e.what());
    }
}

// Signals are taken by a thread with sigtimedwait (never in a handler), so the event loop
// can be woken with the platform's thread-safe wake().
class SignalWatcher {
public:
    explicit SignalWatcher(std::function<void()> on_signal) : on_signal_(std::move(on_signal)) {
        thread_ = std::thread([this] { run(); });
    }
    ~SignalWatcher() {
        stop_ = true;
        thread_.join();
    }
    bool fired() const { return fired_; }
    // Blocks SIGINT/SIGTERM in the calling thread and every thread it starts afterwards.
    static void block_signals() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
    }

private:
    void run() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        timespec ts{0, 200 * 1000 * 1000};
        while (!stop_) {
            int sig = sigtimedwait(&set, nullptr, &ts);
            if (sig == SIGINT || sig == SIGTERM) {
                fired_ = true;
                if (on_signal_) on_signal_();
            }
        }
    }
    std::function<void()> on_signal_;
    std::atomic<bool> stop_{false}, fired_{false};
    std::thread thread_;
};

SyncBadge badge_of(const sync::SyncStatus& s) {
    SyncBadge b;
    b.enabled = true;
    b.online = s.online;
    b.running = s.running;
    b.pending = s.pending;
    b.last_success_ms = s.last_success_ms;
    b.last_error = s.last_error;
    b.progress = s.progress;
    b.rejected = s.rejected;
    return b;
}

// The figures kiosk_bench compares with bench/bare_glfw_font.cpp, computed the same way:
// milliseconds since KYODO_BENCH_T0_NS (CLOCK_MONOTONIC just before exec), and VmRSS.
double bench_ms_since_t0(const char* t0) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec) - std::strtod(t0, nullptr)) / 1e6;
}

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// --bench-frames: the busiest screen needs a big catalog. Copies of the sample activities
// (new ids, numbered titles) until there are `n`.
void seed_bench_catalog(KioskStore& store, const std::string& assets, int n) {
    if (store.search(SearchQuery{}).total >= n) return;
    std::ifstream in(assets + "/catalog/sample_catalog.json");
    if (!in) return;
    CatalogDelta base = catalog_from_json(Json::parse(in));
    CatalogDelta d = base;
    d.activities.clear();
    d.version = store.catalog_version() + 1;
    if (base.activities.empty()) return;
    for (int i = 0; static_cast<int>(d.activities.size()) < n; ++i) {
        Activity a = base.activities[static_cast<std::size_t>(i) % base.activities.size()];
        a.id = a.id + "-b" + std::to_string(i);
        a.title = a.title + " " + std::to_string(i + 1);
        d.activities.push_back(std::move(a));
    }
    store.apply_catalog(d);
}

// The sync worker's transport: the libcurl module, loaded on the sync thread at its first
// pass (app/platform/transport_module.h); KYODO_SYNC_MODULE names the file to use instead.
sync::TransportFactory sync_transport() {
    const char* path = std::getenv(kSyncModuleEnv);
    return module_transport_factory(path ? path : "");
}

int run_headless(const sync::KioskConfig& cfg, bool sync_on) {
    std::fprintf(stderr, "no display: running headless (sync only) — set DISPLAY or use xvfb-run to see the kiosk\n");
    std::unique_ptr<sync::SyncWorker> worker;
    if (sync_on) {
        worker = std::make_unique<sync::SyncWorker>(cfg, sync_transport(), nullptr);
        worker->start();
        std::fprintf(stderr, "kyodo-kiosk: syncing with %s every %d s (Ctrl-C to stop)\n", cfg.server_url.c_str(),
                     cfg.sync_interval_s);
    } else {
        std::fprintf(stderr, "kyodo-kiosk: sync is off (no server configured or --no-sync); waiting for Ctrl-C\n");
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    std::fprintf(stderr, "kyodo-kiosk: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    if (worker) worker->stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto t_start = std::chrono::steady_clock::now();
    // KYODO_STARTUP_TRACE=1: where the time to the first frame goes (stderr).
    const bool trace_on = std::getenv("KYODO_STARTUP_TRACE") != nullptr;
    auto trace = [&](const char* what) {
        if (!trace_on) return;
        const char* t0 = std::getenv("KYODO_BENCH_T0_NS");
        double ms = t0 ? bench_ms_since_t0(t0)
                       : std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
        std::fprintf(stderr, "startup %8.1f ms  %s\n", ms, what);
    };
    trace("main");
    Args args;
    if (!parse_args(argc, argv, args)) return 2;
    SignalWatcher::block_signals();   // before any thread starts
    crypto_init();

    // --- configuration -----------------------------------------------------------------
    sync::KioskConfig cfg;
    bool demo = args.config.empty();
    if (!demo) {
        try {
            cfg = sync::KioskConfig::load(args.config);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "kyodo-kiosk: %s\n", e.what());
            return 2;
        }
        if (!args.demo_db.empty()) cfg.db_path = args.demo_db;
    } else {
        cfg.kiosk_id = "demo";
        cfg.db_path = args.demo_db.empty() ? "kyodo-demo.db" : args.demo_db;
        cfg.city_hall_public_key = generate_keypair().public_key_b64;   // nothing is sent
    }
    if (!fs::is_directory(args.assets)) {
        std::fprintf(stderr, "kyodo-kiosk: assets folder %s not found (use --assets DIR)\n", args.assets.c_str());
        return 2;
    }
    const bool sync_on = !demo && !args.no_sync && !cfg.server_url.empty() && args.screenshot.empty();

    // --- store -------------------------------------------------------------------------
    std::unique_ptr<KioskStore> store;
    try {
        store = std::make_unique<KioskStore>(cfg.db_path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kyodo-kiosk: cannot open the kiosk database %s: %s\n", cfg.db_path.c_str(), e.what());
        return 1;
    }
    if (args.set_staff_pin) {
        // The PIN comes on stdin (never argv: it would show in ps and shell history).
        if (isatty(0)) std::fprintf(stderr, "staff PIN (4-8 digits): ");
        std::string pin;
        std::getline(std::cin, pin);
        while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
        StaffPin sp(*store);
        if (!sp.set_pin(pin)) {
            std::fprintf(stderr, "kyodo-kiosk: a staff PIN is 4 to 8 digits\n");
            return 2;
        }
        std::fprintf(stderr, "kyodo-kiosk: staff PIN set in %s (hashed; 5 wrong tries lock it for 5 minutes)\n",
                     store->path().c_str());
        return 0;
    }
    if (demo || !args.screenshot.empty() || args.bench_frames > 0) seed_catalog_if_empty(*store, args.assets);
    if (args.bench_frames > 0) {
        try {
            seed_bench_catalog(*store, args.assets, 1000);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "kyodo-kiosk: bench catalog: %s\n", e.what());
            return 1;
        }
    }
    trace("store open");
    if (demo) {
        auto centres = store->centres();
        cfg.centre_id = centres.empty() ? "demo" : centres.front().id;
    }

    // --- display? ----------------------------------------------------------------------
    if (!display_available()) {
        if (!args.screenshot.empty()) {
            std::fprintf(stderr, "kyodo-kiosk: no display for --screenshot — set DISPLAY or run under xvfb-run -a\n");
            return 3;
        }
        store.reset();
        return run_headless(cfg, sync_on);
    }

    std::unique_ptr<Platform> platform = make_glfw_platform();
    SubmitContext submit;
    submit.store = store.get();
    submit.kiosk_id = cfg.kiosk_id;
    submit.centre_id = cfg.centre_id;
    submit.city_hall_public_key = cfg.city_hall_public_key;
    AppOptions opts;
    opts.assets_dir = args.assets;
    opts.idle_reset_s = cfg.idle_reset_s;
    // QR codes open the server's public pages; a demo kiosk points at a local kyodo-server.
    opts.public_base_url = !cfg.public_base_url.empty() ? cfg.public_base_url
                           : !cfg.server_url.empty()     ? cfg.server_url
                                                         : "http://127.0.0.1:8080";
    opts.app_version = cfg.app_version;
    opts.export_dirs = args.export_dirs;
    // Screenshots and the frame bench want the whole atlas at once; the kiosk starts with
    // the start screen's glyphs and gets the rest from a background thread.
    opts.async_fonts = args.screenshot.empty() && args.bench_frames == 0;
    if (trace_on) opts.trace = trace;
    auto app = std::make_unique<KioskApp>(*platform, *store, submit, opts);
    if (args.text_size == "large") app->settings.text_size = TextSize::Large;
    if (args.text_size == "xlarge") app->settings.text_size = TextSize::ExtraLarge;
    app->settings.high_contrast = args.high_contrast;
    std::string err;
    // Start-up bar: what needs no window (string tables, glyph sets, the first font atlas,
    // itself on a thread of its own) runs on a helper thread while this one opens the
    // window and its GL context; they share nothing until the join below.
    std::string prep_err;
    bool prep_ok = false;
    std::thread prep([&] {
        prep_ok = app->prepare(&prep_err);
        trace("prepared (first atlas building)");
    });
    WindowOptions wo;
    wo.width = args.width;
    wo.height = args.height;
    wo.fullscreen = args.fullscreen;
    wo.hidden = !args.screenshot.empty() || args.bench_frames > 0;
    wo.title = "Kyodo Kiosk";
    const bool opened = platform->open(wo);
    trace("window open");
    prep.join();
    if (!prep_ok) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", prep_err.c_str());
        return 1;
    }
    if (!opened) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", platform->error().c_str());
        if (!args.screenshot.empty()) return 3;
        app.reset();
        platform.reset();
        store.reset();
        return run_headless(cfg, sync_on);
    }

    if (!app->init(&err)) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", err.c_str());
        return 1;
    }
    trace("app init (fonts, GL)");
    Lang lang = Lang::Ja;
    lang_from_code(args.lang, &lang);
    app->texts.set_lang(lang);
    const FontManager& fm = app->font_manager();

    // --- screenshot mode -----------------------------------------------------------------
    if (!args.screenshot.empty()) {
        Screen s = *screen_from_name(args.screen);
        app->preview(s);
        app->texts.set_lang(lang);
        if (args.overlay == "settings") app->settings_open = true;
        if (args.overlay == "staff-pin") app->open_staff();
        if (args.overlay == "staff") {
            app->open_staff();
            app->staff.unlocked = true;
            app->staff_refresh();
        }
        if (args.overlay == "idle") {
            // As if the resident walked away 3 s into the countdown.
            app->opinion.text = "（入力途中の意見）";
            InputFrame touch;
            touch.any = true;
            touch.keys.push_back({-1, false});
            app->frame(touch);
            double now = platform->time_s();
            app->session.touch(now - opts.idle_reset_s - 3);
            app->session.update(now - 3, false);
            app->check_idle(now);
        }
        InputFrame idle_frame;
        // A few frames: ImGui sizes windows and settles ids on the first ones.
        for (int i = 0; i < 4; ++i) app->frame(idle_frame);
        // Text a screen notes as it is drawn (a draft's sections, partner departments, a
        // receipt number) gets into the atlas on a background build: the picture waits
        // for it (bounded), or it would show '?' for those characters.
        std::string missing_chars;
        const std::size_t missing = app->settle_fonts(10.0, &missing_chars);
        for (int i = 0; i < 2; ++i) app->frame(idle_frame);
        if (missing > 0)
            std::fprintf(stderr, "kyodo-kiosk: %zu characters are not in the font atlas yet (shown as '?'): %s\n",
                         missing, missing_chars.c_str());
        if (!fm.absent_from_font().empty())
            std::fprintf(stderr, "kyodo-kiosk: not in BIZ UDGothic (never drawable): %s\n", fm.absent_from_font().c_str());
        int w = 0, h = 0;
        std::vector<std::uint8_t> px = platform->read_pixels(w, h);
        if (!write_png(args.screenshot, w, h, px, &err)) {
            std::fprintf(stderr, "kyodo-kiosk: %s\n", err.c_str());
            return 1;
        }
        std::fprintf(stderr,
                     "kyodo-kiosk: %s screen %dx%d written to %s (atlas %dx%d, %zu glyphs, %.1f ms, %s, %s texture; "
                     "missing_glyphs=%zu)\n",
                     args.screen.c_str(), w, h, args.screenshot.c_str(), fm.atlas_width(), fm.atlas_height(),
                     app->glyphs().size(), fm.build_ms(), fm.uses_freetype() ? "FreeType" : "stb_truetype",
                     fm.one_channel() ? "R8" : "RGBA", missing);
        return 0;
    }

    // --- frame time of the busiest screen (kiosk_bench) ----------------------------------
    if (args.bench_frames > 0) {
        app->preview(Screen::Listings);
        InputFrame idle_frame;
        for (int i = 0; i < 4; ++i) app->frame(idle_frame);
        std::vector<double> ms;
        ms.reserve(static_cast<std::size_t>(args.bench_frames));
        int w = 0, h = 0;
        platform->window_size(w, h);
        for (int i = 0; i < args.bench_frames; ++i) {
            // A finger dragging the results up and down: every frame lays out and draws
            // the whole screen (filters, 20 cards) and scrolls.
            InputFrame in;
            in.any = in.has_pos = true;
            in.x = static_cast<float>(w) * 0.7f;
            in.y = static_cast<float>(h) * (0.45f + 0.2f * static_cast<float>((i / 30) % 2 ? 30 - i % 30 : i % 30) / 30.0f);
            in.buttons[0] = (i % 60) != 59;
            auto t0 = std::chrono::steady_clock::now();
            app->frame(in);
            glFinish();
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(ms.begin(), ms.end());
        auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))]; };
        std::printf("frames=%d listings=%d frame_ms_median=%.2f frame_ms_p99=%.2f frame_ms_max=%.2f\n", args.bench_frames,
                    app->listing.result().total, pct(0.5), pct(0.99), ms.back());
        return 0;
    }

    // --- the kiosk -----------------------------------------------------------------------
    Platform* plat = platform.get();
    std::unique_ptr<sync::SyncWorker> worker;
    if (sync_on) {
        // Started after the first frame (below): its first pass loads the libcurl module, and
        // the dynamic loader's lock would otherwise contend with the GL driver's loading.
        worker = std::make_unique<sync::SyncWorker>(cfg, sync_transport(), [plat] { plat->wake(); });
        sync::SyncWorker* wp = worker.get();
        app->sync_now = [wp] { wp->request_now(); };
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
        if (app->frames_wanted() > 0 || latch.pending()) {
            timeout = 0;
        } else {
            timeout = app->sleep_budget(now);   // < 0: sleep until an event
        }
        std::vector<InputEvent> events = plat->wait_events(timeout);
        latch.push(events);
        if (worker) {
            sync::SyncStatus st = worker->status();
            if (st.catalog_changes != catalog_changes) {
                catalog_changes = st.catalog_changes;
                app->on_catalog_changed();
            }
            app->set_sync_badge(badge_of(st));
        }
        app->check_idle(plat->time_s());
        if (app->frames_wanted() == 0 && !latch.pending() && events.empty()) continue;
        InputFrame in = app->next_input(latch);   // held while windows settle (ui/kiosk_input.cpp)
        if (in.close) plat->request_close();
        if (first) trace("loop");
        app->frame(in);
        if (first) trace("frame drawn");
        plat->swap_buffers();
        if (args.print_layout) {
            // One block per change: "layout <screen>" then "rect <id> x y w h" lines, "end".
            std::string text = std::string("layout ") + screen_name(app->nav.current()) + "\n";
            text += "state opinion_bytes=" + std::to_string(app->opinion.text.size()) +
                    " keyboard=" + (app->keyboard.kb.is_open() ? "open" : "closed") +
                    " errors=" + std::to_string(app->opinion.errors.size()) + "\n";
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
        if (first) {
            first = false;
            if (const char* t0 = std::getenv("KYODO_BENCH_T0_NS")) {
                glFinish();   // as bench/bare_glfw_font.cpp: the frame is on screen
                std::printf("first_frame_ms=%.1f rss_kb=%ld atlas=%dx%d build_ms=%.1f\n", bench_ms_since_t0(t0), rss_kb(),
                            fm.atlas_width(), fm.atlas_height(), fm.build_ms());
                std::fflush(stdout);
            }
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
            std::fprintf(stderr, "kyodo-kiosk: first frame in %.0f ms (atlas %dx%d, %zu glyphs, built in %.1f ms)\n",
                         ms, fm.atlas_width(), fm.atlas_height(), app->glyphs().size(), fm.build_ms());
            if (worker) worker->start();
        }
    }
    if (worker) worker->stop();
    return 0;
}
