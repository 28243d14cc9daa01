// Publishing activities: events, projects, volunteer openings, grants, drafts for public
// comment and calls for proposals, each on one HTML form (the kind-specific parts are in
// publish_extra.cpp). Every save is a Storage::import_catalog delta with the one activity, so
// it gets the next catalog version and reaches kiosks at their next pull. Centres,
// organizations and surveys have their own forms (publish_catalog.cpp, publish_survey.cpp).
#include <algorithm>
#include <charconv>

#include "core/codec.h"
#include "core/ruby.h"
#include "core/validate.h"
#include "server/admin.h"
#include "server/furigana.h"
#include "server/web/publish.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {

const char* const kKinds[] = {"project", "event", "volunteer", "grant", "public_comment", "call_for_proposals"};

std::string opt(const std::string& v, const std::string& label, const std::string& cur) {
    return "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(label) + "</option>";
}

// Listings a page (read in the database with the page's filters: Storage::catalog_page).
constexpr std::size_t kActivityPage = 100;

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    // Only the centres (for their names) and one page of listings are read, never the whole catalog.
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    const std::string fkind = req.has_param("kind") ? req.get_param_value("kind") : "";
    const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>" + esc(tr("publish.list.kind")) + "<select name=\"kind\">" +
                    opt("", tr("publish.list.all"), fkind);
    for (const char* k : kKinds) b += opt(k, tr(std::string("kind.") + k), fkind);
    b += "</select></label><label>" + esc(tr("publish.field.title")) + "<input name=\"q\" value=\"" + esc(q) + "\"></label><button>" +
         esc(tr("publish.list.filter")) + "</button></form>";
    if (c.role >= Role::Editor)
        b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/activities/new\">" + esc(tr("publish.list.new_activity")) +
             "</a><a class=\"button\" href=\"/admin/activities/new?kind=public_comment\">" + esc(tr("publish.list.new_draft")) +
             "</a><a class=\"button\" href=\"/admin/activities/new?kind=call_for_proposals\">" + esc(tr("publish.list.new_call")) +
             "</a><a class=\"button\" href=\"/admin/catalog\">" + esc(tr("publish.catalog.title")) + "</a></div>";
    else
        b += "<div class=\"actions\"><a class=\"button\" href=\"/admin/catalog\">" + esc(tr("publish.catalog.title")) + "</a></div>";
    b += "<table><thead><tr><th>ID</th><th>" + esc(tr("publish.list.kind")) + "</th><th>" + esc(tr("publish.field.title")) + "</th><th>" +
         esc(tr("publish.list.col.when")) + "</th><th>" + esc(tr("publish.field.place")) + "</th><th class=\"num\">" +
         esc(tr("publish.field.capacity")) + "</th><th class=\"num\">" + esc(tr("publish.list.col.confirmed")) + "</th><th class=\"num\">" +
         esc(tr("publish.list.col.version")) + "</th><th></th></tr></thead><tbody>";
    // Slots are published and kept on their own pages (/admin/bookings, hundreds a month).
    const Storage::CatalogFilter filter{fkind, fkind.empty() ? "slot" : "", q, "", ""};
    std::size_t pg = page_param(req);
    auto page_rows = app.st.catalog_page("activities", filter, kActivityPage, (pg - 1) * kActivityPage);
    if (page_rows.items.empty() && pg > 1) {   // past the end: the last page
        pg = page_within(pg, kActivityPage, page_rows.total);
        page_rows = app.st.catalog_page("activities", filter, kActivityPage, (pg - 1) * kActivityPage);
    }
    for (const Json& a : page_rows.items) {
        const auto kind = activity_kind_from_code(str(a, "kind"));
        const std::string id = str(a, "id");
        // Capacity 0: takes no sign-ups. Over capacity (a cut below the places already
        // confirmed; nobody is dropped, server/ledger.h): flagged for staff.
        const int cap = a.value("capacity", 0), taken = a.value("taken", 0);
        const std::string confirmed = cap > 0 || taken > 0 ? std::to_string(taken) : "—";
        b += "<tr><td>" + esc(id) + "</td><td>" + esc(kind ? tr(std::string("kind.") + str(a, "kind")) : std::string()) + "</td><td>" + esc(str(a, "title")) + "</td><td>" +
             esc(date_label(str(a, "starts_at"))) + "</td><td>" + esc(centre_name(cat, str(a, "centre_id"))) + "</td><td class=\"num\">" +
             (cap > 0 ? std::to_string(cap) : "—") + "</td><td class=\"num\">" + confirmed +
             (taken > cap ? " <span class=\"warn\">" + esc(tr("publish.over_capacity")) + "</span>" : std::string()) + "</td><td class=\"num\">" +
             std::to_string(a.value("version", 0)) + "</td><td>";
        if (cap > 0 || taken > 0) b += "<a href=\"/admin/roster/" + url_encode(id) + "\">" + esc(tr("publish.list.roster")) + "</a> ";
        b += "<a href=\"/admin/activities/" + url_encode(id) + "/edit\">" + esc(tr(c.role >= Role::Editor ? "publish.edit" : "publish.details")) +
             "</a> <a href=\"/p/activities/" + url_encode(id) + "\">" + esc(tr("publish.public_page")) + "</a></td></tr>";
    }
    b += "</tbody></table>" + pager_pages("/admin/activities?kind=" + url_encode(fkind) + "&q=" + url_encode(q), pg, kActivityPage, page_rows.total);
    send_html(res, 200, page(c, tr("publish.list.title"), b, "/admin/activities"));
}

// The organizers as checkboxes (value = id, label = name) in a scrolling box.
std::string organizer_field(const FormCtx& f, const Json& cat, const Json& selected) {
    std::vector<std::string> sel;
    if (selected.is_array())
        for (const Json& x : selected)
            if (x.is_string()) sel.push_back(x.get<std::string>());
    f.note("organizer_ids", tr("publish.field.organizers"));
    std::string o = "<fieldset id=\"" + field_id("organizer_ids") + "\" class=\"checks scroll wide" +
                    std::string(f.err.at.count("organizer_ids") ? " invalid" : "") + "\"><legend>" + esc(tr("publish.field.organizers")) + "</legend>";
    for (const Json& org : cat["organizations"]) {
        const std::string id = str(org, "id");
        const bool on = std::find(sel.begin(), sel.end(), id) != sel.end();
        o += "<label class=\"check\"><input type=\"checkbox\" name=\"organizer_ids\" value=\"" + esc(id) + "\"" + (on ? " checked" : "") +
             (f.ro ? " disabled" : "") + "> <span>" + esc(str(org, "name")) + " <small>" + esc(str(org, "type")) + "</small></span></label>";
    }
    return o + field_error(f.err, "organizer_ids") + "</fieldset>";
}

// Furigana: the three annotated texts the server made at the last save (or staff typed), each
// editable in the 青空文庫 notation, with a preview drawn as HTML ruby as the kiosk draws it.
// {field, the table key of its label}
const char* const kRubyTexts[][2] = {{"title", "publish.field.title"}, {"summary", "publish.field.summary"}, {"description", "publish.field.description"}};

std::string ruby_html(const std::string& plain, const std::string& annotated) {
    std::string out;
    for (const auto& s : ruby_for(plain, annotated)) {
        std::string t = esc(s.text);
        for (std::size_t p = 0; (p = t.find('\n', p)) != std::string::npos; p += 4) t.replace(p, 1, "<br>");
        out += s.reading.empty() ? t : "<ruby>" + t + "<rt>" + esc(s.reading) + "</rt></ruby>";
    }
    return out;
}

std::string furigana_fields(const FormCtx& f, const Json& a) {
    const Json ex = a.contains("extra") && a["extra"].is_object() ? a["extra"] : Json::object();
    const Json fu = ex.contains("furigana") && ex["furigana"].is_object() ? ex["furigana"] : Json::object();
    std::string b = "<fieldset class=\"wide furigana\"><legend>" + esc(tr("publish.furigana.legend")) + "</legend><p class=\"hint\">" +
                    trh("publish.furigana.hint", {{"example", "<code>" + esc(tr("publish.furigana.example")) + "</code>"},
                                                  {"example_group", "<code>" + esc(tr("publish.furigana.example_group")) + "</code>"}}) +
                    "</p>";
    for (const auto& t : kRubyTexts) {
        const std::string name = std::string("furigana_") + t[0];
        const std::string cur = str(fu, t[0]);
        b += textarea_field(f, name, trf("publish.furigana.field", {{"field", tr(t[1])}}), cur, t[0] == std::string("description") ? 5 : 2,
                            "maxlength=\"8000\"", "", "wide");
        if (!cur.empty())
            b += "<p class=\"wide ruby-preview\" id=\"preview-" + name + "\">" +
                 (ruby_matches(str(a, t[0]), cur) ? ruby_html(str(a, t[0]), cur)
                                                  : "<em>" + esc(tr("publish.furigana.stale")) + "</em>") +
                 "</p>";
    }
    return b + "</fieldset>";
}

void form(App& app, Ctx& c, httplib::Response& res, const Json& a, bool is_new, const FieldErrors& err, const Json* stored) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    const std::string kind = str(a, "kind");
    std::string b;
    b += "<form method=\"post\" action=\"/admin/activities/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
         "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">";
    // The first submit button is the one Enter presses: make it "save", never a row's "delete".
    if (!f.ro) b += "<div class=\"wide actions top\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("publish.button.save_publish")) + "</button></div>";
    b += text_field(f, "id", tr("publish.field.id"), str(a, "id"),
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    Options kinds;
    for (const char* k : kKinds) kinds.emplace_back(k, tr(std::string("kind.") + k));
    b += "<div class=\"with-button\">" + select_field(f, "kind", tr("publish.list.kind"), kinds, kind);
    if (!f.ro) b += "<button class=\"small\" name=\"op\" value=\"refresh\">" + esc(tr("publish.form.refresh_kind")) + "</button>";
    b += "</div>" + text_field(f, "title", tr("publish.field.title"), str(a, "title"), "required maxlength=\"60\"", tr("publish.form.title_hint"), "wide") +
         text_field(f, "kana", tr("publish.field.kana"), str(a, "kana"), "maxlength=\"100\"", "", "wide") +
         text_field(f, "summary", tr("publish.field.summary"), str(a, "summary"), "maxlength=\"120\"", tr("publish.form.summary_hint"), "wide") +
         textarea_field(f, "description", tr("publish.field.description"), str(a, "description"), 5, "maxlength=\"2000\"", tr("publish.form.description_hint")) +
         furigana_fields(f, a);
    Options forms, methods, centres{{"", tr("publish.form.citywide")}}, surveys{{"", tr("publish.form.no_survey")}};
    for (Form x : all_forms()) forms.emplace_back(to_code(x), tr(std::string("form.") + to_code(x)));
    for (Method x : all_methods()) methods.emplace_back(to_code(x), tr(std::string("method.") + to_code(x)));
    for (const Json& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    for (const Json& s : cat["surveys"]) surveys.emplace_back(str(s, "id"), str(s, "title"));
    b += select_field(f, "form", tr("publish.field.form"), forms, str(a, "form")) + select_field(f, "method", tr("publish.field.method"), methods, str(a, "method"));
    std::vector<std::string> fields;
    for (const Json& x : a.value("fields", Json::array()))
        if (x.is_string()) fields.push_back(x.get<std::string>());
    b += checkbox_group(f, "fields", tr("publish.field.fields"), standard_fields(), fields) +
         department_field(f, cat, "department", tr("publish.field.department"), str(a, "department")) +
         organizer_field(f, cat, a.value("organizer_ids", Json::array())) + select_field(f, "centre_id", tr("publish.field.centre"), centres, str(a, "centre_id")) +
         text_field(f, "place", tr("publish.field.place"), str(a, "place"), "maxlength=\"100\"") +
         date_time_field(f, "starts", tr("publish.field.starts"), str(a, "starts_at")) + date_time_field(f, "ends", tr("publish.field.ends"), str(a, "ends_at")) +
         text_field(f, "capacity", tr("publish.field.capacity"), a["capacity"].is_string() ? a["capacity"].get<std::string>() : std::to_string(a.value("capacity", 0)), "type=\"number\" min=\"0\" max=\"100000\" step=\"1\"",
                    tr("publish.form.capacity_hint")) +
         text_field(f, "audience", tr("publish.field.audience"), str(a, "audience"), "maxlength=\"100\"", tr("publish.form.audience_hint")) +
         date_time_field(f, "signup_opens", tr("publish.field.signup_opens"), str(a, "signup_opens"), false) +
         date_time_field(f, "signup_closes", tr("publish.field.signup_closes"), str(a, "signup_closes"), false) +
         select_field(f, "survey_id", tr("publish.field.survey"), surveys, str(a, "survey_id"));
    const Json extra = a.contains("extra") && a["extra"].is_object() ? a["extra"] : Json::object();
    if (kind == "public_comment") b += draft_editor(f, extra);
    if (kind == "call_for_proposals") b += call_editor(f, cat, extra);
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("publish.button.save_publish")) +
             "</button><a class=\"button\" href=\"/admin/activities\">" + esc(tr("publish.button.back")) + "</a></div>";
    b += "</form>";
    if (stored) b += json_view(*stored);
    if (!is_new && !f.ro && stored)
        b += "<h2>" + esc(tr("publish.withdraw.title")) + "</h2><p>" + esc(tr("publish.withdraw.lead")) +
             "</p><form class=\"inline\" method=\"post\" action=\"/admin/activities/" + url_encode(str(a, "id")) + "/withdraw\">" + csrf_field(c) +
             "<button class=\"danger\">" + esc(tr("publish.withdraw.button")) + "</button></form>";
    const char* title = kind == "public_comment"       ? (is_new ? "publish.title.new_draft" : "publish.title.edit_draft")
                        : kind == "call_for_proposals" ? (is_new ? "publish.title.new_call" : "publish.title.edit_call")
                                                       : (is_new ? "publish.title.new_activity" : "publish.title.edit_activity");
    send_html(res, err.any() ? 400 : 200, page(c, tr(title), err.summary_html(labels) + b, "/admin/activities"));
}

// The posted form as an activity (on top of the stored one, so `taken`, unknown `extra` keys
// and anything the form does not show are kept), with every problem noted by field.
Json read_activity(const std::map<std::string, std::string>& form, const Json& cat, Json a, FieldErrors& err) {
    for (const char* k : {"id", "kind", "title", "kana", "summary", "place", "audience", "form", "method", "centre_id", "survey_id"})
        a[k] = trim(posted(form, k));
    a["description"] = trim(normalise_newlines(posted(form, "description")));
    a["department"] = read_department(form, "department");
    a["fields"] = keep_order(a.value("fields", Json::array()), read_checked(form, "fields"));
    a["organizer_ids"] = keep_order(a.value("organizer_ids", Json::array()), split_list(posted(form, "organizer_ids")));
    a["starts_at"] = join_date_time(form, "starts", err);
    a["ends_at"] = join_date_time(form, "ends", err);
    a["signup_opens"] = join_date_time(form, "signup_opens", err, false);
    a["signup_closes"] = join_date_time(form, "signup_closes", err, false);
    const std::string cap = trim(posted(form, "capacity"));
    try {
        std::size_t used = 0;
        const long n = cap.empty() ? 0 : std::stol(cap, &used);
        if ((!cap.empty() && used != cap.size()) || n < 0 || n > 100000) throw std::out_of_range("capacity");
        a["capacity"] = static_cast<int>(n);
    } catch (const std::exception&) {
        err.add("capacity", tr("publish.err.capacity"));
        a["capacity"] = cap;   // shown again as typed; never saved (the form has an error)
    }
    if (!a.contains("extra") || !a["extra"].is_object()) a["extra"] = Json::object();
    {
        // Furigana live in extra.furigana (core/ruby.h); the form posts each as its own field.
        Json fu = Json::object();
        for (const auto& t : kRubyTexts) {
            const std::string v = trim(normalise_newlines(posted(form, std::string("furigana_") + t[0])));
            if (!v.empty()) fu[t[0]] = v;
        }
        if (fu.empty()) a["extra"].erase("furigana");
        else a["extra"]["furigana"] = fu;
    }
    if (str(a, "kind") == "public_comment") read_draft(form, a["extra"], err);
    if (str(a, "kind") == "call_for_proposals") read_call(form, a["extra"], err);
    if (!a.contains("taken")) a["taken"] = 0;

    check_id(err, "id", str(a, "id"));
    if (!activity_kind_from_code(str(a, "kind"))) err.add("kind", tr("publish.err.kind"));
    if (!form_from_code(str(a, "form"))) err.add("form", tr("publish.err.form"));
    if (!method_from_code(str(a, "method"))) err.add("method", tr("publish.err.method"));
    check_text(err, "title", str(a, "title"), 60, true);
    check_text(err, "kana", str(a, "kana"), 100, false);
    if (!str(a, "kana").empty() && !err.at.count("kana") && !is_kana_reading(str(a, "kana")))
        err.add("kana", tr("publish.err.kana"));
    check_text(err, "summary", str(a, "summary"), 120, false);
    check_text(err, "description", str(a, "description"), 2000, false, true);
    for (const auto& t : kRubyTexts) {
        const std::string name = std::string("furigana_") + t[0];
        const std::string v = a["extra"].contains("furigana") ? str(a["extra"]["furigana"], t[0]) : "";
        check_text(err, name, v, 8000, false, true);
        if (err.at.count(name)) continue;
        for (const auto& seg : parse_ruby(v))
            if (!seg.reading.empty() && !is_kana_reading(seg.reading)) {
                err.add(name, trf("publish.err.furigana_reading", {{"reading", seg.reading}}));
                break;
            }
    }
    check_text(err, "department", str(a, "department"), 60, false);
    check_text(err, "place", str(a, "place"), 100, false);
    check_text(err, "audience", str(a, "audience"), 100, false);
    for (const Json& x : a["fields"]) check_text(err, "fields", x.get<std::string>(), 20, true);
    if (a["fields"].size() > 12) err.add("fields", tr("publish.err.fields_max"));
    if (!str(a, "centre_id").empty() && !find_by_id(cat["centres"], str(a, "centre_id"))) err.add("centre_id", tr("publish.err.no_centre"));
    if (!str(a, "survey_id").empty() && !find_by_id(cat["surveys"], str(a, "survey_id"))) err.add("survey_id", tr("publish.err.no_survey"));
    Json names = Json::array();
    for (const Json& oid : a["organizer_ids"]) {
        const Json* o = find_by_id(cat["organizations"], oid.get<std::string>());
        if (!o) err.add("organizer_ids", trf("publish.err.no_organizer", {{"id", oid.get<std::string>()}}));
        else names.push_back(str(*o, "name"));
    }
    a["organizer_names"] = names;
    // Dates compare as text: both are ISO, and a date alone sorts before that day's times.
    const std::string s = str(a, "starts_at"), e = str(a, "ends_at");
    if (!err.at.count("starts_date") && !err.at.count("ends_date") && !s.empty() && !e.empty() && e < s)
        err.add("ends_date", tr("publish.err.ends_before_starts"));
    if (!e.empty() && s.empty() && !err.at.count("ends_date")) err.add("starts_date", tr("publish.err.ends_without_starts"));
    const std::string so = str(a, "signup_opens"), sc = str(a, "signup_closes");
    if (!err.at.count("signup_opens_date") && !err.at.count("signup_closes_date") && !so.empty() && !sc.empty() && sc < so)
        err.add("signup_closes_date", tr("publish.err.signup_closes_before_opens"));
    return a;
}

void save(App& app, Ctx& c, httplib::Response& res) {
    auto& f = c.form;
    const bool is_new = f["is_new"] == "1";
    const Json cat = app.catalog();
    const Json* existing = find_by_id(cat["activities"], trim(f["id"]));
    FieldErrors err;
    if (is_new && existing) err.add("id", trf("publish.err.id_taken_other", {{"title", str(*existing, "title")}}));
    if (!is_new && !existing) err.general = trf("publish.err.gone", {{"id", f["id"]}});
    Json base = existing && !is_new ? *existing : to_json(Activity{});
    if (!existing || is_new) base.erase("version");
    FieldErrors checks;
    Json a = read_activity(f, cat, base, checks);
    const Json* stored = is_new ? nullptr : existing;
    if (!is_save(f)) return form(app, c, res, a, is_new, FieldErrors{}, stored);   // a row added or moved, or the kind changed
    for (auto& [k, v] : checks.at) err.add(k, v);
    if (err.any()) return form(app, c, res, a, is_new, err, stored);
    // Furigana: a reading staff changed must still annotate its text exactly (else say so,
    // never drop their edit); one left as it was is remade when its text changed.
    Json old_fu = Json::object(), new_fu = Json::object();
    if (stored && stored->contains("extra") && (*stored)["extra"].is_object() && (*stored)["extra"].contains("furigana"))
        old_fu = (*stored)["extra"]["furigana"];
    if (a["extra"].contains("furigana")) new_fu = a["extra"]["furigana"];
    for (const auto& t : kRubyTexts) {
        const std::string v = str(new_fu, t[0]);
        if (!v.empty() && v != str(old_fu, t[0]) && !ruby_matches(str(a, t[0]), v))
            err.add(std::string("furigana_") + t[0], trf("publish.err.furigana_mismatch", {{"field", tr(t[1])}}));
    }
    if (err.any()) return form(app, c, res, a, is_new, err, stored);
    CatalogDelta d;
    try {
        d.activities.push_back(activity_from_json(a));
    } catch (const DecodeError& e) {
        // Core's decoder is the last word on the catalog format; show its reason by the field.
        err.add(e.field.empty() ? "id" : e.field, trf("publish.err.decode", {{"why", e.what()}}));
        return form(app, c, res, a, is_new, err, stored);
    }
    server::refresh_furigana(d.activities.back());
    const std::int64_t before = app.st.catalog_version();
    const std::int64_t v = app.st.import_catalog(d);
    app.audit(c, is_new ? "publish_activity" : "edit_activity", str(a, "id"), "catalog version " + std::to_string(v));
    redirect(res, "/admin/activities?msg=" + url_encode(saved_message(str(a, "title"), before, v)));
}

// The catalog page: centres, organizations and surveys, each with its own form.
// Centres, organizations and surveys: each table read a page at a time in the database
// (?centres_page=N, ?organizations_page=N, ?surveys_page=N, each kept by the others' links).
constexpr std::size_t kCatalogPage = 100;

void catalog_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    std::string b = flash(req) + "<p>" +
                    trh("publish.catalog.lead", {{"link", "<a href=\"/admin/activities\">" + esc(tr("publish.list.title")) + "</a>"}}) + "</p>";
    const char* const types[][2] = {{"centres", "name"}, {"organizations", "name"}, {"surveys", "title"}};
    auto page_of = [&req](const std::string& table) {
        const std::string p = table + "_page";
        std::size_t n = 1;
        if (req.has_param(p)) {
            const std::string v = req.get_param_value(p);
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || end != v.data() + v.size() || n == 0) n = 1;
        }
        return n;
    };
    for (const auto& t : types) {
        const std::string table = t[0];
        const std::string k = "publish.catalog." + table;
        b += "<h2 id=\"" + table + "\">" + esc(tr(k + ".heading")) + "</h2>";
        if (c.role >= Role::Editor)
            b += "<p><a class=\"button\" href=\"/admin/catalog/" + table + "/new\">" + esc(tr(k + ".new")) + "</a></p>";
        b += "<table><thead><tr><th>ID</th><th>" + esc(tr("publish.field.title")) + "</th><th class=\"num\">" + esc(tr("publish.list.col.version")) +
             "</th><th></th></tr></thead><tbody>";
        std::size_t pg = page_of(table);
        auto rows = app.st.catalog_page(table, {}, kCatalogPage, (pg - 1) * kCatalogPage);
        if (rows.items.empty() && pg > 1) {   // past the end: the last page
            pg = page_within(pg, kCatalogPage, rows.total);
            rows = app.st.catalog_page(table, {}, kCatalogPage, (pg - 1) * kCatalogPage);
        }
        for (const Json& x : rows.items)
            b += "<tr><td>" + esc(str(x, "id")) + "</td><td>" + esc(str(x, t[1])) + "</td><td class=\"num\">" +
                 std::to_string(x.value("version", 0)) + "</td><td><a href=\"/admin/catalog/" + table + "/" + url_encode(str(x, "id")) + "\">" +
                 esc(tr(c.role >= Role::Editor ? "publish.edit" : "publish.details")) + "</a></td></tr>";
        b += "</tbody></table>";
        // The other tables' pages stay where they are.
        std::string base = "/admin/catalog?";
        for (const auto& o : types)
            if (o[0] != table && page_of(o[0]) > 1) base += std::string(o[0]) + "_page=" + std::to_string(page_of(o[0])) + "&";
        if (base.back() == '&') base.pop_back();
        const bool more = static_cast<std::int64_t>(pg * kCatalogPage) < rows.total;
        b += pager(base, pg > 1 ? static_cast<std::int64_t>(pg) : 0, more ? static_cast<std::int64_t>(pg + 1) : 0, rows.total,
                   (table + "_page").c_str(), "inbox.pager.first", "inbox.pager.next");
    }
    send_html(res, 200, page(c, tr("publish.catalog.title"), b, "/admin/activities"));
}

}  // namespace

// --- shared by the publishing pages -------------------------------------------------------

std::string posted(const std::map<std::string, std::string>& form, const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? "" : it->second;
}

Json keep_order(const Json& old, const std::vector<std::string>& now) {
    Json out = Json::array();
    if (old.is_array())
        for (const Json& x : old)
            if (x.is_string() && std::find(now.begin(), now.end(), x.get<std::string>()) != now.end()) out.push_back(x);
    for (const std::string& s : now)
        if (std::find(out.begin(), out.end(), Json(s)) == out.end()) out.push_back(s);
    return out;
}

std::vector<std::string> catalog_departments(const Json& cat) {
    std::vector<std::string> d;
    auto add = [&](const std::string& s) {
        if (!s.empty() && std::find(d.begin(), d.end(), s) == d.end()) d.push_back(s);
    };
    for (const Json& a : cat["activities"]) {
        add(str(a, "department"));
        if (a.contains("extra") && a["extra"].is_object() && a["extra"].contains("partner_departments"))
            for (const Json& x : a["extra"]["partner_departments"])
                if (x.is_string()) add(x.get<std::string>());
    }
    for (const Json& o : cat["organizations"])
        if (str(o, "type") == data_ja("publish_catalog.org_type.government")) add(str(o, "name"));
    std::sort(d.begin(), d.end());
    return d;
}

std::string department_field(const FormCtx& f, const Json& cat, const std::string& name, const std::string& label, const std::string& cur) {
    Options o{{"", tr("publish.department.choose")}};
    for (const std::string& d : catalog_departments(cat)) o.emplace_back(d, d);
    return "<div class=\"pair\">" + select_field(f, name, label, o, cur) +
           text_field(f, name + "_other", tr("publish.department.other"), "", "maxlength=\"60\"") + "</div>";
}

std::string read_department(const std::map<std::string, std::string>& form, const std::string& name) {
    const std::string other = trim(posted(form, name + "_other"));
    return other.empty() ? trim(posted(form, name)) : other;
}

std::vector<std::string> read_checked(const std::map<std::string, std::string>& form, const std::string& name) {
    std::vector<std::string> out;
    for (const std::string& v : split_list(posted(form, name)))
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    for (const std::string& v : split_list(posted(form, name + "_other")))
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    return out;
}

std::string json_view(const Json& stored) {
    return "<details class=\"advanced\"><summary>" + esc(tr("publish.json_view")) + "</summary><pre>" +
           esc(stored.dump(2)) + "</pre></details>";
}

std::string saved_message(const std::string& name, std::int64_t before, std::int64_t after) {
    if (after == before) return trf("publish.msg.unchanged", {{"name", name}});
    return trf("publish.msg.saved", {{"name", name}, {"version", std::to_string(after)}});
}

bool is_save(const std::map<std::string, std::string>& form) {
    const std::string op = posted(form, "op");
    return op.empty() || op == "save";
}

void install_publish(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/activities", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { list(app, c, q, r); });
    app.get(svr, "/admin/activities/new", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        Json a = to_json(Activity{});
        a.erase("version");
        a["id"] = "";
        const std::string k = req.has_param("kind") ? req.get_param_value("kind") : "event";
        a["kind"] = activity_kind_from_code(k) ? k : "event";
        if (k == "public_comment") a["extra"]["sections"] = Json::array({{{"id", "s1"}, {"title", ""}, {"text", ""}}});
        form(app, c, res, a, true, FieldErrors{}, nullptr);
    });
    app.get(svr, R"(/admin/activities/([^/]+)/edit)", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], req.matches[1]);
        if (!a) return not_found(c, res, trf("publish.err.no_activity", {{"id", std::string(req.matches[1])}}));
        form(app, c, res, *a, false, FieldErrors{}, a);
    });
    app.post(svr, "/admin/activities/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save(app, c, res); });
    app.post(svr, R"(/admin/activities/([^/]+)/withdraw)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const Json cat = app.catalog();
        if (!find_by_id(cat["activities"], id)) return not_found(c, res, trf("publish.err.no_activity", {{"id", id}}));
        CatalogDelta d;
        d.deleted_activities.push_back(id);
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "withdraw_activity", id, "catalog version " + std::to_string(v));
        redirect(res, "/admin/activities?msg=" + url_encode(trf("publish.msg.withdrawn", {{"title", activity_title(cat, id)}})));
    });

    app.get(svr, "/admin/centres", Role::Viewer, [](Ctx&, const httplib::Request&, httplib::Response& res) { redirect(res, "/admin/catalog"); });
    app.get(svr, "/admin/organizations", Role::Viewer, [](Ctx&, const httplib::Request&, httplib::Response& res) { redirect(res, "/admin/catalog"); });
    app.get(svr, "/admin/catalog", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { catalog_page(app, c, q, r); });
    install_catalog_forms(app, svr);
    install_survey_form(app, svr);
}

}  // namespace kyodo::server::web
