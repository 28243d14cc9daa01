#include <doctest/doctest.h>
#include <set>

#include "core/uuid.h"
#include "core/validate.h"

using namespace kyodo;

namespace {

Record base(RecordKind kind, Json payload) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = kind;
    r.created_at = "2026-11-22T01:02:03Z";
    r.kiosk_id = "ohdono-1";
    r.centre_id = "ohdono";
    r.payload = std::move(payload);
    return r;
}

Record sign_up() {
    return base(RecordKind::SignUp, {{"activity_id", "act-001"}, {"activity_version", 3},
                                     {"party_size", 2}, {"note", "車椅子で参加します"}});
}
Record opinion() {
    return base(RecordKind::Opinion,
                {{"topic", "防災"}, {"text", "避難所の案内をもっと大きく"}, {"activity_id", ""}, {"wants_reply", false}});
}
Record survey() {
    return base(RecordKind::SurveyResponse,
                {{"survey_id", "sv-1"}, {"survey_version", 1},
                 {"answers", Json::array({{{"question_id", "q1"}, {"scale", 4}},
                                          {{"question_id", "q2"}, {"choices", {0, 2}}},
                                          {{"question_id", "q3"}, {"choice", 1}},
                                          {{"question_id", "q4"}, {"text", "また来たい"}}})}});
}
Record comment() {
    return base(RecordKind::PublicComment,
                {{"draft_id", "draft-2026-01"}, {"section_id", "s3"}, {"text", "第3条に賛成です"}});
}
Record proposal() {
    return base(RecordKind::Proposal, {{"title", "空き家を使った子ども食堂"},
                                       {"summary", "月2回、地域の空き家で"},
                                       {"fields", {"子育て", "福祉"}},
                                       {"group_name", "大殿子ども食堂の会"},
                                       {"partner_department", "子育て支援課"}});
}
const Personal kPerson{"山田 花子", "やまだ はなこ", "090-1234-5678", ""};

// The single error's field and code, or "ok".
std::string one(const Validation& v) {
    if (v.ok()) return "ok";
    std::string s = v.errors[0].field + " " + v.errors[0].code;
    if (v.errors.size() > 1) s += " (+" + std::to_string(v.errors.size() - 1) + ": " + v.errors[1].field + " " + v.errors[1].code + ")";
    return s;
}

std::string rep(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("validate: valid records of every kind pass") {
    CHECK(one(validate_record(sign_up(), &kPerson)) == "ok");
    CHECK(one(validate_record(opinion(), nullptr)) == "ok");
    CHECK(one(validate_record(survey(), nullptr)) == "ok");
    CHECK(one(validate_record(comment(), nullptr)) == "ok");
    Personal named{"山田", "", "", "taro@example.jp"};
    CHECK(one(validate_record(proposal(), &named)) == "ok");
    // Sealed sign-up seen by the kiosk after sealing: personal checks are the server's.
    Record sealed = sign_up();
    sealed.sealed = "QUJD";
    CHECK(one(validate_record(sealed, nullptr)) == "ok");
    // Optional fields may be omitted.
    Record minimal = base(RecordKind::Opinion, {{"text", "ありがとう"}});
    CHECK(one(validate_record(minimal, nullptr)) == "ok");
    Record with_code = sign_up();
    with_code.payload["check_code"] = "0427";
    CHECK(one(validate_record(with_code, &kPerson)) == "ok");
}

TEST_CASE("validate: envelope rules") {
    Record r = opinion();
    r.id = "";
    CHECK(one(validate_record(r, nullptr)) == "id required");
    r.id = "not-a-uuid";
    CHECK(one(validate_record(r, nullptr)) == "id bad_format");
    r = opinion();
    r.schema_version = 2;
    CHECK(one(validate_record(r, nullptr)) == "schema_version out_of_range");
    r = opinion();
    r.created_at = "22/11/2026";
    CHECK(one(validate_record(r, nullptr)) == "created_at bad_format");
    r.created_at = "";
    CHECK(one(validate_record(r, nullptr)) == "created_at required");
    r = opinion();
    r.kiosk_id = "";
    CHECK(one(validate_record(r, nullptr)) == "kiosk_id required");
    r.kiosk_id = "大殿";
    CHECK(one(validate_record(r, nullptr)) == "kiosk_id bad_format");
    r.kiosk_id = std::string(65, 'k');
    CHECK(one(validate_record(r, nullptr)) == "kiosk_id too_long");
    r = opinion();
    r.centre_id = "a b";
    CHECK(one(validate_record(r, nullptr)) == "centre_id bad_format");
    r = opinion();
    r.payload = Json::array();
    CHECK(one(validate_record(r, nullptr)) == "payload wrong_type");
    r = opinion();
    r.sealed = "not base64!";
    CHECK(one(validate_record(r, nullptr)) == "sealed bad_format");
}

TEST_CASE("validate: limits are characters, not bytes") {
    Record r = opinion();
    r.payload["text"] = rep("あ", 2000);   // 6,000 bytes, 2,000 characters
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r.payload["text"] = rep("あ", 2001);
    const Validation v = validate_record(r, nullptr);
    CHECK(one(v) == "payload.text too_long");
    CHECK(v.errors[0].message == "text is 2,001 characters; the limit is 2,000");
    CHECK(v.summary() == "payload.text: text is 2,001 characters; the limit is 2,000");
    r.payload["text"] = rep("𠮷", 2000);   // emoji/rare kanji allowed in free text
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r = opinion();
    r.payload["topic"] = rep("防", 40);
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r.payload["topic"] = rep("防", 41);
    CHECK(one(validate_record(r, nullptr)) == "payload.topic too_long");
}

TEST_CASE("validate: text rules (required, blank, control, UTF-8, multi-line)") {
    Record r = opinion();
    r.payload["text"] = "";
    CHECK(one(validate_record(r, nullptr)) == "payload.text required");
    r.payload["text"] = "　 \n";
    CHECK(one(validate_record(r, nullptr)) == "payload.text required");
    r.payload.erase("text");
    CHECK(one(validate_record(r, nullptr)) == "payload.text required");
    r.payload["text"] = "一行目\n二行目\tタブ";
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r.payload["text"] = "bell\x07";
    CHECK(one(validate_record(r, nullptr)) == "payload.text control_char");
    r.payload["text"] = "ok";
    r.payload["topic"] = "two\nlines";   // single-line field
    CHECK(one(validate_record(r, nullptr)) == "payload.topic control_char");
    r = opinion();
    r.payload["text"] = std::string("bad \xC0\x80 bytes");
    CHECK(one(validate_record(r, nullptr)) == "payload.text invalid_utf8");
}

TEST_CASE("validate: types and unknown fields") {
    Record r = opinion();
    r.payload["text"] = 42;
    CHECK(one(validate_record(r, nullptr)) == "payload.text wrong_type");
    r = opinion();
    r.payload["wants_reply"] = "yes";
    CHECK(one(validate_record(r, nullptr)) == "payload.wants_reply wrong_type");
    r = opinion();
    r.payload["mood"] = "happy";
    const Validation v = validate_record(r, nullptr);
    CHECK(one(v) == "payload.mood unknown_field");
    r = sign_up();
    r.payload["party_size"] = 2.5;
    CHECK(one(validate_record(r, &kPerson)) == "payload.party_size wrong_type");
    r.payload["party_size"] = "2";
    CHECK(one(validate_record(r, &kPerson)) == "payload.party_size wrong_type");
}

TEST_CASE("validate: sign_up") {
    Record r = sign_up();
    r.payload["party_size"] = 0;
    CHECK(one(validate_record(r, &kPerson)) == "payload.party_size out_of_range");
    r.payload["party_size"] = 11;
    CHECK(one(validate_record(r, &kPerson)) == "payload.party_size out_of_range");
    r = sign_up();
    r.payload["activity_version"] = -1;
    CHECK(one(validate_record(r, &kPerson)) == "payload.activity_version out_of_range");
    r = sign_up();
    r.payload.erase("activity_id");
    CHECK(one(validate_record(r, &kPerson)) == "payload.activity_id required");
    r = sign_up();
    r.payload["note"] = rep("あ", 501);
    CHECK(one(validate_record(r, &kPerson)) == "payload.note too_long");
    r = sign_up();
    r.payload["check_code"] = "12a4";
    CHECK(one(validate_record(r, &kPerson)) == "payload.check_code bad_format");
    r.payload["check_code"] = 1234;
    CHECK(one(validate_record(r, &kPerson)) == "payload.check_code wrong_type");
    // A place confirmed on the spot names the kiosk's lease by its id (a UUID).
    r = sign_up();
    r.payload["lease"] = "019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
    CHECK(validate_record(r, &kPerson).ok());
    r.payload["lease"] = "L-1";
    CHECK(one(validate_record(r, &kPerson)) == "payload.lease bad_format");
    r.payload["lease"] = 7;
    CHECK(one(validate_record(r, &kPerson)) == "payload.lease wrong_type");

    r = sign_up();
    CHECK(one(validate_record(r, nullptr)) == "personal.name required (+2: personal.furigana required)");
    Personal p = kPerson;
    p.phone = "";
    CHECK(one(validate_record(r, &p)) == "personal.phone required");
    p.email = "hanako@example.jp";
    CHECK(one(validate_record(r, &p)) == "ok");
    p = kPerson;
    p.furigana = "山田";
    CHECK(one(validate_record(r, &p)) == "personal.furigana bad_format");
    p.furigana = "ヤマダ ハナコ";
    CHECK(one(validate_record(r, &p)) == "ok");
    p = kPerson;
    p.name = rep("山", 51);
    CHECK(one(validate_record(r, &p)) == "personal.name too_long");
    p.name = rep("山", 50);
    CHECK(one(validate_record(r, &p)) == "ok");
    // A name in Latin letters is read as written: no reading needed (issue 9: a foreign
    // resident could not finish a sign-up). A name with kanji or kana still needs one.
    p = kPerson;
    p.name = "John Smith";
    p.furigana = "";
    CHECK(one(validate_record(r, &p)) == "ok");
    p.name = "Smith マリア";
    CHECK(one(validate_record(r, &p)) == "personal.furigana required");
}

TEST_CASE("validate: a booking's group, purpose, consultation topic and its text") {
    Record r = sign_up();
    r.payload["party_size"] = 1;
    r.payload["group"] = "G-0001";
    r.payload["purpose"] = "町内会の総会でスライドを映す";
    CHECK(one(validate_record(r, &kPerson)) == "ok");
    r.payload["purpose"] = rep("会", 200);
    CHECK(one(validate_record(r, &kPerson)) == "ok");
    r.payload["purpose"] = rep("会", 201);
    CHECK(one(validate_record(r, &kPerson)) == "payload.purpose too_long");
    r.payload["purpose"] = "総会\nと懇親会";   // one line
    CHECK(one(validate_record(r, &kPerson)) == "payload.purpose control_char");
    r.payload["purpose"] = 3;
    CHECK(one(validate_record(r, &kPerson)) == "payload.purpose wrong_type");
    r.payload["purpose"] = "";   // may be empty
    CHECK(one(validate_record(r, &kPerson)) == "ok");

    // A consultation (協働相談窓口): a topic code of slots::consult_topics() and free text.
    Record c = sign_up();
    c.payload["party_size"] = 1;
    c.payload["topic"] = "starting";
    c.payload["topic_text"] = "子ども食堂を始めたい。\n場所と助成金について聞きたい。";
    CHECK(one(validate_record(c, &kPerson)) == "ok");
    for (const char* code : {"proposal", "starting", "funding", "volunteer", "facility", "other"}) {
        c.payload["topic"] = code;
        CHECK_MESSAGE(one(validate_record(c, &kPerson)) == "ok", code);
    }
    c.payload["topic"] = "tax";
    CHECK(one(validate_record(c, &kPerson)) == "payload.topic bad_format");
    c.payload["topic"] = "協働事業の提案";   // the label is not the code
    CHECK(one(validate_record(c, &kPerson)) == "payload.topic bad_format");
    c.payload["topic"] = 1;
    CHECK(one(validate_record(c, &kPerson)) == "payload.topic wrong_type");
    c.payload["topic"] = "other";
    c.payload["topic_text"] = rep("あ", 400);
    CHECK(one(validate_record(c, &kPerson)) == "ok");
    c.payload["topic_text"] = rep("あ", 401);
    CHECK(one(validate_record(c, &kPerson)) == "payload.topic_text too_long");
    c.payload.erase("topic_text");
    c.payload.erase("topic");
    CHECK(one(validate_record(c, &kPerson)) == "ok");   // both optional
}

TEST_CASE("validate: names beyond U+FFFF are unsupported on the kiosk") {
    Personal p = kPerson;
    p.name = "𠮷田 花子";
    const Validation v = validate_personal(RecordKind::SignUp, p);
    CHECK(one(v) == "personal.name unsupported_char");
    CHECK(v.errors[0].message.find("𠮷") != std::string::npos);
    CHECK(v.errors[0].message.find("cannot show") != std::string::npos);
    p.name = "吉田 花子";
    CHECK(validate_personal(RecordKind::SignUp, p).ok());
    p.name = "山田\n花子";
    CHECK(one(validate_personal(RecordKind::SignUp, p)) == "personal.name control_char");
}

TEST_CASE("validate: opinion reply needs a contact") {
    Record r = opinion();
    r.payload["wants_reply"] = true;
    CHECK(one(validate_record(r, nullptr)) == "personal.phone required");
    Personal p{"", "", "", "a@example.jp"};
    CHECK(one(validate_record(r, &p)) == "ok");
    r.payload["wants_reply"] = false;
    Personal none;
    CHECK(one(validate_record(r, &none)) == "ok");
    CHECK(one(validate_personal(RecordKind::Opinion, none, true)) == "personal.phone required");
}

TEST_CASE("validate: survey_response") {
    Record r = survey();
    r.payload["activity_id"] = "act-064";   // offered on a listing's detail page
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r.payload["activity_id"] = std::string(65, 'a');
    CHECK(one(validate_record(r, nullptr)) == "payload.activity_id too_long");
    r = survey();
    Personal p{"山田", "", "", ""};
    CHECK(one(validate_record(r, &p)) == "personal.name not_allowed");
    r.sealed = "QUJD";
    CHECK(one(validate_record(r, nullptr)) == "sealed not_allowed");
    r = survey();
    r.payload["answers"][0]["choice"] = 1;   // two forms
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[0] not_allowed");
    r = survey();
    r.payload["answers"][0].erase("scale");
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[0] required");
    r = survey();
    r.payload["answers"][1]["choices"] = Json::array();
    for (int i = 0; i < 21; ++i) r.payload["answers"][1]["choices"].push_back(i);
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[1].choices too_long");
    r = survey();
    r.payload["answers"][3]["text"] = rep("あ", 1001);
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[3].text too_long");
    r = survey();
    r.payload["answers"][2]["extra"] = 1;
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[2].extra unknown_field");
    r = survey();
    r.payload["answers"][2]["question_id"] = "q1";
    CHECK(one(validate_record(r, nullptr)) == "payload.answers[2].question_id not_allowed");
    r = survey();
    r.payload["answers"] = Json::array();
    for (int i = 0; i < 101; ++i) r.payload["answers"].push_back({{"question_id", "q" + std::to_string(i)}, {"scale", 1}});
    CHECK(one(validate_record(r, nullptr)) == "payload.answers too_long");
    r = survey();
    r.payload["answers"] = "all good";
    CHECK(one(validate_record(r, nullptr)) == "payload.answers wrong_type");
    r = survey();
    r.payload["survey_version"] = "1";
    CHECK(one(validate_record(r, nullptr)) == "payload.survey_version wrong_type");
}

TEST_CASE("validate: public_comment and proposal") {
    Record r = comment();
    r.payload["text"] = rep("意", 4000);
    CHECK(one(validate_record(r, nullptr)) == "ok");
    r.payload["text"] = rep("意", 4001);
    CHECK(one(validate_record(r, nullptr)) == "payload.text too_long");
    r = comment();
    r.payload.erase("section_id");
    CHECK(one(validate_record(r, nullptr)) == "payload.section_id required");
    Personal bad_phone{"", "", "12345", ""};
    CHECK(one(validate_record(comment(), &bad_phone)) == "personal.phone bad_format");

    Personal named{"山田", "", "083-123-4567", ""};
    r = proposal();
    r.payload["fields"] = Json::array();
    for (int i = 0; i < 11; ++i) r.payload["fields"].push_back("福祉");
    CHECK(one(validate_record(r, &named)) == "payload.fields too_long");
    r = proposal();
    r.payload["fields"] = {rep("あ", 21)};
    CHECK(one(validate_record(r, &named)) == "payload.fields[0] too_long");
    r = proposal();
    r.payload["title"] = rep("題", 101);
    CHECK(one(validate_record(r, &named)) == "payload.title too_long");
    r = proposal();
    r.payload["call_id"] = "act-069";   // answers a call
    CHECK(one(validate_record(r, &named)) == "ok");
    r.payload["call_id"] = rep("c", 65);
    CHECK(one(validate_record(r, &named)) == "payload.call_id too_long");
    r.payload["call_id"] = 69;
    CHECK(one(validate_record(r, &named)) == "payload.call_id wrong_type");
    r = proposal();
    r.payload["partner_department"] = rep("課", 61);
    CHECK(one(validate_record(r, &named)) == "payload.partner_department too_long");
    Personal no_contact{"山田", "", "", ""};
    CHECK(one(validate_record(proposal(), &no_contact)) == "personal.phone required");
    Personal no_name{"", "", "083-123-4567", ""};
    CHECK(one(validate_record(proposal(), &no_name)) == "personal.name required");
}

TEST_CASE("validate: phone, e-mail, kana") {
    for (const char* ok : {"0312345678", "03-1234-5678", "090-1234-5678", "09012345678",
                           "083-922-1234", "+81-90-1234-5678", "+819012345678", "+81 3-1234-5678",
                           "050-1234-5678", "0120-123-456", "0800-123-4567"})
        CHECK_MESSAGE(is_valid_phone(ok), std::string(ok));
    for (const char* bad : {"", "12345", "1234567890", "090-1234-567", "090-1234-56789",
                            "090--1234-5678", "-090-1234-5678", "090-1234-5678-", "+81-090-1234-5678",
                            "+1-555-123-4567", "090 1234 5678", "０９０１２３４５６７８", "090-1234-5678x", "03-1234-56789", "+81-3-1234-56789"})
        CHECK_MESSAGE(!is_valid_phone(bad), std::string(bad));
    for (const char* ok : {"a@example.jp", "taro.yamada+kiosk@city.yamaguchi.lg.jp", "A_B@x-y.co.jp"})
        CHECK_MESSAGE(is_valid_email(ok), std::string(ok));
    for (const char* bad : {"", "a", "a@", "@example.jp", "a@example", "a@@example.jp", "a b@example.jp",
                            ".a@example.jp", "a..b@example.jp", "a@-example.jp", "a@example.j",
                            "山田@example.jp", "a@example.123"})
        CHECK_MESSAGE(!is_valid_email(bad), std::string(bad));
    CHECK_FALSE(is_valid_email(std::string(250, 'a') + "@x.jp"));
    CHECK(is_kana_reading("やまだ はなこ"));
    CHECK(is_kana_reading("ヤマダ　ハナコ"));
    CHECK(is_kana_reading("ゆうすけー"));
    CHECK(is_kana_reading("ﾔﾏﾀﾞ"));
    CHECK_FALSE(is_kana_reading("山田"));
    CHECK_FALSE(is_kana_reading("yamada"));
    CHECK_FALSE(is_kana_reading(""));
    CHECK_FALSE(is_kana_reading("   "));
}

TEST_CASE("validate: all errors are reported at once") {
    Record r = sign_up();
    r.id = "x";
    r.payload["party_size"] = 99;
    r.payload["note"] = 5;
    Personal p{"", "yamada", "1", "bad"};
    const Validation v = validate_record(r, &p);
    std::set<std::string> fields;
    for (const auto& e : v.errors) fields.insert(e.field);
    CHECK(fields.count("id"));
    CHECK(fields.count("payload.party_size"));
    CHECK(fields.count("payload.note"));
    CHECK(fields.count("personal.name"));
    CHECK(fields.count("personal.furigana"));
    CHECK(fields.count("personal.phone"));
    CHECK(fields.count("personal.email"));
}

TEST_CASE("validate: a cancel record names its sign-up by id, receipt and check code, and carries nothing personal") {
    const std::string sid = new_uuid_v7();
    Record c = base(RecordKind::Cancel, {{"signup_id", sid}, {"receipt", "7KQ3-M9TX"}, {"check_code", "0427"}});
    CHECK(one(validate_record(c, nullptr)) == "ok");
    CHECK(std::string(to_code(RecordKind::Cancel)) == "cancel");
    CHECK(record_kind_from_code("cancel") == RecordKind::Cancel);
    Record no_code = c;
    no_code.payload.erase("check_code");
    CHECK(one(validate_record(no_code, nullptr)) == "payload.check_code required");
    Record bad_code = c;
    bad_code.payload["check_code"] = "42";
    CHECK(one(validate_record(bad_code, nullptr)) == "payload.check_code bad_format");
    Record bad_receipt = c;
    bad_receipt.payload["receipt"] = "7KQ3M9TX";
    CHECK(one(validate_record(bad_receipt, nullptr)) == "payload.receipt bad_format");
    Record bad_id = c;
    bad_id.payload["signup_id"] = "nope";
    CHECK(one(validate_record(bad_id, nullptr)) == "payload.signup_id bad_format");
    Record sealed = c;
    sealed.sealed = "QUJD";
    CHECK(one(validate_record(sealed, nullptr)) == "sealed not_allowed");
    Personal someone{"山田", "", "", ""};
    CHECK(one(validate_record(c, &someone)) == "personal.name not_allowed");
    Record extra = c;
    extra.payload["note"] = "x";
    CHECK(one(validate_record(extra, nullptr)) == "payload.note unknown_field");
}

TEST_CASE("validate: an attendance tick names its sign-up by id and says attended true or false, nothing personal") {
    Record t = base(RecordKind::Attendance, {{"signup_id", new_uuid_v7()}, {"attended", true}});
    CHECK(one(validate_record(t, nullptr)) == "ok");
    CHECK(std::string(to_code(RecordKind::Attendance)) == "attendance");
    CHECK(record_kind_from_code("attendance") == RecordKind::Attendance);
    Record off = t;
    off.payload["attended"] = false;
    CHECK(one(validate_record(off, nullptr)) == "ok");
    Record no_flag = t;
    no_flag.payload.erase("attended");
    CHECK(one(validate_record(no_flag, nullptr)) == "payload.attended required");
    Record wrong = t;
    wrong.payload["attended"] = 1;
    CHECK(one(validate_record(wrong, nullptr)) == "payload.attended wrong_type");
    Record bad_id = t;
    bad_id.payload["signup_id"] = "nope";
    CHECK(one(validate_record(bad_id, nullptr)) == "payload.signup_id bad_format");
    Record extra = t;
    extra.payload["name"] = "山口";
    CHECK(one(validate_record(extra, nullptr)) == "payload.name unknown_field");
    Record sealed = t;
    sealed.sealed = "QUJD";
    CHECK(one(validate_record(sealed, nullptr)) == "sealed not_allowed");
    Personal named;
    named.name = "山口 花子";
    CHECK(one(validate_record(t, &named)) == "personal.name not_allowed");
}
