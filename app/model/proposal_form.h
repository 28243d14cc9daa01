// The proposal form (市民提案型協働事業の提案): title, summary, fields (分野), the group's
// name, the city department they would like to work with, and who to contact (name and
// phone or e-mail, sealed for city hall). Form → review → receipt.
#pragma once

#include <string>
#include <vector>

#include "app/model/forms.h"

namespace kyodo::app {

struct ProposalForm {
    std::string call_id;             // the call for proposals it answers ("" = free proposal)
    std::string call_title;
    std::vector<std::string> departments;   // partner departments offered by the call
    // What the call asks for, as the dashboard publishes it in the call's `extra` (docs/catalog.md,
    // "A call for proposals"): its themes in order, the deadline (ISO date or date-time), the
    // most one project gets (yen, -1 = not said) and a note on the amount.
    std::vector<std::string> call_themes;
    std::string call_deadline;
    long long call_max_amount_yen = -1;
    std::string call_amount_note;
    // The deadline has passed by `today` (YYYY-MM-DD): the kiosk says so (a proposal is still
    // taken: the office decides what to do with a late one).
    bool call_closed(const std::string& today) const;

    std::string title, summary, group_name, partner_department;
    std::vector<std::string> fields;        // 分野 chosen (max 10)
    std::string name, phone, email;
    bool review = false;             // showing the review screen

    FieldErrors errors;
    SubmitResult last;

    void start_for(const Activity* call);   // binds to a call (its departments), or none
    void clear();
    bool dirty() const;
    void toggle_field(const std::string& f);
    bool has_field(const std::string& f) const;
    bool to_review();                // validates → review
    Personal personal() const;
    Record record() const;
    bool validate();
    SubmitResult submit(const SubmitContext& ctx);
};

// 500000 → "500,000" (yen on screens and in texts).
std::string digits_grouped(long long n);

}  // namespace kyodo::app
