#include "app/model/group_form.h"

#include "app/model/talent_form.h"   // normalise_receipt
#include "core/utf8.h"

namespace kyodo::app {

void GroupForm::clear() { *this = GroupForm{}; }

// The representative's fields are "rep_name", "rep_furigana", "rep_phone", "rep_email" in the
// form (the group has a "name" of its own).
std::string GroupForm::field_of(const std::string& path) {
    if (path.rfind("personal.", 0) == 0) return "rep_" + path.substr(9);
    return form_field_of(path);
}

bool GroupForm::dirty() const {
    return !name.empty() || !kana.empty() || !kind.empty() || !members.empty() || !centre_id.empty() ||
           !description.empty() || !fields.empty() || !rep_name.empty() || !rep_furigana.empty() || !phone.empty() ||
           !email.empty() || consent || !l_receipt.empty();
}

int GroupForm::index() const {
    switch (step) {
        case GroupStep::About: return 0;
        case GroupStep::Representative: return 1;
        default: return 2;
    }
}

Personal GroupForm::personal() const { return Personal{rep_name, rep_furigana, phone, email}; }

Record GroupForm::record() const {
    Record r;
    r.kind = RecordKind::GroupRegistration;
    long long n = 0;
    if (!members.empty() && members.size() <= 6 && members.find_first_not_of("0123456789") == std::string::npos)
        n = std::stoll(members);
    r.payload = Json{{"name", name},       {"kana", kana},         {"kind", kind},
                     {"fields", fields},   {"members", n},         {"centre_id", centre_id},
                     {"description", description}, {"consent", consent}};
    return r;
}

bool GroupForm::check_step() {
    errors.clear();
    switch (step) {
        case GroupStep::About: {
            if (!validate()) {
                // Only this step's fields count here.
                FieldErrors mine;
                for (const char* f : {"name", "kana", "kind", "fields", "members", "centre_id", "description"})
                    if (errors.count(f)) mine[f] = errors[f];
                errors = mine;
            }
            if (members.empty()) errors["members"] = "required";
            break;
        }
        case GroupStep::Representative: {
            Validation v = validate_personal(RecordKind::GroupRegistration, personal());
            for (const auto& e : v.errors) {
                std::string f = field_of(e.field);
                if (!errors.count(f)) errors[f] = e.code;
            }
            if (!consent) errors["consent"] = "required";
            break;
        }
        case GroupStep::Review: return validate();
        case GroupStep::Lookup:
            if (l_receipt.empty()) errors["receipt"] = "required";
            else if (normalise_receipt(l_receipt).size() != 9) errors["receipt"] = "bad_format";
            break;
    }
    return errors.empty();
}

bool GroupForm::next() {
    if (!check_step()) return false;
    if (step == GroupStep::About) step = GroupStep::Representative;
    else if (step == GroupStep::Representative) step = GroupStep::Review;
    return true;
}

void GroupForm::back() {
    errors.clear();
    if (step == GroupStep::Representative) step = GroupStep::About;
    else if (step == GroupStep::Review) step = GroupStep::Representative;
    else if (step == GroupStep::Lookup) {
        step = GroupStep::About;
        looked_up = false;
        found.reset();
    }
}

bool GroupForm::validate() {
    errors.clear();
    Record r = record();
    r.id = "00000000-0000-7000-8000-000000000000";
    r.created_at = "2026-01-01T00:00:00Z";
    r.kiosk_id = "k";
    r.centre_id = "c";
    Personal p = personal();
    Validation v = validate_record(r, &p);
    for (const auto& e : v.errors) {
        std::string f = field_of(e.field);
        auto br = f.find('[');
        if (br != std::string::npos) f = f.substr(0, br);
        if (!errors.count(f)) errors[f] = e.code;
    }
    return errors.empty();
}

SubmitResult GroupForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

void GroupForm::lookup(const std::vector<Organization>& orgs) {
    looked_up = false;
    found.reset();
    if (!check_step()) return;
    looked_up = true;
    const std::string r = normalise_receipt(l_receipt);
    for (const auto& o : orgs)
        if (!o.application.empty() && o.application == r) found = o;
}

}  // namespace kyodo::app
