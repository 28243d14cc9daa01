// The Web object, routing with roles and CSRF, page layout, and the login / logout pages.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "core/timeutil.h"
#include "server/civic.h"
#include "server/ingest.h"
#include "server/log.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/proposal_review.h"
#include "server/web/text.h"
#include "server/web/text_html.h"

namespace kyodo::server::web {

namespace {
constexpr const char* kCookie = "kyodo_session";
constexpr const char* kLoginCookie = "kyodo_login";
constexpr const char* kKnownCookie = "kyodo_known";   // "this browser logged in as USER before"

std::string cookie_value(const httplib::Request& req, const std::string& name) {
    const std::string h = req.get_header_value("Cookie");
    std::size_t pos = 0;
    while (pos < h.size()) {
        std::size_t end = h.find(';', pos);
        if (end == std::string::npos) end = h.size();
        std::string part = h.substr(pos, end - pos);
        while (!part.empty() && part.front() == ' ') part.erase(part.begin());
        if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
        pos = end + 1;
    }
    return "";
}

bool same(const std::string& a, const std::string& b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::map<std::string, std::string> form_of(const httplib::Request& req) {
    if (req.is_multipart_form_data()) {
        // Repeated names (checkboxes) are joined by "\n", as parse_form does for urlencoded.
        std::map<std::string, std::string> m;
        for (const auto& [k, f] : req.files) {
            if (!f.filename.empty()) continue;
            auto [it, fresh] = m.emplace(k, f.content);
            if (!fresh) it->second += "\n" + f.content;
        }
        return m;
    }
    return parse_form(req.body);
}

std::string cookie_attrs(const App& app, int max_age) {
    return "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
           (app.opts.secure_cookies ? "; Secure" : "");
}

// The known-browser cookie: USER.MAC, MAC keyed by a secret of this server process.
std::string known_value(const App& app, const std::string& user) {
    unsigned char out[16];
    const std::string msg = "known-browser:" + user;
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(app.public_secret.data()), app.public_secret.size());
    std::string v = url_encode(user) + ".";
    static const char* hex = "0123456789abcdef";
    for (unsigned char b : out) {
        v += hex[b >> 4];
        v += hex[b & 15];
    }
    return v;
}

bool known_browser(const App& app, const httplib::Request& req, const std::string& user) {
    const std::string have = cookie_value(req, kKnownCookie), want = known_value(app, user);
    return same(have, want);
}
}  // namespace

Role role_from(const std::string& r) {
    if (r == "admin") return Role::Admin;
    if (r == "editor") return Role::Editor;
    if (r == "viewer") return Role::Viewer;
    if (r == "department") return Role::Department;
    return Role::Public;
}

const char* role_label(const std::string& r) {
    if (r == "admin") return tr("app.role.admin").c_str();
    if (r == "editor") return tr("app.role.editor").c_str();
    if (r == "viewer") return tr("app.role.viewer").c_str();
    if (r == "department") return tr("app.role.department").c_str();
    return r.c_str();
}

std::int64_t Throttle::wait_ms(const std::string& key, const Rule& r, std::int64_t now) {
    std::lock_guard lock(mu_);
    return wait_locked(key, r, now);
}

void Throttle::fail(const std::string& key, const Rule& r, std::int64_t now) {
    std::lock_guard lock(mu_);
    fail_locked(key, r, now);
}

std::int64_t Throttle::admit(const std::string& key, const Rule& r, std::int64_t now) {
    std::lock_guard lock(mu_);
    const std::int64_t wait = wait_locked(key, r, now);
    if (wait == 0) fail_locked(key, r, now);
    return wait;
}

void Throttle::forgive(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return;
    if (--it->second.n <= 0) {
        unlink(it->second);
        map_.erase(it);
    }
}

std::int64_t Throttle::wait_locked(const std::string& key, const Rule& r, std::int64_t now) {
    auto it = map_.find(key);
    if (it == map_.end()) return 0;
    Entry& e = it->second;
    if (now - e.last > r.forget_ms) {
        unlink(e);
        map_.erase(it);
        return 0;
    }
    if (e.n < r.free) return 0;
    const int steps = std::min(e.n - r.free, 30);
    const std::int64_t delay = std::min(r.max_ms, r.base_ms << steps);
    return std::max<std::int64_t>(0, e.last + delay - now);
}

void Throttle::fail_locked(const std::string& key, const Rule& r, std::int64_t now) {
    auto [it, fresh] = map_.try_emplace(key);
    Entry& e = it->second;
    if (!fresh) {
        if (now - e.last > r.forget_ms) e.n = 0;
        unlink(e);
    }
    ++e.n;
    e.last = now;
    e.hot = e.n >= r.free;
    auto& list = e.hot ? hot_ : cold_;
    e.pos = list.insert(list.end(), key);
    while (map_.size() > std::max<std::size_t>(cap_, 1)) {
        auto& victims = !cold_.empty() ? cold_ : hot_;
        const std::string k = victims.front();
        victims.pop_front();
        map_.erase(k);
    }
}

void Throttle::clear(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return;
    unlink(it->second);
    map_.erase(it);
}

int Throttle::failures(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? 0 : it->second.n;
}

std::vector<std::pair<std::string, int>> Throttle::failing(const std::string& prefix, std::size_t limit) {
    std::vector<std::pair<std::string, int>> out;
    {
        std::lock_guard lock(mu_);
        for (const auto& kv : map_)
            if (kv.second.n > 0 && kv.first.compare(0, prefix.size(), prefix) == 0) out.emplace_back(kv.first, kv.second.n);
    }
    std::sort(out.begin(), out.end());
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::size_t Throttle::size() {
    std::lock_guard lock(mu_);
    return map_.size();
}

void App::audit(const Ctx& c, const std::string& action, const std::string& target, const std::string& detail) {
    st.admin().add_audit(AuditEntry{0, rfc3339_now(), c.s.user.empty() ? "(public)" : c.s.user, action, target, detail});
    log_info("audit", {{"user", c.s.user}, {"action", action}, {"target", target}});
}

Json App::catalog() { return st.catalog_since(0); }

static void dispatch_in_slot(App& app, const httplib::Request& req, httplib::Response& res, Role min, bool is_post,
                             const Handler& h);

// Runs a page handler on the page pool (its own threads at a lower priority); a server with
// 256 pages already waiting answers 503 instead of letting page work pile up.
bool with_page_slot(App& app, httplib::Response& res, const std::function<void()>& fn) {
    const Lang lang = current_lang();   // the pool's thread serves in the language of the request
    if (!app.page_pool->run([&] {
            const LangScope scope(lang);
            fn();
        })) {
        res.set_header("Retry-After", "5");
        send_html(res, 503, phone_page(tr("app.busy.title"), "<h1>" + esc(tr("app.busy.title")) + "</h1><p class=\"error\">" + esc(tr("app.busy.text")) + "</p>"));
        log_warn("pages", {{"status", "503"}, {"code", "busy"}});
        return false;
    }
    return true;
}

static void dispatch(App& app, const httplib::Request& req, httplib::Response& res, Role min, bool is_post,
                     const Handler& h) {
    with_page_slot(app, res, [&] { dispatch_in_slot(app, req, res, min, is_post, h); });
    if (is_post) app.changed();   // after the change committed: cached exports are rebuilt
}

static void dispatch_in_slot(App& app, const httplib::Request& req, httplib::Response& res, Role min, bool is_post,
                             const Handler& h) {
    const LangScope lang(lang_of(req));
    Ctx c;
    if (min != Role::Public || is_post) {
        const std::string tok = cookie_value(req, kCookie);
        if (!tok.empty()) {
            if (auto s = app.st.admin().session(sha256_hex(tok), rfc3339_now())) {
                c.s = *s;
                c.role = role_from(s->role);
                if (c.role == Role::Department) {
                    c.department = app.st.civic().staff_department(s->user);
                    if (c.department.empty()) c.role = Role::Public;   // a department account with no department sees nothing
                }
            }
        }
    }
    if (is_post) c.form = form_of(req);
    if (min != Role::Public) {
        if (c.role == Role::Public) {
            if (is_post) return redirect(res, "/admin/login");
            std::string next = req.path;
            return redirect(res, "/admin/login?next=" + url_encode(next));
        }
        if (is_post) {
            auto it = c.form.find("csrf");
            if (it == c.form.end() || !same(it->second, c.s.csrf)) {
                log_warn("csrf", {{"user", c.s.user}, {"path", req.path}});
                return deny(c, res, tr("app.deny.csrf"));
            }
        }
        if (c.role < min)
            return deny(c, res, trf("app.deny.role", {{"role", role_label(min == Role::Admin    ? "admin"
                                                                          : min == Role::Editor ? "editor"
                                                                          : min == Role::Viewer ? "viewer"
                                                                                                : "department")}}));
    }
    h(c, req, res);
}

void App::get(httplib::Server& svr, const std::string& pattern, Role min, Handler h) {
    svr.Get(pattern, [this, min, h](const httplib::Request& req, httplib::Response& res) {
        dispatch(*this, req, res, min, false, h);
    });
}

void App::post(httplib::Server& svr, const std::string& pattern, Role min, Handler h) {
    svr.Post(pattern, [this, min, h](const httplib::Request& req, httplib::Response& res) {
        dispatch(*this, req, res, min, true, h);
    });
}

void send_html(httplib::Response& res, int status, const std::string& html) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Frame-Options", "DENY");   // nosniff: on every answer (make_server)
    res.set_header("Referrer-Policy", "same-origin");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
                   "form-action 'self'; frame-ancestors 'none'");
    res.set_content(html, "text/html; charset=utf-8");
}

namespace {
// Notices come back from a redirect as ?msg=…; only text this server wrote is shown, so a
// link from elsewhere cannot print its own words in the official notice box.
std::string flash_sig(const std::string& msg) {
    static const std::string key = [] {
        crypto_init();
        return random_token(32);
    }();
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (unsigned char b : out) {
        h += hex[b >> 4];
        h += hex[b & 15];
    }
    return h;
}
}  // namespace

void redirect(httplib::Response& res, const std::string& to_in) {
    // The signature goes into the query, before any #fragment (/admin/indicators?msg=…#ind-x).
    const auto hash = to_in.find('#');
    std::string to = to_in.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? "" : to_in.substr(hash);
    if (auto q = to.find('?'); q != std::string::npos) {
        const auto f = parse_form(to.substr(q + 1));
        if (auto it = f.find("msg"); it != f.end()) to += "&sig=" + flash_sig(it->second);
    }
    to += fragment;
    res.status = 303;
    res.set_header("Location", to);
    res.set_header("Cache-Control", "no-store");
    res.set_content("<!doctype html><a href=\"" + esc(to) + "\">" + esc(to) + "</a>", "text/html; charset=utf-8");
}

Lang lang_of(const httplib::Request& req) { return lang_from_code(cookie_value(req, kLangCookie)); }

std::string csrf_field(const Ctx& c) { return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.s.csrf) + "\">"; }

std::string flash(const httplib::Request& req) {
    if (!req.has_param("msg")) return "";
    const std::string sig = req.get_param_value("sig"), want = flash_sig(req.get_param_value("msg"));
    if (sig.size() != want.size() || sodium_memcmp(sig.data(), want.data(), want.size()) != 0) return "";
    return "<p class=\"notice\" role=\"status\">" + esc(req.get_param_value("msg")) + "</p>";
}

// The side menu: path and table key, in menu order.
static const char* const kNav[][2] = {
    {"/admin", "layout.nav.home"},           {"/admin/activities", "layout.nav.activities"},
    {"/admin/opinions", "layout.nav.opinions"}, {"/admin/surveys", "layout.nav.surveys"},
    {"/admin/comments", "layout.nav.comments"}, {"/admin/proposals", "layout.nav.proposals"},
    {"/admin/projects", "layout.nav.projects"}, {"/admin/survey", "layout.nav.survey"},
    {"/admin/agreements", "layout.nav.agreements"}, {"/admin/reports", "layout.nav.reports"},
    {"/admin/exports", "layout.nav.exports"},   {"/admin/fleet", "layout.nav.fleet"},
    {"/admin/notices", "layout.nav.notices"},   {"/admin/talent", "layout.nav.talent"},
    {"/admin/groups", "layout.nav.groups"},     {"/admin/bookings", "layout.nav.bookings"},
    {"/admin/consultations", "layout.nav.consultations"}, {"/admin/quotas", "layout.nav.quotas"},
    {"/admin/items", "layout.nav.items"},
};

// The link to the other language. /lang sets the cookie and sends the reader back to the page
// they were on (its Referer), so switching never loses their place.
static std::string lang_switch() {
    const Lang other = current_lang() == Lang::Ja ? Lang::En : Lang::Ja;
    return "<a class=\"lang\" hreflang=\"" + std::string(lang_code(other)) + "\" href=\"/lang?to=" +
           lang_code(other) + "\">" + esc(tr("layout.lang.switch")) + "</a>";
}

std::string page(const Ctx& c, const std::string& title, const std::string& body, const std::string& nav) {
    std::string o = "<!doctype html><html lang=\"" + std::string(html_lang()) + "\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>" + esc(title) + " | " + esc(tr("layout.title_suffix")) + "</title>"
                    "<link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body class=\"admin\">"
                    "<header class=\"top\"><div class=\"brand\"><span class=\"mark\">" + esc(tr("layout.brand.mark")) +
                    "</span><span>" + esc(tr("layout.brand.name")) + "<small>" + esc(tr("layout.brand.office")) +
                    "</small></span></div>";
    o += "<div class=\"who\">" + lang_switch();
    if (!c.s.user.empty()) {
        o += "<span>" + esc(trf("layout.who", {{"user", c.s.user}, {"role", role_label(c.s.role)}})) + "</span>";
        if (c.role >= Role::Admin)
            o += "<a href=\"/admin/audit\">" + esc(tr("layout.audit")) + "</a><a href=\"/admin/staff\">" +
                 esc(tr("layout.staff")) + "</a>";
        o += "<form method=\"post\" action=\"/admin/logout\">" + csrf_field(c) + "<button class=\"link\">" +
             esc(tr("layout.logout")) + "</button></form>";
    }
    o += "</div></header>";
    if (!c.s.user.empty()) {
        o += "<nav class=\"side\" aria-label=\"" + esc(tr("layout.menu")) + "\"><ul>";
        for (const auto& n : kNav) {
            // A department account answers the 実績調査 and sees nothing else.
            if (c.role == Role::Department && std::string(n[0]) != "/admin/survey") continue;
            const bool on = nav == n[0];
            o += std::string("<li><a href=\"") + n[0] + "\"" + (on ? " aria-current=\"page\"" : "") + ">" +
                 esc(tr(n[1])) + "</a></li>";
        }
        o += "</ul></nav>";
    }
    o += "<main class=\"content\"><h1>" + esc(title) + "</h1>" + body + "</main></body></html>";
    return o;
}

std::string phone_page(const std::string& title, const std::string& body) {
    return "<!doctype html><html lang=\"" + std::string(html_lang()) + "\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + esc(title) + "</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head>"
           "<body class=\"phone\"><header class=\"phone-top\">" + lang_switch() +   // first: it floats right of the name
           esc(tr("layout.brand.name_short")) + "<small>" + esc(tr("layout.brand.office")) + "</small></header><main>" + body +
           "</main><footer class=\"phone-foot\">" + esc(tr("layout.phone.footer")) + "</footer></body></html>";
}

void deny(const Ctx& c, httplib::Response& res, const std::string& why) {
    send_html(res, 403, page(c, tr("app.deny.title"), "<p class=\"error\">" + esc(why) + "</p><p><a href=\"/admin\">" + esc(tr("app.back_home")) + "</a></p>"));
}

void not_found(const Ctx& c, httplib::Response& res, const std::string& what) {
    send_html(res, 404, page(c, tr("app.not_found.title"), "<p class=\"error\">" + esc(what) + "</p><p><a href=\"/admin\">" + esc(tr("app.back_home")) + "</a></p>"));
}

const Json* find_by_id(const Json& arr, const std::string& id) {
    if (!arr.is_array()) return nullptr;
    for (const Json& x : arr)
        if (x.is_object() && x.value("id", "") == id) return &x;
    return nullptr;
}

std::string centre_name(const Json& cat, const std::string& id) {
    if (id.empty()) return tr("app.citywide");
    const Json* c = find_by_id(cat["centres"], id);
    return c ? c->value("name", id) : id;
}

std::string activity_title(const Json& cat, const std::string& id) {
    const Json* a = find_by_id(cat["activities"], id);
    return a ? a->value("title", id) : id;
}

std::size_t page_param(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return 1;
    const std::string v = req.get_param_value(name);
    std::size_t n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    return ec == std::errc() && p == v.data() + v.size() && n > 0 ? n : 1;
}

std::int64_t before_param(const httplib::Request& req) {
    if (!req.has_param("before")) return 0;
    const std::string v = req.get_param_value("before");
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    return ec == std::errc() && p == v.data() + v.size() && n > 0 ? n : 0;
}

std::string pager(const std::string& base, std::int64_t at, std::int64_t next, std::int64_t total, const char* param,
                  const char* first_label, const char* next_label) {
    std::string o = "<nav class=\"pager\" aria-label=\"" + esc(tr("inbox.pager.label")) + "\"><span class=\"muted\">" +
                    esc(trf("inbox.pager.total", {{"n", std::to_string(total)}})) + "</span> ";
    const std::string sep = base.back() == '?' ? "" : "&";
    if (at) o += "<a class=\"button\" href=\"" + esc(base) + "\">" + esc(tr(first_label)) + "</a> ";
    if (next)
        o += "<a class=\"button\" rel=\"next\" href=\"" + esc(base + sep + param + "=" + std::to_string(next)) + "\">" + esc(tr(next_label)) + "</a>";
    return o + "</nav>";
}

std::size_t page_within(std::size_t asked, std::size_t page_size, std::int64_t total) {
    const std::size_t pages = std::max<std::size_t>(1, (static_cast<std::size_t>(std::max<std::int64_t>(0, total)) + page_size - 1) / page_size);
    return std::min(std::max<std::size_t>(1, asked), pages);
}

std::string pager_pages(const std::string& base, std::size_t page, std::size_t page_size, std::int64_t total, const char* param) {
    const bool more = static_cast<std::int64_t>(page * page_size) < total;
    return pager(base, page > 1 ? static_cast<std::int64_t>(page) : 0, more ? static_cast<std::int64_t>(page + 1) : 0, total, param,
                 "inbox.pager.first", "inbox.pager.next");
}

std::string str(const Json& j, const char* key) {
    if (!j.is_object()) return "";
    auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_null()) return "";
    return it->dump();
}

Json payload_of(const AdminRecord& r) {
    Json j = Json::parse(r.rec.payload, nullptr, false);
    return j.is_object() ? j : Json::object();
}

Json personal_of(const AdminRecord& r) {
    if (r.rec.personal.empty()) return Json::object();
    Json j = Json::parse(r.rec.personal, nullptr, false);
    return j.is_object() ? j : Json::object();
}

const char* signup_status_ja(const std::string& s) {
    if (s == "confirmed") return tr("app.signup.confirmed").c_str();
    if (s == "waitlisted") return tr("app.signup.waitlisted").c_str();
    if (s == "cancelled") return tr("app.signup.cancelled").c_str();
    return "—";
}

const char* state_ja(const std::string& s) {
    if (s.empty() || s == "new") return tr("app.state.new").c_str();
    if (s == "in_review") return tr("app.state.in_review").c_str();
    if (s == "answered") return tr("app.state.answered").c_str();
    if (s == "closed") return tr("app.state.closed").c_str();
    if (s == "received") return tr("app.state.received").c_str();
    if (s == "under_review") return tr("app.state.under_review").c_str();
    if (s == "adopted") return tr("app.state.adopted").c_str();
    if (s == "not_adopted") return tr("app.state.not_adopted").c_str();
    return "—";
}

bool comment_period_closed(const Json& draft) {
    std::string until;
    if (draft.contains("extra") && draft["extra"].is_object()) until = str(draft["extra"], "comment_until");
    if (until.empty()) until = str(draft, "ends_at");
    if (until.size() < 10) return false;
    return jst_today() > until.substr(0, 10);
}

// --- login / logout -----------------------------------------------------------------------

// Where /lang sends the reader back to: the path of a same-site Referer, else the dashboard.
static std::string back_from_referer(const httplib::Request& req) {
    const std::string ref = req.get_header_value("Referer"), host = req.get_header_value("Host");
    for (const char* scheme : {"http://", "https://"}) {
        const std::string origin = scheme + host;
        if (!host.empty() && ref.compare(0, origin.size(), origin) == 0) {
            std::string path = ref.substr(origin.size());
            if (!path.empty() && path[0] == '/' && (path.size() < 2 || (path[1] != '/' && path[1] != '\\')) &&
                path.find_first_of("\r\n") == std::string::npos)
                return path;
        }
    }
    return "/admin";
}

void install_auth(App& app, httplib::Server& svr) {
    // The language switch in every page's header: a cookie for a year, then back to the page.
    svr.Get("/lang", [&app](const httplib::Request& req, httplib::Response& res) {
        const Lang to = lang_from_code(req.get_param_value("to"));
        res.set_header("Set-Cookie", std::string(kLangCookie) + "=" + lang_code(to) + cookie_attrs(app, 365 * 24 * 3600));
        redirect(res, back_from_referer(req));
    });
    svr.Get("/static/dashboard.css", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "public, max-age=3600");
        res.set_content(kStylesheet, "text/css; charset=utf-8");
    });

    auto login_form = [&app](const httplib::Request& req, httplib::Response& res, const std::string& error,
                             int status) {
        // Login CSRF: a double-submit token (cookie + hidden field) before any session exists.
        std::string tok = cookie_value(req, kLoginCookie);
        if (tok.size() < 20) {
            tok = random_token(24);
            res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + tok + cookie_attrs(app, 3600));
        }
        const std::string next = req.has_param("next") ? req.get_param_value("next") : "/admin";
        Ctx c;
        std::string body = "<section class=\"login\">";
        if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
        body += "<form method=\"post\" action=\"/admin/login\" class=\"stack\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(tok) + "\">"
                "<input type=\"hidden\" name=\"next\" value=\"" + esc(next) + "\">"
                "<label>" + esc(tr("app.login.user")) + "<input name=\"user\" autocomplete=\"username\" required autofocus></label>"
                "<label>" + esc(tr("app.login.password")) +
                "<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>"
                "<button class=\"primary\">" + esc(tr("app.login.submit")) + "</button></form><p class=\"hint\">" +
                trh("app.login.hint", {{"command", "<code>kyodo-server add-staff</code>"}}) + "</p></section>";
        send_html(res, status, page(c, tr("app.login.title"), body));
    };

    // The login page is registered on svr directly: it sets the reader's language itself.
    svr.Get("/admin/login", [login_form](const httplib::Request& req, httplib::Response& res) {
        const LangScope lang(lang_of(req));
        login_form(req, res, "", 200);
    });

    svr.Post("/admin/login", [&app, login_form](const httplib::Request& req, httplib::Response& res) {
        const LangScope lang(lang_of(req));
        const auto f = parse_form(req.body);
        auto val = [&](const char* k) {
            auto it = f.find(k);
            return it == f.end() ? std::string() : it->second;
        };
        if (!same(val("csrf"), cookie_value(req, kLoginCookie)))
            return login_form(req, res, tr("app.login.expired"), 403);
        const std::string user = val("user");
        std::string next = val("next");
        if (next.rfind("/admin", 0) != 0 || next.find("//") != std::string::npos) next = "/admin";
        // Growing delays, not lockouts: per address always; per account unless this browser
        // logged in to the account before (the known-browser cookie), so someone guessing a
        // colleague's password elsewhere cannot keep its owner out.
        // Each attempt counts as failed from the moment it is let through (forgiven if the
        // password is right), so a burst of simultaneous guesses meets the delay after the
        // first few instead of all reaching the password check (one CPU core each).
        const std::int64_t now = now_millis();
        const std::string ip_key = "login-ip:" + req.remote_addr, user_key = "login:" + user;
        const bool known = known_browser(app, req, user);
        std::int64_t wait = app.throttle.admit(ip_key, app.rule(limits::kLoginAddress), now);
        if (wait == 0 && !known) {
            wait = app.throttle.admit(user_key, app.rule(limits::kLoginAccount), now);
            if (wait > 0) app.throttle.forgive(ip_key);   // not tried after all
        }
        Ctx anon;
        if (wait > 0) {
            const std::string secs = std::to_string((wait + 999) / 1000);
            res.set_header("Retry-After", secs);
            log_warn("login", {{"user", user}, {"result", "delayed"}, {"remote", req.remote_addr}, {"wait_s", secs}});
            return login_form(req, res, trf("app.login.delayed", {{"s", secs}}), 429);
        }
        auto u = app.st.admin().staff(user);
        static const std::string dummy = hash_secret("timing-equaliser-not-a-password");
        bool ok = false;
        const std::string password = val("password");
        const bool ran = app.hash_pool->run([&] {
            ok = u && !u->disabled && verify_secret(u->password_hash, password);
            if (!u) verify_secret(dummy, password);
        });
        if (!ran) {
            res.set_header("Retry-After", "2");
            log_warn("login", {{"user", user}, {"result", "busy"}, {"remote", req.remote_addr}});
            return login_form(req, res, tr("app.login.busy"), 503);
        }
        if (!ok) {
            if (known) app.throttle.fail(user_key, app.rule(limits::kLoginAccount), now);   // not counted yet
            app.audit(anon, "login_failed", user.substr(0, 64), req.remote_addr);
            log_warn("login", {{"user", user}, {"result", "failed"}, {"remote", req.remote_addr}});
            return login_form(req, res, tr("app.login.failed"), 401);
        }
        app.throttle.clear(user_key);
        app.throttle.forgive(ip_key);
        res.set_header("Set-Cookie", std::string(kKnownCookie) + "=" + known_value(app, u->user) +
                                         "; Path=/admin/login; HttpOnly; SameSite=Strict; Max-Age=31536000" +
                                         (app.opts.secure_cookies ? "; Secure" : ""));
        const std::string token = random_token(32);
        StaffSession s;
        s.token_hash = sha256_hex(token);
        s.user = u->user;
        s.role = u->role;
        s.csrf = random_token(24);
        s.created_at = rfc3339_now();
        s.expires_at = rfc3339_utc(now_millis() + std::int64_t{app.opts.session_hours} * 3600 * 1000);
        app.st.admin().create_session(s);
        Ctx c;
        c.s = s;
        app.audit(c, "login", u->user, req.remote_addr);
        res.set_header("Set-Cookie", std::string(kCookie) + "=" + token + cookie_attrs(app, app.opts.session_hours * 3600));
        redirect(res, next);
    });

    app.post(svr, "/admin/logout", Role::Viewer, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) {
        app.st.admin().delete_session(c.s.token_hash);
        app.audit(c, "logout", c.s.user, "");
        res.set_header("Set-Cookie", std::string(kCookie) + "=" + cookie_attrs(app, 0));
        redirect(res, "/admin/login");
    });
}

// --- Web ------------------------------------------------------------------------------------

struct Web::Impl {
    App app;
};

Web::Web(Storage& storage, KeyPair keys, WebOptions opts)
    : impl_(new Impl{App{storage, std::move(keys), std::move(opts), {}}}) {
    crypto_init();
    impl_->app.throttle.set_capacity(impl_->app.opts.throttle_capacity);
    impl_->app.exports.set_limits(impl_->app.opts.export_cache_bytes,
                                  std::chrono::seconds(impl_->app.opts.export_cache_max_age_s));
    impl_->app.public_secret = random_token(32);
    storage.admin();   // creates the admin tables now, not on the first request
    // The word tables are embedded; a broken one is a build mistake, said once at start-up.
    for (const std::string& p : table_problems()) log_warn("text", {{"problem", p}});
}

Web::~Web() = default;

void Web::install(httplib::Server& svr) {
    App& app = impl_->app;
    // Before any dashboard form body is read: a staff session must be there (else the answer
    // is the login page and the body is never read), and only then the staff body cap applies.
    if (GuardedServerBase* g = guard_of(svr)) {
        const ServerLimits lim = g->limits();
        g->add_gate([&app, lim](const httplib::Request& req, httplib::Response& res, RequestGuard& rg) {
            using HR = httplib::Server::HandlerResponse;
            if (req.method != "POST" || req.path.rfind("/admin/", 0) != 0 || req.path == "/admin/login") return HR::Unhandled;
            const std::string tok = cookie_value(req, kCookie);
            if (tok.empty() || !app.st.admin().session(sha256_hex(tok), rfc3339_now())) {
                rg.must_close = true;
                redirect(res, "/admin/login");
                return HR::Handled;
            }
            rg.body_cap = req.path == "/admin/fleet/import" ? lim.max_import_body : lim.max_staff_body;
            return HR::Unhandled;
        });
    }
    install_auth(app, svr);
    install_dashboard(app, svr);
    install_inbox(app, svr);
    install_city_response(app, svr);
    install_publish(app, svr);
    install_projects(app, svr);
    install_survey(app, svr);
    install_proposal_review(app, svr);
    install_agreements(app, svr);
    install_targets(app, svr);
    install_evaluation(app, svr);
    install_reports(app, svr);
    install_exports(app, svr);
    install_public(app, svr);
    install_notices(app, svr);
    install_checkin(app, svr);
    install_talent(app, svr);
    install_groups(app, svr);
    install_quotas(app, svr);
    install_slots_publish(app, svr);   // before install_bookings: /admin/bookings/slots/new
    install_bookings(app, svr);
    install_consultations(app, svr);
    install_bookings_export(app, svr);
    install_public_directory(app, svr);
    install_items(app, svr);
    svr.Get("/", [](const httplib::Request&, httplib::Response& res) { redirect(res, "/admin"); });
}

void add_staff(Storage& storage, const std::string& user, const std::string& role, const std::string& password,
               const std::string& department) {
    if (user.empty() || user.size() > 64) throw std::invalid_argument("user name must be 1-64 characters");
    for (unsigned char ch : user)
        if (!(std::isalnum(ch) || ch == '.' || ch == '_' || ch == '-' || ch == '@'))
            throw std::invalid_argument("user name: use A-Z a-z 0-9 . _ - @");
    if (role != "viewer" && role != "editor" && role != "admin" && role != "department")
        throw std::invalid_argument("role must be department, viewer, editor or admin");
    const std::string dept = trim(department);
    if (role == "department" && (dept.empty() || dept.size() > 200))
        throw std::invalid_argument("a department account needs its department, 1-200 bytes");
    if (password.size() < 10) throw std::invalid_argument("password must be at least 10 characters");
    crypto_init();
    StaffUser u;
    u.user = user;
    u.role = role;
    u.password_hash = hash_secret(password);
    u.created_at = rfc3339_now();
    if (auto old = storage.admin().staff(user)) u.created_at = old->created_at;
    // The scope first: a department account never exists, even for a moment, without one.
    storage.civic().put_staff_department(user, role == "department" ? dept : "");
    storage.admin().put_staff(u);
}

IngestResult import_bundle(Storage& storage, const KeyPair& keys, const std::string& bundle_text) {
    const Json b = Json::parse(bundle_text, nullptr, false);
    if (b.is_discarded() || !b.is_object()) throw std::invalid_argument("the file is not JSON (expected a kyodo-bundle/1 file)");
    if (b.value("format", "") != "kyodo-bundle/1")
        throw std::invalid_argument("\"format\" is not \"kyodo-bundle/1\"");
    if (!b.contains("kiosk_id") || !b["kiosk_id"].is_string()) throw std::invalid_argument("\"kiosk_id\" is missing");
    if (!b.contains("records") || !b["records"].is_array()) throw std::invalid_argument("\"records\" must be an array");
    const std::string kiosk = b["kiosk_id"].get<std::string>();
    auto dev = storage.device(kiosk);
    if (!dev) throw std::invalid_argument("kiosk \"" + kiosk + "\" is not enrolled");
    if (dev->revoked) throw std::invalid_argument("kiosk \"" + kiosk + "\" was revoked; its bundle is not accepted");
    const std::int64_t now = now_millis();
    PushMeta meta;
    meta.kiosk_id = kiosk;
    meta.received_at = rfc3339_utc(now);
    if (b.contains("app_version") && b["app_version"].is_string()) meta.app_version = b["app_version"].get<std::string>();
    const Json& recs = b["records"];
    IngestResult total;
    // In slices of at most 1000, the API's per-push limit.
    for (std::size_t i = 0; i < recs.size(); i += 1000) {
        Json slice = Json::array();
        for (std::size_t j = i; j < recs.size() && j < i + 1000; ++j) slice.push_back(recs[j]);
        IngestResult r = ingest_batch(storage, keys, meta, slice, now);
        total.stored += r.stored;
        total.duplicate += r.duplicate;
        total.rejected += r.rejected;
        total.conflict += r.conflict;
        total.catalog_version = r.catalog_version;
        for (auto& a : r.answers) total.answers.push_back(std::move(a));
    }
    if (recs.empty()) total.catalog_version = storage.catalog_version();
    return total;
}

}  // namespace kyodo::server::web
