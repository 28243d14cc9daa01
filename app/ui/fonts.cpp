#include "app/ui/fonts.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <imgui_freetype.h>
#include <imgui_impl_opengl3.h>

namespace kyodo::app {

namespace {

bool read_all(const std::string& path, std::vector<char>& out) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return false;
    std::streamsize n = in.tellg();
    if (n <= 0) return false;
    out.resize(static_cast<std::size_t>(n));
    in.seekg(0);
    return static_cast<bool>(in.read(out.data(), n));   // one read, not a char at a time
}

void build_ranges(const GlyphSet& set, ImVector<ImWchar>& out) {
    ImFontGlyphRangesBuilder b;
    for (char32_t c : set.chars()) b.AddChar(static_cast<ImWchar>(c));
    out.clear();
    b.BuildRanges(&out);
}

// FreeType's allocations go straight to malloc: ImGui::MemAlloc would count them in the
// UI thread's context from the background thread.
void* ft_alloc(size_t sz, void*) { return std::malloc(sz); }
void ft_free(void* p, void*) { std::free(p); }

}  // namespace

// Glyph ranges of one build; they must outlive the atlas that points at them.
struct FontManager::Job {
    ImVector<ImWchar> all, ui, digits;
    float scale = 1.0f;
};

struct FontManager::Built {
    std::unique_ptr<Job> job;
    ImFontAtlas* atlas = nullptr;   // IM_NEW; ownership passes to io.Fonts on adopt
    FontRoles roles;
    double ms = 0;
    bool ok = false;
};

namespace {

// Builds `atlas` for `job`; no GL and no ImGui context needed (runs on any thread).
bool build_atlas(ImFontAtlas* atlas, const FontManager::Job* job_ptr, std::vector<char>& regular,
                 std::vector<char>& bold, FontRoles* roles, bool* freetype);

}  // namespace

FontManager::FontManager() { ImGuiFreeType::SetAllocatorFunctions(ft_alloc, ft_free, nullptr); }

FontManager::~FontManager() {
    if (worker_.joinable()) worker_.join();
    if (ready_ && ready_->atlas) IM_DELETE(ready_->atlas);
}

bool FontManager::load_files(std::string* err) {
    std::vector<std::string> dirs;
    if (const char* d = std::getenv("KYODO_FONT_DIR"); d && *d) dirs.emplace_back(d);
    dirs.emplace_back("/usr/share/fonts/truetype/bizud-gothic");
    for (const auto& d : dirs) {
        if (read_all(d + "/BIZUDGothic-Regular.ttf", regular_) &&
            read_all(d + "/BIZUDGothic-Bold.ttf", bold_)) {
            dir_ = d;
            return true;
        }
    }
    if (err)
        *err = "BIZ UDGothic not found (install fonts-morisawa-bizud-gothic, or set KYODO_FONT_DIR "
               "to a folder holding BIZUDGothic-Regular.ttf and BIZUDGothic-Bold.ttf)";
    return false;
}

namespace {

bool build_atlas(ImFontAtlas* atlas, const FontManager::Job* job, std::vector<char>& regular,
                 std::vector<char>& bold, FontRoles* roles, bool* freetype) {
    atlas->Clear();
    // FreeType renders small kanji noticeably crisper than stb_truetype; Debian's imgui
    // has the FreeType builder compiled in.
    atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    *freetype = atlas->FontBuilderIO != nullptr;
    atlas->TexGlyphPadding = 1;
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;   // less texture to fill and upload

    const float s = job->scale;
    auto add = [&](std::vector<char>& data, float px, const ImVector<ImWchar>& ranges) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;   // we keep the file bytes for rebuilds
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        return atlas->AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px, &cfg, ranges.Data);
    };
    // Screen titles grow less than running text (they are already large); the receipt
    // number not at all.
    const float ts = s > 1.2f ? 1.2f : s;
    roles->body = add(regular, 30 * s, job->all);
    roles->small = add(regular, 25 * s, job->all);
    roles->bold = add(bold, 30 * s, job->all);
    roles->heading = add(bold, 40 * s, job->all);
    roles->title = add(bold, 54 * ts, job->ui);
    roles->display = add(bold, 88, job->digits);
    bool ok = atlas->Build();
    if (ok) {
        // The RGBA conversion the OpenGL3 backend uploads, done here rather than on the
        // GL thread.
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        atlas->GetTexDataAsRGBA32(&px, &w, &h);
    }
    return ok && roles->body && roles->display;
}

}  // namespace

bool FontManager::build(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits) {
    auto t0 = std::chrono::steady_clock::now();
    auto job = std::make_unique<Job>();
    build_ranges(all, job->all);
    build_ranges(ui_only, job->ui);
    build_ranges(digits, job->digits);
    job->scale = scale_;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    bool ok = build_atlas(atlas, job.get(), regular_, bold_, &roles_, &freetype_);
    first_job_ = std::move(job);
    atlas_w_ = atlas->TexWidth;
    atlas_h_ = atlas->TexHeight;
    build_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ++builds_;
    return ok;
}

void FontManager::upload() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();   // no-op when none exists yet
    ImGui_ImplOpenGL3_CreateFontsTexture();
    // The GPU has the pixels; the CPU copies (alpha + RGBA, ~25 MB for a full atlas) go.
    ImGui::GetIO().Fonts->ClearTexData();
}

void FontManager::build_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits,
                              std::function<void()> on_ready) {
    auto job = std::make_unique<Job>();
    build_ranges(all, job->all);
    build_ranges(ui_only, job->ui);
    build_ranges(digits, job->digits);
    job->scale = scale_;
    ++async_requests_;
    std::lock_guard<std::mutex> lock(mu_);
    on_ready_ = std::move(on_ready);
    queued_ = std::move(job);
    if (!busy_) start_job_locked();
}

void FontManager::start_job_locked() {
    if (!queued_) return;
    if (worker_.joinable()) worker_.join();   // the previous one has finished (busy_ false)
    running_ = std::move(queued_);
    busy_ = true;
    worker_ = std::thread([this] {
        auto t0 = std::chrono::steady_clock::now();
        auto b = std::make_unique<Built>();
        b->atlas = IM_NEW(ImFontAtlas)();
        bool ft = false;
        b->ok = build_atlas(b->atlas, running_.get(), regular_, bold_, &b->roles, &ft);
        b->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::function<void()> notify;
        {
            std::lock_guard<std::mutex> lock(mu_);
            b->job = std::move(running_);
            if (ready_ && ready_->atlas) IM_DELETE(ready_->atlas);   // superseded, never shown
            ready_ = std::move(b);
            busy_ = false;
            notify = on_ready_;
        }
        if (notify) notify();
    });
}

void FontManager::adopt(Built& b) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontAtlas* old = io.Fonts;
    io.Fonts = b.atlas;   // the context owns (and at shutdown deletes) io.Fonts
    b.atlas = nullptr;
    roles_ = b.roles;
    first_job_ = std::move(b.job);
    atlas_w_ = io.Fonts->TexWidth;
    atlas_h_ = io.Fonts->TexHeight;
    build_ms_ = b.ms;
    ++builds_;
    ImGui_ImplOpenGL3_DestroyFontsTexture();   // the old atlas's texture
    ImGui_ImplOpenGL3_CreateFontsTexture();
    io.Fonts->ClearTexData();
    IM_DELETE(old);
}

bool FontManager::poll_async() {
    std::unique_ptr<Built> b;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!ready_) return false;
        b = std::move(ready_);
        if (!busy_ && queued_) start_job_locked();   // a newer request waited for this one
    }
    if (!b->ok) {
        if (b->atlas) IM_DELETE(b->atlas);
        return false;
    }
    adopt(*b);
    return true;
}

void FontManager::finish_async() {
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (!busy_ && !queued_ && !ready_) break;
            if (!busy_ && queued_ && !ready_) start_job_locked();
        }
        if (worker_.joinable() && !busy_) worker_.join();
        poll_async();
        if (busy_) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (worker_.joinable()) worker_.join();
}

}  // namespace kyodo::app
