#include "core/i18n.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace kyodo {

bool Strings::load(const std::string& json_path) {
    std::ifstream in(json_path, std::ios::binary);
    if (!in) {
        error_ = json_path + ": cannot open the file";
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    if (!load_from_string(ss.str())) {
        error_ = json_path + ": " + error_;
        return false;
    }
    return true;
}

bool Strings::load_from_string(const std::string& json_text) {
    nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        error_ = "not valid JSON";
        return false;
    }
    if (!j.is_object()) {
        error_ = "expected a JSON object of \"key\": \"text\"";
        return false;
    }
    std::map<std::string, std::string, std::less<>> table;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it->is_string()) {
            error_ = "\"" + it.key() + "\" must be a string";
            return false;
        }
        std::string text = it->get<std::string>();
        if (!utf8::valid(text)) {
            error_ = "\"" + it.key() + "\" is not valid UTF-8";
            return false;
        }
        table.emplace(it.key(), std::move(text));
    }
    table_ = std::move(table);
    error_.clear();
    return true;
}

const std::string* Strings::find(std::string_view key) const {
    if (auto it = table_.find(key); it != table_.end()) return &it->second;
    return fallback_ ? fallback_->find(key) : nullptr;
}

bool Strings::has(std::string_view key) const { return find(key) != nullptr; }

const std::string& Strings::get(std::string_view key) const {
    if (const std::string* s = find(key)) return *s;
    std::lock_guard<std::mutex> lock(missing_mu_);
    return *missing_.emplace(key).first;
}

std::string Strings::fmt(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    std::string out = get(key);
    for (const auto& [name, value] : args) {
        const std::string token = "{" + std::string(name) + "}";
        for (std::size_t pos = out.find(token); pos != std::string::npos;
             pos = out.find(token, pos + value.size()))
            out.replace(pos, token.size(), value);
    }
    return out;
}

}  // namespace kyodo
