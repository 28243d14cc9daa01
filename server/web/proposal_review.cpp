// From call to project (issue 12 point 6; docs/dashboard.md "From call to project"):
//   /admin/proposals/<id>              a proposal, the call (公募) it answers, every reviewer's scores
//                                      against the call's criteria side by side, the committee's
//                                      decision with its reasons, and the project it became
//   /admin/proposals/<id>/review       a reviewer's scores and comment (POST, editors)
//   /p/proposals                       adopted proposals on a public page: what was proposed and
//                                      promised, and what was done (the project's status and
//                                      listings), as Decidim's accountability does; no personal data
// The decision itself is POST /admin/proposals/<id> (inbox.cpp); an adopted proposal becomes a
// project through /admin/projects/new?proposal=<id> (projects.cpp).
#include <algorithm>
#include <optional>

#include "core/timeutil.h"
#include "server/civic.h"
#include "server/web/app.h"
#include "server/web/form.h"
#include "server/web/projects.h"
#include "server/web/proposal_review.h"
#include "server/web/publish.h"
#include "server/web/text.h"

namespace kyodo::server::web {

std::vector<Criterion> call_criteria(const Json* call) {
    std::vector<Criterion> out;
    if (call && call->contains("extra") && (*call)["extra"].is_object()) {
        const Json& ex = (*call)["extra"];
        if (ex.contains("criteria") && ex["criteria"].is_array())
            for (const Json& c : ex["criteria"])
                if (c.is_object() && c.contains("name") && c["name"].is_string() && !c["name"].get<std::string>().empty()) {
                    const int max = c.contains("max") && c["max"].is_number_integer() ? c["max"].get<int>() : 5;
                    out.push_back({c["name"].get<std::string>(), std::clamp(max, 1, 100), ""});
                }
    }
    if (out.empty())   // a call that names none: the usual points of a 提案型協働事業 review
        for (const char* k : {"public_benefit", "need", "feasibility", "originality", "cost"}) {
            const std::string key = std::string("proposal_review.criterion.") + k;
            out.push_back({table(Lang::Ja).get(key), 5, tr(key)});
        }
    return out;
}

std::optional<AdminRecord> proposal_record(App& app, const std::string& id) {
    for (auto& r : app.st.admin().records(RecordQuery{"proposal", "", "", "", id, 2}))
        if (r.rec.id == id) return r;
    return std::nullopt;
}

namespace {

std::string call_id_of(const AdminRecord& r) { return str(payload_of(r), "call_id"); }

int total_of(const ProposalReview& r) {
    int t = 0;
    for (const auto& [k, v] : r.scores) t += v;
    return t;
}

std::string call_panel(const Json* call) {
    if (!call) return "<p class=\"panel\">" + esc(tr("proposal_review.free_proposal")) + "</p>";
    const Json ex = call->value("extra", Json::object());
    std::string o = "<div class=\"panel\" id=\"call\"><strong>" + esc(trf("proposal_review.call", {{"title", str(*call, "title")}})) + "</strong>";
    if (ex.contains("themes") && ex["themes"].is_array()) {
        o += "<ul>";
        for (const Json& t : ex["themes"])
            if (t.is_string()) o += "<li>" + esc(t.get<std::string>()) + "</li>";
        o += "</ul>";
    }
    if (ex.contains("deadline") && ex["deadline"].is_string()) o += esc(trf("proposal_review.deadline", {{"date", date_label(ex["deadline"].get<std::string>())}}));
    if (ex.contains("amount_note") && ex["amount_note"].is_string()) o += esc(ex["amount_note"].get<std::string>());
    return o + "</div>";
}

void detail(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto r = proposal_record(app, req.matches[1]);
    if (!r) return not_found(c, res, tr("proposal_review.not_found"));
    const Json cat = app.catalog();
    const Json pl = payload_of(*r), person = personal_of(*r);
    const Json* call = call_id_of(*r).empty() ? nullptr : find_by_id(cat["activities"], call_id_of(*r));
    const auto criteria = call_criteria(call);
    const auto reviews = app.st.civic().proposal_reviews(r->rec.id);
    const std::string st = r->state.empty() ? "received" : r->state;
    app.audit(c, "view_proposal", r->rec.receipt, "contact data shown");

    std::string b = flash(req);
    b += "<div class=\"panel\"><span class=\"muted\">" +
         esc(trf("proposal_review.received", {{"receipt", r->rec.receipt}, {"at", jst_datetime(r->rec.created_at)}, {"centre", centre_name(cat, r->rec.centre_id)}})) +
         "</span><div class=\"text\">" + esc(str(pl, "summary")) + "</div><p>" +
         esc(trf("proposal_review.group", {{"group", str(pl, "group_name")}, {"department", str(pl, "partner_department")}})) + "</p><p class=\"muted\">" +
         esc(tr("proposal_review.contact")) + esc(str(person, "name")) + " " + esc(str(person, "phone")) + " " + esc(str(person, "email")) + "</p></div>";
    b += call_panel(call);

    // Every reviewer's scores side by side, the totals and the average per criterion.
    int full = 0;
    for (const auto& k : criteria) full += k.max;
    b += "<h2>" + esc(trf("proposal_review.reviews", {{"n", std::to_string(reviews.size())}})) + "</h2><div class=\"scroll\"><table id=\"reviews\"><thead><tr><th>" +
         esc(tr("proposal_review.criteria")) + "</th>";
    for (const auto& rv : reviews) b += "<th class=\"num\">" + esc(rv.reviewer) + "</th>";
    b += "<th class=\"num\">" + esc(tr("proposal_review.average")) + "</th></tr></thead><tbody>";
    for (const auto& k : criteria) {
        b += "<tr><td>" + esc(trf("proposal_review.criterion_points", {{"name", criterion_label(k)}, {"max", std::to_string(k.max)}})) + "</td>";
        double sum = 0;
        for (const auto& rv : reviews) {
            const auto it = rv.scores.find(k.name);
            b += "<td class=\"num\">" + (it == rv.scores.end() ? std::string("—") : std::to_string(it->second)) + "</td>";
            if (it != rv.scores.end()) sum += it->second;
        }
        b += "<td class=\"num\">" + (reviews.empty() ? std::string("—") : fmt1(sum / static_cast<double>(reviews.size()))) + "</td></tr>";
    }
    double sum_total = 0;
    b += "<tr class=\"total\"><td>" + esc(trf("proposal_review.total", {{"max", std::to_string(full)}})) + "</td>";
    for (const auto& rv : reviews) {
        b += "<td class=\"num\"><strong>" + std::to_string(total_of(rv)) + "</strong></td>";
        sum_total += total_of(rv);
    }
    b += "<td class=\"num\" id=\"review-average\"><strong>" + (reviews.empty() ? std::string("—") : fmt1(sum_total / static_cast<double>(reviews.size()))) +
         "</strong></td></tr></tbody></table></div>";
    for (const auto& rv : reviews)
        if (!rv.comment.empty()) b += "<p><strong>" + esc(rv.reviewer) + "</strong>: <span class=\"text\">" + esc(rv.comment) + "</span></p>";

    if (c.role >= Role::Editor && (st == "received" || st == "under_review")) {
        const ProposalReview* mine = nullptr;
        for (const auto& rv : reviews)
            if (rv.reviewer == c.s.user) mine = &rv;
        b += "<h2>" + esc(tr("proposal_review.yours")) + "</h2><form class=\"stack\" method=\"post\" action=\"/admin/proposals/" + url_encode(r->rec.id) + "/review\">" + csrf_field(c);
        int i = 0;
        for (const auto& k : criteria) {
            std::string v;
            if (mine)
                if (const auto it = mine->scores.find(k.name); it != mine->scores.end()) v = std::to_string(it->second);
            b += "<label>" + esc(trf("proposal_review.score_range", {{"name", criterion_label(k)}, {"max", std::to_string(k.max)}})) + "<input type=\"number\" name=\"score" + std::to_string(i++) +
                 "\" min=\"0\" max=\"" + std::to_string(k.max) + "\" required value=\"" + esc(v) + "\"></label>";
        }
        b += "<label>" + esc(tr("proposal_review.comment")) + "<textarea name=\"comment\" rows=\"3\" maxlength=\"2000\">" + esc(mine ? mine->comment : "") +
             "</textarea></label><button class=\"primary\">" + esc(tr("proposal_review.save_review")) + "</button></form>";
    }

    // The committee's decision, with its reasons.
    b += "<h2>" + esc(tr("proposal_review.decision")) + "</h2><p id=\"decision\">" + std::string(state_ja(st));
    if (!r->note.empty()) b += "<span class=\"text\">" + esc(trf("proposal_review.reason_shown", {{"reason", r->note}})) + "</span>";
    if (!r->updated_by.empty())
        b += "<span class=\"muted\">" + esc(trf("proposal_review.decided_by", {{"by", r->updated_by}, {"at", jst_datetime(r->updated_at)}})) + "</span>";
    b += "</p>";
    if (c.role >= Role::Editor) {
        b += "<form class=\"stack\" method=\"post\" action=\"/admin/proposals/" + url_encode(r->rec.id) + "\">" + csrf_field(c) +
             "<label>" + esc(tr("proposal_review.decision")) + "<select name=\"state\">";
        for (const char* s : {"received", "under_review", "adopted", "not_adopted"})
            b += std::string("<option value=\"") + s + "\"" + (st == s ? " selected" : "") + ">" + state_ja(s) + "</option>";
        b += "</select></label><label>" + esc(tr("proposal_review.reason_label")) + "<textarea name=\"reason\" rows=\"3\">" + esc(r->note) +
             "</textarea></label><input type=\"hidden\" name=\"back\" value=\"detail\"><button>" + esc(tr("proposal_review.save_decision")) + "</button></form>";
    }
    const auto links = app.st.civic().proposal_projects();
    if (auto it = links.find(r->rec.id); it != links.end())
        b += "<p class=\"panel\" id=\"became\">" + esc(tr("proposal_review.became")) + "<a href=\"/admin/projects/" + url_encode(it->second) + "\">" +
             esc(it->second) + "</a>" + esc(tr("proposal_review.public_page")) + "<a href=\"/p/proposals\">/p/proposals</a>" +
             esc(tr("proposal_review.public_page_tail")) + "</p>";
    else if (st == "adopted" && c.role >= Role::Editor)
        b += "<p><a class=\"button primary\" id=\"make-project\" href=\"/admin/projects/new?proposal=" + url_encode(r->rec.id) +
             "\">" + esc(tr("proposal_review.make_project")) + "</a></p>";
    send_html(res, 200, page(c, str(pl, "title"), b, "/admin/proposals"));
}

void save_review(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto r = proposal_record(app, req.matches[1]);
    if (!r) return not_found(c, res, tr("proposal_review.not_found"));
    const std::string st = r->state.empty() ? "received" : r->state;
    const std::string back = "/admin/proposals/" + url_encode(r->rec.id);
    if (st != "received" && st != "under_review") return redirect(res, back + "?msg=" + url_encode(tr("proposal_review.decided_locked")));
    const Json cat = app.catalog();
    const std::string cid = call_id_of(*r);
    const auto criteria = call_criteria(cid.empty() ? nullptr : find_by_id(cat["activities"], cid));
    ProposalReview rv{r->rec.id, c.s.user, {}, trim(normalise_newlines(posted(c.form, "comment"))), rfc3339_now()};
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        const std::string v = trim(posted(c.form, "score" + std::to_string(i)));
        int n = -1;
        try {
            std::size_t used = 0;
            n = std::stoi(v, &used);
            if (used != v.size()) n = -1;
        } catch (const std::exception&) {
        }
        if (n < 0 || n > criteria[i].max)
            return send_html(res, 400, page(c, tr("proposal_review.review_title"), "<p class=\"error\" role=\"alert\">" +
                                                         esc(trf("proposal_review.err.score", {{"name", criterion_label(criteria[i])}, {"max", std::to_string(criteria[i].max)}})) +
                                                         "</p><p><a href=\"" + esc(back) + "\">" + esc(tr("proposal_review.back")) + "</a></p>", "/admin/proposals"));
        rv.scores[criteria[i].name] = n;
    }
    if (rv.comment.size() > 6000) rv.comment.resize(6000);
    app.st.civic().put_proposal_review(rv);
    if (st == "received") app.st.admin().set_record_state(r->rec.id, "under_review", r->department, r->note, c.s.user, rfc3339_now());
    app.audit(c, "proposal_review", r->rec.receipt, std::to_string(total_of(rv)) + " points");
    redirect(res, back + "?msg=" + url_encode(tr("proposal_review.saved")));
}

// Adopted proposals in public: what was proposed, what the project promised, what was done.
void accountability(App& app, Ctx& c, httplib::Response& res) {
    const Json cat = app.catalog();
    RecordQuery q{"proposal", "", "", "", "", 100000};
    q.state = "adopted";
    const auto links = app.st.civic().proposal_projects();
    std::string b = "<h1>" + esc(tr("proposal_review.public.title")) + "</h1><p>" + esc(tr("proposal_review.public.intro")) + "</p>";
    int n = 0;
    for (const auto& r : app.st.admin().records(q)) {
        const Json pl = payload_of(r);
        const Json* call = call_id_of(r).empty() ? nullptr : find_by_id(cat["activities"], call_id_of(r));
        b += "<section class=\"card\"><h2>" + esc(str(pl, "title")) + "</h2><p class=\"muted\">" + esc(str(pl, "group_name")) +
             (call ? esc(tr("proposal_review.sep")) + esc(str(*call, "title")) : std::string()) + esc(tr("proposal_review.sep")) +
             esc(tr("proposal_review.public.adopted")) + "</p><p><strong>" + esc(tr("proposal_review.public.proposed")) + "</strong><br><span class=\"text\">" +
             esc(str(pl, "summary")) + "</span></p>";
        if (!r.note.empty())
            b += "<p><strong>" + esc(tr("proposal_review.public.why")) + "</strong><br><span class=\"text\">" + esc(r.note) + "</span></p>";
        const auto it = links.find(r.rec.id);
        const auto p = it == links.end() ? std::nullopt : app.st.civic().project(it->second);
        if (!p) {
            b += "<p>" + esc(tr("proposal_review.public.preparing")) + "</p></section>";
            ++n;
            continue;
        }
        b += "<p><strong>" + esc(tr("proposal_review.public.promised")) + "</strong><br><span class=\"text\">" + esc(p->goals.empty() ? "—" : p->goals) +
             "</span></p>";
        b += "<p><strong>" + esc(tr("proposal_review.public.progress")) + "</strong> " + esc(era_year_ja(p->fiscal_year)) + esc(tr("proposal_review.sep")) +
             esc(project_status_ja(p->status)) + "</p>";
        std::string done;
        for (const auto& l : p->listing_ids)
            if (const Json* a = find_by_id(cat["activities"], l))
                done += "<li>" + esc(trf("proposal_review.public.done_item", {{"title", str(*a, "title")}, {"date", date_label(str(*a, "starts_at"))}})) + "</li>";
        b += "<p><strong>" + esc(tr("proposal_review.public.done")) + "</strong></p>" +
             (done.empty() ? "<p class=\"muted\">" + esc(tr("proposal_review.public.none_yet")) + "</p>" : "<ul>" + done + "</ul>") + "</section>";
        ++n;
    }
    if (!n) b += "<p>" + esc(tr("proposal_review.public.no_adopted")) + "</p>";
    (void)c;
    res.set_header("Access-Control-Allow-Origin", "*");
    send_html(res, 200, phone_page(tr("proposal_review.public.title"), b));
}

}  // namespace

void install_proposal_review(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/proposals/([^/]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { detail(app, c, req, res); });
    app.post(svr, R"(/admin/proposals/([^/]+)/review)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { save_review(app, c, req, res); });
    app.get(svr, "/p/proposals", Role::Public, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { accountability(app, c, res); });
}

}  // namespace kyodo::server::web
