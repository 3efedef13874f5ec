// Topology: the structure of the whole graph in memory, for traversals and
// counts that would otherwise read most of the edge indexes. One link per
// distinct (source, relation, target) triple, with its number of events and
// of asserted (non-negated) events, in compressed-sparse-row form in both
// directions over dense actor numbers.
//
// The store keeps a serialised copy (column family "topology", layout in
// graph/key_codec.h) stamped with the store's write generation: a reader
// uses it only when no document was written or removed since it was built
// (GraphReader::GetTopology), and queries fall back to the edge indexes
// otherwise. GraphStore::RefreshTopology rebuilds it; kg ingest and kg import
// do so after a write.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "graph/types.h"

namespace kg {

// One distinct (source, relation, target) triple seen from one end.
struct TopologyLink {
  uint32_t other = 0;     // Dense number of the actor at the other end.
  uint32_t relation = 0;  // Dense number of the relation.
  uint32_t events = 0;    // Events of the triple, negated ones included.
  uint32_t asserted = 0;  // Its non-negated events.
  bool operator==(const TopologyLink&) const = default;
};
static_assert(sizeof(TopologyLink) == 16);

// A (source, relation, target) triple with its event counts; the unit the
// topology is built from, in edges_out key order.
struct TopologyTriple {
  ActorId source = 0;
  RelationId relation = 0;
  ActorId target = 0;
  uint32_t events = 0;
  uint32_t asserted = 0;
};

// The stored part of a topology (the in-links, degrees and index are derived
// on load); graph/key_codec.h encodes it.
struct TopologyCsr {
  uint64_t generation = 0;              // Store generation it was built at.
  std::vector<ActorId> actors;          // Sorted, distinct.
  std::vector<RelationId> relations;    // Sorted, distinct.
  std::vector<uint32_t> out_offsets;    // actors.size() + 1 entries.
  std::vector<TopologyLink> out_links;  // Per actor sorted by (relation, other).
  bool operator==(const TopologyCsr&) const = default;
};

class TopologyBuilder;

class Topology {
 public:
  // Builds from triples sorted by (source, relation, target) without
  // duplicates (the order of the edges_out index), over the actors and
  // relations they mention. `generation` is the store generation the
  // triples were read at.
  static Result<std::unique_ptr<Topology>> FromTriples(const std::vector<TopologyTriple>& triples,
                                                       uint64_t generation);
  // Validates a decoded CSR (kCorruption when inconsistent) and derives the rest.
  static Result<std::unique_ptr<Topology>> FromCsr(TopologyCsr csr);
  const TopologyCsr& csr() const { return csr_; }

  uint64_t generation() const { return csr_.generation; }
  // Actors, numbered 0..n-1 in actor id order (some may have no link).
  uint32_t num_actors() const { return static_cast<uint32_t>(csr_.actors.size()); }
  ActorId actor(uint32_t v) const { return csr_.actors[v]; }
  std::optional<uint32_t> IndexOf(ActorId id) const;
  // Relations, numbered in relation id order.
  uint32_t num_relations() const { return static_cast<uint32_t>(csr_.relations.size()); }
  RelationId relation(uint32_t r) const { return csr_.relations[r]; }
  std::optional<uint32_t> RelationIndexOf(RelationId id) const;
  uint64_t num_links() const { return csr_.out_links.size(); }

  // Links leaving (Out) or entering (In) actor v, sorted by (relation,
  // other): the order in which the edge indexes list them.
  std::span<const TopologyLink> Out(uint32_t v) const {
    return {csr_.out_links.data() + csr_.out_offsets[v],
            csr_.out_links.data() + csr_.out_offsets[v + 1]};
  }
  std::span<const TopologyLink> In(uint32_t v) const {
    return {in_links_.data() + in_offsets_[v], in_links_.data() + in_offsets_[v + 1]};
  }
  // The part of a sorted link list with relation numbers first..last.
  static std::span<const TopologyLink> RelationRange(std::span<const TopologyLink> links,
                                                     uint32_t first, uint32_t last);
  // Asserted events with v as source (out) or target (in): the values of the
  // store's degree counters.
  int64_t OutDegree(uint32_t v) const { return out_degree_[v]; }
  int64_t InDegree(uint32_t v) const { return in_degree_[v]; }
  // Events (all, or asserted only) of relation number r.
  int64_t RelationEvents(uint32_t r, bool asserted_only) const {
    return asserted_only ? relation_asserted_[r] : relation_events_[r];
  }

  size_t MemoryBytes() const;

 private:
  friend class TopologyBuilder;
  Topology() = default;
  // The actor id -> number index.
  void BuildIndex();
  // Derives the in-links and degrees from the out CSR.
  void Derive();

  TopologyCsr csr_;
  std::vector<uint32_t> in_offsets_;
  std::vector<TopologyLink> in_links_;
  std::vector<int64_t> out_degree_, in_degree_;
  std::vector<int64_t> relation_events_, relation_asserted_;
  // Open-addressing index: actor id -> number + 1 (0: empty). The id sits in
  // the slot so that a lookup touches one cache line.
  struct Slot {
    ActorId id = 0;
    uint32_t number_plus_one = 0;
  };
  std::vector<Slot> slots_;
};

// Streams events in edges_out order (source, relation, target, ...) into a
// topology over a known universe of actors and relations, one link per run
// of equal triples: no intermediate triple list, one hash lookup per triple.
class TopologyBuilder {
 public:
  // `actors` and `relations`: sorted, distinct; every event must use them.
  TopologyBuilder(std::vector<ActorId> actors, std::vector<RelationId> relations,
                  uint64_t generation);
  // kInvalidArgument when out of edges_out order; kCorruption when an actor
  // or relation is outside the universe.
  Status AddEvent(ActorId source, RelationId relation, ActorId target, bool negated);
  // `events` events of one triple at once, `asserted` of them not negated.
  Status AddEvents(ActorId source, RelationId relation, ActorId target, uint32_t events,
                   uint32_t asserted);
  Result<std::unique_ptr<Topology>> Finish();

 private:
  Status CloseRun();

  std::unique_ptr<Topology> topology_;
  bool has_run_ = false;
  ActorId run_source_ = 0, run_target_ = 0;
  RelationId run_relation_ = 0;
  uint32_t run_events_ = 0, run_asserted_ = 0;
  uint32_t source_index_ = 0;  // Dense number of run_source_.
  uint32_t next_offset_ = 0;   // Actors before it have their out_offsets set.
};

}  // namespace kg
