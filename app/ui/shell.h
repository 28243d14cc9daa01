// The kiosk shell: owns ImGui's context, the fonts, the navigation and what every screen
// shares (texts, keyboard, display settings, idle session, staff mode), and routes each
// frame to the View of the current screen (app/ui/view.h). The screens' own state lives
// in their views (app/screens/*.h), not here. It knows nothing of GLFW or OpenGL (the
// Platform does the window and the GPU) nor of the sync thread (main passes a SyncBadge).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <typeinfo>
#include <optional>
#include <string>
#include <vector>

#include "app/model/glyphs.h"
#include "app/model/display_settings.h"
#include "app/model/forms.h"
#include "app/model/idle.h"
#include "app/model/idle_session.h"
#include "app/model/input_latch.h"
#include "app/model/keyboard_host.h"
#include "app/model/nav.h"
#include "app/model/qr.h"
#include "app/model/staff.h"
#include "app/model/texts.h"
#include "app/platform/platform.h"
#include "app/ui/fonts.h"
#include "app/ui/qr_image.h"
#include "app/ui/view.h"
#include "core/store.h"

namespace kyodo::app {

// What the footer says about sync (filled from kyodo::sync::SyncStatus by main).
struct SyncBadge {
    bool enabled = false;      // a sync worker runs (not --no-sync / demo)
    bool online = false;
    bool running = false;
    int pending = 0;
    std::int64_t last_success_ms = 0;
    // For staff mode (screens/overlays.cpp).
    std::string last_error;
    double progress = 0;       // 0..1 while a pass runs
    int rejected = 0;
    std::int64_t last_attempt_ms = 0;    // start of the latest pass (staff mode's 今すぐ同期 feedback)
    std::uint64_t catalog_changes = 0;   // pulls that changed the catalog
};

struct AppOptions {
    std::string assets_dir;
    double idle_reset_s = 60;
    std::string public_base_url;           // the server's public pages (QR codes); "" = no QR
    double countdown_s = 10;               // "are you still there?" before the reset
    double receipt_private_s = 20;         // personal data on a receipt hides after this
    std::string app_version;
    std::vector<std::string> export_dirs;  // --export-dir (staff bundle export)
    bool async_fonts = true;               // full atlas on a background thread
    std::function<void(const char*)> trace;   // start-up phases (KYODO_STARTUP_TRACE)
};

class Shell {
public:
    Shell(Platform& platform, KioskStore& store, SubmitContext submit, AppOptions opts);
    ~Shell();
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    // The part of start-up that needs no window: ImGui context, style, string tables,
    // glyph sets, and the first font atlas started on a background thread, so the caller
    // can open the window and GL context meanwhile. False with `err`.
    bool prepare(std::string* err);
    // With the platform open and its GL context current: prepare() if not done, key map,
    // renderer, the first atlas (waited for) uploaded. False with `err`.
    bool init(std::string* err);

    // Draws one frame into the platform's back buffer (the caller swaps or reads pixels).
    void frame(const InputFrame& in);
    // The input for the next frame (main loop, harness; ui/shell_input.cpp): the latch's
    // next events, or a held frame (nothing new) while the windows settle after a tap, a
    // key or a window that moved. ImGui 1.86 picks the window under a press from the frame
    // before, so a press that comes right after the keyboard closed (or a screen changed)
    // would land on a window that is gone, and the tap would be lost.
    InputFrame next_input(InputLatch& latch);
    // Frames ImGui still needs to settle after input (layout, active ids): draw them
    // even without new events. 0 when the picture is stable.
    // A background font atlas that is ready counts: it is swapped in at the next frame.
    int frames_wanted() const { return settle_frames_ > 0 ? settle_frames_ : fonts_.ready() ? 1 : 0; }
    // How long the loop may sleep before something here changes by itself (idle reset, a
    // view's tick): a negative value means "until an event".
    double sleep_budget(double now) const;
    // Called when the idle timer may have expired; true when it reset (redraw).
    bool check_idle(double now);

    // The catalog changed under us (sync pulled): new glyphs -> atlas rebuild before the
    // next frame, every view told.
    void on_catalog_changed();
    void set_sync_badge(const SyncBadge& b);

    // --- views: the shell routes Screen -> View ---------------------------------------
    // Registers `v` as the owner of `screens` (app/screens/registry.cpp adds them all).
    void add_view(std::unique_ptr<View> v, std::initializer_list<Screen> screens);
    View* view_for(Screen s) const;
    // The one view of type V (every screen class is registered once).
    template <class V>
    V& view() const {
        for (const auto& v : views_)
            if (auto* p = dynamic_cast<V*>(v.get())) return *p;
        throw std::bad_cast();
    }

    // --- navigation -------------------------------------------------------------------
    void go(Screen s);            // the keyboard closes; the view's on_enter
    void back();
    void home();                  // every view reset, start screen (the language stays)
    // Puts the kiosk on screen `s` with plausible state (View::preview) for --screenshot.
    void preview(Screen s);
    // An edited input lets go of its text (before a submit or a reset).
    void release_input();

    Texts texts;
    Navigator nav;
    KeyboardHost keyboard;               // the on-screen keyboard (ui/keyboard_widget.h)
    SyncBadge sync;
    std::vector<Centre> centres;         // for the centre filter and names
    std::string home_centre_name;
    std::string today_override;          // "YYYY-MM-DD" for tests and screenshots
    std::string today() const;           // JST date (or the override)
    // The activity's public page on a phone; a receipt's status page (app/model/qr.h).
    std::string public_url(const std::string& activity_id) const;
    std::string receipt_url(const std::string& receipt_number) const;
    // The QR code of `url` as a texture, `module_px` a module (ui/qr_image.h draws it).
    const QrTexture::Picture& qr_picture(const std::string& url, int module_px) {
        return qr_.get(platform_, url, module_px);
    }

    // --- session, settings, staff (ui/shell_session.cpp; overlays: screens/overlays.cpp)
    DisplaySettings settings;            // what the resident chose (reset with the session)
    IdleSession session;
    StaffSession staff;
    bool settings_open = false;          // the text size / contrast / language panel
    std::function<void()> sync_now;      // set by main when a sync worker runs
    // Nothing of a resident is on screen or in a model: the loop may sleep for good.
    bool at_rest() const { return !touched_since_reset_; }
    // The look is the default one (start screen, defaults): an idle reset needs no warning.
    bool looks_clean() const;
    void reset_session();                // idle reset / "finish": home() + Japanese + defaults
    void open_staff();
    void staff_refresh();
    double now() const { return platform_.time_s(); }
    bool narrow() const { return narrow_; }    // phone-width window (< 900 px)

    KioskStore& store() { return store_; }
    const AppOptions& options() const { return opts_; }
    const FontRoles& fonts() const { return frame_fonts_; }
    const FontManager& font_manager() const { return fonts_; }
    const GlyphSet& glyphs() const { return glyphs_all_; }
    // With the language the resident is using now (records carry it for city hall's notices).
    SubmitContext submit_context() const {
        SubmitContext c = submit_;
        c.lang = lang_code(texts.lang());
        return c;
    }
    std::string centre_name(const std::string& id) const;
    // Text whose glyphs may be missing (typed by the resident): queued for the atlas.
    void note_text(const std::string& s);
    // Screenshots: draws frames and waits (at most `max_s`) until no atlas build is
    // pending and the atlas in use was built with every character noted so far (text a
    // screen notes while it is drawn included). Returns how many characters of glyphs()
    // the atlas still cannot draw (0: nothing on screen shows as '?'); `which` gets them.
    std::size_t settle_fonts(double max_s, std::string* which = nullptr);
    void request_redraw(int frames = 3) {
        if (settle_frames_ < frames) settle_frames_ = frames;
    }

private:
    void shell_before_frame();           // settings -> fonts/theme, background atlas swap
    void shell_after_draw();             // overlays (idle countdown, settings, staff)
    void apply_input(const InputFrame& in);
    void note_windows(const InputFrame& in);   // after a frame: hold the next input?
    void rebuild_fonts_if_needed();
    void add_start_glyphs(GlyphSet& set) const;   // what the first atlas needs
    void draw();
    void scroll_to_top_if_page_changed(const View* view);
    void reload_centres();
    void trace(const char* what) const;

    Platform& platform_;
    KioskStore& store_;
    SubmitContext submit_;
    AppOptions opts_;
    std::vector<std::unique_ptr<View>> views_;
    std::vector<std::pair<Screen, View*>> routes_;
    FontManager fonts_;
    QrTexture qr_;
    GlyphSet glyphs_all_, glyphs_ui_, glyphs_digits_;
    bool fonts_dirty_ = false;
    int text_cache_builds_ = -1;
    struct PageKey {
        Screen screen = Screen::Start;
        std::size_t depth = 1;
        int page = 0;
        bool operator==(const PageKey&) const = default;
    };
    PageKey page_key_;
    bool scroll_reset_ = false;          // home(): every list to its top at the next frame         // fonts_.builds() the line-break cache was filled with
    bool gl_ready_ = false;
    double last_time_ = 0;
    int settle_frames_ = 3;
    bool imgui_ready_ = false;
    bool prepared_ = false;
    // Shell.
    DisplaySettings applied_;            // what fonts and theme were last built for
    FontRoles frame_fonts_;              // fonts_.roles(), titles smaller on narrow screens
    bool narrow_ = false;
    bool touched_since_reset_ = false;
    int countdown_shown_ = -1;
    // Input hold (ui/shell_input.cpp): the windows of the last frame, where ImGui looks for
    // the window under the next press.
    struct WindowBox {
        unsigned id = 0;
        float x = 0, y = 0, w = 0, h = 0;
        bool operator==(const WindowBox&) const = default;
    };
    std::vector<WindowBox> windows_;
    bool hold_input_ = false;
    bool buttons_before_[3] = {false, false, false};
};

}  // namespace kyodo::app
