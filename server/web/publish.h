// Shared by the publishing pages: activities (publish.cpp) with the draft and call editors
// (publish_extra.cpp), centres and organizations (publish_catalog.cpp), surveys
// (publish_survey.cpp). Each page renders its form from a catalog entity as JSON, reads a
// posted form back into that JSON (so a failed save shows exactly what was typed), checks it,
// and saves it as a one-entity Storage::import_catalog delta.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/web/app.h"
#include "server/web/form.h"

namespace kyodo::server::web {

// Departments (担当課) named anywhere in the catalog (activities, calls' partner departments,
// organizations of type 行政), sorted.
std::vector<std::string> catalog_departments(const Json& cat);
// A department select plus a text input `name`_other for one not yet in the catalog.
std::string department_field(const FormCtx& f, const Json& cat, const std::string& name, const std::string& label,
                             const std::string& cur);
std::string read_department(const std::map<std::string, std::string>& form, const std::string& name);
// Checked boxes `name` plus the `name`_other text input, as one list.
std::vector<std::string> read_checked(const std::map<std::string, std::string>& form, const std::string& name);
// Checkboxes post in the page's order: keep the stored order for what stays, new items after,
// so an untouched form is no change.
Json keep_order(const Json& old, const std::vector<std::string>& now);
std::string posted(const std::map<std::string, std::string>& form, const std::string& name);   // "" when absent

// The stored entity as catalog JSON, read-only, folded away ("advanced" view).
std::string json_view(const Json& stored);
// After a save: the flash message with the new catalog version, or "no change"; `name` is the
// entity's title as it is (the table puts the quotes around it).
std::string saved_message(const std::string& name, std::int64_t before, std::int64_t after);
// "add a row / remove / reorder" buttons and "refresh" re-render the form without saving.
bool is_save(const std::map<std::string, std::string>& form);

// The kind-specific parts of an activity's `extra`: a draft for public comment (sections,
// comment period) and a call for proposals (themes, dates, amount, partner departments).
// Rendering reads `extra`; reading writes the posted fields into `extra` (other keys kept),
// applies a row op, and checks.
std::string draft_editor(const FormCtx& f, const Json& extra);
void read_draft(const std::map<std::string, std::string>& form, Json& extra, FieldErrors& err);
std::string call_editor(const FormCtx& f, const Json& cat, const Json& extra);
void read_call(const std::map<std::string, std::string>& form, Json& extra, FieldErrors& err);

void install_catalog_forms(App& app, httplib::Server& svr);   // centres, organizations
void install_survey_form(App& app, httplib::Server& svr);

}  // namespace kyodo::server::web
