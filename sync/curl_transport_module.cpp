// The loadable module's one export (see sync/transport_module.h): CurlTransport behind a C
// entry point. Everything else in the module is hidden (-Wl,--exclude-libs,ALL and default
// hidden visibility), so its copies of kyodo and libcurl code never interpose on the kiosk's.
#include <cstdio>
#include <exception>

#include "sync/curl_transport.h"
#include "sync/transport_module.h"

namespace {

void set_error(char* err, std::size_t size, const char* text) {
    if (err && size > 0) std::snprintf(err, size, "%s", text);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) kyodo::sync::Transport* kyodo_transport_module_create(
    int abi, const kyodo::sync::TransportOptions* opts, const std::atomic<bool>* cancel, char* err,
    std::size_t err_size) {
    using namespace kyodo::sync;
    set_error(err, err_size, "");
    if (abi != kTransportModuleAbi) {
        char text[160];
        std::snprintf(text, sizeof text, "module built for transport ABI %d, the kiosk needs %d", kTransportModuleAbi,
                      abi);
        set_error(err, err_size, text);
        return nullptr;
    }
    if (!opts) {
        set_error(err, err_size, "no transport options given");
        return nullptr;
    }
    try {
        auto* t = new CurlTransport(*opts);
        t->set_cancel_flag(cancel);
        return t;
    } catch (const std::exception& e) {
        set_error(err, err_size, e.what());
    } catch (...) {
        set_error(err, err_size, "unknown error creating the transport");
    }
    return nullptr;
}
