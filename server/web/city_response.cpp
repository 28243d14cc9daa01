// 市の考え方 at the kiosk (issue 9 point 7): after a draft's comment period has closed, staff
// publish the city's response — a summary they write (the opinions in brief and the city's
// answer as a whole) plus every comment that has an answer (市の考え方, written per comment on
// /admin/comments), by section — into the draft's catalog entry as `extra.city_response`, so
// kiosks pull it with the catalog and show it on the draft's page (docs/catalog.md).
//   /admin/city-response/<draft>   the page: what would be published, the summary, publish (POST)
// Publishing again replaces what was published (answers edited since are taken again). Only
// comments with an answer go out, as on the public page (/p/comments/<draft>); names and contact
// details never do (they are sealed, not in the comment's text fields).
#include <map>

#include "core/codec.h"
#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/html.h"
#include "server/web/publish.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

constexpr std::size_t kSummaryMax = 4000;

// The answered comments on `draft`, by its sections' order, each section's in arrival order.
Json answered_items(App& app, const Json& draft) {
    const auto rows = app.st.admin().records(RecordQuery{"public_comment", "", "", "", "", 100000});
    const Json extra = draft.value("extra", Json::object());
    std::vector<std::string> order;
    for (const Json& s : extra.value("sections", Json::array())) order.push_back(str(s, "id"));
    std::map<std::string, Json> by_section;
    for (const auto& r : rows) {
        const Json pl = payload_of(r);
        if (str(pl, "draft_id") != str(draft, "id") || r.note.empty()) continue;
        const std::string sid = str(pl, "section_id");
        if (!by_section.count(sid)) {
            by_section[sid] = Json::array();
            if (std::find(order.begin(), order.end(), sid) == order.end()) order.push_back(sid);   // a section since removed
        }
        by_section[sid].push_back({{"section_id", sid}, {"opinion", str(pl, "text")}, {"answer", r.note}});
    }
    Json items = Json::array();
    for (const std::string& sid : order)
        if (by_section.count(sid))
            for (const Json& it : by_section[sid]) items.push_back(it);
    return items;
}

std::string section_title(const Json& draft, const std::string& sid) {
    for (const Json& s : draft.value("extra", Json::object()).value("sections", Json::array()))
        if (str(s, "id") == sid) return str(s, "title");
    return sid;
}

void render(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res, const Json& draft, const std::string& summary,
            const FieldErrors& err) {
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    const Json extra = draft.value("extra", Json::object());
    const Json published = extra.value("city_response", Json::object());
    const Json items = answered_items(app, draft);
    std::string b = flash(req) + err.summary_html(labels);
    b += "<p>" + esc(tr("city_response.lead")) + "</p>";
    if (!published.empty())
        b += "<p class=\"panel\" id=\"published\">" +
             esc(trf("city_response.published", {{"at", jst_datetime(str(published, "published_at"))},
                                                  {"n", std::to_string(published.value("items", Json::array()).size())}})) +
             "</p>";
    if (!comment_period_closed(draft)) {
        b += "<p class=\"notice\" id=\"still-open\">" + esc(trf("city_response.still_open", {{"until", str(extra, "comment_until")}})) + "</p>";
        return send_html(res, 200, page(c, trf("city_response.title", {{"title", str(draft, "title")}}), b, "/admin/comments"));
    }
    b += "<p id=\"answered\">" + esc(trf("city_response.answered", {{"n", std::to_string(items.size())}})) + "</p>";
    b += "<form method=\"post\" action=\"/admin/city-response/" + url_encode(str(draft, "id")) + "\" class=\"grid2\">" + csrf_field(c) +
         textarea_field(f, "summary", tr("city_response.summary"), summary, 8, "maxlength=\"4000\"", tr("city_response.summary_hint"));
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\">" +
             esc(tr(published.empty() ? "city_response.publish" : "city_response.republish")) + "</button></div>";
    b += "</form><h2>" + esc(tr("city_response.preview")) + "</h2>";
    std::string last;
    for (const Json& it : items) {
        if (str(it, "section_id") != last) b += "<h3>" + esc(section_title(draft, last = str(it, "section_id"))) + "</h3>";
        b += "<div class=\"panel\"><p class=\"text\"><strong>" + esc(tr("city_response.opinion")) + "</strong><br>" + esc(str(it, "opinion")) +
             "</p><p class=\"text\"><strong>" + esc(tr("city_response.answer")) + "</strong><br>" + esc(str(it, "answer")) + "</p></div>";
    }
    if (items.empty()) b += "<p class=\"muted\">" + esc(tr("city_response.none_answered")) + "</p>";
    send_html(res, err.any() ? 400 : 200, page(c, trf("city_response.title", {{"title", str(draft, "title")}}), b, "/admin/comments"));
}

const Json* draft_of(const Json& cat, const std::string& id) {
    const Json* d = find_by_id(cat["activities"], id);
    return d && str(*d, "kind") == "public_comment" ? d : nullptr;
}

}  // namespace

void install_city_response(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/city-response/([^/]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* d = draft_of(cat, req.matches[1]);
        if (!d) return not_found(c, res, trf("city_response.err.no_draft", {{"id", std::string(req.matches[1])}}));
        const Json published = d->value("extra", Json::object()).value("city_response", Json::object());
        render(app, c, req, res, *d, str(published, "summary"), FieldErrors{});
    });
    app.post(svr, R"(/admin/city-response/([^/]+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* d = draft_of(cat, req.matches[1]);
        if (!d) return not_found(c, res, trf("city_response.err.no_draft", {{"id", std::string(req.matches[1])}}));
        if (!comment_period_closed(*d))
            return send_html(res, 409, page(c, tr("city_response.err.open_title"),
                                            "<p class=\"error\" role=\"alert\">" +
                                                esc(trf("city_response.err.open", {{"until", str(d->value("extra", Json::object()), "comment_until")}})) +
                                                "</p>",
                                            "/admin/comments"));
        const std::string summary = trim(normalise_newlines(posted(c.form, "summary")));
        FieldErrors err;
        check_text(err, "summary", summary, kSummaryMax, true, true);
        if (err.any()) return render(app, c, req, res, *d, summary, err);
        Json a = *d;
        const Json items = answered_items(app, a);
        a["extra"]["city_response"] = {{"published_at", rfc3339_now()}, {"summary", summary}, {"items", items}};
        CatalogDelta delta;
        try {
            delta.activities.push_back(activity_from_json(a));
        } catch (const DecodeError& e) {
            err.general = trf("publish.err.decode", {{"why", e.what()}});
            return render(app, c, req, res, *d, summary, err);
        }
        const std::int64_t v = app.st.import_catalog(delta);
        app.audit(c, "publish_city_response", str(a, "id"), std::to_string(items.size()) + " answers (catalog version " + std::to_string(v) + ")");
        redirect(res, "/admin/city-response/" + url_encode(str(a, "id")) + "?msg=" +
                          url_encode(trf("city_response.msg.published", {{"n", std::to_string(items.size())}})));
    });
}

}  // namespace kyodo::server::web
