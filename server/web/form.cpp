#include "server/web/form.h"

#include <algorithm>
#include <cstdio>

#include "core/utf8.h"
#include "core/validate.h"
#include "server/admin.h"
#include "server/web/html.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

// id of the error text, for aria-describedby ("err-q.2.text" is a valid id in HTML).
std::string err_id(const std::string& name) { return "err-" + name; }

std::string invalid_attrs(const FieldErrors& e, const std::string& name) {
    return e.at.count(name) ? " aria-invalid=\"true\" aria-describedby=\"" + esc(err_id(name)) + "\"" : "";
}

std::string label_open(const FieldErrors& e, const std::string& name, const std::string& cls) {
    std::string c = cls;
    if (e.at.count(name)) c += c.empty() ? "invalid" : " invalid";
    return c.empty() ? "<label>" : "<label class=\"" + c + "\">";
}

std::string hint_html(const std::string& hint) { return hint.empty() ? "" : "<small class=\"hint\">" + esc(hint) + "</small>"; }

}  // namespace

std::string field_id(const std::string& name) { return "f-" + name; }

namespace {

// "q.2.c.1" → "問3 ", "s.0.title" → "1番目の章 ": which row a field belongs to.
std::string row_of(const std::string& name) {
    if (name.size() < 3 || name[1] != '.' || (name[0] != 'q' && name[0] != 's')) return "";
    try {
        const int i = std::stoi(name.substr(2)) + 1;
        return trf(name[0] == 'q' ? "forms.row.question" : "forms.row.section", {{"n", std::to_string(i)}});
    } catch (const std::exception&) {
        return "";
    }
}

}  // namespace

std::string FieldErrors::summary_html(const std::map<std::string, std::string>& labels) const {
    if (!any()) return "";
    std::string o = "<div class=\"error\" role=\"alert\">";
    if (!general.empty()) o += "<p>" + esc(general) + "</p>";
    if (!at.empty()) {
        o += "<p>" + esc(trf("forms.errors.summary", {{"n", std::to_string(at.size())}})) + "</p><ul>";
        for (const auto& [name, msg] : at) {
            const auto l = labels.find(name);
            const std::string where = row_of(name) + (l != labels.end() ? l->second : name);
            o += "<li><a href=\"#" + esc(field_id(name)) + "\">" + esc(where) + "</a>: " + esc(msg) + "</li>";
        }
        o += "</ul>";
    }
    return o + "</div>";
}

std::string field_error(const FieldErrors& e, const std::string& name) {
    const auto it = e.at.find(name);
    if (it == e.at.end()) return "";
    return "<span class=\"field-error\" id=\"" + esc(err_id(name)) + "\">" + esc(it->second) + "</span>";
}

std::string text_field(const FormCtx& f, const std::string& name, const std::string& label, const std::string& value,
                       const std::string& attrs, const std::string& hint, const std::string& cls) {
    f.note(name, label);
    return label_open(f.err, name, cls) + "<span>" + esc(label) + "</span><input id=\"" + esc(field_id(name)) + "\" name=\"" + esc(name) + "\" value=\"" + esc(value) +
           "\"" + (attrs.empty() ? "" : " " + attrs) + (f.ro ? " readonly" : "") + invalid_attrs(f.err, name) + ">" + hint_html(hint) +
           field_error(f.err, name) + "</label>";
}

std::string textarea_field(const FormCtx& f, const std::string& name, const std::string& label, const std::string& value, int rows,
                           const std::string& attrs, const std::string& hint, const std::string& cls) {
    f.note(name, label);
    return label_open(f.err, name, cls) + "<span>" + esc(label) + "</span><textarea id=\"" + esc(field_id(name)) + "\" name=\"" + esc(name) + "\" rows=\"" +
           std::to_string(rows) + "\"" + (attrs.empty() ? "" : " " + attrs) + (f.ro ? " readonly" : "") + invalid_attrs(f.err, name) +
           ">" + esc(value) + "</textarea>" + hint_html(hint) + field_error(f.err, name) + "</label>";
}

std::string select_field(const FormCtx& f, const std::string& name, const std::string& label, const Options& options,
                         const std::string& cur, const std::string& cls) {
    f.note(name, label);
    std::string o = label_open(f.err, name, cls) + "<span>" + esc(label) + "</span><select id=\"" + esc(field_id(name)) + "\" name=\"" + esc(name) + "\"" +
                    (f.ro ? " disabled" : "") + invalid_attrs(f.err, name) + ">";
    bool found = false;
    for (const auto& [v, l] : options) {
        const bool sel = v == cur;
        found = found || sel;
        o += "<option value=\"" + esc(v) + "\"" + (sel ? " selected" : "") + ">" + esc(l) + "</option>";
    }
    if (!found) o += "<option value=\"" + esc(cur) + "\" selected>" + esc(trf("forms.select.not_listed", {{"value", cur}})) + "</option>";
    o += "</select>" + field_error(f.err, name) + "</label>";
    return o;
}

std::string checkbox_group(const FormCtx& f, const std::string& name, const std::string& legend, const std::vector<std::string>& options,
                           const std::vector<std::string>& selected, const std::optional<std::string>& other_label_in,
                           const std::string& cls) {
    const std::string other_label = other_label_in ? *other_label_in : tr("forms.checks.other");
    f.note(name, legend);
    std::string o = "<fieldset id=\"" + esc(field_id(name)) + "\" class=\"checks " + cls + (f.err.at.count(name) ? " invalid" : "") + "\"><legend>" +
                    esc(legend) + "</legend>";
    for (const std::string& v : options) {
        const bool on = std::find(selected.begin(), selected.end(), v) != selected.end();
        o += "<label class=\"check\"><input type=\"checkbox\" name=\"" + esc(name) + "\" value=\"" + esc(v) + "\"" + (on ? " checked" : "") +
             (f.ro ? " disabled" : "") + "> " + esc(v) + "</label>";
    }
    std::string others;
    for (const std::string& v : selected)
        if (std::find(options.begin(), options.end(), v) == options.end()) others += (others.empty() ? "" : tr("forms.list_sep")) + v;
    if (!other_label.empty())
        o += "<label class=\"other\"><span>" + esc(other_label) + "</span><input name=\"" + esc(name) + "_other\" value=\"" + esc(others) +
             "\"" + (f.ro ? " readonly" : "") + "></label>";
    return o + field_error(f.err, name) + "</fieldset>";
}

std::string checkbox_field(const FormCtx& f, const std::string& name, const std::string& label, bool checked) {
    return "<label class=\"check\"><input type=\"checkbox\" name=\"" + esc(name) + "\" value=\"1\"" + (checked ? " checked" : "") +
           (f.ro ? " disabled" : "") + "> " + esc(label) + "</label>";
}

std::string date_time_field(const FormCtx& f, const std::string& prefix, const std::string& label, const std::string& iso,
                            bool with_time) {
    const std::string date = iso.substr(0, std::min<std::size_t>(iso.size(), 10));
    const std::string time = iso.size() >= 16 && iso[10] == 'T' ? iso.substr(11, 5) : "";
    const std::string dn = prefix + "_date", tn = prefix + "_time";
    const bool bad = f.err.at.count(dn) > 0;
    f.note(dn, label);
    std::string o = "<fieldset class=\"datetime" + std::string(bad ? " invalid" : "") + "\"><legend>" + esc(label) +
                    "</legend><input type=\"date\" id=\"" + esc(field_id(dn)) + "\" name=\"" + esc(dn) + "\" value=\"" + esc(date) + "\" aria-label=\"" + esc(trf("forms.date.aria", {{"label", label}})) + "\"" +
                    (f.ro ? " readonly" : "") + invalid_attrs(f.err, dn) + ">";
    if (with_time)
        o += "<input type=\"time\" name=\"" + esc(tn) + "\" value=\"" + esc(time) + "\" aria-label=\"" + esc(trf("forms.time.aria", {{"label", label}})) + "\"" +
             (f.ro ? " readonly" : "") + "><small class=\"hint\">" + esc(tr("forms.time.hint")) + "</small>";
    return o + field_error(f.err, dn) + "</fieldset>";
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string normalise_newlines(const std::string& s) {
    std::string o;
    o.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            o += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            o += s[i];
        }
    }
    return o;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        const std::string t = trim(cur);
        if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
        cur.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ',' || s[i] == '\n') flush();
        else if (s.compare(i, 3, "\u3001") == 0) { flush(); i += 2; }   // 、 (the ideographic comma) in any language
        else cur += s[i];
    }
    flush();
    return out;
}

std::string join_list(const Json& arr, const char* sep) {
    std::string o;
    if (arr.is_array())
        for (const Json& x : arr)
            if (x.is_string()) o += (o.empty() ? "" : sep) + x.get<std::string>();
    return o;
}

bool is_iso_date(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool is_hh_mm(const std::string& s) {
    return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) && std::isdigit(static_cast<unsigned char>(s[1])) &&
           std::isdigit(static_cast<unsigned char>(s[3])) && std::isdigit(static_cast<unsigned char>(s[4])) && std::stoi(s.substr(0, 2)) < 24 &&
           std::stoi(s.substr(3, 2)) < 60;
}

std::string join_date_time(const std::map<std::string, std::string>& form, const std::string& prefix, FieldErrors& err, bool with_time) {
    auto get = [&](const std::string& k) {
        const auto it = form.find(k);
        return it == form.end() ? std::string() : trim(it->second);
    };
    const std::string date = get(prefix + "_date");
    std::string time = with_time ? get(prefix + "_time") : "";
    if (time.size() == 8 && time[5] == ':') time = time.substr(0, 5);   // a browser may send seconds
    if (date.empty()) {
        if (!time.empty()) err.add(prefix + "_date", tr("forms.err.time_only"));
        return "";
    }
    if (!is_iso_date(date)) {
        err.add(prefix + "_date", tr("forms.err.date"));
        return date + (time.empty() ? "" : "T" + time);
    }
    if (!time.empty() && !is_hh_mm(time)) {
        err.add(prefix + "_date", tr("forms.err.time"));
        return date + "T" + time;
    }
    return time.empty() ? date : date + "T" + time;
}

void check_text(FieldErrors& err, const std::string& field, const std::string& value, std::size_t max, bool required, bool multi_line) {
    if (!utf8::valid(value)) return err.add(field, tr("forms.err.utf8"));
    if (required && trim(value).empty()) return err.add(field, tr("forms.err.required"));
    if (utf8::has_control(value, multi_line))
        return err.add(field, tr(multi_line ? "forms.err.control" : "forms.err.one_line"));
    const std::size_t n = utf8::length(value);
    if (n > max) return err.add(field, trf("forms.err.too_long", {{"n", std::to_string(n)}, {"max", std::to_string(max)}}));
    if (utf8::has_beyond_bmp(value))
        err.add(field, tr("forms.err.beyond_bmp"));
}

void check_id(FieldErrors& err, const std::string& field, const std::string& value) {
    if (!is_valid_id(value)) err.add(field, tr("forms.err.id"));
}

bool apply_row_op(const std::string& op, const std::string& path, Json& rows, const Json& blank) {
    const auto colon = op.find(':');
    if (colon == std::string::npos || !rows.is_array()) return false;
    const std::string verb = op.substr(0, colon), target = op.substr(colon + 1);
    if (verb == "add") {
        if (target != path) return false;
        rows.push_back(blank);
        return true;
    }
    // "del:q.2" → list path "q", index 2.
    const auto dot = target.rfind('.');
    if (dot == std::string::npos || target.substr(0, dot) != path) return false;
    std::size_t i = 0;
    try {
        i = std::stoul(target.substr(dot + 1));
    } catch (const std::exception&) {
        return false;
    }
    if (i >= rows.size()) return false;
    if (verb == "del") {
        rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (verb == "up" && i > 0) {
        std::swap(rows[i - 1], rows[i]);
    } else if (verb == "down" && i + 1 < rows.size()) {
        std::swap(rows[i], rows[i + 1]);
    } else {
        return false;
    }
    return true;
}

std::string row_buttons(const FormCtx& f, const std::string& path, std::size_t i, std::size_t n, const std::string& what) {
    if (f.ro) return "";
    const std::string at = path + "." + std::to_string(i);
    std::string o = "<span class=\"rowops\">";
    if (i > 0) o += "<button class=\"small\" name=\"op\" value=\"up:" + esc(at) + "\" title=\"" + esc(trf("forms.row.up", {{"what", what}})) + "\" aria-label=\"" + esc(trf("forms.row.up", {{"what", what}})) + "\">↑</button>";
    if (i + 1 < n)
        o += "<button class=\"small\" name=\"op\" value=\"down:" + esc(at) + "\" title=\"" + esc(trf("forms.row.down", {{"what", what}})) + "\" aria-label=\"" + esc(trf("forms.row.down", {{"what", what}})) + "\">↓</button>";
    o += "<button class=\"small danger\" name=\"op\" value=\"del:" + esc(at) + "\">" + esc(trf("forms.row.delete", {{"what", what}})) + "</button>";
    return o + "</span>";
}

}  // namespace kyodo::server::web
