// Check-in at the venue (docs/dashboard.md, "Check-in"). City hall issues a per-activity secret
// link on the roster page and hands it to the organiser; the link opens /p/checkin/<token> on a
// phone: the confirmed sign-ups with a large 到着 button each. Ticks are the same attendance the
// roster shows (AdminStorage::set_attendance) and the yearly report counts. Only the token's
// SHA-256 is stored, so the URL is shown once, when issued; re-issuing replaces it and 無効にする
// ends it at once. Every view and tick is in the audit log (the page shows residents' names).
#include <sodium.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/seal.h"
#include "core/timeutil.h"
#include "server/web/app.h"

namespace kyodo::server::web {

namespace {

// The form's CSRF equivalent: bound to the link, signed with the per-process secret, 12 hours.
std::string tick_token(const App& app, const std::string& token_hash) {
    const std::string exp = std::to_string(now_millis() + 12LL * 3600 * 1000);
    return exp + "." + public_sign(app, "checkin|" + token_hash + "|" + exp);
}

bool tick_token_ok(const App& app, const std::string& tok, const std::string& token_hash) {
    const auto dot = tok.find('.');
    if (dot == std::string::npos) return false;
    const std::string exp = tok.substr(0, dot), mac = tok.substr(dot + 1);
    std::int64_t e = 0;
    try {
        e = std::stoll(exp);
    } catch (const std::exception&) {
        return false;
    }
    if (e < now_millis()) return false;
    const std::string want = public_sign(app, "checkin|" + token_hash + "|" + exp);
    return want.size() == mac.size() && sodium_memcmp(want.data(), mac.data(), mac.size()) == 0;
}

const char* const kInvalid =
    "<h1>このリンクは使えません</h1><p>受付用のリンクが取り消されたか、URLが違います。"
    "市の担当課（協働推進課）に新しいリンクを依頼してください。</p>";

// The live link and its activity for the token in the URL, or answers 404 (and counts the
// failure per address, so URLs cannot be guessed at speed).
std::optional<std::pair<CheckinLink, Json>> resolve(App& app, const httplib::Request& req, httplib::Response& res,
                                                    const std::string& token) {
    // Growing delays per address after failed tokens (the receipt page's rule), not a lockout.
    const std::string who = "checkin-ip:" + req.remote_addr;
    const std::int64_t now = now_millis();
    if (const std::int64_t wait = app.throttle.wait_ms(who, app.rule(limits::kReceiptAddress), now); wait > 0) {
        res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
        send_html(res, 429, phone_page("しばらくお待ちください", "<h1>しばらくお待ちください</h1><p>少し待ってからもう一度お試しください。</p>"));
        return std::nullopt;
    }
    auto link = app.st.admin().checkin_link_by_token(sha256_hex(token));
    const Json cat = app.catalog();
    const Json* a = link ? find_by_id(cat["activities"], link->activity_id) : nullptr;
    if (!link || !a) {
        app.throttle.fail(who, app.rule(limits::kReceiptAddress), now);
        send_html(res, 404, phone_page("当日受付", kInvalid));
        return std::nullopt;
    }
    return std::make_pair(*link, *a);
}

void checkin_page(App& app, httplib::Response& res, const CheckinLink& link, const Json& a, const std::string& token,
                  const std::string& notice) {
    const auto rows = app.st.admin().records(RecordQuery{"sign_up", link.activity_id, "", "", "", 100000});
    int people = 0, arrived = 0, groups = 0;
    for (const auto& r : rows) {
        if (r.rec.signup_status != "confirmed") continue;
        ++groups;
        people += std::max(1, r.party_size);
        if (r.attended == 1) arrived += std::max(1, r.party_size);
    }
    std::string when = format_date_ja(str(a, "starts_at"));
    std::string b = "<p class=\"muted\">当日受付</p><h1>" + esc(str(a, "title")) + "</h1><p>" + esc(when) + "　" +
                    esc(str(a, "place")) + "</p>";
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    b += "<p class=\"big-status\" id=\"count\">到着 " + std::to_string(arrived) + " / " + std::to_string(people) + " 人</p>";
    b += "<p class=\"muted\">来られた方の「到着」を押してください。押し間違えたら「取り消す」で戻せます。"
         "キャンセル待ちの方は表示していません。</p><ul class=\"checkin\">";
    const std::string tok = tick_token(app, link.token_hash);
    for (const auto& r : rows) {
        if (r.rec.signup_status != "confirmed") continue;
        const Json p = personal_of(r);
        const bool here = r.attended == 1;
        b += "<li id=\"r-" + esc(r.rec.receipt) + "\" class=\"" + (here ? "here" : "") + "\"><div><strong>" + esc(str(p, "name")) +
             "</strong><br><span class=\"muted\">" + esc(str(p, "furigana")) + "　" + std::to_string(r.party_size) +
             " 人<br>受付番号 " + esc(r.rec.receipt) + "</span></div><form method=\"post\" action=\"/p/checkin/" + esc(token) +
             "\"><input type=\"hidden\" name=\"record\" value=\"" + esc(r.rec.id) + "\"><input type=\"hidden\" name=\"t\" value=\"" +
             esc(tok) + "\">" +
             (here ? "<span class=\"status confirmed\">到着済み</span><button name=\"attended\" value=\"0\">取り消す</button>"
                   : "<button class=\"primary\" name=\"attended\" value=\"1\">到着</button>") +
             "</form></li>";
    }
    if (groups == 0) b += "<li class=\"muted\">参加が確定した申込みはまだありません。</li>";
    b += "</ul><p class=\"muted\">この画面は市の協働推進課が発行した受付用リンクです。ほかの人に渡さないでください。</p>";
    send_html(res, 200, phone_page("当日受付 " + str(a, "title"), b));
}

}  // namespace

std::string checkin_panel(App& app, const Ctx& c, const std::string& activity_id, const std::string& new_url) {
    const auto link = app.st.admin().checkin_link(activity_id);
    const bool live = link && !link->revoked;
    std::string b = "<div class=\"panel noprint\" id=\"checkin\"><strong>当日受付（スマートフォン）</strong><br>";
    if (!new_url.empty())
        b += "<p class=\"notice\">受付用リンクを発行しました。主催者に渡してください（この画面を離れると二度と表示できません）:<br>"
             "<code class=\"url\">" + esc(new_url) + "</code></p>";
    b += live ? "受付用リンク: 発行済み（" + esc(jst_datetime(link->created_at)) + "、" + esc(link->created_by) + "）"
              : std::string(link ? "受付用リンク: 無効（" + esc(jst_datetime(link->revoked_at)) + "に取り消し）" : "受付用リンク: 未発行");
    if (c.role >= Role::Editor) {
        const std::string action = "/admin/roster/" + url_encode(activity_id) + "/checkin-link";
        b += "<form class=\"inline\" method=\"post\" action=\"" + action + "\">" + csrf_field(c) +
             "<button name=\"op\" value=\"issue\">" + (live ? "再発行する（前のリンクは使えなくなります）" : "発行する") + "</button>";
        if (live) b += "<button class=\"danger\" name=\"op\" value=\"revoke\">無効にする</button>";
        b += "</form>";
    }
    return b + "</div>";
}

void install_checkin(App& app, httplib::Server& svr) {
    app.get(svr, R"(/p/checkin/([A-Za-z0-9_-]{16,100}))", Role::Public, [&app](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        Ctx anon;
        app.audit(anon, "checkin_view", r->first.activity_id, "phone link");
        checkin_page(app, res, r->first, r->second, token, req.has_param("msg") ? req.get_param_value("msg") : "");
    });
    svr.Post(R"(/p/checkin/([A-Za-z0-9_-]{16,100}))", [&app](const httplib::Request& req, httplib::Response& res) {
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        auto f = parse_form(req.body);
        if (!same_origin(req) || !tick_token_ok(app, f["t"], r->first.token_hash))
            return checkin_page(app, res, r->first, r->second, token, "画面の有効期限が切れました。もう一度押してください。");
        bool ok = false;
        std::string receipt;
        for (const auto& x : app.st.admin().records(RecordQuery{"sign_up", r->first.activity_id, "", "", "", 100000}))
            if (x.rec.id == f["record"] && x.rec.signup_status == "confirmed") {
                ok = app.st.admin().set_attendance(x.rec.id, f["attended"] == "1" ? 1 : 0, "(checkin link)", rfc3339_now());
                receipt = x.rec.receipt;
            }
        if (!ok) return checkin_page(app, res, r->first, r->second, token, "この申込みは見つかりません（取り消された可能性があります）。");
        Ctx anon;
        app.audit(anon, f["attended"] == "1" ? "checkin_arrived" : "checkin_undo", receipt, r->first.activity_id);
        redirect(res, "/p/checkin/" + token + "#r-" + receipt);
    });
    app.post(svr, R"(/admin/roster/([^/]+)/checkin-link)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const Json cat = app.catalog();
        if (!find_by_id(cat["activities"], id)) return not_found(c, res, "事業 " + id + " はありません。");
        if (c.form["op"] == "revoke") {
            const bool done = app.st.admin().revoke_checkin_link(id, rfc3339_now());
            app.audit(c, "revoke_checkin_link", id, "");
            return redirect(res, "/admin/roster/" + url_encode(id) + "?msg=" +
                                     url_encode(done ? "受付用リンクを無効にしました。" : "有効な受付用リンクはありません。"));
        }
        const std::string token = random_token(24);
        app.st.admin().put_checkin_link(CheckinLink{id, sha256_hex(token), rfc3339_now(), c.s.user, false, ""});
        app.audit(c, "issue_checkin_link", id, "");
        // Shown once, in this answer (not in a redirect URL, which would land in logs and history).
        const std::string url = app.opts.server_url + "/p/checkin/" + token;
        std::string b = "<p><a href=\"/admin/roster/" + url_encode(id) + "\">名簿に戻る</a></p>" + checkin_panel(app, c, id, url);
        send_html(res, 200, page(c, "当日受付のリンク", b, "/admin/activities"));
    });
}

}  // namespace kyodo::server::web
