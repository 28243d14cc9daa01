// The kind-specific parts of an activity, kept in its `extra`: a draft for public comment
// (sections the kiosk offers to comment on, the comment period) and a call for proposals
// (themes, deadline, amount, the departments a proposal can partner with). Keys the form does
// not show (sample markers, sources) are kept as they are.
#include <algorithm>

#include "server/web/publish.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {

constexpr std::size_t kMaxSections = 100;

// The kinds of proposal a call accepts: stored as the Japanese words in extra.proposal_types
// (data the kiosk's proposal form reads), so the boxes show them as they are stored.
std::vector<std::string> proposal_types() {
    return {data_ja("publish_extra.proposal_type.resident"), data_ja("publish_extra.proposal_type.city")};
}

std::string get(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }

// An empty value leaves an absent key absent, so saving an untouched form changes nothing.
void set_text(Json& extra, const char* key, const std::string& v) {
    if (v.empty() && !extra.contains(key)) return;
    extra[key] = v;
}

std::vector<std::string> strings(const Json& j, const char* k) {
    std::vector<std::string> out;
    if (j.contains(k) && j[k].is_array())
        for (const Json& x : j[k])
            if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
}

void set_list(Json& extra, const char* key, const std::vector<std::string>& now) {
    if (now.empty() && !extra.contains(key)) return;
    extra[key] = keep_order(extra.contains(key) ? extra[key] : Json::array(), now);
}

std::string next_id(const Json& rows, const char* prefix) {
    int n = 0;
    for (const Json& r : rows) {
        const std::string id = get(r, "id");
        if (id.rfind(prefix, 0) == 0) {
            try {
                n = std::max(n, std::stoi(id.substr(std::string(prefix).size())));
            } catch (const std::exception&) {
            }
        }
    }
    return prefix + std::to_string(n + 1);
}

}  // namespace

std::string draft_editor(const FormCtx& f, const Json& extra) {
    const Json sections = extra.contains("sections") && extra["sections"].is_array() ? extra["sections"] : Json::array();
    std::string o = "<fieldset class=\"group wide\"><legend>" + esc(tr("publish_extra.draft.legend")) +
                    "</legend><input type=\"hidden\" name=\"draft_form\" value=\"1\">" +
                    date_time_field(f, "comment_from", tr("publish_extra.draft.comment_from"), get(extra, "comment_from"), false) +
                    date_time_field(f, "comment_until", tr("publish_extra.draft.comment_until"), get(extra, "comment_until"), false) +
                    text_field(f, "results_published", tr("publish_extra.draft.results_published"), get(extra, "results_published"), "maxlength=\"60\"",
                               tr("publish_extra.draft.results_published_hint"), "wide") +
                    "<h3 class=\"wide\">" + esc(tr("publish_extra.draft.sections")) + "</h3><p class=\"wide muted\">" +
                    esc(tr("publish_extra.draft.sections_hint")) + "</p>" +
                    field_error(f.err, "sections") + "<ol id=\"" + field_id("sections") + "\" class=\"rows wide\">";
    f.note("sections", tr("publish_extra.draft.sections"));
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const std::string p = "s." + std::to_string(i) + ".";
        const Json& s = sections[i];
        o += "<li class=\"row\"><div class=\"rowhead\"><strong>" + esc(trf("publish_extra.section.nth", {{"n", std::to_string(i + 1)}})) +
             "</strong>" + row_buttons(f, "s", i, sections.size(), tr("publish_extra.section.this")) + "</div><div class=\"grid2\">" +
             text_field(f, p + "id", tr("publish_extra.section.id"), get(s, "id"), "maxlength=\"64\" pattern=\"[A-Za-z0-9_.\\-]{1,64}\"") +
             text_field(f, p + "title", tr("publish_extra.section.title"), get(s, "title"), "maxlength=\"100\"", tr("publish_extra.section.title_hint")) +
             textarea_field(f, p + "text", tr("publish_extra.section.text"), get(s, "text"), 5, "maxlength=\"4000\"", tr("publish_extra.section.text_hint")) +
             "</div></li>";
    }
    o += "</ol>";
    if (!f.ro && sections.size() < kMaxSections) o += "<p class=\"wide\"><button name=\"op\" value=\"add:s\">" + esc(tr("publish_extra.section.add")) + "</button></p>";
    return o + "</fieldset>";
}

void read_draft(const std::map<std::string, std::string>& form, Json& extra, FieldErrors& err) {
    if (posted(form, "draft_form") != "1") return;   // the kind was just changed: nothing of this part was on the page
    set_text(extra, "comment_from", join_date_time(form, "comment_from", err, false));
    set_text(extra, "comment_until", join_date_time(form, "comment_until", err, false));
    set_text(extra, "results_published", trim(posted(form, "results_published")));
    const Json old = extra.contains("sections") && extra["sections"].is_array() ? extra["sections"] : Json::array();
    Json sections = Json::array();
    for (std::size_t i = 0; i <= kMaxSections; ++i) {   // one past the limit, so too many is an error, not a silent cut
        const std::string p = "s." + std::to_string(i) + ".";
        if (!form.count(p + "id")) break;
        Json s = i < old.size() && old[i].is_object() ? old[i] : Json::object();
        s["id"] = trim(posted(form, p + "id"));
        s["title"] = trim(posted(form, p + "title"));
        s["text"] = trim(normalise_newlines(posted(form, p + "text")));
        sections.push_back(s);
    }
    apply_row_op(posted(form, "op"), "s", sections, {{"id", next_id(sections, "s")}, {"title", ""}, {"text", ""}});
    extra["sections"] = sections;

    if (sections.size() > kMaxSections) err.add("sections", trf("publish_extra.err.sections_max", {{"n", std::to_string(kMaxSections)}}));
    if (sections.empty()) err.add("sections", tr("publish_extra.err.sections_none"));
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const std::string p = "s." + std::to_string(i) + ".";
        const std::string id = get(sections[i], "id");
        check_id(err, p + "id", id);
        if (std::find(seen.begin(), seen.end(), id) != seen.end()) err.add(p + "id", tr("publish_extra.err.section_dup"));
        seen.push_back(id);
        check_text(err, p + "title", get(sections[i], "title"), 100, true);
        check_text(err, p + "text", get(sections[i], "text"), 4000, true, true);
    }
    const std::string from = get(extra, "comment_from"), until = get(extra, "comment_until");
    if (from.empty() && !err.at.count("comment_from_date")) err.add("comment_from_date", tr("publish_extra.err.comment_from"));
    if (until.empty() && !err.at.count("comment_until_date")) err.add("comment_until_date", tr("publish_extra.err.comment_until"));
    if (!from.empty() && !until.empty() && until < from && !err.at.count("comment_until_date"))
        err.add("comment_until_date", tr("publish_extra.err.comment_order"));
    check_text(err, "results_published", get(extra, "results_published"), 60, false);
}

std::string call_editor(const FormCtx& f, const Json& cat, const Json& extra) {
    const std::string period = get(extra, "project_period");
    const auto slash = period.find('/');
    const std::string pfrom = slash == std::string::npos ? period : period.substr(0, slash);
    const std::string puntil = slash == std::string::npos ? "" : period.substr(slash + 1);
    const std::string amount = extra.contains("max_amount_yen") && extra["max_amount_yen"].is_number_integer()
                                   ? std::to_string(extra["max_amount_yen"].get<long long>())
                               : extra.contains("max_amount_yen") && extra["max_amount_yen"].is_string() ? extra["max_amount_yen"].get<std::string>()
                                                                                                         : "";
    std::string themes;
    for (const std::string& t : strings(extra, "themes")) themes += (themes.empty() ? "" : "\n") + t;
    std::string criteria;
    if (extra.contains("criteria") && extra["criteria"].is_array())
        for (const Json& c : extra["criteria"])
            if (c.is_object() && c.contains("name") && c["name"].is_string())
                criteria += (criteria.empty() ? "" : "\n") + c["name"].get<std::string>() + " " +
                            std::to_string(c.contains("max") && c["max"].is_number_integer() ? c["max"].get<int>() : 5);
    return "<fieldset class=\"group wide\"><legend>" + esc(tr("publish_extra.call.legend")) +
           "</legend><input type=\"hidden\" name=\"call_form\" value=\"1\">" +
           textarea_field(f, "themes", tr("publish_extra.call.themes"), themes, 5, "", tr("publish_extra.call.themes_hint")) +
           textarea_field(f, "criteria", tr("publish_extra.call.criteria"), criteria, 5, "", tr("publish_extra.call.criteria_hint")) +
           date_time_field(f, "deadline", tr("publish_extra.call.deadline"), get(extra, "deadline"), false) +
           date_time_field(f, "consultation_until", tr("publish_extra.call.consultation_until"), get(extra, "consultation_until"), false) +
           text_field(f, "presentation", tr("publish_extra.call.presentation"), get(extra, "presentation"), "maxlength=\"100\"",
                      tr("publish_extra.call.presentation_hint"), "wide") +
           date_time_field(f, "project_from", tr("publish_extra.call.project_from"), pfrom, false) +
           date_time_field(f, "project_until", tr("publish_extra.call.project_until"), puntil, false) +
           text_field(f, "max_amount_yen", tr("publish_extra.call.max_amount"), amount, "type=\"number\" min=\"0\" max=\"1000000000\" step=\"1\"") +
           text_field(f, "amount_note", tr("publish_extra.call.amount_note"), get(extra, "amount_note"), "maxlength=\"100\"") +
           checkbox_group(f, "proposal_types", tr("publish_extra.call.proposal_types"), proposal_types(), strings(extra, "proposal_types"), "") +
           checkbox_group(f, "partner_departments", tr("publish_extra.call.partner_departments"), catalog_departments(cat),
                          strings(extra, "partner_departments"), tr("publish_extra.call.partner_departments_other")) +
           "</fieldset>";
}

void read_call(const std::map<std::string, std::string>& form, Json& extra, FieldErrors& err) {
    if (posted(form, "call_form") != "1") return;
    // One theme a line: a theme may itself contain 、 or commas.
    std::vector<std::string> themes;
    const std::string text = normalise_newlines(posted(form, "themes"));
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t nl = std::min(text.find('\n', at), text.size());
        const std::string line = trim(text.substr(at, nl - at));
        if (!line.empty()) themes.push_back(line);
        at = nl + 1;
    }
    if (!themes.empty() || extra.contains("themes")) {
        Json t = Json::array();
        for (const std::string& s : themes) t.push_back(s);   // the order typed is the order shown
        extra["themes"] = t;
    }
    // 審査基準: one a line, like 公益性 10; the points (1-100) last, 5 when not written.
    Json criteria = Json::array();
    const std::string ctext = normalise_newlines(posted(form, "criteria"));
    for (std::size_t at = 0; at <= ctext.size();) {
        const std::size_t nl = std::min(ctext.find('\n', at), ctext.size());
        std::string line = trim(ctext.substr(at, nl - at));
        at = nl + 1;
        if (line.empty()) continue;
        int max = 5;
        const auto sp = line.find_last_of(" \t");
        if (sp != std::string::npos) {
            const std::string tail = line.substr(sp + 1);
            if (!tail.empty() && tail.size() <= 3 && std::all_of(tail.begin(), tail.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
                max = std::stoi(tail);
                line = trim(line.substr(0, sp));
                if (max < 1 || max > 100) err.add("criteria", tr("publish_extra.err.points"));
            }
        }
        check_text(err, "criteria", line, 40, true);
        criteria.push_back({{"name", line}, {"max", max}});
    }
    if (criteria.size() > 20) err.add("criteria", tr("publish_extra.err.criteria_max"));
    if (!criteria.empty()) extra["criteria"] = criteria;
    else extra.erase("criteria");
    set_text(extra, "deadline", join_date_time(form, "deadline", err, false));
    set_text(extra, "consultation_until", join_date_time(form, "consultation_until", err, false));
    set_text(extra, "presentation", trim(posted(form, "presentation")));
    const std::string pf = join_date_time(form, "project_from", err, false), pu = join_date_time(form, "project_until", err, false);
    set_text(extra, "project_period", pf.empty() && pu.empty() ? "" : pf + "/" + pu);
    const std::string amount = trim(posted(form, "max_amount_yen"));
    if (amount.empty()) {
        extra.erase("max_amount_yen");
    } else {
        try {
            std::size_t used = 0;
            const long long n = std::stoll(amount, &used);
            if (used != amount.size() || n < 0 || n > 1000000000) throw std::out_of_range("amount");
            extra["max_amount_yen"] = n;
        } catch (const std::exception&) {
            err.add("max_amount_yen", tr("publish_extra.err.amount"));
            extra["max_amount_yen"] = amount;   // shown again as typed; never saved (the form has an error)
        }
    }
    set_text(extra, "amount_note", trim(posted(form, "amount_note")));
    set_list(extra, "proposal_types", split_list(posted(form, "proposal_types")));
    std::vector<std::string> deps = split_list(posted(form, "partner_departments"));
    for (const std::string& d : split_list(posted(form, "partner_departments_other")))
        if (std::find(deps.begin(), deps.end(), d) == deps.end()) deps.push_back(d);
    set_list(extra, "partner_departments", deps);

    if (themes.size() > 20) err.add("themes", tr("publish_extra.err.themes_max"));
    for (const std::string& t : themes) check_text(err, "themes", t, 100, true);
    for (const std::string& d : deps) check_text(err, "partner_departments", d, 60, true);
    check_text(err, "presentation", get(extra, "presentation"), 100, false);
    check_text(err, "amount_note", get(extra, "amount_note"), 100, false);
    const std::string dl = get(extra, "deadline"), cu = get(extra, "consultation_until");
    if (!dl.empty() && !cu.empty() && dl < cu && !err.at.count("consultation_until_date"))
        err.add("consultation_until_date", tr("publish_extra.err.consultation_after_deadline"));
    if (pf.empty() != pu.empty() && !err.at.count("project_from_date"))
        err.add(pf.empty() ? "project_from_date" : "project_until_date", tr("publish_extra.err.period_both"));
    if (!pf.empty() && !pu.empty() && pu < pf && !err.at.count("project_until_date"))
        err.add("project_until_date", tr("publish_extra.err.period_order"));
}

}  // namespace kyodo::server::web
