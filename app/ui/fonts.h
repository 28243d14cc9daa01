// BIZ UDGothic (a universal-design Japanese face) at kiosk sizes, in an atlas built only
// from the characters in use (GlyphSet): ASCII, kana, and every character of the catalog
// and the string tables.
//
// Start-up (DESIGN.md bar: first frame within 1.3x of a bare one-font program): the first
// atlas holds only what the start screen can show (string tables, centre names, a page of
// titles), built synchronously; the full atlas (every catalog character) is then built on a
// background thread into a separate ImFontAtlas — the CPU side of ImFontAtlas::Build
// touches no GL — and swapped in and uploaded between two frames (poll_async). Text size
// changes and new characters (catalog pull, kanji conversion) go the same way. After an
// upload the CPU copy of the pixels is freed (RSS bar).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <imgui.h>

#include "app/model/glyphs.h"

namespace kyodo::app {

struct FontRoles {
    ImFont* body = nullptr;     // 30 px regular: running text, inputs
    ImFont* small = nullptr;    // 25 px regular: meta lines, notes
    ImFont* bold = nullptr;     // 30 px bold: card titles, labels, buttons
    ImFont* heading = nullptr;  // 40 px bold: activity titles, section heads
    ImFont* title = nullptr;    // 54 px bold: screen titles (string-table text only)
    ImFont* display = nullptr;  // 88 px bold: receipt numbers (ASCII only)
};

class FontManager {
public:
    FontManager();
    ~FontManager();   // joins a background build
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Finds and reads BIZUDGothic-Regular.ttf and -Bold.ttf ($KYODO_FONT_DIR, then
    // Debian's fonts-morisawa-bizud-gothic path). False with `err` when missing.
    bool load_files(std::string* err);
    // Text size (1.0 standard, 1.2 large, 1.4 extra large): the next build uses it.
    void set_scale(float s) { scale_ = s; }
    float scale() const { return scale_; }
    // (Re)builds the CPU-side atlas into ImGui's io.Fonts from three glyph sets: `all` for
    // the text sizes, `ui_only` (string tables) for screen titles, `digits` (ASCII) for
    // the receipt number. Synchronous (first frame, screenshots).
    bool build(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits);
    // Uploads io.Fonts through the OpenGL3 backend and frees the CPU pixels; between frames.
    void upload();

    // Starts building an atlas for these sets at the current scale on a background
    // thread. `on_ready` is called from that thread when it is done (the kiosk wakes its
    // event loop). A request while one is running is queued (the latest wins).
    void build_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits,
                     std::function<void()> on_ready);
    // Between frames, on the GL thread: swaps in a finished background atlas and uploads
    // it. True when the fonts changed (roles() pointers are new: redraw).
    bool poll_async();
    bool building() const { return busy_; }
    // Waits for background work (tests, screenshots, shutdown) and swaps it in.
    void finish_async();

    const FontRoles& roles() const { return roles_; }
    int atlas_width() const { return atlas_w_; }
    int atlas_height() const { return atlas_h_; }
    double build_ms() const { return build_ms_; }
    bool uses_freetype() const { return freetype_; }
    const std::string& dir() const { return dir_; }
    int builds() const { return builds_; }
    int async_requests() const { return async_requests_; }

    struct Job;     // glyph ranges and scale of one build (fonts.cpp)
    struct Built;

private:
    void start_job_locked();
    void adopt(Built& b);

    std::vector<char> regular_, bold_;
    std::string dir_;
    float scale_ = 1.0f;
    std::unique_ptr<Job> first_job_;   // the current ranges (kept alive with the atlas)
    FontRoles roles_;
    int atlas_w_ = 0, atlas_h_ = 0;
    double build_ms_ = 0;
    bool freetype_ = false;
    int builds_ = 0;
    int async_requests_ = 0;

    // Background build.
    std::mutex mu_;
    std::thread worker_;
    std::unique_ptr<Job> queued_;      // next request
    std::unique_ptr<Built> ready_;     // finished, waiting for poll_async
    std::unique_ptr<Job> running_;
    std::function<void()> on_ready_;
    std::atomic<bool> busy_{false};
};

}  // namespace kyodo::app
