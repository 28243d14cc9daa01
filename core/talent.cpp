#include "core/talent.h"

#include <algorithm>

#include "core/vocabulary.h"

namespace kyodo::talent {

namespace {
// Codes in display order; the Japanese label of each from the shared vocabulary.
std::vector<Term> terms(const char* prefix, std::initializer_list<const char*> codes) {
    std::vector<Term> out;
    for (const char* c : codes) out.push_back({c, vocab_label("ja", std::string(prefix) + c).c_str()});
    return out;
}
}  // namespace

const std::vector<Term>& help_kinds() {
    static const std::vector<Term> v = terms("talent.help.", {"teaching", "interpreting", "it", "photo", "cooking",
                                                             "manual", "publicity", "accounting", "labour", "care",
                                                             "childcare", "music", "driving", "disaster"});
    return v;
}

const std::vector<Term>& time_slots() {
    static const std::vector<Term> v = terms("talent.time.", {"weekday_am", "weekday_pm", "weekday_eve",
                                                             "weekend_am", "weekend_pm", "weekend_eve"});
    return v;
}

const std::vector<Term>& contact_ways() {
    static const std::vector<Term> v = terms("talent.by.", {"phone", "email", "either"});
    return v;
}

namespace {
bool in(const std::vector<Term>& v, std::string_view code) {
    return std::any_of(v.begin(), v.end(), [&](const Term& t) { return code == t.code; });
}
}  // namespace

bool is_help_kind(std::string_view code) { return in(help_kinds(), code); }
bool is_time_slot(std::string_view code) { return in(time_slots(), code); }
bool is_contact_way(std::string_view code) { return in(contact_ways(), code); }

std::string label_ja(std::string_view code) {
    for (const auto* v : {&help_kinds(), &time_slots(), &contact_ways()})
        for (const Term& t : *v)
            if (code == t.code) return t.ja;
    if (code == kAnyArea) return vocab_label("ja", "talent.area.citywide");
    return std::string(code);
}

}  // namespace kyodo::talent
