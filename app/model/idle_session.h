// The shared-device rule (issue 3 §4): after idle_s without a touch the kiosk asks "are you
// still there?" with a countdown; a touch keeps the session; when the countdown runs out
// everything is cleared (forms, filters, language, text size, contrast) and the start
// screen returns. A session with nothing to clear (start screen, defaults) never counts
// down, so an untouched kiosk sleeps. Also: personal data on a receipt is hidden after a
// few seconds. Time is passed in; no clock, no ImGui.
#pragma once

namespace kyodo::app {

class IdleSession {
public:
    enum class Phase { Active, Countdown };
    enum class Event { None, CountdownStarted, Reset };

    explicit IdleSession(double idle_s = 60, double countdown_s = 10)
        : idle_s_(idle_s), countdown_s_(countdown_s) {}
    void configure(double idle_s, double countdown_s) {
        idle_s_ = idle_s;
        countdown_s_ = countdown_s;
    }
    double idle_seconds() const { return idle_s_; }
    double countdown_seconds() const { return countdown_s_; }

    // A touch (or key, or wheel): the resident is here. Ends a countdown.
    void touch(double now);
    // Advances: `at_rest` = there is nothing to clear. Returns what happened.
    Event update(double now, bool at_rest);
    Phase phase() const { return phase_; }
    bool counting_down() const { return phase_ == Phase::Countdown; }
    // Whole seconds left on the countdown (10, 9, … 1), 0 when not counting down.
    int seconds_left(double now) const;
    // How long the event loop may sleep before update() has something new to say:
    // < 0 = until an event (at rest), else seconds (the next countdown tick).
    double sleep_budget(double now, bool at_rest) const;

private:
    double idle_s_, countdown_s_;
    double last_touch_ = 0, countdown_start_ = 0;
    Phase phase_ = Phase::Active;
};

// Personal data shown on a receipt screen (check code, the name on a review) is hidden
// after `visible_s` seconds: the next person in the queue does not read it.
class PrivacyTimer {
public:
    explicit PrivacyTimer(double visible_s = 20) : visible_s_(visible_s) {}
    void show(double now) {
        shown_at_ = now;
        armed_ = true;
    }
    void clear() { armed_ = false; }
    bool hidden(double now) const { return armed_ && now - shown_at_ >= visible_s_; }
    bool armed() const { return armed_; }
    // Seconds until it hides (for the event loop), < 0 when nothing is pending.
    double until_hidden(double now) const {
        if (!armed_ || hidden(now)) return -1;
        return visible_s_ - (now - shown_at_);
    }
    double visible_seconds() const { return visible_s_; }

private:
    double visible_s_;
    double shown_at_ = 0;
    bool armed_ = false;
};

}  // namespace kyodo::app
