// Home, the kiosk fleet (enrol, revoke, USB bundle import), the audit log and staff accounts.
#include <set>

#include "core/timeutil.h"
#include "server/admin.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/form.h"

namespace kyodo::server::web {

namespace {

std::string card(const std::string& href, std::int64_t n, const std::string& label) {
    return "<div class=\"card\"><a href=\"" + esc(href) + "\"><div class=\"n\">" + std::to_string(n) +
           "</div><div class=\"l\">" + esc(label) + "</div></a></div>";
}

bool stale(const Device& d) {
    const auto ms = parse_rfc3339(d.last_seen_at);
    return !ms || now_millis() - *ms > 24LL * 3600 * 1000;
}

void home(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    if (c.role == Role::Department) return redirect(res, "/admin/survey");   // the only page a department account has
    const StorageCounts n = app.st.counts();
    const Json cat = app.catalog();
    auto& adm = app.st.admin();
    std::int64_t untriaged = 0, unanswered = 0, pending_props = 0;
    // Counted in the database: the home page must not load every record (100,000 of them).
    for (const auto& x : adm.state_counts("opinion"))
        if (x.state.empty() || x.state == "new") untriaged += x.n;
    for (const auto& x : adm.state_counts("public_comment"))
        if (!x.noted) unanswered += x.n;
    for (const auto& x : adm.state_counts("proposal"))
        if (x.state.empty() || x.state == "received" || x.state == "under_review") pending_props += x.n;
    auto kinds = [&](const char* k) {
        auto it = n.records_by_kind.find(k);
        return it == n.records_by_kind.end() ? std::int64_t{0} : it->second;
    };
    std::string b = flash(req);
    b += "<h2>対応が必要なもの</h2><div class=\"cards\">" + card("/admin/opinions?state=new", untriaged, "未対応の意見") +
         card("/admin/comments", unanswered, "市の考え方が未記入のパブリックコメント") +
         card("/admin/proposals", pending_props, "審査待ちの市民提案");
    std::int64_t attention = 0;
    const auto devs = app.st.devices();
    for (const Device& d : devs)
        if (!d.revoked && (stale(d) || d.backlog > 0)) ++attention;
    b += card("/admin/fleet", attention, "確認が必要なキオスク") + "</div>";
    b += "<h2>届いたもの（累計）</h2><div class=\"cards\">" + card("/admin/activities", kinds("sign_up"), "申込み") +
         card("/admin/opinions", kinds("opinion"), "意見") + card("/admin/surveys", kinds("survey_response"), "アンケート回答") +
         card("/admin/comments", kinds("public_comment"), "パブリックコメント") +
         card("/admin/proposals", kinds("proposal"), "市民提案") + "</div>";
    b += "<h2>公開中の情報</h2><div class=\"cards\">" + card("/admin/activities", n.activities, "事業・募集") +
         card("/admin/organizations", n.organizations, "団体") + card("/admin/centres", n.centres, "センター") +
         card("/admin/surveys", n.surveys, "アンケート") + card("/admin/fleet", n.devices - n.devices_revoked, "稼働中のキオスク") +
         "</div><p class=\"muted\">カタログ版数 " + std::to_string(n.catalog_version) +
         "（変更するとキオスクは次回の同期で受け取ります）</p>";

    // Upcoming activities with sign-ups.
    b += "<h2>申込みのある今後の行事</h2><table><thead><tr><th>日時</th><th>名称</th><th>会場</th><th class=\"num\">定員</th>"
         "<th class=\"num\">確定</th><th></th></tr></thead><tbody>";
    const std::string today = jst_today();
    int shown = 0;
    std::vector<const Json*> acts;
    for (const Json& a : cat["activities"])
        if (a.value("capacity", 0) > 0 && str(a, "starts_at").substr(0, 10) >= today) acts.push_back(&a);
    std::sort(acts.begin(), acts.end(), [](const Json* x, const Json* y) { return str(*x, "starts_at") < str(*y, "starts_at"); });
    for (const Json* a : acts) {
        if (++shown > 8) break;
        b += "<tr><td>" + esc(format_date_ja(str(*a, "starts_at"))) + "</td><td>" + esc(str(*a, "title")) + "</td><td>" +
             esc(centre_name(cat, str(*a, "centre_id"))) + "</td><td class=\"num\">" + std::to_string(a->value("capacity", 0)) +
             "</td><td class=\"num\">" + std::to_string(a->value("taken", 0)) + "</td><td><a href=\"/admin/roster/" +
             url_encode(str(*a, "id")) + "\">名簿</a></td></tr>";
    }
    b += "</tbody></table>";
    send_html(res, 200, page(c, "ホーム", b, "/admin"));
}

void fleet(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    std::string b = flash(req);
    b += "<p>各センターのキオスクの状態です。最終接続が1日以上前、または未送信件数があるものは確認してください。</p>"
         "<table><thead><tr><th>キオスク</th><th>センター</th><th>最終接続</th><th>アプリ版</th><th class=\"num\">未送信（最終同期時）</th>"
         "<th>状態</th><th class=\"noprint\"></th></tr></thead><tbody>";
    for (const Device& d : app.st.devices()) {
        std::string state = d.revoked ? "<span class=\"status revoked\">停止</span>"
                            : stale(d) ? "<span class=\"status stale\">要確認</span>"
                                       : "<span class=\"status active\">稼働中</span>";
        b += "<tr><td>" + esc(d.kiosk_id) + "</td><td>" + esc(centre_name(cat, d.centre_id)) + "</td><td>" +
             esc(d.last_seen_at.empty() ? "未接続" : jst_datetime(d.last_seen_at) + "（" + ago_ja(d.last_seen_at) + "）") +
             "</td><td>" + esc(d.app_version.empty() ? "—" : d.app_version) + "</td><td class=\"num\">" +
             std::to_string(d.backlog) + "</td><td>" + state + "</td><td class=\"noprint\">";
        if (c.role >= Role::Admin && !d.revoked)
            b += "<form class=\"inline\" method=\"post\" action=\"/admin/fleet/revoke\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"kiosk\" value=\"" + esc(d.kiosk_id) +
                 "\"><button class=\"danger\">停止する</button></form>";
        b += "</td></tr>";
    }
    b += "</tbody></table>";
    if (c.role >= Role::Admin) {
        b += "<h2>キオスクを登録する</h2><form class=\"inline\" method=\"post\" action=\"/admin/fleet/enrol\">" + csrf_field(c) +
             "<label>キオスクID <input name=\"kiosk\" required pattern=\"[A-Za-z0-9_.-]{1,64}\" placeholder=\"ohdono-1\"></label>"
             "<label>センター <select name=\"centre\">";
        for (const Json& ce : cat["centres"])
            b += "<option value=\"" + esc(str(ce, "id")) + "\">" + esc(str(ce, "name")) + "</option>";
        b += "</select></label><button class=\"primary\">登録して鍵を発行</button></form>"
             "<p class=\"hint\">登録済みのIDで再登録すると新しい鍵が発行され、古い鍵は使えなくなります。</p>";
    }
    if (c.role >= Role::Editor) {
        b += "<h2>USBの同期ファイルを取り込む</h2><p>ネットワークが使えないとき、キオスクの職員メニューで書き出した同期ファイル"
             "（<code>kyodo-bundle/1</code>）をここで取り込みます。同じファイルを2回取り込んでも、二重には登録されません。</p>"
             "<form class=\"inline\" method=\"post\" action=\"/admin/fleet/import\" enctype=\"multipart/form-data\">" +
             csrf_field(c) + "<input type=\"file\" name=\"bundle\" accept=\".json,application/json\" required>"
             "<button class=\"primary\">取り込む</button></form>";
    }
    send_html(res, 200, page(c, "キオスク", b, "/admin/fleet"));
}

void audit_page(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    std::string b = "<p>個人情報の閲覧・出力、ログイン、公開情報の変更の記録です（新しい順、最大1000件）。</p><table><thead><tr>"
                    "<th>日時</th><th>職員</th><th>操作</th><th>対象</th><th>内容</th></tr></thead><tbody>";
    for (const AuditEntry& e : app.st.admin().audit_log(1000))
        b += "<tr><td>" + esc(jst_datetime(e.at)) + "</td><td>" + esc(e.user) + "</td><td>" + esc(e.action) + "</td><td>" +
             esc(e.target) + "</td><td>" + esc(e.detail) + "</td></tr>";
    b += "</tbody></table><p><a class=\"button\" href=\"/admin/export/audit.csv\">CSVで出力</a></p>";
    send_html(res, 200, page(c, "監査ログ", b));
}

// The departments the register knows (担当課 of any year's projects), offered when adding an account.
std::string department_list(App& app) {
    std::set<std::string> d;
    for (const Project& p : app.st.civic().projects(0))
        if (!p.department.empty()) d.insert(p.department);
    std::string o = "<datalist id=\"departments\">";
    for (const auto& x : d) o += "<option value=\"" + esc(x) + "\">";
    return o + "</datalist>";
}

void staff_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto depts = app.st.civic().staff_departments();
    std::string b = flash(req) + "<table><thead><tr><th>職員ID</th><th>権限</th><th>担当課</th><th>登録日</th><th>状態</th></tr></thead><tbody>";
    for (const StaffUser& u : app.st.admin().staff_list()) {
        const auto d = depts.find(u.user);
        b += "<tr><td>" + esc(u.user) + "</td><td>" + esc(role_label(u.role)) + "</td><td>" +
             esc(u.role == "department" && d != depts.end() ? d->second : "—") + "</td><td>" + esc(jst_datetime(u.created_at)) +
             "</td><td>" + (u.disabled ? "無効" : "有効") + "</td></tr>";
    }
    b += "</tbody></table>";
    std::string locked;
    for (const StaffUser& u : app.st.admin().staff_list())
        if (const int n = app.throttle.failures("login:" + u.user); n > 0)
            locked += "<li>" + esc(u.user) + "（失敗 " + std::to_string(n) + " 回）<form method=\"post\" action=\"/admin/staff/unlock\" class=\"inline\">" +
                      csrf_field(c) + "<input type=\"hidden\" name=\"user\" value=\"" + esc(u.user) +
                      "\"><button>待ち時間を解除</button></form></li>";
    if (!locked.empty()) b += "<h2>ログインに失敗が続いているアカウント</h2><ul class=\"plain\">" + locked + "</ul>";
    b += "<h2>職員を追加・変更する</h2><form class=\"stack\" method=\"post\" action=\"/admin/staff\">" +
         csrf_field(c) +
         "<label>職員ID<input name=\"user\" required></label><label>権限<select name=\"role\">"
         "<option value=\"department\">担当課（自課の実績調査だけ）</option>"
         "<option value=\"viewer\" selected>閲覧者（見るだけ）</option><option value=\"editor\">編集者（公開・対応）</option>"
         "<option value=\"admin\">管理者（職員・キオスク管理）</option></select></label>"
         "<label>担当課（権限が「担当課」のとき）<input name=\"department\" maxlength=\"200\" list=\"departments\"></label>" +
         department_list(app) +
         "<label>新しいパスワード（10文字以上）<input type=\"password\" name=\"password\" autocomplete=\"new-password\" required></label>"
         "<label><span><input type=\"checkbox\" name=\"disabled\" value=\"1\"> このアカウントを無効にする</span></label>"
         "<button class=\"primary\">保存</button></form>";
    send_html(res, 200, page(c, "職員アカウント", b));
}

}  // namespace

void install_dashboard(App& app, httplib::Server& svr) {
    app.get(svr, "/admin", Role::Department, [&app](Ctx& c, const auto& q, auto& r) { home(app, c, q, r); });   // departments: redirected to /admin/survey
    app.get(svr, "/admin/fleet", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { fleet(app, c, q, r); });
    app.get(svr, "/admin/audit", Role::Admin, [&app](Ctx& c, const auto& q, auto& r) { audit_page(app, c, q, r); });
    app.get(svr, "/admin/staff", Role::Admin, [&app](Ctx& c, const auto& q, auto& r) { staff_page(app, c, q, r); });

    app.post(svr, "/admin/staff", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        try {
            add_staff(app.st, c.form["user"], c.form["role"], c.form["password"], c.form["department"]);
            if (c.form["disabled"] == "1") {
                auto u = app.st.admin().staff(c.form["user"]);
                u->disabled = true;
                app.st.admin().put_staff(*u);
            }
        } catch (const std::invalid_argument& e) {
            return redirect(res, "/admin/staff?msg=" + url_encode(std::string("保存できません: ") + e.what()));
        }
        // A new password (or a disabled account) ends every session the account had.
        app.st.admin().delete_sessions_of(c.form["user"]);
        app.audit(c, "staff_update", c.form["user"],
                  c.form["role"] + (c.form["role"] == "department" ? " " + trim(c.form["department"]) : "") +
                      (c.form["disabled"] == "1" ? " disabled" : ""));
        redirect(res, "/admin/staff?msg=" + url_encode("保存しました: " + c.form["user"]));
    });

    // Lets an account whose logins are being delayed (failed attempts) log in again at once.
    app.post(svr, "/admin/staff/unlock", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string user = c.form["user"];
        app.throttle.clear("login:" + user);
        app.audit(c, "staff_unlock", user, "");
        redirect(res, "/admin/staff?msg=" + url_encode("ログインの待ち時間を解除しました: " + user));
    });

    app.post(svr, "/admin/fleet/enrol", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string kiosk = c.form["kiosk"], centre = c.form["centre"];
        std::string token;
        try {
            token = enrol_kiosk(app.st, kiosk, centre);
        } catch (const AdminError& e) {
            return redirect(res, "/admin/fleet?msg=" + url_encode(std::string("登録できません: ") + e.what()));
        }
        app.audit(c, "enrol_kiosk", kiosk, centre);
        const Json cfg = kiosk_config_json(kiosk, centre, app.opts.server_url.empty() ? "https://CITY-HALL-SERVER" : app.opts.server_url,
                                           token, app.keys.public_key_b64, "kiosk.db");
        std::string b = "<p class=\"notice\">キオスク <strong>" + esc(kiosk) + "</strong> を登録しました。</p>"
                        "<p class=\"warn\">この鍵は今だけ表示されます（サーバーには鍵のハッシュしか残りません）。</p>"
                        "<h2>デバイス鍵</h2><p class=\"token\">" + esc(token) + "</p>"
                        "<h2>kiosk.json</h2><p>キオスクの設定ファイルとして保存してください（ファイル権限 600）。</p>"
                        "<pre class=\"token\">" + esc(cfg.dump(2)) + "</pre><p><a href=\"/admin/fleet\">キオスク一覧へ戻る</a></p>";
        send_html(res, 200, page(c, "キオスクを登録しました", b, "/admin/fleet"));
    });

    app.post(svr, "/admin/fleet/revoke", Role::Admin, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string kiosk = c.form["kiosk"];
        if (!app.st.revoke_device(kiosk, rfc3339_now()))
            return redirect(res, "/admin/fleet?msg=" + url_encode("キオスク " + kiosk + " は登録されていません"));
        app.audit(c, "revoke_kiosk", kiosk, "");
        redirect(res, "/admin/fleet?msg=" + url_encode("キオスク " + kiosk + " を停止しました。再登録するまで同期できません。"));
    });

    app.post(svr, "/admin/fleet/import", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        if (!req.has_file("bundle")) return redirect(res, "/admin/fleet?msg=" + url_encode("ファイルが選ばれていません"));
        const auto file = req.get_file_value("bundle");
        IngestResult r;
        try {
            r = import_bundle(app.st, app.keys, file.content);
        } catch (const std::invalid_argument& e) {
            return redirect(res, "/admin/fleet?msg=" + url_encode(std::string("取り込めません: ") + e.what()));
        }
        const std::string summary = "新規 " + std::to_string(r.stored) + " 件、取込済み " + std::to_string(r.duplicate) +
                                    " 件、不受理 " + std::to_string(r.rejected) + " 件、競合 " + std::to_string(r.conflict) + " 件";
        app.audit(c, "import_bundle", file.filename, summary);
        std::string b = "<p class=\"notice\">" + esc(file.filename) + " を取り込みました: " + esc(summary) + "</p>";
        if (r.rejected || r.conflict) {
            b += "<h2>受け付けなかった記録</h2><table><thead><tr><th>ID</th><th>結果</th><th>理由</th></tr></thead><tbody>";
            for (const auto& a : r.answers)
                if (a.result == "rejected" || a.result == "conflict")
                    b += "<tr><td>" + esc(a.id) + "</td><td>" + esc(a.result) + "</td><td>" + esc(a.code + ": " + a.message) +
                         "</td></tr>";
            b += "</tbody></table>";
        }
        b += "<p><a href=\"/admin/fleet\">キオスク一覧へ戻る</a></p>";
        send_html(res, 200, page(c, "同期ファイルの取り込み", b, "/admin/fleet"));
    });
}

}  // namespace kyodo::server::web
