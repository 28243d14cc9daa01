// Shared device: after idle_reset_s without a touch, any half-filled form is cleared and
// the kiosk returns to the start screen. Time is passed in (seconds), so tests need no clock.
#pragma once

namespace kyodo::app {

class IdleTimer {
public:
    explicit IdleTimer(double timeout_s = 60) : timeout_s_(timeout_s) {}
    void set_timeout(double s) { timeout_s_ = s; }
    double timeout() const { return timeout_s_; }
    void touch(double now) { last_ = now; }
    bool expired(double now) const { return timeout_s_ > 0 && now - last_ >= timeout_s_; }
    // Seconds until expiry (how long the event loop may sleep), never negative.
    double remaining(double now) const {
        double r = timeout_s_ - (now - last_);
        return r > 0 ? r : 0;
    }

private:
    double timeout_s_;
    double last_ = 0;
};

}  // namespace kyodo::app
