// The organization directory (団体を知る): organizations grouped by type, a type filter, and
// one organization's page with the activities it organizes (links back to their detail).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/store.h"

namespace kyodo::app {

struct Directory {
    std::vector<Organization> orgs;          // sorted by type order, then reading
    std::vector<std::string> types;          // types present, in the order shown
    std::string type_filter;                 // "" = all
    std::optional<Organization> selected;    // the organization page
    std::vector<Activity> activities;        // selected's activities

    void load(const KioskStore& store);      // (re)reads organizations; keeps the filter
    std::vector<const Organization*> visible() const;
    int count_of(const std::string& type) const;
    bool open(const KioskStore& store, const std::string& org_id);   // false when unknown
    void clear();                            // idle reset: filter and page forgotten
};

}  // namespace kyodo::app
