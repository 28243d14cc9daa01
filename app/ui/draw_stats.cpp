#include "app/ui/draw_stats.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

namespace kyodo::app::ui {

DrawStats draw_stats(const ImDrawData* d) {
    DrawStats st;
    if (!d || d->DisplaySize.x <= 0 || d->DisplaySize.y <= 0) return st;
    double area = 0;
    for (int l = 0; l < d->CmdListsCount; ++l) {
        const ImDrawList* list = d->CmdLists[l];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            ++st.commands;
            if (cmd.UserCallback) {
                ++(cmd.UserCallbackData ? st.smooth_on : st.smooth_off);
                continue;
            }
            const ImVec4 c = cmd.ClipRect;
            for (unsigned int e = 0; e + 2 < cmd.ElemCount; e += 3) {
                ImVec2 p[3];
                for (int k = 0; k < 3; ++k) {
                    const ImDrawIdx i = list->IdxBuffer[static_cast<int>(cmd.IdxOffset + e) + k];
                    const ImVec2 v = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + i)].pos;
                    p[k] = ImVec2(std::clamp(v.x, c.x, c.z), std::clamp(v.y, c.y, c.w));
                }
                area += 0.5 * std::abs(static_cast<double>((p[1].x - p[0].x) * (p[2].y - p[0].y) -
                                                           (p[2].x - p[0].x) * (p[1].y - p[0].y)));
            }
        }
    }
    st.fill_screens = area / (static_cast<double>(d->DisplaySize.x) * d->DisplaySize.y);
    return st;
}

}  // namespace kyodo::app::ui
