// Public phone pages, no login: an activity's page (the kiosk's QR code points there), the
// receipt lookup where a resident sees a sign-up's status and can cancel it, and the published
// city answers to a closed public comment.
#include <sodium.h>

#include <cctype>

#include "core/timeutil.h"
#include "server/log.h"
#include "server/web/app.h"

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
        send_html(res, 404, phone_page("見つかりません", "<h1>見つかりません</h1><p>この事業は掲載が終わったか、URLが違います。</p>"));
        return;
    }
    const auto kind = activity_kind_from_code(str(*a, "kind"));
    std::string b = "<p class=\"muted\">" + esc(kind ? label_ja(*kind) : "") + "</p><h1>" + esc(str(*a, "title")) + "</h1><p>" +
                    esc(str(*a, "summary")) + "</p><dl>";
    auto row = [&](const char* k, const std::string& v) {
        if (!v.empty()) b += std::string("<dt>") + k + "</dt><dd>" + esc(v) + "</dd>";
    };
    std::string when = format_date_ja(str(*a, "starts_at"));
    if (!str(*a, "ends_at").empty() && str(*a, "ends_at") != str(*a, "starts_at")) when += " 〜 " + format_date_ja(str(*a, "ends_at"));
    row("日時", when);
    row("会場", str(*a, "place"));
    row("センター", str(*a, "centre_id").empty() ? "" : centre_name(cat, str(*a, "centre_id")));
    row("対象", str(*a, "audience"));
    std::string org;
    for (const Json& n : a->value("organizer_names", Json::array()))
        if (n.is_string()) org += (org.empty() ? "" : "、") + n.get<std::string>();
    row("主催", org);
    row("担当課", str(*a, "department"));
    b += "</dl><div class=\"text\">" + nl2br(str(*a, "description")) + "</div>";
    const int cap = a->value("capacity", 0), taken = a->value("taken", 0);
    if (cap > 0) {
        const int left = std::max(0, cap - taken);
        b += "<p class=\"places\">定員 " + std::to_string(cap) + " 人　" +
             (left > 0 ? "残り " + std::to_string(left) + " 人" : std::string("満員（キャンセル待ちを受け付けています）")) + "</p>";
        if (!str(*a, "signup_closes").empty()) b += "<p>申込締切 " + esc(format_date_ja(str(*a, "signup_closes"))) + "</p>";
        b += "<p>お申し込みは、地域交流センターのキオスクでどうぞ。</p>";
    }
    if (str(*a, "kind") == "public_comment")
        b += "<p><a href=\"/p/comments/" + url_encode(str(*a, "id")) + "\">ご意見と市の考え方</a></p>";
    b += "<p><a class=\"button\" href=\"/p/receipt\">申込みの確認・キャンセル</a></p>";
    send_html(res, 200, phone_page(str(*a, "title"), b));
}

std::string lookup_form(const std::string& error, const std::string& receipt) {
    std::string b = "<h1>申込みの確認・キャンセル</h1>";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
    b += "<p>キオスクで受け取った控えの「受付番号」と「確認コード（4桁）」を入力してください。</p>"
         "<form class=\"stack\" method=\"post\" action=\"/p/receipt\">"
         "<label>受付番号<input name=\"receipt\" value=\"" + esc(receipt) + "\" placeholder=\"例 7KQ3-M9TX\" autocomplete=\"off\" "
         "autocapitalize=\"characters\" required></label>"
         "<label>確認コード<input name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{4}\" maxlength=\"4\" autocomplete=\"off\" required></label>"
         "<button class=\"primary\">確認する</button></form>";
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
        send_html(res, 429, phone_page("しばらくお待ちください",
                                       lookup_form("確認に続けて失敗したため、" + secs + "秒ほど待ってからもう一度お試しください。", receipt)));
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
    send_html(res, 404, phone_page("申込みの確認", lookup_form("受付番号または確認コードが違います（キオスクから送信される前は確認できません）。", receipt)));
    return std::nullopt;
}

void show_status(App& app, httplib::Response& res, const AdminRecord& r, const std::string& code, const std::string& notice) {
    const Json cat = app.catalog();
    const Json* a = find_by_id(cat["activities"], r.activity_id);
    const std::string st = r.rec.signup_status;
    std::string b = "<h1>申込みの状況</h1>";
    if (!notice.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
    b += "<p class=\"big-status status " + esc(st) + "\">" + esc(signup_status_ja(st)) + "</p><dl><dt>受付番号</dt><dd>" +
         esc(r.rec.receipt) + "</dd><dt>事業</dt><dd>" + esc(a ? str(*a, "title") : r.activity_id) + "</dd>";
    if (a) b += "<dt>日時</dt><dd>" + esc(format_date_ja(str(*a, "starts_at"))) + "</dd><dt>会場</dt><dd>" + esc(str(*a, "place")) + "</dd>";
    b += "<dt>人数</dt><dd>" + std::to_string(r.party_size) + " 人</dd></dl>";
    if (st == "waitlisted") b += "<p>キャンセルが出ると、申込み順に自動で繰り上がります。このページで状況を確認できます。</p>";
    if (st == "confirmed" || st == "waitlisted") {
        b += "<form class=\"stack\" method=\"post\" action=\"/p/receipt/cancel\">"
             "<input type=\"hidden\" name=\"receipt\" value=\"" + esc(r.rec.receipt) + "\">"
             "<input type=\"hidden\" name=\"code\" value=\"" + esc(code) + "\">"
             "<input type=\"hidden\" name=\"token\" value=\"" + esc(cancel_token(app, r.rec.receipt, code)) + "\">"
             "<label><span><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> この申込みをキャンセルします</span></label>"
             "<button class=\"danger\">申込みをキャンセルする</button></form>";
    }
    if (a) b += "<p><a href=\"/p/activities/" + url_encode(str(*a, "id")) + "\">事業の詳細</a></p>";
    send_html(res, 200, phone_page("申込みの状況", b));
}

void comments_page(App& app, const httplib::Request& req, httplib::Response& res) {
    const Json cat = app.catalog();
    const Json* d = find_by_id(cat["activities"], req.matches[1]);
    if (!d || str(*d, "kind") != "public_comment") {
        send_html(res, 404, phone_page("見つかりません", "<h1>見つかりません</h1><p>この案の意見募集はありません。</p>"));
        return;
    }
    std::string b = "<h1>" + esc(str(*d, "title")) + "</h1>";
    if (!comment_period_closed(*d)) {
        const Json extra = d->value("extra", Json::object());
        b += "<p>ただいまご意見を募集しています（" + esc(str(extra, "comment_until")) +
             "まで）。いただいたご意見と市の考え方は、募集期間の終了後にこのページで公表します。</p>";
        send_html(res, 200, phone_page(str(*d, "title"), b));
        return;
    }
    const auto rows = app.st.admin().records(RecordQuery{"public_comment", "", "", "", "", 100000});
    const Json extra = d->value("extra", Json::object());
    b += "<p>寄せられたご意見（要旨）と市の考え方です。お名前などは掲載していません。</p>";
    for (const Json& s : extra.value("sections", Json::array())) {
        std::string items;
        for (const auto& r : rows) {
            const Json pl = payload_of(r);
            if (str(pl, "draft_id") != str(*d, "id") || str(pl, "section_id") != str(s, "id") || r.note.empty()) continue;
            items += "<div class=\"panel\"><p class=\"text\"><strong>ご意見</strong><br>" + esc(str(pl, "text")) +
                     "</p><p class=\"text\"><strong>市の考え方</strong><br>" + esc(r.note) + "</p></div>";
        }
        if (!items.empty()) b += "<h2>" + esc(str(s, "title")) + "</h2>" + items;
    }
    send_html(res, 200, phone_page(str(*d, "title"), b));
}

}  // namespace

void install_public(App& app, httplib::Server& svr) {
    app.get(svr, R"(/p/activities/([^/]+))", Role::Public, [&app](Ctx&, const auto& q, auto& r) { activity_page(app, q, r); });
    app.get(svr, R"(/p/comments/([^/]+))", Role::Public, [&app](Ctx&, const auto& q, auto& r) { comments_page(app, q, r); });
    app.get(svr, "/p/receipt", Role::Public, [](Ctx&, const httplib::Request&, httplib::Response& res) {
        send_html(res, 200, phone_page("申込みの確認・キャンセル", lookup_form("", "")));
    });
    svr.Post("/p/receipt", [&app](const httplib::Request& req, httplib::Response& res) {
        with_page_slot(app, res, [&] {
            auto f = parse_form(req.body);
            const std::string receipt = normalise_receipt(f["receipt"]), code = digits(f["code"]);
            auto r = find_signup(app, req, res, receipt, code);
            if (r) show_status(app, res, *r, code, "");
        });
    });
    svr.Post("/p/receipt/cancel", [&app](const httplib::Request& req, httplib::Response& res) {
        auto f = parse_form(req.body);
        const std::string receipt = normalise_receipt(f["receipt"]), code = digits(f["code"]);
        if (!same_origin(req) || !cancel_token_ok(app, f["token"], receipt, code)) {
            send_html(res, 403, phone_page("申込みの確認", lookup_form("画面の有効期限が切れました。もう一度確認してからキャンセルしてください。", receipt)));
            return;
        }
        auto r = find_signup(app, req, res, receipt, code);
        if (!r) return;
        if (f["confirm"] != "1") return show_status(app, res, *r, code, "「この申込みをキャンセルします」にチェックを入れてください。");
        const CancelResult cr = app.st.admin().cancel_signup(r->rec.id, "(resident)", rfc3339_now());
        Ctx anon;
        app.audit(anon, "cancel_signup_public", receipt, r->activity_id + (cr.promoted_id.empty() ? "" : "; waitlist moved up"));
        auto again = app.st.admin().records(RecordQuery{"sign_up", "", "", receipt, "", 5});
        for (auto& x : again)
            if (x.rec.id == r->rec.id)
                return show_status(app, res, x, code, cr.ok ? "キャンセルしました。ご連絡ありがとうございました。" : "この申込みはすでにキャンセルされています。");
    });
}

}  // namespace kyodo::server::web
