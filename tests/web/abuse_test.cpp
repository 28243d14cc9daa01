// Abuse limits that do not lock out the real user (issue 13): growing delays on failed
// logins and receipt checks, a bounded failure table that keeps the delays of keys under
// attack, staff unlock, failed logins audited, sessions ended on a password reset, notices
// only from the server, cached open data, paged inbox lists, dashboard bodies unread without
// a session.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <thread>

#include "../server/raw_http.h"
#include "web_test_util.h"

using namespace kyodo;
using namespace kyodo::web_test;
using namespace kyodo::rawhttp;

namespace {

// A browser with a cookie jar (session, login CSRF and known-browser cookies).
struct Jar {
    httplib::Client cli;
    std::map<std::string, std::string> cookies;
    explicit Jar(int port, const std::string& from = "") : cli("127.0.0.1", port) {
        cli.set_connection_timeout(5);
        cli.set_read_timeout(30);
        if (!from.empty())   // connect from another loopback address (another client)
            cli.set_socket_options([from](socket_t sock) {
                httplib::default_socket_options(sock);
                sockaddr_in a{};
                a.sin_family = AF_INET;
                inet_pton(AF_INET, from.c_str(), &a.sin_addr);
                ::bind(sock, reinterpret_cast<sockaddr*>(&a), sizeof a);
            });
    }
    httplib::Headers headers() const {
        std::string c;
        for (const auto& [k, v] : cookies) c += (c.empty() ? "" : "; ") + k + "=" + v;
        return c.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", c}};
    }
    void keep(const httplib::Result& r) {
        for (const auto& [k, v] : r->headers) {
            if (k != "Set-Cookie") continue;
            const auto eq = v.find('='), semi = v.find(';');
            const std::string name = v.substr(0, eq), value = v.substr(eq + 1, semi - eq - 1);
            if (value.empty()) cookies.erase(name);
            else cookies[name] = value;
        }
    }
    httplib::Result get(const std::string& path) {
        auto r = cli.Get(path, headers());
        if (r) keep(r);
        return r;
    }
    httplib::Result post(const std::string& path, httplib::Params p) {
        auto r = cli.Post(path, headers(), p);
        if (r) keep(r);
        return r;
    }
    httplib::Result login(const std::string& user, const std::string& password) {
        auto form = get("/admin/login");
        REQUIRE(form);
        return post("/admin/login", {{"csrf", Browser::find_csrf(form->body)}, {"user", user}, {"password", password}, {"next", "/admin"}});
    }
    std::string csrf() {
        auto home = get("/admin");
        return Browser::find_csrf(home->body);
    }
};

bool audited(Storage& st, const std::string& action, const std::string& target) {
    for (const auto& e : st.admin().audit_log(1000))
        if (e.action == action && e.target == target) return true;
    return false;
}

std::string receipt_of(const IngestResult& r) {
    REQUIRE(r.answers.size() == 1);
    return r.answers[0].receipt;
}

}  // namespace

TEST_CASE("wrong passwords delay, never lock out: a known browser logs in, staff can unlock, failures are audited") {
    // Delays x30 (the first per-account wait is 60 s) so that they outlast the test's own steps.
    WebServer s("", false, [](web::WebOptions& o) { o.throttle_time_scale = 30; });
    Jar owner(s.port);
    REQUIRE(owner.login("admin1", kPassword)->status == 303);   // this browser is now known for admin1
    Jar attacker(s.port, "127.0.6.1");   // from elsewhere
    auto fail5 = [&] {
        for (int i = 0; i < 5; ++i) CHECK(attacker.login("admin1", "wrong-password-" + std::to_string(i))->status == 401);
    };
    fail5();
    auto r = attacker.login("admin1", "wrong-password-x");
    CHECK(r->status == 429);
    REQUIRE(r->has_header("Retry-After"));
    CHECK(std::stoi(r->get_header_value("Retry-After")) <= 60);   // a growing delay, not the old 15-minute lock
    CHECK(audited(*s.storage, "login_failed", "admin1"));

    // A browser that never logged in waits; an admin's unlock lets it in at once.
    Jar fresh(s.port);
    CHECK(fresh.login("admin1", kPassword)->status == 429);
    Jar other_admin(s.port);
    web::add_staff(*s.storage, "admin2", "admin", kPassword);
    REQUIRE(other_admin.login("admin2", kPassword)->status == 303);
    auto staff = other_admin.get("/admin/staff");
    CHECK(staff->body.find("/admin/staff/unlock") != std::string::npos);
    auto u = other_admin.post("/admin/staff/unlock", {{"csrf", other_admin.csrf()}, {"user", "admin1"}});
    CHECK(u->status == 303);
    CHECK(fresh.login("admin1", kPassword)->status == 303);
    CHECK(audited(*s.storage, "staff_unlock", "admin1"));

    // Delayed again by the attacker: the owner's known browser is not held up (the old table
    // locked admin1 for everyone).
    fail5();
    CHECK(attacker.login("admin1", "wrong-password-y")->status == 429);
    Jar owner_again(s.port);
    owner_again.cookies = owner.cookies;
    owner_again.cookies.erase("kyodo_session");
    CHECK(owner_again.login("admin1", kPassword)->status == 303);
}

TEST_CASE("a burst of simultaneous wrong logins: only the account's free attempts reach the password check") {
    // 30 browsers on 30 addresses guess admin1's password at the same moment. Each attempt is
    // counted when it is let through, so after the first 5 the rest wait (429) instead of
    // each taking a core for the password check or filling its queue (503).
    WebServer s("", false, [](web::WebOptions& o) { o.throttle_time_scale = 30; });
    constexpr int kBrowsers = 30;
    std::vector<std::unique_ptr<Jar>> jars;
    std::vector<std::string> tokens;
    for (int i = 0; i < kBrowsers; ++i) {
        jars.push_back(std::make_unique<Jar>(s.port, "127.0.7." + std::to_string(i + 1)));
        auto form = jars.back()->get("/admin/login");
        REQUIRE(form);
        tokens.push_back(Browser::find_csrf(form->body));
    }
    std::atomic<int> ready{0};
    std::vector<int> status(kBrowsers, 0);
    std::vector<std::thread> ts;
    for (int i = 0; i < kBrowsers; ++i)
        ts.emplace_back([&, i] {
            ++ready;
            while (ready < kBrowsers) std::this_thread::yield();
            auto r = jars[static_cast<std::size_t>(i)]->post(
                "/admin/login", {{"csrf", tokens[static_cast<std::size_t>(i)]}, {"user", "admin1"},
                                 {"password", "wrong-" + std::to_string(i)}, {"next", "/admin"}});
            status[static_cast<std::size_t>(i)] = r ? r->status : -1;
        });
    for (auto& t : ts) t.join();
    const auto n = [&](int st) { return std::count(status.begin(), status.end(), st); };
    CHECK(n(401) == 5);
    CHECK(n(429) == kBrowsers - 5);
    CHECK(n(503) == 0);
}

TEST_CASE("a password reset ends the account's sessions") {
    WebServer s;
    Jar viewer(s.port);
    REQUIRE(viewer.login("viewer1", kPassword)->status == 303);
    CHECK(viewer.get("/admin")->status == 200);
    Jar admin(s.port);
    REQUIRE(admin.login("admin1", kPassword)->status == 303);
    auto r = admin.post("/admin/staff", {{"csrf", admin.csrf()}, {"user", "viewer1"}, {"role", "viewer"}, {"password", "a-new-password-42"}});
    CHECK(r->status == 303);
    auto after = viewer.get("/admin");
    CHECK(after->status == 303);
    CHECK(after->get_header_value("Location").rfind("/admin/login", 0) == 0);
}

TEST_CASE("the notice box shows only notices the server wrote") {
    WebServer s;
    Jar admin(s.port);
    REQUIRE(admin.login("admin1", kPassword)->status == 303);
    auto forged = admin.get("/admin?msg=%E5%B8%82%E3%81%8B%E3%82%89:%20%E5%86%8D%E7%99%BB%E9%8C%B2%E3%81%97%E3%81%A6%E3%81%8F%E3%81%A0%E3%81%95%E3%81%84");
    REQUIRE(forged->status == 200);
    CHECK(forged->body.find("再登録してください") == std::string::npos);
    // A real notice (after an action) still shows.
    auto r = admin.post("/admin/staff/unlock", {{"csrf", admin.csrf()}, {"user", "viewer1"}});
    REQUIRE(r->status == 303);
    auto shown = admin.get(r->get_header_value("Location"));
    CHECK(shown->body.find("解除しました") != std::string::npos);
}

TEST_CASE("wrong check codes delay a receipt, but its holder still gets in") {
    WebServer s("", false, [](web::WebOptions& o) { o.throttle_time_scale = 0.01; });   // delays of ms, not s
    const std::string receipt = receipt_of(s.push({signup("act-004", 1, "山口 花子", "4321")}));
    Jar guesser(s.port);
    int delayed = 0;
    for (int i = 0; i < 8; ++i) {
        auto r = guesser.post("/p/receipt", {{"receipt", receipt}, {"code", "000" + std::to_string(i)}});
        REQUIRE(r);
        if (r->status == 429) {
            ++delayed;
            CHECK(r->has_header("Retry-After"));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    CHECK(delayed > 0);
    // The holder, after at most the (scaled) delay, sees the sign-up: no hour-long lock.
    Jar holder(s.port);
    int status = 0;
    for (int i = 0; i < 100 && status != 200; ++i) {
        status = holder.post("/p/receipt", {{"receipt", receipt}, {"code", "4321"}})->status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(status == 200);
}

TEST_CASE("a flood of new keys does not wipe the delay of a receipt under attack") {
    WebServer s("", false, [](web::WebOptions& o) { o.throttle_capacity = 20; });
    const std::string receipt = receipt_of(s.push({signup("act-004", 1, "山口 花子", "4321")}));
    Jar guesser(s.port);
    for (int i = 0; i < 6; ++i) guesser.post("/p/receipt", {{"receipt", receipt}, {"code", "000" + std::to_string(i)}});
    CHECK(guesser.post("/p/receipt", {{"receipt", receipt}, {"code", "0009"}})->status == 429);
    // 30 other addresses, one wrong guess each at other receipts: 60 new keys in a table of 20.
    for (int i = 0; i < 30; ++i) {
        const int fd = connect_from("127.0.5." + std::to_string(i + 1), "127.0.0.1", s.port);
        REQUIRE(fd >= 0);
        const std::string body = "receipt=ZZZZ-" + std::to_string(1000 + i) + "&code=1111";
        REQUIRE(send_all(fd, "POST /p/receipt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                             "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
        CHECK(status_of(read_answer(fd, 10000)) == 404);
        ::close(fd);
    }
    CHECK(guesser.post("/p/receipt", {{"receipt", receipt}, {"code", "0010"}})->status == 429);
}

TEST_CASE("open data is built once per change and answers 304 to its ETag") {
    WebServer s;
    httplib::Client cli("127.0.0.1", s.port);
    auto a = cli.Get("/open/counts.csv");
    REQUIRE(a);
    REQUIRE(a->status == 200);
    const std::string etag = a->get_header_value("ETag");
    REQUIRE(!etag.empty());
    auto b = cli.Get("/open/counts.csv", {{"If-None-Match", etag}});
    CHECK(b->status == 304);
    auto again = cli.Get("/open/counts.csv");
    CHECK(again->body == a->body);
    s.push({opinion("公園のベンチを増やしてほしい")});
    auto c = cli.Get("/open/counts.csv", {{"If-None-Match", etag}});
    CHECK(c->status == 200);
    CHECK(c->get_header_value("ETag") != etag);
    CHECK(c->body != a->body);
}

TEST_CASE("the opinion inbox comes in pages of 50, newest first") {
    WebServer s;
    std::vector<Record> recs;
    for (int i = 0; i < 120; ++i) recs.push_back(opinion("意見その" + std::to_string(i) + "番"));
    s.push(recs);
    Jar admin(s.port);
    REQUIRE(admin.login("admin1", kPassword)->status == 303);
    static const std::regex row("action=\"/admin/opinions/[^\"]+\"");
    static const std::regex next("rel=\"next\" href=\"([^\"]+)\"");
    auto count = [](const std::string& b) { return std::distance(std::sregex_iterator(b.begin(), b.end(), row), std::sregex_iterator()); };
    auto p1 = admin.get("/admin/opinions");
    REQUIRE(p1->status == 200);
    CHECK(count(p1->body) == 50);
    CHECK(p1->body.find("意見その119番") != std::string::npos);   // newest first
    CHECK(p1->body.find("意見その0番") == std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(p1->body, m, next));
    auto p2 = admin.get(html_unescape(m[1].str()));
    CHECK(count(p2->body) == 50);
    REQUIRE(std::regex_search(p2->body, m, next));
    auto p3 = admin.get(html_unescape(m[1].str()));
    CHECK(count(p3->body) == 20);
    CHECK(p3->body.find("意見その0番") != std::string::npos);
    CHECK_FALSE(std::regex_search(p3->body, m, next));
}

TEST_CASE("a dashboard POST without a staff session is answered without reading its body") {
    WebServer s;
    const int fd = connect_from("", "127.0.0.1", s.port);
    REQUIRE(fd >= 0);
    REQUIRE(send_all(fd, "POST /admin/fleet/import HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                         "Content-Length: 52428800\r\n\r\n"));
    const std::string a = read_answer(fd, 5000);
    CHECK(status_of(a) == 303);
    CHECK(a.find("Location: /admin/login") != std::string::npos);
    CHECK(closed_by_peer(fd, 5000));
    ::close(fd);
}
