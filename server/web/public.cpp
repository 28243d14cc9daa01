// Public phone pages, no login: an activity's page (the kiosk's QR code points there), the
// receipt lookup where a resident sees a sign-up's status and can cancel it, and the published
// city answers to a closed public comment.
#include <sodium.h>

#include <cctype>

#include "core/timeutil.h"
#include "server/log.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

std::string public_sign(const App& app, const std::string& data) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES] = {};
    crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(app.public_secret.data()), app.public_secret.size(),
                       nullptr, 0);
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(data.data()), data.size(), key);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

bool same_origin(const httplib::Request& req) {
    const std::string site = req.get_header_value("Sec-Fetch-Site");
    if (!site.empty() && site != "same-origin" && site != "none") return false;
    const std::string origin = req.get_header_value("Origin");
    if (origin.empty() || origin == "null") return site.empty() || site == "same-origin";
    const auto p = origin.find("://");
    return p != std::string::npos && origin.substr(p + 3) == req.get_header_value("Host");
}

namespace {

// "7kq3 m9tx" / "7KQ3-M9TX" → "7KQ3-M9TX" (Crockford: O→0, I/L→1).
std::string normalise_receipt(const std::string& in) {
    std::string s;
    for (char ch : in) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (std::isalnum(static_cast<unsigned char>(c))) s += c;
    }
    if (s.size() != 8) return "";
    return s.substr(0, 4) + "-" + s.substr(4);
}

std::string digits(const std::string& in) {
    std::string s;
    for (char c : in)
        if (c >= '0' && c <= '9') s += c;
    return s;
}

// The anonymous form's CSRF equivalent: a token bound to the receipt and code, signed with a
// per-process secret and valid 30 minutes, plus a same-origin check of Origin / Sec-Fetch-Site.
std::string cancel_token(const App& app, const std::string& receipt, const std::string& code) {
    const std::string exp = std::to_string(now_millis() + 30LL * 60 * 1000);
    return exp + "." + public_sign(app, receipt + "|" + code + "|" + exp);
}

bool cancel_token_ok(const App& app, const std::string& tok, const std::string& receipt, const std::string& code) {
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
    const std::string want = public_sign(app, receipt + "|" + code + "|" + exp);
    return want.size() == mac.size() && sodium_memcmp(want.data(), mac.data(), mac.size()) == 0;
}

void activity_page(App& app, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const Json* a = find_by_id(cat["activities"], req.matches[1]);
    if (!a) {
        send_html(res, 404, phone_page(tr("public.not_found.title"), "<h1>" + esc(tr("public.not_found.title")) + "</h1><p>" +
                                                                         esc(tr("public.not_found.activity")) + "</p>"));
        return;
    }
    const auto kind = activity_kind_from_code(str(*a, "kind"));
    std::string b = "<p class=\"muted\">" + esc(kind ? tr(std::string("kind.") + str(*a, "kind")) : "") + "</p><h1>" + esc(str(*a, "title")) + "</h1><p>" +
                    esc(str(*a, "summary")) + "</p><dl>";
    auto row = [&](const char* k, const std::string& v) {
        if (!v.empty()) b += "<dt>" + esc(tr(k)) + "</dt><dd>" + esc(v) + "</dd>";
    };
    std::string when = date_label(str(*a, "starts_at"));
    if (!str(*a, "ends_at").empty() && str(*a, "ends_at") != str(*a, "starts_at")) when = trf("public.activity.range", {{"from", when}, {"to", date_label(str(*a, "ends_at"))}});
    row("public.activity.when", when);
    row("public.activity.place", str(*a, "place"));
    row("public.activity.centre", str(*a, "centre_id").empty() ? "" : centre_name(cat, str(*a, "centre_id")));
    row("public.activity.audience", str(*a, "audience"));
    std::string org;
    for (const Json& n : a->value("organizer_names", Json::array()))
        if (n.is_string()) org += (org.empty() ? "" : tr("public.list_sep")) + n.get<std::string>();
    row("public.activity.organizer", org);
    row("public.activity.department", str(*a, "department"));
    b += "</dl><div class=\"text\">" + nl2br(str(*a, "description")) + "</div>";
    const int cap = a->value("capacity", 0), taken = a->value("taken", 0);
    if (cap > 0) {
        const int left = std::max(0, cap - taken);
        b += "<p class=\"places\">" + esc(trf("public.activity.capacity", {{"n", std::to_string(cap)}})) +
             esc(left > 0 ? trf("public.activity.left", {{"n", std::to_string(left)}}) : tr("public.activity.full")) + "</p>";
        if (!str(*a, "signup_closes").empty())
            b += "<p>" + esc(trf("public.activity.closes", {{"date", date_label(str(*a, "signup_closes"))}})) + "</p>";
        b += "<p>" + esc(tr("public.activity.sign_up_at_kiosk")) + "</p>";
    }
    if (str(*a, "kind") == "public_comment")
        b += "<p><a href=\"/p/comments/" + url_encode(str(*a, "id")) + "\">" + esc(tr("public.activity.comments_link")) + "</a></p>";
    b += "<p><a class=\"button\" href=\"/p/receipt\">" + esc(tr("public.receipt.title")) + "</a></p>";
    send_html(res, 200, phone_page(str(*a, "title"), b));
}

std::string lookup_form(const std::string& error, const std::string& receipt) {
    std::string b = "<h1>" + esc(tr("public.receipt.title")) + "</h1>";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
    b += "<p>" + esc(tr("public.receipt.intro")) + "</p><form class=\"stack\" method=\"post\" action=\"/p/receipt\"><label>" +
         esc(tr("public.receipt.number")) + "<input name=\"receipt\" value=\"" + esc(receipt) + "\" placeholder=\"" +
         esc(tr("public.receipt.number_example")) + "\" autocomplete=\"off\" autocapitalize=\"characters\" required></label><label>" +
         esc(tr("public.receipt.code")) +
         "<input name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{4}\" maxlength=\"4\" autocomplete=\"off\" required></label>"
         "<button class=\"primary\">" + esc(tr("public.receipt.submit")) + "</button></form>";
    return b;
}

// Finds the sign-up for receipt + code; on failure answers the page itself and returns nullopt.
std::optional<AdminRecord> find_signup(App& app, const httplib::Request& req, httplib::Response& res, const std::string& receipt,
                                       const std::string& code) {
    // Growing delays, not a lockout: per address (the guesser's) up to 10 minutes, per receipt
    // at most a minute, so the resident holding the receipt and its code always gets in.
    const std::string who = "receipt-ip:" + req.remote_addr, which = "receipt:" + receipt;
    const std::int64_t now = now_millis();
    const std::int64_t wait = std::max(app.throttle.wait_ms(who, app.rule(limits::kReceiptAddress), now),
                                       app.throttle.wait_ms(which, app.rule(limits::kReceipt), now));
    if (wait > 0) {
        const std::string secs = std::to_string((wait + 999) / 1000);
        res.set_header("Retry-After", secs);
        send_html(res, 429, phone_page(tr("public.receipt.wait_title"), lookup_form(trf("public.receipt.delayed", {{"s", secs}}), receipt)));
        return std::nullopt;
    }
    if (!receipt.empty() && code.size() == 4) {
        for (auto& r : app.st.admin().records(RecordQuery{"sign_up", "", "", receipt, "", 5})) {
            const std::string want = str(payload_of(r), "check_code");
            if (!want.empty() && want.size() == code.size() && sodium_memcmp(want.data(), code.data(), code.size()) == 0) {
                app.throttle.clear(which);
                return r;
            }
        }
    }
    app.throttle.fail(who, app.rule(limits::kReceiptAddress), now);
    app.throttle.fail(which, app.rule(limits::kReceipt), now);
    send_html(res, 404, phone_page(tr("public.receipt.check_title"), lookup_form(tr("public.receipt.wrong"), receipt)));
    return std::nullopt;
}

void show_status(App& app, httplib::Response& res, const AdminRecord& r, const std::string& code, const std::string& notice) {
    const Json cat = app.catalog();
    const Json* a = find_by_id(cat["activities"], r.activity_id);
    const std::string st = r.rec.signup_status;
    std::string b = "<h1>" + esc(tr("public.status.title")) + "</h1>";
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    b += "<p class=\"big-status status " + esc(st) + "\">" + esc(signup_status_ja(st)) + "</p><dl><dt>" +
         esc(tr("public.receipt.number")) + "</dt><dd>" + esc(r.rec.receipt) + "</dd><dt>" + esc(tr("public.status.activity")) +
         "</dt><dd>" + esc(a ? str(*a, "title") : r.activity_id) + "</dd>";
    if (a)
        b += "<dt>" + esc(tr("public.activity.when")) + "</dt><dd>" + esc(date_label(str(*a, "starts_at"))) + "</dd><dt>" +
             esc(tr("public.activity.place")) + "</dt><dd>" + esc(str(*a, "place")) + "</dd>";
    b += "<dt>" + esc(tr("public.status.party")) + "</dt><dd>" +
         esc(trf("public.status.people", {{"n", std::to_string(r.party_size)}})) + "</dd></dl>";
    if (st == "waitlisted") b += "<p>" + esc(tr("public.status.waitlist_note")) + "</p>";
    if (st == "confirmed" || st == "waitlisted") {
        b += "<form class=\"stack\" method=\"post\" action=\"/p/receipt/cancel\">"
             "<input type=\"hidden\" name=\"receipt\" value=\"" + esc(r.rec.receipt) + "\">"
             "<input type=\"hidden\" name=\"code\" value=\"" + esc(code) + "\">"
             "<input type=\"hidden\" name=\"token\" value=\"" + esc(cancel_token(app, r.rec.receipt, code)) + "\">"
             "<label><span><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> " + esc(tr("public.status.confirm")) +
             "</span></label><button class=\"danger\">" + esc(tr("public.status.cancel")) + "</button></form>";
    }
    if (a) b += "<p><a href=\"/p/activities/" + url_encode(str(*a, "id")) + "\">" + esc(tr("public.status.details")) + "</a></p>";
    send_html(res, 200, phone_page(tr("public.status.title"), b));
}

void comments_page(App& app, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const Json* d = find_by_id(cat["activities"], req.matches[1]);
    if (!d || str(*d, "kind") != "public_comment") {
        send_html(res, 404, phone_page(tr("public.not_found.title"), "<h1>" + esc(tr("public.not_found.title")) + "</h1><p>" +
                                                                         esc(tr("public.not_found.comments")) + "</p>"));
        return;
    }
    std::string b = "<h1>" + esc(str(*d, "title")) + "</h1>";
    if (!comment_period_closed(*d)) {
        const Json extra = d->value("extra", Json::object());
        b += "<p>" + esc(trf("public.comments.open", {{"until", str(extra, "comment_until")}})) + "</p>";
        send_html(res, 200, phone_page(str(*d, "title"), b));
        return;
    }
    const auto rows = app.st.admin().records(RecordQuery{"public_comment", "", "", "", "", 100000});
    const Json extra = d->value("extra", Json::object());
    b += "<p>" + esc(tr("public.comments.intro")) + "</p>";
    for (const Json& s : extra.value("sections", Json::array())) {
        std::string items;
        for (const auto& r : rows) {
            const Json pl = payload_of(r);
            if (str(pl, "draft_id") != str(*d, "id") || str(pl, "section_id") != str(s, "id") || r.note.empty()) continue;
            items += "<div class=\"panel\"><p class=\"text\"><strong>" + esc(tr("public.comments.opinion")) + "</strong><br>" +
                     esc(str(pl, "text")) + "</p><p class=\"text\"><strong>" + esc(tr("public.comments.answer")) + "</strong><br>" +
                     esc(r.note) + "</p></div>";
        }
        if (!items.empty()) b += "<h2>" + esc(str(s, "title")) + "</h2>" + items;
    }
    send_html(res, 200, phone_page(str(*d, "title"), b));
}

}  // namespace

void install_public(App& app, httplib::Server& svr) {
    app.get(svr, R"(/p/activities/([^/]+))", Role::Public, [&app](Ctx&, const auto& q, auto& r) { activity_page(app, q, r); });
    app.get(svr, R"(/p/comments/([^/]+))", Role::Public, [&app](Ctx&, const auto& q, auto& r) { comments_page(app, q, r); });
    // The kiosk's receipt carries a QR code to this page with ?receipt=<number> (docs/protocol.md,
    // "The receipt's QR code"): the number is filled in, the resident types only the check code
    // (never in the QR: a photo of the screen must not open the sign-up). Anything that is not a
    // receipt number is dropped, not echoed.
    app.get(svr, "/p/receipt", Role::Public, [](Ctx&, const httplib::Request& req, httplib::Response& res) {
        const std::string number = normalise_receipt(req.get_param_value("receipt"));
        send_html(res, 200, phone_page(tr("public.receipt.title"), lookup_form("", number)));
    });
    svr.Post("/p/receipt", [&app](const httplib::Request& req, httplib::Response& res) {
        const LangScope lang(lang_of(req));   // registered on svr directly, not through App::post
        with_page_slot(app, res, [&] {
            auto f = parse_form(req.body);
            const std::string receipt = normalise_receipt(f["receipt"]), code = digits(f["code"]);
            auto r = find_signup(app, req, res, receipt, code);
            if (r) show_status(app, res, *r, code, "");
        });
    });
    svr.Post("/p/receipt/cancel", [&app](const httplib::Request& req, httplib::Response& res) {
        const LangScope lang(lang_of(req));
        auto f = parse_form(req.body);
        const std::string receipt = normalise_receipt(f["receipt"]), code = digits(f["code"]);
        if (!same_origin(req) || !cancel_token_ok(app, f["token"], receipt, code)) {
            send_html(res, 403, phone_page(tr("public.receipt.check_title"), lookup_form(tr("public.receipt.expired"), receipt)));
            return;
        }
        auto r = find_signup(app, req, res, receipt, code);
        if (!r) return;
        if (f["confirm"] != "1") return show_status(app, res, *r, code, trf("public.status.tick", {{"label", tr("public.status.confirm")}}));
        const CancelResult cr = app.st.admin().cancel_signup(r->rec.id, "(resident)", rfc3339_now());
        app.changed();   // the sign-ups export shows the status
        Ctx anon;
        app.audit(anon, "cancel_signup_public", receipt, r->activity_id + (cr.promoted_id.empty() ? "" : "; waitlist moved up"));
        auto again = app.st.admin().records(RecordQuery{"sign_up", "", "", receipt, "", 5});
        for (auto& x : again)
            if (x.rec.id == r->rec.id)
                return show_status(app, res, x, code, tr(cr.ok ? "public.status.cancelled" : "public.status.already_cancelled"));
    });
}

}  // namespace kyodo::server::web
