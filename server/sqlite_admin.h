// The SQLite half of AdminStorage (server/storage.h), kept out of sqlite_storage.cpp: it
// shares that file's connection and mutex, and keeps its own tables (created if missing,
// versioned in the table admin_schema, independent of the records schema's user_version).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>

#include "server/notices.h"
#include "server/storage.h"

namespace kyodo::server {

// `db` is used only while holding `mu` (the connection's mutex in SqliteStorage); `read_db`, a
// read-only connection to the same file, only while holding `read_mu`: the dashboard's long
// reads (record lists, counts, sessions) go there and never hold up the writer.
std::unique_ptr<AdminStorage> make_sqlite_admin(sqlite3* db, std::mutex& mu, sqlite3* read_db, std::mutex& read_mu);
// The notice outbox on the same connection (its table is the admin schema's migration 2, so
// make_sqlite_admin must have run first).
std::unique_ptr<NoticeStorage> make_sqlite_notices(sqlite3* db, std::mutex& mu);

// Queueing inside a caller's transaction (the caller holds the mutex). Each returns how many
// notices were new (see server/notices.h for the rules and dedupe keys).
int sqlite_insert_notice(sqlite3* db, const Notice& n);
// One notice for one record, if its resident wants notices.
int sqlite_queue_record_notice(sqlite3* db, const std::string& record_id, const std::string& kind, const Json& detail,
                               const std::string& now, const std::string& dedupe_suffix = "");
// One notice for each live sign-up (confirmed or waitlisted) of an activity that wants them.
int sqlite_queue_activity_notices(sqlite3* db, const std::string& activity_id, const std::string& kind,
                                  const Json& detail, const std::string& now, const std::string& dedupe_suffix);

}  // namespace kyodo::server
