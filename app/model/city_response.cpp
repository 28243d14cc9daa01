#include "app/model/city_response.h"

#include "app/model/comment_form.h"
#include "core/timeutil.h"

namespace kyodo::app {

namespace {

std::string text_of(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string CityResponse::all_text() const {
    std::string out = summary;
    for (const auto& it : items) out += it.section_title + it.opinion + it.answer;
    return out;
}

std::optional<CityResponse> city_response(const Activity& a) {
    if (a.kind != ActivityKind::PublicComment || !a.extra.is_object()) return std::nullopt;
    auto r = a.extra.find("city_response");
    if (r == a.extra.end() || !r->is_object()) return std::nullopt;
    CityResponse out;
    out.published_at = text_of(*r, "published_at");
    out.summary = text_of(*r, "summary");
    if (auto ms = parse_rfc3339(out.published_at)) out.published_date = local_jst(*ms).substr(0, 10);
    const auto sections = draft_sections(a);
    if (auto items = r->find("items"); items != r->end() && items->is_array())
        for (const Json& it : *items) {
            if (!it.is_object()) continue;
            CityResponseItem x{text_of(it, "section_id"), "", text_of(it, "opinion"), text_of(it, "answer")};
            if (x.opinion.empty() || x.answer.empty()) continue;
            x.section_title = x.section_id;
            for (const auto& s : sections)
                if (s.id == x.section_id) x.section_title = s.title;
            out.items.push_back(std::move(x));
        }
    if (out.summary.empty() && out.items.empty()) return std::nullopt;
    return out;
}

}  // namespace kyodo::app
