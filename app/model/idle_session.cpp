#include "app/model/idle_session.h"

#include <cmath>

namespace kyodo::app {

void IdleSession::touch(double now) {
    last_touch_ = now;
    phase_ = Phase::Active;
}

IdleSession::Event IdleSession::update(double now, bool at_rest) {
    if (idle_s_ <= 0) return Event::None;
    if (at_rest) {
        // Nothing to clear: no countdown. The clock restarts when the resident starts.
        phase_ = Phase::Active;
        last_touch_ = now;
        return Event::None;
    }
    if (phase_ == Phase::Active) {
        if (now - last_touch_ >= idle_s_) {
            phase_ = Phase::Countdown;
            countdown_start_ = now;
            if (countdown_s_ <= 0) {
                phase_ = Phase::Active;
                last_touch_ = now;
                return Event::Reset;
            }
            return Event::CountdownStarted;
        }
        return Event::None;
    }
    if (now - countdown_start_ >= countdown_s_) {
        phase_ = Phase::Active;
        last_touch_ = now;
        return Event::Reset;
    }
    return Event::None;
}

int IdleSession::seconds_left(double now) const {
    if (phase_ != Phase::Countdown) return 0;
    double left = countdown_s_ - (now - countdown_start_);
    if (left <= 0) return 0;
    return static_cast<int>(std::ceil(left - 1e-9));
}

double IdleSession::sleep_budget(double now, bool at_rest) const {
    if (idle_s_ <= 0 || at_rest) return -1;
    if (phase_ == Phase::Active) {
        double r = idle_s_ - (now - last_touch_);
        return r > 0 ? r : 0;
    }
    // Countdown: wake at the next whole-second tick (the number on screen changes).
    double elapsed = now - countdown_start_;
    double next_tick = std::floor(elapsed) + 1.0;
    if (next_tick > countdown_s_) next_tick = countdown_s_;
    double r = next_tick - elapsed;
    return r > 0 ? r : 0;
}

}  // namespace kyodo::app
