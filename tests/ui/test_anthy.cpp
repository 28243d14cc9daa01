// Kana-to-kanji conversion with the real libanthy (Debian's, UTF-8 mode) and the kiosk's own
// vocabulary: 協働 first for きょうどう, catalog names whole, a bad split fixed by resizing,
// nothing above U+FFFF offered, the latency of a conversion, and a sign-up typed by touch
// alone (kana + conversion) that reaches the outbox.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "app/model/forms.h"
#include "app/model/keyboard_host.h"
#include "core/seal.h"
#include "core/utf8.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

FieldSpec field(const char* id, InputKind kind, std::size_t max = 50) {
    FieldSpec f;
    f.id = id;
    f.kind = kind;
    f.max_length = max;
    return f;
}

int index_of(const Segment& s, const std::string& word) {
    auto it = std::find(s.candidates.begin(), s.candidates.end(), word);
    return it == s.candidates.end() ? -1 : static_cast<int>(it - s.candidates.begin());
}

std::string joined_readings(const std::vector<Segment>& segs) {
    std::string s;
    for (const auto& g : segs) s += g.reading + "|";
    return s;
}

// One store + keyboard host per test (anthy itself starts once per process).
// `common_words`: the frequency list the kiosk reads (Debian's path unless a test says).
struct Host {
    SampleStore s;
    KeyboardHost host;
    std::string log;
    explicit Host(const std::string& name, const std::string& common_words = CommonWords::kDebianPath) : s(name) {
        host.common_words_path = common_words;
        log = host.init(KYODO_ASSETS_DIR, *s.store);
        INFO(log);
        REQUIRE_MESSAGE(host.conversion, log);
    }
};

}  // namespace

TEST_CASE("a resident's surname and an opinion's words come first (たなか → 田中, さんせいです → 賛成です)") {
    // Issue 9: anthy alone offered 田奈か before 田中 (4th) and 山西です for さんせいです.
    Host h("anthy_names");
    KanaKeyboard& kb = h.host.kb;
    for (const auto& pair : {std::pair{"たなか", "田中"}, std::pair{"さとう", "佐藤"}, std::pair{"わたなべ", "渡辺"}}) {
        const auto reading = pair.first, want = pair.second;   // not a binding: clang 14 cannot capture one (CAPTURE)
        CAPTURE(reading);
        kb.open(field("t", InputKind::Text), "");
        kb.type(reading);
        REQUIRE(kb.convert() == Feedback::None);
        REQUIRE(!kb.segments().empty());
        CHECK(kb.segments()[0].candidates.front() == want);
        kb.close();
    }
    kb.open(field("t", InputKind::Text), "");
    kb.type("さんせいです");
    REQUIRE(kb.convert() == Feedback::None);
    CHECK(kb.composition().rfind("賛成", 0) == 0);
    kb.close();
}

std::string first_candidate(KanaKeyboard& kb, const std::string& reading) {
    kb.open(field("t", InputKind::Text), "");
    kb.type(reading);
    std::string first = kb.convert() == Feedback::None && !kb.segments().empty() ? kb.segments()[0].candidates.front() : "";
    kb.close();
    return first;
}

TEST_CASE("common words and names come first from the frequency list (Debian skkdic), not from a hand-made list") {
    // Issue 9 point 6. None of these readings is in the kiosk's terms file any more: the
    // order comes from SKK-JISYO.L, which lists the most frequent word first.
    UserDictionary terms;
    REQUIRE(terms.load_terms_file(std::string(KYODO_ASSETS_DIR) + "/dictionary/kyodo_terms.json"));
    const std::pair<const char*, const char*> expected[] = {
        {"たなか", "田中"}, {"さんせい", "賛成"}, {"はんたい", "反対"}, {"いけん", "意見"}, {"ようぼう", "要望"},
        {"わたなべ", "渡辺"}, {"たかはし", "高橋"}, {"すずき", "鈴木"}, {"こうえん", "公園"}, {"せいそう", "清掃"}};
    Host h("anthy_common");
    REQUIRE_MESSAGE(h.host.common.size() > 100000, h.log);
    KanaKeyboard& kb = h.host.kb;
    for (const auto& pair : expected) {
        const auto& reading = pair.first;   // not a binding: clang 14 cannot capture one (CAPTURE)
        const auto& want = pair.second;
        CAPTURE(reading);
        CHECK(terms.lookup(reading) == nullptr);
        CHECK(first_candidate(kb, reading) == want);
    }
    // A particle after the word: anthy alone reads さんせいです as 山西です.
    kb.open(field("t", InputKind::Text), "");
    kb.type("さんせいです");
    REQUIRE(kb.convert() == Feedback::None);
    CHECK(kb.composition() == "賛成です");
    kb.close();
    kb.open(field("t", InputKind::Text), "");
    kb.type("こうえんにべんちがほしい");
    REQUIRE(kb.convert() == Feedback::None);
    CHECK(kb.composition().rfind("公園に", 0) == 0);
    kb.close();

    // Without the list (file missing) the same readings come out in anthy's order, which the
    // issue measured: 田奈か before 田中. The log says the list is missing.
    Host bare("anthy_common_bare", "/nonexistent/SKK-JISYO.L");
    CHECK(bare.host.common.size() == 0);
    CHECK(bare.log.find("common words") != std::string::npos);
    CHECK(first_candidate(bare.host.kb, "たなか") != "田中");
    bare.host.kb.open(field("t", InputKind::Text), "");
    bare.host.kb.type("さんせいです");
    REQUIRE(bare.host.kb.convert() == Feedback::None);
    CHECK(bare.host.kb.composition() != "賛成です");
}

TEST_CASE("a catalog place's name is among the first candidates for its reading (おおどの → 大殿)") {
    Host h("anthy_places");
    KanaKeyboard& kb = h.host.kb;
    int checked = 0;
    for (const auto& c : h.s.store->centres()) {
        const std::string suffix = "地域交流センター", reading_suffix = "ちいきこうりゅうせんたー";
        const std::string reading = normalize_reading(c.kana);
        if (c.name.size() <= suffix.size() || c.name.compare(c.name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
        if (reading.size() <= reading_suffix.size()) continue;
        const std::string place = c.name.substr(0, c.name.size() - suffix.size());
        const std::string place_reading = reading.substr(0, reading.size() - reading_suffix.size());
        CAPTURE(place);
        CAPTURE(place_reading);
        kb.open(field("t", InputKind::Text), "");
        kb.type(place_reading);
        REQUIRE(kb.convert() == Feedback::None);
        REQUIRE(kb.segments().size() == 1);
        const int at = index_of(kb.segments()[0], place);
        CHECK(at >= 0);
        CHECK(at < 3);
        kb.close();
        ++checked;
    }
    MESSAGE(checked << " places of the catalog's centres checked");
    CHECK(checked >= 3);
}

TEST_CASE("an anthy miss: a reading with no kanji keeps its kana and the keyboard says so") {
    Host h("anthy_miss");
    KanaKeyboard& kb = h.host.kb;
    // A foreign name in hiragana (Vivi): anthy offers only the kana themselves for each of its
    // segments (ゔ|ぃ|ゔ|ぃ), and the frequency list has no word for it. (ゔぃくとりあ is not a
    // miss: anthy makes ゔぃ区と里亜 of it, which the resident can step past with 確定 on the kana.)
    const std::string reading = "ゔぃゔぃ";
    CHECK(h.host.common.lookup(reading).empty());
    kb.open(field("signup.name", InputKind::Text), "");
    kb.type(reading);
    CHECK(kb.convert() == Feedback::NoCandidates);
    CHECK(kb.last_feedback() == Feedback::NoCandidates);
    CHECK(kb.composing());
    CHECK_FALSE(kb.converting());
    CHECK(kb.composition() == reading);
    kb.commit();
    CHECK(kb.text() == reading);
    // The note the keyboard shows, in all three languages.
    for (const char* lang : {"ja", "easy_ja", "en"}) {
        CAPTURE(lang);
        std::ifstream in(std::string(KYODO_ASSETS_DIR) + "/i18n/" + lang + ".json");
        const Json j = Json::parse(in);
        REQUIRE(j.contains("kbd.no_candidates"));
        CHECK_FALSE(j["kbd.no_candidates"].get<std::string>().empty());
    }
}

TEST_CASE("anthy alone gets the kiosk's words wrong; with the kiosk's vocabulary 協働 comes first") {
    AnthyConverter bare;
    std::string err;
    REQUIRE_MESSAGE(bare.init(&err), err);
    auto plain = bare.convert("きょうどう");
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].candidates.front() != "協働");   // the limit the issue measured

    Host h("anthy_kyodo");
    KanaKeyboard& kb = h.host.kb;
    kb.open(field("t", InputKind::Text), "");
    kb.type("きょうどう");
    REQUIRE(kb.convert() == Feedback::None);
    REQUIRE(kb.segments().size() == 1);
    CHECK(kb.segments()[0].candidates.front() == "協働");
    // anthy's own words are still there, after ours.
    CHECK(index_of(kb.segments()[0], "共同") > 0);
    kb.commit();
    CHECK(kb.text() == "協働");

    // Compound terms become one segment instead of anthy's pieces.
    kb.open(field("t", InputKind::Text), "");
    kb.type("しみんきょうどうじぎょう");
    kb.convert();
    CHECK(kb.composition() == "市民協働事業");
    CHECK(kb.segments().size() == 1);
}

TEST_CASE("a whole catalog name's reading converts to the name") {
    Host h("anthy_catalog");
    KanaKeyboard& kb = h.host.kb;
    int checked = 0;
    auto check_name = [&](const std::string& kana, const std::string& name) {
        if (kana.empty() || utf8::has_beyond_bmp(name)) return;
        CAPTURE(kana);
        CAPTURE(name);
        kb.open(field("t", InputKind::Text, 200), "");
        std::u32string typed;   // a resident types the reading without the spaces
        for (char32_t c : utf8::decode(kana))
            if (c != U' ' && c != 0x3000) typed.push_back(c);
        kb.type(utf8::encode(typed));
        REQUIRE(kb.convert() == Feedback::None);
        REQUIRE(kb.segments().size() == 1);
        CHECK(index_of(kb.segments()[0], name) == 0);
        kb.commit();
        CHECK(kb.text() == name);
        ++checked;
    };
    for (const auto& c : h.s.store->centres()) check_name(c.kana, c.name);
    for (const auto& o : h.s.store->organizations()) check_name(o.kana, o.name);
    SearchQuery q;
    q.limit = 20;
    for (const auto& a : h.s.store->search(q).items) {
        // Two titles may share a reading: the name must then be among the first few.
        const auto* words = h.host.dict.lookup(a.kana);
        if (words && words->front() != a.title) continue;
        check_name(a.kana, a.title);
    }
    MESSAGE(checked << " catalog names converted whole");
    CHECK(checked >= 20);
}

TEST_CASE("たなかたろう: anthy's bad split is fixed by widening the first segment") {
    Host h("anthy_resize");
    KanaKeyboard& kb = h.host.kb;
    kb.open(field("name", InputKind::Text), "");
    kb.type("たなかたろう");
    REQUIRE(kb.convert() == Feedback::None);
    INFO(joined_readings(kb.segments()));
    REQUIRE(kb.segments().size() >= 2);
    // Widen segment 1 until it reads たなか (anthy starts with た|なかたろう).
    for (int i = 0; i < 5 && kb.segments()[0].reading != "たなか"; ++i) {
        int n = static_cast<int>(utf8::length(kb.segments()[0].reading));
        kb.resize_segment(n < 3 ? +1 : -1);
    }
    REQUIRE(kb.segments()[0].reading == "たなか");
    REQUIRE(kb.segments().size() == 2);
    CHECK(kb.segments()[1].reading == "たろう");
    int tanaka = index_of(kb.segments()[0], "田中");
    REQUIRE(tanaka >= 0);
    kb.pick(tanaka);
    CHECK(kb.current_segment() == 1);
    int taro = index_of(kb.segments()[1], "太郎");
    REQUIRE(taro >= 0);
    kb.pick(taro);
    kb.commit();
    CHECK(kb.text() == "田中太郎");
}

TEST_CASE("candidates above U+FFFF are filtered out") {
    Host h("anthy_bmp");
    // A name kanji the 16-bit atlas cannot draw (𠮷, U+20BB7), e.g. from a catalog entry.
    h.host.dict.add("よしの", "\xF0\xA0\xAE\xB7野");
    h.host.dict.add("よしの", "吉野");
    KanaKeyboard& kb = h.host.kb;
    kb.open(field("t", InputKind::Text), "");
    kb.type("よしの");
    REQUIRE(kb.convert() == Feedback::None);
    REQUIRE_FALSE(kb.segments().empty());
    for (const auto& s : kb.segments())
        for (const auto& c : s.candidates) {
            CAPTURE(c);
            CHECK_FALSE(utf8::has_beyond_bmp(c));
        }
    CHECK(kb.segments()[0].candidates.front() == "吉野");
    kb.commit();
    CHECK_FALSE(utf8::has_beyond_bmp(kb.text()));
}

TEST_CASE("conversion latency (typical readings, catalog vocabulary on)") {
    Host h("anthy_latency");
    AnthyConverter& a = h.host.anthy;
    const char* readings[] = {"きょうどう", "やまだはなこ", "たなかたろう", "しみんきょうどうじぎょう",
                              "ちいきこうりゅうせんたーでぼらんてぃあをしたい", "こうえんのそうじ",
                              "こどものいばしょづくりについていけんがあります", "でんわばんごう",
                              "ぼうさいくんれんにさんかします", "よしのやまのさくら"};
    std::vector<double> ms;
    for (int round = 0; round < 5; ++round)
        for (const char* r : readings) {
            auto t0 = std::chrono::steady_clock::now();
            auto segs = a.convert(r);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            CHECK_FALSE(segs.empty());
        }
    std::sort(ms.begin(), ms.end());
    double p50 = ms[ms.size() / 2], p95 = ms[ms.size() * 95 / 100], max = ms.back();
    std::printf("anthy conversion latency over %zu conversions (5 rounds of %zu readings, 3–23 kana): "
                "p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
                ms.size(), std::size(readings), p50, p95, max);
    // The same without the frequency list, on the same machine at the same moment: what the
    // common words (and the particle cuts they bring) cost.
    {
        a.set_common_words(nullptr);
        std::vector<double> bare;
        for (int round = 0; round < 5; ++round)
            for (const char* r : readings) {
                auto t0 = std::chrono::steady_clock::now();
                a.convert(r);
                bare.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
        std::sort(bare.begin(), bare.end());
        std::printf("  without the frequency list: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", bare[bare.size() / 2],
                    bare[bare.size() * 95 / 100], bare.back());
        a.set_common_words(&h.host.common);
    }
    // The bar (a tap feels instant: p50 well under one 60 Hz frame) is a figure to read here
    // and in docs/performance.md, not an assertion: on a shared CI machine with both cores
    // busy the same code measured p50 6-29 ms, so a fixed-time check fails on the machine's
    // load, not on the code's speed. What is checked is that every reading converted.
    MESSAGE("conversion p50 ", p50, " ms (bar: < 16 ms on a quiet machine)");
}

TEST_CASE("山田 typed by kana and conversion into the sign-up form, then submitted") {
    Host h("anthy_signup");
    crypto_init();
    KeyPair keys = generate_keypair();
    SubmitContext ctx;
    ctx.store = h.s.store.get();
    ctx.kiosk_id = "test-kiosk";
    ctx.centre_id = "test-centre";
    ctx.city_hall_public_key = keys.public_key_b64;

    SignUpForm form;
    SearchQuery q;
    q.only_open_places = true;
    Activity act;
    for (const auto& a : h.s.store->search(q).items)
        if (a.capacity > 0) {
            act = a;
            break;
        }
    REQUIRE_FALSE(act.id.empty());
    form.start_for(act);

    KanaKeyboard& kb = h.host.kb;
    // お名前: やまだ → 変換 → 山田, a space, はなこ → 変換 → 花子.
    kb.open(field("signup.name", InputKind::Text), form.name);
    kb.type("やまだ");
    REQUIRE(kb.convert() == Feedback::None);
    CHECK(kb.composition() == "山田");
    kb.commit();
    Key space;
    space.kind = KeyKind::Space;
    kb.press(space);
    kb.type("はなこ");
    REQUIRE(kb.convert() == Feedback::None);
    REQUIRE(kb.segments().size() == 1);
    int hanako = index_of(kb.segments()[0], "花子");
    REQUIRE(hanako >= 0);
    kb.pick(hanako);
    kb.close();
    form.name = kb.text();
    CHECK(form.name == "山田　花子");
    // ふりがな: kana only, straight in.
    kb.open(field("signup.furigana", InputKind::Kana), form.furigana);
    kb.type("やまだ　はなこ");
    CHECK(kb.type("山") == Feedback::NotAllowed);
    kb.close();
    form.furigana = kb.text();
    // 電話番号 on the number pad.
    kb.open(field("signup.phone", InputKind::Phone, 13), form.phone);
    kb.type("083-123-4567");
    kb.close();
    form.phone = kb.text();

    SubmitResult r = form.submit(ctx);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK_FALSE(r.receipt.number.empty());
    auto entry = h.s.store->outbox_entry(r.receipt.record_id);
    REQUIRE(entry.has_value());
}
