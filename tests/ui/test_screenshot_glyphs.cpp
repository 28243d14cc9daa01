// A screenshot must show every character of its screen. Some screens note text as they are
// drawn (a public-comment draft's sections and partner departments come from the catalog's
// extra data; a receipt number is new), and that text reaches the font atlas through a
// background build. kyodo-kiosk --screenshot used to take its picture before that atlas
// arrived, so those kanji came out as '?'. It now waits for it (bounded) and reports, after
// the last frame, how many characters it has noted that the atlas in use cannot draw
// ("missing_glyphs=N"): they are what would be '?' on screen. This runs the real binary on
// the screens that note text, in Japanese and English, and requires 0.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>


namespace fs = std::filesystem;

namespace {

bool have(const char* tool) {
    std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("screenshots wait for the atlas holding every glyph of the screen") {
    if (!have("xvfb-run")) {
        MESSAGE("xvfb-run is not installed (apt-get install xvfb): skipped");
        return;
    }
    const std::string out = std::string(KYODO_BINARY_DIR) + "/screenshots";
    fs::create_directories(out);
    const std::string db = out + "/glyphs-demo.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    struct Case {
        const char* screen;
        const char* lang;
    };
    // comment and proposal note catalog-extra text at preview; receipt notes its number.
    const Case cases[] = {{"comment", "ja"}, {"proposal", "ja"}, {"receipt", "ja"}, {"detail", "ja"},
                          {"comment", "en"}, {"organization", "ja"}};
    for (const auto& c : cases) {
        std::string name = std::string("glyphs-") + c.screen + "-" + c.lang;
        CAPTURE(name);
        const std::string png = out + "/" + name + ".png", log = out + "/" + name + ".log";
        fs::remove(png);
        std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1920x1080x24\" \"") + KYODO_KIOSK_BIN +
                          "\" --demo-db \"" + db + "\" --assets \"" + KYODO_ASSETS_DIR + "\" --screenshot \"" + png +
                          "\" --screen " + c.screen + " --lang " + c.lang + " 2>\"" + log + "\"";
        int rc = std::system(cmd.c_str());
        std::string text = read_text(log);
        CAPTURE(text);
        REQUIRE(WIFEXITED(rc));
        REQUIRE(WEXITSTATUS(rc) == 0);
        CHECK(fs::exists(png));
        // The figure is printed by this kiosk; a kiosk that does not print it fails here.
        CHECK(text.find("missing_glyphs=0)") != std::string::npos);
        CHECK(text.find("not in the font atlas yet") == std::string::npos);
    }
}
