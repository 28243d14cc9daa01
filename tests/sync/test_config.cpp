// kiosk.json: load errors name the file and the field; save/load round-trips.
#include <doctest/doctest.h>

#include <fstream>

#include "core/seal.h"
#include "sync/kiosk_config.h"
#include "tests/support/process.h"

using namespace kyodo::sync;
using kyodo::test::TempDir;

namespace {

const std::string kKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";   // 32 bytes

void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string good_json(const std::string& extra = "") {
    return R"({"kiosk_id":"ohdono-1","centre_id":"ohdono","server_url":"http://127.0.0.1:8080/",)"
           R"("token":"tok","city_hall_public_key":")" + kKey + R"(")" + extra + "}";
}

// Loads and returns the ConfigError (fails the test when none is thrown).
ConfigError load_error(const std::string& path) {
    try {
        KioskConfig::load(path);
    } catch (const ConfigError& e) {
        return e;
    }
    FAIL("expected a ConfigError for " << path);
    return ConfigError("", "", "");
}

}  // namespace

TEST_CASE("a good config loads, with defaults and relative paths resolved") {
    TempDir dir("kyodo-config");
    std::string path = dir.file("kiosk.json");
    write(path, good_json(R"(,"db_path":"data/kiosk.db","ca_file":"ca.pem","sync_interval_s":30,"future_field":1)"));
    KioskConfig c = KioskConfig::load(path);
    CHECK(c.kiosk_id == "ohdono-1");
    CHECK(c.centre_id == "ohdono");
    CHECK(c.server_url == "http://127.0.0.1:8080");   // trailing slash dropped
    CHECK(c.token == "tok");
    CHECK(c.city_hall_public_key == kKey);
    CHECK(c.db_path == dir.path() + "/data/kiosk.db");
    CHECK(c.ca_file == dir.path() + "/ca.pem");
    CHECK(c.sync_interval_s == 30);
    CHECK(c.idle_reset_s == 60);
    CHECK(c.retention_days == 30);
    CHECK(c.lease_margin_s == 600);
}

TEST_CASE("save then load round-trips, atomically replacing the file") {
    TempDir dir("kyodo-config");
    KioskConfig c;
    c.kiosk_id = "k1";
    c.centre_id = "c1";
    c.server_url = "https://cityhall.example:8443";
    c.token = "secret";
    c.city_hall_public_key = kKey;
    c.db_path = "/var/lib/kyodo/kiosk.db";
    c.ca_file = "/etc/kyodo/ca.pem";
    c.sync_interval_s = 120;
    c.retention_days = 7;
    c.lease_margin_s = 900;
    std::string path = dir.file("kiosk.json");
    write(path, "old");
    c.save(path);
    KioskConfig d = KioskConfig::load(path);
    CHECK(d.kiosk_id == c.kiosk_id);
    CHECK(d.server_url == c.server_url);
    CHECK(d.token == c.token);
    CHECK(d.db_path == c.db_path);
    CHECK(d.ca_file == c.ca_file);
    CHECK(d.sync_interval_s == 120);
    CHECK(d.retention_days == 7);
    CHECK(d.lease_margin_s == 900);
    std::ifstream tmp(path + ".tmp");
    CHECK_FALSE(tmp.good());
}

TEST_CASE("load errors name the file and the field") {
    TempDir dir("kyodo-config");
    std::string path = dir.file("kiosk.json");

    SUBCASE("missing file") {
        ConfigError e = load_error(dir.file("nope.json"));
        CHECK(e.file == dir.file("nope.json"));
        CHECK(e.field.empty());
        CHECK(std::string(e.what()).find("nope.json") != std::string::npos);
    }
    SUBCASE("not JSON") {
        write(path, "{\"kiosk_id\": ");
        ConfigError e = load_error(path);
        CHECK(e.field.empty());
        CHECK(std::string(e.what()).find("not valid JSON") != std::string::npos);
    }
    SUBCASE("not an object") {
        write(path, "[1,2]");
        CHECK(load_error(path).field.empty());
    }
    SUBCASE("missing token") {
        write(path, R"({"kiosk_id":"k1","centre_id":"c1","server_url":"http://x","city_hall_public_key":")" + kKey + "\"}");
        ConfigError e = load_error(path);
        CHECK(e.field == "token");
        CHECK(std::string(e.what()).find("kiosk.json") != std::string::npos);
        CHECK(std::string(e.what()).find("\"token\"") != std::string::npos);
    }
    SUBCASE("empty kiosk_id") {
        write(path, R"({"kiosk_id":"","centre_id":"c1","server_url":"http://x","token":"t","city_hall_public_key":")" + kKey + "\"}");
        CHECK(load_error(path).field == "kiosk_id");
    }
    SUBCASE("kiosk_id with a space") {
        write(path, R"({"kiosk_id":"k 1","centre_id":"c1","server_url":"http://x","token":"t","city_hall_public_key":")" + kKey + "\"}");
        CHECK(load_error(path).field == "kiosk_id");
    }
    SUBCASE("server_url without a scheme") {
        write(path, R"({"kiosk_id":"k1","centre_id":"c1","server_url":"cityhall:8443","token":"t","city_hall_public_key":")" + kKey + "\"}");
        CHECK(load_error(path).field == "server_url");
    }
    SUBCASE("wrong type") {
        write(path, good_json(R"(,"sync_interval_s":"60")"));
        ConfigError e = load_error(path);
        CHECK(e.field == "sync_interval_s");
        CHECK(std::string(e.what()).find("whole number") != std::string::npos);
    }
    SUBCASE("out of range") {
        write(path, good_json(R"(,"retention_days":0)"));
        CHECK(load_error(path).field == "retention_days");
        write(path, good_json(R"(,"lease_margin_s":-1)"));
        CHECK(load_error(path).field == "lease_margin_s");
    }
    SUBCASE("token of the wrong type") {
        write(path, R"({"kiosk_id":"k1","centre_id":"c1","server_url":"http://x","token":5,"city_hall_public_key":")" + kKey + "\"}");
        CHECK(load_error(path).field == "token");
    }
    SUBCASE("bad public key") {
        write(path, R"({"kiosk_id":"k1","centre_id":"c1","server_url":"http://x","token":"t","city_hall_public_key":"short"})");
        CHECK(load_error(path).field == "city_hall_public_key");
    }
}
