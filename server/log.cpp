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
    std::string line = "ts=" + timestamp() + " level=" + std::string(level) + " event=" + log_value(event);
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
