// The kiosk store's schema history (internal to core/). Forward-only: a shipped step is
// never edited, only followed by a new one, because kiosks in the field may be at any
// earlier version and upgrade by replaying the steps after their PRAGMA user_version.
#pragma once

#include <vector>

namespace kyodo::detail {

struct Migration {
    int version;       // user_version after this step
    const char* sql;   // one or more statements, run inside the step's transaction
};

const std::vector<Migration>& kiosk_migrations();

}  // namespace kyodo::detail
