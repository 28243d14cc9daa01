// The plan's indicators per fiscal year (issue 12 point 5; seed 004 ①–⑤): what the office set as
// the target for a year and what was measured, as plain functions the pages and tests share.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/civic.h"
#include "server/storage.h"

namespace kyodo::server::web {

// One year of one indicator, with where each figure comes from.
struct IndicatorPoint {
    int fiscal_year = 0;
    std::optional<double> target, measured;
    std::string target_from;     // "年度目標" (set on the dashboard) | "計画" (the plan's mid / final target)
    std::string measured_from;   // the source typed with it | "計画の現状値" | "キオスクのアンケート" | "職員アンケート"
    std::int64_t respondents = 0;
};
struct IndicatorSeries {
    std::string code, label, mark;   // mark: ① … ⑤
    std::string measured_by;         // resident_survey | staff_survey
    std::vector<IndicatorPoint> points;   // by year; only years with a figure (and the current year)
};

// The catalog's indicator_targets (seed 004's plan: baseline, mid and final target with their
// years) merged with the per-year rows stored on the dashboard (which win), the kiosk survey's
// answers per fiscal year (resident indicators: the answers counted in the database by hour,
// AdminStorage::survey_tally("", true), each hour in one JST fiscal year) and the staff survey
// (⑤). `this_year` is always present so the current year can be filled in.
std::vector<IndicatorSeries> indicator_series(const Json& defs, const std::vector<IndicatorYear>& stored,
                                              const std::vector<AdminStorage::SurveyAnswerCount>& survey_answers,
                                              const std::map<int, StaffSurveyTotal>& staff, int this_year);

// A chart of one indicator by year: measured as bars with their value, target as a line of
// marks with its value; the years and both values written as text in the SVG.
std::string svg_years(const IndicatorSeries& s);

}  // namespace kyodo::server::web
