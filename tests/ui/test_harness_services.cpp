// Issue 11's proof asks for the personas' screens at the kiosk's three window sizes: the
// retired teacher who registers as a volunteer tutor (talent bank, 人材バンク) and the 町内会
// that registers with the centre (利用登録) before it books the projector (the booking
// screens are test_harness_booking.cpp's). Every step of both forms, filled in as the
// personas fill them, at 1920x1080, 1080x1920 and 390x844 in ja and en, with no text cut.
// Screenshots in <build>/screenshots/flows-{talent,group}-<step>-<lang>-<size>.png.
#include <doctest/doctest.h>

#include "app/screens/groups.h"
#include "app/screens/talent.h"
#include "harness.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

TEST_CASE("harness: the talent bank's and group registration's steps at three window sizes in ja and en, no text cut") {
    if (!need_display()) return;
    struct Size {
        int w, h;
    };
    for (Size sz : {Size{1920, 1080}, Size{1080, 1920}, Size{390, 844}}) {
        Harness h("harness-services-" + std::to_string(sz.w), sz.w, sz.h);
        auto& T = h.app->view<screens::TalentView>();
        auto& G = h.app->view<screens::GroupsView>();
        for (Lang lang : {Lang::Ja, Lang::En}) {
            const std::string tag = std::string(lang_code(lang)) + "-" + std::to_string(sz.w) + "x" + std::to_string(sz.h);
            auto page = [&](const std::string& name) {
                h.app->texts.set_lang(lang);
                h.idle(4);
                ui::take_overflows();   // the frames before the language took hold
                h.idle(2);
                CAPTURE(name);
                CAPTURE(tag);
                const std::string cut = text_cuts();
                CHECK_MESSAGE(cut.empty(), "text cut: " << cut);
                h.shot(name + "-" + tag);
            };
            // The retired teacher: teaching, 教育・生涯学習, weekday mornings and afternoons at Ōdono.
            h.app->home();
            T.start(*h.app);
            REQUIRE(h.screen() == Screen::Talent);
            CHECK_FALSE(T.requests.empty());   // the sample catalog's 人材募集 are shown beside the choices
            T.talent.help = {"teaching"};
            T.talent.fields = {"教育・生涯学習"};
            T.talent.note = "元中学校教師。数学と理科を教えられます";
            page("talent-help");
            REQUIRE(T.talent.next());
            T.talent.areas = {"ohdono"};
            T.talent.times = {"weekday_am", "weekday_pm"};
            page("talent-when");
            REQUIRE(T.talent.next());
            T.talent.name = "佐藤 恵子";
            T.talent.furigana = "さとう けいこ";
            T.talent.phone = "0839204417";
            T.talent.contact_by = "phone";
            T.talent.consent = true;
            page("talent-contact");
            REQUIRE(T.talent.next());
            REQUIRE(T.talent.step == TalentStep::Review);
            page("talent-review");
            T.talent.clear();

            // The 町内会 applies for registration.
            h.app->home();
            G.start(*h.app);
            REQUIRE(h.screen() == Screen::Groups);
            G.group.name = "大殿町内会";
            G.group.kana = "おおとのちょうないかい";
            G.group.kind = "neighbourhood";
            G.group.fields = {"防災"};
            G.group.members = "120";
            G.group.centre_id = "ohdono";
            G.group.description = "防災訓練と見守り";
            page("group-about");
            REQUIRE(G.group.next());
            G.group.rep_name = "山口 花子";
            G.group.rep_furigana = "やまぐち はなこ";
            G.group.phone = "0839221234";
            G.group.consent = true;
            page("group-representative");
            REQUIRE(G.group.next());
            REQUIRE(G.group.step == GroupStep::Review);
            page("group-review");
            G.group.clear();
            h.app->home();
        }
        h.app->texts.set_lang(Lang::Ja);
    }
}

// The start board grew to seven rows of tiles (booking and items beside each other, the
// booking check full width): every tile and the privacy line are inside the window and apart
// from each other at each size and language (at 1920x1080 the last row once ran under the
// privacy line, which no text-cut check saw).
TEST_CASE("harness: the start board's tiles and its privacy line do not overlap at three window sizes") {
    if (!need_display()) return;
    struct Size {
        int w, h;
    };
    const char* tiles[] = {"find", "volunteer", "opinion", "survey", "comment", "proposal", "orgs",
                           "talent", "groups", "booking", "items", "cancel"};
    for (Size sz : {Size{1920, 1080}, Size{1080, 1920}, Size{390, 844}}) {
        Harness h("harness-start-" + std::to_string(sz.w), sz.w, sz.h);
        for (Lang lang : {Lang::Ja, Lang::En, Lang::EasyJa}) {
            h.app->home();
            h.app->texts.set_lang(lang);
            h.idle(4);
            const std::string where = std::to_string(sz.w) + "x" + std::to_string(sz.h) + " " + lang_code(lang);
            CAPTURE(where);
            const ui::LayoutRect* privacy = h.find("start-privacy");
            REQUIRE(privacy);
            const bool scrolled = sz.w < 1400;   // portrait and phone: tiles, board and the line scroll together
            if (!scrolled) CHECK(privacy->y + privacy->h <= static_cast<float>(sz.h));
            for (const char* id : tiles) {
                const ui::LayoutRect* t = h.find(id);
                if (!t) {
                    CHECK_MESSAGE(scrolled, "tile " << id << " not drawn");
                    continue;
                }
                CAPTURE(id);
                const bool apart = t->x + t->w <= privacy->x || privacy->x + privacy->w <= t->x ||
                                   t->y + t->h <= privacy->y || privacy->y + privacy->h <= t->y;
                CHECK_MESSAGE(apart, "tile " << id << " overlaps the privacy line");
                if (!scrolled) CHECK(t->y + t->h <= static_cast<float>(sz.h));
            }
            if (!scrolled && lang == Lang::Ja) h.shot("start-board-" + where.substr(0, where.find(' ')));
        }
        h.app->texts.set_lang(Lang::Ja);
    }
}
