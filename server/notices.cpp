// Engine-neutral half of notices (server/notices.h): which changes make a notice, and the
// mail it becomes. The string tables are data (assets/notices/*.json) built into the server
// by server/CMakeLists.txt, so a server needs no asset directory at run time.
#include "server/notices.h"

#include <algorithm>
#include <ctime>

#include "core/i18n.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"

namespace kyodo::server {

// Generated from assets/notices/*.json (server/CMakeLists.txt).
extern const char* const kNoticeStringsJa;
extern const char* const kNoticeStringsEn;
extern const char* const kNoticeStringsEasyJa;

namespace {

Json parse_or_empty(const std::string& s) {
    if (s.empty()) return Json::object();
    Json j = Json::parse(s, nullptr, false);
    return j.is_object() ? j : Json::object();
}

std::string sget(const Json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What a participant must know about an activity: when and where.
Json schedule_of(const Json& a) {
    return Json{{"starts_at", sget(a, "starts_at")}, {"ends_at", sget(a, "ends_at")},
                {"place", sget(a, "place")},         {"centre_id", sget(a, "centre_id")}};
}

Json activity_head(const Json& a) {
    Json d = schedule_of(a);
    d["activity_id"] = sget(a, "id");
    d["title"] = sget(a, "title");
    return d;
}

const Strings& table(const std::string& lang) {
    static const struct Tables {
        Strings ja, en, easy;
        Tables() {
            ja.load_from_string(kNoticeStringsJa);
            en.load_from_string(kNoticeStringsEn);
            easy.load_from_string(kNoticeStringsEasyJa);
            easy.set_fallback(&ja);
        }
    } t;
    if (lang == "en") return t.en;
    if (lang == "easy_ja") return t.easy;
    return t.ja;
}

std::string when(const Json& d, const std::string& lang) {
    const std::string s = sget(d, "starts_at"), e = sget(d, "ends_at");
    if (s.empty()) return "-";
    auto f = [&](const std::string& x) { return lang == "en" ? format_date_en(x) : format_date_ja(x); };
    std::string out = f(s);
    if (!e.empty() && e != s) {
        // Same day: only the end time after the dash.
        if (e.size() > 10 && s.size() >= 10 && e.compare(0, 10, s, 0, 10) == 0) out += " - " + e.substr(11, 5);
        else out += " - " + f(e);
    }
    return out;
}

std::string where(const Json& d) {
    const std::string p = sget(d, "place");
    return p.empty() ? "-" : p;
}

}  // namespace

bool wants_notices(const std::string& kind, const std::string& payload, const std::string& personal) {
    const Json per = parse_or_empty(personal);
    if (sget(per, "email").empty()) return false;
    const Json p = parse_or_empty(payload);
    if (kind == "sign_up") return p.value("notify", false) == true;
    if (kind == "opinion") return p.value("wants_reply", false) == true;
    return kind == "proposal";   // contact is required so that the city can answer
}

std::optional<Json> activity_moved_detail(const std::string& before_json, const std::string& after_json) {
    const Json b = parse_or_empty(before_json), a = parse_or_empty(after_json);
    const Json sb = schedule_of(b), sa = schedule_of(a);
    Json what = Json::array();
    if (sb["starts_at"] != sa["starts_at"] || sb["ends_at"] != sa["ends_at"]) what.push_back("date");
    if (sb["place"] != sa["place"] || sb["centre_id"] != sa["centre_id"]) what.push_back("place");
    if (what.empty()) return std::nullopt;
    Json d = activity_head(a);
    d["what"] = what;
    d["before"] = sb;
    return d;
}

Json activity_cancelled_detail(const std::string& activity_json) { return activity_head(parse_or_empty(activity_json)); }

Json promoted_detail(const std::string& activity_json) { return activity_head(parse_or_empty(activity_json)); }

std::optional<Json> answered_detail(const std::string& record_kind, const std::string& old_state,
                                    const std::string& new_state, const std::string& note) {
    if (old_state == new_state) return std::nullopt;
    const bool answer = (record_kind == "opinion" && new_state == "answered") ||
                        (record_kind == "proposal" && (new_state == "adopted" || new_state == "not_adopted"));
    if (!answer) return std::nullopt;
    return Json{{"record_kind", record_kind}, {"state", new_state}, {"answer", note}};
}

Notice make_notice(const std::string& kind, const std::string& record_id, const Json& detail, const std::string& now,
                   const std::string& dedupe_suffix) {
    Notice n;
    n.id = new_uuid_v7();
    n.kind = kind;
    n.record_id = record_id;
    n.dedupe_key = kind + ":" + record_id + (dedupe_suffix.empty() ? "" : ":" + dedupe_suffix);
    n.detail = detail.dump();
    n.state = "pending";
    n.next_attempt_at = now;
    n.created_at = now;
    return n;
}

std::optional<NoticeMail> render_notice(const Notice& n, const std::string& payload, const std::string& personal,
                                        const std::string& receipt) {
    const Json per = parse_or_empty(personal);
    NoticeMail m;
    m.to = sget(per, "email");
    if (m.to.empty()) return std::nullopt;
    const Json p = parse_or_empty(payload);
    m.lang = sget(p, "lang");
    if (m.lang != "en" && m.lang != "easy_ja") m.lang = "ja";
    const Strings& s = table(m.lang);
    const Json d = parse_or_empty(n.detail);
    const std::string city = s.get("city");
    const std::string title = sget(d, "title");

    std::vector<std::string> lines{s.fmt("greeting", {{"city", city}}), ""};
    auto activity_block = [&](const Json& x) {
        lines.push_back(s.fmt("activity", {{"title", title}}));
        lines.push_back(s.fmt("date", {{"date", when(x, m.lang)}}));
        lines.push_back(s.fmt("place", {{"place", where(x)}}));
    };
    if (n.kind == "promoted" || n.kind == "activity_cancelled" || n.kind == "activity_moved") {
        m.subject = s.fmt(n.kind + ".subject", {{"title", title}});
        lines.push_back(s.get(n.kind + ".body"));
        lines.push_back("");
        activity_block(d);
        if (n.kind == "activity_moved" && d.contains("before"))
            lines.push_back(s.fmt("activity_moved.before",
                                  {{"date", when(d["before"], m.lang)}, {"place", where(d["before"])}}));
    } else if (n.kind == "slot_taken") {
        // A booking that reached the server after another for the same slot (server/slot_rules.h).
        m.subject = s.fmt("slot_taken.subject", {{"title", title}});
        lines.push_back(s.get("slot_taken.body"));
        lines.push_back("");
        activity_block(d);
        lines.push_back("");
        const Json next = d.contains("next") ? d["next"] : Json(nullptr);
        if (next.is_object())
            lines.push_back(s.fmt("slot_taken.next",
                                  {{"date", when(next, m.lang)}, {"place", where(next)}, {"title", sget(next, "title")}}));
        else
            lines.push_back(s.get("slot_taken.none"));
    } else if (n.kind == "answered") {
        const std::string rk = sget(d, "record_kind"), st = sget(d, "state"), answer = sget(d, "answer");
        m.subject = s.get("answered.subject." + rk);
        if (rk == "proposal") {
            lines.push_back(s.get("answered.body.proposal." + st));
            if (!answer.empty()) {
                lines.push_back("");
                lines.push_back(s.get("answered.reason"));
                lines.push_back(answer);
            }
        } else {
            lines.push_back(s.get("answered.body.opinion"));
            lines.push_back("");
            lines.push_back(s.get("answered.answer"));
            lines.push_back(answer);
        }
    } else {
        return std::nullopt;
    }
    if (!receipt.empty()) {
        lines.push_back("");
        lines.push_back(s.fmt("receipt", {{"receipt", receipt}}));
    }
    lines.push_back("");
    lines.push_back("--");
    lines.push_back(s.fmt("footer", {{"city", city}}));
    for (const auto& l : lines) m.body += l + "\n";
    return m;
}

namespace {

// RFC 2047 encoded-word(s) for a header value with non-ASCII text; each word at most 75
// characters, split on UTF-8 character boundaries.
std::string encode_header(const std::string& v) {
    const bool ascii = std::all_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return v;
    std::string out;
    std::size_t i = 0;
    while (i < v.size()) {
        std::size_t j = i, take = i;
        // 45 bytes encode to 60 base64 characters; with "=?UTF-8?B?" and "?=" that is 72.
        while (j < v.size()) {
            std::size_t len = 1;
            const auto c = static_cast<unsigned char>(v[j]);
            if (c >= 0xF0) len = 4;
            else if (c >= 0xE0) len = 3;
            else if (c >= 0xC0) len = 2;
            if (j + len - i > 45) break;
            j += len;
            take = j;
        }
        if (take == i) take = std::min(v.size(), i + 1);
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64_encode(std::string_view(v).substr(i, take - i)) + "?=";
        i = take;
    }
    return out;
}

std::string rfc5322_date(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

}  // namespace

std::string build_message(const NoticeMail& m, const std::string& from, const std::string& message_id,
                          std::int64_t date_ms) {
    std::string body;
    for (char c : m.body) {
        if (c == '\n') body += "\r\n";
        else body += c;
    }
    const std::string b64 = base64_encode(body);
    std::string out;
    out += "From: " + from + "\r\n";
    out += "To: " + m.to + "\r\n";
    out += "Subject: " + encode_header(m.subject) + "\r\n";
    out += "Date: " + rfc5322_date(date_ms) + "\r\n";
    out += "Message-ID: " + message_id + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Language: " + std::string(m.lang == "en" ? "en" : "ja") + "\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
    return out;
}

std::int64_t notice_backoff_ms(int attempts) {
    const std::int64_t cap = 6LL * 60 * 60 * 1000;
    std::int64_t d = 60'000;
    for (int i = 1; i < attempts && d < cap; ++i) d *= 2;
    return std::min(d, cap);
}

}  // namespace kyodo::server
