// Issue 9's proof: persona walkthroughs on the real kyodo-kiosk under Xvfb, tapped with
// xdotool where --print-layout says things are. Each step waits for what a person would see
// next (the screen, the settings in force, the date filter, the activity shown, the keyboard's
// keys) and saves a screenshot of the whole display to
// <build>/screenshots/persona-<who>-<nn>-<step>.png. The foreign resident in English is in
// test_e2e.cpp ("a foreign resident signs up in English …").
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "app/model/dates.h"
#include "core/utf8.h"
#include "e2e_util.h"

using namespace kyodo::e2e;

namespace {

struct Walk {
    std::string who, dir, shots, db, display, win;
    pid_t xvfb = -1, kiosk = -1;
    int kfd = -1;
    LayoutReader L;
    bool ok = false, can_shoot = false;
    int shot_no = 0;

    Walk(std::string name, const std::string& size, const std::vector<std::string>& extra) : who(std::move(name)) {
        can_shoot = have("import");
        dir = std::string(KYODO_BINARY_DIR) + "/tmp/persona-" + who;
        shots = std::string(KYODO_BINARY_DIR) + "/screenshots";
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::create_directories(shots);
        for (const auto& old : fs::directory_iterator(shots))
            if (old.path().filename().string().rfind("persona-" + who + "-", 0) == 0) fs::remove(old.path());
        db = dir + "/kiosk.db";
        int xfd = -1;
        xvfb = spawn({"Xvfb", "-displayfd", "1", "-screen", "0", size + "x24", "-nolisten", "tcp"}, &xfd, {});
        REQUIRE(xvfb > 0);
        std::string num;
        auto t0 = Clock::now();
        char c;
        while (std::chrono::duration<double>(Clock::now() - t0).count() < 120) {
            ssize_t n = read(xfd, &c, 1);
            if (n == 1) {
                if (c == '\n') break;
                num += c;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        close(xfd);
        REQUIRE_MESSAGE(!num.empty(), "Xvfb did not report a display");
        display = ":" + num;
        std::vector<std::string> argv = {KYODO_KIOSK_BIN, "--demo-db", db, "--assets", KYODO_ASSETS_DIR, "--window", size,
                                         "--no-sync", "--print-layout"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        kiosk = spawn(argv, &kfd, {{"DISPLAY", display}});
        REQUIRE(kiosk > 0);
        L.fd = kfd;
        ok = L.wait([&] { return L.screen == "start" && L.has("opinion"); }, 90);
        CHECK_MESSAGE(ok, who << ": the start screen did not appear: " << L.state);
        if (!ok) return;
        FILE* p = popen(("DISPLAY=" + display + " timeout 10 xdotool search --sync --name 'Kyodo Kiosk' 2>/dev/null").c_str(), "r");
        char line[64] = {0};
        if (p && std::fgets(line, sizeof line, p)) win = std::string(line, std::strlen(line) - (std::strchr(line, '\n') ? 1 : 0));
        if (p) pclose(p);
        ok = !win.empty();
        CHECK_MESSAGE(ok, "xdotool found no kiosk window");
    }
    ~Walk() {
        stop(kiosk);
        if (kfd >= 0) close(kfd);
        stop(xvfb);
    }
    bool state_has(const std::string& s) const { return L.state.find(s) != std::string::npos; }
    // The value of `key=` in the state line ("" when absent).
    std::string state_of(const std::string& key) const {
        auto at = L.state.find(" " + key + "=");
        if (at == std::string::npos) return "";
        at += key.size() + 2;
        return L.state.substr(at, L.state.find_first_of(" \n", at) - at);
    }
    // The picture once it stands still and its characters are in the atlas.
    void shot(const std::string& step) {
        if (!ok) return;
        L.wait([&] { return state_has("fonts_building=0"); }, 60);
        L.settle(0.5, 20);
        if (!can_shoot) return;
        char name[200];
        std::snprintf(name, sizeof name, "%s/persona-%s-%02d-%s.png", shots.c_str(), who.c_str(), ++shot_no, step.c_str());
        std::system(("DISPLAY=" + display + " timeout 20 import -window root " + name + " 2>/dev/null").c_str());
        MESSAGE("screenshot: " << name);
    }
    // Taps `id` and waits until `then` holds; `what` says what was expected.
    void step(const std::string& id, const std::function<bool()>& then, const std::string& what) {
        if (!ok) return;
        L.wait([&] { return state_has("fonts_building=0"); }, 60);
        L.settle(0.3, 10);
        ok = L.has(id);
        CHECK_MESSAGE(ok, who << ": nothing to tap named " << id << " on " << L.screen << " (" << what << ")");
        if (!ok) return;
        tap(display, win, L.rects[id]);
        ok = L.wait(then, 90);
        CHECK_MESSAGE(ok, who << ": " << what << " (after tapping " << id << "): screen " << L.screen << " " << L.state
                              << "; screens so far:" << L.trail);
    }
    // Types kana on the kiosk's own keys (voiced kana as the plain key and ゛), as a finger would.
    void tap_kana(const std::string& kana) {
        const std::u32string voiced = U"がぎぐげござじずぜぞだぢづでどばびぶべぼ", plain = U"かきくけこさしすせそたちつてとはひふへほ";
        const std::u32string text = kyodo::utf8::decode(kana);
        for (char32_t c : text) {
            if (!ok) return;
            auto v = voiced.find(c);
            const std::string key = "key:" + kyodo::utf8::encode(v == std::u32string::npos ? c : plain[v]);
            press(key);
            if (v != std::u32string::npos) press("key:゛");
        }
    }
    // Types `digits` on the number pad.
    void tap_keys(const std::string& chars) {
        for (char ch : chars) press(std::string("key:") + ch);
    }
    // Taps one key of the on-screen keyboard and waits until the keyboard took it.
    void press(const std::string& key) {
        const std::string rev = state_of("kbd_rev");
        step(key, [&, rev] { return state_of("kbd_rev") != rev; }, "the key " + key + " did nothing");
    }
    // The kiosk's outbox after it stopped: (kind, json) of each record.
    std::vector<std::pair<std::string, std::string>> outbox() {
        stop(kiosk);
        std::vector<std::pair<std::string, std::string>> out;
        sqlite3* h = nullptr;
        if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, "SELECT kind, json FROM outbox", -1, &st, nullptr) == SQLITE_OK)
            while (sqlite3_step(st) == SQLITE_ROW)
                out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                                 reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
        sqlite3_finalize(st);
        sqlite3_close(h);
        return out;
    }
};

}  // namespace

TEST_CASE("persona: an 80-year-old at 特大 and high contrast signs up for something this weekend") {
    if (!have("Xvfb") || !have("xdotool")) {
        MESSAGE("Xvfb or xdotool missing: persona walkthrough skipped");
        return;
    }
    Walk w("elder", "1920x1080", {});
    auto& L = w.L;
    if (!w.ok) return;
    CHECK(w.state_has("text_size=standard"));
    CHECK(w.state_has("contrast=0"));
    w.shot("start");
    // 文字・言語: the biggest text and high contrast.
    w.step("settings", [&] { return w.state_has("settings=open") && L.has("size-xlarge") && L.has("contrast"); },
           "the 文字・言語 panel did not open");
    w.step("size-xlarge", [&] { return w.state_has("text_size=xlarge"); }, "特大 was not taken");
    w.step("contrast", [&] { return w.state_has("contrast=1"); }, "high contrast was not taken");
    w.shot("settings");
    w.step("settings-close", [&] { return w.state_has("settings=closed") && L.screen == "start"; }, "the panel did not close");
    CHECK(w.state_has("text_size=xlarge"));
    CHECK(w.state_has("contrast=1"));
    w.shot("start-xlarge");
    // 探す → 今週末.
    w.step("find", [&] { return L.screen == "listings"; }, "探す did not open the listings");
    if (w.ok && !L.has("filter.when.weekend") && L.has("filters"))
        w.step("filters", [&] { return L.has("filter.when.weekend"); }, "the filters did not open");
    w.step("filter.when.weekend", [&] { return w.state_has("when=weekend"); }, "今週末 was not taken");
    // Only what still has places: she wants to go, not to read a notice.
    const std::string all_weekend = w.state_of("results");
    w.step("only-open", [&] { return w.state_has("when=weekend") && w.state_of("results") != all_weekend; },
           "空きがあるものだけ changed nothing");
    w.shot("weekend-filter");
    // A narrow page shows the filters as a drawer over the results: close it.
    if (w.ok && L.has("filters") && !L.has("card")) w.step("filters", [&] { return L.has("card"); }, "no cards after the filters");
    CHECK(w.state_has("when=weekend"));
    CHECK(w.state_of("results") != "0");
    w.shot("weekend");
    // This weekend's days, by the kiosk's own today.
    const kyodo::app::DaySpan weekend = kyodo::app::span_of(kyodo::app::DateRange::ThisWeekend, w.state_of("today"));
    REQUIRE_FALSE(weekend.from.empty());
    // The first card that takes sign-ups.
    bool found = false;
    const std::vector<std::vector<float>> cards = L.all["card"];
    for (std::size_t i = 0; i < cards.size() && w.ok && !found; ++i) {
        if (cards[i][1] + cards[i][3] > 1080 - 70) break;   // below the fold: not where a finger lands
        L.wait([&] { return w.state_has("fonts_building=0"); }, 60);
        L.settle(0.3, 10);
        tap(w.display, w.win, cards[i]);
        w.ok = L.wait([&] { return L.screen == "detail" && !w.state_of("activity").empty(); }, 60);
        CHECK_MESSAGE(w.ok, "card " << i << " did not open: " << L.state);
        if (!w.ok) break;
        const std::string starts = w.state_of("starts");
        CAPTURE(starts);
        // What 今週末 listed runs on the weekend (begins by Sunday and has not ended before Saturday).
        CHECK(starts <= weekend.to);
        L.settle(0.5, 10);
        found = L.has("signup");
        if (!found) w.step("back", [&] { return L.screen == "listings" && L.has("card"); }, "back to the list");
    }
    CHECK_MESSAGE(found, "nothing this weekend takes sign-ups");
    w.ok = w.ok && found;
    const std::string activity = w.state_of("activity");
    w.shot("detail");
    w.step("signup", [&] { return L.screen == "signup" && L.has("field:signup.name") && w.state_has("signup_step=0"); },
           "the sign-up did not open");
    // お名前 on the kiosk's keys: やまだ → 変換 → 確定 (山田 comes first).
    w.step("field:signup.name", [&] { return w.state_has("keyboard=open") && L.has("key:や"); }, "no keyboard for the name");
    w.shot("keyboard");
    w.tap_kana("やまだ");
    CHECK_MESSAGE(w.state_has("kbd_chars=3 kbd_mode=composing"), L.state);
    w.step("key:kbd.convert", [&] { return w.state_has("kbd_mode=converting"); }, "変換 did nothing");
    w.shot("converting");
    // 山田: two characters once 確定.
    w.step("key:kbd.commit", [&] { return w.state_has("kbd_chars=2 kbd_mode=idle"); }, "確定 did not give two kanji");
    w.step("key:kbd.done", [&] { return w.state_has("keyboard=closed"); }, "the keyboard did not close");
    w.step("step-next", [&] { return w.state_has("signup_step=1") && L.has("field:signup.furigana"); },
           "the name was not taken");
    // ふりがな.
    w.step("field:signup.furigana", [&] { return w.state_has("keyboard=open") && L.has("key:や"); }, "no keyboard for the reading");
    w.tap_kana("やまだ");
    CHECK_MESSAGE(w.state_has("kbd_chars=3 "), L.state);
    w.step("key:kbd.done", [&] { return w.state_has("keyboard=closed"); }, "the keyboard did not close");
    w.step("step-next", [&] { return w.state_has("signup_step=2") && L.has("field:signup.phone"); },
           "the reading was not taken");
    // 電話番号 on the number pad.
    w.shot("phone");
    w.step("field:signup.phone", [&] { return w.state_has("keyboard=open") && L.has("key:0"); }, "no number pad");
    w.tap_keys("0831234567");
    CHECK_MESSAGE(w.state_has("kbd_chars=10 "), L.state);
    w.step("key:kbd.done", [&] { return w.state_has("keyboard=closed"); }, "the keyboard did not close");
    w.step("step-next", [&] { return w.state_has("signup_step=3"); }, "the phone number was not taken");
    w.step("step-next", [&] { return w.state_has("signup_step=4"); }, "no review step");
    w.shot("review");
    w.step("step-next", [&] { return L.screen == "receipt"; }, "no receipt after submitting");
    CHECK(w.state_has("text_size=xlarge"));
    CHECK(w.state_has("contrast=1"));
    w.shot("receipt");
    if (!w.ok) return;
    const auto records = w.outbox();
    REQUIRE(records.size() == 1);
    CHECK(records[0].first == "sign_up");
    CHECK_MESSAGE(records[0].second.find(activity) != std::string::npos, records[0].second);
}

TEST_CASE("persona: a child sends an opinion in やさしい日本語 with furigana on") {
    if (!have("Xvfb") || !have("xdotool")) {
        MESSAGE("Xvfb or xdotool missing: persona walkthrough skipped");
        return;
    }
    Walk w("child", "1080x1920", {});
    auto& L = w.L;
    if (!w.ok) return;
    CHECK(w.state_has("lang=ja"));
    CHECK(w.state_has("furigana=0"));
    w.step("settings", [&] { return w.state_has("settings=open") && L.has("lang-easy_ja"); },
           "the 文字・言語 panel did not open");
    w.step("lang-easy_ja", [&] { return w.state_has("lang=easy_ja"); }, "やさしい日本語 was not taken");
    // Furigana: on with やさしい日本語; the panel's ふりがな choice (furigana-on, once the overlay
    // has it) is tapped all the same: the child asks for it.
    if (w.ok && L.has("furigana-on"))
        w.step("furigana-on", [&] { return w.state_has("furigana=1"); }, "ふりがな つける did nothing");
    CHECK(w.state_has("furigana=1"));
    w.shot("settings");
    w.step("settings-close", [&] { return w.state_has("settings=closed") && L.screen == "start"; }, "the panel did not close");
    w.shot("start");
    w.step("opinion", [&] { return L.screen == "opinion" && L.has("field:opinion.text"); }, "the opinion page did not open");
    CHECK(w.state_has("lang=easy_ja"));
    CHECK(w.state_has("furigana=1"));
    w.shot("opinion");
    // すべりだい (a slide), in kana as a child writes it.
    w.step("field:opinion.text", [&] { return w.state_has("keyboard=open") && L.has("key:す"); }, "no keyboard");
    w.tap_kana("すべりだいがほしい");
    CHECK_MESSAGE(w.state_has("kbd_chars=9 kbd_mode=composing"), L.state);
    w.shot("typing");
    // Kept in kana, as a child writes it: 確定 without 変換.
    w.step("key:kbd.commit", [&] { return w.state_has("kbd_chars=9 kbd_mode=idle"); }, "確定 did not keep the kana");
    w.step("key:kbd.done", [&] { return w.state_has("keyboard=closed"); }, "the keyboard did not close");
    const std::string typed = "すべりだいがほしい";
    CHECK_MESSAGE(w.state_has("opinion_bytes=" + std::to_string(typed.size()) + " "), L.state);
    if (w.ok) CHECK(reveal(w.display, w.win, L, "submit", 1920));
    w.step("submit", [&] { return L.screen == "receipt"; }, "no receipt after sending");
    CHECK(w.state_has("lang=easy_ja"));
    w.shot("receipt");
    if (!w.ok) return;
    const auto records = w.outbox();
    REQUIRE(records.size() == 1);
    CHECK(records[0].first == "opinion");
    CHECK(records[0].second.find(typed) != std::string::npos);
}
