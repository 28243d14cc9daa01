// Start-up bookkeeping: KYODO_STARTUP_TRACE=1 prints where the time to the first frame
// goes; KYODO_BENCH_T0_NS (set by bench/kiosk_bench) anchors the figures it prints.
#pragma once

#include <chrono>

namespace kyodo::app::cli {

class StartupTrace {
public:
    StartupTrace();
    bool on() const { return on_; }
    void operator()(const char* what) const;   // "startup  12.3 ms  what" on stderr
    double ms_since_start() const;

private:
    std::chrono::steady_clock::time_point start_;
    bool on_ = false;
};

// Milliseconds since KYODO_BENCH_T0_NS (CLOCK_MONOTONIC just before exec), and VmRSS: the
// figures kiosk_bench compares with bench/bare_glfw_font.cpp, computed the same way.
double bench_ms_since_t0(const char* t0);
long rss_kb();

}  // namespace kyodo::app::cli
