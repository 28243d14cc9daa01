// A record's content hash on the server: SHA-256 (hex) of its canonical JSON, the text
// to_json(record).dump() gives. Duplicate and conflict answers compare it, so it must never
// change for a record already stored. Same digest as kyodo::sha256_hex (libsodium), computed
// with OpenSSL, which uses the CPU's SHA instructions: ~10x fewer cycles on a 400-byte record,
// and hashing was a tenth of the server's CPU per pushed record (docs/performance.md).
#pragma once

#include <string>
#include <string_view>

#include "core/types.h"

namespace kyodo::server {

// `payload_json` is record.payload.dump(), which ingest keeps anyway.
std::string content_hash(const Record& record, std::string_view payload_json);

// SHA-256 of `data` as 64 lower-case hex digits (== kyodo::sha256_hex(data)).
std::string sha256_hex_fast(std::string_view data);

}  // namespace kyodo::server
