// Shared by the UI suites: a throwaway kiosk database filled with the sample catalog, and
// the record-making fixture the model suites (forms, flows) submit through.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "app/model/forms.h"
#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"

namespace kyodo::test {

inline std::string temp_dir(const std::string& name) {
    auto dir = std::filesystem::path(KYODO_BINARY_DIR) / "tmp" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

inline CatalogDelta sample_catalog() {
    std::ifstream in(std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json");
    return catalog_from_json(Json::parse(in));
}

struct SampleStore {
    std::string dir;
    std::unique_ptr<KioskStore> store;
    explicit SampleStore(const std::string& name) : dir(temp_dir(name)) {
        store = std::make_unique<KioskStore>(dir + "/kiosk.db");
        store->apply_catalog(sample_catalog());
    }
};

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A kiosk without a screen: the sample store, a fresh city-hall key pair and the submit
// context records are made with (ui_model, ui_flows).
struct ModelKiosk {
    SampleStore s;
    KeyPair keys;
    app::SubmitContext ctx;
    ModelKiosk(const std::string& name, const std::string& centre) : s(name) {
        crypto_init();
        keys = generate_keypair();
        ctx.store = s.store.get();
        ctx.kiosk_id = "test-kiosk";
        ctx.centre_id = centre;
        ctx.city_hall_public_key = keys.public_key_b64;
    }
    // An activity that takes sign-ups (places left), else the first one.
    Activity some_activity() const {
        SearchQuery q;
        q.only_open_places = true;
        for (const auto& a : s.store->search(q).items)
            if (a.capacity > 0) return a;
        return s.store->search(SearchQuery{}).items.front();
    }
    std::vector<OutboxEntry> outbox() const { return s.store->recent(100); }
    // Everything the database holds on disk (main file and WAL): what a thief would read.
    std::string db_bytes() const { return read_bytes(s.store->path()) + read_bytes(s.store->path() + "-wal"); }
};

}  // namespace kyodo::test
