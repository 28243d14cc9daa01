// BIZ UDGothic (a universal-design Japanese face) at kiosk sizes, in an atlas built only
// from the characters in use (GlyphSet): ASCII, kana, and every character of the catalog
// and the string tables.
//
// Start-up (DESIGN.md bar: first frame within 1.3x of a bare one-font program): the first
// atlas holds only what the start screen can show (string tables, centre names, a page of
// titles). It is built on a background thread while the window and the GL context are
// created (build_first_async, then init_gl waits for it): the CPU side of
// ImFontAtlas::Build touches no GL. The full atlas (every catalog character) is then built
// the same way into a separate ImFontAtlas and swapped in and uploaded between two frames
// (poll_async). Text size changes and new characters (catalog pull, kanji conversion) go
// the same way.
//
// Memory (RSS bar: within 40 MB of the bare program):
// - the atlas goes to the GPU as a one-channel GL_R8 texture whose swizzle (1,1,1,R) makes
//   it sample like the OpenGL3 backend's white RGBA one: a quarter of the bytes, on the CPU
//   and in a software driver (llvmpipe keeps textures in the process's memory); the
//   backend's own RGBA upload is never used;
// - the TTF files are mapped (mmap) only while a build reads them, not held as copies;
// - after an upload the CPU pixels and the atlas's build inputs are freed.
#pragma once

#include <atomic>
#include <cstdint>
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

class Platform;

class FontManager {
public:
    FontManager();
    ~FontManager();   // joins a background build; deletes the GL texture it made
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Finds BIZUDGothic-Regular.ttf and -Bold.ttf ($KYODO_FONT_DIR, then Debian's
    // fonts-morisawa-bizud-gothic path) and checks they can be read. False with `err`.
    bool load_files(std::string* err);
    // Text size (1.0 standard, 1.2 large, 1.4 extra large): the next build uses it.
    void set_scale(float s) { scale_ = s; }
    float scale() const { return scale_; }

    // The first atlas, from three glyph sets: `all` for the text sizes, `ui_only` (string
    // tables) for screen titles, `digits` (ASCII) for the receipt number. Built on a
    // background thread at once; init_gl() waits for it. Needs an ImGui context, no GL.
    void build_first_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits);
    // With the GL context current: the OpenGL3 backend's shaders and buffers (without its
    // RGBA font texture), then the first atlas, waited for and uploaded. False with `err`.
    bool init_gl(Platform& platform, std::string* err);
    // Deletes the font texture (before the GL backend and context go).
    void shutdown_gl();

    // Starts building an atlas for these sets at the current scale on a background
    // thread. `on_ready` is called from that thread when it is done (the kiosk wakes its
    // event loop). A request while one is running is queued (the latest wins).
    void build_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits,
                     std::function<void()> on_ready);
    // Between frames, on the GL thread: swaps in a finished background atlas and uploads
    // it. True when the fonts changed (roles() pointers are new: redraw).
    bool poll_async();
    bool building() const { return busy_; }
    // A background atlas is built and waits for poll_async (the event loop must draw a
    // frame even though no input came: on_ready only wakes it).
    bool ready() const { return has_ready_; }
    // Waits for background work (tests, screenshots, shutdown) and swaps it in.
    void finish_async();
    // Characters of `set` the atlas in use cannot draw with the text fonts although BIZ
    // UDGothic has them: the atlas is older than the text (they would show as '?' until
    // the next build). Control characters are not counted, nor characters the font
    // lacks (absent_from_font). `which` (if given) gets them as UTF-8.
    std::size_t missing(const GlyphSet& set, std::string* which = nullptr) const;
    // Characters the last build asked for that the font files do not have (UTF-8).
    const std::string& absent_from_font() const { return absent_utf8_; }

    const FontRoles& roles() const { return roles_; }
    int atlas_width() const { return atlas_w_; }
    int atlas_height() const { return atlas_h_; }
    double build_ms() const { return build_ms_; }
    // Bytes of the font texture as uploaded (R8: one a texel; RGBA fallback: four).
    std::size_t texture_bytes() const { return tex_bytes_; }
    bool one_channel() const { return swizzle_; }
    bool uses_freetype() const { return freetype_; }
    const std::string& dir() const { return dir_; }
    int builds() const { return builds_; }
    int async_requests() const { return async_requests_; }

    struct Job;     // glyph ranges and scale of one build (fonts.cpp)
    struct Built;

private:
    std::unique_ptr<Job> make_job(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits) const;
    void start_job_locked();
    void adopt(Built& b);
    void upload();

    std::string regular_path_, bold_path_, dir_;
    float scale_ = 1.0f;
    std::unique_ptr<Job> first_job_;   // the ranges of the atlas in use
    GlyphSet absent_;                  // asked for, not in the font (no build can add them)
    std::string absent_utf8_;
    FontRoles roles_;
    int atlas_w_ = 0, atlas_h_ = 0;
    double build_ms_ = 0;
    bool freetype_ = false;
    int builds_ = 0;
    int async_requests_ = 0;
    bool gl_ready_ = false;
    bool swizzle_ = false;             // the context can swizzle (GL 3.3 / ARB_texture_swizzle)
    std::uintptr_t tex_ = 0;           // our texture of io.Fonts (Platform::upload_texture)
    Platform* platform_ = nullptr;     // the renderer (init_gl)
    std::size_t tex_bytes_ = 0;

    // Background build.
    std::mutex mu_;
    std::thread worker_;
    std::unique_ptr<Job> queued_;      // next request
    std::unique_ptr<Built> ready_;     // finished, waiting for poll_async
    std::unique_ptr<Job> running_;
    std::function<void()> on_ready_;
    std::atomic<bool> busy_{false};
    std::atomic<bool> has_ready_{false};
};

}  // namespace kyodo::app
