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
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !out.empty();
}

void build_ranges(const GlyphSet& set, ImVector<ImWchar>& out) {
    ImFontGlyphRangesBuilder b;
    for (char32_t c : set.chars()) b.AddChar(static_cast<ImWchar>(c));
    out.clear();
    b.BuildRanges(&out);
}

}  // namespace

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

bool FontManager::build(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits) {
    auto t0 = std::chrono::steady_clock::now();
    ImGuiIO& io = ImGui::GetIO();
    ImFontAtlas* atlas = io.Fonts;
    atlas->Clear();
    // FreeType renders small kanji noticeably crisper than stb_truetype; Debian's imgui
    // has the FreeType builder compiled in.
    atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    freetype_ = atlas->FontBuilderIO != nullptr;
    atlas->TexGlyphPadding = 1;
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;   // less texture to fill and upload

    build_ranges(all, ranges_all_);
    build_ranges(ui_only, ranges_ui_);
    build_ranges(digits, ranges_digits_);

    auto add = [&](std::vector<char>& data, float px, const ImVector<ImWchar>& ranges) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;   // we keep the file bytes for rebuilds
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        return atlas->AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px, &cfg,
                                           ranges.Data);
    };
    roles_.body = add(regular_, 30, ranges_all_);
    roles_.small = add(regular_, 25, ranges_all_);
    roles_.bold = add(bold_, 30, ranges_all_);
    roles_.heading = add(bold_, 40, ranges_all_);
    roles_.title = add(bold_, 54, ranges_ui_);
    roles_.display = add(bold_, 88, ranges_digits_);
    bool ok = atlas->Build();
    atlas_w_ = atlas->TexWidth;
    atlas_h_ = atlas->TexHeight;
    build_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return ok && roles_.body && roles_.display;
}

void FontManager::upload() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();   // no-op when none exists yet
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

}  // namespace kyodo::app
