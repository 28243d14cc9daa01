// The dashboard in a real browser: headless Chromium from Debian driven through chromedriver
// (W3C WebDriver over loopback). It logs in, publishes a listing, a centre, an organization and
// a survey through their forms and watches them reach a kiosk's store after `kyodo-sync once`,
// reads the roster after a kiosk sign-up, and saves a screenshot of every page (phone pages at
// 390×844) under <build>/screenshots/web/. After every click that loads a page it waits for
// the old page to be gone and the new one to show what the step needs (a condition, not a
// time), so a slow machine only makes it slower.
//
// Everything runs on 127.0.0.1; the real kyodo-server, kyodo-sync and chromedriver binaries
// run as child processes stopped by pid (tests/support/process.h); every wait is bounded.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "tests/support/process.h"
#include "tests/web/webdriver.h"

using namespace kyodo;
using kyodo::test::ChildProcess;
using kyodo::test::run_process;
using kyodo::test::TempDir;
using namespace kyodo::web_test;

namespace {

const std::string kServer = std::string(KYODO_BINARY_DIR) + "/server/kyodo-server";
const std::string kSync = std::string(KYODO_BINARY_DIR) + "/sync/kyodo-sync";
const std::string kCatalog = std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json";

std::string sync_once(const std::string& cfg) {
    auto r = run_process({kSync, "once", "--config", cfg}, std::chrono::seconds(60));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
}

}  // namespace

TEST_CASE("browser: log in, publish to a kiosk, read the roster after a kiosk sign-up, screenshot every page") {
    if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver)) {
        MESSAGE("chromium / chromedriver not installed (scripts/install-deps.sh installs them); browser test skipped");
        return;
    }
    crypto_init();
    std::filesystem::create_directories(kShots);
    TempDir tmp("kyodo-web-browser");
    const std::string data = tmp.file("data");

    // The real server, a staff account, and a kiosk enrolled against it.
    REQUIRE(run_process({kServer, "--data", data, "init", "--catalog", kCatalog}).exit_code == 0);
    {
        std::ofstream(tmp.file("pw")) << "browser-test-pass\n";
        REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "suzuki", "--role", "admin", "--password-file",
                             tmp.file("pw")})
                    .exit_code == 0);
    }
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = server.wait_for_listening();
    REQUIRE(port > 0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    REQUIRE(run_process({kServer, "--data", data, "enrol", "--kiosk", "ohdono-1", "--centre", "ohdono", "--server-url", base,
                         "--write-config", tmp.file("kiosk.json"), "--kiosk-db", tmp.file("kiosk.db")})
                .exit_code == 0);
    sync_once(tmp.file("kiosk.json"));
    const std::string pub = Json::parse(run_process({kServer, "--data", data, "public-key"}).out.empty()
                                            ? "\"\""
                                            : "\"" + run_process({kServer, "--data", data, "public-key"}).out.substr(0, 44) + "\"")
                                .get<std::string>();

    // Residents at the kiosk: opinions (one with a script tag), survey answers, a proposal, a
    // public comment; pushed by kyodo-sync.
    {
        KioskStore store(tmp.file("kiosk.db"));
        auto rec = [](RecordKind k, Json payload) {
            Record r;
            r.kind = k;
            r.kiosk_id = "ohdono-1";
            r.centre_id = "ohdono";
            r.payload = std::move(payload);
            return r;
        };
        for (const char* t : {"避難所の案内板をもっと大きくしてください。", "<script>alert(1)</script> は文字として表示されるべき",
                              "公園のベンチが壊れています。"}) {
            Record r = rec(RecordKind::Opinion, {{"topic", "まちづくり"}, {"text", t}, {"activity_id", ""}, {"wants_reply", false}});
            store.enqueue(r);
        }
        for (int i = 0; i < 6; ++i) {
            Record r = rec(RecordKind::SurveyResponse,
                           {{"survey_id", "srv-kyodo-2026"}, {"survey_version", 1},
                            {"answers", Json::array({{{"question_id", "q1"}, {"choice", i % 3}},
                                                     {{"question_id", "q2"}, {"choice", i % 4}},
                                                     {{"question_id", "q3"}, {"choice", i % 2}},
                                                     {{"question_id", "q4"}, {"scale", 1 + i % 5}},
                                                     {{"question_id", "q5"}, {"choices", Json::array({i % 12, (i + 3) % 12})}}})}});
            store.enqueue(r);
        }
        Personal who;
        who.name = "提案 太郎";
        who.phone = "090-1234-5678";
        Record p = rec(RecordKind::Proposal, {{"title", "多世代が集まる子ども食堂"}, {"summary", "月2回、センターの調理室で。"},
                                              {"fields", Json::array({"子育て", "福祉"})}, {"group_name", "なかよし食堂の会"},
                                              {"partner_department", "子育て支援部こども育成課"}});
        p.sealed = seal_personal(who, pub);
        store.enqueue(p);
        Record c = rec(RecordKind::PublicComment, {{"draft_id", "act-068"}, {"section_id", "s2"}, {"text", "数値目標をもっと高くしてほしい。"}});
        store.enqueue(c);
    }
    sync_once(tmp.file("kiosk.json"));

    TempDir profile("kyodo-chromium-profile");
    const int dport = free_port();
    ChildProcess driver({kDriver, "--port=" + std::to_string(dport), "--allowed-ips=127.0.0.1"});
    REQUIRE(driver.wait_for_line("started successfully", std::chrono::seconds(20)));
    Driver d(dport, profile.path());

    // 1. Log in.
    d.go(base + "/admin");
    CHECK(d.url().find("/admin/login") != std::string::npos);
    d.shot("01-login");
    d.type("input[name=user]", "suzuki");
    d.type("input[name=password]", "browser-test-pass");
    REQUIRE(d.click_and_wait("button.primary", "nav.side"));
    CHECK(d.has_text("対応が必要なもの"));
    d.shot("02-home");

    // 2. Publish a change and watch it reach the kiosk's store.
    d.go(base + "/admin/activities/act-017/edit");
    d.shot("03-activity-edit");
    const std::string new_title = "ブラウザから変更した行事名";
    d.type("input[name=title]", new_title);
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("保存しました"));
    d.shot("04-activities");
    sync_once(tmp.file("kiosk.json"));
    {
        KioskStore store(tmp.file("kiosk.db"));
        auto a = store.activity("act-017");
        REQUIRE(a);
        CHECK(a->title == new_title);
    }

    // 2b. Publish a centre, an organization and a survey through their forms (a validation
    // error on the way, shown by its field with the typed input kept), and watch all three
    // reach the kiosk's store after a sync. Forms are photographed tall enough to show whole.
    d.size(1280, 2000);
    d.go(base + "/admin/catalog/centres/new");
    d.shot("26-centre-new");
    d.type("input[name=id]", "yuda-onsen");
    d.type("input[name=name]", "湯田温泉地域交流センター");
    d.type("input[name=kana]", "ゆだおんせんちいきこうりゅうせんたー");
    d.type("input[name=address]", "山口市湯田温泉 サンプル町2-2");
    d.type("input[name=phone]", "12-34");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "h1"));
    CHECK(d.exists("#err-phone"));
    CHECK(d.has_text("value=\"湯田温泉地域交流センター\""));   // typed input kept
    d.shot("27-centre-error");
    d.type("input[name=phone]", "083-920-0000");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("保存しました"));

    d.go(base + "/admin/catalog/organizations/new");
    d.type("input[name=id]", "org-browser-shokudo");
    d.type("input[name=name]", "湯田こども食堂の会");
    d.type("input[name=kana]", "ゆだこどもしょくどうのかい");
    d.click("select[name=type] option[value='ボランティア団体']");
    d.click("input[name='fields'][value='子育て']");
    d.click("input[name='fields'][value='福祉']");
    d.type("input[name=contact]", "083-000-0000（事務局）");
    d.type("textarea[name=description]", "月2回、センターの調理室で子ども食堂を開いています。");
    d.shot("28-organization-new");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("保存しました"));

    d.go(base + "/admin/catalog/surveys/new");
    d.type("input[name=id]", "srv-browser");
    d.type("input[name=title]", "湯田こども食堂のアンケート");
    d.type("textarea[name='q.0.text']", "今日の食事はいかがでしたか。");
    d.type("input[name='q.0.c.0']", "おいしかった");
    d.type("input[name='q.0.c.1']", "ふつう");
    REQUIRE(d.click_and_wait("button[value='add:q.0.c']", "input[name='q.0.c.2']"));
    d.type("input[name='q.0.c.2']", "いまひとつ");
    REQUIRE(d.click_and_wait("button[value='add:q']", "textarea[name='q.1.text']"));
    d.type("textarea[name='q.1.text']", "また来たいと思いますか。");
    d.click("select[name='q.1.type'] option[value='scale']");
    REQUIRE(d.click_and_wait("button[value='refresh']", "input[name='q.1.scale_min_label']"));
    d.type("input[name='q.1.scale_min_label']", "思わない");
    d.type("input[name='q.1.scale_max_label']", "とても思う");
    d.click("select[name='q.1.indicator'] option[value='feel_heard']");
    REQUIRE(d.click_and_wait("button[value='up:q.1']", "textarea[name='q.1.text']"));
    CHECK(d.has_text("value=\"おいしかった\""));
    d.shot("29-survey-editor");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("保存しました"));

    // The draft for public comment and the call for proposals, as staff see them.
    d.size(1280, 5200);   // the whole form, sections included
    d.go(base + "/admin/activities/act-068/edit");
    d.shot("30-draft-edit");
    d.shot_of("fieldset.group", "30b-draft-sections");
    d.size(1280, 3600);
    d.go(base + "/admin/activities/act-069/edit");
    d.shot("31-call-edit");
    d.shot_of("fieldset.group", "31b-call-details");
    d.shot_of("fieldset.scroll", "31c-organizers");
    d.size(1280, 2000);
    d.go(base + "/admin/catalog/organizations/org-city-kyodo");
    d.shot("32-organization-edit");
    d.size(390, 2600);   // the forms are usable on a phone-sized window too
    d.go(base + "/admin/catalog/surveys/srv-browser");
    d.shot("33-survey-editor-narrow");
    d.size(1280, 1000);

    sync_once(tmp.file("kiosk.json"));
    {
        KioskStore store(tmp.file("kiosk.db"));
        const auto ce = store.centre("yuda-onsen");
        REQUIRE(ce);
        CHECK(ce->name == "湯田温泉地域交流センター");
        CHECK(ce->phone == "083-920-0000");
        const auto org = store.organization("org-browser-shokudo");
        REQUIRE(org);
        CHECK(org->type == "ボランティア団体");
        CHECK(org->fields == std::vector<std::string>{"福祉", "子育て"});
        const auto sv = store.survey("srv-browser");
        REQUIRE(sv);
        REQUIRE(sv->questions.size() == 2);
        CHECK(sv->questions[0].type == QuestionType::Scale);
        CHECK(sv->questions[0].indicator == "feel_heard");
        CHECK(sv->questions[0].scale_max_label == "とても思う");
        CHECK(sv->questions[1].type == QuestionType::Single);
        CHECK(sv->questions[1].choices == std::vector<std::string>{"おいしかった", "ふつう", "いまひとつ"});
    }

    // 3. A resident signs up at the kiosk; the roster shows them after a sync.
    std::string receipt, check;
    {
        KioskStore store(tmp.file("kiosk.db"));
        Record r;
        r.kind = RecordKind::SignUp;
        r.kiosk_id = "ohdono-1";
        r.centre_id = "ohdono";
        r.payload = {{"activity_id", "act-017"}, {"activity_version", store.activity("act-017")->version}, {"party_size", 2}, {"note", "車いすで参加します"}};
        Personal p;
        p.name = "大殿 花子";
        p.furigana = "おおどの はなこ";
        p.phone = "083-922-1234";
        r.sealed = seal_personal(p, pub);
        const Receipt rc = store.enqueue(r);
        receipt = rc.number;
        check = rc.check_code;
    }
    sync_once(tmp.file("kiosk.json"));
    d.go(base + "/admin/roster/act-017");
    const std::string roster = d.source();
    CHECK(roster.find("大殿 花子") != std::string::npos);
    CHECK(roster.find("車いすで参加します") != std::string::npos);
    d.shot("05-roster");

    // 4. Every other page.
    const std::pair<const char*, const char*> pages[] = {
        {"/admin/opinions", "06-opinions"},        {"/admin/surveys", "07-surveys"},
        {"/admin/surveys/srv-kyodo-2026", "08-survey-results"}, {"/admin/comments", "09-comments"},
        {"/admin/proposals", "10-proposals"},      {"/admin/reports/yearly", "11-report-yearly"},
        {"/admin/reports/monthly", "12-report-monthly"}, {"/admin/reports/indicators", "13-report-indicators"},
        {"/admin/exports", "14-exports"},          {"/admin/fleet", "15-fleet"},
        {"/admin/audit", "16-audit"},              {"/admin/catalog", "17-catalog"},
        {"/admin/staff", "18-staff"},              {"/admin/activities/new", "19-activity-new"},
    };
    for (const auto& [path, name] : pages) {
        d.go(base + path);
        CHECK(d.source().find("<h1>") != std::string::npos);
        d.shot(name);
    }
    // The script tag in an opinion is text in the page, not a script.
    d.go(base + "/admin/opinions");
    const std::string ops = d.source();
    CHECK(ops.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(ops.find("<script>alert(1)") == std::string::npos);

    // 5. Phone pages at 390×844: the activity page, then the receipt lookup and cancel.
    d.size(390, 844);
    d.go(base + "/p/activities/act-017");
    CHECK(d.source().find(new_title) != std::string::npos);
    d.shot("20-phone-activity");
    d.go(base + "/p/receipt");
    d.shot("21-phone-receipt");
    d.type("input[name=receipt]", receipt);
    d.type("input[name=code]", check);
    REQUIRE(d.click_and_wait("button.primary", "button.danger"));
    CHECK(d.has_text("申込みの状況"));
    d.shot("22-phone-receipt-status");
    d.click("input[name=confirm]");
    REQUIRE(d.click_and_wait("button.danger", "h1"));
    CHECK(d.has_text("キャンセルしました"));
    d.shot("23-phone-cancelled");
    d.go(base + "/p/comments/act-068");
    d.shot("24-phone-comments");

    // The cancellation reaches the kiosk as a new `taken` at its next pull.
    sync_once(tmp.file("kiosk.json"));
    d.size(1280, 1000);
    d.go(base + "/admin/roster/act-017");
    CHECK(d.source().find("取消") != std::string::npos);
    d.shot("25-roster-after-cancel");
    d.go(base + "/admin/audit");
    CHECK(d.source().find("view_roster") != std::string::npos);
    CHECK(d.source().find("cancel_signup_public") != std::string::npos);
}
