// Internal to ingest/: what the gold-file scorers (evaluation.cc for the
// seed, CaRB and PolNeAR formats, event_eval.cc for WikiEvents, RAMS and
// ACLED) share: JSON Lines records with FILE:LINE errors, member look-up,
// and the report's number and quote formatting.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "graph/status.h"
#include "rapidjson/document.h"

namespace kg::ingest::evalrec {

// Where a record was read, for errors ("gold.jsonl:12: ...").
struct Loc {
  std::string_view file;
  size_t line = 0;
  Status Error(const std::string& message) const {
    return Status::InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + message);
  }
};

// Calls fn(loc, object) for every non-blank line of `jsonl` (`name` is the
// file in messages). A line that is not a JSON object is an error; with
// `validate_utf8`, so is malformed UTF-8.
Status ForEachRecord(std::string_view jsonl, std::string_view name, bool validate_utf8,
                     const std::function<Status(const Loc&, const rapidjson::Value&)>& fn);

// The member `key` of `obj`, or nullptr (also when obj is not an object).
const rapidjson::Value* Find(const rapidjson::Value& obj, const char* key);

// "%.3f", as the scores are printed.
std::string Fixed3(double v);

// `s` with line breaks and tabs as spaces, cut to about `max` bytes on a
// UTF-8 boundary with "..." added.
std::string Clip(std::string_view s, size_t max = 160);

}  // namespace kg::ingest::evalrec
