// The body of POST /api/v1/records, read into what the push handler needs: the kiosk's
// app_version and backlog, its sign-up acknowledgements, and each record prepared for
// storage (server/ingest.h), or the error answer for the whole push.
//
// read_push() reads a well-formed push in one pass over the bytes without building a JSON
// tree of the body: each record's fields go straight into a Record; only each payload
// becomes a (small) tree, since the validator and the canonical text work on it. Anything
// it does not read itself — a syntax error, a value of an unexpected type, a duplicate key,
// a number with a fraction or exponent, nesting deeper than 64, a byte-order mark … — makes
// it hand the same bytes to read_push_tree(), the full-tree reading it replaced, so every
// malformed input gets exactly the answer it got before (status, code and message; see the
// hostile-input tables in tests/server/push_reader_test.cpp and docs/protocol.md). The fast
// reader accepts only what nlohmann's parser accepts, with the same values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/seal.h"
#include "server/ingest.h"
#include "server/storage.h"

namespace kyodo::server {

// The answer for a push that is refused whole: 400 bad_json / bad_request, 413 too_large.
struct PushError {
    int status = 400;
    std::string code;
    std::string message;
    bool operator==(const PushError&) const = default;
};

struct PushBody {
    std::string app_version;            // "" = not sent
    std::int64_t backlog = -1;          // -1 = not sent
    std::vector<SignupUpdate> acks;     // receipt left empty
    std::vector<PreparedRecord> records;
    bool fast = false;                  // read without the tree (for tests and the bench)
};

struct PushReadOptions {
    std::size_t max_records = 1000;
    IngestOptions ingest;
};

// Reads and prepares a push from kiosk `kiosk_id` (the token's). On success fills `out` and
// returns nullopt; otherwise returns the error answer and `out` is unspecified.
std::optional<PushError> read_push(std::string_view body, const std::string& kiosk_id, const KeyPair& keys,
                                   std::int64_t received_ms, const PushReadOptions& opts, PushBody& out);

// The same answers through a full nlohmann tree of the body (what read_push falls back to).
std::optional<PushError> read_push_tree(std::string_view body, const std::string& kiosk_id, const KeyPair& keys,
                                        std::int64_t received_ms, const PushReadOptions& opts, PushBody& out);

}  // namespace kyodo::server
