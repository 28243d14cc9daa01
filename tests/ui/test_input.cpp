// The input latch: a tap that is pressed and released between two frames still reaches
// ImGui as a press (one frame) then a release at the lift position (the next frame).
#include <doctest/doctest.h>

#include "app/model/input_latch.h"

using namespace kyodo::app;
using T = InputEvent::Type;

namespace {
InputEvent ev(T type, float x = 0, float y = 0, int button = 0) {
    InputEvent e;
    e.type = type;
    e.x = x;
    e.y = y;
    e.button = button;
    return e;
}
InputEvent key(int k, bool down) {
    InputEvent e;
    e.type = T::Key;
    e.key = k;
    e.down = down;
    return e;
}
}  // namespace

TEST_CASE("a quick tap spans two frames") {
    InputLatch l;
    l.push({ev(T::PointerMove, 100, 200), ev(T::PointerDown, 100, 200), ev(T::PointerUp, 104, 203)});
    InputFrame f1 = l.next_frame();
    CHECK(f1.any);
    CHECK(f1.buttons[0]);
    CHECK(f1.x == 100);
    CHECK(f1.y == 200);
    CHECK(l.pending());
    InputFrame f2 = l.next_frame();
    CHECK_FALSE(f2.buttons[0]);
    CHECK(f2.x == 104);   // the release is seen where the finger lifted
    CHECK(f2.y == 203);
    CHECK_FALSE(l.pending());
    InputFrame f3 = l.next_frame();
    CHECK_FALSE(f3.any);
    CHECK(f3.x == 104);   // position persists
}

TEST_CASE("two taps between frames become four frames") {
    InputLatch l;
    l.push({ev(T::PointerDown, 1, 1), ev(T::PointerUp, 1, 1), ev(T::PointerDown, 50, 50),
            ev(T::PointerUp, 50, 50)});
    bool seq[4];
    float xs[4];
    for (int i = 0; i < 4; ++i) {
        InputFrame f = l.next_frame();
        seq[i] = f.buttons[0];
        xs[i] = f.x;
    }
    CHECK(seq[0]);
    CHECK_FALSE(seq[1]);
    CHECK(seq[2]);
    CHECK_FALSE(seq[3]);
    CHECK(xs[2] == 50);
    CHECK_FALSE(l.pending());
}

TEST_CASE("a move after a release waits for the next frame") {
    InputLatch l;
    l.push({ev(T::PointerDown, 10, 10)});
    CHECK(l.next_frame().buttons[0]);
    l.push({ev(T::PointerUp, 12, 12), ev(T::PointerMove, 300, 300)});
    InputFrame f = l.next_frame();
    CHECK_FALSE(f.buttons[0]);
    CHECK(f.x == 12);
    InputFrame g = l.next_frame();
    CHECK(g.x == 300);
}

TEST_CASE("drags keep the button down and follow the finger") {
    InputLatch l;
    l.push({ev(T::PointerDown, 10, 10), ev(T::PointerMove, 10, 40), ev(T::PointerMove, 10, 90)});
    InputFrame f = l.next_frame();
    CHECK(f.buttons[0]);
    CHECK(f.y == 90);
    CHECK_FALSE(l.pending());
}

TEST_CASE("keys, characters and scroll") {
    InputLatch l;
    InputEvent c;
    c.type = T::Char;
    c.codepoint = 0x3042;   // あ
    InputEvent s;
    s.type = T::Scroll;
    s.dy = -1;
    l.push({key(65, true), c, key(65, false), s});
    InputFrame f1 = l.next_frame();
    REQUIRE(f1.keys.size() == 1);
    CHECK(f1.keys[0].down);
    REQUIRE(f1.chars.size() == 1);
    CHECK(f1.chars[0] == 0x3042u);
    InputFrame f2 = l.next_frame();
    REQUIRE(f2.keys.size() == 1);
    CHECK_FALSE(f2.keys[0].down);
    CHECK(f2.wheel_y == -1);
}

TEST_CASE("a held frame repeats the state and leaves the waiting events for later") {
    InputLatch l;
    l.push({ev(T::PointerDown, 10, 20), ev(T::PointerMove, 30, 40)});
    InputFrame f1 = l.next_frame();   // the press and the move
    REQUIRE(f1.buttons[0]);
    l.push({ev(T::PointerUp, 30, 40), key(256, true)});
    InputFrame h = l.held();
    CHECK_FALSE(h.any);                // nothing new: the frame is only for the layout
    CHECK(h.buttons[0]);               // the finger is still down
    CHECK(h.x == 30);
    CHECK(h.y == 40);
    CHECK(h.keys.empty());
    CHECK(l.pending());
    InputFrame f2 = l.next_frame();    // the release and the key arrive after the hold
    CHECK_FALSE(f2.buttons[0]);
    REQUIRE(f2.keys.size() == 1);
    CHECK(f2.keys[0].key == 256);
    CHECK_FALSE(l.pending());
}
