#include "sync/sync_worker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "core/store.h"
#include "core/timeutil.h"
#include "sync/backoff.h"
#include "sync/sync_engine.h"
#include "sync/transport.h"

namespace kyodo::sync {

namespace {

// The transport factory gave no transport (the kiosk's libcurl module is missing, say): its
// words go to staff as they are.
struct TransportMissing : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace

struct SyncWorker::Impl {
    KioskConfig cfg;
    TransportFactory make_transport;
    std::function<void()> wake;

    mutable std::mutex mu;
    std::condition_variable cv;
    SyncStatus status;
    bool stop_requested = false;
    bool now_requested = false;
    std::atomic<bool> cancel{false};
    std::thread thread;

    // Only touched by the sync thread.
    std::unique_ptr<KioskStore> store;
    std::unique_ptr<Transport> transport;
    std::unique_ptr<SyncEngine> engine;
    int failures = 0;

    void notify() {
        if (wake) {
            try {
                wake();
            } catch (...) {
                // The UI's wake-up must never take the sync thread down.
            }
        }
    }
    void run();
    std::chrono::milliseconds pass(std::mt19937_64& rng);
};

std::chrono::milliseconds SyncWorker::Impl::pass(std::mt19937_64& rng) {
    using std::chrono::milliseconds;
    const std::int64_t started = now_millis();
    {
        std::lock_guard lock(mu);
        status.running = true;
        status.progress = 0.0;
        status.last_attempt_ms = started;
    }
    notify();

    SyncReport rep;
    std::string error;
    FailureKind failure = FailureKind::None;
    OutboxCounts counts;
    bool have_counts = false;
    std::int64_t catalog_version = -1;
    try {
        if (!store) store = std::make_unique<KioskStore>(cfg.db_path);
        if (!transport) {
            TransportOptions opts;
            opts.base_url = cfg.server_url;
            opts.ca_file = cfg.ca_file;
            opts.user_agent = "kyodo-kiosk/" + cfg.app_version;
            std::string why;
            if (make_transport) transport = make_transport(opts, &cancel, why);
            else why = "同期の通信手段がありません (no transport configured)";
            if (!transport) {
                // Nothing was sent: every record stays pending; say why and try next pass.
                counts = store->counts();
                have_counts = true;
                catalog_version = store->catalog_version();
                throw TransportMissing(why);
            }
        }
        if (!engine) {
            engine = std::make_unique<SyncEngine>(*store, cfg, *transport);
            engine->set_cancel_flag(&cancel);
            engine->set_progress([this](double p) {
                {
                    std::lock_guard lock(mu);
                    status.progress = p;
                }
                notify();
            });
        }
        rep = engine->run_once();
        error = rep.error();
        failure = rep.failure();
        // Retention: delivered records leave the kiosk after retention_days.
        store->purge_delivered(now_millis() - std::int64_t(cfg.retention_days) * 86'400'000LL);
        counts = store->counts();
        have_counts = true;
        catalog_version = store->catalog_version();
    } catch (const TransportMissing& e) {
        error = e.what();
        failure = FailureKind::Fatal;
    } catch (const std::exception& e) {
        error = std::string("同期できません (sync failed: ") + e.what() + ")";
        failure = FailureKind::Fatal;
        // Start afresh next time (the database may have been replaced or repaired).
        engine.reset();
        store.reset();
    }

    milliseconds delay{std::int64_t(cfg.sync_interval_s) * 1000};
    if (failure == FailureKind::None) {
        failures = 0;
    } else {
        delay = next_delay(failures, rng);
        ++failures;
        if (auto ra = rep.retry_after_s()) delay = std::max(delay, milliseconds(*ra * 1000));
        // Never spin: at least a second between failed passes.
        delay = std::max(delay, milliseconds(1000));
    }

    {
        std::lock_guard lock(mu);
        status.running = false;
        status.progress = 1.0;
        if (!rep.cancelled) {   // a pass cut short by stop() says nothing about the server
            status.online = rep.reached_server();
            status.last_error = error;
        }
        if (failure == FailureKind::None) status.last_success_ms = now_millis();
        if (have_counts) {
            status.pending = counts.pending;
            status.rejected = counts.rejected;
        }
        if (catalog_version >= 0) status.catalog_version = catalog_version;
        if (rep.pull.changed) ++status.catalog_changes;
        status.next_attempt_ms = now_millis() + delay.count();
    }
    notify();
    return delay;
}

void SyncWorker::Impl::run() {
    std::mt19937_64 rng(std::random_device{}() ^ static_cast<std::uint64_t>(now_millis()));
    for (;;) {
        {
            std::lock_guard lock(mu);
            if (stop_requested) break;
            now_requested = false;
        }
        auto delay = pass(rng);
        std::unique_lock lock(mu);
        cv.wait_for(lock, delay, [this] { return stop_requested || now_requested; });
        if (stop_requested) break;
    }
    // Close the connection and the database on the thread that used them.
    engine.reset();
    transport.reset();
    store.reset();
}

SyncWorker::SyncWorker(KioskConfig cfg, TransportFactory make_transport, std::function<void()> wake)
    : impl_(std::make_unique<Impl>()) {
    impl_->cfg = std::move(cfg);
    impl_->make_transport = std::move(make_transport);
    impl_->wake = std::move(wake);
}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::start() {
    if (impl_->thread.joinable()) return;
    {
        std::lock_guard lock(impl_->mu);
        impl_->stop_requested = false;
        impl_->now_requested = false;
    }
    impl_->cancel = false;
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void SyncWorker::stop() {
    if (!impl_) return;
    {
        std::lock_guard lock(impl_->mu);
        impl_->stop_requested = true;
    }
    impl_->cancel = true;   // aborts a transfer in flight and the batch loop
    impl_->cv.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
    {
        std::lock_guard lock(impl_->mu);
        impl_->status.running = false;
    }
}

void SyncWorker::request_now() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->now_requested = true;
    }
    impl_->cv.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(impl_->mu);
    return impl_->status;
}

}  // namespace kyodo::sync
