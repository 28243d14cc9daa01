// City hall's yearly registers (issue 12): collaboration projects (協働事業) with the listings
// that belong to them, partnership agreements (連携協定) and the plan's indicators with a target
// and a measured value per fiscal year (seed 004), plus the staff survey behind indicator ⑤,
// seed 002's evaluation sheets (self and partner, per project, year and stage), the partner's
// per-project link and the departments' check sheets.
//
// Reached through Storage::civic(). Both engines share one implementation
// (server/civic_storage.cpp) over a thin SQL layer: SQLite on the storage's own connection,
// PostgreSQL on a connection of its own. The tables have their own numbered migrations,
// recorded in the table civic_schema, independent of the records and admin schemas.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

struct sqlite3;

namespace kyodo::server {

// A partner of a project or an agreement: an organization of the catalog (org_id) or a body
// that is not in it (org_id ""), always with its name as the office writes it.
struct Partner {
    std::string org_id, name;
};

// Project status codes: planned 計画中 | running 実施中 | done 完了 | stopped 中止.
const std::vector<std::string>& project_statuses();
// The status as shown, in the language of the request being served (web::tr, the dashboard's
// civic.json table; Japanese by default despite the name); "—" for an unknown code.
std::string project_status_ja(const std::string& code);

// 協働事業: one line of the yearly 実績調査. A project done by two methods (seed 000's
// B 補助金 + G 活動支援) has both in `methods` and is counted once.
struct Project {
    std::string id;                    // [A-Za-z0-9_.-]{1,64}
    int fiscal_year = 0;               // 2021 = 令和3年度 (April 2021 – March 2022)
    std::string title;
    std::string department;            // 担当課
    std::string form;                  // Form code: kyodo | kyoryoku | shien
    std::vector<std::string> methods;  // Method codes, at least one, in seed 000's order
    std::vector<Partner> partners;
    std::int64_t budget_yen = -1;      // 予算額; -1 = not given
    std::string goals;                 // 目標
    std::string status = "running";
    std::string note;
    std::string updated_by, updated_at;
    std::vector<std::string> listing_ids;   // read only: the listings linked to it (by id)
};

// 連携協定 (seed 003). kind: individual 個別連携協定 | comprehensive 包括連携協定.
// status: negotiating 協議中 | valid 有効 | ended 終了.
struct AgreementStep {
    std::string step;   // a code of agreement_steps()
    std::string date;   // ISO date it happened
    std::string note;
};
struct AgreementInitiative {   // 具体的取組: what was done under the agreement
    std::string title, field, date, project_id, listing_id;
};
struct Agreement {
    std::string id;
    std::string kind = "individual";
    std::string title;
    Partner partner;
    std::vector<std::string> fields;        // 連携分野 (防災, 健康 …)
    std::vector<std::string> departments;   // 市の窓口 / 担当課
    std::string signed_on, ends_on, renewed_on;   // ISO dates; ends_on "" = no end date
    std::string status = "valid";
    std::vector<AgreementStep> steps;
    std::vector<AgreementInitiative> initiatives;
    std::string note;
    std::string updated_by, updated_at;
};
// Seed 003's flow for a comprehensive agreement, in order: code, label in the language of the
// request being served (web::tr, civic.json). The reference is stable for the thread's life.
const std::vector<std::pair<std::string, std::string>>& agreement_steps();
std::string agreement_step_label(const std::string& step);   // the step code itself when unknown
// Kind and status as shown, in the request's language like project_status_ja; "—" when unknown.
std::string agreement_kind_ja(const std::string& kind);
std::string agreement_status_ja(const std::string& status);
// Valid on `date` (ISO): not still under negotiation or ended, signed on or before it, and
// its end date (if any) not before it.
bool agreement_valid_on(const Agreement& a, const std::string& date);

// One indicator in one fiscal year: the target set for that year and what was measured.
struct IndicatorYear {
    std::string code;
    int fiscal_year = 0;
    std::optional<double> target, measured;   // percent
    std::int64_t respondents = 0;             // behind `measured`, 0 = not said
    std::string source;                       // where `measured` comes from (市民アンケート …)
    std::string updated_by, updated_at;
};
// The audit trail of targets: one row per changed value.
struct IndicatorChange {
    std::string id, at, user, code;
    int fiscal_year = 0;
    std::string field;                        // target | measured | respondents | source
    std::string old_value, new_value, reason;
};
// The staff survey behind indicator ⑤ (協働ということを説明できる職員の割合), per fiscal year.
struct StaffSurveyTotal {
    int answered = 0, yes = 0;
};

// --- the evaluation sheet and the check sheet (seed 002's 資料2 and 資料1) -------------------
// One evaluator's answers to one stage of the 25-item 協働事業の評価シート for one project and
// fiscal year. The items themselves are in server/web/evaluation.h.
struct EvaluationSheet {
    std::string project_id;
    int fiscal_year = 0;
    std::string stage;                    // plan 計画段階 | do 実施段階 | result 成果把握 | improve 事業改善
    std::string evaluator;                // self (the department, on the dashboard) | partner (through its link)
    std::map<int, std::string> answers;   // item number in the stage (1 …) → yes | partly | no | na
    std::string comment;
    std::string by;                       // the staff account, or the partner's name as written
    std::string at;                       // RFC 3339
};
// The partner's per-project link (/p/evaluation/<token>): only the token's SHA-256 is kept.
struct EvaluationLink {
    std::string project_id, token_hash, created_at, created_by;
    bool revoked = false;
    std::string revoked_at;
};
// A department's 協働チェックシート for an existing service: the answers on the path it took
// through the questions and where it ended (codes of server/web/evaluation.h).
struct CheckSheet {
    std::string id;
    int fiscal_year = 0;
    std::string service, department;
    std::map<std::string, std::string> answers;   // question code → option value
    std::string result;
    std::string note;
    std::string by, at;
};

// A fiscal year the office has closed (issue 12 point 2): its projects as they were then, so
// the year's report no longer changes when listings or projects change later.
// A department's answer to the year's 実績調査 (issue 12 point 2): it has filled in or confirmed
// its projects of that fiscal year. One row per (year, department); answering again replaces it.
struct DepartmentAnswer {
    int fiscal_year = 0;
    std::string department;       // 担当課, as written on the projects
    std::string answered_by, answered_at;
    int projects = 0;             // how many of its projects it confirmed
};

// One reviewer's scores of a citizen's proposal against its call's criteria (issue 12 point 6).
struct ProposalReview {
    std::string proposal_id;               // the proposal record's id
    std::string reviewer;                  // staff account
    std::map<std::string, int> scores;     // criterion name → points
    std::string comment;
    std::string at;                        // RFC 3339
};

struct ClosedYear {
    int fiscal_year = 0;
    std::string closed_by, closed_at;
    std::string snapshot;   // {"projects":[…]} in the import / open-data format
};

class CivicStorage {
public:
    virtual ~CivicStorage() = default;

    // --- projects ---------------------------------------------------------------
    // Inserts or replaces a project (its listing links stay).
    virtual void put_project(const Project& p) = 0;
    // Stores many projects in one transaction (an import); returns how many.
    virtual int put_projects(const std::vector<Project>& ps) = 0;
    virtual std::optional<Project> project(const std::string& id) = 0;
    // Projects of a fiscal year (0 = every year), by year and id, with their listing ids.
    virtual std::vector<Project> projects(int fiscal_year) = 0;
    virtual std::vector<int> project_years() = 0;
    // One page of a fiscal year's projects (by id, `limit` from `offset`) with their listing
    // ids, and how many projects the year has: the register's paged list.
    virtual std::vector<Project> projects_page(int fiscal_year, std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t project_count(int fiscal_year) = 0;
    // Deletes the project; its listings then belong to no project. False when none.
    virtual bool delete_project(const std::string& id) = 0;
    // A listing belongs to one project or to none (project_id ""). False when the project
    // does not exist.
    virtual bool link_listing(const std::string& listing_id, const std::string& project_id) = 0;
    virtual std::map<std::string, std::string> listing_projects() = 0;   // listing id → project id

    // --- agreements ---------------------------------------------------------------
    virtual void put_agreement(const Agreement& a) = 0;
    virtual int put_agreements(const std::vector<Agreement>& as) = 0;
    virtual std::optional<Agreement> agreement(const std::string& id) = 0;
    virtual std::vector<Agreement> agreements() = 0;   // by signed date, then id
    // One page of the register in the same order, and how many agreements there are.
    virtual std::vector<Agreement> agreements_page(std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t agreement_count() = 0;
    // The agreements valid on `date` (agreement_valid_on, chosen in SQL): what the register's
    // counts count, without reading the others.
    virtual std::vector<Agreement> agreements_valid_on(const std::string& date) = 0;
    virtual bool delete_agreement(const std::string& id) = 0;

    // --- indicators -------------------------------------------------------------------
    virtual std::vector<IndicatorYear> indicator_years() = 0;   // by code, then year
    // Sets one indicator-year's values; each value that changes gets a row in the audit trail
    // (same transaction). Returns how many values changed.
    virtual int set_indicator_year(const IndicatorYear& v, const std::string& reason) = 0;
    virtual std::vector<IndicatorChange> indicator_changes(const std::string& code) = 0;   // newest first; "" = all

    // --- staff survey (indicator ⑤) ----------------------------------------------------
    virtual void put_staff_answer(int fiscal_year, const std::string& user, bool can_explain, const std::string& now) = 0;
    virtual std::optional<bool> staff_answer(int fiscal_year, const std::string& user) = 0;
    virtual std::map<int, StaffSurveyTotal> staff_survey_totals() = 0;

    // --- evaluation sheets, the partner's link, check sheets --------------------------------
    // Inserts or replaces the sheet of (project, year, stage, evaluator).
    virtual void put_evaluation(const EvaluationSheet& s) = 0;
    // A project's sheets of every year: by year, stage in the sheet's order, evaluator.
    virtual std::vector<EvaluationSheet> evaluations(const std::string& project_id) = 0;
    // Issues the project's partner link, replacing any earlier one (which stops at once).
    virtual void put_evaluation_link(const EvaluationLink& l) = 0;
    virtual bool revoke_evaluation_link(const std::string& project_id, const std::string& now) = 0;   // false: none live
    virtual std::optional<EvaluationLink> evaluation_link(const std::string& project_id) = 0;
    virtual std::optional<EvaluationLink> evaluation_link_by_token(const std::string& token_hash) = 0;   // live links only
    virtual void put_check_sheet(const CheckSheet& c) = 0;
    virtual std::vector<CheckSheet> check_sheets(int fiscal_year) = 0;   // 0 = every year; newest year first
    // One page of a year's check sheets (newest first, then id), how many there are per result
    // code (the year's count is their sum) and the years that have any (ascending).
    virtual std::vector<CheckSheet> check_sheets_page(int fiscal_year, std::size_t limit, std::size_t offset) = 0;
    virtual std::map<std::string, std::int64_t> check_sheet_results(int fiscal_year) = 0;
    virtual std::vector<int> check_sheet_years() = 0;
    virtual std::optional<CheckSheet> check_sheet(const std::string& id) = 0;

    // --- department accounts and the 実績調査 ------------------------------------------------
    // The department a staff account of role "department" answers for ("" removes the scope).
    virtual void put_staff_department(const std::string& user, const std::string& department) = 0;
    virtual std::string staff_department(const std::string& user) = 0;   // "" when none
    virtual std::map<std::string, std::string> staff_departments() = 0;  // user → department
    virtual void put_department_answer(const DepartmentAnswer& a) = 0;
    virtual std::vector<DepartmentAnswer> department_answers(int fiscal_year) = 0;   // by department

    // --- proposals: reviews and the project an adopted one became ---------------------------
    // Inserts or replaces the reviewer's scores of the proposal.
    virtual void put_proposal_review(const ProposalReview& r) = 0;
    virtual std::vector<ProposalReview> proposal_reviews(const std::string& proposal_id) = 0;   // by reviewer
    // An adopted proposal becomes (at most) one project; false when the proposal already has one.
    virtual bool link_proposal_project(const std::string& proposal_id, const std::string& project_id, const std::string& by,
                                       const std::string& at) = 0;
    virtual std::map<std::string, std::string> proposal_projects() = 0;   // proposal id → project id

    // --- closed years -----------------------------------------------------------------------
    // Closes a year with its snapshot; false when it was already closed (the first stays).
    virtual bool close_year(const ClosedYear& y) = 0;
    virtual std::optional<ClosedYear> closed_year(int fiscal_year) = 0;
};

// The SQLite engine's: `db` is used only while holding `mu` (the storage's connection mutex).
std::unique_ptr<CivicStorage> make_sqlite_civic(sqlite3* db, std::mutex& mu);
// The PostgreSQL engine's: a connection of its own to `url`.
std::unique_ptr<CivicStorage> make_pg_civic(const std::string& url);

}  // namespace kyodo::server
