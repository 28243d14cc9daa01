#include "app/ui/theme.h"

namespace kyodo::app::theme {

ImU32 kind_colour(int k) {
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
