#include "server/talent.h"

#include <algorithm>

namespace kyodo::server {

bool is_match_outcome(const std::string& s) {
    return s == "proposed" || s == "accepted" || s == "declined" || s == "done";
}

namespace {
bool has(const Json& payload, const char* key, const std::string& v) {
    auto it = payload.find(key);
    if (it == payload.end() || !it->is_array()) return false;
    return std::any_of(it->begin(), it->end(), [&](const Json& x) { return x.is_string() && x.get<std::string>() == v; });
}
}  // namespace

bool talent_matches(const TalentEntry& e, const TalentQuery& q) {
    if (!q.help.empty() && !has(e.payload, "help", q.help)) return false;
    if (!q.field.empty() && !has(e.payload, "fields", q.field)) return false;
    if (!q.time.empty() && !has(e.payload, "times", q.time)) return false;
    if (!q.area.empty() && !has(e.payload, "areas", q.area) && !has(e.payload, "areas", "citywide")) return false;
    return true;
}

std::vector<TalentEntry> search_talent(TalentStorage& st, const TalentQuery& q) {
    std::vector<TalentEntry> out;
    for (auto& e : st.registrations())
        if (talent_matches(e, q)) out.push_back(std::move(e));
    return out;
}

void settle_talent(Storage& st, const std::vector<PreparedRecord>& batch, const IngestResult& result,
                   const std::string& now) {
    bool registrations = false;
    bool any = false;
    for (std::size_t i = 0; i < batch.size() && i < result.answers.size(); ++i) {
        const PreparedRecord& p = batch[i];
        if (p.rejected()) continue;
        const std::string& res = result.answers[i].result;
        if (res != "stored" && res != "duplicate") continue;
        if (p.record.kind == RecordKind::Talent) {
            registrations = registrations || res == "stored";
        } else if (p.record.kind == RecordKind::TalentWithdrawal) {
            any = true;
            st.talent().note_withdrawal(p.record.id, p.record.payload.value("receipt", ""),
                                        p.record.payload.value("check_code", ""), now);
        }
    }
    if (registrations && !any) st.talent().settle_withdrawals(now);
}

}  // namespace kyodo::server
