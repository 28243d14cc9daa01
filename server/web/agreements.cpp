// Partnership agreements (連携協定, issue 12 point 3; seed 003; docs/dashboard.md):
//   /admin/agreements?date=     valid agreements on a date, by field and kind, and the register
//   /admin/agreements/new, /admin/agreements/<id>   the form: kind, partner, fields, departments,
//                               dates, status, seed 003's signing flow as dated steps, initiatives
//                               done under it (linked to projects and listings)
//   /admin/agreements/import    a JSON file of agreements
//   /admin/agreements.csv       for Excel; /open/agreements.(csv|json) without internal notes
#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/timeutil.h"
#include "server/web/agreements.h"
#include "server/web/app.h"
#include "server/web/projects.h"
#include "server/web/publish.h"

namespace kyodo::server::web {

AgreementCounts count_agreements(const std::vector<Agreement>& all, const std::string& date) {
    AgreementCounts c;
    c.date = date;
    std::string since;
    if (date.size() == 10) {
        try {
            since = std::to_string(std::stoi(date.substr(0, 4)) - 1) + date.substr(4);
        } catch (const std::exception&) {
        }
    }
    std::map<std::string, AgreementCounts::Field> f;
    for (const Agreement& a : all) {
        if (!agreement_valid_on(a, date)) continue;
        ++c.valid;
        const bool comp = a.kind == "comprehensive";
        ++(comp ? c.comprehensive : c.individual);
        if (!since.empty() && a.signed_on > since) ++c.signed_since;
        std::set<std::string> seen;
        for (const auto& field : a.fields) {
            if (!seen.insert(field).second) continue;
            auto& x = f[field];
            x.field = field;
            ++(comp ? x.comprehensive : x.individual);
        }
    }
    for (auto& [k, v] : f) c.by_field.push_back(v);
    std::stable_sort(c.by_field.begin(), c.by_field.end(), [](const auto& a, const auto& b) { return a.total() > b.total(); });
    return c;
}

void check_agreement(const Agreement& a, FieldErrors& err) {
    check_id(err, "id", a.id);
    if (a.kind != "individual" && a.kind != "comprehensive") err.add("kind", "協定の種類を選んでください。");
    check_text(err, "title", a.title, 120, true);
    check_text(err, "partner", a.partner.name, 100, true);
    if (a.fields.empty()) err.add("fields", "連携分野を1つ以上選んでください。");
    for (const auto& x : a.fields) check_text(err, "fields", x, 40, true);
    for (const auto& x : a.departments) check_text(err, "departments", x, 60, true);
    if (a.status != "negotiating" && a.status != "valid" && a.status != "ended") err.add("status", "状態を選んでください。");
    for (const auto& [name, v] : {std::pair<std::string, std::string>{"signed_on_date", a.signed_on}, {"ends_on_date", a.ends_on}, {"renewed_on_date", a.renewed_on}})
        if (!v.empty() && !is_iso_date(v)) err.add(name, "日付が正しくありません。");
    if (a.status != "negotiating" && a.signed_on.empty()) err.add("signed_on_date", "締結日を入力してください（協議中なら状態を「協議中」に）。");
    if (!a.signed_on.empty() && !a.ends_on.empty() && a.ends_on < a.signed_on) err.add("ends_on_date", "終了日が締結日より前になっています。");
    if (!a.renewed_on.empty() && !a.signed_on.empty() && a.renewed_on < a.signed_on) err.add("renewed_on_date", "更新日が締結日より前になっています。");
    for (const auto& s : a.steps) {
        const bool known = std::any_of(agreement_steps().begin(), agreement_steps().end(), [&](const auto& x) { return x.first == s.step; });
        if (!known) err.add("steps", "締結の流れの段階「" + s.step + "」はありません。");
        if (!s.date.empty() && !is_iso_date(s.date)) err.add("step." + s.step + "_date", "日付が正しくありません。");
        check_text(err, "step." + s.step + "_note", s.note, 200, false);
    }
    if (a.initiatives.size() > 200) err.add("initiatives", "具体的取組は200件までにしてください。");
    for (std::size_t i = 0; i < a.initiatives.size(); ++i) {
        const std::string p = "i." + std::to_string(i) + ".";
        check_text(err, p + "title", a.initiatives[i].title, 200, true);
        check_text(err, p + "field", a.initiatives[i].field, 40, false);
        if (!a.initiatives[i].date.empty() && !is_iso_date(a.initiatives[i].date)) err.add(p + "date_date", "日付が正しくありません。");
    }
    check_text(err, "note", a.note, 2000, false, true);
}

Json agreement_to_json(const Agreement& a) {
    Json steps = Json::array(), inits = Json::array();
    for (const auto& s : a.steps) steps.push_back({{"step", s.step}, {"date", s.date}, {"note", s.note}});
    for (const auto& i : a.initiatives)
        inits.push_back({{"title", i.title}, {"field", i.field}, {"date", i.date}, {"project_id", i.project_id}, {"listing_id", i.listing_id}});
    Json fields = Json::array(), deps = Json::array();
    for (const auto& f : a.fields) fields.push_back(f);
    for (const auto& d : a.departments) deps.push_back(d);
    return {{"id", a.id},           {"kind", a.kind},         {"title", a.title},         {"partner", {{"org_id", a.partner.org_id}, {"name", a.partner.name}}},
            {"fields", fields},     {"departments", deps},    {"signed_on", a.signed_on}, {"ends_on", a.ends_on},
            {"renewed_on", a.renewed_on}, {"status", a.status}, {"steps", steps},         {"initiatives", inits},
            {"note", a.note},       {"updated_by", a.updated_by}, {"updated_at", a.updated_at}};
}

namespace {

std::string s(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }
std::vector<std::string> strs(const Json& j, const char* k) {
    std::vector<std::string> o;
    if (j.contains(k) && j[k].is_array())
        for (const Json& x : j[k])
            if (x.is_string()) o.push_back(x.get<std::string>());
    return o;
}

}  // namespace

Agreement agreement_from_json(const Json& j) {
    Agreement a;
    if (!j.is_object()) return a;
    a.id = s(j, "id");
    if (!s(j, "kind").empty()) a.kind = s(j, "kind");
    a.title = s(j, "title");
    if (j.contains("partner") && j["partner"].is_object()) a.partner = {s(j["partner"], "org_id"), s(j["partner"], "name")};
    else a.partner = {"", s(j, "partner")};
    a.fields = strs(j, "fields");
    a.departments = strs(j, "departments");
    a.signed_on = s(j, "signed_on");
    a.ends_on = s(j, "ends_on");
    a.renewed_on = s(j, "renewed_on");
    if (!s(j, "status").empty()) a.status = s(j, "status");
    if (j.contains("steps") && j["steps"].is_array())
        for (const Json& x : j["steps"]) a.steps.push_back({s(x, "step"), s(x, "date"), s(x, "note")});
    if (j.contains("initiatives") && j["initiatives"].is_array())
        for (const Json& x : j["initiatives"]) a.initiatives.push_back({s(x, "title"), s(x, "field"), s(x, "date"), s(x, "project_id"), s(x, "listing_id")});
    a.note = s(j, "note");
    return a;
}

int import_agreements(Storage& st, const std::string& text, const std::string& by, const std::string& now) {
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::invalid_argument("JSON として読めません。");
    const Json arr = doc.is_array() ? doc : doc.is_object() && doc.contains("agreements") ? doc["agreements"] : Json();
    if (!arr.is_array()) throw std::invalid_argument("\"agreements\" の一覧がありません。");
    std::vector<Agreement> as;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        Agreement a = agreement_from_json(arr[i]);
        a.updated_by = by;
        a.updated_at = now;
        FieldErrors err;
        check_agreement(a, err);
        if (!seen.insert(a.id).second) err.add("id", "同じIDの協定がファイルの中にほかにもあります。");
        if (err.any()) {
            const auto& [field, msg] = *err.at.begin();
            throw std::invalid_argument(std::to_string(i + 1) + "件目（" + a.id + " " + a.title + "）の " + field + ": " + msg);
        }
        as.push_back(std::move(a));
    }
    return st.civic().put_agreements(as);
}

namespace {

std::string join(const std::vector<std::string>& v, const char* sep = "、") {
    std::string o;
    for (const auto& x : v) o += (o.empty() ? "" : sep) + x;
    return o;
}

// "2024-06-01" → "令和6年6月1日"
std::string date_ja(const std::string& iso) {
    if (!is_iso_date(iso)) return iso;
    const int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
    std::string era = era_year_ja(y);   // "令和6年度" → "令和6年"
    era.resize(era.size() - std::string("度").size());
    return era + std::to_string(m) + "月" + std::to_string(d) + "日";
}

std::string param(const httplib::Request& req, const char* k) { return req.has_param(k) ? req.get_param_value(k) : ""; }

void send_csv(httplib::Response& res, const Csv& c, const std::string& name) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.set_content(c.str(), "text/csv; charset=utf-8");
}

Csv register_csv(const std::vector<Agreement>& as, bool open) {
    Csv c;
    std::vector<std::string> head = {"ID", "種類", "協定名", "相手方", "連携分野", "市の窓口", "締結日", "終了日", "更新日", "状態", "具体的取組"};
    if (!open) head.push_back("メモ");
    c.row(head);
    for (const Agreement& a : as) {
        std::string inits;
        for (const auto& i : a.initiatives) inits += (inits.empty() ? "" : "\n") + i.title;
        std::vector<std::string> r = {a.id, agreement_kind_ja(a.kind), a.title, a.partner.name, join(a.fields), join(a.departments), a.signed_on,
                                      a.ends_on, a.renewed_on, agreement_status_ja(a.status), inits};
        if (!open) r.push_back(a.note);
        c.row(r);
    }
    return c;
}

void list(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    std::string date = param(req, "date");
    if (!is_iso_date(date)) date = jst_today();
    const auto all = app.st.civic().agreements();
    const AgreementCounts n = count_agreements(all, date);
    std::string b = flash(req) + "<form class=\"filters\" method=\"get\"><label>基準日<input type=\"date\" name=\"date\" value=\"" + esc(date) +
                    "\"></label><button>表示</button></form><div class=\"actions\">";
    if (c.role >= Role::Editor)
        b += "<a class=\"button primary\" href=\"/admin/agreements/new\">連携協定を登録する</a><a class=\"button\" href=\"/admin/agreements/import\">ファイルから取り込む</a>";
    b += "<a class=\"button\" href=\"/admin/agreements.csv\">CSV</a></div>";
    b += "<p class=\"panel\">" + esc(date_ja(date)) + "現在 有効な協定数 <strong id=\"valid-total\">" + std::to_string(n.valid) + "</strong> 件<br><span class=\"muted\">（個別連携協定 " +
         std::to_string(n.individual) + " 件・包括連携協定 " + std::to_string(n.comprehensive) + " 件。この1年に締結 " + std::to_string(n.signed_since) +
         " 件）</span></p>";
    b += "<h2>連携分野別の件数</h2><p class=\"muted\">複数の分野にわたる協定は、それぞれの分野で数えます。</p>";
    std::vector<Bar> bars;
    b += "<table class=\"report\" id=\"by-field\"><thead><tr><th>連携分野</th><th class=\"num\">個別</th><th class=\"num\">包括</th><th class=\"num\">計</th></tr></thead><tbody>";
    for (const auto& f : n.by_field) {
        b += "<tr><td class=\"lbl\">" + esc(f.field) + "</td><td class=\"num\">" + std::to_string(f.individual) + "</td><td class=\"num\">" +
             std::to_string(f.comprehensive) + "</td><td class=\"num\"><strong>" + std::to_string(f.total()) + "</strong></td></tr>";
        bars.push_back({f.field, static_cast<double>(f.total()), std::to_string(f.total()) + "件"});
    }
    if (n.by_field.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">この日に有効な協定はありません。</td></tr>";
    b += "</tbody></table>";
    if (!bars.empty()) b += svg_bars(bars);
    b += "<h2>協定の一覧</h2><div class=\"scroll\"><table><thead><tr><th>協定名</th><th>種類</th><th>相手方</th><th>連携分野</th><th>市の窓口</th><th>締結日</th>"
         "<th>終了日</th><th>状態</th><th class=\"num\">取組</th></tr></thead><tbody>";
    for (const Agreement& a : all) {
        const bool valid = agreement_valid_on(a, date);
        b += std::string("<tr") + (valid ? "" : " class=\"muted\"") + "><td><a href=\"/admin/agreements/" + url_encode(a.id) + "\">" + esc(a.title) + "</a></td><td>" +
             esc(agreement_kind_ja(a.kind)) + "</td><td>" + esc(a.partner.name) + "</td><td>" + esc(join(a.fields)) + "</td><td>" + esc(join(a.departments)) +
             "</td><td class=\"nowrap\">" + esc(a.signed_on) + "</td><td class=\"nowrap\">" + esc(a.ends_on.empty() ? "定めなし" : a.ends_on) + "</td><td>" + esc(agreement_status_ja(a.status)) +
             (a.status == "valid" && !valid ? "（期間外）" : "") + "</td><td class=\"num\">" + std::to_string(a.initiatives.size()) + "</td></tr>";
    }
    if (all.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">まだ登録されていません。</td></tr>";
    b += "</tbody></table></div>";
    send_html(res, 200, page(c, "連携協定", b, "/admin/agreements"));
}

const std::vector<std::string>& agreement_fields() {
    // Seed 003's fields, then the plan's (seed 004) that agreements often cover.
    static const std::vector<std::string> f = {"健康", "高齢者支援", "子育て・教育", "食育", "災害対策", "環境", "地域活性化", "観光・文化", "情報発信・デジタル", "福祉", "スポーツ"};
    return f;
}

void form(App& app, Ctx& c, httplib::Response& res, const Agreement& a, bool is_new, const FieldErrors& err, const std::string& notice = "") {
    const Json cat = app.catalog();
    std::map<std::string, std::string> labels;
    const FormCtx f{err, c.role < Role::Editor, &labels};
    std::string b = "<form method=\"post\" action=\"/admin/agreements/save\" class=\"grid2\" enctype=\"multipart/form-data\" novalidate>" + csrf_field(c) +
                    "<input type=\"hidden\" name=\"is_new\" value=\"" + (is_new ? "1" : "0") + "\">";
    // The first submit button is the one Enter presses: make it "save", never a row's "delete".
    if (!f.ro) b += "<div class=\"wide actions top\"><button class=\"primary\" name=\"op\" value=\"save\">保存する</button></div>";
    b += text_field(f, "id", "ID（半角英数字・登録後は変更できません）", a.id,
                    is_new ? "required pattern=\"[A-Za-z0-9_.\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"" : "readonly");
    b += select_field(f, "kind", "種類", {{"individual", "個別連携協定（特定の分野・具体的な事業）"}, {"comprehensive", "包括連携協定（幅広い分野）"}}, a.kind);
    b += text_field(f, "title", "協定名", a.title, "required maxlength=\"120\"", "", "wide");
    Options partners{{"", "（一覧にない相手方は右に入力）"}};
    for (const Json& org : cat["organizations"]) partners.emplace_back(str(org, "id"), str(org, "name"));
    const bool in_catalog = !a.partner.org_id.empty() && find_by_id(cat["organizations"], a.partner.org_id);
    b += "<div class=\"pair wide\">" + select_field(f, "partner_id", "相手方（団体・企業）", partners, in_catalog ? a.partner.org_id : "") +
         text_field(f, "partner", "一覧にない相手方", in_catalog ? "" : a.partner.name, "maxlength=\"100\"") + "</div>";
    b += checkbox_group(f, "fields", "連携分野", agreement_fields(), a.fields);
    b += text_field(f, "departments", "市の窓口・担当課（読点区切り）", join(a.departments), "maxlength=\"300\"",
                    "包括連携協定の窓口は市民生活部地域活動推進課（主な連携分野があればその担当課）", "wide");
    b += date_time_field(f, "signed_on", "締結日", a.signed_on, false) + date_time_field(f, "ends_on", "終了日（空欄 = 定めなし）", a.ends_on, false) +
         date_time_field(f, "renewed_on", "更新日", a.renewed_on, false);
    b += select_field(f, "status", "状態", {{"negotiating", "協議中"}, {"valid", "有効"}, {"ended", "終了"}}, a.status);
    // Seed 003's signing flow: one dated line per step.
    f.note("steps", "締結の流れ");
    b += "<fieldset class=\"group wide\" id=\"" + field_id("steps") + "\"><legend>締結の流れ（日付を入れた段階が済んだ段階）</legend><div class=\"wide\">" + field_error(err, "steps") + "</div>" +
         "<ol class=\"steps wide\">";
    for (const auto& [code, label] : agreement_steps()) {
        AgreementStep st;
        for (const auto& x : a.steps)
            if (x.step == code) st = x;
        b += "<li><div class=\"grid2\">" + date_time_field(f, "step." + code, label, st.date, false) +
             text_field(f, "step." + code + "_note", "メモ", st.note, "maxlength=\"200\"") + "</div></li>";
    }
    b += "</ol></fieldset>";
    // Initiatives done under the agreement, each optionally linked to a project and a listing.
    Options projects{{"", "（なし）"}}, listings{{"", "（なし）"}};
    for (const Project& p : app.st.civic().projects(0)) projects.emplace_back(p.id, era_year_ja(p.fiscal_year) + " " + p.title);
    for (const Json& x : cat["activities"]) listings.emplace_back(str(x, "id"), str(x, "id") + " " + str(x, "title"));
    f.note("initiatives", "具体的取組");
    b += "<fieldset class=\"group wide\" id=\"" + field_id("initiatives") + "\"><legend>具体的取組（協定にもとづいて行ったこと）</legend><div class=\"wide\">" + field_error(err, "initiatives") + "</div>" +
         "<ol class=\"rows wide\">";
    for (std::size_t i = 0; i < a.initiatives.size(); ++i) {
        const auto& x = a.initiatives[i];
        const std::string p = "i." + std::to_string(i) + ".";
        b += "<li class=\"row\"><div class=\"rowhead\"><strong>" + std::to_string(i + 1) + "</strong>" + row_buttons(f, "i", i, a.initiatives.size(), "この取組") +
             "</div><div class=\"grid2\">" + text_field(f, p + "title", "取組", x.title, "maxlength=\"200\"", "", "wide") +
             text_field(f, p + "field", "分野", x.field, "maxlength=\"40\"") + date_time_field(f, p + "date", "実施日", x.date, false) +
             select_field(f, p + "project_id", "協働事業", projects, x.project_id) + select_field(f, p + "listing_id", "掲載", listings, x.listing_id) + "</div></li>";
    }
    b += "</ol>";
    if (!f.ro) b += "<p class=\"wide\"><button name=\"op\" value=\"add:i\">取組を追加する</button></p>";
    b += "</fieldset>" + textarea_field(f, "note", "メモ（公開しません）", a.note, 3, "maxlength=\"2000\"");
    if (!f.ro)
        b += "<div class=\"wide actions\"><button class=\"primary\" name=\"op\" value=\"save\">保存する</button><a class=\"button\" href=\"/admin/agreements\">戻る</a></div>";
    b += "</form>";
    if (!is_new && c.role >= Role::Admin)
        b += "<h2>削除</h2><form method=\"post\" action=\"/admin/agreements/" + url_encode(a.id) + "/delete\">" + csrf_field(c) +
             "<p class=\"muted\">登録の誤りを消すときだけ使います。期間が終わった協定は状態を「終了」にしてください。</p><button class=\"danger\">この協定を削除する</button></form>";
    send_html(res, err.any() ? 400 : 200, page(c, is_new ? "連携協定を登録する" : a.title, notice + err.summary_html(labels) + b, "/admin/agreements"));
}

void save(App& app, Ctx& c, httplib::Response& res) {
    const auto& fm = c.form;
    const bool is_new = posted(fm, "is_new") == "1";
    const Json cat = app.catalog();
    FieldErrors err;
    Agreement a;
    a.id = trim(posted(fm, "id"));
    std::optional<Agreement> stored;
    if (!is_new) {
        stored = app.st.civic().agreement(a.id);
        if (!stored) return not_found(c, res, "連携協定 " + a.id + " はありません。");
    }
    a.kind = posted(fm, "kind");
    a.title = trim(posted(fm, "title"));
    const std::string pid = posted(fm, "partner_id");
    const std::string pname = trim(posted(fm, "partner"));
    if (!pname.empty()) a.partner = {"", pname};
    else if (const Json* org = pid.empty() ? nullptr : find_by_id(cat["organizations"], pid)) a.partner = {pid, str(*org, "name")};
    a.fields = read_checked(fm, "fields");
    a.departments = split_list(posted(fm, "departments"));
    a.signed_on = join_date_time(fm, "signed_on", err, false);
    a.ends_on = join_date_time(fm, "ends_on", err, false);
    a.renewed_on = join_date_time(fm, "renewed_on", err, false);
    a.status = posted(fm, "status");
    for (const auto& [code, label] : agreement_steps()) {
        const std::string d = join_date_time(fm, "step." + code, err, false), note = trim(posted(fm, "step." + code + "_note"));
        if (!d.empty() || !note.empty()) a.steps.push_back({code, d, note});
    }
    Json rows = Json::array();
    for (std::size_t i = 0; i <= 200; ++i) {
        const std::string p = "i." + std::to_string(i) + ".";
        if (!fm.count(p + "title")) break;
        rows.push_back({{"title", trim(posted(fm, p + "title"))}, {"field", trim(posted(fm, p + "field"))}, {"date", join_date_time(fm, p + "date", err, false)},
                        {"project_id", posted(fm, p + "project_id")}, {"listing_id", posted(fm, p + "listing_id")}});
    }
    const std::string op = posted(fm, "op");
    const bool row_op = apply_row_op(op, "i", rows, {{"title", ""}, {"field", ""}, {"date", ""}, {"project_id", ""}, {"listing_id", ""}});
    for (const Json& r : rows) a.initiatives.push_back({s(r, "title"), s(r, "field"), s(r, "date"), s(r, "project_id"), s(r, "listing_id")});
    a.note = trim(normalise_newlines(posted(fm, "note")));
    if (row_op || !is_save(fm)) return form(app, c, res, a, is_new, FieldErrors{});
    if (is_new && app.st.civic().agreement(a.id)) err.add("id", "このIDの協定はもうあります。別のIDにしてください。");
    if (!pid.empty() && pname.empty() && a.partner.name.empty()) err.add("partner_id", "相手方が見つかりません。");
    check_agreement(a, err);
    if (err.at.count("partner") && a.partner.name.empty()) err.at.emplace("partner_id", "相手方を選ぶか、入力してください。");
    if (err.any()) return form(app, c, res, a, is_new, err);
    a.updated_by = c.s.user;
    a.updated_at = rfc3339_now();
    app.st.civic().put_agreement(a);
    app.audit(c, is_new ? "agreement_create" : "agreement_update", a.id, a.title);
    redirect(res, "/admin/agreements/" + url_encode(a.id) + "?msg=" + url_encode(is_new ? "登録しました。" : "保存しました。"));
}

}  // namespace

void install_agreements(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/agreements", Role::Viewer, [&app](Ctx& c, const auto& req, auto& res) { list(app, c, req, res); });
    app.get(svr, R"(/admin/agreements\.csv)", Role::Viewer, [&app](Ctx&, const httplib::Request&, httplib::Response& res) {
        send_csv(res, register_csv(app.st.civic().agreements(), false), "agreements");
    });
    app.get(svr, R"(/open/agreements\.(csv|json))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        res.set_header("Access-Control-Allow-Origin", "*");
        const auto as = app.st.civic().agreements();
        if (req.matches[1] == "csv") return send_csv(res, register_csv(as, true), "agreements");
        std::string date = req.has_param("date") ? req.get_param_value("date") : jst_today();
        if (!is_iso_date(date)) date = jst_today();
        const AgreementCounts n = count_agreements(as, date);
        Json arr = Json::array(), fields = Json::array();
        for (const Agreement& a : as) {
            Json j = agreement_to_json(a);
            j.erase("note");
            j.erase("updated_by");
            arr.push_back(std::move(j));
        }
        for (const auto& f : n.by_field) fields.push_back({{"field", f.field}, {"individual", f.individual}, {"comprehensive", f.comprehensive}});
        res.set_content(Json{{"license", "CC BY 4.0"}, {"date", date}, {"valid", n.valid}, {"by_field", fields}, {"agreements", arr}}.dump(
                            2, ' ', false, Json::error_handler_t::replace),
                        "application/json; charset=utf-8");
    });
    app.get(svr, "/admin/agreements/import", Role::Editor, [](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        std::string b = flash(req) + "<p>連携協定の一覧を JSON ファイルから取り込みます。同じIDの協定は上書きします。形式は <code>/open/agreements.json</code> と同じです。</p>"
                                     "<form method=\"post\" action=\"/admin/agreements/import\" enctype=\"multipart/form-data\">" +
                        csrf_field(c) + "<label>ファイル<input type=\"file\" name=\"file\" accept=\".json,application/json\" required></label>"
                                        "<button class=\"primary\">取り込む</button></form>";
        send_html(res, 200, page(c, "連携協定の取り込み", b, "/admin/agreements"));
    });
    app.post(svr, "/admin/agreements/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string text = req.has_file("file") ? req.get_file_value("file").content : "";
        try {
            const int n = import_agreements(app.st, text, c.s.user, rfc3339_now());
            app.audit(c, "agreement_import", "", std::to_string(n) + " agreements");
            redirect(res, "/admin/agreements?msg=" + url_encode(std::to_string(n) + " 件の連携協定を取り込みました。"));
        } catch (const std::invalid_argument& e) {
            send_html(res, 400, page(c, "連携協定の取り込み", "<p class=\"error\" role=\"alert\">取り込めませんでした: " + esc(e.what()) +
                                                           "</p><p><a href=\"/admin/agreements/import\">戻る</a></p>", "/admin/agreements"));
        }
    });
    app.get(svr, "/admin/agreements/new", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        Agreement a;
        a.status = "negotiating";
        form(app, c, res, a, true, FieldErrors{});
    });
    app.post(svr, "/admin/agreements/save", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { save(app, c, res); });
    app.get(svr, R"(/admin/agreements/([A-Za-z0-9_.\-]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const auto a = app.st.civic().agreement(req.matches[1]);
        if (!a) return not_found(c, res, "連携協定 " + std::string(req.matches[1]) + " はありません。");
        form(app, c, res, *a, false, FieldErrors{}, flash(req));
    });
    app.post(svr, R"(/admin/agreements/([A-Za-z0-9_.\-]+)/delete)", Role::Admin, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const auto a = app.st.civic().agreement(id);
        if (!a || !app.st.civic().delete_agreement(id)) return not_found(c, res, "連携協定 " + id + " はありません。");
        app.audit(c, "agreement_delete", id, a->title);
        redirect(res, "/admin/agreements?msg=" + url_encode("削除しました。"));
    });
}

}  // namespace kyodo::server::web
