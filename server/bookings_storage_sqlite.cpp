// SQLite half of BookingStorage (server/bookings.h). Shares SqliteStorage's connection and
// mutex; its tables are created if missing (like group_decisions, beside the numbered migrations).
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/bookings.h"
#include "server/sqlite_q.h"
#include "server/storage.h"

namespace kyodo::server {
namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS booking_marks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, signup_id TEXT NOT NULL, mark TEXT NOT NULL,
    marked_by TEXT NOT NULL, marked_at TEXT NOT NULL,
    undone_by TEXT NOT NULL DEFAULT '', undone_at TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS booking_marks_signup ON booking_marks (signup_id, id);
CREATE TABLE IF NOT EXISTS booking_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// The consultation bookings of ConsultationFilter (?1 centre, ?2 topic, ?3 month, ?4 status),
// after "SELECT … " (a: the slot, r: the sign-up).
constexpr const char* kConsultations =
    " FROM activities a JOIN records r ON r.kind = 'sign_up' AND r.activity_id = a.id "
    "WHERE a.deleted = 0 AND json_extract(a.json, '$.kind') = 'slot' AND json_extract(a.json, '$.extra.slot.type') = 'consultation' "
    "AND COALESCE(json_extract(a.json, '$.extra.slot.resource'), '') <> '' "
    "AND (?1 = '' OR COALESCE(json_extract(a.json, '$.centre_id'), '') = ?1) "
    "AND (?2 = '' OR COALESCE(json_extract(r.payload, '$.topic'), '') = ?2) "
    "AND (?3 = '' OR substr(substr(COALESCE(json_extract(a.json, '$.starts_at'), ''), 1, 10), 1, length(?3)) = ?3) "
    "AND (?4 = '' OR (CASE WHEN r.signup_status = 'confirmed' THEN COALESCE((SELECT m.mark FROM booking_marks m "
    "WHERE m.signup_id = r.id AND m.undone_at = '' ORDER BY m.id DESC LIMIT 1), 'upcoming') ELSE r.signup_status END) = ?4)";

using sqlq::exec;
using sqlq::Q;
using sqlq::Tx;

constexpr const char* kCols = "SELECT id, signup_id, mark, marked_by, marked_at, undone_by, undone_at FROM booking_marks ";

BookingMark read_mark(const Q& q) {
    BookingMark m;
    m.id = q.i64(0);
    m.signup_id = q.text(1);
    m.mark = q.text(2);
    m.by = q.text(3);
    m.at = q.text(4);
    m.undone_by = q.text(5);
    m.undone_at = q.text(6);
    return m;
}

class SqliteBookings final : public BookingStorage {
public:
    SqliteBookings(sqlite3* db, std::mutex& mu) : db_(db), mu_(mu) {
        std::lock_guard lock(mu_);
        exec(db_, kSchema);
    }

    std::int64_t add_mark(const std::string& signup_id, const std::string& mark, const std::string& expect,
                          const std::string& by, const std::string& now) override {
        if (!is_booking_mark(mark)) return 0;
        std::lock_guard lock(mu_);
        Tx tx(db_);
        if (current(signup_id).mark != expect || !mark_may_follow(expect, mark)) return 0;
        Q ins(db_, "INSERT INTO booking_marks (signup_id, mark, marked_by, marked_at) VALUES (?, ?, ?, ?)");
        ins.bind(1, signup_id).bind(2, mark).bind(3, by).bind(4, now).run();
        const std::int64_t id = sqlite3_last_insert_rowid(db_);
        tx.commit();
        return id;
    }

    std::int64_t undo_mark(const std::string& signup_id, const std::string& expect, const std::string& by,
                           const std::string& now) override {
        std::lock_guard lock(mu_);
        Tx tx(db_);
        const BookingMark cur = current(signup_id);
        if (cur.id == 0 || cur.mark != expect) return 0;
        Q up(db_, "UPDATE booking_marks SET undone_by = ?, undone_at = ? WHERE id = ?");
        up.bind(1, by).bind(2, now).bind(3, cur.id).run();
        tx.commit();
        return cur.id;
    }

    std::vector<BookingMark> marks() override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + "ORDER BY id").c_str());
        std::vector<BookingMark> out;
        while (q.step()) out.push_back(read_mark(q));
        return out;
    }

    std::vector<BookingMark> marks_of(const std::string& signup_id) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string(kCols) + "WHERE signup_id = ? ORDER BY id").c_str());
        q.bind(1, signup_id);
        std::vector<BookingMark> out;
        while (q.step()) out.push_back(read_mark(q));
        return out;
    }

    std::vector<ConsultationRef> consultations_page(const ConsultationFilter& f, std::size_t limit, std::size_t offset) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT a.id, r.id") + kConsultations +
                  " ORDER BY COALESCE(json_extract(a.json, '$.starts_at'), ''), a.id, r.seq LIMIT ?5 OFFSET ?6")
                     .c_str());
        bind_filter(q, f)
            .bind(5, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000000)))
            .bind(6, static_cast<std::int64_t>(std::min<std::size_t>(offset, 100000000)));
        std::vector<ConsultationRef> out;
        while (q.step()) out.push_back(ConsultationRef{q.text(0), q.text(1)});
        return out;
    }

    std::int64_t consultation_count(const ConsultationFilter& f) override {
        std::lock_guard lock(mu_);
        Q q(db_, (std::string("SELECT COUNT(*)") + kConsultations).c_str());
        bind_filter(q, f);
        return q.step() ? q.i64(0) : 0;
    }

    BookingWindow window() override {
        std::lock_guard lock(mu_);
        BookingWindow w;
        Q q(db_, "SELECT name, value FROM booking_settings");
        while (q.step()) apply_window_setting(w, q.text(0), q.text(1));
        return w;
    }

    void set_window(const BookingWindow& w) override {
        std::lock_guard lock(mu_);
        Tx tx(db_);
        for (const auto& [k, v] : window_settings(w)) {
            Q q(db_, "INSERT INTO booking_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
            q.bind(1, k).bind(2, v).run();
        }
        tx.commit();
    }

private:
    static Q& bind_filter(Q& q, const ConsultationFilter& f) { return q.bind(1, f.centre).bind(2, f.topic).bind(3, f.month).bind(4, f.status); }

    BookingMark current(const std::string& signup_id) {
        Q q(db_, (std::string(kCols) + "WHERE signup_id = ? AND undone_at = '' ORDER BY id DESC LIMIT 1").c_str());
        q.bind(1, signup_id);
        return q.step() ? read_mark(q) : BookingMark{};
    }

    sqlite3* db_;
    std::mutex& mu_;
};

}  // namespace

std::unique_ptr<BookingStorage> make_sqlite_bookings(sqlite3* db, std::mutex& mu) {
    return std::make_unique<SqliteBookings>(db, mu);
}

}  // namespace kyodo::server
