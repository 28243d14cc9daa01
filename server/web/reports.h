// The figures behind the report pages and their CSV exports (server/web/reports.cpp), as plain
// functions tests call directly.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "server/storage.h"

namespace kyodo::server::web {

int fiscal_year(const std::string& iso);   // 2026-11-20 → 2026; 2027-02-01 → 2026

// Seed 000's table: activities counted by form and method (fy 0 = all years, else the
// fiscal year the activity starts in).
struct YearlyTable {
    std::map<std::pair<Form, Method>, int> cells;
    std::map<Form, int> by_form;
    std::map<Method, int> by_method;
    int total = 0;
};
YearlyTable yearly_table(const Json& catalog, int fy = 0);

// Seed 004's indicators from survey answers (payloads of survey_response records).
struct IndicatorResult {
    std::string code, label;
    double baseline = 0, mid_target = 0, target = 0;
    int baseline_year = 0, mid_target_year = 0, target_year = 0;
    int answered = 0, counted = 0;
    double share = 0;   // percent of `answered`
};
std::vector<IndicatorResult> indicators(const Json& targets, const std::vector<Json>& responses);
// The same from the answers counted in the database (AdminStorage::survey_tally): equal to the
// above over the loaded responses, without loading them.
std::vector<IndicatorResult> indicators(const Json& targets, const std::vector<AdminStorage::SurveyAnswerCount>& answers);

// centre id → "YYYY-MM" (JST, from created_at) → count.
std::map<std::string, std::map<std::string, int>> by_centre_month(const std::vector<AdminRecord>& rows);
// The same from the database's counts by centre and UTC hour (AdminStorage::centre_hour_counts):
// equal to by_centre_month over the loaded records, without loading them. `total` (if given)
// gets the number of records.
std::map<std::string, std::map<std::string, int>> by_centre_month(const std::vector<AdminStorage::CentreHourCount>& rows,
                                                                  std::int64_t* total = nullptr);

// Issue 11's centre services counted by centre and JST month ("YYYY-MM") of fiscal year `fy`:
//  bookings       confirmed bookings of room and equipment slots, by the slot's centre and day;
//  consultations  confirmed bookings of consultation slots, likewise;
//  talent         talent-bank registrations received (records of kind "talent", by the kiosk's
//                 centre and the time made; a registration later withdrawn still counts);
//  groups         group registrations approved, by the group's home centre (else the kiosk's)
//                 and the day of approval;
//  item_request   requests for things given away (records of kind "item_request", counted by
//                 kind code in the database: 0 until kiosks send them).
// Everything is counted in the database or from the catalog, never by loading the records.
inline constexpr const char* kServiceKinds[] = {"bookings", "consultations", "talent", "groups", "item_request"};
using CentreMonths = std::map<std::string, std::map<std::string, int>>;   // centre → month → n
std::map<std::string, CentreMonths> service_counts(Storage& st, const Json& catalog, int fy);

}  // namespace kyodo::server::web
