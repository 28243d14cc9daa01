#include "app/model/comment_form.h"

#include "core/timeutil.h"
#include "core/utf8.h"

namespace kyodo::app {

namespace {
std::string str_of(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::vector<DraftSection> draft_sections(const Activity& a) {
    std::vector<DraftSection> out;
    auto it = a.extra.find("sections");
    if (it == a.extra.end() || !it->is_array()) return out;
    for (const Json& s : *it) {
        if (!s.is_object()) continue;
        DraftSection d{str_of(s, "id"), str_of(s, "title"), str_of(s, "text")};
        if (!d.id.empty() && !d.title.empty()) out.push_back(std::move(d));
    }
    return out;
}

std::pair<std::string, std::string> comment_period(const Activity& a) {
    std::string from = str_of(a.extra, "comment_from"), until = str_of(a.extra, "comment_until");
    if (from.empty()) from = a.starts_at;
    if (until.empty()) until = a.ends_at;
    return {from.substr(0, std::min<std::size_t>(10, from.size())),
            until.substr(0, std::min<std::size_t>(10, until.size()))};
}

bool comment_open(const Activity& a, const std::string& today) {
    if (a.kind != ActivityKind::PublicComment || draft_sections(a).empty()) return false;
    auto [from, until] = comment_period(a);
    if (!from.empty() && today < from) return false;
    if (!until.empty() && today > until) return false;
    return true;
}

std::vector<Activity> open_drafts(const KioskStore& store, const std::string& today) {
    SearchQuery q;
    q.kind = ActivityKind::PublicComment;
    q.limit = 100;
    std::vector<Activity> out;
    for (auto& a : store.search(q).items)
        if (comment_open(a, today)) out.push_back(std::move(a));
    return out;
}

std::string today_jst() { return rfc3339_utc(now_millis() + 9 * 3600 * 1000LL).substr(0, 10); }

bool CommentForm::start_for(const Activity& draft, const std::string& today) {
    clear();
    if (!comment_open(draft, today)) return false;
    draft_id = draft.id;
    draft_title = draft.title;
    sections = draft_sections(draft);
    period_until = comment_period(draft).second;
    return true;
}

void CommentForm::clear() {
    draft_id.clear();
    draft_title.clear();
    sections.clear();
    period_until.clear();
    step = Step::Section;
    section = -1;
    text.clear();
    name.clear();
    phone.clear();
    email.clear();
    errors.clear();
    last = {};
}

bool CommentForm::dirty() const {
    return section >= 0 || !text.empty() || !name.empty() || !phone.empty() || !email.empty();
}

void CommentForm::pick(int index) {
    if (index < 0 || index >= static_cast<int>(sections.size())) return;
    section = index;
    step = Step::Write;
    errors.clear();
}

bool CommentForm::to_review() {
    if (!validate()) return false;
    step = Step::Review;
    return true;
}

void CommentForm::back() {
    if (step == Step::Review) step = Step::Write;
    else if (step == Step::Write) step = Step::Section;
}

Personal CommentForm::personal() const { return Personal{name, "", phone, email}; }

Record CommentForm::record() const {
    Record r;
    r.kind = RecordKind::PublicComment;
    std::string sid = section >= 0 && section < static_cast<int>(sections.size()) ? sections[section].id : "";
    r.payload = Json{{"draft_id", draft_id}, {"section_id", sid}, {"text", text}};
    return r;
}

bool CommentForm::validate() {
    errors.clear();
    if (section < 0 || section >= static_cast<int>(sections.size())) errors["section_id"] = "required";
    if (text.empty()) errors["text"] = "required";
    else if (!is_valid_utf8(text)) errors["text"] = "invalid_utf8";
    else if (utf8::length(text) > 4000) errors["text"] = "too_long";
    Personal p = personal();
    if (!p.empty()) {
        Validation v = validate_personal(RecordKind::PublicComment, p);
        for (const auto& e : v.errors) {
            std::string f = form_field_of(e.field);
            if (!errors.count(f)) errors[f] = e.code;
        }
    }
    return errors.empty();
}

SubmitResult CommentForm::submit(const SubmitContext& ctx) {
    if (!validate()) {
        last = {};
        last.error = SubmitError::Invalid;
        return last;
    }
    Personal p = personal();
    last = submit_record(ctx, record(), p.empty() ? nullptr : &p, &errors);
    return last;
}

}  // namespace kyodo::app
