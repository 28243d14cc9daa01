#include "app/ui/damage.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>

namespace kyodo::app::ui {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 32);
}

std::uint64_t hash_bytes(std::uint64_t h, const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t v;
        std::memcpy(&v, b + i, 8);
        h = mix(h, v);
    }
    std::uint64_t rest = 0;
    std::memcpy(&rest, b + i, n - i);
    return mix(h, rest ^ n);
}

std::uint64_t bits(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

}  // namespace

PixelRect scissor_box(float cx0, float cy0, float cx1, float cy1, int fb_height) {
    if (cx1 <= cx0 || cy1 <= cy0) return {};
    // imgui_impl_opengl3.cpp (1.86): glScissor((int)min.x, (int)(fb_h - max.y),
    // (int)(max.x - min.x), (int)(max.y - min.y)), bottom-left origin.
    const int gx = static_cast<int>(cx0);
    const int gy = static_cast<int>(static_cast<float>(fb_height) - cy1);
    const int gw = static_cast<int>(cx1 - cx0);
    const int gh = static_cast<int>(cy1 - cy0);
    return PixelRect{gx, fb_height - gy - gh, gx + gw, fb_height - gy};
}

PixelRect scissor_box_of(const ImDrawData* d, const float c[4], int fb_height) {
    const ImVec2 off = d->DisplayPos, scale = d->FramebufferScale;
    return scissor_box((c[0] - off.x) * scale.x, (c[1] - off.y) * scale.y, (c[2] - off.x) * scale.x,
                       (c[3] - off.y) * scale.y, fb_height);
}

ClipToDamage::ClipToDamage(ImDrawData* d, const PixelRect& dmg, int fb_h) : data_(d) {
    const ImVec2 off = d->DisplayPos, scale = d->FramebufferScale;
    for (int l = 0; l < d->CmdListsCount; ++l)
        for (ImDrawCmd& cmd : d->CmdLists[l]->CmdBuffer) {
            const float c[4] = {cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w};
            saved_.insert(saved_.end(), c, c + 4);
            if (cmd.UserCallback) continue;
            const PixelRect sc = scissor_box_of(d, c, fb_h);
            const PixelRect in{std::max(sc.x0, dmg.x0), std::max(sc.y0, dmg.y0), std::min(sc.x1, dmg.x1),
                               std::min(sc.y1, dmg.y1)};
            if (in.empty()) {
                cmd.ClipRect = ImVec4(0, 0, 0, 0);   // the backend skips an empty clip rectangle
                continue;
            }
            // Framebuffer values whose int steps give exactly `in` (margins of a quarter pixel
            // and more absorb the round trip through the scale), back in ImGui's coordinates.
            const float x0 = static_cast<float>(in.x0) + 0.25f, x1 = static_cast<float>(in.x1) + 0.5f;
            const float y1 = static_cast<float>(in.y1) - 0.25f, y0 = static_cast<float>(in.y0) - 0.75f;
            cmd.ClipRect = ImVec4(x0 / scale.x + off.x, y0 / scale.y + off.y, x1 / scale.x + off.x, y1 / scale.y + off.y);
        }
}

ClipToDamage::~ClipToDamage() {
    std::size_t i = 0;
    for (int l = 0; l < data_->CmdListsCount; ++l)
        for (ImDrawCmd& cmd : data_->CmdLists[l]->CmdBuffer) {
            cmd.ClipRect = ImVec4(saved_[i], saved_[i + 1], saved_[i + 2], saved_[i + 3]);
            i += 4;
        }
}

PixelRect DamageTracker::update(const ImDrawData* d, int fb_w, int fb_h, std::uint32_t clear_rgb) {
    const PixelRect full{0, 0, fb_w, fb_h};
    if (!d || fb_w <= 0 || fb_h <= 0) {
        valid_ = false;
        return full;
    }
    const ImVec2 off = d->DisplayPos, scale = d->FramebufferScale;
    std::uint64_t key = mix(mix(mix(0, static_cast<std::uint64_t>(fb_w) << 32 | static_cast<std::uint32_t>(fb_h)),
                                bits(off.x) << 32 | bits(off.y)),
                            bits(scale.x) << 32 | bits(scale.y));
    key = mix(key, clear_rgb);
    const bool same_frame = valid_ && key == frame_key_ && fb_w == fb_w_ && fb_h == fb_h_;
    fb_w_ = fb_w;
    fb_h_ = fb_h;
    frame_key_ = key;
    cols_ = (fb_w + tile_ - 1) / tile_;
    rows_ = (fb_h + tile_ - 1) / tile_;
    tiles_.assign(static_cast<std::size_t>(cols_) * static_cast<std::size_t>(rows_), key);

    std::uint64_t state = state_;
    for (int l = 0; l < d->CmdListsCount; ++l) {
        const ImDrawList* list = d->CmdLists[l];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                // The kiosk's callbacks set the state they change whole (the font sampling
                // switch: on or off), so the last one decides what follows.
                state = mix(mix(1, reinterpret_cast<std::uintptr_t>(cmd.UserCallback)),
                            reinterpret_cast<std::uintptr_t>(cmd.UserCallbackData));
                continue;
            }
            const PixelRect sc = scissor_box((cmd.ClipRect.x - off.x) * scale.x, (cmd.ClipRect.y - off.y) * scale.y,
                                             (cmd.ClipRect.z - off.x) * scale.x, (cmd.ClipRect.w - off.y) * scale.y,
                                             fb_h);
            const PixelRect clip{std::max(sc.x0, 0), std::max(sc.y0, 0), std::min(sc.x1, fb_w), std::min(sc.y1, fb_h)};
            if (clip.empty()) continue;
            std::uint64_t cmd_hash = mix(mix(state, reinterpret_cast<std::uintptr_t>(cmd.GetTexID())),
                                         static_cast<std::uint64_t>(static_cast<std::uint32_t>(sc.x0)) << 32 |
                                             static_cast<std::uint32_t>(sc.y0));
            cmd_hash = mix(cmd_hash, static_cast<std::uint64_t>(static_cast<std::uint32_t>(sc.x1)) << 32 |
                                         static_cast<std::uint32_t>(sc.y1));
            for (unsigned int e = 0; e + 2 < cmd.ElemCount; e += 3) {
                float lx = 1e30f, ly = 1e30f, hx = -1e30f, hy = -1e30f;
                std::uint64_t h = cmd_hash;
                for (int k = 0; k < 3; ++k) {
                    const ImDrawIdx i = list->IdxBuffer[static_cast<int>(cmd.IdxOffset + e) + k];
                    const ImDrawVert& v = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + i)];
                    h = hash_bytes(h, &v, sizeof v);
                    const float x = (v.pos.x - off.x) * scale.x, y = (v.pos.y - off.y) * scale.y;
                    lx = std::min(lx, x);
                    ly = std::min(ly, y);
                    hx = std::max(hx, x);
                    hy = std::max(hy, y);
                }
                // Pixels whose centre may fall in the triangle, one pixel of margin, cut to
                // the scissor box.
                const int x0 = std::max(clip.x0, static_cast<int>(std::floor(std::max(lx, -1e6f))) - 1);
                const int y0 = std::max(clip.y0, static_cast<int>(std::floor(std::max(ly, -1e6f))) - 1);
                const int x1 = std::min(clip.x1, static_cast<int>(std::ceil(std::min(hx, 1e6f))) + 1);
                const int y1 = std::min(clip.y1, static_cast<int>(std::ceil(std::min(hy, 1e6f))) + 1);
                if (x1 <= x0 || y1 <= y0) continue;
                const int tx0 = x0 / tile_, tx1 = (x1 - 1) / tile_, ty0 = y0 / tile_, ty1 = (y1 - 1) / tile_;
                for (int ty = ty0; ty <= ty1; ++ty) {
                    std::uint64_t* row = tiles_.data() + static_cast<std::size_t>(ty) * static_cast<std::size_t>(cols_);
                    for (int tx = tx0; tx <= tx1; ++tx) row[tx] = mix(row[tx], h);
                }
            }
        }
    }
    state_ = state;

    PixelRect damage;
    if (!same_frame || last_.size() != tiles_.size()) {
        damage = full;
    } else {
        int cx0 = cols_, cy0 = rows_, cx1 = -1, cy1 = -1;
        for (int ty = 0; ty < rows_; ++ty)
            for (int tx = 0; tx < cols_; ++tx) {
                const std::size_t i = static_cast<std::size_t>(ty) * static_cast<std::size_t>(cols_) +
                                      static_cast<std::size_t>(tx);
                if (tiles_[i] == last_[i]) continue;
                cx0 = std::min(cx0, tx);
                cy0 = std::min(cy0, ty);
                cx1 = std::max(cx1, tx);
                cy1 = std::max(cy1, ty);
            }
        if (cx1 >= 0)
            damage = PixelRect{cx0 * tile_, cy0 * tile_, std::min((cx1 + 1) * tile_, fb_w), std::min((cy1 + 1) * tile_, fb_h)};
    }
    last_.swap(tiles_);
    valid_ = true;
    return damage;
}

}  // namespace kyodo::app::ui
