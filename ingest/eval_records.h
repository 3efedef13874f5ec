// Internal to ingest/: what the gold-file scorers (evaluation.cc for the
// seed, CaRB and PolNeAR formats, event_eval.cc for WikiEvents, RAMS and
// ACLED) share: JSON Lines records with FILE:LINE errors, member look-up,
// the report's number and quote formatting, listed misses and the
// documents line.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/status.h"
#include "ingest/evaluation.h"
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

// Collects listed errors, capped at max_listed per kind.
class ErrorList {
 public:
  ErrorList(std::string title, const EvalOptions& options)
      : title_(std::move(title)), options_(options) {}
  void Add(std::string line) {
    ++count_;
    if (options_.list_errors && lines_.size() < options_.max_listed)
      lines_.push_back(std::move(line));
  }
  void AppendTo(std::string* out) const {
    if (!options_.list_errors) return;
    *out += "\n" + title_ + " (" + std::to_string(count_) + "):\n";
    if (count_ == 0) *out += "  (none)\n";
    for (const auto& l : lines_) *out += "  " + l + "\n";
    if (count_ > lines_.size()) {
      *out += "  ... and " + std::to_string(count_ - lines_.size()) + " more\n";
    }
  }

 private:
  std::string title_;
  const EvalOptions& options_;
  std::vector<std::string> lines_;
  size_t count_ = 0;
};

// "documents: N", with the documents that had no prediction record and the
// prediction records no gold document asked for.
std::string DocumentsLine(const EvalReport& r);

}  // namespace kg::ingest::evalrec
