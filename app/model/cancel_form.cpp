#include "app/model/cancel_form.h"

namespace kyodo::app {

void CancelForm::clear() {
    receipt.clear();
    check_code.clear();
    step = Step::Enter;
    signup.reset();
    checked = CancelCheck::Ok;
    tried = false;
    last = {};
}

CancelCheck CancelForm::look_up(const SubmitContext& ctx) {
    tried = true;
    signup.reset();
    if (!ctx.store) {
        checked = CancelCheck::UnknownReceipt;
        return checked;
    }
    std::optional<OutboxEntry> e = ctx.store->signup_by_receipt(receipt);
    checked = check_cancel(e, check_code);
    if (checked == CancelCheck::Ok) {
        signup = std::move(e);
        step = Step::Confirm;
    }
    return checked;
}

SubmitResult CancelForm::submit(const SubmitContext& ctx) {
    last = {};
    if (step != Step::Confirm || !signup || !ctx.store) {
        last.error = SubmitError::Invalid;
        last.detail = "nothing to cancel";
        return last;
    }
    // Checked again at the moment of queuing: another resident's tap or a sync may have
    // changed it since the confirmation page opened.
    std::optional<OutboxEntry> now = ctx.store->outbox_entry(signup->record.id);
    checked = check_cancel(now, check_code);
    if (checked != CancelCheck::Ok) {
        tried = true;
        step = Step::Enter;
        signup.reset();
        last.error = SubmitError::Invalid;
        last.detail = to_code(checked);
        return last;
    }
    try {
        last.receipt = ctx.store->enqueue_cancel(*now, check_code, ctx.kiosk_id, ctx.centre_id);
    } catch (const StoreError& e) {
        last.error = e.disk_full() ? SubmitError::DiskFull : SubmitError::Store;
        last.detail = e.what();
    } catch (const std::exception& e) {
        last.error = SubmitError::Store;
        last.detail = e.what();
    }
    return last;
}

}  // namespace kyodo::app
