// Publishing centres (where kiosks stand) and organizations (NPOs, 町内会, companies …): one
// form each, saved as a one-entity catalog delta. Deleting one that listings still point to
// is refused with the listings named, so no kiosk shows a listing at a centre that is gone.
#include <algorithm>

#include "core/codec.h"
#include "core/validate.h"
#include "server/web/publish.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {

// Types seen in the seeds; the catalog's own types join them in the select.
// Stored as the Japanese word (data_ja); the select shows it in the reader's language.
const char* const kOrgTypes[] = {"npo", "volunteer", "neighbourhood", "district_committee", "community_council", "social_welfare",
                                 "seniors_club", "sports", "executive_committee", "council", "company", "school", "government"};

bool is_centres(const std::string& t) { return t == "centres"; }
// Text that differs by entity: key "publish_catalog.<centres|organizations>.<what>".
const std::string& tx(const std::string& t, const char* what) { return tr(std::string("publish_catalog.") + t + "." + what); }

void render(App& app, Ctx& c, httplib::Response& res, const std::string& t, const Json& x, bool is_new, const FieldErrors& err,
            const Json* stored, int status = 0) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<form method=\"post\" action=\"/admin/catalog/" + t + "/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" +
                    csrf_field(c) + "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">" +
                    text_field(f, "id", tr("publish.field.id"), str(x, "id"),
                               is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly",
                               !is_new ? std::string() : tx(t, "id_hint")) +
                    text_field(f, "name", tr("publish.field.title"), str(x, "name"), "required maxlength=\"" + std::string(is_centres(t) ? "60" : "100") + "\"") +
                    text_field(f, "kana", tr("publish.field.kana"), str(x, "kana"), "maxlength=\"100\"");
    if (is_centres(t)) {
        b += text_field(f, "address", tr("publish_catalog.field.address"), str(x, "address"), "maxlength=\"200\"", "", "wide") +
             text_field(f, "phone", tr("publish_catalog.field.phone"), str(x, "phone"), "type=\"tel\" maxlength=\"20\" autocomplete=\"off\"",
                        tr("publish_catalog.field.phone_hint"));
    } else {
        Options types;
        for (const char* ty : kOrgTypes) {
            const std::string key = std::string("publish_catalog.org_type.") + ty;
            types.emplace_back(data_ja(key), tr(key));
        }
        for (const Json& o : cat["organizations"])
            if (std::none_of(types.begin(), types.end(), [&](const auto& p) { return p.first == str(o, "type"); }) && !str(o, "type").empty())
                types.emplace_back(str(o, "type"), str(o, "type"));
        std::vector<std::string> fields;
        for (const Json& v : x.value("fields", Json::array()))
            if (v.is_string()) fields.push_back(v.get<std::string>());
        b += select_field(f, "type", tr("publish_catalog.field.org_type"), types, str(x, "type").empty() ? data_ja("publish_catalog.org_type.npo") : str(x, "type")) +
             text_field(f, "contact", tr("publish_catalog.field.contact"), str(x, "contact"), "maxlength=\"100\"",
                        tr("publish_catalog.field.contact_hint"), "wide") +
             checkbox_group(f, "fields", tr("publish_catalog.field.fields"), standard_fields(), fields) +
             textarea_field(f, "description", tr("publish_catalog.field.description"), str(x, "description"), 5, "maxlength=\"1000\"",
                            tr("publish_catalog.field.description_hint"));
    }
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">" + esc(tr("publish.button.save_publish")) +
             "</button><a class=\"button\" href=\"/admin/catalog\">" + esc(tr("publish.button.back")) + "</a></div>";
    b += "</form>";
    if (stored) b += json_view(*stored);
    if (!is_new && stored && !f.ro)
        b += "<h2>" + esc(tr("publish.delete.title")) + "</h2><p>" + esc(tx(t, "delete_lead")) +
             "</p><form class=\"inline\" method=\"post\" action=\"/admin/catalog/" + t + "/delete\">" + csrf_field(c) +
             "<input type=\"hidden\" name=\"id\" value=\"" + esc(str(x, "id")) + "\"><button class=\"danger\">" +
             esc(tr("publish.delete.button")) + "</button></form>";
    send_html(res, status ? status : err.any() ? 400 : 200,
              page(c, tx(t, is_new ? "title_new" : "title_edit"), err.summary_html(labels) + b, "/admin/activities"));
}

Json read(const std::string& t, const std::map<std::string, std::string>& form, Json x, FieldErrors& err) {
    for (const char* k : {"id", "name", "kana"}) x[k] = trim(posted(form, k));
    check_id(err, "id", str(x, "id"));
    check_text(err, "name", str(x, "name"), is_centres(t) ? 60 : 100, true);
    check_text(err, "kana", str(x, "kana"), 100, false);
    if (!str(x, "kana").empty() && !err.at.count("kana") && !is_kana_reading(str(x, "kana")))
        err.add("kana", tr("publish.err.kana"));
    if (is_centres(t)) {
        x["address"] = trim(posted(form, "address"));
        x["phone"] = trim(posted(form, "phone"));
        check_text(err, "address", str(x, "address"), 200, false);
        if (!str(x, "phone").empty() && !is_valid_phone(str(x, "phone")))
            err.add("phone", tr("publish_catalog.err.phone"));
    } else {
        x["type"] = trim(posted(form, "type"));
        x["contact"] = trim(posted(form, "contact"));
        x["description"] = trim(normalise_newlines(posted(form, "description")));
        x["fields"] = keep_order(x.value("fields", Json::array()), read_checked(form, "fields"));
        check_text(err, "type", str(x, "type"), 30, true);
        check_text(err, "contact", str(x, "contact"), 100, false);
        check_text(err, "description", str(x, "description"), 1000, false, true);
        for (const Json& v : x["fields"]) check_text(err, "fields", v.get<std::string>(), 20, true);
    }
    return x;
}

// Listings that still point at the centre or organization, by title.
std::vector<std::string> users_of(const Json& cat, const std::string& t, const std::string& id) {
    std::vector<std::string> out;
    for (const Json& a : cat["activities"]) {
        bool uses = false;
        if (is_centres(t)) uses = str(a, "centre_id") == id;
        else
            for (const Json& o : a.value("organizer_ids", Json::array())) uses = uses || o == id;
        if (uses) out.push_back(str(a, "title"));
    }
    return out;
}

}  // namespace

void install_catalog_forms(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/catalog/(centres|organizations)/([^/]+))", Role::Viewer,
            [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                const std::string t = req.matches[1], id = req.matches[2];
                if (id == "new") {
                    if (c.role < Role::Editor) return deny(c, res, tr("publish.err.editor_only"));
                    Json x = is_centres(t) ? to_json(Centre{}) : to_json(Organization{});
                    x.erase("version");
                    return render(app, c, res, t, x, true, FieldErrors{}, nullptr);
                }
                const Json cat = app.catalog();
                const Json* x = find_by_id(cat[t], id);
                if (!x) return not_found(c, res, trf(std::string("publish_catalog.") + t + ".missing", {{"id", id}}));
                render(app, c, res, t, *x, false, FieldErrors{}, x);
            });
    app.post(svr, R"(/admin/catalog/(centres|organizations)/save)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1];
                 const bool is_new = c.form["is_new"] == "1";
                 const Json cat = app.catalog();
                 const Json* existing = find_by_id(cat[t], trim(c.form["id"]));
                 FieldErrors err;
                 if (is_new && existing) err.add("id", trf("publish.err.id_taken", {{"title", str(*existing, "name")}}));
                 if (!is_new && !existing) err.general = tx(t, "gone");
                 Json base = existing && !is_new ? *existing : (is_centres(t) ? to_json(Centre{}) : to_json(Organization{}));
                 if (is_new || !existing) base.erase("version");
                 Json x = read(t, c.form, base, err);
                 const Json* stored = is_new ? nullptr : existing;
                 if (err.any()) return render(app, c, res, t, x, is_new, err, stored);
                 CatalogDelta d;
                 try {
                     if (is_centres(t)) d.centres.push_back(centre_from_json(x));
                     else d.organizations.push_back(organization_from_json(x));
                 } catch (const DecodeError& e) {
                     err.add(e.field.empty() ? "id" : e.field, trf("publish.err.decode", {{"why", e.what()}}));
                     return render(app, c, res, t, x, is_new, err, stored);
                 }
                 const std::int64_t before = app.st.catalog_version();
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "publish_" + t, str(x, "id"), "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode(saved_message(str(x, "name"), before, v)));
             });
    app.post(svr, R"(/admin/catalog/(centres|organizations)/delete)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1], id = c.form["id"];
                 const Json cat = app.catalog();
                 const Json* x = find_by_id(cat[t], id);
                 if (!x) return not_found(c, res, trf(std::string("publish_catalog.") + t + ".missing", {{"id", id}}));
                 const auto users = users_of(cat, t, id);
                 if (!users.empty()) {
                     FieldErrors err;
                     err.general = trf(std::string("publish_catalog.") + t + ".in_use", {{"n", std::to_string(users.size())}, {"title", users.front()}});
                     return render(app, c, res, t, *x, false, err, x, 409);
                 }
                 CatalogDelta d;
                 (is_centres(t) ? d.deleted_centres : d.deleted_organizations).push_back(id);
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "delete_" + t, id, "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode(trf("publish.msg.deleted", {{"name", str(*x, "name")}})));
             });
}

}  // namespace kyodo::server::web
