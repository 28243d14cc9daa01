// Listings: search box, filters (a drawer on phone-width windows) and the result cards.
#pragma once

#include "app/model/listing.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class ListingsView final : public View {
public:
    ListingState listing;
    bool filters_open = false;           // narrow screens: the filters drawer

    void draw(Shell& shell) override;
    void reset() override {
        listing.clear();
        filters_open = false;
    }
    void on_enter(Shell&) override { listing.invalidate(); }
    void on_catalog_changed(Shell&) override { listing.invalidate(); }
    void preview(Shell& shell, Screen) override;
};

}  // namespace kyodo::app::screens
