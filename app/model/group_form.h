// Group registration (利用登録, issue 11 point 2; docs/groups.md): a group applies at the kiosk,
// step by step by touch — the group (name, reading, kind from core/groups.h, fields, members,
// home centre, a short description), then its representative (name, reading, phone or
// e-mail, sealed for city hall like a sign-up's) and consent; a review; the receipt (the
// application's receipt number and check code). Centre staff decide at city hall; an approved
// group's registration number reaches every kiosk with the catalog, and the short "look up"
// form finds it by the application's receipt number.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/model/forms.h"
#include "core/types.h"

namespace kyodo::app {

enum class GroupStep { About, Representative, Review, Lookup };

struct GroupForm {
    GroupStep step = GroupStep::About;
    std::string name, kana, kind, members, centre_id, description;
    std::vector<std::string> fields;
    std::string rep_name, rep_furigana, phone, email;
    bool consent = false;
    // Looking up the registration number by the application's receipt number.
    std::string l_receipt;
    bool looked_up = false;
    std::optional<Organization> found;

    FieldErrors errors;
    SubmitResult last;

    void clear();
    bool dirty() const;
    int index() const;                     // 0..2 for the progress bar
    static constexpr int kSteps = 3;

    bool check_step();
    bool next();
    void back();

    Personal personal() const;
    Record record() const;                 // payload only: envelope and seal come at submit
    bool validate();
    SubmitResult submit(const SubmitContext& ctx);
    // The directory entry (from the catalog) whose application has this receipt number.
    void lookup(const std::vector<Organization>& orgs);
    static std::string field_of(const std::string& validation_path);
};

}  // namespace kyodo::app
