// Forms: field validation, submit = seal + validate + one outbox record, the name never
// on disk in the clear, and a full disk keeps what the resident typed.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "app/model/forms.h"
#include "app/model/idle.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

const char* kName = "協働テスト花子";
const char* kEmail = "hanako.private.person@example.jp";

// Records made here name this centre.
struct Kiosk : ModelKiosk {
    explicit Kiosk(const std::string& name) : ModelKiosk(name, "test-centre") {}
};

void fill(SignUpForm& f) {
    f.name = kName;
    f.furigana = "きょうどう はなこ";
    f.phone = "083-123-4567";
    f.email = kEmail;
    f.party_size = 2;
}

}  // namespace

TEST_CASE("sign-up validation names the fields that are wrong") {
    SignUpForm f;
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("name"));
    CHECK(f.errors.count("furigana"));
    CHECK((f.errors.count("phone") || f.errors.count("email") || f.errors.count("contact")));

    fill(f);
    CHECK(f.validate());
    CHECK(f.errors.empty());

    f.furigana = "協働花子";   // not a kana reading
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("furigana"));
    f.furigana = "きょうどう はなこ";

    f.phone = "";
    f.email = "not-an-email";
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("email"));
    f.email = "";
    f.phone = "12";
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("phone"));
    f.phone = "083-123-4567";

    f.party_size = 0;
    CHECK_FALSE(f.validate());
    CHECK(f.errors.at("party_size") == "out_of_range");
    f.party_size = 11;
    CHECK_FALSE(f.validate());
}

TEST_CASE("an invalid sign-up stores nothing") {
    Kiosk k("ui_forms_invalid");
    SignUpForm f;
    f.start_for(k.some_activity());
    f.name = kName;
    SubmitResult r = f.submit(k.ctx);
    CHECK(r.error == SubmitError::Invalid);
    CHECK(k.s.store->counts().pending == 0);
    CHECK(f.name == kName);
}

TEST_CASE("sign-up submit writes exactly one sealed record; the name is not on disk") {
    Kiosk k("ui_forms_signup");
    Activity a = k.some_activity();
    SignUpForm f;
    f.start_for(a);
    CHECK(f.activity_id == a.id);
    fill(f);
    CHECK(f.dirty());
    SubmitResult r = f.submit(k.ctx);
    REQUIRE_MESSAGE(r.ok(), r.detail);
    CHECK(r.receipt.number.size() == 9);   // XXXX-XXXX
    CHECK(r.receipt.check_code.size() == 4);
    CHECK(r.receipt.number == receipt_number(r.receipt.record_id));

    auto pending = k.s.store->pending(100, 1 << 20);
    REQUIRE(pending.size() == 1);
    const Record& rec = pending.front().record;
    CHECK(rec.id == r.receipt.record_id);
    CHECK(rec.kind == RecordKind::SignUp);
    CHECK(rec.kiosk_id == "test-kiosk");
    CHECK(rec.centre_id == "test-centre");
    CHECK(rec.payload.at("activity_id") == a.id);
    CHECK(rec.payload.at("party_size") == 2);
    CHECK_FALSE(rec.sealed.empty());
    CHECK(rec.payload.dump().find(kName) == std::string::npos);
    // City hall (with the secret key) reads the personal part back.
    auto opened = open_personal(rec.sealed, k.keys);
    REQUIRE(opened);
    CHECK(opened->name == kName);
    CHECK(opened->email == kEmail);
    // And the store accepts it as a valid record (same validator as the server).
    CHECK(validate_record(rec, &*opened).ok());

    // Nothing readable on disk: neither the name nor the e-mail, in the db or its WAL.
    std::string bytes = k.db_bytes();
    REQUIRE(bytes.size() > 0);
    CHECK(bytes.find(kName) == std::string::npos);
    CHECK(bytes.find(kEmail) == std::string::npos);
    CHECK(bytes.find("083-123-4567") == std::string::npos);
}

TEST_CASE("opinion submit: anonymous, or with sealed contact when a reply is wanted") {
    Kiosk k("ui_forms_opinion");
    OpinionForm f;
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count("text"));

    f.topic = "公園";
    f.text = "ベンチを増やしてほしいです。\n夕方は暗いので照明も。";
    SubmitResult r = f.submit(k.ctx);
    REQUIRE_MESSAGE(r.ok(), r.detail);
    CHECK(r.receipt.check_code.empty());
    auto pending = k.s.store->pending(100, 1 << 20);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].record.kind == RecordKind::Opinion);
    CHECK(pending[0].record.sealed.empty());
    CHECK(pending[0].record.payload.at("wants_reply") == false);

    OpinionForm g;
    g.text = "返事がほしいです";
    g.wants_reply = true;
    CHECK_FALSE(g.validate());   // a reply needs a phone or an e-mail
    CHECK(g.submit(k.ctx).error == SubmitError::Invalid);
    g.name = kName;
    g.email = kEmail;
    SubmitResult r2 = g.submit(k.ctx);
    REQUIRE_MESSAGE(r2.ok(), r2.detail);
    pending = k.s.store->pending(100, 1 << 20);
    REQUIRE(pending.size() == 2);
    CHECK_FALSE(pending[1].record.sealed.empty());
    CHECK(k.db_bytes().find(kEmail) == std::string::npos);
}

TEST_CASE("a full disk is reported plainly and the form keeps what was typed") {
    Kiosk k("ui_forms_disk_full");
    sqlite3* db = k.s.store->raw();
    // Freeze the database at its current size: the next page it needs is "disk full".
    REQUIRE(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    long long pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    std::string pragma = "PRAGMA max_page_count=" + std::to_string(pages);
    REQUIRE(sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);

    OpinionForm f;
    f.topic = "長い意見";
    f.text = std::string();
    for (int i = 0; i < 1900; ++i) f.text += "意";   // ~5.7 KB: needs new pages
    const std::string typed = f.text;
    SubmitResult r = f.submit(k.ctx);
    CHECK(r.error == SubmitError::DiskFull);
    CHECK_FALSE(r.detail.empty());
    CHECK(f.last.error == SubmitError::DiskFull);
    CHECK(f.text == typed);            // nothing lost
    CHECK(f.topic == "長い意見");
    CHECK(k.s.store->counts().pending == 0);

    // Staff free space: the same form goes through.
    REQUIRE(sqlite3_exec(db, "PRAGMA max_page_count=1073741823", nullptr, nullptr, nullptr) == SQLITE_OK);
    SubmitResult r2 = f.submit(k.ctx);
    CHECK(r2.ok());
    CHECK(k.s.store->counts().pending == 1);
}

TEST_CASE("a bad city-hall key stores nothing and keeps the form") {
    Kiosk k("ui_forms_bad_key");
    k.ctx.city_hall_public_key = "not-a-key";
    SignUpForm f;
    f.start_for(k.some_activity());
    fill(f);
    SubmitResult r = f.submit(k.ctx);
    CHECK(r.error == SubmitError::Seal);
    CHECK(f.name == kName);
    CHECK(k.s.store->counts().pending == 0);
}

TEST_CASE("idle timer") {
    IdleTimer t(60);
    t.touch(100);
    CHECK_FALSE(t.expired(159.9));
    CHECK(t.remaining(130) == doctest::Approx(30));
    CHECK(t.expired(160));
    CHECK(t.remaining(200) == 0);
    t.touch(200);
    CHECK_FALSE(t.expired(200));
}

TEST_CASE("sign-up: the consent to e-mail notices and the kiosk language are kept in the record") {
    Kiosk k("ui_forms_notify");
    Activity a = k.some_activity();
    SignUpForm f;
    f.start_for(a);
    fill(f);
    f.notify = true;
    SubmitContext ctx = k.ctx;
    ctx.lang = "easy_ja";
    REQUIRE(f.submit(ctx).ok());
    // Consent without an address means nothing and is not recorded; the default is no consent.
    SignUpForm g;
    g.start_for(a);
    fill(g);
    g.email.clear();
    g.notify = true;
    REQUIRE(g.submit(k.ctx).ok());
    SignUpForm h;
    h.start_for(a);
    fill(h);
    REQUIRE(h.submit(k.ctx).ok());
    auto pending = k.s.store->pending(100, 1 << 20);
    REQUIRE(pending.size() == 3);
    CHECK(pending[0].record.payload.at("notify") == true);
    CHECK(pending[0].record.payload.at("lang") == "easy_ja");
    CHECK(!pending[1].record.payload.contains("notify"));
    CHECK(!pending[1].record.payload.contains("lang"));   // a context without a language writes none
    CHECK(!pending[2].record.payload.contains("notify"));
    f.clear();
    CHECK(!f.notify);   // the next resident starts without consent
}
