// One sync pass, without threads: push the outbox (oldest first, in gzip'd batches) and pull
// the catalog. SyncWorker runs it on a background thread; `kyodo-sync once` runs it in the
// foreground; tests run it against a fake or the real server.
//
// Delivery rule (DESIGN.md): a record counts as delivered only when the answer is 200 with
// JSON carrying "protocol":"kyodo/1" and a results entry naming that record's id. Anything
// else (a captive portal's HTML, a truncated or malformed body, a list that leaves the
// record out) leaves it pending, to be sent again; the server's idempotency makes that safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/store.h"
#include "sync/kiosk_config.h"
#include "sync/transport.h"

namespace kyodo::sync {

// How a failed step should be treated by whoever drives the engine.
enum class FailureKind {
    None,        // no failure
    Retryable,   // network, timeout, 429, 5xx, not-our-server answers: back off and retry
    Auth,        // 401/403: the kiosk's token was refused or revoked; staff must act
    Fatal,       // local problem (store error, bad config): retrying soon will not help
};

struct PushResult {
    bool ok = true;                  // false: the batch was not (fully) answered, see error
    FailureKind failure = FailureKind::None;
    std::string error;               // staff-readable (Japanese, English in parentheses)
    int http_status = 0;             // last HTTP status seen (0 = none)
    bool reached_server = false;     // an answer carrying our protocol marker arrived
    int sent = 0;                    // records in batches that got a well-formed answer
    int stored = 0, duplicate = 0, rejected = 0, conflict = 0;
    int unanswered = 0;              // records a well-formed answer left out (kept pending)
    int requests = 0;                // HTTP requests made
    std::optional<std::int64_t> retry_after_s;   // server asked to wait (429/503)
    int signup_updates = 0;
    bool empty = false;              // nothing was pending
    int delivered() const { return stored + duplicate; }
    int answered() const { return stored + duplicate + rejected + conflict; }
};

struct PullResult {
    bool ok = true;
    FailureKind failure = FailureKind::None;
    std::string error;
    int http_status = 0;
    bool reached_server = false;
    bool changed = false;            // a delta was applied
    std::int64_t version = 0;        // catalog version after the pull
    int activities = 0, organizations = 0, centres = 0, surveys = 0, deleted = 0;
    std::optional<std::int64_t> retry_after_s;
};

// One quotas exchange (POST /api/v1/quotas, issue 10 point 2): the kiosk reports its
// leases (used, done) and applies the live leases city hall answers.
struct QuotaResult {
    bool ok = true;
    FailureKind failure = FailureKind::None;
    std::string error;
    int http_status = 0;
    bool reached_server = false;
    bool unsupported = false;        // 404: a server from before quotas (not an error)
    int reported = 0;                // leases reported in the request
    int reported_done = 0;           // of which done (now done_reported)
    int leases = 0;                  // live leases in the answer
};

struct SyncReport {
    PushResult push;                 // summed over every batch of the pass
    PullResult pull;
    bool pull_attempted = false;
    QuotaResult quotas;              // after a good pull (200 or 304)
    bool quotas_attempted = false;
    bool cancelled = false;          // stopped early because the cancel flag was raised
    bool ok() const { return push.ok && pull_attempted && pull.ok && (!quotas_attempted || quotas.ok); }
    FailureKind failure() const;
    std::string error() const;       // first error, "" when ok
    std::optional<std::int64_t> retry_after_s() const;
    bool reached_server() const { return push.reached_server || pull.reached_server; }
    // "pushed=12 stored=11 duplicate=1 rejected=0 conflict=0 pending=0 pulled_version=3"
    std::string summary(int pending_after) const;
};

class SyncEngine {
public:
    static constexpr std::size_t kMaxBatch = 500;
    static constexpr std::size_t kMaxBatchBytes = 1u << 20;
    static constexpr const char* kEtagSetting = "sync.catalog_etag";
    // Settings run_once() keeps: Unix ms of the last pass / last good pass, last error words.
    static constexpr const char* kLastAttemptSetting = "sync.last_attempt_ms";
    static constexpr const char* kLastSuccessSetting = "sync.last_success_ms";
    static constexpr const char* kLastErrorSetting = "sync.last_error";

    SyncEngine(KioskStore& store, const KioskConfig& cfg, Transport& transport);

    // Sends one batch of the oldest pending records (halving it on 413 until it fits). With
    // nothing pending it still sends an empty push when sign-ups may change on the server
    // (KioskStore::open_signups) or acknowledgements are due, to collect signup_updates;
    // the result then says empty.
    PushResult push();
    // Fetches the catalog changes since store.catalog_version() and applies them.
    PullResult pull();
    // Reports every lease not yet reported done (used from the outbox; done when ended and
    // no undelivered sign-up names it) and applies the answer's live leases, measured from
    // this request's start on the engine's clock minus cfg.lease_margin_s. After a 200
    // answer the leases reported done are done_reported. 404 (an older server): unsupported.
    QuotaResult exchange_quotas();
    // Pushes batches until the outbox is empty, a push fails, or a batch makes no progress;
    // then pulls (also after a failed push, unless the failure was Auth or cancellation);
    // then, after a good pull (200 or 304), exchanges quotas.
    SyncReport run_once();
    // The kiosk's clock (Unix ms) for leases: request start times and "now". Default: the
    // system clock. The sign-up screen uses the same kind of clock for enqueue_signup.
    void set_clock(std::function<std::int64_t()> now_ms) { clock_ = std::move(now_ms); }

    // Called after each batch with the share of this pass's records answered so far (0..1).
    void set_progress(std::function<void(double)> cb) { progress_ = std::move(cb); }
    // While *flag is true, run_once stops between batches (and CurlTransport mid-transfer).
    void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }
    std::size_t batch_limit() const { return batch_limit_; }
    // Records per request, 1..kMaxBatch (benchmarks compare against one record per request;
    // run_once may double it again after a 413 halved it).
    void set_batch_limit(std::size_t n) { batch_limit_ = n < 1 ? 1 : (n > kMaxBatch ? kMaxBatch : n); }

    // The JSON body push() sends for these entries (exposed for tests and replay checks).
    std::string batch_body(const std::vector<OutboxEntry>& batch, int backlog) const;
    // The same body from the outbox's stored texts (what push() sends).
    std::string batch_body(const std::vector<KioskStore::PendingText>& batch, int backlog) const;
    Headers auth_headers() const;

private:
    void body_start(std::string& body, int backlog) const;
    void body_end(std::string& body) const;
    bool cancelled() const { return cancel_ && cancel_->load(); }
    // The signup_updates applied since the last answered push, sent back as "signup_acks"
    // so the server stops repeating them (lost on a restart: the server repeats, the kiosk
    // applies them again, which changes nothing).
    struct Ack {
        std::string id, status;
    };
    std::vector<Ack> acks_;
    bool allow_poll_ = true;   // push() with an empty outbox may still ask for signup_updates
    void record_outcome(const SyncReport& rep);

    KioskStore& store_;
    const KioskConfig& cfg_;
    Transport& transport_;
    std::size_t batch_limit_ = kMaxBatch;
    int backlog_hint_ = -1;   // pending count run_once already knows; -1: ask the store
    std::function<void(double)> progress_;
    const std::atomic<bool>* cancel_ = nullptr;
    std::function<std::int64_t()> clock_;
};

// Staff-readable words for a transport failure or an HTTP status that is not a delivery.
std::string describe_transport_error(const HttpResponse& r);
std::string describe_http_status(int status, const std::string& server_message,
                                 std::optional<std::int64_t> retry_after_s);
FailureKind classify_status(int status);

}  // namespace kyodo::sync
