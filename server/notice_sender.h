// Sends the notice outbox (server/notices.h) through an SMTP server with libcurl.
//
// Delivery: at least once to the SMTP server, once in the resident's mailbox.
//   claim (attempts + 1, lease; committed) → render → SMTP (MAIL, RCPT, DATA, "250 OK")
//   → mark sent (committed).
// A crash or lost connection after the SMTP server said 250 and before "mark sent" commits
// leaves the row pending; when its lease ends it is sent again, with the SAME Message-ID
// (<notice id@domain>, fixed when the notice was queued), so the copy is the same message:
// mail systems and clients that see a Message-ID twice keep one (Gmail, Outlook and most
// IMAP clients do). True exactly-once over SMTP is impossible (the 250 and our commit
// cannot be one atomic step), so we make the window one round trip wide and the duplicate
// recognisable. Without a crash a notice is sent exactly once: a claimed row is leased, two
// senders never hold it, and only a pending row can be marked sent.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "server/notices.h"
#include "server/storage.h"

namespace kyodo::server {

struct SmtpConfig {
    // "smtp://host:port" (STARTTLS per `tls`) or "smtps://host:465" (TLS from the start).
    // Empty: notices stay queued, nothing is sent.
    std::string url;
    // none: plain SMTP (loopback relays only); starttls: require STARTTLS (fails if the server
    // does not offer it); smtps is implied by an smtps:// URL.
    std::string tls = "starttls";
    std::string from;              // "協働推進課 <kyodo@city.example.jp>" or a bare address
    std::string user, password;    // SMTP AUTH, optional
    std::string ca_file;           // CA bundle to verify the SMTP server's certificate ("" = system)
    std::string message_id_domain = "kyodo.invalid";   // right side of <id@domain>
    long timeout_s = 60;
};

struct SenderStats {
    int sent = 0, retried = 0, failed = 0, skipped = 0;
};

class NoticeSender {
public:
    NoticeSender(Storage& st, SmtpConfig cfg);
    ~NoticeSender();
    NoticeSender(const NoticeSender&) = delete;
    NoticeSender& operator=(const NoticeSender&) = delete;

    // One pass at `now_ms`: claim due notices, send each, mark it. Returns what it did.
    SenderStats run_once(std::int64_t now_ms);

    // A background thread doing run_once every `poll_ms` (and at once after wake()).
    void start(std::int64_t poll_ms = 5000);
    void stop();
    void wake();

    // Tests: called after the SMTP server accepted a message, before it is marked sent;
    // throwing from it simulates a crash in that window.
    std::function<void(const Notice&)> after_send_hook;
    // A sent notice's lease: how long before another pass may take it again.
    std::int64_t lease_ms = 5 * 60 * 1000;

    // Sends one message; "" on success, else the error.
    static std::string smtp_send(const SmtpConfig& cfg, const std::string& to, const std::string& message);

private:
    void loop(std::int64_t poll_ms);

    Storage& st_;
    SmtpConfig cfg_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, woken_ = false;
};

}  // namespace kyodo::server
