// Fixtures for the dashboard suites: a server with API v1 and the web pages in-process on
// 127.0.0.1 (the sample catalog, three staff accounts), a cookie-keeping client that logs in and
// reads the CSRF token from pages, and records of each kind.
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "core/codec.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "core/uuid.h"
#include "server/admin.h"
#include "server/http_api.h"
#include "server/ingest.h"
#include "server/log.h"
#include "server/storage.h"
#include "server/web/web.h"

namespace kyodo::web_test {

using namespace kyodo::server;

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string sample_catalog_path() { return std::string(KYODO_ASSETS_DIR) + "/catalog/sample_catalog.json"; }

inline const KeyPair& keys() {
    static const KeyPair k = [] {
        crypto_init();
        set_log_enabled(std::getenv("KYODO_TEST_LOG") != nullptr);
        return generate_keypair();
    }();
    return k;
}

constexpr const char* kPassword = "kyodo-test-password";

struct WebServer {
    std::filesystem::path dir;
    std::unique_ptr<Storage> storage;
    std::unique_ptr<httplib::Server> svr;
    std::unique_ptr<Api> api;
    std::unique_ptr<web::Web> web;
    std::thread thread;
    int port = -1;

    explicit WebServer(const std::string& db_spec = "", bool secure_cookies = false,
                       const std::function<void(web::WebOptions&)>& tweak = {}, const ServerLimits& limits = {}) {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kyodo-web-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) std::abort();
        dir = tmpl;
        storage = open_storage(db_spec.empty() ? (dir / "server.db").string() : db_spec);
        storage->import_catalog(read_catalog_file(sample_catalog_path()));
        web::add_staff(*storage, "admin1", "admin", kPassword);
        web::add_staff(*storage, "editor1", "editor", kPassword);
        web::add_staff(*storage, "viewer1", "viewer", kPassword);
        enrol_device_token = enrol_kiosk(*storage, "ohdono-1", "ohdono");
        web::WebOptions o;
        o.secure_cookies = secure_cookies;
        o.indicator_targets = Json::parse(slurp(sample_catalog_path()))["indicator_targets"];
        if (tweak) tweak(o);
        svr = make_server(limits);
        api = std::make_unique<Api>(*storage, keys());
        api->install(*svr);
        web = std::make_unique<web::Web>(*storage, keys(), o);
        web->install(*svr);
        port = bind_server(*svr, "127.0.0.1", 0);
        if (port < 0) std::abort();
        thread = std::thread([this] { svr->listen_after_bind(); });
        for (int i = 0; i < 2000 && !svr->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~WebServer() {
        svr->stop();
        thread.join();
        web.reset();
        api.reset();
        storage.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string enrol_device_token;

    // Pushes records as kiosk ohdono-1 through the real ingest path.
    IngestResult push(const std::vector<Record>& recs) {
        Json arr = Json::array();
        for (const Record& r : recs) arr.push_back(to_json(r));
        PushMeta m;
        m.kiosk_id = "ohdono-1";
        m.received_at = rfc3339_now();
        return ingest_batch(*storage, keys(), m, arr, now_millis());
    }
};

inline Record make_record(RecordKind kind, Json payload, const Personal* p = nullptr) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = kind;
    r.created_at = rfc3339_now();
    r.kiosk_id = "ohdono-1";
    r.centre_id = "ohdono";
    r.payload = std::move(payload);
    if (p) r.sealed = seal_personal(*p, keys().public_key_b64);
    return r;
}

inline Record signup(const std::string& activity, int party, const std::string& name, const std::string& check = "1234") {
    Personal p;
    p.name = name;
    p.furigana = "やまぐち はなこ";
    p.phone = "083-922-0000";
    return make_record(RecordKind::SignUp,
                       {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}, {"note", ""}, {"check_code", check}},
                       &p);
}

inline Record opinion(const std::string& text) {
    return make_record(RecordKind::Opinion, {{"topic", "防災"}, {"text", text}, {"activity_id", ""}, {"wants_reply", false}});
}

// A browser-ish client: keeps the session cookie, finds CSRF tokens in pages.
struct Browser {
    httplib::Client cli;
    std::string cookie;   // "kyodo_session=…"
    std::string csrf;
    std::string lang;     // "en": pages in English (the kyodo_lang cookie the header's switch sets)
    explicit Browser(int port) : cli("127.0.0.1", port) {
        cli.set_connection_timeout(5);
        cli.set_read_timeout(20);
    }
    httplib::Headers headers() const {
        httplib::Headers h;
        std::string c = cookie;
        if (!lang.empty()) c += (c.empty() ? "" : "; ") + std::string("kyodo_lang=") + lang;
        if (!c.empty()) h.emplace("Cookie", c);
        return h;
    }
    static std::string find_csrf(const std::string& body) {
        std::smatch m;
        static const std::regex re("name=\"csrf\" value=\"([^\"]+)\"");
        return std::regex_search(body, m, re) ? m[1].str() : "";
    }
    static std::string set_cookie_value(const httplib::Result& r, const std::string& name) {
        for (const auto& [k, v] : r->headers)
            if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v;
        return "";
    }
    // Logs in; returns the login POST's status (303 on success).
    int login(const std::string& user, const std::string& password = kPassword) {
        auto form = cli.Get("/admin/login");
        if (!form) return -1;
        const std::string pre = set_cookie_value(form, "kyodo_login");
        const std::string pre_cookie = pre.substr(0, pre.find(';'));
        httplib::Headers h{{"Cookie", pre_cookie}};
        httplib::Params p{{"csrf", find_csrf(form->body)}, {"user", user}, {"password", password}, {"next", "/admin"}};
        auto r = cli.Post("/admin/login", h, p);
        if (!r) return -1;
        const std::string sc = set_cookie_value(r, "kyodo_session");
        if (!sc.empty()) {
            cookie = sc.substr(0, sc.find(';'));
            auto home = get("/admin");
            csrf = find_csrf(home->body);
        }
        return r->status;
    }
    httplib::Result get(const std::string& path) { return cli.Get(path, headers()); }
    // As a browser sends a form with enctype="multipart/form-data" (the publishing forms).
    httplib::Result post_multipart(const std::string& path, const httplib::Params& p) {
        httplib::MultipartFormDataItems items;
        for (const auto& [k, v] : p) items.push_back({k, v, "", ""});
        return cli.Post(path, headers(), items);
    }
    httplib::Result post(const std::string& path, httplib::Params p, bool with_csrf = true) {
        if (with_csrf) p.emplace("csrf", csrf);
        return cli.Post(path, headers(), p);
    }
};

}  // namespace kyodo::web_test

namespace kyodo::web_test {

inline std::string html_unescape(const std::string& s) {
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            o += s[i];
            continue;
        }
        static const std::pair<const char*, char> ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        bool hit = false;
        for (const auto& [e, ch] : ents)
            if (s.compare(i, std::strlen(e), e) == 0) {
                o += ch;
                i += std::strlen(e) - 1;
                hit = true;
                break;
            }
        if (!hit) o += '&';
    }
    return o;
}

// What a browser would submit for the form posting to `action` in `html`, without pressing
// any button: text and hidden inputs, checked checkboxes, the selected option (or the first),
// textareas. Disabled controls are left out, as a browser does.
inline httplib::Params form_fields(const std::string& html, const std::string& action) {
    httplib::Params out;
    const auto start = html.find("action=\"" + action + "\"");
    if (start == std::string::npos) return out;
    const auto end = html.find("</form>", start);
    const std::string f = html.substr(start, end - start);
    static const std::regex tag(R"(<(input|select|/select|option|textarea)\b([^>]*)>)");
    static const std::regex attr(R"re(([a-zA-Z-]+)(?:="([^"]*)")?)re");
    std::string select_name, first_option;
    bool selected_any = false;
    for (auto it = std::sregex_iterator(f.begin(), f.end(), tag); it != std::sregex_iterator(); ++it) {
        const std::string t = (*it)[1], rest = (*it)[2];
        std::map<std::string, std::string> a;
        for (auto m = std::sregex_iterator(rest.begin(), rest.end(), attr); m != std::sregex_iterator(); ++m)
            a[(*m)[1]] = html_unescape((*m)[2]);
        if (a.count("disabled")) {
            if (t == "select") select_name.clear();
            continue;
        }
        if (t == "input") {
            if (!a.count("name")) continue;
            if (a["type"] == "checkbox" && !a.count("checked")) continue;
            out.emplace(a["name"], a["value"]);
        } else if (t == "textarea") {
            const auto from = static_cast<std::size_t>(it->position() + it->length());
            out.emplace(a["name"], html_unescape(f.substr(from, f.find("</textarea>", from) - from)));
        } else if (t == "select") {
            select_name = a["name"];
            first_option.clear();
            selected_any = false;
        } else if (t == "option" && !select_name.empty()) {
            if (first_option.empty()) first_option = a["value"] + "\x01";
            if (a.count("selected") && !selected_any) {
                out.emplace(select_name, a["value"]);
                selected_any = true;
            }
        } else if (t == "/select") {
            if (!select_name.empty() && !selected_any && !first_option.empty()) out.emplace(select_name, first_option.substr(0, first_option.size() - 1));
            select_name.clear();
        }
    }
    return out;
}

inline void set_field(httplib::Params& p, const std::string& k, const std::string& v) {
    p.erase(k);
    p.emplace(k, v);
}

inline std::string field_value(const httplib::Params& p, const std::string& k) {
    const auto it = p.find(k);
    return it == p.end() ? "" : it->second;
}

}  // namespace kyodo::web_test
