// The kiosk binary itself syncing through its dlopen'd libcurl module (kyodo_transport_curl.so)
// against the REAL city-hall server over loopback, and the same kiosk with the module missing.
//
// kyodo-kiosk runs headless (DISPLAY unset: it syncs only). One record is queued in its store
// before it starts; the test waits, bounded, for the catalog to arrive in that store and the
// record to reach the server's database, then stops the kiosk by its pid. With
// KYODO_SYNC_MODULE naming a file that does not exist, the kiosk must keep running, keep the
// record pending, and say that the sync module is missing with the loader's own words.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/codec.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "sync/kiosk_config.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using namespace std::chrono_literals;
using kyodo::test::ChildProcess;
using kyodo::test::run_process;
using kyodo::test::RunResult;
using kyodo::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kServer = KYODO_BINARY_DIR "/server/kyodo-server";
const std::string kKiosk = KYODO_BINARY_DIR "/app/kyodo-kiosk";
const std::string kModule = KYODO_BINARY_DIR "/app/kyodo_transport_curl.so";
const std::string kCatalog = KYODO_ASSETS_DIR "/catalog/sample_catalog.json";

long long server_copies(const std::string& db_path, const std::string& id) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    long long n = -1;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM records WHERE id = ?", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

// A server with the sample catalog on 127.0.0.1 and one enrolled kiosk with one queued opinion.
struct Site {
    TempDir tmp{"kyodo-integ-kiosk"};
    std::string data = tmp.file("server");
    std::string config_path = tmp.file("kiosk.json");
    std::unique_ptr<ChildProcess> server;
    KioskConfig cfg;
    std::string record_id;

    Site() {
        REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
        REQUIRE_MESSAGE(fs::exists(kKiosk), "build kyodo-kiosk first: " << kKiosk);
        REQUIRE(fs::exists(kCatalog));
        RunResult en = run_process({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", centre(),
                                    "--server-url", "http://127.0.0.1:9", "--write-config", config_path,
                                    "--kiosk-db", tmp.file("kiosk.db")},
                                   60s);
        INFO("enrol: ", en.out, en.err);
        REQUIRE(en.exit_code == 0);
        server = std::make_unique<ChildProcess>(
            std::vector<std::string>{kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
        const int port = server->wait_for_listening(30s);
        INFO("server output: ", server->output());
        REQUIRE(port > 0);
        cfg = KioskConfig::load(config_path);
        cfg.server_url = "http://127.0.0.1:" + std::to_string(port);
        cfg.save(config_path);

        KioskStore store(cfg.db_path);
        Record r;
        r.kind = RecordKind::Opinion;
        r.kiosk_id = cfg.kiosk_id;
        r.centre_id = cfg.centre_id;
        r.payload = {{"topic", "防災"}, {"text", "避難所の案内をもっと大きくしてください"}, {"activity_id", ""},
                     {"wants_reply", false}};
        r.id = new_uuid_v7();
        r.created_at = rfc3339_now();
        store.enqueue(r);
        record_id = r.id;
        REQUIRE(store.counts().pending == 1);
        REQUIRE(store.catalog_version() == 0);
    }

    // The sample catalog's first centre: the kiosk belongs to it.
    static std::string centre() {
        std::ifstream in(kCatalog, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        CatalogDelta d = catalog_from_json(Json::parse(ss.str()));
        REQUIRE(!d.centres.empty());
        return d.centres.front().id;
    }
};

// The kiosk is started headless: no DISPLAY, so it syncs only (app/main.cpp run_headless).
std::unique_ptr<ChildProcess> start_kiosk(const std::string& config_path, const char* module_override) {
    ::unsetenv("DISPLAY");
    if (module_override) ::setenv("KYODO_SYNC_MODULE", module_override, 1);
    else ::unsetenv("KYODO_SYNC_MODULE");
    auto kiosk = std::make_unique<ChildProcess>(std::vector<std::string>{kKiosk, "--config", config_path});
    ::unsetenv("KYODO_SYNC_MODULE");
    return kiosk;
}

}  // namespace

TEST_CASE("the headless kiosk loads its libcurl module, pulls the catalog and delivers a queued record") {
    REQUIRE_MESSAGE(fs::exists(kModule), "build kyodo_transport_curl first: " << kModule);
    Site site;
    auto kiosk = start_kiosk(site.config_path, nullptr);
    auto loaded = kiosk->wait_for_line("sync module loaded from", 20s);
    INFO("kiosk output: ", kiosk->output());
    REQUIRE(loaded.has_value());
    CHECK(loaded->find(kModule) != std::string::npos);   // the one next to the executable

    bool synced = false;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        KioskStore store(site.cfg.db_path);
        if (store.catalog_version() > 0 && store.counts().pending == 0) {
            synced = true;
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    INFO("kiosk output: ", kiosk->output(), "\nserver output: ", site.server->output());
    REQUIRE(synced);
    KioskStore store(site.cfg.db_path);
    CHECK(!store.centres().empty());
    CHECK(store.counts().delivered == 1);
    CHECK(server_copies(site.data + "/server.db", site.record_id) == 1);
    CHECK(kiosk->running());
    CHECK(kiosk->stop() == 0);   // SIGTERM: the kiosk stops its worker and exits cleanly
}

TEST_CASE("a kiosk whose sync module is missing keeps running, keeps the record and says why") {
    Site site;
    TempDir elsewhere("kyodo-no-module");
    const std::string missing = elsewhere.file("kyodo_transport_curl.so");
    auto kiosk = start_kiosk(site.config_path, missing.c_str());
    auto line = kiosk->wait_for_line("sync module missing", 20s);
    INFO("kiosk output: ", kiosk->output());
    REQUIRE(line.has_value());
    CHECK(line->find(missing) != std::string::npos);
    CHECK(line->find("No such file or directory") != std::string::npos);   // dlerror's words
    CHECK(line->find("records stay in the outbox") != std::string::npos);

    std::this_thread::sleep_for(1500ms);   // past the one-second minimum between failed passes
    CHECK(kiosk->running());
    KioskStore store(site.cfg.db_path);
    CHECK(store.counts().pending == 1);
    CHECK(store.catalog_version() == 0);
    CHECK(server_copies(site.data + "/server.db", site.record_id) == 0);
    CHECK(kiosk->stop() == 0);
}
