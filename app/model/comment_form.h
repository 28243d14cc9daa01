// Public comment (パブリックコメント) on a draft the city put out: the resident picks a
// section of the draft, writes a comment, reviews it, and sends it as a public_comment
// record. A draft is offered only while its comment period is open (extra.comment_from ..
// extra.comment_until, else starts_at .. ends_at, JST dates, inclusive).
#pragma once

#include <string>
#include <vector>

#include "app/model/forms.h"

namespace kyodo::app {

struct DraftSection {
    std::string id;
    std::string title;
    std::string text;
};

// The draft's sections from Activity::extra.sections (empty when it has none).
std::vector<DraftSection> draft_sections(const Activity& a);
// The comment period as "YYYY-MM-DD" pair (either may be empty = open-ended).
std::pair<std::string, std::string> comment_period(const Activity& a);
// True when `a` is a draft for public comment with sections, open on `today` (YYYY-MM-DD).
bool comment_open(const Activity& a, const std::string& today);
// Drafts open for comment on `today`, in catalog order.
std::vector<Activity> open_drafts(const KioskStore& store, const std::string& today);
// Today's date in Japan ("YYYY-MM-DD"), from the system clock.
std::string today_jst();

struct CommentForm {
    enum class Step { Section, Write, Review };

    std::string draft_id;
    std::string draft_title;
    std::vector<DraftSection> sections;
    std::string period_until;        // shown to the resident
    Step step = Step::Section;
    int section = -1;                // index into sections
    std::string text;
    std::string name, phone, email;  // optional (a reply or follow-up)

    FieldErrors errors;
    SubmitResult last;

    // Binds to a draft; false (and nothing bound) when the period is closed on `today`.
    bool start_for(const Activity& draft, const std::string& today);
    void clear();                    // forgets the draft and everything typed
    bool dirty() const;
    void pick(int index);            // choose a section → Write
    bool to_review();                // validates → Review
    void back();                     // one step back (Review → Write → Section)
    Personal personal() const;
    Record record() const;
    bool validate();
    SubmitResult submit(const SubmitContext& ctx);
};

}  // namespace kyodo::app
