#include "server/slot_plan.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

#include "core/codec.h"

namespace kyodo::server {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
    return buf;
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

long day_number(const std::string& iso) {
    return days_from_civil(std::stol(iso.substr(0, 4)), static_cast<unsigned>(std::stoul(iso.substr(5, 2))),
                           static_cast<unsigned>(std::stoul(iso.substr(8, 2))));
}

bool hh_mm(const std::string& t) {
    return t.size() == 5 && t[2] == ':' && digits(t, 0, 2) && digits(t, 3, 2) && std::stoi(t.substr(0, 2)) <= 23 &&
           std::stoi(t.substr(3, 2)) <= 59;
}

std::string trim(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
    return s.substr(a, b - a);
}

}  // namespace

bool valid_date(const std::string& iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(iso, 0, 4) || !digits(iso, 5, 2) || !digits(iso, 8, 2))
        return false;
    const long n = day_number(iso);
    return civil_from_days(n) == iso;   // 2027-02-30 comes back as 2027-03-02
}

std::string add_days(const std::string& iso, int n) { return civil_from_days(day_number(iso) + n); }

int weekday(const std::string& iso) {
    const long n = day_number(iso);   // 1970-01-01 was a Thursday (3)
    return static_cast<int>(((n % 7) + 7 + 3) % 7);
}

std::string week_start(const std::string& iso) { return add_days(iso, -weekday(iso)); }

bool is_resource_type(const std::string& t) { return t == "room" || t == "equipment" || t == "consultation"; }

std::string slot_id(const std::string& resource, const std::string& date, const std::string& start) {
    std::string d = date, t = start;
    d.erase(std::remove(d.begin(), d.end(), '-'), d.end());
    t.erase(std::remove(t.begin(), t.end(), ':'), t.end());
    return "slot-" + resource + "-" + d + "-" + t;
}

bool parse_times(const std::string& text, std::vector<std::pair<std::string, std::string>>& out) {
    out.clear();
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) continue;
        // The separators staff type: - ~ and the full-width 〜 (U+301C), – (U+2013), ～ (U+FF5E).
        std::string norm;
        for (std::size_t i = 0; i < line.size();) {
            const std::string_view rest(line.data() + i, line.size() - i);
            std::size_t len = 0;
            for (std::string_view sep : {std::string_view("\xE3\x80\x9C"), std::string_view("\xE2\x80\x93"), std::string_view("\xEF\xBD\x9E"),
                                         std::string_view("~")})
                if (rest.substr(0, sep.size()) == sep) len = sep.size();
            if (len) {
                norm += '-';
                i += len;
            } else {
                norm += line[i++];
            }
        }
        line = norm;
        const auto dash = line.find('-');
        if (dash == std::string::npos) return false;
        std::string a = trim(line.substr(0, dash)), b = trim(line.substr(dash + 1));
        if (a.size() == 4 && a[1] == ':') a = "0" + a;
        if (b.size() == 4 && b[1] == ':') b = "0" + b;
        if (!hh_mm(a) || !hh_mm(b)) return false;
        out.emplace_back(a, b);
    }
    return true;
}

PlanResult plan_slots(const SlotPlan& p, const BookingWindow& w) {
    PlanResult r;
    auto err = [&](const char* field, const char* code) { r.errors.emplace(field, code); };
    // The resource id goes into slot ids (at most 64 characters: "slot-" + id + "-YYYYMMDD-HHMM").
    const bool id_ok = !p.resource.empty() && p.resource.size() <= 40 &&
                       std::all_of(p.resource.begin(), p.resource.end(), [](char ch) {
                           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
                       });
    if (!id_ok) err("resource", "resource_id");
    if (p.resource_name.empty()) err("resource_name", "resource_name");
    if (!is_resource_type(p.type)) err("type", "type");
    if (!valid_date(p.from)) err("from", "date");
    if (!valid_date(p.to)) err("to", "date");
    if (valid_date(p.from) && valid_date(p.to)) {
        if (p.to < p.from) err("to", "to_before_from");
        else if (day_number(p.to) - day_number(p.from) >= kMaxPlanDays) err("to", "range_too_long");
    }
    if (p.weekdays.empty() || std::any_of(p.weekdays.begin(), p.weekdays.end(), [](int d) { return d < 0 || d > 6; }))
        err("weekdays", "weekdays");
    if (p.times.empty()) err("times", "times");
    for (const auto& [a, b] : p.times) {
        if (!hh_mm(a) || !hh_mm(b)) {
            err("times", "time_format");
            break;
        }
        if (b <= a) {
            err("times", "time_order");
            break;
        }
    }
    if (!r.errors.count("times")) {
        auto t = p.times;
        std::sort(t.begin(), t.end());
        for (std::size_t i = 1; i < t.size(); ++i)
            if (t[i].first < t[i - 1].second) {
                err("times", "time_overlap");
                break;
            }
    }
    if (!r.ok()) return r;

    auto times = p.times;
    std::sort(times.begin(), times.end());
    long count = 0;
    for (std::string d = p.from; d <= p.to; d = add_days(d, 1))
        if (std::find(p.weekdays.begin(), p.weekdays.end(), weekday(d)) != p.weekdays.end())
            count += static_cast<long>(times.size());
    if (count == 0) err("count", "none");
    if (count > kMaxSlotsAtOnce) err("count", "too_many");
    if (!r.ok()) return r;

    for (std::string d = p.from; d <= p.to; d = add_days(d, 1)) {
        if (std::find(p.weekdays.begin(), p.weekdays.end(), weekday(d)) == p.weekdays.end()) continue;
        for (const auto& [a, b] : times) {
            Activity s;
            s.id = slot_id(p.resource, d, a);
            s.kind = ActivityKind::Slot;
            s.title = p.resource_name + " " + d + " " + a + "-" + b;
            s.form = Form::Shien;
            s.method = Method::KatsudoShien;
            s.department = p.department;
            s.centre_id = p.centre_id;
            s.place = p.place;
            s.starts_at = d + "T" + a;
            s.ends_at = d + "T" + b;
            s.capacity = 1;
            s.signup_opens = add_days(d, -w.all_days) + "T" + w.opens_at;
            s.signup_closes = s.starts_at;
            s.extra = Json{{"slot",
                            {{"resource", p.resource},
                             {"resource_name", p.resource_name},
                             {"type", p.type},
                             {"priority_opens", w.group_days > w.all_days ? add_days(d, -w.group_days) + "T" + w.opens_at : ""},
                             {"blocked", false},
                             {"blocked_reason", ""}}}};
            Json j = to_json(s);
            j.erase("version");
            r.slots.push_back(std::move(j));
        }
    }
    return r;
}

}  // namespace kyodo::server
