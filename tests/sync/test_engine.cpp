// SyncEngine and SyncWorker against a tiny in-process fake server on 127.0.0.1 that
// misbehaves on purpose. The rule under test: a record is delivered only when a 200 answer
// carries "protocol":"kyodo/1" and names it; everything else keeps it queued to send again.
#include <doctest/doctest.h>

#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "sync/sync_engine.h"
#include "sync/sync_worker.h"
#include "sync/curl_transport.h"
#include "sync/transport.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using namespace std::chrono_literals;
using kyodo::test::TempDir;

namespace {

struct FakeServer {
    using RecordsHandler = std::function<void(const Json& body, httplib::Response&)>;
    using CatalogHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

    httplib::Server srv;
    std::thread thread;
    int port = 0;

    std::mutex mu;
    RecordsHandler on_records;                 // null: answer every record (stored/duplicate)
    CatalogHandler on_catalog;                 // null: 304
    CatalogHandler on_rosters;                 // null: 404 (a server without rosters)
    int roster_requests = 0;
    std::vector<Json> batches;                 // decoded request bodies, in order
    std::vector<std::string> content_encodings, authorizations, if_none_match, catalog_queries;
    std::set<std::string> stored_ids;

    FakeServer() {
        srv.Post("/api/v1/records", [this](const httplib::Request& req, httplib::Response& res) {
            std::string body = req.body;
            Json doc = Json::parse(body, nullptr, false);
            if (doc.is_discarded()) {   // not inflated by httplib: do it here
                auto plain = gzip_decompress(body);
                if (plain) doc = Json::parse(*plain, nullptr, false);
            }
            RecordsHandler h;
            {
                std::lock_guard lock(mu);
                batches.push_back(doc);
                content_encodings.push_back(req.get_header_value("Content-Encoding"));
                authorizations.push_back(req.get_header_value("Authorization"));
                h = on_records;
            }
            if (h) return h(doc, res);
            res.set_content(answer_all(doc).dump(), "application/json");
        });
        srv.Get("/api/v1/catalog", [this](const httplib::Request& req, httplib::Response& res) {
            CatalogHandler h;
            {
                std::lock_guard lock(mu);
                if_none_match.push_back(req.get_header_value("If-None-Match"));
                catalog_queries.push_back(req.get_param_value("since"));
                h = on_catalog;
            }
            if (h) return h(req, res);
            res.status = 304;
        });
        srv.Get("/api/v1/rosters", [this](const httplib::Request& req, httplib::Response& res) {
            CatalogHandler h;
            {
                std::lock_guard lock(mu);
                ++roster_requests;
                h = on_rosters;
            }
            if (h) return h(req, res);
            res.status = 404;
        });
        port = srv.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        thread = std::thread([this] { srv.listen_after_bind(); });
        for (int i = 0; i < 200 && !srv.is_running(); ++i) std::this_thread::sleep_for(5ms);
    }
    ~FakeServer() {
        srv.stop();
        thread.join();
    }

    // Every record answered: stored the first time, duplicate after.
    Json answer_all(const Json& doc) {
        Json results = Json::array();
        std::lock_guard lock(mu);
        for (const auto& r : doc.at("records")) {
            std::string id = r.at("id");
            bool fresh = stored_ids.insert(id).second;
            results.push_back({{"id", id}, {"result", fresh ? "stored" : "duplicate"}, {"receipt", "XXXX-XXXX"}});
        }
        return {{"protocol", "kyodo/1"}, {"server_time", "2026-11-22T01:02:04Z"}, {"results", results}};
    }
    void set_records(RecordsHandler h) {
        std::lock_guard lock(mu);
        on_records = std::move(h);
    }
    void set_rosters(CatalogHandler h) {
        std::lock_guard lock(mu);
        on_rosters = std::move(h);
    }
    void set_catalog(CatalogHandler h) {
        std::lock_guard lock(mu);
        on_catalog = std::move(h);
    }
    std::size_t requests() {
        std::lock_guard lock(mu);
        return batches.size();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

const KeyPair& keys() {
    static KeyPair k = [] {
        crypto_init();
        return generate_keypair();
    }();
    return k;
}

KioskConfig make_config(const std::string& url, const std::string& db) {
    KioskConfig c;
    c.kiosk_id = "k1";
    c.centre_id = "c1";
    c.server_url = url;
    c.token = "test-token";
    c.city_hall_public_key = keys().public_key_b64;
    c.db_path = db;
    c.sync_interval_s = 3600;
    return c;
}

std::string enqueue_opinion(KioskStore& store, int n) {
    Record r;
    r.kind = RecordKind::Opinion;
    r.kiosk_id = "k1";
    r.centre_id = "c1";
    r.payload = {{"topic", "防災"},
                 {"text", "避難所の案内をもっと大きく " + std::to_string(n)},
                 {"activity_id", ""},
                 {"wants_reply", false}};
    store.enqueue(r);
    return r.id;
}

std::string enqueue_signup(KioskStore& store) {
    Record r;
    r.kind = RecordKind::SignUp;
    r.kiosk_id = "k1";
    r.centre_id = "c1";
    r.payload = {{"activity_id", "act-001"}, {"activity_version", 1}, {"party_size", 2}, {"note", ""}};
    Personal p;
    p.name = "山田 花子";
    p.furigana = "やまだ はなこ";
    p.phone = "083-000-0000";
    r.sealed = seal_personal(p, keys().public_key_b64);
    store.enqueue(r);
    return r.id;
}

TransportOptions fast_options(const std::string& url) {
    TransportOptions o;
    o.base_url = url;
    o.connect_timeout_ms = 2000;
    o.total_timeout_ms = 5000;
    return o;
}

// One kiosk: temp dir, store, config, transport, engine.
struct Kiosk {
    TempDir dir{"kyodo-sync-test"};
    KioskConfig cfg;
    std::unique_ptr<KioskStore> store;
    std::unique_ptr<CurlTransport> transport;
    std::unique_ptr<SyncEngine> engine;
    explicit Kiosk(const std::string& url) {
        cfg = make_config(url, dir.file("kiosk.db"));
        store = std::make_unique<KioskStore>(cfg.db_path);
        transport = std::make_unique<CurlTransport>(fast_options(url));
        engine = std::make_unique<SyncEngine>(*store, cfg, *transport);
    }
    std::vector<std::string> add(int n) {
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) ids.push_back(enqueue_opinion(*store, i));
        return ids;
    }
    OutboxState state(const std::string& id) {
        auto e = store->outbox_entry(id);
        REQUIRE(e.has_value());
        return e->state;
    }
};

}  // namespace

TEST_CASE("a good server: everything delivered, gzip'd, with the device token") {
    FakeServer fake;
    Kiosk k(fake.url());
    auto ids = k.add(5);
    SyncReport rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(rep.push.stored == 5);
    CHECK(rep.push.delivered() == 5);
    CHECK(rep.pull_attempted);
    CHECK(k.store->counts().pending == 0);
    CHECK(k.store->counts().delivered == 5);
    for (const auto& id : ids) CHECK(k.state(id) == OutboxState::Delivered);
    REQUIRE(fake.batches.size() == 1);
    CHECK(fake.authorizations[0] == "Bearer test-token");
    CHECK(fake.content_encodings[0] == "gzip");
    const Json& b = fake.batches[0];
    CHECK(b["kiosk_id"] == "k1");
    REQUIRE(b["records"].size() == 5);
    // Oldest first.
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(b["records"][i]["id"] == ids[i]);
    CHECK(rep.summary(0) == "pushed=5 stored=5 duplicate=0 rejected=0 conflict=0 pending=0 pulled_version=0");

    // Nothing left: a second pass sends no records.
    SyncReport again = k.engine->run_once();
    CHECK(again.ok());
    CHECK(again.push.answered() == 0);
    CHECK(fake.requests() == 1);
}

TEST_CASE("a captive portal answering 200 with HTML is not a delivery") {
    FakeServer fake;
    fake.set_records([](const Json&, httplib::Response& res) {
        res.set_content("<!DOCTYPE html><html><body>Free Wi-Fi: please log in</body></html>", "text/html");
    });
    Kiosk k(fake.url());
    auto ids = k.add(3);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    CHECK(rep.push.delivered() == 0);
    CHECK(rep.error().find("キャプティブポータル") != std::string::npos);
    CHECK(rep.error().find("text/html") != std::string::npos);
    CHECK(k.store->counts().pending == 3);
    for (const auto& id : ids) {
        auto e = k.store->outbox_entry(id);
        CHECK(e->state == OutboxState::Pending);
        CHECK(e->attempts >= 1);
    }
    // The portal goes away: the same records are delivered.
    fake.set_records(nullptr);
    CHECK(k.engine->run_once().ok());
    CHECK(k.store->counts().delivered == 3);
}

TEST_CASE("200 JSON without our protocol marker is not a delivery") {
    FakeServer fake;
    fake.set_records([](const Json& doc, httplib::Response& res) {
        Json results = Json::array();
        for (const auto& r : doc["records"]) results.push_back({{"id", r["id"]}, {"result", "stored"}});
        res.set_content(Json{{"results", results}}.dump(), "application/json");
    });
    Kiosk k(fake.url());
    k.add(2);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.push.delivered() == 0);
    CHECK(k.store->counts().pending == 2);
}

TEST_CASE("429 with Retry-After: kept, retryable, the wait honoured") {
    FakeServer fake;
    fake.set_records([](const Json&, httplib::Response& res) {
        res.status = 429;
        res.set_header("Retry-After", "7");
        res.set_content(R"({"protocol":"kyodo/1","error":{"code":"rate_limited","message":"slow down"}})",
                        "application/json");
    });
    Kiosk k(fake.url());
    k.add(2);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    REQUIRE(rep.retry_after_s().has_value());
    CHECK(*rep.retry_after_s() == 7);
    CHECK(rep.error().find("7秒後") != std::string::npos);
    CHECK_FALSE(rep.pull_attempted);   // the server asked us to rest
    CHECK(k.store->counts().pending == 2);
    CHECK(fake.requests() == 1);        // no hammering within the pass
}

TEST_CASE("500: kept and retryable") {
    FakeServer fake;
    fake.set_records([](const Json&, httplib::Response& res) {
        res.status = 500;
        res.set_content(R"({"protocol":"kyodo/1","error":{"code":"server_error","message":"disk"}})",
                        "application/json");
    });
    Kiosk k(fake.url());
    k.add(4);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    CHECK(rep.push.http_status == 500);
    CHECK(rep.error().find("HTTP 500") != std::string::npos);
    CHECK(k.store->counts().pending == 4);
}

TEST_CASE("413: the batch is halved until it fits, and everything is delivered") {
    FakeServer fake;
    std::vector<std::size_t> sizes;
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        sizes.push_back(doc["records"].size());
        if (doc["records"].size() > 3) {
            res.status = 413;
            res.set_content(R"({"protocol":"kyodo/1","error":{"code":"too_large","message":"too many"}})",
                            "application/json");
            return;
        }
        res.set_content(fake.answer_all(doc).dump(), "application/json");
    });
    Kiosk k(fake.url());
    k.add(10);
    SyncReport rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(rep.push.stored == 10);
    CHECK(k.store->counts().pending == 0);
    CHECK(k.engine->batch_limit() <= 3);
    REQUIRE(sizes.size() >= 3);
    CHECK(sizes[0] == 10);
    CHECK(sizes[1] == 5);
    CHECK(sizes[2] == 2);
    // Every record reached the fake exactly once in an accepted batch.
    CHECK(fake.stored_ids.size() == 10);
}

TEST_CASE("413 for a single record from our server: rejected locally, not retried forever") {
    FakeServer fake;
    fake.set_records([](const Json&, httplib::Response& res) {
        res.status = 413;
        res.set_content(R"({"protocol":"kyodo/1","error":{"code":"too_large","message":"too big"}})",
                        "application/json");
    });
    Kiosk k(fake.url());
    auto ids = k.add(1);
    k.engine->run_once();
    CHECK(k.state(ids[0]) == OutboxState::Rejected);
    CHECK(k.store->counts().pending == 0);
}

TEST_CASE("a body cut off mid-way is not a delivery") {
    FakeServer fake;
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        auto full = std::make_shared<std::string>(fake.answer_all(doc).dump());
        res.set_content_provider(full->size(), "application/json",
                                 [full](size_t offset, size_t, httplib::DataSink& sink) {
                                     if (offset == 0) sink.write(full->data(), full->size() / 2);
                                     return false;   // hang up with half the promised bytes sent
                                 });
    });
    Kiosk k(fake.url());
    k.add(3);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    CHECK(rep.push.delivered() == 0);
    CHECK(k.store->counts().pending == 3);
}

TEST_CASE("malformed JSON (a truncated document with a consistent length) is not a delivery") {
    FakeServer fake;
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        std::string full = fake.answer_all(doc).dump();
        res.set_content(full.substr(0, full.size() - 10), "application/json");
    });
    Kiosk k(fake.url());
    k.add(3);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.error().find("malformed") != std::string::npos);
    CHECK(k.store->counts().pending == 3);
}

TEST_CASE("results that are not a list, unknown results and foreign ids are not deliveries") {
    FakeServer fake;
    Kiosk k(fake.url());
    auto ids = k.add(3);
    SUBCASE("results missing") {
        fake.set_records([](const Json&, httplib::Response& res) {
            res.set_content(R"({"protocol":"kyodo/1","results":{"x":1}})", "application/json");
        });
    }
    SUBCASE("unknown result words and other ids") {
        fake.set_records([](const Json& doc, httplib::Response& res) {
            Json results = Json::array();
            for (const auto& r : doc["records"]) results.push_back({{"id", r["id"]}, {"result", "ok"}});
            results.push_back({{"id", "019a0000-0000-7000-8000-000000000000"}, {"result", "stored"}});
            results.push_back("stored");
            res.set_content(Json{{"protocol", "kyodo/1"}, {"results", results}}.dump(), "application/json");
        });
    }
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.push.delivered() == 0);
    CHECK(k.store->counts().pending == 3);
    for (const auto& id : ids) CHECK(k.state(id) == OutboxState::Pending);
}

TEST_CASE("an answer that leaves a record out: the others delivered, that one kept and sent again") {
    FakeServer fake;
    std::string omit;
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        Json full = fake.answer_all(doc);
        Json kept = Json::array();
        for (const auto& r : full["results"])
            if (r["id"] != omit) kept.push_back(r);
        full["results"] = kept;
        res.set_content(full.dump(), "application/json");
    });
    Kiosk k(fake.url());
    auto ids = k.add(4);
    omit = ids[1];
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    CHECK(rep.push.stored == 3);
    CHECK(rep.error().find("left out") != std::string::npos);
    CHECK(k.state(ids[0]) == OutboxState::Delivered);
    CHECK(k.state(ids[1]) == OutboxState::Pending);
    CHECK(k.state(ids[2]) == OutboxState::Delivered);
    CHECK(k.state(ids[3]) == OutboxState::Delivered);
    CHECK(k.store->outbox_entry(ids[1])->attempts >= 1);
    CHECK(rep.pull_attempted);   // our server answered: the catalog is still worth pulling

    omit.clear();
    SyncReport again = k.engine->run_once();
    CHECK(again.ok());
    CHECK(again.push.delivered() == 1);   // the fake already kept it: "duplicate"
    CHECK(k.state(ids[1]) == OutboxState::Delivered);
    CHECK(fake.batches.back()["records"].size() == 1);
}

TEST_CASE("rejected and conflict answers stop retrying and keep the reason for staff") {
    FakeServer fake;
    Kiosk k(fake.url());
    auto ids = k.add(3);
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        Json results = Json::array();
        for (const auto& r : doc["records"]) {
            std::string id = r["id"];
            if (id == ids[0])
                results.push_back({{"id", id}, {"result", "rejected"}, {"code", "too_long"},
                                   {"message", "payload.text: too long"}});
            else if (id == ids[1])
                results.push_back({{"id", id}, {"result", "conflict"}, {"code", "conflict"},
                                   {"message", "a different record with this id was received before"}});
            else
                results.push_back({{"id", id}, {"result", "duplicate"}, {"receipt", "X"}});
        }
        res.set_content(Json{{"protocol", "kyodo/1"}, {"results", results}}.dump(), "application/json");
    });
    SyncReport rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(rep.push.rejected == 1);
    CHECK(rep.push.conflict == 1);
    CHECK(rep.push.duplicate == 1);
    CHECK(k.state(ids[0]) == OutboxState::Rejected);
    CHECK(k.state(ids[1]) == OutboxState::Rejected);
    CHECK(k.state(ids[2]) == OutboxState::Delivered);
    auto e = k.store->outbox_entry(ids[0]);
    CHECK(e->reject_code == "too_long");
    CHECK(e->reject_message == "payload.text: too long");
    CHECK(k.store->rejected().size() == 2);
    std::size_t before = fake.requests();
    CHECK(k.engine->run_once().ok());
    CHECK(fake.requests() == before);   // nothing resent
}

TEST_CASE("401 and 403 from our server are errors for staff, not retried in the pass") {
    FakeServer fake;
    Kiosk k(fake.url());
    k.add(2);
    int status = 0;
    SUBCASE("401") { status = 401; }
    SUBCASE("403") { status = 403; }
    fake.set_records([&](const Json&, httplib::Response& res) {
        res.status = status;
        res.set_content(R"({"protocol":"kyodo/1","error":{"code":"x","message":"no"}})", "application/json");
    });
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Auth);
    CHECK_FALSE(rep.pull_attempted);
    CHECK(rep.error().find(std::to_string(status)) != std::string::npos);
    CHECK(rep.error().find("市役所") != std::string::npos);
    CHECK(k.store->counts().pending == 2);
}

TEST_CASE("sign-up answers and later sign-up updates reach the store") {
    FakeServer fake;
    Kiosk k(fake.url());
    std::string a = enqueue_signup(*k.store);
    std::string b = enqueue_signup(*k.store);
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        Json results = Json::array();
        for (const auto& r : doc["records"])
            results.push_back({{"id", r["id"]}, {"result", "stored"}, {"signup_status", "waitlisted"}});
        res.set_content(Json{{"protocol", "kyodo/1"}, {"results", results}}.dump(), "application/json");
    });
    REQUIRE(k.engine->run_once().ok());
    CHECK(k.store->outbox_entry(a)->signup_status == "waitlisted");
    CHECK(k.store->outbox_entry(b)->signup_status == "waitlisted");

    // A later answer (to another record) carries an update for `a`.
    enqueue_opinion(*k.store, 99);
    fake.set_records([&](const Json& doc, httplib::Response& res) {
        Json out = fake.answer_all(doc);
        out["signup_updates"] = Json::array({{{"id", a}, {"status", "confirmed"}}});
        res.set_content(out.dump(), "application/json");
    });
    SyncReport rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(rep.push.signup_updates == 1);
    CHECK(k.store->outbox_entry(a)->signup_status == "confirmed");
    CHECK(k.store->outbox_entry(b)->signup_status == "waitlisted");
}

TEST_CASE("nothing listening: plain words, records kept") {
    int port;
    {
        FakeServer gone;   // take a free port, then close it
        port = gone.port;
    }
    Kiosk k("http://127.0.0.1:" + std::to_string(port));
    k.add(1);
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.ok());
    CHECK(rep.failure() == FailureKind::Retryable);
    CHECK(rep.error().find("サーバーに接続できません") != std::string::npos);
    CHECK_FALSE(rep.reached_server());
    CHECK(k.store->counts().pending == 1);
    CHECK(k.store->outbox_entry(k.store->recent(1)[0].record.id)->last_error.find("接続") != std::string::npos);
}

TEST_CASE("pull: 200 applies the catalog and keeps the ETag; then If-None-Match gets 304") {
    FakeServer fake;
    CatalogDelta d;
    d.version = 3;
    d.full = true;
    Centre c;
    c.id = "c1";
    c.name = "大殿地域交流センター";
    c.kana = "おおどのちいきこうりゅうせんたー";
    c.version = 1;
    d.centres.push_back(c);
    Json body = to_json(d);
    body["protocol"] = "kyodo/1";
    fake.set_catalog([&](const httplib::Request& req, httplib::Response& res) {
        if (req.get_header_value("If-None-Match") == "\"cat-3-0\"" || req.get_param_value("since") == "3") {
            res.status = 304;
            return;
        }
        res.set_header("ETag", "\"cat-3-0\"");
        res.set_content(body.dump(), "application/json");
    });
    Kiosk k(fake.url());
    PullResult p = k.engine->pull();
    CHECK(p.ok);
    CHECK(p.changed);
    CHECK(p.version == 3);
    CHECK(p.centres == 1);
    CHECK(k.store->catalog_version() == 3);
    CHECK(k.store->centre("c1").has_value());
    CHECK(k.store->setting(SyncEngine::kEtagSetting) == "\"cat-3-0\"");

    PullResult again = k.engine->pull();
    CHECK(again.ok);
    CHECK_FALSE(again.changed);
    CHECK(again.http_status == 304);
    CHECK(again.version == 3);
    CHECK(fake.if_none_match.back() == "\"cat-3-0\"");
    CHECK(fake.catalog_queries.back() == "3");
}

TEST_CASE("pull: a captive portal or a malformed catalog changes nothing") {
    FakeServer fake;
    Kiosk k(fake.url());
    SUBCASE("HTML") {
        fake.set_catalog([](const httplib::Request&, httplib::Response& res) {
            res.set_content("<html>login</html>", "text/html");
        });
    }
    SUBCASE("JSON without the marker") {
        fake.set_catalog([](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"version":9,"full":true,"centres":[]})", "application/json");
        });
    }
    SUBCASE("truncated JSON") {
        fake.set_catalog([](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"protocol":"kyodo/1","version":9,"full":true,"centres":[)", "application/json");
        });
    }
    PullResult p = k.engine->pull();
    CHECK_FALSE(p.ok);
    CHECK(p.failure == FailureKind::Retryable);
    CHECK(k.store->catalog_version() == 0);
    CHECK(k.store->setting(SyncEngine::kEtagSetting).empty());
}

TEST_CASE("the worker syncs on request_now, reports status, and stops promptly mid-request") {
    // What the hanging handler below waits on is declared before the server, so it outlives the
    // server's handler threads (~FakeServer joins them): the handler may wake after the test's
    // last line (ASan: stack-use-after-scope on `release` when they were declared after it).
    std::mutex hang_mu;
    std::condition_variable hang_cv;
    bool release = false;
    std::atomic<bool> entered{false};
    FakeServer fake;
    TempDir dir("kyodo-worker-test");
    KioskConfig cfg = make_config(fake.url(), dir.file("kiosk.db"));
    {
        KioskStore ui(cfg.db_path);   // the UI's own connection
        for (int i = 0; i < 3; ++i) enqueue_opinion(ui, i);
    }
    std::atomic<int> wakes{0};
    SyncWorker worker(cfg, curl_transport_factory(), [&] { ++wakes; });
    worker.start();
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        SyncStatus s = worker.status();
        if (s.last_success_ms > 0 && !s.running) break;
        std::this_thread::sleep_for(20ms);
    }
    SyncStatus s = worker.status();
    CHECK(s.last_success_ms > 0);
    CHECK(s.online);
    CHECK(s.pending == 0);
    CHECK(s.last_error.empty());
    CHECK(wakes.load() >= 2);
    CHECK(s.next_attempt_ms > s.last_attempt_ms);

    // A new record and "sync now": delivered without waiting the hour-long interval.
    {
        KioskStore ui(cfg.db_path);
        enqueue_opinion(ui, 10);
    }
    std::size_t before = fake.requests();
    worker.request_now();
    deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && fake.requests() == before)
        std::this_thread::sleep_for(20ms);
    CHECK(fake.requests() == before + 1);

    // The server hangs on the next request: stop() must not wait for the HTTP timeout.
    fake.set_records([&](const Json&, httplib::Response& res) {
        entered = true;
        std::unique_lock lock(hang_mu);
        hang_cv.wait_for(lock, 20s, [&] { return release; });
        res.status = 500;
    });
    {
        KioskStore ui(cfg.db_path);
        enqueue_opinion(ui, 11);
    }
    worker.request_now();
    deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && !entered) std::this_thread::sleep_for(10ms);
    REQUIRE(entered.load());
    auto t0 = std::chrono::steady_clock::now();
    worker.stop();
    auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took < 3s);
    {
        std::lock_guard lock(hang_mu);
        release = true;
    }
    hang_cv.notify_all();
    KioskStore ui(cfg.db_path);
    CHECK(ui.counts().pending == 1);   // the cut-off push did not count as delivered
}

TEST_CASE("the worker backs off while the server is down, and stop() is prompt while waiting") {
    int port;
    {
        FakeServer gone;
        port = gone.port;
    }
    TempDir dir("kyodo-worker-test");
    KioskConfig cfg = make_config("http://127.0.0.1:" + std::to_string(port), dir.file("kiosk.db"));
    {
        KioskStore ui(cfg.db_path);
        enqueue_opinion(ui, 1);
    }
    SyncWorker worker(cfg, curl_transport_factory(), nullptr);
    worker.start();
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && worker.status().last_attempt_ms == 0)
        std::this_thread::sleep_for(10ms);
    while (std::chrono::steady_clock::now() < deadline && worker.status().running)
        std::this_thread::sleep_for(10ms);
    SyncStatus s = worker.status();
    CHECK_FALSE(s.online);
    CHECK(s.last_error.find("サーバーに接続できません") != std::string::npos);
    CHECK(s.pending == 1);
    CHECK(s.next_attempt_ms >= s.last_attempt_ms + 1000);   // at least a second, not a spin
    auto t0 = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
}

// The kiosk's transport comes from a module it loads late; when that fails the worker must
// keep every record, say why in plain words, and try the factory again on the next pass.
TEST_CASE("a transport factory that fails keeps the records pending and its error in status") {
    FakeServer fake;
    TempDir dir("kyodo-worker-test");
    KioskConfig cfg = make_config(fake.url(), dir.file("kiosk.db"));
    {
        KioskStore ui(cfg.db_path);
        for (int i = 0; i < 2; ++i) enqueue_opinion(ui, i);
    }
    std::atomic<int> calls{0};
    std::atomic<bool> module_present{false};
    auto real = curl_transport_factory();
    TransportFactory flaky = [&](const TransportOptions& o, const std::atomic<bool>* cancel,
                                 std::string& error) -> std::unique_ptr<Transport> {
        ++calls;
        if (module_present) return real(o, cancel, error);
        error = "同期モジュールがありません (sync module missing: test.so: cannot open shared object file)";
        return nullptr;
    };
    SyncWorker worker(cfg, flaky, nullptr);
    worker.start();
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline &&
           (worker.status().last_attempt_ms == 0 || worker.status().running))
        std::this_thread::sleep_for(10ms);
    SyncStatus s = worker.status();
    CHECK(s.last_error.find("sync module missing: test.so") != std::string::npos);
    CHECK_FALSE(s.online);
    CHECK(s.pending == 2);
    CHECK(fake.requests() == 0);
    {
        KioskStore ui(cfg.db_path);
        CHECK(ui.counts().pending == 2);
    }

    // The module appears (staff installed it): the next pass makes a transport and delivers.
    module_present = true;
    worker.request_now();
    deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && worker.status().last_success_ms == 0)
        std::this_thread::sleep_for(20ms);
    s = worker.status();
    CHECK(calls.load() >= 2);
    CHECK(s.last_error.empty());
    CHECK(s.pending == 0);
    worker.stop();
}

// push() sends the outbox's stored texts; the body must be what decoding each record and
// building the old nlohmann tree gave, sealed personal parts and odd characters included.
TEST_CASE("the push body from stored texts is the body the decoded records give") {
    TempDir dir{"kyodo-sync-body"};
    KioskConfig cfg = make_config("http://127.0.0.1:9", dir.file("kiosk.db"));
    KioskStore store(cfg.db_path);
    CurlTransport transport(fast_options(cfg.server_url));
    SyncEngine engine(store, cfg, transport);
    for (int i = 0; i < 3; ++i) enqueue_opinion(store, i);
    enqueue_signup(store);   // with a sealed personal part
    Record odd;
    odd.kind = RecordKind::Opinion;
    odd.kiosk_id = cfg.kiosk_id;
    odd.centre_id = cfg.centre_id;
    odd.payload = {{"topic", "防災"}, {"text", "タブ\tと改行\nと\"引用\"と\\と😀"}, {"activity_id", ""},
                   {"wants_reply", false}};
    store.enqueue(odd);

    const auto entries = store.pending(100, 1 << 20);
    const auto texts = store.pending_text(100, 1 << 20);
    REQUIRE(entries.size() == 5);
    REQUIRE(texts.size() == entries.size());
    Json records = Json::array();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        CHECK(texts[i].id == entries[i].record.id);
        records.push_back(to_json(entries[i].record));
    }
    const std::string old_body =
        Json{{"kiosk_id", cfg.kiosk_id}, {"app_version", cfg.app_version}, {"backlog", 7}, {"records", records}}.dump();
    CHECK(engine.batch_body(texts, 7) == old_body);
    CHECK(engine.batch_body(entries, 7) == old_body);
    // The byte budget stops both the same way.
    CHECK(store.pending_text(100, 1).size() == 1);
    CHECK(store.pending_text(2, 1 << 20).size() == 2);
}

TEST_CASE("rosters: pulled after the catalog, replacing the held ones; a tick not yet sent stays ticked; a failed "
          "pull keeps the last") {
    FakeServer fake;
    Json doc = {{"protocol", "kyodo/1"},
                {"centre_id", "c1"},
                {"from", "2026-12-06"},
                {"to", "2026-12-21"},
                {"activities",
                 {{{"id", "act-1"},
                   {"title", "みんなの体操"},
                   {"starts_at", "2026-12-07T10:00"},
                   {"place", "ホール"},
                   {"capacity", 10},
                   {"signups",
                    {{{"signup_id", "0190a0b0-0000-7000-8000-000000000001"}, {"receipt", "AAAA-0001"},
                      {"party_size", 2}, {"status", "confirmed"}, {"hint", "やまだ"}, {"attended", false}},
                     {{"signup_id", "0190a0b0-0000-7000-8000-000000000002"}, {"receipt", "AAAA-0002"},
                      {"party_size", 1}, {"status", "waitlisted"}, {"hint", ""}, {"attended", true},
                      {"name", "山田 太郎"}}}}}}}};
    fake.set_rosters([&](const httplib::Request& req, httplib::Response& res) {
        CHECK(req.get_header_value("Authorization") == "Bearer test-token");
        res.set_content(doc.dump(), "application/json");
    });
    Kiosk k(fake.url());
    SyncReport rep = k.engine->run_once();
    CHECK(rep.ok());
    REQUIRE(rep.rosters_attempted);
    CHECK(rep.rosters.ok);
    CHECK(rep.rosters.activities == 1);
    CHECK(rep.rosters.signups == 2);
    auto held = k.store->rosters();
    REQUIRE(held.size() == 1);
    CHECK(held[0].title == "みんなの体操");
    REQUIRE(held[0].signups.size() == 2);
    CHECK(held[0].signups[0].hint == "や");   // at most one character is ever kept
    CHECK(held[0].signups[0].party_size == 2);
    CHECK(held[0].signups[1].attended);
    // Nothing but the roster fields reached the disk.
    {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(k.store->raw(), "SELECT count(*) FROM roster_signups WHERE hint LIKE '%山田%' "
                                   "OR receipt LIKE '%山田%' OR status LIKE '%山田%'", -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        CHECK(sqlite3_column_int(st, 0) == 0);
        sqlite3_finalize(st);
    }

    // Staff tick the first while the server is unreachable for records: the next roster (the
    // server's older word) must not untick it.
    fake.set_records([](const Json&, httplib::Response& res) { res.status = 503; });
    k.store->enqueue_attendance("0190a0b0-0000-7000-8000-000000000001", true, "k1", "c1");
    CHECK(k.store->roster_by_receipt("act-1", "aaaa0001")->attended);
    SyncReport second = k.engine->run_once();
    CHECK_FALSE(second.push.ok);
    CHECK(k.engine->pull_rosters().ok);
    CHECK(k.store->roster_by_receipt("act-1", "AAAA-0001")->attended);
    CHECK(k.store->counts().by_kind[static_cast<int>(RecordKind::Attendance)].pending == 1);

    // A server without rosters, or a captive portal: the held rosters stay.
    fake.set_records(nullptr);
    fake.set_rosters([](const httplib::Request&, httplib::Response& res) {
        res.set_content("<html>login</html>", "text/html");
    });
    SyncReport third = k.engine->run_once();
    CHECK(third.ok());   // records and catalog went through
    CHECK_FALSE(third.rosters.ok);
    CHECK(k.store->rosters().size() == 1);
    fake.set_rosters(nullptr);
    CHECK_FALSE(k.engine->pull_rosters().ok);
    CHECK(k.store->rosters().size() == 1);
    CHECK(k.store->counts().by_kind[static_cast<int>(RecordKind::Attendance)].pending == 0);
}
