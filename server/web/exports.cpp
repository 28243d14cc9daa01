// Exports: every list as CSV for Japanese Excel and as JSON, and the open-data files (the
// public catalog and anonymous counts, no personal data, no login).
#include <chrono>
#include <functional>
#include <memory>
#include <set>

#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/reports.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

struct Table {
    std::vector<std::string> keys;     // JSON keys
    std::vector<std::string> labels;   // CSV header (string tables, reader's language)
    std::vector<std::vector<std::string>> rows;
    bool personal = false;             // contains personal data → audit-logged
};

// A table whose CSV header is the string tables' "exports.<name>.<key>" for each JSON key.
Table make_table(const char* name, std::vector<std::string> keys, bool personal = false) {
    Table t;
    for (const auto& k : keys) t.labels.push_back(tr(std::string("exports.") + name + "." + k));
    t.keys = std::move(keys);
    t.personal = personal;
    return t;
}

void send_table(httplib::Response& res, const Table& t, const std::string& name, bool csv) {
    res.set_header("Cache-Control", "no-store");
    if (csv) {
        Csv c;
        c.row(t.labels);
        for (const auto& r : t.rows) c.row(r);
        res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
        res.set_content(c.str(), "text/csv; charset=utf-8");
    } else {
        Json arr = Json::array();
        for (const auto& r : t.rows) {
            Json o = Json::object();
            for (std::size_t i = 0; i < t.keys.size() && i < r.size(); ++i) o[t.keys[i]] = r[i];
            arr.push_back(std::move(o));
        }
        res.set_content(arr.dump(2, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
    }
}

std::string list_of(const Json& arr) {
    std::string o;
    if (arr.is_array())
        for (const Json& x : arr)
            if (x.is_string()) o += (o.empty() ? "" : tr("exports.list_sep")) + x.get<std::string>();
    return o;
}

Table activities(const Json& cat) {
    Table t = make_table("activities", {"id", "kind", "title", "form", "method", "fields", "organizers", "department", "centre", "place", "starts_at", "ends_at",
             "capacity", "taken", "version"});
    for (const Json& a : cat["activities"]) {
        const auto k = activity_kind_from_code(str(a, "kind"));
        const auto f = form_from_code(str(a, "form"));
        const auto m = method_from_code(str(a, "method"));
        t.rows.push_back({str(a, "id"), k ? tr(std::string("kind.") + str(a, "kind")) : "", str(a, "title"), f ? tr(std::string("form.") + str(a, "form")) : "", m ? tr(std::string("method.") + str(a, "method")) : "",
                          list_of(a.value("fields", Json::array())), list_of(a.value("organizer_names", Json::array())),
                          str(a, "department"), centre_name(cat, str(a, "centre_id")), str(a, "place"), str(a, "starts_at"),
                          str(a, "ends_at"), std::to_string(a.value("capacity", 0)), std::to_string(a.value("taken", 0)),
                          std::to_string(a.value("version", 0))});
    }
    return t;
}

Table signups(App& app, const Json& cat, const std::string& activity) {
    Table t = make_table("signups", {"receipt", "activity_id", "activity", "status", "name", "furigana", "phone", "email", "party_size", "note", "attended",
             "centre", "created_at", "received_at"}, true);
    for (const auto& r : app.st.admin().records(RecordQuery{"sign_up", activity, "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, r.activity_id, activity_title(cat, r.activity_id), signup_status_ja(r.rec.signup_status),
                          str(p, "name"), str(p, "furigana"), str(p, "phone"), str(p, "email"), std::to_string(r.party_size),
                          str(pl, "note"), r.attended == 1 ? tr("exports.attended.yes") : r.attended == 0 ? tr("exports.attended.no") : "", centre_name(cat, r.rec.centre_id),
                          jst_datetime(r.rec.created_at), jst_datetime(r.rec.received_at)});
    }
    return t;
}

Table opinions(App& app, const Json& cat) {
    Table t = make_table("opinions", {"receipt", "created_at", "centre", "topic", "text", "activity", "wants_reply", "name", "phone", "email", "state", "department", "note"}, true);
    for (const auto& r : app.st.admin().records(RecordQuery{"opinion", "", "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, jst_datetime(r.rec.created_at), centre_name(cat, r.rec.centre_id), str(pl, "topic"), str(pl, "text"),
                          str(pl, "activity_id").empty() ? "" : activity_title(cat, str(pl, "activity_id")),
                          pl.value("wants_reply", false) ? tr("exports.wants_reply.yes") : "", str(p, "name"), str(p, "phone"), str(p, "email"),
                          state_ja(r.state), r.department, r.note});
    }
    return t;
}

Table comments(App& app, const Json& cat) {
    Table t = make_table("comments", {"receipt", "created_at", "draft", "section", "text", "name", "answer"}, true);
    for (const auto& r : app.st.admin().records(RecordQuery{"public_comment", "", "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, jst_datetime(r.rec.created_at), activity_title(cat, str(pl, "draft_id")), str(pl, "section_id"),
                          str(pl, "text"), str(p, "name"), r.note});
    }
    return t;
}

Table proposals(App& app, const Json& cat) {
    Table t = make_table("proposals", {"receipt", "created_at", "centre", "title", "summary", "fields", "group_name", "partner_department", "name", "phone", "email",
             "status", "reason"}, true);
    for (const auto& r : app.st.admin().records(RecordQuery{"proposal", "", "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, jst_datetime(r.rec.created_at), centre_name(cat, r.rec.centre_id), str(pl, "title"),
                          str(pl, "summary"), list_of(pl.value("fields", Json::array())), str(pl, "group_name"),
                          str(pl, "partner_department"), str(p, "name"), str(p, "phone"), str(p, "email"),
                          state_ja(r.state.empty() ? "received" : r.state), r.note});
    }
    return t;
}

Table survey_answers(App& app, const Json& cat) {
    Table t = make_table("survey_answers", {"response", "survey", "created_at", "centre", "question_id", "question", "answer"});
    for (const auto& r : app.st.admin().records(RecordQuery{"survey_response", "", "", "", "", 1000000})) {
        const Json pl = payload_of(r);
        const Json* s = find_by_id(cat["surveys"], str(pl, "survey_id"));
        if (!pl.contains("answers") || !pl["answers"].is_array()) continue;
        for (const Json& a : pl["answers"]) {
            if (!a.is_object()) continue;
            std::string qtext, ans;
            const Json* q = s ? find_by_id((*s)["questions"], str(a, "question_id")) : nullptr;
            if (q) qtext = str(*q, "text");
            auto choice = [&](const Json& i) {
                if (q && i.is_number_integer() && (*q)["choices"].is_array() && i.get<std::int64_t>() >= 0 &&
                    static_cast<std::size_t>(i.get<std::int64_t>()) < (*q)["choices"].size())
                    return (*q)["choices"][static_cast<std::size_t>(i.get<std::int64_t>())].get<std::string>();
                return i.dump();
            };
            if (a.contains("choice")) ans = choice(a["choice"]);
            else if (a.contains("choices") && a["choices"].is_array())
                for (const Json& i : a["choices"]) ans += (ans.empty() ? "" : tr("exports.list_sep")) + choice(i);
            else if (a.contains("scale")) ans = a["scale"].dump();
            else ans = str(a, "text");
            t.rows.push_back({r.rec.id, s ? str(*s, "title") : str(pl, "survey_id"), jst_datetime(r.rec.created_at),
                              centre_name(cat, r.rec.centre_id), str(a, "question_id"), qtext, ans});
        }
    }
    return t;
}

Table devices(App& app, const Json& cat) {
    Table t = make_table("devices", {"kiosk_id", "centre", "last_seen_at", "app_version", "backlog", "revoked", "enrolled_at"});
    for (const Device& d : app.st.devices())
        t.rows.push_back({d.kiosk_id, centre_name(cat, d.centre_id), jst_datetime(d.last_seen_at), d.app_version, std::to_string(d.backlog),
                          d.revoked ? tr("exports.devices.revoked_yes") : "", jst_datetime(d.enrolled_at)});
    return t;
}

Table audit(App& app) {
    Table t = make_table("audit", {"at", "user", "action", "target", "detail"});
    for (const AuditEntry& e : app.st.admin().audit_log(1000000)) t.rows.push_back({jst_datetime(e.at), e.user, e.action, e.target, e.detail});
    return t;
}

// Seed 000's table from the project register (projects.h): one row per column, the form totals
// and the total. fy 0 = the latest year with projects.
Table yearly(App& app, int fy) {
    if (!fy) {
        const auto years = app.st.civic().project_years();
        fy = years.empty() ? 0 : years.back();
    }
    const ProjectTable y = project_table(fy ? year_projects(app.st, fy) : std::vector<Project>{});
    Table t = make_table("yearly", {"fiscal_year", "form", "methods", "count"});
    const std::string year = fy ? era_year_ja(fy) : "";
    for (const auto& g : y.groups) {
        const auto f = form_from_code(g.form);
        for (const auto& col : g.columns) t.rows.push_back({year, f ? tr(std::string("form.") + g.form) : "", col.label(), std::to_string(col.count)});
        t.rows.push_back({year, f ? tr(std::string("form.") + g.form) : "", tr("exports.yearly.subtotal"), std::to_string(g.count)});
    }
    t.rows.push_back({year, tr("exports.yearly.total"), "", std::to_string(y.total)});
    return t;
}

// Anonymous counts: records by kind, centre and month; sign-ups per activity. No personal data.
Table counts(App& app, const Json& cat) {
    Table t = make_table("counts", {"kind", "centre_id", "centre", "month", "count"});
    for (RecordKind k : all_record_kinds()) {
        const auto m = by_centre_month(app.st.admin().centre_hour_counts(to_code(k)));   // counted in SQL
        for (const auto& [ce, mm] : m)
            for (const auto& [mo, n] : mm) t.rows.push_back({to_code(k), ce, centre_name(cat, ce), mo, std::to_string(n)});
    }
    return t;
}

Table indicator_table(App& app) {
    Table t = make_table("indicators", {"code", "label", "baseline", "mid_target", "target", "current", "answered"});
    for (const auto& r : indicators(app.opts.indicator_targets, app.st.admin().survey_tally("", false).answers))   // counted in SQL
        t.rows.push_back({r.code, r.label, fmt1(r.baseline), fmt1(r.mid_target), fmt1(r.target), r.answered ? fmt1(r.share) : "",
                          std::to_string(r.answered)});
    return t;
}

Table monthly(App& app, const Json& cat) {
    Table t = counts(app, cat);
    return t;
}

// The lists: name and the string table's description.
const char* const kLists[][2] = {
    {"activities", "exports.list.activities"}, {"signups", "exports.list.signups"},
    {"opinions", "exports.list.opinions"},     {"comments", "exports.list.comments"},
    {"proposals", "exports.list.proposals"},   {"survey_answers", "exports.list.survey_answers"},
    {"yearly", "exports.list.yearly"},         {"monthly", "exports.list.monthly"},
    {"indicators", "exports.list.indicators"}, {"devices", "exports.list.devices"},
};

}  // namespace

std::string export_key(App& app, const std::string& what) {
    // Read BEFORE building: a change committed meanwhile gives a newer key, so content built
    // from older data is never kept under the newer key.
    return what + "|" + html_lang() + "|" + std::to_string(app.st.records_mark()) + "|" + std::to_string(app.st.catalog_version()) +
           "|" + std::to_string(app.exports.generation()) + "|" + jst_today();
}

std::shared_ptr<const ExportCache::Entry> send_cached(App& app, const httplib::Request& req, httplib::Response& res,
                                                      const std::string& key, bool keep, const std::string& cache_control,
                                                      const std::function<void(httplib::Response&)>& build) {
    std::shared_ptr<const ExportCache::Entry> e = keep ? app.exports.get(key) : nullptr;
    res.set_header("X-Cache", e ? "hit" : "miss");
    if (!e) {
        httplib::Response built;
        build(built);
        auto n = std::make_shared<ExportCache::Entry>();
        n->body = std::move(built.body);
        n->content_type = built.get_header_value("Content-Type");
        n->disposition = built.get_header_value("Content-Disposition");
        const std::string rows = built.get_header_value("X-Rows");
        n->rows = rows.empty() ? 0 : static_cast<std::size_t>(std::stoull(rows));
        n->etag = "\"ex-" + sha256_hex(n->body).substr(0, 24) + "\"";
        n->built = std::chrono::steady_clock::now();
        if (keep) app.exports.put(key, n);
        e = std::move(n);
    }
    res.set_header("Cache-Control", cache_control);
    res.set_header("ETag", e->etag);
    const std::string inm = req.get_header_value("If-None-Match");
    if (!inm.empty() && (inm == "*" || inm.find(e->etag) != std::string::npos)) {
        res.status = 304;
        return e;
    }
    if (!e->disposition.empty()) res.set_header("Content-Disposition", e->disposition);
    res.status = 200;
    res.set_content(e->body, e->content_type);
    return e;
}

void install_exports(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/exports", Role::Viewer, [](Ctx& c, const httplib::Request&, httplib::Response& res) {
        std::string b = "<p>" + esc(tr("exports.intro")) + "</p><table><thead><tr><th>" + esc(tr("exports.col.list")) +
                        "</th><th>CSV</th><th>JSON</th></tr></thead><tbody>";
        for (const auto& [l, key] : kLists)
            b += "<tr><td>" + esc(tr(key)) + "</td><td><a href=\"/admin/export/" + l + ".csv\">" + l +
                 ".csv</a></td><td><a href=\"/admin/export/" + l + ".json\">" + l + ".json</a></td></tr>";
        if (c.role >= Role::Admin)
            b += "<tr><td>" + esc(tr("exports.list.audit")) +
                 "</td><td><a href=\"/admin/export/audit.csv\">audit.csv</a></td><td><a href=\"/admin/export/audit.json\">audit.json</a></td></tr>";
        b += "</tbody></table><h2>" + esc(tr("exports.open.title")) + "</h2><ul>"
             "<li><a href=\"/open/catalog.json\">/open/catalog.json</a> " + esc(tr("exports.open.catalog")) + "</li>"
             "<li><a href=\"/open/counts.csv\">/open/counts.csv</a>" + esc(tr("exports.open.sep")) +
             "<a href=\"/open/counts.json\">counts.json</a> " + esc(tr("exports.open.counts")) + "</li>"
             "<li><a href=\"/open/yearly.csv\">/open/yearly.csv</a> " + esc(tr("exports.open.yearly")) + "</li></ul>";
        send_html(res, 200, page(c, tr("exports.title"), b, "/admin/exports"));
    });

    app.get(svr, R"(/admin/export/([a-z_]+)\.(csv|json))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string name = req.matches[1];
        const bool csv = req.matches[2] == "csv";
        // The role is checked before the cache is looked at: the audit log needs an admin.
        if (name == "audit" && c.role < Role::Admin) return deny(c, res, tr("exports.err.audit_admin"));
        static const std::set<std::string> known = {"activities", "signups", "opinions", "comments", "proposals", "survey_answers",
                                                    "devices", "yearly", "monthly", "indicators", "audit"};
        if (!known.count(name)) return not_found(c, res, trf("exports.err.no_list", {{"name", name}}));
        const std::string act = name == "signups" && req.has_param("activity") ? req.get_param_value("activity") : "";
        const int fy = name == "yearly" && req.has_param("fy") ? std::atoi(req.get_param_value("fy").c_str()) : 0;
        const std::string file = act.empty() ? name : "signups-" + act;
        const bool personal = name == "signups" || name == "opinions" || name == "comments" || name == "proposals";
        // Kept built (export_cache.h) unless the content moves without a mark we can read:
        // devices (last seen at every kiosk call) and the audit log (every request adds to it).
        const bool cacheable = name != "devices" && name != "audit";
        // What the content depends on, read BEFORE building: a change committed meanwhile
        // gives a newer key, so a list built from older data is never kept under it.
        const std::string key = export_key(app, "admin|" + name + "|" + (csv ? "csv" : "json") + "|" + act + "|" + std::to_string(fy));
        // Personal data is never kept by the browser (shared office PCs): no-store; the ETag
        // still answers a client that sends If-None-Match itself. The rest: kept, asked again.
        const auto e = send_cached(app, req, res, key, cacheable, personal || name == "audit" ? "no-store" : "private, no-cache",
                                   [&](httplib::Response& out) {
            const Json cat = app.catalog();
            Table t;
            if (name == "activities") t = activities(cat);
            else if (name == "signups") t = signups(app, cat, act);
            else if (name == "opinions") t = opinions(app, cat);
            else if (name == "comments") t = comments(app, cat);
            else if (name == "proposals") t = proposals(app, cat);
            else if (name == "survey_answers") t = survey_answers(app, cat);
            else if (name == "devices") t = devices(app, cat);
            else if (name == "yearly") t = yearly(app, fy);
            else if (name == "monthly") t = monthly(app, cat);
            else if (name == "indicators") t = indicator_table(app);
            else t = audit(app);
            send_table(out, t, file, csv);
            out.set_header("X-Rows", std::to_string(t.rows.size()));
        });
        // Every download of personal data or of the audit log is logged, served from the cache
        // or as 304 too.
        if (personal || name == "audit")
            app.audit(c, "export", file + (csv ? ".csv" : ".json"), std::to_string(e->rows) + " rows");
    });

    // Open data: no login, no personal data. Built once per change (a record stored, the
    // catalog changed, a new day) and served from memory, with an ETag for 304s.
    auto open_data = [&app](const httplib::Request& req, httplib::Response& res,
                            const std::function<void(httplib::Response&)>& build) {
        // The language too: the CSV header and some cells follow the reader's language.
        const std::string key = std::to_string(app.st.records_mark()) + "-" + std::to_string(app.st.catalog_version()) + "-" + jst_today() +
                                "-" + html_lang();
        const std::string etag = "\"od-" + sha256_hex(req.path + "|" + key).substr(0, 24) + "\"";
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Cache-Control", "public, no-cache");   // may keep it, must ask (ETag) before using it
        res.set_header("ETag", etag);
        const std::string inm = req.get_header_value("If-None-Match");
        if (!inm.empty() && (inm == "*" || inm.find(etag) != std::string::npos)) {
            res.status = 304;
            return;
        }
        std::lock_guard lock(app.open_mu);
        auto& e = app.open_cache[req.path];
        if (e[0] != key) {
            httplib::Response built;
            build(built);
            e = {key, std::move(built.body), built.get_header_value("Content-Type")};
        }
        res.status = 200;
        res.set_content(e[1], e[2].c_str());
    };
    app.get(svr, "/open/catalog.json", Role::Public, [&app, open_data](Ctx&, const httplib::Request& req, httplib::Response& res) {
        open_data(req, res, [&app](httplib::Response& out) {
            Json cat = app.catalog();
            cat.erase("deleted");
            // Slots and things given away are not listings: open data lists activities only
            // (docs/lending.md); a booking's state is nobody's business but the centre's.
            Json acts = Json::array();
            for (Json& a : cat["activities"])
                if (a.value("kind", "") != "slot" && a.value("kind", "") != "item") acts.push_back(std::move(a));
            cat["activities"] = std::move(acts);
            cat["license"] = "CC BY 4.0";
            out.set_content(cat.dump(2, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
        });
    });
    app.get(svr, R"(/open/counts\.(csv|json))", Role::Public, [&app, open_data](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const bool csv = req.matches[1] == "csv";
        open_data(req, res, [&app, csv](httplib::Response& out) { send_table(out, counts(app, app.catalog()), "counts", csv); });
        if (csv && res.status == 200) res.set_header("Content-Disposition", "attachment; filename=\"counts.csv\"");
    });
    // Counted from the project register (projects.h), which records_mark does not follow: kept
    // in the export cache under the dashboard's edit generation (register edits are dashboard
    // POSTs) and the day, rebuilt after its max age anyway; ETag of the content.
    app.get(svr, R"(/open/yearly\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const bool csv = req.matches[1] == "csv";
        const int fy = req.has_param("fy") ? std::atoi(req.get_param_value("fy").c_str()) : 0;
        res.set_header("Access-Control-Allow-Origin", "*");
        send_cached(app, req, res, export_key(app, std::string("open-yearly|") + (csv ? "csv" : "json") + "|" + std::to_string(fy)), true,
                    "public, no-cache", [&](httplib::Response& out) { send_table(out, yearly(app, fy), "yearly", csv); });
    });
}

}  // namespace kyodo::server::web
