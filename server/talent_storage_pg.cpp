// PostgreSQL half of TalentStorage (server/talent.h). A connection of its own (talent work is
// a staff member clicking or a rare withdrawal, never the push path), guarded by a mutex,
// re-opened once when it broke. Tables created if missing under an advisory lock, so several
// servers starting on one database do not race on CREATE.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/talent.h"
#include "server/talent.h"
#include "server/pg_conn.h"

namespace kyodo::server {
namespace {

constexpr const char* kSchemaLockKey = "461195865311";

const char* const kTalentSchema = R"sql(
CREATE TABLE IF NOT EXISTS talent_withdrawals (
    id TEXT COLLATE "C" PRIMARY KEY, receipt TEXT COLLATE "C" NOT NULL, check_code TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending', registration_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    noted_at TEXT NOT NULL, settled_at TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS talent_matches (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, registration_id TEXT COLLATE "C" NOT NULL,
    request_id TEXT COLLATE "C" NOT NULL, outcome TEXT NOT NULL DEFAULT 'proposed', note TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL, proposed_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS talent_matches_registration ON talent_matches (registration_id);
CREATE INDEX IF NOT EXISTS records_talent_receipt ON records (receipt) WHERE kind = 'talent';
)sql";

// talent_matches in SQL: $1 help, $2 field, $3 time, $4 area ("" = any; $5 the area every
// registration for the whole city matches), each a string element of the payload's array.
constexpr const char* kSearch =
    "AND ($1::text = '' OR (jsonb_typeof(payload::jsonb -> 'help') = 'array' AND (payload::jsonb -> 'help') ? $1::text)) "
    "AND ($2::text = '' OR (jsonb_typeof(payload::jsonb -> 'fields') = 'array' AND (payload::jsonb -> 'fields') ? $2::text)) "
    "AND ($3::text = '' OR (jsonb_typeof(payload::jsonb -> 'times') = 'array' AND (payload::jsonb -> 'times') ? $3::text)) "
    "AND ($4::text = '' OR (jsonb_typeof(payload::jsonb -> 'areas') = 'array' AND (payload::jsonb -> 'areas') ?| ARRAY[$4::text, $5::text])) ";

using pgc::Res;

class PgTalent final : private pgc::Conn, public TalentStorage {
public:
    explicit PgTalent(const std::string& url) : pgc::Conn(url, "talent bank") {
        std::lock_guard lock(mu_);
        tx([&] {
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kSchemaLockKey});
            script(kTalentSchema);
        });
    }

    std::vector<TalentEntry> registrations() override {
        std::lock_guard lock(mu_);
        return read_entries("WHERE kind = 'talent' AND personal IS NOT NULL ORDER BY seq", {});
    }
    std::vector<TalentEntry> registrations_page(const TalentQuery& q, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        return read_entries(std::string("WHERE kind = 'talent' AND personal IS NOT NULL ") + kSearch + "ORDER BY seq LIMIT " +
                                std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " + std::to_string(std::min<std::size_t>(offset, 100000000)),
                            {q.help, q.field, q.time, q.area, talent::kAnyArea});
    }
    std::int64_t count_registrations(const TalentQuery& q) override {
        std::lock_guard lock(mu_);
        ensure();
        Res r = exec((std::string("SELECT COUNT(*) FROM records WHERE kind = 'talent' AND personal IS NOT NULL ") + kSearch).c_str(),
                     {q.help, q.field, q.time, q.area, talent::kAnyArea});
        return r.rows() ? r.i64(0, 0) : std::int64_t{0};
    }
    std::optional<TalentEntry> registration(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto v = read_entries("WHERE kind = 'talent' AND personal IS NOT NULL AND id = $1", {id});
        if (v.empty()) return std::nullopt;
        return v.front();
    }

    int note_withdrawal(const std::string& withdrawal_id, const std::string& receipt, const std::string& check_code,
                        const std::string& now) override {
        {
            std::lock_guard lock(mu_);
            ensure();
            exec("INSERT INTO talent_withdrawals (id, receipt, check_code, noted_at) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (id) DO NOTHING",
                 {withdrawal_id, receipt, check_code, now});
        }
        return settle_withdrawals(now);
    }

    int settle_withdrawals(const std::string& now) override {
        std::lock_guard lock(mu_);
        int applied = 0;
        tx([&] {
            applied = 0;
            // One settler at a time across servers sharing the database.
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kSchemaLockKey});
            Res pending = exec("SELECT id, receipt, check_code FROM talent_withdrawals WHERE state = 'pending' "
                               "ORDER BY noted_at, id");
            for (int i = 0; i < pending.rows(); ++i) {
                const std::string wid = pending.text(i, 0), receipt = pending.text(i, 1), wcode = pending.text(i, 2);
                Res find = exec("SELECT id, payload, personal IS NULL FROM records WHERE kind = 'talent' AND receipt = $1 "
                                "FOR UPDATE",
                                {receipt});
                if (find.rows() == 0) continue;
                const std::string reg = find.text(0, 0);
                const Json payload = Json::parse(find.text(0, 1), nullptr, false);
                const bool erased = find.text(0, 2) == "t";
                const std::string code =
                    payload.is_object() && payload.contains("check_code") && payload["check_code"].is_string()
                        ? payload["check_code"].get<std::string>()
                        : "";
                std::string state = "done";
                if (!erased && code != wcode) state = "mismatch";
                if (state == "done" && !erased) {
                    exec("UPDATE records SET payload = '{}', sealed = '', personal = NULL WHERE id = $1", {reg});
                    exec("DELETE FROM talent_matches WHERE registration_id = $1", {reg});
                    exec("INSERT INTO audit_log (at, username, action, target, detail) VALUES ($1, 'system', "
                         "'talent_withdrawn', $2, $3)",
                         {now, reg,
                          "人材バンク登録 " + receipt + " を本人の取り消し（" + wid +
                              "）により削除しました。氏名・連絡先・登録内容を消去。"});
                    ++applied;
                }
                exec("UPDATE talent_withdrawals SET state = $1, registration_id = $2, check_code = '', settled_at = $3 "
                     "WHERE id = $4",
                     {state, reg, now, wid});
            }
        });
        return applied;
    }

    std::vector<TalentWithdrawal> withdrawals() override { return read_withdrawals(""); }
    std::vector<TalentWithdrawal> withdrawals_page(std::size_t limit, std::size_t offset) override {
        return read_withdrawals(limit_offset(limit, offset));
    }
    std::int64_t withdrawal_count() override {
        std::lock_guard lock(mu_);
        ensure();
        return exec("SELECT COUNT(*) FROM talent_withdrawals").i64(0, 0);
    }

    std::int64_t propose_match(const std::string& registration_id, const std::string& request_id,
                               const std::string& note, const std::string& by, const std::string& now) override {
        std::lock_guard lock(mu_);
        std::int64_t id = 0;
        tx([&] {
            id = 0;
            Res live = exec("SELECT 1 FROM records WHERE kind = 'talent' AND personal IS NOT NULL AND id = $1 FOR SHARE",
                            {registration_id});
            if (live.rows() == 0) return;
            Res r = exec("INSERT INTO talent_matches (registration_id, request_id, note, proposed_by, proposed_at, "
                         "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $4, $5) RETURNING id",
                         {registration_id, request_id, note, by, now});
            id = r.i64(0, 0);
        });
        return id;
    }

    bool set_match_outcome(std::int64_t id, const std::string& outcome, const std::string& note, const std::string& by,
                           const std::string& now) override {
        if (!is_match_outcome(outcome)) return false;
        std::lock_guard lock(mu_);
        ensure();
        Res r = exec("UPDATE talent_matches SET outcome = $1, note = $2, updated_by = $3, updated_at = $4 WHERE id = $5",
                     {outcome, note, by, now, std::to_string(id)});
        return r.affected() > 0;
    }

    std::vector<TalentMatch> matches() override { return read_matches(""); }
    std::vector<TalentMatch> matches_page(std::size_t limit, std::size_t offset) override { return read_matches(limit_offset(limit, offset)); }
    std::int64_t match_count() override {
        std::lock_guard lock(mu_);
        ensure();
        return exec("SELECT COUNT(*) FROM talent_matches").i64(0, 0);
    }

private:
    static std::string limit_offset(std::size_t limit, std::size_t offset) {
        return " LIMIT " + std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
               std::to_string(std::min<std::size_t>(offset, 100000000));
    }
    std::vector<TalentWithdrawal> read_withdrawals(const std::string& page) {
        std::lock_guard lock(mu_);
        ensure();
        Res r = exec((std::string("SELECT id, receipt, state, registration_id, noted_at, settled_at FROM talent_withdrawals "
                                  "ORDER BY noted_at, id") + page).c_str());
        std::vector<TalentWithdrawal> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)});
        return out;
    }
    std::vector<TalentMatch> read_matches(const std::string& page) {
        std::lock_guard lock(mu_);
        ensure();
        Res r = exec((std::string("SELECT id, registration_id, request_id, outcome, note, proposed_by, proposed_at, updated_by, "
                                  "updated_at FROM talent_matches ORDER BY id") + page).c_str());
        std::vector<TalentMatch> out;
        for (int i = 0; i < r.rows(); ++i) {
            TalentMatch m;
            m.id = r.i64(i, 0); m.registration_id = r.text(i, 1); m.request_id = r.text(i, 2);
            m.outcome = r.text(i, 3); m.note = r.text(i, 4); m.proposed_by = r.text(i, 5);
            m.proposed_at = r.text(i, 6); m.updated_by = r.text(i, 7); m.updated_at = r.text(i, 8);
            out.push_back(std::move(m));
        }
        return out;
    }

private:
    std::vector<TalentEntry> read_entries(const std::string& where, std::initializer_list<std::string> params) {
        ensure();
        const std::string sql = "SELECT id, receipt, kiosk_id, centre_id, created_at, received_at, payload, "
                                "COALESCE(personal, '') FROM records " + where;
        Res r = exec(sql.c_str(), params);
        std::vector<TalentEntry> out;
        for (int i = 0; i < r.rows(); ++i) {
            TalentEntry e;
            e.id = r.text(i, 0); e.receipt = r.text(i, 1); e.kiosk_id = r.text(i, 2); e.centre_id = r.text(i, 3);
            e.created_at = r.text(i, 4); e.received_at = r.text(i, 5);
            e.payload = Json::parse(r.text(i, 6), nullptr, false);
            if (!e.payload.is_object()) e.payload = Json::object();
            e.personal = Json::parse(r.text(i, 7), nullptr, false);
            if (!e.personal.is_object()) e.personal = Json::object();
            out.push_back(std::move(e));
        }
        return out;
    }

    std::mutex mu_;
};

}  // namespace

std::unique_ptr<TalentStorage> make_pg_talent(const std::string& url) { return std::make_unique<PgTalent>(url); }

}  // namespace kyodo::server
