#include "sync/transport.h"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

namespace kyodo::sync {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string HttpResponse::header(std::string_view name) const {
    std::string want = lower_ascii(name);
    for (const auto& [k, v] : headers)
        if (k == want) return v;
    return "";
}

HttpResponse Transport::post_json(const std::string& path, const std::string& json,
                                  const Headers& headers, bool gzip) {
    HttpRequest req;
    req.method = "POST";
    req.path = path;
    req.headers = headers;
    req.body = json;
    req.gzip_body = gzip;
    return send(req);
}

HttpResponse Transport::get(const std::string& path, const Headers& headers,
                            const std::string& if_none_match) {
    HttpRequest req;
    req.method = "GET";
    req.path = path;
    req.headers = headers;
    req.if_none_match = if_none_match;
    return send(req);
}

std::string gzip_compress(std::string_view data, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    std::size_t produced = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip compression failed");
    out.resize(produced);
    return out;
}

std::optional<std::string> gzip_decompress(std::string_view data, std::size_t max_out) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return std::nullopt;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > max_out) { rc = Z_DATA_ERROR; break; }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) { rc = Z_BUF_ERROR; break; }
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

}  // namespace kyodo::sync
