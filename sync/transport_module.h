// The contract between the kiosk and its loadable transport module (kyodo_transport_curl.so):
// one extern "C" factory, looked up by name with dlsym. The module is built from the same
// tree and the same compiler as the kiosk, so C++ types cross the boundary as they are; the
// ABI number guards against a stale module left in the lib folder by an older install.
#pragma once

#include <atomic>
#include <cstddef>

#include "sync/transport.h"

namespace kyodo::sync {

// Raise whenever Transport, HttpRequest, HttpResponse or TransportOptions change: a module
// built with another number refuses to make a transport instead of crashing the kiosk.
inline constexpr int kTransportModuleAbi = 1;
inline constexpr const char* kTransportModuleFile = "kyodo_transport_curl.so";
inline constexpr const char* kTransportModuleSymbol = "kyodo_transport_module_create";

// Makes a transport for `opts` whose transfers abort while *cancel is true. Returns a new
// object the caller owns (delete through Transport's virtual destructor), or nullptr with
// a plain-English reason in err (always NUL-terminated). Never throws.
using TransportModuleCreate = Transport* (*)(int abi, const TransportOptions* opts, const std::atomic<bool>* cancel,
                                             char* err, std::size_t err_size);

}  // namespace kyodo::sync
