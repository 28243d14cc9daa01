// Privacy: personal fields are sealed with city hall's public key (libsodium sealed box,
// X25519 + XSalsa20-Poly1305) before they touch the kiosk's disk. Only the server, which
// holds the secret key, can open them. A stolen kiosk holds nothing readable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace kyodo {

struct KeyPair {
    std::string public_key_b64;   // 32 bytes, base64 (standard, with padding)
    std::string secret_key_b64;   // 32 bytes, base64
};

// Must be called once before any other crypto (idempotent, thread-safe).
void crypto_init();
KeyPair generate_keypair();

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view b64);

// Seals the JSON of `p` for `public_key_b64`. Throws std::runtime_error on a bad key.
std::string seal_personal(const Personal& p, const std::string& public_key_b64);
// Opens a sealed blob; nullopt if the key is wrong or the blob was tampered with.
std::optional<Personal> open_personal(const std::string& sealed_b64, const KeyPair& keys);

// Password/token/PIN hashing (Argon2id via crypto_pwhash_str), and verification.
std::string hash_secret(std::string_view secret);
bool verify_secret(std::string_view hash, std::string_view secret);
// Fast keyed-free hash for high-entropy device tokens (SHA-256 hex via crypto_hash_sha256):
// tokens are 32 random bytes, so a slow hash adds nothing but latency on every request.
std::string sha256_hex(std::string_view data);
// `n` random bytes as URL-safe base64 without padding (device tokens, receipt codes).
std::string random_token(std::size_t n_bytes);

}  // namespace kyodo
