// Renders every screen with the real kyodo-kiosk under Xvfb (demo database with the sample
// catalog) and checks each PNG is a real picture, not a blank or black frame. The PNGs stay
// in <build>/screenshots for people to look at.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "app/ui/png.h"

namespace fs = std::filesystem;

namespace {

bool have(const char* tool) {
    std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

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
    std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1920x1080x24\" \"") + KYODO_KIOSK_BIN + "\" " + args +
                      " 2>>\"" + KYODO_BINARY_DIR + "/screenshots/kiosk.log\"";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("every screen renders under Xvfb") {
    if (!have("xvfb-run")) {
        MESSAGE("xvfb-run is not installed (apt-get install xvfb): screenshots skipped");
        return;
    }
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
        std::string name = std::string(c.screen) + (std::string(c.lang) == "en" ? "-en" : "");
        std::string png = out + "/" + name + ".png";
        fs::remove(png);
        CAPTURE(name);
        int rc = run_kiosk(common + " --lang " + c.lang + " --screen " + c.screen + " --screenshot \"" + png + "\"");
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

// The shell's matrix (issue 3 §3, §5): every screen at 1920×1080 landscape, 1080×1920
// portrait and a 390×844 phone window, in ja / en / easy_ja, plus the overlays (settings,
// idle countdown, staff PIN pad and dashboard) and the resident's settings (extra large
// text, high contrast). Saved as screenshots/<screen>-<size>-<lang>[-<variant>].png.
TEST_CASE("every screen at three window sizes and in three languages") {
    if (!have("xvfb-run")) {
        MESSAGE("xvfb-run is not installed (apt-get install xvfb): screenshots skipped");
        return;
    }
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
    const Size sizes[] = {{"landscape", "1920x1080", 1920, 1080}, {"portrait", "1080x1920", 1080, 1920},
                          {"phone", "390x844", 390, 844}};
    const char* screens[] = {"start", "listings", "detail", "signup", "opinion", "receipt"};
    const char* langs[] = {"ja", "en", "easy_ja"};
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
    };
    for (const auto& sz : sizes)
        for (const char* lang : langs)
            for (const char* screen : screens)
                shoot(std::string(screen) + "-" + sz.name + "-" + lang,
                      std::string("--window ") + sz.window + " --lang " + lang + " --screen " + screen, sz.w, sz.h);
    for (const auto& sz : sizes) {
        std::string win = std::string("--window ") + sz.window;
        shoot(std::string("settings-") + sz.name, win + " --screen start --overlay settings", sz.w, sz.h);
        shoot(std::string("idle-") + sz.name, win + " --screen opinion --overlay idle", sz.w, sz.h);
        shoot(std::string("staff-pin-") + sz.name, win + " --screen start --overlay staff-pin", sz.w, sz.h);
        shoot(std::string("staff-") + sz.name, win + " --screen start --overlay staff", sz.w, sz.h);
        shoot(std::string("listings-") + sz.name + "-xlarge", win + " --screen listings --text-size xlarge", sz.w, sz.h);
        shoot(std::string("start-") + sz.name + "-contrast", win + " --screen start --high-contrast", sz.w, sz.h);
    }
}
