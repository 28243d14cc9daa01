// The set of characters the kiosk can draw. The font atlas is built from exactly these
// (ASCII, kana, punctuation, plus every character in the catalog and the string tables),
// not the whole Japanese range: a 16x smaller atlas and a fast cold start (DESIGN.md bars).
// When new text arrives (a catalog pull, a typed kanji) add() reports new characters and
// the UI rebuilds the atlas between frames. Plain data; no ImGui.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace kyodo {
class KioskStore;
}

namespace kyodo::app {

class GlyphSet {
public:
    GlyphSet();
    // Adds the characters of `utf8`; true if any was new. Above U+FFFF is ignored (16-bit
    // ImWchar atlas).
    bool add(std::string_view utf8);
    bool add_range(char32_t first, char32_t last);
    bool contains(char32_t c) const { return c < 0x10000 && bits_->test(c); }
    std::size_t size() const { return count_; }
    std::vector<char32_t> chars() const;
    // Base set: ASCII, CJK punctuation, hiragana, katakana, common full-width signs, and
    // what dates print (令和, 曜日 …).
    void add_base();
    void add_ascii();

private:
    std::unique_ptr<std::bitset<0x10000>> bits_;
    std::size_t count_ = 0;
};

// Adds every character the catalog can show (titles, summaries, descriptions, places,
// organizer names, centres, organizations, fields, surveys). Returns true if any was new.
bool add_catalog_text(const KioskStore& store, GlyphSet& set);

}  // namespace kyodo::app
