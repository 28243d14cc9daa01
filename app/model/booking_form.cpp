#include "app/model/booking_form.h"

#include <algorithm>

#include "app/model/start_board.h"   // add_days
#include "core/utf8.h"

namespace kyodo::app {

const char* to_code(BookingStep s) {
    switch (s) {
        case BookingStep::Topic: return "topic";
        case BookingStep::Resource: return "resource";
        case BookingStep::Calendar: return "calendar";
        case BookingStep::Group: return "group";
        case BookingStep::Name: return "name";
        case BookingStep::Furigana: return "furigana";
        case BookingStep::Contact: return "contact";
        case BookingStep::Purpose: return "purpose";
        case BookingStep::Review: return "review";
    }
    return "review";
}

bool books(BookingMode m, slots::ResourceType t) {
    return m == BookingMode::Consultation ? t == slots::ResourceType::Consultation
                                          : t != slots::ResourceType::Consultation;
}

namespace {

// The sign-up wizard's step for a person step of the booking.
std::optional<SignUpStep> person_step(BookingStep s) {
    switch (s) {
        case BookingStep::Name: return SignUpStep::Name;
        case BookingStep::Furigana: return SignUpStep::Furigana;
        case BookingStep::Contact: return SignUpStep::Contact;
        default: return std::nullopt;
    }
}

bool topic_known(const std::string& code) {
    for (const auto& t : slots::consult_topics())
        if (code == t.code) return true;
    return false;
}

}  // namespace

void BookingForm::clear() {
    const BookingMode m = mode;
    *this = BookingForm{};
    mode = m;
}

bool BookingForm::dirty() const {
    return slot.has_value() || !group_typed.empty() || !purpose.empty() || !topic.empty() || !topic_text.empty() ||
           person.dirty();
}

void BookingForm::reload(const std::vector<Activity>& all_slots) {
    slots.clear();
    for (const auto& a : all_slots)
        if (auto i = slots::slot_info(a); i && books(mode, i->type)) slots.push_back(a);
    resources = slots::resources(slots);
    if (slot) {
        std::optional<Activity> fresh;
        for (const auto& a : slots)
            if (a.id == slot->id) fresh = a;
        slot = fresh;
        if (slot) {
            person.activity_id = slot->id;
            person.activity_version = slot->version;
        } else if (step > BookingStep::Calendar) {
            // Withdrawn by city hall while the resident was booking it: back to the calendar.
            step = BookingStep::Calendar;
            errors["slot"] = "gone";
        }
    }
    if (resource_id.empty() && resources.size() == 1) choose_resource(resources.front().id);
}

void BookingForm::start(BookingMode m, const std::vector<Activity>& all_slots, const std::string& today_ymd) {
    *this = BookingForm{};
    mode = m;
    today = today_ymd;
    reload(all_slots);
    step = steps().front();
}

void BookingForm::start_for(BookingMode m, const std::vector<Activity>& all_slots, const Activity& s,
                            const std::string& group_no, const std::string& today_ymd) {
    start(m, all_slots, today_ymd);
    if (auto i = slots::slot_info(s)) choose_resource(i->resource);
    for (const auto& a : slots)
        if (a.id == s.id) slot = a;
    if (!slot) return;   // not a slot of this mode any more: the resident starts from the top
    person.start_for(*slot);
    person.max_party = 1;
    if (slot->starts_at.size() >= 10) week_first = std::max(today, slot->starts_at.substr(0, 10));
    group_typed = group_no.size() > 2 && group_no.rfind("G-", 0) == 0 ? group_no.substr(2) : group_no;
    step = BookingStep::Group;
}

std::vector<BookingStep> BookingForm::steps() const {
    using S = BookingStep;
    if (mode == BookingMode::Consultation) {
        std::vector<S> v{S::Topic};
        if (resources.size() > 1) v.push_back(S::Resource);
        v.insert(v.end(), {S::Calendar, S::Group, S::Name, S::Furigana, S::Contact, S::Review});
        return v;
    }
    return {S::Resource, S::Calendar, S::Group, S::Name, S::Furigana, S::Contact, S::Purpose, S::Review};
}

int BookingForm::index() const {
    const auto v = steps();
    auto it = std::find(v.begin(), v.end(), step);
    return it == v.end() ? 0 : static_cast<int>(it - v.begin());
}

void BookingForm::choose_resource(const std::string& id) {
    if (id != resource_id) {
        slot.reset();
        person.activity_id.clear();
    }
    resource_id = id;
    week_first = first_week_day(slots, id, today);
    errors.erase("resource");
}

const slots::Resource* BookingForm::resource() const {
    for (const auto& r : resources)
        if (r.id == resource_id) return &r;
    return nullptr;
}

SlotWeek BookingForm::week(const std::string& now, const HeldSlots& held) const {
    return slot_week(slots, resource_id, week_first.empty() ? today : week_first, now, held);
}

void BookingForm::next_week() { week_first = add_days(week_first.empty() ? today : week_first, 7); }

void BookingForm::prev_week() {
    if (!can_go_back_week()) return;
    week_first = std::max(today, add_days(week_first, -7));
}

bool BookingForm::pick(const Activity& s, const std::string& now, const HeldSlots& held) {
    errors.erase("slot");
    if (!pickable(slot_state(s, now, held))) {
        errors["slot"] = "not_bookable";
        return false;
    }
    if (!slot || slot->id != s.id) {
        // The person's answers stay; only the slot they are for changes.
        const SignUpForm kept = person;
        person.start_for(s);
        person.name = kept.name;
        person.furigana = kept.furigana;
        person.phone = kept.phone;
        person.email = kept.email;
        person.notify = kept.notify;
        person.max_party = 1;
    }
    slot = s;
    return true;
}

bool BookingForm::group_required(const std::string& now) const {
    return slot && slots::window(*slot, now) == slots::Window::GroupsOnly;
}

void BookingForm::keep_errors(const std::vector<const char*>& fields) {
    FieldErrors mine;
    for (const char* f : fields)
        if (auto it = errors.find(f); it != errors.end()) mine[f] = it->second;
    errors = mine;
}

bool BookingForm::check_step(const std::vector<Organization>& directory, const std::string& now,
                             const HeldSlots& held) {
    errors.clear();
    last = {};
    switch (step) {
        case BookingStep::Topic:
            if (topic.empty()) errors["topic"] = "required";
            else if (!topic_known(topic)) errors["topic"] = "bad_format";
            if (utf8::length(topic_text) > 400) errors["topic_text"] = "too_long";
            break;
        case BookingStep::Resource:
            if (!resource()) errors["resource"] = "required";
            break;
        case BookingStep::Calendar:
            if (!slot) errors["slot"] = "required";
            else if (!pickable(slot_state(*slot, now, held))) errors["slot"] = "not_bookable";
            break;
        case BookingStep::Group: {
            group = look_up_group(group_typed, directory);
            if (group.check == GroupCheck::Empty) {
                if (group_required(now)) errors["group"] = "group_required";
            } else if (group.check != GroupCheck::Ok) {
                errors["group"] = to_code(group.check);
            }
            break;
        }
        case BookingStep::Name:
        case BookingStep::Furigana:
        case BookingStep::Contact: {
            person.validate();
            std::vector<const char*> fields = SignUpWizard::fields_of(*person_step(step));
            errors = person.errors;
            keep_errors(fields);
            person.errors = errors;
            break;
        }
        case BookingStep::Purpose:
            if (utf8::length(purpose) > 200) errors["purpose"] = "too_long";
            break;
        case BookingStep::Review: {
            // Every step again, the first failing one shown.
            const BookingStep here = step;
            for (BookingStep s : steps()) {
                if (s == BookingStep::Review) break;
                step = s;
                if (!check_step(directory, now, held)) return false;   // stays on the failing step
            }
            step = here;
            errors.clear();
            break;
        }
    }
    return errors.empty();
}

bool BookingForm::next(const std::vector<Organization>& directory, const std::string& now, const HeldSlots& held) {
    if (!check_step(directory, now, held)) return false;
    const auto v = steps();
    const int i = index();
    if (i + 1 < static_cast<int>(v.size())) step = v[static_cast<std::size_t>(i + 1)];
    return true;
}

bool BookingForm::back() {
    errors.clear();
    person.errors.clear();
    const int i = index();
    if (i == 0) return false;
    step = steps()[static_cast<std::size_t>(i - 1)];
    return true;
}

Record BookingForm::record() const {
    Record r = person.record();   // activity_id, activity_version, party_size 1, note, notify
    r.payload["party_size"] = 1;
    if (group.check == GroupCheck::Ok && !group.number.empty()) r.payload["group"] = group.number;
    if (mode == BookingMode::Consultation) {
        r.payload["topic"] = topic;
        if (!topic_text.empty()) r.payload["topic_text"] = topic_text;
    } else if (!purpose.empty()) {
        r.payload["purpose"] = purpose;
    }
    return r;
}

SubmitResult BookingForm::submit(const SubmitContext& ctx, const std::vector<Organization>& directory,
                                 const std::string& now, const HeldSlots& held) {
    last = {};
    step = BookingStep::Review;
    if (!check_step(directory, now, held)) {
        // check_step left `step` on the first step that fails (the slot taken meanwhile: the calendar).
        last.error = SubmitError::Invalid;
        last.detail = errors.empty() ? "invalid" : errors.begin()->first + ": " + errors.begin()->second;
        return last;
    }
    Personal p = person.personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

}  // namespace kyodo::app
