// A staff member on the real dashboard of a kyodo-server child process: logs in through the
// login form (its pre-login cookie and CSRF token), keeps the session cookie, and posts forms
// with the CSRF token of the page it last read. For the integration suites.
#pragma once

#include <httplib.h>

#include <regex>
#include <string>

namespace kyodo::test {

inline std::string set_cookie(const httplib::Result& r, const std::string& name) {
    for (const auto& [k, v] : r->headers)
        if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v.substr(0, v.find(';'));
    return "";
}

inline std::string find_csrf(const std::string& body) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([^\"]+)\"");
    return std::regex_search(body, m, re) ? m[1].str() : "";
}

struct StaffClient {
    httplib::Client web;
    std::string session, csrf;

    explicit StaffClient(int port) : web("127.0.0.1", port) {
        web.set_connection_timeout(10);
        web.set_read_timeout(60);
    }
    // True when the login was accepted (303 and a session cookie).
    bool login(const std::string& user, const std::string& password) {
        auto form = web.Get("/admin/login");
        if (!form) return false;
        auto r = web.Post("/admin/login", {{"Cookie", set_cookie(form, "kyodo_login")}},
                          httplib::Params{{"csrf", find_csrf(form->body)}, {"user", user}, {"password", password}, {"next", "/admin"}});
        if (!r || r->status != 303) return false;
        session = set_cookie(r, "kyodo_session");
        return !session.empty();
    }
    httplib::Result get(const std::string& path) {
        auto r = web.Get(path, {{"Cookie", session}});
        if (r && !find_csrf(r->body).empty()) csrf = find_csrf(r->body);
        return r;
    }
    httplib::Result post(const std::string& path, httplib::Params p) {
        p.emplace("csrf", csrf);
        return web.Post(path, {{"Cookie", session}}, p);
    }
};

}  // namespace kyodo::test
