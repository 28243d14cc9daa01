// 人材バンク: a resident registers what they can offer (app/model/talent_form.h), step by
// step by touch: help and fields → areas and times → contact and consent → review → receipt.
// "登録をやめる" opens the short form that leaves the bank (receipt number + check code).
// The first step shows the groups' open requests for help (人材募集: catalog activities
// with extra.talent_request).
#pragma once

#include <vector>

#include "app/model/talent_form.h"
#include "app/ui/view.h"
#include "core/types.h"

namespace kyodo::app::screens {

class TalentView final : public View {
public:
    TalentForm talent;
    std::vector<Activity> requests;   // open 人材募集, refreshed on entry
    std::vector<Centre> centres;

    void start(Shell& shell);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { talent.clear(); }
    bool dirty() const override { return talent.dirty(); }
    void on_catalog_changed(Shell& shell) override { load(shell); }
    void preview(Shell& shell, Screen) override;

private:
    void load(Shell& shell);
};

}  // namespace kyodo::app::screens
