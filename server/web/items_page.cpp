// Things city hall gives away as staff work with them (/admin/items, docs/items.md): the items
// on offer (from the catalog: offered, granted, left, the deadline), and the requests the
// registered groups made at the kiosks, filtered by state, item and centre; each pending one
// granted with a quantity (the item's units left go down and reach the kiosks with the catalog)
// or declined with a reason; CSV for Excel. The contact person is kept sealed in the database
// and opened here with city hall's key, so the page and the CSV need an editor and are
// audit-logged, as is every decision.
#include <algorithm>

#include "core/items.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "server/items.h"
#include "server/web/publish.h"

namespace kyodo::server::web {

namespace {

const std::string& state_label(const std::string& s) {
    return tr(s == "granted" ? "items.state.granted" : s == "declined" ? "items.state.declined" : "items.state.pending");
}

std::string th(const char* key, const char* cls = nullptr) {
    return std::string("<th") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + esc(tr(key)) + "</th>";
}

// The items on offer: catalog activities of kind "item", as Activity (with the server's taken).
std::vector<Activity> catalog_items(const Json& cat) {
    std::vector<Activity> out;
    for (const Json& a : cat["activities"]) {
        if (str(a, "kind") != "item") continue;
        try {
            Activity x = activity_from_json(a);
            x.taken = a.value("taken", 0);
            out.push_back(std::move(x));
        } catch (const std::exception&) {
        }
    }
    return out;
}

const Activity* find_item(const std::vector<Activity>& items, const std::string& id) {
    for (const Activity& a : items)
        if (a.id == id) return &a;
    return nullptr;
}

// "G-0001 大殿町内会": the group's name from the directory (the catalog's organizations).
std::string group_label(const Json& cat, const std::string& number) {
    for (const Json& o : cat["organizations"])
        if (str(o, "registration") == number) return number + " " + str(o, "name");
    return number;
}

std::string quantity(const Json& p) { return std::to_string(p.value("quantity", 0)); }

ItemQuery query_of(const httplib::Request& req) {
    return {req.get_param_value("state"), req.get_param_value("item"), req.get_param_value("centre")};
}

std::string query_string(const ItemQuery& q) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {{"state", &q.state}, {"item", &q.item}, {"centre", &q.centre}};
    for (const auto& [k, v] : kv)
        if (!v->empty()) s += std::string(s.empty() ? "?" : "&") + k + "=" + url_encode(*v);
    return s;
}

Personal contact(const App& app, const ItemRequestRow& r) {
    if (r.sealed.empty()) return {};
    auto p = open_personal(r.sealed, app.keys);
    return p ? *p : Personal{};
}

std::string deadline(const Activity& a) { return a.signup_closes.empty() ? tr("items.no_deadline") : date_label(a.signup_closes); }

std::string items_table(const Json& cat, const std::vector<Activity>& items, const std::map<std::string, std::int64_t>& pending) {
    std::string b = "<h2>" + esc(trf("items.offer.heading", {{"n", std::to_string(items.size())}})) +
                    "</h2><p><a class=\"button primary\" href=\"/admin/items/new\">" + esc(tr("items.offer.new")) +
                    "</a></p><table id=\"items\"><thead><tr>" + th("items.field.name") + th("items.field.condition") +
                    th("items.field.centre") + th("items.field.place") + th("items.field.deadline") + th("items.col.offered", "num") +
                    th("items.col.granted", "num") + th("items.col.left", "num") + th("items.col.pending", "num") + "<th></th></tr></thead><tbody>";
    const std::int64_t now = now_millis();
    for (const Activity& a : items) {
        const auto p = pending.find(a.id);
        const std::int64_t n_pending = p == pending.end() ? 0 : p->second;
        const items::Availability av = items::availability(a, now);
        b += "<tr data-item=\"" + esc(a.id) + "\"><td>" + esc(a.title) +
             (av == items::Availability::Open ? std::string()
                                              : " <span class=\"muted\">" + esc(tr(std::string("items.avail.") + items::to_code(av))) + "</span>") +
             "</td><td>" + esc(items::item_info(a).condition) + "</td><td>" + esc(a.centre_id.empty() ? tr("items.form.city_hall") : centre_name(cat, a.centre_id)) +
             "</td><td>" + esc(a.place) + "</td><td>" + esc(deadline(a)) + "</td><td class=\"num\">" + std::to_string(a.capacity) +
             "</td><td class=\"num\">" + std::to_string(a.taken) + "</td><td class=\"num\">" + std::to_string(items::remaining(a)) +
             "</td><td class=\"num\">" + std::to_string(n_pending) + "</td><td><a href=\"/admin/items/" + url_encode(a.id) + "/edit\">" +
             esc(tr("items.offer.edit")) + "</a> <a href=\"/admin/items?item=" + url_encode(a.id) + "\">" + esc(tr("items.offer.requests")) +
             "</a></td></tr>";
    }
    if (items.empty()) b += "<tr><td colspan=\"10\" class=\"muted\">" + esc(tr("items.offer.none")) + "</td></tr>";
    return b + "</tbody></table>";
}

std::string decide_forms(const Ctx& c, const ItemRequestRow& r, const Activity* item) {
    const int asked = r.payload.value("quantity", 0);
    const int left = item ? items::remaining(*item) : 0;
    const int suggest = std::max(1, std::min(asked, left));
    return "<form method=\"post\" action=\"/admin/items/grant\" class=\"grant\">" + csrf_field(c) +
           "<input type=\"hidden\" name=\"id\" value=\"" + esc(r.id) + "\"><input name=\"quantity\" type=\"number\" min=\"1\" max=\"" +
           std::to_string(asked) + "\" value=\"" + std::to_string(suggest) + "\" aria-label=\"" + esc(tr("items.col.granted")) +
           "\" class=\"narrow\"><input name=\"note\" placeholder=\"" + esc(tr("items.grant_note")) + "\"><button>" +
           esc(tr("items.grant")) + "</button></form><form method=\"post\" action=\"/admin/items/decline\" class=\"decline\">" +
           csrf_field(c) + "<input type=\"hidden\" name=\"id\" value=\"" + esc(r.id) + "\"><input name=\"reason\" placeholder=\"" +
           esc(tr("items.decline_reason")) + "\" required><button>" + esc(tr("items.decline")) + "</button></form>";
}

// Requests a page (?page=N, arrival order), filtered in the database (ItemStorage::requests_page).
constexpr std::size_t kItemRequestPage = 100;

void items_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    // The catalog's centres, organizations (group names) and items only, not its other listings.
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    cat["organizations"] = app.st.catalog_page("organizations", {}, 100000, 0).items;
    Storage::CatalogFilter only_items;
    only_items.kind = "item";
    cat["activities"] = app.st.catalog_page("activities", only_items, 100000, 0).items;
    const std::vector<Activity> items = catalog_items(cat);
    const ItemQuery q = query_of(req);
    std::vector<std::string> at_centre;
    if (!q.centre.empty())
        for (const Activity& a : items)
            if (a.centre_id == q.centre) at_centre.push_back(a.id);
    const std::int64_t total = app.st.items().count_requests(q, at_centre);
    const std::size_t pg = page_within(page_param(req), kItemRequestPage, total);
    const auto found = app.st.items().requests_page(q, at_centre, kItemRequestPage, (pg - 1) * kItemRequestPage);
    std::string b = flash(req) + "<p>" + esc(tr("items.intro")) + "</p>" + items_table(cat, items, app.st.items().pending_by_item());

    const FieldErrors none;
    const FormCtx f{none};
    Options states{{"", tr("items.filter.state_any")}, {"pending", state_label("pending")}, {"granted", state_label("granted")},
                   {"declined", state_label("declined")}};
    Options item_opts{{"", tr("items.filter.item_any")}};
    for (const Activity& a : items) item_opts.emplace_back(a.id, a.title);
    Options centres{{"", tr("items.filter.centre_any")}};
    for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    b += "<h2>" + esc(trf("items.requests.heading", {{"n", std::to_string(total)}})) +
         "</h2><form method=\"get\" action=\"/admin/items\" class=\"filters\" id=\"items-filter\">" +
         select_field(f, "state", tr("items.col.state"), states, q.state) + select_field(f, "item", tr("items.field.name"), item_opts, q.item) +
         select_field(f, "centre", tr("items.field.centre"), centres, q.centre) + "<button>" + esc(tr("items.filter.submit")) +
         "</button> <a href=\"/admin/items.csv" + esc(query_string(q)) + "\">" + esc(tr("items.csv_filtered")) + "</a></form>";

    b += "<table id=\"item-requests\"><thead><tr>" + th("items.col.receipt") + th("items.col.received") + th("items.field.name") +
         th("items.col.group") + th("items.col.asked", "num") + th("items.col.purpose") + th("items.col.contact") + th("items.col.kiosk_centre") +
         th("items.col.state") + th("items.col.result") + th("items.col.decide") + "</tr></thead><tbody>";
    for (const ItemRequestRow& r : found) {
        const Personal p = contact(app, r);
        std::string reach = p.phone;
        if (!p.email.empty()) reach += (reach.empty() ? "" : " / ") + p.email;
        const std::string item_id = r.payload.value("item_id", "");
        const Activity* item = find_item(items, item_id);
        b += "<tr data-receipt=\"" + esc(r.receipt) + "\" data-state=\"" + esc(r.state) + "\"><td>" + esc(r.receipt) + "</td><td>" +
             esc(jst_datetime(r.received_at)) + "</td><td>" + esc(item ? item->title : item_id) + "</td><td>" +
             esc(group_label(cat, r.payload.value("group", ""))) + "</td><td class=\"num\">" + quantity(r.payload) + "</td><td class=\"text\">" +
             esc(r.payload.value("purpose", "")) + "</td><td>" + esc(trf("items.name_kana", {{"name", p.name}, {"kana", p.furigana}})) + "<br>" +
             esc(reach) + "</td><td>" + esc(centre_name(cat, r.centre_id)) + "</td><td>" + esc(state_label(r.state)) + "</td><td>";
        if (r.state == "granted") b += "<strong>" + esc(trf("items.granted_n", {{"n", std::to_string(r.granted)}})) + "</strong> ";
        b += esc(r.reason) + "</td><td>";
        if (r.state == "pending") b += decide_forms(c, r, item);
        else b += esc(r.decided_by) + " " + esc(jst_datetime(r.decided_at));
        b += "</td></tr>";
    }
    if (found.empty()) b += "<tr><td colspan=\"11\" class=\"muted\">" + esc(tr("items.requests.none")) + "</td></tr>";
    const std::string qs = query_string(q);
    b += "</tbody></table>" + pager_pages("/admin/items" + (qs.empty() ? std::string("?") : qs), pg, kItemRequestPage, total);
    app.audit(c, "view_items", "items", std::to_string(found.size()) + " requests");
    send_html(res, 200, page(c, tr("items.title"), b, "/admin/items"));
}

void items_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    // Personal data (the contact person): an editor (the route), every download audit-logged.
    std::string query;
    for (const auto& [k, v] : req.params) query += k + "=" + v + "&";
    const auto sent = send_cached(app, req, res_out, export_key(app, "items.csv|" + query), true, "no-store", [&](httplib::Response& res) {
        const Json cat = app.catalog();
        const std::vector<Activity> items = catalog_items(cat);
        Csv csv;
        csv.row({tr("items.col.receipt"), tr("items.col.state"), tr("items.field.name"), tr("items.csv.item_id"), tr("items.col.group"),
                 tr("items.col.asked"), tr("items.col.granted"), tr("items.col.purpose"), tr("items.csv.contact"), tr("items.csv.kana"),
                 tr("items.csv.phone"), tr("items.csv.email"), tr("items.col.kiosk_centre"), tr("items.col.received"),
                 tr("items.csv.reason"), tr("items.csv.decided_by"), tr("items.csv.decided_at")});
        const auto found = search_item_requests(app.st.items(), query_of(req), cat);
        for (const ItemRequestRow& r : found) {
            const Personal p = contact(app, r);
            const std::string item_id = r.payload.value("item_id", "");
            const Activity* item = find_item(items, item_id);
            csv.row({r.receipt, state_label(r.state), item ? item->title : "", item_id, group_label(cat, r.payload.value("group", "")),
                     quantity(r.payload), r.state == "granted" ? std::to_string(r.granted) : "", r.payload.value("purpose", ""), p.name,
                     p.furigana, p.phone, p.email, centre_name(cat, r.centre_id), jst_datetime(r.received_at), r.reason, r.decided_by,
                     jst_datetime(r.decided_at)});
        }
        res.set_header("X-Rows", std::to_string(found.size()));
        res.set_header("Content-Disposition", "attachment; filename=\"item_requests.csv\"");
        res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_items", "items.csv", std::to_string(sent->rows) + " requests");
}

std::string item_title(App& app, const ItemRequestRow& r) {
    const std::string id = r.payload.value("item_id", "");
    const std::string t = activity_title(app.catalog(), id);
    return t.empty() ? id : t;
}

}  // namespace

void install_items(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/items", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { items_page(app, c, q, r); });
    app.get(svr, "/admin/items.csv", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { items_csv(app, c, q, r); });
    app.post(svr, "/admin/items/grant", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = posted(c.form, "id"), q = trim(posted(c.form, "quantity"));
        int n = 0;
        if (q.empty() || q.size() > 3 || q.find_first_not_of("0123456789") != std::string::npos) return deny(c, res, tr("items.err.quantity"));
        n = std::stoi(q);
        const GrantResult g = app.st.items().grant(id, n, trim(posted(c.form, "note")), c.s.user, rfc3339_now());
        if (!g.ok())
            return deny(c, res, g.error == "not_enough" ? trf("items.err.not_enough", {{"n", std::to_string(g.left)}})
                                : g.error == "bad_quantity" ? tr("items.err.quantity")
                                                            : tr("items.err.not_pending"));
        const auto r = app.st.items().request(id);
        const std::string title = item_title(app, *r);
        app.audit(c, "grant_item", id,
                  r->receipt + " " + r->payload.value("group", "") + " ← " + title + " × " + std::to_string(n) + " (" +
                      std::to_string(g.left) + " left, catalog version " + std::to_string(g.catalog_version) + ")");
        redirect(res, "/admin/items?msg=" + url_encode(trf("items.msg.granted", {{"name", title}, {"n", std::to_string(n)},
                                                                                 {"group", r->payload.value("group", "")}})));
    });
    app.post(svr, "/admin/items/decline", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = posted(c.form, "id"), reason = trim(posted(c.form, "reason"));
        if (reason.empty()) return deny(c, res, tr("items.err.reason"));
        if (!app.st.items().decline(id, reason, c.s.user, rfc3339_now())) return deny(c, res, tr("items.err.not_pending"));
        const auto r = app.st.items().request(id);
        app.audit(c, "decline_item", id, r->receipt + " " + r->payload.value("group", "") + " declined: " + reason);
        redirect(res, "/admin/items?msg=" + url_encode(trf("items.msg.declined", {{"group", r->payload.value("group", "")}})));
    });
    install_item_form(app, svr);
}

}  // namespace kyodo::server::web
