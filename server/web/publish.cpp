// Publishing: create, edit and withdraw activities (events, volunteer openings, drafts for
// public comment, calls for proposals …), centres, organizations and surveys. Every change is
// a Storage::import_catalog delta, so it gets the next catalog version and reaches kiosks at
// their next pull.
#include <algorithm>

#include "core/codec.h"
#include "server/admin.h"
#include "server/web/app.h"

namespace kyodo::server::web {

namespace {

const char* const kKinds[] = {"project", "event", "volunteer", "grant", "public_comment", "call_for_proposals"};

std::string opt(const std::string& v, const std::string& label, const std::string& cur) {
    return "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(label) + "</option>";
}

std::string join(const Json& arr, const char* sep) {
    std::string o;
    if (arr.is_array())
        for (const Json& x : arr)
            if (x.is_string()) o += (o.empty() ? "" : sep) + x.get<std::string>();
    return o;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        const auto b = cur.find_first_not_of(" \t\r\n"), e = cur.find_last_not_of(" \t\r\n");
        if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
        cur.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ',' || s[i] == '\n') flush();
        else if (s.compare(i, 3, "、") == 0) { flush(); i += 2; }
        else cur += s[i];
    }
    flush();
    return out;
}

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const std::string fkind = req.has_param("kind") ? req.get_param_value("kind") : "";
    const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>種別<select name=\"kind\">" + opt("", "すべて", fkind);
    for (const char* k : kKinds) b += opt(k, label_ja(*activity_kind_from_code(k)), fkind);
    b += "</select></label><label>名称<input name=\"q\" value=\"" + esc(q) + "\"></label><button>絞り込む</button>";
    if (c.role >= Role::Editor) b += "<a class=\"button primary\" href=\"/admin/activities/new\">新しく登録する</a>";
    b += "<a class=\"button\" href=\"/admin/catalog\">センター・団体・アンケート</a></form>";
    b += "<table><thead><tr><th>ID</th><th>種別</th><th>名称</th><th>日時</th><th>会場</th><th class=\"num\">定員</th>"
         "<th class=\"num\">確定</th><th class=\"num\">版</th><th></th></tr></thead><tbody>";
    for (const Json& a : cat["activities"]) {
        if (!fkind.empty() && str(a, "kind") != fkind) continue;
        if (!q.empty() && str(a, "title").find(q) == std::string::npos) continue;
        const auto kind = activity_kind_from_code(str(a, "kind"));
        const std::string id = str(a, "id");
        b += "<tr><td>" + esc(id) + "</td><td>" + esc(kind ? label_ja(*kind) : "") + "</td><td>" + esc(str(a, "title")) + "</td><td>" +
             esc(format_date_ja(str(a, "starts_at"))) + "</td><td>" + esc(centre_name(cat, str(a, "centre_id"))) + "</td><td class=\"num\">" +
             (a.value("capacity", 0) ? std::to_string(a.value("capacity", 0)) : "—") + "</td><td class=\"num\">" +
             (a.value("capacity", 0) ? std::to_string(a.value("taken", 0)) : "—") + "</td><td class=\"num\">" +
             std::to_string(a.value("version", 0)) + "</td><td>";
        if (a.value("capacity", 0) > 0) b += "<a href=\"/admin/roster/" + url_encode(id) + "\">名簿</a> ";
        b += "<a href=\"/admin/activities/" + url_encode(id) + "/edit\">" + (c.role >= Role::Editor ? "編集" : "詳細") +
             "</a> <a href=\"/p/activities/" + url_encode(id) + "\">公開ページ</a></td></tr>";
    }
    b += "</tbody></table>";
    send_html(res, 200, page(c, "事業・募集", b, "/admin/activities"));
}

void form(App& app, Ctx& c, httplib::Response& res, const Json& a, bool is_new, const std::string& error) {
    const Json cat = app.catalog();
    const bool ro = c.role < Role::Editor;
    auto input = [&](const char* name, const char* label, const std::string& value, const char* extra = "") {
        return std::string("<label>") + label + "<input name=\"" + name + "\" value=\"" + esc(value) + "\" " + extra +
               (ro ? " readonly" : "") + "></label>";
    };
    std::string b;
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
    b += "<form method=\"post\" action=\"/admin/activities/save\" class=\"grid2\">" + csrf_field(c) +
         "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">" +
         input("id", "ID（半角英数字・変更不可）", str(a, "id"), is_new ? "required pattern=\"[A-Za-z0-9_.-]{1,64}\"" : "readonly") +
         "<label>種別<select name=\"kind\">";
    for (const char* k : kKinds) b += opt(k, label_ja(*activity_kind_from_code(k)), str(a, "kind"));
    b += "</select></label>" + input("title", "名称", str(a, "title"), "required maxlength=\"60\"") +
         input("kana", "よみがな（検索用）", str(a, "kana")) +
         "<label class=\"wide\">概要（120字以内）<input name=\"summary\" maxlength=\"120\" value=\"" + esc(str(a, "summary")) + "\"></label>"
         "<label class=\"wide\">説明<textarea name=\"description\" rows=\"5\">" + esc(str(a, "description")) + "</textarea></label>"
         "<label>事業形態<select name=\"form\">";
    for (Form f : all_forms()) b += opt(to_code(f), label_ja(f), str(a, "form"));
    b += "</select></label><label>事業区分<select name=\"method\">";
    for (Method m : all_methods()) b += opt(to_code(m), label_ja(m), str(a, "method"));
    b += "</select></label>" + input("fields", "分野（読点区切り）", join(a.value("fields", Json::array()), "、")) +
         input("department", "担当課", str(a, "department")) +
         input("organizer_ids", "主催団体ID（読点区切り）", join(a.value("organizer_ids", Json::array()), "、")) +
         "<label>センター<select name=\"centre_id\">" + opt("", "市全域", str(a, "centre_id"));
    for (const Json& ce : cat["centres"]) b += opt(str(ce, "id"), str(ce, "name"), str(a, "centre_id"));
    b += "</select></label>" + input("place", "会場", str(a, "place")) +
         input("starts_at", "開始（2026-12-05 または 2026-12-05T10:00）", str(a, "starts_at")) +
         input("ends_at", "終了", str(a, "ends_at")) +
         input("capacity", "定員（0 = 申込みなし）", std::to_string(a.value("capacity", 0)), "type=\"number\" min=\"0\"") +
         input("audience", "対象", str(a, "audience")) + input("signup_opens", "申込開始日", str(a, "signup_opens")) +
         input("signup_closes", "申込締切日", str(a, "signup_closes")) + input("survey_id", "関連アンケートID", str(a, "survey_id")) +
         "<label class=\"wide\">追加情報（JSON: 案の章 sections、意見募集期間 comment_from / comment_until、募集テーマ themes など）"
         "<textarea name=\"extra\" rows=\"6\"" + (ro ? " readonly" : "") + ">" +
         esc(a.contains("extra") ? a["extra"].dump(2) : "{}") + "</textarea></label>";
    if (!ro) b += "<div class=\"wide actions\"><button class=\"primary\">保存して公開する</button><a class=\"button\" href=\"/admin/activities\">戻る</a></div>";
    b += "</form>";
    if (!is_new && !ro)
        b += "<h2>公開を取り下げる</h2><p>キオスクと公開ページから消えます。届いた申込み・意見は残ります。</p>"
             "<form class=\"inline\" method=\"post\" action=\"/admin/activities/" + url_encode(str(a, "id")) + "/withdraw\">" + csrf_field(c) +
             "<button class=\"danger\">取り下げる</button></form>";
    send_html(res, error.empty() ? 200 : 400, page(c, is_new ? "事業・募集を登録" : "事業・募集の編集", b, "/admin/activities"));
}

void save(App& app, Ctx& c, httplib::Response& res) {
    auto& f = c.form;
    const bool is_new = f["is_new"] == "1";
    const Json cat = app.catalog();
    const Json* existing = find_by_id(cat["activities"], f["id"]);
    Json a = existing ? *existing : Json::object();
    auto fail = [&](const std::string& msg) {
        Json shown = a;
        for (const char* k : {"id", "kind", "title", "kana", "summary", "description", "form", "method", "department", "centre_id",
                              "place", "starts_at", "ends_at", "audience", "signup_opens", "signup_closes", "survey_id"})
            shown[k] = f[k];
        form(app, c, res, shown, is_new, msg);
    };
    if (!is_valid_id(f["id"])) return fail("ID は半角英数字と _ . - の64文字以内で入力してください。");
    if (is_new && existing) return fail("ID " + f["id"] + " はすでに使われています。");
    if (!is_new && !existing) return fail("ID " + f["id"] + " の事業はありません。");
    if (f["title"].empty()) return fail("名称を入力してください。");
    for (const char* k : {"id", "kind", "title", "kana", "summary", "description", "form", "method", "department", "centre_id",
                          "place", "starts_at", "ends_at", "audience", "signup_opens", "signup_closes", "survey_id"})
        a[k] = f[k];
    a["fields"] = split_list(f["fields"]);
    a["organizer_ids"] = split_list(f["organizer_ids"]);
    Json names = Json::array();
    for (const Json& oid : a["organizer_ids"]) {
        const Json* o = find_by_id(cat["organizations"], oid.get<std::string>());
        if (!o) return fail("主催団体ID " + oid.get<std::string>() + " は登録されていません。");
        names.push_back(str(*o, "name"));
    }
    a["organizer_names"] = names;
    try {
        std::size_t used = 0;
        const int cap = std::stoi(f["capacity"].empty() ? "0" : f["capacity"], &used);
        if (cap < 0 || cap > 100000) throw std::out_of_range("capacity");
        a["capacity"] = cap;
    } catch (const std::exception&) {
        return fail("定員は0以上の整数で入力してください。");
    }
    const Json extra = Json::parse(f["extra"].empty() ? "{}" : f["extra"], nullptr, false);
    if (extra.is_discarded() || !extra.is_object()) return fail("追加情報は JSON のオブジェクト（{ … }）で入力してください。");
    a["extra"] = extra;
    if (!a.contains("taken")) a["taken"] = 0;
    CatalogDelta d;
    try {
        d.activities.push_back(activity_from_json(a));
    } catch (const std::exception& e) {
        return fail(std::string("入力内容を確認してください: ") + e.what());
    }
    const std::int64_t before = app.st.catalog_version();
    const std::int64_t v = app.st.import_catalog(d);
    app.audit(c, is_new ? "publish_activity" : "edit_activity", f["id"], "catalog version " + std::to_string(v));
    redirect(res, "/admin/activities?msg=" +
                      url_encode(v == before ? "変更はありませんでした。" : "「" + f["title"] + "」を保存しました（カタログ版数 " + std::to_string(v) +
                                                                          "）。キオスクには次回の同期で届きます。"));
}

// Centres, organizations and surveys: a JSON editor per entity (the catalog's own format).
const char* const kTypes[][2] = {{"centres", "センター"}, {"organizations", "団体"}, {"surveys", "アンケート"}, {"activities", "事業・募集"}};

const char* type_label(const std::string& t) {
    for (const auto& x : kTypes)
        if (t == x[0]) return x[1];
    return nullptr;
}

void catalog_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    std::string b = flash(req) + "<p>センター・団体・アンケートはカタログの形式（JSON）で編集します。事業・募集は"
                                 "<a href=\"/admin/activities\">専用の画面</a>が使えます。</p>";
    for (int i = 0; i < 3; ++i) {
        const std::string t = kTypes[i][0];
        b += "<h2>" + std::string(kTypes[i][1]) + "</h2><table><thead><tr><th>ID</th><th>名称</th><th class=\"num\">版</th><th></th></tr></thead><tbody>";
        for (const Json& x : cat[t])
            b += "<tr><td>" + esc(str(x, "id")) + "</td><td>" + esc(str(x, t == "surveys" ? "title" : "name")) + "</td><td class=\"num\">" +
                 std::to_string(x.value("version", 0)) + "</td><td><a href=\"/admin/catalog/" + t + "/" + url_encode(str(x, "id")) + "\">" +
                 (c.role >= Role::Editor ? "編集" : "詳細") + "</a></td></tr>";
        b += "</tbody></table>";
        if (c.role >= Role::Editor) b += "<p><a class=\"button\" href=\"/admin/catalog/" + t + "/new\">新しく登録する</a></p>";
    }
    send_html(res, 200, page(c, "センター・団体・アンケート", b, "/admin/activities"));
}

Json blank(const std::string& t) {
    if (t == "centres") return to_json(Centre{});
    if (t == "organizations") return to_json(Organization{});
    if (t == "surveys") return to_json(Survey{});
    return to_json(Activity{});
}

void entity_page(App& app, Ctx& c, httplib::Response& res, const std::string& t, const std::string& id, const std::string& text,
                 const std::string& error) {
    const Json cat = app.catalog();
    const bool is_new = id == "new";
    Json x;
    if (is_new) {
        x = blank(t);
    } else {
        const Json* p = find_by_id(cat[t], id);
        if (!p) return not_found(c, res, std::string(type_label(t)) + " " + id + " はありません。");
        x = *p;
    }
    x.erase("version");
    x.erase("taken");
    std::string b;
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
    b += "<form class=\"stack\" method=\"post\" action=\"/admin/catalog/" + t + "/save\">" + csrf_field(c) +
         "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\"><label>" + type_label(t) +
         "（JSON）<textarea name=\"json\" rows=\"24\" spellcheck=\"false\"" + (c.role < Role::Editor ? " readonly" : "") + ">" +
         esc(text.empty() ? x.dump(2) : text) + "</textarea></label>";
    if (c.role >= Role::Editor) b += "<div class=\"actions\"><button class=\"primary\">保存して公開する</button></div>";
    b += "</form>";
    if (!is_new && c.role >= Role::Editor)
        b += "<h2>削除する</h2><form class=\"inline\" method=\"post\" action=\"/admin/catalog/" + t + "/delete\">" + csrf_field(c) +
             "<input type=\"hidden\" name=\"id\" value=\"" + esc(id) + "\"><button class=\"danger\">削除する</button></form>";
    send_html(res, error.empty() ? 200 : 400, page(c, std::string(type_label(t)) + "の編集", b, "/admin/activities"));
}

}  // namespace

void install_publish(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/activities", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { list(app, c, q, r); });
    app.get(svr, "/admin/activities/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        Json a = to_json(Activity{});
        a["id"] = "";
        a["kind"] = "event";
        form(app, c, res, a, true, "");
    });
    app.get(svr, R"(/admin/activities/([^/]+)/edit)", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], req.matches[1]);
        if (!a) return not_found(c, res, "事業 " + std::string(req.matches[1]) + " はありません。");
        form(app, c, res, *a, false, "");
    });
    app.post(svr, "/admin/activities/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save(app, c, res); });
    app.post(svr, R"(/admin/activities/([^/]+)/withdraw)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const Json cat = app.catalog();
        if (!find_by_id(cat["activities"], id)) return not_found(c, res, "事業 " + id + " はありません。");
        CatalogDelta d;
        d.deleted_activities.push_back(id);
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "withdraw_activity", id, "catalog version " + std::to_string(v));
        redirect(res, "/admin/activities?msg=" + url_encode("「" + activity_title(cat, id) + "」の公開を取り下げました。"));
    });

    app.get(svr, "/admin/centres", Role::Viewer, [](Ctx&, const httplib::Request&, httplib::Response& res) { redirect(res, "/admin/catalog"); });
    app.get(svr, "/admin/organizations", Role::Viewer, [](Ctx&, const httplib::Request&, httplib::Response& res) { redirect(res, "/admin/catalog"); });
    app.get(svr, "/admin/catalog", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { catalog_page(app, c, q, r); });
    app.get(svr, R"(/admin/catalog/(centres|organizations|surveys)/([^/]+))", Role::Viewer,
            [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                if (req.matches[2] == "new" && c.role < Role::Editor) return deny(c, res, "登録には編集者以上の権限が必要です。");
                entity_page(app, c, res, req.matches[1], req.matches[2], "", "");
            });
    app.post(svr, R"(/admin/catalog/(centres|organizations|surveys)/save)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1];
                 const bool is_new = c.form["is_new"] == "1";
                 const std::string text = c.form["json"];
                 auto fail = [&](const std::string& msg) { entity_page(app, c, res, t, is_new ? "new" : "", text, msg); };
                 const Json j = Json::parse(text, nullptr, false);
                 if (j.is_discarded() || !j.is_object()) return fail("JSON として読めません。");
                 CatalogDelta d;
                 std::string id;
                 try {
                     if (t == "centres") d.centres.push_back(centre_from_json(j)), id = d.centres[0].id;
                     else if (t == "organizations") d.organizations.push_back(organization_from_json(j)), id = d.organizations[0].id;
                     else d.surveys.push_back(survey_from_json(j)), id = d.surveys[0].id;
                 } catch (const std::exception& e) {
                     return fail(std::string("内容を確認してください: ") + e.what());
                 }
                 if (!is_valid_id(id)) return fail("id は半角英数字と _ . - の64文字以内にしてください。");
                 const Json cat = app.catalog();
                 if (is_new && find_by_id(cat[t], id)) return fail("id " + id + " はすでに使われています。");
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "publish_" + t, id, "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode(id + " を保存しました（カタログ版数 " + std::to_string(v) + "）"));
             });
    app.post(svr, R"(/admin/catalog/(centres|organizations|surveys)/delete)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1], id = c.form["id"];
                 CatalogDelta d;
                 (t == "centres" ? d.deleted_centres : t == "organizations" ? d.deleted_organizations : d.deleted_surveys).push_back(id);
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "delete_" + t, id, "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode(id + " を削除しました"));
             });
}

}  // namespace kyodo::server::web
