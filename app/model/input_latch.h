// Turns the platform's event queue into per-frame input for ImGui 1.86, which has no
// input queue of its own: it samples "is the button down now" once per frame. A touch
// that is pressed and released between two frames would be lost, so the latch hands the
// events out frame by frame: a frame never sees the same button (or key) change twice.
// A quick tap therefore becomes: frame 1 pressed at the touch position, frame 2 released
// at the release position. Plain data, no ImGui: tests drive it directly.
#pragma once

#include <deque>
#include <vector>

#include "app/platform/platform.h"

namespace kyodo::app {

struct KeyChange {
    int key = 0;
    bool down = false;
};

struct InputFrame {
    bool has_pos = false;     // a pointer position is known
    float x = -1, y = -1;
    bool buttons[3] = {false, false, false};
    float wheel_x = 0, wheel_y = 0;
    int mods = 0;
    std::vector<unsigned> chars;
    std::vector<KeyChange> keys;
    bool focus_changed = false, focused = true;
    bool resized = false;
    bool close = false;
    bool any = false;         // something arrived (the frame should be drawn)
};

class InputLatch {
public:
    void push(const std::vector<InputEvent>& events);
    // Consumes events for one frame. Button/key state persists across frames.
    InputFrame next_frame();
    // The state as it stands (pointer, buttons), consuming nothing: for a frame drawn only
    // so the layout settles before the waiting events are judged against it.
    InputFrame held() const;
    // Events are still waiting: draw another frame right away.
    bool pending() const { return !queue_.empty(); }

private:
    void state_into(InputFrame& f) const;   // pointer, buttons, mods as they stand
    std::deque<InputEvent> queue_;
    bool has_pos_ = false;
    float x_ = -1, y_ = -1;
    bool buttons_[3] = {false, false, false};
    int mods_ = 0;
};

}  // namespace kyodo::app
