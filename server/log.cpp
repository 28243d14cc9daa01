#include "server/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace kyodo::server {
namespace {
std::atomic<bool> g_enabled{true};
std::mutex g_mutex;

std::string timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return buf;
}
}  // namespace

bool LogFloodLimit::admit(std::string_view event, std::int64_t now_s, std::int64_t& suppressed) {
    std::lock_guard lock(mu_);
    auto it = by_event_.find(event);
    if (it == by_event_.end()) it = by_event_.emplace(std::string(event), State{}).first;
    State& s = it->second;
    if (s.second != now_s) {
        s.second = now_s;
        s.written = 0;
    }
    if (s.written >= per_second_) {
        ++s.held;
        suppressed = 0;
        return false;
    }
    ++s.written;
    suppressed = s.held;
    s.held = 0;
    return true;
}

void set_log_enabled(bool on) { g_enabled = on; }

std::string log_value(std::string_view v) {
    bool quote = v.empty();
    for (unsigned char c : v) {
        if (c <= 0x20 || c == '"' || c == '=' || c == '\\' || c == 0x7f) { quote = true; break; }
    }
    if (!quote) return std::string(v);
    std::string out = "\"";
    for (unsigned char c : v) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    return out;
}

void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields) {
    if (!g_enabled) return;
    static LogFloodLimit flood(20);
    std::string line;
    if (level == "warn") {
        const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now().time_since_epoch()).count();
        std::int64_t held = 0;
        if (!flood.admit(event, now_s, held)) return;
        if (held > 0)
            line = "ts=" + timestamp() + " level=warn event=" + log_value(event) + " suppressed=" +
                   std::to_string(held) + "\n";
    }
    line += "ts=" + timestamp() + " level=" + std::string(level) + " event=" + log_value(event);
    for (const auto& [k, v] : fields) {
        line += ' ';
        line += k;
        line += '=';
        line += log_value(v);
    }
    line += '\n';
    std::lock_guard lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace kyodo::server
