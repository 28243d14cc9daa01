// The kiosk's background sync: a thread that pushes the outbox and pulls the catalog every
// sync_interval_s (and at once on request_now()), backing off exponentially with jitter
// while the server is unreachable. It opens its own KioskStore connection (SQLite WAL lets
// the UI read while it writes), so it never blocks the UI thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sync/kiosk_config.h"
#include "sync/transport.h"

namespace kyodo::sync {

struct SyncStatus {
    bool running = false;              // a sync pass is in progress right now
    bool online = false;               // the last attempt reached our server
    std::int64_t last_success_ms = 0;  // last pass that completed with the server
    std::int64_t last_attempt_ms = 0;
    std::string last_error;            // plain words for staff ("サーバーに接続できません …"), "" when fine
    int pending = 0;                   // outbox records not yet delivered
    int rejected = 0;
    std::int64_t catalog_version = 0;
    std::uint64_t catalog_changes = 0; // increments each time a pull changed the catalog
    double progress = 0.0;             // 0..1 during a pass (for staff mode's progress bar)
    std::int64_t next_attempt_ms = 0;
};

class SyncWorker {
public:
    // `wake` is called (from the sync thread) whenever the status changed in a way the UI
    // should redraw for: progress, a finished pass, a catalog change. The kiosk passes a
    // function that posts an empty event to its event loop. `make_transport` is called on the
    // sync thread at the first pass (and again after it failed): kyodo-sync and the tests pass
    // curl_transport_factory(), the kiosk a loader of its libcurl module. While it fails, the
    // worker keeps every record in the outbox and reports its error in last_error.
    SyncWorker(KioskConfig cfg, TransportFactory make_transport, std::function<void()> wake);
    ~SyncWorker();                      // stops and joins
    void start();
    void stop();
    void request_now();                 // "sync now" in staff mode
    SyncStatus status() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kyodo::sync
