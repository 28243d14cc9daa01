// libFuzzer: whatever comes back to the kiosk's sync engine (the city-hall server, a captive
// portal, a broken proxy): the push answer and the catalog answer, through SyncEngine with a
// fake transport, into a real KioskStore. The input is "<status byte><push body>\0<catalog
// body>"; "@ID@" in a body becomes the id of the oldest pending record, so the fuzzer can
// name a record it cannot guess. The engine must never crash, throw or lose a record: what
// is not answered stays pending.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/store.h"
#include "sync/sync_engine.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace kyodo;

struct FuzzTransport : sync::Transport {
    int status = 200;
    std::string push_body, catalog_body;
    sync::HttpResponse send(const sync::HttpRequest& req) override {
        sync::HttpResponse r;
        r.status = status;
        r.headers = {{"content-type", "application/json"}, {"retry-after", "7"}};
        r.body = req.method == "POST" ? push_body : catalog_body;
        return r;
    }
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

struct Kiosk {
    std::unique_ptr<KioskStore> store;
    sync::KioskConfig cfg;
    Kiosk() {
        store = std::make_unique<KioskStore>((fuzz::temp_dir() / "kiosk.db").string());
        cfg.kiosk_id = "k1";
        cfg.centre_id = "ohdono";
        cfg.server_url = "http://127.0.0.1:9";
        cfg.token = "t";
        cfg.city_hall_public_key = fuzz::keys().public_key_b64;
    }
    void top_up() {
        while (store->counts().pending < 2) {
            Record r;
            r.kind = RecordKind::Opinion;
            r.kiosk_id = "k1";
            r.centre_id = "ohdono";
            r.payload = {{"topic", "防災"}, {"text", "避難所の案内"}, {"activity_id", ""}, {"wants_reply", false}};
            store->enqueue(r);
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Kiosk k;
    if (size == 0) return 0;
    k.top_up();
    FuzzTransport t;
    static const int statuses[] = {200, 200, 200, 200, 304, 400, 401, 413, 429, 500, 503, 302};
    t.status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::size_t nul = rest.find('\0');
    t.push_body = rest.substr(0, nul);
    t.catalog_body = nul == std::string::npos ? std::string() : rest.substr(nul + 1);
    const auto pend = k.store->pending_text(1, 1 << 20);
    const std::string id = pend.empty() ? std::string() : pend.front().id;
    replace_all(t.push_body, "@ID@", id);
    const int before = k.store->counts().pending + k.store->counts().delivered + k.store->counts().rejected;
    sync::SyncEngine engine(*k.store, k.cfg, t);
    sync::SyncReport rep = engine.run_once();
    (void)rep.summary(0);
    const auto c = k.store->counts();
    if (c.pending + c.delivered + c.rejected != before) __builtin_trap();   // a record lost or invented
    return 0;
}
