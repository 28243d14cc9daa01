#include "app/model/directory.h"

#include <algorithm>

namespace kyodo::app {

namespace {
// Residents look first for groups near them, then for the rest; unknown types go last.
int type_rank(const std::string& t) {
    static const char* kOrder[] = {"町内会・自治会", "地区市民委員会", "地域づくり協議会", "ボランティア団体",
                                   "NPO法人",        "社会福祉協議会", "老人クラブ",       "スポーツ団体",
                                   "実行委員会",     "協議会",         "教育機関",         "企業 (連携協定)",
                                   "行政"};
    for (std::size_t i = 0; i < std::size(kOrder); ++i)
        if (t == kOrder[i]) return static_cast<int>(i);
    return 100;
}
}  // namespace

void Directory::load(const KioskStore& store) {
    orgs = store.organizations();
    std::stable_sort(orgs.begin(), orgs.end(), [](const Organization& a, const Organization& b) {
        int ra = type_rank(a.type), rb = type_rank(b.type);
        if (ra != rb) return ra < rb;
        if (a.type != b.type) return a.type < b.type;
        return (a.kana.empty() ? a.name : a.kana) < (b.kana.empty() ? b.name : b.kana);
    });
    types.clear();
    for (const auto& o : orgs)
        if (types.empty() || types.back() != o.type) types.push_back(o.type);
    if (!type_filter.empty() && std::find(types.begin(), types.end(), type_filter) == types.end())
        type_filter.clear();
}

std::vector<const Organization*> Directory::visible() const {
    std::vector<const Organization*> out;
    for (const auto& o : orgs)
        if (type_filter.empty() || o.type == type_filter) out.push_back(&o);
    return out;
}

int Directory::count_of(const std::string& type) const {
    int n = 0;
    for (const auto& o : orgs) n += o.type == type;
    return n;
}

bool Directory::open(const KioskStore& store, const std::string& org_id) {
    selected = store.organization(org_id);
    activities.clear();
    if (!selected) return false;
    activities = store.activities_by_organization(org_id);
    return true;
}

void Directory::clear() {
    type_filter.clear();
    selected.reset();
    activities.clear();
}

}  // namespace kyodo::app
