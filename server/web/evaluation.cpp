// The check sheet and the evaluation sheet (issue 12 point 4; docs/dashboard.md, "Evaluation"):
//   /admin/projects/<id>/evaluation?fy=        the year's sheets side by side (self | partner)
//   /admin/projects/<id>/evaluation/self?fy=   the department's own sheet (editors; viewers read)
//   /admin/projects/<id>/evaluation-link       issue / re-issue / revoke the partner's link
//   /p/evaluation/<token>                      the partner's sheet on a phone or PC, no login
//   /admin/checksheets, /new, /<id>            the 協働チェックシート, one question at a time
// The partner's link works like the organiser's check-in link (checkin.cpp): a per-project
// random token of which only the SHA-256 is stored, shown once when issued; re-issuing replaces
// it, 無効にする ends it; the form carries a token bound to the link and signed with the
// per-process secret, and the server checks Origin / Sec-Fetch-Site.
#include "server/web/evaluation.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/projects.h"
#include "server/web/publish.h"
#include "server/web/reports.h"

namespace kyodo::server::web {

// --- the sheets as data ------------------------------------------------------------------------

const std::vector<EvaluationStage>& evaluation_stages() {
    // Seed 002, 資料2 協働事業の評価シート, word for word.
    static const std::vector<EvaluationStage> s = {
        {"plan",
         "計画段階",
         {"事業の目的は明確ですか", "協働による成果目標は（事業を実施することによりどのような状態にするのか）明確ですか",
          "なぜ協働をするのか意義が明確でしたか", "協働の形態を（委託、補助、実行委員会、共催など）検討しましたか",
          "協働をする市民活動団体を選定する方法は公平かつ透明でしたか、また、選定過程を公開できますか", "市民活動団体と課題を共有できましたか",
          "事業計画、収支をともに作成しましたか", "役割分担は行いましたか", "協働する期間を決定しましたか"}},
        {"do",
         "実施段階",
         {"進捗状況や事業に関する情報を共有しましたか", "事業の課題発生時の連絡、対処方法が明確でしたか", "企画の修正について協議できる体制でしたか",
          "定期的に事業内容を報告できる体制を整えましたか",
          "協働パートナーの主体性を確保しましたか（単なる下請け、任せっぱなしになっていませんか）", "市民に事業内容を広く発信しましたか"}},
        {"result",
         "成果把握",
         {"事業の成果目標は互いに話し合い決めましたか", "成果目標を公開できますか", "成果を確認できる報告書等がありますか",
          "事業成果の所属は明確にしてありますか", "モニタリング調査、市民の意見を聞きましたか"}},
        {"improve",
         "事業改善",
         {"今後の課題を話し合いましたか", "今後の改善策をまとめ報告書等を作成しましたか", "今後の事業継続を話し合いましたか",
          "事業の効果は当初予定したものでしたか", "協働のパートナーと行政の双方にメリットがありましたか"}},
    };
    return s;
}

int evaluation_item_count() {
    int n = 0;
    for (const auto& s : evaluation_stages()) n += static_cast<int>(s.items.size());
    return n;
}

const std::vector<std::pair<std::string, std::string>>& evaluation_answers() {
    static const std::vector<std::pair<std::string, std::string>> a = {{"yes", "はい"}, {"partly", "一部"}, {"no", "いいえ"}, {"na", "該当なし"}};
    return a;
}

const char* evaluation_answer_ja(const std::string& code) {
    for (const auto& [c, l] : evaluation_answers())
        if (c == code) return l.c_str();
    return "";
}

const std::vector<CheckQuestion>& check_questions() {
    static const std::vector<CheckQuestion> q = {
        {"power", "この事業は、許認可や税の賦課決定など公の権力の行使、または法令で市が自ら行うと定められた事務ですか。",
         "図1 協働の領域 ⑤行政主体（行政の責任と主体性により独自に行う活動）に当たるかどうか。",
         {{"yes", "はい", "", "gyosei"}, {"no", "いいえ", "private", ""}}},
        {"private", "親睦活動、私益のための活動、特定の価値観を広めるための活動など、市民が単独で自主的に行えば足りる活動ですか。",
         "図1 ①市民主体（市民が単独で自主的に実施する活動）に当たるかどうか。",
         {{"yes", "はい", "", "shimin"}, {"no", "いいえ", "benefit", ""}}},
        {"benefit", "市民・市民活動団体の情報、資源、能力や専門性を持ち寄ることで、行政だけで行うよりきめ細かな、効果的なサービスにできますか。",
         "協働で行う意義の確認: きめ細かな公共サービスを提供できる専門性を有した担い手はいないか、市民活動団体の情報、資源、能力を持ち寄ることで地域課題を解決できないか。",
         {{"yes", "はい", "lead", ""}, {"no", "いいえ・わからない", "sustain", ""}}},
        {"sustain", "いまの公共サービスは、行政だけで今後も続けられますか（人手・費用・専門性）。",
         "協働で行う意義の確認: 現在の公共サービスは、行政だけで持続可能か。",
         {{"yes", "はい", "", "gyosei_review"}, {"no", "いいえ", "lead", ""}}},
        {"lead", "協働で行うとしたら、事業の主体はどちらですか。", "図1 協働の領域 ②③④のどれに当たるか。",
         {{"citizen", "市民・団体が主体で、市が支援する（②市民主導）", "money", ""},
          {"equal", "市民・団体と市が対等に協力する（③市民行政協力）", "body", ""},
          {"city", "市が主体で、市民・団体の協力を得る（④行政主導）", "facility", ""}}},
        {"money", "団体が主体的に取り組む事業に、公益上必要として市が資金（補助金・助成金）を出しますか。", "7 協働の手法 ④事業補助金による支援。",
         {{"yes", "はい", "", "shien_subsidy"}, {"no", "いいえ", "support", ""}}},
        {"support", "市が場所・物品・情報の提供などで団体の活動を支えますか。", "7 協働の手法 ①財産（人、施設、物品）の相互利用。",
         {{"yes", "はい", "", "shien_support"}, {"no", "いいえ（名義の後援のみ）", "", "shien_patronage"}}},
        {"body", "市民活動団体と市が平等に責任を担い、事業の実施母体（実行委員会）をつくりますか。", "7 協働の手法 ③後援、共催、実行委員会による実施。",
         {{"yes", "はい", "", "kyodo_committee"}, {"no", "いいえ（資源を持ち寄って共に行う）", "", "kyodo_cohost"}}},
        {"facility", "公の施設の管理・運営ですか。", "図1 ④行政主導の例: 公の施設の管理、運営。",
         {{"yes", "はい", "", "kyoryoku_manager"}, {"no", "いいえ", "commission", ""}}},
        {"commission", "団体の専門性を生かして、事業の実施を契約で任せますか。", "7 協働の手法 ⑤委託による事業実施。",
         {{"yes", "はい", "", "kyoryoku_commission"}, {"no", "いいえ（市の事業に協力してもらう）", "", "kyoryoku_cooperation"}}},
    };
    return q;
}

namespace {

const std::vector<CheckResult>& check_results() {
    static const std::vector<CheckResult> r = {
        {"gyosei", "行政で実施すべき事業", "⑤行政主体（行政の責任と主体性により独自に行う活動）", "", "",
         "許認可や税の賦課決定など公の権力の行使は、市が責任と主体性を持って行います。情報を公開し、市民の意見を聞くこと（パブリックコメント、アンケート）は続けます。"},
        {"shimin", "市民が実施すべき事業", "①市民主体（市民が単独で自主的に実施する活動）", "", "",
         "市民が自主的に行う活動で、この指針の協働（領域②〜④）の外です。市の事業としては行わず、情報提供など活動しやすい環境づくりにとどめます。"},
        {"gyosei_review", "行政で実施すべき事業（当面）", "⑤行政主体（行政の責任と主体性により独自に行う活動）", "", "",
         "いまは行政だけで続けられます。アンケート等の満足度調査やモニタリングで市民の視点による評価を入れ、次の見直しでもう一度点検します。"},
        {"shien_subsidy", "協働で実施すべき事業", "②市民主導（市民の主体性のもと、市が支援する活動）", "shien", "subsidy",
         "補助金・助成: 先駆性や多様化する市民ニーズへの対応など、団体の特性を生かせます。補助が常態化しないよう留意します。"},
        {"shien_support", "協働で実施すべき事業", "②市民主導（市民の主体性のもと、市が支援する活動）", "shien", "activity_support",
         "活動支援: 施設・物品・情報などを提供し合うことで活動の幅が広がります。人的資源や知識も共有します。"},
        {"shien_patronage", "協働で実施すべき事業", "②市民主導（市民の主体性のもと、市が支援する活動）", "shien", "patronage",
         "後援: 市民活動団体が主催する事業を市が後援することで、市民活動が促進されます。"},
        {"kyodo_committee", "協働で実施すべき事業", "③市民行政協力（市民と行政が対等に協力して行う活動）", "kyodo", "executive_committee",
         "実行委員会: 市民活動団体と行政が平等に責任を担い、事業の実施母体を組織します。"},
        {"kyodo_cohost", "協働で実施すべき事業", "③市民行政協力（市民と行政が対等に協力して行う活動）", "kyodo", "co_host",
         "共催・共同事業: それぞれの資源を持ち寄り、企画立案から実施まで対等な立場で役割と責任を分担します。"},
        {"kyoryoku_manager", "協働で実施すべき事業", "④行政主導（行政が市民の協力を得て行う活動）", "kyoryoku", "designated_manager",
         "指定管理: 団体の自主性や創意工夫が生かせる契約内容にし、指定管理者のモニタリングと業務内容の評価を行います。"},
        {"kyoryoku_commission", "協働で実施すべき事業", "④行政主導（行政が市民の協力を得て行う活動）", "kyoryoku", "commission",
         "委託: 団体の専門性を生かします。行政が全ての決定権を持ったままでは下請けになり協働の効果が低くなるため、受託団体が主体的に取り組める状況をつくります。"},
        {"kyoryoku_cooperation", "協働で実施すべき事業", "④行政主導（行政が市民の協力を得て行う活動）", "kyoryoku", "cooperation",
         "事業協力: 市の事業に市民・団体の協力を得ます。企画・計画の段階から提言や意見を取り入れると、市民ニーズに合った事業になります。"},
    };
    return r;
}

}  // namespace

const CheckResult* check_result(const std::string& code) {
    for (const auto& r : check_results())
        if (r.code == code) return &r;
    return nullptr;
}

CheckWalk check_walk(const std::map<std::string, std::string>& answers) {
    CheckWalk w;
    const auto& qs = check_questions();
    const CheckQuestion* q = &qs.front();
    for (std::size_t guard = 0; q && guard < qs.size(); ++guard) {
        const auto a = answers.find(q->code);
        const CheckOption* chosen = nullptr;
        if (a != answers.end())
            for (const auto& o : q->options)
                if (o.value == a->second) chosen = &o;
        if (!chosen) {
            w.next = q;
            return w;
        }
        w.path.emplace_back(q, chosen);
        if (!chosen->result.empty()) {
            w.result = check_result(chosen->result);
            return w;
        }
        const CheckQuestion* nq = nullptr;
        for (const auto& x : qs)
            if (x.code == chosen->next) nq = &x;
        q = nq;
    }
    return w;
}

namespace {

int param_int(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return 0;
    try {
        return std::stoi(req.get_param_value(name));
    } catch (const std::exception&) {
        return 0;
    }
}

int to_int(const std::string& s) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(s, &used);
        return used == s.size() ? v : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

// The years a project's sheets can be for: its register year up to this fiscal year (a
// project registered once and run for several years is evaluated each year).
std::vector<int> eval_years(const Project& p) {
    std::vector<int> ys;
    const int last = std::max(p.fiscal_year, fiscal_year(jst_today()));
    for (int y = p.fiscal_year; y <= last && ys.size() < 20; ++y) ys.push_back(y);
    return ys;
}

int chosen_year(const Project& p, int asked) {
    const auto ys = eval_years(p);
    return std::find(ys.begin(), ys.end(), asked) != ys.end() ? asked : p.fiscal_year;
}

// One evaluator's sheets of one year, by stage code.
std::map<std::string, EvaluationSheet> sheets_of(const std::vector<EvaluationSheet>& all, int fy, const std::string& who) {
    std::map<std::string, EvaluationSheet> out;
    for (const auto& e : all)
        if (e.fiscal_year == fy && e.evaluator == who) out[e.stage] = e;
    return out;
}

EvaluationScore score_of(const std::map<std::string, EvaluationSheet>& by_stage) {
    EvaluationScore s;
    for (const auto& [st, e] : by_stage)
        for (const auto& [n, a] : e.answers) {
            if (a.empty() || a == "na") continue;
            ++s.answered;
            s.yes += a == "yes";
        }
    return s;
}

std::string form_label(const std::string& code) {
    const auto f = form_from_code(code);
    if (!f) return "";
    const char* circ = *f == Form::Kyodo ? "①" : *f == Form::Kyoryoku ? "②" : "③";
    return std::string(circ) + label_ja(*f);
}

// Answers posted as q_<stage>_<n> and comments as comment_<stage>: the four stages' sheets.
std::vector<EvaluationSheet> read_sheet(const std::map<std::string, std::string>& form, FieldErrors& err) {
    std::vector<EvaluationSheet> out;
    for (const auto& st : evaluation_stages()) {
        EvaluationSheet e;
        e.stage = st.code;
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const std::string name = "q_" + std::string(st.code) + "_" + std::to_string(i);
            const std::string a = posted(form, name);
            if (a.empty()) continue;
            if (!*evaluation_answer_ja(a)) {
                err.add(name, "はい・一部・いいえ・該当なし から選んでください。");
                continue;
            }
            e.answers[static_cast<int>(i)] = a;
        }
        const std::string cn = "comment_" + std::string(st.code);
        e.comment = trim(normalise_newlines(posted(form, cn)));
        check_text(err, cn, e.comment, 1000, false, true);
        out.push_back(std::move(e));
    }
    return out;
}

// The 25 items as radio groups, stage by stage, each with its comment box.
std::string sheet_fields(const FormCtx& f, const std::map<std::string, EvaluationSheet>& cur, const std::map<std::string, std::string>* typed) {
    std::string b;
    for (const auto& st : evaluation_stages()) {
        const auto it = cur.find(st.code);
        b += "<fieldset class=\"eval-stage wide\" id=\"stage-" + std::string(st.code) + "\"><legend>" + esc(st.label) + "</legend><ol class=\"eval-items\">";
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const std::string name = "q_" + std::string(st.code) + "_" + std::to_string(i);
            f.note(name, std::string(st.label) + " " + std::to_string(i));
            std::string v;
            if (typed) v = posted(*typed, name);
            else if (it != cur.end() && it->second.answers.count(static_cast<int>(i))) v = it->second.answers.at(static_cast<int>(i));
            const bool bad = f.err.at.count(name) > 0;
            b += "<li id=\"" + esc(field_id(name)) + "\" class=\"eval-item" + (bad ? " invalid" : "") + "\"><p><span class=\"no\">" + std::to_string(i) +
                 "</span>" + esc(st.items[i - 1]) + "</p><div class=\"scale\" role=\"radiogroup\" aria-label=\"" + esc(st.items[i - 1]) + "\">";
            for (const auto& [code, label] : evaluation_answers())
                b += "<label><input type=\"radio\" name=\"" + esc(name) + "\" value=\"" + code + "\"" + (v == code ? " checked" : "") +
                     (f.ro ? " disabled" : "") + "> " + label + "</label>";
            b += "</div>" + field_error(f.err, name) + "</li>";
        }
        b += "</ol>";
        const std::string cn = "comment_" + std::string(st.code);
        b += textarea_field(f, cn, std::string(st.label) + "についての所見", typed ? posted(*typed, cn) : it != cur.end() ? it->second.comment : "", 2,
                            "maxlength=\"1000\"", "", "wide");
        b += "</fieldset>";
    }
    return b;
}

std::string project_head(const Project& p, int fy) {
    std::string partners;
    for (const auto& x : p.partners) partners += (partners.empty() ? "" : "、") + x.name;
    return "<dl class=\"sheet-head\"><dt>事業名</dt><dd>" + esc(p.title) + "</dd><dt>担当課</dt><dd>" + esc(p.department.empty() ? "—" : p.department) +
           "</dd><dt>協働のパートナー</dt><dd>" + esc(partners.empty() ? "—" : partners) + "</dd><dt>年度</dt><dd>" + esc(era_year_ja(fy)) + "</dd></dl>";
}

// --- the partner's link ----------------------------------------------------------------------

std::string form_token(const App& app, const std::string& token_hash) {
    const std::string exp = std::to_string(now_millis() + 12LL * 3600 * 1000);
    return exp + "." + public_sign(app, "evaluation|" + token_hash + "|" + exp);
}

bool form_token_ok(const App& app, const std::string& tok, const std::string& token_hash) {
    const auto dot = tok.find('.');
    if (dot == std::string::npos) return false;
    const std::string exp = tok.substr(0, dot), mac = tok.substr(dot + 1);
    std::int64_t e = 0;
    try {
        e = std::stoll(exp);
    } catch (const std::exception&) {
        return false;
    }
    if (e < now_millis()) return false;
    const std::string want = public_sign(app, "evaluation|" + token_hash + "|" + exp);
    return want.size() == mac.size() && sodium_memcmp(want.data(), mac.data(), mac.size()) == 0;
}

std::string link_panel(App& app, const Ctx& c, const Project& p, const std::string& new_url = "") {
    const auto link = app.st.civic().evaluation_link(p.id);
    const bool live = link && !link->revoked;
    std::string b = "<div class=\"panel noprint\" id=\"evaluation-link\"><strong>パートナー評価用のリンク</strong><br>";
    if (!new_url.empty())
        b += "<p class=\"notice\">評価用リンクを発行しました。協働のパートナーに渡してください（この画面を離れると二度と表示できません）:<br>"
             "<code class=\"url\">" + esc(new_url) + "</code></p>";
    b += live ? "評価用リンク: 発行済み（" + esc(jst_datetime(link->created_at)) + "、" + esc(link->created_by) + "）"
              : std::string(link ? "評価用リンク: 無効（" + esc(jst_datetime(link->revoked_at)) + "に取り消し）" : "評価用リンク: 未発行");
    if (c.role >= Role::Editor) {
        b += "<form class=\"inline\" method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/evaluation-link\">" + csrf_field(c) +
             "<button name=\"op\" value=\"issue\">" + (live ? "再発行する（前のリンクは使えなくなります）" : "発行する") + "</button>";
        if (live) b += "<button class=\"danger\" name=\"op\" value=\"revoke\">無効にする</button>";
        b += "</form>";
    }
    return b + "</div>";
}

const char* const kInvalid =
    "<h1>このリンクは使えません</h1><p>評価用のリンクが取り消されたか、URLが違います。"
    "事業の担当課に新しいリンクを依頼してください。</p>";

std::optional<std::pair<EvaluationLink, Project>> resolve(App& app, const httplib::Request& req, httplib::Response& res, const std::string& token) {
    const std::string who = "evaluation-ip:" + req.remote_addr;
    const std::int64_t now = now_millis();
    if (const std::int64_t wait = app.throttle.wait_ms(who, app.rule(limits::kReceiptAddress), now); wait > 0) {
        res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
        send_html(res, 429, phone_page("しばらくお待ちください", "<h1>しばらくお待ちください</h1><p>少し待ってからもう一度お試しください。</p>"));
        return std::nullopt;
    }
    auto link = app.st.civic().evaluation_link_by_token(sha256_hex(token));
    auto p = link ? app.st.civic().project(link->project_id) : std::nullopt;
    if (!link || !p) {
        app.throttle.fail(who, app.rule(limits::kReceiptAddress), now);
        send_html(res, 404, phone_page("協働事業の評価", kInvalid));
        return std::nullopt;
    }
    return std::make_pair(*link, *p);
}

void partner_page(App& app, httplib::Response& res, int status, const EvaluationLink& link, const Project& p, const std::string& token, int fy,
                  const FieldErrors& err, const std::map<std::string, std::string>* typed, const std::string& notice) {
    const auto mine = sheets_of(app.st.civic().evaluations(p.id), fy, "partner");
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    std::string name = typed ? posted(*typed, "name") : "";
    if (!typed)
        for (const auto& [st, e] : mine) name = e.by;
    std::string b = "<p class=\"muted\">協働事業の評価シート（パートナー用）</p><h1>" + esc(p.title) + "</h1>" + project_head(p, fy);
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    const auto ys = eval_years(p);
    if (ys.size() > 1) {
        b += "<form method=\"get\" action=\"/p/evaluation/" + esc(token) + "\" class=\"filters\"><label>年度<select name=\"fy\">";
        for (int y : ys) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(era_year_ja(y)) + "</option>";
        b += "</select></label><button>表示</button></form>";
    }
    b += "<p>協働のパートナーとして、この事業を振り返ってください。各項目に「はい・一部・いいえ・該当なし」で答えます。"
         "市の担当課も同じシートで自己評価し、両方を並べて事業の改善（PDCA）に使います。途中まででも送れます。後から直すこともできます。</p>";
    b += err.summary_html(labels);
    b += "<form method=\"post\" action=\"/p/evaluation/" + esc(token) + "\" class=\"sheet\" novalidate><input type=\"hidden\" name=\"t\" value=\"" +
         esc(form_token(app, link.token_hash)) + "\"><input type=\"hidden\" name=\"fy\" value=\"" + std::to_string(fy) + "\">";
    b += text_field(f, "name", "記入者（団体名・お名前）", name, "required maxlength=\"100\" autocomplete=\"organization\"", "", "wide");
    b += sheet_fields(f, mine, typed);
    b += "<div class=\"actions\"><button class=\"primary\">送信する</button></div></form>"
         "<p class=\"muted\">この画面は市の担当課が発行した評価用のリンクです。ほかの人に渡さないでください。</p>";
    send_html(res, status, phone_page("協働事業の評価 " + p.title, b));
}

// --- the dashboard's pages ---------------------------------------------------------------------

// The residents' view (issue 12 point 4): survey answers given at the kiosk on a project's
// listings (the survey offered on the listing's detail page carries payload.activity_id), by
// project and fiscal year. Scale answers count as a share of their question's range, so a
// 1–5 and a 0–10 question can be averaged.
struct ResidentScore {
    int answers = 0, scale_n = 0;
    double scale_share = 0;   // sum of (v - min) / (max - min)
    std::string text() const {
        std::string o = "回答 " + std::to_string(answers) + " 件";
        if (scale_n) o += "・評価 " + std::to_string(static_cast<int>(std::lround(100.0 * scale_share / scale_n))) + "%";
        return o;
    }
};

std::map<std::pair<std::string, int>, ResidentScore> resident_scores(App& app, const std::vector<Project>& family) {
    std::map<std::string, std::string> project_of;   // listing id → project id
    for (const auto& x : family)
        for (const auto& l : x.listing_ids) project_of[l] = x.id;
    std::map<std::pair<std::string, int>, ResidentScore> out;
    if (project_of.empty()) return out;
    const Json cat = app.catalog();
    for (const auto& r : app.st.admin().records(RecordQuery{"survey_response", "", "", "", "", 1000000})) {
        const Json pl = payload_of(r);
        const auto it = project_of.find(str(pl, "activity_id"));
        if (it == project_of.end()) continue;
        ResidentScore& s = out[{it->second, fiscal_year(jst_datetime(r.rec.created_at).substr(0, 10))}];
        ++s.answers;
        const Json* survey = find_by_id(cat["surveys"], str(pl, "survey_id"));
        if (!survey || !pl.contains("answers") || !pl["answers"].is_array()) continue;
        for (const Json& a : pl["answers"]) {
            if (!a.is_object() || !a.contains("scale") || !a["scale"].is_number_integer()) continue;
            const Json* q = find_by_id((*survey)["questions"], str(a, "question_id"));
            if (!q) continue;
            const int lo = q->value("scale_min", 1), hi = q->value("scale_max", 5), v = a["scale"].get<int>();
            if (hi <= lo || v < lo || v > hi) continue;
            s.scale_share += static_cast<double>(v - lo) / (hi - lo);
            ++s.scale_n;
        }
    }
    return out;
}

void summary(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, const Project& p, const std::string& new_url = "") {
    const int fy = chosen_year(p, param_int(req, "fy"));
    const auto all = app.st.civic().evaluations(p.id);
    const auto self = sheets_of(all, fy, "self"), partner = sheets_of(all, fy, "partner");
    std::string b = flash(req) + "<p><a href=\"/admin/projects/" + url_encode(p.id) + "\">← 事業のページ</a></p>" + project_head(p, fy);
    const auto ys = eval_years(p);
    if (ys.size() > 1) {
        b += "<form method=\"get\" class=\"filters\"><label>年度<select name=\"fy\">";
        for (int y : ys) b += "<option value=\"" + std::to_string(y) + "\"" + (y == fy ? " selected" : "") + ">" + esc(era_year_ja(y)) + "</option>";
        b += "</select></label><button>表示</button></form>";
    }
    b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/projects/" + url_encode(p.id) + "/evaluation/self?fy=" + std::to_string(fy) + "\">" +
         (c.role >= Role::Editor ? "担当課の自己評価を記入する" : "担当課の自己評価を見る") + "</a></div>";
    b += link_panel(app, c, p, new_url);
    auto who = [](const std::map<std::string, EvaluationSheet>& m) {
        std::string by, at;
        for (const auto& [st, e] : m)
            if (e.at > at) at = e.at, by = e.by;
        return by.empty() ? std::string("未記入") : by + "（" + jst_datetime(at) + "）";
    };
    b += "<div class=\"scores\"><p class=\"panel\">担当課（自己評価）: はい <strong id=\"score-self\">" + score_of(self).text() +
         "</strong><br><span class=\"muted\">" + esc(who(self)) + "</span></p><p class=\"panel\">パートナー: はい <strong id=\"score-partner\">" +
         score_of(partner).text() + "</strong><br><span class=\"muted\">" + esc(who(partner)) + "</span></p></div>"
         "<p class=\"muted\">「はい」の数 / 答えた項目の数（該当なしを除く）。答えが分かれた項目に印を付けています。話し合って、次の年度の改善につなげてください。</p>";
    int differs = 0;
    std::string rows;
    for (const auto& st : evaluation_stages()) {
        const auto si = self.find(st.code), pi = partner.find(st.code);
        rows += "<tr class=\"stage\"><th colspan=\"3\">" + esc(st.label) + "</th></tr>";
        for (std::size_t i = 1; i <= st.items.size(); ++i) {
            const int n = static_cast<int>(i);
            const std::string a = si != self.end() && si->second.answers.count(n) ? si->second.answers.at(n) : "";
            const std::string bb = pi != partner.end() && pi->second.answers.count(n) ? pi->second.answers.at(n) : "";
            const bool diff = !a.empty() && !bb.empty() && a != bb;
            differs += diff;
            auto cell = [](const std::string& x) {
                return x.empty() ? std::string("<td class=\"ans none\">—</td>") : "<td class=\"ans " + x + "\">" + std::string(evaluation_answer_ja(x)) + "</td>";
            };
            rows += "<tr id=\"item-" + std::string(st.code) + "-" + std::to_string(i) + "\"" + (diff ? " class=\"differs\"" : "") + "><td class=\"lbl\">" +
                    std::to_string(i) + " " + esc(st.items[i - 1]) + (diff ? "<br><span class=\"mark\">答えが分かれた</span>" : "") + "</td>" + cell(a) +
                    cell(bb) + "</tr>";
        }
        const std::string sc = si != self.end() ? si->second.comment : "", pc = pi != partner.end() ? pi->second.comment : "";
        if (!sc.empty() || !pc.empty())
            rows += "<tr class=\"comment\"><td class=\"lbl\">所見</td><td>" + nl2br(sc) + "</td><td>" + nl2br(pc) + "</td></tr>";
    }
    b += "<h2>評価シート（" + esc(era_year_ja(fy)) + "）</h2><p>答えが分かれた項目: <strong id=\"differs\">" + std::to_string(differs) + "</strong> 件</p>";
    b += "<div class=\"scroll\"><table class=\"report side-by-side\"><thead><tr><th>確認事項</th><th>担当課（自己評価）</th><th>パートナー</th></tr></thead><tbody>" +
         rows + "</tbody></table></div>";
    // The third view: residents who answered the survey offered on this project's listings.
    const auto rs = resident_scores(app, {p});
    const auto mine = rs.find({p.id, fy});
    b += "<p class=\"panel\" id=\"residents\">住民の評価（キオスクで、この事業の掲載に結びつけたアンケートに答えたもの）: " +
         esc(mine == rs.end() ? std::string("まだありません") : mine->second.text()) + "</p>";
    send_html(res, 200, page(c, "協働事業の評価シート", b, "/admin/projects"));
}

void self_form(App& app, Ctx& c, httplib::Response& res, const Project& p, int fy, const FieldErrors& err, const std::map<std::string, std::string>* typed) {
    const auto mine = sheets_of(app.st.civic().evaluations(p.id), fy, "self");
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<p><a href=\"/admin/projects/" + url_encode(p.id) + "/evaluation?fy=" + std::to_string(fy) + "\">← 評価の一覧（パートナーと並べて見る）</a></p>" +
                    project_head(p, fy) +
                    "<p>協働事業の評価シート（関市協働のまちづくり指針 資料2）で、担当課として事業を振り返ります。段階ごとに、その段階が来たら記入してください。</p>";
    std::string form = "<form method=\"post\" action=\"/admin/projects/" + url_encode(p.id) + "/evaluation/self\" class=\"sheet grid2\" novalidate>" +
                       csrf_field(c) + "<input type=\"hidden\" name=\"fy\" value=\"" + std::to_string(fy) + "\">" + sheet_fields(f, mine, typed);
    if (!f.ro) form += "<div class=\"wide actions\"><button class=\"primary\">保存する</button></div>";
    form += "</form>";
    b += err.summary_html(labels) + form;
    send_html(res, err.any() ? 400 : 200, page(c, "評価シート（担当課の自己評価）", b, "/admin/projects"));
}

// --- the check sheet -------------------------------------------------------------------------

std::string answered_list(const CheckWalk& w) {
    std::string b = "<ol class=\"check-path\">";
    for (const auto& [q, o] : w.path)
        b += "<li><span class=\"q\">" + esc(q->question) + "</span><br><strong>→ " + esc(o->label) + "</strong></li>";
    return b + "</ol>";
}

std::string result_box(const CheckResult& r) {
    std::string b = "<div class=\"panel result\" id=\"check-result\"><p class=\"kind\"><strong>" + esc(r.kind) + "</strong></p><p>協働の領域: " + esc(r.domain) + "</p>";
    if (!r.method.empty()) b += "<p>事業形態・事業区分の候補: <strong>" + esc(form_label(r.form)) + "</strong> ／ <strong>" + esc(method_label(r.method)) + "</strong></p>";
    return b + "<p>" + esc(r.advice) + "</p></div>";
}

std::string new_project_link(const CheckSheet& s, const CheckResult& r) {
    return "/admin/projects/new?fy=" + std::to_string(s.fiscal_year) + "&amp;title=" + url_encode(s.service) + "&amp;department=" +
           url_encode(s.department) + "&amp;form=" + url_encode(r.form) + "&amp;method=" + url_encode(r.method);
}

void check_step(App& app, Ctx& c, httplib::Response& res) {
    const auto& fm = c.form;
    const Json cat = app.catalog();
    FieldErrors err;
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    CheckSheet s;
    s.service = trim(posted(fm, "service"));
    s.department = read_department(fm, "department");
    s.fiscal_year = to_int(trim(posted(fm, "fiscal_year")));
    s.note = trim(normalise_newlines(posted(fm, "note")));
    std::map<std::string, std::string> answers;
    for (const auto& q : check_questions())
        if (!posted(fm, "a_" + q.code).empty()) answers[q.code] = posted(fm, "a_" + q.code);
    CheckWalk w = check_walk(answers);
    const std::string op = posted(fm, "op");
    if (op == "back" && !w.path.empty()) {
        answers.erase(w.path.back().first->code);
        w = check_walk(answers);
    }
    if (!op.empty()) {   // a GET of the first page checks nothing yet
        check_text(err, "service", s.service, 100, true);
        check_text(err, "department", s.department, 100, false);
        check_text(err, "note", s.note, 2000, false, true);
        if (s.fiscal_year < 1989 || s.fiscal_year > 2100) err.add("fiscal_year", "年度は 1989〜2100 の西暦で入力してください。");
        if (err.at.count("service") && s.service.empty()) err.at["service"] = "見直す事業・サービスの名前を入力してください。";
        // 次へ without choosing: said under the question.
        if (op == "next" && w.next && posted(fm, "asked") == w.next->code && !err.any()) err.add("a_" + w.next->code, "どれか1つを選んでください。");
    }
    if (op == "save" && w.result && !err.any()) {
        s.id = "cs-" + new_uuid_v7();
        for (const auto& [q, o] : w.path) s.answers[q->code] = o->value;
        s.result = w.result->code;
        s.by = c.s.user;
        s.at = rfc3339_now();
        app.st.civic().put_check_sheet(s);
        app.audit(c, "checksheet_create", s.id, s.service + " → " + s.result);
        return redirect(res, "/admin/checksheets/" + url_encode(s.id) + "?msg=" + url_encode("チェックシートを保存しました。"));
    }

    std::string b = "<form method=\"post\" action=\"/admin/checksheets/new\" class=\"check grid2\" novalidate>" + csrf_field(c);
    const bool started = !op.empty() && !err.at.count("service") && !err.at.count("department") && !err.at.count("fiscal_year");
    if (!started) {
        b += text_field(f, "service", "見直す事業・サービスの名前", s.service, "required maxlength=\"100\"", "", "wide") +
             department_field(f, cat, "department", "担当課", s.department) +
             text_field(f, "fiscal_year", "年度（西暦）", s.fiscal_year ? std::to_string(s.fiscal_year) : std::to_string(fiscal_year(jst_today())),
                        "type=\"number\" min=\"1989\" max=\"2100\" required") +
             "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"next\">はじめる</button></div></form>";
        b = err.summary_html(labels) + b;
    } else {
        b += "<input type=\"hidden\" name=\"service\" value=\"" + esc(s.service) + "\"><input type=\"hidden\" name=\"department\" value=\"" + esc(s.department) +
             "\"><input type=\"hidden\" name=\"fiscal_year\" value=\"" + std::to_string(s.fiscal_year) + "\">";
        for (const auto& [q, o] : w.path) b += "<input type=\"hidden\" name=\"a_" + esc(q->code) + "\" value=\"" + esc(o->value) + "\">";
        b += "<div class=\"wide\"><p class=\"sheet-for\"><strong>" + esc(s.service) + "</strong>（" + esc(s.department.empty() ? "担当課未記入" : s.department) + "・" +
             esc(era_year_ja(s.fiscal_year)) + "）</p>" + answered_list(w);
        if (w.next) {
            const std::string name = "a_" + w.next->code;
            f.note(name, "質問 " + std::to_string(w.path.size() + 1));
            b += "<input type=\"hidden\" name=\"asked\" value=\"" + esc(w.next->code) + "\"><fieldset id=\"" + esc(field_id(name)) + "\" class=\"check-q" +
                 (err.at.count(name) ? " invalid" : "") + "\"><legend>質問 " + std::to_string(w.path.size() + 1) + "</legend><p class=\"q\">" +
                 esc(w.next->question) + "</p><p class=\"hint\">" + esc(w.next->hint) + "</p>";
            for (const auto& o : w.next->options)
                b += "<label class=\"choice\"><input type=\"radio\" name=\"" + esc(name) + "\" value=\"" + esc(o.value) + "\"> " + esc(o.label) + "</label>";
            b += field_error(err, name) + "</fieldset><div class=\"actions\"><button class=\"primary\" name=\"op\" value=\"next\">次へ</button>" +
                 (w.path.empty() ? "" : "<button name=\"op\" value=\"back\">ひとつ戻る</button>") + "</div></div>";
        } else if (w.result) {
            b += result_box(*w.result) + "</div>" + textarea_field(f, "note", "メモ（見直しの方針など）", s.note, 3, "maxlength=\"2000\"") +
                 "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">この結果を保存する</button>"
                 "<button name=\"op\" value=\"back\">ひとつ戻る</button></div>";
        }
        b += "</form>";
        b = err.summary_html(labels) + b;
    }
    const std::string intro =
        "<p>これまで実施してきた公共サービスを「行政で実施すべき事業」「協働で実施すべき事業」「市民が実施すべき事業」に区分し、"
        "協働に関する事業形態を点検します（関市協働のまちづくり指針 資料1「協働チェックシート 協働の手法が可能なか検討しよう（既存事業の見直し）」）。"
        "質問に順に答えてください。</p>";
    send_html(res, err.any() ? 400 : 200, page(c, "協働チェックシート", intro + b, "/admin/projects"));
}

void check_list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    int fy = param_int(req, "fy");
    const int this_year = fiscal_year(jst_today());
    if (!fy) fy = this_year;
    const auto all = app.st.civic().check_sheets(0);
    std::set<int> years{this_year, fy};
    for (const auto& s : all) years.insert(s.fiscal_year);
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>年度<select name=\"fy\">";
    for (auto it = years.rbegin(); it != years.rend(); ++it)
        b += "<option value=\"" + std::to_string(*it) + "\"" + (*it == fy ? " selected" : "") + ">" + esc(year_label_ja(*it)) + "</option>";
    b += "</select></label><button>表示</button></form>";
    if (c.role >= Role::Editor) b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/checksheets/new\">チェックシートで事業を見直す</a></div>";
    std::string rows;
    std::map<std::string, int> kinds;
    for (const auto& s : all) {
        if (s.fiscal_year != fy) continue;
        const CheckResult* r = check_result(s.result);
        ++kinds[r ? r->kind : "—"];
        rows += "<tr><td><a href=\"/admin/checksheets/" + url_encode(s.id) + "\">" + esc(s.service) + "</a></td><td>" + esc(s.department) + "</td><td>" +
                esc(r ? r->kind : "—") + "</td><td>" + esc(r && !r->method.empty() ? method_label(r->method) : "") + "</td><td>" + esc(s.by) + "</td><td>" +
                esc(jst_datetime(s.at)) + "</td></tr>";
    }
    b += "<p class=\"panel\">" + esc(era_year_ja(fy)) + "に見直した事業: <strong>" + std::to_string(std::count_if(all.begin(), all.end(), [&](const CheckSheet& s) {
             return s.fiscal_year == fy;
         })) + "</strong> 件";
    for (const auto& [k, n] : kinds) b += "<br>" + esc(k) + " " + std::to_string(n) + " 件";
    b += "</p>";
    b += rows.empty() ? "<p>この年度のチェックシートはまだありません。</p>"
                      : "<div class=\"scroll\"><table><thead><tr><th>事業・サービス</th><th>担当課</th><th>結果</th><th>手法の候補</th><th>記入</th><th>日時</th></tr></thead><tbody>" +
                            rows + "</tbody></table></div>";
    send_html(res, 200, page(c, "協働チェックシート（既存事業の見直し）", b, "/admin/projects"));
}

void check_view(Ctx& c, const httplib::Request& req, httplib::Response& res, const CheckSheet& s) {
    std::map<std::string, std::string> answers = s.answers;
    const CheckWalk w = check_walk(answers);
    std::string b = flash(req) + "<p><a href=\"/admin/checksheets?fy=" + std::to_string(s.fiscal_year) + "\">← チェックシートの一覧</a></p>" +
                    "<dl class=\"sheet-head\"><dt>事業・サービス</dt><dd>" + esc(s.service) + "</dd><dt>担当課</dt><dd>" + esc(s.department.empty() ? "—" : s.department) +
                    "</dd><dt>年度</dt><dd>" + esc(era_year_ja(s.fiscal_year)) + "</dd><dt>記入</dt><dd>" + esc(s.by) + "（" + esc(jst_datetime(s.at)) + "）</dd></dl>";
    b += "<h2>答え</h2>" + answered_list(w);
    const CheckResult* r = check_result(s.result);
    if (r) b += "<h2>結果</h2>" + result_box(*r);
    if (!s.note.empty()) b += "<h2>メモ</h2><p>" + nl2br(s.note) + "</p>";
    if (r && !r->method.empty() && c.role >= Role::Editor)
        b += "<div class=\"actions\"><a class=\"button primary\" href=\"" + new_project_link(s, *r) + "\">協働事業として台帳に登録する</a></div>";
    send_html(res, 200, page(c, "協働チェックシート: " + s.service, b, "/admin/projects"));
}

}  // namespace

// The project page's part (projects.cpp): the evaluations of this 事業 year by year — the
// register has one line per project and year, so the same 事業 in other years (same title and
// 担当課) is part of its history — and the partner's link.

std::string evaluation_section(App& app, const Ctx& c, const Project& p) {
    std::vector<Project> family;
    for (const auto& x : app.st.civic().projects(0))
        if (x.id == p.id || (x.title == p.title && x.department == p.department)) family.push_back(x);
    struct Row {
        std::string project_id;
        int fy;
        EvaluationScore self, partner;
        ResidentScore residents;
    };
    const auto residents = resident_scores(app, family);
    std::vector<Row> rows;
    for (const auto& x : family) {
        const auto all = app.st.civic().evaluations(x.id);
        std::set<int> years;
        for (const auto& e : all) years.insert(e.fiscal_year);
        for (const auto& [k, v] : residents)
            if (k.first == x.id) years.insert(k.second);
        if (x.id == p.id) years.insert(p.fiscal_year);
        for (int y : years) {
            const auto rs = residents.find({x.id, y});
            rows.push_back({x.id, y, score_of(sheets_of(all, y, "self")), score_of(sheets_of(all, y, "partner")),
                            rs == residents.end() ? ResidentScore{} : rs->second});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return std::tie(b.fy, a.project_id) < std::tie(a.fy, b.project_id); });
    std::string b = "<h2 id=\"evaluation\">評価（PDCAサイクル）</h2><p class=\"muted\">協働事業の評価シート（25項目）を担当課が自己評価し、"
                    "協働のパートナーがリンクから評価します。住民の評価は、事業の掲載にアンケートを結びつけると、キオスクの詳細画面で"
                    "参加者に答えてもらえます。三つを並べて見比べ、次の年度の改善につなげます。</p>"
                    "<div class=\"scroll\"><table class=\"report\" id=\"evaluation-history\"><thead><tr><th>年度</th><th>担当課（自己評価）</th>"
                    "<th>パートナー</th><th>住民（キオスクのアンケート）</th><th></th></tr></thead><tbody>";
    for (const auto& r : rows) {
        auto score = [](const EvaluationScore& s) { return s.answered ? "はい " + s.text() : std::string("未記入"); };
        b += "<tr><td class=\"lbl\">" + esc(era_year_ja(r.fy)) + (r.project_id == p.id ? "" : "<br><small>" + esc(r.project_id) + "</small>") + "</td><td>" +
             esc(score(r.self)) + "</td><td>" + esc(score(r.partner)) + "</td><td class=\"residents\">" +
             esc(r.residents.answers ? r.residents.text() : std::string("なし")) + "</td><td><a href=\"/admin/projects/" + url_encode(r.project_id) +
             "/evaluation?fy=" + std::to_string(r.fy) + "\">並べて見る</a></td></tr>";
    }
    b += "</tbody></table></div>";
    return b + link_panel(app, c, p);
}

void install_evaluation(App& app, httplib::Server& svr) {
    const std::string pid = R"(/admin/projects/([A-Za-z0-9_.\-]+))";
    app.get(svr, pid + "/evaluation", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, "協働事業 " + std::string(req.matches[1]) + " はありません。");
        summary(app, c, req, res, *p);
    });
    app.get(svr, pid + "/evaluation/self", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, "協働事業 " + std::string(req.matches[1]) + " はありません。");
        self_form(app, c, res, *p, chosen_year(*p, param_int(req, "fy")), FieldErrors{}, nullptr);
    });
    app.post(svr, pid + "/evaluation/self", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, "協働事業 " + std::string(req.matches[1]) + " はありません。");
        const int fy = chosen_year(*p, to_int(posted(c.form, "fy")));
        FieldErrors err;
        auto sheets = read_sheet(c.form, err);
        if (err.any()) return self_form(app, c, res, *p, fy, err, &c.form);
        const std::string now = rfc3339_now();
        for (auto& e : sheets) {
            e.project_id = p->id;
            e.fiscal_year = fy;
            e.evaluator = "self";
            e.by = c.s.user;
            e.at = now;
            app.st.civic().put_evaluation(e);
        }
        app.audit(c, "evaluation_self", p->id, era_year_ja(fy));
        redirect(res, "/admin/projects/" + url_encode(p->id) + "/evaluation?fy=" + std::to_string(fy) + "&msg=" + url_encode("自己評価を保存しました。"));
    });
    app.post(svr, pid + "/evaluation-link", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto p = app.st.civic().project(req.matches[1]);
        if (!p) return not_found(c, res, "協働事業 " + std::string(req.matches[1]) + " はありません。");
        if (posted(c.form, "op") == "revoke") {
            const bool done = app.st.civic().revoke_evaluation_link(p->id, rfc3339_now());
            app.audit(c, "revoke_evaluation_link", p->id, "");
            return redirect(res, "/admin/projects/" + url_encode(p->id) + "/evaluation?msg=" +
                                     url_encode(done ? "評価用リンクを無効にしました。" : "有効な評価用リンクはありません。"));
        }
        const std::string token = random_token(24);
        app.st.civic().put_evaluation_link(EvaluationLink{p->id, sha256_hex(token), rfc3339_now(), c.s.user, false, ""});
        app.audit(c, "issue_evaluation_link", p->id, "");
        // Shown once, in this answer (never in a redirect URL, which would land in logs and history).
        summary(app, c, req, res, *p, app.opts.server_url + "/p/evaluation/" + token);
    });

    const std::string pub = R"(/p/evaluation/([A-Za-z0-9_-]{16,100}))";
    app.get(svr, pub, Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        const int fy = chosen_year(r->second, param_int(req, "fy"));
        partner_page(app, res, 200, r->first, r->second, token, fy, FieldErrors{}, nullptr,
                     req.has_param("done") ? "送信しました。ありがとうございました。内容はこの画面で直せます。" : "");
    });
    svr.Post(pub, [&app](const httplib::Request& req, httplib::Response& res) {
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        auto f = parse_form(req.body);
        const int fy = chosen_year(r->second, to_int(f["fy"]));
        if (!same_origin(req) || !form_token_ok(app, f["t"], r->first.token_hash)) {
            FieldErrors err;
            err.general = "画面の有効期限が切れました。もう一度開いて送信してください。";
            return partner_page(app, res, 403, r->first, r->second, token, fy, err, nullptr, "");
        }
        FieldErrors err;
        const std::string name = trim(f["name"]);
        check_text(err, "name", name, 100, true);
        if (err.at.count("name") && name.empty()) err.at["name"] = "記入者（団体名・お名前）を入力してください。";
        auto sheets = read_sheet(f, err);
        if (err.any()) return partner_page(app, res, 400, r->first, r->second, token, fy, err, &f, "");
        const std::string now = rfc3339_now();
        for (auto& e : sheets) {
            e.project_id = r->second.id;
            e.fiscal_year = fy;
            e.evaluator = "partner";
            e.by = name;
            e.at = now;
            app.st.civic().put_evaluation(e);
        }
        Ctx anon;
        app.audit(anon, "evaluation_partner", r->second.id, era_year_ja(fy) + " " + name);
        redirect(res, "/p/evaluation/" + token + "?fy=" + std::to_string(fy) + "&done=1");
    });

    app.get(svr, "/admin/checksheets", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { check_list(app, c, req, res); });
    app.get(svr, "/admin/checksheets/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        c.form.clear();
        check_step(app, c, res);
    });
    app.post(svr, "/admin/checksheets/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { check_step(app, c, res); });
    app.get(svr, R"(/admin/checksheets/([A-Za-z0-9_.\-]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto s = app.st.civic().check_sheet(req.matches[1]);
        if (!s) return not_found(c, res, "チェックシート " + std::string(req.matches[1]) + " はありません。");
        check_view(c, req, res, *s);
    });
}

}  // namespace kyodo::server::web
