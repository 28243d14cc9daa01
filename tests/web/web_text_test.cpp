// Dashboard text as data (issue 12 point 7): the dashboard's and public pages' words live in
// assets/i18n/dashboard/<lang>/*.json and the vocabulary shared with the kiosk in
// assets/i18n/vocab/<lang>.json. These tests hold that in place: the tables load without a
// duplicate, ja and en have the same keys and placeholders, every key the C++ names exists,
// no Japanese string literal is left in server/web/,
// and the header's switch serves a reader the other language and brings them back.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/types.h"
#include "server/civic.h"
#include "server/web/html.h"
#include "server/web/projects.h"
#include "server/web/reports.h"
#include "server/web/text.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> merged(const char* lang) {
    std::map<std::string, std::string> out;
    for (const auto& t : web::embedded_tables()) {
        if (std::string_view(t.lang) != lang) continue;
        const Json j = Json::parse(t.json);
        for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it->get<std::string>();
    }
    return out;
}

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    static const std::regex re("\\{([a-z_0-9]+)\\}");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1].str());
    return out;
}

// Kana, kanji and Japanese punctuation (、。「」（） and full-width forms).
bool has_japanese(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        char32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
        for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        if ((cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
            (cp >= 0xFF00 && cp <= 0xFFEF))
            return true;
        i += static_cast<std::size_t>(len);
    }
    return false;
}

struct Literal {
    int line;
    std::string text;
};

// The string literals of a C++ file (plain, prefixed and raw), comments and char literals skipped.
std::vector<Literal> string_literals(const std::string& src) {
    std::vector<Literal> out;
    int line = 1;
    for (std::size_t i = 0; i < src.size(); ++i) {
        const char c = src[i];
        if (c == '\n') ++line;
        else if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
            while (i < src.size() && src[i] != '\n') ++i;
            --i;
        } else if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
            const std::size_t end = src.find("*/", i + 2);
            for (std::size_t k = i; k < std::min(end, src.size()); ++k)
                if (src[k] == '\n') ++line;
            i = end == std::string::npos ? src.size() : end + 1;
        } else if (c == '\'' && !(i > 0 && std::isalnum(static_cast<unsigned char>(src[i - 1])))) {
            ++i;   // a char literal: '"' must not open a string
            while (i < src.size() && src[i] != '\'') i += src[i] == '\\' ? 2 : 1;
        } else if (c == 'R' && i + 1 < src.size() && src[i + 1] == '"' &&
                   !(i > 0 && (std::isalnum(static_cast<unsigned char>(src[i - 1])) || src[i - 1] == '_'))) {
            const std::size_t open = src.find('(', i + 2);
            const std::string delim = ")" + src.substr(i + 2, open - i - 2) + "\"";
            const std::size_t end = src.find(delim, open);
            out.push_back({line, src.substr(open + 1, end - open - 1)});
            for (std::size_t k = i; k < end; ++k)
                if (src[k] == '\n') ++line;
            i = end + delim.size() - 1;
        } else if (c == '"') {
            std::string text;
            ++i;
            while (i < src.size() && src[i] != '"') {
                if (src[i] == '\\') text += src[i++];
                text += src[i++];
            }
            out.push_back({line, text});
        }
    }
    return out;
}

std::string slurp_source(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}


}  // namespace

TEST_CASE("text tables: they load whole, ja and en hold the same keys and placeholders") {
    CHECK(web::table_problems().empty());
    for (const auto& p : web::table_problems()) INFO(p);
    const auto ja = merged("ja"), en = merged("en");
    REQUIRE(ja.size() > 40);
    // Not structured bindings: CAPTURE keeps a reference in a lambda, which clang 14 does not
    // allow for a binding.
    for (const auto& entry : ja) {
        const std::string& key = entry.first;
        const std::string& text = entry.second;
        // A ".short" vocabulary label is optional: a language whose full label is short has none.
        if (key.size() > 6 && key.compare(key.size() - 6, 6, ".short") == 0) continue;
        CAPTURE(key);
        REQUIRE(en.count(key) == 1);
        CHECK(!text.empty());
        CHECK(!en.at(key).empty());
        CHECK(placeholders(text) == placeholders(en.at(key)));
    }
    for (const auto& entry : en) {
        const std::string& key = entry.first;
        if (key.size() > 6 && key.compare(key.size() - 6, 6, ".short") == 0) continue;
        CAPTURE(key);
        CHECK(ja.count(key) == 1);
    }
    // The vocabulary covers every code of every domain enum, in both languages.
    for (const auto* t : {&ja, &en}) {
        for (Form f : all_forms()) CHECK(t->count(std::string("form.") + to_code(f)) == 1);
        for (Method m : all_methods()) CHECK(t->count(std::string("method.") + to_code(m)) == 1);
        for (RecordKind r : all_record_kinds()) CHECK(t->count(std::string("record.") + to_code(r)) == 1);
        for (ActivityKind k : {ActivityKind::Project, ActivityKind::Event, ActivityKind::Volunteer, ActivityKind::Grant,
                               ActivityKind::PublicComment, ActivityKind::CallForProposals})
            CHECK(t->count(std::string("kind.") + to_code(k)) == 1);
        for (QuestionType q : {QuestionType::Single, QuestionType::Multiple, QuestionType::Scale, QuestionType::FreeText})
            CHECK(t->count(std::string("qtype.") + to_code(q)) == 1);
    }
}

TEST_CASE("text tables: a key the server's C++ names exists in ja and en") {
    const auto ja = merged("ja"), en = merged("en");
    static const std::regex use("\\btrf?\\(\"([A-Za-z0-9_.]+)\"");
    int checked = 0;
    for (const char* dir : {"server", "server/web"}) {
        for (const auto& e : fs::directory_iterator(fs::path(KYODO_SOURCE_DIR) / dir)) {
            if (e.path().extension() != ".cpp" && e.path().extension() != ".h") continue;
            std::istringstream src(slurp_source(e.path()));
            for (std::string line; std::getline(src, line);) {
                line = line.substr(0, line.find("//"));   // examples in comments name no real key
                for (auto it = std::sregex_iterator(line.begin(), line.end(), use); it != std::sregex_iterator(); ++it) {
                    const std::string key = (*it)[1].str();
                    INFO(e.path().filename().string() << ": " << key);
                    CHECK(ja.count(key) == 1);
                    CHECK(en.count(key) == 1);
                    ++checked;
                }
            }
        }
    }
    CHECK(checked > 10);
}

TEST_CASE("text tables: no Japanese string literal is left in server/web") {
    // The scanner itself: it must see a literal, skip comments and char literals, read raw strings.
    const auto lits = string_literals("// \"協働\"\n/* \"協働\" */ char q = '\"'; auto a = \"協働\"; auto b = R\"x(事業)x\";");
    REQUIRE(lits.size() == 2);
    CHECK(lits[0].text == "協働");
    CHECK(lits[1].text == "事業");
    CHECK(has_japanese("（"));
    CHECK_FALSE(has_japanese("Sign-ups (12)"));

    std::string hits;
    for (const auto& e : fs::directory_iterator(fs::path(KYODO_SOURCE_DIR) / "server/web")) {
        if (e.path().extension() != ".cpp" && e.path().extension() != ".h") continue;
        const std::string rel = "server/web/" + e.path().filename().string();
        for (const auto& l : string_literals(slurp_source(e.path())))
            if (has_japanese(l.text)) hits += rel + ":" + std::to_string(l.line) + " \"" + l.text.substr(0, 60) + "\"\n";
    }
    INFO(hits);
    CHECK(hits.empty());
}

TEST_CASE("language switch: the header offers the other language, /lang remembers it and returns to the page") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("admin1") == 303);
    auto ja = b.get("/admin/opinions");
    REQUIRE(ja);
    CHECK(ja->body.find("<html lang=\"ja\"") != std::string::npos);
    CHECK(ja->body.find(">ログアウト<") != std::string::npos);
    CHECK(ja->body.find("href=\"/lang?to=en\"") != std::string::npos);

    // The switch: a cookie for a year, back to the page the Referer names (same site only).
    httplib::Headers h = b.headers();
    h.emplace("Referer", "http://127.0.0.1:" + std::to_string(s.port) + "/admin/opinions?page=2");
    auto sw = b.cli.Get("/lang?to=en", h);
    REQUIRE(sw);
    CHECK(sw->status == 303);
    CHECK(sw->get_header_value("Location") == "/admin/opinions?page=2");
    CHECK(Browser::set_cookie_value(sw, "kyodo_lang").rfind("kyodo_lang=en;", 0) == 0);
    httplib::Headers foreign = b.headers();
    foreign.emplace("Referer", "http://evil.example/admin");
    CHECK(b.cli.Get("/lang?to=en", foreign)->get_header_value("Location") == "/admin");
    httplib::Headers sneaky = b.headers();
    sneaky.emplace("Referer", "http://127.0.0.1:" + std::to_string(s.port) + "//evil.example/");
    CHECK(b.cli.Get("/lang?to=en", sneaky)->get_header_value("Location") == "/admin");

    b.lang = "en";
    auto en = b.get("/admin/opinions");
    REQUIRE(en);
    CHECK(en->body.find("<html lang=\"en\"") != std::string::npos);
    CHECK(en->body.find(">Log out<") != std::string::npos);
    CHECK(en->body.find(">Kyodo projects<") != std::string::npos);   // the side menu
    CHECK(en->body.find("admin1 (") != std::string::npos);
    CHECK(en->body.find(">ログアウト<") == std::string::npos);
    CHECK(en->body.find(">協働事業<") == std::string::npos);
    CHECK(en->body.find("href=\"/lang?to=ja\"") != std::string::npos);
    // Anything but "en" is Japanese.
    b.lang = "xx";
    CHECK(b.get("/admin/opinions")->body.find(">ログアウト<") != std::string::npos);
}

// --- txshell: the shell, reports, exports, talent, groups, notices, check-in and phone pages -----

namespace {
// `en` must show each of `want` and none of `gone` (the former Japanese labels).
void shows_english(const httplib::Result& r, std::initializer_list<const char*> want, std::initializer_list<const char*> gone) {
    REQUIRE(r);
    const std::string body = html_unescape(r->body);
    for (const char* w : want) CHECK_MESSAGE(body.find(w) != std::string::npos, "missing: " << std::string(w));
    for (const char* g : gone) CHECK_MESSAGE(body.find(g) == std::string::npos, "still Japanese: " << std::string(g));
}
}  // namespace

TEST_CASE("txshell en: login page, its errors, the deny page and role labels") {
    WebServer s;
    Browser anon(s.port);
    anon.lang = "en";
    shows_english(anon.get("/admin/login"), {"<html lang=\"en\"", ">Log in<", "Staff ID", "Password", "The system administrator issues accounts"},
                  {"職員ID", "パスワード", "アカウントはシステム管理者が"});
    // A wrong password: the login form's error in English (the form posts without a session).
    auto form = anon.get("/admin/login");
    const std::string pre = Browser::set_cookie_value(form, "kyodo_login");
    httplib::Headers h{{"Cookie", pre.substr(0, pre.find(';')) + "; kyodo_lang=en"}};
    auto bad = anon.cli.Post("/admin/login", h,
                             httplib::Params{{"csrf", Browser::find_csrf(form->body)}, {"user", "viewer1"}, {"password", "wrong-password"}});
    REQUIRE(bad);
    CHECK(bad->status == 401);
    shows_english(bad, {"Wrong staff ID or password."}, {"職員IDまたはパスワードが違います"});

    Browser v(s.port);
    REQUIRE(v.login("viewer1") == 303);
    v.lang = "en";
    auto denied = v.get("/admin/staff");
    REQUIRE(denied);
    CHECK(denied->status == 403);
    shows_english(denied, {"Not allowed", "This needs the role \u201cAdministrator\u201d or higher.", "Back to Home"},
                  {"操作できません", "以上の権限が必要です", "ホームへ戻る"});
    // Japanese is unchanged for a reader without the cookie.
    v.lang = "";
    shows_english(v.get("/admin/staff"), {"この操作には「管理者」以上の権限が必要です。"}, {"Not allowed"});
}

TEST_CASE("txshell en: home, kiosks, audit log and staff accounts") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("admin1") == 303);
    b.lang = "en";
    shows_english(b.get("/admin"), {"Needs attention", "Opinions not yet handled", "Received (all time)", "Kiosks in service",
                                    "Catalog version", "Upcoming events with sign-ups"},
                  {"対応が必要なもの", "未対応の意見", "届いたもの", "公開中の情報", "カタログ版数"});
    shows_english(b.get("/admin/fleet"), {"Last seen", "App version", "never connected", "Enrol a kiosk", "Import a USB sync file",
                                          "<code>kyodo-bundle/1</code>"},
                  {"最終接続", "未接続", "キオスクを登録する", "USBの同期ファイルを取り込む"});
    shows_english(b.get("/admin/audit"), {"Audit log", "Who viewed or exported personal data", "Download CSV"},
                  {"個人情報の閲覧", "CSVで出力"});
    shows_english(b.get("/admin/staff"), {"Staff accounts", "Add or change a staff account", "Viewer (read only)", "Administrator"},
                  {"職員を追加・変更する", "閲覧者（見るだけ）", "管理者"});
    auto saved = b.post("/admin/staff", {{"user", "x"}, {"role", "viewer"}, {"password", "short"}});
    REQUIRE(saved);
    CHECK(html_unescape(web::url_decode(saved->get_header_value("Location"))).find("Not saved: password must be at least 10 characters") !=
          std::string::npos);
}

TEST_CASE("txshell en: reports, exports and their CSV headers") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("admin1") == 303);
    b.lang = "en";
    shows_english(b.get("/admin/reports"), {"Reports", "By centre and month", "Sign-ups and opinions", "Staff survey"},
                  {"集計・報告", "申込み・意見の件数", "職員アンケート"});
    shows_english(b.get("/admin/reports/yearly"), {"Fiscal year", ">Form<", ">Method<", ">Total<", "Projects the city leads",
                                                   "Participants (attendance on the day)"},
                  {"事業形態", "事業区分", "合計", "行政の主体性のもとに", "参加者数"});
    shows_english(b.get("/admin/reports/monthly"), {"Counts by centre and month", "Sign-ups (0)", ">Centre<"},
                  {"センター別・月別の件数", "キオスクで受け付けた日"});
    shows_english(b.get("/admin/reports/indicators"), {"Partnership indicators and targets", "Baseline", "Midway target", "no answers yet"},
                  {"現状値", "中間目標", "回答なし"});
    shows_english(b.get("/admin/exports"), {"Data export", "Sign-ups (personal data)", "Open data (no login, no personal data)"},
                  {"データ出力", "申込者（個人情報）", "オープンデータ"});
    auto csv = b.get("/admin/export/activities.csv");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBFID,Kind,Title,Form,Method,", 0) == 0);
    CHECK(csv->body.find(",Event,") != std::string::npos);   // the vocabulary follows the reader's language
    auto devices = b.get("/admin/export/devices.csv");
    REQUIRE(devices);
    CHECK(devices->body.rfind("\xEF\xBB\xBFKiosk,Centre,Last seen,", 0) == 0);
    // Japanese readers keep the Japanese header, byte for byte.
    b.lang = "";
    CHECK(b.get("/admin/export/activities.csv")->body.rfind("\xEF\xBB\xBFID,種別,名称,事業形態,事業区分,", 0) == 0);
    // Open data is cached per language: an English reader does not change the Japanese file.
    Browser pub(s.port);
    pub.lang = "en";
    CHECK(pub.get("/open/counts.csv")->body.rfind("\xEF\xBB\xBFKind,Centre ID,", 0) == 0);
    pub.lang = "";
    CHECK(pub.get("/open/counts.csv")->body.rfind("\xEF\xBB\xBF種類,センターID,", 0) == 0);
}

TEST_CASE("txshell en: talent bank, group registration and notice e-mails") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    b.lang = "en";
    shows_english(b.get("/admin/talent"), {"Talent bank", "Field: all", "Introductions and outcomes", "Requests for help (shown at the kiosks)",
                                           "No introductions yet.", "Publish the request",
                                           "Teaching, tutoring", "Disaster prevention", "Anywhere in the city"},
                  {"人材バンク", "紹介と結果", "まだ紹介はありません", "人材募集を公開"});
    auto csv = b.get("/admin/talent.csv");
    REQUIRE(csv);
    CHECK(csv->body.rfind("\xEF\xBB\xBFReceipt number,Name,Reading,Phone,", 0) == 0);
    shows_english(b.get("/admin/groups"), {"Group registration", "State: all", "Awaiting review", "Applications: 0", "No application matches.",
                                           "Disaster prevention"},
                  {"団体の利用登録", "審査待ち", "条件に合う申請はありません"});
    shows_english(b.get("/admin/notices"), {"Notice e-mails", "Waiting 0", "Attempts", "No notices yet."},
                  {"お知らせメール", "送信待ち", "まだお知らせはありません"});
}

TEST_CASE("txshell en: the residents' phone pages and the organiser's check-in link") {
    WebServer s;
    CatalogDelta d;
    Activity a;
    a.id = "ev-txshell";
    a.kind = ActivityKind::Event;
    a.title = "防災ワークショップ";
    a.capacity = 3;
    a.centre_id = "ohdono";
    a.starts_at = "2026-12-20T10:00";
    a.place = "大殿地域交流センター";
    d.activities.push_back(a);
    s.storage->import_catalog(d);
    const auto pushed = s.push({signup("ev-txshell", 2, "山口 花子", "4321")});
    REQUIRE(pushed.answers.size() == 1);
    REQUIRE(pushed.answers[0].signup_status == "confirmed");
    Browser phone(s.port);
    phone.lang = "en";
    shows_english(phone.get("/p/activities/ev-txshell"), {"<html lang=\"en\"", "When", "Venue", "Capacity 3", "Places left: 1",
                                                          "Check or cancel a sign-up", "Sign up at the kiosk", ">Event<",
                                                          "Sun 20 Dec 2026"},   // dates in English too, not 令和8年12月20日(日)
                  {"日時", "定員", "残り", "申込みの確認・キャンセル", "お申し込みは", "イベント", "令和8年12月20日"});
    shows_english(phone.get("/p/receipt"), {"Receipt number", "Check code", "e.g. 7KQ3-M9TX"}, {"受付番号", "確認コード"});
    // The form posts outside the dashboard's dispatcher: still in the reader's language.
    shows_english(phone.post("/p/receipt", {{"receipt", "AAAA-BBBB"}, {"code", "0000"}}, false),
                  {"Wrong receipt number or check code"}, {"受付番号または確認コードが違います"});
    shows_english(phone.get("/p/activities/nope"), {"Not found", "This listing has ended"}, {"見つかりません"});

    Browser ed(s.port);
    REQUIRE(ed.login("editor1") == 303);
    ed.lang = "en";
    auto issued = ed.post("/admin/roster/ev-txshell/checkin-link", {{"op", "issue"}});
    shows_english(issued, {"Check-in link", "Check-in link issued.", "Revoke"}, {"当日受付", "受付用リンク"});
    std::smatch m;
    REQUIRE(std::regex_search(issued->body, m, std::regex("/p/checkin/([A-Za-z0-9_-]+)</code>")));
    shows_english(phone.get("/p/checkin/" + m[1].str()), {"Check-in", "Arrived 0 / 2", "Receipt ", ">Arrived<", "Do not pass it on."},
                  {"当日受付", "到着", "受付番号"});
}

// --- txinbox: the inbox, the publishing forms and the agreements in English -------------------

namespace {

// The page's body as an English reader gets it (a logged-in Browser with kyodo_lang=en).
std::string en_page(Browser& b, const std::string& path) {
    b.lang = "en";
    auto r = b.get(path);
    REQUIRE(r);
    CHECK(r->status == 200);
    return r->body;
}

void has_all(const std::string& page, std::initializer_list<const char*> words) {
    for (const char* w : words) CHECK_MESSAGE(page.find(w) != std::string::npos, "missing: " << std::string(w));
}
void has_none(const std::string& page, std::initializer_list<const char*> words) {
    for (const char* w : words) CHECK_MESSAGE(page.find(w) == std::string::npos, "still there: " << std::string(w));
}

}  // namespace

TEST_CASE("txinbox: rosters, opinions, surveys, comments and proposals in English") {
    WebServer s;
    std::string act;   // a listing with a free place
    const Json cat = s.storage->catalog_since(0);
    for (const Json& a : cat["activities"])
        if (act.empty() && a["capacity"].get<int>() > a["taken"].get<int>()) act = a["id"];
    REQUIRE(!act.empty());
    const auto pushed = s.push({signup(act, 1, "山口 花子"), opinion("ベンチを増やしてほしい")});
    REQUIRE(pushed.answers.size() == 2);
    CHECK(pushed.answers[0].signup_status == "confirmed");
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);

    const std::string roster = en_page(b, "/admin/roster/" + act);
    has_all(roster, {"Roster", "Receipt no.", "Attendance", "Roster as CSV", " · Confirmed 1", "Present", "Absent"});
    has_none(roster, {"受付番号", "名簿をCSVで出力", "出欠", "確定 ", "キャンセル待ち", "出席", "欠席"});
    CHECK(roster.find("山口 花子") != std::string::npos);   // residents' data as they typed it

    const std::string opinions = en_page(b, "/admin/opinions");
    has_all(opinions, {"Opinion box", "Topic and text", "Handling note", "In review", "Filter"});
    has_none(opinions, {"テーマ・本文", "対応メモ", "確認中", "絞り込む", "（未割当）"});

    const std::string surveys = en_page(b, "/admin/surveys");
    has_all(surveys, {"Responses", "Results", "All answers as CSV"});
    has_none(surveys, {"回答数", "集計を見る", "全回答をCSVで出力"});
    const std::string results = en_page(b, "/admin/surveys/srv-kyodo-2026");
    has_all(results, {"responses (anonymous)", "Q1. "});
    has_none(results, {"（無記名）", "問1"});

    const std::string comments = en_page(b, "/admin/comments");
    has_all(comments, {"Public comments", "the city&#39;s answers"});   // esc() writes the apostrophe as &#39;
    has_none(comments, {"案ごと・章ごとに", "募集期間", "市の考え方"});

    const std::string proposals = en_page(b, "/admin/proposals");
    has_all(proposals, {"Resident proposals", "Proposer", "Status and reason"});
    has_none(proposals, {"提案者", "状態・理由", "採択しなかった提案"});
}

TEST_CASE("txinbox: listings and the activity, draft and call forms in English") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);

    const std::string list = en_page(b, "/admin/activities");
    has_all(list, {"New event or project", "New call for proposals", "Filter", "Public page", "Version"});
    has_none(list, {"行事・事業を登録する", "提案の募集を登録する", "絞り込む", "公開ページ", "名簿"});

    const std::string edit = en_page(b, "/admin/activities/act-001/edit");
    has_all(edit, {"Save and publish", "Furigana", "Form of collaboration", "Withdraw", "Capacity", "Joint project"});
    has_none(edit, {"保存して公開する", "ふりがな（", "事業形態", "公開を取り下げる", "<option value=\"kyodo\">市民協働事業"});

    const std::string draft = en_page(b, "/admin/activities/new?kind=public_comment");
    has_all(draft, {"New draft for public comment", "Sections of the draft", "Add a section", "Comments close"});
    has_none(draft, {"案の章", "章を追加する", "意見の募集締切日"});

    const std::string call = en_page(b, "/admin/activities/new?kind=call_for_proposals");
    has_all(call, {"New call for proposals", "Review criteria", "Proposal deadline", "Maximum per project (yen)"});
    has_none(call, {"審査基準", "提案の締切日", "上限額"});

    const std::string catalog = en_page(b, "/admin/catalog");
    has_all(catalog, {"New centre", "New organization", "New survey"});
    has_none(catalog, {"センターを登録する", "団体を登録する", "アンケートを登録する"});
}

TEST_CASE("txinbox: the centre, organization and survey forms in English") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);

    const std::string centre = en_page(b, "/admin/catalog/centres/new");
    has_all(centre, {"New centre", "Address", "Phone", "Save and publish"});
    has_none(centre, {"住所", "電話番号", "保存して公開する"});

    const std::string org = en_page(b, "/admin/catalog/organizations/new");
    has_all(org, {"Type of organization", "Public contact", "Introduction"});
    has_none(org, {"団体の種類", "公開する連絡先", "紹介文"});

    const std::string survey = en_page(b, "/admin/catalog/surveys/new");
    has_all(survey, {"New survey", "Add a question", "Choose one", "How to answer", "Survey name"});
    has_none(survey, {"質問を追加する", "ひとつ選ぶ", "答え方", "アンケートの名前"});
}

TEST_CASE("txinbox: partnership agreements in English") {
    WebServer s;
    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);

    const std::string list = en_page(b, "/admin/agreements?date=2024-06-01");
    has_all(list, {"Partnership agreements", "Valid agreements on 2024-06-01", "Agreements by field", "All agreements", "As of"});
    has_none(list, {"連携分野別の件数", "協定の一覧", "基準日", "有効な協定数", "令和6年"});

    const std::string form = en_page(b, "/admin/agreements/new");
    has_all(form, {"New partnership agreement", "Signing flow", "Initiatives", "Add an initiative", "Individual agreement"});
    // (the steps' own labels come from server/civic_storage.cpp, converted separately)
    has_none(form, {"締結の流れ（", "具体的取組（", "取組を追加する", "個別連携協定（"});

    const std::string import = en_page(b, "/admin/agreements/import");
    has_all(import, {"Import partnership agreements", "Imports partnership agreements from a JSON file"});
    has_none(import, {"取り込む", "同じIDの協定は上書き"});
}

// The civic pages (txcivic): the project register, a project and its evaluation, the check
// sheet, the indicators and the staff survey, the yearly survey, proposals — in English with the
// kyodo_lang=en cookie, none of their former Japanese labels left (the fixture's own data, such
// as a project's title or a department's name, stays as typed).
TEST_CASE("civic pages in English: register, project, evaluation sheet, check sheet, indicators, surveys, proposals") {
    WebServer s;
    const int fy = web::fiscal_year(web::jst_today());
    std::string era_en;
    {
        web::LangScope en(web::Lang::En);
        era_en = web::era_year_ja(fy);
        CHECK(web::era_year_ja(2019) == "FY Reiwa 1");
        CHECK(web::year_label_ja(2021) == "FY2021 (FY Reiwa 3)");
        CHECK(project_status_ja("running") == "Running");
        CHECK(agreement_kind_ja("comprehensive") == "Comprehensive partnership agreement");
        CHECK(agreement_steps().front().second == "Proposal (from the company or body to the city)");
    }
    // Outside a request the language is Japanese, and the step list is Japanese again.
    CHECK(web::era_year_ja(2019) == "令和元年度");
    CHECK(agreement_steps().front().second == "提案の申出（企業等から市へ）");
    Project p;
    p.id = "en-1";
    p.fiscal_year = fy;
    p.title = "子育てサロン";
    p.department = "市民協働課";
    p.form = "shien";
    p.methods = {"subsidy", "activity_support"};
    p.status = "running";
    p.budget_yen = 120000;
    s.storage->civic().put_project(p);

    Browser b(s.port);
    REQUIRE(b.login("admin1") == 303);
    b.lang = "en";
    auto has = [](const std::string& body, std::initializer_list<const char*> yes, std::initializer_list<const char*> no) {
        for (const char* t : yes) {
            INFO("expected: " << t);
            CHECK(body.find(t) != std::string::npos);
        }
        for (const char* t : no) {
            INFO("left over: " << t);
            CHECK(body.find(t) == std::string::npos);
        }
    };
    const std::string y = std::to_string(fy);

    auto list = b.get("/admin/projects?fy=" + y);
    REQUIRE(list);
    REQUIRE(list->status == 200);
    has(list->body, {"Project register", ">Register a project<", "<th>Methods</th>", "<td>Running</td>", "B Subsidy + G Activity support", "¥120,000",
                     "Listings that belong to no project"},
        {"協働事業の台帳", "<th>事業名</th>", "<td>実施中</td>", "協働事業を登録する", "B 補助金", "どの事業にも属さない掲載"});
    CHECK(list->body.find(era_en) != std::string::npos);

    auto proj = b.get("/admin/projects/en-1");
    REQUIRE(proj);
    has(proj->body, {"Fiscal year (Western)", "Budget (yen)", "Listings of this project", "Evaluation (PDCA cycle)", "Link for the partner&#39;s evaluation",
                     "Evaluation link: not issued", "③Activity support ("},
        {"年度（西暦）", "予算額（円）", "この事業の掲載", "評価（PDCAサイクル）", "評価用リンク"});

    auto self = b.get("/admin/projects/en-1/evaluation/self?fy=" + y);
    REQUIRE(self);
    has(self->body, {"<legend>Planning</legend>", "Is the purpose of the project clear?", "> Partly</label>", "Comments on Improvement"},
        {"計画段階", "事業の目的は明確ですか", "該当なし", "についての所見"});

    auto sum = b.get("/admin/projects/en-1/evaluation?fy=" + y);
    REQUIRE(sum);
    has(sum->body, {"Project evaluation sheet", "<th>Department (self-evaluation)</th>", "Answers differ on ", "Residents&#39; evaluation"},
        {"確認事項", "答えが分かれた項目", "住民の評価"});

    auto check = b.get("/admin/checksheets/new");
    REQUIRE(check);
    has(check->body, {"Collaboration check sheet", "Service to review", ">Start<"}, {"はじめる", "見直す事業・サービスの名前", "質問に順に答えてください"});
    auto q1 = b.post("/admin/checksheets/new", {{"op", "next"}, {"service", "公園の清掃"}, {"department", ""}, {"fiscal_year", y}});
    REQUIRE(q1);
    has(q1->body, {"<legend>Question 1</legend>", "exercise public authority", ">Next<"}, {"質問 1", "公の権力の行使", "次へ"});
    auto q2 = b.post("/admin/checksheets/new", {{"op", "next"}, {"service", "公園の清掃"}, {"department", ""}, {"fiscal_year", y}, {"asked", "power"}, {"a_power", "yes"}});
    REQUIRE(q2);
    has(q2->body, {"A service the city should run", "⑤ City-led", "Save this result"}, {"行政で実施すべき事業", "協働の領域", "この結果を保存する"});

    auto ind = b.get("/admin/indicators");
    REQUIRE(ind);
    has(ind->body, {"Collaboration indicators (targets and results by year)", "class=\"lg\">Measured</text>", "Set a year&#39;s target or measured value",
                    "<th>Target from</th>"},
        {"協働の指標", ">実績<", ">目標<", "年度の目標・実績を設定する", "目標の根拠"});
    auto staff = b.get("/admin/staff-survey");
    REQUIRE(staff);
    has(staff->body, {"Staff survey (understanding of collaboration)", "Yes, I can explain it", "No answers yet."}, {"はい、説明できる", "まだ回答がありません"});

    auto survey = b.get("/admin/survey?fy=" + y);
    REQUIRE(survey);
    has(survey->body, {"Yearly survey (", "<th>Department</th>", "Not answered", "Project register"}, {"実績調査（", "未回答", "担当課"});
    auto csv = b.get("/admin/survey.csv?fy=" + y);
    REQUIRE(csv);
    CHECK(csv->body.find("Fiscal year,Department,Accounts,Projects,Answer,Answered by") != std::string::npos);
    auto reg = b.get("/admin/projects.csv?fy=" + y);
    REQUIRE(reg);
    CHECK(reg->body.find("ID,Fiscal year,Fiscal year (Japanese era),Project,Department,Form,Methods") != std::string::npos);
    CHECK(reg->body.find(era_en) != std::string::npos);

    auto pub = b.get("/p/proposals");
    REQUIRE(pub);
    has(pub->body, {"Adopted residents&#39; proposals: what happened next", "No proposal has been adopted yet."}, {"採択された市民提案のその後", "まだ採択"});
    auto none = b.get("/admin/proposals/nope");
    REQUIRE(none);
    CHECK(none->body.find("The proposal was not found.") != std::string::npos);

    // The same page without the cookie is Japanese, byte for byte as before.
    b.lang = "";
    has(b.get("/admin/projects?fy=" + y)->body, {"協働事業の台帳", "<th>事業名</th>", "<td>実施中</td>", "B 補助金＋G 活動支援", "120,000円"}, {"Project register"});
}
