// Bounded work per connection and per request for the httplib server (docs/operations.md,
// "Limits"). cpp-httplib 0.11 gives a connection a worker thread for as long as the client
// keeps it open, reads headers without a count limit, reads a whole chunked body (or a whole
// over-long one, to discard it) before anyone can say 413, and has only a per-recv timeout.
// GuardedServer replaces its per-connection loop (Server::process_and_close_socket, the hook
// SSLServer uses) with one that reads through GuardStream:
//   - a deadline for the request line and headers together, one for the whole body, one for
//     the whole answer, and an idle limit between bytes;
//   - a byte cap on the request line + headers, then a count cap on headers (431);
//   - per route, a body cap on the wire (Content-Length checked before reading; chunked
//     bodies cut off), Content-Encoding refused where it is not expected (415), and gates
//     that authenticate before the body is read (a bad device token, no staff session);
//   - a cap on open connections per client address;
//   - connection threads grown on demand up to a cap (they mostly wait on slow peers), apart
//     from the CPU work, which runs on small bounded pools of its own (BoundedPool).
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kyodo::server {

struct ServerLimits {
    std::size_t max_connections = 1024;        // connection threads (each open connection holds one)
    std::size_t max_other_connections = 256;   // of which not for /api/v1/ (lower priority; more wait)
    std::size_t other_cpu_slots = 2;           // of those, how many may use the CPU at once
    std::size_t max_per_address = 64;          // open connections from one address; 0 = no cap
    int keep_alive_s = 5;                      // idle wait for the next request on a kept connection
    std::size_t keep_alive_max = 100;          // requests per connection
    int header_timeout_s = 10;                 // request line + all headers, from their first byte
    int body_timeout_s = 60;                   // the whole request body
    int write_timeout_s = 120;                 // the whole answer
    int idle_timeout_s = 10;                   // no byte moving either way
    std::size_t max_header_bytes = 32u << 10;  // request line + headers
    std::size_t max_header_count = 100;
    std::size_t max_public_body = 16u << 10;   // default for every POST (login, phone pages)
    std::size_t max_staff_body = 1u << 20;     // dashboard forms, once a staff session is seen
    std::size_t max_import_body = 64u << 20;   // /admin/fleet/import (a bundle from a USB stick)
    std::size_t chunk_slack = 64u << 10;       // chunked bodies: framing allowed on top of the cap
};

// What the guard decided about the request being served on this thread.
struct RequestGuard {
    std::size_t body_cap = 0;          // bytes of body on the wire
    bool allow_encoding = false;       // Content-Encoding accepted (the route caps the inflated size)
    bool over_cap = false;             // the body went over body_cap while being read
    bool must_close = false;           // close the connection after this answer
};

// The guard state of the request the calling thread serves (nullptr outside a guarded one).
RequestGuard* current_request_guard();

class GuardedServerBase {
public:
    // A gate runs before the body is read, in the order added. It may raise or lower
    // g.body_cap / allow encodings, or answer (return Handled) without reading the body.
    using Gate = std::function<httplib::Server::HandlerResponse(const httplib::Request&, httplib::Response&,
                                                                RequestGuard& g)>;
    virtual ~GuardedServerBase() = default;
    virtual void add_gate(Gate g) = 0;
    virtual const ServerLimits& limits() const = 0;
};

// A plain-HTTP server (tls_cert empty) or HTTPS server with the guards. is_valid() is false
// when the certificate or key cannot be loaded.
std::unique_ptr<httplib::Server> make_server(const ServerLimits& limits, const std::string& tls_cert = "",
                                             const std::string& tls_key = "");

// The guard of a server made by make_server, or nullptr.
GuardedServerBase* guard_of(httplib::Server& svr);

// Runs CPU-heavy work (password hashing, dashboard pages) on `threads` threads of their own
// with at most `queue` jobs waiting; run() blocks the caller until done (rethrowing what the
// work threw), or returns false at once when the queue is full. The threads run at `nice`
// (Linux schedules threads apart), so kiosk pushes on the connection threads go first.
class BoundedPool {
public:
    BoundedPool(std::size_t threads, std::size_t queue, int nice = 0);
    ~BoundedPool();
    BoundedPool(const BoundedPool&) = delete;
    BoundedPool& operator=(const BoundedPool&) = delete;
    bool run(const std::function<void()>& fn);

private:
    void loop(int nice);
    std::size_t queue_limit_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::packaged_task<void()>> jobs_;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace kyodo::server
