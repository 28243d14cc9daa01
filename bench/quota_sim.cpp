// quota_sim: places confirmed on the spot at kiosks, under leases, through the real server
// (issue 10 point 2's proof; docs/protocol.md "Kiosk quotas").
//
// 20 kiosks (a KioskStore + SyncEngine each, on its own thread, its clock off by up to ±24 h)
// at 10 centres, 50 activities of 5–30 places (5 per centre), the real kyodo-server on SQLite
// and then on PostgreSQL. Each activity's two home kiosks are given half its places each
// (`kyodo-server quotas --activity A --kiosk K --places N`); 80% of a kiosk's sign-ups are for
// its own centre's activities. 10,000 sign-ups and 1,000 cancels, with faults all along:
//   - partitions: a kiosk's network is down for 2–25 s (longer than the lease's silence time
//     of 10 s, so leases end while kiosks keep taking sign-ups offline);
//   - kiosk kills: the answer to a push is lost after the server stored it, and the kiosk's
//     store and engine are thrown away and reopened (what a SIGKILL at that moment leaves);
//   - server kills: SIGKILL every 15–35 s, restarted on the same data and port;
//   - two kiosks go dark for a third of the run (their leases strand their places).
// Every push answer is read on its way to the kiosk (the first answer each sign-up got).
//
// Prints, per engine: activities over capacity (must be 0), records lost and doubled (0),
// places confirmed at a kiosk that were later waitlisted or refused (0), the share of the
// sign-ups that got a place on arrival which were confirmed on the spot (goal >= 80%, 0%
// without quotas), and the places stranded by leases that ended while their kiosk was silent,
// and for how long. --baseline runs the same load with no quotas first, for comparison.
//
// Run: ./bench/quota_sim [--engine sqlite|postgres|both] [--pg URL] [--signups 10000]
//        [--cancels 1000] [--kiosks 20] [--seed 1] [--pace-ms 60] [--baseline]
#include <libpq-fe.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "server/storage.h"
#include "sync/curl_transport.h"
#include "sync/kiosk_config.h"
#include "sync/sync_engine.h"
#include "sync/transport.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
    std::string server = KYODO_BINARY_DIR "/server/kyodo-server";
    std::string engine = "sqlite";
    std::string pg_url;
    int kiosks = 20, centres = 10, activities = 50, signups = 10000, cancels = 1000;
    unsigned seed = 1;
    int pace_ms = 60;             // pause between a kiosk's actions
    int silence_s = 10;           // the server's lease silence time
    int margin_s = 2;             // the kiosks' lease margin
    bool baseline = false;        // also run without quotas
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "quota_sim: %s\n", what.c_str());
    std::exit(2);
}

std::string must(const test::RunResult& r, const std::string& what) {
    if (r.exit_code != 0) die(what + " failed (exit " + std::to_string(r.exit_code) + "): " + r.out + r.err);
    return r.out;
}

// --- what the kiosks saw: every push answer, read on its way back ---------------------------
struct Observed {
    std::mutex mu;
    std::map<std::string, std::string> first;            // sign-up id → its first signup_status
    std::map<std::string, std::set<std::string>> later;   // sign-up id → statuses in signup_updates
    std::set<std::string> flagged;                        // results flagged lease_exceeded

    void push_answer(const std::string& body) {
        Json j = Json::parse(body, nullptr, false);
        if (!j.is_object()) return;
        std::lock_guard lk(mu);
        if (auto it = j.find("results"); it != j.end() && it->is_array())
            for (const Json& r : *it) {
                const std::string id = r.value("id", ""), st = r.value("signup_status", "");
                if (!st.empty() && st != "cancelled") first.emplace(id, st);
                if (auto f = r.find("flags"); f != r.end() && f->is_array())
                    for (const Json& x : *f)
                        if (x == "lease_exceeded") flagged.insert(id);
            }
        if (auto it = j.find("signup_updates"); it != j.end() && it->is_array())
            for (const Json& u : *it) later[u.value("id", "")].insert(u.value("signup_status", ""));
    }
};

// The kiosk's network: the real libcurl transport, cut while partitioned, and able to lose
// one answer after the server acted on the request (the moment a kill hurts most).
class SimTransport : public Transport {
public:
    SimTransport(const std::string& url, Observed& obs) : obs_(obs), inner_(options(url)) {}
    std::atomic<bool> partitioned{false};
    std::atomic<bool> lose_next_answer{false};

    HttpResponse send(const HttpRequest& req) override {
        if (partitioned) return failed("simulated partition");
        HttpResponse r = inner_.send(req);
        if (r.status == 200 && req.path.rfind("/api/v1/records", 0) == 0) obs_.push_answer(r.body);
        if (lose_next_answer.exchange(false)) return failed("simulated kill: the answer never arrived");
        return r;
    }

private:
    static TransportOptions options(const std::string& url) {
        TransportOptions o;
        o.base_url = url;
        o.connect_timeout_ms = 3000;
        o.total_timeout_ms = 20000;
        return o;
    }
    static HttpResponse failed(const std::string& why) {
        HttpResponse r;
        r.error_kind = TransportErrorKind::Connect;
        r.error = why;
        return r;
    }
    Observed& obs_;
    CurlTransport inner_;
};

// --- the server --------------------------------------------------------------------------
struct Server {
    const Options& o;
    std::string data, db, catalog;
    std::unique_ptr<test::ChildProcess> proc;
    int port = 0;

    std::vector<std::string> base() const {
        std::vector<std::string> a{o.server, "--data", data};
        if (!db.empty()) a.insert(a.end(), {"--db", db});
        return a;
    }
    std::string run(std::vector<std::string> args, const std::string& what) const {
        auto a = base();
        a.insert(a.end(), args.begin(), args.end());
        return must(test::run_process(a, 120s), what);
    }
    void start() {
        auto a = base();
        a.insert(a.end(), {"serve", "--port", std::to_string(port), "--rate-limit", "0"});
        proc = std::make_unique<test::ChildProcess>(a);
        const int p = proc->wait_for_listening(60s);
        if (p <= 0) die("the server did not start: " + proc->output());
        port = p;
    }
    // A server that died by itself is a finding: say so with its output.
    void check_alive() {
        if (proc && !proc->running()) die("the server died by itself:\n" + proc->output());
    }
    void kill9() {
        check_alive();
        ::kill(proc->pid(), SIGKILL);
        proc->stop(5s);
        proc.reset();
    }
    void stop() {
        if (proc) proc->stop(30s);
        proc.reset();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// A PostgreSQL schema of our own, dropped at the end.
struct PgSchema {
    std::string base, name;
    void exec(const std::string& sql) const {
        PGconn* c = PQconnectdb(base.c_str());
        if (PQstatus(c) != CONNECTION_OK) die("cannot connect to " + base + ": " + PQerrorMessage(c));
        PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);   // "drop cascades to …"
        PGresult* r = PQexec(c, sql.c_str());
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const std::string err = PQresultErrorMessage(r);
        PQclear(r);
        PQfinish(c);
        if (!ok) die(sql + ": " + err);
    }
    std::string url() const {
        return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
    }
};

// --- the catalog -------------------------------------------------------------------------
struct Plan {
    std::vector<std::string> centres;
    std::vector<Activity> acts;   // acts[i].centre_id = centres[i % centres]
    std::map<std::string, int> capacity;
};

Plan make_plan(const Options& o, std::mt19937& rng) {
    Plan p;
    for (int c = 0; c < o.centres; ++c) {
        char id[16];
        std::snprintf(id, sizeof id, "c%02d", c + 1);
        p.centres.push_back(id);
    }
    // A week ahead: the leases end by silence, not by the start (2 h before it).
    const std::string start = rfc3339_utc(now_millis() + 7LL * 24 * 3600 * 1000).substr(0, 10) + "T10:00";
    std::uniform_int_distribution<int> cap(5, 30);
    for (int i = 0; i < o.activities; ++i) {
        Activity a;
        char id[16];
        std::snprintf(id, sizeof id, "sim-%02d", i + 1);
        a.id = id;
        a.kind = ActivityKind::Event;
        a.title = "防災ワークショップ " + std::to_string(i + 1);
        a.kana = "ぼうさいわーくしょっぷ";
        a.centre_id = p.centres[static_cast<std::size_t>(i % o.centres)];
        a.starts_at = start;
        a.capacity = cap(rng);
        a.version = 1;
        p.capacity[a.id] = a.capacity;
        p.acts.push_back(a);
    }
    return p;
}

std::string write_catalog(const Plan& p, const std::string& path) {
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    for (const auto& c : p.centres) {
        Centre ce;
        ce.id = c;
        ce.name = "地域交流センター " + c;
        ce.kana = "ちいきこうりゅうせんたー";
        ce.version = 1;
        d.centres.push_back(ce);
    }
    d.activities = p.acts;
    std::ofstream(path) << to_json(d).dump();
    return path;
}

// --- one kiosk ---------------------------------------------------------------------------
struct Kiosk {
    KioskConfig cfg;
    std::string cfg_path;
    std::int64_t offset_ms = 0;                  // its clock's error
    std::mt19937 rng;
    std::unique_ptr<KioskStore> store;
    std::unique_ptr<SimTransport> net;
    std::unique_ptr<SyncEngine> engine;
    struct Made {
        std::string id, receipt, code;
        bool cancelled = false;
    };
    std::vector<Made> made;
    int on_spot = 0, signups = 0, cancels = 0, kills = 0, partitions = 0, passes = 0;

    std::int64_t clock() const { return now_millis() + offset_ms; }
    void open(const std::string& url, Observed& obs) {
        engine.reset();
        net.reset();
        store.reset();
        store = std::make_unique<KioskStore>(cfg.db_path);
        net = std::make_unique<SimTransport>(url, obs);
        engine = std::make_unique<SyncEngine>(*store, cfg, *net);
        const std::int64_t off = offset_ms;
        engine->set_clock([off] { return now_millis() + off; });
    }
    void sync() {
        engine->run_once();
        ++passes;
    }
};

Record sign_up_record(const Kiosk& k, const std::string& activity, int party, std::int64_t kiosk_ms) {
    Record r;
    r.kind = RecordKind::SignUp;
    r.kiosk_id = k.cfg.kiosk_id;
    r.centre_id = k.cfg.centre_id;
    r.created_at = rfc3339_utc(kiosk_ms);
    r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}, {"note", ""}};
    Personal p;
    p.name = "山田 花子";
    p.furigana = "やまだ はなこ";
    p.phone = "083-922-1111";
    r.sealed = seal_personal(p, k.cfg.city_hall_public_key);
    return r;
}

struct Result {
    std::string engine;
    bool quotas = true;
    int overbooked = 0, lost = 0, doubled = 0, foreign = 0, undelivered = 0;
    int on_spot = 0, fits = 0, on_spot_broken = 0, flagged = 0;
    int signups = 0, cancels = 0, confirmed = 0, waitlisted = 0, places = 0, confirmed_places = 0;
    int kiosk_kills = 0, server_kills = 0, partitions = 0;
    int leases = 0, stranded_leases = 0, stranded_places = 0;
    double stranded_median_s = 0, stranded_max_s = 0, stranded_place_s = 0;
    double wall_s = 0;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

Result run(const Options& o, const std::string& engine, bool quotas) {
    const auto t0 = Steady::now();
    Result res;
    res.engine = engine;
    res.quotas = quotas;
    std::mt19937 rng(o.seed);
    test::TempDir tmp("kyodo-quota-sim");
    Plan plan = make_plan(o, rng);
    for (const auto& [id, cap] : plan.capacity) res.places += cap;

    Server srv{o, tmp.file("server"), "", write_catalog(plan, tmp.file("catalog.json")), nullptr, 0};
    std::unique_ptr<PgSchema> schema;
    if (engine == "postgres") {
        schema = std::make_unique<PgSchema>(PgSchema{o.pg_url, "kyodo_qsim_" + std::to_string(::getpid())});
        schema->exec("DROP SCHEMA IF EXISTS " + schema->name + " CASCADE");
        schema->exec("CREATE SCHEMA " + schema->name);
        srv.db = schema->url();
    }
    srv.run({"init", "--catalog", srv.catalog}, "init");

    // Kiosks: two per centre.
    std::vector<std::unique_ptr<Kiosk>> ks;
    std::uniform_int_distribution<std::int64_t> skew(-24LL * 3600 * 1000, 24LL * 3600 * 1000);
    for (int i = 0; i < o.kiosks; ++i) {
        auto k = std::make_unique<Kiosk>();
        const std::string centre = plan.centres[static_cast<std::size_t>(i % o.centres)];
        const std::string id = "k" + std::to_string(i + 1);
        k->cfg_path = tmp.file(id + ".json");
        srv.run({"enrol", "--kiosk", id, "--centre", centre, "--write-config", k->cfg_path, "--kiosk-db",
                 tmp.file(id + ".db")},
                "enrol " + id);
        k->cfg = KioskConfig::load(k->cfg_path);
        k->cfg.lease_margin_s = o.margin_s;
        k->offset_ms = skew(rng);
        k->rng.seed(o.seed * 7919u + static_cast<unsigned>(i));
        ks.push_back(std::move(k));
    }
    // Quotas: each activity's home kiosks get half of its places each.
    if (quotas) {
        srv.run({"quotas", "--silence-s", std::to_string(o.silence_s), "--before-start-s", "7200"}, "quotas");
        for (std::size_t a = 0; a < plan.acts.size(); ++a)
            for (std::size_t i = 0; i < ks.size(); ++i)
                if (ks[i]->cfg.centre_id == plan.acts[a].centre_id)
                    srv.run({"quotas", "--activity", plan.acts[a].id, "--kiosk", ks[i]->cfg.kiosk_id, "--places",
                             std::to_string((plan.acts[a].capacity + 1) / 2)},
                            "quotas " + plan.acts[a].id);
    }
    srv.start();
    Observed obs;
    for (auto& k : ks) {
        k->cfg.server_url = srv.url();
        k->open(srv.url(), obs);
        k->sync();   // the catalog, and the first leases
    }

    // The server is killed every 15–35 s while the kiosks work.
    // The killer thread restarts the server, so it lives until the server is stopped: Linux
    // tells a child started with PR_SET_PDEATHSIG (tests/support/process.h) to die when the
    // THREAD that started it exits, not the process.
    std::atomic<bool> working{true}, finished{false};
    std::mutex srv_mu;
    std::thread killer([&] {
        std::mt19937 r(o.seed + 17);
        while (working) {
            const auto until = Steady::now() + std::chrono::seconds(std::uniform_int_distribution<int>(15, 35)(r));
            while (working && Steady::now() < until) {
                std::this_thread::sleep_for(100ms);
                std::lock_guard lk(srv_mu);
                srv.check_alive();
            }
            if (!working) break;
            std::lock_guard lk(srv_mu);
            srv.kill9();
            srv.start();
            ++res.server_kills;
        }
        while (!finished) std::this_thread::sleep_for(50ms);
    });

    const int per_kiosk_signups = o.signups / o.kiosks, per_kiosk_cancels = o.cancels / o.kiosks;
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < ks.size(); ++i)
        threads.emplace_back([&, i] {
            Kiosk& k = *ks[i];
            std::vector<const Activity*> home, all;
            for (const auto& a : plan.acts) {
                all.push_back(&a);
                if (a.centre_id == k.cfg.centre_id) home.push_back(&a);
            }
            const bool goes_dark = i < 2;   // two kiosks are off for a third of the run
            std::vector<char> actions(static_cast<std::size_t>(per_kiosk_signups), 's');
            actions.insert(actions.end(), static_cast<std::size_t>(per_kiosk_cancels), 'c');
            std::shuffle(actions.begin() + 1, actions.end(), k.rng);
            Steady::time_point partition_end{};
            std::uniform_real_distribution<double> u(0, 1);
            for (std::size_t step = 0; step < actions.size(); ++step) {
                if (goes_dark && step == actions.size() / 3) {
                    // Dark: no network, nobody at the screen, for a third of the run.
                    k.net->partitioned = true;
                    std::this_thread::sleep_for(std::chrono::milliseconds(o.pace_ms) *
                                                static_cast<long>(actions.size() / 3));
                    k.net->partitioned = false;
                }
                if (k.net->partitioned && Steady::now() >= partition_end) k.net->partitioned = false;
                if (!k.net->partitioned && u(k.rng) < 0.01) {   // a partition of 2–25 s
                    k.net->partitioned = true;
                    partition_end = Steady::now() + std::chrono::milliseconds(
                                                        std::uniform_int_distribution<int>(2000, 25000)(k.rng));
                    ++k.partitions;
                }
                if (actions[step] == 's') {
                    const auto& pool = u(k.rng) < 0.8 ? home : all;
                    const Activity& a = *pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(k.rng)];
                    const double pr = u(k.rng);
                    const int party = pr < 0.7 ? 1 : (pr < 0.9 ? 2 : 3);
                    const std::int64_t now = k.clock();
                    Record r = sign_up_record(k, a.id, party, now);
                    bool spot = false;
                    const Receipt rc = k.store->enqueue_signup(r, now, &spot);
                    k.made.push_back({rc.record_id, rc.number, rc.check_code});
                    ++k.signups;
                    if (spot) ++k.on_spot;
                } else {
                    std::vector<std::size_t> open;
                    for (std::size_t m = 0; m < k.made.size(); ++m)
                        if (!k.made[m].cancelled) open.push_back(m);
                    if (!open.empty()) {
                        auto& m = k.made[open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(k.rng)]];
                        const auto e = k.store->signup_by_receipt(m.receipt);
                        if (check_cancel(e, m.code) == CancelCheck::Ok) {
                            k.store->enqueue_cancel(*e, m.code, k.cfg.kiosk_id, k.cfg.centre_id);
                            ++k.cancels;
                        }
                        m.cancelled = true;
                    }
                }
                if (u(k.rng) < 0.1) {   // a sync pass now and then (the worker's timer)
                    if (u(k.rng) < 0.05) {   // killed as the server answers
                        k.net->lose_next_answer = true;
                        k.sync();
                        k.open(srv.url(), obs);
                        ++k.kills;
                    } else {
                        k.sync();
                    }
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(o.pace_ms));
            }
        });
    for (auto& t : threads) t.join();
    working = false;
    {
        std::lock_guard lk(srv_mu);   // no restart is under way
    }

    // Everyone back online: sync until every outbox is delivered and acknowledged.
    srv.check_alive();
    for (auto& k : ks) {
        k->net->partitioned = false;
        const auto deadline = Steady::now() + 300s;
        while (Steady::now() < deadline) {
            k->sync();
            srv.check_alive();
            if (k->store->counts().pending == 0) break;
            std::this_thread::sleep_for(200ms);
        }
        k->sync();
    }
    const std::int64_t end_ms = now_millis();
    const std::string leases_out = srv.run({"leases"}, "leases");
    srv.stop();
    finished = true;
    killer.join();

    // --- the figures ------------------------------------------------------------------
    std::set<std::string> made_ids;
    std::set<std::string> spot_ids;
    for (auto& k : ks) {
        res.signups += k->signups;
        res.cancels += k->cancels;
        res.kiosk_kills += k->kills;
        res.partitions += k->partitions;
        res.on_spot += k->on_spot;
        res.undelivered += k->store->counts().pending;
        for (const OutboxEntry& e : k->store->recent(1000000)) {
            made_ids.insert(e.record.id);
            if (e.record.kind == RecordKind::SignUp && e.record.payload.contains("lease")) spot_ids.insert(e.record.id);
        }
    }
    auto storage = server::open_storage(srv.db.empty() ? srv.data + "/server.db" : srv.db);
    server::RecordQuery all;
    const auto recs = storage->admin().records(all);
    std::multiset<std::string> stored;
    std::map<std::string, int> confirmed_by_activity;
    std::map<std::string, std::string> status;
    for (const auto& r : recs) {
        stored.insert(r.rec.id);
        if (r.rec.kind != "sign_up") continue;
        status[r.rec.id] = r.rec.signup_status;
        if (r.rec.signup_status == "confirmed") {
            confirmed_by_activity[r.activity_id] += r.party_size;
            ++res.confirmed;
            res.confirmed_places += r.party_size;
        }
        if (r.rec.signup_status == "waitlisted") ++res.waitlisted;
    }
    for (const auto& [act, n] : confirmed_by_activity)
        if (n > plan.capacity[act]) ++res.overbooked;
    for (const auto& id : made_ids)
        if (!stored.count(id)) ++res.lost;
    for (const auto& id : stored) {
        if (stored.count(id) > 1) ++res.doubled;
        if (!made_ids.count(id)) ++res.foreign;
    }
    {
        std::lock_guard lk(obs.mu);
        for (const auto& [id, st] : obs.first)
            if (st == "confirmed") ++res.fits;
        for (const auto& id : spot_ids) {
            const bool bad_first = obs.first.count(id) && obs.first[id] != "confirmed";
            const bool bad_later = obs.later.count(id) && obs.later[id].count("waitlisted");
            const bool bad_now = status[id] == "waitlisted";
            if (bad_first || bad_later || bad_now || obs.flagged.count(id)) ++res.on_spot_broken;
        }
        res.flagged = static_cast<int>(obs.flagged.size());
    }
    // Leases that ended before their kiosk said it was done with them: their unused places
    // were held for nobody from the end to the release (or to the end of the run).
    std::vector<double> stranded_s;
    std::size_t pos = 0;
    while (pos < leases_out.size()) {
        const std::size_t nl = leases_out.find('\n', pos);
        const std::string line = leases_out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? leases_out.size() : nl + 1;
        Json l = Json::parse(line, nullptr, false);
        if (!l.is_object()) continue;
        ++res.leases;
        const auto ends = parse_rfc3339(l.value("ends_at", ""));
        const auto rel = parse_rfc3339(l.value("released_at", ""));
        const std::int64_t release = rel ? *rel : end_ms;
        const int unused = l.value("places", 0) - l.value("used", 0);
        if (!ends || release <= *ends || unused <= 0) continue;
        const double s = static_cast<double>(release - *ends) / 1000.0;
        ++res.stranded_leases;
        res.stranded_places += unused;
        stranded_s.push_back(s);
        res.stranded_place_s += s * unused;
        res.stranded_max_s = std::max(res.stranded_max_s, s);
    }
    res.stranded_median_s = median(stranded_s);
    if (schema) schema->exec("DROP SCHEMA IF EXISTS " + schema->name + " CASCADE");
    res.wall_s = std::chrono::duration<double>(Steady::now() - t0).count();
    return res;
}

void print(const Result& r) {
    std::printf("\n== %s, %s ==\n", r.engine.c_str(), r.quotas ? "kiosk quotas on" : "no quotas (as before)");
    std::printf("sign-ups made                      %d (cancels %d), %d places in all\n", r.signups, r.cancels,
                r.places);
    std::printf("faults                             %d partitions, %d kiosk kills, %d server kills\n",
                r.partitions, r.kiosk_kills, r.server_kills);
    std::printf("overbooked activities              %d   (must be 0)\n", r.overbooked);
    std::printf("records lost / doubled / foreign   %d / %d / %d   (must be 0)\n", r.lost, r.doubled, r.foreign);
    std::printf("still queued at kiosks             %d\n", r.undelivered);
    std::printf("confirmed at the end               %d sign-ups, %d places; %d waitlisted\n", r.confirmed,
                r.confirmed_places, r.waitlisted);
    std::printf("got a place on arrival             %d sign-ups\n", r.fits);
    std::printf("  of them confirmed on the spot    %d = %.1f%%   (goal >= 80%%)\n", r.on_spot,
                r.fits ? 100.0 * r.on_spot / r.fits : 0.0);
    std::printf("on-the-spot later waitlisted/flagged %d / %d   (must be 0)\n", r.on_spot_broken, r.flagged);
    std::printf("leases granted                     %d\n", r.leases);
    std::printf("stranded by ended leases           %d leases, %d places; median %.1f s, max %.1f s, %.0f place-s\n",
                r.stranded_leases, r.stranded_places, r.stranded_median_s, r.stranded_max_s, r.stranded_place_s);
    std::printf("wall time                          %.1f s\n", r.wall_s);
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);   // figures appear as each run ends
    Options o;
    if (const char* u = std::getenv("KYODO_PG_URL")) o.pg_url = u;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--engine") o.engine = next();
        else if (a == "--pg") o.pg_url = next();
        else if (a == "--server") o.server = next();
        else if (a == "--signups") o.signups = std::stoi(next());
        else if (a == "--cancels") o.cancels = std::stoi(next());
        else if (a == "--kiosks") o.kiosks = std::stoi(next());
        else if (a == "--seed") o.seed = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--pace-ms") o.pace_ms = std::stoi(next());
        else if (a == "--baseline") o.baseline = true;
        else die("unknown option " + a + " (see the comment at the top of bench/quota_sim.cpp)");
    }
    if (o.kiosks < o.centres) o.centres = o.kiosks;
    std::vector<std::string> engines;
    if (o.engine == "both" || o.engine == "sqlite") engines.push_back("sqlite");
    if (o.engine == "both" || o.engine == "postgres") {
        if (o.pg_url.empty()) die("PostgreSQL needs --pg URL or KYODO_PG_URL (scripts/start-postgres.sh prints one)");
        engines.push_back("postgres");
    }
    bool ok = true;
    for (const auto& e : engines) {
        if (o.baseline) print(run(o, e, false));
        const Result r = run(o, e, true);
        print(r);
        ok = ok && r.overbooked == 0 && r.lost == 0 && r.doubled == 0 && r.foreign == 0 && r.on_spot_broken == 0 &&
             r.undelivered == 0;
    }
    std::printf("\n%s\n", ok ? "invariants held" : "INVARIANTS BROKEN");
    return ok ? 0 : 1;
}
