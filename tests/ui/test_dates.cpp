// Browsing by date (issue 9 point 3): the quick ranges and the calendar by the kiosk's own
// today, ended activities left out or last, and the start board remade when a catalog arrives.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "app/model/dates.h"
#include "app/model/listing.h"
#include "app/model/start_board.h"

using namespace kyodo;
using namespace kyodo::app;

namespace {

struct TempDb {
    std::string path;
    explicit TempDb(const char* name) {
        path = (std::filesystem::temp_directory_path() / (std::string("kyodo-") + name + "-" + std::to_string(::getpid()) + ".db")).string();
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    }
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    }
};

Activity act(std::string id, std::string title, std::string starts, std::string ends = "") {
    Activity a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.kind = ActivityKind::Event;
    a.starts_at = std::move(starts);
    a.ends_at = std::move(ends);
    a.centre_id = "ohdono";
    a.version = 1;
    return a;
}

CatalogDelta december() {
    CatalogDelta d;
    d.version = 5;
    d.full = true;
    d.centres = {{"ohdono", "大殿地域交流センター", "おおどの", "", "", 1}};
    d.activities = {act("ended", "十一月の清掃", "2026-11-30T09:00"),
                    act("ended-span", "秋の作品展", "2026-11-01", "2026-12-05"),
                    act("year", "通年の見守り", "2026-04-01", "2027-03-31"),
                    act("today", "今日の体操", "2026-12-06T10:00"),
                    act("wed", "水曜の料理教室", "2026-12-09T10:00"),
                    act("sat", "土曜の祭り", "2026-12-12T13:00"),
                    act("sun", "日曜の清掃", "2026-12-13T09:00"),
                    act("mon", "月曜の講座", "2026-12-14T09:00"),
                    act("dec31", "大みそかの鐘", "2026-12-31T23:00"),
                    act("jan", "新年会", "2027-01-10")};
    return d;
}

std::vector<std::string> ids(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& a : r.items) out.push_back(a.id);
    return out;
}

}  // namespace

TEST_CASE("dates: weekdays, month ends and the quick ranges from today") {
    CHECK(weekday("2026-12-06") == 0);   // a Sunday
    CHECK(weekday("2026-12-12") == 6);
    CHECK(weekday("2027-01-01") == 5);
    CHECK(month_end("2026-12-06") == "2026-12-31");
    CHECK(month_end("2028-02-10") == "2028-02-29");
    const std::string wed = "2026-12-09";
    CHECK(span_of(DateRange::Today, wed) == DaySpan{wed, wed});
    CHECK(span_of(DateRange::ThisWeek, wed) == DaySpan{wed, "2026-12-13"});
    CHECK(span_of(DateRange::ThisWeekend, wed) == DaySpan{"2026-12-12", "2026-12-13"});
    CHECK(span_of(DateRange::ThisWeekend, "2026-12-12") == DaySpan{"2026-12-12", "2026-12-13"});
    CHECK(span_of(DateRange::ThisWeekend, "2026-12-13") == DaySpan{"2026-12-13", "2026-12-13"});
    CHECK(span_of(DateRange::ThisWeek, "2026-12-13") == DaySpan{"2026-12-13", "2026-12-13"});
    CHECK(span_of(DateRange::ThisMonth, wed) == DaySpan{wed, "2026-12-31"});
    CHECK(span_of(DateRange::Any, wed) == DaySpan{});

    Activity a = act("x", "x", "2026-12-01T10:00", "2026-12-05T12:00");
    CHECK(last_day(a) == "2026-12-05");
    CHECK(has_ended(a, "2026-12-06"));
    CHECK_FALSE(has_ended(a, "2026-12-05"));
    a.starts_at = "";
    CHECK_FALSE(has_ended(a, "2030-01-01"));   // undated never ends
}

TEST_CASE("dates: the calendar grid and picking a day or a range by touch") {
    CalendarPick c("2026-12-06");
    CHECK(c.year() == 2026);
    CHECK(c.month() == 12);
    auto g = c.grid();
    REQUIRE(g.size() == 42);
    CHECK(g[0].empty());            // 2026-12-01 is a Tuesday: Sunday and Monday are blank
    CHECK(g[1].empty());
    CHECK(g[2] == "2026-12-01");
    CHECK(g[32] == "2026-12-31");
    CHECK_FALSE(c.can_go_back());   // nothing before today's month
    c.prev_month();
    CHECK(c.month() == 12);
    c.next_month();
    CHECK(c.year() == 2027);
    CHECK(c.month() == 1);
    CHECK(c.can_go_back());

    c.tap("2027-01-10");
    CHECK(c.picking());
    CHECK(c.span() == DaySpan{"2027-01-10", "2027-01-10"});
    c.tap("2027-01-03");            // the second tap makes a range, in either order
    CHECK_FALSE(c.picking());
    CHECK(c.span() == DaySpan{"2027-01-03", "2027-01-10"});
    CHECK(c.in_span("2027-01-05"));
    CHECK_FALSE(c.in_span("2027-01-11"));
    c.tap("2027-01-20");            // a third starts again
    CHECK(c.span() == DaySpan{"2027-01-20", "2027-01-20"});
    c.clear();
    CHECK(c.span() == DaySpan{});
}

TEST_CASE("listing: upcoming first, ended hidden or last, quick ranges and picked days") {
    TempDb db("ui-dates-listing");
    KioskStore store(db.path);
    store.apply_catalog(december());
    ListingState L;
    L.set_today("2026-12-06");
    L.refresh(store);
    // Ongoing (by when they began), then by date; nothing that ended.
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "today", "wed", "sat", "sun", "mon", "dec31", "jan"});
    L.set_show_ended(true);
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "today", "wed", "sat", "sun", "mon", "dec31", "jan",
                                                      "ended-span", "ended"});
    L.set_show_ended(false);

    L.set_when(DateRange::Today);
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "today"});
    L.set_when(DateRange::ThisWeek);   // today is a Sunday: the week ends today
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "today"});
    L.set_today("2026-12-09");         // the kiosk's today moves: the same filter follows it
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "wed", "sat", "sun"});
    L.set_when(DateRange::ThisWeekend);
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "sat", "sun"});
    L.set_query("祭");
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"sat"});
    L.set_query("");
    L.set_when(DateRange::ThisMonth);
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "wed", "sat", "sun", "mon", "dec31"});
    CHECK(L.filters().active_count() == 1);

    // A day picked on the calendar; a past day shows what ended there (to be marked 終了).
    L.set_when(DateRange::Picked, DaySpan{"2027-01-10", "2027-01-10"});
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "jan"});
    L.set_when(DateRange::Picked, DaySpan{"2026-11-30", "2026-11-30"});
    CHECK(L.to_query().ended_last);
    L.refresh(store);
    CHECK(ids(L.result()) == std::vector<std::string>{"year", "ended-span", "ended"});
    for (const auto& a : L.result().items)
        CHECK(has_ended(a, L.today()) == (a.id == "ended" || a.id == "ended-span"));
    L.clear();
    CHECK(L.filters().when == DateRange::Any);
}

TEST_CASE("start board: remade when the first catalog arrives, not only when the day changes") {
    TempDb db("ui-dates-board");
    KioskStore store(db.path);
    StartBoard board;
    board.refresh(store, "ohdono", "2026-12-06");
    CHECK(board.on_today.empty());     // a newly enrolled kiosk: no catalog yet
    CHECK(board.this_week.empty());
    store.apply_catalog(december());   // the sync worker pulls the first catalog
    board.refresh(store, "ohdono", "2026-12-06");
    std::vector<std::string> today, week;
    for (const auto& a : board.on_today) today.push_back(a.id);
    for (const auto& a : board.this_week) week.push_back(a.id);
    CHECK(today == std::vector<std::string>{"year", "today"});
    CHECK(week == std::vector<std::string>{"wed", "sat"});
}
