// Shared fixtures for the server suites: a temporary directory, a small catalog and
// valid records of each kind that tests then break on purpose.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/codec.h"
#include "core/store.h"   // receipt_number
#include "core/seal.h"
#include "core/timeutil.h"
#include "core/types.h"
#include "core/uuid.h"
#include "server/log.h"
#include "server/storage.h"

namespace kyodo::server::testing {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kyodo-server-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) std::abort();
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline CatalogDelta small_catalog() {
    CatalogDelta d;
    d.full = true;
    d.version = 1;
    Centre c;
    c.id = "ohdono";
    c.name = "大殿地域交流センター";
    d.centres.push_back(c);
    Organization o;
    o.id = "org-1";
    o.name = "大殿まちづくり協議会";
    d.organizations.push_back(o);
    Activity a;
    a.id = "ev-small";
    a.kind = ActivityKind::Event;
    a.title = "防災ワークショップ";
    a.capacity = 3;
    a.centre_id = "ohdono";
    d.activities.push_back(a);
    Activity b;
    b.id = "ev-open";
    b.kind = ActivityKind::Event;
    b.title = "清掃ボランティア";
    b.capacity = 100000;   // places enough for any test (0 would mean: takes no sign-ups)
    d.activities.push_back(b);
    return d;
}

inline Record opinion(const std::string& kiosk = "k1", const std::string& text = "避難所の案内をもっと大きく") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Opinion;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"topic", "防災"}, {"text", text}, {"activity_id", ""}, {"wants_reply", false}};
    return r;
}

inline Record sign_up(const KeyPair& keys, const std::string& activity, int party, const std::string& kiosk = "k1") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::SignUp;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"activity_id", activity}, {"activity_version", 1}, {"party_size", party}, {"note", ""}};
    Personal p;
    p.name = "山口 花子";
    p.furigana = "やまぐち はなこ";
    p.phone = "083-922-0000";
    r.sealed = seal_personal(p, keys.public_key_b64);
    return r;
}

// A sign-up with the check code its receipt shows (KioskStore::enqueue makes one the same way).
inline Record sign_up_coded(const KeyPair& keys, const std::string& activity, int party, const std::string& code,
                            const std::string& kiosk = "k1") {
    Record r = sign_up(keys, activity, party, kiosk);
    r.payload["check_code"] = code;
    return r;
}

// The cancel record a kiosk queues for sign-up `s` when the resident types its receipt number
// and check code (KioskStore::enqueue_cancel).
inline Record cancel_of(const Record& s, const std::string& code, const std::string& kiosk = "k1") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Cancel;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"signup_id", s.id}, {"receipt", receipt_number(s.id)}, {"check_code", code}};
    return r;
}

// The attendance tick a kiosk's 受付 queues for sign-up `s` (KioskStore::enqueue_attendance).
inline Record attendance_of(const Record& s, bool attended, const std::string& kiosk = "k1") {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Attendance;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk;
    r.centre_id = "ohdono";
    r.payload = {{"signup_id", s.id}, {"attended", attended}};
    return r;
}

// Keys made once per test program (key generation is cheap, but tests compare them).
inline const KeyPair& test_keys() {
    static const KeyPair k = [] {
        crypto_init();
        set_log_enabled(std::getenv("KYODO_TEST_LOG") != nullptr);
        return generate_keypair();
    }();
    return k;
}

}  // namespace kyodo::server::testing
