// CurlTransport: the real Transport, over libcurl. No redirects are followed (a captive
// portal's 302 is an answer, not a path to our server); https always verifies the peer and
// the host name, against ca_file when set.
//
// libcurl pulls ~30 shared libraries (TLS, GSSAPI, LDAP, SSH, …) into whatever links it.
// kyodo-sync, the tests and the server-side tools link this library (kyodo_transport_curl_static)
// directly; the kiosk does not: it dlopens the module built from sync/curl_transport_module.cpp
// on its sync thread, after the first frame (see sync/README.md).
#pragma once

#include <atomic>
#include <memory>

#include "sync/transport.h"

namespace kyodo::sync {

// libcurl transport. Thread-safe: curl_global_init runs once per process, and each call
// uses its own easy handle state under a mutex (requests through one transport are
// serialised; the handle's connection cache is reused between them).
class CurlTransport : public Transport {
public:
    explicit CurlTransport(TransportOptions opts);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    HttpResponse send(const HttpRequest& req) override;
    // While *flag is true, transfers abort promptly (checked by curl's progress callback).
    void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }
    const TransportOptions& options() const { return opts_; }

private:
    struct Impl;
    TransportOptions opts_;
    const std::atomic<bool>* cancel_ = nullptr;
    std::unique_ptr<Impl> impl_;
};

// A TransportFactory that makes CurlTransports (never fails but by throwing).
TransportFactory curl_transport_factory();

}  // namespace kyodo::sync
