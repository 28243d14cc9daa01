#include "app/model/common_words.h"

#include <iconv.h>

#include <fstream>
#include <iterator>

#include "core/utf8.h"

namespace kyodo::app {

namespace {

// EUC-JP → UTF-8 of one word with an open converter; empty on any invalid sequence.
std::string to_utf8(iconv_t cd, std::string_view in) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    std::string out(in.size() * 2 + 8, '\0');
    char* src = const_cast<char*>(in.data());
    std::size_t src_left = in.size();
    char* dst = out.data();
    std::size_t dst_left = out.size();
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    if (rc == static_cast<std::size_t>(-1) || src_left != 0) return {};
    out.resize(out.size() - dst_left);
    return out;
}

// A hiragana reading as an SKK key (EUC-JP: ぁ–ん are 0xA4 0xA1–0xF3, ー is 0xA1 0xBC), done
// by hand because it is on every segment of every conversion; empty when it holds anything else.
std::string reading_key(std::string_view reading) {
    std::string key;
    for (char32_t c : utf8::decode(reading)) {
        if (c >= 0x3041 && c <= 0x3093) {
            key += static_cast<char>(0xA4);
            key += static_cast<char>(0xA1 + (c - 0x3041));
        } else if (c == 0x30FC) {
            key += static_cast<char>(0xA1);
            key += static_cast<char>(0xBC);
        } else {
            return {};
        }
    }
    return key;
}

// An okuri-nasi key: EUC-JP hiragana (0xA4 0xA1–0xF3) and the long-vowel mark ー (0xA1 0xBC)
// only. Okuri-ari keys end in an ASCII letter; abbreviation keys are ASCII.
bool plain_reading_key(std::string_view k) {
    if (k.empty() || k.size() % 2 != 0) return false;
    for (std::size_t i = 0; i < k.size(); i += 2) {
        const auto a = static_cast<unsigned char>(k[i]), b = static_cast<unsigned char>(k[i + 1]);
        const bool hira = a == 0xA4 && b >= 0xA1 && b <= 0xF3;
        const bool long_mark = a == 0xA1 && b == 0xBC;
        if (!hira && !long_mark) return false;
    }
    return true;
}

}  // namespace

bool CommonWords::load_file(const std::string& path, std::string* err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (err) *err = path + ": cannot be read (Debian package skkdic)";
        return false;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!load_text(std::move(text), err)) {
        if (err) *err = path + ": " + *err;
        return false;
    }
    return true;
}

bool CommonWords::load_text(std::string euc_text, std::string* err) {
    index_.clear();
    text_ = std::move(euc_text);
    const std::string_view all(text_);
    std::size_t pos = 0;
    while (pos < all.size()) {
        std::size_t end = all.find('\n', pos);
        if (end == std::string_view::npos) end = all.size();
        const std::string_view line = all.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty() || line[0] == ';') continue;
        const std::size_t sp = line.find(" /");
        if (sp == std::string_view::npos) continue;
        const std::string_view key = line.substr(0, sp);
        if (!plain_reading_key(key)) continue;
        index_.emplace(key, line.substr(sp + 1));
    }
    if (index_.empty()) {
        if (err) *err = "no entries (not an SKK dictionary in EUC-JP?)";
        return false;
    }
    return true;
}

bool CommonWords::has(std::string_view reading) const {
    if (index_.empty()) return false;
    const std::string key = reading_key(reading);
    return !key.empty() && index_.count(key) > 0;
}

std::vector<std::string> CommonWords::lookup(std::string_view reading) const {
    std::vector<std::string> out;
    if (index_.empty() || reading.empty()) return out;
    const std::string key = reading_key(reading);
    auto it = key.empty() ? index_.end() : index_.find(key);
    if (it == index_.end()) return out;
    iconv_t cd = iconv_open("UTF-8", "EUC-JP");
    if (cd == reinterpret_cast<iconv_t>(-1)) return out;
    const std::string_view list = it->second;   // "/賛成/酸性;note/…/"
    std::size_t pos = 0;
    while (pos < list.size()) {
        if (list[pos] == '/') {
            ++pos;
            continue;
        }
        std::size_t end = list.find('/', pos);
        if (end == std::string_view::npos) end = list.size();
        std::string_view word = list.substr(pos, end - pos);
        pos = end;
        word = word.substr(0, word.find(';'));   // the annotation is for people, not a word
        if (word.empty() || word.front() == '(' || word.front() == '[') continue;   // Lisp forms, okuri blocks
        std::string utf = to_utf8(cd, word);
        if (!utf.empty()) out.push_back(std::move(utf));
    }
    iconv_close(cd);
    return out;
}

}  // namespace kyodo::app
