// 今すぐ同期 (staff mode's "sync now"): what the staff see after the tap. The tap asks the
// sync thread for a pass; a pass can finish before a frame is drawn, so without this the button
// came back as if nothing had happened. From the tap: "starting", then "running" while a pass
// runs, then what the pass did (records sent, catalog updated or not) or its error, until the
// next tap or until staff mode closes. Plain data (the kiosk's sync status comes in as a
// snapshot each frame); no ImGui, no sync/ headers.
#pragma once

#include <cstdint>
#include <string>

namespace kyodo::app {

// The part of the sync status this needs (main copies it from kyodo::sync::SyncStatus).
struct SyncSnapshot {
    bool running = false;
    int pending = 0;                     // records not yet delivered
    std::int64_t last_attempt_ms = 0;    // start of the latest pass
    std::uint64_t catalog_changes = 0;   // increments when a pull changed the catalog
    std::string last_error;              // "" when the last pass went through
};

class SyncNowFeedback {
public:
    enum class State { Idle, Starting, Running, Done, Failed };

    // The tap: remembers where the status stood.
    void requested(const SyncSnapshot& now);
    // Each frame: follows the status to the end of the pass that started after the tap.
    void update(const SyncSnapshot& now);
    void reset() { *this = SyncNowFeedback{}; }

    State state() const { return state_; }
    bool busy() const { return state_ == State::Starting || state_ == State::Running; }
    int sent() const { return sent_; }                       // Done: records delivered by the pass
    int still_pending() const { return pending_after_; }     // Done/Failed: left in the outbox
    bool catalog_updated() const { return catalog_updated_; }
    const std::string& error() const { return error_; }      // Failed

private:
    State state_ = State::Idle;
    SyncSnapshot before_;
    int sent_ = 0, pending_after_ = 0;
    bool catalog_updated_ = false;
    std::string error_;
};

}  // namespace kyodo::app
