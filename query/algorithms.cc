// Graph algorithms: BFS path and neighbourhood searches over the edge indexes,
// top pairs from the pair-count index, and centrality with Boost.Graph on a
// compressed-sparse-row projection built from index scans.
#include "query/algorithms.h"

#include <algorithm>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/page_rank.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/ids.h"
#include "query/graph_context.h"

namespace kg::query {
namespace {

// ------------------------------------------------------------- projection

struct EdgeProp {
  double weight = 1.0;  // 1 / events: well-attested links are short.
  int64_t events = 0;
  RelationId relation = 0;     // Most frequent relation of the pair (majority vote).
  uint32_t stored_source = 0;  // Vertex the dominant relation starts from.
};

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProp,
                                               boost::no_property, uint32_t, uint32_t>;

struct Projection {
  std::vector<ActorId> actors;                  // Vertex -> actor.
  std::unordered_map<ActorId, uint32_t> index;  // Actor -> vertex.
  std::vector<int64_t> out_events, in_events;
  Csr directed;   // One edge per ordered (source, target) pair.
  Csr symmetric;  // Both directions of every unordered pair.
  uint64_t events = 0;

  uint64_t MemoryBytes() const {
    const uint64_t v = actors.size(), ed = boost::num_edges(directed),
                   es = boost::num_edges(symmetric);
    return v * (sizeof(ActorId) + 2 * sizeof(int64_t) +
                2 * (sizeof(ActorId) + sizeof(uint32_t) + 16)) +
           2 * (v + 1) * sizeof(uint32_t) + (ed + es) * (sizeof(uint32_t) + sizeof(EdgeProp));
  }
};

struct PairAcc {
  int64_t events = 0;
  RelationId candidate = 0;
  int64_t votes = 0;
  void Add(RelationId r) {
    ++events;
    if (votes == 0) {
      candidate = r;
      votes = 1;
    } else {
      votes += candidate == r ? 1 : -1;
    }
  }
};

uint32_t VertexOf(Projection* p, ActorId id) {
  auto [it, inserted] = p->index.emplace(id, static_cast<uint32_t>(p->actors.size()));
  if (inserted) p->actors.push_back(id);
  return it->second;
}

Csr MakeCsr(std::vector<std::pair<uint64_t, EdgeProp>>* edges, size_t vertices) {
  std::sort(edges->begin(), edges->end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<EdgeProp> props;
  ends.reserve(edges->size());
  props.reserve(edges->size());
  for (const auto& [key, prop] : *edges) {
    ends.emplace_back(static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key & 0xffffffffu));
    props.push_back(prop);
  }
  return Csr(boost::edges_are_sorted, ends.begin(), ends.end(), props.begin(),
             static_cast<uint32_t>(vertices));
}

Result<std::unique_ptr<Projection>> BuildProjection(GraphContext& ctx, const EdgeFilter& filter) {
  auto p = std::make_unique<Projection>();
  std::unordered_map<uint64_t, PairAcc> pairs;
  std::vector<std::optional<RelationId>> rels;
  if (filter.relations.empty()) {
    rels.push_back(std::nullopt);
  } else {
    for (RelationId r : filter.relations) rels.push_back(r);
  }
  for (const auto& rel : rels) {
    EdgeScanSpec spec;
    spec.relation = rel;
    spec.date_from = filter.date_from;
    spec.date_to = filter.date_to;
    spec.include_negated = filter.include_negated;
    Status status;
    KG_RETURN_IF_ERROR(ctx.reader().ScanEdges(spec, [&](const EdgeEntry& e) {
      status = ctx.budget().Charge();
      if (!status.ok()) return false;
      if (!filter.Accepts(e)) return true;
      const uint32_t u = VertexOf(p.get(), e.source);
      const uint32_t v = VertexOf(p.get(), e.target);
      pairs[(static_cast<uint64_t>(u) << 32) | v].Add(e.relation);
      ++p->events;
      return true;
    }));
    KG_RETURN_IF_ERROR(status);
  }
  const size_t n = p->actors.size();
  p->out_events.assign(n, 0);
  p->in_events.assign(n, 0);
  std::vector<std::pair<uint64_t, EdgeProp>> directed;
  std::unordered_map<uint64_t, std::pair<EdgeProp, int64_t>> undirected;  // prop, dominant events
  directed.reserve(pairs.size());
  for (const auto& [key, acc] : pairs) {
    const uint32_t u = static_cast<uint32_t>(key >> 32),
                   v = static_cast<uint32_t>(key & 0xffffffffu);
    p->out_events[u] += acc.events;
    p->in_events[v] += acc.events;
    EdgeProp prop;
    prop.events = acc.events;
    prop.weight = 1.0 / static_cast<double>(acc.events);
    prop.relation = acc.candidate;
    prop.stored_source = u;
    directed.emplace_back(key, prop);
    if (u == v) continue;
    const uint64_t ukey = (static_cast<uint64_t>(std::min(u, v)) << 32) | std::max(u, v);
    auto& [sym, dominant] = undirected[ukey];
    if (acc.events > dominant) {
      sym.relation = acc.candidate;
      sym.stored_source = u;
      dominant = acc.events;
    }
    sym.events += acc.events;
  }
  std::vector<std::pair<uint64_t, EdgeProp>> both;
  both.reserve(undirected.size() * 2);
  for (auto& [key, entry] : undirected) {
    EdgeProp prop = entry.first;
    prop.weight = 1.0 / static_cast<double>(prop.events);
    const uint64_t a = key >> 32, b = key & 0xffffffffu;
    both.emplace_back((a << 32) | b, prop);
    both.emplace_back((b << 32) | a, prop);
  }
  p->directed = MakeCsr(&directed, n);
  p->symmetric = MakeCsr(&both, n);
  return p;
}

// ------------------------------------------------------------- helpers

std::string QuoteNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

Status CheckHops(int hops, const QueryOptions& budget, const char* what) {
  if (hops < 1) return Status::InvalidArgument(std::string(what) + " must be at least 1");
  if (hops > budget.max_hops) {
    return Status::InvalidArgument(std::string(what) + " of " + std::to_string(hops) +
                                   " exceeds the cap of " + std::to_string(budget.max_hops) +
                                   " hops");
  }
  return Status::Ok();
}

Result<std::string> PathText(GraphContext& ctx, const std::vector<Hop>& hops) {
  if (hops.empty()) return std::string();
  KG_ASSIGN_OR_RETURN(std::string out, ctx.ActorName(hops[0].from));
  for (const Hop& h : hops) {
    KG_ASSIGN_OR_RETURN(std::string rel, ctx.RelationName(h.relation));
    out += h.source == h.from ? " -[" + rel + "]-> " : " <-[" + rel + "]- ";
    KG_ASSIGN_OR_RETURN(std::string name, ctx.ActorName(h.to));
    out += name;
  }
  return out;
}

template <typename Fn>
Result<ResultTable> Guard(Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted(
        "out of memory; filter the subgraph (--relation, --relation-class)");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("graph algorithm failed: ") + e.what());
  }
}

// ------------------------------------------------------------- neighbourhoods

// Actors per ring (index = hops) by BFS over the topology's dense actor
// numbers with a flat visited array: Neighbors' count_only answer without
// hop records or hash maps.
Result<std::vector<int64_t>> CountRings(GraphContext& ctx, const Topology& topo,
                                        const std::vector<ActorId>& starts,
                                        const EdgeFilter& filter, const NeighborOptions& options) {
  std::vector<int64_t> rings(static_cast<size_t>(options.hops) + 1, 0);
  std::vector<uint8_t> seen(topo.num_actors(), 0);
  std::vector<uint32_t> frontier, next;
  for (ActorId s : starts) {
    const auto v = topo.IndexOf(s);
    if (v && !seen[*v]) {
      seen[*v] = 1;
      frontier.push_back(*v);
    }
  }
  for (int level = 1; level <= options.hops && !frontier.empty(); ++level) {
    next.clear();
    for (uint32_t u : frontier) {
      KG_RETURN_IF_ERROR(ForEachLinkSpan(
          topo, u, options.direction, filter.relations,
          [&](std::span<const TopologyLink> links, bool) -> Status {
            Status charged = ctx.budget().Charge(links.size());
            if (!charged.ok()) return charged;
            for (const TopologyLink& l : links) {
              if ((filter.include_negated ? l.events : l.asserted) == 0 || seen[l.other]) continue;
              seen[l.other] = 1;
              next.push_back(l.other);
            }
            return Status::Ok();
          }));
    }
    rings[static_cast<size_t>(level)] = static_cast<int64_t>(next.size());
    frontier.swap(next);
  }
  return rings;
}

// ------------------------------------------------------------- paths

Direction Reverse(Direction d) {
  switch (d) {
    case Direction::kOut:
      return Direction::kIn;
    case Direction::kIn:
      return Direction::kOut;
    case Direction::kBoth:
      return Direction::kBoth;
  }
  return d;
}

// One shortest path from `from` to `to` by bidirectional BFS: each round
// expands the smaller frontier by one level (forward along `direction`,
// backward against it) and stops after the first level on which the two
// searches meet, taking the shortest connection found on it. Unreachable
// pairs end as soon as either side runs dry instead of exploring everything
// within max_hops of `from`. Appends the path to *hops (empty: no path).
Status BidirectionalPath(GraphContext& ctx, ActorId from, ActorId to, const EdgeFilter& filter,
                         const PathOptions& options, std::vector<Hop>* hops) {
  // Per side: actor -> index into `nodes` (its depth and the hop that reached it).
  struct Node {
    int dist = 0;
    Hop parent;
  };
  struct Side {
    ActorMap<uint32_t> index{256};
    std::vector<Node> nodes;
    std::vector<ActorId> frontier;
    int depth = 0;
    Direction direction = Direction::kOut;
    bool out_degree = true;  // Which degree counter estimates an expansion's cost.
    int64_t cost = 0;        // Estimated edges to scan for the next level.
  };
  Side fwd, bwd;
  fwd.direction = options.direction;
  bwd.direction = Reverse(options.direction);
  fwd.out_degree = options.direction != Direction::kIn;
  bwd.out_degree = !fwd.out_degree;
  const bool both = options.direction == Direction::kBoth;
  auto add = [](Side& side, ActorId id, int dist, const Hop& parent) -> bool {
    auto [slot, inserted] = side.index.Insert(id, static_cast<uint32_t>(side.nodes.size()));
    if (!inserted) return false;
    side.nodes.push_back(Node{dist, parent});
    return true;
  };
  // Expansion cost of an actor from the maintained degree counters (asserted
  // events; a heuristic only, so negation and filters do not matter here).
  auto cost_of = [&](ActorId id, const Side& side) -> Result<int64_t> {
    KG_ASSIGN_OR_RETURN(auto d, ctx.Degree(id));
    return both ? d.first + d.second : (side.out_degree ? d.first : d.second);
  };
  add(fwd, from, 0, Hop{});
  add(bwd, to, 0, Hop{});
  fwd.frontier = {from};
  bwd.frontier = {to};
  KG_ASSIGN_OR_RETURN(fwd.cost, cost_of(from, fwd));
  KG_ASSIGN_OR_RETURN(bwd.cost, cost_of(to, bwd));
  ActorId meet = 0;
  int best = INT32_MAX;
  while (!fwd.frontier.empty() && !bwd.frontier.empty() &&
         fwd.depth + bwd.depth < options.max_hops && best == INT32_MAX) {
    // Expand the side whose next level scans fewer edges (sum of the
    // frontier's degrees), not merely the side with fewer actors: one hub in
    // a frontier can cost more than thousands of leaves.
    const bool forward = fwd.cost <= bwd.cost;
    Side& me = forward ? fwd : bwd;
    const Side& other = forward ? bwd : fwd;
    const int level = me.depth + 1;
    // The first meeting on this level is a shortest connection: every actor
    // the other side reached below its current depth has been expanded, so a
    // meeting through one of them would have been found on an earlier level;
    // all meetings on this level therefore have length level + other.depth,
    // and the scan stops at the first (the rest of the level is never read).
    std::vector<ActorId> next;
    bool met = false;
    for (ActorId u : me.frontier) {
      KG_RETURN_IF_ERROR(ForEachFilteredHop(
          ctx, u, me.direction, filter,
          [&](const Hop& h) {
            if (add(me, h.to, level, h)) {
              next.push_back(h.to);
              if (const uint32_t* o = other.index.Find(h.to)) {
                best = level + other.nodes[*o].dist;
                meet = h.to;
                met = true;
              }
            }
            return Status::Ok();
          },
          &met));
      if (met) break;
    }
    me.frontier = std::move(next);
    me.depth = level;
    if (best != INT32_MAX) break;
    // The estimate reads one counter per frontier actor, at most 64 of them
    // (a larger frontier is scaled up from its first 64).
    constexpr size_t kSample = 64;
    me.cost = 0;
    const size_t sampled = std::min(kSample, me.frontier.size());
    for (size_t i = 0; i < sampled; ++i) {
      KG_ASSIGN_OR_RETURN(int64_t c, cost_of(me.frontier[i], me));
      me.cost += c;
    }
    if (sampled > 0 && sampled < me.frontier.size()) {
      me.cost = static_cast<int64_t>(static_cast<double>(me.cost) *
                                     static_cast<double>(me.frontier.size()) /
                                     static_cast<double>(sampled));
    }
  }
  if (best == INT32_MAX) return Status::Ok();
  std::vector<Hop> head;
  for (ActorId at = meet; at != from;) {
    const Hop& h = fwd.nodes[*fwd.index.Find(at)].parent;
    head.push_back(h);
    at = h.from;
  }
  hops->assign(head.rbegin(), head.rend());
  for (ActorId at = meet; at != to;) {
    Hop h = bwd.nodes[*bwd.index.Find(at)].parent;  // Found walking back from `to`: flip it.
    const ActorId next = h.from;
    h.from = at;
    h.to = next;
    hops->push_back(h);
    at = next;
  }
  return Status::Ok();
}

Result<ResultTable> BfsPaths(GraphContext& ctx, const std::vector<ActorId>& sources,
                             const std::vector<ActorId>& targets, const EdgeFilter& filter,
                             const PathOptions& options) {
  ResultTable table;
  table.columns = {"path", "hops"};
  const size_t row_cap = ctx.options().row_limit == 0 ? SIZE_MAX : ctx.options().row_limit;
  if (!options.all) {
    // One path per (source, target) pair: bidirectional search.
    for (ActorId from : sources) {
      for (ActorId to : targets) {
        if (to == from || table.rows.size() >= row_cap) continue;
        std::vector<Hop> path;
        KG_RETURN_IF_ERROR(BidirectionalPath(ctx, from, to, filter, options, &path));
        if (path.empty()) continue;
        KG_ASSIGN_OR_RETURN(std::string text, PathText(ctx, path));
        table.rows.push_back({Value::String(text), Value::Int(static_cast<int64_t>(path.size()))});
        KG_RETURN_IF_ERROR(ctx.budget().Charge());
      }
    }
    std::sort(table.rows.begin(), table.rows.end());
    return table;
  }
  for (ActorId from : sources) {
    std::unordered_set<ActorId> remaining(targets.begin(), targets.end());
    remaining.erase(from);
    std::unordered_map<ActorId, int> dist{{from, 0}};
    std::unordered_map<ActorId, std::vector<Hop>> parents;
    std::vector<ActorId> frontier{from};
    for (int level = 1; level <= options.max_hops && !frontier.empty() && !remaining.empty();
         ++level) {
      std::vector<ActorId> next;
      for (ActorId u : frontier) {
        KG_RETURN_IF_ERROR(ForEachFilteredHop(ctx, u, options.direction, filter, [&](const Hop& h) {
          auto it = dist.find(h.to);
          if (it == dist.end()) {
            dist.emplace(h.to, level);
            parents[h.to].push_back(h);
            next.push_back(h.to);
          } else if (it->second == level && options.all) {
            parents[h.to].push_back(h);
          }
          return Status::Ok();
        }));
      }
      for (ActorId v : next) remaining.erase(v);
      frontier = std::move(next);
    }
    for (ActorId t : targets) {
      if (t == from || !dist.count(t)) continue;
      // Depth-first over parent links, newest hop first.
      std::vector<Hop> reversed;
      std::function<Status(ActorId)> walk = [&](ActorId at) -> Status {
        if (at == from) {
          if (table.rows.size() >= row_cap) return Status::Ok();
          std::vector<Hop> path(reversed.rbegin(), reversed.rend());
          KG_ASSIGN_OR_RETURN(std::string text, PathText(ctx, path));
          table.rows.push_back(
              {Value::String(text), Value::Int(static_cast<int64_t>(path.size()))});
          return ctx.budget().Charge();
        }
        for (const Hop& h : parents[at]) {
          reversed.push_back(h);
          Status s = walk(h.from);
          reversed.pop_back();
          KG_RETURN_IF_ERROR(s);
          if (!options.all) break;
        }
        return Status::Ok();
      };
      KG_RETURN_IF_ERROR(walk(t));
    }
  }
  std::sort(table.rows.begin(), table.rows.end());
  return table;
}

Result<ResultTable> WeightedPath(GraphContext& ctx, const std::vector<ActorId>& sources,
                                 const std::vector<ActorId>& targets, const EdgeFilter& filter,
                                 const PathOptions& options) {
  if (options.direction != Direction::kBoth && options.direction != Direction::kOut) {
    return Status::InvalidArgument("weighted paths follow edges outwards or in both directions");
  }
  KG_ASSIGN_OR_RETURN(auto proj, BuildProjection(ctx, filter));
  const Csr& g = options.direction == Direction::kBoth ? proj->symmetric : proj->directed;
  ResultTable table;
  table.columns = {"path", "hops", "cost"};
  const size_t n = proj->actors.size();
  for (ActorId from : sources) {
    auto s_it = proj->index.find(from);
    if (s_it == proj->index.end()) continue;
    std::vector<uint32_t> pred(n);
    std::vector<double> dist(n);
    std::vector<uint32_t> pred_edge_index(n);
    boost::dijkstra_shortest_paths(
        g, s_it->second,
        boost::predecessor_map(
            boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g)))
            .distance_map(
                boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .weight_map(boost::get(&EdgeProp::weight, g)));
    for (ActorId to : targets) {
      auto t_it = proj->index.find(to);
      if (t_it == proj->index.end() || to == from) continue;
      uint32_t v = t_it->second;
      if (pred[v] == v) continue;  // Unreachable.
      std::vector<uint32_t> chain{v};
      while (v != s_it->second && chain.size() <= n) {
        v = pred[v];
        chain.push_back(v);
      }
      std::reverse(chain.begin(), chain.end());
      if (static_cast<int>(chain.size()) - 1 > options.max_hops) {
        table.notes.push_back("the cheapest path has " + std::to_string(chain.size() - 1) +
                              " hops, more than --max-hops");
        continue;
      }
      std::vector<Hop> hops;
      for (size_t k = 0; k + 1 < chain.size(); ++k) {
        // Pick the cheapest parallel edge u -> w.
        const uint32_t u = chain[k], w = chain[k + 1];
        const EdgeProp* best = nullptr;
        for (auto [ei, ee] = boost::out_edges(u, g); ei != ee; ++ei) {
          if (boost::target(*ei, g) == w && (best == nullptr || g[*ei].weight < best->weight))
            best = &g[*ei];
        }
        if (best == nullptr) return Status::Internal("dijkstra predecessor without an edge");
        Hop h;
        h.from = proj->actors[u];
        h.to = proj->actors[w];
        h.relation = best->relation;
        h.source = proj->actors[best->stored_source];
        h.target = best->stored_source == u ? h.to : h.from;
        h.events = best->events;
        hops.push_back(h);
      }
      KG_ASSIGN_OR_RETURN(std::string text, PathText(ctx, hops));
      table.rows.push_back({Value::String(text), Value::Int(static_cast<int64_t>(hops.size())),
                            Value::Double(dist[t_it->second])});
    }
  }
  return table;
}

// ------------------------------------------------------------- ranking

// Rank rows (rank, actor, code, score) of the `limit` best scores, ties by
// name. Only actors whose score reaches the limit-th best are named, so a
// large graph costs one pass over the scores, not one name lookup per actor.
Result<ResultTable> TopScored(GraphContext& ctx, const std::vector<double>& score,
                              const std::vector<ActorId>& actors, size_t limit, bool integral,
                              ResultTable table) {
  std::vector<uint32_t> order(score.size());
  for (uint32_t v = 0; v < order.size(); ++v) order[v] = v;
  if (order.size() > limit) {
    std::vector<double> sorted = score;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(limit - 1),
                     sorted.end(), std::greater<double>());
    const double threshold = sorted[limit - 1];
    std::erase_if(order, [&](uint32_t v) { return score[v] < threshold; });
  }
  std::vector<ActorId> ids;
  for (uint32_t v : order) ids.push_back(actors[v]);
  KG_RETURN_IF_ERROR(ctx.PrefetchActors(ids));
  struct Out {
    double score;
    std::string name;
    uint32_t v;
  };
  std::vector<Out> out;
  out.reserve(order.size());
  for (uint32_t v : order) {
    KG_ASSIGN_OR_RETURN(std::string name, ctx.ActorName(actors[v]));
    out.push_back(Out{score[v], std::move(name), v});
  }
  std::sort(out.begin(), out.end(), [](const Out& a, const Out& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.name < b.name;
  });
  table.columns = {"rank", "actor", "code", "score"};
  for (size_t i = 0; i < out.size() && i < limit; ++i) {
    KG_ASSIGN_OR_RETURN(const ActorRecord* rec, ctx.Actor(actors[out[i].v]));
    table.rows.push_back(
        {Value::Int(static_cast<int64_t>(i + 1)), Value::String(out[i].name),
         rec->code.empty() ? Value::Null() : Value::String(rec->code),
         integral ? Value::Int(static_cast<int64_t>(out[i].score)) : Value::Double(out[i].score)});
  }
  return table;
}

// Degree ranks from the topology's links: the same scores and actor set as
// the projection (actors with at least one event the filter accepts).
Result<ResultTable> RankDegreesOnTopology(GraphContext& ctx, const Topology& topo,
                                          const EdgeFilter& filter, RankMeasure measure,
                                          size_t limit, ResultTable table) {
  std::vector<int64_t> in(topo.num_actors(), 0), out(topo.num_actors(), 0);
  for (uint32_t v = 0; v < topo.num_actors(); ++v) {
    KG_RETURN_IF_ERROR(ForEachLinkSpan(topo, v, Direction::kOut, filter.relations,
                                       [&](std::span<const TopologyLink> links, bool) -> Status {
                                         Status charged = ctx.budget().Charge(links.size());
                                         if (!charged.ok()) return charged;
                                         for (const TopologyLink& l : links) {
                                           const int64_t n =
                                               filter.include_negated ? l.events : l.asserted;
                                           out[v] += n;
                                           in[l.other] += n;
                                         }
                                         return Status::Ok();
                                       }));
  }
  std::vector<double> score;
  std::vector<ActorId> actors;
  for (uint32_t v = 0; v < topo.num_actors(); ++v) {
    if (in[v] == 0 && out[v] == 0) continue;  // No accepted event: not in the projection.
    actors.push_back(topo.actor(v));
    score.push_back(static_cast<double>(measure == RankMeasure::kInDegree    ? in[v]
                                        : measure == RankMeasure::kOutDegree ? out[v]
                                                                             : in[v] + out[v]));
  }
  return TopScored(ctx, score, actors, limit, true, std::move(table));
}

}  // namespace

Result<ResultTable> FindPaths(const GraphReader& reader, const std::string& from,
                              const std::string& to, const PathOptions& options,
                              const QueryOptions& budget) {
  return Guard([&]() -> Result<ResultTable> {
    KG_RETURN_IF_ERROR(CheckHops(options.max_hops, budget, "--max-hops"));
    GraphContext ctx(reader, budget);
    // A bidirectional search reads few links; loading the topology for one
    // pair costs more than it saves (a reader that has it uses it).
    ctx.set_load_topology(false);
    KG_ASSIGN_OR_RETURN(std::vector<ActorId> sources, ctx.ResolveActor(from));
    KG_ASSIGN_OR_RETURN(std::vector<ActorId> targets, ctx.ResolveActor(to));
    std::vector<std::string> notes;
    KG_ASSIGN_OR_RETURN(EdgeFilter filter, CompileFilter(ctx, options.filter, &notes));
    Result<ResultTable> result = options.weighted
                                     ? WeightedPath(ctx, sources, targets, filter, options)
                                     : BfsPaths(ctx, sources, targets, filter, options);
    if (!result.ok()) return result;
    ResultTable table = std::move(result).value();
    table.notes.insert(table.notes.begin(), notes.begin(), notes.end());
    if (table.rows.empty()) {
      table.notes.push_back("no path between '" + from + "' and '" + to + "' within " +
                            std::to_string(options.max_hops) + " hops");
    }
    return table;
  });
}

Result<ResultTable> Neighbors(const GraphReader& reader, const std::string& actor,
                              const NeighborOptions& options, const QueryOptions& budget) {
  return Guard([&]() -> Result<ResultTable> {
    KG_RETURN_IF_ERROR(CheckHops(options.hops, budget, "--hops"));
    GraphContext ctx(reader, budget);
    // One ring is one prefix scan per start; two or more can reach most of
    // the graph, which the topology walks far faster than the indexes.
    ctx.set_load_topology(options.hops >= 2);
    KG_ASSIGN_OR_RETURN(std::vector<ActorId> starts, ctx.ResolveActor(actor));
    ResultTable table;
    KG_ASSIGN_OR_RETURN(EdgeFilter filter, CompileFilter(ctx, options.filter, &table.notes));
    table.columns = {"actor", "code", "hops", "via", "relations", "events"};
    // Visited actors: a flat id -> slot map and one Info per slot. Relations
    // are kept as a bit mask over the (few) relation ids seen so far, with a
    // list for relation number 64 onwards.
    struct Info {
      ActorId id = 0;
      int hops = 0;
      ActorId via = 0;
      int64_t events = 0;
      uint64_t relation_bits = 0;
      std::vector<RelationId> more_relations;
    };
    std::vector<RelationId> relation_of_bit;
    ActorMap<uint32_t> relation_bit(64);
    auto add_relation = [&](Info& info, RelationId r) {
      auto [bit, inserted] =
          relation_bit.Insert(r == 0 ? ~0ull : r, static_cast<uint32_t>(relation_of_bit.size()));
      if (inserted) relation_of_bit.push_back(r);
      if (*bit < 64) {
        info.relation_bits |= 1ull << *bit;
      } else if (std::find(info.more_relations.begin(), info.more_relations.end(), r) ==
                 info.more_relations.end()) {
        info.more_relations.push_back(r);
      }
    };
    std::vector<Info> infos;
    ActorMap<uint32_t> seen(1024);
    for (ActorId s : starts) {
      if (seen.Insert(s, static_cast<uint32_t>(infos.size())).second) infos.push_back(Info{s});
    }
    if (options.count_only && filter.TopologyCovers()) {
      KG_ASSIGN_OR_RETURN(const Topology* topo, ctx.CurrentTopology());
      if (topo != nullptr) {
        table.columns = {"hops", "actors"};
        KG_ASSIGN_OR_RETURN(std::vector<int64_t> rings,
                            CountRings(ctx, *topo, starts, filter, options));
        for (int h = 1; h <= options.hops; ++h) {
          if (rings[h] != 0) table.rows.push_back({Value::Int(h), Value::Int(rings[h])});
        }
        return table;
      }
    }
    std::vector<ActorId> frontier = starts;
    for (int level = 1; level <= options.hops && !frontier.empty(); ++level) {
      std::vector<ActorId> next;
      for (ActorId u : frontier) {
        const ActorId via_u = infos[*seen.Find(u)].via;
        KG_RETURN_IF_ERROR(ForEachFilteredHop(ctx, u, options.direction, filter, [&](const Hop& h) {
          auto [slot, inserted] = seen.Insert(h.to, static_cast<uint32_t>(infos.size()));
          if (inserted) {
            Info info;
            info.id = h.to;
            info.hops = level;
            info.via = level == 1 ? h.to : via_u;
            infos.push_back(std::move(info));
            next.push_back(h.to);
          }
          Info& info = infos[*slot];
          if (info.hops == level) {
            info.events += h.events;
            add_relation(info, h.relation);
          }
          return Status::Ok();
        }));
      }
      frontier = std::move(next);
    }
    if (options.count_only) {
      table.columns = {"hops", "actors"};
      std::vector<int64_t> per_ring(static_cast<size_t>(options.hops) + 1, 0);
      for (const Info& info : infos) ++per_ring[static_cast<size_t>(info.hops)];
      for (int h = 1; h <= options.hops; ++h) {
        if (per_ring[h] != 0) table.rows.push_back({Value::Int(h), Value::Int(per_ring[h])});
      }
      return table;
    }
    struct Out {
      int hops;
      int64_t events;
      const ActorRecord* rec;
      const Info* info;
    };
    std::vector<Out> out;
    {
      std::vector<ActorId> ids;
      ids.reserve(infos.size() * 2);
      for (const Info& info : infos) {
        if (info.hops == 0) continue;
        ids.push_back(info.id);
        ids.push_back(info.via);
      }
      KG_RETURN_IF_ERROR(ctx.PrefetchActors(ids));  // One batched read, not one per row.
    }
    out.reserve(infos.size());
    for (const Info& info : infos) {
      if (info.hops == 0) continue;
      KG_ASSIGN_OR_RETURN(const ActorRecord* rec, ctx.Actor(info.id));
      out.push_back(Out{info.hops, info.events, rec, &info});
    }
    std::sort(out.begin(), out.end(), [](const Out& a, const Out& b) {
      if (a.hops != b.hops) return a.hops < b.hops;
      if (a.events != b.events) return a.events > b.events;
      return a.rec->name < b.rec->name;
    });
    const size_t cap = budget.row_limit == 0 ? SIZE_MAX : budget.row_limit;
    if (out.size() > cap) {
      table.notes.push_back("showing " + std::to_string(cap) + " of " + std::to_string(out.size()) +
                            " neighbours; raise --limit to see more");
      out.resize(cap);
    }
    std::vector<std::string> relation_names(relation_of_bit.size());
    for (size_t i = 0; i < relation_of_bit.size(); ++i) {
      KG_ASSIGN_OR_RETURN(relation_names[i], ctx.RelationName(relation_of_bit[i]));
    }
    table.rows.reserve(out.size());
    for (const Out& o : out) {
      const Info& info = *o.info;
      KG_ASSIGN_OR_RETURN(const ActorRecord* via, ctx.Actor(info.via));
      std::vector<std::string> rel_names;
      for (size_t bit = 0; bit < 64 && bit < relation_names.size(); ++bit) {
        if (info.relation_bits & (1ull << bit)) rel_names.push_back(relation_names[bit]);
      }
      for (RelationId r : info.more_relations) {
        KG_ASSIGN_OR_RETURN(std::string rn, ctx.RelationName(r));
        rel_names.push_back(std::move(rn));
      }
      std::sort(rel_names.begin(), rel_names.end());
      std::vector<Value> rels;
      rels.reserve(rel_names.size());
      for (auto& rn : rel_names) rels.push_back(Value::String(std::move(rn)));
      const ActorRecord& rec = *o.rec;
      table.rows.push_back({Value::String(rec.name),
                            rec.code.empty() ? Value::Null() : Value::String(rec.code),
                            Value::Int(o.hops), Value::String(via->name),
                            Value::List(std::move(rels)), Value::Int(o.events)});
    }
    return table;
  });
}

Result<ResultTable> TopPairs(const GraphReader& reader, const TopOptions& options,
                             const QueryOptions& budget) {
  return Guard([&]() -> Result<ResultTable> {
    GraphContext ctx(reader, budget);
    ResultTable table;
    table.columns = {"source", "relation", "target", "events"};
    std::optional<RelationId> relation;
    if (!options.relation.empty()) {
      relation = RelationIdFor(options.relation);
      KG_ASSIGN_OR_RETURN(bool exists, ctx.RelationExists(*relation));
      if (!exists) {
        KG_ASSIGN_OR_RETURN(std::vector<std::string> close, ctx.SuggestRelations(options.relation));
        table.notes.push_back("relation '" + options.relation + "' does not occur in the store" +
                              (close.empty() ? "" : " (closest: " + QuoteNames(close) + ")"));
        return table;
      }
    }
    const size_t k = options.limit == 0 ? 10 : options.limit;
    // Pass 1: the k-th largest count. Pass 2: every pair above it plus ties
    // (capped), named and sorted, so that ties are broken by name.
    std::priority_queue<int64_t, std::vector<int64_t>, std::greater<int64_t>> heap;
    Status status;
    KG_RETURN_IF_ERROR(reader.ScanPairCounts(relation, [&](const PairCount& pc) {
      status = ctx.budget().Charge();
      if (!status.ok()) return false;
      heap.push(pc.count);
      if (heap.size() > k) heap.pop();
      return true;
    }));
    KG_RETURN_IF_ERROR(status);
    const int64_t threshold = heap.empty() ? 0 : heap.top();
    constexpr size_t kMaxTies = 10000;
    std::vector<PairCount> candidates;
    size_t ties = 0;
    KG_RETURN_IF_ERROR(reader.ScanPairCounts(relation, [&](const PairCount& pc) {
      status = ctx.budget().Charge();
      if (!status.ok()) return false;
      if (pc.count > threshold || (pc.count == threshold && ties++ < kMaxTies))
        candidates.push_back(pc);
      return true;
    }));
    KG_RETURN_IF_ERROR(status);
    struct Out {
      int64_t count;
      std::string source, relation, target;
    };
    std::vector<Out> out;
    for (const PairCount& pc : candidates) {
      KG_ASSIGN_OR_RETURN(std::string s, ctx.ActorName(pc.source));
      KG_ASSIGN_OR_RETURN(std::string r, ctx.RelationName(pc.relation));
      KG_ASSIGN_OR_RETURN(std::string t, ctx.ActorName(pc.target));
      out.push_back(Out{pc.count, s, r, t});
    }
    std::sort(out.begin(), out.end(), [](const Out& a, const Out& b) {
      if (a.count != b.count) return a.count > b.count;
      return std::tie(a.source, a.relation, a.target) < std::tie(b.source, b.relation, b.target);
    });
    if (out.size() > k) out.resize(k);
    for (auto& o : out) {
      table.rows.push_back({Value::String(o.source), Value::String(o.relation),
                            Value::String(o.target), Value::Int(o.count)});
    }
    return table;
  });
}

std::optional<RankMeasure> ParseRankMeasure(std::string_view name) {
  if (name == "degree") return RankMeasure::kDegree;
  if (name == "in-degree" || name == "indegree") return RankMeasure::kInDegree;
  if (name == "out-degree" || name == "outdegree") return RankMeasure::kOutDegree;
  if (name == "betweenness") return RankMeasure::kBetweenness;
  if (name == "pagerank") return RankMeasure::kPageRank;
  if (name == "components") return RankMeasure::kComponents;
  return std::nullopt;
}

Result<ResultTable> RankActors(const GraphReader& reader, const RankOptions& options,
                               const QueryOptions& budget) {
  return Guard([&]() -> Result<ResultTable> {
    GraphContext ctx(reader, budget);
    ResultTable table;
    KG_ASSIGN_OR_RETURN(EdgeFilter filter, CompileFilter(ctx, options.filter, &table.notes));
    const size_t limit = options.limit == 0 ? 10 : options.limit;
    const bool degree_measure = options.measure == RankMeasure::kDegree ||
                                options.measure == RankMeasure::kInDegree ||
                                options.measure == RankMeasure::kOutDegree;
    if (degree_measure && filter.TopologyCovers()) {
      KG_ASSIGN_OR_RETURN(const Topology* topo, ctx.CurrentTopology());
      if (topo != nullptr) {
        return RankDegreesOnTopology(ctx, *topo, filter, options.measure, limit, std::move(table));
      }
    }
    KG_ASSIGN_OR_RETURN(auto proj, BuildProjection(ctx, filter));
    const size_t n = proj->actors.size();
    std::vector<double> score(n, 0.0);
    switch (options.measure) {
      case RankMeasure::kDegree:
      case RankMeasure::kInDegree:
      case RankMeasure::kOutDegree:
        for (size_t v = 0; v < n; ++v) {
          const int64_t in = proj->in_events[v], out = proj->out_events[v];
          score[v] = static_cast<double>(options.measure == RankMeasure::kInDegree    ? in
                                         : options.measure == RankMeasure::kOutDegree ? out
                                                                                      : in + out);
        }
        break;
      case RankMeasure::kBetweenness: {
        const double cost =
            static_cast<double>(n) * static_cast<double>(boost::num_edges(proj->symmetric));
        const double allowed = static_cast<double>(budget.work_budget) * 1000.0;
        if (budget.work_budget > 0 && cost > allowed) {
          return Status::ResourceExhausted("betweenness over " + std::to_string(n) +
                                           " actors and " +
                                           std::to_string(boost::num_edges(proj->symmetric) / 2) +
                                           " links is too costly for the work budget; filter with "
                                           "--relation or --relation-class, or raise "
                                           "--max-work");
        }
        boost::brandes_betweenness_centrality(
            proj->symmetric, boost::centrality_map(boost::make_iterator_property_map(
                                 score.begin(), boost::get(boost::vertex_index, proj->symmetric))));
        for (double& s : score) s /= 2.0;  // Each unordered pair was counted in both directions.
        break;
      }
      case RankMeasure::kPageRank: {
        if (n > 0) {
          boost::graph::page_rank(
              proj->directed,
              boost::make_iterator_property_map(score.begin(),
                                                boost::get(boost::vertex_index, proj->directed)),
              boost::graph::n_iterations(30));
          double total = 0;
          for (double s : score) total += s;
          if (total > 0) {
            for (double& s : score) s /= total;
          }
        }
        break;
      }
      case RankMeasure::kComponents: {
        std::vector<uint32_t> comp(n);
        const uint32_t count =
            n == 0 ? 0
                   : static_cast<uint32_t>(boost::connected_components(
                         proj->symmetric,
                         boost::make_iterator_property_map(
                             comp.begin(), boost::get(boost::vertex_index, proj->symmetric))));
        std::vector<std::vector<uint32_t>> members(count);
        for (uint32_t v = 0; v < n; ++v) members[comp[v]].push_back(v);
        auto degree = [&](uint32_t v) { return proj->in_events[v] + proj->out_events[v]; };
        struct Comp {
          size_t size;
          std::vector<std::string> top;
        };
        std::vector<Comp> comps;
        for (auto& m : members) {
          std::sort(m.begin(), m.end(), [&](uint32_t a, uint32_t b) {
            if (degree(a) != degree(b)) return degree(a) > degree(b);
            return proj->actors[a] < proj->actors[b];
          });
          Comp c{m.size(), {}};
          for (size_t i = 0; i < m.size() && i < 5; ++i) {
            KG_ASSIGN_OR_RETURN(std::string name, ctx.ActorName(proj->actors[m[i]]));
            c.top.push_back(name);
          }
          comps.push_back(std::move(c));
        }
        std::sort(comps.begin(), comps.end(), [](const Comp& a, const Comp& b) {
          if (a.size != b.size) return a.size > b.size;
          return a.top < b.top;
        });
        table.columns = {"rank", "size", "actors"};
        for (size_t i = 0; i < comps.size() && i < limit; ++i) {
          std::vector<Value> names;
          for (auto& t : comps[i].top) names.push_back(Value::String(t));
          table.rows.push_back({Value::Int(static_cast<int64_t>(i + 1)),
                                Value::Int(static_cast<int64_t>(comps[i].size)),
                                Value::List(std::move(names))});
        }
        table.notes.push_back(std::to_string(comps.size()) + " weakly connected components over " +
                              std::to_string(n) + " actors");
        return table;
      }
    }
    std::vector<ActorId> actors(proj->actors.begin(), proj->actors.end());
    return TopScored(ctx, score, actors, limit, degree_measure, std::move(table));
  });
}

Result<ProjectionInfo> BuildProjectionInfo(const GraphReader& reader, const SubgraphFilter& filter,
                                           const QueryOptions& budget) {
  try {
    const auto start = std::chrono::steady_clock::now();
    GraphContext ctx(reader, budget);
    std::vector<std::string> notes;
    KG_ASSIGN_OR_RETURN(EdgeFilter f, CompileFilter(ctx, filter, &notes));
    KG_ASSIGN_OR_RETURN(auto proj, BuildProjection(ctx, f));
    ProjectionInfo info;
    info.vertices = proj->actors.size();
    info.edges = boost::num_edges(proj->directed);
    info.events = proj->events;
    info.memory_bytes = proj->MemoryBytes();
    info.build_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return info;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("projection failed: ") + e.what());
  }
}

}  // namespace kg::query
