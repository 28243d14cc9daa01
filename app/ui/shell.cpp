#include "app/ui/kiosk_app.h"

#include <cfloat>
#include <chrono>

#include <GL/gl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include "app/screens/screens.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/uuid.h"

namespace kyodo::app {

KioskApp::KioskApp(Platform& platform, KioskStore& store, SubmitContext submit, AppOptions opts)
    : platform_(platform), store_(store), submit_(std::move(submit)), opts_(std::move(opts)) {}

KioskApp::~KioskApp() {
    if (gl_ready_) {
        fonts_.shutdown_gl();
        ImGui_ImplOpenGL3_Shutdown();
    }
    if (imgui_ready_) {
        fonts_.finish_async();   // no background build may outlive the context
        ImGui::DestroyContext();
    }
}

void KioskApp::trace(const char* what) const {
    if (opts_.trace) opts_.trace(what);
}

bool KioskApp::prepare(std::string* err) {
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
    // (ui/kiosk_shell.cpp).
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

bool KioskApp::init(std::string* err) {
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
    if (!fonts_.init_gl(err)) return false;
    gl_ready_ = true;
    trace("GL backend, first atlas in");
    frame_fonts_ = fonts_.roles();
    ui::set_fonts(&frame_fonts_);
    session.configure(opts_.idle_reset_s, opts_.countdown_s);
    receipt_privacy = PrivacyTimer(opts_.receipt_private_s);
    session.touch(platform_.time_s());
    last_time_ = platform_.time_s();
    return true;
}

void KioskApp::reload_centres() {
    try {
        centres = store_.centres();
    } catch (const std::exception&) {
        centres.clear();
    }
    home_centre_name = centre_name(submit_.centre_id);
}

std::string KioskApp::centre_name(const std::string& id) const {
    for (const auto& c : centres)
        if (c.id == id) return c.name;
    return "";
}

void KioskApp::note_text(const std::string& s) {
    if (glyphs_all_.add(s)) {
        fonts_dirty_ = true;
        request_redraw();
    }
}

std::size_t KioskApp::settle_fonts(double max_s, std::string* which) {
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

void KioskApp::on_catalog_changed() {
    reload_centres();
    keyboard.on_catalog_changed();
    try {
        if (add_catalog_text(store_, glyphs_all_)) fonts_dirty_ = true;
    } catch (const std::exception&) {
    }
    listing.invalidate();
    if (selected) {
        auto fresh = store_.activity(selected->id);
        if (fresh) selected = *fresh;
    }
    request_redraw();
}

void KioskApp::set_sync_badge(const SyncBadge& b) {
    bool changed = b.online != sync.online || b.running != sync.running || b.pending != sync.pending ||
                   b.last_success_ms != sync.last_success_ms || b.enabled != sync.enabled ||
                   b.progress != sync.progress || b.last_error != sync.last_error || b.rejected != sync.rejected;
    sync = b;
    if (changed) request_redraw(1);
}

void KioskApp::rebuild_fonts_if_needed() {
    if (!fonts_dirty_) return;
    fonts_dirty_ = false;
    // Off the GL thread; poll_async swaps it in between frames (ui/kiosk_shell.cpp).
    fonts_.build_async(glyphs_all_, glyphs_ui_, glyphs_digits_, [this] { platform_.wake(); });
}

void KioskApp::apply_input(const InputFrame& in) {
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

void KioskApp::frame(const InputFrame& in) {
    rebuild_fonts_if_needed();
    apply_input(in);
    shell_before_frame();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    draw();
    shell_after_draw();
    ImGui::Render();
    int fw = 0, fh = 0;
    platform_.framebuffer_size(fw, fh);
    glViewport(0, 0, fw, fh);
    ImVec4 bg = theme::vec(theme::kPage);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    note_windows(in);
    if (settle_frames_ > 0) --settle_frames_;
    // Keep drawing while a finger is down (drag-scroll, pressed look).
    if (ImGui::GetIO().MouseDown[0] && settle_frames_ < 1) settle_frames_ = 1;
}

// sleep_budget and check_idle: ui/kiosk_shell.cpp (idle countdown).

// --- navigation and actions ---------------------------------------------------------

void KioskApp::go(Screen s) {
    keyboard.kb.close();   // the keyboard belongs to the screen being left
    if (s == Screen::Listings) listing.invalidate();
    nav.push(s);
    request_redraw();
}

void KioskApp::back() {
    keyboard.kb.close();   // the keyboard belongs to the screen being left
    nav.back();
    request_redraw();
}

void KioskApp::home() {
    if (imgui_ready_) ImGui::ClearActiveID();   // an input being edited lets go of its text
    signup.clear();
    keyboard.reset();   // nothing typed (nor composing) stays for the next resident
    signup.activity_id.clear();
    opinion.clear();
    clear_flows();
    listing.clear();
    selected.reset();
    selected_missing_id.clear();
    receipt = {};
    receipt_privacy.clear();
    texts.set_lang(Lang::Ja);
    nav.reset();
    request_redraw();
}

void KioskApp::open_activity(const std::string& id) {
    try {
        selected = store_.activity(id);
    } catch (const std::exception&) {
        selected.reset();
    }
    selected_missing_id = selected ? "" : id;
    go(Screen::Detail);
}

void KioskApp::start_signup() {
    if (!selected) return;
    if (signup.activity_id != selected->id) signup.start_for(*selected);
    signup_steps.reset();
    go(Screen::SignUp);
}

void KioskApp::start_opinion(const std::string& about) {
    if (opinion.activity_id != about) {
        opinion.clear();
        opinion.activity_id = about;
    }
    go(Screen::Opinion);
}

void KioskApp::submit_signup() {
    if (imgui_ready_) ImGui::ClearActiveID();
    SubmitResult r = signup.submit(submit_);
    if (r.ok()) {
        show_receipt(RecordKind::SignUp, r.receipt);
        signup.clear();   // nothing one resident typed stays for the next
        signup.activity_id.clear();
    }
    request_redraw();
}

void KioskApp::submit_opinion() {
    if (imgui_ready_) ImGui::ClearActiveID();
    SubmitResult r = opinion.submit(submit_);
    if (r.ok()) {
        show_receipt(RecordKind::Opinion, r.receipt);
        opinion.clear();
    }
    request_redraw();
}

void KioskApp::show_receipt(RecordKind kind, const Receipt& r) {
    keyboard.kb.close();   // the keyboard belongs to the screen being left
    receipt_kind = kind;
    receipt = r;
    receipt_privacy.show(platform_.time_s());
    note_text(r.number);
    nav.replace(Screen::Receipt);
    request_redraw();
}

void KioskApp::preview(Screen s) {
    home();
    std::optional<Activity> pick;
    if (s == Screen::Detail || s == Screen::SignUp || s == Screen::Receipt) {
        // Prefer an event with places left: it shows the most of the detail screen.
        SearchQuery q;
        q.only_open_places = true;
        q.limit = 50;
        SearchResult r = store_.search(q);
        for (const auto& a : r.items)
            if (a.capacity > 0 && (!pick || a.kind == ActivityKind::Event)) {
                pick = a;
                if (a.kind == ActivityKind::Event) break;
            }
        if (!pick) {
            SearchResult any = store_.search(SearchQuery{});
            if (!any.items.empty()) pick = any.items.front();
        }
    }
    switch (s) {
        case Screen::Start: break;
        case Screen::Listings: go(Screen::Listings); break;
        case Screen::Detail:
            go(Screen::Listings);
            if (pick) open_activity(pick->id);
            else go(Screen::Detail);
            break;
        case Screen::SignUp:
            go(Screen::Listings);
            if (pick) {
                open_activity(pick->id);
                signup.start_for(*pick);
            }
            go(Screen::SignUp);
            break;
        case Screen::Opinion: start_opinion(""); break;
        case Screen::Receipt: {
            // A preview receipt: derived like a real one, but nothing is stored.
            Receipt r;
            r.record_id = new_uuid_v7();
            r.number = receipt_number(r.record_id);
            r.check_code = "0000";
            go(Screen::SignUp);
            show_receipt(RecordKind::SignUp, r);
            break;
        }
        default: preview_flow(s); break;
    }
    request_redraw();
}

// --- drawing --------------------------------------------------------------------------

void KioskApp::draw() {
    listing.refresh(store_);
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                             ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushFont(fonts().body);
    ImGui::Begin("kiosk", nullptr, flags);
    screens::draw_header(*this);
    const float header_h = screens::header_height(*this);
    float content_h = io.DisplaySize.y - header_h - screens::footer_height(*this);
    ImGui::SetCursorPos(ImVec2(0, header_h));
    ImGui::BeginChild("content", ImVec2(io.DisplaySize.x, content_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    switch (nav.current()) {
        case Screen::Start: screens::draw_start(*this); break;
        case Screen::Listings: screens::draw_listings(*this); break;
        case Screen::Detail: screens::draw_detail(*this); break;
        case Screen::SignUp: screens::draw_signup_steps(*this); break;   // one question a screen
        case Screen::Opinion: screens::draw_opinion(*this); break;
        case Screen::Receipt: screens::draw_receipt(*this); break;
        default: screens::draw_flow(*this); break;
    }
    ImGui::EndChild();
    screens::draw_footer(*this);
    ImGui::End();
    ImGui::PopFont();
}

}  // namespace kyodo::app
