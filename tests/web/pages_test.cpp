// Cached exports and paged dashboard lists (issue 13 point 3), on SQLite and on PostgreSQL
// ($KYODO_PG_URL, a schema of its own; skipped when unset unless CI): a second download with
// If-None-Match is a 304 served from memory, a new record or a staff edit changes ETag and
// content, a role without access is refused even when the list is kept; every list comes in
// pages whose links keep the filters, with the count of the whole set.
#include <doctest/doctest.h>

#include <memory>
#include <regex>

#include "web_engines.h"
#include "server/web/reports.h"

using namespace kyodo;
using namespace kyodo::web_test;

namespace {

httplib::Result get_with(Browser& b, const std::string& path, const std::string& etag) {
    httplib::Headers h = b.headers();
    h.emplace("If-None-Match", etag);
    return b.cli.Get(path, h);
}

int audits(Storage& st, const std::string& action, const std::string& target) {
    int n = 0;
    for (const auto& e : st.admin().audit_log(100000))
        if (e.action == action && e.target == target) ++n;
    return n;
}

}  // namespace

TEST_CASE("admin exports are kept built, answer 304 to their ETag and change with the data") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        s.push({opinion("一つ目の意見"), signup("act-001", 1, "山口 花子")});
        Browser admin(s.port);
        REQUIRE(admin.login("admin1") == 303);

        for (const char* path : {"/admin/export/opinions.csv", "/admin/export/activities.csv", "/admin/export/signups.csv",
                                 "/admin/export/monthly.json", "/open/yearly.csv"}) {
            CAPTURE(path);
            auto a = admin.get(path);
            REQUIRE(a);
            REQUIRE(a->status == 200);
            const std::string etag = a->get_header_value("ETag");
            REQUIRE(!etag.empty());
            CHECK(a->get_header_value("X-Cache") == "miss");
            auto b = admin.get(path);
            CHECK(b->status == 200);
            CHECK(b->get_header_value("X-Cache") == "hit");   // kept, not rebuilt
            CHECK(b->body == a->body);
            CHECK(b->get_header_value("ETag") == etag);
            auto c = get_with(admin, path, etag);
            CHECK(c->status == 304);
            CHECK(c->body.empty());
        }
        // Downloads of personal data are logged every time, from the cache and as 304 too.
        CHECK(audits(*s.storage, "export", "opinions.csv") == 3);
        auto p = admin.get("/admin/export/opinions.csv");
        CHECK(p->get_header_value("Cache-Control") == "no-store");   // personal: never kept by the browser

        // A new record: new ETag, new content.
        const std::string e1 = admin.get("/admin/export/opinions.csv")->get_header_value("ETag");
        s.push({opinion("二つ目の意見")});
        auto n = get_with(admin, "/admin/export/opinions.csv", e1);
        REQUIRE(n->status == 200);
        CHECK(n->get_header_value("ETag") != e1);
        CHECK(n->body.find("二つ目の意見") != std::string::npos);

        // A staff edit (no new record, same catalog): the export follows it.
        const std::string e2 = n->get_header_value("ETag");
        std::string id;
        for (const auto& r : s.storage->admin().records(RecordQuery{"opinion", "", "", "", "", 10}))
            if (r.rec.payload.find("二つ目") != std::string::npos) id = r.rec.id;
        REQUIRE(!id.empty());
        auto post = admin.post("/admin/opinions/" + id, {{"state", "in_review"}, {"department", "防災危機管理課"}, {"note", "転送済み"}});
        REQUIRE(post->status == 303);
        auto m = get_with(admin, "/admin/export/opinions.csv", e2);
        REQUIRE(m->status == 200);
        CHECK(m->get_header_value("ETag") != e2);
        CHECK(m->body.find("防災危機管理課") != std::string::npos);
    }
}

TEST_CASE("a role without access is refused a kept export") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        web::add_staff(*s.storage, "dept1", "department", kPassword, "防災危機管理課");
        s.push({opinion("個人情報つきの意見"), signup("act-001", 1, "山口 花子")});
        Browser admin(s.port), viewer(s.port), dept(s.port), nobody(s.port);
        REQUIRE(admin.login("admin1") == 303);
        REQUIRE(viewer.login("viewer1") == 303);
        REQUIRE(dept.login("dept1") == 303);
        for (const char* path : {"/admin/export/opinions.csv", "/admin/export/signups.csv", "/admin/export/audit.csv"}) {
            CAPTURE(path);
            auto a = admin.get(path);
            REQUIRE(a->status == 200);
            const std::string etag = a->get_header_value("ETag");
            // The department account (below viewer) gets 403, with or without the ETag.
            CHECK(dept.get(path)->status == 403);
            auto d = get_with(dept, path, etag);
            CHECK(d->status == 403);
            CHECK(d->body.find("山口 花子") == std::string::npos);
            // Not logged in: the login page, never the list.
            auto x = nobody.get(path);
            CHECK(x->status == 303);
            CHECK(x->body.find("山口 花子") == std::string::npos);
        }
        // The audit log is for admins only, kept or not.
        CHECK(viewer.get("/admin/export/audit.csv")->status == 403);
        CHECK(viewer.get("/admin/export/opinions.csv")->status == 200);
    }
}

namespace {

// The counts as the pages made them before they were counted in SQL: over every loaded record.
struct OldTally {
    std::int64_t rows = 0, confirmed = 0, waiting = 0, cancelled = 0, attended = 0;
};
OldTally old_tally(Storage& st, const std::string& activity) {
    OldTally t;
    for (const auto& r : st.admin().records(RecordQuery{"sign_up", activity, "", "", "", 1000000})) {
        const int p = std::max(1, r.party_size);
        ++t.rows;
        if (r.rec.signup_status == "confirmed" && r.attended == 1) t.attended += p;
        if (r.rec.signup_status == "confirmed") t.confirmed += p;
        else if (r.rec.signup_status == "waitlisted") t.waiting += p;
        else t.cancelled += p;
    }
    return t;
}

// 450 sign-ups for act-005 (15 places: most wait), parties of 1-3, some cancelled, some
// marked present or absent; survey responses to both surveys.
void seed(WebServer& s) {
    std::vector<Record> batch;
    for (int i = 0; i < 450; ++i) batch.push_back(signup("act-005", 1 + i % 3, "参加者" + std::to_string(i)));
    for (int i = 0; i < 30; ++i) batch.push_back(signup("act-002", 1 + i % 2, "別の人" + std::to_string(i)));
    for (int i = 0; i < 37; ++i)
        batch.push_back(make_record(RecordKind::SurveyResponse,
                                    {{"survey_id", i % 3 ? "srv-kyodo-2026" : "srv-facility-2026"}, {"survey_version", 1},
                                     {"answers", Json::array({{{"question_id", "q1"}, {"choice", i % 3}}})}}));
    s.push(batch);
    auto& adm = s.storage->admin();
    const auto rows = adm.records(RecordQuery{"sign_up", "act-005", "", "", "", 1000});
    REQUIRE(rows.size() == 450);
    int n = 0;
    for (const auto& r : rows) {
        if (r.rec.signup_status == "confirmed") adm.set_attendance(r.rec.id, n++ % 2 ? 1 : 0, "editor1", rfc3339_now());
    }
    for (std::size_t i = 0; i < rows.size(); i += 40) adm.cancel_signup(rows[i].rec.id, "editor1", rfc3339_now());
    // Attendance of people confirmed from the waitlist after the cancels, too.
    for (const auto& r : adm.records(RecordQuery{"sign_up", "act-005", "", "", "", 1000}))
        if (r.rec.signup_status == "confirmed" && r.attended < 0) adm.set_attendance(r.rec.id, 1, "editor1", rfc3339_now());
}

}  // namespace

TEST_CASE("counts made in SQL equal the counts over loaded records") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        seed(s);
        auto& adm = s.storage->admin();
        std::int64_t activities = 0;
        for (const auto& t : adm.signup_tallies("")) {
            CAPTURE(t.activity_id);
            const OldTally o = old_tally(*s.storage, t.activity_id);
            CHECK(t.signups == o.rows);
            CHECK(t.confirmed == o.confirmed);
            CHECK(t.waitlisted == o.waiting);
            CHECK(t.cancelled == o.cancelled);
            CHECK(t.attended == o.attended);
            ++activities;
        }
        CHECK(activities == 2);
        const OldTally o5 = old_tally(*s.storage, "act-005");
        CHECK(o5.cancelled > 0);
        CHECK(o5.attended > 0);
        CHECK(o5.waiting > 0);
        const auto one = adm.signup_tallies("act-005");
        REQUIRE(one.size() == 1);
        CHECK(one[0].confirmed == o5.confirmed);

        std::map<std::string, std::int64_t> old_surveys;
        for (const auto& r : adm.records(RecordQuery{"survey_response", "", "", "", "", 1000000}))
            ++old_surveys[Json::parse(r.rec.payload).value("survey_id", "")];
        CHECK(adm.payload_counts("survey_response", "survey_id") == old_surveys);

        // By centre and JST month, counted in SQL by centre and UTC hour (the monthly report,
        // /open/counts): records at awkward times — either side of a JST month's start (15:00 UTC
        // of the last day), with a fraction, with an offset, with microseconds — at two centres.
        {
            std::vector<Record> timed;
            for (const char* at : {"2026-03-31T14:59:59Z", "2026-03-31T15:00:00Z", "2026-03-31T15:30:00.250Z",
                                   "2026-04-01T08:59:59+09:00", "2026-04-30T23:59:59.5Z", "2026-12-31T15:00:00.000Z",
                                   "2026-05-01T00:00:00+09:00", "2026-06-15T03:04:05.123456Z", "2026-06-15T03:04:05.123Z"})
                for (const char* centre : {"ohdono", "yuda"}) {
                    Record r = opinion(std::string("時刻 ") + at);
                    r.created_at = at;
                    r.centre_id = centre;
                    timed.push_back(std::move(r));
                }
            s.push(timed);
        }
        for (const char* kind : {"opinion", "sign_up", "survey_response"}) {
            CAPTURE(kind);
            std::int64_t n = -1;
            const auto sql = server::web::by_centre_month(adm.centre_hour_counts(kind), &n);
            const auto loaded = adm.records(RecordQuery{kind, "", "", "", "", 1000000});
            CHECK(sql == server::web::by_centre_month(loaded));
            CHECK(n == static_cast<std::int64_t>(loaded.size()));
        }
        {
            const auto m = server::web::by_centre_month(adm.centre_hour_counts("opinion"));
            REQUIRE(m.count("yuda"));
            CHECK(m.at("yuda").at("2026-03") == 1);
            CHECK(m.at("yuda").at("2026-04") == 3);   // 15:00Z on 31 March is 1 April in Japan
            CHECK(m.at("yuda").at("2026-05") == 2);
            CHECK(m.at("yuda").at("2027-01") == 1);
            CHECK(m.at("yuda").at("2026-06") == 2);
        }

        // Counts of the whole set a paged list shows one page of.
        CHECK(adm.count_records(RecordQuery{"sign_up", "act-005", "", "", "", 1}) == 450);
        CHECK(adm.count_records(RecordQuery{"sign_up", "", "", "", "", 1}) == 480);

        // The pages show those numbers.
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        auto roster = b.get("/admin/roster/act-005");
        REQUIRE(roster->status == 200);
        CHECK(roster->body.find("Confirmed " + std::to_string(o5.confirmed)) != std::string::npos);
        CHECK(roster->body.find("Waitlisted " + std::to_string(o5.waiting) + " · Cancelled " + std::to_string(o5.cancelled) +
                                " · Attended " + std::to_string(o5.attended)) != std::string::npos);
        auto surveys = b.get("/admin/surveys");
        REQUIRE(surveys->status == 200);
        CHECK(surveys->body.find("<td class=\"num\">" + std::to_string(old_surveys["srv-kyodo-2026"]) + "</td>") != std::string::npos);
        CHECK(surveys->body.find("<td class=\"num\">" + std::to_string(old_surveys["srv-facility-2026"]) + "</td>") != std::string::npos);
    }
}

TEST_CASE("the roster comes in pages of 200 in arrival order, with the counts of every sign-up") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        seed(s);
        const auto all = s.storage->admin().records(RecordQuery{"sign_up", "act-005", "", "", "", 1000});
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("editor1") == 303);
        static const std::regex row("<tr><td class=\"num\">(\\d+)</td><td>([^<]+)</td>");
        auto rows_of = [](const std::string& body) {
            std::vector<std::pair<int, std::string>> out;
            for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it)
                out.emplace_back(std::stoi((*it)[1]), (*it)[2]);
            return out;
        };
        auto p1 = b.get("/admin/roster/act-005");
        auto r1 = rows_of(p1->body);
        REQUIRE(r1.size() == 200);
        CHECK(r1.front().second == all[0].rec.receipt);
        CHECK(p1->body.find("People 1–200 of 450") != std::string::npos);
        CHECK(p1->body.find("href=\"/admin/roster/act-005?page=2\"") != std::string::npos);
        auto p2 = b.get("/admin/roster/act-005?page=2");
        auto r2 = rows_of(p2->body);
        REQUIRE(r2.size() == 200);
        CHECK(r2.front().first == 201);
        CHECK(r2.front().second == all[200].rec.receipt);   // the next rows
        CHECK(p2->body.find("People 201–400 of 450") != std::string::npos);
        auto p3 = b.get("/admin/roster/act-005?page=3");
        auto r3 = rows_of(p3->body);
        REQUIRE(r3.size() == 50);   // the last page
        CHECK(r3.back().second == all[449].rec.receipt);
        auto beyond = b.get("/admin/roster/act-005?page=9");   // past the end: the last page
        CHECK(rows_of(beyond->body).size() == 50);
        auto every = b.get("/admin/roster/act-005?all=1");
        CHECK(rows_of(every->body).size() == 450);
    }
}

TEST_CASE("the opinion inbox shows the count of the filtered set and keeps the filters on every page") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        std::vector<Record> recs;
        for (int i = 0; i < 130; ++i) recs.push_back(opinion("意見その" + std::to_string(i) + "番"));
        s.push(recs);
        // 10 of them triaged: state=new leaves 120.
        int n = 0;
        for (const auto& r : s.storage->admin().records(RecordQuery{"opinion", "", "", "", "", 10}))
            n += s.storage->admin().set_record_state(r.rec.id, "closed", "", "", "editor1", rfc3339_now());
        REQUIRE(n == 10);
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        static const std::regex next("rel=\"next\" href=\"([^\"]+)\"");
        auto p1 = b.get("/admin/opinions?state=new&centre=");
        CHECK(p1->body.find("120 in all") != std::string::npos);
        std::smatch m;
        REQUIRE(std::regex_search(p1->body, m, next));
        const std::string link = html_unescape(m[1].str());
        CHECK(link.find("state=new") != std::string::npos);   // the filter kept
        auto p2 = b.get(link);
        CHECK(p2->body.find("120 in all") != std::string::npos);
        REQUIRE(std::regex_search(p2->body, m, next));
        auto p3 = b.get(html_unescape(m[1].str()));
        CHECK(p3->body.find("意見その10番") != std::string::npos);    // the oldest untriaged
        CHECK(p3->body.find("意見その9番") == std::string::npos);     // triaged: filtered out
        CHECK_FALSE(std::regex_search(p3->body, m, next));            // the last page
        CHECK(b.get("/admin/opinions")->body.find("130 in all") != std::string::npos);
    }
}

TEST_CASE("the audit log comes in pages of 100, newest first, with its filter kept") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        for (int i = 0; i < 250; ++i)
            s.storage->admin().add_audit(AuditEntry{0, rfc3339_now(), "editor1", "test_action", "t" + std::to_string(i), ""});
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("admin1") == 303);
        static const std::regex next("rel=\"next\" href=\"([^\"]+)\"");
        static const std::regex row("<td>test_action</td><td>t(\\d+)</td>");
        auto targets = [](const std::string& body) {
            std::vector<int> out;
            for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it) out.push_back(std::stoi((*it)[1]));
            return out;
        };
        auto p1 = b.get("/admin/audit?action=test_action");
        REQUIRE(p1->status == 200);
        CHECK(p1->body.find("250 entries in all") != std::string::npos);
        auto t1 = targets(p1->body);
        REQUIRE(t1.size() == 100);
        CHECK(t1.front() == 249);
        std::smatch m;
        REQUIRE(std::regex_search(p1->body, m, next));
        const std::string link = html_unescape(m[1].str());
        CHECK(link.find("action=test_action") != std::string::npos);
        auto p2 = b.get(link);
        auto t2 = targets(p2->body);
        REQUIRE(t2.size() == 100);
        CHECK(t2.front() == 149);   // the next rows
        REQUIRE(std::regex_search(p2->body, m, next));
        auto p3 = b.get(html_unescape(m[1].str()));
        auto t3 = targets(p3->body);
        REQUIRE(t3.size() == 50);
        CHECK(t3.back() == 0);
        CHECK_FALSE(std::regex_search(p3->body, m, next));
        // Unfiltered: the logins are there too.
        CHECK(b.get("/admin/audit")->body.find("test_action") != std::string::npos);
    }
}

TEST_CASE("the notice outbox comes in pages of 100, newest first, with its state filter kept and counts of all") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        // 250 notices, one a second: every fifth sent, the one after it given up, the rest waiting.
        std::vector<server::Notice> ns;
        for (int i = 0; i < 250; ++i) {
            char at[32];
            std::snprintf(at, sizeof at, "2026-01-01T00:%02d:%02dZ", i / 60, i % 60);
            ns.push_back(server::make_notice("promoted", "rec-" + std::to_string(i), Json{{"title", "n" + std::to_string(i)}}, at));
        }
        REQUIRE(s.storage->notices().enqueue_notices(ns) == 250);
        for (int i = 0; i < 250; ++i) {
            if (i % 5 == 0) REQUIRE(s.storage->notices().mark_notice_sent(ns[i].id, "2026-01-02T00:00:00Z"));
            if (i % 5 == 1) s.storage->notices().mark_notice_failed(ns[i].id, "refused", "2026-01-02T00:00:00Z", true);
        }
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        static const std::regex next("rel=\"next\" href=\"([^\"]+)\"");
        static const std::regex row("<td class=\"text\">n(\\d+)</td>");
        auto titles = [](const std::string& body) {
            std::vector<int> out;
            for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it) out.push_back(std::stoi((*it)[1]));
            return out;
        };
        auto p1 = b.get("/admin/notices");
        REQUIRE(p1->status == 200);
        CHECK(p1->body.find("Waiting 150 · Sent 50 · Not sent 50") != std::string::npos);
        CHECK(p1->body.find("250 notices in all") != std::string::npos);
        auto t1 = titles(p1->body);
        REQUIRE(t1.size() == 100);
        CHECK(t1.front() == 249);
        CHECK(t1.back() == 150);
        std::smatch m;
        REQUIRE(std::regex_search(p1->body, m, next));
        auto p2 = b.get(html_unescape(m[1].str()));
        auto t2 = titles(p2->body);
        REQUIRE(t2.size() == 100);
        CHECK(t2.front() == 149);
        REQUIRE(std::regex_search(p2->body, m, next));
        auto p3 = b.get(html_unescape(m[1].str()));
        auto t3 = titles(p3->body);
        REQUIRE(t3.size() == 50);
        CHECK(t3.back() == 0);   // the oldest notice is reachable (it was not with the newest 500 only)
        CHECK_FALSE(std::regex_search(p3->body, m, next));

        // Only the waiting ones: 150 in all, the filter kept in the next link.
        auto f1 = b.get("/admin/notices?state=pending");
        CHECK(f1->body.find("150 notices in all") != std::string::npos);
        CHECK(f1->body.find("Waiting 150 · Sent 50 · Not sent 50") != std::string::npos);
        auto u1 = titles(f1->body);
        REQUIRE(u1.size() == 100);
        for (int i : u1) CHECK(i % 5 >= 2);
        CHECK(u1.front() == 249);
        REQUIRE(std::regex_search(f1->body, m, next));
        const std::string link = html_unescape(m[1].str());
        CHECK(link.find("state=pending") != std::string::npos);
        auto f2 = b.get(link);
        auto u2 = titles(f2->body);
        REQUIRE(u2.size() == 50);
        for (int i : u2) CHECK(i % 5 >= 2);
        CHECK(u2.back() == 2);
        CHECK_FALSE(std::regex_search(f2->body, m, next));
        // Given up: 50, one page.
        auto g = b.get("/admin/notices?state=failed");
        CHECK(g->body.find("50 notices in all") != std::string::npos);
        auto v = titles(g->body);
        REQUIRE(v.size() == 50);
        for (int i : v) CHECK(i % 5 == 1);
    }
}
