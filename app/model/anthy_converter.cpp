#include "app/model/anthy_converter.h"

#include <algorithm>
#include <chrono>
#include <mutex>

#include "core/utf8.h"

#if KYODO_HAVE_ANTHY
#include <anthy/anthy.h>
#endif

namespace kyodo::app {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

#if KYODO_HAVE_ANTHY
// anthy_init is process-wide: once, and remember how it went.
int anthy_started() {
    static std::once_flag once;
    static int rc = -1;
    std::call_once(once, [] { rc = anthy_init(); });
    return rc;
}

#endif

// Particles and the copula that anthy glues to a noun in one segment (さんせいです, こうえんに).
constexpr const char32_t* kParticleTails[] = {U"です", U"でした", U"ます", U"から", U"まで", U"より",
                                              U"を", U"に", U"が", U"は", U"で", U"と", U"の", U"も", U"へ", U"や"};

#if KYODO_HAVE_ANTHY
bool is_particle(const std::string& reading) {
    const std::u32string u = utf8::decode(reading);
    for (const char32_t* tail : kParticleTails)
        if (u == tail) return true;
    return false;
}

// A particle or a single kana keeps anthy's order: the frequency list knows に as 荷 and
// です as デス, words a resident typing a sentence does not mean.
bool takes_common_words(const std::string& reading) {
    return utf8::length(reading) >= 2 && !is_particle(reading);
}

std::string segment_text(anthy_context_t ctx, int seg, int cand) {
    char buf[1024];
    int n = anthy_get_segment(ctx, seg, cand, buf, sizeof buf);
    if (n < 0) return "";
    if (static_cast<std::size_t>(n) >= sizeof buf) n = sizeof buf - 1;
    return std::string(buf, static_cast<std::size_t>(n));
}
#endif

}  // namespace

struct AnthyConverter::Impl {
#if KYODO_HAVE_ANTHY
    anthy_context_t ctx = nullptr;
#endif
    bool active = false;   // a conversion is under way
};

AnthyConverter::AnthyConverter() : impl_(std::make_unique<Impl>()) {}

AnthyConverter::~AnthyConverter() {
#if KYODO_HAVE_ANTHY
    if (impl_->ctx) anthy_release_context(impl_->ctx);
#endif
}

const char* AnthyConverter::version() {
#if KYODO_HAVE_ANTHY
    return anthy_get_version_string();
#else
    return "none";
#endif
}

bool AnthyConverter::init(std::string* err) {
#if KYODO_HAVE_ANTHY
    if (impl_->ctx) return true;
    if (anthy_started() != 0) {
        if (err)
            *err = "anthy could not start (is the dictionary package 'anthy-common' installed?): "
                   "the keyboard types kana only";
        return false;
    }
    impl_->ctx = anthy_create_context();
    if (!impl_->ctx) {
        if (err) *err = "anthy: no conversion context: the keyboard types kana only";
        return false;
    }
    anthy_context_set_encoding(impl_->ctx, ANTHY_UTF8_ENCODING);
    // Never let one resident's choices reorder the next resident's candidates.
    anthy_set_reconversion_mode(impl_->ctx, ANTHY_RECONVERT_DISABLE);
    return true;
#else
    if (err) *err = "built without libanthy: the keyboard types kana only";
    return false;
#endif
}

bool AnthyConverter::ready() const {
#if KYODO_HAVE_ANTHY
    return impl_->ctx != nullptr;
#else
    return false;
#endif
}

void AnthyConverter::record(double ms) {
    ++stats_.conversions;
    stats_.last_ms = ms;
    stats_.total_ms += ms;
    if (ms > stats_.max_ms) stats_.max_ms = ms;
}

std::vector<Segment> AnthyConverter::read_segments() {
    std::vector<Segment> out;
#if KYODO_HAVE_ANTHY
    anthy_context_t ctx = impl_->ctx;
    anthy_conv_stat cs{};
    if (anthy_get_stat(ctx, &cs) != 0) return out;
    for (int i = 0; i < cs.nr_segment; ++i) {
        anthy_segment_stat ss{};
        if (anthy_get_segment_stat(ctx, i, &ss) != 0) return {};
        Segment s;
        s.reading = segment_text(ctx, i, NTH_UNCONVERTED_CANDIDATE);
        auto add = [&s](std::string t) {
            if (!t.empty() && std::find(s.candidates.begin(), s.candidates.end(), t) == s.candidates.end())
                s.candidates.push_back(std::move(t));
        };
        // A particle on its own (です after 賛成|) is written in kana: anthy alone offers デス first.
        if (is_particle(s.reading)) add(s.reading);
        // The kiosk's words, then the common words most frequent first, then anthy's.
        if (dict_)
            if (const auto* words = dict_->lookup(s.reading))
                for (const auto& w : *words) add(w);
        if (common_ && takes_common_words(s.reading))
            for (auto& w : common_->lookup(s.reading)) add(std::move(w));
        for (int c = 0; c < ss.nr_candidate; ++c) add(segment_text(ctx, i, c));
        out.push_back(std::move(s));
    }
#endif
    return out;
}

std::size_t AnthyConverter::wanted_length(const std::u32string& u, std::size_t from, std::size_t anthy_len) const {
    if (dict_ && dict_->size() > 0)
        if (std::size_t n = dict_->longest_prefix(u, from)) return n;
    if (!common_ || common_->size() == 0 || anthy_len < 3 || from + anthy_len > u.size()) return 0;
    const std::u32string seg = u.substr(from, anthy_len);
    if (common_->has(utf8::encode(seg))) return 0;
    for (const char32_t* tail : kParticleTails) {
        const std::u32string t(tail);
        if (seg.size() < t.size() + 2 || seg.compare(seg.size() - t.size(), t.size(), t) != 0) continue;
        if (common_->has(utf8::encode(seg.substr(0, seg.size() - t.size())))) return seg.size() - t.size();
    }
    return 0;
}

std::vector<Segment> AnthyConverter::convert(const std::string& reading) {
#if KYODO_HAVE_ANTHY
    if (!impl_->ctx || reading.empty()) return {};
    auto t0 = Clock::now();
    anthy_context_t ctx = impl_->ctx;
    if (anthy_set_string(ctx, reading.c_str()) != 0) return {};
    impl_->active = true;
    // Our own words first: widen (or narrow) each segment to the longest dictionary reading
    // it starts with, so a catalog name or 市民協働 is one segment, not anthy's pieces; and
    // cut a particle off a segment when the common words know what stands before it.
    if ((dict_ && dict_->size() > 0) || (common_ && common_->size() > 0)) {
        const std::u32string u = utf8::decode(reading);
        std::size_t pos = 0;
        for (int i = 0;; ++i) {
            anthy_conv_stat cs{};
            if (anthy_get_stat(ctx, &cs) != 0 || i >= cs.nr_segment) break;
            anthy_segment_stat ss{};
            if (anthy_get_segment_stat(ctx, i, &ss) != 0) break;
            const std::size_t want = wanted_length(u, pos, static_cast<std::size_t>(std::max(ss.seg_len, 0)));
            // anthy may stop short of a large delta: one call for the lot, then a character
            // at a time for what is left (each call re-converts the rest of the string).
            if (want > 0 && static_cast<int>(want) != ss.seg_len) {
                anthy_resize_segment(ctx, i, static_cast<int>(want) - ss.seg_len);
                if (anthy_get_segment_stat(ctx, i, &ss) != 0) break;
            }
            while (want > 0 && static_cast<int>(want) != ss.seg_len) {
                int before = ss.seg_len;
                anthy_resize_segment(ctx, i, static_cast<int>(want) > before ? 1 : -1);
                if (anthy_get_segment_stat(ctx, i, &ss) != 0 || ss.seg_len == before) break;
            }
            if (ss.seg_len <= 0) break;
            pos += static_cast<std::size_t>(ss.seg_len);
        }
    }
    std::vector<Segment> segs = read_segments();
    record(ms_since(t0));
    return segs;
#else
    (void)reading;
    return {};
#endif
}

std::vector<Segment> AnthyConverter::resize(int index, int delta) {
#if KYODO_HAVE_ANTHY
    if (!impl_->ctx || !impl_->active || delta == 0) return {};
    auto t0 = Clock::now();
    anthy_conv_stat cs{};
    if (anthy_get_stat(impl_->ctx, &cs) != 0 || index < 0 || index >= cs.nr_segment) return {};
    anthy_segment_stat ss{};
    for (int step = 0; step < (delta < 0 ? -delta : delta); ++step) {
        if (anthy_get_segment_stat(impl_->ctx, index, &ss) != 0) break;
        int before = ss.seg_len;
        anthy_resize_segment(impl_->ctx, index, delta > 0 ? 1 : -1);
        if (anthy_get_segment_stat(impl_->ctx, index, &ss) != 0 || ss.seg_len == before) break;
    }
    std::vector<Segment> segs = read_segments();
    record(ms_since(t0));
    return segs;
#else
    (void)index;
    (void)delta;
    return {};
#endif
}

}  // namespace kyodo::app
