#include "server/ingest.h"

#include <cstdlib>

#include "core/codec.h"
#include "core/json_text.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "server/content_hash.h"
#include "server/slot_rules.h"
#include "server/talent.h"

namespace kyodo::server {
namespace {

PreparedRecord reject(PreparedRecord p, std::string code, std::string message) {
    p.reject_code = std::move(code);
    p.reject_message = std::move(message);
    return p;
}

PreparedRecord finish(PreparedRecord p, const std::string& token_kiosk_id, const KeyPair& keys,
                      std::int64_t received_ms, const IngestOptions& opts, std::string_view payload_text = {});

// `movable` is `raw` when the caller gives the tree up (its payload is moved out), else null.
PreparedRecord prepare(const Json& raw, Json* movable, const std::string& token_kiosk_id, const KeyPair& keys,
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
        p.record = movable ? record_from_json(std::move(*movable)) : record_from_json(raw);
    } catch (const DecodeError& e) {
        return reject(std::move(p), "bad_record", e.what());
    } catch (const std::exception& e) {
        return reject(std::move(p), "bad_record", std::string("record: ") + e.what());
    }
    return finish(std::move(p), token_kiosk_id, keys, received_ms, opts);
}

}  // namespace

PreparedRecord prepare_decoded(Record&& record, const std::string& token_kiosk_id, const KeyPair& keys,
                               std::int64_t received_ms, const IngestOptions& opts, std::string_view payload_text) {
    PreparedRecord p;
    p.id = record.id;
    p.record = std::move(record);
    return finish(std::move(p), token_kiosk_id, keys, received_ms, opts, payload_text);
}

namespace {

// Everything after decoding: the personal part, validation, kiosk, canonical text and hash.
PreparedRecord finish(PreparedRecord p, const std::string& token_kiosk_id, const KeyPair& keys,
                      std::int64_t received_ms, const IngestOptions& opts, std::string_view payload_text) {
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

    if (p.record.kiosk_id != token_kiosk_id) {
        // The message is built before `p` is moved: the order in which a call's arguments are
        // evaluated is unspecified, and clang moves `p` first (the message said record says "").
        std::string msg = "kiosk_id: record says \"" + p.record.kiosk_id + "\" but the token belongs to \"" +
                          token_kiosk_id + "\"";
        return reject(std::move(p), "kiosk_mismatch", std::move(msg));
    }

    // The payload's text is stored as is and is part of the canonical text that is hashed:
    // dump it once (it used to be dumped twice, once inside to_json(record).dump()).
    p.payload_json = payload_text.empty() ? p.record.payload.dump() : std::string(payload_text);
    p.content_hash = content_hash(p.record, p.record.payload.is_null() ? "{}" : p.payload_json);
    // A group's representative stays sealed at rest (server/groups.h): the dashboard opens the
    // box with city hall's key when staff look, so the database file holds no readable name.
    if (personal && p.record.kind != RecordKind::GroupRegistration) p.personal_json = to_json(*personal).dump();
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
        if (auto it = pl.find("lease"); it != pl.end() && it->is_string()) p.lease = it->get<std::string>();
    } else if (p.record.kind == RecordKind::Cancel) {
        const Json& pl = p.record.payload;
        auto text = [&](const char* k) {
            auto it = pl.find(k);
            return it != pl.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        p.cancel_of = text("signup_id");
        p.cancel_receipt = text("receipt");
        p.cancel_code = text("check_code");
    } else if (p.record.kind == RecordKind::Attendance) {
        const Json& pl = p.record.payload;
        if (auto it = pl.find("signup_id"); it != pl.end() && it->is_string()) p.attendance_of = it->get<std::string>();
        if (auto it = pl.find("attended"); it != pl.end() && it->is_boolean()) p.attended = it->get<bool>() ? 1 : 0;
    }
    return p;
}

}  // namespace

PreparedRecord prepare_record(const Json& raw, const std::string& token_kiosk_id, const KeyPair& keys,
                              std::int64_t received_ms, const IngestOptions& opts) {
    return prepare(raw, nullptr, token_kiosk_id, keys, received_ms, opts);
}

PreparedRecord prepare_record(Json&& raw, const std::string& token_kiosk_id, const KeyPair& keys,
                              std::int64_t received_ms, const IngestOptions& opts) {
    return prepare(raw, &raw, token_kiosk_id, keys, received_ms, opts);
}

IngestResult ingest_batch(Storage& storage, const KeyPair& keys, const PushMeta& meta, Json&& records,
                          std::int64_t received_ms, const IngestOptions& opts) {
    std::vector<PreparedRecord> batch;
    batch.reserve(records.size());
    for (Json& raw : records)
        batch.push_back(prepare_record(std::move(raw), meta.kiosk_id, keys, received_ms, opts));
    check_bookings(storage, batch, received_ms);
    IngestResult r = storage.ingest(meta, batch);
    notify_lost_bookings(storage, batch, r, received_ms);
    settle_talent(storage, batch, r, meta.received_at);
    return r;
}

IngestResult ingest_batch(Storage& storage, const KeyPair& keys, const PushMeta& meta, const Json& records,
                          std::int64_t received_ms, const IngestOptions& opts) {
    std::vector<PreparedRecord> batch;
    batch.reserve(records.size());
    for (const Json& raw : records) batch.push_back(prepare_record(raw, meta.kiosk_id, keys, received_ms, opts));
    check_bookings(storage, batch, received_ms);
    IngestResult r = storage.ingest(meta, batch);
    notify_lost_bookings(storage, batch, r, received_ms);
    settle_talent(storage, batch, r, meta.received_at);
    return r;
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

void append_json(std::string& out, const RecordAnswer& a) {
    // Keys in the order dump() writes them (sorted), empty ones left out as in to_json.
    using json_text::append_string_lossy;
    const char* sep = "{\"";
    auto key = [&](const char* k) {
        out += sep;
        out += k;
        out += "\":";
        sep = ",\"";
    };
    auto field = [&](const char* k, const std::string& v, bool always = false) {
        if (v.empty() && !always) return;
        key(k);
        append_string_lossy(out, v);
    };
    field("code", a.code);
    if (!a.flags.empty()) {
        key("flags");
        out += '[';
        for (std::size_t i = 0; i < a.flags.size(); ++i) {
            if (i) out += ',';
            append_string_lossy(out, a.flags[i]);
        }
        out += ']';
    }
    field("id", a.id, true);
    field("message", a.message);
    field("receipt", a.receipt);
    field("result", a.result, true);
    field("signup_status", a.signup_status);
    out += '}';
}

}  // namespace kyodo::server
