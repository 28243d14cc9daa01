// Public phone pages of the centres' directory (issue 11 point 6, docs/dashboard.md): the
// registered groups (/p/groups: the groups city hall approved, as the kiosk's 団体を知る lists
// them) and the open requests for help (/p/help: 人材募集, catalog activities with
// extra.talent_request). Read from the public catalog only: a group's entry holds its name,
// type, fields, description and registration number, never its representative (kept sealed at
// city hall, server/groups.h); a request names the group, never a person of the talent bank.
#include <algorithm>

#include "core/talent.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

std::string field_label(const std::string& f) {
    const auto& fs = standard_fields();
    return std::find(fs.begin(), fs.end(), f) != fs.end() ? tr(std::string("field.") + f) : f;
}

std::string joined(const Json& arr, bool help) {
    std::string out;
    if (arr.is_array())
        for (const Json& x : arr)
            if (x.is_string()) {
                const std::string v = x.get<std::string>();
                out += (out.empty() ? "" : tr("public.list_sep")) + (help && talent::is_help_kind(v) ? tr(std::string("talent.help.") + v) : field_label(v));
            }
    return out;
}

std::string links() {
    return "<p class=\"actions\"><a class=\"button\" href=\"/p/groups\">" + esc(tr("public.groups.title")) + "</a><a class=\"button\" href=\"/p/help\">" +
           esc(tr("public.help.title")) + "</a></p>";
}

void groups_page(App& app, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const std::string field = req.get_param_value("field");
    std::vector<const Json*> groups;
    if (cat.contains("organizations"))
        for (const Json& o : cat["organizations"]) {
            if (str(o, "registration").empty()) continue;
            if (!field.empty()) {
                const Json fs = o.value("fields", Json::array());
                if (std::find(fs.begin(), fs.end(), Json(field)) == fs.end()) continue;
            }
            groups.push_back(&o);
        }
    std::sort(groups.begin(), groups.end(), [](const Json* a, const Json* b) { return str(*a, "registration") < str(*b, "registration"); });
    std::string b = "<h1>" + esc(tr("public.groups.title")) + "</h1><p>" + esc(tr("public.groups.intro")) + "</p>";
    b += "<form method=\"get\" action=\"/p/groups\" class=\"stack\"><label>" + esc(tr("public.groups.field")) + "<select name=\"field\"><option value=\"\">" +
         esc(tr("public.groups.field_any")) + "</option>";
    for (const auto& f : standard_fields())
        b += "<option value=\"" + esc(f) + "\"" + (f == field ? " selected" : "") + ">" + esc(field_label(f)) + "</option>";
    b += "</select></label><button>" + esc(tr("public.groups.show")) + "</button></form><ul class=\"directory\" id=\"groups\">";
    for (const Json* o : groups) {
        b += "<li data-registration=\"" + esc(str(*o, "registration")) + "\"><h2>" + esc(str(*o, "name")) + "</h2><p class=\"muted\">" +
             esc(trf("public.groups.meta", {{"type", str(*o, "type")}, {"number", str(*o, "registration")}})) + "</p>";
        const std::string fs = joined(o->value("fields", Json::array()), false);
        if (!fs.empty()) b += "<p>" + esc(trf("public.groups.fields", {{"fields", fs}})) + "</p>";
        if (!str(*o, "description").empty()) b += "<p class=\"text\">" + esc(str(*o, "description")) + "</p>";
        b += "</li>";
    }
    b += "</ul>";
    if (groups.empty()) b += "<p class=\"muted\">" + esc(tr("public.groups.none")) + "</p>";
    b += links();
    send_html(res, 200, phone_page(tr("public.groups.title"), b));
}

void help_page(App& app, httplib::Response& res) {
    const Json cat = app.catalog();
    const std::string today = jst_today();
    std::string b = "<h1>" + esc(tr("public.help.title")) + "</h1><p>" + esc(tr("public.help.intro")) + "</p><ul class=\"directory\" id=\"help\">";
    int n = 0;
    if (cat.contains("activities"))
        for (const Json& a : cat["activities"]) {
            if (!a.contains("extra") || !a["extra"].is_object() || !a["extra"].contains("talent_request")) continue;
            const std::string end = str(a, "ends_at").empty() ? str(a, "starts_at") : str(a, "ends_at");
            if (!end.empty() && end.substr(0, 10) < today) continue;   // over: no longer open
            const Json& rq = a["extra"]["talent_request"];
            ++n;
            b += "<li data-id=\"" + esc(str(a, "id")) + "\"><h2><a href=\"/p/activities/" + url_encode(str(a, "id")) + "\">" + esc(str(a, "title")) +
                 "</a></h2><p class=\"muted\">" + esc(trf("public.help.meta", {{"group", str(rq, "group")}, {"centre", centre_name(cat, str(a, "centre_id"))}})) + "</p>";
            const std::string help = joined(rq.value("help", Json::array()), true);
            if (!help.empty()) b += "<p>" + esc(trf("public.help.wanted", {{"help", help}})) + "</p>";
            if (!str(a, "summary").empty()) b += "<p class=\"text\">" + esc(str(a, "summary")) + "</p>";
            b += "</li>";
        }
    b += "</ul>";
    if (n == 0) b += "<p class=\"muted\">" + esc(tr("public.help.none")) + "</p>";
    b += "<p>" + esc(tr("public.help.how")) + "</p>" + links();
    send_html(res, 200, phone_page(tr("public.help.title"), b));
}

}  // namespace

void install_public_directory(App& app, httplib::Server& svr) {
    app.get(svr, "/p/groups", Role::Public, [&app](Ctx&, const auto& q, auto& r) { groups_page(app, q, r); });
    app.get(svr, "/p/help", Role::Public, [&app](Ctx&, const httplib::Request&, httplib::Response& r) { help_page(app, r); });
}

}  // namespace kyodo::server::web
