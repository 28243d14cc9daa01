// ご意見箱: an opinion, about an activity or in general.
#pragma once

#include <string>

#include "app/model/forms.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class OpinionView final : public View {
public:
    OpinionForm opinion;

    // About an activity (its id) or in general (""); kept when it is the same as before.
    void start(Shell& shell, const std::string& about_activity_id);
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { opinion.clear(); }
    bool dirty() const override { return opinion.dirty(); }
    void preview(Shell& shell, Screen) override { start(shell, ""); }
};

}  // namespace kyodo::app::screens
