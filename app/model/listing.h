// The listings screen's state: the search box, the filters, paging and the current page of
// results from KioskStore::search. Plain data; the screen only draws it. Results come
// upcoming first (undated and ongoing, then by date); ended ones are left out unless asked
// for (then after the rest) or unless the picked days are all past.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/model/dates.h"
#include "core/store.h"

namespace kyodo::app {

struct ListingFilters {
    std::optional<ActivityKind> kind;
    std::optional<Form> form;
    std::optional<Method> method;
    std::string field;        // 分野, "" = any
    std::string centre_id;    // "" = every centre
    bool only_open = false;   // only listings with places left
    DateRange when = DateRange::Any;   // 今日 / 今週 / 今週末 / 今月 / a day or range picked
    DaySpan picked;                    // when == Picked: the calendar's day or range
    bool show_ended = false;           // ended ones too (after the rest, marked 終了)

    int active_count() const;
    bool operator==(const ListingFilters&) const = default;
};

class ListingState {
public:
    static constexpr int kPageSize = 20;

    const std::string& query() const { return query_; }
    const ListingFilters& filters() const { return filters_; }
    int page() const { return page_; }
    int page_count() const;

    void set_query(std::string q);
    void set_filters(const ListingFilters& f);
    void set_kind(std::optional<ActivityKind> k);
    void set_form(std::optional<Form> f);
    void set_method(std::optional<Method> m);
    void set_field(std::string field);
    void set_centre(std::string centre_id);
    void set_only_open(bool on);
    void set_when(DateRange r, DaySpan picked = {});
    void set_show_ended(bool on);
    // The kiosk's own today: ended activities are judged by it and the quick ranges start
    // from it. Changing it (midnight, a test's override) re-runs the search.
    void set_today(std::string today);
    const std::string& today() const { return today_; }
    // The days the date filter covers now (empty = any day).
    DaySpan date_span() const;
    void clear();              // search text and every filter
    // Where the store stops counting (SearchQuery::count_cap; tests lower it).
    void set_count_cap(int cap) { count_cap_ = cap; dirty_ = true; }
    void next_page();
    void prev_page();

    // The query the store answers for the current state.
    SearchQuery to_query() const;

    // Runs the search if something changed (or `force`); keeps the old page on error.
    // Returns true when the results changed.
    bool refresh(const KioskStore& store, bool force = false);
    void invalidate() { dirty_ = true; }
    bool dirty() const { return dirty_; }
    const SearchResult& result() const { return result_; }
    // The string-table key of the count shown by the title: the store stops counting at
    // SearchQuery::count_cap, and then the count says "at least" (1000 件以上), not 1000 件.
    const char* count_key() const { return result_.total_capped ? "listings.count_more" : "listings.count"; }
    const std::string& error() const { return error_; }

private:
    std::string query_;
    std::string today_;
    ListingFilters filters_;
    int page_ = 0;
    int count_cap_ = SearchQuery{}.count_cap;
    bool dirty_ = true;
    SearchResult result_;
    std::string error_;
};

}  // namespace kyodo::app
