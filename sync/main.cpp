// kyodo-sync: the kiosk's sync engine from the command line, for staff, operators and tests.
//
//   kyodo-sync once   --config kiosk.json   one pass: push the outbox, pull the catalog
//   kyodo-sync status --config kiosk.json   what is queued, rejected, and the last error
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "core/store.h"
#include "core/timeutil.h"
#include "core/types.h"
#include "sync/kiosk_config.h"
#include "sync/sync_engine.h"
#include "sync/curl_transport.h"
#include "sync/transport.h"

using namespace kyodo;
using namespace kyodo::sync;

namespace {

constexpr const char* kUsage =
    "kyodo-sync: push this kiosk's queued records to city hall and pull the catalog.\n"
    "\n"
    "Usage:\n"
    "  kyodo-sync once   --config kiosk.json   one sync pass; prints a summary line such as\n"
    "                                          pushed=12 stored=11 duplicate=1 rejected=0 ...\n"
    "  kyodo-sync status --config kiosk.json   queued records by kind, rejected records with\n"
    "                                          their reasons, catalog version, last error\n"
    "  kyodo-sync --help\n"
    "\n"
    "Options:\n"
    "  --config FILE      the kiosk's configuration written at enrolment (default kiosk.json)\n"
    "  --timeout SECONDS  give up on one HTTP request after this long (once; default 60)\n"
    "\n"
    "Exit status: 0 success, 1 the sync or the configuration failed (the reason is printed),\n"
    "2 wrong usage.\n";

int usage_error(const std::string& msg) {
    std::cerr << "kyodo-sync: " << msg << "\n\n" << kUsage;
    return 2;
}

std::string when(const std::string& ms_text) {
    if (ms_text.empty()) return "never";
    try {
        return rfc3339_utc(std::stoll(ms_text));
    } catch (const std::exception&) {
        return ms_text;
    }
}

int cmd_once(const KioskConfig& cfg, long timeout_s) {
    KioskStore store(cfg.db_path);
    TransportOptions opts;
    opts.base_url = cfg.server_url;
    opts.ca_file = cfg.ca_file;
    opts.total_timeout_ms = timeout_s * 1000;
    opts.connect_timeout_ms = std::min<long>(opts.connect_timeout_ms, opts.total_timeout_ms);
    opts.user_agent = "kyodo-sync/" + cfg.app_version;
    CurlTransport transport(opts);
    SyncEngine engine(store, cfg, transport);
    SyncReport rep = engine.run_once();
    int pending = store.counts().pending;
    std::cout << rep.summary(pending) << std::endl;
    if (!rep.ok()) {
        std::cerr << "kyodo-sync: " << rep.error() << "\n";
        if (rep.push.ok && rep.push.answered() > 0)
            std::cerr << "kyodo-sync: the records above were delivered; only the step named failed\n";
        return 1;
    }
    return 0;
}

int cmd_status(const KioskConfig& cfg) {
    KioskStore store(cfg.db_path);
    OutboxCounts c = store.counts();
    std::cout << "kiosk: " << cfg.kiosk_id << " (centre " << cfg.centre_id << ")\n";
    std::cout << "server: " << cfg.server_url << "\n";
    std::cout << "database: " << cfg.db_path << " (" << store.file_bytes() / 1024 << " KiB)\n";
    std::cout << "queued: " << c.pending;
    if (c.pending > 0) {
        std::cout << " (";
        bool first = true;
        for (RecordKind k : all_record_kinds()) {
            int n = c.by_kind[static_cast<int>(k)].pending;
            if (n == 0) continue;
            std::cout << (first ? "" : ", ") << to_code(k) << " " << n;
            first = false;
        }
        std::cout << "), oldest queued " << rfc3339_utc(c.oldest_pending_ms);
    }
    std::cout << "\n";
    std::cout << "delivered (kept " << cfg.retention_days << " days): " << c.delivered << "\n";
    std::cout << "rejected: " << c.rejected << "\n";
    for (const OutboxEntry& e : store.rejected()) {
        std::cout << "  " << e.record.id << " " << to_code(e.record.kind) << " " << e.result << ": "
                  << (e.reject_code.empty() ? "" : e.reject_code + ": ") << e.reject_message << "\n";
    }
    std::cout << "catalog version: " << store.catalog_version() << "\n";
    std::cout << "last sync attempt: " << when(store.setting(SyncEngine::kLastAttemptSetting)) << "\n";
    std::cout << "last successful sync: " << when(store.setting(SyncEngine::kLastSuccessSetting)) << "\n";
    std::string err = store.setting(SyncEngine::kLastErrorSetting);
    std::cout << "last error: " << (err.empty() ? "none" : err) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string command, config = "kiosk.json";
    long timeout_s = 60;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h" || a == "help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--config" || a == "--timeout") {
            if (i + 1 >= args.size()) return usage_error(a + " needs a value");
            const std::string& v = args[++i];
            if (a == "--config") {
                config = v;
            } else {
                try {
                    timeout_s = std::stol(v);
                } catch (const std::exception&) {
                    timeout_s = 0;
                }
                if (timeout_s <= 0 || timeout_s > 3600)
                    return usage_error("--timeout wants whole seconds between 1 and 3600");
            }
        } else if (a.rfind("--config=", 0) == 0) {
            config = a.substr(9);
        } else if (!a.empty() && a[0] == '-') {
            return usage_error("unknown option " + a);
        } else if (command.empty()) {
            command = a;
        } else {
            return usage_error("unexpected argument " + a);
        }
    }
    if (command.empty()) return usage_error("which command? once or status");
    if (command != "once" && command != "status") return usage_error("unknown command " + command);

    try {
        KioskConfig cfg = KioskConfig::load(config);
        return command == "once" ? cmd_once(cfg, timeout_s) : cmd_status(cfg);
    } catch (const ConfigError& e) {
        std::cerr << "kyodo-sync: the configuration is wrong: " << e.what() << "\n";
    } catch (const StoreError& e) {
        std::cerr << "kyodo-sync: the kiosk's database cannot be used: " << e.what()
                  << (e.disk_full() ? " (the disk is full)" : "") << "\n";
    } catch (const std::exception& e) {
        std::cerr << "kyodo-sync: " << e.what() << "\n";
    }
    return 1;
}
