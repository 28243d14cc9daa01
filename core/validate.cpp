// The record validator shared by the kiosk and the server. It reports every problem it
// finds (not just the first) so a form can mark all bad fields at once, and its messages
// are written for the staff member reading a rejected record, not for a programmer.
#include "core/validate.h"

#include <algorithm>
#include <set>

#include "core/groups.h"
#include "core/slots.h"
#include "core/talent.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/uuid.h"

namespace kyodo {
namespace {

// "2400" → "2,400": limits are read by people.
std::string with_commas(std::size_t n) {
    // Built forwards rather than with insert(): GCC 12 flags insert() here with a bogus
    // -Wrestrict warning.
    const std::string d = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i > 0 && (d.size() - i) % 3 == 0) out += ',';
        out += d[i];
    }
    return out;
}

std::string leaf(const std::string& field) {
    const auto dot = field.rfind('.');
    return dot == std::string::npos ? field : field.substr(dot + 1);
}

// Only spaces, tabs, line breaks and U+3000. `s` is valid UTF-8 (text() checks first), so a
// byte walk is enough: no decoded copy per field of every pushed record.
bool blank(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
        } else if (s.compare(i, 3, "\xE3\x80\x80") == 0) {   // U+3000 ideographic space
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

// Code points of valid UTF-8: the bytes that are not continuation bytes.
std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string json_type(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::boolean: return "true/false";
        case Json::value_t::string: return "text";
        case Json::value_t::array: return "a list";
        case Json::value_t::object: return "an object";
        case Json::value_t::number_float: return "a decimal number";
        default: return "a number";
    }
}

struct Checker {
    Validation& v;

    void error(std::string field, std::string code, std::string message) {
        v.errors.push_back({std::move(field), std::move(code), std::move(message)});
    }

    // A string of `min`..`max` characters. Returns false when an error was reported.
    bool text(const std::string& field, std::string_view s, std::size_t min, std::size_t max,
              bool multi_line) {
        return text_at(field, nullptr, s, min, max, multi_line);
    }

    // text() for the field `prefix`.`key` (or `prefix` alone when key is null). The field's
    // path and name are only built when there is an error to report: most text is fine.
    bool text_at(std::string_view prefix, const char* key, std::string_view s, std::size_t min,
                 std::size_t max, bool multi_line) {
        auto field = [&] {
            std::string f(prefix);
            if (key) (f += '.') += key;
            return f;
        };
        if (!utf8::valid(s)) {
            const std::string f = field();
            error(f, "invalid_utf8", leaf(f) + " is not valid UTF-8 text");
            return false;
        }
        if (utf8::has_control(s, multi_line)) {
            const std::string f = field();
            error(f, "control_char",
                  leaf(f) + (multi_line ? " contains a control character (only line breaks and tabs are allowed)"
                                        : " contains a control character or line break; it must be one line"));
            return false;
        }
        if (min > 0 && blank(s)) {
            const std::string f = field();
            error(f, "required", leaf(f) + " is required");
            return false;
        }
        const std::size_t n = code_points(s);
        if (n < min) {
            const std::string f = field();
            error(f, "too_short", leaf(f) + " is " + with_commas(n) + " characters; the minimum is " +
                                      with_commas(min));
            return false;
        }
        if (n > max) {
            const std::string f = field();
            error(f, "too_long", leaf(f) + " is " + with_commas(n) + " characters; the limit is " +
                                     with_commas(max));
            return false;
        }
        return true;
    }
};

// Walks one JSON object against its schema: each accessor marks its key as known, and
// finish() reports the keys nobody asked for.
struct ObjectChecker {
    Checker& c;
    const Json& obj;
    std::string prefix;   // "payload" or "payload.answers[2]"
    std::vector<std::string_view> known;   // a handful of keys: a vector beats a set here

    std::string path(const char* key) const { return prefix + "." + key; }

    // The value at key, or null when absent (reported when required).
    const Json* get(const char* key, bool required) {
        if (std::find(known.begin(), known.end(), key) == known.end()) known.push_back(key);
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) {
            if (required) c.error(path(key), "required", std::string(key) + " is required");
            return nullptr;
        }
        return &*it;
    }

    bool wrong_type(const char* key, const Json& j, const char* want) {
        c.error(path(key), "wrong_type",
                std::string(key) + " must be " + want + ", not " + json_type(j));
        return false;
    }

    void text(const char* key, std::size_t min, std::size_t max, bool multi_line = false) {
        const Json* j = get(key, min > 0);
        if (!j) return;
        if (!j->is_string()) { wrong_type(key, *j, "text"); return; }
        c.text_at(prefix, key, j->get_ref<const std::string&>(), min, max, multi_line);
    }

    std::optional<std::int64_t> integer(const char* key, std::int64_t min, std::int64_t max,
                                        bool required = true) {
        const Json* j = get(key, required);
        if (!j) return std::nullopt;
        if (!j->is_number_integer()) { wrong_type(key, *j, "a whole number"); return std::nullopt; }
        const bool neg = j->is_number_unsigned() ? false : j->get<std::int64_t>() < min;
        const bool big = j->is_number_unsigned()
                             ? j->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
                             : j->get<std::int64_t>() > max;
        if (neg || big) {
            c.error(path(key), "out_of_range",
                    std::string(key) + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max));
            return std::nullopt;
        }
        return j->get<std::int64_t>();
    }

    bool boolean(const char* key) {
        const Json* j = get(key, false);
        if (!j) return false;
        if (!j->is_boolean()) return wrong_type(key, *j, "true or false");
        return j->get<bool>();
    }

    // Optional "lang": the kiosk language the resident used ("ja" | "en" | "easy_ja"); the
    // server writes its notices to them in it.
    void lang() {
        const Json* j = get("lang", false);
        if (!j) return;
        if (!j->is_string()) { wrong_type("lang", *j, "text"); return; }
        const auto& s = j->get_ref<const std::string&>();
        if (s != "ja" && s != "en" && s != "easy_ja")
            c.error(path("lang"), "bad_format", "lang must be \"ja\", \"en\" or \"easy_ja\"");
    }

    void finish() {
        for (auto it = obj.begin(); it != obj.end(); ++it)
            if (std::find(known.begin(), known.end(), it.key()) == known.end())
                c.error(prefix + "." + it.key(), "unknown_field",
                        "\"" + it.key() + "\" is not a field of this record");
    }
};

constexpr std::int64_t kMaxInt = INT64_MAX;

void check_sign_up(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("activity_id", 1, 64);
    o.integer("activity_version", 0, kMaxInt);
    o.integer("party_size", 1, 10);
    o.text("note", 0, 500, true);
    if (const Json* cc = o.get("check_code", false)) {
        if (!cc->is_string()) {
            o.wrong_type("check_code", *cc, "text");
        } else {
            const auto& s = cc->get_ref<const std::string&>();
            bool ok = s.size() == 4;
            for (char ch : s) ok = ok && ch >= '0' && ch <= '9';
            if (!ok) c.error("payload.check_code", "bad_format", "check_code must be 4 digits");
        }
    }
    o.boolean("notify");   // consent to e-mail notices (moved up, cancelled, moved)
    // A booking of a room or equipment slot (docs/groups.md, issue 11 point 3): the registered
    // group it is for, by its registration number ("G-0001"). The slot is an activity of
    // capacity 1, so the ledger's first come, first served decides between kiosks.
    if (const Json* g = o.get("group", false)) {
        if (!g->is_string()) {
            o.wrong_type("group", *g, "text");
        } else {
            const auto& s = g->get_ref<const std::string&>();
            bool ok = s.size() >= 6 && s.size() <= 12 && s.rfind("G-", 0) == 0;
            for (std::size_t i = 2; ok && i < s.size(); ++i) ok = s[i] >= '0' && s[i] <= '9';
            if (!ok) c.error("payload.group", "bad_format", "group must be a registration number like G-0001");
        }
    }
    // The rest of a booking (docs/lending.md): what the room or equipment is for, and for a
    // consultation slot (協働相談窓口) what it is about — a code of slots::consult_topics() and
    // the resident's own words.
    o.text("purpose", 0, 200);
    if (const Json* t = o.get("topic", false)) {
        if (!t->is_string()) o.wrong_type("topic", *t, "text");
        else if (!slots::is_consult_topic(t->get_ref<const std::string&>()))
            c.error("payload.topic", "bad_format", "\"" + t->get<std::string>() + "\" is not one of the consultation topics");
    }
    o.text("topic_text", 0, 400, true);
    // A place confirmed on the spot (issue 10 point 2): the kiosk's lease of the activity's
    // places it confirmed this sign-up under. The server confirms it against that lease.
    if (const Json* l = o.get("lease", false)) {
        if (!l->is_string()) o.wrong_type("lease", *l, "text");
        else if (!is_uuid(l->get_ref<const std::string&>()))
            c.error("payload.lease", "bad_format", "lease must be a UUID (8-4-4-4-12 hexadecimal digits)");
    }
    o.lang();
    o.finish();
}

void check_cancel(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    if (const Json* id = o.get("signup_id", true)) {
        if (!id->is_string()) o.wrong_type("signup_id", *id, "text");
        else if (!is_uuid(id->get_ref<const std::string&>()))
            c.error("payload.signup_id", "bad_format", "signup_id must be a UUID (8-4-4-4-12 hexadecimal digits)");
    }
    if (const Json* r = o.get("receipt", true)) {
        if (!r->is_string()) {
            o.wrong_type("receipt", *r, "text");
        } else {
            const auto& s = r->get_ref<const std::string&>();
            bool ok = s.size() == 9 && s[4] == '-';
            for (std::size_t i = 0; ok && i < s.size(); ++i)
                if (i != 4) ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
            if (!ok) c.error("payload.receipt", "bad_format", "receipt must look like 7KQ3-M9TX");
        }
    }
    if (const Json* cc = o.get("check_code", true)) {
        if (!cc->is_string()) {
            o.wrong_type("check_code", *cc, "text");
        } else {
            const auto& s = cc->get_ref<const std::string&>();
            bool ok = s.size() == 4;
            for (char ch : s) ok = ok && ch >= '0' && ch <= '9';
            if (!ok) c.error("payload.check_code", "bad_format", "check_code must be 4 digits");
        }
    }
    o.finish();
}

// Staff ticked (attended true) or unticked an arrival at the kiosk's 受付 (issue 10 point 4).
void check_attendance(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    if (const Json* id = o.get("signup_id", true)) {
        if (!id->is_string()) o.wrong_type("signup_id", *id, "text");
        else if (!is_uuid(id->get_ref<const std::string&>()))
            c.error("payload.signup_id", "bad_format", "signup_id must be a UUID (8-4-4-4-12 hexadecimal digits)");
    }
    if (const Json* a = o.get("attended", true))
        if (!a->is_boolean()) o.wrong_type("attended", *a, "true or false");
    o.finish();
}

void check_opinion(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("topic", 0, 40);
    o.text("text", 1, 2000, true);
    o.text("activity_id", 0, 64);
    o.boolean("wants_reply");
    o.lang();
    o.finish();
}

void check_survey_response(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("survey_id", 1, 64);
    o.integer("survey_version", 0, kMaxInt);
    // The listing the survey was offered on (its detail page): city hall counts the answers as
    // residents' evaluation of that listing's project. Absent = answered from the survey list.
    o.text("activity_id", 0, 64);
    if (const Json* answers = o.get("answers", true)) {
        if (!answers->is_array()) {
            o.wrong_type("answers", *answers, "a list");
        } else if (answers->size() > 100) {
            c.error("payload.answers", "too_long",
                    "answers has " + with_commas(answers->size()) + " entries; the limit is 100");
        } else {
            std::set<std::string> seen;
            for (std::size_t i = 0; i < answers->size(); ++i) {
                const Json& a = (*answers)[i];
                const std::string where = "payload.answers[" + std::to_string(i) + "]";
                if (!a.is_object()) {
                    c.error(where, "wrong_type", "each answer must be an object, not " + json_type(a));
                    continue;
                }
                ObjectChecker ao{c, a, where, {}};
                ao.text("question_id", 1, 64);
                if (auto q = a.find("question_id"); q != a.end() && q->is_string() &&
                                                    !seen.insert(q->get<std::string>()).second)
                    c.error(where + ".question_id", "not_allowed",
                            "question " + q->get<std::string>() + " is answered twice");
                int forms = 0;
                for (const char* k : {"choice", "choices", "scale", "text"}) forms += a.contains(k);
                if (forms == 0)
                    c.error(where, "required", "an answer needs one of choice, choices, scale or text");
                else if (forms > 1)
                    c.error(where, "not_allowed",
                            "an answer has exactly one of choice, choices, scale or text");
                if (a.contains("choice")) ao.integer("choice", 0, 1000);
                if (a.contains("scale")) ao.integer("scale", -1000, 1000);
                if (a.contains("text")) ao.text("text", 0, 1000, true);
                if (const Json* cs = ao.get("choices", false)) {
                    if (!cs->is_array()) {
                        ao.wrong_type("choices", *cs, "a list of numbers");
                    } else if (cs->size() > 20) {
                        c.error(where + ".choices", "too_long",
                                "choices has " + std::to_string(cs->size()) + " entries; the limit is 20");
                    } else {
                        for (const Json& x : *cs) {
                            if (!x.is_number_integer() || (!x.is_number_unsigned() && x.get<std::int64_t>() < 0) ||
                                x.get<std::int64_t>() > 1000) {
                                c.error(where + ".choices", "wrong_type",
                                        "choices must be a list of choice numbers from 0");
                                break;
                            }
                        }
                    }
                }
                ao.finish();
            }
        }
    }
    o.finish();
}

void check_public_comment(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("draft_id", 1, 64);
    o.text("section_id", 1, 64);
    o.text("text", 1, 4000, true);
    o.finish();
}

void check_proposal(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("title", 1, 100);
    o.text("summary", 1, 4000, true);
    if (const Json* f = o.get("fields", false)) {
        if (!f->is_array()) {
            o.wrong_type("fields", *f, "a list");
        } else if (f->size() > 10) {
            c.error("payload.fields", "too_long",
                    "fields has " + std::to_string(f->size()) + " entries; the limit is 10");
        } else {
            for (std::size_t i = 0; i < f->size(); ++i) {
                const std::string where = "payload.fields[" + std::to_string(i) + "]";
                if (!(*f)[i].is_string())
                    c.error(where, "wrong_type", "each field must be text, not " + json_type((*f)[i]));
                else
                    c.text(where, (*f)[i].get_ref<const std::string&>(), 1, 20, false);
            }
        }
    }
    o.text("group_name", 0, 100);
    o.text("partner_department", 0, 60);
    o.text("call_id", 0, 64);   // the call for proposals (公募) it answers; absent or "" = a free proposal
    o.lang();
    o.finish();
}

bool id_chars_ok(std::string_view s);

// A list of codes from one of the talent vocabularies (core/talent.h), or of free ids.
void check_code_list(Checker& c, ObjectChecker& o, const char* key, std::size_t min, std::size_t max,
                     bool (*known)(std::string_view), std::size_t max_chars = 64) {
    const Json* f = o.get(key, min > 0);
    if (!f) return;
    const std::string where = std::string("payload.") + key;
    if (!f->is_array()) {
        o.wrong_type(key, *f, "a list");
        return;
    }
    if (f->size() < min) {
        c.error(where, "required", std::string(key) + " needs at least " + std::to_string(min) + " entry");
        return;
    }
    if (f->size() > max) {
        c.error(where, "too_long",
                std::string(key) + " has " + std::to_string(f->size()) + " entries; the limit is " + std::to_string(max));
        return;
    }
    for (std::size_t i = 0; i < f->size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        const Json& x = (*f)[i];
        if (!x.is_string()) {
            c.error(at, "wrong_type", std::string("each entry of ") + key + " must be text, not " + json_type(x));
        } else if (c.text(at, x.get_ref<const std::string&>(), 1, max_chars, false) && known &&
                   !known(x.get_ref<const std::string&>())) {
            c.error(at, "bad_format", "\"" + x.get<std::string>() + "\" is not one of the codes of " + key);
        }
    }
}

void check_four_digits(Checker& c, ObjectChecker& o, const char* key, bool required) {
    const Json* cc = o.get(key, required);
    if (!cc) return;
    if (!cc->is_string()) {
        o.wrong_type(key, *cc, "text");
        return;
    }
    const auto& s = cc->get_ref<const std::string&>();
    bool ok = s.size() == 4;
    for (char ch : s) ok = ok && ch >= '0' && ch <= '9';
    if (!ok) c.error(std::string("payload.") + key, "bad_format", std::string(key) + " must be 4 digits");
}

void check_talent(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    check_code_list(c, o, "help", 1, 14, &talent::is_help_kind);
    check_code_list(c, o, "fields", 0, 10, nullptr, 20);
    check_code_list(c, o, "areas", 1, 25, [](std::string_view s) { return id_chars_ok(s); });
    check_code_list(c, o, "times", 1, 6, &talent::is_time_slot);
    o.text("note", 0, 300, true);
    if (const Json* j = o.get("contact_by", true)) {
        if (!j->is_string()) o.wrong_type("contact_by", *j, "text");
        else if (!talent::is_contact_way(j->get_ref<const std::string&>()))
            c.error("payload.contact_by", "bad_format", "contact_by must be \"phone\", \"email\" or \"either\"");
    }
    // Consent is the point of the record: city hall keeps these details to introduce the
    // resident to groups. Without it there is nothing to register.
    if (const Json* j = o.get("consent", true)) {
        if (!j->is_boolean()) o.wrong_type("consent", *j, "true or false");
        else if (!j->get<bool>())
            c.error("payload.consent", "required", "consent must be true: city hall may keep and pass on these details");
    }
    check_four_digits(c, o, "check_code", false);
    o.lang();
    o.finish();
}

void check_talent_withdrawal(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    if (const Json* j = o.get("receipt", true)) {
        if (!j->is_string()) {
            o.wrong_type("receipt", *j, "text");
        } else {
            const auto& s = j->get_ref<const std::string&>();
            bool ok = s.size() == 9 && s[4] == '-';
            for (std::size_t i = 0; ok && i < s.size(); ++i)
                if (i != 4) ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
            if (!ok) c.error("payload.receipt", "bad_format", "receipt must look like 7KQ3-M9TX");
        }
    }
    check_four_digits(c, o, "check_code", true);
    o.finish();
}

void check_group_registration(Checker& c, const Json& p) {
    ObjectChecker o{c, p, "payload", {}};
    o.text("name", 1, 100);
    o.text("kana", 0, 100);
    if (const Json* j = o.get("kind", true)) {
        if (!j->is_string()) o.wrong_type("kind", *j, "text");
        else if (!groups::is_group_kind(j->get_ref<const std::string&>()))
            c.error("payload.kind", "bad_format", "\"" + j->get<std::string>() + "\" is not one of the kinds of group");
    }
    check_code_list(c, o, "fields", 0, 10, nullptr, 20);
    o.integer("members", 1, 100000);
    if (const Json* j = o.get("centre_id", false)) {
        if (!j->is_string()) o.wrong_type("centre_id", *j, "text");
        else if (!j->get_ref<const std::string&>().empty() &&
                 (j->get_ref<const std::string&>().size() > 64 || !id_chars_ok(j->get_ref<const std::string&>())))
            c.error("payload.centre_id", "bad_format", "centre_id must be a centre id");
    }
    o.text("description", 0, 300, true);
    // Consent: the centre keeps the representative's details and publishes the group (never
    // the representative) in its directory once approved.
    if (const Json* j = o.get("consent", true)) {
        if (!j->is_boolean()) o.wrong_type("consent", *j, "true or false");
        else if (!j->get<bool>())
            c.error("payload.consent", "required", "consent must be true: the centre keeps these details and lists the group");
    }
    check_four_digits(c, o, "check_code", false);
    o.lang();
    o.finish();
}

bool id_chars_ok(std::string_view s) {
    for (char ch : s) {
        const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

void check_device_id(Checker& c, const char* field, const std::string& s) {
    if (s.empty()) {
        c.error(field, "required", std::string(field) + " is required");
    } else if (s.size() > 64) {
        c.error(field, "too_long", std::string(field) + " is " + std::to_string(s.size()) +
                                       " characters; the limit is 64");
    } else if (!id_chars_ok(s)) {
        c.error(field, "bad_format",
                std::string(field) + " may only use letters, digits, '_', '.' and '-'");
    }
}

// A name the kiosk's 16-bit font cannot draw: say which character, so staff or the
// resident can substitute the common form (𠮷 → 吉 is the classic case).
bool check_bmp(Checker& c, const std::string& field, const std::string& s) {
    for (char32_t cp : utf8::decode(s)) {
        if (cp > 0xFFFF) {
            c.error(field, "unsupported_char",
                    leaf(field) + " contains \"" + utf8::encode(cp) +
                        "\", a character the kiosk cannot show on screen; please use a common form "
                        "of it (for example 吉 for 𠮷)");
            return false;
        }
    }
    return true;
}

}  // namespace

bool name_needs_reading(std::string_view name) {
    if (name.empty()) return true;   // not known yet: as for a Japanese name
    for (char32_t c : utf8::decode(name)) {
        if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F) ||  // kana
            (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||  // kanji
            (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005 || c == 0x3006)                                     // 々 〆
            return true;
    }
    return false;
}

namespace {

void check_personal(Checker& c, RecordKind kind, const Personal& p, bool wants_reply) {
    if (kind == RecordKind::SurveyResponse || kind == RecordKind::TalentWithdrawal || kind == RecordKind::Cancel ||
        kind == RecordKind::Attendance) {
        // Surveys are anonymous; a withdrawal names its registration, and a cancellation its
        // sign-up, by receipt and check code: refuse rather than silently keep personal data.
        const std::pair<const char*, const std::string*> all[] = {
            {"personal.name", &p.name}, {"personal.furigana", &p.furigana},
            {"personal.phone", &p.phone}, {"personal.email", &p.email}};
        for (const auto& [f, v] : all)
            if (!v->empty())
                c.error(f, "not_allowed",
                        std::string(kind == RecordKind::SurveyResponse ? "survey answers are anonymous; "
                                    : kind == RecordKind::Cancel           ? "a cancellation carries no personal data; "
                                    : kind == RecordKind::Attendance       ? "an attendance tick carries no personal data; "
                                                                           : "a withdrawal carries no personal data; ") +
                            leaf(f) + " is not allowed");
        return;
    }
    const bool group = kind == RecordKind::GroupRegistration;   // the representative (代表者)
    const bool needs_name = kind == RecordKind::SignUp || kind == RecordKind::Proposal || kind == RecordKind::Talent || group;
    // A name in Latin letters ("John Smith") is read as written: only a name with kanji or
    // kana needs its reading (a foreign resident could not finish a sign-up, issue 9).
    const bool needs_furigana =
        (kind == RecordKind::SignUp || kind == RecordKind::Talent || group) && name_needs_reading(p.name);
    const bool needs_contact = kind == RecordKind::SignUp || kind == RecordKind::Proposal || kind == RecordKind::Talent || group ||
                               (kind == RecordKind::Opinion && wants_reply);

    if (p.name.empty()) {
        if (needs_name) c.error("personal.name", "required", "name is required");
    } else if (c.text("personal.name", p.name, 1, 50, false)) {
        check_bmp(c, "personal.name", p.name);
    }
    if (p.furigana.empty()) {
        if (needs_furigana) c.error("personal.furigana", "required", "furigana (the reading of the name) is required");
    } else if (c.text("personal.furigana", p.furigana, 1, 50, false) &&
               check_bmp(c, "personal.furigana", p.furigana) && !is_kana_reading(p.furigana)) {
        c.error("personal.furigana", "bad_format", "furigana must be written in hiragana or katakana");
    }
    if (!p.phone.empty() && !is_valid_phone(p.phone))
        c.error("personal.phone", "bad_format",
                "phone must be a Japanese number of 10 or 11 digits (hyphens allowed), or start with +81");
    if (!p.email.empty() && !is_valid_email(p.email))
        c.error("personal.email", "bad_format", "email must look like name@example.jp");
    if (needs_contact && p.phone.empty() && p.email.empty())
        c.error("personal.phone", "required",
                kind == RecordKind::Opinion ? "a phone number or e-mail address is needed to reply"
                                            : "a phone number or e-mail address is required");
}

}  // namespace

std::string Validation::summary() const {
    if (errors.empty()) return "";
    return errors.front().field + ": " + errors.front().message;
}

bool is_valid_utf8(std::string_view s) { return utf8::valid(s); }

Validation validate_record(const Record& r, const Personal* personal) {
    Validation v;
    Checker c{v};
    if (r.id.empty())
        c.error("id", "required", "id is required");
    else if (!is_uuid(r.id))
        c.error("id", "bad_format", "id must be a UUID (8-4-4-4-12 hexadecimal digits)");
    if (r.schema_version != 1)
        c.error("schema_version", "out_of_range",
                "schema_version " + std::to_string(r.schema_version) + " is not supported; it must be 1");
    if (r.created_at.empty())
        c.error("created_at", "required", "created_at is required");
    else if (!parse_rfc3339(r.created_at))
        c.error("created_at", "bad_format",
                "created_at must be an RFC 3339 time such as 2026-11-22T01:02:03Z");
    check_device_id(c, "kiosk_id", r.kiosk_id);
    check_device_id(c, "centre_id", r.centre_id);
    if (!utf8::valid(r.sealed) || (!r.sealed.empty() && r.sealed.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != std::string::npos))
        c.error("sealed", "bad_format", "sealed must be base64");

    bool wants_reply = false;
    if (!r.payload.is_object()) {
        c.error("payload", "wrong_type", "payload must be an object, not " + json_type(r.payload));
    } else {
        switch (r.kind) {
            case RecordKind::SignUp: check_sign_up(c, r.payload); break;
            case RecordKind::Opinion: {
                check_opinion(c, r.payload);
                auto it = r.payload.find("wants_reply");
                wants_reply = it != r.payload.end() && it->is_boolean() && it->get<bool>();
                break;
            }
            case RecordKind::SurveyResponse: check_survey_response(c, r.payload); break;
            case RecordKind::PublicComment: check_public_comment(c, r.payload); break;
            case RecordKind::Proposal: check_proposal(c, r.payload); break;
            case RecordKind::Talent: check_talent(c, r.payload); break;
            case RecordKind::TalentWithdrawal: check_talent_withdrawal(c, r.payload); break;
            case RecordKind::GroupRegistration: check_group_registration(c, r.payload); break;
            case RecordKind::Cancel: check_cancel(c, r.payload); break;
            case RecordKind::Attendance: check_attendance(c, r.payload); break;
        }
    }

    if (r.kind == RecordKind::SurveyResponse && !r.sealed.empty())
        c.error("sealed", "not_allowed", "survey answers are anonymous; personal data is not allowed");
    if (r.kind == RecordKind::TalentWithdrawal && !r.sealed.empty())
        c.error("sealed", "not_allowed", "a withdrawal carries no personal data");
    if (r.kind == RecordKind::Cancel && !r.sealed.empty())
        c.error("sealed", "not_allowed", "a cancellation carries no personal data");
    if (r.kind == RecordKind::Attendance && !r.sealed.empty())
        c.error("sealed", "not_allowed", "an attendance tick carries no personal data");
    if (personal) {
        check_personal(c, r.kind, *personal, wants_reply);
    } else if (r.sealed.empty()) {
        // No personal part at all: the kind's requirements still apply.
        check_personal(c, r.kind, Personal{}, wants_reply);
    }
    // personal == null with a sealed blob: the caller cannot see inside (the kiosk after
    // sealing); the server validates again after opening it.
    return v;
}

Validation validate_personal(RecordKind kind, const Personal& p, bool wants_reply) {
    Validation v;
    Checker c{v};
    check_personal(c, kind, p, wants_reply);
    return v;
}

bool is_valid_phone(std::string_view s) {
    if (s.empty() || s.size() > 20) return false;
    std::size_t i = 0;
    bool intl = false;
    if (s.substr(0, 3) == "+81") {
        intl = true;
        i = 3;
        if (i < s.size() && (s[i] == '-' || s[i] == ' ')) ++i;   // "+81 90-…" / "+81-90-…"
    }
    std::string digits;
    char prev = intl ? '-' : '\0';
    for (; i < s.size(); ++i) {
        const char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            digits += ch;
        } else if (ch == '-') {
            // No leading, trailing or doubled hyphens: "--0312" is a typo, not a number.
            if (prev == '-' || prev == '\0') return false;
        } else {
            return false;
        }
        prev = ch;
    }
    if (prev == '-') return false;
    if (intl) {
        // +81 drops the trunk 0; check the national form.
        if (digits.empty() || digits[0] == '0') return false;
        digits.insert(digits.begin(), '0');
    }
    if (digits.size() < 10 || digits[0] != '0') return false;
    // Mobile, IP and M2M numbers (0X0-) and 0800 free dial have 11 digits; landlines and
    // other services have 10. Checking this catches a dropped digit in 090-1234-567.
    const bool eleven = (digits[2] == '0' && digits[1] != '0') || digits.compare(0, 4, "0800") == 0;
    return digits.size() == (eleven ? 11u : 10u);
}

bool is_valid_email(std::string_view s) {
    if (s.empty() || s.size() > 254) return false;
    const auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return false;
    for (char ch : local) {
        const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9') ||
                        std::string_view("!#$%&'*+/=?^_`{|}~.-").find(ch) != std::string_view::npos;
        if (!ok) return false;
    }
    if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char ch : label) {
            const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                            (ch >= '0' && ch <= '9') || ch == '-';
            if (!ok) return false;
        }
        if (end == domain.size()) {
            // Top-level domain: letters only, at least two ("jp", "com").
            if (label.size() < 2) return false;
            for (char ch : label)
                if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) return false;
            break;
        }
        start = end + 1;
    }
    return true;
}

bool is_kana_reading(std::string_view s) {
    if (!utf8::valid(s)) return false;
    bool any = false;
    for (char32_t c : utf8::decode(s)) {
        const bool kana = (c >= 0x3041 && c <= 0x3096) ||   // hiragana
                          (c >= 0x3099 && c <= 0x309E) ||   // (semi-)voiced marks, ゝゞ
                          (c >= 0x30A1 && c <= 0x30FA) ||   // katakana
                          (c >= 0x30FC && c <= 0x30FE) ||   // ー ヽ ヾ
                          (c >= 0xFF66 && c <= 0xFF9F);     // half-width katakana
        const bool space = c == U' ' || c == 0x3000;
        if (!kana && !space) return false;
        any = any || kana;
    }
    return any;
}

}  // namespace kyodo
