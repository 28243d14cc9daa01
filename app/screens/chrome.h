// One function per screen; each draws into the content area of the kiosk window. They read
// and change the models in KioskApp and hold no state of their own.
#pragma once

namespace kyodo::app {
class KioskApp;
}

namespace kyodo::app::screens {

float header_height(const KioskApp& app);   // taller on phone-width windows (buttons only while typing)
float footer_height(const KioskApp& app);   // 0 while typing on a phone-width window
void draw_header(KioskApp& app);
void draw_footer(KioskApp& app);
void draw_start(KioskApp& app);
void draw_listings(KioskApp& app);
void draw_detail(KioskApp& app);
void draw_opinion(KioskApp& app);
void draw_receipt(KioskApp& app);
// The resident flows (screens/flows.cpp dispatches): the step-by-step sign-up, survey,
// public comment, proposal, organization directory and page.
void draw_flow(KioskApp& app);
void draw_signup_steps(KioskApp& app);
void draw_survey(KioskApp& app);
void draw_public_comment(KioskApp& app);
void draw_proposal(KioskApp& app);
void draw_organizations(KioskApp& app);
void draw_organization(KioskApp& app);

}  // namespace kyodo::app::screens
