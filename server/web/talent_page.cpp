// The talent bank as city-hall staff work with it (/admin/talent, docs/talent.md): search the
// registrations by skill, field, area and time; the groups' requests for help (人材募集, catalog
// activities of kind volunteer with extra.talent_request, which the kiosks show); propose a
// match and record its outcome; withdrawals; CSV for Excel. Registrations carry personal data,
// so the page and the CSV need an editor and are audit-logged.
#include "core/talent.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/talent.h"
#include "server/web/app.h"

namespace kyodo::server::web {

namespace {

using Opts = std::vector<std::pair<std::string, std::string>>;

std::string sel(const std::string& name, const Opts& opts, const std::string& cur) {
    std::string o = "<select name=\"" + esc(name) + "\">";
    for (const auto& [v, l] : opts)
        o += "<option value=\"" + esc(v) + "\"" + (v == cur ? " selected" : "") + ">" + esc(l) + "</option>";
    return o + "</select>";
}

std::string labels(const Json& payload, const char* key) {
    std::string out;
    if (payload.contains(key) && payload[key].is_array())
        for (const auto& x : payload[key])
            if (x.is_string()) out += (out.empty() ? "" : "、") + talent::label_ja(x.get<std::string>());
    return out;
}

std::string area_labels(const Json& cat, const Json& payload) {
    std::string out;
    if (payload.contains("areas") && payload["areas"].is_array())
        for (const auto& x : payload["areas"]) {
            if (!x.is_string()) continue;
            const std::string id = x.get<std::string>();
            std::string name = id == talent::kAnyArea ? talent::label_ja(id) : centre_name(cat, id);
            out += (out.empty() ? "" : "、") + (name.empty() ? id : name);
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

Opts help_opts(const char* any) {
    Opts o{{"", any}};
    for (const auto& t : talent::help_kinds()) o.emplace_back(t.code, t.ja);
    return o;
}

void talent_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const TalentQuery q = query_of(req);
    const auto found = search_talent(app.st.talent(), q);
    const auto reqs = requests(cat);
    std::string b = flash(req);
    b += "<p>地域の人材の登録（キオスクから）を、できること・分野・場所・時間で探し、団体の人材募集に紹介します。"
         "登録者が取り消すと、氏名・連絡先・登録内容は市役所のデータベースから消去され、監査ログに残ります。</p>";

    // Search.
    Opts fields{{"", "分野: すべて"}};
    for (const auto& f : standard_fields()) fields.emplace_back(f, f);
    Opts areas{{"", "場所: すべて"}, {talent::kAnyArea, talent::label_ja(talent::kAnyArea)}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) areas.emplace_back(str(ce, "id"), str(ce, "name"));
    Opts times{{"", "時間: すべて"}};
    for (const auto& t : talent::time_slots()) times.emplace_back(t.code, t.ja);
    b += "<form method=\"get\" action=\"/admin/talent\" class=\"filters\" id=\"talent-search\">" +
         sel("help", help_opts("できること: すべて"), q.help) + sel("field", fields, q.field) + sel("area", areas, q.area) +
         sel("time", times, q.time) + "<button>検索</button> <a href=\"/admin/talent.csv\">CSV（全件）</a></form>";

    Opts req_opts;
    for (const Json* a : reqs) req_opts.emplace_back(str(*a, "id"), str(*a, "title"));
    b += "<h2>登録者 " + std::to_string(found.size()) + " 人</h2><table id=\"talent-results\"><thead><tr><th>受付番号</th>"
         "<th>氏名（ふりがな）</th><th>連絡先</th><th>できること</th><th>分野</th><th>場所</th><th>時間</th><th>ひとこと</th>"
         "<th>紹介する</th></tr></thead><tbody>";
    for (const TalentEntry& e : found) {
        const Json& p = e.personal;
        std::string contact = str(p, "phone");
        if (!str(p, "email").empty()) contact += (contact.empty() ? "" : " / ") + str(p, "email");
        contact += "（希望: " + talent::label_ja(str(e.payload, "contact_by")) + "）";
        b += "<tr data-receipt=\"" + esc(e.receipt) + "\"><td>" + esc(e.receipt) + "</td><td>" + esc(str(p, "name")) + "（" +
             esc(str(p, "furigana")) + "）</td><td>" + esc(contact) + "</td><td>" + esc(labels(e.payload, "help")) +
             "</td><td>" + esc(labels(e.payload, "fields")) + "</td><td>" + esc(area_labels(cat, e.payload)) + "</td><td>" +
             esc(labels(e.payload, "times")) + "</td><td class=\"text\">" + esc(str(e.payload, "note")) + "</td><td>";
        if (req_opts.empty()) {
            b += "<span class=\"muted\">人材募集がありません</span>";
        } else {
            b += "<form method=\"post\" action=\"/admin/talent/match\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"registration\" value=\"" + esc(e.id) + "\">" + sel("request", req_opts, "") +
                 "<input name=\"note\" placeholder=\"メモ\"><button>紹介する</button></form>";
        }
        b += "</td></tr>";
    }
    if (found.empty()) b += "<tr><td colspan=\"9\" class=\"muted\">条件に合う登録はありません。</td></tr>";
    b += "</tbody></table>";

    // Matches.
    const auto ms = app.st.talent().matches();
    b += "<h2>紹介と結果</h2><table id=\"talent-matches\"><thead><tr><th>番号</th><th>登録者</th><th>人材募集</th><th>紹介</th>"
         "<th>結果</th></tr></thead><tbody>";
    for (const TalentMatch& m : ms) {
        const auto who = app.st.talent().registration(m.registration_id);
        const std::string name = who ? str(who->personal, "name") + "（" + who->receipt + "）" : "（取り消し済み）";
        b += "<tr data-match=\"" + std::to_string(m.id) + "\"><td>" + std::to_string(m.id) + "</td><td>" + esc(name) +
             "</td><td>" + esc(activity_title(cat, m.request_id)) + "</td><td>" + esc(m.proposed_by) + " " +
             esc(jst_datetime(m.proposed_at)) + "</td><td><form method=\"post\" action=\"/admin/talent/match/" +
             std::to_string(m.id) + "\">" + csrf_field(c) +
             sel("outcome", {{"proposed", "紹介中"}, {"accepted", "活動開始"}, {"declined", "見送り"}, {"done", "活動終了"}},
                 m.outcome) +
             "<input name=\"note\" value=\"" + esc(m.note) + "\"><button>記録</button></form></td></tr>";
    }
    if (ms.empty()) b += "<tr><td colspan=\"5\" class=\"muted\">まだ紹介はありません。</td></tr>";
    b += "</tbody></table> <a href=\"/admin/talent/matches.csv\">紹介のCSV</a>";

    // Requests for help.
    b += "<h2>人材募集（キオスクに表示）</h2><ul>";
    for (const Json* a : reqs) {
        std::string help;
        const Json& tr = (*a)["extra"]["talent_request"];
        b += "<li>" + esc(str(*a, "title")) + "（" + esc(labels(tr, "help")) + "）</li>";
    }
    if (reqs.empty()) b += "<li class=\"muted\">まだありません。</li>";
    b += "</ul><form method=\"post\" action=\"/admin/talent/request\" id=\"talent-request\" class=\"panel\">" + csrf_field(c) +
         "<label>団体名 <input name=\"group\" required></label> <label>募集の見出し <input name=\"title\" required "
         "size=\"40\"></label> <label>内容 <input name=\"summary\" size=\"60\"></label> <label>センター " +
         sel("centre", areas, "") + "</label> <label>求める人材 " + sel("help", help_opts("選んでください"), "") +
         "</label> <button>人材募集を公開</button></form>";

    // Withdrawals.
    const auto ws = app.st.talent().withdrawals();
    b += "<h2>登録の取り消し</h2><table id=\"talent-withdrawals\"><thead><tr><th>受付番号</th><th>状態</th><th>受信</th>"
         "<th>処理</th></tr></thead><tbody>";
    for (const TalentWithdrawal& w : ws) {
        const char* st = w.state == "done" ? "消去済み" : w.state == "mismatch" ? "確認コード不一致（未処理）" : "登録の到着待ち";
        b += "<tr><td>" + esc(w.receipt) + "</td><td>" + st + "</td><td>" + esc(jst_datetime(w.noted_at)) + "</td><td>" +
             esc(jst_datetime(w.settled_at)) + "</td></tr>";
    }
    if (ws.empty()) b += "<tr><td colspan=\"4\" class=\"muted\">ありません。</td></tr>";
    b += "</tbody></table>";
    app.audit(c, "view_talent", "talent", std::to_string(found.size()) + " people");
    send_html(res, 200, page(c, "人材バンク", b, "/admin/talent"));
}

void talent_csv(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    const Json cat = app.catalog();
    Csv csv;
    csv.row({"受付番号", "氏名", "ふりがな", "電話", "メール", "連絡方法", "できること", "分野", "場所", "時間", "ひとこと",
             "登録センター", "受信"});
    const auto all = app.st.talent().registrations();
    for (const TalentEntry& e : all)
        csv.row({e.receipt, str(e.personal, "name"), str(e.personal, "furigana"), str(e.personal, "phone"),
                 str(e.personal, "email"), talent::label_ja(str(e.payload, "contact_by")), labels(e.payload, "help"),
                 labels(e.payload, "fields"), area_labels(cat, e.payload), labels(e.payload, "times"),
                 str(e.payload, "note"), centre_name(cat, e.centre_id), jst_datetime(e.received_at)});
    app.audit(c, "export_talent", "talent.csv", std::to_string(all.size()) + " people");
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"talent.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
}

void matches_csv(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    const Json cat = app.catalog();
    Csv csv;
    csv.row({"番号", "受付番号", "人材募集", "結果", "メモ", "紹介した職員", "紹介日時", "更新日時"});
    for (const TalentMatch& m : app.st.talent().matches()) {
        const auto who = app.st.talent().registration(m.registration_id);
        csv.row({std::to_string(m.id), who ? who->receipt : "", activity_title(cat, m.request_id), m.outcome, m.note,
                 m.proposed_by, jst_datetime(m.proposed_at), jst_datetime(m.updated_at)});
    }
    app.audit(c, "export_talent_matches", "talent_matches.csv", "");
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"talent_matches.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
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
        const Json cat = app.catalog();
        if (rq.empty() || !find_by_id(cat["activities"], rq)) return deny(c, res, "人材募集を選んでください。");
        const auto id = app.st.talent().propose_match(reg, rq, form_value(c, "note"), c.s.user, rfc3339_now());
        if (id == 0) return deny(c, res, "この登録は見つかりません（取り消し済みかもしれません）。");
        app.audit(c, "propose_talent_match", reg, "match " + std::to_string(id) + " → " + rq);
        redirect(res, "/admin/talent?msg=" + url_encode("紹介を記録しました（番号 " + std::to_string(id) + "）。"));
    });
    app.post(svr, R"(/admin/talent/match/(\d+))", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::int64_t id = std::stoll(req.matches[1].str());
        const std::string outcome = form_value(c, "outcome");
        if (!app.st.talent().set_match_outcome(id, outcome, form_value(c, "note"), c.s.user, rfc3339_now()))
            return deny(c, res, "結果を記録できませんでした。");
        app.audit(c, "talent_match_outcome", std::to_string(id), outcome);
        redirect(res, "/admin/talent?msg=" + url_encode("結果を記録しました。"));
    });
    app.post(svr, "/admin/talent/request", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string group = form_value(c, "group"), title = form_value(c, "title"), help = form_value(c, "help");
        if (group.empty() || title.empty() || !talent::is_help_kind(help))
            return deny(c, res, "団体名・見出し・求める人材を入れてください。");
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
        a.department = "協働推進課";
        a.extra = Json{{"talent_request", {{"help", Json::array({help})}, {"group", group}}}};
        CatalogDelta d;
        d.activities.push_back(a);
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "publish_talent_request", a.id, "catalog version " + std::to_string(v));
        redirect(res, "/admin/talent?msg=" + url_encode("人材募集「" + title + "」を公開しました。"));
    });
}

}  // namespace kyodo::server::web
