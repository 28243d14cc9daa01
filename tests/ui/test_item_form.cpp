// The items screen's model (app/model/item_form.h, issue 11 point 4): which items are offered
// (open ones only), the registration number as typed read as the directory writes it and found
// in the directory the kiosk holds, each step's checks, the quantity capped by what is left, and
// the record it makes (contact person sealed, not in the payload).
#include <doctest/doctest.h>

#include "app/model/item_form.h"
#include "core/items.h"
#include "core/timeutil.h"
#include "core/validate.h"

using namespace kyodo;
using namespace kyodo::app;

namespace {

Activity item(const std::string& id, int units, int taken = 0, const std::string& closes = "") {
    Activity a;
    a.id = id;
    a.kind = ActivityKind::Item;
    a.title = "パイプ椅子";
    a.capacity = units;
    a.taken = taken;
    a.signup_closes = closes;
    return a;
}

std::vector<Organization> directory() {
    Organization o;
    o.id = "grp-g0001";
    o.name = "大殿町内会";
    o.registration = "G-0001";
    Organization plain;   // an organization city hall entered: no registration number
    plain.id = "org-1";
    plain.name = "大殿まちづくり協議会";
    return {o, plain};
}

}  // namespace

TEST_CASE("item form: only open items are offered") {
    ItemForm F;
    const std::int64_t now = *parse_local_jst("2027-01-10T10:00");
    F.load({item("a", 3), item("b", 2, 2), item("c", 5, 0, "2027-01-09"), item("d", 5, 0, "2027-01-10")}, now);
    REQUIRE(F.offered.size() == 2);
    CHECK(F.offered[0].id == "a");
    CHECK(F.offered[1].id == "d");   // the deadline day is still open
}

TEST_CASE("item form: the registration number as typed") {
    CHECK(ItemForm::normalise_group("G-0001") == "G-0001");
    CHECK(ItemForm::normalise_group("g-1") == "G-0001");
    CHECK(ItemForm::normalise_group("0012") == "G-0012");
    CHECK(ItemForm::normalise_group("Ｇ－００４２") == "G-0042");
    CHECK(ItemForm::normalise_group("G 12345") == "G-12345");
    CHECK(ItemForm::normalise_group("") == "");
    CHECK(ItemForm::normalise_group("大殿町内会") == "");
    CHECK(ItemForm::normalise_group("1G") == "");
    CHECK(ItemForm::normalise_group("12345678901") == "");   // longer than any number
}

TEST_CASE("item form: steps, the group found in the directory, the quantity capped, the sealed record") {
    ItemForm F;
    const auto orgs = directory();
    F.load({item("item-003", 30, 27)}, now_millis());
    CHECK_FALSE(F.dirty());
    F.choose(F.offered[0]);
    CHECK(F.step == ItemStep::Detail);
    CHECK(F.max_quantity() == 3);
    REQUIRE(F.next(orgs));
    CHECK(F.step == ItemStep::Request);
    CHECK(F.quantity == "1");

    // Nothing typed: the group and the purpose are asked for.
    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors["group"] == "required");
    CHECK(F.errors["purpose"] == "required");
    F.group = "G-0009";
    F.purpose = "防災訓練の受付に使います";
    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors["group"] == "unknown_group");   // not in the directory the kiosk holds
    F.group = "G-";
    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors["group"] == "bad_format");
    F.group = "g-1";
    F.quantity = "4";                               // more than is left
    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors["quantity"] == "out_of_range");
    F.quantity = "3";
    REQUIRE(F.next(orgs));
    CHECK(F.group == "G-0001");
    REQUIRE(F.group_org);
    CHECK(F.group_org->name == "大殿町内会");
    CHECK(F.step == ItemStep::Contact);

    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors.count("name"));
    CHECK(F.errors.count("consent"));
    F.name = "吉村 弘子";
    F.furigana = "よしむら ひろこ";
    CHECK_FALSE(F.next(orgs));
    CHECK(F.errors["phone"] == "required");
    F.phone = "083-925-4410";
    F.consent = true;
    REQUIRE(F.next(orgs));
    CHECK(F.step == ItemStep::Review);
    CHECK(F.check_step(orgs));

    const Record r = F.record();
    CHECK(r.kind == RecordKind::ItemRequest);
    CHECK(r.payload["item_id"] == "item-003");
    CHECK(r.payload["group"] == "G-0001");
    CHECK(r.payload["quantity"] == 3);
    CHECK(r.payload.dump().find("吉村") == std::string::npos);   // the contact person goes sealed
    CHECK(F.personal().name == "吉村 弘子");

    F.back();
    CHECK(F.step == ItemStep::Contact);
    F.back();
    F.back();
    CHECK(F.step == ItemStep::Detail);
    CHECK(F.dirty());
    F.clear();
    CHECK_FALSE(F.dirty());
}
