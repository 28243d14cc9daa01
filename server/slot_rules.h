// The server's side of bookings (issue 11 points 3 and 5; docs/lending.md): a booking is an
// ordinary sign-up for a slot (an activity of kind "slot", capacity 1), decided by the one
// sign-up ledger. What is particular to slots is checked here, on both push paths
// (POST /api/v1/records and ingest_batch), with the rule in core/slots.h and the server's clock:
//
//   before storage (check_bookings), a sign-up for a slot is rejected with
//     unknown_group   it names a number that is not an approved group's (server/groups.h)
//     slot_blocked    staff blocked the slot (extra.slot.blocked)
//     not_open_yet    before any booking window, or in the 優先予約 window (GroupsOnly) without a
//                     registered group
//     closed          past signup_closes, or the slot has started
//     out_of_range    party_size is not 1 (a slot is one place)
//   a slot already taken is not rejected: the ledger answers the later booking `waitlisted`.
//
//   after storage (notify_lost_bookings), a slot booking answered `waitlisted` whose booker
//   wants notices gets one (kind "slot_taken") that says the slot was taken and names the next
//   free slot of the same resource (slots::next_free over the server's current slots and their
//   taken counts), or says there is none. Queued before the kiosk hears the answer, with a
//   dedupe key per record, so a replayed push (after a crash or a lost answer) queues it if
//   the first attempt did not, and never twice.
#pragma once

#include <cstdint>
#include <vector>

#include "server/storage.h"

namespace kyodo::server {

// The server's clock as the slot rules read it ("2027-01-11T09:00:00", Japan time).
std::string slot_clock(std::int64_t now_ms);

void check_bookings(Storage& st, std::vector<PreparedRecord>& batch, std::int64_t now_ms);

void notify_lost_bookings(Storage& st, const std::vector<PreparedRecord>& batch, const IngestResult& result,
                          std::int64_t now_ms);

// The detail of a slot_taken notice: the slot lost ({"activity_id","title","starts_at",
// "ends_at","place","resource_name"}) and "next": the next free slot of the same resource for
// this booker at `now` ({"activity_id","title","starts_at","ends_at","place"}) or null.
// `slots` are the server's current activities (those not slots are skipped).
Json slot_taken_detail(const Activity& lost, const std::vector<Activity>& slots, const std::string& now,
                       bool registered_group);

}  // namespace kyodo::server
