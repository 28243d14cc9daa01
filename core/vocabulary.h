// The one set of vocabulary labels the kiosk, the server's pages and the reports share: kinds of
// listing, forms and methods of collaboration, record kinds, question types, fields, the talent
// bank's kinds of help / times / ways to be contacted, kinds of group. Data, not code: the
// tables are assets/i18n/vocab/<lang>.json, embedded into kyodo_core at build time
// (core/CMakeLists.txt), so the kiosk, the server and the tests read the same words.
//
// Keys are "<vocabulary>.<code>" (form.kyodo, method.co_host, talent.help.it, group.kind.npo,
// field.防災). "<key>.short" is the same word for a narrow kiosk button where the full label
// is long (kind.grant.short 助成金 beside kind.grant 助成金のお知らせ); short_label() falls back
// to the full label.
#pragma once

#include <string>
#include <string_view>

#include "core/i18n.h"

namespace kyodo {

// "ja", "en" or "easy_ja" (anything else: ja). Loaded on first use; never reloaded, so the
// references returned stay valid for the life of the process.
const Strings& vocabulary(std::string_view lang);
// The embedded JSON text of a language's table ("" for an unknown language).
const char* vocabulary_json(std::string_view lang);
// The full label, and the narrow-button label of a key, in `lang`.
const std::string& vocab_label(std::string_view lang, std::string_view key);
const std::string& short_label(std::string_view lang, std::string_view key);

}  // namespace kyodo
