#include "sync/kiosk_config.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/seal.h"

namespace kyodo::sync {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}

struct Reader {
    const std::string& file;
    const json& doc;

    std::string str(const char* field, bool required, const std::string& fallback = "") const {
        auto it = doc.find(field);
        if (it == doc.end() || it->is_null()) {
            if (required) throw ConfigError(file, field, "missing (it is required)");
            return fallback;
        }
        if (!it->is_string()) throw ConfigError(file, field, "must be a string");
        std::string v = it->get<std::string>();
        if (required && v.empty()) throw ConfigError(file, field, "is empty (it is required)");
        return v;
    }

    int integer(const char* field, int fallback, int lo, int hi) const {
        auto it = doc.find(field);
        if (it == doc.end() || it->is_null()) return fallback;
        if (!it->is_number_integer())
            throw ConfigError(file, field, "must be a whole number");
        auto v = it->get<long long>();
        if (v < lo || v > hi)
            throw ConfigError(file, field,
                              "is " + std::to_string(v) + "; it must be between " + std::to_string(lo) +
                                  " and " + std::to_string(hi));
        return static_cast<int>(v);
    }
};

std::string resolve(const fs::path& dir, const std::string& p) {
    if (p.empty()) return p;
    fs::path path(p);
    if (path.is_absolute()) return p;
    return (dir / path).lexically_normal().string();
}

}  // namespace

KioskConfig KioskConfig::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path, "", "cannot open the file (does it exist, and may we read it?)");
    std::stringstream ss;
    ss << in.rdbuf();
    json doc;
    try {
        doc = json::parse(ss.str());
    } catch (const json::parse_error& e) {
        throw ConfigError(path, "", std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) throw ConfigError(path, "", "must be a JSON object { … }");

    Reader r{path, doc};
    KioskConfig c;
    c.kiosk_id = r.str("kiosk_id", true);
    if (!is_id(c.kiosk_id))
        throw ConfigError(path, "kiosk_id", "must be 1–64 characters of A–Z a–z 0–9 _ . -");
    c.centre_id = r.str("centre_id", true);
    if (!is_id(c.centre_id))
        throw ConfigError(path, "centre_id", "must be 1–64 characters of A–Z a–z 0–9 _ . -");
    c.server_url = r.str("server_url", true);
    if (c.server_url.rfind("http://", 0) != 0 && c.server_url.rfind("https://", 0) != 0)
        throw ConfigError(path, "server_url", "must start with https:// (or http:// for tests)");
    while (c.server_url.size() > 8 && c.server_url.back() == '/') c.server_url.pop_back();
    // Optional: where the server's public pages are (QR codes on the kiosk), when residents'
    // phones reach them by another address than the kiosk's API (a public host name).
    c.public_base_url = r.str("public_base_url", false);
    if (!c.public_base_url.empty() && c.public_base_url.rfind("http://", 0) != 0 &&
        c.public_base_url.rfind("https://", 0) != 0)
        throw ConfigError(path, "public_base_url", "must start with https:// (or http://)");
    while (c.public_base_url.size() > 8 && c.public_base_url.back() == '/') c.public_base_url.pop_back();
    c.token = r.str("token", true);
    c.city_hall_public_key = r.str("city_hall_public_key", true);
    {
        auto raw = kyodo::base64_decode(c.city_hall_public_key);
        if (!raw || raw->size() != 32)
            throw ConfigError(path, "city_hall_public_key", "must be a 32-byte key in base64");
    }
    fs::path dir = fs::absolute(fs::path(path)).parent_path();
    c.ca_file = resolve(dir, r.str("ca_file", false));
    c.db_path = resolve(dir, r.str("db_path", false, c.db_path));
    c.sync_interval_s = r.integer("sync_interval_s", c.sync_interval_s, 1, 86'400);
    c.idle_reset_s = r.integer("idle_reset_s", c.idle_reset_s, 5, 3'600);
    c.retention_days = r.integer("retention_days", c.retention_days, 1, 3'650);
    c.app_version = r.str("app_version", false, c.app_version);
    c.lease_margin_s = r.integer("lease_margin_s", c.lease_margin_s, 0, 86'400);
    return c;
}

void KioskConfig::save(const std::string& path) const {
    json doc = {
        {"kiosk_id", kiosk_id},
        {"centre_id", centre_id},
        {"server_url", server_url},
        {"public_base_url", public_base_url},
        {"token", token},
        {"ca_file", ca_file},
        {"city_hall_public_key", city_hall_public_key},
        {"db_path", db_path},
        {"sync_interval_s", sync_interval_s},
        {"idle_reset_s", idle_reset_s},
        {"retention_days", retention_days},
        {"app_version", app_version},
        {"lease_margin_s", lease_margin_s},
    };
    // Written next to the target and renamed over it: a reader sees the old file or the new
    // one, never half of either. (The file holds the device token: keep it owner-only by
    // keeping the directory private; the enrolment tool sets that up.)
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw ConfigError(path, "", "cannot write " + tmp);
        out << doc.dump(2) << '\n';
        out.flush();
        if (!out) {
            out.close();
            std::remove(tmp.c_str());
            throw ConfigError(path, "", "writing " + tmp + " failed (disk full?)");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw ConfigError(path, "", "cannot replace the file: " + ec.message());
    }
}

}  // namespace kyodo::sync
