// Staff list a thing city hall gives away (不用物品の提供, docs/items.md): name, description,
// condition, category, units offered, where to collect, the deadline for requests and the
// centre. Saved as a catalog activity of kind "item" through Storage::import_catalog (the
// publish path of every activity), so every kiosk shows it at its next pull; an edit keeps the
// units already granted (`taken`). Withdrawing an item is the activities page's 取り下げ.
#include "core/codec.h"
#include "core/items.h"
#include "core/uuid.h"
#include "server/furigana.h"
#include "server/web/publish.h"

namespace kyodo::server::web {

namespace {

void item_form(App& app, Ctx& c, httplib::Response& res, const Json& a, bool is_new, const FieldErrors& err) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, false, &labels};
    const Json info = a.contains("extra") && a["extra"].contains("item") ? a["extra"]["item"] : Json::object();
    Options centres{{"", tr("items.form.city_hall")}};
    for (const Json& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    std::string b = "<form method=\"post\" action=\"/admin/items/save\" class=\"grid2\" id=\"item-form\" novalidate>" + csrf_field(c) +
                    "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">" +
                    "<input type=\"hidden\" name=\"id\" value=\"" + esc(str(a, "id")) + "\">" +
                    text_field(f, "title", tr("items.field.name"), str(a, "title"), "required maxlength=\"60\"", "", "wide") +
                    textarea_field(f, "description", tr("items.field.description"), str(a, "description"), 4, "maxlength=\"1000\"") +
                    text_field(f, "condition", tr("items.field.condition"), str(info, "condition"), "maxlength=\"100\"",
                               tr("items.form.condition_hint")) +
                    text_field(f, "category", tr("items.field.category"), str(info, "category"), "maxlength=\"40\"",
                               tr("items.form.category_hint")) +
                    text_field(f, "capacity", tr("items.field.quantity"),
                               a["capacity"].is_string() ? a["capacity"].get<std::string>() : std::to_string(a.value("capacity", 0)),
                               "type=\"number\" min=\"1\" max=\"999\" step=\"1\" required",
                               trf("items.form.quantity_hint", {{"n", std::to_string(a.value("taken", 0))}})) +
                    select_field(f, "centre_id", tr("items.field.centre"), centres, str(a, "centre_id")) +
                    text_field(f, "place", tr("items.field.place"), str(a, "place"), "required maxlength=\"100\"",
                               tr("items.form.place_hint"), "wide") +
                    date_time_field(f, "deadline", tr("items.field.deadline"), str(a, "signup_closes"), false) +
                    "<div class=\"wide actions\"><button class=\"primary\">" + esc(tr("items.form.save")) +
                    "</button><a class=\"button\" href=\"/admin/items\">" + esc(tr("items.form.back")) + "</a></div></form>";
    send_html(res, err.any() ? 400 : 200,
              page(c, tr(is_new ? "items.form.new_title" : "items.form.edit_title"), err.summary_html(labels) + b, "/admin/items"));
}

// The posted form on top of the stored item (so `taken`, `version` and other keys stay).
Json read_item(const std::map<std::string, std::string>& form, const Json& cat, Json a, FieldErrors& err) {
    a["kind"] = "item";
    for (const char* k : {"title", "place", "centre_id"}) a[k] = trim(posted(form, k));
    a["description"] = trim(normalise_newlines(posted(form, "description")));
    a["signup_closes"] = join_date_time(form, "deadline", err, false);
    if (!a.contains("extra") || !a["extra"].is_object()) a["extra"] = Json::object();
    a["extra"]["item"] = {{"condition", trim(posted(form, "condition"))}, {"category", trim(posted(form, "category"))}};
    const std::string cap = trim(posted(form, "capacity"));
    try {
        std::size_t used = 0;
        const long n = std::stol(cap, &used);
        if (used != cap.size() || n < 1 || n > 999) throw std::out_of_range("capacity");
        a["capacity"] = static_cast<int>(n);
    } catch (const std::exception&) {
        err.add("capacity", tr("items.err.quantity"));
        a["capacity"] = cap;   // shown again as typed; never saved
    }
    if (!a.contains("taken")) a["taken"] = 0;
    check_text(err, "title", str(a, "title"), 60, true);
    check_text(err, "description", str(a, "description"), 1000, false, true);
    check_text(err, "condition", str(a["extra"]["item"], "condition"), 100, false);
    check_text(err, "category", str(a["extra"]["item"], "category"), 40, false);
    check_text(err, "place", str(a, "place"), 100, true);
    if (!str(a, "centre_id").empty() && !find_by_id(cat["centres"], str(a, "centre_id")))
        err.add("centre_id", tr("publish.err.no_centre"));
    return a;
}

void save_item(App& app, Ctx& c, httplib::Response& res) {
    const bool is_new = posted(c.form, "is_new") == "1";
    const Json cat = app.catalog();
    const std::string id = trim(posted(c.form, "id"));
    const Json* existing = is_new ? nullptr : find_by_id(cat["activities"], id);
    FieldErrors err;
    if (!is_new && (!existing || str(*existing, "kind") != "item")) return not_found(c, res, trf("publish.err.no_activity", {{"id", id}}));
    Json base = existing ? *existing : to_json(Activity{});
    if (is_new) {
        base.erase("version");
        base["id"] = "item-" + new_uuid_v7().substr(24, 12);   // the random tail of a UUIDv7
        base["form"] = "kyoryoku";
        base["method"] = "information_sharing";
    }
    Json a = read_item(c.form, cat, base, err);
    if (err.any()) return item_form(app, c, res, a, is_new, err);
    CatalogDelta d;
    try {
        d.activities.push_back(activity_from_json(a));
    } catch (const DecodeError& e) {
        err.add(e.field.empty() ? "title" : e.field, trf("publish.err.decode", {{"why", e.what()}}));
        return item_form(app, c, res, a, is_new, err);
    }
    server::refresh_furigana(d.activities.back());
    const std::int64_t v = app.st.import_catalog(d);
    app.audit(c, is_new ? "publish_item" : "edit_item", str(a, "id"),
              str(a, "title") + " × " + std::to_string(a.value("capacity", 0)) + " (catalog version " + std::to_string(v) + ")");
    redirect(res, "/admin/items?msg=" + url_encode(trf("items.msg.saved", {{"name", str(a, "title")}})));
}

}  // namespace

void install_item_form(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/items/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        Json a = to_json(Activity{});
        a["kind"] = "item";
        a["capacity"] = 1;
        item_form(app, c, res, a, true, FieldErrors{});
    });
    app.get(svr, R"(/admin/items/([^/]+)/edit)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], req.matches[1]);
        if (!a || str(*a, "kind") != "item")
            return not_found(c, res, trf("publish.err.no_activity", {{"id", std::string(req.matches[1])}}));
        item_form(app, c, res, *a, false, FieldErrors{});
    });
    app.post(svr, "/admin/items/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save_item(app, c, res); });
}

}  // namespace kyodo::server::web
