// The start screen: the big entry tiles and what is on at this centre this week.
#pragma once

#include "app/model/start_board.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class StartView final : public View {
public:
    StartBoard board;

    void draw(Shell& shell) override;
    void reset() override { board.invalidate(); }
    void preview(Shell&, Screen) override {}
};

}  // namespace kyodo::app::screens
