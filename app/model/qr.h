// QR codes (libqrencode) as a plain module matrix the screen draws as rectangles, and the
// address of an activity's public page on the city-hall server (opened on a phone).
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

}  // namespace kyodo::app
