// Drag-to-scroll with momentum for touch lists, as plain data (no ImGui): the finger moves
// the content 1:1; on release the content keeps moving at the finger's recent velocity and
// slows down exponentially, stopping at the ends. Time and positions are passed in, so
// tests drive it without a GPU or a clock. app/ui/kinetic.cpp applies it to ImGui child
// windows (one scroller per window id).
#pragma once

#include <deque>

namespace kyodo::app {

class KineticScroller {
public:
    // Tuning: velocity decays as exp(-t / kTau); below kStopSpeed px/s it stops. The
    // release velocity is measured over the last kSampleWindow seconds of the drag.
    static constexpr double kTau = 0.325;
    static constexpr double kStopSpeed = 30.0;
    static constexpr double kSampleWindow = 0.1;
    static constexpr double kMaxSpeed = 6000.0;

    // The scrollable range [0, max_scroll] and the current offset (the window's own
    // scroll: a scrollbar or a programmatic jump moves it while we are at rest).
    void set_range(float max_scroll);
    void sync_offset(float offset);   // adopted only when neither dragging nor gliding

    void press(float pointer_y, double t);
    // The finger moved to pointer_y; returns the new offset (content follows the finger).
    float drag(float pointer_y, double t);
    void release(double t);
    // Cancels any motion (a tap on an item, a screen change).
    void stop();
    // Advances the glide to time t; returns the offset.
    float step(double t);

    float offset() const { return offset_; }
    float max_scroll() const { return max_; }
    double velocity() const { return velocity_; }   // px/s of offset, + = content moves up
    bool dragging() const { return dragging_; }
    bool gliding() const { return gliding_; }
    // Frames must keep coming (finger down or gliding).
    bool active() const { return dragging_ || gliding_; }

private:
    void clamp();
    struct Sample {
        double t;
        float y;
    };
    std::deque<Sample> samples_;
    float offset_ = 0, max_ = 0;
    float press_y_ = 0, press_offset_ = 0;
    double velocity_ = 0, last_t_ = 0;
    bool dragging_ = false, gliding_ = false;
};

}  // namespace kyodo::app
