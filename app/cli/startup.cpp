#include "app/cli/startup.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <time.h>

namespace kyodo::app::cli {

StartupTrace::StartupTrace()
    : start_(std::chrono::steady_clock::now()), on_(std::getenv("KYODO_STARTUP_TRACE") != nullptr) {}

double StartupTrace::ms_since_start() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
}

void StartupTrace::operator()(const char* what) const {
    if (!on_) return;
    const char* t0 = std::getenv("KYODO_BENCH_T0_NS");
    double ms = t0 ? bench_ms_since_t0(t0) : ms_since_start();
    std::fprintf(stderr, "startup %8.1f ms  %s\n", ms, what);
}

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

}  // namespace kyodo::app::cli
