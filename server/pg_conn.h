// A PostgreSQL connection of its own for a dashboard-side store (the talent bank, group
// registration, item requests: server/*_storage_pg.cpp):
// deciding is a staff member's click, never the push path, so it does not share the push
// path's connections. Reconnects when the server went away; exec/script throw StorageError
// (prefixed with `what`), tx() rolls back on any exception. Not thread-safe: the caller holds
// its own mutex around every use.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "server/storage.h"

namespace kyodo::server::pgc {

class Res {
public:
    explicit Res(PGresult* r) : r_(r) {}
    ~Res() { PQclear(r_); }
    Res(const Res&) = delete;
    Res& operator=(const Res&) = delete;
    int rows() const { return PQntuples(r_); }
    bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
    }
    std::int64_t i64(int row, int col) const { return std::stoll(text(row, col)); }
    std::int64_t affected() const {
        const char* n = PQcmdTuples(r_);
        return n && *n ? std::stoll(n) : 0;
    }

private:
    PGresult* r_;
};

class Conn {
public:
    Conn(std::string url, std::string what) : url_(std::move(url)), what_(std::move(what)) { connect(); }
    ~Conn() { PQfinish(c_); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    Res exec(const char* sql, std::initializer_list<std::string> params = {}) {
        std::vector<const char*> v;
        for (const auto& p : params) v.push_back(p.c_str());
        PGresult* r = PQexecParams(c_, sql, static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0);
        check(r, sql);
        return Res(r);
    }
    void script(const char* sql) {
        PGresult* r = PQexec(c_, sql);
        check(r, sql);
        PQclear(r);
    }
    // Reconnects first when the connection was lost (a read outside tx() calls it too).
    void ensure() {
        if (c_ && PQstatus(c_) == CONNECTION_OK) return;
        if (c_) {
            PQreset(c_);
            if (PQstatus(c_) == CONNECTION_OK) return;
            PQfinish(c_);
            c_ = nullptr;
        }
        connect();
    }
    template <class F>
    void tx(F&& fn) {
        ensure();
        script("BEGIN");
        try {
            fn();
            script("COMMIT");
        } catch (...) {
            PQclear(PQexec(c_, "ROLLBACK"));
            throw;
        }
    }

private:
    void connect() {
        c_ = PQconnectdb(url_.c_str());
        if (!c_ || PQstatus(c_) != CONNECTION_OK) {
            std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
            PQfinish(c_);
            c_ = nullptr;
            throw StorageError(what_ + ": cannot connect to PostgreSQL: " + msg);
        }
        PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
        PQclear(PQexec(c_, "SET client_encoding = 'UTF8'"));
    }
    void check(PGresult* r, const char* sql) {
        const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
        PQclear(r);
        throw StorageError(what_ + ": postgresql: " + msg + " (in: " + std::string(sql).substr(0, 80) + ")");
    }

    std::string url_, what_;
    PGconn* c_ = nullptr;
};

}  // namespace kyodo::server::pgc
