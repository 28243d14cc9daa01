// The kiosk's HTTP transport interface: the one place sync talks to the network. SyncEngine
// codes against Transport (tests can fake it); CurlTransport (sync/curl_transport.h) is the
// real one over libcurl, kept in its own library so the kiosk can load it late.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kyodo::sync {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Why a request produced no HTTP answer at all.
enum class TransportErrorKind {
    None,       // an HTTP answer arrived (any status)
    Connect,    // DNS, refused, unreachable
    Timeout,    // connect or total timeout
    Tls,        // certificate or handshake problem
    Cancelled,  // cancelled by the caller (worker stopping)
    Other,      // truncated body, read error, bad URL …
};

struct HttpRequest {
    std::string method = "GET";     // "GET" or "POST"
    std::string path;               // "/api/v1/records?x=1", appended to the base URL
    Headers headers;                // extra request headers
    std::string body;               // POST body (uncompressed)
    bool gzip_body = false;         // send body with Content-Encoding: gzip
    std::string if_none_match;      // sends If-None-Match when not empty
};

struct HttpResponse {
    int status = 0;                             // 0 when no answer (see error)
    TransportErrorKind error_kind = TransportErrorKind::None;
    std::string error;                          // transport error in English, "" when answered
    Headers headers;                            // as received; names lowercased
    std::string body;                           // decoded (Content-Encoding handled)

    bool answered() const { return error_kind == TransportErrorKind::None; }
    // First header with this name (case-insensitive), or "".
    std::string header(std::string_view name) const;
    std::string etag() const { return header("etag"); }
    std::string retry_after() const { return header("retry-after"); }
    std::string content_type() const { return header("content-type"); }
};

// Header names are compared in lower case (HTTP names are case-insensitive): the transport
// stores them so and header() looks them up so.
std::string lower_ascii(std::string_view s);


class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& req) = 0;

    HttpResponse post_json(const std::string& path, const std::string& json, const Headers& headers,
                           bool gzip);
    HttpResponse get(const std::string& path, const Headers& headers,
                     const std::string& if_none_match = "");
};

struct TransportOptions {
    std::string base_url;              // "https://cityhall.example:8443" (no trailing path)
    std::string ca_file;               // PEM bundle; empty = system CAs
    long connect_timeout_ms = 10'000;
    long total_timeout_ms = 60'000;
    std::size_t max_response_bytes = 64u << 20;   // a bigger answer is an error
    std::string user_agent = "kyodo-sync/0.1.0";
};

// How the sync worker gets its transport: called on the sync thread when a pass needs one,
// with the worker's cancel flag (transfers abort promptly while it is true). Returns nullptr
// and fills `error` (staff-readable) when no transport can be made, e.g. the kiosk's
// loadable libcurl module is missing; the worker then keeps every record and tries again
// on the next pass. CurlTransport's factory is sync/curl_transport.h's; the kiosk's loads it
// with dlopen (app/platform/transport_module.h) so libcurl stays off its start-up path.
using TransportFactory =
    std::function<std::unique_ptr<Transport>(const TransportOptions&, const std::atomic<bool>* cancel, std::string& error)>;

// gzip (RFC 1952) helpers over zlib. gzip_decompress returns nullopt on corrupt input or
// when the output would exceed max_out.
std::string gzip_compress(std::string_view data, int level = 6);
std::optional<std::string> gzip_decompress(std::string_view data, std::size_t max_out = 256u << 20);

}  // namespace kyodo::sync
