#include "app/ui/widgets.h"

#include "app/model/line_break.h"
#include "app/model/line_pitch.h"
#include "app/model/ruby_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <imgui_internal.h>

#include "app/platform/platform.h"
#include "app/ui/theme.h"

namespace kyodo::app::ui {

namespace {
const FontRoles* g_fonts = nullptr;
constexpr float kDragThreshold = 18.0f;   // px a finger may wobble and still tap
}  // namespace

void set_fonts(const FontRoles* f) { g_fonts = f; }

namespace {
Platform* g_renderer = nullptr;
}  // namespace

void set_renderer(Platform* platform) { g_renderer = platform; }

void smooth_sampling(ImDrawList* dl, bool on) {
    if (g_renderer) g_renderer->smooth_font_sampling(dl, on);
}

void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* begin, const char* end) {
    const bool scaled = std::abs(size - font->FontSize) > 0.01f;
    if (scaled) smooth_sampling(dl, true);
    dl->AddText(font, size, pos, colour, begin, end);
    if (scaled) smooth_sampling(dl, false);
}

namespace {
bool g_layout_on = false;
std::vector<LayoutRect> g_layout;

// --print-layout: where each touch target is this frame (end-to-end tests tap them).
void note_layout(const char* id) {
    if (!g_layout_on) return;
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    g_layout.push_back({id, a.x, a.y, b.x - a.x, b.y - a.y});
}
}  // namespace

static std::vector<Overflow> g_overflows;
static std::vector<DrawnText> g_texts;

void record_layout(bool on) { g_layout_on = on; }
void note_item(const std::string& id) { note_layout(id.c_str()); }
void note_rect(const std::string& id, ImVec2 min, ImVec2 max) {
    if (g_layout_on) g_layout.push_back({id, min.x, min.y, max.x - min.x, max.y - min.y});
}
void note_overflow(const char* id, const char* text, float need, float room) {
    if (g_layout_on) g_overflows.push_back({id, text, need, room});
}
std::vector<DrawnText> take_texts() {
    std::vector<DrawnText> out;
    out.swap(g_texts);
    return out;
}
std::vector<Overflow> take_overflows() {
    std::vector<Overflow> out;
    out.swap(g_overflows);
    return out;
}
std::vector<LayoutRect> take_layout() {
    std::vector<LayoutRect> out;
    out.swap(g_layout);
    g_texts.clear();   // texts not taken before (--print-layout) do not pile up
    return out;
}
const FontRoles& fonts() { return *g_fonts; }

bool dragging() {
    const ImGuiIO& io = ImGui::GetIO();
    return io.MouseDragMaxDistanceSqr[0] > kDragThreshold * kDragThreshold;
}

LabelFit fit_label(ImFont* font, const char* label, ImVec2 box) {
    const float room_w = box.x - 16, room_h = box.y - 8, full = font->FontSize;
    const ImVec2 one = font->CalcTextSizeA(full, FLT_MAX, 0, label);
    if (one.x <= room_w || one.x <= 0) return {full, 0, one, true, {}};
    // Text wider than the button (large text on a phone) shrinks to fit on one line, down to
    // 70 %, rather than being cut.
    const float k1 = room_w / one.x;
    if (k1 >= 0.7f) return {full * k1, 0, ImVec2(one.x * k1, one.y * k1), true, {}};
    // Still too wide: lines broken only between words (文字・/言語), if the button is tall
    // enough; else smaller still, one line or lines between words, down to 45 % (the phone
    // header at 特大 drew も/どる, はじめ/へ and "‹" / "Back"). Only then is it cut.
    for (float k = 0.7f; k >= 0.45f - 1e-4f; k -= 0.05f) {
        const float fs = full * k;
        if (one.x * k <= room_w) return {fs, 0, ImVec2(one.x * k, one.y * k), true, {}};
        const ImVec2 ts = wrapped_size(font, fs, room_w, label);
        if (ts.y <= room_h && ts.x <= room_w + 0.5f && !wrap_splits_word(font, fs, room_w, label))
            return {fs, room_w, ts, true, {}};
    }
    // Last: the label without its arrow ("‹ Previous" on a phone's pager at 特大), the arrow
    // being the one part that says nothing new.
    std::string_view l(label);
    const std::string_view open = "‹ ", close = " ›";
    std::string bare;
    if (l.size() > open.size() && l.substr(0, open.size()) == open) bare = std::string(l.substr(open.size()));
    else if (l.size() > close.size() && l.substr(l.size() - close.size()) == close) bare = std::string(l.substr(0, l.size() - close.size()));
    if (!bare.empty()) {
        LabelFit f = fit_label(font, bare.c_str(), box);
        if (f.fits) {
            f.label = bare;
            return f;
        }
    }
    const float fs = full * 0.7f;
    return {fs, room_w, wrapped_size(font, fs, room_w, label), false, {}};
}

bool button(const char* id, const char* label, ImVec2 size, Tone tone, ImFont* font, bool enabled) {
    using namespace theme;
    if (!font) font = fonts().bold;
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label);
    const float pad_x = 36;
    if (size.x == 0) size.x = ts.x + pad_x * 2;
    if (size.x < 0) size.x = ImGui::GetContentRegionAvail().x;
    if (size.y == 0) size.y = kButtonH;
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##b", size) && enabled && !dragging();
    bool held = ImGui::IsItemActive() && enabled;
    ImGui::PopID();
    note_layout(id);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImU32 bg = 0, fg = 0, border = 0;
    switch (tone) {
        case Tone::Primary:
            bg = held ? kPrimaryPressed : kPrimary;
            fg = kSurface;
            break;
        case Tone::Secondary:
            bg = held ? kPrimarySoft : kSurface;
            fg = kPrimary;
            border = kPrimary;
            break;
        case Tone::Quiet:
            bg = held ? kBorder : kFooter;
            fg = kText;
            break;
        case Tone::OnHeader:
            bg = held ? rgb(0x1C, 0x55, 0x8C) : rgb(0x12, 0x48, 0x7C);
            fg = kHeaderText;
            border = rgb(0x7F, 0xA6, 0xCC);
            if (high_contrast()) {
                bg = held ? kPrimarySoft : kHeader;
                border = kHeaderText;
            }
            break;
        case Tone::Danger:
            bg = held ? rgb(0x7E, 0x14, 0x0E) : kRed;
            fg = kSurface;
            break;
    }
    if (!enabled) {
        bg = kFooter;
        fg = kMuted;
        border = 0;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, bg, kRadius);
    if (border) dl->AddRect(a, b, border, kRadius, 0, 3);
    const LabelFit fit = fit_label(font, label, size);
    if (!fit.fits) note_overflow(id, label, fit.text.x, size.x - 16);   // a fit never breaks inside a word
    float fs = fit.size, wrap = fit.wrap;
    ts = fit.text;
    if (!fit.label.empty()) label = fit.label.c_str();
    ImVec2 p(a.x + (size.x - ts.x) * 0.5f, a.y + (size.y - ts.y) * 0.5f);
    dl->PushClipRect(a, b, true);
    draw_wrapped(dl, font, fs, p, fg, label, wrap);
    dl->PopClipRect();
    return clicked;
}

namespace {
float g_chip_row_start = 0;
float g_chip_row_width = 0;   // 0: to the window's content edge
bool g_chip_first = true;
}  // namespace

void begin_chips(float width) {
    g_chip_row_start = ImGui::GetCursorPosX();
    g_chip_row_width = width;
    g_chip_first = true;
}

void end_chips() { g_chip_first = true; }

bool chip(const char* id, const char* label, bool selected) {
    using namespace theme;
    ImFont* font = fonts().body;
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label);
    ImVec2 size(ts.x + 48, 76);
    const float gap = 14;
    // A chip wider than a whole row (町内会・自治会 2 on a phone at 特大 ran past the window's
    // edge) takes the row, its words smaller (to 45 %, as a button's); narrower still, cut and reported.
    float fs = font->FontSize;
    const float row_end = g_chip_row_width > 0 ? g_chip_row_start + g_chip_row_width : ImGui::GetContentRegionMax().x;
    const float row_w = row_end - g_chip_row_start;
    if (size.x > row_w && ts.x > 0) {
        const float k = std::max(0.45f, (row_w - 48) / ts.x);
        if (ts.x * k > row_w - 48 + 0.5f) note_overflow(id, label, ts.x * k, row_w - 48);
        fs *= k;
        ts = ImVec2(ts.x * k, ts.y * k);
        size.x = ts.x + 48;
    }
    if (!g_chip_first) {
        ImGui::SameLine(0, gap);
        if (std::min(ImGui::GetContentRegionAvail().x, row_end - ImGui::GetCursorPosX()) < size.x) {
            ImGui::NewLine();
            ImGui::SetCursorPosX(g_chip_row_start);
        }
    }
    g_chip_first = false;
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##chip", size) && !dragging();
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    note_layout(id);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 bg = selected ? (held ? kPrimaryPressed : kPrimary) : (held ? kPrimarySoft : kSurface);
    ImU32 fg = selected ? kSurface : kText;
    dl->AddRectFilled(a, b, bg, size.y * 0.5f);
    dl->AddRect(a, b, selected ? kPrimary : kBorder, size.y * 0.5f, 0, 2);
    add_text(dl, font, fs, ImVec2(a.x + 24, a.y + (size.y - ts.y) * 0.5f), fg, label);
    return clicked;
}

bool toggle(const char* id, const char* label, bool* value) {
    using namespace theme;
    ImFont* font = fonts().body;
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label);
    const float box = 56;
    // A label wider than its column (特大 in the listings' filter panel cut "Only with places
    // le…") wraps between words under itself, and the switch grows to hold it.
    const float room = ImGui::GetContentRegionAvail().x - box - 28;
    float wrap_w = 0;
    if (ts.x > room && room > 0) {
        wrap_w = room;
        ts = wrapped_size(font, font->FontSize, wrap_w, label);
    }
    ImVec2 size(box + 20 + ts.x + 8, std::max(80.0f, ts.y + 24));
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##tg", size) && !dragging();
    ImGui::PopID();
    note_layout(id);   // tests tap a switch by its id, like a button
    if (clicked) *value = !*value;
    ImVec2 a = ImGui::GetItemRectMin();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 ba(a.x, a.y + (size.y - box) * 0.5f), bb(ba.x + box, ba.y + box);
    dl->AddRectFilled(ba, bb, *value ? kPrimary : kSurface, 10);
    dl->AddRect(ba, bb, *value ? kPrimary : kMuted, 10, 0, 3);
    if (*value) {
        ImVec2 p1(ba.x + box * 0.22f, ba.y + box * 0.52f), p2(ba.x + box * 0.42f, ba.y + box * 0.72f),
            p3(ba.x + box * 0.78f, ba.y + box * 0.30f);
        dl->AddLine(p1, p2, kSurface, 6);
        dl->AddLine(p2, p3, kSurface, 6);
    }
    const ImVec2 at(bb.x + 20, a.y + (size.y - ts.y) * 0.5f);
    if (wrap_w > 0) draw_wrapped(dl, font, font->FontSize, at, kText, label, wrap_w);
    else dl->AddText(font, font->FontSize, at, kText, label);
    return clicked;
}

bool card(const char* id, ImVec2 size) {
    using namespace theme;
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##card", size) && !dragging();
    bool held = ImGui::IsItemActive() && !dragging();
    ImGui::PopID();
    note_layout(id);
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, held ? kPrimarySoft : kSurface, kRadius);
    dl->AddRect(a, b, held ? kPrimary : kBorder, kRadius, 0, 2);
    return clicked;
}

namespace {
// The font's advances at `size` for the line breaker. ImWchar is 16-bit in Debian's imgui:
// a character beyond U+FFFF is drawn as the fallback glyph, so it takes that one's width.
AdvanceFn advances(ImFont* font, float size) {
    const float k = size / font->FontSize;
    return [font, k](char32_t c) {
        return (c > 0xFFFF ? font->FallbackAdvanceX : font->GetCharAdvance(static_cast<ImWchar>(c))) * k;
    };
}

// Running text (the body and small faces) is drawn 1.5 sizes apart, titles, labels and
// buttons one size apart (model/line_pitch.h). The size and draw functions below all ask here.
TextRole role_of(const ImFont* font) {
    if (!g_fonts) return TextRole::Label;
    return font == g_fonts->body || font == g_fonts->small ? TextRole::Body : TextRole::Label;
}
}  // namespace

namespace {
// Every wrapped text is measured and drawn each frame (twice or more): the breaks come from
// here after the first time (model/line_break.h). Cleared when the fonts change.
// KYODO_NO_TEXT_CACHE=1 turns it off: the "before" of --bench-frames (docs/performance.md).
LineBreakCache& break_cache() {
    static LineBreakCache cache(std::getenv("KYODO_NO_TEXT_CACHE") ? 0 : 2048);
    return cache;
}
}  // namespace

namespace {
// Furigana layouts, the same way (KYODO_NO_TEXT_CACHE=1 turns this one off too).
RubyLayoutCache& ruby_cache() {
    static RubyLayoutCache cache(std::getenv("KYODO_NO_TEXT_CACHE") ? 0 : 1024);
    return cache;
}
std::vector<RubyMark> g_rubies;

const RubyText& ruby_layout_of(ImFont* font, float size, float width, int max_lines, const char* s,
                               std::string_view readings) {
    return ruby_cache().layout(s, readings, font, size, width > 0 ? width : FLT_MAX, max_lines, advances(font, size),
                               advances(fonts().body, size * kRubyScale));
}

// Draws laid-out lines, the first line's text at `pos`, each line `pitch` below the last.
void draw_ruby_lines(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const RubyText& t, float pitch) {
    ImFont* small = fonts().body;
    const float rs = size * kRubyScale, room = ruby_room(size);
    // The text first, then every reading under one switch to smooth sampling (they are
    // the body face drawn at half size): two draw-list commands more, not two a reading.
    float y = pos.y;
    bool any_ruby = false;
    for (const RubyLine& line : t.lines) {
        for (const RubyPiece& p : line.pieces) {
            const float bx = pos.x + p.x + (p.width - p.text_width) * 0.5f;
            add_text(dl, font, size, ImVec2(bx, y), colour, p.text.data(), p.text.data() + p.text.size());
            any_ruby = any_ruby || !p.ruby.empty();
        }
        y += pitch;
    }
    if (!any_ruby) return;
    smooth_sampling(dl, true);
    y = pos.y;
    for (const RubyLine& line : t.lines) {
        for (const RubyPiece& p : line.pieces) {
            if (p.ruby.empty()) continue;
            const float bx = pos.x + p.x + (p.width - p.text_width) * 0.5f;
            const ImVec2 r(pos.x + p.x + (p.width - p.ruby_width) * 0.5f, y - room + 1);
            dl->AddText(small, rs, r, colour, p.ruby.data(), p.ruby.data() + p.ruby.size());
            if (g_layout_on)
                g_rubies.push_back({p.text, p.ruby, bx, y, p.text_width, size, r.x, r.y, p.ruby_width, rs});
        }
        y += pitch;
    }
    smooth_sampling(dl, false);
}
}  // namespace

std::vector<RubyMark> take_rubies() {
    std::vector<RubyMark> out;
    out.swap(g_rubies);
    return out;
}

void clear_text_cache() {
    break_cache().clear();
    ruby_cache().clear();
}

std::string wrapped(ImFont* font, float size, float wrap_w, const char* s) {
    if (wrap_w <= 0) return s;
    return break_cache().wrapped(s, font, size, wrap_w, advances(font, size));
}

bool wrap_splits_word(ImFont* font, float size, float wrap_w, const char* s) {
    if (wrap_w <= 0) return false;
    return splits_word(s, break_cache().lines(s, font, size, wrap_w, advances(font, size)));
}

namespace {
// The lines of `s` at `wrap_w` (0: only its own newlines), for running text.
const std::vector<LineSpan>& body_lines(ImFont* font, float size, float wrap_w, const char* s) {
    return break_cache().lines(s, font, size, wrap_w > 0 ? wrap_w : FLT_MAX, advances(font, size));
}
ImVec2 lines_size(ImFont* font, float size, const char* s, const std::vector<LineSpan>& lines) {
    float w = 0;
    for (const LineSpan& l : lines) w = std::max(w, font->CalcTextSizeA(size, FLT_MAX, 0, s + l.begin, s + l.end).x);
    return ImVec2(w, block_height(lines.size(), size, TextRole::Body));
}
void draw_lines(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* s,
                const std::vector<LineSpan>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        add_text(dl, font, size, ImVec2(pos.x, pos.y + line_top(i, size, TextRole::Body)), colour, s + lines[i].begin,
                    s + lines[i].end);
}
}  // namespace

ImVec2 wrapped_size(ImFont* font, float size, float wrap_w, const char* s) {
    if (role_of(font) == TextRole::Body) return lines_size(font, size, s, body_lines(font, size, wrap_w, s));
    if (wrap_w <= 0) return font->CalcTextSizeA(size, FLT_MAX, 0, s);
    const std::string& t = break_cache().wrapped(s, font, size, wrap_w, advances(font, size));
    return font->CalcTextSizeA(size, FLT_MAX, 0, t.c_str(), t.c_str() + t.size());
}

void draw_wrapped(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* s, float wrap_w) {
    if (role_of(font) == TextRole::Body) return draw_lines(dl, font, size, pos, colour, s, body_lines(font, size, wrap_w, s));
    if (wrap_w <= 0) {
        add_text(dl, font, size, pos, colour, s);
        return;
    }
    const std::string& t = break_cache().wrapped(s, font, size, wrap_w, advances(font, size));
    add_text(dl, font, size, pos, colour, t.c_str(), t.c_str() + t.size());
}

void text(const char* s, ImFont* font, ImU32 colour, float wrap) {
    if (!font) font = fonts().body;
    ImGui::PushFont(font);
    if (colour) ImGui::PushStyleColor(ImGuiCol_Text, colour);
    const float w = wrap > 0 ? wrap : ImGui::GetContentRegionAvail().x;
    const float size = ImGui::GetFontSize();
    if (w <= 0) {
        ImGui::TextUnformatted(s);
    } else if (role_of(font) == TextRole::Body && body_lines(font, size, w, s).size() > 1) {
        // Running text of several lines: 1.5 sizes apart (ImGui's own text puts them one size apart).
        const std::vector<LineSpan> lines = body_lines(font, size, w, s);   // a copy: the cache may move on
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        draw_lines(ImGui::GetWindowDrawList(), font, size, pos, ImGui::GetColorU32(ImGuiCol_Text), s, lines);
        ImGui::Dummy(lines_size(font, size, s, lines));
    } else {
        const std::string& t = break_cache().wrapped(s, font, size, w, advances(font, size));
        ImGui::TextUnformatted(t.c_str(), t.c_str() + t.size());
    }
    if (g_layout_on) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        g_texts.push_back({s, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), dl->GetClipRectMin(), dl->GetClipRectMax()});
    }
    if (colour) ImGui::PopStyleColor();
    ImGui::PopFont();
}

float title_size(ImFont* font, float wrap_w, const char* s) {
    const float full = font->FontSize;
    if (wrap_w <= 0) return full;
    for (float k = 1.0f; k >= 0.6f - 1e-4f; k -= 0.05f) {
        const float fs = full * k;
        if (!wrap_splits_word(font, fs, wrap_w, s) && wrapped_size(font, fs, wrap_w, s).x <= wrap_w + 0.5f) return fs;
    }
    note_overflow("title", s, font->CalcTextSizeA(full * 0.6f, FLT_MAX, 0, s).x, wrap_w);
    return full * 0.6f;
}

void title_text(const char* s, ImFont* font, ImU32 colour, float wrap) {
    const float w = wrap > 0 ? wrap : ImGui::GetContentRegionAvail().x;
    const float fs = title_size(font, w, s);
    if (fs >= font->FontSize) return text(s, font, colour, wrap);
    const ImVec2 ts = wrapped_size(font, fs, w, s);
    draw_wrapped(ImGui::GetWindowDrawList(), font, fs, ImGui::GetCursorScreenPos(),
                 colour ? colour : ImGui::GetColorU32(ImGuiCol_Text), s, w);
    ImGui::Dummy(ImVec2(std::min(ts.x, w), ts.y));
}

namespace {
constexpr float kClippedLineStep = 1.25f;   // card snippets (two lines at most): see clipped_height
}  // namespace

float clipped_height(ImFont* font, int lines) {
    return lines <= 0 ? 0 : font->FontSize * (1.0f + kClippedLineStep * static_cast<float>(lines - 1));
}

void text_clipped(ImDrawList* dl, ImFont* font, ImVec2 pos, float width, int max_lines, ImU32 colour,
                  const char* s) {
    // Lines broken the Japanese way (see wrapped_size); the last line that fits ends in
    // an ellipsis when text is left over.
    const float line_h = font->FontSize * kClippedLineStep;
    const float size = font->FontSize;
    const std::string_view all(s);
    const AdvanceFn adv = advances(font, size);
    const std::vector<LineSpan>& lines = break_cache().lines(all, font, size, width, adv);
    const char* ell = "…";
    const float ell_w = font->CalcTextSizeA(size, FLT_MAX, 0, ell).x;
    for (int line = 0; line < max_lines && line < static_cast<int>(lines.size()); ++line) {
        const LineSpan& span = lines[static_cast<std::size_t>(line)];
        const ImVec2 at(pos.x, pos.y + line_h * static_cast<float>(line));
        const bool more = line + 1 < static_cast<int>(lines.size());
        if (line == max_lines - 1 && more) {
            // Keep as many characters as fit with the ellipsis after them.
            std::string buf;
            float x = 0;
            const char* p = s + span.begin;
            const char* end = s + span.end;
            while (p < end) {
                unsigned int c = 0;
                const int n = ImTextCharFromUtf8(&c, p, end);
                if (n <= 0) break;
                const float cw = adv(static_cast<char32_t>(c));
                if (x + cw + ell_w > width) break;
                buf.append(p, static_cast<std::size_t>(n));
                x += cw;
                p += n;
            }
            buf += ell;
            add_text(dl, font, size, at, colour, buf.c_str());
            return;
        }
        add_text(dl, font, size, at, colour, s + span.begin, s + span.end);
    }
}

namespace {
float widest(const RubyText& t) {
    float w = 0;
    for (const RubyLine& l : t.lines) w = std::max(w, l.width);
    return w;
}
}  // namespace

void ruby_text(const char* s, std::string_view readings, ImFont* font, ImU32 colour, float wrap) {
    if (!font) font = fonts().body;
    if (readings.empty()) return text(s, font, colour, wrap);
    const float size = font->FontSize;
    const float w = wrap > 0 ? wrap : ImGui::GetContentRegionAvail().x;
    const RubyText& t = ruby_layout_of(font, size, w, 0, s, readings);
    if (!t.has_ruby) return text(s, font, colour, wrap);   // stale readings: the plain text
    const float room = ruby_room(size), pitch = ruby_line_pitch(size, room, role_of(font)), tw = widest(t);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    draw_ruby_lines(ImGui::GetWindowDrawList(), font, size, ImVec2(pos.x, pos.y + room),
                    colour ? colour : ImGui::GetColorU32(ImGuiCol_Text), t, pitch);
    const float h = pitch * static_cast<float>(t.lines.size());
    if (tw > w + 0.5f) note_overflow("ruby", s, tw, w);
    ImGui::Dummy(ImVec2(std::min(tw, w), h));
}

ImVec2 ruby_size(ImFont* font, float size, float wrap_w, const char* s, std::string_view readings) {
    if (readings.empty()) return wrapped_size(font, size, wrap_w, s);
    const RubyText& t = ruby_layout_of(font, size, wrap_w, 0, s, readings);
    if (!t.has_ruby) return wrapped_size(font, size, wrap_w, s);
    return ImVec2(widest(t), ruby_line_pitch(size, ruby_room(size), role_of(font)) * static_cast<float>(t.lines.size()));
}

void ruby_clipped(ImDrawList* dl, ImFont* font, ImVec2 pos, float width, int max_lines, ImU32 colour, const char* s,
                  std::string_view readings) {
    if (readings.empty()) return text_clipped(dl, font, pos, width, max_lines, colour, s);
    const float size = font->FontSize;
    const RubyText& t = ruby_layout_of(font, size, width, max_lines, s, readings);
    if (!t.has_ruby) return text_clipped(dl, font, pos, width, max_lines, colour, s);
    draw_ruby_lines(dl, font, size, pos, colour, t, size * 1.25f + ruby_room(size));
}

ImVec2 badge_size(const char* s, ImFont* font) {
    if (!font) font = fonts().small;
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, s);
    return ImVec2(ts.x + 28, ts.y + 14);
}

void badge(ImDrawList* dl, ImVec2 pos, const char* s, ImU32 fg, ImU32 bg, ImFont* font, ImVec2* size_out,
           float max_w) {
    if (!font) font = fonts().small;
    ImVec2 sz = badge_size(s, font);
    float fs = font->FontSize;
    if (max_w > 0 && sz.x > max_w) {
        const float tw = sz.x - 28, room = max_w - 28;
        const float k = std::max(0.6f, room > 0 ? room / tw : 0.0f);
        if (tw * k > room + 0.5f) note_overflow("badge", s, tw * k, room);
        fs *= k;
        sz.x = std::min(max_w, tw * k + 28);
    }
    dl->AddRectFilled(pos, ImVec2(pos.x + sz.x, pos.y + sz.y), bg, 8);
    dl->PushClipRect(pos, ImVec2(pos.x + sz.x, pos.y + sz.y), true);
    add_text(dl, font, fs, ImVec2(pos.x + 14, pos.y + (sz.y - fs) * 0.5f), fg, s);
    dl->PopClipRect();
    if (size_out) *size_out = sz;
}

void banner(const char* s, ImU32 fg, ImU32 bg) {
    ImFont* font = fonts().bold;
    float w = ImGui::GetContentRegionAvail().x;
    const float pad = 24;
    ImVec2 ts = wrapped_size(font, font->FontSize, w - pad * 2 - 12, s);
    ImVec2 a = ImGui::GetCursorScreenPos();
    ImVec2 b(a.x + w, a.y + ts.y + pad * 2);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, bg, theme::kRadius);
    dl->AddRectFilled(a, ImVec2(a.x + 12, b.y), fg, theme::kRadius, ImDrawFlags_RoundCornersLeft);
    draw_wrapped(dl, font, font->FontSize, ImVec2(a.x + pad + 12, a.y + pad), fg, s, w - pad * 2 - 12);
    ImGui::Dummy(ImVec2(w, b.y - a.y));
}

// touch_scroll(): ui/kinetic.cpp (drag with momentum).

void panel_bg(ImVec2 min, ImVec2 max, ImU32 colour, bool border) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, colour ? colour : theme::kSurface, theme::kRadius);
    if (border) dl->AddRect(min, max, theme::kBorder, theme::kRadius, 0, 2);
}

}  // namespace kyodo::app::ui
