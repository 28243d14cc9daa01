// What a resident may change for themselves (issue 3 §5): text size, a high-contrast
// theme, the language. Reset to the defaults when the session ends (idle reset, "start
// over"), so the next person finds the kiosk as it normally is. Plain data.
#pragma once

#include "app/model/texts.h"

namespace kyodo::app {

enum class TextSize { Standard, Large, ExtraLarge };

// Font scale for a text size: 1.0, 1.2, 1.4 (the atlas is rebuilt at these sizes).
float text_scale(TextSize s);
const char* text_size_code(TextSize s);   // "standard" | "large" | "xlarge"

struct DisplaySettings {
    TextSize text_size = TextSize::Standard;
    bool high_contrast = false;
    Lang lang = Lang::Ja;

    bool is_default() const { return *this == DisplaySettings{}; }
    void reset() { *this = DisplaySettings{}; }
    bool operator==(const DisplaySettings&) const = default;
};

}  // namespace kyodo::app
