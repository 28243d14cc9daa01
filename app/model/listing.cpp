#include "app/model/listing.h"

#include <algorithm>

namespace kyodo::app {

int ListingFilters::active_count() const {
    return (kind ? 1 : 0) + (form ? 1 : 0) + (method ? 1 : 0) + (field.empty() ? 0 : 1) +
           (centre_id.empty() ? 0 : 1) + (only_open ? 1 : 0) + (when != DateRange::Any ? 1 : 0) +
           (show_ended ? 1 : 0);
}

int ListingState::page_count() const {
    return std::max(1, (result_.total + kPageSize - 1) / kPageSize);
}

void ListingState::set_query(std::string q) {
    if (q == query_) return;
    query_ = std::move(q);
    page_ = 0;
    dirty_ = true;
}

void ListingState::set_filters(const ListingFilters& f) {
    if (f == filters_) return;
    filters_ = f;
    page_ = 0;
    dirty_ = true;
}

void ListingState::set_kind(std::optional<ActivityKind> k) {
    ListingFilters f = filters_;
    f.kind = k;
    set_filters(f);
}
void ListingState::set_form(std::optional<Form> v) {
    ListingFilters f = filters_;
    f.form = v;
    set_filters(f);
}
void ListingState::set_method(std::optional<Method> m) {
    ListingFilters f = filters_;
    f.method = m;
    set_filters(f);
}
void ListingState::set_field(std::string field) {
    ListingFilters f = filters_;
    f.field = std::move(field);
    set_filters(f);
}
void ListingState::set_centre(std::string centre_id) {
    ListingFilters f = filters_;
    f.centre_id = std::move(centre_id);
    set_filters(f);
}
void ListingState::set_only_open(bool on) {
    ListingFilters f = filters_;
    f.only_open = on;
    set_filters(f);
}

void ListingState::set_when(DateRange r, DaySpan picked) {
    ListingFilters f = filters_;
    f.when = r;
    f.picked = r == DateRange::Picked ? std::move(picked) : DaySpan{};
    set_filters(f);
}
void ListingState::set_show_ended(bool on) {
    ListingFilters f = filters_;
    f.show_ended = on;
    set_filters(f);
}

void ListingState::set_today(std::string today) {
    if (today == today_) return;
    today_ = std::move(today);
    dirty_ = true;
}

DaySpan ListingState::date_span() const {
    return filters_.when == DateRange::Picked ? filters_.picked : span_of(filters_.when, today_);
}

void ListingState::clear() {
    set_query("");
    set_filters({});
}

void ListingState::next_page() {
    if (page_ + 1 < page_count()) {
        ++page_;
        dirty_ = true;
    }
}

void ListingState::prev_page() {
    if (page_ > 0) {
        --page_;
        dirty_ = true;
    }
}

SearchQuery ListingState::to_query() const {
    SearchQuery q;
    // Leading/trailing blanks (ASCII and the full-width space) are not part of a search.
    std::string t = query_;
    auto strip_front = [&] {
        for (;;) {
            if (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
            else if (t.rfind("\xE3\x80\x80", 0) == 0) t.erase(0, 3);
            else break;
        }
    };
    auto strip_back = [&] {
        for (;;) {
            if (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
            else if (t.size() >= 3 && t.compare(t.size() - 3, 3, "\xE3\x80\x80") == 0) t.resize(t.size() - 3);
            else break;
        }
    };
    strip_front();
    strip_back();
    q.text = t;
    q.count_cap = count_cap_;
    q.kind = filters_.kind;
    q.form = filters_.form;
    q.method = filters_.method;
    q.field = filters_.field;
    q.centre_id = filters_.centre_id;
    q.only_open_places = filters_.only_open;
    const DaySpan span = date_span();
    q.date_from = span.from;
    q.date_to = span.to;
    q.today = today_;
    // Days picked wholly in the past can only hold ended activities: show them (marked).
    q.ended_last = filters_.show_ended || (!span.to.empty() && !today_.empty() && span.to < today_);
    q.limit = kPageSize;
    q.offset = page_ * kPageSize;
    return q;
}

bool ListingState::refresh(const KioskStore& store, bool force) {
    if (!dirty_ && !force) return false;
    dirty_ = false;
    try {
        result_ = store.search(to_query());
        error_.clear();
        // The catalog may have shrunk under us (sync): step back to the last real page.
        if (page_ > 0 && result_.items.empty() && result_.total > 0) {
            page_ = page_count() - 1;
            result_ = store.search(to_query());
        }
    } catch (const std::exception& e) {
        error_ = e.what();
    }
    return true;
}

}  // namespace kyodo::app
