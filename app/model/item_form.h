// Things city hall gives away (不用物品の提供, issue 11 point 4; docs/items.md), at the kiosk: the
// items on offer (catalog activities of kind "item" the kiosk holds, so offline too), one item's
// details, then the request step by step — the group's registration number (checked against the
// directory the kiosk holds, the group's name shown), how many and what for; the contact person
// (担当者: name, reading, phone or e-mail, sealed for city hall like a sign-up's) and consent; a
// review; the receipt. Staff decide at city hall; nothing is promised here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/model/forms.h"
#include "core/types.h"

namespace kyodo::app {

enum class ItemStep { List, Detail, Request, Contact, Review };

struct ItemForm {
    ItemStep step = ItemStep::List;
    std::vector<Activity> offered;         // open items, in the store's order
    std::optional<Activity> item;          // the one chosen
    std::string group, quantity, purpose;
    std::optional<Organization> group_org; // the directory entry of `group`, once checked
    std::string name, furigana, phone, email;
    bool consent = false;

    FieldErrors errors;
    SubmitResult last;

    void clear();
    bool dirty() const;
    int index() const;                     // 0..2 for the progress bar (Request, Contact, Review)
    static constexpr int kSteps = 3;

    // The items that take requests at `now_ms` (core/items.h), from the kiosk's catalog.
    void load(const std::vector<Activity>& items, std::int64_t now_ms);
    void choose(const Activity& a);        // opens its details (keeps nothing of another item)
    int max_quantity() const;              // what may be asked for: 1 .. min(99, units left)

    // The typed number ("g-1", "0001", "Ｇ－０００１") as the directory writes it ("G-0001"), or
    // "" when it cannot be one.
    static std::string normalise_group(const std::string& typed);
    // Finds the group in the directory; errors["group"] = "unknown_group" when it is not there.
    bool check_group(const std::vector<Organization>& orgs);

    bool check_step(const std::vector<Organization>& orgs);
    bool next(const std::vector<Organization>& orgs);
    void back();

    Personal personal() const;
    Record record() const;                 // payload only: envelope and seal come at submit
    bool validate();
    SubmitResult submit(const SubmitContext& ctx);
};

}  // namespace kyodo::app
