// Cancel at the kiosk (issue 10, point 3) against the REAL server over loopback, on SQLite
// and on PostgreSQL ($KYODO_PG_URL, a schema of its own): a resident cancels with the receipt
// number and check code while the kiosk cannot reach city hall; the cancel record waits in the
// outbox with the rest, reaches the server exactly once and after its sign-up (one of them
// made and cancelled in the same offline spell, so both travel in one batch), the waitlist
// moves up and the other kiosk hears of it. A replay of everything changes nothing.
#include <cctype>
#include <optional>

#include "server/storage.h"
#include "tests/integration/fault_util.h"
#include "tests/server/pg_test_util.h"

namespace {

[[maybe_unused]] const auto kFaultUtilUsed = &add_records;   // fault_util.h's helpers this test does not need

// The server's records and counts, read through the storage interface (either engine).
struct ServerView {
    std::string spec;   // the SQLite file, or the PostgreSQL URL
    bool pg() const { return spec.rfind("postgres", 0) == 0; }
    std::string status(const std::string& id) const {
        if (!pg()) {
            auto v = column(spec, "SELECT signup_status FROM records WHERE id = '" + id + "'");
            return v.empty() ? std::string("absent") : v[0];
        }
        auto st = kyodo::server::open_storage(spec);
        auto r = st->record(id);
        return r ? r->signup_status : std::string("absent");
    }
    std::int64_t taken(const std::string& activity) const {
        if (!pg()) return std::stoll(column(spec, "SELECT taken FROM activities WHERE id = '" + activity + "'").at(0));
        auto st = kyodo::server::open_storage(spec);
        const Json doc = st->catalog_since(0);   // kept: a range-for over doc["activities"] of a temporary dangles
        for (const auto& a : doc["activities"])
            if (a["id"] == activity) return a["taken"].get<std::int64_t>();
        return -1;
    }
};

// PostgreSQL: every record a kiosk made is on the server (once: the id is the key).
void check_on_server(const ServerView& view, const std::vector<std::string>& kiosk_dbs) {
    for (const auto& k : kiosk_dbs) {
        CHECK(column(k, "SELECT count(*) FROM outbox WHERE state <> 'delivered'")[0] == "0");
        for (const auto& id : column(k, "SELECT id FROM outbox")) CHECK(view.status(id) != "absent");
    }
}

void kiosk_cancel(const std::string& pg_url) {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-kiosk-cancel");
    Server srv(tmp);
    srv.db = pg_url;
    srv.start();
    const ServerView view{pg_url.empty() ? srv.db_path() : pg_url};
    const KioskConfig a_cfg = srv.enrol("ka"), b_cfg = srv.enrol("kb");
    KioskStore a(a_cfg.db_path), b(b_cfg.db_path);
    // ev-three holds 3: a's party of 3 is confirmed, b's party of 1 waits.
    Record big = sign_up(a_cfg, "ev-three", 3), small = sign_up(b_cfg, "ev-three", 1);
    const Receipt big_receipt = a.enqueue(big);
    b.enqueue(small);
    REQUIRE(big_receipt.check_code.size() == 4);
    CurlTransport ta(loopback(srv.url())), tb(loopback(srv.url()));
    SyncEngine ea(a, a_cfg, ta), eb(b, b_cfg, tb);
    REQUIRE(ea.run_once().ok());
    REQUIRE(eb.run_once().ok());
    REQUIRE(signup_phase(*a.outbox_entry(big.id)) == SignupPhase::Confirmed);
    REQUIRE(signup_phase(*b.outbox_entry(small.id)) == SignupPhase::Waitlisted);

    // City hall is unreachable (the server process killed): the kiosk still cancels.
    srv.kill9();
    std::string typed = big_receipt.number;   // as a resident might type it: lower case, no hyphen
    typed.erase(4, 1);
    for (char& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::optional<OutboxEntry> found = a.signup_by_receipt(typed);
    REQUIRE(found);
    CHECK(check_cancel(found, "0000") == (big_receipt.check_code == "0000" ? CancelCheck::Ok : CancelCheck::WrongCode));
    REQUIRE(check_cancel(found, big_receipt.check_code) == CancelCheck::Ok);
    const Receipt c1 = a.enqueue_cancel(*found, big_receipt.check_code, a_cfg.kiosk_id, a_cfg.centre_id);
    CHECK(signup_phase(*a.outbox_entry(big.id)) == SignupPhase::Cancelled);
    // Another resident signs up and cancels in the same offline spell: sign-up and cancel
    // leave in one batch, the cancel after the sign-up.
    Record extra = sign_up(a_cfg, "ev-three", 1);
    const Receipt extra_receipt = a.enqueue(extra);
    const Receipt c2 = a.enqueue_cancel(*a.signup_by_receipt(extra_receipt.number), extra_receipt.check_code,
                                        a_cfg.kiosk_id, a_cfg.centre_id);
    CHECK(check_cancel(a.signup_by_receipt(extra_receipt.number), extra_receipt.check_code) ==
          CancelCheck::AlreadyCancelled);
    CHECK_FALSE(ea.run_once().ok());   // offline: nothing delivered, nothing lost
    CHECK(a.counts().pending == 3);

    // City hall is back (same data, same port).
    srv.start();
    const Totals t = sync_until_empty(a, ea, 120s);
    CHECK(a.counts().pending == 0);
    CHECK(t.stored == 3);
    CHECK(t.rejected == 0);
    CHECK(a.outbox_entry(c1.record_id)->signup_status == "cancelled");
    CHECK(a.outbox_entry(c2.record_id)->signup_status == "cancelled");
    CHECK(signup_phase(*a.outbox_entry(big.id)) == SignupPhase::Cancelled);   // its old answer does not undo it
    CHECK(signup_phase(*a.outbox_entry(extra.id)) == SignupPhase::Cancelled);
    auto status = [&](const std::string& id) { return view.status(id); };
    CHECK(status(big.id) == "cancelled");
    CHECK(status(small.id) == "confirmed");   // moved up when big was cancelled
    CHECK(status(extra.id) == "cancelled");
    CHECK(view.taken("ev-three") == 1);
    CHECK(status(c1.record_id) == "cancelled");
    CHECK(status(c2.record_id) == "cancelled");
    // Kiosk b learns that its resident moved up.
    REQUIRE(eb.run_once().ok());
    CHECK(signup_phase(*b.outbox_entry(small.id)) == SignupPhase::Confirmed);
    if (pg_url.empty()) check_exactly_once(srv, {a_cfg.db_path, b_cfg.db_path});
    else check_on_server(view, {a_cfg.db_path, b_cfg.db_path});

    // Everything kiosk a sent, sent again (a kiosk restored from a backup): duplicates only.
    REQUIRE(sqlite3_exec(a.raw(), "UPDATE outbox SET state = 'pending'", nullptr, nullptr, nullptr) == SQLITE_OK);
    const Totals again = sync_until_empty(a, ea, 120s);
    CHECK(again.stored == 0);
    CHECK(again.duplicate == 4);   // big, its cancel, extra, its cancel
    CHECK(status(small.id) == "confirmed");
    CHECK(view.taken("ev-three") == 1);
    CHECK(signup_phase(*a.outbox_entry(big.id)) == SignupPhase::Cancelled);
    if (pg_url.empty()) check_exactly_once(srv, {a_cfg.db_path, b_cfg.db_path});
    else check_on_server(view, {a_cfg.db_path, b_cfg.db_path});
}

}  // namespace

TEST_CASE("kiosk cancel (SQLite): offline at the kiosk with receipt number and check code; once on the server, "
          "after its sign-up; the waitlist moves up") {
    kiosk_cancel("");
}

TEST_CASE("kiosk cancel (PostgreSQL): offline at the kiosk with receipt number and check code; once on the server, "
          "after its sign-up; the waitlist moves up") {
    const std::string base = kyodo::server::testing::pg_base_url_or_skip();
    if (base.empty()) return;
    kyodo::server::testing::PgSchema schema(base);
    kiosk_cancel(schema.url());
}
