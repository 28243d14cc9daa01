// Citizens' proposals reviewed against the call they answer (issue 12 point 6): the call's
// criteria, and the proposal record by id; shared by the review pages (proposal_review.cpp) and
// the project form that turns an adopted proposal into a project (projects.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/web/app.h"

namespace kyodo::server::web {

struct Criterion {
    std::string name;    // what reviews are stored under (ProposalReview::scores)
    int max = 5;         // points
    std::string label;   // what is shown, "" = the name (a call's own criteria are its words)
};
// The call's extra.criteria ([{"name":…, "max":…}]), or the usual five when it names none:
// those are stored under their Japanese names (as reviews always were) and shown in the
// reader's language.
std::vector<Criterion> call_criteria(const Json* call);
inline const std::string& criterion_label(const Criterion& c) { return c.label.empty() ? c.name : c.label; }

std::optional<AdminRecord> proposal_record(App& app, const std::string& id);

void install_proposal_review(App& app, httplib::Server& svr);

}  // namespace kyodo::server::web
