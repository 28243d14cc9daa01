#include "app/ui/fonts.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include <imgui_freetype.h>
#include <imgui_internal.h>   // ImTextCharToUtf8

#include "app/platform/platform.h"

namespace kyodo::app {

namespace {

// A TTF file mapped read-only for the length of one build: FreeType reads the tables and
// the glyphs it needs straight from the page cache, and nothing stays in the process
// between builds (two faces are 9.3 MB; copies of them were held for the kiosk's life).
class MappedFile {
public:
    explicit MappedFile(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st{};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = p;
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (data_) ::munmap(data_, size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    bool ok() const { return data_ != nullptr; }
    void* data() const { return data_; }
    int size() const { return static_cast<int>(size_); }

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

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

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// Glyph ranges of one build.
struct FontManager::Job {
    ImVector<ImWchar> all, ui, digits;
    float scale = 1.0f;
};

struct FontManager::Built {
    std::unique_ptr<Job> job;
    GlyphSet absent;                // asked for, but not in the font files
    std::string absent_utf8;
    ImFontAtlas* atlas = nullptr;   // IM_NEW; ownership passes to io.Fonts on adopt
    FontRoles roles;
    double ms = 0;
    bool ok = false;
    bool freetype = false;
};

namespace {

// Builds `atlas` for `job`; no GL and no ImGui context needed (runs on any thread).
bool build_atlas(ImFontAtlas* atlas, const FontManager::Job& job, const std::string& regular_path,
                 const std::string& bold_path, FontRoles* roles, bool* freetype) {
    MappedFile regular(regular_path), bold(bold_path);
    if (!regular.ok() || !bold.ok()) return false;
    atlas->Clear();
    // FreeType renders small kanji noticeably crisper than stb_truetype; Debian's imgui
    // has the FreeType builder compiled in.
    atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    *freetype = atlas->FontBuilderIO != nullptr;
    atlas->TexGlyphPadding = 1;
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;   // less texture to fill and upload

    const float s = job.scale;
    auto add = [&](const MappedFile& f, float px, const ImVector<ImWchar>& ranges) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;   // the mapping is ours (unmapped below)
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        return atlas->AddFontFromMemoryTTF(f.data(), f.size(), px, &cfg, ranges.Data);
    };
    // Screen titles grow less than running text (they are already large); the receipt
    // number not at all.
    const float ts = s > 1.2f ? 1.2f : s;
    roles->body = add(regular, 30 * s, job.all);
    roles->small = add(regular, 25 * s, job.all);
    roles->bold = add(bold, 30 * s, job.all);
    roles->heading = add(bold, 40 * s, job.all);
    roles->title = add(bold, 54 * ts, job.ui);
    roles->display = add(bold, 88, job.digits);
    bool ok = atlas->Build();
    // The glyphs are in the alpha pixels now: the inputs (configs pointing into the
    // mappings, custom rects) are not needed again, and the mappings go with this scope.
    atlas->ClearInputData();
    return ok && roles->body && roles->display;
}

void append_utf8(std::string& out, char32_t c) {
    char buf[5] = {};
    ImTextCharToUtf8(buf, static_cast<unsigned>(c));
    out += buf;
}

// What the build was asked for but the font has no glyph for (FreeType skips those):
// they are drawn as '?' whatever the atlas, and waiting for another build is pointless.
void note_absent(const FontManager::Job& job, const FontRoles& roles, GlyphSet& absent, std::string& utf8) {
    for (const ImWchar* r = job.all.Data; r && r[0]; r += 2)
        for (unsigned c = r[0]; c <= r[1]; ++c)
            if (c >= 0x20 && !roles.body->FindGlyphNoFallback(static_cast<ImWchar>(c)) &&
                absent.add_range(static_cast<char32_t>(c), static_cast<char32_t>(c)))
                append_utf8(utf8, static_cast<char32_t>(c));
}

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
        std::string r = d + "/BIZUDGothic-Regular.ttf", b = d + "/BIZUDGothic-Bold.ttf";
        if (MappedFile(r).ok() && MappedFile(b).ok()) {
            regular_path_ = r;
            bold_path_ = b;
            dir_ = d;
            return true;
        }
    }
    if (err)
        *err = "BIZ UDGothic not found (install fonts-morisawa-bizud-gothic, or set KYODO_FONT_DIR "
               "to a folder holding BIZUDGothic-Regular.ttf and BIZUDGothic-Bold.ttf)";
    return false;
}

std::unique_ptr<FontManager::Job> FontManager::make_job(const GlyphSet& all, const GlyphSet& ui_only,
                                                        const GlyphSet& digits) const {
    auto job = std::make_unique<Job>();
    build_ranges(all, job->all);
    build_ranges(ui_only, job->ui);
    build_ranges(digits, job->digits);
    job->scale = scale_;
    return job;
}

void FontManager::build_first_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits) {
    auto job = make_job(all, ui_only, digits);
    std::lock_guard<std::mutex> lock(mu_);
    queued_ = std::move(job);
    if (!busy_) start_job_locked();
}

bool FontManager::init_gl(Platform& platform, std::string* err) {
    // The renderer's shaders and buffers, without its RGBA copy of the atlas (the
    // platform leaves the font texture to us: upload()).
    if (!platform.init_renderer(err)) return false;
    platform_ = &platform;
    swizzle_ = platform.one_channel_textures();
    gl_ready_ = true;
    finish_async();   // the first atlas, built while the window and context were made
    if (roles_.body == nullptr || roles_.display == nullptr) {
        if (err) *err = "building the font atlas failed (" + regular_path_ + ", " + bold_path_ + ")";
        return false;
    }
    return true;
}

void FontManager::shutdown_gl() {
    if (tex_ && platform_) {
        platform_->delete_texture(tex_);
        tex_ = 0;
        ImGui::GetIO().Fonts->SetTexID(nullptr);
    }
    gl_ready_ = false;
}

void FontManager::upload() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    if (swizzle_) {
        // Coverage only: one byte a texel, sampled as white with that alpha.
        atlas->GetTexDataAsAlpha8(&px, &w, &h);
        tex_bytes_ = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    } else {
        atlas->GetTexDataAsRGBA32(&px, &w, &h);   // an old context: what the backend does
        tex_bytes_ = static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4;
    }
    tex_ = platform_->upload_texture(px, w, h, swizzle_, tex_);
    atlas->SetTexID(reinterpret_cast<ImTextureID>(tex_));
    // The GPU has the pixels; the CPU copy goes.
    atlas->ClearTexData();
}

void FontManager::build_async(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits,
                              std::function<void()> on_ready) {
    auto job = make_job(all, ui_only, digits);
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
        b->ok = build_atlas(b->atlas, *running_, regular_path_, bold_path_, &b->roles, &b->freetype);
        if (b->ok) note_absent(*running_, b->roles, b->absent, b->absent_utf8);
        b->ms = ms_since(t0);
        // FreeType's and the packer's scratch (tens of MB for a full atlas) was freed into
        // this thread's malloc arena, where it stays resident until trimmed: trim here,
        // off the GL thread (RSS bar).
        malloc_trim(0);
        std::function<void()> notify;
        {
            std::lock_guard<std::mutex> lock(mu_);
            b->job = std::move(running_);
            if (ready_ && ready_->atlas) IM_DELETE(ready_->atlas);   // superseded, never shown
            ready_ = std::move(b);
            has_ready_ = true;
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
    absent_ = std::move(b.absent);
    absent_utf8_ = std::move(b.absent_utf8);
    atlas_w_ = io.Fonts->TexWidth;
    atlas_h_ = io.Fonts->TexHeight;
    build_ms_ = b.ms;
    freetype_ = b.freetype;
    ++builds_;
    upload();   // replaces the old atlas's texture
    IM_DELETE(old);
}

bool FontManager::poll_async() {
    if (!gl_ready_) return false;   // init_gl adopts the first atlas
    std::unique_ptr<Built> b;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!ready_) return false;
        b = std::move(ready_);
        has_ready_ = false;
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
    if (!gl_ready_) {   // nothing can be uploaded yet: let the worker end (init_gl adopts)
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mu_);
                if (!busy_ && !queued_) break;
                if (!busy_ && queued_) start_job_locked();
            }
            if (worker_.joinable() && !busy_) worker_.join();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (worker_.joinable()) worker_.join();
        return;
    }
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (!busy_ && !queued_ && !ready_) break;
            if (!busy_ && queued_ && !ready_) start_job_locked();
        }
        if (worker_.joinable() && !busy_) worker_.join();
        poll_async();
        if (busy_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (worker_.joinable()) worker_.join();
}

std::size_t FontManager::missing(const GlyphSet& set, std::string* which) const {
    std::size_t n = 0;
    const ImFont* fonts[] = {roles_.body, roles_.small, roles_.bold, roles_.heading};
    for (char32_t c : set.chars()) {
        if (c < 0x20 || c == 0x7F || absent_.contains(c)) continue;   // not drawn / not in the font
        for (const ImFont* f : fonts)
            if (!f || !f->FindGlyphNoFallback(static_cast<ImWchar>(c))) {
                ++n;
                if (which) append_utf8(*which, c);
                break;
            }
    }
    return n;
}

}  // namespace kyodo::app
