// Publishing activities: events, projects, volunteer openings, grants, drafts for public
// comment and calls for proposals, each on one HTML form (the kind-specific parts are in
// publish_extra.cpp). Every save is a Storage::import_catalog delta with the one activity, so
// it gets the next catalog version and reaches kiosks at their next pull. Centres,
// organizations and surveys have their own forms (publish_catalog.cpp, publish_survey.cpp).
#include <algorithm>

#include "core/codec.h"
#include "core/ruby.h"
#include "core/validate.h"
#include "server/admin.h"
#include "server/furigana.h"
#include "server/web/publish.h"

namespace kyodo::server::web {

namespace {

const char* const kKinds[] = {"project", "event", "volunteer", "grant", "public_comment", "call_for_proposals"};

std::string opt(const std::string& v, const std::string& label, const std::string& cur) {
    return "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(label) + "</option>";
}

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const std::string fkind = req.has_param("kind") ? req.get_param_value("kind") : "";
    const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>種別<select name=\"kind\">" + opt("", "すべて", fkind);
    for (const char* k : kKinds) b += opt(k, label_ja(*activity_kind_from_code(k)), fkind);
    b += "</select></label><label>名称<input name=\"q\" value=\"" + esc(q) + "\"></label><button>絞り込む</button></form>";
    if (c.role >= Role::Editor)
        b += "<div class=\"actions\"><a class=\"button primary\" href=\"/admin/activities/new\">行事・事業を登録する</a>"
             "<a class=\"button\" href=\"/admin/activities/new?kind=public_comment\">パブリックコメントの案を登録する</a>"
             "<a class=\"button\" href=\"/admin/activities/new?kind=call_for_proposals\">提案の募集を登録する</a>"
             "<a class=\"button\" href=\"/admin/catalog\">センター・団体・アンケート</a></div>";
    else
        b += "<div class=\"actions\"><a class=\"button\" href=\"/admin/catalog\">センター・団体・アンケート</a></div>";
    b += "<table><thead><tr><th>ID</th><th>種別</th><th>名称</th><th>日時</th><th>会場</th><th class=\"num\">定員</th>"
         "<th class=\"num\">確定</th><th class=\"num\">版</th><th></th></tr></thead><tbody>";
    for (const Json& a : cat["activities"]) {
        if (!fkind.empty() && str(a, "kind") != fkind) continue;
        if (!q.empty() && str(a, "title").find(q) == std::string::npos) continue;
        const auto kind = activity_kind_from_code(str(a, "kind"));
        const std::string id = str(a, "id");
        // Capacity 0: takes no sign-ups. Over capacity (a cut below the places already
        // confirmed; nobody is dropped, server/ledger.h): flagged for staff.
        const int cap = a.value("capacity", 0), taken = a.value("taken", 0);
        const std::string confirmed = cap > 0 || taken > 0 ? std::to_string(taken) : "—";
        b += "<tr><td>" + esc(id) + "</td><td>" + esc(kind ? label_ja(*kind) : "") + "</td><td>" + esc(str(a, "title")) + "</td><td>" +
             esc(format_date_ja(str(a, "starts_at"))) + "</td><td>" + esc(centre_name(cat, str(a, "centre_id"))) + "</td><td class=\"num\">" +
             (cap > 0 ? std::to_string(cap) : "—") + "</td><td class=\"num\">" + confirmed +
             (taken > cap ? " <span class=\"warn\">定員超過</span>" : "") + "</td><td class=\"num\">" +
             std::to_string(a.value("version", 0)) + "</td><td>";
        if (cap > 0 || taken > 0) b += "<a href=\"/admin/roster/" + url_encode(id) + "\">名簿</a> ";
        b += "<a href=\"/admin/activities/" + url_encode(id) + "/edit\">" + (c.role >= Role::Editor ? "編集" : "詳細") +
             "</a> <a href=\"/p/activities/" + url_encode(id) + "\">公開ページ</a></td></tr>";
    }
    b += "</tbody></table>";
    send_html(res, 200, page(c, "事業・募集", b, "/admin/activities"));
}

// The organizers as checkboxes (value = id, label = name) in a scrolling box.
std::string organizer_field(const FormCtx& f, const Json& cat, const Json& selected) {
    std::vector<std::string> sel;
    if (selected.is_array())
        for (const Json& x : selected)
            if (x.is_string()) sel.push_back(x.get<std::string>());
    f.note("organizer_ids", "主催・協働の団体");
    std::string o = "<fieldset id=\"" + field_id("organizer_ids") + "\" class=\"checks scroll wide" +
                    std::string(f.err.at.count("organizer_ids") ? " invalid" : "") + "\"><legend>主催・協働の団体</legend>";
    for (const Json& org : cat["organizations"]) {
        const std::string id = str(org, "id");
        const bool on = std::find(sel.begin(), sel.end(), id) != sel.end();
        o += "<label class=\"check\"><input type=\"checkbox\" name=\"organizer_ids\" value=\"" + esc(id) + "\"" + (on ? " checked" : "") +
             (f.ro ? " disabled" : "") + "> <span>" + esc(str(org, "name")) + " <small>" + esc(str(org, "type")) + "</small></span></label>";
    }
    return o + field_error(f.err, "organizer_ids") + "</fieldset>";
}

// Furigana: the three annotated texts the server made at the last save (or staff typed), each
// editable in the 青空文庫 notation, with a preview drawn as HTML ruby as the kiosk draws it.
const char* const kRubyTexts[][2] = {{"title", "名称"}, {"summary", "概要"}, {"description", "説明"}};

std::string ruby_html(const std::string& plain, const std::string& annotated) {
    std::string out;
    for (const auto& s : ruby_for(plain, annotated)) {
        std::string t = esc(s.text);
        for (std::size_t p = 0; (p = t.find('\n', p)) != std::string::npos; p += 4) t.replace(p, 1, "<br>");
        out += s.reading.empty() ? t : "<ruby>" + t + "<rt>" + esc(s.reading) + "</rt></ruby>";
    }
    return out;
}

std::string furigana_fields(const FormCtx& f, const Json& a) {
    const Json ex = a.contains("extra") && a["extra"].is_object() ? a["extra"] : Json::object();
    const Json fu = ex.contains("furigana") && ex["furigana"].is_object() ? ex["furigana"] : Json::object();
    std::string b = "<fieldset class=\"wide furigana\"><legend>ふりがな（キオスクで漢字の上に小さく表示し、検索にも使います）</legend>"
                    "<p class=\"hint\">保存すると、漢字の読みをMeCabで自動で付けます。読みが違うところは"
                    "<code>漢字《かんじ》</code>の形で直してください（まとまりを決めるときは<code>｜大殿《おおどの》</code>）。"
                    "直した読みは次の保存でも残ります。名称・概要・説明を書き換えると、その欄の読みは作り直します。</p>";
    for (const auto& t : kRubyTexts) {
        const std::string name = std::string("furigana_") + t[0];
        const std::string cur = str(fu, t[0]);
        b += textarea_field(f, name, std::string("ふりがな（") + t[1] + "）", cur, t[0] == std::string("description") ? 5 : 2,
                            "maxlength=\"8000\"", "", "wide");
        if (!cur.empty())
            b += "<p class=\"wide ruby-preview\" id=\"preview-" + name + "\">" +
                 (ruby_matches(str(a, t[0]), cur) ? ruby_html(str(a, t[0]), cur)
                                                  : std::string("<em>（本文と一致しないため、保存すると作り直します）</em>")) +
                 "</p>";
    }
    return b + "</fieldset>";
}

void form(App& app, Ctx& c, httplib::Response& res, const Json& a, bool is_new, const FieldErrors& err, const Json* stored) {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    const std::string kind = str(a, "kind");
    std::string b;
    b += "<form method=\"post\" action=\"/admin/activities/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
         "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">";
    // The first submit button is the one Enter presses: make it "save", never a row's "delete".
    if (!f.ro) b += "<div class=\"wide actions top\"><button class=\"primary\" name=\"op\" value=\"save\">保存して公開する</button></div>";
    b += text_field(f, "id", "ID（半角英数字・登録後は変更できません）", str(a, "id"),
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    Options kinds;
    for (const char* k : kKinds) kinds.emplace_back(k, label_ja(*activity_kind_from_code(k)));
    b += "<div class=\"with-button\">" + select_field(f, "kind", "種別", kinds, kind);
    if (!f.ro) b += "<button class=\"small\" name=\"op\" value=\"refresh\">種別に合わせて表示し直す</button>";
    b += "</div>" + text_field(f, "title", "名称", str(a, "title"), "required maxlength=\"60\"", "60字以内", "wide") +
         text_field(f, "kana", "よみがな（ひらがな・検索用）", str(a, "kana"), "maxlength=\"100\"", "", "wide") +
         text_field(f, "summary", "概要", str(a, "summary"), "maxlength=\"120\"", "120字以内。キオスクの一覧に出ます", "wide") +
         textarea_field(f, "description", "説明", str(a, "description"), 5, "maxlength=\"2000\"", "2000字以内") +
         furigana_fields(f, a);
    Options forms, methods, centres{{"", "市全域（センターを限定しない）"}}, surveys{{"", "なし"}};
    for (Form x : all_forms()) forms.emplace_back(to_code(x), label_ja(x));
    for (Method x : all_methods()) methods.emplace_back(to_code(x), label_ja(x));
    for (const Json& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    for (const Json& s : cat["surveys"]) surveys.emplace_back(str(s, "id"), str(s, "title"));
    b += select_field(f, "form", "事業形態", forms, str(a, "form")) + select_field(f, "method", "事業区分", methods, str(a, "method"));
    std::vector<std::string> fields;
    for (const Json& x : a.value("fields", Json::array()))
        if (x.is_string()) fields.push_back(x.get<std::string>());
    b += checkbox_group(f, "fields", "分野（いくつでも）", standard_fields(), fields) +
         department_field(f, cat, "department", "担当課", str(a, "department")) +
         organizer_field(f, cat, a.value("organizer_ids", Json::array())) + select_field(f, "centre_id", "センター", centres, str(a, "centre_id")) +
         text_field(f, "place", "会場", str(a, "place"), "maxlength=\"100\"") +
         date_time_field(f, "starts", "開始", str(a, "starts_at")) + date_time_field(f, "ends", "終了", str(a, "ends_at")) +
         text_field(f, "capacity", "定員", a["capacity"].is_string() ? a["capacity"].get<std::string>() : std::to_string(a.value("capacity", 0)), "type=\"number\" min=\"0\" max=\"100000\" step=\"1\"",
                    "0 = 申込みを受け付けない（申込み不要の行事など）。増やすとキャンセル待ちの方が先着順に繰り上がります。減らしても確定済みの方は取り消されません（定員超過と表示されます）。") +
         text_field(f, "audience", "対象", str(a, "audience"), "maxlength=\"100\"", "例: どなたでも、小学生と保護者") +
         date_time_field(f, "signup_opens", "申込開始日", str(a, "signup_opens"), false) +
         date_time_field(f, "signup_closes", "申込締切日", str(a, "signup_closes"), false) +
         select_field(f, "survey_id", "関連アンケート", surveys, str(a, "survey_id"));
    const Json extra = a.contains("extra") && a["extra"].is_object() ? a["extra"] : Json::object();
    if (kind == "public_comment") b += draft_editor(f, extra);
    if (kind == "call_for_proposals") b += call_editor(f, cat, extra);
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">保存して公開する</button>"
             "<a class=\"button\" href=\"/admin/activities\">戻る</a></div>";
    b += "</form>";
    if (stored) b += json_view(*stored);
    if (!is_new && !f.ro && stored)
        b += "<h2>公開を取り下げる</h2><p>キオスクと公開ページから消えます。届いた申込み・意見は残ります。</p>"
             "<form class=\"inline\" method=\"post\" action=\"/admin/activities/" + url_encode(str(a, "id")) + "/withdraw\">" + csrf_field(c) +
             "<button class=\"danger\">取り下げる</button></form>";
    const char* title = kind == "public_comment"       ? (is_new ? "パブリックコメントの案を登録" : "パブリックコメントの案の編集")
                        : kind == "call_for_proposals" ? (is_new ? "提案の募集を登録" : "提案の募集の編集")
                                                       : (is_new ? "事業・募集を登録" : "事業・募集の編集");
    send_html(res, err.any() ? 400 : 200, page(c, title, err.summary_html(labels) + b, "/admin/activities"));
}

// The posted form as an activity (on top of the stored one, so `taken`, unknown `extra` keys
// and anything the form does not show are kept), with every problem noted by field.
Json read_activity(const std::map<std::string, std::string>& form, const Json& cat, Json a, FieldErrors& err) {
    for (const char* k : {"id", "kind", "title", "kana", "summary", "place", "audience", "form", "method", "centre_id", "survey_id"})
        a[k] = trim(posted(form, k));
    a["description"] = trim(normalise_newlines(posted(form, "description")));
    a["department"] = read_department(form, "department");
    a["fields"] = keep_order(a.value("fields", Json::array()), read_checked(form, "fields"));
    a["organizer_ids"] = keep_order(a.value("organizer_ids", Json::array()), split_list(posted(form, "organizer_ids")));
    a["starts_at"] = join_date_time(form, "starts", err);
    a["ends_at"] = join_date_time(form, "ends", err);
    a["signup_opens"] = join_date_time(form, "signup_opens", err, false);
    a["signup_closes"] = join_date_time(form, "signup_closes", err, false);
    const std::string cap = trim(posted(form, "capacity"));
    try {
        std::size_t used = 0;
        const long n = cap.empty() ? 0 : std::stol(cap, &used);
        if ((!cap.empty() && used != cap.size()) || n < 0 || n > 100000) throw std::out_of_range("capacity");
        a["capacity"] = static_cast<int>(n);
    } catch (const std::exception&) {
        err.add("capacity", "定員は 0 から 100000 までの整数で入力してください。");
        a["capacity"] = cap;   // shown again as typed; never saved (the form has an error)
    }
    if (!a.contains("extra") || !a["extra"].is_object()) a["extra"] = Json::object();
    {
        // Furigana live in extra.furigana (core/ruby.h); the form posts each as its own field.
        Json fu = Json::object();
        for (const auto& t : kRubyTexts) {
            const std::string v = trim(normalise_newlines(posted(form, std::string("furigana_") + t[0])));
            if (!v.empty()) fu[t[0]] = v;
        }
        if (fu.empty()) a["extra"].erase("furigana");
        else a["extra"]["furigana"] = fu;
    }
    if (str(a, "kind") == "public_comment") read_draft(form, a["extra"], err);
    if (str(a, "kind") == "call_for_proposals") read_call(form, a["extra"], err);
    if (!a.contains("taken")) a["taken"] = 0;

    check_id(err, "id", str(a, "id"));
    if (!activity_kind_from_code(str(a, "kind"))) err.add("kind", "種別を選んでください。");
    if (!form_from_code(str(a, "form"))) err.add("form", "事業形態を選んでください。");
    if (!method_from_code(str(a, "method"))) err.add("method", "事業区分を選んでください。");
    check_text(err, "title", str(a, "title"), 60, true);
    check_text(err, "kana", str(a, "kana"), 100, false);
    if (!str(a, "kana").empty() && !err.at.count("kana") && !is_kana_reading(str(a, "kana")))
        err.add("kana", "よみがなはひらがな・カタカナで入力してください（検索に使います）。");
    check_text(err, "summary", str(a, "summary"), 120, false);
    check_text(err, "description", str(a, "description"), 2000, false, true);
    for (const auto& t : kRubyTexts) {
        const std::string name = std::string("furigana_") + t[0];
        const std::string v = a["extra"].contains("furigana") ? str(a["extra"]["furigana"], t[0]) : "";
        check_text(err, name, v, 8000, false, true);
        if (err.at.count(name)) continue;
        for (const auto& seg : parse_ruby(v))
            if (!seg.reading.empty() && !is_kana_reading(seg.reading)) {
                err.add(name, "《》の中の読みは、ひらがな・カタカナで書いてください（「" + seg.reading + "」）。");
                break;
            }
    }
    check_text(err, "department", str(a, "department"), 60, false);
    check_text(err, "place", str(a, "place"), 100, false);
    check_text(err, "audience", str(a, "audience"), 100, false);
    for (const Json& x : a["fields"]) check_text(err, "fields", x.get<std::string>(), 20, true);
    if (a["fields"].size() > 12) err.add("fields", "分野は12個までにしてください。");
    if (!str(a, "centre_id").empty() && !find_by_id(cat["centres"], str(a, "centre_id"))) err.add("centre_id", "このセンターは登録されていません。");
    if (!str(a, "survey_id").empty() && !find_by_id(cat["surveys"], str(a, "survey_id"))) err.add("survey_id", "このアンケートは登録されていません。");
    Json names = Json::array();
    for (const Json& oid : a["organizer_ids"]) {
        const Json* o = find_by_id(cat["organizations"], oid.get<std::string>());
        if (!o) err.add("organizer_ids", "団体 " + oid.get<std::string>() + " は登録されていません。");
        else names.push_back(str(*o, "name"));
    }
    a["organizer_names"] = names;
    // Dates compare as text: both are ISO, and a date alone sorts before that day's times.
    const std::string s = str(a, "starts_at"), e = str(a, "ends_at");
    if (!err.at.count("starts_date") && !err.at.count("ends_date") && !s.empty() && !e.empty() && e < s)
        err.add("ends_date", "終了が開始より前になっています。");
    if (!e.empty() && s.empty() && !err.at.count("ends_date")) err.add("starts_date", "終了を入れるときは開始も入力してください。");
    const std::string so = str(a, "signup_opens"), sc = str(a, "signup_closes");
    if (!err.at.count("signup_opens_date") && !err.at.count("signup_closes_date") && !so.empty() && !sc.empty() && sc < so)
        err.add("signup_closes_date", "申込締切日が申込開始日より前になっています。");
    return a;
}

void save(App& app, Ctx& c, httplib::Response& res) {
    auto& f = c.form;
    const bool is_new = f["is_new"] == "1";
    const Json cat = app.catalog();
    const Json* existing = find_by_id(cat["activities"], trim(f["id"]));
    FieldErrors err;
    if (is_new && existing) err.add("id", "この ID はすでに使われています（" + str(*existing, "title") + "）。別の ID にしてください。");
    if (!is_new && !existing) err.general = "ID " + f["id"] + " の事業はありません（取り下げられた可能性があります）。";
    Json base = existing && !is_new ? *existing : to_json(Activity{});
    if (!existing || is_new) base.erase("version");
    FieldErrors checks;
    Json a = read_activity(f, cat, base, checks);
    const Json* stored = is_new ? nullptr : existing;
    if (!is_save(f)) return form(app, c, res, a, is_new, FieldErrors{}, stored);   // a row added or moved, or the kind changed
    for (auto& [k, v] : checks.at) err.add(k, v);
    if (err.any()) return form(app, c, res, a, is_new, err, stored);
    // Furigana: a reading staff changed must still annotate its text exactly (else say so,
    // never drop their edit); one left as it was is remade when its text changed.
    Json old_fu = Json::object(), new_fu = Json::object();
    if (stored && stored->contains("extra") && (*stored)["extra"].is_object() && (*stored)["extra"].contains("furigana"))
        old_fu = (*stored)["extra"]["furigana"];
    if (a["extra"].contains("furigana")) new_fu = a["extra"]["furigana"];
    for (const auto& t : kRubyTexts) {
        const std::string v = str(new_fu, t[0]);
        if (!v.empty() && v != str(old_fu, t[0]) && !ruby_matches(str(a, t[0]), v))
            err.add(std::string("furigana_") + t[0], std::string("ふりがなの文字（《》の外）が") + t[1] +
                                                         "と一致しません。本文と同じ文字にするか、欄を空にすると自動で作り直します。");
    }
    if (err.any()) return form(app, c, res, a, is_new, err, stored);
    CatalogDelta d;
    try {
        d.activities.push_back(activity_from_json(a));
    } catch (const DecodeError& e) {
        // Core's decoder is the last word on the catalog format; show its reason by the field.
        err.add(e.field.empty() ? "id" : e.field, std::string("入力内容を確認してください: ") + e.what());
        return form(app, c, res, a, is_new, err, stored);
    }
    server::refresh_furigana(d.activities.back());
    const std::int64_t before = app.st.catalog_version();
    const std::int64_t v = app.st.import_catalog(d);
    app.audit(c, is_new ? "publish_activity" : "edit_activity", str(a, "id"), "catalog version " + std::to_string(v));
    redirect(res, "/admin/activities?msg=" + url_encode(saved_message("「" + str(a, "title") + "」", before, v)));
}

// The catalog page: centres, organizations and surveys, each with its own form.
void catalog_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    std::string b = flash(req) + "<p>キオスクに表示するセンター・団体・アンケートです。事業・行事・パブリックコメント・提案の募集は"
                                 "<a href=\"/admin/activities\">事業・募集</a>で登録します。</p>";
    const char* const types[][3] = {{"centres", "センター", "name"}, {"organizations", "団体", "name"}, {"surveys", "アンケート", "title"}};
    for (const auto& t : types) {
        b += "<h2>" + std::string(t[1]) + "</h2>";
        if (c.role >= Role::Editor)
            b += "<p><a class=\"button\" href=\"/admin/catalog/" + std::string(t[0]) + "/new\">" + t[1] + "を登録する</a></p>";
        b += "<table><thead><tr><th>ID</th><th>名称</th><th class=\"num\">版</th><th></th></tr></thead><tbody>";
        for (const Json& x : cat[t[0]])
            b += "<tr><td>" + esc(str(x, "id")) + "</td><td>" + esc(str(x, t[2])) + "</td><td class=\"num\">" +
                 std::to_string(x.value("version", 0)) + "</td><td><a href=\"/admin/catalog/" + t[0] + "/" + url_encode(str(x, "id")) + "\">" +
                 (c.role >= Role::Editor ? "編集" : "詳細") + "</a></td></tr>";
        b += "</tbody></table>";
    }
    send_html(res, 200, page(c, "センター・団体・アンケート", b, "/admin/activities"));
}

}  // namespace

// --- shared by the publishing pages -------------------------------------------------------

std::string posted(const std::map<std::string, std::string>& form, const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? "" : it->second;
}

Json keep_order(const Json& old, const std::vector<std::string>& now) {
    Json out = Json::array();
    if (old.is_array())
        for (const Json& x : old)
            if (x.is_string() && std::find(now.begin(), now.end(), x.get<std::string>()) != now.end()) out.push_back(x);
    for (const std::string& s : now)
        if (std::find(out.begin(), out.end(), Json(s)) == out.end()) out.push_back(s);
    return out;
}

std::vector<std::string> catalog_departments(const Json& cat) {
    std::vector<std::string> d;
    auto add = [&](const std::string& s) {
        if (!s.empty() && std::find(d.begin(), d.end(), s) == d.end()) d.push_back(s);
    };
    for (const Json& a : cat["activities"]) {
        add(str(a, "department"));
        if (a.contains("extra") && a["extra"].is_object() && a["extra"].contains("partner_departments"))
            for (const Json& x : a["extra"]["partner_departments"])
                if (x.is_string()) add(x.get<std::string>());
    }
    for (const Json& o : cat["organizations"])
        if (str(o, "type") == "行政") add(str(o, "name"));
    std::sort(d.begin(), d.end());
    return d;
}

std::string department_field(const FormCtx& f, const Json& cat, const std::string& name, const std::string& label, const std::string& cur) {
    Options o{{"", "（選んでください）"}};
    for (const std::string& d : catalog_departments(cat)) o.emplace_back(d, d);
    return "<div class=\"pair\">" + select_field(f, name, label, o, cur) +
           text_field(f, name + "_other", "一覧にない課（入力するとこちらを使います）", "", "maxlength=\"60\"") + "</div>";
}

std::string read_department(const std::map<std::string, std::string>& form, const std::string& name) {
    const std::string other = trim(posted(form, name + "_other"));
    return other.empty() ? trim(posted(form, name)) : other;
}

std::vector<std::string> read_checked(const std::map<std::string, std::string>& form, const std::string& name) {
    std::vector<std::string> out;
    for (const std::string& v : split_list(posted(form, name)))
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    for (const std::string& v : split_list(posted(form, name + "_other")))
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    return out;
}

std::string json_view(const Json& stored) {
    return "<details class=\"advanced\"><summary>詳細: カタログに保存されている内容（JSON・読み取り専用）</summary><pre>" +
           esc(stored.dump(2)) + "</pre></details>";
}

std::string saved_message(const std::string& name, std::int64_t before, std::int64_t after) {
    if (after == before) return name + "は変更がなかったため、そのままです。";
    return name + "を保存しました（カタログ版数 " + std::to_string(after) + "）。キオスクには次回の同期で届きます。";
}

bool is_save(const std::map<std::string, std::string>& form) {
    const std::string op = posted(form, "op");
    return op.empty() || op == "save";
}

void install_publish(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/activities", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { list(app, c, q, r); });
    app.get(svr, "/admin/activities/new", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        Json a = to_json(Activity{});
        a.erase("version");
        a["id"] = "";
        const std::string k = req.has_param("kind") ? req.get_param_value("kind") : "event";
        a["kind"] = activity_kind_from_code(k) ? k : "event";
        if (k == "public_comment") a["extra"]["sections"] = Json::array({{{"id", "s1"}, {"title", ""}, {"text", ""}}});
        form(app, c, res, a, true, FieldErrors{}, nullptr);
    });
    app.get(svr, R"(/admin/activities/([^/]+)/edit)", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const Json cat = app.catalog();
        const Json* a = find_by_id(cat["activities"], req.matches[1]);
        if (!a) return not_found(c, res, "事業 " + std::string(req.matches[1]) + " はありません。");
        form(app, c, res, *a, false, FieldErrors{}, a);
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
    install_catalog_forms(app, svr);
    install_survey_form(app, svr);
}

}  // namespace kyodo::server::web
