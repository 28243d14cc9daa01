// The one validator used by the kiosk (before a record is stored) and by the server
// (after it arrives and the personal part is opened). Same rules in both places, so a
// record the kiosk accepted is one the server accepts.
//
// Payload schema per record kind (schema_version 1). Limits are in characters (code
// points), not bytes. Every string must be valid UTF-8 without control characters
// (newline and tab are allowed in multi-line text only).
//
//   sign_up:         { "activity_id": str(1..64), "activity_version": int>=0,
//                      "party_size": int 1..10, "note": str(0..500, multi-line),
//                      "check_code": optional str of exactly 4 ASCII digits (made by
//                                    KioskStore::enqueue, printed on the receipt),
//                      "notify": optional bool (consent to e-mail notices: moved up from the
//                                waitlist, activity cancelled or moved; default false),
//                      "lang": optional "ja" | "en" | "easy_ja" (the kiosk language, for notices),
//                      "group": optional registration number "G-" + 4..10 digits (a booking of a
//                               room/equipment slot for a registered group: docs/groups.md),
//                      "purpose": str(0..200) (what a booked room/equipment is for),
//                      "topic": optional code of slots::consult_topics() (a consultation's subject),
//                      "topic_text": str(0..400, multi-line) (the consultation in the resident's words;
//                                    docs/lending.md) }
//                    personal: name(1..50) + furigana(1..50, kana only) required,
//                              and at least one of phone / email
//   opinion:         { "topic": str(0..40), "text": str(1..2000, multi-line),
//                      "activity_id": str(0..64), "wants_reply": bool, "lang": optional as sign_up }
//                    personal: optional; required (phone or email) when wants_reply
//   survey_response: { "survey_id": str(1..64), "survey_version": int>=0,
//                      "answers": [ { "question_id": str(1..64),
//                                     one of "choice": int, "choices": [int] (max 20),
//                                     "scale": int, "text": str(0..1000, multi-line) } ] (max 100) }
//                    personal: none allowed (surveys are anonymous)
//   public_comment:  { "draft_id": str(1..64), "section_id": str(1..64),
//                      "text": str(1..4000, multi-line) }
//                    personal: name optional; phone/email optional
//   proposal:        { "title": str(1..100), "summary": str(1..4000, multi-line),
//                      "fields": [str(1..20)] (max 10), "group_name": str(0..100),
//                      "partner_department": str(0..60), "lang": optional as sign_up }
//                    personal: name + (phone or email) required
//   talent:          { "help": [code of talent::help_kinds()] (1..14), "fields": [str(1..20)] (max 10),
//                      "areas": [centre id or "citywide", str(1..64) of id characters] (1..25),
//                      "times": [code of talent::time_slots()] (1..6), "note": str(0..300, multi-line),
//                      "contact_by": "phone" | "email" | "either", "consent": true (required, must be true),
//                      "check_code": optional 4 ASCII digits (made by KioskStore::enqueue),
//                      "lang": optional as sign_up }
//                    personal: as sign_up (name + furigana, and phone or email)
//   talent_withdrawal: { "receipt": "XXXX-XXXX" (the registration's receipt number),
//                        "check_code": 4 ASCII digits (printed on the registration's receipt) }
//                    personal: none allowed
//   group_registration: { "name": str(1..100), "kana": str(0..100), "kind": code of
//                      groups::group_kinds() ("npo", "neighbourhood", "circle", "company" …),
//                      "fields": [str(1..20)] (max 10), "members": int 1..100000,
//                      "centre_id": optional centre id (the group's home centre),
//                      "description": str(0..300, multi-line), "consent": true (required),
//                      "check_code": optional 4 ASCII digits (made by KioskStore::enqueue),
//                      "lang": optional as sign_up }
//                    personal: the representative (代表者), as sign_up (name + furigana, and phone or email)
//   cancel:          { "signup_id": str (the sign-up's record id, a UUID),
//                      "receipt": str "XXXX-XXXX" (receipt_number(signup_id)),
//                      "check_code": str of exactly 4 ASCII digits (the sign-up's) }
//                    personal: none allowed
//   attendance:      { "signup_id": str (the sign-up's record id, a UUID),
//                      "attended": bool (true: arrived; false: the tick was taken back) }
//                    personal: none allowed (staff tick by receipt number, issue 10 point 4)
//
// Fields with a minimum length of 0, "wants_reply" (default false), "fields", "notify",
// "lang" and "check_code" may be omitted; every other payload field is required. Keys not listed are
// "unknown_field"; a value of the wrong JSON type is "wrong_type". Names (personal.name,
// personal.furigana) with characters beyond U+FFFF are "unsupported_char": the kiosk's
// 16-bit font cannot draw them (other text is left alone, e.g. emoji in an opinion).
// Multi-line text may contain \n, \t and CRLF.
//
// Common fields: id is a UUID (v7 when made by our kiosk), kiosk_id and centre_id
// str(1..64) of [A-Za-z0-9_.-], created_at RFC 3339, schema_version 1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace kyodo {

struct FieldError {
    std::string field;    // JSON path-ish: "payload.text", "personal.phone", "id"
    std::string code;     // machine-readable: "required", "too_long", "invalid_utf8",
                          // "control_char", "bad_format", "out_of_range", "unknown_field",
                          // "wrong_type", "not_allowed", "unsupported_char"
    std::string message;  // human, English: "text is 2,400 characters; the limit is 2,000"
};

struct Validation {
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
    // First error as "field: message", or "" when ok.
    std::string summary() const;
};

// UTF-8 helpers (core/utf8.h has the rest).
bool is_valid_utf8(std::string_view s);

// Checks the envelope (id, kind, schema_version, created_at, kiosk_id, centre_id) and the
// payload of `r`, and the personal fields when given (kiosk: before sealing; server:
// after opening). `personal` may be null when the record carries none.
Validation validate_record(const Record& r, const Personal* personal);

// Just the personal part for a record kind (used by the kiosk's forms field by field).
Validation validate_personal(RecordKind kind, const Personal& p, bool wants_reply = false);

// Field-level checks the forms use as the resident types.
bool is_valid_phone(std::string_view s);   // Japanese: digits with optional hyphens, 10–11 digits, or +81…
bool is_valid_email(std::string_view s);   // pragmatic: local@domain.tld, ASCII, max 254
// The name has kanji or kana (or is empty), so a sign-up needs its reading; a name in Latin
// letters ("John Smith") is read as written and does not.
bool name_needs_reading(std::string_view name);
bool is_kana_reading(std::string_view s);  // hiragana/katakana/long-vowel/space only

}  // namespace kyodo
