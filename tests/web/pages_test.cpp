// Cached exports and paged dashboard lists (issue 13 point 3), on SQLite and on PostgreSQL
// ($KYODO_PG_URL, a schema of its own; skipped when unset unless CI): a second download with
// If-None-Match is a 304 served from memory, a new record or a staff edit changes ETag and
// content, a role without access is refused even when the list is kept; every list comes in
// pages whose links keep the filters, with the count of the whole set.
#include <doctest/doctest.h>

#include <memory>
#include <regex>

#include "web_engines.h"
#include "server/groups.h"
#include "server/web/html.h"
#include "server/web/reports.h"
#include "server/web/targets.h"

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

namespace {

// Survey answers as the results page and the indicators counted them before they were counted in
// SQL: over every loaded response. Per question: answer objects, choice index → n (single
// choice and the elements of multiple choices), scale value → n.
struct OldQuestion {
    std::int64_t answers = 0;
    std::map<std::int64_t, std::int64_t> choices, scales;
    bool operator==(const OldQuestion&) const = default;
};
std::map<std::string, OldQuestion> old_survey(const std::vector<AdminRecord>& rows, const std::string& survey) {
    std::map<std::string, OldQuestion> out;
    for (const auto& r : rows) {
        const Json p = Json::parse(r.rec.payload);
        if (p.value("survey_id", "") != survey || !p.contains("answers") || !p["answers"].is_array()) continue;
        for (const Json& a : p["answers"]) {
            if (!a.is_object() || !a.contains("question_id") || !a["question_id"].is_string()) continue;
            OldQuestion& q = out[a["question_id"].get<std::string>()];
            ++q.answers;
            if (a.contains("choice") && a["choice"].is_number_integer()) ++q.choices[a["choice"].get<std::int64_t>()];
            if (a.contains("choices") && a["choices"].is_array())
                for (const Json& x : a["choices"])
                    if (x.is_number_integer()) ++q.choices[x.get<std::int64_t>()];
            if (a.contains("scale") && a["scale"].is_number_integer()) ++q.scales[a["scale"].get<std::int64_t>()];
        }
    }
    return out;
}
std::map<std::string, OldQuestion> sql_survey(const AdminStorage::SurveyTally& t, const std::string& survey) {
    std::map<std::string, OldQuestion> out;
    for (const auto& a : t.answers) {
        if (a.survey_id != survey) continue;
        OldQuestion& q = out[a.question_id];
        q.answers += a.n;
        if (a.has_choice) q.choices[a.choice] += a.n;
        if (a.has_scale) q.scales[a.scale] += a.n;
    }
    for (const auto& p : t.picks)
        if (p.survey_id == survey) out[p.question_id].choices[p.choice] += p.n;
    return out;
}

// 300 responses to both surveys over three fiscal years (times either side of the JST year's
// start): single choices, multiple choices, scales, written answers, questions left out.
std::size_t seed_survey(WebServer& s) {
    std::vector<Record> batch;
    const char* times[] = {"2025-03-31T14:59:59Z", "2025-03-31T15:00:00Z", "2025-11-02T03:04:05.123Z", "2026-03-31T15:30:00Z",
                           "2026-06-01T00:00:00+09:00", "2026-12-24T10:00:00Z"};
    for (int i = 0; i < 300; ++i) {
        Json answers = Json::array();
        if (i % 7 != 0) answers.push_back({{"question_id", "q1"}, {"choice", i % 4}});
        answers.push_back({{"question_id", "q2"}, {"choice", (i / 3) % 4}});
        if (i % 5 != 0) answers.push_back({{"question_id", "q4"}, {"scale", 1 + i % 5}});
        answers.push_back({{"question_id", "q5"}, {"choices", Json::array({i % 12, (i + 5) % 12})}});
        if (i % 3 == 0) answers.push_back({{"question_id", "q9"}, {"text", "自由記述その" + std::to_string(i)}});
        if (i % 11 == 0) answers.push_back({{"question_id", "q9"}, {"text", ""}});
        Record r = make_record(RecordKind::SurveyResponse,
                               {{"survey_id", i % 4 ? "srv-kyodo-2026" : "srv-facility-2026"}, {"survey_version", 1}, {"answers", answers}});
        r.created_at = times[i % 6];
        batch.push_back(std::move(r));
    }
    const auto res = s.push(batch);
    REQUIRE(res.stored > 250);   // (the validator turns away a few answer sets it finds wrong for the survey)
    return static_cast<std::size_t>(res.stored);
}

}  // namespace

TEST_CASE("survey results and the indicators counted in SQL equal the counts over loaded responses") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        const std::size_t stored = seed_survey(s);
        auto& adm = s.storage->admin();
        const auto loaded = adm.records(RecordQuery{"survey_response", "", "", "", "", 1000000});
        REQUIRE(loaded.size() == stored);
        for (const char* survey : {"srv-kyodo-2026", "srv-facility-2026"}) {
            CAPTURE(survey);
            const auto one = adm.survey_tally(survey, false);
            const auto old = old_survey(loaded, survey);
            CHECK(old.size() >= 4);
            CHECK(sql_survey(one, survey) == old);
            CHECK(sql_survey(adm.survey_tally("", true), survey) == old);   // every survey, by hour: the same sums
            CHECK(one.responses.at(survey) == adm.payload_counts("survey_response", "survey_id").at(survey));
        }
        // Written answers: one page in arrival order, and how many.
        std::vector<std::string> texts;
        for (const auto& r : loaded) {
            const Json p = Json::parse(r.rec.payload);
            if (p["survey_id"] == "srv-kyodo-2026")
                for (const Json& a : p["answers"])
                    if (a["question_id"] == "q9" && !a.value("text", "").empty()) texts.push_back(a["text"]);
        }
        REQUIRE(texts.size() > 40);
        CHECK(adm.survey_text_count("srv-kyodo-2026", "q9") == static_cast<std::int64_t>(texts.size()));
        CHECK(adm.survey_texts("srv-kyodo-2026", "q9", 1000, 0) == texts);
        CHECK(adm.survey_texts("srv-kyodo-2026", "q9", 10, 30) == std::vector<std::string>(texts.begin() + 30, texts.begin() + 40));

        // The indicators: over the loaded payloads (the old way) and from the SQL counts.
        const Json defs = Json::parse(slurp(sample_catalog_path()))["indicator_targets"];
        std::vector<Json> payloads;
        std::map<int, std::vector<Json>> by_year;
        for (const auto& r : loaded) {
            payloads.push_back(Json::parse(r.rec.payload));
            by_year[server::web::fiscal_year(server::web::jst_datetime(r.rec.created_at).substr(0, 10))].push_back(payloads.back());
        }
        REQUIRE(by_year.size() == 3);   // FY2024, FY2025, FY2026
        const auto want = server::web::indicators(defs, payloads), got = server::web::indicators(defs, adm.survey_tally("", false).answers);
        REQUIRE(want.size() == got.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            CAPTURE(want[i].code);
            CHECK(got[i].answered == want[i].answered);
            CHECK(got[i].counted == want[i].counted);
        }
        CHECK(want[0].answered > 0);
        const auto series = server::web::indicator_series(defs, {}, adm.survey_tally("", true).answers, {}, 2026);
        int years_checked = 0;
        for (const auto& ser : series) {
            if (ser.measured_by != "resident_survey") continue;
            for (const auto& pt : ser.points) {
                if (!by_year.count(pt.fiscal_year)) continue;
                CAPTURE(ser.code);
                CAPTURE(pt.fiscal_year);
                Json def;
                for (const Json& d : defs)
                    if (d.value("code", "") == ser.code) def = d;
                const auto w = server::web::indicators(Json::array({def}), by_year[pt.fiscal_year]);
                REQUIRE(w.size() == 1);
                if (w[0].answered == 0) {   // q3 is never answered in this seed: no figure for the year
                    CHECK_FALSE(pt.measured);
                    continue;
                }
                CHECK(pt.respondents == w[0].answered);
                REQUIRE(pt.measured);
                CHECK(*pt.measured == doctest::Approx(w[0].share));
                ++years_checked;
            }
        }
        CHECK(years_checked == 9);   // 3 answered resident indicators × 3 years

        // The pages show those numbers.
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        auto page = b.get("/admin/surveys/srv-kyodo-2026");
        REQUIRE(page->status == 200);
        const auto old = old_survey(loaded, "srv-kyodo-2026");
        CHECK(page->body.find("<strong>" + std::to_string(adm.payload_counts("survey_response", "survey_id").at("srv-kyodo-2026")) + "</strong>") !=
              std::string::npos);
        CHECK(page->body.find(std::to_string(old.at("q1").answers) + " answers") != std::string::npos);
        CHECK(page->body.find(texts.front()) != std::string::npos);
        CHECK(page->body.find(texts.back()) != std::string::npos);
        auto ind = b.get("/admin/reports/indicators");
        REQUIRE(ind->status == 200);
        CHECK(ind->body.find("<td class=\"num\">" + std::to_string(want[0].answered) + "</td>") != std::string::npos);
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

namespace {

// The links of a page's pager: rel="next" (when there is a next page) and the 「全 N 件」.
std::string next_link(const std::string& body) {
    static const std::regex next("rel=\"next\" href=\"([^\"]+)\"");
    std::smatch m;
    return std::regex_search(body, m, next) ? html_unescape(m[1].str()) : std::string();
}
std::size_t count_of(const std::string& body, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the listings come in pages of 100 read in the database, with kind and title filters kept and the count of all") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        const auto before = s.storage->catalog_page("activities", {"", "slot", "", "", ""}, 1, 0).total;
        CatalogDelta d;
        for (int i = 0; i < 230; ++i) {
            Activity a;
            char id[16];
            std::snprintf(id, sizeof id, "pg-%03d", i);
            a.id = id;
            a.kind = i % 2 ? ActivityKind::Event : ActivityKind::Volunteer;
            a.title = (i % 2 ? "ページ講座 " : "ページ清掃 ") + std::to_string(i);
            a.centre_id = "ohdono";
            d.activities.push_back(a);
        }
        for (int i = 0; i < 20; ++i) {   // slots: on their own pages, not in the list
            Activity a;
            a.id = "pg-slot-" + std::to_string(i);
            a.kind = ActivityKind::Slot;
            a.title = "ページ講座の部屋 " + std::to_string(i);
            a.centre_id = "ohdono";
            d.activities.push_back(a);
        }
        s.storage->import_catalog(d);
        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("viewer1") == 303);
        // Every listing but the slots: the sample ones and 230 new, 100 a page.
        auto all1 = b.get("/admin/activities");
        REQUIRE(all1->status == 200);
        CHECK(all1->body.find(std::to_string(before + 230) + " in all") != std::string::npos);
        CHECK(count_of(all1->body, "/edit\">") == 100);
        CHECK(all1->body.find("pg-slot-") == std::string::npos);
        // Events whose title has 講座: 115, pages of 100 / 15, the filters kept.
        auto p1 = b.get("/admin/activities?kind=event&q=" + server::web::url_encode("ページ講座"));
        REQUIRE(p1->status == 200);
        CHECK(p1->body.find("115 in all") != std::string::npos);
        CHECK(count_of(p1->body, "/edit\">") == 100);
        CHECK(p1->body.find(">pg-001<") != std::string::npos);
        const std::string link = next_link(p1->body);
        REQUIRE(!link.empty());
        CHECK(link.find("kind=event") != std::string::npos);
        CHECK(link.find("page=2") != std::string::npos);
        auto p2 = b.get(link);
        CHECK(p2->body.find("115 in all") != std::string::npos);
        CHECK(count_of(p2->body, "/edit\">") == 15);
        CHECK(p2->body.find(">pg-229<") != std::string::npos);   // the last one
        CHECK(p2->body.find(">pg-001<") == std::string::npos);   // page 1's
        CHECK(p2->body.find(">pg-000<") == std::string::npos);   // a volunteer listing: filtered out
        CHECK(next_link(p2->body).empty());
        // Past the end: the last page.
        CHECK(count_of(b.get(link.substr(0, link.find("page=")) + "page=9")->body, "/edit\">") == 15);
        // The slots with kind=slot.
        const auto slots = s.storage->catalog_page("activities", {"slot", "", "", "", ""}, 1, 0).total;
        CHECK(slots >= 20);
        CHECK(b.get("/admin/activities?kind=slot")->body.find(std::to_string(slots) + " in all") != std::string::npos);

        // The catalog's tables, each in pages of its own that keep the others' pages.
        CatalogDelta o;
        for (int i = 0; i < 130; ++i) {
            Organization org;
            org.id = "pg-org-" + std::to_string(1000 + i);
            org.name = "ページ団体 " + std::to_string(i);
            org.type = "NPO法人";
            o.organizations.push_back(org);
        }
        s.storage->import_catalog(o);
        const auto orgs = s.storage->catalog_page("organizations", {}, 1, 0).total;
        CHECK(orgs >= 130);
        auto c1 = b.get("/admin/catalog");
        REQUIRE(c1->status == 200);
        CHECK(c1->body.find(std::to_string(orgs) + " in all") != std::string::npos);
        const std::string clink = next_link(c1->body);
        CHECK(clink == "/admin/catalog?organizations_page=2");
        auto c2 = b.get(clink);
        CHECK(count_of(c2->body, "/admin/catalog/organizations/") == static_cast<std::size_t>(orgs - 100));
        CHECK(c2->body.find("pg-org-1129") != std::string::npos);
        CHECK(c2->body.find("/admin/catalog/centres/ohdono") != std::string::npos);   // centres still on their first page
    }
}

TEST_CASE("group applications come in pages of 100 filtered in the database, with the filters kept and the count of all") {
    for (Engine& en : engines()) {
        CAPTURE(en.name);
        WebServer& s = *en.s;
        std::vector<Record> batch;
        std::vector<std::string> ids;
        for (int i = 0; i < 260; ++i) {
            Personal p{"代表 " + std::to_string(i), "だいひょう", "083-922-0000", ""};
            Record r = make_record(RecordKind::GroupRegistration,
                                   {{"name", "ページ団体" + std::to_string(i)}, {"kind", i % 2 ? "npo" : "circle"},
                                    {"fields", i % 4 < 2 ? Json::array({"防災", "子育て"}) : Json::array({"環境"})}, {"members", 10 + i},
                                    {"centre_id", i % 3 ? "ohdono" : "yuda"}, {"consent", true}, {"check_code", "5307"}},
                                   &p);
            ids.push_back(r.id);
            batch.push_back(std::move(r));
        }
        REQUIRE(s.push(batch).stored == 260);
        for (int i = 0; i < 260; i += 10) REQUIRE(!s.storage->groups().approve(ids[static_cast<std::size_t>(i)], "editor1", rfc3339_now()).empty());
        // What the filters keep, over every loaded application.
        const server::GroupQuery q{"pending", "npo", "防災", "ohdono"};
        std::vector<std::string> want;
        for (const auto& g : server::search_groups(s.storage->groups(), q)) want.push_back(g.receipt);
        REQUIRE(want.size() > 30);
        CHECK(s.storage->groups().count_applications(q) == static_cast<std::int64_t>(want.size()));
        std::vector<std::string> paged;
        for (std::size_t off = 0; off < want.size(); off += 25)
            for (const auto& g : s.storage->groups().applications_page(q, 25, off)) paged.push_back(g.receipt);
        CHECK(paged == want);
        CHECK(s.storage->groups().count_applications({}) == 260);
        CHECK(s.storage->groups().count_applications({"approved", "", "", ""}) == 26);

        Browser b(s.port);
        b.lang = "en";
        REQUIRE(b.login("editor1") == 303);
        static const std::regex row("<tr data-receipt=\"([^\"]+)\"");
        auto receipts = [](const std::string& body) {
            std::vector<std::string> out;
            for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
            return out;
        };
        auto p1 = b.get("/admin/groups");
        REQUIRE(p1->status == 200);
        CHECK(p1->body.find("Applications: 260") != std::string::npos);
        CHECK(p1->body.find("260 in all") != std::string::npos);
        CHECK(receipts(p1->body).size() == 100);
        const std::string l2 = next_link(p1->body), l3 = next_link(b.get(l2)->body);
        CHECK(l2 == "/admin/groups?page=2");
        auto p3 = b.get(l3);
        CHECK(receipts(p3->body).size() == 60);   // the last page
        CHECK(next_link(p3->body).empty());
        // Filtered: state=pending (234): page 2 keeps the filter.
        auto f1 = b.get("/admin/groups?state=pending");
        CHECK(f1->body.find("234 in all") != std::string::npos);
        const std::string fl = next_link(f1->body);
        CHECK(fl.find("state=pending") != std::string::npos);
        CHECK(fl.find("page=2") != std::string::npos);
        auto f2 = b.get(fl);
        CHECK(f2->body.find("234 in all") != std::string::npos);
        CHECK(receipts(f2->body).size() == 100);
        CHECK(f2->body.find("data-state=\"approved\"") == std::string::npos);
    }
}
