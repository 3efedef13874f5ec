// kg_peer: kg as the fourth peer of ../shared/bench-peers. Loads the
// harness's `source relation target date doc` TSV through `kg import`'s bulk
// path into a fresh store in a temp dir, answers the harness questions
// (b, c, f, hub, d, e) through kg's public query API (the load includes the
// topology, which the bulk load writes into a fresh store), and prints ONE JSON
// line on stdout in the harness's format (progress on stderr).
//
//   kg_peer --edges data/e1000000_a100000_s42.tsv [--pairs F] [--reps 3] [--keep]
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "graph/ids.h"
#include "ingest/event_table.h"
#include "query/algorithms.h"
#include "query/query.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "[kg] error: %s\n", msg.c_str());
  std::exit(1);
}

template <typename T>
T Check(kg::Result<T> r) {
  if (!r.ok()) Die(r.status().ToString());
  return std::move(r).value();
}

void Check(const kg::Status& s) {
  if (!s.ok()) Die(s.ToString());
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct Timing {
  double first = 0, median = 0, min = 0;
};

// Runs fn reps times; returns first/median/min seconds.
Timing Timed(int reps, const std::function<void()>& fn) {
  std::vector<double> ts;
  for (int i = 0; i < reps; ++i) {
    const auto s = Clock::now();
    fn();
    ts.push_back(Secs(s));
  }
  Timing t;
  t.first = ts[0];
  std::vector<double> sorted = ts;
  std::sort(sorted.begin(), sorted.end());
  const size_t m = sorted.size() / 2;
  t.median = sorted.size() % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  t.min = sorted[0];
  return t;
}

double R6(double x) { return std::round(x * 1e6) / 1e6; }

uint64_t DirBytes(const fs::path& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string edges_path, pairs_path;
  int reps = 3;
  bool keep = false;
  std::string db_dir;  // --db: query an existing store (kept by --keep); no load.
  std::string only;    // --only b,c,...: run these questions only (profiling).
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + std::string(argv[i]));
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--edges"))
      edges_path = next();
    else if (!std::strcmp(argv[i], "--pairs"))
      pairs_path = next();
    else if (!std::strcmp(argv[i], "--reps"))
      reps = std::stoi(next());
    else if (!std::strcmp(argv[i], "--keep"))
      keep = true;
    else if (!std::strcmp(argv[i], "--db"))
      db_dir = next();
    else if (!std::strcmp(argv[i], "--only"))
      only = next();
    else
      Die(std::string("unknown argument ") + argv[i]);
  }
  if (edges_path.empty()) Die("--edges FILE is required");
  if (pairs_path.empty()) pairs_path = edges_path + ".pairs.tsv";

  auto want = [&](const std::string& q) {
    if (only.empty()) return true;
    return ("," + only + ",").find("," + q + ",") != std::string::npos;
  };
  const bool reuse = !db_dir.empty();
  const fs::path dir = reuse
                           ? fs::path(db_dir)
                           : fs::temp_directory_path() / ("peer-kg-" + std::to_string(::getpid()));
  if (!reuse) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  } else {
    keep = true;
  }
  kg::StoreOptions store_options;
  store_options.path = (dir / "db").string();
  store_options.block_cache_bytes = 256u << 20;
  store_options.create_if_missing = !reuse;
  auto store = Check(kg::GraphStore::Open(store_options));

  // (a) load: parse + bulk SST write + ingest, as `kg import`.
  const auto t0 = Clock::now();
  if (!reuse) {
    auto coder = Check(kg::ingest::CameoCoder::Load(KG_DEFAULT_DATA_DIR));
    {
      auto writer = Check(store->NewBulkWriter(kg::BulkLoadOptions()));
      kg::ingest::TableBatchReader reader({edges_path}, kg::ingest::TableFormat::kTsv, &coder);
      std::vector<kg::BulkWriter::Row> rows;
      while (const kg::ingest::TableBatchReader::Batch* batch = reader.Next()) {
        rows.clear();
        for (const auto& item : batch->items) {
          if (item.file_error || item.outcome != kg::ingest::RowOutcome::kRow)
            Die(edges_path + ":" + std::to_string(item.line) + ": " + item.error);
          rows.push_back(kg::ingest::BulkRowOf(batch->rows[item.row]));
        }
        size_t failed = 0;
        Check(writer->AppendEvents(rows, &failed));
      }
      auto stats = Check(writer->Finish());
      std::fprintf(
          stderr,
          "[kg] bulk: %llu events, %llu documents, %llu SST files, waited for sort+write %.2f s, "
          "ingest %.2f s\n",
          static_cast<unsigned long long>(stats.events),
          static_cast<unsigned long long>(stats.documents_added),
          static_cast<unsigned long long>(stats.sst_files), stats.sort_write_seconds,
          stats.ingest_seconds);
    }
    const auto tt = Clock::now();
    // Written by the bulk load into this fresh store; a no-op then.
    Check(store->RefreshTopology());
    std::fprintf(stderr, "[kg] topology current after %.3f s\n", Secs(tt));
  }
  const double load_s = Secs(t0);
  auto reader = store->NewReader();
  const auto totals = Check(reader->Stats());
  std::fprintf(stderr, "[kg] loaded %lld edges / %lld actors in %.3fs\n",
               static_cast<long long>(totals.events), static_cast<long long>(totals.actors),
               load_s);

  kg::query::QueryOptions qopts;
  qopts.row_limit = 10'000'000;
  qopts.work_budget = 1'000'000'000;
  qopts.time_budget_ms = 0;

  rapidjson::StringBuffer results_buf, timings_buf;
  std::map<std::string, Timing> timings;
  std::map<std::string, std::string> results;  // name -> JSON text

  auto query_rows = [&](const std::string& q) {
    return Check(kg::query::RunQuery(*reader, q, qopts));
  };

  // (b) count edges with relation accuse.
  int64_t accuse = 0;
  if (want("b"))
    timings["b_accuse_count"] = Timed(reps, [&] {
      auto t = query_rows("MATCH (a)-[r:accuse]->(b) RETURN count(*) AS n");
      accuse = t.rows.at(0).at(0).AsInt();
    });
  results["b_accuse_count"] = std::to_string(accuse);

  // (c) top-10 accusers by count, ties by name.
  std::string top10 = "[]";
  if (want("c"))
    timings["c_top10_accusers"] = Timed(reps, [&] {
      auto t = query_rows(
          "MATCH (a)-[r:accuse]->(b) RETURN a.name AS name, count(*) AS n ORDER BY n DESC, name "
          "LIMIT 10");
      rapidjson::StringBuffer sb;
      Writer w(sb);
      w.StartArray();
      for (const auto& r : t.rows) {
        w.StartArray();
        w.String(r[0].AsString().c_str());
        w.Int64(r[1].AsInt());
        w.EndArray();
      }
      w.EndArray();
      top10 = sb.GetString();
    });
  results["c_top10_accusers"] = top10;

  // (f) distinct actors who accused Russia.
  int64_t russia = 0;
  if (want("f"))
    timings["f_who_accused_russia"] = Timed(reps, [&] {
      auto t =
          query_rows("MATCH (a)-[r:accuse]->(b {name: 'Russia'}) RETURN count(DISTINCT a) AS n");
      russia = t.rows.at(0).at(0).AsInt();
    });
  results["f_who_accused_russia"] = std::to_string(russia);

  // hub: highest out-degree, ties by name (kg rank --by out-degree --limit 1).
  std::string hub_name;
  int64_t hub_degree = -1;
  if (want("hub") || want("d"))
    timings["hub_top_outdegree"] = Timed(reps, [&] {
      kg::query::RankOptions rank;
      rank.measure = kg::query::RankMeasure::kOutDegree;
      rank.limit = 1;
      rank.filter.include_negated = true;
      auto t = Check(kg::query::RankActors(*reader, rank, qopts));
      hub_name = t.rows.at(0).at(1).AsString();
      hub_degree = t.rows.at(0).at(3).AsInt();
    });
  results["hub_top_outdegree"] = "[\"" + hub_name + "\", " + std::to_string(hub_degree) + "]";

  // (d) distinct actors 1..2 hops out of the hub (hub excluded).
  size_t two_hop = 0;
  if (want("d"))
    timings["d_2hop_distinct"] = Timed(reps, [&] {
      kg::query::NeighborOptions n;
      n.hops = 2;
      n.direction = kg::query::Direction::kOut;
      n.filter.include_negated = true;
      n.count_only = true;
      auto t = Check(kg::query::Neighbors(*reader, hub_name, n, qopts));
      two_hop = 0;
      for (const auto& row : t.rows) two_hop += static_cast<size_t>(row[1].AsInt());
    });
  results["d_2hop_distinct"] = std::to_string(two_hop);

  // (e) directed shortest hop count for the pairs, length <= 6.
  std::vector<std::pair<std::string, std::string>> pairs;
  {
    std::ifstream in(pairs_path);
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (tab != std::string::npos) pairs.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
  }
  std::vector<double> per;
  std::map<int, int> hist;
  int found = 0, len_sum = 0;
  const auto te0 = Clock::now();
  if (!want("e")) pairs.clear();
  for (const auto& [s, t] : pairs) {
    const auto q0 = Clock::now();
    kg::query::PathOptions p;
    p.max_hops = 6;
    p.direction = kg::query::Direction::kOut;
    p.filter.include_negated = true;
    auto table = Check(kg::query::FindPaths(*reader, s, t, p, qopts));
    per.push_back(Secs(q0));
    if (std::getenv("KG_PEER_VERBOSE")) {
      std::fprintf(stderr, "[kg] path %s -> %s: %.3f ms, %zu rows\n", s.c_str(), t.c_str(),
                   per.back() * 1e3, table.rows.size());
    }
    if (!table.rows.empty()) {
      const int len = static_cast<int>(table.rows[0][1].AsInt());
      ++found;
      len_sum += len;
      ++hist[len];
    }
  }
  const double te = Secs(te0);
  std::sort(per.begin(), per.end());

  // ---- JSON line ----
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("peer");
  w.String("kg");
  w.Key("version");
  w.String("0.1.0");
  w.Key("runtime");
  w.String("C++20, RocksDB 7.8");
  w.Key("edges_file");
  w.String(fs::path(edges_path).filename().c_str());
  w.Key("threads");
  w.Int(2);
  w.Key("load_s");
  w.Double(R6(load_s));
  w.Key("edges_loaded");
  w.Int64(totals.events);
  w.Key("actors_loaded");
  w.Int64(totals.actors);
  w.Key("sp_algo");
  w.String("kg FindPaths (bidirectional BFS over the topology)");
  w.Key("timings");
  w.StartObject();
  for (const auto& [name, t] : timings) {
    w.Key(name.c_str());
    w.StartObject();
    w.Key("first_s");
    w.Double(R6(t.first));
    w.Key("median_s");
    w.Double(R6(t.median));
    w.Key("min_s");
    w.Double(R6(t.min));
    w.EndObject();
  }
  w.Key("e_shortest_paths");
  w.StartObject();
  w.Key("pairs");
  w.Int(static_cast<int>(pairs.size()));
  w.Key("total_s");
  w.Double(R6(te));
  w.Key("p50_s");
  w.Double(per.empty() ? 0 : R6(per[per.size() / 2]));
  w.Key("p95_s");
  w.Double(per.empty() ? 0 : R6(per[std::min(per.size() - 1, per.size() * 95 / 100)]));
  w.Key("max_s");
  w.Double(per.empty() ? 0 : R6(per.back()));
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.StartObject();
  for (const auto& [name, json] : results) {
    w.Key(name.c_str());
    w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
  }
  w.Key("e_shortest_paths");
  w.StartObject();
  w.Key("found");
  w.Int(found);
  w.Key("len_sum");
  w.Int(len_sum);
  w.Key("len_hist");
  w.StartObject();
  for (const auto& [len, n] : hist) {
    w.Key(std::to_string(len).c_str());
    w.Int(n);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  w.Key("peak_rss_mb");
  w.Int64(ru.ru_maxrss / 1024);
  reader.reset();
  Check(store->Flush());
  store.reset();
  w.Key("db_bytes");
  w.Uint64(DirBytes(dir));
  w.EndObject();
  std::printf("%s\n", sb.GetString());
  if (!keep)
    fs::remove_all(dir);
  else
    std::fprintf(stderr, "[kg] kept store at %s\n", (dir / "db").c_str());
  return 0;
}
