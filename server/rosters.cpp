// The centre's rosters for the kiosk's 受付 (server/rosters.h).
#include "server/rosters.h"

#include <algorithm>
#include <vector>

#include "core/timeutil.h"
#include "core/utf8.h"

namespace kyodo::server {

namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr std::int64_t kJstMs = 9 * 3600000LL;

std::string jst_date(std::int64_t unix_ms) { return rfc3339_utc(unix_ms + kJstMs).substr(0, 10); }

std::string str(const Json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string roster_hint(const std::string& furigana) {
    std::size_t i = 0;
    // ASCII spaces and the ideographic space (U+3000, E3 80 80).
    for (;;) {
        if (i < furigana.size() && furigana[i] == ' ') {
            ++i;
        } else if (furigana.compare(i, 3, "\xE3\x80\x80") == 0) {
            i += 3;
        } else {
            break;
        }
    }
    if (i >= furigana.size()) return "";
    const unsigned char c = static_cast<unsigned char>(furigana[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    std::string out = furigana.substr(i, n);
    return utf8::valid(out) ? out : std::string();
}

Json rosters_for_centre(Storage& st, const std::string& centre_id, std::int64_t now_ms) {
    const std::string from = jst_date(now_ms - kRosterDaysBefore * kDayMs);
    const std::string to = jst_date(now_ms + kRosterDaysAfter * kDayMs);
    Json doc{{"centre_id", centre_id}, {"from", from}, {"to", to}, {"activities", Json::array()}};
    if (centre_id.empty()) return doc;
    const Json cat = st.catalog_since(0);
    std::vector<const Json*> acts;
    if (auto it = cat.find("activities"); it != cat.end() && it->is_array())
        for (const Json& a : *it) {
            if (!a.is_object() || str(a, "centre_id") != centre_id) continue;
            const std::string day = str(a, "starts_at").substr(0, 10);
            if (day.size() != 10 || day < from || day > to) continue;
            acts.push_back(&a);
        }
    std::stable_sort(acts.begin(), acts.end(),
                     [](const Json* x, const Json* y) { return str(*x, "starts_at") < str(*y, "starts_at"); });
    for (const Json* a : acts) {
        Json ja{{"id", str(*a, "id")},
                {"title", str(*a, "title")},
                {"starts_at", str(*a, "starts_at")},
                {"place", str(*a, "place")},
                {"capacity", a->value("capacity", 0)},
                {"signups", Json::array()}};
        RecordQuery q;
        q.kind = "sign_up";
        q.activity_id = str(*a, "id");
        for (const AdminRecord& r : st.admin().records(q)) {
            const std::string& status = r.rec.signup_status;
            if (status != "confirmed" && status != "waitlisted") continue;
            std::string hint;
            if (!r.rec.personal.empty()) {
                const Json p = Json::parse(r.rec.personal, nullptr, false);
                if (p.is_object()) hint = roster_hint(str(p, "furigana"));
            }
            ja["signups"].push_back(Json{{"signup_id", r.rec.id},
                                         {"receipt", r.rec.receipt},
                                         {"party_size", std::max(1, r.party_size)},
                                         {"status", status},
                                         {"hint", hint},
                                         {"attended", r.attended == 1}});
        }
        doc["activities"].push_back(std::move(ja));
    }
    return doc;
}

}  // namespace kyodo::server
