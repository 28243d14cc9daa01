// A survey that branches (issue 9 point 7; core/survey_branch.h), for the model tests and the
// UI harness:
//   q1 single   今日の催しに参加しましたか。         [参加した, 参加していない]
//   q2 single   内容はいかがでしたか。 (required)    shown when q1 is 参加した
//   q3 text     どこを直せばよいと思いますか。        shown when q2 is いまひとつ (chains on q2)
//   q4 multiple 何で知りましたか。                    [広報誌, ポスター, 友人・知人, その他]
//   q5 text     「その他」の内容を教えてください。     shown when q4 includes その他
//   q6 scale    センターの満足度 (required)
#pragma once

#include "core/types.h"

namespace kyodo::test {

inline Survey branching_survey() {
    Survey s;
    s.id = "srv-branch";
    s.title = "催しのふりかえりアンケート";
    s.description = "答えによって次の質問が変わります。";
    s.version = 1;
    auto q = [](const char* id, QuestionType t, const char* text, std::vector<std::string> choices, bool required,
                ShowWhen when) {
        SurveyQuestion out;
        out.id = id;
        out.type = t;
        out.text = text;
        out.choices = std::move(choices);
        out.required = required;
        out.show_when = std::move(when);
        return out;
    };
    s.questions.push_back(q("q1", QuestionType::Single, "今日の催しに参加しましたか。", {"参加した", "参加していない"}, false, {}));
    s.questions.push_back(q("q2", QuestionType::Single, "内容はいかがでしたか。", {"よかった", "ふつう", "いまひとつ"}, true, {"q1", {0}}));
    s.questions.push_back(q("q3", QuestionType::FreeText, "どこを直せばよいと思いますか。", {}, false, {"q2", {2}}));
    s.questions.push_back(q("q4", QuestionType::Multiple, "何で知りましたか。", {"広報誌", "ポスター", "友人・知人", "その他"}, false, {}));
    s.questions.push_back(q("q5", QuestionType::FreeText, "「その他」の内容を教えてください。", {}, false, {"q4", {3}}));
    SurveyQuestion scale = q("q6", QuestionType::Scale, "センターの満足度を教えてください。", {}, true, {});
    scale.scale_min_label = "不満";
    scale.scale_max_label = "満足";
    s.questions.push_back(scale);
    return s;
}

}  // namespace kyodo::test
