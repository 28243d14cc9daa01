// Kiosk bars (DESIGN.md): start-up against the bare GLFW + OpenGL + one-font program in the
// same run, idle CPU, RSS, and the frame time of the busiest screen.
//
//   xvfb-run -a -s "-screen 0 1920x1080x24" kiosk_bench --kiosk build/app/kyodo-kiosk
//       --bare build/bench/bare_glfw_font [--runs 7] [--idle-seconds 30] [--frames 300] [-- kiosk args…]
//
// Start-up: both programs are exec'd alternately (so machine noise hits both alike) with
// KYODO_BENCH_T0_NS set to CLOCK_MONOTONIC just before exec; each prints
// "first_frame_ms=… rss_kb=…" after its first frame is on screen. We report medians and the
// ratio kiosk/bare. Idle: the last kiosk run is left alone for --idle-seconds and its CPU
// time is read from /proc/<pid>/stat before and after. The kiosk is stopped by its pid.
// Frame time: the kiosk renders --frames frames of its busiest screen (listings, 1,000
// activities) with --bench-frames and prints frame_ms_median / p99.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Child {
    pid_t pid = -1;
    FILE* out = nullptr;
};

Child spawn(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) { std::perror("pipe"); std::exit(2); }
    timespec t0{};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    std::string t0s = std::to_string(static_cast<long long>(t0.tv_sec) * 1000000000LL + t0.tv_nsec);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        setenv("KYODO_BENCH_T0_NS", t0s.c_str(), 1);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::perror("execv");
        _exit(127);
    }
    close(fds[1]);
    return {pid, fdopen(fds[0], "r")};
}

// Reads lines until one has key=value for `key`; returns the value or -1 (EOF / timeout
// is bounded by the child: it either prints or exits).
double read_value(FILE* f, const char* key, std::string* whole_line = nullptr) {
    char buf[1024];
    std::string k = std::string(key) + "=";
    while (std::fgets(buf, sizeof buf, f)) {
        const char* p = std::strstr(buf, k.c_str());
        if (p) {
            if (whole_line) *whole_line = buf;
            return std::atof(p + k.size());
        }
    }
    return -1;
}

double field_value(const std::string& line, const char* key) {
    std::string k = std::string(key) + "=";
    auto p = line.find(k);
    return p == std::string::npos ? -1 : std::atof(line.c_str() + p + k.size());
}

void stop(Child& c) {
    if (c.pid <= 0) return;
    kill(c.pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (waitpid(c.pid, nullptr, WNOHANG) == c.pid) { c.pid = -1; break; }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (c.pid > 0) { kill(c.pid, SIGKILL); waitpid(c.pid, nullptr, 0); }
    if (c.out) std::fclose(c.out);
    c = {};
}

double cpu_ticks(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto rp = s.rfind(')');
    std::istringstream in(s.substr(rp + 2));
    std::string tok;
    double utime = 0, stime = 0;
    for (int field = 3; in >> tok; ++field) {
        if (field == 14) utime = std::atof(tok.c_str());
        if (field == 15) { stime = std::atof(tok.c_str()); break; }
    }
    return utime + stime;
}

long rss_kb(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// The machine's load average: figures from a shared, busy machine are read with it.
std::string loadavg() {
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    f >> a >> b >> c;
    return a + " " + b + " " + c;
}

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string kiosk, bare;
    int runs = 7;
    double idle_seconds = 30;
    int frames = 300;   // --frames 0 skips the frame-time part
    std::vector<std::string> kiosk_args;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--kiosk" && i + 1 < argc) kiosk = argv[++i];
        else if (a == "--bare" && i + 1 < argc) bare = argv[++i];
        else if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
        else if (a == "--idle-seconds" && i + 1 < argc) idle_seconds = std::atof(argv[++i]);
        else if (a == "--frames" && i + 1 < argc) frames = std::atoi(argv[++i]);
        else if (a == "--") { for (++i; i < argc; ++i) kiosk_args.push_back(argv[i]); }
        else { std::fprintf(stderr, "kiosk_bench: unknown argument %s\n", a.c_str()); return 2; }
    }
    if (kiosk.empty() || bare.empty()) {
        std::fprintf(stderr, "usage: kiosk_bench --kiosk PATH --bare PATH [--runs N] [--idle-seconds S] [--frames N] [-- kiosk args]\n");
        return 2;
    }
    if (!std::getenv("DISPLAY")) {
        std::fprintf(stderr, "kiosk_bench: no DISPLAY; run under xvfb-run -a -s \"-screen 0 1920x1080x24\"\n");
        return 2;
    }

    std::printf("load average at start: %s\n", loadavg().c_str());
    std::fflush(stdout);
    std::vector<double> bare_ms, kiosk_ms, bare_rss, kiosk_rss;
    double idle_pct = -1, idle_rss = -1;
    for (int r = 0; r < runs; ++r) {
        {
            Child b = spawn({bare});
            std::string line;
            double ms = read_value(b.out, "first_frame_ms", &line);
            if (ms >= 0) { bare_ms.push_back(ms); bare_rss.push_back(field_value(line, "rss_kb")); }
            stop(b);
        }
        {
            std::vector<std::string> args{kiosk};
            args.insert(args.end(), kiosk_args.begin(), kiosk_args.end());
            Child k = spawn(args);
            std::string line;
            double ms = read_value(k.out, "first_frame_ms", &line);
            if (ms < 0) {
                std::fprintf(stderr, "kiosk_bench: the kiosk printed no first_frame_ms (does it support KYODO_BENCH_T0_NS?)\n");
                stop(k);
                return 1;
            }
            kiosk_ms.push_back(ms);
            kiosk_rss.push_back(field_value(line, "rss_kb"));
            if (r == runs - 1 && idle_seconds > 0) {
                // Let start-up work (sync thread's first pass, atlas) settle, then measure.
                std::this_thread::sleep_for(std::chrono::seconds(3));
                double c0 = cpu_ticks(k.pid);
                std::this_thread::sleep_for(std::chrono::duration<double>(idle_seconds));
                double c1 = cpu_ticks(k.pid);
                idle_pct = 100.0 * (c1 - c0) / static_cast<double>(sysconf(_SC_CLK_TCK)) / idle_seconds;
                idle_rss = static_cast<double>(rss_kb(k.pid));
            }
            stop(k);
        }
    }
    double bm = median(bare_ms), km = median(kiosk_ms);
    // Every pair, so a reader sees the spread behind the medians.
    for (std::size_t i = 0; i < kiosk_ms.size(); ++i)
        std::printf("run %zu: bare %.1f ms %.1f MB, kiosk %.1f ms %.1f MB\n", i + 1,
                    i < bare_ms.size() ? bare_ms[i] : -1.0, i < bare_rss.size() ? bare_rss[i] / 1024 : -1.0, kiosk_ms[i],
                    kiosk_rss[i] / 1024);
    std::printf("start-up to first frame (median of %d, ms): bare %.1f  kiosk %.1f  ratio %.2f (bar: kiosk < 500 ms and ratio <= 1.3)\n",
                runs, bm, km, bm > 0 ? km / bm : -1.0);
    std::printf("RSS after first frame (median, MB): bare %.1f  kiosk %.1f  difference %.1f (bar: <= 40 MB)\n",
                median(bare_rss) / 1024, median(kiosk_rss) / 1024, (median(kiosk_rss) - median(bare_rss)) / 1024);
    if (idle_pct >= 0)
        std::printf("idle CPU over %.0f s: %.3f%% of one core, RSS %.1f MB (bar: < 0.5%%)\n", idle_seconds, idle_pct,
                    idle_rss / 1024);

    // Frame time of the busiest screen: listings with 1,000 activities, a finger dragging
    // the results (the kiosk's --bench-frames renders them off screen and prints the figures).
    if (frames > 0) {
        std::vector<std::string> args{kiosk};
        args.insert(args.end(), kiosk_args.begin(), kiosk_args.end());
        args.push_back("--bench-frames");
        args.push_back(std::to_string(frames));
        Child k = spawn(args);
        std::string line;
        double med = read_value(k.out, "frame_ms_median", &line);
        stop(k);
        if (med < 0) {
            std::fprintf(stderr, "kiosk_bench: the kiosk printed no frame_ms_median (--bench-frames)\n");
            return 1;
        }
        std::printf("busiest screen (listings, %.0f activities, %d frames): median %.2f ms  p99 %.2f ms  max %.2f ms\n",
                    field_value(line, "listings"), frames, med, field_value(line, "frame_ms_p99"),
                    field_value(line, "frame_ms_max"));
    }
    std::printf("load average at end: %s\n", loadavg().c_str());
    return 0;
}
