#include "app/model/ruby_layout.h"

#include <algorithm>

#include "core/utf8.h"

namespace kyodo::app {

namespace {
// Each ruby unit stands in the breaker's input as one private-use character, so the
// breaker can never split a base and measures the unit at its full width.
constexpr char32_t kUnit0 = 0xE000;
constexpr char32_t kUnitMax = 0xF8FF;

float measure(std::string_view s, const AdvanceFn& adv) {
    float w = 0;
    for (char32_t c : utf8::decode(s)) w += c == U'\n' ? 0.0f : adv(c);
    return w;
}
}  // namespace

std::vector<RubyLine> layout_ruby(const std::vector<RubySegment>& segs, float width, const AdvanceFn& base,
                                  const AdvanceFn& small) {
    std::string flat;
    std::vector<float> unit_w, unit_base_w;
    std::vector<const RubySegment*> units;
    for (const auto& s : segs) {
        if (s.reading.empty() || units.size() > kUnitMax - kUnit0) {
            flat += s.text;
            continue;
        }
        const float bw = measure(s.text, base), rw = measure(s.reading, small);
        unit_w.push_back(std::max(bw, rw));
        unit_base_w.push_back(bw);
        flat += utf8::encode(static_cast<char32_t>(kUnit0 + units.size()));
        units.push_back(&s);
    }
    auto is_unit = [&](char32_t c) { return c >= kUnit0 && c < kUnit0 + units.size(); };
    const AdvanceFn adv = [&](char32_t c) { return is_unit(c) ? unit_w[c - kUnit0] : base(c); };

    std::vector<RubyLine> out;
    for (const LineSpan& span : break_lines(flat, width, adv)) {
        RubyLine line;
        float x = 0;
        RubyPiece plain;
        auto flush = [&] {
            if (plain.text.empty()) return;
            plain.width = plain.text_width = x - plain.x;
            line.pieces.push_back(std::move(plain));
            plain = RubyPiece{};
        };
        for (char32_t c : utf8::decode(std::string_view(flat).substr(span.begin, span.end - span.begin))) {
            if (is_unit(c)) {
                flush();
                const std::size_t i = c - kUnit0;
                RubyPiece p{units[i]->text, units[i]->reading, x, unit_w[i], unit_base_w[i]};
                line.pieces.push_back(std::move(p));
                line.has_ruby = true;
                x += unit_w[i];
                plain.x = x;
            } else {
                if (plain.text.empty()) plain.x = x;
                plain.text += utf8::encode(c);
                x += base(c);
            }
        }
        flush();
        line.width = x;
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace kyodo::app
