// One function per screen; each draws into the content area of the kiosk window. They read
// and change the models in KioskApp and hold no state of their own.
#pragma once

namespace kyodo::app {
class KioskApp;
}

namespace kyodo::app::screens {

float header_height(const KioskApp& app);   // taller on phone-width windows
void draw_header(KioskApp& app);
void draw_footer(KioskApp& app);
void draw_start(KioskApp& app);
void draw_listings(KioskApp& app);
void draw_detail(KioskApp& app);
void draw_signup(KioskApp& app);
void draw_opinion(KioskApp& app);
void draw_receipt(KioskApp& app);

}  // namespace kyodo::app::screens
