// What a resident may change for themselves (issue 3 §5): text size, a high-contrast
// theme, the language, furigana. Reset to the defaults when the session ends (idle reset, "start
// over"), so the next person finds the kiosk as it normally is. Plain data.
#pragma once

#include "app/model/texts.h"

namespace kyodo::app {

enum class TextSize { Standard, Large, ExtraLarge };

// Font scale for a text size: 1.0, 1.2, 1.4 (the atlas is rebuilt at these sizes).
float text_scale(TextSize s);
const char* text_size_code(TextSize s);   // "standard" | "large" | "xlarge"

// Furigana (small kana above the catalog's kanji): Auto is on in やさしい日本語 and off
// otherwise; the 文字・言語 panel's switch makes it On or Off for this resident.
enum class FuriganaMode { Auto, On, Off };

struct DisplaySettings {
    TextSize text_size = TextSize::Standard;
    bool high_contrast = false;
    Lang lang = Lang::Ja;
    FuriganaMode furigana = FuriganaMode::Auto;

    bool show_furigana() const {
        return furigana == FuriganaMode::On || (furigana == FuriganaMode::Auto && lang == Lang::EasyJa);
    }

    bool is_default() const { return *this == DisplaySettings{}; }
    void reset() { *this = DisplaySettings{}; }
    bool operator==(const DisplaySettings&) const = default;
};

}  // namespace kyodo::app
