// kyodo-server as a program: init, enrol (+ kiosk.json), revoke, public-key, usage errors,
// and serve on a free port with a clean SIGTERM shutdown.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/seal.h"
#include "core/timeutil.h"
#include "server/admin.h"
#include "server/storage.h"
#include "tests/support/process.h"

using namespace kyodo;
using kyodo::test::ChildProcess;
using kyodo::test::run_process;
using kyodo::test::TempDir;

namespace {
const std::string kExe = KYODO_SERVER_EXE;
const std::string kCatalog = std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json";

kyodo::test::RunResult run(std::vector<std::string> args) {
    args.insert(args.begin(), kExe);
    return run_process(args, std::chrono::seconds(30));
}
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
std::string token_from(const std::string& out) {
    const auto p = out.find("token: ");
    REQUIRE(p != std::string::npos);
    return out.substr(p + 7, out.find('\n', p) - p - 7);
}
}  // namespace

TEST_CASE("init creates the data directory, a private key file and imports the catalog once") {
    TempDir t("kyodo-cli");
    const std::string dir = t.file("data");
    auto r = run({"--data", dir, "init", "--catalog", kCatalog});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("imported catalog") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat((dir + "/city_hall.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string key = slurp(dir + "/city_hall.key");
    r = run({"--data", dir, "init", "--catalog", kCatalog});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("not imported") != std::string::npos);
    CHECK(slurp(dir + "/city_hall.key") == key);   // never overwritten

    r = run({"--data", dir, "public-key"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == server::load_keys(dir).public_key_b64 + "\n");
}

TEST_CASE("enrol prints the token once and writes kiosk.json; revoke; usage errors") {
    TempDir t("kyodo-cli");
    const std::string dir = t.file("data");
    REQUIRE(run({"--data", dir, "init"}).exit_code == 0);
    auto r = run({"--data", dir, "enrol", "--kiosk", "ohdono-1", "--centre", "ohdono", "--server-url",
                  "http://127.0.0.1:9999", "--write-config", t.file("kiosk.json"), "--kiosk-db", "/var/k.db"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string token = token_from(r.out);
    CHECK(token.size() >= 40);
    CHECK(r.out.find("will not be shown again") != std::string::npos);
    const Json cfg = Json::parse(slurp(t.file("kiosk.json")));
    CHECK(cfg["kiosk_id"] == "ohdono-1");
    CHECK(cfg["centre_id"] == "ohdono");
    CHECK(cfg["server_url"] == "http://127.0.0.1:9999");
    CHECK(cfg["token"] == token);
    CHECK(cfg["ca_file"] == "");
    CHECK(cfg["city_hall_public_key"] == server::load_keys(dir).public_key_b64);
    CHECK(cfg["db_path"] == "/var/k.db");
    CHECK(cfg["sync_interval_s"] == 60);
    CHECK(cfg["idle_reset_s"] == 60);
    CHECK(cfg["retention_days"] == 30);
    struct stat st {};
    REQUIRE(::stat(t.file("kiosk.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // The database holds the hash, never the token.
    CHECK(slurp(dir + "/server.db").find(token) == std::string::npos);

    r = run({"--data", dir, "enrol", "--kiosk", "ohdono-1", "--centre", "ohdono"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("re-enrolled") != std::string::npos);
    CHECK(token_from(r.out) != token);

    CHECK(run({"--data", dir, "revoke", "--kiosk", "ohdono-1"}).exit_code == 0);
    r = run({"--data", dir, "revoke", "--kiosk", "nobody"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("nobody") != std::string::npos);
    r = run({"--data", dir, "devices"});
    CHECK(r.out.find("revoked") != std::string::npos);

    struct Bad {
        std::vector<std::string> args;
        const char* says;
    };
    for (const Bad& b : std::vector<Bad>{
             {{}, "no command"},
             {{"init"}, "--data DIR is required"},
             {{"--data", dir, "frobnicate"}, "unknown command"},
             {{"--data", dir, "enrol", "--kiosk", "x"}, "--centre"},
             {{"--data", dir, "enrol", "--kiosk", "bad id!", "--centre", "c"}, "kiosk id"},
             {{"--data", dir, "revoke", "--port", "1"}, "does not apply"},
             {{"--data", dir, "serve", "--port", "http"}, "--port"},
             {{"--data", dir, "serve", "--tls-cert", "x.pem"}, "--tls-key"},
             {{"--data", dir, "init", "--bogus", "1"}, "unknown option"},
             {{"--data", dir, "init", "--catalog"}, "needs a value"},
         }) {
        auto res = run(b.args);
        CAPTURE(res.err);
        CHECK(res.exit_code != 0);
        CHECK(res.err.find(b.says) != std::string::npos);
    }
    r = run({"--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage:") != std::string::npos);
}

TEST_CASE("serve: auto-init, one parseable line on stdout, answers, clean shutdown on SIGTERM") {
    TempDir t("kyodo-cli");
    const std::string dir = t.file("data");
    ChildProcess srv({kExe, "--data", dir, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = srv.wait_for_listening();
    REQUIRE(port > 0);
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/api/v1/health");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(Json::parse(r->body)["catalog_version"].get<int>() >= 1);
    CHECK(srv.stop() == 0);
    CHECK(srv.output().find("event=stop") != std::string::npos);
}

TEST_CASE("quotas sets and prints the policy; leases prints one JSON object per lease") {
    TempDir t("kyodo-cli");
    const std::string dir = t.file("data");
    REQUIRE(run({"--data", dir, "init", "--catalog", kCatalog}).exit_code == 0);
    REQUIRE(run({"--data", dir, "enrol", "--kiosk", "k1", "--centre", "ohdono"}).exit_code == 0);
    auto r = run({"--data", dir, "quotas"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "quota.silence_s 86400\nquota.before_start_s 7200\n");
    r = run({"--data", dir, "quotas", "--centre", "ohdono", "--share", "10", "--activity", "act-002", "--kiosk", "k1",
             "--places", "3", "--silence-s", "3600", "--before-start-s", "600"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "quota.silence_s 3600\nquota.before_start_s 600\nshare ohdono 10\nquota act-002 k1 3\n");
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {"quotas", "--share", "10"},
             {"quotas", "--centre", "c", "--share", "101"},
             {"quotas", "--activity", "a", "--places", "2"},
             {"quotas", "--silence-s", "soon"},
         }) {
        std::vector<std::string> args{"--data", dir};
        args.insert(args.end(), bad.begin(), bad.end());
        auto res = run(args);
        CAPTURE(res.err);
        CHECK(res.exit_code != 0);
    }
    CHECK(run({"--data", dir, "leases"}).out.empty());
    {
        auto st = server::open_storage(dir + "/server.db");
        const server::QuotaAnswer q = st->exchange_quotas("k1", {}, now_millis());
        REQUIRE_FALSE(q.quotas.empty());
    }
    r = run({"--data", dir, "leases"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    std::istringstream lines(r.out);
    std::string line;
    int n = 0;
    bool saw_act2 = false;
    while (std::getline(lines, line)) {
        const Json j = Json::parse(line);
        ++n;
        CHECK(j["kiosk_id"] == "k1");
        CHECK(j["used"] == 0);
        CHECK(j["done_at"] == "");
        CHECK(j["released_at"] == "");
        CHECK(j["ends_at"].get<std::string>().size() == 20);
        for (const char* k : {"id", "activity_id", "kiosk_id", "places", "used", "ends_at", "done_at", "released_at"})
            CHECK(j.contains(k));
        if (j["activity_id"] == "act-002") {
            saw_act2 = true;
            CHECK(j["places"] == 3);
        }
    }
    CHECK(n >= 1);
    CHECK(saw_act2);
}
