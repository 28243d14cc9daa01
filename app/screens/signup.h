// The step-by-step sign-up: one question a screen (name, reading, contact, party, review).
#pragma once

#include "app/model/forms.h"
#include "app/model/signup_wizard.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class SignUpView final : public View {
public:
    SignUpForm signup;
    SignUpWizard signup_steps;

    // For `a` (the form is kept when it is the same activity as before).
    void start(Shell& shell, const Activity& a);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override {
        signup.clear();
        signup.activity_id.clear();
        signup_steps.reset();
    }
    bool dirty() const override { return signup.dirty(); }
    int page() const override { return signup_steps.index(); }
    void preview(Shell& shell, Screen) override;
};

}  // namespace kyodo::app::screens
