// Time helpers. Device clocks are not trusted for ordering at the server, but the kiosk
// stamps records with its own time, and the server compares it with its receipt time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyodo {

std::int64_t now_millis();                        // Unix ms, system clock
std::string rfc3339_utc(std::int64_t unix_ms);    // "2026-11-22T01:02:03Z" (whole seconds)
std::string rfc3339_now();
// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±hh:mm)" into Unix ms; nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);
// Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" as Japan time (UTC+9) into Unix ms.
std::optional<std::int64_t> parse_local_jst(std::string_view s);
// The Japan-time wall clock of a Unix ms instant: "2027-01-11T09:00:00" (no zone), the
// form parse_local_jst reads and core/slots.h compares against.
std::string local_jst(std::int64_t unix_ms);

// Dates as residents read them: "令和8年11月22日(日)" / "Sun 22 Nov 2026".
// Input "YYYY-MM-DD" or a local date-time (time is shown "10:00" after the date when present).
std::string format_date_ja(std::string_view iso);
std::string format_date_en(std::string_view iso);

}  // namespace kyodo
