#include <doctest/doctest.h>

#include <sqlite3.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "core/ruby.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "core/validate.h"

using namespace kyodo;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed afterwards.
struct TempDir {
    fs::path dir;
    TempDir() {
        char tmpl[] = "/tmp/kyodo-core-store-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string file(const char* name) const { return (dir / name).string(); }
};

std::string q1(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

Activity act(std::string id, std::string title, std::string starts, ActivityKind kind = ActivityKind::Event) {
    Activity a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.starts_at = std::move(starts);
    a.kind = kind;
    a.version = 1;
    return a;
}

CatalogDelta sample_catalog() {
    CatalogDelta d;
    d.version = 10;
    d.full = true;
    d.centres = {{"ohdono", "大殿地域交流センター", "おおどの", "", "", 1},
                 {"yuda", "湯田地域交流センター", "ゆだ", "", "", 1}};
    d.organizations = {{"org-npo", "NPO法人 子育てネット", "こそだてねっと", "NPO法人", {"子育て"}, "", "", "", "", 1},
                       {"org-jichi", "大殿地区自治会連合会", "おおどのちくじちかい", "町内会・自治会", {"防災"}, "", "", "", "", 1}};
    Activity a = act("a1", "大殿地区 防災訓練", "2026-11-22T10:00");
    a.kana = "ボウサイクンレン";
    a.summary = "避難所の開設を体験";
    a.fields = {"防災"};
    a.centre_id = "ohdono";
    a.form = Form::Kyoryoku;
    a.method = Method::JikkoIinkai;
    a.organizer_ids = {"org-jichi"};
    a.organizer_names = {"大殿地区自治会連合会"};
    a.capacity = 40;
    a.taken = 40;
    Activity b = act("a2", "子育てサロン", "2026-11-10", ActivityKind::Project);
    b.kana = "こそだてさろん";
    b.summary = "親子で遊ぶ";
    b.fields = {"子育て", "福祉"};
    b.centre_id = "yuda";
    b.form = Form::Kyodo;
    b.method = Method::Itaku;
    b.organizer_ids = {"org-npo"};
    b.organizer_names = {"NPO法人 子育てネット"};
    b.capacity = 10;
    b.taken = 3;
    Activity c = act("a3", "河川清掃ボランティア", "2026-12-01", ActivityKind::Volunteer);
    c.kana = "かせんせいそう";
    c.summary = "椹野川の清掃と防災マップ作り";
    c.fields = {"環境"};
    c.centre_id = "ohdono";
    c.form = Form::Shien;
    c.method = Method::Adopt;
    Activity e = act("a4", "秋祭り", "2026-10-05");
    e.summary = "地域の祭";
    e.ends_at = "2026-10-06";
    e.centre_id = "yuda";
    d.activities = {a, b, c, e};
    Survey s;
    s.id = "sv-1";
    s.title = "満足度";
    d.surveys = {s};
    return d;
}

std::vector<std::string> ids(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& a : r.items) out.push_back(a.id);
    return out;
}

SearchResult text(const KioskStore& s, const std::string& t) {
    SearchQuery q;
    q.text = t;
    return s.search(q);
}

Record opinion(const std::string& text) {
    Record r;
    r.kind = RecordKind::Opinion;
    r.kiosk_id = "ohdono-1";
    r.centre_id = "ohdono";
    r.payload = {{"text", text}, {"wants_reply", false}};
    return r;
}

}  // namespace

TEST_CASE("store: migrations from an empty file, and reopening is a no-op") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    {
        KioskStore s(path);
        CHECK(s.schema_version() == KioskStore::kSchemaVersion);
        CHECK(q1(s.raw(), "PRAGMA journal_mode") == "wal");
        CHECK(q1(s.raw(), "PRAGMA synchronous") == "2");   // FULL
        CHECK(q1(s.raw(), "PRAGMA foreign_keys") == "1");
        for (const char* table : {"centres", "organizations", "activities", "activity_fields", "surveys",
                                  "outbox", "settings", "catalog_meta", "search_ngram", "activity_fts", "bookables"}) {
            const std::string sql = std::string("SELECT count(*) FROM sqlite_master WHERE name='") + table + "'";
            CHECK_MESSAGE(q1(s.raw(), sql.c_str()) == "1", table);
        }
        s.set_setting("kiosk_id", "ohdono-1");
        CHECK(s.catalog_version() == 0);
    }
    const std::string schema_before = [&] {
        KioskStore s(path);
        return q1(s.raw(), "SELECT group_concat(sql, ';') FROM sqlite_master");
    }();
    KioskStore s(path);
    CHECK(s.schema_version() == KioskStore::kSchemaVersion);
    CHECK(q1(s.raw(), "SELECT group_concat(sql, ';') FROM sqlite_master") == schema_before);
    CHECK(s.setting("kiosk_id") == "ohdono-1");
    CHECK(s.setting("missing", "fallback") == "fallback");
    CHECK(s.file_bytes() > 0);
}

TEST_CASE("store: a database from a newer program is refused clearly") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    { KioskStore s(path); sqlite3_exec(s.raw(), "PRAGMA user_version=99", nullptr, nullptr, nullptr); }
    try {
        KioskStore s(path);
        FAIL("opened a newer database");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()).find("newer") != std::string::npos);
    }
    CHECK_THROWS_AS(KioskStore("/nonexistent-dir/x/kiosk.db"), StoreError);
}

TEST_CASE("store: catalog full, delta, deletion, stale delta") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    s.apply_catalog(sample_catalog());
    CHECK(s.catalog_version() == 10);
    CHECK(s.centres().size() == 2);
    CHECK(s.centres()[0].id == "ohdono");   // reading order: おおどの before ゆだ
    CHECK(s.organizations().size() == 2);
    CHECK(s.organizations()[0].id == "org-jichi");
    CHECK(s.surveys().size() == 1);
    REQUIRE(s.activity("a1"));
    CHECK(s.activity("a1")->title == "大殿地区 防災訓練");
    CHECK(s.activity("a1")->places_left() == 0);
    CHECK(s.activities_by_organization("org-npo").size() == 1);
    CHECK(s.organization("org-npo")->kana == "こそだてねっと");
    CHECK(s.centre("yuda")->name == "湯田地域交流センター");
    CHECK(s.survey("sv-1")->title == "満足度");
    CHECK_FALSE(s.survey("nope"));

    // Delta: edit a1 (title changes search), add a5, delete a3.
    CatalogDelta d;
    d.version = 11;
    Activity a1 = *s.activity("a1");
    a1.title = "大殿地区 避難訓練";
    a1.version = 2;
    d.activities = {a1, act("a5", "英会話カフェ", "2026-11-30")};
    d.deleted_activities = {"a3"};
    d.deleted_centres = {"yuda"};
    s.apply_catalog(d);
    CHECK(s.catalog_version() == 11);
    CHECK(s.activity("a1")->title == "大殿地区 避難訓練");
    CHECK(s.activity("a5"));
    CHECK_FALSE(s.activity("a3"));
    CHECK_FALSE(s.centre("yuda"));
    CHECK(text(s, "防災訓練").total == 0);   // the old title is no longer indexed
    CHECK(ids(text(s, "避難訓練")) == std::vector<std::string>{"a1"});
    CHECK(text(s, "椹野").total == 0);       // a3's text went with it
    CHECK(text(s, "清掃").total == 0);
    // Leftover index rows for deleted/edited activities would show up here.
    CHECK(q1(s.raw(), "SELECT count(*) FROM search_ngram WHERE activity_rowid NOT IN (SELECT rid FROM activities)") == "0");
    CHECK(q1(s.raw(), "SELECT count(*) FROM activity_fts WHERE rowid NOT IN (SELECT rid FROM activities)") == "0");
    CHECK(q1(s.raw(), "SELECT count(*) FROM activity_fields WHERE activity_id='a3'") == "0");

    // A stale delta is ignored entirely.
    CatalogDelta stale;
    stale.version = 9;
    stale.activities = {act("a9", "古い情報", "2026-01-01")};
    stale.deleted_activities = {"a1"};
    s.apply_catalog(stale);
    CHECK(s.catalog_version() == 11);
    CHECK_FALSE(s.activity("a9"));
    CHECK(s.activity("a1"));

    // A full catalog replaces everything, even at a lower version (city hall reset).
    CatalogDelta full;
    full.version = 5;
    full.full = true;
    full.activities = {act("b1", "新しい事業", "2027-01-01")};
    s.apply_catalog(full);
    CHECK(s.catalog_version() == 5);
    CHECK(text(s, "").total == 1);
    CHECK(s.organizations().empty());
    CHECK(q1(s.raw(), "SELECT count(*) FROM search_ngram WHERE activity_rowid NOT IN (SELECT rid FROM activities)") == "0");
}

namespace {
// A slot (core/slots.h) or an item: titled with words the listings also use, so a search that
// reached them would show.
Activity bookable(std::string id, ActivityKind kind, std::string centre, std::string starts, std::string title) {
    Activity a = act(std::move(id), std::move(title), std::move(starts), kind);
    a.centre_id = std::move(centre);
    a.capacity = 1;
    a.kana = "ぼうさい";
    a.summary = "防災 子育て 清掃";
    a.fields = {"防災"};
    a.organizer_ids = {"org-jichi"};
    a.organizer_names = {"大殿地区自治会連合会"};
    if (kind == ActivityKind::Slot)
        a.extra["slot"] = {{"resource", a.centre_id + "-room"}, {"resource_name", "会議室"}, {"type", "room"}};
    else
        a.extra["item"] = {{"condition", "良好"}, {"category", "事務用品"}};
    return a;
}

std::vector<std::string> ids_of(const std::vector<Activity>& v) {
    std::vector<std::string> out;
    for (const auto& a : v) out.push_back(a.id);
    return out;
}
}  // namespace

TEST_CASE("store: slots and items stay out of search and browsing; bookables lists them in start order") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta cat = sample_catalog();
    const std::size_t listings = cat.activities.size();
    cat.activities.push_back(bookable("s3", ActivityKind::Slot, "yuda", "2027-01-11T13:00", "会議室 防災訓練 午後"));
    cat.activities.push_back(bookable("s2", ActivityKind::Slot, "ohdono", "2027-01-11T13:00", "会議室 防災訓練 午後"));
    cat.activities.push_back(bookable("s1", ActivityKind::Slot, "ohdono", "2027-01-11T09:00", "会議室 防災訓練 午前"));
    cat.activities.push_back(bookable("i1", ActivityKind::Item, "", "", "事務机 子育てサロン"));
    s.apply_catalog(cat);

    // Search (every term length: trigram, bigram, unigram), browsing, filters: listings only.
    for (const char* term : {"", "防災訓練", "防災", "防", "会議室", "会議", "子育て", "午前", "ぼうさい", "自治会"}) {
        SearchQuery q;
        q.text = term;
        q.limit = 100;
        for (const auto& a : s.search(q).items) CHECK_MESSAGE(is_listing(a.kind), term << " found " << a.id);
    }
    CHECK(text(s, "").total == static_cast<int>(listings));
    CHECK(text(s, "会議室").total == 0);
    for (ActivityKind k : {ActivityKind::Slot, ActivityKind::Item}) {
        SearchQuery q;
        q.kind = k;
        CHECK(s.search(q).total == 0);
    }
    SearchQuery by_centre;
    by_centre.centre_id = "ohdono";
    by_centre.field = "防災";
    CHECK(ids(s.search(by_centre)) == std::vector<std::string>{"a1"});
    SearchQuery open_places;
    open_places.only_open_places = true;
    for (const auto& a : s.search(open_places).items) CHECK(is_listing(a.kind));
    CHECK(s.activities_by_organization("org-jichi").size() == 1);   // a1, not the slots
    CHECK(q1(s.raw(), "SELECT count(*) FROM activities") == std::to_string(listings));

    // bookables: by start then id, per centre or any, per kind.
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "")) == std::vector<std::string>{"s1", "s2", "s3"});
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "ohdono")) == std::vector<std::string>{"s1", "s2"});
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "yuda")) == std::vector<std::string>{"s3"});
    CHECK(ids_of(s.bookables(ActivityKind::Item, "")) == std::vector<std::string>{"i1"});
    CHECK(s.bookables(ActivityKind::Event, "").empty());
    REQUIRE(s.activity("s1"));   // found by id like any activity (the booking screen opens it)
    CHECK(s.activity("s1")->extra["slot"]["resource"] == "ohdono-room");
    CHECK(s.activity("i1")->kind == ActivityKind::Item);

    // A delta edits (blocks) one slot, deletes one, adds one, and turns a listing into a slot
    // and a slot into a listing; all in the right table afterwards.
    CatalogDelta d;
    d.version = 11;
    Activity s1 = *s.activity("s1");
    s1.extra["slot"]["blocked"] = true;
    s1.version = 2;
    Activity s4 = bookable("s4", ActivityKind::Slot, "ohdono", "2027-01-10T18:00", "会議室 夜");
    Activity a3 = *s.activity("a3");   // 河川清掃ボランティア becomes a slot
    a3.kind = ActivityKind::Slot;
    a3.extra["slot"] = {{"resource", "ohdono-room"}, {"type", "room"}};
    a3.starts_at = "2027-01-12T09:00";
    a3.centre_id = "ohdono";
    a3.version = 2;
    Activity s3 = *s.activity("s3");   // and this slot a listing
    s3.kind = ActivityKind::Event;
    s3.title = "湯田の交流会";
    s3.version = 2;
    d.activities = {s1, s4, a3, s3};
    d.deleted_activities = {"s2", "i1"};
    s.apply_catalog(d);
    CHECK(s.activity("s1")->extra["slot"]["blocked"] == true);
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "ohdono")) == std::vector<std::string>{"s4", "s1", "a3"});
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "")) == std::vector<std::string>{"s4", "s1", "a3"});
    CHECK(s.bookables(ActivityKind::Item, "").empty());
    CHECK_FALSE(s.activity("s2"));
    CHECK_FALSE(s.activity("i1"));
    CHECK(text(s, "椹野").total == 0);                                  // a3 left the index
    CHECK(ids(text(s, "交流会")) == std::vector<std::string>{"s3"});     // s3 joined it
    CHECK(text(s, "").total == static_cast<int>(listings));
    CHECK(q1(s.raw(), "SELECT count(*) FROM search_ngram WHERE activity_rowid NOT IN (SELECT rid FROM activities)") == "0");

    // A full catalog replaces the slots and items too.
    CatalogDelta full;
    full.version = 12;
    full.full = true;
    full.activities = {act("b1", "新しい事業", "2027-01-01"),
                       bookable("s9", ActivityKind::Slot, "yuda", "2027-02-01T09:00", "和室")};
    s.apply_catalog(full);
    CHECK(ids_of(s.bookables(ActivityKind::Slot, "")) == std::vector<std::string>{"s9"});
    CHECK_FALSE(s.activity("s1"));
    CHECK(text(s, "").total == 1);
}

TEST_CASE("store: result order survives deltas, moves and renumbering") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta full;
    full.version = 1;
    full.full = true;
    full.activities = {act("first", "A 行事", "2026-05-01"), act("last", "B 行事", "2026-05-01"),
                       act("later", "C 行事", "2026-06-01")};
    s.apply_catalog(full);
    // 40 activities squeezed between two neighbours exhaust the rid gap and force a
    // renumbering inside the same transaction.
    CatalogDelta d;
    d.version = 2;
    std::vector<std::string> want = {"first"};
    for (int i = 1; i <= 40; ++i) {
        const std::string n = std::string(i < 10 ? "0" : "") + std::to_string(i);
        d.activities.push_back(act("mid" + n, "A 行事 " + n, "2026-05-01"));
        want.push_back("mid" + n);
    }
    want.push_back("last");
    want.push_back("later");
    s.apply_catalog(d);
    SearchQuery all;
    all.limit = 100;
    CHECK(ids(s.search(all)) == want);
    SearchQuery q;
    q.text = "行";
    q.limit = 100;
    CHECK(ids(s.search(q)) == want);
    CHECK(q1(s.raw(), "SELECT count(*) FROM search_ngram WHERE activity_rowid NOT IN (SELECT rid FROM activities)") == "0");
    // Moving an activity to another date moves it in every result list.
    CatalogDelta move;
    move.version = 3;
    move.activities = {act("first", "A 行事", "2026-07-01")};
    s.apply_catalog(move);
    want.erase(want.begin());
    want.push_back("first");
    CHECK(ids(s.search(all)) == want);
    CHECK(ids(s.search(q)) == want);
    q.text = "行事";
    CHECK(ids(s.search(q)) == want);
    q.text = "a 行事";   // multi-term path
    CHECK(ids(s.search(q)).back() == "first");
    CHECK(s.search(q).total == 41);   // "B 行事" and "C 行事" lack the "a"
}

TEST_CASE("store: a failed catalog apply leaves the old catalog whole") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    s.apply_catalog(sample_catalog());
    // Fail half-way through: a delta bigger than the room left in the file.
    CatalogDelta bad;
    bad.version = 12;
    for (int i = 0; i < 300; ++i) {
        Activity a = act(std::string("x") + std::to_string(i), std::string("大きな事業 ") + std::to_string(i), "2026-01-01");
        a.summary = std::string(2000, 'z');
        bad.activities.push_back(a);
    }
    bad.deleted_activities = {"a1"};
    const std::string pages = q1(s.raw(), "PRAGMA page_count");
    REQUIRE(sqlite3_exec(s.raw(), ("PRAGMA max_page_count=" + std::to_string(std::stoi(pages) + 20)).c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    try {
        s.apply_catalog(bad);
        FAIL("apply_catalog should have failed");
    } catch (const StoreError& e) {
        CHECK(e.disk_full());
    }
    CHECK(s.activity("a1"));
    CHECK(s.catalog_version() == 10);
    CHECK_FALSE(s.activity("x0"));
    CHECK(text(s, "").total == 4);
    CHECK(ids(text(s, "防災")) == std::vector<std::string>{"a1", "a3"});
}

TEST_CASE("store: search by 1, 2 and 3+ characters, terms and filters") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    s.apply_catalog(sample_catalog());

    CHECK(text(s, "").total == 4);
    CHECK(ids(text(s, "")) == std::vector<std::string>{"a4", "a2", "a1", "a3"});   // by starts_at
    // 1 character
    CHECK(ids(text(s, "祭")) == std::vector<std::string>{"a4"});
    CHECK(ids(text(s, "災")) == std::vector<std::string>{"a1", "a3"});   // a3's summary mentions 防災
    // 2 characters
    CHECK(ids(text(s, "防災")) == std::vector<std::string>{"a1", "a3"});
    CHECK(ids(text(s, "子育")) == std::vector<std::string>{"a2"});
    CHECK(text(s, "災訓").total == 1);
    CHECK(text(s, "区防").total == 0);   // never across a space: "大殿地区 防災訓練"
    // 3+ characters
    CHECK(ids(text(s, "防災訓練")) == std::vector<std::string>{"a1"});
    CHECK(ids(text(s, "ボランティア")) == std::vector<std::string>{"a3"});
    CHECK(ids(text(s, "ぼらんてぃあ")) == std::vector<std::string>{"a3"});   // kana folded
    CHECK(ids(text(s, "ﾎﾞﾗﾝﾃｨｱ")) == std::vector<std::string>{"a3"});
    CHECK(ids(text(s, "ぼうさい")) == std::vector<std::string>{"a1"});     // reading (kana) is indexed
    CHECK(ids(text(s, "自治会連合会")) == std::vector<std::string>{"a1"}); // organizer names too
    CHECK(ids(text(s, "ｎｐｏ")) == std::vector<std::string>{"a2"});
    CHECK(text(s, "存在しない言葉").total == 0);
    CHECK(text(s, "\"").total == 0);   // quoting is safe
    CHECK(text(s, "a\"b\"c OR").total == 0);
    // Multi-term AND across lengths
    CHECK(ids(text(s, "防災 清掃")) == std::vector<std::string>{"a3"});
    CHECK(ids(text(s, "防災　大殿")) == std::vector<std::string>{"a1"});
    CHECK(ids(text(s, "災 マップ作り")) == std::vector<std::string>{"a3"});
    CHECK(text(s, "祭 防災").total == 0);

    SearchQuery q;
    q.kind = ActivityKind::Project;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a2"});
    q = {};
    q.form = Form::Shien;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a3"});
    q = {};
    q.method = Method::JikkoIinkai;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a1"});
    q = {};
    q.field = "福祉";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a2"});
    q = {};
    q.centre_id = "ohdono";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a1", "a3"});
    q.text = "災";
    q.field = "環境";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a3"});
    q = {};
    q.date_from = "2026-11-01";
    q.date_to = "2026-11-30";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a2", "a1"});
    q.date_from = "2026-10-06";   // a4 runs 10-05..10-06
    q.date_to = "2026-10-06";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a4"});
    q = {};
    q.only_open_places = true;   // a1 is full (40/40); a3 and a4 take no sign-ups (capacity 0)
    CHECK(ids(s.search(q)) == std::vector<std::string>{"a2"});
    // Paging keeps the total.
    q = {};
    q.limit = 2;
    q.offset = 2;
    const auto page = s.search(q);
    CHECK(page.total == 4);
    CHECK(ids(page) == std::vector<std::string>{"a1", "a3"});
}

TEST_CASE("store: the total is counted up to count_cap, never below the page") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    for (int i = 0; i < 30; ++i) {
        Activity a = act(std::string("f") + std::to_string(100 + i), "夏祭り", "2026-08-01");
        a.centre_id = i % 2 ? "yuda" : "ohdono";
        a.summary = "盆踊り 夜店";
        d.activities.push_back(a);
    }
    s.apply_catalog(d);
    auto run = [&](SearchQuery q, int cap, int limit, int offset) {
        q.count_cap = cap;
        q.limit = limit;
        q.offset = offset;
        return s.search(q);
    };
    for (const char* text : {"祭", "夏祭り", "祭 夜店", ""}) {
        CAPTURE(text);
        SearchQuery q;
        q.text = text;
        SearchResult r = run(q, 10, 5, 0);
        CHECK(r.total == 10);
        CHECK(r.total_capped);
        CHECK(ids(r) == std::vector<std::string>{"f100", "f101", "f102", "f103", "f104"});
        r = run(q, 0, 5, 0);   // exact
        CHECK(r.total == 30);
        CHECK_FALSE(r.total_capped);
        r = run(q, 30, 5, 0);   // exactly at the cap: not "more than"
        CHECK(r.total == 30);
        CHECK_FALSE(r.total_capped);
        r = run(q, 29, 5, 0);
        CHECK(r.total == 29);
        CHECK(r.total_capped);
        r = run(q, 10, 5, 20);   // a page past the cap: the total covers it
        CHECK(r.total == 25);
        CHECK(r.total_capped);
        CHECK(ids(r) == std::vector<std::string>{"f120", "f121", "f122", "f123", "f124"});
        r = run(q, 10, 5, 28);   // the last page: exact again
        CHECK(r.total == 30);
        CHECK_FALSE(r.total_capped);
        CHECK(ids(r) == std::vector<std::string>{"f128", "f129"});
        q.centre_id = "yuda";    // with a filter: 15 match
        r = run(q, 10, 3, 0);
        CHECK(r.total == 10);
        CHECK(r.total_capped);
        CHECK(ids(r) == std::vector<std::string>{"f101", "f103", "f105"});
        r = run(q, 1000, 3, 0);
        CHECK(r.total == 15);
        CHECK_FALSE(r.total_capped);
    }
}

namespace {

// The differential test's model of search(): every folded term is a substring of the
// folded body, and every filter holds; result order (starts_at, title, id).
struct Brute {
    std::vector<Activity> acts;
    std::vector<std::string> ids_of(const SearchQuery& q, int& total) const {
        std::vector<std::string> terms;
        const std::string folded = utf8::fold_for_search(q.text);
        std::string cur;
        for (char32_t c : utf8::decode(folded)) {
            if (c == U' ' || c == U'\n' || c == U'\t' || c == U'\r') {
                if (!cur.empty()) terms.push_back(cur);
                cur.clear();
            } else {
                cur += utf8::encode(c);
            }
        }
        if (!cur.empty()) terms.push_back(cur);
        std::vector<const Activity*> hits;
        for (const auto& a : acts) {
            std::string body;
            auto line = [&](const std::string& x) { body += "\n" + utf8::fold_for_search(x); };
            line(a.title);
            line(a.kana);
            line(a.summary);
            line(a.description);
            line(a.place);
            for (const auto& n : a.organizer_names) line(n);
            for (const auto& f : a.fields) line(f);
            const Furigana fu = furigana_of(a);
            for (auto [plain, ann] : {std::pair{&a.title, &fu.title}, {&a.summary, &fu.summary},
                                      {&a.description, &fu.description}})
                if (!ann->empty() && ruby_matches(*plain, *ann)) line(ruby_reading(parse_ruby(*ann)));
            bool ok = std::all_of(terms.begin(), terms.end(),
                                  [&](const std::string& t) { return body.find(t) != std::string::npos; });
            ok = ok && (!q.kind || a.kind == *q.kind) && (!q.form || a.form == *q.form) &&
                 (!q.method || a.method == *q.method) &&
                 (q.centre_id.empty() || a.centre_id == q.centre_id) &&
                 (q.field.empty() || std::find(a.fields.begin(), a.fields.end(), q.field) != a.fields.end()) &&
                 (!q.only_open_places || a.capacity > a.taken);
            const std::string start = a.starts_at.substr(0, 10);
            const std::string end = std::max(start, a.ends_at.substr(0, 10));   // the last day
            if (!q.date_from.empty()) ok = ok && !a.starts_at.empty() && end >= q.date_from;
            if (!q.date_to.empty()) ok = ok && !a.starts_at.empty() && start <= q.date_to;
            const bool ended = !q.today.empty() && !a.starts_at.empty() && end < q.today;
            if (ended && !q.ended_last) ok = false;
            if (ok) hits.push_back(&a);
        }
        auto is_ended = [&](const Activity* x) {
            return !q.today.empty() && !x->starts_at.empty() &&
                   std::max(x->starts_at.substr(0, 10), x->ends_at.substr(0, 10)) < q.today;
        };
        std::sort(hits.begin(), hits.end(), [&](const Activity* x, const Activity* y) {
            const bool ex = is_ended(x), ey = is_ended(y);   // not ended first, then ended
            return std::tie(ex, x->starts_at, x->title, x->id) < std::tie(ey, y->starts_at, y->title, y->id);
        });
        total = static_cast<int>(hits.size());
        std::vector<std::string> out;
        for (std::size_t i = static_cast<std::size_t>(q.offset);
             i < hits.size() && i < static_cast<std::size_t>(q.offset + q.limit); ++i)
            out.push_back(hits[i]->id);
        return out;
    }
};

}  // namespace

TEST_CASE("store: search agrees with a brute-force filter over a random catalog (differential)") {
    TempDir t;
    std::mt19937 rng(424242);
    auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[rng() % v.size()]; };
    // A small alphabet so that 1-, 2- and 3+-character terms and their combinations hit
    // often, rarely and not at all.
    const std::vector<std::string> words = {"防災", "訓練", "子育て", "サロン", "祭り", "夏", "清掃", "川",
                                            "交流会", "ボランティア", "体験", "茶", "食堂", "子ども", "花",
                                            "大殿", "湯田", "講座", "npo", "abc", "café"};
    const std::vector<std::string> fields = {"防災", "子育て", "環境", "福祉", "文化・芸術"};
    const std::vector<std::string> readings = {"ぼうさい", "まつり", "なつ", "かわ", "こそだて"};
    const std::vector<std::string> centres = {"c1", "c2", "c3", "c4", "c5", "c6", "c7"};
    static constexpr ActivityKind kKinds[] = {ActivityKind::Project, ActivityKind::Event,
                                              ActivityKind::Volunteer, ActivityKind::Grant};
    auto two = [](unsigned v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    auto random_activity = [&](const std::string& id) {
        Activity a;
        a.id = id;
        for (unsigned w = 1 + rng() % 3; w > 0; --w) a.title += pick(words) + (rng() % 3 ? "" : " ");
        a.summary = pick(words) + "の" + pick(words);
        if (rng() % 2) a.kana = "ぼらんてぃあ";
        if (rng() % 3) a.organizer_names = {pick(words) + "会"};
        a.kind = kKinds[rng() % 4];
        a.form = all_forms()[rng() % all_forms().size()];
        a.method = all_methods()[rng() % all_methods().size()];
        for (unsigned f = rng() % 3; f > 0; --f) a.fields.push_back(pick(fields));
        if (rng() % 5) a.centre_id = pick(centres);
        if (rng() % 10) a.starts_at = "2026-" + two(1 + rng() % 12) + "-" + two(1 + rng() % 28);
        if (!a.starts_at.empty() && rng() % 4 == 0) a.ends_at = a.starts_at.substr(0, 8) + "28";
        // Long spans across months, some ending before they start (bad data: last day = start).
        if (!a.starts_at.empty() && rng() % 8 == 0) a.ends_at = "2026-" + two(1 + rng() % 12) + "-" + two(1 + rng() % 28);
        if (!a.starts_at.empty() && rng() % 3 == 0) a.starts_at += "T" + two(9 + rng() % 10) + ":00";
        if (rng() % 3 == 0) a.description = pick(words) + "について" + pick(words);
        if (rng() % 3 == 0) a.place = pick(words) + "ホール";
        // Readings: a current one, a stale one (text edited since), or none.
        if (rng() % 3 == 0) a.extra["furigana"]["summary"] = "｜" + a.summary + "《" + pick(readings) + "》";
        if (rng() % 5 == 0) a.extra["furigana"]["title"] = "｜古い題《" + pick(readings) + "》";
        a.capacity = static_cast<int>(rng() % 3) * 5;
        a.taken = a.capacity ? static_cast<int>(rng() % (a.capacity + 1)) : 0;
        a.version = 1;
        return a;
    };
    Brute brute;
    CatalogDelta full;
    full.version = 1;
    full.full = true;
    for (int i = 0; i < 2000; ++i) full.activities.push_back(random_activity("a" + std::to_string(i)));
    brute.acts = full.activities;

    auto random_query = [&] {
        SearchQuery q;
        for (unsigned n = rng() % 4; n > 0; --n) {
            // A substring (1, 2 or 3+ characters) of a word, sometimes a missing one.
            const std::u32string w = utf8::decode(rng() % 20 ? pick(words) : std::string("存在しない"));
            const std::size_t len = std::min<std::size_t>(w.size(), 1 + rng() % 4);
            const std::size_t from = rng() % (w.size() - len + 1);
            q.text += utf8::encode(w.substr(from, len)) + (rng() % 4 ? " " : "　");
        }
        if (rng() % 4 == 0) q.kind = kKinds[rng() % 4];
        if (rng() % 6 == 0) q.form = all_forms()[rng() % all_forms().size()];
        if (rng() % 6 == 0) q.method = all_methods()[rng() % all_methods().size()];
        if (rng() % 4 == 0) q.field = pick(fields);
        if (rng() % 4 == 0) q.centre_id = pick(centres);
        if (rng() % 6 == 0) q.date_from = "2026-" + two(1 + rng() % 12) + "-01";
        if (rng() % 6 == 0) q.date_to = "2026-" + two(1 + rng() % 12) + "-15";
        q.only_open_places = rng() % 5 == 0;
        if (rng() % 2 == 0) {
            q.today = "2026-" + two(1 + rng() % 12) + "-" + two(1 + rng() % 28);
            q.ended_last = rng() % 3 == 0;
        }
        if (rng() % 8 == 0) q.text += " " + pick(readings).substr(0, 3 * (1 + rng() % 3));
        q.limit = static_cast<int>(1 + rng() % 60);
        q.offset = rng() % 3 ? 0 : static_cast<int>(rng() % 200);
        q.count_cap = rng() % 3 == 0 ? 0 : static_cast<int>(1 + rng() % 300);
        return q;
    };
    auto agree = [&](const KioskStore& s, int n_queries) {
        for (int i = 0; i < n_queries; ++i) {
            const SearchQuery q = random_query();
            int total = 0;
            const std::vector<std::string> want = brute.ids_of(q, total);
            const std::int64_t cap = q.count_cap > 0 ? std::max(q.count_cap, q.offset + q.limit) : total;
            for (auto plan : {detail::JoinPlan::Leapfrog, detail::JoinPlan::Probe, detail::JoinPlan::Materialise}) {
                detail::search_join_plan = plan;
                const SearchResult r = s.search(q);
                CAPTURE(q.text);
                CAPTURE(static_cast<int>(plan));
                CAPTURE(q.offset);
                CAPTURE(q.count_cap);
                CAPTURE(q.today);
                CAPTURE(q.ended_last);
                CAPTURE(q.date_from);
                CAPTURE(q.date_to);
                CHECK(ids(r) == want);
                CHECK(r.total == std::min<std::int64_t>(total, cap));
                CHECK(r.total_capped == (total > cap));
            }
            detail::search_join_plan = detail::JoinPlan::Leapfrog;
        }
    };
    {
        KioskStore s(t.file("kiosk.db"));
        s.apply_catalog(full);
        agree(s, 300);
        // Deltas: edits (text, facets and dates change), new ones, deletions.
        CatalogDelta d;
        d.version = 2;
        for (int i = 0; i < 150; ++i) {
            const std::size_t k = rng() % brute.acts.size();
            Activity a = random_activity(brute.acts[k].id);
            a.version = 2;
            brute.acts[k] = a;
            d.activities.push_back(a);
        }
        for (int i = 0; i < 50; ++i) {
            d.activities.push_back(random_activity("new" + std::to_string(i)));
            brute.acts.push_back(d.activities.back());
        }
        for (int i = 0; i < 40; ++i) {
            const std::size_t k = rng() % brute.acts.size();
            d.deleted_activities.push_back(brute.acts[k].id);
            // Drop it from the model unless the same delta also (re)writes it: deletions
            // apply after upserts.
            brute.acts.erase(brute.acts.begin() + static_cast<std::ptrdiff_t>(k));
        }
        s.apply_catalog(d);
        agree(s, 300);
        // A database from schema 1 had no facet rows: migration 2 adds them. Its text index
        // held only title, kana, summary and organizers, and it had no span index: migration
        // 3 rebuilds the index from the stored activities and adds it.
        REQUIRE(sqlite3_exec(s.raw(), "DELETE FROM search_ngram; DELETE FROM activity_fts;"
                                      "INSERT INTO activity_fts(rowid, body) SELECT rid, title FROM activities;"
                                      "DROP INDEX activities_span; DROP TABLE roster_signups; "
                                      "DROP TABLE roster_activities; DROP INDEX outbox_lease; DROP TABLE leases;"
                                      "ALTER TABLE outbox DROP COLUMN lease; ALTER TABLE outbox DROP COLUMN party; DROP TABLE bookables;"
                                      "PRAGMA user_version=1",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    KioskStore reopened(t.file("kiosk.db"));
    CHECK(reopened.schema_version() == KioskStore::kSchemaVersion);
    agree(reopened, 300);
}

TEST_CASE("store: outbox enqueue, pending, answers, counts, purge") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    std::vector<std::string> queued;
    {
        KioskStore s(path);
        Record su;
        su.kind = RecordKind::SignUp;
        su.kiosk_id = "ohdono-1";
        su.centre_id = "ohdono";
        su.payload = {{"activity_id", "a2"}, {"activity_version", 1}, {"party_size", 1}};
        su.sealed = "QUJD";
        const Receipt r = s.enqueue(su);
        CHECK(is_uuid(su.id));
        CHECK(uuid_version(su.id) == 7);
        CHECK_FALSE(su.created_at.empty());
        CHECK(r.record_id == su.id);
        CHECK(r.number == receipt_number(su.id));
        CHECK(r.number.size() == 9);
        CHECK(r.number[4] == '-');
        CHECK(r.number.find_first_of("ILOU") == std::string::npos);
        REQUIRE(r.check_code.size() == 4);
        CHECK(su.payload["check_code"] == r.check_code);
        CHECK(s.outbox_entry(su.id)->record.payload["check_code"] == r.check_code);
        queued.push_back(su.id);
        for (int i = 0; i < 5; ++i) {
            Record o = opinion("意見 " + std::to_string(i));
            const Receipt ro = s.enqueue(o);
            CHECK(ro.check_code.empty());
            CHECK_FALSE(o.payload.contains("check_code"));
            queued.push_back(o.id);
        }
        Record dup = opinion("again");
        dup.id = queued[1];
        CHECK_THROWS_AS(s.enqueue(dup), StoreError);
    }
    // Durability: a new connection sees everything.
    KioskStore s(path);
    auto p = s.pending(100, 1 << 20);
    REQUIRE(p.size() == 6);
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i].record.id == queued[i]);   // oldest first
    CHECK(s.pending(2, 1 << 20).size() == 2);
    CHECK(s.pending(100, 1).size() == 1);   // always at least one
    const std::size_t one_size = to_json(p[1].record).dump().size();
    CHECK(s.pending(100, one_size * 2 + p[0].record.payload.dump().size() + 200).size() >= 2);

    OutboxCounts c = s.counts();
    CHECK(c.pending == 6);
    CHECK(c.by_kind[static_cast<int>(RecordKind::SignUp)].pending == 1);
    CHECK(c.by_kind[static_cast<int>(RecordKind::Opinion)].pending == 5);
    CHECK(c.oldest_pending_ms > 0);

    s.note_attempt_failed({queued[0], queued[1]}, "connection refused");
    CHECK(s.outbox_entry(queued[0])->attempts == 1);
    CHECK(s.outbox_entry(queued[0])->last_error == "connection refused");

    s.apply_answers({{queued[0], "stored", "", "", "waitlisted"},
                     {queued[1], "duplicate", "", "", ""},
                     {queued[2], "rejected", "too_long", "payload.text: too long", ""},
                     {queued[3], "conflict", "conflict", "a different record with this id", ""},
                     {queued[4], "teapot", "", "", ""}});
    auto e0 = s.outbox_entry(queued[0]);
    CHECK(e0->state == OutboxState::Delivered);
    CHECK(e0->signup_status == "waitlisted");
    CHECK(e0->result == "stored");
    CHECK(e0->delivered_ms > 0);
    CHECK(e0->last_error.empty());
    CHECK(s.outbox_entry(queued[1])->state == OutboxState::Delivered);
    auto e2 = s.outbox_entry(queued[2]);
    CHECK(e2->state == OutboxState::Rejected);
    CHECK(e2->reject_code == "too_long");
    CHECK(e2->reject_message == "payload.text: too long");
    CHECK(s.outbox_entry(queued[3])->state == OutboxState::Rejected);
    CHECK(s.outbox_entry(queued[4])->state == OutboxState::Pending);   // unknown answer: retry
    CHECK(s.rejected().size() == 2);
    CHECK(s.recent(2).size() == 2);
    CHECK(s.recent(2)[0].record.id == queued[5]);   // newest first
    s.set_signup_status(queued[0], "confirmed");
    CHECK(s.outbox_entry(queued[0])->signup_status == "confirmed");

    c = s.counts();
    CHECK(c.pending == 2);
    CHECK(c.delivered == 2);
    CHECK(c.rejected == 2);
    CHECK(s.pending(100, 1 << 20).front().record.id == queued[4]);

    CHECK(s.purge_delivered(0) == 0);                 // nothing that old
    CHECK(s.purge_delivered(now_millis() + 1000) == 2);
    CHECK_FALSE(s.outbox_entry(queued[0]));
    CHECK(s.counts().delivered == 0);
    CHECK(s.counts().rejected == 2);                  // rejected records stay for staff
}

TEST_CASE("store: receipt numbers are deterministic") {
    const std::string id = "019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
    CHECK(receipt_number(id) == receipt_number(id));
    // Last 40 bits 0x1d2e3f4a5b in Crockford base 32.
    CHECK(receipt_number(id) == "3MQ3-YJJV");
    CHECK(receipt_number(new_uuid_v7()) != receipt_number(new_uuid_v7()));
}

TEST_CASE("store: a full disk throws disk_full and keeps earlier records") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    std::vector<std::string> stored;
    {
        KioskStore s(path);
        for (int i = 0; i < 3; ++i) {
            Record r = opinion("before " + std::to_string(i));
            s.enqueue(r);
            stored.push_back(r.id);
        }
        const std::string pages = q1(s.raw(), "PRAGMA page_count");
        REQUIRE(sqlite3_exec(s.raw(), ("PRAGMA max_page_count=" + pages).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        bool threw = false;
        for (int i = 0; i < 200 && !threw; ++i) {
            Record r = opinion(std::string(3000, 'x') + std::to_string(i));
            try {
                s.enqueue(r);
                stored.push_back(r.id);
            } catch (const StoreError& e) {
                threw = true;
                CHECK(e.disk_full());
                CHECK(std::string(e.what()).find("full") != std::string::npos);
                CHECK_FALSE(s.outbox_entry(r.id));
            }
        }
        CHECK(threw);
        // The store still answers after the failure.
        CHECK(s.counts().pending == static_cast<int>(stored.size()));
    }
    KioskStore s(path);
    for (const auto& id : stored) CHECK(s.outbox_entry(id));
    CHECK(q1(s.raw(), "PRAGMA integrity_check") == "ok");
    CHECK(StoreError("x", SQLITE_FULL).disk_full());
    CHECK_FALSE(StoreError("x", SQLITE_BUSY).disk_full());
}

TEST_CASE("store: a process killed mid-enqueue loses nothing it acknowledged") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    { KioskStore s(path); }   // create before forking so the child only appends
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        try {
            KioskStore s(path);
            for (int i = 0;; ++i) {
                Record r = opinion("crash test " + std::to_string(i));
                s.enqueue(r);
                // Acknowledge only after enqueue returned, as the kiosk tells the resident.
                const std::string line = r.id + "\n";
                if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
            }
        } catch (...) {
            _exit(2);
        }
    }
    close(fds[1]);
    std::string acked;
    char buf[4096];
    // Let it run until a few hundred records are acknowledged, then kill it mid-write.
    while (std::count(acked.begin(), acked.end(), '\n') < 300) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        acked.append(buf, static_cast<std::size_t>(n));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acked.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    CHECK(WIFSIGNALED(status));

    std::vector<std::string> ids_acked;
    std::size_t start = 0;
    for (std::size_t nl; (nl = acked.find('\n', start)) != std::string::npos; start = nl + 1)
        ids_acked.push_back(acked.substr(start, nl - start));   // a partial last line is ignored
    REQUIRE(ids_acked.size() >= 300);

    KioskStore s(path);
    CHECK(q1(s.raw(), "PRAGMA integrity_check") == "ok");
    int missing = 0;
    for (const auto& id : ids_acked) missing += !s.outbox_entry(id).has_value();
    CHECK(missing == 0);
    CHECK(s.counts().pending >= static_cast<int>(ids_acked.size()));
    CHECK(s.counts().pending <= static_cast<int>(ids_acked.size()) + 1);   // at most the unacknowledged one
}

TEST_CASE("store: search reads descriptions, place, field tags and the readings of the furigana") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta d = sample_catalog();
    d.activities[3].description = "神輿と屋台が出ます";
    d.activities[3].place = "湯田温泉通り";
    d.activities[3].extra["furigana"] = {{"title", "秋祭《あきまつ》り"}, {"summary", "地域《ちいき》の祭《まつり》"},
                                         {"description", "神輿《みこし》と屋台《やたい》が出《で》ます"}};
    d.activities[1].extra["furigana"] = {{"title", "｜古い題名《ふるいだいめい》"}};   // stale: the title changed since
    s.apply_catalog(d);

    CHECK(ids(text(s, "神輿")) == std::vector<std::string>{"a4"});      // description
    CHECK(ids(text(s, "温泉通り")) == std::vector<std::string>{"a4"});  // place
    CHECK(ids(text(s, "まつり")) == std::vector<std::string>{"a4"});    // kana finds 祭 through its reading
    CHECK(ids(text(s, "みこし")) == std::vector<std::string>{"a4"});
    CHECK(ids(text(s, "やた")) == std::vector<std::string>{"a4"});      // 2 characters of a reading
    CHECK(ids(text(s, "ミコシ 湯田")) == std::vector<std::string>{"a4"});
    CHECK(text(s, "ふるいだいめい").total == 0);                        // stale readings are not indexed
    CHECK(ids(text(s, "福祉")) == std::vector<std::string>{"a2"});      // field tag (not in any text)
    CHECK(ids(text(s, "防災")) == std::vector<std::string>{"a1", "a3"});
    CHECK(ids(text(s, "防")) == std::vector<std::string>{"a1", "a3"});

    // A delta re-indexes the activity: the old words are gone, the new ones found.
    CatalogDelta e;
    e.version = 11;
    Activity a4 = d.activities[3];
    a4.description = "花火があります";
    a4.extra["furigana"]["description"] = "花火《はなび》があります";
    a4.version = 2;
    e.activities = {a4};
    s.apply_catalog(e);
    CHECK(text(s, "神輿").total == 0);
    CHECK(text(s, "みこし").total == 0);
    CHECK(ids(text(s, "はなび")) == std::vector<std::string>{"a4"});
}

TEST_CASE("store: the sample catalog's 防災 finds every activity tagged 防災") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    std::ifstream in(std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json");
    REQUIRE(in.good());
    const CatalogDelta cat = catalog_from_json(Json::parse(in));
    s.apply_catalog(cat);
    std::set<std::string> tagged;
    for (const auto& a : cat.activities)
        if (std::find(a.fields.begin(), a.fields.end(), "防災") != a.fields.end()) tagged.insert(a.id);
    CHECK(tagged.size() >= 10);   // 10 listings, and the talent bank's help requests tagged 防災
    SearchQuery q;
    q.text = "防災";
    q.limit = 100;
    const auto r = s.search(q);
    std::set<std::string> found;
    for (const auto& a : r.items) found.insert(a.id);
    for (const auto& id : tagged) CHECK(found.count(id) == 1);
}

TEST_CASE("store: by the kiosk's today, ended activities are left out or shown last") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Activity undated = act("u", "いつでも相談", "");
    Activity ended = act("e1", "終わった講座", "2026-11-20T10:00");
    Activity ended2 = act("e2", "十一月の清掃", "2026-11-30");
    Activity year = act("y", "通年の見守り", "2026-04-01");
    year.ends_at = "2027-03-31";
    Activity exhibit = act("x", "作品展", "2026-12-01T09:00");
    exhibit.ends_at = "2026-12-06T17:00";   // last day today
    Activity past_span = act("p", "秋の展示", "2026-10-01");
    past_span.ends_at = "2026-11-15";
    Activity today = act("t", "今日の体操", "2026-12-06T10:00");
    Activity sat = act("s", "土曜の祭り", "2026-12-12T13:00");
    Activity jan = act("j", "新年会", "2027-01-10");
    d.activities = {undated, ended, ended2, year, exhibit, past_span, today, sat, jan};
    s.apply_catalog(d);

    SearchQuery q;
    q.today = "2026-12-06";
    // Undated, then the ongoing ones (by when they began), then by date; the ended are gone.
    CHECK(ids(s.search(q)) == std::vector<std::string>{"u", "y", "x", "t", "s", "j"});
    CHECK(s.search(q).total == 6);
    q.ended_last = true;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"u", "y", "x", "t", "s", "j", "p", "e1", "e2"});
    CHECK(s.search(q).total == 9);
    // Paging runs across the two parts.
    q.limit = 4;
    q.offset = 4;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"s", "j", "p", "e1"});
    q.offset = 7;
    CHECK(ids(s.search(q)) == std::vector<std::string>{"e1", "e2"});
    // The cap counts across both parts.
    q.offset = 0;
    q.limit = 2;
    q.count_cap = 7;
    auto r = s.search(q);
    CHECK(r.total == 7);
    CHECK(r.total_capped);
    q.count_cap = 6;   // the upcoming part alone fills it
    r = s.search(q);
    CHECK(r.total == 6);
    CHECK(r.total_capped);

    // Date filters (today, a weekend, a month) with text; spans count on every day.
    q = {};
    q.today = "2026-12-06";
    q.date_from = q.date_to = "2026-12-06";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"y", "x", "t"});
    q.text = "体操";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"t"});
    q.text = "";
    q.date_from = "2026-12-12";
    q.date_to = "2026-12-13";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"y", "s"});
    q.date_from = "2026-12-01";
    q.date_to = "2026-12-31";
    q.text = "の";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"y", "t", "s"});
    // A day in the past picked on the calendar still reaches what ended (ended_last).
    q = {};
    q.today = "2026-12-06";
    q.ended_last = true;
    q.date_from = q.date_to = "2026-11-20";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"y", "e1"});
    // Every plan agrees.
    for (auto plan : {detail::JoinPlan::Probe, detail::JoinPlan::Materialise}) {
        detail::search_join_plan = plan;
        CHECK(ids(s.search(q)) == std::vector<std::string>{"y", "e1"});
        q.text = "の";
        CHECK(ids(s.search(q)) == std::vector<std::string>{"y"});
        q.text = "";
    }
    detail::search_join_plan = detail::JoinPlan::Leapfrog;
}

TEST_CASE("store: places left is a facet list; a schema 6 database gets it by migration 7") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    SearchQuery open;
    open.only_open_places = true;
    {
        KioskStore s(path);
        s.apply_catalog(sample_catalog());   // a1 full (40/40), a2 7 left, a3 and a4 take no sign-ups
        CHECK(ids(s.search(open)) == std::vector<std::string>{"a2"});
        open.text = "防災";
        CHECK(s.search(open).total == 0);
        open.text = "";
        // A kiosk database written by schema 6 has no "places left" postings.
        REQUIRE(sqlite3_exec(s.raw(), "DELETE FROM search_ngram WHERE gram = char(1) || 'o:'; PRAGMA user_version=6",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    KioskStore s(path);
    CHECK(s.schema_version() == KioskStore::kSchemaVersion);
    CHECK(ids(s.search(open)) == std::vector<std::string>{"a2"});
    open.text = "子育て";
    CHECK(ids(s.search(open)) == std::vector<std::string>{"a2"});
    // A delta that fills a2 and frees a1 moves the facet with it.
    CatalogDelta d;
    d.version = 11;
    Activity a1 = sample_catalog().activities[0], a2 = sample_catalog().activities[1];
    a1.taken = 39;
    a2.taken = 10;
    a1.version = a2.version = 2;
    d.activities = {a1, a2};
    s.apply_catalog(d);
    open.text = "";
    CHECK(ids(s.search(open)) == std::vector<std::string>{"a1"});
}

TEST_CASE("store: activities that began before today and still run are matched as the index would") {
    // They are matched in memory (the running part of "not ended"): a substring of the
    // indexed text, a facet key, and FTS5 itself where its case folding reaches beyond ASCII.
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Activity ecole = act("r1", "ÉCOLE d'été 展示", "2026-11-01");
    ecole.ends_at = "2026-12-20";
    ecole.centre_id = "c1";
    ecole.capacity = 10;
    ecole.taken = 2;
    Activity year = act("r2", "通年の見守り", "2026-04-01", ActivityKind::Project);
    year.ends_at = "2027-03-31";
    year.fields = {"福祉"};
    Activity gone = act("g", "終わった展示", "2026-11-02");
    gone.ends_at = "2026-11-30";
    Activity next = act("n", "冬の展示 école", "2026-12-10");
    d.activities = {ecole, year, gone, next};
    s.apply_catalog(d);
    auto both_plans = [&](SearchQuery q) {
        q.today = "2026-12-06";
        detail::search_join_plan = detail::JoinPlan::Materialise;   // checks dates per row in SQL
        const std::vector<std::string> want = ids(s.search(q));
        detail::search_join_plan = detail::JoinPlan::Leapfrog;
        CAPTURE(q.text);
        CHECK(ids(s.search(q)) == want);
        return want;
    };
    SearchQuery q;
    q.text = "展示";
    CHECK(both_plans(q) == std::vector<std::string>{"r1", "n"});
    q.text = "école";   // FTS5 folds É to é: the running one matches through FTS5, not a substring
    CHECK(both_plans(q) == std::vector<std::string>{"r1", "n"});
    q.text = "見守";
    q.field = "福祉";
    CHECK(both_plans(q) == std::vector<std::string>{"r2"});
    q = {};
    q.centre_id = "c1";
    q.only_open_places = true;
    q.text = "展";
    CHECK(both_plans(q) == std::vector<std::string>{"r1"});
    q = {};
    q.kind = ActivityKind::Project;
    CHECK(both_plans(q) == std::vector<std::string>{"r2"});
    q = {};
    q.date_from = q.date_to = "2026-12-15";
    CHECK(both_plans(q) == std::vector<std::string>{"r2", "r1"});
}

TEST_CASE("store: common lists are checked in memory, rare ones in SQL, and both follow catalog changes") {
    // 3000 activities from 2027 on, one a day: 会 in every 2nd (checked as a bitmap: dense),
    // 珍 in every 40th (too sparse for one: probed in SQL), 稀 in every 50th (drives), and
    // the kind (a facet list, dense). A match is every 200th; wrong bits or a bitmap kept
    // across a catalog change give other ids.
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    auto make = [&](int i, bool kai) {
        Activity a = act("a" + std::to_string(10000 + i),
                         std::string("活動") + (kai ? " 会" : "") + (i % 40 == 0 ? " 珍" : "") + (i % 50 == 0 ? " 稀" : ""),
                         std::to_string(2027 + i / 336) + "-" + two(1 + (i / 28) % 12) + "-" + two(1 + i % 28),
                         i % 7 == 3 ? ActivityKind::Project : ActivityKind::Event);
        return a;
    };
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    for (int i = 0; i < 3000; ++i) d.activities.push_back(make(i, i % 2 == 0));
    s.apply_catalog(d);
    auto search = [&](const std::string& today, bool event) {
        SearchQuery q;
        q.text = "稀 珍 会";
        q.today = today;
        if (event) q.kind = ActivityKind::Event;
        q.count_cap = 0;
        q.limit = 100;
        const SearchResult r = s.search(q);
        CHECK(r.total == static_cast<int>(r.items.size()));
        return ids(r);
    };
    auto want = [&](const std::set<int>& without, bool event) {
        std::vector<std::string> out;
        for (int i = 0; i < 3000; i += 200)
            if (!without.count(i) && !(event && i % 7 == 3)) out.push_back("a" + std::to_string(10000 + i));
        return out;
    };
    for (const char* today : {"", "2026-12-06"}) {
        CAPTURE(today);
        CHECK(search(today, false) == want({}, false));
        CHECK(search(today, true) == want({}, true));
    }
    // 会 leaves two of them (one at the start of the list, one inside a bitmap word).
    CatalogDelta edit;
    edit.version = 2;
    edit.activities = {make(0, false), make(1400, false)};
    edit.activities[0].version = edit.activities[1].version = 2;
    s.apply_catalog(edit);
    for (const char* today : {"", "2026-12-06"}) {
        CAPTURE(today);
        CHECK(search(today, false) == want({0, 1400}, false));
        CHECK(search(today, true) == want({0, 1400}, true));
    }
}

TEST_CASE("store: the activities still running from before today follow a catalog change") {
    // They are matched in memory, per day (short terms and facets by their keys, a longer
    // term by its 2-character grams and then as a substring): a delta that edits one must
    // not leave the old text (or facets) matching.
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Activity show = act("r1", "冬の展示", "2026-11-01");
    show.ends_at = "2026-12-20";
    show.centre_id = "c1";
    Activity later = act("n", "春の展示", "2027-03-01");
    // Both 2-character grams of 展示会 but not the word; and the word itself.
    Activity apart = act("r2", "展示 示会", "2026-11-02");
    apart.ends_at = "2026-12-31";
    Activity fair = act("r3", "冬の展示会", "2026-11-03");
    fair.ends_at = "2026-12-31";
    d.activities = {show, later, apart, fair};
    s.apply_catalog(d);
    SearchQuery q;
    q.today = "2026-12-06";
    q.text = "展示会";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r3"});
    q.text = "示会 展示";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r2", "r3"});
    q.text = "展示";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r1", "r2", "r3", "n"});
    q.centre_id = "c1";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r1"});
    CatalogDelta edit;
    edit.version = 2;
    show.title = "冬の講演";
    show.centre_id = "c2";
    show.version = 2;
    edit.activities = {show};
    s.apply_catalog(edit);
    CHECK(ids(s.search(q)).empty());
    q.centre_id = "";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r2", "r3", "n"});
    q.text = "講演";
    q.centre_id = "c2";
    CHECK(ids(s.search(q)) == std::vector<std::string>{"r1"});
}

TEST_CASE("store: search follows a catalog another connection applied (the sync worker's)") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    KioskStore ui(path), worker(path);
    worker.apply_catalog(sample_catalog());
    SearchQuery q;
    q.today = "2026-11-15";
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"a1", "a3"});
    q.date_from = q.date_to = "2026-12-01";
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"a3"});
    // The worker adds an activity between two held ones and one after all; the UI's next
    // search (its dates and "not ended" read from memory) sees both.
    CatalogDelta d;
    d.version = 11;
    Activity mid = act("m", "見守り講座", "2026-11-25");
    mid.ends_at = "2026-12-03";
    Activity late = act("z", "新年会", "2027-01-10");
    d.activities = {mid, late};
    worker.apply_catalog(d);
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"m", "a3"});
    q.date_from = q.date_to = "";
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"a1", "m", "a3", "z"});
    // And a full catalog that drops them.
    CatalogDelta full = sample_catalog();
    full.version = 12;
    worker.apply_catalog(full);
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"a1", "a3"});
    // Its own catalog changes too.
    d.version = 13;
    ui.apply_catalog(d);
    CHECK(ids(ui.search(q)) == std::vector<std::string>{"a1", "m", "a3", "z"});
}

TEST_CASE("store: cancelling a sign-up at the kiosk: receipt look-up, check code, one durable cancel record") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    Record su;
    su.kind = RecordKind::SignUp;
    su.kiosk_id = "ohdono-1";
    su.centre_id = "ohdono";
    su.payload = {{"activity_id", "a2"}, {"activity_version", 1}, {"party_size", 2}, {"check_code", "0427"}};
    su.sealed = "QUJD";
    const Receipt r = s.enqueue(su);
    for (int i = 0; i < 3; ++i) {
        Record o = opinion("意見");
        s.enqueue(o);
    }
    CHECK(normalise_receipt(" " + r.number + " ") == r.number);
    std::string lower = r.number;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    lower.erase(4, 1);
    CHECK(normalise_receipt(lower) == r.number);
    CHECK(normalise_receipt("12345").empty());
    CHECK(normalise_receipt("UUUU-UUUU").empty());
    CHECK(normalise_receipt("OOOO-IIII") == "0000-1111");

    auto found = s.signup_by_receipt(lower);
    REQUIRE(found);
    CHECK(found->record.id == su.id);
    CHECK_FALSE(s.signup_by_receipt("0000-0000"));
    CHECK(check_cancel(found, "9999") == CancelCheck::WrongCode);
    CHECK(check_cancel(std::nullopt, "0427") == CancelCheck::UnknownReceipt);
    REQUIRE(check_cancel(found, "0427") == CancelCheck::Ok);

    const Receipt cr = s.enqueue_cancel(*found, "0427", "ohdono-1", "ohdono");
    auto x = s.outbox_entry(cr.record_id);
    REQUIRE(x);
    CHECK(x->record.kind == RecordKind::Cancel);
    CHECK(x->record.payload["signup_id"] == su.id);
    CHECK(x->record.payload["receipt"] == r.number);
    CHECK(x->record.payload["check_code"] == "0427");
    CHECK(validate_record(x->record, nullptr).ok());
    CHECK(s.outbox_entry(su.id)->signup_status == "cancelled");
    CHECK(check_cancel(s.signup_by_receipt(r.number), "0427") == CancelCheck::AlreadyCancelled);
    // Queued after the sign-up: pushed after it.
    const auto pend = s.pending(100, 1 << 20);
    REQUIRE(pend.size() == 5);
    CHECK(pend.front().record.id == su.id);
    CHECK(pend.back().record.id == cr.record_id);
    CHECK(s.counts().by_kind[static_cast<int>(RecordKind::Cancel)].pending == 1);
    // The sign-up's own push answer (confirmed) does not undo the local cancellation.
    s.apply_answers({{su.id, "stored", "", "", "confirmed"}, {cr.record_id, "stored", "", "", "cancelled"}});
    CHECK(s.outbox_entry(su.id)->signup_status == "cancelled");
    CHECK(signup_phase(*s.outbox_entry(su.id)) == SignupPhase::Cancelled);
    // Nor does a status the server reported before the cancel record reached it.
    s.set_signup_status(su.id, "confirmed");
    CHECK(signup_phase(*s.outbox_entry(su.id)) == SignupPhase::Cancelled);
    // A rejected sign-up has nothing to cancel.
    Record other;
    other.kind = RecordKind::SignUp;
    other.kiosk_id = "ohdono-1";
    other.centre_id = "ohdono";
    other.payload = {{"activity_id", "a2"}, {"activity_version", 1}, {"party_size", 1}};
    other.sealed = "QUJD";
    const Receipt ro = s.enqueue(other);
    s.apply_answers({{other.id, "rejected", "no_signups", "takes no sign-ups", ""}});
    CHECK(check_cancel(s.signup_by_receipt(ro.number), ro.check_code) == CancelCheck::NotCancellable);
}

TEST_CASE("store: rosters for the 受付: replaced whole, found by receipt, a tick is one durable attendance record "
          "that a later pull does not undo") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    CHECK(s.rosters().empty());
    auto row = [](const std::string& id, const std::string& receipt, int party, const std::string& status,
                  bool attended) {
        RosterSignup r;
        r.signup_id = id;
        r.receipt = receipt;
        r.party_size = party;
        r.status = status;
        r.hint = "や";
        r.attended = attended;
        return r;
    };
    const std::string a1 = new_uuid_v7(), a2 = new_uuid_v7(), b1 = new_uuid_v7();
    Rosters r;
    RosterActivity today{"act-today", "みんなの体操", "2026-12-07T10:00", "ホール", 10, {}};
    today.signups = {row(a1, "AAAA-0001", 2, "confirmed", false), row(a2, "AAAA-0002", 1, "waitlisted", false)};
    RosterActivity later{"act-later", "料理教室", "2026-12-12T13:00", "", 5, {}};
    later.signups = {row(b1, "BBBB-0001", 1, "confirmed", true)};
    r.activities = {later, today};
    s.replace_rosters(r);

    auto all = s.rosters();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "act-today");   // start order
    CHECK(all[0].signups.size() == 2);
    CHECK(all[0].signups[0].receipt == "AAAA-0001");
    CHECK(all[1].signups[0].attended);
    auto day = s.rosters("2026-12-07", "2026-12-07");
    REQUIRE(day.size() == 1);
    CHECK(day[0].id == "act-today");
    CHECK(s.roster_by_receipt("act-today", " aaaa0002 ")->signup_id == a2);
    CHECK_FALSE(s.roster_by_receipt("act-later", "AAAA-0002"));   // another activity's
    CHECK_FALSE(s.roster_by_receipt("act-today", "nonsense"));

    const Receipt tick = s.enqueue_attendance(a1, true, "k1", "ohdono");
    CHECK(s.roster_by_receipt("act-today", "AAAA-0001")->attended);
    auto e = s.outbox_entry(tick.record_id);
    REQUIRE(e);
    CHECK(e->record.kind == RecordKind::Attendance);
    CHECK(e->record.payload == Json{{"signup_id", a1}, {"attended", true}});
    CHECK(e->record.sealed.empty());
    CHECK(validate_record(e->record, nullptr).ok());
    CHECK(s.counts().by_kind[static_cast<int>(RecordKind::Attendance)].pending == 1);

    // The server's older word (not ticked yet) arrives: the pending tick stays.
    s.replace_rosters(r);
    CHECK(s.roster_by_receipt("act-today", "AAAA-0001")->attended);
    // Taken back, then the record delivered: from then on the server's word counts.
    s.enqueue_attendance(a1, false, "k1", "ohdono");
    CHECK_FALSE(s.roster_by_receipt("act-today", "AAAA-0001")->attended);
    std::vector<KioskStore::Answer> ans;
    for (const auto& p : s.pending(100, 1 << 20)) ans.push_back({p.record.id, "stored", "", "", ""});
    s.apply_answers(ans);
    r.activities[1].signups[0].attended = true;   // as if another tick reached the server later
    s.replace_rosters(r);
    CHECK(s.roster_by_receipt("act-today", "AAAA-0001")->attended);
    // A pull that no longer lists an activity drops it.
    r.activities.pop_back();
    s.replace_rosters(r);
    CHECK(s.rosters().size() == 1);
    CHECK_FALSE(s.roster_by_receipt("act-today", "AAAA-0001"));
}

TEST_CASE("store: a roster document keeps only roster fields and at most one character of hint") {
    const Json doc = {{"protocol", "kyodo/1"},
                      {"centre_id", "ohdono"},
                      {"activities",
                       {{{"id", "a"},
                         {"title", "t"},
                         {"signups",
                          {{{"signup_id", "x"}, {"receipt", "AAAA-0001"}, {"party_size", 3}, {"status", "confirmed"},
                            {"hint", "やまだ"}, {"attended", true}, {"phone", "083"}}}}}}}};
    const Rosters r = rosters_from_json(doc);
    REQUIRE(r.activities.size() == 1);
    REQUIRE(r.activities[0].signups.size() == 1);
    CHECK(r.activities[0].signups[0].hint == "や");
    CHECK(r.activities[0].signups[0].party_size == 3);
    CHECK_THROWS(rosters_from_json(Json{{"activities", 3}}));
    CHECK_THROWS(rosters_from_json(Json::array()));
}

// --- leases: places confirmed on the spot (issue 10 point 2) ------------------------------

namespace {

const char* const kLeaseA = "0190f3a2-1111-7000-8000-000000000001";
const char* const kLeaseB = "0190f3a2-2222-7000-8000-000000000002";

Record signup_for(const std::string& activity, int party) {
    Record r;
    r.kind = RecordKind::SignUp;
    r.kiosk_id = "ohdono-1";
    r.centre_id = "ohdono";
    r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}};
    r.sealed = "QUJD";
    return r;
}

std::optional<KioskLease> lease_of(const KioskStore& s, const std::string& id) {
    for (const auto& l : s.leases())
        if (l.id == id) return l;
    return std::nullopt;
}

}  // namespace

TEST_CASE("store: a sign-up that fits a lease is confirmed on the spot, one that does not is taken as today") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    const std::int64_t now = 1'800'000'000'000;   // kiosk clock
    std::string first_id;
    {
        KioskStore s(path);
        CHECK(s.leases().empty());
        s.apply_quotas({{kLeaseA, "a2", 3, 3600}}, now, 600'000);
        auto l = lease_of(s, kLeaseA);
        REQUIRE(l);
        CHECK(l->activity_id == "a2");
        CHECK(l->places == 3);
        CHECK(l->used == 0);
        CHECK(l->ends_local_ms == now + 3'600'000 - 600'000);
        CHECK_FALSE(l->ended);

        bool spot = false;
        Record r1 = signup_for("a2", 2);
        r1.payload["lease"] = kLeaseB;   // whatever the caller put there, the store decides
        const Receipt rc1 = s.enqueue_signup(r1, now + 1000, &spot);
        CHECK(spot);
        first_id = r1.id;
        CHECK(rc1.check_code.size() == 4);
        auto e1 = s.outbox_entry(r1.id);
        REQUIRE(e1);
        CHECK(e1->record.payload.value("lease", "") == kLeaseA);
        CHECK(e1->signup_status == "confirmed");
        CHECK(signup_phase(*e1) == SignupPhase::Confirmed);
        CHECK(validate_record(e1->record, nullptr).ok());
        CHECK(lease_of(s, kLeaseA)->used == 2);

        // A party of 2 does not fit the 1 place left: taken as today (no lease, no status).
        Record r2 = signup_for("a2", 2);
        spot = true;
        s.enqueue_signup(r2, now + 2000, &spot);
        CHECK_FALSE(spot);
        auto e2 = s.outbox_entry(r2.id);
        REQUIRE(e2);
        CHECK_FALSE(e2->record.payload.contains("lease"));
        CHECK(e2->signup_status.empty());
        CHECK(signup_phase(*e2) == SignupPhase::Awaiting);
        CHECK(lease_of(s, kLeaseA)->used == 2);

        // Another activity has no lease.
        Record r3 = signup_for("a1", 1);
        s.enqueue_signup(r3, now + 3000, &spot);
        CHECK_FALSE(spot);

        // A party of 1 fits exactly.
        Record r4 = signup_for("a2", 1);
        s.enqueue_signup(r4, now + 4000, nullptr);
        CHECK(s.outbox_entry(r4.id)->signup_status == "confirmed");
        CHECK(lease_of(s, kLeaseA)->used == 3);
        Record r5 = signup_for("a2", 1);
        s.enqueue_signup(r5, now + 5000, &spot);
        CHECK_FALSE(spot);

        // A server answer without a status does not undo the local "confirmed"; the server's
        // own word does count.
        s.apply_answers({{r1.id, "stored", "", "", ""}, {r4.id, "stored", "", "", "confirmed"}});
        CHECK(s.outbox_entry(r1.id)->signup_status == "confirmed");
        // used counts delivered sign-ups too: the lease's places were used.
        CHECK(lease_of(s, kLeaseA)->used == 3);
    }
    // Reopened (a kill or a restart): the use was stored with the records.
    KioskStore s(path);
    CHECK(lease_of(s, kLeaseA)->used == 3);
    // Top-up: places only grow, the end only moves later.
    s.apply_quotas({{kLeaseA, "a2", 5, 7200}}, now + 10'000, 600'000);
    CHECK(lease_of(s, kLeaseA)->places == 5);
    CHECK(lease_of(s, kLeaseA)->ends_local_ms == now + 10'000 + 7'200'000 - 600'000);
    s.apply_quotas({{kLeaseA, "a2", 2, 60}}, now + 20'000, 600'000);
    CHECK(lease_of(s, kLeaseA)->places == 5);
    CHECK(lease_of(s, kLeaseA)->ends_local_ms == now + 10'000 + 7'200'000 - 600'000);
    bool spot = false;
    Record r6 = signup_for("a2", 2);
    s.enqueue_signup(r6, now + 30'000, &spot);
    CHECK(spot);
    CHECK(lease_of(s, kLeaseA)->used == 5);
}

TEST_CASE("store: an ended lease confirms nothing: past its end on the kiosk clock, or dropped by city hall") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    const std::int64_t now = 1'800'000'000'000;
    s.apply_quotas({{kLeaseA, "a2", 10, 3600}, {kLeaseB, "a3", 10, 3600}}, now, 600'000);
    const std::int64_t end = now + 3'000'000;
    bool spot = false;
    Record before = signup_for("a2", 1);
    s.enqueue_signup(before, end - 1, &spot);
    CHECK(spot);
    Record at_end = signup_for("a2", 1);
    s.enqueue_signup(at_end, end, &spot);
    CHECK_FALSE(spot);
    CHECK(lease_of(s, kLeaseA)->ended);
    // Ended is final: a later answer still naming it (renewed) does not bring it back.
    s.apply_quotas({{kLeaseA, "a2", 10, 3600}, {kLeaseB, "a3", 10, 3600}}, end + 1, 600'000);
    CHECK(lease_of(s, kLeaseA)->ended);
    Record later = signup_for("a2", 1);
    s.enqueue_signup(later, end + 2, &spot);
    CHECK_FALSE(spot);
    // A held lease the answer leaves out has ended on the server: ended here too.
    s.apply_quotas({}, end + 3, 600'000);
    CHECK(lease_of(s, kLeaseB)->ended);
    Record b = signup_for("a3", 1);
    s.enqueue_signup(b, end + 4, &spot);
    CHECK_FALSE(spot);
}

TEST_CASE("store: a kiosk clock a day off either way: the lease lasts as long on the kiosk's clock") {
    // The server says "ends in 2 h"; the kiosk measures that from when it sent the request,
    // on its own clock. A constant offset between the clocks changes nothing.
    const std::int64_t server_now = 1'800'000'000'000;
    for (const std::int64_t offset : {-86'400'000LL, 0LL, 86'400'000LL}) {
        CAPTURE(offset);
        TempDir t;
        KioskStore s(t.file("kiosk.db"));
        const std::int64_t kiosk_now = server_now + offset;
        s.apply_quotas({{kLeaseA, "a2", 4, 7200}}, kiosk_now, 600'000);
        bool spot = false;
        Record in_time = signup_for("a2", 1);
        s.enqueue_signup(in_time, kiosk_now + 6'599'000, &spot);   // 1 h 50 min after: inside the margin
        CHECK(spot);
        Record late = signup_for("a2", 1);
        s.enqueue_signup(late, kiosk_now + 6'600'000, &spot);      // the margin begins: stop
        CHECK_FALSE(spot);
    }
}

TEST_CASE("store: lease reports: used from the outbox, done only when ended and nothing naming it is undelivered") {
    TempDir t;
    KioskStore s(t.file("kiosk.db"));
    const std::int64_t now = 1'800'000'000'000;
    s.apply_quotas({{kLeaseA, "a2", 5, 3600}}, now, 600'000);
    Record r1 = signup_for("a2", 2), r2 = signup_for("a2", 1);
    s.enqueue_signup(r1, now + 1, nullptr);
    s.enqueue_signup(r2, now + 2, nullptr);
    auto rep = s.lease_reports(now + 3);
    REQUIRE(rep.size() == 1);
    CHECK(rep[0].id == kLeaseA);
    CHECK(rep[0].used == 3);
    CHECK_FALSE(rep[0].done);
    // Past its end: ended, but r1 and r2 are still undelivered.
    const std::int64_t end = now + 3'000'000;
    rep = s.lease_reports(end);
    CHECK(lease_of(s, kLeaseA)->ended);
    CHECK_FALSE(rep.at(0).done);
    s.apply_answers({{r1.id, "stored", "", "", "confirmed"}});
    CHECK_FALSE(s.lease_reports(end).at(0).done);
    // A sign-up city hall rejected took no place: it does not count.
    s.apply_answers({{r2.id, "rejected", "bad", "bad", ""}});
    rep = s.lease_reports(end);
    CHECK(rep.at(0).done);
    CHECK(rep.at(0).used == 2);
    // Retention keeps the sign-ups a lease still counts until it was reported done.
    CHECK(s.purge_delivered(end + 86'400'000LL * 365 * 10) == 0);
    s.note_leases_done({kLeaseA});
    CHECK(lease_of(s, kLeaseA)->done_reported);
    CHECK(s.lease_reports(end).empty());
    CHECK(s.purge_delivered(end + 86'400'000LL * 365 * 10) == 1);
}

TEST_CASE("store: a process killed mid-sign-up never loses nor doubles a lease's use") {
    TempDir t;
    const std::string path = t.file("kiosk.db");
    const std::int64_t now = 1'800'000'000'000;
    {
        KioskStore s(path);
        s.apply_quotas({{kLeaseA, "a2", 100'000, 86'400}}, now, 600'000);
    }
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        try {
            KioskStore s(path);
            for (int i = 0;; ++i) {
                Record r = signup_for("a2", 1 + i % 3);
                bool spot = false;
                s.enqueue_signup(r, now + i, &spot);
                if (!spot) _exit(4);
                const std::string line = r.id + "\n";
                if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
            }
        } catch (...) {
            _exit(2);
        }
    }
    close(fds[1]);
    std::string acked;
    char buf[4096];
    while (std::count(acked.begin(), acked.end(), '\n') < 200) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        acked.append(buf, static_cast<std::size_t>(n));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acked.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    CHECK(WIFSIGNALED(status));
    KioskStore s(path);
    CHECK(q1(s.raw(), "PRAGMA integrity_check") == "ok");
    std::int64_t want = 0;
    int confirmed = 0;
    for (const auto& e : s.signups(1'000'000)) {
        CHECK(e.record.payload.value("lease", "") == kLeaseA);
        CHECK(e.signup_status == "confirmed");
        want += e.record.payload.value("party_size", 0);
        ++confirmed;
    }
    CHECK(confirmed >= 200);
    CHECK(lease_of(s, kLeaseA)->used == want);
}
