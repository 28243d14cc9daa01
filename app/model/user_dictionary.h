// The kiosk's own vocabulary for kana-to-kanji conversion: reading (hiragana) → words.
// anthy's dictionary does not know the city's words (きょうどう gives 強度/共同, never 協働
// first) nor the names in the catalog, so the converter puts these first. Filled from a
// small list of collaboration terms (assets/dictionary/kyodo_terms.json) and from the
// catalog's readings (centres, organizations, activity titles). Plain data; no anthy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kyodo {
class KioskStore;
}

namespace kyodo::app {

class UserDictionary {
public:
    // Adds `word` under `reading` (katakana and spaces are normalised away: the key is
    // hiragana). Words keep the order they were added in; duplicates are ignored. Readings
    // that are not kana, or words above U+FFFF, are still stored (the keyboard filters what
    // it cannot draw).
    void add(std::string_view reading, std::string_view word);
    // The words for an exact reading, or nullptr.
    const std::vector<std::string>* lookup(std::string_view reading) const;
    // The length in characters of the longest reading (at least `min_chars` long) that
    // `reading` has at position `from` (in characters), or 0.
    std::size_t longest_prefix(const std::u32string& reading, std::size_t from, std::size_t min_chars = 2) const;

    // {"terms": [{"reading": "きょうどう", "word": "協働"}, …]}. False with `err`.
    bool load_terms_file(const std::string& path, std::string* err = nullptr);
    bool load_terms_json(const std::string& json_text, std::string* err = nullptr);
    // Centres (and their place: 大殿地域交流センター also gives 大殿 for おおどの),
    // organizations and activity titles with their `kana` readings. Returns the
    // number of entries added.
    std::size_t add_catalog(const KioskStore& store);

    std::size_t size() const { return entries_; }
    void clear();

private:
    std::unordered_map<std::string, std::vector<std::string>> map_;
    std::size_t max_key_chars_ = 0;
    std::size_t entries_ = 0;
};

// Hiragana key for a reading: katakana → hiragana, spaces removed.
std::string normalize_reading(std::string_view reading);

}  // namespace kyodo::app
