// QR codes (libqrencode) as a plain module matrix, its picture (the texture the screens draw,
// app/ui/qr_image.h), and the addresses on the city-hall server they open on a phone: an
// activity's public page and a receipt's status page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kyodo::app {

struct QrMatrix {
    int size = 0;                        // modules per side (0 = encoding failed)
    std::vector<std::uint8_t> dark;      // size*size, row-major, 1 = dark module
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * size + x] != 0; }
};

// Encodes `text` (UTF-8, 8-bit mode, error correction M). size 0 when it cannot.
QrMatrix make_qr(const std::string& text);

// <base>/p/activities/<id>, the id percent-encoded; "" when base is empty.
std::string public_activity_url(const std::string& base, const std::string& activity_id);

// <base>/p/receipt?receipt=<number>: the sign-up's status page with its number filled in (the
// check code is typed on the phone, never put in the code); "" when base or number is empty.
std::string public_receipt_url(const std::string& base, const std::string& receipt_number);

// The light margin every reader needs around the symbol (ISO/IEC 18004: 4 modules).
constexpr int kQrQuietModules = 4;

// The code as an RGBA picture, `module_px` pixels a module, with the quiet zone, black on
// white, rows top first: (size + 2 * kQrQuietModules) * module_px pixels a side. Empty when
// the matrix is empty or module_px < 1.
std::vector<std::uint8_t> qr_pixels(const QrMatrix& m, int module_px, int* side_px);

}  // namespace kyodo::app
