// The kiosk's sync engine against the REAL city-hall server over loopback.
//
// Starts `kyodo-server --data TMP serve --port 0`, enrols kiosks (once before the server
// runs, once while it runs), queues one record of each of the five kinds through KioskStore
// (personal data sealed to the server's public key), syncs, and then reads the server's own
// database: every record there exactly once, the catalog pulled. Replaying the very same
// request body changes nothing and is answered "duplicate" record by record. Finally the
// `kyodo-sync` command line is run as a subprocess. Everything talks to 127.0.0.1 only,
// every wait is bounded, and the server is stopped by its pid.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "core/validate.h"
#include "sync/kiosk_config.h"
#include "sync/sync_engine.h"
#include "sync/curl_transport.h"
#include "sync/transport.h"
#include "tests/support/process.h"

using namespace kyodo;
using namespace kyodo::sync;
using namespace std::chrono_literals;
using kyodo::test::ChildProcess;
using kyodo::test::run_process;
using kyodo::test::RunResult;
using kyodo::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kServer = KYODO_BINARY_DIR "/server/kyodo-server";
const std::string kSync = KYODO_BINARY_DIR "/sync/kyodo-sync";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The sample catalog when it exists, else a tiny one written into `dir`.
std::string catalog_file(const TempDir& dir) {
    std::string sample = KYODO_ASSETS_DIR "/catalog/sample_catalog.json";
    if (fs::exists(sample)) return sample;
    CatalogDelta d;
    d.version = 1;
    d.full = true;
    Centre c;
    c.id = "ohdono";
    c.name = "大殿地域交流センター";
    c.kana = "おおどのちいきこうりゅうせんたー";
    c.version = 1;
    d.centres.push_back(c);
    Activity ev;
    ev.id = "act-001";
    ev.kind = ActivityKind::Event;
    ev.title = "防災ワークショップ";
    ev.kana = "ぼうさいわーくしょっぷ";
    ev.centre_id = "ohdono";
    ev.capacity = 20;
    ev.version = 1;
    d.activities.push_back(ev);
    Activity pc;
    pc.id = "act-002";
    pc.kind = ActivityKind::PublicComment;
    pc.title = "協働推進計画（案）";
    pc.version = 1;
    pc.extra = {{"sections", Json::array({{{"id", "s1"}, {"title", "第1章"}, {"text", "本文"}}})}};
    d.activities.push_back(pc);
    Survey s;
    s.id = "srv-1";
    s.title = "満足度アンケート";
    s.version = 1;
    SurveyQuestion q;
    q.id = "q1";
    q.type = QuestionType::Scale;
    q.text = "満足度";
    q.required = true;
    s.questions.push_back(q);
    d.surveys.push_back(s);
    std::string path = dir.file("catalog.json");
    std::ofstream(path) << to_json(d).dump(2);
    return path;
}

// What the test needs from the catalog: ids to point records at.
struct CatalogPicks {
    std::int64_t version = 0;
    std::string centre;
    std::string signup_activity;
    std::int64_t signup_version = 0;
    std::string draft, section;
    Survey survey;
};

CatalogPicks pick(const std::string& catalog_path) {
    CatalogDelta d = catalog_from_json(Json::parse(read_text(catalog_path)));
    CatalogPicks p;
    p.version = d.version;
    REQUIRE(!d.centres.empty());
    p.centre = d.centres.front().id;
    for (const auto& a : d.activities) {
        if (p.signup_activity.empty() && a.capacity > 0) {
            p.signup_activity = a.id;
            p.signup_version = a.version;
        }
        if (p.draft.empty() && a.kind == ActivityKind::PublicComment && a.extra.contains("sections") &&
            !a.extra["sections"].empty()) {
            p.draft = a.id;
            p.section = a.extra["sections"][0].value("id", "s1");
        }
    }
    if (p.draft.empty()) {
        p.draft = "draft-1";
        p.section = "s1";
    }
    REQUIRE(!p.signup_activity.empty());
    REQUIRE(!d.surveys.empty());
    p.survey = d.surveys.front();
    return p;
}

Json survey_answers(const Survey& s) {
    Json answers = Json::array();
    for (const auto& q : s.questions) {
        Json a = {{"question_id", q.id}};
        switch (q.type) {
        case QuestionType::Single: a["choice"] = 0; break;
        case QuestionType::Multiple: a["choices"] = Json::array({0}); break;
        case QuestionType::Scale: a["scale"] = q.scale_max; break;
        case QuestionType::FreeText: a["text"] = "とても良かったです"; break;
        }
        answers.push_back(a);
    }
    return answers;
}

// Validates like the kiosk's forms do, seals, and queues. Returns the record id.
std::string queue(KioskStore& store, const KioskConfig& cfg, RecordKind kind, Json payload,
                  const Personal* personal) {
    Record r;
    r.kind = kind;
    r.kiosk_id = cfg.kiosk_id;
    r.centre_id = cfg.centre_id;
    r.payload = std::move(payload);
    r.id = new_uuid_v7();
    r.created_at = rfc3339_now();
    Validation v = validate_record(r, personal);
    INFO(to_code(kind), ": ", v.summary());
    REQUIRE(v.ok());
    if (personal && !personal->empty()) r.sealed = seal_personal(*personal, cfg.city_hall_public_key);
    store.enqueue(r);
    return r.id;
}

}  // namespace

namespace {

// Read-only view of the server's database (its schema: server/sqlite_storage.cpp).
class ServerDb {
public:
    explicit ServerDb(const std::string& path) {
        int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
        if (rc != SQLITE_OK) FAIL("cannot open " << path << ": " << sqlite3_errstr(rc));
        sqlite3_busy_timeout(db_, 5000);
    }
    ~ServerDb() { sqlite3_close(db_); }
    ServerDb(const ServerDb&) = delete;
    ServerDb& operator=(const ServerDb&) = delete;

    // Rows of `sql` (with one optional text parameter), columns joined by '|', one per line.
    std::string rows(const std::string& sql, const std::string& param = "") const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            FAIL("bad SQL " << sql << ": " << sqlite3_errmsg(db_));
        if (!param.empty()) sqlite3_bind_text(st, 1, param.c_str(), -1, SQLITE_TRANSIENT);
        std::string out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                if (i) out += '|';
                auto* t = sqlite3_column_text(st, i);
                out += t ? reinterpret_cast<const char*>(t) : "NULL";
            }
            out += '\n';
        }
        sqlite3_finalize(st);
        return out;
    }
    long long count(const std::string& sql, const std::string& param = "") const {
        std::string r = rows(sql, param);
        return r.empty() ? -1 : std::stoll(r);
    }
    long long records() const { return count("SELECT COUNT(*) FROM records"); }
    long long copies(const std::string& id) const { return count("SELECT COUNT(*) FROM records WHERE id = ?", id); }
    std::string snapshot() const {
        return rows("SELECT id, kind, kiosk_id, content_hash, receipt, received_at, signup_status, "
                    "personal IS NULL FROM records ORDER BY id");
    }

private:
    sqlite3* db_ = nullptr;
};

// Passes requests through and keeps a copy, so a test can replay a body byte for byte.
struct RecordingTransport : Transport {
    Transport& inner;
    std::vector<HttpRequest> requests;
    explicit RecordingTransport(Transport& t) : inner(t) {}
    HttpResponse send(const HttpRequest& req) override {
        requests.push_back(req);
        return inner.send(req);
    }
};

TransportOptions loopback(const std::string& url) {
    TransportOptions o;
    o.base_url = url;
    o.connect_timeout_ms = 5000;
    o.total_timeout_ms = 30000;
    return o;
}

RecordKind kind_of(const std::string& code) {
    auto k = record_kind_from_code(code);
    REQUIRE(k.has_value());
    return *k;
}

}  // namespace

TEST_CASE("five kinds of record reach the real server exactly once; replays change nothing") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-integ-sync");
    const std::string data = tmp.file("server");
    const std::string catalog = catalog_file(tmp);
    const CatalogPicks picks = pick(catalog);
    const std::string config_path = tmp.file("kiosk.json");

    // Enrol k1 before the server runs (the port is not known yet: fixed up below).
    RunResult en = run_process({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", picks.centre,
                                "--server-url", "http://127.0.0.1:9", "--write-config", config_path,
                                "--kiosk-db", tmp.file("kiosk.db")},
                               60s);
    INFO("enrol k1: ", en.out, en.err);
    REQUIRE(en.exit_code == 0);

    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", catalog});
    const int port = server.wait_for_listening(30s);
    INFO("server output: ", server.output());
    REQUIRE(port > 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);

    KioskConfig cfg = KioskConfig::load(config_path);
    cfg.server_url = url;
    cfg.save(config_path);
    cfg = KioskConfig::load(config_path);
    CHECK(cfg.kiosk_id == "k1");
    CHECK(cfg.centre_id == picks.centre);
    CHECK(cfg.db_path == tmp.file("kiosk.db"));

    // --- one record of each kind, personal data sealed before it touches the disk --------
    KioskStore store(cfg.db_path);
    std::map<std::string, std::string> ids;   // kind code -> record id
    {
        Personal hanako;
        hanako.name = "山田 花子";
        hanako.furigana = "やまだ はなこ";
        hanako.phone = "083-922-1111";
        ids["sign_up"] = queue(store, cfg, kind_of("sign_up"),
                               {{"activity_id", picks.signup_activity},
                                {"activity_version", picks.signup_version},
                                {"party_size", 2},
                                {"note", "車いすで参加します"}},
                               &hanako);
        ids["opinion"] = queue(store, cfg, kind_of("opinion"),
                               {{"topic", "防災"},
                                {"text", "避難所の案内をもっと大きくしてください"},
                                {"activity_id", ""},
                                {"wants_reply", false}},
                               nullptr);
        ids["survey_response"] = queue(store, cfg, kind_of("survey_response"),
                                       {{"survey_id", picks.survey.id},
                                        {"survey_version", picks.survey.version},
                                        {"answers", survey_answers(picks.survey)}},
                                       nullptr);
        ids["public_comment"] = queue(store, cfg, kind_of("public_comment"),
                                      {{"draft_id", picks.draft},
                                       {"section_id", picks.section},
                                       {"text", "数値目標に若い世代の参加率を加えてはどうでしょうか。"}},
                                      nullptr);
        Personal taro;
        taro.name = "佐藤 太郎";
        taro.email = "taro@example.jp";
        ids["proposal"] = queue(store, cfg, kind_of("proposal"),
                                {{"title", "子ども食堂と見守りの連携"},
                                 {"summary", "地区の子ども食堂で高齢者の見守りも行います。"},
                                 {"fields", Json::array({"子育て", "高齢者"})},
                                 {"group_name", "大殿子ども食堂の会"},
                                 {"partner_department", "協働推進課"}},
                                &taro);
    }
    REQUIRE(store.counts().pending == 5);
    CHECK(store.catalog_version() == 0);

    // --- sync over loopback -----------------------------------------------------------
    CurlTransport curl(loopback(url));
    RecordingTransport rec(curl);
    SyncEngine engine(store, cfg, rec);
    SyncReport rep = engine.run_once();
    INFO("sync: ", rep.error(), " / server: ", server.output());
    REQUIRE(rep.ok());
    CHECK(rep.push.stored == 5);
    CHECK(rep.push.duplicate == 0);
    CHECK(rep.push.rejected == 0);
    CHECK(rep.push.conflict == 0);
    CHECK(store.counts().pending == 0);
    CHECK(store.counts().delivered == 5);
    // Not a structured binding: clang 14 cannot capture one in doctest's INFO lambda.
    for (const auto& kind_id : ids) {
        const std::string& kind = kind_id.first;
        const std::string& id = kind_id.second;
        INFO(kind);
        CHECK(store.outbox_entry(id)->state == OutboxState::Delivered);
    }
    CHECK_FALSE(store.outbox_entry(ids["sign_up"])->signup_status.empty());

    // The pull populated the kiosk's catalog.
    CHECK(rep.pull_attempted);
    CHECK(rep.pull.changed);
    // The server's version may be past the file's (a sign-up bumps its activity's places).
    HttpResponse health = curl.get("/api/v1/health", {});
    REQUIRE(health.status == 200);
    const std::int64_t server_version = Json::parse(health.body).at("catalog_version").get<std::int64_t>();
    CHECK(server_version >= picks.version);
    CHECK(rep.pull.version == server_version);
    CHECK(store.catalog_version() == server_version);
    CHECK(store.activity(picks.signup_activity).has_value());
    CHECK(store.centre(picks.centre).has_value());
    CHECK(store.survey(picks.survey.id).has_value());
    CHECK_FALSE(store.setting(SyncEngine::kEtagSetting).empty());

    // --- the server's own database: each record exactly once ----------------------------
    const std::string server_db = data + "/server.db";
    {
        ServerDb db(server_db);
        CHECK(db.records() == 5);
        for (const auto& kind_id : ids) {
            const std::string& kind = kind_id.first;
            const std::string& id = kind_id.second;
            INFO(kind);
            CHECK(db.copies(id) == 1);
            CHECK(db.rows("SELECT kind, kiosk_id FROM records WHERE id = ?", id) == kind + "|k1\n");
        }
        // Sealed personal data was opened by the server, and only where there was some.
        CHECK(db.count("SELECT COUNT(*) FROM records WHERE id = ? AND personal LIKE '%山田%'", ids["sign_up"]) == 1);
        CHECK(db.count("SELECT COUNT(*) FROM records WHERE id = ? AND personal IS NULL", ids["opinion"]) == 1);
    }

    // --- replay the exact same body: nothing changes, every answer says duplicate --------
    std::string body;
    for (const auto& r : rec.requests)
        if (r.method == "POST" && r.path.rfind("/api/v1/records", 0) == 0) body = r.body;   // not the quotas exchange
    REQUIRE_FALSE(body.empty());
    std::string before = ServerDb(server_db).snapshot();
    for (bool gzip : {true, false, true}) {
        HttpResponse resp = curl.post_json("/api/v1/records", body, engine.auth_headers(), gzip);
        REQUIRE(resp.answered());
        REQUIRE(resp.status == 200);
        Json ans = Json::parse(resp.body);
        CHECK(ans["protocol"] == "kyodo/1");
        REQUIRE(ans["results"].size() == 5);
        for (const auto& r : ans["results"]) CHECK(r["result"] == "duplicate");
    }
    CHECK(ServerDb(server_db).snapshot() == before);
    CHECK(ServerDb(server_db).records() == 5);

    // A second pass has nothing to send and the catalog is unchanged (304).
    SyncReport again = engine.run_once();
    CHECK(again.ok());
    CHECK(again.push.answered() == 0);
    CHECK_FALSE(again.pull.changed);
    CHECK(again.pull.http_status == 304);

    // --- a kiosk enrolled while the server runs -------------------------------------------
    RunResult en2 = run_process({kServer, "--data", data, "enrol", "--kiosk", "k2", "--centre", picks.centre,
                                 "--server-url", url, "--write-config", tmp.file("kiosk2.json"), "--kiosk-db",
                                 tmp.file("kiosk2.db")},
                                60s);
    INFO("enrol k2: ", en2.out, en2.err);
    REQUIRE(en2.exit_code == 0);
    KioskConfig cfg2 = KioskConfig::load(tmp.file("kiosk2.json"));
    CHECK(cfg2.server_url == url);
    KioskStore store2(cfg2.db_path);
    std::string k2_first = queue(store2, cfg2, kind_of("opinion"),
                                 {{"topic", ""}, {"text", "図書コーナーを広げてほしい"}, {"activity_id", ""},
                                  {"wants_reply", false}},
                                 nullptr);
    CurlTransport curl2(loopback(url));
    SyncEngine engine2(store2, cfg2, curl2);
    SyncReport rep2 = engine2.run_once();
    INFO("k2 sync: ", rep2.error());
    CHECK(rep2.ok());
    CHECK(rep2.push.stored == 1);
    CHECK(ServerDb(server_db).copies(k2_first) == 1);
    CHECK(ServerDb(server_db).records() == 6);

    // --- kyodo-sync as staff would run it ---------------------------------------------------
    REQUIRE_MESSAGE(fs::exists(kSync), "build kyodo-sync first: " << kSync);
    std::string cli_id = queue(store, cfg, kind_of("opinion"),
                               {{"topic", "交通"}, {"text", "バスの時刻表を掲示してください"}, {"activity_id", ""},
                                {"wants_reply", false}},
                               nullptr);
    RunResult once = run_process({kSync, "once", "--config", config_path}, 60s);
    INFO("kyodo-sync once: ", once.out, once.err);
    CHECK(once.exit_code == 0);
    CHECK(once.out.find("pushed=1 stored=1 duplicate=0 rejected=0") != std::string::npos);
    CHECK(once.out.find("pulled_version=" + std::to_string(server_version)) != std::string::npos);
    CHECK(ServerDb(server_db).copies(cli_id) == 1);
    CHECK(store.outbox_entry(cli_id)->state == OutboxState::Delivered);   // seen through our connection

    RunResult once_more = run_process({kSync, "once", "--config", config_path}, 60s);
    CHECK(once_more.exit_code == 0);
    CHECK(once_more.out.find("pushed=0 ") != std::string::npos);

    RunResult status = run_process({kSync, "status", "--config", config_path}, 60s);
    INFO("kyodo-sync status: ", status.out, status.err);
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("queued: 0") != std::string::npos);
    CHECK(status.out.find("catalog version: " + std::to_string(server_version)) != std::string::npos);
    CHECK(status.out.find("last error: none") != std::string::npos);

    // --- a revoked kiosk is told so, and keeps its records ---------------------------------
    RunResult rv = run_process({kServer, "--data", data, "revoke", "--kiosk", "k2"}, 60s);
    INFO("revoke: ", rv.out, rv.err);
    REQUIRE(rv.exit_code == 0);
    std::string k2_second = queue(store2, cfg2, kind_of("opinion"),
                                  {{"topic", ""}, {"text", "駐輪場が足りません"}, {"activity_id", ""},
                                   {"wants_reply", false}},
                                  nullptr);
    SyncReport revoked = engine2.run_once();
    CHECK_FALSE(revoked.ok());
    CHECK(revoked.failure() == FailureKind::Auth);
    CHECK(revoked.push.http_status == 403);
    CHECK(store2.outbox_entry(k2_second)->state == OutboxState::Pending);
    CHECK(ServerDb(server_db).copies(k2_second) == 0);

    // --- the server goes away: kyodo-sync says so in plain words and exits 1 ---------------
    queue(store, cfg, kind_of("opinion"),
          {{"topic", ""}, {"text", "ありがとうございました"}, {"activity_id", ""}, {"wants_reply", false}},
          nullptr);
    server.stop();
    RunResult down = run_process({kSync, "once", "--config", config_path, "--timeout", "10"}, 60s);
    INFO("kyodo-sync once (server down): ", down.out, down.err);
    CHECK(down.exit_code == 1);
    CHECK(down.err.find("サーバーに接続できません") != std::string::npos);
    CHECK(store.counts().pending == 1);
}

TEST_CASE("kyodo-sync: --help, usage errors and configuration errors") {
    REQUIRE_MESSAGE(fs::exists(kSync), "build kyodo-sync first: " << kSync);
    RunResult help = run_process({kSync, "--help"}, 30s);
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("kyodo-sync once") != std::string::npos);

    RunResult bad = run_process({kSync, "sideways"}, 30s);
    CHECK(bad.exit_code == 2);

    TempDir tmp("kyodo-integ-cli");
    std::ofstream(tmp.file("kiosk.json")) << R"({"kiosk_id":"k1","centre_id":"c1","server_url":"http://127.0.0.1:9"})";
    RunResult cfg = run_process({kSync, "once", "--config", tmp.file("kiosk.json")}, 30s);
    CHECK(cfg.exit_code == 1);
    CHECK(cfg.err.find("\"token\"") != std::string::npos);
}

// Issue 11, the talent bank, end to end: a registration made at the kiosk (personal part
// sealed) reaches the real server exactly once; replaying the push is "duplicate"; the
// catalog brings the groups' requests for help (人材募集) to the kiosk; a withdrawal made at
// the kiosk erases the person at city hall before the kiosk hears "stored" — the row keeps
// only its id, receipt and hash, the audit log says so, replaying the registration brings
// nothing back, and the person's name and phone are nowhere in the server's database files.
TEST_CASE("talent bank: a registration reaches the server once; a withdrawal leaves nothing readable") {
    REQUIRE_MESSAGE(fs::exists(kServer), "build kyodo-server first: " << kServer);
    TempDir tmp("kyodo-integ-talent");
    const std::string data = tmp.file("server");
    const std::string catalog = catalog_file(tmp);
    const std::string config_path = tmp.file("kiosk.json");
    RunResult en = run_process({kServer, "--data", data, "enrol", "--kiosk", "k1", "--centre", "ohdono",
                                "--server-url", "http://127.0.0.1:9", "--write-config", config_path, "--kiosk-db",
                                tmp.file("kiosk.db")},
                               60s);
    INFO("enrol: ", en.out, en.err);
    REQUIRE(en.exit_code == 0);
    ChildProcess server({kServer, "--data", data, "serve", "--port", "0", "--catalog", catalog});
    const int port = server.wait_for_listening(30s);
    INFO("server output: ", server.output());
    REQUIRE(port > 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    KioskConfig cfg = KioskConfig::load(config_path);
    cfg.server_url = url;
    cfg.save(config_path);
    cfg = KioskConfig::load(config_path);
    const std::string server_db = data + "/server.db";

    KioskStore store(cfg.db_path);
    Personal keiko{"佐藤 恵子", "さとう けいこ", "083-920-4417", ""};
    Personal daisuke{"山本 大輔", "やまもと だいすけ", "", "daisuke@example.jp"};
    const Json base = {{"fields", Json::array({"教育・生涯学習"})}, {"note", "元中学校教師（数学）"},
                       {"contact_by", "phone"}, {"consent", true}};
    Json p1 = base;
    p1["help"] = Json::array({"teaching"});
    p1["areas"] = Json::array({"ohdono"});
    p1["times"] = Json::array({"weekday_am"});
    Record r1;
    r1.kind = RecordKind::Talent;
    r1.kiosk_id = cfg.kiosk_id;
    r1.centre_id = cfg.centre_id;
    r1.payload = p1;
    REQUIRE(validate_record(Record{new_uuid_v7(), r1.kind, 1, rfc3339_now(), r1.kiosk_id, r1.centre_id, p1, ""}, &keiko).ok());
    r1.sealed = seal_personal(keiko, cfg.city_hall_public_key);
    const Receipt receipt = store.enqueue(r1);   // the kiosk makes the check code
    REQUIRE(receipt.check_code.size() == 4);
    Json p2 = base;
    p2["note"] = "";
    p2["help"] = Json::array({"manual"});
    p2["areas"] = Json::array({"citywide"});
    p2["times"] = Json::array({"weekend_am"});
    const std::string other = queue(store, cfg, RecordKind::Talent, p2, &daisuke);

    CurlTransport curl(loopback(url));
    RecordingTransport rec(curl);
    SyncEngine engine(store, cfg, rec);
    SyncReport rep = engine.run_once();
    INFO("sync: ", rep.error());
    REQUIRE(rep.ok());
    CHECK(rep.push.stored == 2);
    {
        ServerDb db(server_db);
        CHECK(db.copies(r1.id) == 1);
        CHECK(db.count("SELECT COUNT(*) FROM records WHERE id = ? AND personal LIKE '%佐藤 恵子%'", r1.id) == 1);
    }
    // The catalog brought the groups' requests for help to the kiosk.
    auto req = store.activity("act-072");
    REQUIRE(req.has_value());
    CHECK(req->extra.contains("talent_request"));

    // Replaying the registrations' push: duplicate, nothing new.
    std::string body;
    for (const auto& r : rec.requests)
        if (r.method == "POST" && r.path.rfind("/api/v1/records", 0) == 0) body = r.body;   // not the quotas exchange
    REQUIRE_FALSE(body.empty());
    const std::string before = ServerDb(server_db).snapshot();
    HttpResponse resp = curl.post_json("/api/v1/records", body, engine.auth_headers(), false);
    REQUIRE(resp.status == 200);
    // Named: a range-for over `Json::parse(...)["results"]` iterates a member of a temporary that
    // is destroyed before the loop starts (C++20 extends only the operator[]'s result, a reference).
    const Json replayed = Json::parse(resp.body);
    REQUIRE(replayed["results"].size() == 2);
    for (const auto& r : replayed["results"]) CHECK(r["result"] == "duplicate");
    CHECK(ServerDb(server_db).snapshot() == before);

    // The teacher leaves the bank at the kiosk.
    const std::string wid = queue(store, cfg, RecordKind::TalentWithdrawal,
                                  {{"receipt", receipt.number}, {"check_code", receipt.check_code}}, nullptr);
    rep = engine.run_once();
    REQUIRE(rep.ok());
    CHECK(rep.push.stored == 1);
    // Sent again (a lost answer) with the old registration: duplicate, still erased.
    resp = curl.post_json("/api/v1/records", body, engine.auth_headers(), true);
    REQUIRE(resp.status == 200);
    {
        ServerDb db(server_db);
        CHECK(db.records() == 3);
        CHECK(db.rows("SELECT payload, sealed, personal IS NULL, receipt FROM records WHERE id = ?", r1.id) ==
              "{}||1|" + receipt.number + "\n");
        CHECK(db.count("SELECT COUNT(*) FROM records WHERE personal LIKE '%佐藤%' OR payload LIKE '%数学%'") == 0);
        CHECK(db.count("SELECT COUNT(*) FROM records WHERE id = ? AND personal LIKE '%山本%'", other) == 1);
        CHECK(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'talent_withdrawn' AND target = ?", r1.id) == 1);
        CHECK(db.count("SELECT COUNT(*) FROM talent_withdrawals WHERE id = ? AND state = 'done'", wid) == 1);
    }
    server.stop();
    for (const char* suffix : {"", "-wal"}) {
        const std::string bytes = read_text(server_db + suffix);
        INFO("server.db", suffix);
        CHECK(bytes.find("佐藤 恵子") == std::string::npos);
        CHECK(bytes.find("083-920-4417") == std::string::npos);
        CHECK(bytes.find("元中学校教師") == std::string::npos);
    }
}
