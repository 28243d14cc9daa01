// The words of the dashboard and the public pages, in the reader's language (ja or en).
// They are data, not code: string tables in assets/i18n/dashboard/<lang>/<area>.json, embedded
// into the server at build time (server/web/web.cmake), plus the vocabulary shared with the
// kiosk and the reports (core/vocabulary.h), so a deployed server reads no files.
// See docs/dashboard.md, "Languages".
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/i18n.h"

namespace kyodo::server::web {

enum class Lang { Ja, En };
inline constexpr Lang kLangs[] = {Lang::Ja, Lang::En};
const char* lang_code(Lang l);                  // "ja" / "en"
Lang lang_from_code(std::string_view code);     // "en" → En, anything else → Ja
inline constexpr const char* kLangCookie = "kyodo_lang";

// The language of the request this thread is serving. Page rendering is many small free
// functions; a request is served start to finish on one thread of the page pool, so the
// dispatcher sets the language for that thread (LangScope) instead of every helper taking it.
Lang current_lang();
class LangScope {
public:
    explicit LangScope(Lang l);
    ~LangScope();
    LangScope(const LangScope&) = delete;
    LangScope& operator=(const LangScope&) = delete;

private:
    Lang prev_;
};

// The text for `key` in current_lang(); the key itself when the table lacks it (visible on
// the page and caught by web_text_test, which checks that every key used exists in ja and en).
const std::string& tr(std::string_view key);
// tr(key) with "{name}" placeholders replaced: trf("roster.count", {{"n", "12"}}).
std::string trf(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string>> args);
const char* html_lang();   // for <html lang="…">
// A date or local date-time in the reader's language: 令和8年12月9日(水) 18:30 / Wed 9 Dec 2026 18:30.
std::string date_label(std::string_view iso);

// The merged table of a language (dashboard areas + vocabulary). Loaded once, on first use.
const Strings& table(Lang l);

// What the loader found wrong with the embedded tables (a file that is not a flat object of
// strings, a key defined twice); empty when they are sound. Tested, and logged at start-up.
std::vector<std::string> table_problems();

// The embedded files, for tests: (language, file name, JSON text).
struct EmbeddedTable {
    const char* lang;
    const char* name;   // "dashboard/inbox.json", "vocab.json"
    const char* json;
};
const std::vector<EmbeddedTable>& embedded_tables();

}  // namespace kyodo::server::web
