// 提案する: a proposal to the open call (公募), then review.
#pragma once

#include <string>

#include "app/model/proposal_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class ProposalView final : public View {
public:
    ProposalForm proposal;

    void start(Shell& shell, const std::string& call_id);   // "" = the open call, if any
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { proposal.clear(); }
    bool dirty() const override { return proposal.dirty(); }
    int page() const override { return proposal.review ? 1 : 0; }
    void preview(Shell& shell, Screen) override { start(shell, ""); }
};

}  // namespace kyodo::app::screens
