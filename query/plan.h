// Internal: the executable plan of a query. The planner (planner.cc) resolves
// variables to binding slots, actor names to ids, pushes conditions into index
// scans, orders the operators; the executor (executor.cc) runs them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "query/ast.h"
#include "query/graph_context.h"

namespace kg::query {

// Values bound while matching: one entry per slot.
struct Binding {
  std::vector<ActorId> nodes;          // 0 = unbound.
  std::vector<EdgeEntry> edges;        // Single-edge relationship variables.
  std::vector<std::vector<Hop>> hops;  // Variable-length relationships and paths.
  std::vector<bool> edge_bound;
};

struct NodeInfo {
  std::string var;  // User name, or "_n<k>" for anonymous nodes.
  bool anonymous = false;
  std::optional<std::vector<ActorId>> candidates;  // Sorted; set by name/code conditions.
  std::optional<ActorType> type;                   // From a label.
  std::string candidate_text;                      // For EXPLAIN.
};

struct RelInfo {
  std::string var;
  bool anonymous = false;
  bool variable_length = false;
  int slot = -1;  // Edge slot (fixed length) or hops slot (variable length).
  int min_hops = 1, max_hops = 1;
  RelDirection direction = RelDirection::kOut;
  int from_node = -1, to_node = -1;  // Node slots in pattern order.
  // Relation ids to scan (sorted); empty means any relation.
  std::vector<RelationId> relations;
  std::vector<std::string> relation_names;
  bool no_relation_matches = false;  // Every named type is unknown: matches nothing.
  Date date_from = INT32_MIN, date_to = INT32_MAX;
  bool include_negated = false;
  // Variable length only: conditions every hop must satisfy.
  std::vector<const Expr*> per_hop_filters;
};

enum class OpKind { kBindNode, kScanRel, kExpand, kVarExpand, kShortest, kBuildPath };

struct PlanOp {
  OpKind kind = OpKind::kBindNode;
  int node = -1;        // kBindNode: the node slot. Others: the node expanded from.
  int other = -1;       // The node reached.
  int rel = -1;         // Index into Plan::rels.
  bool forward = true;  // Traverse rels[rel] from its from_node to its to_node.
  bool all_shortest = false;
  int path_slot = -1;          // kShortest / kBuildPath: hops slot of the path variable (-1: none).
  int pattern = -1;            // kBuildPath: pattern index.
  std::vector<int> path_rels;  // kBuildPath: the pattern's relationships in order.
  std::vector<const Expr*> filters;  // Checked once this operator has bound its variables.
};

// An aggregation answered from the maintained pair-count index (counts CF,
// 'P' relation|source|target -> asserted events) instead of edge scans. Chosen
// only when that index holds exactly what the pattern counts: one pattern of
// one fixed-length directed relationship between two distinct, unpinned
// nodes; asserted events only (r.negated not mentioned); no date bounds; no
// residual condition; group keys that only read node properties; aggregates
// count(*), count(r), count(a) and count(DISTINCT a) / a.name / a.id. With a
// current topology the nodes may be pinned and negated events counted too.
struct CountPlan {
  int rel = -1;
  bool from_is_source = true;  // Pattern from_node is the stored source (direction ->).
  bool group_from = false, group_to = false;  // Group keys read that node.
  // Group keys are node variables or their name/id only, so that groups are
  // in one-to-one correspondence with actor ids (enables exact top-k pruning).
  bool injective_groups = false;
  // Per RETURN item: 0 not an aggregate, 1 counts events, 2 counts distinct
  // actors of node slot distinct_node[i].
  std::vector<int> agg_kind;
  std::vector<int> distinct_node;
  // Read the triples of the current topology (graph/topology.h) instead of
  // the counts column family; allows pinned nodes and negated events.
  bool from_topology = false;
};

struct Plan {
  Query query;
  std::string text;  // The query text, for cursors.
  std::vector<NodeInfo> nodes;
  std::vector<RelInfo> rels;
  int num_edge_slots = 0;
  int num_hops_slots = 0;
  std::vector<PlanOp> ops;
  std::vector<ExprPtr> synthesized;  // Conditions made from property maps.
  bool empty = false;                // Some condition can match nothing.
  std::string empty_reason;
  // Projection.
  bool aggregate = false;
  std::vector<bool> item_is_aggregate;
  std::vector<std::string> columns;
  // ORDER BY key k: an item index, or an extra expression (non-aggregating).
  std::vector<int> order_item;
  std::vector<const Expr*> order_extra;
  std::vector<bool> order_desc;
  std::vector<std::string> notes;
  // Evidence columns: one group per relationship slot with a user-visible name.
  std::vector<int> evidence_rels;  // Indexes into rels.
  // Set when the whole query is answered from the pair-count index.
  std::optional<CountPlan> counts;
  // Some expression reads an edge property stored in the edge value (cameo,
  // root, quad, goldstein, attributed_to): scans must decode values.
  bool needs_edge_values = true;
};

// Builds the plan; resolves actor names (unknown ones fail with suggestions).
Result<Plan> PlanQuery(Query query, std::string_view text, GraphContext& ctx);

// One line per operator, for EXPLAIN.
std::string DescribePlan(const Plan& plan);

// Runs a plan; returns the requested page of rows.
Result<ResultTable> ExecutePlan(const Plan& plan, GraphContext& ctx);

}  // namespace kg::query
