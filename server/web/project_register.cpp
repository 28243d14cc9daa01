// The project register's logic (server/web/projects.h): seed 000's yearly table counted from
// projects, era years, the JSON form and the checks.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/utf8.h"
#include "server/web/projects.h"
#include "server/web/text.h"

namespace kyodo::server::web {

std::string era_year_ja(int fy) {
    struct Era {
        int first;
        const char* key;   // the era's name in the tables
    };
    static const Era eras[] = {{2019, "project_register.era.reiwa"}, {1989, "project_register.era.heisei"}, {1926, "project_register.era.showa"}};
    for (const Era& e : eras)
        if (fy >= e.first) {
            const int n = fy - e.first + 1;
            return trf("project_register.era_year", {{"era", tr(e.key)}, {"n", n == 1 ? tr("project_register.era.first") : std::to_string(n)}});
        }
    return trf("project_register.fiscal_year", {{"year", std::to_string(fy)}});
}

std::string year_label_ja(int fy) {
    return trf("project_register.year_label", {{"year", std::to_string(fy)}, {"era_year", era_year_ja(fy)}});
}

namespace {

const char* const kLetters[][2] = {{"executive_committee", "A"}, {"subsidy", "B"},   {"co_host", "C"},           {"cooperation", "D"},
                                   {"designated_manager", "E"},  {"commission", "F"}, {"activity_support", "G"}};

int seed_rank(const std::string& code) {
    for (int i = 0; i < 7; ++i)
        if (code == kLetters[i][0]) return i;
    const auto m = method_from_code(code);
    if (!m) return 1000;
    const auto& all = all_methods();
    return 100 + static_cast<int>(std::find(all.begin(), all.end(), *m) - all.begin());
}

// Seed 000's columns per form, in its order.
const std::map<std::string, std::vector<std::vector<std::string>>>& seed_columns() {
    static const std::map<std::string, std::vector<std::vector<std::string>>> c = {
        {"kyodo", {{"executive_committee"}, {"co_host"}}},
        {"kyoryoku", {{"cooperation"}, {"designated_manager"}, {"commission"}}},
        {"shien", {{"subsidy"}, {"activity_support"}, {"subsidy", "activity_support"}}},
    };
    return c;
}

std::string s(const Json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }

}  // namespace

std::string method_letter(const std::string& code) {
    for (const auto& l : kLetters)
        if (code == l[0]) return l[1];
    return "";
}

std::string method_label(const std::string& code) {
    const auto m = method_from_code(code);
    const std::string name = m ? tr(std::string("method.") + code) : code;
    const std::string letter = method_letter(code);
    // Seed 000 writes 委託契約 and 補助金 where the catalog's labels are longer (委託契約・協働委託).
    std::string shown = name;
    if (code == "commission") shown = tr("project_register.method_short.commission");
    if (code == "subsidy") shown = tr("project_register.method_short.subsidy");
    return letter.empty() ? shown : letter + " " + shown;
}

std::vector<std::string> ordered_methods(std::vector<std::string> codes) {
    std::stable_sort(codes.begin(), codes.end(), [](const std::string& a, const std::string& b) { return seed_rank(a) < seed_rank(b); });
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    return codes;
}

std::string ProjectColumn::label() const { return label(tr("project_register.method_sep")); }

std::string ProjectColumn::label(const std::string& sep) const {
    std::string o;
    for (const auto& m : methods) o += (o.empty() ? "" : sep) + method_label(m);
    return o;
}

ProjectTable project_table(const std::vector<Project>& projects) {
    ProjectTable t;
    for (Form f : all_forms()) {
        ProjectGroup g;
        g.form = to_code(f);
        for (const auto& ms : seed_columns().at(g.form)) g.columns.push_back(ProjectColumn{ms, 0, {}});
        t.groups.push_back(std::move(g));
    }
    for (const Project& p : projects) {
        if (p.status == "stopped") {
            t.not_counted.push_back(trf("project_register.not_counted.stopped", {{"title", p.title}}));
            continue;
        }
        auto g = std::find_if(t.groups.begin(), t.groups.end(), [&](const ProjectGroup& x) { return x.form == p.form; });
        const auto ms = ordered_methods(p.methods);
        const bool methods_ok = !ms.empty() && std::all_of(ms.begin(), ms.end(), [](const std::string& m) { return method_from_code(m).has_value(); });
        if (g == t.groups.end() || !methods_ok) {
            t.not_counted.push_back(trf("project_register.not_counted.unknown", {{"title", p.title}}));
            continue;
        }
        auto c = std::find_if(g->columns.begin(), g->columns.end(), [&](const ProjectColumn& x) { return x.methods == ms; });
        if (c == g->columns.end()) {
            g->columns.push_back(ProjectColumn{ms, 0, {}});
            c = g->columns.end() - 1;
        }
        ++c->count;
        c->titles.push_back(p.title);
        ++g->count;
        ++t.total;
    }
    // Columns outside seed 000's layout: single methods before combinations, in seed order.
    for (auto& g : t.groups) {
        const std::size_t fixed = seed_columns().at(g.form).size();
        std::stable_sort(g.columns.begin() + static_cast<std::ptrdiff_t>(fixed), g.columns.end(), [](const ProjectColumn& a, const ProjectColumn& b) {
            if (a.methods.size() != b.methods.size()) return a.methods.size() < b.methods.size();
            for (std::size_t i = 0; i < a.methods.size(); ++i)
                if (a.methods[i] != b.methods[i]) return seed_rank(a.methods[i]) < seed_rank(b.methods[i]);
            return false;
        });
    }
    return t;
}

void check_project(const Project& p, FieldErrors& err) {
    check_id(err, "id", p.id);
    if (p.fiscal_year < 1989 || p.fiscal_year > 2100) err.add("fiscal_year", tr("project_register.err.fiscal_year"));
    check_text(err, "title", p.title, 100, true);
    check_text(err, "department", p.department, 60, false);
    if (!form_from_code(p.form)) err.add("form", tr("project_register.err.form"));
    if (p.methods.empty()) err.add("methods", tr("project_register.err.methods"));
    for (const auto& m : p.methods)
        if (!method_from_code(m)) err.add("methods", trf("project_register.err.no_method", {{"code", m}}));
    if (p.partners.size() > 50) err.add("partners", tr("project_register.err.partners"));
    for (const auto& pa : p.partners) check_text(err, "partners", pa.name, 100, true);
    if (p.budget_yen < -1 || p.budget_yen > 100000000000LL) err.add("budget_yen", tr("project_register.err.budget"));
    check_text(err, "goals", p.goals, 2000, false, true);
    check_text(err, "note", p.note, 2000, false, true);
    if (std::find(project_statuses().begin(), project_statuses().end(), p.status) == project_statuses().end())
        err.add("status", tr("project_register.err.status"));
}

Json project_to_json(const Project& p) {
    Json partners = Json::array(), methods = Json::array(), listings = Json::array();
    for (const auto& x : p.partners) partners.push_back({{"org_id", x.org_id}, {"name", x.name}});
    for (const auto& m : p.methods) methods.push_back(m);
    for (const auto& l : p.listing_ids) listings.push_back(l);
    return {{"id", p.id},         {"fiscal_year", p.fiscal_year}, {"title", p.title},       {"department", p.department},
            {"form", p.form},     {"methods", methods},           {"partners", partners},   {"budget_yen", p.budget_yen},
            {"goals", p.goals},   {"status", p.status},           {"note", p.note},         {"listing_ids", listings},
            {"updated_by", p.updated_by}, {"updated_at", p.updated_at}};
}

Project project_from_json(const Json& j) {
    Project p;
    if (!j.is_object()) return p;
    p.id = s(j, "id");
    if (j.contains("fiscal_year") && j["fiscal_year"].is_number_integer()) p.fiscal_year = j["fiscal_year"].get<int>();
    p.title = s(j, "title");
    p.department = s(j, "department");
    p.form = s(j, "form");
    if (j.contains("methods") && j["methods"].is_array())
        for (const Json& m : j["methods"])
            if (m.is_string()) p.methods.push_back(m.get<std::string>());
    p.methods = ordered_methods(p.methods);
    if (j.contains("partners") && j["partners"].is_array())
        for (const Json& x : j["partners"]) {
            if (x.is_string()) p.partners.push_back({"", x.get<std::string>()});
            else if (x.is_object()) p.partners.push_back({s(x, "org_id"), s(x, "name")});
        }
    if (j.contains("budget_yen") && j["budget_yen"].is_number_integer()) p.budget_yen = j["budget_yen"].get<std::int64_t>();
    p.goals = s(j, "goals");
    if (!s(j, "status").empty()) p.status = s(j, "status");
    p.note = s(j, "note");
    if (j.contains("listing_ids") && j["listing_ids"].is_array())
        for (const Json& l : j["listing_ids"])
            if (l.is_string()) p.listing_ids.push_back(l.get<std::string>());
    return p;
}

int import_projects(Storage& st, const std::string& text, const std::string& by, const std::string& now) {
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::invalid_argument(tr("project_register.import.not_json"));
    const Json arr = doc.is_array() ? doc : doc.is_object() && doc.contains("projects") ? doc["projects"] : Json();
    if (!arr.is_array()) throw std::invalid_argument(tr("project_register.import.no_list"));
    std::vector<Project> ps;
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        Project p = project_from_json(arr[i]);
        p.updated_by = by;
        p.updated_at = now;
        FieldErrors err;
        check_project(p, err);
        if (seen.count(p.id)) err.add("id", tr("project_register.import.duplicate"));
        seen[p.id] = 1;
        if (err.any()) {
            const auto& [field, msg] = *err.at.begin();
            throw std::invalid_argument(trf("project_register.import.row_error",
                                              {{"n", std::to_string(i + 1)}, {"id", p.id}, {"title", p.title}, {"field", field}, {"msg", msg}}));
        }
        ps.push_back(std::move(p));
    }
    for (const Project& p : ps)
        if (st.civic().closed_year(p.fiscal_year)) throw std::invalid_argument(trf("project_register.import.closed", {{"id", p.id}, {"year", era_year_ja(p.fiscal_year)}}));
    const int n = st.civic().put_projects(ps);
    for (const Project& p : ps)
        for (const auto& l : p.listing_ids) st.civic().link_listing(l, p.id);
    return n;
}

std::vector<Project> year_projects(Storage& st, int fy) {
    const auto closed = st.civic().closed_year(fy);
    if (!closed) return st.civic().projects(fy);
    std::vector<Project> out;
    const Json doc = Json::parse(closed->snapshot, nullptr, false);
    if (doc.is_object() && doc.contains("projects") && doc["projects"].is_array())
        for (const Json& j : doc["projects"]) out.push_back(project_from_json(j));
    return out;
}

std::string year_snapshot(Storage& st, int fy) {
    Json arr = Json::array();
    for (const Project& p : st.civic().projects(fy)) arr.push_back(project_to_json(p));
    return Json{{"projects", arr}}.dump();
}

}  // namespace kyodo::server::web
