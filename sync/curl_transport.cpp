// CurlTransport over libcurl. Only this file (and the loadable module's factory) includes
// curl: the kiosk executable must not link libcurl (see sync/curl_transport.h).
#include "sync/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace kyodo::sync {

namespace {

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
    return std::string(s.substr(b, e - b));
}

void curl_global_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("curl_global_init failed");
    });
}

struct Transfer {
    HttpResponse* resp;
    std::size_t max_bytes;
    bool too_big = false;
    const std::atomic<bool>* cancel;
};

size_t on_body(char* ptr, size_t size, size_t nmemb, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * nmemb;
    if (t->resp->body.size() + n > t->max_bytes) {
        t->too_big = true;
        return 0;   // makes curl fail with CURLE_WRITE_ERROR
    }
    t->resp->body.append(ptr, n);
    return n;
}

size_t on_header(char* buf, size_t size, size_t nitems, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * nitems;
    std::string_view line(buf, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (after a 1xx, say): headers so far belonged to another answer.
        t->resp->headers.clear();
        return n;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos && colon > 0)
        t->resp->headers.emplace_back(lower_ascii(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    return (t->cancel && t->cancel->load()) ? 1 : 0;   // non-zero aborts the transfer
}

TransportErrorKind classify(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return TransportErrorKind::Connect;
    case CURLE_OPERATION_TIMEDOUT:
        return TransportErrorKind::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return TransportErrorKind::Tls;
    case CURLE_ABORTED_BY_CALLBACK:
        return TransportErrorKind::Cancelled;
    default:
        return TransportErrorKind::Other;
    }
}

struct SlistGuard {
    curl_slist* list = nullptr;
    ~SlistGuard() { curl_slist_free_all(list); }
    void add(const std::string& line) {
        curl_slist* next = curl_slist_append(list, line.c_str());
        if (!next) throw std::bad_alloc();
        list = next;
    }
};

}  // namespace

struct CurlTransport::Impl {
    std::mutex mu;
    CURL* easy = nullptr;
};

CurlTransport::CurlTransport(TransportOptions opts) : opts_(std::move(opts)), impl_(std::make_unique<Impl>()) {
    curl_global_once();
    while (!opts_.base_url.empty() && opts_.base_url.back() == '/') opts_.base_url.pop_back();
    impl_->easy = curl_easy_init();
    if (!impl_->easy) throw std::runtime_error("curl_easy_init failed");
}

CurlTransport::~CurlTransport() {
    if (impl_ && impl_->easy) curl_easy_cleanup(impl_->easy);
}

HttpResponse CurlTransport::send(const HttpRequest& req) {
    HttpResponse resp;
    if (req.method != "GET" && req.method != "POST") {
        resp.error_kind = TransportErrorKind::Other;
        resp.error = "unsupported method " + req.method;
        return resp;
    }
    std::string body;
    if (req.method == "POST") body = req.gzip_body ? gzip_compress(req.body) : req.body;

    std::lock_guard lock(impl_->mu);
    CURL* h = impl_->easy;
    curl_easy_reset(h);   // keeps the connection cache, clears every option

    Transfer t{&resp, opts_.max_response_bytes, false, cancel_};
    char errbuf[CURL_ERROR_SIZE] = {0};
    std::string url = opts_.base_url + req.path;

    SlistGuard hdrs;
    hdrs.add("Expect:");   // no 100-continue round trip
    for (const auto& [k, v] : req.headers) hdrs.add(k + ": " + v);
    if (req.method == "POST" && req.gzip_body) hdrs.add("Content-Encoding: gzip");
    if (!req.if_none_match.empty()) hdrs.add("If-None-Match: " + req.if_none_match);

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opts_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts_.total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!opts_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, opts_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_USERAGENT, opts_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");   // accept and decode gzip answers
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs.list);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    if (req.method == "POST") {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }

    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        resp.status = 0;
        resp.body.clear();
        resp.error_kind = classify(rc);
        if (t.too_big) {
            resp.error_kind = TransportErrorKind::Other;
            resp.error = "answer larger than " + std::to_string(opts_.max_response_bytes) + " bytes";
        } else {
            resp.error = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
        }
        return resp;
    }
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    resp.status = static_cast<int>(code);
    return resp;
}

TransportFactory curl_transport_factory() {
    return [](const TransportOptions& opts, const std::atomic<bool>* cancel, std::string&) {
        auto t = std::make_unique<CurlTransport>(opts);
        t->set_cancel_flag(cancel);
        return std::unique_ptr<Transport>(std::move(t));
    };
}

}  // namespace kyodo::sync
