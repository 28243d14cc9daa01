#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "core/timeutil.h"
#include "core/uuid.h"

using namespace kyodo;

TEST_CASE("uuid: v7 format") {
    const std::string id = new_uuid_v7();
    CHECK(id.size() == 36);
    CHECK(is_uuid(id));
    CHECK(uuid_version(id) == 7);
    CHECK(id[14] == '7');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);   // variant 10xx
    for (char c : id) CHECK((c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
    const auto ms = uuid_v7_millis(id);
    CHECK(std::abs(ms - now_millis()) < 5000);
}

TEST_CASE("uuid: 10,000 ids are unique and sort in creation order") {
    std::vector<std::string> ids;
    ids.reserve(10000);
    for (int i = 0; i < 10000; ++i) ids.push_back(new_uuid_v7());
    for (std::size_t i = 1; i < ids.size(); ++i) {
        if (!(ids[i - 1] < ids[i])) {
            FAIL("out of order at ", i, ": ", ids[i - 1], " then ", ids[i]);
        }
    }
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
}

TEST_CASE("uuid: parsing helpers") {
    CHECK(is_uuid("019A6B2E-3C4D-7E5F-8A9B-0C1D2E3F4A5B"));
    CHECK(uuid_version("550e8400-e29b-41d4-a716-446655440000") == 4);
    CHECK(uuid_v7_millis("550e8400-e29b-41d4-a716-446655440000") == -1);
    CHECK(uuid_v7_millis("019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b") == 0x019a6b2e3c4dLL);
    CHECK_FALSE(is_uuid(""));
    CHECK_FALSE(is_uuid("019a6b2e3c4d7e5f8a9b0c1d2e3f4a5b"));
    CHECK_FALSE(is_uuid("019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5"));
    CHECK_FALSE(is_uuid("019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a5g"));
    CHECK_FALSE(is_uuid("019a6b2e-3c4d-7e5f-ca9b-0c1d2e3f4a5b"));   // wrong variant
    CHECK(uuid_version("nope") == -1);
}
