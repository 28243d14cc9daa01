// Publishing centres (where kiosks stand) and organizations (NPOs, 町内会, companies …): one
// form each, saved as a one-entity catalog delta. Deleting one that listings still point to
// is refused with the listings named, so no kiosk shows a listing at a centre that is gone.
#include <algorithm>

#include "core/codec.h"
#include "core/validate.h"
#include "server/web/publish.h"

namespace kyodo::server::web {

namespace {

// Types seen in the seeds; the catalog's own types join them in the select.
const char* const kOrgTypes[] = {"NPO法人", "ボランティア団体", "町内会・自治会", "地区市民委員会", "地域づくり協議会", "社会福祉協議会",
                                 "老人クラブ", "スポーツ団体", "実行委員会", "協議会", "企業 (連携協定)", "教育機関", "行政"};

bool is_centres(const std::string& t) { return t == "centres"; }
const char* noun(const std::string& t) { return is_centres(t) ? "センター" : "団体"; }

void render(App& app, Ctx& c, httplib::Response& res, const std::string& t, const Json& x, bool is_new, const FieldErrors& err,
            const Json* stored, int status = 0) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<form method=\"post\" action=\"/admin/catalog/" + t + "/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" +
                    csrf_field(c) + "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">" +
                    text_field(f, "id", "ID（半角英数字・登録後は変更できません）", str(x, "id"),
                               is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly",
                               !is_new ? "" : is_centres(t) ? "例: ohdono（キオスクの設定で使います）" : "例: org-npo-kosodate") +
                    text_field(f, "name", "名称", str(x, "name"), "required maxlength=\"" + std::string(is_centres(t) ? "60" : "100") + "\"") +
                    text_field(f, "kana", "よみがな（ひらがな・検索用）", str(x, "kana"), "maxlength=\"100\"");
    if (is_centres(t)) {
        b += text_field(f, "address", "住所", str(x, "address"), "maxlength=\"200\"", "", "wide") +
             text_field(f, "phone", "電話番号", str(x, "phone"), "type=\"tel\" maxlength=\"20\" autocomplete=\"off\"", "例: 083-922-0000");
    } else {
        Options types;
        for (const char* ty : kOrgTypes) types.emplace_back(ty, ty);
        for (const Json& o : cat["organizations"])
            if (std::none_of(types.begin(), types.end(), [&](const auto& p) { return p.first == str(o, "type"); }) && !str(o, "type").empty())
                types.emplace_back(str(o, "type"), str(o, "type"));
        std::vector<std::string> fields;
        for (const Json& v : x.value("fields", Json::array()))
            if (v.is_string()) fields.push_back(v.get<std::string>());
        b += select_field(f, "type", "団体の種類", types, str(x, "type").empty() ? "NPO法人" : str(x, "type")) +
             text_field(f, "contact", "公開する連絡先", str(x, "contact"), "maxlength=\"100\"",
                        "事務所の電話番号やホームページ。個人の連絡先は載せないでください", "wide") +
             checkbox_group(f, "fields", "活動分野（いくつでも）", standard_fields(), fields) +
             textarea_field(f, "description", "紹介文", str(x, "description"), 5, "maxlength=\"1000\"", "1000字以内");
    }
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">保存して公開する</button>"
             "<a class=\"button\" href=\"/admin/catalog\">戻る</a></div>";
    b += "</form>";
    if (stored) b += json_view(*stored);
    if (!is_new && stored && !f.ro)
        b += std::string("<h2>削除する</h2><p>キオスクの一覧から消えます。この") + noun(t) +
             "を使っている事業があるときは削除できません。</p><form class=\"inline\" method=\"post\" action=\"/admin/catalog/" + t +
             "/delete\">" + csrf_field(c) + "<input type=\"hidden\" name=\"id\" value=\"" + esc(str(x, "id")) +
             "\"><button class=\"danger\">削除する</button></form>";
    send_html(res, status ? status : err.any() ? 400 : 200,
              page(c, std::string(noun(t)) + (is_new ? "を登録" : "の編集"), err.summary_html(labels) + b, "/admin/activities"));
}

Json read(const std::string& t, const std::map<std::string, std::string>& form, Json x, FieldErrors& err) {
    for (const char* k : {"id", "name", "kana"}) x[k] = trim(posted(form, k));
    check_id(err, "id", str(x, "id"));
    check_text(err, "name", str(x, "name"), is_centres(t) ? 60 : 100, true);
    check_text(err, "kana", str(x, "kana"), 100, false);
    if (!str(x, "kana").empty() && !err.at.count("kana") && !is_kana_reading(str(x, "kana")))
        err.add("kana", "よみがなはひらがな・カタカナで入力してください（検索に使います）。");
    if (is_centres(t)) {
        x["address"] = trim(posted(form, "address"));
        x["phone"] = trim(posted(form, "phone"));
        check_text(err, "address", str(x, "address"), 200, false);
        if (!str(x, "phone").empty() && !is_valid_phone(str(x, "phone")))
            err.add("phone", "電話番号は市外局番からの10桁か11桁で入力してください（ハイフンは入れても入れなくても構いません）。");
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
                    if (c.role < Role::Editor) return deny(c, res, "登録には編集者以上の権限が必要です。");
                    Json x = is_centres(t) ? to_json(Centre{}) : to_json(Organization{});
                    x.erase("version");
                    return render(app, c, res, t, x, true, FieldErrors{}, nullptr);
                }
                const Json cat = app.catalog();
                const Json* x = find_by_id(cat[t], id);
                if (!x) return not_found(c, res, std::string(noun(t)) + " " + id + " はありません。");
                render(app, c, res, t, *x, false, FieldErrors{}, x);
            });
    app.post(svr, R"(/admin/catalog/(centres|organizations)/save)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1];
                 const bool is_new = c.form["is_new"] == "1";
                 const Json cat = app.catalog();
                 const Json* existing = find_by_id(cat[t], trim(c.form["id"]));
                 FieldErrors err;
                 if (is_new && existing) err.add("id", "この ID はすでに使われています（" + str(*existing, "name") + "）。");
                 if (!is_new && !existing) err.general = std::string("この") + noun(t) + "は削除されたか、まだ登録されていません。";
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
                     err.add(e.field.empty() ? "id" : e.field, std::string("入力内容を確認してください: ") + e.what());
                     return render(app, c, res, t, x, is_new, err, stored);
                 }
                 const std::int64_t before = app.st.catalog_version();
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "publish_" + t, str(x, "id"), "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode(saved_message("「" + str(x, "name") + "」", before, v)));
             });
    app.post(svr, R"(/admin/catalog/(centres|organizations)/delete)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
                 const std::string t = req.matches[1], id = c.form["id"];
                 const Json cat = app.catalog();
                 const Json* x = find_by_id(cat[t], id);
                 if (!x) return not_found(c, res, std::string(noun(t)) + " " + id + " はありません。");
                 const auto users = users_of(cat, t, id);
                 if (!users.empty()) {
                     FieldErrors err;
                     err.general = std::string("この") + noun(t) + "を使っている事業が " + std::to_string(users.size()) + " 件あるため削除できません（「" +
                                   users.front() + "」など）。先に事業の" + (is_centres(t) ? "センター" : "団体") + "を変えてください。";
                     return render(app, c, res, t, *x, false, err, x, 409);
                 }
                 CatalogDelta d;
                 (is_centres(t) ? d.deleted_centres : d.deleted_organizations).push_back(id);
                 const std::int64_t v = app.st.import_catalog(d);
                 app.audit(c, "delete_" + t, id, "catalog version " + std::to_string(v));
                 redirect(res, "/admin/catalog?msg=" + url_encode("「" + str(*x, "name") + "」を削除しました。"));
             });
}

}  // namespace kyodo::server::web
