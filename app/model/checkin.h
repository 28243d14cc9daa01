// Staff mode's 受付 (check-in at the venue, issue 10 point 4): today's activities of the centre
// from the rosters the kiosk keeps (KioskStore::rosters, pulled by the sync engine, so it
// works offline), the roster of the one picked, and ticks by tapping a row or by typing the
// receipt number the resident shows. Each tick is an `attendance` record in the outbox and is
// shown ticked at once. Plain data and the store; no ImGui.
#pragma once

#include <string>
#include <vector>

#include "core/store.h"

namespace kyodo::app {

class CheckinDesk {
public:
    enum class Typed { Ticked, AlreadyTicked, NotFound, Incomplete, Failed };

    std::vector<RosterActivity> activities;   // today's, in start order
    std::string activity_id;                  // the one picked ("" = none)
    std::string typed;                        // receipt characters typed (no dash), at most 8
    std::string last_receipt;                 // the receipt of the last typed tick (for the message)
    Typed last = Typed::Incomplete;
    bool shown_result = false;                // a typed result is showing
    std::string error;                        // store error of the last tick ("" = none)

    // Reads today's rosters from the store (keeps the pick when it is still there, else picks
    // the first).
    void load(const KioskStore& store, const std::string& today);
    const RosterActivity* current() const;
    void pick(const std::string& id) {
        activity_id = id;
        clear_typed();
    }

    // Taps a row: ticks it, or takes a tick back. False (and error set) when the store failed.
    bool toggle(KioskStore& store, const std::string& kiosk_id, const std::string& centre_id,
                const std::string& signup_id);

    // The receipt pad: Crockford characters (0-9, A-Z without I L O U), typed case-insensitively.
    static const char* keys() { return "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; }
    void press(char c);
    void backspace();
    void clear_typed() {
        typed.clear();
        shown_result = false;
    }
    // "7KQ3-M9" for display.
    std::string typed_display() const;
    // Ticks the current activity's row with the typed receipt (the pad's 受付 key).
    Typed tick_typed(KioskStore& store, const std::string& kiosk_id, const std::string& centre_id);

    // People (party sizes) of confirmed rows, and of those ticked.
    int expected() const;
    int arrived() const;

    void reset() {
        activities.clear();
        activity_id.clear();
        clear_typed();
        last_receipt.clear();
        error.clear();
    }
};

}  // namespace kyodo::app
