// How far apart the lines of a wrapped text are drawn (the top of one line to the top of the
// next), as plain data: the UI's size and draw functions (app/ui/widgets.cpp) both place lines
// with these, so a box measured for a text is as tall as the text drawn in it.
//
// Running text — descriptions, summaries, a draft's sections, notices, anything in the body
// and small faces — is 1.5 times its size apart (issue 9 point 8: ImGui puts lines one font
// size apart, ~1.05 times the glyphs' height, and paragraphs of Japanese read as a block).
// Titles, labels and buttons keep the font size: one or two short lines, where tight is better.
// No leading is added under the last line, so a one-line text is exactly as tall as before.
#pragma once

#include <cstddef>

namespace kyodo::app {

enum class TextRole { Body, Label };

inline constexpr float kBodyLinePitch = 1.5f;
inline constexpr float kLabelLinePitch = 1.0f;

// Top of one line to the top of the next, in px, for text drawn at `size` px.
float line_pitch(float size, TextRole role);
// Top of line `i` (from 0) from the top of the first.
float line_top(std::size_t i, float size, TextRole role);
// Height of `lines` lines (at least one: an empty text is one line tall, as ImGui measures it).
float block_height(std::size_t lines, float size, TextRole role);
// With furigana (ruby_layout.h) every line carries a band of readings above it: lines are the
// text plus that band apart, and never closer than line_pitch.
float ruby_line_pitch(float size, float ruby_band, TextRole role);

}  // namespace kyodo::app
