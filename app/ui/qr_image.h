// A QR code on screen: one texture uploaded through the Platform (no GL here), drawn pixel for
// pixel (a texel a screen pixel, on whole pixels), so no filtering blurs a module edge. At
// least kQrMinModulePx pixels a module and the 4-module quiet zone: a phone camera reads it
// from arm's length (docs/protocol.md, "The receipt's QR code").
#pragma once

#include <cstdint>
#include <string>

#include <imgui.h>

#include "app/model/qr.h"
#include "app/platform/platform.h"

namespace kyodo::app {

class Shell;

constexpr int kQrMinModulePx = 4;

// The last code drawn, as a texture (a screen shows one code at a time; a new URL or size
// replaces it).
class QrTexture {
public:
    struct Picture {
        std::string url;
        QrMatrix matrix;
        std::uintptr_t texture = 0;   // 0 = the URL could not be encoded
        int module_px = 0, side_px = 0;
    };
    // The picture of `url` at `module_px` a module, uploaded if it is not the current one.
    const Picture& get(Platform& platform, const std::string& url, int module_px);
    // Deletes the texture (before the renderer goes).
    void release(Platform& platform);

private:
    Picture pic_;
};

// The side draw_qr gives `url` within `max_side` (0 when it cannot be encoded).
float qr_side(Shell& shell, const std::string& url, float max_side);
// Draws the code for `url` with its top-left at `at` (rounded to whole pixels), as large as
// fits `max_side` (never below kQrMinModulePx a module), and records its rectangle as
// `layout_id` for the tests. Returns its side in pixels, 0 when nothing was drawn.
float draw_qr(Shell& shell, const std::string& url, ImVec2 at, float max_side, const char* layout_id);

}  // namespace kyodo::app
