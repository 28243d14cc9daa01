#include "app/model/checkin.h"

#include <cctype>
#include <cstring>

namespace kyodo::app {

void CheckinDesk::load(const KioskStore& store, const std::string& today) {
    activities = store.rosters(today, today);
    if (current()) return;
    activity_id = activities.empty() ? std::string() : activities.front().id;
}

const RosterActivity* CheckinDesk::current() const {
    for (const auto& a : activities)
        if (a.id == activity_id) return &a;
    return nullptr;
}

bool CheckinDesk::toggle(KioskStore& store, const std::string& kiosk_id, const std::string& centre_id,
                         const std::string& signup_id) {
    for (auto& a : activities)
        for (auto& s : a.signups) {
            if (s.signup_id != signup_id) continue;
            try {
                store.enqueue_attendance(signup_id, !s.attended, kiosk_id, centre_id);
            } catch (const std::exception& e) {
                error = e.what();
                return false;
            }
            error.clear();
            s.attended = !s.attended;   // shown at once; the store holds the same
            return true;
        }
    return false;
}

void CheckinDesk::press(char c) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 0 || !std::strchr(keys(), c)) return;
    if (shown_result) clear_typed();   // the next number starts afresh after a result
    if (typed.size() >= 8) return;
    typed += c;
}

void CheckinDesk::backspace() {
    shown_result = false;
    if (!typed.empty()) typed.pop_back();
}

std::string CheckinDesk::typed_display() const {
    return typed.size() > 4 ? typed.substr(0, 4) + "-" + typed.substr(4) : typed;
}

CheckinDesk::Typed CheckinDesk::tick_typed(KioskStore& store, const std::string& kiosk_id,
                                           const std::string& centre_id) {
    shown_result = true;
    last_receipt = typed_display();
    if (typed.size() != 8 || !current()) return last = Typed::Incomplete;
    std::optional<RosterSignup> row;
    try {
        row = store.roster_by_receipt(activity_id, typed);
    } catch (const std::exception& e) {
        error = e.what();
        return last = Typed::Failed;
    }
    if (!row) return last = Typed::NotFound;
    bool already = false;
    for (const auto& a : activities)
        for (const auto& s : a.signups)
            if (s.signup_id == row->signup_id) already = s.attended;
    if (already) return last = Typed::AlreadyTicked;
    if (!toggle(store, kiosk_id, centre_id, row->signup_id)) return last = Typed::Failed;
    return last = Typed::Ticked;
}

int CheckinDesk::expected() const {
    int n = 0;
    if (const RosterActivity* a = current())
        for (const auto& s : a->signups)
            if (s.status == "confirmed") n += s.party_size;
    return n;
}

int CheckinDesk::arrived() const {
    int n = 0;
    if (const RosterActivity* a = current())
        for (const auto& s : a->signups)
            if (s.attended) n += s.party_size;
    return n;
}

}  // namespace kyodo::app
