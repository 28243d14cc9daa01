// Retry timing for the sync worker: exponential backoff with full jitter, and Retry-After.
// Pure functions, so they are unit-tested without clocks or threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace kyodo::sync {

using Millis = std::chrono::milliseconds;

inline constexpr Millis kBackoffBase{2'000};
inline constexpr Millis kBackoffCap{15 * 60 * 1'000};

// Full jitter ("Exponential Backoff And Jitter", AWS architecture blog): a delay drawn
// uniformly from [0, min(cap, base * 2^attempt)]. attempt counts failures so far, from 0.
// Spreading retries over the whole window keeps fifty kiosks that lost the network together
// from all knocking at once when it returns.
Millis next_delay(int attempt, Millis base, Millis cap, std::mt19937_64& rng);
inline Millis next_delay(int attempt, std::mt19937_64& rng) {
    return next_delay(attempt, kBackoffBase, kBackoffCap, rng);
}
// The ceiling of the window for `attempt` (what next_delay draws below).
Millis backoff_window(int attempt, Millis base = kBackoffBase, Millis cap = kBackoffCap);

// Retry-After as seconds from now: "120" or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT")
// compared with now_ms. nullopt when absent or unparseable; a date in the past gives 0.
// Capped at one day (a server asking for more is treated as asking for a day).
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_ms);

}  // namespace kyodo::sync
