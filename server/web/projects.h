// The project register (協働事業, issue 12 point 1) as plain functions the pages, the exports
// and the tests share: the yearly count in seed 000's layout, the Japanese era year, the JSON
// form of a project (import and open data) and its checks.
#pragma once

#include <string>
#include <vector>

#include "server/civic.h"
#include "server/storage.h"
#include "server/web/form.h"

namespace kyodo::server::web {

// Fiscal year in the Japanese era, as city hall prints it: 2021 → "令和3年度", 2019 →
// "令和元年度" (the first year of an era is 元年), 2018 → "平成30年度", 1989 → "平成元年度".
std::string era_year_ja(int fiscal_year);
// "2021年度（令和3年度）"
std::string year_label_ja(int fiscal_year);

// Seed 000's letters: A 実行委員会 B 補助金 C 共催 D 事業協力 E 指定管理者 F 委託契約 G 活動支援; the
// plan's other methods (後援, アダプト …) have no letter.
std::string method_letter(const std::string& method_code);            // "B" or ""
std::string method_label(const std::string& method_code);             // "B 補助金" or "後援"
// A project's methods in seed 000's order (A B C D E F G, then the others), without repeats.
std::vector<std::string> ordered_methods(std::vector<std::string> codes);

// One column of seed 000's table: a method, or a combination (B+G) when a project is done by
// several at once. A project counts once, in its form's group, in the column of its methods.
struct ProjectColumn {
    std::vector<std::string> methods;     // method codes in seed order
    int count = 0;
    std::vector<std::string> titles;      // the projects counted, in register order
    std::string label() const;                          // "B 補助金＋G 活動支援" (the table's separator)
    std::string label(const std::string& sep) const;
};
struct ProjectGroup {
    std::string form;                     // form code
    std::vector<ProjectColumn> columns;   // seed 000's columns first (shown even when 0), then others
    int count = 0;
};
struct ProjectTable {
    std::vector<ProjectGroup> groups;     // ① ② ③
    int total = 0;
    std::vector<std::string> not_counted;   // "title（理由）": stopped projects, unknown form or method
};
// Stopped projects (中止) are not counted as 実績.
ProjectTable project_table(const std::vector<Project>& projects);

// A project's checks (the form's and an import's): errors by field name.
void check_project(const Project& p, FieldErrors& err);

// {"id":…, "fiscal_year":2021, "title":…, "department":…, "form":"shien",
//  "methods":["subsidy","activity_support"], "partners":[{"org_id":…,"name":…}], "budget_yen":…,
//  "goals":…, "status":"done", "note":…, "listing_ids":[…]}
Json project_to_json(const Project& p);
Project project_from_json(const Json& j);   // missing keys keep their defaults
// Imports {"projects":[…]} (or a bare array) in one transaction after checking every project;
// throws std::invalid_argument naming the first bad one. Linked listing ids are linked.
int import_projects(Storage& st, const std::string& json_text, const std::string& by, const std::string& now);

// The projects the year's report counts: a closed year's snapshot (CivicStorage::close_year),
// otherwise the register as it is now.
std::vector<Project> year_projects(Storage& st, int fiscal_year);
// "{"projects":[…]}" of the year's projects as they are now (what closing a year keeps).
std::string year_snapshot(Storage& st, int fiscal_year);

}  // namespace kyodo::server::web
