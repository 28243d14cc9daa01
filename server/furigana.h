// Furigana made on the server at publish time: MeCab with the IPADIC dictionary (Debian
// libmecab-dev, mecab-ipadic-utf8) reads each word; every kanji run gets its reading,
// with okurigana and kana inside a word split off (祭り → 祭《まつ》り, 見守り → 見守《みまも》り).
// The result is annotated text (core/ruby.h) that staff correct in the dashboard.
#pragma once

#include <string>

#include "core/types.h"

namespace kyodo::server {

// True when MeCab and a dictionary could be loaded (else every reading is "").
bool furigana_available();

// Annotated readings of `text` (core/ruby.h), or "" when it has no kanji or MeCab is
// unavailable. Thread-safe.
std::string make_furigana(const std::string& text);

// Brings an activity's furigana (extra.furigana, core/ruby.h) up to date with its texts: a reading that annotates its
// text exactly is kept (so staff corrections survive a save); a missing or stale one is
// made afresh. Texts without kanji get none.
void refresh_furigana(Activity& a);

}  // namespace kyodo::server
