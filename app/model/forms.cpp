#include "app/model/forms.h"

#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"

namespace kyodo::app {

std::string form_field_of(const std::string& path) {
    auto dot = path.rfind('.');
    std::string f = dot == std::string::npos ? path : path.substr(dot + 1);
    // Array paths like payload.answers[2].text keep their last component.
    return f;
}

namespace {

void collect(const Validation& v, FieldErrors& out) {
    for (const auto& e : v.errors) {
        std::string f = form_field_of(e.field);
        // personal.contact / "phone or email" errors: the validator may name either field.
        if (!out.count(f)) out[f] = e.code;
    }
}

}  // namespace

SubmitResult submit_record(const SubmitContext& ctx, Record r, const Personal* personal,
                           FieldErrors* errors) {
    SubmitResult res;
    r.id = new_uuid_v7();
    r.created_at = rfc3339_now();
    r.schema_version = 1;
    r.kiosk_id = ctx.kiosk_id;
    r.centre_id = ctx.centre_id;
    if (!ctx.lang.empty() &&
        (r.kind == RecordKind::SignUp || r.kind == RecordKind::Opinion || r.kind == RecordKind::Proposal ||
         r.kind == RecordKind::Talent || r.kind == RecordKind::GroupRegistration || r.kind == RecordKind::ItemRequest))
        r.payload["lang"] = ctx.lang;
    const Personal* p = personal && !personal->empty() ? personal : nullptr;
    Validation v = validate_record(r, p);
    if (!v.ok()) {
        if (errors) collect(v, *errors);
        res.error = SubmitError::Invalid;
        res.detail = v.summary();
        return res;
    }
    if (p) {
        try {
            r.sealed = seal_personal(*p, ctx.city_hall_public_key);
        } catch (const std::exception& e) {
            res.error = SubmitError::Seal;
            res.detail = e.what();
            return res;
        }
    }
    if (!ctx.store) {
        res.error = SubmitError::Store;
        res.detail = "no store";
        return res;
    }
    try {
        // A sign-up may be confirmed on the spot under the kiosk's lease of the activity's
        // places (KioskStore::enqueue_signup decides, in the same transaction).
        if (r.kind == RecordKind::SignUp)
            res.receipt = ctx.store->enqueue_signup(r, ctx.clock ? ctx.clock() : now_millis(), &res.confirmed_on_spot);
        else
            res.receipt = ctx.store->enqueue(r);
    } catch (const StoreError& e) {
        res.error = e.disk_full() ? SubmitError::DiskFull : SubmitError::Store;
        res.detail = e.what();
    } catch (const std::exception& e) {
        res.error = SubmitError::Store;
        res.detail = e.what();
    }
    return res;
}

// --- sign-up -------------------------------------------------------------------------

void SignUpForm::start_for(const Activity& a) {
    clear();
    activity_id = a.id;
    activity_version = a.version;
    activity_title = a.title;
    capacity_left = a.places_left();
}

void SignUpForm::clear() {
    name.clear();
    furigana.clear();
    phone.clear();
    email.clear();
    notify = false;
    note.clear();
    party_size = 1;
    errors.clear();
    last = {};
}

bool SignUpForm::dirty() const {
    return !name.empty() || !furigana.empty() || !phone.empty() || !email.empty() ||
           !note.empty() || party_size != 1;
}

Personal SignUpForm::personal() const { return Personal{name, furigana, phone, email}; }

Record SignUpForm::record() const {
    Record r;
    r.kind = RecordKind::SignUp;
    r.payload = Json{{"activity_id", activity_id},
                     {"activity_version", activity_version},
                     {"party_size", party_size},
                     {"note", note}};
    if (notify && !email.empty()) r.payload["notify"] = true;
    return r;
}

bool SignUpForm::validate() {
    errors.clear();
    collect(validate_personal(RecordKind::SignUp, personal()), errors);
    if (party_size < 1 || party_size > max_party) errors["party_size"] = "out_of_range";
    return errors.empty();
}

SubmitResult SignUpForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), &p, &errors);
    return last;
}

// --- opinion -------------------------------------------------------------------------

void OpinionForm::clear() {
    topic.clear();
    text.clear();
    activity_id.clear();
    wants_reply = false;
    name.clear();
    phone.clear();
    email.clear();
    errors.clear();
    last = {};
}

bool OpinionForm::dirty() const {
    return !topic.empty() || !text.empty() || wants_reply || !name.empty() || !phone.empty() ||
           !email.empty();
}

Personal OpinionForm::personal() const {
    if (!wants_reply) return {};
    return Personal{name, "", phone, email};
}

Record OpinionForm::record() const {
    Record r;
    r.kind = RecordKind::Opinion;
    r.payload = Json{{"topic", topic}, {"text", text}, {"activity_id", activity_id},
                     {"wants_reply", wants_reply}};
    return r;
}

bool OpinionForm::validate() {
    errors.clear();
    if (text.empty()) errors["text"] = "required";
    if (wants_reply) collect(validate_personal(RecordKind::Opinion, personal(), true), errors);
    return errors.empty();
}

SubmitResult OpinionForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), wants_reply ? &p : nullptr, &errors);
    return last;
}

}  // namespace kyodo::app
