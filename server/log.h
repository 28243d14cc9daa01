// Structured log lines for the city-hall server: one line per request or event on stderr,
//   ts=2026-11-22T01:02:03.456Z level=info event=push kiosk=ohdono-1 records=12 stored=12 ms=3
// key=value pairs; a value with spaces, quotes, '=' or control characters is written in
// double quotes with \" \\ \n \t escapes, so each event stays on one line for grep and awk.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
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

// Keeps a flood of warnings (thousands of refused logins or bad requests a second) from filling
// the disk and from making every request, kiosk pushes included, queue on the log's lock:
// per event, at most `per_second` warning lines a second are written; the others are counted
// and reported in one line (`event=login suppressed=812`) ahead of the event's next
// written line. Info and error lines are never held back.
class LogFloodLimit {
public:
    explicit LogFloodLimit(int per_second) : per_second_(per_second) {}
    // Whether a warning of `event` at second `now_s` is written. When it is, `suppressed` is
    // how many of the event's warnings were held back since its last written line (else 0).
    bool admit(std::string_view event, std::int64_t now_s, std::int64_t& suppressed);

private:
    struct State {
        std::int64_t second = -1;
        int written = 0;
        std::int64_t held = 0;
    };
    int per_second_;
    std::mutex mu_;
    std::map<std::string, State, std::less<>> by_event_;
};

// Tests and benchmarks silence the log; the server leaves it on.
void set_log_enabled(bool on);
// Formats a value the way log lines do (quoted when needed). Exposed for tests.
std::string log_value(std::string_view v);

}  // namespace kyodo::server
