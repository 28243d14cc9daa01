#include "app/ui/png.h"

#include <cstdio>
#include <cstring>

#include <png.h>

namespace kyodo::app {

bool write_png(const std::string& path, int w, int h, const std::vector<std::uint8_t>& rgba,
               std::string* err) {
    if (w <= 0 || h <= 0 || rgba.size() < static_cast<std::size_t>(w) * h * 4) {
        if (err) *err = "no pixels to write";
        return false;
    }
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = static_cast<png_uint_32>(w);
    img.height = static_cast<png_uint_32>(h);
    img.format = PNG_FORMAT_RGBA;
    // The GL alpha channel is meaningless on screen: write opaque RGB.
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
    for (std::size_t i = 0, n = static_cast<std::size_t>(w) * h; i < n; ++i) {
        rgb[i * 3] = rgba[i * 4];
        rgb[i * 3 + 1] = rgba[i * 4 + 1];
        rgb[i * 3 + 2] = rgba[i * 4 + 2];
    }
    img.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&img, path.c_str(), 0, rgb.data(), 0, nullptr)) {
        if (err) *err = path + ": " + img.message;
        return false;
    }
    return true;
}

bool read_png(const std::string& path, int& w, int& h, std::vector<std::uint8_t>& rgba, std::string* err) {
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path.c_str())) {
        if (err) *err = path + ": " + img.message;
        return false;
    }
    img.format = PNG_FORMAT_RGBA;
    rgba.resize(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, nullptr, rgba.data(), 0, nullptr)) {
        if (err) *err = path + ": " + img.message;
        png_image_free(&img);
        return false;
    }
    w = static_cast<int>(img.width);
    h = static_cast<int>(img.height);
    return true;
}

}  // namespace kyodo::app
