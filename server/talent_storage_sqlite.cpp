// SQLite half of TalentStorage (server/talent.h). Shares SqliteStorage's connection and
// mutex; its own tables are created if missing (CREATE … IF NOT EXISTS: no entry in either
// schema version, so it lands beside other engineers' migrations without renumbering them).
#include <algorithm>
#include <string>
#include <vector>

#include "core/talent.h"
#include "server/talent.h"
#include "server/sqlite_q.h"

namespace kyodo::server {
namespace {

const char* const kTalentSchema = R"sql(
CREATE TABLE IF NOT EXISTS talent_withdrawals (
    id TEXT PRIMARY KEY, receipt TEXT NOT NULL, check_code TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending', registration_id TEXT NOT NULL DEFAULT '',
    noted_at TEXT NOT NULL, settled_at TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS talent_matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, registration_id TEXT NOT NULL, request_id TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'proposed', note TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL, proposed_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS talent_matches_registration ON talent_matches (registration_id);
CREATE INDEX IF NOT EXISTS records_receipt ON records (receipt);
CREATE INDEX IF NOT EXISTS records_kind_seq ON records (kind, seq);
)sql";

using sqlq::Q;
using sqlq::Tx;
using sqlq::exec;

constexpr const char* kEntryCols =
    "SELECT id, receipt, kiosk_id, centre_id, created_at, received_at, payload, COALESCE(personal, '') FROM records ";

// talent_matches in SQL: ?1 help, ?2 field, ?3 time, ?4 area ("" = any; ?5 the area every
// registration for the whole city matches), each a string element of the payload's array.
std::string has_sql(const char* key, const char* param) {
    return std::string("(") + param + " = '' OR (json_type(payload, '$." + key + "') = 'array' AND EXISTS (SELECT 1 FROM json_each(payload, '$." +
           key + "') x WHERE x.type = 'text' AND x.value = " + param + "))) ";
}
const std::string kSearch = "AND " + has_sql("help", "?1") + "AND " + has_sql("fields", "?2") + "AND " + has_sql("times", "?3") +
                            "AND (?4 = '' OR (json_type(payload, '$.areas') = 'array' AND EXISTS (SELECT 1 FROM json_each(payload, '$.areas') x "
                            "WHERE x.type = 'text' AND x.value IN (?4, ?5)))) ";
void bind_search(Q& q, const TalentQuery& t) {
    q.bind(1, t.help).bind(2, t.field).bind(3, t.time).bind(4, t.area).bind(5, std::string(talent::kAnyArea));
}

TalentEntry read_entry(const Q& q) {
    TalentEntry e;
    e.id = q.text(0); e.receipt = q.text(1); e.kiosk_id = q.text(2); e.centre_id = q.text(3);
    e.created_at = q.text(4); e.received_at = q.text(5);
    e.payload = Json::parse(q.text(6), nullptr, false);
    if (!e.payload.is_object()) e.payload = Json::object();
    e.personal = Json::parse(q.text(7), nullptr, false);
    if (!e.personal.is_object()) e.personal = Json::object();
    return e;
}

TalentMatch read_match(const Q& q) {
    TalentMatch m;
    m.id = q.i64(0); m.registration_id = q.text(1); m.request_id = q.text(2); m.outcome = q.text(3);
    m.note = q.text(4); m.proposed_by = q.text(5); m.proposed_at = q.text(6); m.updated_by = q.text(7);
    m.updated_at = q.text(8);
    return m;
}

class SqliteTalent final : public TalentStorage {
public:
    SqliteTalent(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {
        std::lock_guard lock(mu_);
        // Erased personal data is overwritten in the file rather than left in free pages.
        exec(db_, "PRAGMA secure_delete=ON");
        exec(db_, kTalentSchema);
    }

    std::vector<TalentEntry> registrations() override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kEntryCols) + "WHERE kind = 'talent' AND personal IS NOT NULL ORDER BY seq").c_str());
        std::vector<TalentEntry> out;
        while (q.step()) out.push_back(read_entry(q));
        return out;
    }
    std::vector<TalentEntry> registrations_page(const TalentQuery& tq, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kEntryCols) + "WHERE kind = 'talent' AND personal IS NOT NULL " + kSearch + "ORDER BY seq LIMIT ?6 OFFSET ?7").c_str());
        bind_search(q, tq);
        q.bind(6, bound(limit)).bind(7, bound(offset));
        std::vector<TalentEntry> out;
        while (q.step()) out.push_back(read_entry(q));
        return out;
    }
    std::int64_t count_registrations(const TalentQuery& tq) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT COUNT(*) FROM records WHERE kind = 'talent' AND personal IS NOT NULL ") + kSearch).c_str());
        bind_search(q, tq);
        return q.step() ? q.i64(0) : 0;
    }
    std::optional<TalentEntry> registration(const std::string& id) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kEntryCols) + "WHERE kind = 'talent' AND personal IS NOT NULL AND id = ?").c_str());
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        return read_entry(q);
    }

    int note_withdrawal(const std::string& withdrawal_id, const std::string& receipt, const std::string& check_code,
                        const std::string& now) override {
        {
            std::lock_guard lock(mu_);
            Q q(db_, "INSERT OR IGNORE INTO talent_withdrawals (id, receipt, check_code, noted_at) VALUES (?, ?, ?, ?)");
            q.bind(1, withdrawal_id).bind(2, receipt).bind(3, check_code).bind(4, now).run();
        }
        return settle_withdrawals(now);
    }

    int settle_withdrawals(const std::string& now) override {
        std::lock_guard lock(mu_);
        int applied = 0;
        {
            Tx tx(db_);
            struct Pending {
                std::string id, receipt, code;
            };
            std::vector<Pending> pending;
            {
                Q q(db_, "SELECT id, receipt, check_code FROM talent_withdrawals WHERE state = 'pending' ORDER BY noted_at, id");
                while (q.step()) pending.push_back({q.text(0), q.text(1), q.text(2)});
            }
            for (const Pending& w : pending) {
                Q find(db_, "SELECT id, payload, personal IS NULL FROM records WHERE kind = 'talent' AND receipt = ?");
                find.bind(1, w.receipt);
                if (!find.step()) continue;   // the registration has not arrived yet
                const std::string reg = find.text(0);
                const Json payload = Json::parse(find.text(1), nullptr, false);
                const bool erased = find.i64(2) != 0;
                const std::string code =
                    payload.is_object() && payload.contains("check_code") && payload["check_code"].is_string()
                        ? payload["check_code"].get<std::string>()
                        : "";
                std::string state = "done";
                if (!erased && code != w.code) state = "mismatch";
                if (state == "done" && !erased) {
                    Q wipe(db_, "UPDATE records SET payload = '{}', sealed = '', personal = NULL WHERE id = ?");
                    wipe.bind(1, reg).run();
                    Q del(db_, "DELETE FROM talent_matches WHERE registration_id = ?");
                    del.bind(1, reg).run();
                    Q audit(db_, "INSERT INTO audit_log (at, username, action, target, detail) VALUES (?, 'system', "
                                 "'talent_withdrawn', ?, ?)");
                    audit.bind(1, now).bind(2, reg)
                        .bind(3, "人材バンク登録 " + w.receipt + " を本人の取り消し（" + w.id +
                                     "）により削除しました。氏名・連絡先・登録内容を消去。")
                        .run();
                    ++applied;
                }
                Q mark(db_, "UPDATE talent_withdrawals SET state = ?, registration_id = ?, check_code = '', settled_at = ? "
                            "WHERE id = ?");
                mark.bind(1, state).bind(2, reg).bind(3, now).bind(4, w.id).run();
            }
            tx.commit();
        }
        // The old page images sit in the WAL until a checkpoint: move them into the database
        // file (where secure_delete has overwritten them) and empty the WAL.
        if (applied > 0) sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
        return applied;
    }

    std::vector<TalentWithdrawal> withdrawals() override { return read_withdrawals(-1, 0); }
    std::vector<TalentWithdrawal> withdrawals_page(std::size_t limit, std::size_t offset) override {
        return read_withdrawals(bound(limit), bound(offset));
    }
    std::int64_t withdrawal_count() override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT COUNT(*) FROM talent_withdrawals");
        return q.step() ? q.i64(0) : 0;
    }

    std::int64_t propose_match(const std::string& registration_id, const std::string& request_id,
                               const std::string& note, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        Tx tx(db_);
        {
            Q q(db_, "SELECT 1 FROM records WHERE kind = 'talent' AND personal IS NOT NULL AND id = ?");
            q.bind(1, registration_id);
            if (!q.step()) return 0;
        }
        Q q(db_, "INSERT INTO talent_matches (registration_id, request_id, note, proposed_by, proposed_at, updated_by, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, registration_id).bind(2, request_id).bind(3, note).bind(4, by).bind(5, now).bind(6, by).bind(7, now).run();
        const std::int64_t id = sqlite3_last_insert_rowid(db_);
        tx.commit();
        return id;
    }

    bool set_match_outcome(std::int64_t id, const std::string& outcome, const std::string& note, const std::string& by,
                           const std::string& now) override {
        if (!is_match_outcome(outcome)) return false;
        std::lock_guard lock(mu_);
        Q q(db_, "UPDATE talent_matches SET outcome = ?, note = ?, updated_by = ?, updated_at = ? WHERE id = ?");
        q.bind(1, outcome).bind(2, note).bind(3, by).bind(4, now).bind(5, id).run();
        return sqlite3_changes(db_) > 0;
    }

    std::vector<TalentMatch> matches() override { return read_matches(-1, 0); }
    std::vector<TalentMatch> matches_page(std::size_t limit, std::size_t offset) override {
        return read_matches(bound(limit), bound(offset));
    }
    std::int64_t match_count() override {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT COUNT(*) FROM talent_matches");
        return q.step() ? q.i64(0) : 0;
    }

private:
    // A page's LIMIT or OFFSET as SQLite binds it: a size_t far past any table (SIZE_MAX for
    // "all") would not fit a signed 64-bit integer.
    static std::int64_t bound(std::size_t n) { return static_cast<std::int64_t>(std::min<std::size_t>(n, 100000000)); }

    // limit -1: every row (SQLite's LIMIT -1).
    std::vector<TalentWithdrawal> read_withdrawals(std::int64_t limit, std::int64_t offset) {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT id, receipt, state, registration_id, noted_at, settled_at FROM talent_withdrawals ORDER BY noted_at, id "
                 "LIMIT ? OFFSET ?");
        q.bind(1, limit).bind(2, offset);
        std::vector<TalentWithdrawal> out;
        while (q.step())
            out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
        return out;
    }
    std::vector<TalentMatch> read_matches(std::int64_t limit, std::int64_t offset) {
        std::lock_guard lock(mu_);
        Q q(db_, "SELECT id, registration_id, request_id, outcome, note, proposed_by, proposed_at, updated_by, updated_at "
                 "FROM talent_matches ORDER BY id LIMIT ? OFFSET ?");
        q.bind(1, limit).bind(2, offset);
        std::vector<TalentMatch> out;
        while (q.step()) out.push_back(read_match(q));
        return out;
    }

private:
    sqlite3* db_;
    std::mutex& mu_;
};

}  // namespace

std::unique_ptr<TalentStorage> make_sqlite_talent(sqlite3* db, std::mutex& mu) {
    return std::make_unique<SqliteTalent>(db, mu);
}

}  // namespace kyodo::server
