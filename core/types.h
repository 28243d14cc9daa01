// Domain types shared by the kiosk, the sync engine and the city-hall server.
// Plain data: no I/O, no GUI, no platform headers (core/ is what a phone build reuses).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kyodo {

using Json = nlohmann::json;

// 事業形態 (seed 000): who leads the project.
enum class Form {
    Kyodo,      // ①市民協働事業: city and residents together
    Kyoryoku,   // ②市民協力事業: city leads, residents help
    Shien,      // ③市民活動支援事業: residents lead, city supports
};

// 事業区分 (seed 000 A–G and seed 004). Stored and sent as the string codes below.
enum class Method {
    JikkoIinkai,     // "executive_committee" 実行委員会
    Kyosai,          // "co_host"            共催
    Koen,            // "patronage"          後援
    JigyoKyoryoku,   // "cooperation"        事業協力
    ShiteiKanri,     // "designated_manager" 指定管理者
    Itaku,           // "commission"         委託契約・協働委託
    Hojokin,         // "subsidy"            補助金・助成
    KatsudoShien,    // "activity_support"   活動支援
    Adopt,           // "adopt"              アダプト (アドプト制度)
    SankakuTeian,    // "participation_proposal" 参画提案・政策提案
    JohoTeikyo,      // "information_sharing"    情報提供・情報交換
};

// What kind of listing an activity is (drives which kiosk flow it opens).
enum class ActivityKind {
    Project,          // "project"   a collaboration project (協働事業)
    Event,            // "event"     an event with a date and places
    Volunteer,        // "volunteer" a volunteer opening (ボランティア募集)
    Grant,            // "grant"     a grant / subsidy notice (助成金のお知らせ)
    PublicComment,    // "public_comment" a draft for public comment (パブリックコメント)
    CallForProposals, // "call_for_proposals" 市民提案型協働事業の募集
    // Not listings (issue 11 points 3–5; docs/lending.md): catalog entries the kiosk books or
    // requests through their own screens, never shown in listings, search or public lists.
    Slot,             // "slot" one bookable time slot of a room, equipment or consultation desk (core/slots.h)
    Item,             // "item" a thing city hall gives away (不用物品の提供)
};
// The kinds that are listings (the six above Slot), in display order: what the kiosk's
// listings, search, start-board counts, public activity lists and open-data feeds show.
const std::vector<ActivityKind>& listing_kinds();
// False for Slot and Item: they stay out of every listing (is_listing(a.kind)).
bool is_listing(ActivityKind k);

// The records a kiosk creates (the outbox). Talent / TalentWithdrawal: the talent bank
// (人材バンク, core/talent.h): a resident's registration and their leaving the bank.
// GroupRegistration: a group applies for registration with the centre (利用登録, core/groups.h).
// Cancel: a resident cancels one of their sign-ups at the kiosk with its receipt number and
// check code (issue 10). Attendance: centre staff tick (or untick) an arrival on the kiosk's
// staff mode (受付, the centre's rosters kept on the kiosk, issue 10 point 4). ItemRequest: a
// registered group asks for a thing city hall gives away (不用物品の提供, docs/items.md).
enum class RecordKind { SignUp, Opinion, SurveyResponse, PublicComment, Proposal, Talent, TalentWithdrawal,
                        GroupRegistration, Cancel, Attendance, ItemRequest };
inline constexpr int kRecordKindCount = 11;

// String codes used in JSON, SQL and URLs. from_code returns nullopt for unknown codes.
const char* to_code(Form);
const char* to_code(Method);
const char* to_code(ActivityKind);
const char* to_code(RecordKind);
std::optional<Form> form_from_code(std::string_view);
std::optional<Method> method_from_code(std::string_view);
std::optional<ActivityKind> activity_kind_from_code(std::string_view);
std::optional<RecordKind> record_kind_from_code(std::string_view);
// Japanese labels for display and reports (e.g. "市民協働事業", "実行委員会").
const char* label_ja(Form);
const char* label_ja(Method);
const char* label_ja(ActivityKind);
const char* label_ja(RecordKind);
const std::vector<Form>& all_forms();
const std::vector<Method>& all_methods();
const std::vector<RecordKind>& all_record_kinds();

// 分野: fields are open-ended strings from the catalog (福祉, 子育て, 防災 …); this is the
// canonical list the kiosk offers as filters, in display order.
const std::vector<std::string>& standard_fields();

struct Centre {
    std::string id;          // "yamaguchi-ohdono"
    std::string name;        // "大殿地域交流センター"
    std::string kana;        // reading, for search
    std::string address;
    std::string phone;
    std::int64_t version = 0;
};

struct Organization {
    std::string id;
    std::string name;
    std::string kana;
    std::string type;        // NPO法人, ボランティア団体, 町内会・自治会, 地区市民委員会, 企業, 教育機関 …
    std::vector<std::string> fields;
    std::string description;
    std::string contact;     // public contact (office phone or web), never a private person
    // A group registered with the centre (利用登録, core/groups.h): its registration number
    // ("G-0001") and the receipt number of its application, so a kiosk can show the number to
    // the group that brings that receipt. Both empty for organizations city hall entered.
    std::string registration;
    std::string application;
    std::int64_t version = 0;
};

struct Activity {
    std::string id;
    ActivityKind kind = ActivityKind::Project;
    std::string title;
    std::string kana;                    // reading of the title, for search
    std::string summary;
    std::string description;
    Form form = Form::Kyodo;
    Method method = Method::Kyosai;
    std::vector<std::string> fields;     // 分野
    std::vector<std::string> organizer_ids;
    std::vector<std::string> organizer_names;  // denormalised for search and display
    std::string department;              // 担当課
    std::string centre_id;               // may be empty (city-wide)
    std::string place;
    std::string starts_at;               // ISO 8601 local date or date-time, may be empty
    std::string ends_at;
    int capacity = 0;                    // places; 0 = takes no sign-ups (server/ledger.h)
    std::string signup_opens;            // ISO date, may be empty
    std::string signup_closes;
    std::string audience;                // 対象
    std::string survey_id;               // for surveys linked to an activity
    Json extra = Json::object();         // draft sections, call details, sample marker …
    int taken = 0;                       // confirmed sign-ups city hall knew of at the last pull
    std::int64_t version = 0;            // bumps whenever city hall edits it
    // Capacity 0 means one thing everywhere: no sign-ups are taken (dashboard, kiosk, server).
    bool takes_signups() const { return capacity > 0; }
    // Places left, or -1 when the activity takes no sign-ups (capacity 0).
    int places_left() const { return capacity > 0 ? (capacity > taken ? capacity - taken : 0) : -1; }
};

// A survey (アンケート): questions of four types.
enum class QuestionType { Single, Multiple, Scale, FreeText };
const char* to_code(QuestionType);
std::optional<QuestionType> question_type_from_code(std::string_view);

// Branching (issue 9 point 7; core/survey_branch.h): a question shown only when an EARLIER
// choice question's answer is one of `choices` (a single-choice question) or includes the one
// choice named (a multiple-choice question). 0-based indexes into that question's `choices`,
// the same index an answer carries. An empty question_id: always shown.
struct ShowWhen {
    std::string question_id;
    std::vector<int> choices;
    bool always() const { return question_id.empty(); }
};

struct SurveyQuestion {
    std::string id;
    QuestionType type = QuestionType::Single;
    std::string text;
    std::vector<std::string> choices;    // Single / Multiple
    int scale_min = 1, scale_max = 5;    // Scale
    std::string scale_min_label, scale_max_label;
    bool required = false;
    std::string indicator;               // seed 004 indicator code this question measures, if any
    ShowWhen show_when;                  // branching; always() = shown to everyone
};

struct Survey {
    std::string id;
    std::string title;
    std::string description;
    std::vector<SurveyQuestion> questions;
    std::int64_t version = 0;
};

// A record made at a kiosk. `payload` holds what is not personal; `sealed` holds the
// personal fields (name, reading, phone, e-mail) as a libsodium sealed box to city hall's
// public key, base64-encoded, or is empty when the record has no personal data.
struct Record {
    std::string id;                 // UUIDv7, made by the kiosk, identifies the record for life
    RecordKind kind = RecordKind::Opinion;
    int schema_version = 1;
    std::string created_at;         // kiosk clock, RFC 3339 UTC ("2026-11-22T01:02:03Z")
    std::string kiosk_id;
    std::string centre_id;
    Json payload = Json::object();
    std::string sealed;             // base64(crypto_box_seal(personal JSON)), may be empty
};

// Personal fields, in the clear. Only ever in memory on the kiosk; sealed before storage.
struct Personal {
    std::string name;
    std::string furigana;
    std::string phone;
    std::string email;
    bool empty() const { return name.empty() && furigana.empty() && phone.empty() && email.empty(); }
};

}  // namespace kyodo
