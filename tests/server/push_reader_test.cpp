// The push reader (server/push_reader.h) against the full-tree reading it replaced: for
// well-formed pushes of every kind, hostile and malformed bodies, and thousands of mutations
// of real bodies (every truncation, byte replaced, deleted, inserted), read_push() must give
// exactly what read_push_tree() gives: the same error (status, code, message), or the same
// meta, acknowledgements and prepared records (decoded fields, payload text, content hash,
// personal part, flags, rejection code and message). And the kiosk's own bodies must take the
// fast path.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/timeutil.h"
#include "server/push_reader.h"
#include "server_test_util.h"

using namespace kyodo;
using namespace kyodo::server;
using namespace kyodo::server::testing;

namespace {

constexpr std::int64_t kNow = 1796000000000;   // a fixed receipt time (2026-11)

std::string describe(const PreparedRecord& p) {
    const Record& r = p.record;
    std::string s = "id=" + p.id + " reject=" + p.reject_code + ":" + p.reject_message + " rid=" + r.id +
                    " kind=" + std::string(to_code(r.kind)) + " sv=" + std::to_string(r.schema_version) +
                    " created=" + r.created_at + " kiosk=" + r.kiosk_id + " centre=" + r.centre_id +
                    " sealed=" + r.sealed + " payload=" + r.payload.dump(-1, ' ', false, Json::error_handler_t::replace) +
                    " payload_json=" + p.payload_json + " hash=" + p.content_hash + " personal=" + p.personal_json +
                    " activity=" + p.activity_id + " party=" + std::to_string(p.party_size) + " flags=";
    for (const auto& f : p.flags) s += f + ",";
    return s;
}

// Reads `body` both ways and checks the outcomes are the same. Returns whether the fast
// reader read it itself.
bool same_answer(const std::string& body, std::size_t max_records = 1000) {
    const KeyPair& keys = test_keys();
    PushReadOptions o;
    o.max_records = max_records;
    PushBody fast, tree;
    const auto ef = read_push(body, "k1", keys, kNow, o, fast);
    const auto et = read_push_tree(body, "k1", keys, kNow, o, tree);
    INFO("body: ", body.size() > 600 ? body.substr(0, 600) + "…" : body);
    REQUIRE(ef.has_value() == et.has_value());
    if (ef) {
        CHECK(ef->status == et->status);
        CHECK(ef->code == et->code);
        CHECK(ef->message == et->message);
        CHECK(!fast.fast);
        return fast.fast;
    }
    CHECK(fast.app_version == tree.app_version);
    CHECK(fast.backlog == tree.backlog);
    REQUIRE(fast.acks.size() == tree.acks.size());
    for (std::size_t i = 0; i < fast.acks.size(); ++i) {
        CHECK(fast.acks[i].id == tree.acks[i].id);
        CHECK(fast.acks[i].signup_status == tree.acks[i].signup_status);
        CHECK(fast.acks[i].receipt == tree.acks[i].receipt);
    }
    REQUIRE(fast.records.size() == tree.records.size());
    for (std::size_t i = 0; i < fast.records.size(); ++i) {
        CHECK(describe(fast.records[i]) == describe(tree.records[i]));
        CHECK(fast.records[i].record.payload == tree.records[i].record.payload);
        // Same JSON types too (nlohmann reads 5 as unsigned, -5 as signed).
        CHECK(fast.records[i].record.payload.dump() == tree.records[i].record.payload.dump());
    }
    return fast.fast;
}

Record survey_response(const std::string& kiosk = "k1") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::SurveyResponse;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"survey_id", "sv-1"},
                 {"survey_version", 1},
                 {"answers", Json::array({Json{{"question_id", "q1"}, {"choice", 0}},
                                          Json{{"question_id", "q2"}, {"choices", Json::array({0, 2})}},
                                          Json{{"question_id", "q3"}, {"scale", 4}},
                                          Json{{"question_id", "q4"}, {"text", "とても\n良かった \"です\" \\ / \t"}}})}};
    return r;
}

Record proposal(const KeyPair& keys) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Proposal;
    r.created_at = rfc3339_now();
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"title", "子ども食堂"},
                 {"summary", "週に一度、公民館で。😀"},
                 {"fields", Json::array({"子育て", "福祉"})},
                 {"group_name", ""},
                 {"partner_department", ""}};
    Personal p;
    p.name = "山口 太郎";
    p.phone = "083-922-0000";
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

Record comment() {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::PublicComment;
    r.created_at = "2020-01-01T00:00:00Z";   // clock skew: flagged
    r.kiosk_id = "k1";
    r.centre_id = "ohdono";
    r.payload = {{"draft_id", "d1"}, {"section_id", "s1"}, {"text", "第3条について\r\n賛成です"}};
    return r;
}

// A push body as the kiosk's sync engine writes it (sync/sync_engine.cpp).
std::string kiosk_body(const std::vector<Record>& recs, int backlog = 7, bool acks = false) {
    std::string b = "{\"app_version\":\"0.1.0\",\"backlog\":" + std::to_string(backlog) +
                    ",\"kiosk_id\":\"k1\",\"records\":[";
    for (std::size_t i = 0; i < recs.size(); ++i) {
        if (i) b += ',';
        b += to_json(recs[i]).dump();
    }
    b += ']';
    if (acks) b += R"(,"signup_acks":[{"id":"a1","signup_status":"cancelled"},{"id":"a2","signup_status":"confirmed"}])";
    return b + "}";
}

std::vector<Record> every_kind() {
    const KeyPair& keys = test_keys();
    return {opinion(), sign_up(keys, "ev-small", 2), survey_response(), comment(), proposal(keys)};
}

}  // namespace

TEST_CASE("push reader: the kiosk's bodies are read without the tree, with the tree's result") {
    const auto recs = every_kind();
    CHECK(same_answer(kiosk_body(recs)));
    CHECK(same_answer(kiosk_body(recs, 0, true)));
    CHECK(same_answer(kiosk_body({})));
    // Pretty-printed, keys in another order, unknown keys, escapes the kiosk never writes.
    Json doc = Json::parse(kiosk_body(recs, 3, true));
    CHECK(same_answer(doc.dump(2)));
    CHECK(same_answer(doc.dump(-1, ' ', true)));   // every non-ASCII character as \uXXXX
    CHECK(same_answer(R"( {"extra":{"a":[1,-2,true,false,null,"x"]},"records":[)" + to_json(opinion()).dump() +
                      R"(],"backlog":0} )"));
    std::string reordered = R"({"records":[{"payload":{"wants_reply":false,"text":"\u3042\/\ud83d\ude00","topic":"","activity_id":""},"sealed":"","centre_id":"ohdono","kiosk_id":"k1","created_at":")" +
                            rfc3339_now() + R"(","schema_version":1,"kind":"opinion","id":")" + new_uuid_v7() +
                            R"(","note":[[]]}]})";
    CHECK(same_answer(reordered));
    // A record with no payload, or an empty one, is read fast too (and rejected by the validator).
    CHECK(same_answer(R"({"records":[{"id":"a","kind":"opinion"},{"id":"b","kind":"opinion","payload":{}}]})"));
    // Rejections the fast reader leaves to the validator and storage: same messages.
    Record mine = opinion("k2");
    Record long_text = opinion("k1", std::string(2100, 'x'));
    CHECK(same_answer(kiosk_body({mine, long_text})));
    // A repeated payload key keeps the last value, as the tree does.
    CHECK(same_answer(R"({"records":[{"id":")" + new_uuid_v7() +
                      R"(","kind":"opinion","kiosk_id":"k1","centre_id":"ohdono","created_at":")" + rfc3339_now() +
                      R"(","payload":{"text":"first","text":"second","topic":"","activity_id":"","wants_reply":false}}]})"));
}

TEST_CASE("push reader: hostile and odd bodies get the tree's exact answer") {
    const std::string good = to_json(opinion()).dump();
    std::string many = "{\"records\":[";
    for (int i = 0; i < 11; ++i) many += (i ? "," : "") + good;
    many += "]}";
    const std::vector<std::string> bodies = {
        "", " ", "{", "}", "[]", "null", "0", "\"x\"", "{}", "{\"records\":null}", "{\"records\":{}}",
        R"({"records": [)", "<html><body>login</body></html>", "\xEF\xBB\xBF{\"records\":[]}",
        "{\"records\":[\"a\xff\"]}", "{\"records\":[\"\xc0\xaf\"]}", "{\"records\":[\"\xed\xa0\x80\"]}",
        "{\"records\":[\"\xf4\x90\x80\x80\"]}", "{\"records\":[\"\xe3\x81\"]}",
        R"({"records":["\ud800"]})", R"({"records":["\udc00"]})", R"({"records":["\ud800\u0041"]})",
        R"({"records":["\u00"]})", R"({"records":["\x"]})", "{\"records\":[\"a\tb\"]}", "{\"records\":[\"a\x7f\"]}",
        R"({"records":[]} x)", R"({"records":[]}{})", R"({"records":[]/**/})", R"({"records":[],})",
        R"({"records":[1,]})", R"({'records':[]})", R"({"records":[],"backlog":01})", R"({"records":[],"backlog":-0})",
        R"({"records":[],"backlog":0})", R"({"records":[],"backlog":1e2})", R"({"records":[],"backlog":1.0})",
        R"({"records":[],"backlog":-1})", R"({"records":[],"backlog":9223372036854775807})",
        R"({"records":[],"backlog":9223372036854775808})", R"({"records":[],"backlog":18446744073709551615})",
        R"({"records":[],"backlog":18446744073709551616})", R"({"records":[],"backlog":"1"})",
        R"({"records":[],"backlog":null})", R"({"records":[],"backlog":1,"backlog":-1})",
        R"({"records":[],"app_version":null})", R"({"records":[],"app_version":"a","app_version":"b"})",
        R"({"records":[],"app_version":")" + std::string(64, 'v') + "\"}",
        R"({"records":[],"app_version":")" + std::string(65, 'v') + "\"}",
        R"({"records":[],"signup_acks":null})", R"({"records":[],"signup_acks":[]})",
        R"({"records":[],"signup_acks":[{"id":"a","signup_status":"x","id":"b"}]})",
        R"({"records":[],"signup_acks":[{"id":"a","signup_status":null}]})",
        R"({"records":[],"signup_acks":[{"id":"a","signup_status":"x","more":[1]}]})",
        R"({"records":[],"signup_acks":[{}]})", R"({"records":[],"signup_acks":[[]]})",
        R"({"records":5,"records":[]})", R"({"records":[],"records":5})", R"({"records":[NaN]})",
        R"({"records":[tru]})", R"({"records":[true]})", R"({"records":[nul]})",
        "{\"records\":[" + std::string(200, '[') + std::string(200, ']') + "]}",
        "{\"records\":[" + std::string(5000, '['),
        R"({"records":[{}]})", R"({"records":[{"id":null,"kind":"opinion"}]})",
        R"({"records":[{"id":"x","kind":null}]})", R"({"records":[{"id":"x","kind":"spam"}]})",
        R"({"records":[{"id":"x","kind":7}]})", R"({"records":[{"id":"x","kind":"opinion","schema_version":-1}]})",
        R"({"records":[{"id":"x","kind":"opinion","schema_version":2147483647}]})",
        R"({"records":[{"id":"x","kind":"opinion","schema_version":2147483648}]})",
        R"({"records":[{"id":"x","kind":"opinion","schema_version":1.0}]})",
        R"({"records":[{"id":"x","kind":"opinion","schema_version":1.5}]})",
        R"({"records":[{"id":"x","kind":"opinion","schema_version":null}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":null}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":[]}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":{"text":1.5}}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":{"text":-9223372036854775808}}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":{"text":-9223372036854775807}}]})",
        R"({"records":[{"id":"x","kind":"opinion","payload":{"text":-0}}]})",
        R"({"records":[{"id":"x","kind":"opinion","sealed":null,"created_at":null}]})",
        R"({"records":[{"id":"x","kind":"opinion","sealed":"!!"}]})",
        R"({"records":[{"id":"x","id":"y","kind":"opinion"}]})",
        R"({"records":[{"id":"x","kind":"opinion","kind":"spam"}]})",
        R"({"records":[{"id":"x","kind":"spam","kind":"opinion"}]})",
        R"({"records":[{"kind":"opinion","id":5}]})",
        "{\"records\":[" + good + "," + good + "]}",   // the same record twice in one push
        many,
    };
    for (const std::string& b : bodies) same_answer(b);
    same_answer(many, 10);   // over max_records: 413 from the tree
    same_answer(many, 11);
}

TEST_CASE("push reader: thousands of mutations of real bodies answer as the tree does") {
    const KeyPair& keys = test_keys();
    const std::vector<std::string> seeds = {
        kiosk_body({opinion()}, 2, true),
        kiosk_body({sign_up(keys, "ev-small", 1)}),
        kiosk_body({survey_response()}),
        R"({"records":[{"id":"x","kind":"opinion","payload":{"a":[1,-2,{"b":"\u3042\n"}],"t":true}}],"backlog":3})",
    };
    std::mt19937 rng(20261206);
    const std::string interesting = "\"\\{}[],:0-1.eE tnfu\x7f\xff\xc3\x80\x00/";
    int cases = 0, fast = 0;
    for (const std::string& seed : seeds) {
        // Every prefix (truncated bodies).
        for (std::size_t n = 0; n < seed.size(); n += (seed.size() > 600 ? 3 : 1), ++cases) fast += same_answer(seed.substr(0, n));
        // Random single-byte edits.
        for (int i = 0; i < 700; ++i, ++cases) {
            std::string m = seed;
            const std::size_t at = rng() % m.size();
            const char c = interesting[rng() % interesting.size()];
            switch (rng() % 3) {
                case 0: m[at] = c; break;
                case 1: m.erase(at, 1); break;
                default: m.insert(at, 1, c); break;
            }
            fast += same_answer(m);
        }
    }
    MESSAGE(cases, " mutated bodies, ", fast, " read by the fast reader");
    CHECK(cases > 3000);
    CHECK(fast > 0);
}

TEST_CASE("push reader: a payload's own text is kept only when it is exactly dump()'s") {
    // Valid records (so the payload text is stored and hashed) whose payload is written in
    // ways dump() would not write: each must still store dump()'s text and hash.
    const std::string id = new_uuid_v7(), now = rfc3339_now();
    auto op = [&](const std::string& payload) {
        return R"({"records":[{"centre_id":"ohdono","created_at":")" + now + R"(","id":")" + id +
               R"(","kind":"opinion","kiosk_id":"k1","payload":)" + payload + R"(,"schema_version":1,"sealed":""}]})";
    };
    const std::vector<std::string> payloads = {
        R"({"activity_id":"","text":"as dump() writes it","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"a\/b","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"\u0041\u3042","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"line\u000aline","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"line\u000Aline","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"tab\ttab\nnew \"q\" \\","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"\ud83d\ude00","topic":"","wants_reply":false})",
        R"({"activity_id":"","topic":"","text":"keys out of order","wants_reply":false})",
        R"({"activity_id":"","text":"twice","text":"keys twice","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"keys twice","topic":"","topic":"","wants_reply":false})",
        R"({ "activity_id":"","text":"space","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"space","topic":"","wants_reply":false })",
        R"({"activity_id" :"","text":"space","topic":"","wants_reply":false})",
        R"({"activity_id":"","text":"space","topic":"", "wants_reply":false})",
        "{\"activity_id\":\"\",\"text\":\"\x7f del\",\"topic\":\"\",\"wants_reply\":false}",
    };
    for (const std::string& p : payloads) CHECK(same_answer(op(p)));
    // Integers: -0 is written 0 by dump().
    std::string su = kiosk_body({sign_up(test_keys(), "ev-small", 1)});
    const auto at = su.find("\"activity_version\":1");
    REQUIRE(at != std::string::npos);
    CHECK(same_answer(std::string(su).replace(at, 20, "\"activity_version\":0")));
    CHECK(same_answer(std::string(su).replace(at, 20, "\"activity_version\":-0")));
    // Nested objects and arrays (a survey's answers), keys in and out of order.
    std::string sv = kiosk_body({survey_response()});
    CHECK(same_answer(sv));
    const std::string q1 = "{\"choice\":0,\"question_id\":\"q1\"}";
    const auto q = sv.find(q1);
    REQUIRE(q != std::string::npos);
    CHECK(same_answer(std::string(sv).replace(q, q1.size(), "{\"question_id\":\"q1\",\"choice\":0}")));
    CHECK(same_answer(std::string(sv).replace(q, q1.size(), "{\"choice\":-0,\"question_id\":\"q1\"}")));
}
