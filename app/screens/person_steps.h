// The sign-up's person steps — name, reading, phone or e-mail (with consent to e-mail
// notices) — and their review rows, drawn for every form that asks them: the step-by-step
// sign-up (signup.cpp) and a booking of a slot (booking.cpp), which is a sign-up too. The
// values and checks are SignUpForm's; the step is SignUpWizard's.
#pragma once

#include "app/model/forms.h"
#include "app/model/signup_wizard.h"
#include "app/ui/shell.h"

namespace kyodo::app::screens {

// The question and the fields of a person step (Name, Furigana or Contact) across `w`.
void person_step(Shell& app, SignUpForm& F, SignUpStep step, float w, bool narrow);
// The review rows of the person's answers; the step a "change" button asks for, or Review.
SignUpStep person_review(const Shell& app, const SignUpForm& F, float w);

}  // namespace kyodo::app::screens
