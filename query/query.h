// Public surface of the query engine: run a Cypher/GQL-subset query against a
// GraphReader snapshot and format its rows. Graph algorithms (paths,
// neighbourhoods, top pairs, centrality) live in query/algorithms.h.
//
// Thread safety: every function here is thread compatible; it only reads the
// GraphReader it is given, which must not be used concurrently by others.
// No exception escapes these functions: every failure is a Status.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph_store.h"
#include "graph/status.h"

namespace kg::query {

// A result cell: null, boolean, integer, floating point, string or list.
// Nodes render as their canonical name, edges and paths as readable strings.
class Value {
 public:
  enum class Kind : uint8_t { kNull = 0, kBool, kInt, kDouble, kString, kList };

  Value() = default;
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Double(double d);
  static Value String(std::string s);
  static Value List(std::vector<Value> items);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_number() const { return kind_ == Kind::kInt || kind_ == Kind::kDouble; }
  // REQUIRES: the matching kind (AsDouble also accepts kInt).
  bool AsBool() const { return int_ != 0; }
  int64_t AsInt() const { return int_; }
  double AsDouble() const { return kind_ == Kind::kInt ? static_cast<double>(int_) : double_; }
  const std::string& AsString() const { return string_; }
  const std::vector<Value>& AsList() const { return list_; }

  // Display text: "" for null, "true"/"false", shortest round-trip numbers,
  // strings verbatim, lists as "[a, b]".
  std::string ToString() const;

  // A total order used for sorting, grouping and cursors: null < bool <
  // numbers (compared numerically) < strings (bytewise) < lists.
  friend int Compare(const Value& a, const Value& b);
  friend bool operator==(const Value& a, const Value& b) { return Compare(a, b) == 0; }
  friend bool operator<(const Value& a, const Value& b) { return Compare(a, b) < 0; }

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;  // kBool and kInt.
  double double_ = 0.0;
  std::string string_;
  std::vector<Value> list_;
};

// Rows of a query or algorithm, plus what the caller should show beside them.
struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  // Non-empty when more rows follow: pass it back as QueryOptions::after.
  std::string next_cursor;
  // Warnings worth showing on stderr (e.g. a relation unknown to the store).
  std::vector<std::string> notes;
};

struct QueryOptions {
  // Page size: at most this many rows are returned; a LIMIT clause in the
  // query lowers it further. Default: 1000.
  size_t row_limit = 1000;
  // Wall-clock budget of one call; exceeding it fails with kAborted.
  // 0 disables the budget. Default: 30000 ms.
  int64_t time_budget_ms = 30000;
  // Work budget: edges scanned plus intermediate bindings produced; exceeding
  // it fails with kResourceExhausted. Default: 20 million.
  uint64_t work_budget = 20'000'000;
  // Largest upper bound a variable-length pattern (`*1..N`), SHORTEST, path
  // or neighbourhood search may use. Unbounded `*` is refused. Default: 6.
  int max_hops = 6;
  // Add evidence columns (document, date, quote, span) for every edge a row
  // binds. Refused for aggregating queries. Default: false.
  bool evidence = false;
  // Keyset pagination: the ResultTable::next_cursor of the previous page of
  // the same query. Default: "" (first page).
  std::string after;
  // Answer traversals and counts without date bounds from the stored
  // topology (graph/topology.h) when it is current; results are the same
  // as from the edge indexes. false forces the edge indexes. Default: true.
  bool use_topology = true;
};

// Parses, plans and executes `text`. Rows come sorted by ORDER BY keys, then
// by every returned column, then by the identity of the bound edges, so
// results and cursors are deterministic. A query starting with EXPLAIN
// returns its plan as a one-column table ("plan").
// Errors: kInvalidArgument for syntax errors ("line L, column C: ..." followed
// by the offending line and a caret), unknown actors (with suggestions) and
// bad options; kResourceExhausted / kAborted when a budget is exceeded;
// store errors as returned by the reader.
Result<ResultTable> RunQuery(const GraphReader& reader, std::string_view text,
                             const QueryOptions& options);

// The plan of `text` (with or without an EXPLAIN prefix): one line per
// operator naming the index scanned and the direction of each expansion.
Result<std::string> ExplainQuery(const GraphReader& reader, std::string_view text,
                                 const QueryOptions& options);

// Aligned text table with a header, a rule and a "(N rows)" footer; when
// next_cursor is set the footer also says how to fetch the next page.
std::string FormatTable(const ResultTable& table);
// One JSON object per row keyed by column name; when next_cursor is set a
// final line {"_next_cursor": "..."} follows.
std::string FormatJsonLines(const ResultTable& table);
// Tab-separated header and rows; tabs and newlines inside cells become spaces.
std::string FormatTsv(const ResultTable& table, bool header = true);

}  // namespace kg::query
