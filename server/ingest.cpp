#include "server/ingest.h"

#include <cstdlib>

#include "core/codec.h"
#include "core/timeutil.h"
#include "core/validate.h"

namespace kyodo::server {
namespace {

PreparedRecord reject(PreparedRecord p, std::string code, std::string message) {
    p.reject_code = std::move(code);
    p.reject_message = std::move(message);
    return p;
}

}  // namespace

PreparedRecord prepare_record(const Json& raw, const std::string& token_kiosk_id, const KeyPair& keys,
                              std::int64_t received_ms, const IngestOptions& opts) {
    PreparedRecord p;
    if (!raw.is_object()) return reject(std::move(p), "bad_record", "record: expected a JSON object");
    if (auto it = raw.find("id"); it != raw.end() && it->is_string()) p.id = it->get<std::string>();

    if (auto it = raw.find("kind"); it != raw.end() && it->is_string() &&
                                    !record_kind_from_code(it->get<std::string>())) {
        return reject(std::move(p), "unknown_kind",
                      "kind: \"" + it->get<std::string>() +
                          "\" is not a record kind (sign_up, opinion, survey_response, public_comment, proposal)");
    }
    try {
        p.record = record_from_json(raw);
    } catch (const DecodeError& e) {
        return reject(std::move(p), "bad_record", e.what());
    } catch (const std::exception& e) {
        return reject(std::move(p), "bad_record", std::string("record: ") + e.what());
    }

    std::optional<Personal> personal;
    if (!p.record.sealed.empty()) {
        personal = open_personal(p.record.sealed, keys);
        if (!personal)
            return reject(std::move(p), "bad_seal",
                          "sealed: the personal part does not open with city hall's key (wrong key or damaged)");
    }

    const Validation v = validate_record(p.record, personal ? &*personal : nullptr);
    if (!v.ok()) {
        std::string msg;
        for (const FieldError& e : v.errors) {
            if (!msg.empty()) msg += "; ";
            msg += e.field + ": " + e.message;
        }
        return reject(std::move(p), v.errors.front().code, msg);
    }

    if (p.record.kiosk_id != token_kiosk_id)
        return reject(std::move(p), "kiosk_mismatch",
                      "kiosk_id: record says \"" + p.record.kiosk_id + "\" but the token belongs to \"" +
                          token_kiosk_id + "\"");

    p.content_hash = sha256_hex(to_json(p.record).dump());
    p.payload_json = p.record.payload.dump();
    if (personal) p.personal_json = to_json(*personal).dump();
    if (auto created = parse_rfc3339(p.record.created_at);
        !created || std::llabs(*created - received_ms) > opts.clock_skew_ms)
        p.flags.push_back("clock_skew");

    if (p.record.kind == RecordKind::SignUp) {
        const Json& pl = p.record.payload;
        if (auto it = pl.find("activity_id"); it != pl.end() && it->is_string())
            p.activity_id = it->get<std::string>();
        p.party_size = 1;
        if (auto it = pl.find("party_size"); it != pl.end() && it->is_number_integer())
            p.party_size = it->get<int>();
    }
    return p;
}

IngestResult ingest_batch(Storage& storage, const KeyPair& keys, const PushMeta& meta, const Json& records,
                          std::int64_t received_ms, const IngestOptions& opts) {
    std::vector<PreparedRecord> batch;
    batch.reserve(records.size());
    for (const Json& raw : records) batch.push_back(prepare_record(raw, meta.kiosk_id, keys, received_ms, opts));
    return storage.ingest(meta, batch);
}

Json to_json(const RecordAnswer& a) {
    Json j = {{"id", a.id}, {"result", a.result}};
    if (!a.receipt.empty()) j["receipt"] = a.receipt;
    if (!a.signup_status.empty()) j["signup_status"] = a.signup_status;
    if (!a.code.empty()) j["code"] = a.code;
    if (!a.message.empty()) j["message"] = a.message;
    if (!a.flags.empty()) j["flags"] = a.flags;
    return j;
}

}  // namespace kyodo::server
