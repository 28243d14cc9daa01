// Shared by the UI suites: a throwaway kiosk database filled with the sample catalog.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

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

}  // namespace kyodo::test
