#include "app/model/signup_wizard.h"

#include <string>

namespace kyodo::app {

std::vector<const char*> SignUpWizard::fields_of(SignUpStep s) {
    switch (s) {
        case SignUpStep::Name: return {"name"};
        case SignUpStep::Furigana: return {"furigana"};
        case SignUpStep::Contact: return {"phone", "email", "contact"};
        case SignUpStep::Party: return {"party_size", "note"};
        case SignUpStep::Review: return {};
    }
    return {};
}

bool SignUpWizard::next(SignUpForm& form) {
    if (step == SignUpStep::Review) return false;
    form.validate();
    FieldErrors mine;
    for (const char* f : fields_of(step)) {
        auto it = form.errors.find(f);
        if (it != form.errors.end()) mine[f] = it->second;
    }
    form.errors = mine;
    form.last = {};
    if (!mine.empty()) return false;
    step = static_cast<SignUpStep>(index() + 1);
    return true;
}

bool SignUpWizard::back() {
    if (step == SignUpStep::Name) return false;
    step = static_cast<SignUpStep>(index() - 1);
    return true;
}

}  // namespace kyodo::app
