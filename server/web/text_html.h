// Table text with markup in it: the text is escaped, then each {name} placeholder is replaced by
// the given HTML as it is (a link, <code>, a status badge). The tables stay text only
// (docs/dashboard.md, "Languages"); the markup stays in C++.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "server/web/html.h"
#include "server/web/text.h"

namespace kyodo::server::web {

inline std::string trh(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string>> html) {
    std::string t = esc(tr(key));
    for (const auto& [name, value] : html) {
        const std::string ph = "{" + std::string(name) + "}";
        for (std::size_t p = 0; (p = t.find(ph, p)) != std::string::npos; p += value.size()) t.replace(p, ph.size(), value);
    }
    return t;
}

// Words that are data, not labels: stored as Japanese in the catalog or a record (an
// organization's type, an agreement's field, a call's kinds of proposal) and compared as such,
// so they are the same whatever the reader's language.
inline const std::string& data_ja(std::string_view key) { return table(Lang::Ja).get(key); }

}  // namespace kyodo::server::web
