// パブリックコメント: the open drafts, a draft's sections, the comment, review.
#pragma once

#include <string>

#include "app/model/comment_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class PublicCommentView final : public View {
public:
    CommentForm comment;

    void start(Shell& shell, const std::string& draft_id);   // "" = the list of open drafts
    void submit(Shell& shell);

    void draw(Shell& shell) override;
    void reset() override { comment.clear(); }
    bool dirty() const override { return comment.dirty(); }
    int page() const override { return static_cast<int>(comment.step); }
    void preview(Shell& shell, Screen) override { start(shell, ""); }
};

}  // namespace kyodo::app::screens
