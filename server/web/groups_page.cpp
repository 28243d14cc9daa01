// Group registration as centre staff work with it (/admin/groups, docs/groups.md): the
// applications made at the kiosks (利用登録), filtered by state, kind, field and centre; each
// pending one approved (it gets the next registration number and is published to the catalog's
// organizations: the public directory, without the representative) or returned with a reason;
// CSV for Excel. The representative is kept sealed in the database and opened here with city
// hall's key, so the page and the CSV need an editor and are audit-logged.
#include <algorithm>

#include "core/groups.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "server/groups.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

using Opts = std::vector<std::pair<std::string, std::string>>;

std::string sel(const std::string& name, const Opts& opts, const std::string& cur) {
    std::string o = "<select name=\"" + esc(name) + "\">";
    for (const auto& [v, l] : opts)
        o += "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(l) + "</option>";
    return o + "</select>";
}

const std::string& state_label(const std::string& s) {
    return tr(s == "approved" ? "groups.state.approved" : s == "returned" ? "groups.state.returned" : "groups.state.pending");
}

std::string th(const char* key) { return "<th>" + esc(tr(key)) + "</th>"; }

// A kind of group or a standard field in the reader's language (shared vocabulary); else as it is.
std::string kind_label(const std::string& code) {
    return groups::is_group_kind(code) ? tr(std::string("group.kind.") + code) : code;
}

std::string field_label(const std::string& f) {
    const auto& fs = standard_fields();
    return std::find(fs.begin(), fs.end(), f) != fs.end() ? tr(std::string("field.") + f) : f;
}

std::string list(const Json& payload, const char* key) {
    std::string out;
    if (payload.contains(key) && payload[key].is_array())
        for (const auto& x : payload[key])
            if (x.is_string()) out += (out.empty() ? "" : tr("groups.list_sep")) + field_label(x.get<std::string>());
    return out;
}

std::string members(const Json& p) {
    auto it = p.find("members");
    return it != p.end() && it->is_number_integer() ? std::to_string(it->get<std::int64_t>()) : "";
}

GroupQuery query_of(const httplib::Request& req) {
    return {req.get_param_value("state"), req.get_param_value("kind"), req.get_param_value("field"),
            req.get_param_value("centre")};
}

std::string query_string(const GroupQuery& q) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {
        {"state", &q.state}, {"kind", &q.kind}, {"field", &q.field}, {"centre", &q.centre}};
    for (const auto& [k, v] : kv)
        if (!v->empty()) s += std::string(s.empty() ? "?" : "&") + k + "=" + url_encode(*v);
    return s;
}

// The representative, opened from the sealed box (nothing when it does not open).
Personal representative(const App& app, const GroupApplication& g) {
    if (g.sealed.empty()) return {};
    auto p = open_personal(g.sealed, app.keys);
    return p ? *p : Personal{};
}

// Applications a page, filtered and read in the database (GroupStorage::applications_page).
constexpr std::size_t kGroupPage = 100;

void groups_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    Json cat = Json::object();   // the centres only (names, the filter), never the whole catalog
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    const GroupQuery q = query_of(req);
    const std::int64_t total = app.st.groups().count_applications(q);
    const std::size_t pg = page_within(page_param(req), kGroupPage, total);
    const auto found = app.st.groups().applications_page(q, kGroupPage, (pg - 1) * kGroupPage);
    std::string b = flash(req);
    b += "<p>" + esc(tr("groups.intro")) + "</p>";

    Opts states{{"", tr("groups.filter.state_any")}, {"pending", state_label("pending")}, {"approved", state_label("approved")},
                {"returned", state_label("returned")}};
    Opts kinds{{"", tr("groups.filter.kind_any")}};
    for (const auto& t : groups::group_kinds()) kinds.emplace_back(t.code, kind_label(t.code));
    Opts fields{{"", tr("groups.filter.field_any")}};
    for (const auto& f : standard_fields()) fields.emplace_back(f, field_label(f));
    Opts centres{{"", tr("groups.filter.centre_any")}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    b += "<form method=\"get\" action=\"/admin/groups\" class=\"filters\" id=\"groups-filter\">" + sel("state", states, q.state) +
         sel("kind", kinds, q.kind) + sel("field", fields, q.field) + sel("centre", centres, q.centre) +
         "<button>" + esc(tr("groups.filter.submit")) + "</button> <a href=\"/admin/groups.csv" + esc(query_string(q)) + "\">" +
         esc(tr("groups.csv_filtered")) + "</a></form>";

    b += "<h2>" + esc(trf("groups.heading", {{"n", std::to_string(total)}})) + "</h2><table id=\"groups\"><thead><tr>" +
         th("groups.col.receipt") + th("groups.col.name") + th("groups.col.kind") + th("groups.col.fields") + th("groups.col.members") +
         th("groups.col.home") + th("groups.col.rep_kana") + th("groups.col.contact") + th("groups.col.received") + th("groups.col.state") +
         th("groups.col.number_reason") + th("groups.col.review") + "</tr></thead><tbody>";
    for (const GroupApplication& g : found) {
        const Personal rep = representative(app, g);
        std::string contact = rep.phone;
        if (!rep.email.empty()) contact += (contact.empty() ? "" : " / ") + rep.email;
        const std::string home = str(g.payload, "centre_id");
        b += "<tr data-receipt=\"" + esc(g.receipt) + "\" data-state=\"" + esc(g.state) + "\"><td>" + esc(g.receipt) +
             "</td><td>" + esc(str(g.payload, "name")) + "</td><td>" + esc(kind_label(str(g.payload, "kind"))) +
             "</td><td>" + esc(list(g.payload, "fields")) + "</td><td>" + esc(members(g.payload)) + "</td><td>" +
             esc(home.empty() ? "" : centre_name(cat, home)) + "</td><td>" +
             esc(trf("groups.name_kana", {{"name", rep.name}, {"kana", rep.furigana}})) + "</td><td>" + esc(contact) + "</td><td>" +
             esc(jst_datetime(g.received_at)) + "</td><td>" + esc(state_label(g.state)) +
             "</td><td>";
        if (g.state == "approved") b += "<strong>" + esc(g.number) + "</strong>";
        else if (g.state == "returned") b += esc(g.reason);
        b += "</td><td>";
        if (g.state == "pending") {
            b += "<form method=\"post\" action=\"/admin/groups/approve\" class=\"approve\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"id\" value=\"" + esc(g.id) + "\"><button>" + esc(tr("groups.approve")) + "</button></form>"
                 "<form method=\"post\" action=\"/admin/groups/return\" class=\"return\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"id\" value=\"" + esc(g.id) +
                 "\"><input name=\"reason\" placeholder=\"" + esc(tr("groups.return_reason")) + "\" required><button>" +
                 esc(tr("groups.return")) + "</button></form>";
        } else {
            b += esc(g.decided_by) + " " + esc(jst_datetime(g.decided_at));
        }
        b += "</td></tr>";
        if (!str(g.payload, "description").empty())
            b += "<tr class=\"sub\"><td></td><td colspan=\"11\" class=\"text\">" + esc(str(g.payload, "description")) +
                 "</td></tr>";
    }
    if (found.empty()) b += "<tr><td colspan=\"12\" class=\"muted\">" + esc(tr("groups.none")) + "</td></tr>";
    const std::string qs = query_string(q);
    b += "</tbody></table>" + pager_pages("/admin/groups" + (qs.empty() ? std::string("?") : qs), pg, kGroupPage, total);
    app.audit(c, "view_groups", "groups", std::to_string(found.size()) + " applications");
    send_html(res, 200, page(c, tr("groups.title"), b, "/admin/groups"));
}

void groups_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    // Personal data (the representative): the role (editor) checked by the route, every
    // download audit-logged; kept per query (the page's filters).
    std::string query;
    for (const auto& [k, v] : req.params) query += k + "=" + v + "&";
    const auto sent = send_cached(app, req, res_out, export_key(app, "groups.csv|" + query), true, "no-store", [&](httplib::Response& res) {
    const Json cat = app.catalog();
    const GroupQuery q = query_of(req);
    Csv csv;
    csv.row({tr("groups.col.receipt"), tr("groups.col.state"), tr("groups.csv.number"), tr("groups.col.name"), tr("groups.csv.kana"),
             tr("groups.col.kind"), tr("groups.col.fields"), tr("groups.col.members"), tr("groups.col.home"), tr("groups.csv.description"),
             tr("groups.csv.rep"), tr("groups.csv.rep_kana"), tr("groups.csv.phone"), tr("groups.csv.email"), tr("groups.csv.centre"),
             tr("groups.col.received"), tr("groups.return_reason"), tr("groups.csv.decided_by"), tr("groups.csv.decided_at")});
    const auto found = search_groups(app.st.groups(), q);
    for (const GroupApplication& g : found) {
        const Personal rep = representative(app, g);
        const std::string home = str(g.payload, "centre_id");
        csv.row({g.receipt, state_label(g.state), g.number, str(g.payload, "name"), str(g.payload, "kana"),
                 kind_label(str(g.payload, "kind")), list(g.payload, "fields"), members(g.payload),
                 home.empty() ? "" : centre_name(cat, home), str(g.payload, "description"), rep.name, rep.furigana,
                 rep.phone, rep.email, centre_name(cat, g.centre_id), jst_datetime(g.received_at), g.reason, g.decided_by,
                 jst_datetime(g.decided_at)});
    }
    res.set_header("X-Rows", std::to_string(found.size()));
    res.set_header("Content-Disposition", "attachment; filename=\"groups.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_groups", "groups.csv", std::to_string(sent->rows) + " applications");
}

std::string form_value(const Ctx& c, const char* key) {
    auto it = c.form.find(key);
    return it == c.form.end() ? "" : it->second;
}

}  // namespace

void install_groups(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/groups", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { groups_page(app, c, q, r); });
    app.get(svr, "/admin/groups.csv", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { groups_csv(app, c, q, r); });
    app.post(svr, "/admin/groups/approve", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "id");
        const std::string number = app.st.groups().approve(id, c.s.user, rfc3339_now());
        if (number.empty()) return deny(c, res, tr("groups.err.not_pending"));
        const auto g = app.st.groups().application(id);
        // The directory entry: the kiosks show the group and its number after their next pull.
        CatalogDelta d;
        d.organizations.push_back(group_organization(*g));
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "approve_group", id,
                  g->receipt + " → number " + number + " (in the directory, catalog version " + std::to_string(v) + ")");
        redirect(res, "/admin/groups?msg=" +
                          url_encode(trf("groups.msg.approved", {{"name", str(g->payload, "name")}, {"number", number}})));
    });
    app.post(svr, "/admin/groups/return", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "id"), reason = form_value(c, "reason");
        if (reason.empty()) return deny(c, res, tr("groups.err.reason"));
        if (!app.st.groups().return_application(id, reason, c.s.user, rfc3339_now()))
            return deny(c, res, tr("groups.err.not_pending"));
        const auto g = app.st.groups().application(id);
        app.audit(c, "return_group", id, g->receipt + " returned: " + reason);
        redirect(res, "/admin/groups?msg=" + url_encode(trf("groups.msg.returned", {{"name", str(g->payload, "name")}})));
    });
}

}  // namespace kyodo::server::web
