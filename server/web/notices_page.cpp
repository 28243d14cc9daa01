// The notice outbox as staff see it (/admin/notices): every e-mail the server queued for
// residents (server/notices.h), whether it went out, and why not. No addresses are shown:
// they stay in the sealed-then-opened personal part of each record (the roster shows them).
#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

const std::string& kind_label(const std::string& k) {
    if (k == "promoted") return tr("notices.kind.promoted");
    if (k == "activity_cancelled") return tr("notices.kind.activity_cancelled");
    if (k == "activity_moved") return tr("notices.kind.activity_moved");
    if (k == "answered") return tr("notices.kind.answered");
    return tr("notices.kind.other");
}

const std::string& state_label(const std::string& s) {
    if (s == "sent") return tr("notices.state.sent");
    if (s == "failed") return tr("notices.state.failed");
    return tr("notices.state.pending");
}

std::string th(const char* key, const char* cls = nullptr) {
    return std::string("<th") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + esc(tr(key)) + "</th>";
}

// 100 notices a page, newest first, keyset on the notice id (?before=ID), optionally one
// state (?state=pending|sent|failed); the counts are over the whole outbox (SQL GROUP BY).
constexpr std::size_t kNoticePage = 100;

void notices_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    std::string state = req.has_param("state") ? req.get_param_value("state") : "";
    if (state != "pending" && state != "sent" && state != "failed") state.clear();
    const std::string before = req.has_param("before") ? req.get_param_value("before").substr(0, 64) : "";
    auto rows = app.st.notices().notices_page(state, before, kNoticePage + 1);
    const bool more = rows.size() > kNoticePage;
    if (more) rows.pop_back();
    const auto counts = app.st.notices().notice_counts();
    auto count = [&](const char* s) {
        const auto it = counts.find(s);
        return it == counts.end() ? std::int64_t{0} : it->second;
    };
    const std::int64_t pending = count("pending"), sent = count("sent"), failed = count("failed");
    const std::int64_t total = state.empty() ? pending + sent + failed : count(state.c_str());
    std::string b = "<p>" + esc(tr("notices.intro")) + "</p><div class=\"panel\">" +
                    esc(trf("notices.summary", {{"pending", std::to_string(pending)}, {"sent", std::to_string(sent)},
                                                {"failed", std::to_string(failed)}})) +
                    "</div>";
    b += "<form class=\"filters\" method=\"get\"><label>" + esc(tr("notices.filter.state")) + " <select name=\"state\">";
    for (const char* s : {"", "pending", "sent", "failed"})
        b += std::string("<option value=\"") + s + "\"" + (state == s ? " selected" : "") + ">" +
             esc(*s ? state_label(s) : tr("notices.filter.all")) + "</option>";
    b += "</select></label><button>" + esc(tr("notices.filter.show")) + "</button></form><p class=\"muted\">" +
         esc(trf("notices.total", {{"n", std::to_string(total)}})) + "</p>";
    b += "<table><thead><tr>" + th("notices.col.created") + th("notices.col.kind") + th("notices.col.receipt") + th("notices.col.what") +
         th("notices.col.state") + th("notices.col.attempts", "num") + th("notices.col.when") + th("notices.col.error") +
         "</tr></thead><tbody>";
    for (const Notice& n : rows) {
        const auto rec = app.st.record(n.record_id);
        const Json d = Json::parse(n.detail, nullptr, false);
        std::string what = d.is_object() ? str(d, "title") : "";
        if (what.empty() && d.is_object()) what = str(d, "answer").substr(0, 60);
        const std::string cls = n.state == "sent" ? "confirmed" : n.state == "failed" ? "cancelled" : "waitlisted";
        b += "<tr><td>" + esc(jst_datetime(n.created_at)) + "</td><td>" + esc(kind_label(n.kind)) + "</td><td>" +
             esc(rec ? rec->receipt : n.record_id) + "</td><td class=\"text\">" + esc(what) + "</td><td><span class=\"status " +
             cls + "\">" + esc(state_label(n.state)) + "</span></td><td class=\"num\">" + std::to_string(n.attempts) + "</td><td>" +
             esc(jst_datetime(n.state == "sent" ? n.sent_at : n.next_attempt_at)) + "</td><td class=\"text\">" +
             esc(n.last_error) + "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"8\" class=\"muted\">" + esc(tr("notices.none")) + "</td></tr>";
    b += "</tbody></table>";
    const std::string base = "/admin/notices?state=" + url_encode(state);
    if (!before.empty() || more) {
        b += "<nav class=\"pager\" aria-label=\"" + esc(tr("inbox.pager.label")) + "\">";
        if (!before.empty()) b += "<a class=\"button\" href=\"" + esc(base) + "\">" + esc(tr("inbox.pager.newest")) + "</a> ";
        if (more && !rows.empty())
            b += "<a class=\"button\" rel=\"next\" href=\"" + esc(base + "&before=" + url_encode(rows.back().id)) + "\">" +
                 esc(tr("inbox.pager.older")) + "</a>";
        b += "</nav>";
    }
    send_html(res, 200, page(c, tr("notices.title"), b, "/admin/notices"));
}

}  // namespace

void install_notices(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/notices", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { notices_page(app, c, q, r); });
}

}  // namespace kyodo::server::web
