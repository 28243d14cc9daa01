// String codes of the domain enums, and their Japanese labels from the shared vocabulary
// (assets/i18n/vocab/ja.json, core/vocabulary.h). The codes are the wire/SQL format
// (docs/protocol.md), so they must never change once shipped.
#include "core/types.h"

#include "core/vocabulary.h"

#include <array>
#include <string_view>

namespace kyodo {
namespace {

template <typename E, std::size_t N>
struct Table {
    struct Row { E value; const char* code; };
    std::array<Row, N> rows;

    const char* code(E e) const {
        for (const auto& r : rows) if (r.value == e) return r.code;
        return "";
    }
    std::optional<E> parse(std::string_view s) const {
        for (const auto& r : rows) if (s == r.code) return r.value;
        return std::nullopt;
    }
};

constexpr Table<Form, 3> kForms{{{
    {Form::Kyodo, "kyodo"},
    {Form::Kyoryoku, "kyoryoku"},
    {Form::Shien, "shien"},
}}};

constexpr Table<Method, 11> kMethods{{{
    {Method::JikkoIinkai, "executive_committee"},
    {Method::Kyosai, "co_host"},
    {Method::Koen, "patronage"},
    {Method::JigyoKyoryoku, "cooperation"},
    {Method::ShiteiKanri, "designated_manager"},
    {Method::Itaku, "commission"},
    {Method::Hojokin, "subsidy"},
    {Method::KatsudoShien, "activity_support"},
    {Method::Adopt, "adopt"},
    {Method::SankakuTeian, "participation_proposal"},
    {Method::JohoTeikyo, "information_sharing"},
}}};

constexpr Table<ActivityKind, 8> kKinds{{{
    {ActivityKind::Project, "project"},
    {ActivityKind::Event, "event"},
    {ActivityKind::Volunteer, "volunteer"},
    {ActivityKind::Grant, "grant"},
    {ActivityKind::PublicComment, "public_comment"},
    {ActivityKind::CallForProposals, "call_for_proposals"},
    {ActivityKind::Slot, "slot"},
    {ActivityKind::Item, "item"},
}}};

constexpr Table<RecordKind, kRecordKindCount> kRecordKinds{{{
    {RecordKind::SignUp, "sign_up"},
    {RecordKind::Opinion, "opinion"},
    {RecordKind::SurveyResponse, "survey_response"},
    {RecordKind::PublicComment, "public_comment"},
    {RecordKind::Proposal, "proposal"},
    {RecordKind::Talent, "talent"},
    {RecordKind::TalentWithdrawal, "talent_withdrawal"},
    {RecordKind::GroupRegistration, "group_registration"},
    {RecordKind::Cancel, "cancel"},
    {RecordKind::Attendance, "attendance"},
}}};

constexpr Table<QuestionType, 4> kQuestionTypes{{{
    {QuestionType::Single, "single"},
    {QuestionType::Multiple, "multiple"},
    {QuestionType::Scale, "scale"},
    {QuestionType::FreeText, "free_text"},
}}};

}  // namespace

const char* to_code(Form v) { return kForms.code(v); }
const char* to_code(Method v) { return kMethods.code(v); }
const char* to_code(ActivityKind v) { return kKinds.code(v); }
const char* to_code(RecordKind v) { return kRecordKinds.code(v); }
const char* to_code(QuestionType v) { return kQuestionTypes.code(v); }
std::optional<Form> form_from_code(std::string_view s) { return kForms.parse(s); }
std::optional<Method> method_from_code(std::string_view s) { return kMethods.parse(s); }
std::optional<ActivityKind> activity_kind_from_code(std::string_view s) { return kKinds.parse(s); }
std::optional<RecordKind> record_kind_from_code(std::string_view s) { return kRecordKinds.parse(s); }
std::optional<QuestionType> question_type_from_code(std::string_view s) {
    return kQuestionTypes.parse(s);
}
const char* label_ja(Form v) { return vocab_label("ja", std::string("form.") + to_code(v)).c_str(); }
const char* label_ja(Method v) { return vocab_label("ja", std::string("method.") + to_code(v)).c_str(); }
const char* label_ja(ActivityKind v) { return vocab_label("ja", std::string("kind.") + to_code(v)).c_str(); }
const char* label_ja(RecordKind v) { return vocab_label("ja", std::string("record.") + to_code(v)).c_str(); }

const std::vector<Form>& all_forms() {
    static const std::vector<Form> v{Form::Kyodo, Form::Kyoryoku, Form::Shien};
    return v;
}
const std::vector<Method>& all_methods() {
    static const std::vector<Method> v = [] {
        std::vector<Method> out;
        for (const auto& r : kMethods.rows) out.push_back(r.value);
        return out;
    }();
    return v;
}
const std::vector<ActivityKind>& listing_kinds() {
    static const std::vector<ActivityKind> v{ActivityKind::Project, ActivityKind::Event, ActivityKind::Volunteer,
                                             ActivityKind::Grant, ActivityKind::PublicComment,
                                             ActivityKind::CallForProposals};
    return v;
}
bool is_listing(ActivityKind k) { return k != ActivityKind::Slot && k != ActivityKind::Item; }
const std::vector<RecordKind>& all_record_kinds() {
    static const std::vector<RecordKind> v{RecordKind::SignUp, RecordKind::Opinion,
                                           RecordKind::SurveyResponse, RecordKind::PublicComment,
                                           RecordKind::Proposal, RecordKind::Talent,
                                           RecordKind::TalentWithdrawal, RecordKind::GroupRegistration,
                                           RecordKind::Cancel, RecordKind::Attendance};
    return v;
}

const std::vector<std::string>& standard_fields() {
    // Display order follows the city's 分野 list in the seeds (welfare first, as residents
    // look for it most).
    static const std::vector<std::string> v{
        "福祉", "子育て", "高齢者", "障がい者", "健康", "環境", "防災", "防犯・交通安全",
        "教育・生涯学習", "文化・芸術", "スポーツ", "国際交流", "まちづくり", "観光・産業",
        "男女共同参画", "人権", "その他"};
    return v;
}

}  // namespace kyodo
