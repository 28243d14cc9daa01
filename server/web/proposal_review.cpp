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

namespace kyodo::server::web {

std::vector<Criterion> call_criteria(const Json* call) {
    std::vector<Criterion> out;
    if (call && call->contains("extra") && (*call)["extra"].is_object()) {
        const Json& ex = (*call)["extra"];
        if (ex.contains("criteria") && ex["criteria"].is_array())
            for (const Json& c : ex["criteria"])
                if (c.is_object() && c.contains("name") && c["name"].is_string() && !c["name"].get<std::string>().empty()) {
                    const int max = c.contains("max") && c["max"].is_number_integer() ? c["max"].get<int>() : 5;
                    out.push_back({c["name"].get<std::string>(), std::clamp(max, 1, 100)});
                }
    }
    if (out.empty())   // a call that names none: the usual points of a 提案型協働事業 review
        out = {{"公益性", 5}, {"協働の必要性", 5}, {"実現性", 5}, {"先駆性・独自性", 5}, {"費用の妥当性", 5}};
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
    if (!call) return "<p class=\"panel\">募集に応じたものではない自由提案です（一般の審査基準で審査します）。</p>";
    const Json ex = call->value("extra", Json::object());
    std::string o = "<div class=\"panel\" id=\"call\"><strong>応募した募集: " + esc(str(*call, "title")) + "</strong>";
    if (ex.contains("themes") && ex["themes"].is_array()) {
        o += "<ul>";
        for (const Json& t : ex["themes"])
            if (t.is_string()) o += "<li>" + esc(t.get<std::string>()) + "</li>";
        o += "</ul>";
    }
    if (ex.contains("deadline") && ex["deadline"].is_string()) o += "締切 " + esc(format_date_ja(ex["deadline"].get<std::string>())) + "　";
    if (ex.contains("amount_note") && ex["amount_note"].is_string()) o += esc(ex["amount_note"].get<std::string>());
    return o + "</div>";
}

void detail(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto r = proposal_record(app, req.matches[1]);
    if (!r) return not_found(c, res, "提案が見つかりません。");
    const Json cat = app.catalog();
    const Json pl = payload_of(*r), person = personal_of(*r);
    const Json* call = call_id_of(*r).empty() ? nullptr : find_by_id(cat["activities"], call_id_of(*r));
    const auto criteria = call_criteria(call);
    const auto reviews = app.st.civic().proposal_reviews(r->rec.id);
    const std::string st = r->state.empty() ? "received" : r->state;
    app.audit(c, "view_proposal", r->rec.receipt, "contact data shown");

    std::string b = flash(req);
    b += "<div class=\"panel\"><span class=\"muted\">受付 " + esc(r->rec.receipt) + "　" + esc(jst_datetime(r->rec.created_at)) + "　" +
         esc(centre_name(cat, r->rec.centre_id)) + "</span><div class=\"text\">" + esc(str(pl, "summary")) + "</div><p>提案団体: " +
         esc(str(pl, "group_name")) + "　協働希望課: " + esc(str(pl, "partner_department")) + "</p><p class=\"muted\">連絡先: " +
         esc(str(person, "name")) + " " + esc(str(person, "phone")) + " " + esc(str(person, "email")) + "</p></div>";
    b += call_panel(call);

    // Every reviewer's scores side by side, the totals and the average per criterion.
    int full = 0;
    for (const auto& k : criteria) full += k.max;
    b += "<h2>審査（" + std::to_string(reviews.size()) + " 人）</h2><div class=\"scroll\"><table id=\"reviews\"><thead><tr><th>審査基準</th>";
    for (const auto& rv : reviews) b += "<th class=\"num\">" + esc(rv.reviewer) + "</th>";
    b += "<th class=\"num\">平均</th></tr></thead><tbody>";
    for (const auto& k : criteria) {
        b += "<tr><td>" + esc(k.name) + "（" + std::to_string(k.max) + "点）</td>";
        double sum = 0;
        for (const auto& rv : reviews) {
            const auto it = rv.scores.find(k.name);
            b += "<td class=\"num\">" + (it == rv.scores.end() ? std::string("—") : std::to_string(it->second)) + "</td>";
            if (it != rv.scores.end()) sum += it->second;
        }
        b += "<td class=\"num\">" + (reviews.empty() ? std::string("—") : fmt1(sum / static_cast<double>(reviews.size()))) + "</td></tr>";
    }
    double sum_total = 0;
    b += "<tr class=\"total\"><td>合計（" + std::to_string(full) + "点満点）</td>";
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
        b += "<h2>あなたの審査</h2><form class=\"stack\" method=\"post\" action=\"/admin/proposals/" + url_encode(r->rec.id) + "/review\">" + csrf_field(c);
        int i = 0;
        for (const auto& k : criteria) {
            std::string v;
            if (mine)
                if (const auto it = mine->scores.find(k.name); it != mine->scores.end()) v = std::to_string(it->second);
            b += "<label>" + esc(k.name) + "（0〜" + std::to_string(k.max) + "点）<input type=\"number\" name=\"score" + std::to_string(i++) +
                 "\" min=\"0\" max=\"" + std::to_string(k.max) + "\" required value=\"" + esc(v) + "\"></label>";
        }
        b += "<label>所見<textarea name=\"comment\" rows=\"3\" maxlength=\"2000\">" + esc(mine ? mine->comment : "") +
             "</textarea></label><button class=\"primary\">審査を保存する</button></form>";
    }

    // The committee's decision, with its reasons.
    b += "<h2>決定</h2><p id=\"decision\">" + std::string(state_ja(st));
    if (!r->note.empty()) b += "<span class=\"text\">（理由: " + esc(r->note) + "）</span>";
    if (!r->updated_by.empty()) b += "<span class=\"muted\">　" + esc(r->updated_by) + "、" + esc(jst_datetime(r->updated_at)) + "</span>";
    b += "</p>";
    if (c.role >= Role::Editor) {
        b += "<form class=\"stack\" method=\"post\" action=\"/admin/proposals/" + url_encode(r->rec.id) + "\">" + csrf_field(c) +
             "<label>決定<select name=\"state\">";
        for (const char* s : {"received", "under_review", "adopted", "not_adopted"})
            b += std::string("<option value=\"") + s + "\"" + (st == s ? " selected" : "") + ">" + state_ja(s) + "</option>";
        b += "</select></label><label>理由（審査会の判断。採択・不採択のときは必須。不採択の理由は提案者に伝えます）<textarea name=\"reason\" rows=\"3\">" +
             esc(r->note) + "</textarea></label><input type=\"hidden\" name=\"back\" value=\"detail\"><button>決定を保存する</button></form>";
    }
    const auto links = app.st.civic().proposal_projects();
    if (auto it = links.find(r->rec.id); it != links.end())
        b += "<p class=\"panel\" id=\"became\">協働事業になりました: <a href=\"/admin/projects/" + url_encode(it->second) + "\">" + esc(it->second) +
             "</a>（公開ページ <a href=\"/p/proposals\">/p/proposals</a>）</p>";
    else if (st == "adopted" && c.role >= Role::Editor)
        b += "<p><a class=\"button primary\" id=\"make-project\" href=\"/admin/projects/new?proposal=" + url_encode(r->rec.id) +
             "\">採択した提案を協働事業にする</a></p>";
    send_html(res, 200, page(c, str(pl, "title"), b, "/admin/proposals"));
}

void save_review(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const auto r = proposal_record(app, req.matches[1]);
    if (!r) return not_found(c, res, "提案が見つかりません。");
    const std::string st = r->state.empty() ? "received" : r->state;
    const std::string back = "/admin/proposals/" + url_encode(r->rec.id);
    if (st != "received" && st != "under_review") return redirect(res, back + "?msg=" + url_encode("決定済みの提案は審査を変更できません。"));
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
            return send_html(res, 400, page(c, "審査", "<p class=\"error\" role=\"alert\">「" + esc(criteria[i].name) + "」は 0〜" +
                                                         std::to_string(criteria[i].max) + " の整数で入力してください。</p><p><a href=\"" + esc(back) +
                                                         "\">戻る</a></p>", "/admin/proposals"));
        rv.scores[criteria[i].name] = n;
    }
    if (rv.comment.size() > 6000) rv.comment.resize(6000);
    app.st.civic().put_proposal_review(rv);
    if (st == "received") app.st.admin().set_record_state(r->rec.id, "under_review", r->department, r->note, c.s.user, rfc3339_now());
    app.audit(c, "proposal_review", r->rec.receipt, std::to_string(total_of(rv)) + " points");
    redirect(res, back + "?msg=" + url_encode("審査を保存しました。"));
}

// Adopted proposals in public: what was proposed, what the project promised, what was done.
void accountability(App& app, Ctx& c, httplib::Response& res) {
    const Json cat = app.catalog();
    RecordQuery q{"proposal", "", "", "", "", 100000};
    q.state = "adopted";
    const auto links = app.st.civic().proposal_projects();
    std::string b = "<h1>採択された市民提案のその後</h1><p>市民提案型協働事業として採択された提案と、協働事業としての進み具合です。</p>";
    int n = 0;
    for (const auto& r : app.st.admin().records(q)) {
        const Json pl = payload_of(r);
        const Json* call = call_id_of(r).empty() ? nullptr : find_by_id(cat["activities"], call_id_of(r));
        b += "<section class=\"card\"><h2>" + esc(str(pl, "title")) + "</h2><p class=\"muted\">" + esc(str(pl, "group_name")) +
             (call ? "　" + esc(str(*call, "title")) : std::string()) + "　採択</p><p><strong>提案の内容</strong><br><span class=\"text\">" +
             esc(str(pl, "summary")) + "</span></p>";
        if (!r.note.empty()) b += "<p><strong>採択の理由</strong><br><span class=\"text\">" + esc(r.note) + "</span></p>";
        const auto it = links.find(r.rec.id);
        const auto p = it == links.end() ? std::nullopt : app.st.civic().project(it->second);
        if (!p) {
            b += "<p>協働事業として準備中です。</p></section>";
            ++n;
            continue;
        }
        b += "<p><strong>約束したこと（事業の目標）</strong><br><span class=\"text\">" + esc(p->goals.empty() ? "—" : p->goals) + "</span></p>";
        b += "<p><strong>進み具合</strong> " + esc(era_year_ja(p->fiscal_year)) + "　" + esc(project_status_ja(p->status)) + "</p>";
        std::string done;
        for (const auto& l : p->listing_ids)
            if (const Json* a = find_by_id(cat["activities"], l))
                done += "<li>" + esc(str(*a, "title")) + "（" + esc(format_date_ja(str(*a, "starts_at"))) + "）</li>";
        b += "<p><strong>行ったこと</strong></p>" + (done.empty() ? "<p class=\"muted\">まだありません。</p>" : "<ul>" + done + "</ul>") + "</section>";
        ++n;
    }
    if (!n) b += "<p>まだ採択された提案はありません。</p>";
    (void)c;
    res.set_header("Access-Control-Allow-Origin", "*");
    send_html(res, 200, phone_page("採択された市民提案のその後", b));
}

}  // namespace

void install_proposal_review(App& app, httplib::Server& svr) {
    app.get(svr, R"(/admin/proposals/([^/]+))", Role::Viewer, [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { detail(app, c, req, res); });
    app.post(svr, R"(/admin/proposals/([^/]+)/review)", Role::Editor,
             [&app](Ctx& c, const httplib::Request& req, httplib::Response& res) { save_review(app, c, req, res); });
    app.get(svr, "/p/proposals", Role::Public, [&app](Ctx& c, const httplib::Request&, httplib::Response& res) { accountability(app, c, res); });
}

}  // namespace kyodo::server::web
