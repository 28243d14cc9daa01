// A minimal W3C WebDriver client for the dashboard's browser tests (headless Chromium from
// Debian through chromedriver on loopback): tests/web/browser_test.cpp and
// tests/web/civic_browser_test.cpp. Screenshots go to <build>/screenshots/web/.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/codec.h"
#include "core/seal.h"

namespace kyodo::web_test {

inline const std::string kShots = std::string(KYODO_BINARY_DIR) + "/screenshots/web";
inline const char* const kChromium = "/usr/bin/chromium";
inline const char* const kDriver = "/usr/bin/chromedriver";
inline constexpr const char* kElem = "element-6066-11e4-a52e-4f735466cecf";

inline int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    const int port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

// A minimal W3C WebDriver client.
class Driver {
public:
    Driver(int port, const std::string& profile_dir) : cli_("127.0.0.1", port) {
        cli_.set_connection_timeout(5);
        cli_.set_read_timeout(60);
        const Json caps = {
            {"capabilities",
             {{"alwaysMatch",
               {{"browserName", "chrome"},
                {"goog:chromeOptions",
                 {{"binary", kChromium},
                  {"args", Json::array({"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                        "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=ja-JP",
                                        "--user-data-dir=" + profile_dir, "--window-size=1280,1000"})},
                  {"prefs", {{"intl.accept_languages", "ja-JP,ja"}}}}}}}}}};
        const Json r = call("POST", "/session", caps);
        session_ = r["value"]["sessionId"].get<std::string>();
    }
    ~Driver() {
        if (!session_.empty()) cli_.Delete("/session/" + session_);
    }
    Json call(const std::string& method, const std::string& path, const Json& body = Json::object()) {
        httplib::Result r = method == "GET"      ? cli_.Get(path)
                            : method == "DELETE" ? cli_.Delete(path)
                                                 : cli_.Post(path, body.dump(), "application/json");
        if (!r) throw std::runtime_error("webdriver: no answer for " + method + " " + path);
        Json j = Json::parse(r->body, nullptr, false);
        if (r->status != 200) throw std::runtime_error("webdriver " + path + ": " + r->body.substr(0, 400));
        return j;
    }
    std::string s(const std::string& p) const { return "/session/" + session_ + p; }
    void go(const std::string& url) { call("POST", s("/url"), {{"url", url}}); }
    std::string find(const std::string& css) {
        return call("POST", s("/element"), {{"using", "css selector"}, {"value", css}})["value"][kElem].get<std::string>();
    }
    void type(const std::string& css, const std::string& text) {
        const std::string e = find(css);
        call("POST", s("/element/" + e + "/clear"));
        call("POST", s("/element/" + e + "/value"), {{"text", text}});
    }
    void click(const std::string& css) { call("POST", s("/element/" + find(css) + "/click")); }
    std::string source() { return call("GET", s("/source"))["value"].get<std::string>(); }
    bool exists(const std::string& css) {
        const Json r = call("POST", s("/elements"), {{"using", "css selector"}, {"value", css}});
        return r["value"].is_array() && !r["value"].empty();
    }
    // An element of a page that has been replaced by another one answers 404 (stale element
    // reference / no such element); one still in the page answers 200.
    bool gone(const std::string& element) {
        const httplib::Result r = cli_.Get(s("/element/" + element + "/name"));
        if (!r) throw std::runtime_error("webdriver: no answer");
        return r->status == 404;
    }
    // Polls a condition (never a fixed sleep standing in for one), bounded by `ms`.
    template <class Pred>
    static bool wait_until(Pred pred, int ms = 20000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < deadline) {
            if (pred()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return pred();
    }
    // Clicks something that submits a form or follows a link, then waits until the old page
    // is gone and the new one has `ready_css`: the next step never reads the page being left.
    bool click_and_wait(const std::string& css, const std::string& ready_css) {
        const std::string old_root = find("html");
        click(css);
        return wait_until([&] { return gone(old_root); }) && wait_until([&] { return exists(ready_css); });
    }
    // The page (a fresh one after click_and_wait) contains `text`.
    bool has_text(const std::string& text) { return source().find(text) != std::string::npos; }
    std::string url() { return call("GET", s("/url"))["value"].get<std::string>(); }
    void size(int w, int h) { call("POST", s("/window/rect"), {{"width", w}, {"height", h}}); }
    void shot(const std::string& name) {
        const auto png = base64_decode(call("GET", s("/screenshot"))["value"].get<std::string>());
        REQUIRE(png);
        std::ofstream(kShots + "/" + name + ".png", std::ios::binary) << *png;
    }

    // Just one element (a form's part), at the window's size.
    void shot_of(const std::string& css, const std::string& name) {
        const auto png = base64_decode(call("GET", s("/element/" + find(css) + "/screenshot"))["value"].get<std::string>());
        REQUIRE(png);
        std::ofstream(kShots + "/" + name + ".png", std::ios::binary) << *png;
    }

private:
    httplib::Client cli_;
    std::string session_;
};

}  // namespace kyodo::web_test
