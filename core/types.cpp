// String codes and Japanese labels for the domain enums. The codes are the wire/SQL
// format (docs/protocol.md), so they must never change once shipped.
#include "core/types.h"

#include <array>
#include <string_view>

namespace kyodo {
namespace {

template <typename E, std::size_t N>
struct Table {
    struct Row { E value; const char* code; const char* label; };
    std::array<Row, N> rows;

    const char* code(E e) const {
        for (const auto& r : rows) if (r.value == e) return r.code;
        return "";
    }
    const char* label(E e) const {
        for (const auto& r : rows) if (r.value == e) return r.label;
        return "";
    }
    std::optional<E> parse(std::string_view s) const {
        for (const auto& r : rows) if (s == r.code) return r.value;
        return std::nullopt;
    }
};

constexpr Table<Form, 3> kForms{{{
    {Form::Kyodo, "kyodo", "市民協働事業"},
    {Form::Kyoryoku, "kyoryoku", "市民協力事業"},
    {Form::Shien, "shien", "市民活動支援事業"},
}}};

constexpr Table<Method, 11> kMethods{{{
    {Method::JikkoIinkai, "executive_committee", "実行委員会"},
    {Method::Kyosai, "co_host", "共催"},
    {Method::Koen, "patronage", "後援"},
    {Method::JigyoKyoryoku, "cooperation", "事業協力"},
    {Method::ShiteiKanri, "designated_manager", "指定管理者"},
    {Method::Itaku, "commission", "委託契約・協働委託"},
    {Method::Hojokin, "subsidy", "補助金・助成"},
    {Method::KatsudoShien, "activity_support", "活動支援"},
    {Method::Adopt, "adopt", "アダプト"},
    {Method::SankakuTeian, "participation_proposal", "参画提案・政策提案"},
    {Method::JohoTeikyo, "information_sharing", "情報提供・情報交換"},
}}};

constexpr Table<ActivityKind, 6> kKinds{{{
    {ActivityKind::Project, "project", "協働事業"},
    {ActivityKind::Event, "event", "イベント"},
    {ActivityKind::Volunteer, "volunteer", "ボランティア募集"},
    {ActivityKind::Grant, "grant", "助成金のお知らせ"},
    {ActivityKind::PublicComment, "public_comment", "パブリックコメント"},
    {ActivityKind::CallForProposals, "call_for_proposals", "市民提案型協働事業の募集"},
}}};

constexpr Table<RecordKind, kRecordKindCount> kRecordKinds{{{
    {RecordKind::SignUp, "sign_up", "申し込み"},
    {RecordKind::Opinion, "opinion", "意見箱"},
    {RecordKind::SurveyResponse, "survey_response", "アンケート"},
    {RecordKind::PublicComment, "public_comment", "パブリックコメント"},
    {RecordKind::Proposal, "proposal", "協働事業の提案"},
    {RecordKind::Talent, "talent", "人材バンク登録"},
    {RecordKind::TalentWithdrawal, "talent_withdrawal", "人材バンク登録の取り消し"},
    {RecordKind::GroupRegistration, "group_registration", "団体の利用登録"},
    {RecordKind::Cancel, "cancel", "申し込みの取消し"},
}}};

constexpr Table<QuestionType, 4> kQuestionTypes{{{
    {QuestionType::Single, "single", "単一選択"},
    {QuestionType::Multiple, "multiple", "複数選択"},
    {QuestionType::Scale, "scale", "段階評価"},
    {QuestionType::FreeText, "free_text", "自由記述"},
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
const char* label_ja(Form v) { return kForms.label(v); }
const char* label_ja(Method v) { return kMethods.label(v); }
const char* label_ja(ActivityKind v) { return kKinds.label(v); }
const char* label_ja(RecordKind v) { return kRecordKinds.label(v); }

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
const std::vector<RecordKind>& all_record_kinds() {
    static const std::vector<RecordKind> v{RecordKind::SignUp, RecordKind::Opinion,
                                           RecordKind::SurveyResponse, RecordKind::PublicComment,
                                           RecordKind::Proposal, RecordKind::Talent,
                                           RecordKind::TalentWithdrawal, RecordKind::GroupRegistration,
                                           RecordKind::Cancel};
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
