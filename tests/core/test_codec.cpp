#include <doctest/doctest.h>

#include <iterator>
#include <random>

#include "core/codec.h"
#include "core/json_text.h"

using namespace kyodo;

namespace {

Activity sample_activity() {
    Activity a;
    a.id = "act-001";
    a.kind = ActivityKind::Event;
    a.title = "大殿地区 防災訓練";
    a.kana = "おおどのちく ぼうさいくんれん";
    a.summary = "避難所の開設と炊き出しを体験します";
    a.description = "雨天決行。\n動きやすい服装で。";
    a.form = Form::Kyoryoku;
    a.method = Method::JikkoIinkai;
    a.fields = {"防災", "まちづくり"};
    a.organizer_ids = {"org-1"};
    a.organizer_names = {"大殿地区自治会連合会"};
    a.department = "防災危機管理課";
    a.centre_id = "ohdono";
    a.place = "大殿小学校 体育館";
    a.starts_at = "2026-11-22T10:00";
    a.ends_at = "2026-11-22T12:00";
    a.capacity = 40;
    a.signup_opens = "2026-10-01";
    a.signup_closes = "2026-11-15";
    a.audience = "地区住民";
    a.survey_id = "sv-1";
    a.extra = {{"sample", true}};
    a.taken = 12;
    a.version = 7;
    return a;
}

}  // namespace

TEST_CASE("codec: activity round trip") {
    const Activity a = sample_activity();
    const Json j = to_json(a);
    CHECK(j["kind"] == "event");
    CHECK(j["form"] == "kyoryoku");
    CHECK(j["method"] == "executive_committee");
    const Activity b = activity_from_json(j);
    CHECK(to_json(b) == j);
    CHECK(b.places_left() == 28);
    // Through text as well (the wire).
    CHECK(to_json(activity_from_json(Json::parse(j.dump()))) == j);
}

TEST_CASE("codec: centre, organization, survey, personal round trips") {
    Centre c{"ohdono", "大殿地域交流センター", "おおどのちいきこうりゅうせんたー", "山口市大殿", "083-000-0000", 3};
    CHECK(to_json(centre_from_json(to_json(c))) == to_json(c));
    Organization o{"org-1", "NPO法人 やまぐち子育てネット", "やまぐちこそだてねっと", "NPO法人",
                   {"子育て"}, "子育て支援", "083-111-1111", "G-0007", "R-2026-0042", 2};   // a registered group (利用登録)
    CHECK(to_json(organization_from_json(to_json(o))) == to_json(o));
    Survey s;
    s.id = "sv-1";
    s.title = "満足度アンケート";
    s.version = 4;
    SurveyQuestion q;
    q.id = "q1";
    q.type = QuestionType::Scale;
    q.text = "満足度は?";
    q.scale_min_label = "不満";
    q.scale_max_label = "満足";
    q.required = true;
    q.indicator = "S-1";
    s.questions = {q};
    SurveyQuestion q2;
    q2.id = "q2";
    q2.type = QuestionType::Multiple;
    q2.choices = {"チラシ", "知人"};
    s.questions.push_back(q2);
    CHECK(to_json(survey_from_json(to_json(s))) == to_json(s));
    Personal p{"山田", "やまだ", "090-1234-5678", "a@example.jp"};
    CHECK(to_json(personal_from_json(to_json(p))) == to_json(p));
}

TEST_CASE("codec: record round trip matches the protocol's shape") {
    const Json wire = Json::parse(R"({
      "id": "019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b", "kind": "opinion", "schema_version": 1,
      "created_at": "2026-11-22T01:02:03Z", "kiosk_id": "ohdono-1", "centre_id": "ohdono",
      "payload": {"topic": "防災", "text": "避難所の案内をもっと大きく", "activity_id": "", "wants_reply": false},
      "sealed": ""})");
    const Record r = record_from_json(wire);
    CHECK(r.kind == RecordKind::Opinion);
    CHECK(r.payload["topic"] == "防災");
    CHECK(to_json(r) == wire);
}

TEST_CASE("codec: decoding a record by move: same record, same errors, tree kept on an error") {
    const Json wire = Json::parse(R"({
      "id": "019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b", "kind": "opinion", "schema_version": 1,
      "created_at": "2026-11-22T01:02:03Z", "kiosk_id": "ohdono-1", "centre_id": "ohdono",
      "payload": {"topic": "防災", "text": "避難所の案内をもっと大きく", "nested": {"a": [1, 2]}},
      "sealed": ""})");
    Json moved = wire;
    const Record r = record_from_json(std::move(moved));
    CHECK(to_json(r) == wire);
    CHECK(to_json(r) == to_json(record_from_json(wire)));

    // Errors decided after the payload (sealed) and before it (created_at): the same message
    // as the copying decode, and the caller's tree is whole again.
    for (const char* key : {"sealed", "created_at"}) {
        Json bad = wire;
        bad[key] = 7;
        std::string copy_error, move_error;
        try {
            record_from_json(bad);
        } catch (const DecodeError& e) {
            copy_error = e.what();
        }
        Json work = bad;
        try {
            record_from_json(std::move(work));
        } catch (const DecodeError& e) {
            move_error = e.what();
        }
        CHECK(!copy_error.empty());
        CHECK(move_error == copy_error);
        CHECK(work == bad);
    }
}

TEST_CASE("codec: catalog delta round trip") {
    CatalogDelta d;
    d.version = 57;
    d.full = false;
    d.activities = {sample_activity()};
    d.centres = {Centre{"ohdono", "大殿", "", "", "", 1}};
    d.deleted_activities = {"act-012"};
    d.deleted_surveys = {"sv-9"};
    const Json j = to_json(d);
    const CatalogDelta e = catalog_from_json(j);
    CHECK(e.version == 57);
    CHECK_FALSE(e.full);
    CHECK(e.deleted_activities == d.deleted_activities);
    CHECK(to_json(e) == j);
    // Missing lists are empty, not errors.
    const CatalogDelta m = catalog_from_json(Json::parse(R"({"version": 3})"));
    CHECK(m.version == 3);
    CHECK(m.activities.empty());
}

TEST_CASE("codec: decode errors name the field") {
    auto field_of = [](auto fn) -> std::string {
        try {
            fn();
        } catch (const DecodeError& e) {
            return e.field;
        }
        return "<no error>";
    };
    Json a = to_json(sample_activity());
    Json bad = a;
    bad["kind"] = "festival";
    CHECK(field_of([&] { activity_from_json(bad); }) == "kind");
    bad = a;
    bad["method"] = "bribery";
    CHECK(field_of([&] { activity_from_json(bad); }) == "method");
    bad = a;
    bad["capacity"] = "forty";
    CHECK(field_of([&] { activity_from_json(bad); }) == "capacity");
    bad = a;
    bad["fields"] = {"防災", 3};
    CHECK(field_of([&] { activity_from_json(bad); }) == "fields[1]");
    bad = a;
    bad.erase("id");
    CHECK(field_of([&] { activity_from_json(bad); }) == "id");

    Json cat = {{"version", 2}, {"activities", Json::array({a, a})}};
    cat["activities"][1]["form"] = "unknown";
    CHECK(field_of([&] { catalog_from_json(cat); }) == "activities[1].form");
    try {
        catalog_from_json(cat);
    } catch (const DecodeError& e) {
        CHECK(std::string(e.what()) == "activities[1].form: unknown code \"unknown\"");
    }
    CHECK(field_of([&] { catalog_from_json(Json{{"deleted", {{"activities", "x"}}}}); }) ==
          "deleted.activities");
    CHECK(field_of([&] { record_from_json(Json{{"id", "x"}, {"kind", "petition"}}); }) == "kind");
    CHECK(field_of([&] { record_from_json(Json{{"id", "x"}}); }) == "kind");
    CHECK(field_of([&] { record_from_json(Json{{"id", "x"}, {"kind", "opinion"}, {"payload", "hi"}}); }) ==
          "payload");
    Json s = {{"id", "sv"}, {"questions", Json::array({{{"id", "q"}, {"type", "essay"}}})}};
    CHECK(field_of([&] { survey_from_json(s); }) == "questions[0].type");
}

// The server hashes canonical_json() instead of to_json(record).dump(); a record stored
// before must hash the same after, or a re-sent record would be answered conflict.
TEST_CASE("codec: canonical_json is byte for byte to_json(record).dump()") {
    // Every ASCII byte alone, then mixed with multi-byte and 4-byte characters.
    std::vector<std::string> texts = {"", "防災", "𠮷野家 🍣", "a\"b\\c/d", "\x7f", "tab\tnl\nCR\r\x01\x1f end"};
    for (int c = 0; c < 0x80; ++c) texts.push_back(std::string(1, static_cast<char>(c)) + "x");
    std::mt19937 rng(42);
    const std::string alphabet[] = {"a", "\"", "\\", "\n", "\x02", "\x1e", "\x7f", "é", "あ", "漢", "😀", " ", "/"};
    for (int i = 0; i < 200; ++i) {
        std::string s;
        const int len = static_cast<int>(rng() % 12);
        for (int k = 0; k < len; ++k) s += alphabet[rng() % std::size(alphabet)];
        texts.push_back(s);
    }
    int n = 0;
    for (const std::string& t : texts) {
        Record r;
        r.id = "019a6b2e-3c4d-7e5f-8a9b-" + std::to_string(n);
        r.kind = static_cast<RecordKind>(n % 5);
        r.schema_version = (n % 3 == 0) ? -n : n * 1000;
        r.created_at = t;
        r.kiosk_id = "k" + t;
        r.centre_id = t + "c";
        r.sealed = n % 2 ? t : "";
        r.payload = {{"text", t}, {"n", n}, {"f", 1.5 * n}, {"list", {t, nullptr, true}}, {"obj", {{t, t}}}};
        if (n % 7 == 0) r.payload = Json::object();
        CHECK(canonical_json(r, r.payload.dump()) == to_json(r).dump());
        ++n;
    }
    // A null payload is "{}" in to_json.
    Record r;
    r.payload = nullptr;
    CHECK(canonical_json(r, "{}") == to_json(r).dump());
    // Not UTF-8: dump() refuses, and so does canonical_json.
    r.centre_id = "\xff";
    CHECK_THROWS(canonical_json(r, "{}"));
}

TEST_CASE("json_text: strings and integers as dump() writes them") {
    for (int c = 0; c < 0x100; ++c) {
        const std::string s = "<" + std::string(1, static_cast<char>(c)) + ">";
        std::string out;
        json_text::append_string_lossy(out, s);
        CHECK(out == Json(s).dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    std::string out;
    json_text::append_string(out, "𠮷\u2028\"");
    CHECK(out == Json("𠮷\u2028\"").dump());
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{42}, INT64_MAX, INT64_MIN}) {
        std::string o;
        json_text::append_int(o, v);
        CHECK(o == Json(v).dump());
    }
}

// A JSON number is range-checked before it becomes an integer: casting 1e30 (or a uint64
// past INT64_MAX) to int64 is undefined behaviour, and a push or a catalog is outside bytes.
TEST_CASE("codec: integers out of the 64-bit range are decode errors, not undefined behaviour") {
    auto error_of = [](auto fn) -> std::string {
        try {
            fn();
        } catch (const DecodeError& e) {
            return std::string(e.what());
        }
        return "<no error>";
    };
    Json rec = to_json(Record{});
    rec["id"] = "r1";
    rec["kind"] = "opinion";
    for (const char* text : {"1e30", "-1e30", "9.3e18", "-9.3e18", "18446744073709551615", "1e308"}) {
        CAPTURE(text);
        Json r = rec;
        r["schema_version"] = Json::parse(text);
        CHECK(error_of([&] { record_from_json(r); }) == "schema_version: integer out of range");
        Json cat = {{"version", Json::parse(text)}};
        CHECK(error_of([&] { catalog_from_json(cat); }) == "version: integer out of range");
    }
    // In range: an integer that went through a float still decodes; -2^63 is the edge.
    Json cat = {{"version", Json::parse("3.0")}};
    CHECK(catalog_from_json(cat).version == 3);
    cat["version"] = Json::parse("-9223372036854775808");
    CHECK(catalog_from_json(cat).version == INT64_MIN);
    cat["version"] = Json::parse("-9.223372036854775808e18");
    CHECK(catalog_from_json(cat).version == INT64_MIN);
    cat["version"] = Json::parse("9.223372036854775808e18");   // 2^63: one past INT64_MAX
    CHECK(error_of([&] { catalog_from_json(cat); }) == "version: integer out of range");
    cat["version"] = Json::parse("3.5");
    CHECK(error_of([&] { catalog_from_json(cat); }) == "version: expected an integer, got a number");
}

// Branching surveys (issue 9 point 7): show_when travels only on the questions that branch; a
// catalog from before branching decodes as before (every question shown); a malformed
// condition is an error naming it.
TEST_CASE("codec: a question's show_when round trips; older catalogs decode; bad ones name the field") {
    Survey s;
    s.id = "srv-b";
    SurveyQuestion q1;
    q1.id = "q1";
    q1.choices = {"はい", "いいえ"};
    SurveyQuestion q2;
    q2.id = "q2";
    q2.type = QuestionType::FreeText;
    q2.show_when = {"q1", {0}};
    s.questions = {q1, q2};
    const Json j = to_json(s);
    CHECK_FALSE(j["questions"][0].contains("show_when"));
    CHECK(j["questions"][1]["show_when"] == Json{{"question_id", "q1"}, {"choices", {0}}});
    const Survey back = survey_from_json(j);
    CHECK(back.questions[0].show_when.always());
    CHECK(back.questions[1].show_when.question_id == "q1");
    CHECK(back.questions[1].show_when.choices == std::vector<int>{0});

    // A survey as catalogs had it before branching: no show_when anywhere.
    const Json old = Json::parse(R"({"id":"srv-old","questions":[{"id":"q1","type":"single","choices":["a","b"]},
                                     {"id":"q2","type":"free_text"}]})");
    for (const auto& q : survey_from_json(old).questions) CHECK(q.show_when.always());

    Json bad = j;
    bad["questions"][1]["show_when"]["choices"] = Json::array({"はい"});
    try {
        survey_from_json(bad);
        FAIL("a choice by text was accepted");
    } catch (const DecodeError& e) {
        CHECK(e.field == "questions[1].show_when.choices[0]");
    }
    bad["questions"][1]["show_when"] = Json{{"choices", {0}}};
    try {
        survey_from_json(bad);
        FAIL("a condition without its question was accepted");
    } catch (const DecodeError& e) {
        CHECK(e.field == "questions[1].show_when.question_id");
    }
    bad["questions"][1]["show_when"] = "q1";
    CHECK_THROWS_AS(survey_from_json(bad), DecodeError);
}
