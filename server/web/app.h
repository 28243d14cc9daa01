// Internals shared by the dashboard's page groups (server/web/*.cpp): the request context,
// role-checked route registration with CSRF, the page layout and small catalog lookups.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/timeutil.h"
#include "server/web/html.h"
#include "server/web/web.h"

namespace kyodo::server::web {

enum class Role { Public = 0, Viewer = 1, Editor = 2, Admin = 3 };
Role role_from(const std::string& r);
const char* role_label(const std::string& r);

struct Ctx {
    StaffSession s;
    Role role = Role::Public;
    std::map<std::string, std::string> form;   // POST fields (urlencoded or multipart text)
};

using Handler = std::function<void(Ctx&, const httplib::Request&, httplib::Response&)>;

struct App {
    Storage& st;
    KeyPair keys;
    WebOptions opts;
    std::string public_secret;   // random per process: signs the anonymous cancel form

    // Failed attempts (login per user, receipt lookups per receipt and per address).
    std::mutex mu;
    std::map<std::string, std::pair<int, std::int64_t>> failures;
    bool too_many(const std::string& key, int max, std::int64_t window_ms);
    void note_failure(const std::string& key);

    void audit(const Ctx& c, const std::string& action, const std::string& target, const std::string& detail);

    // Routes. GET pages need `min` role (Public = no login); POSTs also need the session's
    // CSRF token in the form field "csrf". Not logged in → 303 to the login page.
    void get(httplib::Server& svr, const std::string& pattern, Role min, Handler h);
    void post(httplib::Server& svr, const std::string& pattern, Role min, Handler h);

    // The current catalog as the protocol's full document (activities carry "taken").
    Json catalog();
};

// Page output.
void send_html(httplib::Response& res, int status, const std::string& html);
void redirect(httplib::Response& res, const std::string& to);
std::string page(const Ctx& c, const std::string& title, const std::string& body, const std::string& nav = "");
std::string phone_page(const std::string& title, const std::string& body);
std::string csrf_field(const Ctx& c);
void deny(const Ctx& c, httplib::Response& res, const std::string& why);
void not_found(const Ctx& c, httplib::Response& res, const std::string& what);
std::string flash(const httplib::Request& req);   // ?msg=… shown as a notice

// Catalog lookups on the full document.
const Json* find_by_id(const Json& arr, const std::string& id);
std::string centre_name(const Json& cat, const std::string& id);
std::string activity_title(const Json& cat, const std::string& id);
std::string str(const Json& j, const char* key);
Json payload_of(const AdminRecord& r);
Json personal_of(const AdminRecord& r);

// Page groups.
void install_auth(App& app, httplib::Server& svr);
void install_dashboard(App& app, httplib::Server& svr);   // home, fleet, audit, staff
void install_inbox(App& app, httplib::Server& svr);       // rosters, opinions, surveys, comments, proposals
void install_publish(App& app, httplib::Server& svr);
void install_reports(App& app, httplib::Server& svr);
void install_exports(App& app, httplib::Server& svr);     // CSV/JSON, open data
void install_public(App& app, httplib::Server& svr);      // phone pages
void install_projects(App& app, httplib::Server& svr);    // 協働事業の台帳 (projects.cpp)
void install_agreements(App& app, httplib::Server& svr);  // 連携協定 (agreements.cpp)
void install_targets(App& app, httplib::Server& svr);     // 指標の年度別目標, 職員アンケート (targets.cpp)

// Shared by inbox, exports and public pages.
const char* signup_status_ja(const std::string& s);
const char* state_ja(const std::string& s);
bool comment_period_closed(const Json& draft);
extern const char* const kStylesheet;   // server/web/static/dashboard.css, embedded at build time

}  // namespace kyodo::server::web
