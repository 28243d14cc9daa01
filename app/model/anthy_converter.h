// Kana-to-kanji conversion through Debian's libanthy (UTF-8 mode), with the kiosk's own
// vocabulary (UserDictionary) put first: at the start of a conversion, segments are widened
// to cover the longest catalog/term reading they begin with (しみんきょうどう → one segment
// 市民協働, a whole centre name → the name), and every segment whose reading is in the
// dictionary gets those words ahead of anthy's. Then come the common words for the
// segment's reading, most frequent first (CommonWords: Debian's SKK-JISYO.L), then anthy's
// own candidates: a segment anthy read as a rare word plus a particle (さんせいです → 山西
// です) is first cut before the particle when the common words know the rest (さんせい|です).
//
// Nothing is ever committed to anthy's learning (anthy_commit_segment is not called): on a
// shared kiosk one resident's name must not become the next resident's first candidate.
//
// When anthy cannot start (no dictionary installed, no library at build time) ready() is
// false, init() says why for the staff log, and the keyboard types kana only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/model/common_words.h"
#include "app/model/kana_keyboard.h"
#include "app/model/user_dictionary.h"

namespace kyodo::app {

struct ConversionStats {
    int conversions = 0;        // convert() and resize() calls answered
    double last_ms = 0;
    double max_ms = 0;
    double total_ms = 0;
};

class AnthyConverter : public Converter {
public:
    AnthyConverter();
    ~AnthyConverter() override;
    AnthyConverter(const AnthyConverter&) = delete;
    AnthyConverter& operator=(const AnthyConverter&) = delete;

    // Starts anthy (once per process) and creates a context. False with `err` (for the
    // staff log); the kiosk keeps working with kana only.
    bool init(std::string* err = nullptr);
    bool ready() const override;
    // The dictionary is read at every conversion; it must outlive the converter's use.
    void set_dictionary(const UserDictionary* dict) { dict_ = dict; }
    // Likewise the frequency-ordered common words (may be empty or null: anthy's order).
    void set_common_words(const CommonWords* words) { common_ = words; }

    std::vector<Segment> convert(const std::string& reading) override;
    std::vector<Segment> resize(int index, int delta) override;

    const ConversionStats& stats() const { return stats_; }
    static const char* version();

private:
    std::vector<Segment> read_segments();
    // Where segment `from` (in characters of `reading`) should end for our vocabulary: the
    // longest kiosk word it starts with, or a common word followed by a particle; 0 = as anthy has it.
    std::size_t wanted_length(const std::u32string& reading, std::size_t from, std::size_t anthy_len) const;
    void record(double ms);

    struct Impl;
    std::unique_ptr<Impl> impl_;
    const UserDictionary* dict_ = nullptr;
    const CommonWords* common_ = nullptr;
    ConversionStats stats_;
};

}  // namespace kyodo::app
