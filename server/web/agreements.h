// The partnership agreement register (連携協定, issue 12 point 3; seed 003) as plain functions the
// pages, exports and tests share: counts by field and kind on a date, the JSON form, checks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/civic.h"
#include "server/storage.h"
#include "server/web/form.h"

namespace kyodo::server::web {

// The agreements valid on `date` (agreement_valid_on), counted by kind and by field. An
// agreement with several fields counts once in each of its fields and once in the total.
struct AgreementCounts {
    std::string date;
    int valid = 0;
    int individual = 0, comprehensive = 0;
    struct Field {
        std::string field;
        int individual = 0, comprehensive = 0;
        int total() const { return individual + comprehensive; }
    };
    std::vector<Field> by_field;   // most agreements first, then by name
    int signed_since = 0;          // valid ones signed in the year before `date` (seed 003: 令和5年6月2日以降に締結32件)
};
AgreementCounts count_agreements(const std::vector<Agreement>& all, const std::string& date);

void check_agreement(const Agreement& a, FieldErrors& err);
Json agreement_to_json(const Agreement& a);
Agreement agreement_from_json(const Json& j);
// Imports {"agreements":[…]} (or a bare array) in one transaction after checking every one;
// throws std::invalid_argument naming the first bad one.
int import_agreements(Storage& st, const std::string& json_text, const std::string& by, const std::string& now);

}  // namespace kyodo::server::web
