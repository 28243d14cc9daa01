#include "app/model/ruby_layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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
                RubyPiece p{units[i]->text, units[i]->reading, x, unit_w[i], unit_base_w[i],
                            measure(units[i]->reading, small)};
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

float ruby_room(float size) { return std::ceil(size * kRubyScale) + 2.0f; }

std::string_view readings_to_draw(const Activity& a, RubyField field, bool on) {
    if (!on || !a.extra.is_object()) return {};
    const auto f = a.extra.find("furigana");
    if (f == a.extra.end() || !f->is_object()) return {};
    const char* key = field == RubyField::Title ? "title" : field == RubyField::Summary ? "summary" : "description";
    const auto v = f->find(key);
    if (v == f->end() || !v->is_string()) return {};
    return v->get_ref<const std::string&>();
}

void clip_ruby_lines(std::vector<RubyLine>& lines, std::size_t max_lines, float width, const AdvanceFn& base) {
    if (max_lines == 0 || lines.size() <= max_lines) return;
    lines.resize(max_lines);
    RubyLine& last = lines.back();
    const std::string ell = "…";
    const float ell_w = base(U'…');
    float x = 0;
    std::vector<RubyPiece> kept;
    for (RubyPiece& p : last.pieces) {
        if (p.x + p.width + ell_w <= width) {
            kept.push_back(std::move(p));
            x = kept.back().x + kept.back().width;
            continue;
        }
        if (p.ruby.empty()) {   // as much of the plain run as fits
            std::string part;
            float w = 0;
            for (char32_t c : utf8::decode(p.text)) {
                const float cw = base(c);
                if (p.x + w + cw + ell_w > width) break;
                part += utf8::encode(c);
                w += cw;
            }
            if (!part.empty()) {
                kept.push_back(RubyPiece{std::move(part), "", p.x, w, w, 0});
                x = p.x + w;
            }
        }
        break;
    }
    kept.push_back(RubyPiece{ell, "", x, ell_w, ell_w, 0});
    last.pieces = std::move(kept);
    last.width = x + ell_w;
    last.has_ruby = std::any_of(last.pieces.begin(), last.pieces.end(), [](const RubyPiece& p) { return !p.ruby.empty(); });
}

namespace {
template <class T>
void put(std::string& key, T v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    key.append(b, sizeof v);
}
}  // namespace

const RubyText& RubyLayoutCache::layout(std::string_view plain, std::string_view annotated, const void* font,
                                         float size, float width, int max_lines, const AdvanceFn& base,
                                         const AdvanceFn& small) {
    auto make = [&] {
        RubyText t;
        const std::vector<RubySegment> segs = ruby_for(plain, annotated);
        t.has_ruby = std::any_of(segs.begin(), segs.end(), [](const RubySegment& s) { return !s.reading.empty(); });
        t.lines = layout_ruby(segs, width, base, small);
        clip_ruby_lines(t.lines, max_lines > 0 ? static_cast<std::size_t>(max_lines) : 0, width, base);
        return t;
    };
    if (capacity_ == 0) {
        ++misses_;
        scratch_ = make();
        return scratch_;
    }
    key_.clear();
    put(key_, font);
    put(key_, size);
    put(key_, width);
    put(key_, max_lines);
    put(key_, plain.size());
    key_.append(plain);
    key_.append(annotated);
    if (auto it = now_.find(key_); it != now_.end()) {
        ++hits_;
        return it->second;
    }
    if (now_.size() >= capacity_) {
        old_.swap(now_);
        now_.clear();
    }
    if (auto it = old_.find(key_); it != old_.end()) {
        ++hits_;
        auto node = old_.extract(it);
        return now_.insert(std::move(node)).position->second;
    }
    ++misses_;
    return now_.emplace(key_, make()).first->second;
}

void RubyLayoutCache::clear() {
    now_.clear();
    old_.clear();
}

}  // namespace kyodo::app
