// The harness's damage-tracking cases (app/ui/damage.h, Platform::render): a frame draws
// again only what changed since the last one, into the back buffer that kept the last
// frame. The picture built up that way must be the picture drawn whole, byte for byte.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "app/ui/theme.h"
#include "harness.h"

namespace kyodo::test {

namespace {

// The picture the frames so far left, against the same draw data drawn whole again.
void check_same_as_whole(Harness& h, const std::string& where) {
    CAPTURE(where);
    int w = 0, hgt = 0;
    const std::vector<std::uint8_t> built_up = h.platform->read_pixels(w, hgt);
    h.platform->redraw_all();
    const ImVec4 bg = theme::vec(theme::kPage);   // as Shell::frame clears
    h.platform->render(ImGui::GetDrawData(), bg.x, bg.y, bg.z);
    CHECK(h.platform->damaged_screens() == doctest::Approx(1.0));
    const std::vector<std::uint8_t> whole = h.platform->read_pixels(w, hgt);
    REQUIRE(built_up.size() == whole.size());
    long differ = 0, first = -1;
    for (std::size_t i = 0; i < whole.size(); i += 4)
        if (std::memcmp(&built_up[i], &whole[i], 4) != 0) {
            if (first < 0) first = static_cast<long>(i / 4);
            ++differ;
        }
    CHECK_MESSAGE(differ == 0, where << ": " << differ << " pixels differ from the whole redraw, the first at x "
                                     << (first < 0 ? 0 : first % w) << " y " << (first < 0 ? 0 : first / w));
}

// A finger on the results moving up by `step` pixels a frame: the list scrolls, and only
// the list (with its scroll bar) is drawn again. Checks the picture every few frames.
void drag_results(Harness& h, const std::string& where, float step) {
    InputFrame in;
    in.any = in.has_pos = true;
    in.x = 1344;
    in.y = 760;
    in.buttons[0] = true;
    int moved = 0;
    for (int i = 0; i < 16; ++i) {
        in.y -= step;
        h.frame(in);
        const double d = h.platform->damaged_screens();
        if (i >= 4 && d > 0) {   // past the drag threshold (and the card's pressed look)
            ++moved;
            CHECK_MESSAGE(d < 0.7, where << ": frame " << i << " of the drag drew " << d << " screens");
        }
        if (i % 5 == 4) check_same_as_whole(h, where + ", frame " + std::to_string(i) + " of the drag");
    }
    CHECK_MESSAGE(moved >= 8, where << ": the list scrolled in " << moved << " frames of 11");
    in.buttons[0] = false;
    h.frame(in);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ui::touch_scroll_active() && std::chrono::steady_clock::now() < deadline) h.idle(1);
    h.idle(2);
    check_same_as_whole(h, where + ", at rest");
}

}  // namespace

TEST_CASE("harness: frames drawn in part (damage tracking) are the picture drawn whole, byte for byte") {
    if (!need_display()) return;
    Harness h("harness-damage");
    h.tap("find");
    REQUIRE(h.screen() == Screen::Listings);
    h.idle(2);
    check_same_as_whole(h, "listings");
    h.idle(1);
    CHECK(h.platform->damaged_screens() == 0.0);   // nothing changed: nothing drawn
    drag_results(h, "listings", 12);
    drag_results(h, "listings, further down", 20);

    // To a detail page and back: a new screen, then the list again.
    h.tap("card");
    REQUIRE(h.screen() == Screen::Detail);
    h.idle(2);
    check_same_as_whole(h, "detail");
    h.tap("back");
    REQUIRE(h.screen() == Screen::Listings);
    h.idle(2);
    check_same_as_whole(h, "listings after the detail page");

    // 特大: a new font atlas (a new texture: everything drawn again), then a drag.
    h.app->settings.text_size = TextSize::ExtraLarge;
    h.idle(4);
    check_same_as_whole(h, "listings at 特大");
    drag_results(h, "listings at 特大", 12);
    h.shot("damage-listings-xlarge");
}

}  // namespace kyodo::test
