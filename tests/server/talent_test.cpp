// The talent bank (server/talent.h, issue 11 point 1) on both storage engines: registrations
// arrive exactly once through the ordinary ingest, staff search them by skill / field / area /
// time, propose a match and record its outcome, and a withdrawal erases the person at city
// hall (payload, sealed box, opened personal fields, matches) with an audit entry — also when
// the withdrawal arrives before its registration, and never with a wrong check code.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/store.h"
#include "core/talent.h"
#include "core/validate.h"
#include "server/ingest.h"
#include "server/talent.h"
#include "engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

const char* const kTeacher = "佐藤 恵子";
const char* const kTeacherPhone = "083-920-4417";

Record make_talent(const KeyPair& keys, const std::string& name, const std::string& furigana, Json help, Json areas,
              Json times, const std::string& code = "4821", const std::string& note = "元中学校教師（数学）") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Talent;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"help", std::move(help)},   {"fields", Json::array({"教育・生涯学習"})},
                 {"areas", std::move(areas)}, {"times", std::move(times)},
                 {"note", note},              {"contact_by", "phone"},
                 {"consent", true},           {"check_code", code}};
    Personal p{name, furigana, name == kTeacher ? kTeacherPhone : "090-1111-2222", ""};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record withdrawal(const std::string& receipt, const std::string& code) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::TalentWithdrawal;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"receipt", receipt}, {"check_code", code}};
    REQUIRE(validate_record(r, nullptr).ok());
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
        st->import_catalog(small_catalog());
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
    // Everything the storage can say about a record, as text, to look for the person in.
    std::string everything(const std::string& id) {
        std::string out;
        if (auto r = st->record(id)) out += r->payload + "|" + r->sealed + "|" + r->personal;
        for (const auto& e : st->talent().registrations()) out += e.payload.dump() + e.personal.dump();
        for (const auto& m : st->talent().matches()) out += m.note;
        return out;
    }
};

}  // namespace

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE("talent: the vocabulary and the record kinds validate as documented") {
    CHECK(talent::is_help_kind("teaching"));
    CHECK(talent::is_help_kind("manual"));
    CHECK_FALSE(talent::is_help_kind("astrology"));
    CHECK(talent::help_kinds().size() >= 10);
    CHECK(talent::time_slots().size() == 6);
    CHECK(std::string(to_code(RecordKind::Talent)) == "talent");
    CHECK(record_kind_from_code("talent_withdrawal") == RecordKind::TalentWithdrawal);

    const KeyPair& keys = test_keys();
    Record r = make_talent(keys, kTeacher, "さとう けいこ", {"teaching"}, {"ohdono"}, {"weekday_am"});
    Personal p{kTeacher, "さとう けいこ", kTeacherPhone, ""};
    CHECK(validate_record(r, &p).ok());
    Record bad = r;
    bad.payload["help"] = Json::array({"astrology"});
    CHECK(validate_record(bad, &p).summary().find("payload.help[0]") == 0);
    bad = r;
    bad.payload["consent"] = false;
    CHECK_FALSE(validate_record(bad, &p).ok());
    bad = r;
    bad.payload["times"] = Json::array();
    CHECK_FALSE(validate_record(bad, &p).ok());
    Personal no_contact{kTeacher, "さとう けいこ", "", ""};
    CHECK_FALSE(validate_record(r, &no_contact).ok());

    Record w = withdrawal("7KQ3-M9TX", "1234");
    CHECK(validate_record(w, nullptr).ok());
    w.payload["check_code"] = "12a4";
    CHECK_FALSE(validate_record(w, nullptr).ok());
    w.payload["check_code"] = "1234";
    w.sealed = seal_personal(p, keys.public_key_b64);
    CHECK_FALSE(validate_record(w, nullptr).ok());   // a withdrawal carries no personal data
}

TEST_CASE_TEMPLATE("talent engines: a registration is stored once and found by skill, field, area and time", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record teacher = make_talent(f.keys, kTeacher, "さとう けいこ", {"teaching", "it"}, {"ohdono"}, {"weekday_am", "weekend_pm"});
    Record mover = make_talent(f.keys, "山本 大輔", "やまもと だいすけ", {"manual"}, {"citywide"}, {"weekend_am"}, "0042", "");
    auto a = f.push({teacher, mover});
    REQUIRE(a.stored == 2);
    auto again = f.push({teacher, mover});   // the kiosk never heard the answer and sends again
    CHECK(again.duplicate == 2);
    CHECK(again.stored == 0);
    CHECK(f.st->talent().registrations().size() == 2);

    auto names = [&](TalentQuery q) {
        std::vector<std::string> out;
        for (const auto& e : search_talent(f.st->talent(), q)) out.push_back(e.personal.value("name", ""));
        return out;
    };
    CHECK(names({"teaching", "", "", ""}) == std::vector<std::string>{kTeacher});
    CHECK(names({"", "教育・生涯学習", "", ""}).size() == 2);
    CHECK(names({"", "", "ohdono", ""}).size() == 2);          // "citywide" covers every centre
    CHECK(names({"", "", "yuda", ""}) == std::vector<std::string>{"山本 大輔"});
    CHECK(names({"", "", "", "weekday_am"}) == std::vector<std::string>{kTeacher});
    CHECK(names({"manual", "", "", "weekday_am"}).empty());
    auto e = f.st->talent().registration(teacher.id);
    REQUIRE(e.has_value());
    CHECK(e->receipt == receipt_number(teacher.id));
    CHECK(e->personal.value("phone", "") == kTeacherPhone);
    CHECK(e->payload.value("check_code", "") == "4821");
}

TEST_CASE_TEMPLATE("talent engines: staff propose a match and record its outcome", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record teacher = make_talent(f.keys, kTeacher, "さとう けいこ", {"teaching"}, {"ohdono"}, {"weekday_am"});
    REQUIRE(f.push({teacher}).stored == 1);
    const auto id = f.st->talent().propose_match(teacher.id, "ev-open", "学習支援の講師として紹介", "tanaka", rfc3339_now());
    REQUIRE(id > 0);
    CHECK(f.st->talent().propose_match("no-such-registration", "ev-open", "", "tanaka", rfc3339_now()) == 0);
    CHECK(f.st->talent().set_match_outcome(id, "accepted", "7月から毎週火曜", "tanaka", rfc3339_now()));
    CHECK_FALSE(f.st->talent().set_match_outcome(id, "maybe", "", "tanaka", rfc3339_now()));
    CHECK_FALSE(f.st->talent().set_match_outcome(id + 1000, "done", "", "tanaka", rfc3339_now()));
    auto ms = f.st->talent().matches();
    REQUIRE(ms.size() == 1);
    CHECK(ms[0].registration_id == teacher.id);
    CHECK(ms[0].request_id == "ev-open");
    CHECK(ms[0].outcome == "accepted");
    CHECK(ms[0].note == "7月から毎週火曜");
    CHECK(ms[0].proposed_by == "tanaka");
}

TEST_CASE_TEMPLATE("talent engines: a withdrawal erases the person, keeps exactly-once, and is audited", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record teacher = make_talent(f.keys, kTeacher, "さとう けいこ", {"teaching"}, {"ohdono"}, {"weekday_am"});
    Record other = make_talent(f.keys, "山本 大輔", "やまもと だいすけ", {"manual"}, {"citywide"}, {"weekend_am"}, "0042", "");
    REQUIRE(f.push({teacher, other}).stored == 2);
    REQUIRE(f.st->talent().propose_match(teacher.id, "ev-open", "佐藤さんを紹介", "tanaka", rfc3339_now()) > 0);
    const std::string receipt = receipt_number(teacher.id);

    // A wrong check code changes nothing, and says so.
    Record wrong = withdrawal(receipt, "9999");
    CHECK(f.push({wrong}).stored == 1);
    CHECK(f.everything(teacher.id).find(kTeacher) != std::string::npos);
    auto ws = f.st->talent().withdrawals();
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].state == "mismatch");

    Record w = withdrawal(receipt, "4821");
    auto a = f.push({w});
    CHECK(a.answers[0].result == "stored");
    const std::string left = f.everything(teacher.id);
    CHECK(left.find(kTeacher) == std::string::npos);
    CHECK(left.find(kTeacherPhone) == std::string::npos);
    CHECK(left.find("元中学校教師") == std::string::npos);
    CHECK(left.find("佐藤さんを紹介") == std::string::npos);
    auto stored = f.st->record(teacher.id);
    REQUIRE(stored.has_value());
    CHECK(stored->payload == "{}");
    CHECK(stored->sealed.empty());
    CHECK(stored->personal.empty());
    CHECK(f.st->talent().registrations().size() == 1);   // the other resident stays
    CHECK(f.st->talent().matches().empty());

    // The kiosk sends the registration and the withdrawal again (lost answers): duplicates,
    // nothing comes back.
    auto again = f.push({teacher, w});
    CHECK(again.answers[0].result == "duplicate");
    CHECK(again.answers[1].result == "duplicate");
    CHECK(f.everything(teacher.id).find(kTeacher) == std::string::npos);
    CHECK(f.st->talent().registrations().size() == 1);

    int audited = 0;
    for (const auto& e : f.st->admin().audit_log(100))
        if (e.action == "talent_withdrawn" && e.target == teacher.id) {
            ++audited;
            CHECK(e.detail.find(receipt) != std::string::npos);
            CHECK(e.detail.find(kTeacher) == std::string::npos);
        }
    CHECK(audited == 1);
    ws = f.st->talent().withdrawals();
    REQUIRE(ws.size() == 2);
    CHECK(ws[1].state == "done");
    CHECK(ws[1].registration_id == teacher.id);
}

TEST_CASE_TEMPLATE("talent engines: a withdrawal that arrives before its registration is applied when it comes", E,
                   KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record teacher = make_talent(f.keys, kTeacher, "さとう けいこ", {"teaching"}, {"ohdono"}, {"weekday_am"});
    Record w = withdrawal(receipt_number(teacher.id), "4821");
    REQUIRE(f.push({w}).stored == 1);
    REQUIRE(f.st->talent().withdrawals().at(0).state == "pending");
    auto a = f.push({teacher});
    CHECK(a.answers[0].result == "stored");
    CHECK(f.st->talent().registrations().empty());
    CHECK(f.everything(teacher.id).find(kTeacher) == std::string::npos);
    CHECK(f.st->talent().withdrawals().at(0).state == "done");
}

TEST_CASE("talent sqlite: after a withdrawal the person's name is not in the database files") {
    Fx<SqliteEngine> f;
    Record teacher = make_talent(f.keys, kTeacher, "さとう けいこ", {"teaching"}, {"ohdono"}, {"weekday_am"});
    REQUIRE(f.push({teacher}).stored == 1);
    REQUIRE(f.push({withdrawal(receipt_number(teacher.id), "4821")}).stored == 1);
    f.st.reset();   // close: everything is in the files
    for (const char* suffix : {"", "-wal", "-journal"}) {
        std::ifstream in(f.eng.spec() + suffix, std::ios::binary);
        if (!in) continue;
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO("file server.db" << suffix);
        CHECK(bytes.find(kTeacher) == std::string::npos);
        CHECK(bytes.find(kTeacherPhone) == std::string::npos);
    }
}
