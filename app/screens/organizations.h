// 団体を知る: the directory of organisations (Screen::Organizations) and one
// organisation's page with its activities (Screen::Organization).
#pragma once

#include <string>

#include "app/model/directory.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class OrganizationsView final : public View {
public:
    Directory directory;

    void open_directory(Shell& shell);
    void open_organization(Shell& shell, const std::string& org_id);

    void draw(Shell& shell) override;
    void reset() override { directory.clear(); }
    void preview(Shell& shell, Screen s) override;

private:
    void draw_list(Shell& shell);
    void draw_page(Shell& shell);
};

}  // namespace kyodo::app::screens
