// Shared by the libFuzzer targets (tests/fuzz): a fixed city-hall key pair (so the seeds'
// sealed personal parts open, and the fuzzer reaches the code behind the seal), a private
// temp folder removed at exit, and a server storage with a small catalog and kiosk "k1".
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/seal.h"
#include "server/log.h"
#include "server/storage.h"
#include "tests/server/server_test_util.h"

namespace kyodo::fuzz {

// Made once with generate_keypair() for these targets only (the seeds' "sealed" fields are
// sealed to it). Never a real city hall's key.
inline const KeyPair& keys() {
    static const KeyPair k = [] {
        crypto_init();
        server::set_log_enabled(false);
        return KeyPair{"HgyeMtAScOsolUAWaFTn6fE/cNK1WJ3f0w2DpizQoQ0=", "jO2zlT5RSRR5NHNMXsc7J+QSbMIxn9LwV61/jnJsJHE="};
    }();
    return k;
}

inline const std::filesystem::path& temp_dir() {
    static const std::filesystem::path dir = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kyodo-fuzz-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) std::abort();
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(temp_dir(), ec);
        });
        return std::filesystem::path(tmpl);
    }();
    return dir;
}

// A SQLite server storage with server_test_util's small catalog and kiosk "k1" enrolled
// (its token returned through `token`). Made once per process.
inline server::Storage& storage(std::string* token = nullptr) {
    static std::string tok;
    static const std::unique_ptr<server::Storage> st = [] {
        auto s = server::open_sqlite_storage((temp_dir() / "server.db").string());
        s->import_catalog(server::testing::small_catalog());
        tok = random_token(32);
        s->enrol_device("k1", "ohdono", sha256_hex(tok), "2026-11-22T00:00:00Z");
        return s;
    }();
    if (token) *token = tok;
    return *st;
}

}  // namespace kyodo::fuzz
