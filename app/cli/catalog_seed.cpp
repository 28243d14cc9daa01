#include "app/cli/catalog_seed.h"

#include <cstdio>
#include <fstream>

#include "core/codec.h"
#include "core/ruby.h"

namespace kyodo::app::cli {

// The sample catalog goes into an empty demo/screenshot database so there is something
// to show without a server.
void seed_catalog_if_empty(KioskStore& store, const std::string& assets) {
    if (store.catalog_version() > 0 || store.search(SearchQuery{}).total > 0) return;
    std::string path = assets + "/catalog/sample_catalog.json";
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "kyodo-kiosk: the catalog is empty and %s is missing\n", path.c_str());
        return;
    }
    try {
        store.apply_catalog(catalog_from_json(Json::parse(in)));
        std::fprintf(stderr, "kyodo-kiosk: loaded the sample catalog into %s\n", store.path().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kyodo-kiosk: %s: %s\n", path.c_str(), e.what());
    }
}

// --bench-frames: the busiest screen needs a big catalog. Copies of the sample activities
// (new ids, numbered titles) until there are `n`.
void seed_bench_catalog(KioskStore& store, const std::string& assets, int n) {
    if (store.search(SearchQuery{}).total >= n) return;
    std::ifstream in(assets + "/catalog/sample_catalog.json");
    if (!in) return;
    CatalogDelta base = catalog_from_json(Json::parse(in));
    CatalogDelta d = base;
    d.activities.clear();
    d.version = store.catalog_version() + 1;
    // Listings only: slots and items are not on the busy screens (docs/lending.md).
    std::erase_if(base.activities, [](const Activity& a) { return !is_listing(a.kind); });
    if (base.activities.empty()) return;
    for (int i = 0; static_cast<int>(d.activities.size()) < n; ++i) {
        Activity a = base.activities[static_cast<std::size_t>(i) % base.activities.size()];
        a.id = a.id + "-b" + std::to_string(i);
        a.title = a.title + " " + std::to_string(i + 1);
        // The title's readings follow it (else they are stale and not drawn: --furigana on).
        Furigana fu = furigana_of(a);
        if (!fu.title.empty()) fu.title += " " + std::to_string(i + 1);
        set_furigana(a, fu);
        d.activities.push_back(std::move(a));
    }
    store.apply_catalog(d);
}

}  // namespace kyodo::app::cli
