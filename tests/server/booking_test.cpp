// Issue 11 points 3 and 5 (docs/lending.md): a room, equipment or consultation slot is an
// activity of kind "slot" and capacity 1, and a booking is a sign-up for it, so the one sign-up
// ledger (server/ledger.h) decides — no second copy of the rule. Two kiosks book the same slot
// while offline; whichever push reaches the server first holds it (confirmed), the other is
// answered waitlisted at its sync and its booker's notice names the next free slot of the same
// resource; replays are duplicates with the same answer and exactly one holder remains. Before
// storage the server applies the slot's window (core/slots.h) at its own clock: blocked →
// slot_blocked, before any window or in the 優先予約 window without a registered group →
// not_open_yet, past it → closed; a number that is not an approved group → unknown_group.
// Both engines, both push paths (ingest_batch and POST /api/v1/records over 127.0.0.1).
#include <doctest/doctest.h>

#include <httplib.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/validate.h"
#include "server/groups.h"
#include "server/http_api.h"
#include "server/ingest.h"
#include "server/notices.h"
#include "server/slot_rules.h"
#include "pg_test_util.h"
#include "server_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

struct SqliteEngine {
    TempDir dir;
    bool ok = true;
    std::string spec() const { return dir / "server.db"; }
};

struct PgEngine {
    std::unique_ptr<PgSchema> schema;
    bool ok = false;
    PgEngine() {
        const std::string base = pg_base_url_or_skip();
        if (base.empty()) return;
        schema = std::make_unique<PgSchema>(base);
        ok = true;
    }
    std::string spec() const { return schema->url(); }
};

// The server's clock in these tests: Tuesday 2027-01-12 12:00 in Japan.
const std::int64_t kNow = *parse_local_jst("2027-01-12T12:00:00");
const std::string kProjectorSat = "slot-ohdono-projector-20270116-0900";

// A slot of the Ōdono centre's projector (or another resource). Bookings: registered groups
// from 2027-01-02 09:00 (優先予約), anyone from 2027-01-05, until the day before.
Activity slot(const std::string& id, const std::string& starts, const std::string& resource = "ohdono-projector",
              const std::string& type = "equipment") {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Slot;
    a.title = "プロジェクター " + starts;
    a.capacity = 1;
    a.centre_id = type == "consultation" ? "" : "ohdono";
    a.place = type == "consultation" ? "市役所 協働推進課 相談室" : "大殿地域交流センター 事務室";
    a.starts_at = starts;
    a.ends_at = starts.substr(0, 11) + "17:00";
    a.signup_opens = "2027-01-05";
    a.signup_closes = "2027-01-31";
    a.extra = Json{{"slot", {{"resource", resource}, {"resource_name", "プロジェクター"}, {"type", type},
                             {"priority_opens", "2027-01-02T09:00"}, {"blocked", false}, {"blocked_reason", ""}}}};
    return a;
}

// Saturday 01-16 morning (contested); the next slots of the same projector: the afternoon
// booked at the counter, Sunday blocked, Sunday afternoon for registered groups only until
// 01-19, Monday not open to anyone yet, then Friday 01-22 free; and the PA free on Saturday
// afternoon (another resource). Plus: a slot closed already, a consultation slot.
std::vector<Activity> slot_catalog() {
    std::vector<Activity> v;
    v.push_back(slot(kProjectorSat, "2027-01-16T09:00"));
    Activity taken = slot("slot-ohdono-projector-20270116-1300", "2027-01-16T13:00");
    taken.taken = 1;
    v.push_back(taken);
    Activity blocked = slot("slot-ohdono-projector-20270117-0900", "2027-01-17T09:00");
    blocked.extra["slot"]["blocked"] = true;
    blocked.extra["slot"]["blocked_reason"] = "点検";
    v.push_back(blocked);
    Activity groups_only = slot("slot-ohdono-projector-20270117-1300", "2027-01-17T13:00");
    groups_only.signup_opens = "2027-01-19";
    v.push_back(groups_only);
    Activity not_yet = slot("slot-ohdono-projector-20270118-0900", "2027-01-18T09:00");
    not_yet.signup_opens = "2027-01-20";
    not_yet.extra["slot"]["priority_opens"] = "2027-01-14T09:00";
    v.push_back(not_yet);
    v.push_back(slot("slot-ohdono-projector-20270122-0900", "2027-01-22T09:00"));
    v.push_back(slot("slot-ohdono-pa-20270116-1300", "2027-01-16T13:00", "ohdono-pa"));
    Activity closed = slot("slot-ohdono-projector-20270111-0900", "2027-01-11T09:00");
    closed.signup_closes = "2027-01-10";
    v.push_back(closed);
    Activity consult = slot("slot-kyodo-soudan-20270114-1000", "2027-01-14T10:00", "kyodo-soudan", "consultation");
    consult.ends_at = "2027-01-14T11:00";
    consult.extra["slot"]["priority_opens"] = "";
    v.push_back(consult);
    return v;
}

// A booking of `slot_id` ("" group: as a resident, no registered group), notices wanted.
Record booking(const KeyPair& keys, const std::string& kiosk, const std::string& group, const std::string& who,
               const std::string& slot_id = kProjectorSat) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::SignUp;
    r.created_at = rfc3339_utc(kNow - 3600 * 1000);   // made offline an hour before it arrives
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"activity_id", slot_id}, {"activity_version", 1}, {"party_size", 1}, {"note", ""},
                 {"check_code", "5307"}, {"purpose", "総会でスライドを映す"}, {"notify", true}, {"lang", "ja"}};
    if (!group.empty()) r.payload["group"] = group;
    Personal p{who, "だいひょう", "083-922-0000", "booker@example.jp"};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record group_application(const KeyPair& keys, const std::string& name, const std::string& kind) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::GroupRegistration;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"name", name}, {"kind", kind}, {"members", 30}, {"consent", true}};
    Personal p{"代表 太郎", "だいひょう たろう", "083-922-0001", ""};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
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
        CatalogDelta d = small_catalog();
        for (Activity& a : slot_catalog()) d.activities.push_back(std::move(a));
        st->import_catalog(d);
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
        st->enrol_device("k2", "ohdono", sha256_hex("token-2"), rfc3339_now());
        // Two registered groups: G-0001 (a 町内会) and G-0002 (a circle).
        Record town = group_application(keys, "大殿町内会", "neighbourhood");
        Record circle = group_application(keys, "絵手紙サークル", "circle");
        REQUIRE(push("k1", {town, circle}).stored == 2);
        REQUIRE(st->groups().approve(town.id, "staff1", rfc3339_now()) == "G-0001");
        REQUIRE(st->groups().approve(circle.id, "staff1", rfc3339_now()) == "G-0002");
    }
    IngestResult push(const std::string& kiosk, const std::vector<Record>& recs) {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        PushMeta m;
        m.kiosk_id = kiosk;
        m.received_at = rfc3339_utc(kNow);
        return ingest_batch(*st, keys, m, arr, kNow);
    }
    // One booking pushed alone: its answer.
    RecordAnswer push1(const std::string& kiosk, const Record& r) {
        auto res = push(kiosk, {r});
        REQUIRE(res.answers.size() == 1);
        return res.answers[0];
    }
    std::vector<Notice> notices_of(const Record& r) { return st->notices().notices(r.id, 10); }
};

}  // namespace

TEST_CASE("booking: a sign-up may name its registered group; anything else is refused") {
    const KeyPair& keys = test_keys();
    Record r = booking(keys, "k1", "G-0001", "中村 和夫");
    Personal p{"中村 和夫", "だいひょう", "083-922-0000", ""};
    CHECK(validate_record(r, &p).ok());
    for (const char* bad : {"0001", "G-", "G-00a1", "g-0001", "G-0000000000001"}) {
        Record b = r;
        b.payload["group"] = bad;
        INFO(bad);
        CHECK(validate_record(b, &p).summary().find("payload.group") == 0);
    }
}

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE_TEMPLATE("booking engines: two offline kiosks book one slot; first to reach the server holds it", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // Both made while offline (k2's a minute earlier, which does not matter: arrival order does).
    Record town = booking(f.keys, "k2", "G-0001", "中村 和夫");
    Record circle = booking(f.keys, "k1", "G-0002", "小林 花子");
    auto first = f.push("k1", {circle});
    REQUIRE(first.answers.size() == 1);
    CHECK(first.answers[0].result == "stored");
    CHECK(first.answers[0].signup_status == "confirmed");
    auto second = f.push("k2", {town});   // k2 comes online later: it is told at this sync
    REQUIRE(second.answers.size() == 1);
    CHECK(second.answers[0].result == "stored");
    CHECK(second.answers[0].signup_status == "waitlisted");
    // Replays (lost answers) change nothing and repeat the same answers.
    auto again1 = f.push("k1", {circle});
    CHECK(again1.answers[0].result == "duplicate");
    CHECK(again1.answers[0].signup_status == "confirmed");
    auto again2 = f.push("k2", {town});
    CHECK(again2.answers[0].result == "duplicate");
    CHECK(again2.answers[0].signup_status == "waitlisted");
    // Exactly one holder.
    int confirmed = 0, waiting = 0;
    for (const Record* r : {&circle, &town}) {
        auto s = f.st->record(r->id);
        REQUIRE(s.has_value());
        confirmed += s->signup_status == "confirmed";
        waiting += s->signup_status == "waitlisted";
    }
    CHECK(confirmed == 1);
    CHECK(waiting == 1);
    CHECK(f.st->record(circle.id)->signup_status == "confirmed");

    // The loser's notice says the slot was taken and names the next free slot of the same
    // projector for a registered group at the server's clock: Saturday afternoon is taken,
    // Sunday morning blocked, Sunday afternoon is in its 優先予約 window — a group may take it.
    CHECK(f.notices_of(circle).empty());
    auto ns = f.notices_of(town);
    REQUIRE(ns.size() == 1);   // the replay queued no second one
    CHECK(ns[0].kind == "slot_taken");
    const Json d = Json::parse(ns[0].detail);
    CHECK(d["activity_id"] == kProjectorSat);
    CHECK(d["resource_name"] == "プロジェクター");
    CHECK(d["next"]["activity_id"] == "slot-ohdono-projector-20270117-1300");
    auto stored = f.st->record(town.id);
    REQUIRE(stored.has_value());
    auto mail = render_notice(ns[0], stored->payload, stored->personal, stored->receipt);
    REQUIRE(mail.has_value());
    CHECK(mail->to == "booker@example.jp");
    CHECK(mail->subject.find("予約できませんでした") != std::string::npos);
    CHECK(mail->body.find("1月17日") != std::string::npos);     // the next free slot's day
    CHECK(mail->body.find(stored->receipt) != std::string::npos);

    // A resident (no group) who also lost it is offered Friday 01-22: Sunday afternoon is for
    // groups only and Monday not open to anyone yet.
    Record resident = booking(f.keys, "k1", "", "佐藤 次郎");
    CHECK(f.push1("k1", resident).signup_status == "waitlisted");
    auto rn = f.notices_of(resident);
    REQUIRE(rn.size() == 1);
    CHECK(Json::parse(rn[0].detail)["next"]["activity_id"] == "slot-ohdono-projector-20270122-0900");
}

TEST_CASE_TEMPLATE("booking engines: the loser's notice says so when no slot is left", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    // Friday 01-22 is the projector's last slot: nothing after it.
    const std::string last = "slot-ohdono-projector-20270122-0900";
    CHECK(f.push1("k1", booking(f.keys, "k1", "G-0002", "小林 花子", last)).signup_status == "confirmed");
    Record late = booking(f.keys, "k2", "G-0001", "中村 和夫", last);
    CHECK(f.push1("k2", late).signup_status == "waitlisted");
    auto ns = f.notices_of(late);
    REQUIRE(ns.size() == 1);
    CHECK(Json::parse(ns[0].detail)["next"].is_null());
    auto stored = f.st->record(late.id);
    auto mail = render_notice(ns[0], stored->payload, stored->personal, stored->receipt);
    REQUIRE(mail.has_value());
    CHECK(mail->body.find("空き枠はありません") != std::string::npos);
    // A booker who asked for no notices gets none (and is still told at the kiosk's sync).
    Record quiet = booking(f.keys, "k2", "G-0001", "中村 和夫", last);
    quiet.payload["notify"] = false;
    Personal p{"中村 和夫", "だいひょう", "083-922-0000", "booker@example.jp"};
    quiet.sealed = seal_personal(p, f.keys.public_key_b64);
    CHECK(f.push1("k2", quiet).signup_status == "waitlisted");
    CHECK(f.notices_of(quiet).empty());
}

TEST_CASE_TEMPLATE("booking engines: blocked, not open yet, 優先予約 for registered groups, closed", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    auto refused = [&](const Record& r, const char* code) {
        const RecordAnswer a = f.push1("k1", r);
        CHECK(a.result == "rejected");
        CHECK(a.code == code);
        CHECK_FALSE(f.st->record(r.id).has_value());   // nothing stored
        return a;
    };
    // Blocked by staff: nobody, group or not.
    const std::string blocked = "slot-ohdono-projector-20270117-0900";
    CHECK(refused(booking(f.keys, "k1", "G-0001", "中村 和夫", blocked), "slot_blocked").message.find("点検") !=
          std::string::npos);
    refused(booking(f.keys, "k1", "", "佐藤 次郎", blocked), "slot_blocked");
    // In the 優先予約 window: a resident without a group is refused, a registered group is confirmed.
    const std::string groups_only = "slot-ohdono-projector-20270117-1300";
    refused(booking(f.keys, "k1", "", "佐藤 次郎", groups_only), "not_open_yet");
    CHECK(f.push1("k1", booking(f.keys, "k1", "G-0001", "中村 和夫", groups_only)).signup_status == "confirmed");
    // Before any window: a registered group too is refused.
    const std::string not_yet = "slot-ohdono-projector-20270118-0900";
    refused(booking(f.keys, "k1", "G-0001", "中村 和夫", not_yet), "not_open_yet");
    // An unknown group is refused as such even where the window would let a group in.
    refused(booking(f.keys, "k1", "G-0099", "山田 一郎", not_yet), "unknown_group");
    // Past its last day for bookings.
    refused(booking(f.keys, "k1", "G-0001", "中村 和夫", "slot-ohdono-projector-20270111-0900"), "closed");
    // A slot is one place.
    Record two = booking(f.keys, "k1", "G-0001", "中村 和夫", "slot-ohdono-pa-20270116-1300");
    two.payload["party_size"] = 2;
    Personal p{"中村 和夫", "だいひょう", "083-922-0000", "booker@example.jp"};
    two.sealed = seal_personal(p, f.keys.public_key_b64);
    refused(two, "out_of_range");
    // Open: anyone may book; ordinary activities are untouched by the slot rules.
    CHECK(f.push1("k1", booking(f.keys, "k1", "", "佐藤 次郎", "slot-ohdono-pa-20270116-1300")).signup_status ==
          "confirmed");
    CHECK(f.push1("k1", sign_up(f.keys, "ev-open", 3)).signup_status == "confirmed");
}

TEST_CASE_TEMPLATE("booking engines: a consultation booking with its topic; replays are duplicates", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record r = booking(f.keys, "k1", "", "佐藤 次郎", "slot-kyodo-soudan-20270114-1000");
    r.payload.erase("purpose");
    r.payload["topic"] = "starting";
    r.payload["topic_text"] = "子ども食堂を始めたい。場所と助成金について聞きたい。";
    Personal p{"佐藤 次郎", "さとう じろう", "083-922-0002", "jiro@example.jp"};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, f.keys.public_key_b64);
    const RecordAnswer a = f.push1("k1", r);
    CHECK(a.result == "stored");
    CHECK(a.signup_status == "confirmed");
    auto stored = f.st->record(r.id);
    REQUIRE(stored.has_value());
    const Json payload = Json::parse(stored->payload);
    CHECK(payload["topic"] == "starting");
    CHECK(payload["topic_text"] == "子ども食堂を始めたい。場所と助成金について聞きたい。");
    const RecordAnswer again = f.push1("k1", r);
    CHECK(again.result == "duplicate");
    CHECK(again.signup_status == "confirmed");
    // A topic that is not one of the codes is refused by the validator, before storage.
    Record bad = r;
    bad.id = new_uuid_v7();
    bad.payload["topic"] = "税金";
    CHECK(f.push1("k1", bad).code == "bad_format");
}

TEST_CASE_TEMPLATE("booking engines: POST /api/v1/records applies the same rules at the server's clock", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    ApiOptions o;
    o.clock = [] { return kNow; };
    BackgroundServer bg(*f.st, f.keys, o);
    httplib::Client cli("127.0.0.1", bg.port());
    cli.set_connection_timeout(5);
    cli.set_read_timeout(10);
    auto post = [&](const std::string& kiosk, const std::string& token, const std::vector<Record>& recs) {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        auto res = cli.Post("/api/v1/records", {{"Authorization", "Bearer " + token}},
                            Json{{"kiosk_id", kiosk}, {"app_version", "0.1.0"}, {"backlog", 0}, {"records", arr}}.dump(),
                            "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return Json::parse(res->body)["results"];
    };
    Record blocked = booking(f.keys, "k1", "G-0001", "中村 和夫", "slot-ohdono-projector-20270117-0900");
    Record early = booking(f.keys, "k1", "", "佐藤 次郎", "slot-ohdono-projector-20270117-1300");
    Record first = booking(f.keys, "k1", "G-0002", "小林 花子");
    Json r1 = post("k1", "token-1", {blocked, early, first});
    REQUIRE(r1.size() == 3);
    CHECK(r1[0]["code"] == "slot_blocked");
    CHECK(r1[1]["code"] == "not_open_yet");
    CHECK(r1[2]["signup_status"] == "confirmed");
    Record second = booking(f.keys, "k2", "G-0001", "中村 和夫");
    Json r2 = post("k2", "token-2", {second});
    CHECK(r2[0]["result"] == "stored");
    CHECK(r2[0]["signup_status"] == "waitlisted");
    Json r3 = post("k2", "token-2", {second});   // the answer was lost: the kiosk sends it again
    CHECK(r3[0]["result"] == "duplicate");
    CHECK(r3[0]["signup_status"] == "waitlisted");
    auto ns = f.notices_of(second);
    REQUIRE(ns.size() == 1);
    CHECK(Json::parse(ns[0].detail)["next"]["activity_id"] == "slot-ohdono-projector-20270117-1300");
    bg.stop();
}

TEST_CASE_TEMPLATE("booking engines: only a registered group may book", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record stranger = booking(f.keys, "k1", "G-0099", "山田 一郎");
    auto a = f.push("k1", {stranger});
    REQUIRE(a.answers.size() == 1);
    CHECK(a.answers[0].result == "rejected");
    CHECK(a.answers[0].code == "unknown_group");
    CHECK_FALSE(f.st->record(stranger.id).has_value());
    // The slot is still free for a registered group.
    auto b = f.push("k1", {booking(f.keys, "k1", "G-0001", "中村 和夫")});
    CHECK(b.answers[0].signup_status == "confirmed");
}

TEST_CASE_TEMPLATE("booking engines: a centre's quota share never lends a slot to a kiosk; an explicit quota does", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    f.st->set_quota_share("ohdono", 100);
    auto lent = [&](const std::string& kiosk) {
        std::set<std::string> ids;
        for (const auto& g : f.st->exchange_quotas(kiosk, {}, kNow).quotas) ids.insert(g.activity_id);
        return ids;
    };
    const auto k1 = lent("k1");
    CHECK(k1.count("ev-small") == 1);   // listings get their share as before
    for (const Activity& s : slot_catalog()) CHECK_MESSAGE(k1.count(s.id) == 0, s.id);
    // Staff may still lend one on purpose.
    f.st->set_quota_override("slot-ohdono-projector-20270122-0900", "k2", 1);
    const auto k2 = lent("k2");
    CHECK(k2.count("slot-ohdono-projector-20270122-0900") == 1);
    CHECK(k2.count(kProjectorSat) == 0);
}
