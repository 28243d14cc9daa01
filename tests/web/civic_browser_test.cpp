// The office's yearly registers in a real browser (issue 12 points 1, 3, 5): headless Chromium
// through chromedriver against the real kyodo-server. It imports seed 000's 令和3年度 through the
// import page (a file input), reads the yearly report's group totals, registers a project from a
// listing through its form (an error by its field on the way), imports seed 003's agreements and
// reads the count by field, sets a year's target for indicator ⑤ with its reason and answers the
// staff survey; every page is photographed at 1280 px and 390 px wide under
// <build>/screenshots/web/ (civic-*.png). Waits are for conditions, bounded.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/process.h"
#include "tests/web/webdriver.h"

using namespace kyodo;
using kyodo::test::ChildProcess;
using kyodo::test::run_process;
using kyodo::test::TempDir;
using namespace kyodo::web_test;

namespace {

const std::string kServer = std::string(KYODO_BINARY_DIR) + "/server/kyodo-server";
const std::string kCatalog = std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json";
const std::string kProjects = std::string(KYODO_SOURCE_DIR) + "/tests/assets/seed000_r3_projects.json";
const std::string kAgreements = std::string(KYODO_SOURCE_DIR) + "/tests/assets/seed003_agreements.json";

// The page at both widths: desktop (tall enough for the whole page) and phone.
void both(Driver& d, const std::string& url, const std::string& name, int tall = 1600, int phone_tall = 844) {
    d.size(1280, tall);
    d.go(url);
    d.shot("civic-" + name + "-1280");
    d.size(390, phone_tall);
    d.go(url);
    d.shot("civic-" + name + "-390");
    d.size(1280, 1000);
}

}  // namespace

TEST_CASE("browser: projects and the yearly report, agreements, targets by year; screenshots at 1280 and 390 px") {
    if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver)) {
        MESSAGE("chromium / chromedriver not installed (scripts/install-deps.sh installs them); browser test skipped");
        return;
    }
    std::filesystem::create_directories(kShots);
    TempDir tmp("kyodo-web-civic");
    const std::string data = tmp.file("data");
    REQUIRE(run_process({kServer, "--data", data, "init", "--catalog", kCatalog}).exit_code == 0);
    std::ofstream(tmp.file("pw")) << "browser-test-pass\n";
    REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "tanaka", "--role", "admin", "--password-file", tmp.file("pw")}).exit_code == 0);
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = server.wait_for_listening();
    REQUIRE(port > 0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);

    TempDir profile("kyodo-chromium-civic");
    const int dport = free_port();
    ChildProcess driver({kDriver, "--port=" + std::to_string(dport), "--allowed-ips=127.0.0.1"});
    REQUIRE(driver.wait_for_line("started successfully", std::chrono::seconds(20)));
    Driver d(dport, profile.path());

    d.go(base + "/admin");
    d.type("input[name=user]", "tanaka");
    d.type("input[name=password]", "browser-test-pass");
    REQUIRE(d.click_and_wait("button.primary", "nav.side"));

    // 1. Seed 000's 令和3年度 through the import page, then the report.
    d.go(base + "/admin/projects/import");
    d.call("POST", d.s("/element/" + d.find("input[type=file]") + "/value"), {{"text", kProjects}});
    REQUIRE(d.click_and_wait("button.primary", "p.notice"));
    CHECK(d.has_text("263 件の協働事業を取り込みました"));
    d.go(base + "/admin/reports/yearly?fy=2021");
    CHECK(d.has_text("令和3年度 協働実績 <strong>263</strong> 件"));
    CHECK(d.has_text("data-form=\"kyodo\"><strong>96</strong>"));
    CHECK(d.has_text("data-form=\"kyoryoku\"><strong>98</strong>"));
    CHECK(d.has_text("data-form=\"shien\"><strong>69</strong>"));
    CHECK(d.has_text("B 補助金<br>G 活動支援"));
    both(d, base + "/admin/reports/yearly?fy=2021", "01-yearly-r3", 2400);
    d.size(1280, 1000);
    d.go(base + "/admin/reports/yearly?fy=2021");
    d.shot_of("#yearly-table", "civic-01b-yearly-table");
    both(d, base + "/admin/projects?fy=2021", "02-projects-r3", 2000);
    // 263 projects, 100 a page: page 2 of 3 links to the first page and to page 3, keeping the year.
    d.go(base + "/admin/projects?fy=2021&page=2");
    CHECK(d.has_text("/admin/projects?fy=2021&amp;page=3"));
    both(d, base + "/admin/projects?fy=2021&page=2", "02b-projects-r3-page2", 2000);

    // 2. A project from a listing: the form comes filled in; a bad budget is shown by its field.
    d.size(1280, 2200);
    d.go(base + "/admin/projects?fy=2026");
    REQUIRE(d.click_and_wait("a[href*='from=act-003']", "form.grid2"));
    d.type("input[name=budget_yen]", "-5");
    d.click("input[name='methods'][value='subsidy']");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "h1"));
    CHECK(d.exists("#err-budget_yen"));
    CHECK(d.has_text("value=\"-5\""));   // typed input kept
    d.shot("civic-03-project-error-1280");
    d.type("input[name=budget_yen]", "250000");
    d.type("textarea[name=goals]", "参加者 300 人、アンケートの満足度 8 割");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("掲載 act-003 を結びつけました"));
    const std::string project_url = d.url();
    both(d, project_url, "04-project", 2400);
    both(d, base + "/admin/reports/yearly?fy=2026", "05-yearly-r8", 1400);

    // 3. Seed 003's agreements, counted by field on 令和6年6月1日.
    d.go(base + "/admin/agreements/import");
    d.call("POST", d.s("/element/" + d.find("input[type=file]") + "/value"), {{"text", kAgreements}});
    REQUIRE(d.click_and_wait("button.primary", "p.notice"));
    CHECK(d.has_text("26 件の連携協定を取り込みました"));
    d.go(base + "/admin/agreements?date=2024-06-01");
    CHECK(d.has_text("有効な協定数 <strong id=\"valid-total\">24</strong> 件"));
    both(d, base + "/admin/agreements?date=2024-06-01", "06-agreements", 2600);
    both(d, base + "/admin/agreements/agr-comp-health", "07-agreement", 4200);

    // 4. Indicator ⑤: a target for this year with its reason; the staff survey measures it.
    d.go(base + "/admin/staff-survey");
    d.click("input[name=answer][value=yes]");
    REQUIRE(d.click_and_wait("form.panel button.primary", "p.notice"));
    CHECK(d.has_text("100.0%"));
    both(d, base + "/admin/staff-survey", "08-staff-survey", 1100);
    d.size(1280, 1000);
    d.go(base + "/admin/indicators");
    d.click("#ind-staff_can_explain details.edit summary");
    d.type("#ind-staff_can_explain input[name=target]", "60");
    d.type("#ind-staff_can_explain input[name=reason]", "研修の拡充にあわせて設定");
    REQUIRE(d.click_and_wait("#ind-staff_can_explain form button.primary", "p.notice"));
    CHECK(d.has_text("研修の拡充にあわせて設定"));
    both(d, base + "/admin/indicators", "09-indicators", 4600);
    d.size(1280, 1000);
    d.go(base + "/admin/indicators");
    d.shot_of("#ind-staff_can_explain svg", "civic-09b-indicator5-chart");
    d.shot_of("#ind-local_activity_participation svg", "civic-09c-indicator1-chart");
}

TEST_CASE("browser: a check sheet becomes a project; the department and the partner fill the evaluation sheet; side by side") {
    if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver)) {
        MESSAGE("chromium / chromedriver not installed (scripts/install-deps.sh installs them); browser test skipped");
        return;
    }
    std::filesystem::create_directories(kShots);
    TempDir tmp("kyodo-web-eval");
    const std::string data = tmp.file("data");
    REQUIRE(run_process({kServer, "--data", data, "init", "--catalog", kCatalog}).exit_code == 0);
    std::ofstream(tmp.file("pw")) << "browser-test-pass\n";
    REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "suzuki", "--role", "editor", "--password-file", tmp.file("pw")}).exit_code == 0);
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = server.wait_for_listening();
    REQUIRE(port > 0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    TempDir profile("kyodo-chromium-eval");
    const int dport = free_port();
    ChildProcess driver({kDriver, "--port=" + std::to_string(dport), "--allowed-ips=127.0.0.1"});
    REQUIRE(driver.wait_for_line("started successfully", std::chrono::seconds(20)));
    Driver d(dport, profile.path());
    d.go(base + "/admin");
    d.type("input[name=user]", "suzuki");
    d.type("input[name=password]", "browser-test-pass");
    REQUIRE(d.click_and_wait("button.primary", "nav.side"));

    // 1. The check sheet, one question at a time, for an existing service.
    d.size(1280, 1100);
    d.go(base + "/admin/checksheets/new");
    d.type("input[name=service]", "河川清掃の日");
    d.type("input[name=department_other]", "環境部環境課");
    REQUIRE(d.click_and_wait("form.check button.primary", "fieldset.check-q"));
    for (const auto& [q, a] : std::vector<std::pair<std::string, std::string>>{{"power", "no"}, {"private", "no"}, {"benefit", "yes"}, {"lead", "equal"}}) {
        d.click("input[name=a_" + q + "][value=" + a + "]");
        if (q == "lead") {
            d.shot("civic-10-checksheet-question-1280");
            d.size(390, 1200);
            d.shot("civic-10-checksheet-question-390");
            d.size(1280, 1100);
        }
        REQUIRE(d.click_and_wait("form.check button.primary", "fieldset.check-q"));
    }
    d.click("input[name=a_body][value=yes]");
    REQUIRE(d.click_and_wait("form.check button.primary", "#check-result"));
    CHECK(d.has_text("協働で実施すべき事業"));
    CHECK(d.has_text("A 実行委員会"));
    d.shot("civic-11-checksheet-result-1280");
    d.size(390, 1400);
    d.shot("civic-11-checksheet-result-390");
    d.size(1280, 1100);
    d.type("textarea[name=note]", "来年度から地区の団体と実行委員会方式にする");
    REQUIRE(d.click_and_wait("form.check button.primary", "p.notice"));
    const std::string sheet_url = d.url().substr(0, d.url().find('?'));
    both(d, sheet_url, "12-checksheet", 1300, 1300);

    // 2. From its result to the register: the form comes filled in.
    d.go(sheet_url);
    REQUIRE(d.click_and_wait("a.button.primary", "form.grid2"));
    CHECK(d.has_text("value=\"河川清掃の日\""));
    d.type("input[name=id]", "kasen-2026");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    const std::string project = base + "/admin/projects/kasen-2026";

    // 3. The department's self-evaluation: 25 items.
    d.size(1280, 1100);
    d.go(project + "/evaluation/self");
    for (const char* st : {"plan", "do", "result", "improve"})
        for (int i = 1; i <= 9; ++i)
            if (d.exists(std::string("input[name=q_") + st + "_" + std::to_string(i) + "][value=yes]"))
                d.click(std::string("input[name=q_") + st + "_" + std::to_string(i) + "][value=yes]");
    d.click("input[name=q_do_5][value=no]");
    d.type("textarea[name=comment_do]", "月1回の実行委員会で進捗を共有した");
    REQUIRE(d.click_and_wait("form.sheet button.primary", "p.notice"));
    CHECK(d.has_text("id=\"score-self\">24 / 25"));
    both(d, project + "/evaluation/self", "13-evaluation-self", 3400, 2400);

    // 4. The partner's link, issued once; the partner fills the sheet through it.
    d.size(1280, 1100);
    d.go(project + "/evaluation");
    REQUIRE(d.click_and_wait("#evaluation-link button[value=issue]", "code.url"));
    std::smatch m;
    const std::string src = d.source();
    REQUIRE(std::regex_search(src, m, std::regex("(/p/evaluation/[A-Za-z0-9_-]+)</code>")));
    const std::string partner = base + m[1].str();
    d.shot("civic-14-evaluation-link-1280");
    d.size(390, 1000);
    d.go(partner);
    d.type("input[name=name]", "河川愛護会 山田");
    for (const char* st : {"plan", "do", "result", "improve"})
        for (int i = 1; i <= 9; ++i)
            if (d.exists(std::string("input[name=q_") + st + "_" + std::to_string(i) + "][value=yes]"))
                d.click(std::string("input[name=q_") + st + "_" + std::to_string(i) + "][value=yes]");
    d.click("input[name=q_do_5][value=partly]");
    d.click("input[name=q_improve_4][value=partly]");
    d.type("textarea[name=comment_improve]", "参加者が増えた。来年度も続けたい");
    REQUIRE(d.click_and_wait("form.sheet button.primary", "p.notice"));
    CHECK(d.has_text("ありがとうございました"));
    d.shot("civic-15-evaluation-partner-390");
    d.size(1280, 3200);
    d.go(partner);
    d.shot("civic-15-evaluation-partner-1280");

    // 5. Side by side, and the project's history year by year.
    d.size(1280, 1100);
    d.go(project + "/evaluation");
    CHECK(d.exists("tr#item-do-5.differs"));
    CHECK(d.exists("tr#item-improve-4.differs"));
    CHECK_FALSE(d.exists("tr#item-plan-1.differs"));
    CHECK(d.has_text("id=\"score-partner\">23 / 25"));
    CHECK(d.has_text("河川愛護会 山田"));
    both(d, project + "/evaluation", "16-evaluation-side-by-side", 2600, 2600);
    d.go(project);
    CHECK(d.has_text("はい 24 / 25"));
    CHECK(d.has_text("はい 23 / 25"));
    both(d, project, "17-project-evaluation-history", 3000, 3600);
    d.size(1280, 1000);
    d.go(project);
    d.shot_of("#evaluation-history", "civic-17b-evaluation-history");
    both(d, base + "/admin/checksheets", "18-checksheets", 1000, 1000);
}

TEST_CASE("browser: a department fills in its 実績調査 and answers; the office sees who answered and closes the year") {
    if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver)) {
        MESSAGE("chromium / chromedriver not installed (scripts/install-deps.sh installs them); browser test skipped");
        return;
    }
    std::filesystem::create_directories(kShots);
    TempDir tmp("kyodo-web-survey");
    const std::string data = tmp.file("data");
    REQUIRE(run_process({kServer, "--data", data, "init", "--catalog", kCatalog}).exit_code == 0);
    std::ofstream(tmp.file("pw")) << "browser-test-pass\n";
    REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "tanaka", "--role", "admin", "--password-file", tmp.file("pw")}).exit_code == 0);
    // A department account needs its department, from the command line as from the staff page.
    CHECK(run_process({kServer, "--data", data, "add-staff", "--user", "bousai", "--role", "department", "--password-file", tmp.file("pw")}).exit_code != 0);
    REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "bousai", "--role", "department", "--department", "防災危機管理課",
                         "--password-file", tmp.file("pw")})
                .exit_code == 0);
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = server.wait_for_listening();
    REQUIRE(port > 0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    TempDir profile("kyodo-chromium-survey");
    const int dport = free_port();
    ChildProcess driver({kDriver, "--port=" + std::to_string(dport), "--allowed-ips=127.0.0.1"});
    REQUIRE(driver.wait_for_line("started successfully", std::chrono::seconds(20)));
    Driver d(dport, profile.path());
    auto login = [&](const std::string& user) {
        d.call("DELETE", d.s("/cookie"));
        d.go(base + "/admin");
        d.type("input[name=user]", user);
        d.type("input[name=password]", "browser-test-pass");
        return d.click_and_wait("button.primary", "nav.side");
    };

    // 1. The department: straight to its survey, nothing else in the menu.
    d.size(1280, 1000);
    REQUIRE(login("bousai"));
    CHECK(d.url().find("/admin/survey") != std::string::npos);
    CHECK(d.has_text("<strong>未回答</strong>"));
    CHECK_FALSE(d.exists("nav.side a[href='/admin/opinions']"));
    both(d, base + "/admin/survey?fy=2026", "20-survey-department", 1000);
    // It adds its project of the year through the form, then answers.
    d.go(base + "/admin/survey?fy=2026");
    REQUIRE(d.click_and_wait("a[href^='/admin/projects/new']", "form.grid2"));
    CHECK(d.has_text("value=\"防災危機管理課\" readonly"));
    d.shot("civic-21-survey-project-form-1280");
    d.type("input[name=id]", "bousai-26-1");
    d.type("input[name=title]", "地域防災リーダー養成講座");
    d.click("select[name=form] option[value=kyodo]");
    d.click("input[name='methods'][value='co_host']");
    REQUIRE(d.click_and_wait("form.grid2 button.primary", "p.notice"));
    CHECK(d.has_text("地域防災リーダー養成講座"));
    REQUIRE(d.click_and_wait("form[action='/admin/survey/answer'] button.primary", "p.notice"));
    CHECK(d.has_text("回答済み: bousai"));
    both(d, base + "/admin/survey?fy=2026", "22-survey-answered", 1000);

    // 2. The office: who answered; then it closes the year, and the department can no longer change it.
    REQUIRE(login("tanaka"));
    d.go(base + "/admin/survey?fy=2026");
    CHECK(d.has_text("回答 <strong>1</strong> / 1 課"));
    CHECK(d.has_text("<td>防災危機管理課</td><td>bousai</td><td class=\"num\">1</td><td>回答済み bousai"));
    both(d, base + "/admin/survey?fy=2026", "23-survey-office", 1000);
    d.go(base + "/admin/survey?fy=2026");
    REQUIRE(d.click_and_wait("form[action='/admin/projects/close-year'] button.danger", "p.notice"));
    CHECK(d.has_text("令和8年度を締め切りました"));
    REQUIRE(login("bousai"));
    d.go(base + "/admin/survey?fy=2026");
    CHECK(d.exists("#year-closed"));
    CHECK_FALSE(d.exists("form[action='/admin/survey/answer']"));
    both(d, base + "/admin/survey?fy=2026", "24-survey-closed", 1000);
}
