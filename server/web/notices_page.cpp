// The notice outbox as staff see it (/admin/notices): every e-mail the server queued for
// residents (server/notices.h), whether it went out, and why not. No addresses are shown:
// they stay in the sealed-then-opened personal part of each record (the roster shows them).
#include "core/timeutil.h"
#include "server/web/app.h"

namespace kyodo::server::web {

namespace {

const char* kind_ja(const std::string& k) {
    if (k == "promoted") return "繰り上げ（参加確定）";
    if (k == "activity_cancelled") return "行事の中止";
    if (k == "activity_moved") return "日時・会場の変更";
    if (k == "answered") return "意見・提案への回答";
    return "その他";
}

const char* state_label(const std::string& s) {
    if (s == "sent") return "送信済み";
    if (s == "failed") return "送信できず";
    return "送信待ち";
}

void notices_page(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    const auto rows = app.st.notices().notices("", 500);
    int pending = 0, sent = 0, failed = 0;
    for (const Notice& n : rows) (n.state == "sent" ? sent : n.state == "failed" ? failed : pending)++;
    std::string b = "<p>繰り上げ・中止・変更・回答を、メールでのお知らせを希望した方に送ります（新しい順、最大500件）。"
                    "送信できなかったものは時間をおいて自動で再送します。</p><div class=\"panel\">送信待ち " +
                    std::to_string(pending) + " 件　送信済み " + std::to_string(sent) + " 件　送信できず " +
                    std::to_string(failed) + " 件</div>";
    b += "<table><thead><tr><th>作成</th><th>種類</th><th>受付番号</th><th>件名の行事など</th><th>状態</th>"
         "<th class=\"num\">試行</th><th>送信・次回</th><th>エラー</th></tr></thead><tbody>";
    for (const Notice& n : rows) {
        const auto rec = app.st.record(n.record_id);
        const Json d = Json::parse(n.detail, nullptr, false);
        std::string what = d.is_object() ? str(d, "title") : "";
        if (what.empty() && d.is_object()) what = str(d, "answer").substr(0, 60);
        const std::string cls = n.state == "sent" ? "confirmed" : n.state == "failed" ? "cancelled" : "waitlisted";
        b += "<tr><td>" + esc(jst_datetime(n.created_at)) + "</td><td>" + esc(kind_ja(n.kind)) + "</td><td>" +
             esc(rec ? rec->receipt : n.record_id) + "</td><td class=\"text\">" + esc(what) + "</td><td><span class=\"status " +
             cls + "\">" + esc(state_label(n.state)) + "</span></td><td class=\"num\">" + std::to_string(n.attempts) + "</td><td>" +
             esc(jst_datetime(n.state == "sent" ? n.sent_at : n.next_attempt_at)) + "</td><td class=\"text\">" +
             esc(n.last_error) + "</td></tr>";
    }
    if (rows.empty()) b += "<tr><td colspan=\"8\" class=\"muted\">まだお知らせはありません。</td></tr>";
    b += "</tbody></table>";
    send_html(res, 200, page(c, "お知らせメール", b, "/admin/notices"));
}

}  // namespace

void install_notices(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/notices", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { notices_page(app, c, q, r); });
}

}  // namespace kyodo::server::web
