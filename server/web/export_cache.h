// Built exports (admin CSV/JSON and open data) kept in memory, keyed by what their content
// depends on, so an unchanged list is not rebuilt on every download. The key is made by the
// caller (server/web/exports.cpp): list, format, query, language, Storage::records_mark,
// catalog version, the dashboard's edit generation and the JST date where the content follows
// the day. Entries also expire after max_age, so changes the key cannot see (another server on
// the same PostgreSQL database, a command-line edit) show within that time.
//
// Bounded: at most max_bytes of bodies in all, least recently used dropped first; a body larger
// than a quarter of the bound is served but not kept. No session or role is part of an entry:
// the route checks the reader's role BEFORE looking here, and the content of a list is the same
// for every reader allowed to see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kyodo::server::web {

class ExportCache {
public:
    struct Entry {
        std::string body, content_type, etag, disposition;
        std::size_t rows = 0;
        std::chrono::steady_clock::time_point built{};
    };

    explicit ExportCache(std::size_t max_bytes = 64u << 20, std::chrono::seconds max_age = std::chrono::seconds(300))
        : max_bytes_(max_bytes), max_age_(max_age) {}

    // The entry for key, or null when absent or older than max_age.
    std::shared_ptr<const Entry> get(const std::string& key) {
        std::lock_guard lock(mu_);
        auto it = map_.find(key);
        if (it == map_.end()) return nullptr;
        if (std::chrono::steady_clock::now() - it->second.e->built > max_age_) {
            drop(it);
            return nullptr;
        }
        lru_.splice(lru_.begin(), lru_, it->second.pos);
        ++hits_;
        return it->second.e;
    }

    void put(const std::string& key, std::shared_ptr<const Entry> e) {
        std::lock_guard lock(mu_);
        if (auto it = map_.find(key); it != map_.end()) drop(it);
        if (e->body.size() > max_bytes_ / 4) return;
        bytes_ += e->body.size();
        lru_.push_front(key);
        map_.emplace(key, Slot{std::move(e), lru_.begin()});
        while (bytes_ > max_bytes_ && !lru_.empty()) drop(map_.find(lru_.back()));
    }

    // A mutation this process made (any dashboard POST): part of the callers' keys.
    std::uint64_t generation() const {
        std::lock_guard lock(mu_);
        return gen_;
    }
    void bump() {
        std::lock_guard lock(mu_);
        ++gen_;
    }

    std::size_t bytes() const {
        std::lock_guard lock(mu_);
        return bytes_;
    }
    std::size_t size() const {
        std::lock_guard lock(mu_);
        return map_.size();
    }
    std::uint64_t hits() const {
        std::lock_guard lock(mu_);
        return hits_;
    }
    void set_limits(std::size_t max_bytes, std::chrono::seconds max_age) {
        std::lock_guard lock(mu_);
        max_bytes_ = max_bytes;
        max_age_ = max_age;
        while (bytes_ > max_bytes_ && !lru_.empty()) drop(map_.find(lru_.back()));
    }

private:
    struct Slot {
        std::shared_ptr<const Entry> e;
        std::list<std::string>::iterator pos;
    };
    void drop(std::unordered_map<std::string, Slot>::iterator it) {
        bytes_ -= it->second.e->body.size();
        lru_.erase(it->second.pos);
        map_.erase(it);
    }
    mutable std::mutex mu_;
    std::size_t max_bytes_;
    std::chrono::seconds max_age_;
    std::size_t bytes_ = 0;
    std::uint64_t gen_ = 0, hits_ = 0;
    std::list<std::string> lru_;   // most recently used first
    std::unordered_map<std::string, Slot> map_;
};

}  // namespace kyodo::server::web
