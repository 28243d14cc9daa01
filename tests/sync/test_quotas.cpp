// SyncEngine's quotas exchange (issue 10 point 2: places confirmed on the spot) against a
// fake Transport in memory: what the kiosk reports about its leases, how it applies the
// answer on its own clock, and when it does not ask at all.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "core/seal.h"
#include "core/store.h"
#include "sync/sync_engine.h"
#include "sync/transport.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using kyodo::test::TempDir;

namespace {

const char* const kLease = "0190f3a2-aaaa-7000-8000-000000000001";
const char* const kLease2 = "0190f3a2-bbbb-7000-8000-000000000002";

HttpResponse json_answer(int status, const Json& doc) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"content-type", "application/json"}};
    r.body = doc.dump();
    return r;
}

// A city hall in memory. Records: every one stored, a sign-up naming a lease confirmed.
// Catalog: 304. Quotas: whatever `quotas` answers (by default the grants in `live`).
struct FakeCityHall : Transport {
    bool online = true;
    int records_status = 200;
    std::vector<Json> quota_requests;
    std::vector<std::string> paths;
    Json live = Json::array();   // the "quotas" list answered
    std::function<HttpResponse(const Json&)> quotas;

    HttpResponse send(const HttpRequest& req) override {
        paths.push_back(req.method + " " + req.path.substr(0, req.path.find('?')));
        if (!online) {
            HttpResponse r;
            r.error_kind = TransportErrorKind::Connect;
            r.error = "connection refused";
            return r;
        }
        if (req.path.rfind("/api/v1/catalog", 0) == 0) {
            HttpResponse r;
            r.status = 304;
            return r;
        }
        if (req.method == "GET") {   // the rosters (GET /api/v1/rosters): not this test's business
            HttpResponse r;
            r.status = 404;
            return r;
        }
        const Json doc = Json::parse(req.body);   // the body before the transport's gzip
        if (req.path == "/api/v1/records") {
            if (records_status != 200)
                return json_answer(records_status, {{"protocol", "kyodo/1"}, {"error", {{"code", "x"}, {"message", "x"}}}});
            Json results = Json::array();
            for (const auto& r : doc.at("records")) {
                Json a = {{"id", r.at("id")}, {"result", "stored"}};
                if (r.at("kind") == "sign_up")
                    a["signup_status"] = r.at("payload").contains("lease") ? "confirmed" : "waitlisted";
                results.push_back(a);
            }
            return json_answer(200, {{"protocol", "kyodo/1"}, {"results", results}});
        }
        if (req.path == "/api/v1/quotas") {
            quota_requests.push_back(doc);
            if (quotas) return quotas(doc);
            return json_answer(200, {{"protocol", "kyodo/1"}, {"server_time", "2026-12-07T01:02:03Z"}, {"quotas", live}});
        }
        HttpResponse r;
        r.status = 404;
        return r;
    }
};

const KeyPair& keys() {
    static KeyPair k = [] {
        crypto_init();
        return generate_keypair();
    }();
    return k;
}

struct Kiosk {
    TempDir dir{"kyodo-sync-quotas"};
    KioskConfig cfg;
    std::unique_ptr<KioskStore> store;
    FakeCityHall hall;
    std::unique_ptr<SyncEngine> engine;
    std::int64_t clock = 0;   // the kiosk's clock, Unix ms
    explicit Kiosk(std::int64_t start_ms) : clock(start_ms) {
        cfg.kiosk_id = "k1";
        cfg.centre_id = "c1";
        cfg.server_url = "http://127.0.0.1:9";
        cfg.token = "t";
        cfg.city_hall_public_key = keys().public_key_b64;
        cfg.db_path = dir.file("kiosk.db");
        store = std::make_unique<KioskStore>(cfg.db_path);
        engine = std::make_unique<SyncEngine>(*store, cfg, hall);
        engine->set_clock([this] { return clock; });
    }
    std::string signup(const std::string& activity, int party, bool* spot) {
        Record r;
        r.kind = RecordKind::SignUp;
        r.kiosk_id = "k1";
        r.centre_id = "c1";
        r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}};
        r.sealed = "QUJD";
        store->enqueue_signup(r, clock, spot);
        return r.id;
    }
    std::optional<KioskLease> lease(const std::string& id) const {
        for (const auto& l : store->leases())
            if (l.id == id) return l;
        return std::nullopt;
    }
};

constexpr std::int64_t kServerNow = 1'800'000'000'000;

}  // namespace

TEST_CASE("quotas: a grant becomes a lease on the kiosk's clock; offline sign-ups confirmed; done once ended and delivered") {
    for (const std::int64_t offset : {-86'400'000LL, 0LL, 86'400'000LL}) {
        CAPTURE(offset);
        Kiosk k(kServerNow + offset);
        CHECK(k.cfg.lease_margin_s == 600);
        k.hall.live = Json::array({{{"id", kLease}, {"activity_id", "a2"}, {"places", 3}, {"ends_in_s", 7200}}});
        SyncReport rep = k.engine->run_once();
        CHECK(rep.ok());
        CHECK(rep.quotas_attempted);
        CHECK(rep.quotas.ok);
        CHECK(rep.quotas.leases == 1);
        REQUIRE(k.hall.quota_requests.size() == 1);
        CHECK(k.hall.quota_requests[0] == Json{{"leases", Json::array()}});
        // The exchange comes after the push and the pull (and before the rosters).
        REQUIRE(k.hall.paths.size() >= 3);
        CHECK(k.hall.paths.back() == "GET /api/v1/rosters");
        CHECK(k.hall.paths[k.hall.paths.size() - 2] == "POST /api/v1/quotas");
        CHECK(k.hall.paths[k.hall.paths.size() - 3] == "GET /api/v1/catalog");
        auto l = k.lease(kLease);
        REQUIRE(l);
        CHECK(l->places == 3);
        CHECK(l->ends_local_ms == k.clock + 7'200'000 - 600'000);

        // Offline: confirmed on the spot all the same.
        k.hall.online = false;
        k.clock += 60'000;
        bool spot = false;
        const std::string id = k.signup("a2", 2, &spot);
        CHECK(spot);
        rep = k.engine->run_once();
        CHECK_FALSE(rep.ok());
        CHECK_FALSE(rep.quotas_attempted);
        CHECK(k.hall.quota_requests.size() == 1);
        // Still offline when the lease ends on the kiosk's clock: nothing more under it.
        k.clock = l->ends_local_ms;
        const std::string late = k.signup("a2", 1, &spot);
        CHECK_FALSE(spot);

        // Back: the sign-ups are pushed first, then the lease is reported used 2 and done.
        k.hall.online = true;
        k.hall.live = Json::array();
        rep = k.engine->run_once();
        CHECK(rep.ok());
        CHECK(k.store->outbox_entry(id)->signup_status == "confirmed");
        CHECK(k.store->outbox_entry(late)->signup_status == "waitlisted");
        REQUIRE(k.hall.quota_requests.size() == 2);
        CHECK(k.hall.quota_requests[1] ==
              Json{{"leases", Json::array({{{"id", kLease}, {"used", 2}, {"done", true}}})}});
        CHECK(rep.quotas.reported_done == 1);
        CHECK(k.lease(kLease)->done_reported);
        // Reported once: the next exchange no longer names it.
        rep = k.engine->run_once();
        CHECK(k.hall.quota_requests.back() == Json{{"leases", Json::array()}});
    }
}

TEST_CASE("quotas: an ended lease with an undelivered sign-up is reported used, not done") {
    Kiosk k(kServerNow);
    k.hall.live = Json::array({{{"id", kLease}, {"activity_id", "a2"}, {"places", 5}, {"ends_in_s", 3600}}});
    k.engine->run_once();
    bool spot = false;
    k.signup("a2", 1, &spot);
    REQUIRE(spot);
    k.clock += 3'600'000;   // past its end
    // The push fails (500): the sign-up is still undelivered, the pass does not reach the
    // exchange; asked directly, the kiosk says used 1, not done.
    k.hall.records_status = 500;
    SyncReport rep = k.engine->run_once();
    CHECK_FALSE(rep.quotas_attempted);
    QuotaResult q = k.engine->exchange_quotas();
    CHECK(q.ok);
    CHECK(k.hall.quota_requests.back() == Json{{"leases", Json::array({{{"id", kLease}, {"used", 1}, {"done", false}}})}});
    CHECK(q.reported_done == 0);
    CHECK(k.lease(kLease)->ended);
    CHECK_FALSE(k.lease(kLease)->done_reported);
    // Delivered now: done.
    k.hall.records_status = 200;
    k.engine->run_once();
    CHECK(k.hall.quota_requests.back() == Json{{"leases", Json::array({{{"id", kLease}, {"used", 1}, {"done", true}}})}});
    CHECK(k.lease(kLease)->done_reported);
}

TEST_CASE("quotas: no exchange after an auth failure; a failed or foreign answer changes nothing; 404 is an older server") {
    Kiosk k(kServerNow);
    k.hall.live = Json::array({{{"id", kLease}, {"activity_id", "a2"}, {"places", 2}, {"ends_in_s", 3600}}});
    k.engine->run_once();
    REQUIRE(k.lease(kLease));
    bool spot = false;
    k.signup("a2", 1, &spot);
    k.clock += 3'600'000;

    // 401 on the push: no pull, no exchange.
    k.hall.records_status = 401;
    SyncReport rep = k.engine->run_once();
    CHECK(rep.failure() == FailureKind::Auth);
    CHECK_FALSE(rep.quotas_attempted);
    CHECK(k.hall.quota_requests.size() == 1);
    k.hall.records_status = 200;

    // An answer that is not ours (a captive portal): not applied, done not recorded.
    k.hall.quotas = [](const Json&) {
        HttpResponse r;
        r.status = 200;
        r.headers = {{"content-type", "text/html"}};
        r.body = "<html>login</html>";
        return r;
    };
    rep = k.engine->run_once();
    CHECK(rep.quotas_attempted);
    CHECK_FALSE(rep.quotas.ok);
    CHECK_FALSE(rep.ok());
    CHECK(rep.quotas.failure == FailureKind::Retryable);
    CHECK(k.hall.quota_requests.back().at("leases").at(0).at("done") == true);
    CHECK_FALSE(k.lease(kLease)->done_reported);

    // 500: the same.
    k.hall.quotas = [](const Json&) { return json_answer(500, {{"protocol", "kyodo/1"}}); };
    rep = k.engine->run_once();
    CHECK_FALSE(rep.quotas.ok);
    CHECK_FALSE(k.lease(kLease)->done_reported);

    // A server from before quotas (404): not an error of the pass, nothing changes.
    k.hall.quotas = [](const Json&) {
        HttpResponse r;
        r.status = 404;
        r.body = "Not Found";
        return r;
    };
    rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(rep.quotas.unsupported);
    CHECK_FALSE(k.lease(kLease)->done_reported);

    // Our answer at last: done recorded, and a new grant applied in the same exchange.
    k.hall.quotas = nullptr;
    k.hall.live = Json::array({{{"id", kLease2}, {"activity_id", "a2"}, {"places", 4}, {"ends_in_s", 3600}}});
    rep = k.engine->run_once();
    CHECK(rep.ok());
    CHECK(k.lease(kLease)->done_reported);
    REQUIRE(k.lease(kLease2));
    CHECK(k.lease(kLease2)->places == 4);
    k.signup("a2", 4, &spot);
    CHECK(spot);
}

TEST_CASE("quotas: a malformed grant is skipped, the rest applied") {
    Kiosk k(kServerNow);
    k.hall.live = Json::array({{{"id", kLease}, {"activity_id", "a2"}, {"places", "many"}, {"ends_in_s", 3600}},
                               {{"id", kLease2}, {"activity_id", "a3"}, {"places", 2}, {"ends_in_s", 60}}});
    SyncReport rep = k.engine->run_once();
    CHECK(rep.quotas.ok);
    CHECK_FALSE(k.lease(kLease));
    REQUIRE(k.lease(kLease2));
    // ends_in_s shorter than the margin: already ended for the kiosk.
    bool spot = true;
    k.signup("a3", 1, &spot);
    CHECK_FALSE(spot);
}
