#include "core/groups.h"

#include <algorithm>
#include <cstdio>

namespace kyodo::groups {

const std::vector<Term>& group_kinds() {
    static const std::vector<Term> v{
        {"npo", "NPO法人"},          {"volunteer", "ボランティア団体"}, {"neighbourhood", "町内会・自治会"},
        {"district", "地区市民委員会"}, {"kodomokai", "子ども会"},        {"senior", "老人クラブ"},
        {"circle", "サークル"},       {"company", "企業"},              {"school", "教育機関"},
        {"other", "その他の団体"},
    };
    return v;
}

bool is_group_kind(std::string_view code) {
    const auto& v = group_kinds();
    return std::any_of(v.begin(), v.end(), [&](const Term& t) { return code == t.code; });
}

std::string kind_label_ja(std::string_view code) {
    for (const Term& t : group_kinds())
        if (code == t.code) return t.ja;
    return std::string(code);
}

std::string registration_number(std::int64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "G-%04lld", static_cast<long long>(n));
    return buf;
}

std::string organization_id(const std::string& number) {
    std::string id = "grp-";
    for (char c : number)
        if (c != '-') id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return id;
}

}  // namespace kyodo::groups
