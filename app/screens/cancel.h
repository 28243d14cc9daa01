// 申し込みの確認・取り消し: a resident looks up a sign-up made at this kiosk with the receipt
// number and check code from the receipt, offline too (app/model/cancel_form.h), sees where it
// stands and may cancel it. Reached from the start screen's tile; the receipt that follows is
// the cancel record's. A booking of a slot that lost to another kiosk's (answered waitlisted at
// the last sync) says so here and offers the next free slot (booking_outcome).
#pragma once

#include <optional>

#include "app/model/booking_calendar.h"
#include "app/model/cancel_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class CancelView final : public View {
public:
    CancelForm cancel;
    // The sign-up found, seen as a booking of a slot (where it stands; when another booking
    // reached city hall first, the next free slot offered with one tap).
    std::optional<BookingOutcome> booking;

    void start(Shell& shell);
    void look_up(Shell& shell);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override {
        cancel.clear();
        booking.reset();
    }
    bool dirty() const override { return cancel.dirty(); }
    void preview(Shell& shell, Screen) override { start(shell); }
};

}  // namespace kyodo::app::screens
