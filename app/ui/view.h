// One screen, one owner: every screen of the kiosk is a View that owns its state (the form
// being filled, the activity opened, the list's filters) and draws itself. The Shell
// (app/ui/shell.h) owns what every screen shares (texts, navigation, keyboard, fonts,
// settings) and only routes: Screen -> View.
//
// Adding a screen: a value in `Screen` (app/model/nav.h), a class here-shaped in
// app/screens/<name>.{h,cpp}, and one line in app/screens/registry.cpp. Another screen
// that needs it asks the shell: `shell.view<CancelView>().open(shell, id)`.
#pragma once

#include "app/model/nav.h"

namespace kyodo::app {

class Shell;

class View {
public:
    virtual ~View() = default;

    // Draws the screen into the content area (between the header and the footer).
    virtual void draw(Shell& shell) = 0;
    // Forgets everything of the resident (idle reset, はじめの画面へ): forms cleared,
    // nothing selected. The view must look as it did at start-up.
    virtual void reset() = 0;
    // The resident has entered something here that a reset would lose.
    virtual bool dirty() const { return false; }
    // Which page of the screen shows (a step of a flow): when it changes, like the screen,
    // every list starts at its top (a step must not open scrolled past its title).
    virtual int page() const { return 0; }

    // The screen is about to be shown (Shell::go): a fresh look (lists re-read).
    virtual void on_enter(Shell&) {}
    // The catalog changed under us (sync pulled).
    virtual void on_catalog_changed(Shell&) {}
    // Time passed without input: true when the picture changed by itself (redraw).
    // `wake_in` says when that will next happen (seconds from `now`; < 0: never).
    virtual bool tick(Shell&, double /*now*/) { return false; }
    virtual double wake_in(double /*now*/) const { return -1; }
    // --screenshot NAME: put plausible state on `screen` (one of this view's) from the
    // catalog, nothing stored, and navigate there. The shell has just reset everything.
    virtual void preview(Shell& shell, Screen screen) = 0;
};

}  // namespace kyodo::app
