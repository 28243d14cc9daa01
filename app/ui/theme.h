// The kiosk's look: a calm, high-contrast civic palette (navy header, white cards on a
// light grey page, one blue for actions) and generous sizes for touch. No hover-only
// affordances: hovered colours equal the normal ones, since a finger does not hover.
#pragma once

#include <imgui.h>

namespace kyodo::app::theme {

// Colours (sRGB). Not constexpr: set_high_contrast() swaps the palette between frames
// (the resident's high-contrast switch); screens read them each frame.
inline constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255) {
    return (a << 24) | (b << 16) | (g << 8) | r;
}
inline ImU32 kPage = rgb(0xF2, 0xF4, 0xF7);
inline ImU32 kSurface = rgb(0xFF, 0xFF, 0xFF);
inline ImU32 kText = rgb(0x16, 0x1C, 0x24);
inline ImU32 kMuted = rgb(0x45, 0x51, 0x5E);
inline ImU32 kBorder = rgb(0xC4, 0xCD, 0xD6);
inline ImU32 kHeader = rgb(0x0A, 0x3A, 0x66);
inline ImU32 kHeaderText = rgb(0xFF, 0xFF, 0xFF);
inline ImU32 kHeaderSub = rgb(0xC9, 0xDA, 0xEC);
inline ImU32 kPrimary = rgb(0x0B, 0x5C, 0xAD);
inline ImU32 kPrimaryPressed = rgb(0x07, 0x3F, 0x7A);
inline ImU32 kPrimarySoft = rgb(0xE3, 0xEE, 0xFA);
inline ImU32 kGreen = rgb(0x1B, 0x6E, 0x30);
inline ImU32 kGreenSoft = rgb(0xE2, 0xF3, 0xE6);
inline ImU32 kRed = rgb(0xA8, 0x1E, 0x16);
inline ImU32 kRedSoft = rgb(0xFD, 0xEC, 0xEA);
inline ImU32 kAmber = rgb(0x8A, 0x55, 0x00);
inline ImU32 kAmberSoft = rgb(0xFF, 0xF4, 0xDC);
inline ImU32 kFooter = rgb(0xE4, 0xE8, 0xED);

// The high-contrast palette (black page, white text, yellow actions) or the normal one;
// re-applies the ImGui style. Between frames only.
void set_high_contrast(bool on);
bool high_contrast();

// Accent colour per listing kind (badges, tile stripes).
ImU32 kind_colour(int kind_index);

// Sizes (pixels at 1080p; the kiosk is a fixed, known screen).
inline constexpr float kHeaderH = 120;
inline constexpr float kFooterH = 64;
inline constexpr float kMargin = 40;
inline constexpr float kGap = 24;
inline constexpr float kButtonH = 88;      // minimum touch target height
inline constexpr float kBigButtonH = 112;
inline constexpr float kRadius = 14;

inline ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void apply_style(ImGuiStyle& style);

}  // namespace kyodo::app::theme
