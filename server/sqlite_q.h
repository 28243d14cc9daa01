// Small helpers for the SQLite halves of the dashboard's stores (server/items_storage_sqlite.cpp
// …) that share SqliteStorage's connection and mutex: a prepared statement, a script, and a
// write transaction (BEGIN IMMEDIATE, rolled back unless committed). Errors are StorageError.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "server/storage.h"

namespace kyodo::server::sqlq {

class Q {
public:
    Q(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
            throw StorageError(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
    }
    ~Q() { sqlite3_finalize(st_); }
    Q(const Q&) = delete;
    Q& operator=(const Q&) = delete;
    Q& bind(int i, const std::string& s) {
        sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Q& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(st_, i, v);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StorageError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    void run() {
        while (step()) {
        }
    }
    std::string text(int c) const {
        const auto* p = sqlite3_column_text(st_, c);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, c)))
                 : std::string();
    }
    std::int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

inline void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        throw StorageError("sqlite: " + msg);
    }
}

struct Tx {
    sqlite3* db;
    bool done = false;
    explicit Tx(sqlite3* d) : db(d) { exec(db, "BEGIN IMMEDIATE"); }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
        exec(db, "COMMIT");
        done = true;
    }
    ~Tx() {
        if (!done) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
};

}  // namespace kyodo::server::sqlq
