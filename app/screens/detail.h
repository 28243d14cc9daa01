// An activity's page: what, when, where, places left, organisers, QR code, and the way on
// (sign up, an opinion, a comment on a draft, a proposal).
#pragma once

#include <optional>
#include <string>

#include "app/model/texts.h"
#include "app/ui/view.h"
#include "core/types.h"

namespace kyodo::app::screens {

class DetailView final : public View {
public:
    std::optional<Activity> selected;
    std::string missing_id;              // the activity opened was not found

    // Reads the activity and shows its page.
    void open(Shell& shell, const std::string& id);

    void draw(Shell& shell) override;
    void reset() override {
        selected.reset();
        missing_id.clear();
    }
    void on_catalog_changed(Shell& shell) override;
    void preview(Shell& shell, Screen) override;

private:
    float action_panel(Shell& shell, const Activity& a, float width);
    // What the action panel's last measured height (panel_h_) was measured for.
    struct PanelKey {
        std::string id;
        float width = 0, font_size = 0;
        Lang lang = Lang::Ja;
        std::string today;
        bool operator==(const PanelKey&) const = default;
    };
    PanelKey panel_key_;
    float panel_h_ = 0;
};

// For screenshots: an activity that shows the most (an event with places left).
std::optional<Activity> preview_activity(Shell& shell);

}  // namespace kyodo::app::screens
