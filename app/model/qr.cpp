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

std::string public_activity_url(const std::string& base, const std::string& activity_id) {
    if (base.empty()) return "";
    std::string b = base;
    while (!b.empty() && b.back() == '/') b.pop_back();
    static const char* kHex = "0123456789ABCDEF";
    std::string id;
    for (unsigned char c : activity_id) {
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
    return b + "/p/activities/" + id;
}

}  // namespace kyodo::app
