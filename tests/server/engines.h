// The two storage engines as test fixtures: a SQLite file in a temporary directory, and a
// schema of its own on the tests' PostgreSQL (skipped when there is none, unless CI is set:
// pg_test_util.h). A suite runs a TEST_CASE_TEMPLATE over both.
#pragma once

#include <memory>
#include <string>

#include "pg_test_util.h"
#include "server_test_util.h"

namespace kyodo::server::testing {

struct SqliteEngine {
    TempDir dir;
    bool ok = true;
    std::string spec() const { return dir / "server.db"; }
};

struct PgEngine {
    std::unique_ptr<PgSchema> schema;
    bool ok = false;
    PgEngine() {
        const std::string base = pg_base_url_or_skip();
        if (base.empty()) return;
        schema = std::make_unique<PgSchema>(base);
        ok = true;
    }
    std::string spec() const { return schema->url(); }
};

}  // namespace kyodo::server::testing
