// JSON codec. Field names are the snake_case struct member names; enums travel as the
// string codes from types.h. Decoders are strict about types (a number where a string
// belongs is an error naming the field) but lenient about absence: a missing optional
// field takes the struct's default, so a newer server can drop a field without breaking
// older kiosks. Unknown enum codes are errors: showing a listing under the wrong kind
// is worse than refusing the document.
#include "core/codec.h"

#include <cmath>
#include <cstdint>

#include "core/json_text.h"
#include "core/utf8.h"

namespace kyodo {
namespace {

std::string type_name(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::boolean: return "a boolean";
        case Json::value_t::string: return "a string";
        case Json::value_t::array: return "an array";
        case Json::value_t::object: return "an object";
        case Json::value_t::discarded: return "nothing";
        default: return "a number";
    }
}

void need_object(const Json& j, const std::string& what) {
    if (!j.is_object()) throw DecodeError(what, "expected an object, got " + type_name(j));
}

// Field readers: `f` is the key, used in the error.
const Json* find(const Json& j, const char* f) {
    auto it = j.find(f);
    if (it == j.end() || it->is_null()) return nullptr;
    return &*it;
}

std::string get_str(const Json& j, const char* f, bool required = false) {
    const Json* v = find(j, f);
    if (!v) {
        if (required) throw DecodeError(f, "is required");
        return {};
    }
    if (!v->is_string()) throw DecodeError(f, "expected a string, got " + type_name(*v));
    return v->get<std::string>();
}

std::int64_t get_int(const Json& j, const char* f, std::int64_t def = 0) {
    const Json* v = find(j, f);
    if (!v) return def;
    if (v->is_number_unsigned()) {
        // nlohmann keeps integers past INT64_MAX as uint64: out of our range.
        const std::uint64_t u = v->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(INT64_MAX)) throw DecodeError(f, "integer out of range");
        return static_cast<std::int64_t>(u);
    }
    if (v->is_number_integer()) return v->get<std::int64_t>();
    // 3.0 is an integer that went through a float; 3.5 is not. The range is checked before
    // the cast: converting a double outside [-2^63, 2^63) to int64 is undefined behaviour
    // (1e30 in a push reached it from the network).
    if (v->is_number_float()) {
        const double d = v->get<double>();
        constexpr double two63 = 9223372036854775808.0;
        if (!(d >= -two63 && d < two63)) throw DecodeError(f, "integer out of range");
        if (d == std::trunc(d)) return static_cast<std::int64_t>(d);
    }
    throw DecodeError(f, "expected an integer, got " + type_name(*v));
}

int get_int32(const Json& j, const char* f, int def = 0) {
    const std::int64_t v = get_int(j, f, def);
    if (v < INT32_MIN || v > INT32_MAX) throw DecodeError(f, "integer out of range");
    return static_cast<int>(v);
}

bool get_bool(const Json& j, const char* f, bool def = false) {
    const Json* v = find(j, f);
    if (!v) return def;
    if (!v->is_boolean()) throw DecodeError(f, "expected true or false, got " + type_name(*v));
    return v->get<bool>();
}

std::vector<std::string> get_strs(const Json& j, const char* f) {
    const Json* v = find(j, f);
    if (!v) return {};
    if (!v->is_array()) throw DecodeError(f, "expected an array of strings, got " + type_name(*v));
    std::vector<std::string> out;
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const Json& e = (*v)[i];
        if (!e.is_string())
            throw DecodeError(std::string(f) + "[" + std::to_string(i) + "]",
                              "expected a string, got " + type_name(e));
        out.push_back(e.get<std::string>());
    }
    return out;
}

template <typename E>
E get_enum(const Json& j, const char* f, E def, std::optional<E> (*parse)(std::string_view)) {
    const Json* v = find(j, f);
    if (!v) return def;
    if (!v->is_string()) throw DecodeError(f, "expected a string code, got " + type_name(*v));
    const auto s = v->get<std::string>();
    auto e = parse(s);
    if (!e) throw DecodeError(f, "unknown code \"" + s + "\"");
    return *e;
}

// Re-throws a nested DecodeError with its path prefixed ("activities[3].capacity").
template <typename T, typename F>
std::vector<T> decode_list(const Json& j, const char* key, F decode) {
    std::vector<T> out;
    const Json* v = find(j, key);
    if (!v) return out;
    if (!v->is_array()) throw DecodeError(key, "expected an array, got " + type_name(*v));
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
        try {
            out.push_back(decode((*v)[i]));
        } catch (const DecodeError& e) {
            const std::string msg = std::string(e.what()).substr(e.field.size() + 2);
            throw DecodeError(e.field.empty() ? where : where + "." + e.field, msg);
        }
    }
    return out;
}

}  // namespace

// --- encoders ---------------------------------------------------------------------------

Json to_json(const Centre& c) {
    return {{"id", c.id},         {"name", c.name},   {"kana", c.kana},
            {"address", c.address}, {"phone", c.phone}, {"version", c.version}};
}

Json to_json(const Organization& o) {
    Json j = {{"id", o.id},
            {"name", o.name},
            {"kana", o.kana},
            {"type", o.type},
            {"fields", o.fields},
            {"description", o.description},
            {"contact", o.contact},
            {"version", o.version}};
    // Only registered groups carry these (core/groups.h); other organizations' JSON is unchanged.
    if (!o.registration.empty()) j["registration"] = o.registration;
    if (!o.application.empty()) j["application"] = o.application;
    return j;
}

Json to_json(const Activity& a) {
    return {{"id", a.id},
            {"kind", to_code(a.kind)},
            {"title", a.title},
            {"kana", a.kana},
            {"summary", a.summary},
            {"description", a.description},
            {"form", to_code(a.form)},
            {"method", to_code(a.method)},
            {"fields", a.fields},
            {"organizer_ids", a.organizer_ids},
            {"organizer_names", a.organizer_names},
            {"department", a.department},
            {"centre_id", a.centre_id},
            {"place", a.place},
            {"starts_at", a.starts_at},
            {"ends_at", a.ends_at},
            {"capacity", a.capacity},
            {"signup_opens", a.signup_opens},
            {"signup_closes", a.signup_closes},
            {"audience", a.audience},
            {"survey_id", a.survey_id},
            {"extra", a.extra.is_null() ? Json::object() : a.extra},
            {"taken", a.taken},
            {"version", a.version}};
}

Json to_json(const Survey& s) {
    Json qs = Json::array();
    for (const auto& q : s.questions) {
        Json qj = {{"id", q.id},
                      {"type", to_code(q.type)},
                      {"text", q.text},
                      {"choices", q.choices},
                      {"scale_min", q.scale_min},
                      {"scale_max", q.scale_max},
                      {"scale_min_label", q.scale_min_label},
                      {"scale_max_label", q.scale_max_label},
                      {"required", q.required},
                      {"indicator", q.indicator}};
        // Only branching questions carry it: every other question's JSON is as before, and a
        // kiosk older than branching ignores the key (it shows the question to everyone).
        if (!q.show_when.always())
            qj["show_when"] = {{"question_id", q.show_when.question_id}, {"choices", q.show_when.choices}};
        qs.push_back(std::move(qj));
    }
    return {{"id", s.id},
            {"title", s.title},
            {"description", s.description},
            {"questions", qs},
            {"version", s.version}};
}

Json to_json(const Record& r) {
    return {{"id", r.id},
            {"kind", to_code(r.kind)},
            {"schema_version", r.schema_version},
            {"created_at", r.created_at},
            {"kiosk_id", r.kiosk_id},
            {"centre_id", r.centre_id},
            {"payload", r.payload.is_null() ? Json::object() : r.payload},
            {"sealed", r.sealed}};
}

std::string canonical_json(const Record& r, std::string_view payload_json) {
    const std::string_view kind = to_code(r.kind);
    for (std::string_view s : {std::string_view(r.centre_id), std::string_view(r.created_at), std::string_view(r.id),
                               kind, std::string_view(r.kiosk_id), std::string_view(r.sealed)})
        if (!utf8::valid(s)) return to_json(r).dump();
    // Keys in nlohmann's order (std::map: sorted), as to_json(Record) has them.
    std::string out;
    out.reserve(payload_json.size() + r.id.size() + r.sealed.size() + 160);
    out += "{\"centre_id\":";
    json_text::append_string(out, r.centre_id);
    out += ",\"created_at\":";
    json_text::append_string(out, r.created_at);
    out += ",\"id\":";
    json_text::append_string(out, r.id);
    out += ",\"kind\":";
    json_text::append_string(out, kind);
    out += ",\"kiosk_id\":";
    json_text::append_string(out, r.kiosk_id);
    out += ",\"payload\":";
    out += payload_json;
    out += ",\"schema_version\":";
    json_text::append_int(out, r.schema_version);
    out += ",\"sealed\":";
    json_text::append_string(out, r.sealed);
    out += '}';
    return out;
}

Json to_json(const Personal& p) {
    return {{"name", p.name}, {"furigana", p.furigana}, {"phone", p.phone}, {"email", p.email}};
}

Json to_json(const CatalogDelta& d) {
    Json j = {{"version", d.version}, {"full", d.full}};
    auto list = [](const auto& v) {
        Json a = Json::array();
        for (const auto& x : v) a.push_back(to_json(x));
        return a;
    };
    j["centres"] = list(d.centres);
    j["organizations"] = list(d.organizations);
    j["activities"] = list(d.activities);
    j["surveys"] = list(d.surveys);
    j["deleted"] = {{"centres", d.deleted_centres},
                    {"organizations", d.deleted_organizations},
                    {"activities", d.deleted_activities},
                    {"surveys", d.deleted_surveys}};
    return j;
}

// --- decoders ---------------------------------------------------------------------------

Centre centre_from_json(const Json& j) {
    need_object(j, "");
    Centre c;
    c.id = get_str(j, "id", true);
    c.name = get_str(j, "name");
    c.kana = get_str(j, "kana");
    c.address = get_str(j, "address");
    c.phone = get_str(j, "phone");
    c.version = get_int(j, "version");
    return c;
}

Organization organization_from_json(const Json& j) {
    need_object(j, "");
    Organization o;
    o.id = get_str(j, "id", true);
    o.name = get_str(j, "name");
    o.kana = get_str(j, "kana");
    o.type = get_str(j, "type");
    o.fields = get_strs(j, "fields");
    o.description = get_str(j, "description");
    o.contact = get_str(j, "contact");
    o.registration = get_str(j, "registration");
    o.application = get_str(j, "application");
    o.version = get_int(j, "version");
    return o;
}

Activity activity_from_json(const Json& j) {
    need_object(j, "");
    Activity a;
    a.id = get_str(j, "id", true);
    a.kind = get_enum(j, "kind", a.kind, &activity_kind_from_code);
    a.title = get_str(j, "title", true);
    a.kana = get_str(j, "kana");
    a.summary = get_str(j, "summary");
    a.description = get_str(j, "description");
    a.form = get_enum(j, "form", a.form, &form_from_code);
    a.method = get_enum(j, "method", a.method, &method_from_code);
    a.fields = get_strs(j, "fields");
    a.organizer_ids = get_strs(j, "organizer_ids");
    a.organizer_names = get_strs(j, "organizer_names");
    a.department = get_str(j, "department");
    a.centre_id = get_str(j, "centre_id");
    a.place = get_str(j, "place");
    a.starts_at = get_str(j, "starts_at");
    a.ends_at = get_str(j, "ends_at");
    a.capacity = get_int32(j, "capacity");
    a.signup_opens = get_str(j, "signup_opens");
    a.signup_closes = get_str(j, "signup_closes");
    a.audience = get_str(j, "audience");
    a.survey_id = get_str(j, "survey_id");
    if (const Json* e = find(j, "extra")) {
        if (!e->is_object()) throw DecodeError("extra", "expected an object, got " + type_name(*e));
        a.extra = *e;
    }
    a.taken = get_int32(j, "taken");
    a.version = get_int(j, "version");
    if (a.capacity < 0) throw DecodeError("capacity", "must not be negative");
    if (a.taken < 0) throw DecodeError("taken", "must not be negative");
    return a;
}

Survey survey_from_json(const Json& j) {
    need_object(j, "");
    Survey s;
    s.id = get_str(j, "id", true);
    s.title = get_str(j, "title");
    s.description = get_str(j, "description");
    s.version = get_int(j, "version");
    s.questions = decode_list<SurveyQuestion>(j, "questions", [](const Json& q) {
        need_object(q, "");
        SurveyQuestion out;
        out.id = get_str(q, "id", true);
        out.type = get_enum(q, "type", out.type, &question_type_from_code);
        out.text = get_str(q, "text");
        out.choices = get_strs(q, "choices");
        out.scale_min = get_int32(q, "scale_min", 1);
        out.scale_max = get_int32(q, "scale_max", 5);
        out.scale_min_label = get_str(q, "scale_min_label");
        out.scale_max_label = get_str(q, "scale_max_label");
        out.required = get_bool(q, "required");
        out.indicator = get_str(q, "indicator");
        if (const Json* w = find(q, "show_when")) {
            try {
                need_object(*w, "");
                out.show_when.question_id = get_str(*w, "question_id", true);
                const Json* cs = find(*w, "choices");
                if (cs && !cs->is_array()) throw DecodeError("choices", "expected an array of integers, got " + type_name(*cs));
                if (cs)
                    for (std::size_t i = 0; i < cs->size(); ++i) {
                        const Json one = {{"choice", (*cs)[i]}};
                        try {
                            out.show_when.choices.push_back(get_int32(one, "choice"));
                        } catch (const DecodeError& e) {
                            throw DecodeError("choices[" + std::to_string(i) + "]", std::string(e.what()).substr(e.field.size() + 2));
                        }
                    }
            } catch (const DecodeError& e) {
                throw DecodeError(e.field.empty() ? "show_when" : "show_when." + e.field,
                                  std::string(e.what()).substr(e.field.size() + 2));
            }
        }
        return out;
    });
    return s;
}

Record record_from_json(const Json& j) {
    need_object(j, "record");
    Record r;
    r.id = get_str(j, "id", true);
    const Json* k = find(j, "kind");
    if (!k) throw DecodeError("kind", "is required");
    r.kind = get_enum(j, "kind", r.kind, &record_kind_from_code);
    r.schema_version = get_int32(j, "schema_version", 1);
    r.created_at = get_str(j, "created_at");
    r.kiosk_id = get_str(j, "kiosk_id");
    r.centre_id = get_str(j, "centre_id");
    if (const Json* p = find(j, "payload")) {
        // The payload's own shape is the validator's job (it reports every field at
        // once); here it only has to be an object.
        if (!p->is_object()) throw DecodeError("payload", "expected an object, got " + type_name(*p));
        r.payload = *p;
    }
    r.sealed = get_str(j, "sealed");
    return r;
}

Record record_from_json(Json&& j) {
    Json* p = nullptr;
    if (j.is_object())
        if (auto it = j.find("payload"); it != j.end() && it->is_object()) p = &*it;
    if (!p) return record_from_json(static_cast<const Json&>(j));
    // An empty object stands in while the rest is decoded: it passes the same "is an object"
    // check, so every error is the one the tree with its payload would give.
    Json payload = Json::object();
    payload.swap(*p);
    try {
        Record r = record_from_json(static_cast<const Json&>(j));
        r.payload = std::move(payload);
        return r;
    } catch (...) {
        p->swap(payload);
        throw;
    }
}

Personal personal_from_json(const Json& j) {
    need_object(j, "personal");
    Personal p;
    p.name = get_str(j, "name");
    p.furigana = get_str(j, "furigana");
    p.phone = get_str(j, "phone");
    p.email = get_str(j, "email");
    return p;
}

CatalogDelta catalog_from_json(const Json& j) {
    need_object(j, "catalog");
    CatalogDelta d;
    d.version = get_int(j, "version");
    d.full = get_bool(j, "full");
    d.centres = decode_list<Centre>(j, "centres", centre_from_json);
    d.organizations = decode_list<Organization>(j, "organizations", organization_from_json);
    d.activities = decode_list<Activity>(j, "activities", activity_from_json);
    d.surveys = decode_list<Survey>(j, "surveys", survey_from_json);
    if (const Json* del = find(j, "deleted")) {
        if (!del->is_object())
            throw DecodeError("deleted", "expected an object, got " + type_name(*del));
        auto ids = [&](const char* key) {
            try {
                return get_strs(*del, key);
            } catch (const DecodeError& e) {
                throw DecodeError("deleted." + e.field,
                                  std::string(e.what()).substr(e.field.size() + 2));
            }
        };
        d.deleted_centres = ids("centres");
        d.deleted_organizations = ids("organizations");
        d.deleted_activities = ids("activities");
        d.deleted_surveys = ids("surveys");
    }
    return d;
}

}  // namespace kyodo
