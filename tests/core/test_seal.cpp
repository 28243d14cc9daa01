#include <doctest/doctest.h>

#include "core/seal.h"

using namespace kyodo;

TEST_CASE("seal: base64 (standard variant, padded)") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode("\xfb\xff") == "+/8=");
    CHECK(base64_decode("Zm9vYmFy") == std::string("foobar"));
    CHECK(base64_decode("+/8=") == std::string("\xfb\xff"));
    CHECK_FALSE(base64_decode("Zg").has_value());        // padding required
    CHECK_FALSE(base64_decode("Zm9v!").has_value());
    CHECK_FALSE(base64_decode("-_8=").has_value());      // URL-safe alphabet is not ours
}

TEST_CASE("seal: personal data round trip, wrong key, tamper") {
    const KeyPair city = generate_keypair();
    CHECK(base64_decode(city.public_key_b64)->size() == 32);
    CHECK(base64_decode(city.secret_key_b64)->size() == 32);
    Personal p{"山田 花子", "やまだ はなこ", "090-1234-5678", "hanako@example.jp"};
    const std::string sealed = seal_personal(p, city.public_key_b64);
    CHECK(sealed.find("山田") == std::string::npos);
    CHECK(sealed.find("hanako") == std::string::npos);
    const auto opened = open_personal(sealed, city);
    REQUIRE(opened);
    CHECK(opened->name == p.name);
    CHECK(opened->furigana == p.furigana);
    CHECK(opened->phone == p.phone);
    CHECK(opened->email == p.email);
    // Two seals of the same data differ (ephemeral keys): nothing to correlate on disk.
    CHECK(seal_personal(p, city.public_key_b64) != sealed);

    const KeyPair other = generate_keypair();
    CHECK_FALSE(open_personal(sealed, other).has_value());

    std::string raw = *base64_decode(sealed);
    raw[raw.size() / 2] ^= 0x01;
    CHECK_FALSE(open_personal(base64_encode(raw), city).has_value());
    CHECK_FALSE(open_personal("not base64!", city).has_value());
    CHECK_FALSE(open_personal("", city).has_value());

    CHECK_THROWS_AS(seal_personal(p, "short"), std::runtime_error);
    CHECK_THROWS_AS(seal_personal(p, base64_encode("sixteen bytes!!!")), std::runtime_error);
}

TEST_CASE("seal: secret hashing and sha256") {
    const std::string h = hash_secret("1234");
    CHECK(h.rfind("$argon2id$", 0) == 0);
    CHECK(verify_secret(h, "1234"));
    CHECK_FALSE(verify_secret(h, "1235"));
    CHECK_FALSE(verify_secret("", "1234"));
    CHECK_FALSE(verify_secret("garbage", "1234"));
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string t = random_token(32);
    CHECK(t.size() == 43);
    CHECK(t.find_first_of("+/=") == std::string::npos);
    CHECK(random_token(32) != t);
}
