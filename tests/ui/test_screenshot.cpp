// Renders the screens with the real kyodo-kiosk (its --screenshot mode) on one Xvfb display
// started for this program, and checks each PNG is a real picture, not a blank or black
// frame. The PNGs stay in <build>/screenshots for people to look at.
//
// Cost on a busy machine: each picture is a kiosk start (fonts, atlas, database), so the
// program renders what it checks: every screen at the three window sizes in Japanese, the
// other languages where their longer or plainer text is the risk (the phone window, and the
// landscape screens the first case checks closely), and each overlay and setting once per
// size. Layout at every size and language is checked without pictures by ui_model
// (texts, line breaking) and ui_harness; missing glyphs by ui_screenshot_glyphs.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "app/ui/png.h"

namespace fs = std::filesystem;

namespace {

bool have(const char* tool) {
    std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

// One Xvfb for the whole program (a screen tall and wide enough for every window size),
// on a free display it reports through -displayfd; stopped by its pid at exit. Starting
// one per picture (xvfb-run) cost more than the pictures on a busy machine.
class Display {
public:
    static const Display& get() {
        static Display d;
        return d;
    }
    bool ok() const { return !name_.empty(); }
    const std::string& name() const { return name_; }
    ~Display() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }

private:
    Display() {
        if (!have("Xvfb")) return;
        int fds[2];
        if (::pipe(fds) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], 3);
            ::close(fds[0]);
            if (fds[1] != 3) ::close(fds[1]);
            ::execlp("Xvfb", "Xvfb", "-displayfd", "3", "-screen", "0", "1920x1920x24", "-nolisten", "tcp",
                     static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[1]);
        // Wait for the display number (generous: a busy machine starts Xvfb slowly).
        std::string num;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
        while (std::chrono::steady_clock::now() < deadline) {
            char c;
            const ssize_t n = ::read(fds[0], &c, 1);
            if (n == 1) {
                if (c == '\n') break;
                num += c;
            } else if (n == 0) {
                break;   // Xvfb exited
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        ::close(fds[0]);
        if (!num.empty()) name_ = ":" + num;
    }
    pid_t pid_ = -1;
    std::string name_;
};

struct Shot {
    int w = 0, h = 0;
    std::size_t colours = 0;
    double non_background = 0;   // share of pixels that are not the page colour
    double dark = 0;             // share of dark pixels (text, header)
};

Shot analyse(const std::string& path) {
    Shot s;
    std::vector<std::uint8_t> px;
    std::string err;
    REQUIRE_MESSAGE(kyodo::app::read_png(path, s.w, s.h, px, &err), err);
    std::set<std::uint32_t> colours;
    std::size_t n = static_cast<std::size_t>(s.w) * s.h, bg = 0, dark = 0;
    const std::uint8_t* p0 = px.data();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = p0 + i * 4;
        std::uint32_t c = (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
        if (colours.size() < 100000) colours.insert(c);
        if (p[0] == 0xF2 && p[1] == 0xF4 && p[2] == 0xF7) ++bg;
        if (p[0] + p[1] + p[2] < 200) ++dark;
    }
    s.colours = colours.size();
    s.non_background = 1.0 - static_cast<double>(bg) / n;
    s.dark = static_cast<double>(dark) / n;
    return s;
}

int run_kiosk(const std::string& args) {
    std::string cmd = "DISPLAY=" + Display::get().name() + " \"" + KYODO_KIOSK_BIN + "\" " + args +
                      " 2>>\"" + KYODO_BINARY_DIR + "/screenshots/kiosk.log\"";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool display_or_skip() {
    if (Display::get().ok()) return true;
    MESSAGE("Xvfb is not installed or did not start (apt-get install xvfb): screenshots skipped");
    return false;
}

}  // namespace

TEST_CASE("every screen renders under Xvfb") {
    if (!display_or_skip()) return;
    const std::string out = std::string(KYODO_BINARY_DIR) + "/screenshots";
    fs::create_directories(out);
    const std::string db = out + "/ui-demo.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    const std::string common = "--demo-db \"" + db + "\" --assets \"" + KYODO_ASSETS_DIR + "\"";

    struct Case {
        const char* screen;
        const char* lang;
    };
    const Case cases[] = {{"start", "ja"},  {"listings", "ja"}, {"detail", "ja"},  {"signup", "ja"},
                          {"opinion", "ja"}, {"receipt", "ja"},  {"listings", "en"}, {"detail", "en"}};
    for (const auto& c : cases) {
        std::string name = std::string(c.screen) + "-landscape-" + c.lang;
        std::string png = out + "/" + name + ".png";
        fs::remove(png);
        CAPTURE(name);
        int rc = run_kiosk(common + " --window 1920x1080 --lang " + c.lang + " --screen " + c.screen + " --screenshot \"" +
                           png + "\"");
        REQUIRE(rc == 0);
        REQUIRE(fs::exists(png));
        Shot s = analyse(png);
        CHECK(s.w == 1920);
        CHECK(s.h == 1080);
        // Anti-aliased text and several surfaces: hundreds of colours, a real share of the
        // frame drawn on, dark text present, and not mostly dark (the debug look).
        CHECK(s.colours > 200);
        CHECK(s.non_background > 0.10);
        CHECK(s.dark > 0.002);
        CHECK(s.dark < 0.30);
    }
}

TEST_CASE("a bad --screen is refused, and no display is reported plainly") {
    int rc = std::system((std::string("\"") + KYODO_KIOSK_BIN + "\" --screen nowhere --screenshot /tmp/x.png 2>/dev/null").c_str());
    CHECK(WEXITSTATUS(rc) == 2);
    std::string cmd = std::string("env -u DISPLAY -u WAYLAND_DISPLAY \"") + KYODO_KIOSK_BIN + "\" --demo-db \"" +
                      KYODO_BINARY_DIR + "/screenshots/nodisplay.db\" --assets \"" + KYODO_ASSETS_DIR +
                      "\" --screen listings --screenshot /tmp/x.png 2>/dev/null";
    rc = std::system(cmd.c_str());
    CHECK(WEXITSTATUS(rc) == 3);
}

// The shell's matrix (issue 3 §3, §5) at 1080×1920 portrait and a 390×844 phone window (the
// landscape screens are the first case's), saved as screenshots/<screen>-<size>-<lang>[-<variant>].png:
// every screen in Japanese at both sizes; English and easy Japanese (the longer and the
// plainer text) at the phone size, where a line is shortest; the overlays that lay out per
// size (settings, staff PIN pad, staff) at all three sizes, extra-large text at all three,
// the idle countdown and high contrast once.
TEST_CASE("every screen at three window sizes and in three languages") {
    if (!display_or_skip()) return;
    const std::string out = std::string(KYODO_BINARY_DIR) + "/screenshots";
    fs::create_directories(out);
    const std::string db = out + "/ui-matrix.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    const std::string common = "--demo-db \"" + db + "\" --assets \"" + KYODO_ASSETS_DIR + "\"";
    struct Size {
        const char* name;
        const char* window;
        int w, h;
    };
    const Size landscape{"landscape", "1920x1080", 1920, 1080}, portrait{"portrait", "1080x1920", 1080, 1920},
        phone{"phone", "390x844", 390, 844};
    const char* screens[] = {"start", "listings", "detail", "signup", "opinion", "receipt"};
    int shots = 0;
    auto shoot = [&](const std::string& name, const std::string& args, int w, int h) {
        std::string png = out + "/" + name + ".png";
        fs::remove(png);
        CAPTURE(name);
        int rc = run_kiosk(common + " " + args + " --screenshot \"" + png + "\"");
        REQUIRE(rc == 0);
        Shot s = analyse(png);
        CHECK(s.w == w);
        CHECK(s.h == h);
        CHECK(s.colours > 100);
        ++shots;
    };
    auto win = [](const Size& sz) { return std::string("--window ") + sz.window; };
    for (const Size& sz : {portrait, phone})
        for (const char* screen : screens)
            shoot(std::string(screen) + "-" + sz.name + "-ja", win(sz) + " --lang ja --screen " + screen, sz.w, sz.h);
    for (const char* lang : {"en", "easy_ja"})
        for (const char* screen : screens)
            shoot(std::string(screen) + "-phone-" + lang, win(phone) + " --lang " + lang + " --screen " + screen,
                  phone.w, phone.h);
    for (const Size& sz : {landscape, portrait, phone}) {
        shoot(std::string("settings-") + sz.name, win(sz) + " --screen start --overlay settings", sz.w, sz.h);
        shoot(std::string("staff-pin-") + sz.name, win(sz) + " --screen start --overlay staff-pin", sz.w, sz.h);
        shoot(std::string("staff-") + sz.name, win(sz) + " --screen start --overlay staff", sz.w, sz.h);
        shoot(std::string("listings-") + sz.name + "-xlarge", win(sz) + " --screen listings --text-size xlarge", sz.w,
              sz.h);
    }
    shoot("idle-phone", win(phone) + " --screen opinion --overlay idle", phone.w, phone.h);
    shoot("start-landscape-contrast", win(landscape) + " --screen start --high-contrast", landscape.w, landscape.h);
    MESSAGE(shots << " pictures in " << out);
}
