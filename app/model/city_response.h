// 市の考え方 (the city's response to a draft's public comments, issue 9 point 7): what city hall
// published into the draft's catalog entry once its comment period closed (extra.city_response,
// docs/catalog.md) — a summary, then each comment that has an answer with the city's answer, by
// the draft's sections. The kiosk shows it on the draft's page (市の考え方を読む).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace kyodo::app {

struct CityResponseItem {
    std::string section_id;
    std::string section_title;   // from the draft's sections; the id when the section is gone
    std::string opinion;         // the comment, as city hall published it
    std::string answer;          // 市の考え方
};

struct CityResponse {
    std::string published_at;    // RFC 3339 UTC, as city hall wrote it
    std::string published_date;  // its date in Japan ("YYYY-MM-DD"), "" when unreadable
    std::string summary;
    std::vector<CityResponseItem> items;
    // Every text shown, for the font atlas.
    std::string all_text() const;
};

// The draft's published response; nullopt when `a` is not a draft, nothing was published, or
// what is there has neither a summary nor an item (a malformed entry is read as far as it goes:
// items without a string opinion and answer are skipped).
std::optional<CityResponse> city_response(const Activity& a);

}  // namespace kyodo::app
