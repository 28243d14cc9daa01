// PNG files for screenshots (libpng).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kyodo::app {

// Writes top-row-first RGBA pixels as an RGB PNG. False with `err` on failure.
bool write_png(const std::string& path, int w, int h, const std::vector<std::uint8_t>& rgba,
               std::string* err);
// Reads a PNG into RGBA (tests use it to check screenshots).
bool read_png(const std::string& path, int& w, int& h, std::vector<std::uint8_t>& rgba,
              std::string* err);

}  // namespace kyodo::app
