// PostgreSQL for the server suites: the database scripts/test.sh starts ($KYODO_PG_URL), a
// fresh schema per test so runs (and suites running in parallel) never see each other's
// rows, and the rule for when it is missing: a clear failure under CI, a skip otherwise.
#pragma once

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace kyodo::server::testing {

// $KYODO_PG_URL, or "" after failing the test (CI set) or noting the skip (CI unset).
inline std::string pg_base_url_or_skip() {
    const char* url = std::getenv("KYODO_PG_URL");
    if (url && *url) return url;
    if (const char* ci = std::getenv("CI"); ci && *ci)
        FAIL("KYODO_PG_URL is not set, so the PostgreSQL storage tests cannot run; under CI they must. "
             "Run them through scripts/test.sh, which starts a throwaway PostgreSQL, or export "
             "KYODO_PG_URL=postgresql://kyodo@127.0.0.1:PORT/kyodo_test (scripts/start-postgres.sh prints it).");
    MESSAGE("skipped on PostgreSQL: KYODO_PG_URL is not set (scripts/test.sh sets it; "
            "scripts/start-postgres.sh DIR PORT starts one)");
    return "";
}

// One admin connection for setting up and tearing down schemas. Throws on failure.
class PgAdmin {
public:
    explicit PgAdmin(const std::string& url) : c_(PQconnectdb(url.c_str())) {
        if (PQstatus(c_) != CONNECTION_OK) {
            const std::string msg = PQerrorMessage(c_);
            PQfinish(c_);
            c_ = nullptr;
            throw std::runtime_error("cannot connect to " + url + ": " + msg);
        }
        PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
    }
    ~PgAdmin() { PQfinish(c_); }
    PgAdmin(const PgAdmin&) = delete;
    PgAdmin& operator=(const PgAdmin&) = delete;

    std::string quote_ident(const std::string& name) {
        char* q = PQescapeIdentifier(c_, name.data(), name.size());
        if (!q) throw std::runtime_error(PQerrorMessage(c_));
        std::string out(q);
        PQfreemem(q);
        return out;
    }

    // Runs `sql` with text parameters; returns the first column of every row.
    std::vector<std::string> query(const std::string& sql, const std::vector<std::string>& params = {}) {
        std::vector<const char*> v;
        for (const auto& p : params) v.push_back(p.c_str());
        PGresult* r = PQexecParams(c_, sql.c_str(), static_cast<int>(v.size()), nullptr, v.data(), nullptr,
                                   nullptr, 0);
        const ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            const std::string msg = PQresultErrorMessage(r);
            PQclear(r);
            throw std::runtime_error(sql + ": " + msg);
        }
        std::vector<std::string> out;
        for (int i = 0; i < PQntuples(r); ++i)
            out.emplace_back(PQnfields(r) > 0 ? PQgetvalue(r, i, 0) : "");
        PQclear(r);
        return out;
    }

private:
    PGconn* c_;
};

// A schema of its own in the test database, dropped (with everything in it) at the end.
// url() connects with search_path set to it, so the server's tables land there.
class PgSchema {
public:
    explicit PgSchema(std::string base_url) : base_(std::move(base_url)) {
        static std::atomic<int> counter{0};
        std::random_device rd;
        name_ = "kyodo_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                std::to_string(rd() % 100000);
        PgAdmin admin(base_);
        admin.query("CREATE SCHEMA " + admin.quote_ident(name_));
    }
    ~PgSchema() {
        try {
            PgAdmin admin(base_);
            admin.query("DROP SCHEMA IF EXISTS " + admin.quote_ident(name_) + " CASCADE");
        } catch (...) {
        }
    }
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;

    const std::string& name() const { return name_; }
    const std::string& base_url() const { return base_; }
    // libpq URI parameters: options=-csearch_path=NAME (percent-encoded '='), and an
    // application_name tests can find the server's connections by.
    std::string url() const {
        return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_ +
               "&application_name=" + name_;
    }

private:
    std::string base_, name_;
};

}  // namespace kyodo::server::testing
