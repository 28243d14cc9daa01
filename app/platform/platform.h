// The kiosk's platform backend: window, GL context, input, wake-up, pixels, time.
// One small interface so a phone/tablet backend slots in without touching a screen.
// GLFW (X11) is the first implementation (glfw_platform.cpp).
//
// Input is delivered as a queue of events (not ImGui state): the app turns them into
// ImGui input frame by frame (app/model/input_latch.h), so a touch that is pressed and
// released between two frames is never lost.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct ImDrawData;
struct ImDrawList;

namespace kyodo::app {

struct InputEvent {
    enum class Type {
        PointerMove,   // x, y
        PointerDown,   // x, y, button (0 = primary / touch)
        PointerUp,     // x, y, button
        Scroll,        // dx, dy (wheel notches)
        Char,          // codepoint
        Key,           // key (platform key code), down, mods
        Focus,         // down = focused
        Resize,        // the framebuffer changed size
        Close,         // the window was asked to close
    };
    Type type = Type::PointerMove;
    float x = 0, y = 0;      // window coordinates (pixels, top-left origin)
    float dx = 0, dy = 0;
    int button = 0;
    unsigned codepoint = 0;
    int key = 0;
    bool down = false;
    int mods = 0;            // ModShift | ModCtrl | ModAlt | ModSuper
};

enum Mod : int { ModShift = 1, ModCtrl = 2, ModAlt = 4, ModSuper = 8 };

// Keys the kiosk cares about, in the backend's own codes (filled by the backend).
struct KeyCodes {
    int tab = -1, left = -1, right = -1, up = -1, down = -1, page_up = -1, page_down = -1,
        home = -1, end = -1, insert = -1, del = -1, backspace = -1, space = -1, enter = -1,
        escape = -1, keypad_enter = -1, a = -1, c = -1, v = -1, x = -1, y = -1, z = -1;
};

struct WindowOptions {
    int width = 1920, height = 1080;
    bool fullscreen = false;
    bool hidden = false;        // offscreen rendering (screenshots): never shown
    std::string title = "Kyodo Kiosk";
};

class Platform {
public:
    virtual ~Platform() = default;

    // Creates the window and makes its GL context current. Returns false with error().
    virtual bool open(const WindowOptions& opts) = 0;
    virtual const std::string& error() const = 0;
    // Window (logical) and framebuffer (pixel) sizes.
    virtual void window_size(int& w, int& h) const = 0;
    virtual void framebuffer_size(int& w, int& h) const = 0;

    // Waits for events up to timeout_s (0 = just poll, negative = until one arrives or
    // wake() is called), then returns what arrived.
    virtual std::vector<InputEvent> wait_events(double timeout_s) = 0;
    // Thread-safe: wakes wait_events from another thread (the sync worker).
    virtual void wake() = 0;
    virtual bool should_close() const = 0;
    virtual void request_close() = 0;

    virtual void swap_buffers() = 0;   // shows the frame render drew
    // Reads the back buffer as tightly packed RGBA rows, top row first.
    virtual std::vector<std::uint8_t> read_pixels(int& w, int& h) const = 0;

    // --- the renderer: every GPU call of the kiosk is behind these (the app, the fonts
    // and the screens include no GL header) ------------------------------------------
    // With the context current: ImGui's renderer backend (shaders, buffers; no font
    // texture: the font manager uploads its own). False with `err`.
    virtual bool init_renderer(std::string* err) = 0;
    virtual void shutdown_renderer() = 0;
    virtual void begin_frame() = 0;                  // before ImGui::NewFrame
    // Viewport, clear to the page colour (0..1 RGB), draw ImGui's lists into the back buffer.
    // Only what changed since the last frame is drawn again (app/ui/damage.h): the back
    // buffer keeps the last frame and swap_buffers shows the changed part by copying it to
    // the window (GLX_MESA_copy_sub_buffer). KYODO_FULL_REDRAW=1 in the environment, or a
    // driver without that extension, draws every pixel and swaps.
    virtual void render(ImDrawData* data, float r, float g, float b) = 0;
    // The next render draws every pixel (tests compare it with the partial ones).
    virtual void redraw_all() = 0;
    // The area the last render drew again, in screens (1 = the whole framebuffer).
    virtual double damaged_screens() const = 0;
    virtual void finish() = 0;                       // waits until the GPU is done (benchmarks)
    // Textures for ImGui (the font atlas). `alpha_only`: one byte a texel, sampled as white
    // with that alpha; else RGBA. `replace` (0 = none) is deleted first. Returns the id
    // ImGui draws with (0 on failure).
    virtual std::uintptr_t upload_texture(const unsigned char* px, int w, int h, bool alpha_only,
                                          std::uintptr_t replace) = 0;
    virtual void delete_texture(std::uintptr_t id) = 0;
    // Textures are sampled texel by texel (nearest): text drawn at its atlas size looks the
    // same as with bilinear filtering and, without a GPU (llvmpipe), fills about a third
    // faster (docs/performance.md, listings frame). Text drawn smaller or larger than its
    // atlas size (furigana, titles shrunk to fit) wants bilinear: `on` switches the font
    // atlas to it for what `dl` draws after this call, until the call with `on` false.
    virtual void smooth_font_sampling(ImDrawList* dl, bool on) = 0;
    // The GPU can sample a one-channel texture as white + alpha (GL 3.3 swizzle): a font
    // atlas in a quarter of the bytes. Known after init_renderer.
    virtual bool one_channel_textures() const = 0;

    virtual double time_s() const = 0;   // monotonic seconds
    virtual std::string clipboard() const = 0;
    virtual void set_clipboard(const std::string& text) = 0;
    virtual const KeyCodes& keys() const = 0;
};

// True when a display server is reachable (X11 DISPLAY or a Wayland socket).
bool display_available();
std::unique_ptr<Platform> make_glfw_platform();

}  // namespace kyodo::app
