// GLFW 3.3 (X11) implementation of the kiosk platform. GLFW 3.3 has no touch API: a
// touchscreen reaches us as mouse events (X11 pointer emulation), which is what we queue.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <cstring>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <cstdio>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "app/platform/glx_present.h"
#include "app/platform/platform.h"
#include "app/ui/damage.h"

namespace kyodo::app {

namespace {

class GlfwPlatform final : public Platform {
public:
    ~GlfwPlatform() override {
        shutdown_renderer();
        if (window_) glfwDestroyWindow(window_);
        if (inited_) glfwTerminate();
    }

    bool open(const WindowOptions& o) override {
        glfwSetErrorCallback(&GlfwPlatform::on_error);
        if (!glfwInit()) {
            error_ = "GLFW could not initialise: " + last_glfw_error();
            return false;
        }
        inited_ = true;
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
        glfwWindowHint(GLFW_VISIBLE, o.hidden ? GLFW_FALSE : GLFW_TRUE);
        glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
        GLFWmonitor* monitor = nullptr;
        int w = o.width, h = o.height;
        if (o.fullscreen && !o.hidden) {
            monitor = glfwGetPrimaryMonitor();
            if (monitor) {
                const GLFWvidmode* mode = glfwGetVideoMode(monitor);
                w = mode->width;
                h = mode->height;
                glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
            }
        }
        window_ = glfwCreateWindow(w, h, o.title.c_str(), monitor, nullptr);
        if (!window_) {
            error_ = "could not create a window with an OpenGL 3.0 context: " + last_glfw_error();
            return false;
        }
        glfwSetWindowUserPointer(window_, this);
        glfwMakeContextCurrent(window_);
        glfwSwapInterval(1);
        glfwSetCursorPosCallback(window_, [](GLFWwindow* win, double x, double y) {
            InputEvent e;
            e.type = InputEvent::Type::PointerMove;
            e.x = static_cast<float>(x);
            e.y = static_cast<float>(y);
            self(win)->push(e);
        });
        glfwSetMouseButtonCallback(window_, [](GLFWwindow* win, int button, int action, int mods) {
            double x = 0, y = 0;
            glfwGetCursorPos(win, &x, &y);
            InputEvent e;
            e.type = action == GLFW_PRESS ? InputEvent::Type::PointerDown : InputEvent::Type::PointerUp;
            e.x = static_cast<float>(x);
            e.y = static_cast<float>(y);
            e.button = button;
            e.mods = convert_mods(mods);
            self(win)->push(e);
        });
        glfwSetScrollCallback(window_, [](GLFWwindow* win, double dx, double dy) {
            InputEvent e;
            e.type = InputEvent::Type::Scroll;
            e.dx = static_cast<float>(dx);
            e.dy = static_cast<float>(dy);
            self(win)->push(e);
        });
        glfwSetCharCallback(window_, [](GLFWwindow* win, unsigned int cp) {
            InputEvent e;
            e.type = InputEvent::Type::Char;
            e.codepoint = cp;
            self(win)->push(e);
        });
        glfwSetKeyCallback(window_, [](GLFWwindow* win, int key, int, int action, int mods) {
            if (key == GLFW_KEY_UNKNOWN) return;
            InputEvent e;
            e.type = InputEvent::Type::Key;
            e.key = key;
            e.down = action != GLFW_RELEASE;
            e.mods = convert_mods(mods);
            self(win)->push(e);
        });
        glfwSetWindowFocusCallback(window_, [](GLFWwindow* win, int focused) {
            InputEvent e;
            e.type = InputEvent::Type::Focus;
            e.down = focused != 0;
            self(win)->push(e);
        });
        glfwSetFramebufferSizeCallback(window_, [](GLFWwindow* win, int, int) {
            self(win)->show_all_ = true;
            InputEvent e;
            e.type = InputEvent::Type::Resize;
            self(win)->push(e);
        });
        glfwSetWindowRefreshCallback(window_, [](GLFWwindow* win) {
            self(win)->show_all_ = true;
            InputEvent e;   // exposed: the content must be redrawn
            e.type = InputEvent::Type::Resize;
            self(win)->push(e);
        });
        glfwSetWindowCloseCallback(window_, [](GLFWwindow* win) {
            InputEvent e;
            e.type = InputEvent::Type::Close;
            self(win)->push(e);
        });
        fill_keys();
        return true;
    }

    const std::string& error() const override { return error_; }
    void window_size(int& w, int& h) const override { glfwGetWindowSize(window_, &w, &h); }
    void framebuffer_size(int& w, int& h) const override { glfwGetFramebufferSize(window_, &w, &h); }

    std::vector<InputEvent> wait_events(double timeout_s) override {
        if (timeout_s < 0)
            glfwWaitEvents();
        else if (timeout_s > 0)
            glfwWaitEventsTimeout(timeout_s);
        else
            glfwPollEvents();
        std::vector<InputEvent> out;
        out.swap(queue_);
        return out;
    }
    void wake() override { glfwPostEmptyEvent(); }
    bool should_close() const override { return glfwWindowShouldClose(window_) != 0; }
    void request_close() override {
        glfwSetWindowShouldClose(window_, GLFW_TRUE);
        glfwPostEmptyEvent();
    }
    void swap_buffers() override {
        if (!partial_) {
            glfwSwapBuffers(window_);
            return;
        }
        int fw = 0, fh = 0;
        framebuffer_size(fw, fh);
        const ui::PixelRect r = show_all_ ? ui::PixelRect{0, 0, fw, fh} : unshown_;
        presenter_->copy(r.x0, fh - r.y1, r.x1 - r.x0, r.y1 - r.y0);
        unshown_ = {};
        show_all_ = false;
    }

    std::vector<std::uint8_t> read_pixels(int& w, int& h) const override {
        glfwGetFramebufferSize(window_, &w, &h);
        std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
        // GL's origin is bottom-left: flip so the top row comes first.
        const std::size_t row = static_cast<std::size_t>(w) * 4;
        std::vector<std::uint8_t> tmp(row);
        for (int y = 0; y < h / 2; ++y) {
            std::uint8_t* a = px.data() + row * y;
            std::uint8_t* b = px.data() + row * (h - 1 - y);
            std::memcpy(tmp.data(), a, row);
            std::memcpy(a, b, row);
            std::memcpy(b, tmp.data(), row);
        }
        return px;
    }

    bool init_renderer(std::string* err) override {
        if (!ImGui_ImplOpenGL3_Init("#version 130")) {
            if (err) *err = "OpenGL 3 renderer could not start";
            return false;
        }
        // The backend's device objects include an RGBA copy of io.Fonts (four bytes a
        // texel, converted on this thread). It is given a one-texel stand-in atlas to
        // upload instead, which is dropped at once; the real atlas goes up as R8
        // (upload_texture, from FontManager).
        ImGuiIO& io = ImGui::GetIO();
        ImFontAtlas* real = io.Fonts;
        ImFontAtlas stand_in;
        stand_in.TexWidth = stand_in.TexHeight = 1;
        stand_in.TexPixelsRGBA32 = static_cast<unsigned int*>(IM_ALLOC(4));
        stand_in.TexPixelsRGBA32[0] = 0xFFFFFFFFu;
        io.Fonts = &stand_in;
        ImGui_ImplOpenGL3_CreateDeviceObjects();   // shaders, buffers, the one-texel texture
        ImGui_ImplOpenGL3_DestroyFontsTexture();   // which goes again
        io.Fonts = real;
        swizzle_ = has_swizzle();
        const char* full = std::getenv("KYODO_FULL_REDRAW");
        presenter_ = std::make_unique<GlxPresenter>(window_);
        partial_ = !(full && *full && std::strcmp(full, "0") != 0) && presenter_->available();
        renderer_ = true;
        return true;
    }
    void shutdown_renderer() override {
        if (renderer_) ImGui_ImplOpenGL3_Shutdown();
        renderer_ = false;
    }
    void begin_frame() override { ImGui_ImplOpenGL3_NewFrame(); }
    void render(ImDrawData* data, float r, float g, float b) override {
        int fw = 0, fh = 0;
        framebuffer_size(fw, fh);
        glViewport(0, 0, fw, fh);
        glClearColor(r, g, b, 1.0f);
        if (!partial_) {
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(data);
            damaged_screens_ = 1.0;
            return;
        }
        // The back buffer still holds the last frame (never swapped: swap_buffers copies
        // from it); only what changed is cleared and drawn again.
        const auto byte = [](float c) { return static_cast<std::uint32_t>(std::lround(std::clamp(c, 0.0f, 1.0f) * 255.0f)); };
        const ui::PixelRect damage = damage_.update(data, fw, fh, byte(r) << 16 | byte(g) << 8 | byte(b));
        damaged_screens_ = static_cast<double>(damage.area()) / (static_cast<double>(fw) * fh);
        if (!damage.empty()) {
            glEnable(GL_SCISSOR_TEST);
            glScissor(damage.x0, fh - damage.y1, damage.x1 - damage.x0, damage.y1 - damage.y0);
            glClear(GL_COLOR_BUFFER_BIT);
            glDisable(GL_SCISSOR_TEST);
            unshown_ = unshown_.empty() ? damage
                                        : ui::PixelRect{std::min(unshown_.x0, damage.x0), std::min(unshown_.y0, damage.y0),
                                                        std::max(unshown_.x1, damage.x1), std::max(unshown_.y1, damage.y1)};
        }
        // Commands outside the damage are skipped; the callbacks still run.
        ui::ClipToDamage clip(data, damage, fh);
        ImGui_ImplOpenGL3_RenderDrawData(data);
    }
    void redraw_all() override { damage_.invalidate(); }
    double damaged_screens() const override { return damaged_screens_; }
    void finish() override { glFinish(); }
    std::uintptr_t upload_texture(const unsigned char* px, int w, int h, bool alpha_only,
                                  std::uintptr_t replace) override {
        GLint last_texture = 0, last_align = 4;
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
        glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_align);
        if (replace) delete_texture(replace);
        damage_.invalidate();   // what samples it changes everywhere it is drawn
        GLuint t = 0;
        glGenTextures(1, &t);
        glBindTexture(GL_TEXTURE_2D, t);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        if (alpha_only) {
            // Coverage in the red channel, read by the backend's shader as white with that
            // alpha: the same picture as its RGBA texture.
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, px);
            const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
            glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
        } else {
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, px);
        }
        glPixelStorei(GL_UNPACK_ALIGNMENT, last_align);
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
        return t;
    }
    void smooth_font_sampling(ImDrawList* dl, bool on) override {
        dl->AddCallback(&set_font_filter, on ? &kSmooth : nullptr);
    }
    // Runs inside ImGui_ImplOpenGL3_RenderDrawData between two draws: the atlas is
    // io.Fonts's texture at that moment (a rebuilt atlas has a new one).
    static void set_font_filter(const ImDrawList*, const ImDrawCmd* cmd) {
        const GLint filter = cmd->UserCallbackData ? GL_LINEAR : GL_NEAREST;
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(ImGui::GetIO().Fonts->TexID)));
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    }
    static inline int kSmooth = 1;
    void delete_texture(std::uintptr_t id) override {
        if (!id) return;
        damage_.invalidate();   // its name can come back for another picture
        GLuint t = static_cast<GLuint>(id);
        glDeleteTextures(1, &t);
    }
    bool one_channel_textures() const override { return swizzle_; }

    double time_s() const override { return glfwGetTime(); }
    std::string clipboard() const override {
        const char* s = glfwGetClipboardString(window_);
        return s ? s : "";
    }
    void set_clipboard(const std::string& text) override {
        glfwSetClipboardString(window_, text.c_str());
    }
    const KeyCodes& keys() const override { return keys_; }

private:
    static GlfwPlatform* self(GLFWwindow* w) {
        return static_cast<GlfwPlatform*>(glfwGetWindowUserPointer(w));
    }
    static void on_error(int code, const char* msg) {
        (void)code;
        last_glfw_error() = msg ? msg : "";
    }
    static std::string& last_glfw_error() {
        static std::string s;
        return s;
    }
    static int convert_mods(int m) {
        return ((m & GLFW_MOD_SHIFT) ? ModShift : 0) | ((m & GLFW_MOD_CONTROL) ? ModCtrl : 0) |
               ((m & GLFW_MOD_ALT) ? ModAlt : 0) | ((m & GLFW_MOD_SUPER) ? ModSuper : 0);
    }
    void push(const InputEvent& e) { queue_.push_back(e); }
    void fill_keys() {
        keys_.tab = GLFW_KEY_TAB;
        keys_.left = GLFW_KEY_LEFT;
        keys_.right = GLFW_KEY_RIGHT;
        keys_.up = GLFW_KEY_UP;
        keys_.down = GLFW_KEY_DOWN;
        keys_.page_up = GLFW_KEY_PAGE_UP;
        keys_.page_down = GLFW_KEY_PAGE_DOWN;
        keys_.home = GLFW_KEY_HOME;
        keys_.end = GLFW_KEY_END;
        keys_.insert = GLFW_KEY_INSERT;
        keys_.del = GLFW_KEY_DELETE;
        keys_.backspace = GLFW_KEY_BACKSPACE;
        keys_.space = GLFW_KEY_SPACE;
        keys_.enter = GLFW_KEY_ENTER;
        keys_.escape = GLFW_KEY_ESCAPE;
        keys_.keypad_enter = GLFW_KEY_KP_ENTER;
        keys_.a = GLFW_KEY_A;
        keys_.c = GLFW_KEY_C;
        keys_.v = GLFW_KEY_V;
        keys_.x = GLFW_KEY_X;
        keys_.y = GLFW_KEY_Y;
        keys_.z = GLFW_KEY_Z;
    }

    static bool has_swizzle() {
        const char* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
        int major = 0, minor = 0;
        if (v && std::sscanf(v, "%d.%d", &major, &minor) == 2 && (major > 3 || (major == 3 && minor >= 3)))
            return true;
        const char* ext = reinterpret_cast<const char*>(glGetString(GL_EXTENSIONS));
        return ext && (std::strstr(ext, "GL_ARB_texture_swizzle") || std::strstr(ext, "GL_EXT_texture_swizzle"));
    }

    GLFWwindow* window_ = nullptr;
    bool inited_ = false;
    bool renderer_ = false;
    bool swizzle_ = false;
    // Partial frames: the back buffer is kept and shown by copying (GlxPresenter), not
    // swapped; off with KYODO_FULL_REDRAW=1 or without GLX_MESA_copy_sub_buffer.
    bool partial_ = false;
    std::unique_ptr<GlxPresenter> presenter_;
    ui::DamageTracker damage_;
    ui::PixelRect unshown_;           // drawn since the window was last shown (framebuffer pixels)
    bool show_all_ = true;            // exposed or resized: the window needs the whole picture
    double damaged_screens_ = 1.0;
    std::string error_;
    std::vector<InputEvent> queue_;
    KeyCodes keys_;
};

}  // namespace

bool display_available() {
    // Debian's GLFW 3.3 is built for X11 (Wayland sessions provide XWayland's DISPLAY).
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

std::unique_ptr<Platform> make_glfw_platform() { return std::make_unique<GlfwPlatform>(); }

}  // namespace kyodo::app
