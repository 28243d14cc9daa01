// The HTTP API in-process on a free 127.0.0.1 port, driven with httplib::Client: the happy
// path, a table of hostile and malformed requests, gzip, rate limiting and the catalog's
// ETag / 304 behaviour.
#include <doctest/doctest.h>
#include <httplib.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "server/admin.h"
#include "server/http_api.h"
#include "server_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

std::string gzip(const std::string& in) {
    z_stream s{};
    REQUIRE(deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&s, in.size()) + 64, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&s, Z_FINISH) == Z_STREAM_END);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

struct Server {
    TempDir dir;
    std::unique_ptr<Storage> st;
    const KeyPair& keys = test_keys();
    std::string token, token2, revoked_token;
    std::unique_ptr<BackgroundServer> bg;
    std::unique_ptr<httplib::Client> cli;

    explicit Server(ApiOptions opts = {}) {
        st = open_sqlite_storage(dir / "server.db");
        st->import_catalog(small_catalog());
        token = enrol_kiosk(*st, "k1", "ohdono");
        token2 = enrol_kiosk(*st, "k2", "ohdono");
        revoked_token = enrol_kiosk(*st, "k-old", "ohdono");
        st->revoke_device("k-old", rfc3339_now());
        bg = std::make_unique<BackgroundServer>(*st, keys, opts);
        cli = std::make_unique<httplib::Client>("127.0.0.1", bg->port());
        cli->set_connection_timeout(5);
        cli->set_read_timeout(10);
        cli->set_write_timeout(10);
    }
    ~Server() {
        cli.reset();
        bg->stop();
    }
    httplib::Headers auth(const std::string& t) const { return {{"Authorization", "Bearer " + t}}; }
    httplib::Result post(const std::string& body, const httplib::Headers& h) {
        return cli->Post("/api/v1/records", h, body, "application/json");
    }
    httplib::Result push(const std::vector<Record>& recs, const std::string& t) {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        return post(Json{{"kiosk_id", "k1"}, {"app_version", "0.1.0"}, {"backlog", 3}, {"records", arr}}.dump(),
                    auth(t));
    }
};

Json body_of(const httplib::Result& r) {
    REQUIRE(r);
    Json j = Json::parse(r->body, nullptr, false);
    REQUIRE_MESSAGE(j.is_object(), r->body);
    CHECK(j["protocol"] == "kyodo/1");
    return j;
}

std::string push_body(const std::vector<Json>& recs) {
    return Json{{"records", recs}}.dump();
}

}  // namespace

TEST_CASE("health needs no token and says which catalog version is current") {
    Server s;
    auto r = s.cli->Get("/api/v1/health");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type").find("application/json") == 0);
    const Json j = body_of(r);
    CHECK(j["status"] == "ok");
    CHECK(j["catalog_version"] == 1);
    CHECK(j["server_time"].get<std::string>().size() == 20);
}

TEST_CASE("push: stored, duplicate, per-record answers and device bookkeeping") {
    Server s;
    Record a = opinion(), b = sign_up(s.keys, "ev-small", 2);
    auto r = s.push({a, b}, s.token);
    REQUIRE(r);
    CHECK(r->status == 200);
    Json j = body_of(r);
    REQUIRE(j["results"].size() == 2);
    CHECK(j["results"][0]["id"] == a.id);
    CHECK(j["results"][0]["result"] == "stored");
    CHECK(j["results"][0]["receipt"] == receipt_number(a.id));
    CHECK(!j["results"][0].contains("signup_status"));
    CHECK(j["results"][1]["signup_status"] == "confirmed");
    CHECK(j["signup_updates"] == Json::array());
    CHECK(j.contains("server_time"));

    j = body_of(s.push({a, b}, s.token));
    CHECK(j["results"][0]["result"] == "duplicate");
    CHECK(j["results"][1]["result"] == "duplicate");
    CHECK(j["results"][1]["signup_status"] == "confirmed");

    auto d = s.st->device("k1");
    CHECK(d->backlog == 3);
    CHECK(d->app_version == "0.1.0");
    CHECK(!d->last_seen_at.empty());
    CHECK(s.st->counts().records == 2);
}

TEST_CASE("push: gzip bodies are inflated, with a cap on the inflated size") {
    ApiOptions o;
    o.max_body_bytes = 1 << 20;
    Server s(o);
    Record a = opinion();
    httplib::Headers h = s.auth(s.token);
    h.emplace("Content-Encoding", "gzip");
    Json j = body_of(s.post(gzip(push_body({to_json(a)})), h));
    CHECK(j["results"][0]["result"] == "stored");

    // A small gzip body that inflates past the limit (a "zip bomb").
    auto r = s.post(gzip(std::string(3 << 20, ' ')), h);
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(body_of(r)["error"]["code"] == "too_large");

    r = s.post("this is not gzip at all", h);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(body_of(r)["error"]["code"] == "bad_encoding");

    httplib::Headers zstd = s.auth(s.token);
    zstd.emplace("Content-Encoding", "zstd");
    r = s.post(push_body({to_json(opinion())}), zstd);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(body_of(r)["error"]["code"] == "bad_encoding");
}

TEST_CASE("hostile and malformed requests get the right status and error code") {
    Server s;
    const Json good = to_json(opinion());
    Json unknown_kind = to_json(opinion());
    unknown_kind["kind"] = "spam";
    const Json too_long = to_json(opinion("k1", std::string(2500, 'x')));
    std::vector<Json> many(1001, to_json(opinion()));
    const std::string bad_utf8 = std::string(R"({"records":[{"id":"x","kind":"opinion","payload":{"text":"ab)") +
                                 "\xff\xfe" + R"("}}]})";

    struct Case {
        const char* name;
        std::string body;
        httplib::Headers headers;
        int status;
        std::string code;          // error code, or per-record code when status is 200
    };
    const auto tok = s.auth(s.token);
    const std::vector<Case> cases = {
        {"no token", push_body({good}), {}, 401, "unauthorized"},
        {"bad token", push_body({good}), s.auth("not-a-token"), 401, "unauthorized"},
        {"not bearer", push_body({good}), {{"Authorization", "Basic dXNlcjpwYXNz"}}, 401, "unauthorized"},
        {"empty bearer", push_body({good}), {{"Authorization", "Bearer "}}, 401, "unauthorized"},
        {"revoked kiosk", push_body({good}), s.auth(s.revoked_token), 403, "revoked"},
        {"bad JSON", R"({"records": [)", tok, 400, "bad_json"},
        {"empty body", "", tok, 400, "bad_json"},
        {"HTML", "<html><body>login</body></html>", tok, 400, "bad_json"},
        {"broken UTF-8 in a string", bad_utf8, tok, 400, "bad_json"},
        {"top level array", "[]", tok, 400, "bad_request"},
        {"records missing", R"({"kiosk_id":"k1"})", tok, 400, "bad_request"},
        {"records not an array", R"({"records":{"a":1}})", tok, 400, "bad_request"},
        {"backlog not a number", R"({"records":[],"backlog":"many"})", tok, 400, "bad_request"},
        {"unknown kind", push_body({unknown_kind}), tok, 200, "unknown_kind"},
        {"record not an object", R"({"records":["hello"]})", tok, 200, "bad_record"},
        {"over-long text", push_body({too_long}), tok, 200, "too_long"},
        {"1001 records", push_body(many), tok, 413, "too_large"},
        {"huge body", std::string(9 << 20, ' '), tok, 413, "too_large"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto r = s.post(c.body, c.headers);
        REQUIRE(r);
        CHECK(r->status == c.status);
        const Json j = body_of(r);
        if (c.status == 200) {
            REQUIRE(j["results"].size() == 1);
            CHECK(j["results"][0]["result"] == "rejected");
            CHECK(j["results"][0]["code"] == c.code);
            CHECK(!j["results"][0]["message"].get<std::string>().empty());
        } else {
            CHECK(j["error"]["code"] == c.code);
            CHECK(!j["error"]["message"].get<std::string>().empty());
        }
    }
    // The UTF-8 message says what is wrong in plain words and is itself valid UTF-8.
    auto r = s.post(bad_utf8, tok);
    const std::string msg = body_of(r)["error"]["message"];
    CHECK(msg.find("UTF-8") != std::string::npos);
    CHECK(msg.find("body is not valid JSON") == 0);
    CHECK(s.st->counts().records == 0);

    // Unknown paths and methods answer our JSON shape too.
    auto nf = s.cli->Get("/api/v2/records");
    REQUIRE(nf);
    CHECK(nf->status == 404);
    CHECK(body_of(nf)["error"]["code"] == "not_found");
}

TEST_CASE("a kiosk cannot push records made by another kiosk") {
    Server s;
    Json j = body_of(s.push({opinion("k1")}, s.token2));
    CHECK(j["results"][0]["code"] == "kiosk_mismatch");
}

TEST_CASE("rate limit: a kiosk over its bucket gets 429 with Retry-After; others are unaffected") {
    ApiOptions o;
    o.rate_per_s = 0.02;   // one token per 50 s: no refill during the test, however slow the machine
    o.rate_burst = 3;
    Server s(o);
    for (int i = 0; i < 3; ++i) CHECK(s.post(push_body({}), s.auth(s.token))->status == 200);
    auto r = s.post(push_body({}), s.auth(s.token));
    REQUIRE(r);
    CHECK(r->status == 429);
    CHECK(body_of(r)["error"]["code"] == "rate_limited");
    CHECK(std::stoi(r->get_header_value("Retry-After")) >= 1);
    CHECK(s.post(push_body({}), s.auth(s.token2))->status == 200);
}

TEST_CASE("catalog: full, since, ETag and 304") {
    Server s;
    auto r = s.cli->Get("/api/v1/catalog", s.auth(s.token));
    REQUIRE(r);
    CHECK(r->status == 200);
    Json j = body_of(r);
    CHECK(j["full"] == true);
    CHECK(j["version"] == 1);
    CHECK(j["activities"].size() == 2);
    CHECK(r->get_header_value("ETag") == "\"cat-1-0\"");

    // Same request with the ETag: 304.
    httplib::Headers h = s.auth(s.token);
    h.emplace("If-None-Match", "\"cat-1-0\"");
    r = s.cli->Get("/api/v1/catalog?since=0", h);
    REQUIRE(r);
    CHECK(r->status == 304);
    CHECK(r->body.empty());

    // Up to date: 304.
    r = s.cli->Get("/api/v1/catalog?since=1", s.auth(s.token));
    REQUIRE(r);
    CHECK(r->status == 304);
    CHECK(r->get_header_value("ETag") == "\"cat-1-1\"");

    // A confirmed sign-up moves `taken` and the activity's version.
    body_of(s.push({sign_up(s.keys, "ev-small", 2)}, s.token));
    r = s.cli->Get("/api/v1/catalog?since=1", s.auth(s.token));
    REQUIRE(r);
    CHECK(r->status == 200);
    j = body_of(r);
    CHECK(j["full"] == false);
    CHECK(j["version"] == 2);
    REQUIRE(j["activities"].size() == 1);
    CHECK(j["activities"][0]["taken"] == 2);
    CHECK(j["deleted"]["activities"] == Json::array());
    CHECK(r->get_header_value("ETag") == "\"cat-2-1\"");
    // The document decodes with the shared codec, as kiosks do.
    CHECK(catalog_from_json(j).activities[0].taken == 2);

    // Authentication and parameter checks.
    CHECK(s.cli->Get("/api/v1/catalog")->status == 401);
    CHECK(s.cli->Get("/api/v1/catalog", s.auth(s.revoked_token))->status == 403);
    for (const char* bad : {"-1", "abc", "1x", ""}) {
        CAPTURE(bad);
        r = s.cli->Get((std::string("/api/v1/catalog?since=") + bad).c_str(), s.auth(s.token));
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(body_of(r)["error"]["code"] == "bad_request");
    }
}

TEST_CASE("concurrent pushes from several kiosks all land, once") {
    Server s;
    std::vector<std::string> tokens;
    for (int k = 0; k < 8; ++k) tokens.push_back(enrol_kiosk(*s.st, "kc" + std::to_string(k), "ohdono"));
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int k = 0; k < 8; ++k) {
        threads.emplace_back([&, k] {
            httplib::Client c("127.0.0.1", s.bg->port());
            for (int b = 0; b < 5; ++b) {
                Json arr = Json::array();
                for (int i = 0; i < 50; ++i) arr.push_back(to_json(opinion("kc" + std::to_string(k))));
                const std::string body = Json{{"records", arr}}.dump();
                for (int t = 0; t < 2; ++t) {   // each batch twice: the second is all duplicates
                    auto r = c.Post("/api/v1/records", {{"Authorization", "Bearer " + tokens[k]}}, body,
                                    "application/json");
                    if (r && r->status == 200) ++ok;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 8 * 5 * 2);
    CHECK(s.st->counts().records == 8 * 5 * 50);
}
