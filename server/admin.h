// Data-directory and enrolment operations behind the kyodo-server CLI (server/main.cpp),
// kept in the library so tests and benchmarks use exactly what the CLI does.
//
// A data directory holds:
//   server.db        the SQLite database (server/sqlite_storage.cpp)
//   city_hall.key    the city-hall X25519 key pair as JSON, mode 0600:
//                    {"public_key": "base64", "secret_key": "base64", "created_at": "…"}
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "core/seal.h"
#include "server/storage.h"

namespace kyodo::server {

struct AdminError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string db_path(const std::string& data_dir);
std::string key_path(const std::string& data_dir);

// Reads DIR/city_hall.key. Throws AdminError naming the file when missing or malformed.
KeyPair load_keys(const std::string& data_dir);

struct InitResult {
    bool created_dir = false;
    bool created_keys = false;
    bool imported_catalog = false;
    std::int64_t catalog_version = 0;
};
// Creates DIR (0700), server.db and the key pair if missing (never overwrites a key), and
// imports `catalog_file` (if not empty) when the catalog is still empty. Idempotent.
// `db_spec` (open_storage) names another database instead of DIR/server.db, e.g. PostgreSQL.
InitResult init_data_dir(const std::string& data_dir, const std::string& catalog_file = "",
                         const std::string& db_spec = "");

// Reads and decodes a catalog JSON file (assets/catalog/*.json format). Throws AdminError.
CatalogDelta read_catalog_file(const std::string& path);

// True for ids of 1..64 characters of [A-Za-z0-9_.-] (kiosk and centre ids).
bool is_valid_id(const std::string& id);

// Enrols (or re-enrols) a kiosk and returns its new token; only sha256_hex(token) is stored.
std::string enrol_kiosk(Storage& storage, const std::string& kiosk_id, const std::string& centre_id);

// kiosk.json as kyodo::sync::KioskConfig reads it.
Json kiosk_config_json(const std::string& kiosk_id, const std::string& centre_id,
                       const std::string& server_url, const std::string& token,
                       const std::string& public_key_b64, const std::string& db_path);

// Writes `content` to `path` atomically (temp file + fsync + rename) with the given mode.
void write_file_atomic(const std::string& path, const std::string& content, unsigned mode);

}  // namespace kyodo::server
