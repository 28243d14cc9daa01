// The kiosk's UI text: flat string tables (assets/i18n/ja.json, en.json, easy_ja.json),
// Japanese primary, English and やさしい日本語 (easy Japanese) switchable. Screens never hard-code text: they ask for a key.
// Missing keys fall back to Japanese, then to the key itself (visible, so it gets fixed).
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n.h"
#include "core/types.h"

namespace kyodo::app {

enum class Lang { Ja, En, EasyJa };

const char* lang_code(Lang l);                 // "ja" | "en" | "easy_ja"
bool lang_from_code(const std::string& code, Lang* out);
// Japanese script (ja, easy_ja): dates in 令和 style, Japanese layouts.
inline bool is_japanese(Lang l) { return l != Lang::En; }

class Texts {
public:
    // Loads ja.json, en.json and easy_ja.json (optional; falls back to ja) from `dir`. Returns false with `err` set when a table is
    // missing or malformed (the kiosk then shows keys rather than failing to start).
    bool load_dir(const std::string& dir, std::string* err = nullptr);
    // For tests: tables from JSON text.
    bool load_strings(const std::string& ja_json, const std::string& en_json,
                      const std::string& easy_ja_json = "{}");

    Lang lang() const { return lang_; }
    void set_lang(Lang l) { lang_ = l; }
    void toggle() { lang_ = lang_ == Lang::Ja ? Lang::En : Lang::Ja; }

    // The text for `key` in the current language. The pointer stays valid until the next
    // load (the tables are not modified while drawing).
    const char* get(const std::string& key) const;
    // {name} placeholders replaced: fmt("listings.count", {{"n", "12"}}).
    std::string fmt(const std::string& key,
                    std::initializer_list<std::pair<const char*, std::string>> args) const;
    bool has(const std::string& key) const;

    // Domain labels: Japanese codes/fields translated when the table has them.
    const char* kind(ActivityKind k) const;
    const char* form(Form f) const;
    const char* method(Method m) const;
    std::string field(const std::string& ja_field) const;

    // Every string of every table (the font atlas needs their glyphs).
    std::vector<std::string> all_text() const;

private:
    const Strings& current() const { return lang_ == Lang::Ja ? ja_ : (lang_ == Lang::En ? en_ : easy_); }
    void remember_text(const std::string& json_text);

    Strings ja_, en_, easy_;     // en and easy_ja fall back to ja
    std::vector<std::string> all_;
    void remember_vocabulary();
    Lang lang_ = Lang::Ja;
};

}  // namespace kyodo::app
