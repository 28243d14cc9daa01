// パブリックコメント: the open drafts, a draft's sections, the comment, review; and, from a
// closed draft's page, the city's response (市の考え方) once city hall published it.
#pragma once

#include <optional>
#include <string>

#include "app/model/city_response.h"
#include "app/model/comment_form.h"
#include "app/ui/view.h"

namespace kyodo::app::screens {

class PublicCommentView final : public View {
public:
    CommentForm comment;
    std::optional<CityResponse> reading;   // 市の考え方 being read (from the draft's page)
    std::string reading_title;             // the draft it answers

    void start(Shell& shell, const std::string& draft_id);   // "" = the list of open drafts
    void submit(Shell& shell);
    // 市の考え方 of `draft_id` (published: see city_response()); nothing happens when there is none.
    void read_response(Shell& shell, const std::string& draft_id);

    void draw(Shell& shell) override;
    void reset() override {
        comment.clear();
        reading.reset();
    }
    bool dirty() const override { return comment.dirty(); }
    int page() const override { return reading ? 100 : static_cast<int>(comment.step); }
    void preview(Shell& shell, Screen) override { start(shell, ""); }
};

}  // namespace kyodo::app::screens
