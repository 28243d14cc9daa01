// Server ingest bar (DESIGN.md): N kiosks pushing at once to the real HTTP API over
// loopback, durable (SQLite WAL + synchronous=FULL), reported as records/s and as a ratio of
// raw batched SQLite inserts of the same rows on the same machine.
//
//   bench_server_ingest [--kiosks 50] [--records 100000] [--batch 500] [--no-gzip] [--dir DIR]
//                       [--autocheckpoint]   (SQLite's own WAL checkpoints at commit, as before 2026-12-07)
//                       [--pg URL | --no-pg]
//
// With --pg URL (default: $KYODO_PG_URL when set) the same pushes also go into the
// PostgreSQL engine, in a schema of their own that is dropped afterwards; both engines are
// reported against the raw SQLite figure of the same run.
//
// Request bodies are built and gzipped (as the kiosk's sync engine sends them) before the
// clock starts: real kiosks are separate machines that have their outbox ready. On the clock
// the server does all its real work: reading and inflating the body, authenticating, parsing,
// validating, hashing, the durable commit and the answer. The clients (httplib, one thread a
// kiosk) still run in this process and share the CPU; their own thread CPU time is measured
// and reported apart, so "server CPU per record" is the server's alone.
#include <httplib.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <zlib.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/admin.h"
#include "server/http_api.h"
#include "server/log.h"
#include "server/sqlite_storage.h"

using namespace kyodo;
using namespace kyodo::server;
using Clock = std::chrono::steady_clock;

namespace {

std::string gzip(const std::string& in) {
    z_stream s{};
    deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&s, in.size()) + 64, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    deflate(&s, Z_FINISH);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

Record opinion(const std::string& kiosk, int i) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Opinion;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"topic", "防災"},
                 {"text", "避難所の案内をもっと大きく、外国語でも書いてください。番号 " + std::to_string(i)},
                 {"activity_id", ""},
                 {"wants_reply", false}};
    return r;
}

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "sqlite %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

// Raw batched inserts of the same kind of rows (same table shape, UUIDv7 keys, WAL + FULL,
// one transaction per batch): the ceiling the server is measured against.
double raw_sqlite_rows_per_s(const std::string& path, const std::vector<std::vector<Record>>& batches) {
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr), db, "pragma");
    check(sqlite3_exec(db,
                       "CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, kiosk_id TEXT NOT NULL, "
                       "centre_id TEXT NOT NULL, created_at TEXT NOT NULL, received_at TEXT NOT NULL, "
                       "content_hash TEXT NOT NULL, payload TEXT NOT NULL, sealed TEXT NOT NULL DEFAULT '', "
                       "personal TEXT, receipt TEXT NOT NULL, signup_status TEXT NOT NULL DEFAULT '', "
                       "flags TEXT NOT NULL DEFAULT '[]', seq INTEGER NOT NULL)",
                       nullptr, nullptr, nullptr),
          db, "create");
    sqlite3_stmt* ins = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO records (id, kind, kiosk_id, centre_id, created_at, received_at, "
                             "content_hash, payload, sealed, receipt, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                             -1, &ins, nullptr),
          db, "prepare");
    // Pre-compute what the server would also have at hand (hash, payload text).
    struct Row { std::string hash, payload, receipt; };
    std::vector<std::vector<Row>> rows;
    for (const auto& b : batches) {
        auto& v = rows.emplace_back();
        for (const auto& r : b) v.push_back({sha256_hex(to_json(r).dump()), r.payload.dump(), receipt_number(r.id)});
    }
    const std::string now = rfc3339_now();
    std::int64_t seq = 1, n = 0;
    const auto t0 = Clock::now();
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (std::size_t i = 0; i < batches[bi].size(); ++i) {
            const Record& r = batches[bi][i];
            const Row& w = rows[bi][i];
            sqlite3_bind_text(ins, 1, r.id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, "opinion", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, r.kiosk_id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 4, r.centre_id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 5, r.created_at.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 6, now.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 7, w.hash.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 8, w.payload.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 9, "", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 10, w.receipt.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ins, 11, seq++);
            check(sqlite3_step(ins), db, "insert");
            sqlite3_reset(ins);
            ++n;
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return static_cast<double>(n) / s;
}

// Runs one SQL statement on PostgreSQL (schema set-up and tear-down); false on failure.
bool pg_exec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);   // "drop cascades to …"
        PGresult* r = PQexec(c, sql.c_str());
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) std::fprintf(stderr, "postgresql: %s", PQresultErrorMessage(r));
        PQclear(r);
    } else {
        std::fprintf(stderr, "postgresql: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return ok;
}

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct EngineRun {
    double secs = 0, rate = 0, cpu = 0, client_cpu = 0, p50 = 0, p99 = 0;
    int failures = 0;
    long long stored = 0;
};

// N kiosks pushing their bodies at once through the real HTTP API into `storage`.
EngineRun push_all(Storage& storage, const KeyPair& keys, const std::vector<std::vector<std::string>>& bodies,
                   bool use_gzip, int n_records) {
    const int kiosks = static_cast<int>(bodies.size());
    std::vector<std::string> tokens;
    for (int k = 0; k < kiosks; ++k) tokens.push_back(enrol_kiosk(storage, "bench-" + std::to_string(k), "ohdono"));
    ApiOptions opts;
    opts.rate_per_s = 0;   // the bench measures ingest, not the limiter
    opts.threads = static_cast<std::size_t>(std::max(16, kiosks));
    BackgroundServer srv(storage, keys, opts);

    std::atomic<int> failures{0};
    std::atomic<int> go{0};
    std::vector<std::thread> clients;
    std::vector<double> latencies_ms;
    double client_cpu = 0;
    std::mutex lat_mu;
    for (int k = 0; k < kiosks; ++k) {
        clients.emplace_back([&, k] {
            httplib::Client c("127.0.0.1", srv.port());
            c.set_read_timeout(60);
            c.set_write_timeout(60);
            httplib::Headers h{{"Authorization", "Bearer " + tokens[static_cast<std::size_t>(k)]}};
            if (use_gzip) h.emplace("Content-Encoding", "gzip");
            while (!go.load()) std::this_thread::yield();
            const double my_cpu0 = thread_cpu_s();
            for (const std::string& body : bodies[static_cast<std::size_t>(k)]) {
                const auto t0 = Clock::now();
                auto r = c.Post("/api/v1/records", h, body, "application/json");
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                if (!r || r->status != 200) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(lat_mu);
                latencies_ms.push_back(ms);
            }
            const double mine = thread_cpu_s() - my_cpu0;
            std::lock_guard lock(lat_mu);
            client_cpu += mine;
        });
    }
    auto cpu_s = [] {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    const double cpu0 = cpu_s();
    const auto t0 = Clock::now();
    go = 1;
    for (auto& t : clients) t.join();
    EngineRun out;
    out.secs = std::chrono::duration<double>(Clock::now() - t0).count();
    out.cpu = cpu_s() - cpu0;
    out.client_cpu = client_cpu;
    srv.stop();
    out.stored = static_cast<long long>(storage.counts().records);
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto pct = [&](double p) {
        return latencies_ms.empty() ? 0.0 : latencies_ms[std::min(latencies_ms.size() - 1,
                                                                  static_cast<std::size_t>(p * latencies_ms.size()))];
    };
    out.p50 = pct(0.50);
    out.p99 = pct(0.99);
    out.failures = failures.load();
    out.rate = static_cast<double>(n_records) / out.secs;
    return out;
}

void report(const char* name, const EngineRun& r, int n_records, double raw) {
    std::printf("  %-11s  %.2f s, %.0f records/s; push latency p50 %.1f ms, p99 %.1f ms; failures %d; stored %lld\n",
                name, r.secs, r.rate, r.p50, r.p99, r.failures, r.stored);
    std::printf("  %-11s  %.2f s of CPU (server and clients, all threads) = %.1f us per record\n", "", r.cpu,
                r.cpu * 1e6 / n_records);
    std::printf("  %-11s  server alone (all CPU less the clients' threads, %.2f s): %.1f us per record\n", "",
                r.client_cpu, (r.cpu - r.client_cpu) * 1e6 / n_records);
    std::printf("  %-11s  %.2f of raw batched SQLite inserts; bar 50,000 records/s: %s\n", "", r.rate / raw,
                r.rate >= 50000 ? "met" : "NOT met");
}

}  // namespace

int main(int argc, char** argv) {
    int kiosks = 50, total = 100000, batch = 500;
    bool use_gzip = true;   // what the kiosk's sync engine sends
    WalLimits wal;          // the server's; --autocheckpoint: SQLite's own, at commit (before 2026-12-07)
    std::string dir;
    std::string pg_url = std::getenv("KYODO_PG_URL") ? std::getenv("KYODO_PG_URL") : "";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (a == "--kiosks") kiosks = std::stoi(next());
        else if (a == "--records") total = std::stoi(next());
        else if (a == "--batch") batch = std::stoi(next());
        else if (a == "--gzip") use_gzip = true;
        else if (a == "--no-gzip") use_gzip = false;
        else if (a == "--dir") dir = next();
        else if (a == "--pg") pg_url = next();
        else if (a == "--no-pg") pg_url.clear();
        else if (a == "--autocheckpoint") wal.background_pages = 0;
        else {
            std::fprintf(stderr,
                         "usage: bench_server_ingest [--kiosks 50] [--records 100000] [--batch 500] [--no-gzip] [--dir DIR]\n"
                         "                           [--pg URL | --no-pg] [--autocheckpoint]\n");
            return 2;
        }
    }
    if (kiosks < 1 || batch < 1 || batch > 1000 || total < kiosks * batch) {
        std::fprintf(stderr, "need --kiosks >= 1, 1 <= --batch <= 1000, --records >= kiosks * batch\n");
        return 2;
    }
    set_log_enabled(false);
    crypto_init();
    namespace fs = std::filesystem;
    const bool own_dir = dir.empty();
    if (own_dir) dir = (fs::temp_directory_path() / ("kyodo-bench-ingest-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    fs::create_directories(dir);

    const int per_kiosk_batches = total / (kiosks * batch);
    const int n_records = per_kiosk_batches * kiosks * batch;

    // Records and request bodies, per kiosk.
    std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(kiosks));
    std::vector<std::vector<Record>> all_batches;
    for (int k = 0; k < kiosks; ++k) {
        const std::string kid = "bench-" + std::to_string(k);
        for (int b = 0; b < per_kiosk_batches; ++b) {
            std::vector<Record> recs;
            Json arr = Json::array();
            for (int i = 0; i < batch; ++i) {
                recs.push_back(opinion(kid, i));
                arr.push_back(to_json(recs.back()));
            }
            std::string body = Json{{"kiosk_id", kid}, {"app_version", "bench"}, {"records", arr}}.dump();
            bodies[static_cast<std::size_t>(k)].push_back(use_gzip ? gzip(body) : std::move(body));
            all_batches.push_back(std::move(recs));
        }
    }

    // 1. Raw SQLite baseline, same rows, fresh file.
    const double raw = raw_sqlite_rows_per_s(dir + "/raw.db", all_batches);

    // 2. The server: init a data dir like the CLI does, enrol the kiosks, serve on loopback.
    init_data_dir(dir + "/server");
    const KeyPair keys = load_keys(dir + "/server");
    EngineRun lite;
    {
        auto storage = open_sqlite_storage(db_path(dir + "/server"), wal);
        lite = push_all(*storage, keys, bodies, use_gzip, n_records);
        const Storage::IngestStats st = storage->ingest_stats();
        const WalCheckpointStats ck = wal_checkpoint_stats(*storage);
        std::printf("  sqlite writer: %llu group commits; WAL checkpoints: %llu in the background, %llu at a commit "
                    "(WAL at its bound); longest WAL %d pages\n",
                    static_cast<unsigned long long>(st.groups), static_cast<unsigned long long>(ck.background),
                    static_cast<unsigned long long>(ck.inline_), ck.longest_wal);
    }
    // 3. PostgreSQL, same bodies (ids already stored in SQLite do not matter: another database).
    EngineRun pg;
    bool pg_ran = false;
    std::string pg_error;
    if (!pg_url.empty()) {
        const std::string schema = "kyodo_bench_" + std::to_string(::getpid());
        if (pg_exec(pg_url, "CREATE SCHEMA " + schema)) {
            const std::string url = pg_url + (pg_url.find('?') == std::string::npos ? "?" : "&") +
                                    "options=-csearch_path%3D" + schema;
            try {
                auto storage = open_pg_storage(url);
                pg = push_all(*storage, keys, bodies, use_gzip, n_records);
                pg_ran = true;
            } catch (const std::exception& e) {
                pg_error = e.what();
            }
            pg_exec(pg_url, "DROP SCHEMA " + schema + " CASCADE");
        } else {
            pg_error = "cannot create a schema at the given URL";
        }
    }

    double load[1] = {0};
    getloadavg(load, 1);
    std::printf("server ingest: %d kiosks x %d pushes x %d records%s = %d records over loopback, durable\n", kiosks,
                per_kiosk_batches, batch, use_gzip ? " (gzip)" : "", n_records);
    std::printf("  request bodies built%s before the clock (kiosks are other machines); on the clock the server\n"
                "  reads%s, authenticates, parses, validates, hashes, commits (WAL+FULL / commit per batch), answers\n",
                use_gzip ? " and gzipped" : "", use_gzip ? " and inflates" : "");
    std::printf("  raw sqlite:  %.0f rows/s (same rows, batches of %d, one connection, no HTTP/JSON/validation)\n",
                raw, batch);
    report("sqlite:", lite, n_records, raw);
    if (pg_ran) report("postgresql:", pg, n_records, raw);
    else if (!pg_url.empty()) std::printf("  postgresql:  not run: %s\n", pg_error.c_str());
    else std::printf("  postgresql:  not run (no --pg URL and no $KYODO_PG_URL)\n");
    std::printf("  load average at the end: %.1f (a busy shared machine slows every figure; compare the ratios)\n",
                load[0]);
    if (own_dir) fs::remove_all(dir);
    const bool ok = lite.failures == 0 && lite.stored == n_records &&
                    (!pg_ran || (pg.failures == 0 && pg.stored == n_records)) && pg_error.empty();
    return ok ? 0 : 1;
}
