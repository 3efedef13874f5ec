#include "graph/topology.h"

#include <algorithm>

namespace kg {
namespace {

// Fibonacci hashing of an actor id (itself a hash) into a power-of-two table.
size_t SlotOf(ActorId id, size_t mask) {
  return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

}  // namespace

Result<std::unique_ptr<Topology>> Topology::FromTriples(const std::vector<TopologyTriple>& triples,
                                                        uint64_t generation) {
  std::vector<ActorId> actors;
  std::vector<RelationId> relations;
  actors.reserve(triples.size() * 2);
  for (const TopologyTriple& t : triples) {
    actors.push_back(t.source);
    actors.push_back(t.target);
    if (relations.empty() || relations.back() != t.relation) relations.push_back(t.relation);
  }
  std::sort(actors.begin(), actors.end());
  actors.erase(std::unique(actors.begin(), actors.end()), actors.end());
  std::sort(relations.begin(), relations.end());
  relations.erase(std::unique(relations.begin(), relations.end()), relations.end());
  TopologyBuilder builder(std::move(actors), std::move(relations), generation);
  for (size_t i = 0; i < triples.size(); ++i) {
    const TopologyTriple& t = triples[i];
    if (i > 0) {
      const TopologyTriple& p = triples[i - 1];
      if (std::tie(p.source, p.relation, p.target) >= std::tie(t.source, t.relation, t.target)) {
        return Status::InvalidArgument("topology triples are not sorted and distinct");
      }
    }
    KG_RETURN_IF_ERROR(builder.AddEvents(t.source, t.relation, t.target, t.events, t.asserted));
  }
  return builder.Finish();
}

TopologyBuilder::TopologyBuilder(std::vector<ActorId> actors, std::vector<RelationId> relations,
                                 uint64_t generation)
    : topology_(new Topology()) {
  TopologyCsr& csr = topology_->csr_;
  csr.generation = generation;
  csr.actors = std::move(actors);
  csr.relations = std::move(relations);
  csr.out_offsets.assign(csr.actors.size() + 1, 0);
  topology_->BuildIndex();
}

Status TopologyBuilder::AddEvent(ActorId source, RelationId relation, ActorId target,
                                 bool negated) {
  return AddEvents(source, relation, target, 1, negated ? 0 : 1);
}

Status TopologyBuilder::AddEvents(ActorId source, RelationId relation, ActorId target,
                                  uint32_t events, uint32_t asserted) {
  if (has_run_ && source == run_source_ && relation == run_relation_ && target == run_target_) {
    run_events_ += events;
    run_asserted_ += asserted;
    return Status::Ok();
  }
  if (has_run_ &&
      std::tie(source, relation, target) < std::tie(run_source_, run_relation_, run_target_)) {
    return Status::InvalidArgument("topology events are not in edges_out order");
  }
  KG_RETURN_IF_ERROR(CloseRun());
  if (!has_run_ || source != run_source_) {
    const auto v = topology_->IndexOf(source);
    if (!v) return Status::Corruption("an edge's source has no actor record; run kg check");
    source_index_ = *v;
  }
  has_run_ = true;
  run_source_ = source;
  run_relation_ = relation;
  run_target_ = target;
  run_events_ = events;
  run_asserted_ = asserted;
  return Status::Ok();
}

Status TopologyBuilder::CloseRun() {
  if (!has_run_) return Status::Ok();
  TopologyCsr& csr = topology_->csr_;
  const auto target = topology_->IndexOf(run_target_);
  const auto relation = topology_->RelationIndexOf(run_relation_);
  if (!target) return Status::Corruption("an edge's target has no actor record; run kg check");
  if (!relation) return Status::Corruption("an edge's relation has no record; run kg check");
  if (csr.out_links.size() >= UINT32_MAX) {
    return Status::ResourceExhausted("graph too large for a topology (over 2^32 links)");
  }
  // Actors up to the source start here (empty lists for those skipped).
  while (next_offset_ <= source_index_) {
    csr.out_offsets[next_offset_++] = static_cast<uint32_t>(csr.out_links.size());
  }
  csr.out_links.push_back(TopologyLink{*target, *relation, run_events_, run_asserted_});
  return Status::Ok();
}

Result<std::unique_ptr<Topology>> TopologyBuilder::Finish() {
  KG_RETURN_IF_ERROR(CloseRun());
  TopologyCsr& csr = topology_->csr_;
  for (size_t i = 1; i < csr.actors.size(); ++i) {
    if (csr.actors[i - 1] >= csr.actors[i]) return Status::InvalidArgument("actors not sorted");
  }
  for (size_t i = 1; i < csr.relations.size(); ++i) {
    if (csr.relations[i - 1] >= csr.relations[i]) {
      return Status::InvalidArgument("relations not sorted");
    }
  }
  while (next_offset_ <= csr.actors.size()) {
    csr.out_offsets[next_offset_++] = static_cast<uint32_t>(csr.out_links.size());
  }
  topology_->Derive();
  return std::move(topology_);
}

Result<std::unique_ptr<Topology>> Topology::FromCsr(TopologyCsr csr) {
  const size_t n = csr.actors.size();
  auto corrupt = [](const std::string& why) {
    return Status::Corruption("stored topology is inconsistent (" + why +
                              "); run kg optimize to rebuild it");
  };
  if (csr.out_offsets.size() != n + 1 || csr.out_offsets[0] != 0 ||
      csr.out_offsets[n] != csr.out_links.size()) {
    return corrupt("offsets");
  }
  for (size_t i = 0; i < n; ++i) {
    if (csr.out_offsets[i] > csr.out_offsets[i + 1]) return corrupt("offsets decrease");
    if (i > 0 && csr.actors[i - 1] >= csr.actors[i]) return corrupt("actor order");
  }
  for (size_t i = 1; i < csr.relations.size(); ++i) {
    if (csr.relations[i - 1] >= csr.relations[i]) return corrupt("relation order");
  }
  for (const TopologyLink& l : csr.out_links) {
    if (l.other >= n || l.relation >= csr.relations.size() || l.asserted > l.events) {
      return corrupt("link out of range");
    }
  }
  std::unique_ptr<Topology> t(new Topology());
  t->csr_ = std::move(csr);
  t->BuildIndex();
  t->Derive();
  return t;
}

void Topology::Derive() {
  const size_t n = csr_.actors.size();
  // In-links by a counting sort over targets, filled relation by relation
  // and, within one, in source order: every in-list comes out sorted by
  // (relation, source) with no sort. `next` is each source's cursor into its
  // out-list, which is sorted by relation.
  in_offsets_.assign(n + 1, 0);
  for (const TopologyLink& l : csr_.out_links) ++in_offsets_[l.other + 1];
  for (size_t v = 0; v < n; ++v) in_offsets_[v + 1] += in_offsets_[v];
  in_links_.resize(csr_.out_links.size());
  std::vector<uint32_t> fill(in_offsets_.begin(), in_offsets_.end() - 1);
  std::vector<uint32_t> next(csr_.out_offsets.begin(), csr_.out_offsets.end() - 1);
  out_degree_.assign(n, 0);
  in_degree_.assign(n, 0);
  relation_events_.assign(csr_.relations.size(), 0);
  relation_asserted_.assign(csr_.relations.size(), 0);
  std::vector<uint32_t> active(n);  // Sources with links left, in order.
  for (uint32_t v = 0; v < n; ++v) active[v] = v;
  for (uint32_t r = 0; r < csr_.relations.size() && !active.empty(); ++r) {
    size_t kept = 0;
    for (const uint32_t v : active) {
      uint32_t& i = next[v];
      const uint32_t end = csr_.out_offsets[v + 1];
      for (; i < end && csr_.out_links[i].relation == r; ++i) {
        const TopologyLink& l = csr_.out_links[i];
        in_links_[fill[l.other]++] = TopologyLink{v, r, l.events, l.asserted};
        out_degree_[v] += l.asserted;
        in_degree_[l.other] += l.asserted;
        relation_events_[r] += l.events;
        relation_asserted_[r] += l.asserted;
      }
      if (i < end) active[kept++] = v;
    }
    active.resize(kept);
  }
}

void Topology::BuildIndex() {
  const size_t n = csr_.actors.size();
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  slots_.assign(cap, Slot());
  for (uint32_t v = 0; v < n; ++v) {
    size_t i = SlotOf(csr_.actors[v], cap - 1);
    while (slots_[i].number_plus_one != 0) i = (i + 1) & (cap - 1);
    slots_[i] = Slot{csr_.actors[v], v + 1};
  }
}

std::span<const TopologyLink> Topology::RelationRange(std::span<const TopologyLink> links,
                                                      uint32_t first, uint32_t last) {
  auto begin = std::lower_bound(links.begin(), links.end(), first,
                                [](const TopologyLink& l, uint32_t r) { return l.relation < r; });
  auto end = std::upper_bound(begin, links.end(), last,
                              [](uint32_t r, const TopologyLink& l) { return r < l.relation; });
  return {begin, end};
}

std::optional<uint32_t> Topology::IndexOf(ActorId id) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = SlotOf(id, mask); slots_[i].number_plus_one != 0; i = (i + 1) & mask) {
    if (slots_[i].id == id) return slots_[i].number_plus_one - 1;
  }
  return std::nullopt;
}

std::optional<uint32_t> Topology::RelationIndexOf(RelationId id) const {
  auto it = std::lower_bound(csr_.relations.begin(), csr_.relations.end(), id);
  if (it == csr_.relations.end() || *it != id) return std::nullopt;
  return static_cast<uint32_t>(it - csr_.relations.begin());
}

size_t Topology::MemoryBytes() const {
  return csr_.actors.capacity() * sizeof(ActorId) + csr_.relations.capacity() * sizeof(RelationId) +
         (csr_.out_offsets.capacity() + in_offsets_.capacity()) * sizeof(uint32_t) +
         slots_.capacity() * sizeof(Slot) +
         (csr_.out_links.capacity() + in_links_.capacity()) * sizeof(TopologyLink) +
         (out_degree_.capacity() + in_degree_.capacity()) * sizeof(int64_t);
}

}  // namespace kg
