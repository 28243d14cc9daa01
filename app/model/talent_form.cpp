#include "app/model/talent_form.h"

#include <algorithm>
#include <cctype>

#include "core/talent.h"
#include "core/utf8.h"

namespace kyodo::app {

void TalentForm::clear() { *this = TalentForm{}; }

bool TalentForm::dirty() const {
    return !help.empty() || !fields.empty() || !areas.empty() || !times.empty() || !note.empty() || !name.empty() ||
           !furigana.empty() || !phone.empty() || !email.empty() || consent || !w_receipt.empty() || !w_check.empty();
}

void TalentForm::toggle(std::vector<std::string>& v, const std::string& code, std::size_t max) {
    auto it = std::find(v.begin(), v.end(), code);
    if (it != v.end()) v.erase(it);
    else if (v.size() < max) v.push_back(code);
}

bool TalentForm::has(const std::vector<std::string>& v, const std::string& code) {
    return std::find(v.begin(), v.end(), code) != v.end();
}

int TalentForm::index() const {
    switch (step) {
        case TalentStep::Help: return 0;
        case TalentStep::When: return 1;
        case TalentStep::Contact: return 2;
        default: return 3;
    }
}

Personal TalentForm::personal() const { return Personal{name, furigana, phone, email}; }

Record TalentForm::record() const {
    Record r;
    r.kind = RecordKind::Talent;
    r.payload = Json{{"help", help},   {"fields", fields},         {"areas", areas},      {"times", times},
                     {"note", note},   {"contact_by", contact_by}, {"consent", consent}};
    return r;
}

std::string normalise_receipt(const std::string& typed) {
    std::string s;
    for (char c : typed)
        if (std::isalnum(static_cast<unsigned char>(c))) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s.size() == 8) s.insert(4, "-");
    return s;
}

Record TalentForm::withdrawal_record() const {
    Record r;
    r.kind = RecordKind::TalentWithdrawal;
    r.payload = Json{{"receipt", normalise_receipt(w_receipt)}, {"check_code", w_check}};
    return r;
}

bool TalentForm::check_step() {
    errors.clear();
    switch (step) {
        case TalentStep::Help:
            if (help.empty()) errors["help"] = "required";
            if (utf8::length(note) > 300) errors["note"] = "too_long";
            break;
        case TalentStep::When:
            if (areas.empty()) errors["areas"] = "required";
            if (times.empty()) errors["times"] = "required";
            break;
        case TalentStep::Contact: {
            Validation v = validate_personal(RecordKind::Talent, personal());
            for (const auto& e : v.errors) {
                std::string f = form_field_of(e.field);
                if (!errors.count(f)) errors[f] = e.code;
            }
            if (!consent) errors["consent"] = "required";
            break;
        }
        case TalentStep::Review: return validate();
        case TalentStep::Withdraw: {
            Record r = withdrawal_record();
            const std::string rc = r.payload["receipt"].get<std::string>();
            if (w_receipt.empty()) errors["receipt"] = "required";
            else if (rc.size() != 9) errors["receipt"] = "bad_format";
            if (w_check.empty()) errors["check_code"] = "required";
            else if (w_check.size() != 4 || w_check.find_first_not_of("0123456789") != std::string::npos)
                errors["check_code"] = "bad_format";
            break;
        }
    }
    return errors.empty();
}

bool TalentForm::next() {
    if (!check_step()) return false;
    switch (step) {
        case TalentStep::Help: step = TalentStep::When; break;
        case TalentStep::When: step = TalentStep::Contact; break;
        case TalentStep::Contact: step = TalentStep::Review; break;
        default: break;
    }
    return true;
}

void TalentForm::back() {
    errors.clear();
    switch (step) {
        case TalentStep::When: step = TalentStep::Help; break;
        case TalentStep::Contact: step = TalentStep::When; break;
        case TalentStep::Review: step = TalentStep::Contact; break;
        case TalentStep::Withdraw: step = TalentStep::Help; break;
        default: break;
    }
}

bool TalentForm::validate() {
    errors.clear();
    Record r = record();
    // The envelope is filled at submit; validate the payload and the person as the server will.
    r.id = "00000000-0000-7000-8000-000000000000";
    r.created_at = "2026-01-01T00:00:00Z";
    r.kiosk_id = "k";
    r.centre_id = "c";
    Personal p = personal();
    Validation v = validate_record(r, &p);
    for (const auto& e : v.errors) {
        std::string f = form_field_of(e.field);
        auto br = f.find('[');
        if (br != std::string::npos) f = f.substr(0, br);
        if (!errors.count(f)) errors[f] = e.code;
    }
    return errors.empty();
}

SubmitResult TalentForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

SubmitResult TalentForm::submit_withdrawal(const SubmitContext& ctx) {
    if (!check_step()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    last = submit_record(ctx, withdrawal_record(), nullptr, &errors);
    return last;
}

}  // namespace kyodo::app
