// kyodo-server: the city-hall server's command line. See usage() and docs/protocol.md.
#include <httplib.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/timeutil.h"
#include "server/admin.h"
#include "server/furigana.h"
#include "server/http_api.h"
#include "server/log.h"
#include "server/notice_sender.h"
#include "server/web/web.h"

namespace {

using namespace kyodo;
using namespace kyodo::server;

const char* const kUsage = R"(kyodo-server: the Kyodo Kiosk city-hall server

usage:
  kyodo-server --data DIR init [--catalog FILE]
      Create DIR, DIR/server.db and the city-hall key pair DIR/city_hall.key (mode 600);
      import FILE (a catalog JSON) if the catalog is still empty. Safe to run again.
  kyodo-server --data DIR serve [--bind ADDR] [--port N] [--catalog FILE]
                                [--tls-cert PEM --tls-key PEM] [--rate-limit N] [--public-url URL]
                                [--max-connections N] [--max-per-address N]
      Serve API v1 (initialising DIR first if needed). Defaults: --bind 127.0.0.1
      --port 8080; --port 0 picks a free port. Prints one line to stdout,
      "listening on http://ADDR:PORT" (https with TLS), then logs to stderr.
      SIGTERM or SIGINT stops it cleanly. --rate-limit N: requests per second per
      kiosk (burst 2N; default 20; 0 turns the limit off, for benchmarks).
      --public-url URL: the address kiosks and phones reach this server at (for the
      kiosk.json the dashboard's enrol page writes); default http(s)://ADDR:PORT bound.
      --max-connections N: open connections served at once (default 1024; more wait).
      --max-per-address N: open connections from one client address (default 64; 0 = no
      cap, for a server behind a proxy such as nginx, where every client is the proxy).
      Under TLS every answer carries Strict-Transport-Security. Other limits:
      docs/operations.md, "Limits".
      Notices (e-mails to residents, docs/operations.md "Notices"): --smtp-url
      smtp://HOST:PORT or smtps://HOST:465, --smtp-from "NAME <ADDR>", --smtp-tls
      starttls (default: required) | none (plain, loopback relays only), --smtp-user NAME
      --smtp-password-file FILE, --smtp-ca PEM, --smtp-message-id-domain DOMAIN,
      --notice-poll-ms N (default 5000). Without --smtp-url notices are queued, not sent.
  kyodo-server --data DIR enrol --kiosk ID --centre CENTRE [--server-url URL]
                                [--write-config FILE] [--kiosk-db PATH]
      Enrol a kiosk (or re-enrol it: a new token replaces the old one) and print its
      device token once. --write-config writes the kiosk's kiosk.json (mode 600) with
      the token, the server URL (default http://127.0.0.1:8080), the city-hall public
      key and db_path (--kiosk-db, default kiosk.db).
  kyodo-server --data DIR revoke --kiosk ID
      Revoke a kiosk's token: its requests get 403 until it is enrolled again.
  kyodo-server --data DIR devices
      List enrolled kiosks, when each was last seen, and its reported backlog.
  kyodo-server --data DIR quotas [--centre C --share PCT] [--activity A --kiosk K --places N]
                               [--silence-s S] [--before-start-s S]
      Kiosk quotas (docs/protocol.md "Kiosk quotas"): set what is given (several at once
      are fine) and print the policy. --share PCT (0-100; 0 removes): the default share of
      each activity's places lent to each kiosk of centre C. --places N: the explicit quota
      of kiosk K for activity A (-1 removes it). --silence-s: a lease ends this long after
      the kiosk's last contact (default 86400); --before-start-s: and this long before its
      activity starts (default 7200).
  kyodo-server --data DIR leases
      Print every lease, one JSON object per line: id, activity_id, kiosk_id, places, used,
      ends_at, done_at, released_at (RFC 3339 UTC, "" if none).
  kyodo-server --data DIR public-key
      Print the city-hall public key (base64) kiosks seal personal data with.
  kyodo-server --data DIR add-staff --user NAME --role viewer|editor|admin
                                  [--password-file FILE]
      Create or update a dashboard account (password: first line of FILE, or of
      stdin; at least 10 characters; stored as an Argon2id hash). The dashboard is
      served by `serve` at /admin (docs/dashboard.md).
  kyodo-server furigana --catalog FILE
      Print FILE (a catalog JSON) with every activity's furigana made as publishing
      makes them (MeCab + IPADIC; readings that still match their texts are kept),
      for checking or correcting a catalog before importing it. Needs no --data.
  kyodo-server --help

  --db SPEC (init, serve, enrol, revoke, devices, quotas, leases): the database, instead of DIR/server.db:
      a SQLite file path, or a PostgreSQL URL postgresql://USER@HOST:PORT/DBNAME (password
      from ~/.pgpass or PGPASSWORD). Several servers may serve one PostgreSQL database;
      each keeps its own --data DIR holding a copy of the same city_hall.key.
)";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Args {
    std::string command;
    std::map<std::string, std::string> opts;
    std::string get(const std::string& k, const std::string& fallback = "") const {
        auto it = opts.find(k);
        return it == opts.end() ? fallback : it->second;
    }
    bool has(const std::string& k) const { return opts.count(k) > 0; }
};

const std::map<std::string, std::set<std::string>> kCommandOptions = {
    {"init", {"data", "db", "catalog"}},
    {"serve", {"data", "db", "bind", "port", "catalog", "tls-cert", "tls-key", "rate-limit", "public-url",
               "max-connections", "max-per-address", "smtp-url", "smtp-tls", "smtp-from", "smtp-user",
               "smtp-password-file", "smtp-ca", "smtp-message-id-domain", "notice-poll-ms"}},
    {"enrol", {"data", "db", "kiosk", "centre", "server-url", "write-config", "kiosk-db"}},
    {"revoke", {"data", "db", "kiosk"}},
    {"devices", {"data", "db"}},
    {"quotas", {"data", "db", "centre", "share", "activity", "kiosk", "places", "silence-s", "before-start-s"}},
    {"leases", {"data", "db"}},
    {"add-staff", {"data", "db", "user", "role", "password-file", "department"}},
    {"public-key", {"data"}},
    {"furigana", {"catalog"}},
};

Args parse_args(int argc, char** argv) {
    Args a;
    std::set<std::string> known;
    for (const auto& [cmd, opts] : kCommandOptions) known.insert(opts.begin(), opts.end());
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h" || arg == "help") {
            a.command = "help";
            return a;
        }
        if (arg.rfind("--", 0) == 0) {
            std::string key = arg.substr(2), value;
            bool has_value = false;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
                has_value = true;
            }
            if (!known.count(key)) throw UsageError("unknown option --" + key);
            if (!has_value) {
                if (i + 1 >= argc) throw UsageError("option --" + key + " needs a value");
                value = argv[++i];
            }
            if (a.opts.count(key)) throw UsageError("option --" + key + " given twice");
            a.opts[key] = value;
            continue;
        }
        if (!a.command.empty()) throw UsageError("unexpected argument \"" + arg + "\" (command is " + a.command + ")");
        if (arg == "enroll") arg = "enrol";
        if (!kCommandOptions.count(arg)) throw UsageError("unknown command \"" + arg + "\"");
        a.command = arg;
    }
    if (a.command.empty()) throw UsageError("no command given");
    const auto& allowed = kCommandOptions.at(a.command);
    for (const auto& [k, v] : a.opts)
        if (!allowed.count(k)) throw UsageError("option --" + k + " does not apply to " + a.command);
    if (a.command != "furigana" && (!a.has("data") || a.get("data").empty()))
        throw UsageError("--data DIR is required");
    return a;
}

// --db SPEC (a SQLite path or a postgresql:// URL, see open_storage), default DIR/server.db.
std::string db_spec(const Args& a) { return a.get("db", db_path(a.get("data"))); }

int cmd_init(const Args& a) {
    const InitResult r = init_data_dir(a.get("data"), a.get("catalog"), db_spec(a));
    std::cout << "data directory " << a.get("data") << (r.created_dir ? " created" : " ready") << "\n";
    std::cout << (r.created_keys ? "created" : "kept") << " city-hall key " << key_path(a.get("data")) << "\n";
    if (r.imported_catalog) std::cout << "imported catalog " << a.get("catalog") << "\n";
    else if (a.has("catalog")) std::cout << "catalog not empty; " << a.get("catalog") << " not imported\n";
    std::cout << "catalog version " << r.catalog_version << "\n";
    return 0;
}

int cmd_enrol(const Args& a) {
    if (!a.has("kiosk")) throw UsageError("enrol needs --kiosk ID");
    if (!a.has("centre")) throw UsageError("enrol needs --centre CENTRE");
    const std::string dir = a.get("data");
    init_data_dir(dir, "", db_spec(a));
    const KeyPair keys = load_keys(dir);
    auto storage = open_storage(db_spec(a));
    const bool again = storage->device(a.get("kiosk")).has_value();
    const std::string token = enrol_kiosk(*storage, a.get("kiosk"), a.get("centre"));
    std::cout << (again ? "re-enrolled" : "enrolled") << " kiosk " << a.get("kiosk") << " (centre " << a.get("centre")
              << ")" << (again ? "; its old token no longer works" : "") << "\n";
    std::cout << "token: " << token << "\n";
    std::cout << "This token will not be shown again (the server keeps only its hash).\n";
    if (a.has("write-config")) {
        const Json cfg = kiosk_config_json(a.get("kiosk"), a.get("centre"),
                                           a.get("server-url", "http://127.0.0.1:8080"), token, keys.public_key_b64,
                                           a.get("kiosk-db", "kiosk.db"));
        write_file_atomic(a.get("write-config"), cfg.dump(2) + "\n", 0600);
        std::cout << "wrote " << a.get("write-config") << "\n";
    }
    log_info("enrol", {{"kiosk", a.get("kiosk")}, {"centre", a.get("centre")}, {"again", again ? "yes" : "no"}});
    return 0;
}

int cmd_revoke(const Args& a) {
    if (!a.has("kiosk")) throw UsageError("revoke needs --kiosk ID");
    auto storage = open_storage(db_spec(a));
    if (!storage->revoke_device(a.get("kiosk"), rfc3339_now())) {
        std::cerr << "kyodo-server: no kiosk \"" << a.get("kiosk") << "\" is enrolled\n";
        return 1;
    }
    std::cout << "revoked kiosk " << a.get("kiosk") << "\n";
    log_info("revoke", {{"kiosk", a.get("kiosk")}});
    return 0;
}

int cmd_devices(const Args& a) {
    auto storage = open_storage(db_spec(a));
    std::printf("%-24s %-20s %-8s %-21s %-10s %s\n", "KIOSK", "CENTRE", "STATE", "LAST SEEN", "APP", "BACKLOG");
    for (const Device& d : storage->devices())
        std::printf("%-24s %-20s %-8s %-21s %-10s %lld\n", d.kiosk_id.c_str(), d.centre_id.c_str(),
                    d.revoked ? "revoked" : "active", d.last_seen_at.empty() ? "never" : d.last_seen_at.c_str(),
                    d.app_version.empty() ? "-" : d.app_version.c_str(), static_cast<long long>(d.backlog));
    return 0;
}

// An integer option in [lo, hi], or a usage error.
std::int64_t int_opt(const Args& a, const std::string& k, std::int64_t lo, std::int64_t hi) {
    const std::string v = a.get(k);
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi)
        throw UsageError("--" + k + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return n;
}

// quotas: city hall's policy for lending kiosks places (server/ledger.h).
int cmd_quotas(const Args& a) {
    if (a.has("share") != a.has("centre"))
        throw UsageError("--share needs --centre C (and --centre needs --share)");
    if ((a.has("places") || a.has("activity")) && !(a.has("places") && a.has("activity") && a.has("kiosk")))
        throw UsageError("an explicit quota needs --activity A --kiosk K --places N");
    auto storage = open_storage(db_spec(a));
    if (a.has("share")) storage->set_quota_share(a.get("centre"), int_opt(a, "share", 0, 100));
    if (a.has("places"))
        storage->set_quota_override(a.get("activity"), a.get("kiosk"), int_opt(a, "places", -1, 1000000));
    if (a.has("silence-s")) storage->set_quota_setting("quota.silence_s", int_opt(a, "silence-s", 1, 366LL * 86400));
    if (a.has("before-start-s"))
        storage->set_quota_setting("quota.before_start_s", int_opt(a, "before-start-s", 0, 366LL * 86400));
    const QuotaPolicy p = storage->quota_policy();
    std::cout << "quota.silence_s " << p.silence_s << "\n";
    std::cout << "quota.before_start_s " << p.before_start_s << "\n";
    for (const auto& [centre, pct] : p.shares) std::cout << "share " << centre << " " << pct << "\n";
    for (const QuotaOverride& o : p.overrides)
        std::cout << "quota " << o.activity_id << " " << o.kiosk_id << " " << o.places << "\n";
    return 0;
}

// leases: every lease, one JSON object per line (the bench and operators read it).
int cmd_leases(const Args& a) {
    auto storage = open_storage(db_spec(a));
    for (const LeaseRow& l : storage->leases())
        std::cout << Json{{"id", l.id},           {"activity_id", l.activity_id}, {"kiosk_id", l.kiosk_id},
                          {"places", l.places},   {"used", l.used},               {"ends_at", l.ends_at},
                          {"done_at", l.done_at}, {"released_at", l.released_at}}
                         .dump()
                  << "\n";
    return 0;
}

// furigana: a catalog file with its activities' furigana, as publishing would make them.
int cmd_furigana(const Args& a) {
    if (!a.has("catalog")) throw UsageError("furigana needs --catalog FILE");
    if (!furigana_available()) throw std::runtime_error("MeCab or its dictionary (mecab-ipadic-utf8) is not installed");
    std::ifstream in(a.get("catalog"), std::ios::binary);
    if (!in) throw std::runtime_error(a.get("catalog") + ": cannot read the catalog");
    Json j = Json::parse(in);
    if (j.contains("activities") && j["activities"].is_array())
        for (Json& x : j["activities"]) {
            Activity act = activity_from_json(x);
            refresh_furigana(act);
            const Json fresh = to_json(act);
            if (!x.contains("extra") || !x["extra"].is_object()) x["extra"] = Json::object();
            if (fresh["extra"].contains("furigana")) x["extra"]["furigana"] = fresh["extra"]["furigana"];
            else x["extra"].erase("furigana");
        }
    std::cout << j.dump(1, ' ', false) << "\n";
    return 0;
}

int cmd_public_key(const Args& a) {
    std::cout << load_keys(a.get("data")).public_key_b64 << "\n";
    return 0;
}

// add-staff: creates or updates a dashboard account (server/web/, docs/dashboard.md).
int cmd_add_staff(const Args& a) {
    if (!a.has("user")) throw UsageError("add-staff needs --user NAME");
    if (!a.has("role")) throw UsageError("add-staff needs --role department|viewer|editor|admin (department also --department 担当課)");
    std::string password;
    if (a.has("password-file")) {
        std::ifstream in(a.get("password-file"));
        if (!in) throw std::runtime_error(a.get("password-file") + ": cannot read the password file");
        std::getline(in, password);
    } else {
        std::getline(std::cin, password);
    }
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
    init_data_dir(a.get("data"), "", db_spec(a));
    auto storage = open_storage(db_spec(a));
    const bool again = storage->admin().staff(a.get("user")).has_value();
    try {
        web::add_staff(*storage, a.get("user"), a.get("role"), password, a.has("department") ? a.get("department") : "");
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    std::cout << (again ? "updated" : "added") << " staff account " << a.get("user") << " (" << a.get("role") << ")\n";
    log_info("add-staff", {{"user", a.get("user")}, {"role", a.get("role")}});
    return 0;
}

int cmd_serve(const Args& a) {
    const std::string dir = a.get("data");
    const std::string bind = a.get("bind", "127.0.0.1");
    int port = 8080;
    if (a.has("port")) {
        try {
            std::size_t used = 0;
            port = std::stoi(a.get("port"), &used);
            if (used != a.get("port").size() || port < 0 || port > 65535) throw std::out_of_range("port");
        } catch (const std::exception&) {
            throw UsageError("--port must be a number from 0 to 65535");
        }
    }
    const bool tls = a.has("tls-cert") || a.has("tls-key");
    if (tls && !(a.has("tls-cert") && a.has("tls-key"))) throw UsageError("--tls-cert and --tls-key go together");
    ApiOptions api_opts;
    if (a.has("rate-limit")) {
        try {
            std::size_t used = 0;
            const int rate = std::stoi(a.get("rate-limit"), &used);
            if (used != a.get("rate-limit").size() || rate < 0 || rate > 100000) throw std::out_of_range("rate");
            api_opts.rate_per_s = rate;
            api_opts.rate_burst = 2.0 * rate;
        } catch (const std::exception&) {
            throw UsageError("--rate-limit must be a number from 0 (no limit) to 100000");
        }
    }

    // Notices: the outbox is always filled; it is sent only when an SMTP server is configured.
    SmtpConfig smtp;
    smtp.url = a.get("smtp-url");
    smtp.tls = a.get("smtp-tls", "starttls");
    if (smtp.tls != "starttls" && smtp.tls != "none") throw UsageError("--smtp-tls must be starttls or none");
    smtp.from = a.get("smtp-from");
    if (!smtp.url.empty() && smtp.from.empty()) throw UsageError("--smtp-url needs --smtp-from");
    smtp.user = a.get("smtp-user");
    if (a.has("smtp-password-file")) {
        std::ifstream pf(a.get("smtp-password-file"));
        if (!pf) throw UsageError("cannot read --smtp-password-file " + a.get("smtp-password-file"));
        std::getline(pf, smtp.password);
    }
    smtp.ca_file = a.get("smtp-ca");
    smtp.message_id_domain = a.get("smtp-message-id-domain", "kyodo.invalid");
    std::int64_t poll_ms = 5000;
    if (a.has("notice-poll-ms")) {
        try {
            poll_ms = std::stoll(a.get("notice-poll-ms"));
        } catch (const std::exception&) {
            poll_ms = -1;
        }
        if (poll_ms < 10 || poll_ms > 3600000) throw UsageError("--notice-poll-ms must be from 10 to 3600000");
    }
    ServerLimits limits;
    auto count_opt = [&](const char* name, std::size_t& out, long long lo, long long hi) {
        if (!a.has(name)) return;
        try {
            std::size_t used = 0;
            const long long v = std::stoll(a.get(name), &used);
            if (used != a.get(name).size() || v < lo || v > hi) throw std::out_of_range(name);
            out = static_cast<std::size_t>(v);
        } catch (const std::exception&) {
            throw UsageError(std::string("--") + name + " must be a number from " + std::to_string(lo) + " to " +
                             std::to_string(hi));
        }
    };
    count_opt("max-connections", limits.max_connections, 16, 100000);
    count_opt("max-per-address", limits.max_per_address, 0, 100000);

    // Signals: blocked here, before any thread exists, so every thread inherits the mask
    // and only the waiter below receives them.
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    // Memory: few malloc arenas for many connection threads, and big buffers (request bodies,
    // Argon2's 64 MiB) always mapped apart and given back when freed, instead of glibc's moving
    // threshold keeping them in the heap after the first one.
    mallopt(M_ARENA_MAX, 4);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);

    init_data_dir(dir, a.get("catalog"), db_spec(a));
    const KeyPair keys = load_keys(dir);
    auto storage = open_storage(db_spec(a));

    // Connection and request limits (server/http_guard.h, docs/operations.md "Limits").
    std::unique_ptr<httplib::Server> svr = make_server(limits, a.get("tls-cert"), a.get("tls-key"));
    if (!svr->is_valid()) {
        std::cerr << "kyodo-server: cannot load TLS certificate " << a.get("tls-cert") << " / key " << a.get("tls-key")
                  << "\n";
        return 1;
    }
    Api api(*storage, keys, api_opts);
    api.install(*svr);
    const int bound = bind_server(*svr, bind, port);
    if (bound < 0) {
        std::cerr << "kyodo-server: cannot listen on " << bind << ":" << port << " (in use, or not an address here)\n";
        return 1;
    }

    // The dashboard and public pages on the same server (server/web/, docs/dashboard.md).
    // Routes go in after binding so the kiosk.json the enrol page writes names the port
    // actually bound (--port 0) or the address kiosks really use (--public-url).
    web::WebOptions web_opts;
    // Behind a TLS front door (nginx, docs/operations.md) the server speaks plain HTTP on
    // loopback but browsers see https: an https --public-url keeps the cookies Secure.
    web_opts.secure_cookies = tls || a.get("public-url").rfind("https://", 0) == 0;
    web_opts.server_url = a.has("public-url")
        ? a.get("public-url")
        : std::string(tls ? "https" : "http") + "://" + bind + ":" + std::to_string(bound);
    if (a.has("catalog")) {
        std::ifstream cin_(a.get("catalog"));
        const Json doc = Json::parse(cin_, nullptr, false);
        if (doc.is_object() && doc.contains("indicator_targets")) web_opts.indicator_targets = doc["indicator_targets"];
    }
    web::Web web(*storage, keys, web_opts);
    web.install(*svr);

    NoticeSender notices(*storage, smtp);
    if (!smtp.url.empty()) notices.start(poll_ms);

    std::atomic<bool> listen_done{false};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&sigs, &sig);
        if (listen_done) return;
        log_info("stop", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        while (!svr->is_running() && !listen_done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        svr->stop();
    });

    const std::string url = std::string(tls ? "https" : "http") + "://" + bind + ":" + std::to_string(bound);
    std::cout << "listening on " << url << std::endl;   // the one stdout line scripts parse
    log_info("start", {{"url", url}, {"data", dir}, {"catalog_version", std::to_string(storage->catalog_version())},
                       {"version", kServerVersion}});
    const bool ok = svr->listen_after_bind();
    listen_done = true;
    pthread_kill(waiter.native_handle(), SIGTERM);   // wakes the waiter if no signal came
    waiter.join();
    log_info("stopped", {{"url", url}});
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    try {
        args = parse_args(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "kyodo-server: " << e.what() << "\n(kyodo-server --help shows the usage)\n";
        return 2;
    }
    try {
        if (args.command == "help") {
            std::cout << kUsage;
            return 0;
        }
        if (args.command == "init") return cmd_init(args);
        if (args.command == "serve") return cmd_serve(args);
        if (args.command == "enrol") return cmd_enrol(args);
        if (args.command == "revoke") return cmd_revoke(args);
        if (args.command == "devices") return cmd_devices(args);
        if (args.command == "quotas") return cmd_quotas(args);
        if (args.command == "leases") return cmd_leases(args);
        if (args.command == "add-staff") return cmd_add_staff(args);
        if (args.command == "public-key") return cmd_public_key(args);
        if (args.command == "furigana") return cmd_furigana(args);
    } catch (const UsageError& e) {
        std::cerr << "kyodo-server: " << e.what() << "\n(kyodo-server --help shows the usage)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kyodo-server: " << e.what() << "\n";
        return 1;
    }
    return 2;
}
