// Group registration as centre staff work with it (/admin/groups, docs/groups.md): the
// applications made at the kiosks (利用登録), filtered by state, kind, field and centre; each
// pending one approved (it gets the next registration number and is published to the catalog's
// organizations: the public directory, without the representative) or returned with a reason;
// CSV for Excel. The representative is kept sealed in the database and opened here with city
// hall's key, so the page and the CSV need an editor and are audit-logged.
#include "core/groups.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "server/groups.h"
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

const char* state_ja(const std::string& s) {
    return s == "approved" ? "登録済み" : s == "returned" ? "差し戻し" : "審査待ち";
}

std::string list(const Json& payload, const char* key) {
    std::string out;
    if (payload.contains(key) && payload[key].is_array())
        for (const auto& x : payload[key])
            if (x.is_string()) out += (out.empty() ? "" : "、") + x.get<std::string>();
    return out;
}

std::string members(const Json& p) {
    auto it = p.find("members");
    return it != p.end() && it->is_number_integer() ? std::to_string(it->get<std::int64_t>()) : "";
}

GroupQuery query_of(const httplib::Request& req) {
    return {req.get_param_value("state"), req.get_param_value("kind"), req.get_param_value("field"),
            req.get_param_value("centre")};
}

std::string query_string(const GroupQuery& q) {
    std::string s;
    const std::pair<const char*, const std::string*> kv[] = {
        {"state", &q.state}, {"kind", &q.kind}, {"field", &q.field}, {"centre", &q.centre}};
    for (const auto& [k, v] : kv)
        if (!v->empty()) s += std::string(s.empty() ? "?" : "&") + k + "=" + url_encode(*v);
    return s;
}

// The representative, opened from the sealed box (nothing when it does not open).
Personal representative(const App& app, const GroupApplication& g) {
    if (g.sealed.empty()) return {};
    auto p = open_personal(g.sealed, app.keys);
    return p ? *p : Personal{};
}

void groups_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const GroupQuery q = query_of(req);
    const auto found = search_groups(app.st.groups(), q);
    std::string b = flash(req);
    b += "<p>キオスクで申請された団体の利用登録です。承認すると登録番号が付き、団体名・種類・分野・紹介文が団体名簿"
         "（キオスクの「団体を知る」）に載ります（代表者は載りません）。差し戻すときは理由を書き、代表者に連絡してください。</p>";

    Opts states{{"", "状態: すべて"}, {"pending", "審査待ち"}, {"approved", "登録済み"}, {"returned", "差し戻し"}};
    Opts kinds{{"", "種類: すべて"}};
    for (const auto& t : groups::group_kinds()) kinds.emplace_back(t.code, t.ja);
    Opts fields{{"", "分野: すべて"}};
    for (const auto& f : standard_fields()) fields.emplace_back(f, f);
    Opts centres{{"", "センター: すべて"}};
    if (cat.contains("centres"))
        for (const auto& ce : cat["centres"]) centres.emplace_back(str(ce, "id"), str(ce, "name"));
    b += "<form method=\"get\" action=\"/admin/groups\" class=\"filters\" id=\"groups-filter\">" + sel("state", states, q.state) +
         sel("kind", kinds, q.kind) + sel("field", fields, q.field) + sel("centre", centres, q.centre) +
         "<button>絞り込む</button> <a href=\"/admin/groups.csv" + esc(query_string(q)) + "\">CSV（この条件）</a></form>";

    b += "<h2>申請 " + std::to_string(found.size()) + " 件</h2><table id=\"groups\"><thead><tr><th>受付番号</th><th>団体名</th>"
         "<th>種類</th><th>分野</th><th>会員数</th><th>活動の拠点</th><th>代表者（ふりがな）</th><th>連絡先</th><th>受信</th>"
         "<th>状態</th><th>登録番号・理由</th><th>審査</th></tr></thead><tbody>";
    for (const GroupApplication& g : found) {
        const Personal rep = representative(app, g);
        std::string contact = rep.phone;
        if (!rep.email.empty()) contact += (contact.empty() ? "" : " / ") + rep.email;
        const std::string home = str(g.payload, "centre_id");
        b += "<tr data-receipt=\"" + esc(g.receipt) + "\" data-state=\"" + esc(g.state) + "\"><td>" + esc(g.receipt) +
             "</td><td>" + esc(str(g.payload, "name")) + "</td><td>" + esc(groups::kind_label_ja(str(g.payload, "kind"))) +
             "</td><td>" + esc(list(g.payload, "fields")) + "</td><td>" + esc(members(g.payload)) + "</td><td>" +
             esc(home.empty() ? "" : centre_name(cat, home)) + "</td><td>" + esc(rep.name) + "（" + esc(rep.furigana) +
             "）</td><td>" + esc(contact) + "</td><td>" + esc(jst_datetime(g.received_at)) + "</td><td>" + state_ja(g.state) +
             "</td><td>";
        if (g.state == "approved") b += "<strong>" + esc(g.number) + "</strong>";
        else if (g.state == "returned") b += esc(g.reason);
        b += "</td><td>";
        if (g.state == "pending") {
            b += "<form method=\"post\" action=\"/admin/groups/approve\" class=\"approve\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"id\" value=\"" + esc(g.id) + "\"><button>承認する</button></form>"
                 "<form method=\"post\" action=\"/admin/groups/return\" class=\"return\">" + csrf_field(c) +
                 "<input type=\"hidden\" name=\"id\" value=\"" + esc(g.id) +
                 "\"><input name=\"reason\" placeholder=\"差し戻しの理由\" required><button>差し戻す</button></form>";
        } else {
            b += esc(g.decided_by) + " " + esc(jst_datetime(g.decided_at));
        }
        b += "</td></tr>";
        if (!str(g.payload, "description").empty())
            b += "<tr class=\"sub\"><td></td><td colspan=\"11\" class=\"text\">" + esc(str(g.payload, "description")) +
                 "</td></tr>";
    }
    if (found.empty()) b += "<tr><td colspan=\"12\" class=\"muted\">条件に合う申請はありません。</td></tr>";
    b += "</tbody></table>";
    app.audit(c, "view_groups", "groups", std::to_string(found.size()) + " applications");
    send_html(res, 200, page(c, "団体の利用登録", b, "/admin/groups"));
}

void groups_csv(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const GroupQuery q = query_of(req);
    Csv csv;
    csv.row({"受付番号", "状態", "登録番号", "団体名", "よみがな", "種類", "分野", "会員数", "活動の拠点", "紹介文",
             "代表者", "代表者ふりがな", "電話", "メール", "申請センター", "受信", "差し戻しの理由", "審査した職員", "審査日時"});
    const auto found = search_groups(app.st.groups(), q);
    for (const GroupApplication& g : found) {
        const Personal rep = representative(app, g);
        const std::string home = str(g.payload, "centre_id");
        csv.row({g.receipt, state_ja(g.state), g.number, str(g.payload, "name"), str(g.payload, "kana"),
                 groups::kind_label_ja(str(g.payload, "kind")), list(g.payload, "fields"), members(g.payload),
                 home.empty() ? "" : centre_name(cat, home), str(g.payload, "description"), rep.name, rep.furigana,
                 rep.phone, rep.email, centre_name(cat, g.centre_id), jst_datetime(g.received_at), g.reason, g.decided_by,
                 jst_datetime(g.decided_at)});
    }
    app.audit(c, "export_groups", "groups.csv", std::to_string(found.size()) + " applications");
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"groups.csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
}

std::string form_value(const Ctx& c, const char* key) {
    auto it = c.form.find(key);
    return it == c.form.end() ? "" : it->second;
}

}  // namespace

void install_groups(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/groups", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { groups_page(app, c, q, r); });
    app.get(svr, "/admin/groups.csv", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { groups_csv(app, c, q, r); });
    app.post(svr, "/admin/groups/approve", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "id");
        const std::string number = app.st.groups().approve(id, c.s.user, rfc3339_now());
        if (number.empty()) return deny(c, res, "この申請は見つからないか、すでに審査済みです。");
        const auto g = app.st.groups().application(id);
        // The directory entry: the kiosks show the group and its number after their next pull.
        CatalogDelta d;
        d.organizations.push_back(group_organization(*g));
        const std::int64_t v = app.st.import_catalog(d);
        app.audit(c, "approve_group", id,
                  g->receipt + " → 登録番号 " + number + "（団体名簿に掲載、catalog version " + std::to_string(v) + "）");
        redirect(res, "/admin/groups?msg=" +
                          url_encode("「" + str(g->payload, "name") + "」を承認しました。登録番号 " + number + "。"));
    });
    app.post(svr, "/admin/groups/return", Role::Editor, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        const std::string id = form_value(c, "id"), reason = form_value(c, "reason");
        if (reason.empty()) return deny(c, res, "差し戻しの理由を書いてください。");
        if (!app.st.groups().return_application(id, reason, c.s.user, rfc3339_now()))
            return deny(c, res, "この申請は見つからないか、すでに審査済みです。");
        const auto g = app.st.groups().application(id);
        app.audit(c, "return_group", id, g->receipt + " 差し戻し: " + reason);
        redirect(res, "/admin/groups?msg=" + url_encode("「" + str(g->payload, "name") + "」を差し戻しました。"));
    });
}

}  // namespace kyodo::server::web
