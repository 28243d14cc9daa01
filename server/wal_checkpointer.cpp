// See wal_checkpointer.h.
#include "server/wal_checkpointer.h"

#include <algorithm>

#include "server/storage.h"

namespace kyodo::server {

WalCheckpointer::WalCheckpointer(sqlite3* writer, const std::string& path, WalLimits limits)
    : writer_(writer), limits_(limits) {
    limits_.background_pages = std::max(1, limits_.background_pages);
    limits_.max_pages = std::max(limits_.background_pages, limits_.max_pages);
    if (sqlite3_open_v2(path.c_str(), &own_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string msg = own_ ? sqlite3_errmsg(own_) : "out of memory";
        sqlite3_close(own_);
        throw StorageError("cannot open " + path + " for checkpoints: " + msg);
    }
    // A first read opens this connection's view of the WAL (a checkpoint on a connection
    // that never read the file would find no WAL to copy).
    if (sqlite3_exec(own_, "PRAGMA synchronous=FULL; SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
        const std::string msg = sqlite3_errmsg(own_);
        sqlite3_close(own_);
        throw StorageError("cannot read " + path + " for checkpoints: " + msg);
    }
    // When a writer starts the WAL over, a longer file is cut back to the bound.
    sqlite3_stmt* st = nullptr;
    std::int64_t page_size = 4096;
    if (sqlite3_prepare_v2(writer_, "PRAGMA page_size", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        page_size = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    const std::string limit =
        "PRAGMA journal_size_limit=" + std::to_string(page_size * static_cast<std::int64_t>(limits_.max_pages));
    sqlite3_exec(writer_, limit.c_str(), nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { run(); });
    // Replaces the writer's auto-checkpoint (which is itself a WAL hook).
    sqlite3_wal_hook(writer_, &WalCheckpointer::after_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
    sqlite3_wal_autocheckpoint(writer_, 1000);   // SQLite's default again (removes our hook)
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    sqlite3_close(own_);
}

WalCheckpointStats WalCheckpointer::stats() const {
    std::lock_guard lk(mu_);
    return stats_;
}

// Called by SQLite on the writer's thread, after each commit is durable, with the WAL's
// length in pages.
int WalCheckpointer::after_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
    auto& me = *static_cast<WalCheckpointer*>(self);
    {
        std::lock_guard lk(me.mu_);
        me.stats_.longest_wal = std::max(me.stats_.longest_wal, wal_pages);
    }
    if (wal_pages >= me.limits_.max_pages) {
        std::lock_guard ck(me.checkpoint_mu_);   // after a background pass in progress
        // Errors (another process checkpointing, a reader on an old snapshot) leave the WAL
        // as it is; the next commit tries again. The commit itself has succeeded.
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        std::lock_guard lk(me.mu_);
        ++me.stats_.inline_;
    } else if (wal_pages >= me.limits_.background_pages) {
        {
            std::lock_guard lk(me.mu_);
            me.wake_ = true;
        }
        me.cv_.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run() {
    std::unique_lock lk(mu_);
    for (;;) {
        cv_.wait(lk, [this] { return wake_ || stop_; });
        if (stop_) return;
        wake_ = false;
        lk.unlock();
        {
            std::lock_guard ck(checkpoint_mu_);
            sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        lk.lock();
        ++stats_.background;
    }
}

}  // namespace kyodo::server
