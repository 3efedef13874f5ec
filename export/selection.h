// Selection: which part of the stored graph an export shows, collapsed into
// one edge per (source, relation, target, negated) with a count.
//
// Memory is proportional to the number of distinct collapsed edges and their
// actors, never to the number of events: an edge's events (and so its
// documents and quotes) are re-read from the store with ForEachEdgeEvent when
// a writer needs them. The one exception is an explicit event list, which the
// caller already holds in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/graph_store.h"
#include "graph/status.h"
#include "graph/types.h"

namespace kg::exporter {

// CAMEO quad classes, from the two-digit root of an event code:
// 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
// conflict, 14-20 material conflict. kUnknown for empty or unparsable codes.
enum class QuadClass : uint8_t {
  kUnknown = 0,
  kVerbalCooperation = 1,
  kMaterialCooperation = 2,
  kVerbalConflict = 3,
  kMaterialConflict = 4,
};

QuadClass QuadClassOf(std::string_view cameo);
// "verbal-cooperation", "material-cooperation", "verbal-conflict",
// "material-conflict" or "unknown".
std::string_view QuadClassName(QuadClass quad);
// "#rrggbb": greens for cooperation, orange/red for conflict, grey for unknown.
std::string_view QuadClassColor(QuadClass quad);

// Which events count. Built from SelectionOptions by SelectSubgraph.
struct EventFilter {
  std::vector<RelationId> relations;        // Sorted; empty = every relation.
  uint8_t quad_mask = 0;                    // Bit (1 << QuadClass); 0 with no prefixes = any.
  std::vector<std::string> cameo_prefixes;  // CAMEO code prefixes, e.g. "11", "112".
  Date date_from = INT32_MIN;               // Inclusive.
  Date date_to = INT32_MAX;                 // Inclusive.
  bool include_negated = false;

  bool Matches(const EdgeEntry& entry) const;
};

struct SelectionOptions {
  // Ego network: actors named here (resolved through FindActorsByAlias; an
  // ambiguous alias selects every match) and everything within `hops` steps,
  // following edges in either direction. Empty = the whole graph.
  std::vector<std::string> around;
  // Radius of the ego network. Default: 1. Must be >= 0.
  int hops = 1;
  // Keep only these relations (lemmas, normalized like the store). Empty = all.
  std::vector<std::string> relations;
  // Keep only these CAMEO classes: "cooperation", "conflict", "verbal",
  // "material", "verbal-cooperation", "material-cooperation",
  // "verbal-conflict", "material-conflict", "unknown", or a CAMEO code prefix
  // of digits ("11" = disapprove, "112" = accuse). Empty = all.
  std::vector<std::string> cameo_classes;
  Date date_from = INT32_MIN;  // Inclusive; INT32_MIN = open.
  Date date_to = INT32_MAX;    // Inclusive; INT32_MAX = open.
  // Drop collapsed edges with fewer events. Default: 1 (keep all).
  int64_t min_count = 1;
  // Keep only the N actors of highest degree (events in the selection; ties by
  // actor id) plus the ego centres. 0 = all. Default: 0.
  size_t top = 0;
  // Negated events ("did not accuse") become their own edges. Default: false.
  bool include_negated = false;
  // Use exactly these events instead of scanning (e.g. a query's result);
  // the filters above still apply and `around` must be empty.
  std::optional<std::vector<EventKey>> events;
};

// Validates options and builds the event filter.
// Errors: kInvalidArgument for an unknown CAMEO class, a negative hop count,
// an inverted date range or `around` combined with `events`.
Result<EventFilter> MakeEventFilter(const SelectionOptions& options);

struct ExportNode {
  ActorId id = 0;
  std::string name;
  std::string code;
  ActorType type = ActorType::kUnknown;
  std::vector<std::string> aliases;
  int64_t out_events = 0;  // Selected events with this actor as source.
  int64_t in_events = 0;   // ... as target.
  bool centre = false;     // One of the ego network's centres.
  int64_t degree() const { return out_events + in_events; }
};

struct ExportEdge {
  size_t source = 0;  // Index into Subgraph::nodes.
  size_t target = 0;
  ActorId source_id = 0;
  ActorId target_id = 0;
  RelationId relation_id = 0;
  std::string relation;  // Stored (normalized) relation name.
  bool negated = false;
  int64_t count = 0;  // Events collapsed into this edge.
  Date first_date = kUnknownDate;
  Date last_date = kUnknownDate;
  std::string cameo;  // The most frequent code (ties: smallest); may be empty.
  QuadClass quad = QuadClass::kUnknown;
  double goldstein = 0.0;  // Mean over the events, rounded to 2 decimals.
};

// The selected, collapsed graph. Nodes are sorted by name then id; edges by
// source node, target node, relation name, negated: the same store and
// options always give the same order.
struct Subgraph {
  std::vector<ExportNode> nodes;
  std::vector<ExportEdge> edges;
  EventFilter filter;
  // Parallel to `edges` when selected from an explicit event list; else empty.
  std::vector<std::vector<EventKey>> edge_events;
};

// Selects and collapses. Errors: kInvalidArgument as MakeEventFilter;
// kNotFound when an `around` name matches no actor; store errors.
Result<Subgraph> SelectSubgraph(const GraphReader& reader, const SelectionOptions& options);

// Visits the selected events of graph.edges[edge] in index order (date, then
// event key). Return false from `visit` to stop early.
// REQUIRES: edge < graph.edges.size().
Status ForEachEdgeEvent(const GraphReader& reader, const Subgraph& graph, size_t edge,
                        const EdgeVisitor& visit);

// Visits every selected event without collapsing, in the store's index order,
// holding no per-event state (for streaming formats). `min_count`, `top` and
// `around` need collapsed counts: with any of them set, the events are visited
// edge by edge in Subgraph order instead.
Status ForEachSelectedEvent(const GraphReader& reader, const SelectionOptions& options,
                            const EdgeVisitor& visit);

// DocKey -> document id for every stored document (memory proportional to the
// number of documents). Thread compatible.
class DocumentIds {
 public:
  static Result<DocumentIds> Load(const GraphReader& reader);
  // The id, or "" when the key is unknown.
  const std::string& Get(DocKey key) const;

 private:
  std::unordered_map<DocKey, std::string> ids_;
};

// Distinct document ids of one edge's selected events, sorted.
Result<std::vector<std::string>> EdgeDocuments(const GraphReader& reader, const Subgraph& graph,
                                               size_t edge, const DocumentIds& docs);

}  // namespace kg::exporter
