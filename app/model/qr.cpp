#include "app/model/qr.h"

#include <qrencode.h>

namespace kyodo::app {

QrMatrix make_qr(const std::string& text) {
    QrMatrix m;
    if (text.empty()) return m;
    QRcode* code = QRcode_encodeData(static_cast<int>(text.size()),
                                     reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
    if (!code) return m;
    m.size = code->width;
    m.dark.resize(static_cast<std::size_t>(m.size) * m.size);
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;
    QRcode_free(code);
    return m;
}

namespace {

std::string without_trailing_slash(std::string b) {
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b;
}

std::string percent_encoded(const std::string& text) {
    static const char* kHex = "0123456789ABCDEF";
    std::string id;
    for (unsigned char c : text) {
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '_' || c == '.' || c == '~';
        if (plain) {
            id += static_cast<char>(c);
        } else {
            id += '%';
            id += kHex[c >> 4];
            id += kHex[c & 15];
        }
    }
    return id;
}

}  // namespace

std::string public_activity_url(const std::string& base, const std::string& activity_id) {
    if (base.empty()) return "";
    return without_trailing_slash(base) + "/p/activities/" + percent_encoded(activity_id);
}

std::string public_receipt_url(const std::string& base, const std::string& receipt_number) {
    if (base.empty() || receipt_number.empty()) return "";
    return without_trailing_slash(base) + "/p/receipt?receipt=" + percent_encoded(receipt_number);
}

std::vector<std::uint8_t> qr_pixels(const QrMatrix& m, int module_px, int* side_px) {
    if (side_px) *side_px = 0;
    if (m.size <= 0 || module_px < 1) return {};
    const int modules = m.size + 2 * kQrQuietModules;
    const int side = modules * module_px;
    std::vector<std::uint8_t> px(static_cast<std::size_t>(side) * side * 4, 255);   // white, opaque
    for (int y = 0; y < m.size; ++y)
        for (int x = 0; x < m.size; ++x) {
            if (!m.at(x, y)) continue;
            for (int py = 0; py < module_px; ++py) {
                const std::size_t row = static_cast<std::size_t>((y + kQrQuietModules) * module_px + py) * side;
                for (int dx = 0; dx < module_px; ++dx) {
                    const std::size_t i = (row + static_cast<std::size_t>((x + kQrQuietModules) * module_px + dx)) * 4;
                    px[i] = px[i + 1] = px[i + 2] = 0;
                }
            }
        }
    if (side_px) *side_px = side;
    return px;
}

}  // namespace kyodo::app
