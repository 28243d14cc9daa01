#include "app/model/keyboard_host.h"

#include <chrono>
#include <cstdio>

#include "core/store.h"

namespace kyodo::app {

namespace {

void load_vocabulary(UserDictionary& dict, const std::string& assets_dir, const KioskStore& store,
                     std::string& log) {
    dict.clear();
    std::string err;
    // Terms first: they win over a catalog entry with the same reading.
    if (!dict.load_terms_file(assets_dir + "/dictionary/kyodo_terms.json", &err)) log += " (terms: " + err + ")";
    try {
        dict.add_catalog(store);
    } catch (const std::exception& e) {
        log += std::string(" (catalog words: ") + e.what() + ")";
    }
}

}  // namespace

std::string KeyboardHost::init(const std::string& assets_dir, const KioskStore& store) {
    assets_dir_ = assets_dir;
    auto t0 = std::chrono::steady_clock::now();
    std::string log;
    load_vocabulary(dict, assets_dir, store, log);
    std::string err;
    conversion = anthy.init(&err);
    anthy.set_dictionary(&dict);
    kb.set_converter(conversion ? &anthy : nullptr);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char line[256];
    if (conversion)
        std::snprintf(line, sizeof line, "keyboard: kanji conversion by anthy %s, %zu kiosk words first (%.0f ms)",
                      AnthyConverter::version(), dict.size(), ms);
    else
        std::snprintf(line, sizeof line, "keyboard: NO kanji conversion, kana only: %s", err.c_str());
    return line + log;
}

void KeyboardHost::on_catalog_changed(const KioskStore& store) {
    std::string log;
    load_vocabulary(dict, assets_dir_, store, log);
}

}  // namespace kyodo::app
