// The rosters a kiosk keeps for check-in at the venue (issue 10 point 4; docs/protocol.md,
// GET /api/v1/rosters): its centre's activities starting from yesterday to 14 days ahead (JST
// dates), each with its confirmed and waitlisted sign-ups. A kiosk's disk must hold nothing
// readable (DESIGN.md "Privacy"), so a sign-up carries no name, phone or e-mail: only its id,
// receipt number, party size, status, whether it was ticked, and a one-kana hint (the first
// character of the furigana) so staff can tell two parties apart with the resident in front
// of them ("や… の方ですね"). Engine-neutral: built from Storage::catalog_since and
// AdminStorage::records, so both engines answer the same.
#pragma once

#include <cstdint>
#include <string>

#include "core/codec.h"
#include "server/storage.h"

namespace kyodo::server {

inline constexpr int kRosterDaysBefore = 1;
inline constexpr int kRosterDaysAfter = 14;

// The first character (one code point) of `furigana`, skipping leading spaces; "" when none.
std::string roster_hint(const std::string& furigana);

// {"centre_id", "from", "to", "activities": [{"id", "title", "starts_at", "place", "capacity",
//   "signups": [{"signup_id", "receipt", "party_size", "status", "hint", "attended"}]}]}
// (without the "protocol" key). Activities in start order; sign-ups in arrival order.
Json rosters_for_centre(Storage& st, const std::string& centre_id, std::int64_t now_ms);

}  // namespace kyodo::server
