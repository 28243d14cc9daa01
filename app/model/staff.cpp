#include "app/model/staff.h"

#include <sys/statvfs.h>

#include <cstdio>
#include <filesystem>

#include "core/seal.h"

namespace kyodo::app {

namespace {
constexpr const char* kHash = "staff.pin_hash";
constexpr const char* kFailures = "staff.pin_failures";
constexpr const char* kLockedUntil = "staff.pin_locked_until_ms";

std::int64_t to_i64(const std::string& s) {
    try {
        return s.empty() ? 0 : std::stoll(s);
    } catch (const std::exception&) {
        return 0;
    }
}
}  // namespace

bool StaffPin::has_pin() const { return !store_.setting(kHash).empty(); }

bool StaffPin::valid_pin(const std::string& pin) {
    if (pin.size() < kMinDigits || pin.size() > kMaxDigits) return false;
    for (char c : pin)
        if (c < '0' || c > '9') return false;
    return true;
}

bool StaffPin::set_pin(const std::string& pin) {
    if (!valid_pin(pin)) return false;
    store_.set_setting(kHash, hash_secret(pin));
    store_.set_setting(kFailures, "0");
    store_.set_setting(kLockedUntil, "0");
    return true;
}

std::int64_t StaffPin::locked_until_ms() const { return to_i64(store_.setting(kLockedUntil)); }
int StaffPin::failures() const { return static_cast<int>(to_i64(store_.setting(kFailures))); }

StaffPin::Result StaffPin::attempt(const std::string& pin, std::int64_t now_ms) {
    std::string hash = store_.setting(kHash);
    if (hash.empty()) return Result::NoPin;
    if (locked(now_ms)) return Result::Locked;
    if (locked_until_ms() != 0) {
        // The lock ran out: a fresh set of tries.
        store_.set_setting(kLockedUntil, "0");
        store_.set_setting(kFailures, "0");
    }
    if (verify_secret(hash, pin)) {
        store_.set_setting(kFailures, "0");
        return Result::Ok;
    }
    int n = failures() + 1;
    if (n >= kMaxFailures) {
        store_.set_setting(kLockedUntil, std::to_string(now_ms + kLockMs));
        store_.set_setting(kFailures, "0");
        return Result::Locked;
    }
    store_.set_setting(kFailures, std::to_string(n));
    return Result::Wrong;
}

bool LongPress::update(bool down, double now) {
    if (!down) {
        holding_ = fired_ = false;
        return false;
    }
    if (!holding_ && !fired_) {
        holding_ = true;
        start_ = now;
    }
    if (holding_ && now - start_ >= hold_s_) {
        holding_ = false;
        fired_ = true;   // once per press
        return true;
    }
    return false;
}

double LongPress::progress(double now) const {
    if (!holding_) return 0;
    double p = (now - start_) / hold_s_;
    return p < 0 ? 0 : (p > 1 ? 1 : p);
}

bool disk_space(const std::string& path, std::int64_t* free_bytes, std::int64_t* total_bytes) {
    std::filesystem::path p(path);
    std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    struct statvfs st {};
    if (statvfs(dir.c_str(), &st) != 0) return false;
    if (free_bytes) *free_bytes = static_cast<std::int64_t>(st.f_bavail) * static_cast<std::int64_t>(st.f_frsize);
    if (total_bytes) *total_bytes = static_cast<std::int64_t>(st.f_blocks) * static_cast<std::int64_t>(st.f_frsize);
    return true;
}

KioskHealth read_health(const KioskStore& store, const std::string& app_version, const std::string& kiosk_id,
                        const std::string& centre_id, const std::string& centre_name) {
    KioskHealth h;
    disk_space(store.path(), &h.disk_free_bytes, &h.disk_total_bytes);
    try {
        h.db_bytes = store.file_bytes();
    } catch (const std::exception&) {
        h.db_bytes = -1;
    }
    h.app_version = app_version;
    h.kiosk_id = kiosk_id;
    h.centre_id = centre_id;
    h.centre_name = centre_name;
    return h;
}

std::string human_bytes(std::int64_t b) {
    if (b < 0) return "?";
    char buf[32];
    const double v = static_cast<double>(b);
    if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.1f GB", v / 1e9);
    else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.0f MB", v / 1e6);
    else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.0f KB", v / 1e3);
    else std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(b));
    return buf;
}

}  // namespace kyodo::app

namespace kyodo::app {

std::vector<std::string> find_export_dirs(const std::vector<std::string>& extra) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : extra)
        if (!e.empty() && fs::is_directory(e, ec)) out.push_back(e);
    auto scan = [&](const fs::path& root, int depth) {
        if (!fs::is_directory(root, ec)) return;
        for (const auto& a : fs::directory_iterator(root, ec)) {
            if (!a.is_directory(ec)) continue;
            if (depth == 1) {
                out.push_back(a.path().string());
                continue;
            }
            for (const auto& b : fs::directory_iterator(a.path(), ec))
                if (b.is_directory(ec)) out.push_back(b.path().string());
        }
    };
    scan("/media", 2);
    scan("/run/media", 2);
    scan("/mnt", 1);
    return out;
}

}  // namespace kyodo::app
