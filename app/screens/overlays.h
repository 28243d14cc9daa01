// The shell's overlays over every screen: the idle countdown ("are you still there?"), the
// text size / contrast / language panel, and staff mode (PIN pad, then the dashboard).
#pragma once

namespace kyodo::app {
class Shell;
}

namespace kyodo::app::screens {

void draw_shell_overlays(Shell& app);

}  // namespace kyodo::app::screens
