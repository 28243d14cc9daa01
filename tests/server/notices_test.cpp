// Notices (server/notices.h, server/notice_sender.h): which changes queue a notice, on both
// storage engines, and the mail that a real SMTP server on loopback (Debian's
// python3-aiosmtpd, writing a Maildir) receives: language, content, Message-ID, retries when
// the SMTP server is down, and the resend with the same Message-ID after a crash between
// the SMTP server's 250 and "mark sent".
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "server/admin.h"
#include "server/ingest.h"
#include "server/notice_sender.h"
#include "server/notices.h"
#include "engines.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;
namespace fs = std::filesystem;

namespace {

#define KYODO_ENGINES SqliteEngine, PgEngine

CatalogDelta catalog() {
    CatalogDelta d = small_catalog();
    for (auto& a : d.activities) {
        a.starts_at = "2026-12-20T10:00";
        a.ends_at = "2026-12-20T12:00";
        a.place = "大殿地域交流センター 2階和室";
    }
    return d;
}

template <class E>
struct Fx {
    E eng;
    std::unique_ptr<Storage> st;
    const KeyPair& keys = test_keys();
    bool ok() const { return eng.ok; }
    Fx() {
        if (!eng.ok) return;
        st = open_storage(eng.spec());
        st->import_catalog(catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
    }
    IngestResult push(const std::vector<Record>& recs) {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        PushMeta m;
        m.kiosk_id = "k1";
        m.received_at = rfc3339_now();
        return ingest_batch(*st, keys, m, arr, now_millis());
    }
};

// A sign-up with an e-mail address; `notify` is the consent asked at the kiosk.
Record signup_mail(const KeyPair& keys, const std::string& activity, int party, bool notify, const std::string& lang,
                   const std::string& email) {
    Record r = sign_up(keys, activity, party);
    r.payload["notify"] = notify;
    r.payload["lang"] = lang;
    Personal p;
    p.name = "山口 花子";
    p.furigana = "やまぐち はなこ";
    p.email = email;
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record opinion_reply(const KeyPair& keys, const std::string& lang, const std::string& email) {
    Record r = opinion();
    r.payload["wants_reply"] = true;
    r.payload["lang"] = lang;
    Personal p;
    p.email = email;
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

std::vector<Notice> pending_of(Storage& st, const std::string& record_id) {
    std::vector<Notice> out;
    for (auto& n : st.notices().notices(record_id, 100))
        if (n.state == "pending") out.push_back(n);
    return out;
}

}  // namespace

TEST_CASE("notices: consent, language and what counts as a move (pure rules)") {
    CHECK(!wants_notices("sign_up", R"({"notify":false})", R"({"email":"a@example.jp"})"));
    CHECK(!wants_notices("sign_up", R"({"notify":true})", R"({"phone":"083-922-0000"})"));
    CHECK(wants_notices("sign_up", R"({"notify":true})", R"({"email":"a@example.jp"})"));
    CHECK(!wants_notices("opinion", R"({"wants_reply":false})", R"({"email":"a@example.jp"})"));
    CHECK(wants_notices("opinion", R"({"wants_reply":true})", R"({"email":"a@example.jp"})"));
    CHECK(wants_notices("proposal", R"({})", R"({"email":"a@example.jp"})"));
    CHECK(!wants_notices("survey_response", R"({})", ""));

    const std::string a = R"({"id":"x","title":"T","starts_at":"2026-12-20T10:00","place":"A","description":"d"})";
    CHECK(!activity_moved_detail(a, R"({"id":"x","title":"T","starts_at":"2026-12-20T10:00","place":"A","description":"e"})"));
    auto m = activity_moved_detail(a, R"({"id":"x","title":"T","starts_at":"2026-12-21T10:00","place":"B"})");
    REQUIRE(m);
    CHECK((*m)["what"] == Json::array({"date", "place"}));
    CHECK((*m)["before"]["place"] == "A");
    CHECK(!answered_detail("opinion", "in_review", "in_review", "x"));
    CHECK(!answered_detail("opinion", "new", "in_review", "x"));
    CHECK(answered_detail("opinion", "in_review", "answered", "x"));
    CHECK(answered_detail("proposal", "under_review", "not_adopted", "予算の都合"));

    Notice n = make_notice("promoted", "rec-1", Json{{"title", "防災ワークショップ"}, {"starts_at", "2026-12-20T10:00"},
                                                      {"ends_at", "2026-12-20T12:00"}, {"place", "2階和室"}},
                           "2026-12-01T00:00:00Z");
    CHECK(n.dedupe_key == "promoted:rec-1");
    auto en = render_notice(n, R"({"lang":"en"})", R"({"email":"a@example.jp"})", "R-1234");
    REQUIRE(en);
    CHECK(en->subject == "You have a place: 防災ワークショップ");
    CHECK(en->body.find("Receipt number: R-1234") != std::string::npos);
    CHECK(en->body.find("Sun 20 Dec 2026 10:00 - 12:00") != std::string::npos);
    auto easy = render_notice(n, R"({"lang":"easy_ja"})", R"({"email":"a@example.jp"})", "");
    REQUIRE(easy);
    CHECK(easy->subject == "【さんか できます】防災ワークショップ");
    auto ja = render_notice(n, R"({})", R"({"email":"a@example.jp"})", "");
    REQUIRE(ja);
    CHECK(ja->lang == "ja");
    CHECK(ja->body.find("令和8年12月20日(日) 10:00 - 12:00") != std::string::npos);
    CHECK(!render_notice(n, R"({})", R"({"phone":"1"})", ""));

    const std::string msg = build_message(*ja, "kyodo@city.example.jp", "<n-1@city.example.jp>", 0);
    CHECK(msg.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(msg.find("Message-ID: <n-1@city.example.jp>\r\n") != std::string::npos);
    CHECK(msg.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n") != std::string::npos);
    CHECK(notice_backoff_ms(1) == 60'000);
    CHECK(notice_backoff_ms(3) == 240'000);
    CHECK(notice_backoff_ms(40) == 6LL * 3600 * 1000);
}

TEST_CASE_TEMPLATE("notices: a capacity raise that moves the waitlist up tells each resident who moved up", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    // ev-small holds 3: a(3) confirmed; b(1, wants notices) and c(2, no consent) wait.
    Record a = signup_mail(f.keys, "ev-small", 3, true, "ja", "a@example.jp");
    Record b = signup_mail(f.keys, "ev-small", 1, true, "en", "b@example.jp");
    Record c = signup_mail(f.keys, "ev-small", 2, false, "ja", "c@example.jp");
    auto r = f.push({a, b, c});
    REQUIRE(r.answers[1].signup_status == "waitlisted");
    REQUIRE(r.answers[2].signup_status == "waitlisted");

    // Staff raise the capacity to 6 (server/ledger.h change_capacity): b and c move up, in
    // the import's transaction; only b agreed to notices. A second import of the same
    // catalog moves nobody and queues nothing.
    CatalogDelta raised = catalog();
    raised.full = false;
    for (auto& x : raised.activities)
        if (x.id == "ev-small") x.capacity = 6;
    std::vector<Promotion> promoted;
    st.import_catalog(raised, &promoted);
    REQUIRE(promoted.size() == 2);
    CHECK(promoted[0].id == b.id);
    auto nb = pending_of(st, b.id);
    REQUIRE(nb.size() == 1);
    CHECK(nb[0].kind == "promoted");
    CHECK(Json::parse(nb[0].detail)["title"] == "防災ワークショップ");
    CHECK(pending_of(st, c.id).empty());
    CHECK(pending_of(st, a.id).empty());
    promoted.clear();
    st.import_catalog(raised, &promoted);
    CHECK(promoted.empty());
    CHECK(pending_of(st, b.id).size() == 1);
}

// Issue 10 point 3: a resident cancels at the kiosk; the one who moves up is told. Also when
// the cancel reached city hall before the sign-up it cancels.
TEST_CASE_TEMPLATE("notices: a kiosk's cancel moves the waitlist up and tells the resident who moved up, also when "
                   "the cancel arrived first",
                   E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    // ev-small holds 3: a(3) confirmed, b(1, wants notices) waits.
    Record a = signup_mail(f.keys, "ev-small", 3, true, "ja", "a@example.jp");
    a.payload["check_code"] = "2468";
    Record b = signup_mail(f.keys, "ev-small", 1, true, "en", "b@example.jp");
    Record x = cancel_of(a, "2468");
    SUBCASE("the cancel after its sign-up") {
        REQUIRE(f.push({a, b}).answers[1].signup_status == "waitlisted");
        auto r = f.push({x});
        CHECK(r.answers[0].signup_status == "cancelled");
    }
    SUBCASE("the cancel before its sign-up") {
        REQUIRE(f.push({x}).answers[0].signup_status == "waiting");
        auto r = f.push({a, b});
        CHECK(r.answers[1].signup_status == "waitlisted");   // then moved up at the push's end
        REQUIRE(r.promoted.size() == 1);
    }
    CHECK(st.record(b.id)->signup_status == "confirmed");
    auto nb = pending_of(st, b.id);
    REQUIRE(nb.size() == 1);
    CHECK(nb[0].kind == "promoted");
    CHECK(Json::parse(nb[0].detail)["title"] == "防災ワークショップ");
    CHECK(pending_of(st, a.id).empty());   // the one who cancelled is not told they moved up
    f.push({x});                            // sent again: a duplicate, no second notice
    CHECK(pending_of(st, b.id).size() == 1);
}

TEST_CASE_TEMPLATE("notices: queued with the change that causes them, once, only for residents who asked", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    // ev-small holds 3. a(2) confirmed; b(2, wants notices) and c(1, no consent) waitlisted.
    Record a = signup_mail(f.keys, "ev-small", 2, true, "ja", "a@example.jp");
    Record b = signup_mail(f.keys, "ev-small", 2, true, "en", "b@example.jp");
    Record c = signup_mail(f.keys, "ev-small", 1, false, "ja", "c@example.jp");
    auto r = f.push({a, b, c});
    REQUIRE(r.answers[1].signup_status == "waitlisted");
    CHECK(st.notices().notices("", 100).empty());

    // Cancelling a moves b and c up; only b agreed to notices.
    REQUIRE(st.admin().cancel_signup(a.id, "staff", rfc3339_now()).ok);
    auto nb = pending_of(st, b.id);
    REQUIRE(nb.size() == 1);
    CHECK(nb[0].kind == "promoted");
    CHECK(Json::parse(nb[0].detail)["title"] == "防災ワークショップ");
    CHECK(pending_of(st, c.id).empty());
    CHECK(pending_of(st, a.id).empty());

    // The activity moves (date and place): every live sign-up that agreed gets one notice;
    // re-importing the same catalog queues nothing more; a description edit queues nothing.
    CatalogDelta moved = catalog();
    moved.full = false;
    moved.activities.erase(moved.activities.begin() + 1);
    moved.activities[0].starts_at = "2026-12-27T10:00";
    moved.activities[0].place = "大殿小学校 体育館";
    st.import_catalog(moved);
    st.import_catalog(moved);
    auto nb2 = pending_of(st, b.id);
    REQUIRE(nb2.size() == 2);
    CHECK(nb2[0].kind == "activity_moved");
    const Json md = Json::parse(nb2[0].detail);
    CHECK(md["place"] == "大殿小学校 体育館");
    CHECK(md["before"]["place"] == "大殿地域交流センター 2階和室");
    moved.activities[0].description = "持ち物: 筆記用具";
    st.import_catalog(moved);
    CHECK(pending_of(st, b.id).size() == 2);
    CHECK(pending_of(st, a.id).empty());   // cancelled before the move

    // Withdrawn (cancelled) by staff: one more.
    CatalogDelta gone;
    gone.deleted_activities.push_back("ev-small");
    st.import_catalog(gone);
    auto nb3 = pending_of(st, b.id);
    REQUIRE(nb3.size() == 3);
    CHECK(nb3[0].kind == "activity_cancelled");

    // An opinion's answer, once even when staff edit the answer again; an opinion without
    // wants_reply gets nothing.
    Record o = opinion_reply(f.keys, "easy_ja", "o@example.jp");
    Record quiet = opinion();
    f.push({o, quiet});
    REQUIRE(st.admin().set_record_state(o.id, "in_review", "", "", "staff", rfc3339_now()));
    CHECK(pending_of(st, o.id).empty());
    REQUIRE(st.admin().set_record_state(o.id, "answered", "防災危機管理課", "看板を大きくします。", "staff", rfc3339_now()));
    REQUIRE(st.admin().set_record_state(o.id, "answered", "防災危機管理課", "看板を大きくします！", "staff", rfc3339_now()));
    auto no = pending_of(st, o.id);
    REQUIRE(no.size() == 1);
    CHECK(Json::parse(no[0].detail)["answer"] == "看板を大きくします。");
    REQUIRE(st.admin().set_record_state(quiet.id, "answered", "", "ok", "staff", rfc3339_now()));
    CHECK(pending_of(st, quiet.id).empty());

    // Claiming leases: a second claim in the lease gets nothing; sent is final.
    const std::string now = rfc3339_utc(now_millis() + 1000);
    auto claimed = st.notices().claim_notices(now, rfc3339_utc(now_millis() + 60'000), 100);
    CHECK(claimed.size() == 4);
    CHECK(claimed[0].attempts == 1);
    CHECK(st.notices().claim_notices(now, rfc3339_utc(now_millis() + 60'000), 100).empty());
    CHECK(st.notices().mark_notice_sent(claimed[0].id, now));
    CHECK(!st.notices().mark_notice_sent(claimed[0].id, now));
    st.notices().mark_notice_failed(claimed[1].id, "421 busy", now, false);
    auto again = st.notices().claim_notices(rfc3339_utc(now_millis() + 2000), rfc3339_utc(now_millis() + 60'000), 100);
    REQUIRE(again.size() == 1);
    CHECK(again[0].id == claimed[1].id);
    CHECK(again[0].attempts == 2);
}

// ---- a real SMTP server on loopback --------------------------------------------------------

namespace {

int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    const int port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

bool port_open(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

// aiosmtpd with its Maildir handler: every message it accepts is a file in maildir/new.
struct SmtpServer {
    kyodo::test::TempDir dir{"kyodo-smtp"};
    int port = 0;
    std::unique_ptr<kyodo::test::ChildProcess> proc;
    explicit SmtpServer(int p = 0) : port(p ? p : free_port()) { start(); }
    void start() {
        proc = std::make_unique<kyodo::test::ChildProcess>(std::vector<std::string>{
            "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port), "-c",
            "aiosmtpd.handlers.Mailbox", dir.file("maildir")});
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!port_open(port)) {
            REQUIRE_MESSAGE(proc->running(), "aiosmtpd did not start: " << proc->output());
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until, "aiosmtpd not listening after 60 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    void stop() { proc.reset(); }
    std::vector<std::string> mails() const {
        std::vector<std::string> out;
        const fs::path p = fs::path(dir.file("maildir")) / "new";
        if (!fs::exists(p)) return out;
        for (const auto& e : fs::directory_iterator(p)) {
            std::ifstream in(e.path(), std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            out.push_back(ss.str());
        }
        return out;
    }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port); }
};

std::string header(const std::string& mail, const std::string& name) {
    const std::string key = "\n" + name + ": ";
    auto p = ("\n" + mail).find(key);
    if (p == std::string::npos) return "";
    std::string v;
    std::size_t i = p + key.size() - 1;
    for (;;) {
        const auto e = mail.find('\n', i);
        v += mail.substr(i, e - i);
        if (e == std::string::npos || e + 1 >= mail.size() || (mail[e + 1] != ' ' && mail[e + 1] != '\t')) break;
        i = e + 2;
    }
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n')) v.pop_back();
    return v;
}

// Decodes =?UTF-8?B?…?= words (what build_message writes).
std::string decode_words(const std::string& v) {
    std::string out;
    std::size_t i = 0;
    while (i < v.size()) {
        const auto s = v.find("=?UTF-8?B?", i);
        if (s == std::string::npos) {
            out += v.substr(i);
            break;
        }
        const auto e = v.find("?=", s + 10);
        out += *base64_decode(v.substr(s + 10, e - s - 10));
        i = e + 2;
        // Folding white space between two encoded words is not text (RFC 2047 6.2).
        std::size_t j = i;
        while (j < v.size() && (v[j] == ' ' || v[j] == '\r' || v[j] == '\n')) ++j;
        if (v.compare(j, 10, "=?UTF-8?B?") == 0) i = j;
    }
    return out;
}

std::string body(const std::string& mail) {
    auto p = mail.find("\r\n\r\n");
    std::size_t skip = 4;
    if (p == std::string::npos) {
        p = mail.find("\n\n");
        skip = 2;
    }
    std::string b64;
    for (char ch : mail.substr(p + skip))
        if (ch != '\r' && ch != '\n') b64 += ch;
    return *base64_decode(b64);
}

template <class F>
bool eventually(F&& f, std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return f();
}

SmtpConfig smtp_for(const SmtpServer& s) {
    SmtpConfig c;
    c.url = s.url();
    c.tls = "none";
    c.from = "山口市 協働推進課 <kyodo@city.example.jp>";
    c.message_id_domain = "city.example.jp";
    return c;
}

}  // namespace

TEST_CASE_TEMPLATE("notices: delivered through a real SMTP server, in the resident's language, exactly once", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    SmtpServer smtp;
    Record a = signup_mail(f.keys, "ev-small", 3, true, "ja", "a@example.jp");
    Record b = signup_mail(f.keys, "ev-small", 1, true, "en", "b@example.jp");
    Record o = opinion_reply(f.keys, "easy_ja", "o@example.jp");
    f.push({a, b, o});
    REQUIRE(st.admin().cancel_signup(a.id, "staff", rfc3339_now()).ok);   // b moves up
    REQUIRE(st.admin().set_record_state(o.id, "answered", "", "かんばんを おおきく します。", "staff", rfc3339_now()));

    NoticeSender sender(st, smtp_for(smtp));
    const SenderStats s1 = sender.run_once(now_millis() + 1000);
    CHECK(s1.sent == 2);
    REQUIRE(eventually([&] { return smtp.mails().size() == 2; }));
    CHECK(sender.run_once(now_millis() + 2000).sent == 0);   // nothing twice
    auto mails = smtp.mails();
    std::string en, easy;
    for (auto& m : mails) (header(m, "To") == "b@example.jp" ? en : easy) = m;
    REQUIRE(!en.empty());
    REQUIRE(!easy.empty());
    CHECK(decode_words(header(en, "Subject")) == "You have a place: 防災ワークショップ");
    CHECK(decode_words(header(en, "From")) == "山口市 協働推進課 <kyodo@city.example.jp>");
    CHECK(body(en).find("Your place is confirmed.") != std::string::npos);
    CHECK(body(en).find("Receipt number: " + receipt_number(b.id)) != std::string::npos);
    CHECK(header(en, "X-RcptTo") == "b@example.jp");   // aiosmtpd records the envelope
    const auto nb = st.notices().notices(b.id, 10);
    REQUIRE(nb.size() == 1);
    CHECK(nb[0].state == "sent");
    CHECK(header(en, "Message-ID") == "<" + nb[0].id + "@city.example.jp>");
    CHECK(decode_words(header(easy, "Subject")) == "あなたの いけんへの こたえ");
    CHECK(body(easy).find("かんばんを おおきく します。") != std::string::npos);

    // Keep a delivered mail for the notes' screenshot.
    if (const char* keep = std::getenv("KYODO_KEEP_MAIL")) {
        std::ofstream(std::string(keep) + "/notice_en.eml", std::ios::binary) << en;
        std::ofstream(std::string(keep) + "/notice_easy_ja.eml", std::ios::binary) << easy;
    }
}

TEST_CASE_TEMPLATE("notices: SMTP down means retry with backoff; a crash after the 250 resends the same Message-ID", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Storage& st = *f.st;
    const int port = free_port();
    Record a = signup_mail(f.keys, "ev-small", 3, true, "ja", "a@example.jp");
    Record b = signup_mail(f.keys, "ev-small", 1, true, "ja", "b@example.jp");
    f.push({a, b});
    REQUIRE(st.admin().cancel_signup(a.id, "staff", rfc3339_now()).ok);

    // No SMTP server: the attempt fails, the notice waits a minute.
    SmtpConfig cfg;
    cfg.url = "smtp://127.0.0.1:" + std::to_string(port);
    cfg.tls = "none";
    cfg.from = "kyodo@city.example.jp";
    NoticeSender sender(st, cfg);
    const std::int64_t t0 = now_millis() + 1000;
    const SenderStats s1 = sender.run_once(t0);
    CHECK(s1.retried == 1);
    auto n = st.notices().notices(b.id, 10);
    REQUIRE(n.size() == 1);
    CHECK(n[0].state == "pending");
    CHECK(n[0].attempts == 1);
    CHECK(!n[0].last_error.empty());
    CHECK(n[0].next_attempt_at == rfc3339_utc(t0 + 60'000));
    CHECK(sender.run_once(t0 + 30'000).retried == 0);   // not due yet

    // The server comes up; the crash window: accepted by SMTP, then we die before marking.
    SmtpServer smtp(port);
    sender.after_send_hook = [](const Notice&) { throw std::runtime_error("power cut"); };
    CHECK_THROWS(sender.run_once(t0 + 61'000));
    REQUIRE(eventually([&] { return smtp.mails().size() == 1; }));
    CHECK(st.notices().notices(b.id, 10)[0].state == "pending");
    // A restarted server takes the notice again only when the lease has run out …
    NoticeSender restarted(st, cfg);
    CHECK(restarted.run_once(t0 + 62'000).sent == 0);
    const SenderStats s2 = restarted.run_once(t0 + 61'000 + restarted.lease_ms + 1000);
    CHECK(s2.sent == 1);
    REQUIRE(eventually([&] { return smtp.mails().size() == 2; }));
    // … and the copy is the same message: one Message-ID, which mailboxes keep once.
    const auto mails = smtp.mails();
    CHECK(header(mails[0], "Message-ID") == header(mails[1], "Message-ID"));
    CHECK(header(mails[0], "Message-ID") == "<" + n[0].id + "@kyodo.invalid>");
    CHECK(st.notices().notices(b.id, 10)[0].state == "sent");
    CHECK(restarted.run_once(t0 + 10LL * 3600 * 1000).sent == 0);
}

TEST_CASE("notices: kyodo-server serve --smtp-url sends the outbox through the SMTP server it is given") {
    // The data folder as a city would have it, with a notice already queued (a cancellation
    // moved a waitlisted resident up while no SMTP server was configured).
    TempDir data;
    init_data_dir(data.path.string());
    const KeyPair k = load_keys(data.path.string());
    Record b;
    {
        auto st = open_storage(db_path(data.path.string()));
        st->import_catalog(catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
        Record a = signup_mail(k, "ev-small", 3, true, "ja", "a@example.jp");
        b = signup_mail(k, "ev-small", 1, true, "ja", "b@example.jp");
        Json arr = Json::array({to_json(a), to_json(b)});
        PushMeta m;
        m.kiosk_id = "k1";
        m.received_at = rfc3339_now();
        ingest_batch(*st, k, m, arr, now_millis());
        REQUIRE(st->admin().cancel_signup(a.id, "staff", rfc3339_now()).ok);
        REQUIRE(st->notices().notices(b.id, 10).size() == 1);
    }
    SmtpServer smtp;
    kyodo::test::ChildProcess server({KYODO_SERVER_EXE, "--data", data.path.string(), "serve", "--port", "0",
                                      "--smtp-url", smtp.url(), "--smtp-tls", "none", "--smtp-from",
                                      "協働推進課 <kyodo@city.example.jp>", "--smtp-message-id-domain",
                                      "city.example.jp", "--notice-poll-ms", "200"});
    REQUIRE(server.wait_for_listening(std::chrono::seconds(60)) > 0);
    REQUIRE(eventually([&] { return smtp.mails().size() == 1; }));
    const std::string mail = smtp.mails()[0];
    CHECK(header(mail, "To") == "b@example.jp");
    CHECK(decode_words(header(mail, "Subject")) == "【参加できます】防災ワークショップ");
    CHECK(body(mail).find("令和8年12月20日(日) 10:00 - 12:00") != std::string::npos);
    REQUIRE(eventually([&] { return server.output().find("notice_sent") != std::string::npos; }));
    server.stop();
    auto st = open_storage(db_path(data.path.string()));
    CHECK(st->notices().notices(b.id, 10)[0].state == "sent");
    if (const char* keep = std::getenv("KYODO_KEEP_MAIL"))
        std::ofstream(std::string(keep) + "/notice_ja.eml", std::ios::binary) << mail;

    // Without --smtp-from the server refuses to start.
    auto bad = kyodo::test::run_process({KYODO_SERVER_EXE, "--data", data.path.string(), "serve", "--port", "0",
                                         "--smtp-url", smtp.url()});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--smtp-from") != std::string::npos);
}
