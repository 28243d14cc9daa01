// The sync bundle (docs/bundle.md): when the network is down for days, staff export the
// kiosk's pending records to a folder (a USB stick) and city hall imports the file.
//   {"format":"kyodo-bundle/1","kiosk_id":…,"centre_id":…,"created_at":…,
//    "records":[ each pending record exactly as sent in POST /api/v1/records ]}
// Written atomically: a temporary file in the same folder, fsync, rename, fsync of the
// folder — a stick pulled out mid-write leaves either no bundle or a whole one. The records
// stay pending: the server answers "duplicate" when the same ones later arrive by network.
#pragma once

#include <cstdint>
#include <string>

#include "core/store.h"

namespace kyodo::app {

inline constexpr const char* kBundleFormat = "kyodo-bundle/1";

struct BundleResult {
    bool ok = false;
    std::string path;        // the file written
    int records = 0;
    std::int64_t bytes = 0;
    std::string error;       // plain words when !ok
};

// File name: kyodo-bundle-<kiosk_id>-<YYYYMMDDTHHMMSSZ>.json.
BundleResult export_bundle(const KioskStore& store, const std::string& kiosk_id, const std::string& centre_id,
                           const std::string& folder, std::int64_t now_unix_ms);

}  // namespace kyodo::app
