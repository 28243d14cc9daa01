// Seed 002's two sheets as data the pages and the tests share (issue 12 point 4):
//  - 資料2 協働事業の評価シート: 25 items in four stages (計画段階 9, 実施段階 6, 成果把握 5,
//    事業改善 5), word for word, answered はい / 一部 / いいえ / 該当なし by the department (self)
//    and by the partner (through its link);
//  - 資料1 協働チェックシート: "協働の手法が可能なか検討しよう（既存事業の見直し）", a flowchart for
//    reviewing an existing service. The seed's text has only its title (the chart was a
//    figure), so the questions are built from the guideline's own sections: 6 協働の領域と責任
//    (図1, domains ①–⑤), 7 協働の手法, V (1) 協働で行う意義の確認 and IV (1) 既存事業の見直し, which
//    sorts services into 行政で実施すべき事業 / 協働で実施すべき事業 / 市民が実施すべき事業.
// Pages: server/web/evaluation.cpp; storage: CivicStorage (server/civic.h). The words are in
// the dashboard's tables (assets/i18n/dashboard/<lang>/evaluation.json): the structures below
// hold their keys, shown with tr().
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kyodo::server::web {

struct EvaluationStage {
    const char* code;                 // plan | do | result | improve
    const char* label;                // key of 計画段階 … (evaluation.stage.<code>)
    std::vector<std::string> items;   // keys (evaluation.item.<code>_<n>), numbered from 1 in the seed
};
const std::vector<EvaluationStage>& evaluation_stages();
int evaluation_item_count();          // 25
// The scale: yes はい, partly 一部, no いいえ, na 該当なし (code, key of its label).
const std::vector<std::pair<std::string, std::string>>& evaluation_answers();
std::string evaluation_answer_label(const std::string& code);   // in the reader's language; "" for unanswered / unknown

// A score of answers: はい among the items answered other than 該当なし ("23 / 25").
struct EvaluationScore {
    int yes = 0, answered = 0;
    std::string text() const { return std::to_string(yes) + " / " + std::to_string(answered); }
};

// The check sheet's flowchart. An option leads to the next question (`next`) or ends in a
// result (`result`). `label`, `question`, `hint` are table keys.
struct CheckOption {
    std::string value, label, next, result;
};
struct CheckQuestion {
    std::string code, question, hint;
    std::vector<CheckOption> options;
};
struct CheckResult {
    std::string code;
    const char* kind;     // key: 行政で実施すべき事業 | 協働で実施すべき事業 | 市民が実施すべき事業
    const char* domain;   // key of 図1's domain, e.g. "③市民行政協力（市民と行政が対等に協力して行う活動）"
    std::string form;     // Form code for 協働 results ("" otherwise)
    std::string method;   // Method code for 協働 results ("" otherwise)
    const char* advice;   // key: what the guideline says about it
};
const std::vector<CheckQuestion>& check_questions();   // [0] is the first question
const CheckResult* check_result(const std::string& code);
// Follows `answers` (question code → option value) from the first question: the questions
// answered on the way with the option chosen, then either the next question to ask or the result.
// Answers off the path are ignored.
struct CheckWalk {
    std::vector<std::pair<const CheckQuestion*, const CheckOption*>> path;
    const CheckQuestion* next = nullptr;
    const CheckResult* result = nullptr;
};
CheckWalk check_walk(const std::map<std::string, std::string>& answers);

}  // namespace kyodo::server::web
