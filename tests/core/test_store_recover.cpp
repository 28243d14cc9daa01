// check_kiosk_store (core/store_recover.h): a kiosk database damaged on disk is found at start,
// moved aside, rebuilt with what can still be read, and staff are told.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "core/store_recover.h"

using namespace kyodo;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
    const fs::path d = fs::path(KYODO_BINARY_DIR) / "tmp" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d.string();
}

std::vector<std::string> ids_enqueued(KioskStore& s, int n) {
    std::vector<std::string> ids;
    REQUIRE(sqlite3_exec(s.raw(), "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
    for (int i = 0; i < n; ++i) {
        Record r;
        r.kind = RecordKind::Opinion;
        r.kiosk_id = "k1";
        r.centre_id = "ohdono";
        r.payload = {{"topic", "防災"}, {"text", "避難所の案内 " + std::to_string(i) + std::string(200, 'x')},
                     {"activity_id", ""}, {"wants_reply", false}};
        s.enqueue(r);
        ids.push_back(r.id);
    }
    REQUIRE(sqlite3_exec(s.raw(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    return ids;
}

std::vector<std::string> query(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    std::vector<std::string> out;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            const auto* t = sqlite3_column_text(st, 0);
            out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// Writes garbage over page `pageno` of the (checkpointed, closed) database file.
void smash_page(const std::string& path, long pageno) {
    const long page = std::stol(query(path, "PRAGMA page_size")[0]);
    query(path, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((pageno - 1) * page + 16);
    const std::string junk(static_cast<std::size_t>(page - 32), '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

}  // namespace

TEST_CASE("store recovery: a sound database is left alone, a missing one is nothing to do") {
    const std::string dir = fresh_dir("recover-sound");
    CHECK_FALSE(check_kiosk_store(dir + "/none.db").damaged);
    {
        KioskStore s(dir + "/kiosk.db");
        ids_enqueued(s, 10);
        // Activities with fields: SQLite 3.40's quick_check reports "NULL value in
        // activity_fields.activity_id" for these rows although none is NULL. Not damage.
        CatalogDelta d;
        d.full = true;
        d.version = 1;
        for (int i = 0; i < 5; ++i) {
            Activity a;
            a.id = "act-" + std::to_string(i);
            a.title = "防災";
            a.fields = {"防災", "福祉"};
            d.activities.push_back(a);
        }
        s.apply_catalog(d);
    }
    const StoreRecovery r = check_kiosk_store(dir + "/kiosk.db");
    CHECK_FALSE(r.damaged);
    CHECK(r.staff_message().empty());
    KioskStore again(dir + "/kiosk.db");
    CHECK(again.counts().pending == 10);
    CHECK(again.setting(kStoreRecoverySetting).empty());
}

TEST_CASE("store recovery: a damaged catalog page: found at start, moved aside, every outbox row and setting kept") {
    const std::string dir = fresh_dir("recover-catalog"), path = dir + "/kiosk.db";
    std::vector<std::string> ids;
    {
        KioskStore s(path);
        CatalogDelta d;
        d.full = true;
        d.version = 3;
        for (int i = 0; i < 200; ++i) {
            Activity a;
            a.id = "act-" + std::to_string(i);
            a.title = "防災ワークショップ " + std::to_string(i);
            a.summary = std::string(300, 'y');
            d.activities.push_back(a);
        }
        s.apply_catalog(d);
        ids = ids_enqueued(s, 50);
        s.set_setting("staff.pin_hash", "kept");
        s.set_setting("sync.catalog_etag", "\"v3\"");
    }
    const long root = std::stol(query(path, "SELECT rootpage FROM sqlite_master WHERE name = 'activities'")[0]);
    smash_page(path, root);

    const StoreRecovery r = check_kiosk_store(path);
    REQUIRE(r.damaged);
    MESSAGE("problem: " << r.problem << "; kept " << r.outbox_kept << ", lost " << r.outbox_lost);
    CHECK(fs::exists(r.moved_to));
    CHECK(r.outbox_kept == 50);
    CHECK(r.pending_kept == 50);
    CHECK(r.outbox_lost == 0);
    KioskStore s(path);
    CHECK(query(path, "PRAGMA integrity_check")[0] == "ok");
    CHECK(s.counts().pending == 50);
    for (const auto& id : ids) CHECK(s.outbox_entry(id).has_value());
    CHECK(s.catalog_version() == 0);                    // pulled again in full
    CHECK(s.setting("staff.pin_hash") == "kept");
    CHECK(s.setting("sync.catalog_etag").empty());      // or the pull would answer 304 to an empty catalog
    CHECK(s.setting(kStoreRecoverySetting).find(r.moved_to) != std::string::npos);
    CHECK(s.setting(kStoreRecoverySetting).find("50") != std::string::npos);
    CHECK_FALSE(check_kiosk_store(path).damaged);       // the rebuilt one is sound
}

TEST_CASE("store recovery: a damaged outbox page costs the rows on it, not the rest") {
    const std::string dir = fresh_dir("recover-outbox"), path = dir + "/kiosk.db";
    std::vector<std::string> ids;
    {
        KioskStore s(path);
        ids = ids_enqueued(s, 2000);
    }
    const auto leaves = query(path, "SELECT pageno FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf' ORDER BY pageno");
    if (leaves.size() < 10) {
        MESSAGE("SKIPPED: this SQLite has no dbstat table to find an outbox page with");
        return;
    }
    smash_page(path, std::stol(leaves[leaves.size() / 2]));
    const StoreRecovery r = check_kiosk_store(path);
    REQUIRE(r.damaged);
    MESSAGE("problem: " << r.problem << "; kept " << r.outbox_kept << " of 2000, unreadable stretches " << r.outbox_lost);
    CHECK(r.outbox_kept >= 1800);
    CHECK(r.outbox_kept < 2000);
    CHECK(r.outbox_lost >= 1);
    KioskStore s(path);
    CHECK(query(path, "PRAGMA integrity_check")[0] == "ok");
    CHECK(s.counts().pending == r.outbox_kept);
    int found = 0;
    for (const auto& id : ids)
        if (auto e = s.outbox_entry(id)) {
            ++found;
            CHECK(e->record.id == id);   // what was kept decodes whole
        }
    CHECK(found == r.outbox_kept);
}

TEST_CASE("store recovery: a file that is not a database at all: a fresh one, staff told nothing could be read") {
    const std::string dir = fresh_dir("recover-garbage"), path = dir + "/kiosk.db";
    std::ofstream(path, std::ios::binary) << std::string(8192, '\x5A');
    const StoreRecovery r = check_kiosk_store(path);
    REQUIRE(r.damaged);
    CHECK(r.outbox_kept == 0);
    CHECK(fs::exists(r.moved_to));
    KioskStore s(path);
    CHECK(s.counts().pending == 0);
    CHECK_FALSE(s.setting(kStoreRecoverySetting).empty());
}
