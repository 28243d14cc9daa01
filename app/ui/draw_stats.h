// What one frame's draw lists ask of the rasteriser, for the frame bench and the tests.
// Without a GPU (llvmpipe under Xvfb, the test and CI machines) a frame's time follows the
// pixels it fills, not the CPU work of laying the screen out (docs/performance.md).
#pragma once

struct ImDrawData;

namespace kyodo::app::ui {

struct DrawStats {
    double fill_screens = 0;   // the triangles' areas (cut to their clip rectangles) / the window's
    int smooth_on = 0;         // switches to bilinear font sampling (Platform::smooth_font_sampling)
    int smooth_off = 0;        // and back to texel by texel
    int commands = 0;          // draw commands (callbacks included)
};

// The kiosk's only draw callbacks are the renderer's sampling switches (data: on / null: off).
// Each triangle is cut to its command's clip rectangle vertex by vertex, a close upper bound
// of what is filled.
DrawStats draw_stats(const ImDrawData* data);

}  // namespace kyodo::app::ui
