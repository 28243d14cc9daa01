// The shell's chrome around every screen: the header (title, language, settings, back and
// home) and the footer (centre, sync state). The screens themselves are views
// (app/ui/view.h, one file each in this folder, routed by registry.cpp).
#pragma once

namespace kyodo::app {
class Shell;
}

namespace kyodo::app::screens {

float header_height(const Shell& app);   // taller on phone-width windows (buttons only while typing)
float footer_height(const Shell& app);   // 0 while typing on a phone-width window
void draw_header(Shell& app);
void draw_footer(Shell& app);

}  // namespace kyodo::app::screens
