// The front door (deploy/nginx/kyodo.conf, docs/operations.md "Behind nginx"): a real
// Debian nginx in front of the real kyodo-server, on loopback.
//
// The test makes its own CA and a server certificate with openssl, renders the shipped
// template with scripts/render-nginx.sh --standalone into a temporary folder (its own
// prefix, pid file, logs and temporary folders; no systemd, no port below 1024) and starts
// nginx as an ordinary process (as `nobody` through setpriv when the test runs as root), on a
// free port of 127.0.0.1. Through it: `kyodo-sync once` with the CA in the kiosk's
// configuration delivers a record and pulls the catalog; without the CA it refuses the
// server; staff log in to the dashboard and see the record; the body caps and the login rate
// limit answer from nginx. nginx is stopped by its pid.
#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

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
const std::string kSync = KYODO_BINARY_DIR "/sync/kyodo-sync";
const std::string kRender = KYODO_SOURCE_DIR "/scripts/render-nginx.sh";
const std::string kNginx = "/usr/sbin/nginx";
const std::string kOpenssl = "/usr/bin/openssl";
const std::string kSetpriv = "/usr/bin/setpriv";
const std::string kBash = "/bin/bash";
constexpr const char* kPassword = "front-door-password-1";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

RunResult run_ok(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 60s) {
    RunResult r = run_process(argv, timeout);
    INFO(argv[0], " ", (argv.size() > 1 ? argv[1] : ""), ": ", r.out, r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// A port of 127.0.0.1 that was free a moment ago (nginx is started again on another one if
// it was taken in between).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::string header(const httplib::Result& r, const std::string& name) { return r->get_header_value(name); }

std::string set_cookie(const httplib::Result& r, const std::string& name) {
    for (const auto& [k, v] : r->headers)
        if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v;
    return "";
}

std::string find_csrf(const std::string& body) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([^\"]+)\"");
    return std::regex_search(body, m, re) ? m[1].str() : "";
}

// An HTTPS client that trusts only our CA.
std::unique_ptr<httplib::SSLClient> client(int port, const std::string& ca) {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
    c->set_ca_cert_path(ca.c_str());
    c->enable_server_certificate_verification(true);
    c->set_connection_timeout(10);
    c->set_read_timeout(60);
    c->set_write_timeout(60);
    return c;
}

}  // namespace

TEST_CASE("behind nginx with TLS: kiosk sync and the dashboard go through, the limits answer") {
    for (const std::string& exe : {kServer, kSync, kNginx, kOpenssl, kSetpriv})
        REQUIRE_MESSAGE(fs::exists(exe), "missing " << exe << " (scripts/install-deps.sh installs it)");
    TempDir tmp("kyodo-nginx");
    // nginx may run as `nobody` (below): it must reach its prefix, configuration and key.
    ::chmod(tmp.path().c_str(), 0755);
    const std::string pki = tmp.file("pki");
    fs::create_directories(pki);

    // --- a CA of our own and a certificate for 127.0.0.1 / localhost signed by it ----------
    const std::string ca = pki + "/ca.pem", ca_key = pki + "/ca.key";
    const std::string cert = pki + "/server.pem", key = pki + "/server.key", csr = pki + "/server.csr";
    write_text(pki + "/ext.cnf",
               "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
    run_ok({kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Kyodo Test City CA", "-addext",
            "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    run_ok({kOpenssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
            "-out", csr, "-subj", "/CN=localhost"});
    run_ok({kOpenssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
            "-days", "2", "-extfile", pki + "/ext.cnf"});
    for (const auto& e : fs::directory_iterator(pki)) ::chmod(e.path().c_str(), 0644);   // a test key
    ::chmod(pki.c_str(), 0755);

    // --- the city-hall server on a free port, plain HTTP on loopback --------------------------
    const std::string data = tmp.file("server");
    const std::string catalog = KYODO_ASSETS_DIR "/catalog/sample_catalog.json";
    const std::string config_path = tmp.file("kiosk.json");
    const std::string centre = Json::parse(read_text(catalog))["centres"][0]["id"].get<std::string>();
    run_ok({kServer, "--data", data, "init", "--catalog", catalog});
    run_ok({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", centre, "--server-url",
            "https://127.0.0.1:9", "--write-config", config_path, "--kiosk-db", tmp.file("kiosk.db")});
    write_text(tmp.file("password.txt"), std::string(kPassword) + "\n");
    run_ok({kServer, "--data", data, "add-staff", "--user", "admin1", "--role", "admin", "--password-file",
            tmp.file("password.txt")});
    // Behind the proxy every connection comes from 127.0.0.1: nginx limits per client instead.
    ChildProcess server({kServer, "--data", data, "serve", "--bind", "127.0.0.1", "--port", "0", "--catalog",
                         catalog, "--public-url", "https://localhost", "--max-per-address", "0"});
    const int server_port = server.wait_for_listening(60s);
    INFO("server output: ", server.output());
    REQUIRE(server_port > 0);

    // --- nginx from the shipped template, as an ordinary process -----------------------------
    const std::string prefix = tmp.file("nginx");
    std::unique_ptr<ChildProcess> nginx;
    int port = 0;
    for (int attempt = 0; attempt < 5 && !nginx; ++attempt) {
        port = free_port();
        run_ok({kBash, kRender, "--standalone", prefix, "--server-name", "localhost", "--listen",
                "127.0.0.1:" + std::to_string(port), "--cert", cert, "--key", key, "--upstream",
                "127.0.0.1:" + std::to_string(server_port), "--login-rate", "10r/m"});
        ::chmod(prefix.c_str(), 0777);
        ::chmod((prefix + "/temp").c_str(), 0777);
        std::vector<std::string> argv = {kNginx, "-p", prefix, "-c", prefix + "/nginx.conf", "-e",
                                         prefix + "/error.log"};
        if (::geteuid() == 0)   // never as root: the unprivileged user, as an operator's test would
            argv.insert(argv.begin(), {kSetpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
        auto child = std::make_unique<ChildProcess>(argv);
        // Up when it answers our health check over TLS (the certificate checked against our CA).
        bool up = false;
        for (auto until = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < until;) {
            if (!child->running()) break;   // e.g. the port was taken in between: try another
            auto r = client(port, ca)->Get("/api/v1/health");
            if (r && r->status == 200) {
                up = true;
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
        if (up) nginx = std::move(child);
        else MESSAGE("nginx did not come up on port ", port, ": ", child->output(), read_text(prefix + "/error.log"));
    }
    REQUIRE_MESSAGE(nginx, "nginx never came up; see the messages above");
    INFO("nginx error log: ", read_text(prefix + "/error.log"));
    const std::string url = "https://127.0.0.1:" + std::to_string(port);

    // The answers come through nginx: TLS, HSTS and nosniff added, the server's own JSON.
    {
        auto r = client(port, ca)->Get("/api/v1/health");
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(header(r, "Strict-Transport-Security").find("max-age=") == 0);
        CHECK(header(r, "X-Content-Type-Options") == "nosniff");
        CHECK(Json::parse(r->body)["status"] == "ok");
    }

    // --- the kiosk syncs through the front door, trusting the city's CA ---------------------
    KioskConfig cfg = KioskConfig::load(config_path);
    cfg.server_url = url;
    cfg.ca_file = ca;
    cfg.save(config_path);
    const std::string text = "正面玄関から届いた意見 " + new_uuid_v7();
    {
        KioskStore store(cfg.db_path);
        Record r;
        r.id = new_uuid_v7();
        r.kind = RecordKind::Opinion;
        r.created_at = rfc3339_now();
        r.kiosk_id = cfg.kiosk_id;
        r.centre_id = cfg.centre_id;
        r.payload = {{"topic", "防災"}, {"text", text}, {"activity_id", ""}, {"wants_reply", false}};
        store.enqueue(r);
    }
    RunResult once = run_process({kSync, "once", "--config", config_path, "--timeout", "60"}, 120s);
    INFO("kyodo-sync once: ", once.out, once.err);
    CHECK(once.exit_code == 0);
    {
        KioskStore store(cfg.db_path);
        CHECK(store.counts().pending == 0);
        CHECK(store.catalog_version() > 0);   // the catalog came through too
    }

    // The same kiosk without the CA in its configuration refuses the server's certificate.
    {
        KioskConfig bare = cfg;
        bare.ca_file.clear();
        bare.db_path = tmp.file("kiosk-bare.db");
        bare.save(tmp.file("kiosk-bare.json"));
        RunResult refused = run_process({kSync, "once", "--config", tmp.file("kiosk-bare.json"), "--timeout", "30"}, 90s);
        INFO("kyodo-sync once without the CA: ", refused.out, refused.err);
        CHECK(refused.exit_code != 0);
        CHECK((refused.out + refused.err).find("certificate") != std::string::npos);
    }

    // --- staff: log in through nginx and see the record on the dashboard -----------------------
    {
        auto cli = client(port, ca);
        auto form = cli->Get("/admin/login");
        REQUIRE(form);
        REQUIRE(form->status == 200);
        const std::string pre = set_cookie(form, "kyodo_login");
        REQUIRE(!pre.empty());
        auto login = cli->Post("/admin/login", {{"Cookie", pre.substr(0, pre.find(';'))}},
                               httplib::Params{{"csrf", find_csrf(form->body)},
                                               {"user", "admin1"},
                                               {"password", kPassword},
                                               {"next", "/admin/opinions"}});
        REQUIRE(login);
        CHECK(login->status == 303);
        const std::string session = set_cookie(login, "kyodo_session");
        REQUIRE(!session.empty());
        CHECK(session.find("; Secure") != std::string::npos);   // the public URL is https
        auto page = cli->Get("/admin/opinions", {{"Cookie", session.substr(0, session.find(';'))}});
        REQUIRE(page);
        CHECK(page->status == 200);
        CHECK(page->body.find(text) != std::string::npos);
        CHECK(header(page, "Strict-Transport-Security").find("max-age=") == 0);
    }

    // --- the limits answer from nginx, before kyodo-server sees anything ----------------------
    {
        auto cli = client(port, ca);
        // Body caps: 8 KiB for the login form, 8 MiB for a push.
        auto big_login = cli->Post("/admin/login", std::string(64 * 1024, 'a'), "application/x-www-form-urlencoded");
        REQUIRE(big_login);
        CHECK(big_login->status == 413);
        auto big_push = cli->Post("/api/v1/records", {{"Authorization", "Bearer x"}}, std::string(9 << 20, ' '),
                                  "application/json");
        REQUIRE(big_push);
        CHECK(big_push->status == 413);
        // Login attempts: 10 a minute per address, a burst of 5; the rest get 429 at once.
        int limited = 0, answered = 0;
        for (int i = 0; i < 12; ++i) {
            auto r = cli->Post("/admin/login", "user=nobody&password=wrong-password-x",
                               "application/x-www-form-urlencoded");
            REQUIRE(r);
            (r->status == 429 ? limited : answered) += 1;
        }
        CHECK(answered <= 7);
        CHECK(limited >= 5);
    }
    // The kiosk API is on its own zone: still open to the kiosk.
    RunResult again = run_process({kSync, "once", "--config", config_path, "--timeout", "60"}, 120s);
    INFO("kyodo-sync once (again): ", again.out, again.err);
    CHECK(again.exit_code == 0);

    // --- stop nginx by its pid; the server is untouched ----------------------------------------
    const std::string pid_text = read_text(prefix + "/nginx.pid");
    CHECK(std::stoi(pid_text) == nginx->pid());
    CHECK(nginx->stop(20s) == 0);
    CHECK(!fs::exists(prefix + "/nginx.pid"));
    CHECK(server.running());
    CHECK(server.stop() == 0);
}
