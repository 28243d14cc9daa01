// The sign-up ledger (server/ledger.h) on its own: the capacity rules both storage engines use,
// as plain functions over plain structs. The engines' shared tests
// (storage_engines_test.cpp) hold SQLite and PostgreSQL to the same rules end to end.
#include <doctest/doctest.h>

#include <random>

#include "core/store.h"   // receipt_number
#include "core/timeutil.h"
#include "server/ledger.h"

using namespace kyodo::server;
using namespace kyodo::server::ledger;

namespace {
using Ids = std::vector<std::string>;
}

TEST_CASE("ledger: capacity 0 takes no sign-ups: rejected no_signups, nothing changes") {
    Seats s{0, 0, 0, false};
    CHECK_FALSE(takes_signups(s));
    const SignupDecision d = decide_signup(s, 3, "act-1");
    CHECK(d.rejected());
    CHECK(d.code == "no_signups");
    CHECK(d.message.find("act-1") != std::string::npos);
    CHECK(s.taken == 0);
    CHECK_FALSE(s.queue);
}

TEST_CASE("ledger: first come first served; a later smaller party never overtakes the line") {
    Seats s{3, 0, 0, false};
    CHECK(decide_signup(s, 2, "a").status == kConfirmed);
    CHECK(s.taken == 2);
    CHECK(decide_signup(s, 2, "a").status == kWaitlisted);   // does not fit
    CHECK(s.queue);
    CHECK(decide_signup(s, 1, "a").status == kWaitlisted);   // would fit, but someone waits
    CHECK(s.taken == 2);
    CHECK(free_places(s) == 1);
}

TEST_CASE("ledger: exactly full is confirmed; one more waits") {
    Seats s{5, 2, 0, false};
    CHECK(decide_signup(s, 3, "a").status == kConfirmed);
    CHECK(s.taken == 5);
    CHECK(decide_signup(s, 1, "a").status == kWaitlisted);
}

TEST_CASE("ledger: places held for kiosks' quotas are not free") {
    Seats s{10, 4, 5, false};
    CHECK(free_places(s) == 1);
    CHECK(decide_signup(s, 2, "a").status == kWaitlisted);
}

TEST_CASE("ledger: promotion moves the line up in arrival order while the first fits") {
    Seats s{5, 5, 0, true};
    const std::vector<Waiting> line{{"b", 2}, {"c", 3}, {"d", 1}};
    // Nothing free: nobody moves.
    CHECK(promote(s, line).empty());
    CHECK(s.queue);
    s.taken = 1;   // 4 free: b (2) moves; c (3) does not fit; d (1) waits behind c
    CHECK(promote(s, line) == Ids{"b"});
    CHECK(s.taken == 3);
    CHECK(s.queue);
    Seats all{10, 0, 0, true};
    CHECK(promote(all, line) == Ids{"b", "c", "d"});
    CHECK(all.taken == 6);
    CHECK_FALSE(all.queue);
}

TEST_CASE("ledger: cancelling a confirmed sign-up frees its places and moves the line") {
    Seats s{3, 3, 0, true};
    const std::vector<Waiting> line{{"b", 2}, {"c", 1}, {"d", 1}};
    const CancelOutcome o = cancel(s, "a", kConfirmed, 3, line);
    CHECK(o.ok());
    CHECK(o.taken_changed);
    CHECK(o.promoted == Ids{"b", "c"});
    CHECK(s.taken == 3);
    CHECK(s.queue);   // d still waits
}

TEST_CASE("ledger: cancelling the waitlisted head of the line moves those behind it up") {
    Seats s{3, 2, 0, true};
    const std::vector<Waiting> line{{"e", 2}, {"g", 1}};
    const CancelOutcome o = cancel(s, "e", kWaitlisted, 2, line);
    CHECK(o.ok());
    CHECK(o.promoted == Ids{"g"});
    CHECK(o.taken_changed);
    CHECK(s.taken == 3);
    CHECK_FALSE(s.queue);
}

TEST_CASE("ledger: a waitlisted cancellation that frees nothing changes no count") {
    Seats s{3, 3, 0, true};
    const CancelOutcome o = cancel(s, "b", kWaitlisted, 1, {{"a", 1}, {"b", 1}});
    CHECK(o.ok());
    CHECK(o.promoted.empty());
    CHECK_FALSE(o.taken_changed);
    CHECK(s.taken == 3);
    CHECK(s.queue);
}

TEST_CASE("ledger: cancelling twice, or something not a sign-up, is an error and changes nothing") {
    Seats s{3, 3, 0, false};
    CHECK(cancel(s, "a", kCancelled, 1, {}).error == "already_cancelled");
    CHECK(cancel(s, "a", "", 1, {}).error == "not_signup");
    CHECK(s.taken == 3);
}

TEST_CASE("ledger: a kiosk's cancel: its receipt and check code, or it waits for a sign-up not here yet") {
    const std::string id = "019a6b2e-7c1d-7e3f-9a4b-5c6d7e8f9a0b";
    const std::string receipt = kyodo::receipt_number(id);
    CancelTarget signup{true, "sign_up", receipt, "0427", kConfirmed};
    CHECK(check_cancel(signup, id, receipt, "0427").status == kCancelled);
    const SignupDecision wrong = check_cancel(signup, id, receipt, "0428");
    CHECK(wrong.rejected());
    CHECK(wrong.code == "wrong_check_code");
    CHECK(check_cancel(signup, id, "0000-0000", "0427").code == "unknown_signup");   // not that id's receipt
    CancelTarget opinion{true, "opinion", receipt, "", ""};
    CHECK(check_cancel(opinion, id, receipt, "0427").code == "unknown_signup");
    CancelTarget none;
    CHECK(check_cancel(none, id, receipt, "0427").status == kWaiting);   // decided when it comes
    CHECK(check_cancel(none, id, "0000-0000", "0427").code == "unknown_signup");
    CancelTarget no_code{true, "sign_up", receipt, "", kConfirmed};   // an older kiosk's sign-up
    CHECK(check_cancel(no_code, id, receipt, "").code == "wrong_check_code");
}

TEST_CASE("ledger: raising the capacity promotes the line; cutting it drops nobody and flags it") {
    Seats s{3, 3, 0, true};
    const std::vector<Waiting> line{{"b", 2}, {"c", 2}};
    CapacityOutcome up = change_capacity(s, 5, line);
    CHECK(up.promoted == Ids{"b"});
    CHECK(up.taken_changed);
    CHECK_FALSE(up.over_capacity);
    CHECK(s.taken == 5);
    CHECK(s.queue);

    CapacityOutcome cut = change_capacity(s, 2, {{"c", 2}});
    CHECK(cut.promoted.empty());
    CHECK_FALSE(cut.taken_changed);
    CHECK(cut.over_capacity);
    CHECK(s.taken == 5);   // nobody confirmed is dropped
    CHECK(over_capacity(s));
    CHECK(free_places(s) == 0);
    // Over capacity: new sign-ups wait; a cancellation promotes nobody until it fits again.
    Seats t = s;
    t.queue = false;
    CHECK(decide_signup(t, 1, "a").status == kWaitlisted);
    const CancelOutcome o = cancel(s, "a", kConfirmed, 2, {{"c", 2}});
    CHECK(o.promoted.empty());
    CHECK(s.taken == 3);

    // Cut to 0: takes no sign-ups any more; those confirmed stay, flagged.
    Seats z{4, 2, 0, false};
    CapacityOutcome zero = change_capacity(z, 0, {});
    CHECK(zero.over_capacity);
    CHECK(z.taken == 2);
    CHECK(decide_signup(z, 1, "a").code == "no_signups");
}

TEST_CASE("ledger: duplicate answers the first answer again; other content is a conflict") {
    const Stored first{"hash-1", "ABCD-EFGH", "waitlisted", {"clock_skew"}};
    const RecordAnswer dup = answer_again("id-1", first, "hash-1");
    CHECK(dup.result == "duplicate");
    CHECK(dup.receipt == "ABCD-EFGH");
    CHECK(dup.signup_status == "waitlisted");
    CHECK(dup.flags == Ids{"clock_skew"});
    const RecordAnswer conflict = answer_again("id-1", first, "hash-2");
    CHECK(conflict.result == "conflict");
    CHECK(conflict.code == "conflict");
    CHECK(conflict.receipt.empty());
    IngestResult out;
    tally(out, dup);
    tally(out, conflict);
    tally(out, answer_rejected("x", "bad_record", "m"));
    CHECK(out.duplicate == 1);
    CHECK(out.conflict == 1);
    CHECK(out.rejected == 1);
    CHECK(out.answers.size() == 3);
}

TEST_CASE("ledger: random sign-ups, cancels and capacity changes never overbook by themselves "
          "and never reorder the line") {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        Seats s{static_cast<std::int64_t>(rng() % 12 + 1), 0, 0, false};
        struct Su {
            std::string id;
            std::int64_t party;
            std::string status;
        };
        std::vector<Su> all;
        bool cut = false;   // after a cut, taken may exceed capacity (nobody dropped)
        for (int step = 0; step < 60; ++step) {
            const unsigned op = rng() % 10;
            auto line = [&] {
                std::vector<Waiting> l;
                for (const Su& x : all)
                    if (x.status == kWaitlisted) l.push_back({x.id, x.party});
                return l;
            };
            auto apply = [&](const std::vector<std::string>& ids) {
                for (const auto& id : ids)
                    for (Su& x : all)
                        if (x.id == id) x.status = kConfirmed;
            };
            if (op < 6) {
                Su x{"s" + std::to_string(all.size()), static_cast<std::int64_t>(rng() % 4 + 1), ""};
                x.status = decide_signup(s, x.party, "a").status;
                all.push_back(x);
            } else if (op < 9 && !all.empty()) {
                Su& x = all[rng() % all.size()];
                const CancelOutcome o = cancel(s, x.id, x.status, x.party, line());
                if (o.ok()) x.status = kCancelled;
                apply(o.promoted);
            } else {
                const std::int64_t cap = static_cast<std::int64_t>(rng() % 12 + 1);
                if (cap < s.taken) cut = true;
                apply(change_capacity(s, cap, line()).promoted);
            }
            std::int64_t confirmed = 0;
            bool waiting = false;
            for (const Su& x : all) {
                if (x.status == kConfirmed) confirmed += x.party;
                if (x.status == kWaitlisted) waiting = true;
            }
            REQUIRE(confirmed == s.taken);
            REQUIRE(waiting == s.queue);
            if (!cut) REQUIRE(s.taken <= s.capacity);
            // Nobody waits while the head of the line would fit.
            const auto l = line();
            if (!l.empty()) CHECK(s.taken + l.front().party > s.capacity);
        }
    }
}

// ---- kiosk quotas as leases (issue 10 point 2) --------------------------------------------

namespace {
constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kNow = 1'800'000'000'000;   // 2027-01-15

std::vector<Waiting> no_line(const std::string&) { return {}; }

struct Ids2 {
    int n = 0;
    std::string operator()() { return "lease-" + std::to_string(++n); }
};
}  // namespace

TEST_CASE("ledger quotas: target is the explicit quota, else the centre's share, at least 1") {
    CHECK(quota_target(10, -1, 30) == 3);
    CHECK(quota_target(5, -1, 10) == 1);     // floor 0.5 → at least 1 when share > 0
    CHECK(quota_target(10, -1, 0) == 0);
    CHECK(quota_target(10, 4, 0) == 4);      // explicit wins
    CHECK(quota_target(10, 0, 50) == 0);     // explicit 0 = none for this kiosk
    CHECK(quota_target(0, 4, 50) == 0);      // capacity 0 takes no sign-ups
}

TEST_CASE("ledger quotas: the end is min(start − before, contact + silence)") {
    QuotaSettings q;
    CHECK(lease_end(std::nullopt, kNow, q) == kNow + 24 * kHour);
    CHECK(lease_end(kNow + 10 * kHour, kNow, q) == kNow + 8 * kHour);
    CHECK(lease_end(kNow + 100 * kHour, kNow, q) == kNow + 24 * kHour);
    CHECK(activity_start_ms("2026-12-20T10:00") == kyodo::parse_rfc3339("2026-12-20T01:00:00Z"));
    CHECK(activity_start_ms("2026-12-20T10:00:00+09:00") == kyodo::parse_rfc3339("2026-12-20T01:00:00Z"));
    CHECK_FALSE(activity_start_ms("").has_value());
}

TEST_CASE("ledger quotas: a new lease holds min(target, free) places; a top-up fills up to the target") {
    std::map<std::string, QuotaActivity> acts;
    acts["a"] = QuotaActivity{Seats{10, 8, 0, false}, std::nullopt, 4};
    Ids2 ids;
    QuotaExchangeOutcome o = exchange_quotas("k1", kNow, {}, {}, {}, acts, no_line, std::ref(ids));
    REQUIRE(o.quotas.size() == 1);
    CHECK(o.quotas[0].places == 2);   // only 2 free
    CHECK(o.quotas[0].ends_in_s == 24 * 3600);
    CHECK(acts["a"].seats.held == 2);
    CHECK(free_places(acts["a"].seats) == 0);
    REQUIRE(o.write.size() == 1);
    Lease l = o.write[0];
    // Two places freed (a cancel elsewhere); the kiosk used 1: unused 1 < 4 → +2 (free).
    acts["a"].seats.taken = 6;
    CHECK(use_lease(acts["a"].seats, l, "k1", "a", 1));
    CHECK(acts["a"].seats.held == 1);
    CHECK(acts["a"].seats.taken == 7);
    o = exchange_quotas("k1", kNow + kHour, {}, {l}, {{l.id, 1, false}}, acts, no_line, std::ref(ids));
    REQUIRE(o.quotas.size() == 1);
    CHECK(o.quotas[0].id == l.id);
    CHECK(o.quotas[0].places == 4);
    CHECK(o.quotas[0].ends_in_s == 24 * 3600);   // renewed from this contact
    CHECK(acts["a"].seats.held == 3);
}

TEST_CASE("ledger quotas: nobody is granted places while someone waits, nor after the end would pass") {
    std::map<std::string, QuotaActivity> acts;
    acts["w"] = QuotaActivity{Seats{10, 2, 0, true}, std::nullopt, 4};
    acts["soon"] = QuotaActivity{Seats{10, 0, 0, false}, kNow + kHour, 4};   // starts within 2 h
    Ids2 ids;
    const QuotaExchangeOutcome o = exchange_quotas("k1", kNow, {}, {}, {}, acts, no_line, std::ref(ids));
    CHECK(o.quotas.empty());
    CHECK(o.write.empty());
}

TEST_CASE("ledger quotas: a sign-up under the lease is confirmed even over a waitlist or a cut; beyond it, not") {
    Seats s{3, 3, 2, true};   // full, someone waits, 2 held for k1
    Lease l{"L", "a", "k1", 2, 0};
    CHECK(use_lease(s, l, "k1", "a", 2));
    CHECK(s.taken == 5);   // over capacity after a cut is allowed for a lease
    CHECK(s.held == 0);
    CHECK_FALSE(use_lease(s, l, "k1", "a", 1));   // exceeds the lease
    Lease other{"M", "a", "k2", 5, 0};
    CHECK_FALSE(use_lease(s, other, "k1", "a", 1));   // another kiosk's lease
    CHECK_FALSE(use_lease(s, other, "k2", "b", 1));   // another activity
    CHECK(s.taken == 5);
}

TEST_CASE("ledger quotas: release only when done and the sign-ups cover the reported used; then the line moves") {
    std::map<std::string, QuotaActivity> acts;
    acts["a"] = QuotaActivity{Seats{5, 2, 3, true}, std::nullopt, 0};
    Lease l{"L", "a", "k1", 4, 1, kNow + kHour, kNow - kHour, kNow - kHour};
    auto line = [](const std::string&) { return std::vector<Waiting>{{"w1", 2}, {"w2", 2}}; };
    Ids2 ids;
    // Done, but reports 2 used while only 1 arrived: not released.
    QuotaExchangeOutcome o = exchange_quotas("k1", kNow, {}, {l}, {{"L", 2, true}}, acts, line, std::ref(ids));
    CHECK(o.quotas.empty());   // done: not answered
    REQUIRE(o.write.size() == 1);
    l = o.write[0];
    CHECK(l.done());
    CHECK_FALSE(l.released());
    CHECK(acts["a"].seats.held == 3);
    CHECK(o.promoted.empty());
    // The second sign-up arrives; the next exchange releases the 2 unused places.
    CHECK(use_lease(acts["a"].seats, l, "k1", "a", 1));
    o = exchange_quotas("k1", kNow + 1000, {}, {l}, {}, acts, line, std::ref(ids));
    REQUIRE(o.write.size() == 1);
    CHECK(o.write[0].released());
    CHECK(acts["a"].seats.held == 0);
    CHECK(o.promoted.size() == 1);   // w1 (2) fits in the 2 freed places; w2 does not
    CHECK(o.promoted[0].first == "w1");
    CHECK(acts["a"].seats.taken == 5);
}

TEST_CASE("ledger quotas: an ended lease is neither renewed nor answered nor released without done") {
    std::map<std::string, QuotaActivity> acts;
    acts["a"] = QuotaActivity{Seats{5, 0, 3, false}, std::nullopt, 0};
    Lease l{"L", "a", "k1", 3, 0, kNow - 1000, kNow - 30 * kHour, kNow - 30 * kHour};
    Ids2 ids;
    QuotaExchangeOutcome o = exchange_quotas("k1", kNow, {}, {l}, {{"L", 0, false}}, acts, no_line, std::ref(ids));
    CHECK(o.quotas.empty());
    CHECK(acts["a"].seats.held == 3);   // stranded
    // Another kiosk cannot report it done.
    o = exchange_quotas("k2", kNow, {}, {l}, {{"L", 0, true}}, acts, no_line, std::ref(ids));
    CHECK(o.write.empty());
    CHECK(acts["a"].seats.held == 3);
}
