// The kiosk store's schema history (internal to core/). Forward-only: a shipped step is
// never edited, only followed by a new one, because kiosks in the field may be at any
// earlier version and upgrade by replaying the steps after their PRAGMA user_version.
#pragma once

#include <vector>

namespace kyodo::detail {

struct Migration {
    int version;       // user_version after this step
    const char* sql;   // one or more statements, run inside the step's transaction
    // Rebuild every activity's rows and search index from its stored JSON after the SQL, in
    // the same transaction (the index's content changed: store.cpp search_body).
    bool reindex_activities = false;
};

const std::vector<Migration>& kiosk_migrations();

}  // namespace kyodo::detail
