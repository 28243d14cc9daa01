// The on-screen keyboard with everything it needs, as one member of the kiosk: the keyboard
// state, the anthy converter and the kiosk's own vocabulary (terms + catalog names).
// Not copyable: the keyboard points at the converter, the converter at the dictionary.
#pragma once

#include <string>

#include "app/model/anthy_converter.h"
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
    bool conversion = false;   // anthy started: kanji conversion offered

    KeyboardHost() = default;
    KeyboardHost(const KeyboardHost&) = delete;
    KeyboardHost& operator=(const KeyboardHost&) = delete;

    // Reads <assets>/dictionary/kyodo_terms.json and the catalog's readings, starts anthy.
    // Never fails: without anthy the keyboard types kana only. Returns a line for the log
    // (staff read it when conversion is missing).
    std::string init(const std::string& assets_dir, const KioskStore& store);
    // New catalog: its names become candidates.
    void on_catalog_changed(const KioskStore& store);
    // Idle reset / new resident: nothing typed stays.
    void reset() { kb.reset(); }

private:
    std::string assets_dir_;
};

}  // namespace kyodo::app
