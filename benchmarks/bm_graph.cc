// Storage-layer benchmarks: the key codec (edge keys, stored events), the two
// write paths (GraphStore::PutDocument and BulkWriter), edge prefix scans with
// a bound source (key-only vs full decode), one BFS expansion step through
// query::Neighbors (stored topology vs edge-index scans), and the topology's
// build (RefreshTopology) and load (GetTopology) times.
//
// Data: kEvents generated events over kEvents/10 actors with Zipf-like
// degrees, 24 relations, documents of 3-7 events (the style of bm_query.cc).
// The scan/BFS store is bulk-loaded once per process into a temporary
// directory that is removed at exit.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
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
#include "graph/key_codec.h"
#include "query/algorithms.h"
#include "query/query.h"

namespace kg {
namespace {

constexpr size_t kEvents = 200'000;
constexpr size_t kActors = kEvents / 10;

using bench::ActorName;
using bench::SkewedActor;
// Seconds per benchmark (default 0.5): the loops are steady, and the whole
// file should run in a few seconds.
constexpr double kMinTime = 0.2;

void Check(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "bm_graph: %s\n", status.ToString().c_str());
    std::abort();
  }
}

template <typename T>
T Take(Result<T> result) {
  Check(result.status());
  return std::move(result).value();
}

struct Doc {
  DocumentMeta meta;
  std::vector<Event> events;
};

// Deterministic documents of 3-7 events, `events` events in all.
std::vector<Doc> GenerateDocs(size_t events, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> per_doc(3, 7);
  std::uniform_int_distribution<int> day(0, 365 * 10);
  std::vector<Doc> docs;
  for (size_t done = 0; done < events;) {
    Doc d;
    d.meta.id = "doc-" + std::to_string(docs.size());
    d.meta.source = docs.size() % 2 ? "Reuters" : "AP";
    d.meta.date = 14000 + day(rng);
    d.meta.content_hash = docs.size() + 1;
    for (size_t k = per_doc(rng); k > 0 && done < events; --k, ++done) {
      Event ev = bench::RandomEvent(rng, kActors, done);
      const auto sentence = static_cast<uint32_t>(d.events.size());
      ev.mentions.push_back(
          Mention{sentence, 0, 60, ev.source.name + " did something to " + ev.target.name + "."});
      d.events.push_back(std::move(ev));
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

const std::vector<Doc>& Docs() {
  static const std::vector<Doc> docs = GenerateDocs(kEvents, 42);
  return docs;
}

// A store in a fresh temporary directory, removed on destruction.
struct TempStore {
  std::filesystem::path dir;
  std::unique_ptr<GraphStore> store;

  explicit TempStore(const std::string& tag) {
    static int serial = 0;
    dir = std::filesystem::temp_directory_path() /
          ("kg_bm_graph_" + std::to_string(::getpid()) + "_" + tag + std::to_string(serial++));
    std::filesystem::remove_all(dir);
    StoreOptions options;
    options.path = dir.string();
    options.block_cache_bytes = 256u << 20;
    store = Take(GraphStore::Open(options));
  }
  ~TempStore() {
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void BulkLoad(GraphStore& store, const std::vector<Doc>& docs) {
  auto writer = Take(store.NewBulkWriter(BulkLoadOptions()));
  for (const Doc& d : docs) {
    for (const Event& ev : d.events) Check(writer->AppendEvent(d.meta, ev));
  }
  Take(writer->Finish());
}

// The shared read-side store: Docs() bulk-loaded, topology current.
TempStore& ReadStore() {
  static const std::unique_ptr<TempStore> ts = [] {
    auto t = std::make_unique<TempStore>("read");
    BulkLoad(*t->store, Docs());
    Check(t->store->Flush());
    Take(t->store->RefreshTopology());
    return t;
  }();
  return *ts;
}

// BFS frontier / scan sources: distinct Zipf-drawn actors, as the frontier
// after a first hop (mostly hubs plus a tail).
std::vector<size_t> Frontier(size_t draws) {
  std::mt19937_64 rng(7);
  std::vector<size_t> out;
  for (size_t i = 0; i < draws; ++i) out.push_back(SkewedActor(rng, kActors));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// --- Key codec ---

std::vector<EdgeEntry> SampleEdges() {
  std::vector<EdgeEntry> out;
  std::mt19937_64 rng(3);
  for (size_t i = 0; i < 1024; ++i) {
    EdgeEntry e;
    e.source = rng();
    e.relation = rng();
    e.target = rng();
    e.date = static_cast<Date>(rng() % 20000);
    e.event = EventKey{rng(), static_cast<uint32_t>(rng() % 8)};
    out.push_back(e);
  }
  return out;
}

void BM_CodecEdgeKeyRoundTrip(benchmark::State& state) {
  const std::vector<EdgeEntry> edges = SampleEdges();
  EdgeEntry decoded;
  for (auto _ : state) {
    for (const EdgeEntry& e : edges) {
      const std::string key = codec::EdgeKey(codec::EdgeOrder::kIn, e);
      Check(codec::DecodeEdgeKey(codec::EdgeOrder::kIn, key, &decoded));
      benchmark::DoNotOptimize(decoded.target);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * edges.size()));
}
BENCHMARK(BM_CodecEdgeKeyRoundTrip)->MinTime(kMinTime);

void BM_CodecEncodeEdgeKeyTo(benchmark::State& state) {
  const std::vector<EdgeEntry> edges = SampleEdges();
  char key[codec::kEdgeKeySize];
  for (auto _ : state) {
    for (const EdgeEntry& e : edges) {
      codec::EncodeEdgeKeyTo(codec::EdgeOrder::kOut, e.source, e.relation, e.target, e.date,
                             e.event, key);
      benchmark::DoNotOptimize(key);
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * edges.size()));
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * edges.size() * codec::kEdgeKeySize));
}
BENCHMARK(BM_CodecEncodeEdgeKeyTo)->MinTime(kMinTime);

std::vector<StoredEvent> SampleStoredEvents() {
  std::vector<StoredEvent> out;
  for (const Doc& d : GenerateDocs(1024, 5)) {
    for (uint32_t k = 0; k < d.events.size(); ++k) {
      StoredEvent s;
      s.key = EventKey{DocKeyFor(d.meta.id), k};
      s.doc_id = d.meta.id;
      s.date = d.meta.date;
      s.event = d.events[k];
      s.source_id = ActorIdFor(s.event.source.name);
      s.relation_id = RelationIdFor(s.event.relation);
      s.target_id = ActorIdFor(s.event.target.name);
      out.push_back(std::move(s));
    }
  }
  return out;
}

void BM_CodecEncodeStoredEvent(benchmark::State& state) {
  const std::vector<StoredEvent> events = SampleStoredEvents();
  size_t bytes = 0;
  for (auto _ : state) {
    for (const StoredEvent& e : events) {
      const std::string value = codec::EncodeStoredEvent(e);
      bytes += value.size();
      benchmark::DoNotOptimize(value.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_CodecEncodeStoredEvent)->MinTime(kMinTime);

void BM_CodecDecodeStoredEvent(benchmark::State& state) {
  std::vector<std::string> values;
  for (const StoredEvent& e : SampleStoredEvents()) values.push_back(codec::EncodeStoredEvent(e));
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& v : values) {
      StoredEvent e = Take(codec::DecodeStoredEvent(v));
      bytes += v.size();
      benchmark::DoNotOptimize(e.target_id);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_CodecDecodeStoredEvent)->MinTime(kMinTime);

// --- Write paths: the same documents through PutDocument and the bulk loader ---

// PutDocument of the first 2000 documents (~10k events) into an empty store;
// the memtable is not flushed inside the timing.
void BM_WritePutDocument(benchmark::State& state) {
  const std::vector<Doc>& all = Docs();
  const std::vector<Doc> docs(all.begin(), all.begin() + 2000);
  size_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto ts = std::make_unique<TempStore>("put");
    state.ResumeTiming();
    for (const Doc& d : docs) {
      events += Take(ts->store->PutDocument(d.meta, d.events, {})).events_written;
    }
    state.PauseTiming();
    ts.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["docs"] = static_cast<double>(docs.size());
}
// Real time: RocksDB and the bulk loader do part of the work on their own
// threads, which the main thread's CPU time would not count.
BENCHMARK(BM_WritePutDocument)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// NewBulkWriter + AppendEvent per event + Finish (sorted SSTs ingested) of
// all kEvents events into an empty store.
void BM_WriteBulkWriter(benchmark::State& state) {
  const std::vector<Doc>& docs = Docs();
  for (auto _ : state) {
    state.PauseTiming();
    auto ts = std::make_unique<TempStore>("bulk");
    state.ResumeTiming();
    BulkLoad(*ts->store, docs);
    state.PauseTiming();
    ts.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kEvents));
  state.counters["docs"] = static_cast<double>(docs.size());
}
BENCHMARK(BM_WriteBulkWriter)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

// --- Prefix scan: edges_out with the source bound ---

// Arg 0: key-only (decode_value = false, what traversals use); 1: full decode.
void BM_ScanEdgesBySource(benchmark::State& state) {
  GraphStore& store = *ReadStore().store;
  const auto reader = store.NewReader();
  std::vector<ActorId> sources;
  for (size_t i : Frontier(512)) sources.push_back(ActorIdFor(ActorName(i)));
  EdgeScanSpec spec;
  spec.decode_value = state.range(0) != 0;
  size_t edges = 0;
  for (auto _ : state) {
    for (ActorId s : sources) {
      spec.source = s;
      Check(reader->ScanEdges(spec, [&](const EdgeEntry& e) {
        benchmark::DoNotOptimize(e.target);
        ++edges;
        return true;
      }));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(edges));
  state.counters["sources"] = static_cast<double>(sources.size());
  state.counters["edges/op"] = static_cast<double>(edges) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ScanEdgesBySource)
    ->ArgName("decode")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(kMinTime);

// --- One BFS step: Neighbors hops=1 count_only from each frontier actor ---

// Arg 1: QueryOptions::use_topology with a current topology; 0: edge-index
// scans. Name resolution of each start actor is included (public API).
void BM_BfsStep(benchmark::State& state) {
  GraphStore& store = *ReadStore().store;
  Take(store.RefreshTopology());
  const auto reader = store.NewReader();
  std::vector<std::string> frontier;
  for (size_t i : Frontier(512)) frontier.push_back(ActorName(i));
  query::NeighborOptions options;
  options.hops = 1;
  options.count_only = true;
  query::QueryOptions budget;
  budget.use_topology = state.range(0) != 0;
  if (budget.use_topology && Take(reader->GetTopology()) == nullptr) {
    state.SkipWithError("topology is not current");
    return;
  }
  int64_t neighbors = 0;
  for (auto _ : state) {
    for (const std::string& actor : frontier) {
      const query::ResultTable table = Take(query::Neighbors(*reader, actor, options, budget));
      for (const auto& row : table.rows) neighbors += row[1].AsInt();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * frontier.size()));
  state.counters["neighbors/s"] =
      benchmark::Counter(static_cast<double>(neighbors), benchmark::Counter::kIsRate);
  state.counters["neighbors/op"] =
      static_cast<double>(neighbors) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_BfsStep)
    ->ArgName("topology")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(kMinTime);

// --- Topology build and load ---

// RefreshTopology after a one-event write made the stored one stale.
void BM_TopologyRefresh(benchmark::State& state) {
  GraphStore& store = *ReadStore().store;
  const Doc& probe = Docs().front();
  int serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    DocumentMeta meta = probe.meta;
    meta.id = "refresh-" + std::to_string(serial++);
    Take(store.PutDocument(meta, {probe.events.front()}, {}));
    state.ResumeTiming();
    if (!Take(store.RefreshTopology())) {
      state.SkipWithError("RefreshTopology did not rebuild");
      return;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_TopologyRefresh)->Unit(benchmark::kMillisecond)->Iterations(5);

// GetTopology on a fresh reader: reads and decodes the stored chunks.
void BM_TopologyLoad(benchmark::State& state) {
  GraphStore& store = *ReadStore().store;
  Take(store.RefreshTopology());
  size_t links = 0, bytes = 0;
  for (auto _ : state) {
    const auto reader = store.NewReader();
    const std::shared_ptr<const Topology> topo = Take(reader->GetTopology());
    if (topo == nullptr) {
      state.SkipWithError("topology is not current");
      return;
    }
    links = topo->num_links();
    bytes = topo->MemoryBytes();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * links));
  state.counters["links"] = static_cast<double>(links);
  state.counters["MiB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK(BM_TopologyLoad)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace
}  // namespace kg
