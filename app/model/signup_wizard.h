// The step-by-step sign-up: one question a screen (name → フリガナ → phone or e-mail →
// party size), a review screen, then the receipt. A thin layer over SignUpForm: the form
// keeps the values and does the validation and submission; the wizard only knows which
// step is showing and which of the form's fields belong to it.
#pragma once

#include <vector>

#include "app/model/forms.h"

namespace kyodo::app {

enum class SignUpStep { Name, Furigana, Contact, Party, Review };

struct SignUpWizard {
    SignUpStep step = SignUpStep::Name;

    static constexpr int kSteps = 5;
    int index() const { return static_cast<int>(step); }   // 0-based, for "2 / 5"
    // The form fields asked on a step ("name"; "phone" and "email" together …).
    static std::vector<const char*> fields_of(SignUpStep s);

    void reset() { step = SignUpStep::Name; }
    // Validates the form and keeps only this step's errors; moves on when there are none.
    bool next(SignUpForm& form);
    // One step back; false on the first step (the screen then leaves the wizard).
    bool back();
    // From the review screen: jump to a step to change an answer.
    void edit(SignUpStep s) { step = s; }
};

}  // namespace kyodo::app
