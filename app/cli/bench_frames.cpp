// --bench-frames N: the frame time of the busiest screen (listings, 1,000 activities) while
// a finger drags the results up and down (bench/kiosk_bench, docs/performance.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "app/cli/modes.h"
#include "app/screens/listings.h"
#include "app/ui/draw_stats.h"

namespace kyodo::app::cli {

int run_bench_frames(Platform& platform, Shell& shell, const Args& args) {
    shell.preview(Screen::Listings);
    InputFrame idle_frame;
    for (int i = 0; i < 4; ++i) shell.frame(idle_frame);
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(args.bench_frames));
    double fill = 0;   // without a GPU the frame time follows it (app/ui/draw_stats.h)
    double damaged = 0;   // the part of the screen drawn again (app/ui/damage.h)
    int w = 0, h = 0;
    platform.window_size(w, h);
    for (int i = 0; i < args.bench_frames; ++i) {
        // A finger dragging the results up and down: every frame lays out the whole
        // screen (filters, 20 cards) and scrolls; what moved (the list) is drawn again.
        InputFrame in;
        in.any = in.has_pos = true;
        in.x = static_cast<float>(w) * 0.7f;
        // Up first: the list opens at its top, so a finger moving down first only pulled
        // at the top edge and nothing scrolled (every frame drew the same picture).
        in.y = static_cast<float>(h) * (0.65f - 0.2f * static_cast<float>((i / 30) % 2 ? 30 - i % 30 : i % 30) / 30.0f);
        in.buttons[0] = (i % 60) != 59;
        auto t0 = std::chrono::steady_clock::now();
        shell.frame(in);
        platform.finish();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        fill += ui::draw_stats(ImGui::GetDrawData()).fill_screens;
        damaged += platform.damaged_screens();
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
        return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
    };
    std::printf("frames=%d listings=%d frame_ms_median=%.2f frame_ms_p99=%.2f frame_ms_max=%.2f fill_screens=%.2f damage_screens=%.2f\n",
                args.bench_frames, shell.view<screens::ListingsView>().listing.result().total, pct(0.5), pct(0.99),
                ms.back(), fill / args.bench_frames, damaged / args.bench_frames);
    return 0;
}

}  // namespace kyodo::app::cli
