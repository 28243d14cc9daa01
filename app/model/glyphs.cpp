#include "app/model/glyphs.h"

#include "app/model/city_response.h"
#include "app/model/comment_form.h"

#include "core/store.h"
#include "core/utf8.h"

namespace kyodo::app {

GlyphSet::GlyphSet() : bits_(std::make_unique<std::bitset<0x10000>>()) {}

bool GlyphSet::add(std::string_view s) {
    bool added = false;
    for (char32_t c : utf8::decode(s)) {
        if (c >= 0x10000 || c < 0x20 || c == 0xFFFD) continue;
        if (!bits_->test(c)) {
            bits_->set(c);
            ++count_;
            added = true;
        }
    }
    return added;
}

bool GlyphSet::add_range(char32_t first, char32_t last) {
    bool added = false;
    for (char32_t c = first; c <= last && c < 0x10000; ++c) {
        if (!bits_->test(c)) {
            bits_->set(c);
            ++count_;
            added = true;
        }
    }
    return added;
}

std::vector<char32_t> GlyphSet::chars() const {
    std::vector<char32_t> out;
    out.reserve(count_);
    for (char32_t c = 0; c < 0x10000; ++c)
        if (bits_->test(c)) out.push_back(c);
    return out;
}

void GlyphSet::add_base() {
    // Only what any screen may need before the text is known; the catalog, the string
    // tables and typed text bring the rest (each glyph costs atlas space at every size).
    add_range(0x20, 0x7E);     // ASCII
    add_range(0x3000, 0x301C); // CJK punctuation: 、。「」『』【】〜 and the ideographic space
    add_range(0x3041, 0x3096); // hiragana
    add_range(0x30A1, 0x30FC); // katakana and ー
    add("…・×※→←−（）：；！？／％＆＋－＝～｜");
    // The marks the booking calendar puts beside a slot's state (○ free, ◇ groups first,
    // △ held here, ◎ picked): a screen that notes them on its first frame would otherwise
    // draw "?" until the atlas rebuilt.
    add("○◇△◎–");
    // What formatted dates and numbers print.
    add("令和平成年月日時分曜火水木金土午前後名件円");
}

void GlyphSet::add_ascii() { add_range(0x20, 0x7E); }

bool add_catalog_text(const KioskStore& store, GlyphSet& set) {
    bool added = false;
    auto add = [&](const std::string& s) { added |= set.add(s); };
    for (const auto& c : store.centres()) {
        add(c.name);
        add(c.address);
    }
    for (const auto& o : store.organizations()) {
        add(o.name);
        add(o.type);
        add(o.description);
        add(o.contact);
        for (const auto& f : o.fields) add(f);
    }
    SearchQuery q;
    q.limit = 500;
    for (q.offset = 0;; q.offset += q.limit) {
        SearchResult r = store.search(q);
        for (const auto& a : r.items) {
            add(a.title);
            add(a.summary);
            add(a.description);
            add(a.place);
            add(a.department);
            add(a.audience);
            for (const auto& n : a.organizer_names) add(n);
            for (const auto& f : a.fields) add(f);
            // A draft's sections and a call's themes (extra): noted only while drawn, they
            // came after the atlas and showed as '?' (第, 十 on the public comment).
            for (const DraftSection& d : draft_sections(a)) {
                add(d.title);
                add(d.text);
            }
            if (auto it = a.extra.find("themes"); it != a.extra.end() && it->is_array())
                for (const auto& t : *it)
                    if (t.is_string()) add(t.get<std::string>());
            if (auto response = city_response(a)) add(response->all_text());   // 市の考え方 on a closed draft's page
        }
        if (r.items.size() < static_cast<std::size_t>(q.limit)) break;
    }
    // Slots and items are kept out of search (core/store.h bookables): their resource
    // names, places and descriptions are catalog text all the same.
    for (ActivityKind kind : {ActivityKind::Slot, ActivityKind::Item}) {
        for (const auto& a : store.bookables(kind, "")) {
            add(a.title);
            add(a.summary);
            add(a.description);
            add(a.place);
            if (auto it = a.extra.find("slot"); it != a.extra.end() && it->is_object())
                add(it->value("resource_name", ""));
        }
    }
    for (const auto& s : store.surveys()) {
        add(s.title);
        add(s.description);
        for (const auto& qu : s.questions) {
            add(qu.text);
            add(qu.scale_min_label);
            add(qu.scale_max_label);
            for (const auto& c : qu.choices) add(c);
        }
    }
    for (const auto& f : standard_fields()) add(f);
    return added;
}

}  // namespace kyodo::app
