// Where the kiosk's sync transport comes from: the libcurl module (kyodo_transport_curl.so,
// sync/curl_transport_module.cpp), loaded with dlopen on the sync thread at its first pass,
// long after the first frame. Linking libcurl instead would have the dynamic loader map
// ~30 more libraries (TLS, GSSAPI, LDAP, SSH, ...) before main. It is a platform concern:
// a phone build would hand SyncWorker its own TransportFactory.
#pragma once

#include <string>
#include <vector>

#include "sync/transport.h"

namespace kyodo::app {

// Environment variable naming the module file to load instead of searching for it.
inline constexpr const char* kSyncModuleEnv = "KYODO_SYNC_MODULE";

// The files tried, in order: `override_path` alone when not empty (from KYODO_SYNC_MODULE);
// else the executable's own folder (/proc/self/exe; the build tree keeps the module there),
// <exe folder>/../lib/kyodo (a relocated install) and the configured install folder.
std::vector<std::string> transport_module_candidates(const std::string& override_path);

// A TransportFactory that loads the module on its first call (once per process: the module
// is never unloaded, libcurl's global state lives in it) and then makes its transports.
// When no candidate loads, it returns nullptr with "同期モジュールを読み込めません (sync module
// missing: <dlerror text>)" as the error, logs that to stderr once per distinct message, and
// tries again on the next call (so a module installed later is picked up without a restart).
sync::TransportFactory module_transport_factory(std::string override_path);

}  // namespace kyodo::app
