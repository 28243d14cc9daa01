// The city-hall dashboard (/admin/…), the public phone pages (/p/…), open data (/open/…) and
// the stylesheet (/static/…), served by the same httplib server as API v1. See
// docs/dashboard.md. Installed next to the API: Api::install(svr); Web::install(svr).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/seal.h"
#include "core/types.h"
#include "server/storage.h"

namespace httplib {
class Server;
}

namespace kyodo::server::web {

struct WebOptions {
    bool secure_cookies = false;      // true when serving over TLS: cookies get Secure
    int session_hours = 8;            // a working day
    Json indicator_targets = Json::array();   // the catalog file's "indicator_targets"
    std::string server_url;           // written into kiosk.json at enrolment from the page
    std::size_t throttle_capacity = 100000;   // keys the failed-attempt table holds (tests shrink it)
    double throttle_time_scale = 1.0;         // multiplies the failed-attempt delays (tests shrink them)
    std::size_t export_cache_bytes = 64u << 20;   // built CSV/JSON exports kept in memory, at most
    int export_cache_max_age_s = 300;             // a kept export is rebuilt after this long anyway
};

class Web {
public:
    Web(Storage& storage, KeyPair keys, WebOptions opts = {});
    ~Web();
    Web(const Web&) = delete;
    Web& operator=(const Web&) = delete;
    void install(httplib::Server& svr);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Creates or updates a staff account (role viewer | editor | admin; password of at least 10
// characters), hashing the password with Argon2id. Throws std::invalid_argument.
// role: department | viewer | editor | admin; a department account needs `department` (担当課)
// and sees only that department's projects in the 実績調査.
void add_staff(Storage& storage, const std::string& user, const std::string& role, const std::string& password,
               const std::string& department = "");

// A sync bundle a kiosk's staff mode wrote to a USB stick (docs/protocol.md, "Sync bundles"):
// {"format":"kyodo-bundle/1","kiosk_id":…,"created_at":…,"records":[…]}. Goes through the same
// ingest path as POST /api/v1/records, so importing it twice (or after the kiosk synced some
// of it over the network) stores each record exactly once. Throws std::invalid_argument
// with a human message for a file that is not a bundle, an unknown or revoked kiosk.
IngestResult import_bundle(Storage& storage, const KeyPair& keys, const std::string& bundle_text);

}  // namespace kyodo::server::web
