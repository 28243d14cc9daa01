#include "server/push_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/codec.h"
#include "core/utf8.h"

namespace kyodo::server {
namespace {

// ---------------------------------------------------------------------------------------
// The reference reading: the whole body as an nlohmann tree (the push handler's code until
// 2026-12). Every answer the fast reader cannot give itself comes from here.

// The parser's message without its "[json.exception.parse_error.101] " prefix, and with any
// bytes that are not UTF-8 replaced, so it can go back in a JSON answer and a log line.
std::string parse_message(const Json::parse_error& e) {
    std::string m = e.what();
    if (auto p = m.find("] "); m.rfind("[json.exception", 0) == 0 && p != std::string::npos) m.erase(0, p + 2);
    if (!utf8::valid(m)) m = utf8::encode(utf8::decode(m));
    if (m.find("UTF-8") != std::string::npos || m.find("utf-8") != std::string::npos)
        m = "text must be UTF-8 (" + m + ")";
    return m;
}

PushError bad_request(std::string msg) { return PushError{400, "bad_request", std::move(msg)}; }

}  // namespace

std::optional<PushError> read_push_tree(std::string_view body, const std::string& kiosk_id, const KeyPair& keys,
                                        std::int64_t received_ms, const PushReadOptions& opts, PushBody& out) {
    out = PushBody{};
    Json doc;
    try {
        doc = Json::parse(body);
    } catch (const Json::parse_error& e) {
        return PushError{400, "bad_json", "body is not valid JSON: " + parse_message(e)};
    }
    if (!doc.is_object()) return bad_request("body must be a JSON object with a \"records\" array");
    const auto recs = doc.find("records");
    if (recs == doc.end()) return bad_request("\"records\" is missing");
    if (!recs->is_array()) return bad_request("\"records\" must be an array");
    if (recs->size() > opts.max_records)
        return PushError{413, "too_large",
                         std::to_string(recs->size()) + " records in one push; the limit is " +
                             std::to_string(opts.max_records)};
    if (auto it = doc.find("app_version"); it != doc.end()) {
        if (!it->is_string() || it->get_ref<const std::string&>().size() > 64)
            return bad_request("\"app_version\" must be a string of at most 64 bytes");
        out.app_version = it->get<std::string>();
    }
    if (auto it = doc.find("backlog"); it != doc.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return bad_request("\"backlog\" must be a non-negative integer");
        out.backlog = it->get<std::int64_t>();
    }
    // Sign-up updates the kiosk applied since the last answer (optional).
    if (auto it = doc.find("signup_acks"); it != doc.end()) {
        bool good = it->is_array() && it->size() <= opts.max_records;
        for (const Json& a : good ? *it : Json::array()) {
            const auto id = a.is_object() ? a.find("id") : a.end();
            const auto st = a.is_object() ? a.find("signup_status") : a.end();
            if (!a.is_object() || id == a.end() || st == a.end() || !id->is_string() || !st->is_string()) {
                good = false;
                break;
            }
            out.acks.push_back(SignupUpdate{id->get<std::string>(), "", st->get<std::string>()});
        }
        if (!good)
            return bad_request("\"signup_acks\" must be an array of at most " + std::to_string(opts.max_records) +
                               " objects {\"id\": string, \"signup_status\": string}");
    }
    // Each record's payload tree moves into its record.
    out.records.reserve(recs->size());
    for (Json& raw : *recs)
        out.records.push_back(prepare_record(std::move(raw), kiosk_id, keys, received_ms, opts.ingest));
    return std::nullopt;
}

namespace {

// ---------------------------------------------------------------------------------------
// The fast reader. Every function returns false to give up ("not mine": the caller falls
// back to the tree), never to report an error; so it may be stricter than nlohmann's
// parser, never looser, and what it accepts it must read to the same values.

class FastReader {
public:
    FastReader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

    bool push(const std::string& kiosk_id, const KeyPair& keys, std::int64_t received_ms,
              const PushReadOptions& opts, PushBody& out) {
        ws();
        if (!eat('{')) return false;
        bool seen_records = false, seen_app = false, seen_backlog = false, seen_acks = false;
        std::vector<Record> recs;
        std::vector<std::string_view> payload_texts;   // canonical payload text, or empty
        std::string key;
        ws();
        if (at('}')) return false;   // no "records": the tree's answer
        for (;;) {
            if (!string(key)) return false;
            ws();
            if (!eat(':')) return false;
            ws();
            if (key == "records") {
                if (seen_records) return false;
                seen_records = true;
                if (!records(opts.max_records, recs, payload_texts)) return false;
            } else if (key == "app_version") {
                if (seen_app) return false;
                seen_app = true;
                if (!at('"') || !string(out.app_version) || out.app_version.size() > 64) return false;
            } else if (key == "backlog") {
                if (seen_backlog) return false;
                seen_backlog = true;
                std::uint64_t v = 0;
                if (!unsigned_int(v) || v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return false;
                out.backlog = static_cast<std::int64_t>(v);
            } else if (key == "signup_acks") {
                if (seen_acks) return false;
                seen_acks = true;
                if (!acks(opts.max_records, out.acks)) return false;
            } else if (!skip(0)) {
                return false;
            }
            ws();
            if (eat(',')) {
                ws();
                continue;
            }
            if (!eat('}')) return false;
            break;
        }
        ws();
        if (p_ != end_ || !seen_records) return false;
        // Read whole and well-formed: now the work per record (nothing of it is wasted on a
        // body the tree ends up answering).
        out.records.reserve(recs.size());
        for (std::size_t i = 0; i < recs.size(); ++i)
            out.records.push_back(
                prepare_decoded(std::move(recs[i]), kiosk_id, keys, received_ms, opts.ingest, payload_texts[i]));
        return true;
    }

private:
    static constexpr int kMaxDepth = 64;
    const char* p_;
    const char* end_;
    // While a payload is read: whether its text so far is exactly what dump() writes for
    // the tree read from it (no white space, keys in order and once, strings escaped as
    // dump() escapes them, no -0). Then the text itself is the payload's stored and hashed
    // text, and dump() is not needed.
    bool canon_ = true;

    bool at(char c) const { return p_ != end_ && *p_ == c; }
    bool eat(char c) {
        if (!at(c)) return false;
        ++p_;
        return true;
    }
    void ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    void vws() {   // inside a payload
        const char* from = p_;
        ws();
        if (p_ != from) canon_ = false;
    }
    bool literal(const char* lit) {
        const std::size_t n = std::strlen(lit);
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, lit, n) != 0) return false;
        p_ += n;
        return true;
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    bool u4(unsigned& v) {
        if (end_ - p_ < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hex(p_[i]);
            if (h < 0) return false;
            v = (v << 4) | static_cast<unsigned>(h);
        }
        p_ += 4;
        return true;
    }

    // One UTF-8 sequence starting at a byte >= 0x80, checked as RFC 3629 (no overlong
    // forms, no surrogates, nothing past U+10FFFF), which is what nlohmann's lexer checks.
    bool utf8_seq() {
        const auto b0 = static_cast<unsigned char>(*p_);
        std::size_t n;
        char32_t cp, min;
        if (b0 >= 0xC2 && b0 <= 0xDF) n = 2, cp = b0 & 0x1F, min = 0x80;
        else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, cp = b0 & 0x0F, min = 0x800;
        else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, cp = b0 & 0x07, min = 0x10000;
        else return false;
        if (static_cast<std::size_t>(end_ - p_) < n) return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<unsigned char>(p_[k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
        p_ += n;
        return true;
    }

    // A string at p_ (which must be '"'), decoded into `out`.
    bool string(std::string& out) {
        if (!eat('"')) return false;
        out.clear();
        for (;;) {
            const char* run = p_;
            while (p_ != end_) {
                const auto c = static_cast<unsigned char>(*p_);
                if (c == '"' || c == '\\' || c < 0x20) break;
                if (c < 0x80) {
                    ++p_;
                } else if (!utf8_seq()) {
                    return false;
                }
            }
            out.append(run, static_cast<std::size_t>(p_ - run));
            if (p_ == end_) return false;
            const char c = *p_++;
            if (c == '"') return true;
            if (c != '\\') return false;   // a control character
            if (p_ == end_) return false;
            switch (*p_++) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; canon_ = false; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    const char* digits = p_;
                    if (!u4(cp)) return false;
                    // dump() writes \u00xx (lower case) for the control characters it has
                    // no short escape for, and every other character as it is.
                    if (cp > 0x1F || cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r' ||
                        std::any_of(digits, digits + 4, [](char h) { return h >= 'A' && h <= 'F'; }))
                        canon_ = false;
                    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        unsigned lo = 0;
                        if (!literal("\\u") || !u4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    out += utf8::encode(static_cast<char32_t>(cp));
                    break;
                }
                default: return false;
            }
        }
    }

    // Digits only (no sign, fraction or exponent), as nlohmann's "unsigned" numbers; the
    // next byte must end the number.
    bool unsigned_int(std::uint64_t& v) {
        if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
        if (*p_ == '0' && p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9') return false;   // leading zero
        v = 0;
        while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
            const unsigned d = static_cast<unsigned>(*p_ - '0');
            if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
            v = v * 10 + d;
            ++p_;
        }
        return p_ == end_ || (*p_ != '.' && *p_ != 'e' && *p_ != 'E');
    }

    // Any JSON number nlohmann reads as an integer, into the same type it would use.
    bool integer(Json& out) {
        if (eat('-')) {
            std::uint64_t m = 0;
            if (!unsigned_int(m) || m > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return false;   // -9223372036854775808 and beyond: let the tree decide
            if (m == 0) canon_ = false;   // dump() writes 0
            out = -static_cast<std::int64_t>(m);
            return true;
        }
        std::uint64_t v = 0;
        if (!unsigned_int(v)) return false;
        out = v;
        return true;
    }

    // A value of any kind, read into a tree (a record's payload).
    bool value(Json& out, int depth) {
        if (p_ == end_) return false;
        switch (*p_) {
            case '"': {
                std::string s;
                if (!string(s)) return false;
                out = std::move(s);
                return true;
            }
            case '{': {
                if (++depth > kMaxDepth) return false;
                ++p_;
                out = Json::object();
                auto& obj = out.get_ref<Json::object_t&>();
                vws();
                if (eat('}')) return true;
                std::string key, last;
                for (bool first = true;; first = false) {
                    if (!string(key)) return false;
                    if (!first && !(last < key)) canon_ = false;   // dump() writes keys sorted, once
                    vws();
                    if (!eat(':')) return false;
                    vws();
                    // A repeated key keeps the last value, as nlohmann's tree does.
                    if (!value(obj[key], depth)) return false;
                    last.swap(key);
                    vws();
                    if (eat(',')) {
                        vws();
                        continue;
                    }
                    return eat('}');
                }
            }
            case '[': {
                if (++depth > kMaxDepth) return false;
                ++p_;
                out = Json::array();
                auto& arr = out.get_ref<Json::array_t&>();
                vws();
                if (eat(']')) return true;
                for (;;) {
                    arr.emplace_back();
                    if (!value(arr.back(), depth)) return false;
                    vws();
                    if (eat(',')) {
                        vws();
                        continue;
                    }
                    return eat(']');
                }
            }
            case 't':
                out = true;
                return literal("true");
            case 'f':
                out = false;
                return literal("false");
            case 'n':
                out = nullptr;
                return literal("null");
            default: return integer(out);
        }
    }

    // A value of any kind, checked and skipped (unknown keys).
    bool skip(int depth) {
        if (p_ == end_) return false;
        switch (*p_) {
            case '"': {
                std::string s;
                return string(s);
            }
            case '{': {
                if (++depth > kMaxDepth) return false;
                ++p_;
                ws();
                if (eat('}')) return true;
                std::string key;
                for (;;) {
                    if (!string(key)) return false;
                    ws();
                    if (!eat(':')) return false;
                    ws();
                    if (!skip(depth)) return false;
                    ws();
                    if (eat(',')) {
                        ws();
                        continue;
                    }
                    return eat('}');
                }
            }
            case '[': {
                if (++depth > kMaxDepth) return false;
                ++p_;
                ws();
                if (eat(']')) return true;
                for (;;) {
                    if (!skip(depth)) return false;
                    ws();
                    if (eat(',')) {
                        ws();
                        continue;
                    }
                    return eat(']');
                }
            }
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: {
                Json n;
                return integer(n);
            }
        }
    }

    // "signup_acks": [{"id": "…", "signup_status": "…"}, …]
    bool acks(std::size_t max, std::vector<SignupUpdate>& out) {
        if (!eat('[')) return false;
        ws();
        if (eat(']')) return true;
        std::string key;
        for (;;) {
            if (!eat('{')) return false;
            SignupUpdate u;
            bool seen_id = false, seen_status = false;
            ws();
            if (at('}')) return false;
            for (;;) {
                if (!string(key)) return false;
                ws();
                if (!eat(':')) return false;
                ws();
                if (key == "id") {
                    if (seen_id || !at('"') || !string(u.id)) return false;
                    seen_id = true;
                } else if (key == "signup_status") {
                    if (seen_status || !at('"') || !string(u.signup_status)) return false;
                    seen_status = true;
                } else if (!skip(1)) {
                    return false;
                }
                ws();
                if (eat(',')) {
                    ws();
                    continue;
                }
                if (!eat('}')) return false;
                break;
            }
            if (!seen_id || !seen_status || out.size() >= max) return false;
            out.push_back(std::move(u));
            ws();
            if (eat(',')) {
                ws();
                continue;
            }
            return eat(']');
        }
    }

    // "records": [ {record}, … ], each decoded as record_from_json would.
    bool records(std::size_t max, std::vector<Record>& out, std::vector<std::string_view>& payload_texts) {
        if (!eat('[')) return false;
        ws();
        if (eat(']')) return true;
        for (;;) {
            if (out.size() >= max) return false;   // 413 from the tree
            if (!record(out.emplace_back(), payload_texts.emplace_back())) return false;
            ws();
            if (eat(',')) {
                ws();
                continue;
            }
            return eat(']');
        }
    }

    // One record whose every known field has the type record_from_json wants (else the tree
    // decides, with its messages): id and kind strings (kind a known code), schema_version an
    // integer in int range, created_at / kiosk_id / centre_id / sealed strings, payload an
    // object. Unknown keys are skipped, as record_from_json ignores them.
    bool record(Record& r, std::string_view& payload_text) {
        if (!eat('{')) return false;
        enum : unsigned { kId = 1, kKind = 2, kSchema = 4, kCreated = 8, kKiosk = 16, kCentre = 32,
                          kPayload = 64, kSealed = 128 };
        unsigned seen = 0;
        auto first = [&seen](unsigned bit) {
            if (seen & bit) return false;
            seen |= bit;
            return true;
        };
        std::string key;
        ws();
        if (at('}')) return false;
        for (;;) {
            if (!string(key)) return false;
            ws();
            if (!eat(':')) return false;
            ws();
            bool ok;
            if (key == "id") ok = first(kId) && at('"') && string(r.id);
            else if (key == "kind") {
                std::string code;
                ok = first(kKind) && at('"') && string(code);
                if (ok) {
                    const auto k = record_kind_from_code(code);
                    ok = k.has_value();
                    if (ok) r.kind = *k;
                }
            } else if (key == "schema_version") {
                std::uint64_t v = 0;
                ok = first(kSchema) && unsigned_int(v) && v <= static_cast<std::uint64_t>(INT32_MAX);
                r.schema_version = static_cast<int>(v);
            } else if (key == "created_at") ok = first(kCreated) && at('"') && string(r.created_at);
            else if (key == "kiosk_id") ok = first(kKiosk) && at('"') && string(r.kiosk_id);
            else if (key == "centre_id") ok = first(kCentre) && at('"') && string(r.centre_id);
            else if (key == "sealed") ok = first(kSealed) && at('"') && string(r.sealed);
            else if (key == "payload") {
                const char* from = p_;
                canon_ = true;
                ok = first(kPayload) && at('{') && value(r.payload, 1);
                payload_text = canon_ ? std::string_view(from, static_cast<std::size_t>(p_ - from)) : std::string_view();
            }
            else ok = skip(1);
            if (!ok) return false;
            ws();
            if (eat(',')) {
                ws();
                continue;
            }
            if (!eat('}')) return false;
            return (seen & kId) && (seen & kKind);
        }
    }
};

}  // namespace

std::optional<PushError> read_push(std::string_view body, const std::string& kiosk_id, const KeyPair& keys,
                                   std::int64_t received_ms, const PushReadOptions& opts, PushBody& out) {
    out = PushBody{};
    if (FastReader(body).push(kiosk_id, keys, received_ms, opts, out)) {
        out.fast = true;
        return std::nullopt;
    }
    return read_push_tree(body, kiosk_id, keys, received_ms, opts, out);
}

}  // namespace kyodo::server
