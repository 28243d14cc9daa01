// The engine-agnostic half of POST /api/v1/records: turns each raw JSON record of a push
// into a PreparedRecord (decoded, personal part opened, validated, hashed, clock-checked)
// or a rejection with a machine-readable code. Storage (server/storage.h) then decides
// duplicate / conflict / capacity and writes the batch in one transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/seal.h"
#include "core/types.h"
#include "server/storage.h"

namespace kyodo::server {

struct IngestOptions {
    // |created_at − receipt time| beyond this flags the record "clock_skew" (still stored).
    std::int64_t clock_skew_ms = 24LL * 60 * 60 * 1000;
};

// Rejection codes produced here (besides validate_record's field codes such as
// "required", "too_long", "invalid_utf8", "bad_format" …, of which the first is used):
//   bad_record      not an object, or a field of the wrong JSON type
//   unknown_kind    "kind" is not one of the five record kinds
//   bad_seal        "sealed" does not open with city hall's key
//   kiosk_mismatch  the record's kiosk_id is not the kiosk the token belongs to
PreparedRecord prepare_record(const Json& raw, const std::string& token_kiosk_id, const KeyPair& keys,
                              std::int64_t received_ms, const IngestOptions& opts = {});
// The same, taking the record's payload tree out of `raw` instead of copying it.
PreparedRecord prepare_record(Json&& raw, const std::string& token_kiosk_id, const KeyPair& keys,
                              std::int64_t received_ms, const IngestOptions& opts = {});

// The checks after decoding (personal part, validation, kiosk, hash, clock) for a record
// already decoded from the push with record_from_json's rules (server/push_reader.h):
// the same PreparedRecord prepare_record gives for that record's JSON. `payload_text`, when
// not empty, is exactly record.payload.dump() (the push carried the payload in that form)
// and is used instead of dumping the tree again.
PreparedRecord prepare_decoded(Record&& record, const std::string& token_kiosk_id, const KeyPair& keys,
                               std::int64_t received_ms, const IngestOptions& opts = {},
                               std::string_view payload_text = {});

// prepare_record for each element of `records` (a JSON array), then storage.ingest().
IngestResult ingest_batch(Storage& storage, const KeyPair& keys, const PushMeta& meta, const Json& records,
                          std::int64_t received_ms, const IngestOptions& opts = {});
// The same, consuming `records` (the push handler's parsed body: each payload is moved, not
// copied, into its record).
IngestResult ingest_batch(Storage& storage, const KeyPair& keys, const PushMeta& meta, Json&& records,
                          std::int64_t received_ms, const IngestOptions& opts = {});

// The answer as the protocol's JSON object {"id","result",...}.
Json to_json(const RecordAnswer& a);

// Appends to_json(a) as JSON text, the bytes dump() with error_handler_t::replace would write,
// without building the tree (a push of 500 records answers 500 of these).
void append_json(std::string& out, const RecordAnswer& a);

}  // namespace kyodo::server
