// What kyodo-kiosk does once its window and shell are up: a screenshot, the frame bench,
// or the kiosk itself (the event loop with the sync worker).
#pragma once

#include "app/cli/args.h"
#include "app/cli/startup.h"
#include "app/platform/platform.h"
#include "app/ui/shell.h"
#include "sync/kiosk_config.h"

namespace kyodo::app::cli {

// --screenshot FILE --screen NAME [--overlay ...]: one PNG, then exit.
int run_screenshot(Platform& platform, Shell& shell, const Args& args, Lang lang);
// --bench-frames N: frame times of the listings screen dragged by a finger.
int run_bench_frames(Platform& platform, Shell& shell, const Args& args);
// The kiosk: events -> frames until the window closes or SIGINT/SIGTERM.
int run_kiosk(Platform& platform, Shell& shell, const Args& args, const sync::KioskConfig& cfg, bool sync_on,
              const StartupTrace& trace);

}  // namespace kyodo::app::cli
