#include "server/content_hash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/codec.h"

namespace kyodo::server {

std::string sha256_hex_fast(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1 || len != 32)
        throw std::runtime_error("SHA-256 failed (OpenSSL)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(64, '\0');
    for (unsigned i = 0; i < 32; ++i) {
        out[2 * i] = kHex[digest[i] >> 4];
        out[2 * i + 1] = kHex[digest[i] & 0xF];
    }
    return out;
}

std::string content_hash(const Record& record, std::string_view payload_json) {
    return sha256_hex_fast(canonical_json(record, payload_json));
}

}  // namespace kyodo::server
