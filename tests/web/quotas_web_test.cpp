// The kiosk quotas page (/admin/quotas, server/web/quotas_page.cpp): the policy staff set, and
// every lease live, stranded (ended, its unused places still held) or released, in Japanese and
// English.
#include <doctest/doctest.h>

#include <string>

#include "server/web/html.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {
std::string text_of(const httplib::Result& r) {
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return html_unescape(r->body);
}
}  // namespace

TEST_CASE("dashboard quotas: editors set shares, quotas and times; leases show live, stranded since when, released") {
    WebServer s;
    Browser viewer(s.port);
    REQUIRE(viewer.login("viewer1") == 303);
    std::string page = text_of(viewer.get("/admin/quotas"));
    CHECK(page.find("キオスクの確定枠") != std::string::npos);
    CHECK(page.find("2時間（7200秒）") != std::string::npos);
    CHECK(page.find("24時間（86400秒）") != std::string::npos);
    CHECK(page.find("まだありません") != std::string::npos);
    CHECK(page.find("name=\"share\"") == std::string::npos);   // viewers see no form
    auto no = viewer.post("/admin/quotas", {{"centre", "ohdono"}, {"share", "50"}});
    REQUIRE(no);
    CHECK(no->status == 403);
    CHECK(s.storage->quota_policy().shares.empty());

    Browser b(s.port);
    REQUIRE(b.login("editor1") == 303);
    auto bad = b.post("/admin/quotas", {{"centre", "ohdono"}, {"share", "150"}});
    REQUIRE(bad);
    CHECK(bad->status == 303);
    CHECK(s.storage->quota_policy().shares.empty());
    auto no_csrf = b.post("/admin/quotas", {{"centre", "ohdono"}, {"share", "10"}}, false);
    REQUIRE(no_csrf);
    CHECK(no_csrf->status == 403);
    CHECK(s.storage->quota_policy().shares.empty());
    auto ok = b.post("/admin/quotas", {{"centre", "ohdono"},
                                      {"share", "10"},
                                      {"activity", "act-002"},
                                      {"kiosk", "ohdono-1"},
                                      {"places", "3"},
                                      {"silence_s", "7200"},
                                      {"before_start_s", "10800"}});
    REQUIRE(ok);
    CHECK(ok->status == 303);
    const QuotaPolicy pol = s.storage->quota_policy();
    CHECK(pol.shares.at("ohdono") == 10);
    REQUIRE(pol.overrides.size() == 1);
    CHECK(pol.overrides[0].places == 3);
    CHECK(pol.silence_s == 7200);
    CHECK(pol.before_start_s == 10800);

    // Leases, on the server clock the page reads. Granted 3 h ago with the 2 h silence: they
    // ended 1 h ago. The one for act-002 was reported done (released); the others never were, so
    // they are stranded since their end. A contact now grants new live leases.
    const std::int64_t now = now_millis();
    const std::int64_t t0 = now - 3 * 3600 * 1000;
    QuotaAnswer q = s.storage->exchange_quotas("ohdono-1", {}, t0);
    REQUIRE(q.quotas.size() >= 2);
    std::string act2;
    for (const auto& g : q.quotas)
        if (g.activity_id == "act-002") act2 = g.id;
    REQUIRE_FALSE(act2.empty());
    s.storage->exchange_quotas("ohdono-1", {{act2, 0, true}}, t0 + 1000);
    const QuotaAnswer fresh = s.storage->exchange_quotas("ohdono-1", {}, now);
    REQUIRE_FALSE(fresh.quotas.empty());
    const std::vector<LeaseRow> rows = s.storage->leases();
    std::string stranded_end;
    int n_stranded = 0, n_released = 0;
    for (const LeaseRow& l : rows) {
        if (!l.released_at.empty()) ++n_released;
        if (l.released_at.empty() && l.done_at.empty() && parse_rfc3339(l.ends_at).value_or(0) <= now) {
            ++n_stranded;
            stranded_end = l.ends_at;
        }
    }
    REQUIRE(n_released == 1);
    REQUIRE(n_stranded >= 1);
    const std::size_t n_live = rows.size() - static_cast<std::size_t>(n_stranded + n_released);
    CHECK(n_live == fresh.quotas.size());

    page = text_of(b.get("/admin/quotas"));
    CHECK(page.find("name=\"share\"") != std::string::npos);
    CHECK(page.find("10%") != std::string::npos);
    CHECK(page.find("3時間（10800秒）") != std::string::npos);
    CHECK(page.find("2時間（7200秒）") != std::string::npos);
    CHECK(page.find("ohdono-1") != std::string::npos);
    CHECK(page.find("返却済み") != std::string::npos);
    CHECK(page.find("有効") != std::string::npos);
    CHECK(page.find("有効 " + std::to_string(n_live) + " ・ 未返却 " + std::to_string(n_stranded) + " ・ 返却済み 1") !=
          std::string::npos);
    CHECK(page.find(web::jst_datetime(stranded_end) + " から") != std::string::npos);   // stranded since its end
    CHECK(page.find("href=\"/admin/quotas\" aria-current=\"page\"") != std::string::npos);   // in the side menu

    b.lang = "en";
    page = text_of(b.get("/admin/quotas"));
    for (const char* w : {"Kiosk quotas", "Default share per centre", "Quotas per activity and kiosk", "Leases",
                          "Stranded", "Released", "Live", "since ", "2 h (7200 s)"})
        CHECK_MESSAGE(page.find(w) != std::string::npos, "missing: " << w);
    for (const char* g : {"確定枠", "未返却", "返却済み", "割合"})
        CHECK_MESSAGE(page.find(g) == std::string::npos, "still Japanese: " << g);
    CHECK(page.find("since " + web::jst_datetime(stranded_end)) != std::string::npos);
    CHECK(page.find("Kiosk quotas</a>") != std::string::npos);   // the side menu in English

    bool audited = false;
    for (const auto& e : s.storage->admin().audit_log(200))
        if (e.action == "set_quotas") audited = true;
    CHECK(audited);
}
