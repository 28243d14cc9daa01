// PostgreSQL half of BookingStorage (server/bookings.h). A connection of its own (a staff
// member's click, never the push path), like group registration's. The tables are created if
// missing under an advisory lock; each mark takes a transaction-level advisory lock per booking
// so two servers on one database apply the compare-and-set one after the other.
#include <libpq-fe.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "server/bookings.h"
#include "server/pg_conn.h"
#include "server/storage.h"

namespace kyodo::server {
namespace {

constexpr const char* kSchemaLockKey = "461195865313";

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS booking_marks (
    id BIGSERIAL PRIMARY KEY, signup_id TEXT COLLATE "C" NOT NULL, mark TEXT NOT NULL,
    marked_by TEXT NOT NULL, marked_at TEXT NOT NULL,
    undone_by TEXT NOT NULL DEFAULT '', undone_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS booking_marks_signup ON booking_marks (signup_id, id);
CREATE TABLE IF NOT EXISTS booking_settings (name TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
)sql";

constexpr const char* kCols = "SELECT id, signup_id, mark, marked_by, marked_at, undone_by, undone_at FROM booking_marks ";

// The consultation bookings of ConsultationFilter ($1 centre, $2 topic, $3 month, $4 status),
// after "SELECT … " (a: the slot, r: the sign-up).
constexpr const char* kConsultations =
    " FROM activities a JOIN records r ON r.kind = 'sign_up' AND r.activity_id = a.id "
    "WHERE NOT a.deleted AND a.json::jsonb ->> 'kind' = 'slot' AND a.json::jsonb #>> '{extra,slot,type}' = 'consultation' "
    "AND COALESCE(a.json::jsonb #>> '{extra,slot,resource}', '') <> '' "
    "AND ($1::text = '' OR COALESCE(a.json::jsonb ->> 'centre_id', '') = $1::text) "
    "AND ($2::text = '' OR COALESCE(r.payload::jsonb ->> 'topic', '') = $2::text) "
    "AND ($3::text = '' OR left(left(COALESCE(a.json::jsonb ->> 'starts_at', ''), 10), length($3::text)) = $3::text) "
    "AND ($4::text = '' OR (CASE WHEN r.signup_status = 'confirmed' THEN COALESCE((SELECT m.mark FROM booking_marks m "
    "WHERE m.signup_id = r.id AND m.undone_at = '' ORDER BY m.id DESC LIMIT 1), 'upcoming') ELSE r.signup_status END) = $4::text)";

using pgc::Res;

class PgBookings final : public BookingStorage {
public:
    explicit PgBookings(const std::string& url) : db_(url, "bookings") {
        std::lock_guard lock(mu_);
        db_.tx([&] {
            db_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kSchemaLockKey});
            db_.script(kSchema);
        });
    }

    std::int64_t add_mark(const std::string& signup_id, const std::string& mark, const std::string& expect,
                          const std::string& by, const std::string& now) override {
        if (!is_booking_mark(mark)) return 0;
        std::lock_guard lock(mu_);
        std::int64_t id = 0;
        db_.tx([&] {
            id = 0;
            lock_booking(signup_id);
            if (current(signup_id).mark != expect || !mark_may_follow(expect, mark)) return;
            Res r = db_.exec("INSERT INTO booking_marks (signup_id, mark, marked_by, marked_at) VALUES ($1, $2, $3, $4) RETURNING id",
                         {signup_id, mark, by, now});
            id = r.i64(0, 0);
        });
        return id;
    }

    std::int64_t undo_mark(const std::string& signup_id, const std::string& expect, const std::string& by,
                           const std::string& now) override {
        std::lock_guard lock(mu_);
        std::int64_t id = 0;
        db_.tx([&] {
            id = 0;
            lock_booking(signup_id);
            const BookingMark cur = current(signup_id);
            if (cur.id == 0 || cur.mark != expect) return;
            db_.exec("UPDATE booking_marks SET undone_by = $1, undone_at = $2 WHERE id = $3::bigint", {by, now, std::to_string(cur.id)});
            id = cur.id;
        });
        return id;
    }

    std::vector<BookingMark> marks() override {
        std::lock_guard lock(mu_);
        db_.ensure();
        return read(db_.exec((std::string(kCols) + "ORDER BY id").c_str()));
    }

    std::vector<BookingMark> marks_of(const std::string& signup_id) override {
        std::lock_guard lock(mu_);
        db_.ensure();
        return read(db_.exec((std::string(kCols) + "WHERE signup_id = $1 ORDER BY id").c_str(), {signup_id}));
    }

    std::vector<ConsultationRef> consultations_page(const ConsultationFilter& f, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        db_.ensure();
        Res r = db_.exec((std::string("SELECT a.id, r.id") + kConsultations +
                          " ORDER BY COALESCE(a.json::jsonb ->> 'starts_at', '') COLLATE \"C\", a.id, r.seq LIMIT " +
                          std::to_string(std::min<std::size_t>(limit, 100000000)) + " OFFSET " + std::to_string(std::min<std::size_t>(offset, 100000000)))
                             .c_str(),
                         {f.centre, f.topic, f.month, f.status});
        std::vector<ConsultationRef> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(ConsultationRef{r.text(i, 0), r.text(i, 1)});
        return out;
    }

    std::int64_t consultation_count(const ConsultationFilter& f) override {
        std::lock_guard lock(mu_);
        db_.ensure();
        Res r = db_.exec((std::string("SELECT COUNT(*)") + kConsultations).c_str(), {f.centre, f.topic, f.month, f.status});
        return r.rows() ? r.i64(0, 0) : 0;
    }

    BookingWindow window() override {
        std::lock_guard lock(mu_);
        db_.ensure();
        BookingWindow w;
        Res r = db_.exec("SELECT name, value FROM booking_settings");
        for (int i = 0; i < r.rows(); ++i) apply_window_setting(w, r.text(i, 0), r.text(i, 1));
        return w;
    }

    void set_window(const BookingWindow& w) override {
        std::lock_guard lock(mu_);
        db_.tx([&] {
            for (const auto& [k, v] : window_settings(w))
                db_.exec("INSERT INTO booking_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                     {k, v});
        });
    }

private:
    // One booking's marks change one transaction at a time, across servers too.
    void lock_booking(const std::string& signup_id) {
        db_.exec("SELECT pg_advisory_xact_lock(hashtext('booking_marks:' || $1)::bigint)", {signup_id});
    }
    BookingMark current(const std::string& signup_id) {
        auto v = read(db_.exec((std::string(kCols) + "WHERE signup_id = $1 AND undone_at = '' ORDER BY id DESC LIMIT 1").c_str(), {signup_id}));
        return v.empty() ? BookingMark{} : v.front();
    }
    static std::vector<BookingMark> read(const Res& r) {
        std::vector<BookingMark> out;
        for (int i = 0; i < r.rows(); ++i) {
            BookingMark m;
            m.id = r.i64(i, 0);
            m.signup_id = r.text(i, 1);
            m.mark = r.text(i, 2);
            m.by = r.text(i, 3);
            m.at = r.text(i, 4);
            m.undone_by = r.text(i, 5);
            m.undone_at = r.text(i, 6);
            out.push_back(std::move(m));
        }
        return out;
    }

    pgc::Conn db_;
    std::mutex mu_;
};

}  // namespace

std::unique_ptr<BookingStorage> make_pg_bookings(const std::string& url) { return std::make_unique<PgBookings>(url); }

}  // namespace kyodo::server
