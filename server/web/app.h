// Internals shared by the dashboard's page groups (server/web/*.cpp): the request context,
// role-checked route registration with CSRF, the page layout and small catalog lookups.
#pragma once

#include <httplib.h>

#include <array>
#include <functional>
#include <list>
#include <memory>
#include <unordered_map>
#include <map>
#include <mutex>
#include <string>

#include "core/timeutil.h"
#include "server/http_guard.h"
#include "server/web/export_cache.h"
#include "server/web/html.h"
#include "server/web/text.h"
#include "server/web/web.h"

namespace kyodo::server {
struct Project;   // server/civic.h
}

namespace kyodo::server::web {

// Department (担当課) accounts sit below Viewer: they see and answer only their own department's
// projects in the 実績調査 (survey.cpp), never rosters or anything with residents' data.
enum class Role { Public = 0, Department = 1, Viewer = 2, Editor = 3, Admin = 4 };
Role role_from(const std::string& r);
const char* role_label(const std::string& r);

struct Ctx {
    StaffSession s;
    Role role = Role::Public;
    std::string department;                    // the department a Role::Department account answers for
    std::map<std::string, std::string> form;   // POST fields (urlencoded or multipart text)
};

using Handler = std::function<void(Ctx&, const httplib::Request&, httplib::Response&)>;

// Failed attempts per key. Past `free` failures each attempt must wait base·2^(n-free), at most
// max; a key is forgotten `forget` after its last failure, or on success / staff unlock. The
// table is bounded: when full it drops the least recently failed key that is not being delayed,
// and only when every key is delayed, the least recently failed of those. A flood of new keys
// therefore cannot wipe the delay of a key under attack.
class Throttle {
public:
    struct Rule {
        int free;
        std::int64_t base_ms, max_ms, forget_ms;
    };
    explicit Throttle(std::size_t capacity) : cap_(capacity) {}
    std::int64_t wait_ms(const std::string& key, const Rule& r, std::int64_t now);   // 0 = go ahead
    void fail(const std::string& key, const Rule& r, std::int64_t now);
    // wait_ms and fail as one step: 0 and the attempt counted as failed until forgiven, or the
    // wait. So a hundred simultaneous attempts cannot all pass before the first one fails.
    std::int64_t admit(const std::string& key, const Rule& r, std::int64_t now);
    void forgive(const std::string& key);   // takes back one counted attempt (it succeeded)
    void clear(const std::string& key);
    int failures(const std::string& key);
    // The keys that start with `prefix` and have failures, with how many, by key (at most `limit`).
    std::vector<std::pair<std::string, int>> failing(const std::string& prefix, std::size_t limit);
    std::size_t size();
    void set_capacity(std::size_t c) { cap_ = c; }

private:
    struct Entry {
        int n = 0;
        std::int64_t last = 0;
        bool hot = false;   // being delayed: kept over cold entries
        std::list<std::string>::iterator pos;
    };
    void unlink(Entry& e) { (e.hot ? hot_ : cold_).erase(e.pos); }
    std::int64_t wait_locked(const std::string& key, const Rule& r, std::int64_t now);
    void fail_locked(const std::string& key, const Rule& r, std::int64_t now);
    std::mutex mu_;
    std::size_t cap_;
    std::list<std::string> cold_, hot_;   // least recently failed first
    std::unordered_map<std::string, Entry> map_;
};

namespace limits {
inline constexpr Throttle::Rule kLoginAddress{10, 1000, 60 * 1000, 3600 * 1000};
inline constexpr Throttle::Rule kLoginAccount{5, 2000, 300 * 1000, 3600 * 1000};
inline constexpr Throttle::Rule kReceiptAddress{10, 2000, 600 * 1000, 3600 * 1000};
inline constexpr Throttle::Rule kReceipt{5, 2000, 60 * 1000, 3600 * 1000};
}  // namespace limits

struct App {
    Storage& st;
    KeyPair keys;
    WebOptions opts;
    std::string public_secret;   // random per process: signs the anonymous cancel form

    // Failed attempts (login per account and per address, receipt lookups per receipt and per
    // address), with growing delays rather than lockouts.
    Throttle throttle{100000};
    // Argon2id checks (~64 MiB and ~0.2 s each) on one thread of their own with a queue limit,
    // dashboard / phone / open-data pages on 4 threads of their own, both at a lower CPU
    // priority (nice 10 and 5) than the connection threads kiosk pushes run on. Not lower: at nice 19 a
    // login on a machine whose cores are busy with other work took over 30 s (weight 15 vs 1024).
    std::unique_ptr<BoundedPool> hash_pool = std::make_unique<BoundedPool>(1, 16, 10);
    std::unique_ptr<BoundedPool> page_pool = std::make_unique<BoundedPool>(4, 256, 5);

    // Open data (/open/…) as last built, by path: {key, body, content type}. The key is the
    // records mark, catalog version and JST date; one build at a time, the rest wait for it.
    std::mutex open_mu{};
    std::map<std::string, std::array<std::string, 3>> open_cache{};

    // Admin exports as last built (server/web/export_cache.h), bounded by
    // WebOptions::export_cache_bytes. Its generation moves after every POST that may change
    // data (App::changed), which the exports' keys include.
    ExportCache exports{};
    void changed() { exports.bump(); }

    // A limits:: rule with its delays scaled by opts.throttle_time_scale.
    Throttle::Rule rule(const Throttle::Rule& r) const {
        return {r.free, static_cast<std::int64_t>(static_cast<double>(r.base_ms) * opts.throttle_time_scale),
                static_cast<std::int64_t>(static_cast<double>(r.max_ms) * opts.throttle_time_scale), r.forget_ms};
    }

    void audit(const Ctx& c, const std::string& action, const std::string& target, const std::string& detail);

    // Routes. GET pages need `min` role (Public = no login); POSTs also need the session's
    // CSRF token in the form field "csrf". Not logged in → 303 to the login page.
    void get(httplib::Server& svr, const std::string& pattern, Role min, Handler h);
    void post(httplib::Server& svr, const std::string& pattern, Role min, Handler h);

    // The current catalog as the protocol's full document (activities carry "taken").
    Json catalog();
};

// A download (CSV / JSON) served from App::exports: `key` names what its content depends on
// (the caller's list and query); export_key() adds records mark, catalog version, the edit
// generation, the language and the JST date. `build` fills a response (body, Content-Type,
// Content-Disposition) when the key is not kept. Answers ETag (of the content) and 304 to a
// matching If-None-Match; Cache-Control is `cache_control`. keep=false: built every time
// (content that moves without a mark), still with ETag/304. Check the reader's role BEFORE.
// Returns the entry served (its rows count is what `build` set in X-Rows, 0 when not).
std::string export_key(App& app, const std::string& what);
std::shared_ptr<const ExportCache::Entry> send_cached(App& app, const httplib::Request& req, httplib::Response& res,
                                                      const std::string& key, bool keep, const std::string& cache_control,
                                                      const std::function<void(httplib::Response&)>& build);

// Runs fn on App::page_pool (waiting for it), or answers 503 (Retry-After) when its queue is full.
bool with_page_slot(App& app, httplib::Response& res, const std::function<void()>& fn);

// The reader's language: the kyodo_lang cookie the header's switch sets (Japanese without it).
// Routes registered with App::get/post serve in it already; a handler registered on svr directly
// starts with `const LangScope lang(lang_of(req));`.
Lang lang_of(const httplib::Request& req);

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
void install_city_response(App& app, httplib::Server& svr);   // 市の考え方 published to the kiosks (city_response.cpp)
void install_publish(App& app, httplib::Server& svr);
void install_reports(App& app, httplib::Server& svr);
void install_exports(App& app, httplib::Server& svr);     // CSV/JSON, open data
void install_public(App& app, httplib::Server& svr);      // phone pages
void install_projects(App& app, httplib::Server& svr);    // 協働事業の台帳 (projects.cpp)
void install_survey(App& app, httplib::Server& svr);      // 実績調査: departments answer, the office sees who has (survey.cpp)
void install_agreements(App& app, httplib::Server& svr);  // 連携協定 (agreements.cpp)
void install_targets(App& app, httplib::Server& svr);     // 指標の年度別目標, 職員アンケート (targets.cpp)
void install_evaluation(App& app, httplib::Server& svr);  // 評価シート, パートナーのリンク, 協働チェックシート (evaluation.cpp)
// The project page's evaluation history year by year and the partner's link panel (evaluation.cpp).
std::string evaluation_section(App& app, const Ctx& c, const Project& p);
void install_notices(App& app, httplib::Server& svr);     // the notice outbox (/admin/notices)
void install_checkin(App& app, httplib::Server& svr);     // check-in links and the phone page (/p/checkin/…)
void install_groups(App& app, httplib::Server& svr);      // group registration (/admin/groups, server/web/groups_page.cpp)
void install_talent(App& app, httplib::Server& svr);      // the talent bank (/admin/talent, server/web/talent_page.cpp)
void install_quotas(App& app, httplib::Server& svr);      // kiosk quotas and leases (/admin/quotas, server/web/quotas_page.cpp)
// Lending and rooms, consultations (docs/lending.md "Staff side"): publishing slots and the 優先予約
// window (slots_publish.cpp), the per-centre calendar, marks and blocks (bookings_page.cpp), the
// consultations list (consultations_page.cpp), their CSV (bookings_export.cpp).
void install_slots_publish(App& app, httplib::Server& svr);
void install_bookings(App& app, httplib::Server& svr);
void install_consultations(App& app, httplib::Server& svr);
void install_bookings_export(App& app, httplib::Server& svr);
void install_public_directory(App& app, httplib::Server& svr);   // /p/groups, /p/help (public_directory.cpp)
void install_items(App& app, httplib::Server& svr);       // things given away (/admin/items, server/web/items_page.cpp)
void install_item_form(App& app, httplib::Server& svr);   // an item's form (server/web/items_form.cpp)

// The roster page's check-in link panel; `new_url` is shown once, right after issuing.
std::string checkin_panel(App& app, const Ctx& c, const std::string& activity_id, const std::string& new_url = "");

// Anonymous phone forms: HMAC-SHA256 of `data` with the per-process secret (hex), and the
// same-origin check of Origin / Sec-Fetch-Site (server/web/public.cpp).
std::string public_sign(const App& app, const std::string& data);
bool same_origin(const httplib::Request& req);

// Paged lists (every dashboard list that grows; docs/dashboard.md "Paged lists"). ?page=N
// (1 when absent or not a positive number) and ?before=N (0 likewise).
std::size_t page_param(const httplib::Request& req, const char* name = "page");
std::int64_t before_param(const httplib::Request& req);
// The page links every paged list shows: the count of the whole (filtered) set 「全 N 件」, a
// link back to the first page when not on it (`at` != 0) and one to the next page (rel="next",
// `next` != 0) as `param`=next; `base` ends in '?' or has a query (the filters, kept from page
// to page). Keyset lists (newest first) use param "before" and the labels 最新へ / さらに古いもの;
// numbered lists use pager_pages.
std::string pager(const std::string& base, std::int64_t at, std::int64_t next, std::int64_t total, const char* param = "before",
                  const char* first_label = "inbox.pager.newest", const char* next_label = "inbox.pager.older");
// A list read with LIMIT/OFFSET, `page` (1-based) of `page_size` rows: the same links as ?page=N.
// `param` names the page number when a page shows more than one paged list (e.g. matches_page).
std::string pager_pages(const std::string& base, std::size_t page, std::size_t page_size, std::int64_t total, const char* param = "page");
// The page actually shown: `asked` held to the last page of `total` rows (at least 1).
std::size_t page_within(std::size_t asked, std::size_t page_size, std::int64_t total);

// Shared by inbox, exports and public pages.
const char* signup_status_ja(const std::string& s);
const char* state_ja(const std::string& s);
bool comment_period_closed(const Json& draft);
extern const char* const kStylesheet;   // server/web/static/dashboard.css, embedded at build time

}  // namespace kyodo::server::web
