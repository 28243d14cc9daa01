#include "app/model/item_form.h"

#include <algorithm>

#include "core/items.h"
#include "core/utf8.h"

namespace kyodo::app {

void ItemForm::clear() { *this = ItemForm{}; }

bool ItemForm::dirty() const {
    return item.has_value() || !group.empty() || !quantity.empty() || !purpose.empty() || !name.empty() ||
           !furigana.empty() || !phone.empty() || !email.empty() || consent;
}

int ItemForm::index() const {
    switch (step) {
        case ItemStep::Contact: return 1;
        case ItemStep::Review: return 2;
        default: return 0;
    }
}

void ItemForm::load(const std::vector<Activity>& items, std::int64_t now_ms) {
    offered.clear();
    for (const Activity& a : items)
        if (items::availability(a, now_ms) == items::Availability::Open) offered.push_back(a);
}

void ItemForm::choose(const Activity& a) {
    const std::vector<Activity> keep = std::move(offered);
    clear();
    offered = keep;
    item = a;
    step = ItemStep::Detail;
}

int ItemForm::max_quantity() const { return item ? std::clamp(items::remaining(*item), 1, 99) : 1; }

std::string ItemForm::normalise_group(const std::string& typed) {
    // "G-" is optional to type (every registration number has it); full-width forms, spaces and
    // dashes of any kind are read as the typist meant them.
    std::string digits;
    for (char32_t c : utf8::decode(typed)) {
        if (c >= 0xFF10 && c <= 0xFF19) c -= 0xFF10 - U'0';   // full-width digits
        const bool g = c == U'G' || c == U'g' || c == 0xFF27 || c == 0xFF47;
        const bool sep = c == U'-' || c == U' ' || c == 0x3000 || c == 0x2212 || c == 0xFF0D || c == 0x30FC;
        if (c >= U'0' && c <= U'9') digits += static_cast<char>(c);
        else if ((g && digits.empty()) || sep) continue;
        else return "";
    }
    if (digits.empty() || digits.size() > 10) return "";
    while (digits.size() < 4) digits.insert(digits.begin(), '0');
    return "G-" + digits;
}

bool ItemForm::check_group(const std::vector<Organization>& orgs) {
    group_org.reset();
    errors.erase("group");
    if (group.empty()) {
        errors["group"] = "required";
        return false;
    }
    const std::string n = normalise_group(group);
    if (n.empty()) {
        errors["group"] = "bad_format";
        return false;
    }
    for (const Organization& o : orgs)
        if (o.registration == n) group_org = o;
    if (!group_org) {
        errors["group"] = "unknown_group";
        return false;
    }
    group = n;
    return true;
}

Personal ItemForm::personal() const { return Personal{name, furigana, phone, email}; }

Record ItemForm::record() const {
    Record r;
    r.kind = RecordKind::ItemRequest;
    long long n = 0;
    if (!quantity.empty() && quantity.size() <= 3 && quantity.find_first_not_of("0123456789") == std::string::npos)
        n = std::stoll(quantity);
    r.payload = Json{{"item_id", item ? item->id : std::string()},
                     {"group", normalise_group(group)},
                     {"quantity", n},
                     {"purpose", purpose}};
    return r;
}

bool ItemForm::validate() {
    errors.clear();
    Record r = record();
    r.id = "00000000-0000-7000-8000-000000000000";
    r.created_at = "2026-01-01T00:00:00Z";
    r.kiosk_id = "k";
    r.centre_id = "c";
    const Personal p = personal();
    const Validation v = validate_record(r, &p);
    for (const auto& e : v.errors) {
        std::string f = form_field_of(e.field);
        if (!errors.count(f)) errors[f] = e.code;
    }
    if (!errors.count("quantity") && r.payload["quantity"].get<long long>() > max_quantity()) errors["quantity"] = "out_of_range";
    if (!consent) errors["consent"] = "required";
    return errors.empty();
}

bool ItemForm::check_step(const std::vector<Organization>& orgs) {
    switch (step) {
        case ItemStep::List: return item.has_value();
        case ItemStep::Detail: return true;
        case ItemStep::Request: {
            validate();
            FieldErrors mine;
            for (const char* f : {"group", "quantity", "purpose"})
                if (errors.count(f)) mine[f] = errors[f];
            errors = mine;
            if (quantity.empty()) errors["quantity"] = "required";
            if (group.empty()) errors["group"] = "required";
            if (!errors.count("group")) check_group(orgs);
            return errors.empty();
        }
        case ItemStep::Contact: {
            errors.clear();
            const Validation v = validate_personal(RecordKind::ItemRequest, personal());
            for (const auto& e : v.errors) {
                std::string f = form_field_of(e.field);
                if (!errors.count(f)) errors[f] = e.code;
            }
            if (!consent) errors["consent"] = "required";
            return errors.empty();
        }
        case ItemStep::Review: return validate() && check_group(orgs);
    }
    return false;
}

bool ItemForm::next(const std::vector<Organization>& orgs) {
    if (!check_step(orgs)) return false;
    if (step == ItemStep::Detail) {
        step = ItemStep::Request;
        if (quantity.empty()) quantity = "1";
    } else if (step == ItemStep::Request) {
        step = ItemStep::Contact;
    } else if (step == ItemStep::Contact) {
        step = ItemStep::Review;
    }
    return true;
}

void ItemForm::back() {
    errors.clear();
    if (step == ItemStep::Detail) step = ItemStep::List;
    else if (step == ItemStep::Request) step = ItemStep::Detail;
    else if (step == ItemStep::Contact) step = ItemStep::Request;
    else if (step == ItemStep::Review) step = ItemStep::Contact;
}

SubmitResult ItemForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    const Personal p = personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

}  // namespace kyodo::app
