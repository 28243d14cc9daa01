// Dashboard and open-data pages at 100,000 records: time to first byte (median and p99 of --runs
// requests), total time and size of each page, with the server (API + dashboard) in-process on
// loopback over SQLite (or PostgreSQL, --db). The records are a mix of opinions, sign-ups (sealed
// personal data), survey answers, public comments and proposals, stored through the real ingest
// path. The office's own lists are filled to a big city's size (--lists N each, 2,000 by
// default): listings, organizations, group and talent registrations, item requests, kiosks,
// staff accounts, one year's projects, agreements, check sheets, talent matches and
// withdrawals; every list is measured on its first page and a deep one. See docs/performance.md.
//
//   bench/pages_bench [--records 100000] [--runs 5] [--lists 2000] [--db postgresql://…] [--only PATH[,PATH…]]
// (--only: just those pages or downloads, e.g. to profile one with perf record)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "server/civic.h"
#include "server/groups.h"
#include "server/pg_conn.h"
#include "server/sqlite_q.h"
#include "server/talent.h"
#include "tests/server/raw_http.h"
#include "tests/web/web_test_util.h"

using namespace kyodo;
using namespace kyodo::web_test;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
    double ttfb_ms = 0, total_ms = 0;
    std::size_t bytes = 0;
    int status = 0;
};

// One GET on a fresh connection: time to the first byte of the answer and to its end.
Timing get(int port, const std::string& path, const std::string& cookie) {
    Timing t;
    const int fd = rawhttp::connect_from("", "127.0.0.1", port);
    if (fd < 0) return t;
    const auto t0 = Clock::now();
    rawhttp::send_all(fd, "GET " + path + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n");
    std::string out;
    char buf[65536];
    bool first = true;
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        if (first) {
            t.ttfb_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            first = false;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    t.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    ::close(fd);
    t.bytes = out.size();
    t.status = rawhttp::status_of(out);
    return t;
}

// The office's one-row lists (kiosks, staff accounts, a year's check sheets, talent matches and
// withdrawals), `n` rows each, written straight into their tables beside the running storage:
// one transaction, one INSERT … SELECT over a counter per table, the same SQL on both engines.
// Through the storage they were one synced transaction a row (note_withdrawal also re-checks
// every pending withdrawal: quadratic), and 10,000 rows outlasted a session (16:53–17:10 UTC
// on 2026-12-07, docs/performance.md). The bench checks afterwards that the storage reads them.
void fill_office_rows(WebServer& s, const std::string& db, int n, const std::string& talent_id) {
    const std::string now = rfc3339_now();
    auto quoted = [](const std::string& v) {   // the few constants here hold no quote; kept safe anyway
        std::string out = "'";
        for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    };
    const std::string counter =
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " + std::to_string(n) + ") ";
    const std::string num = "CAST(100000 + i AS TEXT)";
    std::vector<std::string> sql = {
        counter + "INSERT INTO devices (kiosk_id, centre_id, token_hash, enrolled_at) SELECT 'bench-kiosk-' || " + num +
            ", 'ohdono', 'bench-token-' || " + num + ", " + quoted(now) + " FROM n",
        // A made-up hash: n Argon2 hashes would take minutes.
        counter + "INSERT INTO staff (username, password_hash, role, created_at) SELECT 'bench-user-' || " + num +
            ", '$argon2id$not-a-real-hash', 'viewer', " + quoted(now) + " FROM n",
        counter + "INSERT INTO check_sheets (id, fiscal_year, service, department, answers, result, note, by_name, at) "
                  "SELECT 'bench-chk-' || " + num + ", 2026, '業務 ' || " + num + ", '市民活動推進課', '{}', 'kyodo', '', 'bench', " +
            quoted(now) + " FROM n",
        // Noted, not settled: no registration has these receipts (as note_withdrawal left them).
        counter + "INSERT INTO talent_withdrawals (id, receipt, check_code, noted_at) SELECT 'bench-wd-' || " + num +
            ", 'T-BENCH' || " + num + ", '0000', " + quoted(now) + " FROM n"};
    if (!talent_id.empty())
        sql.push_back(counter +
                      "INSERT INTO talent_matches (registration_id, request_id, note, proposed_by, proposed_at, updated_by, updated_at) "
                      "SELECT " + quoted(talent_id) + ", 'act-001', '', 'bench', " + quoted(now) + ", 'bench', " + quoted(now) + " FROM n");
    if (db.empty()) {
        sqlite3* c = nullptr;
        if (sqlite3_open((s.dir / "server.db").string().c_str(), &c) != SQLITE_OK) throw server::StorageError("bench: cannot open server.db");
        sqlite3_busy_timeout(c, 10000);
        try {
            server::sqlq::Tx tx(c);
            for (const std::string& q : sql) server::sqlq::exec(c, q.c_str());
            tx.commit();
        } catch (...) {
            sqlite3_close(c);
            throw;
        }
        sqlite3_close(c);
    } else {
        server::pgc::Conn c(db, "bench");
        c.tx([&] {
            for (const std::string& q : sql) c.script(q.c_str());
        });
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);   // progress shows as it happens, also into a file
    int records = 100000, runs = 5, lists = 2000;
    std::string only;   // --only a,b: just these paths (",a,b,")
    std::string db;   // --db postgresql://…: the records in PostgreSQL (a schema of its own in the URL) instead of SQLite
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--records") records = std::atoi(argv[i + 1]);
        else if (a == "--runs") runs = std::atoi(argv[i + 1]);
        else if (a == "--db") db = argv[i + 1];
        else if (a == "--lists") lists = std::atoi(argv[i + 1]);
        else if (a == "--only") only = std::string(",") + argv[i + 1] + ",";
    }
    WebServer s(db);
    Personal who;
    who.name = "山口 太郎";
    who.phone = "083-922-0000";
    const auto t0 = Clock::now();
    for (int done = 0; done < records;) {
        std::vector<Record> batch;
        for (int i = 0; i < 1000 && done < records; ++i, ++done) {
            switch (done % 10) {
                case 0: case 1: case 2: case 3:
                    batch.push_back(opinion("避難所の案内をもっと大きく（" + std::to_string(done) + "）"));
                    break;
                case 4: case 5:
                    batch.push_back(signup("act-004", 1, "山口 花子"));
                    break;
                case 6:
                    batch.push_back(make_record(RecordKind::SurveyResponse,
                                                {{"survey_id", "srv-kyodo-2026"}, {"survey_version", 1},
                                                 {"answers", Json::array({{{"question_id", "q1"}, {"choice", done % 3}},
                                                                          {{"question_id", "q4"}, {"scale", 4}}})}}));
                    break;
                case 7: case 8:
                    batch.push_back(make_record(RecordKind::PublicComment,
                                                {{"draft_id", "act-068"}, {"section_id", "s2"}, {"text", "目標をもっと高く"}}));
                    break;
                default:
                    batch.push_back(make_record(RecordKind::Proposal,
                                                {{"title", "子ども食堂"}, {"summary", "月2回"}, {"fields", {"子育て"}},
                                                 {"group_name", "なかよし会"}, {"partner_department", "子育て支援部こども育成課"}},
                                                &who));
            }
        }
        s.push(batch);
    }
    std::printf("stored %d records in %.1f s\n", records, std::chrono::duration<double>(Clock::now() - t0).count());
    // The office's lists at a big city's size (--lists N, 2,000 by default): N listings, N
    // organizations, N group registrations and N talent-bank registrations, so that their pages
    // are measured with more than one page each.
    if (lists > 0) {
        CatalogDelta d;
        for (int i = 0; i < lists; ++i) {
            Activity a;
            a.id = "bench-act-" + std::to_string(i);
            a.kind = i % 3 ? ActivityKind::Event : ActivityKind::Volunteer;
            a.title = "講座 " + std::to_string(i);
            a.centre_id = "ohdono";
            d.activities.push_back(a);
            Organization o;
            o.id = "bench-org-" + std::to_string(i);
            o.name = "団体 " + std::to_string(i);
            o.type = "NPO法人";
            d.organizations.push_back(o);
        }
        s.storage->import_catalog(d);
        std::vector<Record> batch;
        for (int i = 0; i < lists; ++i) {
            Personal p{"代表 " + std::to_string(i), "だいひょう", "083-922-0000", ""};
            batch.push_back(make_record(RecordKind::GroupRegistration,
                                        {{"name", "団体" + std::to_string(i)}, {"kind", "npo"}, {"fields", Json::array({"防災"})}, {"members", 20},
                                         {"centre_id", "ohdono"}, {"consent", true}, {"check_code", "5307"}},
                                        &p));
            batch.push_back(make_record(RecordKind::Talent,
                                        {{"help", Json::array({"teaching"})}, {"fields", Json::array({"教育・生涯学習"})}, {"areas", Json::array({"citywide"})},
                                         {"times", Json::array({"weekday_am"})}, {"note", "元教師"}, {"contact_by", "phone"}, {"consent", true},
                                         {"check_code", "4821"}},
                                        &p));
            if (batch.size() >= 1000) {
                s.push(batch);
                batch.clear();
            }
        }
        if (!batch.empty()) s.push(batch);
        // Item requests: an approved group and an item, N requests for it.
        {
            Personal rep{"中村 和夫", "なかむら かずお", "083-922-6071", ""};
            Record g = make_record(RecordKind::GroupRegistration,
                                   {{"name", "大殿町内会"}, {"kind", "neighbourhood"}, {"members", 120}, {"consent", true}}, &rep);
            s.push({g});
            s.storage->groups().approve(g.id, "bench", rfc3339_now());
            CatalogDelta items;
            items.organizations.push_back(server::group_organization(*s.storage->groups().application(g.id)));
            Activity it;
            it.id = "bench-item";
            it.kind = ActivityKind::Item;
            it.title = "両袖事務机";
            it.capacity = 5;
            it.signup_closes = "2099-03-31";
            items.activities.push_back(it);
            s.storage->import_catalog(items);
            const std::string group = s.storage->groups().application(g.id)->number;
            std::vector<Record> reqs;
            for (int i = 0; i < lists; ++i) {
                Personal who{"申込者 " + std::to_string(i), "もうしこみ", "090-0000-0000", ""};
                reqs.push_back(make_record(RecordKind::ItemRequest,
                                           {{"item_id", "bench-item"}, {"group", group}, {"quantity", 1}, {"purpose", "子ども食堂の配膳台"},
                                            {"check_code", "8812"}},
                                           &who));
                if (reqs.size() >= 1000) {
                    s.push(reqs);
                    reqs.clear();
                }
            }
            if (!reqs.empty()) s.push(reqs);
        }
        // One year's projects and agreements (the registers' own batch writes: one transaction
        // each), then kiosks, staff accounts, check sheets, talent matches and withdrawals.
        auto& civic = s.storage->civic();
        std::vector<Project> ps;
        std::vector<Agreement> as;
        std::string talent_id;
        for (const auto& e : s.storage->talent().registrations()) talent_id = e.id;
        for (int i = 0; i < lists; ++i) {
            const std::string n = std::to_string(100000 + i);
            Project p;
            p.id = "bench-prj-" + n;
            p.fiscal_year = 2026;
            p.title = "協働事業 " + n;
            p.department = "市民活動推進課";
            p.form = "kyodo";
            p.methods = {"jigyo_kyoryoku"};
            ps.push_back(p);
            Agreement a;
            a.id = "bench-agr-" + n;
            a.title = "連携協定 " + n;
            a.partner.name = "団体 " + n;
            a.fields = {"防災", "健康"};
            a.signed_on = "2025-04-01";
            as.push_back(a);
        }
        civic.put_projects(ps);
        civic.put_agreements(as);
        const auto f0 = Clock::now();
        fill_office_rows(s, db, lists, talent_id);
        std::printf("filled kiosks, staff, check sheets, talent matches and withdrawals (%d each) in %.1f s\n", lists,
                    std::chrono::duration<double>(Clock::now() - f0).count());
        // The rows went in beside the storage: check that it reads them.
        if (s.storage->device_count() < lists || s.storage->admin().staff_count() < lists ||
            s.storage->talent().withdrawal_count() < lists || s.storage->civic().check_sheet_results(2026)["kyodo"] < lists ||
            (!talent_id.empty() && s.storage->talent().match_count() < lists)) {
            std::fprintf(stderr, "the storage does not see the filled rows\n");
            return 1;
        }
        std::printf("added %d listings, organizations, group and talent registrations, item requests, kiosks, staff accounts, "
                    "projects, agreements, check sheets, talent matches and withdrawals each\n",
                    lists);
    }

    Browser b(s.port);
    if (b.login("admin1") != 303) {
        std::fprintf(stderr, "login failed\n");
        return 1;
    }
    // Deeper pages: follow "さらに古いもの" from the first page of the opinions.
    std::string deep = "/admin/opinions";
    {
        auto p = b.get("/admin/opinions");
        const auto at = p->body.find("rel=\"next\" href=\"");
        if (at != std::string::npos) {
            const auto from = at + 17;
            deep = html_unescape(p->body.substr(from, p->body.find('"', from) - from));
        }
    }
    // Every dashboard list page, then every download (CSV/JSON exports and open data).
    // A deep page of every numbered list: the last page of --lists rows, 100 a page.
    const std::string last = std::to_string(std::max(1, (lists + 99) / 100));
    const std::vector<std::string> pages = {
        "/admin", "/admin/opinions", deep, "/admin/opinions?state=new", "/admin/proposals", "/admin/comments",
        "/admin/surveys", "/admin/surveys/srv-kyodo-2026", "/admin/activities", "/admin/roster/act-004", "/admin/roster/act-004?page=3",
        "/admin/roster/act-004?all=1", "/admin/fleet", "/admin/audit", "/admin/staff", "/admin/catalog", "/admin/projects",
        "/admin/agreements", "/admin/survey", "/admin/indicators", "/admin/staff-survey", "/admin/checksheets", "/admin/notices",
        "/admin/talent", "/admin/groups", "/admin/quotas", "/admin/reports", "/admin/reports/yearly", "/admin/reports/monthly",
        "/admin/reports/indicators", "/admin/exports", "/p/proposals",
        // Issue 13 point 3: the lists paged since, a later page of each, and the newer lists.
        "/admin/activities?page=2", "/admin/activities?kind=event&q=", "/admin/catalog?organizations_page=2", "/admin/groups?page=2",
        "/admin/talent?page=2", "/admin/items", "/admin/bookings", "/admin/consultations", "/admin/surveys/srv-facility-2026",
        // The lists paged in the second step: the first page and the last (deep) page of each.
        "/admin/fleet?page=" + last, "/admin/staff?page=" + last, "/admin/projects?fy=2026", "/admin/projects?fy=2026&page=" + last,
        "/admin/agreements?page=" + last, "/admin/checksheets?fy=2026", "/admin/checksheets?fy=2026&page=" + last,
        "/admin/talent?matches_page=" + last, "/admin/talent?withdrawals_page=" + last, "/admin/items?page=" + last,
        "/admin/groups?page=" + last, "/admin/talent?page=" + last, "/admin/activities?page=" + std::to_string(std::max(1, (lists + 99) / 100 + 1)),
        "/admin/catalog/surveys/srv-kyodo-2026"};
    const std::vector<std::string> downloads = {
        "/admin/export/activities.csv", "/admin/export/signups.csv", "/admin/export/signups.csv?activity=act-004",
        "/admin/export/opinions.csv", "/admin/export/comments.csv", "/admin/export/proposals.csv", "/admin/export/survey_answers.csv",
        "/admin/export/yearly.csv", "/admin/export/monthly.csv", "/admin/export/indicators.csv", "/admin/export/devices.csv",
        "/admin/export/audit.csv", "/admin/export/opinions.json", "/admin/projects.csv", "/admin/agreements.csv", "/admin/indicators.csv",
        "/admin/survey.csv", "/admin/talent.csv", "/admin/talent/matches.csv", "/admin/groups.csv", "/open/counts.csv",
        "/open/counts.json", "/open/yearly.csv", "/open/catalog.json", "/open/projects.csv", "/open/agreements.csv"};
    std::printf("\n%-48s %6s %10s %10s %10s %12s\n", "page (median of runs; p99 = nearest rank)", "status", "TTFB ms", "p99 ms", "total ms", "bytes");
    auto row = [&](const std::string& p, bool show_cold) {
        if (!only.empty() && only.find("," + p + ",") == std::string::npos) return;
        std::vector<Timing> ts;
        for (int r = 0; r < runs; ++r) ts.push_back(get(s.port, p, b.cookie));
        const Timing cold = ts.front();
        std::sort(ts.begin(), ts.end(), [](const Timing& x, const Timing& y) { return x.ttfb_ms < y.ttfb_ms; });
        const Timing& m = ts[ts.size() / 2];
        const Timing& p99 = ts[std::min(ts.size() - 1, (ts.size() * 99 + 99) / 100 - 1)];
        std::printf("%-48s %6d %10.1f %10.1f %10.1f %12zu\n", p.substr(0, 48).c_str(), m.status, m.ttfb_ms, p99.ttfb_ms, m.total_ms, m.bytes);
        if (show_cold)
            std::printf("%-48s %6d %10.1f %10s %10.1f %12zu\n", "  (cold: first download, built)", cold.status, cold.ttfb_ms, "", cold.total_ms, cold.bytes);
    };
    for (const std::string& p : pages) row(p, false);
    std::printf("\n%-48s %6s %10s %10s %10s %12s\n", "download (median of runs; then the first, cold)", "status", "TTFB ms", "p99 ms", "total ms", "bytes");
    for (const std::string& p : downloads) row(p, true);
    return 0;
}
