// Group registration end to end (issue 11 point 2, docs/groups.md): the real kyodo-server and
// the kiosk's real sync engine over loopback. A 町内会 applies at the kiosk (representative
// sealed); the push stores it exactly once and a replay of the same body is "duplicate" with
// the server's database unchanged; the representative is not readable in the server's
// database files; a staff member logs in to the real dashboard and approves it; at the kiosk's
// next sync the catalog brings the group into the directory with its registration number and
// its application's receipt number (what the kiosk looks the number up by), and nothing of the
// representative.
#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "sync/curl_transport.h"
#include "sync/kiosk_config.h"
#include "sync/sync_engine.h"
#include "sync/transport.h"
#include "tests/integration/staff_client.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using namespace std::chrono_literals;
using kyodo::test::ChildProcess;
using kyodo::test::find_csrf;
using kyodo::test::set_cookie;
using kyodo::test::run_process;
using kyodo::test::RunResult;
using kyodo::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kServer = KYODO_BINARY_DIR "/server/kyodo-server";
constexpr const char* kPassword = "groups-editor-password-1";

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult run_ok(const std::vector<std::string>& argv) {
    RunResult r = run_process(argv, 60s);
    INFO(argv[0], " ", (argv.size() > 1 ? argv[1] : ""), ": ", r.out, r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

struct RecordingTransport : Transport {
    Transport& inner;
    std::vector<HttpRequest> requests;
    explicit RecordingTransport(Transport& t) : inner(t) {}
    HttpResponse send(const HttpRequest& req) override {
        requests.push_back(req);
        return inner.send(req);
    }
};

}  // namespace

TEST_CASE("group registration: applied at the kiosk once, approved on the dashboard, the number reaches the kiosk") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-integ-groups");
    const std::string data = tmp.file("server");
    const std::string catalog = KYODO_ASSETS_DIR "/catalog/sample_catalog.json";
    const std::string config_path = tmp.file("kiosk.json");
    run_ok({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", "ohdono", "--server-url", "http://127.0.0.1:9",
            "--write-config", config_path, "--kiosk-db", tmp.file("kiosk.db")});
    {
        std::ofstream pw(tmp.file("password.txt"));
        pw << kPassword << "\n";
    }
    run_ok({kServer, "--data", data, "add-staff", "--user", "editor1", "--role", "editor", "--password-file",
            tmp.file("password.txt")});
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", catalog});
    const int port = server.wait_for_listening(30s);
    INFO("server output: ", server.output());
    REQUIRE(port > 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    KioskConfig cfg = KioskConfig::load(config_path);
    cfg.server_url = url;
    cfg.save(config_path);
    cfg = KioskConfig::load(config_path);

    // The application, as the kiosk's group screen makes it.
    KioskStore store(cfg.db_path);
    const Personal rep{"中村 和夫", "なかむら かずお", "083-922-6071", ""};
    Record r;
    r.kind = RecordKind::GroupRegistration;
    r.id = new_uuid_v7();
    r.created_at = rfc3339_now();
    r.schema_version = 1;
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.payload = {{"name", "大殿町内会"},  {"kana", "おおどのちょうないかい"}, {"kind", "neighbourhood"},
                 {"fields", Json::array({"防災", "高齢者"})}, {"members", 120}, {"centre_id", "ohdono"},
                 {"description", "防災訓練と高齢者の見守りをしています。"}, {"consent", true}};
    REQUIRE(validate_record(r, &rep).ok());
    r.sealed = seal_personal(rep, cfg.city_hall_public_key);
    const Receipt receipt = store.enqueue(r);
    CHECK(receipt.check_code.size() == 4);

    CurlTransport curl([&] {
        TransportOptions o;
        o.base_url = url;
        o.connect_timeout_ms = 5000;
        o.total_timeout_ms = 30000;
        return o;
    }());
    RecordingTransport rec(curl);
    SyncEngine engine(store, cfg, rec);
    SyncReport first = engine.run_once();
    INFO("sync: ", first.error());
    REQUIRE(first.ok());
    CHECK(first.push.stored == 1);

    // Replaying the very same push: duplicate, nothing stored again.
    std::string body;
    for (const auto& q : rec.requests)
        if (q.method == "POST" && q.path.rfind("/api/v1/records", 0) == 0) body = q.body;   // not the quotas exchange
    REQUIRE_FALSE(body.empty());
    HttpResponse again = curl.post_json("/api/v1/records", body, engine.auth_headers(), false);
    REQUIRE(again.status == 200);
    const Json results = Json::parse(again.body)["results"];
    REQUIRE(results.size() == 1);
    CHECK(results[0]["result"] == "duplicate");

    // The staff member approves it on the real dashboard.
    httplib::Client web("127.0.0.1", port);
    web.set_connection_timeout(10);
    web.set_read_timeout(60);
    auto form = web.Get("/admin/login");
    REQUIRE(form);
    const std::string pre = set_cookie(form, "kyodo_login");
    auto login = web.Post("/admin/login", {{"Cookie", pre}},
                          httplib::Params{{"csrf", find_csrf(form->body)}, {"user", "editor1"}, {"password", kPassword},
                                          {"next", "/admin/groups"}});
    REQUIRE(login);
    REQUIRE(login->status == 303);
    const std::string session = set_cookie(login, "kyodo_session");
    REQUIRE_FALSE(session.empty());
    auto list = web.Get("/admin/groups?state=pending", {{"Cookie", session}});
    REQUIRE(list);
    REQUIRE(list->status == 200);
    CHECK(list->body.find("大殿町内会") != std::string::npos);
    CHECK(list->body.find("中村 和夫") != std::string::npos);   // staff see the representative, opened for them
    CHECK(list->body.find(receipt.number) != std::string::npos);
    auto ok = web.Post("/admin/groups/approve", {{"Cookie", session}},
                       httplib::Params{{"csrf", find_csrf(list->body)}, {"id", r.id}});
    REQUIRE(ok);
    CHECK(ok->status == 303);

    // The representative is not readable in the server's database files (only the sealed box).
    for (const char* suffix : {"/server.db", "/server.db-wal"}) {
        const std::string bytes = read_bytes(data + suffix);
        INFO("file ", suffix);
        CHECK(bytes.find("中村 和夫") == std::string::npos);
        CHECK(bytes.find("083-922-6071") == std::string::npos);
    }

    // The kiosk's next sync brings the group, its number and its application's receipt.
    SyncReport second = engine.run_once();
    REQUIRE(second.ok());
    const Organization* found = nullptr;
    const auto orgs = store.organizations();
    for (const auto& o : orgs)
        if (o.application == receipt.number) found = &o;
    REQUIRE(found != nullptr);
    CHECK(found->registration == "G-0001");
    CHECK(found->name == "大殿町内会");
    CHECK(found->type == "町内会・自治会");
    CHECK(found->contact.empty());
    const auto again_orgs = store.organizations();   // and never the representative at the kiosk
    for (const auto& o : again_orgs) CHECK(to_json(o).dump().find("中村") == std::string::npos);
    server.stop();
}
