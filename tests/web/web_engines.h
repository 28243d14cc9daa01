// One WebServer per storage engine: SQLite (a temp file) always, PostgreSQL when $KYODO_PG_URL
// is set (a schema of its own; skipped when unset unless CI: ../server/pg_test_util.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../server/pg_test_util.h"
#include "web_test_util.h"

namespace kyodo::web_test {

struct Engine {
    std::string name;
    std::unique_ptr<server::testing::PgSchema> schema;
    std::unique_ptr<WebServer> s;
};

inline std::vector<Engine> engines() {
    std::vector<Engine> out;
    out.push_back(Engine{"sqlite", nullptr, std::make_unique<WebServer>()});
    const std::string url = server::testing::pg_base_url_or_skip();
    if (!url.empty()) {
        Engine e{"postgresql", std::make_unique<server::testing::PgSchema>(url), nullptr};
        e.s = std::make_unique<WebServer>(e.schema->url());
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace kyodo::web_test
