// WAL checkpoints of the SQLite engine, moved off the commit path.
//
// SQLite's default (wal_autocheckpoint=1000) makes the commit that leaves the WAL at 1,000
// pages or more copy the WAL back into the database file and fsync it, inside that commit:
// on the 50-kiosk ingest bench that was ~40 % of the writer's COMMIT time, and every push of
// the group waited for it (docs/performance.md "Server ingest", 2026-12-07).
//
// A WalCheckpointer takes that over for one writing connection:
//  - the writer's auto-checkpoint is off; a hook after each of its commits looks at the WAL's
//    length (in pages) and, from `background_pages` on, wakes a thread that runs PASSIVE
//    checkpoints on a connection of its own (same file, synchronous=FULL). PASSIVE never
//    waits for the writer nor blocks it: it copies the frames committed so far while the
//    writer goes on with the next group.
//  - the bound: a commit that leaves the WAL at `max_pages` or more checkpoints itself,
//    before its pushes are answered (after waiting for a background pass in progress, which
//    has then copied most of the frames already). A writer that checkpoints between its
//    transactions lets the next one start the WAL over from its beginning, and the file is
//    truncated to `max_pages` when it is longer (journal_size_limit). Under a continuous
//    stream of groups the background passes alone never catch up between two transactions,
//    so this is what keeps the WAL (and every reader's look-ups in it) bounded.
//
// Durability is unchanged: a commit is durable when its WAL frames are synced (WAL +
// synchronous=FULL, at commit, as before); a checkpoint only copies committed frames into the
// database file. A process killed during a checkpoint leaves the WAL in place, and the next
// open replays it (tests/server/storage_test.cpp kills a writer while checkpoints run).
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace kyodo::server {

// When the WAL is checkpointed, in pages (4 KiB each by default). background_pages <= 0:
// no WalCheckpointer, SQLite's own auto-checkpoint inside the commit (as before 2026-12-07;
// the ingest bench's --autocheckpoint, to compare the two in one binary).
struct WalLimits {
    int background_pages = 1000;   // from this WAL length on, a commit wakes the background pass
    int max_pages = 8000;          // from this length on, the commit checkpoints itself (the bound)
};

struct WalCheckpointStats {
    std::uint64_t background = 0;   // background passes run
    std::uint64_t inline_ = 0;      // checkpoints a commit ran itself (the WAL reached max_pages)
    int longest_wal = 0;            // the longest WAL (pages) a commit left, since opening
};

class WalCheckpointer {
public:
    // `writer` is an open connection to the database file `path` in WAL mode. Throws
    // StorageError when the checkpointer's own connection cannot be opened.
    WalCheckpointer(sqlite3* writer, const std::string& path, WalLimits limits);
    // Stops the thread and gives the writer back SQLite's default auto-checkpoint. Destroy
    // it before closing the writer.
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    WalCheckpointStats stats() const;

private:
    static int after_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
    void run();

    sqlite3* writer_;
    sqlite3* own_ = nullptr;        // the background passes' connection
    WalLimits limits_;
    std::mutex checkpoint_mu_;      // one checkpoint at a time (background or the writer's)
    mutable std::mutex mu_;         // wake_, stop_ and the stats
    std::condition_variable cv_;
    bool wake_ = false;
    bool stop_ = false;
    WalCheckpointStats stats_;
    std::thread thread_;
};

}  // namespace kyodo::server
