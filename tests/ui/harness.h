// The harness's driver, shared by its test files (test_harness.cpp, test_harness_booking.cpp):
// the real kiosk UI (Shell, every screen, the GLFW platform with a hidden window, OpenGL
// through llvmpipe) driven by taps injected as input frames. See test_harness.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "app/platform/platform.h"
#include "app/ui/keyboard_widget.h"
#include "app/model/qr.h"
#include "app/ui/png.h"
#include "app/ui/qr_image.h"
#include "app/screens/detail.h"
#include "app/screens/signup.h"
#include "app/ui/shell.h"
#include "app/ui/widgets.h"
#include "core/seal.h"
#include "ui_test_util.h"

namespace kyodo::test {

using namespace kyodo::app;

inline bool child_mode() { return std::getenv("KYODO_HARNESS_CHILD") != nullptr; }

// True when this process should run the harness itself; otherwise the outcome of running
// it under xvfb-run is checked here.
inline bool need_display() {
    if (std::getenv("DISPLAY") && *std::getenv("DISPLAY")) return true;
    if (child_mode()) return true;
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        MESSAGE("no DISPLAY and no xvfb-run: the harness is skipped");
        return false;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    REQUIRE(n > 0);
    self[n] = 0;
    // doctest splits a -tc filter at commas: a test name with a comma matched nothing and
    // the child passed without running it. '?' (any one character) stands in for them.
    std::string name = doctest::getContextOptions()->currentTest->m_name;
    std::replace(name.begin(), name.end(), ',', '?');
    std::string cmd = std::string("KYODO_HARNESS_CHILD=1 xvfb-run -a -s \"-screen 0 1920x1080x24\" \"") + self +
                      "\" -tc=\"" + name + "\"";
    int rc = std::system(cmd.c_str());
    CHECK_MESSAGE(WIFEXITED(rc), "the harness under xvfb-run crashed");
    CHECK_MESSAGE(WEXITSTATUS(rc) == 0, "the harness under xvfb-run failed (its output is above)");
    return false;
}

// Text the last frames drew cut short (ui::take_overflows), as one line for a CHECK message;
// "" when nothing was cut.
inline std::string text_cuts() {
    std::string cut;
    for (const auto& o : ui::take_overflows())
        cut += o.id + " '" + o.text + "' " + std::to_string(int(o.need)) + ">" + std::to_string(int(o.room)) + "; ";
    return cut;
}

struct Harness {
    SampleStore s;
    KeyPair keys;
    std::unique_ptr<Platform> platform;
    std::unique_ptr<Shell> app;
    std::vector<ui::LayoutRect> layout;
    std::vector<ui::DrawnText> texts;   // what ui::text drew in the last frame

    explicit Harness(const std::string& name, int width = 1920, int height = 1080) : s(name) {
        crypto_init();
        keys = generate_keypair();
        platform = make_glfw_platform();
        WindowOptions wo;
        wo.width = width;
        wo.height = height;
        wo.hidden = true;
        REQUIRE_MESSAGE(platform->open(wo), platform->error());
        SubmitContext ctx;
        ctx.store = s.store.get();
        ctx.kiosk_id = "harness";
        ctx.centre_id = "miyano";   // has something on in the sample week
        ctx.city_hall_public_key = keys.public_key_b64;
        AppOptions opts;
        opts.assets_dir = KYODO_ASSETS_DIR;
        opts.public_base_url = "https://kyodo.city.example";
        opts.async_fonts = false;
        app = std::make_unique<Shell>(*platform, *s.store, ctx, opts);
        std::string err;
        REQUIRE_MESSAGE(app->init(&err), err);
        app->today_override = "2026-11-24";   // inside the sample draft's comment period
        ui::record_layout(true);
        idle(3);
    }
    ~Harness() { ui::record_layout(false); }

    void frame(const InputFrame& in) {
        ui::take_texts();
        ui::take_layout();
        app->frame(in);
        texts = ui::take_texts();   // before take_layout(), which forgets them
        layout = ui::take_layout();
    }
    void idle(int n = 2) {
        for (int i = 0; i < n; ++i) frame(InputFrame{});
    }
    const ui::LayoutRect* find(const std::string& id) const {
        const ui::LayoutRect* hit = nullptr;
        for (const auto& r : layout)
            if (r.id == id && r.w > 0 && r.h > 0) hit = &r;   // the last drawn wins (overlays)
        return hit;
    }
    bool has(const std::string& id) const { return find(id) != nullptr; }
    // The last frame drew a text (ui::text) holding `words`, some of it inside its clip
    // rectangle (seen, not scrolled away): its box, or nullptr.
    const ui::DrawnText* drew(const std::string& words) const {
        for (const auto& t : texts)
            if (t.text.find(words) != std::string::npos && t.max.y > t.clip_min.y && t.min.y < t.clip_max.y &&
                t.max.x > t.clip_min.x && t.min.x < t.clip_max.x)
                return &t;
        return nullptr;
    }
    void tap_at(float x, float y) {
        InputFrame down;
        down.any = down.has_pos = true;
        down.x = x;
        down.y = y;
        down.buttons[0] = true;
        frame(down);
        InputFrame up = down;
        up.buttons[0] = false;
        frame(up);
        idle(2);
    }
    // A finger dragged from (x, y0) to (x, y1) over several frames, then lifted; frames
    // run until the list stops gliding.
    void drag(float x, float y0, float y1) {
        InputFrame in;
        in.any = in.has_pos = true;
        in.x = x;
        in.buttons[0] = true;
        // At a finger's pace (a 60 Hz touch panel), then held still before lifting, so the
        // list moves by the drag and does not fling: with frames as fast as a quiet machine
        // draws them, the same 400 px took a few milliseconds, the fling carried the list
        // past the target and reveal() gave up (fresh clone: 'field-子育て' at y 1276).
        for (int i = 0; i <= 8; ++i) {
            in.y = y0 + (y1 - y0) * static_cast<float>(i) / 8.0f;
            frame(in);
            std::this_thread::sleep_for(std::chrono::milliseconds(16));
        }
        for (int i = 0; i < 4; ++i) {
            frame(in);
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        in.buttons[0] = false;
        frame(in);
        // Until the list rests: the glide runs on the clock, and on a busy machine 40 frames
        // were not always enough (a chip tapped while the list still moved hit its neighbour).
        idle(2);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (ui::touch_scroll_active() && std::chrono::steady_clock::now() < deadline) idle(1);
        idle(2);
    }
    // Scrolls the content up (a finger moving up) until `id` is fully in view.
    void reveal(const std::string& id) {
        // Flow screens keep back/next in a bar above the footer: other targets must be
        // above that bar to be in view.
        const float bottom = id.rfind("step-", 0) == 0 ? 1080 - 70 : 1080 - 64 - 190;
        for (int i = 0; i < 8; ++i) {
            const ui::LayoutRect* r = find(id);
            if (r && r->y + r->h <= bottom && r->y >= 130) return;
            if (r && r->y < 130) drag(960, 400, 800);
            else drag(960, 800, 400);
        }
    }
    // Taps the middle of the visible part of target `id`; fails the test when not drawn.
    void tap(const std::string& id) {
        if (std::getenv("KYODO_HARNESS_TRACE")) std::fprintf(stderr, "tap %s\n", id.c_str());
        reveal(id);
        const ui::LayoutRect* r = find(id);
        REQUIRE_MESSAGE(r, "no target '" << id << "' on screen " << screen_name(app->nav.current()));
        float y0 = std::max(r->y, 0.0f), y1 = std::min(r->y + r->h, 1080.0f - 70);
        REQUIRE_MESSAGE(y1 > y0 + 8, "target '" << id << "' is off screen");
        tap_at(r->x + r->w * 0.5f, (y0 + y1) * 0.5f);
    }
    // Taps the on-screen keyboard's keys for each character of `digits`.
    void type_keys(const std::string& keys_text) {
        for (char c : keys_text) {
            idle(1);
            ImVec2 a, b;
            std::string label(1, c);
            REQUIRE_MESSAGE(ui::keyboard_key_rect(label, &a, &b), "no key '" << label << "' on the keyboard");
            tap_at((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
        }
    }
    void shot(const std::string& name) {
        idle(2);
        int w = 0, h = 0;
        std::vector<std::uint8_t> px = platform->read_pixels(w, h);
        std::filesystem::create_directories(std::string(KYODO_BINARY_DIR) + "/screenshots");
        std::string err;
        CHECK_MESSAGE(write_png(std::string(KYODO_BINARY_DIR) + "/screenshots/flows-" + name + ".png", w, h, px, &err),
                      err);
    }
    Screen screen() const { return app->nav.current(); }
    std::vector<OutboxEntry> outbox() const { return s.store->recent(100); }
};


// A sign-up for `a` filled in as the resident would leave it, without the steps' taps: the
// detail page opened, the form started, name, reading (when given) and phone set. The caller
// submits (SignUpView::submit) or walks on.
inline screens::SignUpView& fill_signup(Harness& h, const Activity& a, const std::string& name = "山口 花子",
                                        const std::string& reading = "やまぐち はなこ",
                                        const std::string& phone = "0831234567") {
    auto& S = h.app->view<screens::SignUpView>();
    h.app->view<screens::DetailView>().open(*h.app, a.id);
    S.start(*h.app, a);
    S.signup.name = name;
    S.signup.furigana = reading;
    S.signup.phone = phone;
    return S;
}

// The QR code target `id` as the screen shows it: every module (quiet zone included) sampled
// at its centre in the window's pixels must be what libqrencode made for `url`, at least
// kQrMinModulePx pixels a module on whole pixels. No decoder is packaged, so this is the
// check that a reader sees the right symbol.
inline void check_qr_on_screen(Harness& h, const std::string& id, const std::string& url) {
    const ui::LayoutRect* r = h.find(id);
    REQUIRE_MESSAGE(r, "no QR code '" << id << "' on screen");
    const QrMatrix m = make_qr(url);
    REQUIRE(m.size >= 21);
    const int modules = m.size + 2 * kQrQuietModules;
    CHECK(r->w == r->h);
    CHECK(r->x == std::floor(r->x));
    CHECK(r->y == std::floor(r->y));
    const int module_px = static_cast<int>(r->w) / modules;
    CHECK(module_px * modules == static_cast<int>(r->w));
    CHECK(module_px >= kQrMinModulePx);
    int w = 0, hgt = 0;
    const std::vector<std::uint8_t> px = h.platform->read_pixels(w, hgt);
    REQUIRE(r->x >= 0);
    REQUIRE(r->y >= 0);
    REQUIRE(r->x + r->w <= w);
    REQUIRE(r->y + r->h <= hgt);
    int wrong = 0;
    for (int my = 0; my < modules; ++my)
        for (int mx = 0; mx < modules; ++mx) {
            const int x = static_cast<int>(r->x) + mx * module_px + module_px / 2;
            const int y = static_cast<int>(r->y) + my * module_px + module_px / 2;
            const std::uint8_t* p = &px[(static_cast<std::size_t>(y) * w + x) * 4];
            const int lum = (p[0] + p[1] + p[2]) / 3;
            const int qx = mx - kQrQuietModules, qy = my - kQrQuietModules;
            const bool dark = qx >= 0 && qy >= 0 && qx < m.size && qy < m.size && m.at(qx, qy);
            if (dark ? lum > 40 : lum < 215) ++wrong;
        }
    CHECK_MESSAGE(wrong == 0, wrong << " of " << modules * modules << " modules differ from qrencode's for " << url);
}


}  // namespace kyodo::test
