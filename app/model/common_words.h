// Which word a reading most often means, from a frequency-ordered dictionary that Debian
// ships: SKK-JISYO.L (package skkdic), whose candidates for each reading are listed most
// common first (さんせい → 賛成, 酸性, …; たなか → 田中, 田仲). anthy's own order puts rare
// words and names first (たなか → 田奈か, さんせい → 山西); the converter ranks these ahead of
// anthy's, after the kiosk's own vocabulary (user_dictionary.h).
//
// The file (EUC-JP, ~4 MB) is read once when the keyboard starts; only its okuri-nasi entries
// (a plain reading, no verb ending) are kept, as views into the loaded text. Candidates are
// decoded on lookup, with SKK's annotations (";姓", ";†formal dress") and its Lisp forms
// ("(concat …)") dropped. Plain data; no anthy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kyodo::app {

class CommonWords {
public:
    // Debian's path for the large SKK dictionary (package skkdic).
    static constexpr const char* kDebianPath = "/usr/share/skk/SKK-JISYO.L";

    // Reads an SKK dictionary in EUC-JP. False with `err` (missing file, not a dictionary);
    // the converter then keeps anthy's order.
    bool load_file(const std::string& path, std::string* err = nullptr);
    // The same from text already in memory (EUC-JP bytes), for tests.
    bool load_text(std::string euc_text, std::string* err = nullptr);

    // The words for a hiragana reading (UTF-8), most common first; empty when unknown.
    std::vector<std::string> lookup(std::string_view reading) const;
    bool has(std::string_view reading) const;

    std::size_t size() const { return index_.size(); }

private:
    std::string text_;   // the dictionary as read (EUC-JP)
    std::unordered_map<std::string_view, std::string_view> index_;   // EUC-JP reading → "/w1/w2;note/…/"
};

}  // namespace kyodo::app
