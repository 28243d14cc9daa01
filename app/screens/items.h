// ゆずります（不用品）(issue 11 point 4, docs/items.md): the things city hall gives away, held in
// the kiosk's catalog (offline too) → one item → the request step by step (app/model/item_form.h):
// the group's registration number, checked against the kiosk's directory and its name shown,
// how many and what for → the contact person, sealed → review → receipt.
#pragma once

#include <vector>

#include "app/model/item_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class ItemsView final : public View {
public:
    ItemForm form;
    std::vector<Organization> orgs;   // the directory the kiosk holds (registration numbers)

    void start(Shell& shell);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { form.clear(); }
    bool dirty() const override { return form.dirty(); }
    void on_catalog_changed(Shell& shell) override { load(shell); }
    void preview(Shell& shell, Screen) override;

private:
    void load(Shell& shell);
    void draw_list(Shell& shell, float w);
    void draw_detail(Shell& shell, float w);
    void draw_request(Shell& shell, float w);
    void draw_contact(Shell& shell, float w);
    void draw_review(Shell& shell, float w);
};

}  // namespace kyodo::app::screens
