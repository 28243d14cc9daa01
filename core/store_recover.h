// A kiosk database damaged on disk (a failing SD card, a power cut on storage that lies about
// flushes) is found at start, before the kiosk uses it: check_kiosk_store() runs SQLite's
// quick_check on the file; a file that fails it, or is not a database at all, is moved aside
// (kiosk.db → kiosk.db.damaged-<UTC>, with its -wal and -shm), a fresh database is made in its
// place, and what can still be read of the old one is copied over: every outbox row that reads
// back whole (records not yet delivered are sent again; the server's idempotency makes a resend
// of a delivered one harmless) and the settings (staff PIN, display settings), except the
// catalog's ETag (the catalog is pulled again in full). Staff are told through a setting that
// staff mode shows and a line on stderr. core/ only: no GUI.
#pragma once

#include <string>

namespace kyodo {

// The setting staff mode shows while it is not empty (Japanese, English in parentheses).
inline constexpr const char* kStoreRecoverySetting = "store.recovery";

struct StoreRecovery {
    bool damaged = false;        // the check failed and the file was replaced
    std::string problem;         // what SQLite said ("database disk image is malformed", …)
    std::string moved_to;        // where the damaged file is now
    int outbox_kept = 0;         // outbox rows copied to the new database
    int pending_kept = 0;        //   of which still to send
    int outbox_lost = 0;         // rows (or runs of rows) that could not be read or decoded
    int settings_kept = 0;
    std::string staff_message() const;
};

// Checks the kiosk database at `path` (nothing to do when it does not exist) and replaces
// it as above when damaged. Call before opening a KioskStore on it, with no other process
// using it. Throws StoreError only when the new database cannot be made.
StoreRecovery check_kiosk_store(const std::string& path);

}  // namespace kyodo
