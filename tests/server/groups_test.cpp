// Group registration (server/groups.h, issue 11 point 2) on both storage engines: an
// application arrives exactly once through the ordinary ingest (a repeated push is answered
// "duplicate" and stores nothing), its representative is kept only sealed (the SQLite file
// holds no readable name or phone), staff approve it (registration numbers in order, never
// twice) or return it with a reason, each application is decided once, and filters find it.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/groups.h"
#include "core/seal.h"
#include "core/store.h"
#include "core/validate.h"
#include "server/groups.h"
#include "server/ingest.h"
#include "engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

const char* const kRep = "中村 和夫";
const char* const kRepPhone = "083-922-6071";

Record make_group(const KeyPair& keys, const std::string& name, const std::string& kind,
                  const std::string& rep = kRep, const std::string& phone = kRepPhone) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::GroupRegistration;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"name", name},
                 {"kana", "おおどのちょうないかい"},
                 {"kind", kind},
                 {"fields", Json::array({"防災", "高齢者"})},
                 {"members", 120},
                 {"centre_id", "ohdono"},
                 {"description", "大殿地区の町内会です。防災訓練と見守り活動をしています。"},
                 {"consent", true},
                 {"check_code", "5307"}};
    Personal p{rep, "なかむら かずお", phone, ""};
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
};

}  // namespace

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE("groups: the vocabulary and the record kind validate as documented") {
    CHECK(groups::is_group_kind("neighbourhood"));
    CHECK(groups::is_group_kind("npo"));
    CHECK(groups::is_group_kind("circle"));
    CHECK(groups::is_group_kind("company"));
    CHECK_FALSE(groups::is_group_kind("町内会"));
    CHECK(groups::kind_label_ja("neighbourhood") == "町内会・自治会");
    CHECK(groups::registration_number(7) == "G-0007");
    CHECK(groups::organization_id("G-0007") == "grp-g0007");
    CHECK(std::string(to_code(RecordKind::GroupRegistration)) == "group_registration");
    CHECK(record_kind_from_code("group_registration") == RecordKind::GroupRegistration);

    const KeyPair& keys = test_keys();
    Record r = make_group(keys, "大殿町内会", "neighbourhood");
    Personal p{kRep, "なかむら かずお", kRepPhone, ""};
    CHECK(validate_record(r, &p).ok());
    Record bad = r;
    bad.payload["kind"] = "cult";
    CHECK(validate_record(bad, &p).summary().find("payload.kind") == 0);
    bad = r;
    bad.payload["members"] = 0;
    CHECK_FALSE(validate_record(bad, &p).ok());
    bad = r;
    bad.payload["consent"] = false;
    CHECK_FALSE(validate_record(bad, &p).ok());
    bad = r;
    bad.payload.erase("name");
    CHECK_FALSE(validate_record(bad, &p).ok());
    Personal no_contact{kRep, "なかむら かずお", "", ""};
    CHECK_FALSE(validate_record(r, &no_contact).ok());
    Personal no_kana{kRep, "", kRepPhone, ""};
    CHECK_FALSE(validate_record(r, &no_kana).ok());
}

TEST_CASE_TEMPLATE("groups engines: an application is stored once, its representative only sealed", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record g = make_group(f.keys, "大殿町内会", "neighbourhood");
    auto a = f.push({g});
    REQUIRE(a.stored == 1);
    auto again = f.push({g});   // the kiosk never heard the answer and sends again
    CHECK(again.duplicate == 1);
    CHECK(again.stored == 0);
    auto again2 = f.push({g, g});
    CHECK(again2.stored == 0);
    auto apps = f.st->groups().applications();
    REQUIRE(apps.size() == 1);
    CHECK(apps[0].state == "pending");
    CHECK(apps[0].receipt == receipt_number(g.id));
    CHECK(apps[0].payload.value("name", "") == "大殿町内会");
    CHECK(apps[0].payload.value("check_code", "") == "5307");
    // Kept sealed: the stored record has no opened personal part, and the box opens with the key.
    auto rec = f.st->record(g.id);
    REQUIRE(rec.has_value());
    CHECK(rec->personal.empty());
    CHECK(rec->sealed == g.sealed);
    auto opened = open_personal(apps[0].sealed, f.keys);
    REQUIRE(opened.has_value());
    CHECK(opened->name == kRep);
    CHECK(opened->phone == kRepPhone);
}

TEST_CASE_TEMPLATE("groups engines: staff approve (numbers in order) or return with a reason, once", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record town = make_group(f.keys, "大殿町内会", "neighbourhood");
    Record npo = make_group(f.keys, "NPO法人 ふくしネット", "npo", "田中 ゆみ", "090-3333-4444");
    Record circle = make_group(f.keys, "絵手紙サークル", "circle", "小林 花子", "090-5555-6666");
    REQUIRE(f.push({town, npo, circle}).stored == 3);
    const std::string now = rfc3339_now();
    CHECK(f.st->groups().approve(town.id, "staff1", now) == "G-0001");
    CHECK(f.st->groups().approve(town.id, "staff1", now) == "");            // decided once
    CHECK_FALSE(f.st->groups().return_application(town.id, "x", "staff1", now));
    CHECK_FALSE(f.st->groups().return_application(circle.id, "", "staff1", now));   // a reason is required
    CHECK(f.st->groups().return_application(circle.id, "会則の写しが必要です", "staff1", now));
    CHECK(f.st->groups().approve(circle.id, "staff1", now) == "");          // returned stays returned
    CHECK(f.st->groups().approve(npo.id, "staff2", now) == "G-0002");
    CHECK(f.st->groups().approve("no-such-id", "staff2", now) == "");

    auto t = f.st->groups().application(town.id);
    REQUIRE(t.has_value());
    CHECK(t->state == "approved");
    CHECK(t->number == "G-0001");
    CHECK(t->decided_by == "staff1");
    auto c = f.st->groups().application(circle.id);
    REQUIRE(c.has_value());
    CHECK(c->state == "returned");
    CHECK(c->reason == "会則の写しが必要です");
    CHECK(c->number.empty());

    // A repeated push after the decision changes nothing.
    auto again = f.push({town, npo, circle});
    CHECK(again.duplicate == 3);
    CHECK(f.st->groups().application(town.id)->number == "G-0001");

    // Filters.
    CHECK(search_groups(f.st->groups(), {"approved", "", "", ""}).size() == 2);
    CHECK(search_groups(f.st->groups(), {"returned", "", "", ""}).size() == 1);
    CHECK(search_groups(f.st->groups(), {"", "npo", "", ""}).size() == 1);
    CHECK(search_groups(f.st->groups(), {"", "", "防災", ""}).size() == 3);
    CHECK(search_groups(f.st->groups(), {"", "", "環境", ""}).empty());
    CHECK(search_groups(f.st->groups(), {"", "", "", "ohdono"}).size() == 3);
    CHECK(search_groups(f.st->groups(), {"", "", "", "yuda"}).empty());

    // The directory entry: the group, its number and its application's receipt; never the representative.
    const Organization o = group_organization(*t);
    CHECK(o.id == "grp-g0001");
    CHECK(o.type == "町内会・自治会");
    CHECK(o.registration == "G-0001");
    CHECK(o.application == receipt_number(town.id));
    const std::string dumped = to_json(o).dump();
    CHECK(dumped.find(kRep) == std::string::npos);
    CHECK(dumped.find(kRepPhone) == std::string::npos);
}

TEST_CASE("groups sqlite: the representative's name and phone are not in the database files") {
    Fx<SqliteEngine> f;
    Record g = make_group(f.keys, "大殿町内会", "neighbourhood");
    REQUIRE(f.push({g}).stored == 1);
    REQUIRE(f.push({g}).duplicate == 1);
    REQUIRE(f.st->groups().approve(g.id, "staff1", rfc3339_now()) == "G-0001");
    f.st.reset();   // close: everything is in the files
    bool read_any = false;
    for (const char* suffix : {"", "-wal", "-journal"}) {
        std::ifstream in(f.eng.spec() + suffix, std::ios::binary);
        if (!in) continue;
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO("file server.db" << suffix);
        read_any = read_any || bytes.find("大殿町内会") != std::string::npos;   // the group itself is there
        CHECK(bytes.find(kRep) == std::string::npos);
        CHECK(bytes.find(kRepPhone) == std::string::npos);
        CHECK(bytes.find("なかむら") == std::string::npos);
    }
    CHECK(read_any);   // the test reads the files it means to (the group name is public and stored)
}
