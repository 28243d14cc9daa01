// CivicStorage (server/civic.h) once, over a thin SQL layer with two backends: SQLite on the
// storage's connection (under its mutex) and PostgreSQL on a connection of its own. The SQL is
// written with SQLite's ?N parameters; the PostgreSQL backend rewrites them to $N. Lists
// (methods, partners, fields, steps …) are JSON text columns: they are read and written with
// their row and counted in C++ (a year has hundreds of projects, not millions).
//
// Schema: forward-only numbered migrations in kMigrations, recorded in civic_schema (its own
// version, independent of the records and admin schemas); PostgreSQL applies them under an
// advisory lock so two servers starting at once do not race. Never edit a shipped migration.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>
#include <functional>
#include <tuple>

#include "core/uuid.h"
#include "core/timeutil.h"
#include "server/civic.h"
#include "server/storage.h"
#include "server/web/text.h"

namespace kyodo::server {

const std::vector<std::string>& project_statuses() {
    static const std::vector<std::string> s = {"planned", "running", "done", "stopped"};
    return s;
}
// The labels below are shown on the dashboard: they come from the dashboard's string tables
// (assets/i18n/dashboard/<lang>/civic.json) in the language of the request being served.
std::string project_status_ja(const std::string& c) {
    if (c == "planned") return web::tr("civic.project_status.planned");
    if (c == "running") return web::tr("civic.project_status.running");
    if (c == "done") return web::tr("civic.project_status.done");
    if (c == "stopped") return web::tr("civic.project_status.stopped");
    return "—";
}
const std::vector<std::pair<std::string, std::string>>& agreement_steps() {
    static const std::pair<const char*, const char*> steps[] = {
        {"proposed", "civic.agreement_step.proposed"},   {"heard", "civic.agreement_step.heard"},
        {"coordinated", "civic.agreement_step.coordinated"}, {"consulted", "civic.agreement_step.consulted"},
        {"drafted", "civic.agreement_step.drafted"},     {"reviewed", "civic.agreement_step.reviewed"},
        {"signed", "civic.agreement_step.signed"},
    };
    // One list per language and thread, built on first use: the reference stays valid (and the
    // same) for the thread's life, so two calls can be compared (begin() of one, end() of another).
    static thread_local std::array<std::vector<std::pair<std::string, std::string>>, 2> by_lang;
    auto& s = by_lang[web::current_lang() == web::Lang::En ? 1 : 0];
    if (s.empty())
        for (const auto& [code, key] : steps) s.emplace_back(code, web::tr(key));
    return s;
}
std::string agreement_step_label(const std::string& step) {
    for (const auto& [code, label] : agreement_steps())
        if (code == step) return label;
    return step;
}
std::string agreement_kind_ja(const std::string& k) {
    if (k == "individual") return web::tr("civic.agreement_kind.individual");
    if (k == "comprehensive") return web::tr("civic.agreement_kind.comprehensive");
    return "—";
}
std::string agreement_status_ja(const std::string& s) {
    if (s == "negotiating") return web::tr("civic.agreement_status.negotiating");
    if (s == "valid") return web::tr("civic.agreement_status.valid");
    if (s == "ended") return web::tr("civic.agreement_status.ended");
    return "—";
}
bool agreement_valid_on(const Agreement& a, const std::string& date) {
    if (a.status != "valid" || a.signed_on.empty() || a.signed_on > date) return false;
    return a.ends_on.empty() || a.ends_on >= date;
}

namespace {

using Param = std::optional<std::string>;
using Rows = std::vector<std::vector<std::string>>;   // NULL reads as ""

// One connection, used under a mutex, with transactions.
class Sql {
public:
    virtual ~Sql() = default;
    virtual bool pg() const = 0;
    // `sql` uses ?1 ?2 …; returns every row as text.
    virtual Rows q(const std::string& sql, const std::vector<Param>& p = {}) = 0;
    virtual void script(const std::string& sql) = 0;
    virtual std::mutex& mu() = 0;
    // Runs fn in a transaction under the mutex; rolls back when it throws.
    template <class F>
    auto tx(F&& fn) -> decltype(fn()) {
        std::lock_guard lock(mu());
        return run_tx(std::forward<F>(fn));
    }

protected:
    template <class F>
    auto run_tx(F&& fn) -> decltype(fn()) {
        script(pg() ? "BEGIN" : "BEGIN IMMEDIATE");
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                script("COMMIT");
            } else {
                auto r = fn();
                script("COMMIT");
                return r;
            }
        } catch (...) {
            rollback_quietly();
            throw;
        }
    }
    virtual void rollback_quietly() = 0;
};

class SqliteSql final : public Sql {
public:
    SqliteSql(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {}
    bool pg() const override { return false; }
    std::mutex& mu() override { return mu_; }
    Rows q(const std::string& sql, const std::vector<Param>& p) override {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw StorageError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
        struct Fin {
            sqlite3_stmt* s;
            ~Fin() { sqlite3_finalize(s); }
        } fin{st};
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (p[i]) sqlite3_bind_text(st, static_cast<int>(i + 1), p[i]->data(), static_cast<int>(p[i]->size()), SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, static_cast<int>(i + 1));
        }
        Rows out;
        for (;;) {
            const int rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) throw StorageError(std::string("sqlite: ") + sqlite3_errmsg(db_));
            std::vector<std::string> row;
            for (int c = 0, n = sqlite3_column_count(st); c < n; ++c) {
                const auto* t = sqlite3_column_text(st, c);
                row.emplace_back(t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(st, c)))
                                   : std::string());
            }
            out.push_back(std::move(row));
        }
        return out;
    }
    void script(const std::string& sql) override {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw StorageError("sqlite: " + msg);
        }
    }

protected:
    void rollback_quietly() override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

private:
    sqlite3* db_;
    std::mutex& mu_;
};

class PgSql final : public Sql {
public:
    explicit PgSql(const std::string& url) : c_(PQconnectdb(url.c_str())) {
        if (!c_ || PQstatus(c_) != CONNECTION_OK) {
            const std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
            PQfinish(c_);
            c_ = nullptr;
            throw StorageError("cannot connect to PostgreSQL for the civic registers: " + msg);
        }
        setup();
    }
    ~PgSql() override { PQfinish(c_); }
    bool pg() const override { return true; }
    std::mutex& mu() override { return mu_; }

    Rows q(const std::string& sql, const std::vector<Param>& p) override {
        const std::string text = dollars(sql);
        std::vector<const char*> v;
        for (const Param& x : p) v.push_back(x ? x->c_str() : nullptr);
        PGresult* r = PQexecParams(c_, text.c_str(), static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0);
        check(r, sql);
        Rows out;
        for (int i = 0, n = PQntuples(r); i < n; ++i) {
            std::vector<std::string> row;
            for (int c = 0, m = PQnfields(r); c < m; ++c)
                row.emplace_back(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)));
            out.push_back(std::move(row));
        }
        PQclear(r);
        return out;
    }
    void script(const std::string& sql) override {
        if (PQstatus(c_) != CONNECTION_OK && sql.rfind("BEGIN", 0) == 0) {   // re-open a broken connection between transactions
            PQreset(c_);
            if (PQstatus(c_) == CONNECTION_OK) setup();
        }
        PGresult* r = PQexec(c_, sql.c_str());
        check(r, sql);
        PQclear(r);
    }

protected:
    void rollback_quietly() override {
        if (PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) != PQTRANS_IDLE) PQclear(PQexec(c_, "ROLLBACK"));
    }

private:
    void setup() {
        PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
        PQclear(PQexec(c_, "SET client_encoding = 'UTF8'"));
    }
    // ?N → $N outside quoted strings (our SQL has no ? in literals, but be safe).
    static std::string dollars(const std::string& s) {
        std::string o;
        bool quoted = false;
        for (char ch : s) {
            if (ch == '\'') quoted = !quoted;
            o += (!quoted && ch == '?') ? '$' : ch;
        }
        return o;
    }
    void check(PGresult* r, const std::string& sql) {
        const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string msg = r ? PQresultErrorMessage(r) : "";
        if (msg.empty()) msg = PQerrorMessage(c_);
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        PQclear(r);
        throw StorageError("postgresql: " + msg + " (in: " + sql.substr(0, 80) + ")");
    }

    PGconn* c_ = nullptr;
    std::mutex mu_;
};

// Migrations: {C} is the byte-order collation for keys on PostgreSQL (nothing on SQLite, whose
// default is byte order), {REAL} a double.
const char* const kMigrations[] = {
    // 1: projects and their listings, agreements, indicator years and their audit trail, the
    // staff survey.
    R"sql(
CREATE TABLE projects (
    id TEXT {C} PRIMARY KEY,
    fiscal_year INTEGER NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    form TEXT NOT NULL,
    methods TEXT NOT NULL,
    partners TEXT NOT NULL DEFAULT '[]',
    budget_yen BIGINT NOT NULL DEFAULT -1,
    goals TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '');
CREATE INDEX projects_year ON projects (fiscal_year, id);
CREATE TABLE project_listings (
    listing_id TEXT {C} PRIMARY KEY,
    project_id TEXT {C} NOT NULL REFERENCES projects (id) ON DELETE CASCADE);
CREATE INDEX project_listings_project ON project_listings (project_id);
CREATE TABLE agreements (
    id TEXT {C} PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    partner_org_id TEXT NOT NULL DEFAULT '',
    partner_name TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '[]',
    departments TEXT NOT NULL DEFAULT '[]',
    signed_on TEXT {C} NOT NULL DEFAULT '',
    ends_on TEXT NOT NULL DEFAULT '',
    renewed_on TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    steps TEXT NOT NULL DEFAULT '[]',
    initiatives TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '');
CREATE TABLE indicator_years (
    code TEXT {C} NOT NULL,
    fiscal_year INTEGER NOT NULL,
    target {REAL},
    measured {REAL},
    respondents BIGINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (code, fiscal_year));
CREATE TABLE indicator_changes (
    id TEXT {C} PRIMARY KEY,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    code TEXT {C} NOT NULL,
    fiscal_year INTEGER NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '');
CREATE INDEX indicator_changes_code ON indicator_changes (code, id);
CREATE TABLE staff_survey (
    fiscal_year INTEGER NOT NULL,
    username TEXT {C} NOT NULL,
    can_explain INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, username));
)sql",
    // 2: seed 002's evaluation sheets (per project, fiscal year, stage and evaluator), the
    // partner's per-project link (hashed token), the departments' check sheets.
    R"sql(
CREATE TABLE evaluations (
    project_id TEXT {C} NOT NULL,
    fiscal_year INTEGER NOT NULL,
    stage TEXT {C} NOT NULL,
    evaluator TEXT {C} NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    comment TEXT NOT NULL DEFAULT '',
    by_name TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, fiscal_year, stage, evaluator));
CREATE TABLE evaluation_links (
    project_id TEXT {C} PRIMARY KEY,
    token_hash TEXT {C} NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT NOT NULL DEFAULT '');
CREATE TABLE check_sheets (
    id TEXT {C} PRIMARY KEY,
    fiscal_year INTEGER NOT NULL,
    service TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL DEFAULT '{}',
    result TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    by_name TEXT NOT NULL DEFAULT '',
    at TEXT {C} NOT NULL DEFAULT '');
CREATE INDEX check_sheets_year ON check_sheets (fiscal_year, at);
)sql",
    // 3: fiscal years closed by the office, with the year's projects as they were.
    R"sql(
CREATE TABLE closed_years (
    fiscal_year INTEGER PRIMARY KEY,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    snapshot TEXT NOT NULL);
)sql",
    // 4: department accounts (the department a staff account answers for) and each
    // department's answer to the year's 実績調査.
    R"sql(
CREATE TABLE staff_departments (
    username TEXT {C} PRIMARY KEY,
    department TEXT NOT NULL);
CREATE TABLE department_answers (
    fiscal_year INTEGER NOT NULL,
    department TEXT {C} NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    projects INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, department));
)sql",
    // 5: reviewers' scores of citizens' proposals, and the project an adopted proposal became.
    R"sql(
CREATE TABLE proposal_reviews (
    proposal_id TEXT {C} NOT NULL,
    reviewer TEXT {C} NOT NULL,
    scores TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, reviewer));
CREATE TABLE proposal_projects (
    proposal_id TEXT {C} PRIMARY KEY,
    project_id TEXT {C} NOT NULL,
    linked_by TEXT NOT NULL,
    at TEXT NOT NULL);
)sql",
};
constexpr int kCivicSchema = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
// pg_advisory_xact_lock key for these migrations ("civic" in ASCII).
constexpr const char* kCivicLockKey = "426428163427";

std::string dialect(std::string sql, bool pg) {
    auto sub = [&](const std::string& from, const std::string& to) {
        for (std::size_t at; (at = sql.find(from)) != std::string::npos;) sql.replace(at, from.size(), to);
    };
    sub("{C}", pg ? "COLLATE \"C\"" : "");
    sub("{REAL}", pg ? "DOUBLE PRECISION" : "REAL");
    return sql;
}

std::int64_t to_i64(const std::string& s, std::int64_t dflt = 0) {
    try {
        return s.empty() ? dflt : std::stoll(s);
    } catch (const std::exception&) {
        return dflt;
    }
}
std::optional<double> to_opt_double(const std::string& s) {
    if (s.empty()) return std::nullopt;
    try {
        return std::stod(s);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}
std::string num_text(std::optional<double> v) {
    if (!v) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", *v);
    return buf;
}
Param opt_param(std::optional<double> v) {
    if (!v) return std::nullopt;
    return num_text(v);
}

Json strings_json(const std::vector<std::string>& v) {
    Json a = Json::array();
    for (const auto& s : v) a.push_back(s);
    return a;
}
std::vector<std::string> json_strings(const std::string& text) {
    std::vector<std::string> out;
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_array())
        for (const Json& x : j)
            if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
}
std::string jget(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }

Json partners_json(const std::vector<Partner>& v) {
    Json a = Json::array();
    for (const auto& p : v) a.push_back({{"org_id", p.org_id}, {"name", p.name}});
    return a;
}
std::vector<Partner> json_partners(const std::string& text) {
    std::vector<Partner> out;
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_array())
        for (const Json& x : j)
            if (x.is_object()) out.push_back({jget(x, "org_id"), jget(x, "name")});
    return out;
}

constexpr const char* kProjectCols =
    "SELECT id, fiscal_year, title, department, form, methods, partners, budget_yen, goals, status, note, updated_by, "
    "updated_at FROM projects ";
constexpr const char* kAgreementCols =
    "SELECT id, kind, title, partner_org_id, partner_name, fields, departments, signed_on, ends_on, renewed_on, status, steps, "
    "initiatives, note, updated_by, updated_at FROM agreements ";

class CivicStore final : public CivicStorage {
public:
    explicit CivicStore(std::unique_ptr<Sql> sql) : sql_(std::move(sql)) { migrate(); }

    // --- projects ---------------------------------------------------------------
    void put_project(const Project& p) override {
        sql_->tx([&] { write_project(p); });
    }
    int put_projects(const std::vector<Project>& ps) override {
        return sql_->tx([&] {
            for (const Project& p : ps) write_project(p);
            return static_cast<int>(ps.size());
        });
    }
    std::optional<Project> project(const std::string& id) override {
        return sql_->tx([&]() -> std::optional<Project> {
            auto v = read_projects(std::string(kProjectCols) + "WHERE id = ?1", {id});
            if (v.empty()) return std::nullopt;
            return v.front();
        });
    }
    std::vector<Project> projects(int fy) override {
        return sql_->tx([&] {
            return fy ? read_projects(std::string(kProjectCols) + "WHERE fiscal_year = ?1 ORDER BY fiscal_year, id", {std::to_string(fy)})
                      : read_projects(std::string(kProjectCols) + "ORDER BY fiscal_year, id", {});
        });
    }
    std::vector<int> project_years() override {
        return sql_->tx([&] {
            std::vector<int> out;
            for (const auto& r : sql_->q("SELECT DISTINCT fiscal_year FROM projects ORDER BY fiscal_year"))
                out.push_back(static_cast<int>(to_i64(r[0])));
            return out;
        });
    }
    std::vector<Project> projects_page(int fy, std::size_t limit, std::size_t offset) override {
        const std::string page = "WHERE fiscal_year = ?1 ORDER BY id" + limit_offset(limit, offset);
        return sql_->tx([&] {
            return read_projects(std::string(kProjectCols) + page, {std::to_string(fy)},
                                 "SELECT listing_id, project_id FROM project_listings WHERE project_id IN (SELECT id FROM projects " + page +
                                     ") ORDER BY listing_id");
        });
    }
    std::int64_t project_count(int fy) override {
        return sql_->tx([&] { return to_i64(sql_->q("SELECT COUNT(*) FROM projects WHERE fiscal_year = ?1", {std::to_string(fy)}).at(0).at(0)); });
    }
    bool delete_project(const std::string& id) override {
        return sql_->tx([&] {
            sql_->q("DELETE FROM project_listings WHERE project_id = ?1", {id});
            sql_->q("DELETE FROM evaluations WHERE project_id = ?1", {id});
            sql_->q("DELETE FROM evaluation_links WHERE project_id = ?1", {id});
            return !sql_->q("DELETE FROM projects WHERE id = ?1 RETURNING id", {id}).empty();
        });
    }
    bool link_listing(const std::string& listing_id, const std::string& project_id) override {
        return sql_->tx([&] {
            if (project_id.empty()) {
                sql_->q("DELETE FROM project_listings WHERE listing_id = ?1", {listing_id});
                return true;
            }
            if (sql_->q("SELECT 1 FROM projects WHERE id = ?1", {project_id}).empty()) return false;
            sql_->q("INSERT INTO project_listings (listing_id, project_id) VALUES (?1, ?2) "
                    "ON CONFLICT (listing_id) DO UPDATE SET project_id = excluded.project_id",
                    {listing_id, project_id});
            return true;
        });
    }
    std::map<std::string, std::string> listing_projects() override {
        return sql_->tx([&] {
            std::map<std::string, std::string> out;
            for (const auto& r : sql_->q("SELECT listing_id, project_id FROM project_listings")) out[r[0]] = r[1];
            return out;
        });
    }

    // --- agreements ---------------------------------------------------------------
    void put_agreement(const Agreement& a) override {
        sql_->tx([&] { write_agreement(a); });
    }
    int put_agreements(const std::vector<Agreement>& as) override {
        return sql_->tx([&] {
            for (const Agreement& a : as) write_agreement(a);
            return static_cast<int>(as.size());
        });
    }
    std::optional<Agreement> agreement(const std::string& id) override {
        return sql_->tx([&]() -> std::optional<Agreement> {
            auto v = read_agreements(std::string(kAgreementCols) + "WHERE id = ?1", {id});
            if (v.empty()) return std::nullopt;
            return v.front();
        });
    }
    std::vector<Agreement> agreements() override {
        return sql_->tx([&] { return read_agreements(std::string(kAgreementCols) + "ORDER BY signed_on, id", {}); });
    }
    std::vector<Agreement> agreements_page(std::size_t limit, std::size_t offset) override {
        return sql_->tx([&] { return read_agreements(std::string(kAgreementCols) + "ORDER BY signed_on, id" + limit_offset(limit, offset), {}); });
    }
    std::int64_t agreement_count() override {
        return sql_->tx([&] { return to_i64(sql_->q("SELECT COUNT(*) FROM agreements").at(0).at(0)); });
    }
    std::vector<Agreement> agreements_valid_on(const std::string& date) override {
        return sql_->tx([&] {
            return read_agreements(std::string(kAgreementCols) +
                                       "WHERE status = 'valid' AND signed_on <> '' AND signed_on <= ?1 AND (ends_on = '' OR ends_on >= ?1) "
                                       "ORDER BY signed_on, id",
                                   {date});
        });
    }
    bool delete_agreement(const std::string& id) override {
        return sql_->tx([&] { return !sql_->q("DELETE FROM agreements WHERE id = ?1 RETURNING id", {id}).empty(); });
    }

    // --- indicators -------------------------------------------------------------------
    std::vector<IndicatorYear> indicator_years() override {
        return sql_->tx([&] {
            std::vector<IndicatorYear> out;
            for (const auto& r : sql_->q("SELECT code, fiscal_year, target, measured, respondents, source, updated_by, updated_at "
                                         "FROM indicator_years ORDER BY code, fiscal_year"))
                out.push_back(read_indicator(r));
            return out;
        });
    }
    int set_indicator_year(const IndicatorYear& v, const std::string& reason) override {
        return sql_->tx([&] {
            IndicatorYear old;
            const auto rows = sql_->q("SELECT code, fiscal_year, target, measured, respondents, source, updated_by, updated_at "
                                      "FROM indicator_years WHERE code = ?1 AND fiscal_year = ?2",
                                      {v.code, std::to_string(v.fiscal_year)});
            if (!rows.empty()) old = read_indicator(rows.front());
            std::vector<std::array<std::string, 3>> changes;
            auto diff = [&](const char* field, const std::string& a, const std::string& b) {
                if (a != b) changes.push_back({field, a, b});
            };
            diff("target", num_text(old.target), num_text(v.target));
            diff("measured", num_text(old.measured), num_text(v.measured));
            diff("respondents", old.respondents ? std::to_string(old.respondents) : "", v.respondents ? std::to_string(v.respondents) : "");
            diff("source", old.source, v.source);
            if (changes.empty()) return 0;
            sql_->q("INSERT INTO indicator_years (code, fiscal_year, target, measured, respondents, source, updated_by, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (code, fiscal_year) DO UPDATE SET target = excluded.target, "
                    "measured = excluded.measured, respondents = excluded.respondents, source = excluded.source, "
                    "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    {v.code, std::to_string(v.fiscal_year), opt_param(v.target), opt_param(v.measured), std::to_string(v.respondents),
                     v.source, v.updated_by, v.updated_at});
            for (const auto& [field, a, b] : changes)
                sql_->q("INSERT INTO indicator_changes (id, at, username, code, fiscal_year, field, old_value, new_value, reason) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        {new_uuid_v7(), v.updated_at, v.updated_by, v.code, std::to_string(v.fiscal_year), field, a, b, reason});
            return static_cast<int>(changes.size());
        });
    }
    std::vector<IndicatorChange> indicator_changes(const std::string& code) override {
        return sql_->tx([&] {
            std::vector<IndicatorChange> out;
            const std::string cols = "SELECT id, at, username, code, fiscal_year, field, old_value, new_value, reason FROM indicator_changes ";
            const Rows rows = code.empty() ? sql_->q(cols + "ORDER BY id DESC") : sql_->q(cols + "WHERE code = ?1 ORDER BY id DESC", {code});
            for (const auto& r : rows)
                out.push_back({r[0], r[1], r[2], r[3], static_cast<int>(to_i64(r[4])), r[5], r[6], r[7], r[8]});
            return out;
        });
    }

    // --- staff survey -------------------------------------------------------------------
    void put_staff_answer(int fy, const std::string& user, bool yes, const std::string& now) override {
        sql_->tx([&] {
            sql_->q("INSERT INTO staff_survey (fiscal_year, username, can_explain, answered_at) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT (fiscal_year, username) DO UPDATE SET can_explain = excluded.can_explain, answered_at = excluded.answered_at",
                    {std::to_string(fy), user, yes ? "1" : "0", now});
        });
    }
    std::optional<bool> staff_answer(int fy, const std::string& user) override {
        return sql_->tx([&]() -> std::optional<bool> {
            const auto r = sql_->q("SELECT can_explain FROM staff_survey WHERE fiscal_year = ?1 AND username = ?2", {std::to_string(fy), user});
            if (r.empty()) return std::nullopt;
            return r[0][0] == "1";
        });
    }
    std::map<int, StaffSurveyTotal> staff_survey_totals() override {
        return sql_->tx([&] {
            std::map<int, StaffSurveyTotal> out;
            for (const auto& r : sql_->q("SELECT fiscal_year, COUNT(*), SUM(can_explain) FROM staff_survey GROUP BY fiscal_year"))
                out[static_cast<int>(to_i64(r[0]))] = {static_cast<int>(to_i64(r[1])), static_cast<int>(to_i64(r[2]))};
            return out;
        });
    }

    // --- evaluation sheets, the partner's link, check sheets --------------------------------
    void put_evaluation(const EvaluationSheet& e) override {
        Json a = Json::object();
        for (const auto& [n, v] : e.answers) a[std::to_string(n)] = v;
        sql_->tx([&] {
            sql_->q("INSERT INTO evaluations (project_id, fiscal_year, stage, evaluator, answers, comment, by_name, at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (project_id, fiscal_year, stage, evaluator) DO UPDATE SET "
                    "answers = excluded.answers, comment = excluded.comment, by_name = excluded.by_name, at = excluded.at",
                    {e.project_id, std::to_string(e.fiscal_year), e.stage, e.evaluator, a.dump(), e.comment, e.by, e.at});
        });
    }
    std::vector<EvaluationSheet> evaluations(const std::string& project_id) override {
        auto out = sql_->tx([&] {
            std::vector<EvaluationSheet> v;
            for (const auto& r : sql_->q("SELECT project_id, fiscal_year, stage, evaluator, answers, comment, by_name, at FROM evaluations "
                                         "WHERE project_id = ?1",
                                         {project_id})) {
                EvaluationSheet e;
                e.project_id = r[0];
                e.fiscal_year = static_cast<int>(to_i64(r[1]));
                e.stage = r[2];
                e.evaluator = r[3];
                const Json a = Json::parse(r[4], nullptr, false);
                if (a.is_object())
                    for (auto it = a.begin(); it != a.end(); ++it)
                        if (it.value().is_string())
                            if (const auto n = to_i64(it.key(), -1); n > 0) e.answers[static_cast<int>(n)] = it.value().get<std::string>();
                e.comment = r[5];
                e.by = r[6];
                e.at = r[7];
                v.push_back(std::move(e));
            }
            return v;
        });
        // The sheet's order of stages (plan, do, result, improve), not the alphabet's.
        auto rank = [](const std::string& st) {
            static const char* const order[] = {"plan", "do", "result", "improve"};
            for (int i = 0; i < 4; ++i)
                if (st == order[i]) return i;
            return 4;
        };
        std::sort(out.begin(), out.end(), [&](const EvaluationSheet& a, const EvaluationSheet& b) {
            return std::tuple(a.fiscal_year, rank(a.stage), a.stage, a.evaluator) < std::tuple(b.fiscal_year, rank(b.stage), b.stage, b.evaluator);
        });
        return out;
    }
    void put_evaluation_link(const EvaluationLink& l) override {
        sql_->tx([&] {
            sql_->q("INSERT INTO evaluation_links (project_id, token_hash, created_at, created_by, revoked, revoked_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (project_id) DO UPDATE SET token_hash = excluded.token_hash, "
                    "created_at = excluded.created_at, created_by = excluded.created_by, revoked = excluded.revoked, "
                    "revoked_at = excluded.revoked_at",
                    {l.project_id, l.token_hash, l.created_at, l.created_by, l.revoked ? "1" : "0", l.revoked_at});
        });
    }
    bool revoke_evaluation_link(const std::string& project_id, const std::string& now) override {
        return sql_->tx([&] {
            return !sql_->q("UPDATE evaluation_links SET revoked = 1, revoked_at = ?2 WHERE project_id = ?1 AND revoked = 0 RETURNING project_id",
                            {project_id, now})
                        .empty();
        });
    }
    std::optional<EvaluationLink> evaluation_link(const std::string& project_id) override {
        return read_link("WHERE project_id = ?1", project_id);
    }
    std::optional<EvaluationLink> evaluation_link_by_token(const std::string& token_hash) override {
        return read_link("WHERE token_hash = ?1 AND revoked = 0", token_hash);
    }
    void put_check_sheet(const CheckSheet& c) override {
        Json a = Json::object();
        for (const auto& [k, v] : c.answers) a[k] = v;
        sql_->tx([&] {
            sql_->q("INSERT INTO check_sheets (id, fiscal_year, service, department, answers, result, note, by_name, at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET fiscal_year = excluded.fiscal_year, "
                    "service = excluded.service, department = excluded.department, answers = excluded.answers, result = excluded.result, "
                    "note = excluded.note, by_name = excluded.by_name, at = excluded.at",
                    {c.id, std::to_string(c.fiscal_year), c.service, c.department, a.dump(), c.result, c.note, c.by, c.at});
        });
    }
    std::vector<CheckSheet> check_sheets(int fy) override {
        const std::string cols = "SELECT id, fiscal_year, service, department, answers, result, note, by_name, at FROM check_sheets ";
        return sql_->tx([&] {
            return fy ? read_check_sheets(cols + "WHERE fiscal_year = ?1 ORDER BY at DESC, id", {std::to_string(fy)})
                      : read_check_sheets(cols + "ORDER BY fiscal_year DESC, at DESC, id", {});
        });
    }
    std::vector<CheckSheet> check_sheets_page(int fy, std::size_t limit, std::size_t offset) override {
        return sql_->tx([&] {
            return read_check_sheets("SELECT id, fiscal_year, service, department, answers, result, note, by_name, at FROM check_sheets "
                                     "WHERE fiscal_year = ?1 ORDER BY at DESC, id" + limit_offset(limit, offset),
                                     {std::to_string(fy)});
        });
    }
    std::map<std::string, std::int64_t> check_sheet_results(int fy) override {
        return sql_->tx([&] {
            std::map<std::string, std::int64_t> out;
            for (const auto& r : sql_->q("SELECT result, COUNT(*) FROM check_sheets WHERE fiscal_year = ?1 GROUP BY result", {std::to_string(fy)}))
                out[r[0]] = to_i64(r[1]);
            return out;
        });
    }
    std::vector<int> check_sheet_years() override {
        return sql_->tx([&] {
            std::vector<int> out;
            for (const auto& r : sql_->q("SELECT DISTINCT fiscal_year FROM check_sheets ORDER BY fiscal_year"))
                out.push_back(static_cast<int>(to_i64(r[0])));
            return out;
        });
    }
    std::optional<CheckSheet> check_sheet(const std::string& id) override {
        return sql_->tx([&]() -> std::optional<CheckSheet> {
            auto v = read_check_sheets("SELECT id, fiscal_year, service, department, answers, result, note, by_name, at FROM check_sheets WHERE id = ?1",
                                       {id});
            if (v.empty()) return std::nullopt;
            return v.front();
        });
    }

    // --- department accounts and the 実績調査 ------------------------------------------------
    void put_staff_department(const std::string& user, const std::string& department) override {
        sql_->tx([&] {
            if (department.empty())
                sql_->q("DELETE FROM staff_departments WHERE username = ?1", {user});
            else
                sql_->q("INSERT INTO staff_departments (username, department) VALUES (?1, ?2) "
                        "ON CONFLICT (username) DO UPDATE SET department = excluded.department",
                        {user, department});
        });
    }
    std::string staff_department(const std::string& user) override {
        return sql_->tx([&] {
            const auto r = sql_->q("SELECT department FROM staff_departments WHERE username = ?1", {user});
            return r.empty() ? std::string() : r[0][0];
        });
    }
    std::map<std::string, std::string> staff_departments() override {
        return sql_->tx([&] {
            std::map<std::string, std::string> out;
            for (const auto& r : sql_->q("SELECT username, department FROM staff_departments")) out[r[0]] = r[1];
            return out;
        });
    }
    void put_department_answer(const DepartmentAnswer& a) override {
        sql_->tx([&] {
            sql_->q("INSERT INTO department_answers (fiscal_year, department, answered_by, answered_at, projects) VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT (fiscal_year, department) DO UPDATE SET answered_by = excluded.answered_by, "
                    "answered_at = excluded.answered_at, projects = excluded.projects",
                    {std::to_string(a.fiscal_year), a.department, a.answered_by, a.answered_at, std::to_string(a.projects)});
        });
    }
    std::vector<DepartmentAnswer> department_answers(int fy) override {
        return sql_->tx([&] {
            std::vector<DepartmentAnswer> out;
            for (const auto& r : sql_->q("SELECT fiscal_year, department, answered_by, answered_at, projects FROM department_answers "
                                         "WHERE fiscal_year = ?1 ORDER BY department",
                                         {std::to_string(fy)}))
                out.push_back({static_cast<int>(to_i64(r[0])), r[1], r[2], r[3], static_cast<int>(to_i64(r[4]))});
            return out;
        });
    }

    // --- proposals ------------------------------------------------------------------------------
    void put_proposal_review(const ProposalReview& r) override {
        Json scores = Json::object();
        for (const auto& [k, v] : r.scores) scores[k] = v;
        sql_->tx([&] {
            sql_->q("INSERT INTO proposal_reviews (proposal_id, reviewer, scores, comment, at) VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT (proposal_id, reviewer) DO UPDATE SET scores = excluded.scores, comment = excluded.comment, at = excluded.at",
                    {r.proposal_id, r.reviewer, scores.dump(), r.comment, r.at});
        });
    }
    std::vector<ProposalReview> proposal_reviews(const std::string& id) override {
        return sql_->tx([&] {
            std::vector<ProposalReview> out;
            for (const auto& row : sql_->q("SELECT proposal_id, reviewer, scores, comment, at FROM proposal_reviews WHERE proposal_id = ?1 "
                                           "ORDER BY reviewer",
                                           {id})) {
                ProposalReview r{row[0], row[1], {}, row[3], row[4]};
                const Json j = Json::parse(row[2], nullptr, false);
                if (j.is_object())
                    for (const auto& [k, v] : j.items())
                        if (v.is_number_integer()) r.scores[k] = v.get<int>();
                out.push_back(std::move(r));
            }
            return out;
        });
    }
    bool link_proposal_project(const std::string& proposal_id, const std::string& project_id, const std::string& by,
                               const std::string& at) override {
        return sql_->tx([&] {
            return !sql_->q("INSERT INTO proposal_projects (proposal_id, project_id, linked_by, at) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (proposal_id) DO NOTHING RETURNING proposal_id",
                            {proposal_id, project_id, by, at})
                        .empty();
        });
    }
    std::map<std::string, std::string> proposal_projects() override {
        return sql_->tx([&] {
            std::map<std::string, std::string> out;
            for (const auto& r : sql_->q("SELECT proposal_id, project_id FROM proposal_projects")) out[r[0]] = r[1];
            return out;
        });
    }

    bool close_year(const ClosedYear& y) override {
        return sql_->tx([&] {
            return !sql_->q("INSERT INTO closed_years (fiscal_year, closed_by, closed_at, snapshot) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (fiscal_year) DO NOTHING RETURNING fiscal_year",
                            {std::to_string(y.fiscal_year), y.closed_by, y.closed_at, y.snapshot})
                        .empty();
        });
    }
    std::optional<ClosedYear> closed_year(int fy) override {
        return sql_->tx([&]() -> std::optional<ClosedYear> {
            const auto r = sql_->q("SELECT fiscal_year, closed_by, closed_at, snapshot FROM closed_years WHERE fiscal_year = ?1", {std::to_string(fy)});
            if (r.empty()) return std::nullopt;
            return ClosedYear{static_cast<int>(to_i64(r[0][0])), r[0][1], r[0][2], r[0][3]};
        });
    }

private:
    std::optional<EvaluationLink> read_link(const std::string& where, const std::string& key) {
        return sql_->tx([&]() -> std::optional<EvaluationLink> {
            const auto r = sql_->q("SELECT project_id, token_hash, created_at, created_by, revoked, revoked_at FROM evaluation_links " + where, {key});
            if (r.empty()) return std::nullopt;
            return EvaluationLink{r[0][0], r[0][1], r[0][2], r[0][3], r[0][4] == "1", r[0][5]};
        });
    }
    std::vector<CheckSheet> read_check_sheets(const std::string& sql, const std::vector<Param>& params) {
        std::vector<CheckSheet> out;
        for (const auto& r : sql_->q(sql, params)) {
            CheckSheet c;
            c.id = r[0];
            c.fiscal_year = static_cast<int>(to_i64(r[1]));
            c.service = r[2];
            c.department = r[3];
            const Json a = Json::parse(r[4], nullptr, false);
            if (a.is_object())
                for (auto it = a.begin(); it != a.end(); ++it)
                    if (it.value().is_string()) c.answers[it.key()] = it.value().get<std::string>();
            c.result = r[5];
            c.note = r[6];
            c.by = r[7];
            c.at = r[8];
            out.push_back(std::move(c));
        }
        return out;
    }

    void migrate() {
        sql_->tx([&] {
            if (sql_->pg()) sql_->q("SELECT pg_advisory_xact_lock(CAST(?1 AS BIGINT))", {std::string(kCivicLockKey)});
            sql_->script("CREATE TABLE IF NOT EXISTS civic_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
            const auto r = sql_->q("SELECT version FROM civic_schema WHERE id = 1");
            int v = r.empty() ? 0 : static_cast<int>(to_i64(r[0][0]));
            if (v > kCivicSchema)
                throw StorageError("the civic registers have schema version " + std::to_string(v) + ", newer than this server understands (" +
                                   std::to_string(kCivicSchema) + "); run a newer kyodo-server");
            for (; v < kCivicSchema; ++v) {
                sql_->script(dialect(kMigrations[v], sql_->pg()));
                sql_->q("INSERT INTO civic_schema (id, version) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                        {std::to_string(v + 1)});
            }
        });
    }

    void write_project(const Project& p) {
        sql_->q("INSERT INTO projects (id, fiscal_year, title, department, form, methods, partners, budget_yen, goals, status, note, "
                "updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO UPDATE SET "
                "fiscal_year = excluded.fiscal_year, title = excluded.title, department = excluded.department, form = excluded.form, "
                "methods = excluded.methods, partners = excluded.partners, budget_yen = excluded.budget_yen, goals = excluded.goals, "
                "status = excluded.status, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                {p.id, std::to_string(p.fiscal_year), p.title, p.department, p.form, strings_json(p.methods).dump(),
                 partners_json(p.partners).dump(), std::to_string(p.budget_yen), p.goals, p.status, p.note, p.updated_by, p.updated_at});
    }
    // " LIMIT n OFFSET m" (both engines), the numbers held to what a page can ask.
    static std::string limit_offset(std::size_t limit, std::size_t offset) {
        return " LIMIT " + std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " +
               std::to_string(std::min<std::size_t>(offset, 100000000));
    }
    // `links_sql` (with the same parameters) picks the listing links of the rows read; "" = the
    // one project's or every link.
    std::vector<Project> read_projects(const std::string& sql, const std::vector<Param>& params, const std::string& links_sql = "") {
        std::vector<Project> out;
        std::map<std::string, std::size_t> at;
        for (const auto& r : sql_->q(sql, params)) {
            Project p;
            p.id = r[0];
            p.fiscal_year = static_cast<int>(to_i64(r[1]));
            p.title = r[2];
            p.department = r[3];
            p.form = r[4];
            p.methods = json_strings(r[5]);
            p.partners = json_partners(r[6]);
            p.budget_yen = to_i64(r[7], -1);
            p.goals = r[8];
            p.status = r[9];
            p.note = r[10];
            p.updated_by = r[11];
            p.updated_at = r[12];
            at[p.id] = out.size();
            out.push_back(std::move(p));
        }
        if (out.empty()) return out;
        const Rows links = !links_sql.empty() ? sql_->q(links_sql, params)
                           : out.size() == 1 ? sql_->q("SELECT listing_id, project_id FROM project_listings WHERE project_id = ?1 ORDER BY listing_id",
                                                     {out.front().id})
                                           : sql_->q("SELECT listing_id, project_id FROM project_listings ORDER BY listing_id");
        for (const auto& l : links)
            if (auto it = at.find(l[1]); it != at.end()) out[it->second].listing_ids.push_back(l[0]);
        return out;
    }

    void write_agreement(const Agreement& a) {
        Json steps = Json::array(), inits = Json::array();
        for (const auto& s : a.steps) steps.push_back({{"step", s.step}, {"date", s.date}, {"note", s.note}});
        for (const auto& i : a.initiatives)
            inits.push_back({{"title", i.title}, {"field", i.field}, {"date", i.date}, {"project_id", i.project_id}, {"listing_id", i.listing_id}});
        sql_->q("INSERT INTO agreements (id, kind, title, partner_org_id, partner_name, fields, departments, signed_on, ends_on, renewed_on, "
                "status, steps, initiatives, note, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                "?14, ?15, ?16) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, "
                "partner_org_id = excluded.partner_org_id, partner_name = excluded.partner_name, fields = excluded.fields, "
                "departments = excluded.departments, signed_on = excluded.signed_on, ends_on = excluded.ends_on, "
                "renewed_on = excluded.renewed_on, status = excluded.status, steps = excluded.steps, initiatives = excluded.initiatives, "
                "note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                {a.id, a.kind, a.title, a.partner.org_id, a.partner.name, strings_json(a.fields).dump(), strings_json(a.departments).dump(),
                 a.signed_on, a.ends_on, a.renewed_on, a.status, steps.dump(), inits.dump(), a.note, a.updated_by, a.updated_at});
    }
    std::vector<Agreement> read_agreements(const std::string& sql, const std::vector<Param>& params) {
        std::vector<Agreement> out;
        for (const auto& r : sql_->q(sql, params)) {
            Agreement a;
            a.id = r[0];
            a.kind = r[1];
            a.title = r[2];
            a.partner = {r[3], r[4]};
            a.fields = json_strings(r[5]);
            a.departments = json_strings(r[6]);
            a.signed_on = r[7];
            a.ends_on = r[8];
            a.renewed_on = r[9];
            a.status = r[10];
            const Json steps = Json::parse(r[11], nullptr, false), inits = Json::parse(r[12], nullptr, false);
            if (steps.is_array())
                for (const Json& s : steps) a.steps.push_back({jget(s, "step"), jget(s, "date"), jget(s, "note")});
            if (inits.is_array())
                for (const Json& i : inits)
                    a.initiatives.push_back({jget(i, "title"), jget(i, "field"), jget(i, "date"), jget(i, "project_id"), jget(i, "listing_id")});
            a.note = r[13];
            a.updated_by = r[14];
            a.updated_at = r[15];
            out.push_back(std::move(a));
        }
        return out;
    }

    static IndicatorYear read_indicator(const std::vector<std::string>& r) {
        IndicatorYear v;
        v.code = r[0];
        v.fiscal_year = static_cast<int>(to_i64(r[1]));
        v.target = to_opt_double(r[2]);
        v.measured = to_opt_double(r[3]);
        v.respondents = to_i64(r[4]);
        v.source = r[5];
        v.updated_by = r[6];
        v.updated_at = r[7];
        return v;
    }

    std::unique_ptr<Sql> sql_;
};

}  // namespace

std::unique_ptr<CivicStorage> make_sqlite_civic(sqlite3* db, std::mutex& mu) {
    return std::make_unique<CivicStore>(std::make_unique<SqliteSql>(db, mu));
}

std::unique_ptr<CivicStorage> make_pg_civic(const std::string& url) {
    return std::make_unique<CivicStore>(std::make_unique<PgSql>(url));
}

}  // namespace kyodo::server
