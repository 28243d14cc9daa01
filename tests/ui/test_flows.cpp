// The resident flows beyond sign-up and opinion, as models (no GPU): the survey (four
// question types, required questions, every resident a new response), public comment by
// section (only while the period is open), the proposal form, the organization directory,
// the step-by-step sign-up, the start screen's "today / this week", and the QR code.
#include <doctest/doctest.h>

#include <set>

#include "app/model/comment_form.h"
#include "app/model/directory.h"
#include "app/model/proposal_form.h"
#include "app/model/qr.h"
#include "app/model/signup_wizard.h"
#include "app/model/start_board.h"
#include "app/model/survey_form.h"
#include "core/timeutil.h"
#include "ui_test_util.h"

using namespace kyodo;
using namespace kyodo::app;
using namespace kyodo::test;

namespace {

// "ohdono" has something on in the sample week (the start board's test).
struct Kiosk : ModelKiosk {
    explicit Kiosk(const std::string& name) : ModelKiosk(name, "ohdono") {}
};

Survey sample_survey(const KioskStore& st) {
    auto all = st.surveys();
    REQUIRE_FALSE(all.empty());
    for (const auto& s : all)
        if (s.id == "srv-kyodo-2026") return s;
    return all.front();
}

int first_of(const Survey& s, QuestionType t) {
    for (std::size_t i = 0; i < s.questions.size(); ++i)
        if (s.questions[i].type == t) return static_cast<int>(i);
    return -1;
}

// Answers every required question (first choice, scale 4).
void answer_required(SurveyForm& f) {
    for (std::size_t i = 0; i < f.survey.questions.size(); ++i) {
        const auto& q = f.survey.questions[i];
        if (!q.required) continue;
        int k = static_cast<int>(i);
        switch (q.type) {
            case QuestionType::Single: f.choose(k, 0); break;
            case QuestionType::Multiple: f.toggle(k, 0); break;
            case QuestionType::Scale: f.set_scale(k, 4); break;
            case QuestionType::FreeText: f.answers[i].text = "よかった"; break;
        }
    }
}

}  // namespace

TEST_CASE("survey: the sample survey has every question type") {
    Kiosk k("flows-survey-types");
    Survey s = sample_survey(*k.s.store);
    CHECK(first_of(s, QuestionType::Single) >= 0);
    CHECK(first_of(s, QuestionType::Multiple) >= 0);
    CHECK(first_of(s, QuestionType::Scale) >= 0);
    CHECK(first_of(s, QuestionType::FreeText) >= 0);
}

TEST_CASE("survey: single, multiple, scale and free text answers validate and go in the record") {
    Kiosk k("flows-survey-answers");
    SurveyForm f;
    f.start(sample_survey(*k.s.store));
    const int single = first_of(f.survey, QuestionType::Single);
    const int multi = first_of(f.survey, QuestionType::Multiple);
    const int scale = first_of(f.survey, QuestionType::Scale);
    const int text = first_of(f.survey, QuestionType::FreeText);

    // Required questions unanswered: named by question id.
    CHECK_FALSE(f.validate());
    CHECK(f.errors.count(f.survey.questions[single].id));
    CHECK(f.errors.at(f.survey.questions[single].id) == "required");
    CHECK_FALSE(f.validate_question(single));

    answer_required(f);
    CHECK(f.validate());
    // Single: a second tap on the same choice takes it back; another choice replaces it.
    f.choose(single, 1);
    CHECK(f.answers[single].choice == 1);
    f.choose(single, 2);
    CHECK(f.answers[single].choice == 2);
    // Multiple: several at once, toggled off again.
    f.toggle(multi, 0);
    f.toggle(multi, 3);
    f.toggle(multi, 5);
    f.toggle(multi, 5);
    f.set_scale(scale, 5);
    f.answers[text].text = "駐車場がもっとあるとうれしいです。";
    CHECK(f.validate());

    // Out of range values are caught before the validator.
    f.answers[scale].scale = 9;
    CHECK_FALSE(f.validate_question(scale));
    f.set_scale(scale, 5);
    f.answers[text].text = std::string(1001, 'a');
    CHECK_FALSE(f.validate_question(text));
    CHECK(f.errors.at(f.survey.questions[text].id) == "too_long");
    f.answers[text].text = "駐車場がもっとあるとうれしいです。";
    CHECK(f.validate());

    Record r = f.record();
    CHECK(r.payload["survey_id"] == f.survey.id);
    std::map<std::string, Json> by_q;
    for (const auto& a : r.payload["answers"]) by_q[a["question_id"]] = a;
    CHECK(by_q[f.survey.questions[single].id]["choice"] == 2);
    CHECK(by_q[f.survey.questions[multi].id]["choices"] == Json::array({0, 3}));
    CHECK(by_q[f.survey.questions[scale].id]["scale"] == 5);
    CHECK(by_q[f.survey.questions[text].id]["text"] == "駐車場がもっとあるとうれしいです。");

    SubmitResult res = f.submit(k.ctx);
    REQUIRE_MESSAGE(res.ok(), res.detail);
    auto out = k.outbox();
    REQUIRE(out.size() == 1);
    CHECK(out[0].record.kind == RecordKind::SurveyResponse);
    CHECK(out[0].record.sealed.empty());   // anonymous
    CHECK(out[0].record.payload == r.payload);
}

TEST_CASE("survey: a second resident's response is a new record with none of the first one's answers") {
    Kiosk k("flows-survey-second");
    SurveyForm f;
    f.start(sample_survey(*k.s.store));
    const int multi = first_of(f.survey, QuestionType::Multiple);
    const int text = first_of(f.survey, QuestionType::FreeText);
    answer_required(f);
    f.toggle(multi, 2);
    f.answers[text].text = "一人目の意見";
    SubmitResult first = f.submit(k.ctx);
    REQUIRE(first.ok());
    // The form forgot everything: nothing pre-selected for the next person.
    CHECK_FALSE(f.dirty());
    for (std::size_t i = 0; i < f.answers.size(); ++i) CHECK_FALSE(f.answered(static_cast<int>(i)));
    CHECK(f.page == 0);

    // The second resident answers only the required questions.
    CHECK_FALSE(f.validate());
    answer_required(f);
    SubmitResult second = f.submit(k.ctx);
    REQUIRE(second.ok());
    CHECK(second.receipt.record_id != first.receipt.record_id);
    CHECK(second.receipt.number != first.receipt.number);
    auto out = k.outbox();
    REQUIRE(out.size() == 2);
    for (const auto& e : out) {
        if (e.record.id != second.receipt.record_id) continue;
        for (const auto& a : e.record.payload["answers"]) {
            CHECK(a["question_id"] != f.survey.questions[multi].id);
            CHECK(a["question_id"] != f.survey.questions[text].id);
        }
    }

    // Idle reset halfway through: the next person starts empty too.
    f.choose(first_of(f.survey, QuestionType::Single), 1);
    f.page = 3;
    CHECK(f.dirty());
    f.clear();
    CHECK_FALSE(f.dirty());
    CHECK(f.survey.id == "srv-kyodo-2026");
}

TEST_CASE("public comment: sections of the draft, period, review, sealed optional name") {
    Kiosk k("flows-comment");
    auto draft = k.s.store->activity("act-068");
    REQUIRE(draft);
    auto sections = draft_sections(*draft);
    REQUIRE(sections.size() == 6);
    CHECK(sections[2].id == "s3");
    CHECK(sections[2].title == "第3章 協働の基本原則");

    // Period 2026-11-01 .. 2026-12-20 inclusive.
    CHECK(comment_open(*draft, "2026-11-01"));
    CHECK(comment_open(*draft, "2026-12-20"));
    CHECK_FALSE(comment_open(*draft, "2026-10-31"));
    CHECK_FALSE(comment_open(*draft, "2026-12-21"));
    CHECK(open_drafts(*k.s.store, "2026-11-22").size() == 1);
    CHECK(open_drafts(*k.s.store, "2027-01-05").empty());   // closed → not offered

    CommentForm f;
    CHECK_FALSE(f.start_for(*draft, "2027-01-05"));
    CHECK(f.draft_id.empty());
    REQUIRE(f.start_for(*draft, "2026-11-22"));
    CHECK(f.step == CommentForm::Step::Section);
    f.pick(99);
    CHECK(f.step == CommentForm::Step::Section);
    f.pick(2);
    CHECK(f.step == CommentForm::Step::Write);
    CHECK_FALSE(f.to_review());
    CHECK(f.errors.count("text"));
    f.text = "七つの原則に「多様性の尊重」を加えてください。";
    f.name = "意見太郎";
    f.email = "bad";
    CHECK_FALSE(f.to_review());
    CHECK(f.errors.count("email"));
    f.email = "taro@example.jp";
    CHECK(f.to_review());
    CHECK(f.step == CommentForm::Step::Review);
    f.back();
    CHECK(f.step == CommentForm::Step::Write);

    SubmitResult r = f.submit(k.ctx);
    REQUIRE_MESSAGE(r.ok(), r.detail);
    auto e = k.s.store->outbox_entry(r.receipt.record_id);
    REQUIRE(e);
    CHECK(e->record.kind == RecordKind::PublicComment);
    CHECK(e->record.payload["draft_id"] == "act-068");
    CHECK(e->record.payload["section_id"] == "s3");
    CHECK_FALSE(e->record.sealed.empty());
    CHECK(e->record.sealed.find("taro") == std::string::npos);
    auto p = open_personal(e->record.sealed, k.keys);
    REQUIRE(p);
    CHECK(p->name == "意見太郎");

    // Without a name the comment is anonymous: nothing sealed.
    CommentForm g;
    REQUIRE(g.start_for(*draft, "2026-11-22"));
    g.pick(0);
    g.text = "賛成です。";
    SubmitResult r2 = g.submit(k.ctx);
    REQUIRE(r2.ok());
    CHECK(k.s.store->outbox_entry(r2.receipt.record_id)->record.sealed.empty());
}

TEST_CASE("proposal: required fields, fields chosen, sealed contact, one record") {
    Kiosk k("flows-proposal");
    auto call = k.s.store->activity("act-069");
    REQUIRE(call);
    ProposalForm f;
    f.start_for(&*call);
    CHECK(f.call_id == "act-069");
    CHECK(f.departments.size() == 5);
    CHECK_FALSE(f.to_review());
    CHECK(f.errors.count("title"));
    CHECK(f.errors.count("summary"));
    CHECK(f.errors.count("name"));
    CHECK(f.errors.count("phone"));
    f.title = "子ども食堂と見守りの連携";
    f.summary = "月2回の子ども食堂で、高齢者の見守りボランティアと一緒に食事を作ります。";
    f.toggle_field("子育て");
    f.toggle_field("福祉");
    f.toggle_field("環境");
    f.toggle_field("環境");
    CHECK(f.fields == std::vector<std::string>{"子育て", "福祉"});
    f.group_name = "こども応援ネット";
    f.partner_department = f.departments[1];
    f.name = "提案花子";
    f.phone = "083-000-1234";
    CHECK(f.to_review());
    f.title = std::string(101, 'x');
    CHECK_FALSE(f.validate());
    CHECK(f.errors.at("title") == "too_long");
    f.title = "子ども食堂と見守りの連携";

    SubmitResult r = f.submit(k.ctx);
    REQUIRE_MESSAGE(r.ok(), r.detail);
    auto e = k.s.store->outbox_entry(r.receipt.record_id);
    REQUIRE(e);
    CHECK(e->record.kind == RecordKind::Proposal);
    CHECK(e->record.payload["fields"] == Json::array({"子育て", "福祉"}));
    CHECK(e->record.payload["partner_department"] == "子育て支援部こども育成課");
    CHECK(e->record.payload["call_id"] == "act-069");   // city hall reviews it against the call it answers
    CHECK_FALSE(e->record.sealed.empty());
    CHECK(e->record.sealed.find("083") == std::string::npos);
}

TEST_CASE("proposal: the call's themes, deadline and amount come from its catalog entry") {
    Kiosk k("flows-proposal-call");
    auto call = k.s.store->activity("act-069");
    REQUIRE(call);
    ProposalForm f;
    f.start_for(&*call);
    REQUIRE(f.call_themes.size() == 5);
    CHECK(f.call_themes.front() == "子育て家庭の孤立を防ぐ地域のつながりづくり");
    CHECK(f.call_deadline == "2027-01-29");
    CHECK(f.call_max_amount_yen == 500000);
    CHECK(f.call_amount_note == "1事業あたり上限50万円（サンプル）");
    CHECK_FALSE(f.call_closed("2027-01-29"));   // the deadline day itself is still open
    CHECK(f.call_closed("2027-01-30"));
    CHECK_FALSE(f.call_closed(""));
    CHECK(digits_grouped(500000) == "500,000");
    CHECK(digits_grouped(1000000000) == "1,000,000,000");
    CHECK(digits_grouped(999) == "999");
    CHECK(digits_grouped(0) == "0");
    // Wrong types in `extra` are left out; a free proposal (no call) has none of it.
    Activity odd = *call;
    odd.extra["themes"] = Json::array({"ok", 3, ""});
    odd.extra["max_amount_yen"] = "lots";
    odd.extra["deadline"] = 20270129;
    f.start_for(&odd);
    CHECK(f.call_themes == std::vector<std::string>{"ok"});
    CHECK(f.call_max_amount_yen == -1);
    CHECK(f.call_deadline.empty());
    f.start_for(nullptr);
    CHECK(f.call_themes.empty());
    CHECK(f.call_amount_note.empty());
}

TEST_CASE("directory: organizations by type, a filter, and each organization's activities") {
    Kiosk k("flows-directory");
    Directory d;
    d.load(*k.s.store);
    CHECK(d.orgs.size() == 37);
    CHECK(d.visible().size() == 37);
    std::set<std::string> types(d.types.begin(), d.types.end());
    CHECK(types.size() == d.types.size());   // each type once, grouped
    CHECK(d.types.front() == "町内会・自治会");
    CHECK(types.count("NPO法人"));
    d.type_filter = "NPO法人";
    auto npo = d.visible();
    CHECK(npo.size() == 5);
    for (auto* o : npo) CHECK(o->type == "NPO法人");
    CHECK(d.count_of("NPO法人") == 5);

    // Every organization page lists the activities that name it, and they open.
    int linked = 0;
    for (const auto& o : d.orgs) {
        REQUIRE(d.open(*k.s.store, o.id));
        for (const auto& a : d.activities) {
            bool names_it = false;
            for (const auto& id : a.organizer_ids) names_it = names_it || id == o.id;
            CHECK(names_it);
            CHECK(k.s.store->activity(a.id));
            ++linked;
        }
    }
    CHECK(linked > 0);
    REQUIRE(d.open(*k.s.store, "org-city-kyodo"));
    bool has_draft = false;
    for (const auto& a : d.activities) has_draft = has_draft || a.id == "act-068";
    CHECK(has_draft);
    CHECK_FALSE(d.open(*k.s.store, "no-such-org"));
    d.clear();
    CHECK(d.type_filter.empty());
    CHECK_FALSE(d.selected);
}

TEST_CASE("sign-up wizard: one question a step, only that step's errors, review, submit") {
    Kiosk k("flows-wizard");
    Activity a = k.some_activity();
    REQUIRE(a.capacity > 0);
    SignUpForm f;
    f.start_for(a);
    SignUpWizard w;
    CHECK(w.step == SignUpStep::Name);
    CHECK_FALSE(w.back());
    CHECK_FALSE(w.next(f));
    CHECK(f.errors.size() == 1);
    CHECK(f.errors.count("name"));   // not furigana/phone yet
    f.name = "山口 花子";
    CHECK(w.next(f));
    CHECK(w.step == SignUpStep::Furigana);
    f.furigana = "山口";
    CHECK_FALSE(w.next(f));
    CHECK(f.errors.at("furigana") == "bad_format");
    f.furigana = "やまぐち はなこ";
    CHECK(w.next(f));
    CHECK(w.step == SignUpStep::Contact);
    CHECK_FALSE(w.next(f));
    CHECK(f.errors.count("phone"));
    f.email = "hanako@example.jp";
    CHECK(w.next(f));
    CHECK(w.step == SignUpStep::Party);
    f.party_size = 3;
    CHECK(w.next(f));
    CHECK(w.step == SignUpStep::Review);
    CHECK(w.index() == 4);
    w.edit(SignUpStep::Contact);
    CHECK(w.back());
    CHECK(w.step == SignUpStep::Furigana);
    w.edit(SignUpStep::Review);
    SubmitResult r = f.submit(k.ctx);
    REQUIRE_MESSAGE(r.ok(), r.detail);
    CHECK(r.receipt.check_code.size() == 4);
    CHECK(k.s.store->outbox_entry(r.receipt.record_id)->record.payload["party_size"] == 3);
}

TEST_CASE("start board: today and this week at the kiosk's centre") {
    Kiosk k("flows-start");
    CHECK(add_days("2026-11-24", 6) == "2026-11-30");
    CHECK(add_days("2026-12-29", 5) == "2027-01-03");
    CHECK(add_days("2028-02-28", 1) == "2028-02-29");
    // Find a centre and a day with something on, from the catalog itself.
    SearchQuery all;
    all.limit = 200;
    auto any = k.s.store->search(all).items;
    const Activity* dated = nullptr;
    for (const auto& a : any)
        if (!a.centre_id.empty() && a.starts_at.size() >= 10) {
            dated = &a;
            break;
        }
    REQUIRE(dated);
    std::string day = dated->starts_at.substr(0, 10);
    StartBoard b;
    b.refresh(*k.s.store, dated->centre_id, day);
    bool found = false;
    for (const auto& a : b.on_today) {
        CHECK(a.centre_id == dated->centre_id);
        found = found || a.id == dated->id;
    }
    CHECK(found);
    // The day before, it is "this week", not "today".
    b.refresh(*k.s.store, dated->centre_id, add_days(day, -1));
    found = false;
    for (const auto& a : b.this_week) {
        CHECK(a.starts_at.substr(0, 10) > b.today);
        CHECK(a.starts_at.substr(0, 10) <= add_days(b.today, 6));
        found = found || a.id == dated->id;
    }
    CHECK(found);
    for (const auto& a : b.on_today) CHECK(a.id != dated->id);
    // Another centre's activities never show.
    b.refresh(*k.s.store, "no-such-centre", day);
    CHECK(b.on_today.empty());
    CHECK(b.this_week.empty());
}

TEST_CASE("QR code of an activity's public page") {
    CHECK(public_activity_url("https://cityhall.example:8443/", "act-001") ==
          "https://cityhall.example:8443/p/activities/act-001");
    CHECK(public_activity_url("http://h", "a b/é") == "http://h/p/activities/a%20b%2F%C3%A9");
    CHECK(public_activity_url("", "act-001").empty());
    QrMatrix m = make_qr("https://cityhall.example:8443/p/activities/act-001");
    REQUIRE(m.size >= 21);
    CHECK((m.size - 17) % 4 == 0);            // a QR version's size
    CHECK(m.dark.size() == static_cast<std::size_t>(m.size * m.size));
    // The three finder patterns: dark 7×7 corners with a light ring inside.
    for (auto [x0, y0] : {std::pair{0, 0}, std::pair{m.size - 7, 0}, std::pair{0, m.size - 7}}) {
        CHECK(m.at(x0, y0));
        CHECK(m.at(x0 + 6, y0 + 6));
        CHECK_FALSE(m.at(x0 + 1, y0 + 1));
        CHECK(m.at(x0 + 3, y0 + 3));
    }
    CHECK(make_qr("").size == 0);
}

TEST_CASE("QR code of a receipt's status page, and its picture") {
    CHECK(public_receipt_url("https://cityhall.example:8443/", "7KQ3-M9TX") ==
          "https://cityhall.example:8443/p/receipt?receipt=7KQ3-M9TX");
    CHECK(public_receipt_url("", "7KQ3-M9TX").empty());
    CHECK(public_receipt_url("https://h", "").empty());
    const QrMatrix m = make_qr(public_receipt_url("https://kyodo.city.example", "7KQ3-M9TX"));
    REQUIRE(m.size >= 21);
    int side = 0;
    const std::vector<std::uint8_t> px = qr_pixels(m, 4, &side);
    REQUIRE(side == (m.size + 2 * kQrQuietModules) * 4);
    REQUIRE(px.size() == static_cast<std::size_t>(side) * side * 4);
    // Every pixel: black inside a dark module, white elsewhere (the quiet zone too), opaque.
    int wrong = 0;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const int mx = x / 4 - kQrQuietModules, my = y / 4 - kQrQuietModules;
            const bool dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.at(mx, my);
            const std::uint8_t* p = &px[(static_cast<std::size_t>(y) * side + x) * 4];
            if (p[0] != (dark ? 0 : 255) || p[1] != p[0] || p[2] != p[0] || p[3] != 255) ++wrong;
        }
    CHECK(wrong == 0);
    CHECK(qr_pixels(m, 0, &side).empty());
    CHECK(side == 0);
    CHECK(qr_pixels(QrMatrix{}, 4, &side).empty());
}

TEST_CASE("survey: offered on a listing's detail page, the answer names the listing (residents' evaluation of its project)") {
    Kiosk k("flows-survey-from-listing");
    SurveyForm f;
    f.start(sample_survey(*k.s.store), "act-064");
    answer_required(f);
    SubmitResult r = f.submit(k.ctx);
    REQUIRE(r.ok());
    auto e = k.s.store->outbox_entry(r.receipt.record_id);
    REQUIRE(e);
    CHECK(e->record.payload["activity_id"] == "act-064");
    // From the survey list: no listing named.
    f.start(sample_survey(*k.s.store));
    answer_required(f);
    SubmitResult r2 = f.submit(k.ctx);
    REQUIRE(r2.ok());
    CHECK_FALSE(k.s.store->outbox_entry(r2.receipt.record_id)->record.payload.contains("activity_id"));
}
