// Kiosk quotas as staff see them (/admin/quotas): the policy city hall sets (a default share of
// each activity's places per centre, explicit quotas per activity and kiosk, the two times) and
// every lease granted, live, stranded (ended on the server clock, waiting for the kiosk to say
// it is done: its unused places stay held) or released. The rules: server/ledger.h and
// docs/protocol.md "Kiosk quotas (places confirmed on the spot)".
#include <algorithm>
#include <charconv>

#include "core/timeutil.h"
#include "server/web/app.h"
#include "server/web/text.h"

namespace kyodo::server::web {

namespace {

std::string th(const char* key, const char* cls = nullptr) {
    return std::string("<th") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + esc(tr(key)) + "</th>";
}

bool to_int(const std::string& s, std::int64_t& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

constexpr std::size_t kLeasePage = 100;

void quotas_page(App& app, Ctx& c, const httplib::Request& req, httplib::Response& res) {
    const QuotaPolicy pol = app.st.quota_policy();
    // The leases a page at a time (?page=N, newest first), their summary counted in SQL.
    const Storage::LeaseCounts counts = app.st.lease_counts(rfc3339_utc(now_millis()));
    const std::int64_t lease_total = counts.live + counts.stranded + counts.released;
    const std::size_t pg = page_within(page_param(req), kLeasePage, lease_total);
    const std::vector<LeaseRow> leases = app.st.leases_page(kLeasePage, (pg - 1) * kLeasePage);
    // The centres, and the activities the overrides and this page's leases name, read alone
    // (not the whole catalog).
    Json cat = Json::object();
    cat["centres"] = app.st.catalog_page("centres", {}, 100000, 0).items;
    {
        std::vector<std::string> ids;
        for (const QuotaOverride& o : pol.overrides) ids.push_back(o.activity_id);
        for (const LeaseRow& l : leases) ids.push_back(l.activity_id);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        cat["activities"] = app.st.activities_by_id(ids);
    }
    const std::int64_t now = now_millis();
    const bool editor = c.role >= Role::Editor;
    std::string b = flash(req) + "<p>" + esc(tr("quotas.intro")) + "</p>";

    // The two times.
    b += "<h2>" + esc(tr("quotas.times")) + "</h2><table><tbody><tr><th>" + esc(tr("quotas.before_start")) +
         "</th><td class=\"num\" id=\"before-start\">" +
         esc(trf("quotas.hours", {{"h", std::to_string(pol.before_start_s / 3600)}, {"s", std::to_string(pol.before_start_s)}})) +
         "</td></tr><tr><th>" + esc(tr("quotas.silence")) + "</th><td class=\"num\" id=\"silence\">" +
         esc(trf("quotas.hours", {{"h", std::to_string(pol.silence_s / 3600)}, {"s", std::to_string(pol.silence_s)}})) +
         "</td></tr></tbody></table>";

    // Per-centre shares.
    b += "<h2>" + esc(tr("quotas.shares")) + "</h2><table id=\"shares\"><thead><tr>" + th("quotas.col.centre") +
         th("quotas.col.share", "num") + "</tr></thead><tbody>";
    for (const auto& [centre, pct] : pol.shares)
        b += "<tr><td>" + esc(centre_name(cat, centre)) + " (" + esc(centre) + ")</td><td class=\"num\">" +
             std::to_string(pct) + "%</td></tr>";
    if (pol.shares.empty()) b += "<tr><td colspan=\"2\" class=\"muted\">" + esc(tr("quotas.no_shares")) + "</td></tr>";
    b += "</tbody></table>";

    // Per activity and kiosk.
    b += "<h2>" + esc(tr("quotas.overrides")) + "</h2><table id=\"overrides\"><thead><tr>" + th("quotas.col.activity") +
         th("quotas.col.kiosk") + th("quotas.col.places", "num") + "</tr></thead><tbody>";
    for (const QuotaOverride& o : pol.overrides)
        b += "<tr><td>" + esc(activity_title(cat, o.activity_id)) + " (" + esc(o.activity_id) + ")</td><td>" +
             esc(o.kiosk_id) + "</td><td class=\"num\">" + std::to_string(o.places) + "</td></tr>";
    if (pol.overrides.empty()) b += "<tr><td colspan=\"3\" class=\"muted\">" + esc(tr("quotas.no_overrides")) + "</td></tr>";
    b += "</tbody></table>";

    if (editor) {
        b += "<h2>" + esc(tr("quotas.change")) + "</h2><form method=\"post\" action=\"/admin/quotas\" class=\"panel\">" +
             csrf_field(c) + "<p>" + esc(tr("quotas.form.share")) + " <input name=\"centre\" size=\"12\" placeholder=\"" +
             esc(tr("quotas.col.centre")) + "\"> <input name=\"share\" size=\"4\" inputmode=\"numeric\"> %</p><p>" +
             esc(tr("quotas.form.override")) + " <input name=\"activity\" size=\"12\" placeholder=\"" +
             esc(tr("quotas.col.activity")) + "\"> <input name=\"kiosk\" size=\"12\" placeholder=\"" +
             esc(tr("quotas.col.kiosk")) + "\"> <input name=\"places\" size=\"4\" inputmode=\"numeric\"></p><p>" +
             esc(tr("quotas.before_start")) + " <input name=\"before_start_s\" size=\"7\" inputmode=\"numeric\"> " +
             esc(tr("quotas.seconds")) + " · " + esc(tr("quotas.silence")) +
             " <input name=\"silence_s\" size=\"7\" inputmode=\"numeric\"> " + esc(tr("quotas.seconds")) +
             "</p><p class=\"muted\">" + esc(tr("quotas.form.hint")) + "</p><button type=\"submit\">" +
             esc(tr("quotas.form.save")) + "</button></form>";
    }

    // The leases.
    std::string rows;
    for (const LeaseRow& l : leases) {
        const std::int64_t ends = parse_rfc3339(l.ends_at).value_or(0);
        std::string state, cls, since;
        if (!l.released_at.empty()) {
            state = tr("quotas.state.released");
            cls = "cancelled";
            since = l.released_at;
        } else if (l.done_at.empty() && ends > now) {
            state = tr("quotas.state.live");
            cls = "confirmed";
        } else {
            // Ended (or reported done with sign-ups still to arrive): its unused places stay held.
            state = tr("quotas.state.stranded");
            cls = "waitlisted";
            since = l.done_at.empty() ? l.ends_at : l.done_at;
        }
        rows += "<tr class=\"lease-" + std::string(cls) + "\"><td>" + esc(activity_title(cat, l.activity_id)) + " (" +
                esc(l.activity_id) + ")</td><td>" + esc(l.kiosk_id) + "</td><td class=\"num\">" +
                std::to_string(l.places) + "</td><td class=\"num\">" + std::to_string(l.used) + "</td><td>" +
                esc(jst_datetime(l.ends_at)) + "</td><td><span class=\"status " + cls + "\">" + esc(state) +
                "</span>" + (since.empty() ? "" : " " + esc(trf("quotas.since", {{"when", jst_datetime(since)}}))) +
                "</td></tr>";
    }
    b += "<h2>" + esc(tr("quotas.leases")) + "</h2><div class=\"panel\" id=\"lease-summary\">" +
         esc(trf("quotas.summary", {{"live", std::to_string(counts.live)}, {"stranded", std::to_string(counts.stranded)},
                                    {"released", std::to_string(counts.released)}})) +
         "</div><table id=\"leases\"><thead><tr>" + th("quotas.col.activity") + th("quotas.col.kiosk") +
         th("quotas.col.places", "num") + th("quotas.col.used", "num") + th("quotas.col.ends") +
         th("quotas.col.state") + "</tr></thead><tbody>" + rows;
    if (leases.empty()) b += "<tr><td colspan=\"6\" class=\"muted\">" + esc(tr("quotas.no_leases")) + "</td></tr>";
    b += "</tbody></table>" + pager_pages("/admin/quotas?", pg, kLeasePage, lease_total);
    send_html(res, 200, page(c, tr("quotas.title"), b, "/admin/quotas"));
}

void quotas_post(App& app, Ctx& c, const httplib::Request&, httplib::Response& res) {
    auto& f = c.form;
    std::int64_t n = 0;
    auto bad = [&] { redirect(res, "/admin/quotas?msg=" + url_encode(tr("quotas.err.number"))); };
    std::string did;
    if (!f["centre"].empty() || !f["share"].empty()) {
        if (f["centre"].empty() || !to_int(f["share"], n) || n < 0 || n > 100) return bad();
        app.st.set_quota_share(f["centre"], n);
        did += "share " + f["centre"] + "=" + std::to_string(n) + "; ";
    }
    if (!f["activity"].empty() || !f["kiosk"].empty() || !f["places"].empty()) {
        if (f["activity"].empty() || f["kiosk"].empty() || !to_int(f["places"], n) || n < -1) return bad();
        app.st.set_quota_override(f["activity"], f["kiosk"], n);
        did += "quota " + f["activity"] + "/" + f["kiosk"] + "=" + std::to_string(n) + "; ";
    }
    if (!f["before_start_s"].empty()) {
        if (!to_int(f["before_start_s"], n) || n < 0) return bad();
        app.st.set_quota_setting("quota.before_start_s", n);
        did += "before_start_s=" + std::to_string(n) + "; ";
    }
    if (!f["silence_s"].empty()) {
        if (!to_int(f["silence_s"], n) || n < 1) return bad();
        app.st.set_quota_setting("quota.silence_s", n);
        did += "silence_s=" + std::to_string(n) + "; ";
    }
    app.audit(c, "set_quotas", "quotas", did);
    redirect(res, "/admin/quotas?msg=" + url_encode(tr("quotas.msg.saved")));
}

}  // namespace

void install_quotas(App& app, httplib::Server& svr) {
    app.get(svr, "/admin/quotas", Role::Viewer, [&app](Ctx& c, const auto& q, auto& r) { quotas_page(app, c, q, r); });
    app.post(svr, "/admin/quotas", Role::Editor, [&app](Ctx& c, const auto& q, auto& r) { quotas_post(app, c, q, r); });
}

}  // namespace kyodo::server::web
