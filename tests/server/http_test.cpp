// The HTTP API in-process on a free 127.0.0.1 port, driven with httplib::Client: the happy
// path, a table of hostile and malformed requests, gzip, rate limiting and the catalog's
// ETag / 304 behaviour.
#include <doctest/doctest.h>
#include <httplib.h>
#include <zlib.h>

#include <functional>
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

// The hostile-input table with the exact answer of each (status, code and message, or the
// record's code and message): what the push reader must keep, byte for byte, whatever reads
// the body (docs/protocol.md, "Malformed pushes").
TEST_CASE("push: every malformed body gets exactly the answer of the table") {
    ApiOptions no_rate_limit;
    no_rate_limit.rate_per_s = 0;   // 80 pushes in a row from one kiosk
    Server s(no_rate_limit);
    const auto tok = s.auth(s.token);
    // One record (an opinion with a fixed id) as JSON text with `edit` applied to its tree.
    auto rec = [](const std::function<void(Json&)>& edit) {
        Record r = opinion();
        r.id = "0190e6a0-0000-7000-8000-000000000001";
        r.created_at = rfc3339_now();
        Json j = to_json(r);
        edit(j);
        return j.dump();
    };
    auto one = [](const std::string& record) { return "{\"records\":[" + record + "]}"; };
    const std::string good = rec([](Json&) {});
    const std::string deep = "{\"records\":[" + std::string(100000, '[');
    std::string many = "{\"records\":[";
    for (int i = 0; i < 1001; ++i) many += (i ? "," : "") + good;
    many += "]}";
    auto replace = [](std::string t, const std::string& from, const std::string& to) {
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };

    struct Exact {
        const char* name;
        std::string body;
        int status;
        std::string code, message;   // the error's, or the one record's when status is 200
    };
    const std::string bad_obj = "body must be a JSON object with a \"records\" array";
    const std::string acks_msg =
        "\"signup_acks\" must be an array of at most 1000 objects {\"id\": string, \"signup_status\": string}";
    const std::vector<Exact> table = {
        // The envelope.
        {"truncated", R"({"records": [)", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 14: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"},
        {"empty body", "", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"},
        {"HTML", "<html><body>login</body></html>", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: '<'"},
        {"broken UTF-8", std::string(R"({"records":[{"id":"x","payload":{"text":"ab)") + "\xff\xfe" + R"("}}]})",
         400, "bad_json", "body is not valid JSON: text must be UTF-8 (parse error at line 1, column 44: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"ab�')"},
        {"overlong UTF-8", std::string("{\"records\":[\"\xc0\xaf\"]}"), 400, "bad_json", "body is not valid JSON: text must be UTF-8 (parse error at line 1, column 14: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"�')"},
        {"UTF-16 surrogate as UTF-8", std::string("{\"records\":[\"\xed\xa0\x80\"]}"), 400, "bad_json", "body is not valid JSON: text must be UTF-8 (parse error at line 1, column 15: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"��')"},
        {"lone surrogate escape", R"({"records":["\ud800"]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 20: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\ud800\"'"},
        {"lone low surrogate escape", R"({"records":["\udc00x"]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 19: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF; last read: '\"\\udc00'"},
        {"bad escape", R"({"records":["\x41"]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 15: syntax error while parsing value - invalid string: forbidden character after backslash; last read: '\"\\x'"},
        {"raw tab in a string", "{\"records\":[\"a\tb\"]}", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 15: syntax error while parsing value - invalid string: control character U+0009 (HT) must be escaped to \\u0009 or \\t; last read: '\"a<U+0009>'"},
        {"trailing text", R"({"records":[]} x)", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 16: syntax error while parsing value - invalid literal; last read: '\"records\":[]} x'; expected end of input"},
        {"two documents", R"({"records":[]}{"records":[]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 15: syntax error while parsing value - unexpected '{'; expected end of input"},
        {"comment", R"({"records":[]/* c */})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 14: syntax error while parsing object - invalid literal; last read: '\"records\":[]/'; expected '}'"},
        {"trailing comma in object", R"({"records":[],})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 15: syntax error while parsing object key - unexpected '}'; expected string literal"},
        {"trailing comma in array", R"({"records":[1,]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 15: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal"},
        {"single quotes", R"({'records':[]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 2: syntax error while parsing object key - invalid literal; last read: '{''; expected string literal"},
        {"leading zero", R"({"records":[],"backlog":01})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 26: syntax error while parsing object - unexpected number literal; expected '}'"},
        {"NaN", R"({"records":[NaN]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 13: syntax error while parsing value - invalid literal; last read: '\"records\":[N'"},
        {"bare word", R"({"records":[tru]})", 400, "bad_json", "body is not valid JSON: parse error at line 1, column 16: syntax error while parsing value - invalid literal; last read: '\"records\":[tru]'"},
        {"deep nesting", deep, 400, "bad_json", "body is not valid JSON: parse error at line 1, column 100013: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"},
        {"top level array", "[]", 400, "bad_request", bad_obj},
        {"top level string", R"("records")", 400, "bad_request", bad_obj},
        {"top level null", "null", 400, "bad_request", bad_obj},
        {"empty object", "{}", 400, "bad_request", "\"records\" is missing"},
        {"records missing", R"({"kiosk_id":"k1"})", 400, "bad_request", "\"records\" is missing"},
        {"records not an array", R"({"records":{"a":1}})", 400, "bad_request", "\"records\" must be an array"},
        {"records null", R"({"records":null})", 400, "bad_request", "\"records\" must be an array"},
        {"records repeated, last not an array", R"({"records":[],"records":5})", 400, "bad_request",
         "\"records\" must be an array"},
        {"backlog a string", R"({"records":[],"backlog":"many"})", 400, "bad_request",
         "\"backlog\" must be a non-negative integer"},
        {"backlog negative", R"({"records":[],"backlog":-1})", 400, "bad_request",
         "\"backlog\" must be a non-negative integer"},
        {"backlog a fraction", R"({"records":[],"backlog":1.5})", 400, "bad_request",
         "\"backlog\" must be a non-negative integer"},
        {"backlog past 2^64", R"({"records":[],"backlog":18446744073709551616})", 400, "bad_request",
         "\"backlog\" must be a non-negative integer"},
        {"backlog past 2^63", R"({"records":[],"backlog":9223372036854775808})", 400, "bad_request",
         "\"backlog\" must be a non-negative integer"},
        {"app_version a number", R"({"records":[],"app_version":5})", 400, "bad_request",
         "\"app_version\" must be a string of at most 64 bytes"},
        {"app_version too long", R"({"records":[],"app_version":")" + std::string(65, 'v') + "\"}", 400,
         "bad_request", "\"app_version\" must be a string of at most 64 bytes"},
        {"signup_acks an object", R"({"records":[],"signup_acks":{}})", 400, "bad_request", acks_msg},
        {"signup_acks without status", R"({"records":[],"signup_acks":[{"id":"a"}]})", 400, "bad_request",
         acks_msg},
        {"signup_acks id a number", R"({"records":[],"signup_acks":[{"id":1,"signup_status":"confirmed"}]})", 400,
         "bad_request", acks_msg},
        {"signup_acks a string", R"({"records":[],"signup_acks":["a"]})", 400, "bad_request", acks_msg},
        {"records and backlog both wrong", R"({"records":{},"backlog":-1})", 400, "bad_request",
         "\"records\" must be an array"},
        {"1001 records", many, 413, "too_large", "1001 records in one push; the limit is 1000"},
        {"1001 records with a bad backlog", replace(many, "{\"records\"", "{\"backlog\":-5,\"records\""), 413,
         "too_large", "1001 records in one push; the limit is 1000"},
        // One record.
        {"record a string", one("\"hello\""), 200, "bad_record", "record: expected a JSON object"},
        {"record null", one("null"), 200, "bad_record", "record: expected a JSON object"},
        {"record an array", one("[]"), 200, "bad_record", "record: expected a JSON object"},
        {"record a number", one("5"), 200, "bad_record", "record: expected a JSON object"},
        {"record empty", one("{}"), 200, "bad_record", "id: is required"},
        {"id a number", one(rec([](Json& j) { j["id"] = 5; })), 200, "bad_record", "id: expected a string, got a number"},
        {"id null", one(rec([](Json& j) { j["id"] = nullptr; })), 200, "bad_record", "id: is required"},
        {"id missing", one(rec([](Json& j) { j.erase("id"); })), 200, "bad_record", "id: is required"},
        {"kind missing", one(rec([](Json& j) { j.erase("kind"); })), 200, "bad_record", "kind: is required"},
        {"kind a number", one(rec([](Json& j) { j["kind"] = 3; })), 200, "bad_record", "kind: expected a string code, got a number"},
        {"kind unknown", one(rec([](Json& j) { j["kind"] = "spam"; })), 200, "unknown_kind", "kind: \"spam\" is not a record kind (sign_up, opinion, survey_response, public_comment, proposal)"},
        {"schema_version a string", one(rec([](Json& j) { j["schema_version"] = "1"; })), 200, "bad_record", "schema_version: expected an integer, got a string"},
        {"schema_version a fraction", one(rec([](Json& j) { j["schema_version"] = 1.5; })), 200, "bad_record", "schema_version: expected an integer, got a number"},
        {"schema_version 2^32", one(rec([](Json& j) { j["schema_version"] = 4294967296LL; })), 200, "bad_record", "schema_version: integer out of range"},
        {"schema_version negative", one(rec([](Json& j) { j["schema_version"] = -1; })), 200, "out_of_range", "schema_version: schema_version -1 is not supported; it must be 1"},
        {"schema_version 2", one(rec([](Json& j) { j["schema_version"] = 2; })), 200, "out_of_range", "schema_version: schema_version 2 is not supported; it must be 1"},
        {"schema_version 2.0", one(rec([](Json& j) { j["schema_version"] = 2.0; })), 200, "out_of_range", "schema_version: schema_version 2 is not supported; it must be 1"},
        {"created_at a number", one(rec([](Json& j) { j["created_at"] = 5; })), 200, "bad_record", "created_at: expected a string, got a number"},
        {"created_at not a time", one(rec([](Json& j) { j["created_at"] = "yesterday"; })), 200, "bad_format", "created_at: created_at must be an RFC 3339 time such as 2026-11-22T01:02:03Z"},
        {"kiosk_id an array", one(rec([](Json& j) { j["kiosk_id"] = Json::array(); })), 200, "bad_record", "kiosk_id: expected a string, got an array"},
        {"centre_id a boolean", one(rec([](Json& j) { j["centre_id"] = true; })), 200, "bad_record", "centre_id: expected a string, got a boolean"},
        {"sealed an object", one(rec([](Json& j) { j["sealed"] = Json::object(); })), 200, "bad_record", "sealed: expected a string, got an object"},
        {"sealed not a seal", one(rec([](Json& j) { j["sealed"] = "AAAA"; })), 200, "bad_seal", "sealed: the personal part does not open with city hall's key (wrong key or damaged)"},
        {"payload a string", one(rec([](Json& j) { j["payload"] = "x"; })), 200, "bad_record", "payload: expected an object, got a string"},
        {"payload null", one(rec([](Json& j) { j["payload"] = nullptr; })), 200, "required", "payload.text: text is required"},
        {"payload missing", one(rec([](Json& j) { j.erase("payload"); })), 200, "required", "payload.text: text is required"},
        {"payload unknown field", one(rec([](Json& j) { j["payload"]["colour"] = "red"; })), 200, "unknown_field",
         "payload.colour: \"colour\" is not a field of this record"},
        {"payload wrong type", one(rec([](Json& j) { j["payload"]["wants_reply"] = 1; })), 200, "wrong_type", "payload.wants_reply: wants_reply must be true or false, not a number"},
        {"payload text too long", one(rec([](Json& j) { j["payload"]["text"] = std::string(2500, 'x'); })), 200,
         "too_long", "payload.text: text is 2,500 characters; the limit is 2,000"},
        {"payload text repeated, last empty", one(replace(good, "\"topic\":", "\"text\":\"\",\"topic\":")), 200, "required",
         "payload.text: text is required"},
        {"payload with a fraction", one(rec([](Json& j) { j["payload"]["wants_reply"] = 0.5; })), 200, "wrong_type",
         "payload.wants_reply: wants_reply must be true or false, not a decimal number"},
        {"record of another kiosk", one(rec([](Json& j) { j["kiosk_id"] = "k2"; })), 200, "kiosk_mismatch", "kiosk_id: record says \"k2\" but the token belongs to \"k1\""},
        {"id not a UUID", one(rec([](Json& j) { j["id"] = "x"; })), 200, "bad_format", "id: id must be a UUID (8-4-4-4-12 hexadecimal digits)"},
        {"id repeated, last a number", one(replace(good, "\"kind\":", "\"id\":5,\"kind\":")), 200, "bad_record", "id: expected a string, got a number"},
    };
    for (const Exact& c : table) {
        const std::string name = c.name;
        CAPTURE(name);
        auto r = s.post(c.body, tok);
        REQUIRE(r);
        CHECK(r->status == c.status);
        const Json j = body_of(r);
        std::string code, message;
        if (r->status == 200) {
            REQUIRE(j["results"].size() == 1);
            CHECK(j["results"][0]["result"] == "rejected");
            code = j["results"][0].value("code", "");
            message = j["results"][0].value("message", "");
        } else {
            code = j["error"]["code"];
            message = j["error"]["message"];
        }
        CHECK(code == c.code);
        CHECK(message == c.message);
    }
    CHECK(s.st->counts().records == 0);

    // A byte-order mark before the object is read past, as nlohmann's parser does.
    auto r = s.post("\xEF\xBB\xBF" + one(good), tok);
    CHECK(body_of(r)["results"][0]["result"] == "stored");
}


TEST_CASE("rosters: the kiosk's centre's rosters, token required, no names; a tick pushed comes back ticked") {
    Server s;
    const std::string other = enrol_kiosk(*s.st, "k-far", "yoshiki");
    CatalogDelta d;
    Activity a;
    a.id = "ev-today";
    a.kind = ActivityKind::Event;
    a.title = "みんなの体操";
    a.capacity = 10;
    a.centre_id = "ohdono";
    a.starts_at = rfc3339_utc(now_millis() + 9 * 3600000LL).substr(0, 10) + "T10:00";
    d.activities.push_back(a);
    s.st->import_catalog(d);
    Record su = sign_up(s.keys, "ev-today", 3);
    REQUIRE(body_of(s.push({su}, s.token))["results"][0]["signup_status"] == "confirmed");

    CHECK(s.cli->Get("/api/v1/rosters")->status == 401);
    CHECK(s.cli->Get("/api/v1/rosters", s.auth(s.revoked_token))->status == 403);

    auto r = s.cli->Get("/api/v1/rosters", s.auth(s.token));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    Json j = body_of(r);
    CHECK(j["centre_id"] == "ohdono");
    REQUIRE(j["activities"].size() == 1);
    CHECK(j["activities"][0]["id"] == "ev-today");
    CHECK(j["activities"][0]["title"] == "みんなの体操");
    REQUIRE(j["activities"][0]["signups"].size() == 1);
    const Json row = j["activities"][0]["signups"][0];
    CHECK(row == Json{{"signup_id", su.id},
                      {"receipt", receipt_number(su.id)},
                      {"party_size", 3},
                      {"status", "confirmed"},
                      {"hint", "や"},
                      {"attended", false}});
    CHECK(r->body.find("山口") == std::string::npos);
    CHECK(r->body.find("083-") == std::string::npos);

    // Another centre's kiosk sees none of it, and may not tick it.
    auto far = s.cli->Get("/api/v1/rosters", s.auth(other));
    REQUIRE(far);
    CHECK(body_of(far)["activities"].empty());
    Record x = attendance_of(su, true, "k-far");
    auto rx = s.cli->Post("/api/v1/records", s.auth(other), Json{{"records", {to_json(x)}}}.dump(), "application/json");
    CHECK(body_of(rx)["results"][0]["code"] == "wrong_centre");

    // The kiosk's tick, pushed twice (a lost answer), shows ticked on the next pull.
    Record t = attendance_of(su, true);
    CHECK(body_of(s.push({t}, s.token))["results"][0]["result"] == "stored");
    CHECK(body_of(s.push({t}, s.token))["results"][0]["result"] == "duplicate");
    j = body_of(s.cli->Get("/api/v1/rosters", s.auth(s.token)));
    CHECK(j["activities"][0]["signups"][0]["attended"] == true);
}

// ---- POST /api/v1/quotas (issue 10 point 2; docs/protocol.md "Kiosk quotas") -------------

TEST_CASE("quotas: a kiosk gets its lease, reports it, and a sign-up under it is confirmed on the spot") {
    Server s;
    s.st->set_quota_override("ev-small", "k1", 2);
    auto q = [&](const Json& body, const std::string& tok) {
        return s.cli->Post("/api/v1/quotas", s.auth(tok), body.dump(), "application/json");
    };
    auto r = q(Json{{"leases", Json::array()}}, s.token);
    REQUIRE(r);
    CHECK(r->status == 200);
    Json j = body_of(r);
    CHECK(j["server_time"].get<std::string>().size() == 20);
    REQUIRE(j["quotas"].size() == 1);
    const std::string lease = j["quotas"][0]["id"];
    CHECK(j["quotas"][0]["activity_id"] == "ev-small");
    CHECK(j["quotas"][0]["places"] == 2);
    CHECK(j["quotas"][0]["ends_in_s"].get<std::int64_t>() > 86000);
    // k2 has no quota: nothing.
    CHECK(body_of(q(Json{{"leases", Json::array()}}, s.token2))["quotas"].empty());
    // k2 naming k1's lease: ignored; k1's lease untouched.
    CHECK(body_of(q(Json{{"leases", {{{"id", lease}, {"used", 0}, {"done", true}}}}}, s.token2))["quotas"].empty());
    REQUIRE(s.st->leases().size() == 1);
    CHECK(s.st->leases()[0].done_at.empty());

    Record a = sign_up(s.keys, "ev-small", 2);
    a.payload["lease"] = lease;
    j = body_of(s.push({a}, s.token));
    CHECK(j["results"][0]["signup_status"] == "confirmed");
    // Reported used 2 and done: released, not answered any more.
    j = body_of(q(Json{{"leases", {{{"id", lease}, {"used", 2}, {"done", true}}}}}, s.token));
    // The quota still stands: a new lease of the one place left, not the done one.
    REQUIRE(j["quotas"].size() == 1);
    CHECK(j["quotas"][0]["id"] != lease);
    CHECK(j["quotas"][0]["places"] == 1);
    CHECK_FALSE(s.st->leases()[0].released_at.empty());
    CHECK(s.st->leases()[0].used == 2);
}

TEST_CASE("quotas: bad bodies get 400 in the usual error shape; tokens as for records") {
    Server s;
    Json many = Json::array();
    for (int i = 0; i < 1001; ++i) many.push_back(Json{{"id", "x" + std::to_string(i)}, {"used", 0}, {"done", false}});
    const auto tok = s.auth(s.token);
    struct Case {
        const char* name;
        std::string body;
        httplib::Headers headers;
        int status;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"no token", R"({"leases":[]})", {}, 401, "unauthorized"},
        {"revoked kiosk", R"({"leases":[]})", s.auth(s.revoked_token), 403, "revoked"},
        {"bad JSON", R"({"leases": [)", tok, 400, "bad_json"},
        {"empty body", "", tok, 400, "bad_json"},
        {"top level array", "[]", tok, 400, "bad_request"},
        {"leases missing", "{}", tok, 400, "bad_request"},
        {"leases not an array", R"({"leases":{}})", tok, 400, "bad_request"},
        {"lease not an object", R"({"leases":[1]})", tok, 400, "bad_request"},
        {"id missing", R"({"leases":[{"used":0,"done":false}]})", tok, 400, "bad_request"},
        {"used negative", R"({"leases":[{"id":"a","used":-1,"done":false}]})", tok, 400, "bad_request"},
        {"used not integer", R"({"leases":[{"id":"a","used":1.5,"done":false}]})", tok, 400, "bad_request"},
        {"done not boolean", R"({"leases":[{"id":"a","used":0,"done":"yes"}]})", tok, 400, "bad_request"},
        {"1001 leases", Json{{"leases", many}}.dump(), tok, 400, "bad_request"},
        {"huge body", std::string(1 << 20, ' '), tok, 413, "too_large"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto r = s.cli->Post("/api/v1/quotas", c.headers, c.body, "application/json");
        REQUIRE(r);
        CHECK(r->status == c.status);
        const Json j = body_of(r);
        CHECK(j["error"]["code"] == c.code);
        CHECK(!j["error"]["message"].get<std::string>().empty());
    }
    // 1000 leases (unknown ids) are fine.
    many.erase(many.begin());
    auto r = s.cli->Post("/api/v1/quotas", tok, Json{{"leases", many}}.dump(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
}
