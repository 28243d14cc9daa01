// Notices: the e-mails city hall sends residents who gave an address and agreed to them
// (docs/operations.md "Notices", docs/protocol.md). Three events make one:
//   promoted            a waitlisted sign-up moved up (a cancellation freed places)
//   activity_cancelled  staff withdrew an activity people had signed up for
//   activity_moved      staff changed its date, time, place or centre
//   answered            an opinion (wants_reply) got its answer; a proposal got its decision
//   slot_taken          a booking of a slot arrived after another and waits; the mail names the
//                       next free slot of the same resource (queued by server/slot_rules.h after
//                       the push's transaction, deduplicated per record, before the kiosk's answer)
//
// The path, engine-neutral except for the SQL:
//   1. The storage engine, in the SAME transaction as the change that causes a notice
//      (cancel_signup, import_catalog, set_record_state), asks this module which notices the
//      change makes (plan_* below) and inserts them into its durable outbox table `notices`
//      with ON CONFLICT (dedupe_key) DO NOTHING. A change committed therefore always has its
//      notice; a re-run of the same change never queues a second one.
//   2. NoticeSender (server/notice_sender.h) claims due rows with a lease, renders the mail in
//      the resident's kiosk language from string tables (assets/notices/*.json), sends it over
//      SMTP with a Message-ID made from the row's id, and marks it sent; on failure it backs off.
//
// Only sign-ups with "notify": true and an e-mail address, opinions with "wants_reply" and
// an e-mail address, and proposals with an e-mail address get notices: the others are not
// queued at all.
#pragma once

#include <cstdint>
#include <optional>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/codec.h"

namespace kyodo::server {

struct Notice {
    std::string id;             // UUIDv7; the mail's Message-ID is <id@message_id_domain>
    std::string dedupe_key;     // unique: one notice per event per record (see plan_*)
    std::string kind;           // promoted | activity_cancelled | activity_moved | answered | slot_taken
    std::string record_id;      // the resident's record: e-mail address, language, receipt
    std::string detail;         // JSON: what the mail says (activity title, dates, answer …)
    std::string state;          // pending | sent | failed (gave up)
    int attempts = 0;
    std::string next_attempt_at;   // RFC 3339 UTC; due when <= now
    std::string lease_until;       // a sender holds the row until then ("" = nobody)
    std::string last_error;
    std::string created_at, sent_at;
};

// The outbox, implemented by each storage engine (Storage::notices()).
class NoticeStorage {
public:
    virtual ~NoticeStorage() = default;
    // Queues notices (each ignored when its dedupe_key is already queued). Returns how many
    // were new. The engines also queue inside their own transactions (see above).
    virtual int enqueue_notices(const std::vector<Notice>& n) = 0;
    // Takes up to `limit` pending notices due at `now` whose lease has expired, in creation
    // order: each gets attempts + 1 and lease_until = `lease_until`, committed before the
    // caller sends, so two senders (two servers on one PostgreSQL) never hold one notice.
    virtual std::vector<Notice> claim_notices(const std::string& now, const std::string& lease_until,
                                              std::size_t limit) = 0;
    // The SMTP server accepted it: state sent (only if still pending; returns false otherwise).
    virtual bool mark_notice_sent(const std::string& id, const std::string& now) = 0;
    // It failed: back to pending due at `next_attempt_at`, or state failed when `give_up`.
    virtual void mark_notice_failed(const std::string& id, const std::string& error,
                                    const std::string& next_attempt_at, bool give_up) = 0;
    // Newest first; `record_id` "" = all.
    virtual std::vector<Notice> notices(const std::string& record_id, std::size_t limit) = 0;
    // One page of the outbox for the dashboard: newest first (created_at, id), the `limit`
    // notices older than the notice `before_id` ("" = from the newest), only those in `state`
    // ("" = any). Keyset, so a page costs the same at any depth.
    virtual std::vector<Notice> notices_page(const std::string& state, const std::string& before_id,
                                             std::size_t limit) = 0;
    // How many notices are in each state (pending, sent, failed) over the whole outbox.
    virtual std::map<std::string, std::int64_t> notice_counts() = 0;
};

// ---- planning: which notices a change makes (pure functions, no I/O) --------------------

// Whether the resident behind a record wants notices and can get them (see above).
// `payload` and `personal` are the stored JSON texts ("" when none).
bool wants_notices(const std::string& kind, const std::string& payload, const std::string& personal);

// An activity's schedule or place changed between two stored catalog JSON texts: the detail
// of an activity_moved notice ({"activity_id","title","what":[…],"before":{…},"after":{…}}),
// or nullopt when nothing a participant must know changed (a typo in the description).
std::optional<Json> activity_moved_detail(const std::string& before_json, const std::string& after_json);
// The detail of an activity_cancelled notice, from the activity's stored JSON.
Json activity_cancelled_detail(const std::string& activity_json);
// The detail of a promoted notice (the activity as stored).
Json promoted_detail(const std::string& activity_json);
// A state change of an opinion or proposal that answers the resident: the notice detail
// ({"record_kind","state","answer"}), or nullopt (not an answer, or the state did not change).
std::optional<Json> answered_detail(const std::string& record_kind, const std::string& old_state,
                                    const std::string& new_state, const std::string& note);

// A notice ready to insert. dedupe_key: "<kind>:<record_id>[:<suffix>]" — an activity moved
// twice sends two notices (suffix = the activity's new catalog JSON hash), a promotion or an
// answer sends one per record.
Notice make_notice(const std::string& kind, const std::string& record_id, const Json& detail,
                   const std::string& now, const std::string& dedupe_suffix = "");

// ---- rendering ---------------------------------------------------------------------------

struct NoticeMail {
    std::string to, subject, body;   // body: plain UTF-8 text, lines joined by "\n"
    std::string lang;                // ja | en | easy_ja
};

// The mail for a notice, in the record's kiosk language (payload "lang", default ja), from the
// string tables built into the server (assets/notices/{ja,en,easy_ja}.json). `receipt` is the
// record's receipt number. nullopt when the record has no e-mail address (nothing to send).
std::optional<NoticeMail> render_notice(const Notice& n, const std::string& payload, const std::string& personal,
                                        const std::string& receipt);

// The whole RFC 5322 message: headers (From, To, Subject as RFC 2047 UTF-8, Date,
// Message-ID <notice-id@domain>, MIME 1.0, text/plain; charset=UTF-8, base64 body).
std::string build_message(const NoticeMail& m, const std::string& from, const std::string& message_id,
                          std::int64_t date_ms);

// Retry schedule: 1 min, 2, 4 … capped at 6 h; after `kNoticeMaxAttempts` the notice is failed.
std::int64_t notice_backoff_ms(int attempts);
constexpr int kNoticeMaxAttempts = 12;

}  // namespace kyodo::server
