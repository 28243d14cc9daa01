// Branching surveys on the dashboard (issue 9 point 7), on SQLite and on PostgreSQL: staff set
// "show this question only when an earlier answer is …" in the survey editor (no JavaScript:
// the refresh button shows the chosen question's choices); a condition that points forward, to
// the question itself, to a free-text question, to a removed question or a removed choice, or
// names two choices of a several-choice question is refused by its field and nothing is saved;
// the catalog carries it as indexes; the results page counts the question against those it was
// shown to ("N answered of M shown") and flags answers from people it should not have been
// shown to, which are kept (no record is lost).
#include <doctest/doctest.h>

#include <string>

#include "web_engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

const std::string kSave = "/admin/catalog/surveys/save";

// Re-posts the form in `html` with `changes` (a key given twice ticks two checkboxes) and `op`.
httplib::Result post_again(Browser& b, const std::string& html, const std::vector<std::pair<std::string, std::string>>& changes,
                           const std::string& op) {
    httplib::Params p = form_fields(html, kSave);
    REQUIRE(!p.empty());
    for (const auto& [k, v] : changes) p.erase(k);
    for (const auto& [k, v] : changes) p.emplace(k, v);
    set_field(p, "op", op);
    return b.post_multipart(kSave, p);
}

std::string error_by(const std::string& html, const std::string& field) {
    const std::string id = "id=\"err-" + field + "\">";
    const auto at = html.find(id);
    if (at == std::string::npos) return "";
    return html.substr(at + id.size(), html.find("</span>", at) - at - id.size());
}

bool contains(const std::string& html, const std::string& s) { return html.find(s) != std::string::npos; }

Record response(const Json& answers) {
    return make_record(RecordKind::SurveyResponse, {{"survey_id", "srv-branch-web"}, {"survey_version", 1}, {"answers", answers}});
}

}  // namespace

TEST_CASE("survey editor: a question shown only after an earlier answer; bad conditions refused; results count those shown") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        Browser b(s.port);
        REQUIRE(b.login("editor1") == 303);
        const std::int64_t v0 = s.storage->catalog_version();

        // q1 one choice, q2 free text, q3 free text: the editor offers q1 (not q2) as a condition.
        auto r = b.get("/admin/catalog/surveys/new");
        REQUIRE(r->status == 200);
        CHECK_FALSE(contains(r->body, "name=\"q.0.when\""));   // the first question has nothing before it
        r = post_again(b, r->body,
                       {{"id", "srv-branch-web"}, {"title", "催しのふりかえり"}, {"q.0.text", "今日の催しに参加しましたか。"},
                        {"q.0.c.0", "参加した"}, {"q.0.c.1", "参加していない"}},
                       "add:q");
        r = post_again(b, r->body, {{"q.1.type", "free_text"}, {"q.1.text", "感想をどうぞ。"}}, "add:q");
        r = post_again(b, r->body, {{"q.2.type", "free_text"}, {"q.2.text", "どこを直せばよいですか。"}}, "refresh");
        REQUIRE(r->status == 200);
        CHECK(contains(r->body, "<option value=\"q1\">"));
        CHECK_FALSE(contains(r->body, "<option value=\"q2\">"));   // free text: not offered
        // q3 depends on q1: refresh shows q1's choices as ticks.
        r = post_again(b, r->body, {{"q.2.when", "q1"}}, "refresh");
        REQUIRE(r->status == 200);
        CHECK(contains(r->body, "name=\"q.2.when_choices\" value=\"参加した\""));
        CHECK(contains(r->body, "name=\"q.2.when_choices\" value=\"参加していない\""));
        // No choice ticked: refused by the condition, nothing saved.
        auto none = post_again(b, r->body, {}, "save");
        CHECK(none->status == 400);
        CHECK(contains(error_by(none->body, "q.2.when"), "1つ以上"));
        CHECK(s.storage->catalog_version() == v0);
        r = post_again(b, r->body, {{"q.2.when_choices", "参加した"}}, "save");
        REQUIRE(r->status == 303);
        CHECK(s.storage->catalog_version() == v0 + 1);
        Json d = s.storage->catalog_since(v0);
        REQUIRE(d["surveys"].size() == 1);
        const Json& qs = d["surveys"][0]["questions"];
        CHECK_FALSE(qs[1].contains("show_when"));
        CHECK(qs[2]["show_when"] == Json{{"question_id", "q1"}, {"choices", {0}}});

        // The saved survey opens with its condition ticked, and an untouched save changes nothing.
        const std::string page = "/admin/catalog/surveys/srv-branch-web";
        auto edit = b.get(page);
        REQUIRE(edit->status == 200);
        CHECK(contains(edit->body, "value=\"参加した\" checked"));
        const std::int64_t v1 = s.storage->catalog_version();
        CHECK(post_again(b, edit->body, {}, "save")->status == 303);
        CHECK(s.storage->catalog_version() == v1);   // round-trips exactly: nothing to send the kiosks

        // Each bad condition: 400, the reason by the condition's field, nothing saved.
        auto self = post_again(b, edit->body, {{"q.2.when", "q3"}}, "save");
        CHECK(self->status == 400);
        CHECK(contains(error_by(self->body, "q.2.when"), "自身"));
        auto text = post_again(b, edit->body, {{"q.2.when", "q2"}}, "save");
        CHECK(text->status == 400);
        CHECK(contains(error_by(text->body, "q.2.when"), "選択肢のない質問"));
        auto forward = post_again(b, edit->body, {}, "up:q.2");
        forward = post_again(b, forward->body, {}, "up:q.1");   // now the first question, depending on q1 after it
        forward = post_again(b, forward->body, {}, "save");
        CHECK(forward->status == 400);
        CHECK(contains(error_by(forward->body, "q.0.when"), "前の質問だけ"));
        auto renamed = post_again(b, edit->body, {{"q.0.c.0", "参加しました"}}, "save");
        CHECK(renamed->status == 400);
        CHECK(contains(error_by(renamed->body, "q.2.when"), "「参加した」は問1にもうありません"));
        auto removed = post_again(b, edit->body, {}, "del:q.0.c.0");
        removed = post_again(b, removed->body, {}, "add:q.0.c");
        CHECK(contains(removed->body, "value=\"参加した\" checked"));   // still ticked, to untick or fix
        removed = post_again(b, removed->body, {{"q.0.c.1", "未定"}}, "save");
        CHECK(removed->status == 400);
        CHECK(contains(error_by(removed->body, "q.2.when"), "「参加した」は問1にもうありません"));
        auto gone = post_again(b, edit->body, {}, "del:q.0");
        gone = post_again(b, gone->body, {}, "save");
        CHECK(gone->status == 400);
        CHECK(contains(error_by(gone->body, "q.1.when"), "もうありません"));
        auto several = post_again(b, edit->body, {{"q.0.type", "multiple"}, {"q.2.when_choices", "参加した"}, {"q.2.when_choices", "参加していない"}},
                                  "save");
        CHECK(several->status == 400);
        CHECK(contains(error_by(several->body, "q.2.when"), "1つだけ"));
        CHECK(s.storage->catalog_version() == v1);

        // Results: q3 was shown to the two who answered 参加した; three answered it, one of them
        // after 参加していない (a kiosk that does not branch): kept, counted, flagged.
        const Json shown = Json::array({{{"question_id", "q1"}, {"choice", 0}}, {{"question_id", "q3"}, {"text", "席が足りませんでした"}}});
        const Json shown_silent = Json::array({{{"question_id", "q1"}, {"choice", 0}}});
        const Json not_shown = Json::array({{{"question_id", "q1"}, {"choice", 1}}});
        const Json inconsistent = Json::array({{{"question_id", "q1"}, {"choice", 1}}, {{"question_id", "q3"}, {"text", "案内がわかりにくい"}}});
        const Json inconsistent2 = Json::array({{{"question_id", "q1"}, {"choice", 1}}, {{"question_id", "q3"}, {"text", "駐車場"}}});
        REQUIRE(s.push({response(shown), response(shown_silent), response(not_shown), response(inconsistent)}).stored == 4);
        auto res = b.get("/admin/surveys/srv-branch-web");
        REQUIRE(res->status == 200);
        CHECK(contains(res->body, "問1で「参加した」と答えた人にだけ表示します"));
        CHECK(contains(res->body, "表示された 2 人のうち 2 人が回答"));
        CHECK_FALSE(contains(res->body, "表示されなかったはずの回答"));
        REQUIRE(s.push({response(inconsistent2)}).stored == 1);
        res = b.get("/admin/surveys/srv-branch-web");
        CHECK(contains(res->body, "表示された 2 人のうち 3 人が回答"));
        CHECK(contains(res->body, "表示されなかったはずの回答が 1 件"));
        CHECK(contains(res->body, "駐車場"));   // kept and listed
    }
}
