// NoticeSender (server/notice_sender.h): libcurl's SMTP client over the notice outbox.
#include "server/notice_sender.h"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <memory>

#include "core/seal.h"
#include "core/timeutil.h"
#include "server/log.h"

namespace kyodo::server {
namespace {

struct Upload {
    const std::string* data;
    std::size_t pos = 0;
};

std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    const std::size_t room = size * n;
    const std::size_t left = u->data->size() - u->pos;
    const std::size_t take = left < room ? left : room;
    std::memcpy(buf, u->data->data() + u->pos, take);
    u->pos += take;
    return take;
}

// "Name <a@b>" → "<a@b>"; "a@b" → "<a@b>".
std::string envelope(const std::string& addr) {
    const auto lt = addr.rfind('<');
    const auto gt = addr.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) return addr.substr(lt, gt - lt + 1);
    return "<" + addr + ">";
}

// The display name of a From with non-ASCII text is encoded (RFC 2047) by build_message's
// caller: here we only need the address part to stay as written.
std::string from_header(const std::string& from) {
    const auto lt = from.rfind('<');
    if (lt == std::string::npos || lt == 0) return from;
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    bool ascii = true;
    for (char c : name) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return from;
    return "=?UTF-8?B?" + base64_encode(name) + "?= " + from.substr(lt);
}

struct CurlInit {
    CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

std::string NoticeSender::smtp_send(const SmtpConfig& cfg, const std::string& to, const std::string& message) {
    static CurlInit init;
    std::unique_ptr<CURL, void (*)(CURL*)> c(curl_easy_init(), curl_easy_cleanup);
    if (!c) return "curl_easy_init failed";
    CURL* h = c.get();
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, cfg.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (cfg.url.rfind("smtps://", 0) == 0 || cfg.tls == "starttls") curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!cfg.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, cfg.ca_file.c_str());
    if (!cfg.user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg.password.c_str());
    }
    const std::string from = envelope(cfg.from);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_slist* rcpt = curl_slist_append(nullptr, envelope(to).c_str());
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt_guard(rcpt, curl_slist_free_all);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    Upload up{&message};
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, cfg.timeout_s);
    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) return "";
    std::string msg = curl_easy_strerror(rc);
    if (errbuf[0]) msg += std::string(": ") + errbuf;
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (code) msg += " (SMTP " + std::to_string(code) + ")";
    return msg;
}

NoticeSender::NoticeSender(Storage& st, SmtpConfig cfg) : st_(st), cfg_(std::move(cfg)) {}

NoticeSender::~NoticeSender() { stop(); }

SenderStats NoticeSender::run_once(std::int64_t now_ms) {
    SenderStats s;
    if (cfg_.url.empty()) return s;
    const std::string now = rfc3339_utc(now_ms);
    NoticeStorage& ns = st_.notices();
    for (const Notice& n : ns.claim_notices(now, rfc3339_utc(now_ms + lease_ms), 20)) {
        std::string error;
        const auto rec = st_.record(n.record_id);
        std::optional<NoticeMail> mail;
        if (rec) mail = render_notice(n, rec->payload, rec->personal, rec->receipt);
        if (!mail) {
            // Nothing to send (the record or its address is gone): failed at once, visibly.
            ns.mark_notice_failed(n.id, rec ? "no e-mail address" : "record not found", now, true);
            ++s.skipped;
            continue;
        }
        NoticeMail m = *mail;
        const std::string message =
            build_message(m, from_header(cfg_.from), "<" + n.id + "@" + cfg_.message_id_domain + ">", now_ms);
        error = smtp_send(cfg_, m.to, message);
        if (error.empty()) {
            if (after_send_hook) after_send_hook(n);   // tests: a crash here is the at-least-once window
            ns.mark_notice_sent(n.id, rfc3339_utc(now_millis()));
            ++s.sent;
            log_info("notice_sent", {{"notice", n.id}, {"kind", n.kind}, {"record", n.record_id}});
            continue;
        }
        const bool give_up = n.attempts >= kNoticeMaxAttempts;
        ns.mark_notice_failed(n.id, error, rfc3339_utc(now_ms + notice_backoff_ms(n.attempts)), give_up);
        if (give_up) ++s.failed;
        else ++s.retried;
        log_warn("notice_send_failed", {{"notice", n.id}, {"attempt", std::to_string(n.attempts)}, {"error", error}});
    }
    return s;
}

void NoticeSender::start(std::int64_t poll_ms) {
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this, poll_ms] { loop(poll_ms); });
}

void NoticeSender::stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void NoticeSender::wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

void NoticeSender::loop(std::int64_t poll_ms) {
    std::unique_lock lock(mu_);
    while (!stop_) {
        lock.unlock();
        try {
            // Keep going while a pass has work: a backlog drains without waiting a poll each 20.
            for (;;) {
                const SenderStats s = run_once(now_millis());
                if (s.sent + s.retried + s.failed + s.skipped < 20) break;
            }
        } catch (const std::exception& e) {
            log_warn("notice_sender_error", {{"error", e.what()}});
        }
        lock.lock();
        cv_.wait_for(lock, std::chrono::milliseconds(poll_ms), [this] { return stop_ || woken_; });
        woken_ = false;
    }
}

}  // namespace kyodo::server
