// Check-in at the venue on the kiosk's staff mode (issue 10 point 4) against the REAL server
// over loopback, on SQLite and on PostgreSQL ($KYODO_PG_URL, a schema of its own): a resident
// signs up; the centre's roster reaches the kiosk with the next sync (no names on the kiosk's
// disk); staff tick the arrival by receipt number while city hall is unreachable; the tick
// reaches the server exactly once, is on the server's roster (by "kiosk:<id>") and comes back
// ticked with the next roster. A replay of everything changes nothing.
#include <fstream>
#include <iterator>

#include "server/storage.h"
#include "tests/integration/fault_util.h"
#include "tests/server/pg_test_util.h"

namespace {

[[maybe_unused]] const auto kFaultUtilUsed = &add_records;   // fault_util.h's helpers this test does not need

std::string jst_today() { return rfc3339_utc(now_millis() + 9 * 3600000LL).substr(0, 10); }

// The small catalog plus today's class at ohdono (and one at another centre).
std::string write_checkin_catalog(const TempDir& dir) {
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    for (const char* id : {"ohdono", "yoshiki"}) {
        Centre c;
        c.id = id;
        c.name = std::string(id) + " センター";
        c.version = 1;
        d.centres.push_back(c);
    }
    auto act = [&](const std::string& id, const std::string& centre) {
        Activity ev;
        ev.id = id;
        ev.kind = ActivityKind::Event;
        ev.title = "みんなの健康体操";
        ev.centre_id = centre;
        ev.capacity = 20;
        ev.starts_at = jst_today() + "T10:00";
        ev.version = 1;
        d.activities.push_back(ev);
    };
    act("ev-today", "ohdono");
    act("ev-far", "yoshiki");
    const std::string path = dir.file("catalog-checkin.json");
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

// What the server holds for sign-up `id`: attended (-1 unmarked) and by whom.
std::pair<int, std::string> server_attendance(const std::string& spec, const std::string& activity,
                                              const std::string& id) {
    auto st = kyodo::server::open_storage(spec);
    kyodo::server::RecordQuery q;
    q.kind = "sign_up";
    q.activity_id = activity;
    for (const auto& r : st->admin().records(q))
        if (r.rec.id == id) return {r.attended, r.updated_by};
    return {-2, ""};
}

int server_attendance_records(const std::string& spec) {
    auto st = kyodo::server::open_storage(spec);
    kyodo::server::RecordQuery q;
    q.kind = "attendance";
    return static_cast<int>(st->admin().records(q).size());
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void kiosk_checkin(const std::string& pg_url) {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-kiosk-checkin");
    Server srv(tmp);
    srv.db = pg_url;
    srv.catalog = write_checkin_catalog(tmp);
    srv.start();
    const std::string spec = pg_url.empty() ? srv.db_path() : pg_url;
    const KioskConfig cfg = srv.enrol("ka");
    KioskStore k(cfg.db_path);
    CurlTransport t(loopback(srv.url()));
    SyncEngine e(k, cfg, t);

    // A resident signs up at the kiosk (party of 2); the next sync brings the roster.
    Record su = sign_up(cfg, "ev-today", 2);
    const Receipt receipt = k.enqueue(su);
    SyncReport first = e.run_once();
    REQUIRE(first.ok());
    REQUIRE(first.rosters_attempted);
    INFO("rosters: ", first.rosters.error);
    REQUIRE(first.rosters.ok);
    auto today = k.rosters(jst_today(), jst_today());
    REQUIRE(today.size() == 1);   // not the other centre's
    CHECK(today[0].id == "ev-today");
    REQUIRE(today[0].signups.size() == 1);
    CHECK(today[0].signups[0].signup_id == su.id);
    CHECK(today[0].signups[0].receipt == receipt.number);
    CHECK(today[0].signups[0].party_size == 2);
    CHECK(today[0].signups[0].status == "confirmed");
    CHECK(today[0].signups[0].hint == "や");
    CHECK_FALSE(today[0].signups[0].attended);

    // City hall unreachable: staff tick the arrival by the receipt number the resident shows.
    srv.kill9();
    std::string typed = receipt.number;
    typed.erase(4, 1);
    auto row = k.roster_by_receipt("ev-today", typed);
    REQUIRE(row);
    const Receipt tick = k.enqueue_attendance(row->signup_id, true, cfg.kiosk_id, cfg.centre_id);
    CHECK(k.roster_by_receipt("ev-today", typed)->attended);
    CHECK_FALSE(e.run_once().ok());
    CHECK(k.counts().pending == 1);
    CHECK(k.roster_by_receipt("ev-today", typed)->attended);   // the kiosk still shows it ticked
    // Nothing readable about the resident on the kiosk's disk (checkpointed into the file).
    REQUIRE(sqlite3_exec(k.raw(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) == SQLITE_OK);
    const std::string disk = file_bytes(cfg.db_path) + file_bytes(cfg.db_path + "-wal");
    CHECK(disk.find("山田") == std::string::npos);
    CHECK(disk.find("やまだ") == std::string::npos);
    CHECK(disk.find("083-922") == std::string::npos);

    // City hall back: the tick arrives once, on the server's roster by the kiosk.
    srv.start();
    const Totals tot = sync_until_empty(k, e, 120s);
    CHECK(tot.stored == 1);
    CHECK(tot.rejected == 0);
    CHECK(k.outbox_entry(tick.record_id)->state == OutboxState::Delivered);
    auto [attended, by] = server_attendance(spec, "ev-today", su.id);
    CHECK(attended == 1);
    CHECK(by == "kiosk:ka");
    CHECK(server_attendance_records(spec) == 1);
    // The next roster is the server's word: ticked.
    REQUIRE(e.pull_rosters().ok);
    CHECK(k.roster_by_receipt("ev-today", receipt.number)->attended);
    if (pg_url.empty()) check_exactly_once(srv, {cfg.db_path});

    // City hall unticks it on the dashboard; the kiosk resends everything (restored from a
    // backup): duplicates only, the old tick is not applied again.
    {
        auto st = kyodo::server::open_storage(spec);
        REQUIRE(st->admin().set_attendance(su.id, 0, "abe", rfc3339_now()));
    }
    REQUIRE(sqlite3_exec(k.raw(), "UPDATE outbox SET state = 'pending'", nullptr, nullptr, nullptr) == SQLITE_OK);
    const Totals again = sync_until_empty(k, e, 120s);
    CHECK(again.stored == 0);
    CHECK(again.duplicate == 2);   // the sign-up and the tick
    CHECK(server_attendance(spec, "ev-today", su.id).first == 0);
    CHECK(server_attendance_records(spec) == 1);
    REQUIRE(e.pull_rosters().ok);
    CHECK_FALSE(k.roster_by_receipt("ev-today", receipt.number)->attended);
    if (pg_url.empty()) check_exactly_once(srv, {cfg.db_path});
}

}  // namespace

TEST_CASE("kiosk check-in (SQLite): the roster reaches the kiosk without names; a tick made offline reaches the "
          "server's roster exactly once") {
    kiosk_checkin("");
}

TEST_CASE("kiosk check-in (PostgreSQL): the roster reaches the kiosk without names; a tick made offline reaches the "
          "server's roster exactly once") {
    const std::string base = kyodo::server::testing::pg_base_url_or_skip();
    if (base.empty()) return;
    kyodo::server::testing::PgSchema schema(base);
    kiosk_checkin(schema.url());
}
