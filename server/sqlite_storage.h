// What the SQLite engine (server/sqlite_storage.cpp) offers beyond server/storage.h: its WAL
// checkpoint limits and figures (server/wal_checkpointer.h), for tests and the ingest bench.
#pragma once

#include <memory>
#include <string>

#include "server/storage.h"
#include "server/wal_checkpointer.h"

namespace kyodo::server {

// open_sqlite_storage(path) with these limits (it uses WalLimits{}).
std::unique_ptr<Storage> open_sqlite_storage(const std::string& path, const WalLimits& wal);

// The checkpoints of an engine opened by open_sqlite_storage (all zero for an in-memory
// database, or another engine).
WalCheckpointStats wal_checkpoint_stats(Storage& storage);

}  // namespace kyodo::server
