#include "app/model/nav.h"

namespace kyodo::app {

namespace {
struct Named {
    Screen screen;
    const char* name;
};
constexpr Named kNames[] = {
    {Screen::Start, "start"},   {Screen::Listings, "listings"}, {Screen::Detail, "detail"},
    {Screen::SignUp, "signup"}, {Screen::Opinion, "opinion"},   {Screen::Receipt, "receipt"},
    {Screen::Survey, "survey"}, {Screen::PublicComment, "comment"}, {Screen::Proposal, "proposal"},
    {Screen::Organizations, "organizations"}, {Screen::Organization, "organization"},
    {Screen::Talent, "talent"}, {Screen::Groups, "groups"},
    {Screen::Cancel, "cancel"},
    {Screen::Booking, "booking"}, {Screen::Consult, "consult"},
};
}  // namespace

const char* screen_name(Screen s) {
    for (const auto& n : kNames)
        if (n.screen == s) return n.name;
    return "start";
}

std::optional<Screen> screen_from_name(std::string_view s) {
    for (const auto& n : kNames)
        if (s == n.name) return n.screen;
    return std::nullopt;
}

const std::vector<Screen>& all_screens() {
    static const std::vector<Screen> v = [] {
        std::vector<Screen> out;
        for (const auto& n : kNames) out.push_back(n.screen);
        return out;
    }();
    return v;
}

void Navigator::push(Screen s) {
    if (stack_.back() != s) stack_.push_back(s);
}

void Navigator::back() {
    if (stack_.size() > 1) stack_.pop_back();
}

void Navigator::reset() { stack_.assign(1, Screen::Start); }

void Navigator::replace(Screen s) {
    if (stack_.size() > 1)
        stack_.back() = s;
    else
        stack_.push_back(s);
}

}  // namespace kyodo::app
