// The talent bank's vocabulary (人材バンク, issue 11): what a resident can offer (kinds of help,
// crossed with the 分野 of core/types.h standard_fields()), when, and how city hall may reach
// them. Drawn from the seeds: seed 001 asks for 「専門的な知識やノウハウを持った地域の人材の
// 登録・紹介」 and names 講師 (生涯学習の講師登録), 広報活動, 会計処理・経理, 労務管理; seed 002
// 「ボランティア等の人材バンク」; seed 004 「人材派遣・紹介のコーディネート」.
//
// Codes travel in records and SQL; the kiosk's labels are string-table text
// ("talent.help.<code>", "talent.time.<code>" in assets/i18n/{ja,en,easy_ja}.json); the
// Japanese labels here are for the server's dashboard and CSV.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kyodo::talent {

struct Term {
    const char* code;
    const char* ja;
};

// Kinds of help (講師, 通訳, IT, 写真, 調理, 力仕事 …), in display order.
const std::vector<Term>& help_kinds();
// When a resident can help: weekday / weekend × morning / afternoon / evening.
const std::vector<Term>& time_slots();
// How city hall may contact them.
const std::vector<Term>& contact_ways();

bool is_help_kind(std::string_view code);
bool is_time_slot(std::string_view code);
bool is_contact_way(std::string_view code);
// The Japanese label of a help kind / time slot / contact way, or the code itself.
std::string label_ja(std::string_view code);

// The area a registration may give instead of a centre id: anywhere in the city.
inline constexpr const char* kAnyArea = "citywide";

}  // namespace kyodo::talent
