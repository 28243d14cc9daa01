// Drag to scroll with momentum on ImGui child windows: one KineticScroller (model,
// app/model/kinetic_scroll.h) per window id. ui::touch_scroll() is called inside each
// scrollable child; while a list glides the app keeps drawing frames (touch_scroll_active),
// and stops as soon as it rests.
#include <unordered_map>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/model/kinetic_scroll.h"
#include "app/ui/widgets.h"

namespace kyodo::app::ui {

namespace {

struct Entry {
    KineticScroller s;
    int last_frame = -10;
};
std::unordered_map<ImGuiID, Entry> g_scrollers;

}  // namespace

void touch_scroll() {
    ImGuiIO& io = ImGui::GetIO();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    Entry& e = g_scrollers[w->ID];
    e.last_frame = ImGui::GetFrameCount();
    KineticScroller& s = e.s;
    const double t = ImGui::GetTime();
    s.set_range(w->ScrollMax.y);
    // Not while selecting text in an input field.
    const bool in_text = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId;
    const bool pressed_here = w->Rect().Contains(io.MouseClickedPos[0]);
    if (ImGui::IsMouseClicked(0) && pressed_here && s.gliding()) s.stop();   // a finger stops a glide
    if (!s.dragging()) {
        // A drag that started inside this window scrolls it (the content follows the
        // finger), even when a card took the press: once the finger moved, it is a
        // scroll, not a tap.
        if (ImGui::IsMouseDown(0) && dragging() && !in_text && pressed_here) {
            s.sync_offset(w->Scroll.y);
            s.press(io.MouseClickedPos[0].y, t);
            s.drag(io.MousePos.y, t);
        }
    } else if (ImGui::IsMouseDown(0)) {
        s.drag(io.MousePos.y, t);
    } else {
        s.release(t);
    }
    if (s.gliding()) s.step(t);
    if (s.active()) ImGui::SetScrollY(w, s.offset());
    else s.sync_offset(w->Scroll.y);
}

bool touch_scroll_active() {
    const int frame = ImGui::GetFrameCount();
    for (const auto& [id, e] : g_scrollers)
        if (e.s.active() && e.last_frame >= frame - 1) return true;
    return false;
}

void reset_touch_scroll() { g_scrollers.clear(); }

}  // namespace kyodo::app::ui
