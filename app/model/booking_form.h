// Booking a room, a piece of equipment (部屋・機器を借りる) or a consultation (協働相談の予約)
// at the kiosk, step by step by touch (issue 11 points 3 and 5; docs/lending.md):
//
//   rooms and equipment: the centre's resource → a week of its slots → the group's registration
//     number (checked against the directory this kiosk holds; required while the slot is open
//     to registered groups only, 優先予約) → the person in charge's name, reading and contact
//     (the sign-up's own steps and checks, SignUpForm / SignUpWizard) → purpose → review;
//   consultations: the topic (slots::consult_topics) and a few words → the desk, when there is
//     more than one → a week of its slots → a group's number (optional) → name, reading,
//     contact → review.
//
// A booking is an ordinary sign-up of the slot (party 1, personal part sealed for city hall,
// check code made by the store) with "group", "purpose" or "topic"/"topic_text" added
// (core/validate.h). It goes to the outbox like any sign-up, offline too; the slot then shows
// as 仮予約 at this kiosk (booking_calendar.h). Plain data, no ImGui.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/model/booking_calendar.h"
#include "app/model/forms.h"
#include "app/model/signup_wizard.h"

namespace kyodo::app {

enum class BookingMode { Facility, Consultation };
enum class BookingStep { Topic, Resource, Calendar, Group, Name, Furigana, Contact, Purpose, Review };
const char* to_code(BookingStep);

// The slot types a mode books.
bool books(BookingMode m, slots::ResourceType t);

struct BookingForm {
    BookingMode mode = BookingMode::Facility;
    BookingStep step = BookingStep::Resource;
    std::string today;                        // the kiosk's "YYYY-MM-DD"
    std::vector<Activity> slots;              // this mode's slots held at the kiosk
    std::vector<slots::Resource> resources;   // of those, in catalog order
    std::string resource_id;
    std::string week_first;                   // first day of the week shown
    std::optional<Activity> slot;             // the one picked
    std::string group_typed;                  // as typed on the number pad
    GroupLookup group;                        // the last check of group_typed
    std::string purpose;                      // rooms and equipment
    std::string topic, topic_text;            // consultations
    // The person in charge: the sign-up form's fields and checks (name, reading, phone or
    // e-mail, consent to e-mail notices). Its activity is the slot.
    SignUpForm person;
    FieldErrors errors;                       // "resource", "slot", "group", "topic", "purpose" + the person's
    SubmitResult last;

    void clear();
    bool dirty() const;
    // A new booking in `mode` over the slots the kiosk holds (any kind: the form keeps this
    // mode's slots). One resource is chosen for the resident.
    void start(BookingMode m, const std::vector<Activity>& all_slots, const std::string& today_ymd);
    // The catalog changed: new slots, the picked one refreshed (or forgotten when gone).
    void reload(const std::vector<Activity>& all_slots);
    // A new booking of `s` (offered after a lost one) for the same group: straight to the
    // group number (filled in), then the person.
    void start_for(BookingMode m, const std::vector<Activity>& all_slots, const Activity& s, const std::string& group_no,
                   const std::string& today_ymd);

    // The steps of this booking, in order (a consultation with one desk skips Resource).
    std::vector<BookingStep> steps() const;
    int index() const;
    int count() const { return static_cast<int>(steps().size()); }

    void choose_resource(const std::string& id);
    const slots::Resource* resource() const;
    SlotWeek week(const std::string& now, const HeldSlots& held) const;
    void next_week();
    bool can_go_back_week() const { return week_first > today; }
    void prev_week();
    // Picks a slot from the calendar; false (and errors["slot"]) when it cannot be booked now.
    bool pick(const Activity& s, const std::string& now, const HeldSlots& held);

    // The picked slot is, now, open to registered groups only.
    bool group_required(const std::string& now) const;
    // Checks the current step (errors for it only); true when it may move on.
    bool check_step(const std::vector<Organization>& directory, const std::string& now, const HeldSlots& held);
    bool next(const std::vector<Organization>& directory, const std::string& now, const HeldSlots& held);
    // One step back; false on the first (the screen leaves the booking).
    bool back();
    void edit(BookingStep s) {
        errors.clear();
        step = s;
    }

    Record record() const;                   // payload only: envelope and seal come at submit
    // Checks everything again (the slot may have gone since it was picked), seals, queues.
    SubmitResult submit(const SubmitContext& ctx, const std::vector<Organization>& directory, const std::string& now,
                        const HeldSlots& held);

private:
    void keep_errors(const std::vector<const char*>& fields);
};

}  // namespace kyodo::app
