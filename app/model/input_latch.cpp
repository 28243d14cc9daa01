#include "app/model/input_latch.h"

#include <algorithm>

namespace kyodo::app {

void InputLatch::push(const std::vector<InputEvent>& events) {
    queue_.insert(queue_.end(), events.begin(), events.end());
}

InputFrame InputLatch::next_frame() {
    InputFrame f;
    bool button_changed[3] = {false, false, false};
    std::vector<int> keys_changed;
    while (!queue_.empty()) {
        const InputEvent& e = queue_.front();
        using T = InputEvent::Type;
        if (e.type == T::PointerDown || e.type == T::PointerUp) {
            if (e.button < 0 || e.button > 2) {
                queue_.pop_front();
                continue;
            }
            // The same button already changed this frame: leave it for the next frame,
            // so ImGui sees the press for at least one whole frame.
            if (button_changed[e.button]) break;
            button_changed[e.button] = true;
            buttons_[e.button] = e.type == T::PointerDown;
            has_pos_ = true;
            x_ = e.x;
            y_ = e.y;
            mods_ = e.mods;
        } else if (e.type == T::PointerMove) {
            // A move after a release in this frame belongs to the next frame: the click
            // must be seen where the finger was lifted.
            bool released_here = false;
            for (int b = 0; b < 3; ++b) released_here |= button_changed[b] && !buttons_[b];
            if (released_here) break;
            has_pos_ = true;
            x_ = e.x;
            y_ = e.y;
        } else if (e.type == T::Scroll) {
            f.wheel_x += e.dx;
            f.wheel_y += e.dy;
        } else if (e.type == T::Char) {
            f.chars.push_back(e.codepoint);
        } else if (e.type == T::Key) {
            if (std::find(keys_changed.begin(), keys_changed.end(), e.key) != keys_changed.end()) break;
            keys_changed.push_back(e.key);
            f.keys.push_back({e.key, e.down});
            mods_ = e.mods;
        } else if (e.type == T::Focus) {
            f.focus_changed = true;
            f.focused = e.down;
        } else if (e.type == T::Resize) {
            f.resized = true;
        } else if (e.type == T::Close) {
            f.close = true;
        }
        f.any = true;
        queue_.pop_front();
    }
    state_into(f);
    return f;
}

InputFrame InputLatch::held() const {
    InputFrame f;
    state_into(f);
    return f;
}

void InputLatch::state_into(InputFrame& f) const {
    f.has_pos = has_pos_;
    f.x = x_;
    f.y = y_;
    for (int b = 0; b < 3; ++b) f.buttons[b] = buttons_[b];
    f.mods = mods_;
}

}  // namespace kyodo::app
