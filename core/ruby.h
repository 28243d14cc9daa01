// Furigana (ruby): readings of kanji written above them in small kana.
//
// Readings travel as annotated text in the notation Japanese staff know from 青空文庫:
//   ｜base《reading》   an explicit base (｜ U+FF5C or | marks where it starts)
//   漢字《かんじ》        without ｜: the base is the run of kanji just before 《
// e.g. "｜夏祭《なつまつ》りの防災《ぼうさい》訓練《くんれん》". Removing the annotations gives the plain
// text back exactly; a kiosk uses an annotation only when it does (a title edited after its
// readings were made shows without furigana rather than with wrong ones).
//
// The server makes these at publish time (server/furigana.cpp, MeCab + IPADIC), staff
// correct them in the dashboard, the catalog ships them (Activity::furigana), the kiosk's
// search indexes the readings (kana finds kanji: まつり → 祭) and the kiosk draws them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace kyodo {

// One piece of a text: `text` as shown, `reading` (hiragana) above it, empty when none.
struct RubySegment {
    std::string text;
    std::string reading;
    bool operator==(const RubySegment&) const = default;
};

// Kanji as far as ruby is concerned: CJK ideographs (incl. extension A and compatibility)
// and the marks that live in kanji runs (々 〆 ヶ 〇).
bool is_kanji(char32_t c);
bool has_kanji(std::string_view s);

// Parses annotated text. Malformed annotations (an unclosed 《, an empty base or reading)
// are kept as plain text. Adjacent plain segments are merged.
std::vector<RubySegment> parse_ruby(std::string_view annotated);
// Writes segments as annotated text: 漢字《よみ》 when the base is all kanji and follows no
// kanji, ｜base《よみ》 otherwise. format_ruby(parse_ruby(x)) is canonical.
std::string format_ruby(const std::vector<RubySegment>& segs);
// The plain text (annotations removed) and the text read aloud (every base replaced by its
// reading).
std::string ruby_plain(const std::vector<RubySegment>& segs);
std::string ruby_reading(const std::vector<RubySegment>& segs);
// The segments to show for `plain`: those of `annotated` when it annotates exactly this
// text, else one plain segment (stale or missing readings are never shown).
std::vector<RubySegment> ruby_for(std::string_view plain, std::string_view annotated);
// True when `annotated` is empty or annotates exactly `plain`.
bool ruby_matches(std::string_view plain, std::string_view annotated);

// An activity's furigana: readings of its title, summary and description as annotated text,
// made by the server at publish time and corrected by staff. They travel in the activity's
// `extra` as {"furigana": {"title": …, "summary": …, "description": …}} (keys only for
// texts with readings), so catalogs, codecs and stored rows without them are unchanged.
struct Furigana {
    std::string title, summary, description;
    bool empty() const { return title.empty() && summary.empty() && description.empty(); }
    bool operator==(const Furigana&) const = default;
};
Furigana furigana_of(const Activity& a);              // missing or malformed: empty
void set_furigana(Activity& a, const Furigana& f);    // empty: removes extra.furigana

}  // namespace kyodo
