// Listings: search box, filters (a drawer on phone-width windows) and the result cards.
#pragma once

#include "app/model/listing.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class ListingsView final : public View {
public:
    ListingState listing;
    bool filters_open = false;           // narrow screens: the filters drawer
    CalendarPick calendar;               // the touch calendar's month and pick
    bool calendar_open = false;          // 日付をえらぶ: the calendar's layer is open
    float calendar_content_h = 0;        // its height as last drawn (sizes the layer)

    void draw(Shell& shell) override;
    void reset() override {
        listing.clear();
        filters_open = false;
        calendar = CalendarPick();
        calendar_open = false;
        calendar_content_h = 0;
    }
    void on_enter(Shell&) override { listing.invalidate(); }
    void on_catalog_changed(Shell&) override { listing.invalidate(); }
    void preview(Shell& shell, Screen) override;

private:
    void draw_page(Shell& shell);   // all but the keyboard, drawn over it when open
};

}  // namespace kyodo::app::screens
