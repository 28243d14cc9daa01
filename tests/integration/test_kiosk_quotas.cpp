// Places confirmed on the spot (issue 10 point 2) against the REAL server over loopback: city
// hall gives the centre a default share (`kyodo-server quotas --centre … --share …`), the
// kiosk's sync gets a lease, the network goes (the transport fails), a resident's sign-up is
// confirmed at the kiosk on the spot, the network comes back and the push is answered
// confirmed under the lease; once the lease has ended on the kiosk's clock the kiosk reports
// it done and city hall releases it.
#include "tests/integration/fault_util.h"

namespace {

// fault_util.h's helpers this test does not need
[[maybe_unused]] const auto kFaultUtilUsed = &add_records;
[[maybe_unused]] const auto kFaultUtilUsed2 = &sync_until_empty;
[[maybe_unused]] const auto kFaultUtilUsed3 = &check_exactly_once;

// A transport that can be cut: while offline every request fails as a refused connection.
struct Switchable : Transport {
    Transport& inner;
    bool offline = false;
    int requests_offline = 0;
    explicit Switchable(Transport& t) : inner(t) {}
    HttpResponse send(const HttpRequest& req) override {
        if (!offline) return inner.send(req);
        ++requests_offline;
        HttpResponse r;
        r.error_kind = TransportErrorKind::Connect;
        r.error = "network unplugged (test)";
        return r;
    }
};

// One activity of 10 places, two days from now (the lease lasts until 2 h before it).
std::string quota_catalog(const TempDir& dir) {
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Centre c;
    c.id = "ohdono";
    c.name = "大殿地域交流センター";
    c.version = 1;
    d.centres.push_back(c);
    Activity ev;
    ev.id = "ev-q";
    ev.kind = ActivityKind::Event;
    ev.title = "防災ワークショップ";
    ev.centre_id = "ohdono";
    ev.capacity = 10;
    ev.starts_at = rfc3339_utc(now_millis() + 2 * 86'400'000LL).substr(0, 16);
    ev.version = 1;
    d.activities.push_back(ev);
    const std::string path = dir.file("quota-catalog.json");
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

std::vector<Json> server_leases(const Server& srv) {
    std::vector<std::string> args{kServer, "--data", srv.data};
    for (const auto& a : srv.db_args()) args.push_back(a);
    args.push_back("leases");
    RunResult r = run_process(args, 60s);
    INFO("leases: ", r.out, r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<Json> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = r.out.find('\n', start)) != std::string::npos; start = nl + 1) {
        const std::string line = r.out.substr(start, nl - start);
        if (!line.empty()) out.push_back(Json::parse(line));
    }
    return out;
}

}  // namespace

TEST_CASE("quotas end to end: a lease from city hall, a place confirmed offline, confirmed by the server, then released") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-kiosk-quotas");
    Server srv(tmp);
    srv.catalog = quota_catalog(tmp);
    {
        RunResult in = run_process({kServer, "--data", srv.data, "init", "--catalog", srv.catalog}, 60s);
        INFO("init: ", in.out, in.err);
        REQUIRE(in.exit_code == 0);
        RunResult q = run_process({kServer, "--data", srv.data, "quotas", "--centre", "ohdono", "--share", "30"}, 60s);
        INFO("quotas: ", q.out, q.err);
        REQUIRE(q.exit_code == 0);
    }
    srv.start();
    const KioskConfig cfg = srv.enrol("ka");
    KioskStore store(cfg.db_path);
    CurlTransport curl(loopback(srv.url()));
    Switchable net(curl);
    SyncEngine engine(store, cfg, net);
    // The kiosk's clock is a day ahead of the server's: it must not matter.
    std::int64_t skew = 86'400'000;
    engine.set_clock([&] { return now_millis() + skew; });

    // The first sync brings the catalog and a lease of floor(10 × 30%) = 3 places.
    SyncReport rep = engine.run_once();
    INFO("first pass: ", rep.error());
    REQUIRE(rep.ok());
    REQUIRE(rep.quotas_attempted);
    REQUIRE(store.leases().size() == 1);
    const KioskLease lease = store.leases()[0];
    CHECK(lease.activity_id == "ev-q");
    CHECK(lease.places == 3);
    CHECK_FALSE(lease.ended);
    CHECK(lease.ends_local_ms > now_millis() + skew + 86'400'000LL / 2);

    // Offline: a party of 2 is confirmed on the spot.
    net.offline = true;
    Record r = sign_up(cfg, "ev-q", 2);
    bool spot = false;
    store.enqueue_signup(r, now_millis() + skew, &spot);
    CHECK(spot);
    CHECK(signup_phase(*store.outbox_entry(r.id)) == SignupPhase::Confirmed);
    rep = engine.run_once();
    CHECK_FALSE(rep.ok());
    CHECK(net.requests_offline > 0);
    CHECK(store.outbox_entry(r.id)->state == OutboxState::Pending);

    // Back online: pushed, and city hall confirms it under the lease.
    net.offline = false;
    rep = engine.run_once();
    INFO("back online: ", rep.error());
    REQUIRE(rep.ok());
    auto e = store.outbox_entry(r.id);
    REQUIRE(e);
    CHECK(e->state == OutboxState::Delivered);
    CHECK(e->signup_status == "confirmed");
    CHECK(column(srv.db_path(), "SELECT signup_status FROM records WHERE id = '" + r.id + "'") ==
          std::vector<std::string>{"confirmed"});
    {
        const auto ls = server_leases(srv);
        REQUIRE(ls.size() == 1);
        CHECK(ls[0]["id"] == lease.id);
        CHECK(ls[0]["kiosk_id"] == "ka");
        CHECK(ls[0]["used"] == 2);
        CHECK(ls[0]["done_at"] == "");
        CHECK(ls[0]["released_at"] == "");
    }

    // The lease ends on the kiosk's clock (its clock jumps past the end): the next exchange
    // reports it done, city hall releases it (and may lend a new one).
    skew += lease.ends_local_ms - now_millis() - skew + 1000;
    rep = engine.run_once();
    INFO("after the end: ", rep.error());
    REQUIRE(rep.ok());
    CHECK(rep.quotas.reported_done == 1);
    bool found = false;
    for (const auto& l : store.leases()) {
        if (l.id != lease.id) continue;
        found = true;
        CHECK(l.ended);
        CHECK(l.done_reported);
    }
    CHECK(found);
    bool released = false;
    for (const auto& l : server_leases(srv)) {
        if (l["id"] != lease.id) continue;
        CHECK(l["done_at"] != "");
        CHECK(l["released_at"] != "");
        released = l["released_at"] != "";
    }
    CHECK(released);
}
