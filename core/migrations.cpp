#include "core/migrations.h"

namespace kyodo::detail {

const std::vector<Migration>& kiosk_migrations() {
    static const std::vector<Migration> steps = {
        {1, R"sql(
-- Catalog. Each object is kept whole as JSON (the codec is the one format); the columns
-- beside it exist only to filter, join and sort in SQL.
CREATE TABLE centres(
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    json    TEXT NOT NULL
);
CREATE TABLE organizations(
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL DEFAULT '',
    kana    TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    json    TEXT NOT NULL
);
-- rid is the rowid shared with activity_fts and search_ngram. rids are assigned sparsely
-- in result order (starts_at, title, id): a posting list read in rowid order is already
-- sorted for display, so the first page of any search stops after 50 entries.
CREATE TABLE activities(
    rid       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    form      TEXT NOT NULL,
    method    TEXT NOT NULL,
    centre_id TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL DEFAULT '',
    ends_at   TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    capacity  INTEGER NOT NULL DEFAULT 0,
    taken     INTEGER NOT NULL DEFAULT 0,
    version   INTEGER NOT NULL DEFAULT 0,
    json      TEXT NOT NULL
);
-- Finds a new activity's neighbours in result order (to pick its rid).
CREATE INDEX activities_order ON activities(starts_at, title, id);
CREATE INDEX activities_centre ON activities(centre_id, starts_at);
CREATE TABLE activity_fields(
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    PRIMARY KEY(field, activity_id)
) WITHOUT ROWID;
CREATE INDEX activity_fields_activity ON activity_fields(activity_id);
CREATE TABLE activity_organizers(
    activity_id     TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    PRIMARY KEY(organization_id, activity_id)
) WITHOUT ROWID;
CREATE INDEX activity_organizers_activity ON activity_organizers(activity_id);
CREATE TABLE surveys(
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0,
    json    TEXT NOT NULL
);
CREATE TABLE catalog_meta(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Search. body is utf8::fold_for_search of title, kana, summary and organizer names, one
-- per line. Trigram FTS answers terms of 3+ characters; search_ngram holds every 1- and
-- 2-character gram of each line for the short terms trigrams cannot answer.
CREATE VIRTUAL TABLE activity_fts USING fts5(body, tokenize = 'trigram');
CREATE TABLE search_ngram(
    gram          TEXT NOT NULL,
    activity_rowid INTEGER NOT NULL,
    PRIMARY KEY(gram, activity_rowid)
) WITHOUT ROWID;

-- Outbox. seq never reuses a value (AUTOINCREMENT), so "oldest first" holds across purges.
CREATE TABLE outbox(
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    json           TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    result         TEXT NOT NULL DEFAULT '',
    reject_code    TEXT NOT NULL DEFAULT '',
    reject_message TEXT NOT NULL DEFAULT '',
    signup_status  TEXT NOT NULL DEFAULT '',
    queued_ms      INTEGER NOT NULL,
    delivered_ms   INTEGER NOT NULL DEFAULT 0,
    bytes          INTEGER NOT NULL
);
CREATE INDEX outbox_state ON outbox(state, seq);

CREATE TABLE settings(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
        {2, R"sql(
-- Filter facets as posting lists in search_ngram (store.cpp facet_key/index_keys write the
-- same keys for new activities): a filtered search joins them in rid order instead of
-- reading every candidate's row. Key: char(1) || letter || ':' || value.
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'k:' || kind, rid FROM activities;
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'f:' || form, rid FROM activities;
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'm:' || method, rid FROM activities;
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'c:' || centre_id, rid FROM activities WHERE centre_id <> '';
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'd:' || f.field, a.rid FROM activity_fields f JOIN activities a ON a.id = f.activity_id;
)sql"},
        {3, R"sql(
-- Search reads more of each activity (description, place, field tags and the readings from
-- its furigana): the index is rebuilt from the stored JSON after this step (reindex below).
-- Multi-day activities by the day they end: a date filter (today, this weekend, a day
-- picked on the calendar) and "hide what has ended" find the ones that started earlier and
-- still run, without reading every earlier row. store.cpp spans_from() uses these exact
-- expressions.
CREATE INDEX activities_span ON activities(substr(ends_at,1,10), starts_at)
    WHERE starts_at <> '' AND substr(ends_at,1,10) > substr(starts_at,1,10);
)sql", true},
        {4, R"sql(
-- Places confirmed on the spot (issue 10 point 2, docs/protocol.md "Kiosk quotas"): the
-- leases of an activity's places city hall lent this kiosk. `used` is not stored: it is
-- counted from the outbox (the sign-ups naming the lease), so a sign-up and its use of the
-- lease commit together and a kill can neither lose nor double it. ends_local_ms is the
-- end on the kiosk's own clock (request start + ends_in_s − margin), so a kiosk clock that
-- is off by a constant does not matter.
CREATE TABLE leases(
    id            TEXT PRIMARY KEY,
    activity_id   TEXT NOT NULL,
    places        INTEGER NOT NULL DEFAULT 0,
    ends_local_ms INTEGER NOT NULL DEFAULT 0,
    ended         INTEGER NOT NULL DEFAULT 0,
    done_reported INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX leases_activity ON leases(activity_id);
-- The lease a sign-up was confirmed under and its party size, copied from its payload.
ALTER TABLE outbox ADD COLUMN lease TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN party INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET lease = coalesce(json_extract(json, '$.payload.lease'), ''),
                  party = coalesce(json_extract(json, '$.payload.party_size'), 1)
    WHERE kind = 'sign_up' AND json_extract(json, '$.payload.lease') IS NOT NULL;
CREATE INDEX outbox_lease ON outbox(lease) WHERE lease <> '';
)sql"},
        {5, R"sql(
-- The centre's rosters for staff mode's 受付 (check-in at the venue, issue 10 point 4), replaced
-- whole by every pull of GET /api/v1/rosters. No names, phones or e-mails (DESIGN.md
-- "Privacy"): the receipt number finds an arrival; hint is at most one kana.
CREATE TABLE roster_activities(
    id        TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place     TEXT NOT NULL DEFAULT '',
    capacity  INTEGER NOT NULL DEFAULT 0,
    pos       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE roster_signups(
    signup_id   TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    receipt     TEXT NOT NULL,
    party_size  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    hint        TEXT NOT NULL DEFAULT '',
    attended    INTEGER NOT NULL DEFAULT 0,
    pos         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX roster_signups_activity ON roster_signups(activity_id, pos);
CREATE INDEX roster_signups_receipt ON roster_signups(receipt);
)sql"},
        {6, R"sql(
-- Slots of rooms, equipment and consultation desks, and items given away (issue 11, kinds
-- "slot" and "item", docs/lending.md): catalog entries that are not listings. They live here,
-- outside activities, so search, browsing and the facet lists never see them; the booking
-- screens read them with KioskStore::bookables() in start order.
CREATE TABLE bookables(
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    centre_id TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL DEFAULT '',
    version   INTEGER NOT NULL DEFAULT 0,
    json      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX bookables_order ON bookables(kind, starts_at, id);
CREATE INDEX bookables_centre ON bookables(kind, centre_id, starts_at, id);
)sql"},
        {7, R"sql(
-- "Places left" (only_open_places) as a facet list like kind or centre (store.cpp
-- index_keys writes the same key for new activities): a search with it joins the list in
-- rid order instead of reading every candidate's row to compare capacity and taken.
INSERT OR IGNORE INTO search_ngram(gram, activity_rowid)
    SELECT char(1) || 'o:', rid FROM activities WHERE capacity > taken;
)sql"},
    };
    return steps;
}

}  // namespace kyodo::detail
