// 団体の利用登録 (issue 11 point 2, docs/groups.md): a group applies (app/model/group_form.h)
// step by step by touch: the group → its representative and consent → review → receipt (the
// application's receipt number and check code). "登録番号を確かめる" opens the short form that
// finds an approved group's registration number in the catalog by that receipt number.
#pragma once

#include <vector>

#include "app/model/group_form.h"
#include "app/ui/view.h"
#include "core/types.h"

namespace kyodo::app::screens {

class GroupsView final : public View {
public:
    GroupForm group;
    std::vector<Centre> centres;

    void start(Shell& shell);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { group.clear(); }
    bool dirty() const override { return group.dirty(); }
    void on_catalog_changed(Shell& shell) override { load(shell); }
    void preview(Shell& shell, Screen) override;

private:
    void load(Shell& shell);
};

}  // namespace kyodo::app::screens
