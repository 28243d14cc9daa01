// JSON encoding of the domain types: the one wire and file format for the catalog
// (assets/catalog/*.json, GET /api/v1/catalog) and for records (POST /api/v1/records).
// Decoders throw kyodo::DecodeError with a message naming the field that is wrong.
#pragma once

#include <stdexcept>
#include <string>

#include "core/types.h"

namespace kyodo {

struct DecodeError : std::runtime_error {
    std::string field;
    DecodeError(std::string field_, const std::string& msg)
        : std::runtime_error(field_ + ": " + msg), field(std::move(field_)) {}
};

Json to_json(const Centre&);
Json to_json(const Organization&);
Json to_json(const Activity&);
Json to_json(const Survey&);
Json to_json(const Record&);
Json to_json(const Personal&);

// to_json(record).dump() written directly, without building the tree: the canonical text
// whose SHA-256 is a record's content hash (duplicate / conflict detection), so it must stay
// byte for byte what dump() gives. `payload_json` is record.payload.dump() (or "{}" for a
// null payload), which the caller has at hand anyway. Falls back to dump() when a string
// field is not UTF-8 (dump() throws on it, and so does this).
std::string canonical_json(const Record& record, std::string_view payload_json);

Centre centre_from_json(const Json&);
Organization organization_from_json(const Json&);
Activity activity_from_json(const Json&);
Survey survey_from_json(const Json&);
Record record_from_json(const Json&);
// The same decode (same checks, same errors), moving the payload's tree out of `j` instead of
// copying it: the server decodes each pushed record once and has no other use for it. On an
// error `j` is left as it was.
Record record_from_json(Json&& j);
Personal personal_from_json(const Json&);

// A catalog document or delta:
// { "version": int, "full": bool, "centres": [...], "organizations": [...],
//   "activities": [...], "surveys": [...],
//   "deleted": { "centres": [ids], "organizations": [ids], "activities": [ids], "surveys": [ids] } }
struct CatalogDelta {
    std::int64_t version = 0;
    bool full = false;   // true: replace everything (first pull, or the sample file)
    std::vector<Centre> centres;
    std::vector<Organization> organizations;
    std::vector<Activity> activities;
    std::vector<Survey> surveys;
    std::vector<std::string> deleted_centres, deleted_organizations, deleted_activities,
        deleted_surveys;
};
Json to_json(const CatalogDelta&);
CatalogDelta catalog_from_json(const Json&);

}  // namespace kyodo
