#include "app/model/sync_feedback.h"

#include <algorithm>

namespace kyodo::app {

void SyncNowFeedback::requested(const SyncSnapshot& now) {
    *this = SyncNowFeedback{};
    before_ = now;
    state_ = State::Starting;
}

void SyncNowFeedback::update(const SyncSnapshot& now) {
    if (!busy()) return;
    // A pass that began after the tap (or one already running at the tap, which the worker
    // finishes before it starts the one asked for).
    const bool new_pass = now.last_attempt_ms != before_.last_attempt_ms;
    if (now.running) {
        if (new_pass) state_ = State::Running;
        return;
    }
    if (!new_pass) return;   // the asked-for pass has not started yet
    pending_after_ = now.pending;
    sent_ = std::max(0, before_.pending - now.pending);
    catalog_updated_ = now.catalog_changes != before_.catalog_changes;
    error_ = now.last_error;
    state_ = error_.empty() ? State::Done : State::Failed;
}

}  // namespace kyodo::app
