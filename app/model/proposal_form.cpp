#include "app/model/proposal_form.h"

#include <algorithm>

#include "core/utf8.h"

namespace kyodo::app {

void ProposalForm::start_for(const Activity* call) {
    clear();
    if (!call) return;
    call_id = call->id;
    call_title = call->title;
    auto it = call->extra.find("partner_departments");
    if (it != call->extra.end() && it->is_array())
        for (const Json& d : *it)
            if (d.is_string()) departments.push_back(d.get<std::string>());
    // Anything of another type (an older dashboard, a hand-edited catalog) is left out, not shown wrong.
    auto themes = call->extra.find("themes");
    if (themes != call->extra.end() && themes->is_array())
        for (const Json& t : *themes)
            if (t.is_string() && !t.get<std::string>().empty()) call_themes.push_back(t.get<std::string>());
    auto deadline = call->extra.find("deadline");
    if (deadline != call->extra.end() && deadline->is_string()) call_deadline = deadline->get<std::string>();
    auto amount = call->extra.find("max_amount_yen");
    if (amount != call->extra.end() && amount->is_number_integer() && amount->get<long long>() >= 0)
        call_max_amount_yen = amount->get<long long>();
    auto note = call->extra.find("amount_note");
    if (note != call->extra.end() && note->is_string()) call_amount_note = note->get<std::string>();
}

bool ProposalForm::call_closed(const std::string& today) const {
    return !call_deadline.empty() && today.size() == 10 && call_deadline.substr(0, 10) < today;
}

std::string digits_grouped(long long n) {
    const bool negative = n < 0;
    std::string d = std::to_string(negative ? -n : n), out;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i > 0 && (d.size() - i) % 3 == 0) out += ',';
        out += d[i];
    }
    return negative ? "-" + out : out;
}

void ProposalForm::clear() {
    call_id.clear();
    call_title.clear();
    departments.clear();
    call_themes.clear();
    call_deadline.clear();
    call_max_amount_yen = -1;
    call_amount_note.clear();
    title.clear();
    summary.clear();
    group_name.clear();
    partner_department.clear();
    fields.clear();
    name.clear();
    phone.clear();
    email.clear();
    review = false;
    errors.clear();
    last = {};
}

bool ProposalForm::dirty() const {
    return !title.empty() || !summary.empty() || !group_name.empty() || !partner_department.empty() ||
           !fields.empty() || !name.empty() || !phone.empty() || !email.empty();
}

void ProposalForm::toggle_field(const std::string& f) {
    auto it = std::find(fields.begin(), fields.end(), f);
    if (it != fields.end()) fields.erase(it);
    else if (fields.size() < 10) fields.push_back(f);
}

bool ProposalForm::has_field(const std::string& f) const {
    return std::find(fields.begin(), fields.end(), f) != fields.end();
}

bool ProposalForm::to_review() {
    review = validate();
    return review;
}

Personal ProposalForm::personal() const { return Personal{name, "", phone, email}; }

Record ProposalForm::record() const {
    Record r;
    r.kind = RecordKind::Proposal;
    r.payload = Json{{"title", title},           {"summary", summary},
                     {"fields", fields},         {"group_name", group_name},
                     {"partner_department", partner_department}};
    if (!call_id.empty()) r.payload["call_id"] = call_id;   // the call it answers: city hall reviews it against that call
    return r;
}

bool ProposalForm::validate() {
    errors.clear();
    Validation v = validate_personal(RecordKind::Proposal, personal());
    for (const auto& e : v.errors) {
        std::string f = form_field_of(e.field);
        if (!errors.count(f)) errors[f] = e.code;
    }
    // The payload's rules, field by field (the same limits validate_record applies).
    auto text = [&](const char* key, const std::string& s, std::size_t min, std::size_t max) {
        if (s.empty() && min > 0) errors[key] = "required";
        else if (!is_valid_utf8(s)) errors[key] = "invalid_utf8";
        else if (utf8::length(s) > max) errors[key] = "too_long";
    };
    text("title", title, 1, 100);
    text("summary", summary, 1, 4000);
    text("group_name", group_name, 0, 100);
    text("partner_department", partner_department, 0, 60);
    return errors.empty();
}

SubmitResult ProposalForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        review = false;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

}  // namespace kyodo::app
