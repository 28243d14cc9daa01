#include "core/groups.h"

#include <algorithm>
#include <cstdio>

#include "core/vocabulary.h"

namespace kyodo::groups {

const std::vector<Term>& group_kinds() {
    // Codes in display order; labels from the shared vocabulary (group.kind.<code>).
    static const std::vector<Term> v = [] {
        std::vector<Term> out;
        for (const char* c : {"npo", "volunteer", "neighbourhood", "district", "kodomokai", "senior", "circle", "company", "school", "other"})
            out.push_back({c, vocab_label("ja", std::string("group.kind.") + c).c_str()});
        return out;
    }();
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
