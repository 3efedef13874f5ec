#include "export/selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>
#include <utility>

#include "graph/ids.h"

namespace kg::exporter {
namespace {

constexpr uint8_t Bit(QuadClass quad) { return static_cast<uint8_t>(1u << static_cast<int>(quad)); }

struct EdgeKey {
  ActorId source = 0;
  RelationId relation = 0;
  ActorId target = 0;
  bool negated = false;
  bool operator==(const EdgeKey&) const = default;
};

struct EdgeKeyHash {
  size_t operator()(const EdgeKey& k) const {
    uint64_t h = k.source * 0x9E3779B97F4A7C15ull;
    h ^= k.relation + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
    h ^= k.target + 0x94D049BB133111EBull + (h << 6) + (h >> 2);
    return static_cast<size_t>(h ^ (k.negated ? 0xBF58476D1CE4E5B9ull : 0));
  }
};

// Running totals of one collapsed edge. Kept small (one per distinct edge is
// the selection's whole memory): the common single-code case allocates
// nothing beyond the map node, since CAMEO codes fit the small-string buffer.
struct Accumulator {
  int64_t count = 0;
  Date first = INT32_MAX;
  Date last = INT32_MIN;
  double goldstein_sum = 0.0;
  std::string cameo;  // The first code seen.
  int64_t cameo_count = 0;
  std::unique_ptr<std::map<std::string, int64_t>> other_codes;  // Rare: codes differ.

  // The most frequent code (ties: smallest), preferring a known one to "".
  std::string BestCode() const {
    if (!other_codes) return cameo;
    std::map<std::string, int64_t> all = *other_codes;
    all[cameo] += cameo_count;
    all.erase("");
    std::string best;
    int64_t best_n = 0;
    for (const auto& [code, n] : all) {
      if (n > best_n) best = code, best_n = n;
    }
    return best;
  }
};

using EdgeMap = std::unordered_map<EdgeKey, Accumulator, EdgeKeyHash>;
using EventLists = std::unordered_map<EdgeKey, std::vector<EventKey>, EdgeKeyHash>;

void Accumulate(const EdgeEntry& e, Accumulator* acc) {
  if (acc->count++ == 0) acc->cameo = e.cameo;
  if (e.date != kUnknownDate) {
    acc->first = std::min(acc->first, e.date);
    acc->last = std::max(acc->last, e.date);
  }
  acc->goldstein_sum += e.goldstein;
  if (e.cameo == acc->cameo) {
    ++acc->cameo_count;
    return;
  }
  if (!acc->other_codes) acc->other_codes = std::make_unique<std::map<std::string, int64_t>>();
  ++(*acc->other_codes)[e.cameo];
}

EdgeKey KeyOf(const EdgeEntry& e) { return EdgeKey{e.source, e.relation, e.target, e.negated}; }

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status AddCameoClass(std::string_view name, EventFilter* filter) {
  if (IsDigits(name)) {
    filter->cameo_prefixes.emplace_back(name);
    return Status::Ok();
  }
  const std::string lower = NormalizeName(name);
  using Q = QuadClass;
  static const std::map<std::string, uint8_t, std::less<>> kClasses = {
      {"cooperation", Bit(Q::kVerbalCooperation) | Bit(Q::kMaterialCooperation)},
      {"conflict", Bit(Q::kVerbalConflict) | Bit(Q::kMaterialConflict)},
      {"verbal", Bit(Q::kVerbalCooperation) | Bit(Q::kVerbalConflict)},
      {"material", Bit(Q::kMaterialCooperation) | Bit(Q::kMaterialConflict)},
      {"verbal-cooperation", Bit(Q::kVerbalCooperation)},
      {"material-cooperation", Bit(Q::kMaterialCooperation)},
      {"verbal-conflict", Bit(Q::kVerbalConflict)},
      {"material-conflict", Bit(Q::kMaterialConflict)},
      {"unknown", Bit(Q::kUnknown)},
  };
  auto it = kClasses.find(lower);
  if (it == kClasses.end()) {
    return Status::InvalidArgument(
        "unknown CAMEO class '" + std::string(name) +
        "' (expected cooperation, conflict, verbal, material, verbal-cooperation, "
        "material-cooperation, verbal-conflict, material-conflict, unknown or a code prefix "
        "such as 11)");
  }
  filter->quad_mask |= it->second;
  return Status::Ok();
}

EdgeScanSpec BaseSpec(const EventFilter& filter) {
  EdgeScanSpec spec;
  spec.date_from = filter.date_from;
  spec.date_to = filter.date_to;
  spec.include_negated = filter.include_negated;
  return spec;
}

// Runs `visit` over every event passing `filter`, using the relation index
// when relations are given.
Status ScanFiltered(const GraphReader& reader, const EventFilter& filter,
                    const EdgeVisitor& visit) {
  bool stopped = false;
  auto filtered = [&](const EdgeEntry& e) {
    if (!filter.Matches(e)) return true;
    if (!visit(e)) {
      stopped = true;
      return false;
    }
    return true;
  };
  if (filter.relations.empty()) return reader.ScanEdges(BaseSpec(filter), filtered);
  for (RelationId relation : filter.relations) {
    EdgeScanSpec spec = BaseSpec(filter);
    spec.relation = relation;
    KG_RETURN_IF_ERROR(reader.ScanEdges(spec, filtered));
    if (stopped) break;
  }
  return Status::Ok();
}

// Collects the induced subgraph on every actor within `hops` undirected steps
// of `centres`, counting each event once: out-edges of inner actors (distance
// < hops) are all counted, in-edges only when their source is on the rim
// (distance == hops, never scanned itself), and rim-to-rim edges in a last
// pass over the rim's out-edges.
Status CollectEgo(const GraphReader& reader, const EventFilter& filter,
                  const std::vector<ActorId>& centres, int hops, EdgeMap* edges) {
  std::unordered_map<ActorId, int> distance;
  std::vector<ActorId> frontier;
  for (ActorId c : centres) {
    if (distance.emplace(c, 0).second) frontier.push_back(c);
  }
  auto scan = [&](ActorId actor, bool outgoing, const EdgeVisitor& visit) {
    EdgeScanSpec spec = BaseSpec(filter);
    (outgoing ? spec.source : spec.target) = actor;
    return reader.ScanEdges(
        spec, [&](const EdgeEntry& e) { return filter.Matches(e) ? visit(e) : true; });
  };
  for (int level = 0; level < hops; ++level) {
    std::vector<ActorId> next;
    auto discover = [&](ActorId other) {
      auto [it, added] = distance.emplace(other, level + 1);
      if (added) next.push_back(other);
      return it->second;
    };
    for (ActorId actor : frontier) {
      KG_RETURN_IF_ERROR(scan(actor, true, [&](const EdgeEntry& e) {
        discover(e.target);
        Accumulate(e, &(*edges)[KeyOf(e)]);
        return true;
      }));
      KG_RETURN_IF_ERROR(scan(actor, false, [&](const EdgeEntry& e) {
        if (discover(e.source) == hops && e.source != actor) Accumulate(e, &(*edges)[KeyOf(e)]);
        return true;
      }));
    }
    frontier = std::move(next);
  }
  // `frontier` is now the rim: actors at distance == hops.
  for (ActorId actor : frontier) {
    KG_RETURN_IF_ERROR(scan(actor, true, [&](const EdgeEntry& e) {
      auto it = distance.find(e.target);
      if (it != distance.end() && it->second == hops) Accumulate(e, &(*edges)[KeyOf(e)]);
      return true;
    }));
  }
  return Status::Ok();
}

Status CollectExplicit(const GraphReader& reader, const EventFilter& filter,
                       const std::vector<EventKey>& keys, EdgeMap* edges, EventLists* lists) {
  std::vector<EventKey> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const EventKey& key : sorted) {
    KG_ASSIGN_OR_RETURN(std::optional<StoredEvent> event, reader.GetEvent(key));
    if (!event) {
      return Status::NotFound("no event " + std::to_string(key.doc) + ":" +
                              std::to_string(key.ordinal));
    }
    EdgeEntry entry = IndexEntryOf(*event);
    if (!filter.Matches(entry)) continue;
    Accumulate(entry, &(*edges)[KeyOf(entry)]);
    (*lists)[KeyOf(entry)].push_back(key);
  }
  return Status::Ok();
}

Result<ExportNode> LoadNode(const GraphReader& reader, ActorId id) {
  KG_ASSIGN_OR_RETURN(std::optional<ActorRecord> record, reader.GetActor(id));
  ExportNode node;
  node.id = id;
  if (!record) {
    char buf[24];
    std::snprintf(buf, sizeof(buf), "actor-%016llx", static_cast<unsigned long long>(id));
    node.name = buf;
    return node;
  }
  node.name = std::move(record->name);
  node.code = std::move(record->code);
  node.type = record->type;
  node.aliases = std::move(record->aliases);
  std::sort(node.aliases.begin(), node.aliases.end());
  return node;
}

// Keeps the `top` actors of highest degree plus the centres; drops edges that
// leave that set.
void KeepTop(size_t top, const std::unordered_set<ActorId>& centres, EdgeMap* edges) {
  std::unordered_map<ActorId, int64_t> degree;
  for (const auto& [key, acc] : *edges) {
    degree[key.source] += acc.count;
    degree[key.target] += acc.count;
  }
  if (degree.size() <= top) return;
  std::vector<std::pair<int64_t, ActorId>> ranked;
  ranked.reserve(degree.size());
  for (const auto& [id, d] : degree) ranked.emplace_back(d, id);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::unordered_set<ActorId> keep(centres);
  for (size_t i = 0; i < top && i < ranked.size(); ++i) keep.insert(ranked[i].second);
  std::erase_if(*edges, [&](const auto& item) {
    return !keep.count(item.first.source) || !keep.count(item.first.target);
  });
}

}  // namespace

QuadClass QuadClassOf(std::string_view cameo) {
  if (cameo.size() < 2 || cameo[0] < '0' || cameo[0] > '9' || cameo[1] < '0' || cameo[1] > '9') {
    return QuadClass::kUnknown;
  }
  const int root = (cameo[0] - '0') * 10 + (cameo[1] - '0');
  if (root >= 1 && root <= 5) return QuadClass::kVerbalCooperation;
  if (root >= 6 && root <= 8) return QuadClass::kMaterialCooperation;
  if (root >= 9 && root <= 13) return QuadClass::kVerbalConflict;
  if (root >= 14 && root <= 20) return QuadClass::kMaterialConflict;
  return QuadClass::kUnknown;
}

std::string_view QuadClassName(QuadClass quad) {
  switch (quad) {
    case QuadClass::kVerbalCooperation:
      return "verbal-cooperation";
    case QuadClass::kMaterialCooperation:
      return "material-cooperation";
    case QuadClass::kVerbalConflict:
      return "verbal-conflict";
    case QuadClass::kMaterialConflict:
      return "material-conflict";
    case QuadClass::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view QuadClassColor(QuadClass quad) {
  switch (quad) {
    case QuadClass::kVerbalCooperation:
      return "#66bd63";
    case QuadClass::kMaterialCooperation:
      return "#1a7837";
    case QuadClass::kVerbalConflict:
      return "#f46d43";
    case QuadClass::kMaterialConflict:
      return "#b2182b";
    case QuadClass::kUnknown:
      break;
  }
  return "#7f7f7f";
}

bool EventFilter::Matches(const EdgeEntry& e) const {
  if (e.negated && !include_negated) return false;
  if (e.date < date_from || e.date > date_to) return false;
  if (!relations.empty() && !std::binary_search(relations.begin(), relations.end(), e.relation)) {
    return false;
  }
  if (quad_mask == 0 && cameo_prefixes.empty()) return true;
  if (quad_mask & Bit(QuadClassOf(e.cameo))) return true;
  for (const std::string& prefix : cameo_prefixes) {
    if (e.cameo.starts_with(prefix)) return true;
  }
  return false;
}

Result<EventFilter> MakeEventFilter(const SelectionOptions& options) {
  if (options.hops < 0) return Status::InvalidArgument("--hops must be >= 0");
  if (options.date_from > options.date_to) {
    return Status::InvalidArgument("the date range is empty (--from is after --to)");
  }
  if (options.events && !options.around.empty()) {
    return Status::InvalidArgument("an explicit event list cannot be combined with --around");
  }
  EventFilter filter;
  for (const std::string& relation : options.relations) {
    if (NormalizeName(relation).empty()) return Status::InvalidArgument("empty relation name");
    filter.relations.push_back(RelationIdFor(relation));
  }
  std::sort(filter.relations.begin(), filter.relations.end());
  filter.relations.erase(std::unique(filter.relations.begin(), filter.relations.end()),
                         filter.relations.end());
  for (const std::string& cls : options.cameo_classes) {
    KG_RETURN_IF_ERROR(AddCameoClass(cls, &filter));
  }
  filter.date_from = options.date_from;
  filter.date_to = options.date_to;
  filter.include_negated = options.include_negated;
  return filter;
}

Result<Subgraph> SelectSubgraph(const GraphReader& reader, const SelectionOptions& options) {
  Subgraph graph;
  KG_ASSIGN_OR_RETURN(graph.filter, MakeEventFilter(options));

  std::vector<ActorId> centres;
  for (const std::string& name : options.around) {
    KG_ASSIGN_OR_RETURN(std::vector<ActorId> ids, reader.FindActorsByAlias(name));
    if (ids.empty()) return Status::NotFound("no actor named '" + name + "'");
    centres.insert(centres.end(), ids.begin(), ids.end());
  }
  const std::unordered_set<ActorId> centre_set(centres.begin(), centres.end());

  EdgeMap edges;
  EventLists event_lists;
  if (options.events) {
    KG_RETURN_IF_ERROR(
        CollectExplicit(reader, graph.filter, *options.events, &edges, &event_lists));
  } else if (!centres.empty()) {
    KG_RETURN_IF_ERROR(CollectEgo(reader, graph.filter, centres, options.hops, &edges));
  } else {
    KG_RETURN_IF_ERROR(ScanFiltered(reader, graph.filter, [&](const EdgeEntry& e) {
      Accumulate(e, &edges[KeyOf(e)]);
      return true;
    }));
  }
  if (options.min_count > 1) {
    std::erase_if(edges, [&](const auto& item) { return item.second.count < options.min_count; });
  }
  if (options.top > 0) KeepTop(options.top, centre_set, &edges);

  // Nodes: every endpoint plus the centres, sorted by name then id.
  std::set<ActorId> actor_ids(centres.begin(), centres.end());
  for (const auto& item : edges) {
    actor_ids.insert(item.first.source);
    actor_ids.insert(item.first.target);
  }
  graph.nodes.reserve(actor_ids.size());
  for (ActorId id : actor_ids) {
    KG_ASSIGN_OR_RETURN(ExportNode node, LoadNode(reader, id));
    node.centre = centre_set.count(id) > 0;
    graph.nodes.push_back(std::move(node));
  }
  std::sort(graph.nodes.begin(), graph.nodes.end(), [](const ExportNode& a, const ExportNode& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  std::unordered_map<ActorId, size_t> index;
  for (size_t i = 0; i < graph.nodes.size(); ++i) index[graph.nodes[i].id] = i;

  std::unordered_map<RelationId, std::string> relation_names;
  graph.edges.reserve(edges.size());
  // Extract map nodes one by one so the map shrinks as the vector grows.
  while (!edges.empty()) {
    auto item = edges.extract(edges.begin());
    const EdgeKey& key = item.key();
    const Accumulator& acc = item.mapped();
    ExportEdge edge;
    edge.source = index.at(key.source);
    edge.target = index.at(key.target);
    edge.source_id = key.source;
    edge.target_id = key.target;
    edge.relation_id = key.relation;
    auto name = relation_names.find(key.relation);
    if (name == relation_names.end()) {
      KG_ASSIGN_OR_RETURN(std::optional<std::string> stored, reader.GetRelationName(key.relation));
      name =
          relation_names
              .emplace(key.relation, stored ? *stored : "relation-" + std::to_string(key.relation))
              .first;
    }
    edge.relation = name->second;
    edge.negated = key.negated;
    edge.count = acc.count;
    if (acc.first <= acc.last) {
      edge.first_date = acc.first;
      edge.last_date = acc.last;
    }
    edge.cameo = acc.BestCode();
    edge.quad = QuadClassOf(edge.cameo);
    edge.goldstein = std::round(acc.goldstein_sum / static_cast<double>(acc.count) * 100.0) / 100.0;
    if (edge.goldstein == 0.0) edge.goldstein = 0.0;  // No "-0".
    graph.nodes[edge.source].out_events += acc.count;
    graph.nodes[edge.target].in_events += acc.count;
    graph.edges.push_back(std::move(edge));
  }
  std::sort(graph.edges.begin(), graph.edges.end(), [](const ExportEdge& x, const ExportEdge& y) {
    return std::tie(x.source, x.target, x.relation, x.negated, x.relation_id) <
           std::tie(y.source, y.target, y.relation, y.negated, y.relation_id);
  });
  if (options.events) {
    graph.edge_events.reserve(graph.edges.size());
    for (const ExportEdge& e : graph.edges) {
      graph.edge_events.push_back(
          std::move(event_lists[EdgeKey{e.source_id, e.relation_id, e.target_id, e.negated}]));
    }
  }
  return graph;
}

Status ForEachEdgeEvent(const GraphReader& reader, const Subgraph& graph, size_t edge,
                        const EdgeVisitor& visit) {
  const ExportEdge& e = graph.edges[edge];
  if (!graph.edge_events.empty()) {
    for (const EventKey& key : graph.edge_events[edge]) {
      KG_ASSIGN_OR_RETURN(std::optional<StoredEvent> event, reader.GetEvent(key));
      if (!event) continue;  // Cannot happen within one snapshot.
      if (!visit(IndexEntryOf(*event))) break;
    }
    return Status::Ok();
  }
  EdgeScanSpec spec = BaseSpec(graph.filter);
  spec.source = e.source_id;
  spec.relation = e.relation_id;
  spec.target = e.target_id;
  return reader.ScanEdges(spec, [&](const EdgeEntry& entry) {
    if (entry.negated != e.negated || !graph.filter.Matches(entry)) return true;
    return visit(entry);
  });
}

Status ForEachSelectedEvent(const GraphReader& reader, const SelectionOptions& options,
                            const EdgeVisitor& visit) {
  const bool needs_collapse = !options.around.empty() || options.min_count > 1 || options.top > 0;
  if (!needs_collapse) {
    KG_ASSIGN_OR_RETURN(EventFilter filter, MakeEventFilter(options));
    if (!options.events) return ScanFiltered(reader, filter, visit);
    for (const EventKey& key : *options.events) {
      KG_ASSIGN_OR_RETURN(std::optional<StoredEvent> event, reader.GetEvent(key));
      if (!event) {
        return Status::NotFound("no event " + std::to_string(key.doc) + ":" +
                                std::to_string(key.ordinal));
      }
      EdgeEntry entry = IndexEntryOf(*event);
      if (filter.Matches(entry) && !visit(entry)) break;
    }
    return Status::Ok();
  }
  KG_ASSIGN_OR_RETURN(Subgraph graph, SelectSubgraph(reader, options));
  bool stopped = false;
  for (size_t i = 0; i < graph.edges.size() && !stopped; ++i) {
    KG_RETURN_IF_ERROR(ForEachEdgeEvent(reader, graph, i, [&](const EdgeEntry& e) {
      if (!visit(e)) stopped = true;
      return !stopped;
    }));
  }
  return Status::Ok();
}

Result<DocumentIds> DocumentIds::Load(const GraphReader& reader) {
  DocumentIds docs;
  KG_RETURN_IF_ERROR(reader.ScanDocuments([&](const DocumentMeta& meta) {
    docs.ids_.emplace(DocKeyFor(meta.id), meta.id);
    return true;
  }));
  return docs;
}

const std::string& DocumentIds::Get(DocKey key) const {
  static const std::string kEmpty;
  auto it = ids_.find(key);
  return it == ids_.end() ? kEmpty : it->second;
}

Result<std::vector<std::string>> EdgeDocuments(const GraphReader& reader, const Subgraph& graph,
                                               size_t edge, const DocumentIds& docs) {
  std::vector<DocKey> keys;
  KG_RETURN_IF_ERROR(ForEachEdgeEvent(reader, graph, edge, [&](const EdgeEntry& e) {
    if (keys.empty() || keys.back() != e.event.doc) keys.push_back(e.event.doc);
    return true;
  }));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::string> ids;
  ids.reserve(keys.size());
  for (DocKey key : keys) {
    const std::string& id = docs.Get(key);
    if (!id.empty()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace kg::exporter
