// The shell: start-up, one frame, the routes from screens to views, navigation. Idle
// session, settings and staff mode: shell_session.cpp; the input hold: shell_input.cpp.
#include "app/ui/shell.h"

#include <cfloat>
#include <chrono>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/model/comment_form.h"   // today_jst
#include "app/screens/chrome.h"
#include "app/screens/registry.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

namespace kyodo::app {

Shell::Shell(Platform& platform, KioskStore& store, SubmitContext submit, AppOptions opts)
    : platform_(platform), store_(store), submit_(std::move(submit)), opts_(std::move(opts)) {
    screens::add_kiosk_views(*this);
}

Shell::~Shell() {
    if (gl_ready_) {
        qr_.release(platform_);
        ui::set_renderer(nullptr);
        fonts_.shutdown_gl();
        platform_.shutdown_renderer();
    }
    if (imgui_ready_) {
        fonts_.finish_async();   // no background build may outlive the context
        ImGui::DestroyContext();
    }
}

void Shell::trace(const char* what) const {
    if (opts_.trace) opts_.trace(what);
}

bool Shell::prepare(std::string* err) {
    if (prepared_) return true;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    imgui_ready_ = true;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;          // a kiosk keeps no window layout between runs
    io.LogFilename = nullptr;
    io.ConfigInputTextCursorBlink = false;   // nothing animates when nobody touches it
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    io.MouseDragThreshold = 18.0f;
    io.BackendPlatformName = "kyodo-platform";
    io.ClipboardUserData = &platform_;
    io.GetClipboardTextFn = [](void* ud) -> const char* {
        static std::string s;
        s = static_cast<Platform*>(ud)->clipboard();
        return s.c_str();
    };
    io.SetClipboardTextFn = [](void* ud, const char* text) {
        static_cast<Platform*>(ud)->set_clipboard(text ? text : "");
    };
    theme::apply_style(ImGui::GetStyle());

    std::string terr;
    if (!texts.load_dir(opts_.assets_dir + "/i18n", &terr)) {
        if (err) *err = "string tables: " + terr;
        return false;
    }
    reload_centres();
    keyboard.configure(opts_.assets_dir, &store_);   // anthy starts on first use
    trace("string tables, centres");
    if (!fonts_.load_files(err)) return false;
    // Start-up bar: the first atlas holds only what the start screen can show, and is
    // built on a background thread while the caller opens the window and GL context
    // (init() waits for it); the full one follows after the first frame
    // (ui/shell_session.cpp).
    fonts_.set_scale(text_scale(settings.text_size));
    applied_.text_size = settings.text_size;
    glyphs_digits_.add_ascii();
    if (opts_.async_fonts) {
        // Each role only what the start screen draws with it: the 54 px title role just
        // its welcome line (the biggest glyphs: 3x the raster work of a 30 px one), the
        // 88 px receipt number role (not on the start screen) just the digits. ~40 % less
        // to rasterise than every start character at every size, and a smaller texture.
        GlyphSet first, first_title, first_display;
        add_start_glyphs(first);
        first_title.add_ascii();
        first_title.add(texts.get("start.welcome"));
        first_display.add("0123456789");
        fonts_.build_first_async(first, first_title, first_display);
        trace("start glyphs collected, first atlas started");
    }

    glyphs_ui_.add_ascii();
    for (const auto& s : texts.all_text()) glyphs_ui_.add(s);
    glyphs_ui_.add("−");   // the party-size stepper's minus (title role): it drew as '?' 
    glyphs_all_.add_base();
    glyphs_all_.add(keyboard_glyphs());   // every key label, before the first atlas build
    for (const auto& s : texts.all_text()) glyphs_all_.add(s);
    try {
        add_catalog_text(store_, glyphs_all_);
    } catch (const std::exception& e) {
        if (err) *err = std::string("reading the catalog: ") + e.what();
        return false;
    }
    trace("catalog glyphs collected");
    if (!opts_.async_fonts) fonts_.build_first_async(glyphs_all_, glyphs_ui_, glyphs_digits_);
    prepared_ = true;
    return true;
}

bool Shell::init(std::string* err) {
    if (!prepare(err)) return false;
    ImGuiIO& io = ImGui::GetIO();
    const KeyCodes& k = platform_.keys();   // known once the platform is open
    io.KeyMap[ImGuiKey_Tab] = k.tab;
    io.KeyMap[ImGuiKey_LeftArrow] = k.left;
    io.KeyMap[ImGuiKey_RightArrow] = k.right;
    io.KeyMap[ImGuiKey_UpArrow] = k.up;
    io.KeyMap[ImGuiKey_DownArrow] = k.down;
    io.KeyMap[ImGuiKey_PageUp] = k.page_up;
    io.KeyMap[ImGuiKey_PageDown] = k.page_down;
    io.KeyMap[ImGuiKey_Home] = k.home;
    io.KeyMap[ImGuiKey_End] = k.end;
    io.KeyMap[ImGuiKey_Insert] = k.insert;
    io.KeyMap[ImGuiKey_Delete] = k.del;
    io.KeyMap[ImGuiKey_Backspace] = k.backspace;
    io.KeyMap[ImGuiKey_Space] = k.space;
    io.KeyMap[ImGuiKey_Enter] = k.enter;
    io.KeyMap[ImGuiKey_Escape] = k.escape;
    io.KeyMap[ImGuiKey_KeyPadEnter] = k.keypad_enter;
    io.KeyMap[ImGuiKey_A] = k.a;
    io.KeyMap[ImGuiKey_C] = k.c;
    io.KeyMap[ImGuiKey_V] = k.v;
    io.KeyMap[ImGuiKey_X] = k.x;
    io.KeyMap[ImGuiKey_Y] = k.y;
    io.KeyMap[ImGuiKey_Z] = k.z;
    // Shaders, then the first atlas (waited for; it was built while the window opened)
    // uploaded as a one-channel texture.
    if (!fonts_.init_gl(platform_, err)) return false;
    gl_ready_ = true;
    trace("GL backend, first atlas in");
    frame_fonts_ = fonts_.roles();
    ui::set_fonts(&frame_fonts_);
    ui::set_renderer(&platform_);
    session.configure(opts_.idle_reset_s, opts_.countdown_s);
    session.touch(platform_.time_s());
    last_time_ = platform_.time_s();
    return true;
}

void Shell::reload_centres() {
    try {
        centres = store_.centres();
    } catch (const std::exception&) {
        centres.clear();
    }
    home_centre_name = centre_name(submit_.centre_id);
}

std::string Shell::centre_name(const std::string& id) const {
    for (const auto& c : centres)
        if (c.id == id) return c.name;
    return "";
}

void Shell::note_text(const std::string& s) {
    if (glyphs_all_.add(s)) {
        fonts_dirty_ = true;
        request_redraw();
    }
}

std::size_t Shell::settle_fonts(double max_s, std::string* which) {
    const auto t0 = std::chrono::steady_clock::now();
    for (;;) {
        rebuild_fonts_if_needed();   // text noted while the last frame was drawn
        fonts_.finish_async();
        frame(InputFrame{});         // with the new atlas; it may note more text
        const bool pending = fonts_dirty_ || fonts_.building() || fonts_.ready();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!pending || s > max_s) break;
    }
    return fonts_.missing(glyphs_all_, which);
}

void Shell::on_catalog_changed() {
    reload_centres();
    keyboard.on_catalog_changed();
    try {
        if (add_catalog_text(store_, glyphs_all_)) fonts_dirty_ = true;
    } catch (const std::exception&) {
    }
    for (const auto& v : views_) v->on_catalog_changed(*this);
    request_redraw();
}

void Shell::set_sync_badge(const SyncBadge& b) {
    bool changed = b.online != sync.online || b.running != sync.running || b.pending != sync.pending ||
                   b.last_success_ms != sync.last_success_ms || b.enabled != sync.enabled ||
                   b.progress != sync.progress || b.last_error != sync.last_error || b.rejected != sync.rejected ||
                   b.last_attempt_ms != sync.last_attempt_ms || b.catalog_changes != sync.catalog_changes;
    sync = b;
    if (changed) request_redraw(1);
}

void Shell::rebuild_fonts_if_needed() {
    if (!fonts_dirty_) return;
    fonts_dirty_ = false;
    // Off the GL thread; poll_async swaps it in between frames (ui/shell_session.cpp).
    fonts_.build_async(glyphs_all_, glyphs_ui_, glyphs_digits_, [this] { platform_.wake(); });
}

void Shell::apply_input(const InputFrame& in) {
    ImGuiIO& io = ImGui::GetIO();
    int ww = 0, wh = 0, fw = 0, fh = 0;
    platform_.window_size(ww, wh);
    platform_.framebuffer_size(fw, fh);
    io.DisplaySize = ImVec2(static_cast<float>(ww), static_cast<float>(wh));
    if (ww > 0 && wh > 0)
        io.DisplayFramebufferScale = ImVec2(static_cast<float>(fw) / ww, static_cast<float>(fh) / wh);
    double now = platform_.time_s();
    io.DeltaTime = static_cast<float>(now > last_time_ ? now - last_time_ : 1.0 / 60.0);
    if (io.DeltaTime <= 0) io.DeltaTime = 1.0f / 60.0f;
    last_time_ = now;

    io.MousePos = in.has_pos ? ImVec2(in.x, in.y) : ImVec2(-FLT_MAX, -FLT_MAX);
    for (int b = 0; b < 3; ++b) io.MouseDown[b] = in.buttons[b];
    io.MouseWheel += in.wheel_y;
    io.MouseWheelH += in.wheel_x;
    for (const auto& k : in.keys)
        if (k.key >= 0 && k.key < static_cast<int>(IM_ARRAYSIZE(io.KeysDown))) io.KeysDown[k.key] = k.down;
    io.KeyShift = in.mods & ModShift;
    io.KeyCtrl = in.mods & ModCtrl;
    io.KeyAlt = in.mods & ModAlt;
    io.KeySuper = in.mods & ModSuper;
    for (unsigned c : in.chars) io.AddInputCharacter(c);
    if (in.focus_changed && !in.focused) {
        for (bool& d : io.KeysDown) d = false;
    }
    bool touched = in.any && (!in.keys.empty() || !in.chars.empty() || in.wheel_x != 0 ||
                              in.wheel_y != 0 || in.buttons[0] || in.buttons[1] || in.buttons[2]);
    if (in.any) request_redraw();
    if (touched) touched_since_reset_ = true;
    if (touched || (in.any && in.has_pos)) session.touch(now);
}

void Shell::frame(const InputFrame& in) {
    rebuild_fonts_if_needed();
    apply_input(in);
    shell_before_frame();
    if (fonts_.builds() != text_cache_builds_) {   // new fonts: the cached line breaks go
        text_cache_builds_ = fonts_.builds();
        ui::clear_text_cache();
    }
    platform_.begin_frame();
    ImGui::NewFrame();
    draw();
    shell_after_draw();
    ImGui::Render();
    ImVec4 bg = theme::vec(theme::kPage);
    platform_.render(ImGui::GetDrawData(), bg.x, bg.y, bg.z);
    note_windows(in);
    if (settle_frames_ > 0) --settle_frames_;
    // Keep drawing while a finger is down (drag-scroll, pressed look).
    if (ImGui::GetIO().MouseDown[0] && settle_frames_ < 1) settle_frames_ = 1;
}

// sleep_budget and check_idle: ui/shell_session.cpp (idle countdown).

// --- views and navigation ------------------------------------------------------------

void Shell::add_view(std::unique_ptr<View> v, std::initializer_list<Screen> screens) {
    for (Screen s : screens) routes_.emplace_back(s, v.get());
    views_.push_back(std::move(v));
}

View* Shell::view_for(Screen s) const {
    for (const auto& [screen, v] : routes_)
        if (screen == s) return v;
    return nullptr;
}

void Shell::go(Screen s) {
    keyboard.kb.close();   // the keyboard belongs to the screen being left
    if (View* v = view_for(s)) v->on_enter(*this);
    nav.push(s);
    request_redraw();
}

void Shell::back() {
    keyboard.kb.close();   // the keyboard belongs to the screen being left
    nav.back();
    request_redraw();
}

void Shell::release_input() {
    if (imgui_ready_) ImGui::ClearActiveID();
}

void Shell::home() {
    scroll_reset_ = true;
    release_input();    // an input being edited lets go of its text
    keyboard.reset();   // nothing typed (nor composing) stays for the next resident
    for (const auto& v : views_) v->reset();
    nav.reset();
    request_redraw();
}

void Shell::preview(Screen s) {
    home();
    if (View* v = view_for(s)) v->preview(*this, s);
    request_redraw();
}

std::string Shell::today() const { return today_override.empty() ? today_jst() : today_override; }

std::string Shell::public_url(const std::string& activity_id) const {
    return public_activity_url(opts_.public_base_url, activity_id);
}

std::string Shell::receipt_url(const std::string& receipt_number) const {
    return public_receipt_url(opts_.public_base_url, receipt_number);
}

// --- drawing --------------------------------------------------------------------------

void Shell::scroll_to_top_if_page_changed(const View* view) {
    // ImGui keeps a window's scroll by its id for the life of the context: a confirm page
    // opened with its title scrolled away, the next resident's form opened mid-page. A new
    // screen, a new step or a new resident starts every list at its top.
    const PageKey key{nav.current(), nav.depth(), view ? view->page() : 0};
    if (key == page_key_ && !scroll_reset_) return;
    page_key_ = key;
    scroll_reset_ = false;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!(w->Flags & ImGuiWindowFlags_ChildWindow)) continue;
        w->Scroll = ImVec2(0, 0);
        w->ScrollTarget = ImVec2(FLT_MAX, FLT_MAX);
    }
    ui::reset_touch_scroll();
}

void Shell::draw() {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                             ImGuiWindowFlags_NoScrollWithMouse |
                             // The page colour is the clear colour (Shell::frame): a window
                             // background would fill every pixel a second time, and without a
                             // GPU the frame time follows the pixels filled (docs/performance.md).
                             ImGuiWindowFlags_NoBackground;
    ImGui::PushFont(fonts().body);
    ImGui::Begin("kiosk", nullptr, flags);
    screens::draw_header(*this);
    const float header_h = screens::header_height(*this);
    float content_h = io.DisplaySize.y - header_h - screens::footer_height(*this);
    ImGui::SetCursorPos(ImVec2(0, header_h));
    ImGui::BeginChild("content", ImVec2(io.DisplaySize.x, content_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    View* view = view_for(nav.current());
    scroll_to_top_if_page_changed(view);
    if (view) view->draw(*this);
    ImGui::EndChild();
    screens::draw_footer(*this);
    ImGui::End();
    ImGui::PopFont();
}

}  // namespace kyodo::app
