// Things city hall gives away (server/items.h, issue 11 point 4) on both storage engines: a
// request arrives exactly once through the ordinary ingest (re-sent: "duplicate", changed under
// the same id: "conflict"), its contact person is kept only sealed, it is rejected before
// storage when the group is not registered or the item is unknown, closed or gone, and staff
// decide each request once: granted with a quantity (the item's remaining units go down, and
// kiosks see it at their next pull) or declined with a reason.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/items.h"
#include "core/seal.h"
#include "core/validate.h"
#include "server/groups.h"
#include "server/ingest.h"
#include "server/items.h"
#include "engines.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

const char* const kContact = "吉村 弘子";
const char* const kContactPhone = "083-925-4410";

Activity item(const std::string& id, const std::string& title, int units, const std::string& closes = "") {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Item;
    a.title = title;
    a.capacity = units;
    a.centre_id = "ohdono";
    a.place = "市役所 本館1階 管財課";
    a.signup_closes = closes;
    a.extra = {{"item", {{"condition", "使用感あり"}, {"category", "机・椅子"}}}};
    return a;
}

CatalogDelta catalog() {
    CatalogDelta d = small_catalog();
    d.activities.push_back(item("item-desk", "事務机", 4));
    d.activities.push_back(item("item-board", "ホワイトボード", 1));
    d.activities.push_back(item("item-old", "印刷機", 2, "2020-03-31"));   // past its deadline
    return d;
}

Record request(const KeyPair& keys, const std::string& item_id, const std::string& group, int quantity,
               const std::string& kiosk = "k1") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::ItemRequest;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = kiosk == "k1" ? "ohdono" : "yuda";
    r.payload = {{"item_id", item_id}, {"group", group}, {"quantity", quantity},
                 {"purpose", "子ども食堂の配膳に使います"}, {"check_code", "2741"}};
    Personal p{kContact, "よしむら ひろこ", kContactPhone, ""};
    REQUIRE(validate_record(r, &p).ok());
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record group_application(const KeyPair& keys, const std::string& name) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::GroupRegistration;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"name", name}, {"kind", "neighbourhood"}, {"members", 80}, {"consent", true}};
    Personal p{"中村 和夫", "なかむら かずお", "083-922-6071", ""};
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
        st->import_catalog(catalog());
        st->enrol_device("k1", "ohdono", sha256_hex("token-1"), rfc3339_now());
        st->enrol_device("k2", "yuda", sha256_hex("token-2"), rfc3339_now());
        // G-0001 approved; a second group applied and is still pending.
        Record town = group_application(keys, "大殿町内会");
        Record pending = group_application(keys, "湯田子ども会");
        REQUIRE(push({town, pending}).stored == 2);
        REQUIRE(st->groups().approve(town.id, "staff1", rfc3339_now()) == "G-0001");
    }
    IngestResult push(const std::vector<Record>& recs, const std::string& kiosk = "k1") {
        Json arr = Json::array();
        for (const auto& r : recs) arr.push_back(to_json(r));
        PushMeta m;
        m.kiosk_id = kiosk;
        m.received_at = rfc3339_now();
        return ingest_batch(*st, keys, m, arr, now_millis());
    }
    int taken(const std::string& id) {
        const Json cat = st->catalog_since(0);
        for (const Json& a : cat["activities"])
            if (a.value("id", "") == id) return a.value("taken", -1);
        return -1;
    }
};

}  // namespace

#define KYODO_ENGINES SqliteEngine, PgEngine

TEST_CASE("items: what is left and whether requests are taken") {
    Activity a = item("i", "長机", 3, "2026-12-20");
    const std::int64_t before = *parse_local_jst("2026-12-20T23:59");
    const std::int64_t after = *parse_local_jst("2026-12-21");
    CHECK(items::remaining(a) == 3);
    CHECK(items::availability(a, before) == items::Availability::Open);   // a date counts to the end of the day
    CHECK(items::availability(a, after) == items::Availability::Closed);
    a.signup_closes = "2026-12-20T12:00";
    CHECK(items::availability(a, *parse_local_jst("2026-12-20T12:00")) == items::Availability::Closed);
    a.signup_closes = "";
    a.taken = 3;
    CHECK(items::remaining(a) == 0);
    CHECK(items::availability(a, after) == items::Availability::Gone);
    a.taken = 5;   // a capacity cut below what was granted
    CHECK(items::remaining(a) == 0);
    CHECK(items::item_info(a).condition == "使用感あり");
    CHECK(items::item_info(a).category == "机・椅子");
    CHECK(items::item_info(Activity{}).condition.empty());
}

TEST_CASE_TEMPLATE("items engines: a request is stored once, its contact person only sealed", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record r = request(f.keys, "item-desk", "G-0001", 2);
    auto a = f.push({r});
    REQUIRE(a.stored == 1);
    CHECK(a.answers[0].receipt == receipt_number(r.id));
    CHECK(f.push({r}).duplicate == 1);        // the kiosk never heard the answer and sends again
    auto twice = f.push({r, r});
    CHECK(twice.stored == 0);
    CHECK(twice.duplicate == 2);
    Record changed = r;
    changed.payload["quantity"] = 3;          // same id, other content
    auto c = f.push({changed});
    CHECK(c.conflict == 1);

    auto rows = f.st->items().requests();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].state == "pending");
    CHECK(rows[0].payload.value("quantity", 0) == 2);
    CHECK(rows[0].receipt == receipt_number(r.id));
    auto rec = f.st->record(r.id);
    REQUIRE(rec.has_value());
    CHECK(rec->personal.empty());             // not opened at rest
    CHECK(rec->sealed == r.sealed);
    auto opened = open_personal(rows[0].sealed, f.keys);
    REQUIRE(opened.has_value());
    CHECK(opened->name == kContact);
}

TEST_CASE_TEMPLATE("items engines: rejected before storage: no registered group, no such item, closed, gone", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    auto code = [&](const Record& r) {
        auto res = f.push({r});
        REQUIRE(res.answers.size() == 1);
        return res.answers[0].result == "rejected" ? res.answers[0].code : res.answers[0].result;
    };
    CHECK(code(request(f.keys, "item-desk", "G-0009", 1)) == "unknown_group");   // no such number
    CHECK(code(request(f.keys, "item-desk", "G-0002", 1)) == "unknown_group");   // the pending group has none yet
    CHECK(code(request(f.keys, "item-chair", "G-0001", 1)) == "unknown_item");
    CHECK(code(request(f.keys, "ev-small", "G-0001", 1)) == "unknown_item");     // an event is not an item
    CHECK(code(request(f.keys, "item-old", "G-0001", 1)) == "item_closed");
    Record first = request(f.keys, "item-board", "G-0001", 1);
    REQUIRE(code(first) == "stored");
    REQUIRE(f.st->items().grant(first.id, 1, "", "staff1", rfc3339_now()).ok());
    CHECK(code(request(f.keys, "item-board", "G-0001", 1)) == "item_gone");
    // A withdrawn item takes no requests either.
    CatalogDelta gone;
    gone.deleted_activities.push_back("item-desk");
    f.st->import_catalog(gone);
    CHECK(code(request(f.keys, "item-desk", "G-0001", 1)) == "unknown_item");
    CHECK(f.st->items().requests().size() == 1);   // nothing else was stored
}

TEST_CASE_TEMPLATE("items engines: staff grant with a quantity or decline with a reason, once", E, KYODO_ENGINES) {
    Fx<E> f;
    if (!f.ok()) return;
    Record a = request(f.keys, "item-desk", "G-0001", 3);
    Record b = request(f.keys, "item-desk", "G-0001", 2, "k2");
    Record c = request(f.keys, "item-board", "G-0001", 1);
    REQUIRE(f.push({a, c}).stored == 2);
    REQUIRE(f.push({b}, "k2").stored == 1);
    const std::string now = rfc3339_now();
    const std::int64_t v0 = f.st->catalog_version();

    CHECK(f.st->items().grant(a.id, 4, "", "staff1", now).error == "bad_quantity");   // more than asked
    CHECK(f.st->items().grant(a.id, 0, "", "staff1", now).error == "bad_quantity");
    const GrantResult g = f.st->items().grant(a.id, 3, "", "staff1", now);
    REQUIRE(g.ok());
    CHECK(g.left == 1);
    CHECK(g.catalog_version > v0);
    CHECK(f.taken("item-desk") == 3);
    CHECK(f.st->items().grant(a.id, 1, "", "staff1", now).error == "not_pending");   // decided once
    CHECK_FALSE(f.st->items().decline(a.id, "x", "staff1", now));
    // b asked for 2, one is left: not more than is left, but a part of it may be granted.
    const GrantResult short_ = f.st->items().grant(b.id, 2, "", "staff2", now);
    CHECK(short_.error == "not_enough");
    CHECK(short_.left == 1);
    CHECK(f.st->items().request(b.id)->state == "pending");   // a refused grant changed nothing
    CHECK(f.taken("item-desk") == 3);
    REQUIRE(f.st->items().grant(b.id, 1, "残り1台のみ", "staff2", now).ok());
    CHECK(f.taken("item-desk") == 4);
    CHECK_FALSE(f.st->items().decline(c.id, "", "staff1", now));   // a reason is required
    CHECK(f.st->items().decline(c.id, "庁内で再利用することになりました", "staff1", now));
    CHECK(f.taken("item-board") == 0);
    CHECK(f.st->items().grant("no-such-id", 1, "", "staff1", now).error == "not_pending");

    auto ra = f.st->items().request(a.id);
    REQUIRE(ra);
    CHECK(ra->state == "granted");
    CHECK(ra->granted == 3);
    CHECK(ra->decided_by == "staff1");
    auto rb = f.st->items().request(b.id);
    CHECK(rb->granted == 1);
    CHECK(rb->reason == "残り1台のみ");
    auto rc = f.st->items().request(c.id);
    CHECK(rc->state == "declined");
    CHECK(rc->reason == "庁内で再利用することになりました");

    // The kiosk's next pull sees what is left; re-sent requests change nothing.
    const Json delta = f.st->catalog_since(v0);
    bool seen = false;
    for (const Json& x : delta["activities"])
        if (x.value("id", "") == "item-desk") seen = x.value("taken", 0) == 4;
    CHECK(seen);
    CHECK(f.push({a, c}).duplicate == 2);   // a replay is a duplicate, though the desks have all gone since
    CHECK(f.taken("item-desk") == 4);
    // The item's edit (staff change its text) keeps what was granted.
    CatalogDelta edit;
    Activity desk = item("item-desk", "事務机（両袖）", 4);
    edit.activities.push_back(desk);
    f.st->import_catalog(edit);
    CHECK(f.taken("item-desk") == 4);

    // Filters: state, item, centre (the kiosk's, or the item's).
    const Json cat = f.st->catalog_since(0);
    CHECK(search_item_requests(f.st->items(), {"granted", "", ""}, cat).size() == 2);
    CHECK(search_item_requests(f.st->items(), {"declined", "", ""}, cat).size() == 1);
    CHECK(search_item_requests(f.st->items(), {"", "item-desk", ""}, cat).size() == 2);
    CHECK(search_item_requests(f.st->items(), {"", "", "yuda"}, cat).size() == 1);     // b, made at yuda
    CHECK(search_item_requests(f.st->items(), {"", "", "ohdono"}, cat).size() == 3);   // every item is at ohdono
    CHECK(search_item_requests(f.st->items(), {"pending", "", ""}, cat).empty());
}

TEST_CASE("items sqlite: the contact person's name and phone are not in the database files") {
    Fx<SqliteEngine> f;
    Record r = request(f.keys, "item-desk", "G-0001", 1);
    REQUIRE(f.push({r}).stored == 1);
    REQUIRE(f.push({r}).duplicate == 1);
    REQUIRE(f.st->items().grant(r.id, 1, "", "staff1", rfc3339_now()).ok());
    f.st.reset();
    bool read_any = false;
    for (const char* suffix : {"", "-wal", "-journal"}) {
        std::ifstream in(f.eng.spec() + suffix, std::ios::binary);
        if (!in) continue;
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO("file server.db" << suffix);
        read_any = read_any || bytes.find("子ども食堂の配膳に使います") != std::string::npos;   // the request is there
        CHECK(bytes.find(kContact) == std::string::npos);
        CHECK(bytes.find(kContactPhone) == std::string::npos);
        CHECK(bytes.find("よしむら") == std::string::npos);
    }
    CHECK(read_any);
}
