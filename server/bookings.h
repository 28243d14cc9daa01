// What centre staff do with bookings at city hall (貸出・活動スペース・協働相談, issue 11 points 3
// and 5; docs/lending.md, "Staff side").
//
// A booking is an ordinary sign-up for a slot (a catalog activity of kind "slot", capacity 1:
// docs/lending.md); the sign-up ledger decides who holds it. This file adds the staff's marks on
// a booking and city hall's 優先予約 window:
//  - equipment (or a room's key) handed over: `lent`, then `returned`;
//  - a consultation: `held` or `no_show`.
// Marks are rows of `booking_marks` (created if missing on both engines, like group_decisions);
// they are never deleted: a wrong mark is undone (undone_by / undone_at set), and the booking's
// state is its latest live mark. Each change is compare-and-set on that state, so two staff
// members clicking at once cannot mark "returned" twice or return what was not lent.
//
// The window is two numbers of days and a time (booking_settings): from `group_days` days
// before a slot's day at `opens_at`, registered groups may book it (extra.slot.priority_opens);
// from `all_days` days before, everyone may (signup_opens). It is applied when slots are
// published (server/slot_plan.h); changing it does not move slots already published.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace kyodo::server {

struct BookingMark {
    std::int64_t id = 0;
    std::string signup_id;   // the booking (a sign-up record's id)
    std::string mark;        // lent | returned | held | no_show
    std::string by, at;      // staff user, RFC 3339 UTC
    std::string undone_by, undone_at;
    bool live() const { return undone_at.empty(); }
};

bool is_booking_mark(const std::string& mark);
// Whether `next` may follow the booking's current state (its latest live mark, "" = none):
// lent after nothing, returned after lent; held or no_show after nothing.
bool mark_may_follow(const std::string& current, const std::string& next);
// The latest live mark of each booking (signup id → mark), from marks() in id order.
std::map<std::string, BookingMark> current_marks(const std::vector<BookingMark>& all);

struct BookingWindow {
    int group_days = 30;          // registered groups may book from this many days before the slot's day
    int all_days = 14;            // everyone may book from this many days before
    std::string opens_at = "09:00";
    std::string updated_by, updated_at;
};
// "" when sound, else which part is wrong: "group_days" | "all_days" | "opens_at".
// 0 <= all_days <= group_days <= 365; opens_at "HH:MM".
std::string check_window(const BookingWindow& w);
// The window as rows of booking_settings (name, value), and one row read back into it.
std::vector<std::pair<std::string, std::string>> window_settings(const BookingWindow& w);
void apply_window_setting(BookingWindow& w, const std::string& name, const std::string& value);

// The consultation bookings city hall lists (/admin/consultations and its CSV): sign-ups for
// the catalog's slots of type consultation (not deleted), filtered ("" = any): `centre` the
// slot's centre, `month` a prefix of the slot's date ("2027-01"), `topic` the booking's topic,
// `status` upcoming (confirmed, no live mark) | held | no_show (the latest live mark of a
// confirmed booking) | waitlisted | cancelled.
struct ConsultationFilter {
    std::string centre, topic, month, status;
};
// One consultation booking of a page: its slot and its sign-up.
struct ConsultationRef {
    std::string slot_id, signup_id;
};

class BookingStorage {
public:
    virtual ~BookingStorage() = default;
    // Adds `mark` to the booking when its current state is `expect` ("" = no live mark): the
    // new mark's id, or 0 when the state is something else now (another click came first).
    virtual std::int64_t add_mark(const std::string& signup_id, const std::string& mark, const std::string& expect,
                                  const std::string& by, const std::string& now) = 0;
    // Undoes the booking's latest live mark when it is `expect`: its id, or 0.
    virtual std::int64_t undo_mark(const std::string& signup_id, const std::string& expect, const std::string& by,
                                   const std::string& now) = 0;
    // Every mark, live and undone, in the order made.
    virtual std::vector<BookingMark> marks() = 0;
    virtual std::vector<BookingMark> marks_of(const std::string& signup_id) = 0;

    // One page of the consultation bookings matching `f`, by the slot's start, the slot's id,
    // then arrival (`limit` from `offset`), read in the database; and how many match in all.
    virtual std::vector<ConsultationRef> consultations_page(const ConsultationFilter& f, std::size_t limit, std::size_t offset) = 0;
    virtual std::int64_t consultation_count(const ConsultationFilter& f) = 0;

    virtual BookingWindow window() = 0;   // the defaults until city hall sets it
    virtual void set_window(const BookingWindow& w) = 0;
};

// Engine halves (server/bookings_storage_sqlite.cpp, server/bookings_storage_pg.cpp), like the
// group registration's: SQLite shares SqliteStorage's connection and mutex; PostgreSQL opens a
// connection of its own (a staff member's click, never the push path).
std::unique_ptr<BookingStorage> make_sqlite_bookings(sqlite3* db, std::mutex& mu);
std::unique_ptr<BookingStorage> make_pg_bookings(const std::string& url);

}  // namespace kyodo::server
