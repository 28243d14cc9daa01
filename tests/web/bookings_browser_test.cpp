// The staff side of issue 11 in a real browser (headless Chromium through chromedriver on
// loopback, tests/web/webdriver.h): a group's application and a talent registration come from a
// kiosk through kyodo-sync; staff approve the group, propose the talent for a 人材募集 and record
// the outcome, set the 優先予約 window and publish projector slots through the form, the kiosk
// books one for the group, staff mark it lent and then returned on the calendar, block another
// slot, record a consultation's outcome, grant chairs a group asked for (things given away), and
// download each list as CSV (the contents checked).
// Screenshots of every page go to <build>/screenshots/web/bookings-*.png.
//
// Waits are conditions (the old page gone, the new one showing what the step needs), bounded.
#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "server/slot_plan.h"
#include "server/web/html.h"
#include "server/web/reports.h"
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

void sync_once(const std::string& cfg) {
    auto r = run_process({kSync, "once", "--config", cfg}, std::chrono::seconds(60));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
}

Record kiosk_record(RecordKind k, Json payload) {
    Record r;
    r.kind = k;
    r.kiosk_id = "ohdono-1";
    r.centre_id = "ohdono";
    r.payload = std::move(payload);
    return r;
}

}  // namespace

TEST_CASE("browser: approve a group, match a talent, publish slots, lend and return a projector, block a slot, export CSV") {
    if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver) || !std::filesystem::exists(kSync)) {
        MESSAGE("chromium / chromedriver / kyodo-sync not there (scripts/install-deps.sh installs them); browser test skipped");
        return;
    }
    crypto_init();
    std::filesystem::create_directories(kShots);
    TempDir tmp("kyodo-bookings-browser");
    const std::string data = tmp.file("data");
    REQUIRE(run_process({kServer, "--data", data, "init", "--catalog", kCatalog}).exit_code == 0);
    std::ofstream(tmp.file("pw")) << "browser-test-pass\n";
    REQUIRE(run_process({kServer, "--data", data, "add-staff", "--user", "suzuki", "--role", "editor", "--password-file", tmp.file("pw")}).exit_code == 0);
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", kCatalog});
    const int port = server.wait_for_listening();
    REQUIRE(port > 0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    REQUIRE(run_process({kServer, "--data", data, "enrol", "--kiosk", "ohdono-1", "--centre", "ohdono", "--server-url", base, "--write-config",
                         tmp.file("kiosk.json"), "--kiosk-db", tmp.file("kiosk.db")})
                .exit_code == 0);
    sync_once(tmp.file("kiosk.json"));
    const std::string pub = run_process({kServer, "--data", data, "public-key"}).out.substr(0, 44);

    // At the kiosk: a 町内会 applies, a retired teacher joins the talent bank.
    std::string group_receipt, talent_receipt;
    {
        KioskStore store(tmp.file("kiosk.db"));
        Record g = kiosk_record(RecordKind::GroupRegistration,
                                {{"name", "大殿町内会"}, {"kind", "neighbourhood"}, {"fields", Json::array({"防災"})}, {"members", 85},
                                 {"centre_id", "ohdono"}, {"description", "防災訓練と見守り"}, {"consent", true}});
        g.sealed = seal_personal(Personal{"中村 和夫", "なかむら かずお", "083-922-6071", ""}, pub);
        group_receipt = store.enqueue(g).number;
        Record t = kiosk_record(RecordKind::Talent, {{"help", Json::array({"teaching"})}, {"fields", Json::array({"教育・生涯学習"})},
                                                     {"areas", Json::array({"ohdono"})}, {"times", Json::array({"weekday_pm"})},
                                                     {"note", "元中学校教師（数学）"}, {"contact_by", "phone"}, {"consent", true}});
        t.sealed = seal_personal(Personal{"佐藤 恵子", "さとう けいこ", "083-920-4417", ""}, pub);
        talent_receipt = store.enqueue(t).number;
    }
    sync_once(tmp.file("kiosk.json"));

    TempDir profile("kyodo-chromium-profile");
    const int dport = free_port();
    ChildProcess driver({kDriver, "--port=" + std::to_string(dport), "--allowed-ips=127.0.0.1"});
    REQUIRE(driver.wait_for_line("started successfully", std::chrono::seconds(20)));
    Driver d(dport, profile.path());
    d.go(base + "/admin");
    d.type("input[name=user]", "suzuki");
    d.type("input[name=password]", "browser-test-pass");
    REQUIRE(d.click_and_wait("button.primary", "nav.side"));

    // 1. Approve the group.
    d.go(base + "/admin/groups");
    REQUIRE(d.click_and_wait("tr[data-receipt='" + group_receipt + "'] form.approve button", "p.notice"));
    CHECK(d.has_text("G-0001"));
    d.shot("bookings-01-groups-approved");

    // 2. Propose the teacher for the 人材募集 act-072 and record that it started.
    d.go(base + "/admin/talent");
    d.click("tr[data-receipt='" + talent_receipt + "'] select[name=request] option[value='act-072']");
    REQUIRE(d.click_and_wait("tr[data-receipt='" + talent_receipt + "'] form button", "p.notice"));
    d.click("tr[data-match='1'] select[name=outcome] option[value='accepted']");
    REQUIRE(d.click_and_wait("tr[data-match='1'] button", "p.notice"));
    d.shot("bookings-02-talent-matched");

    // 3. The 優先予約 window, then projector slots on Saturdays of the next four weeks, and
    //    consultation slots on weekdays.
    d.size(1280, 1800);
    d.go(base + "/admin/bookings/slots/new?centre=ohdono");
    d.type("input[name=group_days]", "30");
    d.type("input[name=all_days]", "28");
    REQUIRE(d.click_and_wait("#window-form button", "p.notice"));
    d.go(base + "/admin/bookings/slots/new?centre=ohdono");
    d.click("select[name=type] option[value='equipment']");
    d.type("input[name=resource]", "ohdono-projector");
    d.type("input[name=resource_name]", "プロジェクター");
    d.type("input[name=place]", "1階 事務室");
    for (int wd = 0; wd < 5; ++wd) d.click("input[name=weekdays][value='" + std::to_string(wd) + "']");   // leaves Saturday
    d.type("textarea[name=times]", "13:00-12:00");
    REQUIRE(d.click_and_wait("#slots-form button.primary", "#err-times"));   // a bad time, shown by its field
    CHECK(d.has_text("value=\"プロジェクター\""));
    d.shot("bookings-03-publish-error");
    d.type("textarea[name=times]", "09:00-12:00\n13:00-17:00");
    REQUIRE(d.click_and_wait("#slots-form button.primary", "#bookings-calendar"));
    CHECK(d.has_text("p class=\"notice\""));
    d.go(base + "/admin/bookings/slots/new?centre=ohdono");
    d.click("select[name=type] option[value='consultation']");
    d.type("input[name=resource]", "ohdono-desk");
    d.type("input[name=resource_name]", "協働相談窓口");
    d.type("textarea[name=times]", "10:00-11:00");
    REQUIRE(d.click_and_wait("#slots-form button.primary", "#bookings-calendar"));
    d.shot("bookings-04-publish-form-after");
    d.size(1280, 1000);

    // 4. The kiosk pulls the slots; the group books the first Saturday's projector and a
    //    resident a consultation on a weekday.
    sync_once(tmp.file("kiosk.json"));
    std::string sat = server::add_days(server::web::jst_today(), 1);   // not today: its morning may be over
    while (server::weekday(sat) != 5) sat = server::add_days(sat, 1);
    std::string wk = server::add_days(server::web::jst_today(), 1);
    while (server::weekday(wk) > 4) wk = server::add_days(wk, 1);
    const std::string pj = server::slot_id("ohdono-projector", sat, "09:00"), pj_pm = server::slot_id("ohdono-projector", sat, "13:00");
    const std::string desk = server::slot_id("ohdono-desk", wk, "10:00");
    std::string item_receipt;
    {
        KioskStore store(tmp.file("kiosk.db"));
        REQUIRE(store.activity(pj));
        Record b = kiosk_record(RecordKind::SignUp, {{"activity_id", pj}, {"activity_version", store.activity(pj)->version}, {"party_size", 1},
                                                     {"note", ""}, {"group", "G-0001"}, {"purpose", "防災講座でスライドを映す"}});
        b.sealed = seal_personal(Personal{"山口 花子", "やまぐち はなこ", "083-922-1234", ""}, pub);
        store.enqueue(b);
        REQUIRE(store.activity(desk));
        Record c = kiosk_record(RecordKind::SignUp, {{"activity_id", desk}, {"activity_version", store.activity(desk)->version}, {"party_size", 1},
                                                     {"note", ""}, {"topic", "starting"}, {"topic_text", "子ども食堂の会を立ち上げたい"}});
        c.sealed = seal_personal(Personal{"相談 太郎", "そうだん たろう", "090-1234-5678", ""}, pub);
        store.enqueue(c);
        // The group also asks for chairs city hall gives away (items, point 4).
        Record i = kiosk_record(RecordKind::ItemRequest, {{"item_id", "item-003"}, {"group", "G-0001"}, {"quantity", 4},
                                                          {"purpose", "防災講座の受付に使います"}});
        i.sealed = seal_personal(Personal{"山口 花子", "やまぐち はなこ", "083-922-1234", ""}, pub);
        item_receipt = store.enqueue(i).number;
    }
    sync_once(tmp.file("kiosk.json"));
    {
        KioskStore store(tmp.file("kiosk.db"));
        for (const auto& e : store.rejected()) FAIL_CHECK("rejected by the server: " << e.reject_code << " " << e.reject_message);
    }

    // 5. The calendar: lent, then returned.
    const std::string cal = base + "/admin/bookings?centre=ohdono&week=" + sat;
    d.go(cal);
    REQUIRE(d.exists("div[data-slot='" + pj + "'][data-state='booked']"));
    CHECK(d.has_text("G-0001 大殿町内会"));
    d.shot("bookings-05-calendar-booked");
    REQUIRE(d.click_and_wait("div[data-slot='" + pj + "'] button[data-mark='lent']", "p.notice"));
    CHECK(d.exists("div[data-slot='" + pj + "'] span[data-mark='lent']"));
    d.shot("bookings-06-calendar-lent");
    REQUIRE(d.click_and_wait("div[data-slot='" + pj + "'] button[data-mark='returned']", "p.notice"));
    CHECK(d.exists("div[data-slot='" + pj + "'] span[data-mark='returned']"));

    // 6. Block the afternoon slot (free) with a reason.
    d.go(base + "/admin/bookings/slots/" + pj_pm);
    d.type("#block-form input[name=reason]", "機器の点検");
    REQUIRE(d.click_and_wait("#block-form button", "p.notice"));
    CHECK(d.exists("dd[data-state='blocked']"));
    d.shot("bookings-07-slot-blocked");
    d.go(cal);
    CHECK(d.exists("div[data-slot='" + pj_pm + "'][data-state='blocked']"));
    d.size(1600, 1100);
    d.shot("bookings-08-calendar-week");
    d.size(1280, 1000);

    // 7. The consultation: held.
    d.go(base + "/admin/consultations");
    CHECK(d.has_text("子ども食堂の会を立ち上げたい"));
    REQUIRE(d.click_and_wait("button[data-outcome='held']", "p.notice"));
    d.shot("bookings-09-consultations");
    // 7b. The chairs: granted, three of the four asked for.
    d.go(base + "/admin/items");
    const std::string row = "tr[data-receipt='" + item_receipt + "']";
    REQUIRE(d.exists(row + "[data-state='pending']"));
    CHECK(d.has_text("防災講座の受付に使います"));
    d.type(row + " form.grant input[name=quantity]", "3");
    REQUIRE(d.click_and_wait(row + " form.grant button", row + "[data-state='granted']"));
    d.shot("bookings-09b-item-granted");
    d.go(base + "/admin/reports/yearly?fy=" + std::to_string(server::web::fiscal_year(sat)) + "#services");
    CHECK(d.exists("#services-bookings"));
    d.shot("bookings-10-yearly-services");

    // 8. Each list as CSV, downloaded with the browser's session.
    const std::string session = d.call("GET", d.s("/cookie/kyodo_session"))["value"]["value"].get<std::string>();
    httplib::Client cli("127.0.0.1", port);
    const httplib::Headers h{{"Cookie", "kyodo_session=" + session}};
    auto get_csv = [&](const std::string& path) {
        auto r = cli.Get(path, h);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body.rfind("\xEF\xBB\xBF", 0) == 0);
        CHECK(r->body.find("\r\n") != std::string::npos);
        return r->body;
    };
    const std::string groups = get_csv("/admin/groups.csv?state=approved");
    CHECK(groups.find("G-0001") != std::string::npos);
    CHECK(groups.find("中村 和夫") != std::string::npos);
    const std::string talent = get_csv("/admin/talent.csv?help=teaching");
    CHECK(talent.find("佐藤 恵子") != std::string::npos);
    const std::string matches = get_csv("/admin/talent/matches.csv");
    CHECK(matches.find("accepted") != std::string::npos);
    CHECK(matches.find(talent_receipt) != std::string::npos);
    const std::string bookings = get_csv("/admin/bookings.csv?centre=ohdono&type=equipment");
    CHECK(bookings.find("G-0001,大殿町内会,防災講座でスライドを映す,山口 花子") != std::string::npos);
    CHECK(bookings.find("返却済み") != std::string::npos);
    CHECK(bookings.find(",suzuki,") != std::string::npos);   // lent by, returned by
    CHECK(bookings.find("相談 太郎") == std::string::npos);
    const std::string consults = get_csv("/admin/consultations.csv");
    CHECK(consults.find("団体の立ち上げ,子ども食堂の会を立ち上げたい") != std::string::npos);
    CHECK(consults.find("相談済み") != std::string::npos);
    const std::string items = get_csv("/admin/items.csv?state=granted");
    CHECK(items.find(item_receipt) != std::string::npos);
    CHECK(items.find("G-0001") != std::string::npos);
    CHECK(items.find("山口 花子") != std::string::npos);

    // 9. The public phone pages: the group and the request for help, nobody's name.
    d.size(390, 844);
    d.go(base + "/p/groups");
    CHECK(d.has_text("大殿町内会"));
    CHECK_FALSE(d.has_text("中村"));
    d.shot("bookings-11-phone-groups");
    d.go(base + "/p/help");
    CHECK(d.has_text("act-072"));
    CHECK_FALSE(d.has_text("佐藤"));
    d.shot("bookings-12-phone-help");
}
