// Every screen of the kiosk and the view that owns it (app/ui/view.h).
#pragma once

namespace kyodo::app {
class Shell;
}

namespace kyodo::app::screens {

// Registers one view per screen with the shell (called by its constructor).
void add_kiosk_views(Shell& shell);

}  // namespace kyodo::app::screens
