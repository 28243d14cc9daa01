// Things city hall gives away end to end (issue 11 point 4, docs/items.md): the real
// kyodo-server with the sample catalog (its items) and the kiosk's real sync engine over
// loopback. A 町内会 registered at the kiosk is approved on the real dashboard; at the next sync
// the kiosk holds the group (G-0001) and the items; the group asks for two パイプ椅子 at the kiosk
// (contact person sealed); the push stores it exactly once and a replay of the same body is
// "duplicate"; the contact person is not readable in the server's database files; a staff member
// grants the request on the dashboard; the kiosk's next sync shows two fewer chairs left.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/codec.h"
#include "core/items.h"
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
using kyodo::test::run_process;
using kyodo::test::RunResult;
using kyodo::test::StaffClient;
using kyodo::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kServer = KYODO_BINARY_DIR "/server/kyodo-server";
constexpr const char* kPassword = "items-editor-password-1";
constexpr const char* kChairs = "item-003";   // パイプ椅子 ×30 in the sample catalog

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void run_ok(const std::vector<std::string>& argv) {
    RunResult r = run_process(argv, 60s);
    INFO(argv[0], " ", (argv.size() > 1 ? argv[1] : ""), ": ", r.out, r.err);
    REQUIRE(r.exit_code == 0);
}

// The kiosk's record, enveloped and sealed as its forms do (app/model/forms.cpp).
Record kiosk_record(const KioskConfig& cfg, RecordKind kind, Json payload, const Personal& p) {
    Record r;
    r.kind = kind;
    r.id = new_uuid_v7();
    r.created_at = rfc3339_now();
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.payload = std::move(payload);
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, cfg.city_hall_public_key);
    return r;
}

int chairs_left(const KioskStore& store) {
    for (const Activity& a : store.bookables(ActivityKind::Item, ""))
        if (a.id == kChairs) return items::remaining(a);
    return -1;
}

}  // namespace

TEST_CASE("items: a registered group asks at the kiosk, the request is stored once, staff grant it, the kiosk sees fewer left") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-integ-items");
    const std::string data = tmp.file("server");
    const std::string config_path = tmp.file("kiosk.json");
    run_ok({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", "ohdono", "--server-url", "http://127.0.0.1:9",
            "--write-config", config_path, "--kiosk-db", tmp.file("kiosk.db")});
    {
        std::ofstream pw(tmp.file("password.txt"));
        pw << kPassword << "\n";
    }
    run_ok({kServer, "--data", data, "add-staff", "--user", "editor1", "--role", "editor", "--password-file",
            tmp.file("password.txt")});
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog",
                         KYODO_ASSETS_DIR "/catalog/sample_catalog.json"});
    const int port = server.wait_for_listening(30s);
    INFO("server output: ", server.output());
    REQUIRE(port > 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    KioskConfig cfg = KioskConfig::load(config_path);
    cfg.server_url = url;
    cfg.save(config_path);
    cfg = KioskConfig::load(config_path);

    KioskStore store(cfg.db_path);
    CurlTransport curl([&] {
        TransportOptions o;
        o.base_url = url;
        o.connect_timeout_ms = 5000;
        o.total_timeout_ms = 30000;
        return o;
    }());
    SyncEngine engine(store, cfg, curl);

    // The group applies and is approved, so it has a registration number.
    Record group = kiosk_record(cfg, RecordKind::GroupRegistration,
                                      {{"name", "大殿町内会"}, {"kind", "neighbourhood"}, {"members", 120}, {"consent", true}},
                                      Personal{"中村 和夫", "なかむら かずお", "083-922-6071", ""});
    store.enqueue(group);
    REQUIRE(engine.run_once().ok());
    StaffClient staff(port);
    REQUIRE(staff.login("editor1", kPassword));
    REQUIRE(staff.get("/admin/groups")->status == 200);
    REQUIRE(staff.post("/admin/groups/approve", {{"id", group.id}})->status == 303);
    REQUIRE(engine.run_once().ok());
    bool in_directory = false;
    for (const Organization& o : store.organizations()) in_directory = in_directory || o.registration == "G-0001";
    REQUIRE(in_directory);
    REQUIRE(chairs_left(store) == 30);

    // The request, as the kiosk's items screen makes it.
    Record req = kiosk_record(cfg, RecordKind::ItemRequest,
                              {{"item_id", kChairs}, {"group", "G-0001"}, {"quantity", 2}, {"purpose", "町内会の防災訓練の受付に使います"}},
                              Personal{"吉村 弘子", "よしむら ひろこ", "083-925-4410", ""});
    const Receipt receipt = store.enqueue(req);
    CHECK(receipt.check_code.size() == 4);
    std::string body;
    {
        struct Recording : Transport {
            Transport& inner;
            std::string body;
            explicit Recording(Transport& t) : inner(t) {}
            HttpResponse send(const HttpRequest& r) override {
                if (r.method == "POST" && r.path.rfind("/api/v1/records", 0) == 0) body = r.body;
                return inner.send(r);
            }
        } rec(curl);
        SyncEngine e2(store, cfg, rec);
        const SyncReport pushed = e2.run_once();
        INFO("sync: ", pushed.error());
        REQUIRE(pushed.ok());
        CHECK(pushed.push.stored == 1);
        body = rec.body;
    }
    REQUIRE_FALSE(body.empty());
    const HttpResponse again = curl.post_json("/api/v1/records", body, engine.auth_headers(), false);
    REQUIRE(again.status == 200);
    const Json results = Json::parse(again.body)["results"];
    REQUIRE(results.size() == 1);
    CHECK(results[0]["result"] == "duplicate");

    // Staff see it (the contact person opened for them) and grant it.
    auto list = staff.get("/admin/items?state=pending");
    REQUIRE(list->status == 200);
    CHECK(list->body.find(receipt.number) != std::string::npos);
    CHECK(list->body.find("吉村 弘子") != std::string::npos);
    CHECK(list->body.find("G-0001 大殿町内会") != std::string::npos);
    REQUIRE(staff.post("/admin/items/grant", {{"id", req.id}, {"quantity", "2"}})->status == 303);
    CHECK(staff.post("/admin/items/grant", {{"id", req.id}, {"quantity", "2"}})->status != 303);   // once
    auto granted = staff.get("/admin/items?state=granted");
    CHECK(granted->body.find(receipt.number) != std::string::npos);

    // Stored once: one request in the CSV.
    auto csv = staff.get("/admin/items.csv");
    REQUIRE(csv->status == 200);
    std::size_t lines = 0;
    for (std::size_t at = csv->body.find("\r\n"); at != std::string::npos; at = csv->body.find("\r\n", at + 2)) ++lines;
    CHECK(lines == 2);   // the header and the one request
    CHECK(csv->body.find(receipt.number) != std::string::npos);

    // The contact person is not readable in the server's database files (only the sealed box).
    for (const char* suffix : {"/server.db", "/server.db-wal"}) {
        const std::string bytes = read_bytes(data + suffix);
        INFO("file ", suffix);
        CHECK(bytes.find("吉村 弘子") == std::string::npos);
        CHECK(bytes.find("083-925-4410") == std::string::npos);
    }

    // The kiosk's next sync: two fewer chairs on offer.
    REQUIRE(engine.run_once().ok());
    CHECK(chairs_left(store) == 28);
    server.stop();
}
