// BIZ UDGothic (a universal-design Japanese face) at kiosk sizes, in an atlas built only
// from the characters in use (GlyphSet): ASCII, kana, and every character of the catalog
// and the string tables. When new characters arrive the atlas is rebuilt between frames.
#pragma once

#include <string>
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
    // Finds and reads BIZUDGothic-Regular.ttf and -Bold.ttf ($KYODO_FONT_DIR, then
    // Debian's fonts-morisawa-bizud-gothic path). False with `err` when missing.
    bool load_files(std::string* err);
    // (Re)builds the CPU-side atlas into ImGui's io.Fonts from three glyph sets: `all` for
    // the text sizes, `ui_only` (string tables) for screen titles, `digits` (ASCII) for
    // the receipt number.
    bool build(const GlyphSet& all, const GlyphSet& ui_only, const GlyphSet& digits);
    // Uploads the atlas (after build) through the OpenGL3 backend; call between frames.
    void upload();

    const FontRoles& roles() const { return roles_; }
    int atlas_width() const { return atlas_w_; }
    int atlas_height() const { return atlas_h_; }
    double build_ms() const { return build_ms_; }
    bool uses_freetype() const { return freetype_; }
    const std::string& dir() const { return dir_; }

private:
    std::vector<char> regular_, bold_;
    std::string dir_;
    ImVector<ImWchar> ranges_all_, ranges_ui_, ranges_digits_;
    FontRoles roles_;
    int atlas_w_ = 0, atlas_h_ = 0;
    double build_ms_ = 0;
    bool freetype_ = false;
};

}  // namespace kyodo::app
