// Helpers the flow screens share (step headers, the back/next bar, review rows, a compact
// activity row). ImGui-thin, like the other screens.
#pragma once

#include <string>

#include "app/screens/common.h"

namespace kyodo::app::screens {

// Height of the back/next bar under a flow's scrolling part (it stays in view).
inline constexpr float kStepBarH = 112 + 72;   // button, gap above, item spacing, air
// "2 / 5" and a row of dots under a screen title.
void step_progress(const Shell& app, int index, int total, float width);
// A back (secondary) and a next (primary) button side by side across `width`; `back_key`
// or `next_key` nullptr leaves that button out. Returns -1 back, +1 next, 0 nothing.
// The back / next bar's height: 0 on a phone-width window while the keyboard is open (the
// keyboard's 完了 closes it and the bar comes back), so the field being typed into keeps
// room above the keyboard.
float step_bar_h(const Shell& app);
int step_buttons(const Shell& app, const char* back_key, const char* next_key, float width,
                 bool next_enabled = true, const char* next_id = "step-next");
// A label and a value in a panel row; with `edit_id` a small "change" button on the right.
bool review_row(const Shell& app, const char* label, const std::string& value, float width,
                const char* edit_id = nullptr);
// A tappable row for an activity (kind, title, date and place); true when tapped.
bool activity_row(Shell& app, const Activity& a, float width);
// A soft panel with a small caption and a bold line (what the form is about).
void about_panel(const Shell& app, const char* caption, const std::string& text, float width);
// Closes the on-screen keyboard (committing what it shows) before a step changes.
void close_keyboard(Shell& app);

}  // namespace kyodo::app::screens
