// libFuzzer: what the dashboard and the public pages read from a request: form bodies and
// query strings (parse_form, url_decode), list fields (split_list), date and time inputs
// (join_date_time, is_iso_date, is_hh_mm) and the text checks every posted value goes
// through (check_text, check_id), then the escapers that put it back into a page.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "server/web/form.h"
#include "server/web/html.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kyodo::server::web;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto form = parse_form(in);
    (void)url_decode(in, false);
    // Percent-encoding is undone exactly.
    if (url_decode(url_encode(in), false) != in) __builtin_trap();
    FieldErrors err;
    for (const auto& [k, v] : form) {
        (void)split_list(v);
        (void)normalise_newlines(v);
        check_text(err, k, v, 200, false, true);
        check_id(err, k, v);
        (void)is_iso_date(v);
        (void)is_hh_mm(v);
        const std::string e = esc(v);
        if (e.find('<') != std::string::npos || e.find('"') != std::string::npos) __builtin_trap();
        (void)Csv::cell(v);
        (void)nl2br(v);
    }
    (void)join_date_time(form, "starts", err, true);
    (void)join_date_time(form, "ends", err, false);
    return 0;
}
