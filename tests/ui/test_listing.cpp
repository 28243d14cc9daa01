// The listings model: filters and the search box become the right SearchQuery, and the
// results from the store honour them.
#include <doctest/doctest.h>

#include "app/model/listing.h"
#include "app/model/nav.h"
#include "app/model/texts.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

TEST_CASE("filters and search text build the SearchQuery") {
    ListingState L;
    SearchQuery q0 = L.to_query();
    CHECK(q0.text.empty());
    CHECK_FALSE(q0.kind);
    CHECK_FALSE(q0.only_open_places);
    CHECK(q0.offset == 0);
    CHECK(q0.limit == ListingState::kPageSize);

    L.set_query("\xE3\x80\x80 防災  ");   // full-width space around the word
    L.set_kind(ActivityKind::Event);
    L.set_form(Form::Kyodo);
    L.set_method(Method::Kyosai);
    L.set_field("子育て");
    L.set_centre("ajisu");
    L.set_only_open(true);
    SearchQuery q = L.to_query();
    CHECK(q.text == "防災");
    CHECK(q.kind == ActivityKind::Event);
    CHECK(q.form == Form::Kyodo);
    CHECK(q.method == Method::Kyosai);
    CHECK(q.field == "子育て");
    CHECK(q.centre_id == "ajisu");
    CHECK(q.only_open_places);
    CHECK(L.filters().active_count() == 6);

    L.clear();
    SearchQuery q2 = L.to_query();
    CHECK(q2.text.empty());
    CHECK_FALSE(q2.kind);
    CHECK_FALSE(q2.form);
    CHECK_FALSE(q2.method);
    CHECK(q2.field.empty());
    CHECK(q2.centre_id.empty());
    CHECK_FALSE(q2.only_open_places);
    CHECK(L.filters().active_count() == 0);
}

TEST_CASE("paging moves the offset and a filter change goes back to page one") {
    SampleStore s("ui_listing_paging");
    ListingState L;
    L.refresh(*s.store);
    REQUIRE(L.result().total > ListingState::kPageSize);   // the sample has several pages
    CHECK(L.page_count() == (L.result().total + ListingState::kPageSize - 1) / ListingState::kPageSize);
    L.next_page();
    CHECK(L.to_query().offset == ListingState::kPageSize);
    CHECK(L.refresh(*s.store));
    CHECK_FALSE(L.result().items.empty());
    L.set_only_open(true);
    CHECK(L.page() == 0);
    CHECK(L.to_query().offset == 0);
    L.prev_page();
    CHECK(L.page() == 0);
}

TEST_CASE("a count the store stopped at reads as at least that many (1000 件以上, not 1000 件)") {
    SampleStore s("ui_listing_capped");
    ListingState L;
    L.refresh(*s.store);
    const int all = L.result().total;
    REQUIRE(all > 5);
    CHECK_FALSE(L.result().total_capped);
    CHECK(std::string(L.count_key()) == "listings.count");
    L.set_count_cap(5);
    L.refresh(*s.store);
    CHECK(L.result().total_capped);
    CHECK(std::string(L.count_key()) == "listings.count_more");
    Texts ja;
    REQUIRE(ja.load_dir(std::string(KYODO_ASSETS_DIR) + "/i18n"));
    CHECK(ja.fmt(L.count_key(), {{"n", std::to_string(L.result().total)}}) == std::to_string(L.result().total) + " 件以上");
    L.set_count_cap(all);   // exactly as many as match: not "at least"
    L.refresh(*s.store);
    CHECK_FALSE(L.result().total_capped);
    CHECK(L.result().total == all);
}

TEST_CASE("results honour the filters") {
    SampleStore s("ui_listing_filters");
    ListingState L;
    L.refresh(*s.store);
    const int all = L.result().total;
    REQUIRE(all > 0);

    L.set_kind(ActivityKind::Event);
    CHECK(L.dirty());
    CHECK(L.refresh(*s.store));
    CHECK_FALSE(L.refresh(*s.store));   // nothing changed: no new search
    CHECK(L.result().total > 0);
    CHECK(L.result().total < all);
    for (const auto& a : L.result().items) CHECK(a.kind == ActivityKind::Event);

    L.clear();
    L.set_only_open(true);
    L.refresh(*s.store);
    for (const auto& a : L.result().items) CHECK(a.places_left() != 0);

    L.clear();
    L.set_field("防災");
    L.refresh(*s.store);
    CHECK(L.result().total > 0);
    for (const auto& a : L.result().items) {
        bool has = false;
        for (const auto& f : a.fields) has |= f == "防災";
        CHECK(has);
    }

    L.clear();
    L.set_query("zzzz-no-such-thing");
    L.refresh(*s.store);
    CHECK(L.result().total == 0);
    CHECK(L.error().empty());
}

TEST_CASE("navigation stack and screen names") {
    Navigator n;
    CHECK(n.current() == Screen::Start);
    CHECK_FALSE(n.can_go_back());
    n.push(Screen::Listings);
    n.push(Screen::Detail);
    n.push(Screen::Detail);   // no duplicates on top
    CHECK(n.depth() == 3);
    n.push(Screen::SignUp);
    n.replace(Screen::Receipt);   // the receipt replaces the form: back does not reopen it
    CHECK(n.current() == Screen::Receipt);
    n.back();
    CHECK(n.current() == Screen::Detail);
    n.reset();
    CHECK(n.current() == Screen::Start);
    CHECK(n.depth() == 1);
    for (Screen sc : all_screens()) CHECK(screen_from_name(screen_name(sc)) == sc);
    CHECK_FALSE(screen_from_name("nope"));
}
