// The kiosk shell's models without a GPU: kinetic scrolling, the idle countdown and what it
// clears, the staff PIN lock (persisted across a restart), the sync bundle, and the
// resident's display settings.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/model/bundle.h"
#include "app/model/display_settings.h"
#include "app/model/forms.h"
#include "app/model/idle_session.h"
#include "app/model/kinetic_scroll.h"
#include "app/model/listing.h"
#include "app/model/staff.h"
#include "core/codec.h"
#include "core/seal.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;
namespace fs = std::filesystem;

// --- kinetic scroll ----------------------------------------------------------------------

TEST_CASE("kinetic scroll: the content follows the finger, then glides and slows to a stop") {
    KineticScroller s;
    s.set_range(5000);
    s.press(800, 0.0);
    // A flick upwards: 300 px in 100 ms (3000 px/s), sampled every 16 ms.
    float off = 0;
    for (int i = 1; i <= 6; ++i) off = s.drag(800.0f - 50.0f * i, i * 0.016);
    CHECK(off == doctest::Approx(300));
    CHECK(s.dragging());
    s.release(0.1);
    CHECK(s.gliding());
    CHECK(s.velocity() > 2000);
    double t = 0.1;
    float prev = s.offset();
    int frames = 0;
    while (s.gliding() && frames < 1000) {
        t += 1.0 / 60;
        float o = s.step(t);
        CHECK(o >= prev);   // keeps going the same way, never back
        prev = o;
        ++frames;
    }
    CHECK_FALSE(s.gliding());
    // Glide distance ≈ v·τ (about 3000 × 0.325 ≈ 975 px), and it stops within ~2 s.
    CHECK(s.offset() > 300 + 600);
    CHECK(s.offset() < 300 + 1300);
    CHECK(frames < 150);
}

TEST_CASE("kinetic scroll: stops at the ends, and a finger that rested before lifting does not fling") {
    KineticScroller s;
    s.set_range(400);
    s.press(500, 0);
    s.drag(300, 0.05);   // 200 px up
    s.release(0.06);
    for (double t = 0.06; t < 3; t += 1.0 / 60) s.step(t);
    CHECK(s.offset() == doctest::Approx(400));   // clamped at the end
    CHECK_FALSE(s.active());

    s.press(300, 10.0);
    s.drag(900, 10.05);   // drags far past the top
    CHECK(s.offset() == doctest::Approx(0));
    s.drag(500, 10.1);
    s.release(10.5);      // held still 0.4 s before lifting
    CHECK_FALSE(s.gliding());

    // A new touch stops a glide.
    s.sync_offset(0);
    s.press(800, 20);
    s.drag(700, 20.03);
    s.release(20.04);
    CHECK(s.gliding());
    s.press(700, 20.1);
    CHECK_FALSE(s.gliding());
    CHECK(s.dragging());
    // While at rest, the window's own scroll (a scrollbar) is adopted.
    s.release(20.1);
    s.sync_offset(123);
    CHECK(s.offset() == doctest::Approx(123));
}

// --- idle countdown -----------------------------------------------------------------------

TEST_CASE("idle: nothing to clear means no countdown and the loop sleeps until an event") {
    IdleSession idle(60, 10);
    idle.touch(0);
    CHECK(idle.update(500, /*at_rest=*/true) == IdleSession::Event::None);
    CHECK(idle.sleep_budget(500, true) < 0);
}

TEST_CASE("idle: 60 s without a touch starts a 10 s countdown; a touch keeps the session") {
    IdleSession idle(60, 10);
    idle.touch(0);
    CHECK(idle.sleep_budget(0, false) == doctest::Approx(60));
    CHECK(idle.update(59.9, false) == IdleSession::Event::None);
    CHECK(idle.update(60, false) == IdleSession::Event::CountdownStarted);
    CHECK(idle.counting_down());
    CHECK(idle.seconds_left(60) == 10);
    CHECK(idle.seconds_left(63.5) == 7);
    // The loop wakes once a second for the number on screen, no more.
    CHECK(idle.sleep_budget(63.5, false) == doctest::Approx(0.5));
    idle.touch(64);   // "続ける"
    CHECK_FALSE(idle.counting_down());
    CHECK(idle.update(100, false) == IdleSession::Event::None);
    CHECK(idle.update(124, false) == IdleSession::Event::CountdownStarted);
    CHECK(idle.update(133.9, false) == IdleSession::Event::None);
    CHECK(idle.update(134, false) == IdleSession::Event::Reset);
    CHECK_FALSE(idle.counting_down());
}

TEST_CASE("idle: personal data on a receipt hides after a few seconds") {
    PrivacyTimer p(20);
    CHECK_FALSE(p.hidden(0));
    p.show(100);
    CHECK_FALSE(p.hidden(119));
    CHECK(p.until_hidden(110) == doctest::Approx(10));
    CHECK(p.hidden(120));
    p.clear();
    CHECK_FALSE(p.hidden(200));
}

// --- display settings -----------------------------------------------------------------------

TEST_CASE("settings: text sizes scale up, and reset returns to the defaults") {
    CHECK(text_scale(TextSize::Standard) == doctest::Approx(1.0));
    CHECK(text_scale(TextSize::Large) > text_scale(TextSize::Standard));
    CHECK(text_scale(TextSize::ExtraLarge) > text_scale(TextSize::Large));
    DisplaySettings d;
    CHECK(d.is_default());
    d.text_size = TextSize::ExtraLarge;
    d.high_contrast = true;
    d.lang = Lang::EasyJa;
    CHECK_FALSE(d.is_default());
    d.reset();
    CHECK(d.is_default());
    CHECK(d.lang == Lang::Ja);
    Lang l = Lang::Ja;
    CHECK(lang_from_code("easy_ja", &l));
    CHECK(l == Lang::EasyJa);
    CHECK_FALSE(lang_from_code("fr", &l));
}

TEST_CASE("settings: やさしい日本語 has every key of the Japanese table and switches like the others") {
    Texts t;
    REQUIRE(t.load_dir(std::string(KYODO_ASSETS_DIR) + "/i18n"));
    std::ifstream ja(std::string(KYODO_ASSETS_DIR) + "/i18n/ja.json");
    std::ifstream easy(std::string(KYODO_ASSETS_DIR) + "/i18n/easy_ja.json");
    REQUIRE(easy.good());
    Json jj = Json::parse(ja), je = Json::parse(easy);
    for (auto it = jj.begin(); it != jj.end(); ++it) {
        CAPTURE(it.key());
        CHECK(je.contains(it.key()));
        CHECK(je[it.key()].is_string());
        CHECK_FALSE(je[it.key()].get<std::string>().empty());
    }
    t.set_lang(Lang::EasyJa);
    CHECK(std::string(t.get("app.title")) == je["app.title"].get<std::string>());
    t.set_lang(Lang::En);
    CHECK(std::string(t.get("app.title")) != je["app.title"].get<std::string>());
}

// --- staff PIN ------------------------------------------------------------------------------

TEST_CASE("staff PIN: stored hashed; 5 wrong tries lock it for 5 minutes, across a restart") {
    crypto_init();
    std::string dir = temp_dir("staff_pin");
    std::string db = dir + "/kiosk.db";
    const std::int64_t t0 = 1'800'000'000'000;
    {
        KioskStore store(db);
        StaffPin pin(store);
        CHECK_FALSE(pin.has_pin());
        CHECK(pin.attempt("1234", t0) == StaffPin::Result::NoPin);
        CHECK_FALSE(pin.set_pin("12"));
        CHECK_FALSE(pin.set_pin("12a4"));
        REQUIRE(pin.set_pin("482916"));
        CHECK(pin.has_pin());
        CHECK(store.setting("staff.pin_hash").find("482916") == std::string::npos);
        CHECK(store.setting("staff.pin_hash").rfind("$argon2id$", 0) == 0);
        CHECK(pin.attempt("482916", t0) == StaffPin::Result::Ok);
        for (int i = 1; i <= 4; ++i) {
            CHECK(pin.attempt("000000", t0 + i) == StaffPin::Result::Wrong);
            CHECK(pin.failures() == i);
        }
        CHECK(pin.attempt("111111", t0 + 5) == StaffPin::Result::Locked);
        CHECK(pin.locked(t0 + 5));
        // Even the right PIN is refused while locked.
        CHECK(pin.attempt("482916", t0 + 10) == StaffPin::Result::Locked);
    }
    {
        // Power cycle: the lock holds.
        KioskStore store(db);
        StaffPin pin(store);
        CHECK(pin.locked(t0 + 60'000));
        CHECK(pin.attempt("482916", t0 + 4 * 60'000) == StaffPin::Result::Locked);
        CHECK(pin.locked_until_ms() == t0 + 5 + StaffPin::kLockMs);
        // After 5 minutes the right PIN opens it, with a fresh count.
        CHECK(pin.attempt("482916", t0 + 5 + StaffPin::kLockMs) == StaffPin::Result::Ok);
        CHECK_FALSE(pin.locked(t0 + 5 + StaffPin::kLockMs));
        CHECK(pin.failures() == 0);
        CHECK(pin.attempt("9999", t0 + 6 + StaffPin::kLockMs) == StaffPin::Result::Wrong);
    }
}

TEST_CASE("staff: long press fires once after 3 s of holding, not for a tap") {
    LongPress lp(3.0);
    CHECK_FALSE(lp.update(true, 0));
    CHECK_FALSE(lp.update(true, 2.9));
    CHECK(lp.progress(1.5) == doctest::Approx(0.5));
    CHECK(lp.update(true, 3.0));
    CHECK_FALSE(lp.update(true, 5.0));   // once per press
    CHECK_FALSE(lp.update(false, 5.1));
    CHECK_FALSE(lp.update(true, 6));
    CHECK_FALSE(lp.update(false, 6.2));  // a tap
    CHECK_FALSE(lp.update(true, 9.3));   // a new press starts again
    PinEntry e;
    for (char c : std::string("123456789")) e.press(c);
    CHECK(e.digits == "12345678");
    e.backspace();
    e.press('x');
    CHECK(e.digits == "1234567");
    e.clear();
    CHECK(e.digits.empty());
}

TEST_CASE("staff: kiosk health reads disk space and database size") {
    SampleStore s("staff_health");
    KioskHealth h = read_health(*s.store, "1.2.3", "k1", "c1", "中央");
    CHECK(h.disk_free_bytes > 0);
    CHECK(h.disk_total_bytes >= h.disk_free_bytes);
    CHECK(h.db_bytes > 0);
    CHECK(h.app_version == "1.2.3");
    CHECK(human_bytes(1'500'000'000) == "1.5 GB");
    CHECK(human_bytes(830'000'000) == "830 MB");
}

// --- sync bundle ----------------------------------------------------------------------------

TEST_CASE("bundle: only pending records, exactly as sent, written atomically") {
    crypto_init();
    SampleStore s("bundle");
    KeyPair keys = generate_keypair();
    SubmitContext ctx{s.store.get(), "kiosk-7", "centre-3", keys.public_key_b64, "", {}};
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        OpinionForm f;
        f.text = "バンドルのテスト " + std::to_string(i);
        SubmitResult r = f.submit(ctx);
        REQUIRE(r.ok());
        ids.push_back(r.receipt.record_id);
    }
    // One delivered, one rejected: neither goes into the bundle.
    s.store->apply_answers({{ids[0], "stored", "", "", ""}, {ids[1], "rejected", "bad", "no", ""}});
    std::string out = temp_dir("bundle_out");
    const std::int64_t now = 1'800'000'000'000;
    BundleResult b = export_bundle(*s.store, "kiosk-7", "centre-3", out, now);
    REQUIRE_MESSAGE(b.ok, b.error);
    CHECK(b.records == 1);
    CHECK(fs::path(b.path).filename().string() == "kyodo-bundle-kiosk-7-20270115T080000Z.json");
    int files = 0;
    for (const auto& e : fs::directory_iterator(out)) {
        ++files;
        CHECK(e.path().extension() == ".json");   // no temporary file left behind
    }
    CHECK(files == 1);
    Json doc = Json::parse(read_bytes(b.path));
    CHECK(doc["format"] == "kyodo-bundle/1");
    CHECK(doc["kiosk_id"] == "kiosk-7");
    CHECK(doc["centre_id"] == "centre-3");
    CHECK(doc["created_at"] == "2027-01-15T08:00:00Z");
    REQUIRE(doc["records"].size() == 1);
    auto entry = s.store->outbox_entry(ids[2]);
    REQUIRE(entry);
    CHECK(doc["records"][0] == to_json(entry->record));   // the POST /api/v1/records form
    CHECK(record_from_json(doc["records"][0]).id == ids[2]);
    // The records stay pending (the network may come back first; the server dedups).
    CHECK(s.store->counts().pending == 1);

    BundleResult bad = export_bundle(*s.store, "kiosk-7", "centre-3", out + "/no-such-stick", now);
    CHECK_FALSE(bad.ok);
    CHECK_FALSE(bad.error.empty());
}

// --- idle reset clears every model ------------------------------------------------------------

TEST_CASE("idle reset: forms and filters hold nothing of the previous resident") {
    SignUpForm su;
    su.name = "協働花子";
    su.phone = "083-000-0000";
    OpinionForm op;
    op.text = "前の人の意見";
    op.wants_reply = true;
    op.email = "a@example.jp";
    ListingState ls;
    ls.set_query("防災");
    ls.set_only_open(true);
    CHECK(su.dirty());
    CHECK(op.dirty());
    su.clear();
    op.clear();
    ls.clear();
    CHECK_FALSE(su.dirty());
    CHECK(su.name.empty());
    CHECK(su.phone.empty());
    CHECK_FALSE(op.dirty());
    CHECK(op.text.empty());
    CHECK(op.email.empty());
    CHECK_FALSE(op.wants_reply);
    CHECK(ls.query().empty());
    CHECK(ls.filters().active_count() == 0);
}

// 今すぐ同期 gave no feedback: a pass can end before the next frame, and the button came back
// as if nothing had happened. The feedback follows the tap to the end of the pass it asked for.
TEST_CASE("staff: sync now says it is starting, running, then what the pass did or its error") {
    SyncSnapshot s;
    s.pending = 3;
    s.last_attempt_ms = 1000;
    s.catalog_changes = 4;
    SyncNowFeedback fb;
    CHECK(fb.state() == SyncNowFeedback::State::Idle);
    fb.requested(s);
    CHECK(fb.state() == SyncNowFeedback::State::Starting);
    CHECK(fb.busy());
    fb.update(s);   // the thread has not started the pass yet
    CHECK(fb.state() == SyncNowFeedback::State::Starting);
    s.running = true;
    s.last_attempt_ms = 2000;
    fb.update(s);
    CHECK(fb.state() == SyncNowFeedback::State::Running);
    s.running = false;
    s.pending = 0;
    s.catalog_changes = 5;
    fb.update(s);
    REQUIRE(fb.state() == SyncNowFeedback::State::Done);
    CHECK(fb.sent() == 3);
    CHECK(fb.catalog_updated());
    CHECK_FALSE(fb.busy());

    // A pass that ended between two frames (never seen running) is still reported.
    fb.requested(s);
    s.last_attempt_ms = 3000;
    s.last_error = "サーバーに接続できません";
    s.pending = 2;
    fb.update(s);
    REQUIRE(fb.state() == SyncNowFeedback::State::Failed);
    CHECK(fb.error() == "サーバーに接続できません");
    CHECK(fb.still_pending() == 2);

    // A pass already running at the tap is not the one asked for: wait for the next.
    s.last_error.clear();
    s.running = true;
    fb.requested(s);
    s.running = false;
    fb.update(s);
    CHECK(fb.state() == SyncNowFeedback::State::Starting);
    s.last_attempt_ms = 4000;
    fb.update(s);
    CHECK(fb.state() == SyncNowFeedback::State::Done);
    CHECK_FALSE(fb.catalog_updated());

    // Every string the feedback shows exists in ja, en and easy_ja.
    for (Lang lang : {Lang::Ja, Lang::En, Lang::EasyJa}) {
        Texts t;
        REQUIRE(t.load_dir(std::string(KYODO_ASSETS_DIR) + "/i18n"));
        t.set_lang(lang);
        for (const char* k : {"staff.sync_starting", "staff.sync_done", "staff.sync_catalog_updated",
                              "staff.sync_catalog_same", "staff.sync_failed"}) {
            CAPTURE(k);
            CHECK(std::string(t.get(k)) != k);
        }
    }
}
