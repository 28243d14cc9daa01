// libsodium wrappers. Base64 is the ORIGINAL (standard, padded) variant everywhere a key or
// sealed box is written, so keys pasted from `base64` or Python interoperate.
#include "core/seal.h"

#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/codec.h"

namespace kyodo {

void crypto_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    });
}

KeyPair generate_keypair() {
    crypto_init();
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk, sk);
    KeyPair kp;
    kp.public_key_b64 = base64_encode({reinterpret_cast<const char*>(pk), sizeof pk});
    kp.secret_key_b64 = base64_encode({reinterpret_cast<const char*>(sk), sizeof sk});
    sodium_memzero(sk, sizeof sk);
    return kp;
}

std::string base64_encode(std::string_view bytes) {
    crypto_init();
    const int variant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), variant);
    out.resize(out.size() - 1);   // ENCODED_LEN counts the terminating NUL
    return out;
}

std::optional<std::string> base64_decode(std::string_view b64) {
    crypto_init();
    std::string out(b64.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                          b64.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    if (end != b64.data() + b64.size()) return std::nullopt;   // trailing garbage
    out.resize(len);
    return out;
}

namespace {

std::string decode_key(const std::string& b64, std::size_t want, const char* what) {
    auto raw = base64_decode(b64);
    if (!raw || raw->size() != want)
        throw std::runtime_error(std::string(what) + " is not a base64 key of " +
                                 std::to_string(want) + " bytes");
    return *raw;
}

}  // namespace

std::string seal_personal(const Personal& p, const std::string& public_key_b64) {
    crypto_init();
    const std::string pk = decode_key(public_key_b64, crypto_box_PUBLICKEYBYTES,
                                      "city hall's public key");
    std::string plain = to_json(p).dump();
    std::vector<unsigned char> box(plain.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), reinterpret_cast<const unsigned char*>(pk.data())) != 0)
        throw std::runtime_error("sealing personal data failed");
    sodium_memzero(plain.data(), plain.size());
    return base64_encode({reinterpret_cast<const char*>(box.data()), box.size()});
}

std::optional<Personal> open_personal(const std::string& sealed_b64, const KeyPair& keys) {
    crypto_init();
    auto box = base64_decode(sealed_b64);
    auto pk = base64_decode(keys.public_key_b64);
    auto sk = base64_decode(keys.secret_key_b64);
    if (!box || !pk || !sk || box->size() < crypto_box_SEALBYTES ||
        pk->size() != crypto_box_PUBLICKEYBYTES || sk->size() != crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    const int rc = crypto_box_seal_open(
        reinterpret_cast<unsigned char*>(plain.data()),
        reinterpret_cast<const unsigned char*>(box->data()), box->size(),
        reinterpret_cast<const unsigned char*>(pk->data()),
        reinterpret_cast<const unsigned char*>(sk->data()));
    sodium_memzero(sk->data(), sk->size());
    if (rc != 0) return std::nullopt;
    try {
        Personal p = personal_from_json(Json::parse(plain));
        sodium_memzero(plain.data(), plain.size());
        return p;
    } catch (const std::exception&) {
        return std::nullopt;   // authentic box but not our JSON: treat as unreadable
    }
}

std::string hash_secret(std::string_view secret) {
    crypto_init();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("hashing a secret failed: out of memory");
    return out;
}

bool verify_secret(std::string_view hash, std::string_view secret) {
    crypto_init();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    const std::string h(hash);   // crypto_pwhash_str_verify wants a NUL-terminated string
    return crypto_pwhash_str_verify(h.c_str(), secret.data(), secret.size()) == 0;
}

std::string sha256_hex(std::string_view data) {
    crypto_init();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::string random_token(std::size_t n_bytes) {
    crypto_init();
    std::vector<unsigned char> raw(n_bytes);
    randombytes_buf(raw.data(), raw.size());
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(n_bytes, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
    out.resize(out.size() - 1);
    return out;
}

}  // namespace kyodo
