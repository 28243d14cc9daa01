#include "server/bookings.h"

#include <cctype>
#include <stdexcept>

namespace kyodo::server {

bool is_booking_mark(const std::string& m) { return m == "lent" || m == "returned" || m == "held" || m == "no_show"; }

bool mark_may_follow(const std::string& current, const std::string& next) {
    if (next == "lent" || next == "held" || next == "no_show") return current.empty();
    if (next == "returned") return current == "lent";
    return false;
}

std::map<std::string, BookingMark> current_marks(const std::vector<BookingMark>& all) {
    std::map<std::string, BookingMark> out;
    for (const BookingMark& m : all)
        if (m.live()) out[m.signup_id] = m;   // in id order: the latest live one stays
    return out;
}

std::string check_window(const BookingWindow& w) {
    if (w.group_days < 0 || w.group_days > 365) return "group_days";
    if (w.all_days < 0 || w.all_days > w.group_days) return "all_days";
    const std::string& t = w.opens_at;
    const auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(t[i])) != 0; };
    if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return "opens_at";
    if (std::stoi(t.substr(0, 2)) > 23 || std::stoi(t.substr(3, 2)) > 59) return "opens_at";
    return "";
}

std::vector<std::pair<std::string, std::string>> window_settings(const BookingWindow& w) {
    return {{"group_days", std::to_string(w.group_days)}, {"all_days", std::to_string(w.all_days)}, {"opens_at", w.opens_at},
            {"updated_by", w.updated_by}, {"updated_at", w.updated_at}};
}

void apply_window_setting(BookingWindow& w, const std::string& k, const std::string& v) {
    try {
        if (k == "group_days") w.group_days = std::stoi(v);
        if (k == "all_days") w.all_days = std::stoi(v);
    } catch (const std::exception&) {
        // a broken row keeps the default
    }
    if (k == "opens_at") w.opens_at = v;
    if (k == "updated_by") w.updated_by = v;
    if (k == "updated_at") w.updated_at = v;
}

}  // namespace kyodo::server
