// Touch-sized widgets drawn with ImGui: big buttons, filter chips, cards, labelled inputs,
// banners, and drag-to-scroll. Every widget takes already-translated text; ids are given
// separately so two buttons with the same words never collide.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "app/ui/fonts.h"

namespace kyodo::app::ui {

enum class Tone { Primary, Secondary, Quiet, OnHeader, Danger };

// The fonts every widget draws with (set once per frame by the app).
void set_fonts(const FontRoles* fonts);
const FontRoles& fonts();
// The renderer (set once by the shell): text drawn off its atlas size asks it for
// bilinear sampling (Platform::smooth_font_sampling).
void set_renderer(Platform* platform);
// ImDrawList::AddText, but text at another size than its font's atlas size is sampled
// smoothly (furigana, a title shrunk to fit): use it whenever `size` may differ.
void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* begin,
              const char* end = nullptr);
// Bilinear sampling on/off for what `dl` draws next (for a run of scaled texts at once).
void smooth_sampling(ImDrawList* dl, bool on);

// A button with text centred; `size.x` 0 = fit text, -1 = fill the row.
bool button(const char* id, const char* text, ImVec2 size, Tone tone = Tone::Primary,
            ImFont* font = nullptr, bool enabled = true);
// A pill that is on or off (filters). Wraps onto a new line when the row is full.
bool chip(const char* id, const char* text, bool selected);
// Starts a row of chips (resets wrapping); end_chips() closes it. `width` > 0: the chips
// wrap (and shrink) within that many px from here, else at the window's content edge.
void begin_chips(float width = 0);
void end_chips();
// A big switch with a label (only-open filter, wants-reply).
bool toggle(const char* id, const char* text, bool* value);
// A tappable card of the given size; returns true when tapped (not when dragged).
// Draw its content afterwards with the returned rect (ImGui::GetItemRectMin/Max).
bool card(const char* id, ImVec2 size);
// Japanese-aware wrapping (app/model/line_break.h: kinsoku, breaks between phrases rather
// than inside words) for text drawn at `size` px with `font`, `wrap_w` px wide (0: no
// wrapping). Measure and draw with the same pair so a box is as tall as its text.
ImVec2 wrapped_size(ImFont* font, float size, float wrap_w, const char* s);
void draw_wrapped(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* s, float wrap_w);
// How a button's label is drawn in a box of `box` (16 px side padding, 8 px top and bottom):
// one line at full size, else one line shrunk down to 70 %, else (from 70 % down to 45 %) one
// line or lines broken only between words (never も/どる, Previ/ous, "‹" / "Back"). `fits` is
// Last, a label with an arrow ("‹ Previous", "次へ ›") tries the same without it. `fits` is
// false when none of these fit: the label is then wrapped at 70 % and cut.
struct LabelFit {
    float size = 0;    // font size to draw at
    float wrap = 0;    // wrap width, 0 = one line
    ImVec2 text;       // the drawn text's size
    bool fits = true;
    std::string label; // the text to draw when not the one given (its arrow dropped)
};
LabelFit fit_label(ImFont* font, const char* label, ImVec2 box);

// A screen's title: wrapped like text(), but never inside a word (Groups & organisatio/ns,
// Receive/d): the size shrinks, down to 60 %, until every break falls between words.
// title_size() is that size (a title beside something else measures with it); below 60 % the
// text is still wrapped and the cut is reported (note_overflow "title").
void title_text(const char* s, ImFont* font, ImU32 colour, float wrap = 0);
float title_size(ImFont* font, float wrap_w, const char* s);

// True when wrapping `s` at `wrap_w` would break a line inside a word (line_break.h splits_word).
bool wrap_splits_word(ImFont* font, float size, float wrap_w, const char* s);
// The text with a newline at every break, for ImGui calls that only know explicit newlines.
std::string wrapped(ImFont* font, float size, float wrap_w, const char* s);
// The line breaks above are cached per (text, font, size, width); the shell clears the
// cache when the font atlas is rebuilt (the fonts are new objects).
void clear_text_cache();

// Catalog text with furigana (issue 9 point 5): `readings` is the text's annotation
// (core/ruby.h, model/ruby_layout.h readings_to_draw: "" when furigana are off). Readings
// are drawn small (kRubyScale) and centred above their kanji, in a band of ruby_room(size) px
// above every line; a text whose readings are missing or stale (they do not annotate exactly
// this text) is drawn plain, exactly as the functions above and below draw it.
// ruby_text: as text(), at the cursor, the band included in the height it takes.
void ruby_text(const char* s, std::string_view readings, ImFont* font, ImU32 colour, float wrap);
ImVec2 ruby_size(ImFont* font, float size, float wrap_w, const char* s, std::string_view readings);
// As text_clipped(): `pos` is the top of the first line of text; its readings go in the
// band above it, which the caller has made room for (ruby_room).
void ruby_clipped(ImDrawList* dl, ImFont* font, ImVec2 pos, float width, int max_lines, ImU32 colour, const char* s,
                  std::string_view readings);
// What was drawn as furigana since the last take_rubies(), while record_layout is on (the UI
// tests check the readings sit above their kanji, inside the window and over nothing else).
struct RubyMark {
    std::string base, reading;
    float base_x, base_y, base_w, size;        // the kanji, at `size` px
    float ruby_x, ruby_y, ruby_w, ruby_size;   // the reading
};
std::vector<RubyMark> take_rubies();

// Text in `font` and `colour`, wrapped to the available width.
void text(const char* s, ImFont* font = nullptr, ImU32 colour = 0, float wrap = 0);
// Text clipped to `max_lines` lines within `width` (for cards); drawn at pos.
void text_clipped(ImDrawList* dl, ImFont* font, ImVec2 pos, float width, int max_lines,
                  ImU32 colour, const char* s);
// The height text_clipped takes for `lines` lines in `font` (first line plus line steps).
float clipped_height(ImFont* font, int lines);
// A coloured pill label (kind badges, "残り 3 名"). With `max_w` > 0 a label wider than that
// is drawn smaller (to 60 %) in a pill of that width (パブリックコメント on a phone's card at
// 特大 ran past the card); narrower still, it is cut and reported (note_overflow "badge").
void badge(ImDrawList* dl, ImVec2 pos, const char* s, ImU32 fg, ImU32 bg, ImFont* font = nullptr,
           ImVec2* size_out = nullptr, float max_w = 0);
ImVec2 badge_size(const char* s, ImFont* font = nullptr);
// A message band across the available width.
void banner(const char* s, ImU32 fg, ImU32 bg);
// Drag-to-scroll with momentum for the current window (touch has no wheel). Call inside a
// child (ui/kinetic.cpp). touch_scroll_active(): a list is being dragged or still glides
// (keep drawing frames); reset_touch_scroll(): forget every list's motion (session reset).
void touch_scroll();
bool touch_scroll_active();
void reset_touch_scroll();
// True when the current press moved far enough to be a drag, not a tap.
bool dragging();

// --print-layout (end-to-end tests): the rectangle of each button, card and input drawn
// since the last take_layout(), by the id it was given.
struct LayoutRect {
    std::string id;
    float x, y, w, h;
};
void record_layout(bool on);
std::vector<LayoutRect> take_layout();
// Records the last item drawn as `id` (kb_input: "field:" + its id, so tests can list every
// text field a screen drew, in view or scrolled away).
void note_item(const std::string& id);
// Records a rectangle drawn without an item of its own (a tile's title, its arrow, a text
// inside a panel) so tests can check what overlaps what.
void note_rect(const std::string& id, ImVec2 min, ImVec2 max);
// Text that did not fit its place even after shrinking (cut at the edge, or over a
// neighbour), recorded while record_layout is on: the UI tests require none at every
// window size.
struct Overflow {
    std::string id, text;
    float need = 0, room = 0;   // px wide
};
void note_overflow(const char* id, const char* text, float need, float room);
std::vector<Overflow> take_overflows();
// Every ui::text drawn since the last take_texts(), while record_layout is on: the words, where
// they were laid out and the clip rectangle they were drawn under (what of them can be seen), so
// UI tests can say which words are on screen (a draft's page must not speak of seats).
// take_layout() forgets the texts not taken before it.
struct DrawnText {
    std::string text;
    ImVec2 min, max;            // the text's box
    ImVec2 clip_min, clip_max;  // the draw list's clip rectangle
};
std::vector<DrawnText> take_texts();

// Fills the current window's content region with a rounded panel (cards, side panels).
void panel_bg(ImVec2 min, ImVec2 max, ImU32 colour = 0, bool border = true);

}  // namespace kyodo::app::ui
