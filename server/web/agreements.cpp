// Partnership agreements (連携協定, issue 12 point 3; seed 003; docs/dashboard.md):
//   /admin/agreements?date=     valid agreements on a date, by field and kind, and the register
//   /admin/agreements/new, /admin/agreements/<id>   the form: kind, partner, fields, departments,
//                               dates, status, seed 003's signing flow as dated steps, initiatives
//                               done under it (linked to projects and listings)
//   /admin/agreements/import    a JSON file of agreements
//   /admin/agreements.csv       for Excel; /open/agreements.(csv|json) without internal notes
#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/timeutil.h"
#include "server/web/agreements.h"
#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/publish.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

AgreementCounts count_agreements(const std::vector<Agreement>& all, const std::string& date) {
    AgreementCounts c;
    c.date = date;
    std::string since;
    if (date.size() == 10) {
        try {
            since = std::to_string(std::stoi(date.substr(0, 4)) - 1) + date.substr(4);
        } catch (const std::exception&) {
        }
    }
    std::map<std::string, AgreementCounts::Field> f;
    for (const Agreement& a : all) {
        if (!agreement_valid_on(a, date)) continue;
        ++c.valid;
        const bool comp = a.kind == "comprehensive";
        ++(comp ? c.comprehensive : c.individual);
        if (!since.empty() && a.signed_on > since) ++c.signed_since;
        std::set<std::string> seen;
        for (const auto& field : a.fields) {
            if (!seen.insert(field).second) continue;
            auto& x = f[field];
            x.field = field;
            ++(comp ? x.comprehensive : x.individual);
        }
    }
    for (auto& [k, v] : f) c.by_field.push_back(v);
    std::stable_sort(c.by_field.begin(), c.by_field.end(), [](const auto& a, const auto& b) { return a.total() > b.total(); });
    return c;
}

void check_agreement(const Agreement& a, FieldErrors& err) {
    check_id(err, "id", a.id);
    if (a.kind != "individual" && a.kind != "comprehensive") err.add("kind", tr("agreements.err.kind"));
    check_text(err, "title", a.title, 120, true);
    check_text(err, "partner", a.partner.name, 100, true);
    if (a.fields.empty()) err.add("fields", tr("agreements.err.fields"));
    for (const auto& x : a.fields) check_text(err, "fields", x, 40, true);
    for (const auto& x : a.departments) check_text(err, "departments", x, 60, true);
    if (a.status != "negotiating" && a.status != "valid" && a.status != "ended") err.add("status", tr("agreements.err.status"));
    for (const auto& [name, v] : {std::pair<std::string, std::string>{"signed_on_date", a.signed_on}, {"ends_on_date", a.ends_on}, {"renewed_on_date", a.renewed_on}})
        if (!v.empty() && !is_iso_date(v)) err.add(name, tr("agreements.err.date"));
    if (a.status != "negotiating" && a.signed_on.empty()) err.add("signed_on_date", tr("agreements.err.signed_on"));
    if (!a.signed_on.empty() && !a.ends_on.empty() && a.ends_on < a.signed_on) err.add("ends_on_date", tr("agreements.err.ends_before_signed"));
    if (!a.renewed_on.empty() && !a.signed_on.empty() && a.renewed_on < a.signed_on) err.add("renewed_on_date", tr("agreements.err.renewed_before_signed"));
    for (const auto& s : a.steps) {
        const bool known = std::any_of(agreement_steps().begin(), agreement_steps().end(), [&](const auto& x) { return x.first == s.step; });
        if (!known) err.add("steps", trf("agreements.err.unknown_step", {{"step", s.step}}));
        if (!s.date.empty() && !is_iso_date(s.date)) err.add("step." + s.step + "_date", tr("agreements.err.date"));
        check_text(err, "step." + s.step + "_note", s.note, 200, false);
    }
    if (a.initiatives.size() > 200) err.add("initiatives", tr("agreements.err.initiatives_max"));
    for (std::size_t i = 0; i < a.initiatives.size(); ++i) {
        const std::string p = "i." + std::to_string(i) + ".";
        check_text(err, p + "title", a.initiatives[i].title, 200, true);
        check_text(err, p + "field", a.initiatives[i].field, 40, false);
        if (!a.initiatives[i].date.empty() && !is_iso_date(a.initiatives[i].date)) err.add(p + "date_date", tr("agreements.err.date"));
    }
    check_text(err, "note", a.note, 2000, false, true);
}

Json agreement_to_json(const Agreement& a) {
    Json steps = Json::array(), inits = Json::array();
    for (const auto& s : a.steps) steps.push_back({{"step", s.step}, {"date", s.date}, {"note", s.note}});
    for (const auto& i : a.initiatives)
        inits.push_back({{"title", i.title}, {"field", i.field}, {"date", i.date}, {"project_id", i.project_id}, {"listing_id", i.listing_id}});
    Json fields = Json::array(), deps = Json::array();
    for (const auto& f : a.fields) fields.push_back(f);
    for (const auto& d : a.departments) deps.push_back(d);
    return {{"id", a.id},           {"kind", a.kind},         {"title", a.title},         {"partner", {{"org_id", a.partner.org_id}, {"name", a.partner.name}}},
            {"fields", fields},     {"departments", deps},    {"signed_on", a.signed_on}, {"ends_on", a.ends_on},
            {"renewed_on", a.renewed_on}, {"status", a.status}, {"steps", steps},         {"initiatives", inits},
            {"note", a.note},       {"updated_by", a.updated_by}, {"updated_at", a.updated_at}};
}

namespace {

std::string s(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }
std::vector<std::string> strs(const Json& j, const char* k) {
    std::vector<std::string> o;
    if (j.contains(k) && j[k].is_array())
        for (const Json& x : j[k])
            if (x.is_string()) o.push_back(x.get<std::string>());
    return o;
}

}  // namespace

Agreement agreement_from_json(const Json& j) {
    Agreement a;
    if (!j.is_object()) return a;
    a.id = s(j, "id");
    if (!s(j, "kind").empty()) a.kind = s(j, "kind");
    a.title = s(j, "title");
    if (j.contains("partner") && j["partner"].is_object()) a.partner = {s(j["partner"], "org_id"), s(j["partner"], "name")};
    else a.partner = {"", s(j, "partner")};
    a.fields = strs(j, "fields");
    a.departments = strs(j, "departments");
    a.signed_on = s(j, "signed_on");
    a.ends_on = s(j, "ends_on");
    a.renewed_on = s(j, "renewed_on");
    if (!s(j, "status").empty()) a.status = s(j, "status");
    if (j.contains("steps") && j["steps"].is_array())
        for (const Json& x : j["steps"]) a.steps.push_back({s(x, "step"), s(x, "date"), s(x, "note")});
    if (j.contains("initiatives") && j["initiatives"].is_array())
        for (const Json& x : j["initiatives"]) a.initiatives.push_back({s(x, "title"), s(x, "field"), s(x, "date"), s(x, "project_id"), s(x, "listing_id")});
    a.note = s(j, "note");
    return a;
}

int import_agreements(Storage& st, const std::string& text, const std::string& by, const std::string& now) {
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::invalid_argument(tr("agreements.import.err.not_json"));
    const Json arr = doc.is_array() ? doc : doc.is_object() && doc.contains("agreements") ? doc["agreements"] : Json();
    if (!arr.is_array()) throw std::invalid_argument(tr("agreements.import.err.no_list"));
    std::vector<Agreement> as;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        Agreement a = agreement_from_json(arr[i]);
        a.updated_by = by;
        a.updated_at = now;
        FieldErrors err;
        check_agreement(a, err);
        if (!seen.insert(a.id).second) err.add("id", tr("agreements.import.err.dup"));
        if (err.any()) {
            const auto& [field, msg] = *err.at.begin();
            throw std::invalid_argument(
                trf("agreements.import.err.row", {{"n", std::to_string(i + 1)}, {"id", a.id}, {"title", a.title}, {"field", field}, {"why", msg}}));
        }
        as.push_back(std::move(a));
    }
    return st.civic().put_agreements(as);
}

namespace {

std::string join(const std::vector<std::string>& v) {
    const std::string& sep = tr("agreements.list_sep");
    std::string o;
    for (const auto& x : v) o += (o.empty() ? std::string() : sep) + x;
    return o;
}

// 2024-06-01 → 令和6年6月1日 in Japanese; English pages show the ISO date.
std::string date_ja(const std::string& iso) {
    if (!is_iso_date(iso) || current_lang() != Lang::Ja) return iso;
    const int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
    std::string era = era_year_ja(y);   // 令和6年度 → 令和6年: drop the last character (3 bytes in UTF-8)
    era.resize(era.size() - 3);
    return trf("agreements.date", {{"era", era}, {"m", std::to_string(m)}, {"d", std::to_string(d)}});
}

std::string param(const httplib::Request& req, const char* k) { return req.has_param(k) ? req.get_param_value(k) : ""; }

void send_csv(httplib::Response& res, const Csv& c, const std::string& name) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.set_content(c.str(), "text/csv; charset=utf-8");
}

Csv register_csv(const std::vector<Agreement>& as, bool open) {
    Csv c;
    std::vector<std::string> head = {"ID"};
    for (const char* k : {"kind", "title", "partner", "fields", "departments", "signed_on", "ends_on", "renewed_on", "status", "initiatives"})
        head.push_back(tr(std::string("agreements.col.") + k));
    if (!open) head.push_back(tr("agreements.col.note"));
    c.row(head);
    for (const Agreement& a : as) {
        std::string inits;
        for (const auto& i : a.initiatives) inits += (inits.empty() ? "" : "\n") + i.title;
        std::vector<std::string> r = {a.id, agreement_kind_ja(a.kind), a.title, a.partner.name, join(a.fields), join(a.departments), a.signed_on,
                                      a.ends_on, a.renewed_on, agreement_status_ja(a.status), inits};
        if (!open) r.push_back(a.note);
        c.row(r);
    }
    return c;
}

constexpr std::size_t kAgreementPage = 100;

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    std::string date = param(req, "date");
    if (!is_iso_date(date)) date = jst_today();
    // The counts over the agreements valid on the date (chosen in SQL); the register a page at
    // a time (?page=N, by signed date then id) with the count of all.
    const AgreementCounts n = count_agreements(app.st.civic().agreements_valid_on(date), date);
    const std::int64_t total = app.st.civic().agreement_count();
    const std::size_t pg = page_within(page_param(req), kAgreementPage, total);
    const auto all = app.st.civic().agreements_page(kAgreementPage, (pg - 1) * kAgreementPage);
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>" + esc(tr("agreements.list.date")) +
                    "<input type=\"date\" name=\"date\" value=\"" + esc(date) + "\"></label><button>" + esc(tr("agreements.list.show")) +
                    "</button></form><div class=\"actions\">";
    if (c.role >= Role::Editor)
        b += "<a class=\"button primary\" href=\"/admin/agreements/new\">" + esc(tr("agreements.new")) +
             "</a><a class=\"button\" href=\"/admin/agreements/import\">" + esc(tr("agreements.list.import")) + "</a>";
    b += "<a class=\"button\" href=\"/admin/agreements.csv\">CSV</a></div>";
    b += "<p class=\"panel\">" +
         trh("agreements.list.valid_total", {{"date", esc(date_ja(date))}, {"n", "<strong id=\"valid-total\">" + std::to_string(n.valid) + "</strong>"}}) +
         "<br><span class=\"muted\">" +
         esc(trf("agreements.list.breakdown", {{"individual", std::to_string(n.individual)},
                                              {"comprehensive", std::to_string(n.comprehensive)},
                                              {"since", std::to_string(n.signed_since)}})) +
         "</span></p>";
    b += "<h2>" + esc(tr("agreements.list.by_field")) + "</h2><p class=\"muted\">" + esc(tr("agreements.list.by_field_hint")) + "</p>";
    std::vector<Bar> bars;
    b += "<table class=\"report\" id=\"by-field\"><thead><tr><th>" + esc(tr("agreements.col.fields")) + "</th><th class=\"num\">" +
         esc(tr("agreements.list.individual")) + "</th><th class=\"num\">" + esc(tr("agreements.list.comprehensive")) + "</th><th class=\"num\">" +
         esc(tr("agreements.list.total")) + "</th></tr></thead><tbody>";
    for (const auto& f : n.by_field) {
        b += "<tr><td class=\"lbl\">" + esc(f.field) + "</td><td class=\"num\">" + std::to_string(f.individual) + "</td><td class=\"num\">" +
             std::to_string(f.comprehensive) + "</td><td class=\"num\"><strong>" + std::to_string(f.total()) + "</strong></td></tr>";
        bars.push_back({f.field, static_cast<double>(f.total()), trf("agreements.list.count", {{"n", std::to_string(f.total())}})});
    }
    if (n.by_field.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("agreements.list.none_valid")) + "</td></tr>";
    b += "</tbody></table>";
    if (!bars.empty()) b += svg_bars(bars);
    b += "<h2>" + esc(tr("agreements.list.register")) + "</h2><div class=\"scroll\"><table><thead><tr>";
    for (const char* k : {"title", "kind", "partner", "fields", "departments", "signed_on", "ends_on", "status"})
        b += "<th>" + esc(tr(std::string("agreements.col.") + k)) + "</th>";
    b += "<th class=\"num\">" + esc(tr("agreements.list.initiatives")) + "</th></tr></thead><tbody>";
    for (const Agreement& a : all) {
        const bool valid = agreement_valid_on(a, date);
        b += std::string("<tr") + (valid ? "" : " class=\"muted\"") + "><td><a href=\"/admin/agreements/" + url_encode(a.id) + "\">" + esc(a.title) + "</a></td><td>" +
             esc(agreement_kind_ja(a.kind)) + "</td><td>" + esc(a.partner.name) + "</td><td>" + esc(join(a.fields)) + "</td><td>" + esc(join(a.departments)) +
             "</td><td class=\"nowrap\">" + esc(a.signed_on) + "</td><td class=\"nowrap\">" + esc(a.ends_on.empty() ? tr("agreements.no_end") : a.ends_on) + "</td><td>" + esc(agreement_status_ja(a.status)) +
             (a.status == "valid" && !valid ? esc(tr("agreements.list.out_of_period")) : std::string()) + "</td><td class=\"num\">" + std::to_string(a.initiatives.size()) + "</td></tr>";
    }
    if (all.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">" + esc(tr("agreements.list.empty")) + "</td></tr>";
    b += "</tbody></table></div>";
    b += pager_pages("/admin/agreements?date=" + date, pg, kAgreementPage, total);
    send_html(res, 200, page(c, tr("agreements.title"), b, "/admin/agreements"));
}

const std::vector<std::string>& agreement_fields() {
    // Seed 003's fields, then the plan's (seed 004) that agreements often cover.
    // Stored and counted as the Japanese words (data_ja), like the fields of imported agreements.
    static const std::vector<std::string> f = [] {
        std::vector<std::string> v;
        for (const char* k : {"health", "elderly", "children_education", "food_education", "disaster", "environment", "revitalisation",
                              "tourism_culture", "digital", "welfare", "sports"})
            v.push_back(data_ja(std::string("agreements.field.") + k));
        return v;
    }();
    return f;
}

void form(App& app, Ctx& c, httplib::Response& res, const Agreement& a, bool is_new, const FieldErrors& err, const std::string& notice = "") {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<form method=\"post\" action=\"/admin/agreements/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
                    "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">";
    // The first submit button is the one Enter presses: make it "save", never a row's "delete".
    if (!f.ro) b += "<div class=\"wide actions top\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("agreements.save")) + "</button></div>";
    b += text_field(f, "id", tr("publish.field.id"), a.id,
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    b += select_field(f, "kind", tr("agreements.col.kind"),
                      {{"individual", tr("agreements.kind.individual")}, {"comprehensive", tr("agreements.kind.comprehensive")}}, a.kind);
    b += text_field(f, "title", tr("agreements.col.title"), a.title, "required maxlength=\"120\"", "", "wide");
    Options partners{{"", tr("agreements.form.partner_other_hint")}};
    for (const Json& org : cat["organizations"]) partners.emplace_back(str(org, "id"), str(org, "name"));
    const bool in_catalog = !a.partner.org_id.empty() && find_by_id(cat["organizations"], a.partner.org_id);
    b += "<div class=\"pair wide\">" + select_field(f, "partner_id", tr("agreements.form.partner"), partners, in_catalog ? a.partner.org_id : "") +
         text_field(f, "partner", tr("agreements.form.partner_other"), in_catalog ? "" : a.partner.name, "maxlength=\"100\"") + "</div>";
    b += checkbox_group(f, "fields", tr("agreements.col.fields"), agreement_fields(), a.fields);
    b += text_field(f, "departments", tr("agreements.form.departments"), join(a.departments), "maxlength=\"300\"",
                    tr("agreements.form.departments_hint"), "wide");
    b += date_time_field(f, "signed_on", tr("agreements.col.signed_on"), a.signed_on, false) +
         date_time_field(f, "ends_on", tr("agreements.form.ends_on"), a.ends_on, false) +
         date_time_field(f, "renewed_on", tr("agreements.col.renewed_on"), a.renewed_on, false);
    b += select_field(f, "status", tr("agreements.col.status"),
                      {{"negotiating", agreement_status_ja("negotiating")}, {"valid", agreement_status_ja("valid")}, {"ended", agreement_status_ja("ended")}},
                      a.status);
    // Seed 003's signing flow: one dated line per step.
    f.note("steps", tr("agreements.form.steps"));
    b += "<fieldset class=\"group wide\" id=\"" + field_id("steps") + "\"><legend>" + esc(tr("agreements.form.steps_legend")) + "</legend><div class=\"wide\">" +
         field_error(err, "steps") + "</div>" +
         "<ol class=\"steps wide\">";
    for (const auto& [code, label] : agreement_steps()) {
        AgreementStep st;
        for (const auto& x : a.steps)
            if (x.step == code) st = x;
        b += "<li><div class=\"grid2\">" + date_time_field(f, "step." + code, label, st.date, false) +
             text_field(f, "step." + code + "_note", tr("agreements.form.step_note"), st.note, "maxlength=\"200\"") + "</div></li>";
    }
    b += "</ol></fieldset>";
    // Initiatives done under the agreement, each optionally linked to a project and a listing.
    Options projects{{"", tr("agreements.form.none")}}, listings{{"", tr("agreements.form.none")}};
    for (const Project& p : app.st.civic().projects(0)) projects.emplace_back(p.id, era_year_ja(p.fiscal_year) + " " + p.title);
    for (const Json& x : cat["activities"]) listings.emplace_back(str(x, "id"), str(x, "id") + " " + str(x, "title"));
    f.note("initiatives", tr("agreements.col.initiatives"));
    b += "<fieldset class=\"group wide\" id=\"" + field_id("initiatives") + "\"><legend>" + esc(tr("agreements.form.initiatives_legend")) +
         "</legend><div class=\"wide\">" + field_error(err, "initiatives") + "</div>" +
         "<ol class=\"rows wide\">";
    for (std::size_t i = 0; i < a.initiatives.size(); ++i) {
        const auto& x = a.initiatives[i];
        const std::string p = "i." + std::to_string(i) + ".";
        b += "<li class=\"row\"><div class=\"rowhead\"><strong>" + std::to_string(i + 1) + "</strong>" + row_buttons(f, "i", i, a.initiatives.size(), tr("agreements.initiative.this")) +
             "</div><div class=\"grid2\">" + text_field(f, p + "title", tr("agreements.initiative.title"), x.title, "maxlength=\"200\"", "", "wide") +
             text_field(f, p + "field", tr("agreements.initiative.field"), x.field, "maxlength=\"40\"") +
             date_time_field(f, p + "date", tr("agreements.initiative.date"), x.date, false) +
             select_field(f, p + "project_id", tr("agreements.initiative.project"), projects, x.project_id) +
             select_field(f, p + "listing_id", tr("agreements.initiative.listing"), listings, x.listing_id) + "</div></li>";
    }
    b += "</ol>";
    if (!f.ro) b += "<p class=\"wide\"><button name=\"op\" value=\"add:i\">" + esc(tr("agreements.initiative.add")) + "</button></p>";
    b += "</fieldset>" + textarea_field(f, "note", tr("agreements.form.note"), a.note, 3, "maxlength=\"2000\"");
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("agreements.save")) +
             "</button><a class=\"button\" href=\"/admin/agreements\">" + esc(tr("publish.button.back")) + "</a></div>";
    b += "</form>";
    if (!is_new && c.role >= Role::Admin)
        b += "<h2>" + esc(tr("agreements.delete.title")) + "</h2><form method=\"post\" action=\"/admin/agreements/" + url_encode(a.id) + "/delete\">" +
             csrf_field(c) + "<p class=\"muted\">" + esc(tr("agreements.delete.lead")) + "</p><button class=\"danger\">" + esc(tr("agreements.delete.button")) +
             "</button></form>";
    send_html(res, err.any() ? 400 : 200, page(c, is_new ? tr("agreements.new") : a.title, notice + err.summary_html(labels) + b, "/admin/agreements"));
}

void save(App& app, Ctx& c, httplib::Response& res) {
    const auto& fm = c.form;
    const bool is_new = posted(fm, "is_new") == "1";
    const Json cat = app.catalog();
    FieldErrors err;
    Agreement a;
    a.id = trim(posted(fm, "id"));
    std::optional<Agreement> stored;
    if (!is_new) {
        stored = app.st.civic().agreement(a.id);
        if (!stored) return not_found(c, res, trf("agreements.err.missing", {{"id", a.id}}));
    }
    a.kind = posted(fm, "kind");
    a.title = trim(posted(fm, "title"));
    const std::string pid = posted(fm, "partner_id");
    const std::string pname = trim(posted(fm, "partner"));
    if (!pname.empty()) a.partner = {"", pname};
    else if (const Json* org = pid.empty() ? nullptr : find_by_id(cat["organizations"], pid)) a.partner = {pid, str(*org, "name")};
    a.fields = read_checked(fm, "fields");
    a.departments = split_list(posted(fm, "departments"));
    a.signed_on = join_date_time(fm, "signed_on", err, false);
    a.ends_on = join_date_time(fm, "ends_on", err, false);
    a.renewed_on = join_date_time(fm, "renewed_on", err, false);
    a.status = posted(fm, "status");
    for (const auto& [code, label] : agreement_steps()) {
        const std::string d = join_date_time(fm, "step." + code, err, false), note = trim(posted(fm, "step." + code + "_note"));
        if (!d.empty() || !note.empty()) a.steps.push_back({code, d, note});
    }
    Json rows = Json::array();
    for (std::size_t i = 0; i <= 200; ++i) {
        const std::string p = "i." + std::to_string(i) + ".";
        if (!fm.count(p + "title")) break;
        rows.push_back({{"title", trim(posted(fm, p + "title"))}, {"field", trim(posted(fm, p + "field"))}, {"date", join_date_time(fm, p + "date", err, false)},
                        {"project_id", posted(fm, p + "project_id")}, {"listing_id", posted(fm, p + "listing_id")}});
    }
    const std::string op = posted(fm, "op");
    const bool row_op = apply_row_op(op, "i", rows, {{"title", ""}, {"field", ""}, {"date", ""}, {"project_id", ""}, {"listing_id", ""}});
    for (const Json& r : rows) a.initiatives.push_back({s(r, "title"), s(r, "field"), s(r, "date"), s(r, "project_id"), s(r, "listing_id")});
    a.note = trim(normalise_newlines(posted(fm, "note")));
    if (row_op || !is_save(fm)) return form(app, c, res, a, is_new, FieldErrors{});
    if (is_new && app.st.civic().agreement(a.id)) err.add("id", tr("agreements.err.id_taken"));
    if (!pid.empty() && pname.empty() && a.partner.name.empty()) err.add("partner_id", tr("agreements.err.partner_unknown"));
    check_agreement(a, err);
    if (err.at.count("partner") && a.partner.name.empty()) err.at.emplace("partner_id", tr("agreements.err.partner_needed"));
    if (err.any()) return form(app, c, res, a, is_new, err);
    a.updated_by = c.s.user;
    a.updated_at = rfc3339_now();
    app.st.civic().put_agreement(a);
    app.audit(c, is_new ? "agreement_create" : "agreement_update", a.id, a.title);
    redirect(res, "/admin/agreements/" + url_encode(a.id) + "?msg=" + url_encode(tr(is_new ? "agreements.msg.created" : "agreements.msg.saved")));
}

}  // namespace

void install_agreements(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/agreements", Role::Viewer, [&app](Ctx& c, const auto& req, auto& res) { list(app, c, req, res); });
    app.get(svr, R"(/admin/agreements\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        send_cached(app, req, res, export_key(app, "agreements.csv"), true, "private, no-cache",
                    [&](httplib::Response& out) { send_csv(out, register_csv(app.st.civic().agreements(), false), "agreements"); });
    });
    app.get(svr, R"(/open/agreements\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res_out) {
        res_out.set_header("Access-Control-Allow-Origin", "*");
        // Valid on ?date= (default today, which export_key's JST date follows).
        send_cached(app, req, res_out,
                    export_key(app, "open-agreements|" + req.matches[1].str() + "|" + (req.has_param("date") ? req.get_param_value("date").substr(0, 20) : "")),
                    true, "public, no-cache", [&](httplib::Response& res) {
        const auto as = app.st.civic().agreements();
        if (req.matches[1] == "csv") return send_csv(res, register_csv(as, true), "agreements");
        std::string date = req.has_param("date") ? req.get_param_value("date") : jst_today();
        if (!is_iso_date(date)) date = jst_today();
        const AgreementCounts n = count_agreements(as, date);
        Json arr = Json::array(), fields = Json::array();
        for (const Agreement& a : as) {
            Json j = agreement_to_json(a);
            j.erase("note");
            j.erase("updated_by");
            arr.push_back(std::move(j));
        }
        for (const auto& f : n.by_field) fields.push_back({{"field", f.field}, {"individual", f.individual}, {"comprehensive", f.comprehensive}});
        res.set_content(Json{{"license", "CC BY 4.0"}, {"date", date}, {"valid", n.valid}, {"by_field", fields}, {"agreements", arr}}.dump(
                            2, ' ', false, Json::error_handler_t::replace),
                        "application/json; charset=utf-8");
        });
    });
    app.get(svr, "/admin/agreements/import", Role::Editor, [](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        std::string b = flash(req) + "<p>" + trh("agreements.import.lead", {{"format", "<code>/open/agreements.json</code>"}}) +
                        "</p><form method=\"post\" action=\"/admin/agreements/import\" enctype=\"multipart/form-data\">" + csrf_field(c) + "<label>" +
                        esc(tr("agreements.import.file")) + "<input type=\"file\" name=\"file\" accept=\".json,application/json\" required></label>"
                        "<button class=\"primary\">" + esc(tr("agreements.import.button")) + "</button></form>";
        send_html(res, 200, page(c, tr("agreements.import.title"), b, "/admin/agreements"));
    });
    app.post(svr, "/admin/agreements/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string text = req.has_file("file") ? req.get_file_value("file").content : "";
        try {
            const int n = import_agreements(app.st, text, c.s.user, rfc3339_now());
            app.audit(c, "agreement_import", "", std::to_string(n) + " agreements");
            redirect(res, "/admin/agreements?msg=" + url_encode(trf("agreements.import.done", {{"n", std::to_string(n)}})));
        } catch (const std::invalid_argument& e) {
            send_html(res, 400, page(c, tr("agreements.import.title"),
                                     "<p class=\"error\" role=\"alert\">" + esc(trf("agreements.import.failed", {{"why", e.what()}})) +
                                         "</p><p><a href=\"/admin/agreements/import\">" + esc(tr("publish.button.back")) + "</a></p>",
                                     "/admin/agreements"));
        }
    });
    app.get(svr, "/admin/agreements/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        Agreement a;
        a.status = "negotiating";
        form(app, c, res, a, true, FieldErrors{});
    });
    app.post(svr, "/admin/agreements/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save(app, c, res); });
    app.get(svr, R"(/admin/agreements/([A-Za-z0-9_.\-]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto a = app.st.civic().agreement(req.matches[1]);
        if (!a) return not_found(c, res, trf("agreements.err.missing", {{"id", std::string(req.matches[1])}}));
        form(app, c, res, *a, false, FieldErrors{}, flash(req));
    });
    app.post(svr, R"(/admin/agreements/([A-Za-z0-9_.\-]+)/delete)", Role::Admin, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const auto a = app.st.civic().agreement(id);
        if (!a || !app.st.civic().delete_agreement(id)) return not_found(c, res, trf("agreements.err.missing", {{"id", id}}));
        app.audit(c, "agreement_delete", id, a->title);
        redirect(res, "/admin/agreements?msg=" + url_encode(tr("agreements.msg.deleted")));
    });
}

}  // namespace kyodo::server::web
