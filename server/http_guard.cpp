#include "server/http_guard.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "server/log.h"

namespace kyodo::server {
namespace {

using Clock = std::chrono::steady_clock;

// Per-connection state; one connection is served on one thread from start to end.
struct ConnState {
    const ServerLimits* lim = nullptr;
    Clock::time_point read_deadline{};
    Clock::time_point write_deadline{};
    bool write_started = false;
    bool in_body = false;
    std::size_t header_bytes = 0;
    std::size_t body_bytes = 0;
    std::size_t body_budget = 0;
    bool body_budget_set = false;
    bool timed_out = false;
    RequestGuard req;

    void begin_request() {
        read_deadline = Clock::now() + std::chrono::seconds(lim->header_timeout_s);
        write_started = false;
        in_body = false;
        header_bytes = body_bytes = 0;
        body_budget = 0;
        body_budget_set = false;
        req = RequestGuard{};
        req.body_cap = lim->max_public_body;
    }
    void begin_body() {
        in_body = true;
        read_deadline = Clock::now() + std::chrono::seconds(lim->body_timeout_s);
    }
};

thread_local ConnState* tl_conn = nullptr;

// Lowers this thread (Linux schedules threads apart) by `by` steps below the thread that
// started it, so the pools keep their distance from the kiosks' threads whatever niceness
// the server itself was started with.
void lower_this_thread(int by) {
    if (by <= 0) return;
    errno = 0;
    const int base = getpriority(PRIO_PROCESS, 0);   // this thread's, inherited from its creator
    if (errno != 0) return;
    setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(19, base + by));
}

// The CPU slots of connections not for /api/v1/ (dashboard, phone pages, login, open data).
// Niceness alone does not protect kiosks: the scheduler weighs threads, not pools, so a
// hundred runnable nice-5 threads (335 each) outweigh twenty kiosk threads (1,024 each).
// A connection of the second pool therefore holds one of a few slots while it uses the CPU
// and gives it back whenever it waits for the network (or for the hash and page pools), so
// however many hostile connections are open, at most `slots` of them compete with kiosks.
class CpuSlots {
public:
    explicit CpuSlots(std::size_t n) : free_(std::max<std::size_t>(1, n)) {}
    void take() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return free_ > 0; });
        --free_;
    }
    void give() {
        {
            std::lock_guard lock(mu_);
            ++free_;
        }
        cv_.notify_one();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::size_t free_;
};

// The slots this thread holds one of, while it holds it (nullptr on kiosk connections).
thread_local CpuSlots* tl_slot = nullptr;

// Gives this thread's CPU slot back for the scope of a wait, and takes one again after it.
class SlotReleased {
public:
    SlotReleased() : slots_(tl_slot) {
        if (slots_) {
            tl_slot = nullptr;
            slots_->give();
        }
    }
    ~SlotReleased() {
        if (slots_) {
            slots_->take();
            tl_slot = slots_;
        }
    }
    SlotReleased(const SlotReleased&) = delete;
    SlotReleased& operator=(const SlotReleased&) = delete;

private:
    CpuSlots* slots_;
};

std::string peer_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
    return buf;
}

void ip_and_port(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                        : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (rc != 0) return;
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
        port = ntohs(a->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
        port = ntohs(a->sin6_port);
    }
    ip = buf;
}

// The listening socket of the server this thread serves a connection for: INVALID_SOCKET
// once stop() was called, and then every wait below gives up within a quarter second.
thread_local const std::atomic<socket_t>* tl_listen = nullptr;

bool stopping() { return tl_listen && tl_listen->load() == INVALID_SOCKET; }

// Waits for `events` on fd until `deadline` or the idle limit, whichever is first.
bool wait_fd(int fd, short events, Clock::time_point deadline, int idle_s) {
    const SlotReleased waiting;
    const auto until = std::min(deadline, Clock::now() + std::chrono::seconds(idle_s));
    for (;;) {
        const auto now = Clock::now();
        if (now >= until || stopping()) return false;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(ms, 250)));
        if (rc > 0) return true;
        if (rc < 0 && errno != EINTR) return false;
    }
}

// The stream httplib reads requests from and writes answers to: buffered, non-blocking
// underneath, every read and write bounded by the connection's deadlines and byte budgets.
class GuardStream final : public httplib::Stream {
public:
    GuardStream(int fd, SSL* ssl, ConnState& st) : fd_(fd), ssl_(ssl), st_(st) {}

    bool buffered() const { return pos_ < len_ || (ssl_ && SSL_pending(ssl_) > 0); }

    bool is_readable() const override {
        return buffered() || wait_fd(fd_, POLLIN, st_.read_deadline, st_.lim->idle_timeout_s);
    }
    bool is_writable() const override {
        return wait_fd(fd_, POLLOUT, deadline_for_write(), st_.lim->idle_timeout_s);
    }

    ssize_t read(char* ptr, std::size_t size) override {
        std::size_t allowed = size;
        if (!st_.in_body) {
            if (st_.header_bytes >= st_.lim->max_header_bytes) return -1;
            allowed = std::min(allowed, st_.lim->max_header_bytes - st_.header_bytes);
        } else {
            if (!st_.body_budget_set) {
                // The body budget follows the gate's decision (made before the first body byte).
                st_.body_budget = st_.req.body_cap + st_.lim->chunk_slack;
                st_.body_budget_set = true;
            }
            if (st_.body_bytes >= st_.body_budget) {
                st_.req.over_cap = true;
                st_.req.must_close = true;
                return -1;
            }
            allowed = std::min(allowed, st_.body_budget - st_.body_bytes);
        }
        if (pos_ == len_ && !fill()) return -1;
        const std::size_t n = std::min(allowed, len_ - pos_);
        std::memcpy(ptr, buf_ + pos_, n);
        pos_ += n;
        (st_.in_body ? st_.body_bytes : st_.header_bytes) += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (!st_.write_started) {
            st_.write_started = true;
            st_.write_deadline = Clock::now() + std::chrono::seconds(st_.lim->write_timeout_s);
        }
        std::size_t done = 0;
        while (done < size) {
            ssize_t n;
            short want = POLLOUT;
            if (ssl_) {
                const int chunk = static_cast<int>(std::min<std::size_t>(size - done, 1 << 20));
                n = SSL_write(ssl_, ptr + done, chunk);
                if (n <= 0) {
                    const int e = SSL_get_error(ssl_, static_cast<int>(n));
                    if (e == SSL_ERROR_WANT_READ) want = POLLIN;
                    else if (e != SSL_ERROR_WANT_WRITE) return -1;
                }
            } else {
                n = ::send(fd_, ptr + done, size - done, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            }
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (!wait_fd(fd_, want, st_.write_deadline, st_.lim->idle_timeout_s)) {
                st_.timed_out = true;
                return -1;
            }
        }
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { ip_and_port(fd_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { ip_and_port(fd_, false, ip, port); }
    socket_t socket() const override { return fd_; }

private:
    Clock::time_point deadline_for_write() const {
        return st_.write_started ? st_.write_deadline : Clock::now() + std::chrono::seconds(st_.lim->write_timeout_s);
    }

    bool fill() {
        for (;;) {
            ssize_t n;
            short want = POLLIN;
            if (ssl_) {
                n = SSL_read(ssl_, buf_, sizeof buf_);
                if (n <= 0) {
                    const int e = SSL_get_error(ssl_, static_cast<int>(n));
                    if (e == SSL_ERROR_WANT_WRITE) want = POLLOUT;
                    else if (e != SSL_ERROR_WANT_READ) return false;
                }
            } else {
                n = ::recv(fd_, buf_, sizeof buf_, 0);
                if (n == 0) return false;
                if (n < 0 && errno == EINTR) continue;
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
            }
            if (n > 0) {
                pos_ = 0;
                len_ = static_cast<std::size_t>(n);
                return true;
            }
            if (!wait_fd(fd_, want, st_.read_deadline, st_.lim->idle_timeout_s)) {
                st_.timed_out = true;
                return false;
            }
        }
    }

    int fd_;
    SSL* ssl_;
    ConnState& st_;
    char buf_[16384];
    std::size_t pos_ = 0, len_ = 0;
};

// Connection threads, started as connections need them, up to a cap; queued beyond it.
class ConnectionPool final : public httplib::TaskQueue {
public:
    // `nice` > 0: its threads run at that niceness. `then`: a pool shut down after this one.
    explicit ConnectionPool(std::size_t max, int nice = 0, std::shared_ptr<ConnectionPool> then = nullptr)
        : max_(std::max<std::size_t>(2, max)), nice_(nice), then_(std::move(then)) {}
    void enqueue(std::function<void()> fn) override {
        std::lock_guard lock(mu_);
        jobs_.push_back(std::move(fn));
        if (jobs_.size() > idle_ && threads_.size() < max_) threads_.emplace_back([this] { loop(); });
        cv_.notify_one();
    }
    void shutdown() override {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        // Threads are only added under mu_ and never after stop_, so this list is final.
        for (auto& t : threads_) t.join();
        if (then_) then_->shutdown();
    }

private:
    void loop() {
        lower_this_thread(nice_);
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mu_);
                ++idle_;
                cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
                --idle_;
                if (jobs_.empty()) return;   // stop_ and nothing left
                fn = std::move(jobs_.front());
                jobs_.pop_front();
            }
            fn();
        }
    }
    std::size_t max_;
    int nice_;
    std::shared_ptr<ConnectionPool> then_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stop_ = false;
};

class AddressCounts {
public:
    bool enter(const std::string& a, std::size_t cap) {
        std::lock_guard lock(mu_);
        std::size_t& n = counts_[a];
        if (cap && n >= cap) {
            if (n == 0) counts_.erase(a);
            return false;
        }
        ++n;
        return true;
    }
    void leave(const std::string& a) {
        std::lock_guard lock(mu_);
        auto it = counts_.find(a);
        if (it != counts_.end() && --it->second == 0) counts_.erase(it);
    }

private:
    std::mutex mu_;
    std::unordered_map<std::string, std::size_t> counts_;
};

// After answering a request whose body was left unread: stop sending, then read and drop what
// the client still sends (bounded: 5 s, 16 MiB), so the kernel does not reset the connection
// (a reset can destroy the answer before the client reads it). Nothing is kept.
void linger(int sock) {
    const SlotReleased waiting;
    ::shutdown(sock, SHUT_WR);
    const auto until = Clock::now() + std::chrono::seconds(5);
    char buf[16384];
    std::size_t total = 0;
    while (total < (16u << 20)) {
        if (!wait_fd(sock, POLLIN, until, 5)) break;
        const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (n <= 0) break;
        total += static_cast<std::size_t>(n);
    }
}

bool set_nonblocking(int fd) {
    const int fl = fcntl(fd, F_GETFL, 0);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

bool has_body(const httplib::Request& req) {
    return req.has_header("Transfer-Encoding") ||
           (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

void plain_error(httplib::Response& res, int status, const std::string& msg) {
    res.status = status;
    res.set_header("Connection", "close");
    res.set_content(msg + "\n", "text/plain; charset=utf-8");
}

template <class Base>
class Guarded final : public Base, public GuardedServerBase {
public:
    template <class... A>
    Guarded(const ServerLimits& lim, A&&... a) : Base(std::forward<A>(a)...), lim_(lim) {
        // Two pools: every connection starts on the first (normal priority); once its request
        // line shows it is not for /api/v1/ (kiosks, health) it moves to the second, whose
        // threads run at nice 5, so dashboard, phone, login and open-data traffic, hostile or
        // not, cannot take the CPU from kiosk pushes.
        this->new_task_queue = [this] {
            others_ = std::make_shared<ConnectionPool>(lim_.max_other_connections, 5);
            return new ConnectionPool(lim_.max_connections, 0, others_);
        };
        this->set_keep_alive_max_count(lim_.keep_alive_max);
        this->set_keep_alive_timeout(lim_.keep_alive_s);
        this->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            return pre_route(req, res);
        });
    }
    void add_gate(Gate g) override { gates_.push_back(std::move(g)); }
    const ServerLimits& limits() const override { return lim_; }

private:
    httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res) {
        using HR = httplib::Server::HandlerResponse;
        ConnState* st = tl_conn;
        if (!st) return HR::Unhandled;
        RequestGuard& g = st->req;
        if (req.headers.size() > lim_.max_header_count) {
            g.must_close = true;
            plain_error(res, 431, "too many header fields (the limit is " + std::to_string(lim_.max_header_count) + ")");
            log_warn("guard", {{"status", "431"}, {"remote", req.remote_addr}, {"headers", std::to_string(req.headers.size())}});
            return HR::Handled;
        }
        for (const Gate& gate : gates_) {
            if (gate(req, res, g) == HR::Handled) {
                if (has_body(req)) g.must_close = true;
                if (g.must_close) res.set_header("Connection", "close");
                return HR::Handled;
            }
        }
        if (!has_body(req)) return HR::Unhandled;
        const std::string enc = req.get_header_value("Content-Encoding");
        if (!enc.empty() && enc != "identity" && !g.allow_encoding) {
            g.must_close = true;
            plain_error(res, 415, "Content-Encoding is not accepted on " + req.path);
            log_warn("guard", {{"status", "415"}, {"path", req.path}, {"remote", req.remote_addr}});
            return HR::Handled;
        }
        if (req.has_header("Content-Length")) {
            const std::string v = req.get_header_value("Content-Length");
            char* end = nullptr;
            errno = 0;
            const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
            if (v.empty() || *end || errno == ERANGE || n > g.body_cap) {
                g.must_close = true;
                g.over_cap = true;
                res.status = 413;   // the error handler gives it the route's shape
                log_warn("guard", {{"status", "413"}, {"path", req.path}, {"remote", req.remote_addr},
                                   {"length", v}, {"cap", std::to_string(g.body_cap)}});
                return HR::Handled;
            }
        }
        return HR::Unhandled;
    }

    bool process_and_close_socket(socket_t sock) override {
        const std::string addr = peer_address(sock);
        if (!counts_.enter(addr, lim_.max_per_address)) {
            if constexpr (std::is_same_v<Base, httplib::Server>) {
                static const char kBusy[] =
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 5\r\n"
                    "Connection: close\r\nContent-Length: 39\r\n\r\ntoo many connections from one address\r\n";
                [[maybe_unused]] auto n = ::send(sock, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            log_warn("guard", {{"status", "503"}, {"code", "per_address_cap"}, {"remote", addr}});
            ::shutdown(sock, SHUT_RDWR);
            ::close(sock);
            return false;
        }
        tl_listen = &this->svr_sock_;
        set_nonblocking(sock);
        SSL* ssl = nullptr;
        bool ok = true;
        if constexpr (!std::is_same_v<Base, httplib::Server>) {
            ok = false;
            {
                std::lock_guard lock(ssl_mu_);
                ssl = SSL_new(this->ssl_context());
            }
            if (ssl && SSL_set_fd(ssl, sock) == 1) {
                const auto deadline = Clock::now() + std::chrono::seconds(lim_.header_timeout_s);
                for (;;) {
                    const int rc = SSL_accept(ssl);
                    if (rc == 1) {
                        ok = true;
                        break;
                    }
                    const int e = SSL_get_error(ssl, rc);
                    const short want = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
                    if (!want || !wait_fd(sock, want, deadline, lim_.idle_timeout_s)) break;
                }
            }
            ERR_clear_error();
        }
        if (!ok) {
            finish(sock, ssl, addr, false);
            return false;
        }
        const Route route = classify(sock, ssl);
        if (route == Route::Gone) {
            finish(sock, ssl, addr, true);
            return false;
        }
        if (route == Route::Other && others_) {
            others_->enqueue([this, sock, ssl, addr] {
                tl_listen = &this->svr_sock_;
                slots_->take();
                tl_slot = slots_.get();
                finish(sock, ssl, addr, true);
                if (tl_slot) slots_->give();
                tl_slot = nullptr;
            });
            return true;
        }
        finish(sock, ssl, addr, true);
        return true;
    }

    enum class Route { Api, Other, Gone };

    // Which pool serves the connection, from the start of its request line (peeked, not read):
    // "GET /api/v1/…" and "POST /api/v1/…" stay, anything else moves. Waits for the line up to
    // the header deadline; a client that sends nothing by then is Gone.
    Route classify(int sock, SSL* ssl) {
        static constexpr std::string_view kGet = "GET /api/v1/", kPost = "POST /api/v1/";
        const auto deadline = Clock::now() + std::chrono::seconds(lim_.header_timeout_s);
        char buf[16];
        for (;;) {
            int n;
            short want = POLLIN;
            if (ssl) {
                n = SSL_peek(ssl, buf, sizeof buf);
                if (n <= 0) {
                    const int e = SSL_get_error(ssl, n);
                    if (e == SSL_ERROR_WANT_WRITE) want = POLLOUT;
                    else if (e != SSL_ERROR_WANT_READ) return Route::Gone;
                }
            } else {
                n = static_cast<int>(::recv(sock, buf, sizeof buf, MSG_PEEK));
                if (n == 0) return Route::Gone;
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return Route::Gone;
            }
            if (n > 0) {
                const std::string_view v(buf, static_cast<std::size_t>(n));
                if (v.substr(0, kGet.size()) == kGet || v.substr(0, kPost.size()) == kPost) return Route::Api;
                const bool could_be = kGet.substr(0, v.size()) == v || kPost.substr(0, v.size()) == v;
                if (!could_be || v.size() >= kPost.size()) return Route::Other;
                // A prefix of ours so far: wait for more bytes (they are not consumed, so poll
                // would not wait; sleep a little instead).
                if (Clock::now() >= deadline || stopping()) return Route::Gone;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            if (!wait_fd(sock, want, deadline, lim_.header_timeout_s)) return Route::Gone;
        }
    }

    void finish(int sock, SSL* ssl, const std::string& addr, bool handshaken) {
        ConnState st;
        st.lim = &lim_;
        if (handshaken) serve(sock, ssl, st);
        const bool ok = handshaken;
        if (ssl) {
            if (ok) SSL_shutdown(ssl);
            SSL_free(ssl);
            ERR_clear_error();
        }
        if (ok && st.req.must_close) linger(sock);
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        counts_.leave(addr);
    }

    bool serve(int sock, SSL* ssl, ConnState& st) {
        GuardStream strm(sock, ssl, st);
        bool ret = false;
        for (std::size_t count = 0; count < lim_.keep_alive_max; ++count) {
            // The first request may take the header deadline to start; later ones the keep-alive wait.
            const auto wait_until = Clock::now() + std::chrono::seconds(count == 0 ? lim_.header_timeout_s : lim_.keep_alive_s);
            if (!strm.buffered() && !wait_fd(sock, POLLIN, wait_until, std::max(lim_.header_timeout_s, lim_.keep_alive_s)))
                break;
            st.begin_request();
            tl_conn = &st;
            bool closed = false;
            const bool close_now = count + 1 == lim_.keep_alive_max || !this->is_running() || stopping();
            ret = this->process_request(strm, close_now, closed, [&st](httplib::Request&) { st.begin_body(); });
            tl_conn = nullptr;
            if (st.timed_out) log_warn("guard", {{"code", "deadline"}, {"phase", st.in_body ? "body" : "headers"}});
            if (!ret || closed || close_now || st.req.must_close || st.timed_out) break;
        }
        return ret;
    }

    ServerLimits lim_;
    std::shared_ptr<ConnectionPool> others_;
    std::unique_ptr<CpuSlots> slots_ = std::make_unique<CpuSlots>(lim_.other_cpu_slots);
    std::vector<Gate> gates_;
    AddressCounts counts_;
    std::mutex ssl_mu_;
};

}  // namespace

RequestGuard* current_request_guard() { return tl_conn ? &tl_conn->req : nullptr; }

std::unique_ptr<httplib::Server> make_server(const ServerLimits& limits, const std::string& tls_cert,
                                             const std::string& tls_key) {
    // Every answer, error pages and httplib's own included: no content sniffing; under TLS,
    // browsers are told to come back over HTTPS only (a year, as the usual preload lists ask).
    std::unique_ptr<httplib::Server> svr;
    httplib::Headers h{{"X-Content-Type-Options", "nosniff"}};
    if (tls_cert.empty()) {
        svr = std::make_unique<Guarded<httplib::Server>>(limits);
    } else {
        svr = std::make_unique<Guarded<httplib::SSLServer>>(limits, tls_cert.c_str(), tls_key.c_str());
        h.emplace("Strict-Transport-Security", "max-age=31536000");
    }
    svr->set_default_headers(std::move(h));
    return svr;
}

GuardedServerBase* guard_of(httplib::Server& svr) { return dynamic_cast<GuardedServerBase*>(&svr); }

BoundedPool::BoundedPool(std::size_t threads, std::size_t queue, int nice) : queue_limit_(queue) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) threads_.emplace_back([this, nice] { loop(nice); });
}

BoundedPool::~BoundedPool() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

bool BoundedPool::run(const std::function<void()>& fn) {
    std::packaged_task<void()> task(fn);
    auto done = task.get_future();
    {
        std::lock_guard lock(mu_);
        if (stop_ || jobs_.size() >= queue_limit_) return false;
        jobs_.push_back(std::move(task));
    }
    cv_.notify_one();
    const SlotReleased waiting;   // the pool's own threads do the work
    done.get();   // rethrows what fn threw
    return true;
}

void BoundedPool::loop(int nice) {
    lower_this_thread(nice);
    for (;;) {
        std::packaged_task<void()> task;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
            if (jobs_.empty()) return;
            task = std::move(jobs_.front());
            jobs_.pop_front();
        }
        task();
    }
}

}  // namespace kyodo::server
