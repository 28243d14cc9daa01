// Screen navigation: a stack of screens, plus the names used on the command line
// (--screen NAME). Plain data; no ImGui.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kyodo::app {

enum class Screen {
    Start, Listings, Detail, SignUp, Opinion, Receipt,
    Survey, PublicComment, Proposal, Organizations, Organization,
    Talent,   // 人材バンク: register what you can offer, or leave the bank
    Groups,   // 団体の利用登録: a group applies, or looks up its registration number
    Cancel,   // cancel a sign-up made at this kiosk (receipt number + check code)
    Booking,  // 部屋・機器を借りる: book a slot of a room or a piece of equipment
    Consult,  // 協働相談の予約: book a consultation slot
};

const char* screen_name(Screen s);                          // "listings"
std::optional<Screen> screen_from_name(std::string_view s); // nullopt when unknown
const std::vector<Screen>& all_screens();

class Navigator {
public:
    Screen current() const { return stack_.back(); }
    std::size_t depth() const { return stack_.size(); }
    bool can_go_back() const { return stack_.size() > 1; }
    void push(Screen s);
    void back();
    // Back to the start screen with nothing underneath (idle reset, "finish").
    void reset();
    // After a submit: the receipt replaces the form so "back" cannot reopen it.
    void replace(Screen s);

private:
    std::vector<Screen> stack_{Screen::Start};
};

}  // namespace kyodo::app
