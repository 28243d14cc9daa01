#include "app/model/kinetic_scroll.h"

#include <algorithm>
#include <cmath>

namespace kyodo::app {

void KineticScroller::set_range(float max_scroll) {
    max_ = std::max(0.0f, max_scroll);
    clamp();
}

void KineticScroller::sync_offset(float offset) {
    if (active()) return;
    offset_ = offset;
    clamp();
}

void KineticScroller::clamp() {
    if (offset_ < 0) {
        offset_ = 0;
        if (velocity_ < 0) velocity_ = 0;
    } else if (offset_ > max_) {
        offset_ = max_;
        if (velocity_ > 0) velocity_ = 0;
    }
    if (gliding_ && velocity_ == 0) gliding_ = false;
}

void KineticScroller::press(float y, double t) {
    dragging_ = true;
    gliding_ = false;   // a finger on a gliding list stops it, as on a phone
    velocity_ = 0;
    press_y_ = y;
    press_offset_ = offset_;
    samples_.clear();
    samples_.push_back({t, y});
    last_t_ = t;
}

float KineticScroller::drag(float y, double t) {
    if (!dragging_) return offset_;
    offset_ = press_offset_ - (y - press_y_);
    clamp();
    samples_.push_back({t, y});
    while (samples_.size() > 2 && t - samples_.front().t > kSampleWindow) samples_.pop_front();
    last_t_ = t;
    return offset_;
}

void KineticScroller::release(double t) {
    if (!dragging_) return;
    dragging_ = false;
    velocity_ = 0;
    // Velocity over the recent samples; a finger that stopped before lifting (no move in
    // the last window) gives no glide.
    while (samples_.size() > 1 && t - samples_.front().t > kSampleWindow) samples_.pop_front();
    if (samples_.size() >= 2) {
        const Sample& a = samples_.front();
        const Sample& b = samples_.back();
        double dt = b.t - a.t;
        if (dt > 1e-3) velocity_ = -(b.y - a.y) / dt;
    }
    velocity_ = std::clamp(velocity_, -kMaxSpeed, kMaxSpeed);
    gliding_ = std::fabs(velocity_) >= kStopSpeed;
    if (!gliding_) velocity_ = 0;
    samples_.clear();
    last_t_ = t;
    clamp();
}

void KineticScroller::stop() {
    dragging_ = gliding_ = false;
    velocity_ = 0;
    samples_.clear();
}

float KineticScroller::step(double t) {
    if (!gliding_) {
        last_t_ = t;
        return offset_;
    }
    double dt = t - last_t_;
    last_t_ = t;
    if (dt <= 0) return offset_;
    if (dt > 0.25) dt = 0.25;   // a stalled frame does not fling the list
    // Exact integral of v(t) = v0·e^(−t/τ) over dt.
    double decay = std::exp(-dt / kTau);
    offset_ += static_cast<float>(velocity_ * kTau * (1.0 - decay));
    velocity_ *= decay;
    if (std::fabs(velocity_) < kStopSpeed) {
        velocity_ = 0;
        gliding_ = false;
    }
    clamp();
    return offset_;
}

}  // namespace kyodo::app
