// Export throughput and memory on a generated store.
//
// The store (range(0) events in documents of 100, between range(1) actors
// drawn with a skewed distribution so that parallel events collapse as they
// do in news; 12 relations) is built once per shape under $TMPDIR and reused.
// With 200 actors, 1M events collapse into ~0.1M edges; with 2000 actors
// almost nothing collapses (the worst case for the collapsed formats). Before each benchmark the
// process's peak-RSS mark is reset (/proc/self/clear_refs "5"), so the `peak_rss_mb` counter is the
// export's own high-water mark (VmHWM), including the RocksDB block cache. `rss_base_mb` is the
// resident size before the export starts.
//
//   kg_bench --benchmark_filter=Export --benchmark_min_time=1x
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <random>
#include <streambuf>
#include <string>
#include <vector>

#include "export/exporter.h"
#include "graph/graph_store.h"

namespace {

using kg::exporter::SelectionOptions;

constexpr int kEventsPerDocument = 100;

struct RelationSpec {
  const char* name;
  const char* cameo;
  double goldstein;
};
constexpr RelationSpec kRelations[] = {
    {"accuse", "112", -2.0},   {"criticize", "111", -2.0}, {"threaten", "138", -7.0},
    {"attack", "190", -10.0},  {"bomb", "195", -10.0},     {"support", "05", 3.5},
    {"meet", "036", 4.0},      {"negotiate", "046", 7.0},  {"provide aid", "07", 7.0},
    {"sanction", "163", -8.0}, {"urge", "02", 3.0},        {"warn", "", 0.0},
};

// Resident set (VmRSS) or peak (VmHWM) in MiB, from /proc/self/status.
double ProcStatusMb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size())) / 1024.0;
  }
  return 0.0;
}

void ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

// Counts bytes and throws them away.
class CountingBuf : public std::streambuf {
 public:
  int64_t bytes = 0;

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) ++bytes;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += n;
    return n;
  }
};

std::string ActorName(int i) { return "Actor " + std::to_string(i); }

// Zipf-like skew: a few actors appear in most events, as in news.
int PickActor(std::mt19937_64& rng, int actors) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  return static_cast<int>(std::pow(u(rng), 2.5) * actors);
}

std::string StorePath(int64_t events, int actors) {
  return (std::filesystem::temp_directory_path() /
          ("kg_bm_export_" + std::to_string(events) + "_" + std::to_string(actors)))
      .string();
}

// Builds the store for `events` and `actors` unless a complete one exists.
bool EnsureStore(int64_t events, int actor_count, std::string* error) {
  const std::string path = StorePath(events, actor_count);
  const std::string done = path + "/.complete";
  if (std::filesystem::exists(done)) return true;
  std::filesystem::remove_all(path);
  kg::StoreOptions options;
  options.path = path;
  auto store = kg::GraphStore::Open(options);
  if (!store.ok()) {
    *error = store.status().ToString();
    return false;
  }
  std::mt19937_64 rng(42);
  std::vector<kg::ActorRecord> actors;
  for (int i = 0; i < actor_count; ++i) {
    kg::ActorRecord a;
    a.name = ActorName(i);
    a.code = i % 3 == 0 ? "USA" : (i % 3 == 1 ? "RUS" : "SYRGOV");
    a.type = kg::ActorType::kCountry;
    actors.push_back(a);
  }
  const int64_t documents = (events + kEventsPerDocument - 1) / kEventsPerDocument;
  for (int64_t d = 0; d < documents; ++d) {
    kg::DocumentMeta meta;
    meta.id = "bm-" + std::to_string(d);
    meta.title = "Generated document " + std::to_string(d);
    meta.date = static_cast<kg::Date>(16700 + d % 730);
    meta.content_hash = static_cast<uint64_t>(d) + 1;
    std::vector<kg::Event> batch;
    for (int k = 0; k < kEventsPerDocument && d * kEventsPerDocument + k < events; ++k) {
      const int s = PickActor(rng, actor_count);
      int t = PickActor(rng, actor_count);
      if (t == s) t = (t + 1) % actor_count;
      const RelationSpec& r = kRelations[rng() % std::size(kRelations)];
      kg::Event e;
      e.source = {ActorName(s), ActorName(s), actors[s].code};
      e.target = {ActorName(t), ActorName(t), actors[t].code};
      e.relation = r.name;
      e.cameo = r.cameo;
      e.goldstein = r.goldstein;
      e.negated = rng() % 50 == 0;
      std::string quote = ActorName(s) + " " + r.name + " " + ActorName(t) + " in sentence " +
                          std::to_string(k) + " of a generated article.";
      e.mentions.push_back(
          {static_cast<uint32_t>(k), 0, static_cast<uint32_t>(quote.size()), quote});
      batch.push_back(std::move(e));
    }
    auto put = (*store)->PutDocument(meta, batch, d == 0 ? actors : std::vector<kg::ActorRecord>{});
    if (!put.ok()) {
      *error = put.status().ToString();
      return false;
    }
  }
  if (auto s = (*store)->Flush(); !s.ok()) {
    *error = s.ToString();
    return false;
  }
  std::ofstream(done) << "ok\n";
  return true;
}

// Runs `body(reader, out)` over the store for state.range(0) events.
template <typename Body>
void RunExport(benchmark::State& state, Body body) {
  const int64_t events = state.range(0);
  const int actors = static_cast<int>(state.range(1));
  std::string error;
  if (!EnsureStore(events, actors, &error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  kg::StoreOptions options;
  options.path = StorePath(events, actors);
  options.read_only = true;
  auto store = kg::GraphStore::Open(options);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  malloc_trim(0);  // Return what earlier benchmarks freed, so the peak is this one's.
  const double base = ProcStatusMb("VmRSS");
  ResetPeakRss();
  int64_t bytes = 0;
  kg::exporter::ExportSummary summary;
  for (auto _ : state) {
    auto reader = (*store)->NewReader();
    CountingBuf buf;
    std::ostream out(&buf);
    kg::Status s = body(*reader, out, &summary);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    bytes = buf.bytes;
  }
  state.counters["events"] = static_cast<double>(summary.events);
  state.counters["edges"] = static_cast<double>(summary.edges);
  state.counters["out_mb"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.counters["rss_base_mb"] = base;
  state.counters["peak_rss_mb"] = ProcStatusMb("VmHWM");
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(summary.events), benchmark::Counter::kIsIterationInvariantRate);
}

kg::Status CollapsedSummary(const kg::GraphReader& reader, kg::exporter::ExportSummary* summary,
                            kg::exporter::Subgraph* graph) {
  auto selected = kg::exporter::SelectSubgraph(reader, SelectionOptions{});
  if (!selected.ok()) return selected.status();
  *graph = std::move(selected).value();
  summary->nodes = graph->nodes.size();
  summary->edges = graph->edges.size();
  summary->events = 0;
  for (const auto& e : graph->edges) summary->events += e.count;
  return kg::Status::Ok();
}

void BM_ExportJsonl(benchmark::State& state) {
  RunExport(state, [](const kg::GraphReader& reader, std::ostream& out,
                      kg::exporter::ExportSummary* summary) {
    auto lines = kg::exporter::WriteJsonLines(reader, SelectionOptions{}, out);
    if (!lines.ok()) return lines.status();
    summary->events = *lines;
    summary->edges = static_cast<size_t>(*lines);
    return kg::Status::Ok();
  });
}

void BM_ExportDot(benchmark::State& state) {
  RunExport(state, [](const kg::GraphReader& reader, std::ostream& out,
                      kg::exporter::ExportSummary* summary) {
    kg::exporter::Subgraph graph;
    KG_RETURN_IF_ERROR(CollapsedSummary(reader, summary, &graph));
    return kg::exporter::WriteDot(graph, kg::exporter::WriteOptions{}, out);
  });
}

void BM_ExportCytoscape(benchmark::State& state) {
  RunExport(state, [](const kg::GraphReader& reader, std::ostream& out,
                      kg::exporter::ExportSummary* summary) {
    kg::exporter::Subgraph graph;
    KG_RETURN_IF_ERROR(CollapsedSummary(reader, summary, &graph));
    return kg::exporter::WriteCytoscape(reader, graph, out);
  });
}

void BM_ExportGraphml(benchmark::State& state) {
  RunExport(state, [](const kg::GraphReader& reader, std::ostream& out,
                      kg::exporter::ExportSummary* summary) {
    kg::exporter::Subgraph graph;
    KG_RETURN_IF_ERROR(CollapsedSummary(reader, summary, &graph));
    return kg::exporter::WriteGraphml(reader, graph, kg::exporter::WriteOptions{}, out);
  });
}

// {events, actors}: small, 1M collapsing, 1M not collapsing.
void Shapes(benchmark::internal::Benchmark* b) {
  b->Args({100'000, 200})->Args({1'000'000, 200})->Args({1'000'000, 2000});
  b->Unit(benchmark::kMillisecond)->Iterations(1);
}

BENCHMARK(BM_ExportJsonl)->Apply(Shapes);
BENCHMARK(BM_ExportDot)->Apply(Shapes);
BENCHMARK(BM_ExportCytoscape)->Apply(Shapes);
BENCHMARK(BM_ExportGraphml)->Apply(Shapes);

}  // namespace
