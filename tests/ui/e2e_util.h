// End-to-end helpers shared by the kiosk's walkthrough tests (test_e2e.cpp, test_personas.cpp):
// start a program with its stdout on a pipe, stop it by its pid, read the kiosk's
// --print-layout blocks, and tap or drag with xdotool where a layout says a target is.
// Every wait is bounded; nothing sleeps a fixed time to let the kiosk catch up.
#pragma once

#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>




namespace kyodo::e2e {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

inline bool have(const char* tool) {
    return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

inline pid_t spawn(const std::vector<std::string>& argv, int* out_fd, const std::map<std::string, std::string>& env) {
    int fds[2] = {-1, -1};
    if (out_fd && pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        if (out_fd) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
        }
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> a;
        for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execvp(a[0], a.data());
        _exit(127);
    }
    if (out_fd) {
        close(fds[1]);
        *out_fd = fds[0];
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
    }
    return pid;
}

inline void stop(pid_t& pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
            pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = -1;
}

// Reads the kiosk's --print-layout blocks; `latest` holds the last complete one.
struct LayoutReader {
    int fd = -1;
    std::string buf, screen, state;
    std::string trail;   // the screens shown, in order (for a failure's message)
    std::map<std::string, std::vector<float>> rects;
    std::map<std::string, std::vector<std::vector<float>>> all;   // every rect of an id, in order
    int blocks = 0;   // layouts read so far
    void pump() {
        char tmp[4096];
        for (;;) {
            ssize_t n = read(fd, tmp, sizeof tmp);
            if (n <= 0) break;
            buf.append(tmp, static_cast<std::size_t>(n));
        }
        for (;;) {
            auto end = buf.find("\nend\n");
            if (end == std::string::npos) break;
            std::string block = buf.substr(0, end + 1);
            buf.erase(0, end + 5);
            auto start = block.rfind("layout ");
            if (start == std::string::npos) continue;
            std::istringstream in(block.substr(start));
            std::string word;
            std::map<std::string, std::vector<float>> r;
            std::map<std::string, std::vector<std::vector<float>>> every;
            std::string scr;
            std::string line;
            while (std::getline(in, line)) {
                std::istringstream ls(line);
                ls >> word;
                if (word == "layout") ls >> scr;
                if (word == "state") state = line;
                if (word == "rect") {
                    std::string id;
                    float x, y, w, h;
                    ls >> id >> x >> y >> w >> h;
                    if (!r.count(id)) r[id] = {x, y, w, h};
                    every[id].push_back({x, y, w, h});
                }
            }
            if (scr != screen) {
                trail += " " + scr;
                if (scr == "detail")
                    for (const auto& [k, v] : r) trail += (k == r.begin()->first ? " [" : " ") + k;
                if (scr == "detail") trail += "]";
            }
            screen = scr;
            rects = r;
            all = every;
            ++blocks;
        }
    }
    // Waits until `pred` holds for the latest layout (bounded).
    template <typename P>
    bool wait(P pred, double seconds) {
        auto t0 = Clock::now();
        while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
            pump();
            if (pred()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    bool has(const std::string& id) const { return rects.count(id) > 0; }
    // Waits until no new layout has come for `quiet` seconds (the picture stands still).
    bool settle(double quiet, double seconds) {
        auto t0 = Clock::now(), last = t0;
        int seen = blocks;
        while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
            pump();
            if (blocks != seen) {
                seen = blocks;
                last = Clock::now();
            } else if (std::chrono::duration<double>(Clock::now() - last).count() >= quiet) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
};

inline int xdo(const std::string& display, const std::string& args) {
    std::string cmd = "DISPLAY=" + display + " timeout 10 xdotool " + args + " >/dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

inline void tap(const std::string& display, const std::string& win, const std::vector<float>& r) {
    int x = static_cast<int>(r[0] + r[2] * 0.5f), y = static_cast<int>(r[1] + r[3] * 0.5f);
    // The finger lands, then presses: a move and a press in one event batch can reach the
    // kiosk in one frame, where ImGui still sees the pointer over the last place touched.
    CHECK(xdo(display, "mousemove --window " + win + " " + std::to_string(x) + " " + std::to_string(y) +
                           " sleep 0.15 click 1") == 0);
}

// Drags the page (a finger, with xdotool) until target `id` is inside the window above its
// footer: a multi-line field grows back when the keyboard closes and pushes what follows down.
inline bool reveal(const std::string& display, const std::string& win, LayoutReader& L, const std::string& id, float win_h) {
    for (int i = 0; i < 6; ++i) {
        L.settle(0.5, 20);
        if (!L.has(id)) return false;
        const auto r = L.rects[id];
        if (r[1] >= 100 && r[1] + r[3] <= win_h - 70) return true;
        const int x = static_cast<int>(r[0] + r[2] * 0.5f);
        const int from = static_cast<int>(win_h * 0.7f), to = static_cast<int>(win_h * 0.35f);
        const bool up = r[1] + r[3] > win_h - 70;
        // A finger's pace (xdotool's sleep between its moves), so each move is its own frame
        // and the kiosk sees a drag, not a tap where the finger lifted.
        const int a = up ? from : to, b = up ? to : from;
        std::string cmd = "mousemove --window " + win + " " + std::to_string(x) + " " + std::to_string(a) + " mousedown 1";
        for (int k = 1; k <= 6; ++k)
            cmd += " sleep 0.05 mousemove --window " + win + " " + std::to_string(x) + " " + std::to_string(a + (b - a) * k / 6);
        xdo(display, cmd + " sleep 0.05 mouseup 1");
    }
    L.settle(0.5, 20);
    return L.has(id);
}

}  // namespace kyodo::e2e
