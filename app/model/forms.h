// The resident's forms (sign-up, opinion) as plain data, their field-by-field validation
// through core's validator, and submission: seal the personal part with city hall's public
// key, validate the whole record, store it in the outbox in one transaction, and hand back
// the receipt. On a store error (disk full …) nothing was stored and the form keeps what
// was typed, so the resident can try again or ask staff.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/store.h"
#include "core/validate.h"

namespace kyodo::app {

// Where records go and who they come from.
struct SubmitContext {
    KioskStore* store = nullptr;
    std::string kiosk_id;
    std::string centre_id;
    std::string city_hall_public_key;   // base64 X25519
    // The kiosk language the resident is using ("ja" | "en" | "easy_ja"): written into
    // sign-ups, opinions and proposals so city hall's e-mail notices use it. "" = not written.
    std::string lang;
    // The kiosk's clock (Unix ms) for its leases of places (issue 10 point 2); empty = the
    // system clock. A sign-up that fits a usable lease is confirmed on the spot.
    std::function<std::int64_t()> clock;
};

enum class SubmitError {
    None,
    Invalid,     // the form has field errors (shown next to the fields)
    DiskFull,    // the kiosk's disk is full: nothing saved
    Store,       // another storage error: nothing saved
    Seal,        // the public key in the configuration is unusable: nothing saved
};

struct SubmitResult {
    SubmitError error = SubmitError::None;
    std::string detail;                  // technical detail for staff / logs
    Receipt receipt;
    bool confirmed_on_spot = false;      // a sign-up confirmed here under the kiosk's lease (参加確定)
    bool ok() const { return error == SubmitError::None; }
};

// Field errors keyed by form field name ("name", "furigana", "phone", "email", "party_size",
// "text", "topic", "contact"); the value is the validator's code ("required", "too_long",
// "bad_format", …), which the screen turns into words through the string table.
using FieldErrors = std::map<std::string, std::string>;

// Shared by the forms: builds the record envelope, seals, validates, enqueues.
SubmitResult submit_record(const SubmitContext& ctx, Record r, const Personal* personal,
                           FieldErrors* errors);

struct SignUpForm {
    std::string activity_id;
    std::int64_t activity_version = 0;
    std::string activity_title;         // for the header and the receipt
    int capacity_left = -1;             // -1 = no limit
    int max_party = 10;

    std::string name, furigana, phone, email;
    // Consent to e-mail notices (moved up from the waitlist, cancelled, moved), asked with the
    // e-mail address; only meaningful with an address.
    bool notify = false;
    int party_size = 1;
    std::string note;

    FieldErrors errors;                 // from the last validate()/submit()
    SubmitResult last;                  // the last submission (receipt or error)

    void start_for(const Activity& a);  // clears everything and binds to an activity
    void clear();                       // forgets what was typed (idle reset, after submit)
    bool dirty() const;                 // something was typed
    Personal personal() const;
    Record record() const;              // payload only: envelope and seal come at submit
    bool validate();                    // fills errors; true when the form can be sent
    SubmitResult submit(const SubmitContext& ctx);
};

struct OpinionForm {
    std::string topic;
    std::string text;
    std::string activity_id;            // when opened from a listing, else ""
    bool wants_reply = false;
    std::string name, phone, email;     // only with wants_reply (name optional)

    FieldErrors errors;
    SubmitResult last;

    void clear();
    bool dirty() const;
    Personal personal() const;
    Record record() const;
    bool validate();
    SubmitResult submit(const SubmitContext& ctx);
};

// Maps a validator field path ("personal.name", "payload.party_size") to a form field name.
std::string form_field_of(const std::string& path);

}  // namespace kyodo::app
