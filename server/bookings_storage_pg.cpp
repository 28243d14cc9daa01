// PostgreSQL half of BookingStorage (server/bookings.h). A connection of its own (a staff
// member's click, never the push path), like group registration's. The tables are created if
// missing under an advisory lock; each mark takes a transaction-level advisory lock per booking
// so two servers on one database apply the compare-and-set one after the other.
#include <libpq-fe.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "server/bookings.h"
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

class Res {
public:
    explicit Res(PGresult* r) : r_(r) {}
    ~Res() { PQclear(r_); }
    Res(const Res&) = delete;
    Res& operator=(const Res&) = delete;
    int rows() const { return PQntuples(r_); }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
    }
    std::int64_t i64(int row, int col) const { return std::stoll(text(row, col)); }

private:
    PGresult* r_;
};

class PgBookings final : public BookingStorage {
public:
    explicit PgBookings(std::string url) : url_(std::move(url)) {
        std::lock_guard lock(mu_);
        connect();
        tx([&] {
            exec("SELECT pg_advisory_xact_lock($1::bigint)", {kSchemaLockKey});
            script(kSchema);
        });
    }
    ~PgBookings() override { PQfinish(c_); }

    std::int64_t add_mark(const std::string& signup_id, const std::string& mark, const std::string& expect,
                          const std::string& by, const std::string& now) override {
        if (!is_booking_mark(mark)) return 0;
        std::lock_guard lock(mu_);
        std::int64_t id = 0;
        tx([&] {
            id = 0;
            lock_booking(signup_id);
            if (current(signup_id).mark != expect || !mark_may_follow(expect, mark)) return;
            Res r = exec("INSERT INTO booking_marks (signup_id, mark, marked_by, marked_at) VALUES ($1, $2, $3, $4) RETURNING id",
                         {signup_id, mark, by, now});
            id = r.i64(0, 0);
        });
        return id;
    }

    std::int64_t undo_mark(const std::string& signup_id, const std::string& expect, const std::string& by,
                           const std::string& now) override {
        std::lock_guard lock(mu_);
        std::int64_t id = 0;
        tx([&] {
            id = 0;
            lock_booking(signup_id);
            const BookingMark cur = current(signup_id);
            if (cur.id == 0 || cur.mark != expect) return;
            exec("UPDATE booking_marks SET undone_by = $1, undone_at = $2 WHERE id = $3::bigint", {by, now, std::to_string(cur.id)});
            id = cur.id;
        });
        return id;
    }

    std::vector<BookingMark> marks() override {
        std::lock_guard lock(mu_);
        ensure();
        return read(exec((std::string(kCols) + "ORDER BY id").c_str()));
    }

    std::vector<BookingMark> marks_of(const std::string& signup_id) override {
        std::lock_guard lock(mu_);
        ensure();
        return read(exec((std::string(kCols) + "WHERE signup_id = $1 ORDER BY id").c_str(), {signup_id}));
    }

    BookingWindow window() override {
        std::lock_guard lock(mu_);
        ensure();
        BookingWindow w;
        Res r = exec("SELECT name, value FROM booking_settings");
        for (int i = 0; i < r.rows(); ++i) apply_window_setting(w, r.text(i, 0), r.text(i, 1));
        return w;
    }

    void set_window(const BookingWindow& w) override {
        std::lock_guard lock(mu_);
        tx([&] {
            for (const auto& [k, v] : window_settings(w))
                exec("INSERT INTO booking_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                     {k, v});
        });
    }

private:
    void connect() {
        c_ = PQconnectdb(url_.c_str());
        if (!c_ || PQstatus(c_) != CONNECTION_OK) {
            std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
            PQfinish(c_);
            c_ = nullptr;
            throw StorageError("bookings: cannot connect to PostgreSQL: " + msg);
        }
        PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
        PQclear(PQexec(c_, "SET client_encoding = 'UTF8'"));
    }
    void ensure() {
        if (c_ && PQstatus(c_) == CONNECTION_OK) return;
        if (c_) {
            PQreset(c_);
            if (PQstatus(c_) == CONNECTION_OK) return;
            PQfinish(c_);
            c_ = nullptr;
        }
        connect();
    }
    Res exec(const char* sql, std::initializer_list<std::string> params = {}) {
        std::vector<const char*> v;
        for (const auto& p : params) v.push_back(p.c_str());
        PGresult* r = PQexecParams(c_, sql, static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0);
        check(r, sql);
        return Res(r);
    }
    void script(const char* sql) {
        PGresult* r = PQexec(c_, sql);
        check(r, sql);
        PQclear(r);
    }
    void check(PGresult* r, const char* sql) {
        const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
        PQclear(r);
        throw StorageError("bookings: postgresql: " + msg + " (in: " + std::string(sql).substr(0, 80) + ")");
    }
    template <class F>
    void tx(F&& fn) {
        ensure();
        script("BEGIN");
        try {
            fn();
            script("COMMIT");
        } catch (...) {
            PQclear(PQexec(c_, "ROLLBACK"));
            throw;
        }
    }
    // One booking's marks change one transaction at a time, across servers too.
    void lock_booking(const std::string& signup_id) {
        exec("SELECT pg_advisory_xact_lock(hashtext('booking_marks:' || $1)::bigint)", {signup_id});
    }
    BookingMark current(const std::string& signup_id) {
        auto v = read(exec((std::string(kCols) + "WHERE signup_id = $1 AND undone_at = '' ORDER BY id DESC LIMIT 1").c_str(), {signup_id}));
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

    std::string url_;
    std::mutex mu_;
    PGconn* c_ = nullptr;
};

}  // namespace

std::unique_ptr<BookingStorage> make_pg_bookings(const std::string& url) { return std::make_unique<PgBookings>(url); }

}  // namespace kyodo::server
