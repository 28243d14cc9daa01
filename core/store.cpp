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
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/migrations.h"
#include "core/ruby.h"
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
    sqlite3* db() const { return db_; }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    // The column's text, valid until the next step or reset.
    std::string_view view(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string_view();
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

// What search reads, one line per text: title, its reading, summary, description, place,
// organizer names, field tags (分野), and the readings of title, summary and description
// from the furigana (so kana finds kanji: まつり → 祭, ぼうさい → 防災). Readings that no
// longer annotate their text (edited since) are left out, as the kiosk leaves them undrawn.
std::string search_body(const Activity& a) {
    std::string body;
    auto line = [&](const std::string& text) {
        if (text.empty()) return;
        if (!body.empty()) body += '\n';
        body += utf8::fold_for_search(text);
    };
    line(a.title);
    line(a.kana);
    line(a.summary);
    line(a.description);
    line(a.place);
    for (const auto& n : a.organizer_names) line(n);
    for (const auto& f : a.fields) line(f);
    auto reading = [&](const std::string& plain, const std::string& annotated) {
        if (annotated.empty()) return;
        const auto segs = parse_ruby(annotated);
        if (ruby_plain(segs) == plain) line(ruby_reading(segs));
    };
    const Furigana fu = furigana_of(a);
    reading(a.title, fu.title);
    reading(a.summary, fu.summary);
    reading(a.description, fu.description);
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

// Filter facets are posting lists in search_ngram too, keyed "\x01" + a letter + ':' +
// value, so a filtered search joins them in rid order like text terms instead of reading
// each candidate's row. A text gram is at most 2 characters and never equals a key.
// Migration 2 builds the same keys in SQL: keep the two in step.
std::string facet_key(char what, std::string_view value) {
    std::string k = "\x01";
    k += what;
    k += ':';
    k += value;
    return k;
}

// An activity's facet keys, from its stored columns (kind, form, method, centre, fields,
// capacity, taken): what index_keys writes and what search checks in memory.
std::vector<std::string> facet_keys(std::string_view kind, std::string_view form, std::string_view method,
                                    std::string_view centre_id, const std::vector<std::string>& fields,
                                    std::int64_t capacity, std::int64_t taken) {
    std::vector<std::string> keys = {facet_key('k', kind), facet_key('f', form), facet_key('m', method)};
    if (!centre_id.empty()) keys.push_back(facet_key('c', centre_id));
    for (const auto& f : fields) keys.push_back(facet_key('d', f));
    // Places left to sign up for (capacity 0 takes no sign-ups). Migration 7 writes the same.
    if (capacity > taken) keys.push_back(facet_key('o', ""));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

// Everything search_ngram holds for one activity: its text grams and its facets.
std::vector<std::string> index_keys(const Activity& a) {
    std::vector<std::string> keys = grams_of(search_body(a));
    for (auto& k : facet_keys(to_code(a.kind), to_code(a.form), to_code(a.method), a.centre_id, a.fields,
                              a.capacity, a.taken))
        keys.push_back(std::move(k));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
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

// --- what search keeps in memory ---------------------------------------------------------

// Every activity's rid in ascending order (= result order), so that date ranges, "not
// ended" and "ended" find the next activity in memory instead of stepping through the
// activities table (whose rows hold the whole JSON: a few rows a page, read from disk).
// Date boundaries and the spans over a day are kept as they are asked for. All of it
// belongs to one state of the catalog: catalog_meta (version and when it was applied)
// changes with every catalog this or another connection applies.
struct KioskStore::SearchCache {
    explicit SearchCache(sqlite3* db)
        : begin(db, "BEGIN"),
          commit(db, "COMMIT"),
          data_version(db, "PRAGMA data_version"),
          stamp_sql(db, "SELECT coalesce(group_concat(key || '=' || value, ' '), '') FROM catalog_meta") {}
    Stmt begin, commit, data_version, stamp_sql;
    bool fresh = false;
    std::int64_t seen_data_version = -1;
    std::string stamp;
    std::vector<std::int64_t> rids;
    std::map<std::string, std::int64_t> first_rid;                  // first_rid_from(key)
    std::map<std::string, std::vector<std::int64_t>> spans;         // spans_over(day)
    // The activities that began before a day and still run on it (spans_over), with what
    // search matches: the indexed text and the facet keys. A kiosk's search always asks by
    // its today, and these sit among the ended ones in rid order: matching them here keeps
    // every posting list from seeking once per such activity.
    struct Running {
        std::int64_t rid;
        std::string body;                  // activity_fts's body, as indexed
        bool may_fold = false;             // fts_may_fold(body)
    };
    // Those activities in rid order, and for each key search_ngram holds for them (their
    // 1- and 2-character grams and facet keys, index_keys) the positions in `acts` that
    // hold it: a query's short terms and facets are an intersection of a few short lists,
    // not a substring test of every body.
    struct RunningSet {
        std::vector<Running> acts;
        std::unordered_map<std::string, std::vector<std::uint32_t>> by_key;
        std::vector<std::uint32_t> may_fold;   // the positions whose body FTS5 may fold
    };
    std::map<std::string, RunningSet> running;
    // Posting lists that hold a large share of the catalog (a kana, a common word, a kind,
    // open places) as bitmaps over the positions in `rids`, built on first use: checking a
    // candidate against one is a bit test, not a B-tree descent in search_ngram. At most
    // kMaxDenseLists of them (rids.size() / 8 bytes each).
    static constexpr std::size_t kMaxDenseLists = 128;
    std::map<std::string, std::shared_ptr<const std::vector<std::uint64_t>>> dense;
    // The statements a search prepares by the shape of its query (the join of its lists, the
    // page), kept prepared: preparing them cost a tenth of a search. Reset when given back
    // (Reused); dropped between searches once there are many.
    std::map<std::string, std::unique_ptr<Stmt>, std::less<>> statements;
    Stmt& statement(const std::string& sql) {
        auto& s = statements[sql];
        if (!s) s = std::make_unique<Stmt>(begin.db(), sql.c_str());
        return *s;
    }
};

namespace {
// A statement from SearchCache::statement, reset (bindings cleared) when done with.
class Reused {
public:
    explicit Reused(Stmt& s) : s_(s) {}
    ~Reused() { s_.reset(); }
    Reused(const Reused&) = delete;
    Reused& operator=(const Reused&) = delete;
    Stmt* operator->() { return &s_; }
    Stmt& operator*() { return s_; }

private:
    Stmt& s_;
};
}  // namespace

// --- open / migrate ----------------------------------------------------------------------

namespace {
void rebuild_activities(sqlite3* db, std::vector<Activity> acts);
std::vector<Activity> all_activities(sqlite3* db);
}  // namespace

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
            if (m.reindex_activities) rebuild_activities(db_, all_activities(db_));
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
    Stmt find(db, "SELECT rid, json FROM activities WHERE id=?");
    find.bind(1, id);
    if (!find.step()) return;
    const std::int64_t rid = find.i64(0);
    {
        // search_ngram is keyed (gram, rowid): recompute the keys to delete by key
        // instead of scanning the table for the rowid.
        Stmt del(db, "DELETE FROM search_ngram WHERE gram=? AND activity_rowid=?");
        for (const auto& g : index_keys(activity_from_json(Json::parse(find.text(1))))) {
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
        fts.bind(1, rid).bind(2, search_body(a)).run();
        fts.reset();
        grams = index_keys(a);
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

// Slots and items are kept out of the listing tables and the search index (table bookables).
void remove_bookable(sqlite3* db, const std::string& id) {
    Stmt(db, "DELETE FROM bookables WHERE id=?").bind(1, id).run();
}

void write_bookable(sqlite3* db, const Activity& a) {
    Stmt ins(db, "INSERT OR REPLACE INTO bookables(id, kind, centre_id, starts_at, version, json) VALUES(?,?,?,?,?,?)");
    ins.bind(1, a.id).bind(2, to_code(a.kind)).bind(3, a.centre_id).bind(4, a.starts_at).bind(5, a.version);
    ins.bind(6, to_json(a).dump()).run();
}

std::vector<Activity> all_activities(sqlite3* db) {
    Stmt s(db, "SELECT json FROM activities ORDER BY rid");
    std::vector<Activity> out;
    while (s.step()) out.push_back(activity_from_json(Json::parse(s.text(0))));
    return out;
}

}  // namespace

void KioskStore::apply_catalog(const CatalogDelta& delta) {
    if (search_cache_) search_cache_->fresh = false;
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
        exec(db_, "DELETE FROM bookables", "clearing the slots and items");
        for (const auto& [id, a] : by_id) {
            if (is_listing(a->kind)) acts.push_back(*a);
            else write_bookable(db_, *a);
        }
        rebuild_activities(db_, std::move(acts));
    } else {
        bool renumber = false;
        ActivityWriter w(db_);
        std::vector<std::string> grams;
        for (const auto& a : delta.activities) {
            // An entry may change kind between versions: it leaves the table it was in.
            remove_activity(db_, a.id);
            remove_bookable(db_, a.id);
            if (!is_listing(a.kind)) {
                write_bookable(db_, a);
                continue;
            }
            const std::int64_t rid = rid_between_neighbours(db_, a);
            renumber = renumber || rid == 0;
            const std::int64_t got = w.write(a, rid, grams);
            w.write_grams(got, grams);
        }
        for (const auto& id : delta.deleted_activities) {
            remove_activity(db_, id);
            remove_bookable(db_, id);
        }
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

namespace detail {
JoinPlan search_join_plan = JoinPlan::Leapfrog;
}

namespace {

std::vector<std::int64_t> rids_of(Stmt& s) {
    std::vector<std::int64_t> out;
    while (s.step()) out.push_back(s.i64(0));
    return out;
}

// SQL for one posting list in rid order from a lower bound (?1 the key, ?2 the first rid),
// a point probe (?1 key, ?2 rid), and a capped count (?1 key, ?2 cap).
struct ListSql { const char* from; const char* probe; const char* count; };
constexpr ListSql kGramSql = {
    "SELECT activity_rowid FROM search_ngram WHERE gram=?1 AND activity_rowid>=?2 "
    "ORDER BY activity_rowid",
    "SELECT 1 FROM search_ngram WHERE gram=?1 AND activity_rowid=?2",
    "SELECT count(*) FROM (SELECT 1 FROM search_ngram WHERE gram=?1 LIMIT ?2)"};
constexpr ListSql kFtsSql = {
    "SELECT rowid FROM activity_fts WHERE activity_fts MATCH ?1 AND rowid>=?2 ORDER BY rowid",
    "SELECT 1 FROM activity_fts WHERE activity_fts MATCH ?1 AND rowid=?2",
    "SELECT count(*) FROM (SELECT 1 FROM activity_fts WHERE activity_fts MATCH ?1 LIMIT ?2)"};

// A list of rids in ascending order (= result order) that can skip ahead.
class RidList {
public:
    virtual ~RidList() = default;
    // Positions on the first rid >= target; false when the list holds none. Targets never
    // go down between calls.
    virtual bool seek(std::int64_t target) = 0;
    virtual std::int64_t rid() const = 0;
};

// One posting list read in rid order (= result order) that can skip ahead. The next few
// rids are cheapest by stepping; a far jump re-runs the query from the target rid, which
// is one index seek (a B-tree descent in search_ngram, a doclist seek in FTS5). FTS5
// re-parses its MATCH expression on every re-run, so it steps further before seeking.
class Postings : public RidList {
public:
    Postings(sqlite3* db, const ListSql& sql, std::string key, int step_budget)
        : s_(db, sql.from), key_(std::move(key)), budget_(step_budget) {}
    bool seek(std::int64_t target) override {
        if (done_) return false;
        if (started_) {
            for (int i = 0; i < budget_ && cur_ < target; ++i)
                if (!next()) return false;
            if (cur_ >= target) return true;
            s_.reset();
        }
        started_ = true;
        s_.bind(1, key_).bind(2, target);
        return next();
    }
    std::int64_t rid() const override { return cur_; }

private:
    bool next() {
        if (!s_.step()) {
            done_ = true;
            return false;
        }
        cur_ = s_.i64(0);
        return true;
    }
    Stmt s_;
    std::string key_;
    int budget_;
    bool started_ = false, done_ = false;
    std::int64_t cur_ = 0;
};

constexpr std::int64_t kNoRid = std::numeric_limits<std::int64_t>::max();

// The rid of the first activity (in result order) whose starts_at is >= `from`, or kNoRid.
std::int64_t first_rid_from(sqlite3* db, const std::string& from) {
    Stmt s(db, "SELECT rid FROM activities WHERE starts_at>=? ORDER BY starts_at, title, id LIMIT 1");
    s.bind(1, from);
    return s.step() ? s.i64(0) : kNoRid;
}

// The first activity's rid >= t, or kNoRid.
std::int64_t next_rid(const std::vector<std::int64_t>& rids, std::int64_t t) {
    const auto it = std::lower_bound(rids.begin(), rids.end(), t);
    return it == rids.end() ? kNoRid : *it;
}

// Multi-day activities that began before `day` and still run on it (their last day is
// `day` or later), in rid order. The expressions match the partial index activities_span.
std::vector<std::int64_t> spans_over(sqlite3* db, const std::string& day) {
    Stmt s(db,
           "SELECT rid FROM activities WHERE starts_at <> '' AND substr(ends_at,1,10) > substr(starts_at,1,10) "
           "AND substr(ends_at,1,10) >= ?1 AND starts_at < ?1");
    s.bind(1, day);
    std::vector<std::int64_t> out;
    while (s.step()) out.push_back(s.i64(0));
    std::sort(out.begin(), out.end());
    return out;
}

// first_rid_from and spans_over, kept for the catalog the cache belongs to.
std::int64_t first_rid_cached(sqlite3* db, std::map<std::string, std::int64_t>& memo, const std::string& from) {
    const auto it = memo.find(from);
    if (it != memo.end()) return it->second;
    if (memo.size() > 256) memo.clear();   // a long-running kiosk asks for a new day each day
    return memo[from] = first_rid_from(db, from);
}
const std::vector<std::int64_t>& spans_cached(sqlite3* db, std::map<std::string, std::vector<std::int64_t>>& memo,
                                              const std::string& day) {
    const auto it = memo.find(day);
    if (it != memo.end()) return it->second;
    if (memo.size() > 64) memo.clear();
    return memo[day] = spans_over(db, day);
}

// Activities on some day in [from, to] (either end open when empty; an activity counts on
// every day from its start to its last day), plus the undated ones when asked. rids being
// in starts_at order, that is: undated ones first, then the ones that began before `from`
// and still run (spans_over), then one contiguous rid range [lo, hi). Read in memory
// (KioskStore::SearchCache).
class DateList : public RidList {
public:
    // with_spans false: leave out the spans that began before `from` (the caller matches
    // them itself, see running_over).
    DateList(sqlite3* db, KioskStore::SearchCache& c, const std::string& from, const std::string& to, bool undated,
             bool with_spans = true)
        : rids_(c.rids) {
        dated_ = first_rid_cached(db, c.first_rid, "\x01");   // every non-empty starts_at
        with_undated_ = undated;
        lo_ = from.empty() ? dated_ : first_rid_cached(db, c.first_rid, from);
        // "YYYY-MM-DD\x7f" sorts after every time of that day.
        hi_ = to.empty() ? kNoRid : first_rid_cached(db, c.first_rid, to.substr(0, 10) + "\x7f");
        if (!from.empty() && with_spans) {
            const auto& over = spans_cached(db, c.spans, from.substr(0, 10));
            // A span must also begin by `to` (an inverted range, to < from, holds nothing).
            spans_.assign(over.begin(), std::lower_bound(over.begin(), over.end(), hi_));
        }
    }
    bool seek(std::int64_t t) override {
        std::int64_t best = kNoRid;
        if (with_undated_ && t < dated_) {
            const std::int64_t r = next_rid(rids_, t);
            if (r < dated_) best = r;
        }
        const auto it = std::lower_bound(spans_.begin(), spans_.end(), t);
        if (it != spans_.end()) best = std::min(best, *it);
        const std::int64_t t2 = std::max(t, lo_);
        if (t2 < hi_ && t2 < best) {
            const std::int64_t r = next_rid(rids_, t2);
            if (r < hi_) best = std::min(best, r);
        }
        cur_ = best;
        return best != kNoRid;
    }
    std::int64_t rid() const override { return cur_; }
    bool holds(std::int64_t r) { return seek(r) && cur_ == r; }
    std::int64_t first_dated() const { return dated_; }

private:
    const std::vector<std::int64_t>& rids_;
    std::vector<std::int64_t> spans_;
    std::int64_t dated_ = kNoRid, lo_ = kNoRid, hi_ = kNoRid, cur_ = 0;
    bool with_undated_ = false;
};

// Activities that ended before `today`: dated ones that began before it, except the
// multi-day ones still running.
class EndedList : public RidList {
public:
    EndedList(sqlite3* db, KioskStore::SearchCache& c, const std::string& today)
        : rids_(c.rids), running_(spans_cached(db, c.spans, today)) {
        lo_ = first_rid_cached(db, c.first_rid, "\x01");
        hi_ = first_rid_cached(db, c.first_rid, today);
    }
    bool seek(std::int64_t t) override {
        for (std::int64_t t2 = std::max(t, lo_); t2 < hi_;) {
            cur_ = next_rid(rids_, t2);
            if (cur_ >= hi_) return false;
            if (!std::binary_search(running_.begin(), running_.end(), cur_)) return true;
            t2 = cur_ + 1;
        }
        return false;
    }
    std::int64_t rid() const override { return cur_; }

private:
    const std::vector<std::int64_t>& rids_;
    const std::vector<std::int64_t> running_;
    std::int64_t lo_ = kNoRid, hi_ = kNoRid, cur_ = 0;
};

// True when FTS5's case folding (the trigram tokenizer folds case beyond ASCII) could make
// it match where a plain substring test does not: any character outside ASCII lower case,
// digits and signs, kana and CJK. Text folded for search is almost always safe; when not,
// search asks FTS5 itself.
bool fts_may_fold(std::string_view text) {
    for (const char32_t c : utf8::decode(text)) {
        if (c < 0x80) {
            if (c >= U'A' && c <= U'Z') return true;
        } else if (!((c >= 0x3000 && c < 0xA000) || (c >= 0xAC00 && c < 0xD7A4) || (c >= 0xF900 && c < 0xFB00))) {
            return true;
        }
    }
    return false;
}

const KioskStore::SearchCache::RunningSet& running_over(sqlite3* db, KioskStore::SearchCache& c,
                                                       const std::string& day) {
    const auto it = c.running.find(day);
    if (it != c.running.end()) return it->second;
    if (c.running.size() > 8) c.running.clear();
    KioskStore::SearchCache::RunningSet out;
    Stmt body(db, "SELECT body FROM activity_fts WHERE rowid=?");
    Stmt row(db, "SELECT kind, form, method, centre_id, capacity, taken, id FROM activities WHERE rid=?");
    Stmt fields(db, "SELECT field FROM activity_fields WHERE activity_id=?");
    for (std::int64_t rid : spans_cached(db, c.spans, day)) {
        const auto at = static_cast<std::uint32_t>(out.acts.size());
        KioskStore::SearchCache::Running r{rid, {}, false};
        body.bind(1, rid);
        if (body.step()) r.body = body.text(0);
        body.reset();
        r.may_fold = fts_may_fold(r.body);
        if (r.may_fold) out.may_fold.push_back(at);
        // The same keys index_keys writes to search_ngram for this activity.
        for (auto& g : grams_of(r.body)) out.by_key[std::move(g)].push_back(at);
        row.bind(1, rid);
        if (row.step()) {
            std::vector<std::string> fs;
            fields.bind(1, row.text(6));
            while (fields.step()) fs.push_back(fields.text(0));
            fields.reset();
            for (auto& k : facet_keys(row.text(0), row.text(1), row.text(2), row.text(3), fs, row.i64(4), row.i64(5)))
                out.by_key[std::move(k)].push_back(at);
        }
        row.reset();
        out.acts.push_back(std::move(r));
    }
    return c.running[day] = std::move(out);
}

// A posting list as a bitmap over the positions in SearchCache::rids (see
// SearchCache::dense), kept while the catalog stays the same.
std::shared_ptr<const std::vector<std::uint64_t>> dense_list(sqlite3* db, KioskStore::SearchCache& c,
                                                             const std::string& key) {
    const auto it = c.dense.find(key);
    if (it != c.dense.end()) return it->second;
    if (c.dense.size() >= KioskStore::SearchCache::kMaxDenseLists) c.dense.clear();
    auto bits = std::make_shared<std::vector<std::uint64_t>>((c.rids.size() + 63) / 64);
    Stmt s(db, "SELECT activity_rowid FROM search_ngram WHERE gram=?1 ORDER BY activity_rowid");
    s.bind(1, key);
    auto from = c.rids.begin();
    while (s.step()) {
        from = std::lower_bound(from, c.rids.end(), s.i64(0));
        if (from == c.rids.end()) break;
        if (*from != s.i64(0)) continue;
        const auto pos = static_cast<std::size_t>(from - c.rids.begin());
        (*bits)[pos / 64] |= std::uint64_t(1) << (pos % 64);
    }
    c.dense[key] = bits;
    return bits;
}

// A text term: a 1–2 character gram or the MATCH of all 3+ character terms.
struct Term {
    const ListSql* sql;
    std::string key;
};

// Which part of the catalog a search reads, by the query's today.
enum class Part { All, NotEnded, Ended };

}  // namespace

KioskStore::SearchCache& KioskStore::search_cache() const {
    if (!search_cache_) search_cache_ = std::make_unique<SearchCache>(db_);
    SearchCache& c = *search_cache_;
    // data_version moves when another connection (the sync worker) committed anything;
    // this connection's own catalog changes clear `fresh` (apply_catalog).
    if (c.statements.size() > 64) c.statements.clear();   // no search holds one now
    const std::int64_t version = c.data_version.step() ? c.data_version.i64(0) : -1;
    c.data_version.reset();
    if (c.fresh && version == c.seen_data_version) return c;
    c.seen_data_version = version;
    const std::string stamp = c.stamp_sql.step() ? c.stamp_sql.text(0) : std::string();
    c.stamp_sql.reset();
    if (c.fresh && stamp == c.stamp) return c;
    // The order index covers rid: reading it touches no activity row.
    Stmt all(db_, "SELECT rid FROM activities INDEXED BY activities_order");
    c.rids.clear();
    while (all.step()) c.rids.push_back(all.i64(0));
    std::sort(c.rids.begin(), c.rids.end());
    c.first_rid.clear();
    c.spans.clear();
    c.running.clear();
    c.dense.clear();
    c.stamp = stamp;
    c.fresh = true;
    return c;
}

namespace {

// One read transaction for a whole search: every list, count and page sees one catalog,
// the one the cache was checked against, even while the sync worker commits a new one.
class ReadTx {
public:
    ReadTx(sqlite3* db, Stmt& begin, Stmt& commit) : commit_(commit) {
        if (!sqlite3_get_autocommit(db)) return;   // inside the caller's transaction
        begin.step();
        begin.reset();
        active_ = true;
    }
    ~ReadTx() {
        if (!active_) return;
        try {
            commit_.step();
        } catch (...) {
        }
        commit_.reset();
    }
    ReadTx(const ReadTx&) = delete;
    ReadTx& operator=(const ReadTx&) = delete;

private:
    Stmt& commit_;
    bool active_ = false;
};

}  // namespace

SearchResult KioskStore::search(const SearchQuery& q) const {
    if (!search_cache_) search_cache_ = std::make_unique<SearchCache>(db_);
    ReadTx tx(db_, search_cache_->begin, search_cache_->commit);
    if (q.today.empty()) return search_part(q, static_cast<int>(Part::All));
    if (!q.ended_last) return search_part(q, static_cast<int>(Part::NotEnded));
    // Activities that have not ended, then the ended ones: two searches stitched so that
    // paging and the capped total run across both.
    const SearchResult a = search_part(q, static_cast<int>(Part::NotEnded));
    if (a.total_capped) return a;
    const std::int64_t limit = std::max(0, q.limit), offset = std::max(0, q.offset);
    SearchQuery b = q;
    b.offset = static_cast<int>(std::max<std::int64_t>(0, offset - a.total));
    b.limit = static_cast<int>(std::max<std::int64_t>(0, limit - static_cast<std::int64_t>(a.items.size())));
    if (q.count_cap > 0) {
        const std::int64_t cap = std::max<std::int64_t>(q.count_cap, offset + limit);
        b.count_cap = static_cast<int>(std::max<std::int64_t>(1, cap - a.total));
    }
    SearchResult r = search_part(b, static_cast<int>(Part::Ended));
    SearchResult out = a;
    for (auto& x : r.items) out.items.push_back(std::move(x));
    if (q.count_cap > 0 && b.count_cap == 1 && a.total >= std::max<std::int64_t>(q.count_cap, offset + limit)) {
        // The first part alone filled the cap: anything ended makes the total "more than".
        out.total_capped = r.total > 0;
        return out;
    }
    out.total = a.total + r.total;
    out.total_capped = r.total_capped;
    return out;
}

SearchResult KioskStore::search_part(const SearchQuery& q, int part_code) const {
    const Part part = static_cast<Part>(part_code);
    // Text: every whitespace-separated term must occur (AND). Terms of 3+ characters go to
    // the trigram index in one MATCH; shorter ones each to search_ngram. Because rids are
    // in result order, every posting list is already sorted for display.
    std::vector<Term> terms;
    std::string match;
    std::vector<std::string> long_terms;   // the 3+ character terms, each as folded
    for (const auto& term : runs(utf8::decode(utf8::fold_for_search(q.text)))) {
        const std::string t = utf8::encode(term);
        if (term.size() >= 3) {
            long_terms.push_back(t);
            std::string quoted = "\"";
            for (char c : t) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
            quoted += '"';
            match += (match.empty() ? "" : " AND ") + quoted;
        } else if (std::none_of(terms.begin(), terms.end(), [&](const Term& x) { return x.key == t; })) {
            terms.push_back({&kGramSql, t});
        }
    }
    // Filters with a fixed value are facet lists joined like terms (see facet_key); only
    // dates and open places are checked per candidate row.
    if (q.kind) terms.push_back({&kGramSql, facet_key('k', to_code(*q.kind))});
    if (q.form) terms.push_back({&kGramSql, facet_key('f', to_code(*q.form))});
    if (q.method) terms.push_back({&kGramSql, facet_key('m', to_code(*q.method))});
    if (!q.centre_id.empty()) terms.push_back({&kGramSql, facet_key('c', q.centre_id)});
    if (!q.field.empty()) terms.push_back({&kGramSql, facet_key('d', q.field)});
    if (q.only_open_places) terms.push_back({&kGramSql, facet_key('o', "")});
    // Likely rarest first, which sets the pace of the leapfrog join below: the trigram
    // MATCH, bigrams, a centre, a field, single characters, then method, form and kind.
    auto rarity = [](const Term& t) {
        if (t.key.size() >= 3 && t.key[0] == '\x01') {
            switch (t.key[1]) {
                case 'c': return 2;
                case 'd': return 3;
                case 'm': return 5;
                case 'f': return 6;
                default: return 7;
            }
        }
        return utf8::decode(t.key).size() == 2 ? 1 : 4;
    };
    std::stable_sort(terms.begin(), terms.end(),
                     [&](const Term& x, const Term& y) { return rarity(x) < rarity(y); });
    if (!match.empty()) terms.insert(terms.begin(), Term{&kFtsSql, match});

    // Dates and "ended" are rid lists joined like terms under the default plan (DateList,
    // EndedList); the other plans (and the differential test) check them per row in SQL,
    // which is the definition: an activity runs from its start day to its last day, the
    // later of its start and end days.
    const bool date_lists = detail::search_join_plan == detail::JoinPlan::Leapfrog &&
                            (!q.date_from.empty() || !q.date_to.empty() || part != Part::All);
    std::string filter;
    std::vector<std::string> binds;
    static constexpr const char* kLastDay = "max(substr(a.starts_at,1,10), substr(a.ends_at,1,10))";
    if (!date_lists) {
        // A span [start, last day] overlapping the range matches (a month-long exhibition
        // still shows for a day inside it). Undated ones do not.
        if (!q.date_from.empty()) {
            filter += std::string(" AND a.starts_at<>'' AND ") + kLastDay + ">=?";
            binds.push_back(q.date_from.substr(0, 10));
        }
        if (!q.date_to.empty()) {
            filter += " AND a.starts_at<>'' AND substr(a.starts_at,1,10)<=?";
            binds.push_back(q.date_to.substr(0, 10));
        }
        if (part == Part::NotEnded) {
            filter += std::string(" AND (a.starts_at='' OR ") + kLastDay + ">=?)";
            binds.push_back(q.today.substr(0, 10));
        } else if (part == Part::Ended) {
            filter += std::string(" AND a.starts_at<>'' AND ") + kLastDay + "<?";
            binds.push_back(q.today.substr(0, 10));
        }
    }
    const bool has_filter = !filter.empty();

    SearchResult out;
    const std::int64_t limit = std::max(0, q.limit), offset = std::max(0, q.offset);
    // Counting stops after `cap` matches; the cap never cuts the page being shown, so a
    // page past the cap still reads "at least offset+limit".
    const std::int64_t cap = q.count_cap > 0 ? std::max<std::int64_t>(q.count_cap, offset + limit)
                                             : std::numeric_limits<std::int64_t>::max() - 1;
    auto set_total = [&](std::int64_t found) {
        out.total_capped = found > cap;
        out.total = static_cast<int>(std::min(found, cap));
    };

    if (terms.empty() && !date_lists) {
        // Browsing (filters or nothing): rid order is result order.
        Stmt count(db_, ("SELECT count(*) FROM (SELECT 1 FROM activities a WHERE 1" + filter + " LIMIT ?)").c_str());
        int i = 1;
        for (const auto& b : binds) count.bind(i++, b);
        count.bind(i, cap + 1);
        set_total(count.step() ? count.i64(0) : 0);
        if (out.total == 0 || limit == 0) return out;
        Stmt page(db_, ("SELECT json FROM activities a WHERE 1" + filter + " ORDER BY a.rid LIMIT ? OFFSET ?").c_str());
        i = 1;
        for (const auto& b : binds) page.bind(i++, b);
        page.bind(i, limit);
        page.bind(i + 1, offset);
        while (page.step()) out.items.push_back(activity_from_json(Json::parse(page.text(0))));
        return out;
    }

    if (terms.size() == 1 && !has_filter && !date_lists) {
        // One list, nothing to check per row (the common kiosk case): count inside SQLite,
        // which stops at the cap, then read only the page.
        Stmt count(db_, terms[0].sql->count);
        count.bind(1, terms[0].key).bind(2, cap + 1);
        set_total(count.step() ? count.i64(0) : 0);
        if (out.total == 0 || limit == 0) return out;
        Stmt rids(db_, (std::string(terms[0].sql->from) + " LIMIT ?3 OFFSET ?4").c_str());
        rids.bind(1, terms[0].key).bind(2, std::int64_t(0)).bind(3, limit).bind(4, offset);
        Stmt by_rid(db_, "SELECT json FROM activities WHERE rid=?");
        while (rids.step()) {
            by_rid.bind(1, rids.i64(0));
            if (by_rid.step()) out.items.push_back(activity_from_json(Json::parse(by_rid.text(0))));
            by_rid.reset();
        }
        return out;
    }

    std::optional<Stmt> check;
    if (has_filter) check.emplace(db_, ("SELECT 1 FROM activities a WHERE a.rid=?1" + filter).c_str());
    auto passes_filter = [&](std::int64_t rid) {
        if (!check) return true;
        check->bind(1, rid);
        for (std::size_t i = 0; i < binds.size(); ++i) check->bind(static_cast<int>(i + 2), binds[i]);
        const bool ok = check->step();
        check->reset();
        return ok;
    };
    // Matches arrive in result order; the page is the ones numbered (offset, offset+limit].
    std::int64_t found = 0;
    std::vector<std::int64_t> page;
    auto take = [&](std::int64_t rid) {   // false once the page is full and the count capped
        if (!passes_filter(rid)) return true;
        ++found;
        if (found > offset && found <= offset + limit) page.push_back(rid);
        return found <= cap;
    };

    if (detail::search_join_plan == detail::JoinPlan::Leapfrog) {
        // Leapfrog join: each list in turn skips to the highest rid seen so far; a rid every
        // list reaches is a match. Work is bounded by the rarest list, and reading stops as
        // soon as the page is full and the count reached its cap.
        SearchCache& cache = search_cache();
        const bool dated = !q.date_from.empty() || !q.date_to.empty();
        // Text and facets without a date range are joined per part of the catalog
        // (join_range below); only the other searches read every list in step here.
        const bool by_parts = !terms.empty() && !dated && part != Part::Ended;
        std::vector<std::unique_ptr<RidList>> lists;
        if (!by_parts)
            for (const auto& t : terms)
                lists.push_back(std::make_unique<Postings>(db_, *t.sql, t.key, t.sql == &kFtsSql ? 64 : 8));
        // A date range is often rarer than any term (today, one day on the calendar): it
        // goes first; "not ended" is most of the catalog: last.
        if (dated) lists.insert(lists.begin(), std::make_unique<DateList>(db_, cache, q.date_from, q.date_to, false));
        // Not ended: the undated ones, the ones that began before today and still run, and
        // everything from today on. The middle part is matched in memory (running_over)
        // between the other two, in its place in rid order.
        std::int64_t running_from = kNoRid;
        if (part == Part::NotEnded) {
            auto not_ended = std::make_unique<DateList>(db_, cache, q.today, "", true, false);
            running_from = not_ended->first_dated();
            lists.push_back(std::move(not_ended));
        }
        if (part == Part::Ended) lists.push_back(std::make_unique<EndedList>(db_, cache, q.today));
        std::optional<DateList> in_dates;
        if (dated) in_dates.emplace(db_, cache, q.date_from, q.date_to, false);
        std::optional<Stmt> fts_probe;
        std::vector<bool> long_may_fold;
        for (const auto& t : long_terms) long_may_fold.push_back(fts_may_fold(t));
        auto take_running = [&] {   // false once the page is full and the count capped
            const auto& set = running_over(db_, cache, q.today.substr(0, 10));
            // The ones holding every short term and facet: an intersection of their lists.
            std::vector<std::uint32_t> hold;
            bool any_key = false;
            auto narrow = [&](const std::vector<std::uint32_t>& list) {
                if (!any_key) {
                    hold = list;
                    any_key = true;
                    return;
                }
                std::vector<std::uint32_t> both;
                std::set_intersection(hold.begin(), hold.end(), list.begin(), list.end(), std::back_inserter(both));
                hold = std::move(both);
            };
            static const std::vector<std::uint32_t> kNone;
            for (const auto& t : terms) {
                if (t.sql == &kFtsSql) continue;
                const auto it = set.by_key.find(t.key);
                narrow(it == set.by_key.end() ? kNone : it->second);
                if (hold.empty()) return true;
            }
            // A 3+ character term is a substring only where every 2-character gram of it is
            // a key: the substring test below runs on those alone (and on the bodies FTS5 may
            // fold, which it asks FTS5 about). A term FTS5 may fold is tested everywhere.
            for (std::size_t k = 0; k < long_terms.size(); ++k) {
                if (long_may_fold[k]) continue;
                const std::u32string w = utf8::decode(long_terms[k]);
                std::vector<std::uint32_t> grams_held;
                bool first = true;
                for (std::size_t i = 0; i + 1 < w.size() && (first || !grams_held.empty()); ++i) {
                    const auto it = set.by_key.find(utf8::encode(w.substr(i, 2)));
                    const auto& list = it == set.by_key.end() ? kNone : it->second;
                    if (first) {
                        grams_held = list;
                        first = false;
                        continue;
                    }
                    std::vector<std::uint32_t> both;
                    std::set_intersection(grams_held.begin(), grams_held.end(), list.begin(), list.end(),
                                          std::back_inserter(both));
                    grams_held = std::move(both);
                }
                std::vector<std::uint32_t> could;
                std::set_union(grams_held.begin(), grams_held.end(), set.may_fold.begin(), set.may_fold.end(),
                               std::back_inserter(could));
                narrow(could);
                if (hold.empty()) return true;
            }
            if (!any_key) {
                hold.resize(set.acts.size());
                for (std::size_t k = 0; k < hold.size(); ++k) hold[k] = static_cast<std::uint32_t>(k);
            }
            for (const std::uint32_t at : hold) {
                const auto& r = set.acts[at];
                bool ok = !in_dates || in_dates->holds(r.rid);
                for (std::size_t k = 0; ok && k < long_terms.size(); ++k) {
                    ok = r.body.find(long_terms[k]) != std::string::npos;
                    if (!ok && (long_may_fold[k] || r.may_fold)) {
                        if (!fts_probe) fts_probe.emplace(db_, kFtsSql.probe);
                        fts_probe->bind(1, "\"" + [&] {
                            std::string e;
                            for (char ch : long_terms[k]) e += ch == '"' ? std::string("\"\"") : std::string(1, ch);
                            return e;
                        }() + "\"").bind(2, r.rid);
                        ok = fts_probe->step();
                        fts_probe->reset();
                    }
                }
                if (ok && !take(r.rid)) return false;
            }
            return true;
        };
        // Text and facets without a date range: each contiguous part of the catalog ([0, ∞)
        // without today; the undated ones and everything from today on with it) is one SQL
        // statement, driven by its sparsest list with the others as index probes, all inside
        // SQLite: no statement re-run per skip as in the leapfrog below.
        auto leapfrog_range = [&](std::int64_t lo, std::int64_t hi) {   // false once capped
            std::vector<std::unique_ptr<RidList>> ls;
            for (const auto& t : terms)
                ls.push_back(std::make_unique<Postings>(db_, *t.sql, t.key, t.sql == &kFtsSql ? 64 : 8));
            std::int64_t y = lo;
            std::size_t together = 0, k = 0;
            while (ls[k]->seek(y) && ls[k]->rid() < hi) {
                if (ls[k]->rid() == y && together > 0) {
                    ++together;
                } else {
                    y = ls[k]->rid();
                    together = 1;
                }
                if (together == ls.size()) {
                    if (!take(y)) return false;
                    ++y;
                    together = 0;
                }
                k = (k + 1) % ls.size();
            }
            return true;
        };
        auto join_range = [&](std::int64_t lo, std::int64_t hi) {   // false once capped
            if (lo >= hi || next_rid(cache.rids, lo) >= hi) return true;   // no activity there
            std::vector<std::size_t> order(terms.size());
            for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
            const bool fts = terms[0].sql == &kFtsSql;   // the MATCH drives when there is one
            // A list holding at least one in kDenseShare of the activities where this range
            // begins is checked in memory (dense_list), not probed in SQL.
            constexpr std::int64_t kDenseShare = 32;
            std::vector<std::shared_ptr<const std::vector<std::uint64_t>>> bits(terms.size());
            if (terms.size() > 1) {
                // How far each list's next 64 entries reach (a few µs a list): the sparsest
                // drives, and how densely a list covers the activities from `lo` on.
                Reused reach(cache.statement(
                    "SELECT activity_rowid FROM search_ngram WHERE gram=?1 AND activity_rowid>=?2 "
                    "AND activity_rowid<?3 ORDER BY activity_rowid LIMIT 1 OFFSET 63"));
                std::vector<std::int64_t> gap(terms.size(), kNoRid);
                for (std::size_t k = 0; k < terms.size(); ++k) {
                    if (terms[k].sql == &kFtsSql) continue;
                    reach->bind(1, terms[k].key).bind(2, lo).bind(3, hi);
                    gap[k] = reach->step() ? reach->i64(0) - lo : kNoRid;
                    reach->reset();
                }
                if (!fts)
                    std::stable_sort(order.begin(), order.end(),
                                     [&](std::size_t a, std::size_t b) { return gap[a] > gap[b]; });
                const auto lo_at = std::lower_bound(cache.rids.begin(), cache.rids.end(), lo);
                for (std::size_t j = 1; j < order.size(); ++j) {
                    const std::size_t k = order[j];
                    if (gap[k] == kNoRid) continue;
                    const auto reach_at = std::lower_bound(lo_at, cache.rids.end(), lo + gap[k]);
                    if (cache.dense.count(terms[k].key) || reach_at - lo_at <= 64 * kDenseShare)
                        bits[k] = dense_list(db_, cache, terms[k].key);
                }
                // Two sparse lists about as sparse (uncorrelated words): reading both in step
                // (the leapfrog) beats probing one for every entry of the other.
                if (!fts)
                    for (std::size_t j = 1; j < order.size(); ++j) {
                        if (bits[order[j]]) continue;
                        if (gap[order[j]] >= gap[order[0]] / 4) return leapfrog_range(lo, hi);
                        break;
                    }
            }
            const char* rid_col = fts ? "activity_fts.rowid" : "d.activity_rowid";
            std::string sql = fts ? "SELECT rowid FROM activity_fts WHERE activity_fts MATCH ?1 AND rowid>=?2 AND rowid<?3"
                                  : "SELECT d.activity_rowid FROM search_ngram d WHERE d.gram=?1 "
                                    "AND d.activity_rowid>=?2 AND d.activity_rowid<?3";
            std::vector<std::size_t> probed;   // the other lists probed in SQL, sparsest first
            std::vector<const std::vector<std::uint64_t>*> in_memory;
            for (std::size_t j = 1; j < order.size(); ++j) {
                if (bits[order[j]]) {
                    in_memory.push_back(bits[order[j]].get());
                    continue;
                }
                probed.push_back(order[j]);
                sql += " AND EXISTS(SELECT 1 FROM search_ngram e WHERE e.gram=?" + std::to_string(probed.size() + 3) +
                       " AND e.activity_rowid=" + rid_col + ")";
            }
            sql += fts ? " ORDER BY rowid" : " ORDER BY d.activity_rowid";
            Reused join(cache.statement(sql));
            join->bind(1, terms[order[0]].key).bind(2, lo).bind(3, hi);
            for (std::size_t j = 0; j < probed.size(); ++j) join->bind(static_cast<int>(j + 4), terms[probed[j]].key);
            auto at = cache.rids.begin();
            while (join->step()) {
                const std::int64_t rid = join->i64(0);
                if (!in_memory.empty()) {
                    at = std::lower_bound(at, cache.rids.end(), rid);
                    if (at == cache.rids.end()) break;
                    if (*at != rid) continue;
                    const auto pos = static_cast<std::size_t>(at - cache.rids.begin());
                    const std::uint64_t bit = std::uint64_t(1) << (pos % 64);
                    if (!std::all_of(in_memory.begin(), in_memory.end(),
                                     [&](const std::vector<std::uint64_t>* b) { return ((*b)[pos / 64] & bit) != 0; }))
                        continue;
                }
                if (!take(rid)) return false;
            }
            return true;
        };
        if (by_parts) {
            if (part == Part::All) {
                join_range(0, kNoRid);
            } else if (join_range(0, running_from) && take_running()) {
                join_range(first_rid_cached(db_, cache.first_rid, q.today), kNoRid);
            }
            lists.clear();
        }
        bool running_done = part != Part::NotEnded || lists.empty(), stopped = false;
        const std::size_t n = lists.size();
        std::int64_t x = 0;
        std::size_t agree = 0, i = 0;
        while (n > 0 && lists[i]->seek(x)) {
            if (lists[i]->rid() == x && agree > 0) {
                ++agree;
            } else {
                x = lists[i]->rid();
                agree = 1;
            }
            if (agree == n) {
                if (!running_done && x >= running_from) {
                    running_done = true;
                    if (!take_running()) {
                        stopped = true;
                        break;
                    }
                }
                if (!take(x)) {
                    stopped = true;
                    break;
                }
                ++x;
                agree = 0;
            }
            i = (i + 1) % n;
        }
        if (!stopped && !running_done) take_running();
    } else if (detail::search_join_plan == detail::JoinPlan::Probe) {
        // Drive from the rarest list (sized by capped counts), probing the others per rid.
        std::vector<std::int64_t> sizes;
        for (const auto& t : terms) {
            Stmt c(db_, t.sql->count);
            c.bind(1, t.key).bind(2, cap + 1);
            sizes.push_back(c.step() ? c.i64(0) : 0);
        }
        const auto d = static_cast<std::size_t>(std::min_element(sizes.begin(), sizes.end()) - sizes.begin());
        std::vector<std::unique_ptr<Stmt>> probes(terms.size());
        for (std::size_t i = 0; i < terms.size(); ++i)
            if (i != d) probes[i] = std::make_unique<Stmt>(db_, terms[i].sql->probe);
        Postings driver(db_, *terms[d].sql, terms[d].key, 1 << 30);
        for (std::int64_t x = 0; driver.seek(x); x = driver.rid() + 1) {
            bool all = true;
            for (std::size_t i = 0; i < terms.size() && all; ++i) {
                if (!probes[i]) continue;
                probes[i]->bind(1, terms[i].key).bind(2, driver.rid());
                all = probes[i]->step();
                probes[i]->reset();
            }
            if (all && !take(driver.rid())) break;
        }
    } else {
        // Materialise every list whole and intersect in memory (the earlier design).
        std::vector<std::vector<std::int64_t>> lists;
        for (const auto& t : terms) {
            Stmt s(db_, t.sql->from);
            s.bind(1, t.key).bind(2, std::int64_t(0));
            lists.push_back(rids_of(s));
        }
        std::sort(lists.begin(), lists.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
        std::vector<std::int64_t> rids = std::move(lists[0]);
        for (std::size_t i = 1; i < lists.size() && !rids.empty(); ++i) {
            std::vector<std::int64_t> both;
            std::set_intersection(rids.begin(), rids.end(), lists[i].begin(), lists[i].end(),
                                  std::back_inserter(both));
            rids = std::move(both);
        }
        for (std::int64_t rid : rids)
            if (!take(rid)) break;
    }
    set_total(found);

    // One statement for the whole page: preparing it per row cost more than the lookups.
    if (!page.empty()) {
        Reused by_rid(search_cache_->statement("SELECT json FROM activities WHERE rid=?"));
        for (std::int64_t rid : page) {
            by_rid->bind(1, rid);
            if (by_rid->step()) {
                const std::string_view json = by_rid->view(0);   // parsed where SQLite holds it
                out.items.push_back(activity_from_json(Json::parse(json.begin(), json.end())));
            }
            by_rid->reset();
        }
    }
    return out;
}

std::optional<Activity> KioskStore::activity(const std::string& id) const {
    for (const char* sql : {"SELECT json FROM activities WHERE id=?", "SELECT json FROM bookables WHERE id=?"}) {
        Stmt s(db_, sql);
        s.bind(1, id);
        if (s.step()) return activity_from_json(Json::parse(s.text(0)));
    }
    return std::nullopt;
}

std::vector<Activity> KioskStore::bookables(ActivityKind kind, const std::string& centre_id) const {
    std::vector<Activity> out;
    if (is_listing(kind)) return out;
    Stmt s(db_, centre_id.empty()
                    ? "SELECT json FROM bookables WHERE kind=?1 ORDER BY starts_at, id"
                    : "SELECT json FROM bookables WHERE kind=?1 AND centre_id=?2 ORDER BY starts_at, id");
    s.bind(1, to_code(kind));
    if (!centre_id.empty()) s.bind(2, centre_id);
    while (s.step()) out.push_back(activity_from_json(Json::parse(s.text(0))));
    return out;
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

namespace {

// Fills what enqueue() fills (id, created_at, payload object, the check code) and returns
// the receipt.
Receipt prepare_record(Record& r) {
    if (r.id.empty()) r.id = new_uuid_v7();
    if (r.created_at.empty()) r.created_at = rfc3339_now();
    if (!r.payload.is_object()) r.payload = Json::object();
    Receipt receipt;
    receipt.record_id = r.id;
    receipt.number = receipt_number(r.id);
    if (r.kind == RecordKind::SignUp || r.kind == RecordKind::Talent || r.kind == RecordKind::GroupRegistration ||
        r.kind == RecordKind::ItemRequest) {
        // The check code proves at the event that this receipt is yours (a talent
        // registration: that it is yours to withdraw; an item request: at collection); it goes into the payload before
        // storing so the server (and roster) hold the same code.
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
    return receipt;
}

std::int64_t party_of(const Record& r) {
    const auto it = r.payload.find("party_size");
    if (it != r.payload.end() && it->is_number_integer()) return std::max<std::int64_t>(1, it->get<std::int64_t>());
    return 1;
}

// Inserts a prepared record into the outbox (a sign-up's lease and party in their columns,
// so a lease's `used` is one indexed sum).
void insert_outbox(sqlite3* db, const Record& r, const std::string& signup_status) {
    std::string lease;
    std::int64_t party = 0;
    if (r.kind == RecordKind::SignUp) {
        const auto it = r.payload.find("lease");
        if (it != r.payload.end() && it->is_string()) lease = it->get<std::string>();
        party = party_of(r);
    }
    const std::string json = to_json(r).dump();
    Stmt s(db,
           "INSERT INTO outbox(id, kind, json, state, queued_ms, bytes, signup_status, lease, party) "
           "VALUES(?,?,?,'pending',?,?,?,?,?)");
    s.bind(1, r.id).bind(2, to_code(r.kind)).bind(3, json).bind(4, now_millis());
    s.bind(5, static_cast<std::int64_t>(json.size())).bind(6, signup_status).bind(7, lease).bind(8, party);
    try {
        s.run();
    } catch (const StoreError& e) {
        if (e.sqlite_code == SQLITE_CONSTRAINT_UNIQUE)
            throw StoreError("record " + r.id + " is already in the outbox", e.sqlite_code);
        throw;
    }
}

// Places a lease has given: the sign-ups naming it, except those city hall refused.
constexpr const char* kLeaseUsedSql =
    "SELECT coalesce(sum(party), 0) FROM outbox WHERE lease=? AND kind='sign_up' AND state<>'rejected'";

}  // namespace

Receipt KioskStore::enqueue(Record& r) {
    Receipt receipt = prepare_record(r);
    // One statement in autocommit mode is one durable transaction.
    insert_outbox(db_, r, "");
    return receipt;
}

Receipt KioskStore::enqueue_signup(Record& r, std::int64_t now_ms, bool* confirmed_on_spot) {
    if (confirmed_on_spot) *confirmed_on_spot = false;
    if (r.kind != RecordKind::SignUp) return enqueue(r);
    if (r.payload.is_object()) r.payload.erase("lease");
    Receipt receipt = prepare_record(r);
    const std::string activity = r.payload.value("activity_id", std::string());
    const std::int64_t party = party_of(r);
    // The lease's use and the record are one transaction: `used` is read from the outbox
    // inside it, and BEGIN IMMEDIATE keeps the sync thread's writes out meanwhile.
    Tx tx(db_);
    Stmt(db_, "UPDATE leases SET ended=1 WHERE ended=0 AND ends_local_ms<=?").bind(1, now_ms).run();
    std::string chosen;
    {
        // The lease ending soonest first: its places are the ones about to go unused.
        Stmt l(db_, "SELECT id, places FROM leases WHERE activity_id=? AND ended=0 AND done_reported=0 "
                    "AND ends_local_ms>? ORDER BY ends_local_ms, id");
        l.bind(1, activity).bind(2, now_ms);
        Stmt used(db_, kLeaseUsedSql);
        while (chosen.empty() && l.step()) {
            used.bind(1, l.text(0));
            const std::int64_t u = used.step() ? used.i64(0) : 0;
            used.reset();
            if (u + party <= l.i64(1)) chosen = l.text(0);
        }
    }
    if (!chosen.empty()) r.payload["lease"] = chosen;
    insert_outbox(db_, r, chosen.empty() ? "" : "confirmed");
    tx.commit();
    if (confirmed_on_spot) *confirmed_on_spot = !chosen.empty();
    return receipt;
}

std::vector<KioskLease> KioskStore::leases() const {
    Stmt s(db_, "SELECT l.id, l.activity_id, l.places, l.ends_local_ms, l.ended, l.done_reported, "
                "(SELECT coalesce(sum(o.party), 0) FROM outbox o WHERE o.lease=l.id AND o.kind='sign_up' "
                "AND o.state<>'rejected') FROM leases l ORDER BY l.activity_id, l.ends_local_ms, l.id");
    std::vector<KioskLease> out;
    while (s.step()) {
        KioskLease l;
        l.id = s.text(0);
        l.activity_id = s.text(1);
        l.places = s.i64(2);
        l.ends_local_ms = s.i64(3);
        l.ended = s.i64(4) != 0;
        l.done_reported = s.i64(5) != 0;
        l.used = s.i64(6);
        out.push_back(std::move(l));
    }
    return out;
}

void KioskStore::apply_quotas(const std::vector<QuotaGrant>& q, std::int64_t request_start_ms,
                              std::int64_t margin_ms) {
    Tx tx(db_);
    Stmt up(db_,
            "INSERT INTO leases(id, activity_id, places, ends_local_ms) VALUES(?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET places=max(places, excluded.places), "
            "ends_local_ms=max(ends_local_ms, excluded.ends_local_ms)");
    std::set<std::string> named;
    for (const auto& g : q) {
        if (g.id.empty() || g.activity_id.empty()) continue;
        named.insert(g.id);
        up.bind(1, g.id).bind(2, g.activity_id).bind(3, std::max<std::int64_t>(0, g.places));
        up.bind(4, request_start_ms + g.ends_in_s * 1000 - margin_ms).run();
        up.reset();
    }
    // City hall answers every live lease of this kiosk: one it left out has ended there.
    std::vector<std::string> gone;
    {
        Stmt held(db_, "SELECT id FROM leases WHERE ended=0 AND done_reported=0");
        while (held.step())
            if (!named.count(held.text(0))) gone.push_back(held.text(0));
    }
    Stmt end(db_, "UPDATE leases SET ended=1 WHERE id=?");
    for (const auto& id : gone) {
        end.bind(1, id).run();
        end.reset();
    }
    tx.commit();
}

std::vector<LeaseReport> KioskStore::lease_reports(std::int64_t now_ms) {
    Tx tx(db_);
    Stmt(db_, "UPDATE leases SET ended=1 WHERE ended=0 AND ends_local_ms<=?").bind(1, now_ms).run();
    Stmt s(db_, "SELECT l.id, l.ended, "
                "(SELECT coalesce(sum(o.party), 0) FROM outbox o WHERE o.lease=l.id AND o.kind='sign_up' "
                "AND o.state<>'rejected'), "
                "(SELECT count(*) FROM outbox o WHERE o.lease=l.id AND o.state='pending') "
                "FROM leases l WHERE l.done_reported=0 ORDER BY l.id");
    std::vector<LeaseReport> out;
    while (s.step()) out.push_back(LeaseReport{s.text(0), s.i64(2), s.i64(1) != 0 && s.i64(3) == 0});
    tx.commit();
    return out;
}

void KioskStore::note_leases_done(const std::vector<std::string>& ids) {
    Tx tx(db_);
    Stmt s(db_, "UPDATE leases SET done_reported=1, ended=1 WHERE id=?");
    for (const auto& id : ids) {
        s.bind(1, id).run();
        s.reset();
    }
    tx.commit();
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

std::vector<KioskStore::PendingText> KioskStore::pending_text(std::size_t max_count, std::size_t max_bytes) const {
    Stmt s(db_, "SELECT seq, id, json, bytes FROM outbox WHERE state='pending' ORDER BY seq LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(std::max<std::size_t>(max_count, 1)));
    std::vector<PendingText> out;
    std::size_t bytes = 0;
    while (s.step()) {
        const auto b = static_cast<std::size_t>(s.i64(3));
        if (!out.empty() && bytes + b > max_bytes) break;   // as pending(): at least one
        bytes += b;
        out.push_back(PendingText{s.i64(0), s.text(1), s.text(2)});
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
            "UPDATE outbox SET state='delivered', result=?, "
            // Cancelled here (a cancel record queued after it): the sign-up's first answer
            // does not undo that; the server reports the cancellation itself later.
            // Confirmed here under a lease: an answer that names no status keeps it.
            "signup_status=CASE WHEN signup_status='cancelled' THEN 'cancelled' "
            "WHEN ?2='' THEN signup_status ELSE ?2 END, delivered_ms=?3, "
            "last_error='', reject_code='', reject_message='' WHERE id=?4");
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

std::optional<OutboxEntry> KioskStore::signup_by_receipt(const std::string& receipt) const {
    const std::string want = normalise_receipt(receipt);
    if (want.empty()) return std::nullopt;
    // The number is derived from the id, not stored: a scan of this kiosk's sign-ups (those
    // within the retention period; a few thousand at most).
    Stmt s(db_, "SELECT id FROM outbox WHERE kind='sign_up' ORDER BY seq DESC");
    while (s.step()) {
        const std::string id = s.text(0);
        if (receipt_number(id) == want) return outbox_entry(id);
    }
    return std::nullopt;
}

Receipt KioskStore::enqueue_cancel(const OutboxEntry& signup, const std::string& check_code,
                                   const std::string& kiosk_id, const std::string& centre_id) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Cancel;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk_id;
    r.centre_id = centre_id;
    r.payload = Json{{"signup_id", signup.record.id}, {"receipt", receipt_number(signup.record.id)},
                     {"check_code", check_code}};
    const std::string json = to_json(r).dump();
    Tx tx(db_);
    Stmt s(db_, "INSERT INTO outbox(id, kind, json, state, queued_ms, bytes) VALUES(?,?,?,'pending',?,?)");
    s.bind(1, r.id).bind(2, to_code(r.kind)).bind(3, json).bind(4, now_millis());
    s.bind(5, static_cast<std::int64_t>(json.size()));
    s.run();
    Stmt(db_, "UPDATE outbox SET signup_status='cancelled' WHERE id=?").bind(1, signup.record.id).run();
    tx.commit();
    Receipt receipt;
    receipt.record_id = r.id;
    receipt.number = receipt_number(r.id);
    return receipt;
}

void KioskStore::set_signup_status(const std::string& record_id, const std::string& status) {
    // A cancellation is final: one made here (its cancel record may still be on its way) is
    // never undone by a status the server reported before it arrived.
    Stmt(db_, "UPDATE outbox SET signup_status=? WHERE id=? AND signup_status<>'cancelled'")
        .bind(1, status)
        .bind(2, record_id)
        .run();
}

std::vector<OutboxEntry> KioskStore::signups(std::size_t n) const {
    return read_entries(db_, std::string("SELECT ") + kEntryCols +
                                 " FROM outbox WHERE kind='sign_up' ORDER BY seq DESC LIMIT ?",
                        static_cast<std::int64_t>(n));
}

int KioskStore::open_signups() const {
    Stmt s(db_, "SELECT count(*) FROM outbox WHERE kind='sign_up' AND state='delivered' "
                "AND signup_status IN ('confirmed', 'waitlisted')");
    return s.step() ? s.i32(0) : 0;
}

const char* to_code(CancelCheck c) {
    switch (c) {
        case CancelCheck::Ok: return "ok";
        case CancelCheck::UnknownReceipt: return "unknown_receipt";
        case CancelCheck::WrongCode: return "wrong_code";
        case CancelCheck::AlreadyCancelled: return "already_cancelled";
        case CancelCheck::NotCancellable: return "not_cancellable";
    }
    return "unknown_receipt";
}

CancelCheck check_cancel(const std::optional<OutboxEntry>& signup, const std::string& check_code) {
    if (!signup || signup->record.kind != RecordKind::SignUp) return CancelCheck::UnknownReceipt;
    const Json& pl = signup->record.payload;
    const auto it = pl.find("check_code");
    if (it == pl.end() || !it->is_string() || it->get<std::string>() != check_code) return CancelCheck::WrongCode;
    if (signup->state == OutboxState::Rejected) return CancelCheck::NotCancellable;
    if (signup->signup_status == "cancelled") return CancelCheck::AlreadyCancelled;
    return CancelCheck::Ok;
}

std::string normalise_receipt(const std::string& typed) {
    std::string s;
    for (char ch : typed) {
        if (ch == '-' || ch == ' ') continue;
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        if (ch == 'O') ch = '0';                 // Crockford: read as the digits they look like
        if (ch == 'I' || ch == 'L') ch = '1';
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) || ch == 'U') return "";
        s += ch;
    }
    if (s.size() != 8) return "";
    return s.substr(0, 4) + "-" + s.substr(4);
}

SignupPhase signup_phase(const OutboxEntry& e) {
    if (e.state == OutboxState::Rejected) return SignupPhase::Rejected;
    if (e.signup_status == "confirmed") return SignupPhase::Confirmed;
    if (e.signup_status == "waitlisted") return SignupPhase::Waitlisted;
    if (e.signup_status == "cancelled") return SignupPhase::Cancelled;
    return SignupPhase::Awaiting;
}

const char* to_code(SignupPhase p) {
    switch (p) {
        case SignupPhase::Awaiting: return "awaiting";
        case SignupPhase::Confirmed: return "confirmed";
        case SignupPhase::Waitlisted: return "waitlisted";
        case SignupPhase::Cancelled: return "cancelled";
        case SignupPhase::Rejected: return "rejected";
    }
    return "awaiting";
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
    Stmt s(db_, "DELETE FROM outbox WHERE state='delivered' AND delivered_ms<? AND NOT (lease<>'' AND "
                "lease IN (SELECT id FROM leases WHERE done_reported=0))");
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

// ---- rosters (staff mode's 受付, issue 10 point 4) -----------------------------------------

namespace kyodo {

namespace {

std::string roster_str(const Json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Rosters rosters_from_json(const Json& doc) {
    if (!doc.is_object()) throw std::runtime_error("rosters: the document is not an object");
    Rosters r;
    r.centre_id = roster_str(doc, "centre_id");
    r.from = roster_str(doc, "from");
    r.to = roster_str(doc, "to");
    auto acts = doc.find("activities");
    if (acts == doc.end() || !acts->is_array()) throw std::runtime_error("rosters: \"activities\" is not a list");
    for (const Json& a : *acts) {
        if (!a.is_object()) throw std::runtime_error("rosters: an activity is not an object");
        RosterActivity ra;
        ra.id = roster_str(a, "id");
        if (ra.id.empty()) throw std::runtime_error("rosters: an activity has no id");
        ra.title = roster_str(a, "title");
        ra.starts_at = roster_str(a, "starts_at");
        ra.place = roster_str(a, "place");
        if (auto c = a.find("capacity"); c != a.end() && c->is_number_integer()) ra.capacity = c->get<int>();
        if (auto ss = a.find("signups"); ss != a.end() && ss->is_array()) {
            for (const Json& s : *ss) {
                if (!s.is_object()) throw std::runtime_error("rosters: a sign-up is not an object");
                RosterSignup rs;
                rs.signup_id = roster_str(s, "signup_id");
                if (rs.signup_id.empty()) throw std::runtime_error("rosters: a sign-up has no signup_id");
                rs.activity_id = ra.id;
                rs.receipt = roster_str(s, "receipt");
                if (auto p = s.find("party_size"); p != s.end() && p->is_number_integer())
                    rs.party_size = std::max(1, p->get<int>());
                rs.status = roster_str(s, "status");
                // At most one character is kept, whatever a server sends (no names on disk).
                const std::string hint = roster_str(s, "hint");
                if (!hint.empty() && utf8::valid(hint)) {
                    const std::u32string cps = utf8::decode(hint);
                    rs.hint = utf8::encode(std::u32string(1, cps.front()));
                }
                if (auto at = s.find("attended"); at != s.end() && at->is_boolean()) rs.attended = at->get<bool>();
                ra.signups.push_back(std::move(rs));
            }
        }
        r.activities.push_back(std::move(ra));
    }
    return r;
}

void KioskStore::replace_rosters(const Rosters& r) {
    Tx tx(db_);
    Stmt(db_, "DELETE FROM roster_signups").run();
    Stmt(db_, "DELETE FROM roster_activities").run();
    Stmt ia(db_, "INSERT OR REPLACE INTO roster_activities(id, title, starts_at, place, capacity, pos) "
                 "VALUES(?,?,?,?,?,?)");
    Stmt is(db_, "INSERT OR REPLACE INTO roster_signups(signup_id, activity_id, receipt, party_size, status, hint, "
                 "attended, pos) VALUES(?,?,?,?,?,?,?,?)");
    int apos = 0, spos = 0;
    for (const RosterActivity& a : r.activities) {
        ia.bind(1, a.id).bind(2, a.title).bind(3, a.starts_at).bind(4, a.place).bind(5, a.capacity).bind(6, apos++);
        ia.run();
        ia.reset();
        for (const RosterSignup& s : a.signups) {
            is.bind(1, s.signup_id).bind(2, a.id).bind(3, s.receipt).bind(4, s.party_size).bind(5, s.status);
            is.bind(6, s.hint).bind(7, s.attended ? 1 : 0).bind(8, spos++);
            is.run();
            is.reset();
        }
    }
    // This kiosk's ticks the server has not heard yet win over its (older) word.
    Stmt pend(db_, "SELECT json FROM outbox WHERE kind='attendance' AND state='pending' ORDER BY seq");
    Stmt upd(db_, "UPDATE roster_signups SET attended=? WHERE signup_id=?");
    while (pend.step()) {
        const Json rec = Json::parse(pend.text(0), nullptr, false);
        if (!rec.is_object() || !rec.contains("payload")) continue;
        const Json& pl = rec["payload"];
        if (!pl.is_object()) continue;
        const std::string id = roster_str(pl, "signup_id");
        auto at = pl.find("attended");
        if (id.empty() || at == pl.end() || !at->is_boolean()) continue;
        upd.bind(1, at->get<bool>() ? 1 : 0).bind(2, id);
        upd.run();
        upd.reset();
    }
    tx.commit();
}

namespace {

RosterSignup read_roster_row(const Stmt& s) {
    RosterSignup r;
    r.signup_id = s.text(0);
    r.activity_id = s.text(1);
    r.receipt = s.text(2);
    r.party_size = s.i32(3);
    r.status = s.text(4);
    r.hint = s.text(5);
    r.attended = s.i32(6) != 0;
    return r;
}

constexpr const char* kRosterCols = "signup_id, activity_id, receipt, party_size, status, hint, attended";

}  // namespace

std::vector<RosterActivity> KioskStore::rosters(const std::string& from_day, const std::string& to_day) const {
    std::vector<RosterActivity> out;
    Stmt a(db_, "SELECT id, title, starts_at, place, capacity FROM roster_activities "
                "WHERE (?1 = '' OR substr(starts_at,1,10) >= ?1) AND (?2 = '' OR substr(starts_at,1,10) <= ?2) "
                "ORDER BY starts_at, pos");
    a.bind(1, from_day).bind(2, to_day);
    while (a.step()) {
        RosterActivity ra;
        ra.id = a.text(0);
        ra.title = a.text(1);
        ra.starts_at = a.text(2);
        ra.place = a.text(3);
        ra.capacity = a.i32(4);
        out.push_back(std::move(ra));
    }
    const std::string sql = std::string("SELECT ") + kRosterCols + " FROM roster_signups WHERE activity_id=? ORDER BY pos";
    Stmt s(db_, sql.c_str());
    for (RosterActivity& ra : out) {
        s.bind(1, ra.id);
        while (s.step()) ra.signups.push_back(read_roster_row(s));
        s.reset();
    }
    return out;
}

std::optional<RosterSignup> KioskStore::roster_by_receipt(const std::string& activity_id,
                                                          const std::string& receipt) const {
    const std::string want = normalise_receipt(receipt);
    if (want.empty()) return std::nullopt;
    const std::string sql = std::string("SELECT ") + kRosterCols + " FROM roster_signups WHERE activity_id=? AND receipt=?";
    Stmt s(db_, sql.c_str());
    s.bind(1, activity_id).bind(2, want);
    if (!s.step()) return std::nullopt;
    return read_roster_row(s);
}

Receipt KioskStore::enqueue_attendance(const std::string& signup_id, bool attended, const std::string& kiosk_id,
                                       const std::string& centre_id) {
    Record r;
    r.id = new_uuid_v7();
    r.kind = RecordKind::Attendance;
    r.created_at = rfc3339_now();
    r.kiosk_id = kiosk_id;
    r.centre_id = centre_id;
    r.payload = Json{{"signup_id", signup_id}, {"attended", attended}};
    const std::string json = to_json(r).dump();
    Tx tx(db_);
    Stmt s(db_, "INSERT INTO outbox(id, kind, json, state, queued_ms, bytes) VALUES(?,?,?,'pending',?,?)");
    s.bind(1, r.id).bind(2, to_code(r.kind)).bind(3, json).bind(4, now_millis());
    s.bind(5, static_cast<std::int64_t>(json.size()));
    s.run();
    Stmt(db_, "UPDATE roster_signups SET attended=? WHERE signup_id=?").bind(1, attended ? 1 : 0).bind(2, signup_id).run();
    tx.commit();
    Receipt receipt;
    receipt.record_id = r.id;
    receipt.number = receipt_number(r.id);
    return receipt;
}

}  // namespace kyodo
