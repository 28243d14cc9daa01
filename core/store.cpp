// KioskStore: the kiosk's SQLite file. Every write is one transaction, so a power cut
// leaves either the old state or the new one; WAL + synchronous=FULL makes a returned
// commit durable.
#include "core/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <unordered_set>

#include "core/migrations.h"
#include "core/seal.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/uuid.h"

namespace kyodo {

bool StoreError::disk_full() const { return (sqlite_code & 0xFF) == SQLITE_FULL; }

const char* to_code(OutboxState s) {
    switch (s) {
        case OutboxState::Pending: return "pending";
        case OutboxState::Delivered: return "delivered";
        case OutboxState::Rejected: return "rejected";
    }
    return "pending";
}

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
    std::string msg = what + ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if ((rc & 0xFF) == SQLITE_FULL)
        msg += " (the disk or the database's size limit is full; nothing was saved)";
    else if ((rc & 0xFF) == SQLITE_BUSY)
        msg += " (another connection held the database longer than the busy timeout)";
    if (db) {
        const char* file = sqlite3_db_filename(db, "main");
        if (file && *file) msg += std::string(" [") + file + "]";
    }
    throw StoreError(msg, rc);
}

// A prepared statement, finalized on scope exit.
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        const int rc = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, std::string("preparing SQL \"") + sql + "\"");
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::string_view v) {
        check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(s_, i, v));
        return *this;
    }
    Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }

    // True for a row, false when done; throws on error.
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, std::string("running \"") + first_line(sqlite3_sql(s_)) + "\"");
    }
    void run() {
        while (step()) {}
    }
    void reset() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    int i32(int col) const { return sqlite3_column_int(s_, col); }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(db_, rc, "binding a value");
    }
    static std::string first_line(const char* sql) {
        std::string s = sql ? sql : "";
        while (!s.empty() && (s.front() == '\n' || s.front() == ' ')) s.erase(0, 1);
        const auto nl = s.find('\n');
        return nl == std::string::npos ? s : s.substr(0, nl) + " …";
    }
    sqlite3* db_;
    sqlite3_stmt* s_ = nullptr;
};

void exec(sqlite3* db, const char* sql, const char* what) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        fail(db, rc, what);
    }
}

// BEGIN IMMEDIATE takes the write lock up front: two connections (UI and sync thread)
// that both read then write would otherwise deadlock on the upgrade and one would fail
// with SQLITE_BUSY despite the busy timeout.
class Tx {
public:
    explicit Tx(sqlite3* db) : db_(db) { exec(db, "BEGIN IMMEDIATE", "starting a transaction"); }
    ~Tx() {
        if (!done_ && !sqlite3_get_autocommit(db_))
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        exec(db_, "COMMIT", "committing");
        done_ = true;
    }

private:
    sqlite3* db_;
    bool done_ = false;
};

bool is_space(char32_t c) { return c == U' ' || c == U'\n' || c == U'\t' || c == U'\r'; }

// Splits folded text into whitespace-separated runs (the search terms / index lines).
std::vector<std::u32string> runs(const std::u32string& s) {
    std::vector<std::u32string> out;
    std::u32string cur;
    for (char32_t c : s) {
        if (is_space(c)) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

std::string search_body(const Activity& a) {
    std::string body = utf8::fold_for_search(a.title);
    body += '\n';
    body += utf8::fold_for_search(a.kana);
    body += '\n';
    body += utf8::fold_for_search(a.summary);
    for (const auto& n : a.organizer_names) {
        body += '\n';
        body += utf8::fold_for_search(n);
    }
    return body;
}

// Every distinct 1- and 2-character gram inside a run (never across whitespace, so a
// gram matches exactly when a LIKE '%gram%' on the same runs would).
std::vector<std::string> grams_of(const std::string& body) {
    std::unordered_set<std::string> set;
    for (const auto& run : runs(utf8::decode(body))) {
        for (std::size_t i = 0; i < run.size(); ++i) {
            set.insert(utf8::encode(run[i]));
            if (i + 1 < run.size()) set.insert(utf8::encode(run.substr(i, 2)));
        }
    }
    return {set.begin(), set.end()};
}

}  // namespace

std::string receipt_number(const std::string& record_id) {
    // 40 bits: the last 10 hex digits are pure random bits in a v7 id (rand_b); other ids
    // are hashed so the function is total.
    std::string hex;
    if (is_uuid(record_id)) {
        for (char c : record_id) if (c != '-') hex += c;
        hex = hex.substr(hex.size() - 10);
    } else {
        hex = sha256_hex(record_id).substr(0, 10);
    }
    const std::uint64_t bits = std::stoull(hex, nullptr, 16);
    static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string out;
    for (int i = 7; i >= 0; --i) {
        out += kCrockford[(bits >> (5 * i)) & 31];
        if (i == 4) out += '-';
    }
    return out;
}

// --- open / migrate ----------------------------------------------------------------------

KioskStore::KioskStore(const std::string& path) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                   nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "opening the kiosk database " + path + ": " +
                          (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError(msg, rc);
    }
    try {
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 5000);
        // journal_mode returns a row; "wal" confirms it took (it cannot on some filesystems).
        {
            Stmt s(db_, "PRAGMA journal_mode=WAL");
            if (!s.step() || s.text(0) != "wal")
                throw StoreError("the kiosk database " + path +
                                     " cannot use WAL journaling (is it on a network filesystem?)",
                                 SQLITE_CANTOPEN);
        }
        exec(db_, "PRAGMA synchronous=FULL", "setting synchronous=FULL");
        exec(db_, "PRAGMA foreign_keys=ON", "enabling foreign keys");
        // A modest page cache: real catalogs are small, and the kiosk has a memory bar.
        exec(db_, "PRAGMA cache_size=-16384", "setting the cache size");

        int current = schema_version();
        if (current > kSchemaVersion)
            throw StoreError("the kiosk database " + path + " has schema version " +
                                 std::to_string(current) + ", newer than this program's " +
                                 std::to_string(kSchemaVersion) + "; install the newer kiosk software",
                             SQLITE_ERROR);
        for (const auto& m : detail::kiosk_migrations()) {
            if (m.version <= current) continue;
            Tx tx(db_);
            exec(db_, m.sql, ("migrating the kiosk database to version " +
                              std::to_string(m.version)).c_str());
            // user_version lives in the database header, so it commits with the step.
            exec(db_, ("PRAGMA user_version=" + std::to_string(m.version)).c_str(),
                 "recording the schema version");
            tx.commit();
            current = m.version;
        }
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

KioskStore::~KioskStore() {
    if (db_) sqlite3_close_v2(db_);
}

int KioskStore::schema_version() const {
    Stmt s(db_, "PRAGMA user_version");
    return s.step() ? s.i32(0) : 0;
}

// --- catalog -----------------------------------------------------------------------------

std::int64_t KioskStore::catalog_version() const {
    Stmt s(db_, "SELECT value FROM catalog_meta WHERE key='version'");
    return s.step() ? std::stoll(s.text(0)) : 0;
}

namespace {

// rids are spaced kRidGap apart in result order; an activity added by a delta takes the
// midpoint between its neighbours (or the next multiple after the last one, the common
// case of a new future event). Only after 16 inserts into the same gap does the catalog
// need renumbering (rebuild_activities), which restores the spacing. 2^16 keeps rids of
// catalogs up to 32k activities within 4-byte integers in the posting lists.
constexpr std::int64_t kRidGap = std::int64_t(1) << 16;

// Removes one activity and everything indexed for it.
void remove_activity(sqlite3* db, const std::string& id) {
    Stmt find(db, "SELECT rid FROM activities WHERE id=?");
    find.bind(1, id);
    if (!find.step()) return;
    const std::int64_t rid = find.i64(0);
    Stmt body(db, "SELECT body FROM activity_fts WHERE rowid=?");
    body.bind(1, rid);
    if (body.step()) {
        // search_ngram is keyed (gram, rowid): recompute the grams to delete by key
        // instead of scanning the table for the rowid.
        Stmt del(db, "DELETE FROM search_ngram WHERE gram=? AND activity_rowid=?");
        for (const auto& g : grams_of(body.text(0))) {
            del.bind(1, g).bind(2, rid).run();
            del.reset();
        }
    }
    Stmt(db, "DELETE FROM activity_fts WHERE rowid=?").bind(1, rid).run();
    // activity_fields and activity_organizers follow by ON DELETE CASCADE.
    Stmt(db, "DELETE FROM activities WHERE rid=?").bind(1, rid).run();
}

bool result_order(const Activity& x, const Activity& y) {
    return std::tie(x.starts_at, x.title, x.id) < std::tie(y.starts_at, y.title, y.id);
}

// Writes activity rows, their fields/organizers and FTS text. Grams are either written at
// once (deltas) or collected by the caller for one sorted bulk insert (full builds).
struct ActivityWriter {
    sqlite3* db;
    Stmt ins, field, org, fts, gram;
    explicit ActivityWriter(sqlite3* db_)
        : db(db_),
          ins(db_,
              "INSERT INTO activities(rid, id, kind, form, method, centre_id, starts_at, ends_at, "
              "title, capacity, taken, version, json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"),
          field(db_, "INSERT OR IGNORE INTO activity_fields(activity_id, field) VALUES(?,?)"),
          org(db_, "INSERT OR IGNORE INTO activity_organizers(activity_id, organization_id) VALUES(?,?)"),
          fts(db_, "INSERT INTO activity_fts(rowid, body) VALUES(?,?)"),
          gram(db_, "INSERT OR IGNORE INTO search_ngram(gram, activity_rowid) VALUES(?,?)") {}

    // rid 0: let SQLite choose (max+1); the caller then renumbers. Returns the rid and
    // fills `grams` with the activity's grams.
    std::int64_t write(const Activity& a, std::int64_t rid, std::vector<std::string>& grams) {
        if (rid > 0) ins.bind(1, rid);
        ins.bind(2, a.id).bind(3, to_code(a.kind)).bind(4, to_code(a.form)).bind(5, to_code(a.method));
        ins.bind(6, a.centre_id).bind(7, a.starts_at).bind(8, a.ends_at).bind(9, a.title);
        ins.bind(10, a.capacity).bind(11, a.taken).bind(12, a.version).bind(13, to_json(a).dump());
        ins.run();
        ins.reset();
        rid = sqlite3_last_insert_rowid(db);
        for (const auto& f : a.fields) {
            field.bind(1, a.id).bind(2, f).run();
            field.reset();
        }
        for (const auto& o : a.organizer_ids) {
            org.bind(1, a.id).bind(2, o).run();
            org.reset();
        }
        const std::string body = search_body(a);
        fts.bind(1, rid).bind(2, body).run();
        fts.reset();
        grams = grams_of(body);
        return rid;
    }

    void write_grams(std::int64_t rid, std::vector<std::string>& grams) {
        std::sort(grams.begin(), grams.end());
        for (const auto& g : grams) {
            gram.bind(1, g).bind(2, rid).run();
            gram.reset();
        }
    }
};

// Replaces every activity with `acts`, numbered afresh in result order. Postings are
// inserted grouped by gram and in rid order, which appends to the B-tree instead of
// seeking a random page per row (several times faster for a 100k catalog).
void rebuild_activities(sqlite3* db, std::vector<Activity> acts) {
    exec(db,
         "DELETE FROM search_ngram; DELETE FROM activity_fts; DELETE FROM activity_fields;"
         "DELETE FROM activity_organizers; DELETE FROM activities;",
         "clearing the activities");
    std::sort(acts.begin(), acts.end(), result_order);
    std::map<std::string, std::vector<std::int64_t>> postings;
    ActivityWriter w(db);
    std::vector<std::string> grams;
    for (std::size_t i = 0; i < acts.size(); ++i) {
        const std::int64_t rid = static_cast<std::int64_t>(i + 1) * kRidGap;
        w.write(acts[i], rid, grams);
        for (auto& g : grams) postings[std::move(g)].push_back(rid);
    }
    Stmt ins(db, "INSERT INTO search_ngram(gram, activity_rowid) VALUES(?,?)");
    for (const auto& [g, rids] : postings) {
        for (std::int64_t rid : rids) {
            ins.bind(1, g).bind(2, rid).run();
            ins.reset();
        }
    }
}

// The rid between a new activity's neighbours in result order, or 0 when the gap is
// used up.
std::int64_t rid_between_neighbours(sqlite3* db, const Activity& a) {
    Stmt prev(db,
              "SELECT rid FROM activities WHERE (starts_at, title, id) < (?1, ?2, ?3) "
              "ORDER BY starts_at DESC, title DESC, id DESC LIMIT 1");
    prev.bind(1, a.starts_at).bind(2, a.title).bind(3, a.id);
    const std::int64_t lo = prev.step() ? prev.i64(0) : 0;
    Stmt next(db,
              "SELECT rid FROM activities WHERE (starts_at, title, id) > (?1, ?2, ?3) "
              "ORDER BY starts_at, title, id LIMIT 1");
    next.bind(1, a.starts_at).bind(2, a.title).bind(3, a.id);
    if (!next.step()) return lo + kRidGap;
    const std::int64_t hi = next.i64(0);
    return hi - lo >= 2 ? lo + (hi - lo) / 2 : 0;
}

std::vector<Activity> all_activities(sqlite3* db) {
    Stmt s(db, "SELECT json FROM activities ORDER BY rid");
    std::vector<Activity> out;
    while (s.step()) out.push_back(activity_from_json(Json::parse(s.text(0))));
    return out;
}

}  // namespace

void KioskStore::apply_catalog(const CatalogDelta& delta) {
    Tx tx(db_);
    const std::int64_t current = catalog_version();
    if (!delta.full && delta.version < current) return;   // stale: Tx rolls back (nothing done)

    if (delta.full) {
        exec(db_, "DELETE FROM organizations; DELETE FROM centres; DELETE FROM surveys;",
             "clearing the catalog for a full replace");
    }
    {
        Stmt ins(db_, "INSERT OR REPLACE INTO centres(id, name, version, json) VALUES(?,?,?,?)");
        for (const auto& c : delta.centres) {
            ins.bind(1, c.id).bind(2, c.name).bind(3, c.version).bind(4, to_json(c).dump()).run();
            ins.reset();
        }
        Stmt org(db_,
                 "INSERT OR REPLACE INTO organizations(id, name, kana, version, json) VALUES(?,?,?,?,?)");
        for (const auto& o : delta.organizations) {
            org.bind(1, o.id).bind(2, o.name).bind(3, o.kana).bind(4, o.version).bind(5, to_json(o).dump()).run();
            org.reset();
        }
        Stmt sv(db_, "INSERT OR REPLACE INTO surveys(id, version, json) VALUES(?,?,?)");
        for (const auto& s : delta.surveys) {
            sv.bind(1, s.id).bind(2, s.version).bind(3, to_json(s).dump()).run();
            sv.reset();
        }
    }

    if (delta.full) {
        // Later duplicates of an id win, as they would in a delta.
        std::map<std::string, const Activity*> by_id;
        for (const auto& a : delta.activities) by_id[a.id] = &a;
        std::vector<Activity> acts;
        acts.reserve(by_id.size());
        for (const auto& [id, a] : by_id) acts.push_back(*a);
        rebuild_activities(db_, std::move(acts));
    } else {
        bool renumber = false;
        ActivityWriter w(db_);
        std::vector<std::string> grams;
        for (const auto& a : delta.activities) {
            remove_activity(db_, a.id);
            const std::int64_t rid = rid_between_neighbours(db_, a);
            renumber = renumber || rid == 0;
            const std::int64_t got = w.write(a, rid, grams);
            w.write_grams(got, grams);
        }
        for (const auto& id : delta.deleted_activities) remove_activity(db_, id);
        if (renumber) rebuild_activities(db_, all_activities(db_));
    }
    {
        Stmt dc(db_, "DELETE FROM centres WHERE id=?");
        for (const auto& id : delta.deleted_centres) { dc.bind(1, id).run(); dc.reset(); }
        Stmt dorg(db_, "DELETE FROM organizations WHERE id=?");
        for (const auto& id : delta.deleted_organizations) { dorg.bind(1, id).run(); dorg.reset(); }
        Stmt ds(db_, "DELETE FROM surveys WHERE id=?");
        for (const auto& id : delta.deleted_surveys) { ds.bind(1, id).run(); ds.reset(); }
    }

    Stmt meta(db_, "INSERT OR REPLACE INTO catalog_meta(key, value) VALUES(?,?)");
    meta.bind(1, "version").bind(2, std::to_string(delta.version)).run();
    meta.reset();
    meta.bind(1, "applied_ms").bind(2, std::to_string(now_millis())).run();
    tx.commit();
}

namespace {

std::vector<std::int64_t> rids_of(Stmt& s) {
    std::vector<std::int64_t> out;
    while (s.step()) out.push_back(s.i64(0));
    return out;
}

// Sorted-list intersection (both ascending by rid).
std::vector<std::int64_t> intersect(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
    std::vector<std::int64_t> out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

}  // namespace

SearchResult KioskStore::search(const SearchQuery& q) const {
    // Text: every whitespace-separated term must occur (AND). Terms of 3+ characters go to
    // the trigram index in one MATCH; shorter ones each to search_ngram. Because rids are
    // in result order, every posting list is already sorted for display.
    std::vector<std::string> short_terms;
    std::string match;
    for (const auto& term : runs(utf8::decode(utf8::fold_for_search(q.text)))) {
        const std::string t = utf8::encode(term);
        if (term.size() >= 3) {
            std::string quoted = "\"";
            for (char c : t) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
            quoted += '"';
            match += (match.empty() ? "" : " AND ") + quoted;
        } else if (std::find(short_terms.begin(), short_terms.end(), t) == short_terms.end()) {
            short_terms.push_back(t);
        }
    }
    const bool has_text = !short_terms.empty() || !match.empty();

    std::string filter;
    std::vector<std::string> binds;
    if (q.kind) { filter += " AND a.kind=?"; binds.push_back(to_code(*q.kind)); }
    if (q.form) { filter += " AND a.form=?"; binds.push_back(to_code(*q.form)); }
    if (q.method) { filter += " AND a.method=?"; binds.push_back(to_code(*q.method)); }
    if (!q.field.empty()) {
        filter += " AND EXISTS(SELECT 1 FROM activity_fields f WHERE f.field=? AND f.activity_id=a.id)";
        binds.push_back(q.field);
    }
    if (!q.centre_id.empty()) { filter += " AND a.centre_id=?"; binds.push_back(q.centre_id); }
    // Dates: an activity matches when its span [starts_at, ends_at] overlaps the range
    // (a month-long exhibition still shows for a day inside it). Undated ones do not.
    if (!q.date_from.empty()) {
        filter += " AND a.starts_at<>'' AND substr(CASE WHEN a.ends_at<>'' THEN a.ends_at ELSE "
                  "a.starts_at END,1,10)>=?";
        binds.push_back(q.date_from.substr(0, 10));
    }
    if (!q.date_to.empty()) {
        filter += " AND a.starts_at<>'' AND substr(a.starts_at,1,10)<=?";
        binds.push_back(q.date_to.substr(0, 10));
    }
    if (q.only_open_places) filter += " AND (a.capacity=0 OR a.capacity>a.taken)";
    const bool has_filter = !filter.empty();

    SearchResult out;
    const std::int64_t limit = std::max(0, q.limit), offset = std::max(0, q.offset);
    // One statement for the whole page: preparing it per row cost more than the lookups.
    std::optional<Stmt> by_rid;
    auto fetch = [&](std::int64_t rid) {
        if (!by_rid) by_rid.emplace(db_, "SELECT json FROM activities WHERE rid=?");
        by_rid->bind(1, rid);
        if (by_rid->step()) out.items.push_back(activity_from_json(Json::parse(by_rid->text(0))));
        by_rid->reset();
    };

    // The common kiosk case, one term and no filter: count from the index and read only
    // the first page of the posting list.
    if (!has_filter && short_terms.size() + (match.empty() ? 0 : 1) == 1) {
        const bool is_short = !short_terms.empty();
        Stmt count(db_, is_short ? "SELECT count(*) FROM search_ngram WHERE gram=?"
                                 : "SELECT count(*) FROM activity_fts WHERE activity_fts MATCH ?");
        count.bind(1, is_short ? short_terms[0] : match);
        out.total = count.step() ? count.i32(0) : 0;
        if (out.total == 0 || limit == 0) return out;
        Stmt page(db_, is_short ? "SELECT activity_rowid FROM search_ngram WHERE gram=? "
                                  "ORDER BY activity_rowid LIMIT ? OFFSET ?"
                                : "SELECT rowid FROM activity_fts WHERE activity_fts MATCH ? "
                                  "ORDER BY rowid LIMIT ? OFFSET ?");
        page.bind(1, is_short ? short_terms[0] : match).bind(2, limit).bind(3, offset);
        for (std::int64_t rid : rids_of(page)) fetch(rid);
        return out;
    }

    if (!has_text) {
        // Browsing (filters or nothing): rid order is result order.
        Stmt count(db_, ("SELECT count(*) FROM activities a WHERE 1" + filter).c_str());
        for (std::size_t i = 0; i < binds.size(); ++i) count.bind(static_cast<int>(i + 1), binds[i]);
        out.total = count.step() ? count.i32(0) : 0;
        if (out.total == 0 || limit == 0) return out;
        Stmt page(db_, ("SELECT json FROM activities a WHERE 1" + filter + " ORDER BY a.rid LIMIT ? OFFSET ?").c_str());
        int i = 1;
        for (const auto& b : binds) page.bind(i++, b);
        page.bind(i, limit);
        page.bind(i + 1, offset);
        while (page.step()) out.items.push_back(activity_from_json(Json::parse(page.text(0))));
        return out;
    }

    // Several terms and/or filters: intersect the posting lists in memory (sorted rids),
    // rarest first, then check filters per candidate.
    std::vector<std::vector<std::int64_t>> lists;
    {
        Stmt gram(db_, "SELECT activity_rowid FROM search_ngram WHERE gram=? ORDER BY activity_rowid");
        for (const auto& t : short_terms) {
            gram.bind(1, t);
            lists.push_back(rids_of(gram));
            gram.reset();
            if (lists.back().empty()) return out;
        }
    }
    if (!match.empty()) {
        Stmt fts(db_, "SELECT rowid FROM activity_fts WHERE activity_fts MATCH ? ORDER BY rowid");
        fts.bind(1, match);
        lists.push_back(rids_of(fts));
        if (lists.back().empty()) return out;
    }
    std::sort(lists.begin(), lists.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
    std::vector<std::int64_t> rids = std::move(lists[0]);
    for (std::size_t i = 1; i < lists.size() && !rids.empty(); ++i) rids = intersect(rids, lists[i]);

    if (has_filter) {
        Stmt check(db_, ("SELECT 1 FROM activities a WHERE a.rid=?" + filter).c_str());
        std::vector<std::int64_t> kept;
        for (std::int64_t rid : rids) {
            check.bind(1, rid);
            for (std::size_t i = 0; i < binds.size(); ++i) check.bind(static_cast<int>(i + 2), binds[i]);
            if (check.step()) kept.push_back(rid);
            check.reset();
        }
        rids = std::move(kept);
    }
    out.total = static_cast<int>(rids.size());
    for (std::int64_t i = offset; i < offset + limit && i < static_cast<std::int64_t>(rids.size()); ++i)
        fetch(rids[static_cast<std::size_t>(i)]);
    return out;
}

std::optional<Activity> KioskStore::activity(const std::string& id) const {
    Stmt s(db_, "SELECT json FROM activities WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return activity_from_json(Json::parse(s.text(0)));
}

std::vector<Activity> KioskStore::activities_by_organization(const std::string& org_id) const {
    Stmt s(db_,
           "SELECT a.json FROM activity_organizers o JOIN activities a ON a.id=o.activity_id "
           "WHERE o.organization_id=? ORDER BY a.starts_at, a.title");
    s.bind(1, org_id);
    std::vector<Activity> out;
    while (s.step()) out.push_back(activity_from_json(Json::parse(s.text(0))));
    return out;
}

std::vector<Organization> KioskStore::organizations() const {
    // Japanese lists go in reading order: kana where the catalog gives it, else the name.
    Stmt s(db_,
           "SELECT json FROM organizations ORDER BY CASE WHEN kana<>'' THEN kana ELSE name END, id");
    std::vector<Organization> out;
    while (s.step()) out.push_back(organization_from_json(Json::parse(s.text(0))));
    return out;
}

std::optional<Organization> KioskStore::organization(const std::string& id) const {
    Stmt s(db_, "SELECT json FROM organizations WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return organization_from_json(Json::parse(s.text(0)));
}

std::vector<Centre> KioskStore::centres() const {
    Stmt s(db_, "SELECT json FROM centres");
    std::vector<Centre> out;
    while (s.step()) out.push_back(centre_from_json(Json::parse(s.text(0))));
    std::sort(out.begin(), out.end(), [](const Centre& a, const Centre& b) {
        const auto& ka = a.kana.empty() ? a.name : a.kana;
        const auto& kb = b.kana.empty() ? b.name : b.kana;
        return std::tie(ka, a.id) < std::tie(kb, b.id);
    });
    return out;
}

std::optional<Centre> KioskStore::centre(const std::string& id) const {
    Stmt s(db_, "SELECT json FROM centres WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return centre_from_json(Json::parse(s.text(0)));
}

std::vector<Survey> KioskStore::surveys() const {
    Stmt s(db_, "SELECT json FROM surveys ORDER BY id");
    std::vector<Survey> out;
    while (s.step()) out.push_back(survey_from_json(Json::parse(s.text(0))));
    return out;
}

std::optional<Survey> KioskStore::survey(const std::string& id) const {
    Stmt s(db_, "SELECT json FROM surveys WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return survey_from_json(Json::parse(s.text(0)));
}

// --- outbox ------------------------------------------------------------------------------

namespace {

constexpr const char* kEntryCols =
    "seq, json, state, attempts, last_error, result, reject_code, reject_message, "
    "signup_status, queued_ms, delivered_ms";

OutboxEntry read_entry(const Stmt& s) {
    OutboxEntry e;
    e.seq = s.i64(0);
    e.record = record_from_json(Json::parse(s.text(1)));
    const std::string state = s.text(2);
    e.state = state == "delivered" ? OutboxState::Delivered
              : state == "rejected" ? OutboxState::Rejected
                                    : OutboxState::Pending;
    e.attempts = s.i32(3);
    e.last_error = s.text(4);
    e.result = s.text(5);
    e.reject_code = s.text(6);
    e.reject_message = s.text(7);
    e.signup_status = s.text(8);
    e.queued_ms = s.i64(9);
    e.delivered_ms = s.i64(10);
    return e;
}

std::vector<OutboxEntry> read_entries(sqlite3* db, const std::string& sql, std::int64_t limit = -1) {
    Stmt s(db, sql.c_str());
    if (limit >= 0) s.bind(1, limit);
    std::vector<OutboxEntry> out;
    while (s.step()) out.push_back(read_entry(s));
    return out;
}

}  // namespace

Receipt KioskStore::enqueue(Record& r) {
    if (r.id.empty()) r.id = new_uuid_v7();
    if (r.created_at.empty()) r.created_at = rfc3339_now();
    if (!r.payload.is_object()) r.payload = Json::object();
    Receipt receipt;
    receipt.record_id = r.id;
    receipt.number = receipt_number(r.id);
    if (r.kind == RecordKind::SignUp) {
        // The check code proves at the event that this receipt is yours; it goes into the
        // payload before storing so the server (and roster) hold the same code.
        auto it = r.payload.find("check_code");
        if (it != r.payload.end() && it->is_string() && it->get<std::string>().size() == 4) {
            receipt.check_code = it->get<std::string>();
        } else {
            crypto_init();
            char code[8];
            std::snprintf(code, sizeof code, "%04u", randombytes_uniform(10000));
            receipt.check_code = code;
            r.payload["check_code"] = receipt.check_code;
        }
    }
    const std::string json = to_json(r).dump();
    Stmt s(db_,
           "INSERT INTO outbox(id, kind, json, state, queued_ms, bytes) VALUES(?,?,?,'pending',?,?)");
    s.bind(1, r.id).bind(2, to_code(r.kind)).bind(3, json).bind(4, now_millis());
    s.bind(5, static_cast<std::int64_t>(json.size()));
    // One statement in autocommit mode is one durable transaction.
    try {
        s.run();
    } catch (const StoreError& e) {
        if (e.sqlite_code == SQLITE_CONSTRAINT_UNIQUE)
            throw StoreError("record " + r.id + " is already in the outbox", e.sqlite_code);
        throw;
    }
    return receipt;
}

std::vector<OutboxEntry> KioskStore::pending(std::size_t max_count, std::size_t max_bytes) const {
    Stmt s(db_, (std::string("SELECT ") + kEntryCols +
                 ", bytes FROM outbox WHERE state='pending' ORDER BY seq LIMIT ?")
                    .c_str());
    s.bind(1, static_cast<std::int64_t>(std::max<std::size_t>(max_count, 1)));
    std::vector<OutboxEntry> out;
    std::size_t bytes = 0;
    while (s.step()) {
        const auto b = static_cast<std::size_t>(s.i64(11));
        // Always at least one, even if it alone is over the budget: otherwise one large
        // record would block the queue forever.
        if (!out.empty() && bytes + b > max_bytes) break;
        bytes += b;
        out.push_back(read_entry(s));
    }
    return out;
}

std::optional<OutboxEntry> KioskStore::outbox_entry(const std::string& record_id) const {
    Stmt s(db_, (std::string("SELECT ") + kEntryCols + " FROM outbox WHERE id=?").c_str());
    s.bind(1, record_id);
    if (!s.step()) return std::nullopt;
    return read_entry(s);
}

std::vector<OutboxEntry> KioskStore::rejected() const {
    return read_entries(db_, std::string("SELECT ") + kEntryCols +
                                 " FROM outbox WHERE state='rejected' ORDER BY seq");
}

std::vector<OutboxEntry> KioskStore::recent(std::size_t n) const {
    return read_entries(db_, std::string("SELECT ") + kEntryCols + " FROM outbox ORDER BY seq DESC LIMIT ?",
                        static_cast<std::int64_t>(n));
}

void KioskStore::apply_answers(const std::vector<Answer>& answers) {
    Tx tx(db_);
    Stmt ok(db_,
            "UPDATE outbox SET state='delivered', result=?, signup_status=?, delivered_ms=?, "
            "last_error='', reject_code='', reject_message='' WHERE id=?");
    Stmt bad(db_,
             "UPDATE outbox SET state='rejected', result=?, reject_code=?, reject_message=?, "
             "last_error='' WHERE id=?");
    const std::int64_t now = now_millis();
    for (const auto& a : answers) {
        if (a.result == "stored" || a.result == "duplicate") {
            ok.bind(1, a.result).bind(2, a.signup_status).bind(3, now).bind(4, a.id).run();
            ok.reset();
        } else if (a.result == "rejected" || a.result == "conflict") {
            bad.bind(1, a.result).bind(2, a.code.empty() ? a.result : a.code).bind(3, a.message);
            bad.bind(4, a.id).run();
            bad.reset();
        }
        // Any other result is not an answer we understand: the record stays pending and is
        // sent again, which the server's idempotency makes safe.
    }
    tx.commit();
}

void KioskStore::set_signup_status(const std::string& record_id, const std::string& status) {
    Stmt(db_, "UPDATE outbox SET signup_status=? WHERE id=?").bind(1, status).bind(2, record_id).run();
}

void KioskStore::note_attempt_failed(const std::vector<std::string>& ids, const std::string& error) {
    Tx tx(db_);
    Stmt s(db_, "UPDATE outbox SET attempts=attempts+1, last_error=? WHERE id=? AND state='pending'");
    for (const auto& id : ids) {
        s.bind(1, error).bind(2, id).run();
        s.reset();
    }
    tx.commit();
}

OutboxCounts KioskStore::counts() const {
    OutboxCounts c;
    Stmt s(db_, "SELECT kind, state, count(*) FROM outbox GROUP BY kind, state");
    while (s.step()) {
        const auto kind = record_kind_from_code(s.text(0));
        const std::string state = s.text(1);
        const int n = s.i32(2);
        OutboxCounts::PerKind* pk = kind ? &c.by_kind[static_cast<int>(*kind)] : nullptr;
        if (state == "pending") { c.pending += n; if (pk) pk->pending += n; }
        else if (state == "delivered") { c.delivered += n; if (pk) pk->delivered += n; }
        else if (state == "rejected") { c.rejected += n; if (pk) pk->rejected += n; }
    }
    Stmt oldest(db_, "SELECT min(queued_ms) FROM outbox WHERE state='pending'");
    if (oldest.step()) c.oldest_pending_ms = oldest.i64(0);
    return c;
}

int KioskStore::purge_delivered(std::int64_t older_than_ms) {
    Stmt s(db_, "DELETE FROM outbox WHERE state='delivered' AND delivered_ms<?");
    s.bind(1, older_than_ms).run();
    return sqlite3_changes(db_);
}

// --- settings ----------------------------------------------------------------------------

std::string KioskStore::setting(const std::string& key, const std::string& fallback) const {
    Stmt s(db_, "SELECT value FROM settings WHERE key=?");
    s.bind(1, key);
    return s.step() ? s.text(0) : fallback;
}

void KioskStore::set_setting(const std::string& key, const std::string& value) {
    Stmt(db_, "INSERT OR REPLACE INTO settings(key, value) VALUES(?,?)").bind(1, key).bind(2, value).run();
}

std::int64_t KioskStore::file_bytes() const {
    std::int64_t total = 0;
    for (const std::string& p : {path_, path_ + "-wal", path_ + "-shm"}) {
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0) total += st.st_size;
    }
    return total;
}

}  // namespace kyodo
