#include "app/screens/common.h"

#include "app/ui/theme.h"
#include "core/timeutil.h"

namespace kyodo::app::screens {

float begin_page(float max_width) {
    float avail = ImGui::GetContentRegionAvail().x;
    const float margin = avail < 700 ? 16 : theme::kMargin;   // phone-width windows
    float w = avail - 2 * margin;
    if (max_width > 0 && w > max_width) w = max_width;
    float x = (avail - w) * 0.5f;
    ImGui::SetCursorPos(ImVec2(x, theme::kMargin * 0.75f));
    ImGui::Indent(x);
    return w;
}

std::string date_text(const Shell& app, const std::string& iso) {
    if (iso.empty()) return "";
    std::string s = is_japanese(app.texts.lang()) ? format_date_ja(iso) : format_date_en(iso);
    return s.empty() ? iso : s;
}

std::string when_text(const Shell& app, const Activity& a) {
    std::string s = date_text(app, a.starts_at);
    if (!a.ends_at.empty() && a.ends_at != a.starts_at) {
        std::string e = date_text(app, a.ends_at);
        // Same day with times: show only the end time.
        // The clock as the start prints it ("7:30 〜 8:30", not "7:30 〜 08:30").
        if (a.ends_at.size() > 10 && a.starts_at.size() > 10 && a.ends_at.compare(0, 10, a.starts_at, 0, 10) == 0) {
            const std::size_t sp = e.rfind(' ');
            e = sp == std::string::npos ? a.ends_at.substr(11, 5) : e.substr(sp + 1);
        }
        s += " 〜 " + e;
    }
    return s;
}

const char* field_error(const Shell& app, const FieldErrors& errors, const char* field) {
    auto it = errors.find(field);
    if (it == errors.end()) return nullptr;
    const std::string& code = it->second;
    if (std::string(field) == "furigana" && code == "bad_format") return app.texts.get("err.kana");
    if (code == "control_char" || code == "invalid_utf8") return app.texts.get("err.unsupported_char");
    std::string key = "err." + code;
    if (app.texts.has(key)) return app.texts.get(key);
    return app.texts.get("err.other");
}

const char* submit_error_text(const Shell& app, const SubmitResult& r) {
    switch (r.error) {
        case SubmitError::None: return "";
        case SubmitError::Invalid: return app.texts.get("err.invalid");
        case SubmitError::DiskFull: return app.texts.get("err.disk_full");
        case SubmitError::Store: return app.texts.get("err.store");
        case SubmitError::Seal: return app.texts.get("err.seal");
    }
    return "";
}

std::string_view readings(const Shell& app, const Activity& a, RubyField field) {
    return readings_to_draw(a, field, app.settings.show_furigana());
}

float ruby_band(const Shell& app, const ImFont* font) {
    return app.settings.show_furigana() ? ruby_room(font->FontSize) : 0.0f;
}

void gap(float h) { ImGui::Dummy(ImVec2(1, h)); }

Row::Row(float col_width, float gap_x, bool side_by_side)
    : start_(ImGui::GetCursorPos()), col_(col_width), gap_(gap_x), side_(side_by_side) {}

void Row::next() {
    float y = ImGui::GetCursorPosY();
    if (y > max_y_) max_y_ = y;
    if (!side_) return;
    ++index_;
    ImGui::SetCursorPos(ImVec2(start_.x + (col_ + gap_) * static_cast<float>(index_), start_.y));
}

void Row::end() {
    float y = ImGui::GetCursorPosY();
    if (y > max_y_) max_y_ = y;
    ImGui::SetCursorPos(ImVec2(start_.x, max_y_));
}

// A full-window layer that takes every touch (nothing underneath reacts), with a panel
// centred on it. Returns the panel's top-left; the caller draws inside and calls end_layer.
ImVec2 begin_layer(const char* id, ImVec2 panel, ImU32 dim) {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(dim));
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleColor();
    ImVec2 a((io.DisplaySize.x - panel.x) * 0.5f, (io.DisplaySize.y - panel.y) * 0.5f);
    if (a.y < 8) a.y = 8;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + panel.x, a.y + panel.y), theme::kSurface, theme::kRadius);
    dl->AddRect(a, ImVec2(a.x + panel.x, a.y + panel.y), theme::kBorder, theme::kRadius, 0, 3);
    return a;
}

void end_layer() { ImGui::End(); }

}  // namespace kyodo::app::screens
