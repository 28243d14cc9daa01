// The on-screen keyboard's model without a GPU or anthy: layouts per field kind, kana marks,
// cursor and backspace by code point, length limits, what each field refuses, and the
// conversion state machine against a scripted converter.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "app/model/kana_keyboard.h"
#include "app/model/romaji.h"
#include "app/model/user_dictionary.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "ui_test_util.h"

using namespace kyodo::app;

namespace {

FieldSpec field(InputKind kind, std::size_t max = 50, const char* id = "f") {
    FieldSpec f;
    f.id = id;
    f.kind = kind;
    f.max_length = max;
    return f;
}

// Presses the grid key showing `label` on the current layout, as a finger would.
bool tap(KanaKeyboard& kb, const std::string& label) {
    for (const auto& row : kb.rows(99))
        for (const auto& k : row)
            if (k.label == label) {
                kb.press(k);
                return true;
            }
    return false;
}

bool tap_fn(KanaKeyboard& kb, KeyKind kind) {
    for (const auto& k : kb.function_keys(99))
        if (k.kind == kind) {
            kb.press(k);
            return true;
        }
    return false;
}

// A converter with a fixed answer per reading; resize moves the boundary after a segment.
class ScriptedConverter : public Converter {
public:
    std::map<std::string, std::vector<std::string>> words;   // reading → candidates
    std::u32string reading;
    std::vector<std::size_t> cuts;                           // segment lengths
    bool ready() const override { return true; }
    std::vector<Segment> convert(const std::string& r) override {
        reading = kyodo::utf8::decode(r);
        cuts.clear();
        // Scripted split: たなか|たろう style readings cut after the first char, like anthy.
        if (reading.size() > 3) cuts = {1, reading.size() - 1};
        else cuts = {reading.size()};
        return segments();
    }
    std::vector<Segment> resize(int index, int delta) override {
        auto i = static_cast<std::size_t>(index);
        if (i >= cuts.size()) return {};
        long n = static_cast<long>(cuts[i]) + delta;
        std::size_t before = 0;
        for (std::size_t k = 0; k < i; ++k) before += cuts[k];
        if (n < 1 || before + static_cast<std::size_t>(n) > reading.size()) return {};
        cuts.resize(i + 1);
        cuts[i] = static_cast<std::size_t>(n);
        std::size_t rest = reading.size() - before - cuts[i];
        if (rest) cuts.push_back(rest);
        return segments();
    }
    std::vector<Segment> segments() const {
        std::vector<Segment> out;
        std::size_t pos = 0;
        for (std::size_t n : cuts) {
            Segment s;
            s.reading = kyodo::utf8::encode(reading.substr(pos, n));
            auto it = words.find(s.reading);
            if (it != words.end()) s.candidates = it->second;
            out.push_back(s);
            pos += n;
        }
        return out;
    }
};

}  // namespace

TEST_CASE("each field kind offers only its layouts") {
    CHECK(KanaKeyboard::layouts_for(InputKind::Text) ==
          std::vector<Layout>{Layout::Hiragana, Layout::Katakana, Layout::Letters, Layout::Digits});
    // A reading: kana, or romaji on the ABC keys (yamada → やまだ).
    CHECK(KanaKeyboard::layouts_for(InputKind::Kana) ==
          std::vector<Layout>{Layout::Hiragana, Layout::Katakana, Layout::Letters});
    CHECK(KanaKeyboard::layouts_for(InputKind::Email) == std::vector<Layout>{Layout::Letters});
    CHECK(KanaKeyboard::layouts_for(InputKind::Phone) == std::vector<Layout>{Layout::PhonePad});
    KanaKeyboard kb;
    kb.open(field(InputKind::Phone), "");
    CHECK(kb.layout() == Layout::PhonePad);
    CHECK_FALSE(kb.set_layout(Layout::Hiragana));
    CHECK(kb.layout() == Layout::PhonePad);
    // The phone pad shows digits and the hyphen, nothing else.
    std::string labels;
    for (const auto& row : kb.rows(99))
        for (const auto& k : row) labels += k.label;
    CHECK(labels == "123456789-0");
    kb.open(field(InputKind::Kana), "");
    CHECK(kb.set_layout(Layout::Katakana));
    CHECK_FALSE(kb.set_layout(Layout::Digits));
}

TEST_CASE("in English a name or a reading opens on the ABC keys; Japanese opens on kana") {
    // Issue 9: an English-speaking resident's name field opened on かな keys.
    KanaKeyboard kb;
    kb.open(field(InputKind::Text), "");
    CHECK(kb.layout() == Layout::Hiragana);
    kb.close();
    kb.open(field(InputKind::Text), "", /*latin_first=*/true);
    CHECK(kb.layout() == Layout::Letters);
    kb.close();
    kb.open(field(InputKind::Kana), "", true);
    CHECK(kb.layout() == Layout::Letters);   // romaji: yamada → やまだ
    kb.close();
    kb.open(field(InputKind::Phone), "", true);
    CHECK(kb.layout() == Layout::PhonePad);  // fields without letters keep their own keys
    kb.close();
    kb.open(field(InputKind::Number), "", true);
    CHECK(kb.layout() == Layout::NumberPad);
}

TEST_CASE("the 50音 table: あ row to わ row with ゛゜小、。 beside it") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Kana), "");
    auto rows = kb.rows(99);
    REQUIRE(rows.size() == 5);
    REQUIRE(rows[0].size() == 11);
    std::string top, left;
    for (const auto& k : rows[0]) top += k.label;
    for (const auto& r : rows) left += r[0].label;
    CHECK(top == "あかさたなはまやらわ゛");
    CHECK(left == "あいうえお");
    CHECK(rows[4][10].label == "。");
    CHECK(rows[1][7].kind == KeyKind::Gap);   // や行 has no い
    // A phone-sized window: two pages of five columns, the marks column on both.
    CHECK(kb.pages(6) == 2);
    auto p1 = kb.rows(6);
    CHECK(p1[0].size() == 6);
    CHECK(p1[0][0].label == "あ");
    CHECK(p1[0][5].label == "゛");
    bool has_page = false;
    for (const auto& k : kb.function_keys(6))
        if (k.kind == KeyKind::Page) {
            has_page = true;
            CHECK(k.label == "は〜わ ▶");
            kb.press(k, 6);
        }
    CHECK(has_page);
    auto p2 = kb.rows(6);
    CHECK(p2[0][0].label == "は");
    CHECK(p2[0][5].label == "゛");
}

TEST_CASE("dakuten, handakuten and small kana change the character before the cursor") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Kana), "");
    CHECK(tap(kb, "か"));
    CHECK(tap(kb, "゛"));
    CHECK(kb.text() == "が");
    CHECK(tap(kb, "゛"));   // again: back to か
    CHECK(kb.text() == "か");
    kb.backspace();
    tap(kb, "は");
    tap(kb, "゜");
    CHECK(kb.text() == "ぱ");
    tap(kb, "゛");          // ぱ → ば
    CHECK(kb.text() == "ば");
    tap(kb, "゜");          // ば → ぱ
    CHECK(kb.text() == "ぱ");
    tap(kb, "つ");
    tap(kb, "小");
    CHECK(kb.text() == "ぱっ");
    tap(kb, "や");
    tap(kb, "小");
    CHECK(kb.text() == "ぱっゃ");
    tap(kb, "小");
    CHECK(kb.text() == "ぱっや");
    // Nothing to voice: the key says so and changes nothing.
    tap(kb, "あ");
    tap(kb, "゛");
    CHECK(kb.text() == "ぱっやあ");
    CHECK(kb.last_feedback() == Feedback::NotAllowed);
    // Katakana: ウ + ゛ = ヴ.
    kb.set_layout(Layout::Katakana);
    tap(kb, "ウ");
    tap(kb, "゛");
    CHECK(kb.text() == "ぱっやあヴ");
    // Typing precomposed or combining marks does the same.
    kb.open(field(InputKind::Kana), "");
    kb.type("か゛きゃ");
    CHECK(kb.text() == "がきゃ");
    CHECK(kyodo::is_kana_reading(kb.text()));
}

TEST_CASE("cursor moves and backspace work by code point") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Text), "山田花子");
    CHECK(kb.cursor() == 4);
    kb.left();
    kb.left();
    CHECK(kb.before_cursor() == "山田");
    CHECK(kb.after_cursor() == "花子");
    kb.backspace();   // deletes 田, a whole character, not a byte
    CHECK(kb.text() == "山花子");
    CHECK(kb.cursor() == 1);
    kb.insert(U'本');
    CHECK(kb.text() == "山本花子");
    kb.left();
    kb.left();
    kb.left();   // stops at the start
    CHECK(kb.cursor() == 0);
    kb.backspace();   // nothing before the cursor
    CHECK(kb.text() == "山本花子");
    for (int i = 0; i < 9; ++i) kb.right();
    CHECK(kb.cursor() == 4);
    kb.set_cursor(2);
    CHECK(kb.before_cursor() == "山本");
}

TEST_CASE("max length in code points is enforced as the resident types") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Kana, 3), "");
    CHECK(kb.type("やまだ") == Feedback::None);
    CHECK(kb.type("た") == Feedback::Full);
    CHECK(kb.text() == "やまだ");
    CHECK(kb.length() == 3);
    // Text: the composing kana count too.
    KanaKeyboard t;
    ScriptedConverter conv;
    t.set_converter(&conv);
    t.open(field(InputKind::Text, 4), "山");
    CHECK(t.type("やまだ") == Feedback::None);
    CHECK(t.type("た") == Feedback::Full);
    CHECK(t.composition() == "やまだ");
    // A multi-character key is all or nothing.
    KanaKeyboard e;
    e.open(field(InputKind::Email, 8), "");
    e.type("a@b");
    Key k;
    k.kind = KeyKind::Text;
    k.text = ".co.jp";
    CHECK(e.press(k) == Feedback::Full);
    CHECK(e.text() == "a@b");
}

TEST_CASE("the phone pad types only digits and hyphens") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Phone, 13), "");
    CHECK(kb.type("083-123-4567") == Feedback::None);
    CHECK(kb.type("a") == Feedback::NotAllowed);
    CHECK(kb.type("あ") == Feedback::NotAllowed);
    CHECK(kb.type("+") == Feedback::NotAllowed);
    CHECK(kb.type("　") == Feedback::NotAllowed);
    CHECK(kb.text() == "083-123-4567");
    CHECK(kyodo::is_valid_phone(kb.text()));
    // No space key, no conversion, no layout tabs on the pad.
    for (const auto& k : kb.function_keys(99)) {
        CHECK(k.kind != KeyKind::Space);
        CHECK(k.kind != KeyKind::Convert);
        CHECK(k.kind != KeyKind::Layout);
    }
    KanaKeyboard n;
    n.open(field(InputKind::Number, 3), "");
    CHECK(n.type("-") == Feedback::NotAllowed);
    CHECK(n.type("12") == Feedback::None);
}

TEST_CASE("a reading (フリガナ) field refuses kanji and digits; letters are read as romaji") {
    KanaKeyboard kb;
    ScriptedConverter conv;
    kb.set_converter(&conv);
    kb.open(field(InputKind::Kana), "");
    CHECK(kb.type("やまだ") == Feedback::None);
    CHECK(kb.type("山") == Feedback::NotAllowed);
    CHECK(kb.type("1") == Feedback::NotAllowed);
    CHECK(kb.type("X") == Feedback::None);   // romaji: waits for the next key (xa → ぁ)
    kb.backspace();
    CHECK(kb.insert(0x3000) == Feedback::None);   // a space between family and given name
    CHECK(kb.type("ハナコ") == Feedback::None);
    CHECK(kb.text() == "やまだ　ハナコ");
    // Kana go straight in: nothing to convert, no 変換 key even with a converter.
    CHECK_FALSE(kb.composing());
    for (const auto& k : kb.function_keys(99)) CHECK(k.kind != KeyKind::Convert);
    CHECK(kb.convert() == Feedback::None);
    CHECK(kyodo::is_kana_reading(kb.text()));
}

TEST_CASE("e-mail: letters with shift, digits and the address signs") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Email, 254), "");
    CHECK(kb.layout() == Layout::Letters);
    tap(kb, "h");
    CHECK(tap_fn(kb, KeyKind::Shift));
    CHECK(kb.shift());
    CHECK(tap(kb, "A"));   // the grid shows capitals while shifted
    CHECK_FALSE(kb.shift());   // one letter only
    for (const char* s : {"n", "a", "k", "o", "1", "2", "@", "e", "x", "."})
        CHECK(tap(kb, s));
    for (const auto& k : kb.function_keys(99))
        if (k.kind == KeyKind::Text && k.text == ".ne.jp") kb.press(k);
    CHECK(kb.text() == "hAnako12@ex.ne.jp");   // "." then ".ne.jp": one dot
    CHECK(kyodo::is_valid_email(kb.text()));
    CHECK(kb.type("あ") == Feedback::NotAllowed);
    CHECK(kb.type(" ") == Feedback::NotAllowed);
}

TEST_CASE("the function row does not move when the first kana is typed (変換 stays under the finger)") {
    // Issue 9: 確定 appeared with the first kana and shifted every key, so the tap meant for
    // 変換 hit 確定. The row is the same before typing, while composing and while converting.
    KanaKeyboard kb;
    ScriptedConverter conv;
    conv.words["たなか"] = {"田中"};
    kb.set_converter(&conv);
    kb.open(field(InputKind::Text), "");
    auto shape = [&] {
        std::vector<std::pair<KeyKind, float>> out;
        for (const auto& k : kb.function_keys(99)) out.emplace_back(k.kind, k.width);
        return out;
    };
    const auto before = shape();
    CHECK(std::count_if(before.begin(), before.end(), [](const auto& k) { return k.first == KeyKind::Commit; }) == 1);
    kb.type("た");
    CHECK(shape() == before);
    kb.type("なか");
    REQUIRE(tap_fn(kb, KeyKind::Convert));
    REQUIRE(kb.converting());
    CHECK(shape() == before);
    REQUIRE(tap_fn(kb, KeyKind::Commit));
    CHECK(kb.text() == "田中");
    CHECK(shape() == before);
    // Pressing the greyed 確定 with nothing composed changes nothing.
    REQUIRE(tap_fn(kb, KeyKind::Commit));
    CHECK(kb.text() == "田中");
}

TEST_CASE("conversion: 変換, candidates per segment, resize, 確定") {
    KanaKeyboard kb;
    ScriptedConverter conv;
    conv.words["た"] = {"他", "多", "田"};
    conv.words["なかたろう"] = {"仲太郎"};
    conv.words["たなか"] = {"田奈か", "田中"};
    conv.words["たろう"] = {"太郎", "太朗"};
    kb.set_converter(&conv);
    kb.open(field(InputKind::Text), "");
    kb.type("たなかたろう");
    CHECK(kb.composing());
    CHECK(kb.text().empty());
    CHECK(kb.display_text() == "たなかたろう");
    REQUIRE(tap_fn(kb, KeyKind::Convert));
    REQUIRE(kb.converting());
    REQUIRE(kb.segments().size() == 2);
    CHECK(kb.composition() == "他仲太郎");
    // Kana are always offered too.
    auto& c0 = kb.segments()[0].candidates;
    CHECK(std::find(c0.begin(), c0.end(), "た") != c0.end());
    CHECK(std::find(c0.begin(), c0.end(), "タ") != c0.end());
    // Widen the first segment twice: たなか | たろう.
    CHECK(kb.resize_segment(+1));
    CHECK(kb.resize_segment(+1));
    REQUIRE(kb.segments().size() == 2);
    CHECK(kb.segments()[0].reading == "たなか");
    CHECK(kb.segments()[1].reading == "たろう");
    kb.pick(1);   // 田中, and on to the next segment
    CHECK(kb.current_segment() == 1);
    CHECK(kb.composition() == "田中太郎");
    kb.next_candidate();
    CHECK(kb.composition() == "田中太朗");
    kb.prev_candidate();
    // Narrowing the second segment leaves the first one's choice alone.
    kb.prev_segment();
    CHECK(kb.current_segment() == 0);
    kb.next_segment();
    REQUIRE(tap_fn(kb, KeyKind::Commit));
    CHECK_FALSE(kb.composing());
    CHECK(kb.text() == "田中太郎");
    CHECK(kb.cursor() == 4);
}

TEST_CASE("conversion edge cases: backspace cancels, typing on commits, no converter types kana") {
    KanaKeyboard kb;
    ScriptedConverter conv;
    conv.words["やまだ"] = {"山田"};
    kb.set_converter(&conv);
    kb.open(field(InputKind::Text), "");
    kb.type("やまだ");
    kb.convert();
    CHECK(kb.composition() == "山田");
    kb.backspace();   // back to the kana, nothing deleted
    CHECK_FALSE(kb.converting());
    CHECK(kb.composition() == "やまだ");
    kb.convert();
    kb.type("さん");   // the next kana commit the conversion first
    CHECK(kb.text() == "山田");
    CHECK(kb.composition() == "さん");
    kb.close();       // 完了 keeps what is shown
    CHECK(kb.text() == "山田さん");
    CHECK_FALSE(kb.is_open());

    // Without a converter, kana go straight into the text (nothing to 確定).
    KanaKeyboard plain;
    plain.open(field(InputKind::Text), "");
    plain.type("やまだ");
    CHECK_FALSE(plain.composing());
    CHECK(plain.text() == "やまだ");
    for (const auto& k : plain.function_keys(99)) CHECK(k.kind != KeyKind::Convert);

    // reset() forgets everything (the next resident sees nothing).
    kb.open(field(InputKind::Text), "秘密");
    kb.type("ひみつ");
    kb.reset();
    CHECK_FALSE(kb.is_open());
    CHECK(kb.text().empty());
    CHECK(kb.display_text().empty());
}

TEST_CASE("candidates beyond U+FFFF are never offered nor inserted") {
    KanaKeyboard kb;
    ScriptedConverter conv;
    conv.words["よし"] = {"\xF0\xA0\xAE\xB7", "吉", "\xF0\xA0\xAE\xB7田"};   // 𠮷, 吉, 𠮷田
    kb.set_converter(&conv);
    kb.open(field(InputKind::Text), "");
    kb.type("よし");
    kb.convert();
    REQUIRE(kb.segments().size() == 1);
    for (const auto& c : kb.segments()[0].candidates) CHECK_FALSE(kyodo::utf8::has_beyond_bmp(c));
    CHECK(kb.segments()[0].candidates.front() == "吉");
    CHECK(kb.insert(U'\U00020BB7') == Feedback::NotAllowed);
    kb.commit();
    CHECK(kb.text() == "吉");
}

TEST_CASE("user dictionary: readings normalised, longest prefix") {
    UserDictionary d;
    std::string err;
    REQUIRE(d.load_terms_json(R"({"terms":[{"reading":"きょうどう","word":"協働"},
                                            {"reading":"シミン キョウドウ","word":"市民協働"}]})",
                              &err));
    REQUIRE(d.lookup("きょうどう"));
    CHECK(d.lookup("きょうどう")->front() == "協働");
    REQUIRE(d.lookup("しみんきょうどう"));
    CHECK(d.lookup("しみんきょうどう")->front() == "市民協働");
    std::u32string r = kyodo::utf8::decode("しみんきょうどうのかい");
    CHECK(d.longest_prefix(r, 0) == 8);
    CHECK(d.longest_prefix(r, 3) == 5);
    CHECK(d.longest_prefix(r, 1) == 0);
    CHECK_FALSE(d.load_terms_json("{", &err));
    CHECK_FALSE(err.empty());
}

TEST_CASE("every key label is in the glyph list the font atlas is built from") {
    std::u32string glyphs = kyodo::utf8::decode(keyboard_glyphs());
    KanaKeyboard kb;
    for (InputKind kind : {InputKind::Text, InputKind::Kana, InputKind::Email, InputKind::Phone, InputKind::Number}) {
        kb.open(field(kind), "");
        for (Layout l : kb.layouts()) {
            kb.set_layout(l);
            for (bool shift : {false, true}) {
                if (shift != kb.shift()) kb.press(Key{KeyKind::Shift, "", "", Layout::Hiragana, 1, true});
                for (int cols : {99, 6, 4})
                    for (const auto& row : kb.rows(cols))
                        for (const auto& k : row)
                            for (char32_t c : kyodo::utf8::decode(k.label)) {
                                CAPTURE(k.label);
                                CHECK(glyphs.find(c) != std::u32string::npos);
                            }
                for (const auto& k : kb.function_keys(6))
                    if (!k.function)
                        for (char32_t c : kyodo::utf8::decode(k.label)) {
                            CAPTURE(k.label);
                            CHECK(glyphs.find(c) != std::u32string::npos);
                        }
            }
        }
    }
}

// Issue 3 §5: the keyboard's words (変換, 確定, 空白, ◀ ▶, かな/カナ/ABC/123 …) are text like
// any other: each table (ja, en, easy_ja) has its own entry for every word a key or a note
// shows, so a language switch changes them and none is left in code.
TEST_CASE("every function key and keyboard note is a string-table key in ja, en and easy_ja") {
    std::map<std::string, std::set<std::string>> tables;
    for (const char* lang : {"ja", "en", "easy_ja"}) {
        std::ifstream in(std::string(KYODO_ASSETS_DIR) + "/i18n/" + lang + ".json");
        kyodo::Json j = kyodo::Json::parse(in);
        for (auto it = j.begin(); it != j.end(); ++it) tables[lang].insert(it.key());
    }
    auto check_key = [&](const std::string& key) {
        for (const auto& table : tables) {
            const auto& lang = table.first;   // not a binding: clang 14 cannot capture one (CAPTURE)
            const auto& keys = table.second;
            CAPTURE(lang);
            CHECK_MESSAGE(keys.count(key), lang << ".json lacks " << key);
        }
    };
    KanaKeyboard kb;
    int function_keys = 0;
    for (InputKind kind : {InputKind::Text, InputKind::Kana, InputKind::Email, InputKind::Phone, InputKind::Number}) {
        FieldSpec spec = field(kind);
        spec.multiline = kind == InputKind::Text;
        kb.open(spec, "");
        for (Layout l : kb.layouts()) {
            kb.set_layout(l);
            for (int cols : {99, 6, 4}) {
                for (const auto& k : kb.function_keys(cols)) {
                    CAPTURE(k.label);
                    // Only typed text (".com") and the page key (its kana range) show glyphs.
                    if (k.kind == KeyKind::Text || k.kind == KeyKind::Page) continue;
                    CHECK_MESSAGE(k.function, "a function key with its word in code: " << k.label);
                    if (!k.function) continue;
                    ++function_keys;
                    check_key(k.label);
                }
            }
        }
        if (kind == InputKind::Text) {   // composing and converting add 変換 / 確定 / 次の候補
            kb.type("か");
            for (const auto& k : kb.function_keys(99))
                if (k.function) check_key(k.label);
        }
    }
    CHECK(function_keys > 20);
    // The widget's notes and conversion controls: every "kbd.…" it names.
    std::string src = kyodo::test::read_bytes(std::string(KYODO_SOURCE_DIR) + "/app/ui/keyboard_widget.cpp");
    std::regex lit(R"re("(kbd\.[a-z_.]+)")re");
    int notes = 0;
    for (auto it = std::sregex_iterator(src.begin(), src.end(), lit); it != std::sregex_iterator(); ++it) {
        std::string key = (*it)[1];
        if (key == "kbd.more") continue;   // a test id, not a word
        CAPTURE(key);
        check_key(key);
        ++notes;
    }
    CHECK(notes >= 7);
}

// --- issue 9 point 2: a reading in romaji, QWERTY as well as A–Z ----------------------------

TEST_CASE("romaji reads as hiragana: Hepburn and kunrei, っ, ん, and what waits for the next key") {
    CHECK(romaji_to_hiragana(std::string("yamada"), false) == "やまだ");
    CHECK(romaji_to_hiragana(std::string("hanako"), false) == "はなこ");
    CHECK(romaji_to_hiragana(std::string("yamad"), false) == "やまd");          // d waits for its vowel
    CHECK(romaji_to_hiragana(std::string("shinichi"), false) == "しにち");
    CHECK(romaji_to_hiragana(std::string("shin'ichi"), false) == "しんいち");
    CHECK(romaji_to_hiragana(std::string("konnichiha"), false) == "こんにちは");
    CHECK(romaji_to_hiragana(std::string("kanna"), false) == "かんな");
    CHECK(romaji_to_hiragana(std::string("kann"), false) == "かnn");           // kanna or kann+consonant
    CHECK(romaji_to_hiragana(std::string("kann"), true) == "かん");
    CHECK(romaji_to_hiragana(std::string("ken"), false) == "けn");
    CHECK(romaji_to_hiragana(std::string("ken"), true) == "けん");
    CHECK(romaji_to_hiragana(std::string("kenta"), false) == "けんた");
    CHECK(romaji_to_hiragana(std::string("hattori"), false) == "はっとり");
    CHECK(romaji_to_hiragana(std::string("tsuchiya"), false) == "つちや");
    CHECK(romaji_to_hiragana(std::string("tutiya"), false) == "つちや");
    CHECK(romaji_to_hiragana(std::string("kyouko"), false) == "きょうこ");
    CHECK(romaji_to_hiragana(std::string("jun"), true) == "じゅん");
    CHECK(romaji_to_hiragana(std::string("shimbun"), true) == "しんぶん");
    CHECK(romaji_to_hiragana(std::string("fujisawa"), false) == "ふじさわ");
    CHECK(romaji_to_hiragana(std::string("ra-men"), true) == "らーめん");
    CHECK(romaji_to_hiragana(std::string("smith"), true) == "sみth");   // not romaji: kept as typed
}

TEST_CASE("a reading typed on the ABC keys becomes kana as it is typed; a name in Latin letters needs none") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Kana), "");
    REQUIRE(kb.set_layout(Layout::Letters));
    // No shift in a reading field (there is no upper-case kana); the order key is there.
    bool shift = false, order = false;
    for (const auto& k : kb.function_keys(99)) {
        shift |= k.kind == KeyKind::Shift;
        order |= k.kind == KeyKind::Order;
    }
    CHECK_FALSE(shift);
    CHECK(order);
    for (const char* key : {"y", "a", "m", "a", "d"}) REQUIRE(tap(kb, key));
    CHECK(kb.display_text() == "やまd");
    REQUIRE(tap(kb, "a"));
    CHECK(kb.display_text() == "やまだ");
    REQUIRE(tap_fn(kb, KeyKind::Space));
    for (const char* key : {"k", "e", "n"}) REQUIRE(tap(kb, key));
    CHECK(kb.display_text() == "やまだ けn");   // the ABC keys' space
    kb.close();   // 完了: the last n is ん
    CHECK(kb.text() == "やまだ けん");
    CHECK(kyodo::is_kana_reading(kb.text()));
    // A physical keyboard types the same way (upper case too).
    kb.open(field(InputKind::Kana), "");
    kb.type("Tanaka");
    CHECK(kb.display_text() == "たなか");

    CHECK(kyodo::name_needs_reading("山田 花子"));
    CHECK(kyodo::name_needs_reading("やまだ"));
    CHECK(kyodo::name_needs_reading("マリア"));
    CHECK(kyodo::name_needs_reading(""));
    CHECK_FALSE(kyodo::name_needs_reading("John Smith"));
    CHECK_FALSE(kyodo::name_needs_reading("Nguyễn Văn An"));
}

TEST_CASE("the ABC keys come in A–Z order or QWERTY order, four rows of ten either way") {
    KanaKeyboard kb;
    kb.open(field(InputKind::Text), "");
    REQUIRE(kb.set_layout(Layout::Letters));
    auto row = [&](std::size_t i) {
        const auto rows = kb.rows(99);
        std::string s;
        for (const auto& k : rows.at(i)) s += k.label;
        return s;
    };
    CHECK_FALSE(kb.qwerty());
    CHECK(row(1) == "abcdefghij");
    REQUIRE(tap_fn(kb, KeyKind::Order));
    CHECK(kb.qwerty());
    CHECK(kb.rows(99).size() == 4);
    CHECK(row(1) == "qwertyuiop");
    CHECK(row(2) == "asdfghjkl@");
    CHECK(row(3) == "zxcvbnm.-_");
    REQUIRE(tap(kb, "q"));
    CHECK(kb.display_text() == "q");
    // The order stays from field to field (an e-mail after the name), until the next resident.
    kb.open(field(InputKind::Email, 254, "email"), "");
    CHECK(kb.qwerty());
    CHECK(row(1) == "qwertyuiop");
    kb.reset();
    CHECK_FALSE(kb.qwerty());
}

// "_" was taken for an empty place when the grids were built from strings, so the ABC keys
// had a gap where "_" belongs and an address such as taro_k@example.jp could not be typed.
TEST_CASE("an e-mail address with an underscore is typed on the ABC keys, in A–Z and QWERTY order") {
    for (bool qwerty : {false, true}) {
        CAPTURE(qwerty);
        KanaKeyboard kb;
        kb.open(field(InputKind::Email, 254, "email"), "");
        REQUIRE(kb.layout() == Layout::Letters);
        if (qwerty) REQUIRE(tap_fn(kb, KeyKind::Order));
        CHECK(kb.qwerty() == qwerty);
        for (char c : std::string("taro_k@example.jp")) {
            CAPTURE(c);
            REQUIRE(tap(kb, std::string(1, c)));
        }
        CHECK(kb.display_text() == "taro_k@example.jp");
        // Every place of the four rows of ten is a key: no gap left where "_" was.
        for (const auto& row : kb.rows(99))
            for (const auto& k : row) CHECK(k.kind != KeyKind::Gap);
    }
    // The number pads keep their empty places (they have no "_" to offer).
    KanaKeyboard kb;
    kb.open(field(InputKind::Number, 4, "check"), "");
    int gaps = 0;
    for (const auto& row : kb.rows(99))
        for (const auto& k : row) gaps += k.kind == KeyKind::Gap;
    CHECK(gaps == 2);
    for (const auto& row : kb.rows(99))
        for (const auto& k : row) CHECK(k.label != "_");
}
