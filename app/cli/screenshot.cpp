// --screenshot: the kiosk on one screen with plausible state, drawn offscreen to a PNG.
#include <cstdio>
#include <string>
#include <vector>

#include "app/cli/modes.h"
#include "app/screens/opinion.h"
#include "app/ui/png.h"

namespace kyodo::app::cli {

namespace {

void open_overlay(Platform& platform, Shell& shell, const std::string& overlay) {
    if (overlay == "settings") shell.settings_open = true;
    if (overlay == "staff-pin") shell.open_staff();
    if (overlay == "staff") {
        shell.open_staff();
        shell.staff.unlocked = true;
        shell.staff_refresh();
    }
    if (overlay == "idle") {
        // As if the resident walked away 3 s into the countdown.
        shell.view<screens::OpinionView>().opinion.text = "（入力途中の意見）";
        InputFrame touch;
        touch.any = true;
        touch.keys.push_back({-1, false});
        shell.frame(touch);
        double now = platform.time_s();
        shell.session.touch(now - shell.options().idle_reset_s - 3);
        shell.session.update(now - 3, false);
        shell.check_idle(now);
    }
}

}  // namespace

int run_screenshot(Platform& platform, Shell& shell, const Args& args, Lang lang) {
    const FontManager& fm = shell.font_manager();
    shell.preview(*screen_from_name(args.screen));
    shell.texts.set_lang(lang);
    open_overlay(platform, shell, args.overlay);
    InputFrame idle_frame;
    // A few frames: ImGui sizes windows and settles ids on the first ones.
    for (int i = 0; i < 4; ++i) shell.frame(idle_frame);
    // Text a screen notes as it is drawn (a draft's sections, partner departments, a
    // receipt number) gets into the atlas on a background build: the picture waits
    // for it (bounded), or it would show '?' for those characters.
    std::string missing_chars;
    const std::size_t missing = shell.settle_fonts(10.0, &missing_chars);
    for (int i = 0; i < 2; ++i) shell.frame(idle_frame);
    if (missing > 0)
        std::fprintf(stderr, "kyodo-kiosk: %zu characters are not in the font atlas yet (shown as '?'): %s\n", missing,
                     missing_chars.c_str());
    if (!fm.absent_from_font().empty())
        std::fprintf(stderr, "kyodo-kiosk: not in BIZ UDGothic (never drawable): %s\n", fm.absent_from_font().c_str());
    int w = 0, h = 0;
    std::vector<std::uint8_t> px = platform.read_pixels(w, h);
    std::string err;
    if (!write_png(args.screenshot, w, h, px, &err)) {
        std::fprintf(stderr, "kyodo-kiosk: %s\n", err.c_str());
        return 1;
    }
    std::fprintf(stderr,
                 "kyodo-kiosk: %s screen %dx%d written to %s (atlas %dx%d, %zu glyphs, %.1f ms, %s, %s texture; "
                 "missing_glyphs=%zu)\n",
                 args.screen.c_str(), w, h, args.screenshot.c_str(), fm.atlas_width(), fm.atlas_height(),
                 shell.glyphs().size(), fm.build_ms(), fm.uses_freetype() ? "FreeType" : "stb_truetype",
                 fm.one_channel() ? "R8" : "RGBA", missing);
    return 0;
}

}  // namespace kyodo::app::cli
