// The input hold: ImGui 1.86 decides which window is under the pointer at the start of a
// frame, from the windows the frame before drew. When a tap, a key or anything else moved
// the windows (the keyboard closed, a screen or overlay opened), a press delivered in the
// very next frame is judged against windows that are no longer there: it goes to the gone
// keyboard, nothing is pressed, and the resident's tap is lost (issue 3: the first tap on
// 送信 after the keyboard closed). So after such a frame the next one is drawn with nothing
// new (InputLatch::held) and the waiting events follow once the windows stand still.
#include <imgui.h>
#include <imgui_internal.h>

#include "app/ui/shell.h"

namespace kyodo::app {

InputFrame Shell::next_input(InputLatch& latch) {
    if (hold_input_ && latch.pending()) return latch.held();
    return latch.next_frame();
}

void Shell::note_windows(const InputFrame& in) {
    // Where the windows are now (the ones ImGui may find under the next press).
    std::vector<WindowBox> now;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || w->Hidden) continue;
        now.push_back({w->ID, w->Pos.x, w->Pos.y, w->Size.x, w->Size.y});
    }
    const bool moved = now != windows_;
    windows_ = std::move(now);
    // What this frame handled may move windows in the next one: a finger lifted (a tap),
    // a key (Escape, Enter close the keyboard).
    bool lifted = false;
    for (int b = 0; b < 3; ++b) {
        lifted |= buttons_before_[b] && !in.buttons[b];
        buttons_before_[b] = in.buttons[b];
    }
    // Only waiting events are held (next_input): with none, nothing extra is drawn.
    hold_input_ = moved || lifted || !in.keys.empty();
}

}  // namespace kyodo::app
