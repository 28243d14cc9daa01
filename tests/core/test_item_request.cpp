// The item request record (不用物品の提供, docs/items.md): a registered group asks at the kiosk
// for a thing city hall gives away. The validator is the one the kiosk runs before storing and
// the server after opening the sealed contact person.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "core/seal.h"
#include "core/store.h"
#include "core/uuid.h"
#include "core/validate.h"

using namespace kyodo;

namespace {

Record item_request(Json payload) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::ItemRequest;
    r.created_at = "2026-12-07T01:02:03Z";
    r.kiosk_id = "ohdono-1";
    r.centre_id = "yamaguchi-ohdono";
    r.payload = std::move(payload);
    return r;
}

Json good() {
    return {{"item_id", "item-desk-01"}, {"group", "G-0001"}, {"quantity", 2},
            {"purpose", "子ども食堂の配膳台に使います。\n月2回の活動です。"}};
}

const Personal kContact{"大殿 太郎", "おおどの たろう", "083-922-0001", ""};

// The first error as "field code", or "ok".
std::string first(const Validation& v) {
    return v.ok() ? "ok" : v.errors[0].field + " " + v.errors[0].code;
}

std::string with(const char* key, Json value) {
    Json p = good();
    p[key] = std::move(value);
    return first(validate_record(item_request(p), &kContact));
}

std::string without(const char* key) {
    Json p = good();
    p.erase(key);
    return first(validate_record(item_request(p), &kContact));
}

}  // namespace

TEST_CASE("item_request: the code round-trips and the kind is listed") {
    CHECK(std::string(to_code(RecordKind::ItemRequest)) == "item_request");
    CHECK(record_kind_from_code("item_request") == RecordKind::ItemRequest);
    bool listed = false;
    for (RecordKind k : all_record_kinds()) listed = listed || k == RecordKind::ItemRequest;
    CHECK(listed);
    CHECK(std::string(label_ja(RecordKind::ItemRequest)) == "不用物品の提供の申し込み");
}

TEST_CASE("item_request: a good request passes, with or without check code and language") {
    CHECK(first(validate_record(item_request(good()), &kContact)) == "ok");
    Json p = good();
    p["check_code"] = "0427";
    p["lang"] = "easy_ja";
    CHECK(first(validate_record(item_request(p), &kContact)) == "ok");
    // A name in Latin letters is read as written: no furigana needed (as for a sign-up).
    const Personal latin{"Maria Santos", "", "", "maria@example.jp"};
    CHECK(first(validate_record(item_request(good()), &latin)) == "ok");
}

TEST_CASE("item_request: item, group, quantity and purpose are required") {
    CHECK(without("item_id") == "payload.item_id required");
    CHECK(without("group") == "payload.group required");
    CHECK(without("quantity") == "payload.quantity required");
    CHECK(without("purpose") == "payload.purpose required");
    CHECK(with("purpose", "　 \n") == "payload.purpose required");   // blank is not a purpose
    CHECK(with("item_id", "") == "payload.item_id required");
}

TEST_CASE("item_request: the group must be a registration number") {
    CHECK(with("group", "G-0042") == "ok");
    CHECK(with("group", "G-1234567890") == "ok");
    CHECK(with("group", "0001") == "payload.group bad_format");
    CHECK(with("group", "G-12") == "payload.group bad_format");
    CHECK(with("group", "G-00O1") == "payload.group bad_format");
    CHECK(with("group", "大殿町内会") == "payload.group bad_format");
    CHECK(with("group", 1) == "payload.group wrong_type");
}

TEST_CASE("item_request: quantity 1..99, a whole number") {
    CHECK(with("quantity", 1) == "ok");
    CHECK(with("quantity", 99) == "ok");
    CHECK(with("quantity", 0) == "payload.quantity out_of_range");
    CHECK(with("quantity", -3) == "payload.quantity out_of_range");
    CHECK(with("quantity", 100) == "payload.quantity out_of_range");
    CHECK(with("quantity", 2.5) == "payload.quantity wrong_type");
    CHECK(with("quantity", "2") == "payload.quantity wrong_type");
}

TEST_CASE("item_request: purpose is 1..400 characters of valid UTF-8; broken bytes are named") {
    std::string s400, s401;
    for (int i = 0; i < 400; ++i) s400 += "机";
    s401 = s400 + "机";
    CHECK(with("purpose", s400) == "ok");   // characters, not bytes (1,200 bytes)
    CHECK(with("purpose", s401) == "payload.purpose too_long");
    const Validation v = validate_record(item_request([&] {
                                             Json p = good();
                                             p["purpose"] = s401;
                                             return p;
                                         }()),
                                         &kContact);
    REQUIRE_FALSE(v.ok());
    CHECK(v.errors[0].message == "purpose is 401 characters; the limit is 400");
    CHECK(with("purpose", std::string("\xE6\x9C", 2)) == "payload.purpose invalid_utf8");   // cut in the middle
    CHECK(with("purpose", std::string("\xC0\xAF")) == "payload.purpose invalid_utf8");      // over-long '/'
    CHECK(with("purpose", std::string("a\x01") + "b") == "payload.purpose control_char");
    CHECK(with("item_id", "机 1") == "payload.item_id bad_format");
    CHECK(with("item_id", std::string(65, 'a')) == "payload.item_id too_long");
    CHECK(with("check_code", "12a4") == "payload.check_code bad_format");
    CHECK(with("lang", "fr") == "payload.lang bad_format");
    CHECK(with("note", "x") == "payload.note unknown_field");
}

TEST_CASE("item_request: the contact person is required like a sign-up's") {
    CHECK(first(validate_record(item_request(good()), nullptr)) == "personal.name required");
    const Personal no_contact{"大殿 太郎", "おおどの たろう", "", ""};
    CHECK(first(validate_record(item_request(good()), &no_contact)) == "personal.phone required");
    const Personal no_reading{"大殿 太郎", "", "083-922-0001", ""};
    CHECK(first(validate_record(item_request(good()), &no_reading)) == "personal.furigana required");
    CHECK(validate_personal(RecordKind::ItemRequest, kContact).ok());
}

TEST_CASE("item_request: the kiosk seals the contact person and gives a check code") {
    const KeyPair keys = generate_keypair();
    std::string dir = (std::filesystem::temp_directory_path() / "kyodo-item-XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()));
    struct Gone {
        std::string d;
        ~Gone() { std::filesystem::remove_all(d); }
    } gone{dir};
    KioskStore store(dir + "/kiosk.db");
    Record r = item_request(good());
    r.sealed = seal_personal(kContact, keys.public_key_b64);
    CHECK(validate_record(r, nullptr).ok());   // sealed: the kiosk cannot look inside
    const Receipt receipt = store.enqueue(r);
    CHECK(receipt.check_code.size() == 4);
    const auto stored = store.outbox_entry(r.id);
    REQUIRE(stored);
    CHECK(stored->record.payload.value("check_code", "") == receipt.check_code);
    CHECK(stored->record.sealed.find("大殿") == std::string::npos);
    const auto opened = open_personal(stored->record.sealed, keys);
    REQUIRE(opened);
    CHECK(opened->name == kContact.name);
}
