// Internal: cached lookups on a GraphReader shared by the executor and the
// algorithms (actor records, relation names, documents, events), actor name
// resolution with suggestions, and the time/work budget.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/graph_store.h"
#include "query/algorithms.h"
#include "query/query.h"

namespace kg::query {

// Tracks the budgets of QueryOptions. Charge() is cheap; it looks at the
// clock every 1024 units of work.
class Budget {
 public:
  explicit Budget(const QueryOptions& options);
  // Adds `units` of work; fails with kResourceExhausted or kAborted.
  Status Charge(uint64_t units = 1);
  uint64_t used() const { return used_; }

 private:
  Status CheckClock();
  uint64_t limit_;
  int64_t time_ms_;
  uint64_t used_ = 0;
  uint64_t next_clock_check_ = 1024;
  std::chrono::steady_clock::time_point start_;
};

class GraphContext {
 public:
  GraphContext(const GraphReader& reader, const QueryOptions& options)
      : reader_(reader), options_(options), budget_(options) {}

  const GraphReader& reader() const { return reader_; }
  const QueryOptions& options() const { return options_; }
  Budget& budget() { return budget_; }

  // The actor record, or a placeholder named by its hex id when missing.
  Result<const ActorRecord*> Actor(ActorId id);
  Result<std::string> ActorName(ActorId id);
  // Loads every uncached actor of `ids` with one batched read (MultiGet), so
  // that the Actor()/ActorName() calls that follow are cache hits.
  Status PrefetchActors(const std::vector<ActorId>& ids);
  // The stored relation name ("" if unknown).
  Result<std::string> RelationName(RelationId id);
  // The event behind an edge (cached, one entry per key).
  Result<const StoredEvent*> Event(const EventKey& key);
  // Metadata of the document an event came from (nullptr if gone).
  Result<const DocumentMeta*> DocumentOf(const EventKey& key);

  // Actors whose name or alias is `name`. Unknown names fail with
  // kInvalidArgument naming the closest known actors.
  Result<std::vector<ActorId>> ResolveActor(const std::string& name);
  // Up to `n` known actor names closest to `name` (edit distance over
  // canonical names and aliases, substring matches first).
  Result<std::vector<std::string>> SuggestActors(const std::string& name, size_t n = 3);
  // All actor records (one scan, cached).
  Result<const std::vector<ActorRecord>*> AllActors();
  // Relation names known to the store closest to `name`.
  Result<std::vector<std::string>> SuggestRelations(const std::string& name, size_t n = 3);
  // Does the store hold this relation?
  Result<bool> RelationExists(RelationId id);
  // The store's topology when it is current and QueryOptions::use_topology
  // allows it, else nullptr (then scan the edge indexes). Loading it reads
  // the whole graph's structure (about 90 ms per million events), so small
  // searches call set_load_topology(false) first: then only a topology the
  // reader already loaded for an earlier query is used.
  Result<const Topology*> CurrentTopology();
  void set_load_topology(bool load) { load_topology_ = load; }
  // Asserted events with `id` as source and as target (the degree counters).
  Result<std::pair<int64_t, int64_t>> Degree(ActorId id);

 private:
  const GraphReader& reader_;
  const QueryOptions& options_;
  Budget budget_;
  std::unordered_map<ActorId, std::unique_ptr<ActorRecord>> actors_;
  std::unordered_map<RelationId, std::string> relations_;
  std::map<EventKey, std::unique_ptr<StoredEvent>> events_;
  std::unordered_map<DocKey, std::unique_ptr<DocumentMeta>> docs_;
  std::optional<std::vector<ActorRecord>> all_actors_;
  std::optional<std::shared_ptr<const Topology>> topology_;
  bool load_topology_ = true;
};

// Open-addressing hash map from actor ids (never 0) to small values: linear
// probing in one flat array, no allocation per entry. Traversals keep their
// visited sets here (std::unordered_map allocated a node per visited actor).
// Pointers returned by Insert/Find are invalidated by the next Insert.
template <typename V>
class ActorMap {
 public:
  explicit ActorMap(size_t expected = 16) { Reset(expected); }

  void Reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    keys_.assign(cap, 0);
    vals_.assign(cap, V());
    mask_ = cap - 1;
    size_ = 0;
  }
  // Returns the value slot of `id` and whether it was inserted (as `v`).
  std::pair<V*, bool> Insert(ActorId id, const V& v) {
    if ((size_ + 1) * 2 > keys_.size()) Grow();
    size_t i = Slot(id);
    while (keys_[i] != 0) {
      if (keys_[i] == id) return {&vals_[i], false};
      i = (i + 1) & mask_;
    }
    keys_[i] = id;
    vals_[i] = v;
    ++size_;
    return {&vals_[i], true};
  }
  V* Find(ActorId id) {
    size_t i = Slot(id);
    while (keys_[i] != 0) {
      if (keys_[i] == id) return &vals_[i];
      i = (i + 1) & mask_;
    }
    return nullptr;
  }
  const V* Find(ActorId id) const { return const_cast<ActorMap*>(this)->Find(id); }
  size_t size() const { return size_; }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != 0) fn(keys_[i], vals_[i]);
    }
  }

 private:
  size_t Slot(ActorId id) const {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & mask_;
  }
  void Grow() {
    std::vector<ActorId> keys = std::move(keys_);
    std::vector<V> vals = std::move(vals_);
    Reset(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != 0) Insert(keys[i], vals[i]);
    }
  }
  std::vector<ActorId> keys_;
  std::vector<V> vals_;
  size_t mask_ = 0, size_ = 0;
};

// Levenshtein distance over bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// The relation ids of `filter.relations`, plus a predicate on CAMEO codes for
// `filter.relation_class`. Unknown relation names produce notes.
struct EdgeFilter {
  std::vector<RelationId> relations;  // Empty: any.
  std::vector<QuadClass> quads;       // Empty: any.
  Date date_from = INT32_MIN;
  Date date_to = INT32_MAX;
  bool include_negated = false;
  bool Accepts(const EdgeEntry& e) const;
  // Only relations and negation restrict it: the topology holds what it needs.
  bool TopologyCovers() const {
    return quads.empty() && date_from == INT32_MIN && date_to == INT32_MAX;
  }
};
Result<EdgeFilter> CompileFilter(GraphContext& ctx, const SubgraphFilter& filter,
                                 std::vector<std::string>* notes);

// One step between two actors: the distinct (source, relation, target)
// triple, folded over its matching events.
struct Hop {
  ActorId from = 0;                // The actor the walk came from.
  ActorId to = 0;                  // The actor it reached.
  ActorId source = 0, target = 0;  // Stored direction.
  RelationId relation = 0;
  EventKey first_event;  // Earliest matching event in index order (evidence).
  Date first_date = kUnknownDate;
  int64_t events = 0;
};

// Calls fn(links, out) for the link lists of topology actor v in `direction`
// restricted to `relations` (all when empty), in the order the edge-index
// walk of ForEachHop visits them: out-links first, then per relation.
Status ForEachLinkSpan(const Topology& topo, uint32_t v, Direction direction,
                       const std::vector<RelationId>& relations,
                       const std::function<Status(std::span<const TopologyLink>, bool)>& fn);

// ForEachHop over the edges `filter` accepts, from the topology when it is
// current and covers the filter (no first_event or first_date then), else
// from the edge indexes. Charges one unit of work per link or edge read.
Status ForEachFilteredHop(GraphContext& ctx, ActorId from, Direction direction,
                          const EdgeFilter& filter, const std::function<Status(const Hop&)>& visit,
                          const bool* stop = nullptr);

// Calls `visit` for every hop leaving `from` in `direction` over edges that
// `accept` lets through, one call per distinct triple. Uses one prefix scan
// per direction and per relation in `relations` (all relations if empty).
// Charges one unit of work per scanned edge. When `stop` is given and `visit`
// sets *stop, the walk ends at once (no further hops, Ok).
Status ForEachHop(GraphContext& ctx, ActorId from, Direction direction,
                  const std::vector<RelationId>& relations, const EdgeScanSpec& base,
                  const std::function<bool(const EdgeEntry&)>& accept,
                  const std::function<Status(const Hop&)>& visit, const bool* stop = nullptr);

}  // namespace kg::query
