// Form building blocks for the publishing pages (server/web/publish*.cpp): labelled fields of
// the right input type, each with its error right under it, and the checks every posted value
// goes through (core's UTF-8 and length rules, plus what the kiosk's font can draw). A form that
// fails is rendered again from what was posted, so nothing typed is lost.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"

namespace kyodo::server::web {

// Errors by field name ("title", "q.2.c.1"); the first error for a field wins.
struct FieldErrors {
    std::map<std::string, std::string> at;
    std::string general;   // not tied to one field (shown at the top)
    void add(const std::string& field, const std::string& msg) { at.emplace(field, msg); }
    bool any() const { return !at.empty() || !general.empty(); }
    // The box at the top of a failed form: each error as a link to its field (long forms: a
    // section's error can be a few screens down), named by the labels the fields recorded.
    std::string summary_html(const std::map<std::string, std::string>& labels) const;
};

// What every field of one form shares: its errors, read-only for viewers, and where the
// fields note their labels (for the error summary, rendered after them).
struct FormCtx {
    const FieldErrors& err;
    bool ro = false;
    std::map<std::string, std::string>* labels = nullptr;
    void note(const std::string& name, const std::string& label) const {
        if (labels) (*labels)[name] = label;
    }
};
// The id of a field's control: "f-" + name (names are ours: letters, digits, . and _).
std::string field_id(const std::string& name);

using Options = std::vector<std::pair<std::string, std::string>>;   // value, label

// <label>label <input …></label> plus the field's error. `attrs` is raw HTML attributes
// (type, required, pattern …) written by us, never user input.
std::string text_field(const FormCtx& f, const std::string& name, const std::string& label, const std::string& value,
                       const std::string& attrs = "", const std::string& hint = "", const std::string& cls = "");
std::string textarea_field(const FormCtx& f, const std::string& name, const std::string& label, const std::string& value,
                           int rows = 4, const std::string& attrs = "", const std::string& hint = "",
                           const std::string& cls = "wide");
// A select; a current value that is not among the options is kept as an extra option so an
// edit never silently changes it.
std::string select_field(const FormCtx& f, const std::string& name, const std::string& label, const Options& options,
                         const std::string& cur, const std::string& cls = "");
// Checkboxes sharing one name (posted values arrive joined by "\n"), plus an "other" text
// input `name`_other for values outside the list, which also shows selected values that
// are not among the options. other_label: none = the tables' "Other (comma-separated)" label,
// "" = no such input.
std::string checkbox_group(const FormCtx& f, const std::string& name, const std::string& legend,
                           const std::vector<std::string>& options, const std::vector<std::string>& selected,
                           const std::optional<std::string>& other_label = std::nullopt, const std::string& cls = "wide");
std::string checkbox_field(const FormCtx& f, const std::string& name, const std::string& label, bool checked);
// A date input `prefix`_date and an optional time input `prefix`_time, from an ISO value
// "2026-12-05" or "2026-12-05T10:00".
std::string date_time_field(const FormCtx& f, const std::string& prefix, const std::string& label, const std::string& iso,
                            bool with_time = true);
std::string field_error(const FieldErrors& e, const std::string& name);

// Posted values back into the catalog's forms.
std::vector<std::string> split_list(const std::string& s);   // by , 、 and newlines, trimmed
std::string join_list(const Json& arr, const char* sep);
std::string trim(const std::string& s);
std::string normalise_newlines(const std::string& s);       // CRLF / CR → LF (textareas)
// Date + time inputs → "2026-12-05" / "2026-12-05T10:00" / ""; adds an error under
// `prefix`_date when malformed or when a time comes without a date.
std::string join_date_time(const std::map<std::string, std::string>& form, const std::string& prefix, FieldErrors& err,
                           bool with_time = true);
bool is_iso_date(const std::string& s);   // "2026-12-05", a real calendar day
bool is_hh_mm(const std::string& s);      // "10:00"

// A text a kiosk will show: valid UTF-8, no control characters (newlines only when
// multi_line), at most `max` characters, required or not, and drawable by the kiosk's
// 16-bit font atlas (nothing beyond U+FFFF). Adds a Japanese message under `field`.
void check_text(FieldErrors& err, const std::string& field, const std::string& value, std::size_t max, bool required,
                bool multi_line = false);
// The catalog's ids: [A-Za-z0-9_.-]{1,64}.
void check_id(FieldErrors& err, const std::string& field, const std::string& value);

// Row editing without JavaScript: the "op" submit button's value, e.g. "add:q", "del:q.2",
// "up:q.2.c.1", "down:s.0". Applies it to `rows` when its list path equals `path` ("q",
// "q.2.c", "s"); returns true when it did.
bool apply_row_op(const std::string& op, const std::string& path, Json& rows, const Json& blank);
// The ↑ ↓ 削除 buttons of one row (disabled for viewers; ↑ absent on the first row …).
std::string row_buttons(const FormCtx& f, const std::string& path, std::size_t i, std::size_t n, const std::string& what);

}  // namespace kyodo::server::web
