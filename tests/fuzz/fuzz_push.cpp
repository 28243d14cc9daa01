// libFuzzer: the push route end to end, POST /api/v1/records on the real HTTP server
// (in this process, on 127.0.0.1, a free port), with kiosk k1's valid token: the envelope
// ({"records":[…],"backlog","app_version","signup_acks"}), every record, storage and the
// answer. The first input byte picks the body's encoding (plain or gzip, as kiosks send).
// Findings: a sanitizer report, a crash, or an answer that is not one of the protocol's
// (200 with "results", or a JSON error: 400, 413, 415, 422, 429, or 503 when busy).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <httplib.h>
#include <zlib.h>

#include "server/http_api.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

std::string gzip(const std::string& in) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) __builtin_trap();
    std::string out(deflateBound(&z, in.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) __builtin_trap();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

struct Server {
    std::string token;
    std::unique_ptr<kyodo::server::BackgroundServer> bg;
    std::unique_ptr<httplib::Client> cli;
    Server() {
        kyodo::server::Storage& st = kyodo::fuzz::storage(&token);
        kyodo::server::ApiOptions opts;
        opts.rate_per_s = 0;   // no per-kiosk rate limit: every input gets through
        opts.threads = 2;
        bg = std::make_unique<kyodo::server::BackgroundServer>(st, kyodo::fuzz::keys(), opts);
        cli = std::make_unique<httplib::Client>("127.0.0.1", bg->port());
        cli->set_read_timeout(60, 0);
        cli->set_keep_alive(true);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Server s;
    if (size == 0) return 0;
    const bool gz = data[0] & 1;
    std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    httplib::Headers h = {{"Authorization", "Bearer " + s.token}};
    if (gz) {
        body = gzip(body);
        h.emplace("Content-Encoding", "gzip");
    }
    auto res = s.cli->Post("/api/v1/records", h, body, "application/json");
    if (!res) __builtin_trap();   // the server hung up or died
    const int st = res->status;
    if (st != 200 && st != 400 && st != 413 && st != 415 && st != 422 && st != 429 && st != 503) __builtin_trap();
    const auto doc = kyodo::Json::parse(res->body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("protocol", "") != "kyodo/1") __builtin_trap();
    if (st == 200 && !doc.contains("results")) __builtin_trap();
    return 0;
}
