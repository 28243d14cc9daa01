#include "app/ui/theme.h"

namespace kyodo::app::theme {

namespace {
bool g_high_contrast = false;
}  // namespace

bool high_contrast() { return g_high_contrast; }

void set_high_contrast(bool on) {
    g_high_contrast = on;
    if (on) {
        // WCAG AAA pairs: white / yellow on black, black on yellow.
        kPage = rgb(0x00, 0x00, 0x00);
        kSurface = rgb(0x00, 0x00, 0x00);
        kText = rgb(0xFF, 0xFF, 0xFF);
        kMuted = rgb(0xFF, 0xFF, 0xFF);
        kBorder = rgb(0xFF, 0xFF, 0xFF);
        kHeader = rgb(0x00, 0x00, 0x00);
        kHeaderText = rgb(0xFF, 0xE6, 0x00);
        kHeaderSub = rgb(0xFF, 0xFF, 0xFF);
        kPrimary = rgb(0xFF, 0xE6, 0x00);
        kPrimaryPressed = rgb(0xFF, 0xFF, 0xFF);
        kPrimarySoft = rgb(0x33, 0x33, 0x00);
        kGreen = rgb(0x7C, 0xFF, 0x7C);
        kGreenSoft = rgb(0x00, 0x00, 0x00);
        kRed = rgb(0xFF, 0x8A, 0x80);
        kRedSoft = rgb(0x00, 0x00, 0x00);
        kAmber = rgb(0xFF, 0xC8, 0x50);
        kAmberSoft = rgb(0x00, 0x00, 0x00);
        kFooter = rgb(0x1A, 0x1A, 0x1A);
    } else {
        kPage = rgb(0xF2, 0xF4, 0xF7);
        kSurface = rgb(0xFF, 0xFF, 0xFF);
        kText = rgb(0x16, 0x1C, 0x24);
        kMuted = rgb(0x45, 0x51, 0x5E);
        kBorder = rgb(0xC4, 0xCD, 0xD6);
        kHeader = rgb(0x0A, 0x3A, 0x66);
        kHeaderText = rgb(0xFF, 0xFF, 0xFF);
        kHeaderSub = rgb(0xC9, 0xDA, 0xEC);
        kPrimary = rgb(0x0B, 0x5C, 0xAD);
        kPrimaryPressed = rgb(0x07, 0x3F, 0x7A);
        kPrimarySoft = rgb(0xE3, 0xEE, 0xFA);
        kGreen = rgb(0x1B, 0x6E, 0x30);
        kGreenSoft = rgb(0xE2, 0xF3, 0xE6);
        kRed = rgb(0xA8, 0x1E, 0x16);
        kRedSoft = rgb(0xFD, 0xEC, 0xEA);
        kAmber = rgb(0x8A, 0x55, 0x00);
        kAmberSoft = rgb(0xFF, 0xF4, 0xDC);
        kFooter = rgb(0xE4, 0xE8, 0xED);
    }
    apply_style(ImGui::GetStyle());
}

ImU32 kind_colour(int k) {
    if (g_high_contrast) return kPrimary;   // one bright accent; black text on it
    static constexpr ImU32 kColours[] = {
        rgb(0x0B, 0x5C, 0xAD),  // project: civic blue
        rgb(0x9A, 0x3B, 0x00),  // event: brick
        rgb(0x1B, 0x6E, 0x30),  // volunteer: green
        rgb(0x6A, 0x3D, 0x9A),  // grant: purple
        rgb(0x00, 0x6D, 0x77),  // public comment: teal
        rgb(0x8A, 0x55, 0x00),  // call for proposals: amber
    };
    return kColours[(k >= 0 && k < 6) ? k : 0];
}

void apply_style(ImGuiStyle& s) {
    ImGui::StyleColorsLight(&s);
    s.WindowPadding = ImVec2(0, 0);
    s.WindowRounding = 0;
    s.WindowBorderSize = 0;
    s.ChildRounding = kRadius;
    s.ChildBorderSize = 0;
    s.PopupRounding = kRadius;
    s.PopupBorderSize = 2;
    s.FramePadding = ImVec2(22, 20);
    s.FrameRounding = 12;
    s.FrameBorderSize = 2;
    s.ItemSpacing = ImVec2(kGap, 18);
    s.ItemInnerSpacing = ImVec2(16, 12);
    s.ScrollbarSize = 28;
    s.ScrollbarRounding = 14;
    s.GrabMinSize = 60;
    s.GrabRounding = 12;
    s.TouchExtraPadding = ImVec2(6, 6);
    s.SelectableTextAlign = ImVec2(0, 0.5f);
    // Lines as geometry, not from the atlas's baked line textures: the atlas is sampled texel
    // by texel (platform: GL_NEAREST), and a baked line then changed thickness along its length.
    s.AntiAliasedLinesUseTex = false;

    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = vec(kText);
    c[ImGuiCol_TextDisabled] = vec(kMuted);
    c[ImGuiCol_WindowBg] = vec(kPage);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = vec(kSurface);
    c[ImGuiCol_Border] = vec(kBorder);
    c[ImGuiCol_FrameBg] = vec(kSurface);
    c[ImGuiCol_FrameBgHovered] = vec(kSurface);
    c[ImGuiCol_FrameBgActive] = vec(kSurface);
    c[ImGuiCol_Button] = vec(kPrimary);
    c[ImGuiCol_ButtonHovered] = vec(kPrimary);
    c[ImGuiCol_ButtonActive] = vec(kPrimaryPressed);
    c[ImGuiCol_Header] = vec(kPrimarySoft);
    c[ImGuiCol_HeaderHovered] = vec(kPrimarySoft);
    c[ImGuiCol_HeaderActive] = vec(kPrimarySoft);
    c[ImGuiCol_CheckMark] = vec(kSurface);
    c[ImGuiCol_ScrollbarBg] = vec(kPage);
    c[ImGuiCol_ScrollbarGrab] = vec(kBorder);
    c[ImGuiCol_ScrollbarGrabHovered] = vec(kBorder);
    c[ImGuiCol_ScrollbarGrabActive] = vec(kMuted);
    c[ImGuiCol_TextSelectedBg] = vec(rgb(0xB9, 0xD5, 0xF5));
    c[ImGuiCol_NavHighlight] = vec(kPrimary);
    c[ImGuiCol_Separator] = vec(kBorder);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.35f);
}

}  // namespace kyodo::app::theme
