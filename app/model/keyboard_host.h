// The on-screen keyboard with everything it needs, as one member of the kiosk: the keyboard
// state, the anthy converter and the kiosk's own vocabulary (terms + catalog names).
// anthy and the vocabulary start on the first use of the keyboard, not at kiosk start-up
// (the start-up bar in DESIGN.md). Not copyable: the keyboard points at the converter, the
// converter at the dictionary.
#pragma once

#include <string>

#include "app/model/anthy_converter.h"
#include "app/model/common_words.h"
#include "app/model/kana_keyboard.h"
#include "app/model/user_dictionary.h"

namespace kyodo {
class KioskStore;
}

namespace kyodo::app {

struct KeyboardHost {
    KanaKeyboard kb;
    AnthyConverter anthy;
    UserDictionary dict;
    CommonWords common;        // most frequent word per reading (Debian skkdic), read at start
    bool conversion = false;   // anthy started: kanji conversion offered

    KeyboardHost() = default;
    KeyboardHost(const KeyboardHost&) = delete;
    KeyboardHost& operator=(const KeyboardHost&) = delete;

    // Where the terms file and the catalog are; cheap (nothing starts yet).
    void configure(const std::string& assets_dir, const KioskStore* store);
    // Reads <assets>/dictionary/kyodo_terms.json, the catalog's readings and the common words
    // (CommonWords::kDebianPath, or `common_words_path` when set) and starts anthy,
    // the first time only. Never fails: without anthy the keyboard types kana only. True
    // when it just started; log_line() then says how (staff read it when conversion is
    // missing).
    bool ensure_started();
    bool started() const { return started_; }
    const std::string& log_line() const { return log_; }
    // configure + ensure_started; returns the log line.
    std::string init(const std::string& assets_dir, const KioskStore& store);
    // New catalog: its names become candidates (if the keyboard has started).
    void on_catalog_changed();
    // Idle reset / new resident: nothing typed stays.
    void reset() { kb.reset(); }

    // Another frequency-ordered SKK dictionary (tests); before the first use.
    std::string common_words_path = CommonWords::kDebianPath;

private:
    std::string assets_dir_;
    const KioskStore* store_ = nullptr;
    bool started_ = false;
    std::string log_;
};

}  // namespace kyodo::app
