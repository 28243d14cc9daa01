// CurlTransport: TLS verification (peer and host name, against ca_file), no redirects,
// gzip helpers, If-None-Match and headers. Servers are in-process on 127.0.0.1.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sync/curl_transport.h"
#include "sync/transport.h"
#include "tests/support/process.h"

using namespace kyodo::sync;
using namespace std::chrono_literals;
using kyodo::test::run_process;
using kyodo::test::TempDir;

namespace {

// A self-signed certificate (its own CA) whose subjectAltName is `san`.
bool make_cert(const TempDir& dir, const std::string& name, const std::string& san) {
    auto r = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=kyodo-test",
                          "-addext", "subjectAltName=" + san, "-keyout", dir.file(name + ".key"), "-out",
                          dir.file(name + ".pem")},
                         30s);
    INFO(r.out, r.err);
    return r.exit_code == 0;
}

template <class S>
struct Running {
    S& srv;
    std::thread t;
    int port;
    explicit Running(S& s) : srv(s) {
        port = srv.bind_to_any_port("127.0.0.1");
        t = std::thread([this] { srv.listen_after_bind(); });
        for (int i = 0; i < 200 && !srv.is_running(); ++i) std::this_thread::sleep_for(5ms);
    }
    ~Running() {
        srv.stop();
        t.join();
    }
};

TransportOptions opts(const std::string& url, const std::string& ca = "") {
    TransportOptions o;
    o.base_url = url;
    o.ca_file = ca;
    o.connect_timeout_ms = 3000;
    o.total_timeout_ms = 5000;
    return o;
}

void add_health(httplib::Server& s) {
    s.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"protocol":"kyodo/1","status":"ok"})", "application/json");
    });
}

}  // namespace

TEST_CASE("https: the server's certificate is verified against ca_file, host name included") {
    TempDir dir("kyodo-tls-test");
    REQUIRE(make_cert(dir, "good", "IP:127.0.0.1"));
    REQUIRE(make_cert(dir, "wrong", "DNS:other.example"));

    httplib::SSLServer good(dir.file("good.pem").c_str(), dir.file("good.key").c_str());
    REQUIRE(good.is_valid());
    add_health(good);
    Running<httplib::SSLServer> g(good);
    std::string url = "https://127.0.0.1:" + std::to_string(g.port);

    SUBCASE("trusted CA and matching host: answered") {
        CurlTransport t(opts(url, dir.file("good.pem")));
        HttpResponse r = t.get("/api/v1/health", {});
        INFO(r.error);
        CHECK(r.answered());
        CHECK(r.status == 200);
    }
    SUBCASE("no ca_file: system CAs do not know a self-signed certificate") {
        CurlTransport t(opts(url));
        HttpResponse r = t.get("/api/v1/health", {});
        CHECK_FALSE(r.answered());
        CHECK(r.error_kind == TransportErrorKind::Tls);
        CHECK(r.status == 0);
    }
    SUBCASE("another CA: refused") {
        CurlTransport t(opts(url, dir.file("wrong.pem")));
        HttpResponse r = t.get("/api/v1/health", {});
        CHECK(r.error_kind == TransportErrorKind::Tls);
    }
    SUBCASE("ca_file that does not exist: refused, not ignored") {
        CurlTransport t(opts(url, dir.file("missing.pem")));
        HttpResponse r = t.get("/api/v1/health", {});
        CHECK_FALSE(r.answered());
    }
}

TEST_CASE("https: a trusted certificate for another host name is refused") {
    TempDir dir("kyodo-tls-test");
    REQUIRE(make_cert(dir, "other", "DNS:other.example"));
    httplib::SSLServer srv(dir.file("other.pem").c_str(), dir.file("other.key").c_str());
    REQUIRE(srv.is_valid());
    add_health(srv);
    Running<httplib::SSLServer> s(srv);
    CurlTransport t(opts("https://127.0.0.1:" + std::to_string(s.port), dir.file("other.pem")));
    HttpResponse r = t.get("/api/v1/health", {});
    CHECK_FALSE(r.answered());
    CHECK(r.error_kind == TransportErrorKind::Tls);
}

TEST_CASE("http: redirects are answers, not followed; headers, ETag and If-None-Match") {
    httplib::Server srv;
    std::string seen_inm, seen_auth, seen_encoding, seen_body;
    srv.Get("/moved", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("http://portal.example/login", 302);
    });
    srv.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"protocol":"kyodo/1"})", "application/json");
    });
    srv.Get("/etag", [&](const httplib::Request& req, httplib::Response& res) {
        seen_inm = req.get_header_value("If-None-Match");
        res.set_header("ETag", "\"cat-3-0\"");
        res.set_header("Retry-After", "12");
        res.status = seen_inm.empty() ? 200 : 304;
        if (res.status == 200) res.set_content("{}", "application/json");
    });
    srv.Post("/post", [&](const httplib::Request& req, httplib::Response& res) {
        seen_auth = req.get_header_value("Authorization");
        seen_encoding = req.get_header_value("Content-Encoding");
        seen_body = req.body;
        res.set_content(R"({"ok":true})", "application/json");
    });
    Running<httplib::Server> s(srv);
    CurlTransport t(opts("http://127.0.0.1:" + std::to_string(s.port) + "/"));

    HttpResponse moved = t.get("/moved", {});
    CHECK(moved.answered());
    CHECK(moved.status == 302);
    CHECK(moved.header("Location") == "http://portal.example/login");

    HttpResponse first = t.get("/etag", {});
    CHECK(first.status == 200);
    CHECK(first.etag() == "\"cat-3-0\"");
    CHECK(first.retry_after() == "12");
    CHECK(first.content_type() == "application/json");
    HttpResponse second = t.get("/etag", {}, first.etag());
    CHECK(second.status == 304);
    CHECK(seen_inm == "\"cat-3-0\"");

    std::string json = R"({"records":[],"text":"避難所の案内"})";
    HttpResponse plain = t.post_json("/post", json, {{"Authorization", "Bearer abc"}}, false);
    CHECK(plain.status == 200);
    CHECK(seen_auth == "Bearer abc");
    CHECK(seen_encoding.empty());
    CHECK(seen_body == json);
    HttpResponse zipped = t.post_json("/post", json, {{"Authorization", "Bearer abc"}}, true);
    CHECK(zipped.status == 200);
    CHECK(seen_encoding == "gzip");
    // httplib may inflate the body for us; either way it is the same JSON.
    auto inflated = gzip_decompress(seen_body);
    CHECK((seen_body == json || (inflated && *inflated == json)));

    // Many threads through one transport: serialised, every answer intact.
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 10; ++j)
                if (t.get("/api/v1/health", {}).body == R"({"protocol":"kyodo/1"})") ++good;
        });
    for (auto& th : threads) th.join();
    CHECK(good.load() == 40);
}

TEST_CASE("an answer bigger than the limit is an error, not a truncated body") {
    httplib::Server srv;
    srv.Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(200'000, 'x'), "text/plain");
    });
    Running<httplib::Server> s(srv);
    TransportOptions o = opts("http://127.0.0.1:" + std::to_string(s.port));
    o.max_response_bytes = 100'000;
    CurlTransport t(o);
    HttpResponse r = t.get("/big", {});
    CHECK_FALSE(r.answered());
    CHECK(r.body.empty());
    CHECK(r.error.find("larger than") != std::string::npos);
}

TEST_CASE("gzip round trip, and corrupt input is refused") {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "協働のまちづくり " + std::to_string(i) + "\n";
    std::string z = gzip_compress(text);
    CHECK(z.size() < text.size() / 3);
    CHECK(static_cast<unsigned char>(z[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(z[1]) == 0x8b);
    auto back = gzip_decompress(z);
    REQUIRE(back.has_value());
    CHECK(*back == text);
    CHECK(gzip_decompress(gzip_compress("")).value() == "");
    CHECK_FALSE(gzip_decompress(z.substr(0, z.size() / 2)).has_value());
    CHECK_FALSE(gzip_decompress("not gzip at all").has_value());
    CHECK_FALSE(gzip_decompress(z, 100).has_value());   // over the output limit
}
