// KioskApp's actions for the resident flows (survey, public comment, proposal, directory,
// step-by-step sign-up, start board, QR). Kept out of kiosk_app.cpp so the shell and the
// flows change in different files.
#include <imgui.h>
#include <imgui_internal.h>

#include "app/ui/kiosk_app.h"
#include "core/uuid.h"

namespace kyodo::app {

std::string KioskApp::today() const { return today_override.empty() ? today_jst() : today_override; }

void KioskApp::start_survey(const std::string& survey_id) {
    if (survey_id.empty()) {
        survey.survey = Survey{};
        survey.clear();
        // One survey: straight to its first question; several: the list.
        try {
            auto all = store_.surveys();
            if (all.size() == 1) survey.start(all.front());
        } catch (const std::exception&) {
        }
    } else if (survey.survey.id != survey_id) {
        std::optional<Survey> s;
        try {
            s = store_.survey(survey_id);
        } catch (const std::exception&) {
        }
        if (s) survey.start(*s);
    }
    go(Screen::Survey);
}

void KioskApp::start_comment(const std::string& draft_id) {
    std::string id = draft_id;
    if (id.empty()) {
        auto open = open_drafts(store_, today());
        if (open.size() == 1) id = open.front().id;
    }
    if (id != comment.draft_id) {
        comment.clear();
        if (!id.empty()) {
            auto a = store_.activity(id);
            if (a && comment.start_for(*a, today())) {
                // The draft's text lives in extra.sections: its characters join the atlas.
                for (const auto& s : comment.sections) note_text(s.title + s.text);
            }
        }
    }
    go(Screen::PublicComment);
}

void KioskApp::start_proposal(const std::string& call_id) {
    std::optional<Activity> call;
    if (!call_id.empty()) {
        call = store_.activity(call_id);
    } else {
        SearchQuery q;
        q.kind = ActivityKind::CallForProposals;
        q.date_from = today();
        q.limit = 1;
        auto r = store_.search(q);
        if (!r.items.empty()) call = r.items.front();
    }
    std::string id = call ? call->id : "";
    if (proposal.call_id != id || !proposal.dirty()) {
        proposal.start_for(call ? &*call : nullptr);
        for (const auto& d : proposal.departments) note_text(d);   // from extra: not in the atlas yet
    }
    go(Screen::Proposal);
}

void KioskApp::open_directory() {
    directory.load(store_);
    directory.selected.reset();
    go(Screen::Organizations);
}

void KioskApp::open_organization(const std::string& org_id) {
    if (directory.orgs.empty()) directory.load(store_);
    directory.open(store_, org_id);
    go(Screen::Organization);
}

void KioskApp::submit_survey() {
    if (imgui_ready_) ImGui::ClearActiveID();
    SubmitResult r = survey.submit(submit_);   // forgets the answers on success
    if (r.ok()) show_receipt(RecordKind::SurveyResponse, r.receipt);
    request_redraw();
}

void KioskApp::submit_comment() {
    if (imgui_ready_) ImGui::ClearActiveID();
    SubmitResult r = comment.submit(submit_);
    if (r.ok()) {
        show_receipt(RecordKind::PublicComment, r.receipt);
        comment.clear();
    }
    request_redraw();
}

void KioskApp::submit_proposal() {
    if (imgui_ready_) ImGui::ClearActiveID();
    SubmitResult r = proposal.submit(submit_);
    if (r.ok()) {
        show_receipt(RecordKind::Proposal, r.receipt);
        proposal.clear();
    }
    request_redraw();
}

void KioskApp::clear_flows() {
    signup_steps.reset();
    survey.survey = Survey{};
    survey.clear();
    comment.clear();
    proposal.clear();
    directory.clear();
    board.invalidate();
}

bool KioskApp::flows_dirty() const { return survey.dirty() || comment.dirty() || proposal.dirty(); }

std::string KioskApp::public_url(const std::string& activity_id) const {
    return public_activity_url(opts_.public_base_url, activity_id);
}

const QrMatrix& KioskApp::qr_for(const std::string& url) {
    static std::string cached_url;
    static QrMatrix cached;
    if (url != cached_url) {
        cached_url = url;
        cached = make_qr(url);
    }
    return cached;
}

void KioskApp::preview_flow(Screen s) {
    switch (s) {
        case Screen::Survey: {
            auto all = store_.surveys();
            start_survey(all.empty() ? "" : all.front().id);
            break;
        }
        case Screen::PublicComment: start_comment(""); break;
        case Screen::Proposal: start_proposal(""); break;
        case Screen::Organizations: open_directory(); break;
        case Screen::Organization:
            open_directory();
            open_organization("org-city-kyodo");
            break;
        default: break;
    }
}

}  // namespace kyodo::app
