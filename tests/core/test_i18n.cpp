#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "core/i18n.h"

using namespace kyodo;

TEST_CASE("i18n: load, get, missing key shows the key") {
    const std::string path = std::string(KYODO_BINARY_DIR) + "/core_i18n_test.json";
    {
        std::ofstream f(path);
        f << R"({"start.title": "ようこそ", "results": "{n}件見つかりました"})";
    }
    Strings s;
    REQUIRE(s.load(path));
    CHECK(s.size() == 2);
    CHECK(s.get("start.title") == "ようこそ");
    CHECK(s.get("no.such.key") == "no.such.key");
    const std::string& a = s.get("no.such.key");
    const std::string& b = s.get("no.such.key");
    CHECK(&a == &b);
    CHECK(s.fmt("results", {{"n", "12"}}) == "12件見つかりました");
    std::remove(path.c_str());
}

TEST_CASE("i18n: fallback table and bad files") {
    Strings ja, easy;
    REQUIRE(ja.load_from_string(R"({"a": "申し込み", "b": "意見箱"})"));
    REQUIRE(easy.load_from_string(R"({"a": "もうしこみ"})"));
    easy.set_fallback(&ja);
    CHECK(easy.get("a") == "もうしこみ");
    CHECK(easy.get("b") == "意見箱");
    CHECK(easy.get("c") == "c");

    Strings s;
    CHECK_FALSE(s.load("/nonexistent/ja.json"));
    CHECK(s.last_error().find("cannot open") != std::string::npos);
    CHECK_FALSE(s.load_from_string("[1,2]"));
    CHECK_FALSE(s.load_from_string("{\"a\": 1}"));
    CHECK(s.last_error().find("\"a\"") != std::string::npos);
    CHECK_FALSE(s.load_from_string("{not json"));
    // A failed load keeps the previous table.
    REQUIRE(s.load_from_string(R"({"k": "v"})"));
    CHECK_FALSE(s.load_from_string("nope"));
    CHECK(s.get("k") == "v");
}
