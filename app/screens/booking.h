// 部屋・機器を借りる and 協働相談の予約 (issue 11 points 3 and 5; docs/lending.md): one view for
// both screens (Screen::Booking, Screen::Consult), step by step by touch over BookingForm
// (app/model/booking_form.h): a resource (or a topic first), a week calendar of its slots
// (slot_calendar.h), the group's registration number, the person in charge (the sign-up's own
// steps, person_steps.h), purpose, review, then the receipt. Works offline: the booking waits in
// the outbox and the slot shows as 仮予約 at this kiosk.
#pragma once

#include <string>
#include <vector>

#include "app/model/booking_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class BookingView final : public View {
public:
    BookingForm booking;
    std::vector<Organization> directory;   // the approved groups this kiosk holds (registration numbers)
    HeldSlots held;                        // this kiosk's own bookings, by slot
    // "YYYY-MM-DDTHH:MM" for tests and screenshots; empty: the shell's today at 09:00 when it
    // has an override, else Japan's clock.
    std::string now_override;

    void start(Shell& shell, BookingMode mode);
    // A new booking of `slot` (the next free one offered after a lost booking) for `group`.
    void start_for(Shell& shell, const Activity& slot, const std::string& group);
    void submit(Shell& shell);
    std::string now(const Shell& shell) const;

    void draw(Shell& shell) override;
    void reset() override { booking = BookingForm{}; }
    bool dirty() const override { return booking.dirty(); }
    int page() const override { return static_cast<int>(booking.step); }
    void on_catalog_changed(Shell& shell) override;
    void preview(Shell& shell, Screen screen) override;

    // The slots this kiosk holds (every centre), this kiosk's centre's resources first.
    static std::vector<Activity> load_slots(Shell& shell);

private:
    void refresh(Shell& shell);   // directory and this kiosk's bookings
};

}  // namespace kyodo::app::screens
