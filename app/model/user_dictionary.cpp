#include "app/model/user_dictionary.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>
#include <utility>

#include "app/model/kana_keyboard.h"
#include "core/store.h"
#include "core/types.h"
#include "core/utf8.h"

namespace kyodo::app {

std::string normalize_reading(std::string_view reading) {
    std::u32string out;
    for (char32_t c : utf8::decode(katakana_to_hiragana(reading)))
        if (c != U' ' && c != 0x3000) out.push_back(c);
    return utf8::encode(out);
}

void UserDictionary::add(std::string_view reading, std::string_view word) {
    std::string key = normalize_reading(reading);
    if (key.empty() || word.empty() || !utf8::valid(key) || !utf8::valid(word)) return;
    auto& words = map_[key];
    if (std::find(words.begin(), words.end(), word) != words.end()) return;
    words.emplace_back(word);
    ++entries_;
    max_key_chars_ = std::max(max_key_chars_, utf8::length(key));
}

const std::vector<std::string>* UserDictionary::lookup(std::string_view reading) const {
    auto it = map_.find(normalize_reading(reading));
    return it == map_.end() ? nullptr : &it->second;
}

std::size_t UserDictionary::longest_prefix(const std::u32string& reading, std::size_t from,
                                           std::size_t min_chars) const {
    if (from >= reading.size()) return 0;
    std::size_t room = std::min(max_key_chars_, reading.size() - from);
    for (std::size_t n = room; n >= min_chars && n > 0; --n)
        if (map_.count(utf8::encode(reading.substr(from, n)))) return n;
    return 0;
}

bool UserDictionary::load_terms_json(const std::string& text, std::string* err) {
    try {
        Json j = Json::parse(text);
        const Json& terms = j.at("terms");
        for (const auto& t : terms) add(t.at("reading").get<std::string>(), t.at("word").get<std::string>());
        return true;
    } catch (const std::exception& e) {
        if (err) *err = e.what();
        return false;
    }
}

bool UserDictionary::load_terms_file(const std::string& path, std::string* err) {
    std::ifstream in(path);
    if (!in) {
        if (err) *err = path + ": cannot be read";
        return false;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!load_terms_json(text, err)) {
        if (err) *err = path + ": " + *err;
        return false;
    }
    return true;
}

namespace {

// What a centre's name ends with, and its reading: the rest is the place (大殿地域交流センター
// → 大殿 おおどの), which residents type on its own. Longest first.
constexpr std::pair<const char*, const char*> kFacilitySuffixes[] = {
    {"地域交流センター", "ちいきこうりゅうせんたー"}, {"交流センター", "こうりゅうせんたー"},
    {"市民センター", "しみんせんたー"}, {"公民館", "こうみんかん"}, {"センター", "せんたー"},
    {"会館", "かいかん"}, {"集会所", "しゅうかいじょ"}};

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() > tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

std::size_t UserDictionary::add_catalog(const KioskStore& store) {
    std::size_t before = entries_;
    for (const auto& c : store.centres()) {
        add(c.kana, c.name);
        const std::string reading = normalize_reading(c.kana);
        for (const auto& [word, kana] : kFacilitySuffixes)
            if (ends_with(c.name, word) && ends_with(reading, kana)) {
                add(reading.substr(0, reading.size() - std::string_view(kana).size()),
                    c.name.substr(0, c.name.size() - std::string_view(word).size()));
                break;
            }
    }
    for (const auto& o : store.organizations()) add(o.kana, o.name);
    SearchQuery q;
    q.limit = 500;
    for (q.offset = 0;; q.offset += q.limit) {
        SearchResult r = store.search(q);
        for (const auto& a : r.items) add(a.kana, a.title);
        if (r.items.size() < static_cast<std::size_t>(q.limit)) break;
    }
    return entries_ - before;
}

void UserDictionary::clear() {
    map_.clear();
    max_key_chars_ = 0;
    entries_ = 0;
}

}  // namespace kyodo::app
