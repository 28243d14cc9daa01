#include "app/model/texts.h"

#include <fstream>
#include <sstream>

#include "core/vocabulary.h"

namespace kyodo::app {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

void Texts::remember_text(const std::string& json_text) {
    try {
        Json j = Json::parse(json_text);
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.value().is_string()) all_.push_back(it.value().get<std::string>());
    } catch (const std::exception&) {
        // Strings::load reported it already.
    }
}

// The shared vocabulary's words are drawn too (the font atlas is built from all_text()).
void Texts::remember_vocabulary() {
    for (const char* l : {"ja", "en", "easy_ja"}) remember_text(vocabulary_json(l));
}

const char* lang_code(Lang l) {
    switch (l) {
        case Lang::Ja: return "ja";
        case Lang::En: return "en";
        case Lang::EasyJa: return "easy_ja";
    }
    return "ja";
}

bool lang_from_code(const std::string& code, Lang* out) {
    for (Lang l : {Lang::Ja, Lang::En, Lang::EasyJa})
        if (code == lang_code(l)) {
            *out = l;
            return true;
        }
    return false;
}

bool Texts::load_dir(const std::string& dir, std::string* err) {
    all_.clear();
    remember_vocabulary();
    bool ok = true;
    for (auto [strings, name] : {std::pair{&ja_, "ja.json"}, std::pair{&en_, "en.json"}}) {
        std::string path = dir + "/" + name;
        if (!strings->load(path)) {
            if (err && ok) *err = strings->last_error();
            ok = false;
            continue;
        }
        remember_text(read_file(path));
    }
    en_.set_fallback(&ja_);
    // やさしい日本語 is optional: without the file every key shows the ja text.
    if (std::string path = dir + "/easy_ja.json"; std::ifstream(path).good()) {
        if (easy_.load(path)) {
            remember_text(read_file(path));
        } else {
            if (err && ok) *err = easy_.last_error();
            ok = false;
        }
    }
    easy_.set_fallback(&ja_);
    return ok;
}

bool Texts::load_strings(const std::string& ja_json, const std::string& en_json, const std::string& easy_ja_json) {
    all_.clear();
    remember_vocabulary();
    bool ok = ja_.load_from_string(ja_json) && en_.load_from_string(en_json) && easy_.load_from_string(easy_ja_json);
    en_.set_fallback(&ja_);
    easy_.set_fallback(&ja_);
    remember_text(ja_json);
    remember_text(en_json);
    remember_text(easy_ja_json);
    return ok;
}

// The screen's own table first, then the shared vocabulary of the same language (kinds, forms,
// methods, fields, talent and group terms live only there: core/vocabulary.h).
const char* Texts::get(const std::string& key) const {
    if (!current().has(key)) {
        const Strings& v = vocabulary(lang_code(lang_));
        if (v.has(key)) return v.get(key).c_str();
    }
    return current().get(key).c_str();
}

bool Texts::has(const std::string& key) const { return current().has(key) || vocabulary(lang_code(lang_)).has(key); }

std::string Texts::fmt(const std::string& key,
                       std::initializer_list<std::pair<const char*, std::string>> args) const {
    std::string s = current().get(key);
    for (const auto& [name, value] : args) {
        std::string ph = std::string("{") + name + "}";
        for (std::size_t pos = s.find(ph); pos != std::string::npos; pos = s.find(ph, pos + value.size()))
            s.replace(pos, ph.size(), value);
    }
    return s;
}

// Buttons and chips are narrow: the vocabulary's short form where it has one.
const char* Texts::kind(ActivityKind k) const { return short_label(lang_code(lang_), std::string("kind.") + to_code(k)).c_str(); }
const char* Texts::form(Form f) const { return short_label(lang_code(lang_), std::string("form.") + to_code(f)).c_str(); }
const char* Texts::method(Method m) const { return short_label(lang_code(lang_), std::string("method.") + to_code(m)).c_str(); }

std::string Texts::field(const std::string& ja_field) const {
    const std::string key = "field." + ja_field;
    const Strings& v = vocabulary(lang_code(lang_));
    return v.has(key) ? v.get(key) : ja_field;
}

std::vector<std::string> Texts::all_text() const { return all_; }

}  // namespace kyodo::app
