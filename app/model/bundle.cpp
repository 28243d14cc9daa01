#include "app/model/bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/codec.h"
#include "core/timeutil.h"

namespace kyodo::app {

namespace {

bool write_all(int fd, const std::string& s) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

std::string compact_stamp(std::int64_t ms) {
    std::string s = rfc3339_utc(ms);   // 2026-11-22T01:02:03Z
    std::string out;
    for (char c : s)
        if (c != '-' && c != ':') out += c;
    return out;
}

}  // namespace

BundleResult export_bundle(const KioskStore& store, const std::string& kiosk_id, const std::string& centre_id,
                           const std::string& folder, std::int64_t now_ms) {
    BundleResult r;
    namespace fs = std::filesystem;
    std::error_code ec;
    if (folder.empty() || !fs::is_directory(folder, ec)) {
        r.error = "folder not found: " + folder;
        return r;
    }
    Json records = Json::array();
    try {
        for (const auto& e : store.pending(std::numeric_limits<std::size_t>::max(),
                                           std::numeric_limits<std::size_t>::max()))
            records.push_back(to_json(e.record));
    } catch (const std::exception& e) {
        r.error = std::string("reading the outbox: ") + e.what();
        return r;
    }
    r.records = static_cast<int>(records.size());
    Json doc = {{"format", kBundleFormat},
                {"kiosk_id", kiosk_id},
                {"centre_id", centre_id},
                {"created_at", rfc3339_utc(now_ms)},
                {"records", std::move(records)}};
    std::string text = doc.dump();
    text += '\n';

    fs::path final_path = fs::path(folder) / ("kyodo-bundle-" + kiosk_id + "-" + compact_stamp(now_ms) + ".json");
    fs::path tmp = final_path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        r.error = "cannot write to " + folder + ": " + std::strerror(errno);
        return r;
    }
    bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        fs::remove(tmp, ec);
        r.error = std::string("writing the bundle failed (") + std::strerror(saved) + "): is the stick full?";
        return r;
    }
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
        saved = errno;
        fs::remove(tmp, ec);
        r.error = std::string("renaming the bundle failed: ") + std::strerror(saved);
        return r;
    }
    int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);   // the rename itself is durable
        ::close(dfd);
    }
    r.ok = true;
    r.path = final_path.string();
    r.bytes = static_cast<std::int64_t>(text.size());
    return r;
}

}  // namespace kyodo::app
