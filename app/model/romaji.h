// Romaji → hiragana for a reading typed on the ABC keys (a foreign resident types "yamada"
// and the reading field shows やまだ). Hepburn and kunrei spellings (shi/si, tsu/tu, chi/ti,
// fu/hu, ja/zya), double consonants (kk → っk), n before a consonant or doubled (nn) → ん,
// '-' → ー. What cannot be read yet stays as letters ("yamad" → やまd): the next key may
// complete it. `final` (the keyboard closes): a last "n" becomes ん.
#pragma once

#include <string>
#include <string_view>

namespace kyodo::app {

std::u32string romaji_to_hiragana(std::u32string_view latin, bool final);
std::string romaji_to_hiragana(std::string_view latin_utf8, bool final);

}  // namespace kyodo::app
