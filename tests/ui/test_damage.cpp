// Damage tracking (app/ui/damage.h): which pixels a frame must draw again, from draw data
// made here by hand (no GL, no window), and the clip rectangles that restrict a render to them.
#include <doctest/doctest.h>

#include <imgui.h>

#include "app/ui/damage.h"

using kyodo::app::ui::ClipToDamage;
using kyodo::app::ui::DamageTracker;
using kyodo::app::ui::PixelRect;
using kyodo::app::ui::scissor_box_of;

namespace {

constexpr int kW = 640, kH = 480;
constexpr std::uint32_t kPage = 0xf5f3ee;

void switch_callback(const ImDrawList*, const ImDrawCmd*) {}
int kOn = 1;

// One draw list of rectangles, each its own command (as ImGui splits on clip or texture).
struct Frame {
    ImDrawList list{nullptr};
    ImDrawList* lists[1] = {&list};
    ImDrawData data;

    explicit Frame(int w = kW, int h = kH, float scale = 1.0f) {
        data.Valid = true;
        data.CmdLists = lists;
        data.CmdListsCount = 1;
        data.DisplayPos = ImVec2(0, 0);
        data.DisplaySize = ImVec2(static_cast<float>(w) / scale, static_cast<float>(h) / scale);
        data.FramebufferScale = ImVec2(scale, scale);
    }
    Frame& rect(float x0, float y0, float x1, float y1, ImU32 col = 0xff000000u, ImTextureID tex = reinterpret_cast<ImTextureID>(1),
                ImVec4 clip = ImVec4(0, 0, 1e4f, 1e4f)) {
        ImDrawCmd cmd;
        cmd.ClipRect = clip;
        cmd.TextureId = tex;
        cmd.VtxOffset = 0;
        cmd.IdxOffset = static_cast<unsigned int>(list.IdxBuffer.Size);
        cmd.ElemCount = 6;
        const auto base = static_cast<ImDrawIdx>(list.VtxBuffer.Size);
        const ImVec2 p[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
        for (const ImVec2& v : p) list.VtxBuffer.push_back(ImDrawVert{v, ImVec2(0, 0), col});
        for (int i : {0, 1, 2, 0, 2, 3}) list.IdxBuffer.push_back(static_cast<ImDrawIdx>(base + i));
        list.CmdBuffer.push_back(cmd);
        return *this;
    }
    Frame& callback(void* data) {
        ImDrawCmd cmd;
        cmd.ClipRect = ImVec4(0, 0, 1e4f, 1e4f);
        cmd.UserCallback = &switch_callback;
        cmd.UserCallbackData = data;
        list.CmdBuffer.push_back(cmd);
        return *this;
    }
    // A screen: a header band, a panel, some "glyphs" in the panel.
    Frame& screen(float glyph_x = 100) {
        rect(0, 0, kW, 60, 0xff204060u);
        rect(20, 80, 620, 460, 0xffffffffu);
        rect(glyph_x, 100, glyph_x + 10, 116, 0xff000000u, reinterpret_cast<ImTextureID>(2));
        rect(400, 300, 412, 316, 0xff000000u, reinterpret_cast<ImTextureID>(2));
        return *this;
    }
};

bool covers(const PixelRect& d, float x0, float y0, float x1, float y1) {
    return d.x0 <= x0 && d.y0 <= y0 && d.x1 >= x1 && d.y1 >= y1;
}

}  // namespace

TEST_CASE("damage: the first frame is whole, the same frame again is nothing") {
    DamageTracker t;
    Frame a, b;
    a.screen();
    b.screen();
    CHECK(t.update(&a.data, kW, kH, kPage) == PixelRect{0, 0, kW, kH});
    CHECK(t.update(&b.data, kW, kH, kPage).empty());
    CHECK(t.update(&a.data, kW, kH, kPage).empty());
}

TEST_CASE("damage: a moved glyph damages its old and new place, not the header or the rest") {
    DamageTracker t;
    Frame a, b;
    a.screen(100);
    b.screen(200);
    t.update(&a.data, kW, kH, kPage);
    const PixelRect d = t.update(&b.data, kW, kH, kPage);
    CHECK(covers(d, 100, 100, 110, 116));
    CHECK(covers(d, 200, 100, 210, 116));
    // The box of the two places, rounded out to 32-pixel tiles (and the 1-pixel margin).
    CHECK(d.x0 >= 64);
    CHECK(d.y0 >= 64);
    CHECK(d.x1 <= 224);
    CHECK(d.y1 <= 128);
    CHECK(d.area() < kW * kH / 10);
}

TEST_CASE("damage: a changed colour, texture or sampling switch damages what it draws") {
    DamageTracker t;
    Frame a;
    a.screen();
    t.update(&a.data, kW, kH, kPage);

    Frame colour;
    colour.screen().rect(500, 400, 520, 420, 0xff0000ffu);
    Frame colour2;
    colour2.screen().rect(500, 400, 520, 420, 0xff00ff00u);
    t.update(&colour.data, kW, kH, kPage);
    PixelRect d = t.update(&colour2.data, kW, kH, kPage);
    CHECK(covers(d, 500, 400, 520, 420));
    CHECK(d.area() <= 64 * 64);

    Frame tex;
    tex.screen().rect(500, 400, 520, 420, 0xff00ff00u, reinterpret_cast<ImTextureID>(7));
    d = t.update(&tex.data, kW, kH, kPage);
    CHECK(covers(d, 500, 400, 520, 420));
    CHECK(d.area() <= 64 * 64);

    // The same rectangle after a switch to smooth sampling: drawn differently.
    Frame smooth;
    smooth.screen().callback(&kOn).rect(500, 400, 520, 420, 0xff00ff00u, reinterpret_cast<ImTextureID>(7)).callback(nullptr);
    d = t.update(&smooth.data, kW, kH, kPage);
    CHECK(covers(d, 500, 400, 520, 420));
    CHECK(d.area() <= 64 * 64);
    // Switched back off before the rectangle: as before the switch.
    Frame off;
    off.screen().callback(&kOn).callback(nullptr).rect(500, 400, 520, 420, 0xff00ff00u, reinterpret_cast<ImTextureID>(7));
    CHECK_FALSE(t.update(&off.data, kW, kH, kPage).empty());
    Frame off2;
    off2.screen().callback(&kOn).callback(nullptr).rect(500, 400, 520, 420, 0xff00ff00u, reinterpret_cast<ImTextureID>(7));
    CHECK(t.update(&off2.data, kW, kH, kPage).empty());
}

TEST_CASE("damage: what moves outside its clip rectangle changes nothing") {
    DamageTracker t;
    const ImVec4 list_clip(20, 80, 620, 300);
    Frame a;
    a.screen().rect(100, 320, 140, 340, 0xff000000u, reinterpret_cast<ImTextureID>(2), list_clip);
    Frame b;
    b.screen().rect(100, 330, 140, 350, 0xff000000u, reinterpret_cast<ImTextureID>(2), list_clip);
    t.update(&a.data, kW, kH, kPage);
    CHECK(t.update(&b.data, kW, kH, kPage).empty());
}

TEST_CASE("damage: a new size, scale or page colour, or invalidate(), redraws everything") {
    DamageTracker t;
    Frame a;
    a.screen();
    t.update(&a.data, kW, kH, kPage);
    Frame bigger(kW + 10, kH);
    bigger.screen();
    CHECK(t.update(&bigger.data, kW + 10, kH, kPage) == PixelRect{0, 0, kW + 10, kH});
    CHECK(t.update(&a.data, kW, kH, kPage) == PixelRect{0, 0, kW, kH});
    CHECK(t.update(&a.data, kW, kH, 0x000000) == PixelRect{0, 0, kW, kH});
    CHECK(t.update(&a.data, kW, kH, 0x000000).empty());
    Frame scaled(kW, kH, 2.0f);
    scaled.screen();
    CHECK(t.update(&scaled.data, kW, kH, 0x000000) == PixelRect{0, 0, kW, kH});
    t.invalidate();
    CHECK(t.update(&scaled.data, kW, kH, 0x000000) == PixelRect{0, 0, kW, kH});
    CHECK(t.update(&scaled.data, kW, kH, 0x000000).empty());
}

TEST_CASE("damage: a render cut to the damage scissors each command to exactly its part of it") {
    for (float scale : {1.0f, 2.0f, 1.5f}) {
        CAPTURE(scale);
        Frame f(kW, kH, scale);
        const float s = 1.0f / scale;
        // Clip rectangles with fractions, as ImGui makes them for scaled or scrolled windows.
        f.rect(0, 0, 600 * s, 20 * s, 0xff000000u, reinterpret_cast<ImTextureID>(1), ImVec4(10.3f * s, 5.6f * s, 300.7f * s, 200.2f * s));
        f.rect(0, 0, 600 * s, 20 * s, 0xff000000u, reinterpret_cast<ImTextureID>(1), ImVec4(400.5f * s, 300.5f * s, 639.9f * s, 479.9f * s));
        f.callback(&kOn);
        f.rect(0, 0, 10, 10, 0xff000000u, reinterpret_cast<ImTextureID>(1), ImVec4(0, 0, static_cast<float>(kW), static_cast<float>(kH)));
        std::vector<ImVec4> before;
        for (const ImDrawCmd& c : f.list.CmdBuffer) before.push_back(c.ClipRect);
        const PixelRect damage{64, 32, 352, 256};
        {
            ClipToDamage cut(&f.data, damage, kH);
            for (std::size_t i = 0; i < before.size(); ++i) {
                const ImDrawCmd& c = f.list.CmdBuffer[static_cast<int>(i)];
                if (c.UserCallback) continue;
                const float was[4] = {before[i].x, before[i].y, before[i].z, before[i].w};
                const float now[4] = {c.ClipRect.x, c.ClipRect.y, c.ClipRect.z, c.ClipRect.w};
                const PixelRect full = scissor_box_of(&f.data, was, kH);
                const PixelRect want{std::max(full.x0, damage.x0), std::max(full.y0, damage.y0), std::min(full.x1, damage.x1),
                                     std::min(full.y1, damage.y1)};
                CAPTURE(i);
                if (want.empty())
                    CHECK(scissor_box_of(&f.data, now, kH).empty());
                else
                    CHECK(scissor_box_of(&f.data, now, kH) == want);
            }
            // The second rectangle is all outside the damage: skipped.
            CHECK(scissor_box_of(&f.data, &f.list.CmdBuffer[1].ClipRect.x, kH).empty());
        }
        for (std::size_t i = 0; i < before.size(); ++i) {
            const ImDrawCmd& c = f.list.CmdBuffer[static_cast<int>(i)];
            CHECK(c.ClipRect.x == before[i].x);
            CHECK(c.ClipRect.w == before[i].w);
        }
    }
}
