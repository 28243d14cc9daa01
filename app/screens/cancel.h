// 申し込みの取り消し: a resident cancels a sign-up made at this kiosk with the receipt number
// and check code from the receipt, offline too (app/model/cancel_form.h). Reached from the
// start screen's tile; the confirmation shows what will be cancelled; the receipt that
// follows is the cancel record's.
#pragma once

#include "app/model/cancel_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class CancelView final : public View {
public:
    CancelForm cancel;

    void start(Shell& shell);
    void look_up(Shell& shell);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { cancel.clear(); }
    bool dirty() const override { return cancel.dirty(); }
    void preview(Shell& shell, Screen) override { start(shell); }
};

}  // namespace kyodo::app::screens
