// Catalogs the kiosk makes for itself: the sample catalog in an empty demo database, and a
// big one for --bench-frames.
#pragma once

#include <string>

#include "core/store.h"

namespace kyodo::app::cli {

void seed_catalog_if_empty(KioskStore& store, const std::string& assets);
void seed_bench_catalog(KioskStore& store, const std::string& assets, int n);

}  // namespace kyodo::app::cli
