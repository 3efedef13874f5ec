// Graph algorithms behind `kg path`, `kg neighbors`, `kg top` and `kg rank`.
//
// Path and neighbourhood searches walk the store's edge indexes directly
// (one prefix scan per visited actor); weighted paths and centrality run
// Boost.Graph on an in-memory compressed-sparse-row projection of the
// selected subgraph, built from index scans. Every search honours the
// budgets of QueryOptions (time, work, max_hops) and fails cleanly instead of
// hanging. Results are ResultTables so that the CLI formats them like queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "query/query.h"

namespace kg::query {

enum class Direction { kOut, kIn, kBoth };

// CAMEO quad classes by code root: 01-05 verbal cooperation, 06-08 material
// cooperation, 09-13 verbal conflict, 14-20 material conflict.
enum class QuadClass : int {
  kVerbalCooperation = 1,
  kMaterialCooperation,
  kVerbalConflict,
  kMaterialConflict
};

// The quad class of a CAMEO event code ("112" -> kVerbalConflict), or none
// for an empty or malformed code.
std::optional<QuadClass> QuadClassOfCameo(std::string_view cameo);
std::string_view QuadClassName(QuadClass quad);

// Which edges an algorithm looks at.
struct SubgraphFilter {
  // Relation names (any alias spelling; normalised). Empty: all relations.
  std::vector<std::string> relations;
  // Relation class: "conflict", "cooperation", "verbal", "material",
  // "verbal-conflict", "material-conflict", "verbal-cooperation",
  // "material-cooperation". Empty: any.
  std::string relation_class;
  Date date_from = INT32_MIN;
  Date date_to = INT32_MAX;
  // Count negated ("did not accuse") events. Default: false.
  bool include_negated = false;
};

struct PathOptions {
  SubgraphFilter filter;
  // Hop limit; must not exceed QueryOptions::max_hops. Default: 4.
  int max_hops = 4;
  // All shortest paths instead of one. Default: false.
  bool all = false;
  // Follow edges in their direction only (kOut) or ignore it. Default: kBoth.
  Direction direction = Direction::kBoth;
  // Dijkstra on the projection with weight 1/(number of events), so that
  // well-attested links are preferred. Default: false (fewest hops).
  bool weighted = false;
};

// Shortest path(s) between the actors `from` and `to` (names or aliases).
// Columns: path, hops (and cost when weighted). kNotFound-free: no path
// within max_hops gives zero rows plus a note. Unknown names fail with
// kInvalidArgument and suggestions.
Result<ResultTable> FindPaths(const GraphReader& reader, const std::string& from,
                              const std::string& to, const PathOptions& options,
                              const QueryOptions& budget);

struct NeighborOptions {
  SubgraphFilter filter;
  int hops = 1;  // Default: 1; must not exceed QueryOptions::max_hops.
  Direction direction = Direction::kBoth;
  // Only count the actors of each ring (columns hops, actors): no actor
  // records are read, so a large neighbourhood stays cheap. Default: false.
  bool count_only = false;
};

// Actors within `hops` of `actor`. Columns: actor, code, hops, via (the first
// actor on a shortest path from `actor`), events (events linking it to the
// previous ring). Sorted by hops, then events descending, then name.
Result<ResultTable> Neighbors(const GraphReader& reader, const std::string& actor,
                              const NeighborOptions& options, const QueryOptions& budget);

struct TopOptions {
  // Relation name; empty: all relations.
  std::string relation;
  size_t limit = 10;  // Default: 10.
};

// Most frequent (source, relation, target) pairs from the pair-count index.
// Columns: source, relation, target, events.
Result<ResultTable> TopPairs(const GraphReader& reader, const TopOptions& options,
                             const QueryOptions& budget);

enum class RankMeasure { kDegree, kInDegree, kOutDegree, kBetweenness, kPageRank, kComponents };
std::optional<RankMeasure> ParseRankMeasure(std::string_view name);

struct RankOptions {
  SubgraphFilter filter;
  RankMeasure measure = RankMeasure::kDegree;
  size_t limit = 10;  // Default: 10.
};

// Actors ranked by a centrality measure over the filtered projection.
// Columns: rank, actor, code, score. For kComponents the rows are weakly
// connected components: rank, size, actors (largest-degree members first).
Result<ResultTable> RankActors(const GraphReader& reader, const RankOptions& options,
                               const QueryOptions& budget);

// Size of an in-memory projection, reported by BuildProjectionInfo.
struct ProjectionInfo {
  uint64_t vertices = 0;
  uint64_t edges = 0;         // Distinct directed (source, target) pairs.
  uint64_t events = 0;        // Events folded into those edges.
  uint64_t memory_bytes = 0;  // Approximate heap bytes of the CSR graph and maps.
  double build_ms = 0.0;
};

// Builds the CSR projection of the filtered subgraph and reports its size
// and build time (used by benchmarks and `kg rank --verbose`).
Result<ProjectionInfo> BuildProjectionInfo(const GraphReader& reader, const SubgraphFilter& filter,
                                           const QueryOptions& budget);

}  // namespace kg::query
