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
void both(Driver& d, const std::string& url, const std::string& name, int tall = 1600) {
    d.size(1280, tall);
    d.go(url);
    d.shot("civic-" + name + "-1280");
    d.size(390, 844);
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
