// Backoff policy: full jitter within a doubling window, capped; Retry-After parsing.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "sync/backoff.h"

using namespace kyodo::sync;
using namespace std::chrono_literals;

TEST_CASE("the backoff window doubles from the base and stops at the cap") {
    CHECK(backoff_window(0) == 2s);
    CHECK(backoff_window(1) == 4s);
    CHECK(backoff_window(2) == 8s);
    CHECK(backoff_window(8) == 512s);
    CHECK(backoff_window(9) == 15min);    // 1024 s > 900 s
    CHECK(backoff_window(10) == 15min);
    CHECK(backoff_window(1000) == 15min); // no overflow however long the outage
    CHECK(backoff_window(-3) == 2s);
    CHECK(backoff_window(3, 100ms, 1s) == 800ms);
    CHECK(backoff_window(4, 100ms, 1s) == 1s);
}

TEST_CASE("next_delay draws from the whole window (full jitter) and never beyond it") {
    std::mt19937_64 rng(42);
    for (int attempt = 0; attempt < 40; ++attempt) {
        Millis hi = backoff_window(attempt);
        Millis lo_seen = hi, hi_seen{0};
        for (int i = 0; i < 2000; ++i) {
            Millis d = next_delay(attempt, rng);
            REQUIRE(d >= 0ms);
            REQUIRE(d <= hi);
            lo_seen = std::min(lo_seen, d);
            hi_seen = std::max(hi_seen, d);
        }
        // Full jitter: the draws spread over (nearly) all of [0, window].
        CHECK(lo_seen <= hi / 10);
        CHECK(hi_seen >= hi * 9 / 10);
    }
}

TEST_CASE("next_delay is reproducible with the same seed and varies across kiosks") {
    std::mt19937_64 a(7), b(7), c(8);
    std::set<long long> values;
    for (int i = 0; i < 20; ++i) {
        auto x = next_delay(5, a), y = next_delay(5, b), z = next_delay(5, c);
        CHECK(x == y);
        values.insert(z.count());
    }
    CHECK(values.size() > 10);   // fifty kiosks do not retry in lockstep
}

TEST_CASE("next_delay with custom base and cap; zero base gives zero") {
    std::mt19937_64 rng(1);
    for (int i = 0; i < 100; ++i) CHECK(next_delay(20, 10ms, 50ms, rng) <= 50ms);
    CHECK(next_delay(3, 0ms, 50ms, rng) == 0ms);
}

TEST_CASE("Retry-After in seconds") {
    CHECK(parse_retry_after("120", 0) == 120);
    CHECK(parse_retry_after(" 7 ", 0) == 7);
    CHECK(parse_retry_after("0", 0) == 0);
    CHECK(parse_retry_after("999999999999", 0) == 86400);   // capped at a day
    CHECK_FALSE(parse_retry_after("", 0).has_value());
    CHECK_FALSE(parse_retry_after("-5", 0).has_value());
    CHECK_FALSE(parse_retry_after("soon", 0).has_value());
    CHECK_FALSE(parse_retry_after("1.5", 0).has_value());
}

TEST_CASE("Retry-After as an HTTP date") {
    // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s since the epoch.
    const std::int64_t at = 784111777LL * 1000;
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 30'000) == 30);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 29'500) == 30);   // rounds up
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5'000) == 0);     // past
    CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0) == 0);
    CHECK(parse_retry_after("Sat, 29 Feb 2020 00:00:10 GMT", 1582934400LL * 1000) == 10);
    CHECK_FALSE(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", 0).has_value());
    CHECK_FALSE(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", 0).has_value());
    CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 25:49:37 GMT", 0).has_value());
}
