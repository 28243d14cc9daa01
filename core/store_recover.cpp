#include "core/store_recover.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "core/timeutil.h"

namespace kyodo {

namespace fs = std::filesystem;

namespace {

struct Db {
    sqlite3* h = nullptr;
    ~Db() { sqlite3_close(h); }
};

// "ok", or what is wrong (the first line of quick_check, or the error that stopped it).
std::string quick_check(const std::string& path) {
    Db db;
    if (sqlite3_open_v2(path.c_str(), &db.h, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        return db.h ? sqlite3_errmsg(db.h) : "cannot open";
    sqlite3_busy_timeout(db.h, 5000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db.h, "PRAGMA quick_check", -1, &st, nullptr) != SQLITE_OK) {
        std::string e = sqlite3_errmsg(db.h);
        sqlite3_finalize(st);
        return e;
    }
    // "ok", or lines like "*** in database main ***", "Page 12: btree page …": the first few.
    // Not damage: constraint reports ("NULL value in t.c", "CHECK constraint failed"). SQLite
    // 3.40's quick_check also reports "NULL value in activity_fields.activity_id" for every
    // row of that WITHOUT ROWID table although none is NULL: a sound kiosk database must not
    // be taken apart for it.
    std::string out;
    int rc, rows = 0, lines = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(st, 0);
        const std::string line = t ? reinterpret_cast<const char*>(t) : "";
        ++lines;
        if (line == "ok" || line.rfind("NULL value in ", 0) == 0 || line.rfind("CHECK constraint failed", 0) == 0)
            continue;
        if (rows < 4) out += (rows ? "; " : "") + line;
        ++rows;
    }
    if (lines == 0) out = sqlite3_errmsg(db.h);
    else if (rows == 0) out = "ok";
    sqlite3_finalize(st);
    for (char& c : out)
        if (c == '\n') c = ' ';
    if (out.size() > 200) out = out.substr(0, 200) + "…";   // quick_check's text is ASCII
    return out;
}

std::vector<std::string> columns(sqlite3* db, const std::string& schema, const std::string& table) {
    std::vector<std::string> cols;
    sqlite3_stmt* st = nullptr;
    const std::string sql = "PRAGMA " + schema + ".table_info(" + table + ")";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return cols;
    }
    while (sqlite3_step(st) == SQLITE_ROW) cols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    return cols;
}

void move_aside(const std::string& path, const std::string& to) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::error_code ec;
        if (fs::exists(path + suffix, ec)) fs::rename(path + suffix, to + suffix);
    }
}

}  // namespace

std::string StoreRecovery::staff_message() const {
    if (!damaged) return "";
    return "端末のデータベースが壊れていたため作り直しました。読み取れた送信記録 " + std::to_string(outbox_kept) +
           " 件（未送信 " + std::to_string(pending_kept) + " 件）を引き継ぎ、" + std::to_string(outbox_lost) +
           " 件分は読み取れませんでした。市役所に連絡してください。元のファイル: " + moved_to +
           " (the kiosk database was damaged (" + problem + ") and was rebuilt: " + std::to_string(outbox_kept) +
           " outbox records kept, " + std::to_string(pending_kept) + " of them still to send; " +
           std::to_string(outbox_lost) + " unreadable; the damaged file is " + moved_to + ")";
}

StoreRecovery check_kiosk_store(const std::string& path) {
    StoreRecovery r;
    std::error_code ec;
    if (!fs::exists(path, ec) || fs::file_size(path, ec) == 0) return r;
    const std::string verdict = quick_check(path);
    if (verdict == "ok") return r;
    r.damaged = true;
    r.problem = verdict;
    std::string stamp = rfc3339_now();   // 2026-11-22T01:02:03Z → 20261122T010203Z
    std::string compact;
    for (char c : stamp)
        if (c != '-' && c != ':') compact += c;
    r.moved_to = path + ".damaged-" + compact;
    move_aside(path, r.moved_to);

    // A fresh database (schema and migrations) in its place.
    { KioskStore fresh(path); }

    // Read what reads back from the damaged file first, on its own connection (a read that
    // meets a damaged page must not roll back a write), then write it all in one transaction.
    struct Row {
        std::vector<sqlite3_value*> v;
        std::string state;
    };
    std::vector<Row> rows;
    std::vector<std::pair<std::string, std::string>> settings;
    std::vector<std::string> common;
    Db db;
    if (sqlite3_open_v2(path.c_str(), &db.h, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        throw StoreError("reopening the rebuilt kiosk database " + path, SQLITE_CANTOPEN);
    sqlite3_busy_timeout(db.h, 5000);
    {
        Db old;
        const bool opened = sqlite3_open_v2(r.moved_to.c_str(), &old.h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK;
        const std::vector<std::string> now_cols = columns(db.h, "main", "outbox");
        const std::vector<std::string> old_cols = opened ? columns(old.h, "main", "outbox") : std::vector<std::string>{};
        for (const auto& c : now_cols)
            if (std::find(old_cols.begin(), old_cols.end(), c) != old_cols.end()) common.push_back(c);
        const auto at = [&](const char* name) {
            const auto it = std::find(common.begin(), common.end(), name);
            return it == common.end() ? -1 : static_cast<int>(it - common.begin());
        };
        const int json_col = at("json"), state_col = at("state"), seq_col = at("seq");
        if (!opened || old_cols.empty()) r.outbox_lost = 1;   // not even readable as a database
        if (opened && json_col >= 0 && seq_col >= 0) {
            std::string list;
            for (std::size_t i = 0; i < common.size(); ++i) list += (i ? ", " : "") + common[i];
            // Outbox rows in seq order. A damaged page stops a scan; it goes on after the last
            // row read, skipping ahead further each time the same place fails again, so one bad
            // page costs the rows on it, not the rest.
            sqlite3_int64 after = -1, skip = 1, max_seq = -1;
            {
                sqlite3_stmt* m = nullptr;
                if (sqlite3_prepare_v2(old.h, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'", -1, &m, nullptr) ==
                        SQLITE_OK &&
                    sqlite3_step(m) == SQLITE_ROW)
                    max_seq = sqlite3_column_int64(m, 0);
                sqlite3_finalize(m);
            }
            for (int attempts = 0; attempts < 10000; ++attempts) {
                sqlite3_stmt* sel = nullptr;
                if (sqlite3_prepare_v2(old.h, ("SELECT " + list + " FROM outbox WHERE seq > ?1 ORDER BY seq").c_str(), -1,
                                       &sel, nullptr) != SQLITE_OK) {
                    sqlite3_finalize(sel);
                    ++r.outbox_lost;
                    break;
                }
                sqlite3_bind_int64(sel, 1, after);
                int rc;
                bool progressed = false;
                while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
                    progressed = true;
                    after = sqlite3_column_int64(sel, seq_col);
                    // A row that reads back but whose record does not decode is not kept.
                    try {
                        const auto* t = sqlite3_column_text(sel, json_col);
                        (void)record_from_json(Json::parse(t ? reinterpret_cast<const char*>(t) : ""));
                    } catch (const std::exception&) {
                        ++r.outbox_lost;
                        continue;
                    }
                    Row row;
                    for (std::size_t i = 0; i < common.size(); ++i)
                        row.v.push_back(sqlite3_value_dup(sqlite3_column_value(sel, static_cast<int>(i))));
                    if (state_col >= 0) {
                        const auto* st = sqlite3_column_text(sel, state_col);
                        row.state = st ? reinterpret_cast<const char*>(st) : "";
                    }
                    rows.push_back(std::move(row));
                }
                sqlite3_finalize(sel);
                if (rc == SQLITE_DONE) break;
                ++r.outbox_lost;   // stopped by damage: count it and jump past it
                skip = progressed ? 1 : skip * 2;
                after += skip;
                if (max_seq >= 0 && after > max_seq) break;
                if (max_seq < 0 && skip > (1LL << 40)) break;
            }
        }
        // Settings, but not the catalog's ETag: the catalog is gone and is pulled in full.
        sqlite3_stmt* sel = nullptr;
        if (opened &&
            sqlite3_prepare_v2(old.h, "SELECT key, value FROM settings WHERE key NOT LIKE 'sync.catalog%'", -1, &sel,
                               nullptr) == SQLITE_OK)
            while (sqlite3_step(sel) == SQLITE_ROW) {
                const auto* k = sqlite3_column_text(sel, 0);
                const auto* v = sqlite3_column_text(sel, 1);
                if (k && v) settings.emplace_back(reinterpret_cast<const char*>(k), reinterpret_cast<const char*>(v));
            }
        sqlite3_finalize(sel);
    }
    sqlite3_exec(db.h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (!rows.empty()) {
        std::string list, marks;
        for (std::size_t i = 0; i < common.size(); ++i) {
            list += (i ? ", " : "") + common[i];
            marks += (i ? ", ?" : "?");
        }
        sqlite3_stmt* ins = nullptr;
        sqlite3_prepare_v2(db.h, ("INSERT OR IGNORE INTO outbox(" + list + ") VALUES(" + marks + ")").c_str(), -1, &ins,
                           nullptr);
        for (Row& row : rows) {
            for (std::size_t i = 0; i < row.v.size(); ++i) sqlite3_bind_value(ins, static_cast<int>(i) + 1, row.v[i]);
            if (sqlite3_step(ins) == SQLITE_DONE && sqlite3_changes(db.h) == 1) {
                ++r.outbox_kept;
                if (row.state == "pending") ++r.pending_kept;
            }
            sqlite3_reset(ins);
            sqlite3_clear_bindings(ins);
            for (sqlite3_value* v : row.v) sqlite3_value_free(v);
        }
        sqlite3_finalize(ins);
        // seq keeps counting from past the old outbox (AUTOINCREMENT's promise).
        sqlite3_exec(db.h,
                     "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM outbox) WHERE name = 'outbox' AND "
                     "seq < (SELECT max(seq) FROM outbox)",
                     nullptr, nullptr, nullptr);
    }
    sqlite3_stmt* put = nullptr;
    if (sqlite3_prepare_v2(db.h, "INSERT OR REPLACE INTO settings(key, value) VALUES(?1, ?2)", -1, &put, nullptr) ==
        SQLITE_OK) {
        for (const auto& [k, v] : settings) {
            sqlite3_bind_text(put, 1, k.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(put, 2, v.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(put) == SQLITE_DONE) ++r.settings_kept;
            sqlite3_reset(put);
        }
    }
    sqlite3_finalize(put);
    sqlite3_exec(db.h, "COMMIT", nullptr, nullptr, nullptr);
    // Staff are told (staff mode shows the setting) and the log says so.
    sqlite3_stmt* set = nullptr;
    if (sqlite3_prepare_v2(db.h, "INSERT OR REPLACE INTO settings(key, value) VALUES(?1, ?2)", -1, &set, nullptr) ==
        SQLITE_OK) {
        sqlite3_bind_text(set, 1, kStoreRecoverySetting, -1, SQLITE_STATIC);
        const std::string msg = r.staff_message();
        sqlite3_bind_text(set, 2, msg.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(set);
    }
    sqlite3_finalize(set);
    std::fprintf(stderr, "kyodo: %s\n", r.staff_message().c_str());
    return r;
}

}  // namespace kyodo
