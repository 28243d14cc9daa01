#include "app/model/display_settings.h"

namespace kyodo::app {

float text_scale(TextSize s) {
    switch (s) {
        case TextSize::Standard: return 1.0f;
        case TextSize::Large: return 1.2f;
        case TextSize::ExtraLarge: return 1.4f;
    }
    return 1.0f;
}

const char* text_size_code(TextSize s) {
    switch (s) {
        case TextSize::Standard: return "standard";
        case TextSize::Large: return "large";
        case TextSize::ExtraLarge: return "xlarge";
    }
    return "standard";
}

}  // namespace kyodo::app
