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
#include "server/web/text.h"

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

std::string invalid_page() {
    return "<h1>" + esc(tr("checkin.invalid.title")) + "</h1><p>" + esc(tr("checkin.invalid.text")) + "</p>";
}

// The live link and its activity for the token in the URL, or answers 404 (and counts the
// failure per address, so URLs cannot be guessed at speed).
std::optional<std::pair<CheckinLink, Json>> resolve(App& app, const httplib::Request& req, httplib::Response& res,
                                                    const std::string& token) {
    // Growing delays per address after failed tokens (the receipt page's rule), not a lockout.
    const std::string who = "checkin-ip:" + req.remote_addr;
    const std::int64_t now = now_millis();
    if (const std::int64_t wait = app.throttle.wait_ms(who, app.rule(limits::kReceiptAddress), now); wait > 0) {
        res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
        send_html(res, 429, phone_page(tr("checkin.wait.title"), "<h1>" + esc(tr("checkin.wait.title")) + "</h1><p>" +
                                                                     esc(tr("checkin.wait.text")) + "</p>"));
        return std::nullopt;
    }
    auto link = app.st.admin().checkin_link_by_token(sha256_hex(token));
    const Json cat = app.catalog();
    const Json* a = link ? find_by_id(cat["activities"], link->activity_id) : nullptr;
    if (!link || !a) {
        app.throttle.fail(who, app.rule(limits::kReceiptAddress), now);
        send_html(res, 404, phone_page(tr("checkin.title"), invalid_page()));
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
    std::string when = date_label(str(a, "starts_at"));
    std::string b = "<p class=\"muted\">" + esc(tr("checkin.title")) + "</p><h1>" + esc(str(a, "title")) + "</h1><p>" +
                    esc(trf("checkin.when_place", {{"when", when}, {"place", str(a, "place")}})) + "</p>";
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    b += "<p class=\"big-status\" id=\"count\">" +
         esc(trf("checkin.count", {{"arrived", std::to_string(arrived)}, {"people", std::to_string(people)}})) + "</p>";
    b += "<p class=\"muted\">" + esc(tr("checkin.intro")) + "</p><ul class=\"checkin\">";
    const std::string tok = tick_token(app, link.token_hash);
    for (const auto& r : rows) {
        if (r.rec.signup_status != "confirmed") continue;
        const Json p = personal_of(r);
        const bool here = r.attended == 1;
        b += "<li id=\"r-" + esc(r.rec.receipt) + "\" class=\"" + (here ? "here" : "") + "\"><div><strong>" + esc(str(p, "name")) +
             "</strong><br><span class=\"muted\">" +
             esc(trf("checkin.kana_party", {{"kana", str(p, "furigana")}, {"n", std::to_string(r.party_size)}})) + "<br>" +
             esc(trf("checkin.receipt", {{"receipt", r.rec.receipt}})) + "</span></div><form method=\"post\" action=\"/p/checkin/" +
             esc(token) +
             "\"><input type=\"hidden\" name=\"record\" value=\"" + esc(r.rec.id) + "\"><input type=\"hidden\" name=\"t\" value=\"" +
             esc(tok) + "\">" +
             (here ? "<span class=\"status confirmed\">" + esc(tr("checkin.arrived")) + "</span><button name=\"attended\" value=\"0\">" +
                         esc(tr("checkin.undo")) + "</button>"
                   : "<button class=\"primary\" name=\"attended\" value=\"1\">" + esc(tr("checkin.arrive")) + "</button>") +
             "</form></li>";
    }
    if (groups == 0) b += "<li class=\"muted\">" + esc(tr("checkin.none")) + "</li>";
    b += "</ul><p class=\"muted\">" + esc(tr("checkin.footer")) + "</p>";
    send_html(res, 200, phone_page(trf("checkin.page_title", {{"title", str(a, "title")}}), b));
}

}  // namespace

std::string checkin_panel(App& app, const Ctx& c, const std::string& activity_id, const std::string& new_url) {
    const auto link = app.st.admin().checkin_link(activity_id);
    const bool live = link && !link->revoked;
    std::string b = "<div class=\"panel noprint\" id=\"checkin\"><strong>" + esc(tr("checkin.panel.title")) + "</strong><br>";
    if (!new_url.empty())
        b += "<p class=\"notice\">" + esc(tr("checkin.panel.issued")) + "<br><code class=\"url\">" + esc(new_url) + "</code></p>";
    b += esc(live ? trf("checkin.panel.live", {{"at", jst_datetime(link->created_at)}, {"by", link->created_by}})
             : link ? trf("checkin.panel.revoked", {{"at", jst_datetime(link->revoked_at)}})
                    : tr("checkin.panel.none"));
    if (c.role >= Role::Editor) {
        const std::string action = "/admin/roster/" + url_encode(activity_id) + "/checkin-link";
        b += "<form class=\"inline\" method=\"post\" action=\"" + action + "\">" + csrf_field(c) +
             "<button name=\"op\" value=\"issue\">" + esc(tr(live ? "checkin.panel.reissue" : "checkin.panel.issue")) + "</button>";
        if (live) b += "<button class=\"danger\" name=\"op\" value=\"revoke\">" + esc(tr("checkin.panel.revoke")) + "</button>";
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
        const LangScope lang(lang_of(req));   // registered on svr directly, not through App::post
        const std::string token = req.matches[1];
        auto r = resolve(app, req, res, token);
        if (!r) return;
        auto f = parse_form(req.body);
        if (!same_origin(req) || !tick_token_ok(app, f["t"], r->first.token_hash))
            return checkin_page(app, res, r->first, r->second, token, tr("checkin.err.expired"));
        bool ok = false;
        std::string receipt;
        for (const auto& x : app.st.admin().records(RecordQuery{"sign_up", r->first.activity_id, "", "", "", 100000}))
            if (x.rec.id == f["record"] && x.rec.signup_status == "confirmed") {
                ok = app.st.admin().set_attendance(x.rec.id, f["attended"] == "1" ? 1 : 0, "(checkin link)", rfc3339_now());
                receipt = x.rec.receipt;
            }
        if (ok) app.changed();   // the sign-ups export shows attendance
        if (!ok) return checkin_page(app, res, r->first, r->second, token, tr("checkin.err.not_found"));
        Ctx anon;
        app.audit(anon, f["attended"] == "1" ? "checkin_arrived" : "checkin_undo", receipt, r->first.activity_id);
        redirect(res, "/p/checkin/" + token + "#r-" + receipt);
    });
    app.post(svr, R"(/admin/roster/([^/]+)/checkin-link)", Role::Editor, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        const Json cat = app.catalog();
        if (!find_by_id(cat["activities"], id)) return not_found(c, res, trf("checkin.err.no_activity", {{"id", id}}));
        if (c.form["op"] == "revoke") {
            const bool done = app.st.admin().revoke_checkin_link(id, rfc3339_now());
            app.audit(c, "revoke_checkin_link", id, "");
            return redirect(res, "/admin/roster/" + url_encode(id) + "?msg=" +
                                     url_encode(tr(done ? "checkin.msg.revoked" : "checkin.msg.no_link")));
        }
        const std::string token = random_token(24);
        app.st.admin().put_checkin_link(CheckinLink{id, sha256_hex(token), rfc3339_now(), c.s.user, false, ""});
        app.audit(c, "issue_checkin_link", id, "");
        // Shown once, in this answer (not in a redirect URL, which would land in logs and history).
        const std::string url = app.opts.server_url + "/p/checkin/" + token;
        std::string b = "<p><a href=\"/admin/roster/" + url_encode(id) + "\">" + esc(tr("checkin.back_to_roster")) + "</a></p>" + checkin_panel(app, c, id, url);
        send_html(res, 200, page(c, tr("checkin.link_title"), b, "/admin/activities"));
    });
}

}  // namespace kyodo::server::web
