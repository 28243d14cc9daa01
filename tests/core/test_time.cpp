#include <doctest/doctest.h>

#include "core/timeutil.h"

using namespace kyodo;

TEST_CASE("time: RFC 3339 format and parse") {
    CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_utc(1795309323000) == "2026-11-22T01:02:03Z");
    CHECK(rfc3339_utc(-1000) == "1969-12-31T23:59:59Z");
    CHECK(parse_rfc3339("2026-11-22T01:02:03Z") == 1795309323000);
    CHECK(parse_rfc3339("2026-11-22T01:02:03.5Z") == 1795309323500);
    CHECK(parse_rfc3339("2026-11-22T10:02:03+09:00") == 1795309323000);
    CHECK(parse_rfc3339("2026-11-21T20:02:03-05:00") == 1795309323000);
    CHECK(parse_rfc3339("2026-11-22t01:02:03z") == 1795309323000);
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
    for (const char* bad : {"", "2026-11-22", "2026-11-22T01:02Z", "2026-11-22T01:02:03",
                            "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
                            "2026-11-22T24:00:00Z", "2026-11-22 01:02:03Z", "2026-11-22T01:02:03Zjunk",
                            "26-11-22T01:02:03Z", "2026-11-22T01:02:03+0900"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad).has_value());
    }
    const auto now = now_millis();
    const auto parsed = parse_rfc3339(rfc3339_now());
    REQUIRE(parsed);
    CHECK(std::abs(*parsed - now) < 2000);
}

TEST_CASE("time: local JST parse") {
    CHECK(parse_local_jst("2026-11-22") == 1795273200000);   // 2026-11-21T15:00:00Z
    CHECK(parse_local_jst("2026-11-22T10:00") == 1795309200000);
    CHECK(parse_local_jst("2026-11-22T10:00:30") == 1795309230000);
    CHECK_FALSE(parse_local_jst("2026-11-22T10:00Z").has_value());
    CHECK_FALSE(parse_local_jst("tomorrow").has_value());
}

TEST_CASE("time: Japanese era dates") {
    CHECK(format_date_ja("2026-11-22") == "令和8年11月22日(日)");
    CHECK(format_date_ja("2026-11-22T10:00") == "令和8年11月22日(日) 10:00");
    CHECK(format_date_ja("2026-11-22T10:00:00") == "令和8年11月22日(日) 10:00");
    CHECK(format_date_ja("2019-05-01") == "令和元年5月1日(水)");
    CHECK(format_date_ja("2019-04-30") == "平成31年4月30日(火)");
    CHECK(format_date_ja("2019-12-31") == "令和元年12月31日(火)");
    CHECK(format_date_ja("2020-01-01") == "令和2年1月1日(水)");
    CHECK(format_date_ja("1989-01-08") == "平成元年1月8日(日)");
    CHECK(format_date_ja("1989-01-07") == "昭和64年1月7日(土)");
    // A UTC time is shown in Japan time: 15:30Z is 00:30 the next day in JST.
    CHECK(format_date_ja("2019-04-30T15:30:00Z") == "令和元年5月1日(水) 0:30");
    CHECK(format_date_ja("not a date") == "not a date");
}

TEST_CASE("time: English dates") {
    CHECK(format_date_en("2026-11-22") == "Sun 22 Nov 2026");
    CHECK(format_date_en("2026-11-22T10:00") == "Sun 22 Nov 2026 10:00");
    CHECK(format_date_en("2024-02-29") == "Thu 29 Feb 2024");
}
