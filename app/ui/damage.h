// Which pixels of a frame changed since the last one (damage tracking), from ImGui's draw
// data alone (no GL): without a GPU (llvmpipe) a frame costs what it fills, and while a
// finger drags the listings only the list moves, so only the list is drawn again
// (Platform::render; docs/performance.md "redraw only what changed").
//
// The framebuffer is cut into tiles. Each tile's hash folds, in draw order, every triangle
// whose pixels may reach the tile: its three vertices (position, uv, colour), its texture,
// the pixel box its command's clip rectangle gives the renderer, and the render state set by
// the draw callbacks before it (the font sampling switch). A tile whose hash differs from the
// last frame's has changed; the damage is the box around the changed tiles.
#pragma once

#include <cstdint>
#include <vector>

struct ImDrawData;
struct ImDrawCmd;

namespace kyodo::app::ui {

// Framebuffer pixels, top-left origin, [x0, x1) x [y0, y1).
struct PixelRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    long long area() const { return empty() ? 0 : static_cast<long long>(x1 - x0) * (y1 - y0); }
    bool operator==(const PixelRect&) const = default;
};

// The pixel box the OpenGL3 backend scissors a command to (its own float → int steps), so a
// tile is judged by exactly the pixels the renderer may touch.
PixelRect scissor_box(float clip_x0, float clip_y0, float clip_x1, float clip_y1, int fb_height);

// The box a command with clip rectangle `clip` (x0, y0, x1, y1 in ImGui's coordinates)
// is scissored to.
PixelRect scissor_box_of(const ImDrawData* data, const float clip[4], int fb_height);

// Restricts every draw command of `data` to `damage` for one render: a command's clip
// rectangle becomes its scissor box cut to the damage (exactly: the renderer's float → int
// steps give that box), or empty, so the backend skips it without drawing. Draw callbacks
// still run, so the render state they set goes on as in a full frame. The destructor puts
// the clip rectangles back (the frame's statistics read them afterwards).
class ClipToDamage {
public:
    ClipToDamage(ImDrawData* data, const PixelRect& damage, int fb_height);
    ~ClipToDamage();
    ClipToDamage(const ClipToDamage&) = delete;
    ClipToDamage& operator=(const ClipToDamage&) = delete;

private:
    ImDrawData* data_;
    std::vector<float> saved_;   // x0, y0, x1, y1 of every command, in order
};

class DamageTracker {
public:
    explicit DamageTracker(int tile = 32) : tile_(tile) {}

    // Compares `data` (framebuffer fb_w x fb_h, cleared to `clear_rgb` first) with the frame
    // before and returns the pixels to draw again: everything on the first frame, after
    // invalidate(), or when the framebuffer's size, scale, origin or clear colour changed;
    // nothing when no tile changed.
    PixelRect update(const ImDrawData* data, int fb_w, int fb_h, std::uint32_t clear_rgb);
    // The next update redraws every pixel: a texture was uploaded, replaced or deleted (a new
    // texture can reuse a deleted one's name), or the picture was lost.
    void invalidate() { valid_ = false; }

private:
    int tile_;
    bool valid_ = false;
    int fb_w_ = 0, fb_h_ = 0, cols_ = 0, rows_ = 0;
    std::uint64_t frame_key_ = 0;
    std::uint64_t state_ = 0;           // the callbacks' render state at the end of the last frame
    std::vector<std::uint64_t> tiles_;  // this frame's
    std::vector<std::uint64_t> last_;   // the last frame's
};

}  // namespace kyodo::app::ui
