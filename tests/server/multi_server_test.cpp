// "More than one server": two real kyodo-server processes on different loopback ports, each
// with its own --data folder (holding a copy of the same city_hall.key) and both on one
// PostgreSQL database (--db $KYODO_PG_URL, in a schema of this test's own).
//  (a) the same batch POSTed to both at the same moment is stored exactly once, and both
//      answers agree (one stored + one duplicate per record, same receipts and statuses);
//  (b) 20 sign-ups from several kiosks, split across both servers, for an activity with one
//      place left: exactly one confirmed, the rest waitlisted, `taken` never past capacity.
#include <doctest/doctest.h>
#include <httplib.h>

#include <barrier>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "pg_test_util.h"
#include "server/storage.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;
using namespace std::chrono_literals;

namespace {

const std::string kExe = KYODO_BINARY_DIR "/server/kyodo-server";

std::string cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kExe};
    argv.insert(argv.end(), args.begin(), args.end());
    const kyodo::test::RunResult r = kyodo::test::run_process(argv, 60s);
    INFO("kyodo-server ", args.size() > 2 ? args[2] : "", " stderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

std::string token_from(const std::string& enrol_out) {
    std::istringstream in(enrol_out);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("token: ", 0) == 0) return line.substr(7);
    FAIL("no token line in: " << enrol_out);
    return "";
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

Record make_signup(const std::string& pub, const std::string& kiosk, const std::string& activity) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::SignUp;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", 1}, {"note", ""}};
    Personal p;
    p.name = "山口 太郎";
    p.furigana = "やまぐち たろう";
    p.email = "taro@example.jp";
    r.sealed = seal_personal(p, pub);
    return r;
}

Record make_opinion(const std::string& kiosk, int n) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Opinion;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"topic", "公園"}, {"text", "ベンチを増やしてください " + std::to_string(n)}, {"activity_id", ""},
                 {"wants_reply", false}};
    return r;
}

struct Answer {
    int status = 0;
    Json body;
};

Answer post(int port, const std::string& token, const std::string& kiosk, const std::vector<Record>& recs) {
    Json arr = Json::array();
    for (const auto& r : recs) arr.push_back(to_json(r));
    const Json body = {{"kiosk_id", kiosk}, {"app_version", "test"}, {"records", arr}};
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(10, 0);
    c.set_read_timeout(60, 0);
    c.set_bearer_token_auth(token.c_str());
    auto res = c.Post("/api/v1/records", body.dump(), "application/json");
    Answer a;
    if (!res) return a;
    a.status = res->status;
    a.body = Json::parse(res->body, nullptr, false);
    return a;
}

}  // namespace

TEST_CASE("two kyodo-server processes on one PostgreSQL: exactly-once ingest and no overbooking") {
    const std::string base = pg_base_url_or_skip();
    if (base.empty()) return;
    REQUIRE_MESSAGE(std::filesystem::exists(kExe), kExe << " is not built");
    PgSchema schema(base);
    const std::string db = schema.url();
    kyodo::test::TempDir d1("kyodo-multi-a"), d2("kyodo-multi-b");

    // Server A's folder makes the key and the schema; B gets a copy of the same key.
    cli({"--data", d1.path(), "--db", db, "init"});
    std::filesystem::copy_file(d1.file("city_hall.key"), d2.file("city_hall.key"));
    std::filesystem::permissions(d2.file("city_hall.key"), std::filesystem::perms::owner_read |
                                                               std::filesystem::perms::owner_write);
    const std::string pub = trim(cli({"--data", d1.path(), "public-key"}));
    CHECK(trim(cli({"--data", d2.path(), "public-key"})) == pub);

    // The catalog: ev-last has one place left (capacity 5, 4 booked elsewhere).
    {
        auto st = open_storage(db);
        CatalogDelta cat;
        cat.full = true;
        Centre c;
        c.id = "ohdono";
        c.name = "大殿地域交流センター";
        cat.centres.push_back(c);
        Activity last;
        last.id = "ev-last";
        last.kind = ActivityKind::Event;
        last.title = "防災ワークショップ";
        last.capacity = 5;
        last.taken = 4;
        cat.activities.push_back(last);
        Activity open;
        open.id = "ev-open";
        open.kind = ActivityKind::Event;
        open.title = "清掃ボランティア";
        open.capacity = 100000;   // places enough for every sign-up here (0: no sign-ups)
        cat.activities.push_back(open);
        REQUIRE(st->import_catalog(cat) == 1);
    }

    // Kiosks enrolled through either server's CLI: they share the database.
    constexpr int kKiosks = 4;
    std::vector<std::string> tokens;
    for (int k = 0; k < kKiosks; ++k) {
        const auto& dir = k % 2 ? d2 : d1;
        tokens.push_back(token_from(cli({"--data", dir.path(), "--db", db, "enrol", "--kiosk",
                                         "kiosk-" + std::to_string(k), "--centre", "ohdono"})));
    }
    // Enrolling in B's folder must not have made B a new key.
    CHECK(trim(cli({"--data", d2.path(), "public-key"})) == pub);

    kyodo::test::ChildProcess a({kExe, "--data", d1.path(), "--db", db, "serve", "--port", "0"});
    kyodo::test::ChildProcess b({kExe, "--data", d2.path(), "--db", db, "serve", "--port", "0"});
    const int port_a = a.wait_for_listening(30s), port_b = b.wait_for_listening(30s);
    INFO("server A output:\n", a.output(), "\nserver B output:\n", b.output());
    REQUIRE(port_a > 0);
    REQUIRE(port_b > 0);
    CHECK(port_a != port_b);

    auto st = open_storage(db);
    const std::int64_t records_before = st->counts().records;

    SUBCASE("(a) the same batch to both servers at once is stored exactly once") {
        for (int round = 0; round < 5; ++round) {
            std::vector<Record> batch;
            for (int i = 0; i < 30; ++i)
                batch.push_back(i % 5 == 0 ? make_signup(pub, "kiosk-0", "ev-open") : make_opinion("kiosk-0", i));
            Answer ans[2];
            std::barrier go(2);
            auto worker = [&](int w) {
                go.arrive_and_wait();
                ans[w] = post(w ? port_b : port_a, tokens[0], "kiosk-0", batch);
            };
            std::thread t0(worker, 0), t1(worker, 1);
            t0.join();
            t1.join();
            REQUIRE(ans[0].status == 200);
            REQUIRE(ans[1].status == 200);
            const Json& ra = ans[0].body["results"];
            const Json& rb = ans[1].body["results"];
            REQUIRE(ra.size() == batch.size());
            REQUIRE(rb.size() == batch.size());
            for (std::size_t i = 0; i < batch.size(); ++i) {
                CAPTURE(i);
                CHECK(ra[i]["id"] == batch[i].id);
                CHECK(rb[i]["id"] == batch[i].id);
                const std::string x = ra[i]["result"], y = rb[i]["result"];
                CHECK(((x == "stored" && y == "duplicate") || (x == "duplicate" && y == "stored")));
                CHECK(ra[i]["receipt"] == rb[i]["receipt"]);
                CHECK(ra[i].value("signup_status", "") == rb[i].value("signup_status", ""));
                auto rec = st->record(batch[i].id);
                REQUIRE(rec);
                CHECK(rec->receipt == ra[i]["receipt"]);
            }
        }
        CHECK(st->counts().records == records_before + 5 * 30);
        const Json cat = st->catalog_since(0);
        for (const auto& act : cat["activities"])
            if (act["id"] == "ev-open") CHECK(act["taken"] == 5 * 6);
    }

    SUBCASE("(b) 20 sign-ups across both servers for the last place: one confirmed") {
        constexpr int kN = 20;
        std::vector<Record> recs;
        for (int i = 0; i < kN; ++i) recs.push_back(make_signup(pub, "kiosk-" + std::to_string(i % kKiosks), "ev-last"));
        std::vector<Answer> ans(kN);
        std::barrier go(kN);
        std::vector<std::thread> threads;
        for (int i = 0; i < kN; ++i)
            threads.emplace_back([&, i] {
                const auto u = static_cast<std::size_t>(i);
                go.arrive_and_wait();
                ans[u] = post(i % 2 ? port_b : port_a, tokens[u % kKiosks], "kiosk-" + std::to_string(i % kKiosks),
                              {recs[u]});
            });
        for (auto& t : threads) t.join();
        int confirmed = 0, waitlisted = 0;
        for (int i = 0; i < kN; ++i) {
            const Answer& x = ans[static_cast<std::size_t>(i)];
            CAPTURE(i);
            REQUIRE(x.status == 200);
            const Json& r = x.body["results"][0];
            CHECK(r["result"] == "stored");
            const std::string s = r.value("signup_status", "");
            if (s == "confirmed") ++confirmed;
            else if (s == "waitlisted") ++waitlisted;
            CHECK(st->record(recs[static_cast<std::size_t>(i)].id)->signup_status == s);
        }
        CHECK(confirmed == 1);
        CHECK(waitlisted == kN - 1);
        const Json cat = st->catalog_since(0);
        for (const auto& act : cat["activities"])
            if (act["id"] == "ev-last") {
                CHECK(act["taken"] == 5);
                CHECK(act["capacity"] == 5);
            }
        // Sent again to the other server: all duplicates, same statuses, nothing moves.
        for (int i = 0; i < kN; ++i) {
            const auto u = static_cast<std::size_t>(i);
            const Answer again = post(i % 2 ? port_a : port_b, tokens[u % kKiosks], "kiosk-" + std::to_string(i % kKiosks),
                                      {recs[u]});
            REQUIRE(again.status == 200);
            CHECK(again.body["results"][0]["result"] == "duplicate");
            CHECK(again.body["results"][0].value("signup_status", "") == ans[u].body["results"][0].value("signup_status", ""));
        }
        CHECK(st->counts().records == records_before + kN);
    }

    CHECK(a.stop(5s) == 0);
    CHECK(b.stop(5s) == 0);
}
