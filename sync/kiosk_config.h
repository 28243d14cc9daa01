// A kiosk's configuration file (kiosk.json), written at enrolment and read by the kiosk
// and by `kyodo-sync`. Example:
// { "kiosk_id": "ohdono-1", "centre_id": "ohdono",
//   "server_url": "https://cityhall.example:8443", "token": "…", "ca_file": "/etc/kyodo/ca.pem",
//   "city_hall_public_key": "base64…", "db_path": "/var/lib/kyodo/kiosk.db",
//   "sync_interval_s": 60, "idle_reset_s": 60, "retention_days": 30 }
// Relative paths are resolved against the directory holding the file.
#pragma once

#include <stdexcept>
#include <string>

namespace kyodo::sync {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct KioskConfig {
    std::string kiosk_id;
    std::string centre_id;
    std::string server_url;            // http://127.0.0.1:8080 (tests) or https://…
    std::string token;                 // device token from enrolment
    std::string ca_file;               // PEM CA to verify the server's certificate; empty = system CAs
    std::string city_hall_public_key;  // base64 X25519 key used to seal personal data
    std::string db_path = "kiosk.db";
    int sync_interval_s = 60;
    int idle_reset_s = 60;
    int retention_days = 30;
    std::string app_version = "0.1.0";

    // Throws ConfigError naming the file and the field that is missing or wrong.
    static KioskConfig load(const std::string& path);
    void save(const std::string& path) const;   // written atomically (tmp + rename)
};

}  // namespace kyodo::sync
