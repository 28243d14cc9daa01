// Structured log lines for the city-hall server: one line per request or event on stderr,
//   ts=2026-11-22T01:02:03.456Z level=info event=push kiosk=ohdono-1 records=12 stored=12 ms=3
// key=value pairs; a value with spaces, quotes, '=' or control characters is written in
// double quotes with \" \\ \n \t escapes, so each event stays on one line for grep and awk.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kyodo::server {

using LogField = std::pair<std::string_view, std::string>;

// Writes one line (thread-safe; a single write per line).
void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields);
inline void log_info(std::string_view event, std::initializer_list<LogField> fields) {
    log_event("info", event, fields);
}
inline void log_warn(std::string_view event, std::initializer_list<LogField> fields) {
    log_event("warn", event, fields);
}
inline void log_error(std::string_view event, std::initializer_list<LogField> fields) {
    log_event("error", event, fields);
}

// Tests and benchmarks silence the log; the server leaves it on.
void set_log_enabled(bool on);
// Formats a value the way log lines do (quoted when needed). Exposed for tests.
std::string log_value(std::string_view v);

}  // namespace kyodo::server
