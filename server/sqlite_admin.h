// The SQLite half of AdminStorage (server/storage.h), kept out of sqlite_storage.cpp: it
// shares that file's connection and mutex, and keeps its own tables (created if missing,
// versioned in the table admin_schema, independent of the records schema's user_version).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>

#include "server/storage.h"

namespace kyodo::server {

// `db` is used only while holding `mu` (the connection's mutex in SqliteStorage).
std::unique_ptr<AdminStorage> make_sqlite_admin(sqlite3* db, std::mutex& mu);

}  // namespace kyodo::server
