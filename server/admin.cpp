#include "server/admin.h"
#include "server/furigana.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/timeutil.h"

namespace kyodo::server {
namespace fs = std::filesystem;

std::string db_path(const std::string& data_dir) { return (fs::path(data_dir) / "server.db").string(); }
std::string key_path(const std::string& data_dir) { return (fs::path(data_dir) / "city_hall.key").string(); }

KeyPair load_keys(const std::string& data_dir) {
    const std::string path = key_path(data_dir);
    std::ifstream in(path);
    if (!in) throw AdminError(path + ": cannot read the city-hall key (run `kyodo-server --data " + data_dir + " init`)");
    std::stringstream ss;
    ss << in.rdbuf();
    const Json j = Json::parse(ss.str(), nullptr, false);
    if (!j.is_object() || !j.contains("public_key") || !j.contains("secret_key") || !j["public_key"].is_string() ||
        !j["secret_key"].is_string())
        throw AdminError(path + ": not a city-hall key file (expected JSON with public_key and secret_key)");
    KeyPair k{j["public_key"].get<std::string>(), j["secret_key"].get<std::string>()};
    const auto pk = base64_decode(k.public_key_b64);
    const auto sk = base64_decode(k.secret_key_b64);
    if (!pk || pk->size() != 32 || !sk || sk->size() != 32)
        throw AdminError(path + ": public_key and secret_key must be 32 bytes each, base64");
    return k;
}

void write_file_atomic(const std::string& path, const std::string& content, unsigned mode) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw AdminError(tmp + ": " + std::strerror(errno));
    ::fchmod(fd, mode);   // umask must not widen or narrow what we asked for
    std::size_t off = 0;
    while (off < content.size()) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string err = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            throw AdminError(tmp + ": " + err);
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw AdminError(tmp + ": " + err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw AdminError(path + ": " + err);
    }
}

CatalogDelta read_catalog_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw AdminError(path + ": cannot read the catalog file");
    std::stringstream ss;
    ss << in.rdbuf();
    Json j;
    try {
        j = Json::parse(ss.str());
    } catch (const Json::parse_error& e) {
        throw AdminError(path + ": not valid JSON: " + e.what());
    }
    try {
        return catalog_from_json(j);
    } catch (const std::exception& e) {
        throw AdminError(path + ": not a catalog: " + e.what());
    }
}

InitResult init_data_dir(const std::string& data_dir, const std::string& catalog_file, const std::string& db_spec) {
    InitResult r;
    std::error_code ec;
    if (!fs::exists(data_dir, ec)) {
        if (!fs::create_directories(data_dir, ec) || ec)
            throw AdminError(data_dir + ": cannot create the data directory: " + ec.message());
        ::chmod(data_dir.c_str(), 0700);
        r.created_dir = true;
    } else if (!fs::is_directory(data_dir, ec)) {
        throw AdminError(data_dir + ": exists and is not a directory");
    }
    crypto_init();
    if (!fs::exists(key_path(data_dir), ec)) {
        const KeyPair k = generate_keypair();
        const Json j = {{"public_key", k.public_key_b64}, {"secret_key", k.secret_key_b64},
                        {"created_at", rfc3339_now()}};
        write_file_atomic(key_path(data_dir), j.dump(2) + "\n", 0600);
        r.created_keys = true;
    }
    load_keys(data_dir);   // fails loudly on a damaged key file
    auto storage = open_storage(db_spec.empty() ? db_path(data_dir) : db_spec);
    if (!catalog_file.empty() && storage->catalog_empty()) {
        // Importing is publishing: every activity gets its furigana here (kept where the file
        // already carries readings that match its texts).
        CatalogDelta d = read_catalog_file(catalog_file);
        for (auto& a : d.activities) refresh_furigana(a);
        storage->import_catalog(d);
        r.imported_catalog = true;
    }
    r.catalog_version = storage->catalog_version();
    return r;
}

bool is_valid_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (unsigned char c : id)
        if (!(std::isalnum(c) || c == '_' || c == '.' || c == '-')) return false;
    return true;
}

std::string enrol_kiosk(Storage& storage, const std::string& kiosk_id, const std::string& centre_id) {
    if (!is_valid_id(kiosk_id)) throw AdminError("kiosk id \"" + kiosk_id + "\": use 1-64 characters of A-Z a-z 0-9 _ . -");
    if (!is_valid_id(centre_id)) throw AdminError("centre id \"" + centre_id + "\": use 1-64 characters of A-Z a-z 0-9 _ . -");
    crypto_init();
    const std::string token = random_token(32);
    storage.enrol_device(kiosk_id, centre_id, sha256_hex(token), rfc3339_now());
    return token;
}

Json kiosk_config_json(const std::string& kiosk_id, const std::string& centre_id, const std::string& server_url,
                       const std::string& token, const std::string& public_key_b64, const std::string& db_path_) {
    return {{"kiosk_id", kiosk_id},
            {"centre_id", centre_id},
            {"server_url", server_url},
            {"token", token},
            {"ca_file", ""},
            {"city_hall_public_key", public_key_b64},
            {"db_path", db_path_},
            {"sync_interval_s", 60},
            {"idle_reset_s", 60},
            {"retention_days", 30}};
}

}  // namespace kyodo::server
