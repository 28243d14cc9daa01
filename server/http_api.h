// The HTTP API v1 (docs/protocol.md) on a cpp-httplib server:
//   GET  /api/v1/health
//   POST /api/v1/records        (Bearer device token)
//   GET  /api/v1/catalog?since=N (Bearer device token)
//   GET  /api/v1/rosters        (Bearer device token; the kiosk's centre's rosters, server/rosters.h)
// Every JSON answer carries "protocol": "kyodo/1"; errors are
//   {"protocol":"kyodo/1","error":{"code":"…","message":"…"}}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/seal.h"
#include "core/timeutil.h"
#include "server/http_guard.h"
#include "server/ingest.h"
#include "server/storage.h"

namespace httplib {
class Server;
}

namespace kyodo::server {

inline constexpr const char* kProtocol = "kyodo/1";
inline constexpr const char* kServerVersion = "0.1.0";

struct ApiOptions {
    std::size_t max_body_bytes = 8u << 20;   // request body, before and after gzip inflation
    std::size_t max_records = 1000;          // records in one push
    double rate_per_s = 20;                  // per kiosk token bucket; <= 0 disables
    double rate_burst = 40;
    std::size_t threads = 16;                // HTTP worker threads (only on a server not made by make_server)
    // Pushes read and checked at once (the CPU-bound part of a push, after its body is read),
    // admitted in arrival order; 0 = one fewer than the hardware threads, at least 1 (the
    // group-commit writer keeps a core). See ParseGate in server/http_api.cpp.
    std::size_t parse_slots = 0;
    IngestOptions ingest;
    // The server's clock for a push (receipt time, the slot rules' "now": server/slot_rules.h).
    // Tests set a fixed time here; the server itself never does.
    std::function<std::int64_t()> clock = &now_millis;
};

class Api {
public:
    Api(Storage& storage, KeyPair keys, ApiOptions opts = {});
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    // Installs routes, error and exception handlers, the payload limit and the worker pool.
    void install(httplib::Server& svr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Binds `svr` to host:port (port 0: a free port) and returns the port, or -1. Unlike a bare
// bind_to_port, it raises the listen backlog from httplib's built-in 5 to 1024, so a crowd of
// kiosks reconnecting at once (after a network outage) is not held up by dropped SYNs.
int bind_server(httplib::Server& svr, const std::string& host, int port);

// A plain-HTTP server on a background thread, for tests and benchmarks: binds host:port
// (port 0 = a free port) in the constructor, serves until stop() or destruction.
class BackgroundServer {
public:
    BackgroundServer(Storage& storage, KeyPair keys, ApiOptions opts = {}, const std::string& host = "127.0.0.1",
                     int port = 0, const ServerLimits& limits = {});
    ~BackgroundServer();
    BackgroundServer(const BackgroundServer&) = delete;
    BackgroundServer& operator=(const BackgroundServer&) = delete;

    int port() const { return port_; }
    std::string url() const;   // "http://127.0.0.1:PORT"
    void stop();

private:
    std::unique_ptr<httplib::Server> svr_;
    std::unique_ptr<Api> api_;
    std::string host_;
    int port_ = -1;
    std::thread thread_;
};

}  // namespace kyodo::server
