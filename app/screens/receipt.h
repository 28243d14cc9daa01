// The receipt after any submission: its number, a check code, and the personal data that
// hides after a while (PrivacyTimer).
#pragma once

#include <optional>

#include "app/model/idle_session.h"
#include "app/ui/view.h"
#include "core/store.h"

namespace kyodo::app::screens {

class ReceiptView final : public View {
public:
    explicit ReceiptView(double private_s) : privacy(private_s) {}

    RecordKind kind = RecordKind::SignUp;
    Receipt receipt;
    PrivacyTimer privacy;

    // Replaces the form on the navigation stack (back cannot reopen it).
    // confirmed: a sign-up confirmed on the spot under the kiosk's lease (the receipt says 参加確定).
    // `activity_id` (a sign-up): the receipt names the activity, its date and place, carries a QR
    // code to the sign-up's status page on a phone, and offers the activity's survey.
    void show(Shell& shell, RecordKind k, const Receipt& r, bool confirmed = false,
              const std::string& activity_id = "");
    // A booking of a slot (a sign-up): 仮予約 until city hall answers (booking.cpp).
    void show_booking(Shell& shell, const Receipt& r, bool consultation);
    bool confirmed_on_spot = false;
    bool booking = false, consultation = false;
    std::optional<Activity> activity;   // what was signed up for (from this kiosk's catalog)

    void draw(Shell& shell) override;
    void reset() override {
        receipt = {};
        confirmed_on_spot = false;
        booking = consultation = false;
        activity.reset();
        privacy.clear();
        hidden_drawn_ = false;
        side_key_.clear();
    }
    bool tick(Shell& shell, double now) override;
    double wake_in(double now) const override { return privacy.until_hidden(now); }
    void preview(Shell& shell, Screen) override;

private:
    void activity_card(Shell& shell, float width, bool tight);
    bool hidden_drawn_ = false;   // the frame after the data hid was asked for
    // Side by side (a wide window) is drawn while it was last measured to fit for this
    // receipt, window width, text size, language and furigana (side_key_); else stacked.
    std::string side_key_;
    bool side_fits_ = true;
};

}  // namespace kyodo::app::screens
