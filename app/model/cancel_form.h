// Cancelling a sign-up at the kiosk (issue 10, point 3): the resident types the receipt
// number and check code printed on their receipt; the kiosk finds the sign-up among those it
// holds (offline too), shows what will be cancelled, and on confirmation queues a cancel
// record (KioskStore::enqueue_cancel) that reaches city hall with the outbox, exactly once
// and after its sign-up. Plain data, no ImGui: tests drive it without a GPU.
#pragma once

#include <optional>
#include <string>

#include "app/model/forms.h"
#include "core/store.h"

namespace kyodo::app {

struct CancelForm {
    enum class Step { Enter, Confirm };

    std::string receipt;                  // as typed ("7kq3m9tx", "7KQ3-M9TX" …)
    std::string check_code;               // 4 digits
    Step step = Step::Enter;
    std::optional<OutboxEntry> signup;    // found and checked (Step::Confirm)
    CancelCheck checked = CancelCheck::Ok;
    bool tried = false;                   // look_up() ran since the last edit: show `checked`
    SubmitResult last;                    // the last submission (receipt or store error)

    void clear();
    bool dirty() const { return !receipt.empty() || !check_code.empty(); }
    // Looks the receipt up in ctx.store and checks the code. Ok: moves to Step::Confirm.
    CancelCheck look_up(const SubmitContext& ctx);
    // Queues the cancel record (Step::Confirm only); ok(): the receipt is the cancel's.
    SubmitResult submit(const SubmitContext& ctx);
};

}  // namespace kyodo::app
