// Group registration with the activity centre (利用登録, issue 11 point 2; docs/groups.md).
// Seed 001 asks for 「市民活動団体の利用登録制度の実施」 with 「利用登録した団体の施設の優先予約」:
// a group applies at the kiosk (a record of kind "group_registration"), centre staff approve it
// or return it with a reason, and an approved group gets a registration number (登録番号,
// "G-0001") and a place in the public directory (the catalog's organizations).
//
// The kinds of group are drawn from the seeds: NPO法人 and ボランティア団体 (004
// 「ボランティア団体やNPOなどの市民活動団体」), 町内会・自治会 (001, 002, 004), 地区市民委員会,
// 子ども会 and 老人クラブ (004 「子ども会などの様々な地域…」, 「老人クラブ」), 企業 (003's
// partner companies, 004 「企業市民」), サークル (a hobby or study circle), 教育機関, その他.
// Codes travel in records and SQL; the kiosk's labels are "group.kind.<code>" in the string
// tables; the Japanese labels here are what the directory shows as the organization's type and
// what the dashboard and CSV print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/talent.h"

namespace kyodo::groups {

using Term = talent::Term;

const std::vector<Term>& group_kinds();
bool is_group_kind(std::string_view code);
// The Japanese label of a kind (the directory's organization type), or the code itself.
std::string kind_label_ja(std::string_view code);

// Registration numbers: "G-" and at least four digits, issued in order of approval.
std::string registration_number(std::int64_t n);

// The catalog id of an approved group's directory entry.
std::string organization_id(const std::string& registration_number);

}  // namespace kyodo::groups
