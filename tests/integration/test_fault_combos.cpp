// Faults at once (issue 13 §7), against the REAL kyodo-server over loopback:
//   - the server SIGKILLed and restarted, connections cut by a proxy, and kyodo-sync
//     SIGKILLed, all in the same minutes, while city hall cancels sign-ups and the waitlist
//     moves up: every record once, capacity never exceeded, every kiosk ends up knowing the
//     server's status of each of its sign-ups;
//   - the server's disk really full (a 3 MiB tmpfs; root only, skipped with a message
//     otherwise): pushes fail without losing or half-storing anything, the server stays up
//     and answers, and once space is back every record arrives once.
// Shared pieces (Server, CuttingProxy, check_exactly_once …): tests/integration/fault_util.h.
#include <doctest/doctest.h>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "core/utf8.h"
#include "server/storage.h"
#include "tests/integration/fault_util.h"

namespace {

// The proxy's cut plan, switchable: while `on`, connection i is cut at a byte count that
// varies (going up or coming back) on two of every three; off, it forwards everything.
struct SwitchableCuts {
    std::atomic<bool> on{true};
    std::atomic<int> planned{0};
    CuttingProxy::Cut operator()(int i) {
        CuttingProxy::Cut c;
        if (!on) return c;
        static const long ups[] = {0, 1, 90, 300, 900, 2000, 6000};
        static const long downs[] = {0, 1, 60, 200, 500, 900, 1400};
        switch (i % 3) {
            case 0: c.up = ups[(i / 3) % 7]; ++planned; break;
            case 1: c.down = downs[(i / 3) % 7]; ++planned; break;
            default: break;   // this one goes through
        }
        return c;
    }
};

// server_status[id] for every sign-up of the server, and party sizes of confirmed ones.
std::map<std::string, std::string> server_signups(const Server& srv) {
    std::map<std::string, std::string> m;
    for (const auto& row : column(srv.db_path(), "SELECT id || '|' || signup_status FROM records WHERE kind = 'sign_up'"))
        m[row.substr(0, row.find('|'))] = row.substr(row.find('|') + 1);
    return m;
}

}  // namespace

TEST_CASE("faults at once: server kills, cut connections and kyodo-sync kills, while sign-ups are cancelled "
          "and the waitlist moves; every record once, every kiosk learns every status") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    REQUIRE_MESSAGE(fs::exists(kSync), "build kyodo-sync first: " << kSync);
    TempDir tmp("kyodo-fault-combo");
    Server srv(tmp);
    srv.start();
    KioskConfig c1 = srv.enrol("k1"), c2 = srv.enrol("k2");

    SwitchableCuts cuts;
    CuttingProxy proxy(srv.port, [&](int i) { return cuts(i); });
    const std::string via_proxy = "http://127.0.0.1:" + std::to_string(proxy.port());
    // k2 is driven by kyodo-sync processes (killed at random); its config names the proxy.
    c2.server_url = via_proxy;
    c2.save(srv.config_path("k2"));

    KioskStore s1(c1.db_path), s2(c2.db_path);
    const unsigned seed = std::random_device{}();
    INFO("seed ", seed);
    std::mt19937 rng(seed);
    auto ms = [&](int lo, int hi) { return std::chrono::milliseconds(std::uniform_int_distribution<int>(lo, hi)(rng)); };

    // k1: the kiosk's engine in a loop through the proxy, as the worker runs it.
    std::atomic<bool> stop{false};
    Totals t1;
    std::thread kiosk1([&] {
        KioskStore own(c1.db_path);
        CurlTransport curl(loopback(via_proxy, 10000));
        SyncEngine engine(own, c1, curl);
        const auto deadline = SteadyClock::now() + 300s;
        while (SteadyClock::now() < deadline && !stop) {
            const Totals t = sync_until_empty(own, engine, 3s, 100);
            t1.passes += t.passes;
            t1.failed += t.failed;
            t1.rejected += t.rejected;
            t1.conflict += t.conflict;
            if (own.counts().pending == 0) std::this_thread::sleep_for(20ms);
        }
    });

    int made1 = 0, made2 = 0, server_kills = 0, sync_kills = 0, cancels = 0, promoted = 0;
    std::set<std::string> cancelled;
    for (int round = 0; round < 6; ++round) {
        // New records on both kiosks, sign-ups for the 3-place event among them.
        add_records(s1, c1, 400, made1);
        made1 += 400;
        add_records(s2, c2, 400, made2);
        made2 += 400;
        for (int j = 0; j < 2; ++j) {
            Record a = sign_up(c1, "ev-three", 1 + j), b = sign_up(c2, "ev-three", 1);
            s1.enqueue(a);
            s2.enqueue(b);
            made1++;
            made2++;
        }
        // k2: a kyodo-sync run, SIGKILLed at a random moment unless it finished.
        ChildProcess sync({kSync, "once", "--config", srv.config_path("k2"), "--timeout", "10"});
        std::this_thread::sleep_for(ms(20, 400));
        if (sync.running()) {
            ::kill(sync.pid(), SIGKILL);
            ++sync_kills;
        }
        sync.stop(5s);
        // City hall cancels a confirmed sign-up of the small event (the dashboard's action, on
        // the server's database while it runs): the waitlist moves up.
        const auto confirmed = column(srv.db_path(),
                                      "SELECT id FROM records WHERE activity_id = 'ev-three' AND signup_status = 'confirmed'");
        if (!confirmed.empty()) {
            const std::string id = confirmed[std::uniform_int_distribution<std::size_t>(0, confirmed.size() - 1)(rng)];
            auto st = server::open_storage(srv.db_path());
            const server::CancelResult cr = st->admin().cancel_signup(id, "test", rfc3339_now());
            CHECK(cr.ok);
            if (cr.ok) {
                ++cancels;
                cancelled.insert(id);
                if (!cr.promoted_id.empty()) ++promoted;
            }
        }
        // The server SIGKILLed mid-traffic and restarted on the same data and port.
        std::this_thread::sleep_for(ms(5, 200));
        srv.kill9();
        ++server_kills;
        std::this_thread::sleep_for(ms(50, 300));
        srv.start();
    }

    // Faults off; both kiosks sync until nothing is pending and no status change is owed.
    cuts.on = false;
    stop = true;
    kiosk1.join();
    CurlTransport curl1(loopback(srv.url())), curl2(loopback(srv.url()));
    SyncEngine e1(s1, c1, curl1), e2(s2, c2, curl2);
    const auto deadline = SteadyClock::now() + 180s;
    bool settled = false;
    while (SteadyClock::now() < deadline && !settled) {
        sync_until_empty(s1, e1, 30s);
        sync_until_empty(s2, e2, 30s);
        // One more pass each carries the acknowledgements; settled when nothing is owed.
        SyncReport r1 = e1.run_once(), r2 = e2.run_once();
        auto st = server::open_storage(srv.db_path());
        settled = r1.ok() && r2.ok() && s1.counts().pending == 0 && s2.counts().pending == 0 &&
                  st->signup_updates("k1", 10).empty() && st->signup_updates("k2", 10).empty();
        if (!settled) std::this_thread::sleep_for(r1.retry_after_s() || r2.retry_after_s() ? 1100ms : 50ms);
    }
    MESSAGE("rounds 6: server killed " << server_kills << ", kyodo-sync killed " << sync_kills << ", connections "
                                       << proxy.connections() << " (cut up " << proxy.cuts_up() << ", down "
                                       << proxy.cuts_down() << "), sign-ups cancelled " << cancels << " (waitlist moved "
                                       << promoted << "); k1 passes " << t1.passes << " (failed " << t1.failed
                                       << "); records " << made1 << " + " << made2);
    CHECK(settled);
    CHECK(proxy.cuts_up() + proxy.cuts_down() >= 4);
    CHECK(cancels >= 1);
    CHECK(t1.rejected == 0);
    CHECK(t1.conflict == 0);
    CHECK(s1.counts().delivered == made1);
    CHECK(s2.counts().delivered == made2);
    check_exactly_once(srv, {c1.db_path, c2.db_path});

    // Capacity: confirmed parties of the 3-place event never past 3, and `taken` says so.
    const auto taken = column(srv.db_path(), "SELECT taken FROM activities WHERE id = 'ev-three'");
    const auto confirmed_sum = column(
        srv.db_path(),
        "SELECT COALESCE(SUM(party_size), 0) FROM records WHERE activity_id = 'ev-three' AND signup_status = 'confirmed'");
    CHECK(std::stoi(confirmed_sum[0]) <= 3);
    CHECK(taken[0] == confirmed_sum[0]);
    // Every cancelled sign-up stayed cancelled; every kiosk holds the server's word for each
    // of its sign-ups (cancelled, moved up from the waitlist, or as first answered).
    const auto on_server = server_signups(srv);
    for (const auto& id : cancelled) CHECK(on_server.at(id) == "cancelled");
    int compared = 0;
    for (const auto& db : {c1.db_path, c2.db_path}) {
        for (const auto& row : column(db, "SELECT id || '|' || signup_status FROM outbox WHERE kind = 'sign_up'")) {
            const std::string id = row.substr(0, row.find('|')), status = row.substr(row.find('|') + 1);
            INFO("sign-up ", id, " kiosk db ", db);
            REQUIRE(on_server.count(id) == 1);
            CHECK(status == on_server.at(id));
            ++compared;
        }
    }
    CHECK(compared == static_cast<int>(on_server.size()));
}

TEST_CASE("faults: the server's disk really full (a 3 MiB tmpfs): pushes fail whole, the server stays up, and "
          "every record arrives once when space is back") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    if (::geteuid() != 0) {
        MESSAGE("SKIPPED: mounting a size-capped tmpfs needs root (run the suite as root, as CI does)");
        return;
    }
    TempDir tmp("kyodo-fault-diskfull");
    const std::string disk = tmp.file("disk");
    fs::create_directories(disk);
    if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=3m,mode=0755") != 0) {
        MESSAGE("SKIPPED: could not mount a tmpfs at " << disk << ": " << std::strerror(errno)
                                                        << " (a container without CAP_SYS_ADMIN?)");
        return;
    }
    struct Unmount {
        std::string at;
        ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
    } unmount{disk};

    Server srv(tmp);
    srv.data = disk + "/server";   // the server's whole data directory on the small disk
    srv.start();
    const KioskConfig cfg = srv.enrol("k1");
    KioskStore store(cfg.db_path);   // the kiosk's disk is not the full one
    // ~6 MB of opinions (2,000 characters each): twice what the disk holds.
    REQUIRE(sqlite3_exec(store.raw(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    constexpr int kRecords = 1000;
    for (int i = 0; i < kRecords; ++i) {
        Record r = opinion(cfg, i);
        std::string text = "番号 " + std::to_string(i) + " ";
        while (utf8::length(text) < 1990) text += "避難所の案内をもっと大きく";
        r.payload["text"] = utf8::truncate(text, 2000);
        store.enqueue(r);
    }
    REQUIRE(sqlite3_exec(store.raw(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);

    CurlTransport curl(loopback(srv.url(), 30000));
    SyncEngine engine(store, cfg, curl);
    // Push until the disk is full: the server must answer (not die, not hang) with an error,
    // and keep answering health checks.
    int passes = 0, failures = 0, last_status = 0;
    std::string last_error;
    const auto deadline = SteadyClock::now() + 120s;
    while (SteadyClock::now() < deadline && store.counts().pending > 0) {
        engine.set_batch_limit(50);
        SyncReport rep = engine.run_once();
        ++passes;
        if (!rep.push.ok) {
            ++failures;
            last_status = rep.push.http_status;
            last_error = rep.push.error;
            if (failures >= 3) break;
        }
    }
    const int delivered_while_full = store.counts().delivered;
    MESSAGE("disk full after " << delivered_while_full << " of " << kRecords << " records; " << passes << " passes, "
                               << failures << " failed, last HTTP status " << last_status << ": " << last_error);
    REQUIRE(failures >= 3);                          // the disk did fill up
    CHECK(delivered_while_full < kRecords);
    CHECK(last_status >= 500);                       // a server error, retried later, not a rejection
    CHECK(store.counts().rejected == 0);             // no record blamed for the server's disk
    CHECK(srv.proc->running());
    {
        HttpResponse h = curl.get("/api/v1/health", {});
        CHECK(h.status == 200);
    }
    // Nothing half-stored: what the server holds is exactly what the kiosk counts delivered.
    CHECK(column(srv.db_path(), "SELECT count(*) FROM records")[0] == std::to_string(delivered_while_full));
    CHECK(column(srv.db_path(), "PRAGMA integrity_check")[0] == "ok");

    // Space is back (the disk grown in place, as an operator would): everything arrives once.
    REQUIRE(::mount("tmpfs", disk.c_str(), "tmpfs", MS_REMOUNT, "size=64m,mode=0755") == 0);
    const Totals t = sync_until_empty(store, engine, 120s, 100);
    MESSAGE("after space was freed: " << t.passes << " passes, stored " << t.stored << ", duplicate " << t.duplicate);
    CHECK(store.counts().pending == 0);
    CHECK(t.rejected == 0);
    check_exactly_once(srv, {cfg.db_path});
    srv.kill9();   // the server is stopped before the disk is unmounted
}
