// Query-engine benchmarks on a generated graph: pattern query, 2-hop
// neighbourhood, shortest paths between random actor pairs, top-k pair
// counts and the CSR projection build. Each benchmark reports p50/p99
// latencies (microseconds) as counters.
//
// Graph size: KG_BENCH_EDGES events (default 100000; set 1000000 for the
// 1 M-edge run), over KG_BENCH_EDGES/10 actors with Zipf-like degrees and 24
// relations spread over all CAMEO quad classes. The store is built once per
// process in a temporary directory (the build time is printed on stderr).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/bench_graph_data.h"
#include "graph/graph_store.h"
#include "graph/ids.h"
#include "query/algorithms.h"
#include "query/query.h"

namespace {

using kg::bench::kNumRelations;
using kg::bench::kRelations;

struct BenchGraph {
  std::filesystem::path dir;
  std::unique_ptr<kg::GraphStore> store;
  std::unique_ptr<kg::GraphReader> reader;
  size_t actors = 0;
  size_t edges = 0;
  std::vector<std::string> present;  // Names of actors that occur in some event.

  const std::string& Uniform(std::mt19937_64& rng) const {
    std::uniform_int_distribution<size_t> pick(0, present.size() - 1);
    return present[pick(rng)];
  }

  ~BenchGraph() {
    reader.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

BenchGraph& Graph() {
  // A function-local static (not a leaked pointer), so that its destructor
  // removes the temporary store at exit.
  static std::unique_ptr<BenchGraph> graph = [] {
    auto g = std::make_unique<BenchGraph>();
    const char* env = std::getenv("KG_BENCH_EDGES");
    g->edges = env != nullptr ? std::strtoull(env, nullptr, 10) : 100000;
    g->actors = std::max<size_t>(100, g->edges / 10);
    g->dir = std::filesystem::temp_directory_path() / ("kg_bm_query_" + std::to_string(::getpid()));
    std::filesystem::remove_all(g->dir);
    kg::StoreOptions options;
    options.path = g->dir.string();
    options.block_cache_bytes = 256u << 20;
    auto store = kg::GraphStore::Open(options);
    if (!store.ok()) {
      std::fprintf(stderr, "bm_query: %s\n", store.status().ToString().c_str());
      std::abort();
    }
    g->store = std::move(store).value();
    std::mt19937_64 rng(42);
    const auto start = std::chrono::steady_clock::now();
    constexpr size_t kEventsPerDoc = 1000;
    std::uniform_int_distribution<int> day(0, 365);
    for (size_t done = 0, doc = 0; done < g->edges; ++doc) {
      kg::DocumentMeta meta;
      meta.id = "doc-" + std::to_string(doc);
      meta.source = doc % 2 ? "Reuters" : "AP";
      meta.date = 16700 + day(rng);
      meta.content_hash = doc + 1;
      std::vector<kg::Event> events;
      for (size_t k = 0; k < kEventsPerDoc && done < g->edges; ++k, ++done) {
        kg::Event ev = kg::bench::RandomEvent(rng, g->actors, done);
        ev.mentions.push_back(kg::Mention{static_cast<uint32_t>(k), 0, 10, "sentence"});
        events.push_back(std::move(ev));
      }
      auto r = g->store->PutDocument(meta, events, {});
      if (!r.ok()) {
        std::fprintf(stderr, "bm_query: %s\n", r.status().ToString().c_str());
        std::abort();
      }
    }
    (void)g->store->Flush();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "bm_query: built %zu events over %zu actors in %.1f s (%.0f events/s)\n",
                 g->edges, g->actors, secs, static_cast<double>(g->edges) / secs);
    g->reader = g->store->NewReader();
    (void)g->reader->ScanActors([&](const kg::ActorRecord& rec) {
      g->present.push_back(rec.name);
      return true;
    });
    std::sort(g->present.begin(), g->present.end());
    return g;
  }();
  return *graph;
}

// Records per-iteration latencies and reports p50/p99 in microseconds.
class Latencies {
 public:
  void Add(std::chrono::steady_clock::duration d) {
    us_.push_back(std::chrono::duration<double, std::micro>(d).count());
  }
  void Report(benchmark::State& state) {
    if (us_.empty()) return;
    std::sort(us_.begin(), us_.end());
    auto at = [&](double q) {
      return us_[std::min(us_.size() - 1, static_cast<size_t>(q * us_.size()))];
    };
    state.counters["p50_us"] = at(0.50);
    state.counters["p99_us"] = at(0.99);
  }

 private:
  std::vector<double> us_;
};

template <typename Fn>
void Timed(benchmark::State& state, Fn&& fn) {
  Latencies lat;
  size_t rows = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    rows += fn();
    lat.Add(std::chrono::steady_clock::now() - start);
  }
  lat.Report(state);
  state.counters["rows/op"] =
      static_cast<double>(rows) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}

size_t Check(const kg::Result<kg::query::ResultTable>& r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bm_query: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return r->rows.size();
}

// Who did the most of one relation to a (random, fairly active) actor.
void BM_PatternQuery(benchmark::State& state) {
  BenchGraph& g = Graph();
  std::mt19937_64 rng(1);
  Timed(state, [&] {
    const std::string q =
        "MATCH (a)-[r:accuse|criticize]->(b {name: '" + g.Uniform(rng) +
        "'}) WHERE r.date >= '2015-10-01' RETURN a.name, count(*) AS n ORDER BY n DESC LIMIT 10";
    return Check(kg::query::RunQuery(*g.reader, q, kg::query::QueryOptions()));
  });
}
BENCHMARK(BM_PatternQuery)->Unit(benchmark::kMicrosecond);

// Two-hop pattern through the query language, anchored on a random actor.
void BM_TwoHopPattern(benchmark::State& state) {
  BenchGraph& g = Graph();
  std::mt19937_64 rng(2);
  Timed(state, [&] {
    const std::string q = "MATCH (a {name: '" + g.Uniform(rng) +
                          "'})-[:attack]->(b)-[:attack]->(c) RETURN count(DISTINCT c) AS n";
    return Check(kg::query::RunQuery(*g.reader, q, kg::query::QueryOptions()));
  });
}
BENCHMARK(BM_TwoHopPattern)->Unit(benchmark::kMicrosecond);

// kg neighbors X --hops 2 --relation-class material-conflict (uniform actor).
void BM_TwoHopNeighbors(benchmark::State& state) {
  BenchGraph& g = Graph();
  std::mt19937_64 rng(3);
  kg::query::NeighborOptions options;
  options.hops = 2;
  options.direction = kg::query::Direction::kOut;
  options.filter.relation_class = "material-conflict";
  kg::query::QueryOptions budget;
  budget.row_limit = 100;
  Timed(state,
        [&] { return Check(kg::query::Neighbors(*g.reader, g.Uniform(rng), options, budget)); });
}
BENCHMARK(BM_TwoHopNeighbors)->Unit(benchmark::kMicrosecond);

// kg path A B --max-hops 4 between uniformly random actors (BFS on the indexes).
void BM_ShortestPath(benchmark::State& state) {
  BenchGraph& g = Graph();
  std::mt19937_64 rng(4);
  kg::query::PathOptions options;
  options.max_hops = 4;
  options.filter.relations = {"accuse", "attack", "meet"};
  Timed(state, [&] {
    const std::string& a = g.Uniform(rng);
    const std::string& b = g.Uniform(rng);
    return Check(kg::query::FindPaths(*g.reader, a, b, options, kg::query::QueryOptions()));
  });
}
BENCHMARK(BM_ShortestPath)->Unit(benchmark::kMicrosecond);

// kg top --relation R --limit 10 from the pair-count index.
void BM_TopPairs(benchmark::State& state) {
  BenchGraph& g = Graph();
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<size_t> rel(0, kNumRelations - 1);
  kg::query::TopOptions options;
  Timed(state, [&] {
    options.relation = kRelations[rel(rng)][0];
    return Check(kg::query::TopPairs(*g.reader, options, kg::query::QueryOptions()));
  });
}
BENCHMARK(BM_TopPairs)->Unit(benchmark::kMicrosecond);

// Building the Boost CSR projection of the whole graph from a full index scan.
void BM_ProjectionBuild(benchmark::State& state) {
  BenchGraph& g = Graph();
  kg::query::ProjectionInfo info;
  Latencies lat;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto r = kg::query::BuildProjectionInfo(*g.reader, kg::query::SubgraphFilter(),
                                            kg::query::QueryOptions());
    lat.Add(std::chrono::steady_clock::now() - start);
    if (!r.ok()) std::abort();
    info = *r;
  }
  lat.Report(state);
  state.counters["vertices"] = static_cast<double>(info.vertices);
  state.counters["edges"] = static_cast<double>(info.edges);
  state.counters["events"] = static_cast<double>(info.events);
  state.counters["MiB"] = static_cast<double>(info.memory_bytes) / (1 << 20);
}
BENCHMARK(BM_ProjectionBuild)->Unit(benchmark::kMillisecond)->Iterations(5);

// kg rank --by pagerank over the whole graph (projection + 30 iterations).
void BM_RankPageRank(benchmark::State& state) {
  BenchGraph& g = Graph();
  kg::query::RankOptions options;
  options.measure = kg::query::RankMeasure::kPageRank;
  Timed(state, [&] {
    return Check(kg::query::RankActors(*g.reader, options, kg::query::QueryOptions()));
  });
}
BENCHMARK(BM_RankPageRank)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
