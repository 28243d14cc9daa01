// HTML, CSV, SVG and form helpers for the dashboard and the public pages (server/web/).
// Everything that goes into a page goes through esc(); CSV cells through Csv::cell rules.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kyodo::server::web {

// Escapes & < > " ' for HTML text and attribute values (always quote attributes).
std::string esc(std::string_view s);
// Percent-encodes everything except unreserved characters (RFC 3986).
std::string url_encode(std::string_view s);
std::string url_decode(std::string_view s, bool plus_is_space = true);
// application/x-www-form-urlencoded (or a query string) into a map; repeated keys joined by "\n".
std::map<std::string, std::string> parse_form(std::string_view body);

// RFC 3339 UTC → Japan time "2026-11-22 10:03" / month "2026-11"; "" when malformed.
std::string jst_datetime(const std::string& rfc3339);
std::string jst_month(const std::string& rfc3339);
std::string jst_today();   // "2026-11-22"
// "3分前", "2時間前", "5日前", "未接続"
std::string ago_ja(const std::string& rfc3339);

// CSV for Japanese Excel: UTF-8 with BOM, CRLF line ends, RFC 4180 quoting, and cells that
// start with = + - @ (or tab / CR) prefixed with ' so Excel never runs them as formulas.
class Csv {
public:
    Csv();
    void row(const std::vector<std::string>& cells);
    const std::string& str() const { return out_; }
    static std::string cell(std::string_view v);

private:
    std::string out_;
};

// A horizontal bar chart as inline SVG: one bar per (label, value), scaled to `max`
// (0 = largest value). Labels and numbers are drawn by the server; no script.
struct Bar {
    std::string label;
    double value = 0;
    std::string note;   // shown after the bar, e.g. "12件 (40.0%)"
};
std::string svg_bars(const std::vector<Bar>& bars, double max = 0, int width = 640);
// A progress bar against targets: value and marks (label, position) on 0..100.
std::string svg_indicator(double value, const std::vector<std::pair<std::string, double>>& marks, int width = 520);

std::string fmt1(double v);   // "37.5"

std::string nl2br(std::string_view text);   // escapes, then newlines → <br>

}  // namespace kyodo::server::web
