#include "app/model/keyboard_host.h"

#include <chrono>
#include <cstdio>

#include "core/store.h"

namespace kyodo::app {

namespace {

void load_vocabulary(UserDictionary& dict, const std::string& assets_dir, const KioskStore* store,
                     std::string& log) {
    dict.clear();
    std::string err;
    // Terms first: they win over a catalog entry with the same reading.
    if (!dict.load_terms_file(assets_dir + "/dictionary/kyodo_terms.json", &err)) log += " (terms: " + err + ")";
    if (!store) return;
    try {
        dict.add_catalog(*store);
    } catch (const std::exception& e) {
        log += std::string(" (catalog words: ") + e.what() + ")";
    }
}

}  // namespace

void KeyboardHost::configure(const std::string& assets_dir, const KioskStore* store) {
    assets_dir_ = assets_dir;
    store_ = store;
}

bool KeyboardHost::ensure_started() {
    if (started_) return false;
    started_ = true;
    auto t0 = std::chrono::steady_clock::now();
    std::string notes;
    load_vocabulary(dict, assets_dir_, store_, notes);
    std::string cerr;
    if (!common.load_file(common_words_path, &cerr)) notes += " (common words: " + cerr + "; anthy's order)";
    std::string err;
    conversion = anthy.init(&err);
    anthy.set_dictionary(&dict);
    anthy.set_common_words(&common);
    kb.set_converter(conversion ? &anthy : nullptr);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char line[300];
    if (conversion)
        std::snprintf(line, sizeof line,
                      "keyboard: kanji conversion by anthy %s, %zu kiosk words first, then %zu common readings by "
                      "frequency (started in %.0f ms)",
                      AnthyConverter::version(), dict.size(), common.size(), ms);
    else
        std::snprintf(line, sizeof line, "keyboard: NO kanji conversion, kana only: %s", err.c_str());
    log_ = line + notes;
    return true;
}

std::string KeyboardHost::init(const std::string& assets_dir, const KioskStore& store) {
    configure(assets_dir, &store);
    ensure_started();
    return log_;
}

void KeyboardHost::on_catalog_changed() {
    if (!started_) return;
    std::string notes;
    load_vocabulary(dict, assets_dir_, store_, notes);
}

}  // namespace kyodo::app
