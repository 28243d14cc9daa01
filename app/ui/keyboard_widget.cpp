#include "app/ui/keyboard_widget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include <imgui_internal.h>

#include "app/ui/shell.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/utf8.h"

namespace kyodo::app::ui {

namespace {

using namespace theme;

// Key rectangles of the last frame, for tests that tap like a finger.
std::map<std::string, std::pair<ImVec2, ImVec2>> g_keys, g_keys_next;
std::map<std::string, std::pair<ImVec2, ImVec2>> g_cands, g_cands_next;
int g_rects_frame = -1;

// The field just opened for typing, scrolled into view over the next few frames.
constexpr int kRevealFrames = 8;
std::string g_reveal_id;
int g_reveal_frames = 0;

// A form step just opened (form_step): its first field is brought into view, on frames
// where form_step was called (a step without fields leaves nothing armed for another screen).
int g_first_field_frames = 0;
int g_first_field_armed = -1;   // the frame form_step armed
int g_first_field_seen = -1;    // the frame whose first field was looked at

// The frame whose page said the field being typed into is in view right above the keyboard
// (keyboard_field_in_view): the keyboard leaves out its copy of the text.
int g_field_in_view_frame = -1;

void remember(std::map<std::string, std::pair<ImVec2, ImVec2>>& m, const std::string& label) {
    m[label] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

void flip_rects() {
    int f = ImGui::GetFrameCount();
    if (f == g_rects_frame) return;
    g_rects_frame = f;
    g_keys.swap(g_keys_next);
    g_cands.swap(g_cands_next);
    g_keys_next.clear();
    g_cands_next.clear();
}

float scale_of() { return fonts().body->FontSize / 30.0f; }

// The lowest a key may be (44 px: the function keys' narrowest unit at standard size, and
// the usual touch-target minimum).
constexpr float kMinKeyPx = 44.0f;

// A keyboard word ("kbd.convert"): string-table text like every other word on screen.
const char* word(const Shell& app, const std::string& key) { return app.texts.get(key); }

// --- text with a caret and a composition ----------------------------------------------------

struct Cell {
    char32_t c = 0;
    float x = 0, y = 0, w = 0;
    int seg = -1;          // composition: segment index (converting) or 0 (kana)
};

struct TextLayout {
    std::vector<Cell> cells;
    float caret_x = 0, caret_y = 0;
    float line_h = 0;
    float width = 0, height = 0;   // extent
};

// Lays out `before` + composition + `after` in `font`, wrapping at `wrap` (0 = one line).
// Japanese has no spaces: any character may start a new line.
TextLayout layout_text(ImFont* font, const KanaKeyboard* kb, const std::string& plain, float wrap) {
    TextLayout t;
    t.line_h = font->FontSize * 1.3f;
    std::u32string before, after;
    std::vector<std::pair<std::u32string, int>> comp;   // pieces with their segment
    std::size_t caret_index = 0;
    if (kb) {
        before = utf8::decode(kb->before_cursor());
        after = utf8::decode(kb->after_cursor());
        if (kb->converting()) {
            int i = 0;
            for (const auto& s : kb->segments()) comp.emplace_back(utf8::decode(s.text()), i++);
        } else if (kb->composing()) {
            comp.emplace_back(utf8::decode(kb->composition()), 0);
        }
        std::size_t comp_len = 0;
        for (const auto& p : comp) comp_len += p.first.size();
        caret_index = before.size() + (kb->converting() ? comp_len : kb->composing() ? kb->composition_cursor() : 0);
    } else {
        before = utf8::decode(plain);
        caret_index = before.size();
    }
    float x = 0, y = 0;
    auto put = [&](char32_t c, int seg) {
        if (c == U'\n') {
            t.cells.push_back(Cell{c, x, y, 0, seg});
            x = 0;
            y += t.line_h;
            return;
        }
        float w = font->GetCharAdvance(static_cast<ImWchar>(c < 0x10000 ? c : U'?'));
        if (wrap > 0 && x + w > wrap && x > 0) {
            x = 0;
            y += t.line_h;
        }
        t.cells.push_back(Cell{c, x, y, w, seg});
        x += w;
        t.width = std::max(t.width, x);
    };
    for (char32_t c : before) put(c, -1);
    for (const auto& p : comp)
        for (char32_t c : p.first) put(c, p.second);
    for (char32_t c : after) put(c, -1);
    t.height = y + t.line_h;
    if (caret_index < t.cells.size()) {
        t.caret_x = t.cells[caret_index].x;
        t.caret_y = t.cells[caret_index].y;
    } else {
        t.caret_x = x;
        t.caret_y = y;
    }
    return t;
}

// Draws a layout at `origin` (already offset for scrolling), clipped to `clip`.
void draw_text(ImDrawList* dl, ImFont* font, const TextLayout& t, ImVec2 origin, ImVec4 clip, ImU32 colour,
               bool caret, int current_seg, bool converting) {
    dl->PushClipRect(ImVec2(clip.x, clip.y), ImVec2(clip.z, clip.w), true);
    const float fs = font->FontSize;
    // Composition backgrounds and underlines first.
    for (const auto& c : t.cells) {
        if (c.seg < 0 || c.w <= 0) continue;
        ImVec2 a(origin.x + c.x, origin.y + c.y), b(a.x + c.w, a.y + fs + 6);
        bool cur = converting && c.seg == current_seg;
        if (cur) dl->AddRectFilled(ImVec2(a.x, a.y - 2), b, kPrimarySoft);
        dl->AddLine(ImVec2(a.x + 1, b.y), ImVec2(b.x - 1, b.y), cur ? kPrimary : kText, cur ? 4.0f : 2.0f);
    }
    char buf[8];
    for (const auto& c : t.cells) {
        // A character the atlas does not have yet (just converted: the atlas follows within
        // a frame or two) is left blank rather than drawn as '?'.
        if (c.w <= 0 || c.c > 0xFFFF || !font->FindGlyphNoFallback(static_cast<ImWchar>(c.c))) continue;
        float y = origin.y + c.y;
        if (y + t.line_h < clip.y || y > clip.w) continue;
        std::string s = utf8::encode(c.c);
        std::snprintf(buf, sizeof buf, "%s", s.c_str());
        ui::add_text(dl, font, fs, ImVec2(origin.x + c.x, y), colour, buf);
    }
    if (caret) {
        ImVec2 a(origin.x + t.caret_x, origin.y + t.caret_y - 2);
        dl->AddRectFilled(a, ImVec2(a.x + 3, a.y + fs + 8), kPrimary);
    }
    dl->PopClipRect();
}

// Index of the text position nearest to `p` (relative to the layout's origin).
std::size_t hit_index(const TextLayout& t, ImVec2 p) {
    std::size_t best = t.cells.size();
    float best_d = 1e30f;
    for (std::size_t i = 0; i <= t.cells.size(); ++i) {
        float x = i < t.cells.size() ? t.cells[i].x : t.caret_x;
        float y = i < t.cells.size() ? t.cells[i].y : (t.cells.empty() ? 0 : t.cells.back().y);
        if (i == t.cells.size() && !t.cells.empty()) x = t.cells.back().x + t.cells.back().w;
        float dy = p.y < y ? y - p.y : (p.y > y + t.line_h ? p.y - y - t.line_h : 0);
        float d = std::fabs(p.x - x) + dy * 4;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

// --- keys -------------------------------------------------------------------------------------

// Like AddText, but a character the atlas does not have yet is left blank, not drawn as '?'
// (new kanji reach the atlas a frame or two after they are first seen).
void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* s) {
    const float k = size / font->FontSize;
    const char* end = s + std::strlen(s);
    while (s < end) {
        unsigned int c = 0;
        int n = ImTextCharFromUtf8(&c, s, end);
        if (n <= 0) break;
        s += n;
        const ImFontGlyph* g = c < 0x10000 ? font->FindGlyphNoFallback(static_cast<ImWchar>(c)) : nullptr;
        if (g) font->RenderChar(dl, size, pos, col, static_cast<ImWchar>(c));
        pos.x += (g ? g->AdvanceX : font->FallbackAdvanceX) * k;
    }
}

using Look = KeyLook;

bool key_button(const char* id, const char* label, ImVec2 size, ImFont* font, Look look, bool enabled = true) {
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##k", size) && enabled;
    bool held = ImGui::IsItemActive() && enabled;
    ImGui::PopID();
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const KeyColours k = key_colours(look, enabled, held);
    const ImU32 bg = k.bg, fg = k.fg, border = k.border;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (held) {
        // Pressed: the key goes dark and sinks a little, under the finger.
        a.x += 2;
        a.y += 3;
        b.x -= 2;
        b.y += 1;
    } else {
        dl->AddRectFilled(ImVec2(a.x, a.y + 3), ImVec2(b.x, b.y + 3), theme::rgb(0, 0, 0, 40), 10);   // shadow
    }
    dl->AddRectFilled(a, b, bg, 10);
    dl->AddRect(a, b, border, 10, 0, 2);
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label);
    float fs = font->FontSize;
    if (ts.x > (b.x - a.x) - 10) {   // too wide: shrink to fit rather than clip
        fs *= ((b.x - a.x) - 10) / ts.x;
        ts = font->CalcTextSizeA(fs, FLT_MAX, 0, label);
    }
    if (ts.y > (b.y - a.y) - 6 && ts.y > 0) {   // too high (a phone's keys at 特大): the same
        fs *= ((b.y - a.y) - 6) / ts.y;
        ts = font->CalcTextSizeA(fs, FLT_MAX, 0, label);
    }
    add_text(dl, font, fs, ImVec2(a.x + ((b.x - a.x) - ts.x) * 0.5f, a.y + ((b.y - a.y) - ts.y) * 0.5f), fg, label);
    return clicked;
}

struct Geometry {
    float s = 1, pad = 12, gap = 8, key_h = 68, preview_h = 72, cand_h = 0;
    float body_x = 0, body_w = 0;    // keys are drawn in [body_x, body_x + body_w] of the panel
    int max_cols = 11;
    std::vector<std::vector<Key>> grid;
    std::vector<std::vector<std::pair<Key, float>>> fn;   // rows of (key, width px)
    float grid_key_w = 0;
    float height = 0;
};

std::vector<std::vector<std::pair<Key, float>>> wrap_keys(const std::vector<Key>& keys, float avail, float min_unit,
                                                          float gap) {
    float total = 0;
    for (const auto& k : keys) total += k.width;
    for (int rows = 1; rows <= 4; ++rows) {
        std::vector<std::vector<Key>> split(1);
        float target = total / static_cast<float>(rows), acc = 0, row_acc = 0;
        for (const auto& k : keys) {
            if (row_acc > 0 && acc + k.width * 0.5f > target * static_cast<float>(split.size()) &&
                static_cast<int>(split.size()) < rows) {
                split.emplace_back();
                row_acc = 0;
            }
            split.back().push_back(k);
            acc += k.width;
            row_acc += k.width;
        }
        bool fits = true;
        std::vector<std::vector<std::pair<Key, float>>> out;
        for (const auto& row : split) {
            float units = 0;
            for (const auto& k : row) units += k.width;
            float unit = (avail - gap * static_cast<float>(row.size() - 1)) / units;
            if (unit < min_unit) fits = false;
            std::vector<std::pair<Key, float>> r;
            for (const auto& k : row) r.emplace_back(k, k.width * unit);
            out.push_back(std::move(r));
        }
        if (fits || rows == 4) return out;
    }
    return {};
}

// The keyboard laid out with its sizes at scale `s` (1 = standard text), its keys as high as
// fit in `budget` px but not lower than `min_key_h`.
Geometry layout_at(Shell& app, float width, float height, float s, float budget, float min_key_h) {
    const KanaKeyboard& kb = app.keyboard.kb;
    Geometry g;
    g.s = s;
    g.pad = 12 * g.s;
    g.gap = 8 * g.s;
    const float min_w = 52 * g.s;   // 14 mm on a 24" 1080p screen: a 390 px window fits あ〜な + marks
    float inner = width - 2 * g.pad;
    g.max_cols = std::max(3, static_cast<int>((inner + g.gap) / (min_w + g.gap)));
    g.grid = kb.rows(g.max_cols);
    int cols = g.grid.empty() ? 0 : static_cast<int>(g.grid.front().size());
    // Keys fill the width up to a comfortable size; pads stay compact and centred.
    float grid_w = std::min(inner, static_cast<float>(cols) * 170 * g.s + static_cast<float>(cols - 1) * g.gap);
    g.body_w = std::min(inner, std::max(grid_w, std::min(inner, 760 * g.s)));
    g.body_x = g.pad + (inner - g.body_w) * 0.5f;
    g.grid_key_w = cols > 0 ? (grid_w - g.gap * static_cast<float>(cols - 1)) / static_cast<float>(cols) : 0;
    g.fn = wrap_keys(kb.function_keys(g.max_cols), g.body_w, 44 * g.s, g.gap);
    g.preview_h = fonts().heading->FontSize + 30 * g.s;
    const bool text = kb.spec().kind == InputKind::Text && kb.converter_ready();
    // The candidate row: kept while typing Japanese where there is room (no jumping), only
    // while composing on small windows.
    // A reading field keeps the row for its hint (kana, or romaji on the ABC keys).
    const bool reading = kb.spec().kind == InputKind::Kana;
    if ((text && (height >= 800 || kb.composing())) || (reading && height >= 800)) g.cand_h = 64 * g.s;
    int n_rows = static_cast<int>(g.grid.size() + g.fn.size());
    float fixed = 2 * g.pad + g.preview_h + g.gap + (g.cand_h > 0 ? g.cand_h + g.gap : 0) +
                  static_cast<float>(n_rows - 1) * g.gap;
    // The keys' height is chosen as if the candidate row were there whenever it may come
    // (a small window shows it only while composing): the row's arrival then grows the
    // keyboard upwards and leaves every key where it was.
    const float cand_room = (text || reading) && g.cand_h == 0 ? 64 * g.s + g.gap : 0;
    g.key_h = 68 * g.s;
    if (n_rows > 0 && fixed + cand_room + static_cast<float>(n_rows) * g.key_h > budget)
        g.key_h = std::max(min_key_h, (budget - fixed - cand_room) / static_cast<float>(n_rows));
    g.height = fixed + static_cast<float>(n_rows) * g.key_h;
    return g;
}

Geometry geometry(Shell& app, float width, float height) {
    const KanaKeyboard& kb = app.keyboard.kb;
    const float s = scale_of();
    Geometry g = layout_at(app, width, height, s, height * 0.8f, 52 * s);
    // A phone-sized window (narrow and short) at 大 or 特大: keys sized for the text size took more than the
    // window (at 特大 on 390x844 the keyboard's top was 35 px above the window's, over the
    // search box). There the keyboard takes at most kShortShare of the window, so the field
    // being typed into (and under the search box the line of what it finds) stays above it:
    // first the keys step down towards their standard size, then, at standard size, lower
    // still, never under kMinKeyPx. The choice depends on the window, the text size and the
    // keys in front of the resident only, not on what is typed: keys do not move.
    constexpr float kShortShare = 0.70f;
    if (width < 700 && height < 1000 && s > 1.0f && g.height > height * kShortShare) {
        const float budget = height * kShortShare;
        for (float ls = s - 0.1f; ls > 1.0f + 1e-3f && g.height > budget; ls -= 0.1f)
            g = layout_at(app, width, height, ls, height * 0.8f, 52 * ls);
        if (g.height > budget) g = layout_at(app, width, height, 1.0f, budget, kMinKeyPx);
    }
    // The page shows the field itself just above the keys: no second copy of the text (a
    // note on why a key did nothing still brings it back). The keys keep the height and the
    // place they have with it: only the page gets the room.
    if (g_field_in_view_frame == ImGui::GetFrameCount() && kb.last_feedback() == Feedback::None) {
        g.height -= g.preview_h + g.gap;
        g.preview_h = 0;
    }
    return g;
}

const char* feedback_text(const Shell& app, Feedback f) {
    switch (f) {
        case Feedback::None: return nullptr;
        case Feedback::Full: return word(app, "kbd.full");
        case Feedback::NotAllowed: return word(app, "kbd.not_allowed");
        case Feedback::NoConverter: return word(app, "kbd.no_converter");
        case Feedback::NoCandidates: return word(app, "kbd.no_candidates");
    }
    return nullptr;
}

// Hands every candidate's characters to the atlas (rebuilt before the next frame).
void note_candidates(Shell& app) {
    std::string all;
    for (const auto& s : app.keyboard.kb.segments())
        for (const auto& c : s.candidates) all += c;
    if (!all.empty()) app.note_text(all);
}

// The atlas in use can draw `s` (it is rebuilt a little after note_text asks for new
// characters).
bool glyphs_ready(ImFont* font, const std::string& s) {
    for (char32_t c : utf8::decode(s))
        if (c >= 0x20 && (c > 0xFFFF || !font->FindGlyphNoFallback(static_cast<ImWchar>(c)))) return false;
    return true;
}

// A physical keyboard (staff, development) types into the on-screen one.
void physical_keys(Shell& app) {
    KanaKeyboard& kb = app.keyboard.kb;
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
        char32_t c = io.InputQueueCharacters[i];
        if (c >= 0x20) kb.type(utf8::encode(c));
    }
    io.InputQueueCharacters.resize(0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) kb.backspace();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) kb.left();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) kb.right();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false)) {
        if (kb.composing()) kb.commit();
        else if (kb.spec().multiline) kb.insert(U'\n');
        else kb.close();
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) kb.close();
}

}  // namespace

void form_step(Shell& app, int step) {
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID key = ImGui::GetID("##form-step");
    if (st->GetInt(key, -1) != step) {
        st->SetInt(key, step);
        ImGui::SetScrollY(0);
        g_first_field_frames = kRevealFrames;
    }
    if (g_first_field_frames <= 0) return;
    g_first_field_armed = ImGui::GetFrameCount();
    // Counted down only once the atlas is settled: a new text size lands late on a busy
    // machine and moves the page.
    if (!app.font_manager().building() && !app.font_manager().ready()) --g_first_field_frames;
    app.request_redraw();
}

KeyColours key_colours(KeyLook look, bool enabled, bool held) {
    ImU32 bg = kSurface, fg = kText, border = kBorder;
    switch (look) {
        case KeyLook::Char: break;
        case KeyLook::Mark: bg = kPrimarySoft; fg = kPrimary; border = kPrimary; break;
        case KeyLook::Quiet: bg = kFooter; border = kMuted; break;
        case KeyLook::Action: bg = kPrimary; fg = kSurface; border = kPrimary; break;
        case KeyLook::Go: bg = kGreen; fg = kSurface; border = kGreen; break;
        case KeyLook::Tab: bg = kSurface; fg = kPrimary; border = kPrimary; break;
        // The current mode: the header's dark blue with white text; in high contrast the
        // header is black and so is kSurface (black on black, 1.00:1), so the accent instead.
        case KeyLook::TabOn:
            bg = theme::high_contrast() ? kPrimary : kHeader;
            fg = kSurface;
            border = bg;
            break;
        case KeyLook::Outline: bg = kSurface; fg = kPrimary; border = kPrimary; break;
    }
    if (!enabled) {
        bg = kFooter;
        fg = kMuted;
        border = kBorder;
    }
    if (held) {   // pressed: the key goes dark under the finger
        bg = kPrimaryPressed;
        fg = kSurface;
        border = kPrimaryPressed;
    }
    return {bg, fg, border};
}

// --- the field ------------------------------------------------------------------------------------

bool kb_input(Shell& app, const FieldSpec& spec, const char* label, const char* tag, bool required,
              std::string* value, const char* hint, const char* error, ImVec2 size) {
    flip_rects();
    KanaKeyboard& kb = app.keyboard.kb;
    const FontRoles& f = fonts();
    const float s = scale_of();
    bool changed = false;
    ImGui::BeginGroup();
    ImGui::PushID(spec.id.c_str());
    // Label and 必須/任意 tag (none: the search box says what it is by its hint).
    if (label && *label) {
        ImGui::PushFont(f.bold);
        ImGui::TextUnformatted(label);
        ImGui::PopFont();
    }
    if (tag && *tag) {
        // Beside the label when both fit across the field, else under it (Subject | optional
        // ran past a phone's edge at 特大).
        ImVec2 bs = badge_size(tag);
        const float field_w = size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x;
        const float label_w = label && *label ? f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label).x : 0;
        const bool beside = !(label && *label) || label_w + 16 + bs.x <= field_w;
        if (beside) ImGui::SameLine(0, 16);
        ImVec2 p = ImGui::GetCursorScreenPos();
        if (beside) p.y += (f.bold->FontSize - bs.y) * 0.5f + 2;
        badge(ImGui::GetWindowDrawList(), p, tag, required ? kSurface : kMuted, required ? kRed : kFooter);
        ImGui::Dummy(ImVec2(bs.x, beside ? 1 : bs.y));
    }
    const bool multiline = size.y > 0;
    ImVec2 box(size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x,
               multiline ? size.y : f.body->FontSize + 44 * s);
    if (multiline && kb.is_open_for(spec.id)) {
        // Being typed into: never taller than the page left above the keyboard (300 px of
        // opinion text under a 686 px keyboard at 1920x1080 ran under it); the text inside
        // scrolls to keep the caret in view. At least one line (a phone has ~120 px left).
        const float room = ImGui::GetCurrentWindow()->InnerClipRect.GetHeight() - 24 * s;
        box.y = std::max(f.body->FontSize * 1.3f + 2 * 22 * s, std::min(box.y, room));
    }
    bool tapped = ImGui::InvisibleButton("##field", box) && !dragging();
    note_item("field:" + spec.id);   // every field drawn, in view or not (tests list them)
    if (g_first_field_armed == ImGui::GetFrameCount() && g_first_field_seen != g_first_field_armed) {
        g_first_field_seen = g_first_field_armed;
        if (ImGui::GetItemRectMax().y > ImGui::GetCurrentWindow()->InnerClipRect.Max.y) ImGui::SetScrollHereY(1.0f);
    }
    if (ImGui::IsItemVisible()) {
        remember(g_keys_next, "field:" + spec.id);
        // What of the page can be seen: a field is in view only inside it.
        const ImRect clip = ImGui::GetCurrentWindow()->InnerClipRect;
        g_keys_next["view:" + spec.id] = {clip.Min, clip.Max};
    }
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    bool active = kb.is_open_for(spec.id);
    const float pad_x = 20 * s, pad_y = 22 * s;
    if (tapped && !active) {
        if (app.keyboard.ensure_started()) std::fprintf(stderr, "kyodo-kiosk: %s\n", app.keyboard.log_line().c_str());
        kb.open(spec, *value, app.texts.lang() == Lang::En);
        kb.field_label = label ? label : "";
        kb.mirror = *value;
        active = true;
        g_reveal_id = spec.id;
        g_reveal_frames = kRevealFrames;
    }
    if (active && g_reveal_frames > 0 && g_reveal_id == spec.id) {
        // The keyboard takes the bottom of the screen and the page above it shrinks (a
        // frame later): scroll until the whole field is in view above the keyboard, so a
        // finger can reach it, then leave the scrolling to the resident.
        // While a new font atlas is being built (the keyboard's characters were just noted),
        // the layout is not final: the atlas lands later on a busy machine and moves the
        // keyboard and the page, so the reveal waits for it instead of counting frames away.
        const ImRect view = ImGui::GetCurrentWindow()->InnerClipRect;
        const bool in_view = a.y >= view.Min.y && b.y <= view.Max.y;
        const bool fonts_settling = app.font_manager().building() || app.font_manager().ready();
        if (in_view && g_reveal_frames < kRevealFrames - 1 && !fonts_settling) {
            g_reveal_frames = 0;
        } else {
            if (!in_view) ImGui::SetScrollHereY(0.1f);
            if (!fonts_settling || g_reveal_frames > 1) --g_reveal_frames;
            app.request_redraw();
        }
    }
    if (active) {
        // Someone else changed the field (the form was cleared): that wins.
        if (*value != kb.mirror) {
            kb.open(spec, *value, app.texts.lang() == Lang::En);
            kb.field_label = label ? label : "";
            kb.mirror = *value;
        }
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool has_error = error && *error;
    dl->AddRectFilled(a, b, kSurface, 10);
    dl->AddRect(a, b, active ? kPrimary : has_error ? kRed : kMuted, 10, 0, active || has_error ? 4.0f : 2.0f);
    ImVec4 clip(a.x + 6, a.y + 4, b.x - 6, b.y - 4);
    float inner_w = box.x - 2 * pad_x;
    if (active || !value->empty()) {
        TextLayout t = layout_text(f.body, active ? &kb : nullptr, *value, multiline ? inner_w : 0);
        // Keep the caret in view: scroll sideways (one line) or up (several lines).
        float off_x = 0, off_y = 0;
        if (!multiline && t.caret_x > inner_w - 4) off_x = t.caret_x - (inner_w - 4);
        if (multiline && t.caret_y + t.line_h > box.y - 2 * pad_y + 6)
            off_y = t.caret_y + t.line_h - (box.y - 2 * pad_y + 6);
        ImVec2 origin(a.x + pad_x - off_x, a.y + (multiline ? pad_y : (box.y - f.body->FontSize) * 0.5f) - off_y);
        draw_text(dl, f.body, t, origin, clip, kText, active, kb.current_segment(), active && kb.converting());
        // An empty field being typed into keeps its example (キーワード（例：防災、子育て）)
        // after the caret, so the resident still sees what to type.
        if (active && value->empty() && !kb.composing() && hint && *hint) {
            const ImVec4 hint_clip(a.x + pad_x, a.y, b.x - pad_x * 0.5f, b.y);
            dl->AddText(f.body, f.body->FontSize, ImVec2(origin.x + 10, origin.y), kMuted, hint, nullptr,
                        multiline ? inner_w : 0, &hint_clip);
        }
        // A tap inside the field being edited moves the cursor there.
        if (tapped && active && !kb.composing()) {
            ImVec2 m = ImGui::GetIO().MouseClickedPos[0];
            kb.set_cursor(hit_index(t, ImVec2(m.x - origin.x, m.y - origin.y)));
        }
    } else if (hint && *hint) {
        // Inside the box: a long example (English on a phone) is cut at its edge, never
        // drawn over the frame.
        const ImVec4 hint_clip(a.x + pad_x, a.y, b.x - pad_x * 0.5f, b.y);
        dl->AddText(f.body, f.body->FontSize,
                    ImVec2(a.x + pad_x, a.y + (multiline ? pad_y : (box.y - f.body->FontSize) * 0.5f)), kMuted, hint,
                    nullptr, multiline ? inner_w : 0, &hint_clip);
    }
    if (active) {
        std::string d = kb.display_text();
        if (d != *value) {
            *value = d;
            changed = true;
            app.note_text(d);
        }
        kb.mirror = *value;
    }
    if (has_error) text(error, f.bold, kRed);
    ImGui::PopID();
    ImGui::EndGroup();
    return changed;
}

// --- the keyboard -------------------------------------------------------------------------------

void keyboard_field_in_view() { g_field_in_view_frame = ImGui::GetFrameCount(); }

float keyboard_height(Shell& app) {
    if (!app.keyboard.kb.is_open()) return 0;
    ImVec2 sz = ImGui::GetWindowSize();
    return geometry(app, sz.x, sz.y).height;
}

void keyboard_panel(Shell& app) {
    flip_rects();
    KanaKeyboard& kb = app.keyboard.kb;
    if (!kb.is_open()) return;
    const FontRoles& f = fonts();
    ImVec2 wpos = ImGui::GetWindowPos(), wsz = ImGui::GetWindowSize();
    Geometry g = geometry(app, wsz.x, wsz.y);
    const std::uint64_t rev0 = kb.revision();

    ImVec2 pos(wpos.x, wpos.y + wsz.y - g.height);
    ImGui::SetCursorScreenPos(pos);
    ImGui::BeginChild("##keyboard", ImVec2(wsz.x, g.height), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    g_keys_next["keyboard"] = {pos, ImVec2(pos.x + wsz.x, pos.y + g.height)};   // the whole keyboard
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + wsz.x, pos.y + g.height), kFooter);
    dl->AddLine(pos, ImVec2(pos.x + wsz.x, pos.y), kMuted, 3);
    physical_keys(app);

    const float x0 = pos.x + g.body_x;
    float y = pos.y + g.pad;

    // 1. What is being typed, big: the field's name, the text, the conversion's segments
    //    (tap one to choose it), and why a key did nothing. Left out while the page shows
    //    the field right above (keyboard_field_in_view).
    if (g.preview_h > 0) {
        ImVec2 a(x0, y), b(x0 + g.body_w, y + g.preview_h);
        dl->AddRectFilled(a, b, kSurface, 10);
        dl->AddRect(a, b, kPrimary, 10, 0, 3);
        const char* note = feedback_text(app, kb.last_feedback());
        float label_w = 0;
        if (note) {
            ImVec2 ns = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, note);
            label_w = ns.x + 24;
            dl->AddText(f.bold, f.bold->FontSize, ImVec2(b.x - ns.x - 16, a.y + (g.preview_h - ns.y) * 0.5f), kRed, note);
        }
        // The field's name at the left, when the keyboard is wide enough to spare it.
        float name_w = 0;
        const std::string& name = kb.field_label;
        if (!name.empty() && g.body_w >= 700 * g.s) {
            ImVec2 ns = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, name.c_str());
            const float room = std::min(ns.x, g.body_w * 0.25f);
            name_w = room + 40;
            dl->PushClipRect(a, ImVec2(a.x + 20 + room, b.y), true);
            dl->AddText(f.bold, f.bold->FontSize, ImVec2(a.x + 20, a.y + (g.preview_h - ns.y) * 0.5f), kMuted,
                        name.c_str());
            dl->PopClipRect();
            dl->AddLine(ImVec2(a.x + name_w - 12, a.y + 10), ImVec2(a.x + name_w - 12, b.y - 10), kBorder, 2);
            g_keys_next["kbd.field-label"] = {a, ImVec2(a.x + name_w, b.y)};
        }
        ImFont* big = f.heading;
        TextLayout t = layout_text(big, &kb, "", 0);
        float inner = g.body_w - 40 - label_w - name_w;
        float off = t.caret_x > inner - 8 ? t.caret_x - (inner - 8) : 0;
        // While converting, keep the current segment in view rather than the caret.
        if (kb.converting()) {
            float seg_end = 0;
            for (const auto& c : t.cells)
                if (c.seg == kb.current_segment()) seg_end = c.x + c.w;
            off = seg_end > inner - 8 ? seg_end - (inner - 8) : 0;
        }
        ImVec2 origin(a.x + 20 + name_w - off, a.y + (g.preview_h - big->FontSize) * 0.5f);
        draw_text(dl, big, t, origin, ImVec4(a.x + name_w + 4, a.y + 2, b.x - label_w - 4, b.y - 2), kText, true,
                  kb.current_segment(), kb.converting());
        ImGui::SetCursorScreenPos(a);
        if (ImGui::InvisibleButton("##preview", ImVec2(g.body_w - label_w, g.preview_h)) && !dragging()) {
            ImVec2 m = ImGui::GetIO().MouseClickedPos[0];
            std::size_t i = hit_index(t, ImVec2(m.x - origin.x, m.y - origin.y));
            if (kb.converting()) {
                if (i >= t.cells.size() && i > 0) --i;
                if (i < t.cells.size() && t.cells[i].seg >= 0) kb.select_segment(t.cells[i].seg);
            } else if (!kb.composing()) {
                kb.set_cursor(i);
            }
        }
        y += g.preview_h + g.gap;
    }

    // 2. Candidates: [◀ 区切り] [区切り ▶] and the words for the current segment.
    if (g.cand_h > 0) {
        const float h = g.cand_h;
        if (kb.converting() && !kb.segments().empty()) {
            const Segment& seg = kb.segments()[static_cast<std::size_t>(kb.current_segment())];
            std::string all;
            for (const auto& c : seg.candidates) all += c;
            if (!glyphs_ready(f.heading, all)) note_candidates(app);   // the atlas catches up
            float x = x0;
            // Narrow windows: arrows only for the boundary, candidates in the text font.
            const bool narrow = g.body_w < 700 * g.s;
            const float ctl_w = narrow ? 52 * g.s : std::max(120 * g.s, g.body_w * 0.1f);
            ImFont* cand_font = narrow ? f.body : f.heading;
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            if (key_button("shorter", narrow ? "◁" : word(app, "kbd.shorter"), ImVec2(ctl_w, h), f.bold, Look::Outline,
                           utf8::length(seg.reading) > 1))
                kb.resize_segment(-1);
            remember(g_keys_next, "kbd.shorter");
            ImGui::SetCursorScreenPos(ImVec2(x + ctl_w + g.gap, y));
            if (key_button("longer", narrow ? "▷" : word(app, "kbd.longer"), ImVec2(ctl_w, h), f.bold, Look::Outline,
                           kb.current_segment() + 1 < static_cast<int>(kb.segments().size())))
                kb.resize_segment(+1);
            remember(g_keys_next, "kbd.longer");
            x += 2 * (ctl_w + g.gap) + (narrow ? 0 : g.gap);
            const float end = x0 + g.body_w;
            // Candidates that fit, starting from the page that holds the chosen one.
            static int first = 0;
            static std::string first_for;
            std::string key = std::to_string(kb.current_segment()) + "/" + seg.reading;
            if (key != first_for) {
                first_for = key;
                first = 0;
            }
            const float more_w = (narrow ? 52 : 96) * g.s;
            std::size_t i = static_cast<std::size_t>(first);
            {
                for (; i < seg.candidates.size(); ++i) {
                    const std::string& c = seg.candidates[i];
                    float w = std::max(narrow ? 52 * g.s : h,
                                       cand_font->CalcTextSizeA(cand_font->FontSize, FLT_MAX, 0, c.c_str()).x +
                                           (narrow ? 20 : 36) * g.s);
                    bool last = i + 1 == seg.candidates.size();
                    if (x + w > end - (last ? 0 : more_w + g.gap)) break;
                    ImGui::SetCursorScreenPos(ImVec2(x, y));
                    std::string id = "c" + std::to_string(i);
                    bool chosen = static_cast<int>(i) == seg.chosen;
                    if (key_button(id.c_str(), c.c_str(), ImVec2(w, h), cand_font, chosen ? Look::TabOn : Look::Char))
                        kb.pick(static_cast<int>(i));
                    remember(g_cands_next, c);
                    x += w + g.gap;
                }
                if (i < seg.candidates.size() || first > 0) {
                    ImGui::SetCursorScreenPos(ImVec2(end - more_w, y));
                    if (key_button("more", i < seg.candidates.size() ? "▶" : "◀", ImVec2(more_w, h), f.heading,
                                   Look::Quiet)) {
                        first = i < seg.candidates.size() ? static_cast<int>(i) : 0;
                        app.request_redraw();
                    }
                    remember(g_keys_next, "kbd.more");
                }
            }
        } else {
            // What the keys in front of the resident do (not a kana hint over the ABC keys).
            const char* key = nullptr;
            const bool reading = kb.spec().kind == InputKind::Kana;
            switch (kb.layout()) {
                case Layout::Hiragana:
                case Layout::Katakana:
                    key = reading ? "kbd.hint.reading"
                          : kb.composing() ? "kbd.hint.convert"
                          : kb.spec().kind == InputKind::Text && kb.converter_ready() ? "kbd.hint.kana" : nullptr;
                    break;
                case Layout::Letters:
                    key = reading ? "kbd.hint.romaji" : kb.qwerty() ? "kbd.hint.letters.qwerty" : "kbd.hint.letters.abc";
                    break;
                case Layout::Digits: key = "kbd.hint.digits"; break;
                default: break;
            }
            if (key) {
                const char* hint = word(app, key);
                const ImVec4 clip(x0, y, x0 + g.body_w, y + h);
                dl->AddText(f.body, f.body->FontSize, ImVec2(x0 + 8, y + (h - f.body->FontSize) * 0.5f), kMuted, hint,
                            nullptr, 0, &clip);
                if (f.body->CalcTextSizeA(f.body->FontSize, FLT_MAX, 0, hint).x > g.body_w - 8)
                    note_overflow("keyboard-hint", hint, f.body->CalcTextSizeA(f.body->FontSize, FLT_MAX, 0, hint).x, g.body_w - 8);
            }
        }
        y += h + g.gap;
    }

    // 3. The grid.
    {
        int cols = g.grid.empty() ? 0 : static_cast<int>(g.grid.front().size());
        float grid_w = static_cast<float>(cols) * g.grid_key_w + static_cast<float>(cols - 1) * g.gap;
        float gx = x0 + (g.body_w - grid_w) * 0.5f;
        int r = 0;
        for (const auto& row : g.grid) {
            float x = gx;
            int c = 0;
            for (const auto& k : row) {
                if (k.kind != KeyKind::Gap) {
                    ImGui::SetCursorScreenPos(ImVec2(x, y));
                    std::string id = "g" + std::to_string(r) + "_" + std::to_string(c);
                    Look look = k.kind == KeyKind::Char ? Look::Char : Look::Mark;
                    if (key_button(id.c_str(), k.label.c_str(), ImVec2(g.grid_key_w, g.key_h), f.heading, look))
                        kb.press(k, g.max_cols);
                    remember(g_keys_next, k.label);
                }
                x += g.grid_key_w + g.gap;
                ++c;
            }
            y += g.key_h + g.gap;
            ++r;
        }
    }

    // 4. Function keys.
    {
        int r = 0;
        for (const auto& row : g.fn) {
            float x = x0;
            int c = 0;
            for (const auto& [k, w] : row) {
                ImGui::SetCursorScreenPos(ImVec2(x, y));
                const char* label = k.function ? word(app, k.label) : k.label.c_str();
                Look look = Look::Quiet;
                bool enabled = true;
                switch (k.kind) {
                    case KeyKind::Layout: look = kb.layout() == k.layout ? Look::TabOn : Look::Tab; break;
                    case KeyKind::Convert:
                        look = Look::Action;
                        enabled = kb.composing();
                        break;
                    case KeyKind::Commit:
                        look = Look::Go;
                        enabled = kb.composing();
                        break;
                    case KeyKind::Done: look = kb.composing() ? Look::Outline : Look::Action; break;
                    case KeyKind::Shift: look = kb.shift() ? Look::TabOn : Look::Quiet; break;
                    case KeyKind::Text: look = Look::Char; break;
                    default: break;
                }
                std::string id = "f" + std::to_string(r) + "_" + std::to_string(c);
                // Words in the bold text font; single signs (◀ ▶, かな/ABC tabs) big.
                const bool sign = k.kind == KeyKind::Left || k.kind == KeyKind::Right || k.kind == KeyKind::Layout;
                ImFont* font = !sign && (k.kind == KeyKind::Text || k.kind == KeyKind::Page || k.function) ? f.bold : f.heading;
                if (key_button(id.c_str(), label, ImVec2(w, g.key_h), font, look, enabled)) kb.press(k, g.max_cols);
                remember(g_keys_next, k.label);
                x += w + g.gap;
                ++c;
            }
            y += g.key_h + g.gap;
            ++r;
        }
    }
    ImGui::EndChild();

    if (kb.revision() != rev0) {
        // New candidates: their kanji join the atlas before the next frame draws them.
        if (kb.converting()) note_candidates(app);
        app.request_redraw();
    }
}

bool keyboard_key_rect(const std::string& label, ImVec2* min, ImVec2* max) {
    auto it = g_keys_next.find(label);
    if (it == g_keys_next.end()) {
        it = g_keys.find(label);
        if (it == g_keys.end()) return false;
    }
    *min = it->second.first;
    *max = it->second.second;
    return true;
}

std::map<std::string, std::pair<ImVec2, ImVec2>> keyboard_key_rects() {
    return g_keys_next.empty() ? g_keys : g_keys_next;
}

bool keyboard_candidate_rect(const std::string& text, ImVec2* min, ImVec2* max) {
    auto it = g_cands_next.find(text);
    if (it == g_cands_next.end()) {
        it = g_cands.find(text);
        if (it == g_cands.end()) return false;
    }
    *min = it->second.first;
    *max = it->second.second;
    return true;
}

}  // namespace kyodo::app::ui
