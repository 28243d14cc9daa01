// The talent bank form (人材バンク, issue 11): a resident registers what they can offer, step
// by step, by touch — kinds of help and fields (core/talent.h), the areas (centres, or
// anywhere in the city) and times they can help, then name, reading and phone or e-mail
// (sealed for city hall like a sign-up's) with how city hall may contact them and their
// consent; a review; the receipt (number and check code). A second, short form leaves the
// bank: the receipt number and check code of the registration (a talent_withdrawal record).
#pragma once

#include <string>
#include <vector>

#include "app/model/forms.h"

namespace kyodo::app {

enum class TalentStep { Help, When, Contact, Review, Withdraw };

struct TalentForm {
    TalentStep step = TalentStep::Help;
    std::vector<std::string> help, fields, areas, times;
    std::string note;
    std::string name, furigana, phone, email;
    std::string contact_by = "either";
    bool consent = false;
    // Leaving the bank.
    std::string w_receipt, w_check;

    FieldErrors errors;
    SubmitResult last;

    void clear();
    bool dirty() const;
    static void toggle(std::vector<std::string>& v, const std::string& code, std::size_t max);
    static bool has(const std::vector<std::string>& v, const std::string& code);
    int index() const;                     // 0..3 for the progress bar
    static constexpr int kSteps = 4;

    bool check_step();                     // errors for the current step only; true when it may advance
    bool next();                           // check_step, then the next step
    void back();

    Personal personal() const;
    Record record() const;                 // payload only: envelope and seal come at submit
    Record withdrawal_record() const;
    bool validate();                       // the whole registration
    SubmitResult submit(const SubmitContext& ctx);
    SubmitResult submit_withdrawal(const SubmitContext& ctx);
};

// "7kq3m9tx" / "7KQ3 M9TX" → "7KQ3-M9TX" (what the resident typed, as the receipt prints it).
std::string normalise_receipt(const std::string& typed);

}  // namespace kyodo::app
