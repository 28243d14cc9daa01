// The fault tests' shared pieces (tests/integration/test_sync_faults.cpp and
// test_fault_combos.cpp): the real kyodo-server on a data directory (restartable on the same
// port), read-only SQLite queries, the exactly-once check, record makers, a sync loop and a
// loopback proxy that cuts connections. Included by one test program each (an anonymous
// namespace: nothing here is shared between programs; what one program does not use is
// [[maybe_unused]]: test_booking_sync.cpp uses the server and the queries only).
#pragma once

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/storage.h"
#include "sync/kiosk_config.h"
#include "sync/sync_engine.h"
#include "sync/curl_transport.h"
#include "sync/transport.h"
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
using SteadyClock = std::chrono::steady_clock;

// A small catalog: one centre, an event without a limit (bulk sign-ups) and one with 3 places.
std::string write_catalog(const TempDir& dir) {
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Centre c;
    c.id = "ohdono";
    c.name = "大殿地域交流センター";
    c.kana = "おおどのちいきこうりゅうせんたー";
    c.version = 1;
    d.centres.push_back(c);
    for (auto [id, cap] : {std::pair<const char*, int>{"ev-open", 100000}, {"ev-three", 3}}) {
        Activity ev;
        ev.id = id;
        ev.kind = ActivityKind::Event;
        ev.title = "防災ワークショップ";
        ev.kana = "ぼうさいわーくしょっぷ";
        ev.centre_id = "ohdono";
        ev.capacity = cap;
        ev.version = 1;
        d.activities.push_back(ev);
    }
    const std::string path = dir.file("catalog.json");
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

// The real server on one data directory; restartable on the same port.
struct Server {
    TempDir& tmp;
    std::string data, catalog;
    std::unique_ptr<ChildProcess> proc;
    int port = 0;

    std::string db;   // --db: "" for DIR/server.db, or a postgresql:// URL

    explicit Server(TempDir& t) : tmp(t), data(t.file("server")), catalog(write_catalog(t)) {}
    std::vector<std::string> db_args() const {
        return db.empty() ? std::vector<std::string>{} : std::vector<std::string>{"--db", db};
    }

    // Enrols a kiosk (the server may or may not be running) and returns its configuration.
    KioskConfig enrol(const std::string& kiosk) {
        const std::string cfg_path = tmp.file(kiosk + ".json");
        std::vector<std::string> args{kServer, "--data", data};
        for (const auto& a : db_args()) args.push_back(a);
        for (const char* a : {"enrol", "--kiosk"}) args.push_back(a);
        args.push_back(kiosk);
        for (const std::string& a : {std::string("--centre"), std::string("ohdono"), std::string("--server-url"),
                                     std::string("http://127.0.0.1:9"), std::string("--write-config"), cfg_path,
                                     std::string("--kiosk-db"), tmp.file(kiosk + ".db")})
            args.push_back(a);
        RunResult en = run_process(args, 60s);
        INFO("enrol ", kiosk, ": ", en.out, en.err);
        REQUIRE(en.exit_code == 0);
        KioskConfig cfg = KioskConfig::load(cfg_path);
        cfg.server_url = url();
        cfg.save(cfg_path);
        return KioskConfig::load(cfg_path);
    }
    std::string config_path(const std::string& kiosk) const { return tmp.file(kiosk + ".json"); }

    void start() {
        std::vector<std::string> args{kServer, "--data", data};
        for (const auto& a : db_args()) args.push_back(a);
        for (const std::string& a : {std::string("serve"), std::string("--port"), std::to_string(port),
                                     std::string("--catalog"), catalog})
            args.push_back(a);
        proc = std::make_unique<ChildProcess>(args);
        const int p = proc->wait_for_listening(30s);
        INFO("server output: ", proc->output());
        REQUIRE(p > 0);
        if (port != 0) REQUIRE(p == port);   // restarted on the same port
        port = p;
    }
    // SIGKILL: no shutdown, no flush, like a power cut of the server process.
    void kill9() {
        REQUIRE(proc);
        ::kill(proc->pid(), SIGKILL);
        proc->stop(5s);   // reaps it
        proc.reset();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string db_path() const { return data + "/server.db"; }
};

// Read-only queries on a SQLite file (the server's or a kiosk's).
std::vector<std::string> column(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        auto* t = sqlite3_column_text(st, 0);
        out.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// Every record the kiosks made is on the server exactly once, nothing else is, and every
// kiosk's outbox is delivered. (The primary key forbids two rows of one id; equal counts
// and equal id sets say nothing was lost and nothing foreign or doubled slipped in.)
[[maybe_unused]] void check_exactly_once(const Server& srv, const std::vector<std::string>& kiosk_dbs) {
    std::multiset<std::string> made;
    for (const auto& k : kiosk_dbs) {
        for (auto& id : column(k, "SELECT id FROM outbox")) made.insert(id);
        CHECK(column(k, "SELECT count(*) FROM outbox WHERE state <> 'delivered'")[0] == "0");
        CHECK(column(k, "PRAGMA integrity_check")[0] == "ok");
    }
    const auto on_server = column(srv.db_path(), "SELECT id FROM records");
    const std::multiset<std::string> stored(on_server.begin(), on_server.end());
    CHECK(stored.size() == made.size());
    CHECK(stored == made);
    CHECK(column(srv.db_path(), "PRAGMA integrity_check")[0] == "ok");
}

Record opinion(const KioskConfig& cfg, int i) {
    Record r;
    r.kind = RecordKind::Opinion;
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.payload = {{"topic", "防災"},
                 {"text", "避難所の案内をもっと大きくしてください。番号 " + std::to_string(i)},
                 {"activity_id", ""},
                 {"wants_reply", false}};
    return r;
}

Record sign_up(const KioskConfig& cfg, const std::string& activity, int party) {
    Record r;
    r.kind = RecordKind::SignUp;
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}, {"note", ""}};
    Personal p;
    p.name = "山田 花子";
    p.furigana = "やまだ はなこ";
    p.phone = "083-922-1111";
    r.sealed = seal_personal(p, cfg.city_hall_public_key);
    return r;
}

// Queues n records (every 10th a sign-up) in one transaction: fast, and as durable.
[[maybe_unused]] void add_records(KioskStore& store, const KioskConfig& cfg, int n, int first = 0) {
    REQUIRE(sqlite3_exec(store.raw(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    for (int i = 0; i < n; ++i) {
        Record r = (first + i) % 10 == 9 ? sign_up(cfg, "ev-open", 1) : opinion(cfg, first + i);
        store.enqueue(r);
    }
    REQUIRE(sqlite3_exec(store.raw(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
}

TransportOptions loopback(const std::string& url, long total_ms = 15000) {
    TransportOptions o;
    o.base_url = url;
    o.connect_timeout_ms = 3000;
    o.total_timeout_ms = total_ms;
    return o;
}

// Runs passes until the outbox is empty (or the deadline): failures are retried at once,
// after a short pause (the real worker backs off; the test has no time to).
struct Totals {
    int passes = 0, failed = 0, stored = 0, duplicate = 0, rejected = 0, conflict = 0;
};
[[maybe_unused]] Totals sync_until_empty(KioskStore& store, SyncEngine& engine, std::chrono::seconds limit,
                        std::size_t batch = SyncEngine::kMaxBatch) {
    Totals t;
    const auto deadline = SteadyClock::now() + limit;
    while (SteadyClock::now() < deadline) {
        engine.set_batch_limit(batch);
        SyncReport rep = engine.run_once();
        ++t.passes;
        t.stored += rep.push.stored;
        t.duplicate += rep.push.duplicate;
        t.rejected += rep.push.rejected;
        t.conflict += rep.push.conflict;
        if (!rep.ok()) ++t.failed;
        if (rep.push.ok && store.counts().pending == 0) break;
        if (!rep.ok()) std::this_thread::sleep_for(rep.retry_after_s() ? 1000ms : 20ms);
    }
    return t;
}

// A loopback TCP proxy that cuts connections: connection i forwards at most up(i) bytes
// client→server and down(i) bytes server→client, then closes both sides (-1 = no cut).
class CuttingProxy {
public:
    struct Cut {
        long up = -1, down = -1;
    };
    CuttingProxy(int target_port, std::function<Cut(int)> plan) : target_(target_port), plan_(std::move(plan)) {
        lfd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(lfd_ >= 0);
        int one = 1;
        ::setsockopt(lfd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        REQUIRE(::bind(lfd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(lfd_, 64) == 0);
        socklen_t len = sizeof a;
        ::getsockname(lfd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~CuttingProxy() {
        stop_ = true;
        acceptor_.join();
        for (auto& t : conns_) t.join();
        ::close(lfd_);
    }
    int port() const { return port_; }
    int connections() const { return n_; }
    int cuts_up() const { return cuts_up_; }
    int cuts_down() const { return cuts_down_; }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd p{lfd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept(lfd_, nullptr, nullptr);
            if (c < 0) continue;
            const int i = n_++;
            conns_.emplace_back([this, c, i] { relay(c, plan_(i)); });
        }
    }
    void relay(int client, Cut cut) {
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(target_));
        if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(server);
            ::close(client);
            return;
        }
        long sent[2] = {0, 0};   // 0: up (client→server), 1: down
        const long limit[2] = {cut.up, cut.down};
        char buf[16384];
        bool open = true;
        while (open && !stop_) {
            pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (::poll(p, 2, 50) <= 0) continue;
            for (int dir = 0; dir < 2 && open; ++dir) {
                if (!(p[dir].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                const int from = dir == 0 ? client : server, to = dir == 0 ? server : client;
                const ssize_t n = ::recv(from, buf, sizeof buf, 0);
                if (n <= 0) {
                    open = false;
                    break;
                }
                long take = n;
                bool cut_now = false;
                if (limit[dir] >= 0 && sent[dir] + n > limit[dir]) {
                    take = limit[dir] - sent[dir];
                    cut_now = true;
                }
                if (take > 0 && ::send(to, buf, static_cast<std::size_t>(take), MSG_NOSIGNAL) != take) open = false;
                sent[dir] += take;
                if (cut_now) {
                    (dir == 0 ? cuts_up_ : cuts_down_)++;
                    open = false;
                }
            }
        }
        ::shutdown(client, SHUT_RDWR);
        ::shutdown(server, SHUT_RDWR);
        ::close(client);
        ::close(server);
    }

    int target_, port_ = 0, lfd_ = -1;
    std::function<Cut(int)> plan_;
    std::atomic<bool> stop_{false};
    std::atomic<int> n_{0}, cuts_up_{0}, cuts_down_{0};
    std::thread acceptor_;
    std::vector<std::thread> conns_;   // touched by the acceptor only, joined after it
};

}  // namespace
