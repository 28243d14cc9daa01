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
#include <utility>

namespace kyodo::sync {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
    // "kiosk.json: field \"token\": missing" — what() names the file and the field.
    ConfigError(std::string file_, std::string field_, const std::string& problem)
        : std::runtime_error(file_ + ": " + (field_.empty() ? "" : "field \"" + field_ + "\": ") +
                             problem),
          file(std::move(file_)), field(std::move(field_)) {}
    std::string file;    // the config file
    std::string field;   // the field at fault, "" when the whole file is (unreadable, not JSON)
};

struct KioskConfig {
    std::string kiosk_id;
    std::string centre_id;
    std::string server_url;            // http://127.0.0.1:8080 (tests) or https://…
    std::string public_base_url;       // the server's public pages (QR codes); "" = server_url
    std::string token;                 // device token from enrolment
    std::string ca_file;               // PEM CA to verify the server's certificate; empty = system CAs
    std::string city_hall_public_key;  // base64 X25519 key used to seal personal data
    std::string db_path = "kiosk.db";
    int sync_interval_s = 60;
    int idle_reset_s = 60;
    int retention_days = 30;
    std::string app_version = "0.1.0";
    // Places confirmed on the spot: the kiosk stops using a lease this long before the end
    // it computed on its own clock (clock drift while offline, a slow answer).
    int lease_margin_s = 600;

    // Throws ConfigError naming the file and the field that is missing or wrong.
    // Required: kiosk_id, centre_id ([A-Za-z0-9_.-], 1..64), server_url (http:// or
    // https://), token, city_hall_public_key. The rest have the defaults above; unknown
    // fields are ignored (newer enrolment tools may add some).
    static KioskConfig load(const std::string& path);
    void save(const std::string& path) const;   // written atomically (tmp + rename)
};

}  // namespace kyodo::sync
