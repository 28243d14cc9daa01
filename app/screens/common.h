// Helpers the screens share: layout margins, dates in the current language, and field
// error codes in words.
#pragma once

#include <string>

#include <imgui.h>

#include "app/model/ruby_layout.h"
#include "app/ui/shell.h"

namespace kyodo::app::screens {

// Starts a padded column inside the content area; returns its width.
float begin_page(float max_width = 0);
// Date (or date-time) as residents read it in the current language.
std::string date_text(const Shell& app, const std::string& iso);
// "starts 〜 ends" for an activity, "" when it has no date.
std::string when_text(const Shell& app, const Activity& a);
// Words for a field error (code from the validator), or nullptr when there is none.
const char* field_error(const Shell& app, const FieldErrors& errors, const char* field);
// The banner for a failed submission ("" when none).
const char* submit_error_text(const Shell& app, const SubmitResult& r);
// Furigana (issue 9 point 5): the readings of an activity's text to draw above it when this
// resident has furigana on (DisplaySettings::show_furigana), else "" (ui::ruby_text etc.).
std::string_view readings(const Shell& app, const Activity& a, RubyField field);
// The band a line of text at `font`'s size needs above it for readings: ruby_room when
// furigana are on, 0 when off (fixed-height rows and cards grow by it).
float ruby_band(const Shell& app, const ImFont* font);
// Vertical space.
void gap(float h);
// A full-window layer that takes every touch (nothing underneath reacts), dimmed by `dim`,
// with a panel of size `panel` centred on it. Returns the panel's top-left; draw inside and
// call end_layer().
ImVec2 begin_layer(const char* id, ImVec2 panel, ImU32 dim);
void end_layer();

// Side-by-side form fields whose tops line up (ImGui's SameLine aligns text baselines,
// which shifts a labelled group down). next() moves to the next column; end() continues
// below the tallest.
class Row {
public:
    Row(float col_width, float gap_x, bool side_by_side);
    void next();
    void end();

private:
    ImVec2 start_;
    float col_, gap_, max_y_ = 0;
    int index_ = 0;
    bool side_;
};

}  // namespace kyodo::app::screens
