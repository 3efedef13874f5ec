#include "query/graph_context.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "graph/ids.h"

namespace kg::query {

Budget::Budget(const QueryOptions& options)
    : limit_(options.work_budget),
      time_ms_(options.time_budget_ms),
      start_(std::chrono::steady_clock::now()) {}

Status Budget::Charge(uint64_t units) {
  used_ += units;
  if (limit_ > 0 && used_ > limit_) {
    return Status::ResourceExhausted(
        "the query exceeded its work budget of " + std::to_string(limit_) +
        " scanned edges and intermediate rows; narrow the pattern "
        "(bind an actor or relation) or raise the budget (--max-work)");
  }
  if (used_ >= next_clock_check_) {
    next_clock_check_ = used_ + 1024;
    return CheckClock();
  }
  return Status::Ok();
}

Status Budget::CheckClock() {
  if (time_ms_ <= 0) return Status::Ok();
  const auto elapsed = std::chrono::steady_clock::now() - start_;
  if (std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() > time_ms_) {
    return Status::Aborted("the query exceeded its time budget of " + std::to_string(time_ms_) +
                           " ms; narrow it or raise the budget (--timeout-ms)");
  }
  return Status::Ok();
}

Result<const ActorRecord*> GraphContext::Actor(ActorId id) {
  auto it = actors_.find(id);
  if (it != actors_.end()) return it->second.get();
  KG_ASSIGN_OR_RETURN(std::optional<ActorRecord> rec, reader_.GetActor(id));
  auto stored = std::make_unique<ActorRecord>();
  if (rec) {
    *stored = std::move(*rec);
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "#%016llx", static_cast<unsigned long long>(id));
    stored->id = id;
    stored->name = buf;
  }
  const ActorRecord* out = stored.get();
  actors_.emplace(id, std::move(stored));
  return out;
}

Status GraphContext::PrefetchActors(const std::vector<ActorId>& ids) {
  std::vector<ActorId> missing;
  for (ActorId id : ids) {
    if (!actors_.count(id)) missing.push_back(id);
  }
  if (missing.empty()) return Status::Ok();
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  KG_ASSIGN_OR_RETURN(std::vector<std::optional<ActorRecord>> recs, reader_.GetActors(missing));
  actors_.reserve(actors_.size() + missing.size());
  for (size_t i = 0; i < missing.size(); ++i) {
    auto stored = std::make_unique<ActorRecord>();
    if (recs[i]) {
      *stored = std::move(*recs[i]);
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "#%016llx", static_cast<unsigned long long>(missing[i]));
      stored->id = missing[i];
      stored->name = buf;
    }
    actors_.emplace(missing[i], std::move(stored));
  }
  return Status::Ok();
}

Result<std::string> GraphContext::ActorName(ActorId id) {
  KG_ASSIGN_OR_RETURN(const ActorRecord* rec, Actor(id));
  return rec->name;
}

Result<std::string> GraphContext::RelationName(RelationId id) {
  auto it = relations_.find(id);
  if (it != relations_.end()) return it->second;
  KG_ASSIGN_OR_RETURN(std::optional<std::string> name, reader_.GetRelationName(id));
  std::string value = name.value_or("");
  relations_.emplace(id, value);
  return value;
}

Result<bool> GraphContext::RelationExists(RelationId id) {
  KG_ASSIGN_OR_RETURN(std::string name, RelationName(id));
  return !name.empty();
}

Result<const StoredEvent*> GraphContext::Event(const EventKey& key) {
  auto it = events_.find(key);
  if (it != events_.end()) return it->second.get();
  KG_ASSIGN_OR_RETURN(std::optional<StoredEvent> ev, reader_.GetEvent(key));
  if (!ev) return static_cast<const StoredEvent*>(nullptr);
  // Keep the cache bounded: evidence and property lookups touch few events.
  if (events_.size() > 100000) events_.clear();
  auto stored = std::make_unique<StoredEvent>(std::move(*ev));
  const StoredEvent* out = stored.get();
  events_.emplace(key, std::move(stored));
  return out;
}

Result<const DocumentMeta*> GraphContext::DocumentOf(const EventKey& key) {
  auto it = docs_.find(key.doc);
  if (it != docs_.end()) return it->second.get();
  KG_ASSIGN_OR_RETURN(const StoredEvent* ev, Event(key));
  std::unique_ptr<DocumentMeta> meta;
  if (ev != nullptr) {
    KG_ASSIGN_OR_RETURN(std::optional<DocumentMeta> doc, reader_.GetDocument(ev->doc_id));
    if (doc) meta = std::make_unique<DocumentMeta>(std::move(*doc));
  }
  const DocumentMeta* out = meta.get();
  docs_.emplace(key.doc, std::move(meta));
  return out;
}

Result<const std::vector<ActorRecord>*> GraphContext::AllActors() {
  if (!all_actors_) {
    std::vector<ActorRecord> all;
    KG_RETURN_IF_ERROR(reader_.ScanActors([&](const ActorRecord& rec) {
      all.push_back(rec);
      return true;
    }));
    all_actors_ = std::move(all);
  }
  return &*all_actors_;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {

// Ranks candidate strings by closeness to `query` (both normalised): a
// substring match scores by the length difference, others by edit distance
// plus a penalty so that substring matches come first.
std::vector<std::string> Closest(const std::string& query,
                                 const std::vector<std::pair<std::string, std::string>>& candidates,
                                 size_t n) {
  // candidates: (normalised form, display name)
  std::map<std::string, size_t> best;  // display -> score
  for (const auto& [norm, display] : candidates) {
    size_t score;
    if (!query.empty() && norm.find(query) != std::string::npos) {
      score = norm.size() - query.size();
    } else {
      score = 1000 + EditDistance(query, norm);
    }
    auto it = best.find(display);
    if (it == best.end() || score < it->second) best[display] = score;
  }
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const auto& [display, score] : best) ranked.emplace_back(score, display);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  const size_t cutoff = 1000 + std::max<size_t>(2, query.size() / 3);
  for (const auto& [score, display] : ranked) {
    if (out.size() >= n) break;
    if (score > cutoff && !out.empty()) break;
    out.push_back(display);
  }
  return out;
}

std::string QuoteList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> GraphContext::SuggestActors(const std::string& name, size_t n) {
  KG_ASSIGN_OR_RETURN(const std::vector<ActorRecord>* all, AllActors());
  std::vector<std::pair<std::string, std::string>> candidates;
  for (const ActorRecord& rec : *all) {
    candidates.emplace_back(NormalizeName(rec.name), rec.name);
    for (const auto& alias : rec.aliases) candidates.emplace_back(NormalizeName(alias), rec.name);
  }
  return Closest(NormalizeName(name), candidates, n);
}

Result<std::vector<std::string>> GraphContext::SuggestRelations(const std::string& name, size_t n) {
  std::vector<std::pair<std::string, std::string>> candidates;
  KG_RETURN_IF_ERROR(reader_.ScanRelations([&](RelationId, const std::string& rel) {
    candidates.emplace_back(NormalizeName(rel), rel);
    return true;
  }));
  return Closest(NormalizeName(name), candidates, n);
}

Result<std::vector<ActorId>> GraphContext::ResolveActor(const std::string& name) {
  KG_ASSIGN_OR_RETURN(std::vector<ActorId> ids, reader_.FindActorsByAlias(name));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (!ids.empty()) return ids;
  KG_ASSIGN_OR_RETURN(std::vector<std::string> close, SuggestActors(name));
  std::string msg = "unknown actor '" + name + "'";
  if (!close.empty()) msg += "; did you mean " + QuoteList(close) + "?";
  return Status::InvalidArgument(msg);
}

std::optional<QuadClass> QuadClassOfCameo(std::string_view cameo) {
  if (cameo.size() < 2 || cameo[0] < '0' || cameo[0] > '9' || cameo[1] < '0' || cameo[1] > '9') {
    return std::nullopt;
  }
  const int root = (cameo[0] - '0') * 10 + (cameo[1] - '0');
  if (root >= 1 && root <= 5) return QuadClass::kVerbalCooperation;
  if (root >= 6 && root <= 8) return QuadClass::kMaterialCooperation;
  if (root >= 9 && root <= 13) return QuadClass::kVerbalConflict;
  if (root >= 14 && root <= 20) return QuadClass::kMaterialConflict;
  return std::nullopt;
}

std::string_view QuadClassName(QuadClass quad) {
  switch (quad) {
    case QuadClass::kVerbalCooperation:
      return "verbal cooperation";
    case QuadClass::kMaterialCooperation:
      return "material cooperation";
    case QuadClass::kVerbalConflict:
      return "verbal conflict";
    case QuadClass::kMaterialConflict:
      return "material conflict";
  }
  return "";
}

bool EdgeFilter::Accepts(const EdgeEntry& e) const {
  if (!include_negated && e.negated) return false;
  if (e.date < date_from || e.date > date_to) return false;
  if (!quads.empty()) {
    auto q = QuadClassOfCameo(e.cameo);
    if (!q || std::find(quads.begin(), quads.end(), *q) == quads.end()) return false;
  }
  return true;
}

Result<EdgeFilter> CompileFilter(GraphContext& ctx, const SubgraphFilter& filter,
                                 std::vector<std::string>* notes) {
  EdgeFilter out;
  out.date_from = filter.date_from;
  out.date_to = filter.date_to;
  out.include_negated = filter.include_negated;
  for (const auto& name : filter.relations) {
    const RelationId id = RelationIdFor(name);
    KG_ASSIGN_OR_RETURN(bool exists, ctx.RelationExists(id));
    if (!exists) {
      KG_ASSIGN_OR_RETURN(std::vector<std::string> close, ctx.SuggestRelations(name));
      std::string note = "relation '" + name + "' does not occur in the store";
      if (!close.empty()) note += " (closest: " + QuoteList(close) + ")";
      notes->push_back(note);
    }
    out.relations.push_back(id);
  }
  std::sort(out.relations.begin(), out.relations.end());
  out.relations.erase(std::unique(out.relations.begin(), out.relations.end()), out.relations.end());
  const std::string& c = filter.relation_class;
  using Q = QuadClass;
  if (c.empty() || c == "any" || c == "all") {
  } else if (c == "conflict") {
    out.quads = {Q::kVerbalConflict, Q::kMaterialConflict};
  } else if (c == "cooperation") {
    out.quads = {Q::kVerbalCooperation, Q::kMaterialCooperation};
  } else if (c == "verbal") {
    out.quads = {Q::kVerbalCooperation, Q::kVerbalConflict};
  } else if (c == "material") {
    out.quads = {Q::kMaterialCooperation, Q::kMaterialConflict};
  } else if (c == "verbal-cooperation") {
    out.quads = {Q::kVerbalCooperation};
  } else if (c == "material-cooperation") {
    out.quads = {Q::kMaterialCooperation};
  } else if (c == "verbal-conflict") {
    out.quads = {Q::kVerbalConflict};
  } else if (c == "material-conflict") {
    out.quads = {Q::kMaterialConflict};
  } else {
    return Status::InvalidArgument(
        "unknown relation class '" + c +
        "'; use conflict, cooperation, verbal, material, verbal-conflict, material-conflict, "
        "verbal-cooperation or material-cooperation");
  }
  return out;
}

Status ForEachHop(GraphContext& ctx, ActorId from, Direction direction,
                  const std::vector<RelationId>& relations, const EdgeScanSpec& base,
                  const std::function<bool(const EdgeEntry&)>& accept,
                  const std::function<Status(const Hop&)>& visit, const bool* stop) {
  auto stopped = [stop] { return stop != nullptr && *stop; };
  const bool dirs[2] = {direction != Direction::kIn, direction != Direction::kOut};
  std::vector<std::optional<RelationId>> rels;
  if (relations.empty()) {
    rels.push_back(std::nullopt);
  } else {
    for (RelationId r : relations) rels.push_back(r);
  }
  for (int d = 0; d < 2; ++d) {
    if (!dirs[d]) continue;
    const bool out = d == 0;
    for (const auto& rel : rels) {
      EdgeScanSpec spec = base;
      spec.source.reset();
      spec.target.reset();
      (out ? spec.source : spec.target) = from;
      spec.relation = rel;
      Hop pending;
      bool has_pending = false;
      Status status;
      Status scan = ctx.reader().ScanEdges(spec, [&](const EdgeEntry& e) {
        status = ctx.budget().Charge();
        if (!status.ok()) return false;
        if (!accept(e)) return true;
        const ActorId other = out ? e.target : e.source;
        if (has_pending && pending.relation == e.relation && pending.to == other) {
          ++pending.events;
          return true;
        }
        if (has_pending) {
          status = visit(pending);
          if (!status.ok()) return false;
          if (stopped()) {
            has_pending = false;
            return false;
          }
        }
        pending = Hop{from, other, e.source, e.target, e.relation, e.event, e.date, 1};
        has_pending = true;
        return true;
      });
      KG_RETURN_IF_ERROR(scan);
      KG_RETURN_IF_ERROR(status);
      if (has_pending) KG_RETURN_IF_ERROR(visit(pending));
      if (stopped()) return Status::Ok();
    }
  }
  return Status::Ok();
}

Result<const Topology*> GraphContext::CurrentTopology() {
  if (!options_.use_topology) return nullptr;
  if (!topology_) {
    if (!load_topology_) {
      std::shared_ptr<const Topology> loaded = reader_.LoadedTopology();
      if (loaded == nullptr) return nullptr;  // Not cached: a later call may still load it.
      topology_ = std::move(loaded);
    } else {
      KG_ASSIGN_OR_RETURN(std::shared_ptr<const Topology> t, reader_.GetTopology());
      topology_ = std::move(t);
    }
  }
  return topology_->get();
}

Result<std::pair<int64_t, int64_t>> GraphContext::Degree(ActorId id) {
  KG_ASSIGN_OR_RETURN(const Topology* topo, CurrentTopology());
  if (topo == nullptr) return reader_.GetDegree(id);
  const auto v = topo->IndexOf(id);
  if (!v) return std::pair<int64_t, int64_t>{0, 0};
  return std::pair<int64_t, int64_t>{topo->OutDegree(*v), topo->InDegree(*v)};
}

Status ForEachLinkSpan(const Topology& topo, uint32_t v, Direction direction,
                       const std::vector<RelationId>& relations,
                       const std::function<Status(std::span<const TopologyLink>, bool)>& fn) {
  for (const bool out : {true, false}) {
    if (out ? direction == Direction::kIn : direction == Direction::kOut) continue;
    const std::span<const TopologyLink> all = out ? topo.Out(v) : topo.In(v);
    if (relations.empty()) {
      KG_RETURN_IF_ERROR(fn(all, out));
      continue;
    }
    for (RelationId r : relations) {
      if (auto idx = topo.RelationIndexOf(r)) {
        KG_RETURN_IF_ERROR(fn(Topology::RelationRange(all, *idx, *idx), out));
      }
    }
  }
  return Status::Ok();
}

Status ForEachFilteredHop(GraphContext& ctx, ActorId from, Direction direction,
                          const EdgeFilter& filter, const std::function<Status(const Hop&)>& visit,
                          const bool* stop) {
  const Topology* topo = nullptr;
  if (filter.TopologyCovers()) {
    KG_ASSIGN_OR_RETURN(topo, ctx.CurrentTopology());
  }
  if (topo == nullptr) {
    EdgeScanSpec spec;
    spec.date_from = filter.date_from;
    spec.date_to = filter.date_to;
    spec.include_negated = filter.include_negated;
    spec.decode_value = !filter.quads.empty();  // Only relation classes read the CAMEO code.
    return ForEachHop(
        ctx, from, direction, filter.relations, spec,
        [&](const EdgeEntry& e) { return filter.Accepts(e); }, visit, stop);
  }
  const auto v = topo->IndexOf(from);
  if (!v) return Status::Ok();
  return ForEachLinkSpan(*topo, *v, direction, filter.relations,
                         [&](std::span<const TopologyLink> links, bool out) -> Status {
                           if (stop != nullptr && *stop)
                             return Status::Ok();  // Skips the remaining lists.
                           KG_RETURN_IF_ERROR(ctx.budget().Charge(links.size()));
                           for (const TopologyLink& l : links) {
                             const int64_t events = filter.include_negated ? l.events : l.asserted;
                             if (events == 0) continue;
                             Hop h;
                             h.from = from;
                             h.to = topo->actor(l.other);
                             h.source = out ? from : h.to;
                             h.target = out ? h.to : from;
                             h.relation = topo->relation(l.relation);
                             h.events = events;
                             KG_RETURN_IF_ERROR(visit(h));
                             if (stop != nullptr && *stop) return Status::Ok();
                           }
                           return Status::Ok();
                         });
}

}  // namespace kg::query
