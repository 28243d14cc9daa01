// kyodo-kiosk: the community-centre kiosk.
//
//   kyodo-kiosk --config kiosk.json [--assets DIR] [--window WxH] [--fullscreen] [--no-sync]
//   kyodo-kiosk [--config kiosk.json | --demo-db PATH] --screenshot FILE.png --screen NAME
//
// Without --config the kiosk runs on a local demo configuration (kiosk "demo", a fresh key
// pair, nothing is sent anywhere). Without a display it says so and keeps syncing until
// SIGINT/SIGTERM. The helpers live in app/cli/ (args, catalogs, sync glue, the modes).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <unistd.h>

#include "app/cli/args.h"
#include "app/cli/catalog_seed.h"
#include "app/cli/modes.h"
#include "app/cli/signals.h"
#include "app/cli/startup.h"
#include "app/cli/sync_glue.h"
#include "app/model/staff.h"
#include "app/platform/platform.h"
#include "app/ui/shell.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/store_recover.h"
#include "sync/kiosk_config.h"

namespace {

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::app::cli;

// The kiosk's configuration file, or the demo one (a fresh key pair: nothing is sent).
bool load_config(const Args& args, sync::KioskConfig& cfg) {
    if (args.config.empty()) {
        cfg.kiosk_id = "demo";
        cfg.db_path = args.demo_db.empty() ? "kyodo-demo.db" : args.demo_db;
        cfg.city_hall_public_key = generate_keypair().public_key_b64;
        return true;
    }
    try {
        cfg = sync::KioskConfig::load(args.config);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", e.what());
        return false;
    }
    if (!args.demo_db.empty()) cfg.db_path = args.demo_db;
    return true;
}

std::unique_ptr<KioskStore> open_store(const sync::KioskConfig& cfg) {
    try {
        // A database damaged on disk is found here, moved aside and rebuilt with what reads
        // back; staff mode then says so (core/store_recover.h).
        check_kiosk_store(cfg.db_path);
        return std::make_unique<KioskStore>(cfg.db_path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kyodo-kiosk: cannot open the kiosk database %s: %s\n", cfg.db_path.c_str(), e.what());
        return nullptr;
    }
}

// --set-staff-pin: the PIN comes on stdin (never argv: it would show in ps and history).
int set_staff_pin(KioskStore& store) {
    if (isatty(0)) std::fprintf(stderr, "staff PIN (4-8 digits): ");
    std::string pin;
    std::getline(std::cin, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
    StaffPin sp(store);
    if (!sp.set_pin(pin)) {
        std::fprintf(stderr, "kyodo-kiosk: a staff PIN is 4 to 8 digits\n");
        return 2;
    }
    std::fprintf(stderr, "kyodo-kiosk: staff PIN set in %s (hashed; 5 wrong tries lock it for 5 minutes)\n",
                 store.path().c_str());
    return 0;
}

SubmitContext submit_context(const sync::KioskConfig& cfg, KioskStore& store) {
    SubmitContext submit;
    submit.store = &store;
    submit.kiosk_id = cfg.kiosk_id;
    submit.centre_id = cfg.centre_id;
    submit.city_hall_public_key = cfg.city_hall_public_key;
    return submit;
}

AppOptions shell_options(const Args& args, const sync::KioskConfig& cfg, const StartupTrace& trace) {
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
    if (trace.on()) opts.trace = [&trace](const char* what) { trace(what); };
    return opts;
}

WindowOptions window_options(const Args& args) {
    WindowOptions wo;
    wo.width = args.width;
    wo.height = args.height;
    wo.fullscreen = args.fullscreen;
    wo.hidden = !args.screenshot.empty() || args.bench_frames > 0;
    wo.title = "Kyodo Kiosk";
    return wo;
}

}  // namespace

int main(int argc, char** argv) {
    StartupTrace trace;
    trace("main");
    Args args;
    if (!parse_args(argc, argv, args)) return 2;
    SignalWatcher::block_signals();   // before any thread starts
    crypto_init();

    // --- configuration and store -------------------------------------------------------
    sync::KioskConfig cfg;
    const bool demo = args.config.empty();
    if (!load_config(args, cfg)) return 2;
    if (!std::filesystem::is_directory(args.assets)) {
        std::fprintf(stderr, "kyodo-kiosk: assets folder %s not found (use --assets DIR)\n", args.assets.c_str());
        return 2;
    }
    const bool sync_on = !demo && !args.no_sync && !cfg.server_url.empty() && args.screenshot.empty();
    std::unique_ptr<KioskStore> store = open_store(cfg);
    if (!store) return 1;
    if (args.set_staff_pin) return set_staff_pin(*store);
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

    // --- no display: sync only ----------------------------------------------------------
    if (!display_available()) {
        if (!args.screenshot.empty()) {
            std::fprintf(stderr, "kyodo-kiosk: no display for --screenshot — set DISPLAY or run under xvfb-run -a\n");
            return 3;
        }
        store.reset();
        return run_headless(cfg, sync_on);
    }

    // --- window and shell ---------------------------------------------------------------
    std::unique_ptr<Platform> platform = make_glfw_platform();
    auto shell = std::make_unique<Shell>(*platform, *store, submit_context(cfg, *store), shell_options(args, cfg, trace));
    if (args.text_size == "large") shell->settings.text_size = TextSize::Large;
    if (args.text_size == "xlarge") shell->settings.text_size = TextSize::ExtraLarge;
    shell->settings.high_contrast = args.high_contrast;
    if (args.furigana == "on") shell->settings.furigana = FuriganaMode::On;
    if (args.furigana == "off") shell->settings.furigana = FuriganaMode::Off;
    // Start-up bar: what needs no window (string tables, glyph sets, the first font atlas,
    // itself on a thread of its own) runs on a helper thread while this one opens the
    // window and its GL context; they share nothing until the join below.
    std::string prep_err;
    bool prep_ok = false;
    std::thread prep([&] {
        prep_ok = shell->prepare(&prep_err);
        trace("prepared (first atlas building)");
    });
    const bool opened = platform->open(window_options(args));
    trace("window open");
    prep.join();
    if (!prep_ok) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", prep_err.c_str());
        return 1;
    }
    if (!opened) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", platform->error().c_str());
        if (!args.screenshot.empty()) return 3;
        shell.reset();
        platform.reset();
        store.reset();
        return run_headless(cfg, sync_on);
    }
    std::string err;
    if (!shell->init(&err)) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", err.c_str());
        return 1;
    }
    trace("app init (fonts, GL)");
    Lang lang = Lang::Ja;
    lang_from_code(args.lang, &lang);
    shell->texts.set_lang(lang);

    // --- what to do with it -------------------------------------------------------------
    if (!args.screenshot.empty()) return run_screenshot(*platform, *shell, args, lang);
    if (args.bench_frames > 0) return run_bench_frames(*platform, *shell, args);
    return run_kiosk(*platform, *shell, args, cfg, sync_on, trace);
}
