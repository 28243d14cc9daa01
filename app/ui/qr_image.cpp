#include "app/ui/qr_image.h"

#include <algorithm>
#include <cmath>

#include "app/ui/shell.h"
#include "app/ui/widgets.h"

namespace kyodo::app {

const QrTexture::Picture& QrTexture::get(Platform& platform, const std::string& url, int module_px) {
    if (pic_.url == url && pic_.module_px == module_px && (pic_.texture || pic_.matrix.size == 0)) return pic_;
    if (pic_.url != url) pic_.matrix = make_qr(url);
    pic_.url = url;
    pic_.module_px = module_px;
    int side = 0;
    const std::vector<std::uint8_t> px = qr_pixels(pic_.matrix, module_px, &side);
    if (px.empty()) {
        release(platform);
        pic_.side_px = 0;
        return pic_;
    }
    pic_.texture = platform.upload_texture(px.data(), side, side, false, pic_.texture);
    pic_.side_px = pic_.texture ? side : 0;
    return pic_;
}

void QrTexture::release(Platform& platform) {
    if (pic_.texture) platform.delete_texture(pic_.texture);
    pic_.texture = 0;
    pic_.url.clear();
}

namespace {

// Pixels a module for `url` within `max_side` (0 when it cannot be encoded).
int module_px_for(Shell& shell, const std::string& url, float max_side) {
    if (url.empty()) return 0;
    // The module count is known only after encoding: ask at the minimum size first (cached).
    const QrMatrix& m = shell.qr_picture(url, kQrMinModulePx).matrix;
    if (m.size == 0) return 0;
    const int modules = m.size + 2 * kQrQuietModules;
    return std::max(kQrMinModulePx, static_cast<int>(std::floor(max_side / static_cast<float>(modules))));
}

}  // namespace

float qr_side(Shell& shell, const std::string& url, float max_side) {
    const int module_px = module_px_for(shell, url, max_side);
    if (module_px == 0) return 0;
    return static_cast<float>(shell.qr_picture(url, module_px).side_px);
}

float draw_qr(Shell& shell, const std::string& url, ImVec2 at, float max_side, const char* layout_id) {
    const int module_px = module_px_for(shell, url, max_side);
    if (module_px == 0) return 0;
    const QrTexture::Picture& pic = shell.qr_picture(url, module_px);
    if (!pic.texture) return 0;
    const ImVec2 a(std::round(at.x), std::round(at.y));
    const float side = static_cast<float>(pic.side_px);
    ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(pic.texture), a, ImVec2(a.x + side, a.y + side));
    const ImVec2 back = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(a);
    ImGui::Dummy(ImVec2(side, side));
    ui::note_item(layout_id);
    ImGui::SetCursorScreenPos(back);
    return side;
}

}  // namespace kyodo::app
