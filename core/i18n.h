// String tables for the kiosk's languages (assets/i18n/ja.json, en.json, easy_ja.json):
// flat JSON objects {"key": "text"}. A missing key shows the key itself, so a gap in a
// table is visible on screen and in UI tests rather than an empty button.
#pragma once

#include <initializer_list>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace kyodo {

class Strings {
public:
    // Loads (replacing what was loaded). False, with last_error() saying why, when the file
    // is missing, is not JSON, is not an object, or holds a non-string value or invalid
    // UTF-8; the previous table is then kept.
    bool load(const std::string& json_path);
    // Same, from JSON text already in memory (tests, embedded defaults).
    bool load_from_string(const std::string& json_text);

    // The text for `key`; the fallback table's text when this one lacks it (やさしい日本語
    // falls back to ja); the key itself when neither has it. The reference stays valid
    // until the next load().
    const std::string& get(std::string_view key) const;
    bool has(std::string_view key) const;
    std::size_t size() const { return table_.size(); }
    const std::string& last_error() const { return error_; }

    // Strings consulted for keys this table lacks (not owned; must outlive this).
    void set_fallback(const Strings* fallback) { fallback_ = fallback; }

    // get(key) with "{name}" placeholders replaced: fmt("results", {{"n", "12"}}).
    std::string fmt(std::string_view key,
                    std::initializer_list<std::pair<std::string_view, std::string>> args) const;

private:
    const std::string* find(std::string_view key) const;

    std::map<std::string, std::string, std::less<>> table_;
    const Strings* fallback_ = nullptr;
    std::string error_;
    // Missing keys are interned here so get() can return a stable reference to them.
    mutable std::set<std::string, std::less<>> missing_;
    mutable std::mutex missing_mu_;
};

}  // namespace kyodo
