#include "server/web/html.h"

#include <algorithm>
#include <cstdio>

#include "core/timeutil.h"
#include "server/web/text.h"

namespace kyodo::server::web {

std::string esc(std::string_view s) {
    std::string o;
    o.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&#39;"; break;
            default: o += c;
        }
    }
    return o;
}

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string o;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            o += static_cast<char>(c);
        } else {
            o += '%';
            o += hex[c >> 4];
            o += hex[c & 15];
        }
    }
    return o;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+' && plus_is_space) {
            o += ' ';
        } else if (c == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 &&
                   hexval(s[i + 2]) >= 0) {
            o += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            o += c;
        }
    }
    return o;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
    std::map<std::string, std::string> m;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t amp = body.find('&', pos);
        if (amp == std::string_view::npos) amp = body.size();
        const std::string_view part = body.substr(pos, amp - pos);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            const std::string k = url_decode(part.substr(0, eq));
            const std::string v = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
            auto [it, fresh] = m.try_emplace(k, v);
            if (!fresh) it->second += "\n" + v;
        }
        pos = amp + 1;
    }
    return m;
}

std::string jst_datetime(const std::string& rfc3339) {
    const auto ms = parse_rfc3339(rfc3339);
    if (!ms) return "";
    const std::string u = rfc3339_utc(*ms + 9LL * 3600 * 1000);   // shifted: read as JST wall time
    return u.substr(0, 10) + " " + u.substr(11, 5);
}

std::string jst_month(const std::string& rfc3339) {
    const std::string d = jst_datetime(rfc3339);
    return d.size() >= 7 ? d.substr(0, 7) : "";
}

std::string jst_today() { return jst_datetime(rfc3339_now()).substr(0, 10); }

std::string ago_ja(const std::string& rfc3339) {
    const auto ms = parse_rfc3339(rfc3339);
    if (!ms) return tr("html.ago.never");
    const std::int64_t s = std::max<std::int64_t>(0, (now_millis() - *ms) / 1000);
    if (s < 60) return tr("html.ago.now");
    if (s < 3600) return trf("html.ago.minutes", {{"n", std::to_string(s / 60)}});
    if (s < 86400) return trf("html.ago.hours", {{"n", std::to_string(s / 3600)}});
    return trf("html.ago.days", {{"n", std::to_string(s / 86400)}});
}

Csv::Csv() : out_("\xEF\xBB\xBF") {}

std::string Csv::cell(std::string_view v) {
    std::string s(v);
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    bool quote = false;
    for (char c : s)
        if (c == ',' || c == '"' || c == '\n' || c == '\r') quote = true;
    // Newlines inside a cell stay as CRLF so Excel shows them as line breaks within the cell.
    std::string norm;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        if (s[i] == '\n') norm += "\r\n";
        else norm += s[i];
    }
    if (!quote) return norm;
    std::string o = "\"";
    for (char c : norm) {
        if (c == '"') o += "\"\"";
        else o += c;
    }
    return o + "\"";
}

void Csv::row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out_ += ',';
        out_ += cell(cells[i]);
    }
    out_ += "\r\n";
}

std::string fmt1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string nl2br(std::string_view text) {
    std::string o;
    for (char c : esc(text)) {
        if (c == '\n') o += "<br>";
        else if (c != '\r') o += c;
    }
    return o;
}

std::string svg_bars(const std::vector<Bar>& bars, double max, int width) {
    if (max <= 0)
        for (const Bar& b : bars) max = std::max(max, b.value);
    if (max <= 0) max = 1;
    const int label_w = 260, note_w = 130, row_h = 30;
    const int bar_w = std::max(60, width - label_w - note_w);
    const int h = static_cast<int>(bars.size()) * row_h + 8;
    std::string o = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(h) + "\">";
    int y = 4;
    for (const Bar& b : bars) {
        const int w = static_cast<int>(bar_w * (b.value / max) + 0.5);
        o += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 19) +
             "\" text-anchor=\"end\" class=\"lbl\">" + esc(b.label) + "</text>";
        o += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             std::to_string(bar_w) + "\" height=\"20\" class=\"track\"/>";
        o += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             std::to_string(w) + "\" height=\"20\" class=\"bar\"/>";
        o += "<text x=\"" + std::to_string(label_w + bar_w + 8) + "\" y=\"" + std::to_string(y + 19) +
             "\" class=\"num\">" + esc(b.note) + "</text>";
        y += row_h;
    }
    return o + "</svg>";
}

std::string svg_indicator(double value, const std::vector<std::pair<std::string, double>>& marks, int width) {
    const int x0 = 10, w = width - 20, h = 64;
    auto xp = [&](double v) { return x0 + static_cast<int>(w * std::clamp(v, 0.0, 100.0) / 100.0 + 0.5); };
    std::string o = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(h) + "\">";
    o += "<rect x=\"" + std::to_string(x0) + "\" y=\"22\" width=\"" + std::to_string(w) +
         "\" height=\"18\" class=\"track\"/>";
    o += "<rect x=\"" + std::to_string(x0) + "\" y=\"22\" width=\"" + std::to_string(xp(value) - x0) +
         "\" height=\"18\" class=\"bar\"/>";
    for (const auto& [label, v] : marks) {
        const int x = xp(v);
        o += "<line x1=\"" + std::to_string(x) + "\" x2=\"" + std::to_string(x) +
             "\" y1=\"16\" y2=\"46\" class=\"mark\"/>";
        o += "<text x=\"" + std::to_string(x) + "\" y=\"12\" text-anchor=\"middle\" class=\"mk\">" + esc(label) +
             "</text>";
        o += "<text x=\"" + std::to_string(x) + "\" y=\"60\" text-anchor=\"middle\" class=\"mk\">" + fmt1(v) +
             "%</text>";
    }
    return o + "</svg>";
}

}  // namespace kyodo::server::web
