// String tables: both languages load, every key a screen asks for exists in both, and the
// glyph set covers the catalog.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "app/model/comment_form.h"
#include "app/model/glyphs.h"
#include "app/model/texts.h"
#include "core/groups.h"
#include "core/talent.h"
#include "core/utf8.h"
#include "core/vocabulary.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {
std::set<std::string> keys_of(const std::string& path) {
    std::ifstream in(path);
    Json j = Json::parse(in);
    std::set<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
    return out;
}
}  // namespace

TEST_CASE("ja and en tables load and switch") {
    Texts t;
    std::string err;
    REQUIRE_MESSAGE(t.load_dir(std::string(KYODO_ASSETS_DIR) + "/i18n", &err), err);
    CHECK(std::string(t.get("start.opinion")) == "ご意見箱");
    t.toggle();
    CHECK(t.lang() == Lang::En);
    CHECK(std::string(t.get("start.opinion")) == "Opinion box");
    CHECK(t.fmt("listings.count", {{"n", "12"}}) == "12 found");
    CHECK(t.field("防災") == "Disaster prevention");
    CHECK(t.field("未知の分野") == "未知の分野");
    CHECK(std::string(t.kind(ActivityKind::Volunteer)) == "Volunteering");
    t.set_lang(Lang::Ja);
    CHECK(t.fmt("listings.count", {{"n", "12"}}) == "12 件");
    CHECK(std::string(t.method(Method::Kyosai)) == "共催");
    CHECK_FALSE(t.all_text().empty());
}

TEST_CASE("the shared vocabulary is one set: the kiosk's tables hold no copy of it") {
    // Kinds, forms, methods, fields, talent and group terms are in assets/i18n/vocab/ only;
    // the kiosk, the dashboard and core's label_ja() all read them from there.
    for (const char* lang : {"ja", "en", "easy_ja"}) {
        const auto own = keys_of(std::string(KYODO_ASSETS_DIR) + "/i18n/" + lang + ".json");
        const auto vocab = keys_of(std::string(KYODO_ASSETS_DIR) + "/i18n/vocab/" + lang + ".json");
        for (const auto& k : vocab) CHECK_MESSAGE(own.count(k) == 0, lang << ".json copies the vocabulary's " << k);
        CHECK(vocabulary(lang).size() == vocab.size());   // the embedded table is the file
    }
    CHECK(std::string(label_ja(Method::SankakuTeian)) == vocabulary("ja").get("method.participation_proposal"));
    CHECK(std::string(label_ja(Method::SankakuTeian)) == "参画提案・政策提案");
    CHECK(talent::label_ja("it") == "IT・パソコン・スマホ");
    CHECK(groups::kind_label_ja("neighbourhood") == "町内会・自治会");
    Texts t;
    REQUIRE(t.load_dir(std::string(KYODO_ASSETS_DIR) + "/i18n"));
    CHECK(std::string(t.method(Method::SankakuTeian)) == "参画提案");   // the kiosk's narrow form
    CHECK(std::string(t.kind(ActivityKind::Grant)) == "助成金");
    CHECK(std::string(t.get("group.kind.npo")) == "NPO法人");
    t.set_lang(Lang::En);
    CHECK(std::string(t.get("group.kind.npo")) == "NPO");
    CHECK(std::string(t.kind(ActivityKind::Grant)) == "Grant");
}

TEST_CASE("every key the screens use is in both tables") {
    auto ja = keys_of(std::string(KYODO_ASSETS_DIR) + "/i18n/ja.json");
    auto en = keys_of(std::string(KYODO_ASSETS_DIR) + "/i18n/en.json");
    for (const auto& k : ja) CHECK_MESSAGE(en.count(k), "en.json lacks " << k);
    for (const auto& k : en) CHECK_MESSAGE(ja.count(k), "ja.json lacks " << k);
    // The screens also read the shared vocabulary through the same get().
    for (const char* lang : {"ja", "en"}) {
        auto& into = std::string(lang) == "ja" ? ja : en;
        for (const auto& k : keys_of(std::string(KYODO_ASSETS_DIR) + "/i18n/vocab/" + lang + ".json")) into.insert(k);
    }
    // Keys written literally in the screens: get("x.y"), fmt("x.y", …), and the
    // title/desc pairs of the start tiles.
    std::regex lit(R"re((?:get|fmt)\("([a-z_]+\.[a-z_.]+)")re");
    std::regex tile_keys(R"re("((?:start)\.[a-z_.]+)")re");
    int found = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KYODO_SOURCE_DIR) + "/app/screens")) {
        std::string src = read_bytes(entry.path().string());
        for (auto* re : {&lit, &tile_keys})
            for (std::sregex_iterator it(src.begin(), src.end(), *re), end; it != end; ++it) {
                std::string key = (*it)[1];
                ++found;
                if (key.back() == '.') {
                    // A prefix completed at run time (get("talent.by." + code)): some key
                    // under it must be in both tables.
                    auto under = [&](const std::set<std::string>& t) {
                        auto i = t.lower_bound(key);
                        return i != t.end() && i->rfind(key, 0) == 0;
                    };
                    CHECK_MESSAGE(under(ja), entry.path().filename().string() << " uses missing keys " << key << "*");
                    CHECK_MESSAGE(under(en), entry.path().filename().string() << " uses missing keys " << key << "*");
                    continue;
                }
                CHECK_MESSAGE(ja.count(key), entry.path().filename().string() << " uses missing key " << key);
                CHECK_MESSAGE(en.count(key), entry.path().filename().string() << " uses missing key " << key);
            }
    }
    CHECK(found > 50);
}

TEST_CASE("glyph set: base, strings and every catalog character") {
    GlyphSet g;
    g.add_base();
    CHECK(g.contains(U'A'));
    CHECK(g.contains(U'あ'));
    CHECK(g.contains(U'ア'));
    CHECK(g.contains(U'令'));
    CHECK_FALSE(g.contains(U'働'));
    CHECK(g.add("協働"));
    CHECK_FALSE(g.add("協働"));   // nothing new
    CHECK(g.contains(U'働'));
    CHECK_FALSE(g.add("😀"));     // beyond the 16-bit atlas: ignored
    // Separators the screens put between catalog values are always in the atlas.
    GlyphSet base;
    base.add_base();
    for (char32_t ch : utf8::decode("　｜　 〜 、（）・…−+○◇△◎×"))
        CHECK_MESSAGE(base.contains(ch), "missing U+" << std::hex << static_cast<unsigned>(ch));

    SampleStore s("ui_glyphs");
    GlyphSet c;
    c.add_base();
    CHECK(add_catalog_text(*s.store, c));
    for (const auto& a : s.store->search(SearchQuery{}).items)
        for (char32_t ch : utf8::decode(a.title))
            if (ch >= 0x20 && ch < 0x10000) CHECK_MESSAGE(c.contains(ch), a.title);
    // Slots and items (not in search) bring their names and places too.
    int bookables = 0;
    for (ActivityKind kind : {ActivityKind::Slot, ActivityKind::Item})
        for (const auto& a : s.store->bookables(kind, "")) {
            ++bookables;
            for (const std::string* t : {&a.title, &a.place})
                for (char32_t ch : utf8::decode(*t))
                    if (ch >= 0x20 && ch < 0x10000) CHECK_MESSAGE(c.contains(ch), *t);
        }
    CHECK(bookables > 0);   // the sample catalog holds slots
    // A draft's sections and a call's themes (Activity::extra) are catalog text too: the
    // public comment showed 第 and 十 as '?' (they were noted only while drawn, after the atlas).
    int sections = 0, themes = 0;
    for (const auto& a : s.store->search(SearchQuery{}).items) {
        for (const DraftSection& d : draft_sections(a)) {
            ++sections;
            for (char32_t ch : utf8::decode(d.title + d.text))
                if (ch >= 0x20 && ch < 0x10000) CHECK_MESSAGE(c.contains(ch), d.title << ": " << utf8::encode(ch));
        }
        if (auto it = a.extra.find("themes"); it != a.extra.end() && it->is_array())
            for (const auto& t : *it)
                if (t.is_string()) {
                    ++themes;
                    for (char32_t ch : utf8::decode(t.get<std::string>()))
                        if (ch >= 0x20 && ch < 0x10000) CHECK_MESSAGE(c.contains(ch), t.get<std::string>());
                }
    }
    CHECK(sections > 0);
    CHECK(themes > 0);
    CHECK(c.size() < 3000);   // the atlas stays small: glyphs in use, not the whole range
}
