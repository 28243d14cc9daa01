#include "core/talent.h"

#include <algorithm>

namespace kyodo::talent {

const std::vector<Term>& help_kinds() {
    static const std::vector<Term> v{
        {"teaching", "講師・学習支援"},     {"interpreting", "通訳・翻訳"},   {"it", "IT・パソコン・スマホ"},
        {"photo", "写真・映像"},            {"cooking", "調理"},              {"manual", "力仕事"},
        {"publicity", "広報・デザイン"},    {"accounting", "会計・経理"},     {"labour", "労務・法律の相談"},
        {"care", "介護・見守り"},           {"childcare", "子どもの見守り"},  {"music", "音楽・演奏"},
        {"driving", "運転"},                {"disaster", "防災・救命"},
    };
    return v;
}

const std::vector<Term>& time_slots() {
    static const std::vector<Term> v{
        {"weekday_am", "平日 午前"}, {"weekday_pm", "平日 午後"}, {"weekday_eve", "平日 夜"},
        {"weekend_am", "土日祝 午前"}, {"weekend_pm", "土日祝 午後"}, {"weekend_eve", "土日祝 夜"},
    };
    return v;
}

const std::vector<Term>& contact_ways() {
    static const std::vector<Term> v{{"phone", "電話"}, {"email", "メール"}, {"either", "電話かメール"}};
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
    if (code == kAnyArea) return "市内どこでも";
    return std::string(code);
}

}  // namespace kyodo::talent
