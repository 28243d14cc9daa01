// The kiosk's side of the sync worker: its transport module, the footer's badge, and the
// headless mode (sync only, no display).
#pragma once

#include "app/ui/shell.h"
#include "sync/kiosk_config.h"
#include "sync/sync_worker.h"

namespace kyodo::app::cli {

sync::TransportFactory sync_transport();
SyncBadge badge_of(const sync::SyncStatus& s);
// No display: sync until SIGINT/SIGTERM (or just wait when sync is off).
int run_headless(const sync::KioskConfig& cfg, bool sync_on);

}  // namespace kyodo::app::cli
