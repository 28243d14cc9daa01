#include "app/cli/sync_glue.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/platform/transport_module.h"

namespace kyodo::app::cli {

// The sync worker's transport: the libcurl module, loaded on the sync thread at its first
// pass (app/platform/transport_module.h); KYODO_SYNC_MODULE names the file to use instead.
sync::TransportFactory sync_transport() {
    const char* path = std::getenv(kSyncModuleEnv);
    return module_transport_factory(path ? path : "");
}

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
    b.last_attempt_ms = s.last_attempt_ms;
    b.catalog_changes = s.catalog_changes;
    return b;
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

}  // namespace kyodo::app::cli
