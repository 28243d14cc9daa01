// The talent bank as city-hall staff work with it (/admin/talent, docs/talent.md): search the
// registrations by skill, field, area and time; the groups' requests for help (人材募集, catalog
// activities of kind volunteer with extra.talent_request, which the kiosks show); propose a
// match and record its outcome; withdrawals; CSV for Excel. Registrations carry personal data,
// so the page and the CSV need an editor and are audit-logged.
#include <algorithm>

#include "core/talent.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/talent.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

using Opts = std::vector<std::pair<std::string, std::string>>;

std::string th(const char* key) { return "<th>" + esc(tr(key)) + "</th>"; }

std::string sel(const std::string& name, const Opts& opts, const std::string& cur) {
    std::string o = "<select name=\"" + esc(name) + "\">";
    for (const auto& [v, l] : opts)
        o += "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(l) + "</option>";
    return o + "</select>";
}

// A talent term (kind of help, time slot, way to be contacted, "anywhere") or a standard field,
// in the reader's language from the shared vocabulary; any other value as it is.
std::string term(const std::string& code) {
    if (talent::is_help_kind(code)) return tr(std::string("talent.help.") + code);
    if (talent::is_time_slot(code)) return tr(std::string("talent.time.") + code);
    if (talent::is_contact_way(code)) return tr(std::string("talent.by.") + code);
    if (code == talent::kAnyArea) return tr(std::string("talent.area.") + code);
    const auto& fs = standard_fields();
    if (std::find(fs.begin(), fs.end(), code) != fs.end()) return tr(std::string("field.") + code);
    return code;
}

std::string labels(const Json& payload, const char* key) {
    std::string out;
    if (payload.contains(key) && payload[key].is_array())
        for (const auto& x : payload[key])
            if (x.is_string()) out += (out.empty() ? "" : tr("talent.list_sep")) + term(x.get<std::string>());
    return out;
}

std::string area_labels(const Json& cat, const Json& payload) {
    std::string out;
    if (payload.contains("areas") && payload["areas"].is_array())
        for (const auto& x : payload["areas"]) {
            if (!x.is_string()) continue;
            const std::string id = x.get<std::string>();
            std::string name = id == talent::kAnyArea ? term(id) : centre_name(cat, id);
            out += (out.empty() ? "" : tr("talent.list_sep")) + (name.empty() ? id : name);
        }
    return out;
}

// Open requests for help: catalog activities with extra.talent_request.
std::vector<const Json*> requests(const Json& cat) {
    std::vector<const Json*> out;
    if (cat.contains("activities"))
        for (const auto& a : cat["activities"])
            if (a.contains("extra") && a["extra"].is_object() && a["extra"].contains("talent_request")) out.push_back(&a);
    return out;
}

TalentQuery query_of(const httplib::Request& req) {
    TalentQuery q;
    q.help = req.get_param_value("help");
    q.field = req.get_param_value("field");
    q.area = req.get_param_value("area");
    q.time = req.get_param_value("time");
    return q;
}

// The search as a query string ("" when none), for the CSV of the same search.
std::string query_string(const TalentQuery& q) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {{"help", &q.help}, {"field", &q.field}, {"area", &q.area}, {"time", &q.time}};
    for (const auto& [k, v] : kv)
        if (!v->empty()) s += std::string(s.empty() ? "?" : "&") + k + "=" + url_encode(*v);
    return s;
}

Opts help_opts(const std::string& any) {
    Opts o{{"", any}};
    for (const auto& t : talent::help_kinds()) o.emplace_back(t.code, term(t.code));
    return o;
}

// Registrations a page, searched and read in the database (TalentStorage::registrations_page).
constexpr std::size_t kTalentPage = 100;
constexpr std::size_t kTalentListPage = 100;   // matches, withdrawals

// What the page names from the catalog, read alone (not the whole catalog: 2,000 listings and
// organizations made the page read and parse thousands of entities per request): the centres,
// and the open requests for help (activities whose extra has talent_request).
Json centres_and_requests(App& app) {
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    Storage::CatalogFilter f;
    f.extra_has = "talent_request";
    cat["activities"] = app.st.catalog_page("activities", f, 100000, 0).items;
    return cat;
}

void talent_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = centres_and_requests(app);
    const TalentQuery q = query_of(req);
    const std::int64_t total = app.st.talent().count_registrations(q);
    const std::size_t pg = page_within(page_param(req), kTalentPage, total);
    const auto found = app.st.talent().registrations_page(q, kTalentPage, (pg - 1) * kTalentPage);
    const auto reqs = requests(cat);
    std::string b = flash(req);
    b += "<p>" + esc(tr("talent.intro")) + "</p>";

    // Search.
    Opts fields{{"", tr("talent.filter.field_any")}};
    for (const auto& f : standard_fields()) fields.emplace_back(f, term(f));
    Opts areas{{"", tr("talent.filter.area_any")}, {talent::kAnyArea, term(talent::kAnyArea)}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) areas.emplace_back(str(ce, "id"), str(ce, "name"));
    Opts times{{"", tr("talent.filter.time_any")}};
    for (const auto& t : talent::time_slots()) times.emplace_back(t.code, term(t.code));
    b += "<form method=\"get\" action=\"/admin/talent\" class=\"filters\" id=\"talent-search\">" +
         sel("help", help_opts(tr("talent.filter.help_any")), q.help) + sel("field", fields, q.field) + sel("area", areas, q.area) +
         sel("time", times, q.time) + "<button>" + esc(tr("talent.search")) + "</button> <a href=\"/admin/talent.csv\">" +
         esc(tr("talent.csv_all")) + "</a> <a href=\"/admin/talent.csv" + esc(query_string(q)) + "\" id=\"talent-csv-filtered\">" +
         esc(tr("talent.csv_filtered")) + "</a></form>";

    Opts req_opts;
    for (const Json* a : reqs) req_opts.emplace_back(str(*a, "id"), str(*a, "title"));
    b += "<h2>" + esc(trf("talent.results.heading", {{"n", std::to_string(total)}})) +
         "</h2><table id=\"talent-results\"><thead><tr>" + th("talent.col.receipt") + th("talent.col.name_kana") +
         th("talent.col.contact") + th("talent.col.help") + th("talent.col.fields") + th("talent.col.areas") + th("talent.col.times") +
         th("talent.col.note") + th("talent.col.propose") + "</tr></thead><tbody>";
    for (const TalentEntry& e : found) {
        const Json& p = e.personal;
        std::string contact = str(p, "phone");
        if (!str(p, "email").empty()) contact += (contact.empty() ? "" : " / ") + str(p, "email");
        contact += trf("talent.contact_by", {{"how", term(str(e.payload, "contact_by"))}});
        b += "<tr data-receipt=\"" + esc(e.receipt) + "\"><td>" + esc(e.receipt) + "</td><td>" +
             esc(trf("talent.name_kana", {{"name", str(p, "name")}, {"kana", str(p, "furigana")}})) + "</td><td>" + esc(contact) +
             "</td><td>" + esc(labels(e.payload, "help")) +
             "</td><td>" + esc(labels(e.payload, "fields")) + "</td><td>" + esc(area_labels(cat, e.payload)) + "</td><td>" +
             esc(labels(e.payload, "times")) + "</td><td class=\"text\">" + esc(str(e.payload, "note")) + "</td><td>";
        if (req_opts.empty()) {
            b += "<span class=\"muted\">" + esc(tr("talent.no_requests")) + "</span>";
        } else {
            b += "<form method=\"post\" action=\"/admin/talent/match\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"registration\" value=\"" + esc(e.id) + "\">" + sel("request", req_opts, "") +
                 "<input name=\"note\" placeholder=\"" + esc(tr("talent.memo")) + "\"><button>" + esc(tr("talent.col.propose")) +
                 "</button></form>";
        }
        b += "</td></tr>";
    }
    if (found.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">" + esc(tr("talent.results.none")) + "</td></tr>";
    const std::string qs = query_string(q);
    b += "</tbody></table>" + pager_pages("/admin/talent" + (qs.empty() ? std::string("?") : qs), pg, kTalentPage, total);

    // Matches and withdrawals, each a page at a time (?matches_page=N, ?withdrawals_page=N); a
    // list's links keep the search and the other lists' pages.
    const std::int64_t match_total = app.st.talent().match_count(), withdrawal_total = app.st.talent().withdrawal_count();
    const std::size_t mpg = page_within(page_param(req, "matches_page"), kTalentListPage, match_total);
    const std::size_t wpg = page_within(page_param(req, "withdrawals_page"), kTalentListPage, withdrawal_total);
    auto base_without = [&](const std::string& own) {
        std::string u = "/admin/talent" + (qs.empty() ? std::string("?") : qs + "&");
        if (pg > 1) u += "page=" + std::to_string(pg) + "&";
        if (own != "matches_page" && mpg > 1) u += "matches_page=" + std::to_string(mpg) + "&";
        if (own != "withdrawals_page" && wpg > 1) u += "withdrawals_page=" + std::to_string(wpg) + "&";
        u.pop_back();   // the trailing '&' or, with nothing kept, the '?'
        return u.find('?') == std::string::npos ? u + "?" : u;
    };
    const auto ms = app.st.talent().matches_page(kTalentListPage, (mpg - 1) * kTalentListPage);
    // The titles of the page's matches' requests, by id (a request may have ended since).
    Json requested = Json::object();
    {
        std::vector<std::string> ids;
        for (const TalentMatch& m : ms)
            if (std::find(ids.begin(), ids.end(), m.request_id) == ids.end()) ids.push_back(m.request_id);
        requested["activities"] = app.st.activities_by_id(ids);
    }
    b += "<h2>" + esc(tr("talent.matches.title")) + "</h2><table id=\"talent-matches\"><thead><tr>" + th("talent.col.number") +
         th("talent.col.registrant") + th("talent.col.request") + th("talent.col.proposed") + th("talent.col.outcome") +
         "</tr></thead><tbody>";
    for (const TalentMatch& m : ms) {
        const auto who = app.st.talent().registration(m.registration_id);
        const std::string name = who ? trf("talent.name_receipt", {{"name", str(who->personal, "name")}, {"receipt", who->receipt}})
                                     : tr("talent.withdrawn");
        b += "<tr data-match=\"" + std::to_string(m.id) + "\"><td>" + std::to_string(m.id) + "</td><td>" + esc(name) +
             "</td><td>" + esc(activity_title(requested, m.request_id)) + "</td><td>" + esc(m.proposed_by) + " " +
             esc(jst_datetime(m.proposed_at)) + "</td><td><form method=\"post\" action=\"/admin/talent/match/" +
             std::to_string(m.id) + "\">" + csrf_field(c) +
             sel("outcome",
                 {{"proposed", tr("talent.outcome.proposed")}, {"accepted", tr("talent.outcome.accepted")},
                  {"declined", tr("talent.outcome.declined")}, {"done", tr("talent.outcome.done")}},
                 m.outcome) +
             "<input name=\"note\" value=\"" + esc(m.note) + "\"><button>" + esc(tr("talent.record")) + "</button></form></td></tr>";
    }
    if (ms.empty()) b += "<tr><td colspan=\"5\" class=\"muted\">" + esc(tr("talent.matches.none")) + "</td></tr>";
    b += "</tbody></table>" + pager_pages(base_without("matches_page"), mpg, kTalentListPage, match_total, "matches_page") +
         " <a href=\"/admin/talent/matches.csv\">" + esc(tr("talent.matches.csv")) + "</a>";

    // Requests for help.
    b += "<h2>" + esc(tr("talent.requests.title")) + "</h2><ul>";
    for (const Json* a : reqs) {
        const Json& treq = (*a)["extra"]["talent_request"];
        b += "<li>" + esc(trf("talent.requests.item", {{"title", str(*a, "title")}, {"help", labels(treq, "help")}})) + "</li>";
    }
    if (reqs.empty()) b += "<li class=\"muted\">" + esc(tr("talent.requests.none")) + "</li>";
    b += "</ul><form method=\"post\" action=\"/admin/talent/request\" id=\"talent-request\" class=\"panel\">" + csrf_field(c) +
         "<label>" + esc(tr("talent.request.group")) + " <input name=\"group\" required></label> <label>" +
         esc(tr("talent.request.title")) + " <input name=\"title\" required size=\"40\"></label> <label>" +
         esc(tr("talent.request.summary")) + " <input name=\"summary\" size=\"60\"></label> <label>" +
         esc(tr("talent.request.centre")) + " " + sel("centre", areas, "") + "</label> <label>" + esc(tr("talent.request.help")) + " " +
         sel("help", help_opts(tr("talent.request.choose")), "") + "</label> <button>" + esc(tr("talent.request.submit")) +
         "</button></form>";

    // Withdrawals.
    const auto ws = app.st.talent().withdrawals_page(kTalentListPage, (wpg - 1) * kTalentListPage);
    b += "<h2>" + esc(tr("talent.withdrawals.title")) + "</h2><table id=\"talent-withdrawals\"><thead><tr>" + th("talent.col.receipt") +
         th("talent.col.state") + th("talent.col.received") + th("talent.col.settled") + "</tr></thead><tbody>";
    for (const TalentWithdrawal& w : ws) {
        const char* st = w.state == "done" ? "talent.withdrawals.done" : w.state == "mismatch" ? "talent.withdrawals.mismatch" : "talent.withdrawals.waiting";
        b += "<tr><td>" + esc(w.receipt) + "</td><td>" + esc(tr(st)) + "</td><td>" + esc(jst_datetime(w.noted_at)) + "</td><td>" +
             esc(jst_datetime(w.settled_at)) + "</td></tr>";
    }
    if (ws.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">" + esc(tr("talent.withdrawals.none")) + "</td></tr>";
    b += "</tbody></table>" + pager_pages(base_without("withdrawals_page"), wpg, kTalentListPage, withdrawal_total, "withdrawals_page");
    app.audit(c, "view_talent", "talent", std::to_string(found.size()) + " people");
    send_html(res, 200, page(c, tr("talent.title"), b, "/admin/talent"));
}

void talent_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    // Personal data: the role (editor) checked by the route, every download audit-logged.
    // With the page's search (help, field, area, time) when given, like /admin/groups.csv.
    const TalentQuery q = query_of(req);
    const auto sent = send_cached(app, req, res_out, export_key(app, "talent.csv" + query_string(q)), true, "no-store", [&](httplib::Response& res) {
    const Json cat = app.catalog();
    Csv csv;
    csv.row({tr("talent.col.receipt"), tr("talent.csv.name"), tr("talent.csv.kana"), tr("talent.csv.phone"), tr("talent.csv.email"),
             tr("talent.csv.contact_by"), tr("talent.col.help"), tr("talent.col.fields"), tr("talent.col.areas"), tr("talent.col.times"),
             tr("talent.col.note"), tr("talent.csv.centre"), tr("talent.col.received")});
    const auto all = search_talent(app.st.talent(), q);
    for (const TalentEntry& e : all)
        csv.row({e.receipt, str(e.personal, "name"), str(e.personal, "furigana"), str(e.personal, "phone"),
                 str(e.personal, "email"), term(str(e.payload, "contact_by")), labels(e.payload, "help"),
                 labels(e.payload, "fields"), area_labels(cat, e.payload), labels(e.payload, "times"),
                 str(e.payload, "note"), centre_name(cat, e.centre_id), jst_datetime(e.received_at)});
    res.set_header("X-Rows", std::to_string(all.size()));
    res.set_header("Content-Disposition", "attachment; filename=\"talent.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_talent", "talent.csv" + query_string(q), std::to_string(sent->rows) + " people");
}

void matches_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res_out) {
    send_cached(app, req, res_out, export_key(app, "talent_matches.csv"), true, "no-store", [&](httplib::Response& res) {
    const Json cat = app.catalog();
    Csv csv;
    csv.row({tr("talent.col.number"), tr("talent.col.receipt"), tr("talent.col.request"), tr("talent.col.outcome"), tr("talent.memo"),
             tr("talent.csv.proposed_by"), tr("talent.csv.proposed_at"), tr("talent.csv.updated_at")});
    for (const TalentMatch& m : app.st.talent().matches()) {
        const auto who = app.st.talent().registration(m.registration_id);
        csv.row({std::to_string(m.id), who ? who->receipt : "", activity_title(cat, m.request_id), m.outcome, m.note,
                 m.proposed_by, jst_datetime(m.proposed_at), jst_datetime(m.updated_at)});
    }
    res.set_header("Content-Disposition", "attachment; filename=\"talent_matches.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
    });
    app.audit(c, "export_talent_matches", "talent_matches.csv", "");
}

std::string form_value(const Ctx& c, const char* key) {
    auto it = c.form.find(key);
    return it == c.form.end() ? "" : it->second;
}

}  // namespace

void install_talent(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/talent", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { talent_page(app, c, q, r); });
    app.get(svr, "/admin/talent.csv", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { talent_csv(app, c, q, r); });
    app.get(svr, "/admin/talent/matches.csv", Role::Editor,
            [&app](Ctx& c, const auto& q, auto& r) { matches_csv(app, c, q, r); });
    app.post(svr, "/admin/talent/match", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string reg = form_value(c, "registration"), rq = form_value(c, "request");
        if (rq.empty() || app.st.activities_by_id({rq}).empty()) return deny(c, res, tr("talent.err.choose_request"));
        const auto id = app.st.talent().propose_match(reg, rq, form_value(c, "note"), c.s.user, rfc3339_now());
        if (id == 0) return deny(c, res, tr("talent.err.no_registration"));
        app.audit(c, "propose_talent_match", reg, "match " + std::to_string(id) + " → " + rq);
        redirect(res, "/admin/talent?msg=" + url_encode(trf("talent.msg.proposed", {{"n", std::to_string(id)}})));
    });
    app.post(svr, R"(/admin/talent/match/(\d+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::int64_t id = std::stoll(req.matches[1].str());
        const std::string outcome = form_value(c, "outcome");
        if (!app.st.talent().set_match_outcome(id, outcome, form_value(c, "note"), c.s.user, rfc3339_now()))
            return deny(c, res, tr("talent.err.outcome"));
        app.audit(c, "talent_match_outcome", std::to_string(id), outcome);
        redirect(res, "/admin/talent?msg=" + url_encode(tr("talent.msg.outcome")));
    });
    app.post(svr, "/admin/talent/request", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string group = form_value(c, "group"), title = form_value(c, "title"), help = form_value(c, "help");
        if (group.empty() || title.empty() || !talent::is_help_kind(help))
            return deny(c, res, tr("talent.err.request_fields"));
        Activity a;
        a.id = "talent-req-" + new_uuid_v7().substr(0, 8) + new_uuid_v7().substr(24, 12);
        a.kind = ActivityKind::Volunteer;
        a.title = title;
        a.summary = form_value(c, "summary");
        a.description = a.summary;
        a.form = Form::Shien;
        a.method = Method::KatsudoShien;
        a.organizer_names = {group};
        const std::string centre = form_value(c, "centre");
        a.centre_id = centre == talent::kAnyArea ? "" : centre;
        a.department = kTalentRequestDepartment;
        a.extra = Json{{"talent_request", {{"help", Json::array({help})}, {"group", group}}}};
        CatalogDelta d;
        d.activities.push_back(a);
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "publish_talent_request", a.id, "catalog version " + std::to_string(v));
        redirect(res, "/admin/talent?msg=" + url_encode(trf("talent.msg.request_published", {{"title", title}})));
    });
}

}  // namespace kyodo::server::web
