#include "sync/sync_engine.h"

#include <algorithm>
#include <exception>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/codec.h"
#include "core/json_text.h"
#include "core/timeutil.h"
#include "sync/backoff.h"

namespace kyodo::sync {

namespace {

constexpr const char* kProtocol = "kyodo/1";
constexpr const char* kRecordsPath = "/api/v1/records";
constexpr const char* kCatalogPath = "/api/v1/catalog";
constexpr const char* kQuotasPath = "/api/v1/quotas";

// The parsed answer, and whether it is one of ours.
struct Answer {
    Json doc;
    bool json = false;      // the body parsed as JSON
    bool ours = false;      // an object carrying "protocol":"kyodo/1"
    std::string server_message;   // error.message when the server sent one
};

Answer parse_answer(const HttpResponse& r) {
    Answer a;
    a.doc = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    a.json = !a.doc.is_discarded();
    if (a.json && a.doc.is_object()) {
        auto p = a.doc.find("protocol");
        a.ours = p != a.doc.end() && p->is_string() && p->get<std::string>() == kProtocol;
        auto e = a.doc.find("error");
        if (a.ours && e != a.doc.end() && e->is_object()) {
            auto m = e->find("message");
            if (m != e->end() && m->is_string()) a.server_message = m->get<std::string>();
        }
    }
    return a;
}

std::string not_our_server_message(const HttpResponse& r) {
    std::string ct = r.content_type();
    return "サーバー以外から応答がありました。ネットワークへのログイン（キャプティブポータル）が必要かもしれません"
           " (HTTP " + std::to_string(r.status) + " answer" + (ct.empty() ? "" : " of type " + ct) +
           " did not come from the Kyodo server; a network login page?)";
}

std::string malformed_message(const std::string& what) {
    return "サーバーの応答を読み取れません。あとで再送します (malformed answer: " + what + ")";
}

std::optional<std::int64_t> retry_after_of(const HttpResponse& r) {
    return parse_retry_after(r.retry_after(), now_millis());
}

std::string str_field(const Json& o, const char* key) {
    auto it = o.find(key);
    return (it != o.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

void add_into(PushResult& sum, const PushResult& r) {
    sum.sent += r.sent;
    sum.stored += r.stored;
    sum.duplicate += r.duplicate;
    sum.rejected += r.rejected;
    sum.conflict += r.conflict;
    sum.unanswered = r.unanswered;   // what the last batch left out (it is sent again next)
    sum.requests += r.requests;
    sum.signup_updates += r.signup_updates;
    sum.reached_server = sum.reached_server || r.reached_server;
    if (r.http_status) sum.http_status = r.http_status;
    if (r.retry_after_s) sum.retry_after_s = r.retry_after_s;
    if (!r.ok) {
        sum.ok = false;
        sum.failure = r.failure;
        sum.error = r.error;
    }
}

}  // namespace

// --- staff-readable words -------------------------------------------------------------

std::string describe_transport_error(const HttpResponse& r) {
    switch (r.error_kind) {
    case TransportErrorKind::None:
        return "";
    case TransportErrorKind::Connect:
        return "サーバーに接続できません。ネットワークを確認してください (cannot connect: " + r.error + ")";
    case TransportErrorKind::Timeout:
        return "サーバーから応答がありません。あとで再送します (timed out: " + r.error + ")";
    case TransportErrorKind::Tls:
        return "サーバーの証明書を確認できません。端末の日時とCA証明書の設定を確認してください"
               " (TLS certificate check failed: " + r.error + ")";
    case TransportErrorKind::Cancelled:
        return "同期を中止しました (cancelled)";
    case TransportErrorKind::Other:
        break;
    }
    return "通信が途中で切れました。あとで再送します (transfer failed: " + r.error + ")";
}

FailureKind classify_status(int status) {
    if (status == 401 || status == 403) return FailureKind::Auth;
    return FailureKind::Retryable;
}

std::string describe_http_status(int status, const std::string& server_message,
                                 std::optional<std::int64_t> retry_after_s) {
    std::string detail = server_message.empty() ? "" : ": " + server_message;
    std::string code = std::to_string(status);
    if (status == 401)
        return "この端末の登録が受け付けられません。市役所（協働推進課）に連絡してください"
               " (401 unauthorized: the device token was refused" + detail + ")";
    if (status == 403)
        return "この端末は利用停止になっています。市役所（協働推進課）に連絡してください"
               " (403 forbidden: this kiosk was revoked" + detail + ")";
    if (status == 429) {
        std::string when = retry_after_s ? std::to_string(*retry_after_s) : std::string();
        return "サーバーが混み合っています。" + (when.empty() ? std::string("あとで") : when + "秒後に") +
               "再送します (429 too many requests" + (when.empty() ? "" : "; retrying in " + when + " s") +
               ")";
    }
    if (status >= 500)
        return "サーバーで問題が起きています。あとで再送します (HTTP " + code + " from the server" + detail +
               "; will retry)";
    if (status == 413)
        return "送信データが大きすぎます (413 payload too large" + detail + ")";
    if (status == 400)
        return "サーバーが送信内容を受け付けません。あとで再送します (400 bad request" + detail + ")";
    return "サーバーから予期しない応答がありました。あとで再送します (unexpected HTTP " + code + detail + ")";
}

// --- report -----------------------------------------------------------------------------

FailureKind SyncReport::failure() const {
    if (!push.ok) return push.failure;
    if (pull_attempted && !pull.ok) return pull.failure;
    if (quotas_attempted && !quotas.ok) return quotas.failure;
    return FailureKind::None;
}

std::string SyncReport::error() const {
    if (!push.ok) return push.error;
    if (pull_attempted && !pull.ok) return pull.error;
    if (quotas_attempted && !quotas.ok) return quotas.error;
    return "";
}

std::optional<std::int64_t> SyncReport::retry_after_s() const {
    std::optional<std::int64_t> r = push.retry_after_s;
    if (pull.retry_after_s && (!r || *pull.retry_after_s > *r)) r = pull.retry_after_s;
    return r;
}

std::string SyncReport::summary(int pending_after) const {
    std::ostringstream o;
    o << "pushed=" << push.answered() << " stored=" << push.stored << " duplicate=" << push.duplicate
      << " rejected=" << push.rejected << " conflict=" << push.conflict << " pending=" << pending_after
      << " pulled_version=" << pull.version;
    return o.str();
}

// --- engine -----------------------------------------------------------------------------

SyncEngine::SyncEngine(KioskStore& store, const KioskConfig& cfg, Transport& transport)
    : store_(store), cfg_(cfg), transport_(transport), clock_([] { return now_millis(); }) {}

Headers SyncEngine::auth_headers() const {
    return {{"Authorization", "Bearer " + cfg_.token},
            {"Accept", "application/json"},
            {"X-Kyodo-Kiosk", cfg_.kiosk_id}};
}

// The push body is written as text, in the key order dump() uses, rather than as a tree of
// 500 records dumped at the end. Same bytes as the tree would give.
void SyncEngine::body_start(std::string& body, int backlog) const {
    body += "{\"app_version\":";
    json_text::append_string_lossy(body, cfg_.app_version);
    body += ",\"backlog\":";
    json_text::append_int(body, backlog);
    body += ",\"kiosk_id\":";
    json_text::append_string_lossy(body, cfg_.kiosk_id);
    body += ",\"records\":[";
}

void SyncEngine::body_end(std::string& body) const {
    body += ']';
    if (!acks_.empty()) {
        body += ",\"signup_acks\":[";
        for (std::size_t i = 0; i < acks_.size(); ++i) {
            if (i) body += ',';
            body += "{\"id\":";
            json_text::append_string_lossy(body, acks_[i].id);
            body += ",\"signup_status\":";
            json_text::append_string_lossy(body, acks_[i].status);
            body += '}';
        }
        body += ']';
    }
    body += '}';
}

std::string SyncEngine::batch_body(const std::vector<OutboxEntry>& batch, int backlog) const {
    // Each record is canonical_json(), the bytes to_json(record).dump() gives (core/codec.h).
    std::string body;
    body_start(body, backlog);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Record& r = batch[i].record;
        if (i) body += ',';
        body += canonical_json(r, r.payload.is_null() ? std::string("{}") : r.payload.dump());
    }
    body_end(body);
    return body;
}

std::string SyncEngine::batch_body(const std::vector<KioskStore::PendingText>& batch, int backlog) const {
    // The records as the outbox holds them: to_json(record).dump() at enqueue, which is what
    // decoding and encoding them again would give.
    std::size_t size = 256;
    for (const auto& e : batch) size += e.json.size() + 1;
    std::string body;
    body.reserve(size);
    body_start(body, backlog);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (i) body += ',';
        body += batch[i].json;
    }
    body_end(body);
    return body;
}

PushResult SyncEngine::push() {
    PushResult res;
    std::vector<KioskStore::PendingText> batch;
    int backlog = 0;
    try {
        batch = store_.pending_text(batch_limit_, kMaxBatchBytes);
        // Sent as stored. A text that is not even shaped like an object (a damaged row) is
        // decoded here instead, which fails as pending() did: a kiosk database error.
        for (auto& e : batch)
            if (e.json.empty() || e.json.front() != '{' || e.json.back() != '}')
                e.json = to_json(record_from_json(Json::parse(e.json))).dump();
        if (batch.empty()) {
            res.empty = true;
            // Nothing to send; ask for signup_updates only when one could be waiting.
            if (!allow_poll_ || (acks_.empty() && store_.open_signups() == 0)) return res;
        }
        // The backlog is only a hint for city hall's device list; run_once passes what it
        // knows so a pass does not count the outbox again before every batch.
        backlog = backlog_hint_ >= 0 ? backlog_hint_ : store_.counts().pending;
    } catch (const std::exception& e) {
        res.ok = false;
        res.failure = FailureKind::Fatal;
        res.error = std::string("端末のデータベースを読めません (kiosk database error: ") + e.what() + ")";
        return res;
    }

    auto fail = [&](FailureKind kind, std::string msg) {
        res.ok = false;
        res.failure = kind;
        res.error = std::move(msg);
        std::vector<std::string> ids;
        ids.reserve(batch.size());
        for (const auto& e : batch) ids.push_back(e.id);
        try {
            store_.note_attempt_failed(ids, res.error);
        } catch (const std::exception&) {
            // Recording the attempt is bookkeeping; the records stay pending either way.
        }
        return res;
    };

    for (;;) {
        if (cancelled()) return fail(FailureKind::Retryable, "同期を中止しました (cancelled)");
        HttpResponse resp = transport_.post_json(kRecordsPath, batch_body(batch, backlog), auth_headers(),
                                                 /*gzip=*/true);
        ++res.requests;
        if (!resp.answered()) return fail(FailureKind::Retryable, describe_transport_error(resp));
        res.http_status = resp.status;
        Answer a = parse_answer(resp);
        if (a.ours) res.reached_server = true;

        if (resp.status == 413) {
            if (batch.size() > 1) {
                // Too big for the server (or a proxy in front of it): halve and try again.
                batch_limit_ = std::max<std::size_t>(1, batch.size() / 2);
                batch.resize(batch_limit_);
                continue;
            }
            if (a.ours && !batch.empty()) {
                // One record alone is too large for our server: it can never be delivered.
                // Keep it for staff with the reason instead of blocking the outbox forever.
                KioskStore::Answer ans{batch[0].id, "rejected", "too_large",
                                       "the server refused this record as too large (413)", ""};
                try {
                    store_.apply_answers({ans});
                } catch (const std::exception& e) {
                    return fail(FailureKind::Fatal,
                                std::string("端末のデータベースに書けません (kiosk database error: ") +
                                    e.what() + ")");
                }
                res.rejected = 1;
                res.sent = 1;
                return res;
            }
            return fail(FailureKind::Retryable, describe_http_status(413, a.server_message, std::nullopt));
        }

        if (resp.status != 200) {
            if (resp.status == 429 || resp.status >= 500) res.retry_after_s = retry_after_of(resp);
            std::string msg = describe_http_status(resp.status, a.server_message, res.retry_after_s);
            if (!a.ours && (resp.status == 401 || resp.status == 403))
                // An auth refusal that is not ours (a proxy?) is not a revocation: retry.
                return fail(FailureKind::Retryable, not_our_server_message(resp));
            return fail(classify_status(resp.status), msg);
        }
        if (!a.json) return fail(FailureKind::Retryable,
                                 !resp.body.empty() && resp.body.front() == '<'
                                     ? not_our_server_message(resp)
                                     : malformed_message("the body is not JSON (" +
                                                         std::to_string(resp.body.size()) + " bytes)"));
        if (!a.ours) return fail(FailureKind::Retryable, not_our_server_message(resp));
        auto results = a.doc.find("results");
        if (results == a.doc.end() || !results->is_array())
            return fail(FailureKind::Retryable, malformed_message("\"results\" is missing or not a list"));

        // Match answers to the records we sent; ignore anything naming other ids.
        std::unordered_set<std::string> sent;
        for (const auto& e : batch) sent.insert(e.id);
        std::unordered_map<std::string, KioskStore::Answer> answers;
        for (const auto& item : *results) {
            if (!item.is_object()) continue;
            std::string id = str_field(item, "id");
            std::string result = str_field(item, "result");
            if (!sent.count(id) || answers.count(id)) continue;
            if (result != "stored" && result != "duplicate" && result != "rejected" && result != "conflict")
                continue;   // an answer we do not understand is no answer: keep it pending
            KioskStore::Answer ans;
            ans.id = id;
            ans.result = result;
            ans.code = str_field(item, "code");
            ans.message = str_field(item, "message");
            ans.signup_status = str_field(item, "signup_status");
            answers.emplace(id, std::move(ans));
        }
        std::vector<KioskStore::Answer> ordered;
        std::vector<std::string> missing;
        for (const auto& e : batch) {
            auto it = answers.find(e.id);
            if (it == answers.end()) {
                missing.push_back(e.id);
                continue;
            }
            const auto& r = it->second.result;
            if (r == "stored") ++res.stored;
            else if (r == "duplicate") ++res.duplicate;
            else if (r == "rejected") ++res.rejected;
            else ++res.conflict;
            ordered.push_back(std::move(it->second));
        }
        try {
            if (!ordered.empty()) store_.apply_answers(ordered);
            if (!missing.empty())
                store_.note_attempt_failed(missing, "the server's answer left this record out");
            // The server has the acknowledgements this request carried; what it reports
            // now is applied, then acknowledged in the next push.
            acks_.clear();
            if (auto up = a.doc.find("signup_updates"); up != a.doc.end() && up->is_array()) {
                for (const auto& u : *up) {
                    if (!u.is_object()) continue;
                    std::string id = str_field(u, "id"), status = str_field(u, "signup_status");
                    if (status.empty()) status = str_field(u, "status");
                    if (id.empty() || status.empty()) continue;
                    store_.set_signup_status(id, status);
                    acks_.push_back(Ack{id, status});
                    ++res.signup_updates;
                }
            }
        } catch (const std::exception& e) {
            res.ok = false;
            res.failure = FailureKind::Fatal;
            res.error = std::string("端末のデータベースに書けません (kiosk database error: ") + e.what() + ")";
            return res;
        }
        res.sent = static_cast<int>(ordered.size());
        res.unanswered = static_cast<int>(missing.size());
        return res;
    }
}

PullResult SyncEngine::pull() {
    PullResult res;
    std::int64_t since = 0;
    std::string etag;
    try {
        since = store_.catalog_version();
        etag = store_.setting(kEtagSetting);
    } catch (const std::exception& e) {
        res.ok = false;
        res.failure = FailureKind::Fatal;
        res.error = std::string("端末のデータベースを読めません (kiosk database error: ") + e.what() + ")";
        return res;
    }
    res.version = since;
    auto fail = [&](FailureKind kind, std::string msg) {
        res.ok = false;
        res.failure = kind;
        res.error = std::move(msg);
        return res;
    };
    if (cancelled()) return fail(FailureKind::Retryable, "同期を中止しました (cancelled)");

    HttpResponse resp = transport_.get(std::string(kCatalogPath) + "?since=" + std::to_string(since),
                                       auth_headers(), etag);
    if (!resp.answered()) return fail(FailureKind::Retryable, describe_transport_error(resp));
    res.http_status = resp.status;
    if (resp.status == 304) {
        res.reached_server = true;   // nothing changed since our version
        return res;
    }
    Answer a = parse_answer(resp);
    if (a.ours) res.reached_server = true;
    if (resp.status != 200) {
        if (resp.status == 429 || resp.status >= 500) res.retry_after_s = retry_after_of(resp);
        if (!a.ours && (resp.status == 401 || resp.status == 403))
            return fail(FailureKind::Retryable, not_our_server_message(resp));
        return fail(classify_status(resp.status),
                    describe_http_status(resp.status, a.server_message, res.retry_after_s));
    }
    if (!a.json)
        return fail(FailureKind::Retryable,
                    !resp.body.empty() && resp.body.front() == '<'
                        ? not_our_server_message(resp)
                        : malformed_message("the catalog is not JSON (" + std::to_string(resp.body.size()) +
                                            " bytes)"));
    if (!a.ours) return fail(FailureKind::Retryable, not_our_server_message(resp));

    CatalogDelta delta;
    try {
        delta = catalog_from_json(a.doc);
    } catch (const std::exception& e) {
        return fail(FailureKind::Retryable, malformed_message(std::string("catalog: ") + e.what()));
    }
    try {
        store_.apply_catalog(delta);   // one transaction: all of it or none
        std::int64_t after = store_.catalog_version();
        res.changed = after != since || !delta.activities.empty() || !delta.centres.empty() ||
                      !delta.organizations.empty() || !delta.surveys.empty() ||
                      !delta.deleted_activities.empty() || !delta.deleted_centres.empty() ||
                      !delta.deleted_organizations.empty() || !delta.deleted_surveys.empty();
        res.version = after;
        store_.set_setting(kEtagSetting, resp.etag());
    } catch (const std::exception& e) {
        return fail(FailureKind::Fatal,
                    std::string("カタログを保存できません (kiosk database error: ") + e.what() + ")");
    }
    res.activities = static_cast<int>(delta.activities.size());
    res.organizations = static_cast<int>(delta.organizations.size());
    res.centres = static_cast<int>(delta.centres.size());
    res.surveys = static_cast<int>(delta.surveys.size());
    res.deleted = static_cast<int>(delta.deleted_activities.size() + delta.deleted_centres.size() +
                                   delta.deleted_organizations.size() + delta.deleted_surveys.size());
    return res;
}

QuotaResult SyncEngine::exchange_quotas() {
    QuotaResult res;
    auto fail = [&](FailureKind kind, std::string msg) {
        res.ok = false;
        res.failure = kind;
        res.error = std::move(msg);
        return res;
    };
    if (cancelled()) return fail(FailureKind::Retryable, "同期を中止しました (cancelled)");
    // The lease ends are measured from here, on the kiosk's clock: whatever the answer says
    // was true at some instant after this one, so the kiosk's end is never later than the
    // server's (up to clock drift during the lease, which the margin covers).
    const std::int64_t start = clock_();
    std::vector<LeaseReport> reports;
    try {
        reports = store_.lease_reports(start);
    } catch (const std::exception& e) {
        return fail(FailureKind::Fatal,
                    std::string("端末のデータベースを読めません (kiosk database error: ") + e.what() + ")");
    }
    Json leases = Json::array();
    std::vector<std::string> done;
    for (const auto& r : reports) {
        leases.push_back({{"id", r.id}, {"used", r.used}, {"done", r.done}});
        if (r.done) done.push_back(r.id);
    }
    res.reported = static_cast<int>(reports.size());
    const std::string body = Json{{"leases", leases}}.dump();
    HttpResponse resp = transport_.post_json(kQuotasPath, body, auth_headers(), false);
    if (!resp.answered()) return fail(FailureKind::Retryable, describe_transport_error(resp));
    res.http_status = resp.status;
    Answer a = parse_answer(resp);
    if (a.ours) res.reached_server = true;
    if (resp.status == 404 && !a.ours) {
        res.unsupported = true;   // a city hall from before quotas: nothing to exchange
        return res;
    }
    if (resp.status != 200) {
        if (!a.ours && (resp.status == 401 || resp.status == 403))
            return fail(FailureKind::Retryable, not_our_server_message(resp));
        std::optional<std::int64_t> retry;
        if (resp.status == 429 || resp.status >= 500) retry = retry_after_of(resp);
        return fail(classify_status(resp.status), describe_http_status(resp.status, a.server_message, retry));
    }
    if (!a.ours) return fail(FailureKind::Retryable, a.json ? not_our_server_message(resp)
                                                          : (!resp.body.empty() && resp.body.front() == '<'
                                                                 ? not_our_server_message(resp)
                                                                 : malformed_message("the quotas answer is not JSON")));
    const auto q = a.doc.find("quotas");
    if (q == a.doc.end() || !q->is_array())
        return fail(FailureKind::Retryable, malformed_message("the quotas answer has no \"quotas\" list"));
    std::vector<QuotaGrant> grants;
    for (const auto& g : *q) {
        if (!g.is_object()) continue;
        QuotaGrant qg;
        qg.id = str_field(g, "id");
        qg.activity_id = str_field(g, "activity_id");
        const auto p = g.find("places");
        const auto e = g.find("ends_in_s");
        if (qg.id.empty() || qg.activity_id.empty() || p == g.end() || !p->is_number_integer() || e == g.end() ||
            !e->is_number_integer())
            continue;   // not a grant we understand: not used (the server holds it until it ends)
        qg.places = p->get<std::int64_t>();
        qg.ends_in_s = e->get<std::int64_t>();
        grants.push_back(std::move(qg));
    }
    try {
        store_.apply_quotas(grants, start, std::int64_t(cfg_.lease_margin_s) * 1000);
        // A 200 from our server to a request that said done: city hall has the report.
        if (!done.empty()) store_.note_leases_done(done);
    } catch (const std::exception& e) {
        return fail(FailureKind::Fatal,
                    std::string("端末のデータベースに書けません (kiosk database error: ") + e.what() + ")");
    }
    res.reported_done = static_cast<int>(done.size());
    res.leases = static_cast<int>(grants.size());
    return res;
}

SyncReport SyncEngine::run_once() {
    SyncReport rep;
    int total = 0;
    try {
        total = store_.counts().pending;
    } catch (const std::exception&) {
        total = 0;   // push() reports the database error
    }
    if (progress_) progress_(0.0);
    // A 413 halved the batch in an earlier pass: try twice that now, so the size recovers
    // without bouncing off the limit on every batch.
    batch_limit_ = std::min(kMaxBatch, batch_limit_ * 2);

    // Each batch that gets answered removes its records from `pending`, so this ends; the
    // cap is a guard against a store that never marks anything delivered.
    const int max_batches = total + 1000;
    for (int i = 0; i < max_batches; ++i) {
        if (cancelled()) {
            rep.cancelled = true;
            PushResult c;
            c.ok = false;
            c.failure = FailureKind::Retryable;
            c.error = "同期を中止しました (cancelled)";
            add_into(rep.push, c);
            break;
        }
        backlog_hint_ = std::max(0, total - rep.push.answered());
        // At most one empty push per pass, and only when the pass sent nothing else (acks
        // owed from this pass ride on the next pass's first request).
        allow_poll_ = rep.push.requests == 0;
        PushResult r = push();
        allow_poll_ = true;
        backlog_hint_ = -1;
        add_into(rep.push, r);
        if (r.empty || !r.ok) break;
        if (progress_ && total > 0)
            progress_(std::min(1.0, static_cast<double>(rep.push.answered()) / total));
        if (r.answered() == 0) {
            // A well-formed answer that named none of the batch: no progress this pass.
            rep.push.ok = false;
            rep.push.failure = FailureKind::Retryable;
            rep.push.error = "サーバーの応答に含まれない記録がありました。あとで再送します (the server's answer "
                             "left out " + std::to_string(r.unanswered) + " records; they stay queued)";
            break;
        }
    }
    if (rep.push.ok && rep.push.unanswered > 0 && rep.push.error.empty()) {
        // The last batch left records out; they are still pending and go again next pass.
        rep.push.ok = false;
        rep.push.failure = FailureKind::Retryable;
        rep.push.error = "サーバーの応答に含まれない記録がありました。あとで再送します (the server's answer "
                         "left out " + std::to_string(rep.push.unanswered) + " records; they stay queued)";
    }
    if (rep.cancelled || cancelled()) {
        rep.cancelled = true;
        return rep;
    }

    // Pull unless the push showed the server is unreachable, refusing us, or asking for rest.
    bool pull_ok_to_try =
        rep.push.ok || (rep.push.failure == FailureKind::Retryable && rep.push.reached_server &&
                        rep.push.http_status != 429 && rep.push.http_status < 500);
    if (pull_ok_to_try) {
        rep.pull_attempted = true;
        rep.pull = pull();
        // Quotas after a good pull (200 or 304): the server is ours and answering.
        if (rep.pull.ok && !cancelled()) {
            rep.quotas_attempted = true;
            rep.quotas = exchange_quotas();
        }
    } else {
        try {
            rep.pull.version = store_.catalog_version();
        } catch (const std::exception&) {
        }
    }
    if (progress_) progress_(1.0);
    record_outcome(rep);
    return rep;
}

void SyncEngine::record_outcome(const SyncReport& rep) {
    // Kept in the store so `kyodo-sync status` and staff mode can show them after a restart.
    try {
        std::string now = std::to_string(now_millis());
        store_.set_setting(kLastAttemptSetting, now);
        store_.set_setting(kLastErrorSetting, rep.error());
        if (rep.ok()) store_.set_setting(kLastSuccessSetting, now);
    } catch (const std::exception&) {
        // Bookkeeping only.
    }
}

}  // namespace kyodo::sync
