// The on-screen Japanese keyboard, drawn with ImGui (thin: every decision is in
// app/model/kana_keyboard.h), and the text field that opens it.
//
//   kb_input(...)        a labelled field; a tap opens the keyboard for it, and the field
//                        shows what is typed (composition underlined, the caret) as it is typed
//   keyboard_height()    how much of the current window the open keyboard takes (0 closed):
//                        give the form that much less height
//   keyboard_panel()     draws the keyboard across the bottom of the current window
//
// Keys are at least 52 px high at the standard text size (14 mm on a 24" 1080p screen, over
// the 9 mm touch minimum), 68 px where there is room, and scale with the text-size setting;
// columns page on narrow windows (a 390 px phone gets あ〜な / は〜わ). New kanji in the
// candidates are handed to the font atlas (Shell::note_text) before they are drawn, so a
// candidate never shows '?'.
#pragma once

#include <map>
#include <string>
#include <utility>

#include <imgui.h>

#include "app/model/kana_keyboard.h"

namespace kyodo::app {
class Shell;
}

namespace kyodo::app::ui {

// A field filled with the on-screen keyboard. `size.y` 0 = one line; otherwise a multi-line
// box of that height. Returns true when *value changed this frame.
bool kb_input(Shell& app, const FieldSpec& spec, const char* label, const char* tag, bool required,
              std::string* value, const char* hint, const char* error, ImVec2 size);

// A step of a form drawn in the current (scrolling) child window. When `step` differs from the
// step this window showed last, the page starts again at its top, and over the next few frames
// the first field drawn is scrolled into view by the least that shows it whole (the question
// above it stays): at 特大 on 1920x1080 the sign-up's contact step opened with its phone field
// under the fold, its top edge the only thing a finger could find.
void form_step(Shell& app, int step);

// How a key looks, and its colours in the current palette (tests check their contrast).
enum class KeyLook { Char, Mark, Quiet, Action, Go, Tab, TabOn, Outline };
struct KeyColours {
    ImU32 bg, fg, border;
};
KeyColours key_colours(KeyLook look, bool enabled, bool held);

// Height of the open keyboard across the current window's width (0 when closed).
float keyboard_height(Shell& app);
// Called before keyboard_height() in a frame whose page draws the field being typed into, one
// line, right above the keyboard (a phone's search box, whose results must show between it
// and the keys): the keyboard leaves out its own copy of the text (its top line) this frame
// and is that much shorter; its keys stay the same size and in the same place. A note on why
// a key did nothing still shows that line.
void keyboard_field_in_view();
// Draws the open keyboard across the bottom keyboard_height() pixels of the current window.
void keyboard_panel(Shell& app);

// Where the last frame drew the key showing `label` (grid keys: their glyphs; function keys:
// their string-table key, e.g. "kbd.convert"; a field: "field:" + its id, and "view:" + its id the part of its window that can be seen; the whole panel: "keyboard"); for tests that
// tap like a finger. False when no such key was drawn.
bool keyboard_key_rect(const std::string& label, ImVec2* min, ImVec2* max);
// Every rectangle the last frame that drew the keyboard recorded (the names of
// keyboard_key_rect), for tests that check keys stay where they were.
std::map<std::string, std::pair<ImVec2, ImVec2>> keyboard_key_rects();
// The candidate button showing `text` in the last frame.
bool keyboard_candidate_rect(const std::string& text, ImVec2* min, ImVec2* max);

}  // namespace kyodo::app::ui
