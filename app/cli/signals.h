// SIGINT / SIGTERM without a signal handler.
#pragma once

#include <csignal>
#include <atomic>
#include <functional>
#include <thread>

#include <time.h>

namespace kyodo::app::cli {

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

}  // namespace kyodo::app::cli
