#include "app/platform/transport_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>

#include "sync/transport_module.h"

#ifndef KYODO_MODULE_INSTALL_DIR
#define KYODO_MODULE_INSTALL_DIR "/usr/local/lib/kyodo"
#endif

namespace kyodo::app {

namespace {

namespace fs = std::filesystem;

std::string exe_dir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    return exe.parent_path().string();
}

// Shared by every transport the factory makes; lives as long as any copy of the factory.
struct ModuleState {
    std::mutex mu;
    std::string override_path;
    sync::TransportModuleCreate create = nullptr;
    std::string loaded_from;
    std::string last_logged;

    // Under mu. Empty string on success, else the reason.
    std::string load() {
        std::string reasons;
        for (const std::string& path : transport_module_candidates(override_path)) {
            // A missing file in a fallback folder is not news; an explicit override always is.
            std::error_code ec;
            if (override_path.empty() && !fs::exists(path, ec)) continue;
            auto t0 = std::chrono::steady_clock::now();
            // RTLD_LOCAL: the module's symbols (its copy of CurlTransport) stay its own.
            void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!handle) {
                const char* e = dlerror();
                reasons += (reasons.empty() ? "" : "; ") + std::string(e ? e : path + ": dlopen failed");
                continue;
            }
            auto* sym = dlsym(handle, sync::kTransportModuleSymbol);
            if (!sym) {
                const char* e = dlerror();
                reasons += (reasons.empty() ? "" : "; ") + std::string(e ? e : path + ": no entry point");
                dlclose(handle);
                continue;
            }
            create = reinterpret_cast<sync::TransportModuleCreate>(sym);
            loaded_from = path;
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr, "kyodo-kiosk: sync module loaded from %s in %.1f ms\n", path.c_str(), ms);
            return "";
        }
        if (reasons.empty()) {
            // No candidate exists: dlopen the first anyway for the loader's own words, then
            // name every folder searched.
            const auto all = transport_module_candidates(override_path);
            if (!all.empty() && !dlopen(all.front().c_str(), RTLD_NOW | RTLD_LOCAL)) {
                const char* e = dlerror();
                if (e) reasons = e;
            }
            reasons += (reasons.empty() ? "" : "; ") + std::string("not found in");
            for (const std::string& path : all) reasons += " " + fs::path(path).parent_path().string();
        }
        return reasons;
    }
};

}  // namespace

std::vector<std::string> transport_module_candidates(const std::string& override_path) {
    if (!override_path.empty()) return {override_path};
    std::vector<std::string> out;
    const std::string dir = exe_dir();
    if (!dir.empty()) {
        out.push_back(dir + "/" + sync::kTransportModuleFile);
        out.push_back((fs::path(dir).parent_path() / "lib/kyodo" / sync::kTransportModuleFile).lexically_normal().string());
    }
    std::string installed = std::string(KYODO_MODULE_INSTALL_DIR) + "/" + sync::kTransportModuleFile;
    bool seen = false;
    for (const auto& p : out) seen = seen || p == installed;
    if (!seen) out.push_back(installed);
    return out;
}

sync::TransportFactory module_transport_factory(std::string override_path) {
    auto state = std::make_shared<ModuleState>();
    state->override_path = std::move(override_path);
    return [state](const sync::TransportOptions& opts, const std::atomic<bool>* cancel,
                   std::string& error) -> std::unique_ptr<sync::Transport> {
        std::lock_guard lock(state->mu);
        std::string why;
        if (!state->create) why = state->load();
        if (state->create) {
            char err[512] = {0};
            sync::Transport* t = state->create(sync::kTransportModuleAbi, &opts, cancel, err, sizeof err);
            if (t) {
                state->last_logged.clear();
                return std::unique_ptr<sync::Transport>(t);
            }
            why = state->loaded_from + ": " + err;
        }
        error = "同期モジュールを読み込めません (sync module missing: " + why + ")";
        if (error != state->last_logged) {
            std::fprintf(stderr, "kyodo-kiosk: %s; records stay in the outbox until it loads\n", error.c_str());
            state->last_logged = error;
        }
        return nullptr;
    };
}

}  // namespace kyodo::app
