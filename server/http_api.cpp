#include "server/http_api.h"
#include "server/rosters.h"
#include "server/slot_rules.h"
#include "server/talent.h"

#include <httplib.h>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <thread>
#include <mutex>
#include <unordered_map>

#include "core/json_text.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "server/http_guard.h"
#include "server/log.h"
#include "server/push_reader.h"

namespace kyodo::server {
namespace {

using Clock = std::chrono::steady_clock;

// signup_updates per answer; the rest follow in later answers as the kiosk acknowledges.
constexpr std::size_t kMaxSignupUpdates = 500;
// POST /api/v1/quotas: at most this many leases reported, in a body this large.
constexpr std::size_t kMaxQuotaLeases = 1000;
constexpr std::size_t kMaxQuotaBody = 256u << 10;

// JSON out: never throws on strings that are not UTF-8 (a parser message can quote the
// offending bytes), they become U+FFFD.
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, Json body) {
    body["protocol"] = kProtocol;
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(dump(body), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    send_json(res, status, Json{{"error", {{"code", code}, {"message", message}}}});
}

// The error page browsers and phones get for httplib's own errors outside /api/.
void send_error_page(httplib::Response& res, int status) {
    const char* ja = status == 404 ? "ページが見つかりません。"
                     : status == 413 ? "送信された内容が大きすぎます。"
                     : status == 415 ? "この形式の送信は受け付けていません。"
                     : status == 431 ? "リクエストのヘッダーが多すぎます。"
                     : status >= 500 ? "サーバーで問題が起きました。しばらくしてからもう一度お試しください。"
                                     : "リクエストを読み取れませんでした。";
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(std::string("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                "<title>エラー ") + std::to_string(status) +
                        "</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body class=\"phone\">"
                        "<main><h1>エラー " + std::to_string(status) + "</h1><p class=\"error\">" + ja +
                        "</p><p><a href=\"/admin\">管理画面へ</a></p></main></body></html>",
                    "text/html; charset=utf-8");
}

std::string ms_since(Clock::time_point t0) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(us) / 1000.0);
    return buf;
}

// Per-kiosk token bucket.
class RateLimiter {
public:
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    // 0 when allowed, else seconds to wait before the next request would be.
    int acquire(const std::string& key) {
        if (rate_ <= 0) return 0;
        std::lock_guard lock(mu_);
        const auto now = Clock::now();
        auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
        Bucket& b = it->second;
        if (!fresh) {
            const double dt = std::chrono::duration<double>(now - b.last).count();
            b.tokens = std::min(burst_, b.tokens + dt * rate_);
            b.last = now;
        }
        if (b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
        }
        const double wait = (1.0 - b.tokens) / rate_;
        return std::max(1, static_cast<int>(wait + 0.999));
    }

private:
    struct Bucket {
        double tokens;
        Clock::time_point last;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace

namespace {

// At most `slots` holders at once, admitted in the order they asked (a ticket each).
//
// Why pushes need it: every worker thread holding a read body parses, validates and hashes it
// at once, and the kernel shares the cores evenly among runnable threads. With 50 kiosks
// pushing, the one thread writing the group commit (a serial section: SQLite has one writer)
// got about a quarter of a core while 50 parsers ran (2-core bench at load ~9: 7–10 µs of CPU
// a record in the writer took 26 µs of wall time), so the writer, not the cores, set the pace,
// and pushes left parsing all at once, in waves. With the parsers capped at one fewer than
// the cores (at least one) the writer keeps a core, and pushes come out of parsing one after
// another in arrival order, so writing overlaps parsing. The slot is taken after the body is
// read: a slow sender never holds one.
class ParseGate {
public:
    explicit ParseGate(std::size_t slots) : slots_(std::max<std::size_t>(1, slots)) {}
    void acquire() {
        std::unique_lock lk(mu_);
        const std::uint64_t me = next_++;
        cv_.wait(lk, [&] { return me < released_ + slots_; });
    }
    void release() {
        {
            std::lock_guard lk(mu_);
            ++released_;
        }
        cv_.notify_all();
    }
    struct Hold {
        ParseGate& g;
        explicit Hold(ParseGate& gate) : g(gate) { g.acquire(); }
        ~Hold() { g.release(); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;
    };

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::uint64_t next_ = 0, released_ = 0;
    const std::size_t slots_;
};

std::size_t parse_slots(std::size_t asked) {
    if (asked) return asked;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 2 ? hw - 1 : 1;
}

}  // namespace

struct Api::Impl {
    Storage& storage;
    KeyPair keys;
    ApiOptions opts;
    RateLimiter limiter;
    ParseGate parse_gate;

    Impl(Storage& s, KeyPair k, ApiOptions o)
        : storage(s), keys(std::move(k)), opts(o), limiter(o.rate_per_s, o.rate_burst),
          parse_gate(parse_slots(o.parse_slots)) {}

    // Authenticates the request; on failure writes the error answer and returns nullopt.
    std::optional<Device> authenticate(const httplib::Request& req, httplib::Response& res, const char* event,
                                       Clock::time_point t0) {
        const std::string h = req.get_header_value("Authorization");
        constexpr std::string_view kBearer = "Bearer ";
        auto fail = [&](int status, const char* code, const std::string& msg) {
            send_error(res, status, code, msg);
            log_warn(event, {{"status", std::to_string(status)}, {"code", code}, {"remote", req.remote_addr},
                             {"ms", ms_since(t0)}});
            return std::nullopt;
        };
        if (h.empty()) return fail(401, "unauthorized", "missing Authorization: Bearer <device token>");
        if (h.size() <= kBearer.size() || h.compare(0, kBearer.size(), kBearer) != 0)
            return fail(401, "unauthorized", "malformed Authorization header; expected Bearer <device token>");
        const std::string token = h.substr(kBearer.size());
        auto dev = storage.device_by_token_hash(sha256_hex(token));
        if (!dev) return fail(401, "unauthorized", "unknown device token");
        if (dev->revoked) {
            send_error(res, 403, "revoked", "kiosk " + dev->kiosk_id + " was revoked by city hall; re-enrol it");
            log_warn(event, {{"status", "403"}, {"code", "revoked"}, {"kiosk", dev->kiosk_id}, {"ms", ms_since(t0)}});
            return std::nullopt;
        }
        if (const int wait = limiter.acquire(dev->kiosk_id); wait > 0) {
            res.set_header("Retry-After", std::to_string(wait));
            send_error(res, 429, "rate_limited",
                       "too many requests from this kiosk; retry after " + std::to_string(wait) + " s");
            log_warn(event, {{"status", "429"}, {"code", "rate_limited"}, {"kiosk", dev->kiosk_id}});
            return std::nullopt;
        }
        return dev;
    }

    void health(const httplib::Request&, httplib::Response& res) {
        send_json(res, 200,
                  Json{{"status", "ok"},
                       {"server_version", kServerVersion},
                       {"catalog_version", storage.catalog_version()},
                       {"server_time", rfc3339_now()}});
    }

    void push(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        const auto t0 = Clock::now();
        const std::int64_t received_ms = opts.clock();
        const std::string encoding = req.get_header_value("Content-Encoding");

        // 1. Who is this: before a byte of the body is read, so a bad token costs no body read
        // (the connection is closed after the answer, the body unread).
        auto dev = authenticate(req, res, "push", t0);
        if (!dev) return;

        // 2. The body, bounded before and after inflation. httplib inflates gzip/deflate
        // request bodies itself but caps only the bytes on the wire, so the cap on the
        // inflated size is ours.
        std::string body;
        bool over = false;
        RequestGuard* guard = current_request_guard();
        const bool ok = reader([&](const char* data, std::size_t n) {
            if (body.size() + n > opts.max_body_bytes) {
                over = true;
                return false;
            }
            body.append(data, n);
            return true;
        });
        auto fail = [&](int status, const char* code, const std::string& msg, const std::string& kiosk = "") {
            send_error(res, status, code, msg);
            if (guard && status >= 400) guard->must_close = true;   // the body may be half read
            log_warn("push", {{"status", std::to_string(status)}, {"code", code}, {"kiosk", kiosk},
                              {"bytes", std::to_string(body.size())}, {"ms", ms_since(t0)}});
        };
        const std::string limit_mib = std::to_string(opts.max_body_bytes >> 20) + " MiB";
        if (over || (!ok && (res.status == 413 || (guard && guard->over_cap))))
            return fail(413, "too_large",
                        "request body is over " + limit_mib + (encoding.empty() ? "" : " once inflated") +
                            "; send fewer records per push");
        // httplib passes bodies in encodings it does not know through as they are.
        if (!encoding.empty() && encoding != "gzip" && encoding != "deflate" && encoding != "br" &&
            encoding != "identity")
            return fail(400, "bad_encoding", "unsupported Content-Encoding: " + encoding + " (use gzip)");
        if (!ok) {
            if (!encoding.empty())
                return fail(400, "bad_encoding",
                            "body with Content-Encoding: " + encoding + " could not be decoded (use gzip)");
            return fail(400, "bad_request", "could not read the request body");
        }

        // 3. The envelope and 4. its records, read and checked here (in this worker thread)
        // without a tree of the body (server/push_reader.h), then one storage transaction.
        PushBody pb;
        PushReadOptions ro;
        ro.max_records = opts.max_records;
        ro.ingest = opts.ingest;
        std::optional<PushError> read_error;
        {
            ParseGate::Hold slot(parse_gate);
            read_error = read_push(body, dev->kiosk_id, keys, received_ms, ro, pb);
        }
        if (read_error) return fail(read_error->status, read_error->code.c_str(), read_error->message, dev->kiosk_id);
        PushMeta meta;
        meta.kiosk_id = dev->kiosk_id;
        meta.received_at = rfc3339_utc(received_ms);
        meta.app_version = std::move(pb.app_version);
        meta.backlog = pb.backlog;
        check_bookings(storage, pb.records, received_ms);   // groups and slot windows (server/slot_rules.h)
        const IngestResult r = storage.ingest(meta, pb.records);
        notify_lost_bookings(storage, pb.records, r, received_ms);
        // Talent-bank withdrawals take effect before the kiosk hears "stored" (server/talent.h).
        settle_talent(storage, pb.records, r, meta.received_at);
        const std::vector<SignupUpdate>& acks = pb.acks;
        // 5. Later changes to this kiosk's sign-ups, until it acknowledges them.
        storage.ack_signup_updates(dev->kiosk_id, acks);
        const std::vector<SignupUpdate> updates = storage.signup_updates(dev->kiosk_id, kMaxSignupUpdates);
        // The answer is written as text directly: the same bytes send_json() would send for
        // {"server_time", "results", "signup_updates"}, without a tree of 500 objects.
        std::string answer;
        answer.reserve(256 + r.answers.size() * 128 + updates.size() * 96);
        answer += "{\"protocol\":";
        json_text::append_string(answer, kProtocol);
        answer += ",\"results\":[";
        for (std::size_t i = 0; i < r.answers.size(); ++i) {
            if (i) answer += ',';
            append_json(answer, r.answers[i]);
        }
        answer += "],\"server_time\":";
        json_text::append_string_lossy(answer, meta.received_at);
        answer += ",\"signup_updates\":[";
        for (std::size_t i = 0; i < updates.size(); ++i) {
            const SignupUpdate& u = updates[i];
            if (i) answer += ',';
            answer += "{\"id\":";
            json_text::append_string_lossy(answer, u.id);
            answer += ",\"receipt\":";
            json_text::append_string_lossy(answer, u.receipt);
            answer += ",\"signup_status\":";
            json_text::append_string_lossy(answer, u.signup_status);
            answer += '}';
        }
        answer += "]}";
        res.status = 200;
        res.set_header("Cache-Control", "no-store");
        res.body = std::move(answer);
        res.set_header("Content-Type", "application/json; charset=utf-8");
        log_info("push", {{"kiosk", dev->kiosk_id},
                          {"records", std::to_string(r.answers.size())},
                          {"stored", std::to_string(r.stored)},
                          {"duplicate", std::to_string(r.duplicate)},
                          {"conflict", std::to_string(r.conflict)},
                          {"rejected", std::to_string(r.rejected)},
                          {"backlog", meta.backlog >= 0 ? std::to_string(meta.backlog) : "-"},
                          {"bytes", std::to_string(body.size())},
                          {"gzip", encoding.empty() ? "no" : encoding},
                          {"ms", ms_since(t0)}});
    }

    // POST /api/v1/quotas (docs/protocol.md "Kiosk quotas"): the kiosk reports its leases,
    // the server answers every live lease it holds after this exchange's grants.
    void quotas(const httplib::Request& req, httplib::Response& res) {
        const auto t0 = Clock::now();
        auto dev = authenticate(req, res, "quotas", t0);
        if (!dev) return;
        auto fail = [&](const char* code, const std::string& msg) {
            send_error(res, 400, code, msg);
            log_warn("quotas", {{"status", "400"}, {"code", code}, {"kiosk", dev->kiosk_id}, {"ms", ms_since(t0)}});
        };
        const Json body = Json::parse(req.body, nullptr, false);
        if (body.is_discarded()) return fail("bad_json", "the body is not JSON");
        if (!body.is_object()) return fail("bad_request", "the body must be a JSON object");
        auto it = body.find("leases");
        if (it == body.end() || !it->is_array()) return fail("bad_request", "leases: required, an array");
        if (it->size() > kMaxQuotaLeases)
            return fail("bad_request", "leases: at most " + std::to_string(kMaxQuotaLeases) + " per request");
        std::vector<QuotaReport> reports;
        reports.reserve(it->size());
        for (std::size_t i = 0; i < it->size(); ++i) {
            const Json& l = (*it)[i];
            const std::string at = "leases[" + std::to_string(i) + "]";
            if (!l.is_object()) return fail("bad_request", at + ": expected an object");
            auto id = l.find("id"), used = l.find("used"), done = l.find("done");
            if (id == l.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
                id->get_ref<const std::string&>().size() > 64)
                return fail("bad_request", at + ".id: required, a lease id");
            if (used == l.end() || !used->is_number_integer() || used->get<std::int64_t>() < 0)
                return fail("bad_request", at + ".used: required, an integer >= 0");
            if (done == l.end() || !done->is_boolean()) return fail("bad_request", at + ".done: required, a boolean");
            reports.push_back(QuotaReport{id->get<std::string>(), used->get<std::int64_t>(), done->get<bool>()});
        }
        const std::int64_t now = now_millis();
        storage.touch_device(dev->kiosk_id, rfc3339_utc(now));
        const QuotaAnswer a = storage.exchange_quotas(dev->kiosk_id, reports, now);
        Json q = Json::array();
        for (const QuotaGrant& g : a.quotas)
            q.push_back(Json{{"id", g.id}, {"activity_id", g.activity_id}, {"places", g.places}, {"ends_in_s", g.ends_in_s}});
        res.set_header("Cache-Control", "no-store");
        send_json(res, 200, Json{{"protocol", kProtocol}, {"server_time", rfc3339_utc(now)}, {"quotas", std::move(q)}});
        log_info("quotas", {{"kiosk", dev->kiosk_id}, {"reported", std::to_string(reports.size())},
                            {"live", std::to_string(a.quotas.size())}, {"promoted", std::to_string(a.promoted.size())},
                            {"ms", ms_since(t0)}});
    }

    void catalog(const httplib::Request& req, httplib::Response& res) {
        const auto t0 = Clock::now();
        auto dev = authenticate(req, res, "catalog", t0);
        if (!dev) return;
        std::int64_t since = 0;
        if (req.has_param("since")) {
            const std::string s = req.get_param_value("since");
            const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), since);
            if (s.empty() || ec != std::errc() || p != s.data() + s.size() || since < 0) {
                send_error(res, 400, "bad_request", "since must be a non-negative integer catalog version");
                log_warn("catalog", {{"status", "400"}, {"code", "bad_request"}, {"kiosk", dev->kiosk_id}});
                return;
            }
        }
        storage.touch_device(dev->kiosk_id, rfc3339_now());
        auto not_modified = [&](std::int64_t version, const std::string& etag) {
            res.status = 304;
            res.set_header("ETag", etag);
            log_info("catalog", {{"kiosk", dev->kiosk_id}, {"since", std::to_string(since)},
                                 {"version", std::to_string(version)}, {"status", "304"}, {"ms", ms_since(t0)}});
        };
        const std::int64_t current = storage.catalog_version();
        if (since > 0 && since >= current)
            return not_modified(current, "\"cat-" + std::to_string(current) + "-" + std::to_string(since) + "\"");
        Json doc = storage.catalog_since(since);
        const std::int64_t version = doc["version"].get<std::int64_t>();
        const std::string etag = "\"cat-" + std::to_string(version) + "-" + std::to_string(since) + "\"";
        const std::string inm = req.get_header_value("If-None-Match");
        if (!inm.empty() && (inm == "*" || inm.find(etag) != std::string::npos)) return not_modified(version, etag);
        const std::size_t n = doc["centres"].size() + doc["organizations"].size() + doc["activities"].size() +
                              doc["surveys"].size();
        res.set_header("ETag", etag);
        send_json(res, 200, std::move(doc));
        log_info("catalog", {{"kiosk", dev->kiosk_id}, {"since", std::to_string(since)},
                             {"version", std::to_string(version)}, {"items", std::to_string(n)},
                             {"status", "200"}, {"ms", ms_since(t0)}});
    }

    // GET /api/v1/rosters: the kiosk's centre's rosters for check-in at the venue (server/rosters.h).
    void rosters(const httplib::Request& req, httplib::Response& res) {
        const auto t0 = Clock::now();
        auto dev = authenticate(req, res, "rosters", t0);
        if (!dev) return;
        Json doc = rosters_for_centre(storage, dev->centre_id, now_millis());
        std::size_t signups = 0;
        for (const Json& a : doc["activities"]) signups += a["signups"].size();
        const std::size_t n = doc["activities"].size();
        res.set_header("Cache-Control", "no-store");
        send_json(res, 200, std::move(doc));
        log_info("rosters", {{"kiosk", dev->kiosk_id}, {"centre", dev->centre_id},
                             {"activities", std::to_string(n)}, {"signups", std::to_string(signups)},
                             {"status", "200"}, {"ms", ms_since(t0)}});
    }
};

Api::Api(Storage& storage, KeyPair keys, ApiOptions opts)
    : impl_(std::make_unique<Impl>(storage, std::move(keys), opts)) {}
Api::~Api() = default;

void Api::install(httplib::Server& svr) {
    Impl* im = impl_.get();
    crypto_init();
    svr.set_payload_max_length(im->opts.max_body_bytes);
    // Answers are small and written in pieces: without TCP_NODELAY, Nagle + delayed ACK
    // add ~40 ms to every push on loopback (measured: 28 ms → 0.6 ms per request).
    svr.set_tcp_nodelay(true);
    // Connection threads, deadlines and per-route body caps: server/http_guard.h. The push
    // route takes gzip (its handler caps the inflated size) and a body up to max_body_bytes.
    if (GuardedServerBase* g = guard_of(svr)) {
        const std::size_t cap = im->opts.max_body_bytes;
        g->add_gate([cap](const httplib::Request& req, httplib::Response&, RequestGuard& rg) {
            if (req.method == "POST" && req.path == "/api/v1/records") {
                rg.body_cap = cap;
                rg.allow_encoding = true;
            }
            if (req.method == "POST" && req.path == "/api/v1/quotas") rg.body_cap = kMaxQuotaBody;
            return httplib::Server::HandlerResponse::Unhandled;
        });
    } else {
        const std::size_t threads = std::max<std::size_t>(2, im->opts.threads);
        svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    }

    svr.Get("/api/v1/health", [im](const httplib::Request& q, httplib::Response& r) { im->health(q, r); });
    svr.Post("/api/v1/records", [im](const httplib::Request& q, httplib::Response& r,
                                     const httplib::ContentReader& reader) { im->push(q, r, reader); });
    svr.Get("/api/v1/catalog", [im](const httplib::Request& q, httplib::Response& r) { im->catalog(q, r); });
    svr.Get("/api/v1/rosters", [im](const httplib::Request& q, httplib::Response& r) { im->rosters(q, r); });
    svr.Post("/api/v1/quotas", [im](const httplib::Request& q, httplib::Response& r) { im->quotas(q, r); });

    // httplib calls this for every answer with status >= 400, ours included: leave ours
    // (they have a body) and give httplib's own (404, 413 before routing, 400 unreadable
    // request …) our shape: JSON under /api/, a small HTML page elsewhere (browsers and
    // phones land there). A request whose body may be left unread closes its connection.
    svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        RequestGuard* guard = current_request_guard();
        if (guard && (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))) {
            guard->must_close = true;
            if (!res.has_header("Connection")) res.set_header("Connection", "close");
        }
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        int st = res.status;
        if (st == 400 && guard && guard->over_cap) st = 413;
        if (req.path.rfind("/api/", 0) == 0) {
            if (st == 404) {
                send_error(res, 404, "not_found", "no such endpoint: " + req.method + " " + req.path);
            } else if (st == 413) {
                send_error(res, 413, "too_large", "request body is too large");
            } else if (st == 415) {
                send_error(res, 415, "bad_encoding", "unsupported Content-Encoding (use gzip)");
            } else if (st >= 500) {
                send_error(res, st, "server_error", "internal error; retry later");
            } else {
                send_error(res, st, "bad_request", "malformed HTTP request");
            }
        } else {
            send_error_page(res, st);
        }
        res.status = st;
        log_warn("http", {{"method", req.method}, {"path", req.path}, {"status", std::to_string(st)}});
        return httplib::Server::HandlerResponse::Handled;
    }));
    svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        bool storage_error = false;
        try {
            std::rethrow_exception(ep);
        } catch (const StorageError& e) {
            what = e.what();
            storage_error = true;
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (storage_error) res.set_header("Retry-After", "5");
        if (req.path.rfind("/api/", 0) != 0) {
            send_error_page(res, storage_error ? 503 : 500);
        } else if (storage_error) {
            send_error(res, 503, "server_error", "storage unavailable; retry later");
        } else {
            send_error(res, 500, "server_error", "internal error; retry later");
        }
        log_error("exception", {{"method", req.method}, {"path", req.path}, {"what", what}});
    });
}

int bind_server(httplib::Server& svr, const std::string& host, int port) {
    auto fd = std::make_shared<std::atomic<int>>(-1);
    svr.set_socket_options([fd](socket_t sock) {
        httplib::default_socket_options(sock);
        fd->store(sock);
    });
    int bound = -1;
    if (port == 0) bound = svr.bind_to_any_port(host);
    else if (svr.bind_to_port(host, port)) bound = port;
    svr.set_socket_options(httplib::default_socket_options);
    if (bound >= 0 && fd->load() >= 0) ::listen(fd->load(), 1024);   // Linux: re-listen updates the backlog
    return bound;
}

BackgroundServer::BackgroundServer(Storage& storage, KeyPair keys, ApiOptions opts, const std::string& host,
                                   int port, const ServerLimits& limits)
    : svr_(make_server(limits)),
      api_(std::make_unique<Api>(storage, std::move(keys), opts)),
      host_(host) {
    api_->install(*svr_);
    port_ = bind_server(*svr_, host, port);
    if (port_ < 0) throw std::runtime_error("cannot bind " + host + ":" + std::to_string(port));
    thread_ = std::thread([this] { svr_->listen_after_bind(); });
    for (int i = 0; i < 2000 && !svr_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

BackgroundServer::~BackgroundServer() { stop(); }

void BackgroundServer::stop() {
    if (!thread_.joinable()) return;
    // listen_after_bind may not have set is_running yet; stop() before that would be lost.
    for (int i = 0; i < 2000 && !svr_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    svr_->stop();
    thread_.join();
}

std::string BackgroundServer::url() const { return "http://" + host_ + ":" + std::to_string(port_); }

}  // namespace kyodo::server
