// UUIDv7 (RFC 9562 §5.7) with the "fixed-length dedicated counter" method (§6.2, method 1):
// rand_a holds a 12-bit counter seeded randomly each millisecond, so ids made in the same
// millisecond by this process still sort in creation order (the outbox and the server's
// index then always append).
#include "core/uuid.h"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <mutex>

#include "core/seal.h"

namespace kyodo {
namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string new_uuid_v7() {
    crypto_init();
    static std::mutex mu;
    static std::int64_t last_ms = 0;
    static std::uint32_t counter = 0;

    std::uint8_t rnd[10];
    randombytes_buf(rnd, sizeof rnd);

    std::int64_t ms;
    std::uint32_t seq;
    {
        std::lock_guard<std::mutex> lock(mu);
        ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
        if (ms > last_ms) {
            last_ms = ms;
            // Seed in the lower half so at least 2048 ids fit in one millisecond.
            counter = (std::uint32_t(rnd[0]) << 8 | rnd[1]) & 0x7FF;
        } else {
            // Same millisecond, or the clock stepped back: keep last_ms so order holds.
            if (++counter > 0xFFF) {
                // Counter exhausted: borrow the next millisecond (RFC 9562 §6.2 allows it).
                ++last_ms;
                counter = 0;
            }
        }
        ms = last_ms;
        seq = counter;
    }

    std::uint8_t b[16];
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    b[6] = static_cast<std::uint8_t>(0x70 | ((seq >> 8) & 0x0F));
    b[7] = static_cast<std::uint8_t>(seq & 0xFF);
    b[8] = static_cast<std::uint8_t>(0x80 | (rnd[2] & 0x3F));   // variant 10xx
    for (int i = 9; i < 16; ++i) b[i] = rnd[i - 6];

    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (hexval(s[i]) < 0) {
            return false;
        }
    }
    // RFC 9562 variant (10xx) except the Nil and Max UUIDs, which are not record ids.
    const int v = hexval(s[19]);
    return (v & 0xC) == 0x8;
}

int uuid_version(std::string_view s) {
    if (!is_uuid(s)) return -1;
    return hexval(s[14]);
}

std::int64_t uuid_v7_millis(std::string_view s) {
    if (uuid_version(s) != 7) return -1;
    std::int64_t ms = 0;
    for (std::size_t i = 0; i < 13; ++i) {
        if (i == 8) continue;
        ms = (ms << 4) | hexval(s[i]);
    }
    return ms;
}

}  // namespace kyodo
