// Staff mode's model (issue 3 §6): the PIN that guards it, the PIN pad, the long press that
// opens it, and what it shows (queued records, sync, health). Plain data and the kiosk's
// store; no ImGui.
//
// PIN: stored as an Argon2id hash (kyodo::hash_secret) in the store's settings
// ("staff.pin_hash"); 5 wrong tries lock it for 5 minutes. The failure count and the lock's
// end are settings too, so a restart (power cycle) does not reset the lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/model/booking_calendar.h"
#include "app/model/checkin.h"
#include "app/model/sync_feedback.h"
#include "core/store.h"

namespace kyodo::app {

class StaffPin {
public:
    static constexpr int kMaxFailures = 5;
    static constexpr std::int64_t kLockMs = 5 * 60 * 1000;
    static constexpr std::size_t kMinDigits = 4, kMaxDigits = 8;

    enum class Result { Ok, Wrong, Locked, NoPin };

    explicit StaffPin(KioskStore& store) : store_(store) {}

    bool has_pin() const;
    // A PIN is 4–8 ASCII digits.
    static bool valid_pin(const std::string& pin);
    // Stores the hash (replacing any) and clears failures and lock. False if not valid_pin.
    bool set_pin(const std::string& pin);
    // Checks a PIN at wall-clock time now_ms. Counts failures; the 5th locks.
    Result attempt(const std::string& pin, std::int64_t now_ms);
    bool locked(std::int64_t now_ms) const { return locked_until_ms() > now_ms; }
    std::int64_t locked_until_ms() const;
    int failures() const;

private:
    KioskStore& store_;
};

// Digits typed on the PIN pad (never echoed: the screen shows dots).
struct PinEntry {
    std::string digits;
    void press(char d) {
        if (d >= '0' && d <= '9' && digits.size() < StaffPin::kMaxDigits) digits += d;
    }
    void backspace() {
        if (!digits.empty()) digits.pop_back();
    }
    void clear() {
        // Overwrite before letting go: the PIN does not linger in freed memory.
        for (char& c : digits) c = '\0';
        digits.clear();
    }
};

// A press held `hold_s` seconds without moving away fires once (the header title's hidden
// door to staff mode).
class LongPress {
public:
    explicit LongPress(double hold_s = 3.0) : hold_s_(hold_s) {}
    // Call every frame: `down` = the finger is on the target. Returns true once when the
    // hold completes.
    bool update(bool down, double now);
    bool holding() const { return holding_; }
    double progress(double now) const;   // 0..1 while holding
    double remaining(double now) const { return holding_ ? hold_s_ - (now - start_) : -1; }

private:
    double hold_s_;
    double start_ = 0;
    bool holding_ = false, fired_ = false;
};

// What staff mode shows about the kiosk.
struct KioskHealth {
    std::int64_t disk_free_bytes = -1;   // on the database's file system (statvfs)
    std::int64_t disk_total_bytes = -1;
    std::int64_t db_bytes = 0;
    std::string app_version;
    std::string kiosk_id, centre_id, centre_name;
};
KioskHealth read_health(const KioskStore& store, const std::string& app_version, const std::string& kiosk_id,
                        const std::string& centre_id, const std::string& centre_name);
// Free and total bytes of the file system holding `path` (-1 when unknown).
bool disk_space(const std::string& path, std::int64_t* free_bytes, std::int64_t* total_bytes);
// "1.2 GB", "830 MB", "12 KB".
std::string human_bytes(std::int64_t bytes);

}  // namespace kyodo::app

namespace kyodo::app {

// Staff mode's state in the kiosk: closed → PIN pad → unlocked dashboard. Closed (and the
// PIN forgotten) on idle reset.
struct StaffSession {
    bool open = false;            // the PIN pad or the dashboard is showing
    bool unlocked = false;
    PinEntry pin;
    std::string message;          // "wrong PIN", "locked for 4 minutes"
    LongPress door{3.0};          // the header title's long press
    KioskHealth health;
    OutboxCounts counts;
    std::vector<OutboxEntry> rejected;
    std::vector<KioskLease> leases;   // places lent to this kiosk (issue 10 point 2)
    std::vector<KioskBooking> bookings;   // slots booked here, and what became of them (issue 11 point 3)
    std::vector<std::string> export_dirs;   // candidate folders (USB sticks)
    std::string export_dir;       // the chosen one
    std::string export_message;
    bool export_ok = false;
    bool checkin = false;         // the 受付 (check-in) screen is showing instead of the dashboard
    CheckinDesk desk;
    SyncNowFeedback sync_feedback;   // 今すぐ同期: starting, running, then what the pass did

    void close() {
        open = unlocked = checkin = false;
        desk.reset();
        sync_feedback.reset();
        pin.clear();
        message.clear();
        export_message.clear();
        rejected.clear();
        leases.clear();
        bookings.clear();
    }
};

// Folders a USB stick shows up in (/media/<user>/<label>, /run/media/<user>/<label>,
// /mnt/<name>) plus `extra` (the --export-dir flag), existing ones only.
std::vector<std::string> find_export_dirs(const std::vector<std::string>& extra);

}  // namespace kyodo::app
