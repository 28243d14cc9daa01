#include "app/model/line_pitch.h"

#include <algorithm>

namespace kyodo::app {

float line_pitch(float size, TextRole role) {
    return size * (role == TextRole::Body ? kBodyLinePitch : kLabelLinePitch);
}

float line_top(std::size_t i, float size, TextRole role) { return line_pitch(size, role) * static_cast<float>(i); }

float block_height(std::size_t lines, float size, TextRole role) {
    return size + line_top(lines > 0 ? lines - 1 : 0, size, role);
}

float ruby_line_pitch(float size, float ruby_band, TextRole role) {
    return std::max(size + ruby_band, line_pitch(size, role));
}

}  // namespace kyodo::app
