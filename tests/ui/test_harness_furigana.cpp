// Furigana on the kiosk (issue 9 point 5), driven through the real screens: the 文字・言語
// overlay's switch turned on by touch puts the catalog's readings above the kanji of the
// listing cards, of the detail page's title, summary and description and of the receipt's
// activity title; やさしい日本語 has them on by default; the session's end puts the switch
// back. Every reading must sit above its kanji, centred on them, inside the window and over no
// other text; no text is cut.
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "app/screens/detail.h"
#include "app/screens/receipt.h"
#include "app/model/ruby_layout.h"
#include "app/ui/draw_stats.h"
#include "core/ruby.h"
#include "core/store.h"
#include "core/uuid.h"
#include "harness.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

bool overlap(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh) {
    const float e = 0.5f;   // touching is not overlapping
    return ax + aw > bx + e && bx + bw > ax + e && ay + ah > by + e && by + bh > ay + e;
}

// The readings one frame draws, checked: each above its kanji, centred on them, inside the
// window, over no other kanji or reading. Returns them.
std::vector<ui::RubyMark> checked_rubies(Harness& h, int win_w, const std::string& where) {
    ui::take_rubies();
    h.idle(1);
    std::vector<ui::RubyMark> marks = ui::take_rubies();
    std::string bad;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const ui::RubyMark& m = marks[i];
        const std::string what = m.base + "《" + m.reading + "》 ";
        if (!has_kanji(m.base)) bad += what + "not over kanji; ";
        if (m.ruby_y + m.ruby_size > m.base_y + 1.0f || m.ruby_y < m.base_y - m.size) bad += what + "not just above; ";
        if (std::abs((m.ruby_x + m.ruby_w * 0.5f) - (m.base_x + m.base_w * 0.5f)) >= 1.5f) bad += what + "not centred; ";
        if (m.ruby_x < 0 || m.ruby_x + m.ruby_w > static_cast<float>(win_w)) bad += what + "outside the window; ";
        for (std::size_t j = 0; j < marks.size(); ++j) {
            if (i == j) continue;
            const ui::RubyMark& o = marks[j];
            if (overlap(m.ruby_x, m.ruby_y, m.ruby_w, m.ruby_size, o.base_x, o.base_y, o.base_w, o.size))
                bad += what + "over " + o.base + "; ";
            if (overlap(m.ruby_x, m.ruby_y, m.ruby_w, m.ruby_size, o.ruby_x, o.ruby_y, o.ruby_w, o.ruby_size))
                bad += what + "over " + o.reading + "; ";
        }
    }
    CAPTURE(where);
    CHECK_MESSAGE(bad.empty(), bad);
    return marks;
}

bool drew(const std::vector<ui::RubyMark>& marks, const std::string& base, const std::string& reading) {
    for (const auto& m : marks)
        if (m.base == base && m.reading == reading) return true;
    return false;
}

// An activity whose title and summary carry readings (the sample catalog's).
Activity annotated_activity(Harness& h) {
    SearchQuery q;
    q.limit = 200;
    for (const auto& a : h.s.store->search(q).items) {
        const Furigana f = furigana_of(a);
        if (!a.summary.empty() && !f.title.empty() && !f.summary.empty() && ruby_matches(a.title, f.title) &&
            ruby_matches(a.summary, f.summary))
            return a;
    }
    return {};
}

// The first reading of an annotated text (its first base and reading).
RubySegment first_ruby(const std::string& annotated) {
    for (const auto& s : parse_ruby(annotated))
        if (!s.reading.empty()) return s;
    return {};
}

}  // namespace

TEST_CASE("harness: furigana switched on by touch: readings above the kanji of the listing cards and the detail page") {
    if (!need_display()) return;
    Harness h("harness-furigana");
    h.tap("find");
    REQUIRE(h.screen() == Screen::Listings);
    h.idle(2);
    CHECK(checked_rubies(h, 1920, "listings, off").empty());   // Japanese: off until the resident turns it on
    // Every pixel filled about once (the page colour is the clear colour, not a window
    // background drawn over it: without a GPU the frame time follows the fill), and no
    // text off its atlas size, so the font atlas is sampled texel by texel throughout.
    const ui::DrawStats plain = ui::draw_stats(ImGui::GetDrawData());
    CHECK(plain.fill_screens < 1.3);
    CHECK(plain.smooth_on == 0);
    REQUIRE(h.has("card"));
    const float card_h_off = h.find("card")->h;

    h.tap("settings");
    REQUIRE(h.app->settings_open);
    REQUIRE(h.has("furigana-on"));
    h.tap("furigana-on");   // ふりがな: つける
    CHECK(h.app->settings.furigana == FuriganaMode::On);
    h.tap("settings-close");
    CHECK_FALSE(h.app->settings_open);

    // The listing cards: each title's readings above it, the cards grown to hold them.
    ui::take_overflows();
    h.idle(2);
    const std::string cut_listings = text_cuts();
    CHECK_MESSAGE(cut_listings.empty(), "text cut: " << cut_listings);
    const auto on_cards = checked_rubies(h, 1920, "listings");
    CHECK(on_cards.size() >= 4);
    // The readings (the body face at half size) are sampled smoothly, under one switch a
    // text and switched back after them.
    const ui::DrawStats with_ruby = ui::draw_stats(ImGui::GetDrawData());
    CHECK(with_ruby.smooth_on >= 1);
    CHECK(with_ruby.smooth_on == with_ruby.smooth_off);
    CHECK(with_ruby.smooth_on <= static_cast<int>(on_cards.size()));
    int in_cards = 0;
    for (const auto& m : on_cards)
        for (const auto& r : h.layout)
            if (r.id == "card" && m.ruby_y >= r.y && m.base_y + m.size <= r.y + r.h && m.ruby_x >= r.x &&
                m.ruby_x + m.ruby_w <= r.x + r.w)
                ++in_cards;
    CHECK(in_cards == static_cast<int>(on_cards.size()));   // every reading inside its card
    REQUIRE(h.has("card"));   // grown by the band the readings take (nothing drawn over the badges)
    CHECK(h.find("card")->h >= card_h_off + ruby_room(h.app->fonts().bold->FontSize) - 0.5f);
    h.shot("furigana-listings-1920x1080-ja");

    // The detail page: title, summary and description.
    const Activity a = annotated_activity(h);
    REQUIRE_FALSE(a.id.empty());
    h.app->view<screens::DetailView>().open(*h.app, a.id);
    ui::take_overflows();
    h.idle(2);
    const std::string cut_detail = text_cuts();
    CHECK_MESSAGE(cut_detail.empty(), "text cut: " << cut_detail);
    const auto on_detail = checked_rubies(h, 1920, "detail");
    const RubySegment t = first_ruby(furigana_of(a).title), s = first_ruby(furigana_of(a).summary);
    CHECK(drew(on_detail, t.text, t.reading));
    CHECK(drew(on_detail, s.text, s.reading));
    h.shot("furigana-detail-1920x1080-ja");

    // はじめの画面へ keeps this resident's settings (text size, language, furigana) …
    h.tap("home");
    CHECK(h.app->settings.show_furigana());
    // … the end of the session (idle reset, the receipt's 終わる) puts them all back.
    h.app->reset_session();
    h.idle(2);
    CHECK(h.app->settings.furigana == FuriganaMode::Auto);
    CHECK_FALSE(h.app->settings.show_furigana());

    // やさしい日本語 chosen in the overlay: furigana on without touching their switch.
    h.tap("settings");
    h.tap("lang-easy_ja");
    CHECK(h.app->settings.lang == Lang::EasyJa);
    CHECK(h.app->settings.show_furigana());
    h.shot("furigana-settings-1920x1080-easy_ja");
    h.tap("settings-close");
    h.app->view<screens::DetailView>().open(*h.app, a.id);
    h.idle(2);
    CHECK(drew(checked_rubies(h, 1920, "detail easy_ja"), t.text, t.reading));
    // And off again by the switch: no readings drawn.
    h.tap("settings");
    h.tap("furigana-off");
    h.tap("settings-close");
    CHECK_FALSE(h.app->settings.show_furigana());
    h.idle(2);
    CHECK(checked_rubies(h, 1920, "detail, off").empty());
}

TEST_CASE("harness: furigana at 1080x1920 and 390x844 in ja and easy_ja: readings in place, nothing cut") {
    if (!need_display()) return;
    struct Size {
        int w, h;
    };
    for (Size sz : {Size{1080, 1920}, Size{390, 844}}) {
        Harness h("harness-furigana-" + std::to_string(sz.w), sz.w, sz.h);
        const Activity a = annotated_activity(h);
        REQUIRE_FALSE(a.id.empty());
        for (Lang lang : {Lang::Ja, Lang::EasyJa}) {
            h.app->texts.set_lang(lang);
            h.app->settings.furigana = lang == Lang::Ja ? FuriganaMode::On : FuriganaMode::Auto;   // easy_ja: by default
            for (Screen screen : {Screen::Listings, Screen::Detail}) {
                h.app->preview(Screen::Listings);
                if (screen == Screen::Detail) h.app->view<screens::DetailView>().open(*h.app, a.id);
                h.idle(3);
                ui::take_overflows();
                h.idle(2);
                const std::string where = std::to_string(sz.w) + "x" + std::to_string(sz.h) + "-" + lang_code(lang) +
                                          (screen == Screen::Detail ? "-detail" : "-listings");
                CAPTURE(where);
                const std::string cut = text_cuts();
                CHECK_MESSAGE(cut.empty(), "text cut: " << cut);
                CHECK_FALSE(checked_rubies(h, sz.w, where).empty());
                h.shot("furigana-" + where);
            }
        }
    }
}

// Issue 9 point 7 with furigana on (point 5): the sign-up's receipt names the activity, its
// title with the catalog's readings above the kanji as on the detail page (it was drawn plain),
// at 1920x1080 (the activity's column beside the number), 1080x1920 and 390x844 (under it, the
// page scrolled by a finger); the QR code to the status page whole and in view at each size.
// Screenshots: flows-furigana-receipt-<W>x<H>.png.
TEST_CASE("harness: with furigana on the sign-up receipt draws the activity's title with its readings") {
    if (!need_display()) return;
    struct Size {
        int w, h;
    };
    for (Size sz : {Size{1920, 1080}, Size{1080, 1920}, Size{390, 844}}) {
        const std::string where = std::to_string(sz.w) + "x" + std::to_string(sz.h);
        CAPTURE(where);
        Harness h("harness-furigana-receipt-" + std::to_string(sz.w), sz.w, sz.h);
        const Activity a = annotated_activity(h);
        REQUIRE_FALSE(a.id.empty());
        h.app->settings.furigana = FuriganaMode::On;
        Receipt r;
        r.record_id = new_uuid_v7();
        r.number = receipt_number(r.record_id);
        r.check_code = "0000";
        h.app->go(Screen::SignUp);
        h.app->view<screens::ReceiptView>().show(*h.app, RecordKind::SignUp, r, false, a.id);
        h.idle(3);
        REQUIRE(h.screen() == Screen::Receipt);
        // Where the page scrolls, a finger brings the title, then the QR code under it, into view.
        const float bottom = static_cast<float>(sz.h) - 80;
        const RubySegment t = first_ruby(furigana_of(a).title);
        std::vector<ui::RubyMark> marks;
        for (int i = 0; i < 8; ++i) {
            marks = checked_rubies(h, sz.w, "receipt " + where);
            bool in_view = !marks.empty();
            for (const auto& m : marks) in_view = in_view && m.ruby_y >= 120 && m.base_y + m.size <= bottom;
            if (in_view) break;
            h.drag(static_cast<float>(sz.w) * 0.5f, static_cast<float>(sz.h) * 0.6f, static_cast<float>(sz.h) * 0.45f);
        }
        ui::take_overflows();
        h.idle(2);
        const std::string cut = text_cuts();
        CHECK_MESSAGE(cut.empty(), "text cut: " << cut);
        marks = checked_rubies(h, sz.w, "receipt " + where);
        CHECK_MESSAGE(drew(marks, t.text, t.reading), "no " << t.text << "《" << t.reading << "》 over the title");
        for (const auto& m : marks) {   // in view, not scrolled away
            CHECK(m.ruby_y >= 120);   // under the header
            CHECK(m.base_y + m.size <= bottom);
        }
        h.shot("furigana-receipt-" + where);
        for (int i = 0; i < 6; ++i) {
            const ui::LayoutRect* q = h.find("receipt-qr");
            if (q && q->y >= 80 && q->y + q->h <= bottom) break;
            h.drag(static_cast<float>(sz.w) * 0.5f, static_cast<float>(sz.h) * 0.6f, static_cast<float>(sz.h) * 0.4f);
        }
        h.shot("furigana-receipt-" + where + "-qr");
        check_qr_on_screen(h, "receipt-qr", h.app->receipt_url(r.number));
        const ui::LayoutRect* q = h.find("receipt-qr");
        REQUIRE(q);
        CHECK(q->y + q->h <= bottom);
    }
}
