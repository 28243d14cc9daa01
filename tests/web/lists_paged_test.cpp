// The dashboard lists paged in the database since the first paging step (issue 13 point 3): the
// kiosks, staff accounts, a year's projects, the agreements register, a year's check sheets,
// the talent bank's matches and withdrawals, the item requests, the quota leases and the
// consultation bookings (filtered, ordered and paged in SQL since the third step). Each is
// filled past two pages on SQLite and on PostgreSQL ($KYODO_PG_URL, a schema of its own;
// skipped when unset unless CI): page 1, page 2 and the last page hold the right rows in the
// list's order, the links go there (keeping the filters), a page past the end shows the last
// page, and 「全 N 件」 counts the whole list.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>
#include <regex>

#include "core/timeutil.h"
#include "server/bookings.h"
#include "server/civic.h"
#include "server/groups.h"
#include "server/items.h"
#include "server/talent.h"
#include "server/web/html.h"
#include "web_engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::web_test;

namespace {

// The ids a page shows, by a regex whose group 1 is the id, in page order.
std::vector<std::string> ids_of(const std::string& body, const std::regex& row) {
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
    return out;
}

// The href of the link rel="next" that ends in `param`=N: the pager of that list on a page that
// may show several ("" when on its last page).
std::string next_of(const std::string& body, const std::string& param) {
    const std::regex next("rel=\"next\" href=\"([^\"]*[?;]" + param + "=\\d+)\"");
    std::smatch m;
    return std::regex_search(body, m, next) ? html_unescape(m[1].str()) : std::string();
}

std::vector<std::string> slice(const std::vector<std::string>& all, std::size_t from, std::size_t n) {
    return {all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())),
            all.begin() + static_cast<std::ptrdiff_t>(std::min(from + n, all.size()))};
}

// Walks a list of `want` (all its ids in the list's order, more than two pages of `per_page`)
// from `first` by its next links: every page holds the next ids, the links keep `keep` (a
// filter, "" = none) and the count of all is shown; then `first` with `param`=99 shows the last page.
void walk(Browser& b, const std::string& first, const std::regex& row, const std::vector<std::string>& want, std::size_t per_page,
          const std::string& keep = "", const std::string& param = "page") {
    CAPTURE(first);
    REQUIRE(want.size() > 2 * per_page);
    const std::string total = std::to_string(want.size()) + " in all";
    std::string url = first;
    std::size_t at = 0, pages = 0;
    std::string last_body;
    while (!url.empty()) {
        CAPTURE(url);
        auto r = b.get(url);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        CHECK(r->body.find(total) != std::string::npos);
        CHECK(ids_of(r->body, row) == slice(want, at, per_page));
        at += per_page;
        ++pages;
        url = next_of(r->body, param);
        if (!url.empty()) {
            CHECK(url.find(param + "=" + std::to_string(pages + 1)) != std::string::npos);
            if (!keep.empty()) CHECK(url.find(keep) != std::string::npos);
        }
        last_body = r->body;
        REQUIRE(pages < 20);
    }
    CHECK(pages == (want.size() + per_page - 1) / per_page);
    CHECK(next_of(last_body, param).empty());
    // Past the end: the last page.
    const std::string beyond = first + (first.find('?') == std::string::npos ? "?" : "&") + param + "=99";
    CHECK(ids_of(b.get(beyond)->body, row) == slice(want, (pages - 1) * per_page, per_page));
}

std::string num3(int i) {
    char s[8];
    std::snprintf(s, sizeof s, "%03d", i);
    return s;
}

}  // namespace

TEST_CASE("kiosks and staff accounts come in pages of 100 by id, with the count of all") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        std::vector<std::string> kiosks = {"ohdono-1"}, users = {"admin1", "editor1", "viewer1"};
        for (int i = 0; i < 230; ++i) {
            s.storage->enrol_device("pg-kiosk-" + num3(i), "ohdono", "token-hash-" + std::to_string(i), rfc3339_now());
            kiosks.push_back("pg-kiosk-" + num3(i));
            // Straight into storage with a made-up hash: 230 Argon2 hashes would take minutes.
            s.storage->admin().put_staff(StaffUser{"pg-user-" + num3(i), "$argon2id$not-a-real-hash", "viewer", rfc3339_now(), false});
            users.push_back("pg-user-" + num3(i));
        }
        std::sort(kiosks.begin(), kiosks.end());
        std::sort(users.begin(), users.end());
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("admin1") == 303);
        walk(b, "/admin/fleet", std::regex("<tr><td>([A-Za-z0-9_.-]+)</td><td>"), kiosks, 100);
        walk(b, "/admin/staff", std::regex("<tr><td>([A-Za-z0-9_.@-]+)</td><td>"), users, 100);
        // A failed login shows under 「ロック」 whatever page its account is on.
        Browser wrong(s.port);
        CHECK(wrong.login("viewer1", "not the password") != 303);
        CHECK(b.get("/admin/staff")->body.find("name=\"user\" value=\"viewer1\"") != std::string::npos);
    }
}

TEST_CASE("a year's projects, the agreements register and a year's check sheets come in pages of 100") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        auto& civic = s.storage->civic();
        std::vector<Project> ps;
        std::vector<std::string> p2026;
        for (int i = 0; i < 240; ++i) {
            Project p;
            p.id = "pg-prj-" + num3(i);
            p.fiscal_year = i % 12 == 0 ? 2025 : 2026;   // 20 in another year: not on 2026's pages
            p.title = "ページ事業 " + std::to_string(i);
            p.department = "市民活動推進課";
            p.form = "kyodo";
            p.methods = {"jigyo_kyoryoku"};
            ps.push_back(p);
            if (p.fiscal_year == 2026) p2026.push_back(p.id);
        }
        REQUIRE(civic.put_projects(ps) == 240);
        for (const Project& p : civic.projects(2026))   // the sample data's, if any
            if (std::find(p2026.begin(), p2026.end(), p.id) == p2026.end()) p2026.push_back(p.id);
        std::sort(p2026.begin(), p2026.end());
        CHECK(civic.project_count(2026) == static_cast<std::int64_t>(p2026.size()));
        // A page's projects keep their listing links.
        const std::string on_page2 = p2026.at(150);
        REQUIRE(civic.link_listing("act-001", on_page2));
        const auto page2 = civic.projects_page(2026, 100, 100);
        const auto linked = std::find_if(page2.begin(), page2.end(), [&](const Project& p) { return p.id == on_page2; });
        REQUIRE(linked != page2.end());
        CHECK(linked->listing_ids == std::vector<std::string>{"act-001"});

        std::vector<Agreement> as;
        for (int i = 0; i < 230; ++i) {
            Agreement a;
            a.id = "pg-agr-" + num3(i);
            a.kind = i % 2 ? "individual" : "comprehensive";
            a.title = "ページ協定 " + std::to_string(i);
            a.partner.name = "相手 " + std::to_string(i);
            a.fields = {"防災"};
            a.signed_on = "2025-" + std::string(i % 2 ? "04" : "05") + "-" + num3(i % 28 + 1).substr(1);
            a.ends_on = i % 5 == 0 ? "2025-12-31" : "";
            a.status = i % 7 == 0 ? "negotiating" : "valid";
            as.push_back(a);
        }
        REQUIRE(civic.put_agreements(as) == 230);
        std::vector<std::pair<std::string, std::string>> by_signed;
        std::int64_t valid = 0;
        for (const Agreement& a : civic.agreements()) {
            by_signed.emplace_back(a.signed_on, a.id);
            valid += agreement_valid_on(a, "2026-06-01");
        }
        std::vector<std::string> agreement_ids;
        for (const auto& x : by_signed) agreement_ids.push_back(x.second);
        CHECK(static_cast<std::int64_t>(civic.agreements_valid_on("2026-06-01").size()) == valid);
        CHECK(valid > 0);
        CHECK(valid < static_cast<std::int64_t>(agreement_ids.size()));

        for (int i = 0; i < 215; ++i) {
            CheckSheet c;
            c.id = "pg-chk-" + num3(i);
            c.fiscal_year = 2026;
            c.service = "ページ業務 " + std::to_string(i);
            c.department = "市民活動推進課";
            c.result = i % 3 ? "kyodo" : "";
            c.by = "editor1";
            c.at = "2026-06-01T00:" + num3(i / 60).substr(1) + ":" + num3(i % 60).substr(1) + "Z";
            civic.put_check_sheet(c);
        }
        CheckSheet other;   // another year: not counted, not listed
        other.id = "pg-chk-old";
        other.fiscal_year = 2025;
        other.service = "前年度の業務";
        other.at = "2025-06-01T00:00:00Z";
        civic.put_check_sheet(other);
        std::vector<std::string> sheets;
        for (int i = 214; i >= 0; --i) sheets.push_back("pg-chk-" + num3(i));   // newest first
        const auto results = civic.check_sheet_results(2026);
        std::int64_t counted = 0;
        for (const auto& r : results) counted += r.second;
        CHECK(counted == 215);
        CHECK(civic.check_sheet_years() == std::vector<int>{2025, 2026});

        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        walk(b, "/admin/projects?fy=2026", std::regex("<tr><td>([A-Za-z0-9_.-]+)</td><td><a href=\"/admin/projects/"), p2026, 100, "fy=2026");
        walk(b, "/admin/agreements?date=2026-06-01", std::regex("<a href=\"/admin/agreements/([A-Za-z0-9_.-]+)\">"), agreement_ids, 100,
             "date=2026-06-01");
        CHECK(b.get("/admin/agreements?date=2026-06-01")->body.find("<strong id=\"valid-total\">" + std::to_string(valid) + "</strong>") !=
              std::string::npos);
        walk(b, "/admin/checksheets?fy=2026", std::regex("<a href=\"/admin/checksheets/([A-Za-z0-9_.-]+)\">"), sheets, 100, "fy=2026");
        CHECK(b.get("/admin/checksheets?fy=2026")->body.find("pg-chk-old") == std::string::npos);
    }
}

TEST_CASE("the talent bank's matches and withdrawals come in pages of 100, each list keeping the other's page") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        Personal p{"山田 一郎", "やまだ いちろう", "083-922-0000", ""};
        Record reg = make_record(RecordKind::Talent,
                                 {{"help", Json::array({"teaching"})}, {"fields", Json::array({"教育・生涯学習"})}, {"areas", Json::array({"citywide"})},
                                  {"times", Json::array({"weekday_am"})}, {"note", "元教師"}, {"contact_by", "phone"}, {"consent", true},
                                  {"check_code", "4821"}},
                                 &p);
        REQUIRE(s.push({reg}).stored == 1);
        auto& t = s.storage->talent();
        std::vector<std::string> matches, withdrawals;
        for (int i = 0; i < 230; ++i) {
            const auto id = t.propose_match(reg.id, "act-001", "メモ" + std::to_string(i), "editor1", rfc3339_now());
            REQUIRE(id > 0);
            matches.push_back(std::to_string(id));
            t.note_withdrawal("pg-wd-" + num3(i), "T-PG" + num3(i), "0000", "2026-01-01T00:" + num3(i / 60).substr(1) + ":" + num3(i % 60).substr(1) + "Z");
            withdrawals.push_back("T-PG" + num3(i));
        }
        CHECK(t.match_count() == 230);
        CHECK(t.withdrawal_count() == 230);
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("editor1") == 303);
        walk(b, "/admin/talent", std::regex("data-match=\"(\\d+)\""), matches, 100, "", "matches_page");
        walk(b, "/admin/talent", std::regex("<tr><td>(T-PG\\d+)</td>"), withdrawals, 100, "", "withdrawals_page");
        // The page names only what it shows, read alone (not the whole catalog): the requests
        // for help (catalog_page's extra_has) offered to propose, and each match's request by id
        // (act-001 is not a request for help; its title still shows).
        CatalogDelta d;
        Activity help;
        help.id = "pg-talent-req";
        help.kind = ActivityKind::Volunteer;
        help.title = "ページ人材募集";
        help.extra = Json{{"talent_request", {{"help", Json::array({"teaching"})}}}};
        d.activities.push_back(help);
        s.storage->import_catalog(d);
        Storage::CatalogFilter requests;
        requests.extra_has = "talent_request";
        const auto found = s.storage->catalog_page("activities", requests, 100, 0);
        std::vector<std::string> want_requests, got_requests;
        const Json whole = s.storage->catalog_since(0);
        for (const Json& a : whole["activities"])
            if (a.contains("extra") && a["extra"].is_object() && a["extra"].contains("talent_request")) want_requests.push_back(a["id"]);
        for (const Json& a : found.items) got_requests.push_back(a["id"]);
        std::sort(want_requests.begin(), want_requests.end());
        std::sort(got_requests.begin(), got_requests.end());
        CHECK(got_requests == want_requests);
        CHECK(found.total == static_cast<std::int64_t>(want_requests.size()));
        CHECK(std::find(got_requests.begin(), got_requests.end(), "pg-talent-req") != got_requests.end());
        const auto act1 = s.storage->activities_by_id({"act-001"});
        REQUIRE(act1.size() == 1);
        auto shown = b.get("/admin/talent");
        CHECK(shown->body.find("<option value=\"pg-talent-req\">ページ人材募集</option>") != std::string::npos);
        CHECK(shown->body.find("<option value=\"act-001\">") == std::string::npos);
        CHECK(shown->body.find("<td>" + web::esc(act1[0]["title"].get<std::string>()) + "</td>") != std::string::npos);
        // The withdrawals' links keep the matches' page and the search.
        auto r = b.get("/admin/talent?help=teaching&matches_page=2");
        REQUIRE(r->status == 200);
        CHECK(ids_of(r->body, std::regex("data-match=\"(\\d+)\"")) == slice(matches, 100, 100));
        CHECK(r->body.find("href=\"/admin/talent?help=teaching&amp;matches_page=2&amp;withdrawals_page=2\"") != std::string::npos);
    }
}

TEST_CASE("item requests come in pages of 100 filtered in the database; leases a page at a time with their counts in SQL") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        // An approved group G-0001 and two items, one at yuda.
        Personal rep{"中村 和夫", "なかむら かずお", "083-922-6071", ""};
        Record g = make_record(RecordKind::GroupRegistration, {{"name", "大殿町内会"}, {"kind", "neighbourhood"}, {"members", 120}, {"consent", true}}, &rep);
        REQUIRE(s.push({g}).stored == 1);
        REQUIRE(!s.storage->groups().approve(g.id, "staff0", rfc3339_now()).empty());
        CatalogDelta d;
        d.organizations.push_back(group_organization(*s.storage->groups().application(g.id)));
        for (const char* id : {"pg-item-a", "pg-item-b"}) {
            Activity a;
            a.id = id;
            a.kind = ActivityKind::Item;
            a.title = std::string("ページ品 ") + id;
            a.capacity = 5;
            a.centre_id = std::string(id) == "pg-item-b" ? "yuda" : "";
            a.signup_closes = "2099-03-31";
            d.activities.push_back(a);
        }
        s.storage->import_catalog(d);
        std::vector<Record> batch;
        std::vector<std::string> all_a, at_yuda;
        for (int i = 0; i < 300; ++i) {
            Personal who{"申込者" + std::to_string(i), "もうしこみ", "090-0000-0000", ""};
            const bool b_item = i % 4 == 0;
            batch.push_back(make_record(RecordKind::ItemRequest,
                                        {{"item_id", b_item ? "pg-item-b" : "pg-item-a"}, {"group", "G-0001"}, {"quantity", 1},
                                         {"purpose", "用途" + std::to_string(i)}, {"check_code", "8812"}},
                                        &who));
        }
        REQUIRE(s.push(batch).stored == 300);
        std::vector<std::string> receipts_a;
        for (const auto& r : s.storage->items().requests()) {
            const std::string item = r.payload.value("item_id", "");
            if (item == "pg-item-a") receipts_a.push_back(r.receipt);
            if (item == "pg-item-b" || r.centre_id == "yuda") at_yuda.push_back(r.receipt);
        }
        // Decide one: pending counts per item move.
        const auto first = s.storage->items().requests().front();
        REQUIRE(s.storage->items().decline(first.id, "重複", "editor1", rfc3339_now()));
        const auto pending = s.storage->items().pending_by_item();
        CHECK(pending.at("pg-item-a") + pending.at("pg-item-b") == 299);
        CHECK(s.storage->items().count_requests(ItemQuery{"pending", "", ""}, {}) == 299);
        CHECK(s.storage->items().count_requests(ItemQuery{"", "", "yuda"}, {"pg-item-b"}) == static_cast<std::int64_t>(at_yuda.size()));

        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("editor1") == 303);
        walk(b, "/admin/items?item=pg-item-a", std::regex("<tr data-receipt=\"([^\"]+)\""), receipts_a, 100, "item=pg-item-a");
        CHECK(ids_of(b.get("/admin/items?centre=yuda")->body, std::regex("<tr data-receipt=\"([^\"]+)\"")) == slice(at_yuda, 0, 100));

        // Leases: granted by a kiosk's contact; the page shows them newest first with the counts.
        s.storage->set_quota_share("ohdono", 50);
        const std::int64_t now = now_millis();
        s.storage->exchange_quotas("ohdono-1", {}, now - 48LL * 3600 * 1000);   // ended long ago: stranded
        s.storage->exchange_quotas("ohdono-1", {}, now);
        const auto leases = s.storage->leases();
        REQUIRE(leases.size() >= 2);
        Storage::LeaseCounts want;
        for (const LeaseRow& l : leases) {
            if (!l.released_at.empty()) ++want.released;
            else if (l.done_at.empty() && parse_rfc3339(l.ends_at).value_or(0) > now) ++want.live;
            else ++want.stranded;
        }
        const auto got = s.storage->lease_counts(rfc3339_utc(now));
        CHECK(got.live == want.live);
        CHECK(got.stranded == want.stranded);
        CHECK(got.released == want.released);
        CHECK(want.live > 0);
        const auto newest = s.storage->leases_page(1, 0), second = s.storage->leases_page(1, 1);
        REQUIRE(newest.size() == 1);
        REQUIRE(second.size() == 1);
        CHECK(newest[0].id == leases.back().id);
        CHECK(second[0].id == leases[leases.size() - 2].id);
    }
}

namespace {

// A consultation (or other) slot as the slot plan publishes it (server/slot_plan.cpp), open for
// booking since long ago.
Activity slot_activity(const std::string& id, const std::string& centre, const std::string& type, const std::string& starts_at) {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = "相談窓口 " + starts_at;
    a.centre_id = centre;
    a.place = "1階 相談コーナー";
    a.starts_at = starts_at;
    a.ends_at = starts_at.substr(0, 11) + "11:00";
    a.capacity = 1;
    a.signup_opens = "2020-01-01T09:00";
    a.signup_closes = starts_at;
    a.extra = Json{{"slot", {{"resource", centre + "-desk-" + type}, {"resource_name", "協働相談窓口"}, {"type", type}, {"priority_opens", ""},
                             {"blocked", false}, {"blocked_reason", ""}}}};
    return a;
}

Record consult_booking(const std::string& slot, const std::string& topic, const std::string& name) {
    Personal p{name, "そうだん", "083-922-7777", ""};
    Json pl = {{"activity_id", slot}, {"activity_version", 1}, {"party_size", 1}, {"note", ""}, {"check_code", "2468"}};
    if (topic.empty()) {
        pl["purpose"] = "会議";
    } else {
        pl["topic"] = topic;
        pl["topic_text"] = "相談 " + name;
    }
    return make_record(RecordKind::SignUp, pl, &p);
}

}  // namespace

TEST_CASE("consultation bookings come in pages of 100 by slot time, filtered and counted in the database") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        // 110 consultation slots at ohdono; two slots share each start (the id decides), and a
        // higher id starts earlier, so neither id nor arrival order is slot-time order. March
        // and April. One consultation slot at yuda, one room at ohdono (never listed).
        struct Slot {
            std::string id, starts_at;
        };
        std::vector<Slot> slots;
        CatalogDelta d;
        for (int i = 0; i < 110; ++i) {
            const int k = (109 - i) / 2;
            const std::string starts = (k < 28 ? "2099-03-" : "2099-04-") + num3(k % 28 + 1).substr(1) + "T10:00";
            slots.push_back({"pg-desk-" + num3(i), starts});
            d.activities.push_back(slot_activity(slots.back().id, "ohdono", "consultation", starts));
        }
        d.activities.push_back(slot_activity("pg-desk-yuda", "yuda", "consultation", "2099-03-15T10:00"));
        d.activities.push_back(slot_activity("pg-room", "ohdono", "room", "2099-03-15T10:00"));
        s.storage->import_catalog(d);

        // Each ohdono slot: A (confirmed, topic proposal), then B (waitlisted, topic funding), in
        // two batches, the second in reverse slot order.
        struct Booking {
            std::string slot, starts_at, id, receipt, topic, status;
            int arrival = 0;
        };
        std::vector<Booking> model;
        std::vector<Record> first, second;
        for (const Slot& x : slots) first.push_back(consult_booking(x.id, "proposal", "相談 甲" + x.id.substr(8)));
        for (auto x = slots.rbegin(); x != slots.rend(); ++x) second.push_back(consult_booking(x->id, "funding", "相談 乙" + x->id.substr(8)));
        first.push_back(consult_booking("pg-desk-yuda", "proposal", "湯田 相談"));
        first.push_back(consult_booking("pg-room", "", "部屋 予約"));
        int arrival = 0;
        for (auto* batch : {&first, &second}) {
            const IngestResult r = s.push(*batch);
            REQUIRE(r.stored == static_cast<int>(batch->size()));
            for (std::size_t i = 0; i < batch->size(); ++i) {
                const Record& rec = (*batch)[i];
                const std::string slot = rec.payload.value("activity_id", "");
                if (slot == "pg-room") continue;
                const auto x = std::find_if(slots.begin(), slots.end(), [&](const Slot& y) { return y.id == slot; });
                model.push_back({slot, x == slots.end() ? "2099-03-15T10:00" : x->starts_at, rec.id, r.answers[i].receipt,
                                 rec.payload.value("topic", ""), r.answers[i].signup_status == "confirmed" ? "upcoming" : r.answers[i].signup_status,
                                 arrival++});
            }
        }
        auto find = [&](const std::string& slot, const std::string& topic) -> Booking& {
            return *std::find_if(model.begin(), model.end(), [&](const Booking& b) { return b.slot == slot && b.topic == topic; });
        };
        // Outcomes: held on every third slot's booking, no-show on the next; slot 000's held undone;
        // slot 005's booking cancelled by staff, so its waitlisted one moves up.
        auto& bookings = s.storage->bookings();
        for (int i = 0; i < 110; ++i) {
            if (i == 5) continue;
            Booking& a = find("pg-desk-" + num3(i), "proposal");
            REQUIRE(a.status == "upcoming");
            if (i % 3 == 2) continue;
            const std::string mark = i % 3 == 0 ? "held" : "no_show";
            REQUIRE(bookings.add_mark(a.id, mark, "", "editor1", rfc3339_now()) > 0);
            a.status = mark;
        }
        REQUIRE(bookings.undo_mark(find("pg-desk-000", "proposal").id, "held", "editor1", rfc3339_now()) > 0);
        find("pg-desk-000", "proposal").status = "upcoming";
        REQUIRE(s.storage->admin().cancel_signup(find("pg-desk-005", "proposal").id, "editor1", rfc3339_now()).ok);
        find("pg-desk-005", "proposal").status = "cancelled";
        find("pg-desk-005", "funding").status = "upcoming";

        std::sort(model.begin(), model.end(), [](const Booking& x, const Booking& y) {
            return std::tie(x.starts_at, x.slot, x.arrival) < std::tie(y.starts_at, y.slot, y.arrival);
        });
        auto want = [&](const std::function<bool(const Booking&)>& keep) {
            std::vector<std::string> out;
            for (const Booking& b : model)
                if (keep(b)) out.push_back(b.receipt);
            return out;
        };
        const std::regex row("<tr data-receipt=\"([^\"]+)\" data-status=");
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        walk(b, "/admin/consultations", row, want([](const Booking&) { return true; }), 100);
        walk(b, "/admin/consultations?centre=ohdono", row, want([](const Booking& x) { return x.slot != "pg-desk-yuda"; }), 100, "centre=ohdono");

        // Each filter: its count of all, page 1 and page 2 in slot-time order; the CSV holds them all.
        const std::pair<std::string, std::function<bool(const Booking&)>> filters[] = {
            {"status=held", [](const Booking& x) { return x.status == "held"; }},
            {"status=no_show", [](const Booking& x) { return x.status == "no_show"; }},
            {"status=upcoming", [](const Booking& x) { return x.status == "upcoming"; }},
            {"status=waitlisted", [](const Booking& x) { return x.status == "waitlisted"; }},
            {"status=cancelled", [](const Booking& x) { return x.status == "cancelled"; }},
            {"month=2099-04&topic=funding", [](const Booking& x) { return x.starts_at.rfind("2099-04", 0) == 0 && x.topic == "funding"; }},
            {"centre=yuda", [](const Booking& x) { return x.slot == "pg-desk-yuda"; }},
        };
        for (const auto& f : filters) {
            CAPTURE(f.first);
            const auto w = want(f.second);
            REQUIRE(!w.empty());
            auto r = b.get("/admin/consultations?" + f.first);
            REQUIRE(r->status == 200);
            CHECK(r->body.find(std::to_string(w.size()) + " in all") != std::string::npos);
            CHECK(ids_of(r->body, row) == slice(w, 0, 100));
            if (w.size() > 100) CHECK(ids_of(b.get("/admin/consultations?" + f.first + "&page=2")->body, row) == slice(w, 100, 100));
            auto csv = b.get("/admin/consultations.csv?" + f.first);
            REQUIRE(csv->status == 200);
            for (const std::string& receipt : w) CHECK(csv->body.find(receipt + ",") != std::string::npos);
            std::size_t lines = 0;
            for (std::size_t at = csv->body.find("\r\n"); at != std::string::npos; at = csv->body.find("\r\n", at + 2)) ++lines;
            CHECK(lines == w.size() + 1);   // the heading and one line each
        }
    }
}
