// Exports: every list as CSV for Japanese Excel and as JSON, and the open-data files (the
// public catalog and anonymous counts, no personal data, no login).
#include <functional>
#include <set>

#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/reports.h"

namespace kyodo::server::web {

namespace {

struct Table {
    std::vector<std::string> keys;     // JSON keys
    std::vector<std::string> labels;   // CSV header (Japanese)
    std::vector<std::vector<std::string>> rows;
    bool personal = false;             // contains personal data → audit-logged
};

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
            if (x.is_string()) o += (o.empty() ? "" : "、") + x.get<std::string>();
    return o;
}

Table activities(const Json& cat) {
    Table t{{"id", "kind", "title", "form", "method", "fields", "organizers", "department", "centre", "place", "starts_at", "ends_at",
             "capacity", "taken", "version"},
            {"ID", "種別", "名称", "事業形態", "事業区分", "分野", "主催", "担当課", "センター", "会場", "開始", "終了", "定員", "確定", "版"},
            {}};
    for (const Json& a : cat["activities"]) {
        const auto k = activity_kind_from_code(str(a, "kind"));
        const auto f = form_from_code(str(a, "form"));
        const auto m = method_from_code(str(a, "method"));
        t.rows.push_back({str(a, "id"), k ? label_ja(*k) : "", str(a, "title"), f ? label_ja(*f) : "", m ? label_ja(*m) : "",
                          list_of(a.value("fields", Json::array())), list_of(a.value("organizer_names", Json::array())),
                          str(a, "department"), centre_name(cat, str(a, "centre_id")), str(a, "place"), str(a, "starts_at"),
                          str(a, "ends_at"), std::to_string(a.value("capacity", 0)), std::to_string(a.value("taken", 0)),
                          std::to_string(a.value("version", 0))});
    }
    return t;
}

Table signups(App& app, const Json& cat, const std::string& activity) {
    Table t{{"receipt", "activity_id", "activity", "status", "name", "furigana", "phone", "email", "party_size", "note", "attended",
             "centre", "created_at", "received_at"},
            {"受付番号", "事業ID", "事業名", "状態", "氏名", "ふりがな", "電話", "メール", "人数", "備考", "出欠", "センター", "受付日時", "サーバー受信"},
            {},
            true};
    for (const auto& r : app.st.admin().records(RecordQuery{"sign_up", activity, "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, r.activity_id, activity_title(cat, r.activity_id), signup_status_ja(r.rec.signup_status),
                          str(p, "name"), str(p, "furigana"), str(p, "phone"), str(p, "email"), std::to_string(r.party_size),
                          str(pl, "note"), r.attended == 1 ? "出席" : r.attended == 0 ? "欠席" : "", centre_name(cat, r.rec.centre_id),
                          jst_datetime(r.rec.created_at), jst_datetime(r.rec.received_at)});
    }
    return t;
}

Table opinions(App& app, const Json& cat) {
    Table t{{"receipt", "created_at", "centre", "topic", "text", "activity", "wants_reply", "name", "phone", "email", "state", "department", "note"},
            {"受付番号", "受付日時", "センター", "テーマ", "本文", "関連事業", "返信希望", "氏名", "電話", "メール", "状態", "担当課", "対応メモ"},
            {},
            true};
    for (const auto& r : app.st.admin().records(RecordQuery{"opinion", "", "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, jst_datetime(r.rec.created_at), centre_name(cat, r.rec.centre_id), str(pl, "topic"), str(pl, "text"),
                          str(pl, "activity_id").empty() ? "" : activity_title(cat, str(pl, "activity_id")),
                          pl.value("wants_reply", false) ? "希望" : "", str(p, "name"), str(p, "phone"), str(p, "email"),
                          state_ja(r.state), r.department, r.note});
    }
    return t;
}

Table comments(App& app, const Json& cat) {
    Table t{{"receipt", "created_at", "draft", "section", "text", "name", "answer"},
            {"受付番号", "受付日時", "案", "章", "ご意見", "氏名", "市の考え方"},
            {},
            true};
    for (const auto& r : app.st.admin().records(RecordQuery{"public_comment", "", "", "", "", 1000000})) {
        const Json p = personal_of(r), pl = payload_of(r);
        t.rows.push_back({r.rec.receipt, jst_datetime(r.rec.created_at), activity_title(cat, str(pl, "draft_id")), str(pl, "section_id"),
                          str(pl, "text"), str(p, "name"), r.note});
    }
    return t;
}

Table proposals(App& app, const Json& cat) {
    Table t{{"receipt", "created_at", "centre", "title", "summary", "fields", "group_name", "partner_department", "name", "phone", "email",
             "status", "reason"},
            {"受付番号", "受付日時", "センター", "提案名", "概要", "分野", "団体名", "協働希望課", "氏名", "電話", "メール", "状態", "理由"},
            {},
            true};
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
    Table t{{"response", "survey", "created_at", "centre", "question_id", "question", "answer"},
            {"回答ID", "アンケート", "回答日時", "センター", "設問ID", "設問", "回答"},
            {}};
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
                for (const Json& i : a["choices"]) ans += (ans.empty() ? "" : "、") + choice(i);
            else if (a.contains("scale")) ans = a["scale"].dump();
            else ans = str(a, "text");
            t.rows.push_back({r.rec.id, s ? str(*s, "title") : str(pl, "survey_id"), jst_datetime(r.rec.created_at),
                              centre_name(cat, r.rec.centre_id), str(a, "question_id"), qtext, ans});
        }
    }
    return t;
}

Table devices(App& app, const Json& cat) {
    Table t{{"kiosk_id", "centre", "last_seen_at", "app_version", "backlog", "revoked", "enrolled_at"},
            {"キオスク", "センター", "最終接続", "アプリ版", "未送信", "停止", "登録日時"},
            {}};
    for (const Device& d : app.st.devices())
        t.rows.push_back({d.kiosk_id, centre_name(cat, d.centre_id), jst_datetime(d.last_seen_at), d.app_version, std::to_string(d.backlog),
                          d.revoked ? "停止" : "", jst_datetime(d.enrolled_at)});
    return t;
}

Table audit(App& app) {
    Table t{{"at", "user", "action", "target", "detail"}, {"日時", "職員", "操作", "対象", "内容"}, {}};
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
    Table t{{"fiscal_year", "form", "methods", "count"}, {"年度", "事業形態", "事業区分", "件数"}, {}};
    const std::string year = fy ? era_year_ja(fy) : "";
    for (const auto& g : y.groups) {
        const auto f = form_from_code(g.form);
        for (const auto& col : g.columns) t.rows.push_back({year, f ? label_ja(*f) : "", col.label(), std::to_string(col.count)});
        t.rows.push_back({year, f ? label_ja(*f) : "", "計", std::to_string(g.count)});
    }
    t.rows.push_back({year, "合計", "", std::to_string(y.total)});
    return t;
}

// Anonymous counts: records by kind, centre and month; sign-ups per activity. No personal data.
Table counts(App& app, const Json& cat) {
    Table t{{"kind", "centre_id", "centre", "month", "count"}, {"種類", "センターID", "センター", "月", "件数"}, {}};
    for (RecordKind k : all_record_kinds()) {
        const auto m = by_centre_month(app.st.admin().records(RecordQuery{to_code(k), "", "", "", "", 1000000}));
        for (const auto& [ce, mm] : m)
            for (const auto& [mo, n] : mm) t.rows.push_back({to_code(k), ce, centre_name(cat, ce), mo, std::to_string(n)});
    }
    return t;
}

Table indicator_table(App& app) {
    std::vector<Json> responses;
    for (const auto& r : app.st.admin().records(RecordQuery{"survey_response", "", "", "", "", 1000000})) responses.push_back(payload_of(r));
    Table t{{"code", "label", "baseline", "mid_target", "target", "current", "answered"},
            {"指標", "名称", "現状値", "中間目標", "目標", "今回", "回答数"},
            {}};
    for (const auto& r : indicators(app.opts.indicator_targets, responses))
        t.rows.push_back({r.code, r.label, fmt1(r.baseline), fmt1(r.mid_target), fmt1(r.target), r.answered ? fmt1(r.share) : "",
                          std::to_string(r.answered)});
    return t;
}

Table monthly(App& app, const Json& cat) {
    Table t = counts(app, cat);
    return t;
}

const char* const kLists[][2] = {
    {"activities", "事業・募集"},      {"signups", "申込者（個人情報）"},   {"opinions", "意見（連絡先を含む）"},
    {"comments", "パブリックコメント"}, {"proposals", "市民提案（連絡先を含む）"}, {"survey_answers", "アンケート回答"},
    {"yearly", "協働事業の実績表"},     {"monthly", "センター別・月別件数"},  {"indicators", "協働の指標"},
    {"devices", "キオスク"},
};

}  // namespace

void install_exports(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/exports", Role::Viewer, [](Ctx& c, const httplib::Request&, httplib::Response& res) {
        std::string b = "<p>CSVは Excel でそのまま開けます（UTF-8・BOM付き）。個人情報を含む出力は監査ログに記録されます。</p>"
                        "<table><thead><tr><th>一覧</th><th>CSV</th><th>JSON</th></tr></thead><tbody>";
        for (const auto& l : kLists)
            b += std::string("<tr><td>") + l[1] + "</td><td><a href=\"/admin/export/" + l[0] + ".csv\">" + l[0] +
                 ".csv</a></td><td><a href=\"/admin/export/" + l[0] + ".json\">" + l[0] + ".json</a></td></tr>";
        if (c.role >= Role::Admin) b += "<tr><td>監査ログ</td><td><a href=\"/admin/export/audit.csv\">audit.csv</a></td><td><a href=\"/admin/export/audit.json\">audit.json</a></td></tr>";
        b += "</tbody></table><h2>オープンデータ（ログイン不要・個人情報なし）</h2><ul>"
             "<li><a href=\"/open/catalog.json\">/open/catalog.json</a> 公開中の事業・団体・センター・アンケート</li>"
             "<li><a href=\"/open/counts.csv\">/open/counts.csv</a>・<a href=\"/open/counts.json\">counts.json</a> 種類・センター・月別の件数</li>"
             "<li><a href=\"/open/yearly.csv\">/open/yearly.csv</a> 協働事業の実績（事業形態・事業区分別）</li></ul>";
        send_html(res, 200, page(c, "データ出力", b, "/admin/exports"));
    });

    app.get(svr, R"(/admin/export/([a-z_]+)\.(csv|json))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string name = req.matches[1];
        const bool csv = req.matches[2] == "csv";
        const Json cat = app.catalog();
        Table t;
        std::string file = name;
        if (name == "activities") t = activities(cat);
        else if (name == "signups") {
            const std::string act = req.has_param("activity") ? req.get_param_value("activity") : "";
            t = signups(app, cat, act);
            if (!act.empty()) file = "signups-" + act;
        } else if (name == "opinions") t = opinions(app, cat);
        else if (name == "comments") t = comments(app, cat);
        else if (name == "proposals") t = proposals(app, cat);
        else if (name == "survey_answers") t = survey_answers(app, cat);
        else if (name == "devices") t = devices(app, cat);
        else if (name == "yearly") t = yearly(app, req.has_param("fy") ? std::atoi(req.get_param_value("fy").c_str()) : 0);
        else if (name == "monthly") t = monthly(app, cat);
        else if (name == "indicators") t = indicator_table(app);
        else if (name == "audit") {
            if (c.role < Role::Admin) return deny(c, res, "監査ログの出力には管理者の権限が必要です。");
            t = audit(app);
        } else {
            return not_found(c, res, "出力 " + name + " はありません。");
        }
        if (t.personal || name == "audit")
            app.audit(c, "export", file + (csv ? ".csv" : ".json"), std::to_string(t.rows.size()) + " rows");
        send_table(res, t, file, csv);
        if (!t.personal && name != "audit") {
            // Lists without personal data: an ETag of the content, so a browser re-downloading
            // an unchanged list gets 304 (the list is still built: it needs a session anyway).
            const std::string etag = "\"ex-" + sha256_hex(res.body).substr(0, 24) + "\"";
            res.set_header("ETag", etag);
            res.headers.erase("Cache-Control");
            res.set_header("Cache-Control", "private, no-cache");
            const std::string inm = req.get_header_value("If-None-Match");
            if (!inm.empty() && inm.find(etag) != std::string::npos) {
                res.status = 304;
                res.body.clear();
            }
        }
    });

    // Open data: no login, no personal data. Built once per change (a record stored, the
    // catalog changed, a new day) and served from memory, with an ETag for 304s.
    auto open_data = [&app](const httplib::Request& req, httplib::Response& res,
                            const std::function<void(httplib::Response&)>& build) {
        const std::string key = std::to_string(app.st.records_mark()) + "-" + std::to_string(app.st.catalog_version()) + "-" + jst_today();
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
            cat["license"] = "CC BY 4.0";
            out.set_content(cat.dump(2, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
        });
    });
    app.get(svr, R"(/open/counts\.(csv|json))", Role::Public, [&app, open_data](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const bool csv = req.matches[1] == "csv";
        open_data(req, res, [&app, csv](httplib::Response& out) { send_table(out, counts(app, app.catalog()), "counts", csv); });
        if (csv && res.status == 200) res.set_header("Content-Disposition", "attachment; filename=\"counts.csv\"");
    });
    // Counted from the project register (projects.h), which the open-data cache key (records,
    // catalog, day) does not follow: built on every request (one query of one year).
    app.get(svr, R"(/open/yearly\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const bool csv = req.matches[1] == "csv";
        res.set_header("Access-Control-Allow-Origin", "*");
        send_table(res, yearly(app, req.has_param("fy") ? std::atoi(req.get_param_value("fy").c_str()) : 0), "yearly", csv);
    });
}

}  // namespace kyodo::server::web
