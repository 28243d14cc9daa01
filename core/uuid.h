// Record IDs: UUIDv7 (RFC 9562). Time-ordered, so the outbox and the server's index
// append instead of inserting at random pages (see the ingest bar in DESIGN.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kyodo {

// A new UUIDv7 as 36 lowercase characters. 48-bit Unix milliseconds, then a 12-bit
// counter-ish sub-millisecond sequence so IDs made in the same millisecond still sort in
// creation order within one process, then random bits (libsodium randombytes).
std::string new_uuid_v7();
// Any RFC 9562 UUID in canonical 8-4-4-4-12 form (lowercase or uppercase hex).
bool is_uuid(std::string_view s);
// Version nibble of a canonical UUID, or -1.
int uuid_version(std::string_view s);
// Milliseconds since the epoch embedded in a v7 UUID, or -1.
std::int64_t uuid_v7_millis(std::string_view s);

}  // namespace kyodo
